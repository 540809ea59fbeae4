/* ceiling.h (store): the machine's ceiling in the database (machine_bandwidth,
 * machine_latency, machines.usable_llc_bytes), and the reading back of the
 * measuring runs' reports from the private store they ran into. Functions
 * return 0 or -EIO with store_errmsg() set; none logs. */
#ifndef SCALPROF_STORE_CEILING_H
#define SCALPROF_STORE_CEILING_H

#include <stdint.h>

#include "model/ceiling.h"
#include "store/store.h"

/* Replaces the machine's stored ceiling and latencies in one transaction
 * (rolled back on failure); machine_bandwidth.measured_at is c's
 * measured_at when set (a ceiling reused from the machine's cache), else
 * now. Returns 0 or -EIO with store_errmsg() saying
 * "storing the ceiling: ...". */
int ceiling_store(struct store *st, int64_t machine_id, const struct ceiling *c);

/* Whether the machine has a stored ceiling and usable cache: 1 or 0 (also
 * 0 when the database cannot say). */
int ceiling_known(struct store *st, int64_t machine_id);

/* Called once per stored run with its workload's name, its worker count and
 * its workers' stdout tails joined by "\x1e" ("" when none); returns 0 to go
 * on, anything else to stop with that value. */
typedef int (*ceiling_run_fn)(void *arg, const char *workload, int n_workers, const char *outputs);

/* Calls fn for each run in st, in order of worker count. Returns 0, fn's
 * value when it stopped, or -EIO with store_errmsg() saying "probe: ...". */
int ceiling_each_run(struct store *st, ceiling_run_fn fn, void *arg);

#endif
