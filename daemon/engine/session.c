/* session.c: the one campaign lifecycle (see session.h).
 *
 * Sections: 1. the messages; 2. beginning (a new campaign, or a resumed
 * one); 3. the ceiling; 4. the runs and the end. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/report.h"
#include "base/util.h"
#include "engine/session.h"
#include "engine/confirm.h"
#include "engine/spawn.h"
#include "host/hostinfo.h"
#include "model/plan.h"

/* ---- 1. the messages ------------------------------------------------- */

const char *session_interrupted_message(enum session_kind kind)
{
	return kind == SESSION_DAEMON ? "stopped by scalprofd (SIGTERM or cancel)" : "interrupted by a signal";
}

#define CEILING_FAILED "measuring the machine's ceiling failed"

/* Sets ret's error to the store's message, marked as the database's. */
static int db_error(const struct session_opts *o, struct session_result *ret)
{
	free(ret->error);
	ret->error = xstrdup(store_errmsg(o->store));
	ret->db_error = 1;
	return -EIO;
}

/* ---- 2. beginning ---------------------------------------------------- */

/* A new campaign row for this machine, with its conditions and submitter. */
static int begin_new(const struct session_opts *o, struct session_result *ret, int64_t *ret_machine)
{
	const struct workload *py;
	struct machine_info mi;
	struct conditions cond;
	int r;

	machine_info_read(o->topo, &mi);
	conditions_read(&cond);
	py = campaign_python(o->campaign);
	if (py) {
		char *argv[] = { py->command[0], (char *)"--version", NULL };

		cond.python3_version = spawn_first_line(argv, o->base_env, py->cwd, o->creds);
	}
	r = store_machine(o->store, &mi, ret_machine);
	if (r == 0)
		r = store_campaign_begin(o->store, *ret_machine, o->campaign, &cond, &ret->campaign_id);
	if (r == 0)
		r = store_campaign_submitter(o->store, ret->campaign_id, o->user, o->uid);
	machine_info_clear(&mi);
	conditions_clear(&cond);
	return r < 0 ? db_error(o, ret) : 0;
}

/* The stopped campaign running again, less the runs it has stored. */
static int begin_resumed(const struct session_opts *o, struct plan *plan, struct session_result *ret,
			 int64_t *ret_machine)
{
	if (store_campaign_resume(o->store, o->resume_id, ret_machine) < 0 ||
	    store_plan_drop_stored(o->store, o->resume_id, o->campaign, plan, &ret->runs_before) < 0)
		return db_error(o, ret);
	ret->campaign_id = o->resume_id;
	return 0;
}

/* ---- 3. the ceiling -------------------------------------------------- */

/* The ceiling is the machine's, not the database's: measured once (about
 * 12 s), kept in the machine's cache (engine/ceiling.h) and copied into
 * each new database from there. */

/* Copies the machine's cached ceiling into the database. Returns 0 (the
 * hooks told, as if it had been measured, with c->from saying where it came
 * from), or -ENOENT when there is none to use (absent, stale, of another
 * key, or the database would not take it: measure it then). */
static int reuse_ceiling(const struct session_opts *o, int64_t machine_id, uint64_t max_bytes)
{
	const struct session_hooks *h = o->hooks;
	struct ceiling *c = xcalloc(1, sizeof(*c));
	char *key = ceiling_cache_key(o->topo, max_bytes);
	int r = ceiling_cache_load(key, c);

	if (r == 0 && ceiling_store(o->store, machine_id, c) < 0)
		r = -EIO;
	if (r == 0 && h && h->ceiling_end)
		h->ceiling_end(h->arg, 0, c, NULL);
	free(key);
	free(c);
	return r == 0 ? 0 : -ENOENT;
}

int session_measure_ceiling(const struct session_opts *o, int64_t machine_id, double scale, uint64_t max_bytes)
{
	const struct session_hooks *h = o->hooks;
	struct ceiling_opts co = { .topo = o->topo, .scale = scale, .max_bytes = max_bytes, .sigfd = o->sigfd };
	struct ceiling *c = xcalloc(1, sizeof(*c));
	char *err = NULL;
	int r;

	if (h && h->ceiling_start)
		h->ceiling_start(h->arg, &co);
	r = ceiling_measure(&co, c, &err);
	if (r == 0 && ceiling_store(o->store, machine_id, c) < 0) {
		err = xstrdup(store_errmsg(o->store)); /* "storing the ceiling: ..." */
		r = -EIO;
	}
	if (r == 0) {
		/* the cache spares the next database the measurement; without it
		 * the next one measures again, so a failure here is no failure */
		char *key = ceiling_cache_key(o->topo, max_bytes), *why = NULL;

		ceiling_cache_save(key, c, &why);
		free(why);
		free(key);
	}
	if (h && h->ceiling_end)
		h->ceiling_end(h->arg, r, r == 0 ? c : NULL, err);
	free(err);
	free(c);
	return r;
}

/* ---- 4. the runs and the end ----------------------------------------- */

/* Ends the campaign as status with error; a failure to write that is the
 * database's error unless the campaign had one already. */
static void end_campaign(const struct session_opts *o, struct session_result *ret, const char *status,
			 const char *error)
{
	ret->status = status;
	if (error && error != ret->error) {
		free(ret->error);
		ret->error = xstrdup(error);
	}
	if (store_campaign_end(o->store, ret->campaign_id, status, error) < 0 && !ret->error)
		db_error(o, ret);
}

/* The runner's outcome r as the campaign's end; returns r. */
static int end_after_runs(const struct session_opts *o, struct session_result *ret, int r, char *runner_error)
{
	const struct runner_summary *sum = &ret->sum;

	if (r == -EINTR) {
		end_campaign(o, ret, "interrupted", session_interrupted_message(o->kind));
	} else if (r < 0) {
		end_campaign(o, ret, "failed", runner_error ? runner_error : "failed");
	} else {
		end_campaign(o, ret, "done", NULL);
		if (sum->runs_ok != sum->runs_done && !ret->error)
			ret->error = xasprintf("%zu of %zu runs did not succeed", sum->runs_done - sum->runs_ok,
					       sum->runs_done);
	}
	free(runner_error);
	return r;
}

/* confirm: true: the interventions chosen from the stored runs, less
 * those a resumed campaign stored already. Returns as the runner does,
 * or -EIO with a fresh *ret_error. */
static int confirm_runs(const struct session_opts *o, const struct runner_opts *ro, struct session_result *ret,
			char **ret_error)
{
	const struct session_hooks *h = o->hooks;
	struct runner_summary sum;
	struct plan p;
	char *summary = NULL;
	size_t stored = 0;
	int r = confirm_plan(o->store, ret->campaign_id, o->campaign, o->topo, &p, &summary);

	if (r == 0)
		r = store_plan_drop_stored(o->store, ret->campaign_id, o->campaign, &p, &stored);
	if (r < 0) {
		*ret_error = xasprintf("choosing the interventions (confirm): %s", store_errmsg(o->store));
		ret->db_error = 1;
	} else {
		if (h && h->confirm_start)
			h->confirm_start(h->arg, ret->campaign_id, p.nruns, stored, summary);
		r = runner_run_campaign(ro, &p, &sum, ret_error);
		ret->nruns += p.nruns;
		ret->sum.runs_done += sum.runs_done;
		ret->sum.runs_ok += sum.runs_ok;
		ret->sum.runs_failed += sum.runs_failed;
		ret->sum.runs_timeout += sum.runs_timeout;
		ret->sum.interrupted = sum.interrupted;
	}
	plan_clear(&p);
	free(summary);
	return r;
}

static int perform_runs(const struct session_opts *o, const struct plan *plan, int64_t machine_id,
			struct session_result *ret)
{
	const struct session_hooks *h = o->hooks;
	struct runner_opts ro = {
		.campaign = o->campaign, .topo = o->topo, .store = o->store, .campaign_id = ret->campaign_id,
		.sigfd = o->sigfd, .progress = h ? h->progress : NULL, .progress_arg = h ? h->arg : NULL,
		/* the cache co-runner keeps half the measured usable cache hot */
		.cache_hog_bytes = store_usable_llc(o->store, machine_id) / 2,
		.creds = o->creds, .base_env = o->base_env, .limits = o->limits,
		.report_warmups = o->report_warmups,
	};
	char *err = NULL;
	int r;

	if (h && h->runs_start)
		h->runs_start(h->arg, ret->campaign_id, plan->nruns);
	/* err is read after the runner has set it: two statements, as the
	 * order of a call's arguments is unspecified */
	r = runner_run_campaign(&ro, plan, &ret->sum, &err);
	if (r == 0 && o->campaign->confirm)
		r = confirm_runs(o, &ro, ret, &err);
	return end_after_runs(o, ret, r, err);
}

/* Judged from what was stored, whatever became of the campaign. */
static void store_verdicts(const struct session_opts *o, struct session_result *ret)
{
	if (ret->runs_before + ret->sum.runs_done == 0)
		return;
	if (report_store_verdicts(o->store, ret->campaign_id, o->version, &ret->verdict_error) < 0 &&
	    !ret->verdict_error)
		ret->verdict_error = xstrdup("storing the verdicts failed");
}

int session_run(const struct session_opts *o, struct session_result *ret)
{
	const struct session_hooks *h = o->hooks;
	struct plan plan = { 0 };
	int64_t machine_id = 0;
	int r;

	memset(ret, 0, sizeof(*ret));
	plan_build(o->campaign, topology_cores(o->topo), &plan);
	r = o->resume_id ? begin_resumed(o, &plan, ret, &machine_id) : begin_new(o, ret, &machine_id);
	ret->nruns = plan.nruns;
	if (r == 0 && h && h->begun)
		r = h->begun(h->arg, ret->campaign_id, plan.nruns, ret->runs_before, &ret->error);
	if (r < 0) {
		if (ret->campaign_id)
			end_campaign(o, ret, "failed", ret->error);
		goto out;
	}
	/* also when resumed: a stop during the measurement left none */
	if (o->measure_ceiling &&
	    (o->reprobe ||
	     (!ceiling_known(o->store, machine_id) && reuse_ceiling(o, machine_id, o->ceiling_max_bytes) < 0))) {
		r = session_measure_ceiling(o, machine_id, 1.0, o->ceiling_max_bytes);
		if (r == -EINTR || (r < 0 && !o->ceiling_optional)) {
			ret->in_ceiling = 1;
			end_campaign(o, ret, r == -EINTR ? "interrupted" : "failed",
				     r == -EINTR ? session_interrupted_message(o->kind) : CEILING_FAILED);
			goto out;
		}
	}
	r = perform_runs(o, &plan, machine_id, ret);
	store_verdicts(o, ret);
out:
	plan_clear(&plan);
	return r;
}

void session_result_clear(struct session_result *r)
{
	free(r->error);
	free(r->verdict_error);
	memset(r, 0, sizeof(*r));
}
