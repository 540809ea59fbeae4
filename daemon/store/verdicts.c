/* verdicts.c: reading the verdict's inputs and writing its verdicts (see
 * verdicts.h). Every failure goes through the store's one channel, under
 * one name per direction, so the messages read as they always have:
 * "judging the campaign: ..." and "storing the verdicts: ...".
 *
 * Sections: values gathered for a median; reading; writing. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "store/sql.h"
#include "model/stats.h"
#include "store/verdicts.h"

#define LOADING "judging the campaign"
#define CEILING_SCALING_MAX 4096 /* worker counts whose ceiling is looked up */
#define STORING "storing the verdicts"

/* ---- values gathered for a median --------------------------------------- */

struct vals {
	double *v;
	size_t n;
};

static void vals_push(struct vals *a, double x)
{
	if (isnan(x))
		return;
	a->v = xreallocarray(a->v, a->n + 1, sizeof(double));
	a->v[a->n++] = x;
}

/* The median of what was pushed (NAN for nothing); a is emptied for the
 * next group and keeps its buffer. */
static double vals_take_median(struct vals *a)
{
	double m = median_double(a->v, a->n);

	a->n = 0;
	return m;
}

/* run_metrics columns read per run, in the order of struct vpoint's fields
 * they fill (see col_ptr). */
static const char *const run_cols[] = {
	"cpu_utilisation", "kernel_share", "kernel_s_per_unit", "page_faults_per_cpu_s",
	"context_switches_per_unit", "context_switches_per_cpu_ms", "run_delay_ratio", "migrations_per_s",
	"ipc", "llc_mpki", "gb_per_s", "ceiling_fraction", "working_set_per_llc",
};
#define NCOLS ARRAY_SIZE(run_cols)
_Static_assert(NCOLS == VF_COUNT, "run_cols and enum vfig list the same figures");

static double *col_ptr(struct vpoint *p, size_t c)
{
	double *const f[NCOLS] = {
		&p->cpu_util, &p->kernel_share, &p->kernel_s_per_unit, &p->faults_per_cpu_s,
		&p->switches_per_unit, &p->switches_per_cpu_ms, &p->run_delay_ratio, &p->migrations_per_s,
		&p->ipc, &p->mpki, &p->gbps, &p->ceiling, &p->wset_llc,
	};
	return f[c];
}

/* Values gathered for one (workload, n) before their medians are taken. */
struct gather {
	struct vals c[NCOLS];
};

/* Writes the medians and their intervals into p (none when p is NULL)
 * and empties g. */
static void gather_flush(struct gather *g, struct vpoint *p)
{
	for (size_t c = 0; c < NCOLS; c++) {
		struct summary s;

		stats_summary(g->c[c].v, g->c[c].n, &s);
		g->c[c].n = 0;
		if (p) {
			*col_ptr(p, c) = s.median.mid;
			p->spread[c] = s.median;
		}
	}
}

static void gather_free(struct gather *g)
{
	for (size_t c = 0; c < NCOLS; c++)
		free(g->c[c].v);
}

/* ---- reading ------------------------------------------------------------- */

/* One input per workload, in campaign order. *ret is set even on failure,
 * for the caller to free. */
static int load_workloads(struct store *st, int64_t cid, struct vinput **ret, size_t *ret_n)
{
	sqlite3_stmt *s;
	struct vinput *in = NULL;
	size_t n = 0;
	int rc, r = sql_prepare_id(st, LOADING,
				"SELECT r.workload, r.mode, m.cores,"
				" (SELECT count(*) FROM machine_bandwidth mb WHERE mb.machine_id = m.id)"
				" FROM runs r JOIN campaigns c ON c.id = r.campaign_id JOIN machines m ON m.id = c.machine_id"
				" WHERE r.campaign_id = ? AND r.corunner IS NULL AND r.variant IS NULL GROUP BY r.workload ORDER BY min(r.seq)", cid,
				&s);

	if (r < 0)
		return r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		in = xreallocarray(in, n + 1, sizeof(*in));
		memset(&in[n], 0, sizeof(*in));
		in[n].workload = sql_col_strdup(s, 0);
		in[n].mode = sql_col_strdup(s, 1);
		in[n].cores = sqlite3_column_int(s, 2);
		in[n].ceiling_known = sqlite3_column_int(s, 3) > 0;
		n++;
	}
	*ret = in;
	*ret_n = n;
	return sql_rows_end(st, s, rc, LOADING);
}

static struct vinput *find_workload(struct vinput *in, size_t n, const unsigned char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(in[i].workload, (const char *)name) == 0)
			return &in[i];
	return NULL;
}

/* Medians of run_metrics per (workload, n) over the ok ordinary runs. */
static int load_run_metrics(struct store *st, int64_t cid, struct vinput *in, size_t nin)
{
	char sql[1024];
	size_t len;
	sqlite3_stmt *s;
	struct gather g = { 0 };
	struct vinput *cur_w = NULL;
	int cur_n = 0, rc, r;

	len = (size_t)snprintf(sql, sizeof(sql), "SELECT workload, n_workers");
	for (size_t c = 0; c < NCOLS; c++)
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, ", %s", run_cols[c]);
	snprintf(sql + len, sizeof(sql) - len,
		 " FROM run_metrics WHERE campaign_id = ? AND status = 'ok' AND corunner IS NULL AND variant IS NULL"
		 " ORDER BY workload, n_workers");
	r = sql_prepare_id(st, LOADING, sql, cid, &s);
	if (r < 0)
		return r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct vinput *w = find_workload(in, nin, sqlite3_column_text(s, 0));
		int n = sqlite3_column_int(s, 1);

		if (!w)
			continue;
		/* rows come grouped by (workload, n): a group's medians are
		 * written when the next begins (creating a point moves them) */
		if (cur_w && (w != cur_w || n != cur_n))
			gather_flush(&g, vinput_point(cur_w, cur_n, 1));
		cur_w = w;
		cur_n = n;
		for (size_t c = 0; c < NCOLS; c++)
			vals_push(&g.c[c], sql_col_double(s, (int)c + 2));
	}
	gather_flush(&g, cur_w ? vinput_point(cur_w, cur_n, 1) : NULL);
	gather_free(&g);
	return sql_rows_end(st, s, rc, LOADING);
}

/* Each point's runs, median wall time, speedup and efficiency, as the
 * scaling view defines them, from the ok ordinary runs already loaded for
 * the stack (one pass over the runs instead of the view's window). */
static void set_scaling(struct vinput *in)
{
	double *walls = xcalloc(in->nruns ? in->nruns : 1, sizeof(double)), t1 = NAN;
	int team = strcmp(in->mode, "team") == 0;

	for (size_t k = 0; k < in->npts; k++) {
		struct vpoint *p = &in->pts[k];
		size_t m = 0;

		for (size_t i = 0; i < in->nruns; i++)
			if (in->runs[i].n == p->n)
				walls[m++] = in->runs[i].wall;
		p->runs = (int)m;
		p->wall = median_double(walls, m);
		if (p->n == 1)
			t1 = p->wall;
	}
	for (size_t k = 0; k < in->npts; k++) {
		struct vpoint *p = &in->pts[k];

		p->speedup = team ? t1 / p->wall : p->n * t1 / p->wall;
		p->efficiency = team ? t1 / p->wall / p->n : t1 / p->wall;
	}
	free(walls);
}

/* The machine's bandwidth ceiling's own scaling at each point: the best
 * STREAM rate at n over n x the best at 1. */
static int load_ceiling_scaling(struct store *st, int64_t cid, struct vinput *in, size_t nin)
{
	sqlite3_stmt *s;
	double at[CEILING_SCALING_MAX + 1] = { 0 };
	int rc, r = sql_prepare_id(st, LOADING,
				"SELECT mb.n_workers, max(mb.mb_per_s) FROM machine_bandwidth mb"
				" JOIN campaigns c ON c.machine_id = mb.machine_id WHERE c.id = ? GROUP BY mb.n_workers",
				cid, &s);

	if (r < 0)
		return r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int n = sqlite3_column_int(s, 0);

		if (n >= 1 && n <= CEILING_SCALING_MAX)
			at[n] = sqlite3_column_double(s, 1);
	}
	r = sql_rows_end(st, s, rc, LOADING);
	for (size_t i = 0; r == 0 && i < nin; i++) {
		int cores = in[i].cores > 0 && in[i].cores <= CEILING_SCALING_MAX ? in[i].cores : 0;

		in[i].ceiling_gbps = cores ? xcalloc((size_t)cores + 1, sizeof(double)) : NULL;
		for (int n = 1; n <= cores; n++)
			in[i].ceiling_gbps[n] = at[n] / 1000;
	}
	for (size_t i = 0; r == 0 && at[1] > 0 && i < nin; i++)
		for (size_t k = 0; k < in[i].npts; k++) {
			int n = in[i].pts[k].n;

			if (n >= 1 && n <= CEILING_SCALING_MAX && at[n] > 0)
				in[i].pts[k].ceiling_scaling = at[n] / (n * at[1]);
		}
	return r;
}

/* The median slowdown beside co-runner kind k of every point that has an
 * ordinary run; s is bound to (cid, kind) and yields (workload, n,
 * slowdown) grouped by point. */
static int load_slowdowns(struct store *st, sqlite3_stmt *s, struct vinput *in, size_t nin, int k)
{
	struct vals vals = { 0 };
	struct vpoint *cur = NULL;
	int rc;

	do {
		struct vpoint *p = NULL;

		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			struct vinput *w = find_workload(in, nin, sqlite3_column_text(s, 0));

			p = w ? vinput_point(w, sqlite3_column_int(s, 1), 0) : NULL;
		}
		if (cur && p != cur) {
			cur->coruns[k] = (int)vals.n;
			cur->slowdown[k] = vals_take_median(&vals);
		}
		cur = p;
		if (p)
			vals_push(&vals, sql_col_double(s, 2));
	} while (rc == SQLITE_ROW);
	free(vals.v);
	return rc == SQLITE_DONE ? 0 : store_fail(st, LOADING);
}

static int load_interference(struct store *st, int64_t cid, struct vinput *in, size_t nin)
{
	static const char *const kinds[CO_COUNT] = { "bandwidth", "cache", "cpu" };
	sqlite3_stmt *s;
	int r = sql_prepare(st, LOADING,
			    "SELECT r.workload, r.n_workers, i.slowdown FROM runs r JOIN interference i ON i.run_id = r.id"
			    " WHERE r.campaign_id = ?1 AND r.status = 'ok' AND r.corunner = ?2 AND r.bandit_level IS NULL"
			    " AND i.slowdown IS NOT NULL"
			    " ORDER BY r.workload, r.n_workers",
			    &s);

	for (int k = 0; r == 0 && k < CO_COUNT; k++) {
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, cid);
		sql_bind_text(s, 2, kinds[k]);
		r = load_slowdowns(st, s, in, nin, k);
	}
	sqlite3_finalize(s);
	return r;
}

/* Every ok bandit run (the bandit_points view), in the order run. */
static int load_bandit(struct store *st, int64_t cid, struct vinput *in, size_t nin)
{
	sqlite3_stmt *s;
	int rc, r = sql_prepare_id(st, LOADING,
				"SELECT workload, n_workers, level, taken_gbps, wall_s FROM bandit_points"
				" WHERE campaign_id = ? ORDER BY run_id",
				cid, &s);

	if (r < 0)
		return r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct vinput *w = find_workload(in, nin, sqlite3_column_text(s, 0));

		if (!w)
			continue;
		w->bandit = xreallocarray(w->bandit, w->nbandit + 1, sizeof(*w->bandit));
		w->bandit[w->nbandit++] = (struct bandit_obs){ sqlite3_column_int(s, 1), sql_col_double(s, 2),
							       sql_col_double(s, 3), sql_col_double(s, 4) };
	}
	return sql_rows_end(st, s, rc, LOADING);
}

/* The columns of a run as the speedup stack needs it, from the runs
 * table alone (its sums were computed when each run was stored). */
#define SRUN_COLS                                                                                                    \
	" n_workers, CASE mode WHEN 'copies' THEN n_workers ELSE 1 END,"                                             \
	" wall_ns / 1e9, user_ns / 1e9, kernel_ns / 1e9, run_delay_ns / 1e9,"                                         \
	" max(reserved_busy_ns - user_ns - kernel_ns, 0) / 1e9 + reserved_steal_ns / 1e9,"                            \
	" reserved_steal_ns / 1e9, psi_cpu_us / 1e6, serial_ns / 1e9, serial_cpu_ns / 1e9"

/* Appends the run in SRUN_COLS from column c of s to *runs. */
static void push_srun(sqlite3_stmt *s, int c, struct srun **runs, size_t *n)
{
	struct srun *x;

	*runs = xreallocarray(*runs, *n + 1, sizeof(**runs));
	x = &(*runs)[(*n)++];
	x->n = sqlite3_column_int(s, c);
	x->units = sqlite3_column_int(s, c + 1);
	x->wall = sql_col_double(s, c + 2);
	x->user = sql_col_double(s, c + 3);
	x->kernel = sql_col_double(s, c + 4);
	x->delay = sql_col_double(s, c + 5);
	x->others = sql_col_double(s, c + 6);
	x->steal = sql_col_double(s, c + 7);
	x->psi_cpu = sql_col_double(s, c + 8);
	x->serial = sql_col_double(s, c + 9);
	x->serial_cpu = sql_col_double(s, c + 10);
}

/* Every ok ordinary run of the baseline. */
static int load_stack_runs(struct store *st, int64_t cid, struct vinput *in, size_t nin)
{
	sqlite3_stmt *s;
	int rc, r = sql_prepare_id(st, LOADING,
				"SELECT workload," SRUN_COLS
				" FROM runs WHERE campaign_id = ? AND status = 'ok' AND corunner IS NULL AND variant IS NULL"
				" AND wall_ns > 0 ORDER BY seq",
				cid, &s);

	if (r < 0)
		return r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct vinput *w = find_workload(in, nin, sqlite3_column_text(s, 0));

		if (w)
			push_srun(s, 1, &w->runs, &w->nruns);
	}
	return sql_rows_end(st, s, rc, LOADING);
}

/* The variant named name of w, added in order when new. */
static struct vvariant *find_variant(struct vinput *w, const char *name, const char *tests)
{
	for (size_t k = 0; k < w->nvariants; k++)
		if (strcmp(w->variants[k].name, name) == 0)
			return &w->variants[k];
	w->variants = xreallocarray(w->variants, w->nvariants + 1, sizeof(*w->variants));
	memset(&w->variants[w->nvariants], 0, sizeof(*w->variants));
	w->variants[w->nvariants].name = xstrdup(name);
	w->variants[w->nvariants].tests = tests ? xstrdup(tests) : NULL;
	return &w->variants[w->nvariants++];
}

/* Every ok run of every variant, by workload and variant. */
static int load_variant_runs(struct store *st, int64_t cid, struct vinput *in, size_t nin)
{
	sqlite3_stmt *s;
	int rc, r = sql_prepare_id(st, LOADING,
				"SELECT r.workload, r.variant, v.tests," SRUN_COLS
				" FROM runs r LEFT JOIN variants v ON v.campaign_id = r.campaign_id AND v.name = r.variant"
				" WHERE r.campaign_id = ? AND r.status = 'ok' AND r.corunner IS NULL"
				" AND r.variant IS NOT NULL AND r.wall_ns > 0 ORDER BY r.seq",
				cid, &s);

	if (r < 0)
		return r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct vinput *w = find_workload(in, nin, sqlite3_column_text(s, 0));
		struct vvariant *v;

		if (!w || !sqlite3_column_text(s, 1))
			continue;
		v = find_variant(w, (const char *)sqlite3_column_text(s, 1), (const char *)sqlite3_column_text(s, 2));
		push_srun(s, 3, &v->runs, &v->nruns);
	}
	return sql_rows_end(st, s, rc, LOADING);
}

/* Why bandwidth or LLC misses were not measured, per workload: two
 * queries over the campaign, grouped by workload; what could be counted is
 * the host's and the campaign's, the same in every run, so the counters
 * are asked of each workload's first ok run only. */
static int load_reasons(struct store *st, int64_t cid, struct vinput *in, size_t nin)
{
	sqlite3_stmt *bw = NULL, *llc = NULL;
	char *seen = xcalloc(nin ? nin : 1, 1); /* a row for the workload below */
	int rc, r = sql_prepare_id(st, LOADING,
				"SELECT r.workload, group_concat(DISTINCT CASE WHEN b.read_bytes IS NOT NULL"
				"  OR b.write_bytes IS NOT NULL THEN b.source END),"
				" max(CASE WHEN b.read_bytes IS NULL AND b.write_bytes IS NULL THEN b.reason END),"
				" count(b.run_id)"
				" FROM runs r LEFT JOIN bandwidth b ON b.run_id = r.id WHERE r.campaign_id = ?"
				" GROUP BY r.workload",
				cid, &bw);

	while (r == 0 && (rc = sqlite3_step(bw)) == SQLITE_ROW) {
		struct vinput *w = find_workload(in, nin, sqlite3_column_text(bw, 0));

		if (!w)
			continue;
		w->bw_source = sql_col_strdup(bw, 1);
		w->bw_reason = sql_col_strdup(bw, 2);
		if (!w->bw_source && !w->bw_reason && sqlite3_column_int(bw, 3) == 0)
			w->bw_reason = xstrdup("the campaign did not measure bandwidth (bandwidth: false?)");
	}
	if (r == 0)
		r = sql_rows_end(st, bw, rc, LOADING);
	if (r == 0)
		r = sql_prepare_id(st, LOADING,
				"SELECT r.workload, max(CASE WHEN c.status NOT IN ('ok', 'multiplexed')"
				"  AND c.reason IS NOT NULL THEN c.event || ': ' || c.reason END),"
				" count(DISTINCT c.event)"
				" FROM runs r JOIN counters c ON c.run_id = r.id WHERE r.id IN (SELECT min(x.id) FROM runs x"
				"  WHERE x.campaign_id = ? AND x.status = 'ok' GROUP BY x.workload)"
				" AND c.event IN ('LLC-load-misses', 'instructions') GROUP BY r.workload",
				cid, &llc);
	while (r == 0 && (rc = sqlite3_step(llc)) == SQLITE_ROW) {
		struct vinput *w = find_workload(in, nin, sqlite3_column_text(llc, 0));

		if (!w)
			continue;
		w->llc_reason = sql_col_strdup(llc, 1);
		if (!w->llc_reason && sqlite3_column_int(llc, 2) < 2)
			w->llc_reason = xstrdup("instructions and LLC-load-misses are not among the campaign's events");
		seen[w - in] = 1;
	}
	if (r == 0)
		r = sql_rows_end(st, llc, rc, LOADING);
	/* a workload with neither event counted has no row above */
	for (size_t i = 0; r == 0 && i < nin; i++)
		if (!seen[i])
			in[i].llc_reason = xstrdup("instructions and LLC-load-misses are not among the campaign's events");
	free(seen);
	return r;
}

int store_verdict_inputs(struct store *st, int64_t cid, struct vinput **ret, size_t *ret_n)
{
	struct vinput *in = NULL;
	size_t n = 0;
	int r = load_workloads(st, cid, &in, &n);

	if (r == 0)
		r = load_run_metrics(st, cid, in, n);
	if (r == 0)
		r = load_ceiling_scaling(st, cid, in, n);
	if (r == 0)
		r = load_interference(st, cid, in, n);
	if (r == 0)
		r = load_reasons(st, cid, in, n);
	if (r == 0)
		r = load_stack_runs(st, cid, in, n);
	if (r == 0)
		r = load_variant_runs(st, cid, in, n);
	if (r == 0)
		r = load_bandit(st, cid, in, n);
	for (size_t i = 0; r == 0 && i < n; i++)
		set_scaling(&in[i]);
	if (r < 0) {
		vinputs_free(in, n);
		return r;
	}
	*ret = in;
	*ret_n = n;
	return 0;
}

/* ---- writing ------------------------------------------------------------- */

/* The statements of one store_verdicts, prepared once. */
struct vstmts {
	sqlite3_stmt *verdict, *hyp, *ev, *point, *comp, *effect, *curve;
};

static void vstmts_free(struct vstmts *q)
{
	sqlite3_finalize(q->verdict);
	sqlite3_finalize(q->hyp);
	sqlite3_finalize(q->ev);
	sqlite3_finalize(q->point);
	sqlite3_finalize(q->comp);
	sqlite3_finalize(q->effect);
	sqlite3_finalize(q->curve);
}

static int vstmts_prepare(struct store *st, struct vstmts *q)
{
	int r;

	memset(q, 0, sizeof(*q));
	r = sql_prepare(st, STORING,
			"INSERT INTO verdicts (campaign_id, workload, mode, verdict, confidence, n_workers,"
			" efficiency, reason, bandwidth, bandwidth_reason, judged_by, efficiency_lo, efficiency_hi,"
			" decided, more_runs, stack, intervention, intervention_text)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			&q->verdict);
	if (r == 0)
		r = sql_prepare(st, STORING,
				"INSERT INTO hypotheses (verdict_id, hypothesis, status, reason) VALUES (?, ?, ?, ?)",
				&q->hyp);
	if (r == 0)
		r = sql_prepare(st, STORING,
				"INSERT INTO verdict_evidence (verdict_id, hypothesis, figure, n_workers, value, threshold,"
				" stance, source, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				&q->ev);
	if (r == 0)
		r = sql_prepare(st, STORING,
				"INSERT INTO verdict_points (verdict_id, n_workers, runs, runs_1, cost_1, cost, efficiency,"
				" efficiency_lo, efficiency_hi, wall_s, wall_s_lo, wall_s_hi, wall_s_level, wall_s_min,"
				" wall_s_max, outliers, serial_fraction, host_busy_share, psi_cpu_share, outliers_1,"
				" wait_ratio, serial_phase_s, amdahl_fraction)"
				" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				&q->point);
	if (r == 0)
		r = sql_prepare(st, STORING,
				"INSERT INTO speedup_stack (verdict_id, n_workers, component, core_s_per_unit, lo, hi, share)"
				" VALUES (?, ?, ?, ?, ?, ?, ?)",
				&q->comp);
	if (r == 0)
		r = sql_prepare(st, STORING,
				"INSERT INTO variant_effects (verdict_id, variant, n_workers, component, baseline,"
				" baseline_lo, baseline_hi, value, value_lo, value_hi, runs)"
				" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				&q->effect);
	if (r == 0)
		r = sql_prepare(st, STORING,
				"INSERT INTO bandit_curves (verdict_id, n_workers, points, levels, base_wall_s,"
				" max_taken_gbps, slope, slope_lo, slope_hi, intercept, rise_lo, rise_hi, step, step_lo,"
				" step_hi, shape, note, reach_gbps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				&q->curve);
	return r;
}

/* An empty text is stored as NULL. */
static const char *or_null(const char *s)
{
	return s[0] ? s : NULL;
}

static int insert_verdict(struct store *st, sqlite3_stmt *s, int64_t cid, const struct verdict *v,
			  const char *version, int64_t *ret_id)
{
	int r;

	sqlite3_bind_int64(s, 1, cid);
	sql_bind_text(s, 2, v->workload);
	sql_bind_text(s, 3, v->mode);
	sql_bind_text(s, 4, v->verdict);
	sql_bind_text(s, 5, v->confidence);
	sql_bind_long(s, 6, v->n ? v->n : LONG_MIN);
	sql_bind_double(s, 7, v->efficiency);
	sql_bind_text(s, 8, v->reason);
	sql_bind_text(s, 9, hyp_status_name(v->hyp[H_BANDWIDTH].status));
	sql_bind_text(s, 10, v->bw_line);
	sql_bind_text(s, 11, version);
	sql_bind_double(s, 12, v->eff.lo);
	sql_bind_double(s, 13, v->eff.hi);
	sql_bind_long(s, 14, v->nstack ? v->decided : LONG_MIN);
	sql_bind_long(s, 15, v->nstack && !v->decided ? v->more_runs : LONG_MIN);
	sql_bind_text(s, 16, or_null(v->stack_line));
	if (v->neffects || v->intervention != IV_UNTESTED)
		sql_bind_text(s, 17, intervention_name(v->intervention));
	sql_bind_text(s, 18, or_null(v->intervention_line));
	r = sql_step_cached(st, s, STORING);
	if (r == 0)
		*ret_id = sqlite3_last_insert_rowid(st->db);
	return r;
}

static int insert_hypotheses(struct store *st, sqlite3_stmt *s, int64_t vid, const struct verdict *v)
{
	int r = 0;

	for (int h = 0; r == 0 && h < H_COUNT; h++) {
		sqlite3_bind_int64(s, 1, vid);
		sql_bind_text(s, 2, hypothesis_name(h));
		sql_bind_text(s, 3, hyp_status_name(v->hyp[h].status));
		sql_bind_text(s, 4, or_null(v->hyp[h].reason));
		r = sql_step_cached(st, s, STORING);
	}
	return r;
}

static int insert_evidence(struct store *st, sqlite3_stmt *s, int64_t vid, const struct verdict *v)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < v->nev; i++) {
		const struct evidence *e = &v->ev[i];

		sqlite3_bind_int64(s, 1, vid);
		sql_bind_text(s, 2, hypothesis_name(e->hyp));
		sql_bind_text(s, 3, e->figure);
		sql_bind_long(s, 4, e->n);
		sql_bind_double(s, 5, e->value);
		sql_bind_text(s, 6, or_null(e->threshold));
		sql_bind_text(s, 7, stance_name(e->stance));
		sql_bind_text(s, 8, e->source);
		sql_bind_text(s, 9, e->note);
		r = sql_step_cached(st, s, STORING);
	}
	return r;
}

/* One component row: its interval and share. */
static int insert_component(struct store *st, sqlite3_stmt *s, int64_t vid, int n, const char *name,
			    const struct interval *iv, double share)
{
	sqlite3_bind_int64(s, 1, vid);
	sqlite3_bind_int(s, 2, n);
	sql_bind_text(s, 3, name);
	sql_bind_double(s, 4, iv->mid);
	sql_bind_double(s, 5, iv->lo);
	sql_bind_double(s, 6, iv->hi);
	sql_bind_double(s, 7, share);
	return sql_step_cached(st, s, STORING);
}

static int insert_stack(struct store *st, const struct vstmts *q, int64_t vid, const struct verdict *v)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < v->nstack; i++) {
		const struct stack_point *p = &v->stack[i];
		const double d[] = {
			p->cost1, p->cost, p->efficiency.mid, p->efficiency.lo, p->efficiency.hi, p->wall.mid, p->wall.lo,
			p->wall.hi, p->wall.level, p->wall_min, p->wall_max,
		};
		sqlite3_stmt *s = q->point;

		sqlite3_bind_int64(s, 1, vid);
		sqlite3_bind_int(s, 2, p->n);
		sqlite3_bind_int(s, 3, p->runs);
		sqlite3_bind_int(s, 4, p->runs1);
		for (size_t k = 0; k < ARRAY_SIZE(d); k++)
			sql_bind_double(s, 5 + (int)k, d[k]);
		sqlite3_bind_int(s, 16, p->outliers);
		sql_bind_double(s, 17, p->serial_fraction);
		sql_bind_double(s, 18, p->host_busy);
		sql_bind_double(s, 19, p->psi_cpu_share);
		sqlite3_bind_int(s, 20, p->outliers1);
		sql_bind_double(s, 21, p->wait_ratio);
		sql_bind_double(s, 22, p->serial_phase);
		sql_bind_double(s, 23, p->amdahl);
		r = sql_step_cached(st, s, STORING);
		if (r == 0)
			r = insert_component(st, q->comp, vid, p->n, "lost", &p->lost, p->lost.mid > 0 ? 1 : NAN);
		for (int c = 0; r == 0 && c < SC_COUNT; c++)
			r = insert_component(st, q->comp, vid, p->n, stack_comp_name(c), &p->comp[c], p->share[c]);
	}
	return r;
}

/* One variant_effects row. */
static int insert_effect(struct store *st, sqlite3_stmt *s, int64_t vid, const struct variant_effect *e,
			 const char *comp, const struct interval *base, const struct interval *val)
{
	sqlite3_bind_int64(s, 1, vid);
	sql_bind_text(s, 2, e->variant);
	sqlite3_bind_int(s, 3, e->n);
	sql_bind_text(s, 4, comp);
	sql_bind_double(s, 5, base->mid);
	sql_bind_double(s, 6, base->lo);
	sql_bind_double(s, 7, base->hi);
	sql_bind_double(s, 8, val->mid);
	sql_bind_double(s, 9, val->lo);
	sql_bind_double(s, 10, val->hi);
	sqlite3_bind_int(s, 11, e->runs);
	return sql_step_cached(st, s, STORING);
}

static int insert_effects(struct store *st, sqlite3_stmt *s, int64_t vid, const struct verdict *v)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < v->neffects; i++) {
		const struct variant_effect *e = &v->effects[i];

		r = insert_effect(st, s, vid, e, "efficiency", &e->eff_base, &e->eff);
		if (r == 0)
			r = insert_effect(st, s, vid, e, "lost", &e->lost_base, &e->lost);
		for (int c = 0; r == 0 && c < SC_COUNT; c++)
			r = insert_effect(st, s, vid, e, stack_comp_name(c), &e->base[c], &e->comp[c]);
	}
	return r;
}

static int insert_curves(struct store *st, sqlite3_stmt *s, int64_t vid, const struct verdict *v)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < v->ncurves; i++) {
		const struct bandit_curve *c = &v->curves[i];
		const double d[] = {
			c->base_wall, c->max_taken, c->slope.mid, c->slope.lo, c->slope.hi, c->intercept,
			c->rise.lo, c->rise.hi, c->step.mid, c->step.lo, c->step.hi,
		};

		sqlite3_bind_int64(s, 1, vid);
		sqlite3_bind_int(s, 2, c->n);
		sqlite3_bind_int(s, 3, c->points);
		sqlite3_bind_int(s, 4, c->levels);
		for (size_t k = 0; k < ARRAY_SIZE(d); k++)
			sql_bind_double(s, 5 + (int)k, d[k]);
		sql_bind_text(s, 16, bandit_shape_name(c->shape));
		sql_bind_text(s, 17, c->note);
		sql_bind_double(s, 18, c->reach);
		r = sql_step_cached(st, s, STORING);
	}
	return r;
}

static int insert_all(struct store *st, int64_t cid, const struct verdict *v, size_t n, const char *version)
{
	struct vstmts q = { 0 };
	sqlite3_stmt *del;
	int r = sql_prepare_id(st, STORING, "DELETE FROM verdicts WHERE campaign_id = ?", cid, &del);

	if (r < 0)
		return r;
	r = sql_step_once(st, del, STORING);
	if (r == 0)
		r = vstmts_prepare(st, &q);
	for (size_t i = 0; r == 0 && i < n; i++) {
		int64_t vid = -1;

		r = insert_verdict(st, q.verdict, cid, &v[i], version, &vid);
		if (r == 0)
			r = insert_hypotheses(st, q.hyp, vid, &v[i]);
		if (r == 0)
			r = insert_evidence(st, q.ev, vid, &v[i]);
		if (r == 0)
			r = insert_stack(st, &q, vid, &v[i]);
		if (r == 0)
			r = insert_effects(st, q.effect, vid, &v[i]);
		if (r == 0)
			r = insert_curves(st, q.curve, vid, &v[i]);
	}
	vstmts_free(&q);
	return r;
}

int store_verdicts(struct store *st, int64_t cid, const struct verdict *v, size_t n, const char *version)
{
	int r = sql_exec(st, STORING, "BEGIN IMMEDIATE");

	if (r < 0)
		return r;
	return sql_commit_or_rollback(st, insert_all(st, cid, v, n, version), STORING);
}
