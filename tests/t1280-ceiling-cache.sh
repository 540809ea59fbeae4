#!/bin/bash
# t1280-ceiling-cache: the machine's ceiling and usable cache are kept per
# machine, not per database: `scalprof probe` keeps what it measured in the
# cache directory (SCALPROF_CACHE_DIR here, the test's own), and `scalprof
# run` into a new database copies it from there instead of measuring again,
# keeping its date; a key that differs (here SCALPROF_PROBE_MAX_MIB) or a
# cache that cannot be used means measuring again; `probe` always measures.
# (Staleness and damaged files: tests/unit/test-ceiling-cache.c.)
. "$(dirname "$0")/lib/test-lib.sh"

cache=$SCALPROF_CACHE_DIR
# small arrays: the test is of keeping, not of measuring
export SCALPROF_PROBE_MAX_MIB=8
cat >c.yaml <<'YAML'
name: t1280
workers: [1]
repetitions: 1
events: [sched]
workloads:
  - name: t
    command: ["true"]
YAML

run_sp probe --db "$TMP/a.db" --scale 0.02 -q
is "$rc" 0 "probe into a.db exits 0"
ok "[ -d '$cache' ]" "probe made the cache directory"
is "$(ls "$cache" | wc -l)" 1 "and kept one ceiling in it"
f=$(ls "$cache"/ceiling-* 2>/dev/null | head -1)
like "$(sed -n 2p "$f")" "^key machine-id=$(cat /etc/machine-id 2>/dev/null || echo unknown) cpu=.* cores=[0-9]+ memory=[0-9]+ kernel=$(uname -r) max_bytes=8388608\$" \
	"keyed by machine id, CPU, cores, memory, kernel and the size limit"

# a second, new database: copied, not measured
start=$(date +%s)
run_sp run c.yaml --db "$TMP/b.db"
secs=$(($(date +%s) - start))
is "$rc" 0 "run into a new database exits 0"
ok "! printf '%s' \"\$out\" | grep -q 'measuring this machine'" "it does not measure the ceiling again"
like "$out" "this machine's ceiling, measured [0-9-]+ [0-9:]+ UTC, reused from $f \(scalprof probe measures it again\)" \
	"it says where the ceiling came from"
ok "[ $secs -lt 10 ]" "in seconds, not a measurement's time ($secs s)"
bw="select n_workers, kernel, mb_per_s, array_bytes, substr(measured_at, 1, 19) from machine_bandwidth order by 1, 2"
lat="select bytes, ns_per_access from machine_latency order by 1"
is "$(sqlite3 "$TMP/b.db" "$bw")" "$(sqlite3 "$TMP/a.db" "$bw")" \
	"b.db's bandwidth rows are a.db's, with the date they were measured"
is "$(sqlite3 "$TMP/b.db" "$lat")" "$(sqlite3 "$TMP/a.db" "$lat")" "and its latency sweep"
is "$(sqlite3 "$TMP/b.db" "select usable_llc_bytes from machines")" "$(sqlite3 "$TMP/a.db" "select usable_llc_bytes from machines")" \
	"and its usable cache"
ok "[ $(sqlite3 "$TMP/b.db" "select count(*) from machine_bandwidth") -gt 0 ]" "(rows there to compare)"

# a changed key: measured again, and kept beside the first
SCALPROF_PROBE_MAX_MIB=4 run_sp run c.yaml --db "$TMP/c.db"
is "$rc" 0 "run with SCALPROF_PROBE_MAX_MIB=4 exits 0"
like "$out" "measuring this machine's memory-bandwidth ceiling" "another size limit: measured again"
is "$(sqlite3 "$TMP/c.db" "select max(array_bytes) from machine_bandwidth")" 4194304 "at that size"
is "$(ls "$cache" | wc -l)" 2 "and kept beside the first"
SCALPROF_PROBE_MAX_MIB=4 run_sp run c.yaml --db "$TMP/d.db"
ok "! printf '%s' \"\$out\" | grep -q 'measuring this machine'" "the next database with that limit reuses it"
is "$(sqlite3 "$TMP/d.db" "$bw")" "$(sqlite3 "$TMP/c.db" "$bw")" "the same rows"

# another cache directory is another cache
SCALPROF_CACHE_DIR=$TMP/other run_sp probe --db "$TMP/e.db" --scale 0.02 -q
is "$rc" 0 "probe with another SCALPROF_CACHE_DIR exits 0"
is "$(ls "$TMP/other" | wc -l)" 1 "it keeps its ceiling there"
is "$(ls "$cache" | wc -l)" 2 "and leaves the first cache alone"

# probe measures whatever the cache holds, and replaces it
before=$(sed -n 3p "$f")
sleep 1
run_sp probe --db "$TMP/b.db" --scale 0.02
is "$rc" 0 "probe again exits 0"
like "$out" "measuring this machine's memory-bandwidth ceiling" "probe measures though the cache has one"
ok "[ \"$(sed -n 3p "$f")\" != \"$before\" ]" "and replaces the kept one ($before, now $(sed -n 3p "$f"))"

# run --reprobe measures though the cache (and the database) has one;
# with --no-probe it is refused
SCALPROF_PROBE_MAX_MIB=4 run_sp run --reprobe c.yaml --db "$TMP/d.db"
is "$rc" 0 "run --reprobe exits 0"
like "$out" "measuring this machine's memory-bandwidth ceiling" "run --reprobe measures again"
run_sp run --reprobe --no-probe c.yaml --db "$TMP/d.db"
is "$rc" 2 "--reprobe with --no-probe: exit 2"
like "$err" "give one of them" "and says why"

# a damaged cache file is written whole again by the next measurement
printf 'scalprof ceiling cache 1\nkey %s\nbandwidth 1 nonsense\n' "$(sed -n 2p "$f" | cut -c5-)" >"$f"
run_sp probe --db "$TMP/g.db" --scale 0.02 -q
is "$rc" 0 "probe over a damaged file exits 0"
is "$(sed -n 4p "$f")" "array_bytes 8388608" "and writes it whole again"
ok "grep -q '^bandwidth 1 [0-9]' '$f'" "with its bandwidth"
done_testing
