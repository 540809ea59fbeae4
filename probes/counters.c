/* counters.c: the per-worker perf event probe. Each campaign event is opened
 * on each worker's pid before it execs (enable_on_exec, inherit: the
 * workload's own threads and children, none of the launcher), in two
 * groups per worker -- the software events, which always fit, and the
 * hardware events, which the PMU schedules together -- so that one read()
 * per group gives every value at a sampling tick (PERF_FORMAT_GROUP). At
 * each tick the deltas since the last are kept as a timeline; when the
 * worker has exited the final reading closes the timeline and becomes its
 * total. The samples go to the set's timeline (probe.h) as they are taken,
 * which stages them in the store: nothing of the timeline stays here. The
 * total is stored raw with time_enabled, time_running, the scaled value and a
 * status. An event that cannot be opened is stored with its reason; nothing
 * is ever invented.
 *
 * Sections: 1. state; 2. opening the groups; 3. reading them (ticks and
 * the end); 4. storing; 5. the probe class. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "host/perf.h"
#include "probes/probe.h"
#include "store/store.h"
#include "base/util.h"

/* ---- 1. state ----------------------------------------------------------- */

enum { GROUP_SW, GROUP_HW, NGROUPS };

struct counter_slot {
	int fd;                      /* -1 when closed or never opened */
	int group;                   /* GROUP_SW or GROUP_HW */
	int pos;                     /* its place in the group's read */
	uint64_t id;                 /* PERF_EVENT_IOC_ID, to find it in a group read */
	int attached, read_ok;
	enum counter_status status;  /* set when the open failed */
	char *reason;
	const char *note;            /* static: e.g. user space only */
	struct counter_reading rd;   /* the latest reading (the total at the end) */
};

struct worker_groups {
	int leader[NGROUPS];         /* fd of each group's leader, -1 if none */
	int members[NGROUPS];        /* events opened in each group so far */
	int done;                    /* collected: no more ticks */
};

struct counters {
	const struct event_spec *events;
	size_t nevents;
	int nworkers, cap;
	struct counter_slot *slots;  /* [worker * nevents + event] */
	struct worker_groups *groups; /* [worker] */
	struct timeline *tl;         /* where the samples go */
};

static struct counter_slot *slot(struct counters *c, int w, size_t e)
{
	return &c->slots[(size_t)w * c->nevents + e];
}

static int counters_create(const struct probe_env *env, void **ret_state)
{
	struct counters *c = xcalloc(1, sizeof(*c));

	c->events = env->events;
	c->nevents = env->nevents;
	c->tl = env->timeline;
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
		free(c->groups);
		c->slots = xcalloc(n, sizeof(*c->slots));
		c->groups = xcalloc((size_t)nworkers, sizeof(*c->groups));
		c->cap = nworkers;
	}
	for (size_t i = 0; i < n; i++) {
		memset(&c->slots[i], 0, sizeof(c->slots[i]));
		c->slots[i].fd = -1;
	}
	for (int w = 0; w < nworkers; w++)
		c->groups[w] = (struct worker_groups){ .leader = { -1, -1 } };
	c->nworkers = nworkers;
	return 0;
}

/* ---- 2. opening the groups ---------------------------------------------- */

static void counters_attach(void *state, int w, pid_t pid)
{
	struct counters *c = state;
	struct worker_groups *g = &c->groups[w];

	for (size_t e = 0; e < c->nevents; e++) {
		struct counter_slot *s = slot(c, w, e);
		struct perf_event_attr attr = c->events[e].attr;
		int group = attr.type == PERF_TYPE_SOFTWARE ? GROUP_SW : GROUP_HW;
		int leader = g->leader[group], fd;

		attr.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_ID | PERF_FORMAT_TOTAL_TIME_ENABLED |
				   PERF_FORMAT_TOTAL_TIME_RUNNING;
		attr.inherit = 1;
		/* the leader starts at exec; members follow their leader */
		attr.disabled = leader < 0;
		attr.enable_on_exec = leader < 0;
		s->attached = 1;
		s->group = group;
		fd = perf_open_group(&attr, pid, -1, leader, &s->note);
		if (fd == -EINVAL && leader >= 0 && group == GROUP_HW) {
			/* the PMU checks that a group can ever be scheduled */
			s->status = COUNTER_UNSUPPORTED;
			s->reason = xstrdup("does not fit in one group with the earlier hardware events: this PMU "
					    "has too few counters for all of them; list fewer hardware events");
			continue;
		}
		if (fd < 0) {
			s->status = perf_explain(fd, &attr, &s->reason);
			continue;
		}
		if (ioctl(fd, PERF_EVENT_IOC_ID, &s->id) < 0) {
			s->status = COUNTER_ERROR;
			s->reason = xstrdup("cannot identify the counter in its group (PERF_EVENT_IOC_ID)");
			close(fd);
			continue;
		}
		s->fd = fd;
		s->pos = g->members[group]++; /* a group reads back in the order it was built */
		if (leader < 0)
			g->leader[group] = fd;
	}
}

/* ---- 3. reading --------------------------------------------------------- */

static void add_sample(struct counters *c, int w, size_t e, int64_t t_ns, const struct counter_reading *prev,
		       const struct counter_reading *now)
{
	(void)timeline_add(c->tl, w, c->events[e].name, t_ns, now->value - prev->value,
			   now->time_enabled - prev->time_enabled, now->time_running - prev->time_running);
}

/* One read of a group leader. A read just after the task's exit has
 * failed with ECHILD (seen once, in t0400 under make check SANITIZE=1 on
 * kernel 6.18, while the exit tore the event down): it is tried again for
 * up to 10 ms before the counter is given up as an error. */
static ssize_t read_group(int fd, uint64_t *buf, size_t len)
{
	ssize_t n;

	for (int tries = 0;; tries++) {
		do
			n = read(fd, buf, len);
		while (n < 0 && errno == EINTR);
		if (n >= 0 || errno != ECHILD || tries == 10)
			return n;
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
}

/* Reads worker w's groups; with t_ns >= 0 also records the deltas since
 * the last reading as samples at t_ns. */
static void read_groups(struct counters *c, int w, int64_t t_ns)
{
	struct worker_groups *g = &c->groups[w];

	for (int grp = 0; grp < NGROUPS; grp++) {
		uint64_t buf[3 + 2 * 64];
		ssize_t n;

		if (g->leader[grp] < 0)
			continue;
		n = read_group(g->leader[grp], buf, sizeof(buf));
		if (n < (ssize_t)(3 * sizeof(uint64_t)) || (size_t)n < (3 + 2 * buf[0]) * sizeof(uint64_t)) {
			for (size_t e = 0; e < c->nevents; e++) {
				struct counter_slot *s = slot(c, w, e);

				if (s->fd >= 0 && s->group == grp && !s->reason) {
					s->status = COUNTER_ERROR;
					s->reason = xasprintf("reading the counter group failed: %s",
							      n < 0 ? strerror(errno) : "short read");
				}
			}
			continue;
		}
		/* { nr, time_enabled, time_running, { value, id } x nr }: each
		 * event at its place, its id checked */
		for (size_t e = 0; e < c->nevents; e++) {
			struct counter_slot *s = slot(c, w, e);
			struct counter_reading now;

			if (s->fd < 0 || s->group != grp || (uint64_t)s->pos >= buf[0] || buf[4 + 2 * s->pos] != s->id)
				continue;
			now = (struct counter_reading){ buf[3 + 2 * s->pos], buf[1], buf[2] };
			if (t_ns >= 0)
				add_sample(c, w, e, t_ns, &s->rd, &now);
			s->rd = now;
			s->read_ok = 1;
		}
	}
}

static void counters_sample(void *state, int64_t t_ns)
{
	struct counters *c = state;

	/* a stopped timeline keeps nothing: the totals come from the end */
	if (timeline_stopped(c->tl))
		return;
	for (int w = 0; w < c->nworkers; w++)
		if (!c->groups[w].done)
			read_groups(c, w, t_ns);
}

static void counters_collect_at(void *state, int w, int64_t t_ns)
{
	struct counters *c = state;

	/* the final reading closes the timeline: the samples sum to it */
	read_groups(c, w, t_ns);
	c->groups[w].done = 1;
	for (size_t e = 0; e < c->nevents; e++) {
		struct counter_slot *s = slot(c, w, e);

		if (s->fd >= 0)
			close(s->fd);
		s->fd = -1;
	}
}

/* ---- 4. storing --------------------------------------------------------- */

/* The row of worker w's event e: its reading, or why there is none. */
static void counter_row_of(struct counters *c, int w, size_t e, struct counter_row *row)
{
	struct counter_slot *s = slot(c, w, e);

	*row = (struct counter_row){
		.event = c->events[e].name,
		.encoding = c->events[e].encoding,
		.status = s->status,
		.reason = s->reason,
	};
	if (s->read_ok && !s->reason) {
		row->has_times = 1;
		row->time_enabled = s->rd.time_enabled;
		row->time_running = s->rd.time_running;
		row->status = perf_scale(&s->rd, &row->scaled);
		if (row->status != COUNTER_NOT_COUNTED) {
			row->has_value = 1;
			row->value = s->rd.value;
			row->reason = s->note;
		} else {
			row->reason = s->rd.time_enabled == 0
				? "never enabled: the worker did not exec"
				: "never scheduled on the PMU (time_running is 0): too many hardware "
				  "events in one group for its counters?";
		}
	} else if (!s->reason) {
		row->status = s->fd >= 0 || s->read_ok ? COUNTER_ERROR : COUNTER_NOT_COUNTED;
		row->reason = "never enabled: the worker did not exec";
	}
}

static int counters_store(void *state, struct store *st, const struct run_result *run, int64_t run_id,
			  const int64_t *worker_ids)
{
	struct counters *c = state;

	for (int w = 0; w < c->nworkers; w++)
		for (size_t e = 0; e < c->nevents; e++) {
			struct counter_row row;
			int r;

			if (!slot(c, w, e)->attached)
				continue;
			counter_row_of(c, w, e, &row);
			r = store_counter(st, run_id, worker_ids[w], &row);
			if (r < 0)
				return r;
		}
	return 0;
}

/* ---- 5. the probe class ------------------------------------------------- */

static void counters_collect(void *state, int w)
{
	counters_collect_at(state, w, -1);
}

static void counters_destroy(void *state)
{
	struct counters *c = state;

	counters_run_end(c);
	free(c->slots);
	free(c->groups);
	free(c);
}

const struct probe_class counters_probe = {
	.name = "counters",
	.create = counters_create,
	.run_begin = counters_run_begin,
	.attach = counters_attach,
	.collect = counters_collect,
	.collect_at = counters_collect_at,
	.sample = counters_sample,
	.store = counters_store,
	.run_end = counters_run_end,
	.destroy = counters_destroy,
};
