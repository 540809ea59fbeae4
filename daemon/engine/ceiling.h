/* ceiling.h (engine): measures this machine's memory-bandwidth ceiling and
 * usable last-level cache (see ceiling.c); struct ceiling is model/ceiling.h,
 * storing it store/ceiling.h. */
#ifndef SCALPROF_CEILING_H
#define SCALPROF_CEILING_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/ceiling.h"
#include "engine/runner.h"
#include "store/ceiling.h"
#include "store/store.h"
#include "host/topology.h"

struct ceiling_opts {
	const struct topology *topo;
	double scale;                 /* shrinks the measurement (tests); 1 normally */
	uint64_t max_bytes;           /* largest array and working set; 0: from the L3 */
	int sigfd;
	runner_progress_fn progress;
	void *progress_arg;
};

/* Measures both. Returns 0, -EINTR when a signal on sigfd stopped it, or
 * another -errno with a fresh *ret_error. Does not log. */
int ceiling_measure(const struct ceiling_opts *o, struct ceiling *ret, char **ret_error);

/* ceiling_store() and ceiling_known() are the store's: store/ceiling.h. */

/* The largest array and working set a measurement may use, in bytes, from
 * text (a whole number of MiB, 1..1048576) or, when text is NULL, from
 * SCALPROF_PROBE_MAX_MIB; 0 when neither is set (no limit). Returns 0, or
 * -EINVAL with *ret_what naming the one that was wrong ("--max-mib" or
 * the variable). Does not log. */
int ceiling_max_bytes(const char *text, uint64_t *ret, const char **ret_what);
#define CEILING_MAX_MIB (1u << 20)

/* Prints the measured ceiling as a table for people. Does not fail. */
void ceiling_print(const struct ceiling *c, FILE *out);

#endif
