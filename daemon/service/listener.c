/* listener.c: scalprofd's listening socket (see listener.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "base/util.h"
#include "service/listener.h"

/* The socket systemd passed, if it passed one: 1 with *ret_fd, 0 none. */
static int inherited(int *ret_fd, char **ret_error)
{
	int n = sd_listen_fds(1), fd = SD_LISTEN_FDS_START;

	if (n <= 0)
		return 0;
	if (n > 1) {
		*ret_error = xasprintf("systemd passed %d sockets; scalprofd listens on one", n);
		return -EINVAL;
	}
	if (sd_is_socket_unix(fd, SOCK_STREAM, 1, NULL, 0) <= 0) {
		*ret_error = xasprintf("the socket systemd passed is not a listening Unix stream socket");
		return -EINVAL;
	}
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 || fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
		*ret_error = xasprintf("the socket systemd passed: %s", strerror(errno));
		return -errno;
	}
	*ret_fd = fd;
	return 1;
}

/* A socket file at sa left by a killed daemon (nobody answers on it) is
 * removed; one where another daemon answers is -EADDRINUSE. */
static int clear_stale(const struct sockaddr_un *sa, char **ret_error)
{
	struct stat st;
	int probe, r = 0;

	if (lstat(sa->sun_path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return 0;
	probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe < 0)
		return 0; /* bind says what is wrong */
	if (connect(probe, (const struct sockaddr *)sa, sizeof(*sa)) < 0 && errno == ECONNREFUSED) {
		unlink(sa->sun_path);
	} else {
		*ret_error = xasprintf("socket %s: another scalprofd is answering there", sa->sun_path);
		r = -EADDRINUSE;
	}
	close(probe);
	return r;
}

int listener_open(const char *path, gid_t gid, int *ret_fd, int *ret_owned, char **ret_error)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, r = inherited(ret_fd, ret_error);

	if (r != 0) {
		*ret_owned = 0;
		return r < 0 ? r : 0;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		r = -errno;
		*ret_error = xasprintf("socket %s: %s", sa.sun_path, strerror(-r));
		return r;
	}
	r = clear_stale(&sa, ret_error);
	if (r < 0)
		goto err;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(sa.sun_path, 0660) < 0 ||
	    chown(sa.sun_path, (uid_t)-1, gid) < 0 || listen(fd, 64) < 0) {
		r = -errno;
		*ret_error = xasprintf("socket %s: %s", sa.sun_path, strerror(-r));
		goto err;
	}
	*ret_fd = fd;
	*ret_owned = 1;
	return 0;
err:
	close(fd);
	return r;
}
