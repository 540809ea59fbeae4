/* stack.h: the speedup stack (after Eyerman and Eeckhout, "Speedup stacks",
 * ISPASS 2012, built here from what the operating system measures, so it
 * works in a guest without a PMU). For a workload at n workers, the
 * core-seconds per unit of work lost against perfect scaling,
 *
 *     lost = n x T_n / units_n - T_1 / units_1
 *
 * (units: n for copies, 1 for a team), split into the change from 1 worker
 * to n of what those core-seconds went to: user CPU, kernel CPU, waiting
 * for a core (run-queue wait of every thread and child, and time the
 * hypervisor stole from the reserved cores) and idle (reserved, not used: blocked, sleeping, nothing
 * to run), with a remainder for CPU time beyond the reserved cores. Each
 * run's reserved core time splits exactly into these, so the means add up
 * to the lost time exactly; each component's interval is Welch's, over
 * the repetitions at 1 and at n. Beside the stack, the timeline's serial
 * phase: the mean wall time at n in one-core stretches, and Amdahl's
 * serial fraction from it (the CPU time in them over all CPU time), which
 * alone bounds the efficiency at n to 1 / (n f + 1 - f). Pure: see
 * stack.c for the arithmetic. */
#ifndef SCALPROF_STACK_H
#define SCALPROF_STACK_H

#include <stddef.h>

#include "model/verdict_data.h"

/* The stack at every worker count above 1 that has runs, when there are
 * runs at 1: a fresh array of *ret_n points by n ascending (NULL, 0 when
 * none). Cannot fail; does not log. */
void stack_build(const struct srun *runs, size_t nruns, struct stack_point **ret, size_t *ret_n);

/* One run's core-seconds per unit of work, by component (SC_COUNT values
 * that add up to n x wall / units). Exposed for tests. */
void stack_split_run(const struct srun *r, double comp[SC_COUNT]);

/* 1 / (n f + 1 - f) for Amdahl's f from the timeline: the efficiency a
 * serial phase of that size allows at n; NAN when unknown. */
double stack_amdahl_bound(const struct stack_point *p);

/* "serial phase 0.40 s of 0.93 s (timeline: one core busy), Amdahl's f
 * 0.27 caps efficiency at 0.79; serial fraction 0.50 (Karp-Flatt)", or
 * the Karp-Flatt part alone without a timeline; snprintf's return. */
int stack_serial_text(const struct stack_point *p, char *buf, size_t len);

#endif
