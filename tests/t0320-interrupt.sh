#!/bin/bash
# t0320-interrupt: SIGINT (Ctrl-C) and SIGTERM in the middle of a campaign:
# the running workers are killed, the runs already finished stay, the
# campaign is stored as 'interrupted', and scalprof exits 130.
. "$(dirname "$0")/lib/test-lib.sh"

marker="sleep 0.4$$"
cat >c.yaml <<YAML
name: t0320
workers: [1]
repetitions: 50
timeout_s: 60
events: [sched]
workloads:
  - name: nap
    command: [sh, -c, "$marker"]
YAML

for sig in INT TERM; do
	db=$TMP/$sig.db
	"$SCALPROF" run --no-probe c.yaml --db "$db" >"$TMP/out" 2>"$TMP/err" &
	pid=$!
	bg $pid
	# wait until at least two runs are stored, then interrupt
	ok "waitfor '[ \"\$(sqlite3 \"$db\" \"select count(*) >= 2 from runs\" 2>/dev/null)\" = 1 ]' 30" \
		"SIG$sig: set-up: two runs are stored"
	kill -$sig $pid
	wait $pid
	rc=$?
	is "$rc" 130 "SIG$sig: exit status 130"
	like "$(cat "$TMP/err")" "interrupted: [0-9]+ of 50 runs stored; the campaign is marked interrupted" "SIG$sig: says so"
	is "$(sqlite3 "$db" "select status from campaigns")" interrupted "SIG$sig: campaign stored as interrupted"
	ok "[ $(sqlite3 "$db" "select count(*) from runs where status = 'ok'") -ge 2 ]" "SIG$sig: finished runs stay"
	ok "[ $(sqlite3 "$db" "select count(*) from runs") -lt 50 ]" "SIG$sig: no run started after the signal"
	is "$(sqlite3 "$db" "select count(*) from runs where status not in ('ok', 'interrupted')")" 0 \
		"SIG$sig: the run in progress, if any, is marked interrupted"
	is "$(sqlite3 "$db" "pragma integrity_check")" ok "SIG$sig: database intact"
	sleep 0.1
	ok "! pgrep -f '$marker' >/dev/null" "SIG$sig: no worker outlives scalprof"
done
done_testing
