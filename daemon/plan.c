/* plan.c: a campaign expanded into the ordered list of runs (see plan.h). */
#include <stdlib.h>

#include "plan.h"
#include "util.h"

int plan_build(const struct campaign *c, struct plan *ret)
{
	size_t n = (size_t)c->repetitions * c->nworkloads * c->nworkers, k = 0;

	ret->runs = xcalloc(n, sizeof(*ret->runs));
	for (int rep = 1; rep <= c->repetitions; rep++)
		for (size_t w = 0; w < c->nworkloads; w++)
			for (size_t i = 0; i < c->nworkers; i++) {
				struct plan_run *r = &ret->runs[k++];

				r->seq = (int)k;
				r->workload = w;
				r->n_workers = c->workers[i];
				r->repetition = rep;
			}
	ret->nruns = n;
	return 0;
}

void plan_clear(struct plan *p)
{
	free(p->runs);
	p->runs = NULL;
	p->nruns = 0;
}
