/* kernels.c: scalprof-kernels, the program scalprof execs for `builtin`
 * workloads, so that counters start at exec and count nothing of scalprof.
 *
 *   scalprof-kernels NAME [PARAM=VALUE ...]     run one kernel
 *   scalprof-kernels --list                     the kernels and their arguments
 *
 * Each kernel does a fixed amount of work per process (N copies on N cores
 * ideally take as long as one), is deterministic, and prints a checksum that
 * depends on all of its work, so the compiler cannot drop any of it.
 * SCALPROF_SCALE (a positive number, set by scalprof from the campaign's
 * scale) multiplies each kernel's work parameter.
 * Exit status: 0 done, 2 bad arguments, 1 a system call failed.
 *
 * Sections: 1. the CPython object model (lists); 2. the kernels; 3. main. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "workloads/builtins.h"

#define PAGE 4096

static void die(const char *what)
{
	fprintf(stderr, "scalprof-kernels: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory");
	return p;
}

/* Large arrays for the memory kernels, mapped directly. Only the cache
 * co-runner asks for huge pages (where transparent_hugepage allows
 * "madvise"), so its set presses on the cache rather than the TLB, and it
 * builds it before it says ready. The workloads do not: the kernel's
 * compaction for huge pages costs a second of system time one run and
 * nothing the next, which would swamp what runs compare; and chase, with
 * ordinary pages, measures the cache a typical program can use (TLB reach
 * included). The list kernels keep malloc: they model CPython. */
static void *big_alloc(size_t n, int huge)
{
	void *p = mmap(NULL, n ? n : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	if (huge)
		madvise(p, n, MADV_HUGEPAGE); /* advice: ignored where unsupported */
	return p;
}

#define STREAM_SKEW (4096 + 192) /* bytes between the arrays' page offsets */

static void big_free(void *p, size_t n)
{
	munmap(p, n ? n : 1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_checksum(uint64_t sum)
{
	printf("checksum=%016llx\n", (unsigned long long)sum);
}

/* ---- 1. the object model of CPython's lists of ints -------------------
 * A list is an array of references; each element is its own heap object
 * with a reference count (ob_refcnt), a type pointer and a value, as a
 * PyLongObject is. Copying a list increments every element's count (a
 * write to every object), deallocating one decrements them all. */

struct object {
	long refcnt;
	const void *type;
	long value;
};

static const char int_type[] = "int";

static struct object *obj_new(long v)
{
	struct object *o = xmalloc(sizeof(*o));

	o->refcnt = 1;
	o->type = int_type;
	o->value = v;
	return o;
}

static void decref(struct object *o)
{
	if (--o->refcnt == 0)
		free(o);
}

/* [i for i in range(n)]: appended one by one with CPython's growth rule */
static struct object **list_build(size_t n)
{
	struct object **a = NULL;
	size_t cap = 0;

	for (size_t i = 0; i < n; i++) {
		if (i == cap) {
			cap = i + (i >> 3) + (i < 9 ? 3 : 6);
			a = realloc(a, cap * sizeof(*a));
			if (!a)
				die("out of memory");
		}
		a[i] = obj_new((long)i);
	}
	return a;
}

static void list_free(struct object **a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		decref(a[i]);
	free(a);
}

static uint64_t list_sum(struct object **a, size_t n)
{
	uint64_t s = 0;

	for (size_t i = 0; i < n; i++)
		s = s * 31 + (uint64_t)a[i]->value + (uint64_t)a[i]->refcnt;
	return s;
}

/* ---- 2. the kernels --------------------------------------------------- */

static uint64_t k_busy(const double *v)
{
	uint64_t n = (uint64_t)v[0], x = 0;

	/* a dependent chain in registers: no loads, no stores */
	for (uint64_t i = n; i > 0; i--)
		x = x * 6364136223846793005ULL + i;
	return x;
}

static uint64_t k_sleep(const double *v)
{
	struct timespec ts = { (time_t)v[0], (long)((v[0] - floor(v[0])) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return (uint64_t)llround(v[0] * 1000);
}

static uint64_t k_sqrt_list(const double *v)
{
	size_t n = (size_t)v[0];
	uint64_t reps = (uint64_t)v[1];
	double total = 0;

	for (uint64_t r = 0; r < reps; r++) {
		double *a = xmalloc(n * sizeof(double)); /* fresh every time, as the seed's list */

		for (size_t i = 0; i < n; i++)
			a[i] = sqrt((double)(i + 1));
		for (size_t i = 0; i < n; i += 4096)
			total += a[i];
		total += a[n - 1];
		free(a);
	}
	return (uint64_t)llround(total * 1000);
}

static uint64_t k_list_concat(const double *v)
{
	size_t n = (size_t)v[0];
	struct object **t = NULL;
	uint64_t sum;

	for (size_t k = 0; k < n; k++) {
		struct object **one = xmalloc(sizeof(*one)); /* the list [j] */
		struct object **nt = xmalloc((k + 1) * sizeof(*nt));

		one[0] = obj_new((long)k);
		for (size_t i = 0; i < k; i++) { /* t + [j]: a new list */
			nt[i] = t[i];
			nt[i]->refcnt++;
		}
		nt[k] = one[0];
		nt[k]->refcnt++;
		decref(one[0]); /* [j] is dropped */
		free(one);
		for (size_t i = 0; i < k; i++) /* the old t is dropped */
			decref(t[i]);
		free(t);
		t = nt;
	}
	sum = list_sum(t, n);
	list_free(t, n);
	return sum;
}

/* b = a.copy() (memcpy, then the increments) or b = a[:] (an element at a
 * time): the same work for CPython, spelled as its two code paths do */
static uint64_t k_list_dup(const double *v, int slice)
{
	size_t n = (size_t)v[0];
	struct object **a = list_build(n), **b = xmalloc(n * sizeof(*b));
	uint64_t sum;

	if (slice) {
		for (size_t i = 0; i < n; i++) {
			b[i] = a[i];
			b[i]->refcnt++;
		}
	} else {
		memcpy(b, a, n * sizeof(*b));
		for (size_t i = 0; i < n; i++)
			b[i]->refcnt++;
	}
	sum = list_sum(b, n);
	list_free(b, n);
	list_free(a, n);
	return sum;
}

static uint64_t k_list_copy(const double *v) { return k_list_dup(v, 0); }
static uint64_t k_list_slice(const double *v) { return k_list_dup(v, 1); }

/* d = {}; for i in range(n): if i not in d: d[i] = i**2 -- open addressing,
 * grown to keep the load under 2/3 as CPython's dict does */
struct slot {
	long key;
	struct object *value;
};

static uint64_t hash_long(long k)
{
	return (uint64_t)k * 0x9E3779B97F4A7C15ULL;
}

static struct slot *dict_find(struct slot *t, size_t mask, long key)
{
	size_t i = (size_t)(hash_long(key) >> 17) & mask;

	while (t[i].value && t[i].key != key)
		i = (i + 1) & mask;
	return &t[i];
}

static uint64_t k_dict_insert(const double *v)
{
	size_t n = (size_t)v[0], cap = 8, used = 0;
	struct slot *t = calloc(cap, sizeof(*t));
	uint64_t sum = 0;

	if (!t)
		die("out of memory");
	for (size_t i = 0; i < n; i++) {
		struct slot *s = dict_find(t, cap - 1, (long)i);

		if (s->value)
			continue;
		s->key = (long)i;
		s->value = obj_new((long)(i * i));
		if (++used * 3 >= cap * 2) {
			struct slot *nt = calloc(cap * 4, sizeof(*nt));

			if (!nt)
				die("out of memory");
			for (size_t j = 0; j < cap; j++)
				if (t[j].value)
					*dict_find(nt, cap * 4 - 1, t[j].key) = t[j];
			free(t);
			t = nt;
			cap *= 4;
		}
	}
	for (size_t j = 0; j < cap; j++)
		if (t[j].value) {
			sum += (uint64_t)t[j].value->value ^ (uint64_t)t[j].key;
			decref(t[j].value);
		}
	free(t);
	return sum + used;
}

/* 4x the L3 of cpu0 (STREAM's rule), at least 64 MiB */
static size_t stream_default_size(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/cpu0/cache/index3/size", "re");
	unsigned long kb = 0;
	size_t size;

	if (f) {
		if (fscanf(f, "%luK", &kb) != 1)
			kb = 0;
		fclose(f);
	}
	size = (size_t)kb * 1024 * 4;
	return size < (64u << 20) ? (64u << 20) : size;
}

static uint64_t k_stream(const double *v)
{
	size_t size = v[0] > 0 ? (size_t)v[0] : stream_default_size();
	size_t n = size / sizeof(double);
	uint64_t ntimes = (uint64_t)v[1];
	/* STREAM's OFFSET: arrays that start at the same offset in their huge
	 * pages map to the same cache sets and alias in the store buffer */
	size_t bytes = n * sizeof(double) + 3 * STREAM_SKEW;
	double *a = big_alloc(bytes, 0), *b = (double *)((char *)big_alloc(bytes, 0) + STREAM_SKEW),
	       *c = (double *)((char *)big_alloc(bytes, 0) + 2 * STREAM_SKEW);
	double best[4] = { INFINITY, INFINITY, INFINITY, INFINITY }, sum = 0;
	static const char *const names[4] = { "copy", "scale", "add", "triad" };
	static const double words[4] = { 2, 2, 3, 3 }; /* STREAM's byte counting */
	const double q = 3.0;

	for (size_t j = 0; j < n; j++) {
		a[j] = 1.0;
		b[j] = 2.0;
		c[j] = 0.0;
	}
	for (uint64_t k = 0; k < ntimes; k++) {
		double t[5];

		t[0] = now_s();
		for (size_t j = 0; j < n; j++)
			c[j] = a[j];
		t[1] = now_s();
		for (size_t j = 0; j < n; j++)
			b[j] = q * c[j];
		t[2] = now_s();
		for (size_t j = 0; j < n; j++)
			c[j] = a[j] + b[j];
		t[3] = now_s();
		for (size_t j = 0; j < n; j++)
			a[j] = b[j] + q * c[j];
		t[4] = now_s();
		for (int i = 0; i < 4; i++)
			if (t[i + 1] - t[i] < best[i])
				best[i] = t[i + 1] - t[i];
	}
	for (int i = 0; i < 4; i++)
		printf("%s_MBps=%.0f\n", names[i], words[i] * (double)n * sizeof(double) / best[i] / 1e6);
	for (size_t j = 0; j < n; j += 1024)
		sum += a[j] + b[j] + c[j];
	big_free(a, bytes);
	big_free((char *)b - STREAM_SKEW, bytes);
	big_free((char *)c - 2 * STREAM_SKEW, bytes);
	return (uint64_t)llround(fmod(sum, 1e15));
}

struct node {
	size_t next;
	char pad[64 - sizeof(size_t)];
};

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Links nodes[base .. base+n-1] into one random cycle through all of them
 * (Sattolo's shuffle), so a chase visits every node before repeating. */
static void random_cycle(struct node *nodes, size_t base, size_t n, uint64_t *seed)
{
	size_t *perm = xmalloc(n * sizeof(*perm));

	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = (size_t)(xorshift(seed) % i), t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	for (size_t i = 0; i < n; i++)
		nodes[base + perm[i]].next = base + perm[(i + 1) % n];
	free(perm);
}

static uint64_t k_chase(const double *v)
{
	size_t n = (size_t)v[0] / sizeof(struct node);
	uint64_t steps = (uint64_t)v[1], seed = 42;
	struct node *nodes;
	size_t p = 0;

	if (n < 2)
		n = 2;
	double t0;

	nodes = big_alloc(n * sizeof(*nodes), 0);
	random_cycle(nodes, 0, n, &seed);
	t0 = now_s();

	for (uint64_t s = 0; s < steps; s++)
		p = nodes[p].next;
	printf("ns_per_step=%.3f\n", (now_s() - t0) * 1e9 / (double)steps);
	big_free(nodes, n * sizeof(*nodes));
	return (uint64_t)p ^ steps;
}

static uint64_t k_pagefault(const double *v)
{
	size_t size = (size_t)v[0] & ~(size_t)(PAGE - 1);
	uint64_t rounds = (uint64_t)v[1], sum = 0;

	for (uint64_t r = 0; r < rounds; r++) {
		unsigned char *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED)
			die("mmap");
		for (size_t off = 0; off < size; off += PAGE)
			m[off] = (unsigned char)(off / PAGE + r);
		for (size_t off = 0; off < size; off += PAGE)
			sum += m[off];
		munmap(m, size);
	}
	return sum;
}

/* one pair: the parent side sends a counter, the child returns it plus one */
static uint64_t pingpong_pair(uint64_t messages, size_t bytes)
{
	int down[2], up[2];
	unsigned char buf[4096] = { 0 };
	uint64_t counter = 0;
	pid_t pid;

	if (pipe(down) < 0 || pipe(up) < 0)
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(down[1]);
		close(up[0]);
		for (;;) {
			ssize_t got = 0, r;

			while ((size_t)got < bytes && (r = read(down[0], buf + got, bytes - (size_t)got)) > 0)
				got += r;
			if ((size_t)got < bytes)
				_exit(0);
			memcpy(&counter, buf, sizeof(counter));
			counter++;
			memcpy(buf, &counter, sizeof(counter));
			if (write(up[1], buf, bytes) != (ssize_t)bytes)
				_exit(1);
		}
	}
	close(down[0]);
	close(up[1]);
	for (uint64_t m = 0; m < messages; m++) {
		ssize_t got = 0, r;

		memcpy(buf, &counter, sizeof(counter));
		if (write(down[1], buf, bytes) != (ssize_t)bytes)
			die("write");
		while ((size_t)got < bytes && (r = read(up[0], buf + got, bytes - (size_t)got)) > 0)
			got += r;
		if ((size_t)got < bytes)
			die("read");
		memcpy(&counter, buf, sizeof(counter));
	}
	close(down[1]);
	close(up[0]);
	waitpid(pid, NULL, 0);
	return counter;
}

/* SCALPROF_WORKERS processes in pairs (one pair for 1 or 2 workers) */
static uint64_t k_pingpong(const double *v)
{
	const char *w = getenv("SCALPROF_WORKERS");
	long workers = w ? strtol(w, NULL, 10) : 2;
	long pairs = workers >= 2 ? workers / 2 : 1;
	int fds[2];
	uint64_t total = 0;

	if (pipe(fds) < 0)
		die("pipe");
	for (long p = 0; p < pairs; p++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			uint64_t c = pingpong_pair((uint64_t)v[0], (size_t)v[1]);

			close(fds[0]);
			_exit(write(fds[1], &c, sizeof(c)) == (ssize_t)sizeof(c) ? 0 : 1);
		}
	}
	close(fds[1]);
	for (long p = 0; p < pairs; p++) {
		uint64_t c;

		if (read(fds[0], &c, sizeof(c)) == (ssize_t)sizeof(c))
			total += c;
	}
	close(fds[0]);
	while (wait(NULL) > 0)
		;
	printf("pairs=%ld\n", pairs);
	return total;
}

/* ---- co-runners: run until SIGTERM (or for `seconds`), then report ---- */

static volatile sig_atomic_t hog_stop;

static void on_term(int sig)
{
	hog_stop = 1;
}

/* Whether a hog should stop: signalled, or past its seconds (0: never). */
static int hog_done(double t0, double seconds)
{
	return hog_stop || (seconds > 0 && now_s() - t0 >= seconds);
}

/* Tells whoever started it that set-up is done and the steady state begins. */
static void hog_ready(void)
{
	printf("ready\n");
	fflush(stdout);
}

static void hog_signals(void)
{
	struct sigaction sa = { .sa_handler = on_term };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

/* The triad over elements [j, j + len) of the arrays. */
static void triad_chunk(double *a, const double *b, const double *c, size_t j, size_t len)
{
	for (size_t k = j; k < j + len; k++)
		a[k] = b[k] + 3.0 * c[k];
}

#define HOG_CHUNK 8192 /* elements per paced chunk: 192 KiB of triad traffic */

/* The next chunk's length from element j of n. */
static size_t chunk_len(size_t j, size_t n)
{
	return n - j < HOG_CHUNK ? n - j : HOG_CHUNK;
}

/* The hog's own full rate in bytes per second: 0.1 s of unpaced triad
 * (after its arrays are filled, before it says ready, so beside nothing
 * but the other co-runners). */
static double hog_calibrate(double *a, const double *b, const double *c, size_t n)
{
	double t0 = now_s(), el, bytes = 0;
	size_t j = 0;

	do {
		size_t len = chunk_len(j, n);

		triad_chunk(a, b, c, j, len);
		bytes += 24.0 * (double)len;
		j = j + len == n ? 0 : j + len;
	} while ((el = now_s() - t0) < 0.1);
	return bytes / el;
}

/* Triad chunks paced to level of full_rate until done: each chunk has a
 * time slot of its bytes at level x full_rate; once it is streamed, the
 * hog spins on the clock (no memory traffic) until the slot ends. A chunk
 * slower than its slot (the bus is contended) by more than a millisecond
 * starts the next slot late: no bursts to catch up. Level 1 never spins; level 0 only spins. Returns
 * the bytes streamed. */
static double hog_paced(double *a, const double *b, const double *c, size_t n, double level, double full_rate,
			double t0, double seconds)
{
	double bytes = 0, slot_end = t0;
	size_t j = 0;

	while (!hog_done(t0, seconds)) {
		size_t len = chunk_len(j, n);
		double now;

		if (level <= 0)
			continue; /* hog_done read the clock: that is all it does */
		triad_chunk(a, b, c, j, len);
		bytes += 24.0 * (double)len;
		j = j + len == n ? 0 : j + len;
		if (level >= 1)
			continue;
		now = now_s();
		slot_end = (slot_end > now - 0.001 ? slot_end : now) + 24.0 * (double)len / (level * full_rate);
		while (now_s() < slot_end && !hog_stop)
			;
	}
	return bytes;
}

static uint64_t k_hog_bandwidth(const double *v)
{
	size_t size = v[0] > 0 ? (size_t)v[0] : stream_default_size(), n = size / sizeof(double);
	double *a = big_alloc(size + 3 * STREAM_SKEW, 0),
	       *b = (double *)((char *)big_alloc(size + 3 * STREAM_SKEW, 0) + STREAM_SKEW),
	       *c = (double *)((char *)big_alloc(size + 3 * STREAM_SKEW, 0) + 2 * STREAM_SKEW), t0, el, bytes,
	       full = 0;
	uint64_t sum;

	hog_signals();
	for (size_t j = 0; j < n; j++) {
		a[j] = 1.0;
		b[j] = 2.0;
		c[j] = 0.5;
	}
	if (v[2] > 0 && v[2] < 1)
		full = hog_calibrate(a, b, c, n);
	hog_ready();
	t0 = now_s();
	bytes = hog_paced(a, b, c, n, v[2], full, t0, v[1]);
	el = now_s() - t0;
	printf("rate=%.6g\nunit=MB/s\n", el > 0 ? bytes / el / 1e6 : 0);
	if (v[2] > 0 && v[2] < 1)
		printf("full_rate=%.6g\n", full / 1e6);
	sum = (uint64_t)(bytes / 24) + (uint64_t)a[n / 2];
	big_free(a, size + 3 * STREAM_SKEW);
	big_free((char *)b - STREAM_SKEW, size + 3 * STREAM_SKEW);
	big_free((char *)c - 2 * STREAM_SKEW, size + 3 * STREAM_SKEW);
	return sum;
}

static uint64_t k_hog_cache(const double *v)
{
	size_t chains = (size_t)v[1], per = (size_t)v[0] / sizeof(struct node) / chains, p[64];
	struct node *nodes;
	uint64_t seed = 7, steps = 0;
	double t0, el;

	hog_signals();
	if (per < 2)
		per = 2;
	nodes = big_alloc(chains * per * sizeof(*nodes), 1);
	/* one random cycle per chain, over its own part of the set */
	for (size_t ch = 0; ch < chains; ch++) {
		random_cycle(nodes, ch * per, per, &seed);
		p[ch] = ch * per;
	}
	hog_ready();
	t0 = now_s();
	while (!hog_done(t0, v[2])) {
		for (int k = 0; k < 65536; k++)
			for (size_t ch = 0; ch < chains; ch++)
				p[ch] = nodes[p[ch]].next;
		steps += 65536;
	}
	el = now_s() - t0;
	/* chains run in parallel: ns per access is per chain step */
	printf("rate=%.6g\nunit=accesses/s\n", el > 0 ? (double)(steps * chains) / el : 0);
	if (steps)
		printf("ns_per_access=%.3f\n", el * 1e9 / (double)steps);
	big_free(nodes, chains * per * sizeof(*nodes));
	return steps ^ p[0];
}

static uint64_t k_hog_cpu(const double *v)
{
	uint64_t x = 0, iters = 0;
	double t0, el;

	hog_signals();
	hog_ready();
	t0 = now_s();
	while (!hog_done(t0, v[0])) {
		for (uint64_t i = 1 << 20; i > 0; i--)
			x = x * 6364136223846793005ULL + i;
		iters += 1 << 20;
	}
	el = now_s() - t0;
	printf("rate=%.6g\nunit=iterations/s\n", el > 0 ? (double)iters / el : 0);
	return x;
}

typedef uint64_t (*kernel_fn)(const double *values);

static const struct {
	const char *name;
	kernel_fn fn;
} kernels[] = {
	{ "busy", k_busy },
	{ "sleep", k_sleep },
	{ "sqrt_list", k_sqrt_list },
	{ "list_concat", k_list_concat },
	{ "list_copy", k_list_copy },
	{ "list_slice", k_list_slice },
	{ "dict_insert", k_dict_insert },
	{ "stream", k_stream },
	{ "chase", k_chase },
	{ "pagefault", k_pagefault },
	{ "pingpong", k_pingpong },
	{ "hog_bandwidth", k_hog_bandwidth },
	{ "hog_cache", k_hog_cache },
	{ "hog_cpu", k_hog_cpu },
};

/* ---- 3. main ---------------------------------------------------------- */

static void list(void)
{
	for (const struct builtin *b = builtin_list(); b->name; b++) {
		printf("%s: %s (stresses %s)\n", b->name, b->summary, b->stresses);
		for (const struct builtin_param *p = b->params; p->name; p++) {
			if (p->auto_default)
				printf("  %s=auto  %s%s\n", p->name, p->help, p->scaled ? "; scaled" : "");
			else
				printf("  %s=%g  %s%s\n", p->name, p->def, p->help, p->scaled ? "; scaled" : "");
		}
	}
}

int main(int argc, char **argv)
{
	const struct builtin *b;
	double values[BUILTIN_MAX_PARAMS], scale = 1;
	const char *env_scale = getenv("SCALPROF_SCALE");
	char *err = NULL;
	size_t bad;

	if (argc >= 2 && strcmp(argv[1], "--list") == 0) {
		list();
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fprintf(argc < 2 ? stderr : stdout,
			"usage: scalprof-kernels NAME [PARAM=VALUE ...]\n"
			"       scalprof-kernels --list\n"
			"runs one built-in workload; see scalprof-workloads(7)\n");
		return argc < 2 ? 2 : 0;
	}
	b = builtin_find(argv[1]);
	if (!b) {
		fprintf(stderr, "scalprof-kernels: unknown kernel '%s' (--list names them)\n", argv[1]);
		return 2;
	}
	if (builtin_parse_args(b, argv + 2, (size_t)(argc - 2), values, &bad, &err) < 0) {
		fprintf(stderr, "scalprof-kernels: %s: %s\n", b->name, err ? err : "bad argument");
		free(err);
		return 2;
	}
	if (env_scale && *env_scale) {
		char *end;

		scale = strtod(env_scale, &end);
		if (*end || !(scale > 0) || scale > 1000) {
			fprintf(stderr, "scalprof-kernels: SCALPROF_SCALE: expected a number above 0 and at most 1000, got '%s'\n",
				env_scale);
			return 2;
		}
	}
	for (size_t i = 0; b->params[i].name; i++) {
		if (!b->params[i].scaled)
			continue;
		values[i] *= scale;
		if (b->params[i].kind != PARAM_SECONDS) {
			values[i] = floor(values[i]);
			if (values[i] < 1)
				values[i] = 1;
		}
	}
	if ((strcmp(b->name, "stream") == 0 || strcmp(b->name, "hog_bandwidth") == 0) && values[0] == 0)
		values[0] = (double)stream_default_size(); /* print what is used */
	for (size_t k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++)
		if (strcmp(kernels[k].name, b->name) == 0) {
			uint64_t sum;

			printf("%s", b->name);
			for (size_t i = 0; b->params[i].name; i++)
				printf(" %s=%.15g", b->params[i].name, values[i]);
			printf("\n");
			{
				double t0 = now_s();

				sum = kernels[k].fn(values);
				/* the kernel's own time, for comparisons across tools */
				printf("elapsed_s=%.6f\n", now_s() - t0);
			}
			print_checksum(sum);
			return fflush(stdout) == 0 ? 0 : 1;
		}
	fprintf(stderr, "scalprof-kernels: kernel '%s' is listed but not built\n", b->name);
	return 1;
}
