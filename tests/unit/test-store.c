/* test-store.c: opening a database, migration from an older schema version
 * with its data kept, refusal of a newer one, and what cannot be opened. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

/* white-box: the store's own struct, for reading the database beside it */
#include "store/sql.h"
#include "store/store.h"
#include "tap.h"

extern const char scalprof_schema_sql[];

static char dir[] = "/tmp/scalprof-test-store.XXXXXX";

static long long scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1000;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* A database as version 1 of scalprof left it: section 1 only, one run. */
static int make_v1(const char *path)
{
	const char *s1 = strstr(scalprof_schema_sql, "-- version: 1");
	const char *s2 = strstr(scalprof_schema_sql, "-- version: 2");
	char *sql;
	sqlite3 *db;
	int r;

	if (!s1 || !s2 || sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	if (asprintf(&sql, "%.*s\nPRAGMA user_version = 1;\n"
			   "INSERT INTO machines (id, hostname, machine_id) VALUES (1, 'old', 'm');\n"
			   "INSERT INTO campaigns (id, machine_id, name, yaml, sha256, status) VALUES (1, 1, 'c', 'y', 's', 'done');\n"
			   "INSERT INTO runs (campaign_id, seq, workload, mode, n_workers, repetition, status, wall_ns, started_at)"
			   " VALUES (1, 1, 'w', 'copies', 1, 1, 'ok', 2000000000, 'now'),"
			   "        (1, 2, 'w', 'copies', 2, 1, 'ok', 4000000000, 'now');\n",
		     (int)(s2 - s1), s1) < 0)
		return -1;
	r = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	free(sql);
	sqlite3_close(db);
	return r;
}

int main(void)
{
	char path[256], *err = NULL;
	struct store *st = NULL;
	sqlite3 *db;

	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	ok(store_schema_version() >= 2, "this binary's schema has at least 2 versions (%d)", store_schema_version());

	snprintf(path, sizeof(path), "%s/new.db", dir);
	is_int(store_open(path, &st, &err), 0, "a new database is created");
	is_int(scalar(st->db, "PRAGMA user_version"), store_schema_version(), "at the latest version");
	is_int(scalar(st->db, "PRAGMA foreign_keys"), 1, "foreign keys on");
	{
		sqlite3_stmt *s;
		int wal = 0;

		if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode", -1, &s, NULL) == SQLITE_OK) {
			wal = sqlite3_step(s) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(s, 0), "wal") == 0;
			sqlite3_finalize(s);
		}
		ok(wal, "in WAL mode");
	}
	store_close(st);
	st = NULL;
	is_int(store_open(path, &st, &err), 0, "opening it again migrates nothing and works");
	store_close(st);
	st = NULL;

	snprintf(path, sizeof(path), "%s/v1.db", dir);
	is_int(make_v1(path), 0, "a version-1 database with two runs");
	is_int(store_open(path, &st, &err), 0, "opens and migrates");
	if (st) {
		db = st->db;
		is_int(scalar(db, "PRAGMA user_version"), store_schema_version(), "now at the latest version");
		is_int(scalar(db, "SELECT count(*) FROM runs"), 2, "its runs are kept");
		is_int(scalar(db, "SELECT round(speedup * 100) FROM scaling WHERE n_workers = 2"), 100,
		       "the new scaling view reads the old runs: 2 x 2 s / 4 s = 1.00");
		is_int(scalar(db, "SELECT round(efficiency * 100) FROM scaling WHERE n_workers = 2"), 50,
		       "efficiency 2 s / 4 s = 0.50");
		{
			/* the timeline's staging: nothing in the database until the
			 * run's transaction moves it */
			static const struct stage_row rows[] = {
				{ -1, 10, "mc/read", 1, 10, 10 }, { 4, 15, "task-clock", 9, 5, 5 },
				{ -1, 20, "mc/read", 2, 10, 10 }, { -1, 30, "mc/read", 3, 10, 10 },
			};
			int64_t before = 0, after = 0;

			is_int(store_stage_clear(st), 0, "staging: created and emptied");
			is_int(store_stage_samples(st, rows, 4), 0, "staging: four rows in one write");
			is_int(scalar(db, "SELECT count(*) FROM main.samples"), 0, "staged rows are not samples yet");
			is_int(scalar(db, "SELECT count(*) FROM main.sqlite_schema WHERE name LIKE '%stage%'"), 0,
			       "and the staging table is not in the database");
			is_int(store_used_bytes(st, &before), 0, "the database's used bytes are read");
			is_int(store_run_begin(st), 0, "the run's transaction");
			is_int(store_stage_move(st, 1, NULL, 0), 0, "moved into run 1");
			is_int(store_run_timeline_note(st, 1, "stopped"), 0, "with a note");
			is_int(store_run_commit(st), 0, "committed");
			is_int(scalar(db, "SELECT count(*) FROM samples WHERE run_id = 1 AND worker_id IS NULL"), 3,
			       "the system-wide rows are samples of the run; a worker's beyond the run's is dropped");
			is_int(scalar(db, "SELECT group_concat(delta, '') FROM samples WHERE run_id = 1"), 123,
			       "in the order they were staged");
			is_int(scalar(db, "SELECT count(*) FROM temp.sample_stage"), 0, "the staging is empty after");
			is_int(scalar(db, "SELECT timeline_note = 'stopped' FROM runs WHERE id = 1"), 1,
			       "runs.timeline_note holds the note");
			ok(store_used_bytes(st, &after) == 0 && before > 0 && after >= before,
			   "used bytes %lld, then %lld", (long long)before, (long long)after);
		}
		store_close(st);
		st = NULL;
	}

	snprintf(path, sizeof(path), "%s/future.db", dir);
	if (sqlite3_open(path, &db) == SQLITE_OK) {
		sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL);
		sqlite3_close(db);
	}
	is_int(store_open(path, &st, &err), -EPROTO, "a newer schema version is refused");
	{
		char want[512];

		snprintf(want, sizeof(want),
			 "cannot use database '%s': its schema version is 999, newer than this scalprof's %d: "
			 "use a newer scalprof", path, store_schema_version());
		is_str(err, want, "and the message says which versions");
	}
	free(err);

	snprintf(path, sizeof(path), "%s/junk.db", dir);
	{
		FILE *f = fopen(path, "w");

		if (f) {
			fputs("this is not a database, but it is long enough to have a header......\n", f);
			fclose(f);
		}
	}
	ok(store_open(path, &st, &err) < 0, "a file that is not a database is refused");
	ok(err && strstr(err, "not a database"), "saying so (%s)", err ? err : "");
	free(err);

	ok(store_open("/nonexistent/dir/x.db", &st, &err) < 0, "a path in a missing directory is refused");
	ok(err && strstr(err, "cannot open database '/nonexistent/dir/x.db'"), "naming the path (%s)", err ? err : "");
	free(err);

	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	}
	return done_testing();
}
