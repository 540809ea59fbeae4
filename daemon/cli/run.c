/* run.c: scalprof run (a campaign in the foreground), check (validate it,
 * run nothing) and probe (measure the machine's bandwidth ceiling and usable
 * cache). See commands.h. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/report.h"
#include "base/log.h"
#include "base/util.h"
#include "base/version.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "engine/ceiling.h"
#include "engine/runner.h"
#include "engine/session.h"
#include "engine/spawn.h"
#include "host/events.h"
#include "host/hostinfo.h"
#include "host/perf.h"
#include "model/plan.h"
#include "model/yamlloc.h"
#include "store/store.h"

const char usage_run[] =
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

const char usage_check[] =
	"usage: scalprof check FILE.yaml|- [--scale F]\n"
	"\n"
	"Validates the campaign against this machine exactly as `run` would, finds\n"
	"each command's program (and an interpreter's script) as exec will, warns\n"
	"about events this host cannot count, prints the number of runs it plans,\n"
	"and writes nothing. FILE - reads the campaign from standard input.\n"
	"  -s, --scale F   check with this scale instead of the campaign's\n"
	"exit status: 0 valid, 2 invalid (the message says FILE:LINE:COL: FIELD: what)\n";

const char usage_probe[] =
	"usage: scalprof probe [--db PATH] [--scale F] [--max-mib N] [--quiet]\n"
	"\n"
	"Measures this machine's memory-bandwidth ceiling (STREAM copy and triad on\n"
	"1..all pinned physical cores, arrays 4x the L3, best of 3) and its usable\n"
	"last-level cache (a pointer-chase latency sweep), prints both and stores them\n"
	"for the machine in the database (default ./" DEFAULT_DB "), replacing earlier ones.\n"
	"`scalprof run` does this once per machine when the database has none.\n"
	"  -d, --db PATH   database file\n"
	"  -s, --scale F   shorten the measurement (fewer passes); 1 by default\n"
	"  -m, --max-mib N arrays and working sets of at most N MiB (a ceiling\n"
	"                  measured in arrays below 4x the L3 is partly the cache's)\n"
	"  -q, --quiet     no progress lines\n";

/* ---- check ---- */

/* The campaign of `check -`: standard input, named "<stdin>", relative cwds
 * taken from the current directory. Returns 0 or an exit status after
 * logging why. */
static int check_load_stdin(const char *scale, struct topology **ret_topo, struct campaign **ret_c)
{
	char *text = NULL, *err = NULL;
	size_t len;
	double v = 1;
	int r;

	if (cli_parse_scale("check", scale, &v) < 0)
		return EXIT_BADINPUT;
	r = read_file_limited("/dev/stdin", CAMPAIGN_MAX_BYTES, &text, &len);
	if (r < 0) {
		if (r == -EFBIG)
			log_error("<stdin>: campaign larger than %d bytes", CAMPAIGN_MAX_BYTES);
		else
			log_error("cannot read the campaign from standard input: %s", strerror(-r));
		return EXIT_BADINPUT;
	}
	if (cli_load_topology(ret_topo) < 0) {
		free(text);
		return EXIT_RUNTIME;
	}
	r = campaign_parse("<stdin>", text, len, *ret_topo, ret_c, &err);
	free(text);
	if (r < 0) {
		log_error("%s", err);
		free(err);
		topology_free(*ret_topo);
		*ret_topo = NULL;
		return EXIT_BADINPUT;
	}
	if (scale)
		campaign_set_scale(*ret_c, v);
	return 0;
}

/* The PATH a worker of w searches: its env's, else ours, else spawn's
 * default (spawn.c's child_exec). */
static const char *check_worker_path(const struct workload *w)
{
	const char *ours = getenv("PATH");

	for (size_t k = 0; k < w->env_count; k++)
		if (strncmp(w->env[k], "PATH=", 5) == 0)
			return w->env[k] + 5;
	return ours ? ours : SPAWN_DEFAULT_PATH;
}

/* name, taken from cwd unless absolute, into buf. Returns 0, or
 * -ENAMETOOLONG (exec would fail the same way). */
static int check_join(char *buf, size_t size, const char *cwd, const char *name)
{
	int n = name[0] == '/' ? snprintf(buf, size, "%s", name) : snprintf(buf, size, "%s/%s", cwd, name);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Looks prog up as child_exec will: with a slash, from cwd; without, in
 * each directory of path (an empty entry or a relative one from cwd).
 * Returns 0 with the file in buf, -ENOENT, or -EACCES when one was found
 * but none was executable. */
static int check_find_program(const char *prog, const char *cwd, const char *path, char *buf, size_t size)
{
	struct stat sb;
	int eacces = 0;

	if (strchr(prog, '/')) {
		if (check_join(buf, size, cwd, prog) < 0 || stat(buf, &sb) < 0)
			return -ENOENT;
		return S_ISREG(sb.st_mode) && access(buf, X_OK) == 0 ? 0 : -EACCES;
	}
	for (const char *p = path, *end;; p = end + 1) {
		char dir[PATH_MAX];
		int usable = 1;

		end = strchrnul(p, ':');
		snprintf(dir, sizeof(dir), "%.*s", (int)(end - p), p);
		if (!*dir || dir[0] != '/') {
			char rel[PATH_MAX];

			snprintf(rel, sizeof(rel), "%s", *dir ? dir : ".");
			usable = check_join(dir, sizeof(dir), cwd, rel) == 0;
		}
		if (usable && check_join(buf, size, dir, prog) == 0 && stat(buf, &sb) == 0) {
			if (S_ISREG(sb.st_mode) && access(buf, X_OK) == 0)
				return 0;
			eacces = 1;
		}
		if (!*end)
			break;
	}
	return eacces ? -EACCES : -ENOENT;
}

/* Whether base names an interpreter that takes a script as its first
 * operand: python3, python, perl, ruby, node, bash, sh, with a version
 * (python3.11, perl5.36). */
static int check_is_interpreter(const char *base)
{
	static const char *const names[] = { "python", "perl", "ruby", "node", "bash", "sh" };

	for (size_t k = 0; k < ARRAY_SIZE(names); k++) {
		size_t n = strlen(names[k]);

		if (strncmp(base, names[k], n) == 0 && base[n + strspn(base + n, "0123456789.")] == '\0')
			return 1;
	}
	return 0;
}

/* The index of the script an interpreter's argv runs, or 0 when it runs
 * none: code given inline (-c, -e, -m, -p, sh -lc), standard input, or no
 * operand. Options before it are passed over, and the value of python's -W
 * and -X with them. */
static size_t check_script_index(const char *base, char *const *argv, size_t argc)
{
	int shell = strncmp(base, "sh", 2) == 0 || strncmp(base, "bash", 4) == 0;
	int python = strncmp(base, "python", 6) == 0;

	for (size_t k = 1; k < argc; k++) {
		const char *a = argv[k];

		if (strcmp(a, "--") == 0)
			return k + 1 < argc ? k + 1 : 0;
		if (a[0] != '-')
			return k;
		if (strcmp(a, "-") == 0 || strcmp(a, "-c") == 0 || strcmp(a, "-e") == 0 || strcmp(a, "-E") == 0 ||
		    strcmp(a, "-m") == 0 || strcmp(a, "-p") == 0 || strncmp(a, "--eval", 6) == 0 ||
		    strncmp(a, "--print", 7) == 0 || (shell && a[1] != '-' && strchr(a, 'c')))
			return 0;
		if (python && (strcmp(a, "-W") == 0 || strcmp(a, "-X") == 0))
			k++;
	}
	return 0;
}

/* One error about workload i's argv[k], at its position in the text. */
static void check_error(struct yamlloc *loc, const char *file, size_t i, size_t k, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void check_error(struct yamlloc *loc, const char *file, size_t i, size_t k, const char *fmt, ...)
{
	char path[64], *msg;
	int line = 1, col = 1;
	va_list ap;

	snprintf(path, sizeof(path), "workloads[%zu].command[%zu]", i, k);
	if (loc)
		yamlloc_find(loc, path, &line, &col);
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	log_error("%s:%d:%d: %s: %s", file, line, col, path, msg);
	free(msg);
}

/* Workload i's program, and an interpreter's script, found as exec and the
 * interpreter will find them. Returns the number of errors logged. */
static int check_workload_files(struct yamlloc *loc, const char *file, const struct workload *w, size_t i,
				const char *cwd)
{
	const char *prog = w->command[0], *base = strrchr(prog, '/'), *path = check_worker_path(w);
	char found[PATH_MAX], script[PATH_MAX];
	struct stat sb;
	size_t k;
	int r = check_find_program(prog, cwd, path, found, sizeof(found));

	base = base ? base + 1 : prog;
	if (r == -ENOENT && strchr(prog, '/')) {
		check_error(loc, file, i, 0, "'%s' does not exist%s%s", prog, prog[0] == '/' ? "" : " in ",
			    prog[0] == '/' ? "" : cwd);
		return 1;
	}
	if (r == -ENOENT) {
		check_error(loc, file, i, 0, "'%s' is not found in PATH (%s)", prog, path);
		return 1;
	}
	if (r == -EACCES) {
		check_error(loc, file, i, 0, "'%s' is not an executable file", strchr(prog, '/') ? prog : found);
		return 1;
	}
	if (!check_is_interpreter(base) || !(k = check_script_index(base, w->command, w->command_count)))
		return 0;
	if (check_join(script, sizeof(script), cwd, w->command[k]) == 0 && stat(script, &sb) == 0)
		return 0;
	/* bash, not sh, looks for a script without a slash in PATH too */
	if (strcmp(base, "bash") == 0 && !strchr(w->command[k], '/') &&
	    check_find_program(w->command[k], cwd, path, script, sizeof(script)) != -ENOENT)
		return 0;
	if (w->command[k][0] == '/')
		check_error(loc, file, i, k, "'%s' does not exist (%s would fail: can't open file)", w->command[k], base);
	else
		check_error(loc, file, i, k, "'%s' does not exist in %s (%s would fail: can't open file)", w->command[k],
			    cwd, base);
	return 1;
}

/* Every command workload's files (builtins are scalprof's own). Returns
 * the number of errors logged. */
static int check_files(const struct campaign *c, const char *file)
{
	struct yamlloc *loc = NULL;
	char *problem = NULL, here[PATH_MAX];
	int line, col, errors = 0;

	if (yamlloc_new(c->yaml, c->yaml_len, &loc, &line, &col, &problem) < 0)
		loc = NULL; /* it parsed once: only out of memory; messages at 1:1 */
	free(problem);
	if (!getcwd(here, sizeof(here)))
		snprintf(here, sizeof(here), ".");
	for (size_t i = 0; i < c->nworkloads; i++) {
		const struct workload *w = &c->workloads[i];

		if (!w->builtin && w->command && w->command_count > 0)
			errors += check_workload_files(loc, file, w, i, w->cwd ? w->cwd : here);
	}
	yamlloc_free(loc);
	return errors;
}

/* Warns, once per reason, about the campaign's events this host cannot
 * count (opened as `scalprof events` opens them); they would be stored as
 * not supported, not fail the campaign. */
static void check_events(const struct campaign *c)
{
	char **reasons = xcalloc(c->nevents + 1, sizeof(char *));

	for (size_t e = 0; e < c->nevents; e++) {
		struct perf_event_attr attr = c->events[e].attr;
		const char *note;
		int fd;

		attr.disabled = 1;
		fd = perf_open(&attr, 0, -1, &note);
		if (fd >= 0)
			close(fd);
		else
			perf_explain(fd, &attr, &reasons[e]);
	}
	for (size_t e = 0; e < c->nevents; e++) {
		char *names;
		size_t n = 0;

		if (!reasons[e])
			continue;
		names = xstrdup("");
		for (size_t f = e; f < c->nevents; f++) {
			char *more;

			if (!reasons[f] || strcmp(reasons[f], reasons[e]) != 0)
				continue;
			more = xasprintf("%s%s%s", names, n ? ", " : "", c->events[f].name);
			free(names);
			names = more;
			n++;
			if (f != e) {
				free(reasons[f]);
				reasons[f] = NULL;
			}
		}
		log_warnx("%zu of the %zu events cannot be counted here: %s (%s)", n, c->nevents, names,
			  reasons[e]);
		free(names);
		free(reasons[e]);
	}
	free(reasons);
}

int cmd_check(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct topology *topo = NULL;
	struct campaign *c = NULL;
	struct plan plan;
	const char *file;
	static const struct option longopts[] = {
		{ "scale", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int ex, i = cli_parse_opts(argc, argv, usage_check, "s:h", longopts, &o, &ex);

	if (i < 0)
		return ex;
	if (argc - i == 1 && strcmp(argv[i], "-") == 0)
		ex = check_load_stdin(o.scale, &topo, &c);
	else
		ex = cli_campaign_operand(argc, argv, i, usage_check, o.scale, &topo, &c);
	if (ex)
		return ex;
	file = strcmp(argv[i], "-") == 0 ? "<stdin>" : argv[i];
	if (check_files(c, file) > 0) {
		campaign_free(c);
		topology_free(topo);
		return EXIT_BADINPUT;
	}
	check_events(c);
	plan_build(c, topology_cores(topo), &plan);
	{
		size_t ordinary = c->nworkloads * c->nworkers * (size_t)c->repetitions;

		printf("%s: campaign '%s' is valid: %zu workload%s x %zu worker count%s x %d repetition%s = %zu runs",
		       file, c->name, c->nworkloads, c->nworkloads == 1 ? "" : "s", c->nworkers,
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

/* What scalprof run and probe say along the session (session.h). */
struct run_ui {
	struct progress_state ps;
	int quiet, started;
	const char *db, *name;
};

static void ui_ceiling_start(void *arg, struct ceiling_opts *co)
{
	struct run_ui *ui = arg;

	if (ui->quiet)
		return;
	printf("measuring this machine's memory-bandwidth ceiling and usable cache (once per machine)...\n");
	fflush(stdout);
	co->progress = ui->ps.tty ? progress : NULL; /* no line per measuring run in a log */
	co->progress_arg = &ui->ps;
}

static void ui_ceiling_end(void *arg, int r, const struct ceiling *c, const char *why)
{
	struct run_ui *ui = arg;

	if (ui->ps.tty && !ui->quiet)
		printf("\r\033[K");
	if (r == 0 && !ui->quiet)
		ceiling_print(c, stdout);
	else if (r == -EINTR)
		log_error("interrupted while measuring the ceiling");
	else if (r < 0)
		log_error("%s", why ? why : "measuring the ceiling failed");
}

static void ui_runs_start(void *arg, int64_t campaign_id, size_t nruns)
{
	struct run_ui *ui = arg;

	ui->started = 1;
	if (!ui->quiet)
		printf("campaign '%s' (id %lld): %zu runs into %s\n", ui->name, (long long)campaign_id, nruns, ui->db);
}

/* Opens the database for a command that holds lockfd, closing lockfd when
 * it cannot. Returns the store or NULL after logging why. */
static struct store *open_store(const char *path, int lockfd)
{
	struct store *st = NULL;
	char *err = NULL;

	if (store_open(path, &st, &err) < 0) {
		log_error("%s", err);
		free(err);
		if (lockfd >= 0)
			close(lockfd);
		return NULL;
	}
	return st;
}

/* The exit status of a session that ended as res says, after logging why
 * it was not a success. */
static int run_outcome(int r, const struct session_result *res, const char *db)
{
	int ex = 0;

	if (res->in_ceiling) {
		ex = r == -EINTR ? EXIT_INTERRUPTED : EXIT_RUNTIME; /* the hook said why */
	} else if (r == -EINTR) {
		log_error("interrupted: %zu of %zu runs stored; the campaign is marked interrupted", res->sum.runs_done,
			  res->nruns);
		ex = EXIT_INTERRUPTED;
	} else if (r < 0 || res->db_error) {
		if (res->db_error)
			log_error("database '%s': %s", db, res->error);
		else
			log_error("%s", res->error ? res->error : "failed");
		ex = EXIT_RUNTIME;
	} else if (res->sum.runs_ok != res->sum.runs_done) {
		log_error("%zu of %zu runs did not succeed (%zu failed, %zu timed out): see the runs and workers tables",
			  res->sum.runs_done - res->sum.runs_ok, res->sum.runs_done, res->sum.runs_failed,
			  res->sum.runs_timeout);
		ex = EXIT_RUNTIME;
	}
	if (res->verdict_error) {
		log_error("database '%s': %s", db, res->verdict_error);
		ex = ex ? ex : EXIT_RUNTIME;
	}
	return ex;
}

int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "scale", required_argument, NULL, 's' },
		{ "no-probe", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct cli_opts o = { .db = DEFAULT_DB };
	struct topology *topo = NULL;
	struct campaign *c = NULL;
	struct store *st;
	struct session_result res;
	char *user, *what;
	uint64_t max_bytes;
	int ex, r, sigfd, lockfd, i = cli_parse_opts(argc, argv, usage_run, "d:qs:nh", longopts, &o, &ex);

	if (i < 0)
		return ex;
	if (cli_parse_max_mib("run", NULL, &max_bytes) < 0)
		return EXIT_BADINPUT;
	ex = cli_campaign_operand(argc, argv, i, usage_run, o.scale, &topo, &c);
	if (ex)
		return ex;
	what = xasprintf("campaign '%s' from %s", c->name, c->source);
	lockfd = cli_take_experiment_lock(what);
	free(what);
	st = lockfd == -EBUSY ? NULL : open_store(o.db, lockfd);
	if (!st) {
		campaign_free(c);
		topology_free(topo);
		return lockfd == -EBUSY ? EXIT_RUNTIME : EXIT_BADINPUT;
	}
	sigfd = signals_fd();
	user = user_name(getuid());
	{
		struct run_ui ui = { .ps.tty = isatty(STDOUT_FILENO), .quiet = o.quiet, .db = o.db, .name = c->name };
		struct session_hooks hooks = {
			.arg = &ui, .ceiling_start = ui_ceiling_start, .ceiling_end = ui_ceiling_end,
			.runs_start = ui_runs_start, .progress = o.quiet ? NULL : progress,
		};
		struct session_opts so = {
			.kind = SESSION_FOREGROUND, .campaign = c, .topo = topo, .store = st, .user = user,
			.uid = getuid(), .measure_ceiling = !o.no_probe,
			.ceiling_max_bytes = max_bytes, .sigfd = sigfd, .version = scalprof_version(),
			.hooks = &hooks,
		};

		r = session_run(&so, &res);
		if (ui.ps.tty && !o.quiet && ui.started)
			printf("\r\033[K");
	}
	ex = run_outcome(r, &res, o.db);
	if (res.runs_before + res.sum.runs_done > 0) {
		putchar('\n');
		if (report_campaign(st, res.campaign_id, REPORT_TEXT, 0, stdout) < 0)
			log_error("cannot print the result table: %s", store_errmsg(st));
	}
	session_result_clear(&res);
	free(user);
	if (lockfd >= 0)
		close(lockfd);
	store_close(st);
	campaign_free(c);
	topology_free(topo);
	if (sigfd >= 0)
		close(sigfd);
	return ex;
}

/* ---- probe ---- */

int cmd_probe(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "scale", required_argument, NULL, 's' },
		{ "max-mib", required_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct cli_opts o = { .db = DEFAULT_DB };
	struct topology *topo = NULL;
	struct store *st;
	struct machine_info mi;
	int64_t machine_id;
	double scale;
	uint64_t max_bytes = 0;
	int r, sigfd, ex, lockfd, i = cli_parse_opts(argc, argv, usage_probe, "d:s:m:qh", longopts, &o, &ex);

	if (i < 0)
		return ex;
	if (i != argc) {
		log_error("probe: unexpected argument '%s'", argv[i]);
		return EXIT_BADINPUT;
	}
	if (cli_parse_scale("probe", o.scale, &scale) < 0 || cli_parse_max_mib("probe", o.max_mib, &max_bytes) < 0)
		return EXIT_BADINPUT;
	if (cli_load_topology(&topo) < 0)
		return EXIT_RUNTIME;
	lockfd = cli_take_experiment_lock("measuring the ceiling (scalprof probe)");
	st = lockfd == -EBUSY ? NULL : open_store(o.db, lockfd);
	if (!st) {
		topology_free(topo);
		return lockfd == -EBUSY ? EXIT_RUNTIME : EXIT_BADINPUT;
	}
	sigfd = signals_fd();
	machine_info_read(topo, &mi);
	if (store_machine(st, &mi, &machine_id) < 0) {
		log_error("database '%s': %s", o.db, store_errmsg(st));
		r = -EIO;
	} else {
		struct run_ui ui = { .ps.tty = isatty(STDOUT_FILENO), .quiet = o.quiet };
		struct session_hooks hooks = { .arg = &ui, .ceiling_start = ui_ceiling_start, .ceiling_end = ui_ceiling_end };
		struct session_opts so = { .topo = topo, .store = st, .sigfd = sigfd, .hooks = &hooks };

		r = session_measure_ceiling(&so, machine_id, scale, max_bytes);
	}
	machine_info_clear(&mi);
	store_close(st);
	topology_free(topo);
	if (sigfd >= 0)
		close(sigfd);
	if (lockfd >= 0)
		close(lockfd);
	return r == 0 ? 0 : r == -EINTR ? EXIT_INTERRUPTED : EXIT_RUNTIME;
}
