/* machine.c: scalprof topology (the machine's shape and each worker slot's
 * CPU) and events (presets and events, and whether each opens here). See
 * commands.h. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "host/eventlist.h"
#include "host/events.h"
#include "host/mcpmu.h"
#include "host/perf.h"
#include "host/topology.h"

const char usage_topology[] =
	"usage: scalprof topology [--placement compact|spread]\n"
	"\n"
	"Shows sockets, L3 domains, physical cores with their hardware threads, and\n"
	"the CPU each worker slot 1..N gets (both placements unless one is given).\n"
	"SCALPROF_TOPOLOGY=synthetic:DESC or =FILE.xml shows another machine's shape.\n";

const char usage_events[] =
	"usage: scalprof events [EVENT...]\n"
	"       scalprof events --all [PATTERN]\n"
	"\n"
	"Lists the presets and their events, and for each event whether it can be\n"
	"counted on this host, and if not, why. Names given are checked the same way.\n"
	"  -a, --all    every event libpfm4 offers on the PMUs present on this host,\n"
	"               only those matching PATTERN when given: a substring, or a glob\n"
	"               with * ? [ matching PMU::EVENT or EVENT, either ignoring case\n"
	"  -h, --help   this text\n"
	"exit status: 0, or 2 when a given name is unknown or PATTERN matches nothing\n";

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

int cmd_topology(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "placement", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct cli_opts o = { 0 };
	struct topology *topo;
	int ex, i = cli_parse_opts(argc, argv, usage_topology, "p:h", longopts, &o, &ex);
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
	if (cli_load_topology(&topo) < 0)
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

/* ---- events --all ---- */

struct listing {
	const char *pattern;
	int glob;
	size_t matched, shown, total, hw;
	char pmu[64]; /* the PMU whose heading was printed last */
};

/* A glob matches PMU::EVENT or EVENT alone: "l1*miss*" is what one types. */
static int listing_match(const struct listing *ls, const char *full)
{
	const char *colons = strstr(full, "::");

	if (!ls->pattern)
		return 1;
	if (ls->glob)
		return fnmatch(ls->pattern, full, FNM_CASEFOLD) == 0 ||
		       (colons && fnmatch(ls->pattern, colons + 2, FNM_CASEFOLD) == 0);
	return strcasestr(full, ls->pattern) != NULL;
}

static void count_one(const struct event_listing *l, void *arg)
{
	struct listing *ls = arg;

	char *full = xasprintf("%s::%s", l->pmu, l->name);

	ls->total++;
	ls->hw += l->hardware;
	ls->matched += listing_match(ls, full);
	free(full);
}

static void list_one(const struct event_listing *l, void *arg)
{
	struct listing *ls = arg;
	char *full = xasprintf("%s::%s", l->pmu, l->name);
	size_t dlen = l->desc ? strcspn(l->desc, "\n") : 0;

	if (listing_match(ls, full)) {
		if (strcmp(ls->pmu, l->pmu) != 0) {
			snprintf(ls->pmu, sizeof(ls->pmu), "%s", l->pmu);
			printf("\n%s (%s):\n", l->pmu, l->pmu_desc ? l->pmu_desc : "no description");
		}
		/* the description's first line: some run on for paragraphs */
		printf("  %-42s %.*s\n", full, (int)dlen, dlen ? l->desc : "");
		ls->shown++;
	}
	free(full);
}

static int events_all(int argc, char **argv, int i)
{
	struct listing ls = { 0 };
	char *pmus;
	int present;

	if (argc - i > 1) {
		log_error("events: --all takes at most one PATTERN, got %d", argc - i);
		return EXIT_BADINPUT;
	}
	if (i < argc) {
		ls.pattern = argv[i];
		ls.glob = strpbrk(ls.pattern, "*?[") != NULL;
	}
	present = events_list_all(count_one, &ls);
	if (ls.pattern && !ls.matched) {
		log_error("events: no event of this host's PMUs matches '%s' (%zu events; scalprof events --all "
			  "lists them)", ls.pattern, ls.total);
		return EXIT_BADINPUT;
	}
	pmus = events_pmus();
	printf("PMUs present on this host (libpfm4): %s\n", present ? pmus : "none");
	free(pmus);
	if (!ls.hw)
		printf("no hardware PMU: these are the perf software PMU's events (the kernel's generic events,\n"
		       "which may still not count here: scalprof events NAME says whether each opens)\n");
	events_list_all(list_one, &ls);
	printf("\n%zu of %zu events%s%s%s\n", ls.shown, ls.total, ls.pattern ? " match '" : "",
	       ls.pattern ? ls.pattern : "", ls.pattern ? "'" : "");
	return 0;
}

int cmd_events(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct cli_opts o = { 0 };
	int ex, bad = 0, i = cli_parse_opts(argc, argv, usage_events, "ah", longopts, &o, &ex);
	char *pmus;

	if (i < 0)
		return ex;
	if (events_init() < 0) {
		log_error("libpfm4 could not be initialised");
		return EXIT_RUNTIME;
	}
	if (o.all)
		return events_all(argc, argv, i);
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
