/* ceiling.c: this machine's measured limits, against which runs are judged:
 * the memory-bandwidth ceiling (STREAM copy and triad on 1..all pinned
 * physical cores, arrays 4x the L3, best of the repetitions, STREAM's byte
 * counting) and the usable last-level cache (a pointer-chase latency sweep:
 * the largest working set before latency jumps towards DRAM's).
 *
 * Both are measured by the same engine as any campaign: a campaign is
 * written as YAML, loaded, and run with the scalprof-kernels builtins into a
 * private in-memory database, from which the kernels' own reports are read
 * back; only the results go to the user's database. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/ceiling.h"
#include "model/plan.h"
#include "engine/runner.h"
#include "base/util.h"
#include "host/hostinfo.h"

/* working sets of the latency sweep, up to 2x the largest L3 there is */
static const double chase_mib[] = { 0.25, 0.5, 1, 1.5, 2, 3, 4, 5, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512 };

/* Runs a campaign given as YAML text into a fresh in-memory store,
 * returned in *ret_st. */
static int run_text(const struct ceiling_opts *o, const char *yaml, struct store **ret_st, char **ret_error)
{
	struct campaign *c = NULL;
	struct store *st = NULL;
	struct plan plan = { 0 };
	struct runner_summary sum;
	int64_t cid;
	struct conditions cond = { 0 };
	int r = campaign_parse("scalprof-probe", yaml, strlen(yaml), o->topo, &c, ret_error);

	if (r < 0)
		return r;
	r = store_open(":memory:", &st, ret_error);
	if (r < 0)
		goto out;
	{
		struct machine_info mi = { .hostname = "probe", .machine_id = "probe" };
		int64_t mid;

		if (store_machine(st, &mi, &mid) < 0 || store_campaign_begin(st, mid, c, &cond, &cid) < 0) {
			*ret_error = xasprintf("probe: %s", store_errmsg(st));
			r = -EIO;
			goto out;
		}
	}
	plan_build(c, topology_cores(o->topo), &plan);
	{
		struct runner_opts ro = {
			.campaign = c, .topo = o->topo, .store = st, .campaign_id = cid, .sigfd = o->sigfd,
			.progress = o->progress, .progress_arg = o->progress_arg,
		};

		r = runner_run_campaign(&ro, &plan, &sum, ret_error);
	}
	if (r == 0 && sum.runs_ok != sum.runs_done) {
		*ret_error = xasprintf("probe: %zu of %zu measuring runs failed", sum.runs_done - sum.runs_ok,
				       sum.runs_done);
		r = -EIO;
	}
out:
	plan_clear(&plan);
	campaign_free(c);
	if (r < 0) {
		store_close(st);
		return r;
	}
	*ret_st = st;
	return 0;
}

/* Runs the measuring campaign yaml (freed here) and hands each of its runs
 * to fn. Returns 0 or -errno with a fresh *ret_error. */
static int measure(const struct ceiling_opts *o, char *yaml, ceiling_run_fn fn, void *arg, char **ret_error)
{
	struct store *st = NULL;
	int r = run_text(o, yaml, &st, ret_error);

	free(yaml);
	if (r < 0)
		return r;
	r = ceiling_each_run(st, fn, arg);
	if (r < 0)
		*ret_error = xstrdup(store_errmsg(st));
	store_close(st);
	return r;
}

/* The value of "key=" in a worker's output. */
static double field(const char *text, const char *key)
{
	const char *p = text;
	size_t klen = strlen(key);

	while ((p = strstr(p, key))) {
		if ((p == text || p[-1] == '\n') && p[klen] == '=')
			return strtod(p + klen + 1, NULL);
		p += klen;
	}
	return NAN;
}

/* Bytes per array: 4x the L3 (STREAM's rule), at least 64 MiB, or the
 * user's limit; all workers' three arrays together within half the
 * available memory. */
static uint64_t array_size(const struct topology *topo, uint64_t max_bytes)
{
	uint64_t l3 = topology_l3_bytes(topo), size = l3 * 4 < (64u << 20) ? (64u << 20) : l3 * 4;
	FILE *f = fopen("/proc/meminfo", "re");
	char line[128];
	unsigned long long kb = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	if (max_bytes && size > max_bytes)
		size = max_bytes & ~(uint64_t)4095;
	if (kb) {
		uint64_t cap = kb * 1024 / 2 / (3 * (uint64_t)topology_cores(topo));

		if (size > cap)
			size = cap & ~(uint64_t)4095;
	}
	return size;
}

/* Per run, all workers' STREAM rates together; per worker count, the best
 * run. */
static int on_stream_run(void *arg, const char *workload, int n, const char *outputs)
{
	struct ceiling *ret = arg;
	char *copy = xstrdup(outputs), *save = NULL;
	double copy_sum = 0, triad_sum = 0;

	for (char *w = strtok_r(copy, "\x1e", &save); w; w = strtok_r(NULL, "\x1e", &save)) {
		copy_sum += field(w, "copy_MBps");
		triad_sum += field(w, "triad_MBps");
	}
	free(copy);
	if (n < 1 || n > CEILING_MAX_COUNTS || isnan(copy_sum) || isnan(triad_sum))
		return 0;
	if (n > ret->ncounts)
		ret->ncounts = n;
	if (copy_sum > ret->copy_mbps[n - 1])
		ret->copy_mbps[n - 1] = copy_sum;
	if (triad_sum > ret->triad_mbps[n - 1])
		ret->triad_mbps[n - 1] = triad_sum;
	return 0;
}

static int measure_bandwidth(const struct ceiling_opts *o, struct ceiling *ret, char **ret_error)
{
	uint64_t size = array_size(o->topo, o->max_bytes);
	char *yaml = xasprintf("name: scalprof-probe-bandwidth\n"
			       "workers: \"1..all\"\nrepetitions: 3\ntimeout_s: 600\nscale: %g\n"
			       "events: [task-clock]\nbandwidth: false\n"
			       "workloads:\n  - name: stream\n    builtin: stream\n    args: [size=%llu, ntimes=10]\n",
			       o->scale, (unsigned long long)size);
	int r;

	ret->array_bytes = size;
	ret->ncounts = 0;
	r = measure(o, yaml, on_stream_run, ret, ret_error);
	if (r == 0 && ret->ncounts == 0) {
		*ret_error = xstrdup("probe: the stream kernel reported no bandwidth");
		r = -EIO;
	}
	return r;
}

/* The sizes of the latency sweep: up to 64 MiB, and beyond that up to 2x
 * this machine's L3; none above the user's limit but the first. */
static size_t chase_sizes(const struct topology *topo, uint64_t max_bytes)
{
	double top = (double)topology_l3_bytes(topo) * 2 / 1048576;
	size_t nsizes = 0;

	while (nsizes < ARRAY_SIZE(chase_mib) && (chase_mib[nsizes] <= 64 || chase_mib[nsizes] <= top) &&
	       (nsizes == 0 || !max_bytes || chase_mib[nsizes] * 1048576 <= (double)max_bytes))
		nsizes++;
	return nsizes;
}

/* The latency campaign: one workload chase_I per size. */
static char *chase_yaml(double scale, size_t nsizes)
{
	size_t len = 0, cap = 8192;
	char *yaml = xcalloc(1, cap);

	len += (size_t)snprintf(yaml + len, cap - len,
				"name: scalprof-probe-latency\nworkers: [1]\nrepetitions: 3\ntimeout_s: 600\n"
				"scale: %g\nevents: [task-clock]\nbandwidth: false\nworkloads:\n", scale);
	for (size_t i = 0; i < nsizes; i++)
		len += (size_t)snprintf(yaml + len, cap - len,
					"  - name: chase_%zu\n    builtin: chase\n    args: [size=%.0f, steps=3000000]\n",
					i, chase_mib[i] * 1048576);
	return yaml;
}

/* Per size, the best of the repetitions (ret->ns set to INFINITY first). */
static int on_chase_run(void *arg, const char *workload, int n, const char *outputs)
{
	struct ceiling *ret = arg;
	unsigned long i = strtoul(workload + 6, NULL, 10); /* "chase_I" */
	double ns = field(outputs, "ns_per_step");

	if (i < ret->nsizes && ns < ret->ns[i])
		ret->ns[i] = ns;
	return 0;
}

/* The jump: latency past the geometric middle of the cache's and DRAM's;
 * the usable cache is the last size before it. */
static void find_usable_llc(struct ceiling *ret)
{
	double lo = INFINITY, hi = 0, threshold;

	for (size_t i = 0; i < ret->nsizes; i++) {
		ret->bytes[i] = (uint64_t)(chase_mib[i] * 1048576);
		if (ret->ns[i] < lo)
			lo = ret->ns[i];
		if (isfinite(ret->ns[i]) && ret->ns[i] > hi)
			hi = ret->ns[i];
	}
	threshold = sqrt(lo * hi);
	ret->usable_llc_bytes = ret->bytes[0];
	for (size_t i = 0; i < ret->nsizes && ret->ns[i] <= threshold; i++)
		ret->usable_llc_bytes = ret->bytes[i];
	ret->threshold_ns = threshold;
}

static int measure_latency(const struct ceiling_opts *o, struct ceiling *ret, char **ret_error)
{
	int r;

	ret->nsizes = chase_sizes(o->topo, o->max_bytes);
	for (size_t i = 0; i < ret->nsizes; i++)
		ret->ns[i] = INFINITY;
	r = measure(o, chase_yaml(o->scale, ret->nsizes), on_chase_run, ret, ret_error);
	if (r == 0)
		find_usable_llc(ret);
	return r;
}

int ceiling_max_bytes(const char *text, uint64_t *ret, const char **ret_what)
{
	const char *env = getenv("SCALPROF_PROBE_MAX_MIB");
	char *end;
	unsigned long long v;

	*ret = 0;
	*ret_what = "--max-mib";
	if (!text && env && *env) {
		text = env;
		*ret_what = "SCALPROF_PROBE_MAX_MIB";
	}
	if (!text)
		return 0;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (!*text || *end || errno || *text == '-' || v < 1 || v > CEILING_MAX_MIB)
		return -EINVAL;
	*ret = (uint64_t)v << 20;
	return 0;
}

int ceiling_measure(const struct ceiling_opts *o, struct ceiling *ret, char **ret_error)
{
	int r;

	memset(ret, 0, sizeof(*ret));
	r = measure_bandwidth(o, ret, ret_error);
	if (r == 0)
		r = measure_latency(o, ret, ret_error);
	return r;
}

/* ---- the cache kept per machine ---- */

#define CACHE_MAGIC "scalprof ceiling cache 1"

/* The cache directory, fresh, or NULL when there is none (no HOME). */
static char *cache_dir(void)
{
	const char *env = getenv("SCALPROF_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (env && *env)
		return xstrdup(env);
	if (geteuid() == 0)
		return xstrdup("/var/lib/scalprof"); /* root and scalprofd: one for the machine */
	if (xdg && xdg[0] == '/')
		return xasprintf("%s/scalprof", xdg);
	return home && home[0] == '/' ? xasprintf("%s/.cache/scalprof", home) : NULL;
}

/* FNV-1a: a file name from the key (the key inside says which it is). */
static uint64_t key_hash(const char *key)
{
	uint64_t h = 14695981039346656037ULL;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

/* The cache file for key, fresh, or NULL when there is no cache directory. */
static char *cache_path(const char *key)
{
	char *dir = cache_dir(), *path;

	if (!dir)
		return NULL;
	path = xasprintf("%s/ceiling-%016" PRIx64, dir, key_hash(key));
	free(dir);
	return path;
}

char *ceiling_cache_key(const struct topology *topo, uint64_t max_bytes)
{
	struct machine_info mi;
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	char *key;

	machine_info_read(topo, &mi);
	/* one line: the file keeps it on one */
	key = xasprintf("machine-id=%s cpu=%s cores=%d memory=%lld kernel=%s max_bytes=%" PRIu64, mi.machine_id,
			mi.cpu_model ? mi.cpu_model : "unknown", topology_cores(topo),
			pages > 0 && page > 0 ? (long long)pages * page : -1LL, mi.kernel, max_bytes);
	for (char *k = key; *k; k++)
		if (*k == '\n' || *k == '\r')
			*k = ' ';
	machine_info_clear(&mi);
	return key;
}

/* One line of a cache file into c; returns 0 or -EINVAL. */
static int cache_line(const char *line, struct ceiling *c, int *have_key, const char *key)
{
	unsigned long long a, b;
	long long t;
	double x, y;
	int n;

	if (strncmp(line, "key ", 4) == 0) {
		*have_key = strcmp(line + 4, key) == 0 ? 1 : -1;
		return 0;
	}
	if (sscanf(line, "measured_at %lld", &t) == 1)
		c->measured_at = t;
	else if (sscanf(line, "array_bytes %llu", &a) == 1)
		c->array_bytes = a;
	else if (sscanf(line, "usable_llc_bytes %llu", &a) == 1)
		c->usable_llc_bytes = a;
	else if (sscanf(line, "threshold_ns %lf", &x) == 1)
		c->threshold_ns = x;
	else if (sscanf(line, "bandwidth %d %lf %lf", &n, &x, &y) == 3 && n == c->ncounts + 1 &&
		 n <= CEILING_MAX_COUNTS) {
		c->copy_mbps[n - 1] = x;
		c->triad_mbps[n - 1] = y;
		c->ncounts = n;
	} else if (sscanf(line, "latency %llu %llu", &a, &b) == 2 && c->nsizes < CEILING_MAX_SIZES) {
		/* ns kept as bits: a reading that was INFINITY comes back as one */
		memcpy(&x, &b, sizeof(x));
		c->bytes[c->nsizes] = a;
		c->ns[c->nsizes++] = x;
	} else if (strncmp(line, "scale ", 6) != 0) {
		return -EINVAL;
	}
	return 0;
}

int ceiling_cache_load(const char *key, struct ceiling *ret)
{
	char *path = cache_path(key), *text = NULL, *save = NULL;
	size_t len;
	int have_key = 0, r;

	if (!path)
		return -ENOENT;
	r = read_file_limited(path, 1 << 20, &text, &len);
	if (r < 0) {
		free(path);
		return r == -ENOENT ? -ENOENT : -EINVAL;
	}
	memset(ret, 0, sizeof(*ret));
	r = strncmp(text, CACHE_MAGIC "\n", strlen(CACHE_MAGIC) + 1) == 0 ? 0 : -EINVAL;
	for (char *line = strtok_r(text + (r == 0 ? strlen(CACHE_MAGIC) : 0), "\n", &save); r == 0 && line;
	     line = strtok_r(NULL, "\n", &save))
		r = cache_line(line, ret, &have_key, key);
	if (r == 0 && (ret->ncounts < 1 || ret->usable_llc_bytes == 0 || ret->measured_at <= 0))
		r = -EINVAL;
	if (r == 0 && (have_key != 1 || time(NULL) - ret->measured_at > CEILING_CACHE_MAX_AGE_S))
		r = -ESTALE;
	if (r == 0)
		snprintf(ret->from, sizeof(ret->from), "%s", path);
	free(text);
	free(path);
	return r;
}

/* mkdir -p, each new directory with mode. Returns 0 or -errno. */
static int make_dirs(const char *dir, mode_t mode)
{
	char *d = xstrdup(dir);
	int r = 0;

	for (char *p = d + 1;; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(d, mode) < 0 && errno != EEXIST)
			r = -errno;
		*p = c;
		if (r < 0 || c == '\0')
			break;
	}
	free(d);
	return r;
}

int ceiling_cache_save(const char *key, const struct ceiling *c, char **ret_error)
{
	char *path = cache_path(key), *dir, *tmp = NULL, *slash;
	FILE *f = NULL;
	int fd, r;

	if (!path) {
		*ret_error = xstrdup("no cache directory (neither SCALPROF_CACHE_DIR nor HOME is set)");
		return -ENOENT;
	}
	slash = strrchr(path, '/');
	dir = xasprintf("%.*s", (int)(slash - path), path);
	/* the machine's for root; a user's own otherwise */
	r = make_dirs(dir, geteuid() == 0 ? 0755 : 0700);
	if (r < 0) {
		*ret_error = xasprintf("cannot create the cache directory '%s': %s", dir, strerror(-r));
		goto out;
	}
	tmp = xasprintf("%s.%d.tmp", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		*ret_error = xasprintf("cannot write '%s': %s", tmp, strerror(-r));
		goto out;
	}
	fprintf(f,
		CACHE_MAGIC "\nkey %s\nmeasured_at %lld\narray_bytes %llu\nusable_llc_bytes %llu\n"
			    "threshold_ns %.17g\n",
		key, c->measured_at > 0 ? (long long)c->measured_at : (long long)time(NULL),
		(unsigned long long)c->array_bytes, (unsigned long long)c->usable_llc_bytes, c->threshold_ns);
	for (int n = 1; n <= c->ncounts; n++)
		fprintf(f, "bandwidth %d %.17g %.17g\n", n, c->copy_mbps[n - 1], c->triad_mbps[n - 1]);
	for (size_t i = 0; i < c->nsizes; i++) {
		uint64_t bits;

		memcpy(&bits, &c->ns[i], sizeof(bits));
		fprintf(f, "latency %llu %llu\n", (unsigned long long)c->bytes[i], (unsigned long long)bits);
	}
	if (fflush(f) != 0 || fsync(fileno(f)) < 0 || ferror(f)) {
		r = -errno;
		*ret_error = xasprintf("cannot write '%s': %s", tmp, strerror(-r));
	}
	if (fclose(f) != 0 && r == 0) {
		r = -errno;
		*ret_error = xasprintf("cannot write '%s': %s", tmp, strerror(-r));
	}
	if (r == 0 && rename(tmp, path) < 0) {
		r = -errno;
		*ret_error = xasprintf("cannot rename '%s' to '%s': %s", tmp, path, strerror(-r));
	}
	if (r < 0)
		unlink(tmp);
out:
	free(tmp);
	free(dir);
	free(path);
	return r;
}

void ceiling_print(const struct ceiling *c, FILE *out)
{
	if (c->from[0]) {
		char when[32] = "?";
		time_t t = (time_t)c->measured_at;
		struct tm tm;

		if (gmtime_r(&t, &tm))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
		fprintf(out, "this machine's ceiling, measured %s, reused from %s (scalprof probe measures it again)\n",
			when, c->from);
	}
	fprintf(out, "memory bandwidth ceiling (STREAM, arrays of %llu MiB, best of 3, MB/s = 10^6 B/s):\n"
		     "  workers      copy     triad\n",
		(unsigned long long)(c->array_bytes >> 20));
	for (int n = 1; n <= c->ncounts; n++)
		fprintf(out, "  %7d  %8.0f  %8.0f\n", n, c->copy_mbps[n - 1], c->triad_mbps[n - 1]);
	fprintf(out, "pointer-chase latency (one worker, best of 3):\n");
	for (size_t i = 0; i < c->nsizes; i++)
		fprintf(out, "  %8.2f MiB  %7.1f ns%s\n", (double)c->bytes[i] / 1048576, c->ns[i],
			c->bytes[i] == c->usable_llc_bytes ? "  <- usable last-level cache" : "");
	fprintf(out, "usable last-level cache: %.2f MiB (latency jumps past %.1f ns, the geometric middle of "
		     "cache and DRAM latency)\n",
		(double)c->usable_llc_bytes / 1048576, c->threshold_ns);
}
