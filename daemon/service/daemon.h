/* daemon.h: the state of one scalprofd, shared by the modules that serve
 * it (man scalprofd(8)): conn (client connections), requests (what clients
 * ask), watch (clients following a campaign), sched (the executor child
 * that runs the queue) and listener (the socket), under the event loop of
 * scalprofd.c, which owns the one instance.
 *
 * The service layer (daemon/service/) is scalprofd's: the queue served to
 * clients, the protocol, the configuration, and the executor that runs a
 * queued campaign through the engine's session. The cli's client commands
 * sit above it (they speak its protocol); the engine, analysis and store
 * below it never include it.
 */
#ifndef SCALPROF_DAEMON_H
#define SCALPROF_DAEMON_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "host/topology.h"
#include "service/config.h"
#include "store/store.h"

struct conn;

/* Connections refused for one reason to one user, logged once per burst
 * (conn.c): the first is logged, the rest counted and summed up. */
struct conn_refusal {
	uid_t uid;
	int why;          /* conn.c's reasons; 0: this entry is free */
	int64_t first_ns; /* the burst (or its last summary) began then */
	int64_t last_ns;  /* the latest refusal */
	unsigned more;    /* refused since, not logged yet */
};
#define CONN_REFUSALS 8

struct daemon {
	struct config cfg;
	const char *config_path;
	struct store *st;
	struct topology *topo;
	int epfd, listen_fd, sig_fd; /* epoll tags: &listen_fd, &sig_fd, &exec_fd */
	int listen_owned;            /* bound by us, not handed over by systemd */
	struct conn *conns;
	size_t nconns;
	struct conn_refusal refusals[CONN_REFUSALS];
	pid_t exec_pid;              /* the executor child, 0 none */
	int exec_fd;                 /* progress lines from the executor */
	char *exec_buf;
	size_t exec_len;
	int64_t exec_qid;
	char *cancelled_by;          /* a cancel of the running campaign, by whom */
	int64_t retry_at_ns;         /* the experiment lock was busy: not before then */
	char *waiting_for;           /* who holds it */
	char status_line[512];
	int stopping;
	int64_t stop_deadline_ns;
	uint64_t watchdog_usec;
	int64_t next_watchdog_ns;
};

#endif
