/* profevidence.c: the profiles as evidence for the verdict (see
 * profevidence.h). Every profiled run of the workload at 1 worker and at
 * the verdict's n is read; a function's growth is the mean of its cost
 * per unit of work at n minus the mean at 1, with Welch's interval over
 * the repetitions, and its share is of its component's growth in the
 * profile. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/profevidence.h"
#include "analysis/profview.h"
#include "store/profiles.h"
#include "base/util.h"

/* Adds the workload's runs at 1 and at n to c; returns how many on each
 * side through ret, or -EIO. */
static int add_runs(struct store *st, struct pcosts *c, const struct pinfo *runs, size_t nruns,
		    const char *workload, int n, size_t ret[2])
{
	ret[0] = ret[1] = 0;
	for (size_t i = 0; i < nruns; i++) {
		const struct pinfo *p = &runs[i];
		int side = p->n_workers == 1 ? 0 : p->n_workers == n ? 1 : -1;
		struct pstack *s;
		size_t ns;

		if (side < 0 || strcmp(p->workload, workload) != 0)
			continue;
		if (store_profile_stacks(st, p->run_id, 1, &s, &ns) < 0)
			return -1;
		pcosts_add(c, side, p, s, ns);
		pstacks_free(s, ns);
		ret[side]++;
	}
	return 0;
}

/* The line and the details of one verdict from its growths g (sorted by
 * component, then growth): the line names each component's top function
 * ("extra kernel CPU 61% in clear_page_erms"), the details every one. */
static void describe(struct verdict *v, const struct pgrowth *g, size_t ng, const size_t runs[2])
{
	char *d = xasprintf("  profile, 1 -> %d workers: the functions whose cost per unit of work grew most\n"
			    "    (core-seconds per unit; mean over %zu runs at 1 and %zu at %d, [95%% interval])\n",
			    v->n, runs[0], runs[1], v->n);
	size_t used = 0;
	int last = -1;

	v->profile_line[0] = '\0';
	for (size_t i = 0; i < ng; i++) {
		char share[32] = "", iv[48] = "[too few runs]", *more;

		if (!isnan(g[i].share))
			snprintf(share, sizeof(share), "%.0f%% in ", 100 * g[i].share);
		if (!isnan(g[i].half))
			snprintf(iv, sizeof(iv), "[+-%.4f]", g[i].half);
		if ((int)g[i].comp != last && used < sizeof(v->profile_line)) {
			used += (size_t)snprintf(v->profile_line + used, sizeof(v->profile_line) - used, "%s%s %s%s",
						 last < 0 ? "" : "; ", pcomp_name(g[i].comp), share, g[i].label);
			last = (int)g[i].comp;
		}
		more = xasprintf("%s    %-19s +%.4f %-16s %s%s (%.4f at 1, %.4f at %d)\n", d, pcomp_name(g[i].comp),
				 g[i].growth, iv, share, g[i].label, g[i].at1, g[i].atn, v->n);
		free(d);
		d = more;
	}
	free(v->profile_detail);
	v->profile_detail = ng ? d : NULL;
	if (!ng)
		free(d);
}

/* Adds "; profile: ..." to the reason, with as many whole components of
 * the line as fit: a component cut in the middle would misquote it. */
static void quote(struct verdict *v)
{
	size_t used = strlen(v->reason), room = sizeof(v->reason) - used, keep = strlen(v->profile_line);
	const char *prefix = "; profile: ";

	while (keep && strlen(prefix) + keep >= room) {
		const char *cut = NULL;

		for (const char *c = v->profile_line; (c = strstr(c, "; ")) && (size_t)(c - v->profile_line) < keep; c++)
			cut = c;
		keep = cut ? (size_t)(cut - v->profile_line) : 0;
	}
	if (keep)
		snprintf(v->reason + used, room, "%s%.*s", prefix, (int)keep, v->profile_line);
}

int profile_evidence(struct store *st, int64_t cid, struct verdict *v, size_t nv)
{
	struct pinfo *runs = NULL;
	size_t nruns = 0;
	int r = store_profile_runs(st, cid, &runs, &nruns);

	for (size_t i = 0; r == 0 && nruns && i < nv; i++) {
		struct pcosts *c;
		struct pgrowth *g;
		size_t ng, side[2];

		if (v[i].n <= 1)
			continue;
		c = pcosts_new();
		r = add_runs(st, c, runs, nruns, v[i].workload, v[i].n, side);
		if (r == 0 && side[0] && side[1]) {
			pgrowth_build(c, PROFILE_TOP, &g, &ng);
			describe(&v[i], g, ng, side);
			if (v[i].profile_line[0])
				quote(&v[i]);
			pgrowth_free(g, ng);
		}
		pcosts_free(c);
	}
	for (size_t i = 0; i < nruns; i++)
		pinfo_clear(&runs[i]);
	free(runs);
	return r < 0 ? -EIO : 0;
}
