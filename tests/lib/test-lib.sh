# test-lib.sh: sourced by every tests/tNNNN-*.sh. TAP output for prove, a
# private temporary directory per test file, and an EXIT trap that kills
# anything the test started and removes the directory -- or, when a test
# failed, keeps it and says where, with the logs the test named.
#
#   ok COND-EXIT-STATUS "description"      is GOT WANT "description"
#   like GOT REGEX "description"           skip "reason" [COUNT] / skip_all "reason"
#   require PREREQ [ARG...]  skips the whole file, with the reason, unless PREREQ holds
#   have PREREQ [ARG...]     whether it holds; if not, $why says why (for skip)
#       root [PURPOSE]   running as root
#       pmu              a hardware PMU counts cycles (perf stat, else sysfs)
#       cores N          at least N physical cores (as scalprof topology counts)
#       cmd NAME [PURPOSE]   NAME is on PATH
#       user NAME / group NAME   the user or group exists
#       perf-stat        perf stat counts a software event here
#   physical_cores       prints the host's physical cores (scalprof topology)
#   use_seed             seeds $RANDOM from SCALPROF_TEST_SEED, or a new seed,
#                        and prints it as "# seed: N" (replay with that variable)
#   show_on_failure FILE  prints FILE as TAP comments if the test fails
#   at_exit "COMMAND"     runs COMMAND in the EXIT trap, before the clean-up
#   run_sp ARGS...  runs scalprof, leaving $out, $err and $rc
#   q "SQL"         queries $DB with the sqlite3 CLI (-batch -noheader)
#   waitfor "COND" SECONDS   polls a condition (daemon tests)
# Daemon tests also source lib/daemon.sh.
set -u

SCALPROF=${SCALPROF:-$(cd "$(dirname "$0")/.." && pwd)/build/scalprof}
TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
SRC_DIR=$(dirname "$TESTS_DIR")
_n=0
_failed=0
_bg_pids=""
_at_exit=""
_show_logs=""
_seed=""

TMP=$(mktemp -d "${TMPDIR:-/tmp}/scalprof-test.XXXXXX")
DB=$TMP/test.db
# each test its own experiment lock: tests must not wait on each other, nor
# on a scalprofd that may be running on this machine
export SCALPROF_LOCK=$TMP/experiment.lock
# every ceiling a test measures is small: a guest here reports a 508 MiB L3,
# which makes STREAM's arrays 2 GiB and one measurement take minutes
export SCALPROF_PROBE_MAX_MIB=64
# the machine's ceiling cache (see scalprof probe) a test's own: never the
# real one in /var/lib/scalprof or ~/.cache, and none kept from another test
export SCALPROF_CACHE_DIR=$TMP/cache

# On failure (an assertion failed, or the script ended with a non-zero
# status, e.g. before its plan) the directory is kept for inspection and the
# logs named by show_on_failure are printed; the notes go to stderr, as
# TAP comments, so that prove shows them without -v.
cleanup() {
	local rc=$? f
	eval "$_at_exit"
	for p in $_bg_pids; do { kill -9 "$p" && wait "$p"; } 2>/dev/null; done
	cd / || true
	if [ "$_failed" = 0 ] && [ "$rc" = 0 ]; then
		rm -rf "$TMP"
		return
	fi
	{
		for f in $_show_logs; do
			[ -s "$f" ] || continue
			echo "# --- $f"
			sed 's/^/# /' "$f"
		done
		[ -n "$_seed" ] && echo "# replay with SCALPROF_TEST_SEED=$_seed"
		echo "# kept $TMP for inspection: $_failed failed, exit status $rc"
	} >&2
}
trap cleanup EXIT
cd "$TMP" || exit 1

at_exit() { _at_exit="$_at_exit $1;"; }
show_on_failure() { case " $_show_logs " in *" $1 "*) ;; *) _show_logs="$_show_logs $1" ;; esac; }

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
skip() { # reason [count]
	local i
	for ((i = 0; i < ${2:-1}; i++)); do _n=$((_n + 1)); echo "ok $_n # skip $1"; done
}
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
done_testing() { echo "1..$_n"; [ "$_failed" = 0 ]; exit $?; }
bg() { _bg_pids="$_bg_pids $1"; }

# --- prerequisites
physical_cores() { "$SCALPROF" topology | sed -n 's/.*physical cores: \([0-9]*\).*/\1/p'; }
# Whether this host counts hardware events. perf stat is the peer asked
# (scalprof's own answer is what the tests check); without perf, whether
# the kernel publishes a core PMU in sysfs.
_have_pmu() {
	if command -v perf >/dev/null; then
		! perf stat -e cycles -x, true 2>&1 | grep -q 'not supported'
	else
		local d
		for d in cpu cpu_core cpu_atom armv8_pmuv3_0; do
			[ -e "/sys/bus/event_source/devices/$d" ] && return 0
		done
		return 1
	fi
}
have() { # PREREQ [ARG...]
	local n
	why=""
	case $1 in
	root) [ "$(id -u)" = 0 ] || why="needs root${2:+ ($2)}" ;;
	pmu) _have_pmu || why="no hardware PMU is exposed here" ;;
	cores)
		n=$(physical_cores)
		[ "${n:-0}" -ge "$2" ] || why="needs $2 physical cores, this machine has ${n:-?}"
		;;
	cmd) command -v "$2" >/dev/null || why="needs $2${3:+ ($3)}" ;;
	user) id "$2" >/dev/null 2>&1 || why="needs the user $2" ;;
	group) getent group "$2" >/dev/null || why="needs the group $2" ;;
	perf-stat) perf stat -e task-clock true >/dev/null 2>&1 || why="perf stat cannot count here" ;;
	*)
		echo "Bail out! unknown prerequisite '$1'"
		exit 255
		;;
	esac
	[ -z "$why" ]
}
require() { have "$@" || skip_all "$why"; }
# the name the tests used before require/have
have_pmu() { have pmu; }

use_seed() {
	_seed=${SCALPROF_TEST_SEED:-$(($(date +%s%N) / 1000 % 1000000))}
	case $_seed in '' | *[!0-9]*)
		echo "Bail out! SCALPROF_TEST_SEED must be a number, got '$_seed'"
		exit 255
		;;
	esac
	RANDOM=$_seed
	echo "# seed: $_seed (SCALPROF_TEST_SEED=$_seed replays it)"
}

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
