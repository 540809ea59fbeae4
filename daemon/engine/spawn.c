/* spawn.c: fork, pin, barrier, exec, and the pipes of a child (see
 * spawn.h). Everything the child does is an async-signal-safe system call:
 * no allocation, no stdio, no logging, because another thread of the
 * parent's libraries may have held a lock at the moment of fork.
 *
 * What a workload starts with, whoever started us and however: descriptors
 * 0-2 only, every signal at its default and none blocked, no new privileges,
 * and its program looked up in its own environment's PATH. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/spawn.h"

#include <linux/mempolicy.h>

static void child_report(int fd, int stage, int err)
{
	struct spawn_msg m = { .stage = stage, .err = err };
	struct timespec ts;

	if (stage == SPAWN_STARTED) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		m.mono_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	}
	/* a pipe write of this size is atomic; nothing to do if it fails */
	if (write(fd, &m, sizeof(m)) < 0)
		return;
}

static __attribute__((noreturn)) void child_fail(int fd, int stage)
{
	child_report(fd, stage, errno);
	_exit(127);
}

int spawn_take_creds(const struct spawn_creds *c)
{
	return setgroups(c->ngroups, c->groups) < 0 || setresgid(c->gid, c->gid, c->gid) < 0 ||
			       setresuid(c->uid, c->uid, c->uid) < 0
		? -errno : 0;
}

/* Marks every descriptor from 3 up close-on-exec: the pipes the child
 * still needs (barrier, status) work until exec, and nothing the daemon
 * inherited when it was started (by hand, by another manager, fd 7 on a
 * root-only file) reaches the workload. Without close_range (Linux < 5.11)
 * each descriptor below the limit on open files is marked in turn. */
static int child_cloexec_all(void)
{
	struct rlimit rl;

	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return 0;
	if (errno != ENOSYS && errno != EINVAL)
		return -1;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	for (rlim_t fd = 3; fd < rl.rlim_cur && fd < INT_MAX; fd++)
		if (fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0 && errno != EBADF)
			return -1;
	return 0;
}

/* Every signal to its default disposition and none blocked. exec resets
 * handlers but keeps ignored signals and the mask: a daemon started with
 * SIGINT or SIGPIPE ignored (nohup, a script's background job) and our own
 * SIG_IGN for SIGPIPE and the signals read through signalfd must not reach
 * the workload. SIGKILL, SIGSTOP and the C library's own signals refuse
 * the change, which is harmless. */
/* The C library refuses to touch the real-time signals it keeps for its
 * threads (32 and 33 with glibc), yet a parent that ignored them passes
 * that on through exec (seen under a process manager): the kernel is
 * asked directly. Its struct sigaction on x86-64 and arm64: handler,
 * flags, restorer, then the mask, whose size is the last argument. */
static void kernel_default(int sig)
{
	struct {
		void (*handler)(int);
		unsigned long flags;
		void (*restorer)(void);
		uint64_t mask;
	} k = { SIG_DFL, 0, NULL, 0 };

	(void)syscall(SYS_rt_sigaction, sig, &k, NULL, sizeof(k.mask));
}

static void child_default_signals(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;

	sigemptyset(&dfl.sa_mask);
	for (int sig = 1; sig < NSIG; sig++)
		if (sigaction(sig, &dfl, NULL) < 0 && errno == EINVAL && sig != SIGKILL && sig != SIGSTOP)
			kernel_default(sig);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* The value of PATH in envp, or SPAWN_DEFAULT_PATH. */
static const char *env_path(char *const *envp)
{
	for (char *const *e = envp; e && *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			return *e + 5;
	return SPAWN_DEFAULT_PATH;
}

/* execvpe(3), but searching the PATH of envp rather than our own, which is
 * the daemon's (glibc looks at the caller's environment). Each candidate
 * goes to execvpe with a slash in it, so that it is not searched again and
 * a script without #! still runs through /bin/sh. Errors as execvpe's:
 * EACCES if some candidate was not executable, else the last one's, and a
 * failure other than "not here" ends the search. Uses only the stack.
 * Returns only on failure, with errno set. */
static void child_exec(char *const *argv, char *const *envp)
{
	const char *file = argv[0], *p, *end;
	char buf[PATH_MAX];
	size_t flen = strlen(file), dlen;
	int eacces = 0;

	if (flen == 0) {
		errno = ENOENT;
		return;
	}
	if (strchr(file, '/')) {
		execvpe(file, argv, envp);
		return;
	}
	errno = ENOENT;
	for (p = env_path(envp);; p = end + 1) {
		end = strchrnul(p, ':');
		dlen = (size_t)(end - p);
		/* an empty entry is the working directory */
		if (dlen == 0) {
			p = ".";
			dlen = 1;
		}
		if (dlen + 1 + flen < sizeof(buf)) {
			memcpy(buf, p, dlen);
			buf[dlen] = '/';
			memcpy(buf + dlen + 1, file, flen + 1);
			execvpe(buf, argv, envp);
			switch (errno) {
			case EACCES:
				eacces = 1;
				break;
			case ENOENT:
			case ENOTDIR:
			case ESTALE:
			case ENODEV:
			case ETIMEDOUT:
				break;
			default:
				return;
			}
		}
		if (*end == '\0')
			break;
	}
	if (eacces)
		errno = EACCES;
}

static __attribute__((noreturn)) void child(const struct spawn_req *req, pid_t parent)
{
	char c;
	ssize_t n;

	setpgid(0, 0);
	/* the submitter's process limit, set while still root (an unprivileged
	 * process cannot raise a hard limit it inherited lower): RLIMIT_NPROC
	 * counts the processes of the real uid, so after setresuid every fork
	 * of the workload, and its exec, is checked against it */
	if (req->creds && req->creds->nproc &&
	    setrlimit(RLIMIT_NPROC, &(struct rlimit){ req->creds->nproc, req->creds->nproc }) < 0)
		child_fail(req->status_fd, SPAWN_FAIL_CREDS);
	if (req->creds && spawn_take_creds(req->creds) < 0)
		child_fail(req->status_fd, SPAWN_FAIL_CREDS);
	/* after the uid changes: a change of credentials clears the signal */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(127); /* the parent is already gone */
	child_default_signals();
	/* Always, for scalprof run as for the daemon: the same campaign starts
	 * the same way under both, and a workload that gained rights at exec
	 * (set-user-ID, file capabilities) would be measured and profiled by
	 * counters its submitter opened. The cost: sudo, or any set-user-ID
	 * helper, gains nothing in a workload (sudo refuses to run). */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		child_fail(req->status_fd, SPAWN_FAIL_CONFINE);

	close(req->go_write);
	if (dup2(req->devnull, 0) < 0 || dup2(req->out_fd, 1) < 0 || dup2(req->err_fd, 2) < 0)
		child_fail(req->status_fd, SPAWN_FAIL_SETUP);
	/* after dup2, whose copies are not close-on-exec: the pipes' originals
	 * above 2 now are, with everything else */
	if (child_cloexec_all() < 0)
		child_fail(req->status_fd, SPAWN_FAIL_CONFINE);
	if (sched_setaffinity(0, sizeof(*req->cpus), req->cpus) < 0)
		child_fail(req->status_fd, SPAWN_FAIL_AFFINITY);
	if (req->cwd && chdir(req->cwd) < 0)
		child_fail(req->status_fd, SPAWN_FAIL_CHDIR);
	/* a variant's changes fail the worker rather than run it without
	 * them: a run must be what it says it is */
	if (req->thp_disable && prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) < 0)
		child_fail(req->status_fd, SPAWN_FAIL_THP);
	if (req->mempolicy == MPOL_INTERLEAVE) {
		unsigned long mask = (unsigned long)req->mem_nodes;

		if (syscall(SYS_set_mempolicy, MPOL_INTERLEAVE, &mask, sizeof(mask) * 8 + 1) < 0)
			child_fail(req->status_fd, SPAWN_FAIL_MEMPOLICY);
	} else if (req->mempolicy == MPOL_LOCAL && syscall(SYS_set_mempolicy, MPOL_LOCAL, NULL, 0) < 0) {
		child_fail(req->status_fd, SPAWN_FAIL_MEMPOLICY);
	}

	/* the barrier: every worker blocks here until the parent closes the
	 * write end, which wakes them all at once */
	do
		n = read(req->go_read, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 0)
		_exit(127); /* the parent never writes: anything else is a bug */

	child_report(req->status_fd, SPAWN_STARTED, 0);
	child_exec(req->argv, req->envp);
	child_fail(req->status_fd, SPAWN_FAIL_EXEC);
}

pid_t spawn_worker(const struct spawn_req *req)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0)
		child(req, parent);
	/* also from the parent, so a kill of the group cannot race the
	 * child's own setpgid */
	setpgid(pid, pid);
	return pid;
}

char *spawn_first_line(char *const *argv, char *const *envp, const char *cwd, const struct spawn_creds *creds)
{
	char line[256];
	size_t got = 0;
	int fds[2], status;
	ssize_t k;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return NULL;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

		/* as a worker starts, less its barrier and pinning: never as
		 * root for a submitter's program */
		if ((creds && spawn_take_creds(creds) < 0) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || null < 0 ||
		    dup2(null, 0) < 0 || dup2(fds[1], 1) < 0 || dup2(fds[1], 2) < 0 || (cwd && chdir(cwd) < 0) ||
		    child_cloexec_all() < 0)
			_exit(127);
		child_default_signals();
		child_exec(argv, envp ? envp : environ);
		_exit(127);
	}
	close(fds[1]);
	while (pid > 0 && got < sizeof(line) - 1 &&
	       ((k = read(fds[0], line + got, sizeof(line) - 1 - got)) > 0 || (k < 0 && errno == EINTR)))
		got += k > 0 ? (size_t)k : 0;
	close(fds[0]);
	if (pid < 0)
		return NULL;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !got)
		return NULL;
	line[got] = '\0';
	line[strcspn(line, "\n")] = '\0';
	return strdup(line);
}

static int make_pipe(int fds[2], int nonblock_read)
{
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	if (nonblock_read && fcntl(fds[0], F_SETFL, O_NONBLOCK) < 0) {
		int e = errno;

		close(fds[0]);
		close(fds[1]);
		return -e;
	}
	return 0;
}

int spawn_pipes(int fds[][2], const int *nonblock, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int r = make_pipe(fds[i], nonblock[i]);

		if (r < 0) {
			while (i-- > 0) {
				close(fds[i][0]);
				close(fds[i][1]);
			}
			return r;
		}
	}
	return 0;
}

void spawn_close(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}
