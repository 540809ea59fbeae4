/* sched.h: which queued campaign runs, and its executor child (executor.h)
 * from fork to reap: starting the next one when none runs (and not while
 * the experiment lock is busy), reading its progress lines, recording how
 * it ended when it did not say so itself, cancelling, and the status line
 * that sd_notify and the status request show. Everything here logs what
 * the daemon's journal should say; nothing returns a message. */
#ifndef SCALPROF_SCHED_H
#define SCALPROF_SCHED_H

#include <stdint.h>

#include "service/daemon.h"

/* Sets the status line and tells systemd (STATUS=). */
void sched_status(struct daemon *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* After a crash or a stop: kills what is left of cut-off runs and queues
 * their campaigns again (queue_recover). Returns 0, or -EIO after logging. */
int sched_recover(struct daemon *d);

/* Starts the oldest queued campaign's executor, unless one runs, the
 * daemon is stopping or the lock was busy a moment ago. */
void sched_next(struct daemon *d);

/* Reads the executor's progress pipe (d->exec_fd, readable): updates the
 * status line and passes each line to the campaign's watchers. */
void sched_read(struct daemon *d);

/* The executor exited with wait status: records a cancel or a death by a
 * signal, ends the watchers, and starts the next campaign. One that found
 * the experiment lock held stays queued and is retried in 2 s. */
void sched_reaped(struct daemon *d, int status);

/* Cancels queue entry qid for user by: the running one through SIGTERM to
 * its executor (sched_reaped records it), a queued one at once. Returns 0,
 * or -EIO (store_errmsg(d->st) says why). */
int sched_cancel(struct daemon *d, int64_t qid, const char *by);

/* Sends sig to the executor, if one runs. */
void sched_kill(struct daemon *d, int sig);

/* Frees the scheduler's state in d (at exit; the executor is gone). */
void sched_clear(struct daemon *d);

#endif
