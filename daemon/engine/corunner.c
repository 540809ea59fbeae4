/* corunner.c: co-runners of interference runs (see corunner.h). Each is a
 * child like a worker (spawn.c: pinned, its own process group, released at
 * once) whose stdout and stderr go to one captured pipe; it prints "ready"
 * once set up and key=value lines (rate, unit, ns_per_access) when it ends. */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "engine/capture.h"
#include "engine/corunner.h"

static const char *const hog_kernel[CORUN_KINDS] = { NULL, "hog_bandwidth", "hog_cache", "hog_cpu" };

/* One co-runner. */
struct hog {
	pid_t pid;
	int out_fd;
	struct tail out;
};

struct corunners {
	struct hog *hogs;
	size_t n;
};

static uint64_t cache_share(const struct corunner_opts *o, size_t nhogs)
{
	uint64_t total = o->cache_bytes ? o->cache_bytes : 2u << 20;
	size_t n = nhogs ? nhogs : 1;

	return total / n < 65536 ? 65536 : (total / n) & ~(uint64_t)63;
}

uint64_t corunner_cache_bytes(const struct corunner_opts *o, int n_workers)
{
	return cache_share(o, (size_t)(topology_cores(o->topo) - n_workers));
}

/* The base environment without SCALPROF_*: a co-runner is not scaled. */
static char **hog_env(char *const *environ)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "SCALPROF_", 9) != 0)
			env[k++] = environ[i];
	return env;
}

/* Forks co-runner h from argv on cpu, released at once; its start is not
 * measured, so its status pipe is closed unread. */
static int hog_spawn(const struct corunner_opts *o, char **argv, int cpu, struct hog *h)
{
	static const int hog_nonblock[3] = { 0, 1, 0 };
	int pipes[3][2], *go = pipes[0], *out = pipes[1], *st = pipes[2], r;
	cpu_set_t set;
	struct spawn_req req;
	char **env;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if ((r = spawn_pipes(pipes, hog_nonblock, 3)) < 0)
		return r;
	env = hog_env(o->env);
	req = (struct spawn_req){
		.argv = argv, .envp = env, .cpus = &set, .go_read = go[0], .go_write = go[1],
		.out_fd = out[1], .err_fd = out[1], .status_fd = st[1], .devnull = o->devnull,
		.creds = o->creds,
	};
	h->pid = spawn_worker(&req);
	free(env);
	close(go[1]); /* released at once */
	close(go[0]);
	close(out[1]);
	close(st[0]);
	close(st[1]);
	if (h->pid < 0) {
		close(out[0]);
		return (int)h->pid;
	}
	h->out_fd = out[0];
	return 0;
}

/* Starts co-runner kind on cpu, running for seconds (0: until SIGTERM),
 * with cache_bytes when it is the cache co-runner, at level (below 1) when
 * it is the bandwidth co-runner. */
static int hog_start(const struct corunner_opts *o, enum corunner kind, double level, int cpu, double seconds,
		     uint64_t cache_bytes, struct hog *h)
{
	char size_arg[64], sec_arg[64];
	char *argv[] = { (char *)o->kernels, (char *)hog_kernel[kind], sec_arg, NULL, NULL };

	memset(h, 0, sizeof(*h));
	h->pid = -1;
	h->out_fd = -1;
	snprintf(sec_arg, sizeof(sec_arg), "seconds=%g", seconds);
	if (kind == CORUN_CACHE) {
		snprintf(size_arg, sizeof(size_arg), "size=%llu", (unsigned long long)cache_bytes);
		argv[3] = size_arg;
	} else if (kind == CORUN_BANDWIDTH && level < 1) {
		snprintf(size_arg, sizeof(size_arg), "level=%.17g", level);
		argv[3] = size_arg;
	}
	return hog_spawn(o, argv, cpu, h);
}

/* Starts one co-runner of kind on each free core (those after the first
 * n_workers in placement order); for alone, they run 0.5 s by themselves
 * and report. *ret holds those started even on failure. */
static int hogs_start(const struct corunner_opts *o, enum corunner kind, double level, int n_workers, int alone,
		      struct corunners **ret)
{
	int ncores = topology_cores(o->topo), *order = xcalloc((size_t)ncores, sizeof(int)), r;
	struct corunners *h = xcalloc(1, sizeof(*h));
	size_t nh = (size_t)(ncores - n_workers);
	uint64_t cache_bytes = cache_share(o, nh);

	h->hogs = xcalloc(nh, sizeof(*h->hogs));
	*ret = h;
	r = topology_place(o->topo, o->placement, ncores, 0, order);
	for (size_t i = 0; i < nh && r == 0; i++) {
		int cpu = topology_core(o->topo, order[(size_t)n_workers + i])->cpus[0];

		r = hog_start(o, kind, level, cpu, alone ? 0.5 : 0, cache_bytes, &h->hogs[i]);
		h->n = i + 1;
	}
	free(order);
	return r;
}

/* Waits until every co-runner has printed "ready" (its arrays filled, its
 * chains built). Returns 0, or -ETIMEDOUT after 60 s. */
static int hogs_wait_ready(struct corunners *h)
{
	int64_t deadline = mono_ns() + 60000000000LL;

	for (size_t i = 0; i < h->n; i++) {
		struct hog *g = &h->hogs[i];

		while (!capture_has_line(&g->out, "ready")) {
			struct pollfd p = { .fd = g->out_fd, .events = POLLIN };

			if (g->out_fd < 0 || mono_ns() > deadline)
				return -ETIMEDOUT;
			if (poll(&p, 1, 100) > 0 && capture_drain(g->out_fd, &g->out))
				spawn_close(&g->out_fd);
		}
	}
	return 0;
}

/* Collects the co-runners' reports until their output ends, for 5 s at
 * most. */
static void hogs_drain(struct corunners *h)
{
	int64_t deadline = mono_ns() + 5000000000LL;
	size_t open = 0;

	for (size_t i = 0; i < h->n; i++)
		open += h->hogs[i].out_fd >= 0;
	while (open > 0 && mono_ns() < deadline) {
		struct pollfd p[64];
		size_t k = 0;

		for (size_t i = 0; i < h->n && k < ARRAY_SIZE(p); i++)
			if (h->hogs[i].out_fd >= 0)
				p[k++] = (struct pollfd){ .fd = h->hogs[i].out_fd, .events = POLLIN };
		if (poll(p, k, 100) < 0 && errno != EINTR)
			break;
		for (size_t i = 0; i < h->n; i++)
			if (h->hogs[i].out_fd >= 0 && capture_drain(h->hogs[i].out_fd, &h->hogs[i].out)) {
				spawn_close(&h->hogs[i].out_fd);
				open--;
			}
	}
}

/* Stops the co-runners (SIGTERM unless they end by themselves), collects
 * their reports and reaps them; a co-runner that does not end within 5 s
 * is killed. */
static void hogs_finish(struct corunners *h, int terminate)
{
	for (size_t i = 0; terminate && i < h->n; i++)
		if (h->hogs[i].pid > 0)
			kill(h->hogs[i].pid, SIGTERM);
	hogs_drain(h);
	for (size_t i = 0; i < h->n; i++) {
		struct hog *g = &h->hogs[i];

		spawn_close(&g->out_fd);
		if (g->pid > 0) {
			if (waitpid(g->pid, NULL, WNOHANG) == 0) {
				kill(g->pid, SIGKILL);
				waitpid(g->pid, NULL, 0);
			}
			g->pid = -1;
		}
	}
}

/* Sums the co-runners' rates; the cache co-runner's ns per access averaged. */
static void hogs_rates(const struct corunners *h, double *ret_rate, double *ret_ns, char *unit, size_t ulen)
{
	double rate = 0, ns = 0;
	int nns = 0;

	for (size_t i = 0; i < h->n; i++) {
		const struct tail *out = &h->hogs[i].out;
		double v = capture_field(out, "rate", NULL, 0), x = capture_field(out, "ns_per_access", NULL, 0);

		rate += v;
		if (!isnan(x)) {
			ns += x;
			nns++;
		}
		if (unit && i == 0)
			capture_field(out, "unit", unit, ulen);
	}
	*ret_rate = h->n ? rate : NAN;
	*ret_ns = nns ? ns / nns : NAN;
}

static void hogs_free(struct corunners *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++)
		free(h->hogs[i].out.buf);
	free(h->hogs);
	free(h);
}

/* The co-runners' rate alone is measured just before each co-run (0.5 s):
 * on a shared host the rate moves by tens of percent from minute to
 * minute, so a rate measured once would misjudge every later co-run. */
int corunners_alone(const struct corunner_opts *o, enum corunner kind, double level, int n_workers,
		    double *ret_rate, double *ret_ns)
{
	struct corunners *h = NULL;
	int r = hogs_start(o, kind, level, n_workers, 1, &h);

	hogs_finish(h, r < 0);
	if (r == 0) {
		hogs_rates(h, ret_rate, ret_ns, NULL, 0);
		if (kind != CORUN_CACHE)
			*ret_ns = NAN;
	}
	hogs_free(h);
	return r;
}

int corunners_start(const struct corunner_opts *o, enum corunner kind, double level, int n_workers,
		    struct corunners **ret)
{
	struct corunners *h = NULL;
	struct timespec warm = { 0, 50000000 };
	int r = hogs_start(o, kind, level, n_workers, 0, &h);

	if (r == 0)
		r = hogs_wait_ready(h);
	if (r < 0) {
		hogs_finish(h, 1);
		hogs_free(h);
		return r;
	}
	nanosleep(&warm, NULL); /* into their steady state */
	*ret = h;
	return 0;
}

void corunners_stop(struct corunners *h, struct corun_result *res)
{
	if (!h)
		return;
	hogs_finish(h, 1);
	hogs_rates(h, &res->rate_beside, &res->cache_ns_beside, res->unit, sizeof(res->unit));
	hogs_free(h);
}
