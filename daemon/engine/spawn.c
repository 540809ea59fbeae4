/* spawn.c: fork, pin, barrier, exec, and the pipes of a child (see
 * spawn.h). Everything the child does is an async-signal-safe system call:
 * no allocation, no stdio, no logging, because another thread of the
 * parent's libraries may have held a lock at the moment of fork. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "engine/spawn.h"

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

static __attribute__((noreturn)) void child(const struct spawn_req *req, pid_t parent)
{
	sigset_t none;
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
	if (req->creds && (setgroups(req->creds->ngroups, req->creds->groups) < 0 ||
			   setresgid(req->creds->gid, req->creds->gid, req->creds->gid) < 0 ||
			   setresuid(req->creds->uid, req->creds->uid, req->creds->uid) < 0))
		child_fail(req->status_fd, SPAWN_FAIL_CREDS);
	/* after the uid changes: a change of credentials clears the signal */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(127); /* the parent is already gone */
	/* the parent blocks the signals it reads through signalfd and ignores
	 * SIGPIPE: the workload must start with neither */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);

	close(req->go_write);
	if (dup2(req->devnull, 0) < 0 || dup2(req->out_fd, 1) < 0 || dup2(req->err_fd, 2) < 0)
		child_fail(req->status_fd, SPAWN_FAIL_SETUP);
	if (sched_setaffinity(0, sizeof(*req->cpus), req->cpus) < 0)
		child_fail(req->status_fd, SPAWN_FAIL_AFFINITY);
	if (req->cwd && chdir(req->cwd) < 0)
		child_fail(req->status_fd, SPAWN_FAIL_CHDIR);

	/* the barrier: every worker blocks here until the parent closes the
	 * write end, which wakes them all at once */
	do
		n = read(req->go_read, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 0)
		_exit(127); /* the parent never writes: anything else is a bug */

	child_report(req->status_fd, SPAWN_STARTED, 0);
	execvpe(req->argv[0], req->argv, req->envp);
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
