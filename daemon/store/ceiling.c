/* ceiling.c (store): the SQL of the machine's ceiling (see store/ceiling.h). */
#include <errno.h>
#include <math.h>

#include "store/ceiling.h"
#include "store/sql.h"

#define WHAT "storing the ceiling"

static int delete_bandwidth(struct store *st, int64_t machine_id)
{
	sqlite3_stmt *s;
	int r = sql_prepare(st, WHAT, "DELETE FROM machine_bandwidth WHERE machine_id = ?1", &s);

	if (r < 0)
		return r;
	sql_bind_id(s, 1, machine_id);
	return sql_step_once(st, s, WHAT);
}

/* One row per worker count and kernel with a measured rate. */
static int insert_bandwidth(struct store *st, int64_t machine_id, const struct ceiling *c)
{
	static const char *const kernel[2] = { "copy", "triad" };
	sqlite3_stmt *s;
	int r = sql_prepare(st, WHAT,
			    "INSERT INTO machine_bandwidth"
			    " (machine_id, n_workers, kernel, mb_per_s, array_bytes, measured_at)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN ?6 > 0"
			    " THEN strftime('%Y-%m-%dT%H:%M:%fZ', ?6, 'unixepoch')"
			    " ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END)", &s);

	for (int n = 1; r == 0 && n <= c->ncounts; n++)
		for (int k = 0; r == 0 && k < 2; k++) {
			double v = k ? c->triad_mbps[n - 1] : c->copy_mbps[n - 1];

			if (!(v > 0))
				continue;
			sql_bind_id(s, 1, machine_id);
			sql_bind_long(s, 2, n);
			sql_bind_text(s, 3, kernel[k]);
			sql_bind_double(s, 4, v);
			sql_bind_long(s, 5, (long)c->array_bytes);
			/* a ceiling reused from the machine's cache keeps its own date */
			sql_bind_long(s, 6, (long)c->measured_at);
			r = sql_step_cached(st, s, WHAT);
		}
	sqlite3_finalize(s);
	return r;
}

/* One row per size of the sweep that gave a reading. */
static int insert_latency(struct store *st, int64_t machine_id, const struct ceiling *c)
{
	sqlite3_stmt *s;
	int r = sql_prepare(st, WHAT,
			    "INSERT OR REPLACE INTO machine_latency (machine_id, bytes, ns_per_access) VALUES (?,?,?)", &s);

	for (size_t i = 0; r == 0 && i < c->nsizes; i++) {
		if (!isfinite(c->ns[i]))
			continue;
		sql_bind_id(s, 1, machine_id);
		sql_bind_long(s, 2, (long)c->bytes[i]);
		sql_bind_double(s, 3, c->ns[i]);
		r = sql_step_cached(st, s, WHAT);
	}
	sqlite3_finalize(s);
	return r;
}

static int update_usable_llc(struct store *st, int64_t machine_id, uint64_t bytes)
{
	sqlite3_stmt *s;
	int r = sql_prepare(st, WHAT, "UPDATE machines SET usable_llc_bytes = ? WHERE id = ?", &s);

	if (r < 0)
		return r;
	sql_bind_long(s, 1, (long)bytes);
	sql_bind_id(s, 2, machine_id);
	return sql_step_once(st, s, WHAT);
}

int ceiling_store(struct store *st, int64_t machine_id, const struct ceiling *c)
{
	int r = sql_exec(st, WHAT, "BEGIN IMMEDIATE");

	if (r == 0)
		r = delete_bandwidth(st, machine_id);
	if (r == 0)
		r = insert_bandwidth(st, machine_id, c);
	if (r == 0)
		r = insert_latency(st, machine_id, c);
	if (r == 0)
		r = update_usable_llc(st, machine_id, c->usable_llc_bytes);
	if (r == 0)
		r = sql_exec(st, WHAT, "COMMIT");
	if (r < 0)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL); /* keeps the first failure's message */
	return r;
}

int ceiling_known(struct store *st, int64_t machine_id)
{
	sqlite3_stmt *s;
	int known = 0;

	if (sql_prepare(st, "reading the ceiling",
			"SELECT (SELECT count(*) FROM machine_bandwidth WHERE machine_id = ?1) > 0"
			" AND (SELECT usable_llc_bytes FROM machines WHERE id = ?1) IS NOT NULL", &s) < 0)
		return 0;
	sql_bind_id(s, 1, machine_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		known = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return known;
}

int ceiling_each_run(struct store *st, ceiling_run_fn fn, void *arg)
{
	sqlite3_stmt *s;
	int r = sql_prepare(st, "probe",
			    "SELECT r.workload, r.n_workers, group_concat(cast(w.stdout_tail AS TEXT), char(30))"
			    " FROM runs r JOIN workers w ON w.run_id = r.id GROUP BY r.id ORDER BY r.n_workers", &s);
	int step = SQLITE_DONE;

	if (r < 0)
		return r;
	while (r == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *outputs = (const char *)sqlite3_column_text(s, 2);

		r = fn(arg, (const char *)sqlite3_column_text(s, 0), sqlite3_column_int(s, 1), outputs ? outputs : "");
	}
	if (r == 0 && step != SQLITE_DONE)
		r = store_fail(st, "probe");
	sqlite3_finalize(s);
	return r;
}
