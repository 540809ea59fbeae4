/* reports.c: the queries behind the report and the timeline (see
 * reports.h). Everything is read through the scaling, run_metrics,
 * run_bandwidth and interference views, so what is printed is what a user
 * finds with sqlite3.
 *
 * Sections: the campaign; the result table; runs and samples; ceilings. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "store/reports.h"
#include "store/sql.h"

/* ---- the campaign ---------------------------------------------------------- */

int store_latest_campaign(struct store *st, int64_t *ret_id)
{
	sqlite3_stmt *s;
	int rc, r = sql_prepare(st, "finding the latest campaign", "SELECT max(id) FROM campaigns", &s);

	if (r < 0)
		return r;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		*ret_id = sqlite3_column_int64(s, 0);
	else
		r = rc == SQLITE_ROW ? -ENOENT : store_fail(st, "finding the latest campaign");
	sqlite3_finalize(s);
	return r;
}

int store_report_head(struct store *st, int64_t cid, struct report_head *ret)
{
	static const char what[] = "reading the campaign";
	sqlite3_stmt *s;
	int rc, r = sql_prepare_id(st, what,
				   "SELECT name, status, started_at, finished_at, error FROM campaigns WHERE id = ?", cid, &s);

	if (r < 0)
		return r;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		ret->name = sql_col_strdup(s, 0);
		ret->status = sql_col_strdup(s, 1);
		ret->started_at = sql_col_strdup(s, 2);
		ret->finished_at = sql_col_strdup(s, 3);
		ret->error = sql_col_strdup(s, 4);
	} else {
		r = rc == SQLITE_DONE ? -ENOENT : store_fail(st, what);
	}
	sqlite3_finalize(s);
	return r;
}

/* ---- the result table ------------------------------------------------------ */

#define TABLE "reading the result table"

static int load_events(struct store *st, int64_t cid, struct report_table *t)
{
	sqlite3_stmt *s;
	int rc, r = sql_prepare_id(st, TABLE,
				"SELECT c.event, max(c.status IN ('ok','multiplexed')),"
				" (SELECT c2.reason FROM counters c2 JOIN runs r2 ON r2.id = c2.run_id"
				"   WHERE r2.campaign_id = ?1 AND c2.event = c.event AND c2.reason IS NOT NULL"
				"   AND c2.status NOT IN ('ok','multiplexed') LIMIT 1)"
				" FROM counters c JOIN runs r ON r.id = c.run_id WHERE r.campaign_id = ?1"
				" GROUP BY c.event ORDER BY min(c.id)", cid,
				&s);

	if (r < 0)
		return r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct report_event *e;

		t->events = xreallocarray(t->events, t->nevents + 1, sizeof(*t->events));
		e = &t->events[t->nevents++];
		e->name = xstrdup((const char *)sqlite3_column_text(s, 0));
		e->counted = sqlite3_column_int(s, 1);
		e->reason = sql_col_strdup(s, 2);
	}
	return sql_rows_end(st, s, rc, TABLE);
}

static void row_init(struct report_row *rw, sqlite3_stmt *s)
{
	memset(rw, 0, sizeof(*rw));
	rw->workload = xstrdup((const char *)sqlite3_column_text(s, 0));
	rw->mode = xstrdup((const char *)sqlite3_column_text(s, 1));
	rw->n = sqlite3_column_int(s, 2);
	rw->runs = sqlite3_column_int(s, 3);
	rw->not_ok = sqlite3_column_int(s, 4);
	rw->wall = sql_col_double(s, 5);
	rw->speedup = sql_col_double(s, 6);
	rw->efficiency = sql_col_double(s, 7);
	rw->cache_load = sql_col_double(s, 8);
	rw->gbps = rw->ceiling = NAN;
	for (int k = 0; k < 3; k++)
		rw->slowdown[k] = NAN;
}

static int load_rows(struct store *st, int64_t cid, struct report_table *t)
{
	sqlite3_stmt *s;
	int rc, r;

	/* every (workload, n) planned, in campaign order, with its scaling
	 * figures when at least one run of it was ok */
	r = sql_prepare_id(st, TABLE,
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
			cid, &s);
	if (r < 0)
		return r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		t->rows = xreallocarray(t->rows, t->nrows + 1, sizeof(*t->rows));
		row_init(&t->rows[t->nrows++], s);
	}
	return sql_rows_end(st, s, rc, TABLE);
}

/* The ordinary ok runs of a row: ?1 campaign, ?2 workload, ?3 n */
#define OK_RUNS " r.campaign_id = ?1 AND r.workload = ?2 AND r.n_workers = ?3 AND r.status = 'ok'"

/* Resets s and binds it to a row's ordinary ok runs. */
static void bind_row(sqlite3_stmt *s, int64_t cid, const struct report_row *row)
{
	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, cid);
	sql_bind_text(s, 2, row->workload);
	sqlite3_bind_int(s, 3, row->n);
}

/* The median of the first column of ev's rows for one event of a row;
 * NAN when there are none. */
static int event_median(struct store *st, sqlite3_stmt *ev, int64_t cid, const struct report_row *row,
			const char *event, double *ret)
{
	double *vals = NULL;
	size_t n = 0;
	int rc;

	bind_row(ev, cid, row);
	sql_bind_text(ev, 4, event);
	while ((rc = sqlite3_step(ev)) == SQLITE_ROW)
		if (sqlite3_column_type(ev, 0) != SQLITE_NULL) {
			vals = xreallocarray(vals, n + 1, sizeof(double));
			vals[n++] = sqlite3_column_double(ev, 0);
		}
	*ret = median_double(vals, n);
	free(vals);
	return rc == SQLITE_DONE ? 0 : store_fail(st, TABLE);
}

/* Each row's per-worker event medians and bandwidth sources. */
static int load_medians(struct store *st, int64_t cid, struct report_table *t)
{
	sqlite3_stmt *ev = NULL, *src = NULL;
	int r = sql_prepare(st, TABLE,
			    "SELECT c.scaled_value FROM counters c JOIN runs r ON r.id = c.run_id WHERE" OK_RUNS
			    " AND r.corunner IS NULL AND c.event = ?4 AND c.status IN ('ok','multiplexed')",
			    &ev);

	if (r == 0)
		r = sql_prepare(st, TABLE,
				"SELECT group_concat(DISTINCT b.source) FROM runs r JOIN bandwidth b ON b.run_id = r.id"
				" WHERE" OK_RUNS " AND r.corunner IS NULL",
				&src);
	for (size_t i = 0; r == 0 && i < t->nrows; i++) {
		struct report_row *row = &t->rows[i];

		row->ev = xcalloc(t->nevents ? t->nevents : 1, sizeof(double));
		for (size_t e = 0; r == 0 && e < t->nevents; e++)
			r = event_median(st, ev, cid, row, t->events[e].name, &row->ev[e]);
		bind_row(src, cid, row);
		if (r == 0 && sqlite3_step(src) != SQLITE_ROW)
			r = store_fail(st, TABLE);
		if (r == 0)
			row->bw_source = sql_col_strdup(src, 0);
	}
	sqlite3_finalize(ev);
	sqlite3_finalize(src);
	return r;
}

/* One note per distinct bandwidth source and reason of the campaign. */
static int load_notes(struct store *st, int64_t cid, struct report_table *t)
{
	sqlite3_stmt *s;
	int rc, r = sql_prepare_id(st, TABLE,
				"SELECT DISTINCT b.source, b.reason FROM bandwidth b JOIN runs r ON r.id = b.run_id"
				" WHERE r.campaign_id = ? AND b.reason IS NOT NULL", cid,
				&s);

	if (r < 0)
		return r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		t->notes = xreallocarray(t->notes, t->nnotes + 1, sizeof(*t->notes));
		t->notes[t->nnotes].source = sql_col_strdup(s, 0);
		t->notes[t->nnotes].reason = sql_col_strdup(s, 1);
		t->nnotes++;
	}
	return sql_rows_end(st, s, rc, TABLE);
}

int store_report_table(struct store *st, int64_t cid, struct report_table *ret)
{
	struct report_table t = { 0 };
	int r = load_events(st, cid, &t);

	if (r == 0)
		r = load_rows(st, cid, &t);
	if (r == 0)
		r = load_medians(st, cid, &t);
	if (r == 0)
		r = load_notes(st, cid, &t);
	if (r < 0) {
		report_table_clear(&t);
		return r;
	}
	*ret = t;
	return 0;
}

/* ---- runs and samples ------------------------------------------------------ */

int store_report_runs(struct store *st, int64_t cid, void (*fn)(const struct report_run *, void *), void *arg)
{
	sqlite3_stmt *s;
	int rc, r = sql_prepare_id(st, "reading the runs",
				"SELECT r.id, r.workload, r.n_workers, r.repetition, ifnull(r.corunner, '-'), r.status,"
				" r.wall_ns / 1e9, b.gb_per_s, b.source, b.ceiling_fraction, i.slowdown, i.rate_alone,"
				" i.rate_beside, i.rate_unit"
				" FROM runs r LEFT JOIN run_bandwidth b ON b.run_id = r.id"
				" LEFT JOIN interference i ON i.run_id = r.id"
				" WHERE r.campaign_id = ? ORDER BY r.seq", cid,
				&s);

	if (r < 0)
		return r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct report_run run = {
			.id = sqlite3_column_int64(s, 0),
			.workload = (const char *)sqlite3_column_text(s, 1),
			.n = sqlite3_column_int(s, 2),
			.repetition = sqlite3_column_int(s, 3),
			.corunner = (const char *)sqlite3_column_text(s, 4),
			.status = (const char *)sqlite3_column_text(s, 5),
			.wall_s = sql_col_double(s, 6),
			.gbps = sql_col_double(s, 7),
			.bw_source = (const char *)sqlite3_column_text(s, 8),
			.ceiling = sql_col_double(s, 9),
			.slowdown = sql_col_double(s, 10),
			.rate_alone = sql_col_double(s, 11),
			.rate_beside = sql_col_double(s, 12),
			.rate_unit = (const char *)sqlite3_column_text(s, 13),
		};

		fn(&run, arg);
	}
	return sql_rows_end(st, s, rc, "reading the runs");
}

int store_run_exists(struct store *st, int64_t run_id)
{
	sqlite3_stmt *s;
	int rc, r = sql_prepare_id(st, "reading the run", "SELECT 1 FROM runs WHERE id = ?", run_id, &s);

	if (r < 0)
		return r;
	rc = sqlite3_step(s);
	r = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : store_fail(st, "reading the run");
	sqlite3_finalize(s);
	return r;
}

int store_report_samples(struct store *st, int64_t run_id, const char *event,
			 void (*fn)(const struct report_sample *, void *), void *arg)
{
	sqlite3_stmt *s;
	int rc, r = sql_prepare_id(st, "reading the timeline",
				"SELECT m.t_ns, ifnull(w.slot, 0), m.event, m.delta, m.time_enabled_delta,"
				" m.time_running_delta FROM samples m LEFT JOIN workers w ON w.id = m.worker_id"
				" WHERE m.run_id = ?1 AND (?2 IS NULL OR m.event = ?2) ORDER BY m.t_ns, w.slot, m.rowid", run_id,
				&s);

	if (r < 0)
		return r;
	sql_bind_text(s, 2, event);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct report_sample m = {
			.t_ns = sqlite3_column_int64(s, 0),
			.slot = sqlite3_column_int(s, 1),
			.event = (const char *)sqlite3_column_text(s, 2),
			.delta = sqlite3_column_int64(s, 3),
			.enabled_delta = sqlite3_column_int64(s, 4),
			.running_delta = sqlite3_column_int64(s, 5),
		};

		fn(&m, arg);
	}
	return sql_rows_end(st, s, rc, "reading the timeline");
}

/* ---- ceilings ---------------------------------------------------------------- */

int store_machine_ceilings(struct store *st, int64_t cid, struct report_ceiling **ret, size_t *ret_n)
{
	static const char what[] = "reading the bandwidth ceilings";
	struct report_ceiling *c = NULL;
	size_t n = 0;
	sqlite3_stmt *s;
	int rc, r = sql_prepare_id(st, what,
				"SELECT mb.n_workers, max(mb.mb_per_s) / 1000 FROM machine_bandwidth mb JOIN campaigns c"
				" ON c.machine_id = mb.machine_id WHERE c.id = ?1 GROUP BY mb.n_workers", cid,
				&s);

	if (r < 0)
		return r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		c = xreallocarray(c, n + 1, sizeof(*c));
		c[n].n = sqlite3_column_int(s, 0);
		c[n].gbps = sql_col_double(s, 1);
		n++;
	}
	r = sql_rows_end(st, s, rc, what);
	if (r < 0) {
		free(c);
		return r;
	}
	*ret = c;
	*ret_n = n;
	return 0;
}
