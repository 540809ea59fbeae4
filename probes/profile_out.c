/* profile_out.c: the profile probe's end of a run: every distinct raw call
 * chain of its table resolved into frames through the symbolizer (which
 * was fed the run's mmap, fork and exec records, so the workers may be
 * long gone), frames shared between chains found once, and the whole
 * written through store_profile. An address is resolved once per process
 * however many chains hold it. Return addresses (every frame but the
 * first) are looked up one byte earlier, inside the call instruction: a
 * call that is a function's last instruction returns past its end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host/perf.h"
#include "host/symbols.h"
#include "probes/profile.h"
#include "store/profiles.h"
#include "base/util.h"

/* An open-addressing map from a 64-bit key to an index. */
struct imap {
	uint64_t *keys;           /* 0: empty */
	uint32_t *vals;
	size_t cap, used;
};

static void imap_free(struct imap *m)
{
	free(m->keys);
	free(m->vals);
}

static size_t imap_slot(const struct imap *m, uint64_t key)
{
	size_t j = key & (m->cap - 1);

	while (m->keys[j] && m->keys[j] != key)
		j = (j + 1) & (m->cap - 1);
	return j;
}

static void imap_put(struct imap *m, uint64_t key, uint32_t val)
{
	size_t j;

	if (10 * (m->used + 1) > 7 * m->cap) {
		struct imap bigger = { .cap = m->cap ? 2 * m->cap : 4096 };

		bigger.keys = xcalloc(bigger.cap, sizeof(*bigger.keys));
		bigger.vals = xcalloc(bigger.cap, sizeof(*bigger.vals));
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i])
				imap_put(&bigger, m->keys[i], m->vals[i]);
		imap_free(m);
		*m = bigger;
	}
	j = imap_slot(m, key);
	m->used += !m->keys[j];
	m->keys[j] = key;
	m->vals[j] = val;
}

/* Returns 1 and *ret when key is there. */
static int imap_get(const struct imap *m, uint64_t key, uint32_t *ret)
{
	size_t j;

	if (!m->cap)
		return 0;
	j = imap_slot(m, key);
	if (!m->keys[j])
		return 0;
	*ret = m->vals[j];
	return 1;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h;
}

static uint64_t str_hash(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ULL;
	return mix(h, s ? 1 : 2);
}

/* The frames found so far: by content (a frame's identity) and by
 * address (what a process's address resolved to). */
struct addr {
	pid_t pid;
	int kernel;
	uint64_t ip;
	uint32_t frame;
};

struct frames {
	struct profile_frame *v;
	size_t n;
	struct addr *addrs;
	size_t naddrs;
	struct imap by_content, by_addr;
	int kernel_unresolved;
};

static uint64_t nonzero(uint64_t h)
{
	return h ? h : 1;
}

/* The index of frame f, added when new. Hash collisions between different
 * frames are told apart by comparing the candidate found. */
static uint32_t frame_index(struct frames *fs, const struct profile_frame *f)
{
	uint64_t h = nonzero(mix(str_hash(str_hash(1469598103934665603ULL, f->module), f->symbol),
				 (uint64_t)f->offset));
	uint32_t i;

	for (;; h = nonzero(h + 1)) {
		if (!imap_get(&fs->by_content, h, &i))
			break;
		if (strcmp(fs->v[i].module, f->module) == 0 && fs->v[i].offset == f->offset &&
		    (fs->v[i].symbol == f->symbol ||
		     (fs->v[i].symbol && f->symbol && strcmp(fs->v[i].symbol, f->symbol) == 0)))
			return i;
	}
	fs->v = xreallocarray(fs->v, fs->n + 1, sizeof(*fs->v));
	fs->v[fs->n] = *f;
	imap_put(&fs->by_content, h, (uint32_t)fs->n);
	return (uint32_t)fs->n++;
}

/* The frame of ip in process pid, resolved once per address. */
static uint32_t frame_of(struct frames *fs, struct symbolizer *sym, pid_t pid, uint64_t ip, int kernel)
{
	uint64_t h = nonzero(mix(mix((uint64_t)pid, ip), (uint64_t)kernel));
	struct sym_frame sf;
	struct profile_frame f;
	uint32_t i;

	for (;; h = nonzero(h + 1)) {
		const struct addr *a;

		if (!imap_get(&fs->by_addr, h, &i))
			break;
		a = &fs->addrs[i];
		if (a->pid == pid && a->ip == ip && a->kernel == kernel)
			return a->frame;
	}
	if (!symbolizer_resolve(sym, pid, ip, kernel, &sf) && kernel)
		fs->kernel_unresolved = 1;
	f = (struct profile_frame){ .module = sf.module ? sf.module : "[unknown]", .symbol = sf.symbol,
				    .offset = sf.symbol ? -1 : (int64_t)sf.offset, .kind = sf.kind };
	fs->addrs = xreallocarray(fs->addrs, fs->naddrs + 1, sizeof(*fs->addrs));
	fs->addrs[fs->naddrs] = (struct addr){ pid, kernel, ip, frame_index(fs, &f) };
	imap_put(&fs->by_addr, h, (uint32_t)fs->naddrs);
	return fs->addrs[fs->naddrs++].frame;
}

/* The chain's frames, root first, into out (room for e->nips); returns
 * how many. Context markers switch between kernel and user addresses. */
static size_t chain_frames(struct frames *fs, struct symbolizer *sym, const struct pentry *e, uint32_t *out)
{
	size_t n = 0;
	int kernel = 0, first = 1;

	for (uint32_t i = 0; i < e->nips; i++) {
		uint64_t ip = e->ips[i];

		if (ip >= (uint64_t)PERF_CONTEXT_MAX) {
			kernel = ip == (uint64_t)PERF_CONTEXT_KERNEL;
			continue;
		}
		if (ip < 4096)
			continue; /* the end of a chain the unwinder lost */
		out[n++] = frame_of(fs, sym, e->pid, first ? ip : ip - 1, kernel);
		first = 0;
	}
	for (size_t a = 0, b = n; a + 1 < b; a++, b--) {
		uint32_t t = out[a];

		out[a] = out[b - 1];
		out[b - 1] = t;
	}
	return n;
}

static const char *const state_names[] = { [PS_ON] = "on", [PS_OFF] = "off", [PS_QUEUED] = "queued" };

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int profile_store(struct store *st, int64_t run_id, const struct ptable *t, struct symbolizer *sym,
		  const struct pmeta *meta, struct pthread_info (*info)(void *ctx, pid_t pid, pid_t tid), void *ctx)
{
	struct frames fs = { 0 };
	struct profile_row *rows = xcalloc(t->used ? t->used : 1, sizeof(*rows));
	uint32_t **chains = xcalloc(t->used ? t->used : 1, sizeof(*chains));
	size_t n = 0;
	double t0 = now_ms();
	const char *kproblem;
	char *note = NULL;
	int r;

	for (size_t i = 0; i < t->cap; i++) {
		const struct pentry *e = &t->slots[i];
		struct pthread_info ti;

		if (!e->hash)
			continue;
		ti = info(ctx, e->pid, e->tid);
		chains[n] = xcalloc(e->nips ? e->nips : 1, sizeof(**chains));
		rows[n] = (struct profile_row){ .thread = ti.thread, .comm = ti.comm,
						.state = state_names[e->state], .frames = chains[n],
						.samples = e->samples, .off_ns = e->off_ns };
		rows[n].depth = chain_frames(&fs, sym, e, chains[n]);
		n++;
	}
	kproblem = fs.kernel_unresolved ? symbolizer_kernel_problem(sym) : NULL;
	if (kproblem)
		note = meta->note ? xasprintf("%s; %s", meta->note, kproblem) : xstrdup(kproblem);
	r = store_profile(st, run_id,
			  &(struct profile_data){ .event = meta->event, .hz = meta->hz, .offcpu = meta->offcpu,
						  .kernel = meta->kernel && !kproblem, .samples = meta->samples,
						  .switches = meta->switches, .lost = meta->lost,
						  .symbolize_ms = now_ms() - t0, .note = note ? note : meta->note,
						  .frames = fs.v, .nframes = fs.n, .rows = rows, .nrows = n });
	for (size_t i = 0; i < n; i++)
		free(chains[i]);
	free(chains);
	free(rows);
	free(note);
	free(fs.v);
	free(fs.addrs);
	imap_free(&fs.by_content);
	imap_free(&fs.by_addr);
	return r;
}
