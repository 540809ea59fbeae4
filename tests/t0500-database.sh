#!/bin/bash
# t0500-database: database paths that cannot be used are clear errors
# (exit 2, nothing runs); a newer schema is refused; `scalprof report`
# reads what `run` stored, as text and CSV.
. "$(dirname "$0")/lib/test-lib.sh"

cat >c.yaml <<'YAML'
name: t0500
workers: [1]
repetitions: 2
events: [sched]
workloads:
  - name: t
    command: ["true"]
YAML
run_sp run --no-probe c.yaml --db /nonexistent/dir/x.db
is "$rc" 2 "a database in a missing directory: exit 2"
is "$err" "scalprof: cannot open database '/nonexistent/dir/x.db': unable to open database file" "and the message names it"

ok "sqlite3 future.db 'pragma user_version = 999'" "set-up: a database of schema version 999"
run_sp run --no-probe c.yaml --db future.db
is "$rc" 2 "a database of a newer schema: exit 2"
like "$err" "cannot use database 'future.db': its schema version is 999, newer than this scalprof's [0-9]+: use a newer scalprof" \
	"and the message gives both versions"
is "$(sqlite3 future.db "select count(*) from sqlite_master")" 0 "nothing was written into it"

echo "not a database at all, just some text that is long enough" >junk.db
run_sp run --no-probe c.yaml --db junk.db
is "$rc" 2 "a file that is not a database: exit 2"
like "$err" "junk.db.*not a database" "and the message says so"

run_sp run --no-probe c.yaml --db "$DB" --quiet
is "$rc" 0 "a run into a fresh database"
is "$(q "pragma journal_mode")" wal "the database is in WAL mode"
run_sp report --db "$DB"
is "$rc" 0 "report exits 0"
like "$out" "^workload +mode +N +runs +wall_s +spread +speedup +effic .*task-clock" "report prints the table header"
like "$out" "t +copies +1 +2 " "and the row"
run_sp report --db "$DB" --verbose
like "$out" "^workload +mode +N +runs +wall_s +spread +speedup +effic +bw_GB/s +ceil% +bw_source +wset/LLC +task-clock" \
	"report --verbose prints every column"
run_sp report --db "$DB" --format csv
like "$out" "^workload,mode,n_workers,runs_ok,runs_not_ok,median_wall_s,speedup,efficiency,gb_per_s,ceiling_fraction,bandwidth_source,slowdown_bandwidth,slowdown_cache,slowdown_cpu,working_set_per_llc,verdict,confidence,memory_bandwidth,wall_s_min,wall_s_max,wall_s_lo,wall_s_hi,wall_s_level,efficiency_lo,efficiency_hi,lost_core_s_per_unit,task-clock" "csv header"
like "$out" "t,copies,1,2,0,[0-9.e-]+,1,1,,,none,,,,," "csv row"
run_sp report --db "$DB" --campaign 7
is "$rc" 2 "report of a missing campaign: exit 2"
is "$err" "scalprof: report: no campaign '7' in '$DB' (ids and names: sqlite3 $DB 'select id, name from campaigns')" "and says which"
run_sp report --db nothing-here.db
is "$rc" 2 "report without a database: exit 2"
ok "[ ! -e nothing-here.db ]" "report creates no database"
done_testing
