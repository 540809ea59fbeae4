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

		const char *keys = ctx->keys_for(path), *hint;
		int hint_len = 0;

		snprintf(full, sizeof(full), "%s%s%s", path, *path ? "." : "", arg);
		hint = yamlerr_closest(arg, keys, &hint_len);
		if (hint)
			return yamlerr_at(ctx, full, "unknown key (did you mean '%.*s'?)", hint_len, hint);
		return yamlerr_at(ctx, full, "unknown key (expected one of %s)", keys);
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
		int line0 = 1, col0 = 1;

		/* both places: the user keeps one of them */
		snprintf(parent, sizeof(parent), "%.*s", dot ? (int)(dot - path) : 0, path);
		yamlloc_key_pos(ctx->loc, parent, arg, 0, &line0, &col0);
		yamlloc_key_pos(ctx->loc, parent, arg, 1, &line, &col);
		ctx->error = xasprintf("%s:%d:%d: %s: given twice (first at %d:%d)", ctx->file, line, col, path, line0,
				       col0);
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

/* The length of the decimal number at the start of v (sign, digits, point,
 * exponent), 0 when it does not start with one. Hexadecimal, "inf" and
 * "nan", which strtod takes, are not numbers here. */
static size_t number_len(const char *v)
{
	size_t k = 0, digits = 0;

	if (v[k] == '-' || v[k] == '+')
		k++;
	for (; isdigit((unsigned char)v[k]); k++)
		digits++;
	if (v[k] == '.')
		for (k++; isdigit((unsigned char)v[k]); k++)
			digits++;
	if (!digits)
		return 0;
	if (v[k] == 'e' || v[k] == 'E') {
		size_t e = k + 1;

		if (v[e] == '-' || v[e] == '+')
			e++;
		if (isdigit((unsigned char)v[e])) {
			while (isdigit((unsigned char)v[e]))
				e++;
			k = e;
		}
	}
	return k;
}

/* A hint for the common ways a number goes wrong, or "". */
static const char *number_hint(const char *v, size_t len)
{
	if (v[len] == ',' && isdigit((unsigned char)v[len + 1]))
		return " (the decimal separator is a point)";
	if (v[len] == '%' && !v[len + 1])
		return " (a percentage: write it as a fraction, 0.3 for 30%)";
	if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
		return " (only decimal numbers are taken)";
	return "";
}

/* The scalar at path, or NULL when absent or not a scalar. */
static const char *scalar_at(struct yamlerr *ctx, const char *path)
{
	int line, col;
	yaml_node_t *n = yamlloc_find(ctx->loc, path, &line, &col);

	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

int yamlerr_read_number(struct yamlerr *ctx, const char *path, double *ret)
{
	const char *v = scalar_at(ctx, path);
	size_t len;

	if (!v)
		return 0;
	len = number_len(v);
	if (!len || v[len])
		return yamlerr_at(ctx, path, "expected a number like 0.5, got '%s'%s", v, number_hint(v, len));
	*ret = strtod(v, NULL);
	return 1;
}

int yamlerr_read_duration(struct yamlerr *ctx, const char *path, double *ret)
{
	static const struct {
		const char *unit;
		double s;
	} units[] = { { "", 1 }, { "ms", 1e-3 }, { "s", 1 }, { "m", 60 }, { "h", 3600 } };
	const char *v = scalar_at(ctx, path), *u;
	size_t len, k = 0;

	if (!v)
		return 0;
	len = number_len(v);
	u = v + len;
	while (*u == ' ')
		u++; /* "90 s" as well as "90s" */
	while (len && k < ARRAY_SIZE(units) && strcmp(u, units[k].unit) != 0)
		k++;
	if (!len || k == ARRAY_SIZE(units) || (u > v + len && !*u))
		return yamlerr_at(ctx, path, "expected a duration like 90 (seconds), 90s, 2m, 500ms or 1h, got '%s'%s", v,
			       len ? number_hint(v, len) : "");
	*ret = strtod(v, NULL) * units[k].s;
	return 1;
}

const char *yamlerr_closest(const char *word, const char *list, int *ret_len)
{
	const char *best = NULL, *p = list;
	unsigned best_d = 255, limit = (unsigned)strlen(word) / 3;
	int best_len = 0;

	if (limit < 2)
		limit = 2;
	while (*p) {
		size_t n = strcspn(p, ",");
		char cand[64];

		snprintf(cand, sizeof(cand), "%.*s", (int)n, p);
		if (n < sizeof(cand)) {
			unsigned d = edit_distance(word, cand);

			if (d < best_d) {
				best_d = d;
				best = p;
				best_len = (int)n;
			}
		}
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	/* a typo, not a different word */
	if (!best || best_d > limit || best_d == 0)
		return NULL;
	*ret_len = best_len;
	return best;
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
