/* cli.h: what every scalprof command shares: the exit codes, the one option
 * parser, and the helpers that load a campaign, a topology or a database
 * for a command and log the one message when they cannot. Commands live
 * one family per file (commands.h); the program's main only dispatches.
 *
 * Exit codes, the same for every command: 0 done; 1 a run-time failure (a
 * run failed, the database could not be written, scalprofd unreachable); 2
 * bad input (usage, campaign, database path, a refused request); 130
 * interrupted by SIGINT or SIGTERM.
 *
 * The cli layer (daemon/cli/) is the top of the house beneath the two
 * mains: the only code besides them that prints for people and chooses
 * exit codes. It may use every layer below; none of them includes it.
 */
#ifndef SCALPROF_CLI_H
#define SCALPROF_CLI_H

#include <getopt.h>
#include <stdint.h>

#include "analysis/report.h"
#include "host/topology.h"
#include "model/campaign.h"
#include "store/store.h"

#define EXIT_RUNTIME 1
#define EXIT_BADINPUT 2
#define EXIT_INTERRUPTED 130
#define DEFAULT_DB "scalprof.db"

/* Every option any command takes; each command's longopts pick theirs. */
struct cli_opts {
	const char *db, *placement, *format, *campaign, *scale, *event, *plot, *socket, *max_mib, *output;
	int quiet, no_probe, runs, watch, verbose, offcpu, folded, diff;
	const char *db2; /* compare: B's database */
	int all;         /* events: every event libpfm4 offers */
};

/* Parses a command's options into o; returns the index of the first
 * operand, or -1 after printing usage for --help (*ret_exit = 0) or a
 * usage error (*ret_exit = EXIT_BADINPUT, logged). */
int cli_parse_opts(int argc, char **argv, const char *usage, const char *shortopts,
		   const struct option *longopts, struct cli_opts *o, int *ret_exit);
/* longopts of a command with no option but --help */
extern const struct option cli_help_only[];

/* Each of these logs the one message on failure. */
/* The machine's topology (or SCALPROF_TOPOLOGY's). Returns 0 or -errno. */
int cli_load_topology(struct topology **ret);
/* Loads and validates a campaign file. Returns 0 or -errno. */
int cli_load_campaign(const char *path, const struct topology *topo, struct campaign **ret);
/* --scale's value (NULL: 1). Returns 0 or -EINVAL. */
int cli_parse_scale(const char *cmd, const char *text, double *ret);
/* --max-mib's value, or SCALPROF_PROBE_MAX_MIB's without it, in bytes (0
 * when neither is set: no limit). Returns 0 or -EINVAL. */
int cli_parse_max_mib(const char *cmd, const char *text, uint64_t *ret);
/* --format's value (NULL: text); json only where allow_json. Returns 0 or
 * -EINVAL. */
int cli_parse_format(const char *cmd, const char *text, int allow_json, enum report_format *ret);
/* The one campaign file operand of run, check and submit, loaded against
 * this machine's topology, scaled by scale (NULL: the campaign's). Returns
 * 0 with both set, or the exit status after logging why. */
int cli_campaign_operand(int argc, char **argv, int i, const char *usage, const char *scale,
			 struct topology **ret_topo, struct campaign **ret_c);
/* The experiment lock for a foreground command (see engine/lock.h).
 * Returns its descriptor; -EBUSY after saying who holds it; or another
 * -errno after a warning: without the lock file (no /run/lock), scalprof
 * runs unguarded rather than not at all. */
int cli_take_experiment_lock(const char *what);
/* Opens an existing database read-only for cmd. Returns NULL on failure. */
struct store *cli_open_readonly(const char *cmd, const char *path);

#endif
