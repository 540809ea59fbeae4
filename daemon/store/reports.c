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
				   "SELECT c.name, c.status, c.started_at, c.finished_at, c.error, m.hostname, m.cpu_model,"
				   " m.cores, k.scale, k.hypervisor FROM campaigns c JOIN machines m ON m.id = c.machine_id"
				   " LEFT JOIN conditions k ON k.campaign_id = c.id WHERE c.id = ?",
				   cid, &s);

	if (r < 0)
		return r;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		ret->name = sql_col_strdup(s, 0);
		ret->status = sql_col_strdup(s, 1);
		ret->started_at = sql_col_strdup(s, 2);
		ret->finished_at = sql_col_strdup(s, 3);
		ret->error = sql_col_strdup(s, 4);
		ret->hostname = sql_col_strdup(s, 5);
		ret->cpu_model = sql_col_strdup(s, 6);
		ret->cores = sqlite3_column_int(s, 7);
		ret->scale = sql_col_double(s, 8);
		ret->hypervisor = sql_col_strdup(s, 9);
	} else {
		r = rc == SQLITE_DONE ? -ENOENT : store_fail(st, what);
	}
	sqlite3_finalize(s);
	return r;
}

/* ---- the result table ------------------------------------------------------ */

#define TABLE "reading the result table"

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

	/* every (workload, n) planned, in campaign order; the scaling
	 * figures are the verdict inputs' (the caller's, see reports.h) */
	r = sql_prepare_id(st, TABLE,
			"SELECT r.workload, r.mode, r.n_workers, sum(r.status = 'ok'), sum(r.status != 'ok'),"
			" NULL, NULL, NULL,"
			" 1.0 * max(r.working_set_bytes) * CASE r.mode WHEN 'copies' THEN r.n_workers ELSE 1 END /"
			"  (SELECT m.usable_llc_bytes FROM machines m JOIN campaigns c ON c.machine_id = m.id"
			"   WHERE c.id = r.campaign_id)"
			" FROM runs r WHERE r.campaign_id = ? AND r.corunner IS NULL AND r.variant IS NULL"
			" GROUP BY r.workload, r.n_workers"
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

/* The row of (workload, n), or NULL; *hint is where the last one was
 * found (rows are read in runs, grouped: the next is usually the same). */
static struct report_row *find_row(struct report_table *t, const unsigned char *workload, int n, size_t *hint)
{
	for (size_t k = 0; workload && k < t->nrows; k++) {
		size_t i = (*hint + k) % t->nrows;

		if (t->rows[i].n == n && strcmp(t->rows[i].workload, (const char *)workload) == 0) {
			*hint = i;
			return &t->rows[i];
		}
	}
	return NULL;
}

/* Why an event never counted: the first reason stored for it. */
static int load_event_reason(struct store *st, int64_t cid, struct report_event *e)
{
	sqlite3_stmt *s;
	int rc, r = sql_prepare_id(st, TABLE,
				"SELECT c.reason FROM runs r JOIN counters c ON c.run_id = r.id WHERE r.campaign_id = ?1"
				" AND c.event = ?2 AND c.reason IS NOT NULL AND c.status NOT IN ('ok','multiplexed') LIMIT 1",
				cid, &s);

	if (r < 0)
		return r;
	sql_bind_text(s, 2, e->name);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		e->reason = sql_col_strdup(s, 0);
	return sql_rows_end(st, s, rc == SQLITE_ROW ? SQLITE_DONE : rc, TABLE);
}

/* The values of one (row, event), gathered for their median. */
struct bucket {
	double *v;
	size_t n, cap;
};

/* What one pass over the campaign's counters gathers: its events, in the
 * order first stored, whether each ever counted, and per (row, event) the
 * values of the ordinary ok runs. */
struct pass {
	struct report_table *t;
	int64_t *first_id;        /* per event: its first counters row */
	struct bucket *b;         /* nrows x cap_events */
	size_t cap_events;
};

static size_t pass_event(struct pass *p, const unsigned char *name, int64_t id)
{
	struct report_table *t = p->t;
	size_t e = 0;

	while (e < t->nevents && strcmp(t->events[e].name, (const char *)name) != 0)
		e++;
	if (e == t->nevents) {
		if (t->nevents == p->cap_events) {
			size_t cap = p->cap_events ? 2 * p->cap_events : 8;
			struct bucket *nb = xcalloc(t->nrows ? t->nrows * cap : 1, sizeof(*nb));

			for (size_t r = 0; p->b && r < t->nrows; r++)
				memcpy(&nb[r * cap], &p->b[r * p->cap_events], p->cap_events * sizeof(*nb));
			free(p->b);
			p->b = nb;
			p->first_id = xreallocarray(p->first_id, cap, sizeof(int64_t));
			p->cap_events = cap;
		}
		t->events = xreallocarray(t->events, t->nevents + 1, sizeof(*t->events));
		memset(&t->events[e], 0, sizeof(t->events[e]));
		t->events[e].name = xstrdup((const char *)name);
		p->first_id[e] = id;
		t->nevents++;
	}
	if (id < p->first_id[e])
		p->first_id[e] = id;
	return e;
}

static void bucket_push(struct bucket *b, double v)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 16;
		b->v = xreallocarray(b->v, b->cap, sizeof(double));
	}
	b->v[b->n++] = v;
}

/* Events in the order first stored, each row's medians in that order. */
static void pass_finish(struct pass *p)
{
	struct report_table *t = p->t;
	size_t *order = xcalloc(t->nevents ? t->nevents : 1, sizeof(size_t));
	struct report_event *ev = xcalloc(t->nevents ? t->nevents : 1, sizeof(*ev));

	for (size_t i = 0; i < t->nevents; i++)
		order[i] = i;
	for (size_t i = 1; i < t->nevents; i++)
		for (size_t j = i; j > 0 && p->first_id[order[j]] < p->first_id[order[j - 1]]; j--) {
			size_t x = order[j];

			order[j] = order[j - 1];
			order[j - 1] = x;
		}
	for (size_t r = 0; r < t->nrows; r++) {
		t->rows[r].ev = xcalloc(t->nevents ? t->nevents : 1, sizeof(double));
		for (size_t i = 0; i < t->nevents; i++) {
			struct bucket *b = &p->b[r * p->cap_events + order[i]];

			t->rows[r].ev[i] = median_double(b->v, b->n);
		}
	}
	for (size_t i = 0; i < t->nevents; i++)
		ev[i] = t->events[order[i]];
	free(t->events);
	t->events = ev;
	for (size_t i = 0; i < t->nrows * p->cap_events; i++)
		free(p->b[i].v);
	free(p->b);
	free(p->first_id);
	free(order);
}

/* The campaign's events and each row's per-worker event medians, in one
 * pass over its counters (from the index alone); then the reason of each
 * event that never counted. */
static int load_events(struct store *st, int64_t cid, struct report_table *t)
{
	struct pass p = { .t = t };
	size_t hint = 0;
	sqlite3_stmt *s;
	int rc, r = sql_prepare_id(st, TABLE,
				"SELECT r.workload, r.n_workers, r.status = 'ok' AND r.corunner IS NULL AND r.variant IS NULL, c.event,"
				" c.status IN ('ok','multiplexed'), c.scaled_value, c.id"
				" FROM runs r JOIN counters c ON c.run_id = r.id WHERE r.campaign_id = ?",
				cid, &s);

	if (r < 0)
		return r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		size_t e = pass_event(&p, sqlite3_column_text(s, 3), sqlite3_column_int64(s, 6));
		struct report_row *row;

		if (!sqlite3_column_int(s, 4))
			continue;
		t->events[e].counted = 1;
		row = find_row(t, sqlite3_column_text(s, 0), sqlite3_column_int(s, 1), &hint);
		if (row && sqlite3_column_int(s, 2) && sqlite3_column_type(s, 5) != SQLITE_NULL)
			bucket_push(&p.b[(size_t)(row - t->rows) * p.cap_events + e], sqlite3_column_double(s, 5));
	}
	pass_finish(&p);
	r = sql_rows_end(st, s, rc, TABLE);
	for (size_t i = 0; r == 0 && i < t->nevents; i++)
		if (!t->events[i].counted)
			r = load_event_reason(st, cid, &t->events[i]);
	return r;
}

/* Each row's bandwidth sources, in one query. */
static int load_sources(struct store *st, int64_t cid, struct report_table *t)
{
	sqlite3_stmt *s;
	int rc, r = sql_prepare_id(st, TABLE,
				"SELECT r.workload, r.n_workers, group_concat(DISTINCT b.source) FROM runs r"
				" JOIN bandwidth b ON b.run_id = r.id WHERE r.campaign_id = ? AND r.status = 'ok'"
				" AND r.corunner IS NULL AND r.variant IS NULL GROUP BY r.workload, r.n_workers",
				cid, &s);

	if (r < 0)
		return r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		size_t hint = 0;
		struct report_row *row = find_row(t, sqlite3_column_text(s, 0), sqlite3_column_int(s, 1), &hint);

		if (row && !row->bw_source)
			row->bw_source = sql_col_strdup(s, 2);
	}
	return sql_rows_end(st, s, rc, TABLE);
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
	int r = load_rows(st, cid, &t);

	if (r == 0)
		r = load_events(st, cid, &t);
	if (r == 0)
		r = load_sources(st, cid, &t);
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
				"SELECT r.id, r.workload, r.n_workers, r.repetition,"
				" CASE WHEN r.bandit_level IS NOT NULL THEN printf('bandit@%g', r.bandit_level)"
				" ELSE coalesce(r.corunner, 'variant ' || r.variant, '-') END, r.status,"
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
