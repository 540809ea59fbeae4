#!/bin/bash
# t1050-full-disk: a campaign whose database runs out of space stops with a
# clear error and exit 1; the database stays consistent (integrity_check)
# and every run stored before is intact. The database lives on a small
# tmpfs; where mounting is not allowed, RLIMIT_FSIZE stands in for it.
. "$(dirname "$0")/lib/test-lib.sh"

mkdir small
if mount -t tmpfs -o size=768k tmpfs small 2>/dev/null; then
	how="a 768 KiB tmpfs"
	at_exit 'umount "$TMP/small" 2>/dev/null'
	limit() { "$@"; }
else
	how="RLIMIT_FSIZE of 768 KiB"
	limit() { bash -c 'trap "" XFSZ; ulimit -f 768; exec "$@"' limit "$@"; }
fi
DB=$TMP/small/full.db
cat >fill.yaml <<YAML
name: fill
workers: [1]
repetitions: 40
interval_ms: 0
events: [sched]
workloads:
  - name: chatty
    command: [sh, -c, "head -c 60000 /dev/urandom | od -An -tx1 | head -c 60000"]
YAML
limit "$SCALPROF" run --no-probe fill.yaml --db "$DB" -q >out 2>err
rc=$?
echo "# on $how: $(tail -1 err)"
is "$rc" 1 "running out of space exits 1"
like "$(cat err)" "could not be stored: .*(database or disk is full|No space left on device|File too large)" \
	"with a message that says the disk is full"
stored=$(q "select count(*) from runs")
ok "[ $stored -gt 0 ] && [ $stored -lt 40 ]" "it stopped part way ($stored of 40 runs stored)"
is "$(q 'pragma integrity_check')" ok "the database passes integrity_check"
is "$(q "select status from campaigns")" failed "the campaign is marked failed"
is "$(q "select count(*) from runs r where status = 'ok' and (select count(*) from workers w where w.run_id = r.id) = 1
	and (select stdout_bytes from workers w where w.run_id = r.id) > 0")" "$stored" "every stored run is whole"
is "$(q "select count(*) from runs r where not exists (select 1 from counters c where c.run_id = r.id)")" 0 \
	"with its counters"
done_testing
