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

static int in_group(const struct conn *c, gid_t gid)
{
	if (c->gid == gid)
		return 1;
	for (size_t i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return 1;
	return 0;
}

/* A new connection on fd, from the peer cred, added to d and to epoll.
 * Returns NULL (fd closed) when epoll refuses it. */
static struct conn *conn_new(struct daemon *d, int fd, const struct ucred *cred)
{
	struct conn *c = xcalloc(1, sizeof(*c));
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
	socklen_t len = sizeof(c->groups);

	c->fd = fd;
	c->uid = cred->uid;
	c->gid = cred->gid;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, c->groups, &len) == 0)
		c->ngroups = len / sizeof(gid_t);
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
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct conn *c;
	char *user;
	int fd = accept4(d->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return;
	if (d->nconns >= CONN_MAX || getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		close(fd);
		return;
	}
	c = conn_new(d, fd, &cred);
	if (!c || c->uid == 0 || in_group(c, d->cfg.gid))
		return;
	user = user_name(c->uid);
	log_info("refused %s (uid %u): not in group %s", user, (unsigned)c->uid, d->cfg.group);
	conn_fail(c, "permission denied: %s is not in the group '%s' that may use scalprofd", user, d->cfg.group);
	free(user);
	conn_flush(d, c);
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
