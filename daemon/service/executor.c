/* executor.c: one campaign of the daemon's queue (see executor.h). */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "engine/ceiling.h"
#include "service/executor.h"
#include "host/hostinfo.h"
#include "engine/lock.h"
#include "base/log.h"
#include "model/plan.h"
#include "service/proto.h"
#include "store/queue.h"
#include "analysis/report.h"
#include "engine/runner.h"
#include "store/store.h"
#include "host/topology.h"
#include "base/util.h"
#include "base/version.h"

struct exec_ctx {
	const struct executor_args *a;
	struct store *st;
	int64_t qid;
	int runs_before;        /* runs stored before a resume */
	int total;
};

static void emit(int fd, json_object *o)
{
	char *line = proto_line(o);
	size_t len = strlen(line), off = 0;

	/* the daemon reads promptly; a vanished daemon is not our problem
	 * (we die with it) */
	while (off < len) {
		ssize_t n = write(fd, line + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	free(line);
}

static json_object *run_event(const char *event, const struct runner_progress *p, int index, int total)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "event", json_object_new_string(event));
	json_object_object_add(o, "index", json_object_new_int(index));
	json_object_object_add(o, "total", json_object_new_int(total));
	json_object_object_add(o, "workload", json_object_new_string(p->workload->name));
	json_object_object_add(o, "n_workers", json_object_new_int(p->run->n_workers));
	json_object_object_add(o, "repetition", json_object_new_int(p->run->repetition));
	json_object_object_add(o, "corunner", p->run->corunner ? json_object_new_string(corunner_name(p->run->corunner))
							       : NULL);
	return o;
}

static void on_progress(void *arg, const struct runner_progress *p)
{
	struct exec_ctx *x = arg;
	int index = x->runs_before + (int)p->index;

	switch (p->phase) {
	case PROGRESS_START: {
		struct queue_current cur = {
			.seq = p->run->seq, .workload = p->workload->name, .mode = wl_mode_name(p->workload->mode),
			.corunner = corunner_name(p->run->corunner), .n = p->run->n_workers,
			.repetition = p->run->repetition,
		};

		if (queue_set_current(x->st, x->qid, &cur, index - 1) < 0)
			log_error("queue %lld: %s", (long long)x->qid, store_errmsg(x->st));
		emit(x->a->progress_fd, run_event("start", p, index, x->total));
		break;
	}
	case PROGRESS_SPAWNED:
		if (queue_set_pgids(x->st, x->qid, p->pgids, p->npgids) < 0)
			log_error("queue %lld: %s", (long long)x->qid, store_errmsg(x->st));
		break;
	case PROGRESS_DONE: {
		json_object *o = run_event("run", p, index, x->total);

		json_object_object_add(o, "status", json_object_new_string(run_status_name(p->result->status)));
		if (p->result->wall_ns >= 0)
			json_object_object_add(o, "wall_s", json_object_new_double((double)p->result->wall_ns / 1e9));
		if (p->result->error)
			json_object_object_add(o, "error", json_object_new_string(p->result->error));
		if (queue_set_current(x->st, x->qid, NULL, index) < 0)
			log_error("queue %lld: %s", (long long)x->qid, store_errmsg(x->st));
		emit(x->a->progress_fd, o);
		break;
	}
	case PROGRESS_TICK:
		break;
	}
}

/* A clean environment for the submitter: who they are and a standard
 * PATH; the campaign adds its own env on top. */
static char **submitter_env(uid_t uid)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	char **env = xcalloc(8, sizeof(char *));
	size_t k = 0;

	env[k++] = xstrdup("PATH=/usr/local/bin:/usr/bin:/bin");
	env[k++] = xstrdup("LANG=C.UTF-8");
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res) {
		env[k++] = xasprintf("HOME=%s", res->pw_dir);
		env[k++] = xasprintf("USER=%s", res->pw_name);
		env[k++] = xasprintf("LOGNAME=%s", res->pw_name);
		env[k++] = xasprintf("SHELL=%s", res->pw_shell && *res->pw_shell ? res->pw_shell : "/bin/sh");
	} else {
		env[k++] = xstrdup("HOME=/");
	}
	return env;
}

static void free_strv(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

/* Drops from plan the runs a resumed campaign already has (ok, failed or
 * timed out), and numbers the rest after the last stored seq. */
static int filter_done(sqlite3 *db, int64_t cid, const struct campaign *c, struct plan *plan, int *ret_before)
{
	sqlite3_stmt *s;
	int max_seq = 0, kept = 0;

	if (sqlite3_prepare_v2(db, "SELECT ifnull(max(seq), 0) FROM runs WHERE campaign_id = ?", -1, &s, NULL) !=
	    SQLITE_OK)
		return -EIO;
	sqlite3_bind_int64(s, 1, cid);
	if (sqlite3_step(s) == SQLITE_ROW)
		max_seq = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(db,
			       "SELECT 1 FROM runs WHERE campaign_id = ?1 AND workload = ?2 AND n_workers = ?3"
			       " AND repetition = ?4 AND ifnull(corunner, '') = ?5 AND status IN ('ok', 'failed', 'timeout')",
			       -1, &s, NULL) != SQLITE_OK)
		return -EIO;
	for (size_t i = 0; i < plan->nruns; i++) {
		struct plan_run *pr = &plan->runs[i];
		const char *k = corunner_name(pr->corunner);
		int done;

		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, cid);
		sqlite3_bind_text(s, 2, c->workloads[pr->workload].name, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 3, pr->n_workers);
		sqlite3_bind_int(s, 4, pr->repetition);
		sqlite3_bind_text(s, 5, k ? k : "", -1, SQLITE_STATIC);
		done = sqlite3_step(s) == SQLITE_ROW;
		if (!done) {
			plan->runs[kept] = *pr;
			plan->runs[kept].seq = max_seq + kept + 1;
			kept++;
		}
	}
	sqlite3_finalize(s);
	*ret_before = (int)plan->nruns - kept;
	plan->nruns = (size_t)kept;
	return 0;
}

/* The campaign running again; returns its machine's id, or -EIO. */
static int64_t resume_campaign(sqlite3 *db, int64_t cid)
{
	sqlite3_stmt *s;
	int64_t machine_id = -EIO;

	if (sqlite3_prepare_v2(db,
			       "UPDATE campaigns SET status = 'running', finished_at = NULL, error = NULL WHERE id = ?"
			       " RETURNING machine_id",
			       -1, &s, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_int64(s, 1, cid);
	if (sqlite3_step(s) == SQLITE_ROW)
		machine_id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return machine_id;
}

int executor_main(const struct executor_args *a)
{
	struct exec_ctx x = { .a = a, .qid = a->queue_id };
	struct queue_item it = { 0 };
	struct topology *topo = NULL;
	struct campaign *c = NULL;
	struct plan plan = { 0 };
	struct runner_summary sum = { 0 };
	struct spawn_creds creds;
	char *err = NULL, *holder = NULL, *who = NULL;
	char **env = NULL;
	int64_t machine_id, cid;
	int ex = EXECUTOR_FAILED, sigfd, lockfd = -1, r;

	/* dies with the daemon, and its workers with it (they have the same
	 * signal for us) */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != a->daemon_pid)
		return EXECUTOR_FAILED;
	sigfd = signals_fd();
	if (store_open(a->db_path, &x.st, &err) < 0) {
		log_error("queue %lld: %s", (long long)a->queue_id, err);
		free(err);
		return EXECUTOR_FAILED;
	}
	store_persist_wal(x.st);
	/* runs come seconds apart: a small page cache keeps a long campaign's
	 * memory flat (the 64 MiB of store_open serve bulk ingest) */
	sqlite3_exec(store_db(x.st), "PRAGMA cache_size = -1024", NULL, NULL, NULL);
	if (queue_get(x.st, a->queue_id, &it) < 0) {
		log_error("queue %lld: %s", (long long)a->queue_id, sqlite3_errmsg(store_db(x.st)));
		goto out;
	}
	who = xasprintf("scalprofd (pid %d): queue %lld, campaign '%s' of user %s", (int)a->daemon_pid,
			(long long)it.id, it.name, it.user);
	lockfd = lock_take(a->lock_path, who, &holder);
	if (lockfd == -EBUSY) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "event", json_object_new_string("waiting"));
		json_object_object_add(o, "holder", json_object_new_string(holder));
		emit(a->progress_fd, o);
		ex = EXECUTOR_LOCKED;
		goto out;
	}
	if (lockfd < 0)
		log_warnx("queue %lld: %s: running without the experiment lock", (long long)it.id, holder);

	r = topology_new(&topo);
	if (r < 0) {
		err = xasprintf("cannot read the machine's topology: %s", strerror(-r));
		goto fail;
	}
	/* the defaults it was submitted under: a reload since must not
	 * change its plan, least of all when it resumes */
	r = campaign_parse_defaults(it.source, it.yaml, strlen(it.yaml), topo, &it.defaults, &c, &err);
	if (r == 0 && it.scale > 0)
		r = campaign_set_scale(c, it.scale);
	if (r < 0) {
		if (!err)
			err = xasprintf("invalid scale %g", it.scale);
		goto fail;
	}
	plan_build(c, topology_cores(topo), &plan);
	x.total = (int)plan.nruns;
	if (it.campaign_id == 0) {
		struct machine_info mi;
		struct conditions cond;

		machine_info_read(topo, &mi);
		conditions_read(campaign_uses_python(c), &cond);
		r = store_machine(x.st, &mi, &machine_id);
		if (r == 0)
			r = store_campaign_begin(x.st, machine_id, c, &cond, &cid);
		if (r == 0)
			r = store_campaign_submitter(x.st, cid, it.user, it.uid);
		machine_info_clear(&mi);
		conditions_clear(&cond);
		if (r == 0 && queue_set_campaign(x.st, it.id, cid, x.total) < 0)
			r = -EIO;
		if (r < 0) {
			err = xasprintf("database: %s", store_errmsg(x.st));
			goto fail;
		}
		if (queue_set_status(x.st, it.id, "running", NULL) < 0) {
			err = xasprintf("database: %s", sqlite3_errmsg(store_db(x.st)));
			goto fail;
		}
		if (!ceiling_known(x.st, machine_id)) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "event", json_object_new_string("ceiling"));
			emit(a->progress_fd, o);
		}
		if (!ceiling_known(x.st, machine_id)) {
			struct ceiling_opts co = { .topo = topo, .scale = 1.0, .sigfd = sigfd };
			struct ceiling *ce = xcalloc(1, sizeof(*ce));

			r = ceiling_measure(&co, ce, &err);
			if (r == 0 && ceiling_store(x.st, machine_id, ce) < 0)
				log_error("storing the ceiling: %s", sqlite3_errmsg(store_db(x.st)));
			else if (r < 0 && r != -EINTR)
				log_error("queue %lld: measuring the ceiling: %s", (long long)it.id, err);
			free(ce);
			free(err);
			err = NULL;
			if (r == -EINTR) {
				/* a stop or a cancel while measuring: nothing run yet */
				store_campaign_end(x.st, cid, "interrupted", "stopped by scalprofd (SIGTERM or cancel)");
				queue_set_status(x.st, it.id, "interrupted",
						 "stopped by scalprofd (SIGTERM or cancel)");
				ex = EXECUTOR_INTERRUPTED;
				goto out;
			}
		}
	} else {
		cid = it.campaign_id;
		machine_id = resume_campaign(store_db(x.st), cid);
		if (machine_id < 0 ||
		    filter_done(store_db(x.st), cid, c, &plan, &x.runs_before) < 0) {
			err = xasprintf("resuming: %s", sqlite3_errmsg(store_db(x.st)));
			goto fail;
		}
		log_info("queue %lld: resuming campaign %lld: %d of %d runs stored, %zu to go", (long long)it.id,
			 (long long)cid, x.runs_before, x.total, plan.nruns);
	}
	if (queue_set_status(x.st, it.id, "running", NULL) < 0) {
		err = xasprintf("database: %s", sqlite3_errmsg(store_db(x.st)));
		goto fail;
	}
	{
		/* workers without a cwd start beside their campaign file, as
		 * relative cwds are taken from there */
		char *dir = xstrdup(it.source), *slash = strrchr(dir, '/');

		if (slash)
			*(slash == dir ? slash + 1 : slash) = '\0';
		if (chdir(dir) < 0)
			log_warnx("queue %lld: cannot change to %s: %s; workers without cwd start in /", (long long)it.id,
				  dir, strerror(errno));
		free(dir);
	}
	creds = (struct spawn_creds){ .uid = it.uid, .gid = it.gid, .groups = it.groups, .ngroups = it.ngroups };
	env = submitter_env(it.uid);
	{
		struct runner_opts ro = {
			.campaign = c, .topo = topo, .store = x.st, .campaign_id = cid, .sigfd = sigfd,
			.progress = on_progress, .progress_arg = &x,
			.cache_hog_bytes = store_usable_llc(x.st, machine_id) / 2,
			.creds = &creds, .base_env = env,
		};

		r = runner_run_campaign(&ro, &plan, &sum, &err);
	}
	if (r == -EINTR) {
		store_campaign_end(x.st, cid, "interrupted", "stopped by scalprofd (SIGTERM or cancel)");
		queue_set_status(x.st, it.id, "interrupted", "stopped by scalprofd (SIGTERM or cancel)");
		ex = EXECUTOR_INTERRUPTED;
	} else if (r < 0) {
		store_campaign_end(x.st, cid, "failed", err);
		goto fail;
	} else {
		char *msg = sum.runs_ok == sum.runs_done ? NULL
			: xasprintf("%zu of %zu runs did not succeed", sum.runs_done - sum.runs_ok, sum.runs_done);

		store_campaign_end(x.st, cid, "done", NULL);
		queue_set_status(x.st, it.id, "done", msg);
		free(msg);
		ex = EXECUTOR_DONE;
	}
	{
		char *verr = NULL;

		if (report_store_verdicts(x.st, cid, scalprof_version(), &verr) < 0) {
			log_error("queue %lld: %s", (long long)it.id, verr);
			free(verr);
		}
	}
	goto out;
fail:
	log_error("queue %lld: %s", (long long)it.id, err ? err : "failed");
	if (queue_set_status(x.st, it.id, "failed", err ? err : "failed") < 0)
		log_error("queue %lld: %s", (long long)it.id, sqlite3_errmsg(store_db(x.st)));
	ex = EXECUTOR_FAILED;
out:
	free_strv(env);
	free(err);
	free(holder);
	free(who);
	plan_clear(&plan);
	campaign_free(c);
	topology_free(topo);
	queue_item_clear(&it);
	store_close(x.st);
	if (lockfd >= 0)
		close(lockfd);
	if (sigfd >= 0)
		close(sigfd);
	return ex;
}
