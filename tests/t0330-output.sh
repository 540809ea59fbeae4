#!/bin/bash
# t0330-output: a worker's stdout and stderr are kept apart from scalprof's
# own output; the last 64 KiB of each are stored with the total byte count;
# a workload that writes hundreds of megabytes does not grow scalprof's
# memory; a workload that closes its stdout still runs.
. "$(dirname "$0")/lib/test-lib.sh"

cat >c.yaml <<'YAML'
name: t0330
workers: [1]
repetitions: 1
events: [sched]
workloads:
  - name: flood
    command: [sh, -c, "head -c 268435456 /dev/zero; echo; echo LAST-LINE; echo to-stderr >&2; grep VmHWM /proc/$PPID/status >&2"]
  - name: closed
    command: [sh, -c, "exec >&- 2>&-; sleep 0.05"]
  - name: lines
    command: [seq, 1, 200000]
  - name: small
    command: [sh, -c, "printf 'hello\\n'"]
YAML
run_sp run --no-probe c.yaml --db "$DB"
is "$rc" 0 "run exits 0"
ok "! printf '%s' \"\$out\" | grep -q LAST-LINE" "the workload's output does not reach scalprof's stdout"
is "$(q "select stdout_bytes from workers w join runs r on r.id = w.run_id where workload = 'flood'")" \
	$((268435456 + 1 + 10)) "every byte written is counted"
is "$(q "select length(stdout_tail) from workers w join runs r on r.id = w.run_id where workload = 'flood'")" 65536 \
	"only the last 64 KiB are stored"
like "$(q "select cast(substr(stdout_tail, -10) as text) from workers w join runs r on r.id = w.run_id where workload = 'flood'")" \
	"LAST-LINE" "and they are the last bytes"
hwm=$(q "select cast(stderr_tail as text) from workers w join runs r on r.id = w.run_id where workload = 'flood'" |
	sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p')
like "$(q "select cast(stderr_tail as text) from workers w join runs r on r.id = w.run_id where workload = 'flood'")" \
	"^to-stderr" "stderr is kept separately"
ok "[ -n '$hwm' ] && [ '$hwm' -lt 200000 ]" "scalprof's peak memory stays far below the 256 MiB written (${hwm:-?} kB)"
is "$(q "select w.status || ',' || stdout_bytes || ',' || ifnull(length(stdout_tail), 0) from workers w join runs r on r.id = w.run_id where workload = 'closed'")" \
	"ok,0,0" "a workload that closes stdout runs and stores nothing"
is "$(q "select cast(stdout_tail as text) from workers w join runs r on r.id = w.run_id where workload = 'small'")" \
	"hello" "small output is stored whole"
seq 1 200000 | tail -c 65536 >want.txt
q "select writefile('got.txt', stdout_tail) from workers w join runs r on r.id = w.run_id where workload = 'lines'" >/dev/null
ok "cmp -s want.txt got.txt" "the stored tail is exactly the last 64 KiB, in order, across many wraps of the ring"
done_testing
