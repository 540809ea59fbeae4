/* verdicts.h: the verdict's side of the database: reading what it weighs
 * (the run_metrics and scaling views' medians, the interference
 * slowdowns, why bandwidth or LLC misses were not measured) and writing
 * what it concluded (the verdicts, hypotheses and verdict_evidence
 * tables). The judging itself is analysis/verdict.c's. */
#ifndef SCALPROF_STORE_VERDICTS_H
#define SCALPROF_STORE_VERDICTS_H

#include <stddef.h>
#include <stdint.h>

#include "model/verdict_data.h"
#include "store/store.h"

/* Reads campaign cid's inputs, one per workload in campaign order (none
 * for a campaign that does not exist). Returns 0 with *ret (free with
 * vinputs_free) and *ret_n, or -EIO with store_errmsg(st) saying
 * "judging the campaign: ...". Does not log. */
int store_verdict_inputs(struct store *st, int64_t cid, struct vinput **ret, size_t *ret_n);

/* Replaces cid's stored verdicts by the n of v, in one transaction, each
 * row's judged_by set to version. Returns 0, or -EIO with everything
 * rolled back and store_errmsg(st) saying "storing the verdicts: ...".
 * Does not log. */
int store_verdicts(struct store *st, int64_t cid, const struct verdict *v, size_t n, const char *version);

#endif
