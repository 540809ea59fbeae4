/* publish.c: the members' copy of the daemon's database (see publish.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/publish.h"
#include "store/sql.h"
#include "base/util.h"

int store_make_private(struct store *st)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	const char *db = sqlite3_db_filename(st->db, "main");

	if (!db || !*db)
		return store_failf(st, -EINVAL, "the database has no file");
	for (size_t i = 0; i < ARRAY_SIZE(suffix); i++) {
		char *path = xasprintf("%s%s", db, suffix[i]);
		int r = chmod(path, 0600) < 0 && (i == 0 || errno != ENOENT) ? -errno : 0;

		if (r < 0)
			store_failf(st, r, "cannot make '%s' private: %s", path, strerror(-r));
		free(path);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The copy at tmp, written by VACUUM INTO, in rollback-journal mode: a
 * reader of a database in WAL mode needs its -shm, which is what let
 * readers block the writer. */
static int journal_mode_delete(struct store *st, const char *tmp)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		store_failf(st, -EIO, "cannot set up the published copy '%s': %s", tmp,
			    db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -EIO;
}

int store_publish(struct store *st, const char *path, gid_t gid)
{
	char *tmp = xasprintf("%s.tmp-%d", path, (int)getpid());
	sqlite3_stmt *s = NULL;
	int r;

	(void)unlink(tmp); /* left by a publisher that died */
	r = sql_prepare(st, "publishing the members' copy", "VACUUM INTO ?", &s);
	if (r == 0) {
		sqlite3_bind_text(s, 1, tmp, -1, SQLITE_STATIC);
		r = sql_step_once(st, s, "publishing the members' copy");
	}
	if (r == 0)
		r = journal_mode_delete(st, tmp);
	if (r == 0 && (chown(tmp, 0, gid) < 0 || chmod(tmp, 0640) < 0))
		r = store_failf(st, -errno, "cannot give '%s' to the group: %s", tmp, strerror(errno));
	if (r == 0 && rename(tmp, path) < 0)
		r = store_failf(st, -errno, "cannot publish '%s': %s", path, strerror(errno));
	if (r < 0)
		(void)unlink(tmp);
	free(tmp);
	return r;
}
