#!/bin/bash
# t0995-verdict-run: verdicts end to end on this machine, for causes that
# are real here whatever the PMU: busy copies scale; seed 003's Python
# threads in a team are serialized (the GIL); more copies than cores with
# oversubscribe are oversubscribed; pagefault spends its time in the
# kernel; stream beside the bandwidth co-runner supports memory-bandwidth
# from interference alone. `scalprof run` stores each verdict with its
# evidence, read back here with the sqlite3 CLI.
. "$(dirname "$0")/lib/test-lib.sh"

require cores 2
ncores=$(physical_cores)
over=$((ncores * 2))
verdict() { q "select verdict from verdicts v join campaigns c on c.id = v.campaign_id
	where c.name = '$1' and v.workload = '$2'"; }
evidence() { # campaign workload hypothesis figure stance -> value
	q "select round(e.value, 3) from verdict_evidence e join verdicts v on v.id = e.verdict_id
	join campaigns c on c.id = v.campaign_id where c.name = '$1' and v.workload = '$2'
	and e.hypothesis = '$3' and e.figure = '$4' and e.stance = '$5' limit 1"; }

cat >scaling.yaml <<YAML
name: scaling
workers: [1, 2]
repetitions: 3
scale: 0.3
events: [sched]
workloads:
  - name: busy
    builtin: busy
    args: [n=1200M]
  - name: pagefault
    builtin: pagefault
    args: [size=32M, rounds=60]
  - name: py_threads
    mode: team
    command: [python3, seed003.py, threads]
    cwd: $SRC_DIR/workloads/python
YAML
run_sp run --no-probe scaling.yaml --db "$DB" -q
is "$rc" 0 "the scaling campaign runs"
is "$(q "select count(*) from verdicts")" 3 "run stores a verdict per workload"
is "$(q "select count(*) from hypotheses")" 18 "and every hypothesis weighed for each"
busy_reason=$(q "select reason from verdicts where workload = 'busy'")
if [[ $busy_reason == *"a busy host"* && $(verdict scaling busy) != scales ]]; then
	# others took the cores: the verdict must say so rather than claim scaling
	like "$busy_reason" "a busy host: others took" "busy copies on a busy host: the verdict says the host was busy"
else
	is "$(verdict scaling busy)" scales "busy copies scale"
fi
is "$(verdict scaling py_threads)" serialized "seed 003's threads in a team are serialized"
busy2=$(evidence scaling py_threads serialized cpu_utilisation for)
echo "# py_threads at N=2 kept $busy2 cores busy"
ok "awk 'BEGIN { exit !($busy2 > 0.5 && $busy2 <= 1.3) }'" "serialized: cores busy at N=2 cited, near one ($busy2)"
ks=$(q "select round(avg(kernel_share), 2) from run_metrics where workload = 'pagefault' and status = 'ok'")
echo "# pagefault: kernel share $ks of its CPU time"
ok "awk 'BEGIN { exit !($ks >= 0.3) }'" "pagefault spends at least 30% of its CPU time in the kernel ($ks)"
like "$(q "select group_concat(e.figure) from verdict_evidence e join verdicts v on v.id = e.verdict_id
	where v.workload = 'pagefault' and e.hypothesis = 'kernel' and e.stance = 'for'")" "kernel_share" \
	"pagefault's verdict cites its kernel share for the kernel hypothesis"
is "$(q "select bandwidth from verdicts where workload = 'busy'")" \
	"$(q "select status from hypotheses h join verdicts v on v.id = h.verdict_id
	where v.workload = 'busy' and h.hypothesis = 'memory-bandwidth'")" "the bandwidth column agrees with its hypothesis"
run_sp report scaling --db "$DB"
like "$out" "py_threads \(team\): serialized" "report shows the stored verdict's judgement"
like "$out" "memory-bandwidth: " "and its memory-bandwidth line"

# the speedup stack of each, as stored: components that add up to the lost
# time, and the largest naming the verdict
stack() { # campaign workload component -> share at the worst N
	q "select round(s.share, 3) from speedup_stack s join verdicts v on v.id = s.verdict_id
	join campaigns c on c.id = v.campaign_id where c.name = '$1' and v.workload = '$2'
	and s.n_workers = v.n_workers and s.component = '$3'"; }
is "$(q "select count(*) from (select s.verdict_id, s.n_workers, abs(sum(case when s.component = 'lost'
	then -s.core_s_per_unit else s.core_s_per_unit end)) > 0.01 * abs(max(case when s.component = 'lost'
	then s.core_s_per_unit end)) + 1e-9 as off from speedup_stack s group by 1, 2) where off")" 0 \
	"every stored stack adds up to its lost time within 1%"
idle=$(stack scaling py_threads idle)
echo "# py_threads at N=2: idle is $idle of the lost time"
ok "awk 'BEGIN { exit !($idle >= 0.5) }'" "py_threads: idle dominates its stack ($idle)"
like "$(q "select reason from verdicts where workload = 'py_threads'")" "of the lost time is idle" \
	"and the reason says so"

# a CPU hog pinned beside a team-mode process pool on the pool's second
# core: the pool's children wait for it, and the stack shows it as waiting
# (at a scale where the pool's work outweighs its interpreters' start)
cpu2=$("$SCALPROF" topology | awk '/^worker slots \(compact\)/ { f = 1; next } f && $1 == 2 { print $2; exit }')
cat >hog.yaml <<YAML
name: hog
workers: [1, 2]
repetitions: 3
scale: 1.5
events: [sched]
workloads:
  - name: pool
    mode: team
    command: [python3, seed003.py, processes]
    cwd: $SRC_DIR/workloads/python
YAML
taskset -c "$cpu2" sh -c 'while :; do :; done' &
hog=$!
run_sp run --no-probe hog.yaml --db "$DB" -q
kill "$hog"
wait "$hog" 2>/dev/null
is "$rc" 0 "the pool campaign runs beside a CPU hog on cpu $cpu2"
waiting=$(stack hog pool waiting)
echo "# pool beside the hog: waiting is $waiting of the lost time; $(q "select reason from verdicts v
	join campaigns c on c.id = v.campaign_id where c.name = 'hog'")"
ok "awk 'BEGIN { exit !($waiting >= 0.25) }'" "the waiting component shows the hog ($waiting of the lost time)"
is "$(q "select count(*) > 0 from runs r join campaigns c on c.id = r.campaign_id where c.name = 'hog'
	and r.n_workers = 2 and r.run_delay_ns > 0")" 1 "the children's run-queue wait is stored with the run"

# a team with a known serial phase: one core busy for the first part (as
# a pool's parent starts, or gathers results), then the second part split
# over every worker; the timeline's one-core stretches measure the first
cat >serial.yaml <<YAML
name: serial
workers: [1, 2]
repetitions: 3
events: [sched]
workloads:
  - name: phases
    mode: team
    command: [sh, -c, 'K=\$0; "\$K" busy n=600M; i=0; while [ \$i -lt \$SCALPROF_WORKERS ]; do "\$K" busy n=\$((600 / SCALPROF_WORKERS))M & i=\$((i + 1)); done; wait', "$(dirname "$SCALPROF")/scalprof-kernels"]
YAML
run_sp run --no-probe serial.yaml --db "$DB" -q
is "$rc" 0 "the serial-phase campaign runs"
read -r ser wall cpu scpu < <(q "select avg(serial_ns) / 1e9, avg(wall_ns) / 1e9, avg(user_ns + kernel_ns) / 1e9,
	avg(serial_cpu_ns) / 1e9 from runs r join campaigns c on c.id = r.campaign_id
	where c.name = 'serial' and r.n_workers = 2 and r.status = 'ok'" | tr '|' ' ')
echo "# phases at N=2: serial phase $ser s of $wall s (CPU $scpu s of $cpu s)"
# the first part is half the work at 1 worker, two thirds of the wall time
# at 2; 100 ms ticks blur its edges, so wide margins
ok "awk 'BEGIN { exit !($ser >= 0.4 * $wall && $ser <= 0.85 * $wall) }'" \
	"the timeline's serial phase is about two thirds of the wall time at 2 workers ($ser of $wall s)"
read -r f fmin fmax < <(q "select round(p.amdahl_fraction, 3), 0.25, 0.75 from verdict_points p
	join verdicts v on v.id = p.verdict_id join campaigns c on c.id = v.campaign_id where c.name = 'serial'" | tr '|' ' ')
ok "awk 'BEGIN { exit !($f >= $fmin && $f <= $fmax) }'" "Amdahl's serial fraction from it is about one half ($f)"
is "$(q "select count(*) from runs r join campaigns c on c.id = r.campaign_id where c.name = 'serial'
	and r.n_workers = 1 and r.serial_ns is null")" 3 "runs at 1 worker have no serial phase"
reason=$(q "select reason from verdicts v join campaigns c on c.id = v.campaign_id where c.name = 'serial'")
echo "# $reason"
like "$reason" "of the lost time is idle \\([0-9.]+ of 2 cores busy; a serial phase of [0-9.]+ s" \
	"the verdict names the serial phase as the idle time's cause"

cat >over.yaml <<YAML
name: over
workers: [1, $over]
oversubscribe: true
repetitions: 3
events: [sched]
workloads:
  - name: busy
    builtin: busy
    args: [n=200M]
YAML
run_sp run --no-probe over.yaml --db "$DB" -q
is "$rc" 0 "the oversubscribed campaign runs"
is "$(verdict over busy)" oversubscribed "$over copies on $ncores cores are oversubscribed"
rd=$(evidence over busy oversubscribed run_delay_ratio for)
echo "# run-queue wait per CPU-second at N=$over: $rd"
ok "[ -n '$rd' ]" "the run-queue wait is cited for it ($rd)"

cat >bw.yaml <<YAML
name: bw
workers: [1, 2]
repetitions: 5
events: [sched]
interference: true
workloads:
  - name: stream
    builtin: stream
    args: [ntimes=10]
YAML
run_sp run --no-probe bw.yaml --db "$DB" -q
is "$rc" 0 "the interference campaign runs"
med() { q "select round(slowdown, 3) from run_metrics where campaign_id = (select id from campaigns where name = 'bw')
	and corunner = '$1' and status = 'ok' order by slowdown limit 1 offset 2"; }
sbw=$(med bandwidth)
scpu=$(med cpu)
echo "# stream at N=1: median slowdown beside the bandwidth co-runner $sbw, beside the CPU hog $scpu"
cited=$(evidence bw stream memory-bandwidth slowdown_bandwidth for)
line=$(q "select bandwidth_reason from verdicts v join campaigns c on c.id = v.campaign_id where c.name = 'bw'")
echo "# memory-bandwidth: $line"
if awk "BEGIN { exit !($sbw >= 1.2 && $sbw >= 1.15 * $scpu) }"; then
	is "$cited" "$sbw" "stream's slowdown beside the bandit is cited for memory-bandwidth"
	like "$line" "^supported: " "memory-bandwidth is supported from interference alone"
else
	# the host's own noise was as large as the effect: the verdict must
	# then not claim support
	ok "[ -z '$cited' ]" "a slowdown within the thresholds is not cited for memory-bandwidth"
	skip "stream beside the bandit ($sbw) not clearly above beside the CPU hog ($scpu): host too noisy to judge"
fi
done_testing
