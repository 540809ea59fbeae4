#!/bin/bash
# t0900-kernels: scalprof-kernels. Each kernel's checksum for fixed small
# arguments equals the one tests/kernels_expected.py computes independently
# from the kernel's definition; bad arguments are refused with exit status
# 2 and a message naming the argument; SCALPROF_SCALE multiplies the work.
. "$(dirname "$0")/lib/test-lib.sh"

# the sanitized copy when the suite runs under sanitizers
K=${KERNELS_UNDER_TEST:-$(dirname "$SCALPROF")/scalprof-kernels}
ok "[ -x '$K' ]" "scalprof-kernels is built ($K)"
while read -r name args; do
	got=$("$K" $name $args | tail -1)
	want=$(python3 "$TESTS_DIR/kernels_expected.py" $name $args)
	is "$got" "$want" "$name $args: checksum"
done <<'LIST'
busy n=100000
sqrt_list n=100000 reps=3
list_concat n=500
list_copy n=20000
list_slice n=20000
dict_insert n=50000
pagefault size=256K rounds=3
stream size=256K ntimes=3
chase size=256K steps=100000
LIST
ok "[ \"\$($K list_copy n=777 | tail -1)\" = \"\$($K list_slice n=777 | tail -1)\" ]" "copy and slice do the same work"
is "$("$K" sleep seconds=0.05 | tail -1)" "checksum=0000000000000032" "sleep: 50 ms"
is "$(SCALPROF_WORKERS=4 "$K" pingpong messages=50 | grep -E '^(pairs|checksum)=' | tr '\n' ' ')" "pairs=2 checksum=0000000000000064 " \
	"pingpong: 4 workers make 2 pairs of 50 round trips"
like "$("$K" stream size=1M ntimes=2)" "copy_MBps=[0-9]+" "stream reports its bandwidth"
like "$("$K" busy n=1000)" "elapsed_s=[0-9.]+" "every kernel reports its own elapsed time"

# the work scales
is "$(SCALPROF_SCALE=0.5 "$K" busy n=1000 | head -1)" "busy n=500" "SCALPROF_SCALE=0.5 halves busy's n"
is "$(SCALPROF_SCALE=0.5 "$K" stream size=64K ntimes=4 | head -1)" "stream size=65536 ntimes=2" \
	"the scale changes stream's passes, not its array size"
is "$(SCALPROF_SCALE=0.0001 "$K" busy n=1000 | head -1)" "busy n=1" "a tiny scale leaves at least one unit of work"

# bad input
bad() { # args... expected-message
	local want=${*: -1}
	"$K" "${@:1:$#-1}" >/dev/null 2>"$TMP/kerr"
	is "$?" 2 "$* : exit 2"
	is "$(cat "$TMP/kerr")" "$want" "$1 ${2:-}: message"
}
bad busy n=abc "scalprof-kernels: busy: n: expected a count (suffixes k, M, G), got 'abc'"
bad busy m=1 "scalprof-kernels: busy: unknown argument 'm' for builtin busy (arguments: n)"
bad busy 5 "scalprof-kernels: busy: expected NAME=VALUE, got '5' (arguments of busy: n)"
bad busy n=0 "scalprof-kernels: busy: n: 0 is out of range [1, 1e+13]"
bad busy n=1.5 "scalprof-kernels: busy: n: expected a count (suffixes k, M, G), got '1.5'"
bad stream size=12X "scalprof-kernels: stream: size: expected a size in bytes (suffixes K, M, G), got '12X'"
bad sleep seconds=-1 "scalprof-kernels: sleep: seconds: -1 is out of range [0, 86400]"
bad nosuch "scalprof-kernels: unknown kernel 'nosuch' (--list names them)"
bad busy n=5 n=6 "scalprof-kernels: busy: n is given twice"
bad busy n=1K "scalprof-kernels: busy: n: expected a count (suffixes k, M, G), got '1K'"
bad chase size=0x1000 "scalprof-kernels: chase: size: expected a size in bytes (suffixes K, M, G), got '0x1000'"
SCALPROF_SCALE=-1 "$K" busy n=10 >/dev/null 2>"$TMP/kerr"
is "$?" 2 "a bad SCALPROF_SCALE: exit 2"
"$K" >/dev/null 2>&1
is "$?" 2 "no kernel: exit 2"
list=$("$K" --list)
for k in busy sleep sqrt_list list_concat list_copy list_slice dict_insert stream chase pagefault pingpong; do
	like "$list" "^$k: |
$k: " "--list names $k"
done
done_testing
