#!/bin/bash
# t0310-failures: a timeout (with a tree of children), a crash, a program
# that does not exist, a cwd removed before its run and a non-zero exit are each stored with
# their status, and the campaign goes on to the next run; `run` exits 1; no
# process of any run survives.
. "$(dirname "$0")/lib/test-lib.sh"

marker="sleep 3$$.5"
mkdir "$TMP/gone" # exists when the campaign is checked, removed by a run before badcwd's
cat >c.yaml <<YAML
name: t0310
workers: [1]
repetitions: 1
timeout_s: 0.5
events: [sched]
workloads:
  - name: tree
    command: [sh, -c, "$marker & (setsid $marker &) ; $marker; echo never"]
  - name: crash
    command: [sh, -c, "echo about to crash; kill -SEGV \$\$"]
  - name: missing
    command: [/nonexistent/program, arg]
  - name: rmdir
    command: [rmdir, $TMP/gone]
  - name: badcwd
    command: ["true"]
    cwd: $TMP/gone
  - name: exit3
    command: [sh, -c, "echo oops >&2; exit 3"]
  - name: fine
    command: ["true"]
YAML
run_sp run --no-probe c.yaml --db "$DB"
is "$rc" 1 "run exits 1 when runs failed"
like "$err" "5 of 7 runs did not succeed \(4 failed, 1 timed out\)" "and says how many"
is "$(q "select group_concat(workload || ':' || status, ' ') from (select * from runs order by seq)")" \
	"tree:timeout crash:failed missing:failed rmdir:ok badcwd:failed exit3:failed fine:ok" "every run stored with its status, in order"
is "$(q "select status from campaigns")" done "the campaign itself completed"

is "$(q "select w.status || ',' || w.signal from workers w join runs r on r.id = w.run_id where r.workload = 'tree'")" \
	"timeout,9" "timeout: killed with SIGKILL"
like "$(q "select wall_ns from runs where workload = 'tree'")" "^[0-9]+$" "timeout: wall time kept"
ok "[ $(q "select wall_ns < 20000000000 from runs where workload = 'tree'") = 1 ]" "timeout: ended near 0.5 s, not after the sleeps"
sleep 0.2
ok "! pgrep -f '$marker' >/dev/null" "no process of the timed-out tree survives (setsid one included)"

is "$(q "select w.status || ',' || w.signal || ',' || w.error from workers w join runs r on r.id = w.run_id where r.workload = 'crash'")" \
	"signaled,11,killed by signal 11 (Segmentation fault)" "crash: signal stored"
is "$(q "select cast(stdout_tail as text) from workers w join runs r on r.id = w.run_id where r.workload = 'crash'")" \
	"about to crash" "crash: its last output explains it"
is "$(q "select w.status || ',' || w.exec_errno || ',' || w.error from workers w join runs r on r.id = w.run_id where r.workload = 'missing'")" \
	"exec_failed,2,cannot execute '/nonexistent/program': No such file or directory" "exec failure: errno and message"
is "$(q "select error from runs where workload = 'missing'")" \
	"worker 1: cannot execute '/nonexistent/program': No such file or directory" "the run says why"
is "$(q "select w.status || ',' || w.error from workers w join runs r on r.id = w.run_id where r.workload = 'badcwd'")" \
	"exec_failed,cannot change to directory '$TMP/gone': No such file or directory" "a cwd gone by run time is an exec failure"
is "$(q "select count(*) from counters c join runs r on r.id = c.run_id where r.workload = 'missing'
	and c.status = 'not_counted' and c.value is null")" 4 "counters of a worker that never ran: not counted, no value"
is "$(q "select w.status || ',' || w.exit_code || ',' || cast(w.stderr_tail as text) from workers w join runs r on r.id = w.run_id where r.workload = 'exit3'")" \
	"exit_nonzero,3,oops" "non-zero exit: code and stderr"
is "$(q "select group_concat(workload) from (select workload from scaling order by workload)")" "fine,rmdir" "only the ok workloads appear in the scaling view"
done_testing
