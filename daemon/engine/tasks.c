/* tasks.c: the run's threads and children and their run-queue waits (see
 * tasks.h). Membership is by process group (field 5 of /proc/PID/stat,
 * proc(5)): every worker leads its own group, and its children inherit
 * it. Each PID is classified once (member or not) and remembered; a
 * member's threads are read from /proc/PID/task/TID/schedstat, whose
 * second field is the time spent waiting on a run queue (ns). */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "engine/tasks.h"

/* a sorted-by-arrival list is enough: a run has tens of tasks, not
 * thousands; both lists are capped so a fork bomb cannot grow them */
#define TASKS_MAX 65536

struct entry {
	pid_t id;
	int64_t value; /* tasks: the latest wait; pids: 1 member, 0 not */
};

struct list {
	struct entry *e;
	size_t n;
};

struct tasks {
	pid_t *pgids;
	size_t npgids;
	struct list pids;  /* every PID classified */
	struct list waits; /* every member thread: its latest wait */
};

static struct entry *list_find(struct list *l, pid_t id)
{
	for (size_t i = l->n; i-- > 0;)
		if (l->e[i].id == id)
			return &l->e[i];
	return NULL;
}

static struct entry *list_get(struct list *l, pid_t id, int64_t init)
{
	struct entry *e = list_find(l, id);

	if (e || l->n >= TASKS_MAX)
		return e;
	l->e = xreallocarray(l->e, l->n + 1, sizeof(*l->e));
	l->e[l->n] = (struct entry){ id, init };
	return &l->e[l->n++];
}

struct tasks *tasks_new(const pid_t *pgids, size_t n)
{
	struct tasks *t = xcalloc(1, sizeof(*t));

	t->pgids = xcalloc(n ? n : 1, sizeof(pid_t));
	memcpy(t->pgids, pgids, n * sizeof(pid_t));
	t->npgids = n;
	return t;
}

void tasks_free(struct tasks *t)
{
	if (!t)
		return;
	free(t->pgids);
	free(t->pids.e);
	free(t->waits.e);
	free(t);
}

/* Whether pid belongs to one of the groups: 1, 0, or -1 when unreadable. */
static int is_member(const struct tasks *t, pid_t pid)
{
	char path[48], *text, *p;
	int state_pgrp = -1;
	long ppid, pgrp;
	char state;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_text_file(path, &text) < 0)
		return -1;
	/* the command name may hold spaces and parentheses: parse after the last ')' */
	if ((p = strrchr(text, ')')) && sscanf(p + 1, " %c %ld %ld", &state, &ppid, &pgrp) == 3) {
		state_pgrp = 0;
		for (size_t i = 0; i < t->npgids; i++)
			state_pgrp |= pgrp == t->pgids[i];
	}
	free(text);
	return state_pgrp;
}

int64_t tasks_read_wait(const char *path)
{
	char *text;
	unsigned long long run, wait;
	int64_t v = -1;

	if (read_text_file(path, &text) < 0)
		return -1;
	if (sscanf(text, "%llu %llu", &run, &wait) == 2)
		v = (int64_t)wait;
	free(text);
	return v;
}

/* Every thread of member process pid. */
static void poll_threads(struct tasks *t, pid_t pid)
{
	char path[64];
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if (!(d = opendir(path)))
		return;
	while ((de = readdir(d))) {
		pid_t tid = (pid_t)atoi(de->d_name);

		if (tid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%d/schedstat", (int)pid, (int)tid);
		tasks_note(t, tid, tasks_read_wait(path));
	}
	closedir(d);
}

void tasks_poll(struct tasks *t)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		struct entry *e;
		pid_t pid;
		int m;

		if (!isdigit((unsigned char)de->d_name[0]) || (pid = (pid_t)atoi(de->d_name)) <= 0)
			continue;
		e = list_find(&t->pids, pid);
		if (!e) {
			if ((m = is_member(t, pid)) < 0)
				continue;
			e = list_get(&t->pids, pid, m);
		}
		if (e && e->value)
			poll_threads(t, pid);
	}
	closedir(d);
}

void tasks_note(struct tasks *t, pid_t tid, int64_t run_delay_ns)
{
	struct entry *e;

	if (run_delay_ns < 0 || !(e = list_get(&t->waits, tid, run_delay_ns)))
		return;
	if (run_delay_ns > e->value)
		e->value = run_delay_ns;
}

int64_t tasks_run_delay(const struct tasks *t)
{
	int64_t sum = 0;

	if (!t || t->waits.n == 0)
		return -1;
	for (size_t i = 0; i < t->waits.n; i++)
		sum += t->waits.e[i].value;
	return sum;
}
