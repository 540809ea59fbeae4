/* test-events.c: event names through libpfm4 and the meaning of
 * perf_event_open errors. Encodings for other machines' PMUs are checked
 * with LIBPFM_FORCE_PMU, which needs no PMU on this host. Expected codes:
 * Intel SDM vol. 3B, Skylake events (INST_RETIRED.ANY_P 0xC0;
 * LONGEST_LAT_CACHE.MISS event 0x2E umask 0x41; .REFERENCE umask 0x4F);
 * AMD PPR for family 17h (PMCx0C0 retired instructions, PMCx076 cycles not
 * in halt). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/events.h"
#include "host/perf.h"
#include "tap.h"

/* libpfm4 reads LIBPFM_FORCE_PMU once per process: each forced encoding
 * is done in a child, as if on a machine with that PMU. */
struct forced {
	int r;
	unsigned type;
	unsigned long long config;
	int excl_kernel, excl_user;
	char encoding[160];
};

static struct forced encode_forced(const char *pmu, const char *name)
{
	struct forced f = { .r = -EIO };
	int fds[2];
	pid_t pid;

	if (pipe(fds) < 0)
		return f;
	pid = fork();
	if (pid == 0) {
		struct event_spec s;

		setenv("LIBPFM_FORCE_PMU", pmu, 1);
		f.r = events_init();
		if (f.r == 0)
			f.r = events_encode(name, &s);
		if (f.r == 0) {
			f.type = s.attr.type;
			f.config = s.attr.config;
			f.excl_kernel = s.attr.exclude_kernel;
			f.excl_user = s.attr.exclude_user;
			snprintf(f.encoding, sizeof(f.encoding), "%s", s.encoding);
		}
		if (write(fds[1], &f, sizeof(f)) != (ssize_t)sizeof(f))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], &f, sizeof(f)) != (ssize_t)sizeof(f))
		f.r = -EIO;
	close(fds[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return f;
}

static void check_forced(const char *pmu, const char *name, unsigned long long config)
{
	struct forced f = encode_forced(pmu, name);
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "%s::", pmu);
	is_int(f.r, 0, "%s: %s encodes", pmu, name);
	is_int(f.type, PERF_TYPE_RAW, "%s: %s is a raw PMU event", pmu, name);
	is_int(f.config, config, "%s: %s has config %#llx", pmu, name, config);
	ok(strncmp(f.encoding, prefix, strlen(prefix)) == 0, "%s: named %s", pmu, f.encoding);
	ok(!f.excl_kernel && !f.excl_user, "%s: %s counts user and kernel", pmu, name);
}

static void forced_pmus(void)
{
	check_forced("skl", "INST_RETIRED:ANY_P", 0xc0);
	check_forced("skl", "LONGEST_LAT_CACHE:MISS", 0x412e);
	check_forced("skl", "LONGEST_LAT_CACHE:REFERENCE", 0x4f2e);
	check_forced("amd64_fam17h_zen2", "RETIRED_INSTRUCTIONS", 0xc0);
	check_forced("amd64_fam17h_zen2", "CYCLES_NOT_IN_HALT", 0x76);
	is_int(encode_forced("amd64_fam17h_zen2", "INST_RETIRED:ANY_P").r, -ENOENT,
	       "an Intel name is unknown on AMD Zen 2");
	is_int(encode_forced("skl", "RETIRED_INSTRUCTIONS").r, -ENOENT, "an AMD name is unknown on Skylake");
}

static void check_encoding(const char *name, unsigned type, unsigned long long config, const char *prefix)
{
	struct event_spec s;
	int r = events_encode(name, &s);

	is_int(r, 0, "%s encodes", name);
	if (r < 0)
		return;
	is_int(s.attr.type, type, "%s: perf type %u", name, type);
	is_int(s.attr.config, config, "%s: config %#llx", name, config);
	ok(strncmp(s.encoding, prefix, strlen(prefix)) == 0, "%s: libpfm4 names it %s...", name, prefix);
	ok(!s.attr.exclude_kernel && !s.attr.exclude_user, "%s counts user and kernel", name);
	events_spec_clear(&s);
}

static void host_names(void)
{
	struct event_spec s;
	char *hint;

	is_int(events_init(), 0, "libpfm4 initialises on this host");
	check_encoding("task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, "perf::");
	check_encoding("page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, "perf::");
	check_encoding("cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, "perf::");
	/* LL cache, op read, result miss: config = 2 | 0 << 8 | 1 << 16 */
	check_encoding("LLC-load-misses", PERF_TYPE_HW_CACHE, 0x10002, "perf::");
	is_int(events_encode("no-such-event", &s), -ENOENT, "an unknown name is -ENOENT");
	hint = events_suggest("task-clok");
	is_str(hint, "task-clock", "a typo gets a suggestion");
	free(hint);
	hint = events_suggest("LLC-load-mises");
	is_str(hint, "LLC-load-misses", "a typo in a cache event gets a suggestion");
	free(hint);
	hint = events_suggest("completely-different");
	ok(hint == NULL, "a name far from any other gets none");
	free(hint);
	ok(events_preset_find("sched") && events_preset_find("cache") && !events_preset_find("x"),
	   "presets sched and cache exist");
}

static void errno_meanings(void)
{
	struct perf_event_attr hw = { .type = PERF_TYPE_HARDWARE }, sw = { .type = PERF_TYPE_SOFTWARE };
	char *why = NULL;
	long paranoid = 0;
	FILE *f;

	is_int(perf_explain(-EACCES, &hw, &why), COUNTER_NO_PERMISSION, "EACCES means no permission");
	f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	if (f) {
		if (fscanf(f, "%ld", &paranoid) != 1)
			paranoid = -1;
		fclose(f);
	}
	{
		char want[128];

		snprintf(want, sizeof(want), "perf_event_paranoid is %ld: run as root or grant CAP_PERFMON", paranoid);
		is_str(why, want, "the reason names the paranoid level and the remedy");
	}
	free(why);
	is_int(perf_explain(-EMFILE, &sw, &why), COUNTER_ERROR, "EMFILE is an error");
	ok(strstr(why, "ulimit -n") != NULL, "with the limit to raise");
	free(why);
	is_int(perf_explain(-ENOENT, &hw, &why), COUNTER_UNSUPPORTED, "ENOENT on a hardware event: unsupported");
	if (perf_host_has_hw_pmu())
		ok(strstr(why, "cannot count") != NULL, "a host with a PMU says its PMU cannot count it");
	else
		is_str(why, "no hardware PMU is exposed (virtual machine?)", "a host without a PMU says so");
	free(why);
	is_int(perf_explain(-ENOENT, &sw, &why), COUNTER_UNSUPPORTED, "ENOENT on a software event: unsupported");
	ok(strstr(why, "virtual machine") == NULL, "a software event never blames a missing PMU");
	free(why);
}

static void scaling(void)
{
	struct counter_reading rd = { .value = 100, .time_enabled = 200, .time_running = 50 };
	double v;

	is_int(perf_scale(&rd, &v), COUNTER_MULTIPLEXED, "running below enabled is multiplexed");
	ok(v == 400.0, "scaled by enabled/running: 100 x 200/50 = 400 (got %g)", v);
	rd.time_running = 200;
	is_int(perf_scale(&rd, &v), COUNTER_OK, "running equal to enabled is ok");
	ok(v == 100.0, "and unscaled");
	rd.time_running = 0;
	is_int(perf_scale(&rd, &v), COUNTER_NOT_COUNTED, "never running is not counted");
	ok(v != v, "with no value invented (NaN)");
}

int main(void)
{
	forced_pmus();
	host_names();
	errno_meanings();
	scaling();
	return done_testing();
}
