/* perf.c: perf_event_open, reading, scaling, and the meaning of its errors.
 * The errno meanings follow the kernel's perf_event_open(2) and what perf's
 * own evsel error reporting distinguishes (not supported / permission with
 * the paranoid hint / too many open files). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host/perf.h"
#include "base/util.h"

const char *counter_status_name(enum counter_status s)
{
	static const char *const names[] = {
		[COUNTER_OK] = "ok",
		[COUNTER_MULTIPLEXED] = "multiplexed",
		[COUNTER_NOT_COUNTED] = "not_counted",
		[COUNTER_UNSUPPORTED] = "unsupported",
		[COUNTER_NO_PERMISSION] = "no_permission",
		[COUNTER_ERROR] = "error",
	};
	return (unsigned)s < ARRAY_SIZE(names) ? names[s] : "error";
}

static int sys_perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd)
{
	long fd = syscall(SYS_perf_event_open, attr, pid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : (int)fd;
}

int perf_open(struct perf_event_attr *attr, pid_t pid, int cpu, const char **ret_note)
{
	return perf_open_group(attr, pid, cpu, -1, ret_note);
}

int perf_open_group(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd, const char **ret_note)
{
	int fd;

	*ret_note = NULL;
	attr->size = sizeof(*attr);
	fd = sys_perf_event_open(attr, pid, cpu, group_fd);
	if ((fd == -EACCES || fd == -EPERM) && !attr->exclude_kernel) {
		attr->exclude_kernel = 1;
		attr->exclude_hv = 1;
		fd = sys_perf_event_open(attr, pid, cpu, group_fd);
		if (fd >= 0)
			*ret_note = "user space only: counting the kernel needs root or CAP_PERFMON";
		else {
			attr->exclude_kernel = 0;
			attr->exclude_hv = 0;
		}
	}
	return fd;
}

int perf_host_has_hw_pmu(void)
{
	static int known = -1;
	static const char *const core_pmus[] = {
		"/sys/bus/event_source/devices/cpu",
		"/sys/bus/event_source/devices/cpu_core",
		"/sys/bus/event_source/devices/cpu_atom",
		"/sys/bus/event_source/devices/armv8_pmuv3_0",
	};

	if (known < 0) {
		known = 0;
		for (size_t i = 0; i < ARRAY_SIZE(core_pmus); i++)
			if (access(core_pmus[i], F_OK) == 0)
				known = 1;
	}
	return known;
}

static int is_hardware(const struct perf_event_attr *attr)
{
	return attr->type == PERF_TYPE_HARDWARE || attr->type == PERF_TYPE_HW_CACHE ||
	       attr->type == PERF_TYPE_RAW || attr->type >= PERF_TYPE_MAX;
}

enum counter_status perf_explain(int err, const struct perf_event_attr *attr, char **ret_reason)
{
	long paranoid = -1;

	if (err < 0)
		err = -err;
	switch (err) {
	case ENOENT:
	case EOPNOTSUPP:
	case ENODEV:
	case EINVAL:
		if (is_hardware(attr) && !perf_host_has_hw_pmu()) {
			*ret_reason = xstrdup("no hardware PMU is exposed (virtual machine?)");
			return COUNTER_UNSUPPORTED;
		}
		*ret_reason = xasprintf("this host's PMU cannot count it (%s)", strerror(err));
		return COUNTER_UNSUPPORTED;
	case EACCES:
	case EPERM:
		read_long_file("/proc/sys/kernel/perf_event_paranoid", &paranoid);
		*ret_reason = xasprintf("perf_event_paranoid is %ld: run as root or grant CAP_PERFMON", paranoid);
		return COUNTER_NO_PERMISSION;
	case EMFILE:
	case ENFILE:
		*ret_reason = xstrdup("too many open files: raise the limit (ulimit -n)");
		return COUNTER_ERROR;
	case EBUSY:
		*ret_reason = xstrdup("the counter is in exclusive use by another tool");
		return COUNTER_ERROR;
	default:
		*ret_reason = xasprintf("perf_event_open failed: %s", strerror(err));
		return COUNTER_ERROR;
	}
}

int perf_read(int fd, struct counter_reading *ret)
{
	uint64_t buf[3];
	ssize_t n;

	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n != (ssize_t)sizeof(buf))
		return -EIO;
	ret->value = buf[0];
	ret->time_enabled = buf[1];
	ret->time_running = buf[2];
	return 0;
}

enum counter_status perf_scale(const struct counter_reading *rd, double *ret_scaled)
{
	if (rd->time_running == 0) {
		*ret_scaled = NAN;
		return COUNTER_NOT_COUNTED;
	}
	if (rd->time_running < rd->time_enabled) {
		*ret_scaled = (double)rd->value * ((double)rd->time_enabled / (double)rd->time_running);
		return COUNTER_MULTIPLEXED;
	}
	*ret_scaled = (double)rd->value;
	return COUNTER_OK;
}
