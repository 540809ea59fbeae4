/* runner.h: performs a campaign's plan, run by run: forks the workers,
 * attaches the probes, releases the barrier, watches output, timeouts and
 * signals, reaps, and stores each run in one transaction. The same engine
 * serves `scalprof run` and the daemon. */
#ifndef SCALPROF_RUNNER_H
#define SCALPROF_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "model/campaign.h"
#include "model/plan.h"
#include "model/result.h"
#include "engine/spawn.h"
#include "store/store.h"
#include "host/topology.h"

/* START before a run's workers are forked; SPAWNED once they are (pgids
 * set: what to kill should scalprof die); TICK while it runs; DONE after
 * it is stored. */
enum progress_phase { PROGRESS_START, PROGRESS_SPAWNED, PROGRESS_TICK, PROGRESS_DONE };

struct runner_progress {
	enum progress_phase phase;
	size_t index, total;          /* 1-based run index of total */
	const struct plan_run *run;
	const struct workload *workload;
	int repetitions;
	double elapsed_s, eta_s;      /* campaign so far; eta < 0 when unknown */
	const struct run_result *result; /* PROGRESS_DONE only */
	int warmup, warmups;          /* a warm-up run before run index: 1..warmups, not
				       * stored; 0 for a measured run */
	const pid_t *pgids;           /* PROGRESS_SPAWNED: the workers' process groups */
	size_t npgids;
};

typedef void (*runner_progress_fn)(void *arg, const struct runner_progress *p);

/* What a campaign may take (scalprofd's configuration); a 0 is no limit.
 * Each *_what names its limit in the messages, e.g. "max_campaign_seconds
 * in /etc/scalprof/scalprofd.yaml". */
struct runner_limits {
	double max_seconds;           /* the runs, from the first one's start: the run going on at the
				       * limit is stopped (stored as interrupted) and so is the campaign */
	const char *seconds_what;
	int64_t max_growth_bytes;     /* the database's growth since the first run, checked after each
				       * run stored: beyond it the campaign stops */
	const char *growth_what;
	uint64_t max_samples;         /* a run's timeline: beyond it sampling stops, with a note */
	const char *samples_what;
};

struct runner_opts {
	const struct campaign *campaign;
	const struct topology *topo;
	struct store *store;
	int64_t campaign_id;
	int sigfd;                    /* signalfd of SIGINT/SIGTERM: stops the campaign */
	runner_progress_fn progress;  /* may be NULL */
	void *progress_arg;
	uint64_t cache_hog_bytes;     /* interference: the cache co-runner's set; 0: 2 MiB */
	const struct spawn_creds *creds; /* workers and co-runners run as; NULL: as we are */
	char *const *base_env;        /* their environment before the campaign's; NULL: ours */
	const struct runner_limits *limits; /* NULL: none */
	int report_warmups;           /* warm-up runs reach progress at START, TICK and DONE
				       * too (SPAWNED always does) */
};

struct runner_summary {
	size_t runs_done, runs_ok, runs_failed, runs_timeout;
	int interrupted;
};

/* Runs every planned run, and before the first run of each workload at
 * each worker count that is not an interference run, the campaign's
 * warm-up runs: made the same way, reported (opts->report_warmups) but not
 * stored nor counted in the summary. Returns 0 when all runs were performed (some may
 * have failed: see summary), -EINTR when a signal on sigfd stopped it,
 * -ETIME or -EFBIG with a fresh *ret_error when it was stopped at its
 * limit of time or of database growth (opts->limits), or another -errno
 * with a fresh *ret_error when scalprof itself could not go on (e.g. the
 * database could not be written). Does not log. */
int runner_run_campaign(const struct runner_opts *opts, const struct plan *plan,
			struct runner_summary *ret_summary, char **ret_error);

#endif
