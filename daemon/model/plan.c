/* plan.c: a campaign expanded into the ordered list of runs (see plan.h). */
#include <stdlib.h>

#include "model/plan.h"
#include "base/util.h"

const char *corunner_name(enum corunner k)
{
	static const char *const names[] = { NULL, "bandwidth", "cache", "cpu" };

	return (unsigned)k < ARRAY_SIZE(names) ? names[k] : NULL;
}

/* The variants of workload w, in campaign order: 1 + their number of
 * runs for each ordinary one. */
static size_t variants_of(const struct campaign *c, size_t w)
{
	size_t n = 0;

	for (size_t v = 0; v < c->nvariants; v++)
		n += variant_applies(&c->variants[v], c->workloads[w].name);
	return n;
}

/* The bandit runs of repetition rep: workload w at each worker count below
 * ncores and each of its levels, from level (rep - 1) on, in turn. */
static size_t plan_bandit(const struct campaign *c, int ncores, int rep, size_t w, struct plan_run *runs, size_t k)
{
	const struct workload *wl = &c->workloads[w];

	for (size_t i = 0; i < c->nworkers; i++)
		for (int j = 0; j < wl->nbandit && c->workers[i] < ncores; j++) {
			struct plan_run *r = &runs[k++];

			r->seq = (int)k;
			r->workload = w;
			r->n_workers = c->workers[i];
			r->repetition = rep;
			r->corunner = CORUN_BANDWIDTH;
			r->bandit = 1;
			r->level = wl->bandit[(j + rep - 1) % wl->nbandit];
		}
	return k;
}

int plan_build(const struct campaign *c, int ncores, struct plan *ret)
{
	size_t k = 0;

	ret->runs = xcalloc(plan_count(c, ncores) + 1, sizeof(*ret->runs));
	for (int rep = 1; rep <= c->repetitions; rep++)
		for (size_t w = 0; w < c->nworkloads; w++)
			for (size_t i = 0; i < c->nworkers; i++)
				for (size_t v = 0; v <= c->nvariants; v++) {
					const struct variant *var = v ? &c->variants[v - 1] : NULL;
					struct plan_run *r;

					if (var && !variant_applies(var, c->workloads[w].name))
						continue;
					r = &ret->runs[k++];
					r->seq = (int)k;
					r->workload = w;
					r->n_workers = c->workers[i];
					r->repetition = rep;
					r->variant = var;
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
	for (int rep = 1; rep <= c->repetitions; rep++)
		for (size_t w = 0; w < c->nworkloads; w++)
			k = plan_bandit(c, ncores, rep, w, ret->runs, k);
	for (size_t i = 0; i < k; i++)
		if (!ret->runs[i].bandit)
			ret->runs[i].level = 1;
	ret->nruns = k;
	return 0;
}

size_t plan_count(const struct campaign *c, int ncores)
{
	size_t below = 0, per_rep = 0;

	for (size_t i = 0; i < c->nworkers; i++)
		below += c->workers[i] < ncores;
	for (size_t w = 0; w < c->nworkloads; w++)
		per_rep += c->nworkers * (1 + variants_of(c, w)) + (c->workloads[w].interference ? (CORUN_KINDS - 1) * below : 0) +
			   (size_t)c->workloads[w].nbandit * below;
	return (size_t)c->repetitions * per_rep;
}

void plan_clear(struct plan *p)
{
	free(p->runs);
	p->runs = NULL;
	p->nruns = 0;
}
