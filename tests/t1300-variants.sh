#!/bin/bash
# t1300-variants: the campaign key variants: end to end.
#  - a bad variant is refused by check and by run with exit status 2 and
#    FILE:LINE:COL: field.path: what; run writes no database, and adds no
#    campaign and no run to one that exists (never half-applied);
#  - each change is seen from inside the workload: its env (over the
#    workload's own for the same name), THP_enabled (prctl), the CPUs it was
#    pinned to (as the workers table says), the interleave memory policy
#    (numa_maps) and SCALPROF_SCALE (scale: multiplies the campaign's); every
#    line the workload writes is tied to its run by the worker's pid;
#  - storage: runs.variant interleaved with the baseline, the variants table,
#    the baseline-only views, verdicts.intervention and variant_effects, and
#    report's text and JSON.
#  - a change that cannot be made fails the run rather than running without
#    it: memory: interleave on a (synthetic) machine whose only memory node
#    is one this host lacks, which set_mempolicy refuses.
# Not tested: a refused prctl(PR_SET_THP_DISABLE) (nothing short of seccomp
# makes it fail), nor that placement: spread differs from compact: on 2
# cores they are the same.
. "$(dirname "$0")/lib/test-lib.sh"

# ---- 1. refused: check and run, exit 2, the place and the message -------

# bad_campaign VARIANTS: a valid campaign of two workloads, then variants:
# with the given lines (line 10 is "variants:", its first entry line 11)
bad_campaign() {
	cat <<'YAML'
name: bad
workers: [1]
repetitions: 1
events: [sched]
workloads:
  - name: alpha
    command: ["true"]
  - name: beta
    command: ["true"]
variants:
YAML
	printf '%s\n' "$1"
}

# a database with one campaign, which no refused campaign may add to
printf 'name: kept\nworkers: [1]\nrepetitions: 1\nevents: [sched]\nworkloads:\n  - name: a\n    command: ["true"]\n' >kept.yaml
run_sp run --no-probe --quiet kept.yaml --db "$TMP/kept.db"
is "$rc" 0 "a first campaign stored, for the refused ones to leave alone"
kept_before=$(sqlite3 -batch -noheader "$TMP/kept.db" "select count(*) || '/' || (select count(*) from runs) from campaigns")

refuse() { # NAME VARIANTS MESSAGE (the part after "b.yaml:")
	bad_campaign "$2" >b.yaml
	SCALPROF_TOPOLOGY="synthetic:pack:1 core:2 pu:1" run_sp check b.yaml
	is "$rc" 2 "$1: check exits 2"
	is "$err" "scalprof: b.yaml:$3" "$1: check says where and what"
	SCALPROF_TOPOLOGY="synthetic:pack:1 core:2 pu:1" run_sp run --no-probe b.yaml --db "$TMP/bad.db"
	is "$rc$err" "2scalprof: b.yaml:$3" "$1: run exits 2 with the same message"
	ok "[ ! -e '$TMP/bad.db' ]" "$1: run writes no database"
	SCALPROF_TOPOLOGY="synthetic:pack:1 core:2 pu:1" run_sp run --no-probe b.yaml --db "$TMP/kept.db"
	is "$rc $(sqlite3 -batch -noheader "$TMP/kept.db" "select count(*) || '/' || (select count(*) from runs) from campaigns")" \
		"2 $kept_before" "$1: nor a campaign or a run in one that exists"
}
V='  - name: x'
refuse "unknown key, near one" "$V
    tph: never" "12:5: variants[0].tph: unknown key (did you mean 'thp'?)"
refuse "unknown key" "$V
    colour: red" "12:5: variants[0].colour: unknown key (expected one of name, env, thp, memory, placement, scale, workloads)"
refuse "thp value" "$V
    thp: off" "12:5: variants[0].thp: expected one of inherit, never, got 'off'"
refuse "memory value" "$V
    memory: interleaved" "12:5: variants[0].memory: expected one of inherit, local, interleave, got 'interleaved'"
refuse "placement value" "$V
    placement: scatter" "12:5: variants[0].placement: expected one of compact, spread, got 'scatter'"
refuse "env without =" "$V
    env: [A=1, MALLOC_TOP_PAD_]" "12:16: variants[0].env[1]: expected NAME=VALUE, got 'MALLOC_TOP_PAD_'"
refuse "env SCALPROF_SLOT" "$V
    env: [SCALPROF_SLOT=3]" "12:11: variants[0].env[0]: SCALPROF_SLOT is set by scalprof for each worker"
refuse "empty name" '  - name: ""
    thp: never' "11:5: variants[0].name: a variant's name is 1 to 40 characters"
refuse "name too long" "  - name: $(printf 'v%.0s' $(seq 41))
    thp: never" "11:5: variants[0].name: a variant's name is 1 to 40 characters"
refuse "no name" '  - thp: never' "11:5: variants[0].name: required key is missing"
refuse "duplicate name" "$V
    thp: never
$V
    memory: interleave" "13:5: variants[1].name: variant 'x' is already defined (variants[0])"
refuse "bad character in the name" "  - name: 'no thp'
    thp: never" "11:5: variants[0].name: 'no thp': a variant's name holds letters, digits, '.', '_' and '-' only"
refuse "named baseline" "  - name: baseline
    thp: never" "11:5: variants[0].name: 'baseline' is what the runs without a variant are called"
refuse "workloads: no such, near one" "$V
    thp: never
    workloads: [alhpa]" "13:17: variants[0].workloads[0]: no workload named 'alhpa' (did you mean 'alpha'?)"
refuse "workloads: no such" "$V
    thp: never
    workloads: [beta, gamma]" \
	"13:23: variants[0].workloads[1]: no workload named 'gamma'; the campaign's are: alpha, beta"
refuse "workloads: one twice" "$V
    thp: never
    workloads: [alpha, alpha]" "13:24: variants[0].workloads[1]: 'alpha' is listed twice"
refuse "workloads: empty" "$V
    thp: never
    workloads: []" \
	"13:5: variants[0].workloads: an empty list: leave workloads out to apply the variant to every workload"
refuse "scale 0" "$V
    scale: 0" \
	"12:5: variants[0].scale: must be a number above 0, and the campaign's scale times it at most 1000, got 0"
refuse "scale past the maximum" "$V
    scale: 1001" \
	"12:5: variants[0].scale: must be a number above 0, and the campaign's scale times it at most 1000, got 1001"
refuse "scale 30%" "$V
    scale: '30%'" \
	"12:5: variants[0].scale: expected a number like 0.5, got '30%' (a percentage: write it as a fraction, 0.3 for 30%)"
nothing="variant 'x' changes nothing from the baseline: give it env, thp: never, memory, a placement other than the campaign's, or a scale"
refuse "a name alone" "$V" "11:5: variants[0]: $nothing"
refuse "the baseline's settings spelled out" "$V
    env: []
    thp: inherit
    memory: inherit
    placement: compact
    scale: 1" "11:5: variants[0]: $nothing"
refuse "17 variants" "$(for i in $(seq 17); do printf '  - name: v%d\n    scale: %d\n' "$i" "$((i + 1))"; done)" \
	"10:1: variants: at most 16 variants, got 17"
run_sp check /dev/stdin <<<"$(bad_campaign "$(for i in $(seq 16); do printf '  - name: v%d\n    scale: %d\n' "$i" "$((i + 1))"; done)")"
is "$rc" 0 "16 variants are taken"

# ---- 2. each change, seen from inside the workload ----------------------

require cores 2
ncores=$(physical_cores)
mkdir -m 1777 seen
# each worker appends one line: its pid (the workers table's, so the line
# is tied to its run), what it was told, and what the kernel says of it
cat >probe.sh <<'SH'
st=/proc/$$/status
thp=$(sed -n 's/^THP_enabled:[[:space:]]*//p' "$st")
cpus=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "$st")
il=$(grep -m1 -o 'interleave[:0-9,-]*' "/proc/$$/numa_maps" 2>/dev/null || echo none)
shared=$(env | grep -c '^SHARED=')
echo "$$ $VARIANT_TAG $SCALPROF_WORKERS $SCALPROF_SLOT $SCALPROF_SCALE ${thp:-?} $cpus $il" \
	"${MALLOC_MMAP_THRESHOLD_:-unset} $SHARED $shared $KEEP" >>"$SEEN"
SH
cat >v.yaml <<YAML
name: t1300
workers: [1, 2]
repetitions: 2
events: [sched]
scale: 1.5
workloads:
  - name: probe
    command: [sh, $TMP/probe.sh]
    env: [SEEN=$TMP/seen/lines, VARIANT_TAG=baseline, SHARED=workload, KEEP=workload]
  - name: other
    command: ["true"]
variants:
  - name: malloc-pinned
    env: [VARIANT_TAG=malloc-pinned, MALLOC_MMAP_THRESHOLD_=1073741824, MALLOC_TRIM_THRESHOLD_=1073741824,
          MALLOC_TOP_PAD_=268435456, SHARED=variant]
  - name: no-thp
    env: [VARIANT_TAG=no-thp]
    thp: never
  - name: spread
    env: [VARIANT_TAG=spread]
    placement: spread
  - name: interleave
    env: [VARIANT_TAG=interleave]
    memory: interleave
  - name: double
    env: [VARIANT_TAG=double]
    scale: 2
    workloads: [probe]
YAML
run_sp check v.yaml
like "$out" "= 8 runs \+ 36 variant runs \(5 variants\)," "check counts the variant runs: 5 for probe, 4 for other, at each run"
run_sp run --no-probe --quiet v.yaml --db "$DB"
show_on_failure "$TMP/err"
is "$rc" 0 "the campaign with variants runs"

# the lines into a table beside the database: pid tag n slot scale thp cpus
# il mmap shared nshared keep, CPU ranges (0-2) written out (0,1,2) as the
# workers table writes them
awk '{ n = split($7, r, ","); c = ""
	for (i = 1; i <= n; i++) { if (split(r[i], ab, "-") == 2) for (j = ab[1]; j <= ab[2]; j++) c = c (c == "" ? "" : ",") j
		else c = c (c == "" ? "" : ",") r[i] }
	$7 = c; print }' seen/lines >lines.txt
sqlite3 -batch lines.db <<SQL
CREATE TABLE lines (pid INTEGER, tag, n INTEGER, slot INTEGER, scale, thp, cpus, il, mmap, shared, nshared INTEGER, keep);
.separator " "
.import $TMP/lines.txt lines
SQL
lq() { sqlite3 -batch -noheader lines.db "ATTACH '$DB' AS s; CREATE TEMP VIEW seen AS SELECT l.*, r.variant,
	ifnull(r.variant, 'baseline') AS v, r.n_workers AS run_n, w.slot AS run_slot, w.cpus AS run_cpus
	FROM lines l JOIN s.workers w ON w.pid = l.pid JOIN s.runs r ON r.id = w.run_id
	WHERE r.workload = 'probe'; $1"; }
is "$(lq "select count(*), count(distinct pid) from lines")" "36|36" \
	"a line from every worker of probe: 2 repetitions x (1 + 2) workers x 6 (baseline and 5 variants)"
is "$(lq "select count(*) from seen")" 36 "each tied to its run by the worker's pid"
is "$(lq "select group_concat(v || ':' || c, ' ') from (select v, count(*) c from seen group by v order by v)")" \
	"baseline:6 double:6 interleave:6 malloc-pinned:6 no-thp:6 spread:6" "6 workers under each variant and the baseline"
is "$(lq "select count(*) from seen where tag <> v or n <> run_n or slot <> run_slot")" 0 \
	"each worker ran under the variant its run is stored with, with its n and slot"
is "$(lq "select group_concat(distinct shared || '/' || nshared || '/' || keep) from seen where v = 'malloc-pinned'")" \
	"variant/1/workload" "env: the variant's wins over the workload's, once in the environment; the workload's other env kept"
is "$(lq "select group_concat(distinct shared || '/' || nshared || '/' || keep) from seen where v <> 'malloc-pinned'")" \
	"workload/1/workload" "env: the workload's own elsewhere"
is "$(lq "select group_concat(distinct v || ' ' || mmap) from seen where mmap <> 'unset'")" "malloc-pinned 1073741824" \
	"MALLOC_MMAP_THRESHOLD_ set under malloc-pinned only"
is "$(lq "select group_concat(distinct v || ' ' || scale) from seen where v = 'double'"
	)/$(lq "select group_concat(distinct scale) from seen where v <> 'double'")" "double 3/1.5" \
	"SCALPROF_SCALE: the campaign's 1.5, times 2 under scale: 2"
is "$(lq "select count(*) from seen where cpus <> run_cpus")" 0 \
	"Cpus_allowed_list is the CPUs the workers table records, in every run (spread too)"
is "$(lq "select count(distinct run_cpus) from seen where n = 2")" 2 "2 workers: each on its own CPU"
if grep -q '^THP_enabled:' /proc/self/status; then
	is "$(lq "select count(*) from seen where thp = '0'")/$(lq "select count(*) from seen where thp <> '1'
		and v <> 'no-thp' or thp <> '0' and v = 'no-thp'")" 6/0 "THP_enabled 0 under thp: never, 1 in every other run"
else
	skip "no THP_enabled in /proc/PID/status (kernel before 5.0)"
fi
if [ -r /proc/self/numa_maps ]; then
	is "$(lq "select count(*) from seen where il <> 'none'")/$(lq "select count(*) from seen
		where (il <> 'none') <> (v = 'interleave')")" 6/0 "an interleave policy in numa_maps under memory: interleave only"
	like "$(lq "select group_concat(distinct il) from seen where v = 'interleave'")" '^interleave[:=][0-9]' \
		"over the machine's memory nodes"
else
	skip "no /proc/PID/numa_maps (a kernel without NUMA)" 2
fi

# ---- 3. storage, views, verdicts and the report -------------------------

expect=""
for rep in 1 2; do
	for n in 1 2; do expect="$expect probe:$n:-,malloc-pinned,no-thp,spread,interleave,double"; done
	for n in 1 2; do expect="$expect other:$n:-,malloc-pinned,no-thp,spread,interleave"; done
done
got=""
for rep in 1 2; do
	for w in probe other; do
		for n in 1 2; do
			got="$got $w:$n:$(q "select group_concat(ifnull(variant, '-')) from (select variant from runs
				where workload = '$w' and n_workers = $n and repetition = $rep order by seq)")"
		done
	done
done
is "$got" "$expect" "each run followed by the same run under each variant that applies (double: probe only)"
is "$(q "select count(*) from runs where status = 'ok'")/$(q "select max(seq) - min(seq) + 1 from runs")" "44/44" \
	"44 runs, ok, numbered in order"
is "$(q "select count(*) from runs where variant is null")" 8 "8 baseline runs (variant NULL)"
is "$(q "select group_concat(name || '|' || changes || '|' || ifnull(thp, '') || '|' || ifnull(memory, '') || '|'
	|| ifnull(placement, '-') || '|' || scale || '|' || ifnull(workloads, '-') || '|' || chosen_by || '|'
	|| ifnull(tests, '-'), char(10)) from (select * from variants order by name)")" \
	"double|env VARIANT_TAG=double; scale x2|inherit|inherit|-|2.0|probe|campaign|-
interleave|env VARIANT_TAG=interleave; memory interleave|inherit|interleave|-|1.0|-|campaign|-
malloc-pinned|env VARIANT_TAG=malloc-pinned MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_TOP_PAD_=268435456 SHARED=variant|inherit|inherit|-|1.0|-|campaign|-
no-thp|env VARIANT_TAG=no-thp; thp never|never|inherit|-|1.0|-|campaign|-
spread|env VARIANT_TAG=spread; placement spread|inherit|inherit|spread|1.0|-|campaign|-" \
	"the variants table: what each changes, in words and by column"
is "$(q "select env from variants where name = 'malloc-pinned'" | wc -l)" 5 "variants.env: one NAME=VALUE a line"
is "$(q "select count(*) || ' ' || sum(runs) from run_medians")" "4 8" "run_medians: the baseline's 8 runs only"
is "$(q "select count(*) || ' ' || sum(runs) from scaling")" "4 8" "scaling: the baseline's only"
is "$(q "select count(*) from run_metrics where variant is not null")/$(q "select count(*) from run_stack where variant is not null")" \
	"36/36" "run_metrics and run_stack carry every variant run, with its variant"
is "$(q "select group_concat(workload || ' ' || ifnull(intervention, 'NULL'), ', ') from (select * from verdicts order by workload)")" \
	"$(q "select group_concat(workload || ' ' || ifnull(intervention, 'NULL'), ', ') from (select * from verdicts order by workload)" |
		grep -E '^other (confirmed|not-confirmed|untested), probe (confirmed|not-confirmed|untested)$')" \
	"verdicts.intervention written for both workloads"
is "$(q "select count(*) from verdicts where (intervention = 'untested') <> (intervention_text is null)")" 0 \
	"intervention_text: the conclusion in words, unless untested"
for w in probe other; do
	is "$(q "select group_concat(variant || ':' || c, ' ') from (select e.variant, count(*) c from variant_effects e
		join verdicts v on v.id = e.verdict_id where v.workload = '$w' and e.n_workers = 2
		and e.component in ('efficiency', 'lost', 'extra-user', 'extra-kernel', 'waiting', 'idle', 'remainder')
		and e.runs = 2 group by e.variant order by e.variant)")" \
		"$([ $w = probe ] && echo 'double:7 ')interleave:7 malloc-pinned:7 no-thp:7 spread:7" \
		"variant_effects for $w: efficiency, lost and each stack component, per variant at n=2 from 2 runs"
done
is "$(q "select count(*) from variant_effects where n_workers <> 2")" 0 "and at no other n (1 is the reference)"
is "$(q "select count(*) || ' ' || sum(abs(e.baseline - s.core_s_per_unit) > 1e-9) from variant_effects e
	join verdicts v on v.id = e.verdict_id join speedup_stack s on s.verdict_id = v.id
	and s.n_workers = e.n_workers and s.component = e.component")" "54 0" \
	"each effect's baseline is the verdict's own stack (9 variants x 6 components)"

run_sp report --db "$DB"
is "$rc" 0 "report exits 0"
is "$(printf '%s\n' "$out" | grep -c 'variants against the baseline')" 2 "report: variants against the baseline, each workload"
for v in malloc-pinned no-thp spread interleave double; do
	like "$out" "^ +$v at 2: efficiency [0-9.]+ \[" "report: $v against the baseline at 2"
done
run_sp report --db "$DB" --format json
is "$rc" 0 "report --format json exits 0"
is "$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
vs = d["verdicts"] if isinstance(d, dict) and "verdicts" in d else d
for v in sorted(vs, key=lambda v: v["workload"]):
    print(v["workload"], v["intervention"] in ("confirmed", "not-confirmed", "untested"),
          ",".join(sorted({e["variant"] for e in v["variants"]})))
' 2>&1)" "other True interleave,malloc-pinned,no-thp,spread
probe True double,interleave,malloc-pinned,no-thp,spread" "report JSON: intervention and variants per workload"

# ---- 4. a change that cannot be made fails the run ----------------------

if [ -e /sys/devices/system/node/node3 ]; then
	skip "this host has a memory node 3, which the synthetic machine's only one must not be" 4
else
	printf 'name: f\nworkers: [1]\nrepetitions: 1\nevents: [sched]\nworkloads:\n  - name: a\n    command: ["true"]\n%s\n' \
		'variants: [{name: il, memory: interleave}]' >f.yaml
	SCALPROF_TOPOLOGY="synthetic:pack:1 numa:1(indexes=3) core:2 pu:1" run_sp run --no-probe --quiet f.yaml --db "$TMP/f.db"
	is "$rc" 1 "interleave over a memory node the host lacks: the campaign fails"
	is "$(sqlite3 -batch -noheader "$TMP/f.db" "select ifnull(variant, '-') || ' ' || status || ' ' || ifnull(error, '-')
		from runs order by seq")" "- ok -
il failed worker 1: variant: cannot set the memory policy (set_mempolicy) for 'true': Invalid argument" \
		"the baseline ran; the variant's run failed, saying which change could not be made"
	is "$(sqlite3 -batch -noheader "$TMP/f.db" "select w.status from workers w join runs r on r.id = w.run_id
		where r.variant = 'il'")" exec_failed "its worker never ran the workload"
	like "$err" "run 2/2 \(a, 1 worker, rep 1\) failed: worker 1: variant: cannot set the memory policy" \
		"and the summary says so"
fi
done_testing
