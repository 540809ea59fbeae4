/* test-config.c: scalprofd's configuration (service/config.c). The
 * defaults of every key; each key read; values out of range, of the wrong
 * type, relative paths, unknown keys and unknown groups refused with their
 * exact "FILE:LINE:COL: key: what" message; config_load on files; the
 * clients: limits apart (clients()), with their own corpus. The group is
 * root, which every machine has. */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/lock.h"
#include "model/campaign.h"
#include "service/config.h"
#include "tap.h"

#define KEYS                                                                                                           \
	"database, socket, group, lock, defaults, max_runs, resume_interrupted, client_timeout_s, max_request_bytes, " \
	"shared_database, shared_interval_s, clients, max_workers_per_run, max_repetitions, max_campaign_seconds, " \
	"max_samples_per_run, max_db_growth_bytes, max_processes_per_user"

static int parse(const char *text, struct config *c, char **err)
{
	*err = (char *)"(untouched)";
	return config_parse("c.yaml", text, strlen(text), c, err);
}

/* text must load; returns whether it did, leaving *c to check */
static int good(const char *text, struct config *c, const char *what)
{
	char *err;
	int r = parse(text, c, &err);

	if (!ok(r == 0, "%s: loads", what)) {
		printf("#   %d: %s\n", r, err);
		free(err);
	}
	return r == 0;
}

static void bad(const char *text, const char *want, const char *what)
{
	struct config c;
	char *err;
	int r = parse(text, &c, &err);

	is_int(r, -EINVAL, "%s: refused with -EINVAL", what);
	is_str(r < 0 ? err : NULL, want, "%s: message", what);
	ok(c.database == NULL && c.socket == NULL && c.group == NULL && c.lock == NULL,
	   "%s: nothing is left in the configuration", what);
	if (r < 0)
		free(err);
	else
		config_clear(&c);
}

static void defaults(void)
{
	struct config c;

	if (!good("group: root\n", &c, "a configuration of one key"))
		return;
	is_str(c.database, "/var/lib/scalprof/scalprof.db", "database defaults to /var/lib/scalprof/scalprof.db");
	is_str(c.socket, "/run/scalprof/scalprofd.sock", "socket defaults to /run/scalprof/scalprofd.sock");
	is_str(c.lock, LOCK_DEFAULT_PATH, "lock defaults to the one scalprof run takes");
	is_str(c.group, "root", "group as given");
	is_int(c.gid, 0, "and its id looked up");
	is_int(c.max_runs, 100000, "max_runs defaults to 100000");
	is_int(c.resume_interrupted, 1, "resume_interrupted defaults to true");
	ok(c.client_timeout_s == 10, "client_timeout_s defaults to 10 s (%g)", c.client_timeout_s);
	is_int(c.max_request_bytes, 2 * CAMPAIGN_MAX_BYTES, "max_request_bytes defaults to twice the largest campaign");
	is_str(c.shared_database, "/var/lib/scalprof/scalprof-shared.db", "shared_database defaults to beside the database");
	ok(c.shared_interval_s == 10, "shared_interval_s defaults to 10 s (%g)", c.shared_interval_s);
	is_int(c.defaults.repetitions, 0, "defaults.repetitions: 0, the campaign's own default");
	ok(c.defaults.timeout_s == 0, "defaults.timeout_s: 0, the campaign's own default");
	/* per-campaign limits */
	is_int(c.limits.max_workers_per_run, 1024, "max_workers_per_run defaults to 1024");
	is_int(c.limits.max_repetitions, 1000, "max_repetitions defaults to 1000");
	ok(c.limits.max_campaign_seconds == 86400, "max_campaign_seconds defaults to a day (%g)",
	   c.limits.max_campaign_seconds);
	ok(c.limits.max_samples_per_run == 1000000, "max_samples_per_run defaults to 1000000");
	ok(c.limits.max_db_growth_bytes == 1 << 30, "max_db_growth_bytes defaults to 1 GiB");
	ok(c.limits.max_processes_per_user == 4096, "max_processes_per_user defaults to 4096");
	config_clear(&c);
	ok(c.database == NULL && c.socket == NULL && c.group == NULL && c.lock == NULL && c.max_runs == 0,
	   "config_clear frees and zeroes");
	config_clear(&c);
	ok(1, "config_clear twice is harmless");

	if (good("# every default but the group\ngroup: root # inline\n\n", &c, "comments and blank lines")) {
		is_str(c.database, "/var/lib/scalprof/scalprof.db", "comments change nothing");
		config_clear(&c);
	}
	{
		/* an empty file means every default, the group scalprof included */
		struct config e;
		char *err;
		int r = parse("# nothing here\n", &e, &err);

		if (getgrnam("scalprof")) {
			is_int(r, 0, "a file of comments only: every default");
			is_str(r == 0 ? e.group : NULL, "scalprof", "the default group is scalprof");
			config_clear(&e);
		} else {
			is_int(r, -EINVAL,
			       "a file of comments only: every default, and the group scalprof is missing here");
			is_str(r < 0 ? err : NULL,
			       "c.yaml:1:1: no group 'scalprof' on this machine (the default; create it: "
			       "systemd-sysusers, or groupadd)",
			       "the message says it is the default and how to create it");
			if (r < 0)
				free(err);
		}
	}
}

static void each_key(void)
{
	struct config c;

	if (!good("database: /srv/sp/x.db\n"
		  "socket: /srv/sp/sock\n"
		  "group: root\n"
		  "lock: /srv/sp/lock\n"
		  "defaults:\n"
		  "  repetitions: 7\n"
		  "  timeout_s: 1.5\n"
		  "max_runs: 12\n"
		  "resume_interrupted: false\n"
		  "client_timeout_s: 0.25\n"
		  "max_request_bytes: 8192\n"
		  "shared_database: /srv/sp/members.db\n"
		  "shared_interval_s: 0\n"

		  "max_workers_per_run: 64\n"
		  "max_repetitions: 9\n"
		  "max_campaign_seconds: 90.5\n"
		  "max_samples_per_run: 5000\n"
		  "max_db_growth_bytes: 10000000000\n"
		  "max_processes_per_user: 100\n",
		  &c, "every key"))
		return;
	ok(c.limits.max_workers_per_run == 64 && c.limits.max_repetitions == 9 &&
	   c.limits.max_campaign_seconds == 90.5 && c.limits.max_samples_per_run == 5000 &&
	   c.limits.max_db_growth_bytes == 10000000000LL && c.limits.max_processes_per_user == 100,
	   "the per-campaign limits, growth beyond 32 bits");
	is_str(c.database, "/srv/sp/x.db", "database");
	is_str(c.shared_database, "/srv/sp/members.db", "shared_database");
	ok(c.shared_interval_s == 0, "shared_interval_s 0: after every run");
	is_str(c.socket, "/srv/sp/sock", "socket");
	is_str(c.lock, "/srv/sp/lock", "lock");
	is_int(c.defaults.repetitions, 7, "defaults.repetitions");
	ok(c.defaults.timeout_s == 1.5, "defaults.timeout_s takes a fraction (%g)", c.defaults.timeout_s);
	is_int(c.max_runs, 12, "max_runs");
	is_int(c.resume_interrupted, 0, "resume_interrupted: false");
	ok(c.client_timeout_s == 0.25, "client_timeout_s takes a fraction (%g)", c.client_timeout_s);
	is_int(c.max_request_bytes, 8192, "max_request_bytes");
	config_clear(&c);

	if (good("group: root\nresume_interrupted: yes\ndefaults: {timeout_s: 60}\n", &c, "yes, and a flow mapping")) {
		is_int(c.resume_interrupted, 1, "resume_interrupted: yes is true");
		ok(c.defaults.timeout_s == 60, "defaults in flow style");
		is_int(c.defaults.repetitions, 0, "a default not given stays the campaign's own");
		config_clear(&c);
	}
	/* the bounds themselves are allowed */
	if (good("group: root\nmax_runs: 1\nclient_timeout_s: 3600\nmax_request_bytes: 4096\n"
		 "defaults:\n  repetitions: 100000\n  timeout_s: 604800\n",
		 &c, "every bound at its limit")) {
		ok(c.max_runs == 1 && c.client_timeout_s == 3600 && c.max_request_bytes == 4096 &&
		       c.defaults.repetitions == 100000 && c.defaults.timeout_s == 604800,
		   "and each is taken");
		config_clear(&c);
	}
	if (good("group: root\nmax_request_bytes: 67108864\ndefaults:\n  repetitions: 1\n", &c, "the other limits")) {
		ok(c.max_request_bytes == 64 << 20 && c.defaults.repetitions == 1, "64 MiB requests, 1 repetition");
		config_clear(&c);
	}
	{
		/* len bounds the text: it need not end in a NUL */
		static const char text[] = "group: root\nmax_runs: 5\nmax_runs_is_not_here: 1\n";
		char *err;

		if (ok(config_parse("c.yaml", text, strlen("group: root\nmax_runs: 5\n"), &c, &err) == 0,
		       "only len bytes are read")) {
			is_int(c.max_runs, 5, "up to len");
			config_clear(&c);
		} else {
			free(err);
		}
	}
}

/* bad configurations, each with its exact message: { text, message, what } */
static const struct {
	const char *text, *want, *what;
} bad_configs[] = {
    {"database: relative.db\ngroup: root\n", "c.yaml:1:1: database: must be an absolute path, got 'relative.db'",
     "a relative database"},
    {"group: root\nsocket: run/sock\n", "c.yaml:2:1: socket: must be an absolute path, got 'run/sock'",
     "a relative socket"},
    {"group: root\nlock: ./lock\n", "c.yaml:2:1: lock: must be an absolute path, got './lock'", "a relative lock"},
    {"lock: l\nsocket: s\ndatabase: d\ngroup: root\n", "c.yaml:3:1: database: must be an absolute path, got 'd'",
     "three relative paths: the database is named first"},
    {"group: root\nshared_database: copy.db\n", "c.yaml:2:1: shared_database: must be an absolute path, got 'copy.db'",
     "a relative shared_database"},
    {"group: root\ndatabase: /a/b.db\nshared_database: /a/b.db\n",
     "c.yaml:3:1: shared_database: must not be the database itself, '/a/b.db'", "the database as its own copy"},
    {"group: root\nshared_interval_s: -1\n", "c.yaml:2:1: shared_interval_s: must be 0 to 86400 seconds, got -1",
     "a negative shared_interval_s"},
    {"group: root\nmax_runs: many\n", "c.yaml:2:1: max_runs: expected an integer, got 'many'", "a word for max_runs"},
    {"group: root\nmax_runs: 2.5\n", "c.yaml:2:1: max_runs: expected a whole number, got '2.5'",
     "a fraction for max_runs"},
    {"group: root\nmax_runs: 0\n", "c.yaml:2:1: max_runs: must be at least 1, got 0", "max_runs 0"},
    {"group: root\nmax_runs: -4\n", "c.yaml:2:1: max_runs: must be at least 1, got -4", "a negative max_runs"},
    {"group: root\nmax_request_bytes: 4095\n",
     "c.yaml:2:1: max_request_bytes: must be between 4096 and 67108864, got 4095", "max_request_bytes below 4096"},
    {"group: root\nmax_request_bytes: 67108865\n",
     "c.yaml:2:1: max_request_bytes: must be between 4096 and 67108864, got 67108865",
     "max_request_bytes above 64 MiB"},
    {"group: root\nclient_timeout_s: 0\n",
     "c.yaml:2:1: client_timeout_s: must be above 0 and at most 3600 seconds, got 0", "client_timeout_s 0"},
    {"group: root\nclient_timeout_s: 3600.5\n",
     "c.yaml:2:1: client_timeout_s: must be above 0 and at most 3600 seconds, got 3600.5",
     "client_timeout_s above an hour"},
    {"group: root\nclient_timeout_s: .nan\n", "c.yaml:2:1: client_timeout_s: expected a number, got .nan",
     "client_timeout_s NaN"},
    {"group: root\nresume_interrupted: maybe\n", "c.yaml:2:1: resume_interrupted: expected true or false, got 'maybe'",
     "a word that is not a boolean"},
    {"group: root\ndefaults:\n  repetitions: 0\n",
     "c.yaml:3:3: defaults.repetitions: must be between 1 and 100000, got 0", "defaults.repetitions 0"},
    {"group: root\ndefaults:\n  repetitions: 100001\n",
     "c.yaml:3:3: defaults.repetitions: must be between 1 and 100000, got 100001", "defaults.repetitions too many"},
    {"group: root\ndefaults:\n  repetitions: 1e3\n",
     "c.yaml:3:3: defaults.repetitions: expected a whole number, got '1e3'", "defaults.repetitions in exponent form"},
    {"group: root\ndefaults:\n  timeout_s: 0\n",
     "c.yaml:3:3: defaults.timeout_s: must be a number of seconds above 0 (at most a week), got 0",
     "defaults.timeout_s 0"},
    {"group: root\ndefaults:\n  timeout_s: 604801\n",
     "c.yaml:3:3: defaults.timeout_s: must be a number of seconds above 0 (at most a week), got 604801",
     "defaults.timeout_s over a week"},
    {"group: root\ndefaults:\n  timeout_s: .inf\n", "c.yaml:3:3: defaults.timeout_s: expected a number, got .inf",
     "an infinite defaults.timeout_s"},
    /* per-campaign limits */
    {"group: root\nmax_workers_per_run: 0\n",
     "c.yaml:2:1: max_workers_per_run: must be between 1 and 100000, got 0", "max_workers_per_run 0"},
    {"group: root\nmax_repetitions: 100001\n",
     "c.yaml:2:1: max_repetitions: must be between 1 and 100000, got 100001", "max_repetitions too many"},
    {"group: root\nmax_repetitions: 2\ndefaults:\n  repetitions: 3\n",
     "c.yaml:4:3: defaults.repetitions: must be at most max_repetitions (2), got 3",
     "defaults.repetitions beyond max_repetitions"},
    {"group: root\nmax_campaign_seconds: 0\n",
     "c.yaml:2:1: max_campaign_seconds: must be a number of seconds above 0 (at most a year), got 0",
     "max_campaign_seconds 0"},
    {"group: root\nmax_samples_per_run: 1000000001\n",
     "c.yaml:2:1: max_samples_per_run: must be between 1 and 1000000000, got 1000000001",
     "max_samples_per_run too many"},
    {"group: root\nmax_db_growth_bytes: 1024\n",
     "c.yaml:2:1: max_db_growth_bytes: must be between 65536 and 9223372036854775807, got 1024",
     "max_db_growth_bytes below 64 KiB"},
    {"group: root\nmax_db_growth_bytes: 1.5\n", "c.yaml:2:1: max_db_growth_bytes: expected a whole number, got '1.5'",
     "a fraction for max_db_growth_bytes"},
    {"group: root\nmax_processes_per_user: 15\n",
     "c.yaml:2:1: max_processes_per_user: must be between 16 and 4194304, got 15", "max_processes_per_user 15"},
    {"bogus: /tmp/x\n", "c.yaml:1:1: bogus: unknown key (expected one of " KEYS ")", "an unknown key"},
    {"sockets: /tmp/x\n", "c.yaml:1:1: sockets: unknown key (did you mean 'socket'?)", "a misspelt key"},
    {"group: root\ndefaults:\n  reps: 2\n",
     "c.yaml:3:3: defaults.reps: unknown key (expected one of repetitions, timeout_s)",
     "an unknown key under defaults"},
    {"group: no-such-group-here\n", "c.yaml:1:1: group: no group 'no-such-group-here' on this machine",
     "an unknown group"},
    {"group: root\ngroup: root\n", "c.yaml:2:1: group: given twice (first at 1:1)", "a key given twice"},
    {"group: root\nmax_runs: [1]\n", "c.yaml:2:1: max_runs: expected a single value, got a list",
     "a list for a number"},
    {"group: root\ndefaults: 3\n", "c.yaml:2:1: defaults: expected a mapping, got a single value",
     "a number for defaults"},
    {"- group: root\n", "c.yaml:1:1: expected a mapping, got a list", "a list for the file"},
    {"group: root\nmax_runs: [1\n",
     "c.yaml:3:1: syntax error: did not find expected ',' or ']' while parsing a flow sequence", "a syntax error"},
};

static void bad_values(void)
{
	for (size_t i = 0; i < sizeof(bad_configs) / sizeof(bad_configs[0]); i++)
		bad(bad_configs[i].text, bad_configs[i].want, bad_configs[i].what);
}

static void bad_shapes(void)
{
	{
		/* the socket's path must fit sun_path */
		char text[200];
		struct config c;
		char *err;
		int r;

		snprintf(text, sizeof(text), "group: root\nsocket: /%0107d\n", 0);
		r = parse(text, &c, &err);
		is_int(r, -EINVAL, "a socket path over 107 bytes (sun_path): refused");
		ok(r < 0 && strncmp(err, "c.yaml:2:1: socket: ", 20) == 0 && strstr(err, "107") != NULL,
		   "the message names the key and the limit");
		ok(r < 0 && strstr(err, ": socket: longer than 107 bytes") != NULL, "and reads as a sentence");
		if (r < 0)
			free(err);
		else
			config_clear(&c);
	}
	{
		static const char nul[] = "group: root\n\0max_runs: 1\n";
		struct config c;
		char *err;

		is_int(config_parse("c.yaml", nul, sizeof(nul) - 1, &c, &err), -EINVAL, "a NUL byte: refused");
		is_str(err, "c.yaml: not a text file (it contains NUL bytes)", "a NUL byte: message");
		free(err);
	}
}

static void load(void)
{
	char dir[] = "/tmp/test-config.XXXXXX", path[64];
	struct config c;
	char *err;
	FILE *f;

	is_int(config_load("/nonexistent/scalprofd.yaml", &c, &err), -ENOENT, "a missing file: -ENOENT");
	is_str(err, "cannot read the configuration '/nonexistent/scalprofd.yaml': No such file or directory",
	       "and the message names it");
	free(err);
	if (!ok(mkdtemp(dir) != NULL, "a scratch directory"))
		return;
	snprintf(path, sizeof(path), "%s/d.yaml", dir);
	f = fopen(path, "w");
	if (ok(f != NULL, "a configuration file written")) {
		fputs("group: root\nmax_runs: 3\n", f);
		fclose(f);
		if (ok(config_load(path, &c, &err) == 0, "config_load reads it")) {
			is_int(c.max_runs, 3, "with its values");
			config_clear(&c);
		} else {
			free(err);
		}
		f = fopen(path, "a");
		fputs("max_runs: 0\n", f);
		fclose(f);
		is_int(config_load(path, &c, &err), -EINVAL, "a bad file: -EINVAL");
		{
			char want[128];

			snprintf(want, sizeof(want), "%s:3:1: max_runs: given twice (first at 2:1)", path);
			is_str(err, want, "messages name the file by its path");
		}
		free(err);
		unlink(path);
	}
	rmdir(dir);
}

/* ---- clients: what one user may hold ---- */

#define CLIENT_KEYS                                                                                                   \
	"max_connections, connections_per_user, reserved_for_others, reserved_for_root, watch_idle_s, queued_per_user"

static const struct {
	const char *text, *want, *what;
} bad_clients[] = {
    {"group: root\nclients:\n  max_connections: 7\n",
     "c.yaml:3:3: clients.max_connections: must be between 8 and 1000, got 7", "max_connections below 8"},
    {"group: root\nclients:\n  max_connections: 1001\n",
     "c.yaml:3:3: clients.max_connections: must be between 8 and 1000, got 1001", "max_connections above 1000"},
    {"group: root\nclients:\n  connections_per_user: 0\n",
     "c.yaml:3:3: clients.connections_per_user: must be between 1 and 256 (max_connections), got 0",
     "connections_per_user 0"},
    {"group: root\nclients:\n  max_connections: 20\n  connections_per_user: 21\n",
     "c.yaml:4:3: clients.connections_per_user: must be between 1 and 20 (max_connections), got 21",
     "connections_per_user above max_connections"},
    {"group: root\nclients:\n  connections_per_user: many\n",
     "c.yaml:3:3: clients.connections_per_user: expected an integer, got 'many'", "a word for connections_per_user"},
    {"group: root\nclients:\n  queued_per_user: 2.5\n",
     "c.yaml:3:3: clients.queued_per_user: expected a whole number, got '2.5'", "a fraction for queued_per_user"},
    {"group: root\nclients:\n  reserved_for_others: -1\n",
     "c.yaml:3:3: clients.reserved_for_others: must be between 0 and 254, got -1", "a negative reserve"},
    {"group: root\nclients:\n  reserved_for_root: 0\n",
     "c.yaml:3:3: clients.reserved_for_root: must be between 1 and 255, got 0", "no slot for root"},
    {"group: root\nclients:\n  max_connections: 8\n  reserved_for_others: 4\n  reserved_for_root: 4\n",
     "c.yaml:4:3: clients.reserved_for_others: the reserved slots (4 for others, 4 for root) must leave at least "
     "one of the 8 (max_connections) to anyone",
     "reserves that leave nothing"},
    {"group: root\nclients:\n  max_connections: 20\n",
     "c.yaml:3:3: clients.max_connections: the reserved slots (16 for others, 4 for root) must leave at least one "
     "of the 20 (max_connections) to anyone",
     "a max_connections that the default reserves fill"},
    {"group: root\nclients:\n  queued_per_user: 0\n",
     "c.yaml:3:3: clients.queued_per_user: must be between 1 and 100000, got 0", "queued_per_user 0"},
    {"group: root\nclients:\n  watch_idle_s: 0\n",
     "c.yaml:3:3: clients.watch_idle_s: must be a number of seconds above 0 (at most a week), got 0",
     "watch_idle_s 0"},
    {"group: root\nclients:\n  watch_idle_s: 604801\n",
     "c.yaml:3:3: clients.watch_idle_s: must be a number of seconds above 0 (at most a week), got 604801",
     "watch_idle_s over a week"},
    {"group: root\nclients:\n  watch_idle: 5\n",
     "c.yaml:3:3: clients.watch_idle: unknown key (did you mean 'watch_idle_s'?)", "a misspelt key under clients"},
    {"group: root\nclients:\n  bogus: 5\n",
     "c.yaml:3:3: clients.bogus: unknown key (expected one of " CLIENT_KEYS ")", "an unknown key under clients"},
    {"group: root\nclients: 16\n", "c.yaml:2:1: clients: expected a mapping, got a single value",
     "a number for clients"},
};

static void clients(void)
{
	struct config c;

	if (good("group: root\n", &c, "clients: not given")) {
		ok(c.clients.max_connections == 256 && c.clients.connections_per_user == 16 &&
		       c.clients.reserved_for_others == 16 && c.clients.reserved_for_root == 4 &&
		       c.clients.watch_idle_s == 600 && c.clients.queued_per_user == 32,
		   "clients: defaults 256 connections, 16 per user, 16 and 4 reserved, watches idle 600 s, 32 queued");
		config_clear(&c);
	}
	if (good("group: root\nclients:\n  connections_per_user: 3\n", &c, "one key of clients:")) {
		ok(c.clients.connections_per_user == 3 && c.clients.max_connections == 256 &&
		       c.clients.queued_per_user == 32,
		   "it is taken, the others defaulted");
		config_clear(&c);
	}
	if (good("group: root\nclients:\n  max_connections: 1000\n  connections_per_user: 1000\n"
		 "  reserved_for_others: 0\n  reserved_for_root: 999\n  watch_idle_s: 0.5\n  queued_per_user: 100000\n",
		 &c, "every key of clients:, at its bounds")) {
		ok(c.clients.max_connections == 1000 && c.clients.connections_per_user == 1000 &&
		       c.clients.reserved_for_others == 0 && c.clients.reserved_for_root == 999 &&
		       c.clients.watch_idle_s == 0.5 && c.clients.queued_per_user == 100000,
		   "and each is taken (watch_idle_s a fraction)");
		config_clear(&c);
	}
	if (good("group: root\nclients:\n  max_connections: 8\n  reserved_for_others: 0\n  reserved_for_root: 7\n"
		 "  connections_per_user: 8\n",
		 &c, "the smallest max_connections, one slot left to anyone")) {
		ok(c.clients.max_connections == 8 && c.clients.reserved_for_root == 7, "taken");
		config_clear(&c);
	}
	for (size_t i = 0; i < sizeof(bad_clients) / sizeof(bad_clients[0]); i++)
		bad(bad_clients[i].text, bad_clients[i].want, bad_clients[i].what);
}

int main(void)
{
	defaults();
	each_key();
	bad_values();
	bad_shapes();
	load();
	clients();
	return done_testing();
}
