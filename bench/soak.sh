#!/bin/bash
# soak.sh: 2,000 runs through scalprofd. Its resident memory and open
# descriptors, and those of the executor running the campaign, at run 100
# and at run 2,000 must be the same within a small bound (RSS: 2 MiB, the
# executor's SQLite page cache filling to its 1 MiB; descriptors, not
# counting the pipes, perf events and pidfds of the run in progress:
# equal): what a service that runs for months must show. Not part of make
# check.
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=$SRC/build
N=${SOAK_RUNS:-2000}
TOTAL=$((N + 200))  # the campaign goes on past the last sample
TMP=$(mktemp -d /tmp/scalprof-soak.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$TMP"' EXIT
export SCALPROF_LOCK=$TMP/lock SCALPROF_SOCKET=$TMP/sock
# a shortened probe must not become the machine's kept ceiling
export SCALPROF_CACHE_DIR=$TMP/cache
cat >"$TMP/cfg.yaml" <<YAML
database: $TMP/soak.db
socket: $TMP/sock
group: root
lock: $TMP/lock
YAML
"$B/scalprof" probe --db "$TMP/soak.db" --scale 0.02 --max-mib 64 -q
cat >"$TMP/soak.yaml" <<YAML
name: soak
workers: [1]
repetitions: $TOTAL
interval_ms: 0
events: [sched]
workloads:
  - {name: tick, builtin: sleep, args: [seconds=0.001]}
YAML
"$B/scalprofd" --config "$TMP/cfg.yaml" 2>"$TMP/d.log" &
dpid=$!
for i in $(seq 50); do "$B/scalprof" status >/dev/null 2>&1 && break; sleep 0.1; done
"$B/scalprof" submit "$TMP/soak.yaml" >/dev/null || exit 1
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
# descriptors, but not those of the run in progress (its pipes, perf events
# and pidfds come and go with it)
fds() { find "/proc/$1/fd" -mindepth 1 -printf '%l\n' 2>/dev/null |
	grep -cv -e '^pipe:' -e 'anon_inode:\[perf_event\]' -e 'anon_inode:\[pidfd\]'; }
done_runs() { sqlite3 "$TMP/soak.db" "select runs_done from queue where id = 1"; }
# sample when a target count is reached (the campaign has 200 runs more,
# so that its executor is still there at run N). A run's own pipes come and
# go: the fewest descriptors over 20 looks (about a run's length) is what
# stays between runs, and the RSS is read at that moment
sample() { # TARGET -> "daemon_rss daemon_fds exec_rss exec_fds"
	while [ "$(done_runs)" -lt "$1" ]; do sleep 0.05; done
	local ex best=""
	ex=$(pgrep -P $dpid | head -1)
	for i in $(seq 20); do
		local now
		now="$(rss $dpid) $(fds $dpid) $(rss "$ex") $(fds "$ex")"
		if [ -z "$best" ] || [ "$(echo "$now" | cut -d' ' -f4)" -lt "$(echo "$best" | cut -d' ' -f4)" ]; then
			best=$now
		fi
		sleep 0.002
	done
	echo "$best"
}
start=$(date +%s.%N)
read -r d1 f1 e1 g1 <<<"$(sample 100)"
read -r d2 f2 e2 g2 <<<"$(sample $N)"
end=$(date +%s.%N)
kill -TERM $dpid
wait $dpid
printf '%-34s %12s %12s %10s\n' "soak: $TOTAL runs through scalprofd" "at run 100" "at run $N" "bound"
printf '%-34s %9s KiB %9s KiB %10s\n' "scalprofd RSS" "$d1" "$d2" "+2048 KiB"
printf '%-34s %12s %12s %10s\n' "scalprofd open descriptors" "$f1" "$f2" "equal"
printf '%-34s %9s KiB %9s KiB %10s\n' "executor RSS" "$e1" "$e2" "+2048 KiB"
printf '%-34s %12s %12s %10s\n' "executor open descriptors" "$g1" "$g2" "equal"
awk -v s="$start" -v e="$end" -v n="$N" 'BEGIN { printf "%.1f runs/s\n", (n - 100) / (e - s) }'
ok=1
[ $((d2 - d1)) -le 2048 ] && [ $((e2 - e1)) -le 2048 ] && [ "$f1" = "$f2" ] && [ "$g1" = "$g2" ] || ok=0
[ $ok = 1 ] && echo "soak: within the bounds" || echo "soak: OUT OF BOUNDS"
[ $ok = 1 ]
