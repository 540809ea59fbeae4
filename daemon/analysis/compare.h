/* compare.h: two campaigns side by side (`scalprof compare`): matched by
 * workload and worker count N, each match's speedup and efficiency in both
 * with their intervals, and the ratio of their mean wall times with its
 * error, as hyperfine says it ("B is 1.28 ± 0.01 times faster than A");
 * the workloads and counts only one of them has; and the facts of the two
 * machines and conditions that differ. Pure arithmetic and formatting
 * over what the store read (store/verdicts.h, store/compare.h). */
#ifndef SCALPROF_ANALYSIS_COMPARE_H
#define SCALPROF_ANALYSIS_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/verdict_data.h"
#include "store/compare.h"

enum compare_format { COMPARE_TEXT, COMPARE_CSV, COMPARE_JSON, COMPARE_MARKDOWN };

/* One campaign as compare sees it; nothing here is owned. */
struct compare_side {
	const char *db;                      /* its database's path, as given */
	int64_t id;
	const struct campaign_facts *facts;
	const struct vinput *in;             /* store_verdict_inputs' */
	size_t nin;
};

/* The ratio of mean wall times mean_a / mean_b (above 1: B is faster)
 * and its error: the relative standard errors of the two means (sd /
 * sqrt(runs)) added in quadrature, times the ratio. err is NAN when a
 * side has fewer than 2 runs. */
void compare_ratio(double mean_a, double sem_a, double mean_b, double sem_b, double *ret_ratio, double *ret_err);

/* "B is 1.28 ± 0.01 times faster than A" (or "slower", the factor then
 * mean_b / mean_a); without an error, "B is 1.28 times faster than A";
 * snprintf's return. */
int compare_ratio_text(double ratio, double err, char *buf, size_t len);

/* Writes the comparison of a and b to out in fmt. Cannot fail; does not
 * log. */
void compare_print(const struct compare_side *a, const struct compare_side *b, enum compare_format fmt, FILE *out);

#endif
