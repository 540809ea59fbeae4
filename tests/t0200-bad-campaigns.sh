#!/bin/bash
# t0200-bad-campaigns: every malformed campaign in tests/campaigns/bad is
# refused by `check` and by `run` with exit status 2 and exactly the message
# in the .err file beside it (FILE:LINE:COL: FIELD.PATH: what), and `run`
# writes no database. The machine is a synthetic 2-core one, so the messages
# do not depend on the host.
. "$(dirname "$0")/lib/test-lib.sh"

export SCALPROF_TOPOLOGY="synthetic:pack:1 core:2 pu:1"
cd "$TESTS_DIR/campaigns/bad" || exit 1
count=0
for f in *.yaml; do
	name=${f%.yaml}
	want=$(cat "$name.err")
	run_sp check "$f"
	is "$rc" 2 "check $name: exit status 2"
	is "$err" "$want" "check $name: message"
	is "$out" "" "check $name: nothing on stdout"
	run_sp run --no-probe "$f" --db "$TMP/$name.db"
	is "$rc" 2 "run $name: exit status 2"
	is "$err" "$want" "run $name: the same message"
	ok "[ ! -e '$TMP/$name.db' ]" "run $name: no database written"
	count=$((count + 1))
done
ok "[ $count -ge 15 ]" "at least 15 malformed campaigns ($count)"
done_testing
