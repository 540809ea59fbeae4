/* runner.c: performs a campaign's runs (see runner.h).
 *
 * Sections:
 *   1. one worker: its environment, its status pipe, reaping it
 *   2. the event loop: pidfds, status and output pipes, the timeout and
 *      sampling timerfds, signalfd
 *   3. killing what is left of a run's process trees
 *   4. one run: placement, co-runners, spawning, timers and release, teardown
 *   5. the campaign loop: plan order, progress, one transaction per run,
 *      the campaign's limits of time and database growth
 *
 * Output tails are capture.c's, co-runners corunner.c's, fork and exec
 * spawn.c's. Every worker gets its own process group; scalprof is a child
 * subreaper, so descendants that outlive their worker come back to it and
 * are killed. */
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

#include <linux/mempolicy.h>

#include "workloads/builtins.h"
#include "probes/probe.h"
#include "engine/capture.h"
#include "engine/corunner.h"
#include "engine/runner.h"
#include "engine/spawn.h"
#include "engine/tasks.h"
#include "base/util.h"

extern char **environ;

/* how often the workers' threads and children are polled for their
 * run-queue wait (ms): at most this often at a faster timeline tick (a
 * poll scans /proc), and the tick itself when there is no timeline */
#define TASKS_POLL_MS 100

/* warm-ups are tracked per workload for worker counts up to this; larger
 * counts (oversubscribed) are not warmed up */
#define WARM_MAX_N 4096

struct wstate {
	pid_t pid;
	int pidfd, status_fd, out_fd, err_fd; /* parent's ends, -1 when closed */
	int reaped;
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
	int over_time;           /* the campaign's time limit stopped the run */
	int64_t deadline_ns;     /* that limit on CLOCK_MONOTONIC; 0: none */
	const char *failed;      /* what a run that could not start was doing; NULL: its errno says it */
	struct runner_progress *tick_state;
	int64_t campaign_start;
	size_t units_done, units_total; /* runs, warm-ups included: for the ETA */
	struct corunner_opts corun_opts;
	struct corunners *corun; /* co-runners of an interference run */
	struct tasks *tasks;     /* the workers' threads and children */
	int64_t tasks_polled_ns; /* when they were last polled */
};

/* ---- 1. one worker ---------------------------------------------------- */

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
static char *const *base_env(const struct runner_opts *o)
{
	return o->base_env ? o->base_env : environ;
}

/* Whether entry e is replaced by one of list's NAME=VALUE entries. */
static int env_in(const char *e, char *const *list, size_t n)
{
	for (size_t j = 0; j < n; j++) {
		size_t klen = (size_t)(strchr(list[j], '=') - list[j]) + 1;

		if (strncmp(e, list[j], klen) == 0)
			return 1;
	}
	return 0;
}

/* Whether the base environment's entry e is replaced by the workload's env,
 * the variant's, or by scalprof's own SCALPROF_* variables. */
static int env_overridden(const char *e, const struct workload *w, const struct variant *v)
{
	if (strncmp(e, "SCALPROF_WORKERS=", 17) == 0 || strncmp(e, "SCALPROF_SLOT=", 14) == 0 ||
	    strncmp(e, "SCALPROF_SCALE=", 15) == 0)
		return 1;
	return env_in(e, w->env, w->env_count) || (v && env_in(e, v->env, v->env_count));
}

/* The scale run pr works at: the campaign's, times its variant's. */
static double run_scale(const struct campaign *c, const struct plan_run *pr)
{
	return c->scale * (pr->variant ? pr->variant->scale : 1);
}

/* The environment of a worker: the base, the workload's env, the variant's
 * (which wins), and SCALPROF_*. */
static char **worker_env(char *const *base, const struct workload *w, const struct variant *v, int n, int slot,
			 double scale)
{
	size_t k = 0, count = 0, venv = v ? v->env_count : 0;
	char **env;

	while (base[count])
		count++;
	env = xcalloc(count + w->env_count + venv + 4, sizeof(char *));
	for (size_t i = 0; i < count; i++)
		if (!env_overridden(base[i], w, v))
			env[k++] = xstrdup(base[i]);
	for (size_t j = 0; j < w->env_count; j++)
		if (!v || !env_in(w->env[j], v->env, v->env_count))
			env[k++] = xstrdup(w->env[j]);
	for (size_t j = 0; j < venv; j++)
		env[k++] = xstrdup(v->env[j]);
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

/* The sentence for a worker that could not be started. */
static char *spawn_error(const struct run_ctx *rc, const struct worker_result *w, const struct spawn_msg *m)
{
	if (m->stage == SPAWN_FAIL_CREDS)
		return xasprintf("cannot run as uid %d, gid %d: %s", (int)w->uid, (int)w->gid, strerror(m->err));
	/* execve checks RLIMIT_NPROC after a change of uid */
	if (m->stage == SPAWN_FAIL_EXEC && m->err == EAGAIN)
		return xasprintf("cannot execute '%s': %s (uid %d has as many processes as its limit allows)",
				 rc->res->workload->command[0], strerror(m->err), (int)w->uid);
	return xasprintf("%s '%s': %s",
			 m->stage == SPAWN_FAIL_EXEC ? "cannot execute"
			 : m->stage == SPAWN_FAIL_CHDIR ? "cannot change to directory"
			 : m->stage == SPAWN_FAIL_AFFINITY ? "cannot pin to CPUs"
			 : m->stage == SPAWN_FAIL_CONFINE  ? "cannot confine (no_new_privs, descriptors 0-2 only)"
			 : m->stage == SPAWN_FAIL_THP ? "variant: cannot disable transparent huge pages (prctl) for"
			 : m->stage == SPAWN_FAIL_MEMPOLICY ? "variant: cannot set the memory policy (set_mempolicy) for"
							   : "cannot set up the standard streams of",
			 m->stage == SPAWN_FAIL_CHDIR ? rc->res->workload->cwd
			 : m->stage == SPAWN_FAIL_AFFINITY ? w->cpus
							   : rc->res->workload->command[0],
			 strerror(m->err));
}

/* Reads one message from worker i's status pipe: its start, or why it
 * could not start; at EOF (exec succeeded, or the child died) closes it. */
static void read_status(struct run_ctx *rc, size_t i)
{
	struct worker_result *w = &rc->res->workers[i];
	struct spawn_msg m;
	ssize_t n;

	do
		n = read(rc->ws[i].status_fd, &m, sizeof(m));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(m)) {
		spawn_close(&rc->ws[i].status_fd);
		return;
	}
	if (m.stage == SPAWN_STARTED) {
		w->start_ns = m.mono_ns;
		return;
	}
	w->exec_errno = m.err;
	w->status = WORKER_EXEC_FAILED;
	free(w->error);
	w->error = spawn_error(rc, w, &m);
}

/* /proc/PID/schedstat's second field: time spent waiting on a run queue. */
static int64_t read_run_delay(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	return tasks_read_wait(path);
}

static int64_t tv_ns(const struct timeval *tv)
{
	return (int64_t)tv->tv_sec * 1000000000 + (int64_t)tv->tv_usec * 1000;
}

static void set_rusage(struct worker_result *w, const struct rusage *ru)
{
	w->have_rusage = 1;
	w->utime_ns = tv_ns(&ru->ru_utime);
	w->stime_ns = tv_ns(&ru->ru_stime);
	w->maxrss_kb = ru->ru_maxrss;
	w->minflt = ru->ru_minflt;
	w->majflt = ru->ru_majflt;
	w->nvcsw = ru->ru_nvcsw;
	w->nivcsw = ru->ru_nivcsw;
}

/* A worker's status from its wait status: whether we killed it (timeout,
 * interruption) or it failed by itself. */
static void set_exit(const struct run_ctx *rc, struct worker_result *w, int status)
{
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
		} else if (rc->over_time) {
			w->status = WORKER_KILLED;
			w->error = xstrdup("killed: the campaign reached its time limit");
		} else {
			w->status = WORKER_SIGNALED;
			w->error = xasprintf("killed by signal %d (%s)", w->signal, strsignal(w->signal));
		}
	}
}

/* Polls the workers' tasks; with a timeline, keeps their summed wait at
 * this moment as a point of it. */
static void poll_tasks(struct run_ctx *rc, int64_t now)
{
	struct run_result *res = rc->res;
	int64_t d;

	tasks_poll(rc->tasks);
	rc->tasks_polled_ns = now;
	if (rc->o->campaign->interval_ms <= 0 || (d = tasks_run_delay(rc->tasks)) < 0)
		return;
	res->waits = xreallocarray(res->waits, res->nwaits + 1, sizeof(*res->waits));
	res->waits[res->nwaits++] = (struct wait_point){ now - rc->release_ns, d };
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
	/* the group's last readings while the zombie still holds it */
	tasks_note(rc->tasks, s->pid, w->run_delay_ns);
	poll_tasks(rc, w->end_ns);
	/* with a timeline, the final reading is its last point */
	probe_set_collect(rc->probes, (int)i, rc->o->campaign->interval_ms > 0 ? w->end_ns - rc->release_ns : -1);
	do
		r = wait4(s->pid, &status, 0, &ru);
	while (r < 0 && errno == EINTR);
	s->reaped = 1;
	spawn_close(&s->pidfd);
	if (r < 0)
		return;
	set_rusage(w, &ru);
	set_exit(rc, w, status);
}

/* ---- 2. the event loop ------------------------------------------------ */

/* Fixed slots of the poll set, then four per worker. */
enum { PFD_SIGNAL, PFD_TIMEOUT, PFD_SAMPLE, PFD_WORKERS };

static void on_signal(struct run_ctx *rc)
{
	struct signalfd_siginfo si;

	while (read(rc->o->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		rc->interrupted = 1;
	if (rc->interrupted)
		kill_worker_groups(rc);
}

static void on_timeout(struct run_ctx *rc)
{
	uint64_t expirations;

	if (read(rc->timer_fd, &expirations, sizeof(expirations)) > 0 && !rc->timed_out && !rc->over_time) {
		/* armed at the sooner of the run's timeout and the campaign's
		 * time limit (arm_timeout) */
		if (rc->deadline_ns && mono_ns() >= rc->deadline_ns)
			rc->over_time = 1;
		else
			rc->timed_out = 1;
		kill_worker_groups(rc);
	}
}

static void on_sample(struct run_ctx *rc)
{
	uint64_t ticks;
	int64_t now;

	/* one reading per tick, however many ticks passed */
	if (read(rc->sample_fd, &ticks, sizeof(ticks)) <= 0)
		return;
	now = mono_ns();
	if (rc->o->campaign->interval_ms > 0)
		probe_set_sample(rc->probes, now - rc->release_ns);
	probe_set_drain(rc->probes);
	/* a millisecond's slack: at TASKS_POLL_MS ticks, one read a little
	 * early must not skip its poll */
	if (now - rc->tasks_polled_ns >= ((int64_t)TASKS_POLL_MS - 1) * 1000000)
		poll_tasks(rc, now);
}

/* Fills pfd for this round; returns how many entries, and sets *ret_polling
 * when some live worker has no pidfd (its exit must be polled for). */
static size_t poll_set(const struct run_ctx *rc, struct pollfd *pfd, int *ret_polling)
{
	size_t k = 0;

	*ret_polling = 0;
	pfd[k++] = (struct pollfd){ .fd = rc->o->sigfd, .events = POLLIN };
	pfd[k++] = (struct pollfd){ .fd = rc->timer_fd, .events = POLLIN };
	pfd[k++] = (struct pollfd){ .fd = rc->sample_fd, .events = POLLIN };
	for (size_t i = 0; i < rc->nw; i++) {
		const struct wstate *s = &rc->ws[i];

		pfd[k++] = (struct pollfd){ .fd = s->status_fd, .events = POLLIN };
		pfd[k++] = (struct pollfd){ .fd = s->out_fd, .events = POLLIN };
		pfd[k++] = (struct pollfd){ .fd = s->err_fd, .events = POLLIN };
		pfd[k++] = (struct pollfd){ .fd = s->reaped ? -1 : s->pidfd, .events = POLLIN };
		*ret_polling |= !s->reaped && s->pidfd < 0;
	}
	return k;
}

/* Worker i's four poll entries p; returns 1 when it was reaped now. */
static int on_worker(struct run_ctx *rc, size_t i, const struct pollfd *p)
{
	struct wstate *s = &rc->ws[i];

	if (p[0].revents)
		read_status(rc, i);
	if (p[1].revents && capture_drain(s->out_fd, &rc->res->workers[i].out))
		spawn_close(&s->out_fd);
	if (p[2].revents && capture_drain(s->err_fd, &rc->res->workers[i].err))
		spawn_close(&s->err_fd);
	if ((p[3].revents || s->pidfd < 0) && !s->reaped) {
		/* the worker is gone, so its status pipe is at EOF once read:
		 * take its last messages (an exec failure comes after the
		 * start) */
		while (s->status_fd >= 0)
			read_status(rc, i);
		reap(rc, i);
		return s->reaped;
	}
	return 0;
}

/* Every half second, a PROGRESS_TICK. */
static void maybe_tick(struct run_ctx *rc, int64_t *last_tick)
{
	if (!rc->o->progress || mono_ns() - *last_tick < 500000000 ||
	    (rc->tick_state->warmup && !rc->o->report_warmups))
		return;
	*last_tick = mono_ns();
	rc->tick_state->phase = PROGRESS_TICK;
	rc->tick_state->elapsed_s = (double)(*last_tick - rc->campaign_start) / 1e9;
	rc->o->progress(rc->o->progress_arg, rc->tick_state);
}

/* Polls until every worker has been reaped. */
static void event_loop(struct run_ctx *rc)
{
	struct pollfd *pfd = xcalloc(PFD_WORKERS + 4 * rc->nw, sizeof(*pfd));
	size_t alive = rc->nw;
	int64_t last_tick = mono_ns();

	while (alive > 0) {
		int polling;
		size_t k = poll_set(rc, pfd, &polling);

		/* polling for exits: every 5 ms, so a wall time is off by 5 ms
		 * at most */
		if (poll(pfd, k, polling ? 5 : 250) < 0 && errno != EINTR)
			break;
		if (pfd[PFD_SIGNAL].revents)
			on_signal(rc);
		if (pfd[PFD_TIMEOUT].revents)
			on_timeout(rc);
		if (pfd[PFD_SAMPLE].revents)
			on_sample(rc);
		for (size_t i = 0; i < rc->nw; i++)
			alive -= (size_t)on_worker(rc, i, &pfd[PFD_WORKERS + 4 * i]);
		maybe_tick(rc, &last_tick);
	}
	free(pfd);
}

/* ---- 3. what is left of the process trees ----------------------------- */

/* Kills every process in /proc whose parent is self. Returns whether there
 * was one, or -1 when /proc cannot be read. */
static int kill_children(pid_t self)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int found = 0;

	if (!d)
		return -1;
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
	return found;
}

/* Kills every process whose parent is us (orphans re-parented to us as
 * subreaper) and reaps them, until none is left. */
static void kill_leftovers(struct run_ctx *rc)
{
	pid_t self = getpid();
	struct timespec ts = { 0, 5000000 };

	kill_worker_groups(rc);
	for (size_t i = 0; i < rc->nw; i++)
		if (rc->ws[i].pid > 0)
			kill(-rc->ws[i].pid, SIGKILL); /* descendants still in the group */
	for (int round = 0; round < 200; round++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (kill_children(self) <= 0)
			return;
		nanosleep(&ts, NULL);
	}
}

/* ---- 4. one run ------------------------------------------------------- */

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
	if (rc->over_time) {
		const struct runner_limits *l = rc->o->limits;

		res->status = RUN_INTERRUPTED;
		res->error = xasprintf("stopped: the campaign reached its time limit of %g s (%s)", l->max_seconds,
				       l->seconds_what ? l->seconds_what : "its limit");
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

/* The co-runners of an interference run: measured alone, then started
 * beside the workers to come. */
static int start_corunners(struct run_ctx *rc, const struct plan_run *pr)
{
	struct corun_result *cr = &rc->res->corun;
	int r;

	cr->kind = pr->corunner;
	cr->bandit = pr->bandit;
	cr->level = pr->level;
	cr->n_corunners = topology_cores(rc->o->topo) - pr->n_workers;
	cr->hog_bytes = pr->corunner == CORUN_CACHE ? corunner_cache_bytes(&rc->corun_opts, pr->n_workers) : 0;
	r = corunners_alone(&rc->corun_opts, pr->corunner, pr->level, pr->n_workers, &cr->rate_alone,
			    &cr->cache_ns_alone);
	if (r == 0)
		r = corunners_start(&rc->corun_opts, pr->corunner, pr->level, pr->n_workers, &rc->corun);
	return r;
}

/* The CPUs the run reserved: the first of each of its cores. */
static void reserved_cpus(const struct run_ctx *rc, const struct plan_run *pr, const int *cores, cpu_set_t *set)
{
	CPU_ZERO(set);
	for (int k = 0; k < pr->n_workers; k++)
		set_cpu(set, rc->o->topo, cores[k]);
}

/* Worker i's identity and CPUs: its own core, or every core for a team. */
static void place_worker(struct run_ctx *rc, const struct plan_run *pr, const int *cores, size_t i,
			 cpu_set_t *set)
{
	const struct workload *wl = rc->res->workload;
	struct worker_result *w = &rc->res->workers[i];

	w->slot = (int)i + 1;
	w->exit_code = w->signal = w->exec_errno = -1;
	w->run_delay_ns = -1;
	if (wl->mode == MODE_TEAM) {
		reserved_cpus(rc, pr, cores, set);
	} else {
		CPU_ZERO(set);
		set_cpu(set, rc->o->topo, cores[i]);
	}
	w->core = cores[i];
	w->cpu = topology_core(rc->o->topo, cores[i])->cpus[0];
	cpus_text(set, w->cpus, sizeof(w->cpus));
	w->uid = rc->o->creds ? rc->o->creds->uid : getuid();
	w->gid = rc->o->creds ? rc->o->creds->gid : getgid();
}

/* Forks worker i, which waits at the barrier, and attaches the probes. */
static int spawn_one(struct run_ctx *rc, const struct plan_run *pr, const int *cores, size_t i)
{
	static const int worker_nonblock[3] = { 1, 1, 0 }; /* stdout, stderr, status */
	const struct workload *wl = rc->res->workload;
	struct worker_result *w = &rc->res->workers[i];
	int pipes[3][2], *outp = pipes[0], *errp = pipes[1], *stp = pipes[2], r;
	cpu_set_t set;
	char **env;
	struct spawn_req req;
	pid_t pid;

	place_worker(rc, pr, cores, i, &set);
	if ((r = spawn_pipes(pipes, worker_nonblock, 3)) < 0)
		return r;
	rc->ws[i].out_fd = outp[0];
	rc->ws[i].err_fd = errp[0];
	rc->ws[i].status_fd = stp[0];
	env = worker_env(base_env(rc->o), wl, pr->variant, pr->n_workers, w->slot, run_scale(rc->o->campaign, pr));
	req = (struct spawn_req){
		.argv = wl->command, .envp = env, .cwd = wl->cwd, .cpus = &set,
		.go_read = rc->go_read, .go_write = rc->go_write, .out_fd = outp[1], .err_fd = errp[1],
		.status_fd = stp[1], .devnull = rc->devnull, .creds = rc->o->creds,
	};
	if (pr->variant) {
		req.thp_disable = pr->variant->thp == VTHP_NEVER;
		req.mempolicy = pr->variant->memory == VMEM_INTERLEAVE ? MPOL_INTERLEAVE
				: pr->variant->memory == VMEM_LOCAL    ? MPOL_LOCAL
								       : 0;
		topology_numa_nodes(rc->o->topo, &req.mem_nodes);
	}
	pid = spawn_worker(&req);
	free_env(env);
	close(outp[1]);
	close(errp[1]);
	close(stp[1]);
	if (pid < 0)
		return (int)pid;
	rc->ws[i].pid = w->pid = pid;
	rc->ws[i].pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	/* without pidfd_open (Linux < 5.3, or valgrind) the event loop polls
	 * for the exit instead */
	if (rc->ws[i].pidfd < 0 && errno != ENOSYS)
		return -errno;
	probe_set_attach(rc->probes, (int)i, pid);
	return 0;
}

/* The barrier pipe, the probes' run, and every worker forked. */
static int spawn_workers(struct run_ctx *rc, const struct plan_run *pr, const int *cores)
{
	static const int blocking[1] = { 0 };
	int go[1][2], r = spawn_pipes(go, blocking, 1);

	if (r < 0)
		return r;
	rc->go_read = go[0][0];
	rc->go_write = go[0][1];
	r = probe_set_run_begin(rc->probes, (int)rc->nw);
	if (r < 0)
		rc->failed = "staging its timeline";
	for (size_t i = 0; i < rc->nw && r == 0; i++)
		r = spawn_one(rc, pr, cores, i);
	return r;
}

/* The workers' process groups (each worker leads its own): whose tasks
 * are tracked, and what to kill should we die (PROGRESS_SPAWNED). */
static void report_spawned(struct run_ctx *rc)
{
	pid_t *pgids = xcalloc(rc->nw ? rc->nw : 1, sizeof(pid_t));

	for (size_t i = 0; i < rc->nw; i++)
		pgids[i] = rc->ws[i].pid;
	rc->tasks = tasks_new(pgids, rc->nw);
	if (!rc->o->progress) {
		free(pgids);
		return;
	}
	rc->tick_state->phase = PROGRESS_SPAWNED;
	rc->tick_state->pgids = pgids;
	rc->tick_state->npgids = rc->nw;
	rc->o->progress(rc->o->progress_arg, rc->tick_state);
	rc->tick_state->pgids = NULL;
	rc->tick_state->npgids = 0;
	free(pgids);
}

/* Arms the run's timeout. A run must not go without its timeout: a
 * failure here fails the run before the barrier (rc->failed says which).
 * Returns 0 or -errno. */
static int arm_timeout(struct run_ctx *rc)
{
	const struct campaign *c = rc->o->campaign;
	struct itimerspec its = { 0 };
	double s = c->timeout_s;

	/* the campaign's time limit, when it comes first */
	if (rc->deadline_ns && (double)(rc->deadline_ns - mono_ns()) / 1e9 < s)
		s = rc->deadline_ns > mono_ns() ? (double)(rc->deadline_ns - mono_ns()) / 1e9 : 0;
	its.it_value.tv_sec = (time_t)s;
	its.it_value.tv_nsec = (long)((s - (double)(time_t)s) * 1e9);
	if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
		its.it_value.tv_nsec = 1;
	if (timerfd_settime(rc->timer_fd, 0, &its, NULL) < 0) {
		rc->failed = "arming its timeout";
		return -errno;
	}
	return 0;
}

/* With a timeline, arms the sampling tick on CLOCK_MONOTONIC at whole
 * intervals after release_ns, so that tick k is at k intervals after the
 * barrier, not after the moment it was armed. Called just before the
 * barrier opens; a failure fails the run as arm_timeout's does. */
static int arm_tick(struct run_ctx *rc)
{
	const struct campaign *c = rc->o->campaign;
	int ms = c->interval_ms > 0 ? c->interval_ms : TASKS_POLL_MS;
	struct itimerspec tick = { .it_interval = { ms / 1000, (long)(ms % 1000) * 1000000 } };
	int64_t first = rc->release_ns + (int64_t)ms * 1000000;

	tick.it_value.tv_sec = (time_t)(first / 1000000000);
	tick.it_value.tv_nsec = (long)(first % 1000000000);
	if (timerfd_settime(rc->sample_fd, TFD_TIMER_ABSTIME, &tick, NULL) < 0) {
		rc->failed = "arming its sampling timer";
		return -errno;
	}
	return 0;
}

/* Whatever is still open when the workers are gone: the co-runners'
 * reports, the last output, then every process reaped so that none
 * outlives its run. r < 0: the run never got going, kill its workers. */
static void teardown(struct run_ctx *rc, int r)
{
	struct itimerspec off = { 0 };

	corunners_stop(rc->corun, &rc->res->corun);
	rc->corun = NULL;
	if (r < 0)
		kill_worker_groups(rc);
	for (size_t i = 0; i < rc->nw && r < 0; i++)
		if (rc->ws[i].pid > 0 && !rc->ws[i].reaped) {
			waitpid(rc->ws[i].pid, NULL, 0);
			rc->ws[i].reaped = 1;
		}
	kill_leftovers(rc);
	for (size_t i = 0; i < rc->nw; i++) {
		struct wstate *s = &rc->ws[i];

		if (s->out_fd >= 0)
			capture_drain(s->out_fd, &rc->res->workers[i].out);
		if (s->err_fd >= 0)
			capture_drain(s->err_fd, &rc->res->workers[i].err);
		spawn_close(&s->out_fd);
		spawn_close(&s->err_fd);
		spawn_close(&s->status_fd);
		spawn_close(&s->pidfd);
	}
	/* cannot fail with these arguments; a timer left armed would only
	 * fire unread, and arming it for the next run clears what it counted */
	(void)timerfd_settime(rc->timer_fd, 0, &off, NULL);
	(void)timerfd_settime(rc->sample_fd, 0, &off, NULL);
	spawn_close(&rc->go_read);
	spawn_close(&rc->go_write);
	rc->res->run_delay_ns = tasks_run_delay(rc->tasks);
	tasks_free(rc->tasks);
	rc->tasks = NULL;
}

/* Performs one run into rc->res (filled by the caller with the workload and
 * counts): placement, co-runners, workers forked to the barrier, timers,
 * release, the event loop, teardown. Returns 0, or -errno when the run could
 * not be set up at all (rc->failed may say at what). */
static int run_one(struct run_ctx *rc, const struct plan_run *pr)
{
	const struct campaign *c = rc->o->campaign;
	int *cores = xcalloc((size_t)pr->n_workers, sizeof(int)), r;
	struct cpustat before = { 0 }, after = { 0 };
	cpu_set_t reserved;

	rc->nw = rc->res->workload->mode == MODE_TEAM ? 1 : (size_t)pr->n_workers;
	rc->ws = xcalloc(rc->nw, sizeof(*rc->ws));
	rc->res->workers = xcalloc(rc->nw, sizeof(*rc->res->workers));
	rc->res->nworkers = rc->nw;
	for (size_t i = 0; i < rc->nw; i++)
		rc->ws[i] = (struct wstate){ .pid = -1, .pidfd = -1, .status_fd = -1, .out_fd = -1, .err_fd = -1 };

	r = topology_place(rc->o->topo, pr->variant && pr->variant->placement >= 0 ? (enum placement)pr->variant->placement
										 : c->placement,
			   pr->n_workers, c->oversubscribe, cores);
	if (r == 0 && pr->corunner)
		r = start_corunners(rc, pr);
	if (r == 0)
		r = spawn_workers(rc, pr, cores);
	if (r == 0) {
		report_spawned(rc);
		r = arm_timeout(rc);
	}
	if (r == 0) {
		probe_set_start(rc->probes);
		(void)cpustat_read(&before); /* unreadable: the noise stays unknown */
		rc->release_ns = mono_ns();
		poll_tasks(rc, rc->release_ns); /* the timeline's wait starts from here */
		r = arm_tick(rc);
		if (r < 0)
			probe_set_stop(rc->probes);
	}
	if (r == 0) {
		spawn_close(&rc->go_write); /* the barrier: every worker wakes now */
		spawn_close(&rc->go_read);
		event_loop(rc);
		probe_set_stop(rc->probes);
		(void)cpustat_read(&after);
		reserved_cpus(rc, pr, cores, &reserved);
		cpustat_diff(&before, &after, &reserved, &rc->res->noise);
	}
	cpustat_clear(&before);
	cpustat_clear(&after);
	teardown(rc, r);
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
	free(res->waits);
	memset(res, 0, sizeof(*res));
}

/* ---- 5. the campaign loop --------------------------------------------- */

/* The timeline's run-queue wait, as samples of the first worker named
 * "run-queue-wait": the wait of every task between two polls. */
static int store_waits(struct store *st, const struct run_result *res, int64_t run_id, int64_t worker_id)
{
	int r = 0;

	for (size_t k = 1; r == 0 && k < res->nwaits; k++) {
		const struct wait_point *a = &res->waits[k - 1], *b = &res->waits[k];
		uint64_t dt = (uint64_t)(b->t_ns - a->t_ns);
		struct sample_row row = { worker_id, b->t_ns, WAIT_EVENT,
					  b->delay_ns > a->delay_ns ? (uint64_t)(b->delay_ns - a->delay_ns) : 0, dt, dt };

		if (b->t_ns > a->t_ns)
			r = store_sample(st, run_id, &row);
	}
	return r;
}

static int store_run(const struct runner_opts *o, struct probe_set *probes, const struct run_result *res,
		     char **ret_error)
{
	int64_t run_id, *wids = xcalloc(res->nworkers, sizeof(int64_t));
	int r = store_run_begin(o->store);

	if (r == 0)
		r = store_run_insert(o->store, o->campaign_id, res, &run_id, wids);
	if (r == 0)
		r = probe_set_store(probes, o->store, res, run_id, wids);
	if (r == 0 && res->nworkers)
		r = store_waits(o->store, res, run_id, wids[0]);
	if (r == 0)
		r = store_run_figures(o->store, run_id);
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

/* The timerfds, /dev/null and the subreaper role every run needs. Returns 0
 * or -errno with a fresh *ret_error. */
static int runner_setup(struct run_ctx *rc, char **ret_error)
{
	int r;

	/* descendants that outlive their worker come back to us to be killed */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		goto fail;
	rc->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (rc->timer_fd < 0)
		goto fail;
	rc->sample_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (rc->sample_fd < 0)
		goto fail;
	rc->devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (rc->devnull < 0)
		goto fail;
	return 0;
fail:
	r = -errno;
	*ret_error = xasprintf("cannot set up the runner: %s", strerror(-r));
	return r;
}

/* The co-runners' settings, the same for every run of the campaign. */
static struct corunner_opts corunner_opts(const struct run_ctx *rc)
{
	const struct runner_opts *o = rc->o;

	return (struct corunner_opts){
		.topo = o->topo, .placement = o->campaign->placement, .kernels = o->campaign->kernels,
		.cache_bytes = o->cache_hog_bytes, .env = base_env(o), .creds = o->creds, .devnull = rc->devnull,
	};
}

/* A run's result before it runs: what it is, when it starts. */
static void result_init(const struct runner_opts *o, const struct plan_run *pr, struct run_result *res)
{
	const struct campaign *c = o->campaign;
	const struct workload *wl = &c->workloads[pr->workload];
	const struct builtin *b = wl->builtin ? builtin_find(wl->builtin) : NULL;

	memset(res, 0, sizeof(*res));
	res->seq = pr->seq;
	if (b)
		res->working_set_bytes = builtin_working_set(b, wl->args, wl->args_count, run_scale(c, pr),
							     (double)topology_l3_bytes(o->topo));
	res->corun.rate_alone = res->corun.rate_beside = NAN;
	res->corun.cache_ns_alone = res->corun.cache_ns_beside = NAN;
	host_noise_unknown(&res->noise);
	res->run_delay_ns = -1;
	res->workload = wl;
	res->n_workers = pr->n_workers;
	res->repetition = pr->repetition;
	res->variant = pr->variant;
	utc_now(res->started_at, sizeof(res->started_at));
}

/* Reports phase to the progress callback with the campaign's elapsed time
 * and, once runs (warm-ups included) are behind, its estimated time left.
 * A warm-up run is reported only where the caller asked for them: the
 * daemon's queue counts every DONE as a stored run. */
static void report_progress(struct run_ctx *rc, enum progress_phase phase)
{
	struct runner_progress *p = rc->tick_state;
	double elapsed = (double)(mono_ns() - rc->campaign_start) / 1e9;

	p->phase = phase;
	p->elapsed_s = elapsed;
	p->eta_s = rc->units_done ? elapsed / (double)rc->units_done * (double)(rc->units_total - rc->units_done) : -1;
	if (rc->o->progress && (!p->warmup || rc->o->report_warmups))
		rc->o->progress(rc->o->progress_arg, p);
}

/* Run pr, from its start to its stored rows (none for a warm-up run: not
 * store). Returns 0 or -errno with a fresh *ret_error: it could not be
 * started, or not be stored. */
static int perform_run(struct run_ctx *rc, const struct plan_run *pr, struct run_result *res, int store,
		       char **ret_error)
{
	int r;

	rc->res = res;
	rc->timed_out = 0;
	rc->over_time = 0;
	rc->failed = NULL;
	r = run_one(rc, pr);
	if (r < 0)
		*ret_error = xasprintf("%srun %d (%s, %d workers) could not be started: %s%s%s",
				       store ? "" : "the warm-up before ", pr->seq, res->workload->name, pr->n_workers, rc->failed ? rc->failed : "",
				       rc->failed ? ": " : "", strerror(-r));
	else
		conclude(rc);
	free(rc->ws);
	rc->ws = NULL;
	if (r == 0 && store)
		r = store_run(rc->o, rc->probes, res, ret_error);
	probe_set_run_end(rc->probes);
	return r;
}

/* The campaign's limits after run pr (more: runs are left): 0 to go on,
 * or -ETIME, -EFBIG, or -EIO (the database's size unreadable) with a
 * fresh *ret_error. base_bytes: the database's size before the first run. */
static int check_limits(const struct run_ctx *rc, const struct plan_run *pr, int more, int64_t base_bytes,
			char **ret_error)
{
	const struct runner_limits *l = rc->o->limits;
	int64_t used;

	if (!l)
		return 0;
	if (rc->over_time || (more && rc->deadline_ns && mono_ns() >= rc->deadline_ns)) {
		*ret_error = xasprintf("stopped after run %d: the campaign's runs took %.1f s, beyond its limit of %g s (%s)",
				       pr->seq, (double)(mono_ns() - rc->campaign_start) / 1e9, l->max_seconds,
				       l->seconds_what ? l->seconds_what : "its limit");
		return -ETIME;
	}
	if (!more || l->max_growth_bytes <= 0)
		return 0;
	if (store_used_bytes(rc->o->store, &used) < 0) {
		*ret_error = xasprintf("the database's size could not be read: %s", store_errmsg(rc->o->store));
		return -EIO;
	}
	if (used - base_bytes > l->max_growth_bytes) {
		*ret_error = xasprintf("stopped after run %d: the campaign grew the database by %lld bytes, beyond its "
				       "limit of %lld (%s)",
				       pr->seq, (long long)(used - base_bytes), (long long)l->max_growth_bytes,
				       l->growth_what ? l->growth_what : "its limit");
		return -EFBIG;
	}
	return 0;
}

/* The bit of workload w at n workers in warmup_marks' set. */
static size_t warm_bit(size_t w, int n)
{
	return w * ((size_t)WARM_MAX_N + 1) + (size_t)n;
}

/* A bit per (workload, worker count) that still needs its warm-up (set)
 * or had it (cleared), and in *ret_warmups how many warm-up runs that
 * makes: the campaign's warmup for each pair of an ordinary run of plan
 * (a resumed plan warms up what it still runs). NULL without warm-ups. */
static uint8_t *warmup_marks(const struct campaign *c, const struct plan *plan, size_t *ret_warmups)
{
	uint8_t *marks;
	size_t pairs = 0;

	*ret_warmups = 0;
	if (c->warmup <= 0)
		return NULL;
	marks = xcalloc(c->nworkloads * ((size_t)WARM_MAX_N + 1) / 8 + 1, 1);
	for (size_t i = 0; i < plan->nruns; i++) {
		const struct plan_run *pr = &plan->runs[i];
		size_t b = warm_bit(pr->workload, pr->n_workers);

		if (pr->corunner || pr->n_workers > WARM_MAX_N || (marks[b / 8] & (1u << b % 8)))
			continue;
		marks[b / 8] |= (uint8_t)(1u << b % 8);
		pairs++;
	}
	*ret_warmups = pairs * (size_t)c->warmup;
	return marks;
}

/* The warm-up runs before pr when it is the first run of its workload at
 * its worker count: made like it, reported as warm-ups, stored nowhere.
 * A failed warm-up is reported and the measured runs go on (they will
 * fail the same way, and are stored with the reason). Returns 0 (and
 * rc->interrupted when a signal stopped a warm-up), or -errno with a
 * fresh *ret_error: a warm-up could not be started, or the campaign's
 * time ran out during them. */
static int warm_up(struct run_ctx *rc, const struct plan_run *pr, uint8_t *marks, char **ret_error)
{
	const struct campaign *c = rc->o->campaign;
	struct runner_progress *p = rc->tick_state;
	size_t b;
	int r = 0;

	if (!marks || pr->corunner || pr->n_workers > WARM_MAX_N)
		return 0;
	b = warm_bit(pr->workload, pr->n_workers);
	if (!(marks[b / 8] & (1u << b % 8)))
		return 0;
	marks[b / 8] &= (uint8_t) ~(1u << b % 8);
	p->warmups = c->warmup;
	for (int k = 1; k <= c->warmup && r == 0 && !rc->interrupted; k++) {
		struct run_result res;

		if (pending_signal(rc->o->sigfd)) {
			rc->interrupted = 1;
			break;
		}
		result_init(rc->o, pr, &res);
		p->warmup = k;
		p->workload = res.workload;
		p->result = NULL;
		report_progress(rc, PROGRESS_START);
		r = perform_run(rc, pr, &res, 0, ret_error);
		rc->units_done++;
		if (r == 0) {
			p->result = &res;
			report_progress(rc, PROGRESS_DONE);
		}
		result_clear(&res);
		if (r == 0 && (rc->over_time || (rc->deadline_ns && mono_ns() >= rc->deadline_ns))) {
			const struct runner_limits *l = rc->o->limits;

			*ret_error = xasprintf("stopped during the warm-up before run %d: the campaign's runs took "
					       "%.1f s, beyond its limit of %g s (%s)",
					       pr->seq, (double)(mono_ns() - rc->campaign_start) / 1e9, l->max_seconds,
					       l->seconds_what ? l->seconds_what : "its limit");
			r = -ETIME;
		}
	}
	p->warmup = 0;
	p->result = NULL;
	return r;
}

static void count_run(struct runner_summary *sum, const struct run_result *res)
{
	sum->runs_done++;
	sum->runs_ok += res->status == RUN_OK;
	sum->runs_failed += res->status == RUN_FAILED;
	sum->runs_timeout += res->status == RUN_TIMEOUT;
}

int runner_run_campaign(const struct runner_opts *o, const struct plan *plan,
			struct runner_summary *ret_summary, char **ret_error)
{
	const struct campaign *c = o->campaign;
	const struct runner_limits *l = o->limits;
	struct probe_env env = {
		.events = c->events, .nevents = c->nevents, .bandwidth = c->bandwidth,
		.mc_read = c->mc_read, .mc_read_count = c->mc_read_count,
		.mc_write = c->mc_write, .mc_write_count = c->mc_write_count,
		.store = o->store, .max_samples = l ? l->max_samples : 0, .max_samples_what = l ? l->samples_what : NULL,
		.profile_hz = c->profile_hz, .profile_offcpu = c->profile_offcpu,
	};
	int64_t base_bytes = 0;
	struct run_ctx rc = { .o = o, .timer_fd = -1, .sample_fd = -1, .devnull = -1, .go_read = -1, .go_write = -1 };
	struct runner_progress prog = { .total = plan->nruns, .repetitions = c->repetitions };
	uint8_t *warmed = NULL;
	int r;

	memset(ret_summary, 0, sizeof(*ret_summary));
	*ret_error = NULL;
	rc.tick_state = &prog;
	rc.campaign_start = mono_ns();
	if (l && l->max_seconds > 0)
		rc.deadline_ns = rc.campaign_start + (int64_t)(l->max_seconds * 1e9);
	if (l && l->max_growth_bytes > 0 && store_used_bytes(o->store, &base_bytes) < 0) {
		*ret_error = xasprintf("the database's size could not be read: %s", store_errmsg(o->store));
		return -EIO;
	}
	r = probe_set_new(&env, &rc.probes);
	if (r < 0) {
		*ret_error = xasprintf("cannot set up the probes: %s", strerror(-r));
		return r;
	}
	r = runner_setup(&rc, ret_error);
	if (r < 0)
		goto out;
	rc.corun_opts = corunner_opts(&rc);

	warmed = warmup_marks(c, plan, &rc.units_total);
	rc.units_total += plan->nruns;
	for (size_t i = 0; i < plan->nruns && !rc.interrupted; i++) {
		const struct plan_run *pr = &plan->runs[i];
		struct run_result res;

		if (pending_signal(o->sigfd)) {
			rc.interrupted = 1;
			break;
		}
		prog.index = i + 1;
		prog.run = pr;
		r = warm_up(&rc, pr, warmed, ret_error);
		if (r < 0)
			goto out;
		if (rc.interrupted)
			break;
		result_init(o, pr, &res);
		prog.workload = res.workload;
		prog.result = NULL;
		report_progress(&rc, PROGRESS_START);
		r = perform_run(&rc, pr, &res, 1, ret_error);
		rc.units_done++;
		if (r == 0) {
			count_run(ret_summary, &res);
			prog.result = &res;
			report_progress(&rc, PROGRESS_DONE);
		}
		result_clear(&res);
		if (r == 0)
			r = check_limits(&rc, pr, i + 1 < plan->nruns, base_bytes, ret_error);
		if (r < 0)
			goto out;
	}
	r = rc.interrupted ? -EINTR : 0;
	ret_summary->interrupted = rc.interrupted;
out:
	free(warmed);
	probe_set_free(rc.probes);
	if (rc.timer_fd >= 0)
		close(rc.timer_fd);
	if (rc.sample_fd >= 0)
		close(rc.sample_fd);
	if (rc.devnull >= 0)
		close(rc.devnull);
	return r;
}
