#!/bin/bash
# t0800-unprivileged: scalprof run by a user without CAP_PERFMON. What the
# kernel allows depends on perf_event_paranoid: at 2, only user space can be
# counted, which scalprof does and says on every row; at 3 or more (Debian's
# extra level) nothing can be opened, which is stored as no_permission with
# the paranoid hint; at 1 or less everything opens as for root. Never fatal.
. "$(dirname "$0")/lib/test-lib.sh"

paranoid=$(cat /proc/sys/kernel/perf_event_paranoid)
if have root; then
	require cmd setpriv "util-linux, to drop root"
	require user nobody
	as_user() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups --inh-caps=-all "$@"; }
	# nobody must be able to reach the binary and write the database
	for d in $(dirname "$SCALPROF") $(dirname "$(dirname "$SCALPROF")"); do
		[ "$(stat -c %A "$d" | cut -c10)" = x ] || skip_all "$d is not searchable by nobody"
	done
	chmod 755 "$TMP"
	mkdir -m 777 "$TMP/u"
else
	as_user() { "$@"; }
	mkdir "$TMP/u"
fi
cat >"$TMP/u/c.yaml" <<'YAML'
name: t0800
workers: [1]
repetitions: 1
events: [task-clock, page-faults]
workloads:
  - name: t
    command: [sh, -c, "i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done"]
YAML
chmod 644 "$TMP/u/c.yaml"
cd "$TMP/u" || exit 1
as_user "$SCALPROF" run --no-probe c.yaml --db "$TMP/u/u.db" --quiet >out 2>err
is "$?" 0 "an unprivileged run completes"
rows=$(sqlite3 "$TMP/u/u.db" "select status || '|' || ifnull(reason, '') from counters" | sort -u)
echo "# perf_event_paranoid=$paranoid: $rows"
if [ "$paranoid" -ge 3 ]; then
	is "$rows" "no_permission|perf_event_paranoid is $paranoid: run as root or grant CAP_PERFMON" \
		"paranoid $paranoid: no_permission with the hint"
elif [ "$paranoid" -eq 2 ]; then
	is "$rows" "ok|user space only: counting the kernel needs root or CAP_PERFMON" \
		"paranoid 2: counted in user space only, and every row says so"
	ok "[ $(sqlite3 "$TMP/u/u.db" "select count(*) from counters where value > 0") -eq 2 ]" "with values"
else
	is "$rows" "ok|" "paranoid $paranoid: counted as for root"
fi
as_user "$SCALPROF" events >out 2>err
like "$(cat out)" "task-clock" "events runs unprivileged"

# a profile as an ordinary user: user stacks where the kernel allows them,
# and the reason for what is missing
cat >"$TMP/u/p.yaml" <<'YAML'
name: t0800-profile
workers: [1]
repetitions: 1
profile: true
workloads:
  - name: b
    builtin: busy
    args: [n=100M]
YAML
chmod 644 "$TMP/u/p.yaml"
as_user env SCALPROF_LOCK="$SCALPROF_LOCK" "$SCALPROF" run --no-probe p.yaml --db "$TMP/u/p.db" --quiet >out 2>err
is "$?" 0 "an unprivileged profiled run completes"
prof=$(sqlite3 "$TMP/u/p.db" "select kernel || '|' || offcpu || '|' || (samples > 0) || '|' || ifnull(note, '') from profiles")
echo "# perf_event_paranoid=$paranoid: $prof"
if [ "$paranoid" -ge 3 ]; then
	like "$prof" "no profile on CPU [0-9]+: the sampling event could not be opened" "paranoid $paranoid: no profile, and why"
elif [ "$paranoid" -eq 2 ]; then
	like "$prof" "^0\|0\|1\|kernel frames are missing: sampling the kernel needs perf_event_paranoid 1 or less" \
		"paranoid 2: user stacks only, and the profile says why"
	like "$prof" "no off-CPU stacks: a switch out is kernel code" "no off-CPU stacks, and why"
	is "$(sqlite3 "$TMP/u/p.db" "select group_concat(distinct kind) from profile_frames")" "user" "only user frames"
	like "$(sqlite3 "$TMP/u/p.db" "select group_concat(symbol) from profile_frames")" "k_busy" "resolved to the busy loop"
else
	like "$prof" "^1\|1\|1\|" "paranoid $paranoid: kernel frames and off-CPU stacks as for root"
fi
done_testing
