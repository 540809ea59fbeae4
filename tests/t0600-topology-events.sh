#!/bin/bash
# t0600-topology-events: `scalprof topology` on this host and on other
# machines' shapes (hwloc synthetic topologies), and `scalprof events`:
# software events open, hardware events open where a PMU is exposed and are
# explained where not, unknown names get a suggestion.
. "$(dirname "$0")/lib/test-lib.sh"

run_sp topology
is "$rc" 0 "topology exits 0"
like "$out" "physical cores: $(lscpu -p=socket,core | grep -v '^#' | sort -u | wc -l) " "host: as many physical cores as lscpu"

SCALPROF_TOPOLOGY="synthetic:pack:2 l3:1 core:4 pu:2" run_sp topology
like "$out" "sockets: 2  L3 domains: 2 .* physical cores: 8  hardware threads: 16" "synthetic 2x4x2: counts"
like "$out" "   1       0   0  2,3" "core 1 lists its two threads"
spread=$(printf '%s\n' "$out" | sed -n '/slots (spread)/,$p' | awk 'NR>2 {print $4}' | head -4 | tr '\n' ' ')
is "$spread" "0 1 0 1 " "spread alternates sockets"
compact=$(printf '%s\n' "$out" | sed -n '/slots (compact)/,/^$/p' | awk 'NR>2 && NF {print $4}' | head -4 | tr '\n' ' ')
is "$compact" "0 0 0 0 " "compact fills socket 0 first"
SCALPROF_TOPOLOGY="synthetic:pack:2 l3:1 core:4 pu:2" run_sp topology --placement spread
ok "! printf '%s' \"\$out\" | grep -q 'slots (compact)'" "--placement shows only that placement"
ok "lstopo-no-graphics --input 'pack:1 l3:2 core:3 pu:1' --of xml >shape.xml 2>/dev/null ||
	lstopo --input 'pack:1 l3:2 core:3 pu:1' --of xml >shape.xml" "set-up: an hwloc XML file of another shape"
SCALPROF_TOPOLOGY=$TMP/shape.xml run_sp topology
like "$out" "L3 domains: 2 .* physical cores: 6" "an hwloc XML file is read"
SCALPROF_TOPOLOGY=/nonexistent.xml run_sp topology
is "$rc" 1 "an unreadable topology is a run-time error"
like "$err" "cannot read the machine's topology from SCALPROF_TOPOLOGY=/nonexistent.xml" "and says where it looked"

cat >big.yaml <<'YAML'
name: big
workers: "1..all"
workloads:
  - name: t
    command: ["true"]
YAML
SCALPROF_TOPOLOGY="synthetic:pack:4 core:16 pu:2" run_sp check big.yaml
like "$out" "1 workload x 64 worker counts x 3 repetitions = 192 runs" "all on a 64-core shape is 64"

run_sp events
is "$rc" 0 "events exits 0"
for e in task-clock context-switches cpu-migrations page-faults; do
	like "$out" "  $e +ok" "events: $e opens"
done
if have pmu; then
	like "$out" "  cycles +ok" "events: a PMU is exposed, cycles opens"
else
	like "$out" "  cycles +unsupported: no hardware PMU is exposed \(virtual machine\?\)" "events: no PMU, cycles explained"
	like "$out" "hardware PMU exposed by the kernel: no" "events: says no PMU is exposed"
fi
run_sp events task-clok
is "$rc" 2 "events with an unknown name: exit 2"
like "$out" "task-clok +unknown event: did you mean 'task-clock'\?" "with a suggestion"
done_testing
