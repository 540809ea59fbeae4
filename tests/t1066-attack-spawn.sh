#!/bin/bash
# t1066-attack-spawn: what a workload starts with, and the experiment lock,
# against a real scalprofd as root attacked by its own members (issue 17,
# item 6). The daemon is started the careless way: by hand, with fd 7 open
# on a root-only file and SIGINT and SIGPIPE ignored. A member's workload
# must not read fd 7 (it has only 0-2), must start with no signal ignored or
# blocked and with NoNewPrivs; `env: [PATH=...]` is the PATH its program is
# looked up in; the lock file is not writable by members, who still get the
# clear "held by" message from `scalprof run` and can still take the lock.
# Each case prints what the workload saw as TAP comments.
. "$(dirname "$0")/lib/test-lib.sh"
. "$TESTS_DIR/lib/daemon.sh"
. "$TESTS_DIR/lib/members.sh"

LOCK=$TMP/lock
daemon_config "$MG" <<YAML
defaults:
  repetitions: 1
YAML
SECRET=topsecret-$$-$RANDOM
printf '%s\n' "$SECRET" >secret
chmod 600 secret
mkdir -m 755 pathdir
printf '#!/bin/sh\necho "pathprog ran as $0"\n' >pathdir/sp1066prog
printf 'echo "noshebang ran"\n' >pathdir/sp1066plain
chmod 755 pathdir/sp1066prog pathdir/sp1066plain
# a lock file left by an older scalprof: world-writable
: >"$LOCK"
chmod 666 "$LOCK"

# the worker's stdout tail, for a campaign and workload name
tail_of() {
	q "select cast(w.stdout_tail as text) from workers w join runs r on r.id = w.run_id
		join campaigns c on c.id = r.campaign_id where c.name = '$1' and r.workload = '$2'"
}
werror() {
	q "select w.error from workers w join runs r on r.id = w.run_id
		join campaigns c on c.id = r.campaign_id where c.name = '$1'"
}
comment() { sed 's/^/#   /' <<<"$1"; }
# as_submit USER FILE: USER submits FILE and waits for its end
as_submit() {
	as "$1" "$SCALPROF" submit "$2" --watch >out 2>err
	rc=$?
}

# --- the daemon, started by hand with fd 7 on a root-only file and
# SIGINT, SIGPIPE ignored (a background job of a script ignores SIGINT anyway)
exec 7<secret
trap '' PIPE INT
ok "start_daemon -- --foreground" "set-up: scalprofd starts with fd 7 open and SIGINT, SIGPIPE ignored"
trap - PIPE INT
exec 7<&-
dfds=$(ls -l /proc/"$dpid"/fd | awk 'NR > 1 { print $(NF-2), $NF }')
echo "# the daemon's descriptors:"
comment "$dfds"
like "$dfds" "^7 $TMP/secret\$" "set-up: the daemon holds fd 7 on the secret"
dign=$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/"$dpid"/status)
echo "# the daemon's SigIgn: $dign"
ok "(( (0x$dign & 0x1002) == 0x1002 ))" "set-up: the daemon ignores SIGINT and SIGPIPE"
small_ceiling

# --- what a member's workload starts with
cat >"$ALICE_HOME/spawn.yaml" <<'YAML'
name: spawn
workers: [1]
events: [sched]
workloads:
  - name: look
    command:
      - sh
      - -c
      - |
        echo "fds:"
        ls -l /proc/$$/fd
        echo "end fds"
        if cat <&7; then echo "fd7: read"; else echo "fd7: refused"; fi
        if cat /proc/$$/fd/7; then echo "proc fd7: read"; else echo "proc fd7: refused"; fi
        grep -E '^(SigIgn|SigBlk|NoNewPrivs):' /proc/$$/status
YAML
chown "$ALICE" "$ALICE_HOME/spawn.yaml"
as_submit "$ALICE" "$ALICE_HOME/spawn.yaml"
is "$rc" 0 "a member's campaign runs"
look=$(tail_of spawn look)
echo "# the member's workload saw:"
comment "$look"
fds=$(sed -n '/^fds:/,/^end fds/p' <<<"$look" | awk '/ -> / { print $(NF-2) }' | tr '\n' ' ')
is "$fds" "0 1 2 " "the workload has only descriptors 0, 1 and 2"
like "$(sed -n '/^fds:/,/^end fds/p' <<<"$look" | awk '/ -> / { print $(NF-2), $NF }' | tr '\n' ' ')" \
	"^0 /dev/null 1 pipe:\[[0-9]+\] 2 pipe:\[[0-9]+\] \$" "stdin /dev/null, stdout and stderr the daemon's pipes"
ok "! grep -q '$SECRET' <<<\"\$look\"" "the secret behind the daemon's fd 7 does not reach the workload"
like "$look" "fd7: refused" "cat <&7 fails"
like "$look" "proc fd7: refused" "and so does /proc/self/fd/7"
like "$look" "SigIgn:[[:space:]]+0+\$" "no signal is ignored in the workload (SIGINT, SIGPIPE were in the daemon)"
like "$look" "SigBlk:[[:space:]]+0+\$" "and none blocked"
like "$look" "NoNewPrivs:[[:space:]]+1\$" "the workload cannot gain privileges (NoNewPrivs: 1)"

# --- env: PATH is the PATH the program is looked up in
cat >"$ALICE_HOME/path.yaml" <<YAML
name: path
workers: [1]
events: [sched]
workloads:
  - name: prog
    command: [sp1066prog]
    env: [PATH=$TMP/pathdir]
  - name: plain
    command: [sp1066plain, x]
    env: [PATH=/nonexistent:$TMP/pathdir]
YAML
as_submit "$ALICE" "$ALICE_HOME/path.yaml"
echo "# submit: rc $rc; workload prog printed: $(tail_of path prog); plain: $(tail_of path plain)"
is "$rc" 0 "a campaign whose env sets PATH runs"
is "$(tail_of path prog)" "pathprog ran as $TMP/pathdir/sp1066prog" "its program is found in that PATH"
is "$(tail_of path plain)" "noshebang ran" "a script without #! found there runs through /bin/sh"
cat >"$ALICE_HOME/nopath.yaml" <<YAML
name: nopath
workers: [1]
events: [sched]
workloads:
  - name: ls
    command: [ls]
    env: [PATH=$TMP/pathdir]
YAML
as_submit "$ALICE" "$ALICE_HOME/nopath.yaml"
echo "# a program not in the campaign's PATH: rc $rc, worker error: $(werror nopath)"
is "$(werror nopath)" "cannot execute 'ls': No such file or directory" \
	"a program only in the daemon's PATH is not found, with the clear message"

# --- the experiment lock
echo "# the lock file after the daemon's campaigns: $(stat -c '%A %U' "$LOCK")"
is "$(stat -c '%a %U' "$LOCK")" "644 root" "a world-writable lock file of an older version is made 0644 by its owner"
as "$ALICE" sh -c "echo fake >>'$LOCK'" 2>err
rc=$?
echo "# a member writing to it: exit $rc $(cat err)"
ok "[ $rc != 0 ] && ! grep -q fake '$LOCK'" "a member cannot write a fake holder into the lock file"
# a member's scalprof run while the daemon measures
cat >"$BOB_HOME/slow.yaml" <<'YAML'
name: slow
workers: [1]
repetitions: 6
events: [sched]
workloads:
  - name: nap
    builtin: sleep
    args: [seconds=0.5]
YAML
chown "$BOB" "$BOB_HOME/slow.yaml"
as "$BOB" "$SCALPROF" submit "$BOB_HOME/slow.yaml" >out 2>err
id=$(sed -n 's/.* as \([0-9]*\) .*/\1/p' out)
ok "wait_qstatus '$id' running 20" "set-up: another member's slow campaign is running"
cp "$ALICE_HOME/path.yaml" "$ALICE_HOME/fg.yaml"
chown "$ALICE" "$ALICE_HOME/fg.yaml"
(cd "$ALICE_HOME" && as "$ALICE" env SCALPROF_LOCK="$LOCK" "$SCALPROF" run --no-probe fg.yaml --db fg.db -q) >out 2>err
rc=$?
echo "# the member's scalprof run: $(cat err)"
is "$rc" 1 "a member's scalprof run refuses while the daemon measures"
like "$(cat err)" "another experiment is running on this machine: scalprofd \(pid [0-9]+\): queue $id, campaign 'slow' of user $BOB" \
	"and says who holds the lock"
ok "wait_qstatus '$id' done 30" "the daemon completes the campaign"
# a member may take the lock (scalprof run does) but cannot say she is someone else
as "$ALICE" flock "$LOCK" sleep 4 &
bg $!
ok "waitfor \"! flock -n '$LOCK' true\" 5" "a member can hold the lock, as scalprof run does"
as "$ALICE" "$SCALPROF" submit "$ALICE_HOME/spawn.yaml" >out 2>err
id=$(sed -n 's/.* as \([0-9]*\) .*/\1/p' out)
waitfor "'$SCALPROF' status 2>&1 | grep -q 'held by'" 10
holder=$("$SCALPROF" status 2>&1 | grep -i lock)
echo "# scalprof status while she holds it: $holder"
like "$holder" "pid [0-9]+ \(flock\) of user $ALICE" "the daemon names who holds it, from the kernel's lock table"
ok "wait_qstatus '$id' done 30" "and runs the campaign once she lets go"

# a member's own lock file in a world-writable directory (/run/lock is one):
# her fake note is not believed, and root's scalprof run takes the file over
mkdir -m 1777 runlock
as "$ALICE" sh -c "umask 0; echo \"scalprofd (pid 1): queue 99, campaign 'x' of user $BOB\" >runlock/l"
echo "# the member's lock file: $(stat -c '%A %U' runlock/l): $(head -1 runlock/l)"
as "$ALICE" flock runlock/l sleep 4 &
bg $!
waitfor "! flock -n runlock/l true" 5
SCALPROF_LOCK=$TMP/runlock/l "$SCALPROF" run --no-probe "$ALICE_HOME/path.yaml" --db fake.db -q >out 2>err
echo "# root's scalprof run: $(cat err)"
like "$(cat err)" "another experiment is running on this machine: pid [0-9]+ \(flock\) of user $ALICE\." \
	"a fake note is not believed: the holder is named from the kernel's lock table"
waitfor "flock -n runlock/l true" 10
SCALPROF_LOCK=$TMP/runlock/l "$SCALPROF" run --no-probe "$ALICE_HOME/path.yaml" --db fake.db -q >out 2>err
is "$?:$(stat -c '%a %U' runlock/l)" "0:644 root" "once free, root's scalprof run puts a file of its own in its place"
as "$ALICE" sh -c "echo fake >runlock/l" 2>/dev/null
ok "! grep -q fake runlock/l" "which the member cannot write"

# --- scalprof run gives its workloads the same start
cat >fg.yaml <<YAML
name: fg
workers: [1]
repetitions: 1
events: [sched]
workloads:
  - name: look
    command: [sh, -c, 'ls /proc/\$\$/fd | tr "\\n" " "; grep -E "^(SigIgn|NoNewPrivs):" /proc/\$\$/status']
  - name: prog
    command: [sp1066prog]
    env: [PATH=$TMP/pathdir]
YAML
(trap '' PIPE INT; exec 7<secret; exec "$SCALPROF" run --no-probe fg.yaml --db fg.db -q) >out 2>err
rc=$?
is "$rc" 0 "scalprof run, started with fd 7 open and SIGINT, SIGPIPE ignored, runs"
fgl=$(sqlite3 fg.db "select cast(w.stdout_tail as text) from workers w join runs r on r.id = w.run_id where r.workload = 'look'")
echo "# its workload saw:"
comment "$fgl"
like "$fgl" "^0 1 2 " "its workload has descriptors 0-2 only"
like "$fgl" "SigIgn:[[:space:]]+0+$" "no signal ignored"
like "$fgl" "NoNewPrivs:[[:space:]]+1$" "and NoNewPrivs"
is "$(sqlite3 fg.db "select cast(w.stdout_tail as text) from workers w join runs r on r.id = w.run_id where r.workload = 'prog'")" \
	"pathprog ran as $TMP/pathdir/sp1066prog" "and env: PATH is searched"

stop_daemon
done_testing
