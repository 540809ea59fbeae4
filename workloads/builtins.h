/* builtins.h: the table of built-in workloads and their arguments, shared by
 * scalprof (which validates a campaign's `builtin` and `args` against it)
 * and scalprof-kernels (which parses the same arguments and runs them), so
 * the two can never disagree on a name, a default or a limit. */
#ifndef SCALPROF_BUILTINS_H
#define SCALPROF_BUILTINS_H

#include <stddef.h>

enum param_kind {
	PARAM_COUNT,   /* integer; suffixes k, M, G are 10^3, 10^6, 10^9 */
	PARAM_BYTES,   /* integer; suffixes K, M, G are 2^10, 2^20, 2^30 */
	PARAM_SECONDS, /* a number of seconds, fractions allowed */
	PARAM_FRACTION, /* a number from 0 to 1, fractions allowed */
};

struct builtin_param {
	const char *name;
	enum param_kind kind;
	double def;      /* 0 with auto_default: computed at run time */
	double min, max;
	int scaled;      /* multiplied by the campaign's scale */
	int auto_default;
	const char *help;
};

struct builtin {
	const char *name;
	const char *seed;     /* the seed experiment it models */
	const char *stresses; /* CPU, cache, memory bandwidth, kernel, ... */
	const char *summary;
	int team_only;        /* runs as a team of processes (mode: team) */
	const struct builtin_param *params; /* terminated by a NULL name */
};

#define BUILTIN_MAX_PARAMS 4

/* Every builtin, terminated by a NULL name; or the one called name, or NULL. */
const struct builtin *builtin_list(void);
const struct builtin *builtin_find(const char *name);

/* Parses "NAME=VALUE" arguments for b into values[] (one per parameter, in
 * table order, defaults where not given; auto defaults stay 0). Returns 0,
 * or -EINVAL with *ret_bad the index of the offending argument and a fresh
 * *ret_error saying what is wrong with it. Does not log. */
int builtin_parse_args(const struct builtin *b, char *const *args, size_t nargs, double *values,
		       size_t *ret_bad, char **ret_error);

/* The bytes one process of b touches again and again (its working set),
 * from its arguments with the scale applied as scalprof-kernels applies
 * it; l3_bytes resolves stream's default size. 0 when b has none worth
 * the name (busy, sleep, pingpong, the co-runners). */
double builtin_working_set(const struct builtin *b, char *const *args, size_t nargs, double scale,
			   double l3_bytes);

/* The names of b's parameters, comma separated, into buf. */
void builtin_param_names(const struct builtin *b, char *buf, size_t len);

#endif
