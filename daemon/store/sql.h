/* sql.h: the store layer's own helpers, shared by every file of store/ and
 * included by no file outside it (scripts/check-layers.sh enforces that):
 * the struct store itself, the one error channel (store_fail writes
 * st->errmsg, store_errmsg() reads it), and one prepare/bind/column set.
 * Every helper that can fail returns 0 or -EIO with st->errmsg set to
 * "what: sqlite's message"; none logs. */
#ifndef SCALPROF_STORE_SQL_H
#define SCALPROF_STORE_SQL_H

#include <stdint.h>

#include <sqlite3.h>

#include "store/store.h"

/* statements prepared once per connection (store.c) */
enum stmt_id { ST_RUN, ST_WORKER, ST_COUNTER, ST_BANDWIDTH, ST_LLC, ST_INTERFERENCE, ST_SAMPLE, ST_FIGURES, ST_SERIAL, ST_COUNT };

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[ST_COUNT]; /* all NULL on a read-only store */
	char errmsg[512];
};

/* Sets st->errmsg to "what: <sqlite's message>" (with strerror when the
 * disk is full or failing) and returns -EIO. */
int store_fail(struct store *st, const char *what);
/* Sets st->errmsg to the formatted text; returns err (a -errno). */
int store_failf(struct store *st, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Prepares sql; on failure store_fail(st, what). */
int sql_prepare(struct store *st, const char *what, const char *sql, sqlite3_stmt **ret);
/* Executes sql (no results); on failure store_fail(st, what). */
int sql_exec(struct store *st, const char *what, const char *sql);
/* Steps s once, finalizes it; SQLITE_DONE or SQLITE_ROW are success. */
int sql_step_once(struct store *st, sqlite3_stmt *s, const char *what);
/* Steps a cached statement once (SQLITE_DONE), then resets it and clears
 * its bindings for the next use. */
int sql_step_cached(struct store *st, sqlite3_stmt *s, const char *what);

/* Prepares sql (see sql_prepare) and binds its first parameter to id. */
int sql_prepare_id(struct store *st, const char *what, const char *sql, int64_t id, sqlite3_stmt **ret);

/* Ends a loop over s's rows whose last sqlite3_step returned rc: finalizes
 * s, and returns 0 when rc is SQLITE_DONE, else store_fail(st, what) as it
 * was before the finalize. */
int sql_rows_end(struct store *st, sqlite3_stmt *s, int rc, const char *what);

/* Ends the transaction: COMMIT when r is 0 (a failure is store_fail(st,
 * what)), else ROLLBACK, keeping the message already in st. Returns 0 or
 * the -errno of the failure. */
int sql_commit_or_rollback(struct store *st, int r, const char *what);

/* NULL, NAN, LONG_MIN and negative ids are stored as SQL NULL. */
void sql_bind_text(sqlite3_stmt *s, int i, const char *v);
void sql_bind_long(sqlite3_stmt *s, int i, long v);
void sql_bind_id(sqlite3_stmt *s, int i, int64_t v);
void sql_bind_double(sqlite3_stmt *s, int i, double v);

/* A fresh copy of column i, or NULL when it is NULL. */
char *sql_col_strdup(sqlite3_stmt *s, int i);
/* Column i as a double, NAN when it is NULL. */
double sql_col_double(sqlite3_stmt *s, int i);

#endif
