/* test-verdict.c: the verdict engine on inputs made by hand, without a
 * database: a workload that scales, one that spends its time in the
 * kernel, one slowed by the bandwidth co-runner far more than by the CPU
 * hog, one with nothing measured, and figures exactly at a threshold of
 * thresholds.def (the rules: man/scalprof-verdict.7). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/verdict.h"
#include "tap.h"

/* A workload with an ok baseline at 1 worker and one more point at n;
 * every other figure NAN until a test sets it. */
static struct vinput *input(int n, double efficiency)
{
	struct vinput *in = calloc(1, sizeof(*in));
	struct vpoint *p;

	in->workload = strdup("w");
	in->mode = strdup("copies");
	in->cores = 4;
	p = vinput_point(in, 1, 1);
	p->runs = 3;
	p->efficiency = p->speedup = 1;
	p = vinput_point(in, n, 1);
	p->runs = 3;
	p->efficiency = efficiency;
	p->speedup = efficiency * n;
	return in;
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const struct evidence *cited(const struct verdict *v, enum hypothesis h, const char *figure)
{
	for (size_t i = 0; i < v->nev; i++)
		if (v->ev[i].hyp == h && strcmp(v->ev[i].figure, figure) == 0)
			return &v->ev[i];
	return NULL;
}

static const char *stance_of(const struct verdict *v, enum hypothesis h, const char *figure)
{
	const struct evidence *e = cited(v, h, figure);

	return e ? stance_name(e->stance) : "(not cited)";
}

static void test_scales(void)
{
	struct vinput *in = input(2, 0.98);
	struct verdict v;

	verdict_judge(in, &v);
	is_str(v.verdict, "scales", "efficiency 0.98 at 2 workers: scales");
	is_str(v.confidence, "high", "3 runs at each point: high confidence");
	is_int(v.n, 2, "judged at the worst point beyond 1 worker");
	is_int(v.hyp[H_BANDWIDTH].status, HS_UNTESTABLE, "bandwidth not measured: untestable");
	ok(starts(v.bw_line, "not testable on this host, and not needed: the workload scales"),
	   "the bandwidth line says it is not needed: %s", v.bw_line);
	verdict_clear(&v);
	vinputs_free(in, 1);
}

static void test_kernel(void)
{
	struct vinput *in = input(2, 0.6);
	struct verdict v;

	in->pts[0].cpu_util = 1;
	in->pts[0].kernel_share = 0.05;
	in->pts[1].cpu_util = 2;
	in->pts[1].kernel_share = 0.6;
	verdict_judge(in, &v);
	is_str(v.verdict, "kernel", "60%% of CPU time in the kernel: the kernel verdict");
	is_int(v.hyp[H_KERNEL].status, HS_SUPPORTED, "kernel supported");
	is_str(stance_of(&v, H_KERNEL, "kernel_share"), "for", "kernel_share cited for");
	is_str(stance_of(&v, H_KERNEL, "kernel_share_rise"), "for", "the rise from 5%% cited for");
	is_str(v.confidence, "high", "two figures for: high confidence");
	is_int(v.hyp[H_SERIALIZED].status, HS_CONTRADICTED, "2 cores busy at 2 workers: not serialized");
	verdict_clear(&v);
	vinputs_free(in, 1);
}

/* issue 16: a kernel share of 0.11, between kernel_share_low and
 * kernel_share_high, not rising: it was "untestable" with an empty reason */
static void test_kernel_between(void)
{
	struct vinput *in = input(2, 0.6);
	struct verdict v;

	in->pts[0].cpu_util = 1;
	in->pts[0].kernel_share = 0.10;
	in->pts[1].cpu_util = 2;
	in->pts[1].kernel_share = 0.11;
	verdict_judge(in, &v);
	is_int(v.hyp[H_KERNEL].status, HS_UNCLEAR, "kernel share 0.11: unclear, not untestable");
	is_str(v.hyp[H_KERNEL].reason,
	       "between the thresholds: kernel share 0.11 at 2 workers (0.10 with 1), between 0.1 (kernel_share_low)"
	       " and 0.3 (kernel_share_high)",
	       "the reason gives the figure and both thresholds");
	is_str(stance_of(&v, H_KERNEL, "kernel_share"), "context", "kernel_share kept as context");
	for (int h = 0; h < H_COUNT; h++)
		ok(v.hyp[h].status > HS_UNCLEAR || v.hyp[h].reason[0], "%s: %s has a reason (%s)", hypothesis_name(h),
		   hyp_status_name(v.hyp[h].status), v.hyp[h].reason);
	verdict_clear(&v);
	vinputs_free(in, 1);
}

static void test_bandwidth_interference(void)
{
	struct vinput *in = input(2, 0.5);
	struct verdict v;
	const struct evidence *e;

	in->pts[1].slowdown[CO_BANDWIDTH] = 1.8;
	in->pts[1].slowdown[CO_CPU] = 1.05;
	in->pts[1].coruns[CO_BANDWIDTH] = in->pts[1].coruns[CO_CPU] = 3;
	verdict_judge(in, &v);
	is_str(v.verdict, "memory-bandwidth", "1.8x beside the bandwidth co-runner, 1.05x beside the CPU hog");
	is_int(v.hyp[H_BANDWIDTH].status, HS_SUPPORTED, "memory-bandwidth supported");
	e = cited(&v, H_BANDWIDTH, "slowdown_bandwidth");
	ok(e && e->stance == ST_FOR && strcmp(e->threshold, ">= 1.2 (slowdown_min)") == 0,
	   "slowdown_bandwidth for, with its threshold");
	is_str(e ? e->source : NULL, "interference.slowdown (bandwidth), median of 3 co-runs", "its source");
	ok(starts(v.bw_line, "supported: 1.80x slower beside the bandwidth co-runner"), "bandwidth line: %s",
	   v.bw_line);
	verdict_clear(&v);

	/* the same slowdown beside both hogs: the bus is not what matters */
	in->pts[1].slowdown[CO_CPU] = 1.8;
	verdict_judge(in, &v);
	e = cited(&v, H_BANDWIDTH, "slowdown_bandwidth");
	ok(e && e->stance == ST_AGAINST && strcmp(e->threshold, "< cpu x 1.05 (slowdown_no_contrast)") == 0,
	   "as slow beside the CPU hog: against");
	is_int(v.hyp[H_BANDWIDTH].status, HS_CONTRADICTED, "memory-bandwidth contradicted");
	verdict_clear(&v);
	vinputs_free(in, 1);
}

static void test_missing(void)
{
	struct vinput *in = input(2, 0.5);
	struct verdict v;

	in->bw_reason = strdup("no memory-controller PMU exposed");
	verdict_judge(in, &v);
	is_str(v.verdict, "inconclusive", "nothing measured but wall times: inconclusive");
	is_str(v.confidence, "low", "low confidence");
	for (int h = 0; h < H_COUNT; h++)
		is_int(v.hyp[h].status, HS_UNTESTABLE, "%s untestable", hypothesis_name(h));
	ok(strstr(v.hyp[H_BANDWIDTH].reason, "bandwidth: no memory-controller PMU exposed") != NULL,
	   "the bandwidth reason names the probe's: %s", v.hyp[H_BANDWIDTH].reason);
	is_str(v.hyp[H_KERNEL].reason, "no CPU times (utime, stime) were stored", "the kernel's reason");
	ok(strstr(v.reason, ": run again with interference: true") != NULL, "the reason says what to run: %s",
	   v.reason);
	verdict_clear(&v);
	vinputs_free(in, 1);

	in = input(2, 0.5);
	in->pts[0].runs = 0;
	verdict_judge(in, &v);
	is_str(v.reason, "no ok run with 1 worker to compare with", "no baseline: named");
	is_str(v.hyp[H_CACHE].reason, v.reason, "each hypothesis untestable for the same reason");
	verdict_clear(&v);
	vinputs_free(in, 1);
}

/* at or above a "high" threshold is for, exactly at a "low" one is not
 * below it */
static void test_at_thresholds(void)
{
	struct vinput *in = input(2, verdict_threshold("scales_efficiency"));
	struct verdict v;

	verdict_judge(in, &v);
	is_str(v.verdict, "scales", "efficiency exactly scales_efficiency: scales");
	verdict_clear(&v);
	in->pts[1].efficiency = nextafter(verdict_threshold("scales_efficiency"), 0);
	in->pts[1].ceiling = verdict_threshold("ceiling_near");
	in->pts[1].gbps = 10;
	in->pts[1].run_delay_ratio = verdict_threshold("run_delay_low");
	in->ceiling_known = 1;
	verdict_judge(in, &v);
	ok(strcmp(v.verdict, "scales") != 0, "just below scales_efficiency: does not scale (%s)", v.verdict);
	is_str(stance_of(&v, H_BANDWIDTH, "ceiling_fraction"), "for", "ceiling fraction exactly ceiling_near: for");
	is_str(stance_of(&v, H_OVERSUB, "run_delay_ratio"), "context", "run delay exactly run_delay_low: context");
	is_int(v.hyp[H_OVERSUB].status, HS_UNCLEAR, "only context: unclear");
	verdict_clear(&v);
	vinputs_free(in, 1);
}

static void test_thresholds(void)
{
	const char *const *names, *const *meanings;
	const double *values;
	size_t n;

	verdict_thresholds(&names, &values, &meanings, &n);
	ok(n > 20, "the thresholds table has its %zu entries", n);
	ok(verdict_threshold("slowdown_min") == 1.2, "slowdown_min is 1.2");
	ok(isnan(verdict_threshold("no_such_threshold")), "an unknown threshold is NAN");
}

int main(void)
{
	test_scales();
	test_kernel();
	test_kernel_between();
	test_bandwidth_interference();
	test_missing();
	test_at_thresholds();
	test_thresholds();
	return done_testing();
}
