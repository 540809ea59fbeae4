#!/bin/bash
# t1220-compare: scalprof compare of real campaigns (builtin busy and sleep,
# workers [1, 2], 3 repetitions, a twentieth of their work) from one
# database and from two (DB:CAMPAIGN and --db2): the match by workload and
# N in text, markdown, CSV and JSON; the wall-time ratio and its error
# against the runs' wall times read with sqlite3; the workloads and worker
# counts only one campaign has; the machine facts that differ (a machines
# row changed with sqlite3, and ceilings inserted, to make them differ);
# and the campaigns that are not there (exit 2). Timing is never asserted:
# only that the figures agree with the stored runs.
. "$(dirname "$0")/lib/test-lib.sh"

require cores 2
require cmd sqlite3
require cmd python3
ncores=$(physical_cores)

campaign() { # NAME WORKLOADS_YAML WORKERS
	cat <<YAML
name: $1
workers: $3
repetitions: 3
scale: 0.05
workloads:
$2
YAML
}
both='  - name: busy
    builtin: busy
  - name: sleep
    builtin: sleep'
campaign before "$both" "[1, 2]" >before.yaml
campaign after "$both" "[1, 2]" >after.yaml
campaign other '  - name: busy
    builtin: busy
  - name: spin
    builtin: busy' "[1]" >other.yaml
for c in before:one after:one other:one after:two; do
	run_sp run --no-probe "${c%%:*}.yaml" --db "${c##*:}.db" -q
	is "$rc" 0 "set-up: campaign ${c%%:*} runs into ${c##*:}.db"
done
show_on_failure "$TMP/err"

# ---- one database, text
run_sp compare before after --db one.db
is "$rc" 0 "compare before after exits 0"
like "$(head -1 <<<"$out")" "^A: campaign 1 'before' in one.db \(20[0-9-]+T" "text: A's campaign, database and start"
like "$(sed -n 2p <<<"$out")" "^B: campaign 2 'after' in one.db" "text: B's"
ok "grep -qx 'busy (copies)' <<<\"\$out\" && grep -qx 'sleep (copies)' <<<\"\$out\"" "text: a heading per matched workload"
is "$(grep -cE '^ +[12]  [0-9.]+ ± [0-9.]+ +[0-9.]+ ± [0-9.]+ ' <<<"$out")" 4 \
	"text: a row per workload and N with both mean wall times and their errors"
is "$(grep -cE '^ +B is [0-9]+\.[0-9]{2} ± [0-9]+\.[0-9]{2} times (faster|slower) than A$' <<<"$out")" 4 \
	"text: each row says B is X ± E times faster or slower than A"
like "$out" "machine and conditions: the same \(host .*, $ncores cores, kernel " "text: the same machine is said so"

# ---- the ratio against the stored runs (JSON): mean wall time of the ok
# runs at N in each campaign, their standard errors, in quadrature
run_sp compare before after --db one.db --format json
is "$rc" 0 "json exits 0"
echo "$out" >cmp.json
check=$(for c in 1 2; do
	sqlite3 -batch -noheader one.db "select $c, workload, n_workers, wall_ns / 1e9 from runs
		where campaign_id = $c and status = 'ok' and corunner is null"
done | python3 -c '
import json, math, sys, collections
w = collections.defaultdict(list)
for line in sys.stdin:
    c, wl, n, s = line.strip().split("|")
    w[(int(c), wl, int(n))].append(float(s))
def m(v): return sum(v) / len(v)
def sem(v):
    mu = m(v); return math.sqrt(sum((x - mu) ** 2 for x in v) / (len(v) - 1) / len(v))
d = json.load(open("cmp.json"))
bad = []
for r in d["matched"]:
    a, b = w[(1, r["workload"], r["n_workers"])], w[(2, r["workload"], r["n_workers"])]
    ratio = m(a) / m(b)
    err = ratio * math.hypot(sem(a) / m(a), sem(b) / m(b))
    got = r["ratio"]
    if abs(got["a_over_b"] - ratio) > 1e-9 * ratio or abs(got["error"] - err) > 1e-9 * ratio:
        bad.append("%s N=%d: %r, want %g +- %g" % (r["workload"], r["n_workers"], got, ratio, err))
    f, e, word = (ratio, err, "faster") if ratio >= 1 else (1 / ratio, err / ratio ** 2, "slower")
    want = "B is %.2f ± %.2f times %s than A" % (f, e, word)
    if got["text"] != want:
        bad.append("text %r, want %r" % (got["text"], want))
    if abs(r["a"]["wall_s"]["mean"] - m(a)) > 1e-9 or r["a"]["runs"] != len(a):
        bad.append("A wall or runs of %s N=%d" % (r["workload"], r["n_workers"]))
print(len(d["matched"]), sorted((r["workload"], r["n_workers"]) for r in d["matched"]), d["unmatched"])
print("\n".join(bad))')
is "$(head -1 <<<"$check")" "4 [('busy', 1), ('busy', 2), ('sleep', 1), ('sleep', 2)] []" \
	"json: four matches by workload and N, none unmatched"
is "$(sed 1d <<<"$check")" "" "json: each ratio, its error and its words agree with the runs' wall times in sqlite3"
is "$(python3 -c '
import json
d = json.load(open("cmp.json"))
bad = []
for r in d["matched"]:
    for s in "ab":
        sp, ef = r[s]["speedup"], r[s]["efficiency"]
        if abs(sp["value"] - ef["value"] * r["n_workers"]) > 1e-9:
            bad.append("speedup is not N x efficiency")
        if r["n_workers"] > 1 and sp["lo"] is not None and not sp["lo"] <= sp["value"]:
            bad.append("speedup below its interval")
print(d["schema"], d["a"]["name"], d["b"]["name"], len(bad), [f["fact"] for f in d["machine"] if f["differs"]])')" \
	"scalprof-compare/1 before after 0 []" "json: speedup = N x efficiency within its interval; no machine fact differs"

# ---- markdown and CSV
run_sp compare before after --db one.db --format markdown
is "$rc" 0 "markdown exits 0"
like "$out" "^\*\*A\*\*: campaign 1 'before' in one.db" "markdown: A in bold"
is "$(grep -c '^| workload | N | A wall (s) | B wall (s) | A speedup | B speedup | A efficiency | B efficiency | B against A |$' <<<"$out")" 1 \
	"markdown: one table header"
is "$(grep -cE '^\| (busy|sleep) \| [12] \| .* \| B is [0-9.]+ ± [0-9.]+ times (faster|slower) than A \|$' <<<"$out")" 4 \
	"markdown: a row per match, ending with the ratio"
like "$out" "Machine and conditions: the same\." "markdown: the machines are the same"
run_sp compare before after --db one.db --format csv
is "$rc" 0 "csv exits 0"
is "$(python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
print(rows[0][:5], len(rows) - 1, sorted({len(r) for r in rows}), [(r[0], r[3]) for r in rows[1:]])' <<<"$out")" \
	"['workload', 'mode_a', 'mode_b', 'n_workers', 'a_runs'] 4 [24] [('busy', '1'), ('busy', '2'), ('sleep', '1'), ('sleep', '2')]" \
	"csv: a header and one row of 24 fields per match"

# ---- two databases: DB:CAMPAIGN and --db2 say the same
run_sp compare one.db:before two.db:after
is "$rc" 0 "DB:CAMPAIGN from two databases exits 0"
like "$(sed -n 2p <<<"$out")" "^B: campaign 1 'after' in two.db" "B is read from two.db"
opform=$out
run_sp compare before after --db one.db --db2 two.db
is "$out" "$opform" "--db2 gives what DB:CAMPAIGN gives"

# ---- machine facts that differ: B's machine changed by hand in two.db
sqlite3 two.db "update machines set cores = 64, usable_llc_bytes = 33554432;
	insert into machine_bandwidth (machine_id, n_workers, kernel, mb_per_s, array_bytes)
	values (1, 1, 'copy', 12000, 1), (1, 2, 'triad', 21000, 1), (1, 2, 'copy', 20000, 1)"
run_sp compare one.db:before two.db:after
is "$rc" 0 "compare across changed machines exits 0"
like "$out" "machine and conditions that differ:" "text: the differing facts are listed"
like "$out" "  cores +$ncores +64
  usable LLC +[^ ].* +32\.0 MiB
  ceiling at N=1 +not measured +12\.0 GB/s
  ceiling at N=2 +not measured +21\.0 GB/s" "text: cores, usable LLC and the ceilings at 1 and N (the better of copy and triad)"
ok "! grep -q '^  kernel ' <<<\"\$out\"" "text: a fact that does not differ is not listed"
run_sp compare one.db:before two.db:after --format json
is "$(python3 -c 'import json,sys; print([(f["fact"], f["b"]) for f in json.load(sys.stdin)["machine"] if f["differs"]])' <<<"$out")" \
	"[('cores', '64'), ('usable LLC', '32.0 MiB'), ('ceiling at N=1', '12.0 GB/s'), ('ceiling at N=2', '21.0 GB/s')]" \
	"json: the same four facts differ"
# the huge pages mode: a campaign records it (schema 12); changed in B's row
is "$(sqlite3 one.db "select thp is not null or not exists (select 1 from conditions) from conditions limit 1")" 1 \
	"the campaign's conditions record the transparent huge pages mode"
thp=$(sqlite3 two.db "select ifnull(thp, 'NULL') from conditions limit 1")
sqlite3 two.db "update conditions set thp = 'sp-test-never'"
run_sp compare one.db:before two.db:after
like "$out" "  THP +[a-z]+ +sp-test-never" "text: a different huge pages mode is listed"
sqlite3 two.db "update conditions set thp = $( [ "$thp" = NULL ] && echo NULL || echo "'$thp'")"
run_sp compare one.db:before two.db:after --format markdown
like "$out" "\| differs \| A \| B \|" "markdown: a table of what differs"
like "$out" "\| cores \| $ncores \| 64 \|" "markdown: the cores row"

# ---- unmatched workloads and worker counts
run_sp compare before other --db one.db
is "$rc" 0 "compare with unmatched workloads exits 0"
like "$out" "^unmatched: busy at N=2 only in A; sleep only in A; spin only in B$" \
	"text: the workload only in A, the one only in B, and the N only A has"
is "$(grep -c 'times \(faster\|slower\) than A' <<<"$out")" 1 "text: only busy at N=1 is compared"
run_sp compare before other --db one.db --format json
is "$(python3 -c 'import json,sys; print([(u["workload"], u["n_workers"], u["only_in"]) for u in json.load(sys.stdin)["unmatched"]])' <<<"$out")" \
	"[('busy', 2, 'A'), ('sleep', None, 'A'), ('spin', None, 'B')]" "json: the unmatched"

# ---- campaigns that are not there, and bad usage
run_sp compare before nosuch --db one.db
is "$rc" 2 "an unknown campaign exits 2"
is "$err" "scalprof: compare: no campaign 'nosuch' in 'one.db' (scalprof campaigns --db one.db lists them)" \
	"and says which, where, and how to list them"
run_sp compare 99 1 --db one.db
is "$rc" 2 "an unknown campaign id exits 2"
like "$err" "no campaign '99' in 'one.db'" "and names it"
run_sp compare one.db:before missing.db:after
is "$rc" 2 "a missing database in DB:CAMPAIGN exits 2"
is "$err" "scalprof: compare: no database at 'missing.db' (in 'missing.db:after': DB:CAMPAIGN)" "and says so"
run_sp compare before one.db: --db one.db
is "$rc" 2 "an empty campaign exits 2"
like "$err" "campaign B is empty" "and says which"
run_sp compare before --db one.db
is "$rc" 2 "one campaign is a usage error"
like "$err" "expected two campaigns, A and B, got 1" "and says what is expected"
run_sp compare before after --db one.db --format yaml
is "$rc" 2 "an unknown format exits 2"
like "$err" "expected text, csv, json or markdown, got 'yaml'" "and lists the formats"
run_sp compare before after --db nosuch.db
is "$rc" 2 "a missing --db exits 2"
like "$err" "no database at 'nosuch.db'" "and names it"
run_sp compare --help
is "$rc" 0 "--help exits 0"
like "$out" "usage: scalprof compare A B" "--help prints the usage"

# ---- the examples of scalprof(1)
for ex in "campaigns --db one.db" "compare before after --db one.db" "compare one.db:before two.db:after --format markdown"; do
	run_sp $ex
	is "$rc" 0 "scalprof(1) example runs: scalprof $ex"
done
done_testing
