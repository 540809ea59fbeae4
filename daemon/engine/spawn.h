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
	char *const *argv;      /* argv[0] is looked up in envp's PATH */
	char *const *envp;
	const char *cwd;        /* NULL: inherit */
	const cpu_set_t *cpus;  /* affinity */
	int go_read, go_write;  /* the barrier pipe: EOF on go_read releases */
	int out_fd, err_fd;     /* where stdout and stderr go */
	int status_fd;          /* write end of this worker's status pipe */
	int devnull;            /* stdin */
	const struct spawn_creds *creds; /* NULL: as the parent */
	int thp_disable;        /* prctl(PR_SET_THP_DISABLE): no transparent huge pages */
	int mempolicy;          /* 0: inherited; else MPOL_LOCAL or MPOL_INTERLEAVE (linux/mempolicy.h) */
	uint64_t mem_nodes;     /* MPOL_INTERLEAVE's nodes, a bit each */
};

/* Messages a child writes to its status pipe; EOF after SPAWN_STARTED
 * means exec succeeded. */
enum spawn_stage {
	SPAWN_STARTED = 1, SPAWN_FAIL_SETUP, SPAWN_FAIL_AFFINITY, SPAWN_FAIL_CHDIR, SPAWN_FAIL_EXEC, SPAWN_FAIL_CREDS,
	SPAWN_FAIL_CONFINE, /* no_new_privs, or the descriptors above 2 */
	SPAWN_FAIL_THP,     /* a variant's thp: never (prctl) */
	SPAWN_FAIL_MEMPOLICY, /* a variant's memory policy (set_mempolicy) */
};

struct spawn_msg {
	int32_t stage;
	int32_t err;      /* errno for failures */
	int64_t mono_ns;  /* for SPAWN_STARTED */
};

/* The PATH a program is looked up in when envp has none (and the one the
 * daemon gives its submitters). */
#define SPAWN_DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"

/* Forks the worker. It becomes the leader of its own process group (so the
 * whole tree can be killed), takes req->creds if given (the process
 * limit, groups, gid, then uid: it cannot go back), dies with its parent, resets every signal to
 * its default with none blocked, sets no_new_privs, keeps only descriptors
 * 0-2 across exec, pins itself, waits for the barrier and execs argv[0] as
 * found in envp's PATH (SPAWN_DEFAULT_PATH without one), after the drop and
 * the chdir. Returns its pid or -errno; does not log. */
pid_t spawn_worker(const struct spawn_req *req);

/* Takes c for good: supplementary groups, gid, then uid (it cannot go
 * back). Returns 0 or -errno; async-signal-safe, for a forked child. */
int spawn_take_creds(const struct spawn_creds *c);

/* The first line that argv prints (stdout and stderr together, at most
 * 255 bytes), run as a worker would be: as creds (NULL: as we are), with
 * no_new_privs, in cwd (NULL: ours), only descriptors 0-2, default
 * signals, argv[0] found in envp's PATH (envp NULL: ours). A fresh string,
 * or NULL when it could not run, failed or printed nothing. Waits for it;
 * does not log. For `python3 --version`: a submitter's interpreter must
 * never run as the daemon. */
char *spawn_first_line(char *const *argv, char *const *envp, const char *cwd, const struct spawn_creds *creds);

/* Makes n close-on-exec pipes, pipe i's read end non-blocking when
 * nonblock[i]; on failure closes those already made. Returns 0 or -errno;
 * does not log. */
int spawn_pipes(int fds[][2], const int *nonblock, size_t n);

/* Closes *fd unless it is -1, and sets it to -1. */
void spawn_close(int *fd);

#endif
