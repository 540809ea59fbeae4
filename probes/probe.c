/* probe.c: the registry of probes and the fan-out the runner calls. */
#include <errno.h>
#include <stdlib.h>

#include "probes/probe.h"
#include "base/util.h"

static const struct probe_class *const probe_classes[] = {
	&counters_probe, /* first: the bandwidth estimate reads its rows */
	&uncore_probe,
};

struct probe_set {
	void *state[ARRAY_SIZE(probe_classes)];
};

int probe_set_new(const struct probe_env *env, struct probe_set **ret_set)
{
	struct probe_set *set = xcalloc(1, sizeof(*set));

	for (size_t i = 0; i < ARRAY_SIZE(probe_classes); i++) {
		int r = probe_classes[i]->create(env, &set->state[i]);

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
	free(set);
}

int probe_set_run_begin(struct probe_set *set, int nworkers)
{
	for (size_t i = 0; i < ARRAY_SIZE(probe_classes); i++) {
		int r = probe_classes[i]->run_begin(set->state[i], nworkers);

		if (r < 0)
			return r;
	}
	return 0;
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

int probe_set_store(struct probe_set *set, struct store *st, const struct run_result *run, int64_t run_id,
		    const int64_t *worker_ids)
{
	for (size_t i = 0; i < ARRAY_SIZE(probe_classes); i++) {
		int r = probe_classes[i]->store(set->state[i], st, run, run_id, worker_ids);

		if (r < 0)
			return r;
	}
	return 0;
}

void probe_set_run_end(struct probe_set *set)
{
	for (size_t i = 0; i < ARRAY_SIZE(probe_classes); i++)
		probe_classes[i]->run_end(set->state[i]);
}
