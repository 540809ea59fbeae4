/* yamlerr.h: one message of the form "FILE:LINE:COL: FIELD.PATH: what is
 * wrong" for a YAML file loaded through libcyaml: its log of a failed load is
 * captured and turned into that message, with the position from yamlloc.
 * Shared by the campaign loader and scalprofd's configuration. */
#ifndef SCALPROF_YAMLERR_H
#define SCALPROF_YAMLERR_H

#include <stdarg.h>
#include <stddef.h>

#include <cyaml/cyaml.h>

#include "model/yamlloc.h"

struct yamlerr {
	const char *file;
	struct yamlloc *loc;
	/* the keys allowed in the mapping at path, for "unknown key"
	 * messages, and the values of an enumeration field named key */
	const char *(*keys_for)(const char *path);
	const char *(*enum_values_for)(const char *key);
	char log[4096]; /* libcyaml's log of the failed load */
	size_t log_len;
	char *error;    /* the one message; the first failure wins */
};

/* A libcyaml log_fn: pass the struct yamlerr as log_ctx. */
void yamlerr_capture(cyaml_log_t level, void *data, const char *fmt, va_list args);

/* Sets e->error to "FILE:L:C: PATH: message" with the position of path
 * (unless an error is already set). Returns -EINVAL. */
int yamlerr_at(struct yamlerr *e, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Turns the captured log of a failed cyaml_load_data into e->error.
 * Returns -EINVAL. */
int yamlerr_from_cyaml(struct yamlerr *e, cyaml_err_t err);

/* libcyaml reads "2.5" as 2 and any word but "false" as true: these insist
 * on digits and on a boolean at path. Return 0 or -EINVAL. */
int yamlerr_check_int(struct yamlerr *e, const char *path);
int yamlerr_check_bool(struct yamlerr *e, const char *path);

/* libcyaml reads a float with strtod and keeps what parses ("30%" is 30,
 * "1,5" is 1, "0x10" is 16, "2m" is 2): these read the scalar at path
 * themselves. A number is decimal digits with an optional sign, point and
 * exponent; a duration is a number with an optional unit (ms, s, m, h; none
 * is seconds), returned in seconds. Return 1 with *ret set when path is a
 * scalar of that form, 0 when path is absent or not a scalar (libcyaml
 * says what is wrong with its shape), -EINVAL with e->error set otherwise.
 * Do not log. */
int yamlerr_read_number(struct yamlerr *e, const char *path, double *ret);
int yamlerr_read_duration(struct yamlerr *e, const char *path, double *ret);

/* Of the comma-separated words in list, the one closest to word (edit
 * distance at most a third of its length, and 2 at least), or NULL: for
 * "did you mean". Points into list; *ret_len is its length. */
const char *yamlerr_closest(const char *word, const char *list, int *ret_len);

/* The text as given, NUL-free and syntactically YAML: opens e->loc. Returns
 * 0 or -EINVAL / -errno with e->error set. */
int yamlerr_open(struct yamlerr *e, const char *text, size_t len);

#endif
