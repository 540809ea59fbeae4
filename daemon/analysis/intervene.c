/* intervene.c: variants against the baseline, and the interventions that
 * test a cause (see intervene.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/intervene.h"
#include "analysis/stack.h"
#include "analysis/verdict.h"
#include "base/util.h"

/* Half the width of iv's interval; NAN when it has none. */
static double half_width(const struct interval *iv)
{
	return (iv->hi - iv->lo) / 2;
}

static const struct stack_point *point_at(const struct stack_point *pts, size_t n, int workers)
{
	for (size_t i = 0; i < n; i++)
		if (pts[i].n == workers)
			return &pts[i];
	return NULL;
}

/* The effects of variant vv: one per worker count above 1 at which both
 * it and the baseline have a stack. */
static void add_effects(struct verdict *v, const struct vvariant *vv)
{
	struct stack_point *pts = NULL;
	size_t np = 0;

	stack_build(vv->runs, vv->nruns, &pts, &np);
	for (size_t i = 0; i < np; i++) {
		const struct stack_point *b = point_at(v->stack, v->nstack, pts[i].n);
		struct variant_effect *e;

		if (!b)
			continue;
		v->effects = xreallocarray(v->effects, v->neffects + 1, sizeof(*v->effects));
		e = &v->effects[v->neffects++];
		memset(e, 0, sizeof(*e));
		e->variant = vv->name;
		e->n = pts[i].n;
		e->runs = pts[i].runs;
		e->runs1 = pts[i].runs1;
		e->eff_base = b->efficiency;
		e->eff = pts[i].efficiency;
		e->lost_base = b->lost;
		e->lost = pts[i].lost;
		for (int c = 0; c < SC_COUNT; c++) {
			e->base[c] = b->comp[c];
			e->comp[c] = pts[i].comp[c];
		}
	}
	free(pts);
}

size_t intervene_majors(const struct verdict *v, int ret[SC_COUNT])
{
	const struct stack_point *p = point_at(v->stack, v->nstack, v->n);
	int lead = intervene_leading(v);
	size_t n = 0;

	if (lead < 0)
		return 0;
	ret[n++] = lead;
	/* then the others at or above component_major, largest first */
	for (;;) {
		int best = -1;

		for (int c = SC_USER; c <= SC_IDLE; c++) {
			int taken = 0;

			for (size_t k = 0; k < n; k++)
				taken |= ret[k] == c;
			if (!taken && p->share[c] >= verdict_threshold("component_major") &&
			    (best < 0 || p->comp[c].mid > p->comp[best].mid))
				best = c;
		}
		if (best < 0)
			return n;
		ret[n++] = best;
	}
}

int intervene_leading(const struct verdict *v)
{
	const struct stack_point *p = point_at(v->stack, v->nstack, v->n);
	int best = -1;

	if (!p || !(p->lost.mid > 0))
		return -1;
	for (int c = SC_USER; c <= SC_IDLE; c++)
		if (p->comp[c].mid > 0 && (best < 0 || p->comp[c].mid > p->comp[best].mid))
			best = c;
	return best;
}

/* What the leading component is, in the verdict's words. */
static const char *cause_words(int c)
{
	switch (c) {
	case SC_KERNEL: return "page faults and other kernel work (extra kernel CPU)";
	case SC_USER: return "contention or extra work in user space (extra user CPU)";
	case SC_WAITING: return "waiting for a core";
	default: return "idle cores (serialization, a serial phase or blocking)";
	}
}

/* a - b beyond the noise of both: the difference less the quadrature of
 * their half-widths; NAN without intervals */
static double clear_drop(const struct interval *a, const struct interval *b)
{
	return a->mid - b->mid - sqrt(pow(half_width(a), 2) + pow(half_width(b), 2));
}

/* How much of component c effect e removed, and whether that confirms it:
 * 1 when it removed at least INTERVENE_REMOVED_MIN of it beyond the noise
 * and the lost time fell beyond the noise too (a cost moved into another
 * component, or a variant that slows everything, removes no cause); 0 not;
 * -1 unknown (too few runs for an interval). */
static int removes(const struct variant_effect *e, int c, double *ret_share)
{
	double base = e->base[c].mid, drop = clear_drop(&e->base[c], &e->comp[c]);
	double lost_drop = clear_drop(&e->lost_base, &e->lost);

	*ret_share = base > 0 ? (base - e->comp[c].mid) / base : NAN;
	if (isnan(drop) || isnan(lost_drop))
		return -1;
	return drop > 0 && lost_drop > 0 && *ret_share >= INTERVENE_REMOVED_MIN;
}

/* Effect i of v when it is at the worker count judged, else NULL. */
static const struct variant_effect *effect_at(const struct verdict *v, size_t i)
{
	return v->effects[i].n == v->n ? &v->effects[i] : NULL;
}

/* iv's bounds as "[0.010, 0.030]" with prec decimals, or "[too few runs]"
 * (fewer than 2 runs on a side: no interval), as the stack writes them. */
static const char *iv_text(const struct interval *iv, int prec, char *buf, size_t len)
{
	if (isnan(iv->lo) || isnan(iv->hi))
		snprintf(buf, len, "[too few runs]");
	else
		snprintf(buf, len, "[%.*f, %.*f]", prec, iv->lo, prec, iv->hi);
	return buf;
}

/* "malloc-pinned 0.41 -> 0.02 [0.01, 0.03]" appended to buf at *k. */
static void put_change(char *buf, size_t len, size_t *k, const struct variant_effect *e, int c)
{
	char iv[64];

	*k += (size_t)snprintf(buf + *k, *k < len ? len - *k : 0, "%s%s %.3f -> %.3f %s",
			       *k && buf[*k - 1] != ' ' ? ", " : "", e->variant, e->base[c].mid, e->comp[c].mid,
			       iv_text(&e->comp[c], 3, iv, sizeof(iv)));
	if (*k > len)
		*k = len;
}

/* The variant at v->n that removes most of component c beyond the noise,
 * and the share it removes; NULL when none does. Counts in *tested the
 * variants that ran at v->n. */
static const struct variant_effect *best_removal(const struct verdict *v, int c, double *ret_share, int *tested)
{
	const struct variant_effect *best = NULL;
	double share;
	int r;

	*tested = 0;
	*ret_share = -INFINITY;
	for (size_t i = 0; i < v->neffects; i++) {
		const struct variant_effect *e = effect_at(v, i);

		if (!e)
			continue;
		r = removes(e, c, &share);
		/* without an interval (fewer than 2 runs on a side) a variant
		 * tests nothing */
		*tested += r >= 0;
		if (r == 1 && share > *ret_share) {
			best = e;
			*ret_share = share;
		}
	}
	return best;
}

/* The conclusion over the major components cs (largest first): confirmed
 * by the first a variant removes, else not confirmed, with each variant's
 * figures for the largest. */
static void judge_majors(struct verdict *v, const int *cs, size_t ncs)
{
	size_t k, len = sizeof(v->intervention_line);
	double share;
	int tested = 0;

	for (size_t j = 0; j < ncs; j++) {
		int c = cs[j];
		const struct variant_effect *best = best_removal(v, c, &share, &tested);

		if (!tested)
			return;
		if (!best)
			continue;
		v->intervention = IV_CONFIRMED;
		snprintf(v->intervention_line, len,
			 "%s confirmed as the cause by intervention: %s removed %.0f%% of the %s at %d workers "
			 "(%.3f -> %.3f [%.3f, %.3f] core-s per unit of work); efficiency %.2f -> %.2f [%.2f, %.2f]",
			 cause_words(c), best->variant, 100 * share, stack_comp_label(c), v->n, best->base[c].mid,
			 best->comp[c].mid, best->comp[c].lo, best->comp[c].hi, best->eff_base.mid, best->eff.mid,
			 best->eff.lo, best->eff.hi);
		return;
	}
	v->intervention = IV_NOT_CONFIRMED;
	k = (size_t)snprintf(v->intervention_line, len,
			     "%s not confirmed by intervention: no variant both removed half of the %s at %d "
			     "workers and lowered the lost time, beyond the noise (core-s per unit of work): ",
			     cause_words(cs[0]), stack_comp_label(cs[0]), v->n);
	if (k > len)
		k = len;
	for (size_t i = 0; i < v->neffects; i++)
		if (effect_at(v, i))
			put_change(v->intervention_line, len, &k, &v->effects[i], cs[0]);
}

/* The YAML that would test component c. */
static const char *snippet_for(int c)
{
	switch (c) {
	case SC_KERNEL:
		return "variants:\n"
		       "  - name: malloc-pinned\n"
		       "    env: [MALLOC_MMAP_THRESHOLD_=1073741824, MALLOC_TRIM_THRESHOLD_=1073741824, "
		       "MALLOC_TOP_PAD_=268435456]\n"
		       "  - name: no-thp\n"
		       "    thp: never\n"
		       "# or instead: confirm: true";
	case SC_USER:
		return "interference: true\n"
		       "bandit: true         # the graded bandwidth bandit: slowdown against bandwidth taken\n"
		       "variants:            # where there is more than one socket, L3 or memory node\n"
		       "  - name: spread\n"
		       "    placement: spread\n"
		       "  - name: interleave\n"
		       "    memory: interleave";
	case SC_WAITING:
		return "variants:            # and fewer workers than cores, or a quiet host\n"
		       "  - name: spread\n"
		       "    placement: spread";
	default:
		return "profile: true        # where the threads wait (off-CPU stacks): no outside change removes "
		       "serialization";
	}
}

void intervene_judge(const struct vinput *in, struct verdict *v)
{
	int cs[SC_COUNT];
	size_t ncs;

	for (size_t k = 0; k < in->nvariants; k++)
		add_effects(v, &in->variants[k]);
	ncs = intervene_majors(v, cs);
	if (!ncs || strcmp(v->verdict ? v->verdict : "", "scales") == 0)
		return;
	judge_majors(v, cs, ncs);
	if (v->intervention != IV_CONFIRMED)
		snprintf(v->test_snippet, sizeof(v->test_snippet), "%s", snippet_for(cs[0]));
}

size_t intervene_choose(const struct verdict *v, const struct intervene_machine *m, const struct variant **ret,
			size_t max, char *why, size_t len)
{
	int cs[SC_COUNT];
	size_t ncs = intervene_majors(v, cs), n = 0, k;

	if (len)
		why[0] = '\0';
	if (!ncs || strcmp(v->verdict ? v->verdict : "", "scales") == 0)
		return 0;
	for (size_t j = 0; j < ncs; j++) {
		const char *comp = stack_comp_name(cs[j]);
		size_t before = n;

		for (const struct variant *x = variant_interventions(); x->name && n < max; x++) {
			int dup = 0;

			for (size_t i = 0; i < n; i++)
				dup |= strcmp(ret[i]->name, x->name) == 0;
			if (strcmp(x->tests, comp) != 0 || dup)
				continue;
			k = strlen(why);
			if (x->placement == PLACE_SPREAD && m->sockets <= 1 && m->l3_domains <= 1) {
				snprintf(why + k, len - k, "%sspread: one socket and one L3 domain here, so no placement differs",
					 k ? "; " : "");
				continue;
			}
			if (x->placement == PLACE_SPREAD && v->n >= m->cores) {
				snprintf(why + k, len - k, "%sspread: %d workers use every core here, so no placement differs",
					 k ? "; " : "", v->n);
				continue;
			}
			if (x->memory == VMEM_INTERLEAVE && m->numa_nodes <= 1) {
				snprintf(why + k, len - k, "%sinterleave: one memory node here", k ? "; " : "");
				continue;
			}
			ret[n++] = x;
		}
		if (n == before && !strstr(why, stack_comp_label(cs[j]))) {
			k = strlen(why);
			if (cs[j] == SC_IDLE)
				snprintf(why + k, len - k, "%sno change from outside the program removes %s", k ? "; " : "",
					 stack_comp_label(cs[j]));
		}
	}
	return n;
}

/* "malloc-pinned at 2: efficiency 0.62 [0.60, 0.65] -> 0.97 [0.90, 1.04];
 * extra kernel CPU 1.327 [1.107, 1.547] -> 0.005 [-0.005, 0.016]; ...; it
 * removes 100% of the extra kernel CPU (3 runs at 2, 3 at 1)": the two
 * components it changed most, and those it removes (removes()). */
static void effect_text(FILE *out, const struct variant_effect *e, const char *indent)
{
	int done[SC_COUNT] = { 0 }, removed[SC_COUNT];
	char iv1[64], iv2[64];
	double shares[SC_COUNT];
	size_t nremoved = 0;

	fprintf(out, "%s  %s at %d: efficiency %.2f %s -> %.2f %s", indent, e->variant, e->n, e->eff_base.mid,
		iv_text(&e->eff_base, 2, iv1, sizeof(iv1)), e->eff.mid, iv_text(&e->eff, 2, iv2, sizeof(iv2)));
	for (int k = 0; k < 2; k++) {
		int best = -1;

		for (int c = SC_USER; c <= SC_IDLE; c++)
			if (!done[c] && !isnan(e->comp[c].mid) && !isnan(e->base[c].mid) &&
			    (best < 0 || fabs(e->comp[c].mid - e->base[c].mid) > fabs(e->comp[best].mid - e->base[best].mid)))
				best = c;
		if (best < 0)
			break;
		done[best] = 1;
		fprintf(out, "; %s %.3f %s -> %.3f %s", stack_comp_label(best), e->base[best].mid,
			iv_text(&e->base[best], 3, iv1, sizeof(iv1)), e->comp[best].mid,
			iv_text(&e->comp[best], 3, iv2, sizeof(iv2)));
	}
	/* "; it removes 100% of the extra kernel CPU, 93% of the idle and ..." */
	for (int c = SC_USER; c <= SC_IDLE; c++)
		if (removes(e, c, &shares[nremoved]) == 1)
			removed[nremoved++] = c;
	for (size_t i = 0; i < nremoved; i++)
		fprintf(out, "%s %.0f%% of the %s", i == 0 ? "; it removes" : i + 1 < nremoved ? "," : " and",
			100 * shares[i], stack_comp_label(removed[i]));
	fprintf(out, " (%d runs at %d, %d at 1)\n", e->runs, e->n, e->runs1);
}

void intervene_text(FILE *out, const struct verdict *v, const char *indent)
{
	if (v->intervention_line[0])
		fprintf(out, "%sintervention: %s\n", indent, v->intervention_line);
	if (v->neffects)
		fprintf(out, "%svariants against the baseline (core-s per unit of work, [95%% interval]):\n", indent);
	for (size_t i = 0; i < v->neffects; i++)
		effect_text(out, &v->effects[i], indent);
	if (v->test_snippet[0]) {
		const char *line = v->test_snippet, *end;

		fprintf(out, "%sto test the cause by intervention, add to the campaign:\n", indent);
		for (; *line; line = *end ? end + 1 : end) {
			end = strchrnul(line, '\n');
			fprintf(out, "%s    %.*s\n", indent, (int)(end - line), line);
		}
	}
}
