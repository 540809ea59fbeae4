/* stackview.h: the speedup stack and the spread of the figures as the
 * report shows them: text lines under each verdict, JSON objects, and the
 * spread of one table row's wall times. */
#ifndef SCALPROF_STACKVIEW_H
#define SCALPROF_STACKVIEW_H

#include <stdio.h>

#include <json-c/json.h>

#include "model/stats.h"
#include "model/verdict_data.h"

/* The stack of v, one block per worker count, for people. */
void stackview_text(FILE *out, const struct verdict *v);

/* The stack of v as a JSON array (a new reference). */
json_object *stackview_json(const struct verdict *v);

/* An interval as JSON: {"value", "lo", "hi", "level"}; NULL members for NAN. */
json_object *stackview_interval(const struct interval *iv);

/* The wall times of in's ok ordinary runs at n, summarised. */
void stackview_wall(const struct vinput *in, int n, struct summary *ret);

#endif
