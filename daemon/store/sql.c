/* sql.c: the store layer's error channel and prepare/bind/column helpers
 * (see sql.h). */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "store/sql.h"

int store_fail(struct store *st, const char *what)
{
	int e = sqlite3_system_errno(st->db);

	/* "disk I/O error" alone does not say the disk is full */
	if (e && (sqlite3_errcode(st->db) == SQLITE_FULL || (sqlite3_errcode(st->db) & 0xff) == SQLITE_IOERR))
		snprintf(st->errmsg, sizeof(st->errmsg), "%s: %s (%s)", what, sqlite3_errmsg(st->db), strerror(e));
	else
		snprintf(st->errmsg, sizeof(st->errmsg), "%s: %s", what, sqlite3_errmsg(st->db));
	return -EIO;
}

int store_failf(struct store *st, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->errmsg, sizeof(st->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

int sql_prepare(struct store *st, const char *what, const char *sql, sqlite3_stmt **ret)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, ret, NULL) != SQLITE_OK) {
		*ret = NULL;
		return store_fail(st, what);
	}
	return 0;
}

int sql_exec(struct store *st, const char *what, const char *sql)
{
	return sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : store_fail(st, what);
}

int sql_step_once(struct store *st, sqlite3_stmt *s, const char *what)
{
	int r = sqlite3_step(s);

	if (r == SQLITE_DONE || r == SQLITE_ROW) {
		sqlite3_finalize(s);
		return 0;
	}
	/* the message before finalize, which would reset it */
	store_fail(st, what);
	sqlite3_finalize(s);
	return -EIO;
}

int sql_step_cached(struct store *st, sqlite3_stmt *s, const char *what)
{
	int r = sqlite3_step(s);

	if (r != SQLITE_DONE)
		store_fail(st, what);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return r == SQLITE_DONE ? 0 : -EIO;
}

int sql_prepare_id(struct store *st, const char *what, const char *sql, int64_t id, sqlite3_stmt **ret)
{
	int r = sql_prepare(st, what, sql, ret);

	if (r == 0)
		sqlite3_bind_int64(*ret, 1, id);
	return r;
}

int sql_rows_end(struct store *st, sqlite3_stmt *s, int rc, const char *what)
{
	int r = rc == SQLITE_DONE ? 0 : store_fail(st, what);

	sqlite3_finalize(s);
	return r;
}

int sql_commit_or_rollback(struct store *st, int r, const char *what)
{
	if (r == 0 && sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		r = store_fail(st, what);
	/* st->errmsg is a copy: the rollback does not replace it */
	if (r < 0)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

void sql_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

void sql_bind_long(sqlite3_stmt *s, int i, long v)
{
	if (v == LONG_MIN)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, v);
}

void sql_bind_id(sqlite3_stmt *s, int i, int64_t v)
{
	if (v < 0)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, v);
}

void sql_bind_double(sqlite3_stmt *s, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_double(s, i, v);
}

char *sql_col_strdup(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? NULL : xstrdup((const char *)sqlite3_column_text(s, i));
}

double sql_col_double(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? NAN : sqlite3_column_double(s, i);
}
