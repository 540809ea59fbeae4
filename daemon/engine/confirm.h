/* confirm.h: the campaign key confirm: true. After a campaign's planned
 * runs, each workload that did not scale is tested by intervention: the
 * built-in variants that test the leading component of its speedup stack
 * (analysis/intervene.c chooses them, by what this machine can change) are
 * run at 1 worker and at its worst worker count, the campaign's
 * repetitions each, interleaved, and stored like any other variant run.
 * The choice is a function of the stored baseline runs alone, so a
 * campaign taken up again after a stop (scalprofd restarted) chooses the
 * same runs and makes only those still missing. */
#ifndef SCALPROF_CONFIRM_H
#define SCALPROF_CONFIRM_H

#include <stdint.h>

#include "host/topology.h"
#include "model/campaign.h"
#include "model/plan.h"
#include "store/store.h"

/* The confirm runs of campaign cid (every one, stored or not; seq from
 * 1): *ret (plan_clear it), and in *ret_summary a fresh line per workload
 * saying what was chosen for it and why, or why nothing was ("" when no
 * workload needs testing). Returns 0 or -EIO (store_errmsg(st)). Does
 * not log. */
int confirm_plan(struct store *st, int64_t cid, const struct campaign *c, const struct topology *topo,
		 struct plan *ret, char **ret_summary);

#endif
