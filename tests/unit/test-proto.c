/* test-proto.c: scalprofd's request parser (service/proto.c). Every request
 * kind with its fields; malformed JSON, a missing, extra or wrongly typed
 * field, and each bound (the campaign's size, the path's length, the scale,
 * the nesting depth, the length given) with the exact message a client is
 * sent; and the formatter, whose lines read back to the same request. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/campaign.h"
#include "service/proto.h"
#include "tap.h"

#define OPS		"one of submit, list, status, watch, cancel"
#define MALFORMED(what) "malformed request: " what " (expected one JSON object on one line)"

/* Parses the len bytes of line; returns the result, with *req and *err as
 * the parser left them (the caller clears them). */
static int parse_n(const char *line, size_t len, struct request *req, char **err)
{
	*err = (char *)"(untouched)";
	return proto_parse_request(line, len, req, err);
}

/* line must parse: returns whether it did, leaving *req to check */
static int good(const char *line, struct request *req, const char *what)
{
	char *err;
	int r = parse_n(line, strlen(line), req, &err);

	if (!ok(r == 0 && err == NULL, "%s: accepted, no message", what))
		printf("#   returned %d: %s\n", r, err ? err : "(no message)");
	if (r < 0)
		free(err);
	return r == 0;
}

/* the len bytes of line must be refused with exactly want */
static void bad_n(const char *line, size_t len, const char *want, const char *what)
{
	struct request req;
	char *err;
	int r = parse_n(line, len, &req, &err);

	is_int(r, -EINVAL, "%s: refused with -EINVAL", what);
	is_str(err, want, "%s: message", what);
	ok(req.yaml == NULL && req.path == NULL && req.id == 0 && req.scale == 0,
	   "%s: nothing of it is left in the request", what);
	if (r < 0)
		free(err);
	else
		request_clear(&req);
}

static void bad(const char *line, const char *want, const char *what)
{
	bad_n(line, strlen(line), want, what);
}

/* refused as malformed JSON; the middle of the message is json-c's */
static void bad_json(const char *line, const char *what)
{
	static const char head[] = "malformed request: ", tail[] = " (expected one JSON object on one line)";
	struct request req;
	char *err;
	size_t len;
	int r = parse_n(line, strlen(line), &req, &err);

	is_int(r, -EINVAL, "%s: refused with -EINVAL", what);
	len = r < 0 && err ? strlen(err) : 0;
	if (!ok(len > strlen(head) + strlen(tail) && strncmp(err, head, strlen(head)) == 0 &&
		    strcmp(err + len - strlen(tail), tail) == 0,
		"%s: message says malformed, and what is expected", what))
		printf("#   got '%s'\n", r < 0 && err ? err : "(none)");
	if (r < 0)
		free(err);
	else
		request_clear(&req);
}

/* requests without a campaign's text: { line, op, id, what } */
static const struct {
	const char *line;
	enum proto_op op;
	int64_t id;
	const char *what;
} plain[] = {
    {"{\"request\":\"list\"}", OP_LIST, 0, "list"},
    {"{\"request\":\"status\"}", OP_STATUS, 0, "status without an id: 0, the daemon's own"},
    {"{\"request\":\"status\",\"id\":12}", OP_STATUS, 12, "status of a campaign"},
    {"{\"request\":\"watch\",\"id\":3}", OP_WATCH, 3, "watch"},
    {"{\"id\":9007199254740993,\"request\":\"cancel\"}", OP_CANCEL, 9007199254740993LL,
     "cancel, fields in any order, a 64-bit id exactly"},
};

static void kinds(void)
{
	struct request req;

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		if (!good(plain[i].line, &req, plain[i].what))
			continue;
		is_int(req.op, plain[i].op, "%s: the op", plain[i].what);
		is_int(req.id, plain[i].id, "%s: the id", plain[i].what);
		ok(req.yaml == NULL && req.path == NULL && req.scale == 0, "%s: no other field", plain[i].what);
		request_clear(&req);
	}
	if (good("{\"request\":\"submit\",\"yaml\":\"name: x\\nworkers: [1]\\n\",\"path\":\"/srv/c.yaml\"}", &req,
		 "submit")) {
		is_int(req.op, OP_SUBMIT, "submit: the op");
		is_str(req.yaml, "name: x\nworkers: [1]\n", "submit: the campaign's text, unescaped");
		is_str(req.path, "/srv/c.yaml", "submit: its path");
		ok(req.scale == 0, "submit without a scale: 0, the campaign's own");
		request_clear(&req);
		ok(req.yaml == NULL && req.path == NULL, "request_clear frees and forgets the strings");
	}
	if (good("{\"request\":\"submit\",\"yaml\":\"\",\"path\":\"/c\",\"scale\":0.25}", &req,
		 "submit with a scale")) {
		ok(req.scale == 0.25, "submit: a fractional scale (%g)", req.scale);
		request_clear(&req);
	}
	if (good("{\"request\":\"submit\",\"yaml\":\"x\",\"path\":\"/c\",\"scale\":2}", &req, "an integer scale")) {
		ok(req.scale == 2, "submit: an integer scale is a number too (%g)", req.scale);
		request_clear(&req);
	}
	if (good("{\"request\":\"list\",\"client\":\"scalprof 9\",\"id\":\"ignored\"}", &req,
		 "list with fields it does not use")) {
		is_int(req.id, 0, "fields a request does not use are ignored, even wrongly typed");
		request_clear(&req);
	}
	if (good("{\"request\":\"watch\",\"id\":1}\n", &req, "a line with its newline"))
		request_clear(&req);
	if (good("{\"request\":\"watch\",\"id\":1}\r\n", &req, "a line ending in CRLF"))
		request_clear(&req);
	if (good("  { \"request\" : \"list\" }", &req, "spaces around the tokens"))
		request_clear(&req);
}

static void malformed(void)
{
	bad_json("not json", "garbage");
	bad("", MALFORMED("incomplete JSON"), "an empty line");
	bad("{\"request\":", MALFORMED("incomplete JSON"), "a request cut short");
	bad("{\"request\":\"list\"} {}", "malformed request: text after the JSON object", "two objects on a line");
	bad("{\"request\":\"list\"}x", "malformed request: text after the JSON object", "text after the object");
	bad("[1,2]", "malformed request: expected a JSON object, got array", "an array");
	bad("\"list\"", "malformed request: expected a JSON object, got string", "a string");
	/* (a bare number or null at the very end reads as incomplete: json-c
	 * waits for more; a space ends it) */
	bad("42 ", "malformed request: expected a JSON object, got int", "a number");
	{
		struct request req;
		char *err;

		is_int(parse_n("null ", 5, &req, &err), -EINVAL, "null: refused with -EINVAL");
		is_str(err, "malformed request: expected a JSON object, got null", "null: message");
		free(err);
	}
	bad("{\"request\":[[[[[[[[1]]]]]]]]}", MALFORMED("nesting too deep"), "deep nesting");
	bad("{\"a\":{\"b\":{\"c\":{\"d\":1}}}}", MALFORMED("nesting too deep"), "an object four levels deep");
	{
		struct request req;
		char *err;

		/* three levels are within the limit: refused for what it lacks */
		is_int(parse_n("{\"a\":{\"b\":{\"c\":1}},\"request\":\"list\"}",
			       strlen("{\"a\":{\"b\":{\"c\":1}},\"request\":\"list\"}"), &req, &err),
		       0, "three levels of nesting are within the depth limit");
		request_clear(&req);
	}
}

static void fields(void)
{
	char big[200];

	bad("{}", "\"request\" is missing: " OPS, "no request field");
	bad("{\"Request\":\"list\"}", "\"request\" is missing: " OPS, "field names are case-sensitive");
	bad("{\"request\":1}", "\"request\" is missing: " OPS, "a number for the request");
	bad("{\"request\":null}", "\"request\" is missing: " OPS, "null for the request");
	bad("{\"request\":\"explode\"}", "unknown request 'explode': " OPS, "an unknown request");
	bad("{\"request\":\"LIST\"}", "unknown request 'LIST': " OPS, "request names are case-sensitive");
	snprintf(big, sizeof(big), "{\"request\":\"%0100d\"}", 7);
	bad(big, "unknown request '0000000000000000000000000000000000000000000000000000000000000000': " OPS,
	    "an unknown request's name is cut to 64 characters in the message");

	bad("{\"request\":\"watch\"}", "\"id\" is missing: which campaign (see scalprof list)", "watch without an id");
	bad("{\"request\":\"cancel\"}", "\"id\" is missing: which campaign (see scalprof list)",
	    "cancel without an id");
	bad("{\"request\":\"cancel\",\"id\":\"7\"}", "\"id\" must be a positive integer", "a string id");
	bad("{\"request\":\"watch\",\"id\":0}", "\"id\" must be a positive integer", "id 0");
	bad("{\"request\":\"watch\",\"id\":-3}", "\"id\" must be a positive integer", "a negative id");
	bad("{\"request\":\"watch\",\"id\":1.5}", "\"id\" must be a positive integer", "a fractional id");
	bad("{\"request\":\"watch\",\"id\":null}", "\"id\" must be a positive integer", "a null id");
	bad("{\"request\":\"status\",\"id\":true}", "\"id\" must be a positive integer", "status: a boolean id");
}

#define SUBMIT_NEEDS_YAML "submit needs \"yaml\": the campaign's text, a string"
#define SUBMIT_NEEDS_PATH "submit needs \"path\": the campaign file's absolute path, a string"
#define SCALE_RANGE	  "\"scale\" must be a number above 0 and at most 1000"

static void submit(void)
{
	bad("{\"request\":\"submit\",\"path\":\"/c\"}", SUBMIT_NEEDS_YAML, "submit without yaml");
	bad("{\"request\":\"submit\",\"yaml\":7,\"path\":\"/c\"}", SUBMIT_NEEDS_YAML, "a number for yaml");
	bad("{\"request\":\"submit\",\"yaml\":[\"a\"],\"path\":\"/c\"}", SUBMIT_NEEDS_YAML, "an array for yaml");
	bad("{\"request\":\"submit\",\"yaml\":\"x\"}", SUBMIT_NEEDS_PATH, "submit without a path");
	bad("{\"request\":\"submit\",\"yaml\":\"x\",\"path\":\"c.yaml\"}", SUBMIT_NEEDS_PATH, "a relative path");
	bad("{\"request\":\"submit\",\"yaml\":\"x\",\"path\":\"\"}", SUBMIT_NEEDS_PATH, "an empty path");
	bad("{\"request\":\"submit\",\"yaml\":\"x\",\"path\":1}", SUBMIT_NEEDS_PATH, "a number for the path");
	bad("{\"request\":\"submit\",\"yaml\":\"x\",\"path\":\"/c\",\"scale\":0}", SCALE_RANGE, "scale 0");
	bad("{\"request\":\"submit\",\"yaml\":\"x\",\"path\":\"/c\",\"scale\":-1}", SCALE_RANGE, "a negative scale");
	bad("{\"request\":\"submit\",\"yaml\":\"x\",\"path\":\"/c\",\"scale\":1000.5}", SCALE_RANGE,
	    "a scale above the largest");
	bad("{\"request\":\"submit\",\"yaml\":\"x\",\"path\":\"/c\",\"scale\":\"2\"}", SCALE_RANGE, "a string scale");
	bad("{\"request\":\"submit\",\"yaml\":\"x\",\"path\":\"/c\",\"scale\":null}", SCALE_RANGE, "a null scale");
	bad("{\"request\":\"submit\",\"yaml\":\"a\\u0000b\",\"path\":\"/c\"}", "the campaign contains NUL bytes",
	    "a campaign with a NUL byte, which C strings would cut");
	{
		struct request req;

		if (good("{\"request\":\"submit\",\"yaml\":\"x\",\"path\":\"/c\",\"scale\":1000}", &req,
			 "the largest scale, 1000")) {
			ok(req.scale == CAMPAIGN_MAX_SCALE, "is taken whole");
			request_clear(&req);
		}
	}
}

/* A submit whose yaml is n bytes of 'a' and whose path is p bytes ("/" and
 * 'p's); returns the line, to free. */
static char *sized_submit(size_t n, size_t p)
{
	static const char head[] = "{\"request\":\"submit\",\"yaml\":\"", mid[] = "\",\"path\":\"/", tail[] = "\"}";
	size_t len = sizeof(head) - 1 + n + sizeof(mid) - 1 + (p - 1) + sizeof(tail) - 1;
	char *s = malloc(len + 1), *q = s;

	if (!s)
		abort();
	q = mempcpy(q, head, sizeof(head) - 1);
	memset(q, 'a', n);
	q = mempcpy(q + n, mid, sizeof(mid) - 1);
	memset(q, 'p', p - 1);
	q = mempcpy(q + p - 1, tail, sizeof(tail) - 1);
	*q = '\0';
	return s;
}

static void bounds(void)
{
	struct request req;
	char *line, *err, want[80];
	int r;

	line = sized_submit(CAMPAIGN_MAX_BYTES, 4096);
	r = good(line, &req, "a campaign of exactly 1 MiB with a path of exactly 4096 bytes");
	if (r) {
		is_int(strlen(req.yaml), CAMPAIGN_MAX_BYTES, "the whole campaign is kept");
		is_int(strlen(req.path), 4096, "and the whole path");
		request_clear(&req);
	}
	free(line);
	snprintf(want, sizeof(want), "the campaign is larger than %d bytes", CAMPAIGN_MAX_BYTES);
	line = sized_submit(CAMPAIGN_MAX_BYTES + 1, 10);
	bad(line, want, "a campaign one byte over 1 MiB");
	free(line);
	line = sized_submit(10, 4097);
	bad(line, SUBMIT_NEEDS_PATH, "a path one byte over 4096");
	free(line);

	/* only len bytes are read: what follows is not the request's */
	if (good("{\"request\":\"list\"}", &req, "(the line alone)"))
		request_clear(&req);
	r = parse_n("{\"request\":\"list\"}GARBAGE", strlen("{\"request\":\"list\"}"), &req, &err);
	is_int(r, 0, "bytes past len are not read: an object followed by garbage beyond len parses");
	if (r == 0)
		request_clear(&req);
	bad_n("{\"request\":\"list\"}", 10, MALFORMED("incomplete JSON"), "a line cut at len is incomplete");
}

static void format(void)
{
	struct request req = {.op = OP_LIST}, again;
	char *line, *err;

	line = proto_format_request(&req);
	is_str(line, "{\"request\":\"list\"}\n", "list formats as one line with its newline");
	free(line);
	req = (struct request){.op = OP_CANCEL, .id = 7};
	line = proto_format_request(&req);
	is_str(line, "{\"request\":\"cancel\",\"id\":7}\n", "cancel 7");
	free(line);
	req = (struct request){
	    .op = OP_SUBMIT, .yaml = (char *)"name: \"q\"\n\tx: /a\\b\n", .path = (char *)"/d/c.yaml", .scale = 0.5};
	line = proto_format_request(&req);
	ok(strchr(line, '\n') == line + strlen(line) - 1, "submit: one line, however many lines the campaign has");
	ok(strstr(line, "\"path\":\"/d/c.yaml\"") != NULL, "slashes are not escaped");
	if (ok(proto_parse_request(line, strlen(line), &again, &err) == 0, "a formatted submit parses back")) {
		is_str(again.yaml, req.yaml, "to the same campaign text (quotes, tabs, backslashes)");
		is_str(again.path, req.path, "the same path");
		ok(again.scale == 0.5, "and the same scale");
		request_clear(&again);
	} else {
		free(err);
	}
	free(line);
	line = proto_error_line("no campaign 9 in the queue");
	is_str(line, "{\"ok\":false,\"error\":\"no campaign 9 in the queue\"}\n", "an error line");
	free(line);
}

int main(void)
{
	kinds();
	malformed();
	fields();
	submit();
	bounds();
	format();
	return done_testing();
}
