#!/bin/bash
# t1110-profile: call-stack profiles of real programs (profile: in the
# campaign), stored, symbolized after the workers are gone, compared from 1
# worker to 2 and drawn as flame graphs.
#   - a C program built here, stripped, with its debug file beside it and a
#     shared library of its own, whose two hot functions do 3 and 1 parts of
#     the same loop: each shows at its share of the samples, within 5 points;
#   - sqrt_list's fresh arrays: kernel stacks of page-fault handling and
#     page zeroing;
#   - pingpong's processes blocking each other on pipes: the blocking stack
#     off the CPU, with its blocked time;
#   - seed 003's Python threads: their off-CPU time in a futex wait;
#   - the report quotes the growth from 1 worker to 2; flamegraph draws SVG,
#     folded text and a differential graph, and refuses what it cannot do.
# As root (CI) kernel frames are expected; as an ordinary user with
# perf_event_paranoid 2, user stacks only, and the profile says why.
. "$(dirname "$0")/lib/test-lib.sh"

require cmd cc "a C compiler builds the program with known hot functions"
require cmd objcopy "binutils splits the debug file"
require cmd python3
kernel=0
[ "$(id -u)" = 0 ] || [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -le 1 ] && kernel=1

# ---- the program: two hot functions of known share, one in a library ----
mkdir -p "$TMP/prog"
cat >"$TMP/prog/loop.h" <<'C'
/* the same loop in both places: a part is the same work */
#define SP_LOOP(parts) do { for (long i = 0; i < (parts) * 40000000L; i++) sink += i ^ (sink >> 3); } while (0)
C
cat >"$TMP/prog/lib.c" <<'C'
#include "loop.h"
volatile long sink;
__attribute__((noinline)) void sp_lib_work(long parts) { SP_LOOP(parts); }
C
cat >"$TMP/prog/main.c" <<'C'
#include "loop.h"
extern volatile long sink;
void sp_lib_work(long parts);
__attribute__((noinline)) static void sp_hot_main(long parts) { SP_LOOP(parts); }
int main(void) { sp_hot_main(3); sp_lib_work(1); return 0; }
C
(
	cd "$TMP/prog" &&
		cc -O1 -g -fno-omit-frame-pointer -fPIC -shared -o libsphot.so lib.c &&
		cc -O1 -g -fno-omit-frame-pointer -o hot main.c -L. -lsphot -Wl,-rpath,"$TMP/prog" &&
		objcopy --only-keep-debug hot hot.debug && strip --strip-all hot &&
		objcopy --add-gnu-debuglink=hot.debug hot
) >build.log 2>&1
ok "[ -x '$TMP/prog/hot' ]" "the program builds, stripped, with hot.debug beside it"
show_on_failure build.log
ok "! nm '$TMP/prog/hot' 2>/dev/null | grep -q sp_hot_main" "the binary itself has no symbols"

cat >c.yaml <<YAML
name: t1110
workers: [1, 2]
repetitions: 2
interval_ms: 0
profile: {hz: 499, offcpu: true}
workloads:
  - name: hot
    command: [$TMP/prog/hot]
  - name: faults
    builtin: sqrt_list
    args: [n=2000000, reps=4]
  - name: pingpong
    builtin: pingpong
    mode: team
    args: [messages=15000]
YAML
run_sp run --no-probe c.yaml --db "$DB" -q
is "$rc" 0 "the profiled campaign runs"
show_on_failure c.yaml
# seed 003's threads, at a sixth of the seed's work
sed -e 's/^name: t1110/name: t1110-py/' -e '/^workloads:/,$d' c.yaml >py.yaml
cat >>py.yaml <<YAML
scale: 0.15
workloads:
  - name: py_threads
    mode: team
    command: [/usr/bin/python3, seed003.py, threads]
    cwd: $SRC_DIR/workloads/python
YAML
run_sp run --no-probe py.yaml --db "$DB" -q
is "$rc" 0 "seed 003's threads, profiled"
is "$(q "select count(*) from profiles")" 16 "a profile per run"
is "$(q "select count(*) from profiles where samples > 0")" 16 "each with on-CPU samples"
if [ $kernel = 1 ]; then
	is "$(q "select count(*) from profiles where kernel = 1 and offcpu = 1")" 16 "kernel frames and off-CPU stacks recorded"
else
	like "$(q "select note from profiles limit 1")" "kernel frames are missing" "the profile says why kernel frames are missing"
fi
ok "[ \"\$(q 'select max(symbolize_ms) from profiles')\" != '' ]" "the time symbolization took is kept"

# share of on-CPU self samples of a function over a workload's runs at 1 worker
self_share() { q "select round(100.0 * sum(case when f.symbol = '$2' then ps.samples else 0 end) / sum(ps.samples), 1)
	from profile_samples ps join runs r on r.id = ps.run_id join profile_stacks s on s.id = ps.stack_id
	join profile_frames f on f.id = s.leaf where r.workload = '$1' and r.n_workers = 1 and ps.state = 'on'"; }
main_share=$(self_share hot sp_hot_main)
lib_share=$(self_share hot sp_lib_work)
echo "# hot: sp_hot_main $main_share% of the samples (75 expected), sp_lib_work $lib_share% (25)"
ok "awk 'BEGIN { exit !($main_share >= 70 && $main_share <= 80) }'" \
	"a stripped binary's function resolves through its debug file, at its share (75%, got $main_share%)"
ok "awk 'BEGIN { exit !($lib_share >= 20 && $lib_share <= 30) }'" \
	"a shared library's function resolves, at its share (25%, got $lib_share%)"
is "$(q "select module from profile_frames where symbol = 'sp_lib_work'")" "$TMP/prog/libsphot.so" "with the library as its module"
like "$(q "select group_concat(symbol, ' ') from profile_frames where module = '$TMP/prog/hot'")" "main" \
	"main resolves in the stripped binary too"
ok "! kill -0 \$(pgrep -f '$TMP/prog/hot' || echo 999999999) 2>/dev/null" \
	"the workers were gone before their addresses were resolved"

# frames anywhere in a workload's stacks of a state
stack_frames() { q "select distinct f.symbol from profile_samples ps join runs r on r.id = ps.run_id
	join profile_stack_frames sf on sf.stack_id = ps.stack_id join profile_frames f on f.id = sf.frame_id
	where r.workload = '$1' and ps.state = '$2' and f.symbol is not null"; }
if [ $kernel = 1 ]; then
	faults=$(stack_frames faults on | tr '\n' ' ')
	like "$faults" "exc_page_fault" "sqrt_list's kernel stacks show page-fault handling"
	like "$faults" "handle_mm_fault" "through the memory manager"
	like "$faults" "clear_page" "and the zeroing of fresh pages"
	like "$(stack_frames pingpong off | tr '\n' ' ')" "pipe_read" "pingpong blocks in a pipe read, off the CPU"
	blocked=$(q "select sum(ps.off_ns) / 1e6 from profile_samples ps join runs r on r.id = ps.run_id
		join profile_stack_frames sf on sf.stack_id = ps.stack_id join profile_frames f on f.id = sf.frame_id
		where r.workload = 'pingpong' and r.n_workers = 2 and ps.state = 'off' and f.symbol like '%pipe_read'")
	echo "# pingpong at 2: ${blocked} ms blocked in pipe reads"
	ok "awk 'BEGIN { exit !($blocked > 10) }'" "with its blocked time (${blocked} ms)"
	like "$(stack_frames py_threads off | tr '\n' ' ')" "futex_wait" "seed 003's Python threads wait off the CPU in a futex"
	futex=$(q "select round(100.0 * sum(case when exists (select 1 from profile_stack_frames sf join profile_frames f
		on f.id = sf.frame_id where sf.stack_id = ps.stack_id and f.symbol like 'futex_wait%') then ps.off_ns else 0 end)
		/ sum(ps.off_ns)) from profile_samples ps join runs r on r.id = ps.run_id
		where r.workload = 'py_threads' and r.n_workers = 2 and ps.state = 'off'")
	echo "# py_threads at 2: $futex% of the blocked time in a futex wait"
	ok "awk 'BEGIN { exit !($futex > 50) }'" "most of their blocked time ($futex%)"
	is "$(q "select count(*) from profile_frames where kind = 'kernel' and symbol is null")" 0 \
		"every kernel address resolved through /proc/kallsyms"
else
	skip "kernel stacks need root, CAP_PERFMON or perf_event_paranoid <= 1" 10
fi

# ---- the report and the verdict quote the profile ----
run_sp report --db "$DB"
is "$rc" 0 "report exits 0"
like "$out" "profile, 1 -> 2 workers: the functions whose cost per unit of work grew most" "report: the profile block"
# the reason is wrapped at 120 characters, its continuations indented:
# each joined into one line
why=$(awk '/^  why: / { p = 1; s = $0; next } p && /^      / { sub(/^ +/, " "); s = s $0; next }
	p { print s; p = 0 }' <<<"$out")
like "$why" "why: .*; profile: " \
	"the verdict's reason quotes the profile"
run_sp report --db "$DB" --format json
like "$out" '"profile": *"[a-z]' "json: the verdict's profile line"

# ---- flame graphs ----
hot1=$(q "select id from runs where workload = 'hot' and n_workers = 1 order by id limit 1")
pp1=$(q "select id from runs where workload = 'pingpong' and n_workers = 1 order by id limit 1")
pp2=$(q "select id from runs where workload = 'pingpong' and n_workers = 2 order by id limit 1")
run_sp flamegraph "$hot1" --db "$DB" -o hot.svg
is "$rc" 0 "flamegraph writes an SVG"
ok "python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' hot.svg" "well-formed XML"
like "$(cat hot.svg)" "sp_hot_main" "with the program's hot function"
run_sp flamegraph "$hot1" --db "$DB" --folded
like "$out" "main;sp_hot_main [0-9]+" "--folded: the folded stacks"
if [ $kernel = 1 ]; then
	run_sp flamegraph "$pp1" --db "$DB" --offcpu --folded
	like "$out" "pipe_read_\[k\]" "--offcpu --folded: the blocking stacks, kernel frames marked"
fi
run_sp flamegraph --diff "$pp1" "$pp2" --db "$DB" -o diff.svg
is "$rc" 0 "--diff draws the growth from 1 worker to 2"
like "$(head -c 4000 diff.svg)" "Differential" "titled as differential"
run_sp flamegraph 999999 --db "$DB"
is "$rc" 2 "a run without a profile: exit 2"
like "$err" "has no profile" "and says so"
run_sp flamegraph x1 --db "$DB"
is "$rc" 2 "a bad run id: exit 2"
run_sp flamegraph --diff "$pp1" --db "$DB"
is "$rc" 2 "--diff with one run: exit 2"
if have cmd chromium "headless Chromium, installed by scripts/deps.sh"; then
	mkdir -p "$TMP/cdp" && python3 "$SRC_DIR/tests/lib/cdp.py" check-flamegraph hot.svg --frame sp_hot_main --workdir "$TMP/cdp" --screenshot hot.png >cdp.json 2>cdp.err
	ok "[ -s cdp.json ]" "Chromium opens the real run's flame graph"
	show_on_failure cdp.err
	read -r drawn hover before after < <(python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
z = d.get("zoom", {}); h = d.get("hover", {}).get("text") or "-"
print(d.get("frames", 0), h.replace(" ", "_"), z.get("before", 0), z.get("after", 0))' cdp.json 2>/dev/null || echo "0 - 0 0")
	echo "# drawn $drawn, hover $hover, zoom $before -> $after"
	ok "[ '$drawn' -gt 3 ]" "frames are drawn ($drawn)"
	like "$hover" "sp_hot_main" "hovering the hot function shows it"
	ok "awk 'BEGIN { exit !($after > $before && $after > 1000) }'" "clicking it zooms it to the full width"
else
	skip "$why" 4
fi

# ---- JIT code through the runtime's perf map ----
if have cmd node "Node.js writes /tmp/perf-PID.map with --perf-basic-prof"; then
	cat >hot.js <<'JS'
function spJsHot(n) { let s = 0; for (let i = 0; i < n; i++) s = (s + i * 7) % 1000003; return s; }
let t = 0; for (let k = 0; k < 20; k++) t += spJsHot(5e6);
console.log(t);
JS
	printf 'name: jit\nworkers: [1]\nrepetitions: 1\nprofile: true\nworkloads:\n  - name: node\n    command: [node, --perf-basic-prof, %s]\n' \
		"$TMP/hot.js" >jit.yaml
	run_sp run --no-probe jit.yaml --db jit.db -q
	# the map outlives node, which never removes it
	at_exit "rm -f \$(grep -l spJsHot /tmp/perf-*.map 2>/dev/null)"
	jit=$(sqlite3 jit.db "select round(100.0 * sum(case when f.kind = 'jit' and f.symbol like '%spJsHot%' then ps.samples else 0 end)
		/ sum(ps.samples)) from profile_samples ps join profile_stacks s on s.id = ps.stack_id
		join profile_frames f on f.id = s.leaf where ps.state = 'on'")
	echo "# node: ${jit}% of the samples in the JIT-compiled spJsHot"
	ok "awk 'BEGIN { exit !(${jit:-0} > 50) }'" "JIT code resolves through /tmp/perf-PID.map (${jit}% in spJsHot)"
	is "$(sqlite3 jit.db "select module from profile_frames where symbol like '%spJsHot%' limit 1")" "[jit]" "as [jit]"
else
	skip "$why" 2
fi

# ---- the campaign key ----
for bad in "profile: maybe" "profile: {hz: 0}" "profile: {hz: 2m}" "profile: {freq: 99}" "profile: [1]"; do
	printf 'name: b\nworkers: [1]\n%s\nworkloads:\n  - name: s\n    builtin: sleep\n' "$bad" >b.yaml
	run_sp check b.yaml
	is "$rc" 2 "check refuses '$bad'"
	like "$err" "b.yaml:3:[0-9]+: profile" "at its position"
done
done_testing
