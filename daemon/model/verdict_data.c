/* verdict_data.c: names, construction and freeing of the verdict's plain
 * data (see verdict_data.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "model/verdict_data.h"

const char *stack_comp_name(enum stack_comp c)
{
	static const char *const n[SC_COUNT] = { "extra-user", "extra-kernel", "waiting", "idle", "remainder" };

	return (unsigned)c < SC_COUNT ? n[c] : "?";
}

enum stack_comp stack_comp_from_name(const char *name)
{
	for (int c = 0; c < SC_COUNT; c++)
		if (strcmp(stack_comp_name(c), name) == 0)
			return c;
	return SC_REMAINDER;
}

const char *stack_comp_label(enum stack_comp c)
{
	static const char *const n[SC_COUNT] = {
		"extra user CPU", "extra kernel CPU", "waiting for a core", "idle", "remainder",
	};

	return (unsigned)c < SC_COUNT ? n[c] : "?";
}

const char *hypothesis_name(enum hypothesis h)
{
	static const char *const n[H_COUNT] = {
		"memory-bandwidth", "shared-cache", "kernel", "serialized", "ipc-overhead", "oversubscribed",
	};

	return (unsigned)h < H_COUNT ? n[h] : "?";
}

const char *hyp_status_name(enum hyp_status s)
{
	static const char *const n[] = { "untestable", "unclear", "contradicted", "mixed", "supported" };

	return (unsigned)s < ARRAY_SIZE(n) ? n[s] : "?";
}

const char *stance_name(enum stance s)
{
	static const char *const n[] = { "context", "for", "against" };

	return (unsigned)s < ARRAY_SIZE(n) ? n[s] : "?";
}

void vpoint_init(struct vpoint *p, int n)
{
	memset(p, 0, sizeof(*p));
	p->n = n;
	p->wall = p->speedup = p->efficiency = NAN;
	p->cpu_util = p->kernel_share = p->kernel_s_per_unit = p->faults_per_cpu_s = NAN;
	p->switches_per_unit = p->switches_per_cpu_ms = p->run_delay_ratio = p->migrations_per_s = NAN;
	p->ipc = p->mpki = p->gbps = p->ceiling = p->wset_llc = p->ceiling_scaling = NAN;
	for (int k = 0; k < CO_COUNT; k++)
		p->slowdown[k] = NAN;
	for (int f = 0; f < VF_COUNT; f++)
		p->spread[f] = (struct interval){ NAN, NAN, NAN, NAN };
}

struct vpoint *vinput_point(struct vinput *in, int n, int create)
{
	size_t i;

	for (i = 0; i < in->npts; i++)
		if (in->pts[i].n == n)
			return &in->pts[i];
	if (!create)
		return NULL;
	for (i = 0; i < in->npts && in->pts[i].n < n; i++)
		;
	in->pts = xreallocarray(in->pts, in->npts + 1, sizeof(*in->pts));
	memmove(&in->pts[i + 1], &in->pts[i], (in->npts - i) * sizeof(*in->pts));
	in->npts++;
	vpoint_init(&in->pts[i], n);
	return &in->pts[i];
}

void vinputs_free(struct vinput *in, size_t n)
{
	for (size_t i = 0; in && i < n; i++) {
		free(in[i].workload);
		free(in[i].mode);
		free(in[i].pts);
		free(in[i].bw_source);
		free(in[i].bw_reason);
		free(in[i].llc_reason);
		free(in[i].runs);
		for (size_t k = 0; k < in[i].nvariants; k++) {
			free(in[i].variants[k].name);
			free(in[i].variants[k].tests);
			free(in[i].variants[k].runs);
		}
		free(in[i].variants);
		free(in[i].bandit);
		free(in[i].ceiling_gbps);
	}
	free(in);
}

const char *intervention_name(enum intervention i)
{
	return i == IV_CONFIRMED ? "confirmed" : i == IV_NOT_CONFIRMED ? "not-confirmed" : "untested";
}

void verdict_clear(struct verdict *v)
{
	free(v->workload);
	free(v->mode);
	free(v->ev);
	free(v->stack);
	free(v->profile_detail);
	free(v->effects);
	free(v->curves);
	memset(v, 0, sizeof(*v));
}

void verdicts_free(struct verdict *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		verdict_clear(&v[i]);
	free(v);
}

const char *bandit_shape_name(enum bandit_shape s)
{
	static const char *const names[] = { "rising", "flat", "step", "unseparated" };

	return (unsigned)s < ARRAY_SIZE(names) ? names[s] : "?";
}

const char *bandit_shape_meaning(enum bandit_shape s)
{
	static const char *const words[] = { "lives on bandwidth", "insensitive to bandwidth",
					     "hurt by cache eviction, not by bandwidth", "the runs cannot tell" };

	return (unsigned)s < ARRAY_SIZE(words) ? words[s] : "?";
}
