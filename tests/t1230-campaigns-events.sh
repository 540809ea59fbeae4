#!/bin/bash
# t1230-campaigns-events: scalprof campaigns (a database's campaigns in
# text, CSV and JSON, checked against the campaigns and runs tables read
# with sqlite3); scalprof events --all (what libpfm4 offers on this host's
# PMUs, with and without a PATTERN, substring and glob); and a failed
# report --plot: gnuplot's failure as one clear line with its first error
# line, through a fake gnuplot on PATH and through the real one drawing
# into a directory that does not exist.
. "$(dirname "$0")/lib/test-lib.sh"

require cmd sqlite3
require cmd python3

cat >first.yaml <<'YAML'
name: first
workers: [1]
repetitions: 2
scale: 0.05
workloads:
  - name: busy
    builtin: busy
  - name: sleep
    builtin: sleep
YAML
sed -e 's/^name: first/name: second/' -e 's/^repetitions: 2/repetitions: 1/' first.yaml >second.yaml
for c in first second; do
	run_sp run --no-probe "$c.yaml" --db "$DB" -q
	is "$rc" 0 "set-up: campaign $c runs"
done
show_on_failure "$TMP/err"

# ---- campaigns
run_sp campaigns --db "$DB"
is "$rc" 0 "campaigns exits 0"
like "$(head -1 <<<"$out")" "^ +id +name +status +started +runs +workloads$" "text: a header"
like "$(sed -n 2p <<<"$out")" "^ +1 +first +done +20[0-9-]+T[0-9:.]+Z +4 +busy,sleep$" \
	"text: the first campaign: id, name, status, start, 4 runs, its workloads in order"
like "$(sed -n 3p <<<"$out")" "^ +2 +second +done +20[0-9-]+T[0-9:.]+Z +2 +busy,sleep$" "text: the second"
is "$(wc -l <<<"$out")" 3 "text: one line per campaign"
run_sp campaigns --db "$DB" --format csv
is "$(head -1 <<<"$out")" "id,name,status,started_at,runs,workloads" "csv: the header"
is "$(sed -n 2p <<<"$out")" "1,first,done,$(q "select started_at from campaigns where id = 1"),4,\"busy,sleep\"" \
	"csv: a row as stored, the workloads quoted"
run_sp campaigns --db "$DB" --format json
is "$rc" 0 "json exits 0"
is "$(python3 -c 'import json,sys; print(";".join("%d|%s|%s|%s|%d|%s" % (c["id"], c["name"], c["status"], c["started_at"], c["runs"], ",".join(c["workloads"])) for c in json.load(sys.stdin)))' <<<"$out")" \
	"$(q "select c.id, c.name, c.status, c.started_at, (select count(*) from runs r where r.campaign_id = c.id),
		(select group_concat(distinct workload) from runs r where r.campaign_id = c.id) from campaigns c order by id" | paste -sd';')" \
	"json: every campaign as the campaigns and runs tables have it"
run_sp campaigns --db nosuch.db
is "$rc" 2 "a missing database exits 2"
is "$err" "scalprof: campaigns: no database at 'nosuch.db' (run a campaign first, or give --db)" "and says so"
run_sp campaigns "$DB"
is "$rc" 2 "an operand exits 2"
like "$err" "campaigns: unexpected argument '.*test.db' \(the database is --db PATH\)" "and says how to name the database"
run_sp campaigns --db "$DB" --format markdown
is "$rc" 2 "an unknown format exits 2"
like "$err" "campaigns: --format: expected text, csv or json, got 'markdown'" "and lists the formats"
run_sp campaigns --help
like "$out" "^usage: scalprof campaigns" "--help prints the usage"
run_sp list --db "$DB"
is "$rc" 2 "list (the daemon's queue) still refuses --db: campaigns does not collide with it"

# ---- events --all
run_sp events --all
is "$rc" 0 "events --all exits 0"
like "$(head -1 <<<"$out")" "^PMUs present on this host \(libpfm4\): .*perf" "it names the PMUs present"
like "$out" "  perf::PERF_COUNT_SW_TASK_CLOCK " "the perf software PMU's task-clock is listed"
total=$(grep -c '^  [a-z_0-9]*::' <<<"$out")
like "$(tail -1 <<<"$out")" "^$total of $total events$" "the last line counts the events listed ($total)"
if have pmu; then
	ok "! grep -q 'no hardware PMU' <<<\"\$out\"" "with a hardware PMU, its events are listed without the software-only note"
else
	like "$out" "no hardware PMU: these are the perf software PMU's events" "without a hardware PMU it says the list is the software PMU's"
fi
run_sp events --all cache
is "$rc" 0 "events --all PATTERN exits 0"
lines=$(grep '^  [a-z_0-9]*::' <<<"$out")
n=$(grep -c . <<<"$lines")
ok "[ $n -gt 0 ] && [ $n -lt $total ]" "a substring selects some events ($n of $total)"
is "$(grep -vic 'cache' <<<"$lines")" 0 "every event listed matches 'cache', ignoring case"
like "$(tail -1 <<<"$out")" "^$n of $total events match 'cache'$" "and the last line says how many"
run_sp events --all '*task_clock'
is "$(grep '^  [a-z_0-9]*::' <<<"$out" | awk '{print $1}')" "perf::PERF_COUNT_SW_TASK_CLOCK" "a glob matches the whole name, ignoring case"
run_sp events --all 'l1-dcache-*-misses'
like "$out" "perf::L1-DCACHE-LOAD-MISSES" "a glob matches the event's name without its PMU"
run_sp events --all nosuch-event
is "$rc" 2 "a PATTERN that matches nothing exits 2"
is "$err" "scalprof: events: no event of this host's PMUs matches 'nosuch-event' ($total events; scalprof events --all lists them)" \
	"and says so, with how many there are"
is "$out" "" "and prints no list"
run_sp events --all a b
is "$rc" 2 "two PATTERNs exit 2"
like "$err" "--all takes at most one PATTERN, got 2" "and say so"
run_sp events --help
like "$out" "events --all \[PATTERN\]" "--help shows --all"

# ---- a failed plot: one line, gnuplot's first error kept
mkdir fake
cat >fake/gnuplot <<'SH'
#!/bin/sh
# a gnuplot that fails the way the real one does: echo, caret, error, more
cat >/dev/null
echo 'gnuplot> plot $nosuch' >&2
echo '              ^' >&2
echo '         "-" line 12: undefined variable: nosuch' >&2
echo 'more noise that must not be shown' >&2
exit 1
SH
chmod +x fake/gnuplot
PATH=$TMP/fake:$PATH run_sp report first --db "$DB" --plot x.svg
is "$rc" 1 "a failing gnuplot exits 1"
is "$err" "scalprof: report: --plot: gnuplot could not draw 'x.svg' (exit status 1): \"-\" line 12: undefined variable: nosuch" \
	"one line: which file, gnuplot's status and its first error line"
like "$out" "verdicts" "the report itself was printed before"
if have cmd gnuplot; then
	run_sp report first --db "$DB" --plot "$TMP/no/such/dir/x.svg"
	is "$rc" 1 "the real gnuplot, an unwritable path: exit 1"
	is "$(wc -l <<<"$err")" 1 "one line"
	like "$err" "^scalprof: report: --plot: gnuplot could not draw '.*/no/such/dir/x.svg' \(exit status [0-9]+\): .*cannot open file" \
		"with gnuplot's reason"
	ok "! grep -q '<svg' <<<\"\$out\"" "and gnuplot's image does not spill onto standard output"
else
	skip "$why" 4
fi

# ---- the examples of scalprof(1)
for ex in "campaigns --db $DB" "events --all cache"; do
	run_sp $ex
	is "$rc" 0 "scalprof(1) example runs: scalprof ${ex/$DB/DB}"
done
done_testing
