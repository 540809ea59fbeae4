#!/bin/bash
# t0965-ceiling: `scalprof probe` measures and stores this machine's
# bandwidth ceiling (copy and triad on 1..all cores) and its latency sweep
# and usable cache; `scalprof run` measures them once when the database has
# none (and the machine's cache none either: t1280), and not again.
. "$(dirname "$0")/lib/test-lib.sh"

ncores=$(physical_cores)
run_sp probe --db "$DB" --scale 0.2
is "$rc" 0 "probe exits 0"
like "$out" "memory bandwidth ceiling \(STREAM" "prints the ceiling"
like "$out" "usable last-level cache: [0-9.]+ MiB" "prints the usable cache"
is "$(q "select count(*) from machine_bandwidth where mb_per_s > 0")" $((2 * ncores)) "copy and triad for 1..$ncores workers"
ok "[ $(q "select count(*) from machine_latency where ns_per_access > 0") -ge 10 ]" "a latency sweep"
ok "[ $(q "select usable_llc_bytes > 0 from machines") = 1 ]" "a usable cache"
is "$(q "select count(*) from machine_latency l join machines m on m.id = l.machine_id
	where l.bytes <= m.usable_llc_bytes and l.ns_per_access > 2 * (select min(ns_per_access) from machine_latency) * 10")" 0 \
	"no size below the usable cache has DRAM-like latency"
is "$(q "select count(*) from runs")" 0 "the measuring runs are not stored as the user's runs"
is "$(q "select max(bytes) <= 64 * 1048576 and count(distinct array_bytes) = 1 and max(array_bytes) <= 64 * 1048576
	from machine_latency, machine_bandwidth")" 1 "SCALPROF_PROBE_MAX_MIB=64 bounds arrays and working sets"

# --max-mib: the option over the environment, and both checked
run_sp probe --db "$TMP/m.db" --scale 0.02 --max-mib 8 -q
is "$rc" 0 "probe --max-mib 8 exits 0"
is "$(sqlite3 "$TMP/m.db" "select max(array_bytes) from machine_bandwidth")" 8388608 "--max-mib 8: arrays of 8 MiB, stored"
is "$(sqlite3 "$TMP/m.db" "select max(bytes) from machine_latency")" 8388608 "--max-mib 8: the sweep stops at 8 MiB"
for bad in 0 12x -3 1048577 ""; do
	run_sp probe --db "$TMP/m.db" --max-mib "$bad"
	is "$rc" 2 "--max-mib '$bad' refused with status 2"
	is "$err" "scalprof: probe: --max-mib: expected a whole number of MiB from 1 to 1048576, got '$bad'" "--max-mib '$bad': message"
done
SCALPROF_PROBE_MAX_MIB=lots run_sp probe --db "$TMP/m.db"
is "$rc" 2 "a bad SCALPROF_PROBE_MAX_MIB is refused by probe"
is "$err" "scalprof: probe: SCALPROF_PROBE_MAX_MIB: expected a whole number of MiB from 1 to 1048576, got 'lots'" "and named"

# workers x working set against the usable cache
cat >w.yaml <<'YAML'
name: wset
workers: [1]
repetitions: 1
events: [sched]
workloads:
  - name: chase
    builtin: chase
    args: [size=3M, steps=1000]
  - name: sh
    command: ["true"]
YAML
run_sp run w.yaml --db "$DB" -q
is "$(q "select working_set_bytes from runs where workload = 'chase'")" 3145728 "a builtin's working set is stored"
is "$(q "select working_set_bytes is null from runs where workload = 'sh'")" 1 "a command's is unknown"
want=$(q "select printf('%.2f', 3145728.0 / usable_llc_bytes) from machines")
# the bandwidth source column is left out where it is none everywhere
like "$out" "^workload .* wset/LLC" "the table has the working-set column"
like "$out" "chase +copies +1 +1 .* $want( |\$)" "the table compares it with the usable cache ($want)"

cat >c.yaml <<'YAML'
name: t0965
workers: [1]
repetitions: 1
events: [sched]
workloads:
  - name: t
    command: ["true"]
YAML
SCALPROF_PROBE_MAX_MIB=many run_sp run c.yaml --db "$TMP/fresh.db"
is "$rc:$err" "2:scalprof: run: SCALPROF_PROBE_MAX_MIB: expected a whole number of MiB from 1 to 1048576, got 'many'" \
	"a bad SCALPROF_PROBE_MAX_MIB is refused by run before anything runs"
# a cache of its own: the probes above left theirs in the test's cache
SCALPROF_CACHE_DIR=$TMP/fresh-cache run_sp run c.yaml --db "$TMP/fresh.db"
is "$rc" 0 "run on a fresh database"
like "$out" "measuring this machine's memory-bandwidth ceiling and usable cache \(once per machine\)" "measures first"
is "$(sqlite3 "$TMP/fresh.db" "select count(*) > 0 from machine_bandwidth")" 1 "and stores it"
run_sp run c.yaml --db "$TMP/fresh.db"
ok "! printf '%s' \"\$out\" | grep -q measuring" "but only once"
is "$(sqlite3 "$TMP/fresh.db" "select count(*) from campaigns")" 2 "both campaigns stored"
done_testing
