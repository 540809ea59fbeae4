/* probe.c: the registry of probes, the fan-out the runner calls, and the
 * run's timeline the probes share (see probe.h). */
#include <errno.h>
#include <stdlib.h>

#include "probes/probe.h"
#include "store/store.h"
#include "base/util.h"

static const struct probe_class *const probe_classes[] = {
	&counters_probe, /* first: the bandwidth estimate reads its rows */
	&uncore_probe,
	&profile_probe,
};

struct timeline {
	struct store *st;            /* NULL: nothing is kept */
	uint64_t max, kept;          /* the cap (0: none) and this run's samples so far */
	const char *max_what;
	struct stage_row rows[TIMELINE_BATCH]; /* the batch not yet staged */
	size_t n;
	char *note;                  /* why it stopped; NULL while it goes */
	int stage_failed;            /* a batch could not be staged: none will be */
};

struct probe_set {
	void *state[ARRAY_SIZE(probe_classes)];
	struct probe_env env;        /* the caller's, with the timeline */
	struct timeline tl;
};

/* ---- the timeline ------------------------------------------------------ */

/* Stages the batch (also once the cap stopped the timeline: the samples
 * before it are kept); a failure stops the timeline at its first sample. */
static void timeline_flush(struct timeline *tl)
{
	if (tl->n && !tl->stage_failed && store_stage_samples(tl->st, tl->rows, tl->n) < 0) {
		tl->stage_failed = 1;
		free(tl->note);
		tl->note = xasprintf("the timeline stops at %.3f s: its samples could not be staged: %s",
				     (double)tl->rows[0].t_ns / 1e9, store_errmsg(tl->st));
	}
	tl->n = 0;
}

int timeline_add(struct timeline *tl, int w, const char *event, int64_t t_ns, uint64_t delta,
		 uint64_t enabled_delta, uint64_t running_delta)
{
	if (tl->note || !tl->st)
		return 1;
	if (tl->max && tl->kept >= tl->max) {
		tl->note = xasprintf("the timeline stops at %.3f s: the run reached %llu samples, the most a run "
				     "keeps (%s); the counters' totals are whole",
				     (double)t_ns / 1e9, (unsigned long long)tl->max,
				     tl->max_what ? tl->max_what : "its limit");
		return 1;
	}
	tl->rows[tl->n++] = (struct stage_row){ w, t_ns, event, delta, enabled_delta, running_delta };
	tl->kept++;
	if (tl->n == TIMELINE_BATCH)
		timeline_flush(tl);
	return tl->note != NULL;
}

int timeline_stopped(const struct timeline *tl)
{
	return tl->note != NULL || !tl->st;
}

static int timeline_begin(struct timeline *tl)
{
	free(tl->note);
	tl->note = NULL;
	tl->stage_failed = 0;
	tl->n = 0;
	tl->kept = 0;
	return tl->st ? store_stage_clear(tl->st) : 0;
}

static int timeline_store(struct timeline *tl, struct store *st, int64_t run_id, const int64_t *worker_ids,
			  size_t nworkers)
{
	int r;

	if (!tl->st)
		return 0;
	timeline_flush(tl);
	r = store_stage_move(st, run_id, worker_ids, nworkers);
	if (r == 0 && tl->note)
		r = store_run_timeline_note(st, run_id, tl->note);
	return r;
}

/* ---- the set ----------------------------------------------------------- */

int probe_set_new(const struct probe_env *env, struct probe_set **ret_set)
{
	struct probe_set *set = xcalloc(1, sizeof(*set));

	set->env = *env;
	set->env.timeline = &set->tl;
	set->tl.st = env->store;
	set->tl.max = env->max_samples;
	set->tl.max_what = env->max_samples_what;
	for (size_t i = 0; i < ARRAY_SIZE(probe_classes); i++) {
		int r = probe_classes[i]->create(&set->env, &set->state[i]);

		if (r < 0) {
			probe_set_free(set);
			return r;
		}
	}
	*ret_set = set;
	return 0;
}

void probe_set_free(struct probe_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(probe_classes); i++)
		if (set->state[i])
			probe_classes[i]->destroy(set->state[i]);
	free(set->tl.note);
	free(set);
}

int probe_set_run_begin(struct probe_set *set, int nworkers)
{
	int r = timeline_begin(&set->tl);

	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(probe_classes); i++)
		r = probe_classes[i]->run_begin(set->state[i], nworkers);
	return r;
}

void probe_set_attach(struct probe_set *set, int w, pid_t pid)
{
	for (size_t i = 0; i < ARRAY_SIZE(probe_classes); i++)
		probe_classes[i]->attach(set->state[i], w, pid);
}

void probe_set_start(struct probe_set *set)
{
	for (size_t i = 0; i < ARRAY_SIZE(probe_classes); i++)
		if (probe_classes[i]->start)
			probe_classes[i]->start(set->state[i]);
}

void probe_set_stop(struct probe_set *set)
{
	for (size_t i = 0; i < ARRAY_SIZE(probe_classes); i++)
		if (probe_classes[i]->stop)
			probe_classes[i]->stop(set->state[i]);
}

void probe_set_collect(struct probe_set *set, int w, int64_t t_ns)
{
	for (size_t i = 0; i < ARRAY_SIZE(probe_classes); i++) {
		if (t_ns >= 0 && probe_classes[i]->collect_at)
			probe_classes[i]->collect_at(set->state[i], w, t_ns);
		else
			probe_classes[i]->collect(set->state[i], w);
	}
}

void probe_set_sample(struct probe_set *set, int64_t t_ns)
{
	for (size_t i = 0; i < ARRAY_SIZE(probe_classes); i++)
		if (probe_classes[i]->sample)
			probe_classes[i]->sample(set->state[i], t_ns);
}

void probe_set_drain(struct probe_set *set)
{
	for (size_t i = 0; i < ARRAY_SIZE(probe_classes); i++)
		if (probe_classes[i]->drain)
			probe_classes[i]->drain(set->state[i]);
}

int probe_set_store(struct probe_set *set, struct store *st, const struct run_result *run, int64_t run_id,
		    const int64_t *worker_ids)
{
	for (size_t i = 0; i < ARRAY_SIZE(probe_classes); i++) {
		int r = probe_classes[i]->store(set->state[i], st, run, run_id, worker_ids);

		if (r < 0)
			return r;
	}
	return timeline_store(&set->tl, st, run_id, worker_ids, run->nworkers);
}

void probe_set_run_end(struct probe_set *set)
{
	for (size_t i = 0; i < ARRAY_SIZE(probe_classes); i++)
		probe_classes[i]->run_end(set->state[i]);
}
