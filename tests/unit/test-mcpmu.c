/* test-mcpmu.c: discovery of memory-controller PMUs, format and alias
 * parsing and bytes per count, on sysfs trees of other machines written as
 * fixtures (tests/fixtures/sysfs): Intel server and client, AMD Zen 3 and
 * Zen 4, and a virtual machine with none. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/mcpmu.h"
#include "tap.h"

static char root[1024];

static const char *fixture(const char *name)
{
	const char *src = getenv("SRC_DIR");

	snprintf(root, sizeof(root), "%s/tests/fixtures/sysfs/%s", src ? src : ".", name);
	return root;
}

static const struct mc_event *find(const struct mc_set *s, const char *pmu, int is_write, int socket)
{
	for (size_t i = 0; i < s->nevents; i++)
		if (strcmp(s->events[i].pmu, pmu) == 0 && s->events[i].is_write == is_write &&
		    s->events[i].socket == socket)
			return &s->events[i];
	return NULL;
}

/* discovers the fixture name's PMUs into *s, which must be found and of
 * family; returns whether they were (then mc_set_clear s) */
static int discover(const char *name, struct mc_set *s, const char *family, const char *what)
{
	char *why = NULL;
	int r = mcpmu_discover(fixture(name), s, &why);

	if (!ok(r == 0, "%s: found", name))
		printf("#   %d: %s\n", r, why ? why : "");
	free(why);
	is_str(r == 0 ? s->family : NULL, family, "%s: %s", name, what);
	return r == 0;
}

/* the event of pmu (read, write, or 2: both) on socket has config */
static void expect_config(const struct mc_set *s, const char *pmu, int is_write, int socket, uint64_t config,
			  const char *what)
{
	const struct mc_event *e = find(s, pmu, is_write, socket);

	if (!ok(e && e->config == config, "%s", what))
		printf("#   %s\n", e ? "another config" : "no such event");
}

static void intel_server(void)
{
	struct mc_set s;
	const struct mc_event *e;

	if (!discover("intel-server", &s, "uncore_imc", "the uncore_imc family"))
		return;
	is_int(s.nsockets, 2, "intel server: two sockets from cpumask 0,28");
	is_int(s.nevents, 6 * 2 * 2, "6 channels x read/write x 2 sockets");
	e = find(&s, "uncore_imc_3", 0, 1);
	ok(e != NULL, "channel 3's read event on socket 1");
	if (e) {
		is_int(e->cpu, 28, "opened on socket 1's CPU 28");
		is_int(e->type, 16, "with the PMU's type");
		is_int(e->config, 0x0304, "cas_count_read: event=0x04,umask=0x03 -> 0x304");
		ok(e->bytes_per_count == 64.0, "6.103515625e-5 MiB = 64 bytes per count (%g)", e->bytes_per_count);
	}
	expect_config(&s, "uncore_imc_0", 1, 0, 0x0c04, "cas_count_write: event=0x04,umask=0x0c -> 0xc04");
	is_str(s.pmus, "uncore_imc_0,uncore_imc_1,uncore_imc_2,uncore_imc_3,uncore_imc_4,uncore_imc_5", "PMUs listed");
	mc_set_clear(&s);
}

static void intel_client(void)
{
	struct mc_set s;

	if (!discover("intel-client", &s, "uncore_imc_free_running", "free-running counters preferred"))
		return;
	is_int(s.nevents, 2, "one read and one write on one socket");
	expect_config(&s, "uncore_imc_free_running_0", 0, 0, 0x20ff, "data_read: event=0xff,umask=0x20 -> 0x20ff");
	mc_set_clear(&s);
}

static void amd(void)
{
	struct mc_set s;
	const struct mc_event *e;

	if (!discover("amd-zen3", &s, "amd_df", "the data fabric"))
		return;
	is_int(s.nevents, 8, "one event per DRAM channel");
	e = &s.events[4];
	/* event 0x107: 0x07 in bits 0-7, 0x1 in bits 32-35; umask 0x38 in bits 8-15 */
	is_int(e->config, 0x100003807ULL, "channel 4: event=0x107,umask=0x38 spread over config:0-7,32-35");
	is_int(e->is_write, 2, "reads and writes together");
	ok(e->bytes_per_count == 64.0, "64 bytes per count");
	mc_set_clear(&s);

	if (!discover("amd-zen4", &s, "amd_umc", "the memory controllers, not the fabric"))
		return;
	is_int(s.nevents, 4 * 2, "4 UMCs x read/write");
	expect_config(&s, "amd_umc_2", 1, 0, 0x20a, "umc_cas_cmd.wr: event=0x0a,rdwrmask=2 -> 0x20a");
	expect_config(&s, "amd_umc_2", 0, 0, 0x10a, "umc_cas_cmd.rd: event=0x0a,rdwrmask=1 -> 0x10a");
	mc_set_clear(&s);
}

static void none_and_names(void)
{
	struct mc_set s;
	char *why = NULL;
	uint64_t cfg[3];
	int cpus[8];

	is_int(mcpmu_discover(fixture("none"), &s, &why), -ENOENT, "a virtual machine has none");
	is_int(mcpmu_discover("/nonexistent", &s, &why), -ENOENT, "nor does a missing tree");

	fixture("intel-server");
	{
		char *reads[] = { "uncore_imc_0/cas_count_read/" }, *writes[] = { "uncore_imc_1/event=0x04,umask=0x0c,bytes=32" };

		is_int(mcpmu_from_names(root, reads, 1, writes, 1, &s, &why), 0, "user-named alias and terms");
		is_str(s.family, "user", "family user");
		ok(s.nevents == 4 && s.events[0].config == 0x304 && s.events[0].bytes_per_count == 64.0,
		   "the alias with its scale");
		ok(s.events[2].config == 0xc04 && s.events[2].bytes_per_count == 32.0 && s.events[2].is_write == 1,
		   "terms with bytes=32");
		mc_set_clear(&s);
	}
	{
		char *reads[] = { "uncore_imc_0/no_such_alias" };

		is_int(mcpmu_from_names(root, reads, 1, NULL, 0, &s, &why), -EINVAL, "an unknown alias is refused");
		is_str(why, "'uncore_imc_0/no_such_alias': uncore_imc_0 has no event alias 'no_such_alias'", "saying which");
		free(why);
	}
	{
		char *reads[] = { "nopmu/event=1" };

		is_int(mcpmu_from_names(root, reads, 1, NULL, 0, &s, &why), -EINVAL, "an unknown PMU is refused");
		free(why);
	}
	{
		char dir[1100];

		snprintf(dir, sizeof(dir), "%s/bus/event_source/devices/uncore_imc_0", root);
		is_int(mcpmu_encode_terms(dir, "event=0x1ff", cfg, &why), -EINVAL, "a value wider than its field is refused");
		is_str(why, "term 'event': 0x1ff does not fit 'config:0-7'", "saying so");
		free(why);
		is_int(mcpmu_encode_terms(dir, "edge=1", cfg, &why), -EINVAL, "a term without a format file is refused");
		free(why);
		is_int(mcpmu_encode_terms(dir, "config=0x1234,umask=0x1", cfg, &why), 0, "raw config and a field");
		is_int(cfg[0], 0x1334, "combine");
	}
	is_int(mcpmu_parse_cpulist("0,18", cpus, 8), 2, "cpulist 0,18");
	ok(mcpmu_parse_cpulist("0-3,8", cpus, 8) == 5 && cpus[4] == 8, "cpulist 0-3,8");
	is_int(mcpmu_parse_cpulist("x", cpus, 8), -EINVAL, "a bad cpulist");
	/* found by fuzzing (tests/fuzz/regressions/mcpmu): strtol's LONG_MAX
	 * made the loop's counter overflow */
	is_int(mcpmu_parse_cpulist("99999999999999999999", cpus, 8), -EINVAL, "a cpulist beyond LONG_MAX");
	is_int(mcpmu_parse_cpulist("9223372036854775807", cpus, 8), -EINVAL, "a cpulist of LONG_MAX");
	is_int(mcpmu_parse_cpulist("0-9223372036854775807", cpus, 8), -EINVAL, "a cpulist range to LONG_MAX");
	is_int(mcpmu_parse_cpulist("2147483648", cpus, 8), -EINVAL, "a CPU beyond INT_MAX");
	ok(mcpmu_parse_cpulist("2147483647", cpus, 8) == 1 && cpus[0] == 2147483647, "a CPU of INT_MAX");
}

int main(void)
{
	intel_server();
	intel_client();
	amd();
	none_and_names();
	return done_testing();
}
