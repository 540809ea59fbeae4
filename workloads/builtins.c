/* builtins.c: the built-in workloads' names, arguments, defaults and limits
 * (see builtins.h), and the parsing of "NAME=VALUE" arguments. Defaults are
 * sized so that one worker takes about a second on a 2-core lab VM at
 * scale 1; see scalprof-workloads(7). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/builtins.h"

#define GIB (1024.0 * 1024 * 1024)
#define P_END { NULL, 0, 0, 0, 0, 0, 0, NULL }

static const struct builtin_param busy_p[] = {
	{ "n", PARAM_COUNT, 1e9, 1, 1e13, 1, 0, "iterations of the countdown" },
	P_END,
};
static const struct builtin_param sleep_p[] = {
	{ "seconds", PARAM_SECONDS, 1, 0, 86400, 1, 0, "how long to sleep" },
	P_END,
};
static const struct builtin_param sqrt_p[] = {
	{ "n", PARAM_COUNT, 10800000, 1, 1e10, 0, 0, "elements of each fresh array (the seed's 10,800,000)" },
	{ "reps", PARAM_COUNT, 16, 1, 1e6, 1, 0, "arrays built, each allocated fresh" },
	P_END,
};
static const struct builtin_param concat_p[] = {
	{ "n", PARAM_COUNT, 28000, 1, 1e7, 1, 0, "steps of t = t + [j] (the seed uses 80,000)" },
	P_END,
};
static const struct builtin_param copy_p[] = {
	{ "n", PARAM_COUNT, 10000000, 1, 1e9, 1, 0, "elements of the list (the seed uses 20,000,000)" },
	P_END,
};
static const struct builtin_param dict_p[] = {
	{ "n", PARAM_COUNT, 4000000, 1, 1e9, 1, 0, "keys inserted (the seed uses 1,000,000)" },
	P_END,
};
static const struct builtin_param stream_p[] = {
	{ "size", PARAM_BYTES, 0, 4096, 64 * GIB, 0, 1, "bytes per array; default 4x this machine's L3" },
	{ "ntimes", PARAM_COUNT, 10, 1, 1e6, 1, 0, "passes of copy, scale, add and triad" },
	P_END,
};
static const struct builtin_param chase_p[] = {
	{ "size", PARAM_BYTES, 64 * 1048576.0, 4096, 64 * GIB, 0, 0, "working set in bytes (one node per 64-byte line)" },
	{ "steps", PARAM_COUNT, 6000000, 1, 1e13, 1, 0, "pointers followed" },
	P_END,
};
static const struct builtin_param pagefault_p[] = {
	{ "size", PARAM_BYTES, 64 * 1048576.0, 4096, 64 * GIB, 0, 0, "bytes mapped, touched and unmapped per round" },
	{ "rounds", PARAM_COUNT, 40, 1, 1e9, 1, 0, "rounds of mmap, touch, munmap" },
	P_END,
};
static const struct builtin_param pingpong_p[] = {
	{ "messages", PARAM_COUNT, 25000, 1, 1e12, 1, 0, "round trips per pair of processes" },
	{ "bytes", PARAM_BYTES, 8, 8, 4096, 0, 0, "message size" },
	P_END,
};

static const struct builtin_param hog_bw_p[] = {
	{ "size", PARAM_BYTES, 0, 4096, 64 * GIB, 0, 1, "bytes per array; default 4x this machine's L3" },
	{ "seconds", PARAM_SECONDS, 10, 0, 86400, 1, 0, "how long to run; 0 until SIGTERM" },
	{ "level", PARAM_FRACTION, 1, 0, 1, 0, 0,
	  "fraction of its own full rate to stream at; 0 only spins on the clock (the graded bandit)" },
	P_END,
};
static const struct builtin_param hog_cache_p[] = {
	{ "size", PARAM_BYTES, 2 * 1048576.0, 4096, 64 * GIB, 0, 0, "bytes of cache to keep hot" },
	{ "chains", PARAM_COUNT, 4, 1, 64, 0, 0, "independent pointer chains walked together" },
	{ "seconds", PARAM_SECONDS, 10, 0, 86400, 1, 0, "how long to run; 0 until SIGTERM" },
	P_END,
};
static const struct builtin_param hog_cpu_p[] = {
	{ "seconds", PARAM_SECONDS, 10, 0, 86400, 1, 0, "how long to run; 0 until SIGTERM" },
	P_END,
};

static const struct builtin builtins[] = {
	{ "busy", "003", "CPU (no memory traffic)", "integer countdown in registers", 0, busy_p },
	{ "sleep", "002", "nothing (sleeps)", "sleeps without using the CPU", 0, sleep_p },
	{ "sqrt_list", "002", "CPU, page faults of fresh arrays", "fills fresh arrays with sqrt(i)", 0, sqrt_p },
	{ "list_concat", "002", "allocator, cache, kernel (mmap/munmap of large arrays)",
	  "CPython's t = t + [j]: new array of k+1 references, increments, decrements, frees", 0, concat_p },
	{ "list_copy", "002", "memory, allocator", "CPython's b = a.copy() of a list of int objects", 0, copy_p },
	{ "list_slice", "002", "memory, allocator", "CPython's b = a[:] of a list of int objects", 0, copy_p },
	{ "dict_insert", "000", "cache, allocator", "inserts n squares into a growing hash table", 0, dict_p },
	{ "stream", "-", "memory bandwidth", "STREAM copy, scale, add, triad", 0, stream_p },
	{ "chase", "-", "memory latency (or cache, for small sets)", "random pointer chase", 0, chase_p },
	{ "pagefault", "002", "kernel: page faults and page zeroing", "mmap, touch every page, munmap", 0, pagefault_p },
	{ "pingpong", "004", "IPC: context switches and kernel time", "pairs of processes passing messages over pipes",
	  1, pingpong_p },
	{ "hog_bandwidth", "-", "memory bandwidth (a co-runner)", "STREAM triad until stopped, paced to level; reports MB/s", 0,
	  hog_bw_p },
	{ "hog_cache", "-", "shared cache (a co-runner)",
	  "multi-chain pointer chase over a set meant to stay in cache; reports ns per access", 0, hog_cache_p },
	{ "hog_cpu", "-", "CPU only (a co-runner, the control)", "integer countdown until stopped; reports iterations/s",
	  0, hog_cpu_p },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

const struct builtin *builtin_list(void)
{
	return builtins;
}

const struct builtin *builtin_find(const char *name)
{
	for (const struct builtin *b = builtins; b->name; b++)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}

void builtin_param_names(const struct builtin *b, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (const struct builtin_param *p = b->params; p->name && used < len; p++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", p->name);
}

/* Whether p's values may have fractions (and no suffix). */
static int fractional(const struct builtin_param *p)
{
	return p->kind == PARAM_SECONDS || p->kind == PARAM_FRACTION;
}

/* A value with an optional suffix; -EINVAL when it is not one. */
static int parse_value(const struct builtin_param *p, const char *s, double *ret)
{
	char *end;
	double v, mult = 1;

	/* decimal only: strtod would also take hex, inf and nan */
	if (s[strspn(s, "0123456789.eE+-kKMG")] != '\0')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v))
		return -EINVAL;
	if (*end && !fractional(p)) {
		/* counts: k M G = 10^3.., sizes: K M G = 2^10.. (as the messages say) */
		const char *k = strchr(p->kind == PARAM_BYTES ? "KMG" : "kMG", *end);

		if (!k || end[1])
			return -EINVAL;
		if (p->kind == PARAM_BYTES)
			mult = *k == 'G' ? GIB : *k == 'M' ? 1048576.0 : 1024.0;
		else
			mult = *k == 'G' ? 1e9 : *k == 'M' ? 1e6 : 1e3;
	} else if (*end) {
		return -EINVAL;
	}
	v *= mult;
	if (!fractional(p) && v != floor(v))
		return -EINVAL;
	*ret = v;
	return 0;
}

int builtin_parse_args(const struct builtin *b, char *const *args, size_t nargs, double *values,
		       size_t *ret_bad, char **ret_error)
{
	static const char *const kind_words[] = { "a count (suffixes k, M, G)", "a size in bytes (suffixes K, M, G)",
						  "a number of seconds", "a fraction from 0 to 1" };
	unsigned char seen[BUILTIN_MAX_PARAMS] = { 0 };
	size_t np = 0;

	while (b->params[np].name)
		np++;
	for (size_t i = 0; i < np; i++)
		values[i] = b->params[i].def;
	for (size_t a = 0; a < nargs; a++) {
		const char *eq = strchr(args[a], '=');
		const struct builtin_param *p = NULL;
		size_t i;
		char names[128];
		double v;

		*ret_bad = a;
		builtin_param_names(b, names, sizeof(names));
		if (!eq) {
			if (asprintf(ret_error, "expected NAME=VALUE, got '%s' (arguments of %s: %s)", args[a], b->name,
				     names) < 0)
				*ret_error = NULL;
			return -EINVAL;
		}
		for (i = 0; i < np; i++)
			if (strlen(b->params[i].name) == (size_t)(eq - args[a]) &&
			    strncmp(b->params[i].name, args[a], (size_t)(eq - args[a])) == 0) {
				p = &b->params[i];
				break;
			}
		if (!p) {
			if (asprintf(ret_error, "unknown argument '%.*s' for builtin %s (arguments: %s)",
				     (int)(eq - args[a]), args[a], b->name, names) < 0)
				*ret_error = NULL;
			return -EINVAL;
		}
		if (seen[i]) {
			if (asprintf(ret_error, "%s is given twice", p->name) < 0)
				*ret_error = NULL;
			return -EINVAL;
		}
		seen[i] = 1;
		if (parse_value(p, eq + 1, &v) < 0) {
			if (asprintf(ret_error, "%s: expected %s, got '%s'", p->name, kind_words[p->kind], eq + 1) < 0)
				*ret_error = NULL;
			return -EINVAL;
		}
		if (v < p->min || v > p->max) {
			if (asprintf(ret_error, "%s: %g is out of range [%g, %g]", p->name, v, p->min, p->max) < 0)
				*ret_error = NULL;
			return -EINVAL;
		}
		values[i] = v;
	}
	return 0;
}

double builtin_working_set(const struct builtin *b, char *const *args, size_t nargs, double scale,
			   double l3_bytes)
{
	double v[BUILTIN_MAX_PARAMS];
	char *err = NULL;
	size_t bad;

	if (builtin_parse_args(b, args, nargs, v, &bad, &err) < 0) {
		free(err);
		return 0;
	}
	for (size_t i = 0; b->params[i].name; i++)
		if (b->params[i].scaled) {
			v[i] *= scale;
			if (!fractional(&b->params[i]) && v[i] < 1)
				v[i] = 1;
		}
	/* CPython-like objects are 24 bytes, references 8 */
	if (strcmp(b->name, "stream") == 0)
		return 3 * (v[0] > 0 ? v[0] : (4 * l3_bytes > 64 * 1048576.0 ? 4 * l3_bytes : 64 * 1048576.0));
	if (strcmp(b->name, "chase") == 0 || strcmp(b->name, "pagefault") == 0)
		return v[0];
	if (strcmp(b->name, "sqrt_list") == 0)
		return v[0] * 8;
	if (strcmp(b->name, "list_concat") == 0)
		return v[0] * (24 + 2 * 8); /* the objects, the old array and the new */
	if (strcmp(b->name, "list_copy") == 0 || strcmp(b->name, "list_slice") == 0)
		return v[0] * (24 + 2 * 8);
	if (strcmp(b->name, "dict_insert") == 0)
		return v[0] * (24 + 16 * 2); /* value objects and a table under 2/3 full */
	return 0;
}
