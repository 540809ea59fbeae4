/* resume.c: what the store knows of a campaign taken up again after a stop
 * or a crash (see store.h): its row back to 'running', and which of its
 * planned runs are already stored. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/util.h"
#include "model/plan.h"
#include "store/sql.h"
#include "store/store.h"

int store_campaign_resume(struct store *st, int64_t campaign_id, int64_t *ret_machine_id)
{
	sqlite3_stmt *s;
	int r;

	if (sql_prepare(st, "resuming the campaign",
			"UPDATE campaigns SET status = 'running', finished_at = NULL, error = NULL WHERE id = ?"
			" RETURNING machine_id",
			&s) < 0)
		return -EIO;
	sqlite3_bind_int64(s, 1, campaign_id);
	r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		*ret_machine_id = sqlite3_column_int64(s, 0);
	else if (r == SQLITE_DONE)
		store_failf(st, -ENOENT, "resuming the campaign: no campaign %lld", (long long)campaign_id);
	else
		store_fail(st, "resuming the campaign");
	sqlite3_finalize(s);
	return r == SQLITE_ROW ? 0 : r == SQLITE_DONE ? -ENOENT : -EIO;
}

int store_campaign_text(struct store *st, int64_t campaign_id, char **ret_source, char **ret_yaml, size_t *ret_len,
			double *ret_scale)
{
	sqlite3_stmt *s;
	int r;

	if (sql_prepare_id(st, "reading the campaign",
			   "SELECT c.source, c.yaml, ifnull((SELECT k.scale FROM conditions k WHERE k.campaign_id = c.id), 1)"
			   " FROM campaigns c WHERE c.id = ?",
			   campaign_id, &s) < 0)
		return -EIO;
	r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		*ret_source = sql_col_strdup(s, 0);
		*ret_yaml = sql_col_strdup(s, 1);
		*ret_len = (size_t)sqlite3_column_bytes(s, 1);
		*ret_scale = sqlite3_column_double(s, 2);
	} else if (r != SQLITE_DONE) {
		store_fail(st, "reading the campaign");
	}
	sqlite3_finalize(s);
	return r == SQLITE_ROW ? 0 : r == SQLITE_DONE ? -ENOENT : -EIO;
}

/* The highest seq stored for the campaign, 0 when none. */
static int max_seq(struct store *st, int64_t campaign_id, int *ret)
{
	sqlite3_stmt *s;

	if (sql_prepare(st, "resuming the campaign", "SELECT ifnull(max(seq), 0) FROM runs WHERE campaign_id = ?",
			&s) < 0)
		return -EIO;
	sqlite3_bind_int64(s, 1, campaign_id);
	if (sqlite3_step(s) != SQLITE_ROW) { /* an aggregate: always one row */
		store_fail(st, "resuming the campaign");
		sqlite3_finalize(s);
		return -EIO;
	}
	*ret = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return 0;
}

/* Whether run pr of the campaign is stored with a final status; 1, 0, or
 * -EIO. */
static int run_stored(struct store *st, sqlite3_stmt *s, int64_t campaign_id, const struct campaign *c,
		      const struct plan_run *pr)
{
	const char *k = corunner_name(pr->corunner);
	int r;

	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, campaign_id);
	sqlite3_bind_text(s, 2, c->workloads[pr->workload].name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, pr->n_workers);
	sqlite3_bind_int(s, 4, pr->repetition);
	sqlite3_bind_text(s, 5, k ? k : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, pr->variant ? pr->variant->name : "", -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 7, pr->bandit ? pr->level : -1);
	r = sqlite3_step(s);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_fail(st, "resuming the campaign");
	return r == SQLITE_ROW;
}

int store_plan_drop_stored(struct store *st, int64_t campaign_id, const struct campaign *c, struct plan *plan,
			   size_t *ret_dropped)
{
	sqlite3_stmt *s;
	unsigned char *stored;
	int last = 0, r = 0;
	size_t kept = 0;

	if (max_seq(st, campaign_id, &last) < 0 ||
	    sql_prepare(st, "resuming the campaign",
			"SELECT 1 FROM runs WHERE campaign_id = ?1 AND workload = ?2 AND n_workers = ?3"
			" AND repetition = ?4 AND ifnull(corunner, '') = ?5 AND ifnull(variant, '') = ?6"
			" AND ifnull(bandit_level, -1) = ?7"
			" AND status IN ('ok', 'failed', 'timeout')",
			&s) < 0)
		return -EIO;
	/* every answer first, so that a failure leaves the plan as it was */
	stored = xcalloc(plan->nruns ? plan->nruns : 1, 1);
	for (size_t i = 0; i < plan->nruns && r >= 0; i++) {
		r = run_stored(st, s, campaign_id, c, &plan->runs[i]);
		stored[i] = r == 1;
	}
	sqlite3_finalize(s);
	if (r >= 0) {
		for (size_t i = 0; i < plan->nruns; i++) {
			if (stored[i])
				continue;
			plan->runs[kept] = plan->runs[i];
			plan->runs[kept].seq = last + (int)kept + 1;
			kept++;
		}
		*ret_dropped = plan->nruns - kept;
		plan->nruns = kept;
	}
	free(stored);
	return r < 0 ? -EIO : 0;
}

int store_set_cache_kib(struct store *st, int kib)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d", kib);
	return sql_exec(st, "setting the page cache", sql);
}
