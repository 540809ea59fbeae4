/* plot.h: a campaign's figures as an SVG or PNG file, drawn by gnuplot (a
 * well-kept plotting tool; we write its script, it draws the axes): one row
 * per workload, speedup against N with its error bars and the ideal line,
 * the speedup stack per N (stacked bars of the lost core-seconds per unit
 * of work by component), and memory bandwidth against N with this
 * machine's ceiling. */
#ifndef SCALPROF_PLOT_H
#define SCALPROF_PLOT_H

#include <stddef.h>

#include "model/verdict_data.h"

struct plot_point {
	int n;
	double speedup, gbps, ceiling_gbps; /* NAN where not measured */
	double speedup_lo, speedup_hi;      /* the speedup's interval; NAN: none */
	double comp[SC_COUNT];              /* core-seconds per unit lost, by component; NAN: no stack */
};

struct plot_panel {
	const char *workload, *mode, *verdict;
	const char *bw_note;          /* shown when there is no bandwidth to draw */
	const struct plot_point *pts; /* by n ascending */
	size_t npts;
};

/* Writes path (its extension, .svg or .png, picks the format). Returns 0,
 * -EINVAL for another extension, -ENOENT when gnuplot is not installed, or
 * -EIO; *ret_error then says what failed. */
int plot_campaign(const char *path, const char *title, const struct plot_panel *panels, size_t npanels,
		  char **ret_error);

#endif
