#!/bin/bash
# t1040-repeated-kills: kill -9 scalprofd at 20 random moments through one
# campaign, restarting it each time. At the end the campaign is complete,
# every planned run is present exactly once (ok), the runs cut off are
# recorded as interrupted, no worker outlived its daemon, and the database
# passes integrity_check.
. "$(dirname "$0")/lib/test-lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root"
SCALPROFD=$(dirname "$SCALPROF")/scalprofd
SOCK=$TMP/sock
DB=$TMP/sp.db
export SCALPROF_SOCKET=$SOCK
cat >cfg.yaml <<YAML
database: $DB
socket: $SOCK
group: root
lock: $TMP/lock
YAML
start_daemon() {
	"$SCALPROFD" --config cfg.yaml >>d.log 2>&1 &
	dpid=$!
	bg $dpid
	waitfor "'$SCALPROF' status >/dev/null 2>&1" 20
}
# the ceiling once, small, so that no restart measures it
"$SCALPROF" probe --db "$DB" --scale 0.02 -q
cat >many.yaml <<YAML
name: many
workers: [1, 2]
repetitions: 20
events: [sched]
workloads:
  - name: nap
    builtin: sleep
    args: [seconds=0.25]
YAML
start_daemon
run_sp submit many.yaml
is "$rc" 0 "a campaign of 40 runs is queued"
kills=0
leftover=0
for k in $(seq 20); do
	[ "$(q "select status from queue where id = 1")" = done ] && break
	sleep "0.$((RANDOM % 6 + 1))"
	kill -9 "$dpid"
	wait "$dpid" 2>/dev/null
	kills=$((kills + 1))
	waitfor "! pgrep -f 'scalprof-kernels sleep seconds=0.25' >/dev/null" 5 || leftover=$((leftover + 1))
	start_daemon
done
waitfor "[ \"\$(q 'select status from queue where id = 1')\" = done ]" 120
echo "# $kills kills; runs interrupted: $(q "select count(*) from runs where status = 'interrupted'");" \
	"restarts logged: $(grep -c 'cut off' d.log)"
is "$kills" 20 "scalprofd was killed 20 times during the campaign"
is "$leftover" 0 "no worker outlived a killed daemon"
is "$(q "select status from queue where id = 1")" done "the campaign completes"
is "$(q "select count(*) from (select workload, n_workers, repetition from runs where status = 'ok'
	group by 1, 2, 3 having count(*) = 1)")" 40 "every planned run is present exactly once"
is "$(q "select count(*) from runs where status = 'ok'")" 40 "and no run twice"
is "$(q "select count(*) from runs where status not in ('ok', 'interrupted')")" 0 "nothing failed"
is "$(q "select count(*) from runs r where status = 'interrupted' and exists (select 1 from workers w
	where w.run_id = r.id)")" 0 "an interrupted run has no half-stored workers"
kill -TERM "$dpid"
wait "$dpid"
is "$(sqlite3 "$DB" 'pragma integrity_check')" ok "the database passes integrity_check"
is "$(q "select status from campaigns")" done "the campaign is done"
done_testing
