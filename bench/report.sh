#!/bin/bash
# report.sh: reading at the size a lab reaches. Databases are built here
# with the sqlite3 CLI in the shape scalprof stores them: every run with its
# workers (one per copy), four counters per worker, its sums and host
# noise, and its figures computed as the store computes them when it stores
# a run (INSERT INTO run_figures ... FROM run_figures_live). Timed, median
# of REPS:
#  1. scalprof report (text, then JSON) of one campaign of 10,000 runs
#  2. scalprof report of the latest campaign of a database holding
#     1,000,000 runs (100 campaigns of 10,000)
# Goals: each under 200 ms (issue 13). Prints one table; exit 1 when a goal
# is missed. KEEP=DIR keeps the two databases there (one.db, many.db).
set -eu
cd "$(dirname "$0")/.."
B=${BUILD:-build}
SP=$B/scalprof
REPS=${REPS:-5}
CAMPAIGNS=${CAMPAIGNS:-100}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# an empty database of the current schema, with one machine
cat >"$tmp/empty.yaml" <<'YAML'
name: empty
workers: [1]
repetitions: 1
bandwidth: false
events: [sched]
workloads:
  - name: t
    command: ["true"]
YAML

# campaign rows: CAMPAIGN_ID, 10,000 runs of 20 workloads at 1 and 2 workers
add_campaign() { # db id
	sqlite3 "$1" "
INSERT INTO campaigns (id, machine_id, name, yaml, sha256, status) VALUES ($2, 1, 'bench-$2', 'bench', 'none', 'done');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO runs (campaign_id, seq, workload, mode, n_workers, repetition, status, wall_ns, start_skew_ns,
  started_at, user_ns, kernel_ns, run_delay_ns, reserved_busy_ns, reserved_idle_ns, reserved_steal_ns,
  other_busy_ns, other_total_ns, psi_cpu_us)
SELECT $2, i, 'w' || (i % 20), 'copies', 1 + i % 2, 1 + i / 40, 'ok', 1000000000 + (i % 7) * 1000000, 1000,
  '2026-11-30T00:00:00Z', (1 + i % 2) * 900000000, (1 + i % 2) * 100000000, 1000000, (1 + i % 2) * 1000000000,
  0, 0, 0, 0, 0 FROM n;
INSERT INTO workers (run_id, slot, cpu, cpus, status, wall_ns, utime_ns, stime_ns, run_delay_ns, minflt, majflt,
  nvcsw, nivcsw)
SELECT r.id, s.value, s.value - 1, s.value - 1, 'ok', r.wall_ns, 900000000, 100000000, 500000, 100, 0, 10, 1
  FROM runs r, generate_series(1, 2) s WHERE r.campaign_id = $2 AND s.value <= r.n_workers;
INSERT INTO counters (run_id, worker_id, event, value, scaled_value, time_enabled_ns, time_running_ns, status)
SELECT w.run_id, w.id, e.column1, 1000, 1000.0, 1, 1, 'ok' FROM workers w JOIN runs r ON r.id = w.run_id,
  (VALUES ('task-clock'), ('page-faults'), ('context-switches'), ('cpu-migrations')) e WHERE r.campaign_id = $2;
INSERT INTO run_figures SELECT run_id, cpu_s, kernel_s, run_delay_s, involuntary_switches, cycles, instructions,
  llc_loads, llc_misses, context_switches, cpu_migrations, page_faults, gb_per_s, bandwidth_source, slowdown
  FROM run_figures_live WHERE campaign_id = $2;"
}

new_db() { # db
	"$SP" run --no-probe "$tmp/empty.yaml" --db "$1" -q >/dev/null
	sqlite3 "$1" "DELETE FROM run_figures; DELETE FROM counters; DELETE FROM workers; DELETE FROM runs;
		DELETE FROM conditions; DELETE FROM verdicts; DELETE FROM campaigns;"
}

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ms() { # command...: median wall time in ms over REPS
	for _ in $(seq "$REPS"); do
		/usr/bin/time -f '%e' -o "$tmp/t" "$@" >/dev/null
		awk '{ printf "%.0f\n", $1 * 1000 }' "$tmp/t"
	done | median
}
row() { printf '%-58s  %8s  %-10s  %s\n' "$1" "$2" "$3" "$4"; }
verdict() { awk -v v="$1" -v g="$2" 'BEGIN { print v <= g ? "met" : "MISSED" }'; }

new_db "$tmp/one.db"
add_campaign "$tmp/one.db" 1
one_text=$(ms "$SP" report --db "$tmp/one.db")
one_json=$(ms "$SP" report --db "$tmp/one.db" --format json)

new_db "$tmp/many.db"
for c in $(seq "$CAMPAIGNS"); do add_campaign "$tmp/many.db" "$c"; done
nruns=$(sqlite3 "$tmp/many.db" "select count(*) from runs")
many_text=$(ms "$SP" report --db "$tmp/many.db")
many_size=$(du -m "$tmp/many.db" | cut -f1)

if [ -n "${KEEP:-}" ]; then
	mkdir -p "$KEEP"
	cp "$tmp/one.db" "$tmp/many.db" "$KEEP"/
fi
row "bench/report.sh ($(date -u +%F), median of $REPS)" "ms" "goal" ""
row "1. scalprof report, one campaign of 10000 runs (text)" "$one_text" "< 200 ms" "$(verdict "$one_text" 200)"
row "1. scalprof report, one campaign of 10000 runs (json)" "$one_json" "< 200 ms" "$(verdict "$one_json" 200)"
row "2. scalprof report, latest of $nruns runs (${many_size} MB)" "$many_text" "< 200 ms" \
	"$(verdict "$many_text" 200)"
[ "$(verdict "$one_text" 200)$(verdict "$one_json" 200)$(verdict "$many_text" 200)" = metmetmet ]
