#!/bin/bash
# t0970-interference: interference: true runs each worker count below the
# physical cores again beside a bandwidth co-runner, a cache co-runner and a
# CPU-only co-runner on the free cores. stream must come out more
# bandwidth-sensitive than busy: its time beside the bandwidth co-runner,
# over its time beside the CPU co-runner in the same repetition, is higher;
# and busy must be no slower beside the bandwidth co-runner than beside the
# CPU one. Medians of 5 repetitions. On a 2-core guest two cores cannot
# saturate the host's memory, so stream's slowdown is modest (1.06-2.1 over
# a dozen runs of this test, busy's 1.00-1.05) and the host's own noise is
# of the same order; the co-runner's kept rate is printed, not asserted,
# because on this shared host it moved by as much as it measures.
. "$(dirname "$0")/lib/test-lib.sh"

require cores 2
ncores=$(physical_cores)
cat >c.yaml <<'YAML'
name: t0970
workers: [1]
repetitions: 5
events: [sched]
interference: true
workloads:
  - name: stream
    builtin: stream
    args: [ntimes=10]
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
is "$(q "select count(*) from runs where corunner is null")" 15 "ordinary runs: 3 workloads x 5"
is "$(q "select count(*) from runs where corunner is not null")" 30 "co-runs: 2 workloads x 3 co-runners x 5"
is "$(q "select count(*) from interference")" 30 "an interference row per co-run"
is "$(q "select count(*) from interference where slowdown > 0 and rate_alone > 0 and rate_beside > 0
	and n_corunners = $ncores - 1")" 30 "each with slowdown and the co-runner's rates alone and beside"
is "$(q "select count(*) from interference where corunner = 'cache' and cache_ns_alone > 0 and hog_bytes > 0")" 10 \
	"the cache co-runner says how fast its set was (did it stay in cache?)"
is "$(q "select count(*) from scaling")" 3 "co-runs are not part of the scaling view"
median() { q "select $3 from interference i join runs r on r.id = i.run_id where r.workload = '$1'
	and i.corunner = '$2' order by $3 limit 1 offset 2"; }
for w in stream busy; do
	for k in bandwidth cpu; do eval "${w}_$k=$(median $w $k slowdown)"; done
	eval "${w}_kept=$(median $w bandwidth 'rate_beside / rate_alone')"
done
echo "# median slowdown: stream beside bandwidth $stream_bandwidth, beside cpu $stream_cpu;" \
	"busy beside bandwidth $busy_bandwidth, beside cpu $busy_cpu"
echo "# the bandwidth co-runner kept $stream_kept of its rate beside stream, $busy_kept beside busy"
# beside the bandwidth co-runner against beside the CPU one (the control),
# run for run: both co-runs of a repetition come one after the other, so
# the host's drift, which moves the workload's time alone, cancels
paired() { q "select b.wall_ns * 1.0 / c.wall_ns from runs b join runs c on c.campaign_id = b.campaign_id
	and c.workload = b.workload and c.repetition = b.repetition and c.corunner = 'cpu'
	where b.workload = '$1' and b.corunner = 'bandwidth' and b.status = 'ok' and c.status = 'ok'
	order by 1 limit 1 offset 2"; }
stream_pair=$(paired stream)
busy_pair=$(paired busy)
echo "# median wall beside bandwidth / beside cpu, same repetition: stream $stream_pair, busy $busy_pair"
# The host's noise: the spread of each workload's own bandwidth/CPU pairs
# over the repetitions, summed, because the test compares two medians and
# each carries its own noise (busy's alone was too narrow: once, under
# AddressSanitizer, whose checks make stream's loop less memory-bound,
# stream's median fell below busy's by more than busy's spread). stream
# must not come out less sensitive than busy beyond that noise (that
# fails); clearly more sensitive passes; within the noise the machine
# cannot tell, and the test says so rather than flake.
spread() { q "select max(p) - min(p) from (select b.wall_ns * 1.0 / c.wall_ns p from runs b join runs c
	on c.campaign_id = b.campaign_id and c.workload = b.workload and c.repetition = b.repetition and c.corunner = 'cpu'
	where b.workload = '$1' and b.corunner = 'bandwidth' and b.status = 'ok' and c.status = 'ok')"; }
noise=$(awk "BEGIN { print $(spread busy) + $(spread stream) }")
echo "# noise (spread of busy's pairs plus stream's): $noise"
if awk "BEGIN { exit !($stream_pair > $busy_pair + $noise) }"; then
	ok true "stream slows down beside the bandwidth co-runner, against the CPU one, more than busy does"
elif awk "BEGIN { exit !($stream_pair < $busy_pair - $noise) }"; then
	ok false "stream slows down beside the bandwidth co-runner less than busy does, beyond the noise"
else
	skip "inconclusive on this host: stream $stream_pair against busy $busy_pair, noise $noise"
fi
# busy, run for run: beside the bandwidth co-runner no slower than beside
# the CPU one, within 10% and busy's own spread of pairs (medians of the
# two slowdowns taken apart failed once on a host whose other load took 70%
# of the reserved cores: 1.86 against 1.48, the drift between co-runs)
busy_noise=$(spread busy)
ok "awk 'BEGIN { exit !($busy_pair < 1.1 + $busy_noise) }'" \
	"busy is no slower beside it than beside the CPU co-runner (pairs' median $busy_pair, spread $busy_noise)"
like "$out" "slow:bw +slow:cache +slow:cpu" "the table shows the slowdowns"
run_sp report --db "$DB" --runs
like "$out" "stream +1 +1 +bandwidth +ok" "report --runs lists the co-runs"
done_testing
