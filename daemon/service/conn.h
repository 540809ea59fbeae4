/* conn.h: scalprofd's client connections: accepting them (members of the
 * group only, within the clients: limits), reading one request of bounded
 * size within a deadline, buffering replies with a bound, writing them as
 * the client reads, and closing. DESIGN.md's Trust rules for connections
 * live here: clients.max_connections in all, clients.connections_per_user
 * for one user, the last slots kept for users holding none and for root,
 * max_request_bytes and client_timeout_s from the configuration, and
 * CONN_OUT_MAX of unread output. */
#ifndef SCALPROF_CONN_H
#define SCALPROF_CONN_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "service/daemon.h"
#include "service/proto.h"

#define CONN_OUT_MAX (8 << 20) /* a watcher that reads nothing is dropped here */

struct conn {
	int fd;
	uid_t uid;             /* the peer, from SO_PEERCRED and SO_PEERGROUPS */
	gid_t gid;
	gid_t groups[NGROUPS_MAX];
	size_t ngroups;
	char *in;
	size_t in_len;
	char *out;
	size_t out_len, out_off;
	int64_t deadline_ns;   /* the request must be complete by then; a
				* watcher is let go if nothing is sent to it
				* by then (watch.c); a drain is cut then */
	int64_t watch;         /* queue id followed, 0 none */
	int closing;           /* close once out is flushed */
	int eof;               /* it shut down its sending side */
	int draining;          /* our reply is sent: reading to its EOF, so that
				* closing with its data unread does not reset
				* the connection before it read our reply */
	struct conn *next;
};

/* Accepts one connection on d->listen_fd. One from outside the group, or
 * beyond the clients: limits (clients.max_connections in all, of which
 * the last reserved_for_root go to root only and the reserved_for_others
 * before them only to users holding no connection; connections_per_user
 * for one user but root), is answered at once with {"ok": false, "error":
 * MESSAGE, "limit": KEY} and closed, taking no slot; refusals are logged
 * once per burst (conn_tick sums up the rest). Other failures drop the
 * connection silently. */
void conn_accept(struct daemon *d);

/* Appends line (taken, freed) to c's output; conn_flush writes it. When
 * the unread output would pass CONN_OUT_MAX, nothing is added and c is
 * marked closing instead. */
void conn_reply(struct conn *c, char *line);
/* Adds "ok": true to o and sends it (o is taken). */
void conn_reply_ok(struct conn *c, json_object *o);
/* Sends {"ok": false, "error": ...} and marks c closing. */
void conn_fail(struct conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes what c can take now and closes it when it is done. Returns 0, or
 * -1 when c is gone (freed). */
int conn_flush(struct daemon *d, struct conn *c);

/* Reads what c sent. Returns 1 with *ret_req (request_clear it) when its
 * request line is complete, 0 when there is nothing to do now, -1 when c
 * is gone (freed). A request too large, unterminated or malformed is
 * answered here with its message. */
int conn_read(struct daemon *d, struct conn *c, struct request *ret_req);

/* Whether c is still open (an earlier event of a batch may have freed it). */
int conn_alive(const struct daemon *d, const struct conn *c);

/* Drops what overran its deadline: a request not received in
 * client_timeout_s is answered with an error; a drain that lasts is cut.
 * Logs the count of refusals of a burst that ended, or of one going on
 * for a minute. */
void conn_tick(struct daemon *d, int64_t now_ns);

/* Closes c and frees it; unlinks it from d. */
void conn_free(struct daemon *d, struct conn *c);

#endif
