/* verdict.h: from a campaign's measurements to an explanation of why each
 * workload does or does not scale. verdict_judge() weighs every hypothesis
 * of model/verdict_data.h against the thresholds of thresholds.def and
 * keeps each figure it used, for and against; it reads nothing and writes
 * nothing (store/verdicts.h loads its inputs and stores its verdicts), so
 * it can be tested on inputs made by hand. The rules and thresholds are
 * documented in man/scalprof-verdict.7.
 *
 * The analysis layer (daemon/analysis/: verdict, thresholds.def, report,
 * plot) explains what was measured. It reads through the store's
 * functions, never SQL, and sits above the store, the model and the
 * probes; the engine calls it once a campaign ends.
 */
#ifndef SCALPROF_VERDICT_H
#define SCALPROF_VERDICT_H

#include <stddef.h>

#include "model/verdict_data.h"

/* A threshold's value by name, NAN if there is none; the whole table for
 * tests and documentation: *ret_n entries of names, values and meanings
 * (static, not to be freed). */
double verdict_threshold(const char *name);
void verdict_thresholds(const char *const **names, const double **values, const char *const **meanings,
			size_t *ret_n);

/* Judges one workload into v (overwritten); v must be freed with
 * verdict_clear(). Cannot fail; does not log. */
void verdict_judge(const struct vinput *in, struct verdict *v);

/* verdict_judge on each of the n inputs: an array of n verdicts, to free
 * with verdicts_free(v, n). Cannot fail; does not log. */
struct verdict *verdict_judge_all(const struct vinput *in, size_t n);

#endif
