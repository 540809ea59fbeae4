#!/bin/bash
# t1200-run-command: `scalprof run [OPTIONS] -- COMMAND [ARGS...]` writes the
# campaign for a command (workers 1..all, 3 repetitions, copies, the current
# directory), stores it like any campaign (its yaml the text written),
# prints it with --print-yaml for `check` and `run FILE` to take as it is;
# warmup: N runs are made but not stored; a bad option value is a clear
# exit 2; a command given without "--" is pointed at it; a failing
# program's stderr shows in the progress and in the summary.
. "$(dirname "$0")/lib/test-lib.sh"

require cores 2
require cmd python3 "for the measured program"
ncores=$(physical_cores)
# a small program: a loop of about a tenth of a second on a quiet machine
PROG='s = 0
for i in range(200000): s += i'
mkdir work && cd work || exit 1

run_sp run --no-probe --db "$DB" --workers 1,2 --reps 2 -- python3 -c "$PROG"
is "$rc" 0 "run -- COMMAND exits 0"
like "$out" "^campaign 'python3' \(id 1\): 4 runs into " "the campaign is named after the command's basename"
like "$out" "run 4/4: python3, 2 workers, rep 2/2: ok" "a progress line per run when stdout is not a terminal"
like "$out" "python3 +copies +1 +2 " "the result table: 1 worker, 2 runs"
like "$out" "python3 +copies +2 +2 " "the result table: 2 workers, 2 runs"
is "$(q "select count(*) from runs where status = 'ok'")" 4 "4 ok runs stored"
is "$(q "select name || ' ' || status from campaigns")" "python3 done" "the campaign stored, done"
is "$(q "select group_concat(n_workers || ':' || c, ',') from (select n_workers, count(*) c from runs group by n_workers)")" \
	"1:2,2:2" "2 repetitions at 1 and at 2 workers"
yaml=$(q "select yaml from campaigns")
like "$yaml" '^workers: \[1, 2\]$' "the stored yaml is the text written: workers"
like "$yaml" '^repetitions: 2$' "the stored yaml is the text written: repetitions"
like "$yaml" 'command: \["python3", "-c", "s = 0\\nfor i in range\(200000\): s \+= i"\]' \
	"the stored yaml keeps the command, quoted"
like "$yaml" "^    cwd: \"$PWD\"\$" "the command runs in the current directory"
is "$(q "select count(distinct w.pid) from workers w")" 6 "a worker process for each copy (1+2 per repetition)"

# --print-yaml: the campaign, run nothing; check and run FILE take it as it is
"$SCALPROF" run --print-yaml --workers 1 --reps 1 --warmup 1 --name loop -- python3 -c "$PROG" >loop.yaml 2>err.txt
is "$?" 0 "--print-yaml exits 0"
is "$(cat err.txt)" "" "--print-yaml says nothing on stderr"
ok "grep -q '^name: \"loop\"\$' loop.yaml && grep -q '^warmup: 1\$' loop.yaml && grep -q '^    mode: copies\$' loop.yaml" \
	"--print-yaml prints name, warmup and mode"
is "$(q "select count(*) from campaigns")" 1 "--print-yaml runs nothing"
run_sp check loop.yaml
is "$rc" 0 "scalprof check accepts the printed campaign"
like "$out" "campaign 'loop' is valid: 1 workload x 1 worker count x 1 repetition = 1 runs \+ 1 warm-up runs \(not stored\)," \
	"check plans its runs and says the warm-up"
run_sp run --no-probe --db "$DB" loop.yaml
is "$rc" 0 "scalprof run FILE runs the printed campaign"
is "$(q "select yaml from campaigns where name = 'loop'")" "$(cat loop.yaml)" "stored with the printed text"
like "$out" "warm-up 1/1 before run 1/1: loop, 1 worker: ok, [0-9.]+ s, not stored" "the warm-up is said to be one"
is "$(q "select count(*) from runs r join campaigns c on c.id = r.campaign_id where c.name = 'loop'")" 1 \
	"warmup: 1 leaves no row in runs"
"$SCALPROF" run --print-yaml -- python3 -c "$PROG" >default.yaml
ok "grep -q '^workers: 1..all\$' default.yaml && grep -q '^repetitions: 3\$' default.yaml && grep -q '^warmup: 0\$' default.yaml" \
	"the defaults: workers 1..all, 3 repetitions, no warm-up"
run_sp check default.yaml
like "$out" "x $ncores worker count.* x 3 repetitions" "1..all is every physical core"

# --warmup through a whole run: warm-ups in the progress, not in runs
run_sp run --no-probe --db "$DB" --name warm --workers 1,2 --reps 1 --warmup 2 -- python3 -c "$PROG"
is "$rc" 0 "run --warmup 2 exits 0"
is "$(printf '%s\n' "$out" | grep -c '^warm-up [12]/2 before run [12]/2: warm, [12] workers\?: ok')" 4 \
	"2 warm-ups before each worker count's first run"
is "$(q "select count(*) from runs r join campaigns c on c.id = r.campaign_id where c.name = 'warm'")" 2 \
	"only the 2 measured runs stored"
is "$(q "select group_concat(seq) from runs r join campaigns c on c.id = r.campaign_id where c.name = 'warm'")" "1,2" \
	"the measured runs are numbered 1 and 2"

# --interference and --profile: their keys, accepted by check
"$SCALPROF" run --print-yaml --interference --profile --scale 0.5 -- python3 -c "$PROG" >ip.yaml
ok "grep -q '^interference: true\$' ip.yaml && grep -q '^profile: true\$' ip.yaml && grep -q '^scale: 0.5\$' ip.yaml" \
	"--interference, --profile and --scale are written as their keys"
run_sp check ip.yaml
like "$out" "interference runs, .*scale 0.5" "check takes them: interference runs planned, scale 0.5"
# a profiled warm-up leaves no profile either
run_sp run --no-probe --db "$DB" --profile --name prof --workers 1 --reps 1 --warmup 1 -- python3 -c "$PROG"
is "$rc" 0 "run --profile --warmup 1 exits 0"
is "$(q "select count(*) from profiles p join runs r on r.id = p.run_id join campaigns c on c.id = r.campaign_id where c.name = 'prof'")" \
	1 "one profile: the measured run's, not the warm-up's"

# interrupted during a warm-up: nothing stored, the campaign interrupted
idb=$TMP/interrupted.db
"$SCALPROF" run --no-probe --db "$idb" --warmup 1 --workers 1 --reps 1 -- sh -c 'touch started; sleep 30' >int.out 2>&1 &
pid=$!
bg $pid
ok "waitfor '[ -e started ]' 30" "set-up: the warm-up run started"
kill -INT $pid
wait $pid
is "$?" 130 "SIGINT during a warm-up: exit status 130"
like "$(cat int.out)" "^warm-up 1/1 before run 1/1: sh, 1 worker: interrupted, .*not stored" "the warm-up is reported interrupted"
is "$(sqlite3 "$idb" "select status || ' ' || (select count(*) from runs) from campaigns")" "interrupted 0" \
	"the campaign is interrupted with no run stored"

# --team: one command given the cores of N workers
run_sp run --no-probe --db "$DB" --team --name team --workers 2 --reps 1 -- sh -c 'echo workers=$SCALPROF_WORKERS'
is "$rc" 0 "run --team exits 0"
like "$(q "select yaml from campaigns where name = 'team'")" "mode: team" "--team writes mode: team"
is "$(q "select count(*) from workers w join runs r on r.id = w.run_id join campaigns c on c.id = r.campaign_id where c.name = 'team'")" \
	1 "a team run is one worker process"
like "$(q "select stdout_tail from workers w join runs r on r.id = w.run_id join campaigns c on c.id = r.campaign_id where c.name = 'team'")" \
	"workers=2" "the team is told its 2 workers"

# bad values: exit 2, the option and the value named, nothing stored
n_before=$(q "select count(*) from campaigns")
run_sp run --no-probe --db "$DB" --reps 0 -- python3 -c "$PROG"
is "$rc" 2 "--reps 0 exits 2"
is "$err" "scalprof: run: --reps '0': repetitions: must be between 1 and 100000, got 0" "--reps 0: the option, its value and the range"
run_sp run --no-probe --db "$DB" --warmup 101 -- true
is "$err" "scalprof: run: --warmup '101': warmup: must be between 0 and 100, got 101" "--warmup 101: out of range"
run_sp run --no-probe --db "$DB" --warmup two -- true
is "$rc" 2 "--warmup two exits 2"
like "$err" "^scalprof: run: --warmup 'two': warmup: expected (an integer|a whole number), got 'two'\$" "--warmup two: not a number"
run_sp run --no-probe --db "$DB" --workers '1,x' -- true
is "$err" "scalprof: run: --workers '1,x': workers[1]: expected a worker count or \"all\", got 'x'" "--workers 1,x: the bad item"
run_sp run --no-probe --db "$DB" --workers "$((ncores + 1))" -- true
like "$err" "^scalprof: run: --workers '$((ncores + 1))': workers: $((ncores + 1)) workers asked for, but this machine has $ncores physical cores" \
	"--workers above the cores"
run_sp run --no-probe --db "$DB" --reps '3
name: injected' -- true
is "$rc" 2 "a value cannot add keys of its own"
like "$err" "^scalprof: run: --reps '3\$" "the value is reported as typed"
like "$err" "^name: injected': repetitions: expected" "as repetitions' value, not a key"
is "$(q "select count(*) from campaigns where name = 'injected'")" 0 "and nothing of it is stored"
run_sp run --no-probe --db "$DB" --reps 2 loop.yaml
is "$rc" 2 "a command's option with a campaign file exits 2"
is "$err" "scalprof: run: --reps applies to a command after '--' (a campaign file says it in its own keys)" \
	"and says the option belongs to a command"
run_sp run --print-yaml loop.yaml
is "$err" "scalprof: run: --print-yaml prints the campaign written for a command: scalprof run --print-yaml -- COMMAND [ARGS...]" \
	"--print-yaml without a command"
run_sp run --no-probe --db "$DB" --
is "$err" "scalprof: run: no command after '--' (scalprof run [OPTIONS] -- COMMAND [ARGS...])" "nothing after --"
is "$(q "select count(*) from campaigns")" "$n_before" "no campaign stored by a refused run"

# a command without "--"
run_sp run --no-probe --db "$DB" python3 prog.py
is "$rc" 2 "a command without -- exits 2"
is "$err" "scalprof: run: expected one campaign file, got 2 operands ('python3' ...); to measure a command, put it after '--': scalprof run [OPTIONS] -- COMMAND [ARGS...]" \
	"two operands: pointed at --"
run_sp run --no-probe --db "$DB" ./prog
is "$err" "scalprof: run: './prog' is not a campaign file (No such file or directory); to measure a command, put it after '--': scalprof run [OPTIONS] -- COMMAND [ARGS...]" \
	"one missing operand: pointed at --"
run_sp run --db "$DB" python3 -c 'print(1)'
is "$rc" 2 "an option of the command's, without --, exits 2"
like "$err" "option '-c' is unknown; to measure a command, put it after '--'" "and points at --"

# the examples of scalprof(1), verbatim, in a directory holding prog.py
# (its ceiling measured first, briefly: the example's run then finds it)
printf '%s\n' "$PROG" >prog.py
PATH=$(dirname "$SCALPROF"):$PATH
scalprof probe --scale 0.05 --quiet >/dev/null 2>&1
scalprof run --workers 1,2 --reps 2 -- python3 prog.py >ex1.out 2>&1
is "$?" 0 "scalprof(1)'s example: scalprof run --workers 1,2 --reps 2 -- python3 prog.py"
show_on_failure ex1.out
ok "grep -q '^campaign .python3. (id 1): 4 runs into scalprof.db\$' ex1.out" "it runs into ./scalprof.db"
is "$(sqlite3 scalprof.db "select count(*) from runs where status = 'ok'")" 4 "its 4 runs stored"
scalprof run --print-yaml --warmup 1 -- python3 prog.py > prog.yaml
is "$?" 0 "scalprof(1)'s example: scalprof run --print-yaml --warmup 1 -- python3 prog.py > prog.yaml"
ok "grep -q '^    command: \[\"python3\", \"prog.py\"\]\$' prog.yaml && grep -q '^warmup: 1\$' prog.yaml" "prog.yaml holds the command and the warm-up"

# a failing program: its stderr in the progress line and in the summary
run_sp run --no-probe --db "$DB" --name typo --workers 1 --reps 1 -- python3 /x/prog_thred.py
is "$rc" 1 "a failing program exits 1"
like "$out" "run 1/1: typo, 1 worker, rep 1/1: failed, .*\(worker 1: exited with code 2\)" "the failed run's line"
like "$out" "^    stderr: .*python3[.0-9]*: can't open file '/x/prog_thred.py': \[Errno 2\] No such file or directory\$" \
	"its stderr beneath it"
like "$err" "^scalprof: the first: run 1/1 \(typo, 1 worker, rep 1\) failed: worker 1: exited with code 2; its stderr ended:\$" \
	"the summary names the first failed run"
like "$err" "^    stderr: .*can't open file '/x/prog_thred.py'" "and shows its stderr"
run_sp run --no-probe --db "$DB" --quiet --name typo2 --workers 1 --reps 1 -- python3 /x/prog_thred.py
is "$(printf '%s\n' "$out" | grep -c '^run \|stderr:')" 0 "--quiet: no progress lines, no stderr in stdout"
like "$err" "can't open file '/x/prog_thred.py'" "--quiet: the summary still shows the stderr"
done_testing
