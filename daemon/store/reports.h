/* reports.h: what `scalprof report` and `scalprof timeline` read: the
 * campaign's row, its result table (per-worker event medians, bandwidth
 * sources and their notes), its runs, a run's samples
 * and the machine's bandwidth ceilings. Every function returns 0 or -errno
 * (-EIO with store_errmsg(st) saying why) and does not log; formatting is
 * analysis/report.c's. */
#ifndef SCALPROF_STORE_REPORTS_H
#define SCALPROF_STORE_REPORTS_H

#include <stddef.h>
#include <stdint.h>

#include "model/report_data.h"
#include "store/store.h"

/* The id of the most recent campaign; -ENOENT when there is none. */
int store_latest_campaign(struct store *st, int64_t *ret_id);

/* Campaign cid's row into *ret (free with report_head_clear); -ENOENT
 * when there is no such campaign. */
int store_report_head(struct store *st, int64_t cid, struct report_head *ret);

/* Campaign cid's table into *ret (free with report_table_clear): its
 * events in the order first counted; every (workload, N) planned, in
 * campaign order, with its runs, each event's per-worker median and its
 * bandwidth sources over the ok ordinary runs; and the distinct bandwidth
 * notes. wall, speedup, efficiency, gbps, ceiling and slowdown are left
 * NAN: they are the verdict's medians (store_verdict_inputs, which
 * computes them as the scaling view does). */
int store_report_table(struct store *st, int64_t cid, struct report_table *ret);

/* Calls fn for every run of campaign cid, in the order run. */
int store_report_runs(struct store *st, int64_t cid, void (*fn)(const struct report_run *, void *), void *arg);

/* 0 when run_id is stored, -ENOENT when not. */
int store_run_exists(struct store *st, int64_t run_id);

/* Calls fn for every sample of run_id (only those of event unless it is
 * NULL), by time, then worker slot, then as stored. */
int store_report_samples(struct store *st, int64_t run_id, const char *event,
			 void (*fn)(const struct report_sample *, void *), void *arg);

/* The bandwidth ceilings measured on campaign cid's machine, by worker
 * count: *ret (free()) of *ret_n, the best of each n. */
int store_machine_ceilings(struct store *st, int64_t cid, struct report_ceiling **ret, size_t *ret_n);

#endif
