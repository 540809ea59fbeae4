/* ceiling.h (model): this machine's measured limits as data: the STREAM
 * bandwidth for each worker count and the pointer-chase latency sweep with
 * the usable last-level cache found in it. Measured by engine/ceiling.c,
 * written by store/ceiling.c. Plain data, no functions. */
#ifndef SCALPROF_MODEL_CEILING_H
#define SCALPROF_MODEL_CEILING_H

#include <stddef.h>
#include <stdint.h>

#define CEILING_MAX_COUNTS 1024
#define CEILING_MAX_SIZES 32

struct ceiling {
	int ncounts;                  /* worker counts measured: 1..ncounts */
	double copy_mbps[CEILING_MAX_COUNTS], triad_mbps[CEILING_MAX_COUNTS];
	uint64_t array_bytes;
	size_t nsizes;
	uint64_t bytes[CEILING_MAX_SIZES];
	double ns[CEILING_MAX_SIZES]; /* INFINITY where a size gave no reading */
	double threshold_ns;
	uint64_t usable_llc_bytes;
	int64_t measured_at;          /* Unix seconds; 0: now (a fresh measurement) */
	char from[512];               /* "": measured now; else the cache file it was read from */
};

#endif
