/* topology.c: the machine's shape from hwloc and the placement of worker
 * slots on physical cores. hwloc is asked once; the result is copied into
 * plain arrays so placement is simple, testable code over them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hwloc.h>

#include "host/topology.h"
#include "base/util.h"

struct topology {
	int nsockets, nl3, ncores, nthreads;
	int nnuma;          /* NUMA nodes with memory (1 when hwloc shows none) */
	uint64_t numa_mask; /* their OS indexes below 64, a bit each */
	uint64_t l3_bytes;
	struct topo_core *cores;
	int *cpu_pool; /* backing store of every core's cpus[] */
	char *source;
};

void topology_free(struct topology *topo)
{
	if (!topo)
		return;
	free(topo->cores);
	free(topo->cpu_pool);
	free(topo->source);
	free(topo);
}

/* The NUMA nodes that hold memory: the domains a memory policy can
 * interleave over. A machine hwloc shows without any is one node, 0. */
static void topology_numa(hwloc_topology_t h, struct topology *topo)
{
	hwloc_obj_t node = NULL;

	while ((node = hwloc_get_next_obj_by_type(h, HWLOC_OBJ_NUMANODE, node)))
		if (node->os_index < 64 && (!node->attr || node->attr->numanode.local_memory > 0 ||
					    hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_NUMANODE) == 1)) {
			topo->numa_mask |= UINT64_C(1) << node->os_index;
			topo->nnuma++;
		}
	if (!topo->nnuma) {
		topo->nnuma = 1;
		topo->numa_mask = 1;
	}
}

/* Copies what placement and reports need out of a loaded hwloc topology. */
static int topology_from_hwloc(hwloc_topology_t h, const char *source, struct topology **ret_topo)
{
	hwloc_obj_type_t core_type = HWLOC_OBJ_CORE;
	struct topology *topo;
	int n, k = 0;

	if (hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_CORE) <= 0)
		core_type = HWLOC_OBJ_PU; /* no core level: each PU is a core */
	n = hwloc_get_nbobjs_by_type(h, core_type);
	if (n <= 0)
		return -ENODEV;

	topo = xcalloc(1, sizeof(*topo));
	topo->ncores = n;
	topo->nthreads = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_PU);
	topo->nsockets = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_PACKAGE);
	if (topo->nsockets <= 0)
		topo->nsockets = 1;
	topo->nl3 = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_L3CACHE);
	if (topo->nl3 < 0)
		topo->nl3 = 0;
	topology_numa(h, topo);
	topo->cores = xcalloc((size_t)n, sizeof(*topo->cores));
	topo->cpu_pool = xcalloc((size_t)topo->nthreads, sizeof(int));
	topo->source = xstrdup(source);

	for (int i = 0; i < n; i++) {
		hwloc_obj_t core = hwloc_get_obj_by_type(h, core_type, (unsigned)i);
		hwloc_obj_t pkg = hwloc_get_ancestor_obj_by_type(h, HWLOC_OBJ_PACKAGE, core);
		hwloc_obj_t l3 = hwloc_get_ancestor_obj_by_type(h, HWLOC_OBJ_L3CACHE, core);
		hwloc_obj_t pu = NULL;
		struct topo_core *c = &topo->cores[i];

		c->index = i;
		c->socket = pkg ? (int)pkg->logical_index : 0;
		c->l3 = l3 ? (int)l3->logical_index : -1;
		if (l3 && l3->attr && !topo->l3_bytes)
			topo->l3_bytes = l3->attr->cache.size;
		c->cpus = &topo->cpu_pool[k];
		while ((pu = hwloc_get_next_obj_inside_cpuset_by_type(h, core->cpuset, HWLOC_OBJ_PU, pu)) &&
		       k < topo->nthreads) {
			topo->cpu_pool[k++] = (int)pu->os_index;
			c->ncpus++;
		}
		if (c->ncpus == 0) {
			topology_free(topo);
			return -ENODEV;
		}
	}
	*ret_topo = topo;
	return 0;
}

enum topo_input { TOPO_HOST, TOPO_SYNTHETIC, TOPO_XML };

static int topology_load(enum topo_input kind, const char *arg, struct topology **ret_topo)
{
	hwloc_topology_t h;
	int r;

	if (hwloc_topology_init(&h) < 0)
		return -errno;
	r = 0;
	if (kind == TOPO_SYNTHETIC && hwloc_topology_set_synthetic(h, arg) < 0)
		r = -EINVAL;
	else if (kind == TOPO_XML && hwloc_topology_set_xml(h, arg) < 0)
		r = errno ? -errno : -EINVAL;
	if (r == 0 && hwloc_topology_load(h) < 0)
		r = -errno;
	if (r == 0) {
		char *src = kind == TOPO_HOST ? xstrdup("host")
			  : kind == TOPO_SYNTHETIC ? xasprintf("synthetic:%s", arg)
			  : xstrdup(arg);

		r = topology_from_hwloc(h, src, ret_topo);
		free(src);
	}
	hwloc_topology_destroy(h);
	return r;
}

int topology_new_synthetic(const char *desc, struct topology **ret_topo)
{
	return topology_load(TOPO_SYNTHETIC, desc, ret_topo);
}

int topology_new_xml(const char *path, struct topology **ret_topo)
{
	return topology_load(TOPO_XML, path, ret_topo);
}

int topology_new(struct topology **ret_topo)
{
	const char *env = getenv("SCALPROF_TOPOLOGY");

	if (env && *env) {
		if (strncmp(env, "synthetic:", 10) == 0)
			return topology_new_synthetic(env + 10, ret_topo);
		return topology_new_xml(env, ret_topo);
	}
	return topology_load(TOPO_HOST, NULL, ret_topo);
}

int topology_sockets(const struct topology *topo) { return topo->nsockets; }
int topology_l3_domains(const struct topology *topo) { return topo->nl3; }
int topology_numa_nodes(const struct topology *topo, uint64_t *ret_mask)
{
	if (ret_mask)
		*ret_mask = topo->numa_mask;
	return topo->nnuma;
}
int topology_cores(const struct topology *topo) { return topo->ncores; }
int topology_threads(const struct topology *topo) { return topo->nthreads; }
uint64_t topology_l3_bytes(const struct topology *topo) { return topo->l3_bytes; }
const char *topology_source(const struct topology *topo) { return topo->source; }

const struct topo_core *topology_core(const struct topology *topo, int i)
{
	return i >= 0 && i < topo->ncores ? &topo->cores[i] : NULL;
}

/* Spread order: round robin over sockets; within a socket, round robin over
 * its L3 domains; within a domain, cores in hwloc order. */
static void spread_order(const struct topology *topo, int *order)
{
	int ns = topo->nsockets, nd = topo->nl3 > 0 ? topo->nl3 : 1;
	int *taken = xcalloc((size_t)topo->ncores, sizeof(int));
	int *next_dom = xcalloc((size_t)ns, sizeof(int)); /* per socket: rotating domain */
	int placed = 0;

	while (placed < topo->ncores) {
		for (int s = 0; s < ns && placed < topo->ncores; s++) {
			/* try each domain once, starting at this socket's rotation */
			for (int tries = 0; tries < nd; tries++) {
				int d = (next_dom[s] + tries) % nd;
				int found = -1;

				for (int i = 0; i < topo->ncores; i++) {
					const struct topo_core *c = &topo->cores[i];
					int cd = c->l3 < 0 ? 0 : c->l3;

					if (!taken[i] && c->socket == s && cd == d) {
						found = i;
						break;
					}
				}
				if (found >= 0) {
					taken[found] = 1;
					order[placed++] = found;
					next_dom[s] = (d + 1) % nd;
					break;
				}
			}
		}
		/* a socket index with no cores (odd XML) must not stall the loop */
		for (int i = 0; i < topo->ncores && placed < topo->ncores; i++)
			if (!taken[i] && topo->cores[i].socket >= ns) {
				taken[i] = 1;
				order[placed++] = i;
			}
	}
	free(taken);
	free(next_dom);
}

int topology_place(const struct topology *topo, enum placement how, int n,
		   int oversubscribe, int *ret_cores)
{
	int *order;

	if (n <= 0)
		return -EINVAL;
	if (n > topo->ncores && !oversubscribe)
		return -E2BIG;
	order = xcalloc((size_t)topo->ncores, sizeof(int));
	if (how == PLACE_SPREAD) {
		spread_order(topo, order);
	} else {
		/* hwloc's logical order already walks socket by socket and
		 * L3 by L3, which is exactly compact. */
		for (int i = 0; i < topo->ncores; i++)
			order[i] = i;
	}
	for (int i = 0; i < n; i++)
		ret_cores[i] = order[i % topo->ncores];
	free(order);
	return 0;
}
