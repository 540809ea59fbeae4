/* session.h: the one campaign lifecycle that `scalprof run`, `scalprof
 * probe` and scalprofd's executor share. Given a store that is open and an
 * experiment lock that is held, it records the machine and the campaign
 * (or takes a stopped campaign up again), measures the machine's ceiling
 * when the store has none, performs the plan through the runner, ends the
 * campaign with its status and one message from one set, and judges and
 * stores the verdicts of whatever was stored. The callers differ only in
 * what they say along the way, which they do in the hooks. Nothing here
 * logs or prints.
 *
 * The engine layer (daemon/engine/: session, runner, corunner, capture,
 * spawn, ceiling, lock) measures: it forks, pins, releases and reaps the
 * workers, drives the probes, and writes through the store. It never logs
 * and never prints; the service and the cli above it say what happened.
 */
#ifndef SCALPROF_SESSION_H
#define SCALPROF_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "engine/ceiling.h"
#include "engine/runner.h"
#include "engine/spawn.h"
#include "host/topology.h"
#include "model/campaign.h"
#include "store/store.h"

/* Who runs the campaign: it decides the words of the stored messages. */
enum session_kind { SESSION_FOREGROUND, SESSION_DAEMON };

/* What the caller says along the way; any may be NULL. */
struct session_hooks {
	void *arg;
	/* The campaign's row exists (made, or resumed): its id, the runs to
	 * perform now and those a resumed campaign had stored already.
	 * Returns 0, or -errno with a fresh *ret_error to fail the campaign. */
	int (*begun)(void *arg, int64_t campaign_id, size_t nruns, size_t runs_before, char **ret_error);
	/* The ceiling is about to be measured; the hook may set co's
	 * progress. */
	void (*ceiling_start)(void *arg, struct ceiling_opts *co);
	/* It was measured and stored (r 0, c the figures), or not (r -EINTR,
	 * or another -errno with why, which may be NULL). */
	void (*ceiling_end)(void *arg, int r, const struct ceiling *c, const char *why);
	/* The runs are about to start. */
	void (*runs_start)(void *arg, int64_t campaign_id, size_t nruns);
	/* confirm: true: the planned runs are done and the interventions'
	 * nruns are about to start (stored of them were already, before a
	 * resume); summary says what was chosen for each workload and why,
	 * a line each. */
	void (*confirm_start)(void *arg, int64_t campaign_id, size_t nruns, size_t stored, const char *summary);
	runner_progress_fn progress; /* each run, as the runner reports it */
};

struct session_opts {
	enum session_kind kind;
	const struct campaign *campaign;
	const struct topology *topo;
	struct store *store;
	const char *user;            /* who submitted it (or ran it) */
	unsigned uid;
	int64_t resume_id;           /* a campaign to take up again; 0: a new one */
	int measure_ceiling;         /* measure the ceiling when the machine has none */
	int ceiling_optional;        /* a failed measurement leaves the campaign to run without it */
	uint64_t ceiling_max_bytes;  /* bounds its arrays and working sets; 0: from the L3 */
	int reprobe;                 /* with measure_ceiling: measure it again, though the
				      * database or the machine's cache has one */
	int sigfd;                   /* signalfd of SIGINT/SIGTERM: stops everything */
	const struct spawn_creds *creds; /* workers as; NULL: as we are */
	char *const *base_env;       /* their environment before the campaign's; NULL: ours */
	const char *version;         /* stored with the verdicts */
	const struct session_hooks *hooks; /* may be NULL */
	const struct runner_limits *limits; /* what the campaign may take; NULL: no limit */
	int report_warmups;             /* warm-up runs reach hooks->progress (runner.h) */
};

struct session_result {
	int64_t campaign_id;         /* 0 when no row was made */
	size_t nruns, runs_before;   /* planned now; stored before a resume */
	struct runner_summary sum;
	const char *status;          /* the campaign's end: "done", "failed", "interrupted"; NULL: none */
	char *error;                 /* why it failed or was interrupted, or for "done" which runs did not
				      * succeed ("N of M runs did not succeed"); NULL when all went well */
	int in_ceiling;              /* it stopped while measuring the ceiling */
	int db_error;                /* error is the store's message (the caller names the database) */
	char *verdict_error;         /* why the verdicts could not be stored; NULL when they were */
};

/* Runs the campaign's lifecycle. Returns 0 when every planned run was
 * performed (some may have failed: see ret->sum and ret->error), -EINTR
 * when a signal on sigfd stopped it (before or between runs), or another
 * -errno when it could not go on (ret->error says why). In every case
 * ret is filled; session_result_clear frees it. Does not log. */
int session_run(const struct session_opts *o, struct session_result *ret);
void session_result_clear(struct session_result *r);

/* Measures the ceiling of machine_id and stores it, with the hooks'
 * ceiling_start and ceiling_end around it (scale shortens it; max_bytes,
 * when not 0, bounds its arrays and working sets: tests).
 * Returns 0, -EINTR, or another -errno. Does not log. */
int session_measure_ceiling(const struct session_opts *o, int64_t machine_id, double scale, uint64_t max_bytes);

/* The message stored for a campaign of kind stopped by a signal or a
 * cancel. */
const char *session_interrupted_message(enum session_kind kind);

#endif
