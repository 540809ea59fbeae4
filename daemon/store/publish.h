/* publish.h: the database as the daemon's group reads it. scalprofd's own
 * database is root's alone (0600), because any reader of a live SQLite
 * database can block its writer: a read transaction held open, or a lock
 * taken on its -shm file, made every write of the daemon wait and fail.
 * Members read a copy instead, which the daemon publishes atomically: a
 * consistent snapshot written beside it under a temporary name, without a
 * write-ahead log (so readers need no -shm), group-readable, then renamed
 * over the previous copy. A reader holding the old copy keeps reading it;
 * nothing a reader does reaches the daemon's writes. */
#ifndef SCALPROF_PUBLISH_H
#define SCALPROF_PUBLISH_H

#include <sys/types.h>

#include "store/store.h"

/* Makes the database file of st (and its -wal and -shm, where they exist)
 * readable and writable by its owner only. Returns 0, or -errno with
 * store_errmsg(st) set. Does not log. */
int store_make_private(struct store *st);

/* Publishes a snapshot of st at path: owner root, group gid, mode 0640.
 * Returns 0, or -errno with store_errmsg(st) set (path is then unchanged:
 * the previous copy, or none). Takes as long as copying the database;
 * does not log. */
int store_publish(struct store *st, const char *path, gid_t gid);

#endif
