/* capture.h: what a child wrote, kept bounded: the last TAIL_BYTES of a
 * stream in a ring (struct tail, model/result.h), filled from the read end
 * of a pipe, and the two readings the co-runners' reports need. */
#ifndef SCALPROF_CAPTURE_H
#define SCALPROF_CAPTURE_H

#include <stddef.h>

#include "model/result.h"

/* Appends n bytes to t (allocating its ring on first use), dropping from
 * the front what no longer fits; counts every byte in t->total. Does not
 * fail (allocation failure aborts, as everywhere). The caller frees
 * t->buf. */
void capture_add(struct tail *t, const char *buf, size_t n);

/* Reads what is available on fd (non-blocking) into t. Returns 1 at EOF or
 * on a read error (the stream is over: close fd), 0 when it would block. */
int capture_drain(int fd, struct tail *t);

/* Whether some line kept in t starts with word. */
int capture_has_line(const struct tail *t, const char *word);

/* The value of the last 4 KiB's line "key=value" as a number, or NAN;
 * when text_out is given, also the value's text (truncated to text_len). */
double capture_field(const struct tail *t, const char *key, char *text_out, size_t text_len);

#endif
