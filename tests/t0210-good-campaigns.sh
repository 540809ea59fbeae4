#!/bin/bash
# t0210-good-campaigns: the shipped and test campaigns all validate, and
# check says how many runs each plans.
. "$(dirname "$0")/lib/test-lib.sh"

for f in "$SRC_DIR"/config/campaigns/*.yaml "$TESTS_DIR"/campaigns/good/*.yaml; do
	[ -e "$f" ] || continue
	run_sp check "$f"
	is "$rc" 0 "check $(basename "$f"): valid"
	like "$out" "is valid: .* = [0-9]+ runs" "check $(basename "$f"): says how many runs"
done
# the default database must not appear from a check
ok "[ ! -e scalprof.db ]" "check writes no database"
done_testing
