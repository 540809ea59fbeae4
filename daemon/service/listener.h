/* listener.h: scalprofd's listening socket: the one systemd passes
 * (socket activation), or one bound at the configured path, mode 0660 and
 * owned by the group, after clearing a stale socket file of a killed
 * daemon (never the socket of one still answering). */
#ifndef SCALPROF_LISTENER_H
#define SCALPROF_LISTENER_H

#include <sys/types.h>

/* Returns 0 with *ret_fd (non-blocking, close-on-exec) and *ret_owned (1
 * when bound here at path: unlink it at exit; 0 when systemd passed it), or
 * -errno with a fresh *ret_error. Does not log. */
int listener_open(const char *path, gid_t gid, int *ret_fd, int *ret_owned, char **ret_error);

#endif
