#!/bin/bash
# t1063-attack-dblock: a member must not be able to stop the daemon from
# writing. The database used to be readable by the group, and a member who
# held a shared lock on its -shm file (or a read transaction) made every
# write of the daemon wait and fail ("database is locked"). Now the
# database is root's alone (0600) and the group reads a copy the daemon
# publishes atomically (at start, every shared_interval_s while a campaign
# runs, and after it): a member may lock the copy forever; the daemon's
# writes never wait for it, and the next copy replaces it.
. "$(dirname "$0")/lib/test-lib.sh"
. "$TESTS_DIR/lib/daemon.sh"
. "$TESTS_DIR/lib/members.sh"

SHARED=$TMP/sp-shared.db
small_ceiling
daemon_config "$MG" "$RUN/sock" <<YAML
client_timeout_s: 2
shared_interval_s: 1
defaults:
  repetitions: 1
YAML
ok "start_daemon -- --foreground" "scalprofd starts"
is "$(stat -c %a "$DB")" 600 "the daemon's database is root's alone"
for f in "$DB-wal" "$DB-shm"; do
	[ -e "$f" ] && is "$(stat -c %a "$f")" 600 "and so is $(basename "$f")"
done
is "$(stat -c '%a %U %G' "$SHARED")" "640 root $MG" "the members' copy is published at start, for the group"
is "$(sqlite3 "$SHARED" 'pragma journal_mode')" delete "without a write-ahead log: readers need no -shm"
ok "! as $BOB python3 -c 'open(\"$DB-shm\", \"rb\")' 2>/dev/null" "a member cannot open the database's -shm"
ok "! as $BOB python3 -c 'open(\"$DB\", \"rb\")' 2>/dev/null" "nor the database"
ok "! as $EVE python3 -c 'open(\"$SHARED\", \"rb\")' 2>/dev/null" "an outsider cannot read the copy"

# bob holds every lock a reader can take on the copy: a shared lock on
# the file and a read transaction, for a minute
cat >"$TMP/hold.py" <<'PY'
import fcntl, sqlite3, sys, time
f = open(sys.argv[1], "rb")
fcntl.lockf(f, fcntl.LOCK_SH)
con = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, isolation_level=None)
con.execute("BEGIN")
con.execute("SELECT count(*) FROM runs").fetchone()
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
PY
as "$BOB" python3 "$TMP/hold.py" "$SHARED" 60 >"$TMP/hold.out" 2>&1 &
holder=$!
bg $holder
ok "waitfor \"grep -q holding '$TMP/hold.out'\" 10" "bob holds a shared lock and a read transaction on the copy"

# alice's campaign runs and is stored meanwhile
mkdir -p "$ALICE_HOME/c"
cat >"$ALICE_HOME/c/quick.yaml" <<'YAML'
name: quick
workers: [1]
repetitions: 3
events: [sched]
workloads:
  - name: nap
    builtin: sleep
    args: [seconds=0.3]
YAML
chown -R "$ALICE:$ALICE" "$ALICE_HOME/c"
start=$(date +%s)
out=$(as "$ALICE" "$SCALPROF" submit "$ALICE_HOME/c/quick.yaml" 2>&1)
id=$(sed -n 's/.* as \([0-9]*\) .*/\1/p' <<<"$out")
ok "[ -n '$id' ] && wait_queue $id \"status in ('done', 'failed')\" 60" "alice's campaign ends while bob holds his locks"
took=$(($(date +%s) - start))
echo "# alice's campaign of 3 runs of 0.3 s took $took s while bob held the copy"
is "$(qstatus "$id")" done "and is done"
is "$(q "select count(*) from runs r join queue u on u.campaign_id = r.campaign_id where u.id = $id and r.status = 'ok'")" 3 \
	"all its runs were stored"
ok "[ $took -lt 20 ]" "no write waited for bob's locks (the campaign took $took s)"
ok "kill -0 $holder" "bob still holds the old copy"
# the copy after the campaign: published over the one bob holds
ok "waitfor \"[ \\\"\\\$(as $ALICE sqlite3 '$SHARED' \\\"select count(*) from runs r join campaigns c on c.id = r.campaign_id where c.name = 'quick'\\\")\\\" = 3 ]\" 20" \
	"alice reads her runs in the new copy with sqlite3"
as "$ALICE" "$SCALPROF" report quick --db "$SHARED" >"$TMP/report" 2>&1
like "$(cat "$TMP/report")" "nap \(copies\): " "and scalprof report reads it"
is "$(as "$ALICE" sqlite3 "$SHARED" "select status from queue where id = $id")" done "the copy holds the queue's outcome"
kill "$holder" 2>/dev/null

# a second campaign is stored as well: the daemon keeps writing
out=$(as "$ALICE" "$SCALPROF" submit "$ALICE_HOME/c/quick.yaml" 2>&1)
id=$(sed -n 's/.* as \([0-9]*\) .*/\1/p' <<<"$out")
ok "[ -n '$id' ] && wait_queue $id \"status = 'done'\" 60" "a later campaign is stored too"
done_testing
