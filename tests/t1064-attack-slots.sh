#!/bin/bash
# t1064-attack-slots: issue 17, item 4, as two members and an outsider would
# try it against a real scalprofd running as root. The attack: $BOB opens
# 300 connections watching his own long campaign and holds them (on the
# daemon before the clients: limits, that took all 256 slots, and $ALICE's
# list and root's status were closed without an answer). Now: bob gets
# clients.connections_per_user (16) and every other one is refused with a
# message naming the limit, logged once for the burst; alice and root are
# served while he holds them; with a smaller max_connections (reloaded), the
# slots reserved for users holding none keep one for alice after bob took
# all he may; a watcher sent nothing for clients.watch_idle_s is let go with
# an "idle" event, and `scalprof watch` takes it up again unseen; bob's
# clients.queued_per_user refuses his extra submission while alice submits.
. "$(dirname "$0")/lib/test-lib.sh"
. "$TESTS_DIR/lib/daemon.sh"
. "$TESTS_DIR/lib/members.sh"

require cmd python3
IDLE=4
mkdir -m 755 pub
daemon_config "$MG" <<YAML
client_timeout_s: 2
defaults:
  repetitions: 1
clients:
  watch_idle_s: $IDLE
  queued_per_user: 3
YAML
cp cfg.yaml cfg.first
# naps FILE N: a campaign named for FILE of N half-second sleeps, readable by all
naps() {
	printf 'name: %s\nworkers: [1]\nrepetitions: %s\nevents: [sched]\nworkloads:\n  - name: nap\n' \
		"$(basename "$1" .yaml)" "$2" >"$1"
	printf '    builtin: sleep\n    args: [seconds=0.5]\n' >>"$1"
	chmod 644 "$1"
}
naps pub/long.yaml 1000 # at most max_repetitions; 500 s, longer than this test
naps pub/later.yaml 2
req() { python3 "$TESTS_DIR/lib/sp-request.py" "$SOCK" "$@"; }
echo "# before (the daemon without the clients: limits, same attack): bob's 300 watchers:" \
	"ok 256 / refused 0 / silent 44; alice's scalprof list and root's scalprof status:" \
	"'scalprofd closed the connection without answering'; nothing logged"

ok small_ceiling "set-up: the machine's ceiling is measured once, small"
ok start_daemon "set-up: scalprofd starts as root, for the group $MG"
as "$BOB" "$SCALPROF" submit "$TMP/pub/long.yaml" >out 2>&1
long=$(sed -n 's/.* as \([0-9]*\) .*/\1/p' out)
ok "[ -n '$long' ] && wait_qstatus '$long' running 30" "set-up: bob's long campaign is running ($(cat out))"

# --- campaigns queued per user
as "$BOB" "$SCALPROF" submit "$TMP/pub/later.yaml" >out 2>&1
as "$BOB" "$SCALPROF" submit "$TMP/pub/later.yaml" >out 2>&1
is "$(q "select count(*) from queue where user = '$BOB' and status in ('queued', 'running')")" 3 \
	"set-up: bob has 3 campaigns queued or running, his clients.queued_per_user"
as "$BOB" "$SCALPROF" submit "$TMP/pub/later.yaml" >out 2>&1
is "$?" 2 "bob's fourth submission is refused (exit 2)"
like "$(cat out)" "^scalprof: submit: $BOB has 3 campaigns queued or running, the most one user may have \(clients.queued_per_user in $TMP/cfg.yaml\); wait for one to end, or cancel one" \
	"naming the limit, the key and the file"
echo "# bob's extra submission: $(cat out)"
is "$(q "select count(*) from queue where user = '$BOB'")" 3 "and nothing of it is queued"
as "$ALICE" "$SCALPROF" submit "$TMP/pub/later.yaml" >out 2>&1
is "$?" 0 "alice can still submit"
alice_q=$(sed -n 's/.* as \([0-9]*\) .*/\1/p' out)
is "$(qstatus "$alice_q")" queued "and her campaign is queued"
"$SCALPROF" submit "$TMP/pub/later.yaml" >out 2>&1
is "$?" 0 "root is not held to a queue limit"
root_q=$(sed -n 's/.* as \([0-9]*\) .*/\1/p' out)

# --- 300 watchers
# bob_holds N WHAT: bob opens N watch connections and holds those he gets;
# the first line of $BOB_HOME/ready counts them, the next quotes a refusal
holders=""
bob_holds() {
	rm -f "$BOB_HOME/ready"
	as "$BOB" python3 "$TESTS_DIR/lib/sp-hold.py" "$SOCK" "$1" "$long" "$BOB_HOME/ready" &
	holders="$holders $!"
	bg $!
	ok "waitfor '[ -e $BOB_HOME/ready ]' 60" "$2"
}
bob_holds 300 "bob's script has tried 300 watch connections"
echo "# after: bob's 300 watchers: $(head -1 "$BOB_HOME/ready")"
is "$(head -1 "$BOB_HOME/ready")" "ok 16 / refused 284 / silent 0 / failed 0" \
	"bob holds 16 (clients.connections_per_user), every other one is refused with an answer"
like "$(sed -n 's/^first refusal: //p' "$BOB_HOME/ready")" \
	"^too many connections: $BOB holds 16, the most one user may hold \(clients.connections_per_user in $TMP/cfg.yaml\); close one" \
	"the refusal says why, with the limit and the key"
like "$(as "$BOB" python3 "$TESTS_DIR/lib/sp-request.py" "$SOCK" --raw $'{"request":"list"}\n')" \
	'^\{"ok":false,"error":"too many connections: .*,"limit":"clients.connections_per_user"\}$' \
	"the refusal is one JSON error line with the limit's key"
as "$ALICE" "$SCALPROF" list >out 2>&1
is "$?" 0 "alice's scalprof list is answered while bob holds his"
echo "# after: alice's list: $(grep -c . out) lines, $(grep -c "$BOB" out) of them bob's campaigns"
like "$(cat out)" "$long +long +$BOB +running" "and shows bob's campaign running"
"$SCALPROF" status >out 2>&1
is "$?" 0 "root's scalprof status is answered too"
echo "# after: root's status: $(grep ^status out)"
as "$BOB" "$SCALPROF" list >out 2>&1
is "$?" 2 "bob himself gets no 17th connection"
like "$(cat out)" "scalprof: list: too many connections: $BOB holds 16" "and his client says why"
as "$EVE" python3 "$TESTS_DIR/lib/sp-request.py" "$SOCK" --raw $'{"request":"list"}\n' >out 2>&1
like "$(cat out)" "Permission denied" "the outsider cannot even reach the socket"
is "$(grep -c "refused $BOB " "$DLOG")" 1 "the refusals of the burst are logged once"
like "$(grep "refused $BOB " "$DLOG")" "too many connections: $BOB holds 16, .*\(more of these are counted, not logged one by one\)" \
	"with the reason"
ok "waitfor \"grep -q 'refused 285 more connections of $BOB (uid [0-9]*) in the last [0-9]* s (clients.connections_per_user)' '$DLOG'\" 20" \
	"and summed up once the burst is over"
is "$(grep -c "refused" "$DLOG")" 2 "two log lines for 286 refusals"
"$SCALPROF" cancel "$root_q" >/dev/null 2>&1

# --- the slots kept for users who hold none: 24 in all, bob may take 18
{
	grep -v '^clients:\|^defaults:\|^  ' cfg.first
	printf 'defaults:\n  repetitions: 1\nclients:\n  watch_idle_s: %s\n  queued_per_user: 3\n' $IDLE
	printf '  max_connections: 24\n  connections_per_user: 24\n  reserved_for_others: 4\n  reserved_for_root: 2\n'
} >cfg.yaml
kill -HUP "$dpid"
ok "waitfor \"[ \$(grep -c 'reloaded $TMP/cfg.yaml' '$DLOG') = 1 ]\" 10" "set-up: reloaded with 24 connections, 4+2 reserved"
bob_holds 30 "bob's script tries 30 more"
echo "# after, 24 slots: bob's 30 more watchers: $(head -1 "$BOB_HOME/ready")"
is "$(head -1 "$BOB_HOME/ready")" "ok 2 / refused 28 / silent 0 / failed 0" \
	"bob gets 18 in all: 24 less the 4 kept for others and the 2 for root"
like "$(sed -n 's/^first refusal: //p' "$BOB_HOME/ready")" \
	"^scalprofd is busy: 18 of its 24 connections are in use, and the last 6 are kept for users who hold none and for root \(clients.reserved_for_others and reserved_for_root in $TMP/cfg.yaml\); $BOB holds 18" \
	"and is told the others' and root's slots are kept"
as "$ALICE" "$SCALPROF" list >out 2>&1
is "$?" 0 "alice, holding none, is still served"
"$SCALPROF" status >out 2>&1
is "$?" 0 "so is root"
kill $holders 2>/dev/null
wait $holders 2>/dev/null
cp cfg.first cfg.yaml
kill -HUP "$dpid"
ok "waitfor \"[ \$(grep -c 'reloaded $TMP/cfg.yaml' '$DLOG') = 2 ]\" 10" "set-up: the first configuration again"

# --- an idle watcher is let go; scalprof watch takes it up again
t0=$(date +%s.%N)
as "$ALICE" python3 "$TESTS_DIR/lib/sp-request.py" "$SOCK" --raw $'{"request":"watch","id":'"$alice_q"$'}\n' >out 2>&1
t=$(echo "$(date +%s.%N) - $t0" | bc)
like "$(sed -n 2p out)" "^\{\"event\":\"idle\",\"error\":\"nothing to report for $IDLE s \(clients.watch_idle_s in $TMP/cfg.yaml\): this watch ends here; watch the campaign again to go on following it\",\"idle_s\":$IDLE(\.0)?\}$" \
	"a watcher of a queued campaign is sent an idle event"
ok "[ \$(echo '$t >= $IDLE && $t < $IDLE + 5' | bc) = 1 ]" "after clients.watch_idle_s ($IDLE s; it took $t s), and let go"
echo "# after: an idle watcher, after $t s: $(sed -n 2p out)"
as "$ALICE" "$SCALPROF" watch "$alice_q" >watch.out 2>&1 &
wpid=$!
sleep $((2 * IDLE + 2))
ok "kill -0 $wpid" "scalprof watch is still following after two idle periods"
"$SCALPROF" cancel "$alice_q" >/dev/null 2>&1
ok "waitfor '! kill -0 $wpid 2>/dev/null' 10" "and ends with the campaign"
wait $wpid
is "$?" 1 "exit 1: the campaign did not complete"
is "$(cat watch.out)" "campaign $alice_q 'later' of $ALICE: queued, 0/2 runs
campaign cancelled: cancelled by root before it started" "having said nothing of the idle watches in between"
ok "! grep -q idle '$DLOG'" "idle watchers are not logged"

# --- the end
"$SCALPROF" cancel "$long" >/dev/null 2>&1
ok "wait_qstatus '$long' cancelled 30" "bob's long campaign is cancelled by root"
stop_daemon TERM
is "$?" 0 "scalprofd exits 0 on SIGTERM"
done_testing
