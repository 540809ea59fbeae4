/* run.c: scalprof run (a campaign in the foreground), check (validate it,
 * run nothing) and probe (measure the machine's bandwidth ceiling and usable
 * cache). See commands.h.
 *
 * Sections:
 *   check
 *   run: the progress (a status line on a terminal, full lines elsewhere, a
 *        failed run's stderr), the session's hooks, the options, a campaign
 *        file or the campaign written for a command, the session itself
 *   probe */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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
#include "store/reports.h"
#include "store/store.h"

const char usage_run[] =
	"usage: scalprof run FILE.yaml [--db PATH] [--scale F] [--no-probe] [--quiet] [--verbose]\n"
	"       scalprof run [OPTIONS] -- COMMAND [ARGS...]\n"
	"\n"
	"Runs every run of the campaign in the foreground, stores each in the database\n"
	"(default ./" DEFAULT_DB ") and prints the result table. With a command after --,\n"
	"the campaign is written for it: workers 1..all physical cores, 3 repetitions,\n"
	"one copy of the command per worker, run in the current directory.\n"
	"  -d, --db PATH   database file (created if missing)\n"
	"  -s, --scale F   multiply every workload's work by F (overrides the campaign's scale)\n"
	"  -n, --no-probe  do not measure this machine's ceiling first when the\n"
	"                  database has none (see scalprof probe)\n"
	"      --reprobe   measure it again first, though this machine has one kept\n"
	"  -q, --quiet     no progress lines\n"
	"  -v, --verbose   a full line per run, also on a terminal (where one status\n"
	"                  line is rewritten in place otherwise)\n"
	"  -h, --help      this text\n"
	"with a command only:\n"
	"      --workers LIST  worker counts: \"1,2,4\", \"1..4\" or \"all\" (default 1..all)\n"
	"      --reps N        repetitions (default 3)\n"
	"      --warmup N      unstored warm-up runs before each worker count's first (default 0)\n"
	"      --team          one command gets N workers' cores (mode team), not N copies\n"
	"      --name NAME     the campaign's and workload's name (default: the command's basename)\n"
	"      --interference  run again beside memory, cache and CPU co-runners\n"
	"      --profile       sample call stacks (profile: true)\n"
	"      --print-yaml    print the campaign written for the command and run nothing\n"
	"exit status: 0 every run ok, 1 a run failed or the database failed,\n"
	"2 bad campaign, option or database path, 130 interrupted (finished runs are kept)\n";

const char usage_confirm[] =
	"usage: scalprof confirm [CAMPAIGN] [--db PATH] [--quiet] [--verbose]\n"
	"\n"
	"Tests a stored campaign's causes by intervention, as its key confirm: true\n"
	"would have after its runs: for each workload that did not scale, runs the\n"
	"built-in variants that test the leading component of its speedup stack\n"
	"(malloc thresholds, glibc's huge pages and THP off for extra kernel CPU;\n"
	"spread and interleave where this machine has more than one socket, L3 or\n"
	"memory node) at 1 worker and its worst worker count, stores them with the\n"
	"campaign, judges it again and prints the report. Runs of the campaign that\n"
	"are missing (it was stopped) are made first; interventions already stored\n"
	"are not made again. The campaign is read back from the database, its\n"
	"relative paths from the directory of the file it came from.\n"
	"CAMPAIGN is an id or a name (the latest of that name); default: the latest.\n"
	"  -d, --db PATH   database file (default ./" DEFAULT_DB ")\n"
	"  -q, --quiet     no progress lines\n"
	"  -v, --verbose   a full line per run\n"
	"  -h, --help      this text\n"
	"exit status: 0 every run ok, 1 a run failed or the database failed,\n"
	"2 no such campaign or database, or its text no longer valid here, 130 interrupted\n";

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
		size_t ordinary = c->nworkloads * c->nworkers * (size_t)c->repetitions, variant = 0, corun = 0;

		for (size_t k = 0; k < plan.nruns; k++) {
			variant += plan.runs[k].variant != NULL;
			corun += plan.runs[k].corunner != CORUN_NONE;
		}
		printf("%s: campaign '%s' is valid: %zu workload%s x %zu worker count%s x %d repetition%s = %zu runs",
		       file, c->name, c->nworkloads, c->nworkloads == 1 ? "" : "s", c->nworkers,
		       c->nworkers == 1 ? "" : "s", c->repetitions, c->repetitions == 1 ? "" : "s", ordinary);
		if (variant)
			printf(" + %zu variant runs (%zu variant%s)", variant, c->nvariants, c->nvariants == 1 ? "" : "s");
		if (corun)
			printf(" + %zu interference runs", corun);
		if (c->confirm)
			printf(" + the interventions confirm chooses");
		if (c->warmup)
			printf(" + %zu warm-up runs (not stored)", (size_t)c->warmup * c->nworkloads * c->nworkers);
		printf(", %zu event%s, scale %g\n", c->nevents, c->nevents == 1 ? "" : "s", c->scale);
	}
	plan_clear(&plan);
	campaign_free(c);
	topology_free(topo);
	return 0;
}

/* ---- run ---- */

/* What the progress callback keeps between runs: whether it writes one
 * status line (a terminal, not --verbose) or a line per run, the last
 * result for that status line, and the first failure for the summary. */
struct progress_state {
	int tty, verbose, quiet;
	int measuring;           /* the campaign's runs (not the ceiling's) */
	unsigned cols;           /* the terminal's width; 0 unknown */
	char last[48];           /* "ok 0.213 s" */
	char *first_failure;     /* "run 3/8 (prog, 2 workers, rep 1): worker 1: exited with code 2" */
	char *first_tail;        /* its stderr's last lines, or NULL */
};

#define TAIL_LINES 3        /* of a failed worker's stderr, in progress and summary */
#define TAIL_LINE_MAX 200   /* bytes of each */

/* The last TAIL_LINES lines of what the first failed worker of res wrote
 * to stderr (the one that wrote something, else none), each cut at
 * TAIL_LINE_MAX bytes and with control characters shown as '?'; NULL when
 * there is none. The caller frees it. */
static char *stderr_tail(const struct run_result *res)
{
	const struct tail *t = NULL;
	size_t n, from, lines = 0, k = 0, col = 0;
	char *text, *out;

	for (size_t i = 0; i < res->nworkers && !t; i++)
		if (res->workers[i].status != WORKER_OK && res->workers[i].err.len)
			t = &res->workers[i].err;
	if (!t)
		return NULL;
	n = t->len < 4096 ? t->len : 4096;
	text = xcalloc(1, n + 1);
	for (size_t i = 0; i < n; i++)
		text[i] = t->buf[(t->start + t->len - n + i) % TAIL_BYTES];
	while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
		n--;
	for (from = n; from > 0; from--)
		if (text[from - 1] == '\n' && ++lines == TAIL_LINES)
			break;
	out = xcalloc(1, n - from + 1);
	for (size_t i = from; i < n; i++) {
		unsigned char ch = (unsigned char)text[i];

		if (ch == '\n')
			col = 0;
		else if (ch == '\r' || ++col > TAIL_LINE_MAX)
			continue;
		out[k++] = ch == '\n' || ch == '\t' || ch >= 0x20 ? (char)ch : '?';
	}
	free(text);
	if (!k) {
		free(out);
		return NULL;
	}
	return out;
}

/* Each line of tail to f, indented, after "stderr: " */
static void print_tail(FILE *f, const char *tail)
{
	for (const char *p = tail; *p;) {
		size_t n = strcspn(p, "\n");

		fprintf(f, "    stderr: %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

/* "prog, 2 workers" or "prog, 2 workers beside cache" */
static void run_what(const struct runner_progress *p, char *buf, size_t len)
{
	snprintf(buf, len, "%s, %d worker%s%s%s", p->workload->name, p->run->n_workers,
		 p->run->n_workers == 1 ? "" : "s", p->run->corunner ? " beside " : "",
		 p->run->corunner ? corunner_name(p->run->corunner) : "");
}

/* The status line on a terminal, cut to its width so that the carriage
 * return rewrites all of it (a wrapped line leaves its first part behind). */
static void status_line(const struct progress_state *ps, const struct runner_progress *p, const char *el,
			const char *eta)
{
	char what[160], line[512];
	size_t n;

	run_what(p, what, sizeof(what));
	if (p->warmup)
		n = (size_t)snprintf(line, sizeof(line), "[warm-up %d/%d before run %zu/%zu] %s  elapsed %s  ETA %s",
				     p->warmup, p->warmups, p->index, p->total, what, el, eta);
	else
		n = (size_t)snprintf(line, sizeof(line), "[run %zu/%zu] %s, rep %d/%d  elapsed %s  ETA %s", p->index,
				     p->total, what, p->run->repetition, p->repetitions, el, eta);
	if (n < sizeof(line) && ps->last[0])
		snprintf(line + n, sizeof(line) - n, "  last: %s", ps->last);
	n = strlen(line);
	if (ps->cols > 1 && n > ps->cols - 1) {
		n = ps->cols - 1;
		while (n && ((unsigned char)line[n] & 0xc0) == 0x80) /* not inside a UTF-8 character */
			n--;
		line[n] = '\0';
	}
	printf("\r\033[K%s", line);
}

/* The full line of a run that is done, and its stderr when it failed. */
static void done_line(const struct runner_progress *p, const char *el, const char *eta, const char *tail)
{
	char what[160];

	run_what(p, what, sizeof(what));
	if (p->warmup)
		printf("warm-up %d/%d before run %zu/%zu: %s: %s", p->warmup, p->warmups, p->index, p->total, what,
		       run_status_name(p->result->status));
	else
		printf("run %zu/%zu: %s, rep %d/%d: %s", p->index, p->total, what, p->run->repetition, p->repetitions,
		       run_status_name(p->result->status));
	if (p->result->wall_ns >= 0)
		printf(", %.3f s", (double)p->result->wall_ns / 1e9);
	if (p->result->error)
		printf(" (%s)", p->result->error);
	printf("%s, elapsed %s, ETA %s\n", p->warmup ? ", not stored" : "", el, eta);
	if (tail)
		print_tail(stdout, tail);
}

/* The first failed measured run, for the summary. */
static void keep_failure(struct progress_state *ps, const struct runner_progress *p, char *tail)
{
	char what[160];

	run_what(p, what, sizeof(what));
	ps->first_failure = xasprintf("run %zu/%zu (%s, rep %d) %s: %s", p->index, p->total, what,
				      p->run->repetition, run_status_name(p->result->status),
				      p->result->error ? p->result->error : "no reason recorded");
	ps->first_tail = tail ? xstrdup(tail) : NULL;
}

static void progress(void *arg, const struct runner_progress *p)
{
	struct progress_state *ps = arg;
	char el[16], eta[16], *tail = NULL;
	int failed = p->phase == PROGRESS_DONE && p->result->status != RUN_OK;

	if (failed)
		tail = stderr_tail(p->result);
	if (failed && ps->measuring && !p->warmup && !ps->first_failure)
		keep_failure(ps, p, tail);
	if (ps->quiet || (p->phase != PROGRESS_DONE && !(ps->tty && !ps->verbose)))
		goto out;
	format_duration(p->elapsed_s, el, sizeof(el));
	if (p->eta_s >= 0)
		format_duration(p->eta_s, eta, sizeof(eta));
	else
		snprintf(eta, sizeof(eta), "?");
	if (p->phase == PROGRESS_DONE && !p->warmup && ps->measuring)
		snprintf(ps->last, sizeof(ps->last), "%s %.3f s", run_status_name(p->result->status),
			 p->result->wall_ns >= 0 ? (double)p->result->wall_ns / 1e9 : 0.0);
	if (ps->tty && !ps->verbose) {
		if (failed) { /* a failure stays on the screen, the status line goes on below it */
			printf("\r\033[K");
			done_line(p, el, eta, tail);
		}
		status_line(ps, p, el, eta);
	} else {
		done_line(p, el, eta, tail);
	}
	fflush(stdout);
out:
	free(tail);
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
	co->progress = ui->ps.tty && !ui->ps.verbose ? progress : NULL; /* no line per measuring run in a log */
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
	ui->ps.measuring = 1;
	if (!ui->quiet)
		printf("campaign '%s' (id %lld): %zu runs into %s\n", ui->name, (long long)campaign_id, nruns, ui->db);
}

static void ui_confirm_start(void *arg, int64_t campaign_id, size_t nruns, size_t stored, const char *summary)
{
	struct run_ui *ui = arg;
	const char *line = summary, *end;

	(void)campaign_id;
	if (ui->quiet)
		return;
	printf("confirm: %zu runs of interventions%s", nruns, *summary ? "" : " (no workload needs testing)");
	if (stored)
		printf(" (%zu stored already)", stored);
	putchar('\n');
	for (; *line; line = *end ? end + 1 : end) {
		end = strchrnul(line, '\n');
		printf("  %.*s\n", (int)(end - line), line);
	}
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
static int run_outcome(int r, const struct session_result *res, const struct progress_state *ps, const char *db)
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
		if (ps->first_failure)
			log_error("the first: %s%s", ps->first_failure, ps->first_tail ? "; its stderr ended:" : "");
		if (ps->first_tail)
			print_tail(stderr, ps->first_tail);
		ex = EXIT_RUNTIME;
	}
	if (res->verdict_error) {
		log_error("database '%s': %s", db, res->verdict_error);
		ex = ex ? ex : EXIT_RUNTIME;
	}
	return ex;
}

/* run's options: those of a campaign file and those of a command's. */
struct run_args {
	struct cli_opts o;
	struct campaign_command cc;
	const char *command_only;   /* the first option that needs a command, for the message */
	int print_yaml;
	int reprobe;
};

/* the options of both forms below OPT_TEAM, those of a command from it */
enum { OPT_REPROBE = 200, OPT_TEAM = 256, OPT_WORKERS, OPT_REPS, OPT_WARMUP, OPT_NAME, OPT_INTERFERENCE, OPT_PROFILE, OPT_PRINT_YAML };

static const struct option run_longopts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "scale", required_argument, NULL, 's' },
	{ "no-probe", no_argument, NULL, 'n' },
	{ "reprobe", no_argument, NULL, OPT_REPROBE },
	{ "help", no_argument, NULL, 'h' },
	{ "team", no_argument, NULL, OPT_TEAM },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "reps", required_argument, NULL, OPT_REPS },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "interference", no_argument, NULL, OPT_INTERFERENCE },
	{ "profile", no_argument, NULL, OPT_PROFILE },
	{ "print-yaml", no_argument, NULL, OPT_PRINT_YAML },
	{ 0 },
};

#define RUN_COMMAND_HINT "to measure a command, put it after '--': scalprof run [OPTIONS] -- COMMAND [ARGS...]"

/* Parses argv[0..argc) (the words before any "--", has_command when there
 * is one) into a; returns the
 * index of the first operand, or -1 with *ret_exit (0 after --help). */
static int run_parse(int argc, char **argv, int has_command, struct run_args *a, int *ret_exit)
{
	int ch, idx;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "d:qvs:nh", run_longopts, &idx)) != -1) {
		switch (ch) {
		case 'h': fputs(usage_run, stdout); *ret_exit = 0; return -1;
		case 'd': a->o.db = optarg; break;
		case 'q': a->o.quiet = 1; break;
		case 'v': a->o.verbose = 1; break;
		case 's': a->o.scale = optarg; break;
		case 'n': a->o.no_probe = 1; break;
		case OPT_REPROBE: a->reprobe = 1; break;
		case OPT_TEAM: a->cc.team = 1; break;
		case OPT_WORKERS: a->cc.workers = optarg; break;
		case OPT_REPS: a->cc.repetitions = optarg; break;
		case OPT_WARMUP: a->cc.warmup = optarg; break;
		case OPT_NAME: a->cc.name = optarg; break;
		case OPT_INTERFERENCE: a->cc.interference = 1; break;
		case OPT_PROFILE: a->cc.profile = 1; break;
		case OPT_PRINT_YAML: a->print_yaml = 1; break;
		default:
			if (optopt > 0 && optopt < 256 && strchr("ds", optopt))
				log_error("run: option '-%c' needs a value", optopt);
			else if (optopt > 0 && optopt < 256 && !has_command) /* likely the command's own */
				log_error("run: option '-%c' is unknown; " RUN_COMMAND_HINT, optopt);
			else if (optopt > 0 && optopt < 256)
				log_error("run: option '-%c' is unknown", optopt);
			else
				log_error("run: option '%s' is unknown or needs a value", argv[optind - 1]);
			fputs(usage_run, stderr);
			*ret_exit = EXIT_BADINPUT;
			return -1;
		}
		if (ch >= OPT_TEAM && !a->command_only)
			a->command_only = run_longopts[idx].name;
	}
	if (a->reprobe && a->o.no_probe) {
		log_error("run: --reprobe measures the ceiling and --no-probe does not: give one of them");
		*ret_exit = EXIT_BADINPUT;
		return -1;
	}
	return optind;
}

/* Loads the campaign written for the command a->cc: its text through
 * campaign_parse, as a file's would be. Returns 0 with *ret_c, or the exit
 * status after logging why, the value named by its option. */
static int command_campaign(struct run_args *a, const struct topology *topo, struct campaign **ret_c)
{
	static const struct { const char *path, *opt; } opts[] = {
		{ "workers", "--workers" }, { "repetitions", "--reps" }, { "warmup", "--warmup" },
		{ "name", "--name" },      { "workloads[0].name", "--name" }, { "scale", "--scale" },
	};
	char *text = campaign_command_yaml(&a->cc), *err = NULL;
	int r = campaign_parse("(command line)", text, strlen(text), topo, ret_c, &err);

	if (r < 0) {
		/* "(command line):LINE:COL: PATH: what" */
		const char *what = err, *opt = NULL, *val = NULL;

		for (int k = 0; k < 3 && strchr(what, ':'); k++)
			what = strchr(what, ':') + 1;
		what += *what == ' ';
		for (size_t k = 0; k < ARRAY_SIZE(opts) && !opt; k++)
			if (strncmp(what, opts[k].path, strlen(opts[k].path)) == 0 &&
			    strchr(":[", what[strlen(opts[k].path)])) {
				opt = opts[k].opt;
				val = k == 0 ? a->cc.workers : k == 1 ? a->cc.repetitions : k == 2 ? a->cc.warmup
				    : k == 5 ? a->cc.scale : a->cc.name;
			}
		if (opt && val)
			log_error("run: %s '%s': %s", opt, val, what);
		else
			log_error("run: the campaign written for the command: %s", what);
		free(err);
		free(text);
		return EXIT_BADINPUT;
	}
	if (a->print_yaml)
		fputs(text, stdout);
	free(text);
	return 0;
}

/* The campaign and topology of run's operands: one campaign file, or the
 * command after "--" (at dd; -1: none). Returns 0, or the exit status
 * after logging why. */
static int run_operands(int argc, char **argv, int i, int dd, struct run_args *a, struct topology **ret_topo,
			struct campaign **ret_c)
{
	int oend = dd >= 0 ? dd : argc;
	char cwd[PATH_MAX];

	if (dd >= 0) {
		if (i < oend) {
			log_error("run: '%s' before '--': give a campaign file, or a command after '--', not both", argv[i]);
			return EXIT_BADINPUT;
		}
		if (dd + 1 >= argc) {
			log_error("run: no command after '--' (scalprof run [OPTIONS] -- COMMAND [ARGS...])");
			return EXIT_BADINPUT;
		}
		if (!getcwd(cwd, sizeof(cwd))) {
			log_error("run: cannot read the current directory, where the command would run: %s",
				  strerror(errno));
			return EXIT_RUNTIME;
		}
		a->cc.argv = argv + dd + 1;
		a->cc.cwd = cwd;
		if (cli_load_topology(ret_topo) < 0)
			return EXIT_RUNTIME;
		return command_campaign(a, *ret_topo, ret_c);
	}
	if (a->command_only) {
		log_error("run: --%s applies to a command after '--' (a campaign file says it in its own keys)",
			  a->command_only);
		return EXIT_BADINPUT;
	}
	if (oend - i > 1) {
		log_error("run: expected one campaign file, got %d operands ('%s' ...); " RUN_COMMAND_HINT, oend - i,
			  argv[i]);
		return EXIT_BADINPUT;
	}
	if (oend - i == 1 && access(argv[i], F_OK) < 0 && !strstr(argv[i], ".yaml") && !strstr(argv[i], ".yml")) {
		log_error("run: '%s' is not a campaign file (%s); " RUN_COMMAND_HINT, argv[i], strerror(errno));
		return EXIT_BADINPUT;
	}
	return cli_campaign_operand(oend, argv, i, usage_run, NULL, ret_topo, ret_c);
}

/* Runs campaign c in the foreground into a->o.db and prints its table;
 * with resume_id, takes that stored campaign up again (its missing runs,
 * then confirm's). Returns the exit status. */
static int run_campaign(const struct run_args *a, struct topology *topo, struct campaign *c, int64_t resume_id)
{
	struct store *st;
	struct session_result res;
	char *user, *what;
	uint64_t max_bytes;
	int ex, r, sigfd, lockfd;

	if (cli_parse_max_mib("run", NULL, &max_bytes) < 0)
		return EXIT_BADINPUT;
	what = xasprintf("campaign '%s' from %s", c->name, c->source);
	lockfd = cli_take_experiment_lock(what);
	free(what);
	st = lockfd == -EBUSY ? NULL : open_store(a->o.db, lockfd);
	if (!st)
		return lockfd == -EBUSY ? EXIT_RUNTIME : EXIT_BADINPUT;
	sigfd = signals_fd();
	user = user_name(getuid());
	{
		struct run_ui ui = { .ps.tty = isatty(STDOUT_FILENO), .ps.verbose = a->o.verbose,
				     .ps.quiet = a->o.quiet, .quiet = a->o.quiet, .db = a->o.db, .name = c->name };
		struct session_hooks hooks = {
			.arg = &ui, .ceiling_start = ui_ceiling_start, .ceiling_end = ui_ceiling_end,
			.runs_start = ui_runs_start, .confirm_start = ui_confirm_start, .progress = progress,
		};
		struct session_opts so = {
			.kind = SESSION_FOREGROUND, .campaign = c, .topo = topo, .store = st, .user = user,
			.uid = getuid(), .measure_ceiling = !a->o.no_probe, .reprobe = a->reprobe, .resume_id = resume_id,
			.ceiling_max_bytes = max_bytes, .sigfd = sigfd, .version = scalprof_version(),
			.hooks = &hooks, .report_warmups = 1,
		};
		struct winsize ws;

		if (ui.ps.tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
			ui.ps.cols = ws.ws_col;
		r = session_run(&so, &res);
		if (ui.ps.tty && !a->o.quiet && !a->o.verbose && ui.started)
			printf("\r\033[K");
		ex = run_outcome(r, &res, &ui.ps, a->o.db);
		free(ui.ps.first_failure);
		free(ui.ps.first_tail);
	}
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
	if (sigfd >= 0)
		close(sigfd);
	return ex;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a = { .o.db = DEFAULT_DB };
	struct topology *topo = NULL;
	struct campaign *c = NULL;
	int dd = -1, ex = 0, i;

	/* the command after "--" is not scanned for options */
	for (int k = 1; k < argc && dd < 0; k++)
		if (strcmp(argv[k], "--") == 0)
			dd = k;
	i = run_parse(dd >= 0 ? dd : argc, argv, dd >= 0, &a, &ex);
	if (i < 0)
		return ex;
	if (a.print_yaml && dd < 0) {
		log_error("run: --print-yaml prints the campaign written for a command: scalprof run --print-yaml -- "
			  "COMMAND [ARGS...]");
		return EXIT_BADINPUT;
	}
	a.cc.scale = a.o.scale; /* a command's campaign says it in its text */
	ex = run_operands(argc, argv, i, dd, &a, &topo, &c);
	if (ex == 0 && a.o.scale && dd < 0) {
		double v;

		if (cli_parse_scale("run", a.o.scale, &v) < 0)
			ex = EXIT_BADINPUT;
		else
			campaign_set_scale(c, v);
	}
	if (ex == 0 && !a.print_yaml)
		ex = run_campaign(&a, topo, c, 0);
	campaign_free(c);
	topology_free(topo);
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

/* The stored campaign which of a->o.db (NULL: the latest), read back as
 * a campaign to take up again: *ret_c with its stored scale and confirm
 * set, and its id. Returns 0, or the exit status after logging why. */
static int confirm_campaign(const struct run_args *a, const char *which, const struct topology *topo,
			    struct campaign **ret_c, int64_t *ret_id)
{
	struct store *db = cli_open_readonly("confirm", a->o.db);
	char *source = NULL, *yaml = NULL, *err = NULL;
	size_t len = 0;
	double scale = 1;
	int r;

	if (!db)
		return EXIT_BADINPUT;
	r = which ? store_find_campaign(db, which, ret_id) : store_latest_campaign(db, ret_id);
	if (r == 0)
		r = store_campaign_text(db, *ret_id, &source, &yaml, &len, &scale);
	if (r == -ENOENT && which)
		log_error("confirm: no campaign '%s' in '%s' (ids and names: scalprof campaigns --db %s)", which, a->o.db,
			  a->o.db);
	else if (r == -ENOENT)
		log_error("confirm: no campaign in '%s' yet", a->o.db);
	else if (r < 0)
		log_error("confirm: database '%s': %s", a->o.db, store_errmsg(db));
	store_close(db);
	if (r == 0 && campaign_parse(source ? source : "(stored campaign)", yaml, len, topo, ret_c, &err) < 0) {
		log_error("confirm: the stored campaign no longer loads here: %s", err);
		r = -EINVAL;
	}
	if (r == 0) {
		campaign_set_scale(*ret_c, scale);
		(*ret_c)->confirm = 1;
	}
	free(err);
	free(source);
	free(yaml);
	return r == 0 ? 0 : r == -EIO ? EXIT_RUNTIME : EXIT_BADINPUT;
}

int cmd_confirm(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' }, { "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },  { "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct run_args a = { .o.db = DEFAULT_DB };
	struct topology *topo = NULL;
	struct campaign *c = NULL;
	int64_t id = 0;
	int ex, i = cli_parse_opts(argc, argv, usage_confirm, "d:qvh", longopts, &a.o, &ex);

	if (i < 0)
		return ex;
	if (argc - i > 1) {
		log_error("confirm: expected at most one campaign, got %d operands", argc - i);
		return EXIT_BADINPUT;
	}
	if (access(a.o.db, F_OK) < 0) {
		log_error("confirm: no database '%s' (%s)", a.o.db, strerror(errno));
		return EXIT_BADINPUT;
	}
	if (cli_load_topology(&topo) < 0)
		return EXIT_RUNTIME;
	a.o.no_probe = 1; /* the campaign's runs were judged against the ceiling it had */
	ex = confirm_campaign(&a, i < argc ? argv[i] : NULL, topo, &c, &id);
	if (ex == 0)
		ex = run_campaign(&a, topo, c, id);
	campaign_free(c);
	topology_free(topo);
	return ex;
}
