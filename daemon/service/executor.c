/* executor.c: one campaign of the daemon's queue (see executor.h). */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "service/executor.h"
#include "engine/ceiling.h"
#include "engine/lock.h"
#include "base/log.h"
#include "service/proto.h"
#include "store/queue.h"
#include "engine/runner.h"
#include "engine/session.h"
#include "engine/spawn.h"
#include "store/publish.h"
#include "store/store.h"
#include "host/topology.h"
#include "base/util.h"
#include "base/version.h"

struct exec_ctx {
	const struct executor_args *a;
	struct store *st;
	int64_t qid;
	const struct queue_item *it;
	int runs_before;        /* runs stored before a resume */
	int total;
	int64_t published_ns;   /* when the members' copy was last published; 0: not yet */
	int64_t publish_cost_ns; /* how long that took */
};

/* Publishes the members' copy of the database (store/publish.h) when
 * forced, or when shared_interval_s and ten times the last copy's cost
 * have passed: a large database is copied less often, so that copying
 * takes at most a tenth of the time between runs. */
static void publish(struct exec_ctx *x, int force)
{
	int64_t now = mono_ns(), wait_ns = (int64_t)(x->a->shared_interval_s * 1e9);

	if (!x->a->shared_path)
		return;
	if (wait_ns < 10 * x->publish_cost_ns)
		wait_ns = 10 * x->publish_cost_ns;
	if (!force && x->published_ns && now - x->published_ns < wait_ns)
		return;
	if (store_publish(x->st, x->a->shared_path, x->a->shared_gid) < 0)
		log_warnx("queue %lld: the members' copy was not updated: %s", (long long)x->qid, store_errmsg(x->st));
	x->published_ns = mono_ns();
	x->publish_cost_ns = x->published_ns - now;
}

static void emit(int fd, json_object *o)
{
	char *line = proto_line(o);
	size_t len = strlen(line), off = 0;

	/* the daemon reads promptly; a vanished daemon is not our problem
	 * (we die with it) */
	while (off < len) {
		ssize_t n = write(fd, line + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	free(line);
}

static json_object *run_event(const char *event, const struct runner_progress *p, int index, int total)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "event", json_object_new_string(event));
	json_object_object_add(o, "index", json_object_new_int(index));
	json_object_object_add(o, "total", json_object_new_int(total));
	json_object_object_add(o, "workload", json_object_new_string(p->workload->name));
	json_object_object_add(o, "n_workers", json_object_new_int(p->run->n_workers));
	json_object_object_add(o, "repetition", json_object_new_int(p->run->repetition));
	json_object_object_add(o, "corunner", p->run->corunner ? json_object_new_string(corunner_name(p->run->corunner))
							       : NULL);
	return o;
}

static void on_progress(void *arg, const struct runner_progress *p)
{
	struct exec_ctx *x = arg;
	int index = x->runs_before + (int)p->index;

	switch (p->phase) {
	case PROGRESS_START: {
		struct queue_current cur = {
			.seq = p->run->seq, .workload = p->workload->name, .mode = wl_mode_name(p->workload->mode),
			.corunner = corunner_name(p->run->corunner), .n = p->run->n_workers,
			.repetition = p->run->repetition,
		};

		if (queue_set_current(x->st, x->qid, &cur, index - 1) < 0)
			log_error("queue %lld: %s", (long long)x->qid, store_errmsg(x->st));
		emit(x->a->progress_fd, run_event("start", p, index, x->total));
		break;
	}
	case PROGRESS_SPAWNED:
		if (queue_set_pgids(x->st, x->qid, p->pgids, p->npgids) < 0)
			log_error("queue %lld: %s", (long long)x->qid, store_errmsg(x->st));
		break;
	case PROGRESS_DONE: {
		json_object *o = run_event("run", p, index, x->total);

		json_object_object_add(o, "status", json_object_new_string(run_status_name(p->result->status)));
		if (p->result->wall_ns >= 0)
			json_object_object_add(o, "wall_s", json_object_new_double((double)p->result->wall_ns / 1e9));
		if (p->result->error)
			json_object_object_add(o, "error", json_object_new_string(p->result->error));
		if (queue_set_current(x->st, x->qid, NULL, index) < 0)
			log_error("queue %lld: %s", (long long)x->qid, store_errmsg(x->st));
		emit(x->a->progress_fd, o);
		publish(x, 0);
		break;
	}
	case PROGRESS_TICK:
		break;
	}
}

/* A clean environment for the submitter: who they are and a standard
 * PATH; the campaign adds its own env on top. */
static char **submitter_env(uid_t uid)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	char **env = xcalloc(8, sizeof(char *));
	size_t k = 0;

	env[k++] = xstrdup("PATH=" SPAWN_DEFAULT_PATH);
	env[k++] = xstrdup("LANG=C.UTF-8");
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res) {
		env[k++] = xasprintf("HOME=%s", res->pw_dir);
		env[k++] = xasprintf("USER=%s", res->pw_name);
		env[k++] = xasprintf("LOGNAME=%s", res->pw_name);
		env[k++] = xasprintf("SHELL=%s", res->pw_shell && *res->pw_shell ? res->pw_shell : "/bin/sh");
	} else {
		env[k++] = xstrdup("HOME=/");
	}
	return env;
}

static void free_strv(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

/* The session's hooks (session.h): the queue entry follows the campaign,
 * and the daemon hears of it as JSON lines. */
static int on_begun(void *arg, int64_t cid, size_t nruns, size_t runs_before, char **ret_error)
{
	struct exec_ctx *x = arg;

	x->runs_before = (int)runs_before;
	x->total = (int)(nruns + runs_before);
	if (x->it->campaign_id == 0 && queue_set_campaign(x->st, x->qid, cid, x->total) < 0) {
		*ret_error = xasprintf("database: %s", store_errmsg(x->st));
		return -EIO;
	}
	if (x->it->campaign_id)
		log_info("queue %lld: resuming campaign %lld: %d of %d runs stored, %zu to go", (long long)x->qid,
			 (long long)cid, x->runs_before, x->total, nruns);
	if (queue_set_status(x->st, x->qid, "running", NULL) < 0) {
		*ret_error = xasprintf("database: %s", store_errmsg(x->st));
		return -EIO;
	}
	return 0;
}

/* confirm: the queue's total grows by the interventions' runs, and the
 * progress that follows counts after every planned run. */
static void on_confirm_start(void *arg, int64_t cid, size_t nruns, size_t stored, const char *summary)
{
	struct exec_ctx *x = arg;

	x->runs_before = x->total + (int)stored;
	x->total += (int)(nruns + stored);
	if (queue_set_campaign(x->st, x->qid, cid, x->total) < 0)
		log_error("queue %lld: %s", (long long)x->qid, store_errmsg(x->st));
	char *line = xstrdup(summary);

	for (char *c = line; *c; c++)
		if (*c == '\n')
			*c = c[1] ? ';' : '\0';
	log_info("queue %lld: confirm: %zu runs of interventions (%zu stored already)%s%s", (long long)x->qid, nruns,
		 stored, *line ? ": " : "", line);
	free(line);
}

static void on_ceiling_start(void *arg, struct ceiling_opts *co)
{
	struct exec_ctx *x = arg;
	json_object *o = json_object_new_object();

	json_object_object_add(o, "event", json_object_new_string("ceiling"));
	emit(x->a->progress_fd, o);
}

static void on_ceiling_end(void *arg, int r, const struct ceiling *c, const char *why)
{
	struct exec_ctx *x = arg;

	/* the campaign goes on without it, unless it was stopped */
	if (r < 0 && r != -EINTR)
		log_error("queue %lld: measuring the ceiling: %s", (long long)x->qid, why ? why : "failed");
}

/* Whether the submitter can enter every workload's directory, asked as
 * the submitter (a child that takes their credentials and tries each): 0,
 * or -errno with a fresh *ret_error naming the first that failed. The
 * daemon never enters them itself: what root can reach proves nothing. */
static int check_dirs(const struct campaign *c, const struct spawn_creds *creds, char **ret_error)
{
	int fds[2], status, e = 0;
	int32_t msg[2] = { -1, 0 }; /* the workload that failed, and its errno */
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid == 0) {
		int r = spawn_take_creds(creds);

		for (size_t i = 0; r == 0 && i < c->nworkloads; i++)
			if (c->workloads[i].cwd && chdir(c->workloads[i].cwd) < 0) {
				msg[0] = (int32_t)i;
				msg[1] = errno;
			}
		if (r < 0)
			msg[1] = -r;
		_exit(write(fds[1], msg, sizeof(msg)) == (ssize_t)sizeof(msg) ? 0 : 1);
	}
	close(fds[1]);
	if (pid < 0)
		e = errno;
	else if (read(fds[0], msg, sizeof(msg)) != (ssize_t)sizeof(msg))
		e = EIO;
	close(fds[0]);
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	if (e)
		*ret_error = xasprintf("cannot check the workloads' directories: %s", strerror(e));
	else if (msg[1] && msg[0] < 0)
		*ret_error = xasprintf("cannot run as uid %d, gid %d: %s", (int)creds->uid, (int)creds->gid,
				       strerror(msg[1]));
	else if (msg[1])
		*ret_error = xasprintf("workload '%s': cannot change to directory '%s' as user %d: %s",
				       c->workloads[msg[0]].name, c->workloads[msg[0]].cwd, (int)creds->uid,
				       strerror(msg[1]));
	return e ? -e : msg[1] ? -msg[1] : 0;
}

/* The experiment lock for queue entry it: its descriptor, -EBUSY after
 * telling the daemon who holds it, or another -errno after a warning (the
 * campaign runs unguarded). */
static int take_lock(const struct executor_args *a, const struct queue_item *it)
{
	char *who = xasprintf("scalprofd (pid %d): queue %lld, campaign '%s' of user %s", (int)a->daemon_pid,
			      (long long)it->id, it->name, it->user);
	char *holder = NULL;
	int fd = lock_take(a->lock_path, who, &holder);

	if (fd == -EBUSY) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "event", json_object_new_string("waiting"));
		json_object_object_add(o, "holder", json_object_new_string(holder));
		emit(a->progress_fd, o);
	} else if (fd < 0) {
		log_warnx("queue %lld: %s: running without the experiment lock", (long long)it->id, holder);
	}
	free(holder);
	free(who);
	return fd;
}

/* The queued campaign as submitted, with the defaults it was submitted
 * under: a reload since must not change its plan, least of all when it
 * resumes. Returns 0, or -errno with a fresh *ret_error. */
static int load_queued(const struct queue_item *it, struct topology **ret_topo, struct campaign **ret_c,
		       char **ret_error)
{
	int r = topology_new(ret_topo);

	if (r < 0) {
		*ret_error = xasprintf("cannot read the machine's topology: %s", strerror(-r));
		return r;
	}
	r = campaign_parse_submitted(it->source, it->yaml, strlen(it->yaml), *ret_topo, &it->defaults, ret_c,
				    ret_error);
	if (r == 0 && it->scale > 0)
		r = campaign_set_scale(*ret_c, it->scale);
	if (r < 0 && !*ret_error)
		*ret_error = xasprintf("invalid scale %g", it->scale);
	return r;
}

/* The queue entry's end after the session: its status, and the exit status
 * of the executor. */
static int queue_outcome(struct exec_ctx *x, int r, const struct session_result *res)
{
	const char *status = r == -EINTR ? "interrupted" : r < 0 ? "failed" : "done";
	char *db = res->db_error ? xasprintf("database: %s", res->error) : NULL;
	const char *msg = db ? db : res->error ? res->error : r < 0 ? "failed" : NULL;

	if (r < 0 && r != -EINTR)
		log_error("queue %lld: %s", (long long)x->qid, msg);
	if (queue_set_status(x->st, x->qid, status, msg) < 0)
		log_error("queue %lld: %s", (long long)x->qid, store_errmsg(x->st));
	if (res->verdict_error)
		log_error("queue %lld: %s", (long long)x->qid, res->verdict_error);
	free(db);
	return r == -EINTR ? EXECUTOR_INTERRUPTED : r < 0 ? EXECUTOR_FAILED : EXECUTOR_DONE;
}

/* The campaign of queue entry x->it, as its submitter, through the
 * session; returns the executor's exit status. */
static int run_queued(struct exec_ctx *x, const struct topology *topo, const struct campaign *c, int sigfd)
{
	const struct queue_item *it = x->it;
	const struct config_limits *cl = x->a->limits;
	struct spawn_creds creds = { .uid = it->uid, .gid = it->gid, .groups = it->groups, .ngroups = it->ngroups,
				     .nproc = (rlim_t)cl->max_processes_per_user };
	char *seconds_what = xasprintf("max_campaign_seconds in %s", x->a->config_path);
	char *growth_what = xasprintf("max_db_growth_bytes in %s", x->a->config_path);
	char *samples_what = xasprintf("max_samples_per_run in %s", x->a->config_path);
	struct runner_limits limits = {
		.max_seconds = cl->max_campaign_seconds, .seconds_what = seconds_what,
		.max_growth_bytes = cl->max_db_growth_bytes, .growth_what = growth_what,
		.max_samples = cl->max_samples_per_run, .samples_what = samples_what,
	};
	char **env = submitter_env(it->uid);
	struct session_hooks hooks = {
		.arg = x, .begun = on_begun, .confirm_start = on_confirm_start, .ceiling_start = on_ceiling_start, .ceiling_end = on_ceiling_end,
		.progress = on_progress,
	};
	struct session_opts so = {
		.kind = SESSION_DAEMON, .campaign = c, .topo = topo, .store = x->st, .user = it->user, .uid = it->uid,
		.resume_id = it->campaign_id, .measure_ceiling = 1, .ceiling_optional = 1, .sigfd = sigfd,
		.creds = &creds, .base_env = env, .version = scalprof_version(), .hooks = &hooks,
		.limits = &limits,
	};
	struct session_result res;
	const char *what;
	int r, ex;

	/* checked when scalprofd started: a bad value cannot come here */
	(void)ceiling_max_bytes(NULL, &so.ceiling_max_bytes, &what);
	memset(&res, 0, sizeof(res));
	r = check_dirs(c, &creds, &res.error);
	if (r == 0)
		r = session_run(&so, &res);
	ex = queue_outcome(x, r, &res);
	session_result_clear(&res);
	free_strv(env);
	free(seconds_what);
	free(growth_what);
	free(samples_what);
	return ex;
}

int executor_main(const struct executor_args *a)
{
	struct queue_item it = { 0 };
	struct exec_ctx x = { .a = a, .qid = a->queue_id, .it = &it };
	struct topology *topo = NULL;
	struct campaign *c = NULL;
	char *err = NULL;
	int ex = EXECUTOR_FAILED, sigfd, lockfd = -1;

	/* dies with the daemon, and its workers with it (they have the same
	 * signal for us) */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != a->daemon_pid)
		return EXECUTOR_FAILED;
	sigfd = signals_fd();
	if (store_open(a->db_path, &x.st, &err) < 0) {
		log_error("queue %lld: %s", (long long)a->queue_id, err);
		free(err);
		if (sigfd >= 0)
			close(sigfd);
		return EXECUTOR_FAILED;
	}
	store_persist_wal(x.st);
	/* runs come seconds apart: a small page cache keeps a long campaign's
	 * memory flat (the 64 MiB of store_open serve bulk ingest) */
	if (store_set_cache_kib(x.st, 1024) < 0)
		log_warnx("queue %lld: %s", (long long)a->queue_id, store_errmsg(x.st));
	if (queue_get(x.st, a->queue_id, &it) < 0) {
		log_error("queue %lld: %s", (long long)a->queue_id, store_errmsg(x.st));
		goto out;
	}
	lockfd = take_lock(a, &it);
	if (lockfd == -EBUSY) {
		ex = EXECUTOR_LOCKED;
		goto out;
	}
	if (load_queued(&it, &topo, &c, &err) < 0) {
		struct session_result none = { .error = err };

		ex = queue_outcome(&x, -EINVAL, &none);
		goto out;
	}
	ex = run_queued(&x, topo, c, sigfd);
	publish(&x, 1);
out:
	free(err);
	campaign_free(c);
	topology_free(topo);
	queue_item_clear(&it);
	store_close(x.st);
	if (lockfd >= 0)
		close(lockfd);
	if (sigfd >= 0)
		close(sigfd);
	return ex;
}
