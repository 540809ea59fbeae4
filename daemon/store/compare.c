/* compare.c: the queries behind `scalprof campaigns` and the machine side
 * of `scalprof compare` (see compare.h): the campaigns table with its
 * runs, and one campaign's machines, conditions and machine_bandwidth
 * rows. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "store/compare.h"
#include "store/sql.h"

int store_campaign_list(struct store *st, struct campaign_info **ret, size_t *ret_n)
{
	static const char what[] = "listing the campaigns";
	struct campaign_info *c = NULL;
	size_t n = 0;
	sqlite3_stmt *s;
	int rc, r;

	/* workloads in the order first run: the campaign's own order */
	r = sql_prepare(st, what,
			"SELECT c.id, c.name, c.status, c.started_at,"
			" (SELECT count(*) FROM runs r WHERE r.campaign_id = c.id),"
			" (SELECT group_concat(workload, ',') FROM (SELECT r.workload FROM runs r"
			"   WHERE r.campaign_id = c.id GROUP BY r.workload ORDER BY min(r.seq)))"
			" FROM campaigns c ORDER BY c.id",
			&s);
	if (r < 0)
		return r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct campaign_info *i;

		c = xreallocarray(c, n + 1, sizeof(*c));
		i = &c[n++];
		i->id = sqlite3_column_int64(s, 0);
		i->name = sql_col_strdup(s, 1);
		i->status = sql_col_strdup(s, 2);
		i->started_at = sql_col_strdup(s, 3);
		i->runs = sqlite3_column_int(s, 4);
		i->workloads = sql_col_strdup(s, 5);
	}
	r = sql_rows_end(st, s, rc, what);
	if (r < 0) {
		campaign_infos_free(c, n);
		return r;
	}
	*ret = c;
	*ret_n = n;
	return 0;
}

void campaign_infos_free(struct campaign_info *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++) {
		free(c[i].name);
		free(c[i].status);
		free(c[i].started_at);
		free(c[i].workloads);
	}
	free(c);
}

static int load_ceilings(struct store *st, int64_t cid, struct campaign_facts *f)
{
	static const char what[] = "reading the machine's bandwidth ceilings";
	sqlite3_stmt *s;
	int rc, r = sql_prepare_id(st, what,
				   "SELECT mb.n_workers, max(mb.mb_per_s) / 1000 FROM machine_bandwidth mb"
				   " JOIN campaigns c ON c.machine_id = mb.machine_id WHERE c.id = ?1"
				   " GROUP BY mb.n_workers ORDER BY mb.n_workers",
				   cid, &s);

	if (r < 0)
		return r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		f->ceilings = xreallocarray(f->ceilings, f->nceilings + 1, sizeof(*f->ceilings));
		f->ceilings[f->nceilings].n = sqlite3_column_int(s, 0);
		f->ceilings[f->nceilings].gbps = sql_col_double(s, 1);
		f->nceilings++;
	}
	return sql_rows_end(st, s, rc, what);
}

static int col_int(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? 0 : sqlite3_column_int(s, i);
}

int store_campaign_facts(struct store *st, int64_t cid, struct campaign_facts *ret)
{
	static const char what[] = "reading the campaign's machine";
	struct campaign_facts f = { .scale = NAN };
	sqlite3_stmt *s;
	int rc, r;

	/* a campaign stored without its conditions row still has a machine */
	r = sql_prepare_id(st, what,
			   "SELECT c.name, c.started_at, m.hostname, m.cpu_model, m.kernel, m.sockets, m.cores,"
			   " m.threads, m.l3_bytes, m.usable_llc_bytes, k.hypervisor, k.smt, k.governor,"
			   " k.python3_version, k.placement, k.scale, k.thp"
			   " FROM campaigns c JOIN machines m ON m.id = c.machine_id"
			   " LEFT JOIN conditions k ON k.campaign_id = c.id WHERE c.id = ?1",
			   cid, &s);
	if (r < 0)
		return r;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		f.name = sql_col_strdup(s, 0);
		f.started_at = sql_col_strdup(s, 1);
		f.hostname = sql_col_strdup(s, 2);
		f.cpu_model = sql_col_strdup(s, 3);
		f.kernel = sql_col_strdup(s, 4);
		f.sockets = col_int(s, 5);
		f.cores = col_int(s, 6);
		f.threads = col_int(s, 7);
		f.l3_bytes = sqlite3_column_int64(s, 8);
		f.usable_llc_bytes = sqlite3_column_int64(s, 9);
		f.hypervisor = sql_col_strdup(s, 10);
		f.smt = sql_col_strdup(s, 11);
		f.governor = sql_col_strdup(s, 12);
		f.python3_version = sql_col_strdup(s, 13);
		f.placement = sql_col_strdup(s, 14);
		f.scale = sql_col_double(s, 15);
		f.thp = sql_col_strdup(s, 16);
		r = sql_rows_end(st, s, SQLITE_DONE, what);
	} else {
		r = sql_rows_end(st, s, rc, what);
		if (r == 0)
			r = -ENOENT;
	}
	if (r == 0)
		r = load_ceilings(st, cid, &f);
	if (r < 0) {
		campaign_facts_clear(&f);
		return r;
	}
	*ret = f;
	return 0;
}

void campaign_facts_clear(struct campaign_facts *f)
{
	free(f->name);
	free(f->started_at);
	free(f->hostname);
	free(f->cpu_model);
	free(f->kernel);
	free(f->hypervisor);
	free(f->smt);
	free(f->governor);
	free(f->thp);
	free(f->python3_version);
	free(f->placement);
	free(f->ceilings);
	memset(f, 0, sizeof(*f));
}
