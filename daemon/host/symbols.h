/* symbols.h: turning the addresses of a run's call chains into functions
 * after its processes are gone. The profile probe feeds it what the
 * kernel recorded while the run went (each process's executable mappings
 * from PERF_RECORD_MMAP2, its forks and execs); resolving then reads only
 * files: ELF symbol tables and DWARF through elfutils' libdwfl (separate
 * debug files found by build id or .gnu_debuglink, as gdb and perf find
 * them), the kernel's symbols from /proc/kallsyms, and JIT code from
 * /tmp/perf-PID.map where a runtime wrote one (Python 3.12+ with -X perf,
 * Node with --perf-basic-prof). An address that cannot be resolved is
 * given as module and offset, never dropped. */
#ifndef SCALPROF_SYMBOLS_H
#define SCALPROF_SYMBOLS_H

#include <stdint.h>
#include <sys/types.h>

struct symbolizer;

/* What one address resolved to. module: the mapped file's path,
 * "[kernel.kallsyms]" (or the kernel module's "[name]"), "[jit]" for a
 * perf map's entry, "[unknown]" when no mapping holds the address.
 * symbol: the function's name, NULL when unresolved. offset: from the
 * symbol's start when resolved; otherwise the address's offset in the
 * module's file (for "[unknown]", the address itself). kind: 'u' user
 * code, 'k' kernel, 'j' JIT. The strings belong to the symbolizer and live
 * until symbolizer_free. */
struct sym_frame {
	const char *module;
	const char *symbol;
	uint64_t offset;
	char kind;
};

/* A fresh symbolizer with no processes; never fails (allocation failure
 * aborts, as everywhere). /proc/kallsyms is read on first use. */
struct symbolizer *symbolizer_new(void);
void symbolizer_free(struct symbolizer *sym);

/* Process pid mapped [start, start + len) of path at file offset pgoff
 * (PERF_RECORD_MMAP2; only executable mappings matter). A later mapping
 * over the same addresses replaces the earlier one. */
void symbolizer_add_map(struct symbolizer *sym, pid_t pid, uint64_t start, uint64_t len, uint64_t pgoff,
			const char *path);
/* Process child was forked from parent: it starts with parent's maps. */
void symbolizer_fork(struct symbolizer *sym, pid_t parent, pid_t child);
/* Process pid called exec: its maps are gone (the new image's mappings
 * follow as add_map). */
void symbolizer_exec(struct symbolizer *sym, pid_t pid);

/* Resolves ip of process pid; kernel: the address came from the kernel
 * part of a call chain. Always fills *ret (unresolved as described
 * above); returns 1 when a symbol was found, 0 when not. Does not log. */
int symbolizer_resolve(struct symbolizer *sym, pid_t pid, uint64_t ip, int kernel, struct sym_frame *ret);

/* Why kernel addresses cannot be resolved on this host (kallsyms shows
 * zeros: kptr_restrict, no CAP_SYSLOG), or NULL when they can. */
const char *symbolizer_kernel_problem(struct symbolizer *sym);

#endif
