/* eventlist.c: every event libpfm4 offers on this host (see eventlist.h). */
#include <string.h>

#include "host/events.h"
#include "host/eventlist.h"

int events_list_all(void (*fn)(const struct event_listing *, void *), void *arg)
{
	int p, present = 0;

	pfm_for_all_pmus(p) {
		pfm_pmu_info_t pinfo;
		struct event_listing l;

		memset(&pinfo, 0, sizeof(pinfo));
		pinfo.size = sizeof(pinfo);
		if (pfm_get_pmu_info(p, &pinfo) != PFM_SUCCESS || !pinfo.is_present)
			continue;
		present++;
		l.pmu = pinfo.name;
		l.pmu_desc = pinfo.desc;
		l.hardware = pinfo.type == PFM_PMU_TYPE_CORE || pinfo.type == PFM_PMU_TYPE_UNCORE;
		for (int i = pinfo.first_event; i != -1; i = pfm_get_event_next(i)) {
			pfm_event_info_t info;

			memset(&info, 0, sizeof(info));
			info.size = sizeof(info);
			if (pfm_get_event_info(i, PFM_OS_NONE, &info) != PFM_SUCCESS)
				continue;
			l.name = info.name;
			l.desc = info.desc;
			fn(&l, arg);
		}
	}
	return present;
}
