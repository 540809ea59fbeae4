/* topology.h: the machine's shape from hwloc (sockets, L3 domains, physical
 * cores and their hardware threads) and where each worker slot is placed.
 *
 * The host layer (daemon/host/: topology, hostinfo, perf, events, mcpmu)
 * says what this machine is and can count: its shape, its identity, the
 * kernel's perf_event_open and what its errors mean, libpfm4's event
 * names, the memory-controller PMUs in sysfs. It knows nothing of
 * campaigns or the database; it uses only base/.
 */
#ifndef SCALPROF_TOPOLOGY_H
#define SCALPROF_TOPOLOGY_H

#include <stdint.h>

struct topology;

struct topo_core {
	int index;        /* hwloc logical index of the core */
	int socket;       /* logical index of its package */
	int l3;           /* logical index of its L3 domain, -1 if none */
	int ncpus;        /* hardware threads (PUs) of the core */
	const int *cpus;  /* their OS indexes; cpus[0] is the one a worker gets */
};

enum placement { PLACE_COMPACT, PLACE_SPREAD };

/* The running machine's topology, or, when SCALPROF_TOPOLOGY is set, the one
 * it names ("synthetic:DESC" for an hwloc synthetic description, otherwise an
 * hwloc XML file), so that other machines' shapes can be tested.
 * Returns 0 and *ret_topo (topology_free it) or -errno; does not log. */
int topology_new(struct topology **ret_topo);
int topology_new_synthetic(const char *desc, struct topology **ret_topo);
int topology_new_xml(const char *path, struct topology **ret_topo);
void topology_free(struct topology *topo);

int topology_sockets(const struct topology *topo);
int topology_l3_domains(const struct topology *topo);
/* NUMA nodes holding memory (at least 1), and their OS indexes below 64 as
 * bits of *ret_mask (NULL: not wanted): what memory: interleave spreads over. */
int topology_numa_nodes(const struct topology *topo, uint64_t *ret_mask);
int topology_cores(const struct topology *topo);
int topology_threads(const struct topology *topo);
uint64_t topology_l3_bytes(const struct topology *topo); /* one domain; 0 if none */
const struct topo_core *topology_core(const struct topology *topo, int i);
/* Where the topology came from: "host", "synthetic:...", or the XML path. */
const char *topology_source(const struct topology *topo);

/* The core index (into topology_core) of each worker slot 1..n, in
 * ret_cores[0..n-1]. compact fills one socket's cores (one L3 domain after
 * another) first; spread alternates sockets, then L3 domains within each.
 * Only the first hardware thread of a core is used, so its siblings stay
 * idle. More slots than cores wrap around when oversubscribe is set.
 * Returns 0, or -E2BIG when n exceeds the cores and oversubscribe is not set. */
int topology_place(const struct topology *topo, enum placement how, int n,
		   int oversubscribe, int *ret_cores);

#endif
