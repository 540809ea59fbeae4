/* verdict_data.h: what the verdict weighs and what it concludes, as plain
 * data: the store fills struct vinput from a campaign's measurements
 * (store/verdicts.h) and writes struct verdict back; analysis/verdict.c
 * judges one from the other without touching the database. The rules are
 * in man/scalprof-verdict.7. */
#ifndef SCALPROF_VERDICT_DATA_H
#define SCALPROF_VERDICT_DATA_H

#include <stddef.h>

enum hypothesis {
	H_BANDWIDTH, H_CACHE, H_KERNEL, H_SERIALIZED, H_IPC, H_OVERSUB, H_COUNT,
};

/* untestable: nothing measured; unclear: measured, between the thresholds */
enum hyp_status { HS_UNTESTABLE, HS_UNCLEAR, HS_CONTRADICTED, HS_MIXED, HS_SUPPORTED };

enum stance { ST_CONTEXT, ST_FOR, ST_AGAINST };

/* the co-runners, in the order of struct vpoint's slowdown[] */
enum corunner_kind { CO_BANDWIDTH, CO_CACHE, CO_CPU, CO_COUNT };

/* Medians over the ok ordinary runs of one workload at one worker count;
 * NAN where not measured. */
struct vpoint {
	int n, runs;
	double wall, speedup, efficiency;
	double cpu_util, kernel_share, kernel_s_per_unit, faults_per_cpu_s;
	double switches_per_unit, switches_per_cpu_ms, run_delay_ratio, migrations_per_s;
	double ipc, mpki, gbps, ceiling, wset_llc;
	double slowdown[CO_COUNT]; /* beside the bandwidth, cache and cpu co-runners */
	int coruns[CO_COUNT];      /* how many co-runs each median is of */
};

struct vinput {
	char *workload, *mode;
	int cores;          /* physical cores of the machine */
	struct vpoint *pts; /* by n ascending */
	size_t npts;
	char *bw_source;    /* bandwidth sources seen, or NULL */
	char *bw_reason;    /* why bandwidth was not measured, or NULL */
	char *llc_reason;   /* why LLC misses were not counted, or NULL */
	int ceiling_known;  /* the machine's ceiling was measured */
};

struct evidence {
	enum hypothesis hyp;
	const char *figure;  /* a run_metrics column, or the like */
	int n;               /* worker count it was taken at */
	double value;
	char threshold[64];  /* "<= 1.3 (serialized_max_cores)" */
	enum stance stance;
	char source[96];     /* where it came from and how it was aggregated */
	char note[160];      /* what it means, in words */
};

struct hyp_result {
	enum hyp_status status;
	int n_for, n_against;
	char reason[320];    /* for untestable: what was missing */
};

struct verdict {
	char *workload, *mode;
	const char *verdict;     /* "scales", "memory-bandwidth", ..., "inconclusive" */
	const char *confidence;  /* "high", "medium", "low" */
	int n;                   /* the worker count judged, 0 if none */
	double efficiency;       /* at n */
	char reason[320];
	struct hyp_result hyp[H_COUNT];
	char bw_line[400];       /* the memory-bandwidth line of the report */
	struct evidence *ev;
	size_t nev;
};

/* The names stored and printed ("memory-bandwidth", "supported", "for");
 * "?" for a value out of range. */
const char *hypothesis_name(enum hypothesis h);
const char *hyp_status_name(enum hyp_status s);
const char *stance_name(enum stance s);

/* Sets p to worker count n with every figure NAN and no runs. */
void vpoint_init(struct vpoint *p, int n);
/* The point of in at n; when there is none, NULL, or with create a new
 * one from vpoint_init inserted in order of n (moving the others, so a
 * pointer to another point does not survive it). Does not log. */
struct vpoint *vinput_point(struct vinput *in, int n, int create);
/* Frees the n inputs and the array; accepts NULL. */
void vinputs_free(struct vinput *in, size_t n);

/* Frees what v owns and zeroes it. */
void verdict_clear(struct verdict *v);
/* verdict_clear on each of the n verdicts, then frees the array; accepts NULL. */
void verdicts_free(struct verdict *v, size_t n);

#endif
