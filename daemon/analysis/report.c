/* report.c: the result table of a campaign (see report.h). Everything is
 * read back from the database through the scaling view, so what is printed
 * is what a user finds with sqlite3. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/plot.h"
#include "analysis/report.h"
#include "base/util.h"
#include "analysis/verdict.h"

struct ev_col {
	char *name;
	int counted;   /* some value was counted somewhere */
	char *reason;  /* first reason it was not, if never counted */
};

struct row {
	char *workload, *mode;
	int n, runs, not_ok;
	double wall, speedup, efficiency;
	double *ev; /* per-worker median per event column; NAN if none */
	double gbps, ceiling;   /* median bandwidth and its fraction of the ceiling */
	char *bw_source;
	double slowdown[3];     /* median beside the bandwidth, cache, cpu co-runner */
	double cache_load;      /* workers x working set / usable LLC; NAN unknown */
};

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **s)
{
	return sqlite3_prepare_v2(db, sql, -1, s, NULL) == SQLITE_OK ? 0 : -EIO;
}

/* 1 when sql (one ? for id) yields a row, 0 when not, -EIO on failure. */
static int row_exists(sqlite3 *db, const char *sql, int64_t id)
{
	sqlite3_stmt *s;
	int found;

	if (prepare(db, sql, &s) < 0)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return found;
}

int report_latest_campaign(struct store *st, int64_t *ret_id)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s;
	int r;

	if (prepare(db, "SELECT max(id) FROM campaigns", &s) < 0)
		return -EIO;
	r = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL ? 0 : -ENOENT;
	if (r == 0)
		*ret_id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return r;
}

static int load_events(sqlite3 *db, int64_t cid, struct ev_col **ret, size_t *ret_n)
{
	sqlite3_stmt *s;
	struct ev_col *cols = NULL;
	size_t n = 0;

	if (prepare(db,
		    "SELECT c.event, max(c.status IN ('ok','multiplexed')),"
		    " (SELECT c2.reason FROM counters c2 JOIN runs r2 ON r2.id = c2.run_id"
		    "   WHERE r2.campaign_id = ?1 AND c2.event = c.event AND c2.reason IS NOT NULL"
		    "   AND c2.status NOT IN ('ok','multiplexed') LIMIT 1)"
		    " FROM counters c JOIN runs r ON r.id = c.run_id WHERE r.campaign_id = ?1"
		    " GROUP BY c.event ORDER BY min(c.id)",
		    &s) < 0)
		return -EIO;
	sqlite3_bind_int64(s, 1, cid);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *reason = (const char *)sqlite3_column_text(s, 2);

		cols = xreallocarray(cols, n + 1, sizeof(*cols));
		cols[n].name = xstrdup((const char *)sqlite3_column_text(s, 0));
		cols[n].counted = sqlite3_column_int(s, 1);
		cols[n].reason = reason ? xstrdup(reason) : NULL;
		n++;
	}
	sqlite3_finalize(s);
	*ret = cols;
	*ret_n = n;
	return 0;
}

/* The median of the first column of s's rows, s bound to (campaign,
 * workload, n, ?4) by the caller's key; NAN when there are none. */
static double median_rows(sqlite3_stmt *s, int64_t cid, const struct row *row, const char *key)
{
	double *vals = NULL, m;
	size_t n = 0;

	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, cid);
	sqlite3_bind_text(s, 2, row->workload, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, row->n);
	if (key)
		sqlite3_bind_text(s, 4, key, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW)
		if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
			vals = xreallocarray(vals, n + 1, sizeof(double));
			vals[n++] = sqlite3_column_double(s, 0);
		}
	m = median_double(vals, n);
	free(vals);
	return m;
}

/* The ordinary ok runs of a row: ?1 campaign, ?2 workload, ?3 n */
#define OK_RUNS " r.campaign_id = ?1 AND r.workload = ?2 AND r.n_workers = ?3 AND r.status = 'ok'"

/* The queries behind one row's event medians and bandwidth source,
 * prepared once per report. Its bandwidth, ceiling fraction and slowdowns
 * are the verdict's medians of run_metrics (row_take_point). */
struct row_queries {
	sqlite3_stmt *ev, *src;
};

static void row_queries_free(struct row_queries *q)
{
	sqlite3_finalize(q->ev);
	sqlite3_finalize(q->src);
}

/* Returns 0 or -EIO (with every statement finalized). */
static int row_queries_prepare(sqlite3 *db, struct row_queries *q)
{
	memset(q, 0, sizeof(*q));
	if (prepare(db,
		    "SELECT c.scaled_value FROM counters c JOIN runs r ON r.id = c.run_id WHERE" OK_RUNS
		    " AND r.corunner IS NULL AND c.event = ?4 AND c.status IN ('ok','multiplexed')",
		    &q->ev) < 0 ||
	    prepare(db, "SELECT group_concat(DISTINCT b.source) FROM runs r JOIN bandwidth b ON b.run_id = r.id"
			" WHERE" OK_RUNS " AND r.corunner IS NULL", &q->src) < 0) {
		row_queries_free(q);
		return -EIO;
	}
	return 0;
}

/* The verdict's medians of a row's (workload, N), or NULL when it has no
 * ok run. */
static const struct vpoint *find_point(const struct vinput *in, size_t nin, const struct row *r)
{
	for (size_t w = 0; w < nin; w++)
		if (strcmp(in[w].workload, r->workload) == 0)
			for (size_t k = 0; k < in[w].npts; k++)
				if (in[w].pts[k].n == r->n)
					return &in[w].pts[k];
	return NULL;
}

/* Per-worker median of each event of one row, its bandwidth source, and
 * the bandwidth and slowdown medians the verdict took (p may be NULL). */
static void load_medians(struct row_queries *q, int64_t cid, struct row *row, const struct ev_col *cols,
			 size_t ncols, const struct vpoint *p)
{
	row->ev = xcalloc(ncols, sizeof(double));
	for (size_t e = 0; e < ncols; e++)
		row->ev[e] = median_rows(q->ev, cid, row, cols[e].name);
	row->gbps = p ? p->gbps : NAN;
	row->ceiling = p ? p->ceiling : NAN;
	for (int k = 0; k < 3; k++)
		row->slowdown[k] = p ? p->slowdown[k] : NAN;
	sqlite3_reset(q->src);
	sqlite3_bind_int64(q->src, 1, cid);
	sqlite3_bind_text(q->src, 2, row->workload, -1, SQLITE_STATIC);
	sqlite3_bind_int(q->src, 3, row->n);
	if (sqlite3_step(q->src) == SQLITE_ROW && sqlite3_column_type(q->src, 0) != SQLITE_NULL)
		row->bw_source = xstrdup((const char *)sqlite3_column_text(q->src, 0));
}

static int load_rows(sqlite3 *db, int64_t cid, struct row **ret, size_t *ret_n)
{
	sqlite3_stmt *s;
	struct row *rows = NULL;
	size_t n = 0;

	/* every (workload, n) planned, in campaign order, with its scaling
	 * figures when at least one run of it was ok */
	if (prepare(db,
		    "SELECT r.workload, r.mode, r.n_workers, sum(r.status = 'ok'), sum(r.status != 'ok'),"
		    " s.median_wall_s, s.speedup, s.efficiency,"
		    " 1.0 * max(r.working_set_bytes) * CASE r.mode WHEN 'copies' THEN r.n_workers ELSE 1 END /"
		    "  (SELECT m.usable_llc_bytes FROM machines m JOIN campaigns c ON c.machine_id = m.id"
		    "   WHERE c.id = r.campaign_id)"
		    " FROM runs r LEFT JOIN scaling s ON s.campaign_id = r.campaign_id"
		    "  AND s.workload = r.workload AND s.n_workers = r.n_workers"
		    " WHERE r.campaign_id = ? AND r.corunner IS NULL GROUP BY r.workload, r.n_workers"
		    " ORDER BY (SELECT min(seq) FROM runs x WHERE x.campaign_id = r.campaign_id"
		    "  AND x.workload = r.workload), r.n_workers",
		    &s) < 0)
		return -EIO;
	sqlite3_bind_int64(s, 1, cid);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct row *rw;

		rows = xreallocarray(rows, n + 1, sizeof(*rows));
		rw = &rows[n++];
		memset(rw, 0, sizeof(*rw));
		rw->workload = xstrdup((const char *)sqlite3_column_text(s, 0));
		rw->mode = xstrdup((const char *)sqlite3_column_text(s, 1));
		rw->n = sqlite3_column_int(s, 2);
		rw->runs = sqlite3_column_int(s, 3);
		rw->not_ok = sqlite3_column_int(s, 4);
		rw->wall = sqlite3_column_type(s, 5) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 5);
		rw->speedup = sqlite3_column_type(s, 6) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 6);
		rw->efficiency = sqlite3_column_type(s, 7) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 7);
		rw->cache_load = sqlite3_column_type(s, 8) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 8);
	}
	sqlite3_finalize(s);
	*ret = rows;
	*ret_n = n;
	return 0;
}

static void fmt_fixed(double v, int prec, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.*f", prec, v);
}

/* task-clock and cpu-clock count nanoseconds: shown in seconds */
static void fmt_event(const struct ev_col *col, double v, char *buf, size_t len)
{
	size_t nl = strlen(col->name);

	if (!col->counted)
		snprintf(buf, len, "n/s");
	else if (!isnan(v) && nl > 6 && strcmp(col->name + nl - 6, "-clock") == 0)
		snprintf(buf, len, "%.3fs", v / 1e9);
	else
		format_count(v, buf, len);
}

static int any_interference(const struct row *rows, size_t nrows)
{
	for (size_t i = 0; i < nrows; i++)
		for (int k = 0; k < 3; k++)
			if (!isnan(rows[i].slowdown[k]))
				return 1;
	return 0;
}

/* One line per distinct bandwidth source and reason of the campaign. */
static void print_bandwidth_notes(sqlite3 *db, int64_t cid, FILE *out)
{
	sqlite3_stmt *s;

	if (prepare(db, "SELECT DISTINCT b.source, b.reason FROM bandwidth b JOIN runs r ON r.id = b.run_id"
			" WHERE r.campaign_id = ? AND b.reason IS NOT NULL", &s) < 0)
		return;
	sqlite3_bind_int64(s, 1, cid);
	while (sqlite3_step(s) == SQLITE_ROW)
		fprintf(out, "bandwidth (%s): %s\n", sqlite3_column_text(s, 0), sqlite3_column_text(s, 1));
	sqlite3_finalize(s);
}

static void print_text(FILE *out, const struct row *rows, size_t nrows, const struct ev_col *cols,
		       size_t ncols)
{
	int wname = 8, intf = any_interference(rows, nrows);
	char b1[32], b2[32], b3[32], b4[32], b5[32];

	for (size_t i = 0; i < nrows; i++)
		if ((int)strlen(rows[i].workload) > wname)
			wname = (int)strlen(rows[i].workload);
	fprintf(out, "%-*s  %-6s  %3s  %4s  %9s  %7s  %6s  %7s  %5s  %-12s  %8s", wname, "workload", "mode", "N", "runs",
		"wall_s", "speedup", "effic", "bw_GB/s", "ceil%", "bw_source", "wset/LLC");
	for (size_t e = 0; e < ncols; e++)
		fprintf(out, "  %*s", (int)(strlen(cols[e].name) > 7 ? strlen(cols[e].name) : 7), cols[e].name);
	if (intf)
		fprintf(out, "  %7s  %10s  %8s", "slow:bw", "slow:cache", "slow:cpu");
	fputc('\n', out);
	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		fmt_fixed(r->wall, 3, b1, sizeof(b1));
		fmt_fixed(r->speedup, 2, b2, sizeof(b2));
		fmt_fixed(r->efficiency, 2, b3, sizeof(b3));
		fmt_fixed(r->gbps, 2, b4, sizeof(b4));
		fmt_fixed(r->ceiling * 100, 0, b5, sizeof(b5));
		{
			char b6[32];

			fmt_fixed(r->cache_load, 2, b6, sizeof(b6));
			fprintf(out, "%-*s  %-6s  %3d  %4d  %9s  %7s  %6s  %7s  %5s  %-12s  %8s", wname, r->workload, r->mode,
				r->n, r->runs, b1, b2, b3, b4, b5, r->bw_source ? r->bw_source : "-", b6);
		}
		for (size_t e = 0; e < ncols; e++) {
			char v[32];

			fmt_event(&cols[e], r->ev ? r->ev[e] : NAN, v, sizeof(v));
			fprintf(out, "  %*s", (int)(strlen(cols[e].name) > 7 ? strlen(cols[e].name) : 7), v);
		}
		if (intf) {
			char s0[16], s1[16], s2[16];

			fmt_fixed(r->slowdown[0], 2, s0, sizeof(s0));
			fmt_fixed(r->slowdown[1], 2, s1, sizeof(s1));
			fmt_fixed(r->slowdown[2], 2, s2, sizeof(s2));
			fprintf(out, "  %7s  %10s  %8s", s0, s1, s2);
		}
		if (r->not_ok)
			fprintf(out, "  (%d run%s not ok)", r->not_ok, r->not_ok > 1 ? "s" : "");
		fputc('\n', out);
	}
	fprintf(out, "\nwall_s: median wall time of the ok runs; events: per-worker medians.\n"
		     "copies: speedup = N x T1/TN, efficiency = T1/TN; team: speedup = T1/TN, efficiency = speedup/N.\n"
		     "bw_GB/s: median memory traffic of all sockets; ceil%%: of this machine's measured ceiling at N.\n"
		     "wset/LLC: workers x a builtin's working set / this machine's measured usable last-level cache.\n");
	if (intf)
		fprintf(out, "slow:X: median wall beside the X co-runner on the free cores / wall alone.\n");
	for (size_t e = 0; e < ncols; e++)
		if (!cols[e].counted)
			fprintf(out, "n/s: %s not counted: %s\n", cols[e].name,
				cols[e].reason ? cols[e].reason : "no value");
}

static void csv_text(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\n")) {
		fputc('"', out);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else {
		fputs(s, out);
	}
}

static void csv_num(FILE *out, double v)
{
	if (!isnan(v))
		fprintf(out, "%.9g", v);
}

static void csv_verdict_cols(FILE *out, const struct row *r, const struct verdict *v, size_t nv)
{
	for (size_t i = 0; i < nv; i++)
		if (strcmp(v[i].workload, r->workload) == 0) {
			fprintf(out, ",%s,%s,%s", v[i].verdict, v[i].confidence,
				hyp_status_name(v[i].hyp[H_BANDWIDTH].status));
			return;
		}
	fputs(",,,", out);
}

static void print_csv(FILE *out, const struct row *rows, size_t nrows, const struct ev_col *cols, size_t ncols,
		      const struct verdict *v, size_t nv)
{
	fputs("workload,mode,n_workers,runs_ok,runs_not_ok,median_wall_s,speedup,efficiency,gb_per_s,"
	      "ceiling_fraction,bandwidth_source,slowdown_bandwidth,slowdown_cache,slowdown_cpu,working_set_per_llc,"
	      "verdict,confidence,memory_bandwidth", out);
	for (size_t e = 0; e < ncols; e++) {
		fputc(',', out);
		csv_text(out, cols[e].name);
	}
	fputc('\n', out);
	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		csv_text(out, r->workload);
		fprintf(out, ",%s,%d,%d,%d,", r->mode, r->n, r->runs, r->not_ok);
		csv_num(out, r->wall);
		fputc(',', out);
		csv_num(out, r->speedup);
		fputc(',', out);
		csv_num(out, r->efficiency);
		fputc(',', out);
		csv_num(out, r->gbps);
		fputc(',', out);
		csv_num(out, r->ceiling);
		fputc(',', out);
		csv_text(out, r->bw_source ? r->bw_source : "");
		for (int k = 0; k < 3; k++) {
			fputc(',', out);
			csv_num(out, r->slowdown[k]);
		}
		fputc(',', out);
		csv_num(out, r->cache_load);
		csv_verdict_cols(out, r, v, nv);
		for (size_t e = 0; e < ncols; e++) {
			fputc(',', out);
			csv_num(out, r->ev ? r->ev[e] : NAN);
		}
		fputc('\n', out);
	}
}

/* ---- metrics and verdicts ---------------------------------------------- */

static void fmt_pct(double v, char *buf, size_t len)
{
	fmt_fixed(isnan(v) ? v : v * 100, 0, buf, len);
}

/* The medians the verdicts weigh, per workload and N. */
static void print_metrics(FILE *out, const struct vinput *in, size_t nin)
{
	int wname = 8;

	for (size_t i = 0; i < nin; i++)
		if ((int)strlen(in[i].workload) > wname)
			wname = (int)strlen(in[i].workload);
	fprintf(out, "\nmetrics: medians of the ok runs (the run_metrics view)\n");
	fprintf(out, "%-*s  %3s  %10s  %7s  %12s  %12s  %9s  %5s  %8s\n", wname, "workload", "N", "cores_busy", "kernel%",
		"faults/cpu-s", "switch/cpu-ms", "run_delay", "IPC", "LLC_MPKI");
	for (size_t i = 0; i < nin; i++)
		for (size_t k = 0; k < in[i].npts; k++) {
			const struct vpoint *p = &in[i].pts[k];
			char b[7][32];

			if (p->runs == 0)
				continue;
			fmt_fixed(p->cpu_util, 2, b[0], sizeof(b[0]));
			fmt_pct(p->kernel_share, b[1], sizeof(b[1]));
			format_count(p->faults_per_cpu_s, b[2], sizeof(b[2]));
			fmt_fixed(p->switches_per_cpu_ms, 2, b[3], sizeof(b[3]));
			fmt_fixed(p->run_delay_ratio, 3, b[4], sizeof(b[4]));
			fmt_fixed(p->ipc, 2, b[5], sizeof(b[5]));
			fmt_fixed(p->mpki, 2, b[6], sizeof(b[6]));
			fprintf(out, "%-*s  %3d  %10s  %7s  %12s  %13s  %9s  %5s  %8s\n", wname, in[i].workload, p->n, b[0],
				b[1], b[2], b[3], b[4], b[5], b[6]);
		}
	fprintf(out, "cores_busy: CPU time / wall (summed over workers and a team's threads); kernel%%: of CPU time;\n"
		     "run_delay: run-queue wait per CPU-second; IPC and LLC_MPKI need a hardware PMU.\n");
}

static void format_evidence_value(const struct evidence *e, char *buf, size_t len)
{
	if (isnan(e->value))
		snprintf(buf, len, "-");
	else if (fabs(e->value) >= 1000)
		format_count(e->value, buf, len);
	else
		snprintf(buf, len, "%.3g", e->value);
}

static void print_verdicts(FILE *out, const struct verdict *v, size_t nv)
{
	fprintf(out, "\nverdicts (how they are reached: man scalprof-verdict)\n");
	for (size_t i = 0; i < nv; i++) {
		fprintf(out, "\n%s (%s): %s, %s confidence\n", v[i].workload, v[i].mode, v[i].verdict, v[i].confidence);
		fprintf(out, "  why: %s\n", v[i].reason);
		fprintf(out, "  memory-bandwidth: %s\n", v[i].bw_line);
		for (int h = 0; h < H_COUNT; h++) {
			const struct hyp_result *hr = &v[i].hyp[h];

			fprintf(out, "  %-16s  %s", hypothesis_name(h), hyp_status_name(hr->status));
			if (hr->status == HS_UNTESTABLE && h == H_BANDWIDTH)
				fprintf(out, " (why: the memory-bandwidth line)");
			else if (hr->status == HS_UNTESTABLE || hr->status == HS_UNCLEAR)
				fprintf(out, ": %s", hr->reason);
			fputc('\n', out);
			for (size_t k = 0; k < v[i].nev; k++) {
				const struct evidence *e = &v[i].ev[k];
				char val[32];

				if (e->hyp != (enum hypothesis)h)
					continue;
				format_evidence_value(e, val, sizeof(val));
				fprintf(out, "    %-7s  %s = %s at N=%d%s%s%s: %s\n", stance_name(e->stance), e->figure, val, e->n,
					e->threshold[0] ? " (" : "", e->threshold, e->threshold[0] ? ")" : "", e->note);
			}
		}
	}
}

/* ---- JSON --------------------------------------------------------------- */

static json_object *jnum(double v)
{
	return isnan(v) || isinf(v) ? NULL : json_object_new_double(v);
}

static json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *json_rows(const struct row *rows, size_t nrows, const struct ev_col *cols, size_t ncols,
			      const struct vinput *in, size_t nin)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		json_object *o = json_object_new_object(), *ev = json_object_new_object(),
			    *sl = json_object_new_object(), *m = json_object_new_object();
		const struct vpoint *p = find_point(in, nin, r);

		json_object_object_add(o, "workload", jstr(r->workload));
		json_object_object_add(o, "mode", jstr(r->mode));
		json_object_object_add(o, "n_workers", json_object_new_int(r->n));
		json_object_object_add(o, "runs_ok", json_object_new_int(r->runs));
		json_object_object_add(o, "runs_not_ok", json_object_new_int(r->not_ok));
		json_object_object_add(o, "median_wall_s", jnum(r->wall));
		json_object_object_add(o, "speedup", jnum(r->speedup));
		json_object_object_add(o, "efficiency", jnum(r->efficiency));
		json_object_object_add(o, "gb_per_s", jnum(r->gbps));
		json_object_object_add(o, "ceiling_fraction", jnum(r->ceiling));
		json_object_object_add(o, "bandwidth_source", jstr(r->bw_source));
		json_object_object_add(o, "working_set_per_llc", jnum(r->cache_load));
		json_object_object_add(sl, "bandwidth", jnum(r->slowdown[0]));
		json_object_object_add(sl, "cache", jnum(r->slowdown[1]));
		json_object_object_add(sl, "cpu", jnum(r->slowdown[2]));
		json_object_object_add(o, "slowdown", sl);
		for (size_t e = 0; e < ncols; e++)
			json_object_object_add(ev, cols[e].name, cols[e].counted && r->ev ? jnum(r->ev[e]) : NULL);
		json_object_object_add(o, "events", ev);
		if (p) {
			json_object_object_add(m, "cpu_utilisation", jnum(p->cpu_util));
			json_object_object_add(m, "kernel_share", jnum(p->kernel_share));
			json_object_object_add(m, "kernel_s_per_unit", jnum(p->kernel_s_per_unit));
			json_object_object_add(m, "page_faults_per_cpu_s", jnum(p->faults_per_cpu_s));
			json_object_object_add(m, "context_switches_per_unit", jnum(p->switches_per_unit));
			json_object_object_add(m, "context_switches_per_cpu_ms", jnum(p->switches_per_cpu_ms));
			json_object_object_add(m, "run_delay_ratio", jnum(p->run_delay_ratio));
			json_object_object_add(m, "migrations_per_s", jnum(p->migrations_per_s));
			json_object_object_add(m, "ipc", jnum(p->ipc));
			json_object_object_add(m, "llc_mpki", jnum(p->mpki));
		}
		json_object_object_add(o, "metrics", m);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *json_verdicts(const struct verdict *v, size_t nv)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < nv; i++) {
		json_object *o = json_object_new_object(), *bw = json_object_new_object(), *hs = json_object_new_array();

		json_object_object_add(o, "workload", jstr(v[i].workload));
		json_object_object_add(o, "mode", jstr(v[i].mode));
		json_object_object_add(o, "verdict", jstr(v[i].verdict));
		json_object_object_add(o, "confidence", jstr(v[i].confidence));
		json_object_object_add(o, "n_workers", v[i].n ? json_object_new_int(v[i].n) : NULL);
		json_object_object_add(o, "efficiency", jnum(v[i].efficiency));
		json_object_object_add(o, "reason", jstr(v[i].reason));
		json_object_object_add(bw, "status", jstr(hyp_status_name(v[i].hyp[H_BANDWIDTH].status)));
		json_object_object_add(bw, "line", jstr(v[i].bw_line));
		json_object_object_add(o, "memory_bandwidth", bw);
		for (int h = 0; h < H_COUNT; h++) {
			json_object *ho = json_object_new_object(), *ea = json_object_new_array();

			json_object_object_add(ho, "hypothesis", jstr(hypothesis_name(h)));
			json_object_object_add(ho, "status", jstr(hyp_status_name(v[i].hyp[h].status)));
			json_object_object_add(ho, "reason", v[i].hyp[h].reason[0] ? jstr(v[i].hyp[h].reason) : NULL);
			for (size_t k = 0; k < v[i].nev; k++) {
				const struct evidence *e = &v[i].ev[k];
				json_object *eo;

				if (e->hyp != (enum hypothesis)h)
					continue;
				eo = json_object_new_object();
				json_object_object_add(eo, "figure", jstr(e->figure));
				json_object_object_add(eo, "n_workers", json_object_new_int(e->n));
				json_object_object_add(eo, "value", jnum(e->value));
				json_object_object_add(eo, "threshold", e->threshold[0] ? jstr(e->threshold) : NULL);
				json_object_object_add(eo, "stance", jstr(stance_name(e->stance)));
				json_object_object_add(eo, "source", jstr(e->source));
				json_object_object_add(eo, "note", jstr(e->note));
				json_object_array_add(ea, eo);
			}
			json_object_object_add(ho, "evidence", ea);
			json_object_array_add(hs, ho);
		}
		json_object_object_add(o, "hypotheses", hs);
		json_object_array_add(a, o);
	}
	return a;
}

static int print_json(sqlite3 *db, int64_t cid, FILE *out, const struct row *rows, size_t nrows,
		      const struct ev_col *cols, size_t ncols, const struct vinput *in, size_t nin,
		      const struct verdict *v, size_t nv)
{
	json_object *root = json_object_new_object(), *c = json_object_new_object(), *ev = json_object_new_array(),
		    *th = json_object_new_object();
	const char *const *names, *const *meanings;
	const double *values;
	sqlite3_stmt *s;
	size_t nth;

	if (prepare(db, "SELECT name, status, started_at, finished_at, error FROM campaigns WHERE id = ?", &s) < 0) {
		json_object_put(root);
		json_object_put(c);
		json_object_put(ev);
		json_object_put(th);
		return -EIO;
	}
	sqlite3_bind_int64(s, 1, cid);
	json_object_object_add(c, "id", json_object_new_int64(cid));
	if (sqlite3_step(s) == SQLITE_ROW) {
		static const char *const keys[] = { "name", "status", "started_at", "finished_at", "error" };

		for (int k = 0; k < 5; k++)
			json_object_object_add(c, keys[k], jstr((const char *)sqlite3_column_text(s, k)));
	}
	sqlite3_finalize(s);
	json_object_object_add(root, "schema", json_object_new_string("scalprof-report/1"));
	json_object_object_add(root, "campaign", c);
	for (size_t e = 0; e < ncols; e++) {
		json_object *eo = json_object_new_object();

		json_object_object_add(eo, "name", jstr(cols[e].name));
		json_object_object_add(eo, "counted", json_object_new_boolean(cols[e].counted));
		json_object_object_add(eo, "reason", jstr(cols[e].reason));
		json_object_array_add(ev, eo);
	}
	json_object_object_add(root, "events", ev);
	json_object_object_add(root, "rows", json_rows(rows, nrows, cols, ncols, in, nin));
	json_object_object_add(root, "verdicts", json_verdicts(v, nv));
	verdict_thresholds(&names, &values, &meanings, &nth);
	for (size_t i = 0; i < nth; i++)
		json_object_object_add(th, names[i], json_object_new_double(values[i]));
	json_object_object_add(root, "thresholds", th);
	fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE), out);
	fputc('\n', out);
	json_object_put(root);
	return 0;
}

/* ---- the report ----------------------------------------------------------- */

int report_campaign(struct store *st, int64_t campaign_id, enum report_format fmt, FILE *out)
{
	sqlite3 *db = store_db(st);
	struct ev_col *cols = NULL;
	struct row *rows = NULL;
	struct vinput *in = NULL;
	struct verdict *v = NULL;
	size_t ncols = 0, nrows = 0, nin = 0;
	int r, exists;

	exists = row_exists(db, "SELECT 1 FROM campaigns WHERE id = ?", campaign_id);
	if (exists <= 0)
		return exists < 0 ? -EIO : -ENOENT;

	r = load_events(db, campaign_id, &cols, &ncols);
	if (r == 0)
		r = load_rows(db, campaign_id, &rows, &nrows);
	if (r == 0)
		r = verdict_load(db, campaign_id, &in, &nin);
	if (r == 0) {
		struct row_queries q;

		r = row_queries_prepare(db, &q);
		for (size_t i = 0; r == 0 && i < nrows; i++)
			load_medians(&q, campaign_id, &rows[i], cols, ncols, find_point(in, nin, &rows[i]));
		if (r == 0)
			row_queries_free(&q);
	}
	if (r == 0) {
		v = xcalloc(nin ? nin : 1, sizeof(*v));
		for (size_t i = 0; i < nin; i++)
			verdict_judge(&in[i], &v[i]);
		if (fmt == REPORT_CSV) {
			print_csv(out, rows, nrows, cols, ncols, v, nin);
		} else if (fmt == REPORT_JSON) {
			r = print_json(db, campaign_id, out, rows, nrows, cols, ncols, in, nin, v, nin);
		} else {
			print_text(out, rows, nrows, cols, ncols);
			print_bandwidth_notes(db, campaign_id, out);
			print_metrics(out, in, nin);
			print_verdicts(out, v, nin);
		}
	}
	if (v)
		verdicts_free(v, nin);
	vinputs_free(in, nin);
	for (size_t i = 0; i < nrows; i++) {
		free(rows[i].workload);
		free(rows[i].mode);
		free(rows[i].ev);
		free(rows[i].bw_source);
	}
	free(rows);
	for (size_t e = 0; e < ncols; e++) {
		free(cols[e].name);
		free(cols[e].reason);
	}
	free(cols);
	return r;
}

int report_plot(struct store *st, int64_t campaign_id, const char *path, char **ret_error)
{
	sqlite3 *db = store_db(st);
	struct vinput *in = NULL;
	struct verdict *v = NULL;
	struct plot_panel *panels;
	struct plot_point **pts;
	sqlite3_stmt *s = NULL;
	char *title = NULL;
	size_t nin = 0;
	int r;

	if (verdict_load(db, campaign_id, &in, &nin) < 0 ||
	    prepare(db, "SELECT max(mb.mb_per_s) / 1000 FROM machine_bandwidth mb JOIN campaigns c"
			" ON c.machine_id = mb.machine_id WHERE c.id = ?1 AND mb.n_workers = ?2", &s) < 0) {
		*ret_error = xasprintf("database: %s", sqlite3_errmsg(db));
		vinputs_free(in, nin);
		return -EIO;
	}
	panels = xcalloc(nin ? nin : 1, sizeof(*panels));
	pts = xcalloc(nin ? nin : 1, sizeof(*pts));
	v = xcalloc(nin ? nin : 1, sizeof(*v));
	for (size_t i = 0; i < nin; i++) {
		verdict_judge(&in[i], &v[i]);
		pts[i] = xcalloc(in[i].npts ? in[i].npts : 1, sizeof(**pts));
		for (size_t k = 0; k < in[i].npts; k++) {
			pts[i][k].n = in[i].pts[k].n;
			pts[i][k].speedup = in[i].pts[k].speedup;
			pts[i][k].gbps = in[i].pts[k].gbps;
			sqlite3_reset(s);
			sqlite3_bind_int64(s, 1, campaign_id);
			sqlite3_bind_int(s, 2, in[i].pts[k].n);
			pts[i][k].ceiling_gbps = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL
				? sqlite3_column_double(s, 0) : NAN;
		}
		panels[i] = (struct plot_panel){ .workload = in[i].workload, .mode = in[i].mode,
						 .verdict = v[i].verdict, .pts = pts[i], .npts = in[i].npts,
						 .bw_note = in[i].bw_reason ? "bandwidth not measured on this host"
									    : "no bandwidth figures" };
	}
	sqlite3_finalize(s);
	{
		sqlite3_stmt *n;

		if (prepare(db, "SELECT name FROM campaigns WHERE id = ?", &n) == 0) {
			sqlite3_bind_int64(n, 1, campaign_id);
			if (sqlite3_step(n) == SQLITE_ROW)
				title = xasprintf("scalprof: campaign %lld, %s", (long long)campaign_id,
						  (const char *)sqlite3_column_text(n, 0));
			sqlite3_finalize(n);
		}
	}
	if (!title)
		title = xasprintf("scalprof: campaign %lld", (long long)campaign_id);
	r = plot_campaign(path, title, panels, nin, ret_error);
	free(title);
	for (size_t i = 0; i < nin; i++)
		free(pts[i]);
	free(pts);
	free(panels);
	verdicts_free(v, nin);
	vinputs_free(in, nin);
	return r;
}

int report_store_verdicts(struct store *st, int64_t campaign_id, const char *version, char **ret_error)
{
	sqlite3 *db = store_db(st);
	struct verdict *v;
	size_t n;
	int r;

	if (verdict_campaign(db, campaign_id, &v, &n) < 0) {
		*ret_error = xasprintf("judging the campaign: %s", sqlite3_errmsg(db));
		return -EIO;
	}
	r = verdict_store(db, campaign_id, v, n, version, ret_error);
	verdicts_free(v, n);
	return r;
}

int report_runs(struct store *st, int64_t campaign_id, FILE *out)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s;

	if (prepare(db,
		    "SELECT r.id, r.workload, r.n_workers, r.repetition, ifnull(r.corunner, '-'), r.status,"
		    " r.wall_ns / 1e9, b.gb_per_s, b.source, b.ceiling_fraction, i.slowdown, i.rate_alone, i.rate_beside,"
		    " i.rate_unit"
		    " FROM runs r LEFT JOIN run_bandwidth b ON b.run_id = r.id LEFT JOIN interference i ON i.run_id = r.id"
		    " WHERE r.campaign_id = ? ORDER BY r.seq", /* runs.id: what timeline takes */
		    &s) < 0)
		return -EIO;
	sqlite3_bind_int64(s, 1, campaign_id);
	fprintf(out, "%4s  %-16s  %3s  %3s  %-9s  %-11s  %8s  %7s  %-12s  %5s  %8s  %s\n", "id", "workload", "N", "rep",
		"corunner", "status", "wall_s", "bw_GB/s", "bw_source", "ceil%", "slowdown", "co-runner rate alone -> beside");
	while (sqlite3_step(s) == SQLITE_ROW) {
		char wall[32], gb[32], ceil[32], slow[32], rates[96] = "";

		fmt_fixed(sqlite3_column_type(s, 6) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 6), 3, wall, sizeof(wall));
		fmt_fixed(sqlite3_column_type(s, 7) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 7), 2, gb, sizeof(gb));
		fmt_fixed(sqlite3_column_type(s, 9) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 9) * 100, 0, ceil,
			  sizeof(ceil));
		fmt_fixed(sqlite3_column_type(s, 10) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 10), 2, slow,
			  sizeof(slow));
		if (sqlite3_column_type(s, 11) != SQLITE_NULL) {
			char a[16], b[16];

			format_count(sqlite3_column_double(s, 11), a, sizeof(a));
			format_count(sqlite3_column_type(s, 12) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 12), b,
				     sizeof(b));
			snprintf(rates, sizeof(rates), "%s -> %s %s", a, b, sqlite3_column_text(s, 13));
		}
		fprintf(out, "%4d  %-16s  %3d  %3d  %-9s  %-11s  %8s  %7s  %-12s  %5s  %8s  %s\n", sqlite3_column_int(s, 0),
			sqlite3_column_text(s, 1), sqlite3_column_int(s, 2), sqlite3_column_int(s, 3),
			sqlite3_column_text(s, 4), sqlite3_column_text(s, 5), wall, gb,
			sqlite3_column_type(s, 8) == SQLITE_NULL ? "-" : (const char *)sqlite3_column_text(s, 8), ceil, slow,
			rates);
	}
	sqlite3_finalize(s);
	return 0;
}

int report_timeline(struct store *st, int64_t run_id, const char *event, enum report_format fmt, FILE *out)
{
	sqlite3 *db = store_db(st);
	sqlite3_stmt *s;
	int n = 0;

	n = row_exists(db, "SELECT 1 FROM runs WHERE id = ?", run_id);
	if (n <= 0)
		return n < 0 ? -EIO : -ENOENT;
	if (prepare(db,
		    "SELECT m.t_ns, ifnull(w.slot, 0), m.event, m.delta, m.time_enabled_delta, m.time_running_delta"
		    " FROM samples m LEFT JOIN workers w ON w.id = m.worker_id"
		    " WHERE m.run_id = ?1 AND (?2 IS NULL OR m.event = ?2) ORDER BY m.t_ns, w.slot, m.rowid",
		    &s) < 0)
		return -EIO;
	sqlite3_bind_int64(s, 1, run_id);
	if (event)
		sqlite3_bind_text(s, 2, event, -1, SQLITE_STATIC);
	if (fmt == REPORT_CSV)
		fputs("t_ms,worker,event,delta,scaled_delta,running_fraction\n", out);
	else
		fprintf(out, "%10s  %6s  %-18s  %14s  %14s  %s\n", "t_ms", "worker", "event", "delta", "scaled", "running");
	n = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		double t_ms = (double)sqlite3_column_int64(s, 0) / 1e6;
		int slot = sqlite3_column_int(s, 1);
		const char *ev = (const char *)sqlite3_column_text(s, 2);
		double d = (double)sqlite3_column_int64(s, 3), en = (double)sqlite3_column_int64(s, 4),
		       run = (double)sqlite3_column_int64(s, 5);
		/* scaled as the totals are: by enabled/running where it multiplexed */
		double scaled = run > 0 && run < en ? d * en / run : run > 0 ? d : NAN, frac = en > 0 ? run / en : NAN;
		char wbuf[16];

		if (slot)
			snprintf(wbuf, sizeof(wbuf), "%d", slot);
		else
			snprintf(wbuf, sizeof(wbuf), "system");
		if (fmt == REPORT_CSV) {
			fprintf(out, "%.3f,%s,", t_ms, wbuf);
			csv_text(out, ev);
			fprintf(out, ",%.0f,", d);
			if (!isnan(scaled))
				fprintf(out, "%.0f", scaled);
			fputc(',', out);
			csv_num(out, frac);
			fputc('\n', out);
		} else {
			char sbuf[32], rbuf[16];

			if (isnan(scaled))
				snprintf(sbuf, sizeof(sbuf), "-");
			else
				snprintf(sbuf, sizeof(sbuf), "%.0f", scaled);
			if (isnan(frac))
				snprintf(rbuf, sizeof(rbuf), "-");
			else
				snprintf(rbuf, sizeof(rbuf), "%.0f%%", frac * 100);
			fprintf(out, "%10.3f  %6s  %-18s  %14.0f  %14s  %s\n", t_ms, wbuf, ev, d, sbuf, rbuf);
		}
		n++;
	}
	sqlite3_finalize(s);
	if (n == 0 && fmt != REPORT_CSV)
		fprintf(out, "(no samples%s%s%s: the campaign's interval_ms was 0, or the event was not counted)\n",
			event ? " of '" : "", event ? event : "", event ? "'" : "");
	return 0;
}
