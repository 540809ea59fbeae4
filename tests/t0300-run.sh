#!/bin/bash
# t0300-run: a real campaign of `command` workloads through `scalprof run`,
# read back with the sqlite3 CLI: runs, workers (pinning, times, rusage),
# counters (a status on every row; software events counted; hardware events
# counted where a PMU is exposed and stored unsupported with the reason where
# not), the scaling view, the machine and the conditions; what a worker
# starts with (descriptors 0-2, default signals, no_new_privs, its env's PATH).
. "$(dirname "$0")/lib/test-lib.sh"

require cores 2
ncores=$(physical_cores)

cat >c.yaml <<'YAML'
name: t0300
workers: [1, 2]
repetitions: 2
timeout_s: 60
events: [sched, cache]
workloads:
  - name: spin
    command: [sh, -c, "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; grep Cpus_allowed_list /proc/self/status"]
  - name: team
    mode: team
    command: [sh, -c, "echo workers=$SCALPROF_WORKERS; grep Cpus_allowed_list /proc/self/status"]
YAML

run_sp run --no-probe c.yaml --db "$DB"
is "$rc" 0 "run exits 0"
like "$out" "run 8/8: team, 2 workers, rep 2/2: ok" "plain progress lines when stdout is not a terminal"
like "$out" "spin +copies +1 +2 " "result table: spin with 1 worker"
like "$out" "spin +copies +2 +2 " "result table: spin with 2 workers"
like "$out" "team +team +2 +2 " "result table: team with 2 workers"

is "$(q "select count(*) from runs")" 8 "8 runs stored"
is "$(q "select count(*) from runs where status = 'ok'")" 8 "all ok"
is "$(q "select count(*) from runs where wall_ns > 0 and start_skew_ns >= 0")" 8 "every run has wall time and start skew"
is "$(q "select status from campaigns")" done "campaign done"
is "$(q "select sha256 from campaigns")" "$(sha256sum c.yaml | cut -d' ' -f1)" "campaign sha256 is the file's"
is "$(q "select yaml from campaigns")" "$(cat c.yaml)" "campaign keeps the YAML text"

# workers: copies get one worker per slot on distinct CPUs; team gets one with all
is "$(q "select count(*) from workers w join runs r on r.id = w.run_id where r.workload = 'spin'")" 6 \
	"spin: 1 + 2 workers per repetition"
is "$(q "select count(*) from runs r where r.workload = 'spin' and r.n_workers = 2 and
	(select count(distinct cpu) from workers where run_id = r.id) = 2")" 2 "2 copies are pinned to 2 different CPUs"
is "$(q "select count(*) from workers w join runs r on r.id = w.run_id where r.workload = 'spin' and
	cast(w.stdout_tail as text) = 'Cpus_allowed_list:' || char(9) || w.cpus || char(10)")" 6 \
	"each copy's own affinity (from /proc) is the one stored"
is "$(q "select cpus from workers w join runs r on r.id = w.run_id where r.workload = 'team' and r.n_workers = 2 limit 1")" \
	"$(q "select group_concat(cpu, ',') from (select distinct cpu from workers w join runs r on r.id = w.run_id
		where r.workload = 'spin' and r.n_workers = 2 order by cpu)")" "team of 2 has both CPUs the copies used"
like "$(q "select cast(stdout_tail as text) from workers w join runs r on r.id = w.run_id where r.workload = 'team' and r.n_workers = 2 limit 1")" \
	"^workers=2" "team sees SCALPROF_WORKERS=2"
is "$(q "select count(*) from workers where status = 'ok' and exit_code = 0 and pid > 0 and start_ns > 0
	and end_ns >= start_ns and wall_ns > 0 and maxrss_kb > 0 and minflt > 0 and run_delay_ns is not null
	and utime_ns is not null and stime_ns is not null and nvcsw is not null and nivcsw is not null")" \
	"$(q "select count(*) from workers")" "every worker has times, rusage and run delay"
ok "[ $(q "select count(*) from workers w join runs r on r.id = w.run_id where r.workload='spin' and utime_ns + stime_ns > 0") -eq 6 ]" \
	"the spinning workers used CPU time"

# counters: one row per worker and event, each with a status
nw=$(q "select count(*) from workers")
is "$(q "select count(*) from counters")" $((nw * 8)) "8 counter rows per worker"
is "$(q "select count(*) from counters where status is null or status = ''")" 0 "every counters row has a status"
is "$(q "select count(*) from counters where event in ('task-clock', 'page-faults') and status = 'ok' and value > 0
	and scaled_value = value and time_enabled_ns > 0 and time_running_ns = time_enabled_ns")" $((nw * 2)) \
	"task-clock and page-faults are counted for every worker"
is "$(q "select count(*) from counters where event in ('context-switches','cpu-migrations') and status = 'ok' and value >= 0")" \
	$((nw * 2)) "context-switches and cpu-migrations are counted"
if have pmu; then
	is "$(q "select count(*) from counters where event in ('cycles','instructions') and status in ('ok','multiplexed') and value > 0")" \
		$((nw * 2)) "this host has a PMU: cycles and instructions are counted"
	is "$(q "select count(*) from counters where status = 'multiplexed' and not (time_running_ns < time_enabled_ns)")" 0 \
		"multiplexed only where running < enabled"
else
	is "$(q "select count(*) from counters where event in ('cycles','instructions','LLC-loads','LLC-load-misses')
		and status = 'unsupported' and reason = 'no hardware PMU is exposed (virtual machine?)' and value is null
		and scaled_value is null")" $((nw * 4)) "no PMU here: hardware events stored unsupported with the reason, no value"
	like "$out" "^not counted here: cycles, .*\(no hardware PMU is exposed" "the report says once why cycles has no value"
fi

# scaling view
is "$(q "select count(*) from scaling where campaign_id = 1")" 4 "scaling view: 2 workloads x 2 counts"
is "$(q "select speedup, efficiency from scaling where workload = 'spin' and n_workers = 1")" "1.0|1.0" \
	"1 worker is the baseline"
ok "[ \"$(q "select speedup > 0.5 and speedup < 2.6 from scaling where workload = 'spin' and n_workers = 2")\" = 1 ]" \
	"2 copies of spin: a plausible speedup"

# machine and conditions
is "$(q "select hostname = '$(hostname)' and cores = $ncores and threads >= cores and kernel = '$(uname -r)'
	and machine_id <> '' from machines")" 1 "machine row describes this host"
is "$(q "select perf_event_paranoid from conditions")" "$(cat /proc/sys/kernel/perf_event_paranoid)" "conditions: perf_event_paranoid"
is "$(q "select placement || ',' || oversubscribe || ',' || timeout_s from conditions")" "compact,0,60.0" \
	"conditions: placement, oversubscribe, timeout"
is "$(q "select count(*) from conditions where python3_version is null")" 1 "no python3 version asked when no workload runs python"

# a second campaign goes into the same database
run_sp run --no-probe c.yaml --db "$DB" --quiet
is "$rc" 0 "a second run into the same database"
is "$(q "select count(*) from campaigns")" 2 "two campaigns"
is "$(q "select count(*) from machines")" 1 "still one machine"
is "$(q "pragma integrity_check")" ok "integrity_check ok"

# what a worker starts with, however scalprof was started: here with fd 7
# open and SIGINT, SIGPIPE ignored; its program in the PATH of its env
mkdir bin
printf '#!/bin/sh\necho "mine ran"\n' >bin/t0300mine
chmod 755 bin/t0300mine
cat >start.yaml <<YAML
name: start
workers: [1]
repetitions: 1
events: [sched]
workloads:
  - name: look
    command: [sh, -c, 'ls /proc/\$\$/fd | tr "\\n" " "; grep -E "^(SigIgn|SigBlk|NoNewPrivs):" /proc/\$\$/status']
  - name: mine
    command: [t0300mine]
    env: [PATH=$TMP/bin]
  - name: notmine
    command: [ls]
    env: [PATH=$TMP/bin]
YAML
(trap '' PIPE INT; exec 7<start.yaml; exec "$SCALPROF" run --no-probe start.yaml --db start.db -q) >out 2>err
look=$(sqlite3 start.db "select cast(w.stdout_tail as text) from workers w join runs r on r.id = w.run_id
	where r.workload = 'look'")
echo "# the worker saw: $look"
like "$look" "^0 1 2 Sig" "a worker has descriptors 0-2 only (scalprof's fd 7 is not passed on)"
like "$look" "SigIgn:[[:space:]]+0+\$" "no signal ignored (scalprof was started ignoring SIGINT and SIGPIPE)"
like "$look" "SigBlk:[[:space:]]+0+\$" "none blocked"
like "$look" "NoNewPrivs:[[:space:]]+1\$" "no new privileges"
is "$(sqlite3 start.db "select cast(w.stdout_tail as text) || w.status from workers w join runs r on r.id = w.run_id
	where r.workload = 'mine'")" "mine ran
ok" "env: PATH is where the program is looked up"
is "$(sqlite3 start.db "select w.error from workers w join runs r on r.id = w.run_id where r.workload = 'notmine'")" \
	"cannot execute 'ls': No such file or directory" "and scalprof's own PATH is not searched"
done_testing
