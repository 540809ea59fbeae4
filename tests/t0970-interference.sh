#!/bin/bash
# t0970-interference: interference: true runs each worker count below the
# physical cores again beside a bandwidth co-runner, a cache co-runner and a
# CPU-only co-runner on the free cores. stream must come out clearly
# bandwidth-sensitive (its median slowdown beside the bandwidth co-runner
# well above that beside the CPU one) and busy must not. Medians of 3
# repetitions and a wide margin (1.3x) keep this from flaking.
. "$(dirname "$0")/lib/test-lib.sh"

ncores=$("$SCALPROF" topology | sed -n 's/.*physical cores: \([0-9]*\).*/\1/p')
[ "${ncores:-0}" -ge 2 ] || skip_all "needs 2 physical cores"
cat >c.yaml <<'YAML'
name: t0970
workers: [1]
repetitions: 3
events: [sched]
interference: true
workloads:
  - name: stream
    builtin: stream
    args: [ntimes=5]
  - name: busy
    builtin: busy
    args: [n=300M]
  - name: quiet
    builtin: sleep
    args: [seconds=0.05]
    interference: false
YAML
run_sp run --no-probe c.yaml --db "$DB" -q
is "$rc" 0 "run exits 0"
is "$(q "select count(*) from runs where corunner is null")" 9 "ordinary runs: 3 workloads x 3"
is "$(q "select count(*) from runs where corunner is not null")" 18 "co-runs: 2 workloads x 3 co-runners x 3"
is "$(q "select count(*) from interference")" 18 "an interference row per co-run"
is "$(q "select count(*) from interference where slowdown > 0 and rate_alone > 0 and rate_beside > 0
	and n_corunners = $ncores - 1")" 18 "each with slowdown and the co-runner's rates alone and beside"
is "$(q "select count(*) from interference where corunner = 'cache' and cache_ns_alone > 0 and hog_bytes > 0")" 6 \
	"the cache co-runner says how fast its set was (did it stay in cache?)"
is "$(q "select count(*) from scaling")" 3 "co-runs are not part of the scaling view"
median() { q "select slowdown from interference i join runs r on r.id = i.run_id where r.workload = '$1'
	and i.corunner = '$2' order by slowdown limit 1 offset 1"; }
for w in stream busy; do
	for k in bandwidth cpu; do eval "${w}_$k=$(median $w $k)"; done
done
echo "# median slowdown: stream beside bandwidth $stream_bandwidth, beside cpu $stream_cpu;" \
	"busy beside bandwidth $busy_bandwidth, beside cpu $busy_cpu"
ok "awk 'BEGIN { exit !($stream_bandwidth > 1.3 * $stream_cpu) }'" "stream is bandwidth-sensitive"
ok "awk 'BEGIN { exit !($busy_bandwidth < 1.3 * $busy_cpu) }'" "busy is not"
like "$out" "slow:bw +slow:cache +slow:cpu" "the table shows the slowdowns"
run_sp report --db "$DB" --runs
like "$out" "stream +1 +1 +bandwidth +ok" "report --runs lists the co-runs"
done_testing
