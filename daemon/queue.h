/* queue.h: scalprofd's queue of campaigns, the queue table of the database
 * (schema.sql). Functions return 0 or -errno (-EIO: sqlite3_errmsg(db)
 * says why; -ENOENT: no such entry). Nothing here logs. */
#ifndef SCALPROF_QUEUE_H
#define SCALPROF_QUEUE_H

#include <stdint.h>
#include <sys/types.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "campaign.h"

struct queue_item {
	int64_t id, campaign_id;      /* campaign_id 0 until it starts */
	char *name, *source, *yaml, *user, *status, *error;
	double scale;
	struct campaign_defaults defaults; /* the daemon's, at submission */
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	size_t ngroups;
	int runs_total, runs_done;
};

int queue_add(sqlite3 *db, const struct queue_item *it, int64_t *ret_id);
int queue_get(sqlite3 *db, int64_t id, struct queue_item *ret);
void queue_item_clear(struct queue_item *it);

/* The oldest queued entry's id, or -ENOENT. */
int queue_next(sqlite3 *db, int64_t *ret_id);

/* Sets status (and error, may be NULL); started_at on 'running',
 * finished_at on the final ones. */
int queue_set_status(sqlite3 *db, int64_t id, const char *status, const char *error);
int queue_set_campaign(sqlite3 *db, int64_t id, int64_t campaign_id, int runs_total);

/* Ends qid's campaign with status and error if it is still marked running
 * (its executor died before it could say). */
int queue_end_campaign(sqlite3 *db, int64_t id, const char *status, const char *error);

/* The run now in progress (seq 0: none) and how far the campaign is. */
struct queue_current {
	int seq;
	const char *workload, *mode, *corunner;
	int n, repetition;
};
int queue_set_current(sqlite3 *db, int64_t id, const struct queue_current *cur, int runs_done);
int queue_set_pgids(sqlite3 *db, int64_t id, const pid_t *pgids, size_t n);

/* Every entry as a JSON array of objects (the list request), or one entry
 * as an object (status); *ret is fresh. */
int queue_list_json(sqlite3 *db, json_object **ret);
int queue_get_json(sqlite3 *db, int64_t id, json_object **ret);

/* After a crash: every entry left 'running'. For each, fn is called with
 * its process groups (to kill what is left), then the run that was cut off
 * is stored as interrupted and the entry queued again to resume. Entries
 * 'interrupted' (by SIGTERM) are queued again when resume is set. Returns
 * the number of entries requeued, or -EIO. */
int queue_recover(sqlite3 *db, int resume, void (*fn)(void *arg, int64_t id, const char *name, const char *pgids),
		  void *arg);

#endif
