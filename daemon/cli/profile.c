/* profile.c: scalprof flamegraph -- a profiled run's stacks (profile: in
 * the campaign) as a self-contained interactive SVG flame graph, as the
 * folded text other tools read, or as a differential graph of two runs
 * per unit of work. Reads the database read-only. See commands.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/flame.h"
#include "analysis/profview.h"
#include "base/log.h"
#include "base/util.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "store/profiles.h"
#include "store/store.h"

const char usage_flamegraph[] =
	"usage: scalprof flamegraph RUN_ID [--db PATH] [--offcpu] [--folded] [-o FILE]\n"
	"       scalprof flamegraph --diff RUN_A RUN_B [--db PATH] [--offcpu] [-o FILE]\n"
	"\n"
	"Draws the call stacks of a run measured with profile: in its campaign as a\n"
	"flame graph: a self-contained SVG to open in a browser (hover: a frame's share;\n"
	"click: zoom to it). Widths are on-CPU samples, or with --offcpu the time the\n"
	"threads spent off the CPU (blocked, or preempted and waiting for a core) where\n"
	"they left it. --diff draws RUN_B with each frame coloured by how its cost per\n"
	"unit of work grew (red) or shrank (blue) against RUN_A, e.g. 1 worker against N.\n"
	"  -d, --db PATH     database file (default ./" DEFAULT_DB ")\n"
	"      --offcpu      off-CPU time instead of on-CPU samples\n"
	"      --folded      print the folded stacks (\"a;b;c 12\" per line) that\n"
	"                    speedscope, inferno and FlameGraph read, instead of SVG\n"
	"      --diff        two runs: the baseline RUN_A, then RUN_B\n"
	"  -o, --output FILE write to FILE instead of standard output\n"
	"  -h, --help        this text\n"
	"RUN_ID is runs.id, shown by scalprof report --runs.\n"
	"exit status: 0, 1 the database could not be read or FILE not written,\n"
	"2 bad usage, no such run, or a run without a profile\n";

static int parse_run_id(const char *text, int64_t *ret)
{
	char *end;
	long long id = strtoll(text, &end, 10);

	if (!*text || *end || id <= 0) {
		log_error("flamegraph: expected a run id (runs.id), got '%s'", text);
		return -EINVAL;
	}
	*ret = id;
	return 0;
}

/* A run's profile summary and stacks; logs why not. Returns 0, or the
 * exit status. */
static int load_run(struct store *db, const char *path, int64_t id, struct pinfo *info, struct pstack **ret,
		    size_t *ret_n)
{
	int r = store_profile_info(db, id, info);

	if (r == -ENOENT) {
		log_error("flamegraph: run %lld in '%s' has no profile (or does not exist): "
			  "its campaign needs profile: true", (long long)id, path);
		return EXIT_BADINPUT;
	}
	if (r == 0)
		r = store_profile_stacks(db, id, 1, ret, ret_n);
	if (r < 0) {
		log_error("flamegraph: database '%s': %s", path, store_errmsg(db));
		return EXIT_RUNTIME;
	}
	return 0;
}

static char *run_title(const struct pinfo *p, int offcpu)
{
	return xasprintf("run %lld: %s, %d worker%s, repetition %d, %s", (long long)p->run_id, p->workload,
			 p->n_workers, p->n_workers == 1 ? "" : "s", p->repetition, offcpu ? "off-CPU" : "on-CPU");
}

static char *run_subtitle(const struct pinfo *p, const struct pinfo *base, double total, int offcpu)
{
	char *s = xasprintf("%s%.0f %s at %d Hz, %.3f s wall%s%s", base ? "against " : "",
			    total, offcpu ? "ms off the CPU" : "samples", p->hz, p->wall_s, p->note ? "; " : "",
			    p->note ? p->note : "");

	if (base) {
		char *b = xasprintf("widths: run %lld; colour: growth per unit of work against run %lld (%s, %d "
				    "worker%s); %s",
				    (long long)p->run_id, (long long)base->run_id, base->workload, base->n_workers,
				    base->n_workers == 1 ? "" : "s", s + strlen("against "));

		free(s);
		s = b;
	}
	return s;
}

/* Writes the graph of v (and base, for --diff) to o->output or stdout. */
static int write_graph(const struct cli_opts *o, const struct pview *v, const struct pinfo *run,
		       const struct pinfo *base)
{
	char *title = run_title(run, o->offcpu), *sub = run_subtitle(run, base, v->total, o->offcpu);
	struct flame_input in = { .stacks = v->stacks, .nstacks = v->n, .title = title, .subtitle = sub,
				  .unit = o->offcpu ? "ms off-CPU" : "samples", .diff = base != NULL };
	FILE *out = o->output ? fopen(o->output, "we") : stdout;
	int r;

	if (!out) {
		log_error("flamegraph: cannot write '%s': %s", o->output, strerror(errno));
		free(title);
		free(sub);
		return EXIT_RUNTIME;
	}
	r = o->folded ? flame_folded(out, &in) : flame_svg(out, &in);
	if (o->output && fclose(out) != 0 && r == 0)
		r = -errno;
	if (r < 0)
		log_error("flamegraph: writing %s: %s", o->output ? o->output : "standard output", strerror(-r));
	free(title);
	free(sub);
	return r < 0 ? EXIT_RUNTIME : 0;
}

static int flamegraph(struct store *db, const struct cli_opts *o, const int64_t *ids, int nids)
{
	struct pinfo info[2] = { 0 };
	struct pstack *s[2] = { NULL, NULL };
	size_t n[2] = { 0, 0 };
	struct pview v = { 0 };
	int ex = 0;

	for (int k = 0; k < nids && ex == 0; k++)
		ex = load_run(db, o->db, ids[k], &info[k], &s[k], &n[k]);
	if (ex == 0 && nids == 1) {
		pview_add(&v, s[0], n[0], o->offcpu, 1, 0);
	} else if (ex == 0) {
		/* RUN_A's cost per unit of work, at RUN_B's work and rate */
		double ua = info[0].units > 0 ? info[0].units : 1, ub = info[1].units > 0 ? info[1].units : 1;
		double rate = o->offcpu || info[0].hz <= 0 ? 1 : (double)info[1].hz / info[0].hz;

		pview_add(&v, s[1], n[1], o->offcpu, 1, 0);
		pview_add(&v, s[0], n[0], o->offcpu, rate * ub / ua, 1);
	}
	if (ex == 0 && v.total <= 0)
		log_warnx("flamegraph: run %lld has no %s samples", (long long)ids[nids - 1],
			    o->offcpu ? "off-CPU" : "on-CPU");
	if (ex == 0)
		ex = write_graph(o, &v, &info[nids - 1], nids == 2 ? &info[0] : NULL);
	pview_clear(&v);
	for (int k = 0; k < 2; k++) {
		pstacks_free(s[k], n[k]);
		pinfo_clear(&info[k]);
	}
	return ex;
}

int cmd_flamegraph(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "offcpu", no_argument, NULL, 'O' },
		{ "folded", no_argument, NULL, 'F' },
		{ "diff", no_argument, NULL, 'D' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct cli_opts o = { .db = DEFAULT_DB };
	struct store *db;
	int64_t ids[2];
	int ex, i = cli_parse_opts(argc, argv, usage_flamegraph, "d:o:h", longopts, &o, &ex), want;

	if (i < 0)
		return ex;
	want = o.diff ? 2 : 1;
	if (argc - i != want) {
		log_error("flamegraph: expected %s", o.diff ? "two run ids with --diff" : "one run id");
		fputs(usage_flamegraph, stderr);
		return EXIT_BADINPUT;
	}
	if (o.diff && o.folded) {
		log_error("flamegraph: --folded has no colours: it cannot show a --diff");
		return EXIT_BADINPUT;
	}
	for (int k = 0; k < want; k++)
		if (parse_run_id(argv[i + k], &ids[k]) < 0)
			return EXIT_BADINPUT;
	db = cli_open_readonly("flamegraph", o.db);
	if (!db)
		return EXIT_BADINPUT;
	ex = flamegraph(db, &o, ids, want);
	store_close(db);
	return ex;
}
