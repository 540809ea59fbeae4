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
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/ceiling.h"
#include "model/plan.h"
#include "engine/runner.h"
#include "base/util.h"

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

void ceiling_print(const struct ceiling *c, FILE *out)
{
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
