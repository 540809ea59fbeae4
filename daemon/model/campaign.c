/* campaign.c: loading and validating a campaign (see campaign.h).
 *
 * Sections:
 *   1. the libcyaml schema: the shape of a campaign file
 *   2. error messages: libcyaml's log turned into FILE:LINE:COL: PATH: text
 *   3. fields libcyaml cannot type (workers) and the checks on meaning
 *   4. campaign_parse / campaign_load / campaign_free
 *   5. the campaign `scalprof run -- COMMAND` writes (text for section 4)
 *
 * libcyaml checks keys, types, enums and required fields while it loads the
 * structs; it logs what went wrong with a backtrace of field names. That
 * backtrace is turned into our field path, and yamlloc gives its position.
 * The checks that need meaning (ranges, duplicates, events, the machine's
 * cores) run afterwards on the loaded structs. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cyaml/cyaml.h>

#include "workloads/builtins.h"
#include "host/mcpmu.h"
#include "model/campaign.h"
#include "base/util.h"
#include "model/yamlerr.h"
#include "model/yamlloc.h"
#include "model/variant.h"

/* ---- 1. the libcyaml schema ------------------------------------------- */

struct raw_workload {
	char *name;
	char **command;
	unsigned command_count;
	char *builtin;
	char **args;
	unsigned args_count;
	char **env;
	unsigned env_count;
	char *cwd;
	int mode;
	bool interference;
};

struct raw_mc {
	char **read;
	unsigned read_count;
	char **write;
	unsigned write_count;
};

struct raw_campaign {
	char *name;
	char *description;
	int repetitions;
	int warmup;
	double timeout_s;
	double scale;
	int interval_ms;
	bool oversubscribe;
	bool bandwidth;
	bool interference;
	struct raw_mc *memory_counters;
	int placement;
	char **events;
	unsigned events_count;
	struct raw_workload *workloads;
	unsigned workloads_count;
	struct raw_variant *variants;
	unsigned variants_count;
	bool confirm;
};

static const cyaml_strval_t mode_names[] = { { "copies", MODE_COPIES }, { "team", MODE_TEAM } };
static const cyaml_strval_t placement_names[] = { { "compact", PLACE_COMPACT }, { "spread", PLACE_SPREAD } };

static const cyaml_schema_value_t string_entry = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

#define OPT (CYAML_FLAG_OPTIONAL)
#define OPT_PTR (CYAML_FLAG_OPTIONAL | CYAML_FLAG_POINTER)

static const cyaml_schema_field_t workload_fields[] = {
	CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, struct raw_workload, name, 0, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("command", OPT_PTR, struct raw_workload, command, &string_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("builtin", OPT_PTR, struct raw_workload, builtin, 0, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("args", OPT_PTR, struct raw_workload, args, &string_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("env", OPT_PTR, struct raw_workload, env, &string_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("cwd", OPT_PTR, struct raw_workload, cwd, 0, CYAML_UNLIMITED),
	CYAML_FIELD_ENUM("mode", OPT | CYAML_FLAG_STRICT, struct raw_workload, mode, mode_names,
			 CYAML_ARRAY_LEN(mode_names)),
	CYAML_FIELD_BOOL("interference", OPT, struct raw_workload, interference),
	CYAML_FIELD_IGNORE("bandit", OPT), /* true, false or a list: read in section 3 */
	CYAML_FIELD_END,
};

static const cyaml_schema_field_t mc_fields[] = {
	CYAML_FIELD_SEQUENCE("read", OPT_PTR, struct raw_mc, read, &string_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("write", OPT_PTR, struct raw_mc, write, &string_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_END,
};

static const cyaml_schema_value_t workload_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_workload, workload_fields),
};

static const cyaml_schema_field_t campaign_fields[] = {
	CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, struct raw_campaign, name, 0, CYAML_UNLIMITED),
	CYAML_FIELD_STRING_PTR("description", OPT_PTR, struct raw_campaign, description, 0, CYAML_UNLIMITED),
	CYAML_FIELD_IGNORE("workers", OPT), /* a list, a range or "all": read in section 3 */
	CYAML_FIELD_IGNORE("profile", OPT), /* true, false or a mapping: read in section 3 */
	CYAML_FIELD_INT("repetitions", OPT, struct raw_campaign, repetitions),
	CYAML_FIELD_INT("warmup", OPT, struct raw_campaign, warmup),
	CYAML_FIELD_FLOAT("timeout_s", OPT, struct raw_campaign, timeout_s),
	CYAML_FIELD_FLOAT("scale", OPT, struct raw_campaign, scale),
	CYAML_FIELD_INT("interval_ms", OPT, struct raw_campaign, interval_ms),
	CYAML_FIELD_BOOL("oversubscribe", OPT, struct raw_campaign, oversubscribe),
	CYAML_FIELD_BOOL("bandwidth", OPT, struct raw_campaign, bandwidth),
	CYAML_FIELD_BOOL("interference", OPT, struct raw_campaign, interference),
	CYAML_FIELD_IGNORE("bandit", OPT), /* true, false or a list: read in section 3 */
	CYAML_FIELD_MAPPING_PTR("memory_counters", OPT_PTR, struct raw_campaign, memory_counters, mc_fields),
	CYAML_FIELD_ENUM("placement", OPT | CYAML_FLAG_STRICT, struct raw_campaign, placement, placement_names,
			 CYAML_ARRAY_LEN(placement_names)),
	CYAML_FIELD_SEQUENCE("events", OPT_PTR, struct raw_campaign, events, &string_entry, 0, CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("workloads", CYAML_FLAG_POINTER, struct raw_campaign, workloads, &workload_entry, 1,
			     CYAML_UNLIMITED),
	CYAML_FIELD_SEQUENCE("variants", OPT_PTR, struct raw_campaign, variants, &variant_entry_schema, 0,
			     CYAML_UNLIMITED),
	CYAML_FIELD_BOOL("confirm", OPT, struct raw_campaign, confirm),
	CYAML_FIELD_END,
};

static const cyaml_schema_value_t campaign_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct raw_campaign, campaign_fields),
};


/* ---- 2. error messages ------------------------------------------------ */

static const char *const campaign_keys =
	"name, description, workers, repetitions, warmup, timeout_s, scale, interval_ms, oversubscribe, placement, events, bandwidth, "
	"memory_counters, interference, bandit, profile, workloads, variants, confirm";
static const char *const workload_keys = "name, command, builtin, args, env, cwd, mode, interference, bandit";

static const char *campaign_keys_for(const char *path)
{
	return strncmp(path, "memory_counters", 15) == 0 ? "read, write"
	       : strncmp(path, "profile", 7) == 0   ? "hz, offcpu"
	       : strncmp(path, "variants[", 9) == 0 ? VARIANT_KEYS
	       : strstr(path, "workloads[") ? workload_keys : campaign_keys;
}

static const char *campaign_enum_values(const char *key)
{
	return strcmp(key, "mode") == 0     ? "copies, team"
	       : strcmp(key, "thp") == 0    ? "inherit, never"
	       : strcmp(key, "memory") == 0 ? "inherit, local, interleave"
					    : "compact, spread";
}

/* ---- 3. workers, events and the checks on meaning --------------------- */

#define WORKERS_MAX 1000000 /* the largest worker count taken */

static int parse_count(const char *s, int ncores, int *ret)
{
	char *end;
	long v;

	if (strcmp(s, "all") == 0) {
		*ret = ncores;
		return 0;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < -WORKERS_MAX || v > WORKERS_MAX)
		return -EINVAL;
	*ret = (int)v;
	return 0;
}

static void add_worker_count(struct campaign *c, int n)
{
	/* doubled at each power of two: a range adds up to WORKERS_MAX */
	if ((c->nworkers & (c->nworkers - 1)) == 0)
		c->workers = xreallocarray(c->workers, c->nworkers ? 2 * c->nworkers : 1, sizeof(int));
	c->workers[c->nworkers++] = n;
}

/* Checks one worker count at path against the machine; seen has a bit per
 * count already listed (a scan of c->workers made "1..1000000" quadratic:
 * hours). */
static int check_count(struct yamlerr *ctx, struct campaign *c, const char *path, int n, int ncores,
		       uint8_t *seen)
{
	if (n < 1)
		return yamlerr_at(ctx, path, "worker count must be at least 1, got %d", n);
	if (n > ncores && !c->oversubscribe)
		return yamlerr_at(ctx, path,
			       "%d workers asked for, but this machine has %d physical cores "
			       "(set oversubscribe: true to allow more)", n, ncores);
	if (seen[n / 8] & (1 << n % 8))
		return yamlerr_at(ctx, path, "worker count %d is listed twice", n);
	seen[n / 8] |= (uint8_t)(1 << n % 8);
	add_worker_count(c, n);
	return 0;
}

/* workers as one scalar: "all", "N", or "A..B" (B may be "all"). */
static int parse_workers_scalar(struct yamlerr *ctx, struct campaign *c, const char *s, int ncores, uint8_t *seen)
{
	const char *dots = strstr(s, "..");
	char first[32];
	int a, b;

	if (!dots) {
		if (parse_count(s, ncores, &a) < 0)
			return yamlerr_at(ctx, "workers",
				       "expected a list like [1, 2, 4], a range like \"1..4\" or \"all\", got '%s'", s);
		return check_count(ctx, c, "workers", a, ncores, seen);
	}
	snprintf(first, sizeof(first), "%.*s", (int)(dots - s), s);
	if (dots - s >= (long)sizeof(first) || parse_count(first, ncores, &a) < 0 ||
	    parse_count(dots + 2, ncores, &b) < 0 || a < 1 || b < a)
		return yamlerr_at(ctx, "workers", "bad range '%s': expected FIRST..LAST with 1 <= FIRST <= LAST", s);
	for (int n = a; n <= b; n++)
		if (check_count(ctx, c, "workers", n, ncores, seen) < 0)
			return -EINVAL;
	return 0;
}

/* workers as a list of N and "all". */
static int parse_workers_list(struct yamlerr *ctx, struct campaign *c, yaml_node_t *node, int ncores, uint8_t *seen)
{
	for (size_t i = 0; i < yamlloc_len(node); i++) {
		yaml_node_t *item = yamlloc_item(ctx->loc, node, i);
		char path[32];
		int n;

		snprintf(path, sizeof(path), "workers[%zu]", i);
		if (!item || item->type != YAML_SCALAR_NODE)
			return yamlerr_at(ctx, path, "expected a worker count or \"all\"");
		if (parse_count((const char *)item->data.scalar.value, ncores, &n) < 0)
			return yamlerr_at(ctx, path, "expected a worker count or \"all\", got '%s'",
				       (const char *)item->data.scalar.value);
		if (check_count(ctx, c, path, n, ncores, seen) < 0)
			return -EINVAL;
	}
	return 0;
}

/* workers: a scalar or a list; without it, 1 up to every physical core. */
static int parse_workers_in(struct yamlerr *ctx, struct campaign *c, int ncores, uint8_t *seen)
{
	int line, col;
	yaml_node_t *node = yamlloc_find(ctx->loc, "workers", &line, &col);

	if (!node) {
		for (int n = 1; n <= ncores; n++)
			add_worker_count(c, n);
		return 0;
	}
	if (node->type == YAML_SCALAR_NODE)
		return parse_workers_scalar(ctx, c, (const char *)node->data.scalar.value, ncores, seen);
	if (node->type != YAML_SEQUENCE_NODE || yamlloc_len(node) == 0)
		return yamlerr_at(ctx, "workers", "expected a list like [1, 2, 4], a range like \"1..4\" or \"all\"");
	return parse_workers_list(ctx, c, node, ncores, seen);
}

static int parse_workers(struct yamlerr *ctx, struct campaign *c, int ncores)
{
	uint8_t *seen = xcalloc((size_t)(ncores > WORKERS_MAX ? ncores : WORKERS_MAX) / 8 + 1, 1);
	int r = parse_workers_in(ctx, c, ncores, seen);

	free(seen);
	return r;
}

static int add_event(struct yamlerr *ctx, struct campaign *c, const char *path, const char *name)
{
	struct event_spec spec;
	int r;

	for (size_t i = 0; i < c->nevents; i++)
		if (strcmp(c->events[i].name, name) == 0)
			return 0; /* presets overlap: count it once */
	r = events_encode(name, &spec);
	if (r == -ENOENT) {
		char *hint = events_suggest(name);

		if (hint)
			r = yamlerr_at(ctx, path, "unknown event '%s' (did you mean '%s'?)", name, hint);
		else
			r = yamlerr_at(ctx, path, "unknown event '%s' (scalprof events lists presets; "
				    "libpfm4 names PMU::EVENT:UMASK)", name);
		free(hint);
		return r;
	}
	if (r < 0)
		return yamlerr_at(ctx, path, "event '%s' has invalid modifiers", name);
	c->events = xreallocarray(c->events, c->nevents + 1, sizeof(*c->events));
	c->events[c->nevents++] = spec;
	return 0;
}

static int parse_events(struct yamlerr *ctx, struct campaign *c, const struct raw_campaign *raw)
{
	char **names = raw->events;
	size_t n = raw->events_count;

	if (events_init() < 0)
		return yamlerr_at(ctx, "events", "libpfm4 could not be initialised");
	if (!names) {
		for (const char *const *e = events_default(); *e; e++)
			if (add_event(ctx, c, "events", *e) < 0)
				return -EINVAL;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		const struct event_preset *p = events_preset_find(names[i]);
		char path[32];

		snprintf(path, sizeof(path), "events[%zu]", i);
		if (!*names[i])
			return yamlerr_at(ctx, path, "empty event name");
		if (p) {
			for (const char *const *e = p->events; *e; e++)
				if (add_event(ctx, c, path, *e) < 0)
					return -EINVAL;
		} else if (add_event(ctx, c, path, names[i]) < 0) {
			return -EINVAL;
		}
	}
	return 0;
}

/* Workload i's name: not empty, not one an earlier workload has. */
static int check_workload_name(struct yamlerr *ctx, const struct raw_campaign *raw, size_t i)
{
	const struct raw_workload *w = &raw->workloads[i];
	char p[64];
	int line, col;

	snprintf(p, sizeof(p), "workloads[%zu].name", i);
	if (!*w->name)
		return yamlerr_at(ctx, p, "empty workload name");
	for (size_t j = 0; j < i; j++)
		if (strcmp(raw->workloads[j].name, w->name) == 0) {
			snprintf(p, sizeof(p), "workloads[%zu].name", j);
			yamlloc_find(ctx->loc, p, &line, &col);
			snprintf(p, sizeof(p), "workloads[%zu].name", i);
			return yamlerr_at(ctx, p, "duplicate workload name '%s' (first at line %d)", w->name, line);
		}
	return 0;
}

/* What workload i runs: a command or a builtin, and args only with the
 * latter. */
static int check_workload_program(struct yamlerr *ctx, const struct raw_workload *w, size_t i)
{
	char p[64];
	int line, col;

	snprintf(p, sizeof(p), "workloads[%zu].command", i);
	if (yamlloc_find(ctx->loc, p, &line, &col) && (!w->command || w->command_count == 0 || !*w->command[0]))
		return yamlerr_at(ctx, p, "empty command: give the program and its arguments");
	snprintf(p, sizeof(p), "workloads[%zu]", i);
	if (w->command && w->builtin)
		return yamlerr_at(ctx, p, "give either command or builtin, not both");
	if (!w->command && !w->builtin)
		return yamlerr_at(ctx, p, "give what to run: command: [program, args...] or builtin: NAME");
	if (w->args && !w->builtin) {
		snprintf(p, sizeof(p), "workloads[%zu].args", i);
		return yamlerr_at(ctx, p, "args belong to a builtin workload; put a command's arguments in command");
	}
	return 0;
}

/* Workload i's builtin: one that exists, in the mode it needs, with
 * arguments it takes. */
static int check_builtin(struct yamlerr *ctx, const struct raw_workload *w, size_t i)
{
	const struct builtin *b = builtin_find(w->builtin);
	double values[BUILTIN_MAX_PARAMS];
	char *why = NULL, p[64];
	size_t bad;
	int r;

	snprintf(p, sizeof(p), "workloads[%zu].builtin", i);
	if (!b) {
		char names[256];
		size_t used = 0;

		for (const struct builtin *k = builtin_list(); k->name && used < sizeof(names); k++)
			used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : "", k->name);
		return yamlerr_at(ctx, p, "unknown builtin '%s' (builtins: %s)", w->builtin, names);
	}
	if (b->team_only && w->mode != MODE_TEAM)
		return yamlerr_at(ctx, p, "builtin %s makes its own processes: it needs mode: team", b->name);
	if (builtin_parse_args(b, w->args, w->args_count, values, &bad, &why) >= 0)
		return 0;
	snprintf(p, sizeof(p), "workloads[%zu].args[%zu]", i, bad);
	r = yamlerr_at(ctx, p, "%s", why ? why : "bad argument");
	free(why);
	return r;
}

/* An env list at path (workloads[i].env, variants[i].env): NAME=VALUE
 * each, none of the names scalprof sets. */
static int check_env_list(struct yamlerr *ctx, const char *path, char *const *env, size_t n)
{
	char p[96];

	for (size_t k = 0; k < n; k++) {
		const char *eq = strchr(env[k], '=');

		snprintf(p, sizeof(p), "%s[%zu]", path, k);
		if (!eq || eq == env[k])
			return yamlerr_at(ctx, p, "expected NAME=VALUE, got '%s'", env[k]);
		if (strncmp(env[k], "SCALPROF_WORKERS=", 17) == 0 || strncmp(env[k], "SCALPROF_SLOT=", 14) == 0 ||
		    strncmp(env[k], "SCALPROF_SCALE=", 15) == 0)
			return yamlerr_at(ctx, p, "%.*s is set by scalprof for each worker", (int)(eq - env[k]), env[k]);
	}
	return 0;
}

static int check_env(struct yamlerr *ctx, const struct raw_workload *w, size_t i)
{
	char p[64];

	snprintf(p, sizeof(p), "workloads[%zu].env", i);
	return check_env_list(ctx, p, w->env, w->env_count);
}

static int check_workload(struct yamlerr *ctx, const struct raw_campaign *raw, size_t i)
{
	const struct raw_workload *w = &raw->workloads[i];
	char p[64];

	if (check_workload_name(ctx, raw, i) < 0 || check_workload_program(ctx, w, i) < 0)
		return -EINVAL;
	if (w->builtin && check_builtin(ctx, w, i) < 0)
		return -EINVAL;
	if (check_env(ctx, w, i) < 0)
		return -EINVAL;
	if (w->cwd && !*w->cwd) {
		snprintf(p, sizeof(p), "workloads[%zu].cwd", i);
		return yamlerr_at(ctx, p, "empty directory");
	}
	return 0;
}

/* The campaign file's directory ("." when its name has no slash), fresh. */
static char *campaign_dir(const char *file)
{
	const char *slash = strrchr(file, '/');

	return !slash ? xstrdup(".") : slash == file ? xstrdup("/") : xasprintf("%.*s", (int)(slash - file), file);
}

/* The directory for a workload's cwd, relative ones taken from the
 * campaign file's directory. Loaded by its user (submitted 0), it must
 * exist and is resolved; submitted to the daemon, it is joined only, never
 * looked up: the daemon runs as root, and what exists where is for the
 * submitter to find out, when their worker enters it with their own rights
 * (which also gives a workload without cwd the campaign file's directory,
 * not the daemon's). */
static int resolve_cwd(struct yamlerr *ctx, size_t i, const char *cwd, int submitted, char **ret)
{
	char *dir, *joined, resolved[PATH_MAX], p[64];
	struct stat sb;

	*ret = NULL;
	if (!cwd && !submitted)
		return 0;
	dir = campaign_dir(ctx->file);
	joined = !cwd ? xstrdup(dir)
		: cwd[0] == '/' || strcmp(dir, ".") == 0 ? xstrdup(cwd) : xasprintf("%s/%s", dir, cwd);
	free(dir);
	if (submitted) {
		*ret = joined;
		return 0;
	}
	snprintf(p, sizeof(p), "workloads[%zu].cwd", i);
	if (!realpath(joined, resolved) || stat(resolved, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		int r = yamlerr_at(ctx, p, "no such directory '%s'%s", joined,
				cwd[0] == '/' ? "" : " (a relative cwd is taken from the campaign file's directory)");

		free(joined);
		return r;
	}
	free(joined);
	*ret = xstrdup(resolved);
	return 0;
}

/* Where scalprof-kernels is: SCALPROF_KERNELS; beside this executable (the
 * build tree); ../libexec/scalprof from it (an installation, wherever its
 * prefix was moved); else the libexec directory of the build. */
static char *kernels_path(void)
{
	static const char *const rel[] = { "scalprof-kernels", "../libexec/scalprof/scalprof-kernels" };
	const char *env = getenv("SCALPROF_KERNELS");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		/* made absolute: workers exec it from their own cwd */
		char *abs = env[0] == '/' ? NULL : realpath(env, NULL);

		return abs ? abs : xstrdup(env);
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			for (size_t k = 0; k < ARRAY_SIZE(rel); k++) {
				char *path = xasprintf("%s/%s", exe, rel[k]);

				if (access(path, X_OK) == 0)
					return path;
				free(path);
			}
		}
	}
	return xstrdup(SCALPROF_LIBEXECDIR "/scalprof-kernels");
}

/* argv for a builtin: scalprof-kernels NAME ARGS... (pointers, not copies) */
static char **builtin_argv(const char *kernels, char *name, char **args, size_t nargs)
{
	char **argv = xcalloc(nargs + 3, sizeof(char *));

	argv[0] = (char *)kernels;
	argv[1] = name;
	for (size_t k = 0; k < nargs; k++)
		argv[k + 2] = args[k];
	return argv;
}

int campaign_set_scale(struct campaign *c, double scale)
{
	if (!(scale > 0) || scale > CAMPAIGN_MAX_SCALE)
		return -EINVAL;
	c->scale = scale;
	return 0;
}

/* Builds a NULL-terminated argv-style copy of n pointers (not strings). */
static char **terminated(char **v, size_t n)
{
	char **out;

	if (!v)
		return NULL;
	out = xcalloc(n + 1, sizeof(char *));
	memcpy(out, v, n * sizeof(char *));
	return out;
}

/* memory_counters: at least one event, and names this machine's
 * memory-controller PMUs can take. */
static int validate_mc(struct yamlerr *ctx, struct campaign *c, const struct raw_mc *mc)
{
	struct mc_set probe_set;
	char *why = NULL;

	if (mc->read_count + mc->write_count == 0)
		return yamlerr_at(ctx, "memory_counters", "name at least one read or write event");
	if (mcpmu_from_names(NULL, mc->read, mc->read_count, mc->write, mc->write_count, &probe_set, &why) < 0) {
		int r = yamlerr_at(ctx, "memory_counters", "%s", why ? why : "unusable");

		free(why);
		return r;
	}
	mc_set_clear(&probe_set);
	c->mc_read = mc->read;
	c->mc_read_count = mc->read_count;
	c->mc_write = mc->write;
	c->mc_write_count = mc->write_count;
	return 0;
}

/* profile.hz: digits only, within range. */
static int profile_hz(struct yamlerr *ctx, yaml_node_t *n, int *ret)
{
	const char *v = n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : "";
	char *end;
	long hz;

	errno = 0;
	hz = strtol(v, &end, 10);
	if (!*v || *end || errno || hz < 1 || hz > CAMPAIGN_MAX_PROFILE_HZ)
		return yamlerr_at(ctx, "profile.hz", "expected samples per second from 1 to %d, got '%s'",
			       CAMPAIGN_MAX_PROFILE_HZ, v);
	*ret = (int)hz;
	return 0;
}

/* Whether n is a scalar that yamlerr_check_bool takes for true. */
static int is_true(const yaml_node_t *n)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };

	for (size_t k = 0; n && n->type == YAML_SCALAR_NODE && k < ARRAY_SIZE(yes); k++)
		if (strcasecmp(yes[k], (const char *)n->data.scalar.value) == 0)
			return 1;
	return 0;
}

/* profile: true, false, or {hz: N, offcpu: BOOL}; absent: off. */
static int parse_profile(struct yamlerr *ctx, struct campaign *c)
{
	int line, col;
	yaml_node_t *n = yamlloc_find(ctx->loc, "profile", &line, &col), *v;

	c->profile_hz = 0;
	c->profile_offcpu = 0;
	if (!n)
		return 0;
	if (n->type == YAML_SCALAR_NODE) {
		if (yamlerr_check_bool(ctx, "profile") < 0)
			return -EINVAL;
		if (is_true(n)) {
			c->profile_hz = CAMPAIGN_DEFAULT_PROFILE_HZ;
			c->profile_offcpu = 1;
		}
		return 0;
	}
	if (n->type != YAML_MAPPING_NODE)
		return yamlerr_at(ctx, "profile", "expected true, false or a mapping like {hz: 499, offcpu: true}");
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yamlloc_node(ctx->loc, pr->key);
		const char *key = k && k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";

		if (strcmp(key, "hz") != 0 && strcmp(key, "offcpu") != 0) {
			char path[80];

			snprintf(path, sizeof(path), "profile.%s", key);
			return yamlerr_at(ctx, path, "unknown key '%s' (expected one of: hz, offcpu)", key);
		}
	}
	c->profile_hz = CAMPAIGN_DEFAULT_PROFILE_HZ;
	c->profile_offcpu = 1;
	if ((v = yamlloc_find(ctx->loc, "profile.hz", &line, &col)) && profile_hz(ctx, v, &c->profile_hz) < 0)
		return -EINVAL;
	if ((v = yamlloc_find(ctx->loc, "profile.offcpu", &line, &col))) {
		if (yamlerr_check_bool(ctx, "profile.offcpu") < 0)
			return -EINVAL;
		c->profile_offcpu = is_true(v);
	}
	return 0;
}

/* The numbers, each its default (d's where given) unless the file sets it
 * within range. */
static int validate_numbers(struct yamlerr *ctx, struct campaign *c, const struct raw_campaign *raw,
			    const struct campaign_defaults *d)
{
	int line, col, r;
	double v;

	c->repetitions = d && d->repetitions > 0 ? d->repetitions : CAMPAIGN_DEFAULT_REPETITIONS;
	if (yamlloc_find(ctx->loc, "repetitions", &line, &col)) {
		if (raw->repetitions < 1 || raw->repetitions > 100000)
			return yamlerr_at(ctx, "repetitions", "must be between 1 and 100000, got %d", raw->repetitions);
		c->repetitions = raw->repetitions;
	}
	c->warmup = 0;
	if (yamlloc_find(ctx->loc, "warmup", &line, &col)) {
		if (raw->warmup < 0 || raw->warmup > CAMPAIGN_MAX_WARMUP)
			return yamlerr_at(ctx, "warmup", "must be between 0 and %d, got %d", CAMPAIGN_MAX_WARMUP,
				       raw->warmup);
		c->warmup = raw->warmup;
	}
	c->timeout_s = d && d->timeout_s > 0 ? d->timeout_s : CAMPAIGN_DEFAULT_TIMEOUT_S;
	/* raw->timeout_s and raw->scale are libcyaml's strtod: read them again */
	r = yamlerr_read_duration(ctx, "timeout_s", &v);
	if (r < 0)
		return r;
	if (r > 0) {
		if (!(v > 0) || !isfinite(v) || v > 7 * 86400.0)
			return yamlerr_at(ctx, "timeout_s", "must be a number of seconds above 0 (at most a week), got %g",
				       v);
		c->timeout_s = v;
	}
	c->interval_ms = CAMPAIGN_DEFAULT_INTERVAL_MS;
	if (yamlloc_find(ctx->loc, "interval_ms", &line, &col)) {
		if (raw->interval_ms < 0 || raw->interval_ms > 3600000)
			return yamlerr_at(ctx, "interval_ms", "must be 0 (totals only) or 1 to 3600000 milliseconds, got %d",
				       raw->interval_ms);
		c->interval_ms = raw->interval_ms;
	}
	c->scale = 1.0;
	r = yamlerr_read_number(ctx, "scale", &v);
	if (r < 0)
		return r;
	if (r > 0) {
		if (!(v > 0) || v > CAMPAIGN_MAX_SCALE)
			return yamlerr_at(ctx, "scale", "must be a number above 0 and at most %g, got %g", CAMPAIGN_MAX_SCALE,
				       v);
		c->scale = v;
	}
	return 0;
}

/* Looks for scalprof-kernels once per campaign. Returns 0 when it is
 * there, -ENOENT when not (c->kernels says where it was looked for). */
static int find_kernels(struct campaign *c)
{
	if (c->kernels)
		return 0;
	c->kernels = kernels_path();
	return access(c->kernels, X_OK) < 0 ? -ENOENT : 0;
}

/* Workload i's argv: the command, or scalprof-kernels NAME ARGS... */
static int workload_command(struct yamlerr *ctx, struct campaign *c, const struct raw_workload *rw, size_t i,
			    struct workload *w)
{
	char p[64];

	if (!rw->builtin) {
		w->command = terminated(rw->command, rw->command_count);
		w->command_count = rw->command_count;
		return 0;
	}
	if (find_kernels(c) < 0) {
		snprintf(p, sizeof(p), "workloads[%zu].builtin", i);
		return yamlerr_at(ctx, p,
			       "builtin workloads need scalprof-kernels, not found at '%s' "
			       "(run make, or set SCALPROF_KERNELS)", c->kernels);
	}
	w->command = builtin_argv(c->kernels, rw->builtin, rw->args, rw->args_count);
	w->command_count = rw->args_count + 2;
	return 0;
}

/* Workload i's interference: its own setting or the campaign's; the
 * co-runners are scalprof-kernels too. */
static int workload_interference(struct yamlerr *ctx, struct campaign *c, const struct raw_campaign *raw, size_t i,
				 struct workload *w)
{
	char p[64];
	int line, col;

	snprintf(p, sizeof(p), "workloads[%zu].interference", i);
	if (yamlerr_check_bool(ctx, p) < 0)
		return -EINVAL;
	w->interference = yamlloc_find(ctx->loc, p, &line, &col) ? raw->workloads[i].interference : raw->interference;
	if (w->interference && find_kernels(c) < 0)
		return yamlerr_at(ctx, yamlloc_find(ctx->loc, p, &line, &col) ? p : "interference",
			       "interference needs scalprof-kernels, not found at '%s' "
			       "(run make, or set SCALPROF_KERNELS)", c->kernels);
	return 0;
}

/* Level k of the bandit list at path: a number from 0 to 1 not listed
 * before. Returns 0 with *ret, or -EINVAL. */
static int bandit_level(struct yamlerr *ctx, const char *path, size_t k, const double *levels, double *ret)
{
	char p[80];
	int r;

	snprintf(p, sizeof(p), "%s[%zu]", path, k);
	r = yamlerr_read_number(ctx, p, ret);
	if (r < 0)
		return r;
	if (r == 0)
		return yamlerr_at(ctx, p, "expected a level from 0 to 1, like 0.5");
	if (!(*ret >= 0 && *ret <= 1))
		return yamlerr_at(ctx, p, "a level is a fraction of the co-runner's full rate, from 0 to 1, got %g", *ret);
	for (size_t j = 0; j < k; j++)
		if (levels[j] == *ret)
			return yamlerr_at(ctx, p, "level %g is listed twice", *ret);
	return 0;
}

/* bandit at path (the campaign's or a workload's): true for the default
 * levels, false for none, or a list of 2 to CAMPAIGN_MAX_BANDIT_LEVELS
 * distinct levels. Returns 1 with levels and *ret_n set, 0 when path is
 * absent, or -EINVAL. */
static int parse_bandit(struct yamlerr *ctx, const char *path, double *levels, int *ret_n)
{
	static const double defaults[] = CAMPAIGN_DEFAULT_BANDIT_LEVELS;
	int line, col;
	yaml_node_t *n = yamlloc_find(ctx->loc, path, &line, &col);
	size_t len;

	if (!n)
		return 0;
	if (n->type == YAML_SCALAR_NODE) {
		if (yamlerr_check_bool(ctx, path) < 0)
			return -EINVAL;
		*ret_n = is_true(n) ? (int)ARRAY_SIZE(defaults) : 0;
		memcpy(levels, defaults, sizeof(defaults));
		return 1;
	}
	len = n->type == YAML_SEQUENCE_NODE ? yamlloc_len(n) : 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return yamlerr_at(ctx, path, "expected true, false or a list of levels like [0, 0.25, 0.5, 0.75, 1]");
	if (len < 2 || len > CAMPAIGN_MAX_BANDIT_LEVELS)
		return yamlerr_at(ctx, path, "give from 2 to %d levels (a curve needs two points), got %zu",
			       CAMPAIGN_MAX_BANDIT_LEVELS, len);
	for (size_t k = 0; k < len; k++)
		if (bandit_level(ctx, path, k, levels, &levels[k]) < 0)
			return -EINVAL;
	*ret_n = (int)len;
	return 1;
}

/* Workload i's bandit: its own setting or the campaign's (c_levels, nc);
 * the co-runners are scalprof-kernels too. */
static int workload_bandit(struct yamlerr *ctx, struct campaign *c, size_t i, const double *c_levels, int nc,
			   struct workload *w)
{
	char p[64];
	int r;

	snprintf(p, sizeof(p), "workloads[%zu].bandit", i);
	r = parse_bandit(ctx, p, w->bandit, &w->nbandit);
	if (r < 0)
		return r;
	if (r == 0) {
		memcpy(w->bandit, c_levels, sizeof(w->bandit));
		w->nbandit = nc;
	}
	if (w->nbandit && find_kernels(c) < 0)
		return yamlerr_at(ctx, r ? p : "bandit",
			       "bandit needs scalprof-kernels, not found at '%s' (run make, or set SCALPROF_KERNELS)",
			       c->kernels);
	return 0;
}

/* Workload i, checked, into c->workloads[i]. */
static int validate_workload(struct yamlerr *ctx, struct campaign *c, const struct raw_campaign *raw, size_t i,
			     int submitted, const double *bandit, int nbandit)
{
	const struct raw_workload *rw = &raw->workloads[i];
	struct workload *w = &c->workloads[i];

	if (check_workload(ctx, raw, i) < 0)
		return -EINVAL;
	if (resolve_cwd(ctx, i, rw->cwd, submitted, &c->cwds[i]) < 0)
		return -EINVAL;
	w->name = rw->name;
	if (workload_command(ctx, c, rw, i, w) < 0)
		return -EINVAL;
	w->builtin = rw->builtin;
	w->args = terminated(rw->args, rw->args_count);
	w->args_count = rw->args_count;
	w->env = terminated(rw->env, rw->env_count);
	w->env_count = rw->env_count;
	w->cwd = c->cwds[i];
	if (workload_interference(ctx, c, raw, i, w) < 0 || workload_bandit(ctx, c, i, bandit, nbandit, w) < 0)
		return -EINVAL;
	w->mode = (enum wl_mode)rw->mode;
	return 0;
}

/* variants[i].name: a word of letters, digits, '.', '_' and '-' (it
 * labels rows, report lines and sqlite3 queries), not "baseline", not a
 * name an earlier variant has. */
static int check_variant_name(struct yamlerr *ctx, const struct raw_campaign *raw, size_t i)
{
	const char *name = raw->variants[i].name;
	char p[64];

	snprintf(p, sizeof(p), "variants[%zu].name", i);
	if (!*name || strlen(name) > VARIANT_NAME_MAX)
		return yamlerr_at(ctx, p, "a variant's name is 1 to %d characters", VARIANT_NAME_MAX);
	for (const char *q = name; *q; q++)
		if (!isalnum((unsigned char)*q) && *q != '.' && *q != '_' && *q != '-')
			return yamlerr_at(ctx, p, "'%s': a variant's name holds letters, digits, '.', '_' and '-' only",
				       name);
	if (strcmp(name, "baseline") == 0)
		return yamlerr_at(ctx, p, "'baseline' is what the runs without a variant are called");
	for (size_t j = 0; j < i; j++)
		if (strcmp(raw->variants[j].name, name) == 0)
			return yamlerr_at(ctx, p, "variant '%s' is already defined (variants[%zu])", name, j);
	return 0;
}

/* variants[i].workloads: names of the campaign's workloads, each once. */
static int check_variant_workloads(struct yamlerr *ctx, const struct campaign *c, const struct raw_variant *rv,
				   size_t i)
{
	char p[64];
	char *names = xstrdup(""), *more;
	int r = 0, line, col;

	for (size_t w = 0; w < c->nworkloads; w++) {
		more = xasprintf("%s%s%s", names, w ? ", " : "", c->workloads[w].name);
		free(names);
		names = more;
	}
	for (size_t k = 0; k < rv->workloads_count && r == 0; k++) {
		size_t w = 0;
		int dl;
		const char *near;

		snprintf(p, sizeof(p), "variants[%zu].workloads[%zu]", i, k);
		while (w < c->nworkloads && strcmp(c->workloads[w].name, rv->workloads[k]) != 0)
			w++;
		if (w == c->nworkloads) {
			near = yamlerr_closest(rv->workloads[k], names, &dl);
			r = near ? yamlerr_at(ctx, p, "no workload named '%s' (did you mean '%.*s'?)", rv->workloads[k], dl,
					      near)
				 : yamlerr_at(ctx, p, "no workload named '%s'; the campaign's are: %s", rv->workloads[k],
					      names);
		}
		for (size_t j = 0; j < k && r == 0; j++)
			if (strcmp(rv->workloads[j], rv->workloads[k]) == 0)
				r = yamlerr_at(ctx, p, "'%s' is listed twice", rv->workloads[k]);
	}
	/* libcyaml leaves an empty list NULL, like an absent one: the text tells them apart */
	snprintf(p, sizeof(p), "variants[%zu].workloads", i);
	if (r == 0 && rv->workloads_count == 0 && yamlloc_find(ctx->loc, p, &line, &col))
		r = yamlerr_at(ctx, p, "an empty list: leave workloads out to apply the variant to every workload");
	free(names);
	return r;
}

/* Variant i, checked, into c->variants[i]: each change it names is valid,
 * and it names at least one that differs from the baseline. */
static int validate_variant(struct yamlerr *ctx, struct campaign *c, const struct raw_campaign *raw, size_t i)
{
	const struct raw_variant *rv = &raw->variants[i];
	struct variant *v = &c->variants[i];
	char p[64];
	int line, col, r;
	double scale;

	if (check_variant_name(ctx, raw, i) < 0)
		return -EINVAL;
	snprintf(p, sizeof(p), "variants[%zu].env", i);
	if (check_env_list(ctx, p, rv->env, rv->env_count) < 0 || check_variant_workloads(ctx, c, rv, i) < 0)
		return -EINVAL;
	v->name = rv->name;
	v->env = terminated(rv->env, rv->env_count);
	v->env_count = rv->env_count;
	v->thp = (enum variant_thp)rv->thp;
	v->memory = (enum variant_memory)rv->memory;
	snprintf(p, sizeof(p), "variants[%zu].placement", i);
	v->placement = yamlloc_find(ctx->loc, p, &line, &col) ? rv->placement : -1;
	v->workloads = terminated(rv->workloads, rv->workloads_count);
	v->nworkloads = rv->workloads_count;
	v->scale = 1;
	snprintf(p, sizeof(p), "variants[%zu].scale", i);
	r = yamlerr_read_number(ctx, p, &scale);
	if (r < 0)
		return r;
	if (r > 0) {
		if (!(scale > 0) || scale * c->scale > CAMPAIGN_MAX_SCALE)
			return yamlerr_at(ctx, p, "must be a number above 0, and the campaign's scale times it at most %g, "
					       "got %g", CAMPAIGN_MAX_SCALE, scale);
		v->scale = scale;
	} else if (yamlloc_find(ctx->loc, p, &line, &col)) {
		return yamlerr_at(ctx, p, "expected a number like 0.5");
	}
	if (!v->env_count && v->thp == VTHP_INHERIT && v->memory == VMEM_INHERIT &&
	    (v->placement < 0 || v->placement == (int)c->placement) && v->scale == 1) {
		snprintf(p, sizeof(p), "variants[%zu]", i);
		return yamlerr_at(ctx, p,
			       "variant '%s' changes nothing from the baseline: give it env, thp: never, memory, "
			       "a placement other than the campaign's, or a scale", v->name);
	}
	return 0;
}

static int validate_variants(struct yamlerr *ctx, struct campaign *c, const struct raw_campaign *raw)
{
	if (yamlerr_check_bool(ctx, "confirm") < 0)
		return -EINVAL;
	c->confirm = raw->confirm;
	if (raw->variants_count > VARIANT_MAX)
		return yamlerr_at(ctx, "variants", "at most %d variants, got %u", VARIANT_MAX, raw->variants_count);
	c->variants = xcalloc(raw->variants_count ? raw->variants_count : 1, sizeof(*c->variants));
	c->nvariants = raw->variants_count;
	for (size_t i = 0; i < raw->variants_count; i++)
		if (validate_variant(ctx, c, raw, i) < 0)
			return -EINVAL;
	return 0;
}

static int validate(struct yamlerr *ctx, struct campaign *c, struct raw_campaign *raw,
		    const struct topology *topo, const struct campaign_defaults *d, int submitted)
{
	double bandit[CAMPAIGN_MAX_BANDIT_LEVELS] = { 0 };
	int line, col, nbandit = 0;

	if (!*raw->name)
		return yamlerr_at(ctx, "name", "empty campaign name");
	c->name = raw->name;
	c->description = raw->description;
	c->oversubscribe = raw->oversubscribe;
	c->placement = (enum placement)raw->placement;

	if (yamlerr_check_bool(ctx, "oversubscribe") < 0 || yamlerr_check_bool(ctx, "bandwidth") < 0 ||
	    yamlerr_check_bool(ctx, "interference") < 0 || yamlerr_check_int(ctx, "repetitions") < 0 ||
	    yamlerr_check_int(ctx, "warmup") < 0 ||
	    yamlerr_check_int(ctx, "interval_ms") < 0)
		return -EINVAL;
	c->bandwidth = yamlloc_find(ctx->loc, "bandwidth", &line, &col) ? raw->bandwidth : 1;
	if (raw->memory_counters && validate_mc(ctx, c, raw->memory_counters) < 0)
		return -EINVAL;
	if (validate_numbers(ctx, c, raw, d) < 0)
		return -EINVAL;
	if (parse_workers(ctx, c, topology_cores(topo)) < 0)
		return -EINVAL;
	if (parse_profile(ctx, c) < 0)
		return -EINVAL;
	if (parse_events(ctx, c, raw) < 0)
		return -EINVAL;

	if (parse_bandit(ctx, "bandit", bandit, &nbandit) < 0)
		return -EINVAL;

	c->workloads = xcalloc(raw->workloads_count, sizeof(*c->workloads));
	c->cwds = xcalloc(raw->workloads_count, sizeof(char *));
	c->nworkloads = raw->workloads_count;
	for (size_t i = 0; i < raw->workloads_count; i++)
		if (validate_workload(ctx, c, raw, i, submitted, bandit, nbandit) < 0)
			return -EINVAL;
	return validate_variants(ctx, c, raw);
}

/* ---- 4. parse, load, free --------------------------------------------- */

static int parse(const char *name, const char *text, size_t len, const struct topology *topo,
		 const struct campaign_defaults *d, int submitted, struct campaign **ret, char **ret_error);

int campaign_parse(const char *name, const char *text, size_t len, const struct topology *topo,
		   struct campaign **ret, char **ret_error)
{
	return parse(name, text, len, topo, NULL, 0, ret, ret_error);
}

int campaign_parse_submitted(const char *name, const char *text, size_t len, const struct topology *topo,
			     const struct campaign_defaults *d, struct campaign **ret, char **ret_error)
{
	return parse(name, text, len, topo, d, 1, ret, ret_error);
}

/* libcyaml's load of text into *ret_raw (NULL on failure). Returns 0, or
 * -EINVAL with ctx->error set: aliases (refused), or libcyaml's complaint
 * turned into ours. */
static int load_raw(struct yamlerr *ctx, const char *text, size_t len, const cyaml_config_t *cfg,
		    struct raw_campaign **ret_raw)
{
	int line = 1, col = 1;
	cyaml_err_t cerr = cyaml_load_data((const uint8_t *)text, len, cfg, &campaign_schema, (cyaml_data_t **)ret_raw,
					   NULL);

	if (cerr == CYAML_ERR_ALIAS) {
		/* each alias would be a full copy of its anchor's value: a
		 * megabyte of them, tens of gigabytes in the daemon */
		char *alias = NULL;

		yamlloc_first_alias(text, len, &line, &col, &alias);
		ctx->error = xasprintf("%s:%d:%d: aliases are not supported: write out the value of '*%s' in full",
				       ctx->file, line, col, alias ? alias : "");
		free(alias);
		*ret_raw = NULL;
		return -EINVAL;
	}
	if (cerr != CYAML_OK) {
		ctx->log[ctx->log_len] = '\0';
		*ret_raw = NULL;
		return yamlerr_from_cyaml(ctx, cerr);
	}
	return 0;
}

/* The text within CAMPAIGN_MAX_BYTES, _DEPTH and _NODES, checked without
 * loading it (see campaign.h). Returns 0, or -EINVAL with ctx->error set. */
static int check_bounds(struct yamlerr *ctx, const char *text, size_t len)
{
	int line = 1, col = 1, r;

	if (len > CAMPAIGN_MAX_BYTES) {
		ctx->error = xasprintf("%s: campaign larger than %d bytes", ctx->file, CAMPAIGN_MAX_BYTES);
		return -EINVAL;
	}
	r = yamlloc_bound(text, len, CAMPAIGN_MAX_DEPTH, CAMPAIGN_MAX_NODES, &line, &col);
	if (r == YAMLLOC_TOO_DEEP)
		ctx->error = xasprintf("%s:%d:%d: the campaign nests deeper than %d levels", ctx->file, line, col,
				       CAMPAIGN_MAX_DEPTH);
	else if (r == YAMLLOC_TOO_MANY)
		ctx->error = xasprintf("%s:%d:%d: the campaign has more than %d nodes (keys, values and lists)",
				       ctx->file, line, col, CAMPAIGN_MAX_NODES);
	else if (r < 0)
		ctx->error = xasprintf("%s: %s", ctx->file, strerror(-r));
	return r == YAMLLOC_WITHIN ? 0 : -EINVAL;
}

/* The decimal fields, read before libcyaml reads them: its strtod would
 * take "2m" as 2 or fail with a message of its own. validate_numbers reads
 * them again for their values. Returns 0, or -EINVAL with ctx->error set. */
static int check_decimals(struct yamlerr *ctx)
{
	double v;

	int line, col;
	char p[64];

	if (yamlerr_read_duration(ctx, "timeout_s", &v) < 0 || yamlerr_read_number(ctx, "scale", &v) < 0)
		return -EINVAL;
	for (size_t i = 0;; i++) {
		snprintf(p, sizeof(p), "variants[%zu]", i);
		if (!yamlloc_find(ctx->loc, p, &line, &col))
			return 0;
		snprintf(p, sizeof(p), "variants[%zu].scale", i);
		if (yamlerr_read_number(ctx, p, &v) < 0)
			return -EINVAL;
	}
}

static int parse(const char *name, const char *text, size_t len, const struct topology *topo,
		 const struct campaign_defaults *d, int submitted, struct campaign **ret, char **ret_error)
{
	struct yamlerr ctx = { .file = name, .keys_for = campaign_keys_for, .enum_values_for = campaign_enum_values };
	struct raw_campaign *raw = NULL;
	struct campaign *c = NULL;
	cyaml_config_t cfg = {
		.log_fn = yamlerr_capture,
		.log_ctx = &ctx,
		.mem_fn = cyaml_mem,
		.log_level = CYAML_LOG_ERROR,
		.flags = CYAML_CFG_NO_ALIAS,
	};
	int line = 1, col = 1, r;

	*ret_error = NULL;
	r = check_bounds(&ctx, text, len);
	if (r == 0)
		r = yamlerr_open(&ctx, text, len);
	if (r < 0) {
		*ret_error = ctx.error;
		return r;
	}
	if (!yamlloc_find(ctx.loc, "", &line, &col)) {
		r = yamlerr_at(&ctx, "", "empty campaign: expected a mapping with at least name and workloads");
		goto err;
	}
	r = check_decimals(&ctx);
	if (r == 0)
		r = load_raw(&ctx, text, len, &cfg, &raw);
	if (r < 0)
		goto err;
	if (!raw) {
		r = yamlerr_at(&ctx, "", "empty campaign: expected a mapping with at least name and workloads");
		goto err;
	}
	c = xcalloc(1, sizeof(*c));
	c->raw = raw;
	r = validate(&ctx, c, raw, topo, d, submitted);
	if (r < 0)
		goto err;
	c->source = xstrdup(name);
	c->yaml = xcalloc(1, len + 1);
	memcpy(c->yaml, text, len);
	c->yaml_len = len;
	yamlloc_free(ctx.loc);
	*ret = c;
	return 0;
err:
	if (c)
		campaign_free(c);
	else if (raw)
		cyaml_free(&cfg, &campaign_schema, raw, 0);
	yamlloc_free(ctx.loc);
	*ret_error = ctx.error ? ctx.error : xasprintf("%s: invalid campaign", name);
	return r < 0 ? r : -EINVAL;
}

int campaign_load(const char *path, const struct topology *topo, struct campaign **ret, char **ret_error)
{
	char *text;
	size_t len;
	int r = read_file_limited(path, CAMPAIGN_MAX_BYTES, &text, &len);

	if (r < 0) {
		*ret_error = r == -EFBIG ? xasprintf("%s: campaign larger than %d bytes", path, CAMPAIGN_MAX_BYTES)
					 : xasprintf("cannot read campaign '%s': %s", path, strerror(-r));
		return r;
	}
	r = campaign_parse(path, text, len, topo, ret, ret_error);
	free(text);
	return r;
}

void campaign_free(struct campaign *c)
{
	cyaml_config_t cfg = { .mem_fn = cyaml_mem, .log_level = CYAML_LOG_ERROR, .log_fn = NULL };

	if (!c)
		return;
	for (size_t i = 0; i < c->nworkloads; i++) {
		free(c->workloads[i].command);
		free(c->workloads[i].args);
		free(c->workloads[i].env);
	}
	free(c->workloads);
	for (size_t i = 0; c->variants && i < c->nvariants; i++) {
		free(c->variants[i].env);
		free(c->variants[i].workloads);
	}
	free(c->variants);
	for (size_t i = 0; c->cwds && i < c->nworkloads; i++)
		free(c->cwds[i]);
	free(c->cwds);
	free(c->kernels);
	for (size_t i = 0; i < c->nevents; i++)
		events_spec_clear(&c->events[i]);
	free(c->events);
	free(c->workers);
	free(c->source);
	free(c->yaml);
	if (c->raw)
		cyaml_free(&cfg, &campaign_schema, c->raw, 0);
	free(c);
}

const struct workload *campaign_python(const struct campaign *c)
{
	for (size_t i = 0; i < c->nworkloads; i++) {
		const char *prog = c->workloads[i].command ? c->workloads[i].command[0] : NULL;
		const char *base;

		if (!prog)
			continue;
		base = strrchr(prog, '/');
		base = base ? base + 1 : prog;
		if (strncmp(base, "python", 6) == 0)
			return &c->workloads[i];
	}
	return NULL;
}

const char *wl_mode_name(enum wl_mode m)
{
	return m == MODE_TEAM ? "team" : "copies";
}

const char *placement_name(enum placement p)
{
	return p == PLACE_SPREAD ? "spread" : "compact";
}

/* ---- 5. a campaign written for a command ------------------------------ */

/* A word that YAML reads back as the same plain scalar (no quoting
 * needed, no way to start a new key or a flow collection). */
static int plain_word(const char *s)
{
	return isalnum((unsigned char)*s) &&
	       s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-")] == '\0';
}

/* s as a YAML double-quoted scalar: any byte string reads back as itself
 * (control characters escaped, UTF-8 kept as it is). */
static void put_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* A value given on the command line: plain when it is a plain word, so
 * that the parser's own checks of numbers speak of it as typed; quoted
 * otherwise, so that no value can add keys of its own. */
static void put_value(FILE *f, const char *s)
{
	if (plain_word(s))
		fputs(s, f);
	else
		put_quoted(f, s);
}

/* --workers as the YAML's workers: "1,2,4" becomes a list, "1..4" and
 * "all" stay scalars. */
static void put_workers(FILE *f, const char *w)
{
	const char *p = w;

	if (!strchr(w, ',')) {
		put_value(f, w);
		return;
	}
	fputc('[', f);
	for (;;) {
		size_t n = strcspn(p, ",");
		char *item = xcalloc(1, n + 1);

		memcpy(item, p, n);

		put_value(f, item);
		free(item);
		if (!p[n])
			break;
		fputs(", ", f);
		p += n + 1;
	}
	fputc(']', f);
}

char *campaign_command_yaml(const struct campaign_command *cc)
{
	const char *base = strrchr(cc->argv[0], '/');
	const char *name = cc->name ? cc->name : base && base[1] ? base + 1 : cc->argv[0];
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort(); /* out of memory, as everywhere */
	fputs("# written by scalprof run for a command; keep it, edit it, and run it again\n"
	      "# with: scalprof run FILE.yaml (see scalprof.yaml(5))\n", f);
	fputs("name: ", f);
	put_quoted(f, name);
	fputs("\nworkers: ", f);
	put_workers(f, cc->workers ? cc->workers : "1..all");
	fprintf(f, "\nrepetitions: ");
	put_value(f, cc->repetitions ? cc->repetitions : "3");
	fputs("\nwarmup: ", f);
	put_value(f, cc->warmup ? cc->warmup : "0");
	fputc('\n', f);
	if (cc->scale) {
		fputs("scale: ", f);
		put_value(f, cc->scale);
		fputc('\n', f);
	}
	if (cc->interference)
		fputs("interference: true\n", f);
	if (cc->profile)
		fputs("profile: true\n", f);
	fputs("workloads:\n  - name: ", f);
	put_quoted(f, name);
	fputs("\n    command: [", f);
	for (size_t i = 0; cc->argv[i]; i++) {
		if (i)
			fputs(", ", f);
		put_quoted(f, cc->argv[i]);
	}
	fputs("]\n    cwd: ", f);
	put_quoted(f, cc->cwd);
	fprintf(f, "\n    mode: %s\n", cc->team ? "team" : "copies");
	if (fclose(f) != 0)
		abort();
	return text;
}
