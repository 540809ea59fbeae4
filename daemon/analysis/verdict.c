/* verdict.c: the verdict engine (see verdict.h). Each hypothesis is a set of
 * tests of one figure against one threshold; a test that passes is a figure
 * for it, one that fails clearly is a figure against it, one in between is
 * kept as context. A hypothesis with figures for and none against is
 * supported; with both, mixed; with only figures against, contradicted; with
 * none at all, untestable, and the reason says what was missing. It reads
 * and writes nothing: store/verdicts.c loads the inputs and stores the
 * verdicts.
 *
 * Sections: thresholds; evidence (add, and the two shapes most tests take:
 * weigh_fig and the interval tests, weigh_slowdown); the hypotheses, one judge_* each; the verdict
 * (settle each hypothesis, then conclude). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "analysis/bandit.h"
#include "analysis/stack.h"
#include "model/stats.h"
#include "analysis/verdict.h"

/* ---- thresholds --------------------------------------------------------- */

enum {
#define T(name, value, meaning) TH_##name,
#include "analysis/thresholds.def"
#undef T
	TH_COUNT
};

static const char *const th_names[] = {
#define T(name, value, meaning) #name,
#include "analysis/thresholds.def"
#undef T
};
static const double th_values[] = {
#define T(name, value, meaning) value,
#include "analysis/thresholds.def"
#undef T
};
static const char *const th_meanings[] = {
#define T(name, value, meaning) meaning,
#include "analysis/thresholds.def"
#undef T
};

#define TH(name) th_values[TH_##name]

double verdict_threshold(const char *name)
{
	for (size_t i = 0; i < TH_COUNT; i++)
		if (strcmp(th_names[i], name) == 0)
			return th_values[i];
	return NAN;
}

void verdict_thresholds(const char *const **names, const double **values, const char *const **meanings,
			size_t *ret_n)
{
	*names = th_names;
	*values = th_values;
	*meanings = th_meanings;
	*ret_n = TH_COUNT;
}

/* ---- evidence ------------------------------------------------------------ */

static void add(struct verdict *v, enum hypothesis h, enum stance st, const char *figure, int n, double value,
		const char *threshold, const char *source, const char *fmt, ...) __attribute__((format(printf, 9, 10)));

static void add(struct verdict *v, enum hypothesis h, enum stance st, const char *figure, int n, double value,
		const char *threshold, const char *source, const char *fmt, ...)
{
	struct evidence *e;
	va_list ap;

	v->ev = xreallocarray(v->ev, v->nev + 1, sizeof(*v->ev));
	e = &v->ev[v->nev++];
	memset(e, 0, sizeof(*e));
	e->hyp = h;
	e->stance = st;
	e->figure = figure;
	e->n = n;
	e->value = value;
	snprintf(e->threshold, sizeof(e->threshold), "%s", threshold ? threshold : "");
	snprintf(e->source, sizeof(e->source), "%s", source);
	va_start(ap, fmt);
	vsnprintf(e->note, sizeof(e->note), fmt, ap);
	va_end(ap);
	if (st == ST_FOR)
		v->hyp[h].n_for++;
	else if (st == ST_AGAINST)
		v->hyp[h].n_against++;
}

/* "median of 3 ok runs" for a point */
static const char *src_runs(const struct vpoint *p, const char *column, char *buf, size_t len)
{
	snprintf(buf, len, "run_metrics.%s, median of %d ok run%s", column, p->runs, p->runs == 1 ? "" : "s");
	return buf;
}

/* "interference.slowdown (cache), median of 3 co-runs" for a point's
 * slowdown beside co-runner k */
static const char *src_coruns(const struct vpoint *p, enum corunner_kind k, char *buf, size_t len)
{
	static const char *const kinds[CO_COUNT] = { "bandwidth", "cache", "cpu" };

	snprintf(buf, len, "interference.slowdown (%s), median of %d co-run%s", kinds[k], p->coruns[k],
		 p->coruns[k] == 1 ? "" : "s");
	return buf;
}

/* "<= 1.3 (serialized_max_cores)": the test, its value and its name */
static const char *thr_text(char *buf, const char *op, int th)
{
	snprintf(buf, 64, "%s %g (%s)", op, th_values[th], th_names[th]);
	return buf;
}
#define THR(op, name) thr_text((char[64]){ 0 }, op, TH_##name)

/* Whether figure f of p (value: its field) clears th from above: its
 * whole interval over the repetitions at or above th. A point made without
 * an interval (one run, or a test's input) is judged by its value. */
static int above(const struct vpoint *p, enum vfig f, double value, double th)
{
	return isnan(p->spread[f].lo) ? value >= th : p->spread[f].lo >= th;
}

/* ... or from below: its whole interval below th (at_most: at or below). */
static int below(const struct vpoint *p, enum vfig f, double value, double th)
{
	return isnan(p->spread[f].hi) ? value < th : p->spread[f].hi < th;
}

static int at_most(const struct vpoint *p, enum vfig f, double value, double th)
{
	return isnan(p->spread[f].hi) ? value <= th : p->spread[f].hi <= th;
}

/* The shape most tests take, on a figure's interval: for the hypothesis
 * when it lies at or above threshold high, against when below threshold
 * low, context otherwise (between them, or straddling one). Returns the
 * stance and leaves in thr (64 bytes) the test that decided it, empty for
 * context. */
static enum stance weigh_fig(const struct vpoint *p, enum vfig f, double value, int high, int low, char *thr)
{
	thr[0] = '\0';
	if (above(p, f, value, th_values[high])) {
		thr_text(thr, ">=", high);
		return ST_FOR;
	}
	if (below(p, f, value, th_values[low])) {
		thr_text(thr, "<", low);
		return ST_AGAINST;
	}
	return ST_CONTEXT;
}

/* " (runs 0.21..0.48: straddles 0.30)" when f's interval straddles th,
 * else "" (buf: 96 bytes). */
static const char *straddle_text(const struct vpoint *p, enum vfig f, double th, char *buf)
{
	const struct interval *iv = &p->spread[f];

	buf[0] = '\0';
	if (!isnan(iv->lo) && iv->lo < th && iv->hi >= th)
		snprintf(buf, 96, " (the runs' interval %.3g..%.3g straddles %g)", iv->lo, iv->hi, th);
	return buf;
}
#define STRADDLE(p, f, th) straddle_text(p, f, th, (char[96]){ 0 })

/* What a slowdown beside a hog says about the hog's resource, against
 * the slowdown cpu beside the CPU hog (NAN when there was no CPU co-run):
 * for when it is slowed and clearly more than beside the CPU hog, against
 * when it is hardly slowed or no more than beside the CPU hog, context in
 * between. thr (64 bytes) as for weigh_fig(). */
static enum stance weigh_slowdown(double slow, double cpu, char *thr)
{
	thr[0] = '\0';
	if (slow >= TH(slowdown_min) && (isnan(cpu) || slow >= cpu * TH(slowdown_contrast))) {
		thr_text(thr, ">=", TH_slowdown_min);
		return ST_FOR;
	}
	if (slow < TH(slowdown_none)) {
		thr_text(thr, "<", TH_slowdown_none);
		return ST_AGAINST;
	}
	if (!isnan(cpu) && slow < cpu * TH(slowdown_no_contrast)) {
		thr_text(thr, "< cpu x", TH_slowdown_no_contrast);
		return ST_AGAINST;
	}
	return ST_CONTEXT;
}

/* The reason of an untestable hypothesis. */
static void untestable(struct verdict *v, enum hypothesis h, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void untestable(struct verdict *v, enum hypothesis h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->hyp[h].reason, sizeof(v->hyp[h].reason), fmt, ap);
	va_end(ap);
}

static int weighed(const struct verdict *v, enum hypothesis h)
{
	return v->hyp[h].n_for || v->hyp[h].n_against;
}

/* The first evidence of h taking stance st, or NULL. */
static const struct evidence *first_evidence(const struct verdict *v, enum hypothesis h, enum stance st)
{
	for (size_t i = 0; i < v->nev; i++)
		if (v->ev[i].hyp == h && v->ev[i].stance == st)
			return &v->ev[i];
	return NULL;
}

/* The point with interference runs, the largest N that has them. */
static const struct vpoint *interference_point(const struct vinput *in)
{
	for (size_t i = in->npts; i-- > 0;)
		if (!isnan(in->pts[i].slowdown[CO_BANDWIDTH]) || !isnan(in->pts[i].slowdown[CO_CACHE]))
			return &in->pts[i];
	return NULL;
}

static const char *const no_coruns = "no interference runs: run again with interference: true";

/* ---- the hypotheses -------------------------------------------------------- */

static void judge_serialized(struct verdict *v, const struct vinput *in, const struct vpoint *p1,
			     const struct vpoint *pn)
{
	char src[96];
	int busy_max = pn->n < in->cores || in->cores <= 0 ? pn->n : in->cores;
	double par = TH(parallel_min_core_share) * busy_max;

	if (pn->n < 2 || isnan(pn->cpu_util)) {
		untestable(v, H_SERIALIZED, "no CPU times at 2 or more workers");
		return;
	}
	if (!isnan(p1->cpu_util) && p1->cpu_util < TH(parallel_min_core_share)) {
		add(v, H_SERIALIZED, ST_AGAINST, "cpu_utilisation", 1, p1->cpu_util, THR("<", parallel_min_core_share),
		    src_runs(p1, "cpu_utilisation", src, sizeof(src)),
		    "1 worker kept only %.2f cores busy: the work waits on something other than the CPU", p1->cpu_util);
		return;
	}
	src_runs(pn, "cpu_utilisation", src, sizeof(src));
	if (at_most(pn, VF_CPU_UTIL, pn->cpu_util, TH(serialized_max_cores))) {
		add(v, H_SERIALIZED, ST_FOR, "cpu_utilisation", pn->n, pn->cpu_util, THR("<=", serialized_max_cores), src,
		    "%d workers kept %.2f cores busy: they ran one at a time", pn->n, pn->cpu_util);
		if (!isnan(pn->speedup) && pn->speedup <= TH(serialized_max_speedup))
			add(v, H_SERIALIZED, ST_FOR, "speedup", pn->n, pn->speedup, THR("<=", serialized_max_speedup),
			    "scaling.speedup", "no faster than one worker");
	} else if (above(pn, VF_CPU_UTIL, pn->cpu_util, par)) {
		add(v, H_SERIALIZED, ST_AGAINST, "cpu_utilisation", pn->n, pn->cpu_util,
		    ">= parallel_min_core_share x min(N, cores)", src, "%d workers kept %.2f cores busy: they ran in parallel",
		    pn->n, pn->cpu_util);
	} else {
		add(v, H_SERIALIZED, ST_CONTEXT, "cpu_utilisation", pn->n, pn->cpu_util, NULL, src,
		    "%d workers kept %.2f cores busy: partly parallel%s", pn->n, pn->cpu_util,
		    STRADDLE(pn, VF_CPU_UTIL, TH(serialized_max_cores)));
	}
	/* cores taken by others keep fewer busy without any lock */
	if (v->hyp[H_SERIALIZED].n_for && !isnan(pn->run_delay_ratio) && pn->run_delay_ratio >= TH(run_delay_high))
		add(v, H_SERIALIZED, ST_AGAINST, "run_delay_ratio", pn->n, pn->run_delay_ratio, THR(">=", run_delay_high),
		    src_runs(pn, "run_delay_ratio", src, sizeof(src)),
		    "workers waited %.2f s for a core per CPU-second: the cores were taken, not the work serial",
		    pn->run_delay_ratio);
	/* hand-offs already frequent with one worker point at the cost of
	 * the hand-offs themselves, not at a lock that bites only with more */
	if (v->hyp[H_SERIALIZED].n_for && !isnan(p1->switches_per_cpu_ms) &&
	    p1->switches_per_cpu_ms >= TH(switches_per_cpu_ms_high) && p1->switches_per_unit >= TH(switches_per_unit_min))
		add(v, H_SERIALIZED, ST_AGAINST, "context_switches_per_cpu_ms", 1, p1->switches_per_cpu_ms,
		    THR(">=", switches_per_cpu_ms_high), src_runs(p1, "context_switches_per_cpu_ms", src, sizeof(src)),
		    "already %.1f switches per CPU-ms with 1 worker: the time goes to hand-offs", p1->switches_per_cpu_ms);
}
static void judge_kernel(struct verdict *v, const struct vpoint *p1, const struct vpoint *pn)
{
	char src[96];
	int any = 0;

	if (isnan(pn->kernel_share) || isnan(p1->kernel_share)) {
		untestable(v, H_KERNEL, "no CPU times (utime, stime) were stored");
		return;
	}
	/* the kernel's share of a few milliseconds of CPU explains nothing */
	if (!isnan(p1->cpu_util) && p1->cpu_util < TH(parallel_min_core_share)) {
		add(v, H_KERNEL, ST_AGAINST, "cpu_utilisation", 1, p1->cpu_util, THR("<", parallel_min_core_share),
		    src_runs(p1, "cpu_utilisation", src, sizeof(src)),
		    "1 worker kept only %.2f cores busy: CPU time, kernel or not, is not what it waits on", p1->cpu_util);
		return;
	}
	src_runs(pn, "kernel_share", src, sizeof(src));
	if (above(pn, VF_KERNEL_SHARE, pn->kernel_share, TH(kernel_share_high))) {
		add(v, H_KERNEL, ST_FOR, "kernel_share", pn->n, pn->kernel_share, THR(">=", kernel_share_high), src,
		    "%.0f%% of CPU time in the kernel at %d workers (%.0f%% with 1)", pn->kernel_share * 100, pn->n,
		    p1->kernel_share * 100);
		any = 1;
	} else if (pn->kernel_share >= TH(kernel_share_high)) {
		add(v, H_KERNEL, ST_CONTEXT, "kernel_share", pn->n, pn->kernel_share, NULL, src,
		    "%.0f%% of CPU time in the kernel%s", pn->kernel_share * 100,
		    STRADDLE(pn, VF_KERNEL_SHARE, TH(kernel_share_high)));
	}
	if (pn->kernel_share - p1->kernel_share >= TH(kernel_share_rise)) {
		add(v, H_KERNEL, ST_FOR, "kernel_share_rise", pn->n, pn->kernel_share - p1->kernel_share,
		    THR(">=", kernel_share_rise), src, "kernel share rose from %.0f%% to %.0f%%", p1->kernel_share * 100,
		    pn->kernel_share * 100);
		any = 1;
	}
	if (p1->kernel_s_per_unit > 0 && pn->kernel_s_per_unit / p1->kernel_s_per_unit >= TH(per_unit_rise) &&
	    pn->kernel_share >= TH(kernel_share_low)) {
		add(v, H_KERNEL, ST_FOR, "kernel_s_per_unit_ratio", pn->n, pn->kernel_s_per_unit / p1->kernel_s_per_unit,
		    THR(">=", per_unit_rise), src_runs(pn, "kernel_s_per_unit", src, sizeof(src)),
		    "kernel time per unit of work %.3fs at %d workers against %.3fs with 1", pn->kernel_s_per_unit, pn->n,
		    p1->kernel_s_per_unit);
		any = 1;
	}
	if (!isnan(pn->faults_per_cpu_s) && pn->faults_per_cpu_s >= TH(faults_per_cpu_s_high) &&
	    pn->kernel_share >= TH(kernel_share_low))
		add(v, H_KERNEL, ST_FOR, "page_faults_per_cpu_s", pn->n, pn->faults_per_cpu_s,
		    THR(">=", faults_per_cpu_s_high), src_runs(pn, "page_faults_per_cpu_s", src, sizeof(src)),
		    "%.0fk page faults per CPU-second: the kernel zeroes and maps pages", pn->faults_per_cpu_s / 1000);
	if (!any && below(pn, VF_KERNEL_SHARE, pn->kernel_share, TH(kernel_share_low)))
		add(v, H_KERNEL, ST_AGAINST, "kernel_share", pn->n, pn->kernel_share, THR("<", kernel_share_low),
		    src_runs(pn, "kernel_share", src, sizeof(src)), "only %.0f%% of CPU time in the kernel",
		    pn->kernel_share * 100);
	/* a share between the thresholds, neither rising nor faulting, is
	 * measured and undecided: say so with the figure, never leave the
	 * hypothesis without a word */
	for (size_t i = 0; i < v->nev; i++)
		if (v->ev[i].hyp == H_KERNEL)
			return;
	add(v, H_KERNEL, ST_CONTEXT, "kernel_share", pn->n, pn->kernel_share, NULL,
	    src_runs(pn, "kernel_share", src, sizeof(src)),
	    "kernel share %.2f at %d workers (%.2f with 1), between %g (kernel_share_low) and %g (kernel_share_high)%s",
	    pn->kernel_share, pn->n, p1->kernel_share, TH(kernel_share_low), TH(kernel_share_high),
	    STRADDLE(pn, VF_KERNEL_SHARE, TH(kernel_share_low)));
}

static void judge_ipc(struct verdict *v, const struct vpoint *p1, const struct vpoint *pn)
{
	char src[96];
	double rate = pn->switches_per_cpu_ms, per = pn->switches_per_unit;

	if (isnan(rate) || isnan(per)) {
		untestable(v, H_IPC, "no context-switch counts were stored");
		return;
	}
	src_runs(pn, "context_switches_per_cpu_ms", src, sizeof(src));
	if (above(pn, VF_SWITCHES_PER_CPU_MS, rate, TH(switches_per_cpu_ms_high)) && per >= TH(switches_per_unit_min))
		add(v, H_IPC, ST_FOR, "context_switches_per_cpu_ms", pn->n, rate, THR(">=", switches_per_cpu_ms_high), src,
		    "%.1f context switches per CPU-millisecond, %.0f per unit of work", rate, per);
	else if (below(pn, VF_SWITCHES_PER_CPU_MS, rate, TH(switches_per_cpu_ms_low)))
		add(v, H_IPC, ST_AGAINST, "context_switches_per_cpu_ms", pn->n, rate, THR("<", switches_per_cpu_ms_low), src,
		    "%.2f context switches per CPU-millisecond, %.0f per unit of work: too few to cost much", rate, per);
	else if (per < TH(switches_per_unit_min))
		add(v, H_IPC, ST_AGAINST, "context_switches_per_unit", pn->n, per, THR("<", switches_per_unit_min),
		    src_runs(pn, "context_switches_per_unit", src, sizeof(src)),
		    "%.0f context switches per unit of work (%.2f per CPU-millisecond): too few to cost much", per, rate);
	else
		add(v, H_IPC, ST_CONTEXT, "context_switches_per_cpu_ms", pn->n, rate, NULL, src,
		    "%.2f context switches per CPU-millisecond", rate);
	if (!isnan(p1->switches_per_cpu_ms) && p1->switches_per_cpu_ms >= TH(switches_per_cpu_ms_high) &&
	    p1->switches_per_unit >= TH(switches_per_unit_min))
		add(v, H_IPC, ST_FOR, "context_switches_per_cpu_ms", 1, p1->switches_per_cpu_ms,
		    THR(">=", switches_per_cpu_ms_high), src_runs(p1, "context_switches_per_cpu_ms", src, sizeof(src)),
		    "already %.1f per CPU-millisecond with 1 worker: every unit of work is handed over",
		    p1->switches_per_cpu_ms);
	if (p1->switches_per_unit > 0 && per >= TH(switches_per_unit_min) &&
	    per / p1->switches_per_unit >= TH(per_unit_rise))
		add(v, H_IPC, ST_FOR, "context_switches_per_unit_ratio", pn->n, per / p1->switches_per_unit,
		    THR(">=", per_unit_rise), src_runs(pn, "context_switches_per_unit", src, sizeof(src)),
		    "switches per unit of work rose from %.0f to %.0f", p1->switches_per_unit, per);
}

static void judge_oversub(struct verdict *v, const struct vinput *in, const struct vpoint *pn)
{
	char src[96], thr[64];
	enum stance st;

	if (in->cores > 0 && pn->n > in->cores)
		add(v, H_OVERSUB, ST_FOR, "n_workers", pn->n, pn->n, "> cores", "runs.n_workers, machines.cores",
		    "%d workers on %d physical cores", pn->n, in->cores);
	if (isnan(pn->run_delay_ratio)) {
		if (!v->hyp[H_OVERSUB].n_for)
			untestable(v, H_OVERSUB, "no run-queue wait was stored (/proc/PID/schedstat unreadable?)");
		return;
	}
	src_runs(pn, "run_delay_ratio", src, sizeof(src));
	st = weigh_fig(pn, VF_RUN_DELAY, pn->run_delay_ratio, TH_run_delay_high, TH_run_delay_low, thr);
	if (st == ST_FOR)
		add(v, H_OVERSUB, st, "run_delay_ratio", pn->n, pn->run_delay_ratio, thr, src,
		    "workers waited %.2f s for a core per CPU-second%s", pn->run_delay_ratio,
		    in->cores > 0 && pn->n <= in->cores ? " (other load on this host?)" : "");
	else
		add(v, H_OVERSUB, st, "run_delay_ratio", pn->n, pn->run_delay_ratio, thr, src,
		    st == ST_AGAINST ? "workers seldom waited for a core (%.3f s per CPU-second)"
				     : "workers waited %.2f s for a core per CPU-second",
		    pn->run_delay_ratio);
	if (!isnan(pn->migrations_per_s) && pn->migrations_per_s > 0)
		add(v, H_OVERSUB, ST_CONTEXT, "migrations_per_s", pn->n, pn->migrations_per_s, NULL,
		    src_runs(pn, "migrations_per_s", src, sizeof(src)), "%.1f migrations per second", pn->migrations_per_s);
}


/* Bandwidth near or far from this machine's ceiling. */
static void bandwidth_ceiling(struct verdict *v, const struct vinput *in, const struct vpoint *pn)
{
	char src[96], thr[64];
	enum stance st;

	if (isnan(pn->ceiling)) {
		if (!isnan(pn->gbps))
			add(v, H_BANDWIDTH, ST_CONTEXT, "gb_per_s", pn->n, pn->gbps, NULL, "run_metrics.gb_per_s",
			    "%.1f GB/s, but this machine's ceiling was not measured (scalprof probe)", pn->gbps);
		return;
	}
	snprintf(src, sizeof(src), "run_metrics.ceiling_fraction (%s), median of %d", in->bw_source ? in->bw_source : "?",
		 pn->runs);
	st = weigh_fig(pn, VF_CEILING, pn->ceiling, TH_ceiling_near, TH_ceiling_far, thr);
	if (st == ST_CONTEXT)
		add(v, H_BANDWIDTH, st, "ceiling_fraction", pn->n, pn->ceiling, thr, src,
		    "%.1f GB/s, %.0f%% of this machine's ceiling", pn->gbps, pn->ceiling * 100);
	else
		add(v, H_BANDWIDTH, st, "ceiling_fraction", pn->n, pn->ceiling, thr, src,
		    st == ST_FOR ? "%.1f GB/s, %.0f%% of this machine's ceiling at %d workers"
				 : "%.1f GB/s, only %.0f%% of this machine's ceiling at %d workers",
		    pn->gbps, pn->ceiling * 100, pn->n);
}

/* LLC misses per 1000 instructions at pn over at 1 worker: 1 and
 * *ret_ratio when both were counted, else 0. */
static int mpki_ratio(const struct vpoint *p1, const struct vpoint *pn, double *ret_ratio)
{
	if (isnan(p1->mpki) || isnan(pn->mpki) || p1->mpki <= 0)
		return 0;
	*ret_ratio = pn->mpki / p1->mpki;
	return 1;
}

/* LLC misses per 1000 instructions: rising points at the cache, steady
 * while each miss waits longer at the memory bus. */
static void bandwidth_mpki(struct verdict *v, const struct vpoint *p1, const struct vpoint *pn)
{
	char src[96];
	double ratio;

	if (!mpki_ratio(p1, pn, &ratio))
		return;
	src_runs(pn, "llc_mpki", src, sizeof(src));
	if (ratio >= TH(mpki_rise) && pn->mpki >= TH(mpki_min))
		add(v, H_BANDWIDTH, ST_AGAINST, "llc_mpki_ratio", pn->n, ratio, THR(">=", mpki_rise), src,
		    "LLC misses per 1000 instructions rose %.1fx (%.2f to %.2f): the cache, not the memory bus", ratio,
		    p1->mpki, pn->mpki);
	else if (ratio <= TH(mpki_steady) && ratio >= 1 / TH(mpki_steady) && pn->mpki >= TH(mpki_min))
		add(v, H_BANDWIDTH, ST_FOR, "llc_mpki_ratio", pn->n, ratio, THR("within", mpki_steady), src,
		    "LLC misses per 1000 instructions steady (%.2f to %.2f) while each miss waits longer", p1->mpki,
		    pn->mpki);
}

/* The slowdown beside the bandwidth co-runner against the CPU hog. */
static void bandwidth_interference(struct verdict *v, const struct vpoint *pi)
{
	double bw = pi->slowdown[CO_BANDWIDTH], cpu = pi->slowdown[CO_CPU];
	int fits = !isnan(pi->wset_llc) && pi->wset_llc <= 1;
	char src[96], thr[64];
	enum stance st = weigh_slowdown(bw, cpu, thr);

	src_coruns(pi, CO_BANDWIDTH, src, sizeof(src));
	if (st == ST_FOR && fits)
		add(v, H_BANDWIDTH, ST_CONTEXT, "slowdown_bandwidth", pi->n, bw, NULL, src,
		    "%.2fx beside the bandwidth co-runner, but the working set fits in the cache: its traffic evicts the "
		    "cache", bw);
	else if (st == ST_FOR && isnan(cpu))
		add(v, H_BANDWIDTH, st, "slowdown_bandwidth", pi->n, bw, thr, src,
		    "%.2fx slower beside the bandwidth co-runner (no CPU co-run to compare)", bw);
	else if (st == ST_FOR)
		add(v, H_BANDWIDTH, st, "slowdown_bandwidth", pi->n, bw, thr, src,
		    "%.2fx slower beside the bandwidth co-runner, %.2fx beside the CPU hog (at least %gx it)", bw, cpu,
		    TH(slowdown_contrast));
	else if (st == ST_AGAINST)
		add(v, H_BANDWIDTH, st, "slowdown_bandwidth", pi->n, bw, thr, src,
		    "%.2fx beside the bandwidth co-runner%s: more traffic on the bus hardly slows it", bw,
		    isnan(cpu) ? "" : " (no more than beside the CPU hog)");
	else
		add(v, H_BANDWIDTH, st, "slowdown_bandwidth", pi->n, bw, thr, src,
		    "%.2fx beside the bandwidth co-runner, %.2fx beside the CPU hog: within the noise", bw, cpu);
}

/* The machine's own ceiling bounds how well bandwidth-bound work can
 * scale: its bandwidth at n over n x its bandwidth at 1. Work that scales
 * clearly better is not bandwidth-bound; work that tracks it may be. A
 * ceiling that itself scales bounds nothing. */
static void bandwidth_scaling(struct verdict *v, const struct vpoint *pn)
{
	double cs = pn->ceiling_scaling, e = pn->efficiency;
	char thr[64];

	if (isnan(cs) || isnan(e) || cs >= TH(scales_efficiency))
		return;
	if (e > cs + TH(ceiling_track)) {
		thr_text(thr, "> ceiling scaling +", TH_ceiling_track);
		add(v, H_BANDWIDTH, ST_AGAINST, "ceiling_scaling", pn->n, cs, thr,
		    "machine_bandwidth: ceiling at n / (n x at 1), against scaling.efficiency",
		    "efficiency %.2f at %d workers, above the %.2f this machine's bandwidth allows: not bound by it",
		    e, pn->n, cs);
	} else if (e >= cs - TH(ceiling_track)) {
		add(v, H_BANDWIDTH, ST_CONTEXT, "ceiling_scaling", pn->n, cs, NULL,
		    "machine_bandwidth: ceiling at n / (n x at 1), against scaling.efficiency",
		    "efficiency %.2f at %d workers tracks this machine's bandwidth scaling (%.2f): consistent with it",
		    e, pn->n, cs);
	}
}

/* "bandit_curves: least squares over 15 bandit runs at 1 worker" */
static const char *src_curve(const struct bandit_curve *c, char *buf, size_t len)
{
	snprintf(buf, len, "bandit_curves: least squares over %d bandit run%s at %d worker%s", c->points,
		 c->points == 1 ? "" : "s", c->n, c->n == 1 ? "" : "s");
	return buf;
}

/* The graded bandit's curves, in place of the bandwidth co-run's one
 * point: rising for, flat and step against, unseparated context. */
static void bandwidth_bandit(struct verdict *v)
{
	for (size_t i = 0; i < v->ncurves; i++) {
		const struct bandit_curve *c = &v->curves[i];
		char src[96], thr[64];
		enum stance st = c->shape == BS_RISING ? ST_FOR
				 : c->shape == BS_FLAT || c->shape == BS_STEP ? ST_AGAINST
									       : ST_CONTEXT;

		snprintf(thr, sizeof(thr), "%s %g (bandit_rise), across the curve",
			 c->shape == BS_RISING ? ">=" : "within +-", TH(bandit_rise));
		if (c->shape == BS_STEP)
			thr_text(thr, ">=", TH_bandit_step);
		add(v, H_BANDWIDTH, st, c->shape == BS_STEP ? "bandit_step" : "bandit_slope", c->n,
		    c->shape == BS_STEP ? c->step.mid : c->slope.mid, st == ST_CONTEXT ? NULL : thr,
		    src_curve(c, src, sizeof(src)), "%s", c->note);
	}
}

static void judge_bandwidth(struct verdict *v, const struct vinput *in, const struct vpoint *p1,
			    const struct vpoint *pn)
{
	const struct vpoint *pi = interference_point(in);
	const char *bwr;

	bandwidth_ceiling(v, in, pn);
	bandwidth_scaling(v, pn);
	bandwidth_mpki(v, p1, pn);
	if (v->ncurves)
		bandwidth_bandit(v);
	else if (pi && !isnan(pi->slowdown[CO_BANDWIDTH]))
		bandwidth_interference(v, pi);
	if (weighed(v, H_BANDWIDTH))
		return;
	bwr = in->bw_source && !in->ceiling_known ? "the ceiling was not measured (run scalprof probe)"
		: in->bw_reason ? in->bw_reason : "bandwidth was not measured";
	/* the bandwidth probe's reason may already say why LLC misses are missing */
	untestable(v, H_BANDWIDTH, "bandwidth: %s%s%s; %s", bwr, strstr(bwr, "LLC") ? "" : "; LLC misses: ",
		   strstr(bwr, "LLC") ? "" : in->llc_reason ? in->llc_reason : "steady or too few to weigh",
		   pi ? "the interference runs were within the noise" : no_coruns);
}

/* LLC misses per 1000 instructions rising below the bandwidth ceiling:
 * workers evict each other. */
static void cache_mpki(struct verdict *v, const struct vpoint *p1, const struct vpoint *pn)
{
	char src[96];
	double ratio;

	if (!mpki_ratio(p1, pn, &ratio))
		return;
	src_runs(pn, "llc_mpki", src, sizeof(src));
	if (ratio >= TH(mpki_rise) && pn->mpki >= TH(mpki_min) && (isnan(pn->ceiling) || pn->ceiling < TH(ceiling_near)))
		add(v, H_CACHE, ST_FOR, "llc_mpki_ratio", pn->n, ratio, THR(">=", mpki_rise), src,
		    "LLC misses per 1000 instructions rose %.1fx (%.2f to %.2f) below the bandwidth ceiling", ratio,
		    p1->mpki, pn->mpki);
	else if (ratio < TH(mpki_steady))
		add(v, H_CACHE, ST_AGAINST, "llc_mpki_ratio", pn->n, ratio, THR("<", mpki_steady), src,
		    "LLC misses per 1000 instructions steady (%.2f to %.2f): workers do not evict each other", p1->mpki,
		    pn->mpki);
}

/* The workers' working sets against the usable LLC. */
static void cache_wset(struct verdict *v, const struct vpoint *p1, const struct vpoint *pn)
{
	char src[96];

	if (isnan(p1->wset_llc) || isnan(pn->wset_llc))
		return;
	src_runs(pn, "working_set_per_llc", src, sizeof(src));
	if (p1->wset_llc > 1)
		add(v, H_CACHE, ST_AGAINST, "working_set_per_llc", 1, p1->wset_llc, "> 1",
		    src_runs(p1, "working_set_per_llc", src, sizeof(src)),
		    "one worker's working set is already %.1fx the usable LLC: it runs from memory at any N", p1->wset_llc);
	else if (pn->wset_llc > 1)
		add(v, H_CACHE, ST_FOR, "working_set_per_llc", pn->n, pn->wset_llc, "> 1 while <= 1 at 1 worker", src,
		    "%d working sets are %.1fx the usable LLC while one fits (%.2fx)", pn->n, pn->wset_llc, p1->wset_llc);
	else if (pn->wset_llc < TH(wset_fits))
		add(v, H_CACHE, ST_AGAINST, "working_set_per_llc", pn->n, pn->wset_llc, THR("<", wset_fits), src,
		    "%d working sets fill only %.0f%% of the usable LLC", pn->n, pn->wset_llc * 100);
	else
		add(v, H_CACHE, ST_CONTEXT, "working_set_per_llc", pn->n, pn->wset_llc, NULL, src,
		    "%d working sets fill %.0f%% of the usable LLC", pn->n, pn->wset_llc * 100);
}

/* The slowdown beside the cache co-runner against the CPU hog; and the
 * bandwidth co-runner's, whose traffic evicts a working set that fits. */
static void cache_interference(struct verdict *v, const struct vpoint *pi)
{
	double c = pi->slowdown[CO_CACHE], bw = pi->slowdown[CO_BANDWIDTH], cpu = pi->slowdown[CO_CPU];
	char src[96], thr[64];
	enum stance st;

	if (!isnan(c)) {
		st = weigh_slowdown(c, cpu, thr);
		add(v, H_CACHE, st, "slowdown_cache", pi->n, c, thr, src_coruns(pi, CO_CACHE, src, sizeof(src)),
		    st == ST_FOR ? "%.2fx slower beside the cache co-runner (%.2fx beside the CPU hog)"
		    : st == ST_AGAINST
			    ? "%.2fx beside the cache co-runner (%.2fx beside the CPU hog): losing cache hardly slows it"
			    : "%.2fx beside the cache co-runner, %.2fx beside the CPU hog: within the noise",
		    c, cpu);
	}
	if (!isnan(bw) && !isnan(pi->wset_llc) && pi->wset_llc <= 1 && weigh_slowdown(bw, cpu, thr) == ST_FOR)
		add(v, H_CACHE, ST_FOR, "slowdown_bandwidth", pi->n, bw, thr,
		    src_coruns(pi, CO_BANDWIDTH, src, sizeof(src)),
		    "%.2fx beside the bandwidth co-runner, whose traffic evicts a working set that fits (%.2fx LLC)", bw,
		    pi->wset_llc);
}

static void judge_cache(struct verdict *v, const struct vinput *in, const struct vpoint *p1, const struct vpoint *pn)
{
	const struct vpoint *pi = interference_point(in);

	cache_mpki(v, p1, pn);
	cache_wset(v, p1, pn);
	for (size_t i = 0; i < v->ncurves; i++)
		if (v->curves[i].shape == BS_STEP)
			add(v, H_CACHE, ST_FOR, "bandit_step", v->curves[i].n, v->curves[i].step.mid, THR(">=", bandit_step),
			    src_curve(&v->curves[i], (char[96]){ 0 }, 96), "%s", v->curves[i].note);
	if (pi)
		cache_interference(v, pi);
	if (!weighed(v, H_CACHE))
		untestable(v, H_CACHE, "LLC misses: %s; working set: %s; %s", in->llc_reason ? in->llc_reason : "too few to weigh",
			   isnan(pn->wset_llc) ? "unknown for commands, or usable LLC not measured" : "inconclusive",
			   pi ? "no cache co-run" : no_coruns);
}

/* ---- the verdict ------------------------------------------------------------ */

/* ---- the speedup stack ---------------------------------------------------- */

/* The stack point with the lowest efficiency, or NULL. */
static const struct stack_point *worst_stack_point(const struct verdict *v)
{
	const struct stack_point *w = NULL;

	for (size_t i = 0; i < v->nstack; i++)
		if (!isnan(v->stack[i].efficiency.mid) && (!w || v->stack[i].efficiency.mid < w->efficiency.mid))
			w = &v->stack[i];
	return w;
}

/* What the stack says of the hypotheses whose cause is one component:
 * extra kernel CPU for the kernel, idle for serialization, waiting for
 * oversubscription. A share clears a threshold only when its interval
 * does; one that straddles is context. */
static void stack_evidence(struct verdict *v, const struct stack_point *sp)
{
	static const struct {
		enum stack_comp c;
		enum hypothesis h;
		const char *figure, *what;
	} map[] = {
		{ SC_KERNEL, H_KERNEL, "stack.extra_kernel_share", "extra kernel CPU" },
		{ SC_IDLE, H_SERIALIZED, "stack.idle_share", "idle reserved cores" },
		{ SC_WAITING, H_OVERSUB, "stack.waiting_share", "waiting for a core" },
	};
	char thr[64];

	if (!sp || !(sp->lost.mid > 0))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
		const struct interval *iv = &sp->comp[map[i].c];
		double share = sp->share[map[i].c], lo = iv->lo / sp->lost.mid, hi = iv->hi / sp->lost.mid;
		enum stance st = ST_CONTEXT;

		thr[0] = '\0';
		if (share >= TH(component_major) && (isnan(lo) || lo >= TH(component_minor))) {
			st = ST_FOR;
			thr_text(thr, ">=", TH_component_major);
		} else if (share < TH(component_minor) && (isnan(hi) || hi < TH(component_major))) {
			st = ST_AGAINST;
			thr_text(thr, "<", TH_component_minor);
		}
		add(v, map[i].h, st, map[i].figure, sp->n, share, thr, "speedup_stack, mean of the runs at 1 and at n",
		    "%s is %.0f%% of the lost time (%+.3f core-s per unit of work)", map[i].what, share * 100,
		    iv->mid);
	}
}

/* The lead figure for a hypothesis, as the words of its first evidence
 * for it; NULL when it has none. */
static const char *lead_note(const struct verdict *v, enum hypothesis h)
{
	const struct evidence *e = first_evidence(v, h, ST_FOR);

	return e ? e->note : NULL;
}

/* Whether h is the better-supported explanation: supported, or mixed with
 * more figures for than against. */
static int holds(const struct verdict *v, enum hypothesis h)
{
	const struct hyp_result *r = &v->hyp[h];

	return r->status == HS_SUPPORTED || (r->status == HS_MIXED && r->n_for > r->n_against);
}

/* Whether h has figure taking stance st. */
static int cited(const struct verdict *v, enum hypothesis h, const char *figure, enum stance st)
{
	for (size_t i = 0; i < v->nev; i++)
		if (v->ev[i].hyp == h && v->ev[i].stance == st && strcmp(v->ev[i].figure, figure) == 0)
			return 1;
	return 0;
}

/* Which hypothesis explains component c, and in what words (into buf); -1
 * when none does. */
static int explain(const struct verdict *v, const struct vinput *in, const struct vpoint *pn,
		   const struct stack_point *sp, enum stack_comp c, char *buf, size_t len)
{
	const char *note;

	switch (c) {
	case SC_USER:
		for (int h = H_BANDWIDTH; h <= H_CACHE; h++)
			if (holds(v, h) && (note = lead_note(v, h))) {
				snprintf(buf, len, "%.*s", (int)len - 1, note);
				return h;
			}
		snprintf(buf, len, "%s", interference_point(in) ? "more work per unit, with no contention shown beside the co-runners"
								 : "contention or more work: untested here: run again with interference: true");
		return -1;
	case SC_KERNEL:
		if (pn && !isnan(pn->faults_per_cpu_s) && !isnan(pn->switches_per_cpu_ms))
			snprintf(buf, len, "%.0fk page faults per CPU-s, %.2f switches per CPU-ms", pn->faults_per_cpu_s / 1000,
				 pn->switches_per_cpu_ms);
		else
			snprintf(buf, len, "page faults, system calls or switches");
		return H_KERNEL;
	case SC_WAITING:
		snprintf(buf, len, "its threads and children waited %.2f s per CPU-s; others took %.0f%% of the reserved cores",
			 isnan(sp->wait_ratio) ? 0 : sp->wait_ratio, isnan(sp->host_busy) ? 0 : sp->host_busy * 100);
		return H_OVERSUB;
	case SC_IDLE:
		/* cores busy near one say serialized, whatever the hand-offs
		 * cost; without that sign, hand-offs that were already costly
		 * with one worker are what keeps the others idle */
		if (!cited(v, H_SERIALIZED, "cpu_utilisation", ST_FOR) && holds(v, H_IPC) && (note = lead_note(v, H_IPC))) {
			snprintf(buf, len, "blocked on hand-offs: %.*s", (int)len - 23, note);
			return H_IPC;
		}
		if (!isnan(sp->serial_phase) && sp->serial_phase > 0)
			snprintf(buf, len, "%.2f of %d cores busy; a serial phase of %.2f s of %.2f s; Amdahl's f %.2f"
				 " caps efficiency at %.2f", pn && !isnan(pn->cpu_util) ? pn->cpu_util : NAN, sp->n,
				 sp->serial_phase, sp->wall.mid, sp->amdahl, stack_amdahl_bound(sp));
		else
			snprintf(buf, len, "%.2f of %d cores busy; serial fraction %.2f (Karp-Flatt)",
				 pn && !isnan(pn->cpu_util) ? pn->cpu_util : NAN, sp->n, sp->serial_fraction);
		return H_SERIALIZED;
	default:
		snprintf(buf, len, "CPU time beyond the reserved cores");
		return -1;
	}
}

/* The components by size, largest first. */
static void rank_components(const struct stack_point *sp, enum stack_comp order[SC_COUNT])
{
	for (int i = 0; i < SC_COUNT; i++)
		order[i] = (enum stack_comp)i;
	for (int i = 1; i < SC_COUNT; i++)
		for (int j = i; j > 0 && sp->comp[order[j]].mid > sp->comp[order[j - 1]].mid; j--) {
			enum stack_comp t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
}

/* "68% of the lost time is extra kernel CPU (...), 25% extra user CPU
 * (...)": the three largest components of at least component_minor, into
 * v->stack_line; returns the hypothesis that explains the largest (-1:
 * none) and its component in *ret_lead. */
static int describe_stack(struct verdict *v, const struct vinput *in, const struct vpoint *pn,
			  const struct stack_point *sp, enum stack_comp *ret_lead)
{
	enum stack_comp order[SC_COUNT];
	size_t len = 0;
	int lead_h = -1;

	rank_components(sp, order);
	*ret_lead = order[0];
	for (int i = 0; i < 3 && len < sizeof(v->stack_line); i++) {
		enum stack_comp c = order[i];
		char why[200];
		int h;

		if (!(sp->share[c] >= TH(component_minor)))
			continue;
		h = explain(v, in, pn, sp, c, why, sizeof(why));
		if (i == 0)
			lead_h = h;
		len += (size_t)snprintf(v->stack_line + len, sizeof(v->stack_line) - len, "%s%.0f%%%s %s (%s)",
					len ? ", " : "", sp->share[c] * 100, len ? "" : " of the lost time is", stack_comp_label(c),
					why);
	}
	if (!len)
		snprintf(v->stack_line, sizeof(v->stack_line), "no core-seconds lost against perfect scaling");
	return lead_h;
}

/* "efficiency 0.72 [0.66, 0.79] at 2 workers" */
static int eff_text(const struct stack_point *sp, char *buf, size_t len)
{
	if (isnan(sp->efficiency.lo))
		return snprintf(buf, len, "efficiency %.2f at %d workers (%d run%s: no spread)", sp->efficiency.mid,
				sp->n, sp->runs, sp->runs == 1 ? "" : "s");
	if (isinf(sp->efficiency.hi))
		return snprintf(buf, len, "efficiency %.2f [%.2f, unbounded] at %d workers", sp->efficiency.mid,
				sp->efficiency.lo, sp->n);
	return snprintf(buf, len, "efficiency %.2f [%.2f, %.2f] at %d workers", sp->efficiency.mid, sp->efficiency.lo,
			sp->efficiency.hi, sp->n);
}

/* Lowers a confidence one step. */
static const char *lower(const char *conf)
{
	return strcmp(conf, "high") == 0 ? "medium" : "low";
}

/* Was the host busy while the runs at sp ran? */
static int host_busy(const struct stack_point *sp)
{
	return sp->host_busy >= TH(host_busy_high) || sp->psi_cpu_share >= TH(host_busy_high);
}

/* The verdict from the stack: scales when every point's efficiency
 * interval clears scales_efficiency; not, when the worst point's lies
 * below it, named by the largest component; undecided in between. */
static void conclude_stack(struct verdict *v, const struct vinput *in, const struct vpoint *pn,
			   const struct stack_point *sp)
{
	char eff[96];
	int clear_above = 1, lead_h;
	enum stack_comp lead;

	v->n = sp->n;
	v->efficiency = sp->efficiency.mid;
	v->eff = sp->efficiency;
	eff_text(sp, eff, sizeof(eff));
	for (size_t i = 0; i < v->nstack; i++) {
		const struct interval *e = &v->stack[i].efficiency;

		clear_above &= (isnan(e->lo) ? e->mid : e->lo) >= TH(scales_efficiency);
	}
	lead_h = describe_stack(v, in, pn, sp, &lead);
	v->decided = 1;
	if (clear_above) {
		v->verdict = "scales";
		v->confidence = sp->runs >= 3 && sp->runs1 >= 3 && !isnan(sp->efficiency.lo) ? "high" : "medium";
		snprintf(v->reason, sizeof(v->reason), "%s, all at or above %.2f", eff, TH(scales_efficiency));
	} else if ((isnan(sp->efficiency.hi) ? sp->efficiency.mid : sp->efficiency.hi) < TH(scales_efficiency)) {
		v->verdict = lead_h >= 0 ? hypothesis_name(lead_h) : "inconclusive";
		v->confidence = lead_h < 0 ? "low" : sp->share[lead] >= 0.5 && sp->comp[lead].lo > 0 ? "high"
						: sp->comp[lead].lo > 0 || isnan(sp->comp[lead].lo) ? "medium" : "low";
		if (isnan(sp->efficiency.lo) && strcmp(v->confidence, "high") == 0)
			v->confidence = "medium";
		snprintf(v->reason, sizeof(v->reason), "%s; %s", eff, v->stack_line);
	} else {
		v->decided = 0;
		v->more_runs = stats_runs_to_clear(&sp->efficiency, TH(scales_efficiency), sp->runs);
		v->verdict = "inconclusive";
		v->confidence = "low";
		if (v->more_runs > 0)
			snprintf(v->reason, sizeof(v->reason), "%s straddles %.2f: about %d runs per worker count would likely decide; %s",
				 eff, TH(scales_efficiency), v->more_runs, v->stack_line);
		else
			snprintf(v->reason, sizeof(v->reason), "%s is too close to %.2f for more runs to decide; %s", eff,
				 TH(scales_efficiency), v->stack_line);
	}
	if (host_busy(sp)) {
		size_t len = strlen(v->reason);

		v->confidence = lower(v->confidence);
		snprintf(v->reason + len, sizeof(v->reason) - len,
			 " (a busy host: others took %.0f%% of the reserved cores, CPU pressure %.0f%%)",
			 isnan(sp->host_busy) ? 0 : sp->host_busy * 100, isnan(sp->psi_cpu_share) ? 0 : sp->psi_cpu_share * 100);
	}
}

/* When two hypotheses have as many figures for them, the more specific
 * explanation wins: a structural cause before the symptoms it brings. */
static const enum hypothesis priority[H_COUNT] = {
	H_OVERSUB, H_SERIALIZED, H_BANDWIDTH, H_CACHE, H_IPC, H_KERNEL,
};

static void settle(struct verdict *v, enum hypothesis h)
{
	struct hyp_result *r = &v->hyp[h];
	int context = 0;

	for (size_t i = 0; i < v->nev; i++)
		context |= v->ev[i].hyp == h;
	if (r->n_for && !r->n_against)
		r->status = HS_SUPPORTED;
	else if (r->n_for)
		r->status = HS_MIXED;
	else if (r->n_against)
		r->status = HS_CONTRADICTED;
	else if (context) {
		/* the figure itself, so that "unclear" is never said without it */
		const struct evidence *e = first_evidence(v, h, ST_CONTEXT);

		r->status = HS_UNCLEAR;
		snprintf(r->reason, sizeof(r->reason), "between the thresholds: %.*s", (int)sizeof(r->reason) - 25,
			 e ? e->note : "see the evidence");
	} else {
		r->status = HS_UNTESTABLE;
		if (!r->reason[0])
			snprintf(r->reason, sizeof(r->reason), "none of the figures it weighs was measured");
	}
}

/* The worst point: the lowest efficiency beyond 1 worker. */
static const struct vpoint *worst_point(const struct vinput *in)
{
	const struct vpoint *w = NULL;

	for (size_t i = 0; i < in->npts; i++) {
		const struct vpoint *p = &in->pts[i];

		if (p->n > 1 && !isnan(p->efficiency) && (!w || p->efficiency < w->efficiency))
			w = p;
	}
	return w;
}

static void bandwidth_line(struct verdict *v)
{
	const struct hyp_result *h = &v->hyp[H_BANDWIDTH];
	const struct evidence *lead = NULL;

	for (size_t i = 0; i < v->nev; i++)
		if (v->ev[i].hyp == H_BANDWIDTH && v->ev[i].stance != ST_CONTEXT &&
		    (!lead || (h->status != HS_CONTRADICTED && v->ev[i].stance == ST_FOR && lead->stance != ST_FOR)))
			lead = &v->ev[i];
	switch (h->status) {
	case HS_SUPPORTED:
		snprintf(v->bw_line, sizeof(v->bw_line), "supported: %s", lead ? lead->note : "");
		break;
	case HS_MIXED:
		snprintf(v->bw_line, sizeof(v->bw_line), "mixed: %d figure%s for, %d against (see the evidence)",
			 h->n_for, h->n_for == 1 ? "" : "s", h->n_against);
		break;
	case HS_CONTRADICTED:
		snprintf(v->bw_line, sizeof(v->bw_line), "contradicted: %s", lead ? lead->note : "");
		break;
	case HS_UNCLEAR:
		/* only context: the first of it */
		lead = first_evidence(v, H_BANDWIDTH, ST_CONTEXT);
		snprintf(v->bw_line, sizeof(v->bw_line), "unclear: %s", lead ? lead->note : "");
		break;
	case HS_UNTESTABLE:
		if (strcmp(v->verdict, "scales") == 0)
			snprintf(v->bw_line, sizeof(v->bw_line),
				 "not testable on this host, and not needed: the workload scales (%s)", h->reason);
		else
			snprintf(v->bw_line, sizeof(v->bw_line), "not testable on this host: %s", h->reason);
		break;
	}
}

/* Without an ok run at 1 worker and one beyond, nothing can be judged. */
static void conclude_nothing(struct verdict *v, const struct vpoint *p1)
{
	const char *why = !p1 ? "no ok run with 1 worker to compare with"
			      : "no ok run with more than 1 worker: add worker counts, e.g. workers: [1, 2]";

	v->verdict = "inconclusive";
	v->confidence = "low";
	snprintf(v->reason, sizeof(v->reason), "%s", why);
	for (int h = 0; h < H_COUNT; h++)
		untestable(v, h, "%s", why);
	snprintf(v->bw_line, sizeof(v->bw_line), "not testable: %s", why);
}

/* The supported hypothesis with the most figures for it; ties go to the
 * earlier in priority; failing that, a mixed one with more for than
 * against. -1 when there is none. */
static int best_hypothesis(const struct verdict *v)
{
	int best = -1;

	for (int pass = 0; pass < 2 && best < 0; pass++)
		for (int i = 0; i < H_COUNT; i++) {
			enum hypothesis h = priority[i];
			const struct hyp_result *r = &v->hyp[h];

			if (pass == 0 && r->status != HS_SUPPORTED)
				continue;
			if (pass == 1 && (r->status != HS_MIXED || r->n_for <= r->n_against))
				continue;
			if (best < 0 || r->n_for - r->n_against > v->hyp[best].n_for - v->hyp[best].n_against)
				best = h;
		}
	return best;
}

static void conclude_hypothesis(struct verdict *v, const struct vpoint *pn, enum hypothesis best)
{
	const struct hyp_result *r = &v->hyp[best];
	const struct evidence *lead = first_evidence(v, best, ST_FOR);

	v->verdict = hypothesis_name(best);
	v->confidence = r->status == HS_MIXED ? "low" : r->n_for >= 2 ? "high" : "medium";
	snprintf(v->reason, sizeof(v->reason), "efficiency %.2f at %d workers; %s", pn->efficiency, pn->n,
		 lead ? lead->note : "");
}

/* No hypothesis supported: name those that could not be tested here. */
static void conclude_inconclusive(struct verdict *v, const struct vinput *in, const struct vpoint *pn)
{
	char missing[200] = "";
	size_t len = 0;

	for (int h = 0; h < H_COUNT; h++)
		if (v->hyp[h].status == HS_UNTESTABLE)
			len += (size_t)snprintf(missing + len, len < sizeof(missing) ? sizeof(missing) - len : 0, "%s%s",
						len ? ", " : "", hypothesis_name(h));
	v->verdict = "inconclusive";
	v->confidence = "low";
	snprintf(v->reason, sizeof(v->reason), "efficiency %.2f at %d workers, and no hypothesis is supported%s%s%s",
		 pn->efficiency, pn->n, len ? " (untestable here: " : "", missing, len ? ")" : "");
	if (!interference_point(in) &&
	    (v->hyp[H_BANDWIDTH].status == HS_UNTESTABLE || v->hyp[H_CACHE].status == HS_UNTESTABLE))
		snprintf(v->reason + strlen(v->reason), sizeof(v->reason) - strlen(v->reason),
			 ": run again with interference: true");
}

void verdict_judge(const struct vinput *in, struct verdict *v)
{
	const struct vpoint *p1 = NULL, *pn;
	const struct stack_point *sp;
	int best;

	memset(v, 0, sizeof(*v));
	v->workload = xstrdup(in->workload);
	v->mode = xstrdup(in->mode);
	v->efficiency = NAN;
	bandit_curves(in->bandit, in->nbandit, in->cores, in->ceiling_gbps, TH(bandit_rise), TH(bandit_step), &v->curves, &v->ncurves);
	for (size_t i = 0; i < in->npts; i++)
		if (in->pts[i].n == 1 && in->pts[i].runs > 0)
			p1 = &in->pts[i];
	pn = worst_point(in);
	if (!p1 || !pn) {
		conclude_nothing(v, p1);
		return;
	}
	stack_build(in->runs, in->nruns, &v->stack, &v->nstack);
	sp = worst_stack_point(v);
	/* the hypotheses are weighed where the stack found the most lost */
	for (size_t i = 0; sp && i < in->npts; i++)
		if (in->pts[i].n == sp->n && in->pts[i].runs > 0)
			pn = &in->pts[i];
	v->n = pn->n;
	v->efficiency = pn->efficiency;
	v->eff = (struct interval){ pn->efficiency, NAN, NAN, NAN };
	judge_bandwidth(v, in, p1, pn);
	judge_cache(v, in, p1, pn);
	judge_kernel(v, p1, pn);
	judge_serialized(v, in, p1, pn);
	judge_ipc(v, p1, pn);
	judge_oversub(v, in, pn);
	stack_evidence(v, sp);
	for (int h = 0; h < H_COUNT; h++)
		settle(v, h);

	if (sp) {
		conclude_stack(v, in, pn, sp);
	} else if (pn->efficiency >= TH(scales_efficiency)) {
		v->verdict = "scales";
		v->confidence = p1->runs >= 3 && pn->runs >= 3 ? "high" : "medium";
		snprintf(v->reason, sizeof(v->reason), "efficiency %.2f at %d workers (lowest beyond 1), >= %.2f",
			 pn->efficiency, pn->n, TH(scales_efficiency));
	} else if ((best = best_hypothesis(v)) >= 0) {
		conclude_hypothesis(v, pn, best);
	} else {
		conclude_inconclusive(v, in, pn);
	}
	bandwidth_line(v);
}

struct verdict *verdict_judge_all(const struct vinput *in, size_t n)
{
	struct verdict *v = xcalloc(n ? n : 1, sizeof(*v));

	for (size_t i = 0; i < n; i++)
		verdict_judge(&in[i], &v[i]);
	return v;
}
