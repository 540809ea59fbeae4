/* verdict.h: from a campaign's stored measurements to an explanation of why
 * each workload does or does not scale. verdict_load() reads the medians the
 * verdict needs from the run_metrics view; verdict_judge() weighs every
 * hypothesis against the thresholds of thresholds.def and keeps each figure
 * it used, for and against. The rules and thresholds are documented in
 * man/scalprof-verdict.7. */
#ifndef SCALPROF_VERDICT_H
#define SCALPROF_VERDICT_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

enum hypothesis {
	H_BANDWIDTH, H_CACHE, H_KERNEL, H_SERIALIZED, H_IPC, H_OVERSUB, H_COUNT,
};

/* untestable: nothing measured; unclear: measured, between the thresholds */
enum hyp_status { HS_UNTESTABLE, HS_UNCLEAR, HS_CONTRADICTED, HS_MIXED, HS_SUPPORTED };

enum stance { ST_CONTEXT, ST_FOR, ST_AGAINST };

/* Medians over the ok ordinary runs of one workload at one worker count;
 * NAN where not measured. */
struct vpoint {
	int n, runs;
	double wall, speedup, efficiency;
	double cpu_util, kernel_share, kernel_s_per_unit, faults_per_cpu_s;
	double switches_per_unit, switches_per_cpu_ms, run_delay_ratio, migrations_per_s;
	double ipc, mpki, gbps, ceiling, wset_llc;
	double slowdown[3]; /* beside the bandwidth, cache and cpu co-runners */
	int coruns[3];      /* how many co-runs each median is of */
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

/* The name of a hypothesis as stored ("memory-bandwidth", ...). */
const char *hypothesis_name(enum hypothesis h);
const char *hyp_status_name(enum hyp_status s);
const char *stance_name(enum stance s);

/* A threshold's value by name, NAN if there is none; the whole table for
 * tests and documentation: *ret_n entries of names, values and meanings. */
double verdict_threshold(const char *name);
void verdict_thresholds(const char *const **names, const double **values, const char *const **meanings,
			size_t *ret_n);

/* Reads campaign cid's inputs, one per workload in campaign order. Returns 0
 * or -EIO (sqlite3_errmsg(db) says why). */
int verdict_load(sqlite3 *db, int64_t cid, struct vinput **ret, size_t *ret_n);
void vinputs_free(struct vinput *in, size_t n);

/* Judges one workload; v must be freed with verdict_clear(). */
void verdict_judge(const struct vinput *in, struct verdict *v);
void verdict_clear(struct verdict *v);

/* verdict_load and verdict_judge for every workload of cid. */
int verdict_campaign(sqlite3 *db, int64_t cid, struct verdict **ret, size_t *ret_n);
void verdicts_free(struct verdict *v, size_t n);

/* Replaces cid's stored verdicts by v, in one transaction. Returns 0 or
 * -EIO with a fresh *ret_error saying why. */
int verdict_store(sqlite3 *db, int64_t cid, const struct verdict *v, size_t n, const char *version,
		  char **ret_error);

#endif
