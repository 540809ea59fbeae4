/* eventlist.h: every event libpfm4 offers on this host: the events of each
 * PMU it finds present (pfm_get_pmu_info's is_present), for `scalprof
 * events --all`. Without a hardware PMU (a guest) that is the perf
 * software PMUs' events only. Call events_init() first. */
#ifndef SCALPROF_EVENTLIST_H
#define SCALPROF_EVENTLIST_H

/* One event; the strings are libpfm4's, valid only during the callback. */
struct event_listing {
	const char *pmu, *pmu_desc; /* "perf", "perf_events generic PMU" */
	int hardware;               /* the PMU is a core or uncore PMU, not the OS's */
	const char *name, *desc;    /* "PERF_COUNT_HW_CPU_CYCLES"; desc may be NULL */
};

/* Calls fn for every event of every present PMU, PMU by PMU in libpfm4's
 * order. Returns how many PMUs were present. Cannot fail; does not log. */
int events_list_all(void (*fn)(const struct event_listing *, void *), void *arg);

#endif
