/* report.c: scalprof report (a stored campaign's table, metrics and
 * verdicts) and timeline (one run's counters at every tick), both reading
 * the database read-only. See commands.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/report.h"
#include "base/log.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "store/reports.h"
#include "store/store.h"

const char usage_report[] =
	"usage: scalprof report [CAMPAIGN] [--db PATH] [--format text|csv|json|markdown] [--plot FILE]\n"
	"                       [--runs] [--verbose]\n"
	"\n"
	"Prints a stored campaign in one screen: which campaign, machine, scale and host\n"
	"noise; a line per workload with its verdict; the result table (the columns with\n"
	"data on this host); each verdict with its speedup stack: the core-seconds lost\n"
	"against perfect scaling, split by cause.\n"
	"CAMPAIGN is a campaign id or name (the latest of that name); default: the latest.\n"
	"  -d, --db PATH        database file (default ./" DEFAULT_DB ")\n"
	"  -c, --campaign ID    the same as the CAMPAIGN operand\n"
	"  -f, --format FORMAT  text (default), csv (one row per workload and N), json, or\n"
	"                       markdown (the text's screen, for pasting into an issue)\n"
	"      --plot FILE      also draw speedup and bandwidth against N into FILE\n"
	"                       (.svg or .png, through gnuplot)\n"
	"  -r, --runs           list every run with its evidence instead (text, csv, json)\n"
	"  -v, --verbose        every figure: all the table's columns, the metrics the\n"
	"                       verdicts weigh, every figure for and against every\n"
	"                       hypothesis (text)\n"
	"exit status: 0, 1 the database could not be read or the plot not drawn,\n"
	"2 bad usage, no such campaign or database\n";

const char usage_timeline[] =
	"usage: scalprof timeline RUN_ID [--db PATH] [--event E] [--format text|csv] [--raw]\n"
	"\n"
	"Prints the timeline of one run (RUN_ID: runs.id), one row per tick of the\n"
	"campaign's interval_ms: the CPUs its workers kept busy (task-clock), the CPUs'\n"
	"worth of its tasks waiting in a run queue, and every other event per second,\n"
	"each summed over the workers.\n"
	"  -d, --db PATH        database file (default ./" DEFAULT_DB ")\n"
	"  -e, --event E        only this event (one the run has: an error otherwise)\n"
	"  -f, --format FORMAT  text (default) or csv\n"
	"  -r, --raw            every sample as stored: a row per worker, event and tick,\n"
	"                       with its delta since the previous tick (run-queue-wait in ns)\n"
	"  -h, --help           this text\n"
	"RUN_ID is runs.id, shown by scalprof report --runs.\n"
	"exit status: 0, 1 the database could not be read, 2 no such run, event or database\n";

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "campaign", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "plot", required_argument, NULL, 'P' },
		{ "runs", no_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct cli_opts o = { .db = DEFAULT_DB };
	enum report_format fmt;
	const char *which;
	struct store *db;
	int64_t id;
	int r, ex, i = cli_parse_opts(argc, argv, usage_report, "d:c:f:rvh", longopts, &o, &ex);

	if (i < 0)
		return ex;
	if (argc - i > 1 || (argc - i == 1 && o.campaign)) {
		log_error("report: expected at most one campaign, got '%s'", argv[argc - 1]);
		return EXIT_BADINPUT;
	}
	which = i < argc ? argv[i] : o.campaign;
	/* markdown is the report's own: the other commands have no use for it */
	if (o.format && strcmp(o.format, "markdown") == 0) {
		fmt = REPORT_MARKDOWN;
	} else if (o.format && strcmp(o.format, "text") != 0 && strcmp(o.format, "csv") != 0 &&
		   strcmp(o.format, "json") != 0) {
		log_error("report: --format: expected text, csv, json or markdown, got '%s'", o.format);
		return EXIT_BADINPUT;
	} else if (cli_parse_format("report", o.format, 1, &fmt) < 0) {
		return EXIT_BADINPUT;
	}
	if (o.runs && fmt == REPORT_MARKDOWN) {
		log_error("report: --runs: --format markdown is not offered (text, csv or json)");
		return EXIT_BADINPUT;
	}
	if (which && !*which) {
		log_error("report: the campaign is empty: give an id or a name");
		return EXIT_BADINPUT;
	}
	if (o.plot) {
		const char *ext = strrchr(o.plot, '.');

		if (!ext || (strcmp(ext, ".svg") != 0 && strcmp(ext, ".png") != 0)) {
			log_error("report: --plot: '%s': the file name must end in .svg or .png", o.plot);
			return EXIT_BADINPUT;
		}
	}
	db = cli_open_readonly("report", o.db);
	if (!db)
		return EXIT_BADINPUT;
	r = which ? store_find_campaign(db, which, &id) : store_latest_campaign(db, &id);
	if (r == 0 && o.runs)
		r = report_runs(db, id, fmt, stdout);
	else if (r == 0)
		r = report_campaign(db, id, fmt, o.verbose, stdout);
	if (r == -ENOENT) {
		if (which)
			log_error("report: no campaign '%s' in '%s' (ids and names: sqlite3 %s 'select id, name from "
				  "campaigns')", which, o.db, o.db);
		else
			log_error("report: no campaign in '%s' yet", o.db);
		ex = EXIT_BADINPUT;
	} else if (r < 0) {
		log_error("report: database '%s': %s", o.db, store_errmsg(db));
		ex = EXIT_RUNTIME;
	} else {
		ex = 0;
	}
	if (ex == 0 && o.plot) {
		char *err = NULL;

		if (report_plot(db, id, o.plot, &err) < 0) {
			log_error("report: --plot: %s", err);
			free(err);
			ex = EXIT_RUNTIME;
		}
	}
	store_close(db);
	return ex;
}

int cmd_timeline(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "event", required_argument, NULL, 'e' },
		{ "format", required_argument, NULL, 'f' },
		/* the flag of report's --runs: a timeline has no runs to list */
		{ "raw", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct cli_opts o = { .db = DEFAULT_DB };
	enum report_format fmt;
	struct store *db;
	char *end, *err = NULL;
	long long id;
	int r, ex, i = cli_parse_opts(argc, argv, usage_timeline, "d:e:f:rh", longopts, &o, &ex);

	if (i < 0)
		return ex;
	if (argc - i != 1) {
		log_error("timeline: expected one run id");
		fputs(usage_timeline, stderr);
		return EXIT_BADINPUT;
	}
	id = strtoll(argv[i], &end, 10);
	if (!*argv[i] || *end || id <= 0) {
		log_error("timeline: expected a run id (runs.id), got '%s'", argv[i]);
		return EXIT_BADINPUT;
	}
	if (cli_parse_format("timeline", o.format, 0, &fmt) < 0)
		return EXIT_BADINPUT;
	db = cli_open_readonly("timeline", o.db);
	if (!db)
		return EXIT_BADINPUT;
	r = report_timeline(db, id, o.event, fmt, o.runs, stdout, &err);
	if (r == -ENOENT)
		log_error("timeline: no run %lld in '%s'", id, o.db);
	else if (r == -EINVAL)
		log_error("timeline: --event: %s", err);
	else if (r < 0)
		log_error("timeline: database '%s': %s", o.db, store_errmsg(db));
	free(err);
	store_close(db);
	return r == 0 ? 0 : r == -ENOENT || r == -EINVAL ? EXIT_BADINPUT : EXIT_RUNTIME;
}
