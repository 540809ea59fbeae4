/* client.c: the client side of scalprofd's socket (see client.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "service/client.h"
#include "base/util.h"

const char *client_socket_path(const char *path)
{
	const char *env = getenv("SCALPROF_SOCKET");

	return path ? path : env && *env ? env : CLIENT_DEFAULT_SOCKET;
}

/* Connects to scalprofd at path. Returns the descriptor, or -errno with a
 * fresh *ret_error saying what to do about it. */
static int connect_daemon(const char *path, char **ret_error)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, e;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		*ret_error = xasprintf("socket path too long: %s", path);
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		e = errno;
		*ret_error = xasprintf("socket: %s", strerror(e));
		return -e;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return fd;
	e = errno;
	close(fd);
	if (e == EACCES || e == EPERM)
		*ret_error = xasprintf("permission denied on %s: using scalprofd needs membership of its group "
				       "(group in /etc/scalprof/scalprofd.yaml, by default scalprof)", path);
	else if (e == ENOENT || e == ECONNREFUSED)
		*ret_error = xasprintf("scalprofd is not running (nothing answers on %s): start it "
				       "(systemctl start scalprofd), or run campaigns in the foreground with "
				       "scalprof run", path);
	else
		*ret_error = xasprintf("cannot connect to scalprofd on %s: %s", path, strerror(e));
	return -e;
}

/* Sends all of line on fd. Returns 0, or -errno with a fresh *ret_error. */
static int send_line(int fd, const char *line, char **ret_error)
{
	size_t len = strlen(line), off = 0;

	while (off < len) {
		ssize_t n = send(fd, line + off, len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
			break; /* it answered before reading all: its answer says why */
		if (n <= 0) {
			int e = n < 0 ? errno : EPIPE;

			*ret_error = xasprintf("sending to scalprofd: %s", strerror(e));
			return -e;
		}
		off += (size_t)n;
	}
	return 0;
}

int client_request(const char *path, const struct request *req, char **ret_error)
{
	char *line;
	int r, fd = connect_daemon(path, ret_error);

	if (fd < 0)
		return fd;
	line = proto_format_request(req);
	r = send_line(fd, line, ret_error);
	free(line);
	if (r < 0) {
		close(fd);
		return r;
	}
	/* the request is complete: the daemon may answer and close; a failure
	 * means it hung up already, and its answer, read next, says why */
	(void)shutdown(fd, SHUT_WR);
	return fd;
}

int client_next(int fd, char **buf, size_t *len, json_object **ret, char **ret_error)
{
	for (;;) {
		char *nl = *buf ? memchr(*buf, '\n', *len) : NULL;
		char tmp[65536];
		ssize_t n;

		if (nl) {
			size_t l = (size_t)(nl - *buf);

			*nl = '\0';
			*ret = json_tokener_parse(*buf);
			*len -= l + 1;
			memmove(*buf, nl + 1, *len);
			if (!*ret || !json_object_is_type(*ret, json_type_object)) {
				if (*ret)
					json_object_put(*ret);
				*ret_error = xasprintf("scalprofd sent something that is not a JSON object");
				return -EPROTO;
			}
			return 1;
		}
		n = read(fd, tmp, sizeof(tmp));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*ret_error = xasprintf("reading from scalprofd: %s", strerror(errno));
			return -errno;
		}
		if (n == 0) {
			if (*len) {
				*ret_error = xasprintf("scalprofd closed the connection in the middle of a reply");
				return -EPROTO;
			}
			return 0;
		}
		*buf = xreallocarray(*buf, *len + (size_t)n + 1, 1);
		memcpy(*buf + *len, tmp, (size_t)n);
		*len += (size_t)n;
	}
}
