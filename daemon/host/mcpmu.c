/* mcpmu.c: memory-controller PMUs from sysfs (see mcpmu.h).
 *
 * Facts used, with where they come from:
 * - Intel: the kernel publishes event aliases with .scale and .unit files:
 *   server uncore_imc_N cas_count_read/cas_count_write, client uncore_imc
 *   data_reads/data_writes, uncore_imc_free_running_N data_read/data_write
 *   (arch/x86/events/intel/uncore_snbep.c, uncore_snb.c; 6.103515625e-5 MiB
 *   = 64 bytes per count).
 * - AMD publishes no aliases for its memory counters, only format files;
 *   the encodings are those of Linux perf's pmu-events tables:
 *   Zen 2/3 data fabric (amd_df) dram_channel_data_controller_0..7, event
 *   0x07 + 0x40 x channel, umask 0x38, 64 bytes per count, reads and
 *   writes together (amdzen2/amdzen3 data-fabric.json); Zen 4 and later
 *   (amd_umc_N) umc_cas_cmd.rd/.wr, event 0x0a, rdwrmask 1 or 2, one
 *   64-byte CAS per count (amdzen4 memory-controller.json).
 *
 * Sections: 1. small sysfs readers; 2. format fields and terms;
 * 3. families and discovery; 4. user-named events. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "host/mcpmu.h"
#include "base/util.h"

#define MAX_SOCKETS 64

/* ---- 1. sysfs readers --------------------------------------------------- */

static const char *sysfs_root(const char *root)
{
	const char *env = getenv("SCALPROF_SYSFS");

	if (root)
		return root;
	return env && *env ? env : "/sys";
}

static char *pmu_dir(const char *root, const char *pmu)
{
	return xasprintf("%s/bus/event_source/devices/%s", sysfs_root(root), pmu);
}

/* dir/name as trimmed text, or NULL */
static char *read_in(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name), *text;
	int r = read_text_file(path, &text);

	free(path);
	return r < 0 ? NULL : text;
}

int mcpmu_parse_cpulist(const char *text, int *cpus, int max)
{
	int n = 0;
	const char *p = text;

	while (*p) {
		char *end;
		long a = strtol(p, &end, 10), b;

		/* CPU numbers are ints; strtol's LONG_MAX would end the loop below
		 * only by overflowing */
		if (end == p || a < 0 || a > INT_MAX)
			return -EINVAL;
		b = a;
		p = end;
		if (*p == '-') {
			b = strtol(p + 1, &end, 10);
			if (end == p + 1 || b < a || b > INT_MAX)
				return -EINVAL;
			p = end;
		}
		for (long c = a; c <= b; c++) {
			if (n >= max)
				return -EINVAL;
			cpus[n++] = (int)c;
		}
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -EINVAL;
		else
			break;
	}
	return n;
}

/* ---- 2. format fields and terms ------------------------------------------ */

/* Sets value into the bits a format file describes, e.g. "config:0-7,32-35"
 * or "config1:8": low bits of value fill the ranges in order. */
static int apply_format(const char *spec, uint64_t value, uint64_t config[3])
{
	const char *colon = strchr(spec, ':'), *p;
	int which;
	unsigned used = 0;

	if (!colon)
		return -EINVAL;
	if (strncmp(spec, "config:", 7) == 0)
		which = 0;
	else if (strncmp(spec, "config1:", 8) == 0)
		which = 1;
	else if (strncmp(spec, "config2:", 8) == 0)
		which = 2;
	else
		return -EINVAL;
	for (p = colon + 1; *p;) {
		char *end;
		long lo = strtol(p, &end, 10), hi;

		if (end == p || lo < 0 || lo > 63)
			return -EINVAL;
		hi = lo;
		p = end;
		if (*p == '-') {
			hi = strtol(p + 1, &end, 10);
			if (end == p + 1 || hi < lo || hi > 63)
				return -EINVAL;
			p = end;
		}
		for (long bit = lo; bit <= hi; bit++, used++)
			if (used < 64 && (value >> used) & 1)
				config[which] |= 1ULL << bit;
		if (*p == ',')
			p++;
		else if (*p)
			return -EINVAL;
	}
	/* a value wider than its field would be silently cut */
	return used >= 64 || (value >> used) == 0 ? 0 : -ERANGE;
}

int mcpmu_encode_terms(const char *dir, const char *terms, uint64_t config[3], char **ret_why)
{
	char *copy = xstrdup(terms), *save = NULL;
	int r = 0;

	config[0] = config[1] = config[2] = 0;
	for (char *t = strtok_r(copy, ",", &save); t && r == 0; t = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(t, '='), *end, *fmt, *name;
		uint64_t v = 1; /* a bare term is a flag: value 1 */

		if (eq) {
			*eq = '\0';
			v = strtoull(eq + 1, &end, 0);
			if (end == eq + 1 || *end) {
				*ret_why = xasprintf("term '%s': '%s' is not a number", t, eq + 1);
				r = -EINVAL;
				break;
			}
		}
		if (strcmp(t, "config") == 0 || strcmp(t, "config1") == 0 || strcmp(t, "config2") == 0) {
			config[t[6] ? t[6] - '0' : 0] |= v;
			continue;
		}
		name = xasprintf("format/%s", t);
		fmt = read_in(dir, name);
		free(name);
		if (!fmt) {
			*ret_why = xasprintf("term '%s' is not a field of %s/format", t, dir);
			r = -EINVAL;
		} else {
			int a = apply_format(fmt, v, config);

			if (a < 0) {
				*ret_why = a == -ERANGE ? xasprintf("term '%s': %#llx does not fit '%s'", t,
								    (unsigned long long)v, fmt)
							: xasprintf("term '%s': cannot parse format '%s'", t, fmt);
				r = -EINVAL;
			}
			free(fmt);
		}
	}
	free(copy);
	return r;
}

/* Bytes per count from an alias's .scale and .unit; 0 without a .scale. */
static double alias_bytes(const char *dir, const char *alias)
{
	char *name = xasprintf("events/%s.scale", alias), *scale = read_in(dir, name), *unit;
	double bytes = scale ? strtod(scale, NULL) : 0;

	free(name);
	free(scale);
	name = xasprintf("events/%s.unit", alias);
	unit = read_in(dir, name);
	free(name);
	if (unit) {
		if (strcasecmp(unit, "MiB") == 0)
			bytes *= 1048576.0;
		else if (strcasecmp(unit, "KiB") == 0)
			bytes *= 1024.0;
		else if (strcasecmp(unit, "GiB") == 0)
			bytes *= 1073741824.0;
		free(unit);
	}
	return bytes;
}

/* ---- 3. families and discovery ------------------------------------------- */

struct family {
	const char *name;
	const char *prefix;   /* PMU names starting with this */
	const char *exclude;  /* ...but not with this */
	const char *read_alias, *write_alias; /* published aliases, or NULL */
	const char *read_terms, *write_terms; /* built-in encodings, or NULL */
	int channels;         /* amd_df: one event per DRAM channel */
	double bytes;         /* bytes per count for built-in terms */
};

static const struct family families[] = {
	{ "uncore_imc", "uncore_imc", "uncore_imc_free_running", "cas_count_read", "cas_count_write", NULL, NULL, 0, 0 },
	{ "uncore_imc_free_running", "uncore_imc_free_running", NULL, "data_read", "data_write", NULL, NULL, 0, 0 },
	{ "uncore_imc", "uncore_imc", "uncore_imc_free_running", "data_reads", "data_writes", NULL, NULL, 0, 0 },
	{ "amd_umc", "amd_umc", NULL, NULL, NULL, "event=0x0a,rdwrmask=0x1", "event=0x0a,rdwrmask=0x2", 0, 64 },
	{ "amd_df", "amd_df", NULL, NULL, NULL, "umask=0x38", NULL, 8, 64 },
};

static void add_event(struct mc_set *set, const struct mc_event *ev)
{
	set->events = xreallocarray(set->events, set->nevents + 1, sizeof(*ev));
	set->events[set->nevents++] = *ev;
}

static void add_pmu_name(struct mc_set *set, const char *pmu)
{
	size_t len = strlen(set->pmus);

	snprintf(set->pmus + len, sizeof(set->pmus) - len, "%s%s", len ? "," : "", pmu);
}

static int has_pmu_name(const struct mc_set *set, const char *pmu)
{
	size_t n = strlen(pmu);

	for (const char *p = set->pmus; (p = strstr(p, pmu)); p += n)
		if ((p == set->pmus || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/* One event (alias or terms) of one PMU, once per socket of its cpumask. */
static int add_pmu_event(struct mc_set *set, const char *dir, const char *pmu, const char *alias,
			 const char *terms, double bytes, int is_write, char **ret_why)
{
	struct mc_event ev = { .is_write = is_write };
	char *type = read_in(dir, "type"), *mask = read_in(dir, "cpumask"), *aliased = NULL;
	uint64_t config[3];
	int cpus[MAX_SOCKETS], n, r = 0;

	if (!type) {
		*ret_why = xasprintf("%s/type is missing", dir);
		r = -EINVAL;
		goto out;
	}
	n = mask ? mcpmu_parse_cpulist(mask, cpus, MAX_SOCKETS) : 1;
	if (!mask)
		cpus[0] = 0;
	if (n <= 0) {
		*ret_why = xasprintf("%s/cpumask: cannot parse '%s'", dir, mask);
		r = -EINVAL;
		goto out;
	}
	if (alias) {
		char *name = xasprintf("events/%s", alias);

		aliased = read_in(dir, name);
		free(name);
		if (!aliased) {
			r = -ENOENT;
			goto out;
		}
		terms = aliased;
		if (alias_bytes(dir, alias) > 0)
			bytes = alias_bytes(dir, alias); /* else the caller's: one 64-byte line */
	}
	r = mcpmu_encode_terms(dir, terms, config, ret_why);
	if (r < 0)
		goto out;
	snprintf(ev.pmu, sizeof(ev.pmu), "%s", pmu);
	snprintf(ev.name, sizeof(ev.name), "%s", alias ? alias : terms);
	ev.type = (uint32_t)strtoul(type, NULL, 10);
	ev.config = config[0];
	ev.config1 = config[1];
	ev.config2 = config[2];
	ev.bytes_per_count = bytes;
	for (int s = 0; s < n; s++) {
		ev.socket = s;
		ev.cpu = cpus[s];
		add_event(set, &ev);
	}
	if (n > set->nsockets)
		set->nsockets = n;
out:
	free(type);
	free(mask);
	free(aliased);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The PMU names in devices/, sorted. */
static char **list_pmus(const char *root, size_t *ret_n)
{
	char *dir = xasprintf("%s/bus/event_source/devices", sysfs_root(root));
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	free(dir);
	if (!d) {
		*ret_n = 0;
		return NULL;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			names = xreallocarray(names, n + 1, sizeof(char *));
			names[n++] = xstrdup(de->d_name);
		}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(char *), cmp_str);
	*ret_n = n;
	return names;
}

/* Tries one family on every matching PMU; 0 when it yielded events. */
static int try_family(const char *root, const struct family *f, char **pmus, size_t npmus, struct mc_set *set,
		      char **ret_why)
{
	for (size_t i = 0; i < npmus; i++) {
		const char *pmu = pmus[i];
		char *dir;
		int r = 0;

		if (strncmp(pmu, f->prefix, strlen(f->prefix)) != 0 ||
		    (f->exclude && strncmp(pmu, f->exclude, strlen(f->exclude)) == 0))
			continue;
		dir = pmu_dir(root, pmu);
		size_t before = set->nevents;

		if (f->channels) {
			for (int ch = 0; ch < f->channels && r == 0; ch++) {
				char *terms = xasprintf("event=%#x,%s", 0x07 + 0x40 * ch, f->read_terms);

				r = add_pmu_event(set, dir, pmu, NULL, terms, f->bytes, 2, ret_why);
				free(terms);
			}
		} else {
			r = add_pmu_event(set, dir, pmu, f->read_alias, f->read_terms, f->bytes, 0, ret_why);
			if (r == 0)
				r = add_pmu_event(set, dir, pmu, f->write_alias, f->write_terms, f->bytes, 1, ret_why);
		}
		free(dir);
		if (r == -ENOENT) {
			set->nevents = before; /* this PMU lacks one of the family's aliases */
			continue;
		}
		if (r < 0)
			return r;
		add_pmu_name(set, pmu);
	}
	if (set->nevents == 0)
		return -ENOENT;
	snprintf(set->family, sizeof(set->family), "%s", f->name);
	return 0;
}

int mcpmu_discover(const char *root, struct mc_set *ret, char **ret_why)
{
	size_t npmus;
	char **pmus = list_pmus(root, &npmus);
	int r = -ENOENT;

	memset(ret, 0, sizeof(*ret));
	*ret_why = NULL;
	for (size_t k = 0; k < ARRAY_SIZE(families) && r == -ENOENT; k++) {
		r = try_family(root, &families[k], pmus, npmus, ret, ret_why);
		if (r < 0) {
			free(ret->events);
			memset(ret, 0, sizeof(*ret));
		}
	}
	for (size_t i = 0; i < npmus; i++)
		free(pmus[i]);
	free(pmus);
	return r;
}

void mc_set_clear(struct mc_set *set)
{
	free(set->events);
	memset(set, 0, sizeof(*set));
}

/* ---- 4. user-named events ------------------------------------------------ */

static int add_named(const char *root, struct mc_set *set, const char *spec, int is_write, char **ret_why)
{
	const char *slash = strchr(spec, '/');
	char *pmu, *dir, *what, *bytes_term;
	double bytes = 64;
	int r, explicit_bytes = 0;
	size_t before = set->nevents;

	if (!slash || slash == spec || !slash[1]) {
		*ret_why = xasprintf("'%s': expected PMU/ALIAS or PMU/TERM=VALUE,...", spec);
		return -EINVAL;
	}
	pmu = xasprintf("%.*s", (int)(slash - spec), spec);
	what = xstrdup(slash + 1);
	if (what[strlen(what) - 1] == '/')
		what[strlen(what) - 1] = '\0';
	/* our own term: bytes=N per count, default one 64-byte line */
	bytes_term = strstr(what, "bytes=");
	if (bytes_term && (bytes_term == what || bytes_term[-1] == ',')) {
		char *end;

		bytes = strtod(bytes_term + 6, &end);
		if (end == bytes_term + 6 || (*end && *end != ',') || !(bytes > 0) || bytes > 1e6) {
			*ret_why = xasprintf("'%s': bytes= needs a positive number of bytes per count", spec);
			free(pmu);
			free(what);
			return -EINVAL;
		}
		explicit_bytes = 1;
		memmove(bytes_term, end + (*end == ','), strlen(end + (*end == ',')) + 1);
		if (bytes_term > what && bytes_term[-1] == ',' && !*bytes_term)
			bytes_term[-1] = '\0';
	}
	dir = pmu_dir(root, pmu);
	{
		char *type = read_in(dir, "type");

		if (!type) {
			*ret_why = xasprintf("'%s': no PMU '%s' in %s/bus/event_source/devices", spec, pmu,
					     sysfs_root(root));
			free(pmu);
			free(what);
			free(dir);
			return -EINVAL;
		}
		free(type);
	}
	if (strchr(what, '=')) {
		r = add_pmu_event(set, dir, pmu, NULL, what, bytes, is_write, ret_why);
	} else {
		r = add_pmu_event(set, dir, pmu, what, NULL, bytes, is_write, ret_why);
		for (size_t i = before; r == 0 && explicit_bytes && i < set->nevents; i++)
			set->events[i].bytes_per_count = bytes; /* bytes= overrides the alias's scale */
		if (r == -ENOENT) {
			*ret_why = xasprintf("'%s': %s has no event alias '%s'", spec, pmu, what);
			r = -EINVAL;
		}
	}
	if (r == 0 && !has_pmu_name(set, pmu))
		add_pmu_name(set, pmu);
	free(pmu);
	free(what);
	free(dir);
	return r;
}

int mcpmu_from_names(const char *root, char *const *reads, size_t nreads, char *const *writes, size_t nwrites,
		     struct mc_set *ret, char **ret_why)
{
	int r = 0;

	memset(ret, 0, sizeof(*ret));
	*ret_why = NULL;
	snprintf(ret->family, sizeof(ret->family), "user");
	for (size_t i = 0; i < nreads && r == 0; i++)
		r = add_named(root, ret, reads[i], 0, ret_why);
	for (size_t i = 0; i < nwrites && r == 0; i++)
		r = add_named(root, ret, writes[i], 1, ret_why);
	if (r < 0)
		mc_set_clear(ret);
	return r;
}
