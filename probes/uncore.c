/* uncore.c: the memory-bandwidth probe. For the whole of every run it
 * counts the memory controller's own read and write traffic, system-wide
 * (pid -1) on one CPU per socket, and stores bytes and seconds per socket
 * in the bandwidth table. Where the kernel exposes no memory-controller PMU
 * it stores an estimate from the workers' LLC-load-misses (x 64 B), and
 * where neither exists, a row saying why. Campaigns turn it off with
 * bandwidth: false. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/mcpmu.h"
#include "host/perf.h"
#include "probes/probe.h"
#include "model/result.h"
#include "store/store.h"
#include "base/util.h"

#define MAX_SOCKETS 64

struct uncore {
	int enabled;
	struct mc_set set;
	char *why_none;       /* why there is no memory-controller PMU */
	int *fds;             /* one per event, -1 when not open */
	enum counter_status *open_status;
	char **open_reason;
	struct counter_reading *rd;
	int64_t t_start, t_stop;
	struct timeline *tl;        /* where its system-wide samples go */
	char (*names)[192];         /* per event: "pmu/name socket S" */
};

static int uncore_create(const struct probe_env *env, void **ret_state)
{
	struct uncore *u = xcalloc(1, sizeof(*u));
	char *why = NULL;
	int r;

	u->enabled = env->bandwidth;
	u->tl = env->timeline;
	if (env->mc_read_count || env->mc_write_count)
		r = mcpmu_from_names(NULL, env->mc_read, env->mc_read_count, env->mc_write, env->mc_write_count,
				     &u->set, &why);
	else
		r = mcpmu_discover(NULL, &u->set, &why);
	if (r == -ENOENT)
		u->why_none = xstrdup("no memory-controller PMU exposed (virtual machine?)");
	else if (r < 0)
		u->why_none = xasprintf("memory-controller PMU unusable: %s", why ? why : "unknown");
	free(why);
	u->fds = xcalloc(u->set.nevents, sizeof(int));
	u->open_status = xcalloc(u->set.nevents, sizeof(*u->open_status));
	u->open_reason = xcalloc(u->set.nevents, sizeof(char *));
	u->rd = xcalloc(u->set.nevents, sizeof(*u->rd));
	u->names = xcalloc(u->set.nevents, sizeof(*u->names));
	for (size_t i = 0; i < u->set.nevents; i++) {
		u->fds[i] = -1;
		snprintf(u->names[i], sizeof(u->names[i]), "%s/%s socket %d", u->set.events[i].pmu,
			 u->set.events[i].name, u->set.events[i].socket);
	}
	*ret_state = u;
	return 0;
}

static void uncore_run_end(void *state)
{
	struct uncore *u = state;

	for (size_t i = 0; i < u->set.nevents; i++) {
		if (u->fds[i] >= 0)
			close(u->fds[i]);
		u->fds[i] = -1;
		free(u->open_reason[i]);
		u->open_reason[i] = NULL;
		u->open_status[i] = COUNTER_OK;
		memset(&u->rd[i], 0, sizeof(u->rd[i]));
	}
	u->t_start = u->t_stop = 0;
}

/* A tick: every open memory-controller counter's delta since the last. */
static void uncore_sample(void *state, int64_t t_ns)
{
	struct uncore *u = state;

	for (size_t i = 0; u->enabled && i < u->set.nevents; i++) {
		struct counter_reading now;

		if (u->fds[i] < 0 || perf_read(u->fds[i], &now) < 0)
			continue;
		(void)timeline_add(u->tl, -1, u->names[i], t_ns, now.value - u->rd[i].value,
				   now.time_enabled - u->rd[i].time_enabled, now.time_running - u->rd[i].time_running);
		u->rd[i] = now;
	}
}

static int uncore_run_begin(void *state, int nworkers)
{
	uncore_run_end(state);
	return 0;
}

static void uncore_attach(void *state, int w, pid_t pid)
{
}

static void uncore_collect(void *state, int w)
{
}

/* Opened enabled just before the barrier, so they count the whole run. */
static void uncore_start(void *state)
{
	struct uncore *u = state;

	if (!u->enabled)
		return;
	for (size_t i = 0; i < u->set.nevents; i++) {
		const struct mc_event *e = &u->set.events[i];
		struct perf_event_attr attr = {
			.type = e->type,
			.config = e->config,
			.config1 = e->config1,
			.config2 = e->config2,
			.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING,
		};
		const char *note;
		int fd = perf_open(&attr, -1, e->cpu, &note);

		if (fd < 0) {
			u->open_status[i] = perf_explain(fd, &attr, &u->open_reason[i]);
			if (u->open_status[i] == COUNTER_NO_PERMISSION) {
				free(u->open_reason[i]);
				u->open_reason[i] = xstrdup("system-wide counting needs root, CAP_PERFMON or "
							    "perf_event_paranoid <= 0");
			}
		}
		u->fds[i] = fd;
	}
	u->t_start = mono_ns();
}

static void uncore_stop(void *state)
{
	struct uncore *u = state;

	if (!u->enabled)
		return;
	u->t_stop = mono_ns();
	for (size_t i = 0; i < u->set.nevents; i++)
		if (u->fds[i] >= 0 && perf_read(u->fds[i], &u->rd[i]) < 0) {
			u->open_status[i] = COUNTER_ERROR;
			u->open_reason[i] = xstrdup("reading the counter failed");
		}
}

/* What one socket's memory-controller counters add up to. */
struct socket_sum {
	double rbytes, wbytes;
	int has_r, has_w;
	double worst;            /* the least time_running / time_enabled */
	const char *fail;        /* why nothing was counted; NULL when counted */
};

/* Sums socket s's counters into sum; on the first that failed, sets
 * sum->fail and row->status instead. */
static void sum_socket(const struct uncore *u, int s, struct socket_sum *sum, struct bandwidth_row *row)
{
	*sum = (struct socket_sum){ .worst = 1 };
	for (size_t i = 0; i < u->set.nevents; i++) {
		const struct mc_event *e = &u->set.events[i];
		double scaled;
		enum counter_status cs;

		if (e->socket != s)
			continue;
		if (u->fds[i] < 0 || u->open_reason[i]) {
			sum->fail = u->open_reason[i] ? u->open_reason[i] : "not opened";
			row->status = u->open_status[i] == COUNTER_NO_PERMISSION ? "no_permission"
				    : u->open_status[i] == COUNTER_UNSUPPORTED ? "unsupported" : "error";
			return;
		}
		cs = perf_scale(&u->rd[i], &scaled);
		if (cs == COUNTER_NOT_COUNTED) {
			sum->fail = "never scheduled on the PMU (time_running is 0)";
			row->status = "error";
			return;
		}
		if (cs == COUNTER_MULTIPLEXED) {
			double ratio = (double)u->rd[i].time_running / (double)u->rd[i].time_enabled;

			if (ratio < sum->worst)
				sum->worst = ratio;
		}
		if (e->is_write == 1) {
			sum->wbytes += scaled * e->bytes_per_count;
			sum->has_w = 1;
		} else {
			sum->rbytes += scaled * e->bytes_per_count;
			sum->has_r = 1;
		}
	}
}

/* A counted socket's row: bytes, seconds, and what to know about them
 * (multiplexing, AMD's reads and writes together) in reason. */
static void fill_counted(const struct uncore *u, const struct socket_sum *sum, struct bandwidth_row *row,
			 char *reason, size_t len)
{
	row->seconds = (double)(u->t_stop - u->t_start) / 1e9;
	if (sum->has_r)
		row->read_bytes = (int64_t)llround(sum->rbytes), row->has_read = 1;
	if (sum->has_w)
		row->write_bytes = (int64_t)llround(sum->wbytes), row->has_write = 1;
	if (sum->worst < 1) {
		row->status = "multiplexed";
		snprintf(reason, len, "multiplexed: counted %.0f%% of the time at worst, scaled by enabled/running",
			 sum->worst * 100);
	}
	if (strcmp(u->set.family, "amd_df") == 0) {
		size_t n = strlen(reason);

		snprintf(reason + n, len - n, "%sreads and writes counted together (in read_bytes)", n ? "; " : "");
	}
	row->reason = reason[0] ? reason : NULL;
}

/* Stores one row per socket from the memory-controller counters. */
static int store_sockets(struct uncore *u, struct store *st, int64_t run_id)
{
	for (int s = 0; s < u->set.nsockets && s < MAX_SOCKETS; s++) {
		struct bandwidth_row row = {
			.socket = s,
			.source = u->set.family,
			.pmu = u->set.pmus,
			.status = "ok",
		};
		struct socket_sum sum;
		char reason[256] = "";

		sum_socket(u, s, &sum, &row);
		if (sum.fail)
			row.reason = sum.fail; /* no bytes and no seconds: nothing was counted */
		else
			fill_counted(u, &sum, &row, reason, sizeof(reason));
		if (store_bandwidth(st, run_id, &row) < 0)
			return -EIO;
	}
	return 0;
}

static int uncore_store(void *state, struct store *st, const struct run_result *run, int64_t run_id,
			const int64_t *worker_ids)
{
	struct uncore *u = state;
	struct bandwidth_row row = { .socket = -1, .source = "llc_estimate" };
	double misses = 0;
	char *why_llc = NULL, reason[512];
	int r;

	if (!u->enabled)
		return 0;
	if (u->set.nevents) {
		return store_sockets(u, st, run_id);
	}
	/* no memory-controller counters: estimate from the workers' misses */
	r = store_llc_misses(st, run_id, "LLC-load-misses", &misses, &why_llc);
	if (r < 0)
		return r;
	if (r == 0 && run->wall_ns > 0) {
		row.status = "estimate";
		row.read_bytes = (int64_t)llround(misses * 64);
		row.has_read = 1;
		row.seconds = (double)run->wall_ns / 1e9;
		snprintf(reason, sizeof(reason), "LLC-load-misses x 64 B, an estimate: %s; writes not counted",
			 u->why_none);
		row.reason = reason;
	} else {
		row.source = "none";
		row.status = "unsupported";
		snprintf(reason, sizeof(reason), "%s; LLC-load-misses not counted (%s)", u->why_none,
			 why_llc ? why_llc : "no reason stored");
		row.reason = reason;
	}
	r = store_bandwidth(st, run_id, &row);
	free(why_llc);
	return r;
}

static void uncore_destroy(void *state)
{
	struct uncore *u = state;

	uncore_run_end(u);
	free(u->fds);
	free(u->open_status);
	free(u->open_reason);
	free(u->rd);
	free(u->names);
	free(u->why_none);
	mc_set_clear(&u->set);
	free(u);
}

const struct probe_class uncore_probe = {
	.name = "uncore",
	.create = uncore_create,
	.run_begin = uncore_run_begin,
	.attach = uncore_attach,
	.start = uncore_start,
	.collect = uncore_collect,
	.stop = uncore_stop,
	.sample = uncore_sample,
	.store = uncore_store,
	.run_end = uncore_run_end,
	.destroy = uncore_destroy,
};
