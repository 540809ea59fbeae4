/* scalprof.c: the command-line program: `scalprof run` (the foreground
 * runner), `check`, `topology`, `events` and `report`. Options, messages and
 * exit codes live here; the work is the engine's.
 *
 * Exit codes: 0 done; 1 a run-time failure (a run failed, the database
 * could not be written); 2 bad input (usage, campaign, database path);
 * 130 interrupted by SIGINT or SIGTERM. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "model/campaign.h"
#include "engine/ceiling.h"
#include "host/events.h"
#include "host/hostinfo.h"
#include "host/mcpmu.h"
#include "base/log.h"
#include "host/perf.h"
#include "model/plan.h"
#include "cli/clientcmd.h"
#include "engine/lock.h"
#include "analysis/report.h"
#include "engine/runner.h"
#include "store/store.h"
#include "host/topology.h"
#include "base/util.h"
#include "base/version.h"

#define EXIT_RUNTIME 1
#define EXIT_BADINPUT 2
#define EXIT_INTERRUPTED 130
#define DEFAULT_DB "scalprof.db"

static const char usage_main[] =
	"usage: scalprof COMMAND [OPTIONS]\n"
	"\n"
	"Runs workloads on 1..N physical cores, counts what the hardware and the kernel\n"
	"saw, stores every run in SQLite and shows how the work scales.\n"
	"\n"
	"commands:\n"
	"  run FILE.yaml [--db PATH] [--scale F] [--no-probe]\n"
	"                                run a campaign in the foreground\n"
	"  check FILE.yaml [--scale F]   validate a campaign; nothing runs or is written\n"
	"  topology [--placement P]      sockets, L3 domains, cores, and each worker slot's CPU\n"
	"  events [EVENT...]             presets and events, and whether each opens here\n"
	"  probe [--db PATH]             measure this machine's memory-bandwidth ceiling and\n"
	"                                usable last-level cache, and store them\n"
	"  report [CAMPAIGN] [--db PATH] [--format text|csv|json] [--plot FILE] [--runs]\n"
	"                                a stored campaign's table, metrics and verdicts\n"
	"  timeline RUN_ID [--db PATH] [--event E] [--format text|csv]\n"
	"                                one run's counters at every sampling tick\n"
	"  submit FILE.yaml [--scale F] [--watch]\n"
	"                                queue a campaign on scalprofd (runs as you)\n"
	"  list                          scalprofd's queue\n"
	"  status [ID]                   a queued campaign's state, or scalprofd's\n"
	"  watch ID                      follow a queued campaign to its result table\n"
	"  cancel ID                     cancel a queued or running campaign of yours\n"
	"  help [COMMAND]                this text, or a command's\n"
	"\n"
	"options: -h, --help (also after a command); -V, --version\n"
	"exit status: 0 done, 1 run-time failure, 2 bad input, 130 interrupted\n"
	"see scalprof(1), scalprof.yaml(5)\n";

static const char usage_run[] =
	"usage: scalprof run FILE.yaml [--db PATH] [--scale F] [--no-probe] [--quiet]\n"
	"\n"
	"Runs every run of the campaign in the foreground, stores each in the database\n"
	"(default ./" DEFAULT_DB ") and prints the result table.\n"
	"  -d, --db PATH   database file (created if missing)\n"
	"  -s, --scale F   multiply every workload's work by F (overrides the campaign's scale)\n"
	"  -n, --no-probe  do not measure this machine's ceiling first when the\n"
	"                  database has none (see scalprof probe)\n"
	"  -q, --quiet     no progress lines\n"
	"  -h, --help      this text\n"
	"exit status: 0 every run ok, 1 a run failed or the database failed,\n"
	"2 bad campaign or database path, 130 interrupted (finished runs are kept)\n";

static const char usage_check[] =
	"usage: scalprof check FILE.yaml [--scale F]\n"
	"\n"
	"Validates the campaign against this machine exactly as `run` would, prints\n"
	"the number of runs it plans, and writes nothing.\n"
	"  -s, --scale F   check with this scale instead of the campaign's\n"
	"exit status: 0 valid, 2 invalid (the message says FILE:LINE:COL: FIELD: what)\n";

static const char usage_topology[] =
	"usage: scalprof topology [--placement compact|spread]\n"
	"\n"
	"Shows sockets, L3 domains, physical cores with their hardware threads, and\n"
	"the CPU each worker slot 1..N gets (both placements unless one is given).\n"
	"SCALPROF_TOPOLOGY=synthetic:DESC or =FILE.xml shows another machine's shape.\n";

static const char usage_events[] =
	"usage: scalprof events [EVENT...]\n"
	"\n"
	"Lists the presets and their events, and for each event whether it can be\n"
	"counted on this host, and if not, why. Names given are checked the same way.\n"
	"exit status: 0, or 2 when a given name is unknown\n";

static const char usage_probe[] =
	"usage: scalprof probe [--db PATH] [--scale F] [--quiet]\n"
	"\n"
	"Measures this machine's memory-bandwidth ceiling (STREAM copy and triad on\n"
	"1..all pinned physical cores, arrays 4x the L3, best of 3) and its usable\n"
	"last-level cache (a pointer-chase latency sweep), prints both and stores them\n"
	"for the machine in the database (default ./" DEFAULT_DB "), replacing earlier ones.\n"
	"`scalprof run` does this once per machine when the database has none.\n"
	"  -d, --db PATH   database file\n"
	"  -s, --scale F   shorten the measurement (fewer passes); 1 by default\n"
	"  -q, --quiet     no progress lines\n";

static const char usage_timeline[] =
	"usage: scalprof timeline RUN_ID [--db PATH] [--event E] [--format text|csv]\n"
	"\n"
	"Prints the timeline of one run (RUN_ID: runs.id): each worker's counters read\n"
	"at every tick of the campaign's interval_ms, as deltas since the previous tick.\n"
	"  -d, --db PATH        database file (default ./" DEFAULT_DB ")\n"
	"  -e, --event E        only this event\n"
	"  -f, --format FORMAT  text (default) or csv\n"
	"  -h, --help           this text\n"
	"RUN_ID is runs.id, shown by scalprof report --runs.\n"
	"exit status: 0, 1 the database could not be read, 2 no such run or database\n";

static const char usage_report[] =
	"usage: scalprof report [CAMPAIGN] [--db PATH] [--format text|csv|json] [--plot FILE] [--runs]\n"
	"\n"
	"Prints a stored campaign's result table, the metrics its verdicts weigh, and\n"
	"each workload's verdict with the evidence for and against every hypothesis.\n"
	"CAMPAIGN is a campaign id or name (the latest of that name); default: the latest.\n"
	"  -d, --db PATH        database file (default ./" DEFAULT_DB ")\n"
	"  -c, --campaign ID    the same as the CAMPAIGN operand\n"
	"  -f, --format FORMAT  text (default), csv (one row per workload and N) or json\n"
	"      --plot FILE      also draw speedup and bandwidth against N into FILE\n"
	"                       (.svg or .png, through gnuplot)\n"
	"  -r, --runs           list every run with its evidence instead (text only)\n"
	"exit status: 0, 1 the database could not be read or the plot not drawn,\n"
	"2 bad usage, no such campaign or database\n";

/* Parses a subcommand's options; returns the index of the first operand, or
 * -1 after printing help (ret_exit = 0) or a usage error (ret_exit = 2). */
struct opt_out {
	const char *db, *placement, *format, *campaign, *scale, *event, *plot;
	int quiet, no_probe, runs;
};

static int parse_opts(int argc, char **argv, const char *usage, const char *shortopts,
		      const struct option *longopts, struct opt_out *o, int *ret_exit)
{
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(usage, stdout);
			*ret_exit = 0;
			return -1;
		case 'd': o->db = optarg; break;
		case 'p': o->placement = optarg; break;
		case 'f': o->format = optarg; break;
		case 'c': o->campaign = optarg; break;
		case 'q': o->quiet = 1; break;
		case 's': o->scale = optarg; break;
		case 'n': o->no_probe = 1; break;
		case 'r': o->runs = 1; break;
		case 'e': o->event = optarg; break;
		case 'P': o->plot = optarg; break;
		default:
			if (optopt)
				log_error("%s: option '-%c' %s", argv[0], optopt,
					  strchr(shortopts, optopt) ? "needs a value" : "is unknown");
			else
				log_error("%s: option '%s' is unknown or needs a value", argv[0], argv[optind - 1]);
			fputs(usage, stderr);
			*ret_exit = EXIT_BADINPUT;
			return -1;
		}
	}
	return optind;
}

static const struct option help_only[] = { { "help", no_argument, NULL, 'h' }, { 0 } };

static int load_topology(struct topology **ret)
{
	int r = topology_new(ret);

	if (r < 0)
		log_error("cannot read the machine's topology%s%s: %s",
			  getenv("SCALPROF_TOPOLOGY") ? " from SCALPROF_TOPOLOGY=" : "",
			  getenv("SCALPROF_TOPOLOGY") ? getenv("SCALPROF_TOPOLOGY") : "", strerror(-r));
	return r;
}

/* Loads and validates a campaign file; logs the one message on failure. */
static int load_campaign(const char *path, const struct topology *topo, struct campaign **ret)
{
	char *err = NULL;
	int r = campaign_load(path, topo, ret, &err);

	if (r < 0) {
		log_error("%s", err);
		free(err);
	}
	return r;
}

/* --scale's value (NULL: 1). Returns 0, or logs and returns -EINVAL. */
static int parse_scale(const char *cmd, const char *text, double *ret)
{
	char *end;
	double v;

	*ret = 1;
	if (!text)
		return 0;
	v = strtod(text, &end);
	if (!*text || *end || !(v > 0) || v > CAMPAIGN_MAX_SCALE) {
		log_error("%s: --scale: expected a number above 0 and at most %g, got '%s'", cmd, CAMPAIGN_MAX_SCALE,
			  text);
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

/* --format's value (NULL: text); json only where allow_json. Returns 0, or
 * logs and returns -EINVAL. */
static int parse_format(const char *cmd, const char *text, int allow_json, enum report_format *ret)
{
	*ret = REPORT_TEXT;
	if (!text || strcmp(text, "text") == 0)
		return 0;
	if (strcmp(text, "csv") == 0) {
		*ret = REPORT_CSV;
		return 0;
	}
	if (allow_json && strcmp(text, "json") == 0) {
		*ret = REPORT_JSON;
		return 0;
	}
	log_error("%s: --format: expected text%s csv%s, got '%s'", cmd, allow_json ? "," : " or",
		  allow_json ? " or json" : "", text);
	return -EINVAL;
}

/* The one campaign file operand of run and check, loaded against this
 * machine's topology. Returns 0 with both set, or the exit status after
 * logging why. */
static int campaign_operand(int argc, char **argv, int i, const char *usage, const char *scale,
			    struct topology **ret_topo, struct campaign **ret_c)
{
	if (argc - i != 1) {
		log_error("%s: expected one campaign file", argv[0]);
		fputs(usage, stderr);
		return EXIT_BADINPUT;
	}
	if (load_topology(ret_topo) < 0)
		return EXIT_RUNTIME;
	if (load_campaign(argv[i], *ret_topo, ret_c) < 0) {
		topology_free(*ret_topo);
		*ret_topo = NULL;
		return EXIT_BADINPUT;
	}
	if (scale) {
		double v;

		if (parse_scale(argv[0], scale, &v) < 0) {
			campaign_free(*ret_c);
			topology_free(*ret_topo);
			*ret_c = NULL;
			*ret_topo = NULL;
			return EXIT_BADINPUT;
		}
		campaign_set_scale(*ret_c, v);
	}
	return 0;
}

/* ---- check ---- */

static int cmd_check(int argc, char **argv)
{
	struct opt_out o = { 0 };
	struct topology *topo = NULL;
	struct campaign *c = NULL;
	struct plan plan;
	static const struct option longopts[] = {
		{ "scale", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int ex, i = parse_opts(argc, argv, usage_check, "s:h", longopts, &o, &ex);

	if (i < 0)
		return ex;
	ex = campaign_operand(argc, argv, i, usage_check, o.scale, &topo, &c);
	if (ex)
		return ex;
	plan_build(c, topology_cores(topo), &plan);
	{
		size_t ordinary = c->nworkloads * c->nworkers * (size_t)c->repetitions;

		printf("%s: campaign '%s' is valid: %zu workload%s x %zu worker count%s x %d repetition%s = %zu runs",
		       argv[i], c->name, c->nworkloads, c->nworkloads == 1 ? "" : "s", c->nworkers,
		       c->nworkers == 1 ? "" : "s", c->repetitions, c->repetitions == 1 ? "" : "s", ordinary);
		if (plan.nruns > ordinary)
			printf(" + %zu interference runs", plan.nruns - ordinary);
		printf(", %zu event%s, scale %g\n", c->nevents, c->nevents == 1 ? "" : "s", c->scale);
	}
	plan_clear(&plan);
	campaign_free(c);
	topology_free(topo);
	return 0;
}

/* ---- run ---- */

struct progress_state {
	int tty;
};

static void progress(void *arg, const struct runner_progress *p)
{
	struct progress_state *ps = arg;
	char el[16], eta[16];

	format_duration(p->elapsed_s, el, sizeof(el));
	if (p->eta_s >= 0)
		format_duration(p->eta_s, eta, sizeof(eta));
	else
		snprintf(eta, sizeof(eta), "?");
	if (ps->tty) {
		printf("\r\033[K[run %zu/%zu] %s, %d worker%s%s%s, rep %d/%d  elapsed %s  ETA %s", p->index, p->total,
		       p->workload->name, p->run->n_workers, p->run->n_workers == 1 ? "" : "s",
		       p->run->corunner ? " beside " : "", p->run->corunner ? corunner_name(p->run->corunner) : "",
		       p->run->repetition, p->repetitions, el, eta);
		if (p->phase == PROGRESS_DONE && p->result->status != RUN_OK)
			printf("\r\033[Krun %zu/%zu: %s, %d workers, rep %d: %s: %s\n", p->index, p->total,
			       p->workload->name, p->run->n_workers, p->run->repetition,
			       run_status_name(p->result->status), p->result->error ? p->result->error : "");
		fflush(stdout);
		return;
	}
	if (p->phase != PROGRESS_DONE)
		return;
	printf("run %zu/%zu: %s, %d worker%s%s%s, rep %d/%d: %s", p->index, p->total, p->workload->name,
	       p->run->n_workers, p->run->n_workers == 1 ? "" : "s", p->run->corunner ? " beside " : "",
	       p->run->corunner ? corunner_name(p->run->corunner) : "", p->run->repetition, p->repetitions,
	       run_status_name(p->result->status));
	if (p->result->wall_ns >= 0)
		printf(", %.3f s", (double)p->result->wall_ns / 1e9);
	if (p->result->error)
		printf(" (%s)", p->result->error);
	printf(", elapsed %s, ETA %s\n", el, eta);
	fflush(stdout);
}

/* Blocks SIGINT and SIGTERM and returns a signalfd for them. */
static int measure_ceiling(const struct topology *topo, struct store *st, int64_t machine_id, double scale,
			   int sigfd, int quiet);

/* The experiment lock for a foreground command (see lock.h). Returns its
 * descriptor; -EBUSY after saying who holds it; or another -errno after a
 * warning: without the lock file (no /run/lock), scalprof runs unguarded
 * rather than not at all. */
static int take_experiment_lock(const char *what)
{
	char *user = user_name(getuid());
	char *who = xasprintf("scalprof (pid %d, user %s): %s", (int)getpid(), user, what);
	char *holder = NULL;
	int fd = lock_take(lock_default_path(), who, &holder);

	if (fd == -EBUSY)
		log_error("another experiment is running on this machine: %s. Measuring beside it would spoil both: "
			  "wait until it ends (scalprof list shows the daemon's queue)", holder);
	else if (fd < 0)
		log_warnx("%s: running without the experiment lock", holder);
	free(holder);
	free(who);
	free(user);
	return fd;
}

static int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "scale", required_argument, NULL, 's' },
		{ "no-probe", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct opt_out o = { .db = DEFAULT_DB };
	struct topology *topo = NULL;
	struct campaign *c = NULL;
	struct store *st = NULL;
	struct machine_info mi;
	struct conditions cond;
	struct plan plan = { 0 };
	struct runner_summary sum;
	struct progress_state ps = { 0 };
	int64_t machine_id, campaign_id;
	char *err = NULL;
	int ex, r, sigfd = -1, lockfd = -1, i = parse_opts(argc, argv, usage_run, "d:qs:nh", longopts, &o, &ex);

	if (i < 0)
		return ex;
	ex = campaign_operand(argc, argv, i, usage_run, o.scale, &topo, &c);
	if (ex)
		return ex;
	{
		char *what = xasprintf("campaign '%s' from %s", c->name, c->source);

		lockfd = take_experiment_lock(what);
		free(what);
	}
	if (lockfd == -EBUSY) {
		campaign_free(c);
		topology_free(topo);
		return EXIT_RUNTIME;
	}
	r = store_open(o.db, &st, &err);
	if (r < 0) {
		log_error("%s", err);
		free(err);
		campaign_free(c);
		topology_free(topo);
		if (lockfd >= 0)
			close(lockfd);
		return EXIT_BADINPUT;
	}
	sigfd = signals_fd();
	machine_info_read(topo, &mi);
	conditions_read(campaign_uses_python(c), &cond);
	ex = 0;
	{
		char *user = user_name(getuid());

		r = store_machine(st, &mi, &machine_id);
		if (r == 0)
			r = store_campaign_begin(st, machine_id, c, &cond, &campaign_id);
		if (r == 0)
			r = store_campaign_submitter(st, campaign_id, user, getuid());
		free(user);
	}
	if (r < 0) {
		log_error("database '%s': %s", o.db, store_errmsg(st));
		ex = EXIT_RUNTIME;
		goto out;
	}
	if (!o.no_probe && !ceiling_known(st, machine_id)) {
		r = measure_ceiling(topo, st, machine_id, 1.0, sigfd, o.quiet);
		if (r < 0) {
			store_campaign_end(st, campaign_id, r == -EINTR ? "interrupted" : "failed",
					   "measuring the machine's ceiling failed");
			ex = r == -EINTR ? EXIT_INTERRUPTED : EXIT_RUNTIME;
			goto out;
		}
	}
	plan_build(c, topology_cores(topo), &plan);
	ps.tty = isatty(STDOUT_FILENO);
	if (!o.quiet)
		printf("campaign '%s' (id %lld): %zu runs into %s\n", c->name, (long long)campaign_id, plan.nruns,
		       o.db);
	{
		struct runner_opts ro = {
			.campaign = c, .topo = topo, .store = st, .campaign_id = campaign_id, .sigfd = sigfd,
			.progress = o.quiet ? NULL : progress, .progress_arg = &ps,
			/* the cache co-runner keeps half the measured usable cache hot */
			.cache_hog_bytes = store_usable_llc(st, machine_id) / 2,
		};
		r = runner_run_campaign(&ro, &plan, &sum, &err);
	}
	if (ps.tty && !o.quiet)
		printf("\r\033[K");
	if (r == -EINTR) {
		store_campaign_end(st, campaign_id, "interrupted", "interrupted by a signal");
		log_error("interrupted: %zu of %zu runs stored; the campaign is marked interrupted", sum.runs_done,
			  plan.nruns);
		ex = EXIT_INTERRUPTED;
	} else if (r < 0) {
		log_error("%s", err);
		if (store_campaign_end(st, campaign_id, "failed", err) < 0)
			log_error("database '%s': %s", o.db, store_errmsg(st));
		ex = EXIT_RUNTIME;
	} else {
		if (store_campaign_end(st, campaign_id, "done", NULL) < 0) {
			log_error("database '%s': %s", o.db, store_errmsg(st));
			ex = EXIT_RUNTIME;
		}
		if (sum.runs_ok != sum.runs_done) {
			log_error("%zu of %zu runs did not succeed (%zu failed, %zu timed out): see the runs and workers "
				  "tables",
				  sum.runs_done - sum.runs_ok, sum.runs_done, sum.runs_failed, sum.runs_timeout);
			ex = EXIT_RUNTIME;
		}
	}
	free(err);
	if (sum.runs_done > 0) {
		char *verr = NULL;

		/* judged from what was stored, whatever became of the campaign */
		if (report_store_verdicts(st, campaign_id, scalprof_version(), &verr) < 0) {
			log_error("database '%s': %s", o.db, verr);
			free(verr);
			ex = EXIT_RUNTIME;
		}
		putchar('\n');
		if (report_campaign(st, campaign_id, REPORT_TEXT, stdout) < 0)
			log_error("cannot print the result table: %s", store_errmsg(st));
	}
out:
	if (lockfd >= 0)
		close(lockfd);
	plan_clear(&plan);
	machine_info_clear(&mi);
	conditions_clear(&cond);
	store_close(st);
	campaign_free(c);
	topology_free(topo);
	if (sigfd >= 0)
		close(sigfd);
	return ex;
}

/* ---- probe ---- */

/* Measures and stores the machine's ceiling; logs why on failure.
 * Returns 0, -EINTR or another -errno. */
static int measure_ceiling(const struct topology *topo, struct store *st, int64_t machine_id, double scale,
			   int sigfd, int quiet)
{
	struct ceiling_opts co = { .topo = topo, .scale = scale, .sigfd = sigfd };
	struct progress_state ps = { .tty = isatty(STDOUT_FILENO) };
	struct ceiling *c = xcalloc(1, sizeof(*c));
	char *err = NULL;
	int r;

	if (!quiet) {
		printf("measuring this machine's memory-bandwidth ceiling and usable cache (once per machine)...\n");
		fflush(stdout);
		co.progress = ps.tty ? progress : NULL; /* no line per measuring run in a log */
		co.progress_arg = &ps;
	}
	r = ceiling_measure(&co, c, &err);
	if (ps.tty && !quiet)
		printf("\r\033[K");
	if (r == 0 && ceiling_store(st, machine_id, c) < 0) {
		err = xasprintf("storing the ceiling: %s", sqlite3_errmsg(store_db(st)));
		r = -EIO;
	}
	if (r == 0 && !quiet)
		ceiling_print(c, stdout);
	else if (r == -EINTR)
		log_error("interrupted while measuring the ceiling");
	else if (r < 0)
		log_error("%s", err ? err : "measuring the ceiling failed");
	free(err);
	free(c);
	return r;
}

static int cmd_probe(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "scale", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct opt_out o = { .db = DEFAULT_DB };
	struct topology *topo = NULL;
	struct store *st = NULL;
	struct machine_info mi;
	int64_t machine_id;
	double scale;
	char *err = NULL;
	int r, sigfd, ex, lockfd, i = parse_opts(argc, argv, usage_probe, "d:s:qh", longopts, &o, &ex);

	if (i < 0)
		return ex;
	if (i != argc) {
		log_error("probe: unexpected argument '%s'", argv[i]);
		return EXIT_BADINPUT;
	}
	if (parse_scale("probe", o.scale, &scale) < 0)
		return EXIT_BADINPUT;
	if (load_topology(&topo) < 0)
		return EXIT_RUNTIME;
	lockfd = take_experiment_lock("measuring the ceiling (scalprof probe)");
	if (lockfd == -EBUSY) {
		topology_free(topo);
		return EXIT_RUNTIME;
	}
	if (store_open(o.db, &st, &err) < 0) {
		log_error("%s", err);
		free(err);
		topology_free(topo);
		if (lockfd >= 0)
			close(lockfd);
		return EXIT_BADINPUT;
	}
	sigfd = signals_fd();
	machine_info_read(topo, &mi);
	if (store_machine(st, &mi, &machine_id) < 0) {
		log_error("database '%s': %s", o.db, store_errmsg(st));
		r = -EIO;
	} else {
		r = measure_ceiling(topo, st, machine_id, scale, sigfd, o.quiet);
	}
	machine_info_clear(&mi);
	store_close(st);
	topology_free(topo);
	close(sigfd);
	if (lockfd >= 0)
		close(lockfd);
	return r == 0 ? 0 : r == -EINTR ? EXIT_INTERRUPTED : EXIT_RUNTIME;
}

/* ---- topology ---- */

static void print_slots(const struct topology *topo, enum placement how)
{
	int n = topology_cores(topo);
	int *cores = xcalloc((size_t)n, sizeof(int));

	topology_place(topo, how, n, 0, cores);
	printf("\nworker slots (%s):\n  slot  cpu  core  socket  l3\n", placement_name(how));
	for (int s = 0; s < n; s++) {
		const struct topo_core *c = topology_core(topo, cores[s]);

		printf("  %4d  %3d  %4d  %6d  %2d\n", s + 1, c->cpus[0], c->index, c->socket, c->l3);
	}
	free(cores);
}

static int cmd_topology(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "placement", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct opt_out o = { 0 };
	struct topology *topo;
	int ex, i = parse_opts(argc, argv, usage_topology, "p:h", longopts, &o, &ex);
	uint64_t l3;

	if (i < 0)
		return ex;
	if (i != argc) {
		log_error("topology: unexpected argument '%s'", argv[i]);
		return EXIT_BADINPUT;
	}
	if (o.placement && strcmp(o.placement, "compact") != 0 && strcmp(o.placement, "spread") != 0) {
		log_error("topology: --placement: expected compact or spread, got '%s'", o.placement);
		return EXIT_BADINPUT;
	}
	if (load_topology(&topo) < 0)
		return EXIT_RUNTIME;
	l3 = topology_l3_bytes(topo);
	printf("topology: %s\n", topology_source(topo));
	printf("sockets: %d  L3 domains: %d", topology_sockets(topo), topology_l3_domains(topo));
	if (l3)
		printf(" (%llu KiB each)", (unsigned long long)(l3 / 1024));
	printf("  physical cores: %d  hardware threads: %d\n", topology_cores(topo), topology_threads(topo));
	printf("\n  core  socket  l3  cpus (first is used; siblings stay idle)\n");
	for (int k = 0; k < topology_cores(topo); k++) {
		const struct topo_core *c = topology_core(topo, k);

		printf("  %4d  %6d  %2d  ", c->index, c->socket, c->l3);
		for (int t = 0; t < c->ncpus; t++)
			printf("%s%d", t ? "," : "", c->cpus[t]);
		putchar('\n');
	}
	if (!o.placement || strcmp(o.placement, "compact") == 0)
		print_slots(topo, PLACE_COMPACT);
	if (!o.placement || strcmp(o.placement, "spread") == 0)
		print_slots(topo, PLACE_SPREAD);
	topology_free(topo);
	return 0;
}

/* ---- events ---- */

/* One line for an event: whether it opens on this host, and if not why. */
static int print_event(const char *name)
{
	struct event_spec spec;
	int r = events_encode(name, &spec);
	const char *note;
	char *reason = NULL;
	int fd;

	if (r == -ENOENT) {
		char *hint = events_suggest(name);

		printf("  %-18s unknown event%s%s%s\n", name, hint ? ": did you mean '" : "", hint ? hint : "",
		       hint ? "'?" : "");
		free(hint);
		return -1;
	}
	if (r < 0) {
		printf("  %-18s invalid modifiers\n", name);
		return -1;
	}
	spec.attr.disabled = 1;
	fd = perf_open(&spec.attr, 0, -1, &note);
	if (fd >= 0) {
		close(fd);
		printf("  %-18s ok%s%s  [%s]\n", name, note ? ", " : "", note ? note : "", spec.encoding);
	} else {
		enum counter_status st = perf_explain(fd, &spec.attr, &reason);

		printf("  %-18s %s: %s  [%s]\n", name, counter_status_name(st), reason, spec.encoding);
		free(reason);
	}
	events_spec_clear(&spec);
	return 0;
}

static int cmd_events(int argc, char **argv)
{
	struct opt_out o = { 0 };
	int ex, bad = 0, i = parse_opts(argc, argv, usage_events, "h", help_only, &o, &ex);
	char *pmus;

	if (i < 0)
		return ex;
	if (events_init() < 0) {
		log_error("libpfm4 could not be initialised");
		return EXIT_RUNTIME;
	}
	pmus = events_pmus();
	printf("PMUs libpfm4 knows on this CPU: %s\n", pmus);
	printf("hardware PMU exposed by the kernel: %s\n", perf_host_has_hw_pmu() ? "yes" : "no (virtual machine?)");
	free(pmus);
	{
		struct mc_set mc;
		char *why = NULL;
		int r = mcpmu_discover(NULL, &mc, &why);

		if (r == 0)
			printf("memory-controller counters: %s (%s; %d socket%s, %zu events)\n", mc.family, mc.pmus,
			       mc.nsockets, mc.nsockets == 1 ? "" : "s", mc.nevents);
		else if (r == -ENOENT)
			printf("memory-controller counters: none exposed (virtual machine?); bandwidth is estimated from "
			       "LLC-load-misses where they count\n");
		else
			printf("memory-controller counters: unusable: %s\n", why ? why : "unknown");
		free(why);
		mc_set_clear(&mc);
	}
	if (i < argc) {
		printf("\nevents:\n");
		for (; i < argc; i++) {
			const struct event_preset *p = events_preset_find(argv[i]);

			if (p) {
				for (const char *const *e = p->events; *e; e++)
					print_event(*e);
			} else if (print_event(argv[i]) < 0) {
				bad = 1;
			}
		}
		return bad ? EXIT_BADINPUT : 0;
	}
	for (const struct event_preset *p = events_presets(); p->name; p++) {
		printf("\npreset %s: %s\n", p->name, p->description);
		for (const char *const *e = p->events; *e; e++)
			print_event(*e);
	}
	printf("\ndefault events (when a campaign names none): sched + cache\n"
	       "any libpfm4 name works too, e.g. perf::PERF_COUNT_HW_CACHE_L1D:READ:MISS\n");
	return 0;
}

/* ---- report ---- */

/* Opens an existing database read-only; logs and returns NULL on failure. */
static struct store *open_readonly(const char *cmd, const char *path)
{
	struct store *st = NULL;
	char *err = NULL;
	int r = store_open_readonly(path, &st, &err);

	if (r == -ENOENT)
		log_error("%s: no database at '%s' (run a campaign first, or give --db)", cmd, path);
	else if (r == -EPROTO)
		log_error("%s: %s", cmd, err);
	else if (r < 0)
		log_error("%s", err);
	free(err);
	return r < 0 ? NULL : st;
}

static int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "campaign", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "plot", required_argument, NULL, 'P' },
		{ "runs", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct opt_out o = { .db = DEFAULT_DB };
	enum report_format fmt;
	const char *which;
	struct store *db;
	int64_t id;
	int r, ex, i = parse_opts(argc, argv, usage_report, "d:c:f:rh", longopts, &o, &ex);

	if (i < 0)
		return ex;
	if (argc - i > 1 || (argc - i == 1 && o.campaign)) {
		log_error("report: expected at most one campaign, got '%s'", argv[argc - 1]);
		return EXIT_BADINPUT;
	}
	which = i < argc ? argv[i] : o.campaign;
	if (parse_format("report", o.format, 1, &fmt) < 0)
		return EXIT_BADINPUT;
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
	db = open_readonly("report", o.db);
	if (!db)
		return EXIT_BADINPUT;
	r = which ? store_find_campaign(db, which, &id) : report_latest_campaign(db, &id);
	if (r == 0 && o.runs)
		r = report_runs(db, id, stdout);
	else if (r == 0)
		r = report_campaign(db, id, fmt, stdout);
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

static int cmd_timeline(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "event", required_argument, NULL, 'e' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct opt_out o = { .db = DEFAULT_DB };
	enum report_format fmt;
	struct store *db;
	char *end;
	long long id;
	int r, ex, i = parse_opts(argc, argv, usage_timeline, "d:e:f:h", longopts, &o, &ex);

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
	if (parse_format("timeline", o.format, 0, &fmt) < 0)
		return EXIT_BADINPUT;
	db = open_readonly("timeline", o.db);
	if (!db)
		return EXIT_BADINPUT;
	r = report_timeline(db, id, o.event, fmt, stdout);
	if (r == -ENOENT)
		log_error("timeline: no run %lld in '%s'", id, o.db);
	else if (r < 0)
		log_error("timeline: database '%s': %s", o.db, store_errmsg(db));
	store_close(db);
	return r == 0 ? 0 : r == -ENOENT ? EXIT_BADINPUT : EXIT_RUNTIME;
}

/* ---- main ---- */

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
};

static const struct command commands[] = {
	{ "run", cmd_run, usage_run },
	{ "check", cmd_check, usage_check },
	{ "topology", cmd_topology, usage_topology },
	{ "events", cmd_events, usage_events },
	{ "probe", cmd_probe, usage_probe },
	{ "report", cmd_report, usage_report },
	{ "timeline", cmd_timeline, usage_timeline },
	{ "submit", cmd_submit, usage_submit },
	{ "list", cmd_list, usage_list },
	{ "status", cmd_status, usage_status },
	{ "watch", cmd_watch, usage_watch },
	{ "cancel", cmd_cancel, usage_cancel },
};

int main(int argc, char **argv)
{
	log_init("scalprof", LOG_LVL_INFO);
	if (argc < 2) {
		fputs(usage_main, stderr);
		return EXIT_BADINPUT;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("scalprof %s (schema version %d)\n", scalprof_version(), store_schema_version());
		return 0;
	}
	if (strcmp(argv[1], "help") == 0) {
		for (size_t k = 0; argc > 2 && k < ARRAY_SIZE(commands); k++)
			if (strcmp(argv[2], commands[k].name) == 0) {
				fputs(commands[k].usage, stdout);
				return 0;
			}
		fputs(usage_main, stdout);
		return argc > 2 ? EXIT_BADINPUT : 0;
	}
	for (size_t k = 0; k < ARRAY_SIZE(commands); k++)
		if (strcmp(argv[1], commands[k].name) == 0)
			return commands[k].fn(argc - 1, argv + 1);
	log_error("unknown command '%s' (commands: run, check, topology, events, probe, report, timeline, submit, list, status, watch, cancel, help)", argv[1]);
	return EXIT_BADINPUT;
}
