/* bandit.h: the graded bandwidth bandit's curves (after Eklov et al.,
 * Bandwidth Bandit, CGO 2013). A workload runs beside bandwidth
 * co-runners paced to several fractions of their own full rate; each run
 * gives a point: the bandwidth the co-runners took beside it (their
 * achieved rate, GB/s) and its slowdown over the median wall time at the
 * lowest level (level 0 by default: the co-runners only spin, so the mere
 * presence of a busy neighbour cancels). The curve's least-squares slope,
 * its step at the first level and its shape say whether the workload
 * lives on bandwidth (rising), does not care (flat), is hurt only by cache
 * eviction (step), or whether the runs cannot tell (unseparated). Pure
 * functions: no I/O, no logging. Rules in scalprof-verdict(7). */
#ifndef SCALPROF_BANDIT_H
#define SCALPROF_BANDIT_H

#include <stddef.h>

#include "model/verdict_data.h"

/* What decides a shape: the rise across the curve (slope x the most
 * bandwidth taken) that is rising, and within which either way it is
 * flat; the step that clears; free_cores: the cores the co-runners had,
 * for the words of an unseparated curve. */
struct bandit_limits {
	double rise_min;
	double step_min;
	int free_cores;
	double reach_gbps;  /* what the co-runners must take before n workers streaming at this
			     * machine's ceiling could be starved: its ceiling on every core less its
			     * ceiling at n, GB/s; 0 or NAN: unknown */
};

/* The curve of the observations of worker count n among obs[0..nobs)
 * (others are skipped, as are those with NAN figures) into *ret.
 * Returns 0, or -ENOENT when none is at n. Does not log. */
int bandit_fit(const struct bandit_obs *obs, size_t nobs, int n, const struct bandit_limits *lim,
	       struct bandit_curve *ret);

/* A curve per worker count of obs, by n ascending, in a fresh array
 * (*ret NULL and *ret_n 0 when obs has none); free() it. cores: the
 * machine's physical cores (the co-runners have those the workers leave);
 * ceiling_gbps[n] for n in 1..cores: the machine's bandwidth ceiling at n
 * workers (0 or NAN unknown; NULL: none known). A flat curve whose
 * co-runners never took the reach (bandit_limits) is unseparated: it
 * could not have risen. */
void bandit_curves(const struct bandit_obs *obs, size_t nobs, int cores, const double *ceiling_gbps,
		   double rise_min, double step_min, struct bandit_curve **ret, size_t *ret_n);

#endif
