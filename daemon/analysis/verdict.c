/* verdict.c: the verdict engine (see verdict.h). Each hypothesis is a set of
 * tests of one figure against one threshold; a test that passes is a figure
 * for it, one that fails clearly is a figure against it, one in between is
 * kept as context. A hypothesis with figures for and none against is
 * supported; with both, mixed; with only figures against, contradicted; with
 * none at all, untestable, and the reason says what was missing. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
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

/* ---- names -------------------------------------------------------------- */

static const char *const hyp_names[H_COUNT] = {
	"memory-bandwidth", "shared-cache", "kernel", "serialized", "ipc-overhead", "oversubscribed",
};

/* When two hypotheses have as many figures for them, the more specific
 * explanation wins: a structural cause before the symptoms it brings. */
static const enum hypothesis priority[H_COUNT] = {
	H_OVERSUB, H_SERIALIZED, H_BANDWIDTH, H_CACHE, H_IPC, H_KERNEL,
};

const char *hypothesis_name(enum hypothesis h)
{
	return (unsigned)h < H_COUNT ? hyp_names[h] : "?";
}

const char *hyp_status_name(enum hyp_status s)
{
	static const char *const n[] = { "untestable", "unclear", "contradicted", "mixed", "supported" };

	return (unsigned)s < ARRAY_SIZE(n) ? n[s] : "?";
}

const char *stance_name(enum stance s)
{
	static const char *const n[] = { "context", "for", "against" };

	return (unsigned)s < ARRAY_SIZE(n) ? n[s] : "?";
}

/* ---- loading ------------------------------------------------------------ */

/* run_metrics columns read per run, in the order of struct vpoint's fields
 * they fill (see col_ptr). */
static const char *const run_cols[] = {
	"cpu_utilisation", "kernel_share", "kernel_s_per_unit", "page_faults_per_cpu_s",
	"context_switches_per_unit", "context_switches_per_cpu_ms", "run_delay_ratio", "migrations_per_s",
	"ipc", "llc_mpki", "gb_per_s", "ceiling_fraction", "working_set_per_llc",
};
#define NCOLS ARRAY_SIZE(run_cols)

static double *col_ptr(struct vpoint *p, size_t c)
{
	double *const f[NCOLS] = {
		&p->cpu_util, &p->kernel_share, &p->kernel_s_per_unit, &p->faults_per_cpu_s,
		&p->switches_per_unit, &p->switches_per_cpu_ms, &p->run_delay_ratio, &p->migrations_per_s,
		&p->ipc, &p->mpki, &p->gbps, &p->ceiling, &p->wset_llc,
	};
	return f[c];
}

static void point_init(struct vpoint *p, int n)
{
	memset(p, 0, sizeof(*p));
	p->n = n;
	p->wall = p->speedup = p->efficiency = NAN;
	for (size_t c = 0; c < NCOLS; c++)
		*col_ptr(p, c) = NAN;
	for (int k = 0; k < 3; k++)
		p->slowdown[k] = NAN;
}

static struct vpoint *point_at(struct vinput *in, int n, int create)
{
	size_t i;

	for (i = 0; i < in->npts; i++)
		if (in->pts[i].n == n)
			return &in->pts[i];
	if (!create)
		return NULL;
	for (i = 0; i < in->npts && in->pts[i].n < n; i++)
		;
	in->pts = xreallocarray(in->pts, in->npts + 1, sizeof(*in->pts));
	memmove(&in->pts[i + 1], &in->pts[i], (in->npts - i) * sizeof(*in->pts));
	in->npts++;
	point_init(&in->pts[i], n);
	return &in->pts[i];
}

static double col_double(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? NAN : sqlite3_column_double(s, i);
}

static char *col_strdup(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? NULL : xstrdup((const char *)sqlite3_column_text(s, i));
}

/* Values gathered for one (workload, n) before their medians are taken. */
struct gather {
	double *v[NCOLS];
	size_t n[NCOLS];
};

static void gather_flush(struct gather *g, struct vpoint *p)
{
	for (size_t c = 0; c < NCOLS; c++) {
		if (p)
			*col_ptr(p, c) = median_double(g->v[c], g->n[c]);
		free(g->v[c]);
		g->v[c] = NULL;
		g->n[c] = 0;
	}
}

static int load_workloads(sqlite3 *db, int64_t cid, struct vinput **ret, size_t *ret_n)
{
	sqlite3_stmt *s;
	struct vinput *in = NULL;
	size_t n = 0;

	if (sqlite3_prepare_v2(db,
			       "SELECT r.workload, r.mode, m.cores,"
			       " (SELECT count(*) FROM machine_bandwidth mb WHERE mb.machine_id = m.id)"
			       " FROM runs r JOIN campaigns c ON c.id = r.campaign_id JOIN machines m ON m.id = c.machine_id"
			       " WHERE r.campaign_id = ? AND r.corunner IS NULL GROUP BY r.workload ORDER BY min(r.seq)",
			       -1, &s, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_int64(s, 1, cid);
	while (sqlite3_step(s) == SQLITE_ROW) {
		in = xreallocarray(in, n + 1, sizeof(*in));
		memset(&in[n], 0, sizeof(*in));
		in[n].workload = col_strdup(s, 0);
		in[n].mode = col_strdup(s, 1);
		in[n].cores = sqlite3_column_int(s, 2);
		in[n].ceiling_known = sqlite3_column_int(s, 3) > 0;
		n++;
	}
	sqlite3_finalize(s);
	*ret = in;
	*ret_n = n;
	return 0;
}

static struct vinput *find_workload(struct vinput *in, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(in[i].workload, name) == 0)
			return &in[i];
	return NULL;
}

/* Medians of run_metrics per (workload, n) over the ok ordinary runs. */
static int load_run_metrics(sqlite3 *db, int64_t cid, struct vinput *in, size_t nin)
{
	char sql[1024];
	size_t len;
	sqlite3_stmt *s;
	struct gather g = { 0 };
	struct vinput *cur_w = NULL;
	int cur_n = 0;

	len = (size_t)snprintf(sql, sizeof(sql), "SELECT workload, n_workers");
	for (size_t c = 0; c < NCOLS; c++)
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, ", %s", run_cols[c]);
	snprintf(sql + len, sizeof(sql) - len,
		 " FROM run_metrics WHERE campaign_id = ? AND status = 'ok' AND corunner IS NULL"
		 " ORDER BY workload, n_workers");
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_int64(s, 1, cid);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct vinput *w = find_workload(in, nin, (const char *)sqlite3_column_text(s, 0));
		int n = sqlite3_column_int(s, 1);

		if (!w)
			continue;
		/* rows come grouped by (workload, n): a group's medians are
		 * written when the next begins (creating a point moves them) */
		if (cur_w && (w != cur_w || n != cur_n))
			gather_flush(&g, point_at(cur_w, cur_n, 1));
		cur_w = w;
		cur_n = n;
		for (size_t c = 0; c < NCOLS; c++) {
			double v = col_double(s, (int)c + 2);

			if (!isnan(v)) {
				g.v[c] = xreallocarray(g.v[c], g.n[c] + 1, sizeof(double));
				g.v[c][g.n[c]++] = v;
			}
		}
	}
	gather_flush(&g, cur_w ? point_at(cur_w, cur_n, 1) : NULL);
	sqlite3_finalize(s);
	return 0;
}

/* The scaling view's medians, and the interference slowdowns. */
static int load_scaling(sqlite3 *db, int64_t cid, struct vinput *in, size_t nin)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db,
			       "SELECT workload, n_workers, runs, median_wall_s, speedup, efficiency FROM scaling"
			       " WHERE campaign_id = ?",
			       -1, &s, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_int64(s, 1, cid);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct vinput *w = find_workload(in, nin, (const char *)sqlite3_column_text(s, 0));
		struct vpoint *p = w ? point_at(w, sqlite3_column_int(s, 1), 1) : NULL;

		if (!p)
			continue;
		p->runs = sqlite3_column_int(s, 2);
		p->wall = col_double(s, 3);
		p->speedup = col_double(s, 4);
		p->efficiency = col_double(s, 5);
	}
	sqlite3_finalize(s);
	return 0;
}

static int load_interference(sqlite3 *db, int64_t cid, struct vinput *in, size_t nin)
{
	static const char *const kinds[3] = { "bandwidth", "cache", "cpu" };
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db,
			       "SELECT workload, n_workers, slowdown FROM run_metrics WHERE campaign_id = ?1"
			       " AND status = 'ok' AND corunner = ?2 AND slowdown IS NOT NULL ORDER BY workload, n_workers",
			       -1, &s, NULL) != SQLITE_OK)
		return -EIO;
	for (int k = 0; k < 3; k++) {
		double *vals = NULL;
		size_t nv = 0;
		struct vpoint *cur = NULL;

		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, cid);
		sqlite3_bind_text(s, 2, kinds[k], -1, SQLITE_STATIC);
		for (int more = 1; more;) {
			struct vpoint *p = NULL;

			more = sqlite3_step(s) == SQLITE_ROW;
			if (more) {
				struct vinput *w = find_workload(in, nin, (const char *)sqlite3_column_text(s, 0));

				p = w ? point_at(w, sqlite3_column_int(s, 1), 0) : NULL;
			}
			if (cur && (p != cur || !more)) {
				cur->slowdown[k] = median_double(vals, nv);
				cur->coruns[k] = (int)nv;
				nv = 0;
			}
			cur = p;
			if (p) {
				vals = xreallocarray(vals, nv + 1, sizeof(double));
				vals[nv++] = sqlite3_column_double(s, 2);
			}
		}
		free(vals);
	}
	sqlite3_finalize(s);
	return 0;
}

/* Why bandwidth or LLC misses were not measured, per workload. */
static int load_reasons(sqlite3 *db, int64_t cid, struct vinput *in, size_t nin)
{
	sqlite3_stmt *bw, *llc;
	int r = 0;

	if (sqlite3_prepare_v2(db,
			       "SELECT (SELECT group_concat(DISTINCT b.source) FROM bandwidth b JOIN runs r ON r.id = b.run_id"
			       "   WHERE r.campaign_id = ?1 AND r.workload = ?2 AND (b.read_bytes IS NOT NULL"
			       "   OR b.write_bytes IS NOT NULL)),"
			       " (SELECT b.reason FROM bandwidth b JOIN runs r ON r.id = b.run_id"
			       "   WHERE r.campaign_id = ?1 AND r.workload = ?2 AND b.read_bytes IS NULL"
			       "   AND b.write_bytes IS NULL AND b.reason IS NOT NULL LIMIT 1),"
			       " (SELECT count(*) FROM bandwidth b JOIN runs r ON r.id = b.run_id"
			       "   WHERE r.campaign_id = ?1 AND r.workload = ?2)",
			       -1, &bw, NULL) != SQLITE_OK)
		return -EIO;
	if (sqlite3_prepare_v2(db,
			       "SELECT (SELECT c.event || ': ' || c.reason FROM counters c JOIN runs r ON r.id = c.run_id"
			       "   WHERE r.campaign_id = ?1 AND r.workload = ?2 AND c.event IN ('LLC-load-misses', 'instructions')"
			       "   AND c.status NOT IN ('ok', 'multiplexed') AND c.reason IS NOT NULL LIMIT 1),"
			       " (SELECT count(DISTINCT c.event) FROM counters c JOIN runs r ON r.id = c.run_id"
			       "   WHERE r.campaign_id = ?1 AND r.workload = ?2 AND c.event IN ('LLC-load-misses', 'instructions'))",
			       -1, &llc, NULL) != SQLITE_OK) {
		sqlite3_finalize(bw);
		return -EIO;
	}
	for (size_t i = 0; i < nin; i++) {
		sqlite3_reset(bw);
		sqlite3_bind_int64(bw, 1, cid);
		sqlite3_bind_text(bw, 2, in[i].workload, -1, SQLITE_STATIC);
		if (sqlite3_step(bw) != SQLITE_ROW) {
			r = -EIO;
			break;
		}
		in[i].bw_source = col_strdup(bw, 0);
		in[i].bw_reason = col_strdup(bw, 1);
		if (!in[i].bw_source && !in[i].bw_reason && sqlite3_column_int(bw, 2) == 0)
			in[i].bw_reason = xstrdup("the campaign did not measure bandwidth (bandwidth: false?)");
		sqlite3_reset(llc);
		sqlite3_bind_int64(llc, 1, cid);
		sqlite3_bind_text(llc, 2, in[i].workload, -1, SQLITE_STATIC);
		if (sqlite3_step(llc) != SQLITE_ROW) {
			r = -EIO;
			break;
		}
		in[i].llc_reason = col_strdup(llc, 0);
		if (!in[i].llc_reason && sqlite3_column_int(llc, 1) < 2)
			in[i].llc_reason = xstrdup("instructions and LLC-load-misses are not among the campaign's events");
	}
	sqlite3_finalize(bw);
	sqlite3_finalize(llc);
	return r;
}

int verdict_load(sqlite3 *db, int64_t cid, struct vinput **ret, size_t *ret_n)
{
	struct vinput *in = NULL;
	size_t n = 0;
	int r = load_workloads(db, cid, &in, &n);

	if (r == 0)
		r = load_run_metrics(db, cid, in, n);
	if (r == 0)
		r = load_scaling(db, cid, in, n);
	if (r == 0)
		r = load_interference(db, cid, in, n);
	if (r == 0)
		r = load_reasons(db, cid, in, n);
	if (r < 0) {
		vinputs_free(in, n);
		return r;
	}
	*ret = in;
	*ret_n = n;
	return 0;
}

void vinputs_free(struct vinput *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(in[i].workload);
		free(in[i].mode);
		free(in[i].pts);
		free(in[i].bw_source);
		free(in[i].bw_reason);
		free(in[i].llc_reason);
	}
	free(in);
}

/* ---- judging ------------------------------------------------------------ */

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

/* "<= 1.3 (serialized_max_cores)": the test, its value and its name */
static const char *thr_text(char *buf, const char *op, int th)
{
	snprintf(buf, 64, "%s %g (%s)", op, th_values[th], th_names[th]);
	return buf;
}
#define THR(op, name) thr_text((char[64]){ 0 }, op, TH_##name)

static void judge_serialized(struct verdict *v, const struct vinput *in, const struct vpoint *p1,
			     const struct vpoint *pn)
{
	char src[96];
	int busy_max = pn->n < in->cores || in->cores <= 0 ? pn->n : in->cores;
	double par = TH(parallel_min_core_share) * busy_max;

	if (pn->n < 2 || isnan(pn->cpu_util)) {
		snprintf(v->hyp[H_SERIALIZED].reason, sizeof(v->hyp[0].reason), "no CPU times at 2 or more workers");
		return;
	}
	if (!isnan(p1->cpu_util) && p1->cpu_util < TH(parallel_min_core_share)) {
		add(v, H_SERIALIZED, ST_AGAINST, "cpu_utilisation", 1, p1->cpu_util, THR("<", parallel_min_core_share),
		    src_runs(p1, "cpu_utilisation", src, sizeof(src)),
		    "1 worker kept only %.2f cores busy: the work waits on something other than the CPU", p1->cpu_util);
		return;
	}
	src_runs(pn, "cpu_utilisation", src, sizeof(src));
	if (pn->cpu_util <= TH(serialized_max_cores)) {
		add(v, H_SERIALIZED, ST_FOR, "cpu_utilisation", pn->n, pn->cpu_util, THR("<=", serialized_max_cores), src,
		    "%d workers kept %.2f cores busy: they ran one at a time", pn->n, pn->cpu_util);
		if (!isnan(pn->speedup) && pn->speedup <= TH(serialized_max_speedup))
			add(v, H_SERIALIZED, ST_FOR, "speedup", pn->n, pn->speedup, THR("<=", serialized_max_speedup),
			    "scaling.speedup", "no faster than one worker");
	} else if (pn->cpu_util >= par) {
		add(v, H_SERIALIZED, ST_AGAINST, "cpu_utilisation", pn->n, pn->cpu_util,
		    ">= parallel_min_core_share x min(N, cores)", src, "%d workers kept %.2f cores busy: they ran in parallel",
		    pn->n, pn->cpu_util);
	} else {
		add(v, H_SERIALIZED, ST_CONTEXT, "cpu_utilisation", pn->n, pn->cpu_util, NULL, src,
		    "%d workers kept %.2f cores busy: partly parallel", pn->n, pn->cpu_util);
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
		snprintf(v->hyp[H_KERNEL].reason, sizeof(v->hyp[0].reason), "no CPU times (utime, stime) were stored");
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
	if (pn->kernel_share >= TH(kernel_share_high)) {
		add(v, H_KERNEL, ST_FOR, "kernel_share", pn->n, pn->kernel_share, THR(">=", kernel_share_high), src,
		    "%.0f%% of CPU time in the kernel at %d workers (%.0f%% with 1)", pn->kernel_share * 100, pn->n,
		    p1->kernel_share * 100);
		any = 1;
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
	if (!any && pn->kernel_share < TH(kernel_share_low))
		add(v, H_KERNEL, ST_AGAINST, "kernel_share", pn->n, pn->kernel_share, THR("<", kernel_share_low),
		    src_runs(pn, "kernel_share", src, sizeof(src)), "only %.0f%% of CPU time in the kernel",
		    pn->kernel_share * 100);
}

static void judge_ipc(struct verdict *v, const struct vpoint *p1, const struct vpoint *pn)
{
	char src[96];
	double rate = pn->switches_per_cpu_ms, per = pn->switches_per_unit;

	if (isnan(rate) || isnan(per)) {
		snprintf(v->hyp[H_IPC].reason, sizeof(v->hyp[0].reason), "no context-switch counts were stored");
		return;
	}
	src_runs(pn, "context_switches_per_cpu_ms", src, sizeof(src));
	if (rate >= TH(switches_per_cpu_ms_high) && per >= TH(switches_per_unit_min))
		add(v, H_IPC, ST_FOR, "context_switches_per_cpu_ms", pn->n, rate, THR(">=", switches_per_cpu_ms_high), src,
		    "%.1f context switches per CPU-millisecond, %.0f per unit of work", rate, per);
	else if (rate < TH(switches_per_cpu_ms_low))
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
	char src[96];

	if (in->cores > 0 && pn->n > in->cores)
		add(v, H_OVERSUB, ST_FOR, "n_workers", pn->n, pn->n, "> cores", "runs.n_workers, machines.cores",
		    "%d workers on %d physical cores", pn->n, in->cores);
	if (isnan(pn->run_delay_ratio)) {
		if (!v->hyp[H_OVERSUB].n_for)
			snprintf(v->hyp[H_OVERSUB].reason, sizeof(v->hyp[0].reason),
				 "no run-queue wait was stored (/proc/PID/schedstat unreadable?)");
		return;
	}
	src_runs(pn, "run_delay_ratio", src, sizeof(src));
	if (pn->run_delay_ratio >= TH(run_delay_high))
		add(v, H_OVERSUB, ST_FOR, "run_delay_ratio", pn->n, pn->run_delay_ratio, THR(">=", run_delay_high), src,
		    "workers waited %.2f s for a core per CPU-second%s", pn->run_delay_ratio,
		    in->cores > 0 && pn->n <= in->cores ? " (other load on this host?)" : "");
	else if (pn->run_delay_ratio < TH(run_delay_low))
		add(v, H_OVERSUB, ST_AGAINST, "run_delay_ratio", pn->n, pn->run_delay_ratio, THR("<", run_delay_low), src,
		    "workers seldom waited for a core (%.3f s per CPU-second)", pn->run_delay_ratio);
	else
		add(v, H_OVERSUB, ST_CONTEXT, "run_delay_ratio", pn->n, pn->run_delay_ratio, NULL, src,
		    "workers waited %.2f s for a core per CPU-second", pn->run_delay_ratio);
	if (!isnan(pn->migrations_per_s) && pn->migrations_per_s > 0)
		add(v, H_OVERSUB, ST_CONTEXT, "migrations_per_s", pn->n, pn->migrations_per_s, NULL,
		    src_runs(pn, "migrations_per_s", src, sizeof(src)), "%.1f migrations per second", pn->migrations_per_s);
}

/* The point with interference runs, the largest N that has them. */
static const struct vpoint *interference_point(const struct vinput *in)
{
	for (size_t i = in->npts; i-- > 0;)
		if (!isnan(in->pts[i].slowdown[0]) || !isnan(in->pts[i].slowdown[1]))
			return &in->pts[i];
	return NULL;
}

static void judge_bandwidth(struct verdict *v, const struct vinput *in, const struct vpoint *p1,
			    const struct vpoint *pn)
{
	const struct vpoint *pi = interference_point(in);
	char src[96];

	if (!isnan(pn->ceiling)) {
		snprintf(src, sizeof(src), "run_metrics.ceiling_fraction (%s), median of %d", in->bw_source ? in->bw_source : "?", pn->runs);
		if (pn->ceiling >= TH(ceiling_near))
			add(v, H_BANDWIDTH, ST_FOR, "ceiling_fraction", pn->n, pn->ceiling, THR(">=", ceiling_near), src,
			    "%.1f GB/s, %.0f%% of this machine's ceiling at %d workers", pn->gbps, pn->ceiling * 100, pn->n);
		else if (pn->ceiling < TH(ceiling_far))
			add(v, H_BANDWIDTH, ST_AGAINST, "ceiling_fraction", pn->n, pn->ceiling, THR("<", ceiling_far), src,
			    "%.1f GB/s, only %.0f%% of this machine's ceiling at %d workers", pn->gbps, pn->ceiling * 100,
			    pn->n);
		else
			add(v, H_BANDWIDTH, ST_CONTEXT, "ceiling_fraction", pn->n, pn->ceiling, NULL, src,
			    "%.1f GB/s, %.0f%% of this machine's ceiling", pn->gbps, pn->ceiling * 100);
	} else if (!isnan(pn->gbps)) {
		add(v, H_BANDWIDTH, ST_CONTEXT, "gb_per_s", pn->n, pn->gbps, NULL, "run_metrics.gb_per_s",
		    "%.1f GB/s, but this machine's ceiling was not measured (scalprof probe)", pn->gbps);
	}
	if (!isnan(p1->mpki) && !isnan(pn->mpki) && p1->mpki > 0) {
		double ratio = pn->mpki / p1->mpki;

		src_runs(pn, "llc_mpki", src, sizeof(src));
		if (ratio >= TH(mpki_rise) && pn->mpki >= TH(mpki_min))
			add(v, H_BANDWIDTH, ST_AGAINST, "llc_mpki_ratio", pn->n, ratio, THR(">=", mpki_rise), src,
			    "LLC misses per 1000 instructions rose %.1fx (%.2f to %.2f): the cache, not the memory bus",
			    ratio, p1->mpki, pn->mpki);
		else if (ratio <= TH(mpki_steady) && ratio >= 1 / TH(mpki_steady) && pn->mpki >= TH(mpki_min))
			add(v, H_BANDWIDTH, ST_FOR, "llc_mpki_ratio", pn->n, ratio, THR("within", mpki_steady), src,
			    "LLC misses per 1000 instructions steady (%.2f to %.2f) while each miss waits longer", p1->mpki,
			    pn->mpki);
	}
	if (pi && !isnan(pi->slowdown[0])) {
		double bw = pi->slowdown[0], cpu = pi->slowdown[2];
		int fits = !isnan(pi->wset_llc) && pi->wset_llc <= 1;

		snprintf(src, sizeof(src), "interference.slowdown (bandwidth), median of %d co-run%s", pi->coruns[0],
			 pi->coruns[0] == 1 ? "" : "s");
		if (bw >= TH(slowdown_min) && (isnan(cpu) || bw >= cpu * TH(slowdown_contrast))) {
			if (fits)
				add(v, H_BANDWIDTH, ST_CONTEXT, "slowdown_bandwidth", pi->n, bw, NULL, src,
				    "%.2fx beside the bandwidth co-runner, but the working set fits in the cache: "
				    "its traffic evicts the cache", bw);
			else if (isnan(cpu))
				add(v, H_BANDWIDTH, ST_FOR, "slowdown_bandwidth", pi->n, bw, THR(">=", slowdown_min), src,
				    "%.2fx slower beside the bandwidth co-runner (no CPU co-run to compare)", bw);
			else
				add(v, H_BANDWIDTH, ST_FOR, "slowdown_bandwidth", pi->n, bw, THR(">=", slowdown_min), src,
				    "%.2fx slower beside the bandwidth co-runner, %.2fx beside the CPU hog (at least %gx it)",
				    bw, cpu, TH(slowdown_contrast));
		} else if (bw < TH(slowdown_none) || (!isnan(cpu) && bw < cpu * TH(slowdown_no_contrast))) {
			add(v, H_BANDWIDTH, ST_AGAINST, "slowdown_bandwidth", pi->n, bw,
			    bw < TH(slowdown_none) ? THR("<", slowdown_none) : THR("< cpu x", slowdown_no_contrast), src,
			    "%.2fx beside the bandwidth co-runner%s: more traffic on the bus hardly slows it", bw,
			    isnan(cpu) ? "" : " (no more than beside the CPU hog)");
		} else {
			add(v, H_BANDWIDTH, ST_CONTEXT, "slowdown_bandwidth", pi->n, bw, NULL, src,
			    "%.2fx beside the bandwidth co-runner, %.2fx beside the CPU hog: within the noise", bw, cpu);
		}
	}
	if (!v->hyp[H_BANDWIDTH].n_for && !v->hyp[H_BANDWIDTH].n_against) {
		const char *bwr = in->bw_source && !in->ceiling_known
			? "the ceiling was not measured (run scalprof probe)"
			: in->bw_reason ? in->bw_reason : "bandwidth was not measured";

		/* the bandwidth probe's reason may already say why LLC misses are missing */
		snprintf(v->hyp[H_BANDWIDTH].reason, sizeof(v->hyp[0].reason), "bandwidth: %s%s%s; %s", bwr,
			 strstr(bwr, "LLC") ? "" : "; LLC misses: ",
			 strstr(bwr, "LLC") ? "" : in->llc_reason ? in->llc_reason : "steady or too few to weigh",
			 pi ? "the interference runs were within the noise"
			    : "no interference runs: run again with interference: true");
	}
}

static void judge_cache(struct verdict *v, const struct vinput *in, const struct vpoint *p1, const struct vpoint *pn)
{
	const struct vpoint *pi = interference_point(in);
	char src[96];

	if (!isnan(p1->mpki) && !isnan(pn->mpki) && p1->mpki > 0) {
		double ratio = pn->mpki / p1->mpki;

		src_runs(pn, "llc_mpki", src, sizeof(src));
		if (ratio >= TH(mpki_rise) && pn->mpki >= TH(mpki_min) &&
		    (isnan(pn->ceiling) || pn->ceiling < TH(ceiling_near)))
			add(v, H_CACHE, ST_FOR, "llc_mpki_ratio", pn->n, ratio, THR(">=", mpki_rise), src,
			    "LLC misses per 1000 instructions rose %.1fx (%.2f to %.2f) below the bandwidth ceiling", ratio,
			    p1->mpki, pn->mpki);
		else if (ratio < TH(mpki_steady))
			add(v, H_CACHE, ST_AGAINST, "llc_mpki_ratio", pn->n, ratio, THR("<", mpki_steady), src,
			    "LLC misses per 1000 instructions steady (%.2f to %.2f): workers do not evict each other",
			    p1->mpki, pn->mpki);
	}
	if (!isnan(p1->wset_llc) && !isnan(pn->wset_llc)) {
		src_runs(pn, "working_set_per_llc", src, sizeof(src));
		if (p1->wset_llc > 1)
			add(v, H_CACHE, ST_AGAINST, "working_set_per_llc", 1, p1->wset_llc, "> 1",
			    src_runs(p1, "working_set_per_llc", src, sizeof(src)),
			    "one worker's working set is already %.1fx the usable LLC: it runs from memory at any N",
			    p1->wset_llc);
		else if (pn->wset_llc > 1)
			add(v, H_CACHE, ST_FOR, "working_set_per_llc", pn->n, pn->wset_llc, "> 1 while <= 1 at 1 worker", src,
			    "%d working sets are %.1fx the usable LLC while one fits (%.2fx)", pn->n, pn->wset_llc,
			    p1->wset_llc);
		else if (pn->wset_llc < TH(wset_fits))
			add(v, H_CACHE, ST_AGAINST, "working_set_per_llc", pn->n, pn->wset_llc, THR("<", wset_fits), src,
			    "%d working sets fill only %.0f%% of the usable LLC", pn->n, pn->wset_llc * 100);
		else
			add(v, H_CACHE, ST_CONTEXT, "working_set_per_llc", pn->n, pn->wset_llc, NULL, src,
			    "%d working sets fill %.0f%% of the usable LLC", pn->n, pn->wset_llc * 100);
	}
	if (pi && !isnan(pi->slowdown[1])) {
		double c = pi->slowdown[1], cpu = pi->slowdown[2];

		snprintf(src, sizeof(src), "interference.slowdown (cache), median of %d co-run%s", pi->coruns[1],
			 pi->coruns[1] == 1 ? "" : "s");
		if (c >= TH(slowdown_min) && (isnan(cpu) || c >= cpu * TH(slowdown_contrast)))
			add(v, H_CACHE, ST_FOR, "slowdown_cache", pi->n, c, THR(">=", slowdown_min), src,
			    "%.2fx slower beside the cache co-runner (%.2fx beside the CPU hog)", c, cpu);
		else if (c < TH(slowdown_none) || (!isnan(cpu) && c < cpu * TH(slowdown_no_contrast)))
			add(v, H_CACHE, ST_AGAINST, "slowdown_cache", pi->n, c,
			    c < TH(slowdown_none) ? THR("<", slowdown_none) : THR("< cpu x", slowdown_no_contrast), src,
			    "%.2fx beside the cache co-runner (%.2fx beside the CPU hog): losing cache hardly slows it", c,
			    cpu);
		else
			add(v, H_CACHE, ST_CONTEXT, "slowdown_cache", pi->n, c, NULL, src,
			    "%.2fx beside the cache co-runner, %.2fx beside the CPU hog: within the noise", c, cpu);
	}
	/* the bandwidth co-runner's traffic evicts a working set that fits */
	if (pi && !isnan(pi->slowdown[0]) && pi->slowdown[0] >= TH(slowdown_min) && !isnan(pi->wset_llc) &&
	    pi->wset_llc <= 1 && (isnan(pi->slowdown[2]) || pi->slowdown[0] >= pi->slowdown[2] * TH(slowdown_contrast))) {
		snprintf(src, sizeof(src), "interference.slowdown (bandwidth), median of %d co-run%s", pi->coruns[0],
			 pi->coruns[0] == 1 ? "" : "s");
		add(v, H_CACHE, ST_FOR, "slowdown_bandwidth", pi->n, pi->slowdown[0], THR(">=", slowdown_min), src,
		    "%.2fx beside the bandwidth co-runner, whose traffic evicts a working set that fits (%.2fx LLC)",
		    pi->slowdown[0], pi->wset_llc);
	}
	if (!v->hyp[H_CACHE].n_for && !v->hyp[H_CACHE].n_against)
		snprintf(v->hyp[H_CACHE].reason, sizeof(v->hyp[0].reason), "LLC misses: %s; working set: %s; %s",
			 in->llc_reason ? in->llc_reason : "too few to weigh",
			 isnan(pn->wset_llc) ? "unknown for commands, or usable LLC not measured" : "inconclusive",
			 pi ? "no cache co-run" : "no interference runs: run again with interference: true");
}

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
		r->status = HS_UNCLEAR;
		snprintf(r->reason, sizeof(r->reason), "measured, but between the thresholds (see the evidence)");
	} else {
		r->status = HS_UNTESTABLE;
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

static void bandwidth_line(struct verdict *v, const struct vinput *in)
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
		for (size_t i = 0; i < v->nev && !lead; i++)
			if (v->ev[i].hyp == H_BANDWIDTH)
				lead = &v->ev[i];
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
	(void)in;
}

void verdict_judge(const struct vinput *in, struct verdict *v)
{
	const struct vpoint *p1 = NULL, *pn;
	int best = -1;

	memset(v, 0, sizeof(*v));
	v->workload = xstrdup(in->workload);
	v->mode = xstrdup(in->mode);
	v->efficiency = NAN;
	for (size_t i = 0; i < in->npts; i++)
		if (in->pts[i].n == 1 && in->pts[i].runs > 0)
			p1 = &in->pts[i];
	pn = worst_point(in);
	if (!p1 || !pn) {
		v->verdict = "inconclusive";
		v->confidence = "low";
		snprintf(v->reason, sizeof(v->reason), "%s",
			 !p1 ? "no ok run with 1 worker to compare with"
			     : "no ok run with more than 1 worker: add worker counts, e.g. workers: [1, 2]");
		for (int h = 0; h < H_COUNT; h++)
			snprintf(v->hyp[h].reason, sizeof(v->hyp[h].reason), "%s", v->reason);
		snprintf(v->bw_line, sizeof(v->bw_line), "not testable: %s", v->reason);
		return;
	}
	v->n = pn->n;
	v->efficiency = pn->efficiency;
	judge_bandwidth(v, in, p1, pn);
	judge_cache(v, in, p1, pn);
	judge_kernel(v, p1, pn);
	judge_serialized(v, in, p1, pn);
	judge_ipc(v, p1, pn);
	judge_oversub(v, in, pn);
	for (int h = 0; h < H_COUNT; h++)
		settle(v, h);

	if (pn->efficiency >= TH(scales_efficiency)) {
		v->verdict = "scales";
		v->confidence = p1->runs >= 3 && pn->runs >= 3 ? "high" : "medium";
		snprintf(v->reason, sizeof(v->reason), "efficiency %.2f at %d workers (lowest beyond 1), >= %.2f",
			 pn->efficiency, pn->n, TH(scales_efficiency));
		bandwidth_line(v, in);
		return;
	}
	/* the supported hypothesis with the most figures for it; ties go to
	 * the earlier in priority; failing that, a mixed one with more for */
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
	if (best >= 0) {
		const struct hyp_result *r = &v->hyp[best];
		const struct evidence *lead = NULL;

		for (size_t i = 0; i < v->nev && !lead; i++)
			if (v->ev[i].hyp == (enum hypothesis)best && v->ev[i].stance == ST_FOR)
				lead = &v->ev[i];
		v->verdict = hypothesis_name(best);
		v->confidence = r->status == HS_MIXED ? "low" : r->n_for >= 2 ? "high" : "medium";
		snprintf(v->reason, sizeof(v->reason), "efficiency %.2f at %d workers; %s", pn->efficiency, pn->n,
			 lead ? lead->note : "");
	} else {
		char missing[200] = "";
		size_t len = 0;

		for (int h = 0; h < H_COUNT; h++)
			if (v->hyp[h].status == HS_UNTESTABLE)
				len += (size_t)snprintf(missing + len, len < sizeof(missing) ? sizeof(missing) - len : 0,
							"%s%s", len ? ", " : "", hypothesis_name(h));
		v->verdict = "inconclusive";
		v->confidence = "low";
		snprintf(v->reason, sizeof(v->reason),
			 "efficiency %.2f at %d workers, and no hypothesis is supported%s%s%s", pn->efficiency, pn->n,
			 len ? " (untestable here: " : "", missing, len ? ")" : "");
		if (!interference_point(in) && (v->hyp[H_BANDWIDTH].status == HS_UNTESTABLE ||
						v->hyp[H_CACHE].status == HS_UNTESTABLE))
			snprintf(v->reason + strlen(v->reason), sizeof(v->reason) - strlen(v->reason),
				 ": run again with interference: true");
	}
	bandwidth_line(v, in);
}

void verdict_clear(struct verdict *v)
{
	free(v->workload);
	free(v->mode);
	free(v->ev);
	memset(v, 0, sizeof(*v));
}

int verdict_campaign(sqlite3 *db, int64_t cid, struct verdict **ret, size_t *ret_n)
{
	struct vinput *in;
	size_t n;
	int r = verdict_load(db, cid, &in, &n);

	if (r < 0)
		return r;
	*ret = xcalloc(n ? n : 1, sizeof(**ret));
	for (size_t i = 0; i < n; i++)
		verdict_judge(&in[i], &(*ret)[i]);
	*ret_n = n;
	vinputs_free(in, n);
	return 0;
}

void verdicts_free(struct verdict *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		verdict_clear(&v[i]);
	free(v);
}

/* ---- storing ------------------------------------------------------------ */

static void bind_double(sqlite3_stmt *s, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_double(s, i, v);
}

static int store_one(sqlite3 *db, sqlite3_stmt *sv, sqlite3_stmt *sh, sqlite3_stmt *se, int64_t cid,
		     const struct verdict *v, const char *version)
{
	int64_t vid;

	sqlite3_reset(sv);
	sqlite3_bind_int64(sv, 1, cid);
	sqlite3_bind_text(sv, 2, v->workload, -1, SQLITE_STATIC);
	sqlite3_bind_text(sv, 3, v->mode, -1, SQLITE_STATIC);
	sqlite3_bind_text(sv, 4, v->verdict, -1, SQLITE_STATIC);
	sqlite3_bind_text(sv, 5, v->confidence, -1, SQLITE_STATIC);
	if (v->n)
		sqlite3_bind_int(sv, 6, v->n);
	else
		sqlite3_bind_null(sv, 6);
	bind_double(sv, 7, v->efficiency);
	sqlite3_bind_text(sv, 8, v->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(sv, 9, hyp_status_name(v->hyp[H_BANDWIDTH].status), -1, SQLITE_STATIC);
	sqlite3_bind_text(sv, 10, v->bw_line, -1, SQLITE_STATIC);
	sqlite3_bind_text(sv, 11, version, -1, SQLITE_STATIC);
	if (sqlite3_step(sv) != SQLITE_DONE)
		return -EIO;
	vid = sqlite3_last_insert_rowid(db);
	for (int h = 0; h < H_COUNT; h++) {
		sqlite3_reset(sh);
		sqlite3_bind_int64(sh, 1, vid);
		sqlite3_bind_text(sh, 2, hypothesis_name(h), -1, SQLITE_STATIC);
		sqlite3_bind_text(sh, 3, hyp_status_name(v->hyp[h].status), -1, SQLITE_STATIC);
		if (v->hyp[h].reason[0])
			sqlite3_bind_text(sh, 4, v->hyp[h].reason, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(sh, 4);
		if (sqlite3_step(sh) != SQLITE_DONE)
			return -EIO;
	}
	for (size_t i = 0; i < v->nev; i++) {
		const struct evidence *e = &v->ev[i];

		sqlite3_reset(se);
		sqlite3_bind_int64(se, 1, vid);
		sqlite3_bind_text(se, 2, hypothesis_name(e->hyp), -1, SQLITE_STATIC);
		sqlite3_bind_text(se, 3, e->figure, -1, SQLITE_STATIC);
		sqlite3_bind_int(se, 4, e->n);
		bind_double(se, 5, e->value);
		if (e->threshold[0])
			sqlite3_bind_text(se, 6, e->threshold, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(se, 6);
		sqlite3_bind_text(se, 7, stance_name(e->stance), -1, SQLITE_STATIC);
		sqlite3_bind_text(se, 8, e->source, -1, SQLITE_STATIC);
		sqlite3_bind_text(se, 9, e->note, -1, SQLITE_STATIC);
		if (sqlite3_step(se) != SQLITE_DONE)
			return -EIO;
	}
	return 0;
}

int verdict_store(sqlite3 *db, int64_t cid, const struct verdict *v, size_t n, const char *version, char **ret_error)
{
	sqlite3_stmt *del = NULL, *sv = NULL, *sh = NULL, *se = NULL;
	int r = -EIO;

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		*ret_error = xasprintf("storing the verdicts: %s", sqlite3_errmsg(db));
		return -EIO;
	}
	if (sqlite3_prepare_v2(db, "DELETE FROM verdicts WHERE campaign_id = ?", -1, &del, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "INSERT INTO verdicts (campaign_id, workload, mode, verdict, confidence, n_workers,"
			       " efficiency, reason, bandwidth, bandwidth_reason, judged_by)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			       -1, &sv, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO hypotheses (verdict_id, hypothesis, status, reason) VALUES (?, ?, ?, ?)",
			       -1, &sh, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "INSERT INTO verdict_evidence (verdict_id, hypothesis, figure, n_workers, value, threshold,"
			       " stance, source, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			       -1, &se, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(del, 1, cid);
	if (sqlite3_step(del) != SQLITE_DONE)
		goto out;
	r = 0;
	for (size_t i = 0; r == 0 && i < n; i++)
		r = store_one(db, sv, sh, se, cid, &v[i], version);
out:
	sqlite3_finalize(del);
	sqlite3_finalize(sv);
	sqlite3_finalize(sh);
	sqlite3_finalize(se);
	if (r == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		r = -EIO;
	if (r < 0) {
		/* the message first: the rollback replaces it */
		*ret_error = xasprintf("storing the verdicts: %s", sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
	return r;
}
