/* config.c: scalprofd's configuration through libcyaml (see config.h). Every
 * key is optional and has the default of config/scalprofd.yaml; an unknown
 * key, a wrong type or an impossible value is an error with its position. */
#include <errno.h>
#include <grp.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cyaml/cyaml.h>

#include "service/config.h"
#include "engine/lock.h"
#include "base/util.h"
#include "model/yamlerr.h"

struct raw_defaults {
	int repetitions;
	double timeout_s;
};

/* ---- clients: what one user may hold ---- */
struct raw_clients {
	int max_connections, connections_per_user, reserved_for_others, reserved_for_root;
	double watch_idle_s;
	int queued_per_user;
};

struct raw_config {
	char *database, *socket, *group, *lock;
	struct raw_defaults *defaults;
	struct raw_clients *clients;
	int max_runs;
	bool resume_interrupted;
	double client_timeout_s;
	int max_request_bytes;
	/* the members' copy of the database (publish.h) */
	char *shared_database;
	double shared_interval_s;
	/* per-campaign limits */
	int max_workers_per_run, max_repetitions;
	double max_campaign_seconds;
	int64_t max_samples_per_run, max_db_growth_bytes, max_processes_per_user;
};

#define OPT (CYAML_FLAG_OPTIONAL)
#define OPT_PTR (CYAML_FLAG_OPTIONAL | CYAML_FLAG_POINTER)

static const cyaml_schema_field_t defaults_fields[] = {
	CYAML_FIELD_INT("repetitions", OPT, struct raw_defaults, repetitions),
	CYAML_FIELD_FLOAT("timeout_s", OPT, struct raw_defaults, timeout_s),
	CYAML_FIELD_END,
};

static const cyaml_schema_field_t clients_fields[] = {
	CYAML_FIELD_INT("max_connections", OPT, struct raw_clients, max_connections),
	CYAML_FIELD_INT("connections_per_user", OPT, struct raw_clients, connections_per_user),
	CYAML_FIELD_INT("reserved_for_others", OPT, struct raw_clients, reserved_for_others),
	CYAML_FIELD_INT("reserved_for_root", OPT, struct raw_clients, reserved_for_root),
	CYAML_FIELD_FLOAT("watch_idle_s", OPT, struct raw_clients, watch_idle_s),
	CYAML_FIELD_INT("queued_per_user", OPT, struct raw_clients, queued_per_user),
	CYAML_FIELD_END,
};

static const cyaml_schema_field_t config_fields[] = {
	CYAML_FIELD_STRING_PTR("database", OPT_PTR, struct raw_config, database, 1, 4096),
	CYAML_FIELD_STRING_PTR("socket", OPT_PTR, struct raw_config, socket, 1, 107),
	CYAML_FIELD_STRING_PTR("group", OPT_PTR, struct raw_config, group, 1, 256),
	CYAML_FIELD_STRING_PTR("lock", OPT_PTR, struct raw_config, lock, 1, 4096),
	CYAML_FIELD_MAPPING_PTR("defaults", OPT_PTR, struct raw_config, defaults, defaults_fields),
	CYAML_FIELD_INT("max_runs", OPT, struct raw_config, max_runs),
	CYAML_FIELD_BOOL("resume_interrupted", OPT, struct raw_config, resume_interrupted),
	CYAML_FIELD_FLOAT("client_timeout_s", OPT, struct raw_config, client_timeout_s),
	CYAML_FIELD_INT("max_request_bytes", OPT, struct raw_config, max_request_bytes),
	/* the members' copy of the database */
	CYAML_FIELD_STRING_PTR("shared_database", OPT_PTR, struct raw_config, shared_database, 1, 4096),
	CYAML_FIELD_FLOAT("shared_interval_s", OPT, struct raw_config, shared_interval_s),
	CYAML_FIELD_MAPPING_PTR("clients", OPT_PTR, struct raw_config, clients, clients_fields),
	/* per-campaign limits */
	CYAML_FIELD_INT("max_workers_per_run", OPT, struct raw_config, max_workers_per_run),
	CYAML_FIELD_INT("max_repetitions", OPT, struct raw_config, max_repetitions),
	CYAML_FIELD_FLOAT("max_campaign_seconds", OPT, struct raw_config, max_campaign_seconds),
	CYAML_FIELD_INT("max_samples_per_run", OPT, struct raw_config, max_samples_per_run),
	CYAML_FIELD_INT("max_db_growth_bytes", OPT, struct raw_config, max_db_growth_bytes),
	CYAML_FIELD_INT("max_processes_per_user", OPT, struct raw_config, max_processes_per_user),
	CYAML_FIELD_END,
};

static const cyaml_schema_value_t config_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct raw_config, config_fields),
};

static const char *config_keys_for(const char *path)
{
	if (strncmp(path, "clients", 7) == 0)
		return "max_connections, connections_per_user, reserved_for_others, reserved_for_root, "
		       "watch_idle_s, queued_per_user";
	return strncmp(path, "defaults", 8) == 0
		? "repetitions, timeout_s"
		: "database, socket, group, lock, defaults, max_runs, resume_interrupted, client_timeout_s, "
		  "max_request_bytes, shared_database, shared_interval_s, clients, max_workers_per_run, max_repetitions, "
		  "max_campaign_seconds, max_samples_per_run, max_db_growth_bytes, max_processes_per_user";
}

static const char *config_enum_values(const char *key)
{
	return "";
}

static int given(struct yamlerr *e, const char *path)
{
	int line, col;

	return yamlloc_find(e->loc, path, &line, &col) != NULL;
}

static char *absolute(struct yamlerr *e, const char *key, const char *v, const char *def, int *r)
{
	if (!v)
		return xstrdup(def);
	if (v[0] != '/')
		*r = yamlerr_at(e, key, "must be an absolute path, got '%s'", v);
	return xstrdup(v);
}

/* The members' copy: an absolute path, not the database itself; by
 * default beside it, "-shared" before its extension; and how often it is
 * published while a campaign runs. */
static int check_shared(struct yamlerr *e, const struct raw_config *raw, struct config *c)
{
	size_t len = strlen(c->database);
	int r = 0;

	if (raw->shared_database)
		c->shared_database = absolute(e, "shared_database", raw->shared_database, NULL, &r);
	else if (len > 3 && strcmp(c->database + len - 3, ".db") == 0)
		c->shared_database = xasprintf("%.*s-shared.db", (int)(len - 3), c->database);
	else
		c->shared_database = xasprintf("%s-shared", c->database);
	if (r == 0 && strcmp(c->shared_database, c->database) == 0)
		r = yamlerr_at(e, "shared_database", "must not be the database itself, '%s'", c->database);
	c->shared_interval_s = 10;
	if (r == 0 && given(e, "shared_interval_s")) {
		if (!(raw->shared_interval_s >= 0) || raw->shared_interval_s > 86400)
			return yamlerr_at(e, "shared_interval_s", "must be 0 to 86400 seconds, got %g",
					  raw->shared_interval_s);
		c->shared_interval_s = raw->shared_interval_s;
	}
	return r;
}

/* The paths and the group: absolute, and a group that exists. */
static int check_places(struct yamlerr *e, const struct raw_config *raw, struct config *c)
{
	int r = 0;

	c->database = absolute(e, "database", raw->database, "/var/lib/scalprof/scalprof.db", &r);
	c->socket = absolute(e, "socket", raw->socket, "/run/scalprof/scalprofd.sock", &r);
	c->lock = absolute(e, "lock", raw->lock, LOCK_DEFAULT_PATH, &r);
	c->group = xstrdup(raw->group ? raw->group : "scalprof");
	if (r == 0)
		r = check_shared(e, raw, c);
	if (r < 0)
		return r;
	{
		struct group *g = getgrnam(c->group);

		if (!g)
			return yamlerr_at(e, given(e, "group") ? "group" : "", "no group '%s' on this machine%s", c->group,
					  given(e, "group") ? "" : " (the default; create it: systemd-sysusers, or groupadd)");
		c->gid = g->gr_gid;
	}
	return 0;
}

/* The numbers: each given one within its range, the others defaulted. */
static int check_limits(struct yamlerr *e, const struct raw_config *raw, struct config *c)
{
	c->max_runs = 100000;
	if (given(e, "max_runs")) {
		if (raw->max_runs < 1)
			return yamlerr_at(e, "max_runs", "must be at least 1, got %d", raw->max_runs);
		c->max_runs = raw->max_runs;
	}
	c->resume_interrupted = given(e, "resume_interrupted") ? raw->resume_interrupted : 1;
	c->client_timeout_s = 10;
	if (given(e, "client_timeout_s")) {
		if (!(raw->client_timeout_s > 0) || raw->client_timeout_s > 3600)
			return yamlerr_at(e, "client_timeout_s", "must be above 0 and at most 3600 seconds, got %g",
					  raw->client_timeout_s);
		c->client_timeout_s = raw->client_timeout_s;
	}
	c->max_request_bytes = 2 * CAMPAIGN_MAX_BYTES;
	if (given(e, "max_request_bytes")) {
		if (raw->max_request_bytes < 4096 || raw->max_request_bytes > 64 << 20)
			return yamlerr_at(e, "max_request_bytes", "must be between 4096 and 67108864, got %d",
					  raw->max_request_bytes);
		c->max_request_bytes = raw->max_request_bytes;
	}
	if (given(e, "defaults.repetitions")) {
		if (raw->defaults->repetitions < 1 || raw->defaults->repetitions > 100000)
			return yamlerr_at(e, "defaults.repetitions", "must be between 1 and 100000, got %d",
					  raw->defaults->repetitions);
		c->defaults.repetitions = raw->defaults->repetitions;
	}
	if (given(e, "defaults.timeout_s")) {
		if (!(raw->defaults->timeout_s > 0) || !isfinite(raw->defaults->timeout_s) ||
		    raw->defaults->timeout_s > 7 * 86400.0)
			return yamlerr_at(e, "defaults.timeout_s", "must be a number of seconds above 0 (at most a week), got %g",
					  raw->defaults->timeout_s);
		c->defaults.timeout_s = raw->defaults->timeout_s;
	}
	return 0;
}

/* ---- clients: what one user may hold ---- */

/* The integer at path: a whole number (checked against the text), and
 * when given, from lo to hi ("must be between LO and HI<hi_says>") into
 * *v, which holds its default otherwise. */
static int config_int(struct yamlerr *e, const char *path, int64_t given_v, int64_t lo, int64_t hi, const char *hi_says,
		      int64_t *v)
{
	if (yamlerr_check_int(e, path) < 0)
		return -EINVAL;
	if (!given(e, path))
		return 0;
	if (given_v < lo || given_v > hi)
		return yamlerr_at(e, path, "must be between %lld and %lld%s, got %lld", (long long)lo, (long long)hi,
				  hi_says, (long long)given_v);
	*v = given_v;
	return 0;
}

/* One integer of clients: (*v holds its default) from lo to hi. */
static int clients_int(struct yamlerr *e, const char *key, int given_v, int lo, int hi, const char *hi_says, int *v)
{
	char path[64];
	int64_t x = *v;
	int r;

	snprintf(path, sizeof(path), "clients.%s", key);
	r = config_int(e, path, given_v, lo, hi, hi_says, &x);
	*v = (int)x;
	return r;
}

/* The clients: mapping, each key within its range, and the reserved
 * slots leaving at least one for everyone. */
static int check_clients(struct yamlerr *e, const struct raw_clients *raw, struct client_limits *l)
{
	static const struct raw_clients none = { 0 };
	int r;

	if (!raw)
		raw = &none;
	*l = (struct client_limits){ .max_connections = 256, .connections_per_user = 16, .reserved_for_others = 16,
				     .reserved_for_root = 4, .watch_idle_s = 600, .queued_per_user = 32 };
	r = clients_int(e, "max_connections", raw->max_connections, 8, CONFIG_MAX_CONNECTIONS, "", &l->max_connections);
	if (r == 0)
		r = clients_int(e, "connections_per_user", raw->connections_per_user, 1, l->max_connections,
				" (max_connections)", &l->connections_per_user);
	if (r == 0)
		r = clients_int(e, "reserved_for_others", raw->reserved_for_others, 0, l->max_connections - 2, "",
				&l->reserved_for_others);
	if (r == 0)
		r = clients_int(e, "reserved_for_root", raw->reserved_for_root, 1, l->max_connections - 1, "",
				&l->reserved_for_root);
	if (r == 0)
		r = clients_int(e, "queued_per_user", raw->queued_per_user, 1, 100000, "", &l->queued_per_user);
	if (r < 0)
		return r;
	if (l->reserved_for_others + l->reserved_for_root >= l->max_connections)
		return yamlerr_at(e, given(e, "clients.reserved_for_others") ? "clients.reserved_for_others"
				     : given(e, "clients.reserved_for_root") ? "clients.reserved_for_root"
									      : "clients.max_connections",
				  "the reserved slots (%d for others, %d for root) must leave at least one of the %d "
				  "(max_connections) to anyone",
				  l->reserved_for_others, l->reserved_for_root, l->max_connections);
	if (given(e, "clients.watch_idle_s")) {
		if (!(raw->watch_idle_s > 0) || !isfinite(raw->watch_idle_s) || raw->watch_idle_s > 7 * 86400.0)
			return yamlerr_at(e, "clients.watch_idle_s",
					  "must be a number of seconds above 0 (at most a week), got %g",
					  raw->watch_idle_s);
		l->watch_idle_s = raw->watch_idle_s;
	}
	return 0;
}

/* ---- per-campaign limits ----------------------------------------------- */

/* The integer key, given or defaulted, within [lo, hi]. */
static int limit_int(struct yamlerr *e, const char *key, int64_t v, int64_t def, int64_t lo, int64_t hi,
		     int64_t *ret)
{
	*ret = def;
	return config_int(e, key, v, lo, hi, "", ret);
}

/* What one campaign may take (config.h, struct config_limits). */
static int check_campaign_limits(struct yamlerr *e, const struct raw_config *raw, struct config *c)
{
	struct config_limits *l = &c->limits;
	int64_t v;
	int r = 0;

	if ((r = limit_int(e, "max_workers_per_run", raw->max_workers_per_run, 1024, 1, 100000, &v)) < 0)
		return r;
	l->max_workers_per_run = (int)v;
	if ((r = limit_int(e, "max_repetitions", raw->max_repetitions, 1000, 1, 100000, &v)) < 0)
		return r;
	l->max_repetitions = (int)v;
	if ((r = limit_int(e, "max_samples_per_run", raw->max_samples_per_run, 1000000, 1, 1000000000, &v)) < 0)
		return r;
	l->max_samples_per_run = (uint64_t)v;
	if ((r = limit_int(e, "max_db_growth_bytes", raw->max_db_growth_bytes, 1 << 30, 65536, INT64_MAX, &v)) < 0)
		return r;
	l->max_db_growth_bytes = v;
	if ((r = limit_int(e, "max_processes_per_user", raw->max_processes_per_user, 4096, 16, 4194304, &v)) < 0)
		return r;
	l->max_processes_per_user = (long)v;
	l->max_campaign_seconds = 86400;
	if (given(e, "max_campaign_seconds")) {
		if (!(raw->max_campaign_seconds > 0) || raw->max_campaign_seconds > 366 * 86400.0)
			return yamlerr_at(e, "max_campaign_seconds", "must be a number of seconds above 0 (at most a year), got %g",
					  raw->max_campaign_seconds);
		l->max_campaign_seconds = raw->max_campaign_seconds;
	}
	/* a configuration from before max_repetitions keeps its default */
	if (!given(e, "max_repetitions") && c->defaults.repetitions > l->max_repetitions)
		l->max_repetitions = c->defaults.repetitions;
	if (c->defaults.repetitions > l->max_repetitions)
		return yamlerr_at(e, "defaults.repetitions", "must be at most max_repetitions (%d), got %d",
				  l->max_repetitions, c->defaults.repetitions);
	return 0;
}

static int check(struct yamlerr *e, const struct raw_config *raw, struct config *c)
{
	int r;

	if (yamlerr_check_int(e, "max_runs") < 0 || yamlerr_check_int(e, "max_request_bytes") < 0 ||
	    yamlerr_check_int(e, "defaults.repetitions") < 0 || yamlerr_check_bool(e, "resume_interrupted") < 0)
		return -EINVAL;
	r = check_places(e, raw, c);
	if (r == 0)
		r = check_limits(e, raw, c);
	if (r == 0)
		r = check_clients(e, raw->clients, &c->clients);
	return r < 0 ? r : check_campaign_limits(e, raw, c);
}

int config_parse(const char *name, const char *text, size_t len, struct config *c, char **ret_error)
{
	struct yamlerr e = { .file = name, .keys_for = config_keys_for, .enum_values_for = config_enum_values };
	cyaml_config_t cfg = {
		.log_fn = yamlerr_capture, .log_ctx = &e, .mem_fn = cyaml_mem,
		.log_level = CYAML_LOG_ERROR, .flags = CYAML_CFG_DEFAULT,
	};
	struct raw_config *raw = NULL;
	int r;

	memset(c, 0, sizeof(*c));
	r = yamlerr_open(&e, text, len);
	if (r == 0) {
		int line, col;

		/* an empty file, or one of comments only, means every default */
		if (yamlloc_find(e.loc, "", &line, &col)) {
			cyaml_err_t cerr = cyaml_load_data((const uint8_t *)text, len, &cfg, &config_schema,
							   (cyaml_data_t **)&raw, NULL);

			if (cerr != CYAML_OK) {
				e.log[e.log_len] = '\0';
				r = yamlerr_from_cyaml(&e, cerr);
				raw = NULL;
			}
		}
		if (r == 0) {
			struct raw_config none = { 0 };

			r = check(&e, raw ? raw : &none, c);
		}
	}
	if (raw)
		cyaml_free(&cfg, &config_schema, raw, 0);
	yamlloc_free(e.loc);
	if (r < 0) {
		config_clear(c);
		*ret_error = e.error ? e.error : xasprintf("%s: invalid configuration", name);
		return r;
	}
	return 0;
}

int config_load(const char *path, struct config *c, char **ret_error)
{
	char *text;
	size_t len;
	int r;

	memset(c, 0, sizeof(*c));
	r = read_file_limited(path, 1 << 20, &text, &len);
	if (r < 0) {
		*ret_error = xasprintf("cannot read the configuration '%s': %s", path, strerror(-r));
		return r;
	}
	r = config_parse(path, text, len, c, ret_error);
	free(text);
	return r;
}

void config_clear(struct config *c)
{
	free(c->database);
	free(c->socket);
	free(c->group);
	free(c->lock);
	free(c->shared_database);
	memset(c, 0, sizeof(*c));
}
