#!/bin/bash
# t0980-timeline: with interval_ms, every worker's counters are read at
# each tick and stored as deltas in samples; the last sample is the final
# reading, so each worker's samples of an event sum exactly to its counters
# row. interval_ms: 0 keeps totals only. `scalprof timeline` prints them.
. "$(dirname "$0")/lib/test-lib.sh"

cat >c.yaml <<'YAML'
name: t0980
workers: [1, 2]
repetitions: 2
interval_ms: 20
events: [sched, cache]
workloads:
  - name: busy
    builtin: busy
    args: [n=300M]
  - name: team
    mode: team
    command: [sh, -c, "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done & i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; wait"]
YAML
run_sp run --no-probe c.yaml --db "$DB" -q
is "$rc" 0 "run exits 0"
is "$(q "select interval_ms from conditions")" 20 "the interval is recorded"
ok "[ $(q "select count(distinct run_id) from samples") -eq 8 ]" "every run has a timeline"
ok "[ $(q "select min(n) from (select count(*) n from samples where event = 'task-clock' group by worker_id)") -ge 5 ]" \
	"at least 5 ticks per worker (runs of a few hundred ms at 20 ms)"
is "$(q "select count(*) from counters c where c.status = 'ok' and c.value <>
	(select sum(delta) from samples m where m.run_id = c.run_id and m.worker_id = c.worker_id and m.event = c.event)")" 0 \
	"each worker's samples sum exactly to its counters row"
is "$(q "select count(*) from counters where status = 'ok'")" \
	"$(q "select count(*) from (select distinct run_id, worker_id, event from samples where event <> 'run-queue-wait')")" \
	"every counted event has samples"
# the run-queue wait of all the run's tasks, polled at each tick: a series
# of the first worker, whose sum cannot exceed the run's total (which also
# counts the wait before the barrier)
is "$(q "select count(distinct run_id) from samples where event = 'run-queue-wait'")" 8 "every run has a run-queue wait series"
is "$(q "select count(*) from runs r where (select sum(delta) from samples m where m.run_id = r.id
	and m.event = 'run-queue-wait') > r.run_delay_ns")" 0 "its points sum to at most the run's run-queue wait"
# the last sample is the final reading, taken once the worker is reaped:
# after its end by the scheduler's delay, 50 ms and more on a loaded host
is "$(q "select count(*) from samples m join workers w on w.id = m.worker_id where m.t_ns <= 0 or m.t_ns > w.wall_ns + 500000000")" 0 \
	"samples lie within the worker's run (and the half second after it that reaping may take)"
is "$(q "select count(*) from samples where time_running_delta > time_enabled_delta")" 0 "running never exceeds enabled"
is "$(q "select count(*) from samples where event = 'cycles'")" \
	"$(have pmu && q "select count(*) from samples where event = 'task-clock'" || echo 0)" "hardware events sampled only where they count"
run_id=$(q "select id from runs where workload = 'busy' and n_workers = 2 limit 1")
run_sp timeline "$run_id" --db "$DB" --event task-clock --raw
is "$rc" 0 "timeline --raw exits 0"
like "$out" "^ +t_ms +worker +event +delta +scaled +running" "timeline --raw header"
like "$out" "20\.[0-9]+ +2 +task-clock " "worker 2's task-clock at the first tick"
is "$(printf '%s\n' "$out" | grep -c task-clock)" "$(q "select count(*) from samples where run_id = $run_id and event = 'task-clock'")" \
	"one line per sample"
run_sp timeline "$run_id" --db "$DB" --format csv --raw
like "$out" "^t_ms,worker,event,delta,scaled_delta,running_fraction" "csv --raw header"
run_sp timeline 9999 --db "$DB"
is "$rc" 2 "a missing run: exit 2"

sed -i 's/^interval_ms: 20/interval_ms: 0/' c.yaml
run_sp run --no-probe c.yaml --db "$TMP/totals.db" -q
is "$(sqlite3 "$TMP/totals.db" "select count(*) from samples")" 0 "interval_ms: 0 keeps totals only"
is "$(sqlite3 "$TMP/totals.db" "select count(*) > 0 from counters where status = 'ok'")" 1 "and the totals"
done_testing
