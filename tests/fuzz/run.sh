#!/bin/sh
# run.sh SECONDS NAME...: runs each libFuzzer harness build/fuzz/fuzz-NAME
# (make fuzz builds them) for SECONDS on a scratch copy of its seeds,
# tests/fuzz/corpus/NAME and tests/fuzz/regressions/NAME, with the
# dictionary tests/fuzz/NAME.dict and the libFuzzer flags in
# tests/fuzz/NAME.options where there are. New inputs go to
# build/fuzz/run/NAME, never into the tree. Prints one line per harness,
#   fuzz: NAME: N execs, cov: X, ft: Y, crashes: Z
# and exits 1 when any harness found a crash, a leak, a hang (-timeout) or
# ran out of memory; the input that did it is left as build/fuzz/NAME-KIND-*
# (crash, leak, timeout, oom), to be replayed with build/fuzz/fuzz-NAME FILE.
# Run from the repository root.
set -u
secs=$1
shift
rc=0
for name in "$@"; do
	run=build/fuzz/run/$name
	rm -rf "$run"
	mkdir -p "$run/corpus" "$run/tmp"
	cp tests/fuzz/corpus/"$name"/* "$run/corpus/"
	[ -d tests/fuzz/regressions/"$name" ] && cp tests/fuzz/regressions/"$name"/* "$run/corpus/"
	dict=""
	[ -f tests/fuzz/"$name".dict ] && dict="-dict=tests/fuzz/$name.dict"
	opts=""
	[ -f tests/fuzz/"$name".options ] && opts=$(grep -v '^#' tests/fuzz/"$name".options)
	echo "fuzz: running $name for $secs s" >&2
	# timeout: a harness stuck outside libFuzzer's own watch still ends
	# shellcheck disable=SC2086
	TMPDIR=$PWD/$run/tmp UBSAN_OPTIONS=print_stacktrace=1 \
	timeout -k 10 $((secs + 120)) build/fuzz/fuzz-"$name" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build/fuzz/"$name"- \
		$dict $opts "$run/corpus" >"$run/log" 2>&1
	st=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$run/log" | tail -1)
	[ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$run/log" | tail -1)
	cov=$(sed -n 's/^#[0-9].* cov: \([0-9]*\).*/\1/p' "$run/log" | tail -1)
	ft=$(sed -n 's/^#[0-9].* ft: \([0-9]*\).*/\1/p' "$run/log" | tail -1)
	crashes=$(grep -c '^artifact_prefix=.*Test unit written to' "$run/log")
	line="fuzz: $name: ${execs:-0} execs, cov: ${cov:-?}, ft: ${ft:-?}, crashes: $crashes"
	if [ "$st" != 0 ] || [ "$crashes" != 0 ]; then
		rc=1
		# what went wrong, and where the input is
		grep -E '^==[0-9]+==ERROR|^SUMMARY|runtime error|Test unit written|ALARM|libFuzzer: ' "$run/log" | head -20 >&2
		[ "$crashes" = 0 ] && line="$line (exit $st: see $run/log)"
	fi
	echo "$line"
done
exit $rc
