/* confirm.c: the interventions confirm: true runs (see confirm.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/intervene.h"
#include "analysis/report.h"
#include "base/util.h"
#include "engine/confirm.h"

#define CONFIRM_MAX_PER_WORKLOAD 4

/* The worker count above 1 at which v's efficiency was lowest, or 0. */
static int worst_n(const struct verdict *v)
{
	int n = 0;
	double worst = INFINITY;

	for (size_t i = 0; i < v->nstack; i++)
		if (v->stack[i].efficiency.mid < worst) {
			worst = v->stack[i].efficiency.mid;
			n = v->stack[i].n;
		}
	return n;
}

/* Whether the campaign defines a variant named name: its own meaning of
 * that name stands, and confirm does not run another under it. */
static int campaign_has(const struct campaign *c, const char *name)
{
	for (size_t i = 0; i < c->nvariants; i++)
		if (strcmp(c->variants[i].name, name) == 0)
			return 1;
	return 0;
}

static size_t workload_index(const struct campaign *c, const char *name)
{
	size_t w = 0;

	while (w < c->nworkloads && strcmp(c->workloads[w].name, name) != 0)
		w++;
	return w;
}

/* What confirm runs for one workload. */
struct pick {
	size_t workload;
	int n;
	const struct variant *v[CONFIRM_MAX_PER_WORKLOAD];
	size_t nv;
};

/* Chooses for verdict v; appends its line to *summary: the variants with
 * the component each tests, and what could not be tested and why.
 * Returns 1 when it chose something (p filled). */
static int choose(const struct campaign *c, const struct intervene_machine *m, const struct verdict *v,
		  struct pick *p, char **summary)
{
	const struct variant *all[8];
	char why[256], names[320] = "", *line;
	size_t n = intervene_choose(v, m, all, ARRAY_SIZE(all), why, sizeof(why)), k = 0;
	const char *last = NULL;

	p->workload = workload_index(c, v->workload);
	p->n = worst_n(v);
	p->nv = 0;
	if (!n && !why[0])
		return 0;
	if (p->workload == c->nworkloads || p->n < 2)
		return 0;
	for (size_t i = 0; i < n && p->nv < CONFIRM_MAX_PER_WORKLOAD; i++) {
		if (campaign_has(c, all[i]->name))
			continue;
		p->v[p->nv++] = all[i];
		/* "malloc-pinned, no-thp (extra kernel CPU), spread (...)" */
		if (last && strcmp(last, all[i]->tests) != 0)
			k += (size_t)snprintf(names + k, k < sizeof(names) ? sizeof(names) - k : 0, " (%s)",
					      stack_comp_label(stack_comp_from_name(last)));
		k += (size_t)snprintf(names + k, k < sizeof(names) ? sizeof(names) - k : 0, "%s%s", k ? ", " : "",
				      all[i]->name);
		last = all[i]->tests;
	}
	if (last)
		snprintf(names + k, k < sizeof(names) ? sizeof(names) - k : 0, " (%s)",
			 stack_comp_label(stack_comp_from_name(last)));
	if (p->nv)
		line = xasprintf("%s%s: %s at 1 and %d workers%s%s\n", *summary, v->workload, names, p->n,
				 why[0] ? "; not tested: " : "", why);
	else
		line = xasprintf("%s%s: nothing to run: %s\n", *summary, v->workload,
				 why[0] ? why : "the campaign's own variants test its causes");
	free(*summary);
	*summary = line;
	return p->nv > 0;
}

int confirm_plan(struct store *st, int64_t cid, const struct campaign *c, const struct topology *topo,
		 struct plan *ret, char **ret_summary)
{
	struct intervene_machine m = {
		.cores = topology_cores(topo), .sockets = topology_sockets(topo), .l3_domains = topology_l3_domains(topo),
		.numa_nodes = topology_numa_nodes(topo, NULL),
	};
	struct vinput *in;
	struct verdict *v;
	struct pick *picks;
	size_t n, np = 0, k = 0, cap = 0;
	int r = report_judge(st, cid, &in, &v, &n);

	memset(ret, 0, sizeof(*ret));
	*ret_summary = xstrdup("");
	if (r < 0) {
		verdicts_free(v, n);
		vinputs_free(in, n);
		return r;
	}
	picks = xcalloc(n ? n : 1, sizeof(*picks));
	for (size_t i = 0; i < n; i++)
		if (choose(c, &m, &v[i], &picks[np], ret_summary)) {
			cap += picks[np].nv * 2;
			np++;
		}
	ret->runs = xcalloc((size_t)c->repetitions * cap + 1, sizeof(*ret->runs));
	for (int rep = 1; rep <= c->repetitions; rep++)
		for (size_t i = 0; i < np; i++)
			for (size_t j = 0; j < picks[i].nv; j++)
				for (int at = 0; at < 2; at++) {
					struct plan_run *pr = &ret->runs[k++];

					pr->seq = (int)k;
					pr->workload = picks[i].workload;
					pr->n_workers = at ? picks[i].n : 1;
					pr->repetition = rep;
					pr->variant = picks[i].v[j];
				}
	ret->nruns = k;
	free(picks);
	verdicts_free(v, n);
	vinputs_free(in, n);
	return 0;
}
