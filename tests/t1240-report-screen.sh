#!/bin/bash
# t1240-report-screen: `scalprof report` in one screen (issue 16): a header
# naming the campaign, the machine, the date, the scale and the host's
# noise; a line per workload with its verdict; the table with only the
# columns that have data on this host, the events it could not count named
# once with their reason; no line over 120 characters; the hint of a
# virtual machine at most once; no hypothesis without a reason. Also
# --format markdown (a pipe table), --verbose (every figure) and --runs as
# text, CSV and JSON.
. "$(dirname "$0")/lib/test-lib.sh"
require cmd python3

cat >c.yaml <<'YAML'
name: t1240
workers: [1, 2]
repetitions: 3
scale: 0.2
workloads:
  - name: busy
    builtin: busy
    args: [n=100000000]
  - name: sleep
    builtin: sleep
    args: [seconds=0.25]
  - name: sqrt_list
    builtin: sqrt_list
    args: [n=1000000, reps=4]
YAML
run_sp run --no-probe c.yaml --db "$DB" -q
is "$rc" 0 "the campaign runs"

run_sp report --db "$DB"
is "$rc" 0 "report exits 0"
printf '%s\n' "$out" >report.txt
show_on_failure "$TMP/report.txt"
head -40 report.txt >screen.txt
host=$(q "select hostname from machines")
cores=$(q "select cores from machines")
like "$(sed -n 1p screen.txt)" "^campaign 1 \"t1240\": done, $(date -u +%Y-%m-%d) [0-9]{2}:[0-9]{2} UTC" \
	"line 1: the campaign's id, name, status and date"
like "$(cat screen.txt)" "^machine: $host, .*, $cores physical cores?" "the machine: hostname, CPU model, cores"
like "$(cat screen.txt)" "^scale 0\.2; host noise: (not recorded|others took [0-9]+% of the reserved cores)" \
	"the scale and the host's noise"
for w in busy sleep sqrt_list; do
	is "$(grep -cE "^  $w +(scales|inconclusive|serialized|kernel|oversubscribed|ipc-overhead|memory-bandwidth|shared-cache) +(high|medium|low) +efficiency [0-9.]+ at 2" screen.txt)" 1 \
		"one summary line for $w in the first screen: verdict, confidence, efficiency"
	like "$(cat screen.txt)" "^$w +copies +2 +3 +[0-9.]+ " "$w's table row at N=2 in the first screen"
done
is "$(awk 'length > 120' report.txt | wc -l)" 0 "no line of the report is over 120 characters"
ok "[ $(grep -o 'virtual machine?' report.txt | wc -l) -le 1 ]" "the hint of a virtual machine at most once"
is "$(grep -c '^  memory-bandwidth: ' report.txt)" 3 "the memory-bandwidth status once per workload"
header=$(grep -m1 '^workload ' report.txt)
if have pmu; then
	like "$header" " cycles " "a host with a PMU: cycles is a column"
	skip "the uncounted list is for a host without a PMU"
else
	ok "! grep -q ' cycles ' <<<'$header'" "no PMU: the cycles column is left out of the table"
	is "$(grep -c '^not counted here: cycles, instructions, LLC-loads, LLC-load-misses (no hardware PMU is exposed' report.txt)" 1 \
		"and the uncounted events are listed once, with the reason once"
fi
ok "! grep -Eq '(untestable|unclear): *$' report.txt" "no empty reason in the report"

run_sp report --db "$DB" --verbose
printf '%s\n' "$out" >verbose.txt
ok "[ $(wc -l <verbose.txt) -gt $(wc -l <report.txt) ]" "--verbose is longer ($(wc -l <verbose.txt) lines against $(wc -l <report.txt))"
like "$out" "^workload +mode +N +runs +wall_s +spread +speedup +effic +bw_GB/s +ceil% +bw_source +wset/LLC +task-clock" \
	"--verbose: every column"
like "$out" "^metrics: medians of the ok runs" "--verbose: the metrics"
for e in $(q "select distinct event from counters"); do
	ok "grep -m1 '^workload ' verbose.txt | grep -q -- ' $e'" "--verbose: the column of $e"
done
is "$(grep -cE '^  (memory-bandwidth|shared-cache|kernel|serialized|ipc-overhead|oversubscribed) +(supported|contradicted|mixed|unclear|untestable)' verbose.txt)" 18 \
	"--verbose: every hypothesis of every workload"
ok "! grep -Eq '(untestable|unclear): *$' verbose.txt" "--verbose: no empty reason"

run_sp report --db "$DB" --format json
printf '%s\n' "$out" >report.json
is "$(python3 - report.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
bad = []
for v in r["verdicts"]:
    if not v["reason"]:
        bad.append("%s: no verdict reason" % v["workload"])
    for h in v["hypotheses"]:
        if h["status"] in ("untestable", "unclear") and not h["reason"]:
            bad.append("%s %s %s: no reason" % (v["workload"], h["hypothesis"], h["status"]))
print("; ".join(bad) or "none")
PY
)" none "json: every untestable or unclear hypothesis has a reason"

run_sp report --db "$DB" --format markdown
is "$rc" 0 "--format markdown exits 0"
printf '%s\n' "$out" >report.md
like "$(sed -n 1p report.md)" "^# campaign 1 \"t1240\"" "markdown: a heading"
like "$out" "^\| workload \| mode \| N \| runs \| wall_s \|" "markdown: a pipe table's header"
like "$out" "^\|:---\|:---\|---:\|" "markdown: its alignment row"
is "$(grep -cE '^\| (busy|sleep|sqrt_list) \| copies \| [12] \| 3 \|' report.md)" 6 "markdown: a row per workload and N"
is "$(grep -cE '^- \*\*(busy|sleep|sqrt_list)\*\* \(copies\): \*\*[a-z-]+\*\*, (high|medium|low) confidence' report.md)" 3 \
	"markdown: a verdict line per workload"
ok "[ $(grep -o 'virtual machine?' report.md | wc -l) -le 1 ]" "markdown: the hint of a virtual machine at most once"

run_sp report --db "$DB" --format xml
is "$rc" 2 "--format xml: exit 2"
is "$err" "scalprof: report: --format: expected text, csv, json or markdown, got 'xml'" "and names the formats"

run_sp report --db "$DB" --runs
is "$rc" 0 "--runs exits 0"
is "$(grep -cE '^ *[0-9]+ +(busy|sleep|sqrt_list) ' <<<"$out")" 18 "--runs: a line per run"
run_sp report --db "$DB" --runs --format csv
is "$(sed -n 1p <<<"$out")" \
	"run_id,workload,n_workers,repetition,corunner,status,wall_s,gb_per_s,bandwidth_source,ceiling_fraction,slowdown,corunner_rate_alone,corunner_rate_beside,corunner_rate_unit" \
	"--runs --format csv: the header"
first=$(q "select id || ',' || workload || ',' || n_workers || ',' || repetition || ',,' || status from runs order by id limit 1")
like "$(sed -n 2p <<<"$out")" "^$first,[0-9.]+," "--runs --format csv: the first run as stored"
is "$(($(wc -l <<<"$out") - 1))" 18 "--runs --format csv: a row per run"
run_sp report --db "$DB" --runs --format json
is "$(python3 -c '
import json, sys
r = json.load(sys.stdin)
print(r["schema"], len(r["runs"]), sorted({x["workload"] for x in r["runs"]}), all(x["wall_s"] > 0 for x in r["runs"]))' <<<"$out")" \
	"scalprof-runs/1 18 ['busy', 'sleep', 'sqrt_list'] True" "--runs --format json: every run, with its wall time"
is "$(python3 -c 'import json, sys; print(" ".join(str(x["id"]) for x in json.load(sys.stdin)["runs"]))' <<<"$out")" \
	"$(q "select group_concat(id, ' ') from (select id from runs order by id)")" "--runs --format json: the runs' ids, in order"
run_sp report --db "$DB" --runs --format markdown
is "$rc" 2 "--runs --format markdown: exit 2"
is "$err" "scalprof: report: --runs: --format markdown is not offered (text, csv or json)" "and says what is"
done_testing
