/* stats.c: medians with order-statistic intervals, Welch's interval for a
 * difference of means, and the repetitions an undecided interval needs
 * (see stats.h).
 *
 * The median's interval: for n sorted values x(1)..x(n), [x(k), x(n-k+1)]
 * covers the median with probability 1 - 2 P(B <= k-1), B ~ Binomial(n,
 * 1/2); k is the largest with that at least 95%, or 1 (min..max) when no k
 * reaches it (n < 6), and the level says what it is.
 *
 * Welch (1947): se = sqrt(va/na + vb/nb), df = se^4 / ((va/na)^2/(na-1) +
 * (vb/nb)^2/(nb-1)); the t quantiles are Student's table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/stats.h"
#include "base/util.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The values that are not NAN, sorted, in a fresh array. */
static double *sorted_copy(const double *v, size_t n, size_t *ret_n)
{
	double *s = xcalloc(n ? n : 1, sizeof(double));
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			s[m++] = v[i];
	qsort(s, m, sizeof(double), cmp_double);
	*ret_n = m;
	return s;
}

static double median_sorted(const double *s, size_t n)
{
	return n == 0 ? NAN : n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* P(B <= k) for B ~ Binomial(n, 1/2) */
static double binom_cdf_half(size_t n, size_t k)
{
	double term = pow(0.5, (double)n), sum = 0;

	for (size_t i = 0; i <= k && i <= n; i++) {
		sum += term;
		term = term * (double)(n - i) / (double)(i + 1);
	}
	return sum;
}

static void median_interval(const double *s, size_t n, struct interval *iv)
{
	size_t k = 1;

	iv->mid = median_sorted(s, n);
	iv->lo = iv->hi = iv->level = NAN;
	if (n < 2)
		return;
	/* the largest k (1-based) whose coverage is still >= 95% */
	while (k + 1 <= n / 2 && 1 - 2 * binom_cdf_half(n, k) >= 0.95)
		k++;
	iv->lo = s[k - 1];
	iv->hi = s[n - k];
	iv->level = 1 - 2 * binom_cdf_half(n, k - 1);
}

void stats_summary(const double *v, size_t n, struct summary *ret)
{
	size_t m;
	double *s = sorted_copy(v, n, &m), sum = 0, ss = 0, mad;
	double *dev;

	memset(ret, 0, sizeof(*ret));
	ret->n = m;
	median_interval(s, m, &ret->median);
	ret->min = m ? s[0] : NAN;
	ret->max = m ? s[m - 1] : NAN;
	for (size_t i = 0; i < m; i++)
		sum += s[i];
	ret->mean = m ? sum / (double)m : NAN;
	for (size_t i = 0; i < m; i++)
		ss += (s[i] - ret->mean) * (s[i] - ret->mean);
	ret->sd = m > 1 ? sqrt(ss / (double)(m - 1)) : NAN;
	dev = xcalloc(m ? m : 1, sizeof(double));
	for (size_t i = 0; i < m; i++)
		dev[i] = fabs(s[i] - ret->median.mid);
	qsort(dev, m, sizeof(double), cmp_double);
	mad = median_sorted(dev, m);
	ret->mad = mad;
	for (size_t i = 0; m >= 3 && i < m; i++)
		ret->outliers += stats_is_outlier(s[i], ret);
	free(dev);
	free(s);
}

int stats_is_outlier(double x, const struct summary *s)
{
	double limit = 3 * 1.4826 * s->mad;

	if (limit < 0.05 * fabs(s->median.mid))
		limit = 0.05 * fabs(s->median.mid);
	return s->n >= 3 && fabs(x - s->median.mid) > limit;
}

/* Student's t, two-sided 95% (the 97.5% quantile), by degrees of freedom */
static const struct {
	double df, t;
} t_table[] = {
	{ 1, 12.706 }, { 2, 4.303 }, { 3, 3.182 }, { 4, 2.776 }, { 5, 2.571 }, { 6, 2.447 }, { 7, 2.365 },
	{ 8, 2.306 }, { 9, 2.262 }, { 10, 2.228 }, { 12, 2.179 }, { 15, 2.131 }, { 20, 2.086 }, { 30, 2.042 },
	{ 60, 2.000 }, { 120, 1.980 }, { INFINITY, 1.960 },
};

double stats_t975(double df)
{
	if (!(df > 1))
		return t_table[0].t;
	for (size_t i = 1; i < ARRAY_SIZE(t_table); i++)
		if (df <= t_table[i].df) {
			double d0 = t_table[i - 1].df, d1 = t_table[i].df, f;

			if (isinf(d1))
				return t_table[i].t;
			f = (df - d0) / (d1 - d0);
			return t_table[i - 1].t + f * (t_table[i].t - t_table[i - 1].t);
		}
	return 1.960;
}

void stats_mean_diff(const double *a, size_t na, const double *b, size_t nb, struct interval *ret)
{
	struct summary sa, sb;
	double qa, qb, se, df;

	stats_summary(a, na, &sa);
	stats_summary(b, nb, &sb);
	ret->mid = sa.n && sb.n ? sb.mean - sa.mean : NAN;
	ret->lo = ret->hi = ret->level = NAN;
	if (sa.n < 2 || sb.n < 2)
		return;
	qa = sa.sd * sa.sd / (double)sa.n;
	qb = sb.sd * sb.sd / (double)sb.n;
	se = sqrt(qa + qb);
	ret->level = 0.95;
	if (se == 0) {
		ret->lo = ret->hi = ret->mid;
		return;
	}
	df = (qa + qb) * (qa + qb) / (qa * qa / (double)(sa.n - 1) + qb * qb / (double)(sb.n - 1));
	ret->lo = ret->mid - stats_t975(df) * se;
	ret->hi = ret->mid + stats_t975(df) * se;
}

int stats_runs_to_clear(const struct interval *iv, double threshold, int runs_now)
{
	double half, gap, want;

	if (isnan(iv->lo) || isnan(iv->hi) || iv->lo >= threshold || iv->hi < threshold)
		return 0;
	half = (iv->hi - iv->lo) / 2;
	gap = fabs(iv->mid - threshold);
	if (gap < half * 0.05)
		return -1;
	want = ceil((double)(runs_now > 0 ? runs_now : 1) * (half / gap) * (half / gap));
	return want > 1000 ? -1 : (int)want;
}
