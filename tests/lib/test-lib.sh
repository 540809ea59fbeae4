# test-lib.sh: sourced by every tests/tNNNN-*.sh. TAP output for prove, a
# private temporary directory per test file, and an EXIT trap that kills
# anything the test started and removes the directory.
#
#   ok COND-EXIT-STATUS "description"      is GOT WANT "description"
#   like GOT REGEX "description"           skip "reason" / skip_all "reason"
#   run_sp ARGS...  runs scalprof, leaving $out, $err and $rc
#   q "SQL"         queries $DB with the sqlite3 CLI (-batch -noheader)
#   waitfor "COND" SECONDS   polls a condition (daemon tests)
set -u

SCALPROF=${SCALPROF:-$(cd "$(dirname "$0")/.." && pwd)/build/scalprof}
TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
SRC_DIR=$(dirname "$TESTS_DIR")
_n=0
_failed=0
_bg_pids=""

TMP=$(mktemp -d "${TMPDIR:-/tmp}/scalprof-test.XXXXXX")
DB=$TMP/test.db
# each test its own experiment lock: tests must not wait on each other, nor
# on a scalprofd that may be running on this machine
export SCALPROF_LOCK=$TMP/experiment.lock
cleanup() {
	for p in $_bg_pids; do { kill -9 "$p" && wait "$p"; } 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT
cd "$TMP" || exit 1

_report() { # pass description
	_n=$((_n + 1))
	if [ "$1" = 1 ]; then
		echo "ok $_n - $2"
	else
		_failed=$((_failed + 1))
		echo "not ok $_n - $2"
	fi
}
ok() { # "command" description: passes when command exits 0
	if eval "$1"; then _report 1 "$2"; else _report 0 "$2"; echo "#   failed: $1"; fi
}
is() {
	if [ "$1" = "$2" ]; then _report 1 "$3"; else
		_report 0 "$3"
		printf '#   got:  %s\n#   want: %s\n' "$1" "$2"
	fi
}
like() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then _report 1 "$3"; else
		_report 0 "$3"
		printf '#   got:  %s\n#   want match: %s\n' "$1" "$2"
	fi
}
skip() { _n=$((_n + 1)); echo "ok $_n # skip $1"; }
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
done_testing() { echo "1..$_n"; [ "$_failed" = 0 ]; exit $?; }
bg() { _bg_pids="$_bg_pids $1"; }

run_sp() {
	"$SCALPROF" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}
q() { sqlite3 -batch -noheader "$DB" "$@"; }
# Polls CONDITION (a shell expression) every 0.1 s for up to SECONDS;
# returns 1 if it never held.
waitfor() {
	local i=0
	while ! eval "$1"; do
		i=$((i + 1))
		[ $i -ge $(($2 * 10)) ] && return 1
		sleep 0.1
	done
}

# Whether this host counts hardware events (a PMU is exposed).
have_pmu() { ! perf stat -e cycles -x, true 2>&1 | grep -q 'not supported'; }
