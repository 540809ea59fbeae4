/* report.c: the result table of a campaign (see report.h). Everything is
 * read back from the database through the scaling view, so what is printed
 * is what a user finds with sqlite3. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util.h"

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
};

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **s)
{
	return sqlite3_prepare_v2(db, sql, -1, s, NULL) == SQLITE_OK ? 0 : -EIO;
}

int report_latest_campaign(sqlite3 *db, int64_t *ret_id)
{
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

/* Per-worker median of each event over the ok runs of one row. */
static int load_medians(sqlite3 *db, int64_t cid, struct row *row, const struct ev_col *cols, size_t ncols)
{
	sqlite3_stmt *s;

	if (prepare(db,
		    "SELECT c.scaled_value FROM counters c JOIN runs r ON r.id = c.run_id"
		    " WHERE r.campaign_id = ? AND r.workload = ? AND r.n_workers = ? AND r.status = 'ok'"
		    " AND c.event = ? AND c.status IN ('ok','multiplexed') AND c.scaled_value IS NOT NULL",
		    &s) < 0)
		return -EIO;
	row->ev = xcalloc(ncols, sizeof(double));
	for (size_t e = 0; e < ncols; e++) {
		double *vals = NULL;
		size_t n = 0;

		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, cid);
		sqlite3_bind_text(s, 2, row->workload, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 3, row->n);
		sqlite3_bind_text(s, 4, cols[e].name, -1, SQLITE_STATIC);
		while (sqlite3_step(s) == SQLITE_ROW) {
			vals = xreallocarray(vals, n + 1, sizeof(double));
			vals[n++] = sqlite3_column_double(s, 0);
		}
		row->ev[e] = median_double(vals, n);
		free(vals);
	}
	sqlite3_finalize(s);
	return 0;
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
		    " s.median_wall_s, s.speedup, s.efficiency"
		    " FROM runs r LEFT JOIN scaling s ON s.campaign_id = r.campaign_id"
		    "  AND s.workload = r.workload AND s.n_workers = r.n_workers"
		    " WHERE r.campaign_id = ? GROUP BY r.workload, r.n_workers"
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

static void print_text(FILE *out, const struct row *rows, size_t nrows, const struct ev_col *cols,
		       size_t ncols)
{
	int wname = 8;
	char b1[32], b2[32], b3[32];

	for (size_t i = 0; i < nrows; i++)
		if ((int)strlen(rows[i].workload) > wname)
			wname = (int)strlen(rows[i].workload);
	fprintf(out, "%-*s  %-6s  %3s  %4s  %9s  %7s  %6s", wname, "workload", "mode", "N", "runs", "wall_s",
		"speedup", "effic");
	for (size_t e = 0; e < ncols; e++)
		fprintf(out, "  %*s", (int)(strlen(cols[e].name) > 7 ? strlen(cols[e].name) : 7), cols[e].name);
	fputc('\n', out);
	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		fmt_fixed(r->wall, 3, b1, sizeof(b1));
		fmt_fixed(r->speedup, 2, b2, sizeof(b2));
		fmt_fixed(r->efficiency, 2, b3, sizeof(b3));
		fprintf(out, "%-*s  %-6s  %3d  %4d  %9s  %7s  %6s", wname, r->workload, r->mode, r->n, r->runs, b1, b2,
			b3);
		for (size_t e = 0; e < ncols; e++) {
			char v[32];

			fmt_event(&cols[e], r->ev ? r->ev[e] : NAN, v, sizeof(v));
			fprintf(out, "  %*s", (int)(strlen(cols[e].name) > 7 ? strlen(cols[e].name) : 7), v);
		}
		if (r->not_ok)
			fprintf(out, "  (%d run%s not ok)", r->not_ok, r->not_ok > 1 ? "s" : "");
		fputc('\n', out);
	}
	fprintf(out, "\nwall_s: median wall time of the ok runs; events: per-worker medians.\n"
		     "copies: speedup = N x T1/TN, efficiency = T1/TN; team: speedup = T1/TN, efficiency = speedup/N.\n");
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

static void print_csv(FILE *out, const struct row *rows, size_t nrows, const struct ev_col *cols, size_t ncols)
{
	fputs("workload,mode,n_workers,runs_ok,runs_not_ok,median_wall_s,speedup,efficiency", out);
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
		for (size_t e = 0; e < ncols; e++) {
			fputc(',', out);
			csv_num(out, r->ev ? r->ev[e] : NAN);
		}
		fputc('\n', out);
	}
}

int report_campaign(sqlite3 *db, int64_t campaign_id, enum report_format fmt, FILE *out)
{
	struct ev_col *cols = NULL;
	struct row *rows = NULL;
	size_t ncols = 0, nrows = 0;
	sqlite3_stmt *s;
	int r, exists;

	if (prepare(db, "SELECT 1 FROM campaigns WHERE id = ?", &s) < 0)
		return -EIO;
	sqlite3_bind_int64(s, 1, campaign_id);
	exists = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	if (!exists)
		return -ENOENT;

	r = load_events(db, campaign_id, &cols, &ncols);
	if (r == 0)
		r = load_rows(db, campaign_id, &rows, &nrows);
	for (size_t i = 0; r == 0 && i < nrows; i++)
		r = load_medians(db, campaign_id, &rows[i], cols, ncols);
	if (r == 0) {
		if (fmt == REPORT_CSV)
			print_csv(out, rows, nrows, cols, ncols);
		else
			print_text(out, rows, nrows, cols, ncols);
	}
	for (size_t i = 0; i < nrows; i++) {
		free(rows[i].workload);
		free(rows[i].mode);
		free(rows[i].ev);
	}
	free(rows);
	for (size_t e = 0; e < ncols; e++) {
		free(cols[e].name);
		free(cols[e].reason);
	}
	free(cols);
	return r;
}
