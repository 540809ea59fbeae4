/* cpustat.c: per-CPU times and pressure-stall totals (see cpustat.h).
 * /proc/stat counts in USER_HZ ticks (proc(5)): busy is user, nice,
 * system, irq and softirq (guest time is already inside user); idle is
 * idle and iowait; steal is its own column. /proc/pressure/{cpu,memory,io}
 * give "some ... total=" in microseconds (Documentation/accounting/psi.rst). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "host/cpustat.h"

static int64_t psi_some_us(const char *path)
{
	char *text, *p;
	int64_t v = -1;

	if (read_text_file(path, &text) < 0)
		return -1;
	if ((p = strstr(text, "some ")) && (p = strstr(p, "total=")))
		v = strtoll(p + 6, NULL, 10);
	free(text);
	return v;
}

/* One "cpuN ..." line into s; lines for other things are skipped. */
static void parse_cpu_line(struct cpustat *s, const char *line, double ns_per_tick)
{
	unsigned long long t[8] = { 0 };
	int cpu;

	if (sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &t[0], &t[1], &t[2], &t[3], &t[4],
		   &t[5], &t[6], &t[7]) < 9 || cpu < 0 || cpu >= 65536)
		return;
	if (cpu >= s->ncpus) {
		int n = cpu + 1;

		s->busy = xreallocarray(s->busy, (size_t)n, sizeof(int64_t));
		s->idle = xreallocarray(s->idle, (size_t)n, sizeof(int64_t));
		s->steal = xreallocarray(s->steal, (size_t)n, sizeof(int64_t));
		for (int i = s->ncpus; i < n; i++)
			s->busy[i] = s->idle[i] = s->steal[i] = -1;
		s->ncpus = n;
	}
	/* user nice system idle iowait irq softirq steal */
	s->busy[cpu] = (int64_t)((double)(t[0] + t[1] + t[2] + t[5] + t[6]) * ns_per_tick);
	s->idle[cpu] = (int64_t)((double)(t[3] + t[4]) * ns_per_tick);
	s->steal[cpu] = (int64_t)((double)t[7] * ns_per_tick);
}

int cpustat_read(struct cpustat *ret)
{
	char *text, *save = NULL;
	long hz = sysconf(_SC_CLK_TCK);
	int r;

	memset(ret, 0, sizeof(*ret));
	ret->psi_cpu_us = ret->psi_mem_us = ret->psi_io_us = -1;
	r = read_text_file("/proc/stat", &text);
	if (r < 0)
		return r;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		parse_cpu_line(ret, line, 1e9 / (double)(hz > 0 ? hz : 100));
	free(text);
	if (ret->ncpus == 0)
		return -ENODATA;
	ret->psi_cpu_us = psi_some_us("/proc/pressure/cpu");
	ret->psi_mem_us = psi_some_us("/proc/pressure/memory");
	ret->psi_io_us = psi_some_us("/proc/pressure/io");
	return 0;
}

void cpustat_clear(struct cpustat *s)
{
	free(s->busy);
	free(s->idle);
	free(s->steal);
	memset(s, 0, sizeof(*s));
}

void host_noise_unknown(struct host_noise *n)
{
	n->reserved_busy_ns = n->reserved_idle_ns = n->reserved_steal_ns = -1;
	n->other_busy_ns = n->other_total_ns = -1;
	n->psi_cpu_us = n->psi_mem_us = n->psi_io_us = -1;
}

static int64_t delta(int64_t a, int64_t b)
{
	return a < 0 || b < 0 ? -1 : b >= a ? b - a : 0;
}

void cpustat_diff(const struct cpustat *a, const struct cpustat *b, const cpu_set_t *reserved,
		  struct host_noise *ret)
{
	int n = a->ncpus < b->ncpus ? a->ncpus : b->ncpus;

	host_noise_unknown(ret);
	if (n == 0)
		return;
	ret->reserved_busy_ns = ret->reserved_idle_ns = ret->reserved_steal_ns = 0;
	ret->other_busy_ns = ret->other_total_ns = 0;
	for (int cpu = 0; cpu < n; cpu++) {
		int64_t busy = delta(a->busy[cpu], b->busy[cpu]), idle = delta(a->idle[cpu], b->idle[cpu]),
			steal = delta(a->steal[cpu], b->steal[cpu]);

		if (busy < 0 || idle < 0 || steal < 0)
			continue;
		if (cpu < CPU_SETSIZE && CPU_ISSET(cpu, reserved)) {
			ret->reserved_busy_ns += busy;
			ret->reserved_idle_ns += idle;
			ret->reserved_steal_ns += steal;
		} else {
			ret->other_busy_ns += busy + steal;
			ret->other_total_ns += busy + idle + steal;
		}
	}
	ret->psi_cpu_us = delta(a->psi_cpu_us, b->psi_cpu_us);
	ret->psi_mem_us = delta(a->psi_mem_us, b->psi_mem_us);
	ret->psi_io_us = delta(a->psi_io_us, b->psi_io_us);
}
