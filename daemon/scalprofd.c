/* scalprofd.c: the lab-machine service (man scalprofd(8)). It owns the
 * database, keeps a queue of submitted campaigns, runs one at a time in an
 * executor child (executor.c) with the workers as their submitter, and
 * answers clients on a Unix socket (proto.h) while it does: submit, list,
 * status, watch, cancel. One event loop over epoll: the listening socket,
 * the clients, a signalfd (SIGTERM, SIGINT, SIGHUP, SIGCHLD), the
 * executor's progress pipe, and a 250 ms tick for deadlines, the watchdog
 * and retries. systemd hears from it through sd_notify. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "service/config.h"
#include "service/executor.h"
#include "base/log.h"
#include "model/plan.h"
#include "service/proto.h"
#include "store/queue.h"
#include "analysis/report.h"
#include "store/store.h"
#include "host/topology.h"
#include "base/util.h"
#include "base/version.h"

#define OUT_MAX (8 << 20)      /* a watcher that reads nothing is dropped here */
#define MAX_CLIENTS 256
#define TICK_MS 250

static const char usage[] =
	"usage: scalprofd [--config FILE] [--foreground] [--check]\n"
	"\n"
	"The scalprof service: runs submitted campaigns one at a time, with the\n"
	"workers as the user who submitted them, and stores every run.\n"
	"  -c, --config FILE  configuration (default " CONFIG_DEFAULT_PATH ")\n"
	"  -f, --foreground   run in the foreground, logging to stderr (systemd runs\n"
	"                     it so too: the option is accepted for clarity)\n"
	"  -t, --check        check the configuration and exit\n"
	"  -h, --help         this text; -V, --version\n"
	"exit status: 0 stopped on SIGTERM, 1 could not start or serve, 2 bad usage\n"
	"or configuration\n";

struct client {
	int fd;
	uid_t uid;
	gid_t gid;
	gid_t groups[NGROUPS_MAX];
	size_t ngroups;
	char *in;
	size_t in_len;
	char *out;
	size_t out_len, out_off;
	int64_t deadline_ns;   /* the request must be complete by then */
	int64_t watch;         /* queue id followed, 0 none */
	int closing;           /* close once out is flushed */
	int eof;               /* it shut down its sending side */
	int draining;          /* our reply is sent: reading to its EOF, so that
				* closing with its data unread does not reset
				* the connection before it read our reply */
	struct client *next;
};

struct daemon {
	struct config cfg;
	const char *config_path;
	struct store *st;
	struct topology *topo;
	int epfd, listen_fd, sig_fd;
	int listen_owned;      /* bound by us, not handed over by systemd */
	struct client *clients;
	size_t nclients;
	pid_t exec_pid;
	int exec_fd;           /* progress lines from the executor */
	char *exec_buf;
	size_t exec_len;
	int64_t exec_qid;
	char *cancelled_by;    /* a cancel of the running campaign, by whom */
	int64_t retry_at_ns;   /* the experiment lock was busy: not before then */
	char *waiting_for;     /* who holds it */
	char status_line[512];
	int stopping;
	int64_t stop_deadline_ns;
	uint64_t watchdog_usec;
	int64_t next_watchdog_ns;
};

/* ---- clients -------------------------------------------------------------- */

static void client_send(struct client *c, char *line)
{
	size_t len = strlen(line);

	if (c->out_len - c->out_off + len > OUT_MAX) {
		/* a client that does not read must not make us grow */
		c->closing = 1;
		c->out_len = c->out_off;
		free(line);
		return;
	}
	c->out = xreallocarray(c->out, c->out_len + len + 1, 1);
	memcpy(c->out + c->out_len, line, len);
	c->out_len += len;
	free(line);
}

static void client_error(struct client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void client_error(struct client *c, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	client_send(c, proto_error_line(msg));
	free(msg);
	c->closing = 1;
}

static void client_ok(struct client *c, json_object *o)
{
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	client_send(c, proto_line(o));
}

static void client_free(struct daemon *d, struct client *c)
{
	struct client **p;

	for (p = &d->clients; *p && *p != c; p = &(*p)->next)
		;
	if (*p)
		*p = c->next;
	epoll_ctl(d->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c);
	d->nclients--;
}

/* Writes what it can; returns -1 when the client is gone or done. */
static int client_flush(struct daemon *d, struct client *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			client_free(d, c);
			return -1;
		}
		c->out_off += (size_t)n;
	}
	if (c->out_off == c->out_len) {
		c->out_off = c->out_len = 0;
		if (c->closing && (c->eof || c->draining)) {
			client_free(d, c);
			return -1;
		}
		if (c->closing) {
			shutdown(c->fd, SHUT_WR);
			c->draining = 1;
			c->deadline_ns = mono_ns() + 1000000000LL;
		}
	}
	{
		struct epoll_event ev = { .events = (c->eof ? 0 : EPOLLIN) | (c->out_len ? EPOLLOUT : 0), .data.ptr = c };

		epoll_ctl(d->epfd, EPOLL_CTL_MOD, c->fd, &ev);
	}
	return 0;
}

static int in_group(const struct client *c, gid_t gid)
{
	if (c->gid == gid)
		return 1;
	for (size_t i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return 1;
	return 0;
}

static void accept_client(struct daemon *d)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct client *c;
	int fd = accept4(d->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return;
	if (d->nclients >= MAX_CLIENTS || getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->fd = fd;
	c->uid = cred.uid;
	c->gid = cred.gid;
	len = sizeof(c->groups);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, c->groups, &len) == 0)
		c->ngroups = len / sizeof(gid_t);
	c->deadline_ns = mono_ns() + (int64_t)(d->cfg.client_timeout_s * 1e9);
	c->next = d->clients;
	d->clients = c;
	d->nclients++;
	{
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

		epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev);
	}
	if (c->uid != 0 && !in_group(c, d->cfg.gid)) {
		char *user = user_name(c->uid);

		log_info("refused %s (uid %u): not in group %s", user, (unsigned)c->uid, d->cfg.group);
		client_error(c, "permission denied: %s is not in the group '%s' that may use scalprofd", user,
			     d->cfg.group);
		free(user);
		client_flush(d, c);
	}
}

/* ---- requests --------------------------------------------------------------- */

static void schedule(struct daemon *d);

static void do_submit(struct daemon *d, struct client *c, struct request *req)
{
	struct campaign *camp = NULL;
	struct queue_item it = { 0 };
	size_t nruns;
	char *err = NULL;
	int64_t id;
	int r;

	/* the same loader as the client's, with the same messages */
	r = campaign_parse_defaults(req->path, req->yaml, strlen(req->yaml), d->topo, &d->cfg.defaults, &camp, &err);
	if (r == 0 && req->scale > 0 && campaign_set_scale(camp, req->scale) < 0)
		err = xasprintf("scale %g is out of range", req->scale);
	if (err) {
		client_error(c, "%s", err);
		free(err);
		campaign_free(camp);
		return;
	}
	nruns = plan_count(camp, topology_cores(d->topo));
	if (nruns > (size_t)d->cfg.max_runs) {
		client_error(c, "campaign '%s' plans %zu runs; this scalprofd accepts at most %d (max_runs in %s)",
			     camp->name, nruns, d->cfg.max_runs, d->config_path);
		goto out;
	}
	it = (struct queue_item){
		.name = camp->name, .source = req->path, .yaml = req->yaml, .scale = req->scale, .uid = c->uid,
		.gid = c->gid, .groups = c->groups, .ngroups = c->ngroups, .runs_total = (int)nruns,
		.defaults = d->cfg.defaults,
	};
	it.user = user_name(c->uid);
	if (queue_add(d->st, &it, &id) < 0) {
		client_error(c, "database: %s", sqlite3_errmsg(store_db(d->st)));
	} else {
		json_object *o = json_object_new_object();

		log_info("queue %lld: campaign '%s' (%zu runs) submitted by %s", (long long)id, camp->name, nruns,
			 it.user);
		json_object_object_add(o, "id", json_object_new_int64(id));
		json_object_object_add(o, "name", json_object_new_string(camp->name));
		json_object_object_add(o, "runs", json_object_new_int((int)nruns));
		client_ok(c, o);
		c->closing = 1;
	}
	free(it.user);
out:
	campaign_free(camp);
	schedule(d);
}

static json_object *daemon_json(struct daemon *d)
{
	json_object *o = json_object_new_object();
	sqlite3_stmt *s;

	json_object_object_add(o, "version", json_object_new_string(scalprof_version()));
	json_object_object_add(o, "pid", json_object_new_int(getpid()));
	json_object_object_add(o, "database", json_object_new_string(d->cfg.database));
	json_object_object_add(o, "running", d->exec_pid > 0 ? json_object_new_int64(d->exec_qid) : NULL);
	json_object_object_add(o, "waiting_for_lock", d->waiting_for ? json_object_new_string(d->waiting_for) : NULL);
	json_object_object_add(o, "status", json_object_new_string(d->status_line));
	if (sqlite3_prepare_v2(store_db(d->st), "SELECT count(*) FROM queue WHERE status = 'queued'", -1, &s, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			json_object_object_add(o, "queued", json_object_new_int(sqlite3_column_int(s, 0)));
		sqlite3_finalize(s);
	}
	return o;
}

static int final_status(const char *st)
{
	return strcmp(st, "done") == 0 || strcmp(st, "failed") == 0 || strcmp(st, "cancelled") == 0 ||
	       strcmp(st, "interrupted") == 0;
}

/* The end of a watched campaign: its status and result table. */
static json_object *end_event(struct daemon *d, int64_t qid)
{
	json_object *o = json_object_new_object(), *item = NULL;
	struct queue_item it;

	json_object_object_add(o, "event", json_object_new_string("end"));
	if (queue_get(d->st, qid, &it) == 0) {
		json_object_object_add(o, "status", json_object_new_string(it.status));
		json_object_object_add(o, "error", it.error ? json_object_new_string(it.error) : NULL);
		if (it.campaign_id) {
			char *text = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&text, &len);

			if (f) {
				report_campaign(d->st, it.campaign_id, REPORT_TEXT, f);
				fclose(f);
				json_object_object_add(o, "table", json_object_new_string(text));
				free(text);
			}
			json_object_object_add(o, "campaign_id", json_object_new_int64(it.campaign_id));
		}
		queue_item_clear(&it);
	}
	if (queue_get_json(d->st, qid, &item) == 0)
		json_object_object_add(o, "campaign", item);
	return o;
}

/* Sends qid's watchers its end and lets them go. */
static void end_watchers(struct daemon *d, int64_t qid)
{
	char *line = proto_line(end_event(d, qid));
	struct client *next;

	for (struct client *c = d->clients; c; c = next) {
		next = c->next;
		if (c->watch == qid) {
			client_send(c, xstrdup(line));
			c->closing = 1;
			client_flush(d, c);
		}
	}
	free(line);
}

static void do_request(struct daemon *d, struct client *c, struct request *req)
{
	json_object *o = NULL;
	struct queue_item it;
	int r;

	switch (req->op) {
	case OP_SUBMIT:
		do_submit(d, c, req);
		return;
	case OP_LIST:
		if (queue_list_json(d->st, &o) < 0) {
			client_error(c, "database: %s", sqlite3_errmsg(store_db(d->st)));
			return;
		}
		{
			json_object *reply = json_object_new_object();

			json_object_object_add(reply, "campaigns", o);
			client_ok(c, reply);
		}
		c->closing = 1;
		return;
	case OP_STATUS:
		if (req->id == 0) {
			json_object *reply = json_object_new_object();

			json_object_object_add(reply, "daemon", daemon_json(d));
			client_ok(c, reply);
			c->closing = 1;
			return;
		}
		/* a campaign's status is where watch starts */
		__attribute__((fallthrough));
	case OP_WATCH:
		r = queue_get_json(d->st, req->id, &o);
		if (r == -ENOENT) {
			client_error(c, "no campaign %lld in the queue (see scalprof list)", (long long)req->id);
			return;
		}
		if (r < 0) {
			client_error(c, "database: %s", sqlite3_errmsg(store_db(d->st)));
			return;
		}
		{
			json_object *reply = json_object_new_object(), *st;
			int final = json_object_object_get_ex(o, "status", &st) && final_status(json_object_get_string(st));

			json_object_object_add(reply, "campaign", o);
			client_ok(c, reply);
			if (req->op == OP_STATUS) {
				c->closing = 1;
			} else if (final) {
				client_send(c, proto_line(end_event(d, req->id)));
				c->closing = 1;
			} else {
				c->watch = req->id;
			}
		}
		return;
	case OP_CANCEL:
		r = queue_get(d->st, req->id, &it);
		if (r < 0) {
			if (r == -ENOENT)
				client_error(c, "no campaign %lld in the queue (see scalprof list)", (long long)req->id);
			else
				client_error(c, "database: %s", sqlite3_errmsg(store_db(d->st)));
			return;
		}
		if (c->uid != 0 && c->uid != it.uid) {
			client_error(c, "permission denied: campaign %lld was submitted by %s; only they or root may "
				     "cancel it", (long long)req->id, it.user);
		} else if (final_status(it.status)) {
			client_error(c, "campaign %lld is already %s", (long long)req->id, it.status);
		} else {
			char *by = user_name(c->uid);

			if (d->exec_pid > 0 && d->exec_qid == it.id) {
				free(d->cancelled_by);
				d->cancelled_by = xstrdup(by);
				kill(d->exec_pid, SIGTERM);
			} else {
				char *msg = xasprintf("cancelled by %s before it started", by);

				queue_set_status(d->st, it.id, "cancelled", msg);
				free(msg);
				end_watchers(d, it.id);
			}
			log_info("queue %lld: cancelled by %s", (long long)it.id, by);
			free(by);
			o = json_object_new_object();
			json_object_object_add(o, "id", json_object_new_int64(it.id));
			client_ok(c, o);
			c->closing = 1;
		}
		queue_item_clear(&it);
		return;
	}
}

static void client_read(struct daemon *d, struct client *c)
{
	char buf[65536];
	ssize_t n;
	char *nl;

	if (c->draining) {
		do
			n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
		while (n > 0);
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			client_free(d, c);
		return;
	}
	if (c->closing || c->watch) {
		/* nothing more is expected: drain, and notice a close. A
		 * watcher that only shut down its sending side still reads:
		 * it is dropped when the hang-up is complete */
		n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0 && c->watch && !c->eof) {
			struct epoll_event ev = { .events = c->out_len ? EPOLLOUT : 0, .data.ptr = c };

			c->eof = 1;
			epoll_ctl(d->epfd, EPOLL_CTL_MOD, c->fd, &ev);
		} else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			client_free(d, c);
		}
		return;
	}
	n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == 0 && c->in_len) {
		client_error(c, "the request ended without a newline");
		client_flush(d, c);
		return;
	}
	if (n <= 0) {
		client_free(d, c);
		return;
	}
	if (c->in_len + (size_t)n > (size_t)d->cfg.max_request_bytes) {
		client_error(c, "request larger than %d bytes (max_request_bytes)", d->cfg.max_request_bytes);
		client_flush(d, c);
		return;
	}
	c->in = xreallocarray(c->in, c->in_len + (size_t)n + 1, 1);
	memcpy(c->in + c->in_len, buf, (size_t)n);
	c->in_len += (size_t)n;
	c->in[c->in_len] = '\0';
	nl = memchr(c->in, '\n', c->in_len);
	if (nl) {
		struct request req;
		char *err = NULL;

		if (proto_parse_request(c->in, (size_t)(nl - c->in), &req, &err) < 0) {
			client_error(c, "%s", err);
			free(err);
		} else {
			do_request(d, c, &req);
			request_clear(&req);
		}
		free(c->in);
		c->in = NULL;
		c->in_len = 0;
		client_flush(d, c);
	}
}

/* ---- the executor ------------------------------------------------------------ */

static void set_status(struct daemon *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_status(struct daemon *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->status_line, sizeof(d->status_line), fmt, ap);
	va_end(ap);
	sd_notifyf(0, "STATUS=%s", d->status_line);
}

static void broadcast(struct daemon *d, int64_t qid, const char *line)
{
	struct client *next;

	for (struct client *c = d->clients; c; c = next) {
		next = c->next;
		if (c->watch == qid) {
			client_send(c, xstrdup(line));
			client_flush(d, c);
		}
	}
}

static void exec_line(struct daemon *d, char *line)
{
	json_object *o = json_tokener_parse(line), *v;

	if (!o)
		return;
	if (json_object_object_get_ex(o, "event", &v) && strcmp(json_object_get_string(v), "ceiling") == 0) {
		set_status(d, "queue %lld: measuring the machine's ceiling", (long long)d->exec_qid);
	} else if (json_object_object_get_ex(o, "event", &v) && strcmp(json_object_get_string(v), "waiting") == 0) {
		json_object *h;

		free(d->waiting_for);
		d->waiting_for = json_object_object_get_ex(o, "holder", &h) ? xstrdup(json_object_get_string(h)) : NULL;
		set_status(d, "waiting for the experiment lock, held by %s", d->waiting_for ? d->waiting_for : "?");
	} else {
		json_object *w, *n, *i, *t;

		if (json_object_object_get_ex(o, "workload", &w) && json_object_object_get_ex(o, "n_workers", &n) &&
		    json_object_object_get_ex(o, "index", &i) && json_object_object_get_ex(o, "total", &t))
			set_status(d, "queue %lld: run %d/%d: %s, %d worker%s", (long long)d->exec_qid,
				   json_object_get_int(i), json_object_get_int(t), json_object_get_string(w),
				   json_object_get_int(n), json_object_get_int(n) == 1 ? "" : "s");
	}
	json_object_put(o);
	{
		char *l = xasprintf("%s\n", line);

		broadcast(d, d->exec_qid, l);
		free(l);
	}
}

static void exec_read(struct daemon *d)
{
	char buf[65536];
	ssize_t n = read(d->exec_fd, buf, sizeof(buf));
	char *nl;

	if (n <= 0) {
		if (n == 0 || errno != EINTR) {
			epoll_ctl(d->epfd, EPOLL_CTL_DEL, d->exec_fd, NULL);
			close(d->exec_fd);
			d->exec_fd = -1;
		}
		return;
	}
	d->exec_buf = xreallocarray(d->exec_buf, d->exec_len + (size_t)n + 1, 1);
	memcpy(d->exec_buf + d->exec_len, buf, (size_t)n);
	d->exec_len += (size_t)n;
	while ((nl = memchr(d->exec_buf, '\n', d->exec_len))) {
		*nl = '\0';
		exec_line(d, d->exec_buf);
		d->exec_len -= (size_t)(nl + 1 - d->exec_buf);
		memmove(d->exec_buf, nl + 1, d->exec_len);
	}
}

/* In the executor child: what belongs to the daemon's loop. */
static void close_daemon_fds(struct daemon *d)
{
	for (struct client *c = d->clients; c; c = c->next)
		close(c->fd);
	close(d->listen_fd);
	close(d->epfd);
	close(d->sig_fd);
}

static void start_executor(struct daemon *d, int64_t qid)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0) {
		log_error("queue %lld: pipe: %s", (long long)qid, strerror(errno));
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		log_error("queue %lld: fork: %s", (long long)qid, strerror(errno));
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0) {
		struct executor_args a = {
			.db_path = d->cfg.database, .lock_path = d->cfg.lock, .queue_id = qid,
			.progress_fd = p[1], .daemon_pid = getppid(),
		};
		sigset_t none;

		/* the clients' sockets must see EOF when the daemon closes them */
		close_daemon_fds(d);
		close(p[0]);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		_exit(executor_main(&a));
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	d->exec_pid = pid;
	d->exec_fd = p[0];
	d->exec_qid = qid;
	d->exec_len = 0;
	{
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &d->exec_fd };

		epoll_ctl(d->epfd, EPOLL_CTL_ADD, p[0], &ev);
	}
	set_status(d, "queue %lld: starting", (long long)qid);
}

static void schedule(struct daemon *d)
{
	int64_t qid;

	if (d->exec_pid > 0 || d->stopping || mono_ns() < d->retry_at_ns)
		return;
	if (queue_next(d->st, &qid) < 0) {
		if (!d->waiting_for)
			set_status(d, "idle: no campaign queued");
		return;
	}
	start_executor(d, qid);
}

static void executor_ended(struct daemon *d, int status)
{
	int64_t qid = d->exec_qid;

	/* what is left in the pipe first: the writer is gone, so it ends */
	for (int i = 0; i < 1024 && d->exec_fd >= 0; i++)
		exec_read(d);
	if (d->exec_fd >= 0) {
		epoll_ctl(d->epfd, EPOLL_CTL_DEL, d->exec_fd, NULL);
		close(d->exec_fd);
		d->exec_fd = -1;
	}
	d->exec_pid = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == EXECUTOR_LOCKED) {
		/* still queued; it tries again in a few seconds */
		d->retry_at_ns = mono_ns() + 2000000000LL;
		return;
	}
	free(d->waiting_for);
	d->waiting_for = NULL;
	if (d->cancelled_by) {
		char *msg = xasprintf("cancelled by %s", d->cancelled_by);

		queue_set_status(d->st, qid, "cancelled", msg);
		queue_end_campaign(d->st, qid, "interrupted", msg);
		free(msg);
		free(d->cancelled_by);
		d->cancelled_by = NULL;
	} else if (WIFSIGNALED(status)) {
		char *msg = xasprintf("the executor was killed by signal %d", WTERMSIG(status));

		queue_set_status(d->st, qid, "failed", msg);
		queue_end_campaign(d->st, qid, "failed", msg);
		log_error("queue %lld: %s", (long long)qid, msg);
		free(msg);
	}
	log_info("queue %lld: finished (%s %d)", (long long)qid, WIFEXITED(status) ? "exit status" : "signal",
		 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	end_watchers(d, qid);
	set_status(d, "idle");
	schedule(d);
}

/* ---- signals, reload, recovery ---------------------------------------------- */

static void reload(struct daemon *d)
{
	struct config nc;
	char *err = NULL;

	if (config_load(d->config_path, &nc, &err) < 0) {
		log_error("reload: %s; keeping the configuration in use", err);
		free(err);
		return;
	}
	if (strcmp(nc.database, d->cfg.database) != 0 || strcmp(nc.socket, d->cfg.socket) != 0)
		log_warnx("reload: database and socket changes take effect when scalprofd restarts");
	free(nc.database);
	free(nc.socket);
	nc.database = d->cfg.database;
	nc.socket = d->cfg.socket;
	d->cfg.database = d->cfg.socket = NULL;
	config_clear(&d->cfg);
	d->cfg = nc;
	log_info("reloaded %s", d->config_path);
}

static void on_signal(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			if (!d->stopping) {
				log_info("stopping (%s)", strsignal((int)si.ssi_signo));
				sd_notify(0, "STOPPING=1");
				d->stopping = 1;
				d->stop_deadline_ns = mono_ns() + 60000000000LL;
				if (d->exec_pid > 0)
					kill(d->exec_pid, SIGTERM);
			}
			break;
		case SIGHUP:
			sd_notify(0, "RELOADING=1");
			reload(d);
			sd_notify(0, "READY=1");
			break;
		case SIGCHLD: {
			int status;
			pid_t pid;

			while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
				if (pid == d->exec_pid)
					executor_ended(d, status);
			break;
		}
		}
	}
}

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

/* ---- the socket ------------------------------------------------------------------ */

static int open_socket(struct daemon *d)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int n = sd_listen_fds(1), fd;

	if (n > 1) {
		log_error("systemd passed %d sockets; scalprofd listens on one", n);
		return -EINVAL;
	}
	if (n == 1) {
		if (sd_is_socket_unix(SD_LISTEN_FDS_START, SOCK_STREAM, 1, NULL, 0) <= 0) {
			log_error("the socket systemd passed is not a listening Unix stream socket");
			return -EINVAL;
		}
		d->listen_fd = SD_LISTEN_FDS_START;
		fcntl(d->listen_fd, F_SETFD, FD_CLOEXEC);
		fcntl(d->listen_fd, F_SETFL, O_NONBLOCK);
		return 0;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", d->cfg.socket);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	{
		/* a socket file left by a killed daemon: nobody answers on it */
		struct stat st;
		int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (lstat(sa.sun_path, &st) == 0 && S_ISSOCK(st.st_mode) && probe >= 0 &&
		    connect(probe, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno == ECONNREFUSED)
			unlink(sa.sun_path);
		else if (probe >= 0 && lstat(sa.sun_path, &st) == 0 && S_ISSOCK(st.st_mode)) {
			close(probe);
			close(fd);
			log_error("socket %s: another scalprofd is answering there", sa.sun_path);
			return -EADDRINUSE;
		}
		if (probe >= 0)
			close(probe);
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(sa.sun_path, 0660) < 0 ||
	    chown(sa.sun_path, (uid_t)-1, d->cfg.gid) < 0 || listen(fd, 64) < 0) {
		int e = errno;

		log_error("socket %s: %s", sa.sun_path, strerror(e));
		close(fd);
		return -e;
	}
	d->listen_fd = fd;
	d->listen_owned = 1;
	return 0;
}

/* ---- main --------------------------------------------------------------------- */

static void tick(struct daemon *d)
{
	int64_t now = mono_ns();
	struct client *next;

	for (struct client *c = d->clients; c; c = next) {
		next = c->next;
		if (c->draining && now > c->deadline_ns) {
			client_free(d, c);
			continue;
		}
		if (!c->watch && !c->closing && now > c->deadline_ns) {
			client_error(c, "request not received within %g s (client_timeout_s)", d->cfg.client_timeout_s);
			client_flush(d, c);
		}
	}
	if (d->watchdog_usec && now >= d->next_watchdog_ns) {
		sd_notify(0, "WATCHDOG=1");
		d->next_watchdog_ns = now + (int64_t)d->watchdog_usec * 500;
	}
	if (d->stopping && d->exec_pid > 0 && now > d->stop_deadline_ns) {
		log_error("the executor did not stop within 60 s of SIGTERM: killing it");
		kill(d->exec_pid, SIGKILL);
		d->stop_deadline_ns = now + 60000000000LL;
	}
	schedule(d);
}

static int serve(struct daemon *d)
{
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t set;
	int r;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	d->exec_fd = -1;
	if (d->sig_fd < 0 || d->epfd < 0)
		return -errno;
	ev.data.ptr = &d->listen_fd;
	epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->listen_fd, &ev);
	ev.data.ptr = &d->sig_fd;
	epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->sig_fd, &ev);
	if (sd_watchdog_enabled(0, &d->watchdog_usec) <= 0)
		d->watchdog_usec = 0;

	r = queue_recover(d->st, d->cfg.resume_interrupted, kill_groups, d);
	if (r < 0) {
		log_error("recovering the queue: %s", sqlite3_errmsg(store_db(d->st)));
		return -EIO;
	}
	if (r > 0)
		log_info("%d campaign%s to resume", r, r == 1 ? "" : "s");
	log_info("listening on %s, database %s", d->listen_owned ? d->cfg.socket : "the socket systemd passed",
		 d->cfg.database);
	sd_notify(0, "READY=1");
	set_status(d, "idle");
	schedule(d);
	while (!(d->stopping && d->exec_pid <= 0)) {
		struct epoll_event evs[32];
		int n = epoll_wait(d->epfd, evs, 32, TICK_MS);

		if (n < 0 && errno != EINTR)
			return -errno;
		for (int i = 0; i < n; i++) {
			void *p = evs[i].data.ptr;

			if (p == &d->listen_fd) {
				if (!d->stopping)
					accept_client(d);
			} else if (p == &d->sig_fd) {
				on_signal(d);
			} else if (p == &d->exec_fd) {
				if (d->exec_fd >= 0)
					exec_read(d);
			} else {
				struct client *c = p;
				int alive = 0;

				/* the client may be gone already (freed by an
				 * earlier event of this batch) */
				for (struct client *x = d->clients; x; x = x->next)
					alive |= x == c;
				if (!alive)
					continue;
				if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
					client_read(d, c);
				else if (evs[i].events & EPOLLOUT)
					client_flush(d, c);
			}
		}
		tick(d);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' }, { "foreground", no_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 't' },         { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },       { 0 },
	};
	struct daemon d = { .config_path = CONFIG_DEFAULT_PATH, .listen_fd = -1, .sig_fd = -1, .epfd = -1 };
	char *err = NULL, config_abs[PATH_MAX];
	int ch, check_only = 0, r, ex = 1;

	log_init("scalprofd", LOG_LVL_INFO);
	while ((ch = getopt_long(argc, argv, "c:fthV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': d.config_path = optarg; break;
		case 'f': break;
		case 't': check_only = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		case 'V': printf("scalprofd %s\n", scalprof_version()); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind != argc) {
		log_error("unexpected argument '%s'", argv[optind]);
		fputs(usage, stderr);
		return 2;
	}
	if (config_load(d.config_path, &d.cfg, &err) < 0) {
		log_error("%s", err);
		free(err);
		return 2;
	}
	if (check_only) {
		printf("%s: valid\n", d.config_path);
		config_clear(&d.cfg);
		return 0;
	}
	/* we chdir to /: SIGHUP must still find the file */
	if (!realpath(d.config_path, config_abs)) {
		log_error("%s: %s", d.config_path, strerror(errno));
		config_clear(&d.cfg);
		return 2;
	}
	d.config_path = config_abs;
	/* the journal reads our stderr: say each line's priority */
	if (getenv("JOURNAL_STREAM") || getenv("NOTIFY_SOCKET"))
		log_use_priority_prefix(1);
	if (chdir("/") < 0) {
		log_error("chdir /: %s", strerror(errno));
		goto out;
	}
	r = topology_new(&d.topo);
	if (r < 0) {
		log_error("cannot read the machine's topology: %s", strerror(-r));
		goto out;
	}
	if (store_open(d.cfg.database, &d.st, &err) < 0) {
		log_error("%s", err);
		free(err);
		goto out;
	}
	store_persist_wal(d.st);
	if (open_socket(&d) < 0)
		goto out;
	r = serve(&d);
	if (r < 0)
		log_error("serving: %s", strerror(-r));
	else
		ex = 0;
	log_info("stopped");
out:
	while (d.clients)
		client_free(&d, d.clients);
	if (d.listen_owned) {
		unlink(d.cfg.socket);
		close(d.listen_fd);
	}
	if (d.sig_fd >= 0)
		close(d.sig_fd);
	if (d.epfd >= 0)
		close(d.epfd);
	if (d.exec_fd >= 0)
		close(d.exec_fd);
	free(d.exec_buf);
	free(d.cancelled_by);
	free(d.waiting_for);
	store_close(d.st);
	topology_free(d.topo);
	config_clear(&d.cfg);
	return ex;
}
