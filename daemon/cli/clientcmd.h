/* clientcmd.h: the scalprof commands served by scalprofd (clientcmd.c). */
#ifndef SCALPROF_CLIENTCMD_H
#define SCALPROF_CLIENTCMD_H

extern const char usage_submit[], usage_list[], usage_status[], usage_watch[], usage_cancel[];

int cmd_submit(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_cancel(int argc, char **argv);

#endif
