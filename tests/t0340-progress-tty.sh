#!/bin/bash
# t0340-progress-tty: on a terminal, `scalprof run` keeps one live progress
# line (run i of M, workload, worker count, repetition, elapsed, ETA),
# rewritten in place; the result table follows it.
. "$(dirname "$0")/lib/test-lib.sh"

require cmd script "for a pseudo-terminal"
cat >c.yaml <<'YAML'
name: t0340
workers: [1]
repetitions: 3
events: [sched]
workloads:
  - name: nap
    command: [sleep, "0.7"]
YAML
script -qec "$SCALPROF run --no-probe c.yaml --db $DB" /dev/null >tty.out 2>&1
is "$?" 0 "run on a pseudo-terminal exits 0"
ok "grep -aq \$'\\r\\033\\[K\\[run 2/3\\] nap, 1 worker, rep 2/3  elapsed 0:0[0-9]  ETA 0:0[0-9]' tty.out" \
	"a progress line rewritten in place with run, workload, workers, repetition, elapsed and ETA"
is "$(grep -ac '^run [0-9]/3:' tty.out)" 0 "no plain per-run lines on a terminal"
ok "grep -aq 'nap  *copies  *1  *3 ' tty.out" "the result table follows"
done_testing
