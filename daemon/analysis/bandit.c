/* bandit.c: the graded bandwidth bandit's curves (see bandit.h).
 *
 * At one worker count: the base is the median wall time at the lowest
 * level; each run's slowdown is its wall over the base, its abscissa the
 * bandwidth its co-runners took beside it. The slope is the least-squares
 * fit over every run, with Student's t interval (n - 2 degrees of
 * freedom); the rise is the slope times the most bandwidth taken, so that
 * one threshold holds on machines whose co-runners take 5 GB/s or 100.
 * The step is the mean slowdown at the lowest nonzero level less at the
 * lowest, with Welch's interval, plus 1; the tail is the fit over the
 * nonzero levels alone, which a step leaves flat. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/bandit.h"
#include "base/util.h"
#include "model/stats.h"

/* The points of one curve: x (GB/s taken), y (slowdown), level. */
struct pts {
	double *x, *y, *level;
	size_t n;
};

/* Least squares of y on x over the points whose level is above min_level
 * (-1: all): slope with its t interval (NAN bounds with fewer than 3
 * points; all NAN when x does not vary), and the intercept. */
static void fit(const struct pts *p, double min_level, struct interval *slope, double *intercept)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, ssr = 0, mx, my, b;
	size_t m = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->level[i] > min_level) {
			sx += p->x[i];
			sy += p->y[i];
			m++;
		}
	*slope = (struct interval){ NAN, NAN, NAN, 0.95 };
	*intercept = NAN;
	if (m < 2)
		return;
	mx = sx / (double)m;
	my = sy / (double)m;
	for (size_t i = 0; i < p->n; i++)
		if (p->level[i] > min_level) {
			sxx += (p->x[i] - mx) * (p->x[i] - mx);
			sxy += (p->x[i] - mx) * (p->y[i] - my);
		}
	if (!(sxx > 0))
		return;
	b = sxy / sxx;
	slope->mid = b;
	*intercept = my - b * mx;
	if (m < 3)
		return;
	for (size_t i = 0; i < p->n; i++)
		if (p->level[i] > min_level) {
			double e = p->y[i] - (*intercept + b * p->x[i]);

			ssr += e * e;
		}
	{
		double half = stats_t975((double)(m - 2)) * sqrt(ssr / (double)(m - 2) / sxx);

		slope->lo = b - half;
		slope->hi = b + half;
	}
}

/* The slowdowns at level l, into out (room for p->n); returns how many. */
static size_t at_level(const struct pts *p, double l, double *out)
{
	size_t k = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->level[i] == l)
			out[k++] = p->y[i];
	return k;
}

/* The lowest level above l, or NAN. */
static double next_level(const struct pts *p, double l)
{
	double best = NAN;

	for (size_t i = 0; i < p->n; i++)
		if (p->level[i] > l && (isnan(best) || p->level[i] < best))
			best = p->level[i];
	return best;
}

/* The step from the lowest level l0 to the next, Welch's interval + 1. */
static void step_of(const struct pts *p, double l0, struct interval *ret)
{
	double l1 = next_level(p, l0), *a = xcalloc(p->n, sizeof(double)), *b = xcalloc(p->n, sizeof(double));
	size_t na = at_level(p, l0, a), nb = isnan(l1) ? 0 : at_level(p, l1, b);

	stats_mean_diff(a, na, b, nb, ret);
	ret->mid += 1;
	ret->lo += 1;
	ret->hi += 1;
	ret->level = 0.95;
	free(a);
	free(b);
}

static struct interval scaled(struct interval iv, double k)
{
	return (struct interval){ iv.mid * k, iv.lo * k, iv.hi * k, iv.level };
}

/* The shape from the slope's rise, the step and the tail's rise. */
static enum bandit_shape shape_of(const struct bandit_curve *c, const struct interval *tail,
				  const struct bandit_limits *lim)
{
	int step_clears = !isnan(c->step.lo) && c->step.lo >= lim->step_min;
	int tail_flat = !isnan(tail->lo) && tail->lo > -lim->rise_min && tail->hi < lim->rise_min;

	if (isnan(c->rise.lo))
		return BS_UNSEPARATED;
	if (step_clears && tail_flat)
		return BS_STEP;
	if (c->rise.lo >= lim->rise_min)
		return BS_RISING;
	if (c->rise.lo > -lim->rise_min && c->rise.hi < lim->rise_min && !step_clears)
		/* flat, but only if the co-runners could have starved it */
		return c->max_taken < c->reach ? BS_UNSEPARATED : BS_FLAT;
	return BS_UNSEPARATED;
}

/* The shape in words, with the figures that decided it. */
static void describe(struct bandit_curve *c, const struct bandit_limits *lim)
{
	if (isnan(c->rise.lo))
		snprintf(c->note, sizeof(c->note),
			 "unseparated: %d run%s at %d level%s%s give no interval for the slope: run more repetitions",
			 c->points, c->points == 1 ? "" : "s", c->levels, c->levels == 1 ? "" : "s",
			 isnan(c->slope.mid) ? " (the co-runners took the same bandwidth at every level)" : "");
	else if (c->shape == BS_RISING)
		snprintf(c->note, sizeof(c->note),
			 "rising: slowdown %.3g [%.3g, %.3g] per GB/s taken, %+.0f%% [%+.0f%%, %+.0f%%] across the %.1f GB/s "
			 "taken: lives on bandwidth", c->slope.mid, c->slope.lo, c->slope.hi, c->rise.mid * 100,
			 c->rise.lo * 100, c->rise.hi * 100, c->max_taken);
	else if (c->shape == BS_FLAT)
		snprintf(c->note, sizeof(c->note),
			 "flat: %+.0f%% [%+.0f%%, %+.0f%%] across the %.1f GB/s taken, within %.0f%%: bandwidth taken "
			 "hardly slows it", c->rise.mid * 100, c->rise.lo * 100, c->rise.hi * 100, c->max_taken,
			 lim->rise_min * 100);
	else if (c->max_taken < c->reach && c->rise.lo > -lim->rise_min && c->rise.hi < lim->rise_min)
		snprintf(c->note, sizeof(c->note),
			 "unseparated: flat (%+.0f%% [%+.0f%%, %+.0f%%]), but the %d free core%s took at most %.1f GB/s, "
			 "below the %.1f GB/s the ceiling leaves beside %d worker%s streaming: no curve could rise here",
			 c->rise.mid * 100, c->rise.lo * 100, c->rise.hi * 100, lim->free_cores,
			 lim->free_cores == 1 ? "" : "s", c->max_taken, c->reach, c->n, c->n == 1 ? "" : "s");
	else if (c->shape == BS_STEP)
		snprintf(c->note, sizeof(c->note),
			 "step: %.2fx [%.2f, %.2f] at the first level, then flat: hurt by the co-runners' cache eviction, "
			 "not by the bandwidth they take", c->step.mid, c->step.lo, c->step.hi);
	else
		snprintf(c->note, sizeof(c->note),
			 "unseparated: on %d cores, the %d left to co-runners and %d run%s cannot separate a rising curve "
			 "from a flat one: %+.0f%% [%+.0f%%, %+.0f%%] across the %.1f GB/s taken, an interval %.0f%% wide, "
			 "not clear of %.0f%% either way", c->n + lim->free_cores, lim->free_cores, c->points,
			 c->points == 1 ? "" : "s", c->rise.mid * 100, c->rise.lo * 100, c->rise.hi * 100, c->max_taken,
			 (c->rise.hi - c->rise.lo) * 100, lim->rise_min * 100);
}

/* The points of worker count n, slowdown over the lowest level's median. */
static int gather(const struct bandit_obs *obs, size_t nobs, int n, struct pts *p, double *ret_l0,
		  double *ret_base)
{
	double l0 = INFINITY, *w;
	struct summary s;
	size_t nw = 0;

	p->x = xcalloc(nobs + 1, sizeof(double));
	p->y = xcalloc(nobs + 1, sizeof(double));
	p->level = xcalloc(nobs + 1, sizeof(double));
	p->n = 0;
	for (size_t i = 0; i < nobs; i++)
		if (obs[i].n == n && !isnan(obs[i].taken_gbps) && obs[i].wall > 0 && obs[i].level < l0)
			l0 = obs[i].level;
	if (isinf(l0))
		return -ENOENT;
	w = xcalloc(nobs, sizeof(double));
	for (size_t i = 0; i < nobs; i++)
		if (obs[i].n == n && !isnan(obs[i].taken_gbps) && obs[i].wall > 0 && obs[i].level == l0)
			w[nw++] = obs[i].wall;
	stats_summary(w, nw, &s);
	free(w);
	for (size_t i = 0; i < nobs; i++)
		if (obs[i].n == n && !isnan(obs[i].taken_gbps) && obs[i].wall > 0) {
			p->x[p->n] = obs[i].taken_gbps;
			p->y[p->n] = obs[i].wall / s.median.mid;
			p->level[p->n++] = obs[i].level;
		}
	*ret_l0 = l0;
	*ret_base = s.median.mid;
	return 0;
}

static void pts_free(struct pts *p)
{
	free(p->x);
	free(p->y);
	free(p->level);
}

/* How many distinct levels p has. */
static int distinct_levels(const struct pts *p)
{
	int k = 0;

	for (double l = -1; !isnan(l = next_level(p, l));)
		k++;
	return k;
}

int bandit_fit(const struct bandit_obs *obs, size_t nobs, int n, const struct bandit_limits *lim,
	       struct bandit_curve *ret)
{
	struct pts p;
	struct interval tail;
	double l0, tail_icpt;
	int r = gather(obs, nobs, n, &p, &l0, &ret->base_wall);

	if (r < 0) {
		pts_free(&p);
		return r;
	}
	ret->n = n;
	ret->reach = lim->reach_gbps > 0 ? lim->reach_gbps : NAN;
	ret->points = (int)p.n;
	ret->levels = distinct_levels(&p);
	ret->max_taken = 0;
	for (size_t i = 0; i < p.n; i++)
		ret->max_taken = fmax(ret->max_taken, p.x[i]);
	fit(&p, -1, &ret->slope, &ret->intercept);
	ret->rise = scaled(ret->slope, ret->max_taken);
	step_of(&p, l0, &ret->step);
	fit(&p, l0, &tail, &tail_icpt);
	tail = scaled(tail, ret->max_taken);
	ret->shape = shape_of(ret, &tail, lim);
	describe(ret, lim);
	pts_free(&p);
	return 0;
}

/* The co-runners' reach at n on a machine of cores (bandit_limits); NAN
 * when a ceiling is unknown. */
static double reach(const double *ceiling_gbps, int cores, int n)
{
	if (!ceiling_gbps || n < 1 || n >= cores || !(ceiling_gbps[cores] > 0) || !(ceiling_gbps[n] > 0))
		return NAN;
	return ceiling_gbps[cores] - ceiling_gbps[n];
}

void bandit_curves(const struct bandit_obs *obs, size_t nobs, int cores, const double *ceiling_gbps,
		   double rise_min, double step_min, struct bandit_curve **ret, size_t *ret_n)
{
	struct bandit_curve *c = NULL;
	size_t k = 0;
	int last = 0;

	for (;;) {
		int n = 0;

		for (size_t i = 0; i < nobs; i++)
			if (obs[i].n > last && (n == 0 || obs[i].n < n))
				n = obs[i].n;
		if (n == 0)
			break;
		c = xreallocarray(c, k + 1, sizeof(*c));
		memset(&c[k], 0, sizeof(c[k]));
		if (bandit_fit(obs, nobs, n, &(struct bandit_limits){ rise_min, step_min, cores - n, reach(ceiling_gbps, cores, n) },
			       &c[k]) == 0)
			k++;
		last = n;
	}
	if (k == 0) {
		free(c);
		c = NULL;
	}
	*ret = c;
	*ret_n = k;
}
