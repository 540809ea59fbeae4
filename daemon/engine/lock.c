/* lock.c: the experiment lock (see lock.h). flock() rather than fcntl()
 * locks: it belongs to the open file, so a forked executor keeps it and it
 * ends with the last descriptor, even on SIGKILL.
 *
 * The file is 0644 and belongs to whoever made it (scalprofd, as root, on a
 * machine that runs it). Any user can still take the lock, through a
 * read-only descriptor, as `scalprof run` must; only the owner writes the
 * note saying who holds it. So nobody can write a note in another's name,
 * and a note is believed only when the pid it gives is the one the kernel's
 * lock table (/proc/locks) names as the holder: otherwise the holder is
 * named from the lock table. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "engine/lock.h"
#include "base/util.h"

#define LOCK_MODE 0644

const char *lock_default_path(void)
{
	const char *p = getenv("SCALPROF_LOCK");

	return p && *p ? p : LOCK_DEFAULT_PATH;
}

/* The pid holding a flock on the file st names, from /proc/locks, or 0. */
static pid_t locks_holder(const struct stat *st)
{
	FILE *f = fopen("/proc/locks", "re");
	char line[256], type[16];
	unsigned int maj, min;
	unsigned long ino;
	int pid;
	pid_t found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		/* blocked waiters have "->" where the type is */
		if (sscanf(line, "%*d: %15s %*s %*s %d %x:%x:%lu", type, &pid, &maj, &min, &ino) == 5 &&
		    strcmp(type, "FLOCK") == 0 && maj == major(st->st_dev) && min == minor(st->st_dev) &&
		    ino == (unsigned long)st->st_ino && pid > 0)
			found = pid;
	fclose(f);
	return found;
}

/* "pid N (COMM) of user NAME", from /proc. */
static char *describe_pid(pid_t pid)
{
	char path[64], comm[64] = "?", buf[1024], *who;
	struct passwd pw, *res = NULL;
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	if ((f = fopen(path, "re"))) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (stat(path, &st) < 0)
		return xasprintf("pid %d (%s)", (int)pid, comm);
	if (getpwuid_r(st.st_uid, &pw, buf, sizeof(buf), &res) == 0 && res)
		who = xasprintf("pid %d (%s) of user %s", (int)pid, comm, res->pw_name);
	else
		who = xasprintf("pid %d (%s) of uid %d", (int)pid, comm, (int)st.st_uid);
	return who;
}

/* Who holds the lock on fd, for the message: the holder's note when the
 * kernel agrees it is the holder's, else what /proc says of the holder. */
static char *read_holder(int fd)
{
	char buf[512], *pidline;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long note_pid = 0;
	pid_t holder = 0;
	struct stat st;

	if (n < 0)
		n = 0;
	buf[n] = '\0';
	if ((pidline = strstr(buf, "\npid ")))
		note_pid = strtol(pidline + 5, NULL, 10);
	buf[strcspn(buf, "\n")] = '\0';
	if (fstat(fd, &st) == 0)
		holder = locks_holder(&st);
	if (holder > 0 && (!*buf || note_pid != holder))
		return describe_pid(holder);
	if (!*buf)
		return xstrdup("another process (it did not say who)");
	return xstrdup(buf);
}

/* Whether path still names the file open on fd (another taker may have
 * replaced it between our open and our flock). */
static int still_there(int fd, const char *path, struct stat *ret_st)
{
	struct stat ps;

	if (fstat(fd, ret_st) < 0 || lstat(path, &ps) < 0)
		return 0;
	return ps.st_dev == ret_st->st_dev && ps.st_ino == ret_st->st_ino;
}

/* Root found the lock file another user made (and so can write a note in
 * anyone's name): puts a locked file of its own in its place. *fd is
 * locked, and so is the new file before it takes the name, so the lock is
 * never free; anyone who opened the old file retries (still_there). On
 * failure keeps *fd, which still holds the lock. */
static void take_over(const char *path, int *fd)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	int nfd = mkostemp(tmp, O_CLOEXEC);

	if (nfd < 0) {
		free(tmp);
		return;
	}
	if (fchmod(nfd, LOCK_MODE) < 0 || flock(nfd, LOCK_EX | LOCK_NB) < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		close(nfd);
	} else {
		close(*fd);
		*fd = nfd;
	}
	free(tmp);
}

/* One try: 0 and *ret_fd, -EAGAIN if the file was replaced meanwhile, or
 * the errors of lock_take. */
static int take_once(const char *path, const char *who, int *ret_fd, char **ret_holder)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, LOCK_MODE);
	struct stat st;

	if (fd < 0 && errno == EACCES)
		/* another user's file: a read-only descriptor locks as well */
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		int e = errno;

		*ret_holder = xasprintf("cannot open the experiment lock '%s': %s", path, strerror(e));
		return -e;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		*ret_holder = e == EWOULDBLOCK ? read_holder(fd)
					       : xasprintf("cannot lock '%s': %s", path, strerror(e));
		close(fd);
		return e == EWOULDBLOCK ? -EBUSY : -e;
	}
	if (!still_there(fd, path, &st)) {
		close(fd);
		return -EAGAIN;
	}
	if (st.st_uid != geteuid() && geteuid() == 0)
		take_over(path, &fd);
	else if (st.st_uid == geteuid() && (st.st_mode & 022))
		/* an older scalprof made it world-writable */
		(void)fchmod(fd, st.st_mode & 0755);
	/* writes fail on a read-only descriptor: the lock holds without the note */
	if (ftruncate(fd, 0) == 0) {
		char *note = xasprintf("%s\npid %d\n", who, (int)getpid());
		ssize_t w = pwrite(fd, note, strlen(note), 0);

		(void)w;
		free(note);
	}
	*ret_fd = fd;
	return 0;
}

int lock_take(const char *path, const char *who, char **ret_holder)
{
	int fd = -1, r = -EAGAIN;

	for (int tries = 0; tries < 10 && r == -EAGAIN; tries++)
		r = take_once(path, who, &fd, ret_holder);
	if (r == -EAGAIN)
		*ret_holder = xasprintf("cannot lock '%s': it was replaced at every try", path);
	return r < 0 ? r : fd;
}
