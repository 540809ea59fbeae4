/* stackview.c: the speedup stack in the report (see stackview.h). */
#include <math.h>
#include <stdlib.h>

#include "analysis/stack.h"
#include "analysis/stackview.h"
#include "base/util.h"

/* "[0.150, 0.252]", or "(no spread: 1 run)" */
static void interval_text(const struct interval *iv, char *buf, size_t len)
{
	if (isnan(iv->lo) || isnan(iv->hi))
		snprintf(buf, len, "%s", "[too few runs]");
	else if (isinf(iv->hi))
		snprintf(buf, len, "[%.3f, unbounded]", iv->lo);
	else
		snprintf(buf, len, "[%.3f, %.3f]", iv->lo, iv->hi);
}

static void point_text(FILE *out, const struct stack_point *p)
{
	char iv[64], serial[200];

	fprintf(out, "  speedup stack at N=%d: core-seconds per unit of work, mean over %d run%s at N and %d at 1,"
		     " [95%% interval]", p->n, p->runs - p->outliers, p->runs - p->outliers == 1 ? "" : "s",
		p->runs1 - p->outliers1);
	if (p->outliers || p->outliers1)
		fprintf(out, "; outliers left out: %d at N, %d at 1", p->outliers, p->outliers1);
	fputc('\n', out);
	interval_text(&p->lost, iv, sizeof(iv));
	fprintf(out, "    %-20s %8.3f  %-18s of %.3f at N (%.3f at 1)\n", "lost", p->lost.mid, iv, p->cost, p->cost1);
	for (int c = 0; c < SC_COUNT; c++) {
		interval_text(&p->comp[c], iv, sizeof(iv));
		if (isnan(p->share[c]))
			fprintf(out, "    %-20s %8.3f  %s\n", stack_comp_label(c), p->comp[c].mid, iv);
		else
			fprintf(out, "    %-20s %8.3f  %-18s %4.0f%%\n", stack_comp_label(c), p->comp[c].mid, iv, p->share[c] * 100);
	}
	interval_text(&p->efficiency, iv, sizeof(iv));
	fprintf(out, "    efficiency %.2f %s; wall %.3f s median", p->efficiency.mid, iv, p->wall.mid);
	if (!isnan(p->wall.lo))
		fprintf(out, " [%.3f, %.3f] at %.0f%%", p->wall.lo, p->wall.hi, p->wall.level * 100);
	fprintf(out, ", min %.3f, max %.3f", p->wall_min, p->wall_max);
	stack_serial_text(p, serial, sizeof(serial));
	fprintf(out, "\n    %s", serial);
	if (!isnan(p->host_busy) || !isnan(p->psi_cpu_share))
		fprintf(out, "; host: others took %.0f%% of the reserved cores, CPU pressure %.0f%%",
			isnan(p->host_busy) ? 0 : p->host_busy * 100, isnan(p->psi_cpu_share) ? 0 : p->psi_cpu_share * 100);
	fputc('\n', out);
}

void stackview_text(FILE *out, const struct verdict *v)
{
	for (size_t i = 0; i < v->nstack; i++)
		point_text(out, &v->stack[i]);
}

static json_object *jnum(double v)
{
	return isnan(v) || isinf(v) ? NULL : json_object_new_double(v);
}

json_object *stackview_interval(const struct interval *iv)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "value", jnum(iv->mid));
	json_object_object_add(o, "lo", jnum(iv->lo));
	json_object_object_add(o, "hi", jnum(iv->hi));
	json_object_object_add(o, "level", jnum(iv->level));
	return o;
}

json_object *stackview_json(const struct verdict *v)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < v->nstack; i++) {
		const struct stack_point *p = &v->stack[i];
		json_object *o = json_object_new_object(), *comps = json_object_new_object();

		json_object_object_add(o, "n_workers", json_object_new_int(p->n));
		json_object_object_add(o, "runs", json_object_new_int(p->runs));
		json_object_object_add(o, "runs_1", json_object_new_int(p->runs1));
		json_object_object_add(o, "cost_1", jnum(p->cost1));
		json_object_object_add(o, "cost", jnum(p->cost));
		json_object_object_add(o, "lost", stackview_interval(&p->lost));
		for (int c = 0; c < SC_COUNT; c++) {
			json_object *x = stackview_interval(&p->comp[c]);

			json_object_object_add(x, "share", jnum(p->share[c]));
			json_object_object_add(comps, stack_comp_name(c), x);
		}
		json_object_object_add(o, "components", comps);
		json_object_object_add(o, "efficiency", stackview_interval(&p->efficiency));
		json_object_object_add(o, "wall_s", stackview_interval(&p->wall));
		json_object_object_add(o, "wall_s_min", jnum(p->wall_min));
		json_object_object_add(o, "wall_s_max", jnum(p->wall_max));
		json_object_object_add(o, "outliers", json_object_new_int(p->outliers));
		json_object_object_add(o, "outliers_1", json_object_new_int(p->outliers1));
		json_object_object_add(o, "wait_ratio", jnum(p->wait_ratio));
		json_object_object_add(o, "serial_fraction", jnum(p->serial_fraction));
		json_object_object_add(o, "serial_phase_s", jnum(p->serial_phase));
		json_object_object_add(o, "amdahl_fraction", jnum(p->amdahl));
		json_object_object_add(o, "host_busy_share", jnum(p->host_busy));
		json_object_object_add(o, "psi_cpu_share", jnum(p->psi_cpu_share));
		json_object_array_add(a, o);
	}
	return a;
}

void stackview_wall(const struct vinput *in, int n, struct summary *ret)
{
	double *w = xcalloc(in && in->nruns ? in->nruns : 1, sizeof(double));
	size_t k = 0;

	for (size_t i = 0; in && i < in->nruns; i++)
		if (in->runs[i].n == n)
			w[k++] = in->runs[i].wall;
	stats_summary(w, k, ret);
	free(w);
}
