/* queue.c: the queue table (see queue.h). Each function prepares its
 * statement: the queue changes a few times per run, not per sample. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/queue.h"
#include "store/sql.h"
#include "base/util.h"

#define NOW "strftime('%Y-%m-%dT%H:%M:%fZ','now')"

static char *groups_text(const gid_t *g, size_t n)
{
	size_t len = 1, used = 0;
	char *s;

	len += n * 12;
	s = xcalloc(1, len);
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(s + used, len - used, "%s%u", i ? "," : "", (unsigned)g[i]);
	return s;
}

static void parse_groups(const char *text, gid_t **ret, size_t *ret_n)
{
	size_t n = 0;

	*ret = NULL;
	for (const char *p = text; p && *p;) {
		char *end;
		unsigned long v = strtoul(p, &end, 10);

		if (end == p)
			break;
		*ret = xreallocarray(*ret, n + 1, sizeof(gid_t));
		(*ret)[n++] = (gid_t)v;
		p = *end == ',' ? end + 1 : end;
	}
	*ret_n = n;
}

/* The labels of the store's message: what the queue was doing. */
#define READING "reading the queue"
#define UPDATING "updating the queue"

/* Steps s, which selects at most one row. Returns 0 with s on that row
 * (the caller reads it, then finalizes s), or -ENOENT (no row) / -EIO
 * (st's message set) with s finalized. */
static int step_to_row(struct store *st, sqlite3_stmt *s)
{
	int r = sqlite3_step(s);

	if (r == SQLITE_ROW)
		return 0;
	if (r != SQLITE_DONE)
		store_fail(st, READING);
	sqlite3_finalize(s);
	return r == SQLITE_DONE ? -ENOENT : -EIO;
}

int queue_add(struct store *st, const struct queue_item *it, int64_t *ret_id)
{
	sqlite3_stmt *s;
	char *groups;
	int r;

	if (sql_prepare(st, UPDATING,
			"INSERT INTO queue (name, source, yaml, scale, uid, gid, groups, user, status, runs_total,"
			" default_repetitions, default_timeout_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)",
			&s) < 0)
		return -EIO;
	groups = groups_text(it->groups, it->ngroups);
	sql_bind_text(s, 1, it->name);
	sql_bind_text(s, 2, it->source);
	sql_bind_text(s, 3, it->yaml);
	if (it->scale > 0)
		sqlite3_bind_double(s, 4, it->scale);
	sqlite3_bind_int64(s, 5, it->uid);
	sqlite3_bind_int64(s, 6, it->gid);
	sql_bind_text(s, 7, groups);
	sql_bind_text(s, 8, it->user);
	sqlite3_bind_int(s, 9, it->runs_total);
	sqlite3_bind_int(s, 10, it->defaults.repetitions);
	sqlite3_bind_double(s, 11, it->defaults.timeout_s);
	free(groups);
	r = sql_step_once(st, s, UPDATING);
	if (r == 0)
		*ret_id = sqlite3_last_insert_rowid(st->db);
	return r;
}

static void read_item(sqlite3_stmt *s, struct queue_item *it)
{
	it->id = sqlite3_column_int64(s, 0);
	it->campaign_id = sqlite3_column_int64(s, 1);
	it->name = sql_col_strdup(s, 2);
	it->source = sql_col_strdup(s, 3);
	it->yaml = sql_col_strdup(s, 4);
	it->user = sql_col_strdup(s, 5);
	it->status = sql_col_strdup(s, 6);
	it->error = sql_col_strdup(s, 7);
	it->scale = sqlite3_column_double(s, 8);
	it->uid = (uid_t)sqlite3_column_int64(s, 9);
	it->gid = (gid_t)sqlite3_column_int64(s, 10);
	parse_groups((const char *)sqlite3_column_text(s, 11), &it->groups, &it->ngroups);
	it->runs_total = sqlite3_column_int(s, 12);
	it->runs_done = sqlite3_column_int(s, 13);
	it->defaults.repetitions = sqlite3_column_int(s, 14);
	it->defaults.timeout_s = sqlite3_column_double(s, 15);
}

int queue_get(struct store *st, int64_t id, struct queue_item *it)
{
	sqlite3_stmt *s;
	int r;

	memset(it, 0, sizeof(*it));
	if (sql_prepare(st, READING,
			"SELECT id, ifnull(campaign_id, 0), name, source, yaml, user, status, error, ifnull(scale, 0),"
			" uid, gid, groups, runs_total, runs_done, ifnull(default_repetitions, 0),"
			" ifnull(default_timeout_s, 0) FROM queue WHERE id = ?",
			&s) < 0)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	r = step_to_row(st, s);
	if (r < 0)
		return r;
	read_item(s, it);
	sqlite3_finalize(s);
	return 0;
}

void queue_item_clear(struct queue_item *it)
{
	free(it->name);
	free(it->source);
	free(it->yaml);
	free(it->user);
	free(it->status);
	free(it->error);
	free(it->groups);
	memset(it, 0, sizeof(*it));
}

int queue_next(struct store *st, int64_t *ret_id)
{
	sqlite3_stmt *s;
	int r;

	if (sql_prepare(st, READING, "SELECT id FROM queue WHERE status = 'queued' ORDER BY id LIMIT 1", &s) < 0)
		return -EIO;
	r = step_to_row(st, s);
	if (r < 0)
		return r;
	*ret_id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return 0;
}

int queue_count(struct store *st, const char *status, int *ret_n)
{
	sqlite3_stmt *s;
	int r;

	if (sql_prepare(st, READING, "SELECT count(*) FROM queue WHERE status = ?", &s) < 0)
		return -EIO;
	sql_bind_text(s, 1, status);
	r = step_to_row(st, s);
	if (r == -ENOENT) /* count(*) always has its row */
		return store_failf(st, -EIO, "%s: no count", READING);
	if (r < 0)
		return r;
	*ret_n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return 0;
}

int queue_count_pending(struct store *st, uid_t uid, int *ret_n)
{
	sqlite3_stmt *s;
	int r;

	if (sql_prepare(st, READING, "SELECT count(*) FROM queue WHERE uid = ? AND status IN ('queued', 'running')",
			&s) < 0)
		return -EIO;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)uid);
	r = step_to_row(st, s);
	if (r == -ENOENT)
		return store_failf(st, -EIO, "%s: no count", READING);
	if (r < 0)
		return r;
	*ret_n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return 0;
}

/* Runs sql, an UPDATE of ?1 status and ?2 error for queue entry ?3. */
static int update_status(struct store *st, const char *sql, int64_t id, const char *status, const char *error)
{
	sqlite3_stmt *s;

	if (sql_prepare(st, UPDATING, sql, &s) < 0)
		return -EIO;
	sql_bind_text(s, 1, status);
	sql_bind_text(s, 2, error);
	sqlite3_bind_int64(s, 3, id);
	return sql_step_once(st, s, UPDATING);
}

int queue_set_status(struct store *st, int64_t id, const char *status, const char *error)
{
	return update_status(st,
			     "UPDATE queue SET status = ?1, error = ?2,"
			     " started_at = CASE WHEN ?1 = 'running' THEN ifnull(started_at, " NOW ") ELSE started_at END,"
			     " finished_at = CASE WHEN ?1 IN ('done', 'failed', 'cancelled', 'interrupted') THEN " NOW
			     " ELSE NULL END,"
			     " current_seq = CASE WHEN ?1 = 'running' THEN current_seq END,"
			     " live_pgids = CASE WHEN ?1 = 'running' THEN live_pgids END WHERE id = ?3",
			     id, status, error);
}

int queue_set_campaign(struct store *st, int64_t id, int64_t campaign_id, int runs_total)
{
	sqlite3_stmt *s;

	if (sql_prepare(st, UPDATING, "UPDATE queue SET campaign_id = ?, runs_total = ? WHERE id = ?", &s) < 0)
		return -EIO;
	sqlite3_bind_int64(s, 1, campaign_id);
	sqlite3_bind_int(s, 2, runs_total);
	sqlite3_bind_int64(s, 3, id);
	return sql_step_once(st, s, UPDATING);
}

int queue_end_campaign(struct store *st, int64_t id, const char *status, const char *error)
{
	return update_status(st,
			     "UPDATE campaigns SET status = ?1, error = ?2, finished_at = " NOW
			     " WHERE id = (SELECT campaign_id FROM queue WHERE id = ?3)"
			     " AND (status = 'running' OR ?1 = 'interrupted')",
			     id, status, error);
}

int queue_set_current(struct store *st, int64_t id, const struct queue_current *cur, int runs_done)
{
	sqlite3_stmt *s;

	if (sql_prepare(st, UPDATING,
			"UPDATE queue SET current_seq = ?1, current_workload = ?2, current_mode = ?3, current_n = ?4,"
			" current_rep = ?5, current_corunner = ?6, runs_done = ?7, live_pgids = NULL WHERE id = ?8",
			&s) < 0)
		return -EIO;
	if (cur && cur->seq > 0) {
		sqlite3_bind_int(s, 1, cur->seq);
		sql_bind_text(s, 2, cur->workload);
		sql_bind_text(s, 3, cur->mode);
		sqlite3_bind_int(s, 4, cur->n);
		sqlite3_bind_int(s, 5, cur->repetition);
		sql_bind_text(s, 6, cur->corunner);
	}
	sqlite3_bind_int(s, 7, runs_done);
	sqlite3_bind_int64(s, 8, id);
	return sql_step_once(st, s, UPDATING);
}

int queue_set_pgids(struct store *st, int64_t id, const pid_t *pgids, size_t n)
{
	sqlite3_stmt *s;
	char *text;

	if (sql_prepare(st, UPDATING, "UPDATE queue SET live_pgids = ? WHERE id = ?", &s) < 0)
		return -EIO;
	text = groups_text((const gid_t *)pgids, n);
	sql_bind_text(s, 1, text);
	sqlite3_bind_int64(s, 2, id);
	free(text);
	return sql_step_once(st, s, UPDATING);
}

/* The columns clients see, in this order. */
#define ITEM_COLS "id, campaign_id, name, user, uid, status, runs_done, runs_total, submitted_at, started_at," \
		  " finished_at, error, source"

static json_object *item_json(sqlite3_stmt *s)
{
	static const char *const keys[] = { "id", "campaign_id", "name", "user", "uid", "status", "runs_done",
					    "runs_total", "submitted_at", "started_at", "finished_at", "error",
					    "source" };
	json_object *o = json_object_new_object();

	for (int i = 0; i < (int)ARRAY_SIZE(keys); i++) {
		json_object *v = NULL;

		if (sqlite3_column_type(s, i) == SQLITE_INTEGER)
			v = json_object_new_int64(sqlite3_column_int64(s, i));
		else if (sqlite3_column_type(s, i) == SQLITE_TEXT)
			v = json_object_new_string((const char *)sqlite3_column_text(s, i));
		json_object_object_add(o, keys[i], v);
	}
	return o;
}

int queue_list_json(struct store *st, json_object **ret)
{
	sqlite3_stmt *s;
	json_object *a;
	int r;

	if (sql_prepare(st, READING, "SELECT " ITEM_COLS " FROM queue ORDER BY id", &s) < 0)
		return -EIO;
	a = json_object_new_array();
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		json_object_array_add(a, item_json(s));
	if (r != SQLITE_DONE) {
		store_fail(st, READING);
		sqlite3_finalize(s);
		json_object_put(a);
		return -EIO;
	}
	sqlite3_finalize(s);
	*ret = a;
	return 0;
}

int queue_get_json(struct store *st, int64_t id, json_object **ret)
{
	sqlite3_stmt *s;
	int r;

	if (sql_prepare(st, READING, "SELECT " ITEM_COLS " FROM queue WHERE id = ?", &s) < 0)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	r = step_to_row(st, s);
	if (r < 0)
		return r;
	*ret = item_json(s);
	sqlite3_finalize(s);
	return 0;
}

/* queue_recover's first phase: fn for each entry left running. */
static int each_running(struct store *st, void (*fn)(void *arg, int64_t id, const char *name, const char *pgids),
			void *arg)
{
	sqlite3_stmt *s;
	int r;

	if (sql_prepare(st, READING, "SELECT id, name, live_pgids FROM queue WHERE status = 'running'", &s) < 0)
		return -EIO;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		fn(arg, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
		   (const char *)sqlite3_column_text(s, 2));
	if (r != SQLITE_DONE)
		store_fail(st, READING);
	sqlite3_finalize(s);
	return r == SQLITE_DONE ? 0 : -EIO;
}

/* queue_recover's second phase, inside its transaction: the run that was
 * cut off is recorded as interrupted, so that it is seen, and run again by
 * the resumed campaign; then the entries are queued again. Returns how
 * many, or -EIO. */
static int requeue(struct store *st, int resume)
{
	sqlite3_stmt *s;
	int r;

	if (sql_prepare(st, UPDATING,
			"INSERT INTO runs (campaign_id, seq, workload, mode, n_workers, repetition, status, started_at,"
			" error, corunner)"
			" SELECT q.campaign_id, q.current_seq, q.current_workload, q.current_mode, q.current_n,"
			" q.current_rep, 'interrupted', " NOW ", 'scalprofd stopped during this run (killed?); it was"
			" run again', q.current_corunner FROM queue q WHERE q.status = 'running' AND q.campaign_id IS"
			" NOT NULL AND q.current_seq IS NOT NULL AND NOT EXISTS (SELECT 1 FROM runs r WHERE"
			" r.campaign_id = q.campaign_id AND r.seq = q.current_seq)",
			&s) < 0 ||
	    sql_step_once(st, s, UPDATING) < 0)
		return -EIO;
	if (sql_prepare(st, UPDATING,
			"UPDATE queue SET status = 'queued', current_seq = NULL, live_pgids = NULL, finished_at = NULL"
			" WHERE status = 'running' OR (?1 AND status = 'interrupted')",
			&s) < 0)
		return -EIO;
	sqlite3_bind_int(s, 1, resume);
	r = sql_step_once(st, s, UPDATING);
	return r < 0 ? r : sqlite3_changes(st->db);
}

int queue_recover(struct store *st, int resume, void (*fn)(void *arg, int64_t id, const char *name, const char *pgids),
		  void *arg)
{
	int n;

	if (each_running(st, fn, arg) < 0 || sql_exec(st, UPDATING, "BEGIN IMMEDIATE") < 0)
		return -EIO;
	n = requeue(st, resume);
	if (n >= 0 && sql_exec(st, UPDATING, "COMMIT") == 0)
		return n;
	/* the message is the failure's, not the rollback's */
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -EIO;
}
