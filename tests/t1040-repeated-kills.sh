#!/bin/bash
# t1040-repeated-kills: kill -9 scalprofd at 20 random moments through one
# campaign, restarting it each time (the moments from a printed seed:
# SCALPROF_TEST_SEED=N replays them). At the end the campaign is complete,
# every planned run is present exactly once (ok), the runs cut off are
# recorded as interrupted, no worker outlived its daemon, and the database
# passes integrity_check.
. "$(dirname "$0")/lib/test-lib.sh"
. "$TESTS_DIR/lib/daemon.sh"

require root
use_seed
daemon_config root </dev/null
ok small_ceiling "set-up: the machine's ceiling is measured once, small, so that no restart measures it"
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
ok start_daemon "scalprofd starts and answers"
run_sp submit many.yaml
is "$rc" 0 "a campaign of 40 runs is queued"
kills=0
leftover=0
restarts=0
pauses=""
for k in $(seq 20); do
	[ "$(qstatus 1)" = done ] && break
	pause=0.$((RANDOM % 6 + 1))
	pauses="$pauses $pause"
	sleep "$pause"
	stop_daemon KILL
	kills=$((kills + 1))
	waitfor "! pgrep -f 'scalprof-kernels sleep seconds=0.25' >/dev/null" 5 || leftover=$((leftover + 1))
	start_daemon && restarts=$((restarts + 1))
done
echo "# killed after these pauses (s):$pauses"
wait_qstatus 1 done 120
echo "# $kills kills; runs interrupted: $(q "select count(*) from runs where status = 'interrupted'");" \
	"restarts logged: $(grep -c 'cut off' "$DLOG")"
is "$kills" 20 "scalprofd was killed 20 times during the campaign"
is "$restarts" "$kills" "it came back each time"
is "$leftover" 0 "no worker outlived a killed daemon"
is "$(qstatus 1)" done "the campaign completes"
is "$(q "select count(*) from (select workload, n_workers, repetition from runs where status = 'ok'
	group by 1, 2, 3 having count(*) = 1)")" 40 "every planned run is present exactly once"
is "$(q "select count(*) from runs where status = 'ok'")" 40 "and no run twice"
is "$(q "select count(*) from runs where status not in ('ok', 'interrupted')")" 0 "nothing failed"
is "$(q "select count(*) from runs r where status = 'interrupted' and exists (select 1 from workers w
	where w.run_id = r.id)")" 0 "an interrupted run has no half-stored workers"
stop_daemon TERM
is "$(sqlite3 "$DB" 'pragma integrity_check')" ok "the database passes integrity_check"
is "$(q "select status from campaigns")" done "the campaign is done"
done_testing
