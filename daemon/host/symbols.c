/* symbols.c: the profile's symbolizer (see symbols.h). Addresses of call
 * chains become functions after the processes are gone, from what the
 * kernel recorded (mappings, forks, execs) and from files alone.
 *
 * Sections:
 *   pools and tables   a growing string pool, a set of names, files by path
 *   files              one Dwfl per file, opened on first use, kept
 *   maps               each process's address ranges; fork, exec
 *   user code          runtime address -> file offset -> ELF address -> symbol
 *   kernel             /proc/kallsyms, read once, sorted, binary search
 *   JIT                /tmp/perf-PID.map, read once per process
 *   resolve            which of the three an address belongs to
 */
#include <ctype.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "host/symbols.h"

/* Where x86-64's kernel half of the address space begins: an address at
 * or above it came from the kernel whatever the caller says. */
#define KERNEL_SPACE_START 0xffff800000000000ull

#define KERNEL_MODULE "[kernel.kallsyms]"
#define JIT_MODULE    "[jit]"
#define UNKNOWN       "[unknown]"

/* Separate debug files beside the file, in its .debug/ folder, and under
 * /usr/lib/debug (by build id there, and by .gnu_debuglink), as gdb and
 * perf look; '-': a build id is checked where there is one, the debug
 * link's CRC never (computing it reads the whole debug file). */
#define DEBUGINFO_PATH "-:.debug:/usr/lib/debug"

/* Names kept back to back; entries hold offsets, since the buffer moves
 * while it grows. */
struct pool {
	char *buf;
	size_t len, cap;
};

/* One mapped file. state: 0 not opened yet, 1 open, -1 unreadable (or not
 * a file at all: "//anon", "[vdso]"). loads: its PT_LOAD headers, to turn
 * a file offset into the address its symbols are given at. */
struct dso {
	char *path;
	int state;
	Dwfl *dwfl;
	Dwfl_Module *mod;
	GElf_Addr bias;
	GElf_Phdr *loads;
	size_t nloads;
};

struct map {
	uint64_t start, end, pgoff;
	struct dso *dso;
};

/* A perf map's entry; line: its place in the file, so that of two entries
 * at one address the later (code written over) wins. */
struct jit_sym {
	uint64_t start, end;
	size_t name, line;
};

/* A process: its maps sorted by start and never overlapping, and its perf
 * map once read. */
struct proc {
	pid_t pid;
	struct map *maps;
	size_t nmaps;
	int jit_read;
	struct jit_sym *jit;
	size_t njit;
	struct pool jit_names;
};

/* A kernel text symbol; name and module index kallsyms' pool (module
 * SIZE_MAX: the kernel itself). The rest orders symbols at one address. */
struct ksym {
	uint64_t addr;
	size_t name, module, line;
	unsigned char weak, local, underscores;
};

/* Strings owned by the set, each once. */
struct strset {
	char **slots; /* open addressing; cap a power of 2 */
	size_t n, cap;
};

struct symbolizer {
	struct dso **dsos; /* open addressing by path; dso_cap a power of 2 */
	size_t ndsos, dso_cap;
	struct proc **procs; /* sorted by pid */
	size_t nprocs, proc_cap;
	int kallsyms_read;
	struct ksym *ksyms;
	size_t nksyms;
	struct pool knames;
	char *kernel_problem;
	char *debuginfo_path;
	Dwfl_Callbacks callbacks; /* each Dwfl keeps a pointer to it */
	struct strset names;      /* symbol names with their version cut off */
};

/* ---- pools and tables ---- */

static size_t pool_add(struct pool *p, const char *s, size_t n)
{
	size_t off = p->len;

	if (p->len + n + 1 > p->cap) {
		p->cap = p->cap ? p->cap : 4096;
		while (p->len + n + 1 > p->cap)
			p->cap *= 2;
		p->buf = xreallocarray(p->buf, p->cap, 1);
	}
	memcpy(p->buf + off, s, n);
	p->buf[off + n] = '\0';
	p->len += n + 1;
	return off;
}

/* FNV-1a: names are short; anything even will do. */
static size_t hash_mem(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return (size_t)h;
}

static char **strset_slot(char **slots, size_t cap, const char *s, size_t n)
{
	size_t i = hash_mem(s, n) & (cap - 1);

	while (slots[i] && (strncmp(slots[i], s, n) != 0 || slots[i][n] != '\0'))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* The set's one copy of the n bytes at s. */
static const char *strset_intern(struct strset *set, const char *s, size_t n)
{
	char **slot;

	if (2 * (set->n + 1) > set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		char **slots = xcalloc(cap, sizeof(*slots));

		for (size_t i = 0; i < set->cap; i++)
			if (set->slots[i])
				*strset_slot(slots, cap, set->slots[i], strlen(set->slots[i])) = set->slots[i];
		free(set->slots);
		set->slots = slots;
		set->cap = cap;
	}
	slot = strset_slot(set->slots, set->cap, s, n);
	if (!*slot) {
		*slot = xcalloc(n + 1, 1);
		memcpy(*slot, s, n);
		set->n++;
	}
	return *slot;
}

static void strset_free(struct strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
}

static struct dso **dso_slot(struct dso **slots, size_t cap, const char *path)
{
	size_t i = hash_mem(path, strlen(path)) & (cap - 1);

	while (slots[i] && strcmp(slots[i]->path, path) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void dso_table_grow(struct symbolizer *sym)
{
	size_t cap = sym->dso_cap ? sym->dso_cap * 2 : 64;
	struct dso **slots = xcalloc(cap, sizeof(*slots));

	for (size_t i = 0; i < sym->dso_cap; i++)
		if (sym->dsos[i])
			*dso_slot(slots, cap, sym->dsos[i]->path) = sym->dsos[i];
	free(sym->dsos);
	sym->dsos = slots;
	sym->dso_cap = cap;
}

/* The one entry for path, made on first sight (the file is opened later,
 * when an address in it is resolved). */
static struct dso *dso_intern(struct symbolizer *sym, const char *path)
{
	struct dso **slot;

	if (2 * (sym->ndsos + 1) > sym->dso_cap)
		dso_table_grow(sym);
	slot = dso_slot(sym->dsos, sym->dso_cap, path);
	if (!*slot) {
		*slot = xcalloc(1, sizeof(**slot));
		(*slot)->path = xstrdup(path);
		sym->ndsos++;
	}
	return *slot;
}

static void dso_free(struct dso *d)
{
	if (!d)
		return;
	if (d->dwfl)
		dwfl_end(d->dwfl);
	free(d->loads);
	free(d->path);
	free(d);
}

/* ---- files ---- */

/* Anonymous memory, where a JIT's code lives if anywhere. */
static int path_is_anon(const char *path)
{
	return path[0] == '\0' || strncmp(path, "//anon", 6) == 0 || strncmp(path, "[anon", 5) == 0;
}

/* Only absolute paths are files: "[vdso]" or "//anon" opened as a path
 * would name whatever lies in the current folder under that name. */
static int path_is_file(const char *path)
{
	return path[0] == '/' && !path_is_anon(path);
}

static int dso_read_loads(struct dso *d, Elf *elf)
{
	size_t n;

	if (elf_getphdrnum(elf, &n) < 0)
		return -EINVAL;
	d->loads = xcalloc(n ? n : 1, sizeof(*d->loads));
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD)
			d->loads[d->nloads++] = ph;
	}
	return d->nloads ? 0 : -EINVAL;
}

/* Reports the file alone to a Dwfl of its own: one per file, since the
 * same file sits at different addresses in different processes, and we
 * translate addresses ourselves. Returns 0, or -EINVAL when it is no ELF
 * file we can read (then it is never tried again). */
static int dso_open(struct symbolizer *sym, struct dso *d)
{
	Elf *elf;

	if (d->state)
		return d->state > 0 ? 0 : -EINVAL;
	d->state = -1;
	if (!path_is_file(d->path))
		return -EINVAL;
	d->dwfl = dwfl_begin(&sym->callbacks);
	if (!d->dwfl)
		return -EINVAL;
	dwfl_report_begin(d->dwfl);
	d->mod = dwfl_report_elf(d->dwfl, d->path, d->path, -1, 0, false);
	if (dwfl_report_end(d->dwfl, NULL, NULL) != 0 || !d->mod)
		return -EINVAL;
	elf = dwfl_module_getelf(d->mod, &d->bias);
	if (!elf || dso_read_loads(d, elf) < 0)
		return -EINVAL;
	d->state = 1;
	return 0;
}

/* The address the file's symbols give for file offset off (its segment's
 * p_vaddr plus the offset into it), or 0 with -ENOENT when no segment
 * loads that part of the file. */
static int dso_offset_to_vaddr(const struct dso *d, uint64_t off, uint64_t *ret_vaddr)
{
	for (size_t i = 0; i < d->nloads; i++) {
		const GElf_Phdr *ph = &d->loads[i];

		if (off >= ph->p_offset && off - ph->p_offset < ph->p_filesz) {
			*ret_vaddr = off - ph->p_offset + ph->p_vaddr;
			return 0;
		}
	}
	return -ENOENT;
}

/* ---- maps ---- */

static struct proc *proc_find(const struct symbolizer *sym, pid_t pid, size_t *ret_index)
{
	size_t lo = 0, hi = sym->nprocs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sym->procs[mid]->pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (ret_index)
		*ret_index = lo;
	return lo < sym->nprocs && sym->procs[lo]->pid == pid ? sym->procs[lo] : NULL;
}

static struct proc *proc_get(struct symbolizer *sym, pid_t pid)
{
	size_t i;
	struct proc *p = proc_find(sym, pid, &i);

	if (p)
		return p;
	if (sym->nprocs == sym->proc_cap) {
		sym->proc_cap = sym->proc_cap ? sym->proc_cap * 2 : 16;
		sym->procs = xreallocarray(sym->procs, sym->proc_cap, sizeof(*sym->procs));
	}
	p = xcalloc(1, sizeof(*p));
	p->pid = pid;
	memmove(&sym->procs[i + 1], &sym->procs[i], (sym->nprocs - i) * sizeof(*sym->procs));
	sym->procs[i] = p;
	sym->nprocs++;
	return p;
}

static void proc_free(struct proc *p)
{
	if (!p)
		return;
	free(p->maps);
	free(p->jit);
	free(p->jit_names.buf);
	free(p);
}

/* The maps again with [m.start, m.end) cut out of every old one: the
 * parts left of it keep their place, the new map follows them, and the
 * parts right of it come after (a right part starts later in the file by
 * what was cut off its front). */
static void proc_insert_map(struct proc *p, struct map m)
{
	struct map *out = xreallocarray(NULL, 2 * p->nmaps + 1, sizeof(*out));
	size_t n = 0;

	for (size_t i = 0; i < p->nmaps; i++)
		if (p->maps[i].start < m.start) {
			out[n] = p->maps[i];
			if (out[n].end > m.start)
				out[n].end = m.start;
			n++;
		}
	out[n++] = m;
	for (size_t i = 0; i < p->nmaps; i++)
		if (p->maps[i].end > m.end) {
			out[n] = p->maps[i];
			if (out[n].start < m.end) {
				out[n].pgoff += m.end - out[n].start;
				out[n].start = m.end;
			}
			n++;
		}
	free(p->maps);
	p->maps = out;
	p->nmaps = n;
}

void symbolizer_add_map(struct symbolizer *sym, pid_t pid, uint64_t start, uint64_t len, uint64_t pgoff,
			const char *path)
{
	struct map m = { .start = start, .end = start + len, .pgoff = pgoff };

	if (len == 0)
		return;
	if (m.end < start) /* runs past the top of the address space */
		m.end = UINT64_MAX;
	m.dso = dso_intern(sym, path ? path : "");
	proc_insert_map(proc_get(sym, pid), m);
}

void symbolizer_fork(struct symbolizer *sym, pid_t parent, pid_t child)
{
	struct proc *cp = proc_get(sym, child), *pp = proc_find(sym, parent, NULL);

	free(cp->maps);
	cp->maps = NULL;
	cp->nmaps = 0;
	if (!pp || pp->nmaps == 0)
		return;
	cp->maps = xreallocarray(NULL, pp->nmaps, sizeof(*cp->maps));
	memcpy(cp->maps, pp->maps, pp->nmaps * sizeof(*cp->maps));
	cp->nmaps = pp->nmaps;
}

void symbolizer_exec(struct symbolizer *sym, pid_t pid)
{
	struct proc *p = proc_find(sym, pid, NULL);

	if (!p)
		return;
	free(p->maps);
	p->maps = NULL;
	p->nmaps = 0;
}

static const struct map *proc_map_at(const struct proc *p, uint64_t ip)
{
	size_t lo = 0, hi = p->nmaps;

	/* the first map ending after ip: the only one that can hold it */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->maps[mid].end <= ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nmaps && p->maps[lo].start <= ip ? &p->maps[lo] : NULL;
}

/* ---- user code ---- */

/* Code symbols only: an object's name given for an address in code would
 * be a lie (assembly functions are often typeless, so those count). */
static int sym_is_code(const GElf_Sym *s)
{
	int t = GELF_ST_TYPE(s->st_info);

	return t == STT_FUNC || t == STT_GNU_IFUNC || t == STT_NOTYPE;
}

/* ip inside map m: the symbol of the file there, or module and file
 * offset when the file cannot be read or has no symbol for it. */
static int resolve_file(struct symbolizer *sym, const struct map *m, uint64_t ip, struct sym_frame *ret)
{
	uint64_t off = ip - m->start + m->pgoff, vaddr;
	struct dso *d = m->dso;
	const char *name;
	GElf_Off sym_off;
	GElf_Sym s;
	size_t n;

	*ret = (struct sym_frame){ .module = d->path[0] ? d->path : "//anon", .offset = off, .kind = 'u' };
	if (dso_open(sym, d) < 0 || dso_offset_to_vaddr(d, off, &vaddr) < 0)
		return 0;
	name = dwfl_module_addrinfo(d->mod, vaddr + d->bias, &sym_off, &s, NULL, NULL, NULL);
	if (!name || !name[0] || !sym_is_code(&s))
		return 0;
	/* libdwfl names a versioned dynamic symbol "fopen@@GLIBC_2.2.5";
	 * the function is fopen, as perf and dladdr() say */
	n = strcspn(name, "@");
	ret->symbol = name[n] && n > 0 ? strset_intern(&sym->names, name, n) : name;
	ret->offset = sym_off;
	return 1;
}

/* ---- kernel ---- */

/* kallsyms' order for symbols at one address, best first, as perf
 * chooses: strong before weak, global before local, fewer leading
 * underscores, then the earlier line. */
static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->weak != y->weak)
		return x->weak - y->weak;
	if (x->local != y->local)
		return x->local - y->local;
	if (x->underscores != y->underscores)
		return x->underscores - y->underscores;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* One line, "ADDR TYPE NAME" or "ADDR TYPE NAME\t[MODULE]", into *ret;
 * 0 when it is a text symbol, -EINVAL for anything else. *module_off
 * carries the last module's pool offset so that a module's many lines
 * share one copy of its name. */
static int ksym_parse(struct symbolizer *sym, char *line, size_t lineno, size_t *module_off, struct ksym *ret)
{
	char *p, *name, *mod, type;
	uint64_t addr = strtoull(line, &p, 16);
	size_t n;

	if (p == line || *p != ' ' || !p[1] || p[2] != ' ')
		return -EINVAL;
	type = p[1];
	if (!strchr("tTwW", type))
		return -EINVAL;
	name = p + 3;
	n = strcspn(name, "\t\n");
	if (n == 0)
		return -EINVAL;
	*ret = (struct ksym){ .addr = addr, .module = SIZE_MAX, .line = lineno };
	ret->weak = type == 'w' || type == 'W';
	ret->local = islower((unsigned char)type) != 0;
	while (ret->underscores < n && name[ret->underscores] == '_' && ret->underscores < 255)
		ret->underscores++;
	mod = name + n;
	if (*mod == '\t' && mod[1] == '[') {
		size_t mn = strcspn(mod + 1, "\n");

		if (*module_off == SIZE_MAX || strncmp(sym->knames.buf + *module_off, mod + 1, mn) != 0 ||
		    sym->knames.buf[*module_off + mn] != '\0')
			*module_off = pool_add(&sym->knames, mod + 1, mn);
		ret->module = *module_off;
	}
	ret->name = pool_add(&sym->knames, name, n);
	return 0;
}

/* The table's symbols at one address but the best. */
static void ksyms_dedup(struct symbolizer *sym)
{
	size_t n = 0;

	for (size_t i = 0; i < sym->nksyms; i++)
		if (n == 0 || sym->ksyms[n - 1].addr != sym->ksyms[i].addr)
			sym->ksyms[n++] = sym->ksyms[i];
	sym->nksyms = n;
}

/* Reads /proc/kallsyms once; on a host that hides the addresses (every
 * one reads 0) or will not let us read it, kernel_problem says why. */
static void kallsyms_read(struct symbolizer *sym)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0, cap_syms = 0, lineno = 0, module_off = SIZE_MAX;
	int nonzero = 0;

	sym->kallsyms_read = 1;
	f = fopen("/proc/kallsyms", "re");
	if (!f) {
		sym->kernel_problem = xasprintf("cannot read /proc/kallsyms: %s", strerror(errno));
		return;
	}
	while (getline(&line, &cap, f) > 0) {
		struct ksym k;

		if (ksym_parse(sym, line, lineno++, &module_off, &k) < 0)
			continue;
		if (sym->nksyms == cap_syms) {
			cap_syms = cap_syms ? cap_syms * 2 : 4096;
			sym->ksyms = xreallocarray(sym->ksyms, cap_syms, sizeof(*sym->ksyms));
		}
		sym->ksyms[sym->nksyms++] = k;
		nonzero |= k.addr != 0;
	}
	free(line);
	fclose(f);
	if (!nonzero) {
		sym->kernel_problem = xstrdup("kernel addresses cannot be resolved: /proc/kallsyms shows them as zero "
					      "(kernel.kptr_restrict, or no CAP_SYSLOG)");
		sym->nksyms = 0;
		return;
	}
	qsort(sym->ksyms, sym->nksyms, sizeof(*sym->ksyms), ksym_cmp);
	ksyms_dedup(sym);
}

/* The symbol at or below ip; the one after it bounds it, since kallsyms
 * gives no sizes (as perf does). */
static int resolve_kernel(struct symbolizer *sym, uint64_t ip, struct sym_frame *ret)
{
	size_t lo = 0, hi;
	const struct ksym *k;

	if (!sym->kallsyms_read)
		kallsyms_read(sym);
	hi = sym->nksyms; /* only now: the first call reads them */
	*ret = (struct sym_frame){ .module = KERNEL_MODULE, .offset = ip, .kind = 'k' };
	while (lo < hi) { /* the first symbol above ip */
		size_t mid = lo + (hi - lo) / 2;

		if (sym->ksyms[mid].addr <= ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0;
	k = &sym->ksyms[lo - 1];
	if (k->module != SIZE_MAX)
		ret->module = sym->knames.buf + k->module;
	ret->symbol = sym->knames.buf + k->name;
	ret->offset = ip - k->addr;
	return 1;
}

/* ---- JIT ---- */

static int jit_cmp(const void *a, const void *b)
{
	const struct jit_sym *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* "START SIZE name" (hex, with or without 0x; the name runs to the end of
 * the line and may hold spaces) into *ret; -EINVAL for a malformed line. */
static int jit_parse(struct proc *p, const char *line, size_t lineno, struct jit_sym *ret)
{
	char *size_at, *name_at;
	uint64_t start = strtoull(line, &size_at, 16), size;
	const char *name;
	size_t n;

	if (size_at == line || (*size_at != ' ' && *size_at != '\t'))
		return -EINVAL;
	size = strtoull(size_at, &name_at, 16);
	if (name_at == size_at || size == 0 || (*name_at != ' ' && *name_at != '\t'))
		return -EINVAL;
	name = name_at + strspn(name_at, " \t");
	n = strcspn(name, "\n");
	while (n > 0 && (name[n - 1] == '\r' || name[n - 1] == ' '))
		n--;
	if (n == 0)
		return -EINVAL;
	*ret = (struct jit_sym){ .start = start, .end = start + size, .line = lineno };
	if (ret->end < start)
		ret->end = UINT64_MAX;
	ret->name = pool_add(&p->jit_names, name, n);
	return 0;
}

/* /tmp/perf-PID.map, once: a runtime appends to it as it compiles, and
 * resolving comes after the run, when it is complete. No file: no JIT. */
static void jit_read(struct proc *p)
{
	char path[64], *line = NULL;
	size_t cap = 0, cap_syms = 0, lineno = 0;
	FILE *f;

	p->jit_read = 1;
	snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)p->pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		struct jit_sym j;

		if (jit_parse(p, line, lineno++, &j) < 0)
			continue;
		if (p->njit == cap_syms) {
			cap_syms = cap_syms ? cap_syms * 2 : 256;
			p->jit = xreallocarray(p->jit, cap_syms, sizeof(*p->jit));
		}
		p->jit[p->njit++] = j;
	}
	free(line);
	fclose(f);
	qsort(p->jit, p->njit, sizeof(*p->jit), jit_cmp);
}

/* The last entry starting at or below ip, if it reaches ip. */
static int resolve_jit(struct symbolizer *sym, pid_t pid, uint64_t ip, struct sym_frame *ret)
{
	struct proc *p = proc_get(sym, pid);
	size_t lo = 0, hi;
	const struct jit_sym *j;

	if (!p->jit_read)
		jit_read(p);
	hi = p->njit;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->jit[mid].start <= ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || ip >= p->jit[lo - 1].end)
		return 0;
	j = &p->jit[lo - 1];
	*ret = (struct sym_frame){ .module = JIT_MODULE, .symbol = p->jit_names.buf + j->name,
				   .offset = ip - j->start, .kind = 'j' };
	return 1;
}

/* ---- resolve ---- */

static int resolve_user(struct symbolizer *sym, pid_t pid, uint64_t ip, struct sym_frame *ret)
{
	const struct proc *p = proc_find(sym, pid, NULL);
	const struct map *m = p ? proc_map_at(p, ip) : NULL;

	/* JIT code lives in anonymous memory, or (when the mapping was
	 * missed) in none that was recorded */
	if ((!m || path_is_anon(m->dso->path)) && resolve_jit(sym, pid, ip, ret))
		return 1;
	if (!m) {
		*ret = (struct sym_frame){ .module = UNKNOWN, .offset = ip, .kind = 'u' };
		return 0;
	}
	return resolve_file(sym, m, ip, ret);
}

int symbolizer_resolve(struct symbolizer *sym, pid_t pid, uint64_t ip, int kernel, struct sym_frame *ret)
{
#if defined(__x86_64__)
	kernel = kernel || ip >= KERNEL_SPACE_START;
#endif
	if (kernel)
		return resolve_kernel(sym, ip, ret);
	return resolve_user(sym, pid, ip, ret);
}

const char *symbolizer_kernel_problem(struct symbolizer *sym)
{
	if (!sym->kallsyms_read)
		kallsyms_read(sym);
	return sym->kernel_problem;
}

struct symbolizer *symbolizer_new(void)
{
	struct symbolizer *sym = xcalloc(1, sizeof(*sym));

	sym->debuginfo_path = xstrdup(DEBUGINFO_PATH);
	sym->callbacks = (Dwfl_Callbacks){
		.find_elf = NULL, /* every file is reported by path, never looked for */
		.find_debuginfo = dwfl_standard_find_debuginfo,
		.section_address = dwfl_offline_section_address,
		.debuginfo_path = &sym->debuginfo_path,
	};
	return sym;
}

void symbolizer_free(struct symbolizer *sym)
{
	if (!sym)
		return;
	for (size_t i = 0; i < sym->dso_cap; i++)
		dso_free(sym->dsos[i]);
	free(sym->dsos);
	for (size_t i = 0; i < sym->nprocs; i++)
		proc_free(sym->procs[i]);
	free(sym->procs);
	free(sym->ksyms);
	free(sym->knames.buf);
	free(sym->kernel_problem);
	free(sym->debuginfo_path);
	strset_free(&sym->names);
	free(sym);
}
