/* stack.c: the speedup stack (see stack.h).
 *
 * One run reserved n cores (n worker slots) for its wall time W: n x W
 * core-seconds. Of those, user + kernel were CPU time of the run's threads
 * and children; the rest, unused = n x W - cpu, was
 *   waiting: min(unused, run-queue wait of every thread and child + time
 *            the hypervisor stole from the reserved CPUs): runnable, not
 *            running (others' use of a reserved core the run did not want
 *            is not waiting: it is host noise, reported beside);
 *   idle:    unused - waiting: nothing of the run wanted the core;
 * and when cpu exceeds n x W (time before the barrier counted, threads on
 * other CPUs) the excess is a negative remainder, shown, not hidden. So
 * user + kernel + waiting + idle + remainder = n x W exactly, per run, and
 * the differences of their means from 1 worker to n add up to the lost
 * time exactly. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stack.h"
#include "model/stats.h"
#include "base/util.h"

void stack_split_run(const struct srun *r, double comp[SC_COUNT])
{
	double units = r->units > 0 ? r->units : 1, cpu = r->user + r->kernel, unused = r->n * r->wall - cpu;
	double wait = 0, free_time = unused > 0 ? unused : 0;

	if (!isnan(r->delay))
		wait += r->delay;
	if (!isnan(r->steal))
		wait += r->steal;
	if (wait > free_time)
		wait = free_time;
	comp[SC_USER] = r->user / units;
	comp[SC_KERNEL] = r->kernel / units;
	comp[SC_WAITING] = wait / units;
	comp[SC_IDLE] = (free_time - wait) / units;
	comp[SC_REMAINDER] = (unused < 0 ? unused : 0) / units;
}

static int usable(const struct srun *r)
{
	return r->n > 0 && r->wall > 0 && !isnan(r->user) && !isnan(r->kernel);
}

/* The per-run values of one point, gathered: a column per component,
 * then the others below, one row per usable run. */
enum { COL_COST = SC_COUNT, COL_WALL, COL_BUSY, COL_PSI, COL_WAIT, COL_SERIAL, COL_AMDAHL, NCOL };

struct sample {
	double *col[NCOL];
	size_t n;
	int outliers;   /* left out: see sample_trim */
};

static void sample_gather(const struct srun *runs, size_t nruns, int n, struct sample *s)
{
	memset(s, 0, sizeof(*s));
	for (int c = 0; c < NCOL; c++)
		s->col[c] = xcalloc(nruns ? nruns : 1, sizeof(double));
	for (size_t i = 0; i < nruns; i++) {
		const struct srun *r = &runs[i];
		double row[NCOL];

		if (r->n != n || !usable(r))
			continue;
		stack_split_run(r, row);
		row[COL_COST] = r->n * r->wall / (r->units > 0 ? r->units : 1);
		row[COL_WALL] = r->wall;
		row[COL_BUSY] = isnan(r->others) ? NAN : r->others / (r->n * r->wall);
		/* the pressure stall is the host's, the run's own waiting
		 * included: only what that waiting cannot explain is others' */
		row[COL_PSI] = isnan(r->psi_cpu) ? NAN : fmax(0, r->psi_cpu - (isnan(r->delay) ? 0 : r->delay)) / r->wall;
		row[COL_WAIT] = r->user + r->kernel > 0 ? r->delay / (r->user + r->kernel) : NAN;
		/* the last tick ends at the last exit's reading, a little after
		 * the wall time ends: a phase is at most the run */
		row[COL_SERIAL] = isnan(r->serial) || r->serial < r->wall ? r->serial : r->wall;
		/* not fmin: it would turn an unknown into 1 */
		row[COL_AMDAHL] = r->user + r->kernel > 0 && !isnan(r->serial_cpu)
			? (r->serial_cpu < r->user + r->kernel ? r->serial_cpu / (r->user + r->kernel) : 1) : NAN;
		for (int c = 0; c < NCOL; c++)
			s->col[c][s->n] = row[c];
		s->n++;
	}
}

static void sample_free(struct sample *s)
{
	for (int c = 0; c < NCOL; c++)
		free(s->col[c]);
}

/* Leaves out the runs whose cost is an outlier (stats_is_outlier), as
 * long as two remain: one run disturbed by the host must not make every
 * interval too wide to decide anything. They are counted, not hidden. */
static void sample_trim(struct sample *s)
{
	struct summary sum;
	size_t keep = 0;

	stats_summary(s->col[COL_COST], s->n, &sum);
	if (!sum.outliers || s->n - sum.outliers < 2)
		return;
	/* keep <= i: a row is read before its place is written */
	for (size_t i = 0; i < s->n; i++) {
		if (stats_is_outlier(s->col[COL_COST][i], &sum))
			continue;
		for (int c = 0; c < NCOL; c++)
			s->col[c][keep] = s->col[c][i];
		keep++;
	}
	s->outliers = (int)(s->n - keep);
	s->n = keep;
}

static double mean_of(const double *v, size_t n)
{
	struct summary s;

	stats_summary(v, n, &s);
	return s.mean;
}

static void build_point(const struct sample *one, const struct sample *at, int n, struct stack_point *p)
{
	struct summary wall;
	double speedup;

	memset(p, 0, sizeof(*p));
	p->n = n;
	p->runs = (int)at->n + at->outliers;
	p->runs1 = (int)one->n + one->outliers;
	p->cost1 = mean_of(one->col[COL_COST], one->n);
	p->cost = mean_of(at->col[COL_COST], at->n);
	stats_mean_diff(one->col[COL_COST], one->n, at->col[COL_COST], at->n, &p->lost);
	for (int c = 0; c < SC_COUNT; c++) {
		stats_mean_diff(one->col[c], one->n, at->col[c], at->n, &p->comp[c]);
		p->share[c] = p->lost.mid > 0 ? p->comp[c].mid / p->lost.mid : NAN;
	}
	/* efficiency = cost1 / cost: its interval from the lost time's */
	p->efficiency.mid = p->cost1 / p->cost;
	p->efficiency.level = p->lost.level;
	p->efficiency.lo = p->cost1 / (p->cost1 + p->lost.hi);
	p->efficiency.hi = p->lost.lo > -p->cost1 ? p->cost1 / (p->cost1 + p->lost.lo) : INFINITY;
	if (isnan(p->lost.lo))
		p->efficiency.lo = p->efficiency.hi = NAN;
	stats_summary(at->col[COL_WALL], at->n, &wall);
	p->wall = wall.median;
	p->wall_min = wall.min;
	p->wall_max = wall.max;
	p->outliers = at->outliers;
	p->outliers1 = one->outliers;
	p->wait_ratio = mean_of(at->col[COL_WAIT], at->n);
	speedup = p->efficiency.mid * n;
	p->serial_fraction = n > 1 && speedup > 0 ? (1 / speedup - 1.0 / n) / (1 - 1.0 / n) : NAN;
	p->serial_phase = mean_of(at->col[COL_SERIAL], at->n);
	p->amdahl = mean_of(at->col[COL_AMDAHL], at->n);
	p->host_busy = mean_of(at->col[COL_BUSY], at->n);
	p->psi_cpu_share = mean_of(at->col[COL_PSI], at->n);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

void stack_build(const struct srun *runs, size_t nruns, struct stack_point **ret, size_t *ret_n)
{
	int *ns = xcalloc(nruns ? nruns : 1, sizeof(int));
	size_t nn = 0;
	struct sample one;

	*ret = NULL;
	*ret_n = 0;
	for (size_t i = 0; i < nruns; i++)
		if (runs[i].n > 1 && usable(&runs[i]))
			ns[nn++] = runs[i].n;
	qsort(ns, nn, sizeof(int), cmp_int);
	sample_gather(runs, nruns, 1, &one);
	sample_trim(&one);
	for (size_t i = 0; one.n && i < nn; i++) {
		struct sample at;

		if (i > 0 && ns[i] == ns[i - 1])
			continue;
		sample_gather(runs, nruns, ns[i], &at);
		sample_trim(&at);
		*ret = xreallocarray(*ret, *ret_n + 1, sizeof(**ret));
		build_point(&one, &at, ns[i], &(*ret)[(*ret_n)++]);
		sample_free(&at);
	}
	sample_free(&one);
	free(ns);
}

double stack_amdahl_bound(const struct stack_point *p)
{
	return isnan(p->amdahl) ? NAN : 1 / (p->n * p->amdahl + 1 - p->amdahl);
}

int stack_serial_text(const struct stack_point *p, char *buf, size_t len)
{
	if (isnan(p->serial_phase))
		return snprintf(buf, len, "serial fraction %.2f (Karp-Flatt)", p->serial_fraction);
	return snprintf(buf, len,
			"serial phase %.2f s of %.2f s (timeline: one core busy), Amdahl's f %.2f caps efficiency at %.2f;"
			" serial fraction %.2f (Karp-Flatt)",
			p->serial_phase, p->wall.mid, p->amdahl, stack_amdahl_bound(p), p->serial_fraction);
}
