/* tasks.h: every thread and child process of a run's workers, and how long
 * each waited on a run queue. A worker's /proc/PID/schedstat covers its
 * main thread only; a team's other threads and its children (a process
 * pool) wait too, and exited threads leave no trace in their process. So
 * the runner polls: at each tick it finds the tasks of the workers'
 * process groups and keeps each one's latest run-queue wait; a task that
 * lived less than one tick is missed (the documented lower bound). */
#ifndef SCALPROF_TASKS_H
#define SCALPROF_TASKS_H

#include <stdint.h>
#include <sys/types.h>

struct tasks;

/* A tracker of the process groups pgids[0..n-1]. Cannot fail. */
struct tasks *tasks_new(const pid_t *pgids, size_t n);
void tasks_free(struct tasks *t);

/* Finds the groups' processes and reads every thread's run-queue wait.
 * Unreadable entries (a task that just exited) are skipped. */
void tasks_poll(struct tasks *t);

/* Records tid's wait as read elsewhere (a worker's zombie, before it is
 * reaped); a value below 0 is ignored. */
void tasks_note(struct tasks *t, pid_t tid, int64_t run_delay_ns);

/* The run-queue wait in a schedstat file (its second field, ns); -1 when
 * it cannot be read. */
int64_t tasks_read_wait(const char *path);

/* The sum of the latest wait of every task seen; -1 when none was read. */
int64_t tasks_run_delay(const struct tasks *t);

#endif
