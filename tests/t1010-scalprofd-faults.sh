#!/bin/bash
# t1010-scalprofd-faults: nothing is lost. kill -9 of scalprofd in the
# middle of a run, then a restart: no worker of the killed daemon is left,
# the database passes integrity_check, every finished run is intact, the
# run cut off is recorded as interrupted and run again, and the campaign
# completes with every run present once. SIGTERM: the campaign is marked
# interrupted and resumes at the next start. A sqlite3 CLI session holding
# a read transaction open during a campaign neither stops the daemon
# writing nor loses a row.
. "$(dirname "$0")/lib/test-lib.sh"
. "$TESTS_DIR/lib/daemon.sh"

require root
daemon_config root <<YAML
defaults:
  repetitions: 6
YAML
# kill -9 must come during a run, not while the campaign measures the ceiling
ok small_ceiling "set-up: the machine's ceiling is measured once, small"
# every planned (workload, N, repetition) with exactly one ok run
once_each() { q "select count(*) from (select workload, n_workers, repetition, count(*) c from runs
	where campaign_id = $1 and status = 'ok' group by 1, 2, 3) where c = 1"; }

cat >crash.yaml <<YAML
name: crash
workers: [1, 2]
repetitions: 4
events: [sched]
workloads:
  - name: nap
    builtin: sleep
    args: [seconds=0.7]
YAML
ok start_daemon "scalprofd starts and answers"
run_sp submit crash.yaml
is "$rc" 0 "a campaign of 8 runs is queued"
ok "wait_queue 1 'runs_done >= 3 and live_pgids is not null' 30" \
	"set-up: 3 runs are done and the next one is running"
done_before=$(q "select count(*) from runs where status = 'ok'")
cut=$(q "select current_seq || ' (' || current_workload || ', ' || current_n || ' workers, rep ' || current_rep || ')'
	from queue where id = 1")
echo "# kill -9 scalprofd (pid $dpid) during run $cut, with $done_before runs stored"
stop_daemon KILL
waitfor "! pgrep -f 'scalprof-kernels sleep seconds=0.7' >/dev/null" 5
ok "! pgrep -f 'scalprof-kernels sleep seconds=0.7' >/dev/null" "no worker of the killed daemon is left running"
is "$(sqlite3 "$TMP/sp.db" 'pragma integrity_check')" ok "the database passes integrity_check after kill -9"
is "$(q "select count(*) from runs where status = 'ok'")" "$done_before" "every finished run is intact"
ok start_daemon "scalprofd starts again"
wait_qstatus 1 done 60
is "$(qstatus 1)" done "after a restart the campaign completes"
echo "# restarted: $(grep -E 'cut off|resuming' "$DLOG" | sed 's/^scalprofd: //' | tr '\n' ' ')"
is "$(q "select count(*) from runs where campaign_id = 1 and status = 'interrupted'")" 1 \
	"the run that was cut off is recorded as interrupted"
like "$(q "select error from runs where status = 'interrupted'")" "scalprofd stopped during this run" "and says why"
is "$(once_each 1)" 8 "every planned run is present exactly once, ok"
is "$(q "select status from campaigns where id = 1")" done "the campaign is done"
is "$(q "select count(*) from verdicts where campaign_id = 1")" 1 "and judged"
echo "# runs: $(q "select group_concat(seq || ':' || status, ' ') from runs where campaign_id = 1")"

# --- SIGTERM: interrupted, then resumed at the next start
cat >term.yaml <<YAML
name: term
workers: [1]
events: [sched]
workloads:
  - name: nap
    builtin: sleep
    args: [seconds=0.6]
YAML
run_sp submit term.yaml
ok "wait_queue 2 'runs_done >= 2' 30" \
	"set-up: a second campaign has 2 runs done"
stop_daemon TERM
is "$?" 0 "SIGTERM mid-campaign: scalprofd exits 0"
is "$(qstatus 2)" interrupted "the campaign is marked interrupted in the queue"
is "$(q "select status from campaigns where name = 'term'")" interrupted "and in campaigns"
ok "! pgrep -f 'scalprof-kernels sleep seconds=0.6' >/dev/null" "its workers were stopped"
# a new default must not change the plan of a campaign submitted before
sed -i 's/repetitions: 6/repetitions: 2/' cfg.yaml
ok start_daemon "scalprofd starts again, with 2 repetitions by default"
wait_qstatus 2 done 60
is "$(qstatus 2)" done "it resumes at the next start and completes"
cid=$(q "select campaign_id from queue where id = 2")
is "$(once_each "$cid")" 6 "with every run present once, under the defaults it was submitted with"

# --- a reader holding a transaction open does not stop the writer
mkfifo sqlin
sqlite3 "$TMP/sp.db" <sqlin >reader.out 2>&1 &
rpid=$!
bg $rpid
exec 7>sqlin
echo "BEGIN; SELECT 'before', count(*) FROM runs;" >&7
ok "waitfor 'grep -q before reader.out' 10" "set-up: a sqlite3 session holds a read transaction"
run_sp submit crash.yaml
wait_qstatus 3 done 60
is "$(qstatus 3)" done "a campaign completes while a sqlite3 session holds a read transaction"
cid=$(q "select campaign_id from queue where id = 3")
is "$(once_each "$cid")" 8 "and no run is lost"
echo "SELECT 'inside', count(*) FROM runs; COMMIT; SELECT 'after', count(*) FROM runs;" >&7
exec 7>&-
wait $rpid
is "$(sed -n 's/^before|//p' reader.out)" "$(sed -n 's/^inside|//p' reader.out)" \
	"the reader kept its snapshot throughout"
is "$(sed -n 's/^after|//p' reader.out)" "$(q 'select count(*) from runs')" "and sees every run after it ends"
stop_daemon TERM
is "$(sqlite3 "$TMP/sp.db" 'pragma integrity_check')" ok "the database is intact at the end"

# --- socket activation: the listening socket handed over as systemd does
if have cmd systemd-socket-activate; then
	show_on_failure "$TMP/sa.log"
	systemd-socket-activate -l "$TMP/sa.sock" "$SCALPROFD" --config cfg.yaml >sa.log 2>&1 &
	bg $!
	ok "waitfor \"[ -S '$TMP/sa.sock' ]\" 10" "set-up: systemd-socket-activate listens"
	SCALPROF_SOCKET=$TMP/sa.sock "$SCALPROF" list >out 2>err
	is "$?" 0 "started by its first client on a socket passed as systemd passes it (LISTEN_FDS)"
	like "$(cat out)" "crash +root +done" "and serves the same queue"
	like "$(cat sa.log)" "listening on the socket systemd passed" "it says it took the passed socket"
else
	skip "$why" 4
fi
done_testing
