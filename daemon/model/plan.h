/* plan.h: a campaign expanded into the ordered list of runs to perform. */
#ifndef SCALPROF_PLAN_H
#define SCALPROF_PLAN_H

#include <stddef.h>

#include "model/campaign.h"

enum corunner { CORUN_NONE, CORUN_BANDWIDTH, CORUN_CACHE, CORUN_CPU };
#define CORUN_KINDS 4

/* "bandwidth", "cache", "cpu", or NULL for CORUN_NONE */
const char *corunner_name(enum corunner k);

struct plan_run {
	int seq;         /* 1..nruns */
	enum corunner corunner; /* interference runs: the co-runner beside it */
	size_t workload; /* index into campaign->workloads */
	int n_workers;
	int repetition;  /* 1..repetitions */
	const struct variant *variant; /* the change it runs under; NULL: the baseline */
	int bandit;      /* a graded-bandit run: corunner is CORUN_BANDWIDTH at level */
	double level;    /* the bandwidth co-runner's fraction of its full rate; 1 unless bandit */
};

struct plan {
	struct plan_run *runs;
	size_t nruns;
};

/* Repetitions outermost, so slow drift of the machine (thermal, other
 * tenants) spreads over every workload and worker count instead of biasing
 * the last ones. Each ordinary run is followed by the same run under each
 * of the campaign's variants that applies to its workload, so that drift
 * hits a variant and its baseline alike. Then, for workloads with interference, every worker count
 * below ncores again beside each co-runner (bandwidth, cache, cpu), after
 * all ordinary runs, so their medians exist to compare with.
 * Then, for workloads with bandit levels, every worker count below ncores
 * beside the bandwidth co-runner at each level, the levels of a
 * repetition in turn, each repetition starting one level further on (so
 * that drift within a repetition falls on every level alike).
 * Returns 0 and fills *ret (plan_clear it); does not fail except by
 * aborting on out-of-memory. */
int plan_build(const struct campaign *c, int ncores, struct plan *ret);
void plan_clear(struct plan *p);

/* How many runs plan_build would plan, without planning them (to refuse a
 * campaign too large before allocating its plan). */
size_t plan_count(const struct campaign *c, int ncores);

#endif
