/* conn.c: scalprofd's client connections (see conn.h). Every descriptor is
 * non-blocking; a connection lives from accept to conn_free, and the event
 * loop learns of its end through the -1 of conn_flush and conn_read. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "service/conn.h"

/* How long a client may take to read our last reply and hang up. */
#define DRAIN_NS 1000000000LL

void conn_free(struct daemon *d, struct conn *c)
{
	struct conn **p;

	for (p = &d->conns; *p && *p != c; p = &(*p)->next)
		;
	if (*p)
		*p = c->next;
	/* not left to close(): an executor forked a moment ago may still hold
	 * a copy of the descriptor, and epoll would keep reporting it. A
	 * failure means it was not registered: nothing to undo */
	(void)epoll_ctl(d->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c);
	d->nconns--;
}

int conn_alive(const struct daemon *d, const struct conn *c)
{
	for (const struct conn *x = d->conns; x; x = x->next)
		if (x == c)
			return 1;
	return 0;
}

void conn_reply(struct conn *c, char *line)
{
	size_t len = strlen(line);

	if (c->out_len - c->out_off + len > CONN_OUT_MAX) {
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

void conn_fail(struct conn *c, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	conn_reply(c, proto_error_line(msg));
	free(msg);
	c->closing = 1;
}

void conn_reply_ok(struct conn *c, json_object *o)
{
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	conn_reply(c, proto_line(o));
}

/* Asks epoll for what c waits for now; frees c and returns -1 if it cannot. */
static int update_events(struct daemon *d, struct conn *c)
{
	struct epoll_event ev = { .events = (c->eof ? 0 : EPOLLIN) | (c->out_len ? EPOLLOUT : 0), .data.ptr = c };

	if (epoll_ctl(d->epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0) {
		conn_free(d, c);
		return -1;
	}
	return 0;
}

/* All output written: close c if it is done, or start its drain. */
static int flushed(struct daemon *d, struct conn *c)
{
	c->out_off = c->out_len = 0;
	if (!c->closing)
		return 0;
	if (c->eof || c->draining || shutdown(c->fd, SHUT_WR) < 0) {
		conn_free(d, c);
		return -1;
	}
	c->draining = 1;
	c->deadline_ns = mono_ns() + DRAIN_NS;
	return 0;
}

int conn_flush(struct daemon *d, struct conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			conn_free(d, c);
			return -1;
		}
		c->out_off += (size_t)n;
	}
	if (c->out_off == c->out_len && flushed(d, c) < 0)
		return -1;
	return update_events(d, c);
}

/* ---- admission: the group, and the clients: limits ---- */

/* Why a connection is refused (struct conn_refusal's why). */
enum { REFUSE_OUTSIDER = 1, REFUSE_PER_USER, REFUSE_RESERVED, REFUSE_ROOT_ONLY, REFUSE_FULL };

/* Each reason's configuration key, as the refusal and the log name it. */
static const char *const refusal_key[] = {
	[REFUSE_OUTSIDER] = "group",
	[REFUSE_PER_USER] = "clients.connections_per_user",
	[REFUSE_RESERVED] = "clients.reserved_for_others",
	[REFUSE_ROOT_ONLY] = "clients.reserved_for_root",
	[REFUSE_FULL] = "clients.max_connections",
};

/* A burst of refusals ends after this long without one; one that goes on
 * is summed up this often. */
#define BURST_QUIET_NS 10000000000LL
#define BURST_SUMMARY_NS 60000000000LL

/* Logs the refusals of r not logged yet, and frees r when the burst is over. */
static void refusal_summary(struct conn_refusal *r, int64_t now_ns, int over)
{
	if (r->more) {
		char *user = user_name(r->uid);

		log_info("refused %u more connection%s of %s (uid %u) in the last %.0f s (%s)", r->more,
			 r->more == 1 ? "" : "s", user, (unsigned)r->uid, (double)(now_ns - r->first_ns) / 1e9,
			 refusal_key[r->why]);
		free(user);
	}
	r->more = 0;
	r->first_ns = now_ns;
	if (over)
		r->why = 0;
}

/* Logs msg, the refusal of a connection of uid for why, unless one of the
 * same kind was logged in this burst: then it is only counted. */
static void log_refusal(struct daemon *d, uid_t uid, int why, const char *msg)
{
	struct conn_refusal *r, *slot = NULL;
	int64_t now = mono_ns();
	char *user;

	for (r = d->refusals; r < d->refusals + CONN_REFUSALS; r++) {
		if (r->why == why && r->uid == uid) {
			r->more++;
			r->last_ns = now;
			return;
		}
		if (!slot || (slot->why && (!r->why || r->last_ns < slot->last_ns)))
			slot = r; /* a free entry, else the one quiet the longest */
	}
	if (slot->why)
		refusal_summary(slot, now, 1);
	*slot = (struct conn_refusal){ .uid = uid, .why = why, .first_ns = now, .last_ns = now };
	user = user_name(uid);
	log_info("refused %s (uid %u): %s (more of these are counted, not logged one by one)", user, (unsigned)uid,
		 msg);
	free(user);
}

/* Answers fd at once with msg and why's key, then closes it: no slot is
 * taken, no state kept. The line is small and the socket's buffer empty,
 * so a send that cannot finish at once is not worth waiting for; the
 * client reads it before it sees the close. */
static void refuse(struct daemon *d, int fd, uid_t uid, int why, const char *msg)
{
	json_object *o = json_object_new_object();
	char *line;

	json_object_object_add(o, "ok", json_object_new_boolean(0));
	json_object_object_add(o, "error", json_object_new_string(msg));
	json_object_object_add(o, "limit", json_object_new_string(refusal_key[why]));
	line = proto_line(o);
	(void)send(fd, line, strlen(line), MSG_NOSIGNAL | MSG_DONTWAIT); /* a failure: it hung up */
	free(line);
	close(fd);
	log_refusal(d, uid, why, msg);
}

static int in_group(const struct ucred *cred, const gid_t *groups, size_t ngroups, gid_t gid)
{
	if (cred->gid == gid)
		return 1;
	for (size_t i = 0; i < ngroups; i++)
		if (groups[i] == gid)
			return 1;
	return 0;
}

/* Whether a connection of uid may be taken now: 0, or the reason with a
 * fresh *ret_msg for the client. */
static int admit(const struct daemon *d, uid_t uid, char **ret_msg)
{
	const struct client_limits *l = &d->cfg.clients;
	int open = (int)d->nconns, held = 0;
	int others = l->max_connections - l->reserved_for_root - l->reserved_for_others;
	char *user;

	if (open >= l->max_connections) {
		*ret_msg = xasprintf("scalprofd is busy: all %d of its connections are in use "
				     "(clients.max_connections in %s); try again later",
				     l->max_connections, d->config_path);
		return REFUSE_FULL;
	}
	if (uid == 0)
		return 0;
	if (open >= l->max_connections - l->reserved_for_root) {
		*ret_msg = xasprintf("scalprofd is busy: %d of its %d connections are in use, and the last %d are kept "
				     "for root (clients.reserved_for_root in %s); try again later",
				     open, l->max_connections, l->reserved_for_root, d->config_path);
		return REFUSE_ROOT_ONLY;
	}
	for (const struct conn *c = d->conns; c; c = c->next)
		held += c->uid == uid;
	if (held >= l->connections_per_user) {
		user = user_name(uid);
		*ret_msg = xasprintf("too many connections: %s holds %d, the most one user may hold "
				     "(clients.connections_per_user in %s); close one (a scalprof watch, or a "
				     "script's) and try again", user, held, d->config_path);
		free(user);
		return REFUSE_PER_USER;
	}
	if (held > 0 && open >= others) {
		user = user_name(uid);
		*ret_msg = xasprintf("scalprofd is busy: %d of its %d connections are in use, and the last %d are kept "
				     "for users who hold none and for root (clients.reserved_for_others and "
				     "reserved_for_root in %s); %s holds %d: close one and try again",
				     open, l->max_connections, l->reserved_for_others + l->reserved_for_root,
				     d->config_path, user, held);
		free(user);
		return REFUSE_RESERVED;
	}
	return 0;
}

/* A new connection on fd, from the peer cred with its groups, added to d
 * and to epoll. Returns NULL (fd closed) when epoll refuses it. */
static struct conn *conn_new(struct daemon *d, int fd, const struct ucred *cred, const gid_t *groups, size_t ngroups)
{
	struct conn *c = xcalloc(1, sizeof(*c));
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

	c->fd = fd;
	c->uid = cred->uid;
	c->gid = cred->gid;
	memcpy(c->groups, groups, ngroups * sizeof(gid_t));
	c->ngroups = ngroups;
	c->deadline_ns = mono_ns() + (int64_t)(d->cfg.client_timeout_s * 1e9);
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		close(fd);
		free(c);
		return NULL;
	}
	c->next = d->conns;
	d->conns = c;
	d->nconns++;
	return c;
}

void conn_accept(struct daemon *d)
{
	static gid_t groups[NGROUPS_MAX]; /* too large for the stack */
	struct ucred cred;
	socklen_t len = sizeof(cred), glen = sizeof(groups);
	size_t ngroups = 0;
	char *msg = NULL;
	int why, fd = accept4(d->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		close(fd);
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &glen) == 0)
		ngroups = glen / sizeof(gid_t);
	if (cred.uid != 0 && !in_group(&cred, groups, ngroups, d->cfg.gid)) {
		char *user = user_name(cred.uid);

		msg = xasprintf("permission denied: %s is not in the group '%s' that may use scalprofd", user,
				d->cfg.group);
		free(user);
		why = REFUSE_OUTSIDER;
	} else {
		why = admit(d, cred.uid, &msg);
	}
	if (why) {
		refuse(d, fd, cred.uid, why, msg);
		free(msg);
		return;
	}
	conn_new(d, fd, &cred, groups, ngroups);
}

/* Our reply is sent: reads to the client's EOF, then closes. */
static int drain(struct daemon *d, struct conn *c)
{
	char buf[65536];
	ssize_t n;

	do
		n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
	while (n > 0);
	if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		conn_free(d, c);
		return -1;
	}
	return 0;
}

/* Nothing more is expected: drain, and notice a close. A watcher that only
 * shut down its sending side still reads: it is dropped when the hang-up
 * is complete. */
static int read_after_request(struct daemon *d, struct conn *c)
{
	char buf[65536];
	ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n == 0 && c->watch && !c->eof) {
		c->eof = 1;
		return update_events(d, c);
	}
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		conn_free(d, c);
		return -1;
	}
	return 0;
}

/* Parses the complete line at the start of c->in, then forgets c->in. */
static int parse_line(struct daemon *d, struct conn *c, const char *nl, struct request *ret_req)
{
	char *err = NULL;
	int r = proto_parse_request(c->in, (size_t)(nl - c->in), ret_req, &err);

	free(c->in);
	c->in = NULL;
	c->in_len = 0;
	if (r == 0)
		return 1;
	conn_fail(c, "%s", err);
	free(err);
	return conn_flush(d, c);
}

/* Reads the request, within max_request_bytes. */
static int read_request(struct daemon *d, struct conn *c, struct request *ret_req)
{
	char buf[65536], *nl;
	ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n == 0 && c->in_len) {
		conn_fail(c, "the request ended without a newline");
		return conn_flush(d, c);
	}
	if (n <= 0) {
		conn_free(d, c);
		return -1;
	}
	if (c->in_len + (size_t)n > (size_t)d->cfg.max_request_bytes) {
		conn_fail(c, "request larger than %d bytes (max_request_bytes)", d->cfg.max_request_bytes);
		return conn_flush(d, c);
	}
	c->in = xreallocarray(c->in, c->in_len + (size_t)n + 1, 1);
	memcpy(c->in + c->in_len, buf, (size_t)n);
	c->in_len += (size_t)n;
	c->in[c->in_len] = '\0';
	nl = memchr(c->in, '\n', c->in_len);
	return nl ? parse_line(d, c, nl, ret_req) : 0;
}

int conn_read(struct daemon *d, struct conn *c, struct request *ret_req)
{
	if (c->draining)
		return drain(d, c);
	if (c->closing || c->watch)
		return read_after_request(d, c);
	return read_request(d, c, ret_req);
}

void conn_tick(struct daemon *d, int64_t now_ns)
{
	struct conn *next;

	for (struct conn_refusal *r = d->refusals; r < d->refusals + CONN_REFUSALS; r++)
		if (r->why && now_ns - r->last_ns >= BURST_QUIET_NS)
			refusal_summary(r, now_ns, 1);
		else if (r->why && now_ns - r->first_ns >= BURST_SUMMARY_NS)
			refusal_summary(r, now_ns, 0);

	for (struct conn *c = d->conns; c; c = next) {
		next = c->next;
		if (c->draining && now_ns > c->deadline_ns) {
			conn_free(d, c);
			continue;
		}
		if (!c->watch && !c->closing && now_ns > c->deadline_ns) {
			conn_fail(c, "request not received within %g s (client_timeout_s)", d->cfg.client_timeout_s);
			conn_flush(d, c);
		}
	}
}
