/* report.c: the result table of a campaign, its runs and a run's timeline
 * (see report.h), formatted as text, CSV or JSON. Everything shown is read
 * by the store (store/reports.h, store/verdicts.h) through the database's
 * views, so what is printed is what a user finds in the database; this file
 * only judges (verdict.h) and formats.
 *
 * Sections: formatting helpers; the text table; CSV; metrics and
 * verdicts; JSON; the report; the plot and the stored verdicts; runs;
 * the timeline. */
#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/plot.h"
#include "analysis/report.h"
#include "analysis/intervene.h"
#include "analysis/profevidence.h"
#include "analysis/stackview.h"
#include "analysis/verdict.h"
#include "base/util.h"
#include "store/reports.h"
#include "store/verdicts.h"

/* ---- formatting helpers --------------------------------------------------- */

static void fmt_fixed(double v, int prec, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.*f", prec, v);
}

static void fmt_pct(double v, char *buf, size_t len)
{
	fmt_fixed(isnan(v) ? v : v * 100, 0, buf, len);
}

/* task-clock and cpu-clock count nanoseconds: shown in seconds */
static void fmt_event(const struct report_event *col, double v, char *buf, size_t len)
{
	size_t nl = strlen(col->name);

	if (!col->counted)
		snprintf(buf, len, "n/s");
	else if (!isnan(v) && nl > 6 && strcmp(col->name + nl - 6, "-clock") == 0)
		snprintf(buf, len, "%.3fs", v / 1e9);
	else
		format_count(v, buf, len);
}

/* an event column's width in the text table */
static int event_width(const struct report_event *col)
{
	return (int)(strlen(col->name) > 7 ? strlen(col->name) : 7);
}

static int any_interference(const struct report_table *t)
{
	for (size_t i = 0; i < t->nrows; i++)
		for (int k = 0; k < 3; k++)
			if (!isnan(t->rows[i].slowdown[k]))
				return 1;
	return 0;
}

/* The verdict's medians of a (workload, N), or NULL when it has no ok run. */
static const struct vpoint *find_point(const struct vinput *in, size_t nin, const char *workload, int n)
{
	for (size_t w = 0; w < nin; w++)
		if (strcmp(in[w].workload, workload) == 0)
			for (size_t k = 0; k < in[w].npts; k++)
				if (in[w].pts[k].n == n)
					return &in[w].pts[k];
	return NULL;
}

static void csv_num(FILE *out, double v)
{
	if (!isnan(v))
		fprintf(out, "%.9g", v);
}

/* ---- the text table ------------------------------------------------------- */

static void text_header(FILE *out, const struct report_table *t, int wname, int intf)
{
	fprintf(out, "%-*s  %-6s  %3s  %4s  %9s  %7s  %7s  %6s  %7s  %5s  %-12s  %8s", wname, "workload", "mode", "N",
		"runs", "wall_s", "spread", "speedup", "effic", "bw_GB/s", "ceil%", "bw_source", "wset/LLC");
	for (size_t e = 0; e < t->nevents; e++)
		fprintf(out, "  %*s", event_width(&t->events[e]), t->events[e].name);
	if (intf)
		fprintf(out, "  %7s  %10s  %8s", "slow:bw", "slow:cache", "slow:cpu");
	fputc('\n', out);
}

/* A row's wall-time spread: half the range over the median, "+-1.2%" (as
 * perf stat writes its spread). */
static void fmt_spread(const struct vinput *in, int n, char *buf, size_t len)
{
	struct summary s;

	stackview_wall(in, n, &s);
	if (s.n < 2 || !(s.median.mid > 0))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "+-%.1f%%", (s.max - s.min) / 2 / s.median.mid * 100);
}

static void text_row(FILE *out, const struct report_table *t, const struct report_row *r, const struct vinput *in,
		     int wname, int intf)
{
	char b[6][32], spread[32];

	fmt_fixed(r->wall, 3, b[0], sizeof(b[0]));
	fmt_fixed(r->speedup, 2, b[1], sizeof(b[1]));
	fmt_fixed(r->efficiency, 2, b[2], sizeof(b[2]));
	fmt_fixed(r->gbps, 2, b[3], sizeof(b[3]));
	fmt_fixed(r->ceiling * 100, 0, b[4], sizeof(b[4]));
	fmt_fixed(r->cache_load, 2, b[5], sizeof(b[5]));
	fmt_spread(in, r->n, spread, sizeof(spread));
	fprintf(out, "%-*s  %-6s  %3d  %4d  %9s  %7s  %7s  %6s  %7s  %5s  %-12s  %8s", wname, r->workload, r->mode, r->n,
		r->runs, b[0], spread, b[1], b[2], b[3], b[4], r->bw_source ? r->bw_source : "-", b[5]);
	for (size_t e = 0; e < t->nevents; e++) {
		char v[32];

		fmt_event(&t->events[e], r->ev ? r->ev[e] : NAN, v, sizeof(v));
		fprintf(out, "  %*s", event_width(&t->events[e]), v);
	}
	if (intf) {
		for (int k = 0; k < 3; k++)
			fmt_fixed(r->slowdown[k], 2, b[k], sizeof(b[k]));
		fprintf(out, "  %7s  %10s  %8s", b[0], b[1], b[2]);
	}
	if (r->not_ok)
		fprintf(out, "  (%d run%s not ok)", r->not_ok, r->not_ok > 1 ? "s" : "");
	fputc('\n', out);
}

/* What the columns mean, what was not counted, and the bandwidth notes. */
static void text_legend(FILE *out, const struct report_table *t, int intf)
{
	fprintf(out, "\nwall_s: median wall time of the ok runs; spread: half their range, of the median;"
		     " events: per-worker medians.\n"
		     "copies: speedup = N x T1/TN, efficiency = T1/TN; team: speedup = T1/TN, efficiency = speedup/N.\n"
		     "bw_GB/s: median memory traffic of all sockets; ceil%%: of this machine's measured ceiling at N.\n"
		     "wset/LLC: workers x a builtin's working set / this machine's measured usable last-level cache.\n");
	if (intf)
		fprintf(out, "slow:X: median wall beside the X co-runner on the free cores / wall alone.\n");
	for (size_t e = 0; e < t->nevents; e++)
		if (!t->events[e].counted)
			fprintf(out, "n/s: %s not counted: %s\n", t->events[e].name,
				t->events[e].reason ? t->events[e].reason : "no value");
	for (size_t i = 0; i < t->nnotes; i++)
		fprintf(out, "bandwidth (%s): %s\n", t->notes[i].source, t->notes[i].reason);
}

static const struct vinput *find_input(const struct vinput *in, size_t nin, const char *workload)
{
	for (size_t i = 0; i < nin; i++)
		if (strcmp(in[i].workload, workload) == 0)
			return &in[i];
	return NULL;
}

static void print_text(FILE *out, const struct report_table *t, const struct vinput *in, size_t nin)
{
	int wname = 8, intf = any_interference(t);

	for (size_t i = 0; i < t->nrows; i++)
		if ((int)strlen(t->rows[i].workload) > wname)
			wname = (int)strlen(t->rows[i].workload);
	text_header(out, t, wname, intf);
	for (size_t i = 0; i < t->nrows; i++)
		text_row(out, t, &t->rows[i], find_input(in, nin, t->rows[i].workload), wname, intf);
	text_legend(out, t, intf);
}

/* ---- CSV ------------------------------------------------------------------ */

/* The stack point of v at n, or NULL. */
static const struct stack_point *stack_at(const struct verdict *v, int n)
{
	for (size_t i = 0; v && i < v->nstack; i++)
		if (v->stack[i].n == n)
			return &v->stack[i];
	return NULL;
}

static const struct verdict *find_verdict(const struct verdict *v, size_t nv, const char *workload)
{
	for (size_t i = 0; i < nv; i++)
		if (strcmp(v[i].workload, workload) == 0)
			return &v[i];
	return NULL;
}

/* verdict, confidence, memory_bandwidth, then the spread: wall_s_min,
 * wall_s_max, wall_s_lo, wall_s_hi, wall_s_level, efficiency_lo,
 * efficiency_hi, lost_core_s_per_unit */
static void csv_verdict_cols(FILE *out, const struct report_row *r, const struct verdict *v,
			     const struct vinput *in)
{
	const struct stack_point *p = stack_at(v, r->n);
	struct summary s;
	double spread[8];

	if (v)
		fprintf(out, ",%s,%s,%s", v->verdict, v->confidence, hyp_status_name(v->hyp[H_BANDWIDTH].status));
	else
		fputs(",,,", out);
	stackview_wall(in, r->n, &s);
	spread[0] = s.min;
	spread[1] = s.max;
	spread[2] = s.median.lo;
	spread[3] = s.median.hi;
	spread[4] = s.median.level;
	spread[5] = p ? p->efficiency.lo : NAN;
	spread[6] = p ? p->efficiency.hi : NAN;
	spread[7] = p ? p->lost.mid : NAN;
	for (size_t k = 0; k < ARRAY_SIZE(spread); k++) {
		fputc(',', out);
		csv_num(out, spread[k]);
	}
}

static void csv_row(FILE *out, const struct report_table *t, const struct report_row *r, const struct verdict *v,
		    const struct vinput *in)
{
	const double before_source[] = { r->wall, r->speedup, r->efficiency, r->gbps, r->ceiling };

	csv_field(out, r->workload);
	fprintf(out, ",%s,%d,%d,%d", r->mode, r->n, r->runs, r->not_ok);
	for (size_t k = 0; k < ARRAY_SIZE(before_source); k++) {
		fputc(',', out);
		csv_num(out, before_source[k]);
	}
	fputc(',', out);
	csv_field(out, r->bw_source ? r->bw_source : "");
	for (int k = 0; k < 3; k++) {
		fputc(',', out);
		csv_num(out, r->slowdown[k]);
	}
	fputc(',', out);
	csv_num(out, r->cache_load);
	csv_verdict_cols(out, r, v, in);
	for (size_t e = 0; e < t->nevents; e++) {
		fputc(',', out);
		csv_num(out, r->ev ? r->ev[e] : NAN);
	}
	fputc('\n', out);
}

static void print_csv(FILE *out, const struct report_table *t, const struct verdict *v, const struct vinput *in,
		      size_t nv)
{
	fputs("workload,mode,n_workers,runs_ok,runs_not_ok,median_wall_s,speedup,efficiency,gb_per_s,"
	      "ceiling_fraction,bandwidth_source,slowdown_bandwidth,slowdown_cache,slowdown_cpu,working_set_per_llc,"
	      "verdict,confidence,memory_bandwidth,wall_s_min,wall_s_max,wall_s_lo,wall_s_hi,wall_s_level,"
	      "efficiency_lo,efficiency_hi,lost_core_s_per_unit", out);
	for (size_t e = 0; e < t->nevents; e++) {
		fputc(',', out);
		csv_field(out, t->events[e].name);
	}
	fputc('\n', out);
	for (size_t i = 0; i < t->nrows; i++)
		csv_row(out, t, &t->rows[i], find_verdict(v, nv, t->rows[i].workload),
			find_input(in, nv, t->rows[i].workload));
}

/* ---- metrics and verdicts ------------------------------------------------- */

/* The medians the verdicts weigh, per workload and N. */
static void print_metrics(FILE *out, const struct vinput *in, size_t nin)
{
	int wname = 8;

	for (size_t i = 0; i < nin; i++)
		if ((int)strlen(in[i].workload) > wname)
			wname = (int)strlen(in[i].workload);
	fprintf(out, "\nmetrics: medians of the ok runs (the run_metrics view)\n");
	fprintf(out, "%-*s  %3s  %10s  %7s  %12s  %12s  %9s  %5s  %8s\n", wname, "workload", "N", "cores_busy", "kernel%",
		"faults/cpu-s", "switch/cpu-ms", "run_delay", "IPC", "LLC_MPKI");
	for (size_t i = 0; i < nin; i++)
		for (size_t k = 0; k < in[i].npts; k++) {
			const struct vpoint *p = &in[i].pts[k];
			char b[7][32];

			if (p->runs == 0)
				continue;
			fmt_fixed(p->cpu_util, 2, b[0], sizeof(b[0]));
			fmt_pct(p->kernel_share, b[1], sizeof(b[1]));
			format_count(p->faults_per_cpu_s, b[2], sizeof(b[2]));
			fmt_fixed(p->switches_per_cpu_ms, 2, b[3], sizeof(b[3]));
			fmt_fixed(p->run_delay_ratio, 3, b[4], sizeof(b[4]));
			fmt_fixed(p->ipc, 2, b[5], sizeof(b[5]));
			fmt_fixed(p->mpki, 2, b[6], sizeof(b[6]));
			fprintf(out, "%-*s  %3d  %10s  %7s  %12s  %13s  %9s  %5s  %8s\n", wname, in[i].workload, p->n, b[0],
				b[1], b[2], b[3], b[4], b[5], b[6]);
		}
	fprintf(out, "cores_busy: CPU time / wall (summed over workers and a team's threads); kernel%%: of CPU time;\n"
		     "run_delay: run-queue wait per CPU-second; IPC and LLC_MPKI need a hardware PMU.\n");
}

static void format_evidence_value(const struct evidence *e, char *buf, size_t len)
{
	if (isnan(e->value))
		snprintf(buf, len, "-");
	else if (fabs(e->value) >= 1000)
		format_count(e->value, buf, len);
	else
		snprintf(buf, len, "%.3g", e->value);
}

/* One hypothesis of a verdict: its status, and each figure it weighed. */
static void print_hypothesis(FILE *out, const struct verdict *v, enum hypothesis h)
{
	const struct hyp_result *hr = &v->hyp[h];

	fprintf(out, "  %-16s  %s", hypothesis_name(h), hyp_status_name(hr->status));
	if (hr->status == HS_UNTESTABLE && h == H_BANDWIDTH)
		fprintf(out, " (why: the memory-bandwidth line)");
	else if (hr->status == HS_UNTESTABLE || hr->status == HS_UNCLEAR)
		fprintf(out, ": %s", hr->reason);
	fputc('\n', out);
	for (size_t k = 0; k < v->nev; k++) {
		const struct evidence *e = &v->ev[k];
		char val[32];

		if (e->hyp != h)
			continue;
		format_evidence_value(e, val, sizeof(val));
		fprintf(out, "    %-7s  %s = %s at N=%d%s%s%s: %s\n", stance_name(e->stance), e->figure, val, e->n,
			e->threshold[0] ? " (" : "", e->threshold, e->threshold[0] ? ")" : "", e->note);
	}
}

/* One line per bandit curve of v: "bandit (1 worker): slope 0.21 [0.15,
 * 0.27] per GB/s taken, rising: lives on bandwidth". */
static void print_curves(FILE *out, const char *lead, const struct verdict *v)
{
	for (size_t i = 0; i < v->ncurves; i++) {
		const struct bandit_curve *c = &v->curves[i];

		fprintf(out, "%sbandit (%d worker%s): slope %.3g [%.3g, %.3g] per GB/s taken, %s: %s", lead, c->n,
			c->n == 1 ? "" : "s", c->slope.mid, c->slope.lo, c->slope.hi, bandit_shape_name(c->shape),
			bandit_shape_meaning(c->shape));
		if (c->shape == BS_STEP)
			fprintf(out, " (%.2fx [%.2f, %.2f] at the first level)", c->step.mid, c->step.lo, c->step.hi);
		else if (c->shape == BS_UNSEPARATED && strstr(c->note, "no curve could rise"))
			fprintf(out, " (flat, %+.0f%% to %+.0f%%, but the co-runners took at most %.1f GB/s, below the %.1f GB/s "
				     "this machine's ceiling leaves beside %d worker%s streaming: no curve could rise here)",
				c->rise.lo * 100, c->rise.hi * 100, c->max_taken, c->reach, c->n, c->n == 1 ? "" : "s");
		else if (c->shape == BS_UNSEPARATED && !isnan(c->rise.lo))
			fprintf(out, " (%+.0f%% to %+.0f%% across the %.1f GB/s taken)", c->rise.lo * 100, c->rise.hi * 100,
				c->max_taken);
		fputc('\n', out);
	}
}

static void print_verdicts(FILE *out, const struct verdict *v, size_t nv, int verbose)
{
	fprintf(out, "\nverdicts (how they are reached: man scalprof-verdict%s)\n",
		verbose ? "" : "; every figure weighed: --verbose");
	for (size_t i = 0; i < nv; i++) {
		fprintf(out, "\n%s (%s): %s, %s confidence\n", v[i].workload, v[i].mode, v[i].verdict, v[i].confidence);
		fprintf(out, "  why: %s\n", v[i].reason);
		fprintf(out, "  memory-bandwidth: %s\n", v[i].bw_line);
		intervene_text(out, &v[i], "  ");
		print_curves(out, "  ", &v[i]);
		stackview_text(out, &v[i]);
		if (v[i].profile_detail)
			fputs(v[i].profile_detail, out);
		for (int h = 0; verbose && h < H_COUNT; h++)
			print_hypothesis(out, &v[i], h);
	}
}

/* ---- JSON ----------------------------------------------------------------- */

static json_object *jnum(double v)
{
	return isnan(v) || isinf(v) ? NULL : json_object_new_double(v);
}

static json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

/* The medians the verdict weighs at a row's point; empty without one. */
static json_object *json_metrics(const struct vpoint *p)
{
	json_object *m = json_object_new_object();

	if (!p)
		return m;
	json_object_object_add(m, "cpu_utilisation", jnum(p->cpu_util));
	json_object_object_add(m, "kernel_share", jnum(p->kernel_share));
	json_object_object_add(m, "kernel_s_per_unit", jnum(p->kernel_s_per_unit));
	json_object_object_add(m, "page_faults_per_cpu_s", jnum(p->faults_per_cpu_s));
	json_object_object_add(m, "context_switches_per_unit", jnum(p->switches_per_unit));
	json_object_object_add(m, "context_switches_per_cpu_ms", jnum(p->switches_per_cpu_ms));
	json_object_object_add(m, "run_delay_ratio", jnum(p->run_delay_ratio));
	json_object_object_add(m, "migrations_per_s", jnum(p->migrations_per_s));
	json_object_object_add(m, "ipc", jnum(p->ipc));
	json_object_object_add(m, "llc_mpki", jnum(p->mpki));
	return m;
}

static json_object *json_row(const struct report_table *t, const struct report_row *r, const struct vpoint *p,
			     const struct vinput *in)
{
	json_object *o = json_object_new_object(), *ev = json_object_new_object(), *sl = json_object_new_object();
	struct summary s;

	json_object_object_add(o, "workload", jstr(r->workload));
	json_object_object_add(o, "mode", jstr(r->mode));
	json_object_object_add(o, "n_workers", json_object_new_int(r->n));
	json_object_object_add(o, "runs_ok", json_object_new_int(r->runs));
	json_object_object_add(o, "runs_not_ok", json_object_new_int(r->not_ok));
	json_object_object_add(o, "median_wall_s", jnum(r->wall));
	stackview_wall(in, r->n, &s);
	json_object_object_add(o, "wall_s", stackview_interval(&s.median));
	json_object_object_add(o, "wall_s_min", jnum(s.min));
	json_object_object_add(o, "wall_s_max", jnum(s.max));
	json_object_object_add(o, "wall_s_outliers", json_object_new_int((int)s.outliers));
	json_object_object_add(o, "speedup", jnum(r->speedup));
	json_object_object_add(o, "efficiency", jnum(r->efficiency));
	json_object_object_add(o, "gb_per_s", jnum(r->gbps));
	json_object_object_add(o, "ceiling_fraction", jnum(r->ceiling));
	json_object_object_add(o, "bandwidth_source", jstr(r->bw_source));
	json_object_object_add(o, "working_set_per_llc", jnum(r->cache_load));
	json_object_object_add(sl, "bandwidth", jnum(r->slowdown[0]));
	json_object_object_add(sl, "cache", jnum(r->slowdown[1]));
	json_object_object_add(sl, "cpu", jnum(r->slowdown[2]));
	json_object_object_add(o, "slowdown", sl);
	for (size_t e = 0; e < t->nevents; e++)
		json_object_object_add(ev, t->events[e].name, t->events[e].counted && r->ev ? jnum(r->ev[e]) : NULL);
	json_object_object_add(o, "events", ev);
	json_object_object_add(o, "metrics", json_metrics(p));
	return o;
}

static json_object *json_evidence(const struct evidence *e)
{
	json_object *eo = json_object_new_object();

	json_object_object_add(eo, "figure", jstr(e->figure));
	json_object_object_add(eo, "n_workers", json_object_new_int(e->n));
	json_object_object_add(eo, "value", jnum(e->value));
	json_object_object_add(eo, "threshold", e->threshold[0] ? jstr(e->threshold) : NULL);
	json_object_object_add(eo, "stance", jstr(stance_name(e->stance)));
	json_object_object_add(eo, "source", jstr(e->source));
	json_object_object_add(eo, "note", jstr(e->note));
	return eo;
}

static json_object *json_hypothesis(const struct verdict *v, enum hypothesis h)
{
	json_object *ho = json_object_new_object(), *ea = json_object_new_array();

	json_object_object_add(ho, "hypothesis", jstr(hypothesis_name(h)));
	json_object_object_add(ho, "status", jstr(hyp_status_name(v->hyp[h].status)));
	json_object_object_add(ho, "reason", v->hyp[h].reason[0] ? jstr(v->hyp[h].reason) : NULL);
	for (size_t k = 0; k < v->nev; k++)
		if (v->ev[k].hyp == h)
			json_object_array_add(ea, json_evidence(&v->ev[k]));
	json_object_object_add(ho, "evidence", ea);
	return ho;
}

/* Each variant against the baseline: the variant_effects rows. */
static json_object *json_effects(const struct verdict *v)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < v->neffects; i++) {
		const struct variant_effect *e = &v->effects[i];
		json_object *o = json_object_new_object(), *comps = json_object_new_object();

		json_object_object_add(o, "variant", jstr(e->variant));
		json_object_object_add(o, "n_workers", json_object_new_int(e->n));
		json_object_object_add(o, "runs", json_object_new_int(e->runs));
		json_object_object_add(o, "efficiency_baseline", stackview_interval(&e->eff_base));
		json_object_object_add(o, "efficiency", stackview_interval(&e->eff));
		for (int c = 0; c < SC_COUNT; c++) {
			json_object *p = json_object_new_object();

			json_object_object_add(p, "baseline", stackview_interval(&e->base[c]));
			json_object_object_add(p, "variant", stackview_interval(&e->comp[c]));
			json_object_object_add(comps, stack_comp_name(c), p);
		}
		json_object_object_add(o, "components", comps);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *json_curves(const struct verdict *v)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < v->ncurves; i++) {
		const struct bandit_curve *c = &v->curves[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "n_workers", json_object_new_int(c->n));
		json_object_object_add(o, "points", json_object_new_int(c->points));
		json_object_object_add(o, "max_taken_gbps", jnum(c->max_taken));
		json_object_object_add(o, "slope", jnum(c->slope.mid));
		json_object_object_add(o, "slope_lo", jnum(c->slope.lo));
		json_object_object_add(o, "slope_hi", jnum(c->slope.hi));
		json_object_object_add(o, "step", jnum(c->step.mid));
		json_object_object_add(o, "shape", jstr(bandit_shape_name(c->shape)));
		json_object_object_add(o, "note", jstr(c->note));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *json_verdict(const struct verdict *v)
{
	json_object *o = json_object_new_object(), *bw = json_object_new_object(), *hs = json_object_new_array();

	json_object_object_add(o, "workload", jstr(v->workload));
	json_object_object_add(o, "mode", jstr(v->mode));
	json_object_object_add(o, "verdict", jstr(v->verdict));
	json_object_object_add(o, "confidence", jstr(v->confidence));
	json_object_object_add(o, "profile", v->profile_line[0] ? jstr(v->profile_line) : NULL);
	json_object_object_add(o, "n_workers", v->n ? json_object_new_int(v->n) : NULL);
	json_object_object_add(o, "efficiency", jnum(v->efficiency));
	json_object_object_add(o, "efficiency_interval", stackview_interval(&v->eff));
	json_object_object_add(o, "decided", v->nstack ? json_object_new_boolean(v->decided) : NULL);
	json_object_object_add(o, "more_runs", v->nstack && !v->decided ? json_object_new_int(v->more_runs) : NULL);
	json_object_object_add(o, "reason", jstr(v->reason));
	json_object_object_add(o, "stack_summary", jstr(v->stack_line[0] ? v->stack_line : NULL));
	json_object_object_add(o, "speedup_stack", stackview_json(v));
	json_object_object_add(o, "intervention", v->neffects || v->intervention != IV_UNTESTED
							  ? jstr(intervention_name(v->intervention)) : NULL);
	json_object_object_add(o, "intervention_text", v->intervention_line[0] ? jstr(v->intervention_line) : NULL);
	json_object_object_add(o, "variants", json_effects(v));
	json_object_object_add(bw, "status", jstr(hyp_status_name(v->hyp[H_BANDWIDTH].status)));
	json_object_object_add(bw, "line", jstr(v->bw_line));
	json_object_object_add(o, "memory_bandwidth", bw);
	json_object_object_add(o, "bandit", json_curves(v));
	for (int h = 0; h < H_COUNT; h++)
		json_object_array_add(hs, json_hypothesis(v, h));
	json_object_object_add(o, "hypotheses", hs);
	return o;
}

static json_object *json_campaign(int64_t cid, const struct report_head *head)
{
	json_object *c = json_object_new_object();

	json_object_object_add(c, "id", json_object_new_int64(cid));
	json_object_object_add(c, "name", jstr(head->name));
	json_object_object_add(c, "status", jstr(head->status));
	json_object_object_add(c, "started_at", jstr(head->started_at));
	json_object_object_add(c, "finished_at", jstr(head->finished_at));
	json_object_object_add(c, "error", jstr(head->error));
	return c;
}

static json_object *json_events(const struct report_table *t)
{
	json_object *a = json_object_new_array();

	for (size_t e = 0; e < t->nevents; e++) {
		json_object *eo = json_object_new_object();

		json_object_object_add(eo, "name", jstr(t->events[e].name));
		json_object_object_add(eo, "counted", json_object_new_boolean(t->events[e].counted));
		json_object_object_add(eo, "reason", jstr(t->events[e].reason));
		json_object_array_add(a, eo);
	}
	return a;
}

static json_object *json_thresholds(void)
{
	json_object *th = json_object_new_object();
	const char *const *names, *const *meanings;
	const double *values;
	size_t n;

	verdict_thresholds(&names, &values, &meanings, &n);
	for (size_t i = 0; i < n; i++)
		json_object_object_add(th, names[i], json_object_new_double(values[i]));
	return th;
}

/* ---- the report ----------------------------------------------------------- */

/* Everything one report shows, read and judged before anything is printed. */
struct report {
	int64_t cid;
	struct report_head head;
	struct report_table table;
	struct vinput *in;
	size_t nin;
	struct verdict *v; /* one per input */
};

static void report_free(struct report *rp)
{
	report_head_clear(&rp->head);
	report_table_clear(&rp->table);
	verdicts_free(rp->v, rp->nin);
	vinputs_free(rp->in, rp->nin);
}

/* Reads the verdict's inputs of cid and judges them. Returns 0 or -EIO
 * (store_errmsg(st) says why). */
static int judge_campaign(struct store *st, int64_t cid, struct vinput **ret_in, size_t *ret_nin,
			  struct verdict **ret_v)
{
	int r = store_verdict_inputs(st, cid, ret_in, ret_nin);

	if (r == 0)
		*ret_v = verdict_judge_all(*ret_in, *ret_nin);
	for (size_t i = 0; r == 0 && i < *ret_nin; i++)
		intervene_judge(&(*ret_in)[i], &(*ret_v)[i]);
	if (r == 0)
		r = profile_evidence(st, cid, *ret_v, *ret_nin);
	return r;
}

int report_judge(struct store *st, int64_t cid, struct vinput **ret_in, struct verdict **ret_v, size_t *ret_n)
{
	*ret_in = NULL;
	*ret_v = NULL;
	*ret_n = 0;
	return judge_campaign(st, cid, ret_in, ret_n, ret_v);
}

/* Returns 0, -ENOENT when there is no campaign cid, or -EIO; rp is to be
 * freed with report_free() in every case. */
static int report_load(struct store *st, int64_t cid, struct report *rp)
{
	int r;

	memset(rp, 0, sizeof(*rp));
	rp->cid = cid;
	r = store_report_head(st, cid, &rp->head);
	if (r == 0)
		r = store_report_table(st, cid, &rp->table);
	if (r == 0)
		r = judge_campaign(st, cid, &rp->in, &rp->nin, &rp->v);
	if (r < 0)
		return r;
	/* a row's wall time, speedup, efficiency, bandwidth, ceiling fraction
	 * and slowdowns are the verdict's medians, not the same figures taken
	 * again */
	for (size_t i = 0; i < rp->table.nrows; i++) {
		struct report_row *row = &rp->table.rows[i];
		const struct vpoint *p = find_point(rp->in, rp->nin, row->workload, row->n);

		if (!p)
			continue;
		row->wall = p->wall;
		row->speedup = p->speedup;
		row->efficiency = p->efficiency;
		row->gbps = p->gbps;
		row->ceiling = p->ceiling;
		for (int k = 0; k < 3; k++)
			row->slowdown[k] = p->slowdown[k];
	}
	return 0;
}

static void print_json(FILE *out, const struct report *rp)
{
	json_object *root = json_object_new_object(), *rows = json_object_new_array(),
		    *verdicts = json_object_new_array();

	for (size_t i = 0; i < rp->table.nrows; i++) {
		const struct report_row *r = &rp->table.rows[i];

		json_object_array_add(rows, json_row(&rp->table, r, find_point(rp->in, rp->nin, r->workload, r->n),
						     find_input(rp->in, rp->nin, r->workload)));
	}
	for (size_t i = 0; i < rp->nin; i++)
		json_object_array_add(verdicts, json_verdict(&rp->v[i]));
	json_object_object_add(root, "schema", json_object_new_string("scalprof-report/1"));
	json_object_object_add(root, "campaign", json_campaign(rp->cid, &rp->head));
	json_object_object_add(root, "events", json_events(&rp->table));
	json_object_object_add(root, "rows", rows);
	json_object_object_add(root, "verdicts", verdicts);
	json_object_object_add(root, "thresholds", json_thresholds());
	fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE), out);
	fputc('\n', out);
	json_object_put(root);
}

/* ---- the one-screen report ------------------------------------------------ */

/* What a person reads first: a header (campaign, machine, date, scale,
 * host noise), one line per workload, the table with only the columns
 * that have data here, then each workload's details. The text is written
 * whole, then wrapped to REPORT_WIDTH and rid of repeated hints (see
 * screen_emit), so every part may write as it likes. */

#define REPORT_WIDTH 120
#define VM_HINT "(virtual machine?)"

/* A table of strings: columns named and aligned, printed in blocks that
 * fit REPORT_WIDTH (each repeating the first nkey columns), or as one
 * markdown pipe table. */
struct ttable {
	size_t nc, nr, nkey;
	const char *head[64];
	int left[64];
	char **cell; /* nr x nc, each allocated */
};

static size_t tt_col(struct ttable *tt, const char *head, int left)
{
	if (tt->nc >= ARRAY_SIZE(tt->head))
		return tt->nc - 1; /* more columns than any campaign counts: the last overwritten */
	tt->head[tt->nc] = head;
	tt->left[tt->nc] = left;
	return tt->nc++;
}

static void tt_rows(struct ttable *tt, size_t nr)
{
	tt->nr = nr;
	tt->cell = xcalloc((nr * tt->nc) > 0 ? nr * tt->nc : 1, sizeof(char *));
}

static void tt_set(struct ttable *tt, size_t r, size_t c, const char *s)
{
	free(tt->cell[r * tt->nc + c]);
	tt->cell[r * tt->nc + c] = xstrdup(s);
}

static const char *tt_get(const struct ttable *tt, size_t r, size_t c)
{
	const char *s = tt->cell[r * tt->nc + c];

	return s ? s : "";
}

static void tt_free(struct ttable *tt)
{
	for (size_t i = 0; tt->cell && i < tt->nr * tt->nc; i++)
		free(tt->cell[i]);
	free(tt->cell);
}

static void tt_line(FILE *out, const struct ttable *tt, const int *w, size_t from, size_t to, long r)
{
	for (size_t c = 0; c < to; c++) {
		const char *s;

		if (c >= tt->nkey && c < from)
			continue;
		s = r < 0 ? tt->head[c] : tt_get(tt, (size_t)r, c);
		if (c == to - 1 && tt->left[c])
			fprintf(out, "%s%s", c ? "  " : "", s); /* no trailing blanks */
		else
			fprintf(out, "%s%*s", c ? "  " : "", tt->left[c] ? -w[c] : w[c], s);
	}
	fputc('\n', out);
}

static void tt_text(FILE *out, const struct ttable *tt)
{
	int w[64] = { 0 }, keyw = 0;
	size_t from = tt->nkey;

	for (size_t c = 0; c < tt->nc; c++) {
		w[c] = (int)strlen(tt->head[c]);
		for (size_t r = 0; r < tt->nr; r++)
			if ((int)strlen(tt_get(tt, r, c)) > w[c])
				w[c] = (int)strlen(tt_get(tt, r, c));
	}
	for (size_t c = 0; c < tt->nkey; c++)
		keyw += w[c] + 2;
	do {
		int width = keyw;
		size_t to = from;

		/* at least one column per block, however wide */
		while (to < tt->nc && (to == from || width + w[to] + 2 <= REPORT_WIDTH + 2))
			width += w[to++] + 2;
		if (from > tt->nkey)
			fputc('\n', out);
		tt_line(out, tt, w, from, to, -1);
		for (size_t r = 0; r < tt->nr; r++)
			tt_line(out, tt, w, from, to, (long)r);
		from = to;
	} while (from < tt->nc);
}

static void tt_markdown(FILE *out, const struct ttable *tt)
{
	for (long r = -2; r < (long)tt->nr; r++) {
		for (size_t c = 0; c < tt->nc; c++) {
			if (r == -2)
				fprintf(out, "| %s ", tt->head[c]);
			else if (r == -1)
				fprintf(out, "|%s", tt->left[c] ? ":---" : "---:");
			else
				fprintf(out, "| %s ", tt_get(tt, (size_t)r, c));
		}
		fputs("|\n", out);
	}
}

static int all_nan(const struct report_table *t, size_t off)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (!isnan(*(const double *)((const char *)&t->rows[i] + off)))
			return 0;
	return 1;
}

/* The table's columns that have data on this host: events never counted
 * are left out (screen_uncounted names them once), and so are bandwidth,
 * its ceiling and its source, the working set and the slowdowns when no
 * row has them. */
static void screen_table(const struct report *rp, struct ttable *tt)
{
	const struct report_table *t = &rp->table;
	int bw = !all_nan(t, offsetof(struct report_row, gbps)), ceil = !all_nan(t, offsetof(struct report_row, ceiling)),
	    wset = !all_nan(t, offsetof(struct report_row, cache_load)), intf = any_interference(t), src = 0, notok = 0;
	size_t ev[64], nev = 0, c_bw = 0, c_ceil = 0, c_src = 0, c_wset = 0, c_slow = 0, c_notok = 0, c_ev;

	for (size_t i = 0; i < t->nrows; i++) {
		src |= t->rows[i].bw_source && strcmp(t->rows[i].bw_source, "none") != 0;
		notok |= t->rows[i].not_ok > 0;
	}
	memset(tt, 0, sizeof(*tt));
	tt->nkey = 3;
	tt_col(tt, "workload", 1);
	tt_col(tt, "mode", 1);
	tt_col(tt, "N", 0);
	tt_col(tt, "runs", 0);
	tt_col(tt, "wall_s", 0);
	tt_col(tt, "spread", 0);
	tt_col(tt, "speedup", 0);
	tt_col(tt, "effic", 0);
	if (notok)
		c_notok = tt_col(tt, "not_ok", 0);
	if (bw)
		c_bw = tt_col(tt, "bw_GB/s", 0);
	if (ceil)
		c_ceil = tt_col(tt, "ceil%", 0);
	if (src)
		c_src = tt_col(tt, "bw_source", 1);
	if (wset)
		c_wset = tt_col(tt, "wset/LLC", 0);
	c_ev = tt->nc;
	for (size_t e = 0; e < t->nevents && nev < ARRAY_SIZE(ev); e++)
		if (t->events[e].counted) {
			ev[nev++] = e;
			tt_col(tt, t->events[e].name, 0);
		}
	if (intf) {
		c_slow = tt_col(tt, "slow:bw", 0);
		tt_col(tt, "slow:cache", 0);
		tt_col(tt, "slow:cpu", 0);
	}
	tt_rows(tt, t->nrows);
	for (size_t i = 0; i < t->nrows; i++) {
		const struct report_row *r = &t->rows[i];
		char b[64];

		tt_set(tt, i, 0, r->workload);
		tt_set(tt, i, 1, r->mode);
		snprintf(b, sizeof(b), "%d", r->n);
		tt_set(tt, i, 2, b);
		snprintf(b, sizeof(b), "%d", r->runs);
		tt_set(tt, i, 3, b);
		fmt_fixed(r->wall, 3, b, sizeof(b));
		tt_set(tt, i, 4, b);
		fmt_spread(find_input(rp->in, rp->nin, r->workload), r->n, b, sizeof(b));
		tt_set(tt, i, 5, b);
		fmt_fixed(r->speedup, 2, b, sizeof(b));
		tt_set(tt, i, 6, b);
		fmt_fixed(r->efficiency, 2, b, sizeof(b));
		tt_set(tt, i, 7, b);
		if (notok) {
			snprintf(b, sizeof(b), "%d", r->not_ok);
			tt_set(tt, i, c_notok, b);
		}
		if (bw) {
			fmt_fixed(r->gbps, 2, b, sizeof(b));
			tt_set(tt, i, c_bw, b);
		}
		if (ceil) {
			fmt_fixed(r->ceiling * 100, 0, b, sizeof(b));
			tt_set(tt, i, c_ceil, b);
		}
		if (src)
			tt_set(tt, i, c_src, r->bw_source ? r->bw_source : "-");
		if (wset) {
			fmt_fixed(r->cache_load, 2, b, sizeof(b));
			tt_set(tt, i, c_wset, b);
		}
		for (size_t k = 0; k < nev; k++) {
			fmt_event(&t->events[ev[k]], r->ev ? r->ev[ev[k]] : NAN, b, sizeof(b));
			tt_set(tt, i, c_ev + k, b);
		}
		for (int k = 0; intf && k < 3; k++) {
			fmt_fixed(r->slowdown[k], 2, b, sizeof(b));
			tt_set(tt, i, c_slow + (size_t)k, b);
		}
	}
}

/* "2026-11-30 19:45 UTC" of a stored "2026-11-30T19:45:27.123Z" */
static void fmt_when(const char *iso, char *buf, size_t len)
{
	if (!iso || strlen(iso) < 16)
		snprintf(buf, len, "%s", iso ? iso : "?");
	else
		snprintf(buf, len, "%.10s %.5s UTC", iso, iso + 11);
}

/* The host noise of every ok ordinary run, as the verdict weighs it
 * (stack.c): others' share of the reserved cores (steal included), the
 * stolen share alone, and the host's CPU pressure over wall time. */
static void host_noise(const struct report *rp, double *ret_others, double *ret_steal, double *ret_psi)
{
	double others = 0, steal = 0, psi = 0, reserved = 0, wall = 0, preserved = 0;
	int have_o = 0, have_s = 0, have_p = 0;

	for (size_t i = 0; i < rp->nin; i++)
		for (size_t k = 0; k < rp->in[i].nruns; k++) {
			const struct srun *r = &rp->in[i].runs[k];

			if (!(r->wall > 0) || r->n <= 0)
				continue;
			if (!isnan(r->others)) {
				others += r->others;
				reserved += r->n * r->wall;
				have_o = 1;
			}
			if (!isnan(r->steal)) {
				steal += r->steal;
				preserved += r->n * r->wall;
				have_s = 1;
			}
			if (!isnan(r->psi_cpu)) {
				psi += fmax(0, r->psi_cpu - (isnan(r->delay) ? 0 : r->delay));
				wall += r->wall;
				have_p = 1;
			}
		}
	*ret_others = have_o && reserved > 0 ? others / reserved : NAN;
	*ret_steal = have_s && preserved > 0 ? steal / preserved : NAN;
	*ret_psi = have_p && wall > 0 ? psi / wall : NAN;
}

static void screen_header(FILE *out, const struct report *rp, int md)
{
	const struct report_head *h = &rp->head;
	double others, steal, psi, busy = verdict_threshold("host_busy_high");
	char start[40], end[40];

	fmt_when(h->started_at, start, sizeof(start));
	fmt_when(h->finished_at, end, sizeof(end));
	fprintf(out, "%scampaign %lld \"%s\": %s, %s", md ? "# " : "", (long long)rp->cid, h->name ? h->name : "?",
		h->status ? h->status : "?", start);
	if (h->finished_at)
		fprintf(out, " to %s", strcmp(start, end) == 0 ? "the same minute" : end + (strncmp(start, end, 10) ? 0 : 11));
	fputc('\n', out);
	if (md)
		fputc('\n', out);
	fprintf(out, "%smachine: %s, %s, %d physical core%s%s%s\n", md ? "- " : "", h->hostname ? h->hostname : "?",
		h->cpu_model ? h->cpu_model : "CPU model unknown", h->cores, h->cores == 1 ? "" : "s",
		h->hypervisor ? ", a virtual machine: " : "", h->hypervisor ? h->hypervisor : "");
	host_noise(rp, &others, &steal, &psi);
	fprintf(out, "%sscale ", md ? "- " : "");
	if (isnan(h->scale))
		fputs("1", out);
	else
		fprintf(out, "%g", h->scale);
	fputs("; host noise: ", out);
	if (isnan(others) && isnan(psi)) {
		fputs("not recorded", out);
	} else {
		fprintf(out, "others took %.0f%% of the reserved cores", isnan(others) ? 0 : others * 100);
		if (!isnan(steal))
			fprintf(out, " (steal %.0f%%)", steal * 100);
		fprintf(out, ", CPU pressure %.0f%%", isnan(psi) ? 0 : psi * 100);
		if (others >= busy || psi >= busy)
			fputs(": a busy host (lowers confidence)", out);
	}
	fputc('\n', out);
	if (h->error)
		fprintf(out, "%serror: %s\n", md ? "- " : "", h->error);
}

/* The largest components of the lost time at v's worker count, short:
 * "64% idle, 30% waiting for a core". */
static void top_components(const struct verdict *v, char *buf, size_t len)
{
	const struct stack_point *p = stack_at(v, v->n);
	size_t used = 0;
	int done[SC_COUNT] = { 0 };

	buf[0] = '\0';
	if (!p || !(p->lost.mid > 0))
		return;
	for (int k = 0; k < 2; k++) {
		int best = -1;

		for (int c = 0; c < SC_COUNT; c++)
			if (!done[c] && !isnan(p->share[c]) && p->share[c] >= verdict_threshold("component_major") &&
			    (best < 0 || p->share[c] > p->share[best]))
				best = c;
		if (best < 0)
			break;
		done[best] = 1;
		used += (size_t)snprintf(buf + used, len - used, "%s%.0f%% %s", used ? ", " : "", p->share[best] * 100,
					 stack_comp_label(best));
		if (used >= len)
			break;
	}
}

static void screen_summary(FILE *out, const struct report *rp, int md)
{
	int wname = 8;

	for (size_t i = 0; i < rp->nin; i++)
		if ((int)strlen(rp->v[i].workload) > wname)
			wname = (int)strlen(rp->v[i].workload);
	fprintf(out, md ? "\n## Verdicts\n\n" : "\nverdicts (how they are reached: man scalprof-verdict)\n");
	for (size_t i = 0; i < rp->nin; i++) {
		const struct verdict *v = &rp->v[i];
		char top[160], eff[96] = "";

		top_components(v, top, sizeof(top));
		if (v->n && !isnan(v->efficiency))
			snprintf(eff, sizeof(eff), "efficiency %.2f at %d", v->efficiency, v->n);
		if (md)
			fprintf(out, "- **%s** (%s): **%s**, %s confidence", v->workload, v->mode, v->verdict, v->confidence);
		else
			fprintf(out, "  %-*s  %-16s %-6s", wname, v->workload, v->verdict, v->confidence);
		fprintf(out, "%s%s%s%s%s\n", md ? ": " : "  ", eff[0] ? eff : "not judged", top[0] ? "; lost: " : "", top,
			v->intervention == IV_CONFIRMED	      ? "; cause confirmed by intervention"
			: v->intervention == IV_NOT_CONFIRMED ? "; cause not confirmed by intervention"
							      : "");
	}
}

/* The events this host could not count, once, grouped by reason. */
static void screen_uncounted(FILE *out, const struct report_table *t, int md)
{
	int *done = xcalloc(t->nevents ? t->nevents : 1, sizeof(int));

	for (size_t e = 0; e < t->nevents; e++) {
		const char *why = t->events[e].reason ? t->events[e].reason : "no value";

		if (t->events[e].counted || done[e])
			continue;
		fprintf(out, "%snot counted here: ", md ? "- " : "");
		for (size_t k = e, first = 1; k < t->nevents; k++)
			if (!t->events[k].counted && !done[k] &&
			    strcmp(t->events[k].reason ? t->events[k].reason : "no value", why) == 0) {
				fprintf(out, "%s%s", first ? "" : ", ", t->events[k].name);
				done[k] = 1;
				first = 0;
			}
		fprintf(out, " (%s)\n", why);
	}
	free(done);
}

static void screen_table_block(FILE *out, const struct report *rp, int md)
{
	struct ttable tt;

	screen_table(rp, &tt);
	fputs(md ? "\n## Results\n\n" : "\n", out);
	if (md)
		tt_markdown(out, &tt);
	else
		tt_text(out, &tt);
	tt_free(&tt);
	if (md)
		fputc('\n', out);
	screen_uncounted(out, &rp->table, md);
	for (size_t i = 0; i < rp->table.nnotes; i++)
		fprintf(out, "%sbandwidth (%s): %s\n", md ? "- " : "", rp->table.notes[i].source, rp->table.notes[i].reason);
	fprintf(out, "%swall_s: median of the ok runs; spread: half their range; events: per-worker medians;"
		     " every figure: --verbose\n",
		md ? "\n" : "");
}

static void screen_details(FILE *out, const struct report *rp, int md)
{
	for (size_t i = 0; i < rp->nin; i++) {
		const struct verdict *v = &rp->v[i];

		if (md)
			fprintf(out, "\n### %s (%s): %s, %s confidence\n\n", v->workload, v->mode, v->verdict,
				v->confidence);
		else
			fprintf(out, "\n%s (%s): %s, %s confidence\n", v->workload, v->mode, v->verdict, v->confidence);
		fprintf(out, "%swhy: %s\n", md ? "- " : "  ", v->reason);
		fprintf(out, "%smemory-bandwidth: %s\n", md ? "- " : "  ", v->bw_line);
		print_curves(out, md ? "- " : "  ", v);
		if (md) {
			fputs("\n```\n", out);
			intervene_text(out, v, "");
			stackview_text(out, v);
			if (v->profile_detail)
				fputs(v->profile_detail, out);
			fputs("```\n", out);
		} else {
			intervene_text(out, v, "  ");
			stackview_text(out, v);
			if (v->profile_detail)
				fputs(v->profile_detail, out);
		}
	}
}

/* Removes every hint of a virtual machine after the first, with the
 * blank before it: the reason of each uncounted event and of the missing
 * bandwidth says it, and once is enough. */
static void strip_repeats(char *text)
{
	char *p = strstr(text, VM_HINT), *q;

	if (!p)
		return;
	p += strlen(VM_HINT);
	while ((q = strstr(p, VM_HINT))) {
		char *from = q + strlen(VM_HINT);

		if (q > p && q[-1] == ' ')
			q--;
		memmove(q, from, strlen(from) + 1);
		p = q;
	}
}

/* Writes text to out, each line longer than REPORT_WIDTH wrapped at its
 * last blanks that fit, the continuations indented four more than the
 * line; a word longer than a line stays whole. */
static void emit_wrapped(FILE *out, const char *text)
{
	const char *l = text;

	while (*l) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l), ind = 0, cont;
		int first = 1;

		while (ind < len && l[ind] == ' ')
			ind++;
		cont = ind + 4;
		while ((first ? len : len + cont) > REPORT_WIDTH) {
			size_t avail = first ? REPORT_WIDTH : REPORT_WIDTH - cont, brk = avail;

			while (brk > (first ? ind : 0) && l[brk] != ' ')
				brk--;
			if (brk <= (first ? ind : 0))
				break;
			fprintf(out, "%*s%.*s\n", first ? 0 : (int)cont, "", (int)brk, l);
			while (brk < len && l[brk] == ' ')
				brk++;
			l += brk;
			len -= brk;
			first = 0;
		}
		fprintf(out, "%*s%.*s\n", first ? 0 : (int)cont, "", (int)len, l);
		l += len;
		if (*l == '\n')
			l++;
	}
}

/* The default text (md 0) or markdown (md 1) report. */
static int print_screen(FILE *out, const struct report *rp, int md)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return -ENOMEM;
	screen_header(f, rp, md);
	screen_summary(f, rp, md);
	screen_table_block(f, rp, md);
	screen_details(f, rp, md);
	if (fclose(f) != 0) {
		free(text);
		return -ENOMEM;
	}
	strip_repeats(text);
	if (md)
		fputs(text, out);
	else
		emit_wrapped(out, text);
	free(text);
	return 0;
}

int report_campaign(struct store *st, int64_t campaign_id, enum report_format fmt, int verbose, FILE *out)
{
	struct report rp;
	int r = report_load(st, campaign_id, &rp);

	if (r == 0 && fmt == REPORT_CSV) {
		print_csv(out, &rp.table, rp.v, rp.in, rp.nin);
	} else if (r == 0 && fmt == REPORT_JSON) {
		print_json(out, &rp);
	} else if (r == 0 && (fmt == REPORT_MARKDOWN || !verbose)) {
		r = print_screen(out, &rp, fmt == REPORT_MARKDOWN);
	} else if (r == 0) {
		/* every figure: the whole table, the metrics and every hypothesis */
		print_text(out, &rp.table, rp.in, rp.nin);
		print_metrics(out, rp.in, rp.nin);
		print_verdicts(out, rp.v, rp.nin, verbose);
	}
	report_free(&rp);
	return r;
}

/* ---- the plot and the stored verdicts -------------------------------------- */

static double ceiling_at(const struct report_ceiling *c, size_t nc, int n)
{
	for (size_t i = 0; i < nc; i++)
		if (c[i].n == n)
			return c[i].gbps;
	return NAN;
}

/* One panel per workload, panel i drawing the points pts[i] (allocated
 * here, freed by the caller). */
static void plot_panels(const struct vinput *in, const struct verdict *v, size_t nin, const struct report_ceiling *c,
			size_t nc, struct plot_panel *panels, struct plot_point **pts)
{
	for (size_t i = 0; i < nin; i++) {
		pts[i] = xcalloc(in[i].npts ? in[i].npts : 1, sizeof(**pts));
		for (size_t k = 0; k < in[i].npts; k++) {
			const struct stack_point *sp = stack_at(&v[i], in[i].pts[k].n);
			struct plot_point *q = &pts[i][k];

			*q = (struct plot_point){ .n = in[i].pts[k].n, .speedup = in[i].pts[k].speedup,
						  .gbps = in[i].pts[k].gbps, .ceiling_gbps = ceiling_at(c, nc, in[i].pts[k].n),
						  .speedup_lo = NAN, .speedup_hi = NAN };
			for (int s = 0; s < SC_COUNT; s++)
				q->comp[s] = sp ? sp->comp[s].mid : q->n == 1 ? 0 : NAN;
			/* the verdict's estimate, with its interval */
			if (sp)
				q->speedup = sp->efficiency.mid * q->n;
			if (sp && !isnan(sp->efficiency.lo)) {
				q->speedup_lo = sp->efficiency.lo * q->n;
				q->speedup_hi = isinf(sp->efficiency.hi) ? NAN : sp->efficiency.hi * q->n;
			}
		}
		panels[i] = (struct plot_panel){ .workload = in[i].workload, .mode = in[i].mode,
						 .verdict = v[i].verdict, .pts = pts[i], .npts = in[i].npts,
						 .bw_note = in[i].bw_reason ? "bandwidth not measured on this host"
									    : "no bandwidth figures" };
	}
}

int report_plot(struct store *st, int64_t campaign_id, const char *path, char **ret_error)
{
	struct report_head head = { 0 };
	struct report_ceiling *c = NULL;
	struct plot_panel *panels = NULL;
	struct plot_point **pts = NULL;
	struct vinput *in = NULL;
	struct verdict *v = NULL;
	size_t nin = 0, nc = 0;
	char *title;
	int r = judge_campaign(st, campaign_id, &in, &nin, &v);

	if (r == 0)
		r = store_machine_ceilings(st, campaign_id, &c, &nc);
	if (r == 0 && (r = store_report_head(st, campaign_id, &head)) == -ENOENT)
		r = 0; /* a title without the name */
	if (r < 0) {
		*ret_error = xasprintf("database: %s", store_errmsg(st));
		goto out;
	}
	panels = xcalloc(nin ? nin : 1, sizeof(*panels));
	pts = xcalloc(nin ? nin : 1, sizeof(*pts));
	plot_panels(in, v, nin, c, nc, panels, pts);
	title = head.name ? xasprintf("scalprof: campaign %lld, %s", (long long)campaign_id, head.name)
			  : xasprintf("scalprof: campaign %lld", (long long)campaign_id);
	r = plot_campaign(path, title, panels, nin, ret_error);
	free(title);
	for (size_t i = 0; i < nin; i++)
		free(pts[i]);
out:
	free(pts);
	free(panels);
	free(c);
	report_head_clear(&head);
	verdicts_free(v, nin);
	vinputs_free(in, nin);
	return r;
}

int report_store_verdicts(struct store *st, int64_t campaign_id, const char *version, char **ret_error)
{
	struct vinput *in = NULL;
	struct verdict *v = NULL;
	size_t n = 0;
	int r = judge_campaign(st, campaign_id, &in, &n, &v);

	if (r == 0)
		r = store_verdicts(st, campaign_id, v, n, version);
	if (r < 0)
		*ret_error = xstrdup(store_errmsg(st));
	verdicts_free(v, n);
	vinputs_free(in, n);
	return r;
}

/* ---- runs ------------------------------------------------------------------ */

/* The columns of `report --runs` and the timeline's raw rows, the header
 * printed once before the first line; the JSON of --runs gathered in
 * runs and printed at the end. */
struct listing {
	FILE *out;
	enum report_format fmt;
	int started;
	int lines;
	json_object *runs;
};

#define RUNS_LINE "%4s  %-16s  %3s  %3s  %-11s  %-11s  %8s  %7s  %-12s  %5s  %8s  %s\n"

static void runs_header(struct listing *l)
{
	if (l->started++)
		return;
	if (l->fmt == REPORT_CSV)
		fputs("run_id,workload,n_workers,repetition,corunner,status,wall_s,gb_per_s,bandwidth_source,"
		      "ceiling_fraction,slowdown,corunner_rate_alone,corunner_rate_beside,corunner_rate_unit\n", l->out);
	else if (l->fmt != REPORT_JSON)
		fprintf(l->out, RUNS_LINE, "id", "workload", "N", "rep", "corunner", "status", "wall_s", "bw_GB/s",
			"bw_source", "ceil%", "slowdown", "co-runner rate alone -> beside");
}

static void runs_csv(FILE *out, const struct report_run *run)
{
	const double nums[] = { run->wall_s, run->gbps };
	const double more[] = { run->ceiling, run->slowdown, run->rate_alone, run->rate_beside };

	fprintf(out, "%lld,", (long long)run->id);
	csv_field(out, run->workload);
	fprintf(out, ",%d,%d,", run->n, run->repetition);
	csv_field(out, strcmp(run->corunner, "-") == 0 ? "" : run->corunner);
	fprintf(out, ",%s", run->status);
	for (size_t k = 0; k < ARRAY_SIZE(nums); k++) {
		fputc(',', out);
		csv_num(out, nums[k]);
	}
	fputc(',', out);
	csv_field(out, run->bw_source ? run->bw_source : "");
	for (size_t k = 0; k < ARRAY_SIZE(more); k++) {
		fputc(',', out);
		csv_num(out, more[k]);
	}
	fputc(',', out);
	csv_field(out, run->rate_unit && !isnan(run->rate_alone) ? run->rate_unit : "");
	fputc('\n', out);
}

static json_object *runs_json(const struct report_run *run)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(run->id));
	json_object_object_add(o, "workload", jstr(run->workload));
	json_object_object_add(o, "n_workers", json_object_new_int(run->n));
	json_object_object_add(o, "repetition", json_object_new_int(run->repetition));
	json_object_object_add(o, "corunner", strcmp(run->corunner, "-") == 0 ? NULL : jstr(run->corunner));
	json_object_object_add(o, "status", jstr(run->status));
	json_object_object_add(o, "wall_s", jnum(run->wall_s));
	json_object_object_add(o, "gb_per_s", jnum(run->gbps));
	json_object_object_add(o, "bandwidth_source", jstr(run->bw_source));
	json_object_object_add(o, "ceiling_fraction", jnum(run->ceiling));
	json_object_object_add(o, "slowdown", jnum(run->slowdown));
	json_object_object_add(o, "corunner_rate_alone", jnum(run->rate_alone));
	json_object_object_add(o, "corunner_rate_beside", jnum(run->rate_beside));
	json_object_object_add(o, "corunner_rate_unit", isnan(run->rate_alone) ? NULL : jstr(run->rate_unit));
	return o;
}

static void runs_line(const struct report_run *run, void *arg)
{
	struct listing *l = arg;
	char id[24], n[16], rep[16], wall[32], gb[32], ceil[32], slow[32], rates[96] = "";

	runs_header(l);
	if (l->fmt == REPORT_CSV) {
		runs_csv(l->out, run);
		return;
	}
	if (l->fmt == REPORT_JSON) {
		json_object_array_add(l->runs, runs_json(run));
		return;
	}
	snprintf(id, sizeof(id), "%lld", (long long)run->id);
	snprintf(n, sizeof(n), "%d", run->n);
	snprintf(rep, sizeof(rep), "%d", run->repetition);
	fmt_fixed(run->wall_s, 3, wall, sizeof(wall));
	fmt_fixed(run->gbps, 2, gb, sizeof(gb));
	fmt_fixed(run->ceiling * 100, 0, ceil, sizeof(ceil));
	fmt_fixed(run->slowdown, 2, slow, sizeof(slow));
	if (!isnan(run->rate_alone)) {
		char a[16], b[16];

		format_count(run->rate_alone, a, sizeof(a));
		format_count(run->rate_beside, b, sizeof(b));
		snprintf(rates, sizeof(rates), "%s -> %s %s", a, b, run->rate_unit ? run->rate_unit : "");
	}
	fprintf(l->out, RUNS_LINE, id, run->workload, n, rep, run->corunner, run->status, wall, gb,
		run->bw_source ? run->bw_source : "-", ceil, slow, rates);
}

int report_runs(struct store *st, int64_t campaign_id, enum report_format fmt, FILE *out)
{
	struct listing l = { .out = out, .fmt = fmt };
	int r;

	if (fmt == REPORT_JSON)
		l.runs = json_object_new_array();
	r = store_report_runs(st, campaign_id, runs_line, &l);
	if (r == 0 && fmt == REPORT_JSON) {
		json_object *root = json_object_new_object();

		json_object_object_add(root, "schema", json_object_new_string("scalprof-runs/1"));
		json_object_object_add(root, "campaign_id", json_object_new_int64(campaign_id));
		json_object_object_add(root, "runs", l.runs);
		l.runs = NULL;
		fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE),
		      out);
		fputc('\n', out);
		json_object_put(root);
	} else if (r == 0) {
		runs_header(&l);
	}
	json_object_put(l.runs);
	return r;
}

/* ---- the timeline ---------------------------------------------------------- */

static void timeline_header(struct listing *l)
{
	if (l->started++)
		return;
	if (l->fmt == REPORT_CSV)
		fputs("t_ms,worker,event,delta,scaled_delta,running_fraction\n", l->out);
	else
		fprintf(l->out, "%10s  %6s  %-18s  %14s  %14s  %s\n", "t_ms", "worker", "event", "delta", "scaled",
			"running");
}

static void timeline_line(const struct report_sample *m, void *arg)
{
	struct listing *l = arg;
	double t_ms = (double)m->t_ns / 1e6, d = (double)m->delta, en = (double)m->enabled_delta,
	       run = (double)m->running_delta;
	/* scaled as the totals are: by enabled/running where it multiplexed */
	double scaled = run > 0 && run < en ? d * en / run : run > 0 ? d : NAN, frac = en > 0 ? run / en : NAN;
	char wbuf[16];

	timeline_header(l);
	l->lines++;
	if (m->slot)
		snprintf(wbuf, sizeof(wbuf), "%d", m->slot);
	else
		snprintf(wbuf, sizeof(wbuf), "system");
	if (l->fmt == REPORT_CSV) {
		fprintf(l->out, "%.3f,%s,", t_ms, wbuf);
		csv_field(l->out, m->event);
		fprintf(l->out, ",%.0f,", d);
		if (!isnan(scaled))
			fprintf(l->out, "%.0f", scaled);
		fputc(',', l->out);
		csv_num(l->out, frac);
		fputc('\n', l->out);
	} else {
		char sbuf[32], rbuf[16];

		fmt_fixed(scaled, 0, sbuf, sizeof(sbuf));
		if (isnan(frac))
			snprintf(rbuf, sizeof(rbuf), "-");
		else
			snprintf(rbuf, sizeof(rbuf), "%.0f%%", frac * 100);
		fprintf(l->out, "%10.3f  %6s  %-18s  %14.0f  %14s  %s\n", t_ms, wbuf, m->event, d, sbuf, rbuf);
	}
}

/* The human timeline: every sample gathered, then one row per tick. The
 * runner reads all workers' counters at each tick at one time, and each
 * worker once more when it is reaped: a row per distinct time of those
 * readings. Each reading's delta, scaled as the totals are, is divided by
 * the time since that series' previous reading (the barrier for the
 * first): the arithmetic of scalprof-db(7)'s timeline recipe, without its
 * fixed buckets, which a reading a little late would count twice. The
 * run-queue wait, polled at times of its own, goes to the first row at or
 * after its reading, its deltas over their times where a row gets two. */
struct tl_sample {
	int64_t t_ns;
	int slot;
	size_t ev;
	double scaled;
};

struct tl {
	char **events;
	size_t nev;
	struct tl_sample *s;
	size_t n;
	int maxslot;
};

static void tl_collect(const struct report_sample *m, void *arg)
{
	struct tl *tl = arg;
	double d = (double)m->delta, en = (double)m->enabled_delta, run = (double)m->running_delta;
	size_t e;

	for (e = 0; e < tl->nev && strcmp(tl->events[e], m->event) != 0; e++)
		;
	if (e == tl->nev) {
		tl->events = xreallocarray(tl->events, tl->nev + 1, sizeof(*tl->events));
		tl->events[tl->nev++] = xstrdup(m->event);
	}
	tl->s = xreallocarray(tl->s, tl->n + 1, sizeof(*tl->s));
	tl->s[tl->n++] = (struct tl_sample){ .t_ns = m->t_ns, .slot = m->slot, .ev = e,
					     .scaled = run > 0 && run < en ? d * en / run : run > 0 ? d : NAN };
	if (m->slot > tl->maxslot)
		tl->maxslot = m->slot;
}

static void tl_free(struct tl *tl)
{
	for (size_t e = 0; e < tl->nev; e++)
		free(tl->events[e]);
	free(tl->events);
	free(tl->s);
}

/* ns of CPU (or of waiting) per ns: a count of CPUs */
static int is_time_event(const char *ev)
{
	size_t n = strlen(ev);

	return strcmp(ev, "run-queue-wait") == 0 || (n > 6 && strcmp(ev + n - 6, "-clock") == 0);
}

static void tl_header(FILE *out, const struct tl *tl, const size_t *cols, size_t ncols, enum report_format fmt)
{
	fputs(fmt == REPORT_CSV ? "t_s" : "     t_s", out);
	for (size_t c = 0; c < ncols; c++) {
		const char *name = tl->events[cols[c]];
		char h[96];

		if (strcmp(name, "task-clock") == 0)
			snprintf(h, sizeof(h), fmt == REPORT_CSV ? "cpus_busy" : "CPUs busy");
		else if (strcmp(name, "run-queue-wait") == 0)
			snprintf(h, sizeof(h), fmt == REPORT_CSV ? "waiting_cpus" : "waiting CPUs");
		else if (is_time_event(name))
			snprintf(h, sizeof(h), fmt == REPORT_CSV ? "%s_cpus" : "%s CPUs", name);
		else
			snprintf(h, sizeof(h), fmt == REPORT_CSV ? "%s_per_s" : "%s/s", name);
		if (fmt == REPORT_CSV)
			fprintf(out, ",%s", h);
		else
			fprintf(out, "  %*s", (int)(strlen(name) > 12 ? strlen(name) + 2 : 14), h);
	}
	fputc('\n', out);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The distinct times of the counter readings (all samples' when there are
 * only run-queue waits), ascending, into *ret; returns how many. */
static size_t tl_rows(const struct tl *tl, int64_t **ret)
{
	int64_t *t = xcalloc(tl->n ? tl->n : 1, sizeof(*t));
	size_t n = 0, k = 0;
	int counters = 0;

	for (size_t i = 0; i < tl->n; i++)
		counters |= strcmp(tl->events[tl->s[i].ev], "run-queue-wait") != 0;
	for (size_t i = 0; i < tl->n; i++)
		if (!counters || strcmp(tl->events[tl->s[i].ev], "run-queue-wait") != 0)
			t[n++] = tl->s[i].t_ns;
	qsort(t, n, sizeof(*t), cmp_i64);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || t[i] != t[k - 1])
			t[k++] = t[i];
	*ret = t;
	return k;
}

/* the first row at or after t, else the last */
static size_t tl_row_of(const int64_t *rows, size_t nrows, int64_t t)
{
	size_t lo = 0, hi = nrows;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (rows[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < nrows ? lo : nrows - 1;
}

/* One series' readings that fall in its current row, summed until it
 * moves on; from: the time of the reading before them. */
struct tl_acc {
	size_t row;
	double delta, dt;
	int64_t last, from;
	int any;
};

/* The series' rate over its readings goes to every row they span: a
 * series read less often than the counters (the run-queue wait) covers
 * several rows, each of which it was in. */
static void tl_flush(struct tl_acc *a, const int64_t *rows, double *sum, size_t nev, size_t ev, int time_event)
{
	if (a->any && a->dt > 0) {
		double rate = time_event ? a->delta / a->dt : a->delta / a->dt * 1e9;
		size_t j = a->row;

		do
			sum[j * nev + ev] += rate;
		while (j-- > 0 && rows[j] > a->from);
	}
	a->any = 0;
	a->delta = a->dt = 0;
	a->from = a->last;
}

static void tl_print(FILE *out, const struct tl *tl, const char *event, enum report_format fmt)
{
	size_t nseries = (size_t)(tl->maxslot + 1) * tl->nev, nrows;
	struct tl_acc *acc = xcalloc(nseries ? nseries : 1, sizeof(*acc));
	size_t *cols = xcalloc(tl->nev ? tl->nev : 1, sizeof(size_t)), ncols = 0;
	int64_t *rows;
	double *sum;

	nrows = tl_rows(tl, &rows);
	sum = xcalloc((nrows * tl->nev) > 0 ? nrows * tl->nev : 1, sizeof(double));
	for (size_t i = 0; i < tl->n; i++) {
		const struct tl_sample *m = &tl->s[i];
		struct tl_acc *a = &acc[(size_t)m->slot * tl->nev + m->ev];
		size_t row = tl_row_of(rows, nrows, m->t_ns);
		int te = is_time_event(tl->events[m->ev]);

		if (a->any && a->row != row)
			tl_flush(a, rows, sum, tl->nev, m->ev, te);
		a->row = row;
		if (!isnan(m->scaled)) {
			a->delta += m->scaled;
			a->dt += (double)(m->t_ns - a->last);
			a->any = 1;
		}
		a->last = m->t_ns;
	}
	for (size_t k = 0; k < nseries; k++)
		tl_flush(&acc[k], rows, sum, tl->nev, k % tl->nev, is_time_event(tl->events[k % tl->nev]));
	/* CPUs busy first, then the waiting, then the rest as stored */
	for (int pass = 0; pass < 3; pass++)
		for (size_t e = 0; e < tl->nev; e++) {
			int which = strcmp(tl->events[e], "task-clock") == 0 ? 0
				    : strcmp(tl->events[e], "run-queue-wait") == 0 ? 1 : 2;

			if (which == pass && (!event || strcmp(event, tl->events[e]) == 0))
				cols[ncols++] = e;
		}
	tl_header(out, tl, cols, ncols, fmt);
	for (size_t k = 0; k < nrows; k++) {
		fprintf(out, fmt == REPORT_CSV ? "%.3f" : "%8.3f", (double)rows[k] / 1e9);
		for (size_t c = 0; c < ncols; c++) {
			size_t e = cols[c];
			double v = sum[k * tl->nev + e];
			char b[32];

			if (fmt == REPORT_CSV) {
				fprintf(out, ",%.6g", v);
				continue;
			}
			if (is_time_event(tl->events[e]))
				snprintf(b, sizeof(b), "%.2f", v);
			else if (v == 0)
				snprintf(b, sizeof(b), "0/s");
			else if (v < 10)
				snprintf(b, sizeof(b), "%.1f/s", v);
			else {
				format_count(v >= 1000 ? v : round(v), b, sizeof(b) - 2);
				strcat(b, "/s");
			}
			fprintf(out, "  %*s", (int)(strlen(tl->events[e]) > 12 ? strlen(tl->events[e]) + 2 : 14), b);
		}
		fputc('\n', out);
	}
	if (fmt != REPORT_CSV)
		fprintf(out, "t_s: since the barrier; each figure summed over the workers, each worker's delta over the"
			     " time since its last reading;\nCPUs busy: task-clock; waiting CPUs: the run-queue wait of every"
			     " task; X/s: per second. The raw deltas: --raw\n");
	free(acc);
	free(cols);
	free(rows);
	free(sum);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "did you mean" for an event the run does not have: the closest of its
 * events, and all of them. */
static char *tl_unknown(const struct tl *tl, int64_t run_id, const char *event)
{
	const char *best = NULL;
	unsigned best_d = 255;
	char *list = xstrdup(""), *msg;
	char **names = xcalloc(tl->nev ? tl->nev : 1, sizeof(char *));

	/* listed by name: the order they were first read in varies */
	if (tl->nev) /* a run without samples has no events: NULL, not to be copied */
		memcpy(names, tl->events, tl->nev * sizeof(char *));
	qsort(names, tl->nev, sizeof(char *), cmp_str);
	for (size_t e = 0; e < tl->nev; e++) {
		unsigned d = edit_distance(event, names[e]);
		char *l = xasprintf("%s%s%s", list, e ? ", " : "", names[e]);

		free(list);
		list = l;
		if (d < best_d) {
			best_d = d;
			best = names[e];
		}
	}
	if (!tl->nev)
		msg = xasprintf("run %lld has no samples (its campaign's interval_ms was 0, or none of its events"
				" could be counted), so no event '%s'", (long long)run_id, event);
	else if (best && best_d <= 2 + strlen(event) / 3)
		msg = xasprintf("run %lld has no event '%s' in its timeline: did you mean '%s'? (it has: %s)",
				(long long)run_id, event, best, list);
	else
		msg = xasprintf("run %lld has no event '%s' in its timeline (it has: %s)", (long long)run_id, event, list);
	free(list);
	free(names);
	return msg;
}

int report_timeline(struct store *st, int64_t run_id, const char *event, enum report_format fmt, int raw, FILE *out,
		    char **ret_error)
{
	struct listing l = { .out = out, .fmt = fmt };
	struct tl tl = { 0 };
	int r = store_run_exists(st, run_id), known = !event;

	if (r == 0)
		r = store_report_samples(st, run_id, NULL, tl_collect, &tl);
	for (size_t e = 0; r == 0 && event && e < tl.nev; e++)
		known |= strcmp(tl.events[e], event) == 0;
	if (r == 0 && !known) {
		*ret_error = tl_unknown(&tl, run_id, event);
		r = -EINVAL;
	}
	if (r == 0 && raw) {
		r = store_report_samples(st, run_id, event, timeline_line, &l);
		if (r == 0)
			timeline_header(&l);
	} else if (r == 0 && tl.n) {
		tl_print(out, &tl, event, fmt);
	}
	if (r == 0 && tl.n == 0 && fmt != REPORT_CSV)
		fprintf(out, "(no samples: the campaign's interval_ms was 0, or none of its events could be counted)\n");
	tl_free(&tl);
	return r;
}
