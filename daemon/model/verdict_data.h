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

/* A figure and its interval; NAN where unknown. */
struct interval {
	double mid, lo, hi;
	double level;  /* the interval's confidence: 0.95, or what few runs allow */
};

/* the co-runners, in the order of struct vpoint's slowdown[] */
enum corunner_kind { CO_BANDWIDTH, CO_CACHE, CO_CPU, CO_COUNT };

/* The figures of struct vpoint read from run_metrics, in the order of
 * their fields there: each also has its spread in vpoint.spread. */
enum vfig {
	VF_CPU_UTIL, VF_KERNEL_SHARE, VF_KERNEL_PER_UNIT, VF_FAULTS_PER_CPU_S, VF_SWITCHES_PER_UNIT,
	VF_SWITCHES_PER_CPU_MS, VF_RUN_DELAY, VF_MIGRATIONS, VF_IPC, VF_MPKI, VF_GBPS, VF_CEILING, VF_WSET_LLC,
	VF_COUNT
};

/* Medians over the ok ordinary runs of one workload at one worker count;
 * NAN where not measured. */
struct vpoint {
	int n, runs;
	double wall, speedup, efficiency;
	double cpu_util, kernel_share, kernel_s_per_unit, faults_per_cpu_s;
	double switches_per_unit, switches_per_cpu_ms, run_delay_ratio, migrations_per_s;
	double ipc, mpki, gbps, ceiling, wset_llc;
	double ceiling_scaling;    /* the machine's bandwidth ceiling at n / (n x at 1) */
	struct interval spread[VF_COUNT]; /* each run_metrics figure's median with its order-statistic
					   * interval (mid is the field's value) */
	double slowdown[CO_COUNT]; /* beside the bandwidth, cache and cpu co-runners */
	int coruns[CO_COUNT];      /* how many co-runs each median is of */
};

/* One ok ordinary run as the speedup stack sees it; times in seconds, NAN
 * where not measured. */
/* A timeline tick in which a team kept fewer cores than this busy is a
 * one-core stretch: part of a serial phase. */
#define SERIAL_TICK_MAX_CORES 1.5

struct srun {
	int n, units;        /* workers; units of work done (n for copies, 1 for a team) */
	double wall;         /* barrier release to last exit */
	double serial;       /* wall time in one-core stretches (team timelines); NAN: unknown */
	double serial_cpu;   /* CPU time in them; NAN: unknown */
	double user, kernel; /* CPU time of every thread and child */
	double delay;        /* run-queue wait of every thread and child */
	double others;       /* others' time on the run's CPUs, stolen time included */
	double steal;        /* stolen by the hypervisor from the run's CPUs */
	double psi_cpu;      /* host-wide CPU pressure stall ("some") */
};

/* The speedup stack's components: each the change, from 1 worker to n, of
 * the core-seconds per unit of work spent that way; the remainder is what
 * they do not account for (CPU time beyond the reserved cores). */
enum stack_comp { SC_USER, SC_KERNEL, SC_WAITING, SC_IDLE, SC_REMAINDER, SC_COUNT };

struct stack_point {
	int n, runs, runs1;          /* worker count; runs at n and at 1 */
	double cost1, cost;          /* mean core-seconds per unit of work at 1 and at n */
	struct interval lost;        /* cost - cost1, Welch's interval */
	struct interval comp[SC_COUNT];
	double share[SC_COUNT];      /* of lost.mid; NAN when nothing was lost */
	struct interval efficiency;  /* cost1 / cost */
	struct interval wall;        /* the median wall time at n, order-statistic interval */
	double wall_min, wall_max;
	int outliers, outliers1;     /* runs at n and at 1 far from the others, left out of the means */
	double wait_ratio;           /* mean run-queue wait of every task per CPU-second at n */
	double serial_fraction;      /* Karp-Flatt: (1/speedup - 1/n) / (1 - 1/n) */
	double serial_phase;         /* mean wall time in one-core stretches at n (timeline); NAN: unknown */
	double amdahl;               /* mean CPU in them over all CPU at n: Amdahl's serial fraction */
	double host_busy;            /* mean share of the reserved cores others took (steal included) */
	double psi_cpu_share;        /* mean host CPU pressure over wall time, less the run's own
				      * run-queue wait (which the host-wide figure includes) */
};

/* A variant's ok runs of one workload (variants:, or chosen by confirm). */
struct vvariant {
	char *name;
	char *tests;         /* chosen by confirm: the component it tests; NULL: the campaign's */
	struct srun *runs;
	size_t nruns;
};

/* One ok run beside the graded bandit (the bandit_points view). */
struct bandit_obs {
	int n;             /* workers */
	double level;      /* the co-runner's fraction of its full rate */
	double taken_gbps; /* what the co-runners achieved beside the run: bandwidth taken from it */
	double wall;       /* the run's wall time, s */
};

/* rising: lives on bandwidth; flat: insensitive to it; step: hurt at the
 * first level only (cache eviction); unseparated: the runs cannot tell */
enum bandit_shape { BS_RISING, BS_FLAT, BS_STEP, BS_UNSEPARATED };

/* The bandit's curve at one worker count: slowdown (wall over the median
 * wall at the lowest level) against the bandwidth taken. analysis/bandit.c. */
struct bandit_curve {
	int n, points, levels;
	double base_wall;        /* median wall at the lowest level */
	double max_taken;        /* GB/s, the most a co-run took */
	double reach;            /* GB/s the co-runners had to take to starve n streaming workers; NAN unknown */
	struct interval slope;   /* slowdown per GB/s taken, least squares, t 95%; lo, hi NAN: too few points */
	double intercept;
	struct interval rise;    /* slope x max_taken: the rise across the curve */
	struct interval step;    /* at the lowest nonzero level over the lowest, Welch 95% */
	enum bandit_shape shape;
	char note[320];          /* the shape in words, and why */
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
	struct srun *runs;  /* the ok ordinary runs, for the speedup stack */
	size_t nruns;
	struct vvariant *variants; /* in the order of their first run */
	size_t nvariants;
	double *ceiling_gbps;      /* the machine's ceiling at 0..cores workers (GB/s, 0 unknown); NULL: none */
	struct bandit_obs *bandit; /* the ok bandit runs, in the order run */
	size_t nbandit;
};

struct evidence {
	enum hypothesis hyp;
	const char *figure;  /* a run_metrics column, or the like */
	int n;               /* worker count it was taken at */
	double value;
	char threshold[64];  /* "<= 1.3 (serialized_max_cores)" */
	enum stance stance;
	char source[96];     /* where it came from and how it was aggregated */
	char note[320];      /* what it means, in words */
};

struct hyp_result {
	enum hyp_status status;
	int n_for, n_against;
	char reason[320];    /* for untestable: what was missing */
};

/* A variant against the baseline at one worker count: its efficiency and
 * stack components beside the baseline's, each with its interval. */
struct variant_effect {
	const char *variant;       /* points into the vinput's vvariant */
	int n, runs, runs1;        /* worker count; the variant's runs at n and at 1 */
	struct interval eff_base, eff;
	struct interval lost_base, lost;
	struct interval base[SC_COUNT], comp[SC_COUNT];
};

/* What the interventions concluded of the leading component. */
enum intervention { IV_UNTESTED, IV_CONFIRMED, IV_NOT_CONFIRMED };

struct verdict {
	char *workload, *mode;
	const char *verdict;     /* "scales", "memory-bandwidth", ..., "inconclusive" */
	const char *confidence;  /* "high", "medium", "low" */
	int n;                   /* the worker count judged, 0 if none */
	double efficiency;       /* at n */
	char reason[720];
	struct hyp_result hyp[H_COUNT];
	char bw_line[400];       /* the memory-bandwidth line of the report */
	struct evidence *ev;
	size_t nev;
	struct stack_point *stack; /* by n ascending, n > 1 */
	size_t nstack;
	struct interval eff;       /* efficiency at n, with its interval */
	int decided;               /* 1: the interval clears scales_efficiency; 0: it straddles it */
	int more_runs;             /* straddling: runs per point likely to decide it; -1 none would */
	char stack_line[400];      /* the largest components, in words */
	char profile_line[400];    /* the call-stack profile's top growths, in words; "" without one */
	char *profile_detail;      /* the same, a line per function with its figures; NULL without one */
	struct variant_effect *effects; /* every variant at every n it shares with the baseline */
	size_t neffects;
	enum intervention intervention;
	char intervention_line[480]; /* "page faults confirmed by intervention: ..."; "" untested */
	char test_snippet[400];    /* for a cause left open: the YAML that would test it; "" none */
	struct bandit_curve *curves; /* the bandit's curves, by n ascending */
	size_t ncurves;
};

/* "extra-user", "extra-kernel", "waiting", "idle", "remainder": stored */
const char *stack_comp_name(enum stack_comp c);
/* The component stored as name (stack_comp_name), or SC_REMAINDER when
 * none is */
enum stack_comp stack_comp_from_name(const char *name);
/* "extra user CPU", ..., "remainder": printed and plotted */
const char *stack_comp_label(enum stack_comp c);

/* The names stored and printed ("memory-bandwidth", "supported", "for");
 * "?" for a value out of range. */
const char *hypothesis_name(enum hypothesis h);
const char *hyp_status_name(enum hyp_status s);
const char *stance_name(enum stance s);
/* "confirmed", "not-confirmed", "untested": stored */
const char *intervention_name(enum intervention i);
/* "rising", "flat", "step", "unseparated"; and what each says in a few
 * words: "lives on bandwidth", ... */
const char *bandit_shape_name(enum bandit_shape s);
const char *bandit_shape_meaning(enum bandit_shape s);

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
