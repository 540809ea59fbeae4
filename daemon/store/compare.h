/* compare.h: what `scalprof compare` and `scalprof campaigns` read: the
 * campaigns of a database with their run counts and workloads, and the
 * facts of the machine and conditions one campaign ran under (cores, LLC,
 * bandwidth ceilings, kernel, interpreter). The measurements themselves
 * are the verdict's inputs (store/verdicts.h). Every function returns 0 or
 * -errno (-EIO with store_errmsg(st) saying why) and does not log;
 * formatting is analysis/compare.c's and cli/compare.c's. */
#ifndef SCALPROF_STORE_COMPARE_H
#define SCALPROF_STORE_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* One campaign of a database; NULL where the column is NULL. */
struct campaign_info {
	int64_t id;
	char *name, *status, *started_at;
	int runs;         /* stored runs, co-runs included */
	char *workloads;  /* distinct workloads, comma-separated, in the order first run; NULL: none */
};

/* Every campaign of the database by id: *ret (free with
 * campaign_infos_free) of *ret_n, NULL and 0 when there is none. */
int store_campaign_list(struct store *st, struct campaign_info **ret, size_t *ret_n);
/* Frees the n infos and the array; accepts NULL. */
void campaign_infos_free(struct campaign_info *c, size_t n);

/* A bandwidth ceiling of the machine: the better of copy and triad. */
struct facts_ceiling {
	int n;
	double gbps;
};

/* What campaign cid ran on and under; NULL, 0 or NAN where unknown. */
struct campaign_facts {
	char *name, *started_at;
	char *hostname, *cpu_model, *kernel;          /* machines */
	int sockets, cores, threads;
	int64_t l3_bytes, usable_llc_bytes;
	char *hypervisor, *smt, *governor, *python3_version, *placement; /* conditions */
	char *thp;                /* transparent huge pages' mode; NULL: not recorded (before schema 12) */
	double scale;
	struct facts_ceiling *ceilings;               /* machine_bandwidth, by n ascending */
	size_t nceilings;
};

/* Campaign cid's facts into *ret (free with campaign_facts_clear);
 * -ENOENT when there is no such campaign. */
int store_campaign_facts(struct store *st, int64_t cid, struct campaign_facts *ret);
/* Frees what f owns and zeroes it; accepts a zeroed f. */
void campaign_facts_clear(struct campaign_facts *f);

#endif
