/* query.c: the start and end of a query, the end of a transaction (see
 * query.h). */
#include <errno.h>

#include "store/query.h"

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
