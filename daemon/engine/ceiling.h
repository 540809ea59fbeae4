/* ceiling.h (engine): measures this machine's memory-bandwidth ceiling and
 * usable last-level cache (see ceiling.c); struct ceiling is model/ceiling.h,
 * storing it store/ceiling.h. */
#ifndef SCALPROF_CEILING_H
#define SCALPROF_CEILING_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/ceiling.h"
#include "engine/runner.h"
#include "store/ceiling.h"
#include "store/store.h"
#include "host/topology.h"

struct ceiling_opts {
	const struct topology *topo;
	double scale;                 /* shrinks the measurement (tests); 1 normally */
	uint64_t max_bytes;           /* largest array and working set; 0: from the L3 */
	int sigfd;
	runner_progress_fn progress;
	void *progress_arg;
};

/* Measures both. Returns 0, -EINTR when a signal on sigfd stopped it, or
 * another -errno with a fresh *ret_error. Does not log. */
int ceiling_measure(const struct ceiling_opts *o, struct ceiling *ret, char **ret_error);

/* ceiling_store() and ceiling_known() are the store's: store/ceiling.h. */

/* The largest array and working set a measurement may use, in bytes, from
 * text (a whole number of MiB, 1..1048576) or, when text is NULL, from
 * SCALPROF_PROBE_MAX_MIB; 0 when neither is set (no limit). Returns 0, or
 * -EINVAL with *ret_what naming the one that was wrong ("--max-mib" or
 * the variable). Does not log. */
int ceiling_max_bytes(const char *text, uint64_t *ret, const char **ret_what);
#define CEILING_MAX_MIB (1u << 20)

/* The ceiling kept per machine, between databases: a file named for a hash
 * of the key in the cache directory ($SCALPROF_CACHE_DIR; else
 * /var/lib/scalprof for root; else $XDG_CACHE_HOME/scalprof or
 * ~/.cache/scalprof). The key is what would change the answer: the
 * machine's identity (/etc/machine-id), its CPU model and physical cores,
 * its memory, its kernel release and max_bytes. A file older than
 * CEILING_CACHE_MAX_AGE_S, or of another key, is not used. */
#define CEILING_CACHE_MAX_AGE_S (30 * 86400)

/* The key for this machine and max_bytes, fresh. Does not fail. */
char *ceiling_cache_key(const struct topology *topo, uint64_t max_bytes);

/* Reads the ceiling kept for key into *ret (measured_at and from set).
 * Returns 0; -ENOENT when there is none (or no cache directory); -ESTALE
 * when it is older than CEILING_CACHE_MAX_AGE_S or of another key; -EINVAL
 * when the file is not one we wrote. Does not log. */
int ceiling_cache_load(const char *key, struct ceiling *ret);

/* Keeps c for key, replacing what was kept (written to a temporary file
 * and renamed). Returns 0, or -errno with a fresh *ret_error. Does not
 * log. */
int ceiling_cache_save(const char *key, const struct ceiling *c, char **ret_error);

/* Prints the measured ceiling as a table for people, with where it came
 * from when it was reused. Does not fail. */
void ceiling_print(const struct ceiling *c, FILE *out);

#endif
