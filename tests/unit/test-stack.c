/* test-stack.c: the statistics (order-statistic medians, Welch's interval,
 * outliers, the runs an undecided interval needs), the speedup stack's
 * split of each run and of each worker count (components that add up to
 * the lost time), and the verdicts the stack decides, on runs made by hand
 * without a database: one per class, compound causes, and noisy
 * repetitions that straddle the threshold. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stack.h"
#include "model/stats.h"
#include "analysis/verdict.h"
#include "base/util.h"
#include "tap.h"

static int near(double got, double want, double tol)
{
	if (fabs(got - want) <= tol)
		return 1;
	printf("#   got %.6g, want %.6g (+- %g)\n", got, want, tol);
	return 0;
}

static void test_stats(void)
{
	const double three[] = { 3, 1, 2 };
	const double ten[] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };
	const double a[] = { 1, 2, 3 }, b[] = { 4, 5, 6 };
	const double out[] = { 1, 1.01, 0.99, 1.02, 5 };
	const double with_nan[] = { 2, NAN, 4 };
	struct summary s;
	struct interval iv;

	stats_summary(three, 3, &s);
	ok(s.n == 3 && s.median.mid == 2 && s.median.lo == 1 && s.median.hi == 3,
	   "3 runs: median 2, interval min..max");
	ok(near(s.median.level, 0.75, 1e-12), "3 runs: the interval's level is 1 - 2/8 = 0.75");
	stats_summary(ten, 10, &s);
	ok(s.median.mid == 5.5 && s.median.lo == 2 && s.median.hi == 9, "10 runs: the 2nd and 9th order statistics");
	ok(near(s.median.level, 1 - 2 * 11.0 / 1024, 1e-12), "10 runs: level 1 - 2 P(B <= 1) = 0.979");
	stats_summary(out, 5, &s);
	is_int(s.outliers, 1, "one run far from the others is an outlier");
	ok(s.min == 0.99 && s.max == 5, "min and max");
	stats_summary(with_nan, 3, &s);
	ok(s.n == 2 && s.median.mid == 3, "NANs are skipped");
	ok(near(stats_t975(2), 4.303, 1e-9) && near(stats_t975(11), 2.2035, 1e-9) && near(stats_t975(1e9), 1.96, 1e-9),
	   "Student's t: a row, an interpolation, the limit");
	stats_mean_diff(a, 3, b, 3, &iv);
	ok(near(iv.mid, 3, 1e-12), "Welch: the difference of the means");
	ok(near(iv.hi - iv.mid, 2.776 * sqrt(2.0 / 3), 1e-9) && near(iv.mid - iv.lo, iv.hi - iv.mid, 1e-12),
	   "Welch: df 4, t 2.776, se sqrt(2/3)");
	stats_mean_diff(a, 1, b, 3, &iv);
	ok(near(iv.mid, 4, 1e-12) && isnan(iv.lo) && isnan(iv.hi), "one run on a side: a difference, no interval");
	iv = (struct interval){ 0.84, 0.80, 0.88, 0.95 };
	is_int(stats_runs_to_clear(&iv, 0.85, 3), 48, "0.84 [0.80, 0.88] against 0.85: 3 x (0.04 / 0.01)^2 runs");
	iv = (struct interval){ 0.90, 0.86, 0.94, 0.95 };
	is_int(stats_runs_to_clear(&iv, 0.85, 3), 0, "an interval that clears needs no more runs");
	iv = (struct interval){ 0.85, 0.80, 0.90, 0.95 };
	is_int(stats_runs_to_clear(&iv, 0.85, 3), -1, "one sitting on the threshold: no number of runs decides it");
}

static double sum(const double *c)
{
	double t = 0;

	for (int i = 0; i < SC_COUNT; i++)
		t += c[i];
	return t;
}

static void test_split(void)
{
	struct srun r = { .n = 2, .units = 2, .wall = 1, .user = 1.2, .kernel = 0.3, .delay = 0.2, .steal = 0.05,
			  .others = NAN, .psi_cpu = NAN };
	double c[SC_COUNT];

	stack_split_run(&r, c);
	ok(near(c[SC_USER], 0.6, 1e-12) && near(c[SC_KERNEL], 0.15, 1e-12), "per unit: user and kernel CPU halved");
	ok(near(c[SC_WAITING], 0.125, 1e-12) && near(c[SC_IDLE], 0.125, 1e-12) && c[SC_REMAINDER] == 0,
	   "waiting is run-queue wait plus steal; idle the rest of the unused time");
	ok(near(sum(c), 1.0, 1e-12), "the components add up to n x wall / units exactly");
	r.delay = 5;
	stack_split_run(&r, c);
	ok(near(c[SC_WAITING], 0.25, 1e-12) && c[SC_IDLE] == 0, "waiting is at most the unused time");
	r.user = 2.0;
	r.delay = NAN;
	stack_split_run(&r, c);
	ok(near(c[SC_REMAINDER], -0.15, 1e-12) && near(sum(c), 1.0, 1e-12),
	   "CPU beyond the reserved cores is a negative remainder, and the sum still holds");
}

/* ---- verdicts from runs made by hand ---------------------------------- */

/* A run: n workers, mode's units, wall and CPU seconds, run-queue wait. */
#define RUN(n_, units_, wall_, user_, kernel_, delay_)                                                          \
	{ .n = (n_), .units = (units_), .wall = (wall_), .user = (user_), .kernel = (kernel_), .delay = (delay_), \
	  .others = 0, .steal = 0, .psi_cpu = 0, .serial = NAN, .serial_cpu = NAN }

/* page faults: the kernel's time per unit grows from 0.2 s to 0.7 s */
static const struct srun kernel_runs[] = {
	RUN(1, 1, 1.00, 0.80, 0.20, 0), RUN(1, 1, 1.01, 0.81, 0.20, 0), RUN(1, 1, 0.99, 0.79, 0.20, 0),
	RUN(2, 2, 1.50, 1.60, 1.40, 0), RUN(2, 2, 1.52, 1.62, 1.42, 0), RUN(2, 2, 1.49, 1.59, 1.39, 0),
};

/* Whether v cites figure of h with stance st (and, unless NULL, a note
 * holding note). */
static int cites(const struct verdict *v, enum hypothesis h, const char *figure, enum stance st, const char *note)
{
	for (size_t i = 0; i < v->nev; i++)
		if (v->ev[i].hyp == h && v->ev[i].stance == st && strcmp(v->ev[i].figure, figure) == 0 &&
		    (!note || strstr(v->ev[i].note, note)))
			return 1;
	return 0;
}

/* A workload from its runs: the points' medians as the store would give
 * them (wall, efficiency, cores busy, kernel share), the rest NAN. */
static struct vinput *workload(const char *mode, const struct srun *runs, size_t n)
{
	struct vinput *in = calloc(1, sizeof(*in));
	int team = strcmp(mode, "team") == 0;

	in->workload = strdup("w");
	in->mode = strdup(mode);
	in->cores = 4;
	in->runs = calloc(n, sizeof(*in->runs));
	memcpy(in->runs, runs, n * sizeof(*runs));
	in->nruns = n;
	for (size_t i = 0; i < n; i++) {
		struct vpoint *p = vinput_point(in, runs[i].n, 1);

		p->runs++;
		p->wall = runs[i].wall; /* the last: the tests' runs at one n agree closely */
		p->cpu_util = (runs[i].user + runs[i].kernel) / runs[i].wall;
		p->kernel_share = runs[i].kernel / (runs[i].user + runs[i].kernel);
		p->kernel_s_per_unit = runs[i].kernel / runs[i].units;
		p->run_delay_ratio = runs[i].delay / (runs[i].user + runs[i].kernel);
	}
	for (size_t i = 0; i < in->npts; i++) {
		double t1 = in->pts[0].wall, tn = in->pts[i].wall;

		in->pts[i].efficiency = team ? t1 / tn / in->pts[i].n : t1 / tn;
		in->pts[i].speedup = in->pts[i].efficiency * in->pts[i].n;
	}
	return in;
}

/* Judges in, checks that the stack adds up to the lost time within 1%,
 * and returns the verdict (to clear). */
static void judge(struct vinput *in, struct verdict *v, const char *what)
{
	verdict_judge(in, v);
	for (size_t i = 0; i < v->nstack; i++) {
		const struct stack_point *p = &v->stack[i];
		double t = 0;

		for (int c = 0; c < SC_COUNT; c++)
			t += p->comp[c].mid;
		ok(fabs(t - p->lost.mid) <= 0.01 * fabs(p->lost.mid) + 1e-12,
		   "%s: at N=%d the components add up to the lost time (%.4f of %.4f)", what, p->n, t, p->lost.mid);
	}
}

static void check(const char *mode, const struct srun *runs, size_t n, const char *what, const char *want,
		  const char *conf, const char *reason_has)
{
	struct vinput *in = workload(mode, runs, n);
	struct verdict v;

	judge(in, &v, what);
	is_str(v.verdict, want, "%s: %s", what, want);
	if (conf)
		is_str(v.confidence, conf, "%s: %s confidence", what, conf);
	if (reason_has && !ok(strstr(v.reason, reason_has) != NULL, "%s: the reason says '%s'", what, reason_has))
		printf("#   reason: %s\n", v.reason);
	verdict_clear(&v);
	vinputs_free(in, 1);
}

static void test_verdicts(void)
{
	/* copies that scale: the same cost per unit at 1 and 2 */
	const struct srun scales[] = {
		RUN(1, 1, 1.00, 0.99, 0.01, 0), RUN(1, 1, 1.01, 1.00, 0.01, 0), RUN(1, 1, 0.99, 0.98, 0.01, 0),
		RUN(2, 2, 1.02, 2.02, 0.02, 0), RUN(2, 2, 1.01, 2.00, 0.02, 0), RUN(2, 2, 1.03, 2.04, 0.02, 0),
	};
	/* threads behind one lock: a team of 2 keeps one core busy */
	const struct srun serial[] = {
		RUN(1, 1, 1.00, 0.99, 0.01, 0), RUN(1, 1, 1.01, 1.00, 0.01, 0), RUN(1, 1, 0.99, 0.98, 0.01, 0),
		RUN(2, 1, 1.02, 1.00, 0.02, 0.01), RUN(2, 1, 1.00, 0.98, 0.02, 0.01), RUN(2, 1, 1.01, 0.99, 0.02, 0.01),
	};
	/* a CPU hog on one of a team's cores: runnable, not running */
	const struct srun waiting[] = {
		RUN(1, 1, 2.00, 1.98, 0.02, 0), RUN(1, 1, 2.01, 1.99, 0.02, 0), RUN(1, 1, 1.99, 1.97, 0.02, 0),
		RUN(2, 1, 1.50, 1.98, 0.02, 0.98), RUN(2, 1, 1.52, 1.99, 0.02, 1.02), RUN(2, 1, 1.49, 1.97, 0.02, 0.97),
	};
	/* compound: kernel 0.2 -> 0.5 s per unit and user 0.8 -> 1.0 */
	const struct srun compound[] = {
		RUN(1, 1, 1.00, 0.80, 0.20, 0), RUN(1, 1, 1.01, 0.81, 0.20, 0), RUN(1, 1, 0.99, 0.79, 0.20, 0),
		RUN(2, 2, 1.50, 2.00, 1.00, 0), RUN(2, 2, 1.51, 2.01, 1.01, 0), RUN(2, 2, 1.49, 1.99, 0.99, 0),
	};
	/* noisy repetitions around the threshold: efficiency 0.80, wide */
	const struct srun noisy[] = {
		RUN(1, 1, 0.95, 0.95, 0, 0), RUN(1, 1, 1.05, 1.05, 0, 0), RUN(1, 1, 1.00, 1.00, 0, 0),
		RUN(2, 2, 1.15, 2.30, 0, 0), RUN(2, 2, 1.35, 2.70, 0, 0), RUN(2, 2, 1.25, 2.50, 0, 0),
	};
	struct vinput *in;
	struct verdict v;

	check("copies", scales, 6, "scales", "scales", "high", "at or above 0.85");
	check("team", serial, 6, "serialized", "serialized", "high", "of the lost time is idle");
	check("copies", kernel_runs, 6, "kernel", "kernel", "high", "of the lost time is extra kernel CPU");
	check("team", waiting, 6, "waiting", "oversubscribed", NULL, "of the lost time is waiting for a core");
	check("copies", noisy, 6, "noisy", "inconclusive", "low", "straddles 0.85: about ");

	in = workload("copies", compound, 6);
	judge(in, &v, "compound");
	is_str(v.verdict, "kernel", "compound: the larger component names the verdict");
	ok(strstr(v.stack_line, "extra kernel CPU") && strstr(v.stack_line, "extra user CPU") &&
		   strstr(v.stack_line, "extra kernel CPU") < strstr(v.stack_line, "extra user CPU"),
	   "compound: both components are named, the larger first");
	ok(near(v.stack[0].share[SC_KERNEL], 0.3 / 0.5, 0.01) && near(v.stack[0].share[SC_USER], 0.2 / 0.5, 0.01),
	   "compound: shares 60%% kernel, 40%% user");
	verdict_clear(&v);
	vinputs_free(in, 1);

	/* the same compound workload beside a busy host: confidence drops */
	in = workload("copies", compound, 6);
	for (size_t i = 0; i < in->nruns; i++)
		in->runs[i].others = 0.3 * in->runs[i].n * in->runs[i].wall;
	judge(in, &v, "busy host");
	is_str(v.confidence, "medium", "busy host: confidence lowered one step");
	ok(strstr(v.reason, "a busy host") != NULL, "busy host: and the reason says so");
	verdict_clear(&v);
	vinputs_free(in, 1);

	/* a kernel share that did not rise is not offered as the cause */
	in = workload("team", serial, 6);
	for (size_t i = 0; i < in->npts; i++)
		in->pts[i].kernel_share = 0.5;
	judge(in, &v, "flat kernel share");
	ok(v.hyp[H_KERNEL].status != HS_SUPPORTED, "flat kernel share: kernel is not supported (%s)",
	   hyp_status_name(v.hyp[H_KERNEL].status));
	is_str(v.verdict, "serialized", "flat kernel share: still serialized");
	verdict_clear(&v);
	vinputs_free(in, 1);
}

/* The timeline's serial phase: a team that ran 0.6 s on one core, then
 * 0.4 s on two (1.4 CPU-s), against 1.4 s on one core. */
static void test_serial_phase(void)
{
	struct srun runs[] = {
		RUN(1, 1, 1.40, 1.39, 0.01, 0), RUN(1, 1, 1.41, 1.40, 0.01, 0), RUN(1, 1, 1.39, 1.38, 0.01, 0),
		RUN(2, 1, 1.00, 1.39, 0.01, 0), RUN(2, 1, 1.01, 1.40, 0.01, 0), RUN(2, 1, 0.99, 1.38, 0.01, 0),
	};
	struct vinput *in;
	struct verdict v;

	for (size_t i = 3; i < ARRAY_SIZE(runs); i++) {
		runs[i].serial = 0.6;
		runs[i].serial_cpu = 0.56;
	}
	in = workload("team", runs, ARRAY_SIZE(runs));
	judge(in, &v, "serial phase");
	ok(v.nstack == 1 && near(v.stack[0].serial_phase, 0.6, 1e-12), "serial phase: the mean at N=2 is 0.6 s");
	ok(near(v.stack[0].amdahl, 0.4, 1e-3), "serial phase: Amdahl's f is its CPU over all CPU, 0.56 / 1.4");
	ok(near(stack_amdahl_bound(&v.stack[0]), 1 / 1.4, 1e-3), "serial phase: which caps efficiency at 1 / (2f + 1 - f)");
	is_str(v.verdict, "serialized", "serial phase: idle time names serialized");
	if (!ok(strstr(v.reason, "a serial phase of 0.60 s of 1.00 s; Amdahl's f 0.40 caps efficiency at 0.71") != NULL,
		"serial phase: the reason quotes the phase and the bound"))
		printf("#   reason: %s\n", v.reason);
	verdict_clear(&v);
	vinputs_free(in, 1);

	/* a phase read a little past the last exit is the whole run, no more */
	in = workload("team", runs, ARRAY_SIZE(runs));
	for (size_t i = 3; i < in->nruns; i++)
		in->runs[i].serial = in->runs[i].wall + 0.02;
	judge(in, &v, "whole-run phase");
	ok(near(v.stack[0].serial_phase, 1.0, 1e-9), "whole-run phase: at most the wall time (%.3f)", v.stack[0].serial_phase);
	verdict_clear(&v);
	vinputs_free(in, 1);

	/* without a timeline nothing is known, and Karp-Flatt speaks alone */
	in = workload("team", runs, ARRAY_SIZE(runs));
	for (size_t i = 0; i < in->nruns; i++)
		in->runs[i].serial = in->runs[i].serial_cpu = NAN;
	judge(in, &v, "no timeline");
	ok(isnan(v.stack[0].serial_phase) && isnan(v.stack[0].amdahl) && isnan(stack_amdahl_bound(&v.stack[0])),
	   "no timeline: no serial phase, no Amdahl fraction");
	ok(strstr(v.reason, "Karp-Flatt") && !strstr(v.reason, "serial phase"), "no timeline: the reason quotes Karp-Flatt");
	verdict_clear(&v);
	vinputs_free(in, 1);
}

/* A figure clears a threshold only when its interval does. */
static void test_interval_rule(void)
{
	struct vinput *in = workload("copies", kernel_runs, 6);
	struct vpoint *p2 = vinput_point(in, 2, 0);
	struct verdict v;

	/* the median is 0.47, above kernel_share_high (0.30), but one run had 0.12 */
	p2->spread[VF_KERNEL_SHARE] = (struct interval){ 0.47, 0.12, 0.55, 0.75 };
	verdict_judge(in, &v);
	ok(!cites(&v, H_KERNEL, "kernel_share", ST_FOR, NULL),
	   "a kernel share whose interval straddles kernel_share_high is not a figure for kernel");
	ok(cites(&v, H_KERNEL, "kernel_share", ST_CONTEXT, "straddles 0.3"), "it is kept as context, saying it straddles");
	verdict_clear(&v);
	p2->spread[VF_KERNEL_SHARE] = (struct interval){ 0.47, 0.45, 0.55, 0.75 };
	verdict_judge(in, &v);
	ok(cites(&v, H_KERNEL, "kernel_share", ST_FOR, NULL), "one whose whole interval is above it is");
	verdict_clear(&v);
	vinputs_free(in, 1);
}

int main(void)
{
	test_stats();
	test_split();
	test_verdicts();
	test_interval_rule();
	test_serial_phase();
	return done_testing();
}
