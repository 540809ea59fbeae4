/* events.h: event names, through libpfm4: presets, encoding a name into a
 * perf_event_attr, suggestions for names libpfm4 does not know, and the
 * PMUs it found. Nothing here opens a counter (that is perf.c). */
#ifndef SCALPROF_EVENTS_H
#define SCALPROF_EVENTS_H

#include <stddef.h>
#include <perfmon/pfmlib_perf_event.h> /* its perf_event.h, not linux/: they clash */

struct event_spec {
	char *name;                  /* as the user wrote it */
	char *encoding;              /* libpfm4's fully qualified name */
	struct perf_event_attr attr; /* type, config, exclusions; no flags yet */
};

struct event_preset {
	const char *name;
	const char *description;
	const char *const *events; /* NULL-terminated */
};

/* Initialises libpfm4 once per process (it reads LIBPFM_FORCE_PMU then).
 * Returns 0 or -EIO; does not log. */
int events_init(void);

/* The presets, NULL-terminated; and the one called name, or NULL. */
const struct event_preset *events_presets(void);
const struct event_preset *events_preset_find(const char *name);
/* The events used when a campaign names none: sched then cache. */
const char *const *events_default(void);

/* Encodes name for perf_event_open, counting user and kernel.
 * Returns 0 and fills *ret (events_spec_clear it), -ENOENT when libpfm4
 * knows no such event on this host, -EINVAL when its modifiers are wrong. */
int events_encode(const char *name, struct event_spec *ret);
void events_spec_clear(struct event_spec *spec);

/* The known event name closest to name, if one is close enough to be a
 * likely typo; a fresh string or NULL. */
char *events_suggest(const char *name);

/* Comma-separated names of the PMUs libpfm4 detected; a fresh string. */
char *events_pmus(void);

#endif
