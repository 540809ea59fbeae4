/* compare.c: scalprof compare (two campaigns side by side, from one
 * database or two) and campaigns (the campaigns of a database). Both read
 * the databases read-only. See commands.h. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/compare.h"
#include "base/log.h"
#include "base/util.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "store/compare.h"
#include "store/store.h"
#include "store/verdicts.h"

const char usage_compare[] =
	"usage: scalprof compare A B [--db PATH] [--db2 PATH] [--format text|csv|json|markdown]\n"
	"\n"
	"Sets two stored campaigns side by side, matched by workload and worker count N:\n"
	"each one's mean wall time, speedup and efficiency with their intervals, and the\n"
	"ratio of the wall times with its error (\"B is 1.28 ± 0.01 times faster than A\");\n"
	"then the workloads only one of them has, and the facts of the machine and the\n"
	"conditions that differ (cores, LLC, bandwidth ceilings, kernel, python3, ...).\n"
	"A and B are campaign ids or names (a name: its latest campaign), or DB:CAMPAIGN\n"
	"for a campaign of another database.\n"
	"  -d, --db PATH        A's database, and B's without --db2 (default ./" DEFAULT_DB ")\n"
	"      --db2 PATH       B's database\n"
	"  -f, --format FORMAT  text (default), csv (one row per match), json or markdown\n"
	"  -h, --help           this text\n"
	"exit status: 0, 1 a database could not be read, 2 bad usage, no such campaign\n"
	"or database\n";

const char usage_campaigns[] =
	"usage: scalprof campaigns [--db PATH] [--format text|csv|json]\n"
	"\n"
	"Lists the campaigns of a database: id, name, status, when it started, how many\n"
	"runs it stored and its workloads. (scalprof list is scalprofd's queue.)\n"
	"  -d, --db PATH        database file (default ./" DEFAULT_DB ")\n"
	"  -f, --format FORMAT  text (default), csv or json\n"
	"  -h, --help           this text\n"
	"exit status: 0, 1 the database could not be read, 2 bad usage or no database\n";

/* ---- compare ---- */

/* One side: its database, its campaign, what was read of it. */
struct side {
	const char *db, *campaign;
	char *db_buf;
	struct store *st;
	int64_t id;
	struct campaign_facts facts;
	struct vinput *in;
	size_t nin;
};

/* DB:CAMPAIGN when the part before the last ':' is a file, or looks like
 * a database's path (a '/' or ".db" in it: then it is refused for not
 * being there); otherwise the whole operand is a campaign of def_db (a
 * name may hold a ':'). Returns 0, or EXIT_BADINPUT after logging why. */
static int side_operand(struct side *s, const char *arg, const char *def_db)
{
	const char *colon = strrchr(arg, ':');

	s->db = def_db;
	s->campaign = arg;
	if (colon && colon > arg) {
		char *db = xasprintf("%.*s", (int)(colon - arg), arg);

		if (access(db, F_OK) == 0) {
			s->db = s->db_buf = db;
			s->campaign = colon + 1;
		} else if (strchr(db, '/') || strstr(db, ".db")) {
			log_error("compare: no database at '%s' (in '%s': DB:CAMPAIGN)", db, arg);
			free(db);
			return EXIT_BADINPUT;
		} else {
			free(db);
		}
	}
	return 0;
}

static void side_free(struct side *s)
{
	vinputs_free(s->in, s->nin);
	campaign_facts_clear(&s->facts);
	store_close(s->st);
	free(s->db_buf);
}

/* Opens the side's database and reads its campaign. Returns 0, or the
 * exit status after logging why. */
static int side_load(struct side *s, char which)
{
	int r;

	if (!*s->campaign) {
		log_error("compare: campaign %c is empty: give an id or a name", which);
		return EXIT_BADINPUT;
	}
	s->st = cli_open_readonly("compare", s->db);
	if (!s->st)
		return EXIT_BADINPUT;
	r = store_find_campaign(s->st, s->campaign, &s->id);
	if (r == -ENOENT) {
		const char *colon = strrchr(s->campaign, ':');

		log_error("compare: no campaign '%s' in '%s' (scalprof campaigns --db %s lists them)%s%.*s%s",
			  s->campaign, s->db, s->db, colon ? "; nor a database '" : "",
			  colon ? (int)(colon - s->campaign) : 0, s->campaign, colon ? "' for DB:CAMPAIGN" : "");
		return EXIT_BADINPUT;
	}
	if (r == 0)
		r = store_campaign_facts(s->st, s->id, &s->facts);
	if (r == 0)
		r = store_verdict_inputs(s->st, s->id, &s->in, &s->nin);
	if (r < 0) {
		log_error("compare: database '%s': %s", s->db, store_errmsg(s->st));
		return EXIT_RUNTIME;
	}
	return 0;
}

static int parse_compare_format(const char *text, enum compare_format *ret)
{
	static const char *const names[] = { "text", "csv", "json", "markdown" };

	for (size_t k = 0; k < ARRAY_SIZE(names); k++)
		if (strcmp(text ? text : "text", names[k]) == 0) {
			*ret = (enum compare_format)k;
			return 0;
		}
	log_error("compare: --format: expected text, csv, json or markdown, got '%s'", text);
	return -EINVAL;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "db2", required_argument, NULL, '2' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct cli_opts o = { .db = DEFAULT_DB };
	struct side a = { 0 }, b = { 0 };
	enum compare_format fmt;
	int ex, i = cli_parse_opts(argc, argv, usage_compare, "d:f:h", longopts, &o, &ex);

	if (i < 0)
		return ex;
	if (argc - i != 2) {
		log_error("compare: expected two campaigns, A and B, got %d", argc - i);
		fputs(usage_compare, stderr);
		return EXIT_BADINPUT;
	}
	if (parse_compare_format(o.format, &fmt) < 0)
		return EXIT_BADINPUT;
	ex = side_operand(&a, argv[i], o.db);
	if (ex == 0)
		ex = side_operand(&b, argv[i + 1], o.db2 ? o.db2 : o.db);
	if (ex == 0)
		ex = side_load(&a, 'A');
	if (ex == 0)
		ex = side_load(&b, 'B');
	if (ex == 0) {
		struct compare_side ca = { .db = a.db, .id = a.id, .facts = &a.facts, .in = a.in, .nin = a.nin };
		struct compare_side cb = { .db = b.db, .id = b.id, .facts = &b.facts, .in = b.in, .nin = b.nin };

		compare_print(&ca, &cb, fmt, stdout);
	}
	side_free(&a);
	side_free(&b);
	return ex;
}

/* ---- campaigns ---- */

static void campaigns_csv(const struct campaign_info *c, size_t n, FILE *out)
{
	fputs("id,name,status,started_at,runs,workloads\n", out);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%lld,", (long long)c[i].id);
		csv_field(out, c[i].name);
		fputc(',', out);
		csv_field(out, c[i].status);
		fputc(',', out);
		csv_field(out, c[i].started_at);
		fprintf(out, ",%d,", c[i].runs);
		csv_field(out, c[i].workloads);
		fputc('\n', out);
	}
}

static json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static void campaigns_json(const struct campaign_info *c, size_t n, FILE *out)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_new_object(), *w = json_object_new_array();
		char *list = c[i].workloads ? xstrdup(c[i].workloads) : NULL, *save = NULL;

		for (char *t = list ? strtok_r(list, ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save))
			json_object_array_add(w, json_object_new_string(t));
		free(list);
		json_object_object_add(o, "id", json_object_new_int64(c[i].id));
		json_object_object_add(o, "name", jstr(c[i].name));
		json_object_object_add(o, "status", jstr(c[i].status));
		json_object_object_add(o, "started_at", jstr(c[i].started_at));
		json_object_object_add(o, "runs", json_object_new_int(c[i].runs));
		json_object_object_add(o, "workloads", w);
		json_object_array_add(arr, o);
	}
	fputs(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE), out);
	fputc('\n', out);
	json_object_put(arr);
}

static void campaigns_text(const struct campaign_info *c, size_t n, const char *db, FILE *out)
{
	int wname = 4;

	if (!n) {
		fprintf(out, "no campaign in '%s' yet\n", db);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (c[i].name && (int)strlen(c[i].name) > wname)
			wname = (int)strlen(c[i].name);
	fprintf(out, "%4s  %-*s  %-11s  %-24s  %5s  %s\n", "id", wname, "name", "status", "started", "runs",
		"workloads");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%4lld  %-*s  %-11s  %-24s  %5d  %s\n", (long long)c[i].id, wname,
			c[i].name ? c[i].name : "", c[i].status ? c[i].status : "",
			c[i].started_at ? c[i].started_at : "", c[i].runs, c[i].workloads ? c[i].workloads : "-");
}

int cmd_campaigns(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct cli_opts o = { .db = DEFAULT_DB };
	struct campaign_info *c = NULL;
	enum report_format fmt;
	struct store *db;
	size_t n = 0;
	int r, ex, i = cli_parse_opts(argc, argv, usage_campaigns, "d:f:h", longopts, &o, &ex);

	if (i < 0)
		return ex;
	if (i != argc) {
		log_error("campaigns: unexpected argument '%s' (the database is --db PATH)", argv[i]);
		return EXIT_BADINPUT;
	}
	if (cli_parse_format("campaigns", o.format, 1, &fmt) < 0)
		return EXIT_BADINPUT;
	db = cli_open_readonly("campaigns", o.db);
	if (!db)
		return EXIT_BADINPUT;
	r = store_campaign_list(db, &c, &n);
	if (r < 0) {
		log_error("campaigns: database '%s': %s", o.db, store_errmsg(db));
		store_close(db);
		return EXIT_RUNTIME;
	}
	if (fmt == REPORT_CSV)
		campaigns_csv(c, n, stdout);
	else if (fmt == REPORT_JSON)
		campaigns_json(c, n, stdout);
	else
		campaigns_text(c, n, o.db, stdout);
	campaign_infos_free(c, n);
	store_close(db);
	return 0;
}
