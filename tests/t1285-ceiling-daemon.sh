#!/bin/bash
# t1285-ceiling-daemon: scalprofd shares the ceiling kept per machine. A
# probe by `scalprof probe` into one database fills the machine's cache;
# scalprofd's first campaign, into its own new database, takes the ceiling
# from that cache instead of measuring it (the same rows, measured at the
# same second: the cache keeps whole seconds).
. "$(dirname "$0")/lib/test-lib.sh"
. "$TESTS_DIR/lib/daemon.sh"

require root "scalprofd runs as root"
run_sp probe --db "$TMP/first.db" --scale 0.02 -q
is "$rc" 0 "probe fills the machine's cache"
ok "ls '$SCALPROF_CACHE_DIR'/ceiling-* >/dev/null" "a ceiling is kept in the cache"
daemon_config root </dev/null
start_daemon
ok "kill -0 $dpid" "scalprofd starts"
cat >c.yaml <<'YAML'
name: t1285
workers: [1]
repetitions: 1
events: [sched]
workloads:
  - {name: busy, builtin: busy, args: [n=1M]}
YAML
submit c.yaml
is "$rc" 0 "a campaign is submitted"
wait_qstatus "$id" done 120
is "$(qstatus "$id")" "done" "and done"
rows() { sqlite3 "$1" "select n_workers || ' ' || kernel || ' ' || mb_per_s || ' ' || substr(measured_at, 1, 19)
	from machine_bandwidth order by 1"; }
ok "[ -n \"\$(rows '$TMP/first.db')\" ]" "the probe's ceiling rows"
is "$(rows "$DB")" "$(rows "$TMP/first.db")" "scalprofd's database has the very same rows: taken from the cache, not measured"
stop_daemon
done_testing
