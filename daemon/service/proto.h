/* proto.h: scalprofd's protocol over its Unix socket (man scalprofd(8)).
 * A client sends one request, a JSON object on one line; the daemon
 * answers with one JSON object per line: one for most requests, a stream of
 * events for watch. Parsing goes through json-c with a depth limit; every
 * malformed request gets a message saying what is wrong. */
#ifndef SCALPROF_PROTO_H
#define SCALPROF_PROTO_H

#include <stdint.h>

#include <json-c/json.h>

#define PROTO_VERSION 1

enum proto_op { OP_SUBMIT, OP_LIST, OP_STATUS, OP_WATCH, OP_CANCEL };

struct request {
	enum proto_op op;
	int64_t id;          /* status (0: the daemon's), watch, cancel */
	char *yaml;          /* submit: the campaign's text */
	char *path;          /* submit: its file, absolute (messages, relative cwd) */
	double scale;        /* submit: 0 = the campaign's own */
};

/* Parses one request line of len bytes. Returns 0 and fills *req
 * (request_clear it), or -EINVAL (-ENOMEM) with a fresh *ret_error and
 * *req cleared. Does not log. */
int proto_parse_request(const char *line, size_t len, struct request *req, char **ret_error);
/* Frees what proto_parse_request filled and zeroes req. */
void request_clear(struct request *req);

/* The request as one line (with its '\n'), for clients; free it. */
char *proto_format_request(const struct request *req);

/* {"ok": false, "error": msg} as a line; free it. */
char *proto_error_line(const char *msg);

/* obj as one line, then releases obj; free the result. */
char *proto_line(json_object *obj);

/* The protocol's JSON, read and written the same way on both sides. */
/* key's value in o as a string (the JSON text of a non-string), or NULL
 * when o lacks key or it is null; o owns it. */
const char *proto_str(json_object *o, const char *key);
/* key's value in o as an integer, 0 when o lacks key or it is null. */
int64_t proto_int(json_object *o, const char *key);
/* A JSON string holding s, or JSON null (NULL) when s is NULL. */
json_object *proto_new_str(const char *s);

#endif
