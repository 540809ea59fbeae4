/* stats.h: how much repetitions disagree. The median of a sample with a
 * distribution-free interval from its order statistics (the ranks the
 * binomial distribution allows, so the level is exact and, for few runs,
 * below 95%: 3 runs give min..max at 75%), its extremes and its outliers;
 * the mean difference of two samples with Welch's t interval, which is
 * what the speedup stack adds up; and how many more repetitions an
 * interval that straddles a threshold would likely need to clear it.
 * Pure functions: no I/O, no logging. */
#ifndef SCALPROF_STATS_H
#define SCALPROF_STATS_H

#include <stddef.h>

#include "model/verdict_data.h"

struct summary {
	size_t n;
	struct interval median; /* lo..hi from order statistics */
	double min, max, mean, sd;
	double mad;             /* median absolute deviation from the median */
	size_t outliers;        /* see stats_is_outlier */
};

/* Whether x is an outlier of the sample s summarises (3 or more values):
 * further from the median than 3 median absolute deviations scaled to a
 * normal sample's standard deviation (1.4826 x MAD; Leys et al. 2013), and
 * than 5% of the median (timing jitter below that is ordinary). */
int stats_is_outlier(double x, const struct summary *s);

/* The summary of n values (not modified; NANs are skipped). */
void stats_summary(const double *v, size_t n, struct summary *ret);

/* The mean of b minus the mean of a, with Welch's 95% interval; lo and hi
 * NAN when either sample has fewer than 2 values, mid NAN when either is
 * empty. NANs are skipped. */
void stats_mean_diff(const double *a, size_t na, const double *b, size_t nb, struct interval *ret);

/* The two-sided 97.5% quantile of Student's t with df degrees of freedom
 * (df >= 1; interpolated between the table's rows). */
double stats_t975(double df);

/* An interval straddling threshold: about how many runs per point would
 * make it clear, assuming the spread stays and the width shrinks as
 * 1/sqrt(runs); runs_now is what it was built from. 0 when it already
 * clears, -1 when the figure sits on the threshold (no number of runs
 * would decide it). */
int stats_runs_to_clear(const struct interval *iv, double threshold, int runs_now);

#endif
