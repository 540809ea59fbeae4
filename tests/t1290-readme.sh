#!/bin/bash
# t1290-readme: README's "Using it" commands and its campaign, run as
# written (build/scalprof is the binary under test; an optional [PART] is
# left out; RUN_ID is the first run and A B the two campaigns the commands
# made), in a directory holding the prog.py and my_threads.py they name.
. "$(dirname "$0")/lib/test-lib.sh"

require cmd python3
# probes at a small size: what is checked is that the commands run
export SCALPROF_PROBE_MAX_MIB=8
readme=$SRC_DIR/README.md
awk '/^```yaml/ {f = 1; next} /^```/ {f = 0} f' "$readme" >my.yaml
cat >prog.py <<'PY'
print(sum(i * i for i in range(200000)))
PY
cat >my_threads.py <<'PY'
import os, threading
ts = [threading.Thread(target=lambda: sum(range(200000))) for _ in range(int(os.environ["SCALPROF_WORKERS"]))]
[t.start() for t in ts]
[t.join() for t in ts]
PY
ok "[ -s my.yaml ]" "README has a campaign"
# the commands of the "Using it" block, one per line, comments dropped
awk '/^## Using it/ {u = 1} u && /^```sh/ {f = 1; next} f && /^```/ {exit} f' "$readme" |
	sed -e 's/ *#.*//' -e '/^ *$/d' >commands
ok "[ \$(wc -l <commands) -ge 10 ]" "README lists its commands ($(wc -l <commands))"
while IFS= read -r line; do
	cmd=$(sed -e "s|^build/scalprof|\"\$SCALPROF\"|" -e 's/ \[[^]]*\]//g' -e 's/RUN_ID/1/' -e 's/ A B$/ 1 2/' <<<"$line")
	eval "$cmd" >out 2>err </dev/null
	rc=$?
	case "$line" in *"check - <my.yaml"*) eval "$cmd" >out 2>err; rc=$? ;; esac
	is "$rc" 0 "README: $line"
	[ "$rc" = 0 ] || sed 's/^/# /' err | tail -3
done <commands
is "$(sqlite3 scalprof.db "select count(*) from campaigns where status = 'done'")" 2 "both campaigns done in ./scalprof.db"
is "$(sqlite3 scalprof.db "select count(*) from runs where status = 'ok' and campaign_id = 2")" 18 \
	"README's campaign: 3 workloads x 2 worker counts x 3 repetitions, all ok"
done_testing
