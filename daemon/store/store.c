/* store.c: the SQLite database (see store.h).
 *
 * Sections: 1. migrations from the embedded schema.sql; 2. open/close;
 * 3. machines and campaigns; 4. runs, workers and counters; 5. the
 * timeline's staging. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/plan.h"
#include "model/verdict_data.h"
#include "store/sql.h"
#include "store/store.h"
#include "base/util.h"

extern const char scalprof_schema_sql[]; /* schema_blob.S */

static const char *const stmt_sql[ST_COUNT] = {
	[ST_RUN] = "INSERT INTO runs (campaign_id, seq, workload, mode, n_workers, repetition, status,"
		   " wall_ns, start_skew_ns, started_at, error, corunner, working_set_bytes, user_ns, kernel_ns,"
		   " run_delay_ns, reserved_busy_ns, reserved_idle_ns, reserved_steal_ns, other_busy_ns,"
		   " other_total_ns, psi_cpu_us, psi_mem_us, psi_io_us, variant, bandit_level)"
		   " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_FIGURES] = "INSERT OR REPLACE INTO run_figures SELECT run_id, cpu_s, kernel_s, run_delay_s,"
		       " involuntary_switches, cycles, instructions, llc_loads, llc_misses, context_switches,"
		       " cpu_migrations, page_faults, gb_per_s, bandwidth_source, slowdown FROM run_figures_live"
		       " WHERE run_id = ?",
	/* the timeline's one-core stretches of a team run (schema.sql, version
	 * 9): ticks in which its cores busy plus its tasks waiting for one
	 * (the run-queue wait over the poll that covers the tick) stay below
	 * ?2: the team had one thing to run, not one core to run it on */
	[ST_SERIAL] = "WITH t AS (SELECT t_ns, delta, t_ns - lag(t_ns, 1, 0) OVER (ORDER BY t_ns) AS dt FROM samples"
		      "  WHERE run_id = ?1 AND event = 'task-clock'),"
		      " w AS (SELECT t_ns, delta, t_ns - lag(t_ns, 1, 0) OVER (ORDER BY t_ns) AS dt FROM samples"
		      "  WHERE run_id = ?1 AND event = ?3),"
		      " s AS (SELECT * FROM t WHERE t.delta + t.dt * ifnull((SELECT 1.0 * w.delta / w.dt FROM w"
		      "  WHERE w.t_ns >= t.t_ns AND w.dt > 0 ORDER BY w.t_ns LIMIT 1), 0) < ?2 * t.dt)"
		      " UPDATE runs SET serial_ns = (SELECT ifnull(sum(dt), 0) FROM s),"
		      " serial_cpu_ns = (SELECT ifnull(sum(delta), 0) FROM s)"
		      " WHERE id = ?1 AND mode = 'team' AND n_workers >= 2"
		      " AND (SELECT count(DISTINCT worker_id) FROM samples WHERE run_id = ?1 AND event = 'task-clock') = 1",
	[ST_WORKER] = "INSERT INTO workers (run_id, slot, cpu, cpus, core, pid, status, exit_code, signal,"
		      " exec_errno, error, start_ns, end_ns, wall_ns, utime_ns, stime_ns, maxrss_kb, minflt,"
		      " majflt, nvcsw, nivcsw, run_delay_ns, stdout_bytes, stderr_bytes, stdout_tail,"
		      " stderr_tail, uid, gid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_COUNTER] = "INSERT INTO counters (run_id, worker_id, event, encoding, value, scaled_value,"
		       " time_enabled_ns, time_running_ns, status, reason) VALUES (?,?,?,?,?,?,?,?,?,?)",
	[ST_BANDWIDTH] = "INSERT INTO bandwidth (run_id, socket, source, pmu, read_bytes, write_bytes, seconds,"
			 " status, reason) VALUES (?,?,?,?,?,?,?,?,?)",
	[ST_INTERFERENCE] = "INSERT INTO interference (run_id, corunner, n_corunners, alone_wall_s, slowdown,"
			    " rate_alone, rate_beside, rate_unit, cache_ns_alone, cache_ns_beside, hog_bytes)"
			    " SELECT ?1, ?2, ?3, m.median_wall_s, ?4 / 1e9 / m.median_wall_s, ?5, ?6, ?7, ?8, ?9, ?10"
			    " FROM (SELECT NULL) LEFT JOIN run_medians m ON m.campaign_id = ?11 AND m.workload = ?12"
			    " AND m.n_workers = ?13",
	[ST_SAMPLE] = "INSERT INTO samples (run_id, worker_id, t_ns, event, delta, time_enabled_delta,"
		      " time_running_delta) VALUES (?,?,?,?,?,?,?)",
	[ST_LLC] = "SELECT count(*), sum(status IN ('ok','multiplexed')), sum(scaled_value),"
		   " (SELECT reason FROM counters WHERE run_id = ?1 AND event = ?2"
		   "   AND status NOT IN ('ok','multiplexed') LIMIT 1)"
		   " FROM counters WHERE run_id = ?1 AND event = ?2",
};

void store_persist_wal(struct store *st)
{
	int on = 1;

	sqlite3_file_control(st->db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
}

const char *store_errmsg(const struct store *st)
{
	return st->errmsg;
}

/* ---- 1. migrations ---------------------------------------------------- */

#define VERSION_MARK "-- version: "

/* Finds section `after`+1 onwards: returns the start of the next section's
 * text after *pos and its number, or NULL at the end. */
static const char *next_section(const char *pos, int *ret_version, const char **ret_end)
{
	const char *s = strstr(pos, VERSION_MARK), *e;

	if (!s)
		return NULL;
	*ret_version = atoi(s + strlen(VERSION_MARK));
	e = strstr(s + 1, VERSION_MARK);
	*ret_end = e ? e : s + strlen(s);
	return s;
}

int store_schema_version(void)
{
	const char *p = scalprof_schema_sql, *end;
	int v = 0, last = 0;

	while ((p = next_section(p, &v, &end))) {
		last = v;
		p = end;
	}
	return last;
}

static int user_version(struct store *st, int *ret)
{
	sqlite3_stmt *s;
	int r;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return store_fail(st, "reading the schema version");
	r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		*ret = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return r == SQLITE_ROW ? 0 : store_fail(st, "reading the schema version");
}

static int migrate(struct store *st)
{
	const char *p = scalprof_schema_sql, *end;
	int have = 0, v;

	if (user_version(st, &have) < 0)
		return -EIO;
	if (have > store_schema_version()) {
		snprintf(st->errmsg, sizeof(st->errmsg),
			 "its schema version is %d, newer than this scalprof's %d: use a newer scalprof", have,
			 store_schema_version());
		return -EPROTO;
	}
	while ((p = next_section(p, &v, &end))) {
		if (v > have) {
			char *sql = xasprintf("BEGIN IMMEDIATE;\n%.*s\nPRAGMA user_version = %d;\nCOMMIT;",
					      (int)(end - p), p, v);
			char *err = NULL;

			if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
				snprintf(st->errmsg, sizeof(st->errmsg), "migrating to schema version %d: %s", v,
					 err ? err : sqlite3_errmsg(st->db));
				sqlite3_free(err);
				sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
				free(sql);
				return -EIO;
			}
			free(sql);
		}
		p = end;
	}
	return 0;
}

/* ---- 2. open and close ------------------------------------------------ */

int store_open(const char *path, struct store **ret_store, char **ret_error)
{
	struct store *st = xcalloc(1, sizeof(*st));
	int r;

	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		*ret_error = xasprintf("cannot open database '%s': %s", path,
				       st->db ? sqlite3_errmsg(st->db) : "out of memory");
		store_close(st);
		return -EIO;
	}
	sqlite3_busy_timeout(st->db, 10000);
	/* a run's timeline is one large transaction: a 64 MiB page cache keeps
	 * the samples index in memory while it grows */
	if (sqlite3_exec(st->db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
				 " PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;", NULL, NULL, NULL) != SQLITE_OK) {
		store_fail(st, "setting up");
		r = -EIO;
		goto err;
	}
	r = migrate(st);
	if (r < 0)
		goto err;
	for (int i = 0; i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(st->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &st->stmt[i], NULL) !=
		    SQLITE_OK) {
			r = store_fail(st, "preparing statements");
			goto err;
		}
	*ret_store = st;
	return 0;
err:
	*ret_error = xasprintf("cannot use database '%s': %s", path, st->errmsg);
	store_close(st);
	return r;
}

/* Opens path read-only as an sqlite3 handle; a message in *ret_error. */
static int open_ro(const char *path, sqlite3 **ret_db, char **ret_error)
{
	if (sqlite3_open_v2(path, ret_db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		*ret_error = xasprintf("cannot open database '%s': %s", path,
				       *ret_db ? sqlite3_errmsg(*ret_db) : "out of memory");
		sqlite3_close(*ret_db);
		*ret_db = NULL;
		return -EIO;
	}
	/* a report reads a whole campaign: its pages straight from the
	 * file's mapping, and kept (best effort: without them it is slower,
	 * not wrong) */
	(void)sqlite3_exec(*ret_db, "PRAGMA mmap_size = 268435456; PRAGMA cache_size = -32768", NULL, NULL, NULL);
	return 0;
}

int store_open_readonly(const char *path, struct store **ret_store, char **ret_error)
{
	struct store *st;
	sqlite3 *db = NULL;
	int version = -1;

	if (access(path, F_OK) < 0)
		return -ENOENT;
	if (open_ro(path, &db, ret_error) < 0)
		return -EIO;
	st = xcalloc(1, sizeof(*st));
	st->db = db;
	if (user_version(st, &version) < 0)
		version = -1;
	if (version >= 0 && version < store_schema_version()) {
		/* an older schema lacks what the reports read: bring it up to
		 * date first, as run would (this needs write access) */
		struct store *rw = NULL;
		char *err = NULL;

		sqlite3_close(st->db);
		st->db = NULL;
		if (store_open(path, &rw, &err) < 0) {
			*ret_error = xasprintf("database '%s' has schema version %d and this scalprof reads %d; upgrading "
					       "it failed: %s", path, version, store_schema_version(), err);
			free(err);
			free(st);
			return -EPROTO;
		}
		store_close(rw);
		if (open_ro(path, &st->db, ret_error) < 0) {
			free(st);
			return -EIO;
		}
	}
	*ret_store = st;
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_close(st->db);
	free(st);
}

/* ---- 3. machines and campaigns --------------------------------------- */

uint64_t store_usable_llc(struct store *st, int64_t machine_id)
{
	sqlite3_stmt *s;
	uint64_t v = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT usable_llc_bytes FROM machines WHERE id = ?", -1, &s, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(s, 1, machine_id);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int64(s, 0) > 0)
		v = (uint64_t)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

int store_machine(struct store *st, const struct machine_info *m, int64_t *ret_id)
{
	sqlite3_stmt *s;
	int r;

	if (sqlite3_prepare_v2(st->db,
			       "INSERT INTO machines (hostname, machine_id, cpu_model, sockets, cores, threads,"
			       " l3_bytes, kernel, pmus) VALUES (?,?,?,?,?,?,?,?,?)"
			       " ON CONFLICT (machine_id, hostname) DO UPDATE SET cpu_model = excluded.cpu_model,"
			       " sockets = excluded.sockets, cores = excluded.cores, threads = excluded.threads,"
			       " l3_bytes = excluded.l3_bytes, kernel = excluded.kernel, pmus = excluded.pmus"
			       " RETURNING id",
			       -1, &s, NULL) != SQLITE_OK)
		return store_fail(st, "recording the machine");
	sqlite3_bind_text(s, 1, m->hostname, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, m->machine_id, -1, SQLITE_TRANSIENT);
	sql_bind_text(s, 3, m->cpu_model);
	sqlite3_bind_int(s, 4, m->sockets);
	sqlite3_bind_int(s, 5, m->cores);
	sqlite3_bind_int(s, 6, m->threads);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)m->l3_bytes);
	sql_bind_text(s, 8, m->kernel);
	sql_bind_text(s, 9, m->pmus);
	r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		*ret_id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return r == SQLITE_ROW ? 0 : store_fail(st, "recording the machine");
}

int store_campaign_begin(struct store *st, int64_t machine_id, const struct campaign *c,
			 const struct conditions *cond, int64_t *ret_id)
{
	char sha[65];
	sqlite3_stmt *s;
	int64_t id;

	sha256_hex(c->yaml, c->yaml_len, sha);
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, "recording the campaign");
	if (sqlite3_prepare_v2(st->db,
			       "INSERT INTO campaigns (machine_id, name, description, source, yaml, sha256, status)"
			       " VALUES (?,?,?,?,?,?,'running')",
			       -1, &s, NULL) != SQLITE_OK)
		goto err;
	sqlite3_bind_int64(s, 1, machine_id);
	sqlite3_bind_text(s, 2, c->name, -1, SQLITE_TRANSIENT);
	sql_bind_text(s, 3, c->description);
	sql_bind_text(s, 4, c->source);
	sqlite3_bind_text(s, 5, c->yaml, (int)c->yaml_len, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 6, sha, -1, SQLITE_TRANSIENT);
	if (sql_step_once(st, s, "recording the campaign") < 0)
		goto err;
	id = sqlite3_last_insert_rowid(st->db);
	if (sqlite3_prepare_v2(st->db,
			       "INSERT INTO conditions (campaign_id, perf_event_paranoid, nmi_watchdog, hypervisor,"
			       " smt, governor, python3_version, placement, oversubscribe, timeout_s, scale, interval_ms,"
			       " thp) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
			       -1, &s, NULL) != SQLITE_OK)
		goto err;
	sqlite3_bind_int64(s, 1, id);
	sql_bind_long(s, 2, cond->perf_event_paranoid);
	sql_bind_long(s, 3, cond->nmi_watchdog);
	sql_bind_text(s, 4, cond->hypervisor);
	sql_bind_text(s, 5, cond->smt);
	sql_bind_text(s, 6, cond->governor);
	sql_bind_text(s, 7, cond->python3_version);
	sqlite3_bind_text(s, 8, placement_name(c->placement), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 9, c->oversubscribe);
	sqlite3_bind_double(s, 10, c->timeout_s);
	sqlite3_bind_double(s, 11, c->scale);
	sqlite3_bind_int(s, 12, c->interval_ms);
	sql_bind_text(s, 13, cond->thp);
	if (sql_step_once(st, s, "recording the campaign's conditions") < 0)
		goto err;
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto err;
	*ret_id = id;
	return 0;
err:
	if (!st->errmsg[0])
		store_fail(st, "recording the campaign");
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -EIO;
}

int store_campaign_submitter(struct store *st, int64_t campaign_id, const char *user, unsigned uid)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db, "UPDATE campaigns SET submitted_by = ?, submitted_uid = ? WHERE id = ?", -1, &s,
			       NULL) != SQLITE_OK)
		return store_fail(st, "recording the submitter");
	sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, uid);
	sqlite3_bind_int64(s, 3, campaign_id);
	return sql_step_once(st, s, "recording the submitter");
}

int store_campaign_end(struct store *st, int64_t campaign_id, const char *status, const char *error)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db,
			       "UPDATE campaigns SET status = ?, error = ?,"
			       " finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
			       -1, &s, NULL) != SQLITE_OK)
		return store_fail(st, "finishing the campaign");
	sqlite3_bind_text(s, 1, status, -1, SQLITE_STATIC);
	sql_bind_text(s, 2, error);
	sqlite3_bind_int64(s, 3, campaign_id);
	return sql_step_once(st, s, "finishing the campaign");
}

/* ---- 4. runs ---------------------------------------------------------- */

int store_run_begin(struct store *st)
{
	return sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? 0
		: store_fail(st, "starting the run's transaction");
}

int store_run_figures(struct store *st, int64_t run_id)
{
	sqlite3_stmt *s = st->stmt[ST_FIGURES];

	int r;

	sqlite3_bind_int64(s, 1, run_id);
	r = sql_step_cached(st, s, "computing the run's figures");
	if (r < 0)
		return r;
	s = st->stmt[ST_SERIAL];
	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_double(s, 2, SERIAL_TICK_MAX_CORES);
	sqlite3_bind_text(s, 3, WAIT_EVENT, -1, SQLITE_STATIC);
	return sql_step_cached(st, s, "finding the run's serial phases");
}

int store_run_commit(struct store *st)
{
	return sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0
		: store_fail(st, "committing the run");
}

void store_run_rollback(struct store *st)
{
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Binds the tail's bytes in order (the ring unrolled) into a fresh buffer. */
static void bind_tail(sqlite3_stmt *s, int i, const struct tail *t)
{
	char *flat;

	if (!t->buf || t->len == 0) {
		sqlite3_bind_null(s, i);
		return;
	}
	flat = malloc(t->len);
	if (!flat)
		abort();
	for (size_t k = 0; k < t->len; k++)
		flat[k] = t->buf[(t->start + k) % TAIL_BYTES];
	sqlite3_bind_blob(s, i, flat, (int)t->len, free);
}

/* The interference row of a co-run: its slowdown against the median of the
 * same campaign's ordinary runs of the workload at the same count. */
static int store_interference(struct store *st, int64_t campaign_id, int64_t run_id, const struct run_result *run)
{
	sqlite3_stmt *s = st->stmt[ST_INTERFERENCE];
	const struct corun_result *c = &run->corun;

	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_text(s, 2, corunner_name((enum corunner)c->kind), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, c->n_corunners);
	if (run->status == RUN_OK && run->wall_ns > 0)
		sqlite3_bind_int64(s, 4, run->wall_ns);
	sql_bind_double(s, 5, c->rate_alone);
	sql_bind_double(s, 6, c->rate_beside);
	sql_bind_text(s, 7, c->unit[0] ? c->unit : NULL);
	sql_bind_double(s, 8, c->cache_ns_alone);
	sql_bind_double(s, 9, c->cache_ns_beside);
	if (c->hog_bytes)
		sqlite3_bind_int64(s, 10, (sqlite3_int64)c->hog_bytes);
	sqlite3_bind_int64(s, 11, campaign_id);
	sqlite3_bind_text(s, 12, run->workload->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 13, run->n_workers);
	return sql_step_cached(st, s, "storing interference");
}

/* The workers' CPU times summed and the run-queue wait of all their
 * tasks, at columns first..first+2: computed once here, so that reading a
 * stack needs no pass over the workers. A sum is NULL unless every worker
 * has it. */
static void bind_run_sums(sqlite3_stmt *s, int first, const struct run_result *run)
{
	int64_t user = 0, kernel = 0;
	int all_rusage = run->nworkers > 0;

	for (size_t i = 0; i < run->nworkers; i++) {
		all_rusage &= run->workers[i].have_rusage;
		user += run->workers[i].utime_ns;
		kernel += run->workers[i].stime_ns;
	}
	if (all_rusage) {
		sqlite3_bind_int64(s, first, user);
		sqlite3_bind_int64(s, first + 1, kernel);
	}
	sql_bind_id(s, first + 2, run->run_delay_ns);
}

/* The host's noise at columns first..first+7; -1 (unknown) stays NULL. */
static void bind_noise(sqlite3_stmt *s, int first, const struct host_noise *n)
{
	const int64_t v[] = {
		n->reserved_busy_ns, n->reserved_idle_ns, n->reserved_steal_ns, n->other_busy_ns,
		n->other_total_ns, n->psi_cpu_us, n->psi_mem_us, n->psi_io_us,
	};

	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		sql_bind_id(s, first + (int)i, v[i]);
}

/* What variant v changes, once per campaign (its first run writes it). */
static int store_variant(struct store *st, int64_t campaign_id, const struct variant *v)
{
	sqlite3_stmt *s;
	char changes[1024], *env = xstrdup(""), *more, *wls = NULL;
	int r;

	for (size_t i = 0; i < v->env_count; i++) {
		more = xasprintf("%s%s%s", env, i ? "\n" : "", v->env[i]);
		free(env);
		env = more;
	}
	for (size_t i = 0; i < v->nworkloads; i++) {
		more = xasprintf("%s%s%s", wls ? wls : "", i ? "," : "", v->workloads[i]);
		free(wls);
		wls = more;
	}
	variant_describe(v, changes, sizeof(changes));
	r = sql_prepare(st, "storing the variant",
			"INSERT OR IGNORE INTO variants (campaign_id, name, changes, env, thp, memory, placement, scale,"
			" workloads, chosen_by, tests) VALUES (?,?,?,?,?,?,?,?,?,?,?)", &s);
	if (r == 0) {
		sqlite3_bind_int64(s, 1, campaign_id);
		sqlite3_bind_text(s, 2, v->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, changes, -1, SQLITE_STATIC);
		if (v->env_count)
			sqlite3_bind_text(s, 4, env, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, variant_thp_name(v->thp), -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 6, variant_memory_name(v->memory), -1, SQLITE_STATIC);
		if (v->placement >= 0)
			sqlite3_bind_text(s, 7, placement_name((enum placement)v->placement), -1, SQLITE_STATIC);
		sqlite3_bind_double(s, 8, v->scale);
		sql_bind_text(s, 9, wls);
		sqlite3_bind_text(s, 10, v->tests ? "confirm" : "campaign", -1, SQLITE_STATIC);
		sql_bind_text(s, 11, v->tests);
		r = sqlite3_step(s) == SQLITE_DONE ? 0 : store_fail(st, "storing the variant");
		sqlite3_finalize(s);
	}
	free(env);
	free(wls);
	return r < 0 ? -EIO : 0;
}

int store_run_insert(struct store *st, int64_t campaign_id, const struct run_result *run,
		     int64_t *ret_run_id, int64_t *ret_worker_ids)
{
	sqlite3_stmt *s = st->stmt[ST_RUN];
	int64_t run_id;

	sqlite3_bind_int64(s, 1, campaign_id);
	sqlite3_bind_int(s, 2, run->seq);
	sqlite3_bind_text(s, 3, run->workload->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, wl_mode_name(run->workload->mode), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, run->n_workers);
	sqlite3_bind_int(s, 6, run->repetition);
	sqlite3_bind_text(s, 7, run_status_name(run->status), -1, SQLITE_STATIC);
	sql_bind_id(s, 8, run->wall_ns);
	sql_bind_id(s, 9, run->start_skew_ns);
	sqlite3_bind_text(s, 10, run->started_at, -1, SQLITE_STATIC);
	sql_bind_text(s, 11, run->error);
	if (run->corun.kind)
		sqlite3_bind_text(s, 12, corunner_name((enum corunner)run->corun.kind), -1, SQLITE_STATIC);
	if (run->working_set_bytes > 0)
		sqlite3_bind_int64(s, 13, (sqlite3_int64)run->working_set_bytes);
	bind_run_sums(s, 14, run);
	bind_noise(s, 17, &run->noise);
	if (run->variant)
		sqlite3_bind_text(s, 25, run->variant->name, -1, SQLITE_STATIC);
	if (run->corun.bandit)
		sqlite3_bind_double(s, 26, run->corun.level);
	if (sql_step_cached(st, s, "storing the run") < 0)
		return -EIO;
	run_id = sqlite3_last_insert_rowid(st->db);
	if (run->variant && store_variant(st, campaign_id, run->variant) < 0)
		return -EIO;
	if (run->corun.kind && store_interference(st, campaign_id, run_id, run) < 0)
		return -EIO;

	s = st->stmt[ST_WORKER];
	for (size_t i = 0; i < run->nworkers; i++) {
		const struct worker_result *w = &run->workers[i];
		int64_t wall = w->start_ns > 0 && w->end_ns > 0 ? w->end_ns - w->start_ns : -1;

		sqlite3_bind_int64(s, 1, run_id);
		sqlite3_bind_int(s, 2, w->slot);
		sqlite3_bind_int(s, 3, w->cpu);
		sqlite3_bind_text(s, 4, w->cpus, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 5, w->core);
		sql_bind_id(s, 6, w->pid > 0 ? w->pid : -1);
		sqlite3_bind_text(s, 7, worker_status_name(w->status), -1, SQLITE_STATIC);
		sql_bind_id(s, 8, w->exit_code);
		sql_bind_id(s, 9, w->signal);
		sql_bind_id(s, 10, w->exec_errno);
		sql_bind_text(s, 11, w->error);
		sql_bind_id(s, 12, w->start_ns > 0 ? w->start_ns : -1);
		sql_bind_id(s, 13, w->end_ns > 0 ? w->end_ns : -1);
		sql_bind_id(s, 14, wall);
		if (w->have_rusage) {
			sqlite3_bind_int64(s, 15, w->utime_ns);
			sqlite3_bind_int64(s, 16, w->stime_ns);
			sqlite3_bind_int64(s, 17, w->maxrss_kb);
			sqlite3_bind_int64(s, 18, w->minflt);
			sqlite3_bind_int64(s, 19, w->majflt);
			sqlite3_bind_int64(s, 20, w->nvcsw);
			sqlite3_bind_int64(s, 21, w->nivcsw);
		}
		sql_bind_id(s, 22, w->run_delay_ns);
		sqlite3_bind_int64(s, 23, (sqlite3_int64)w->out.total);
		sqlite3_bind_int64(s, 24, (sqlite3_int64)w->err.total);
		bind_tail(s, 25, &w->out);
		bind_tail(s, 26, &w->err);
		sqlite3_bind_int64(s, 27, w->uid);
		sqlite3_bind_int64(s, 28, w->gid);
		if (sql_step_cached(st, s, "storing a worker") < 0)
			return -EIO;
		ret_worker_ids[i] = sqlite3_last_insert_rowid(st->db);
	}
	*ret_run_id = run_id;
	return 0;
}

int store_counter(struct store *st, int64_t run_id, int64_t worker_id, const struct counter_row *row)
{
	sqlite3_stmt *s = st->stmt[ST_COUNTER];

	sqlite3_bind_int64(s, 1, run_id);
	if (worker_id > 0)
		sqlite3_bind_int64(s, 2, worker_id);
	sqlite3_bind_text(s, 3, row->event, -1, SQLITE_STATIC);
	sql_bind_text(s, 4, row->encoding);
	if (row->has_value) {
		sqlite3_bind_int64(s, 5, (sqlite3_int64)row->value);
		sqlite3_bind_double(s, 6, row->scaled);
	}
	if (row->has_times) {
		sqlite3_bind_int64(s, 7, (sqlite3_int64)row->time_enabled);
		sqlite3_bind_int64(s, 8, (sqlite3_int64)row->time_running);
	}
	sqlite3_bind_text(s, 9, counter_status_name(row->status), -1, SQLITE_STATIC);
	sql_bind_text(s, 10, row->reason);
	return sql_step_cached(st, s, "storing a counter");
}

int store_bandwidth(struct store *st, int64_t run_id, const struct bandwidth_row *row)
{
	sqlite3_stmt *s = st->stmt[ST_BANDWIDTH];

	sqlite3_bind_int64(s, 1, run_id);
	if (row->socket >= 0)
		sqlite3_bind_int(s, 2, row->socket);
	sqlite3_bind_text(s, 3, row->source, -1, SQLITE_STATIC);
	sql_bind_text(s, 4, row->pmu && *row->pmu ? row->pmu : NULL);
	if (row->has_read)
		sqlite3_bind_int64(s, 5, row->read_bytes);
	if (row->has_write)
		sqlite3_bind_int64(s, 6, row->write_bytes);
	if (row->seconds > 0)
		sqlite3_bind_double(s, 7, row->seconds);
	sqlite3_bind_text(s, 8, row->status, -1, SQLITE_STATIC);
	sql_bind_text(s, 9, row->reason);
	return sql_step_cached(st, s, "storing bandwidth");
}

int store_llc_misses(struct store *st, int64_t run_id, const char *event, double *ret_sum, char **ret_why)
{
	sqlite3_stmt *s = st->stmt[ST_LLC];
	int r, rows = 0, counted = 0;
	double sum = 0;
	char *why = NULL;

	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_text(s, 2, event, -1, SQLITE_STATIC);
	r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		rows = sqlite3_column_int(s, 0);
		counted = sqlite3_column_int(s, 1);
		sum = sqlite3_column_double(s, 2);
		if (sqlite3_column_type(s, 3) != SQLITE_NULL)
			why = xstrdup((const char *)sqlite3_column_text(s, 3));
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (r != SQLITE_ROW) {
		free(why);
		return store_fail(st, "reading LLC misses");
	}
	if (rows > 0 && counted == rows) {
		free(why);
		*ret_sum = sum;
		return 0;
	}
	*ret_why = rows == 0 ? xstrdup("not among the campaign's events") : why ? why : xstrdup("no reason stored");
	if (rows == 0)
		free(why);
	return 1;
}

int store_sample(struct store *st, int64_t run_id, const struct sample_row *row)
{
	sqlite3_stmt *s = st->stmt[ST_SAMPLE];

	sqlite3_bind_int64(s, 1, run_id);
	if (row->worker_id > 0)
		sqlite3_bind_int64(s, 2, row->worker_id);
	sqlite3_bind_int64(s, 3, row->t_ns);
	sqlite3_bind_text(s, 4, row->event, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, (sqlite3_int64)row->delta);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)row->enabled_delta);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)row->running_delta);
	return sql_step_cached(st, s, "storing a sample");
}

int store_find_campaign(struct store *st, const char *text, int64_t *ret_id)
{
	sqlite3_stmt *s;
	char *end;
	long long id = strtoll(text, &end, 10);
	int r;

	if (*text && !*end && id > 0) {
		if (sql_prepare(st, "finding the campaign",
				"SELECT id FROM campaigns WHERE id = ?1 OR name = ?2 ORDER BY id = ?1 DESC", &s) < 0)
			return -EIO;
		sqlite3_bind_int64(s, 1, id);
	} else if (sql_prepare(st, "finding the campaign",
			       "SELECT max(id) FROM campaigns WHERE name = ?2 HAVING count(*) > 0", &s) < 0) {
		return -EIO;
	}
	sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
	r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		*ret_id = sqlite3_column_int64(s, 0);
	else if (r != SQLITE_DONE)
		store_fail(st, "finding the campaign");
	sqlite3_finalize(s);
	return r == SQLITE_ROW ? 0 : r == SQLITE_DONE ? -ENOENT : -EIO;
}

/* ---- 5. the timeline's staging ---------------------------------------- */

/* Why staging and not the run's transaction opened at its start: that
 * transaction would hold the database's write lock for the whole run
 * (minutes, hours), against the daemon's own queue updates, and keep every
 * sample in the WAL until its end; a TEMP table is this connection's own,
 * locks nothing in the database, and vanishes with the connection. */
int store_stage_clear(struct store *st)
{
	/* a file, whatever the build's default (memory would defeat the
	 * point), with a page cache of 1 MiB; outside any transaction */
	return sql_exec(st, "staging the timeline",
			"PRAGMA temp_store = FILE; PRAGMA temp.cache_size = -1024;"
			" CREATE TEMP TABLE IF NOT EXISTS sample_stage (worker INTEGER NOT NULL,"
			" t_ns INTEGER NOT NULL, event TEXT NOT NULL, delta INTEGER, time_enabled_delta INTEGER,"
			" time_running_delta INTEGER);"
			" CREATE TEMP TABLE IF NOT EXISTS stage_workers (worker INTEGER PRIMARY KEY, id INTEGER);"
			" DELETE FROM temp.sample_stage; DELETE FROM temp.stage_workers");
}

int store_stage_samples(struct store *st, const struct stage_row *rows, size_t n)
{
	sqlite3_stmt *s;
	int r;

	/* a savepoint: its own transaction between runs, nested in the run's
	 * when the last rows come at its store */
	if (sql_exec(st, "staging samples", "SAVEPOINT stage") < 0)
		return -EIO;
	r = sql_prepare(st, "staging samples",
			"INSERT INTO temp.sample_stage (worker, t_ns, event, delta, time_enabled_delta,"
			" time_running_delta) VALUES (?,?,?,?,?,?)",
			&s);
	for (size_t i = 0; r == 0 && i < n; i++) {
		sqlite3_bind_int(s, 1, rows[i].worker);
		sqlite3_bind_int64(s, 2, rows[i].t_ns);
		sqlite3_bind_text(s, 3, rows[i].event, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 4, (sqlite3_int64)rows[i].delta);
		sqlite3_bind_int64(s, 5, (sqlite3_int64)rows[i].enabled_delta);
		sqlite3_bind_int64(s, 6, (sqlite3_int64)rows[i].running_delta);
		r = sql_step_cached(st, s, "staging samples");
	}
	if (r == 0) {
		sqlite3_finalize(s);
		return sql_exec(st, "staging samples", "RELEASE stage");
	}
	if (s)
		sqlite3_finalize(s);
	sqlite3_exec(st->db, "ROLLBACK TO stage; RELEASE stage", NULL, NULL, NULL);
	return r;
}

int store_stage_move(struct store *st, int64_t run_id, const int64_t *worker_ids, size_t nworkers)
{
	sqlite3_stmt *s;
	int r = sql_prepare(st, "storing the timeline", "INSERT INTO temp.stage_workers (worker, id) VALUES (?,?)", &s);

	for (size_t w = 0; r == 0 && w < nworkers; w++) {
		sqlite3_bind_int64(s, 1, (sqlite3_int64)w);
		sqlite3_bind_int64(s, 2, worker_ids[w]);
		r = sql_step_cached(st, s, "storing the timeline");
	}
	if (s)
		sqlite3_finalize(s);
	if (r < 0 || sql_prepare_id(st, "storing the timeline",
				    "INSERT INTO samples (run_id, worker_id, t_ns, event, delta, time_enabled_delta,"
				    " time_running_delta) SELECT ?1, m.id, s.t_ns, s.event, s.delta,"
				    " s.time_enabled_delta, s.time_running_delta FROM temp.sample_stage s"
				    " LEFT JOIN temp.stage_workers m ON m.worker = s.worker"
				    " WHERE s.worker < 0 OR m.id IS NOT NULL ORDER BY s.rowid",
				    run_id, &s) < 0)
		return -EIO;
	r = sql_step_once(st, s, "storing the timeline");
	/* not store_stage_clear: temp_store cannot change in a transaction */
	return r < 0 ? r
		     : sql_exec(st, "storing the timeline",
				"DELETE FROM temp.sample_stage; DELETE FROM temp.stage_workers");
}

int store_run_timeline_note(struct store *st, int64_t run_id, const char *note)
{
	sqlite3_stmt *s;

	if (sql_prepare_id(st, "noting the timeline's end", "UPDATE runs SET timeline_note = ?2 WHERE id = ?1", run_id,
			   &s) < 0)
		return -EIO;
	sqlite3_bind_text(s, 2, note, -1, SQLITE_STATIC);
	return sql_step_once(st, s, "noting the timeline's end");
}

int store_used_bytes(struct store *st, int64_t *ret_bytes)
{
	sqlite3_stmt *s;
	int rc;

	if (sql_prepare(st, "measuring the database",
			"SELECT (SELECT page_count FROM pragma_page_count) - (SELECT freelist_count FROM"
			" pragma_freelist_count), (SELECT page_size FROM pragma_page_size)",
			&s) < 0)
		return -EIO;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*ret_bytes = sqlite3_column_int64(s, 0) * sqlite3_column_int64(s, 1);
	return sql_rows_end(st, s, rc == SQLITE_ROW ? sqlite3_step(s) : rc, "measuring the database");
}
