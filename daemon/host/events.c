/* events.c: event names through libpfm4 (see events.h). libpfm4 detects PMUs
 * from the CPU model, not from what the kernel exposes: a name it encodes may
 * still fail to open on a virtual machine, which perf.c reports. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <perfmon/pfmlib_perf_event.h>

#include "host/events.h"
#include "base/util.h"

static const char *const sched_events[] = {
	"task-clock", "context-switches", "cpu-migrations", "page-faults", NULL,
};
static const char *const cache_events[] = {
	"cycles", "instructions", "LLC-loads", "LLC-load-misses", NULL,
};
static const char *const default_events[] = {
	"task-clock", "context-switches", "cpu-migrations", "page-faults",
	"cycles", "instructions", "LLC-loads", "LLC-load-misses", NULL,
};
static const struct event_preset presets[] = {
	{ "sched", "kernel software events: CPU time and scheduling", sched_events },
	{ "cache", "hardware events: cycles, instructions, last-level cache", cache_events },
	{ NULL, NULL, NULL },
};

int events_init(void)
{
	/* libpfm4 itself remembers a successful initialisation */
	return pfm_initialize() == PFM_SUCCESS ? 0 : -EIO;
}

const struct event_preset *events_presets(void)
{
	return presets;
}

const struct event_preset *events_preset_find(const char *name)
{
	for (const struct event_preset *p = presets; p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

const char *const *events_default(void)
{
	return default_events;
}

int events_encode(const char *name, struct event_spec *ret)
{
	pfm_perf_encode_arg_t arg;
	char *fstr = NULL;
	int r;

	memset(ret, 0, sizeof(*ret));
	memset(&arg, 0, sizeof(arg));
	arg.attr = &ret->attr;
	arg.fstr = &fstr;
	arg.size = sizeof(arg);
	r = pfm_get_os_event_encoding(name, PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT_EXT, &arg);
	if (r != PFM_SUCCESS) {
		free(fstr);
		memset(ret, 0, sizeof(*ret));
		return r == PFM_ERR_NOTFOUND ? -ENOENT : -EINVAL;
	}
	ret->name = xstrdup(name);
	ret->encoding = fstr;
	ret->attr.size = sizeof(ret->attr);
	return 0;
}

void events_spec_clear(struct event_spec *spec)
{
	if (!spec)
		return;
	free(spec->name);
	free(spec->encoding);
	memset(spec, 0, sizeof(*spec));
}

static void consider(const char *cand, const char *name, const char **best, unsigned *best_d)
{
	unsigned d;

	if (!cand || !*cand)
		return;
	d = edit_distance(name, cand);
	if (d == 0)
		return; /* the name itself: known to us but not to this PMU */
	if (d < *best_d) {
		*best_d = d;
		*best = cand;
	}
}

char *events_suggest(const char *name)
{
	const char *best = NULL;
	unsigned best_d = 255, limit;
	int p;

	for (const char *const *e = default_events; *e; e++)
		consider(*e, name, &best, &best_d);
	for (const struct event_preset *ps = presets; ps->name; ps++)
		consider(ps->name, name, &best, &best_d);
	pfm_for_all_pmus(p) {
		pfm_pmu_info_t pinfo;

		memset(&pinfo, 0, sizeof(pinfo));
		pinfo.size = sizeof(pinfo);
		if (pfm_get_pmu_info(p, &pinfo) != PFM_SUCCESS || !pinfo.is_present)
			continue;
		for (int i = pinfo.first_event; i != -1; i = pfm_get_event_next(i)) {
			pfm_event_info_t info;

			memset(&info, 0, sizeof(info));
			info.size = sizeof(info);
			if (pfm_get_event_info(i, PFM_OS_NONE, &info) != PFM_SUCCESS)
				continue;
			consider(info.name, name, &best, &best_d);
			consider(info.equiv, name, &best, &best_d);
		}
	}
	/* a typo, not a different word: at most a third of the name */
	limit = (unsigned)strlen(name) / 3;
	if (limit < 1)
		limit = 1;
	return best && best_d <= limit ? xstrdup(best) : NULL;
}

char *events_pmus(void)
{
	size_t cap = 256, len = 0;
	char *out = xcalloc(1, cap);
	int p;

	pfm_for_all_pmus(p) {
		pfm_pmu_info_t pinfo;
		size_t n;

		memset(&pinfo, 0, sizeof(pinfo));
		pinfo.size = sizeof(pinfo);
		if (pfm_get_pmu_info(p, &pinfo) != PFM_SUCCESS || !pinfo.is_present)
			continue;
		n = strlen(pinfo.name);
		if (len + n + 2 > cap) {
			cap = 2 * (len + n + 2);
			out = xreallocarray(out, cap, 1);
		}
		if (len)
			out[len++] = ',';
		memcpy(out + len, pinfo.name, n + 1);
		len += n;
	}
	return out;
}
