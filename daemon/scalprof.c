/* scalprof.c: the command-line program's main: dispatches to the commands
 * of cli/ (commands.h), answers --help and --version. The commands' options,
 * messages and exit codes (cli.h) live there; the work is the engine's. */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "base/version.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "store/store.h"

static const char usage_main[] =
	"usage: scalprof COMMAND [OPTIONS]\n"
	"\n"
	"Runs workloads on 1..N physical cores, counts what the hardware and the kernel\n"
	"saw, stores every run in SQLite and shows how the work scales.\n"
	"\n"
	"commands:\n"
	"  run FILE.yaml [--db PATH] [--scale F] [--no-probe]\n"
	"                                run a campaign in the foreground\n"
	"  run [--workers L] [--reps N] [--warmup N] [--team] [--print-yaml] -- COMMAND [ARGS...]\n"
	"                                the same, the campaign written for a command\n"
	"  check FILE.yaml [--scale F]   validate a campaign; nothing runs or is written\n"
	"  confirm [CAMPAIGN] [--db PATH]\n"
	"                                test a stored campaign's causes by intervention\n"
	"  topology [--placement P]      sockets, L3 domains, cores, and each worker slot's CPU\n"
	"  events [EVENT...]             presets and events, and whether each opens here\n"
	"  events --all [PATTERN]        every event libpfm4 offers on this host's PMUs\n"
	"  probe [--db PATH]             measure this machine's memory-bandwidth ceiling and\n"
	"                                usable last-level cache, and store them\n"
	"  report [CAMPAIGN] [--db PATH] [--format text|csv|json] [--plot FILE] [--runs]\n"
	"                                a stored campaign's table, metrics and verdicts\n"
	"  timeline RUN_ID [--db PATH] [--event E] [--format text|csv]\n"
	"                                one run's counters at every sampling tick\n"
	"  flamegraph RUN_ID [--offcpu] [--folded] [-o FILE.svg]\n"
	"  flamegraph --diff RUN_A RUN_B [--offcpu] [-o FILE.svg]\n"
	"                                a profiled run's call stacks as a flame graph\n"
	"  compare A B [--db PATH] [--db2 PATH] [--format text|csv|json|markdown]\n"
	"                                two campaigns side by side, matched by workload and N\n"
	"  campaigns [--db PATH] [--format text|csv|json]\n"
	"                                the campaigns of a database\n"
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

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
};

static const struct command commands[] = {
	{ "run", cmd_run, usage_run },
	{ "check", cmd_check, usage_check },
	{ "confirm", cmd_confirm, usage_confirm },
	{ "topology", cmd_topology, usage_topology },
	{ "events", cmd_events, usage_events },
	{ "probe", cmd_probe, usage_probe },
	{ "report", cmd_report, usage_report },
	{ "timeline", cmd_timeline, usage_timeline },
	{ "flamegraph", cmd_flamegraph, usage_flamegraph },
	{ "compare", cmd_compare, usage_compare },
	{ "campaigns", cmd_campaigns, usage_campaigns },
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
	log_error("unknown command '%s' (commands: run, check, topology, events, probe, report, timeline, flamegraph, compare, campaigns, submit, list, status, watch, cancel, help)", argv[1]);
	return EXIT_BADINPUT;
}
