/* profview.c: stored stacks seen for people (see profview.h). A function's
 * cost per unit of work in a run is its samples over the sampling rate
 * (on-CPU core-seconds), or its time off the CPU, over the units of work
 * the run did (n for copies, 1 for a team): the same normalisation as the
 * speedup stack, so that growth from 1 worker to n reads as that stack's
 * components do, and its share says how much of a component's growth in
 * the profile that one function holds. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/profview.h"
#include "model/stats.h"
#include "base/util.h"

/* ---- flame graph input ------------------------------------------------- */

void pview_add(struct pview *v, const struct pstack *s, size_t n, int offcpu, double weight, int as_base)
{
	for (size_t i = 0; i < n; i++) {
		int off = strcmp(s[i].state, "on") != 0;
		double x = off ? (double)s[i].off_ns / 1e6 : (double)s[i].samples;
		struct flame_frame *fr;

		if (off != !!offcpu || s[i].depth == 0)
			continue;
		fr = xcalloc(s[i].depth, sizeof(*fr));
		for (size_t d = 0; d < s[i].depth; d++)
			fr[d] = (struct flame_frame){ s[i].names[d], s[i].kinds[d] };
		v->stacks = xreallocarray(v->stacks, v->n + 1, sizeof(*v->stacks));
		v->stacks[v->n++] = (struct flame_stack){ .frames = fr, .depth = s[i].depth,
							  .value = as_base ? 0 : x * weight,
							  .base = as_base ? x * weight : 0 };
		if (!as_base)
			v->total += x * weight;
	}
}

void pview_clear(struct pview *v)
{
	for (size_t i = 0; i < v->n; i++)
		free((void *)v->stacks[i].frames);
	free(v->stacks);
	memset(v, 0, sizeof(*v));
}

/* ---- labels -------------------------------------------------------------- */

/* The scheduler's own frames, under which every off-CPU stack ends: they
 * say that the thread left the CPU, not why. */
static int is_scheduler(const char *name)
{
	static const char *const prefixes[] = { "schedule", "__schedule", "preempt_schedule", "__switch_to",
						"finish_task_switch", "context_switch", "__traceiter", "perf_",
						"__perf", "io_schedule" };

	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

/* Where a kernel re-enables interrupts: a timer sample that fell while
 * they were off is taken there (cpu-clock is an hrtimer), so an on-CPU
 * kernel stack is named by the frame beneath these. */
static int is_irq_enable(const char *name)
{
	return strstr(name, "irq_enable") || strstr(name, "irqrestore") || strncmp(name, "__raw_callee_save_", 18) == 0;
}

/* A frame's name for the comparison: an unresolved address stands for
 * its module's code without symbols ("python3.11 (no symbols)"), so that
 * the addresses of one unnamed function, each a frame of its own, add up
 * instead of splitting its growth into slivers. */
static char *frame_label(const struct pstack *s, size_t d)
{
	const char *plus = s->kinds[d] == '?' ? strrchr(s->names[d], '+') : NULL;

	if (!plus)
		return xstrdup(s->names[d]);
	return xasprintf("%.*s (no symbols)", (int)(plus - s->names[d]), s->names[d]);
}

char *pstack_label(const struct pstack *s)
{
	const char *where = NULL, *under = NULL;

	if (s->depth == 0)
		return xstrdup("?");
	if (strcmp(s->state, "on") == 0) {
		size_t d = s->depth - 1;

		while (d > 0 && s->kinds[d] == 'k' && is_irq_enable(s->names[d]))
			d--;
		return frame_label(s, d);
	}
	for (size_t d = s->depth; d-- > 0 && !where;)
		if (s->kinds[d] == 'k' && !is_scheduler(s->names[d]))
			where = s->names[d];
	for (size_t d = s->depth; d-- > 0 && !under;)
		if (s->kinds[d] == 'u' || s->kinds[d] == 'j')
			under = s->names[d];
	if (!where)
		where = s->names[s->depth - 1];
	return under ? xasprintf("%s under %s", where, under) : xstrdup(where);
}

static enum pcomp stack_comp(const struct pstack *s)
{
	if (strcmp(s->state, "off") == 0)
		return PC_IDLE;
	if (strcmp(s->state, "queued") == 0)
		return PC_WAITING;
	return s->depth && s->kinds[s->depth - 1] == 'k' ? PC_KERNEL : PC_USER;
}

const char *pcomp_name(enum pcomp c)
{
	static const char *const names[] = { "extra user CPU", "extra kernel CPU", "waiting for a core", "idle" };

	return c < PC_COUNT ? names[c] : "?";
}

/* ---- costs per label ------------------------------------------------------ */

struct pcost {
	char *label;
	enum pcomp comp;
	double *v[2];             /* cost per run of each side, 0 where absent */
	size_t nv[2];
};

struct pcosts {
	struct pcost *c;
	size_t n;
	size_t runs[2];           /* runs added on each side */
};

struct pcosts *pcosts_new(void)
{
	return xcalloc(1, sizeof(struct pcosts));
}

void pcosts_free(struct pcosts *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->c[i].label);
		free(c->c[i].v[0]);
		free(c->c[i].v[1]);
	}
	free(c->c);
	free(c);
}

static struct pcost *cost_of(struct pcosts *c, const char *label, enum pcomp comp)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->c[i].comp == comp && strcmp(c->c[i].label, label) == 0)
			return &c->c[i];
	c->c = xreallocarray(c->c, c->n + 1, sizeof(*c->c));
	c->c[c->n] = (struct pcost){ .label = xstrdup(label), .comp = comp };
	return &c->c[c->n++];
}

/* Adds x to the label's cost in the side's current run (the last slot,
 * padded with zeros for the runs it was absent from). */
static void cost_add(struct pcost *pc, int side, size_t run, double x)
{
	if (pc->nv[side] < run + 1) {
		pc->v[side] = xreallocarray(pc->v[side], run + 1, sizeof(double));
		while (pc->nv[side] < run + 1)
			pc->v[side][pc->nv[side]++] = 0;
	}
	pc->v[side][run] += x;
}

void pcosts_add(struct pcosts *c, int side, const struct pinfo *run, const struct pstack *s, size_t n)
{
	double units = run->units > 0 ? run->units : 1;
	size_t r = c->runs[side]++;

	for (size_t i = 0; i < n; i++) {
		int on = strcmp(s[i].state, "on") == 0;
		double x = on ? (run->hz > 0 ? (double)s[i].samples / run->hz : 0) : (double)s[i].off_ns / 1e9;
		char *label = pstack_label(&s[i]);

		cost_add(cost_of(c, label, stack_comp(&s[i])), side, r, x / units);
		free(label);
	}
}

static int by_growth(const void *a, const void *b)
{
	const struct pgrowth *x = a, *y = b;

	if (x->comp != y->comp)
		return (int)x->comp - (int)y->comp;
	return x->growth > y->growth ? -1 : x->growth < y->growth;
}

/* The label's growth, its values padded to every run of each side. */
static struct pgrowth growth_of(const struct pcosts *c, struct pcost *pc)
{
	struct interval iv;
	double m[2] = { 0, 0 };

	for (int side = 0; side < 2; side++) {
		if (pc->nv[side] < c->runs[side]) {
			pc->v[side] = xreallocarray(pc->v[side], c->runs[side], sizeof(double));
			while (pc->nv[side] < c->runs[side])
				pc->v[side][pc->nv[side]++] = 0;
		}
		for (size_t i = 0; i < pc->nv[side]; i++)
			m[side] += pc->v[side][i] / (double)pc->nv[side];
	}
	stats_mean_diff(pc->v[0], pc->nv[0], pc->v[1], pc->nv[1], &iv);
	return (struct pgrowth){ .label = pc->label, .comp = pc->comp, .at1 = m[0], .atn = m[1],
				 .growth = m[1] - m[0], .half = isnan(iv.hi) ? NAN : (iv.hi - iv.lo) / 2,
				 .share = NAN };
}

void pgrowth_build(const struct pcosts *c, size_t k, struct pgrowth **ret, size_t *ret_n)
{
	struct pgrowth *all = xcalloc(c->n ? c->n : 1, sizeof(*all)), *out;
	double total[PC_COUNT] = { 0 };
	size_t n = 0, kept[PC_COUNT] = { 0 };

	/* a share is of what grew in its component: functions that shrank
	 * would otherwise push the shares of the others above 100% */
	for (size_t i = 0; i < c->n; i++) {
		all[i] = growth_of(c, &c->c[i]);
		if (all[i].growth > 0)
			total[all[i].comp] += all[i].growth;
	}
	qsort(all, c->n, sizeof(*all), by_growth);
	out = xcalloc(c->n ? c->n : 1, sizeof(*out));
	for (size_t i = 0; i < c->n; i++) {
		struct pgrowth g = all[i];

		if (!(g.growth > 0) || kept[g.comp] >= k)
			continue;
		kept[g.comp]++;
		g.share = total[g.comp] > 0 ? g.growth / total[g.comp] : NAN;
		g.label = xstrdup(g.label);
		out[n++] = g;
	}
	free(all);
	*ret = out;
	*ret_n = n;
}

void pgrowth_free(struct pgrowth *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(g[i].label);
	free(g);
}
