/* proto.c: requests and replies of scalprofd's socket (see proto.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/campaign.h"
#include "service/proto.h"
#include "base/util.h"

static const char *const op_names[] = { "submit", "list", "status", "watch", "cancel" };

/* A request nests one level; anything deeper is malformed by definition. */
#define MAX_DEPTH 4

static int want_id(json_object *o, int required, int64_t *ret, char **ret_error)
{
	json_object *v;

	*ret = 0;
	if (!json_object_object_get_ex(o, "id", &v)) {
		if (required)
			*ret_error = xasprintf("\"id\" is missing: which campaign (see scalprof list)");
		return required ? -EINVAL : 0;
	}
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) <= 0) {
		*ret_error = xasprintf("\"id\" must be a positive integer");
		return -EINVAL;
	}
	*ret = json_object_get_int64(v);
	return 0;
}

static int parse_submit(json_object *o, struct request *req, char **ret_error)
{
	json_object *y, *p, *s;

	if (!json_object_object_get_ex(o, "yaml", &y) || !json_object_is_type(y, json_type_string)) {
		*ret_error = xasprintf("submit needs \"yaml\": the campaign's text, a string");
		return -EINVAL;
	}
	if (json_object_get_string_len(y) > CAMPAIGN_MAX_BYTES) {
		*ret_error = xasprintf("the campaign is larger than %d bytes", CAMPAIGN_MAX_BYTES);
		return -EINVAL;
	}
	if (!json_object_object_get_ex(o, "path", &p) || !json_object_is_type(p, json_type_string) ||
	    json_object_get_string(p)[0] != '/' || json_object_get_string_len(p) > 4096) {
		*ret_error = xasprintf("submit needs \"path\": the campaign file's absolute path, a string");
		return -EINVAL;
	}
	if (json_object_object_get_ex(o, "scale", &s)) {
		double v = json_object_get_double(s);

		if ((!json_object_is_type(s, json_type_double) && !json_object_is_type(s, json_type_int)) ||
		    !(v > 0) || v > CAMPAIGN_MAX_SCALE) {
			*ret_error = xasprintf("\"scale\" must be a number above 0 and at most %g", CAMPAIGN_MAX_SCALE);
			return -EINVAL;
		}
		req->scale = v;
	}
	req->yaml = xstrdup(json_object_get_string(y));
	req->path = xstrdup(json_object_get_string(p));
	if (strlen(req->yaml) != (size_t)json_object_get_string_len(y)) {
		*ret_error = xasprintf("the campaign contains NUL bytes");
		return -EINVAL;
	}
	return 0;
}

/* The line as one JSON object, depth-limited: *ret (fresh), or -EINVAL
 * (-ENOMEM) with a fresh *ret_error. */
static int parse_object(const char *line, size_t len, json_object **ret, char **ret_error)
{
	struct json_tokener *tok = json_tokener_new_ex(MAX_DEPTH);
	enum json_tokener_error jerr;
	json_object *o;
	size_t end;

	if (!tok) {
		*ret_error = xasprintf("out of memory");
		return -ENOMEM;
	}
	o = json_tokener_parse_ex(tok, line, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr != json_tokener_success)
		*ret_error = xasprintf("malformed request: %s (expected one JSON object on one line)",
				       jerr == json_tokener_continue ? "incomplete JSON" : json_tokener_error_desc(jerr));
	else if (end < len && line[end] != '\n' && line[end] != '\r')
		*ret_error = xasprintf("malformed request: text after the JSON object");
	else if (!o || !json_object_is_type(o, json_type_object)) /* null parses to no object */
		*ret_error = xasprintf("malformed request: expected a JSON object, got %s",
				       o ? json_type_to_name(json_object_get_type(o)) : "null");
	else {
		*ret = o;
		return 0;
	}
	if (o)
		json_object_put(o);
	return -EINVAL;
}

/* The "request" member: which operation. */
static int parse_op(json_object *o, enum proto_op *ret, char **ret_error)
{
	json_object *op;
	size_t i;

	if (!json_object_object_get_ex(o, "request", &op) || !json_object_is_type(op, json_type_string)) {
		*ret_error = xasprintf("\"request\" is missing: one of submit, list, status, watch, cancel");
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(op_names) && strcmp(op_names[i], json_object_get_string(op)) != 0; i++)
		;
	if (i == ARRAY_SIZE(op_names)) {
		*ret_error = xasprintf("unknown request '%.64s': one of submit, list, status, watch, cancel",
				       json_object_get_string(op));
		return -EINVAL;
	}
	*ret = (enum proto_op)i;
	return 0;
}

int proto_parse_request(const char *line, size_t len, struct request *req, char **ret_error)
{
	json_object *o = NULL;
	int r;

	memset(req, 0, sizeof(*req));
	*ret_error = NULL;
	r = parse_object(line, len, &o, ret_error);
	if (r == 0)
		r = parse_op(o, &req->op, ret_error);
	if (r == 0) {
		switch (req->op) {
		case OP_SUBMIT:
			r = parse_submit(o, req, ret_error);
			break;
		case OP_LIST:
			break;
		case OP_STATUS:
			r = want_id(o, 0, &req->id, ret_error);
			break;
		case OP_WATCH:
		case OP_CANCEL:
			r = want_id(o, 1, &req->id, ret_error);
			break;
		}
	}
	if (o)
		json_object_put(o);
	if (r < 0)
		request_clear(req);
	return r;
}

void request_clear(struct request *req)
{
	free(req->yaml);
	free(req->path);
	memset(req, 0, sizeof(*req));
}

char *proto_line(json_object *obj)
{
	char *s = xasprintf("%s\n", json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
							       JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(obj);
	return s;
}

char *proto_format_request(const struct request *req)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "request", json_object_new_string(op_names[req->op]));
	if (req->id)
		json_object_object_add(o, "id", json_object_new_int64(req->id));
	if (req->yaml)
		json_object_object_add(o, "yaml", json_object_new_string(req->yaml));
	if (req->path)
		json_object_object_add(o, "path", json_object_new_string(req->path));
	if (req->scale > 0)
		json_object_object_add(o, "scale", json_object_new_double(req->scale));
	return proto_line(o);
}

char *proto_error_line(const char *msg)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "ok", json_object_new_boolean(0));
	json_object_object_add(o, "error", json_object_new_string(msg));
	return proto_line(o);
}

const char *proto_str(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : NULL;
}

int64_t proto_int(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_int64(v) : 0;
}

json_object *proto_new_str(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}
