/* counters.c: the per-worker perf event probe. Each campaign event is opened
 * on each worker's pid before it execs (enable_on_exec, inherit: the
 * workload's own threads and children, none of the launcher), read once the
 * worker has exited, and stored raw with time_enabled, time_running, the
 * scaled value and a status. An event that cannot be opened is stored with
 * its reason; nothing is ever invented. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perf.h"
#include "probe.h"
#include "store.h"
#include "util.h"

struct counter_slot {
	int fd;                      /* -1 when closed or never opened */
	int attached, read_ok;
	enum counter_status status;  /* set when the open failed */
	char *reason;
	const char *note;            /* static: e.g. user space only */
	struct counter_reading rd;
};

struct counters {
	const struct event_spec *events;
	size_t nevents;
	int nworkers, cap;
	struct counter_slot *slots; /* [worker * nevents + event] */
};

static int counters_create(const struct probe_env *env, void **ret_state)
{
	struct counters *c = xcalloc(1, sizeof(*c));

	c->events = env->events;
	c->nevents = env->nevents;
	*ret_state = c;
	return 0;
}

static void counters_run_end(void *state)
{
	struct counters *c = state;

	for (int i = 0; i < c->nworkers * (int)c->nevents; i++) {
		struct counter_slot *s = &c->slots[i];

		if (s->fd >= 0)
			close(s->fd);
		free(s->reason);
		memset(s, 0, sizeof(*s));
		s->fd = -1;
	}
	c->nworkers = 0;
}

static int counters_run_begin(void *state, int nworkers)
{
	struct counters *c = state;
	size_t n = (size_t)nworkers * c->nevents;

	counters_run_end(c);
	if (nworkers > c->cap) {
		free(c->slots);
		c->slots = xcalloc(n, sizeof(*c->slots));
		c->cap = nworkers;
	}
	for (size_t i = 0; i < n; i++) {
		memset(&c->slots[i], 0, sizeof(c->slots[i]));
		c->slots[i].fd = -1;
	}
	c->nworkers = nworkers;
	return 0;
}

static void counters_attach(void *state, int w, pid_t pid)
{
	struct counters *c = state;

	for (size_t e = 0; e < c->nevents; e++) {
		struct counter_slot *s = &c->slots[(size_t)w * c->nevents + e];
		struct perf_event_attr attr = c->events[e].attr;
		int fd;

		attr.disabled = 1;
		attr.enable_on_exec = 1;
		attr.inherit = 1;
		attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
		s->attached = 1;
		fd = perf_open(&attr, pid, -1, &s->note);
		if (fd < 0) {
			s->status = perf_explain(fd, &attr, &s->reason);
			continue;
		}
		s->fd = fd;
	}
}

static void counters_collect(void *state, int w)
{
	struct counters *c = state;

	for (size_t e = 0; e < c->nevents; e++) {
		struct counter_slot *s = &c->slots[(size_t)w * c->nevents + e];
		int r;

		if (s->fd < 0)
			continue;
		r = perf_read(s->fd, &s->rd);
		if (r < 0) {
			s->status = COUNTER_ERROR;
			s->reason = xasprintf("reading the counter failed: %s", strerror(-r));
		} else {
			s->read_ok = 1;
		}
		close(s->fd);
		s->fd = -1;
	}
}

static int counters_store(void *state, struct store *st, const struct run_result *run, int64_t run_id,
			  const int64_t *worker_ids)
{
	struct counters *c = state;

	for (int w = 0; w < c->nworkers; w++) {
		for (size_t e = 0; e < c->nevents; e++) {
			struct counter_slot *s = &c->slots[(size_t)w * c->nevents + e];
			struct counter_row row = {
				.event = c->events[e].name,
				.encoding = c->events[e].encoding,
				.status = s->status,
				.reason = s->reason,
			};
			int r;

			if (!s->attached)
				continue;
			if (s->read_ok) {
				row.has_times = 1;
				row.time_enabled = s->rd.time_enabled;
				row.time_running = s->rd.time_running;
				row.status = perf_scale(&s->rd, &row.scaled);
				if (row.status != COUNTER_NOT_COUNTED) {
					row.has_value = 1;
					row.value = s->rd.value;
					row.reason = s->note;
				} else {
					row.reason = s->rd.time_enabled == 0
						? "never enabled: the worker did not exec"
						: "never scheduled on the PMU (time_running is 0)";
				}
			} else if (!s->reason) {
				row.status = COUNTER_ERROR;
				row.reason = "no reading: the worker was not collected";
			}
			r = store_counter(st, run_id, worker_ids[w], &row);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static void counters_destroy(void *state)
{
	struct counters *c = state;

	counters_run_end(c);
	free(c->slots);
	free(c);
}

const struct probe_class counters_probe = {
	.name = "counters",
	.create = counters_create,
	.run_begin = counters_run_begin,
	.attach = counters_attach,
	.collect = counters_collect,
	.store = counters_store,
	.run_end = counters_run_end,
	.destroy = counters_destroy,
};
