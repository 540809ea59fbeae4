#!/bin/bash
# t1065-attack-limits: issue 17, item 5, as two members and an outsider
# against a real scalprofd as root. Before, every timeline sample stayed in
# the executor's memory until its run ended (100 oversubscribed sleepers at
# interval_ms: 1 grew it from 10 to 48 MB in 5 s on this 2-core guest: 794k
# samples; 200 workers for 30 s: 1.24 GB) and workers forked under root's
# process limit. Now the samples are staged in the store as they come, a
# run keeps at most max_samples_per_run and says so in runs.timeline_note,
# a campaign is refused at submit beyond max_workers_per_run or
# max_repetitions, stopped beyond max_campaign_seconds or
# max_db_growth_bytes, and its workers run under max_processes_per_user.
. "$(dirname "$0")/lib/test-lib.sh"
. "$TESTS_DIR/lib/daemon.sh"
. "$TESTS_DIR/lib/members.sh"

require cmd pgrep "procps"
chmod 711 "$TMP"
# limits: phase 1 wide (memory is measured, nothing is capped), phase 2 small
limits() { # SAMPLES SECONDS GROWTH NPROC
	daemon_config "$MG" "$RUN/sock" <<YAML
defaults:
  repetitions: 1
max_workers_per_run: 120
max_repetitions: 4
max_samples_per_run: $1
max_campaign_seconds: $2
max_db_growth_bytes: $3
max_processes_per_user: $4
YAML
}
# camp USER NAME BODY: a campaign file NAME.yaml in USER's home, theirs
camp() {
	local home
	home=$(getent passwd "$1" | cut -d: -f6)
	printf 'name: %s\n%s\n' "$2" "$3" >"$home/$2.yaml"
	chown "$1" "$home/$2.yaml"
}
# as_submit USER NAME: USER submits their NAME.yaml from their home: $out, $err, $rc, $id
as_submit() {
	local home
	home=$(getent passwd "$1" | cut -d: -f6)
	(cd "$home" && as "$1" "$SCALPROF" submit "$2.yaml") >"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
	id=$(sed -n 's/.* as \([0-9]*\) .*/\1/p' <<<"$out")
}
qerr() { q "select error from queue where id = $1"; }
run_sp_d() { "$SCALPROFD" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; err=$(cat "$TMP/err"); }

# --- the keys: positioned errors, and the documented defaults valid
printf 'group: %s\nmax_workers_per_run: 0\n' "$MG" >bad1.yaml
run_sp_d --config bad1.yaml --check
is "$err" "scalprofd: bad1.yaml:2:1: max_workers_per_run: must be between 1 and 100000, got 0" \
	"max_workers_per_run out of range is positioned"
printf 'socket: /tmp/x\nmax_db_growth_bytes: lots\n' >bad2.yaml
run_sp_d --config bad2.yaml --check
is "$err" "scalprofd: bad2.yaml:2:1: max_db_growth_bytes: expected an integer, got 'lots'" \
	"max_db_growth_bytes must be a number"
printf 'group: %s\nmax_campaign_seconds: -1\n' "$MG" >bad3.yaml
run_sp_d --config bad3.yaml --check
like "$err" "^scalprofd: bad3.yaml:2:1: max_campaign_seconds: must be a number of seconds above 0" \
	"max_campaign_seconds must be positive"
printf 'group: %s\nmax_repetitions: 2\ndefaults:\n  repetitions: 3\n' "$MG" >bad4.yaml
run_sp_d --config bad4.yaml --check
is "$err" "scalprofd: bad4.yaml:4:3: defaults.repetitions: must be at most max_repetitions (2), got 3" \
	"the default repetitions must be within max_repetitions"
printf 'group: %s\nmax_processes_per_user: 2\n' "$MG" >bad5.yaml
run_sp_d --config bad5.yaml --check
is "$err" "scalprofd: bad5.yaml:2:1: max_processes_per_user: must be between 16 and 4194304, got 2" \
	"max_processes_per_user too small"

# --- phase 1: memory stays flat while 100 workers are sampled every 1 ms
limits 100000000 3600 10000000000 300
ok "small_ceiling" "set-up: the machine's ceiling"
ok "start_daemon" "scalprofd starts as root"
camp "$BOB" mem 'workers: [100]
oversubscribe: true
interval_ms: 1
events: [sched]
workloads:
  - name: sleepers
    command: [sleep, "4"]'
as_submit "$BOB" mem
is "$rc" 0 "bob submits 100 sleepers sampled every 1 ms"
ok "wait_qstatus $id running 20" "it runs"
epid=$(pgrep -P "$dpid" | head -1)
ok "[ -n '$epid' ]" "the executor is found"
first=0 peak=0 t0=$SECONDS
while kill -0 "$epid" 2>/dev/null && [ $((SECONDS - t0)) -lt 30 ]; do
	hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$epid/status" 2>/dev/null)
	[ -n "$hwm" ] || break
	[ "$first" = 0 ] && first=$hwm
	[ "$hwm" -gt "$peak" ] && peak=$hwm
	sleep 0.5
done
ok "wait_qstatus $id done 30" "bob's campaign is done"
n=$(q "select count(*) from samples s join runs r on r.id = s.run_id join queue u on u.campaign_id = r.campaign_id
	where u.id = $id")
echo "# executor VmHWM: $first kB at the first look, $peak kB at the end; $n samples stored" \
	"(before: 10212 kB to 48232 kB for 794490 samples)"
ok "[ $n -gt 100000 ]" "the timeline was kept: over 100000 samples ($n)"
if [ "${SANITIZE:-}" = 1 ]; then
	# AddressSanitizer keeps freed memory in quarantine (256 MiB by
	# default), so the peak says nothing of what the executor keeps
	skip "the executor's memory under AddressSanitizer (peak $peak kB, first seen $first kB): its quarantine grows the peak"
else
	ok "[ $peak -lt $((first + 8192)) ] && [ $peak -lt 32768 ]" \
		"the executor's memory stayed flat: peak $peak kB, first seen $first kB"
fi
is "$(q "select ifnull(timeline_note, 'none') from runs r join queue u on u.campaign_id = r.campaign_id
	where u.id = $id")" none "a whole timeline has no note"
ok "! pgrep -u $BOB >/dev/null" "none of bob's processes outlive the campaign"

# --- alice's legitimate campaign still runs, as herself
camp "$ALICE" fine 'workers: [1]
interval_ms: 50
events: [sched]
workloads:
  - name: id
    command: [sh, -c, "id -un; sleep 0.3"]'
as_submit "$ALICE" fine
is "$rc" 0 "alice submits a small campaign"
ok "wait_qstatus $id done 30" "it is done"
is "$(q "select w.stdout_tail from workers w join runs r on r.id = w.run_id join queue u
	on u.campaign_id = r.campaign_id where u.id = $id")" "$ALICE" "its worker ran as alice"
ok "[ $(q "select count(*) from samples s join runs r on r.id = s.run_id join queue u
	on u.campaign_id = r.campaign_id where u.id = $id") -gt 0 ]" "with its timeline"

# --- static limits are refused at submit, naming the key
camp "$BOB" wide 'workers: [121]
oversubscribe: true
workloads:
  - name: t
    command: ["true"]'
as_submit "$BOB" wide
is "$rc" 2 "121 workers are refused"
like "$err" "campaign 'wide' asks for 121 workers in a run; this scalprofd allows at most 120 \(max_workers_per_run in .*cfg.yaml\)" \
	"naming max_workers_per_run"
camp "$BOB" often 'workers: [1]
repetitions: 5
workloads:
  - name: t
    command: ["true"]'
as_submit "$BOB" often
is "$rc" 2 "5 repetitions are refused"
like "$err" "campaign 'often' asks for 5 repetitions; this scalprofd allows at most 4 \(max_repetitions in .*cfg.yaml\)" \
	"naming max_repetitions"

# --- phase 2: small limits, reloaded
limits 2000 6 150000 16
kill -HUP "$dpid"
ok "waitfor \"grep -q 'reloaded' '$DLOG'\" 10" "set-up: scalprofd reloads the small limits"

# the sample cap: sampling stops for the run, which says why
camp "$BOB" many 'workers: [1]
interval_ms: 1
events: [sched]
workloads:
  - name: s
    command: [sleep, "1.5"]'
as_submit "$BOB" many
ok "wait_qstatus $id done 30" "a run over max_samples_per_run is done"
run_of() { q "select $2 from runs r join queue u on u.campaign_id = r.campaign_id where u.id = $1"; }
is "$(run_of "$id" r.status)" ok "and ok"
like "$(run_of "$id" r.timeline_note)" "^the timeline stops at [0-9.]+ s: the run reached 2000 samples, the most a run keeps \(max_samples_per_run in .*cfg.yaml\); the counters' totals are whole$" \
	"runs.timeline_note says when and why its timeline stops"
n=$(q "select count(*) from samples s join runs r on r.id = s.run_id join queue u on u.campaign_id = r.campaign_id
	where u.id = $id and s.event <> 'run-queue-wait'")
is "$n" 2000 "exactly max_samples_per_run counter samples were kept"
is "$(run_of "$id" "(select count(*) from counters c where c.run_id = r.id and c.status = 'ok')")" 4 \
	"and the counters' totals are stored"

# the campaign's time: stopped, with the key named
camp "$BOB" long 'workers: [1]
repetitions: 4
interval_ms: 0
events: [sched]
workloads:
  - name: s
    command: [sleep, "4"]'
t0=$SECONDS
as_submit "$BOB" long
ok "wait_queue $id \"status <> 'running' and status <> 'queued'\" 30" "a campaign over max_campaign_seconds ends"
is "$(qstatus "$id")" failed "as failed"
like "$(qerr "$id")" "^stopped after run 2: the campaign's runs took 6\.[0-9] s, beyond its limit of 6 s \(max_campaign_seconds in .*cfg.yaml\)$" \
	"saying it was stopped at its time limit, and by which key"
ok "[ $((SECONDS - t0)) -lt 12 ]" "within seconds of the limit ($((SECONDS - t0)) s)"
is "$(q "select r.status || ': ' || ifnull(r.error, '') from runs r join queue u on u.campaign_id = r.campaign_id
	where u.id = $id order by r.seq desc limit 1")" \
	"interrupted: stopped: the campaign reached its time limit of 6 s (max_campaign_seconds in $TMP/cfg.yaml)" \
	"the run at the limit is stored as interrupted, saying why"

# database growth: stopped between runs
camp "$BOB" grow 'workers: [1]
repetitions: 4
interval_ms: 1
events: [sched]
workloads:
  - name: s
    command: [sleep, "1"]'
as_submit "$BOB" grow
ok "wait_queue $id \"status <> 'running' and status <> 'queued'\" 30" "a campaign over max_db_growth_bytes ends"
is "$(qstatus "$id")" failed "as failed"
like "$(qerr "$id")" "^stopped after run [123]: the campaign grew the database by [0-9]+ bytes, beyond its limit of 150000 \(max_db_growth_bytes in .*cfg.yaml\)$" \
	"saying how much it grew, and by which key"
ok "[ $(run_of "$id" "count(*)") -lt 4 ]" "before its last run (each keeps 2000 samples, some 100 kB)"

# a fork bomb is held by the submitter's process limit, and cleaned up
camp "$BOB" bomb 'workers: [1]
timeout_s: 5
interval_ms: 0
events: [sched]
workloads:
  - name: bomb
    command: [bash, -c, "for i in $(seq 2000); do sleep 30 & done; wait"]'
as_submit "$BOB" bomb
ok "wait_qstatus $id running 20" "bob's fork bomb runs"
most=0 t0=$SECONDS
while [ "$(qstatus "$id")" = running ] && [ $((SECONDS - t0)) -lt 20 ]; do
	n=$(pgrep -u "$BOB" | wc -l)
	[ "$n" -gt "$most" ] && most=$n
	sleep 0.2
done
echo "# bob's processes at most: $most (before: 2000 sleepers forked)"
ok "[ $most -ge 8 ] && [ $most -le 16 ]" "held at max_processes_per_user: at most $most of bob's processes"
ok "wait_queue $id \"status <> 'running'\" 20" "the fork bomb's campaign ends"
is "$(run_of "$id" r.status)" timeout "its run timed out"
like "$(run_of "$id" "(select stderr_tail from workers w where w.run_id = r.id)")" \
	"fork: .*Resource temporarily unavailable" "its forks failed at the limit"
ok "waitfor '! pgrep -u $BOB >/dev/null' 10" "and not one of bob's processes is left"

# alice is still served under the small limits
as_submit "$ALICE" fine
ok "wait_qstatus $id done 30" "alice's campaign still runs to the end"

ok "kill -0 $dpid" "scalprofd is still up"
done_testing
