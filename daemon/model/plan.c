/* plan.c: a campaign expanded into the ordered list of runs (see plan.h). */
#include <stdlib.h>

#include "model/plan.h"
#include "base/util.h"

const char *corunner_name(enum corunner k)
{
	static const char *const names[] = { NULL, "bandwidth", "cache", "cpu" };

	return (unsigned)k < ARRAY_SIZE(names) ? names[k] : NULL;
}

int plan_build(const struct campaign *c, int ncores, struct plan *ret)
{
	size_t n = (size_t)c->repetitions * c->nworkloads * c->nworkers, k = 0;

	/* room for the interference runs too */
	ret->runs = xcalloc(n * CORUN_KINDS, sizeof(*ret->runs));
	for (int rep = 1; rep <= c->repetitions; rep++)
		for (size_t w = 0; w < c->nworkloads; w++)
			for (size_t i = 0; i < c->nworkers; i++) {
				struct plan_run *r = &ret->runs[k++];

				r->seq = (int)k;
				r->workload = w;
				r->n_workers = c->workers[i];
				r->repetition = rep;
			}
	for (int rep = 1; rep <= c->repetitions; rep++)
		for (size_t w = 0; w < c->nworkloads; w++)
			for (size_t i = 0; c->workloads[w].interference && i < c->nworkers; i++)
				for (int kind = CORUN_BANDWIDTH; kind <= CORUN_CPU && c->workers[i] < ncores; kind++) {
					struct plan_run *r = &ret->runs[k++];

					r->seq = (int)k;
					r->workload = w;
					r->n_workers = c->workers[i];
					r->repetition = rep;
					r->corunner = (enum corunner)kind;
				}
	ret->nruns = k;
	return 0;
}

size_t plan_count(const struct campaign *c, int ncores)
{
	size_t below = 0, per_rep = 0;

	for (size_t i = 0; i < c->nworkers; i++)
		below += c->workers[i] < ncores;
	for (size_t w = 0; w < c->nworkloads; w++)
		per_rep += c->nworkers + (c->workloads[w].interference ? (CORUN_KINDS - 1) * below : 0);
	return (size_t)c->repetitions * per_rep;
}

void plan_clear(struct plan *p)
{
	free(p->runs);
	p->runs = NULL;
	p->nruns = 0;
}
