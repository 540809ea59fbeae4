/* queue.h: scalprofd's queue of campaigns, the queue table of the database
 * (schema.sql). Functions return 0 or -errno (-EIO: store_errmsg(st)
 * says why; -ENOENT: no such entry). Nothing here logs. */
#ifndef SCALPROF_QUEUE_H
#define SCALPROF_QUEUE_H

#include <stdint.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "model/campaign.h"
#include "store/store.h"

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

/* Adds it as a queued entry (it->id, campaign_id, status, error and
 * runs_done are not read). Returns 0 and *ret_id, or -EIO. */
int queue_add(struct store *st, const struct queue_item *it, int64_t *ret_id);
/* Entry id into *ret (fresh strings: queue_item_clear it; cleared too on
 * failure). Returns 0, -ENOENT or -EIO. */
int queue_get(struct store *st, int64_t id, struct queue_item *ret);
/* Frees what queue_get filled and zeroes it. */
void queue_item_clear(struct queue_item *it);

/* The oldest queued entry's id, or -ENOENT. */
int queue_next(struct store *st, int64_t *ret_id);
/* How many entries have status ("queued", ...) into *ret_n; 0 or -EIO. */
int queue_count(struct store *st, const char *status, int *ret_n);
/* How many of uid's entries are queued or running into *ret_n; 0 or -EIO. */
int queue_count_pending(struct store *st, uid_t uid, int *ret_n);

/* Sets status (and error, may be NULL); started_at on 'running',
 * finished_at on the final ones. */
int queue_set_status(struct store *st, int64_t id, const char *status, const char *error);
/* Links the entry to its campaigns row once the executor created it. */
int queue_set_campaign(struct store *st, int64_t id, int64_t campaign_id, int runs_total);

/* Ends qid's campaign with status and error if it is still marked running
 * (its executor died before it could say). */
int queue_end_campaign(struct store *st, int64_t id, const char *status, const char *error);

/* The run now in progress (seq 0: none) and how far the campaign is. */
struct queue_current {
	int seq;
	const char *workload, *mode, *corunner;
	int n, repetition;
};
int queue_set_current(struct store *st, int64_t id, const struct queue_current *cur, int runs_done);
/* The process groups of the run in progress, for queue_recover to kill. */
int queue_set_pgids(struct store *st, int64_t id, const pid_t *pgids, size_t n);

/* Every entry as a JSON array of objects (the list request), or one entry
 * as an object (status); *ret is fresh. */
int queue_list_json(struct store *st, json_object **ret);
int queue_get_json(struct store *st, int64_t id, json_object **ret);

/* After a crash: every entry left 'running'. For each, fn is called with
 * its process groups (to kill what is left), then the run that was cut off
 * is stored as interrupted and the entry queued again to resume. Entries
 * 'interrupted' (by SIGTERM) are queued again when resume is set. Returns
 * the number of entries requeued, or -EIO. */
int queue_recover(struct store *st, int resume, void (*fn)(void *arg, int64_t id, const char *name, const char *pgids),
		  void *arg);

#endif
