/* hostinfo.c: machine identity and campaign conditions (see hostinfo.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "host/events.h"
#include "host/hostinfo.h"
#include "base/util.h"

static char *cpu_model(void)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[512];
	char *model = NULL;

	if (!f)
		return xstrdup("unknown");
	while (!model && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if ((strncmp(line, "model name", 10) == 0 || strncmp(line, "Processor", 9) == 0) && colon) {
			colon++;
			colon += strspn(colon, " \t");
			colon[strcspn(colon, "\n")] = '\0';
			model = xstrdup(colon);
		}
	}
	fclose(f);
	return model ? model : xstrdup("unknown");
}

void machine_info_read(const struct topology *topo, struct machine_info *info)
{
	struct utsname u;
	char host[256] = "unknown";

	memset(info, 0, sizeof(*info));
	gethostname(host, sizeof(host) - 1);
	info->hostname = xstrdup(host);
	if (read_text_file("/etc/machine-id", &info->machine_id) < 0)
		info->machine_id = xstrdup("unknown");
	info->cpu_model = cpu_model();
	info->kernel = xstrdup(uname(&u) == 0 ? u.release : "unknown");
	info->pmus = events_init() == 0 ? events_pmus() : xstrdup("");
	info->sockets = topology_sockets(topo);
	info->cores = topology_cores(topo);
	info->threads = topology_threads(topo);
	info->l3_bytes = topology_l3_bytes(topo);
}

void machine_info_clear(struct machine_info *info)
{
	free(info->hostname);
	free(info->machine_id);
	free(info->cpu_model);
	free(info->kernel);
	free(info->pmus);
	memset(info, 0, sizeof(*info));
}

static char *hypervisor(void)
{
	char *s = NULL;
	FILE *f;
	char line[512];
	int flag = 0;

	if (read_text_file("/sys/hypervisor/type", &s) == 0 && *s)
		return s;
	free(s);
	f = fopen("/proc/cpuinfo", "re");
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "flags", 5) == 0) {
			flag = strstr(line, " hypervisor") != NULL;
			break;
		}
	fclose(f);
	if (!flag)
		return NULL;
	if (read_text_file("/sys/class/dmi/id/sys_vendor", &s) == 0 && *s)
		return s;
	free(s);
	return xstrdup("unknown hypervisor");
}

/* The mode the kernel shows in brackets, "always [madvise] never" ->
 * "madvise": whether big arrays get huge pages changes page faults and TLB
 * misses, so two machines that differ in it can differ in scaling. */
static char *thp_mode(void)
{
	char *text = NULL, *open, *close, *mode = NULL;

	if (read_text_file("/sys/kernel/mm/transparent_hugepage/enabled", &text) < 0)
		return NULL;
	open = strchr(text, '[');
	close = open ? strchr(open, ']') : NULL;
	if (close)
		mode = strndup(open + 1, (size_t)(close - open - 1));
	free(text);
	return mode;
}

void conditions_read(struct conditions *cond)
{
	memset(cond, 0, sizeof(*cond));
	if (read_long_file("/proc/sys/kernel/perf_event_paranoid", &cond->perf_event_paranoid) < 0)
		cond->perf_event_paranoid = LONG_MIN;
	if (read_long_file("/proc/sys/kernel/nmi_watchdog", &cond->nmi_watchdog) < 0)
		cond->nmi_watchdog = LONG_MIN;
	cond->hypervisor = hypervisor();
	if (read_text_file("/sys/devices/system/cpu/smt/control", &cond->smt) < 0)
		cond->smt = NULL;
	if (read_text_file("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", &cond->governor) < 0)
		cond->governor = NULL;
	cond->thp = thp_mode();
}

void conditions_clear(struct conditions *cond)
{
	free(cond->thp);
	free(cond->hypervisor);
	free(cond->smt);
	free(cond->governor);
	free(cond->python3_version);
	memset(cond, 0, sizeof(*cond));
}
