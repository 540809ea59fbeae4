#!/bin/bash
# t0400-perf-crosscheck: scalprof against a peer. For one deterministic
# workload (python3 allocating and zeroing 64 MiB), page-faults and
# task-clock under scalprof agree with `perf stat` on the same command,
# pinned to the same CPU, the two tools taking turns 5 times.
# Tolerances: page faults within 5%, medians (they are deterministic up to
# the interpreter's start-up); task-clock within 25%, minimums (it is CPU
# time: a shared host only ever adds to it, so the least is the cleanest).
. "$(dirname "$0")/lib/test-lib.sh"

require cmd perf "linux-perf"
require perf-stat
cmd='python3 -c "b = bytearray(64 << 20)"'
cat >c.yaml <<YAML
name: t0400
workers: [1]
repetitions: 1
events: [page-faults, task-clock]
workloads:
  - name: alloc
    command: [sh, -c, 'exec $cmd']
YAML
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
least() { sort -g | head -1; }
: >perf.csv
fails=0
perf_fails=0
for _ in 1 2 3 4 5; do
	run_sp run --no-probe c.yaml --db "$DB" --quiet
	[ "$rc" = 0 ] || fails=$((fails + 1))
	cpu=$(q "select cpu from workers limit 1")
	taskset -c "$cpu" perf stat -x, -e page-faults,task-clock -- sh -c "exec $cmd" 2>>perf.csv >/dev/null ||
		perf_fails=$((perf_fails + 1))
done
is "$fails" 0 "scalprof ran the workload 5 times"
is "$perf_fails" 0 "and perf stat ran it 5 times, on the same CPU"
sp_pf=$(q "select value from counters where event = 'page-faults' and status = 'ok'" | median)
sp_tc=$(q "select value / 1e6 from counters where event = 'task-clock' and status = 'ok'" | least)
pf_pf=$(grep ',page-faults' perf.csv | cut -d, -f1 | median)
pf_tc=$(grep ',task-clock' perf.csv | cut -d, -f1 | least)
echo "# page-faults (median of 5): scalprof $sp_pf, perf stat $pf_pf"
echo "# task-clock ms (least of 5): scalprof $sp_tc, perf stat $pf_tc"
within() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b > 0 && d / b <= t) }'; }
ok "within '$sp_pf' '$pf_pf' 0.05" "page-faults agree within 5% ($sp_pf vs $pf_pf)"
ok "within '$sp_tc' '$pf_tc' 0.25" "task-clock agrees within 25% ($sp_tc ms vs $pf_tc ms)"
is "$(q "select count(*) from counters where status = 'ok'")" 10 "all 10 counter rows ok ($(q "select group_concat(distinct reason) from counters where status <> 'ok'"))"
done_testing
