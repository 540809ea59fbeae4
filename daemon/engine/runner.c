/* runner.c: performs a campaign's runs (see runner.h).
 *
 * Sections:
 *   1. worker output tails
 *   2. one run: set-up (pipes, fork, pin, probes), release, the event loop
 *      (pidfds, status and output pipes, timeout timerfd, signalfd), reaping
 *   3. killing what is left of a run's process trees
 *   4. co-runners of interference runs (and the pipes every child gets)
 *   5. the campaign loop: plan order, progress, one transaction per run
 *
 * Every worker gets its own process group; scalprof is a child subreaper, so
 * descendants that outlive their worker come back to it and are killed. */
#include <dirent.h>
#include <math.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "workloads/builtins.h"
#include "probes/probe.h"
#include "engine/runner.h"
#include "engine/spawn.h"
#include "base/util.h"

extern char **environ;

/* ---- 1. output tails -------------------------------------------------- */

static void tail_add(struct tail *t, const char *buf, size_t n)
{
	size_t end, first;

	if (!t->buf)
		t->buf = xcalloc(1, TAIL_BYTES);
	t->total += n;
	if (n > TAIL_BYTES) { /* only the last TAIL_BYTES can survive */
		buf += n - TAIL_BYTES;
		n = TAIL_BYTES;
	}
	/* append at the end of the ring in at most two copies, then drop
	 * from the front whatever no longer fits */
	end = (t->start + t->len) % TAIL_BYTES;
	first = n < TAIL_BYTES - end ? n : TAIL_BYTES - end;
	memcpy(t->buf + end, buf, first);
	memcpy(t->buf, buf + first, n - first);
	t->len += n;
	if (t->len > TAIL_BYTES) {
		t->start = (t->start + t->len - TAIL_BYTES) % TAIL_BYTES;
		t->len = TAIL_BYTES;
	}
}

/* Reads what is available on fd into t; returns 1 at EOF, 0 otherwise. */
static int tail_drain(int fd, struct tail *t)
{
	char buf[16384];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n > 0) {
			tail_add(t, buf, (size_t)n);
			continue;
		}
		if (n == 0)
			return 1;
		if (errno == EINTR)
			continue;
		return errno == EAGAIN ? 0 : 1;
	}
}

/* ---- 2. one run --------------------------------------------------------- */

struct wstate {
	pid_t pid;
	int pidfd, status_fd, out_fd, err_fd; /* parent's ends, -1 when closed */
	int reaped;
};

/* A co-runner: scalprof-kernels hog_* pinned to a free physical core. */
struct hog {
	pid_t pid;
	int out_fd;
	struct tail out;
};

struct run_ctx {
	const struct runner_opts *o;
	struct probe_set *probes;
	struct run_result *res;
	struct wstate *ws;
	size_t nw;
	int go_read, go_write, timer_fd, sample_fd, devnull;
	int64_t release_ns;      /* when the barrier released the workers */
	int timed_out, interrupted;
	runner_progress_fn tick;
	void *tick_arg;
	struct runner_progress *tick_state;
	int64_t campaign_start;
	struct hog *hogs;        /* co-runners of an interference run */
	size_t nhogs, nhogs_planned;
};

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

static void cpus_text(const cpu_set_t *set, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int cpu = 0; cpu < CPU_SETSIZE && used + 8 < len; cpu++)
		if (CPU_ISSET(cpu, set))
			used += (size_t)snprintf(buf + used, len - used, "%s%d", used ? "," : "", cpu);
}

/* The environment a worker starts from: the daemon's clean one for the
 * submitter, or scalprof's own. */
static char *const *base_env(const struct run_ctx *rc)
{
	return rc->o->base_env ? rc->o->base_env : environ;
}

/* The environment of a worker: the base, the workload's env, and SCALPROF_*. */
static char **worker_env(char *const *environ, const struct workload *w, int n, int slot, double scale)
{
	size_t k = 0, count = 0;
	char **env;

	while (environ[count])
		count++;
	env = xcalloc(count + w->env_count + 4, sizeof(char *));
	for (size_t i = 0; i < count; i++) {
		int overridden = strncmp(environ[i], "SCALPROF_WORKERS=", 17) == 0 ||
				 strncmp(environ[i], "SCALPROF_SLOT=", 14) == 0 ||
				 strncmp(environ[i], "SCALPROF_SCALE=", 15) == 0;

		for (size_t j = 0; j < w->env_count && !overridden; j++) {
			size_t klen = (size_t)(strchr(w->env[j], '=') - w->env[j]) + 1;

			overridden = strncmp(environ[i], w->env[j], klen) == 0;
		}
		if (!overridden)
			env[k++] = xstrdup(environ[i]);
	}
	for (size_t j = 0; j < w->env_count; j++)
		env[k++] = xstrdup(w->env[j]);
	env[k++] = xasprintf("SCALPROF_WORKERS=%d", n);
	env[k++] = xasprintf("SCALPROF_SLOT=%d", slot);
	env[k++] = xasprintf("SCALPROF_SCALE=%.17g", scale);
	return env;
}

static void free_env(char **env)
{
	for (char **e = env; e && *e; e++)
		free(*e);
	free(env);
}

static void kill_worker_groups(struct run_ctx *rc)
{
	for (size_t i = 0; i < rc->nw; i++)
		if (rc->ws[i].pid > 0 && !rc->ws[i].reaped) {
			kill(-rc->ws[i].pid, SIGKILL);
			kill(rc->ws[i].pid, SIGKILL);
		}
}

static void read_status(struct run_ctx *rc, size_t i)
{
	struct worker_result *w = &rc->res->workers[i];
	struct spawn_msg m;
	ssize_t n;

	do
		n = read(rc->ws[i].status_fd, &m, sizeof(m));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(m)) {
		close_fd(&rc->ws[i].status_fd); /* EOF: exec succeeded (or the child died) */
		return;
	}
	if (m.stage == SPAWN_STARTED) {
		w->start_ns = m.mono_ns;
		return;
	}
	w->exec_errno = m.err;
	w->status = WORKER_EXEC_FAILED;
	free(w->error);
	if (m.stage == SPAWN_FAIL_CREDS) {
		w->error = xasprintf("cannot run as uid %d, gid %d: %s", (int)w->uid, (int)w->gid, strerror(m.err));
		return;
	}
	w->error = xasprintf("%s '%s': %s",
			     m.stage == SPAWN_FAIL_EXEC ? "cannot execute"
			     : m.stage == SPAWN_FAIL_CHDIR ? "cannot change to directory"
			     : m.stage == SPAWN_FAIL_AFFINITY ? "cannot pin to CPUs"
							      : "cannot set up the standard streams of",
			     m.stage == SPAWN_FAIL_CHDIR ? rc->res->workload->cwd
			     : m.stage == SPAWN_FAIL_AFFINITY ? w->cpus
							      : rc->res->workload->command[0],
			     strerror(m.err));
}

/* /proc/PID/schedstat's second field: time spent waiting on a run queue. */
static int64_t read_run_delay(pid_t pid)
{
	char path[64], *text;
	unsigned long long run, wait;
	int64_t v = -1;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	if (read_text_file(path, &text) < 0)
		return -1;
	if (sscanf(text, "%llu %llu", &run, &wait) == 2)
		v = (int64_t)wait;
	free(text);
	return v;
}

static int64_t tv_ns(const struct timeval *tv)
{
	return (int64_t)tv->tv_sec * 1000000000 + (int64_t)tv->tv_usec * 1000;
}

/* The worker's process has exited: final readings, then reap it. */
static void reap(struct run_ctx *rc, size_t i)
{
	struct wstate *s = &rc->ws[i];
	struct worker_result *w = &rc->res->workers[i];
	siginfo_t info;
	struct rusage ru;
	int status;
	pid_t r;

	memset(&info, 0, sizeof(info));
	/* WNOWAIT: the zombie's /proc entry and counters stay readable */
	if (waitid(P_PID, (id_t)s->pid, &info, WEXITED | WNOWAIT | WNOHANG) < 0 || info.si_pid == 0)
		return;
	w->end_ns = mono_ns();
	w->run_delay_ns = read_run_delay(s->pid);
	/* with a timeline, the final reading is its last point */
	probe_set_collect(rc->probes, (int)i, rc->o->campaign->interval_ms > 0 ? w->end_ns - rc->release_ns : -1);
	do
		r = wait4(s->pid, &status, 0, &ru);
	while (r < 0 && errno == EINTR);
	s->reaped = 1;
	close_fd(&s->pidfd);
	if (r < 0)
		return;
	w->have_rusage = 1;
	w->utime_ns = tv_ns(&ru.ru_utime);
	w->stime_ns = tv_ns(&ru.ru_stime);
	w->maxrss_kb = ru.ru_maxrss;
	w->minflt = ru.ru_minflt;
	w->majflt = ru.ru_majflt;
	w->nvcsw = ru.ru_nvcsw;
	w->nivcsw = ru.ru_nivcsw;
	if (w->status == WORKER_EXEC_FAILED) {
		w->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		return;
	}
	if (WIFEXITED(status)) {
		w->exit_code = WEXITSTATUS(status);
		if (w->exit_code != 0) {
			w->status = WORKER_EXIT_NONZERO;
			w->error = xasprintf("exited with code %d", w->exit_code);
		}
	} else if (WIFSIGNALED(status)) {
		w->signal = WTERMSIG(status);
		if (rc->timed_out) {
			w->status = WORKER_TIMEOUT;
			w->error = xasprintf("killed at the timeout of %g s", rc->o->campaign->timeout_s);
		} else if (rc->interrupted) {
			w->status = WORKER_KILLED;
			w->error = xstrdup("killed: the campaign was interrupted");
		} else {
			w->status = WORKER_SIGNALED;
			w->error = xasprintf("killed by signal %d (%s)", w->signal, strsignal(w->signal));
		}
	}
}

static void on_signal(struct run_ctx *rc)
{
	struct signalfd_siginfo si;

	while (read(rc->o->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		rc->interrupted = 1;
	if (rc->interrupted)
		kill_worker_groups(rc);
}

/* Polls until every worker has been reaped. */
static void event_loop(struct run_ctx *rc)
{
	size_t maxfds = 4 * rc->nw + 3;
	struct pollfd *pfd = xcalloc(maxfds, sizeof(*pfd));
	size_t alive = rc->nw;
	int64_t last_tick = mono_ns();

	while (alive > 0) {
		size_t k = 0;
		int n, polling = 0;

		pfd[k++] = (struct pollfd){ .fd = rc->o->sigfd, .events = POLLIN };
		pfd[k++] = (struct pollfd){ .fd = rc->timer_fd, .events = POLLIN };
		pfd[k++] = (struct pollfd){ .fd = rc->sample_fd, .events = POLLIN };
		for (size_t i = 0; i < rc->nw; i++) {
			struct wstate *s = &rc->ws[i];

			pfd[k++] = (struct pollfd){ .fd = s->status_fd, .events = POLLIN };
			pfd[k++] = (struct pollfd){ .fd = s->out_fd, .events = POLLIN };
			pfd[k++] = (struct pollfd){ .fd = s->err_fd, .events = POLLIN };
			pfd[k++] = (struct pollfd){ .fd = s->reaped ? -1 : s->pidfd, .events = POLLIN };
			polling |= !s->reaped && s->pidfd < 0;
		}
		/* polling for exits: every 5 ms, so a wall time is off by 5 ms
		 * at most */
		n = poll(pfd, k, polling ? 5 : 250);
		if (n < 0 && errno != EINTR)
			break;
		if (pfd[0].revents)
			on_signal(rc);
		if (pfd[1].revents) {
			uint64_t expirations;

			if (read(rc->timer_fd, &expirations, sizeof(expirations)) > 0 && !rc->timed_out) {
				rc->timed_out = 1;
				kill_worker_groups(rc);
			}
		}
		if (pfd[2].revents) {
			uint64_t ticks;

			/* one reading per tick, however many ticks passed */
			if (read(rc->sample_fd, &ticks, sizeof(ticks)) > 0)
				probe_set_sample(rc->probes, mono_ns() - rc->release_ns);
		}
		for (size_t i = 0; i < rc->nw; i++) {
			struct wstate *s = &rc->ws[i];
			struct pollfd *p = &pfd[3 + 4 * i];

			if (p[0].revents)
				read_status(rc, i);
			if (p[1].revents && tail_drain(s->out_fd, &rc->res->workers[i].out))
				close_fd(&s->out_fd);
			if (p[2].revents && tail_drain(s->err_fd, &rc->res->workers[i].err))
				close_fd(&s->err_fd);
			if ((p[3].revents || s->pidfd < 0) && !s->reaped) {
				/* the worker is gone, so its status pipe is at EOF
				 * once read: take its last messages (an exec
				 * failure comes after the start) */
				while (s->status_fd >= 0)
					read_status(rc, i);
				reap(rc, i);
				if (s->reaped)
					alive--;
			}
		}
		if (rc->tick && mono_ns() - last_tick >= 500000000) {
			last_tick = mono_ns();
			rc->tick_state->phase = PROGRESS_TICK;
			rc->tick_state->elapsed_s = (double)(last_tick - rc->campaign_start) / 1e9;
			rc->tick(rc->tick_arg, rc->tick_state);
		}
	}
	free(pfd);
}

/* ---- 3. what is left of the process trees ----------------------------- */

/* Kills every process whose parent is us (orphans re-parented to us as
 * subreaper) and reaps them, until none is left. */
static void kill_leftovers(struct run_ctx *rc)
{
	pid_t self = getpid();

	kill_worker_groups(rc);
	for (size_t i = 0; i < rc->nw; i++)
		if (rc->ws[i].pid > 0)
			kill(-rc->ws[i].pid, SIGKILL); /* descendants still in the group */
	for (int round = 0; round < 200; round++) {
		DIR *d;
		struct dirent *de;
		int found = 0;

		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		d = opendir("/proc");
		if (!d)
			return;
		while ((de = readdir(d))) {
			char path[64], *stat, *close_paren;
			int ppid;
			pid_t pid = (pid_t)atoi(de->d_name);

			if (pid <= 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
			if (read_text_file(path, &stat) < 0)
				continue;
			close_paren = strrchr(stat, ')');
			if (close_paren && sscanf(close_paren + 2, "%*c %d", &ppid) == 1 && ppid == self) {
				kill(pid, SIGKILL);
				found = 1;
			}
			free(stat);
		}
		closedir(d);
		if (!found)
			return;
		struct timespec ts = { 0, 5000000 };

		nanosleep(&ts, NULL);
	}
}

/* ---- 4. co-runners ------------------------------------------------------ */

static int make_pipe(int fds[2], int nonblock_read)
{
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	if (nonblock_read)
		fcntl(fds[0], F_SETFL, O_NONBLOCK);
	return 0;
}

/* Makes n pipes, pipe i's read end non-blocking when nonblock[i]; on
 * failure closes those already made. Returns 0 or -errno. */
static int make_pipes(int fds[][2], const int *nonblock, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int r = make_pipe(fds[i], nonblock[i]);

		if (r < 0) {
			while (i-- > 0) {
				close(fds[i][0]);
				close(fds[i][1]);
			}
			return r;
		}
	}
	return 0;
}


static const char *const hog_kernel[CORUN_KINDS] = { NULL, "hog_bandwidth", "hog_cache", "hog_cpu" };

/* Whether a co-runner's output so far has the line word. */
static int hog_said(const struct tail *t, const char *word)
{
	size_t wl = strlen(word);

	for (size_t k = 0; k + wl <= t->len; k++) {
		size_t j = 0;

		while (j < wl && t->buf[(t->start + k + j) % TAIL_BYTES] == word[j])
			j++;
		if (j == wl && (k == 0 || t->buf[(t->start + k - 1) % TAIL_BYTES] == '\n'))
			return 1;
	}
	return 0;
}

/* Each cache co-runner's share: together they keep half the usable cache
 * (or 2 MiB) hot, however many free cores there are. */
static uint64_t hog_cache_bytes(const struct run_ctx *rc)
{
	uint64_t total = rc->o->cache_hog_bytes ? rc->o->cache_hog_bytes : 2u << 20;
	size_t n = rc->nhogs_planned ? rc->nhogs_planned : 1;

	return total / n < 65536 ? 65536 : (total / n) & ~(uint64_t)63;
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

/* Waits until every co-runner has printed "ready" (its arrays filled, its
 * chains built). Returns 0, or -ETIMEDOUT after 60 s. */
static int hogs_wait_ready(struct hog *hogs, size_t n)
{
	int64_t deadline = mono_ns() + 60000000000LL;

	for (size_t i = 0; i < n; i++) {
		while (!hog_said(&hogs[i].out, "ready")) {
			struct pollfd p = { .fd = hogs[i].out_fd, .events = POLLIN };

			if (hogs[i].out_fd < 0 || mono_ns() > deadline)
				return -ETIMEDOUT;
			if (poll(&p, 1, 100) > 0 && tail_drain(hogs[i].out_fd, &hogs[i].out))
				close_fd(&hogs[i].out_fd);
		}
	}
	return 0;
}

/* Starts co-runner kind on cpu, running for seconds (0: until SIGTERM). */
static int hog_start(struct run_ctx *rc, enum corunner kind, int cpu, double seconds, struct hog *h)
{
	const struct campaign *c = rc->o->campaign;
	uint64_t cache_bytes = hog_cache_bytes(rc);
	char size_arg[64], sec_arg[64];
	char *argv[] = { c->kernels, (char *)hog_kernel[kind], sec_arg, NULL, NULL };
	static const int hog_nonblock[3] = { 0, 1, 0 };
	int pipes[3][2], *go = pipes[0], *out = pipes[1], *st = pipes[2], r;
	cpu_set_t set;
	struct spawn_req req;
	char **env;

	memset(h, 0, sizeof(*h));
	h->pid = -1;
	h->out_fd = -1;
	snprintf(sec_arg, sizeof(sec_arg), "seconds=%g", seconds);
	if (kind == CORUN_CACHE) {
		snprintf(size_arg, sizeof(size_arg), "size=%llu", (unsigned long long)cache_bytes);
		argv[3] = size_arg;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if ((r = make_pipes(pipes, hog_nonblock, 3)) < 0)
		return r;
	env = hog_env(base_env(rc));
	req = (struct spawn_req){
		.argv = argv, .envp = env, .cpus = &set, .go_read = go[0], .go_write = go[1],
		.out_fd = out[1], .err_fd = out[1], .status_fd = st[1], .devnull = rc->devnull,
		.creds = rc->o->creds,
	};
	h->pid = spawn_worker(&req);
	free(env);
	close(go[1]); /* released at once */
	close(go[0]);
	close(out[1]);
	close(st[0]); /* its start is not measured */
	close(st[1]);
	if (h->pid < 0) {
		close(out[0]);
		return (int)h->pid;
	}
	h->out_fd = out[0];
	return 0;
}

/* Stops the co-runners (SIGTERM unless they end by themselves), collects
 * their reports and reaps them; a co-runner that does not end within 5 s
 * is killed. */
static void hogs_finish(struct hog *hogs, size_t n, int terminate)
{
	int64_t deadline = mono_ns() + 5000000000LL;
	size_t open = 0;

	for (size_t i = 0; i < n; i++) {
		if (terminate && hogs[i].pid > 0)
			kill(hogs[i].pid, SIGTERM);
		open += hogs[i].out_fd >= 0;
	}
	while (open > 0 && mono_ns() < deadline) {
		struct pollfd p[64];
		size_t k = 0;

		for (size_t i = 0; i < n && k < ARRAY_SIZE(p); i++)
			if (hogs[i].out_fd >= 0)
				p[k++] = (struct pollfd){ .fd = hogs[i].out_fd, .events = POLLIN };
		if (poll(p, k, 100) < 0 && errno != EINTR)
			break;
		for (size_t i = 0; i < n; i++)
			if (hogs[i].out_fd >= 0 && tail_drain(hogs[i].out_fd, &hogs[i].out)) {
				close_fd(&hogs[i].out_fd);
				open--;
			}
	}
	for (size_t i = 0; i < n; i++) {
		close_fd(&hogs[i].out_fd);
		if (hogs[i].pid > 0) {
			if (waitpid(hogs[i].pid, NULL, WNOHANG) == 0) {
				kill(hogs[i].pid, SIGKILL);
				waitpid(hogs[i].pid, NULL, 0);
			}
			hogs[i].pid = -1;
		}
	}
}

/* "key=value" in a co-runner's report, or NAN. */
static double hog_field(const struct tail *t, const char *key, char *text_out, size_t text_len)
{
	char buf[4096];
	size_t n = t->len < sizeof(buf) - 1 ? t->len : sizeof(buf) - 1, klen = strlen(key);

	for (size_t k = 0; k < n; k++)
		buf[k] = t->buf[(t->start + t->len - n + k) % TAIL_BYTES];
	buf[n] = '\0';
	for (char *p = buf; (p = strstr(p, key)); p += klen)
		if ((p == buf || p[-1] == '\n') && p[klen] == '=') {
			if (text_out)
				snprintf(text_out, text_len, "%.*s", (int)strcspn(p + klen + 1, "\n"), p + klen + 1);
			return strtod(p + klen + 1, NULL);
		}
	return NAN;
}

/* Sums the co-runners' rates; the cache co-runner's ns per access averaged. */
static void hogs_rates(const struct hog *hogs, size_t n, double *ret_rate, double *ret_ns, char *unit, size_t ulen)
{
	double rate = 0, ns = 0;
	int nns = 0;

	for (size_t i = 0; i < n; i++) {
		double v = hog_field(&hogs[i].out, "rate", NULL, 0), x = hog_field(&hogs[i].out, "ns_per_access", NULL, 0);

		rate += v;
		if (!isnan(x)) {
			ns += x;
			nns++;
		}
		if (unit && i == 0)
			hog_field(&hogs[i].out, "unit", unit, ulen);
	}
	*ret_rate = n ? rate : NAN;
	*ret_ns = nns ? ns / nns : NAN;
}

static void hogs_free(struct hog *hogs, size_t n)
{
	for (size_t i = 0; hogs && i < n; i++)
		free(hogs[i].out.buf);
	free(hogs);
}

/* Starts one co-runner of kind on each free core (those after slot n in
 * placement order); for alone, they run 0.5 s by themselves and report. */
static int hogs_start(struct run_ctx *rc, enum corunner kind, int n, int alone, struct hog **ret, size_t *ret_n)
{
	const struct topology *topo = rc->o->topo;
	int ncores = topology_cores(topo), *order = xcalloc((size_t)ncores, sizeof(int)), r = 0;
	size_t nh = (size_t)(ncores - n);
	struct hog *hogs = xcalloc(nh, sizeof(*hogs));

	rc->nhogs_planned = nh;
	topology_place(topo, rc->o->campaign->placement, ncores, 0, order);
	for (size_t i = 0; i < nh && r == 0; i++)
		r = hog_start(rc, kind, topology_core(topo, order[(size_t)n + i])->cpus[0], alone ? 0.5 : 0, &hogs[i]);
	free(order);
	*ret = hogs;
	*ret_n = nh;
	return r;
}

/* The co-runners' rate alone, measured just before each co-run (0.5 s):
 * on a shared host the rate moves by tens of percent from minute to
 * minute, so a rate measured once would misjudge every later co-run. */
static int hogs_alone(struct run_ctx *rc, enum corunner kind, int n, double *ret_rate, double *ret_ns)
{
	struct hog *hogs = NULL;
	size_t nh = 0;
	int r = hogs_start(rc, kind, n, 1, &hogs, &nh);

	hogs_finish(hogs, nh, r < 0);
	if (r == 0) {
		hogs_rates(hogs, nh, ret_rate, ret_ns, NULL, 0);
		if (kind != CORUN_CACHE)
			*ret_ns = NAN;
	}
	hogs_free(hogs, nh);
	return r;
}

static void set_cpu(cpu_set_t *set, const struct topology *topo, int core)
{
	CPU_SET(topology_core(topo, core)->cpus[0], set);
}

/* Sets a run's result from its workers. */
static void conclude(struct run_ctx *rc)
{
	struct run_result *res = rc->res;
	int64_t first = 0, last_start = 0, last_end = 0;

	for (size_t i = 0; i < res->nworkers; i++) {
		const struct worker_result *w = &res->workers[i];

		if (w->start_ns > 0) {
			if (!first || w->start_ns < first)
				first = w->start_ns;
			if (w->start_ns > last_start)
				last_start = w->start_ns;
		}
		if (w->end_ns > last_end)
			last_end = w->end_ns;
	}
	res->wall_ns = first && last_end > first ? last_end - first : -1;
	res->start_skew_ns = first ? last_start - first : -1;
	if (rc->interrupted) {
		res->status = RUN_INTERRUPTED;
		res->error = xstrdup("interrupted by a signal");
		return;
	}
	if (rc->timed_out) {
		res->status = RUN_TIMEOUT;
		res->error = xasprintf("timed out after %g s", rc->o->campaign->timeout_s);
		return;
	}
	res->status = RUN_OK;
	for (size_t i = 0; i < res->nworkers; i++)
		if (res->workers[i].status != WORKER_OK) {
			res->status = RUN_FAILED;
			res->error = xasprintf("worker %d: %s", res->workers[i].slot,
					       res->workers[i].error ? res->workers[i].error : "failed");
			return;
		}
}


/* Performs one run into res (filled by the caller with workload, counts).
 * Returns 0 or -errno when the run could not be set up at all. */
static int run_one(struct run_ctx *rc, const struct plan_run *pr)
{
	const struct campaign *c = rc->o->campaign;
	const struct workload *wl = &c->workloads[pr->workload];
	size_t nw = wl->mode == MODE_TEAM ? 1 : (size_t)pr->n_workers;
	int *cores = xcalloc((size_t)pr->n_workers, sizeof(int));
	int go[2] = { -1, -1 }, r;
	struct itimerspec its = { 0 };

	rc->nw = nw;
	rc->ws = xcalloc(nw, sizeof(*rc->ws));
	rc->res->workers = xcalloc(nw, sizeof(*rc->res->workers));
	rc->res->nworkers = nw;
	for (size_t i = 0; i < nw; i++)
		rc->ws[i] = (struct wstate){ .pid = -1, .pidfd = -1, .status_fd = -1, .out_fd = -1, .err_fd = -1 };

	r = topology_place(rc->o->topo, c->placement, pr->n_workers, c->oversubscribe, cores);
	if (r < 0)
		goto out;
	if (pr->corunner) {
		struct corun_result *cr = &rc->res->corun;
		struct timespec warm = { 0, 50000000 };

		cr->kind = pr->corunner;
		cr->n_corunners = topology_cores(rc->o->topo) - pr->n_workers;
		rc->nhogs_planned = (size_t)cr->n_corunners;
		cr->hog_bytes = pr->corunner == CORUN_CACHE ? hog_cache_bytes(rc) : 0;
		r = hogs_alone(rc, pr->corunner, pr->n_workers, &cr->rate_alone, &cr->cache_ns_alone);
		if (r == 0)
			r = hogs_start(rc, pr->corunner, pr->n_workers, 0, &rc->hogs, &rc->nhogs);
		if (r == 0)
			r = hogs_wait_ready(rc->hogs, rc->nhogs);
		if (r < 0)
			goto out;
		nanosleep(&warm, NULL); /* into their steady state */
	}
	r = make_pipe(go, 0);
	if (r < 0)
		goto out;
	rc->go_read = go[0];
	rc->go_write = go[1];
	r = probe_set_run_begin(rc->probes, (int)nw);
	if (r < 0)
		goto out;

	for (size_t i = 0; i < nw; i++) {
		struct worker_result *w = &rc->res->workers[i];
		static const int worker_nonblock[3] = { 1, 1, 0 }; /* stdout, stderr, status */
		int pipes[3][2], *outp = pipes[0], *errp = pipes[1], *stp = pipes[2];
		cpu_set_t set;
		char **env;
		struct spawn_req req;
		pid_t pid;

		w->slot = (int)i + 1;
		w->exit_code = w->signal = w->exec_errno = -1;
		w->run_delay_ns = -1;
		CPU_ZERO(&set);
		if (wl->mode == MODE_TEAM)
			for (int k = 0; k < pr->n_workers; k++)
				set_cpu(&set, rc->o->topo, cores[k]);
		else
			set_cpu(&set, rc->o->topo, cores[i]);
		w->core = cores[i];
		w->cpu = topology_core(rc->o->topo, cores[i])->cpus[0];
		cpus_text(&set, w->cpus, sizeof(w->cpus));

		if ((r = make_pipes(pipes, worker_nonblock, 3)) < 0)
			goto out;
		rc->ws[i].out_fd = outp[0];
		rc->ws[i].err_fd = errp[0];
		rc->ws[i].status_fd = stp[0];
		env = worker_env(base_env(rc), wl, pr->n_workers, w->slot, c->scale);
		req = (struct spawn_req){
			.argv = wl->command, .envp = env, .cwd = wl->cwd, .cpus = &set,
			.go_read = go[0], .go_write = go[1], .out_fd = outp[1], .err_fd = errp[1],
			.status_fd = stp[1], .devnull = rc->devnull, .creds = rc->o->creds,
		};
		w->uid = rc->o->creds ? rc->o->creds->uid : getuid();
		w->gid = rc->o->creds ? rc->o->creds->gid : getgid();
		pid = spawn_worker(&req);
		free_env(env);
		close(outp[1]);
		close(errp[1]);
		close(stp[1]);
		if (pid < 0) {
			r = (int)pid;
			goto out;
		}
		rc->ws[i].pid = w->pid = pid;
		rc->ws[i].pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		/* without pidfd_open (Linux < 5.3, or valgrind) the event loop
		 * polls for the exit instead */
		if (rc->ws[i].pidfd < 0 && errno != ENOSYS) {
			r = -errno;
			goto out;
		}
		probe_set_attach(rc->probes, (int)i, pid);
	}

	if (rc->tick) {
		/* each worker leads its own process group */
		pid_t *pgids = xcalloc(rc->nw ? rc->nw : 1, sizeof(pid_t));

		for (size_t i = 0; i < rc->nw; i++)
			pgids[i] = rc->ws[i].pid;
		rc->tick_state->phase = PROGRESS_SPAWNED;
		rc->tick_state->pgids = pgids;
		rc->tick_state->npgids = rc->nw;
		rc->tick(rc->tick_arg, rc->tick_state);
		rc->tick_state->pgids = NULL;
		rc->tick_state->npgids = 0;
		free(pgids);
	}
	its.it_value.tv_sec = (time_t)c->timeout_s;
	its.it_value.tv_nsec = (long)((c->timeout_s - (double)(time_t)c->timeout_s) * 1e9);
	if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
		its.it_value.tv_nsec = 1;
	timerfd_settime(rc->timer_fd, 0, &its, NULL);
	probe_set_start(rc->probes);
	if (c->interval_ms > 0) {
		struct itimerspec tick = { .it_interval = { c->interval_ms / 1000, (long)(c->interval_ms % 1000) * 1000000 } };

		tick.it_value = tick.it_interval;
		timerfd_settime(rc->sample_fd, 0, &tick, NULL);
	}
	rc->release_ns = mono_ns();
	close_fd(&rc->go_write); /* the barrier: every worker wakes now */
	close_fd(&rc->go_read);
	event_loop(rc);
	probe_set_stop(rc->probes);
	r = 0;
out:
	if (rc->hogs) {
		hogs_finish(rc->hogs, rc->nhogs, 1);
		hogs_rates(rc->hogs, rc->nhogs, &rc->res->corun.rate_beside, &rc->res->corun.cache_ns_beside,
			   rc->res->corun.unit, sizeof(rc->res->corun.unit));
		hogs_free(rc->hogs, rc->nhogs);
		rc->hogs = NULL;
		rc->nhogs = 0;
	}
	if (r < 0)
		kill_worker_groups(rc);
	/* whatever is still open when the workers are gone: last output, then
	 * reap anything left so that no process outlives its run */
	for (size_t i = 0; i < nw; i++) {
		struct wstate *s = &rc->ws[i];

		if (s->pid > 0 && !s->reaped && r < 0) {
			waitpid(s->pid, NULL, 0);
			s->reaped = 1;
		}
	}
	kill_leftovers(rc);
	for (size_t i = 0; i < nw; i++) {
		struct wstate *s = &rc->ws[i];

		if (s->out_fd >= 0)
			tail_drain(s->out_fd, &rc->res->workers[i].out);
		if (s->err_fd >= 0)
			tail_drain(s->err_fd, &rc->res->workers[i].err);
		close_fd(&s->out_fd);
		close_fd(&s->err_fd);
		close_fd(&s->status_fd);
		close_fd(&s->pidfd);
	}
	memset(&its, 0, sizeof(its));
	timerfd_settime(rc->timer_fd, 0, &its, NULL);
	timerfd_settime(rc->sample_fd, 0, &its, NULL);
	close_fd(&rc->go_read);
	close_fd(&rc->go_write);
	free(cores);
	return r;
}

static void result_clear(struct run_result *res)
{
	for (size_t i = 0; i < res->nworkers; i++) {
		free(res->workers[i].error);
		free(res->workers[i].out.buf);
		free(res->workers[i].err.buf);
	}
	free(res->workers);
	free(res->error);
	memset(res, 0, sizeof(*res));
}

/* ---- 5. the campaign loop --------------------------------------------- */

static int store_run(const struct runner_opts *o, struct probe_set *probes, const struct run_result *res,
		     char **ret_error)
{
	int64_t run_id, *wids = xcalloc(res->nworkers, sizeof(int64_t));
	int r = store_run_begin(o->store);

	if (r == 0)
		r = store_run_insert(o->store, o->campaign_id, res, &run_id, wids);
	if (r == 0)
		r = probe_set_store(probes, o->store, res, run_id, wids);
	if (r == 0)
		r = store_run_commit(o->store);
	if (r < 0) {
		store_run_rollback(o->store);
		*ret_error = xasprintf("run %d could not be stored: %s", res->seq, store_errmsg(o->store));
	}
	free(wids);
	return r;
}

static void utc_now(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

static int pending_signal(int sigfd)
{
	struct pollfd p = { .fd = sigfd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

int runner_run_campaign(const struct runner_opts *o, const struct plan *plan,
			struct runner_summary *ret_summary, char **ret_error)
{
	const struct campaign *c = o->campaign;
	struct probe_env env = {
		.events = c->events, .nevents = c->nevents, .bandwidth = c->bandwidth,
		.mc_read = c->mc_read, .mc_read_count = c->mc_read_count,
		.mc_write = c->mc_write, .mc_write_count = c->mc_write_count,
	};
	struct probe_set *probes = NULL;
	struct run_ctx rc = { .o = o, .timer_fd = -1, .sample_fd = -1, .devnull = -1, .go_read = -1, .go_write = -1 };
	struct runner_progress prog = { .total = plan->nruns, .repetitions = c->repetitions };
	int64_t start = mono_ns();
	int r;

	memset(ret_summary, 0, sizeof(*ret_summary));
	*ret_error = NULL;
	/* descendants that outlive their worker come back to us to be killed */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	r = probe_set_new(&env, &probes);
	if (r < 0) {
		*ret_error = xasprintf("cannot set up the probes: %s", strerror(-r));
		return r;
	}
	rc.probes = probes;
	rc.timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	rc.sample_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	rc.devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (rc.timer_fd < 0 || rc.sample_fd < 0 || rc.devnull < 0) {
		r = -errno;
		*ret_error = xasprintf("cannot set up the runner: %s", strerror(errno));
		goto out;
	}
	rc.tick = o->progress;
	rc.tick_arg = o->progress_arg;
	rc.tick_state = &prog;
	rc.campaign_start = start;

	for (size_t i = 0; i < plan->nruns; i++) {
		const struct plan_run *pr = &plan->runs[i];
		struct run_result res = { 0 };
		double elapsed;

		if (pending_signal(o->sigfd)) {
			rc.interrupted = 1;
			break;
		}
		res.seq = pr->seq;
		{
			const struct workload *wl = &c->workloads[pr->workload];
			const struct builtin *b = wl->builtin ? builtin_find(wl->builtin) : NULL;

			if (b)
				res.working_set_bytes = builtin_working_set(b, wl->args, wl->args_count, c->scale,
									    (double)topology_l3_bytes(o->topo));
		}
		res.corun.rate_alone = res.corun.rate_beside = NAN;
		res.corun.cache_ns_alone = res.corun.cache_ns_beside = NAN;
		res.workload = &c->workloads[pr->workload];
		res.n_workers = pr->n_workers;
		res.repetition = pr->repetition;
		utc_now(res.started_at, sizeof(res.started_at));
		prog.index = i + 1;
		prog.run = pr;
		prog.workload = res.workload;
		prog.result = NULL;
		prog.phase = PROGRESS_START;
		elapsed = (double)(mono_ns() - start) / 1e9;
		prog.elapsed_s = elapsed;
		prog.eta_s = i ? elapsed / (double)i * (double)(plan->nruns - i) : -1;
		if (o->progress)
			o->progress(o->progress_arg, &prog);

		rc.res = &res;
		rc.timed_out = 0;
		r = run_one(&rc, pr);
		if (r < 0) {
			probe_set_run_end(probes);
			*ret_error = xasprintf("run %d (%s, %d workers) could not be started: %s", pr->seq,
					       res.workload->name, pr->n_workers, strerror(-r));
			free(rc.ws);
			rc.ws = NULL;
			result_clear(&res);
			goto out;
		}
		conclude(&rc);
		free(rc.ws);
		rc.ws = NULL;
		r = store_run(o, probes, &res, ret_error);
		probe_set_run_end(probes);
		if (r < 0) {
			result_clear(&res);
			goto out;
		}
		ret_summary->runs_done++;
		ret_summary->runs_ok += res.status == RUN_OK;
		ret_summary->runs_failed += res.status == RUN_FAILED;
		ret_summary->runs_timeout += res.status == RUN_TIMEOUT;
		prog.phase = PROGRESS_DONE;
		prog.result = &res;
		elapsed = (double)(mono_ns() - start) / 1e9;
		prog.elapsed_s = elapsed;
		prog.eta_s = elapsed / (double)(i + 1) * (double)(plan->nruns - i - 1);
		if (o->progress)
			o->progress(o->progress_arg, &prog);
		result_clear(&res);
		if (rc.interrupted)
			break;
	}
	r = rc.interrupted ? -EINTR : 0;
	ret_summary->interrupted = rc.interrupted;
out:
	probe_set_free(probes);
	if (rc.timer_fd >= 0)
		close(rc.timer_fd);
	if (rc.sample_fd >= 0)
		close(rc.sample_fd);
	if (rc.devnull >= 0)
		close(rc.devnull);
	return r;
}
