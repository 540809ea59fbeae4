/* test-intervene.c: variants against the baseline, without a database:
 * runs made by hand for a workload whose extra kernel CPU grows from 1
 * worker to 2 (page faults), and variants that remove it, leave it, or
 * straddle the noise; the interventions confirm chooses on machines of
 * other shapes; the snippet for an open cause. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/intervene.h"
#include "analysis/verdict.h"
#include "base/util.h"
#include "tap.h"

#define RUN(n_, wall_, user_, kernel_)                                                                           \
	{ .n = (n_), .units = (n_), .wall = (wall_), .user = (user_), .kernel = (kernel_), .delay = 0, .others = 0, \
	  .steal = 0, .psi_cpu = 0, .serial = NAN, .serial_cpu = NAN }

/* copies whose kernel time per unit grows from 0.2 s to 0.7 s at 2 */
static const struct srun base_runs[] = {
	RUN(1, 1.00, 0.80, 0.20), RUN(1, 1.01, 0.81, 0.20), RUN(1, 0.99, 0.79, 0.20),
	RUN(2, 1.50, 1.60, 1.40), RUN(2, 1.52, 1.62, 1.42), RUN(2, 1.49, 1.59, 1.39),
};
/* the kernel's growth removed: 0.2 s at 1 and at 2 */
static const struct srun fixed_runs[] = {
	RUN(1, 1.00, 0.80, 0.20), RUN(1, 1.01, 0.81, 0.20), RUN(1, 0.99, 0.79, 0.20),
	RUN(2, 1.02, 1.60, 0.41), RUN(2, 1.01, 1.61, 0.40), RUN(2, 1.03, 1.62, 0.42),
};
/* nothing changed */
static const struct srun same_runs[] = {
	RUN(1, 1.00, 0.80, 0.20), RUN(1, 1.01, 0.81, 0.21), RUN(1, 0.99, 0.79, 0.19),
	RUN(2, 1.51, 1.61, 1.41), RUN(2, 1.50, 1.60, 1.40), RUN(2, 1.48, 1.58, 1.38),
};
/* the kernel's growth gone, but as much user CPU grown in its place */
static const struct srun moved_runs[] = {
	RUN(1, 1.00, 0.80, 0.20), RUN(1, 1.01, 0.81, 0.20), RUN(1, 0.99, 0.79, 0.20),
	RUN(2, 1.51, 2.61, 0.40), RUN(2, 1.50, 2.60, 0.41), RUN(2, 1.49, 2.58, 0.40),
};
/* half removed on average, but the runs disagree wildly */
static const struct srun noisy_runs[] = {
	RUN(1, 1.00, 0.80, 0.20), RUN(1, 1.01, 0.81, 0.20), RUN(1, 0.99, 0.79, 0.20),
	RUN(2, 1.10, 1.60, 0.60), RUN(2, 1.60, 1.60, 1.60), RUN(2, 0.90, 1.60, 0.20),
};

static struct vinput *workload(void)
{
	struct vinput *in = xcalloc(1, sizeof(*in));

	in->workload = xstrdup("w");
	in->mode = xstrdup("copies");
	in->cores = 4;
	in->runs = xcalloc(ARRAY_SIZE(base_runs), sizeof(*in->runs));
	memcpy(in->runs, base_runs, sizeof(base_runs));
	in->nruns = ARRAY_SIZE(base_runs);
	for (size_t i = 0; i < in->nruns; i++) {
		struct vpoint *p = vinput_point(in, in->runs[i].n, 1);

		p->runs++;
		p->wall = in->runs[i].wall;
		p->cpu_util = (in->runs[i].user + in->runs[i].kernel) / in->runs[i].wall;
		p->kernel_share = in->runs[i].kernel / (in->runs[i].user + in->runs[i].kernel);
		p->kernel_s_per_unit = in->runs[i].kernel / in->runs[i].units;
		p->faults_per_cpu_s = 150000;
	}
	for (size_t i = 0; i < in->npts; i++) {
		in->pts[i].efficiency = in->pts[0].wall / in->pts[i].wall;
		in->pts[i].speedup = in->pts[i].efficiency * in->pts[i].n;
	}
	return in;
}

static void add_variant(struct vinput *in, const char *name, const struct srun *runs, size_t n)
{
	struct vvariant *v;

	in->variants = xreallocarray(in->variants, in->nvariants + 1, sizeof(*in->variants));
	v = &in->variants[in->nvariants++];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(name);
	v->runs = xcalloc(n, sizeof(*v->runs));
	memcpy(v->runs, runs, n * sizeof(*runs));
	v->nruns = n;
}

static void judged(struct vinput *in, struct verdict *v)
{
	verdict_judge(in, v);
	intervene_judge(in, v);
}

static void test_confirmed(void)
{
	struct vinput *in = workload();
	struct verdict v;
	const struct variant_effect *e;

	add_variant(in, "same", same_runs, ARRAY_SIZE(same_runs));
	add_variant(in, "fixed", fixed_runs, ARRAY_SIZE(fixed_runs));
	judged(in, &v);
	is_int(intervene_leading(&v), SC_KERNEL, "the leading component is the extra kernel CPU");
	is_int((int)v.neffects, 2, "an effect per variant at N=2");
	e = &v.effects[1];
	is_str(e->variant, "fixed", "the second effect is the fixing variant's");
	ok(fabs(e->base[SC_KERNEL].mid - 0.5) < 0.02 && fabs(e->comp[SC_KERNEL].mid) < 0.02,
	   "its extra kernel CPU: 0.50 -> 0.00 core-s per unit (%.3f -> %.3f)", e->base[SC_KERNEL].mid,
	   e->comp[SC_KERNEL].mid);
	ok(e->eff.mid > 0.95 && e->eff_base.mid < 0.7, "efficiency 0.66 -> 0.98 (%.2f -> %.2f)", e->eff_base.mid,
	   e->eff.mid);
	is_int(v.intervention, IV_CONFIRMED, "the cause is confirmed by intervention");
	ok(strstr(v.intervention_line, "page faults") && strstr(v.intervention_line, "fixed removed") &&
		   strstr(v.intervention_line, "efficiency"),
	   "the line names the cause, the variant and the efficiency: %s", v.intervention_line);
	is_str(v.test_snippet, "", "no snippet for a confirmed cause");
	verdict_clear(&v);
	vinputs_free(in, 1);
}

static void test_not_confirmed(void)
{
	struct vinput *in = workload();
	struct verdict v;

	add_variant(in, "same", same_runs, ARRAY_SIZE(same_runs));
	judged(in, &v);
	is_int(v.intervention, IV_NOT_CONFIRMED, "a variant that leaves the kernel time: not confirmed");
	ok(strstr(v.intervention_line, "not confirmed") && strstr(v.intervention_line, "same 0.5"),
	   "the line gives the variant's figures: %s", v.intervention_line);
	ok(strstr(v.test_snippet, "malloc-pinned") != NULL, "the snippet offers the malloc thresholds");
	verdict_clear(&v);
	vinputs_free(in, 1);

	in = workload();
	add_variant(in, "moved", moved_runs, ARRAY_SIZE(moved_runs));
	judged(in, &v);
	ok(v.neffects == 1 && v.effects[0].comp[SC_KERNEL].mid < 0.05,
	   "a variant that removes the kernel's growth (%.3f left) ...", v.neffects ? v.effects[0].comp[SC_KERNEL].mid : NAN);
	is_int(v.intervention, IV_NOT_CONFIRMED, "... but moves it into user CPU, the lost time the same: not confirmed");
	verdict_clear(&v);
	vinputs_free(in, 1);

	in = workload();
	add_variant(in, "noisy", noisy_runs, ARRAY_SIZE(noisy_runs));
	judged(in, &v);
	is_int(v.intervention, IV_NOT_CONFIRMED, "half removed on average but within the noise: not confirmed");
	verdict_clear(&v);
	vinputs_free(in, 1);

	in = workload();
	judged(in, &v);
	is_int(v.intervention, IV_UNTESTED, "no variant: untested");
	is_str(v.intervention_line, "", "and nothing said");
	ok(v.test_snippet[0] != '\0', "but the snippet that would test it");
	verdict_clear(&v);
	vinputs_free(in, 1);
}

static int chose(const struct variant *const *c, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(c[i]->name, name) == 0)
			return 1;
	return 0;
}

static void test_choose(void)
{
	struct vinput *in = workload();
	struct verdict v;
	const struct variant *c[8];
	char why[256];
	struct intervene_machine small = { 2, 1, 1, 1 }, big = { 16, 2, 4, 2 };
	size_t n;

	judged(in, &v);
	n = intervene_choose(&v, &small, c, ARRAY_SIZE(c), why, sizeof(why));
	ok(n == 3 && chose(c, n, "malloc-pinned") && chose(c, n, "no-thp") && chose(c, n, "malloc-hugepages"),
	   "extra kernel CPU: the malloc thresholds, glibc's huge pages and THP off (%zu chosen)", n);
	/* the same workload losing its time to user CPU instead */
	v.stack[0].comp[SC_USER].mid = 2 * v.stack[0].comp[SC_KERNEL].mid;
	v.stack[0].comp[SC_KERNEL].mid = 0.01;
	v.stack[0].share[SC_USER] = 0.95;
	v.stack[0].share[SC_KERNEL] = 0.02;
	n = intervene_choose(&v, &small, c, ARRAY_SIZE(c), why, sizeof(why));
	ok(n == 0 && strstr(why, "one socket") && strstr(why, "one memory node"),
	   "extra user CPU on one socket and one node: nothing to change, and why: %s", why);
	n = intervene_choose(&v, &big, c, ARRAY_SIZE(c), why, sizeof(why));
	ok(n == 2 && chose(c, n, "spread") && chose(c, n, "interleave"),
	   "on 2 sockets and 2 nodes with spare cores: spread and interleave (%zu)", n);
	verdict_clear(&v);
	vinputs_free(in, 1);
}

/* A stack with two causes: the kernel's growth and waiting for a core. */
static void test_majors(void)
{
	struct vinput *in = workload();
	struct verdict v;
	int cs[SC_COUNT];
	const struct variant *c[8];
	char why[256];
	struct intervene_machine small = { 2, 1, 1, 1 };
	size_t n;

	judged(in, &v);
	v.stack[0].comp[SC_WAITING].mid = 0.6;
	v.stack[0].share[SC_WAITING] = 0.55;
	v.stack[0].share[SC_KERNEL] = 0.45;
	n = intervene_majors(&v, cs);
	ok(n == 2 && cs[0] == SC_WAITING && cs[1] == SC_KERNEL, "two major components, the larger first");
	n = intervene_choose(&v, &small, c, ARRAY_SIZE(c), why, sizeof(why));
	ok(n == 3 && chose(c, n, "malloc-pinned"), "the kernel's interventions are chosen though waiting leads (%zu)", n);
	ok(strstr(why, "spread") != NULL, "and it says why waiting gets none here: %s", why);
	verdict_clear(&v);
	vinputs_free(in, 1);
}

int main(void)
{
	test_confirmed();
	test_not_confirmed();
	test_choose();
	test_majors();
	return done_testing();
}
