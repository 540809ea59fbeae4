/* sched.c: the executor child of scalprofd, from fork to reap (see sched.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "base/log.h"
#include "base/util.h"
#include "service/conn.h"
#include "service/executor.h"
#include "service/proto.h"
#include "service/sched.h"
#include "service/watch.h"
#include "store/queue.h"

#define LOCK_RETRY_NS 2000000000LL /* the experiment lock was held: try again then */

void sched_status(struct daemon *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->status_line, sizeof(d->status_line), fmt, ap);
	va_end(ap);
	sd_notifyf(0, "STATUS=%s", d->status_line);
}

void sched_kill(struct daemon *d, int sig)
{
	/* ESRCH: it is dead already, and its SIGCHLD is on the way */
	if (d->exec_pid > 0 && kill(d->exec_pid, sig) < 0 && errno != ESRCH)
		log_error("queue %lld: signalling the executor: %s", (long long)d->exec_qid, strerror(errno));
}

/* queue_recover's callback: SIGKILL to a cut-off run's process groups. */
static void kill_groups(void *arg, int64_t id, const char *name, const char *pgids)
{
	int killed = 0;

	for (const char *p = pgids; p && *p;) {
		char *end;
		long g = strtol(p, &end, 10);

		if (end == p)
			break;
		if (g > 1 && kill((pid_t)-g, SIGKILL) == 0)
			killed++;
		p = *end == ',' ? end + 1 : end;
	}
	log_warnx("queue %lld: campaign '%s' was cut off by a stop of scalprofd; SIGKILL sent to the %d process "
		  "group%s of its last run still known to the kernel; it resumes", (long long)id, name, killed,
		  killed == 1 ? "" : "s");
	(void)arg;
}

int sched_recover(struct daemon *d)
{
	int r = queue_recover(d->st, d->cfg.resume_interrupted, kill_groups, d);

	if (r < 0) {
		log_error("recovering the queue: %s", store_errmsg(d->st));
		return -EIO;
	}
	if (r > 0)
		log_info("%d campaign%s to resume", r, r == 1 ? "" : "s");
	return 0;
}

/* One progress line of the executor: the status line, then the watchers. */
static void progress_line(struct daemon *d, char *line)
{
	json_object *o = json_tokener_parse(line), *w, *n, *i, *t;
	const char *ev = o ? proto_str(o, "event") : NULL;
	char *l;

	if (!o)
		return;
	if (ev && strcmp(ev, "ceiling") == 0) {
		sched_status(d, "queue %lld: measuring the machine's ceiling", (long long)d->exec_qid);
	} else if (ev && strcmp(ev, "waiting") == 0) {
		free(d->waiting_for);
		d->waiting_for = proto_str(o, "holder") ? xstrdup(proto_str(o, "holder")) : NULL;
		sched_status(d, "waiting for the experiment lock, held by %s", d->waiting_for ? d->waiting_for : "?");
	} else if (json_object_object_get_ex(o, "workload", &w) && json_object_object_get_ex(o, "n_workers", &n) &&
		   json_object_object_get_ex(o, "index", &i) && json_object_object_get_ex(o, "total", &t)) {
		sched_status(d, "queue %lld: run %d/%d: %s, %d worker%s", (long long)d->exec_qid,
			     json_object_get_int(i), json_object_get_int(t), json_object_get_string(w),
			     json_object_get_int(n), json_object_get_int(n) == 1 ? "" : "s");
	}
	json_object_put(o);
	l = xasprintf("%s\n", line);
	watch_event(d, d->exec_qid, l);
	free(l);
}

static void close_progress(struct daemon *d)
{
	(void)epoll_ctl(d->epfd, EPOLL_CTL_DEL, d->exec_fd, NULL); /* closing would do it too */
	close(d->exec_fd);
	d->exec_fd = -1;
}

void sched_read(struct daemon *d)
{
	char buf[65536], *nl;
	ssize_t n = read(d->exec_fd, buf, sizeof(buf));

	if (n <= 0) {
		if (n == 0 || errno != EINTR)
			close_progress(d);
		return;
	}
	d->exec_buf = xreallocarray(d->exec_buf, d->exec_len + (size_t)n + 1, 1);
	memcpy(d->exec_buf + d->exec_len, buf, (size_t)n);
	d->exec_len += (size_t)n;
	while ((nl = memchr(d->exec_buf, '\n', d->exec_len))) {
		*nl = '\0';
		progress_line(d, d->exec_buf);
		d->exec_len -= (size_t)(nl + 1 - d->exec_buf);
		memmove(d->exec_buf, nl + 1, d->exec_len);
	}
}

/* In the forked child: closes what belongs to the daemon's loop (the
 * clients' sockets must see EOF when the daemon closes them), restores the
 * signal mask, and becomes the executor. */
static void __attribute__((noreturn)) exec_child(struct daemon *d, int64_t qid, const int p[2])
{
	struct executor_args a = {
		.db_path = d->cfg.database, .lock_path = d->cfg.lock, .queue_id = qid,
		.progress_fd = p[1], .daemon_pid = getppid(), .shared_path = d->cfg.shared_database,
		.shared_gid = d->cfg.gid, .shared_interval_s = d->cfg.shared_interval_s,
		.limits = &d->cfg.limits,
		.config_path = d->config_path,
	};
	sigset_t none;

	for (struct conn *c = d->conns; c; c = c->next)
		close(c->fd);
	close(d->listen_fd);
	close(d->epfd);
	close(d->sig_fd);
	close(p[0]);
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		_exit(EXECUTOR_FAILED);
	_exit(executor_main(&a));
}

static void start_executor(struct daemon *d, int64_t qid)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &d->exec_fd };
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0) {
		log_error("queue %lld: pipe: %s", (long long)qid, strerror(errno));
		return;
	}
	/* the daemon's end, ready before the child can write */
	if (fcntl(p[0], F_SETFL, O_NONBLOCK) < 0 ||
	    epoll_ctl(d->epfd, EPOLL_CTL_ADD, p[0], &ev) < 0) {
		log_error("queue %lld: pipe: %s", (long long)qid, strerror(errno));
		goto err;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		log_error("queue %lld: fork: %s", (long long)qid, strerror(errno));
		goto err; /* closing p[0] takes it out of epoll */
	}
	if (pid == 0)
		exec_child(d, qid, p);
	close(p[1]);
	d->exec_pid = pid;
	d->exec_fd = p[0];
	d->exec_qid = qid;
	d->exec_len = 0;
	sched_status(d, "queue %lld: starting", (long long)qid);
	return;
err:
	close(p[0]);
	close(p[1]);
}

void sched_next(struct daemon *d)
{
	int64_t qid;

	if (d->exec_pid > 0 || d->stopping || mono_ns() < d->retry_at_ns)
		return;
	if (queue_next(d->st, &qid) < 0) {
		if (!d->waiting_for)
			sched_status(d, "idle: no campaign queued");
		return;
	}
	start_executor(d, qid);
}

/* Entry qid and its campaign end with msg; a failure to say so is logged. */
static void mark_ended(struct daemon *d, int64_t qid, const char *qstatus, const char *cstatus, const char *msg)
{
	if (queue_set_status(d->st, qid, qstatus, msg) < 0 ||
	    (cstatus && queue_end_campaign(d->st, qid, cstatus, msg) < 0))
		log_error("queue %lld: %s", (long long)qid, store_errmsg(d->st));
}

/* What the executor could not record itself: a cancel (it was stopped by
 * SIGTERM) or its own death by a signal. */
static void record_end(struct daemon *d, int64_t qid, int status)
{
	char *msg;

	if (d->cancelled_by) {
		msg = xasprintf("cancelled by %s", d->cancelled_by);
		mark_ended(d, qid, "cancelled", "interrupted", msg);
		free(d->cancelled_by);
		d->cancelled_by = NULL;
	} else if (WIFSIGNALED(status)) {
		msg = xasprintf("the executor was killed by signal %d", WTERMSIG(status));
		mark_ended(d, qid, "failed", "failed", msg);
		log_error("queue %lld: %s", (long long)qid, msg);
	} else {
		return;
	}
	free(msg);
}

void sched_reaped(struct daemon *d, int status)
{
	int64_t qid = d->exec_qid;

	/* what is left in the pipe first: the writer is gone, so it ends */
	for (int i = 0; i < 1024 && d->exec_fd >= 0; i++)
		sched_read(d);
	if (d->exec_fd >= 0)
		close_progress(d);
	d->exec_pid = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == EXECUTOR_LOCKED) {
		/* still queued; it tries again in a few seconds */
		d->retry_at_ns = mono_ns() + LOCK_RETRY_NS;
		return;
	}
	free(d->waiting_for);
	d->waiting_for = NULL;
	record_end(d, qid, status);
	log_info("queue %lld: finished (%s %d)", (long long)qid, WIFEXITED(status) ? "exit status" : "signal",
		 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	watch_end(d, qid);
	sched_status(d, "idle");
	sched_next(d);
}

int sched_cancel(struct daemon *d, int64_t qid, const char *by)
{
	char *msg;
	int r;

	if (d->exec_pid > 0 && d->exec_qid == qid) {
		free(d->cancelled_by);
		d->cancelled_by = xstrdup(by);
		sched_kill(d, SIGTERM);
		return 0;
	}
	msg = xasprintf("cancelled by %s before it started", by);
	r = queue_set_status(d->st, qid, "cancelled", msg);
	free(msg);
	if (r == 0)
		watch_end(d, qid);
	return r;
}

void sched_clear(struct daemon *d)
{
	if (d->exec_fd >= 0)
		close(d->exec_fd);
	d->exec_fd = -1;
	free(d->exec_buf);
	free(d->cancelled_by);
	free(d->waiting_for);
	d->exec_buf = d->cancelled_by = d->waiting_for = NULL;
}
