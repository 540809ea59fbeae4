/* profile.h: what the profile probe's two files share (profile.c records
 * and aggregates raw call chains; profile_out.c resolves them into frames
 * and rows for the store). Not for use outside probes/. */
#ifndef SCALPROF_PROBES_PROFILE_H
#define SCALPROF_PROBES_PROFILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct symbolizer;
struct store;

enum pstate { PS_ON, PS_OFF, PS_QUEUED };

/* One aggregated raw stack: a thread's call chain as the kernel gave it
 * (leaf first, with its PERF_CONTEXT_* markers), its state, and what it
 * weighs. Thread kinds and names are given at the end of the run, when
 * every fork and comm record has been read. */
struct pentry {
	uint64_t hash;
	pid_t pid, tid;
	uint32_t state;
	uint32_t nips;
	uint64_t *ips;
	uint64_t samples, off_ns;
};

/* The run's aggregate: an open-addressing table of entries. */
struct ptable {
	struct pentry *slots;
	size_t cap, used;
	uint64_t dropped;         /* samples of new chains refused when full */
};

/* The most distinct (thread, state, chain) a run keeps: a program that
 * makes endless distinct stacks (deep random recursion, a fresh thread
 * per task) must not grow the daemon's memory without bound. At 1 KiB a
 * chain, about 64 MiB; real programs stay far below (seed 003's Python:
 * a few hundred). */
#define PTABLE_MAX 65536

/* Adds weight to the entry for this key, creating it unless the table
 * holds PTABLE_MAX (then the samples count in t->dropped). */
void ptable_add(struct ptable *t, pid_t pid, pid_t tid, int state, const uint64_t *ips, uint32_t nips,
		uint64_t samples, uint64_t off_ns);
void ptable_clear(struct ptable *t);

/* What the end of the run knows of a thread: its kind and command name
 * (the caller's strings). */
struct pthread_info {
	const char *thread;       /* "main", "thread", "child" */
	const char *comm;
};

/* What the probe hands to profile_store besides the table. */
struct pmeta {
	const char *event;
	int hz, offcpu, kernel;
	uint64_t samples, switches, lost;
	const char *note;
};

/* Resolves every entry of t through sym and writes run_id's profile.
 * Returns 0 or -errno (the store keeps the message). */
int profile_store(struct store *st, int64_t run_id, const struct ptable *t, struct symbolizer *sym,
		  const struct pmeta *meta, struct pthread_info (*info)(void *ctx, pid_t pid, pid_t tid), void *ctx);

#endif
