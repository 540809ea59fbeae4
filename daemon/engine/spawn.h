/* spawn.h: forking one worker that pins itself, waits at the run's barrier
 * and execs its workload, and the pipes such a child is given. Between fork and exec the child only makes
 * async-signal-safe system calls; it tells the parent through a status pipe
 * when it passed the barrier (its CLOCK_MONOTONIC start) or why it failed. */
#ifndef SCALPROF_SPAWN_H
#define SCALPROF_SPAWN_H

#include <sched.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

/* Who a worker runs as (scalprofd: the submitter). */
struct spawn_creds {
	uid_t uid;
	gid_t gid;
	const gid_t *groups;    /* supplementary groups */
	size_t ngroups;
	rlim_t nproc;           /* RLIMIT_NPROC (soft and hard) under the uid; 0: inherited */
};

struct spawn_req {
	char *const *argv;      /* argv[0] is looked up in PATH */
	char *const *envp;
	const char *cwd;        /* NULL: inherit */
	const cpu_set_t *cpus;  /* affinity */
	int go_read, go_write;  /* the barrier pipe: EOF on go_read releases */
	int out_fd, err_fd;     /* where stdout and stderr go */
	int status_fd;          /* write end of this worker's status pipe */
	int devnull;            /* stdin */
	const struct spawn_creds *creds; /* NULL: as the parent */
};

/* Messages a child writes to its status pipe; EOF after SPAWN_STARTED
 * means exec succeeded. */
enum spawn_stage {
	SPAWN_STARTED = 1, SPAWN_FAIL_SETUP, SPAWN_FAIL_AFFINITY, SPAWN_FAIL_CHDIR, SPAWN_FAIL_EXEC, SPAWN_FAIL_CREDS,
};

struct spawn_msg {
	int32_t stage;
	int32_t err;      /* errno for failures */
	int64_t mono_ns;  /* for SPAWN_STARTED */
};

/* Forks the worker. It becomes the leader of its own process group (so the
 * whole tree can be killed), takes req->creds if given (the process limit,
 * groups, gid, then uid: it cannot go back), dies with its parent, pins itself, waits for
 * the barrier and execs. Returns its pid or -errno; does not log. */
pid_t spawn_worker(const struct spawn_req *req);

/* Makes n close-on-exec pipes, pipe i's read end non-blocking when
 * nonblock[i]; on failure closes those already made. Returns 0 or -errno;
 * does not log. */
int spawn_pipes(int fds[][2], const int *nonblock, size_t n);

/* Closes *fd unless it is -1, and sets it to -1. */
void spawn_close(int *fd);

#endif
