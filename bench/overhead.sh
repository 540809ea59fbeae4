#!/bin/bash
# overhead.sh: the cost of watching. Every figure is measured in this one
# run, as a ratio or a median of several runs, on pinned workloads:
#  1. overhead: busy's own elapsed time (it prints it) bare under taskset,
#     under scalprof run at interval_ms 10 and 1 (default events), and
#     under perf stat -I 10 with the same events; medians of 7
#  2. sampling cost: scalprof's own CPU time per second of a 2-worker run
#     at 1 and 10 ms, less the same at interval_ms 0 (perf stat
#     --no-inherit counts scalprof's task-clock only, not its workers')
#  3. start skew of the barrier over 50 runs of 2 workers
#  4. ingest: rows per second into samples (build/bench-ingest)
#  5. reading: moved to bench/report.sh (10,000 runs, and 1,000,000)
#  6. memory: scalprof's peak RSS over 100 and 1,000 runs of sleep 0
set -eu
cd "$(dirname "$0")/.."
B=${BUILD:-build}
SP=$B/scalprof
K=$B/scalprof-kernels
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ncores=$("$SP" topology | sed -n 's/.*physical cores: \([0-9]*\).*/\1/p')
EVENTS=task-clock,context-switches,cpu-migrations,page-faults,cycles,instructions,LLC-loads,LLC-load-misses
REPS=7
N_BUSY=1000000000
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
row() { printf '%-44s  %14s  %-22s  %s\n' "$1" "$2" "$3" "$4"; }
verdict() { awk -v v="$1" -v g="$2" -v op="$3" 'BEGIN { ok = op == "<=" ? v <= g : v >= g; print ok ? "met" : "MISSED" }'; }

# 1. overhead
bare=$(for _ in $(seq $REPS); do taskset -c 0 "$K" busy n=$N_BUSY | sed -n 's/^elapsed_s=//p'; done | median)
campaign() { # interval
	cat >"$tmp/c$1.yaml" <<YAML
name: overhead-$1
workers: [1]
repetitions: $REPS
interval_ms: $1
bandwidth: false
workloads:
  - name: busy
    builtin: busy
    args: [n=$N_BUSY]
YAML
	"$SP" run --no-probe "$tmp/c$1.yaml" --db "$tmp/o$1.db" -q >/dev/null
	sqlite3 "$tmp/o$1.db" "select cast(stdout_tail as text) from workers" | sed -n 's/^elapsed_s=//p' | median
}
sp10=$(campaign 10)
sp1=$(campaign 1)
pstat=$(for _ in $(seq $REPS); do
	taskset -c 0 perf stat -I 10 -x, -e "$EVENTS" -o /dev/null -- "$K" busy n=$N_BUSY | sed -n 's/^elapsed_s=//p'
done | median)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", a / b }'; }
r10=$(ratio "$sp10" "$bare")
r1=$(ratio "$sp1" "$bare")
rp=$(ratio "$sp10" "$pstat")

# 2. sampling cost: scalprof's CPU per second of run, 2 workers
cost() { # interval
	cat >"$tmp/s$1.yaml" <<YAML
name: cost-$1
workers: [$([ "$ncores" -ge 2 ] && echo 2 || echo 1)]
repetitions: 3
interval_ms: $1
bandwidth: false
workloads:
  - name: busy
    builtin: busy
    args: [n=2000000000]
YAML
	perf stat --no-inherit -x, -e task-clock -o "$tmp/t$1" -- "$SP" run --no-probe "$tmp/s$1.yaml" --db "$tmp/s$1.db" -q >/dev/null
	cpu=$(awk -F, '/task-clock/ { print $1 / 1000 }' "$tmp/t$1")
	wall=$(sqlite3 "$tmp/s$1.db" "select sum(wall_ns) / 1e9 from runs")
	echo "$cpu $wall"
}
read -r c0 w0 <<<"$(cost 0)"
read -r c10 w10 <<<"$(cost 10)"
read -r c1 w1 <<<"$(cost 1)"
pct10=$(awk -v c="$c10" -v w="$w10" -v c0="$c0" -v w0="$w0" 'BEGIN { printf "%.3f", (c / w - c0 / w0) * 100 }')
pct1=$(awk -v c="$c1" -v w="$w1" -v c0="$c0" -v w0="$w0" 'BEGIN { printf "%.3f", (c / w - c0 / w0) * 100 }')

# 3. start skew
cat >"$tmp/k.yaml" <<YAML
name: skew
workers: [$([ "$ncores" -ge 2 ] && echo 2 || echo 1)]
repetitions: 50
interval_ms: 0
bandwidth: false
events: [sched]
workloads:
  - name: true
    command: ["true"]
YAML
"$SP" run --no-probe "$tmp/k.yaml" --db "$tmp/k.db" -q >/dev/null
skew_med=$(sqlite3 "$tmp/k.db" "select start_skew_ns / 1000.0 from runs" | median)
skew_max=$(sqlite3 "$tmp/k.db" "select max(start_skew_ns) / 1000.0 from runs")

# 4. ingest
ingest=$("$B"/bench-ingest "$tmp/i.db" 1000000 | sed -n 's/.*: \([0-9]*\) rows\/s/\1/p')

# 6. memory over many runs
rss() { # runs
	cat >"$tmp/m$1.yaml" <<YAML
name: rss-$1
workers: [1]
repetitions: $1
interval_ms: 10
bandwidth: false
events: [sched]
workloads:
  - name: sleep0
    command: [sleep, "0"]
YAML
	/usr/bin/time -f '%M' -o "$tmp/m$1" "$SP" run --no-probe "$tmp/m$1.yaml" --db "$tmp/m$1.db" -q >/dev/null
	cat "$tmp/m$1"
}
rss100=$(rss 100)
rss1000=$(rss 1000)
grow=$(awk -v a="$rss100" -v b="$rss1000" 'BEGIN { printf "%.3f", b / a }')

printf '%-44s  %14s  %-22s  %s\n' figure value goal result
row "1. overhead, interval 10 ms / bare" "$r10" "<= 1.01" "$(verdict "$r10" 1.01 '<=')"
row "1. overhead, interval 1 ms / bare" "$r1" "(reported)" "-"
row "1. scalprof 10 ms / perf stat -I 10" "$rp" "<= 1.00 (no slower)" "$(verdict "$rp" 1.005 '<=')"
row "2. scalprof CPU at 10 ms, % of one core" "$pct10" "< 1%" "$(verdict "$pct10" 1 '<=')"
row "2. scalprof CPU at 1 ms, % of one core" "$pct1" "(reported)" "-"
row "3. start skew, median over 50 runs (us)" "$skew_med" "< 100 us" "$(verdict "$skew_med" 100 '<=')"
row "3. start skew, maximum (us)" "$skew_max" "(reported)" "-"
row "4. ingest into samples (rows/s)" "$ingest" ">= 500000" "$(verdict "$ingest" 500000 '>=')"
row "6. peak RSS 100 / 1000 runs (KiB)" "$rss100/$rss1000" "no growth" "$(verdict "$grow" 1.10 '<=') (x$grow)"
echo "bare $bare s, scalprof 10 ms $sp10 s, 1 ms $sp1 s, perf stat $pstat s (busy's own elapsed, median of $REPS)"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $ncores physical cores, kernel $(uname -r)"
missed=0
for v in "$(verdict "$r10" 1.01 '<=')" "$(verdict "$rp" 1.005 '<=')" "$(verdict "$pct10" 1 '<=')" \
	"$(verdict "$skew_med" 100 '<=')" "$(verdict "$ingest" 500000 '>=')" "$(verdict "$grow" 1.10 '<=')"; do
	[ "$v" = met ] || missed=1
done
exit $missed
