/* executor.h: one queued campaign, performed in a child process of
 * scalprofd with its own database connection, so that the daemon keeps
 * answering clients while it runs and a crash of either leaves the other's
 * state intact. It takes the experiment lock, runs the campaign (or what
 * is left of it, when resumed) with the workers as the submitter, reports
 * each run on progress_fd as a JSON line, and records the outcome in the
 * queue and campaigns tables itself. */
#ifndef SCALPROF_EXECUTOR_H
#define SCALPROF_EXECUTOR_H

#include <stdint.h>
#include <sys/types.h>

#include "model/campaign.h"
#include "service/config.h"

/* exit statuses of the executor process */
#define EXECUTOR_DONE 0
#define EXECUTOR_FAILED 1
#define EXECUTOR_INTERRUPTED 130
#define EXECUTOR_LOCKED 75      /* the experiment lock is held: try later */

struct executor_args {
	const char *db_path, *lock_path;
	int64_t queue_id;
	int progress_fd;        /* JSON lines to the daemon */
	pid_t daemon_pid;       /* the executor dies with it */
	const char *shared_path; /* the members' copy (store/publish.h) */
	gid_t shared_gid;
	double shared_interval_s; /* published at most this often between runs, and at the end */
	const struct config_limits *limits; /* what the campaign may take */
	const char *config_path; /* where those limits are set, for messages */
};

/* Runs in the forked child; returns its exit status. Logs to stderr. */
int executor_main(const struct executor_args *a);

#endif
