/* lock.c: the experiment lock (see lock.h). flock() rather than fcntl()
 * locks: it belongs to the open file, so a forked executor keeps it and it
 * ends with the last descriptor, even on SIGKILL. The file is world-writable
 * (like /run/lock itself) so that any user's `scalprof run` can take it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/lock.h"
#include "base/util.h"

const char *lock_default_path(void)
{
	const char *p = getenv("SCALPROF_LOCK");

	return p && *p ? p : LOCK_DEFAULT_PATH;
}

/* What the holder wrote, for the message. */
static char *read_holder(int fd)
{
	char buf[512];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return xstrdup("another process (it did not say who)");
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return xstrdup(buf);
}

int lock_take(const char *path, const char *who, char **ret_holder)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	int writable = 1;

	if (fd < 0 && errno == EACCES) {
		/* another user's file: a read-only descriptor locks as well */
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		writable = 0;
	}
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
	if (writable) {
		struct stat st;

		/* umask may have narrowed it; only the owner can widen it */
		if (fstat(fd, &st) == 0 && st.st_uid == geteuid() && (st.st_mode & 0777) != 0666)
			fchmod(fd, 0666);
		/* the lock holds without the note if it cannot be written */
		if (ftruncate(fd, 0) == 0) {
			ssize_t w = pwrite(fd, who, strlen(who), 0);

			(void)w;
		}
	}
	return fd;
}
