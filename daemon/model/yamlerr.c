/* yamlerr.c: libcyaml's failures as one positioned message (see
 * yamlerr.h). libcyaml logs a backtrace of mapping fields and sequence
 * entries; we rebuild the field path from it and ask yamlloc where that
 * path is in the text. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "model/yamlerr.h"

void yamlerr_capture(cyaml_log_t level, void *data, const char *fmt, va_list args)
{
	struct yamlerr *ctx = data;
	int n;

	if (level < CYAML_LOG_ERROR || ctx->log_len >= sizeof(ctx->log) - 1)
		return;
	n = vsnprintf(ctx->log + ctx->log_len, sizeof(ctx->log) - ctx->log_len, fmt, args);
	if (n > 0)
		ctx->log_len += (size_t)n;
	if (ctx->log_len >= sizeof(ctx->log))
		ctx->log_len = sizeof(ctx->log) - 1;
}

int yamlerr_at(struct yamlerr *ctx, const char *path, const char *fmt, ...)
{
	int line = 1, col = 1;
	char *msg;
	va_list ap;

	if (ctx->error)
		return -EINVAL;
	if (ctx->loc)
		yamlloc_find(ctx->loc, path, &line, &col);
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	ctx->error = *path ? xasprintf("%s:%d:%d: %s: %s", ctx->file, line, col, path, msg)
			   : xasprintf("%s:%d:%d: %s", ctx->file, line, col, msg);
	free(msg);
	return -EINVAL;
}

/* Appends ".name" or "[i]" for one backtrace frame to path. */
static void path_push(char *path, size_t size, const char *frame)
{
	size_t len = strlen(path);
	const char *q1, *q2;

	q1 = strchr(frame, '\'');
	q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
	if (!q1 || !q2)
		return;
	if (strstr(frame, "in mapping field"))
		snprintf(path + len, size - len, "%s%.*s", len ? "." : "", (int)(q2 - q1 - 1), q1 + 1);
	else if (strstr(frame, "in sequence entry")) {
		long n = strtol(q1 + 1, NULL, 10);

		/* libcyaml numbers entries from 1; entry 0 means "none yet" */
		if (n >= 1)
			snprintf(path + len, size - len, "[%ld]", n - 1);
	}
}

static const char *describe_event(const char *ev)
{
	if (strncmp(ev, "SCALAR", 6) == 0)
		return "a single value";
	if (strncmp(ev, "SEQUENCE", 8) == 0)
		return "a list";
	if (strncmp(ev, "MAPPING", 7) == 0)
		return "a mapping";
	return ev;
}

/* The last key of path, after its final '.'. */
static const char *last_key(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot ? dot + 1 : path;
}

/* Splits the captured log in place into its first message (after "Load: ")
 * and its backtrace frames ("  in ...", innermost first); returns the
 * message or NULL. */
static char *split_log(struct yamlerr *ctx, char **frames, int *ret_nframes)
{
	char *msg = NULL, *save = NULL;
	int nframes = 0;

	for (char *line = strtok_r(ctx->log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "Load: Backtrace:", 16) == 0)
			continue;
		if (strncmp(line, "Load: ", 6) == 0 && !msg)
			msg = line + 6;
		else if (strstr(line, "  in ") == line && nframes < 32)
			frames[nframes++] = line;
	}
	*ret_nframes = nframes;
	return msg;
}

/* The messages about keys: unknown, missing, given twice. Returns 1 when
 * msg is none of them. */
static int key_error(struct yamlerr *ctx, const char *msg, const char *path, const char *arg)
{
	int line = 1, col = 1;

	if (strncmp(msg, "Unexpected key", 14) == 0) {
		char full[600];

		snprintf(full, sizeof(full), "%s%s%s", path, *path ? "." : "", arg);
		return yamlerr_at(ctx, full, "unknown key (expected one of %s)", ctx->keys_for(path));
	}
	if (strncmp(msg, "Missing required mapping field", 30) == 0) {
		/* positioned at the mapping that lacks it */
		yamlloc_find(ctx->loc, path, &line, &col);
		ctx->error = xasprintf("%s:%d:%d: %s%s%s: required key is missing", ctx->file, line, col, path,
				       *path ? "." : "", arg);
		return -EINVAL;
	}
	if (strncmp(msg, "Mapping field already seen", 26) == 0) {
		const char *dot = strrchr(path, '.');
		char parent[512];

		snprintf(parent, sizeof(parent), "%.*s", dot ? (int)(dot - path) : 0, path);
		yamlloc_key_pos(ctx->loc, parent, arg, 1, &line, &col);
		ctx->error = xasprintf("%s:%d:%d: %s: key given more than once", ctx->file, line, col, path);
		return -EINVAL;
	}
	return 1;
}

/* "Expecting SEQUENCE, got event: SCALAR" in our words. */
static int shape_error(struct yamlerr *ctx, const char *msg, const char *path)
{
	const char *got = strstr(msg, "got event: ");
	char want[32] = "";

	sscanf(msg + 10, "%31[A-Z]", want);
	for (char *w = want; *w; w++)
		*w = (char)tolower((unsigned char)*w);
	if (strcmp(want, "sequence") == 0)
		snprintf(want, sizeof(want), "a list");
	else if (strcmp(want, "mapping") == 0)
		snprintf(want, sizeof(want), "a mapping");
	else
		snprintf(want, sizeof(want), "a single value");
	return yamlerr_at(ctx, path, "expected %s, got %s", want, got ? describe_event(got + 11) : "something else");
}

/* The messages about values; any other is passed on in lower case. */
static int value_error(struct yamlerr *ctx, const char *msg, const char *path, const char *arg)
{
	char m[256];

	if (strncmp(msg, "Invalid INT value", 17) == 0)
		return yamlerr_at(ctx, path, "expected an integer, got %s", arg);
	if (strncmp(msg, "Invalid FLOAT value", 19) == 0)
		return yamlerr_at(ctx, path, "expected a number, got %s", arg);
	if (strncmp(msg, "Invalid BOOL value", 18) == 0)
		return yamlerr_at(ctx, path, "expected true or false, got %s", arg);
	if (strncmp(msg, "Invalid ENUM value", 18) == 0)
		return yamlerr_at(ctx, path, "expected one of %s, got '%s'", ctx->enum_values_for(last_key(path)), arg);
	if (strncmp(msg, "Expecting ", 10) == 0)
		return shape_error(ctx, msg, path);
	if (strncmp(msg, "Insufficient entries", 20) == 0)
		return yamlerr_at(ctx, path, "must have at least one entry");
	if (strncmp(msg, "STRING length > ", 16) == 0)
		return yamlerr_at(ctx, path, "longer than %d bytes", atoi(msg + 16));
	snprintf(m, sizeof(m), "%s", msg);
	/* a sentence starts in lower case, an upper-case word (a type) stays */
	if (!isupper((unsigned char)m[1]))
		m[0] = (char)tolower((unsigned char)m[0]);
	return yamlerr_at(ctx, path, "%s", m);
}

int yamlerr_from_cyaml(struct yamlerr *ctx, cyaml_err_t err)
{
	char *frames[32], path[512] = "";
	int nframes, skip_inner, r;
	const char *msg = split_log(ctx, frames, &nframes), *arg;

	if (!msg)
		return yamlerr_at(ctx, "", "%s", cyaml_strerror(err));

	/* "Missing required mapping field" reports the mapping's last seen
	 * field innermost: the missing one belongs to the mapping itself. */
	skip_inner = strncmp(msg, "Missing required mapping field", 30) == 0 && nframes > 0 &&
		     strstr(frames[0], "in mapping field");
	for (int i = nframes - 1; i >= (skip_inner ? 1 : 0); i--)
		path_push(path, sizeof(path), frames[i]);

	arg = strchr(msg, ':');
	arg = arg ? arg + 2 : "";
	r = key_error(ctx, msg, path, arg);
	return r <= 0 ? r : value_error(ctx, msg, path, arg);
}

/* libcyaml reads "2.5" or "1e3" as an integer by cutting it short:
 * insist on digits. */
int yamlerr_check_int(struct yamlerr *ctx, const char *path)
{
	int line, col;
	yaml_node_t *n = yamlloc_find(ctx->loc, path, &line, &col);
	const char *v;

	if (!n || n->type != YAML_SCALAR_NODE)
		return 0;
	v = (const char *)n->data.scalar.value;
	if (*v == '-' || *v == '+')
		v++;
	return *v && v[strspn(v, "0123456789")] == '\0'
		? 0 : yamlerr_at(ctx, path, "expected a whole number, got '%s'", (const char *)n->data.scalar.value);
}

/* libcyaml reads any word but "false" as true: insist on a boolean */
int yamlerr_check_bool(struct yamlerr *ctx, const char *path)
{
	static const char *const words[] = { "true", "false", "yes", "no", "on", "off", "1", "0" };
	int line, col;
	yaml_node_t *n = yamlloc_find(ctx->loc, path, &line, &col);
	const char *v;
	size_t k = 0;

	if (!n || n->type != YAML_SCALAR_NODE)
		return 0;
	v = (const char *)n->data.scalar.value;
	while (k < ARRAY_SIZE(words) && strcasecmp(words[k], v) != 0)
		k++;
	return k < ARRAY_SIZE(words) ? 0 : yamlerr_at(ctx, path, "expected true or false, got '%s'", v);
}

int yamlerr_open(struct yamlerr *ctx, const char *text, size_t len)
{
	int line = 1, col = 1, r;
	char *problem = NULL;

	if (memchr(text, '\0', len)) {
		ctx->error = xasprintf("%s: not a text file (it contains NUL bytes)", ctx->file);
		return -EINVAL;
	}
	r = yamlloc_new(text, len, &ctx->loc, &line, &col, &problem);
	if (r < 0) {
		ctx->error = r == -EINVAL ? xasprintf("%s:%d:%d: syntax error: %s", ctx->file, line, col, problem)
					  : xasprintf("%s: %s", ctx->file, strerror(-r));
		free(problem);
		return -EINVAL;
	}
	return 0;
}
