/* profevidence.h: the call-stack profiles as the verdict's evidence: for
 * each workload judged at n workers whose campaign was profiled, the
 * functions whose cost per unit of work grew most from 1 worker to n, by
 * speedup-stack component ("extra kernel CPU: 61% in clear_page_erms"),
 * quoted in the verdict's reason and shown under it in the report. */
#ifndef SCALPROF_PROFEVIDENCE_H
#define SCALPROF_PROFEVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "model/verdict_data.h"
#include "store/store.h"

/* How many functions are named per component. */
#define PROFILE_TOP 3

/* Fills profile_line and profile_detail of each of the nv verdicts of
 * campaign cid that has profiled runs at 1 worker and at its n, and adds
 * the line to its reason. Returns 0 or -EIO (store_errmsg says why). */
int profile_evidence(struct store *st, int64_t cid, struct verdict *v, size_t nv);

#endif
