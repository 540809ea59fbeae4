/* test-plan.c: campaigns, parsed from text, expanded into their plan
 * (model/plan.c): how many runs, in what order (repetitions outermost, then
 * workloads, then worker counts; co-runs after every ordinary run), each
 * (workload, count, repetition) once, seq numbers 1..n, co-runs only below
 * the core count and only for workloads with interference, and plan_count
 * agreeing with plan_build on every campaign here. The machine is a
 * synthetic 8-core one, whatever the host. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/topology.h"
#include "model/campaign.h"
#include "model/plan.h"
#include "tap.h"

static struct topology *topo;
static int ncores;

/* d NULL: the built-in defaults */
static struct campaign *parse_with(const char *text, const struct campaign_defaults *d)
{
	static const struct campaign_defaults none;
	struct campaign *c = NULL;
	char *err = NULL;

	if (!d)
		d = &none;
	if (campaign_parse_submitted("p.yaml", text, strlen(text), topo, d, &c, &err) < 0) {
		printf("#   %s\n", err);
		free(err);
		return NULL;
	}
	return c;
}

static struct campaign *parse(const char *text)
{
	return parse_with(text, NULL);
}

/* plan_build on c for cores; checks plan_count and the seq numbers */
static int build(const struct campaign *c, int cores, struct plan *p, const char *what)
{
	int seq_ok = 1;

	plan_build(c, cores, p);
	is_int(plan_count(c, cores), p->nruns, "%s: plan_count agrees with plan_build (%zu runs)", what, p->nruns);
	for (size_t i = 0; i < p->nruns; i++)
		seq_ok &= p->runs[i].seq == (int)i + 1;
	return ok(seq_ok, "%s: seq numbers are 1..%zu in order", what, p->nruns);
}

/* how many runs of p are (workload, n, rep, corunner) */
static int count_of(const struct plan *p, size_t w, int n, int rep, enum corunner k)
{
	int found = 0;

	for (size_t i = 0; i < p->nruns; i++)
		found += p->runs[i].workload == w && p->runs[i].n_workers == n && p->runs[i].repetition == rep &&
			 p->runs[i].corunner == k;
	return found;
}

/* text, under defaults d, must plan want runs */
static void planned(const char *text, const struct campaign_defaults *d, size_t want, const char *what)
{
	struct campaign *c = parse_with(text, d);
	struct plan p;

	if (!ok(c != NULL, "%s: parses", what))
		return;
	build(c, ncores, &p, what);
	is_int(p.nruns, want, "%s: %zu runs", what, want);
	plan_clear(&p);
	campaign_free(c);
}

#define TWO_WORKLOADS "workloads:\n  - name: a\n    command: [true]\n  - name: b\n    command: [true]\n"

static void ordinary(void)
{
	struct campaign *c = parse("name: o\nworkers: [1, 2, 4]\nrepetitions: 2\n" TWO_WORKLOADS);
	struct plan p;
	int order_ok = 1, once = 1;
	size_t k = 0;

	if (!ok(c != NULL, "a campaign of 2 workloads, 3 counts, 2 repetitions parses"))
		return;
	build(c, ncores, &p, "ordinary");
	is_int(p.nruns, 2 * 2 * 3, "repetitions x workloads x counts");
	/* repetitions outermost, then workloads, then counts as listed */
	for (int rep = 1; rep <= 2; rep++)
		for (size_t w = 0; w < 2; w++)
			for (size_t i = 0; i < 3; i++, k++)
				order_ok &= k < p.nruns && p.runs[k].repetition == rep && p.runs[k].workload == w &&
					    p.runs[k].n_workers == c->workers[i] && p.runs[k].corunner == CORUN_NONE;
	ok(order_ok, "in order: repetition, then workload, then worker count, no co-runner");
	for (int rep = 1; rep <= 2; rep++)
		for (size_t w = 0; w < 2; w++)
			for (size_t i = 0; i < 3; i++)
				once &= count_of(&p, w, c->workers[i], rep, CORUN_NONE) == 1;
	ok(once, "every (workload, count, repetition) planned exactly once");
	ok(p.runs[5].repetition == 1 && p.runs[6].repetition == 2,
	   "repetition 1 covers every workload and count before repetition 2 starts");
	plan_clear(&p);
	ok(p.runs == NULL && p.nruns == 0, "plan_clear frees and empties");
	plan_clear(&p);
	ok(1, "plan_clear twice is harmless");
	campaign_free(c);

	/* the counts' order is the campaign's, not sorted */
	c = parse("name: o\nworkers: [4, 1]\nrepetitions: 1\n" TWO_WORKLOADS);
	if (ok(c != NULL, "workers: [4, 1] parses")) {
		build(c, ncores, &p, "counts as listed");
		ok(p.nruns == 4 && p.runs[0].n_workers == 4 && p.runs[1].n_workers == 1,
		   "worker counts are planned in the order the campaign lists them");
		plan_clear(&p);
		campaign_free(c);
	}
}

static void with_interference(void)
{
	/* a with interference, b without; 8 is not below the 8 cores */
	struct campaign *c = parse("name: i\nworkers: [1, 2, 8]\nrepetitions: 3\nworkloads:\n"
				   "  - name: a\n    command: [true]\n    interference: true\n"
				   "  - name: b\n    command: [true]\n");
	static const enum corunner kinds[] = {CORUN_BANDWIDTH, CORUN_CACHE, CORUN_CPU};
	struct plan p;
	int first_corun = -1, ordinary_first = 1, once = 1, none_for_b = 1, none_at_8 = 1, order_ok = 1;
	size_t k = 18;

	if (!ok(c != NULL, "a campaign with interference on one workload parses"))
		return;
	build(c, ncores, &p, "interference");
	is_int(p.nruns, 3 * 2 * 3 + 3 * 2 * 3,
	       "18 ordinary runs, and 3 kinds x 2 counts below 8 cores x 3 repetitions");
	for (size_t i = 0; i < p.nruns; i++) {
		if (p.runs[i].corunner != CORUN_NONE && first_corun < 0)
			first_corun = (int)i;
		if (first_corun >= 0 && p.runs[i].corunner == CORUN_NONE)
			ordinary_first = 0;
		none_for_b &= p.runs[i].workload == 0 || p.runs[i].corunner == CORUN_NONE;
		none_at_8 &= p.runs[i].n_workers < ncores || p.runs[i].corunner == CORUN_NONE;
	}
	is_int(first_corun, 18, "the co-runs start after every ordinary run");
	ok(ordinary_first, "and no ordinary run comes after a co-run");
	ok(none_for_b, "a workload without interference gets no co-runs");
	ok(none_at_8, "no co-run at a count that leaves no core free");
	for (int rep = 1; rep <= 3; rep++)
		for (int n = 1; n <= 2; n++)
			for (size_t j = 0; j < 3; j++)
				once &= count_of(&p, 0, n, rep, kinds[j]) == 1;
	ok(once, "each co-runner once per count below the cores and repetition");
	/* co-runs: repetition, then count, then bandwidth, cache, cpu */
	for (int rep = 1; rep <= 3; rep++)
		for (int n = 1; n <= 2; n++)
			for (size_t j = 0; j < 3; j++, k++)
				order_ok &= k < p.nruns && p.runs[k].repetition == rep && p.runs[k].n_workers == n &&
					    p.runs[k].corunner == kinds[j];
	ok(order_ok, "co-runs in order: repetition, count, then bandwidth, cache, cpu side by side");
	is_str(corunner_name(p.runs[18].corunner), "bandwidth", "the first co-run is beside the bandwidth co-runner");
	plan_clear(&p);

	/* fewer cores: fewer co-runs */
	build(c, 2, &p, "interference on 2 cores");
	is_int(p.nruns, 18 + 3 * 1 * 3, "on 2 cores only the count 1 gets co-runs");
	plan_clear(&p);
	build(c, 1, &p, "interference on 1 core");
	is_int(p.nruns, 18, "on 1 core none do");
	plan_clear(&p);
	campaign_free(c);

	/* the campaign's interference, turned off by one workload */
	c = parse("name: j\nworkers: [1]\nrepetitions: 5\ninterference: true\nworkloads:\n"
		  "  - name: s\n    command: [true]\n  - name: q\n    command: [true]\n    interference: false\n");
	if (ok(c != NULL, "interference for the campaign, off for one workload, parses")) {
		build(c, ncores, &p, "campaign interference");
		is_int(p.nruns, 2 * 5 + 3 * 5, "5 runs each, and 3 co-runs per repetition for the one workload");
		is_int(count_of(&p, 1, 1, 5, CORUN_CPU), 0, "none for the workload that turned it off");
		is_int(count_of(&p, 0, 1, 5, CORUN_CPU), 1, "one beside the CPU co-runner in the last repetition");
		plan_clear(&p);
		campaign_free(c);
	}

	/* oversubscribed counts above the cores get no co-runs */
	planned("name: v\nworkers: [1, 16]\noversubscribe: true\nrepetitions: 1\ninterference: true\n"
		"workloads:\n  - name: s\n    command: [true]\n",
		NULL, 2 + 3, "oversubscribed with interference: 2 ordinary runs, co-runs only at 1 worker");
}

static void with_bandit(void)
{
	/* a with the default levels, b with its own three; 8 is not below the 8 cores */
	struct campaign *c = parse("name: b\nworkers: [1, 8]\nrepetitions: 3\nbandit: true\nworkloads:\n"
				   "  - name: a\n    command: [true]\n    interference: true\n"
				   "  - name: b\n    command: [true]\n    bandit: [1, 0, 0.5]\n");
	struct plan p;
	int after = 1, levels_ok = 1, turns = 1, classic_full = 1;
	size_t first = 0;

	if (!ok(c != NULL, "a campaign with bandit levels parses"))
		return;
	build(c, ncores, &p, "bandit");
	is_int(p.nruns, 3 * 2 * 2 + 3 * 3 + 3 * (5 + 3), "12 ordinary, 9 co-runs, and (5 + 3 levels) x 3 repetitions at 1 worker");
	for (size_t i = 0; i < p.nruns; i++) {
		const struct plan_run *r = &p.runs[i];

		if (r->bandit && !first)
			first = i;
		after &= !first || r->bandit;
		levels_ok &= !r->bandit || (r->corunner == CORUN_BANDWIDTH && r->n_workers == 1);
		classic_full &= r->bandit || r->level == 1;
	}
	is_int((int)first, 12 + 9, "the bandit runs come after the interference runs");
	ok(after, "and nothing else after them");
	ok(levels_ok, "each beside the bandwidth co-runner, only below the cores");
	ok(classic_full, "every other run has level 1 (the co-runner unpaced)");
	/* repetition 1 of a: 0, 0.25, ... 1; repetition 2 starts at 0.25 */
	ok(p.runs[21].workload == 0 && p.runs[21].level == 0 && p.runs[25].level == 1, "repetition 1 of a: levels as listed");
	ok(p.runs[26].workload == 1 && p.runs[26].level == 1 && p.runs[28].level == 0.5, "then b's levels as listed");
	turns = p.runs[29].repetition == 2 && p.runs[29].level == 0.25 && p.runs[33].level == 0 &&
		p.runs[34].level == 0 && p.runs[42].level == 0.5;
	ok(turns, "each repetition starts one level further on");
	plan_clear(&p);
	build(c, 1, &p, "bandit on 1 core");
	is_int(p.nruns, 12, "on 1 core no co-runs at all");
	plan_clear(&p);
	campaign_free(c);
}

static void repetitions_and_defaults(void)
{
	struct campaign_defaults d = {.repetitions = 5};
	struct campaign *c = parse("name: d\nworkers: [1, 2]\nworkloads:\n  - name: a\n    command: [true]\n");
	struct plan p;

	if (ok(c != NULL, "a campaign without repetitions parses")) {
		build(c, ncores, &p, "built-in default");
		is_int(p.nruns, CAMPAIGN_DEFAULT_REPETITIONS * 2, "the built-in default of 3 repetitions");
		is_int(p.runs[p.nruns - 1].repetition, CAMPAIGN_DEFAULT_REPETITIONS, "the last run is repetition 3");
		plan_clear(&p);
		campaign_free(c);
	}
	planned("name: d\nworkers: [1, 2]\nworkloads:\n  - name: a\n    command: [true]\n", &d, 5 * 2,
		"under scalprofd's default of 5 repetitions");
	planned("name: d\nworkers: [1, 2]\nrepetitions: 1\nworkloads:\n  - name: a\n    command: [true]\n", &d, 2,
		"a campaign that says 1 under a default of 5: its own");
	planned("name: big\nworkers: \"1..all\"\nrepetitions: 1000\ninterference: true\n" TWO_WORKLOADS, NULL,
		1000 * 2 * (8 + 3 * 7),
		"1..all workers, 1000 repetitions, interference: 1000 x 2 x (8 + 3 kinds x 7 below 8)");
}

static void names(void)
{
	ok(corunner_name(CORUN_NONE) == NULL, "corunner_name: none is NULL");
	is_str(corunner_name(CORUN_BANDWIDTH), "bandwidth", "corunner_name: bandwidth");
	is_str(corunner_name(CORUN_CACHE), "cache", "corunner_name: cache");
	is_str(corunner_name(CORUN_CPU), "cpu", "corunner_name: cpu");
	ok(corunner_name((enum corunner)CORUN_KINDS) == NULL, "corunner_name: out of range is NULL");
}

int main(void)
{
	if (topology_new_synthetic("pack:2 l3:1 core:4 pu:2", &topo) < 0) {
		printf("Bail out! no synthetic topology\n");
		return 1;
	}
	ncores = topology_cores(topo);
	if (ncores != 8) {
		printf("Bail out! the synthetic machine has %d cores, not 8\n", ncores);
		return 1;
	}
	/* interference needs the kernels for its co-runners: any program will do */
	setenv("SCALPROF_KERNELS", "/bin/true", 1);
	ordinary();
	with_interference();
	with_bandit();
	repetitions_and_defaults();
	names();
	topology_free(topo);
	return done_testing();
}
