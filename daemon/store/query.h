/* query.h: the start and end of a query over one id, and the end of a
 * transaction, for the store's readers and writers beside sql.h's helpers
 * (store/ only, like sql.h). */
#ifndef SCALPROF_STORE_QUERY_H
#define SCALPROF_STORE_QUERY_H

#include <stdint.h>

#include "store/sql.h"

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

#endif
