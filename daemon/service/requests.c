/* requests.c: scalprofd's answers to its clients' requests (see requests.h). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"
#include "base/version.h"
#include "model/campaign.h"
#include "model/plan.h"
#include "service/requests.h"
#include "service/sched.h"
#include "service/watch.h"
#include "store/queue.h"

static void fail_store(struct daemon *d, struct conn *c)
{
	conn_fail(c, "database: %s", store_errmsg(d->st));
}

static void fail_lookup(struct daemon *d, struct conn *c, int64_t id, int r)
{
	if (r == -ENOENT)
		conn_fail(c, "no campaign %lld in the queue (see scalprof list)", (long long)id);
	else
		fail_store(d, c);
}

/* The reply {key: v, "ok": true}, after which c is done. */
static void reply_done(struct conn *c, const char *key, json_object *v)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, key, v);
	conn_reply_ok(c, o);
	c->closing = 1;
}

static int final_status(const char *st)
{
	return strcmp(st, "done") == 0 || strcmp(st, "failed") == 0 || strcmp(st, "cancelled") == 0 ||
	       strcmp(st, "interrupted") == 0;
}

/* The submitted campaign, loaded as the client loads it (the same loader
 * and messages, the daemon's defaults). Returns it, or NULL after failing c. */
static struct campaign *load_submitted(struct daemon *d, struct conn *c, const struct request *req)
{
	struct campaign *camp = NULL;
	char *err = NULL;
	int r;

	r = campaign_parse_submitted(req->path, req->yaml, strlen(req->yaml), d->topo, &d->cfg.defaults, &camp, &err);
	if (r == 0 && req->scale > 0 && campaign_set_scale(camp, req->scale) < 0)
		err = xasprintf("scale %g is out of range", req->scale);
	if (err) {
		conn_fail(c, "%s", err);
		free(err);
		campaign_free(camp);
		return NULL;
	}
	return camp;
}

/* Queues camp for c's user, who is remembered with their groups: the
 * executor acts as them. */
static void enqueue(struct daemon *d, struct conn *c, const struct request *req, const struct campaign *camp,
		    size_t nruns)
{
	struct queue_item it = {
		.name = camp->name, .source = req->path, .yaml = req->yaml, .scale = req->scale, .uid = c->uid,
		.gid = c->gid, .groups = c->groups, .ngroups = c->ngroups, .runs_total = (int)nruns,
		.defaults = d->cfg.defaults,
	};
	json_object *o;
	int64_t id;

	it.user = user_name(c->uid);
	if (queue_add(d->st, &it, &id) < 0) {
		fail_store(d, c);
		free(it.user);
		return;
	}
	log_info("queue %lld: campaign '%s' (%zu runs) submitted by %s", (long long)id, camp->name, nruns, it.user);
	free(it.user);
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "name", json_object_new_string(camp->name));
	json_object_object_add(o, "runs", json_object_new_int((int)nruns));
	conn_reply_ok(c, o);
	c->closing = 1;
}

/* Whether c's user may queue one more campaign (root may always); fails
 * c when not. Checked before the campaign is loaded: a refusal costs
 * nothing. */
static int may_queue(struct daemon *d, struct conn *c)
{
	int n, limit = d->cfg.clients.queued_per_user;
	char *user;

	if (c->uid == 0)
		return 1;
	if (queue_count_pending(d->st, c->uid, &n) < 0) {
		fail_store(d, c);
		return 0;
	}
	if (n < limit)
		return 1;
	user = user_name(c->uid);
	conn_fail(c, "%s has %d campaigns queued or running, the most one user may have "
		  "(clients.queued_per_user in %s); wait for one to end, or cancel one "
		  "(scalprof list, scalprof cancel)",
		  user, n, d->config_path);
	free(user);
	return 0;
}

/* The per-campaign limits a submission can be checked against now
 * (config.h): 0, or -EINVAL after refusing it with the key to look at. */
static int over_limits(struct daemon *d, struct conn *c, const struct campaign *camp)
{
	const struct config_limits *l = &d->cfg.limits;
	int most = 0;

	for (size_t i = 0; i < camp->nworkers; i++)
		if (camp->workers[i] > most)
			most = camp->workers[i];
	if (most > l->max_workers_per_run) {
		conn_fail(c, "campaign '%s' asks for %d workers in a run; this scalprofd allows at most %d "
			  "(max_workers_per_run in %s)", camp->name, most, l->max_workers_per_run, d->config_path);
		return -EINVAL;
	}
	if (camp->repetitions > l->max_repetitions) {
		conn_fail(c, "campaign '%s' asks for %d repetitions; this scalprofd allows at most %d "
			  "(max_repetitions in %s)", camp->name, camp->repetitions, l->max_repetitions, d->config_path);
		return -EINVAL;
	}
	return 0;
}

static void do_submit(struct daemon *d, struct conn *c, const struct request *req)
{
	struct campaign *camp;
	size_t nruns;

	if (!may_queue(d, c))
		return;
	camp = load_submitted(d, c, req);
	if (!camp)
		return;
	nruns = plan_count(camp, topology_cores(d->topo));
	if (nruns > (size_t)d->cfg.max_runs)
		conn_fail(c, "campaign '%s' plans %zu runs; this scalprofd accepts at most %d (max_runs in %s)",
			  camp->name, nruns, d->cfg.max_runs, d->config_path);
	else if (over_limits(d, c, camp) == 0)
		enqueue(d, c, req, camp, nruns);
	campaign_free(camp);
	sched_next(d);
}

static void do_list(struct daemon *d, struct conn *c)
{
	json_object *o;

	if (queue_list_json(d->st, &o) < 0)
		fail_store(d, c);
	else
		reply_done(c, "campaigns", o);
}

/* The daemon's own status (a status request without an id). */
static json_object *daemon_json(struct daemon *d)
{
	json_object *o = json_object_new_object();
	int n;

	json_object_object_add(o, "version", json_object_new_string(scalprof_version()));
	json_object_object_add(o, "pid", json_object_new_int(getpid()));
	json_object_object_add(o, "database", json_object_new_string(d->cfg.database));
	json_object_object_add(o, "running", d->exec_pid > 0 ? json_object_new_int64(d->exec_qid) : NULL);
	json_object_object_add(o, "waiting_for_lock", proto_new_str(d->waiting_for));
	json_object_object_add(o, "status", json_object_new_string(d->status_line));
	/* the rest of the status stands without it */
	if (queue_count(d->st, "queued", &n) == 0)
		json_object_object_add(o, "queued", json_object_new_int(n));
	return o;
}

/* status with an id, and watch: the campaign's entry; watch then follows
 * it to its end, which a campaign already over gets at once. */
static void do_campaign(struct daemon *d, struct conn *c, const struct request *req)
{
	json_object *o, *reply;
	int final, r = queue_get_json(d->st, req->id, &o);

	if (r < 0) {
		fail_lookup(d, c, req->id, r);
		return;
	}
	final = proto_str(o, "status") && final_status(proto_str(o, "status"));
	reply = json_object_new_object();
	json_object_object_add(reply, "campaign", o);
	conn_reply_ok(c, reply);
	if (req->op == OP_STATUS) {
		c->closing = 1;
	} else if (final) {
		conn_reply(c, proto_line(watch_end_event(d, req->id)));
		c->closing = 1;
	} else {
		watch_start(d, c, req->id);
	}
}

static void do_cancel(struct daemon *d, struct conn *c, const struct request *req)
{
	struct queue_item it;
	char *by;
	int r = queue_get(d->st, req->id, &it);

	if (r < 0) {
		fail_lookup(d, c, req->id, r);
		return;
	}
	if (c->uid != 0 && c->uid != it.uid) {
		conn_fail(c, "permission denied: campaign %lld was submitted by %s; only they or root may cancel it",
			  (long long)req->id, it.user);
	} else if (final_status(it.status)) {
		conn_fail(c, "campaign %lld is already %s", (long long)req->id, it.status);
	} else {
		by = user_name(c->uid);
		if (sched_cancel(d, it.id, by) < 0) {
			fail_store(d, c);
		} else {
			log_info("queue %lld: cancelled by %s", (long long)it.id, by);
			reply_done(c, "id", json_object_new_int64(it.id));
		}
		free(by);
	}
	queue_item_clear(&it);
}

void requests_handle(struct daemon *d, struct conn *c, const struct request *req)
{
	switch (req->op) {
	case OP_SUBMIT:
		do_submit(d, c, req);
		break;
	case OP_LIST:
		do_list(d, c);
		break;
	case OP_STATUS:
		if (req->id == 0)
			reply_done(c, "daemon", daemon_json(d));
		else
			do_campaign(d, c, req);
		break;
	case OP_WATCH:
		do_campaign(d, c, req);
		break;
	case OP_CANCEL:
		do_cancel(d, c, req);
		break;
	}
}
