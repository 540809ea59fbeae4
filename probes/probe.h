/* probe.h: the interface every measurement sits behind. A probe opens what
 * it measures when a worker waits at the barrier, takes its final reading
 * when the worker has exited (before it is reaped), and writes its rows
 * inside the run's transaction. The runner only calls probe_set_*: adding a
 * probe means a new file and a line in probe.c, no runner code.
 *
 * A probe's timeline goes through the set's struct timeline (below): its
 * samples are staged in the store while the run goes, a batch at a time,
 * and moved into the run's transaction when it is stored.
 *
 * probes/ is a layer of its own, above the store (a probe writes its rows
 * in the run's transaction) and below the engine (the runner drives the
 * probes): it sees only struct probe_env, never the campaign.
 */
#ifndef SCALPROF_PROBE_H
#define SCALPROF_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "host/events.h"

struct store;
struct run_result;
struct timeline;

/* What the probes may know of the campaign: what it asks to be measured,
 * nothing else (the runner fills it in). */
struct probe_env {
	const struct event_spec *events; /* resolved campaign events */
	size_t nevents;
	int bandwidth;                   /* the memory-bandwidth probe is wanted */
	char *const *mc_read, *const *mc_write; /* memory counters named by the user */
	size_t mc_read_count, mc_write_count;   /* 0 and 0: discover them */
	struct store *store;             /* where timelines are staged as they go; NULL: none kept */
	uint64_t max_samples;            /* the most samples a run keeps; 0: no limit */
	const char *max_samples_what;    /* that limit's name, for the note (e.g. the config key) */
	struct timeline *timeline;       /* set by probe_set_new: where the probes' samples go */
	int profile_hz;                  /* on-CPU call-stack samples per second; 0: no profile */
	int profile_offcpu;              /* with the profile: off-CPU stacks at every switch out */
};

/* A run's timeline: every probe's samples, buffered TIMELINE_BATCH at a
 * time and staged in the store as they come (store_stage_samples), so
 * that the run's memory stays flat whatever its interval and worker
 * count. It stops, with a note that says when and why (runs.
 * timeline_note), at env->max_samples or when a batch cannot be staged.
 * Adds one sample of worker w (-1: system-wide); returns 0, or 1 when the
 * timeline has stopped and the sample was dropped. Does not log. */
#define TIMELINE_BATCH 4096
int timeline_add(struct timeline *tl, int w, const char *event, int64_t t_ns, uint64_t delta,
		 uint64_t enabled_delta, uint64_t running_delta);
/* Whether it has stopped: further ticks are not worth reading. */
int timeline_stopped(const struct timeline *tl);

struct probe_class {
	const char *name;
	/* Returns 0 and *ret_state, or -errno. */
	int (*create)(const struct probe_env *env, void **ret_state);
	/* A run of nworkers begins; nothing is open yet. */
	int (*run_begin)(void *state, int nworkers);
	/* Worker w (0-based) was forked and pinned and waits at the barrier.
	 * Failures to open become statuses with reasons, not errors. */
	void (*attach)(void *state, int w, pid_t pid);
	/* The barrier is about to release every worker: system-wide
	 * measurements start here (may be NULL). */
	void (*start)(void *state);
	/* Worker w has exited and is not yet reaped: final readings. */
	void (*collect)(void *state, int w);
	/* The same when the run keeps a timeline: the final reading is also
	 * its last sample, at t_ns since the barrier (may be NULL). */
	void (*collect_at)(void *state, int w, int64_t t_ns);
	/* A sampling tick at t_ns since the barrier (may be NULL). */
	void (*sample)(void *state, int64_t t_ns);
	/* Every tick of the run's event loop, with or without a timeline:
	 * buffers the kernel fills are emptied here (may be NULL). */
	void (*drain)(void *state);
	/* Every worker has been reaped: system-wide measurements stop
	 * (may be NULL). */
	void (*stop)(void *state);
	/* Writes this run's rows; worker_ids[w] is worker w's row id, run the
	 * run as measured. Returns 0 or -errno (the store keeps the message). */
	int (*store)(void *state, struct store *st, const struct run_result *run, int64_t run_id,
		     const int64_t *worker_ids);
	/* Closes whatever the run left open; state is reused by the next run. */
	void (*run_end)(void *state);
	void (*destroy)(void *state);
};

struct probe_set;

/* All known probes, created for env, with one timeline for them. Returns
 * 0 or -errno; does not log. probe_set_run_begin empties the timeline's
 * staging (-EIO when the store cannot); probe_set_store writes the probes'
 * rows, then moves the staged timeline into the run's transaction and
 * notes why it stopped early, if it did. */
int probe_set_new(const struct probe_env *env, struct probe_set **ret_set);
void probe_set_free(struct probe_set *set);
int probe_set_run_begin(struct probe_set *set, int nworkers);
void probe_set_attach(struct probe_set *set, int w, pid_t pid);
void probe_set_start(struct probe_set *set);
/* t_ns < 0: no timeline. */
void probe_set_collect(struct probe_set *set, int w, int64_t t_ns);
void probe_set_sample(struct probe_set *set, int64_t t_ns);
void probe_set_drain(struct probe_set *set);
void probe_set_stop(struct probe_set *set);
int probe_set_store(struct probe_set *set, struct store *st, const struct run_result *run, int64_t run_id,
		    const int64_t *worker_ids);
void probe_set_run_end(struct probe_set *set);

/* The probes, defined in their own files. */
extern const struct probe_class counters_probe;
extern const struct probe_class uncore_probe;
extern const struct probe_class profile_probe;

#endif
