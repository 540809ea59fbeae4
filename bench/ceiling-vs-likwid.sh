#!/bin/bash
# ceiling-vs-likwid.sh: scalprof's measured memory-bandwidth ceiling against
# likwid-bench on the same kernels, thread counts and array sizes, both
# measured in this one run. Goal: scalprof reaches at least 95% of
# likwid-bench. scalprof copy ~ likwid "copy" (2 streams), scalprof triad
# ~ likwid "stream" (A = B*s + C, 3 streams); both count bytes as STREAM
# does and neither counts write-allocate traffic. Best of 3 for each.
set -eu
cd "$(dirname "$0")/.."
SP=${SCALPROF:-build/scalprof}
command -v likwid-bench >/dev/null || { echo "likwid-bench missing: run scripts/deps.sh bench" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$SP" probe --db "$tmp/b.db" --quiet
ncores=$(sqlite3 "$tmp/b.db" "select max(n_workers) from machine_bandwidth")
mib=$(( $(sqlite3 "$tmp/b.db" "select max(array_bytes) from machine_bandwidth") >> 20 ))
best_likwid() { # test threads total_mib
	local best=0 v
	for _ in 1 2 3; do
		v=$(likwid-bench -t "$1" -w "S0:$3MB:$2" 2>/dev/null | awk '/^MByte\/s:/ {print int($2)}')
		[ "${v:-0}" -gt "$best" ] && best=$v
	done
	echo "$best"
}
printf '%-7s  %-6s  %12s  %12s  %6s  %s\n' workers kernel scalprof_MB/s likwid_MB/s ratio goal
fail=0
for n in $(seq 1 "$ncores"); do
	for k in copy triad; do
		sp=$(sqlite3 "$tmp/b.db" "select cast(mb_per_s as int) from machine_bandwidth where n_workers = $n and kernel = '$k'")
		if [ $k = copy ]; then lk=$(best_likwid copy "$n" $((2 * mib * n))); else lk=$(best_likwid stream "$n" $((3 * mib * n))); fi
		ratio=$(awk -v a="$sp" -v b="$lk" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
		ok=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.95) ? "met (>= 0.95)" : "MISSED (< 0.95)" }')
		case $ok in MISSED*) fail=1 ;; esac
		printf '%-7s  %-6s  %12s  %12s  %6s  %s\n' "$n" "$k" "$sp" "$lk" "$ratio" "$ok"
	done
done
echo "arrays: $mib MiB each (4x L3); likwid-bench working sets sized to match; machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $ncores physical cores"
exit $fail
