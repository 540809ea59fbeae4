/* corunner.h: the co-runners of an interference run: one scalprof-kernels
 * hog_* (bandwidth, cache or cpu) pinned to each physical core the run's
 * workers leave free, measured alone just before the run and beside it. */
#ifndef SCALPROF_CORUNNER_H
#define SCALPROF_CORUNNER_H

#include <stdint.h>

#include "engine/spawn.h"
#include "host/topology.h"
#include "model/campaign.h"
#include "model/plan.h"
#include "model/result.h"

/* What every co-runner is started with. */
struct corunner_opts {
	const struct topology *topo;
	enum placement placement;     /* the free cores are those after the workers' in this order */
	const char *kernels;          /* the scalprof-kernels program */
	uint64_t cache_bytes;         /* the cache co-runners' set, all together; 0: 2 MiB */
	char *const *env;             /* the base environment (SCALPROF_* are left out) */
	const struct spawn_creds *creds; /* NULL: as we are */
	int devnull;                  /* their stdin */
};

struct corunners;

/* Each cache co-runner's share of o->cache_bytes beside n_workers workers:
 * together they keep it hot however many free cores there are. */
uint64_t corunner_cache_bytes(const struct corunner_opts *o, int n_workers);

/* Runs the co-runners of kind by themselves for 0.5 s on the cores that
 * n_workers workers would leave free, and sets *ret_rate (their summed
 * rate) and *ret_ns (the cache co-runner's ns per access, else NAN).
 * level: the bandwidth co-runner's fraction of its own full rate (1:
 * unpaced; the graded bandit's runs give less); ignored for the others.
 * Returns 0 or -errno; does not log. */
int corunners_alone(const struct corunner_opts *o, enum corunner kind, double level, int n_workers,
		    double *ret_rate, double *ret_ns);

/* Starts the co-runners of kind (at level, as above) beside n_workers workers, waits until each
 * is ready (its arrays filled) and then 50 ms more, into their steady state.
 * Returns 0 and *ret, or -errno (-ETIMEDOUT: not ready within 60 s) with
 * everything started already stopped. Does not log. */
int corunners_start(const struct corunner_opts *o, enum corunner kind, double level, int n_workers,
		    struct corunners **ret);

/* Stops the co-runners (SIGTERM, SIGKILL after 5 s), reaps them, writes
 * their rates beside the run into res (rate_beside, cache_ns_beside, unit)
 * and frees them. Accepts NULL. */
void corunners_stop(struct corunners *h, struct corun_result *res);

#endif
