#!/bin/bash
# t1061-attack-cwd: a member must not reach, through scalprofd (root), a
# directory they cannot enter themselves. The daemon used to change, as
# root, to the directory of the campaign path the client sent, so a forged
# path (or a symlink swapped after submission) let a workload without cwd
# read another member's 0700 home; and it resolved cwd: as root, telling
# whether a path existed inside a root-only directory. Now the path is
# joined, never looked up by the daemon, and entered by the worker with
# the submitter's rights; the daemon checks, as the submitter, that every
# directory can be entered before the first run.
. "$(dirname "$0")/lib/test-lib.sh"
. "$TESTS_DIR/lib/daemon.sh"
. "$TESTS_DIR/lib/members.sh"

daemon_config "$MG" "$RUN/sock" <<YAML
defaults:
  repetitions: 1
YAML
small_ceiling
ok "start_daemon -- --foreground" "scalprofd starts"
req() { as "$1" python3 "$SRC_DIR/tests/lib/sp-request.py" "$SOCK" --raw "$2"$'\n'; }
json() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }
ended() { wait_queue "$1" "status in ('done', 'failed', 'interrupted')" 60; }
outputs() { q "select group_concat(cast(w.stdout_tail as text), '|') from workers w join runs r on r.id = w.run_id
	join queue u on u.campaign_id = r.campaign_id where u.id = $1"; }

# alice's private notes, and her campaign directory
mkdir -p "$ALICE_HOME/proj"
echo alice-secret-1061 >"$ALICE_HOME/proj/notes.txt"
chown -R "$ALICE:$ALICE" "$ALICE_HOME/proj"
ok "! as $BOB cat $ALICE_HOME/proj/notes.txt 2>/dev/null" "set-up: bob cannot read alice's notes himself"

cat_yaml='name: peek
workers: [1]
events: [sched]
workloads:
  - name: cat
    command: [sh, -c, "cat notes.txt"]
'
# 1. a forged path: bob says his campaign lives in alice's directory
out=$(req "$BOB" "{\"request\":\"submit\",\"yaml\":$(json "$cat_yaml"),\"path\":\"$ALICE_HOME/proj/x.yaml\"}")
id=$(sed -n 's/.*"id": *\([0-9]*\).*/\1/p' <<<"$out" | head -1)
echo "# forged path, submit: $out"
ok "[ -n '$id' ]" "the forged submission is queued (the daemon does not look at the path)"
ok "ended $id" "and ends"
is "$(qstatus "$id")" failed "the campaign fails"
like "$(q "select error from queue where id = $id")" \
	"workload 'cat': cannot change to directory '$ALICE_HOME/proj' as user [0-9]+: Permission denied" \
	"with the reason: bob cannot enter the directory"
echo "# forged path, error: $(q "select error from queue where id = $id")"
ok "! q 'select cast(stdout_tail as text) from workers' | grep -q alice-secret-1061" "and alice's notes were not read"
is "$(q "select count(*) from runs r join queue u on u.campaign_id = r.campaign_id where u.id = $id")" 0 \
	"no run was started"

# 2. the campaign's directory swapped for a symlink after submission:
# bob's own directory at submit, a link to alice's when the campaign runs
mkdir -p "$BOB_HOME/d"
echo bob-notes >"$BOB_HOME/d/notes.txt"
printf '%s' "$cat_yaml" >"$BOB_HOME/d/c.yaml"
chown -R "$BOB:$BOB" "$BOB_HOME/d"
# a campaign that holds the queue, so the swap happens before bob's runs
printf 'name: nap\nworkers: [1]\nrepetitions: 4\nevents: [sched]\nworkloads:\n  - name: nap\n    builtin: sleep\n    args: [seconds=0.5]\n' >"$TMP/nap.yaml"
chmod 644 "$TMP/nap.yaml"
submit "$TMP/nap.yaml"
nap=$id
out=$(as "$BOB" "$SCALPROF" submit "$BOB_HOME/d/c.yaml" 2>&1)
id=$(sed -n 's/.* as \([0-9]*\) .*/\1/p' <<<"$out")
ok "[ -n '$id' ]" "bob submits from his own directory ($out)"
as "$BOB" mv "$BOB_HOME/d" "$BOB_HOME/d.old"
as "$BOB" ln -s "$ALICE_HOME/proj" "$BOB_HOME/d"
is "$(qstatus "$id")" queued "set-up: the swap happened while bob's campaign was queued"
ok "ended $nap && ended $id" "both campaigns end"
is "$(qstatus "$id")" failed "the swapped campaign fails"
like "$(q "select error from queue where id = $id")" "cannot change to directory '$BOB_HOME/d' as user [0-9]+: Permission denied" \
	"bob's rights decide, through the symlink too"
ok "! q 'select cast(stdout_tail as text) from workers' | grep -q alice-secret-1061" "alice's notes were not read"

# 3. cwd: inside a root-only directory: existing or not, the answer is
# the same, and it tells nothing that bob could not find out himself
mkdir -p /root/.sp1061-exists
chmod 700 /root
at_exit "rmdir /root/.sp1061-exists"
for d in /root/.sp1061-exists /root/.sp1061-missing; do
	yaml="name: probe
workers: [1]
events: [sched]
workloads:
  - name: p
    command: [true]
    cwd: $d
"
	ans=$(req "$BOB" "{\"request\":\"submit\",\"yaml\":$(json "$yaml"),\"path\":\"/tmp/p.yaml\"}")
	i=$(sed -n 's/.*"id": *\([0-9]*\).*/\1/p' <<<"$ans" | head -1)
	ok "[ -n '$i' ] && ended $i" "cwd: $d is queued without being looked up, and ends"
	err=$(q "select error from queue where id = $i")
	echo "# cwd: $d: $err"
	is "${err//$d/DIR}" "workload 'p': cannot change to directory 'DIR' as user $(id -u "$BOB"): Permission denied" \
		"cwd: $d: the same answer whether it exists or not"
done

# 5. the campaign's python interpreter is asked its version (for the
# conditions table) as the submitter, never as root: bob names a program
# of his own "python3"
mkdir -p "$BOB_HOME/bin"
printf '#!/bin/sh\nid -u >%s/asked-as\necho "Python 3.99 (bob)"\n' "$BOB_HOME" >"$BOB_HOME/bin/python3"
chmod 755 "$BOB_HOME/bin/python3"
chown -R "$BOB:$BOB" "$BOB_HOME/bin"
printf 'name: spy\nworkers: [1]\nevents: [sched]\nworkloads:\n  - name: p\n    command: [%s/bin/python3, -c, pass]\n' \
	"$BOB_HOME" >"$BOB_HOME/bin/spy.yaml"
chown "$BOB:$BOB" "$BOB_HOME/bin/spy.yaml"
out=$(as "$BOB" "$SCALPROF" submit "$BOB_HOME/bin/spy.yaml" 2>&1)
id=$(sed -n 's/.* as \([0-9]*\) .*/\1/p' <<<"$out")
ok "[ -n '$id' ] && ended $id" "bob's campaign with his own 'python3' runs ($out)"
is "$(cat "$BOB_HOME/asked-as" 2>/dev/null)" "$(id -u "$BOB")" "his interpreter was asked its version as bob, not as root"
is "$(q "select python3_version from conditions c join queue u on u.campaign_id = c.campaign_id where u.id = $id")" \
	"Python 3.99 (bob)" "and its answer is recorded"

# 4. legitimate use: alice's campaign without cwd starts in its own
# directory, and a relative cwd is taken from there
cat >"$ALICE_HOME/proj/mine.yaml" <<'YAML'
name: mine
workers: [1]
events: [sched]
workloads:
  - name: here
    command: [sh, -c, "cat notes.txt"]
  - name: sub
    command: [sh, -c, "pwd"]
    cwd: sub
YAML
mkdir -p "$ALICE_HOME/proj/sub"
chown -R "$ALICE:$ALICE" "$ALICE_HOME/proj"
out=$(cd "$ALICE_HOME/proj" && as "$ALICE" "$SCALPROF" submit mine.yaml 2>&1)
id=$(sed -n 's/.* as \([0-9]*\) .*/\1/p' <<<"$out")
ok "[ -n '$id' ] && ended $id" "alice submits her own campaign ($out)"
is "$(qstatus "$id")" done "and it runs"
like "$(outputs "$id")" "alice-secret-1061" "a workload without cwd starts beside her campaign file, with her rights"
like "$(outputs "$id")" "$ALICE_HOME/proj/sub" "a relative cwd is taken from there"
done_testing
