/* commands.h: the commands of scalprof, one family per file of cli/:
 * run.c (run, check, probe, confirm), machine.c (topology, events), report.c (report,
 * timeline), profile.c (flamegraph), profile.c (flamegraph), compare.c (compare, campaigns), client.c (submit, list, status, watch, cancel: through
 * scalprofd). Each takes its own argv (argv[0] is the command's name) and
 * returns the exit status of cli.h; each has its --help text here. */
#ifndef SCALPROF_COMMANDS_H
#define SCALPROF_COMMANDS_H

extern const char usage_run[], usage_check[], usage_probe[], usage_confirm[];
int cmd_run(int argc, char **argv);
int cmd_confirm(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_probe(int argc, char **argv);

extern const char usage_topology[], usage_events[];
int cmd_topology(int argc, char **argv);
int cmd_events(int argc, char **argv);

extern const char usage_report[], usage_timeline[];
int cmd_report(int argc, char **argv);
int cmd_timeline(int argc, char **argv);

extern const char usage_flamegraph[];
int cmd_flamegraph(int argc, char **argv);

extern const char usage_compare[], usage_campaigns[];
int cmd_compare(int argc, char **argv);
int cmd_campaigns(int argc, char **argv);

extern const char usage_submit[], usage_list[], usage_status[], usage_watch[], usage_cancel[];
int cmd_submit(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_cancel(int argc, char **argv);

#endif
