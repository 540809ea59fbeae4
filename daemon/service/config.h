/* config.h: scalprofd's configuration, /etc/scalprof/scalprofd.yaml
 * (config/scalprofd.yaml is the documented default; man scalprofd(8)). */
#ifndef SCALPROF_CONFIG_H
#define SCALPROF_CONFIG_H

#include <stdint.h>
#include <sys/types.h>

#include "model/campaign.h"

#define CONFIG_DEFAULT_PATH "/etc/scalprof/scalprofd.yaml"
/* clients.max_connections at most: with the daemon's own descriptors, under
 * the soft RLIMIT_NOFILE of 1024 it starts with (and its workloads get) */
#define CONFIG_MAX_CONNECTIONS 1000

/* What the clients may hold, so that no member keeps the others out (the
 * clients: mapping; conn.c, watch.c and requests.c apply it). Root is not
 * held to the per-user limits. */
struct client_limits {
	int max_connections;      /* open at once, all users together: 256 */
	int connections_per_user; /* open at once by one user: 16 */
	int reserved_for_others;  /* the last slots, for users holding none: 16 */
	int reserved_for_root;    /* the very last slots, for root alone: 4 */
	double watch_idle_s;      /* a watcher sent nothing this long is let go */
	int queued_per_user;      /* one user's campaigns queued or running: 32 */
};

/* ---- per-campaign limits (scalprofd(8), LIMITS): what one campaign may
 * take of the machine, the daemon and its database. Not for `scalprof
 * run`, which runs as its user. */
struct config_limits {
	int max_workers_per_run;      /* refused at submit beyond it */
	int max_repetitions;          /* refused at submit beyond it */
	double max_campaign_seconds;  /* its runs: the campaign is stopped there */
	uint64_t max_samples_per_run; /* a run's timeline stops there, with a note */
	int64_t max_db_growth_bytes;  /* checked after each run: the campaign stops beyond it */
	long max_processes_per_user;  /* RLIMIT_NPROC of the workers, as their submitter */
};

struct config {
	char *database;          /* /var/lib/scalprof/scalprof.db */
	char *socket;            /* /run/scalprof/scalprofd.sock */
	char *group;             /* who may submit: scalprof */
	gid_t gid;               /* the group's id, looked up at load */
	char *lock;              /* the experiment lock, shared with scalprof run */
	struct campaign_defaults defaults;
	int max_runs;            /* the largest campaign accepted, in planned runs */
	int resume_interrupted;  /* campaigns interrupted by SIGTERM resume at start */
	double client_timeout_s; /* a client must send its request within this */
	int max_request_bytes;   /* the largest request line */
	/* the members' copy of the database (store/publish.h) */
	char *shared_database;   /* /var/lib/scalprof/scalprof-shared.db */
	double shared_interval_s; /* published at most this often while a campaign runs */
	struct client_limits clients;
	struct config_limits limits;
};

/* Reads and checks path. Returns 0 and fills *c (config_clear it), or
 * -EINVAL / -errno with a fresh *ret_error of the form
 * "FILE:LINE:COL: key: what is wrong". Does not log. */
int config_load(const char *path, struct config *c, char **ret_error);
/* The same for the len bytes of text already in memory (no terminating NUL
 * needed); name stands for the file in messages. */
int config_parse(const char *name, const char *text, size_t len, struct config *c, char **ret_error);
void config_clear(struct config *c);

#endif
