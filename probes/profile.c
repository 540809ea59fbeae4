/* profile.c: the call-stack profile probe. For each worker it opens, before
 * exec (enable_on_exec, inherit: the workload's threads and children, none
 * of the launcher), a sampling event -- cpu-clock at the campaign's
 * frequency, or cycles where a PMU has it -- with user and kernel call
 * chains, and, for off-CPU time, a context-switches event sampled at every
 * switch out, whose records go to the same ring buffer. The first event
 * also asks for the records that let addresses be resolved after the
 * workers are gone (mmap2, comm with exec, fork) and for the switch
 * records (context_switch) that say when each thread came back: the time
 * between a switch out and the switch back in is attributed to the stack
 * the thread left from, as blocked ("off") or, when it was preempted,
 * waiting for a core ("queued") -- the off-CPU analysis Brendan Gregg
 * describes, from perf_event_open alone, without BPF.
 *
 * The kernel refuses to map the buffer of an inherited event that follows
 * a task on every CPU (perf_mmap: "children writing to the same rb"), so,
 * as perf record does, the events are opened once per CPU the worker may
 * run on (its affinity when it is attached: a workload that widens its own
 * affinity later is not sampled on the CPUs it adds), and every event on a
 * CPU writes into that CPU's one ring (PERF_EVENT_IOC_SET_OUTPUT). The
 * rings are emptied at every tick of the run's loop; their records are put
 * in time order first, because a thread can leave the CPU on one core and
 * come back on another. The result is one table of distinct (thread,
 * state, call chain); resolving the addresses and storing is
 * profile_out.c's, when the run is stored.
 *
 * Sections: 1. the aggregate table; 2. state and opening; 3. reading the
 * rings; 4. the probe class. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "host/perf.h"
#include "host/symbols.h"
#include "probes/probe.h"
#include "probes/profile.h"
#include "base/util.h"

/* linux/perf_event.h's flags of PERF_RECORD_SWITCH, newer than libpfm4's
 * copy of that header (kernel 4.3 and 4.17) */
#ifndef PERF_RECORD_MISC_SWITCH_OUT
#define PERF_RECORD_MISC_SWITCH_OUT (1 << 13)
#endif
#ifndef PERF_RECORD_MISC_SWITCH_OUT_PREEMPT
#define PERF_RECORD_MISC_SWITCH_OUT_PREEMPT (1 << 14)
#endif

/* Data pages of each CPU's ring: 1 MiB holds about 3,000 samples of 40
 * frames; emptied every 100 ms, that is far above 499 Hz on a few
 * threads. A switch-heavy workload can fill it; what the kernel then
 * drops is counted (PERF_RECORD_LOST), never guessed. Smaller rings are
 * tried when the locked-memory limit refuses this one (an ordinary user
 * gets perf_event_mlock_kb, 516 KiB by default, for all its rings). */
#define RING_PAGES 256
#define RING_PAGES_OFFCPU 512 /* every switch is a sample and a record or two */
#define RING_PAGES_MIN 8
#define MAX_IPS 1024

/* ---- 1. the aggregate table -------------------------------------------- */

static uint64_t key_hash(pid_t pid, pid_t tid, int state, const uint64_t *ips, uint32_t nips)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	h = (h ^ (uint64_t)pid) * 1099511628211ULL;
	h = (h ^ ((uint64_t)tid << 2 | (uint64_t)state)) * 1099511628211ULL;
	for (uint32_t i = 0; i < nips; i++)
		h = (h ^ ips[i]) * 1099511628211ULL;
	return h ? h : 1; /* 0 marks an empty slot */
}

static int key_equal(const struct pentry *e, pid_t pid, pid_t tid, int state, const uint64_t *ips, uint32_t nips)
{
	return e->pid == pid && e->tid == tid && e->state == (uint32_t)state && e->nips == nips &&
	       memcmp(e->ips, ips, nips * sizeof(*ips)) == 0;
}

static void ptable_grow(struct ptable *t)
{
	size_t cap = t->cap ? 2 * t->cap : 1024;
	struct pentry *slots = xcalloc(cap, sizeof(*slots));

	for (size_t i = 0; i < t->cap; i++) {
		struct pentry *e = &t->slots[i];
		size_t j = e->hash & (cap - 1);

		if (!e->hash)
			continue;
		while (slots[j].hash)
			j = (j + 1) & (cap - 1);
		slots[j] = *e;
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
}

void ptable_add(struct ptable *t, pid_t pid, pid_t tid, int state, const uint64_t *ips, uint32_t nips,
		uint64_t samples, uint64_t off_ns)
{
	uint64_t h = key_hash(pid, tid, state, ips, nips);
	struct pentry *e;
	size_t j;

	if (10 * (t->used + 1) > 7 * t->cap)
		ptable_grow(t);
	for (j = h & (t->cap - 1); t->slots[j].hash; j = (j + 1) & (t->cap - 1))
		if (t->slots[j].hash == h && key_equal(&t->slots[j], pid, tid, state, ips, nips))
			break;
	e = &t->slots[j];
	if (!e->hash && t->used >= PTABLE_MAX) {
		t->dropped += samples;
		return;
	}
	if (!e->hash) {
		*e = (struct pentry){ .hash = h, .pid = pid, .tid = tid, .state = (uint32_t)state, .nips = nips };
		e->ips = xcalloc(nips ? nips : 1, sizeof(*ips));
		memcpy(e->ips, ips, nips * sizeof(*ips));
		t->used++;
	}
	e->samples += samples;
	e->off_ns += off_ns;
}

void ptable_clear(struct ptable *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->slots[i].ips);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* ---- 2. state and opening ------------------------------------------------ */

/* A thread seen in the records: its process, command name, and the stack
 * it left the CPU from, until it comes back. */
struct pthread {
	pid_t tid, pid;
	char comm[16];
	int out;                  /* switched out, with ips and t_out */
	int preempt;
	uint64_t t_out;
	uint32_t nips;
	uint64_t *ips;
};

/* One CPU's ring, which every event on that CPU writes into. */
struct pring {
	int fd;                   /* the event that owns the mapping; -1: none */
	void *base;               /* a control page, then data */
	size_t len;
};

/* A record read from a ring, put in time order before it is handled. */
struct prec {
	uint64_t time;
	size_t off;               /* into the gathered bytes */
	uint32_t seq;             /* read order: equal times keep it */
};

struct profile {
	int hz, offcpu;
	const char *event;        /* what the on-CPU samples count */
	int kernel;               /* kernel frames allowed */
	char *note;
	int active;               /* a ring was mapped this run */
	int ncpus;
	struct pring *rings;      /* [cpu] */
	int *fds;                 /* every event opened this run */
	size_t nfds;
	uint64_t *switch_ids;     /* ids of the context-switches events, sorted */
	size_t nswitch_ids;
	pid_t *workers;           /* each worker's process */
	int nworkers;
	struct ptable table;
	struct pthread *threads;
	size_t nthreads;
	struct symbolizer *sym;
	uint64_t samples, switches, lost;
	uint8_t *bytes;           /* the records of one drain, gathered */
	size_t nbytes, capbytes;
	struct prec *recs;
	size_t nrecs, caprecs;
};

static int profile_create(const struct probe_env *env, void **ret_state)
{
	struct profile *p = xcalloc(1, sizeof(*p));

	p->hz = env->profile_hz;
	p->offcpu = env->profile_offcpu;
	p->ncpus = (int)sysconf(_SC_NPROCESSORS_CONF);
	if (p->ncpus < 1)
		p->ncpus = 1;
	p->rings = xcalloc((size_t)p->ncpus, sizeof(*p->rings));
	for (int c = 0; c < p->ncpus; c++)
		p->rings[c].fd = -1;
	*ret_state = p;
	return 0;
}

/* Adds a sentence to the run's note, once. */
static void note_add(struct profile *p, const char *text)
{
	char *n;

	if (p->note && strstr(p->note, text))
		return;
	n = p->note ? xasprintf("%s; %s", p->note, text) : xstrdup(text);
	free(p->note);
	p->note = n;
}

static void profile_run_end(void *state)
{
	struct profile *p = state;

	for (int c = 0; c < p->ncpus; c++) {
		if (p->rings[c].base)
			munmap(p->rings[c].base, p->rings[c].len);
		p->rings[c] = (struct pring){ .fd = -1 };
	}
	for (size_t i = 0; i < p->nfds; i++)
		close(p->fds[i]);
	free(p->fds);
	p->fds = NULL;
	p->nfds = 0;
	free(p->switch_ids);
	p->switch_ids = NULL;
	p->nswitch_ids = 0;
	free(p->workers);
	p->workers = NULL;
	p->nworkers = 0;
	ptable_clear(&p->table);
	for (size_t i = 0; i < p->nthreads; i++)
		free(p->threads[i].ips);
	free(p->threads);
	p->threads = NULL;
	p->nthreads = 0;
	symbolizer_free(p->sym);
	p->sym = NULL;
	free(p->note);
	p->note = NULL;
	p->active = 0;
}

static int profile_run_begin(void *state, int nworkers)
{
	struct profile *p = state;

	profile_run_end(p);
	if (!p->hz)
		return 0;
	p->workers = xcalloc((size_t)nworkers, sizeof(*p->workers));
	p->nworkers = nworkers;
	p->sym = symbolizer_new();
	p->samples = p->switches = p->lost = 0;
	p->kernel = 1;
	p->event = NULL;
	return 0;
}

static void sampling_attr(struct perf_event_attr *a, uint32_t type, uint64_t config)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->type = type;
	a->config = config;
	a->sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CALLCHAIN;
	a->sample_id_all = 1;
	a->inherit = 1;
	a->disabled = 1;
	a->enable_on_exec = 1;
}

/* The on-CPU event of pid on cpu, with the records every resolution
 * needs: cycles where the host has a PMU that takes it, else cpu-clock (a
 * software timer that works in any guest). The first event decides. */
static int open_clock(struct profile *p, pid_t pid, int cpu, struct perf_event_attr *ret_attr,
		      const char **ret_note)
{
	struct perf_event_attr a;
	int fd = -1;

	for (int hw = p->event ? !strcmp(p->event, "cycles") : perf_host_has_hw_pmu(); hw >= 0 && fd < 0; hw--) {
		sampling_attr(&a, hw ? PERF_TYPE_HARDWARE : PERF_TYPE_SOFTWARE,
			      hw ? PERF_COUNT_HW_CPU_CYCLES : PERF_COUNT_SW_CPU_CLOCK);
		a.freq = 1;
		a.sample_freq = (uint64_t)p->hz;
		a.mmap = a.mmap2 = a.comm = a.comm_exec = a.task = 1;
		a.context_switch = (unsigned)p->offcpu;
		fd = perf_open(&a, pid, cpu, ret_note);
		if (fd >= 0)
			p->event = hw ? "cycles" : "cpu-clock";
	}
	if (fd >= 0 && a.exclude_kernel)
		p->kernel = 0;
	*ret_attr = a;
	return fd;
}

static void keep_fd(struct profile *p, int fd)
{
	p->fds = xreallocarray(p->fds, p->nfds + 1, sizeof(*p->fds));
	p->fds[p->nfds++] = fd;
}

/* fd's records go to cpu's ring, which is mapped on the first event. */
static int route(struct profile *p, int cpu, int fd)
{
	struct pring *r = &p->rings[cpu];
	long page = sysconf(_SC_PAGESIZE);

	if (r->base)
		return ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, r->fd) < 0 ? -errno : 0;
	for (size_t pages = p->offcpu ? RING_PAGES_OFFCPU : RING_PAGES; pages >= RING_PAGES_MIN; pages /= 2) {
		r->len = (pages + 1) * (size_t)page;
		r->base = mmap(NULL, r->len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (r->base != MAP_FAILED) {
			r->fd = fd;
			p->active = 1;
			return 0;
		}
		if (errno != EPERM && errno != ENOMEM)
			break;
	}
	r->base = NULL;
	return -errno;
}

static void note_errno(struct profile *p, const char *what, int err)
{
	char *n = xasprintf("%s: %s", what, strerror(err));

	note_add(p, n);
	free(n);
}

static void add_switch_id(struct profile *p, int fd)
{
	uint64_t id;
	size_t i;

	if (ioctl(fd, PERF_EVENT_IOC_ID, &id) < 0)
		return;
	p->switch_ids = xreallocarray(p->switch_ids, p->nswitch_ids + 1, sizeof(*p->switch_ids));
	for (i = p->nswitch_ids; i > 0 && p->switch_ids[i - 1] > id; i--)
		p->switch_ids[i] = p->switch_ids[i - 1];
	p->switch_ids[i] = id;
	p->nswitch_ids++;
}

/* The off-CPU event of pid on cpu, into that CPU's ring. */
static void open_switch(struct profile *p, pid_t pid, int cpu)
{
	struct perf_event_attr a;
	const char *note;
	int fd, r;

	if (!p->kernel) {
		/* a switch out is always in the kernel: an event that may not
		 * count the kernel never fires there */
		note_add(p, "no off-CPU stacks: a switch out is kernel code, which this user may not sample");
		return;
	}
	sampling_attr(&a, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES);
	a.sample_period = 1;
	fd = perf_open(&a, pid, cpu, &note);
	if (fd < 0) {
		note_errno(p, "no off-CPU stacks", -fd);
		return;
	}
	keep_fd(p, fd);
	r = route(p, cpu, fd);
	if (r < 0)
		note_errno(p, "no off-CPU stacks on a CPU", -r);
	else
		add_switch_id(p, fd);
}

static void open_on_cpu(struct profile *p, pid_t pid, int cpu)
{
	struct perf_event_attr a;
	const char *note = NULL;
	int fd = open_clock(p, pid, cpu, &a, &note), r;

	if (fd < 0) {
		char *why = NULL, *n;

		perf_explain(-fd, &a, &why);
		n = xasprintf("no profile on CPU %d: the sampling event could not be opened: %s", cpu, why ? why : "?");
		note_add(p, n);
		free(n);
		free(why);
		return;
	}
	if (note)
		note_add(p, "kernel frames are missing: sampling the kernel needs perf_event_paranoid 1 or less, "
			    "root or CAP_PERFMON");
	keep_fd(p, fd);
	r = route(p, cpu, fd);
	if (r < 0) {
		note_errno(p, "no profile: a ring buffer could not be mapped", -r);
		return;
	}
	if (p->offcpu)
		open_switch(p, pid, cpu);
}

static void profile_attach(void *state, int w, pid_t pid)
{
	struct profile *p = state;
	cpu_set_t cpus;

	if (!p->hz)
		return;
	p->workers[w] = pid;
	if (sched_getaffinity(pid, sizeof(cpus), &cpus) < 0) {
		note_errno(p, "no profile: the worker's CPUs could not be read", errno);
		return;
	}
	for (int c = 0; c < p->ncpus && c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &cpus))
			open_on_cpu(p, pid, c);
}

/* ---- 3. reading the rings ----------------------------------------------- */

static struct pthread *thread_find(const struct profile *p, pid_t tid)
{
	for (size_t i = p->nthreads; i-- > 0;)
		if (p->threads[i].tid == tid)
			return &p->threads[i];
	return NULL;
}

/* The thread tid of process pid, added when first seen. */
static struct pthread *thread_of(struct profile *p, pid_t pid, pid_t tid)
{
	struct pthread *t = thread_find(p, tid);

	if (t)
		return t;
	p->threads = xreallocarray(p->threads, p->nthreads + 1, sizeof(*p->threads));
	t = &p->threads[p->nthreads++];
	*t = (struct pthread){ .tid = tid, .pid = pid };
	return t;
}

static int is_switch_id(const struct profile *p, uint64_t id)
{
	size_t lo = 0, hi = p->nswitch_ids;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (p->switch_ids[mid] == id)
			return 1;
		if (p->switch_ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

struct sample {
	uint64_t id;
	uint32_t pid, tid;
	uint64_t time, nr;
	const uint64_t *ips;
};

static int parse_sample(const uint8_t *d, size_t len, struct sample *s)
{
	if (len < 32)
		return -1;
	memcpy(&s->id, d, 8);
	memcpy(&s->pid, d + 8, 4);
	memcpy(&s->tid, d + 12, 4);
	memcpy(&s->time, d + 16, 8);
	memcpy(&s->nr, d + 24, 8);
	if (s->nr > MAX_IPS || 32 + s->nr * 8 > len)
		return -1;
	s->ips = (const uint64_t *)(const void *)(d + 32);
	return 0;
}

static void on_sample(struct profile *p, const uint8_t *d, size_t len)
{
	struct sample s;
	struct pthread *t;

	if (parse_sample(d, len, &s) < 0)
		return;
	if (is_switch_id(p, s.id)) {
		/* switched out: kept until the switch back in says for how long */
		t = thread_of(p, (pid_t)s.pid, (pid_t)s.tid);
		t->ips = xreallocarray(t->ips, s.nr ? s.nr : 1, sizeof(*t->ips));
		memcpy(t->ips, s.ips, s.nr * sizeof(*t->ips));
		t->nips = (uint32_t)s.nr;
		t->t_out = s.time;
		t->out = 1;
		t->preempt = 0;
		p->switches++;
		return;
	}
	p->samples++;
	ptable_add(&p->table, (pid_t)s.pid, (pid_t)s.tid, PS_ON, s.ips, (uint32_t)s.nr, 1, 0);
}

/* sample_id_all's trailer of every other record: pid, tid, time, id */
static int trailer(const uint8_t *d, size_t len, uint32_t *pid, uint32_t *tid, uint64_t *time)
{
	if (len < 24)
		return -1;
	memcpy(pid, d + len - 24, 4);
	memcpy(tid, d + len - 20, 4);
	memcpy(time, d + len - 16, 8);
	return 0;
}

static void on_switch(struct profile *p, uint16_t misc, const uint8_t *d, size_t len)
{
	uint32_t pid, tid;
	uint64_t time;
	struct pthread *t;

	if (trailer(d, len, &pid, &tid, &time) < 0)
		return;
	t = thread_of(p, (pid_t)pid, (pid_t)tid);
	if (misc & PERF_RECORD_MISC_SWITCH_OUT) {
		t->preempt = !!(misc & PERF_RECORD_MISC_SWITCH_OUT_PREEMPT);
		return;
	}
	if (!t->out)
		return;
	t->out = 0;
	ptable_add(&p->table, (pid_t)pid, (pid_t)tid, t->preempt ? PS_QUEUED : PS_OFF, t->ips, t->nips, 1,
		   time > t->t_out ? time - t->t_out : 0);
}

static void on_comm(struct profile *p, uint16_t misc, const uint8_t *d, size_t len)
{
	uint32_t pid, tid;
	struct pthread *t;

	if (len < 8 + 1)
		return;
	memcpy(&pid, d, 4);
	memcpy(&tid, d + 4, 4);
	if (misc & PERF_RECORD_MISC_COMM_EXEC)
		symbolizer_exec(p->sym, (pid_t)pid);
	t = thread_of(p, (pid_t)pid, (pid_t)tid);
	snprintf(t->comm, sizeof(t->comm), "%.*s", (int)(len - 8 < 15 ? len - 8 : 15), (const char *)(d + 8));
}

static void on_mmap2(struct profile *p, const uint8_t *d, size_t len)
{
	uint32_t pid;
	uint64_t addr, mlen, pgoff;
	/* pid, tid, addr, len, pgoff, maj/min/ino/generation or build id,
	 * prot, flags: 64 bytes, then the file name */
	size_t fixed = 64;
	char *name;

	if (len <= fixed)
		return;
	memcpy(&pid, d, 4);
	memcpy(&addr, d + 8, 8);
	memcpy(&mlen, d + 16, 8);
	memcpy(&pgoff, d + 24, 8);
	name = strndup((const char *)(d + fixed), len - fixed);
	if (name)
		symbolizer_add_map(p->sym, (pid_t)pid, addr, mlen, pgoff, name);
	free(name);
}

static void on_fork(struct profile *p, const uint8_t *d, size_t len)
{
	uint32_t pid, ppid, tid;
	struct pthread *t, *parent;

	if (len < 16)
		return;
	memcpy(&pid, d, 4);
	memcpy(&ppid, d + 4, 4);
	memcpy(&tid, d + 8, 4);
	if (pid != ppid)
		symbolizer_fork(p->sym, (pid_t)ppid, (pid_t)pid);
	t = thread_of(p, (pid_t)pid, (pid_t)tid);
	parent = thread_find(p, (pid_t)ppid);
	if (parent && !t->comm[0])
		memcpy(t->comm, parent->comm, sizeof(t->comm));
}

static void on_record(struct profile *p, const uint8_t *rec)
{
	struct perf_event_header h;
	const uint8_t *d = rec + sizeof(h);
	size_t len;
	uint64_t lost;

	memcpy(&h, rec, sizeof(h));
	len = h.size - sizeof(h);
	switch (h.type) {
	case PERF_RECORD_SAMPLE:
		on_sample(p, d, len);
		break;
	case PERF_RECORD_SWITCH:
		on_switch(p, h.misc, d, len);
		break;
	case PERF_RECORD_COMM:
		on_comm(p, h.misc, d, len);
		break;
	case PERF_RECORD_MMAP2:
		on_mmap2(p, d, len);
		break;
	case PERF_RECORD_FORK:
		on_fork(p, d, len);
		break;
	case PERF_RECORD_LOST:
		if (len >= 16) {
			memcpy(&lost, d + 8, 8);
			p->lost += lost;
		}
		break;
	default:
		break;
	}
}

/* The record's time: a sample's own, every other's in its trailer. */
static uint64_t record_time(const uint8_t *rec)
{
	struct perf_event_header h;
	uint64_t t = 0;

	memcpy(&h, rec, sizeof(h));
	if (h.type == PERF_RECORD_SAMPLE && h.size >= sizeof(h) + 24)
		memcpy(&t, rec + sizeof(h) + 16, 8);
	else if (h.type != PERF_RECORD_SAMPLE && h.size >= sizeof(h) + 24)
		memcpy(&t, rec + h.size - 16, 8);
	return t;
}

/* Copies every whole record between the kernel's head and our tail into
 * p->bytes, and hands the space back to the kernel. */
static void gather_ring(struct profile *p, struct pring *r)
{
	struct perf_event_mmap_page *meta = r->base;
	const uint8_t *data = (const uint8_t *)r->base + meta->data_offset;
	uint64_t size = meta->data_size;
	uint64_t head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE), tail = meta->data_tail;

	if (p->capbytes - p->nbytes < head - tail) {
		p->capbytes = p->nbytes + (size_t)(head - tail) + 65536;
		p->bytes = realloc(p->bytes, p->capbytes);
		if (!p->bytes)
			abort();
	}
	while (head - tail >= sizeof(struct perf_event_header)) {
		struct perf_event_header h;
		uint64_t off = tail % size;
		uint8_t *dst = p->bytes + p->nbytes;

		/* the record, wrapped or not, copied whole */
		for (size_t k = 0; k < sizeof(h); k++)
			((uint8_t *)&h)[k] = data[(off + k) % size];
		if (h.size < sizeof(h) || head - tail < h.size)
			break;
		if (off + h.size <= size) {
			memcpy(dst, data + off, h.size);
		} else {
			memcpy(dst, data + off, size - off);
			memcpy(dst + (size - off), data, h.size - (size - off));
		}
		if (p->nrecs == p->caprecs) {
			p->caprecs = p->caprecs ? 2 * p->caprecs : 4096;
			p->recs = xreallocarray(p->recs, p->caprecs, sizeof(*p->recs));
		}
		p->recs[p->nrecs] = (struct prec){ record_time(dst), p->nbytes, (uint32_t)p->nrecs };
		p->nrecs++;
		p->nbytes += h.size;
		tail += h.size;
	}
	__atomic_store_n(&meta->data_tail, tail, __ATOMIC_RELEASE);
}

static int by_time(const void *a, const void *b)
{
	const struct prec *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void profile_drain(void *state)
{
	struct profile *p = state;

	if (!p->active)
		return;
	p->nbytes = 0;
	p->nrecs = 0;
	for (int c = 0; c < p->ncpus; c++)
		if (p->rings[c].base)
			gather_ring(p, &p->rings[c]);
	qsort(p->recs, p->nrecs, sizeof(*p->recs), by_time);
	for (size_t i = 0; i < p->nrecs; i++)
		on_record(p, p->bytes + p->recs[i].off);
}

/* ---- 4. the probe class ------------------------------------------------- */

static void profile_collect(void *state, int w)
{
	(void)state;
	(void)w;
}

static int is_worker(const struct profile *p, pid_t pid)
{
	for (int w = 0; w < p->nworkers; w++)
		if (p->workers[w] == pid)
			return 1;
	return 0;
}

static struct pthread_info thread_info(void *ctx, pid_t pid, pid_t tid)
{
	struct profile *p = ctx;
	const struct pthread *t = thread_find(p, tid), *leader = thread_find(p, pid);
	const char *comm = t && t->comm[0] ? t->comm : leader && leader->comm[0] ? leader->comm : "?";

	return (struct pthread_info){ .thread = !is_worker(p, pid) ? "child" : tid == pid ? "main" : "thread",
				      .comm = comm };
}

static int profile_store_run(void *state, struct store *st, const struct run_result *run, int64_t run_id,
			     const int64_t *worker_ids)
{
	struct profile *p = state;

	if (!p->hz)
		return 0;
	profile_drain(p);
	if (!p->active && !p->note)
		return 0;
	if (p->lost)
		note_add(p, "the kernel dropped records when a ring buffer was full (profiles.lost)");
	if (p->table.dropped) {
		char *n = xasprintf("%llu samples of new stacks were dropped: the run reached %d distinct stacks, "
				    "the most a run keeps", (unsigned long long)p->table.dropped, PTABLE_MAX);

		note_add(p, n);
		free(n);
	}
	return profile_store(st, run_id, &p->table, p->sym,
			     &(struct pmeta){ .event = p->event ? p->event : "cpu-clock", .hz = p->hz,
					      .offcpu = p->offcpu && p->kernel && p->nswitch_ids, .kernel = p->kernel,
					      .samples = p->samples, .switches = p->switches, .lost = p->lost,
					      .note = p->note },
			     thread_info, p);
}

static void profile_destroy(void *state)
{
	struct profile *p = state;

	profile_run_end(p);
	free(p->rings);
	free(p->bytes);
	free(p->recs);
	free(p);
}

const struct probe_class profile_probe = {
	.name = "profile",
	.create = profile_create,
	.run_begin = profile_run_begin,
	.attach = profile_attach,
	.collect = profile_collect,
	.drain = profile_drain,
	.store = profile_store_run,
	.run_end = profile_run_end,
	.destroy = profile_destroy,
};
