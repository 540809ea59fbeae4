/* ceiling.h: this machine's measured memory-bandwidth ceiling and usable
 * last-level cache (see ceiling.c). */
#ifndef SCALPROF_CEILING_H
#define SCALPROF_CEILING_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/runner.h"
#include "store/store.h"
#include "host/topology.h"

#define CEILING_MAX_COUNTS 1024
#define CEILING_MAX_SIZES 32

struct ceiling_opts {
	const struct topology *topo;
	double scale;                 /* shrinks the measurement (tests); 1 normally */
	int sigfd;
	runner_progress_fn progress;
	void *progress_arg;
};

struct ceiling {
	int ncounts;                  /* worker counts measured: 1..ncounts */
	double copy_mbps[CEILING_MAX_COUNTS], triad_mbps[CEILING_MAX_COUNTS];
	uint64_t array_bytes;
	size_t nsizes;
	uint64_t bytes[CEILING_MAX_SIZES];
	double ns[CEILING_MAX_SIZES];
	double threshold_ns;
	uint64_t usable_llc_bytes;
};

/* Measures both. Returns 0, -EINTR when a signal on sigfd stopped it, or
 * another -errno with a fresh *ret_error. Does not log. */
int ceiling_measure(const struct ceiling_opts *o, struct ceiling *ret, char **ret_error);

/* Replaces the machine's stored ceiling and latencies; 0 or -EIO. */
int ceiling_store(struct store *st, int64_t machine_id, const struct ceiling *c);

/* Whether the machine has a stored ceiling and usable cache. */
int ceiling_known(struct store *st, int64_t machine_id);

void ceiling_print(const struct ceiling *c, FILE *out);

#endif
