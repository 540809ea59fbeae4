#!/bin/bash
# check.sh: `make check-valgrind`. scalprof run over every builtin workload
# (with co-runners and sampling), and a scalprofd session (submit, watch,
# list, status, a malformed request, cancel, SIGTERM), each under valgrind
# memcheck: any error, or any byte definitely or indirectly lost, fails.
# The executor child of scalprofd is a fork and is checked too; the
# workloads themselves (exec'd programs) are not ours to check here.
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$SRC/build}
TMP=$(mktemp -d /tmp/scalprof-valgrind.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$TMP"' EXIT
export SCALPROF_LOCK=$TMP/lock
# a shortened probe must not become the machine's kept ceiling
export SCALPROF_CACHE_DIR=$TMP/cache
VG=(valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect
	--errors-for-leak-kinds=definite,indirect --error-exitcode=99 --track-origins=yes
	--suppressions="$SRC/tests/valgrind/scalprof.supp" --log-file="$TMP/vg.%p.log")
fail=0
summary() { # NAME STATUS
	local errs
	errs=$(cat "$TMP"/vg.*.log 2>/dev/null | grep -c '^==[0-9]*== ' || true)
	if [ "$2" = 0 ] && [ "$errs" = 0 ]; then
		echo "check-valgrind: $1: 0 errors, 0 bytes definitely or indirectly lost"
	else
		echo "check-valgrind: $1: FAILED (exit $2)"
		cat "$TMP"/vg.*.log
		fail=1
	fi
	rm -f "$TMP"/vg.*.log
}

# 1. scalprof run over every builtin
"${VG[@]}" "$B/scalprof" run --no-probe "$SRC/tests/valgrind/builtins.yaml" --db "$TMP/run.db" -q >"$TMP/run.out" 2>&1
st=$?
[ "$(sqlite3 "$TMP/run.db" "select count(*) from runs where status = 'ok'")" = 28 ] || {
	echo "check-valgrind: not every run was ok:"; tail -3 "$TMP/run.out"; st=1; }
summary "scalprof run, $(sqlite3 "$TMP/run.db" 'select count(*) from runs') runs of every builtin" $st
"${VG[@]}" "$B/scalprof" report --db "$TMP/run.db" --format json >/dev/null 2>&1
summary "scalprof report --format json" $?
r1=$(sqlite3 "$TMP/run.db" "select id from runs where workload = 'pingpong' and n_workers = 1 limit 1")
r2=$(sqlite3 "$TMP/run.db" "select id from runs where workload = 'pingpong' and n_workers = 2 limit 1")
{ "${VG[@]}" "$B/scalprof" flamegraph "$r2" --db "$TMP/run.db" -o "$TMP/f.svg" &&
	"${VG[@]}" "$B/scalprof" flamegraph "$r2" --db "$TMP/run.db" --offcpu --folded &&
	"${VG[@]}" "$B/scalprof" flamegraph --diff "$r1" "$r2" --db "$TMP/run.db" -o "$TMP/d.svg"; } >/dev/null 2>&1
summary "scalprof flamegraph (svg, folded off-CPU, diff)" $?

# 2. a scalprofd session
cat >"$TMP/cfg.yaml" <<YAML
database: $TMP/d.db
socket: $TMP/sock
group: root
lock: $TMP/lock
YAML
"$B/scalprof" probe --db "$TMP/d.db" --scale 0.02 --max-mib 64 -q
cat >"$TMP/c.yaml" <<YAML
name: vg
workers: [1, 2]
repetitions: 1
events: [sched]
workloads:
  - {name: busy, builtin: busy, args: [n=20M]}
YAML
cat >"$TMP/long.yaml" <<YAML
name: long
workers: [1]
repetitions: 50
events: [sched]
workloads:
  - {name: nap, builtin: sleep, args: [seconds=0.3]}
YAML
"${VG[@]}" "$B/scalprofd" --config "$TMP/cfg.yaml" >"$TMP/d.log" 2>&1 &
dpid=$!
export SCALPROF_SOCKET=$TMP/sock
for i in $(seq 100); do "$B/scalprof" status >/dev/null 2>&1 && break; sleep 0.2; done
"$B/scalprof" submit "$TMP/c.yaml" --watch >/dev/null
"$B/scalprof" list >/dev/null
"$B/scalprof" status 1 >/dev/null
python3 "$SRC/tests/lib/sp-request.py" "$TMP/sock" --raw $'{"request":"bogus"}\n' >/dev/null
python3 "$SRC/tests/lib/sp-request.py" "$TMP/sock" --raw $'not json at all\n' >/dev/null
"$B/scalprof" submit "$TMP/long.yaml" >/dev/null
for i in $(seq 100); do
	[ "$(sqlite3 "$TMP/d.db" "select runs_done > 0 from queue where id = 2")" = 1 ] && break
	sleep 0.2
done
"$B/scalprof" cancel 2 >/dev/null
"$B/scalprof" submit "$TMP/long.yaml" >/dev/null
for i in $(seq 100); do
	[ "$(sqlite3 "$TMP/d.db" "select runs_done > 0 from queue where id = 3")" = 1 ] && break
	sleep 0.2
done
kill -TERM $dpid
wait $dpid
st=$?
# the session must have done what it says, or it checked nothing
states=$(sqlite3 "$TMP/d.db" "select group_concat(status, ' ') from (select status from queue order by id)")
[ "$states" = "done cancelled interrupted" ] || { echo "check-valgrind: queue ended as '$states'"; st=1; }
summary "scalprofd session (submit, watch, list, status, bad requests, cancel, SIGTERM mid-campaign: $states)" $st
[ $fail = 0 ]
