/* test-symbols.c: the symbolizer on real files and real addresses. A
 * program is compiled (PIE and not), stripped with its symbols kept in a
 * separate debug file, run, and its function found after it has exited;
 * a libc function of this process is checked against dladdr(); a kernel
 * function against /proc/kallsyms (or, where that shows zeros, the reason
 * why not); a JIT perf map; and the bookkeeping of forks, execs and maps
 * laid over maps. Runs as root and not. */
#include <dlfcn.h>
#include <inttypes.h>
#include <limits.h>
#include <link.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "host/symbols.h"
#include "tap.h"

/* Fake pids: the symbolizer only keys on them. */
enum { PID_PROG = 1000001, PID_SELF, PID_CHILD, PID_OTHER, PID_OVERLAP };

/* The program, its one function of interest, and the mapping of its code
 * as it printed them from inside itself. */
static const char prog_src[] =
	"#include <stdint.h>\n"
	"#include <stdio.h>\n"
	"__attribute__((noinline)) int sp_hot_function(int n)\n"
	"{\n"
	"	volatile int s = 0;\n"
	"	for (int i = 0; i < n * 1000; i++)\n"
	"		s += i * i;\n"
	"	return s;\n"
	"}\n"
	"int main(int argc, char **argv)\n"
	"{\n"
	"	uintptr_t a = (uintptr_t)&sp_hot_function;\n"
	"	unsigned long lo, hi;\n"
	"	char line[4096];\n"
	"	FILE *f = fopen(\"/proc/self/maps\", \"r\");\n"
	"	printf(\"%lx\\n\", (unsigned long)a);\n"
	"	while (f && fgets(line, sizeof(line), f))\n"
	"		if (sscanf(line, \"%lx-%lx\", &lo, &hi) == 2 && lo <= a && a < hi)\n"
	"			fputs(line, stdout);\n"
	"	return sp_hot_function(argc) == 42;\n"
	"}\n";

struct maps_line {
	uint64_t start, end, pgoff;
	char path[PATH_MAX];
};

struct prog {
	char dir[PATH_MAX];
	uint64_t addr; /* &sp_hot_function in the run */
	struct maps_line map;
};

static char tmpdir[] = "/tmp/test-symbols-XXXXXX";

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	va_list ap;
	char *cmd;
	int r;

	va_start(ap, fmt);
	if (vasprintf(&cmd, fmt, ap) < 0)
		abort();
	va_end(ap);
	r = system(cmd);
	free(cmd);
	return r;
}

/* "lo-hi perms offset dev inode   path" */
static int parse_maps_line(const char *line, struct maps_line *ret)
{
	unsigned long long lo, hi, off;
	int n = 0;

	if (sscanf(line, "%llx-%llx %*s %llx %*s %*s %n", &lo, &hi, &off, &n) < 3 || n == 0)
		return -1;
	ret->start = lo;
	ret->end = hi;
	ret->pgoff = off;
	snprintf(ret->path, sizeof(ret->path), "%.*s", (int)strcspn(line + n, "\n"), line + n);
	return 0;
}

/* Compiles, splits off the debug file, strips, links the two, runs. */
static int prog_build(struct prog *p, const char *name, const char *cflags)
{
	char line[PATH_MAX + 128];
	FILE *f;
	int r = -1;

	snprintf(p->dir, sizeof(p->dir), "%s/%s", tmpdir, name);
	if (sh("mkdir -p %s && cd %s && cat >prog.c <<'EOF'\n%sEOF\n"
	       "cc -O1 -g %s -o prog prog.c && objcopy --only-keep-debug prog prog.debug && "
	       "strip --strip-all prog && objcopy --add-gnu-debuglink=prog.debug prog",
	       p->dir, p->dir, prog_src, cflags) != 0)
		return -1;
	snprintf(line, sizeof(line), "%s/prog", p->dir);
	f = popen(line, "r");
	if (!f)
		return -1;
	if (fgets(line, sizeof(line), f) && sscanf(line, "%" SCNx64, &p->addr) == 1 && fgets(line, sizeof(line), f) &&
	    parse_maps_line(line, &p->map) == 0)
		r = 0;
	pclose(f);
	return r;
}

static void add_maps_line(struct symbolizer *sym, pid_t pid, const struct maps_line *m)
{
	symbolizer_add_map(sym, pid, m->start, m->end - m->start, m->pgoff, m->path);
}

/* The function's name and offset from a fresh symbolizer, after the
 * program has gone. */
static void check_resolved(const struct prog *p, const char *how)
{
	struct symbolizer *sym = symbolizer_new();
	struct sym_frame fr;
	int r;

	add_maps_line(sym, PID_PROG, &p->map);
	r = symbolizer_resolve(sym, PID_PROG, p->addr + 4, 0, &fr);
	is_int(r, 1, "%s: %s: resolved", p->dir, how);
	is_str(fr.symbol, "sp_hot_function", "%s: %s: the function", p->dir, how);
	is_int(fr.offset, 4, "%s: %s: offset in it", p->dir, how);
	is_str(fr.module, p->map.path, "%s: %s: module is the file", p->dir, how);
	is_int(fr.kind, 'u', "%s: %s: user code", p->dir, how);
	symbolizer_free(sym);
}

static void check_unresolved(const struct prog *p)
{
	struct symbolizer *sym = symbolizer_new();
	struct sym_frame fr;
	int r;

	add_maps_line(sym, PID_PROG, &p->map);
	r = symbolizer_resolve(sym, PID_PROG, p->addr + 4, 0, &fr);
	is_int(r, 0, "%s: no debug file: unresolved", p->dir);
	ok(fr.symbol == NULL, "%s: no debug file: no symbol (got %s)", p->dir, fr.symbol ? fr.symbol : "NULL");
	is_str(fr.module, p->map.path, "%s: no debug file: module is the file", p->dir);
	is_int(fr.offset, p->addr + 4 - p->map.start + p->map.pgoff, "%s: no debug file: offset in the file", p->dir);
	symbolizer_free(sym);
}

/* A map that started a page early with a later map laid over that page:
 * what is left must still find the function (its offset in the file
 * kept). */
static void check_trimmed(const struct prog *p)
{
	struct symbolizer *sym = symbolizer_new();
	struct sym_frame fr;

	if (p->map.pgoff < 4096) {
		ok(1, "# skip %s: the code map starts the file", p->dir);
		symbolizer_free(sym);
		return;
	}
	symbolizer_add_map(sym, PID_PROG, p->map.start - 4096, p->map.end - p->map.start + 4096, p->map.pgoff - 4096,
			   p->map.path);
	symbolizer_add_map(sym, PID_PROG, p->map.start - 4096, 4096, 0, "//anon");
	symbolizer_resolve(sym, PID_PROG, p->addr + 4, 0, &fr);
	is_str(fr.symbol, "sp_hot_function", "%s: a map trimmed at its front still resolves", p->dir);
	symbolizer_free(sym);
}

static void test_stripped(const char *name, const char *cflags)
{
	struct prog p;

	if (!ok(prog_build(&p, name, cflags) == 0, "%s: compiled, stripped, run (cc %s)", name, cflags))
		return;
	check_resolved(&p, "debug file by debuglink beside it");
	check_trimmed(&p);
	sh("cd %s && mkdir -p .debug && mv prog.debug .debug/", p.dir);
	check_resolved(&p, "debug file in .debug/");
	sh("cd %s && mv .debug/prog.debug prog.debug.gone", p.dir);
	check_unresolved(&p);
}

/* The code mapping of this process that holds addr, from /proc/self/maps. */
static int self_map_of(uint64_t addr, struct maps_line *ret)
{
	char line[PATH_MAX + 128];
	FILE *f = fopen("/proc/self/maps", "re");
	int r = -1;

	while (f && r < 0 && fgets(line, sizeof(line), f))
		if (parse_maps_line(line, ret) == 0 && ret->start <= addr && addr < ret->end)
			r = 0;
	if (f)
		fclose(f);
	return r;
}

static void add_self_maps(struct symbolizer *sym, pid_t pid)
{
	char line[PATH_MAX + 128];
	FILE *f = fopen("/proc/self/maps", "re");
	struct maps_line m;

	while (f && fgets(line, sizeof(line), f))
		if (parse_maps_line(line, &m) == 0)
			add_maps_line(sym, pid, &m);
	if (f)
		fclose(f);
}

/* name: as dladdr names it, or an alias at the same address (glibc's
 * __getpid and getpid) that the dynamic linker also knows. */
static int same_function(const char *name, const Dl_info *info)
{
	if (!name || !info->dli_sname)
		return 0;
	return strcmp(name, info->dli_sname) == 0 || dlsym(RTLD_DEFAULT, name) == info->dli_saddr;
}

static void check_libc_function(struct symbolizer *sym, const char *fname)
{
	void *fn = dlsym(RTLD_DEFAULT, fname);
	const ElfW(Sym) *es = NULL;
	struct maps_line m;
	struct sym_frame fr;
	Dl_info info;
	uint64_t ip, off;
	int r;

	if (!ok(fn && dladdr1(fn, &info, (void **)&es, RTLD_DL_SYMENT) && info.dli_sname && es &&
		    self_map_of((uintptr_t)fn, &m) == 0,
		"libc: %s found by dlsym and dladdr", fname))
		return;
	off = es->st_size > 2 ? es->st_size / 2 : 0; /* well inside it */
	ip = (uintptr_t)info.dli_saddr + off;
	r = symbolizer_resolve(sym, PID_SELF, ip, 0, &fr);
	is_int(r, 1, "libc: %s resolved", fname);
	if (!ok(same_function(fr.symbol, &info), "libc: %s: the name dladdr gives, or an alias", fname))
		printf("#   got '%s', dladdr '%s'\n", fr.symbol ? fr.symbol : "(null)", info.dli_sname);
	is_int(fr.offset, off, "libc: %s: offset in it", fname);
	is_str(fr.module, m.path, "libc: %s: module is the library's file", fname);
}

static void test_libc(void)
{
	struct symbolizer *sym = symbolizer_new();

	add_self_maps(sym, PID_SELF);
	check_libc_function(sym, "getpid");
	check_libc_function(sym, "qsort");
	check_libc_function(sym, "fopen");
	symbolizer_free(sym);
}

/* The first text symbol named name in /proc/kallsyms ("" for any in a
 * module): 0 and its address, or -1. */
static int kallsyms_find(const char *name, uint64_t *ret_addr, char *ret_name, size_t name_len)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512], sname[256], module[256], type;
	unsigned long long a;
	int r = -1;

	while (f && r < 0 && fgets(line, sizeof(line), f)) {
		int n = sscanf(line, "%llx %c %255s %255s", &a, &type, sname, module);

		if (n < 3 || !strchr("tT", type))
			continue;
		if ((name[0] && n == 3 && strcmp(sname, name) == 0) || (!name[0] && n == 4)) {
			*ret_addr = a;
			snprintf(ret_name, name_len, "%s", n == 4 ? module : sname);
			r = 0;
		}
	}
	if (f)
		fclose(f);
	return r;
}

static void test_kernel(void)
{
	struct symbolizer *sym = symbolizer_new();
	const char *problem = symbolizer_kernel_problem(sym);
	struct sym_frame fr;
	char module[256];
	uint64_t addr;
	int r;

	if (!ok(kallsyms_find("schedule", &addr, module, sizeof(module)) == 0, "kernel: schedule in /proc/kallsyms"))
		goto out;
	if (addr == 0) {
		ok(problem != NULL, "kernel: addresses hidden: the reason is given (%s)", problem ? problem : "NULL");
		r = symbolizer_resolve(sym, PID_SELF, 0xffffffff81234567ull, 1, &fr);
		is_int(r, 0, "kernel: hidden: unresolved");
		is_str(fr.module, "[kernel.kallsyms]", "kernel: hidden: module");
		ok(fr.symbol == NULL, "kernel: hidden: no symbol");
		is_int(fr.offset, 0xffffffff81234567ull, "kernel: hidden: offset is the address");
		is_int(fr.kind, 'k', "kernel: hidden: kind");
		goto out;
	}
	ok(problem == NULL, "kernel: addresses readable: no problem (%s)", problem ? problem : "NULL");
	r = symbolizer_resolve(sym, PID_SELF, addr + 5, 1, &fr);
	is_int(r, 1, "kernel: schedule+5 resolved");
	is_str(fr.symbol, "schedule", "kernel: the function");
	is_int(fr.offset, 5, "kernel: offset in it");
	is_str(fr.module, "[kernel.kallsyms]", "kernel: module");
	is_int(fr.kind, 'k', "kernel: kind");
	symbolizer_resolve(sym, PID_SELF, addr + 5, 0, &fr);
	is_str(fr.symbol, "schedule",
	       "kernel: an address in the kernel's half is the kernel's whatever the caller says");
	if (kallsyms_find("", &addr, module, sizeof(module)) == 0) {
		symbolizer_resolve(sym, PID_SELF, addr, 1, &fr);
		is_str(fr.module, module, "kernel: a module's function has the module's name");
		is_int(fr.offset, 0, "kernel: at its start");
	} else {
		ok(1, "# skip no kernel module loaded");
	}
out:
	symbolizer_free(sym);
}

static void check_jit(struct symbolizer *sym, pid_t pid, uint64_t ip, const char *want, uint64_t want_off)
{
	struct sym_frame fr;
	int r = symbolizer_resolve(sym, pid, ip, 0, &fr);

	is_int(r, 1, "jit: %#llx resolved", (unsigned long long)ip);
	is_str(fr.symbol, want, "jit: %#llx: name", (unsigned long long)ip);
	is_int(fr.offset, want_off, "jit: %#llx: offset", (unsigned long long)ip);
	is_str(fr.module, "[jit]", "jit: %#llx: module", (unsigned long long)ip);
	is_int(fr.kind, 'j', "jit: %#llx: kind", (unsigned long long)ip);
}

static void test_jit(void)
{
	struct symbolizer *sym = symbolizer_new();
	pid_t pid = getpid(); /* nobody else writes this pid's map */
	char *path = xasprintf("/tmp/perf-%d.map", (int)pid);
	FILE *f = fopen(path, "we");
	struct sym_frame fr;
	int r;

	if (!ok(f != NULL, "jit: %s written", path))
		goto out;
	fputs("7f00dead1000 100 py::hot:/srv/app.py\n"
	      "0x7f00dead2000 0x40 LazyCompile:*work /a b.js\n"
	      "not a line\n"
	      "7f00dead3000 20 old code\n"
	      "7f00dead3000 20 new code\n",
	      f);
	fclose(f);
	check_jit(sym, pid, 0x7f00dead1010, "py::hot:/srv/app.py", 0x10);
	check_jit(sym, pid, 0x7f00dead2020, "LazyCompile:*work /a b.js", 0x20);
	check_jit(sym, pid, 0x7f00dead3004, "new code", 4);
	r = symbolizer_resolve(sym, pid, 0x7f00dead1100, 0, &fr);
	is_int(r, 0, "jit: past an entry's end: unresolved");
	is_str(fr.module, "[unknown]", "jit: past an entry's end, no map: unknown");
	is_int(fr.offset, 0x7f00dead1100, "jit: unknown: offset is the address");
	symbolizer_add_map(sym, pid, 0x7f00dead0000, 0x10000, 0, "//anon");
	check_jit(sym, pid, 0x7f00dead1010, "py::hot:/srv/app.py", 0x10);
	r = symbolizer_resolve(sym, pid, 0x7f00dead1100, 0, &fr);
	is_int(r, 0, "jit: anonymous memory outside every entry: unresolved");
	is_str(fr.module, "//anon", "jit: anonymous memory: module is the map");
	is_int(fr.offset, 0x1100, "jit: anonymous memory: offset in the map");
	unlink(path);
out:
	free(path);
	symbolizer_free(sym);
}

static void test_fork_exec(void)
{
	struct symbolizer *sym = symbolizer_new();
	uint64_t ip = (uintptr_t)dlsym(RTLD_DEFAULT, "getpid");
	struct sym_frame fr;
	Dl_info info;

	if (!ok(ip && dladdr((void *)(uintptr_t)ip, &info) && info.dli_sname, "fork: getpid found"))
		goto out;
	add_self_maps(sym, PID_SELF);
	symbolizer_add_map(sym, PID_CHILD, 0x1000, 0x1000, 0, "/nonexistent/before-fork");
	symbolizer_fork(sym, PID_SELF, PID_CHILD);
	is_int(symbolizer_resolve(sym, PID_CHILD, ip, 0, &fr), 1, "fork: the child has the parent's maps");
	ok(same_function(fr.symbol, &info), "fork: the child resolves the parent's function");
	symbolizer_resolve(sym, PID_CHILD, 0x1800, 0, &fr);
	is_str(fr.module, "[unknown]", "fork: the child's maps before the fork are gone");
	symbolizer_exec(sym, PID_CHILD);
	is_int(symbolizer_resolve(sym, PID_CHILD, ip, 0, &fr), 0, "exec: the child's maps are gone");
	is_str(fr.module, "[unknown]", "exec: unknown");
	is_int(fr.offset, ip, "exec: offset is the address");
	is_int(symbolizer_resolve(sym, PID_SELF, ip, 0, &fr), 1, "exec: the parent keeps its maps");
	symbolizer_add_map(sym, PID_CHILD, 0x1000, 0x1000, 0, "/nonexistent/after-exec");
	symbolizer_resolve(sym, PID_CHILD, 0x1800, 0, &fr);
	is_str(fr.module, "/nonexistent/after-exec", "exec: the new image's maps count");
	symbolizer_fork(sym, PID_OTHER, PID_CHILD);
	is_int(symbolizer_resolve(sym, PID_CHILD, 0x1800, 0, &fr), 0, "fork from an unknown parent: no maps");
	is_str(fr.module, "[unknown]", "fork from an unknown parent: unknown");
out:
	symbolizer_free(sym);
}

static void check_map(struct symbolizer *sym, uint64_t ip, const char *module, uint64_t off)
{
	struct sym_frame fr;

	symbolizer_resolve(sym, PID_OVERLAP, ip, 0, &fr);
	is_str(fr.module, module, "overlap: %#llx: module", (unsigned long long)ip);
	is_int(fr.offset, off, "overlap: %#llx: offset", (unsigned long long)ip);
}

static void test_overlap(void)
{
	struct symbolizer *sym = symbolizer_new();

	symbolizer_add_map(sym, PID_OVERLAP, 0x10000, 0x40000, 0, "/nonexistent/x");
	symbolizer_add_map(sym, PID_OVERLAP, 0x60000, 0x10000, 0x2000, "/nonexistent/w");
	symbolizer_add_map(sym, PID_OVERLAP, 0x20000, 0x10000, 0x100000, "/nonexistent/y");
	check_map(sym, 0x18000, "/nonexistent/x", 0x8000);
	check_map(sym, 0x28000, "/nonexistent/y", 0x108000);
	check_map(sym, 0x38000, "/nonexistent/x", 0x28000);
	check_map(sym, 0x50000, "[unknown]", 0x50000);
	check_map(sym, 0x60010, "/nonexistent/w", 0x2010);
	symbolizer_add_map(sym, PID_OVERLAP, 0x8000, 0x30000, 0, "/nonexistent/z");
	check_map(sym, 0x28000, "/nonexistent/z", 0x20000);
	check_map(sym, 0x38000, "/nonexistent/x", 0x28000);
	check_map(sym, 0x60010, "/nonexistent/w", 0x2010);
	symbolizer_add_map(sym, PID_OVERLAP, 0, 0x100000, 0, "/nonexistent/all");
	check_map(sym, 0x60010, "/nonexistent/all", 0x60010);
	symbolizer_free(sym);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_stripped("pie", "-fPIE -pie");
	test_stripped("nopie", "-fno-pie -no-pie");
	test_libc();
	test_kernel();
	test_jit();
	test_fork_exec();
	test_overlap();
	sh("rm -rf %s", tmpdir);
	return done_testing();
}
