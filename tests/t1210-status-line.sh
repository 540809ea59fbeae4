#!/bin/bash
# t1210-status-line: on a terminal `scalprof run` keeps one status line,
# rewritten with "\r\033[K" (the run, done/total, ETA, the last result, the
# warm-ups said to be warm-ups), cut to the terminal's width; a failed run
# stays on the screen as a full line with its stderr; with --verbose, or
# when stdout is a pipe, a full line per run.
. "$(dirname "$0")/lib/test-lib.sh"

require cmd script "for a pseudo-terminal"
CR=$'\r'
ESC=$'\033'
# the command line of a small campaign, with scalprof run's options $1
cmd() { echo "$SCALPROF run ${1:-} --no-probe --db $DB --workers 1 --reps 3 --warmup 1 --name loop -- sh -c 'i=0; while [ \$i -lt 2000 ]; do i=\$((i+1)); done'"; }

script -qec "$(cmd)" /dev/null >tty.out 2>&1
is "$?" 0 "run on a pseudo-terminal exits 0"
show_on_failure tty.out
ok "grep -aq \"\\[warm-up 1/1 before run 1/3\\] loop, 1 worker  elapsed\" tty.out" "the warm-up is said to be one"
ok "grep -aq \"$CR$ESC\\[K\\[run 3/3\\] loop, 1 worker, rep 3/3  elapsed [0-9:]*  ETA [0-9:?]*  last: ok [0-9.]* s\" tty.out" \
	"the status line: run, done/total, elapsed, ETA and the last result, rewritten in place"
updates=$(grep -ao "$CR$ESC\\[K\\[run" tty.out | wc -l)
ok "[ $updates -ge 3 ]" "at least one rewrite per run ($updates)"
# the campaign line, then the cleared status line's end: the report follows
# (its header starts 'campaign N "NAME":')
before_report=$(sed -n '/^campaign [0-9]* "loop":/q;p' tty.out | wc -l)
ok "[ $before_report -le 2 ]" "no more than 2 newlines before the report ($before_report)"
is "$(grep -ac '^run [0-9]/3:' tty.out)" 0 "no full per-run lines on a terminal"
ok "grep -aq 'loop  *copies  *1  *3 ' tty.out" "the result table follows"
is "$(q "select count(*) from runs")" 3 "3 runs stored, the warm-up not"

# --verbose on a terminal: full lines
script -qec "$(cmd --verbose)" /dev/null >verbose.out 2>&1
is "$?" 0 "--verbose on a pseudo-terminal exits 0"
is "$(tr -d '\r' <verbose.out | grep -c '^run [123]/3: loop, 1 worker, rep [123]/3: ok, [0-9.]* s, elapsed ')" 3 \
	"--verbose: a full line per run"
ok "tr -d '\\r' <verbose.out | grep -q '^warm-up 1/1 before run 1/3: loop, 1 worker: ok, [0-9.]* s, not stored, elapsed '" \
	"--verbose: the warm-up's full line"
ok "! grep -aq \"$ESC\\[K\" verbose.out" "--verbose: no status line"

# a pipe: full lines, no carriage return
eval "$(cmd)" | cat >pipe.out
is "$(grep -c '^run [123]/3: loop, 1 worker, rep [123]/3: ok' pipe.out)" 3 "a pipe: a full line per run"
ok "! grep -q \"$CR\" pipe.out" "a pipe: no carriage return"

# a narrow terminal: every status line fits its width (a wrapped line
# would leave its first part behind on each rewrite)
script -qec "stty cols 50; $(cmd)" /dev/null >narrow.out 2>&1
widest=$(sed -n '1,/^workload/p' narrow.out | tr '\r' '\n' | sed "s/$ESC\\[K//g" | grep '^\[' | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
ok "[ $widest -gt 0 ] && [ $widest -le 49 ]" "status lines cut to a 50-column terminal ($widest)"

# a failed run stays as a full line with its stderr, the status goes on
script -qec "$SCALPROF run --no-probe --db $DB --workers 1 --reps 2 --name broken -- sh -c 'echo first >&2; echo no such input: x.csv >&2; exit 3'" /dev/null >fail.out 2>&1
is "$?" 1 "a failing program on a terminal exits 1"
ok "tr -d '\\r' <fail.out | grep -q '^.*run 1/2: broken, 1 worker, rep 1/2: failed, [0-9.]* s (worker 1: exited with code 3)'" \
	"the failed run's full line"
ok "tr -d '\\r' <fail.out | grep -q '^    stderr: first\$' && tr -d '\\r' <fail.out | grep -q '^    stderr: no such input: x.csv\$'" \
	"its stderr's last lines beneath it"
ok "grep -aq 'last: failed [0-9.]* s' fail.out" "the status line's last result says failed"
ok "tr -d '\\r' <fail.out | grep -q \"^scalprof: the first: run 1/2 (broken, 1 worker, rep 1) failed: worker 1: exited with code 3; its stderr ended:\"" \
	"the summary names the first failure"
done_testing
