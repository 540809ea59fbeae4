#!/bin/bash
# t1250-timeline-human: `scalprof timeline RUN_ID` (issue 16) prints one
# row per tick with each event summed over the workers in human units:
# CPUs busy (task-clock over the time since each worker's last reading),
# waiting CPUs (the run-queue wait) and rates per second; --raw the samples
# as stored; an event the run does not have is an error (exit 2) naming
# the closest it has.
. "$(dirname "$0")/lib/test-lib.sh"

cat >c.yaml <<'YAML'
name: t1250
workers: [1, 2]
repetitions: 1
interval_ms: 50
events: [sched]
workloads:
  - name: busy
    builtin: busy
    args: [n=300M]
YAML
run_sp run --no-probe c.yaml --db "$DB" -q
is "$rc" 0 "the campaign runs"
run_id=$(q "select id from runs where n_workers = 2")

run_sp timeline "$run_id" --db "$DB"
is "$rc" 0 "timeline exits 0"
printf '%s\n' "$out" >tl.txt
show_on_failure "$TMP/tl.txt"
like "$(sed -n 1p tl.txt)" "^ +t_s +CPUs busy +waiting CPUs +context-switches/s +cpu-migrations/s +page-faults/s$" \
	"the columns: time, CPUs busy, waiting CPUs, a rate per event"
rows=$(grep -cE '^ +[0-9]+\.[0-9]{3} ' tl.txt)
ticks=$(q "select count(distinct t_ns) from samples where run_id = $run_id and event = 'task-clock'")
is "$rows" "$ticks" "one row per tick: a row per time the workers' counters were read ($ticks)"
ok "[ $rows -ge 5 ]" "at least 5 ticks in a run of a few hundred ms at 50 ms ($rows)"
# a row of figures: its first field a time (mawk has no {3})
is "$(awk '$1 ~ /^[0-9]+\.[0-9]+$/ && ($2 < 0 || $2 > 2.5) { print }' tl.txt | wc -l)" 0 \
	"CPUs busy lies between 0 and N + 0.5 in every row"
# two busy loops always want a core: they run or wait for one, however
# loaded the host (a shared CI guest may run them at 0.4 CPUs)
ok "awk '\$1 ~ /^[0-9]+\\.[0-9]+\$/ && \$2 + \$3 >= 1.2 { n++ } END { exit !(n > 0) }' tl.txt" \
	"two busy workers: CPUs busy plus waiting CPUs reach 1.2 at some tick"
ok "awk '\$1 ~ /^[0-9]+\\.[0-9]+\$/ { n++; if (\$4 !~ /^[0-9.]+[kMG]?\\/s\$/) bad++ } END { exit !(n > 0 && bad == 0) }' tl.txt" \
	"the rates are per second, with k, M or G: like 1.2k/s"
ok "awk '\$1 ~ /^[0-9]+\\.[0-9]+\$/ { n++; if (\$1 + 0 < last) bad++; last = \$1 + 0 } END { exit !(n > 0 && bad == 0) }' tl.txt" \
	"the rows in time order"
is "$(awk 'length > 120' tl.txt | wc -l)" 0 "no line over 120 characters"

# the CSV of the same: CPU-seconds of each row add up to the run's task-clock
run_sp timeline "$run_id" --db "$DB" --format csv
like "$(sed -n 1p <<<"$out")" "^t_s,cpus_busy,waiting_cpus,context-switches_per_s,cpu-migrations_per_s,page-faults_per_s$" \
	"csv: the same columns"
is "$(($(wc -l <<<"$out") - 1))" "$rows" "csv: the same rows"

run_sp timeline "$run_id" --db "$DB" --event task-clock
like "$(sed -n 1p <<<"$out")" "^ +t_s +CPUs busy$" "--event task-clock: that column only"

run_sp timeline "$run_id" --db "$DB" --raw
is "$rc" 0 "--raw exits 0"
like "$(sed -n 1p <<<"$out")" "^ +t_ms +worker +event +delta +scaled +running$" "--raw: the rows as stored"
is "$(grep -cE '^ +[0-9.]+ +[0-9]+ +' <<<"$out")" "$(q "select count(*) from samples where run_id = $run_id")" \
	"--raw: one line per sample"

run_sp timeline "$run_id" --db "$DB" --event task-clok
is "$rc" 2 "an event the run does not have: exit 2"
is "$err" "scalprof: timeline: --event: run $run_id has no event 'task-clok' in its timeline: did you mean 'task-clock'? (it has: context-switches, cpu-migrations, page-faults, run-queue-wait, task-clock)" \
	"and suggests the closest it has"
run_sp timeline "$run_id" --db "$DB" --event bogus
is "$rc" 2 "--event bogus: exit 2"
is "$err" "scalprof: timeline: --event: run $run_id has no event 'bogus' in its timeline (it has: context-switches, cpu-migrations, page-faults, run-queue-wait, task-clock)" \
	"and lists the events it has, by name"
is "$out" "" "and prints nothing on stdout"
run_sp timeline "$run_id" --db "$DB" --event bogus --raw
is "$rc" 2 "--event bogus --raw: exit 2 too"
run_sp timeline 9999 --db "$DB"
is "$rc" 2 "a missing run: exit 2"
is "$err" "scalprof: timeline: no run 9999 in '$DB'" "and says which"

# a campaign without a timeline: no event to choose from
sed -i 's/^interval_ms: 50/interval_ms: 0/' c.yaml
run_sp run --no-probe c.yaml --db totals.db -q
run_sp timeline 1 --db totals.db
is "$rc" 0 "a run without samples: exit 0"
is "$out" "(no samples: the campaign's interval_ms was 0, or none of its events could be counted)" \
	"and says why there is nothing"
run_sp timeline 1 --db totals.db --event task-clock
is "$rc" 2 "--event on a run without samples: exit 2"
is "$err" "scalprof: timeline: --event: run 1 has no samples (its campaign's interval_ms was 0, or none of its events could be counted), so no event 'task-clock'" \
	"and says why"
done_testing
