/* test-campaign.c: campaign loading, worker ranges, defaults, presets, the
 * position and path in error messages, and the plan built from a campaign.
 * The machine is a synthetic 2-socket, 8-core topology, whatever the host. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "model/campaign.h"
#include "model/plan.h"
#include "tap.h"

static struct topology *topo;

static struct campaign *parse(const char *text, char **err)
{
	struct campaign *c = NULL;

	*err = NULL;
	if (campaign_parse("t.yaml", text, strlen(text), topo, &c, err) < 0)
		return NULL;
	return c;
}

#define WL "workloads:\n  - name: a\n    command: [true]\n"

static void check_workers(const char *spec, const int *want, size_t n)
{
	char text[256], *err;
	struct campaign *c;
	int same;

	snprintf(text, sizeof(text), "name: w\nworkers: %s\n" WL, spec);
	c = parse(text, &err);
	if (!ok(c != NULL, "workers: %s loads", spec)) {
		printf("#   %s\n", err);
		free(err);
		return;
	}
	same = c->nworkers == n;
	for (size_t i = 0; same && i < n; i++)
		same = c->workers[i] == want[i];
	ok(same, "workers: %s expands as expected (%zu counts)", spec, c->nworkers);
	campaign_free(c);
}

static void check_error(const char *text, const char *want, const char *what)
{
	char *err;
	struct campaign *c = parse(text, &err);

	ok(c == NULL, "%s is rejected", what);
	is_str(err, want, "%s: message", what);
	campaign_free(c);
	free(err);
}

static void defaults(void)
{
	char *err;
	struct campaign *c = parse("name: d\n" WL, &err);

	if (!ok(c != NULL, "a minimal campaign loads")) {
		printf("#   %s\n", err);
		return;
	}
	is_int(c->repetitions, CAMPAIGN_DEFAULT_REPETITIONS, "repetitions default to 3");
	ok(c->timeout_s == CAMPAIGN_DEFAULT_TIMEOUT_S, "timeout_s defaults to 600");
	is_int(c->placement, PLACE_COMPACT, "placement defaults to compact");
	is_int(c->oversubscribe, 0, "oversubscribe defaults to false");
	is_int(c->nworkers, 8, "workers default to 1..all (8 here)");
	is_int(c->nevents, 8, "events default to sched + cache");
	is_str(c->events[0].name, "task-clock", "the first default event is task-clock");
	is_str(c->events[7].name, "LLC-load-misses", "the last default event is LLC-load-misses");
	is_int(c->workloads[0].mode, MODE_COPIES, "mode defaults to copies");
	ok(c->workloads[0].command[1] == NULL, "command is NULL-terminated for execvp");
	ok(campaign_python(c) == NULL, "no python workload");
	campaign_free(c);
}

static void full(void)
{
	char *err;
	struct campaign *c = parse("name: full\n"
				   "description: every key\n"
				   "workers: [1, 2, all]\n"
				   "repetitions: 2\n"
				   "timeout_s: 1.5\n"
				   "oversubscribe: false\n"
				   "placement: spread\n"
				   "events: [sched, task-clock, cycles]\n"
				   "workloads:\n"
				   "  - name: t\n"
				   "    command: [/usr/bin/python3, -c, pass]\n"
				   "    mode: team\n"
				   "    env: [A=1, B=two=2]\n"
				   "    cwd: /tmp\n"
				   "  - name: u\n"
				   "    command: [sh, -c, 'exit 0']\n",
				   &err);
	struct plan p;

	if (!ok(c != NULL, "a campaign with every key loads")) {
		printf("#   %s\n", err);
		return;
	}
	is_str(c->description, "every key", "description");
	is_int(c->repetitions, 2, "repetitions");
	ok(c->timeout_s == 1.5, "timeout_s takes a fraction");
	is_int(c->placement, PLACE_SPREAD, "placement spread");
	is_int(c->nevents, 5, "sched's 4 events + cycles; task-clock counted once");
	is_int(c->workloads[0].mode, MODE_TEAM, "mode team");
	is_int(c->workloads[0].env_count, 2, "two env entries");
	is_str(c->workloads[0].env[1], "B=two=2", "env keeps everything after the first =");
	is_str(c->workloads[0].cwd, "/tmp", "cwd");
	ok(campaign_python(c) == &c->workloads[0], "a python workload is noticed (its interpreter is asked its version)");

	plan_build(c, topology_cores(topo), &p);
	is_int(p.nruns, 2 * 2 * 3, "plan: repetitions x workloads x worker counts");
	is_int(plan_count(c, topology_cores(topo)), p.nruns, "plan_count agrees without planning");
	c->workloads[1].interference = 1;
	{
		struct plan pi;

		/* co-runs at every count below the cores, three kinds each */
		plan_build(c, 4, &pi);
		is_int(plan_count(c, 4), pi.nruns, "plan_count agrees with interference runs too");
		plan_clear(&pi);
	}
	c->workloads[1].interference = 0;
	ok(p.runs[0].repetition == 1 && p.runs[0].workload == 0 && p.runs[0].n_workers == 1, "plan starts at rep 1");
	ok(p.runs[5].repetition == 1 && p.runs[5].workload == 1 && p.runs[5].n_workers == 8,
	   "repetition 1 covers every workload and count first");
	ok(p.runs[6].repetition == 2 && p.runs[6].seq == 7, "then repetition 2");
	plan_clear(&p);
	campaign_free(c);
}

static void ranges(void)
{
	static const int w1234[] = { 1, 2, 3, 4 }, w8[] = { 8 }, w2to8[] = { 2, 3, 4, 5, 6, 7, 8 };
	static const int w124[] = { 1, 2, 4 }, w3[] = { 3 }, w18[] = { 1, 8 };

	check_workers("\"1..4\"", w1234, 4);
	check_workers("all", w8, 1);
	check_workers("\"2..all\"", w2to8, 7);
	check_workers("[1, 2, 4]", w124, 3);
	check_workers("3", w3, 1);
	check_workers("[1, all]", w18, 2);
	check_error("name: w\nworkers: \"3..2\"\n" WL,
		    "t.yaml:2:1: workers: bad range '3..2': expected FIRST..LAST with 1 <= FIRST <= LAST", "a backwards range");
	check_error("name: w\nworkers: \"0..2\"\n" WL,
		    "t.yaml:2:1: workers: bad range '0..2': expected FIRST..LAST with 1 <= FIRST <= LAST", "a range from 0");
	check_error("name: w\nworkers: \"1..x\"\n" WL,
		    "t.yaml:2:1: workers: bad range '1..x': expected FIRST..LAST with 1 <= FIRST <= LAST", "a range to a word");
	check_error("name: w\nworkers: [1, 9]\n" WL,
		    "t.yaml:2:14: workers[1]: 9 workers asked for, but this machine has 8 physical cores "
		    "(set oversubscribe: true to allow more)",
		    "more workers than cores");
	{
		char *err;
		struct campaign *c = parse("name: w\nworkers: [9, 16]\noversubscribe: true\n" WL, &err);

		ok(c && c->nworkers == 2 && c->workers[1] == 16, "oversubscribe: true allows 16 workers on 8 cores");
		campaign_free(c);
		free(err);
	}
	{
		/* found writing the fuzz harness (tests/fuzz/regressions/campaign): each
		 * count was compared with every one before it, so this range
		 * took hours; the alarm fails the test rather than hang it */
		char *err;
		struct campaign *c;

		alarm(60);
		c = parse("name: w\nworkers: \"1..1000000\"\noversubscribe: true\n" WL, &err);
		alarm(0);
		ok(c && c->nworkers == 1000000 && c->workers[999999] == 1000000,
		   "the largest range, 1..1000000, loads (and in time)");
		campaign_free(c);
		free(err);
	}
	check_error("name: w\nworkers: [1, 2, 1]\n" WL, "t.yaml:2:17: workers[2]: worker count 1 is listed twice",
		    "a count listed twice");
	check_error("name: w\nworkers: [1000000, 1, 1000000]\noversubscribe: true\n" WL,
		    "t.yaml:2:23: workers[2]: worker count 1000000 is listed twice", "the largest count listed twice");
}

static void errors(void)
{
	check_error("name: x\nworkloads:\n  - name: a\n    command: [ls]\n  - name: b\n    command: [ls]\n    mode: tem\n",
		    "t.yaml:7:5: workloads[1].mode: expected one of copies, team, got 'tem'", "a bad mode");
	check_error("name: x\nrepetitions: many\n" WL, "t.yaml:2:1: repetitions: expected an integer, got 'many'",
		    "a word for a number");
	check_error("name: x\nworkloads:\n  - name: a\n    command: [ls]\n    extra: 1\n",
		    "t.yaml:5:5: workloads[0].extra: unknown key (expected one of name, command, builtin, args, env, cwd, mode, interference, bandit)",
		    "an unknown workload key");
	check_error("name: x\nworkloads:\n  - command: [ls]\n", "t.yaml:3:5: workloads[0].name: required key is missing",
		    "a workload without a name");
	check_error("", "t.yaml:1:1: empty campaign: expected a mapping with at least name and workloads", "an empty file");
	check_error("name: x\nevents: [cycels]\n" WL, "t.yaml:2:10: events[0]: unknown event 'cycels' (did you mean 'cycles'?)",
		    "a misspelt event");
	check_error("name: x\nworkloads:\n  - name: a\n    command: [ls\n",
		    "t.yaml:5:1: syntax error: did not find expected ',' or ']' while parsing a flow sequence",
		    "a syntax error");
	{
		char *err;
		struct campaign *c = NULL;

		is_int(campaign_load("/nonexistent/c.yaml", topo, &c, &err), -ENOENT, "a missing file is -ENOENT");
		is_str(err, "cannot read campaign '/nonexistent/c.yaml': No such file or directory", "and says so");
		free(err);
	}
}

/* A text of n copies of a then n copies of b (fresh). */
static char *repeat2(const char *a, const char *b, size_t n)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(n * (la + lb) + 2), *p = s;

	for (size_t i = 0; i < n; i++, p += la)
		memcpy(p, a, la);
	for (size_t i = 0; i < n; i++, p += lb)
		memcpy(p, b, lb);
	strcpy(p, "\n");
	return s;
}

/* A valid campaign of exactly nodes nodes, its command padded with args. */
static char *campaign_of_nodes(size_t nodes)
{
	/* map, name, x, workloads, seq, map, name, a, command, seq, true: 11 */
	const char *head = "name: x\nworkloads:\n  - name: a\n    command: [true";
	char *s = malloc(strlen(head) + 3 * nodes + 3), *p = s + strlen(head);

	strcpy(s, head);
	for (size_t i = 11; i < nodes; i++, p += 3)
		memcpy(p, ", a", 3);
	strcpy(p, "]\n");
	return s;
}

/* The limits of campaign.h, checked before loading, with the position of
 * the first node over them; the megabyte of "[[[[" that stalled scalprofd
 * refused in milliseconds. */
static void bounds(void)
{
	char *text, *err, want[128];
	struct campaign *c;
	int64_t t0;
	double secs;
	size_t len;

	text = repeat2("[", "]", CAMPAIGN_MAX_DEPTH);
	check_error(text, "t.yaml:1:1: expected a mapping, got a list", "a list nested 64 deep (past the depth check)");
	free(text);
	text = repeat2("[", "]", CAMPAIGN_MAX_DEPTH + 1);
	check_error(text, "t.yaml:1:65: the campaign nests deeper than 64 levels", "a list nested 65 deep");
	free(text);
	check_error("name: x\nworkloads:\n  - name: a\n    command: [true, [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
		    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
		    "t.yaml:4:81: the campaign nests deeper than 64 levels", "a command nested 65 deep, unclosed");
	text = xstrdup("");
	for (int d = 0; d <= CAMPAIGN_MAX_DEPTH; d++) {
		char *more = xasprintf("%s%*sk%d:\n", text, d, "", d);

		free(text);
		text = more;
	}
	check_error(text, "t.yaml:65:65: the campaign nests deeper than 64 levels", "block mappings nested 65 deep");
	free(text);

	text = campaign_of_nodes(CAMPAIGN_MAX_NODES);
	c = parse(text, &err);
	ok(c && c->workloads[0].command_count == CAMPAIGN_MAX_NODES - 10, "a campaign of 4096 nodes loads");
	campaign_free(c);
	free(err);
	free(text);
	text = campaign_of_nodes(CAMPAIGN_MAX_NODES + 1);
	snprintf(want, sizeof(want), "t.yaml:4:%d: the campaign has more than 4096 nodes (keys, values and lists)",
		 21 + 3 * (CAMPAIGN_MAX_NODES - 11));
	check_error(text, want, "a campaign of 4097 nodes");
	free(text);

	text = malloc(CAMPAIGN_MAX_BYTES + 2);
	len = (size_t)snprintf(text, CAMPAIGN_MAX_BYTES, "name: x\nworkloads:\n  - name: a\n    command: [true]\n#");
	memset(text + len, 'c', CAMPAIGN_MAX_BYTES + 1 - len);
	text[CAMPAIGN_MAX_BYTES + 1] = '\0';
	check_error(text, "t.yaml: campaign larger than 1048576 bytes", "a text of a megabyte and a byte");
	text[CAMPAIGN_MAX_BYTES - 1] = '\n';
	text[CAMPAIGN_MAX_BYTES] = '\0';
	c = parse(text, &err);
	ok(c != NULL, "a campaign of exactly a megabyte loads");
	campaign_free(c);
	free(err);

	memset(text, '[', CAMPAIGN_MAX_BYTES);
	t0 = mono_ns();
	check_error(text, "t.yaml:1:65: the campaign nests deeper than 64 levels", "a megabyte of '['");
	secs = (double)(mono_ns() - t0) / 1e9;
	ok(secs < 0.25, "and refused in %.4f s (libyaml alone: minutes)", secs);
	free(text);
}

static void builtins_scale_cwd(void)
{
	char *err, cwd[4096];
	struct campaign *c;

	setenv("SCALPROF_KERNELS", "/bin/true", 1);
	c = parse("name: b\nscale: 0.25\nworkloads:\n"
		  "  - name: s\n    builtin: stream\n    args: [size=1M, ntimes=3]\n    cwd: .\n"
		  "  - name: p\n    builtin: pingpong\n    mode: team\n    cwd: /\n",
		  &err);
	if (!ok(c != NULL, "a campaign of builtins loads")) {
		printf("#   %s\n", err);
		free(err);
		return;
	}
	is_str(c->workloads[0].command[0], "/bin/true", "a builtin runs SCALPROF_KERNELS");
	is_str(c->workloads[0].command[1], "stream", "with its name");
	is_str(c->workloads[0].command[3], "ntimes=3", "and its arguments");
	ok(c->workloads[0].command[4] == NULL, "NULL-terminated");
	ok(c->scale == 0.25, "scale is read");
	is_int(campaign_set_scale(c, 0), -EINVAL, "a zero scale is refused");
	is_int(campaign_set_scale(c, 2), 0, "a scale of 2 is taken");
	ok(c->scale == 2, "and replaces the campaign's");
	ok(getcwd(cwd, sizeof(cwd)) != NULL, "getcwd");
	is_str(c->workloads[0].cwd, cwd, "a relative cwd is resolved from the campaign's directory");
	is_str(c->workloads[1].cwd, "/", "an absolute cwd is kept");
	campaign_free(c);
	unsetenv("SCALPROF_KERNELS");
}

/* Submitted to the daemon (root), nothing is looked up: cwds are joined
 * to the campaign's directory, a missing one is not an error, and a
 * workload without cwd gets that directory. */
static void submitted_cwd(void)
{
	static const char text[] = "name: s\nworkloads:\n"
				   "  - name: rel\n    command: [true]\n    cwd: data/../x\n"
				   "  - name: abs\n    command: [true]\n    cwd: /nonexistent/private\n"
				   "  - name: none\n    command: [true]\n";
	struct campaign *c = NULL;
	char *err = NULL;

	if (!ok(campaign_parse_submitted("/home/alice/proj/c.yaml", text, strlen(text), topo, NULL, &c, &err) == 0,
		"submitted: a campaign whose directories the daemon never looks at loads")) {
		printf("#   %s\n", err);
		free(err);
		return;
	}
	is_str(c->workloads[0].cwd, "/home/alice/proj/data/../x", "submitted: a relative cwd is joined, not resolved");
	is_str(c->workloads[1].cwd, "/nonexistent/private", "submitted: an absolute one is kept, not checked");
	is_str(c->workloads[2].cwd, "/home/alice/proj", "submitted: no cwd is the campaign file's directory");
	campaign_free(c);
	ok(campaign_parse("c.yaml", text, strlen(text), topo, &c, &err) < 0 && strstr(err, "no such directory"),
	   "loaded by its user, the same campaign's missing directory is an error");
	free(err);
}

/* The campaign written for a command reads back through campaign_parse
 * with every argument byte for byte, whatever it holds (YAML's own
 * characters, quotes, control characters, UTF-8), and its options as keys. */
static void command_text(void)
{
	char *const argv[] = { "/usr/bin/python3", "-c", "print(\"a\\b\")\n\tx = 'y'", "key: value", "- item",
			       "[a, b]", "#not a comment", "", "\x01\x7f", "caf\xc3\xa9", "{x}", NULL };
	char dir[] = "/tmp/scalprof unit \"dir\" XXXXXX"; /* a space and quotes in the cwd too */
	struct campaign_command cc = { .argv = argv, .cwd = dir, .workers = "1,2,4", .warmup = "2",
				       .repetitions = "5" };
	struct campaign *c;
	char *text, *err;
	size_t i;

	if (!ok(mkdtemp(dir) != NULL, "mkdtemp"))
		return;
	text = campaign_command_yaml(&cc);
	c = parse(text, &err);
	free(text);
	rmdir(dir);
	if (!ok(c != NULL, "the campaign written for a command loads: %s", err ? err : "")) {
		free(err);
		return;
	}
	for (i = 0; argv[i] && c->workloads[0].command[i] && strcmp(argv[i], c->workloads[0].command[i]) == 0; i++)
		;
	ok(!argv[i] && !c->workloads[0].command[i], "every argument reads back as given (%zu of 11)", i);
	ok(strcmp(c->name, "python3") == 0 && strcmp(c->workloads[0].name, "python3") == 0,
	   "named after the command's basename");
	ok(strcmp(c->workloads[0].cwd, dir) == 0, "it runs in the directory given");
	ok(c->nworkers == 3 && c->workers[2] == 4, "--workers 1,2,4 is the list [1, 2, 4]");
	ok(c->repetitions == 5 && c->warmup == 2, "repetitions and warmup as given");
	ok(c->workloads[0].mode == MODE_COPIES && !c->workloads[0].interference && c->profile_hz == 0,
	   "copies, no interference, no profile by default");
	campaign_free(c);

	cc = (struct campaign_command){ .argv = argv, .cwd = "/", .name = "n", .team = 1, .profile = 1 };
	text = campaign_command_yaml(&cc);
	c = parse(text, &err);
	free(text);
	ok(c && c->nworkers == 8 && c->repetitions == 3 && c->warmup == 0, "defaults: 1..all (8), 3 repetitions, no warm-up");
	ok(c && c->workloads[0].mode == MODE_TEAM && c->profile_hz > 0 && strcmp(c->name, "n") == 0,
	   "--team, --profile and --name");
	campaign_free(c);
	free(err);

	cc = (struct campaign_command){ .argv = argv, .cwd = "/", .repetitions = "3\nname: injected" };
	text = campaign_command_yaml(&cc);
	c = parse(text, &err);
	free(text);
	ok(!c && err && strstr(err, "repetitions: expected a whole number"), "a value cannot add a key: %s", err);
	campaign_free(c);
	free(err);
}

static void warmup_key(void)
{
	char *err;
	struct campaign *c = parse("name: w\nwarmup: 100\n" WL, &err);

	ok(c && c->warmup == 100, "warmup: 100 is the most");
	campaign_free(c);
	c = parse("name: w\n" WL, &err);
	ok(c && c->warmup == 0, "warmup defaults to 0");
	campaign_free(c);
	c = parse("name: w\nwarmup: -1\n" WL, &err);
	ok(!c && err && strcmp(err, "t.yaml:2:1: warmup: must be between 0 and 100, got -1") == 0, "warmup: -1: %s", err);
	free(err);
}

static void bandit_key(void)
{
	char *err;
	struct campaign *c;

	setenv("SCALPROF_KERNELS", "/bin/true", 1); /* the co-runners are kernels */
	c = parse("name: b\nbandit: true\n" WL, &err);

	ok(c && c->workloads[0].nbandit == 5 && c->workloads[0].bandit[1] == 0.25 && c->workloads[0].bandit[4] == 1,
	   "bandit: true gives 0, 0.25, 0.5, 0.75, 1");
	campaign_free(c);
	c = parse("name: b\n" WL, &err);
	ok(c && c->workloads[0].nbandit == 0, "no bandit by default");
	campaign_free(c);
	c = parse("name: b\nbandit: [0, 1]\nworkloads:\n  - name: x\n    command: [true]\n"
		  "  - name: y\n    command: [true]\n    bandit: false\n", &err);
	ok(c && c->workloads[0].nbandit == 2 && c->workloads[1].nbandit == 0, "a workload turns the campaign's off");
	campaign_free(c);
	check_error("name: b\nbandit: sometimes\n" WL, "t.yaml:2:1: bandit: expected true or false, got 'sometimes'",
		    "bandit: sometimes");
	check_error("name: b\nbandit: [0]\n" WL,
		    "t.yaml:2:1: bandit: give from 2 to 11 levels (a curve needs two points), got 1", "one level");
	check_error("name: b\nbandit: [0, 1.5]\n" WL,
		    "t.yaml:2:13: bandit[1]: a level is a fraction of the co-runner's full rate, from 0 to 1, got 1.5",
		    "a level above 1");
	check_error("name: b\nbandit: [0.5, 0.5]\n" WL, "t.yaml:2:15: bandit[1]: level 0.5 is listed twice", "a level twice");
	check_error("name: b\nbandit: [0, half]\n" WL,
		    "t.yaml:2:13: bandit[1]: expected a number like 0.5, got 'half'", "a word");
	check_error("name: b\nbandit: {a: 1}\n" WL,
		    "t.yaml:2:1: bandit: expected true, false or a list of levels like [0, 0.25, 0.5, 0.75, 1]", "a mapping");
	setenv("SCALPROF_KERNELS", "/nonexistent/scalprof-kernels", 1);
	check_error("name: b\nbandit: [0, 1]\n" WL,
		    "t.yaml:2:1: bandit: bandit needs scalprof-kernels, not found at '/nonexistent/scalprof-kernels' "
		    "(run make, or set SCALPROF_KERNELS)", "bandit without the kernels");
	unsetenv("SCALPROF_KERNELS");
}

int main(void)
{
	if (topology_new_synthetic("pack:2 l3:1 core:4 pu:2", &topo) < 0) {
		printf("Bail out! no synthetic topology\n");
		return 1;
	}
	defaults();
	full();
	ranges();
	errors();
	bounds();
	builtins_scale_cwd();
	submitted_cwd();
	command_text();
	warmup_key();
	bandit_key();
	topology_free(topo);
	return done_testing();
}
