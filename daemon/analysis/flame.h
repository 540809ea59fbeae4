/* flame.h: flame graphs (Brendan Gregg's, as FlameGraph and inferno draw
 * them) from stacks with weights: a self-contained interactive SVG (hover
 * shows a frame's name, value and share; click zooms to a frame's
 * subtree; a reset control), a differential one (widths from the stacks'
 * values, colour by growth against their base), and the folded-stack
 * text ("root;caller;callee 123" per line) that speedscope, inferno and
 * FlameGraph read. Pure: no database, no run; the caller gives the
 * stacks. */
#ifndef SCALPROF_FLAME_H
#define SCALPROF_FLAME_H

#include <stddef.h>
#include <stdio.h>

struct flame_frame {
	const char *name;  /* "clear_page_erms", or "libfoo.so+0x1a2b" when unresolved */
	char kind;         /* 'u' user, 'k' kernel, 'j' JIT, '?' unresolved */
};

/* One stack, root first, with its weight. base: for a differential
 * graph, what this stack would weigh in the graph if it cost per unit of
 * work what it cost in the baseline run (the caller scales it); growth
 * is value - base, and a stack only in the baseline comes with value 0. */
struct flame_stack {
	const struct flame_frame *frames;
	size_t depth;
	double value, base;
};

struct flame_input {
	const struct flame_stack *stacks;
	size_t nstacks;
	const char *title;    /* e.g. "run 12: stream, 2 workers, on-CPU" */
	const char *subtitle; /* e.g. the sample rate and totals; may be NULL */
	const char *unit;     /* what value counts: "samples", "ms off-CPU" */
	int diff;             /* colour by growth (value - base) */
};

/* Writes the SVG; returns 0 or -errno (a write error). Identical stacks
 * are merged; frames narrower than a pixel's share (0.1% of the total)
 * are left out of the drawing but count in their parents, and the graph
 * says how many were left out. Values that are negative or not finite
 * count as 0. Does not log. */
int flame_svg(FILE *out, const struct flame_input *in);

/* Writes the folded stacks, one line per distinct stack: frames joined
 * by ';' (kernel frames suffixed "_[k]", as FlameGraph marks them), a
 * space and the value rounded to a whole number. Returns 0 or -errno.
 * The lines come in the tree's order, frame by frame with names in byte
 * order, a stack before the longer ones it begins; a stack of value 0
 * (only in the baseline) has no line; ';' and control characters in a
 * name are written as '_', so that no name splits a frame or a line. */
int flame_folded(FILE *out, const struct flame_input *in);

#endif
