/* result.h: what one run produced, as the runner fills it and the store
 * writes it. Plain data; the runner owns the memory. */
#ifndef SCALPROF_RESULT_H
#define SCALPROF_RESULT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "host/cpustat.h"
#include "model/campaign.h"

enum worker_status {
	WORKER_OK,            /* exited 0 */
	WORKER_EXIT_NONZERO,
	WORKER_SIGNALED,      /* died of a signal it did not get from us */
	WORKER_EXEC_FAILED,   /* chdir or exec failed: exec_errno says why */
	WORKER_TIMEOUT,       /* killed by us at the run's timeout */
	WORKER_KILLED,        /* killed by us: campaign interrupted */
};

enum run_status { RUN_OK, RUN_FAILED, RUN_TIMEOUT, RUN_INTERRUPTED };

/* A bounded copy of the last bytes a worker wrote to one stream. */
struct tail {
	char *buf;        /* ring of TAIL_BYTES */
	size_t start, len;
	uint64_t total;   /* every byte written, kept or not */
};
#define TAIL_BYTES (64 * 1024)

struct worker_result {
	int slot;                 /* 1-based */
	int cpu, core;            /* first CPU and its core's logical index */
	char cpus[256];           /* every CPU in its affinity: "0,2,4" */
	pid_t pid;
	uid_t uid;                /* what it ran as */
	gid_t gid;
	enum worker_status status;
	int exit_code, signal, exec_errno; /* -1 when not applicable */
	char *error;              /* a sentence when not ok */
	int64_t start_ns, end_ns; /* CLOCK_MONOTONIC; 0 if unknown */
	int64_t utime_ns, stime_ns;
	long maxrss_kb, minflt, majflt, nvcsw, nivcsw;
	int64_t run_delay_ns;     /* -1 when schedstat was unreadable */
	int have_rusage;
	struct tail out, err;
};

/* What the co-runners of an interference run reported. */
struct corun_result {
	int kind;                 /* enum corunner; 0 for an ordinary run */
	int bandit;               /* a graded-bandit run: the bandwidth co-runner at level */
	double level;             /* its fraction of its own full rate */
	int n_corunners;          /* one per free physical core */
	double rate_alone, rate_beside;       /* summed over the co-runners; NAN unknown */
	char unit[24];
	double cache_ns_alone, cache_ns_beside; /* cache co-runner only; NAN otherwise */
	uint64_t hog_bytes;
};

/* The samples' name for it: the run-queue wait of all the run's tasks
 * between two points of the timeline (not a perf event: /proc schedstat). */
#define WAIT_EVENT "run-queue-wait"

/* The run-queue wait of every task of the run, summed, as polled at a
 * moment of its timeline. */
struct wait_point {
	int64_t t_ns;     /* since the barrier */
	int64_t delay_ns; /* cumulative since the tasks started */
};

struct run_result {
	int seq;
	struct corun_result corun;
	const struct variant *variant;  /* NULL: the baseline */
	const struct workload *workload;
	int n_workers;
	int repetition;
	enum run_status status;
	int64_t wall_ns, start_skew_ns; /* -1 when unknown */
	double working_set_bytes;       /* per worker; 0 unknown */
	struct host_noise noise;        /* what else the host did meanwhile; -1 unknown */
	int64_t run_delay_ns;           /* run-queue wait of every thread and child seen; -1 unknown */
	struct wait_point *waits;       /* with a timeline: that wait at each poll, the barrier's first */
	size_t nwaits;
	char started_at[32];            /* UTC, ISO 8601 */
	char *error;
	struct worker_result *workers;
	size_t nworkers;
};

/* The names stored and printed for each status ("ok", "exit_nonzero", ...);
 * static strings, an out-of-range value named as the worst ("killed",
 * "failed"). Do not log. */
const char *worker_status_name(enum worker_status s);
const char *run_status_name(enum run_status s);

#endif
