/* util.h: small helpers shared by the engine: time, files, strings, hashing.
 *
 * The base layer (daemon/base/: util, log, version) is the floor of the
 * house: it includes nothing of scalprof's, and every other layer may use
 * it. Only the programs' top levels log (log.h); library code returns
 * -errno and leaves the message to its caller.
 */
#ifndef SCALPROF_UTIL_H
#define SCALPROF_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t mono_ns(void);

/* Reads a whole (small, e.g. /proc or /sys) file into a fresh NUL-terminated
 * string with trailing whitespace removed. Returns 0 and *ret_text (free it),
 * or -errno. */
int read_text_file(const char *path, char **ret_text);

/* Reads a whole file of at most max_bytes. Returns 0, *ret_buf (free it) and
 * *ret_len, or -errno (-EFBIG when larger than max_bytes). */
int read_file_limited(const char *path, size_t max_bytes, char **ret_buf, size_t *ret_len);

/* read_text_file() parsed as a long; returns 0 or -errno / -EINVAL. */
int read_long_file(const char *path, long *ret_value);

/* asprintf that aborts on out-of-memory: for messages and small strings. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *xcalloc(size_t n, size_t size);
/* realloc of n elements of size, aborting on overflow or out-of-memory. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);

/* Lower-case hex SHA-256 of buf into out[65]. */
void sha256_hex(const void *buf, size_t len, char out[65]);

/* Median of n values (sorts vals in place); NAN when n is 0. */
double median_double(double *vals, size_t n);

/* Levenshtein distance, case-insensitive, capped at 255. */
unsigned edit_distance(const char *a, const char *b);

/* Human duration "1:02:03" or "12:05" for seconds. */
void format_duration(double seconds, char *buf, size_t len);

/* Ignores SIGPIPE, blocks SIGINT, SIGTERM and SIGHUP, and returns a
 * non-blocking signalfd for them (or -1). */
int signals_fd(void);

/* The user name of uid ("uid 1234" when it has none); free it. */
char *user_name(unsigned uid);

/* Compact count: 1234567 -> "1.23M". */
void format_count(double v, char *buf, size_t len);

/* Writes s as one CSV field (RFC 4180): quoted, with its quotes doubled,
 * when it holds a comma, a quote or a line break; nothing for NULL. */
void csv_field(FILE *out, const char *s);

#endif
