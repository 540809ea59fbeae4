/* intervene.h: from correlation to cause. Each variant of a workload (a
 * change made from outside the program: environment, THP, placement,
 * memory policy, scale) gets its own speedup stack from its own runs at 1
 * worker and at n, and is set beside the baseline's, component by
 * component; the verdict's leading component is confirmed as the cause
 * when a variant removes at least half of it beyond the noise of both
 * (the difference's interval clears zero), and not confirmed when the
 * variants that ran left it. For a cause still open, the campaign snippet
 * that would test it; for confirm, the interventions that test each
 * component on this machine. Pure: no SQL, no I/O. Rules in
 * scalprof-verdict(7), INTERVENTIONS. */
#ifndef SCALPROF_INTERVENE_H
#define SCALPROF_INTERVENE_H

#include <stddef.h>
#include <stdio.h>

#include "model/variant.h"
#include "model/verdict_data.h"

/* A variant confirms a component when it removes at least this share of it
 * (and the removal's interval clears zero). */
#define INTERVENE_REMOVED_MIN 0.5

/* Sets v's effects, intervention and intervention_line from in's variants
 * against v's stack (verdict_judge's), and test_snippet for a workload that
 * did not scale and whose cause no variant confirmed. Cannot fail. */
void intervene_judge(const struct vinput *in, struct verdict *v);

/* The component of v's stack at v->n with the largest share of the lost
 * time, or -1 when nothing was lost there (or no stack). */
int intervene_leading(const struct verdict *v);

/* The interventions of v in text, each line begun with indent: its
 * conclusion, each variant against the baseline at each n (efficiency and
 * the two components it changed most, with intervals), and for a cause
 * still open the campaign snippet that would test it. Nothing when v has
 * no variant and no snippet. */
void intervene_text(FILE *out, const struct verdict *v, const char *indent);

/* The components of v's stack at v->n that are causes: the leading one,
 * then each other at or above component_major's share, largest first.
 * Returns how many (written into ret), 0 when nothing was lost. */
size_t intervene_majors(const struct verdict *v, int ret[SC_COUNT]);

/* What the machine allows a placement or memory-policy variant to change. */
struct intervene_machine {
	int cores, sockets, l3_domains, numa_nodes;
};

/* The interventions confirm runs for v (a workload that did not scale):
 * those of variant_interventions() that test its major components
 * (intervene_majors) and can
 * change something on machine m. Writes up to max pointers into ret; returns
 * how many, and in why (len bytes) what could not be tested and why ("" when
 * nothing). */
size_t intervene_choose(const struct verdict *v, const struct intervene_machine *m, const struct variant **ret,
			size_t max, char *why, size_t len);

#endif
