/* plan.h: a campaign expanded into the ordered list of runs to perform. */
#ifndef SCALPROF_PLAN_H
#define SCALPROF_PLAN_H

#include <stddef.h>

#include "campaign.h"

struct plan_run {
	int seq;         /* 1..nruns */
	size_t workload; /* index into campaign->workloads */
	int n_workers;
	int repetition;  /* 1..repetitions */
};

struct plan {
	struct plan_run *runs;
	size_t nruns;
};

/* Repetitions outermost, so slow drift of the machine (thermal, other
 * tenants) spreads over every workload and worker count instead of biasing
 * the last ones. Returns 0 and fills *ret (plan_clear it); does not fail
 * except by aborting on out-of-memory. */
int plan_build(const struct campaign *c, struct plan *ret);
void plan_clear(struct plan *p);

#endif
