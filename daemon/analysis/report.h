/* report.h: the result table of a campaign, read back from the database:
 * per workload and worker count, median wall time, speedup, efficiency, and
 * per-worker medians of every counted event; the metrics the verdicts weigh,
 * and each workload's verdict with its evidence (verdict.h). */
#ifndef SCALPROF_REPORT_H
#define SCALPROF_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "model/verdict_data.h"
#include "store/store.h"

enum report_format { REPORT_TEXT, REPORT_CSV, REPORT_JSON, REPORT_MARKDOWN };

/* Writes campaign_id's table to out: as text, one screen (a header, a
 * line per workload, the columns with data, each verdict with its speedup
 * stack; no line over 120 characters), and with verbose every figure, the
 * metrics and every hypothesis's evidence; as markdown, the one screen for
 * pasting; as CSV or JSON, every figure. Returns 0, -ENOENT when there is no such campaign, or -EIO
 * (store_errmsg(st) says why). Does not log. */
int report_campaign(struct store *st, int64_t campaign_id, enum report_format fmt, int verbose, FILE *out);

/* Writes the campaign's figures to path (.svg or .png) through gnuplot.
 * Returns 0 or -errno with a fresh *ret_error. */
int report_plot(struct store *st, int64_t campaign_id, const char *path, char **ret_error);

/* Reads campaign cid's measurements and judges each workload (variants
 * against the baseline and the profile's evidence included): *ret_in and
 * *ret_v, *ret_n of each (vinputs_free, verdicts_free, also on failure).
 * Returns 0 or -EIO (store_errmsg(st) says why). */
int report_judge(struct store *st, int64_t cid, struct vinput **ret_in, struct verdict **ret_v, size_t *ret_n);

/* Judges every workload of the campaign and stores the verdicts (the
 * verdicts, hypotheses and verdict_evidence tables). Returns 0 or -errno
 * with a fresh *ret_error. */
int report_store_verdicts(struct store *st, int64_t campaign_id, const char *version, char **ret_error);

/* Every run of the campaign with its evidence: bandwidth, its source and
 * fraction of the ceiling, and for co-runs the slowdown and the co-runner's
 * rates; as text, CSV or JSON (fmt; markdown is written as text). Returns
 * 0 or -EIO. */
int report_runs(struct store *st, int64_t campaign_id, enum report_format fmt, FILE *out);

/* The timeline of run_id, in time order: one row per tick with each
 * event summed over the workers in human units (CPUs busy, waiting CPUs,
 * rates per second), or with raw every sample as stored; only event's
 * when it is not NULL. Returns 0, -ENOENT when there is no such run,
 * -EINVAL with a fresh *ret_error when the run has no such event (naming
 * the closest it has), or -EIO. */
int report_timeline(struct store *st, int64_t run_id, const char *event, enum report_format fmt, int raw, FILE *out,
		    char **ret_error);

#endif
