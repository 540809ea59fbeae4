/* test-bandit.c: the graded bandit's curves (analysis/bandit.c) on runs
 * made by hand, without a database: a flat curve, a rising one, a step at
 * the first level, noisy runs that cannot be told apart, too few runs,
 * and several worker counts at once. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/bandit.h"
#include "base/util.h"
#include "tap.h"

static const double levels[] = { 0, 0.25, 0.5, 0.75, 1 };
static const struct bandit_limits lim = { 0.10, 1.10, 1, NAN };

static int near(double got, double want, double tol)
{
	if (fabs(got - want) <= tol)
		return 1;
	printf("#   got %.6g, want %.6g (+- %g)\n", got, want, tol);
	return 0;
}

/* 3 repetitions of the 5 levels at 1 worker: the co-runner takes 8 GB/s
 * x level; the wall is wall(level, rep). */
static size_t make(struct bandit_obs *o, double (*wall)(double taken, int rep))
{
	size_t k = 0;

	for (int rep = 0; rep < 3; rep++)
		for (size_t i = 0; i < ARRAY_SIZE(levels); i++, k++)
			o[k] = (struct bandit_obs){ 1, levels[i], 8 * levels[i], wall(8 * levels[i], rep) };
	return k;
}

/* a little deterministic jitter: -1%, 0, +1% by repetition */
static double jitter(int rep)
{
	return 1 + 0.01 * (rep - 1);
}

static double flat_wall(double taken, int rep)
{
	return 2.0 * jitter(rep);
}

static double rising_wall(double taken, int rep)
{
	return 2.0 * (1 + 0.05 * taken) * jitter(rep); /* 0.05 per GB/s: +40% across 8 GB/s */
}

static double step_wall(double taken, int rep)
{
	return 2.0 * (taken > 0 ? 1.3 : 1) * jitter(rep);
}

static double noisy_wall(double taken, int rep)
{
	static const double noise[] = { 0.80, 1.25, 0.95, 1.10, 0.90 };

	return 2.0 * (1 + 0.01 * taken) * noise[(int)(taken / 2 + rep * 2) % 5];
}

static void check(const char *what, double (*wall)(double, int), enum bandit_shape want, struct bandit_curve *c)
{
	struct bandit_obs o[16];
	size_t n = make(o, wall);

	is_int(bandit_fit(o, n, 1, &lim, c), 0, "%s: fitted", what);
	is_str(bandit_shape_name(c->shape), bandit_shape_name(want), "%s: shape (%s)", what, c->note);
	is_int(c->points, 15, "%s: 15 points", what);
	is_int(c->levels, 5, "%s: 5 levels", what);
}

static void test_shapes(void)
{
	struct bandit_curve c;

	check("flat", flat_wall, BS_FLAT, &c);
	ok(near(c.slope.mid, 0, 1e-9) && c.slope.lo < 0 && c.slope.hi > 0, "flat: slope 0 inside its interval");
	ok(near(c.base_wall, 2.0, 1e-9), "flat: the base is the median wall at level 0");
	ok(near(c.max_taken, 8, 1e-9), "flat: 8 GB/s taken at most");

	check("rising", rising_wall, BS_RISING, &c);
	ok(near(c.slope.mid, 0.05, 1e-3), "rising: 0.05 per GB/s");
	ok(c.slope.lo > 0.04 && c.slope.hi < 0.06, "rising: a narrow interval around it [%g, %g]", c.slope.lo, c.slope.hi);
	ok(near(c.intercept, 1, 0.01), "rising: the fit starts at 1");
	ok(near(c.rise.mid, 0.4, 0.01), "rising: +40%% across the curve");
	ok(strstr(c.note, "lives on bandwidth") != NULL, "rising: the note says what it means");

	check("step", step_wall, BS_STEP, &c);
	ok(near(c.step.mid, 1.3, 0.01) && c.step.lo > 1.1, "step: 1.3x at the first level, its interval clear of 1.1");
	ok(c.slope.mid > 0, "step: the fit over all points rises too, but the shape is the step");

	check("noisy", noisy_wall, BS_UNSEPARATED, &c);
	ok(c.rise.hi - c.rise.lo > 0.2, "noisy: a wide interval (%.2f)", c.rise.hi - c.rise.lo);
	ok(strstr(c.note, "on 2 cores, the 1 left to co-runners and 15 runs cannot separate") != NULL,
	   "noisy: the note says why, not a guess: %s", c.note);
}

/* A flat curve whose co-runners took 8 GB/s, where the machine's ceiling
 * is 35 GB/s at 1 worker and 70 on its 2 cores: a workload streaming at
 * the ceiling would still have had 35 GB/s, so flat proves nothing. */
static void test_reach(void)
{
	struct bandit_obs o[16];
	struct bandit_limits far = { 0.10, 1.10, 1, 70 - 35 }, near_ = { 0.10, 1.10, 1, 6 };
	const double ceiling[] = { 0, 35, 70 };
	struct bandit_curve c, *all;
	size_t n = make(o, flat_wall), k;

	is_int(bandit_fit(o, n, 1, &far, &c), 0, "out of reach: fitted");
	is_str(bandit_shape_name(c.shape), "unseparated", "a flat curve the co-runners could not have raised: unseparated");
	ok(strstr(c.note, "took at most 8.0 GB/s, below the 35.0 GB/s") && strstr(c.note, "no curve could rise"),
	   "and the note says why: %s", c.note);
	is_int(bandit_fit(o, n, 1, &near_, &c), 0, "within reach: fitted");
	is_str(bandit_shape_name(c.shape), "flat", "taking more than the reach (6 GB/s), flat stays flat");
	bandit_curves(o, n, 2, ceiling, 0.10, 1.10, &all, &k);
	ok(k == 1 && all[0].shape == BS_UNSEPARATED && near(all[0].reach, 35, 1e-9),
	   "bandit_curves takes the reach from the ceilings: 70 - 35 GB/s");
	free(all);
	make(o, rising_wall);
	is_int(bandit_fit(o, n, 1, &far, &c), 0, "a rising curve out of reach: fitted");
	is_str(bandit_shape_name(c.shape), "rising", "still rising: a rise is evidence however little was taken");
}

static void test_edges(void)
{
	struct bandit_obs o[8] = {
		{ 1, 0, 0, 1.0 }, { 1, 1, 5, 1.2 }, /* two points: a slope without an interval */
		{ 2, 0, 0, 1.0 }, { 2, 1, NAN, 1.1 }, { 2, 0.5, 2, 1.0 }, { 2, 0.5, 2, 1.05 },
		{ 3, 0, 1, 1.0 }, { 3, 1, 1, 1.4 }, /* the co-runners took the same at both levels */
	};
	struct bandit_curve c, *all;
	size_t n;

	is_int(bandit_fit(o, 8, 7, &lim, &c), -ENOENT, "no runs at 7 workers: -ENOENT");
	is_int(bandit_fit(o, 2, 1, &lim, &c), 0, "two points fit");
	ok(near(c.slope.mid, 0.04, 1e-9) && isnan(c.slope.lo), "two points: a slope, no interval");
	is_str(bandit_shape_name(c.shape), "unseparated", "two points: unseparated");
	ok(strstr(c.note, "run more repetitions") != NULL, "and the note asks for more runs: %s", c.note);
	bandit_curves(o, 8, 4, NULL, 0.10, 1.10, &all, &n);
	is_int((int)n, 3, "a curve per worker count");
	ok(n == 3 && all[0].n == 1 && all[1].n == 2 && all[2].n == 3, "by n ascending");
	ok(n == 3 && all[1].points == 3, "a run whose co-runners' rate is unknown is left out");
	ok(n == 3 && isnan(all[2].slope.mid) && strstr(all[2].note, "same bandwidth at every level"),
	   "no slope where the bandwidth taken did not vary");
	free(all);
	bandit_curves(o, 0, 4, NULL, 0.10, 1.10, &all, &n);
	ok(all == NULL && n == 0, "no runs: no curves");
	is_str(bandit_shape_meaning(BS_FLAT), "insensitive to bandwidth", "meanings in words");
}

int main(void)
{
	test_shapes();
	test_edges();
	test_reach();
	return done_testing();
}
