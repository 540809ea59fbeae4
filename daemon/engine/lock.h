/* lock.h: the machine's experiment lock. `scalprof run` and scalprofd must
 * never measure on one machine at the same time: whoever runs experiments
 * holds an flock(2) on one file and writes into it who they are, so that
 * the other can say who holds it. */
#ifndef SCALPROF_LOCK_H
#define SCALPROF_LOCK_H

#define LOCK_DEFAULT_PATH "/run/lock/scalprof.lock"

/* The lock file: $SCALPROF_LOCK, else LOCK_DEFAULT_PATH. */
const char *lock_default_path(void);

/* Takes the lock at path without waiting, creating the file 0644 if there
 * is none (any user takes the lock through a read-only descriptor; only
 * the file's owner writes into it). Returns the open descriptor (the lock
 * lasts until it is closed or the process exits), -EBUSY with a fresh
 * *ret_holder describing who holds it (their note if the kernel's lock
 * table confirms it, else the holding process as /proc names it), or
 * another -errno with a fresh *ret_holder saying what failed. who is
 * written into the file when it can be. A file of ours that is writable
 * by others (an older scalprof made it 0666) is made 0644; as root, a file
 * of another user is replaced by one of ours. Does not log. */
int lock_take(const char *path, const char *who, char **ret_holder);

#endif
