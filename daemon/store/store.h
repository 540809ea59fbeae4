/* store.h: the SQLite database: opening and migrating it (schema.sql through
 * PRAGMA user_version), and writing machines, campaigns and runs. Every run
 * is written in one transaction with prepared statements only. Functions
 * return 0 or -errno (-EIO for SQLite failures); store_errmsg() then says
 * what failed. Nothing here logs.
 *
 * The store layer (daemon/store/) is the only code that speaks SQL: store
 * (open, migrate, machines, campaigns, runs), queue, resume, ceiling,
 * verdicts, reports. Callers get -errno and read the one message channel,
 * store_errmsg(); the struct store, the statements and sql.h's helpers
 * stay inside the folder. It uses model/, host/ and base/ only.
 */
#ifndef SCALPROF_STORE_H
#define SCALPROF_STORE_H

#include <stdint.h>

#include "host/hostinfo.h"
#include "host/perf.h"
#include "model/result.h"

struct store;

/* Opens (creating if needed) the database at path, in WAL mode with
 * foreign keys on, and migrates it to the schema of this binary. Returns 0
 * and *ret_store, or -errno with a fresh *ret_error: a path that cannot be
 * opened, a file that is not a database, or a newer schema version. */
int store_open(const char *path, struct store **ret_store, char **ret_error);
void store_close(struct store *st);

/* Opens an existing database for reading only (the reports), first
 * migrating it when its schema is older than this binary's (which needs
 * write access). Returns 0 and *ret_store; -ENOENT when there is no file
 * at path (nothing in *ret_error); -EIO when it cannot be opened, or
 * -EPROTO when its schema could not be upgraded, each with a fresh
 * *ret_error. Writing through the store fails. */
int store_open_readonly(const char *path, struct store **ret_store, char **ret_error);

/* Keeps the -wal and -shm files when the last connection closes, so that
 * readers without write access to the directory can still open it (the
 * daemon's database, read by its group). */
void store_persist_wal(struct store *st);

/* The message of the last failure on st. */
const char *store_errmsg(const struct store *st);

/* The schema version this binary migrates to. */
int store_schema_version(void);

/* The machine's measured usable last-level cache in bytes, or 0. */
uint64_t store_usable_llc(struct store *st, int64_t machine_id);

/* Inserts the machine or finds it by (machine_id, hostname). */
int store_machine(struct store *st, const struct machine_info *m, int64_t *ret_id);

/* A campaign row in status 'running', with its conditions. */
int store_campaign_begin(struct store *st, int64_t machine_id, const struct campaign *c,
			 const struct conditions *cond, int64_t *ret_id);
/* The campaign text names: an id, or a name (its latest campaign). Returns
 * 0 and *ret_id, -ENOENT when there is none, or -EIO. */
int store_find_campaign(struct store *st, const char *text, int64_t *ret_id);
/* Records who submitted the campaign (or ran it in the foreground). */
int store_campaign_submitter(struct store *st, int64_t campaign_id, const char *user, unsigned uid);
/* Sets the campaign's final status ("done", "failed", "interrupted"). */
int store_campaign_end(struct store *st, int64_t campaign_id, const char *status, const char *error);

/* A campaign taken up again (resume.c): its row is 'running' again, with
 * no end and no error. Returns 0 and *ret_machine_id, -ENOENT when there
 * is no such campaign, or -EIO. */
int store_campaign_resume(struct store *st, int64_t campaign_id, int64_t *ret_machine_id);
/* What campaign_id was started from, to take it up again (scalprof
 * confirm): the file it was read from (*ret_source, NULL when unknown),
 * its text (*ret_yaml, its length *ret_len) and the scale it ran at.
 * Returns 0 with the fresh strings, -ENOENT, or -EIO. Does not log. */
int store_campaign_text(struct store *st, int64_t campaign_id, char **ret_source, char **ret_yaml, size_t *ret_len,
			double *ret_scale);
/* Drops from plan the runs the campaign already has (ok, failed or timed
 * out) and numbers the rest after its last stored seq; *ret_dropped says
 * how many were dropped. Returns 0 or -EIO (plan unchanged). */
struct plan;
int store_plan_drop_stored(struct store *st, int64_t campaign_id, const struct campaign *c, struct plan *plan,
			   size_t *ret_dropped);
/* Sets the connection's page cache to kib KiB. Returns 0 or -EIO. */
int store_set_cache_kib(struct store *st, int kib);

/* One run's transaction: begin, the run and its workers, each probe's rows
 * (store_counter), then commit; rollback on any failure. */
int store_run_begin(struct store *st);
int store_run_insert(struct store *st, int64_t campaign_id, const struct run_result *run,
		     int64_t *ret_run_id, int64_t *ret_worker_ids);
/* Computes run_id's figures once, from its rows stored so far (workers,
 * counters, bandwidth, interference), into run_figures: call it last,
 * before store_run_commit. Returns 0 or -EIO. */
int store_run_figures(struct store *st, int64_t run_id);
int store_run_commit(struct store *st);
void store_run_rollback(struct store *st);

struct counter_row {
	const char *event, *encoding;
	enum counter_status status;
	const char *reason;     /* NULL when nothing to say */
	int has_value;
	uint64_t value;
	double scaled;
	int has_times;
	uint64_t time_enabled, time_running;
};
int store_counter(struct store *st, int64_t run_id, int64_t worker_id, const struct counter_row *row);

struct sample_row {
	int64_t worker_id;       /* 0: system-wide */
	int64_t t_ns;            /* since the barrier */
	const char *event;
	uint64_t delta, enabled_delta, running_delta;
};
/* One point of a timeline; cheap: a cached statement in the run's
 * transaction, so a run's samples are written in one batch. */
int store_sample(struct store *st, int64_t run_id, const struct sample_row *row);

/* The timeline of the run going on, staged while it runs. Samples are
 * written in batches to a TEMP table of this connection (a temporary file,
 * with its own small page cache), never to the database itself, so that
 * the memory of a run stays flat whatever its interval and worker count,
 * and nothing of a run is in the database before its one transaction:
 * store_stage_move copies the staged rows into samples inside it, and a
 * run that is not stored leaves only staged rows, which the next
 * store_stage_clear (or closing the store) drops. */
struct stage_row {
	int worker;              /* the worker's index in the run (0-based); -1: system-wide */
	int64_t t_ns;            /* since the barrier */
	const char *event;
	uint64_t delta, enabled_delta, running_delta;
};
/* Empties the staging table, creating it if need be. Returns 0 or -EIO. */
int store_stage_clear(struct store *st);
/* Appends n rows to the staging table in one write. Returns 0 or -EIO
 * (the disk is full: store_errmsg says so); the staged rows before them
 * stay. */
int store_stage_samples(struct store *st, const struct stage_row *rows, size_t n);
/* Inside the run's transaction, before store_run_figures: moves every
 * staged row into samples for run_id, worker index w becoming
 * worker_ids[w] (w < nworkers; rows of other indexes are dropped), in the
 * order they were staged. Returns 0 or -EIO. */
int store_stage_move(struct store *st, int64_t run_id, const int64_t *worker_ids, size_t nworkers);
/* Records why run_id's timeline stops before the run's end (runs.
 * timeline_note). Returns 0 or -EIO. */
int store_run_timeline_note(struct store *st, int64_t run_id, const char *note);

/* The bytes the database's pages hold (its pages less its free list),
 * as this connection sees it. Returns 0 and *ret_bytes, or -EIO. */
int store_used_bytes(struct store *st, int64_t *ret_bytes);

struct bandwidth_row {
	int socket;              /* -1: not per socket */
	const char *source, *pmu, *status, *reason;
	int has_read, has_write;
	int64_t read_bytes, write_bytes;
	double seconds;          /* 0: unknown */
};
int store_bandwidth(struct store *st, int64_t run_id, const struct bandwidth_row *row);

/* The sum over run_id's workers of event's scaled value, within the open
 * run transaction. Returns 0 with *ret_sum; 1 when some worker has no
 * value, with a fresh *ret_why (the stored reason, or that the event was
 * not in the campaign); -EIO on failure. */
int store_llc_misses(struct store *st, int64_t run_id, const char *event, double *ret_sum, char **ret_why);

#endif
