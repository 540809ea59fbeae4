/* perf.h: perf_event_open and what its errors mean. One function turns an
 * errno into a status and a sentence a user understands; reading a counter
 * always yields the raw value with time_enabled and time_running. */
#ifndef SCALPROF_PERF_H
#define SCALPROF_PERF_H

#include <stdint.h>
#include <sys/types.h>
#include <perfmon/pfmlib_perf_event.h> /* its perf_event.h, not linux/: they clash */

enum counter_status {
	COUNTER_OK,
	COUNTER_MULTIPLEXED,  /* ran part of the time: value scaled */
	COUNTER_NOT_COUNTED,  /* enabled but never scheduled: no value */
	COUNTER_UNSUPPORTED,  /* this host cannot count it */
	COUNTER_NO_PERMISSION,
	COUNTER_ERROR,        /* anything else, with the reason */
};

/* The database spelling: "ok", "multiplexed", ... */
const char *counter_status_name(enum counter_status s);

struct counter_reading {
	uint64_t value, time_enabled, time_running;
};

/* Opens attr for pid on cpu (-1: any). On EACCES/EPERM for an event that
 * counts the kernel, retries counting user space only and says so in
 * *ret_note (a static string) -- perf does the same.
 * Returns the fd (O_CLOEXEC) or -errno; does not log. */
int perf_open(struct perf_event_attr *attr, pid_t pid, int cpu, const char **ret_note);
/* The same, as a member of the group led by group_fd (-1: a new group). */
int perf_open_group(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd, const char **ret_note);

/* Status and a fresh sentence for an errno from perf_open on attr. */
enum counter_status perf_explain(int err, const struct perf_event_attr *attr, char **ret_reason);

/* Reads a counter opened with TOTAL_TIME_ENABLED|TOTAL_TIME_RUNNING.
 * Returns 0 or -errno. */
int perf_read(int fd, struct counter_reading *ret);

/* The status of a reading, and its value scaled by enabled/running
 * (NAN for not_counted). */
enum counter_status perf_scale(const struct counter_reading *rd, double *ret_scaled);

/* Whether the kernel exposes a hardware (core) PMU; probed once. */
int perf_host_has_hw_pmu(void);

#endif
