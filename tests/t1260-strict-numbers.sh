#!/bin/bash
# t1260-strict-numbers: a campaign's decimal fields are read from the text
# itself, not with strtod's leniency. timeout_s takes a number of seconds or
# one with a unit (500ms, 90s, 2m, 1h), stored in seconds and obeyed at run
# time; scale takes a decimal number. Trailing characters, percentages,
# decimal commas and hexadecimal are refused at their position with exit
# status 2.
. "$(dirname "$0")/lib/test-lib.sh"

export SCALPROF_TOPOLOGY="synthetic:pack:1 core:2 pu:1"
cd "$TMP" || exit 1

# campaign FILE TIMEOUT SCALE [COMMAND]: one run of COMMAND (default true)
campaign() {
	cat >"$1" <<YAML
name: n
workers: [1]
repetitions: 1
events: [sched]
timeout_s: $2
scale: $3
workloads:
  - name: a
    command: [${4:-"true"}]
YAML
}

# durations: each unit, stored in seconds
for pair in "90:90" "90s:90" "2m:120" "500ms:0.5" "1h:3600" "1.5m:90" "'90 s':90"; do
	given=${pair%:*} want=${pair##*:}
	campaign d.yaml "$given" 1
	rm -f "$TMP/d.db"
	run_sp run --no-probe --quiet d.yaml --db "$TMP/d.db"
	is "$rc" 0 "timeout_s: $given is taken"
	is "$(sqlite3 -batch -noheader "$TMP/d.db" "select printf('%g', timeout_s) from conditions")" "$want" \
		"timeout_s: $given is stored as $want s"
done

# a unit is obeyed: 500ms kills a 5-second sleep after half a second
campaign t.yaml 500ms 1 "sleep, '5'"
start=$(date +%s%N)
run_sp run --no-probe --quiet t.yaml --db "$TMP/t.db"
ms=$((($(date +%s%N) - start) / 1000000))
is "$rc" 1 "a run past timeout_s: 500ms fails the campaign"
is "$(sqlite3 -batch -noheader "$TMP/t.db" "select status from runs")" timeout "and is stored as a timeout"
ok "[ $ms -lt 4000 ]" "after about half a second, not 500 s or 5 s ($ms ms in all)"

# scale: decimal numbers taken
for pair in "0.5:0.5" "2:2" "1e-1:0.1" ".25:0.25" "'3':3"; do
	given=${pair%:*} want=${pair##*:}
	campaign s.yaml 10 "$given"
	run_sp check s.yaml
	is "$rc" 0 "scale: $given is taken"
	like "$out" ", scale $want\$" "scale: $given is $want"
done

# refused, each with its position and what was expected
refuse() { # FIELD VALUE MESSAGE
	if [ "$1" = scale ]; then campaign r.yaml 10 "$2"; else campaign r.yaml "$2" 1; fi
	run_sp check r.yaml
	is "$rc" 2 "$1: $2 is refused (exit 2)"
	is "$err" "scalprof: r.yaml:$([ "$1" = scale ] && echo 6 || echo 5):1: $1: $3" "$1: $2: the message"
	run_sp run --no-probe r.yaml --db "$TMP/r.db"
	is "$rc" 2 "$1: $2: run refuses it too"
	ok "[ ! -e '$TMP/r.db' ]" "$1: $2: and writes no database"
}
dur="expected a duration like 90 (seconds), 90s, 2m, 500ms or 1h"
num="expected a number like 0.5"
refuse timeout_s 2min "$dur, got '2min'"
refuse timeout_s 10x "$dur, got '10x'"
refuse timeout_s 2.5.1 "$dur, got '2.5.1'"
refuse timeout_s s "$dur, got 's'"
refuse timeout_s 0x10 "$dur, got '0x10' (only decimal numbers are taken)"
refuse timeout_s "'1,5'" "$dur, got '1,5' (the decimal separator is a point)"
refuse timeout_s 0ms "must be a number of seconds above 0 (at most a week), got 0"
refuse timeout_s 169h "must be a number of seconds above 0 (at most a week), got 608400"
refuse scale "'30%'" "$num, got '30%' (a percentage: write it as a fraction, 0.3 for 30%)"
refuse scale "'1,5'" "$num, got '1,5' (the decimal separator is a point)"
refuse scale 0x10 "$num, got '0x10' (only decimal numbers are taken)"
refuse scale 2x "$num, got '2x'"
refuse scale inf "$num, got 'inf'"
refuse scale nan "$num, got 'nan'"
refuse scale 1s "$num, got '1s'"
done_testing
