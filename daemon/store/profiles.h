/* profiles.h: a run's call-stack profile in the database (schema.sql,
 * version 11; scalprof-db(7)): writing what the profile probe gathered,
 * frames and stacks shared across runs, and reading a run's stacks back
 * for flame graphs and for the comparison between worker counts. */
#ifndef SCALPROF_STORE_PROFILES_H
#define SCALPROF_STORE_PROFILES_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* A frame as stored: symbol NULL and offset >= 0 when unresolved; symbol
 * set and offset -1 when resolved (a function's addresses are one frame).
 * kind: 'u', 'k' or 'j'. */
struct profile_frame {
	const char *module, *symbol;
	int64_t offset;
	char kind;
};

/* One aggregated row: frames are indices into the profile's frames, root
 * first. thread: "main", "thread" or "child"; state: "on", "off" or
 * "queued". */
struct profile_row {
	const char *thread, *comm, *state;
	const uint32_t *frames;
	size_t depth;
	uint64_t samples, off_ns;
};

struct profile_data {
	const char *event;        /* "cpu-clock" or "cycles" */
	int hz, offcpu, kernel;
	uint64_t samples, switches, lost;
	double symbolize_ms;      /* < 0: unknown */
	const char *note;         /* NULL: whole */
	const struct profile_frame *frames;
	size_t nframes;
	const struct profile_row *rows;
	size_t nrows;
};

/* Writes run_id's profile inside the run's transaction (frames and stacks
 * found or added). Returns 0 or -EIO with store_errmsg(st) saying
 * "storing the profile: ...". Does not log. */
int store_profile(struct store *st, int64_t run_id, const struct profile_data *p);

/* A stack read back: frame names root first ("symbol", or "module+0xOFF"
 * when unresolved), each with its kind ('u', 'k', 'j', '?'). */
struct pstack {
	char **names;
	char *kinds;
	size_t depth;
	char state[8];            /* "on", "off", "queued" */
	char thread[8];
	uint64_t samples, off_ns;
};

/* What the reports need of a run's profile. */
struct pinfo {
	int64_t run_id;
	char *workload;
	int n_workers, repetition, hz, offcpu, kernel;
	uint64_t samples, switches, lost;
	double units;             /* units of work the run did (n for copies, 1 for a team) */
	double wall_s;
	char *note;
};

/* Run run_id's profile summary. Returns 0, -ENOENT when the run has no
 * profile (or does not exist), or -EIO. */
int store_profile_info(struct store *st, int64_t run_id, struct pinfo *ret);
void pinfo_clear(struct pinfo *p);

/* Every stack of run_id (all states), merged over thread kinds and
 * command names when merge is set. Returns 0 with a fresh array (free
 * with pstacks_free), or -EIO. */
int store_profile_stacks(struct store *st, int64_t run_id, int merge, struct pstack **ret, size_t *ret_n);
void pstacks_free(struct pstack *s, size_t n);

/* The runs of campaign cid that have a profile, by workload (campaign
 * order), worker count and repetition. Returns 0 with a fresh array (free
 * each with pinfo_clear, then the array), or -EIO. */
int store_profile_runs(struct store *st, int64_t cid, struct pinfo **ret, size_t *ret_n);

#endif
