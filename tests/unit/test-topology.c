/* test-topology.c: topology reading and worker placement, on machines of
 * other shapes given as hwloc synthetic topologies. */
#include <errno.h>
#include <stdlib.h>

#include "tap.h"
#include "host/topology.h"

static int cpu_of(const struct topology *t, int core)
{
	return topology_core(t, core)->cpus[0];
}

static void two_sockets_smt(void)
{
	struct topology *t;
	int slots[16];

	/* 2 sockets, one L3 each, 4 cores per L3, 2 threads per core */
	is_int(topology_new_synthetic("pack:2 l3:1 core:4 pu:2", &t), 0, "synthetic 2x4x2 loads");
	is_int(topology_sockets(t), 2, "2 sockets");
	is_int(topology_l3_domains(t), 2, "2 L3 domains");
	is_int(topology_cores(t), 8, "8 physical cores");
	is_int(topology_threads(t), 16, "16 hardware threads");
	is_int(topology_core(t, 0)->ncpus, 2, "each core has 2 threads");
	is_int(topology_core(t, 1)->cpus[0], 2, "core 1's first thread is PU 2: siblings 0,1 belong to core 0");

	is_int(topology_place(t, PLACE_COMPACT, 4, 0, slots), 0, "compact places 4");
	ok(topology_core(t, slots[0])->socket == 0 && topology_core(t, slots[3])->socket == 0,
	   "compact: 4 workers fill socket 0 first");
	is_int(cpu_of(t, slots[1]), 2, "compact: slot 2 gets the next core, not core 0's sibling");

	is_int(topology_place(t, PLACE_SPREAD, 4, 0, slots), 0, "spread places 4");
	is_int(topology_core(t, slots[0])->socket, 0, "spread: slot 1 on socket 0");
	is_int(topology_core(t, slots[1])->socket, 1, "spread: slot 2 on socket 1");
	is_int(topology_core(t, slots[2])->socket, 0, "spread: slot 3 back on socket 0");
	ok(slots[0] != slots[2] && slots[1] != slots[3], "spread: no core used twice");

	is_int(topology_place(t, PLACE_COMPACT, 9, 0, slots), -E2BIG, "9 workers on 8 cores refused");
	is_int(topology_place(t, PLACE_COMPACT, 9, 1, slots), 0, "9 workers allowed with oversubscribe");
	is_int(slots[8], slots[0], "oversubscribed slot 9 wraps to slot 1's core");
	topology_free(t);
}

static void l3_domains_in_one_socket(void)
{
	struct topology *t;
	int slots[4];

	/* one socket with two L3 domains (like AMD CCXs), 2 cores each */
	is_int(topology_new_synthetic("pack:1 l3:2 core:2 pu:1", &t), 0, "synthetic 1x2x2 loads");
	is_int(topology_place(t, PLACE_SPREAD, 4, 0, slots), 0, "spread places 4");
	ok(topology_core(t, slots[0])->l3 != topology_core(t, slots[1])->l3,
	   "spread: slots 1 and 2 on different L3 domains");
	is_int(topology_place(t, PLACE_COMPACT, 2, 0, slots), 0, "compact places 2");
	is_int(topology_core(t, slots[0])->l3, topology_core(t, slots[1])->l3,
	       "compact: slots 1 and 2 share an L3 domain");
	topology_free(t);
}

static void host_and_bad_input(void)
{
	struct topology *t;

	unsetenv("SCALPROF_TOPOLOGY");
	is_int(topology_new(&t), 0, "the host's topology loads");
	ok(topology_cores(t) >= 1 && topology_threads(t) >= topology_cores(t), "host has cores and threads");
	topology_free(t);
	setenv("SCALPROF_TOPOLOGY", "synthetic:pack:4 core:2 pu:1", 1);
	is_int(topology_new(&t), 0, "SCALPROF_TOPOLOGY selects a synthetic topology");
	is_int(topology_cores(t), 8, "it has 8 cores");
	topology_free(t);
	ok(topology_new_synthetic("nonsense:3", &t) < 0, "a bad synthetic description is an error");
	ok(topology_new_xml("/nonexistent.xml", &t) < 0, "a missing XML file is an error");
	unsetenv("SCALPROF_TOPOLOGY");
}

int main(void)
{
	two_sockets_smt();
	l3_domains_in_one_socket();
	host_and_bad_input();
	return done_testing();
}
