/* profview.h: a run's stored stacks seen for people: as a flame graph's
 * input (on-CPU samples, or off-CPU milliseconds), alone or against a
 * baseline run per unit of work; and, between 1 worker and N, the
 * functions whose cost per unit of work grew most, by the speedup stack's
 * component they feed (on-CPU kernel frames: extra kernel CPU; other
 * on-CPU frames: extra user CPU; blocked: idle; preempted: waiting for a
 * core). Pure: the stacks come from store_profile_stacks. */
#ifndef SCALPROF_PROFVIEW_H
#define SCALPROF_PROFVIEW_H

#include <stddef.h>

#include "analysis/flame.h"
#include "store/profiles.h"

/* Flame graph input built from one or two runs; frames point into the
 * pstacks given, which must outlive it. */
struct pview {
	struct flame_stack *stacks;
	size_t n;
	double total;             /* sum of values added */
};

/* Adds the stacks of one run: on-CPU samples (offcpu 0) or off-CPU
 * milliseconds, off and queued (offcpu 1), each multiplied by weight, as
 * values or, with as_base, as the baseline of a differential graph. */
void pview_add(struct pview *v, const struct pstack *s, size_t n, int offcpu, double weight, int as_base);
void pview_clear(struct pview *v);

enum pcomp { PC_USER, PC_KERNEL, PC_WAITING, PC_IDLE, PC_COUNT };

/* One function's growth from 1 worker to n, in core-seconds per unit of
 * work: mean at n minus mean at 1, with Welch's 95% interval half-width
 * (NAN with fewer than two runs on a side), and its share of what grew
 * in its component (the sum of the positive growths of its functions). */
struct pgrowth {
	char *label;              /* "clear_page_erms", "futex_wait_queue under take_gil" */
	enum pcomp comp;
	double at1, atn, growth, half, share;
};

/* One run's stacks, summarised per label and component as cost per unit
 * of work (filled by pcost_add, read by pgrowth_build). */
struct pcosts;
struct pcosts *pcosts_new(void);
void pcosts_free(struct pcosts *c);
/* Adds one run's stacks; side 0: a run at 1 worker, 1: at n. */
void pcosts_add(struct pcosts *c, int side, const struct pinfo *run, const struct pstack *s, size_t n);
/* The top k growths of each component, by growth (largest first, only
 * positive ones): a fresh array (free with pgrowth_free). */
void pgrowth_build(const struct pcosts *c, size_t k, struct pgrowth **ret, size_t *ret_n);
void pgrowth_free(struct pgrowth *g, size_t n);

/* "extra kernel CPU", ... */
const char *pcomp_name(enum pcomp c);

/* The frame that names an off-CPU stack: the first kernel frame from the
 * leaf that is not the scheduler's own, and the deepest user frame with a
 * symbol ("futex_wait_queue under take_gil"); an on-CPU stack is named by
 * its leaf, or in the kernel by the frame beneath the one that re-enabled
 * interrupts, where a timer sample is taken late. A fresh string. Exposed
 * for tests. */
char *pstack_label(const struct pstack *s);

#endif
