/* variant.h: the changes a campaign can make to how its workloads run,
 * from outside the program, to test a cause by removing it: environment
 * (the C library's malloc thresholds), transparent huge pages, placement of
 * the workers, memory policy, and the amount of work. A variant's runs are
 * made beside the baseline's, at the same worker counts, interleaved with
 * them (plan.c), and compared with them component by component
 * (analysis/intervene.c). See scalprof.yaml(5), VARIANTS. */
#ifndef SCALPROF_VARIANT_H
#define SCALPROF_VARIANT_H

#include <stddef.h>

#include <cyaml/cyaml.h>

#include "host/topology.h"

/* thp: never is prctl(PR_SET_THP_DISABLE) before exec; inherit leaves the
 * machine's setting (/sys/kernel/mm/transparent_hugepage/enabled). */
enum variant_thp { VTHP_INHERIT, VTHP_NEVER };
/* memory: interleave is set_mempolicy(MPOL_INTERLEAVE) over every node
 * with memory; local is MPOL_LOCAL; inherit leaves the default. */
enum variant_memory { VMEM_INHERIT, VMEM_LOCAL, VMEM_INTERLEAVE };

#define VARIANT_MAX 16          /* variants in one campaign */
#define VARIANT_NAME_MAX 40

struct variant {
	const char *name;
	char **env;              /* "KEY=VALUE", over the workload's own */
	size_t env_count;
	enum variant_thp thp;
	enum variant_memory memory;
	int placement;           /* enum placement; -1: the campaign's */
	double scale;            /* multiplies the campaign's scale; 1: unchanged */
	char **workloads;        /* the workloads it applies to; NULL: every one */
	size_t nworkloads;
	const char *tests;       /* for a variant confirm chose: the component it tests */
};

/* As libcyaml loads one entry of `variants:` (section 1 of campaign.c). */
struct raw_variant {
	char *name;
	char **env;
	unsigned env_count;
	int thp;
	int memory;
	int placement;
	char **workloads;
	unsigned workloads_count;
};

extern const cyaml_schema_value_t variant_entry_schema;
#define VARIANT_KEYS "name, env, thp, memory, placement, scale, workloads"

/* Whether variant v applies to the workload named name. */
int variant_applies(const struct variant *v, const char *name);

/* "env MALLOC_MMAP_THRESHOLD_=1073741824 ...; thp never; memory interleave;
 * placement spread; scale 0.5": what v changes, in words, into buf;
 * snprintf's return. */
int variant_describe(const struct variant *v, char *buf, size_t len);

/* The variants confirm can choose (daemon/analysis/intervene.c picks among
 * them by the component they test): a NULL-named end. */
const struct variant *variant_interventions(void);

/* The name of e.g. VMEM_INTERLEAVE ("interleave") */
const char *variant_thp_name(enum variant_thp t);
const char *variant_memory_name(enum variant_memory m);

#endif
