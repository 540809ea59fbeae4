/* cpustat.h: what else the host did while a run ran. Per-CPU time from
 * /proc/stat (busy, idle, stolen by the hypervisor) and the kernel's
 * pressure-stall totals from /proc/pressure, read just before the barrier
 * and just after the last worker exited; the difference, split between the
 * CPUs the run reserved and the others, is the run's host noise (and tells
 * how much of a reserved core something else used: the speedup stack's
 * waiting component). */
#ifndef SCALPROF_CPUSTAT_H
#define SCALPROF_CPUSTAT_H

#include <sched.h>
#include <stdint.h>

struct cpustat {
	int ncpus;             /* entries in busy/idle/steal: highest cpu + 1 */
	int64_t *busy, *idle, *steal; /* ns; -1 for a CPU /proc/stat does not list */
	int64_t psi_cpu_us, psi_mem_us, psi_io_us; /* "some" totals; -1 unknown */
};

/* What happened between two readings; every field -1 when unknown. */
struct host_noise {
	int64_t reserved_busy_ns;  /* every task's time on the run's CPUs, the run's included */
	int64_t reserved_idle_ns;  /* the run's CPUs idle (iowait included) */
	int64_t reserved_steal_ns; /* taken from the run's CPUs by the hypervisor */
	int64_t other_busy_ns;     /* busy time of the other CPUs */
	int64_t other_total_ns;    /* all time of the other CPUs (0 when there are none) */
	int64_t psi_cpu_us, psi_mem_us, psi_io_us; /* host-wide "some" stall time */
};

/* Reads /proc/stat and /proc/pressure into *ret (freed by cpustat_clear).
 * Returns 0, or -errno when /proc/stat cannot be read (pressure is
 * optional: a kernel without PSI leaves -1). Does not log. */
int cpustat_read(struct cpustat *ret);
void cpustat_clear(struct cpustat *s);

/* The difference from a to b, split between the CPUs in reserved and the
 * others. Cannot fail; sets every field -1 when either reading is empty. */
void cpustat_diff(const struct cpustat *a, const struct cpustat *b, const cpu_set_t *reserved,
		  struct host_noise *ret);

/* Sets every field of n to -1 (unknown). */
void host_noise_unknown(struct host_noise *n);

#endif
