/* scalprofd.c: the lab-machine service (man scalprofd(8)). It owns the
 * database, keeps a queue of submitted campaigns, runs one at a time in an
 * executor child (service/executor.c) with the workers as their submitter,
 * and answers clients on a Unix socket (service/proto.h) while it does:
 * submit, list, status, watch, cancel. This file is the main: options,
 * exit codes, and the one event loop over epoll: the listening socket, the
 * clients (service/conn.c, answered by service/requests.c), a signalfd
 * (SIGTERM, SIGINT, SIGHUP, SIGCHLD), the executor's progress pipe
 * (service/sched.c), and a 250 ms tick for deadlines, the watchdog and
 * retries. systemd hears from it through sd_notify. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "base/log.h"
#include "base/util.h"
#include "base/version.h"
#include "engine/ceiling.h"
#include "host/topology.h"
#include "service/config.h"
#include "service/conn.h"
#include "service/daemon.h"
#include "service/listener.h"
#include "service/requests.h"
#include "service/sched.h"
#include "store/publish.h"
#include "service/watch.h"
#include "store/store.h"

#define TICK_MS 250
#define STOP_GRACE_NS 60000000000LL /* the executor's time to stop on SIGTERM */

/* exit statuses (usage below and man scalprofd(8) say the same) */
enum { EXIT_STOPPED = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

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

/* ---- signals ---------------------------------------------------------------- */

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

static void stop(struct daemon *d, int signo)
{
	if (d->stopping)
		return;
	log_info("stopping (%s)", strsignal(signo));
	sd_notify(0, "STOPPING=1");
	d->stopping = 1;
	d->stop_deadline_ns = mono_ns() + STOP_GRACE_NS;
	sched_kill(d, SIGTERM);
}

static void on_signal(struct daemon *d)
{
	struct signalfd_siginfo si;
	int status;
	pid_t pid;

	while (read(d->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			stop(d, (int)si.ssi_signo);
			break;
		case SIGHUP:
			sd_notify(0, "RELOADING=1");
			reload(d);
			sd_notify(0, "READY=1");
			break;
		case SIGCHLD:
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
				if (pid == d->exec_pid)
					sched_reaped(d, status);
			break;
		}
	}
}

/* ---- the event loop ------------------------------------------------------------ */

static void tick(struct daemon *d)
{
	int64_t now = mono_ns();

	conn_tick(d, now);
	watch_tick(d, now);
	if (d->watchdog_usec && now >= d->next_watchdog_ns) {
		sd_notify(0, "WATCHDOG=1");
		d->next_watchdog_ns = now + (int64_t)d->watchdog_usec * 500;
	}
	if (d->stopping && d->exec_pid > 0 && now > d->stop_deadline_ns) {
		log_error("the executor did not stop within 60 s of SIGTERM: killing it");
		sched_kill(d, SIGKILL);
		d->stop_deadline_ns = now + STOP_GRACE_NS;
	}
	sched_next(d);
}

/* Signals through a signalfd, and the epoll set with the listening socket
 * and the signalfd. Returns 0 or -errno. */
static int serve_setup(struct daemon *d)
{
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 || signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return -errno;
	d->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (d->sig_fd < 0 || d->epfd < 0)
		return -errno;
	ev.data.ptr = &d->listen_fd;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->listen_fd, &ev) < 0)
		return -errno;
	ev.data.ptr = &d->sig_fd;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->sig_fd, &ev) < 0)
		return -errno;
	if (sd_watchdog_enabled(0, &d->watchdog_usec) <= 0)
		d->watchdog_usec = 0;
	return 0;
}

/* A client's event: its request is read and answered, or its output sent. */
static void on_client(struct daemon *d, struct conn *c, uint32_t events)
{
	struct request req;

	/* an earlier event of this batch may have freed it */
	if (!conn_alive(d, c))
		return;
	if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
		if (events & EPOLLOUT)
			conn_flush(d, c);
		return;
	}
	if (conn_read(d, c, &req) == 1) {
		requests_handle(d, c, &req);
		request_clear(&req);
		conn_flush(d, c);
	}
}

static void on_event(struct daemon *d, const struct epoll_event *ev)
{
	void *p = ev->data.ptr;

	if (p == &d->listen_fd) {
		if (!d->stopping)
			conn_accept(d);
	} else if (p == &d->sig_fd) {
		on_signal(d);
	} else if (p == &d->exec_fd) {
		if (d->exec_fd >= 0)
			sched_read(d);
	} else {
		on_client(d, p, ev->events);
	}
}

/* Serves until stopped and the executor is gone. Returns 0, or -errno
 * (logged when it is the queue's recovery that failed). */
static int serve(struct daemon *d)
{
	int r = serve_setup(d);

	if (r < 0)
		return r;
	if (sched_recover(d) < 0)
		return -EIO;
	log_info("listening on %s, database %s", d->listen_owned ? d->cfg.socket : "the socket systemd passed",
		 d->cfg.database);
	sd_notify(0, "READY=1");
	sched_status(d, "idle");
	sched_next(d);
	while (!(d->stopping && d->exec_pid <= 0)) {
		struct epoll_event evs[32];
		int n = epoll_wait(d->epfd, evs, 32, TICK_MS);

		if (n < 0 && errno != EINTR)
			return -errno;
		for (int i = 0; i < n; i++)
			on_event(d, &evs[i]);
		tick(d);
	}
	return 0;
}

/* ---- main --------------------------------------------------------------------- */

/* Options into d and *check_only. Returns -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv, struct daemon *d, int *check_only)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' }, { "foreground", no_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 't' },         { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },       { 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "c:fthV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': d->config_path = optarg; break;
		case 'f': break;
		case 't': *check_only = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_STOPPED;
		case 'V': printf("scalprofd %s\n", scalprof_version()); return EXIT_STOPPED;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		log_error("unexpected argument '%s'", argv[optind]);
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	return -1;
}

/* What serving needs: /, the topology, the database and the socket.
 * Returns 0, or -1 after logging. */
static int start(struct daemon *d)
{
	char *err = NULL;
	int r;

	if (chdir("/") < 0) {
		log_error("chdir /: %s", strerror(errno));
		return -1;
	}
	r = topology_new(&d->topo);
	if (r < 0) {
		log_error("cannot read the machine's topology: %s", strerror(-r));
		return -1;
	}
	if (store_open(d->cfg.database, &d->st, &err) < 0)
		goto fail;
	store_persist_wal(d->st);
	/* the database is root's; the group reads the copy published after
	 * each campaign and every shared_interval_s while one runs, and now
	 * if there is none (copying a large database would delay the start) */
	if (store_make_private(d->st) < 0 ||
	    (access(d->cfg.shared_database, F_OK) < 0 && store_publish(d->st, d->cfg.shared_database, d->cfg.gid) < 0)) {
		err = xstrdup(store_errmsg(d->st));
		goto fail;
	}
	if (listener_open(d->cfg.socket, d->cfg.gid, &d->listen_fd, &d->listen_owned, &err) < 0)
		goto fail;
	return 0;
fail:
	log_error("%s", err);
	free(err);
	return -1;
}

static void finish(struct daemon *d)
{
	while (d->conns)
		conn_free(d, d->conns);
	if (d->listen_owned) {
		unlink(d->cfg.socket);
		close(d->listen_fd);
	}
	if (d->sig_fd >= 0)
		close(d->sig_fd);
	if (d->epfd >= 0)
		close(d->epfd);
	sched_clear(d);
	store_close(d->st);
	topology_free(d->topo);
	config_clear(&d->cfg);
}

int main(int argc, char **argv)
{
	struct daemon d = {
		.config_path = CONFIG_DEFAULT_PATH, .listen_fd = -1, .sig_fd = -1, .epfd = -1, .exec_fd = -1,
	};
	char *err = NULL, config_abs[PATH_MAX];
	const char *what;
	uint64_t max_bytes;
	int check_only = 0, r, ex = EXIT_FAILED;

	log_init("scalprofd", LOG_LVL_INFO);
	r = parse_options(argc, argv, &d, &check_only);
	if (r >= 0)
		return r;
	if (ceiling_max_bytes(NULL, &max_bytes, &what) < 0) {
		log_error("%s: expected a whole number of MiB from 1 to %u, got '%s'", what, CEILING_MAX_MIB,
			  getenv("SCALPROF_PROBE_MAX_MIB"));
		return EXIT_USAGE;
	}
	if (config_load(d.config_path, &d.cfg, &err) < 0) {
		log_error("%s", err);
		free(err);
		return EXIT_USAGE;
	}
	if (check_only) {
		printf("%s: valid\n", d.config_path);
		config_clear(&d.cfg);
		return EXIT_STOPPED;
	}
	/* we chdir to /: SIGHUP must still find the file */
	if (!realpath(d.config_path, config_abs)) {
		log_error("%s: %s", d.config_path, strerror(errno));
		config_clear(&d.cfg);
		return EXIT_USAGE;
	}
	d.config_path = config_abs;
	/* the journal reads our stderr: say each line's priority */
	if (getenv("JOURNAL_STREAM") || getenv("NOTIFY_SOCKET"))
		log_use_priority_prefix(1);
	if (start(&d) == 0) {
		r = serve(&d);
		if (r < 0)
			log_error("serving: %s", strerror(-r));
		else
			ex = EXIT_STOPPED;
		log_info("stopped");
	}
	finish(&d);
	return ex;
}
