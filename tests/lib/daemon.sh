# daemon.sh: sourced after test-lib.sh by the tests that start scalprofd
# (t1000, t1010, t1040). One way to configure, start, stop and query the
# daemon; the test's EXIT trap kills it, and prints its log if a test failed.
#
#   daemon_config GROUP [SOCKET] <<YAML   writes cfg.yaml: database $DB,
#                       socket SOCKET ($TMP/sock), GROUP, lock $TMP/lock, then
#                       the lines on stdin (</dev/null for none); sets SOCK
#                       and exports SCALPROF_SOCKET
#   start_daemon [--ready "COND"] [VAR=VALUE...] [-- SCALPROFD-ARGS...]
#                       starts scalprofd --config cfg.yaml in the background
#                       (environment VAR=VALUE, log appended to $DLOG), sets
#                       $dpid, and waits up to 20 s until its socket answers
#                       `scalprof status` and COND holds; returns 1 if it
#                       did not, or if the daemon exited
#   small_ceiling       measures the machine's ceiling into $DB at a small
#                       scale, so that no campaign stops to measure it (which
#                       takes minutes on a loaded machine)
#   stop_daemon [SIGNAL]  sends SIGNAL (TERM) and returns the daemon's exit status
#   submit FILE         scalprof submit FILE: $out, $err, $rc, and $id, the queue id
#   qstatus ID          the queue row's status
#   wait_queue ID "SQL" SECONDS   waits until SQL, over the queue row ID, is true
#   wait_qstatus ID STATUS SECONDS   waits until the row's status is STATUS
SCALPROFD=$(dirname "$SCALPROF")/scalprofd
DB=$TMP/sp.db
DLOG=$TMP/d.log
dpid=""

daemon_config() { # GROUP [SOCKET]
	SOCK=${2:-$TMP/sock}
	export SCALPROF_SOCKET=$SOCK
	{
		printf 'database: %s\nsocket: %s\ngroup: %s\nlock: %s\n' "$DB" "$SOCK" "$1" "$TMP/lock"
		cat
	} >"$TMP/cfg.yaml"
}

start_daemon() {
	local ready=true
	local -a env=()

	[ "${1:-}" = --ready ] && { ready=$2; shift 2; }
	while [ $# -gt 0 ] && [ "$1" != -- ]; do env+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	show_on_failure "$DLOG"
	env "${env[@]}" "$SCALPROFD" --config "$TMP/cfg.yaml" "$@" >>"$DLOG" 2>&1 &
	dpid=$!
	bg $dpid
	waitfor "! kill -0 $dpid 2>/dev/null || { [ -S '$SOCK' ] && '$SCALPROF' status >/dev/null 2>&1 && $ready; }" 20 &&
		kill -0 "$dpid" 2>/dev/null
}

small_ceiling() { "$SCALPROF" probe --db "$DB" --scale 0.02 -q; }

stop_daemon() { # [SIGNAL]
	kill -"${1:-TERM}" "$dpid"
	wait "$dpid" 2>/dev/null
}

submit() {
	run_sp submit "$@"
	id=$(sed -n 's/.* as \([0-9]*\) .*/\1/p' <<<"$out")
}
qstatus() { q "select status from queue where id = $1"; }
wait_queue() { waitfor "[ \"\$(q \"select ($2) from queue where id = $1\")\" = 1 ]" "$3"; }
wait_qstatus() { wait_queue "$1" "status = '$2'" "$3"; }
