/* fuzz-mcpmu.c: libFuzzer harness for the bandwidth probe's sysfs parsers
 * (probes/mcpmu.c). The first byte of an input picks what the rest is:
 *   T  terms "event=0x07,umask=0x38,..." encoded with the format files of
 *      the amd-zen3 fixture's amd_df (event is config:0-7,32-35)
 *   S  user-named events, one per line, "PMU/ALIAS" or "PMU/TERMS,bytes=N",
 *      alternately read and write, on the intel-server fixture
 *   C  a cpumask list such as "0,28" or "0-3,8"
 *   P  a whole PMU as the kernel would publish it, one file per line: type,
 *      cpumask, format/event, format/umask, events/cas_count_read (an
 *      alias: terms), its .scale and .unit; written to a scratch sysfs tree
 *      as uncore_imc_0 and discovered with mcpmu_discover
 * (any other first byte: its value modulo 4 picks). Run from the
 * repository root (make fuzz); the scratch tree is made under $TMPDIR. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/mcpmu.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TERMS_PMU "tests/fixtures/sysfs/amd-zen3/bus/event_source/devices/amd_df"
#define NAMES_ROOT "tests/fixtures/sysfs/intel-server"

static char scratch[256];  /* the scratch sysfs root */
static char pmu[512];      /* its uncore_imc_0 */

static const char *const pmu_files[] = {
	"type", "cpumask", "format/event", "format/umask",
	"events/cas_count_read", "events/cas_count_read.scale", "events/cas_count_read.unit",
};

/* what each of pmu_files holds now (NULL: absent), so that only the files
 * an input changes are written again */
static char *written[7];

/* the scratch tree's directories, parents first */
static const char *const dirs[] = { "bus", "bus/event_source", "bus/event_source/devices",
				    "bus/event_source/devices/uncore_imc_0",
				    "bus/event_source/devices/uncore_imc_0/format",
				    "bus/event_source/devices/uncore_imc_0/events" };

static void remove_scratch(void)
{
	char path[768];

	for (size_t i = 0; i < 7; i++)
		free(written[i]);

	for (size_t i = 0; i < sizeof(pmu_files) / sizeof(pmu_files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", pmu, pmu_files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/events/cas_count_write", pmu);
	unlink(path);
	for (size_t i = sizeof(dirs) / sizeof(dirs[0]); i-- > 0;) {
		snprintf(path, sizeof(path), "%s/%s", scratch, dirs[i]);
		rmdir(path);
	}
	rmdir(scratch);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	char path[768];

	snprintf(scratch, sizeof(scratch), "%s/fuzz-mcpmu.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(scratch))
		abort();
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", scratch, dirs[i]);
		if (mkdir(path, 0755) < 0)
			abort();
	}
	snprintf(pmu, sizeof(pmu), "%s/bus/event_source/devices/uncore_imc_0", scratch);
	/* the write alias stays fixed: the read one is the input's */
	snprintf(path, sizeof(path), "%s/events/cas_count_write", pmu);
	{
		FILE *f = fopen(path, "w");

		if (!f)
			abort();
		fputs("event=0x04,umask=0x0c\n", f);
		fclose(f);
	}
	atexit(remove_scratch);
	return 0;
}

/* NUL-terminated copies of the input's lines; at most max */
static size_t split_lines(const char *text, size_t len, char **lines, size_t max)
{
	size_t n = 0, start = 0;

	for (size_t i = 0; i <= len && n < max; i++)
		if (i == len || text[i] == '\n') {
			lines[n] = malloc(i - start + 1);
			memcpy(lines[n], text + start, i - start);
			lines[n][i - start] = '\0';
			n++;
			start = i + 1;
		}
	return n;
}

static void fuzz_terms(const char *text)
{
	uint64_t config[3];
	char *why = NULL;

	if (mcpmu_encode_terms(TERMS_PMU, text, config, &why) < 0 && !why)
		abort(); /* the contract: a reason with every error */
	free(why);
}

static void fuzz_names(const char *text, size_t len)
{
	char *lines[16], *reads[8], *writes[8];
	size_t n = split_lines(text, len, lines, 16), nr = 0, nw = 0;
	struct mc_set set;
	char *why = NULL;

	for (size_t i = 0; i < n; i++) {
		if (i % 2 == 0)
			reads[nr++] = lines[i];
		else
			writes[nw++] = lines[i];
	}
	if (mcpmu_from_names(NAMES_ROOT, reads, nr, writes, nw, &set, &why) == 0)
		mc_set_clear(&set);
	else if (!why)
		abort();
	free(why);
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
}

static void fuzz_cpulist(const char *text)
{
	int cpus[64];

	mcpmu_parse_cpulist(text, cpus, 64);
}


static void put_file(size_t i, const char *text)
{
	char path[768];
	int fd;

	if (written[i] && text && strcmp(written[i], text) == 0)
		return;
	if (!written[i] && !text)
		return;
	snprintf(path, sizeof(path), "%s/%s", pmu, pmu_files[i]);
	if (text) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || write(fd, text, strlen(text)) < 0)
			abort();
		close(fd);
	} else {
		unlink(path);
	}
	free(written[i]);
	written[i] = text ? strdup(text) : NULL;
}

static void fuzz_pmu(const char *text, size_t len)
{
	char *lines[7];
	size_t n = split_lines(text, len, lines, 7);
	struct mc_set set;
	char *why = NULL;
	int r;

	for (size_t i = 0; i < 7; i++)
		put_file(i, i < n ? lines[i] : NULL);
	r = mcpmu_discover(scratch, &set, &why);
	if (r == 0)
		mc_set_clear(&set);
	else if (r == -EINVAL && !why)
		abort(); /* the contract: a reason with -EINVAL */
	free(why);
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;
	size_t len;
	int mode;

	if (size == 0 || size > 4096)
		return -1;
	switch (data[0]) {
	case 'T': mode = 0; break;
	case 'S': mode = 1; break;
	case 'C': mode = 2; break;
	case 'P': mode = 3; break;
	default: mode = data[0] % 4; break;
	}
	/* the rest, up to its first NUL: these parsers take C strings */
	len = strnlen((const char *)data + 1, size - 1);
	text = malloc(len + 1);
	memcpy(text, data + 1, len);
	text[len] = '\0';
	switch (mode) {
	case 0: fuzz_terms(text); break;
	case 1: fuzz_names(text, len); break;
	case 2: fuzz_cpulist(text); break;
	default: fuzz_pmu(text, len); break;
	}
	free(text);
	return 0;
}
