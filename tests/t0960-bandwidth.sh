#!/bin/bash
# t0960-bandwidth: every run of a campaign gets bandwidth rows. On this
# host: from memory-controller counters where the kernel exposes them,
# else an estimate from LLC-load-misses, else a row saying why. With
# SCALPROF_SYSFS pointing at another machine's sysfs (fixtures), the
# discovered PMUs are tried for real: their types do not exist here, so
# every socket's row says why it could not be opened -- nothing invented.
# bandwidth: false turns the probe off.
. "$(dirname "$0")/lib/test-lib.sh"

cat >c.yaml <<'YAML'
name: t0960
workers: [1]
repetitions: 2
events: [sched, cache]
workloads:
  - name: stream
    builtin: stream
    args: [size=8M, ntimes=2]
YAML
run_sp run --no-probe c.yaml --db "$DB"
is "$rc" 0 "run exits 0"
is "$(q "select count(distinct run_id) from bandwidth")" 2 "every run has bandwidth rows"
if "$SCALPROF" events | grep -q '^memory-controller counters: none'; then
	if have pmu && [ "$(q "select count(*) from counters where event = 'LLC-load-misses' and status in ('ok','multiplexed')")" -gt 0 ]; then
		is "$(q "select distinct source || '|' || status from bandwidth")" "llc_estimate|estimate" "no memory-controller PMU: an estimate"
		ok "[ $(q "select min(read_bytes) from bandwidth") -gt 0 ]" "from LLC misses x 64 B"
	else
		is "$(q "select distinct source || '|' || status || '|' || (read_bytes is null) from bandwidth")" "none|unsupported|1" \
			"neither source here: unsupported, no bytes"
		like "$(q "select distinct reason from bandwidth")" "^no memory-controller PMU exposed \(virtual machine\?\); LLC-load-misses not counted \(" \
			"with the reason for both"
	fi
else
	is "$(q "select count(*) from bandwidth where socket is not null and status in ('ok','multiplexed','no_permission','unsupported','error')")" \
		"$(q "select count(*) from bandwidth")" "memory-controller counters: one row per socket with a status"
	if have root; then
		ok "[ $(q "select count(*) from bandwidth where status in ('ok','multiplexed') and read_bytes > 0") -gt 0 ]" \
			"as root they count"
	else
		skip "$why"
	fi
fi
# the table shows the bandwidth columns where there are figures (ceil%
# only with a measured ceiling); without, the report says why once, and
# --verbose shows every column
if [ "$(q "select count(*) from bandwidth where read_bytes is not null")" -gt 0 ]; then
	like "$out" "bw_GB/s +(ceil% +)?bw_source" "the table has bandwidth columns"
else
	like "$out" "^bandwidth \(none\): no memory-controller PMU exposed" "no figures: the report says why"
	run_sp report --db "$DB" --verbose
	like "$out" "bw_GB/s +ceil% +bw_source" "the table under --verbose has bandwidth columns"
fi

for m in intel-server amd-zen3 amd-zen4 intel-client; do
	db=$TMP/$m.db
	SCALPROF_SYSFS=$TESTS_DIR/fixtures/sysfs/$m "$SCALPROF" run --no-probe c.yaml --db "$db" -q >out 2>err
	is "$?" 0 "$m sysfs: run exits 0"
	fam=$(sqlite3 "$db" "select distinct source from bandwidth")
	case $m in
	intel-server) want=uncore_imc sockets=2 ;;
	intel-client) want=uncore_imc_free_running sockets=1 ;;
	amd-zen3) want=amd_df sockets=1 ;;
	amd-zen4) want=amd_umc sockets=1 ;;
	esac
	is "$fam" "$want" "$m sysfs: source $want"
	is "$(sqlite3 "$db" "select count(*) from bandwidth")" $((2 * sockets)) "$m sysfs: a row per socket per run"
	is "$(sqlite3 "$db" "select count(*) from bandwidth where status in ('ok','multiplexed') or read_bytes is not null")" 0 \
		"$m sysfs: PMUs this kernel does not have count nothing"
	is "$(sqlite3 "$db" "select count(*) from bandwidth where reason is null or reason = ''")" 0 "$m sysfs: and say why"
done
SCALPROF_SYSFS=$TESTS_DIR/fixtures/sysfs/intel-server run_sp events
like "$out" "memory-controller counters: uncore_imc \(uncore_imc_0,.*; 2 sockets, 24 events\)" "events lists what a host offers"

sed -i 's/^events:.*/events: [sched]\nbandwidth: false/' c.yaml
run_sp run --no-probe c.yaml --db "$TMP/off.db" -q
is "$(sqlite3 "$TMP/off.db" "select count(*) from bandwidth")" 0 "bandwidth: false stores none"
done_testing
