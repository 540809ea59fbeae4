/* hostinfo.h: what identifies this machine, and the conditions a campaign
 * ran under (each of which changes the numbers). */
#ifndef SCALPROF_HOSTINFO_H
#define SCALPROF_HOSTINFO_H

#include <stdint.h>

#include "host/topology.h"

struct machine_info {
	char *hostname, *machine_id, *cpu_model, *kernel, *pmus;
	int sockets, cores, threads;
	uint64_t l3_bytes;
};

struct conditions {
	long perf_event_paranoid; /* LONG_MIN when unreadable */
	long nmi_watchdog;        /* LONG_MIN when unreadable */
	char *hypervisor;         /* NULL: none detected */
	char *smt;                /* NULL: unknown */
	char *governor;           /* NULL: no cpufreq */
	char *thp;                /* transparent huge pages' mode (always, madvise, never); NULL: unknown */
	char *python3_version;    /* NULL: not asked or not found */
};

/* Fills info from the system and topo; never fails (unknown fields stay
 * NULL or "unknown"). machine_info_clear frees it. */
void machine_info_read(const struct topology *topo, struct machine_info *info);
void machine_info_clear(struct machine_info *info);

/* Reads the conditions of the host; python3_version is left NULL for the
 * caller, who knows as whom the campaign's interpreter may run. */
void conditions_read(struct conditions *cond);
void conditions_clear(struct conditions *cond);

#endif
