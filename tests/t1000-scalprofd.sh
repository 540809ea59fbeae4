#!/bin/bash
# t1000-scalprofd: the daemon, started here on a temporary socket, config and
# database, with NOTIFY_SOCKET pointed at a listener of ours: READY and
# STATUS; submit, list, status, watch, cancel; a submitter who is not root
# (nobody, given the test group) gets workers that run as nobody with a
# clean environment; someone outside the group is refused; bad configs and
# malformed requests get clear errors and the daemon stays up; SIGHUP
# reloads; the experiment lock keeps `scalprof run` and the daemon apart.
# Crash, SIGTERM and reader behaviour are in t1010.
. "$(dirname "$0")/lib/test-lib.sh"
. "$TESTS_DIR/lib/daemon.sh"

require root "to start workers as another user"
require cmd setpriv "util-linux"
G=users                         # the group allowed to submit
require group $G
GID=$(getent group $G | cut -d: -f3)
chmod 711 "$TMP"
mkdir -m 755 pub
RUN=$TMP/run
mkdir -m 750 "$RUN"
chgrp $G "$RUN"
LOCK=$TMP/lock
daemon_config $G "$RUN/sock" <<YAML
client_timeout_s: 1
defaults:
  repetitions: 1
YAML
as_nobody() { setpriv --reuid=nobody --regid=nogroup --groups="$GID" "$@"; }
as_outsider() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
# naps FILE N: a campaign named for FILE of N half-second sleeps, readable by all
naps() {
	printf 'name: %s\nworkers: [1]\nrepetitions: %s\nevents: [sched]\nworkloads:\n  - name: nap\n' \
		"$(basename "$1" .yaml)" "$2" >"$1"
	printf '    builtin: sleep\n    args: [seconds=0.5]\n' >>"$1"
	chmod 644 "$1"
}

# --- configuration
printf 'database: relative.db\n' >bad1.yaml
run_sp_d() { "$SCALPROFD" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; out=$(cat "$TMP/out"); err=$(cat "$TMP/err"); }
run_sp_d --config bad1.yaml --check
is "$rc" 2 "a bad configuration exits 2"
is "$err" "scalprofd: bad1.yaml:1:1: database: must be an absolute path, got 'relative.db'" \
	"and says where and what"
printf 'socket: /tmp/x\nmax_runs: many\n' >bad2.yaml
run_sp_d --config bad2.yaml --check
is "$err" "scalprofd: bad2.yaml:2:1: max_runs: expected an integer, got 'many'" "a wrong type is positioned"
printf 'bogus: /tmp/x\n' >bad3.yaml
run_sp_d --config bad3.yaml
like "$err" "^scalprofd: bad3.yaml:1:1: bogus: unknown key \(expected one of database, socket, group" \
	"an unknown key lists the keys, and nothing starts"
printf 'group: no-such-group-here\n' >bad4.yaml
run_sp_d --config bad4.yaml --check
is "$err" "scalprofd: bad4.yaml:1:1: group: no group 'no-such-group-here' on this machine" "an unknown group"
run_sp_d --config cfg.yaml --check
is "$rc$out" "0cfg.yaml: valid" "--check accepts the test's configuration"
run_sp_d --config "$SRC_DIR/config/scalprofd.yaml" --check
ok "[ $rc = 0 ] || grep -q \"no group 'scalprof'\" '$TMP/err'" \
	"the documented default configuration is valid (but for its group, where it is not created)"

# --- start, notify
python3 "$SRC_DIR/tests/lib/notify-listen.py" "$TMP/notify" notify.out &
bg $!
ok "waitfor \"[ -S '$TMP/notify' ]\" 10" "set-up: a NOTIFY_SOCKET listener"
show_on_failure "$TMP/notify.out"
ok "start_daemon --ready 'grep -q READY=1 notify.out' SCALPROF_TEST_LEAK=1 NOTIFY_SOCKET=$TMP/notify -- --foreground" \
	"scalprofd starts and answers"
ok "[ -S '$SOCK' ]" "scalprofd listens on its socket"
is "$(stat -c '%a %G' "$SOCK")" "660 $G" "the socket is 0660 for the group"
ok "grep -qx READY=1 notify.out" "READY=1 sent to NOTIFY_SOCKET"
like "$(grep ^STATUS= notify.out | tail -1)" "^STATUS=idle" "and a STATUS line"
run_sp status
like "$out" "status +idle" "scalprof status shows the daemon's state"

# --- submit as root, watch to the end
cat >pub/quick.yaml <<YAML
name: quick
workers: [1, 2]
events: [sched]
workloads:
  - name: busy
    builtin: busy
    args: [n=50M]
YAML
chmod 644 pub/quick.yaml
run_sp submit pub/quick.yaml --watch
is "$rc" 0 "submit --watch exits 0 when the campaign completes"
like "$out" "queued campaign 'quick' as 1 \(2 runs\)" "submit says the queue id"
like "$out" "run 2/2: busy, 2 workers, rep 1: ok" "watch streams each run"
like "$out" "busy \(copies\): " "and ends with the result table and verdict"
like "$(grep STATUS= notify.out)" "STATUS=queue 1: run [12]/2: busy" "STATUS names the campaign and run in progress"
is "$(q "select status, submitted_by, submitted_uid from campaigns")" "done|root|0" "the campaign records its submitter"
run_sp list
like "$out" "1 +quick +root +done +2/2" "list shows it done"
run_sp status 1
like "$out" "status +done" "status ID shows one campaign"
run_sp watch 1
is "$rc" 0 "watching a finished campaign prints its table at once"
like "$out" "campaign done" "and its end"

# --- the same validation messages on both sides
printf 'name: bad\nworkers: [1]\nworkloads:\n  - name: x\n    builtin: nosuch\n' >pub/bad.yaml
run_sp submit pub/bad.yaml
is "$rc" 2 "an invalid campaign is refused by the client, exit 2"
client_msg=$(sed 's/^scalprof: //' <<<"$err")
raw=$(python3 -c '
import json, sys
print(json.dumps({"request": "submit", "yaml": open(sys.argv[1]).read(), "path": sys.argv[1]}))' "$TMP/pub/bad.yaml")
daemon_msg=$(python3 "$SRC_DIR/tests/lib/sp-request.py" "$SOCK" --raw "$raw"$'\n' |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["error"])')
is "$daemon_msg" "$client_msg" "and by the daemon with the same message"

# --- a submitter who is not root
cat >pub/who.yaml <<YAML
name: who
workers: [1]
events: [sched]
workloads:
  - name: env
    command: [env]
YAML
chmod 644 pub/who.yaml
as_nobody "$SCALPROF" submit "$TMP/pub/who.yaml" --watch >out 2>err
is "$?" 0 "nobody, in the group, can submit and watch"
is "$(q "select submitted_by from campaigns where name = 'who'")" nobody "the campaign records nobody"
is "$(q "select uid || ':' || gid from workers w join runs r on r.id = w.run_id join campaigns c on c.id = r.campaign_id
	where c.name = 'who'")" "65534:65534" "its worker ran as nobody's uid and gid"
envout=$(q "select cast(stdout_tail as text) from workers w join runs r on r.id = w.run_id join campaigns c
	on c.id = r.campaign_id where c.name = 'who'")
like "$envout" "USER=nobody" "with nobody's USER"
ok "! grep -q SCALPROF_TEST_LEAK <<<\"\$envout\"" "and a clean environment (nothing of the daemon's)"
like "$envout" "PATH=/usr/local/bin:/usr/bin:/bin" "but a standard PATH"
SHARED=$TMP/sp-shared.db
ok "! as_nobody sqlite3 '$DB' 'select 1' 2>/dev/null" "a group member cannot open the daemon's own database"
# the copy is published after each campaign: at most a moment after its end
who_in_copy() { as_nobody sqlite3 "$SHARED" "select count(*) from campaigns where name = 'who'" 2>/dev/null; }
ok "waitfor '[ \"\$(who_in_copy)\" = 1 ]' 10" \
	"the sqlite3 CLI reads the members' copy as a group member, while the daemon runs"
as_nobody "$SCALPROF" report who --db "$SHARED" >out 2>err
is "$?" 0 "and so does scalprof report"
like "$(cat out)" "env \(copies\): " "with the verdict"
as_outsider "$SCALPROF" list >out 2>err
is "$?" 1 "someone outside the group cannot reach the socket"
like "$(cat err)" "permission denied on .*: using scalprofd needs membership of its group" "and is told why"
chmod 755 "$RUN"
chmod 666 "$SOCK"
as_outsider "$SCALPROF" list >out 2>err
like "$(cat err)" "permission denied: nobody is not in the group '$G' that may use scalprofd" \
	"the daemon itself refuses them too (socket opened wide on purpose)"
chmod 660 "$SOCK"
chmod 750 "$RUN"

# --- cancel: only the submitter or root
naps pub/long.yaml 20
submit pub/long.yaml
lid=$id
ok "wait_qstatus '$lid' running 20" "set-up: a long campaign is running"
submit pub/quick.yaml
qid=$id
id=$lid
is "$(qstatus "$qid")" queued "a second campaign waits in the queue"
"$SCALPROF" watch "$qid" >watch.out 2>&1 &
wpid=$!
ok "waitfor \"grep -q 'queued, 0/2 runs' watch.out\" 10" "its watcher sees it queued"
run_sp cancel "$qid"
is "$rc" 0 "a queued campaign can be cancelled"
wait $wpid
is "$?" 1 "and its watcher ends (exit 1: not completed)"
like "$(cat watch.out)" "campaign cancelled: cancelled by root before it started" "saying so"
as_nobody "$SCALPROF" cancel "$id" >out 2>err
is "$?" 2 "nobody cannot cancel root's campaign"
like "$(cat err)" "permission denied: campaign $id was submitted by root" "and is told whose it is"
run_sp cancel "$id"
is "$rc" 0 "root cancels it"
wait_qstatus "$id" cancelled 20
is "$(q "select status || ': ' || error from queue where id = $id")" "cancelled: cancelled by root" "it ends cancelled"
ok "! pgrep -f 'scalprof-kernels sleep seconds=0.5' >/dev/null" "its workers are gone"
run_sp cancel "$id"
is "$rc" 2 "cancelling it again is refused"
like "$err" "campaign $id is already cancelled" "and says why"

# --- malformed requests: an error each, and the daemon stays up
req() { python3 "$SRC_DIR/tests/lib/sp-request.py" "$SOCK" "$@"; }
like "$(req --raw $'not json\n')" '"ok":false,"error":"malformed request: ' "garbage gets an error"
like "$(req --raw $'[1,2]\n')" 'expected a JSON object, got array' "an array gets an error"
like "$(req --raw $'{"request":"explode"}\n')" "unknown request 'explode'" "an unknown request gets an error"
like "$(req --raw $'{"request":"watch"}\n')" '"id\\" is missing' "a missing id gets an error"
like "$(req --raw $'{"request":"cancel","id":"7"}\n')" '"id\\" must be a positive integer' "a string id gets an error"
like "$(req --raw $'{"request":"status","id":999}\n')" 'no campaign 999 in the queue' "an unknown id gets an error"
like "$(req --raw $'{"request":[[[[[[[[1]]]]]]]]}\n')" 'malformed request' "deep nesting is refused"
like "$(req --raw '{"request":"list"}' --close)" 'the request ended without a newline' "a request cut short gets an error"
like "$(req --big 3000000)" 'request larger than 2097152 bytes' "an oversized request gets an error"
like "$(req --hold 3)" 'request not received within 1 s' "a silent client is timed out"
run_sp status
is "$rc" 0 "and the daemon still answers"

# --- the experiment lock between scalprof run and the daemon
naps pub/slow.yaml 6
submit pub/slow.yaml
ok "wait_qstatus '$id' running 20" "set-up: a slow campaign is running"
SCALPROF_LOCK=$LOCK "$SCALPROF" run --no-probe pub/quick.yaml --db fg.db -q >out 2>err
is "$?" 1 "scalprof run refuses while the daemon runs a campaign"
like "$(cat err)" "another experiment is running on this machine: scalprofd \(pid [0-9]+\): queue $id, campaign 'slow' of user root" \
	"and says who holds the lock"
ok "wait_qstatus '$id' done 30" "and the daemon completes its campaign"
flock "$LOCK" sleep 3 &
ok "waitfor \"! flock -n '$LOCK' true\" 5" "set-up: another process holds the experiment lock"
submit pub/quick.yaml
ok "waitfor \"grep -q 'STATUS=waiting for the experiment lock' notify.out\" 10" \
	"the daemon waits while another holds the lock"
wait_qstatus "$id" done 30
is "$(qstatus "$id")" done "and runs the campaign once it is free"

# --- SIGHUP: reload; a bad new config keeps the old one
cp cfg.yaml cfg.good
printf 'max_runs: nope\n' >>cfg.yaml
kill -HUP "$dpid"
waitfor "grep -q 'reload: ' '$DLOG'" 5
like "$(grep 'reload: ' "$DLOG")" "reload: $TMP/cfg.yaml:.*max_runs: expected an integer, got 'nope'; keeping the configuration in use" \
	"a bad config on SIGHUP is logged and the old one kept"
cp cfg.good cfg.yaml
printf 'max_runs: 1\n' >>cfg.yaml
kill -HUP "$dpid"
ok "waitfor \"grep -q 'reloaded $TMP/cfg.yaml' '$DLOG'\" 5" "SIGHUP reloads a good configuration"
grep -q RELOADING=1 notify.out
is "$?" 0 "SIGHUP notifies RELOADING=1"
run_sp submit pub/quick.yaml
is "$rc" 2 "after a reload with max_runs: 1, a 2-run campaign is refused"
like "$err" "plans 2 runs; this scalprofd accepts at most 1 \(max_runs in $TMP/cfg.yaml\)" "with the limit named"
cp cfg.good cfg.yaml

# --- SIGTERM: STOPPING and a clean exit
stop_daemon TERM
is "$?" 0 "SIGTERM: scalprofd exits 0"
ok "grep -qx STOPPING=1 notify.out" "STOPPING=1 sent"
ok "[ ! -e '$SOCK' ]" "and its socket removed"
like "$(grep -c '^<6>' "$DLOG")" "^[1-9]" "logs carry journal priority prefixes under NOTIFY_SOCKET"
is "$(as_nobody sqlite3 "$SHARED" "select count(*) from campaigns where name = 'who'")" 1 \
	"a group member can still read the members' copy with the daemon stopped"
is "$(sqlite3 "$DB" 'pragma integrity_check')" ok "the database is intact"
done_testing
