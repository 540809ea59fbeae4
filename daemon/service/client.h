/* client.h: talking to scalprofd over its socket, for the scalprof
 * commands submit, list, status, watch and cancel (proto.h). */
#ifndef SCALPROF_CLIENT_H
#define SCALPROF_CLIENT_H

#include <json-c/json.h>

#include "service/proto.h"

#define CLIENT_DEFAULT_SOCKET "/run/scalprof/scalprofd.sock"

/* The socket: path if given, else $SCALPROF_SOCKET, else the default
 * (a static string, or path or the environment's). */
const char *client_socket_path(const char *path);

/* Connects to scalprofd on path and sends req, as a client. Returns the
 * connected descriptor to read the replies from with client_next (close
 * it), or -errno with a fresh *ret_error saying what to do about it. Does
 * not log. */
int client_request(const char *path, const struct request *req, char **ret_error);

/* The next reply line as a JSON object: 1 with *ret (fresh), 0 at the end
 * of the stream, or -errno (-EPROTO for a broken reply) with a fresh
 * *ret_error. buf carries what was read past the line between calls; free
 * it at the end. Does not log. */
int client_next(int fd, char **buf, size_t *len, json_object **ret, char **ret_error);

#endif
