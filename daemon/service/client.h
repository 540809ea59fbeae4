/* client.h: talking to scalprofd over its socket, for the scalprof
 * commands submit, list, status, watch and cancel (proto.h). */
#ifndef SCALPROF_CLIENT_H
#define SCALPROF_CLIENT_H

#include <json-c/json.h>

#include "service/proto.h"

#define CLIENT_DEFAULT_SOCKET "/run/scalprof/scalprofd.sock"

/* The socket: path if given, else $SCALPROF_SOCKET, else the default. */
const char *client_socket_path(const char *path);

/* Connects and sends req. Returns the descriptor, or -errno with a fresh
 * *ret_error saying what to do about it. */
int client_send(const char *path, const struct request *req, char **ret_error);

/* The next reply line as a JSON object (*ret, fresh), 0 at the end of the
 * stream, or -errno with a fresh *ret_error. buf carries what was read past
 * the line between calls; free it at the end. */
int client_next(int fd, char **buf, size_t *len, json_object **ret, char **ret_error);

#endif
