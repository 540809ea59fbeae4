/* mcpmu.h: the memory controller's own counters, as the kernel publishes
 * them under SYSFS/bus/event_source/devices: which PMUs count DRAM traffic,
 * on which CPU (one per socket) they must be opened, and how each read or
 * write event is encoded (format files, event aliases, .scale and .unit).
 * SCALPROF_SYSFS replaces /sys, so other machines' trees can be tested.
 * Nothing here opens a counter. */
#ifndef SCALPROF_MCPMU_H
#define SCALPROF_MCPMU_H

#include <stddef.h>
#include <stdint.h>

struct mc_event {
	char pmu[64];          /* e.g. uncore_imc_0 */
	char name[96];         /* alias or terms, for messages */
	uint32_t type;         /* the PMU's perf type */
	uint64_t config, config1, config2;
	double bytes_per_count;
	int is_write;          /* 0 read, 1 write, 2 read and write together */
	int socket;            /* index in the PMU's cpumask */
	int cpu;               /* where to open it (pid -1) */
};

struct mc_set {
	char family[32];       /* uncore_imc, uncore_imc_free_running, amd_umc, amd_df, user */
	char pmus[256];        /* the PMUs, comma separated */
	struct mc_event *events;
	size_t nevents;
	int nsockets;
};

/* Finds the memory-controller PMUs of the machine whose sysfs is at root
 * (NULL: SCALPROF_SYSFS or /sys), in order of preference: Intel server
 * uncore_imc (cas_count_read/write), Intel free-running counters
 * (data_read/write), Intel client uncore_imc (data_reads/writes), AMD
 * amd_umc (Zen 4 and later), AMD amd_df (Zen 2/3). Returns 0 with the
 * events in *ret (mc_set_clear it), -ENOENT with nothing found, or -EINVAL
 * with *ret_why saying what in sysfs could not be parsed. Does not log. */
int mcpmu_discover(const char *root, struct mc_set *ret, char **ret_why);

/* The events a user named, each "PMU/ALIAS" or "PMU/TERM=V,..." (terms
 * encoded with the PMU's format files; bytes=N sets the bytes per count,
 * default 64). Returns 0, or -EINVAL with *ret_why. */
int mcpmu_from_names(const char *root, char *const *reads, size_t nreads, char *const *writes, size_t nwrites,
		     struct mc_set *ret, char **ret_why);

void mc_set_clear(struct mc_set *set);

/* Encodes "name=value,..." terms with the PMU's format directory into
 * config, config1 and config2. Returns 0 or -EINVAL with *ret_why. Exposed
 * for tests. */
int mcpmu_encode_terms(const char *pmu_dir, const char *terms, uint64_t config[3], char **ret_why);

/* Parses a cpumask list such as "0,18" or "0-3,8". Returns the count of
 * CPUs written to cpus (at most max), or -EINVAL. */
int mcpmu_parse_cpulist(const char *text, int *cpus, int max);

#endif
