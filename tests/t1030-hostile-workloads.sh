#!/bin/bash
# t1030-hostile-workloads: workloads that fight back are bounded. One forks
# a tree of children, one ignores SIGTERM, one closes its stdout, one writes
# 1 GiB to stdout: the first two are killed at the timeout with their whole
# tree and stored as timeout; the others are stored with their status and
# byte counts; and scalprof's memory does not grow with a workload's output
# (only the last 64 KiB of each stream is kept).
. "$(dirname "$0")/lib/test-lib.sh"

# durations no other process uses, to find the tree's processes by
marker=61.1030
cat >hostile.yaml <<YAML
name: hostile
workers: [1]
repetitions: 1
timeout_s: 2
events: [sched]
workloads:
  - name: tree
    command: [sh, -c, "for i in 1 2 3; do (sleep $marker & sleep $marker; wait) & done; sleep $marker"]
  - name: noterm
    command: [python3, -c, "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"]
  - name: closed
    command: [sh, -c, "exec 1>&-; echo gone >&2; sleep 0.2"]
  - name: flood
    command: [head, -c, 1073741824, /dev/zero]
YAML
# scalprof's own peak RSS, and its workers', as the parent sees them
peak() { python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"; }
rss_big=$(peak "$SCALPROF" run --no-probe hostile.yaml --db "$DB" -q)
runq() { q "select r.status || '|' || w.status || '|' || ifnull(w.signal, '-') from runs r join workers w
	on w.run_id = r.id where r.workload = '$1'"; }
is "$(runq tree)" "timeout|timeout|9" "a tree of children: killed at the timeout"
ok "! pgrep -f '$marker' >/dev/null" "with its whole tree"
is "$(runq noterm)" "timeout|timeout|9" "a worker ignoring SIGTERM is killed at the timeout"
is "$(runq closed)" "ok|ok|-" "a worker that closes its stdout is stored ok"
like "$(q "select cast(stderr_tail as text) from workers w join runs r on r.id = w.run_id where r.workload = 'closed'")" \
	"gone" "with what it wrote to stderr"
is "$(runq flood)" "ok|ok|-" "a worker writing 1 GiB to stdout is stored ok"
is "$(q "select stdout_bytes || ' ' || length(stdout_tail) from workers w join runs r on r.id = w.run_id
	where r.workload = 'flood'")" "1073741824 65536" "every byte counted, the last 64 KiB kept"
sed -i 's/1073741824/1048576/' hostile.yaml
sed -i '/name: tree/,/name: closed/{/name: closed/!d}' hostile.yaml
rss_small=$(peak "$SCALPROF" run --no-probe hostile.yaml --db small.db -q)
echo "# peak RSS (scalprof or a worker): $rss_big KiB with 1 GiB of output, $rss_small KiB with 1 MiB"
ok "[ $rss_big -lt $((rss_small + 16384)) ]" "scalprof's memory does not grow with a workload's output (within 16 MiB for 1023 MiB more)"
done_testing
