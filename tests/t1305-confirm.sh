#!/bin/bash
# t1305-confirm: interventions chosen by the verdict, on a workload whose
# cause is known because it is built in: at 2 workers each copy also spends
# about 0.45 s in the kernel (reading /dev/urandom), unless MALLOC_TOP_PAD_
# is set, the way glibc's pinned malloc thresholds spare seed 002's list
# tasks their page faults. So the leading component of its speedup stack is
# extra kernel CPU; confirm: true runs the three interventions that test
# it (malloc-pinned, malloc-hugepages, no-thp) at 1 and 2 workers, and only
# malloc-pinned removes it: the verdict says the cause was confirmed by
# intervention, naming it. A workload that scales gets none. `scalprof
# confirm` does the same for a campaign stored without the key, and makes
# nothing twice. Then the same campaign under scalprofd, killed with -9
# in the middle of its interventions and started again: the interventions
# resume like any other run, each present once, and the verdict is the same.
. "$(dirname "$0")/lib/test-lib.sh"
. "$TESTS_DIR/lib/daemon.sh"

require cmd dd
[ "$(physical_cores)" -ge 2 ] || skip_all "needs 2 physical cores"
workload() { # NAME, with the kernel time at 2 workers or without
	cat <<YAML
  - name: $1
    command: [sh, -c, 'sleep 0.3; i=0; while [ \$i -lt 60000 ]; do i=\$((i+1)); done; if [ "\$SCALPROF_WORKERS" -gt 1 ] && [ -z "\$MALLOC_TOP_PAD_" ] && [ $2 = 1 ]; then dd if=/dev/urandom of=/dev/null bs=1M count=300 2>/dev/null; fi']
YAML
}
campaign() { # NAME CONFIRM
	printf 'name: %s\nworkers: [1, 2]\nrepetitions: 3\nconfirm: %s\nevents: [sched]\nworkloads:\n' "$1" "$2"
	workload faulty 1
	workload steady 0
}
campaign known true >known.yaml
DB=$TMP/fg.db
run_sp run known.yaml --db "$DB" --no-probe --verbose
is "$rc" 0 "a campaign with confirm: true runs"
like "$out" "confirm: [0-9]+ runs of interventions" "it announces the interventions"
like "$out" "faulty: malloc-pinned, malloc-hugepages, no-thp \\(extra kernel CPU\\) at 1 and 2 workers" \
	"chosen for the faulty workload's extra kernel CPU"
# the steady workload loses nothing by design, but a busy host (a
# sanitized build, CI) can make it lose some: it gets interventions only
# when its verdict is not "scales", and whatever they are, faulty's are
# counted on their own below
if [ "$(q "select verdict from verdicts where workload = 'steady'")" = scales ]; then
	! grep -q "steady: malloc" <<<"$out"
	ok "[ $? = 0 ]" "none for the steady workload, which scales"
else
	ok true "the steady workload did not scale on this busy host: $(q "select verdict from verdicts where workload = 'steady'")"
fi
echo "# $(grep -A3 '^confirm:' <<<"$out" | tr '\n' '|')"
is "$(q "select count(*) from runs where workload = 'faulty' and variant is not null and status = 'ok'")" 18 \
	"faulty's 18 intervention runs stored, ok: 3 variants x 2 counts x 3 repetitions"
is "$(q "select group_concat(name || ':' || chosen_by || ':' || tests, ' ') from (select * from variants order by name)")" \
	"malloc-hugepages:confirm:extra-kernel malloc-pinned:confirm:extra-kernel no-thp:confirm:extra-kernel" \
	"the variants table says confirm chose them, for the extra kernel CPU"
is "$(q "select count(distinct n_workers) || ' ' || min(n_workers) || ' ' || max(n_workers) from runs where variant is not null")" \
	"2 1 2" "each at 1 worker and at the worst count, 2"
is "$(q "select intervention from verdicts where workload = 'faulty'")" confirmed \
	"the faulty workload's verdict: confirmed by intervention"
like "$(q "select intervention_text from verdicts where workload = 'faulty'")" \
	"extra kernel CPU\\) confirmed as the cause by intervention: malloc-pinned removed" "by malloc-pinned"
echo "# $(q "select intervention_text from verdicts where workload = 'faulty'")"
is "$(q "select count(*) from verdicts where workload = 'steady' and verdict = 'scales' and intervention is not null")" 0 \
	"a workload that scales has no intervention"
kern() { q "select round(value, 3) from variant_effects e join verdicts v on v.id = e.verdict_id
	where v.workload = 'faulty' and e.variant = '$1' and e.component = 'extra-kernel'"; }
ok "awk 'BEGIN { exit !($(kern malloc-pinned) < 0.1 && $(kern no-thp) > 0.2) }'" \
	"variant_effects: malloc-pinned's extra kernel CPU $(kern malloc-pinned) core-s per unit, no-thp's $(kern no-thp)"
run_sp report --db "$DB"
joined=$(tr '\n' ' ' <<<"$out" | tr -s ' ')
like "$joined" "cause confirmed by intervention" "the report's verdict line says so"
like "$joined" "intervention: page faults and other kernel work" "and its details the figures"

# scalprof confirm: the same for a campaign stored without the key
campaign later false >later.yaml
DB=$TMP/later.db
run_sp run later.yaml --db "$DB" --no-probe --quiet
is "$rc" 0 "a campaign without confirm runs"
is "$(q "select count(*) from runs where variant is not null")" 0 "and makes no intervention"
run_sp confirm later --db "$DB" --quiet
is "$rc" 0 "scalprof confirm later: exit 0"
is "$(q "select count(*) from runs where workload = 'faulty' and variant is not null and status = 'ok'")" 18 \
	"it made faulty's 18 interventions"
made=$(q "select count(*) from runs")
is "$(q "select intervention from verdicts where workload = 'faulty'")" confirmed "and judged them: confirmed"
run_sp confirm --db "$DB"
like "$out" "confirm: 0 runs of interventions" "a second confirm makes nothing again"
is "$(q "select count(*) from runs")" "$made" "the campaign still has its $made runs"
run_sp confirm nosuch --db "$DB"
is "$rc" 2 "confirm of an unknown campaign: exit 2"
like "$err" "no campaign 'nosuch'" "saying so"

# scalprofd, killed -9 during the interventions, then started again
DB=$TMP/sp.db
daemon_config root </dev/null
ok small_ceiling "set-up: the machine's ceiling is measured once, small"
campaign daemon true >daemon.yaml
ok start_daemon "scalprofd starts"
submit daemon.yaml
is "$rc" 0 "the campaign is submitted"
ok "wait_queue $id \"(select count(*) from runs where variant is not null and status = 'ok') >= 4
	and live_pgids is not null\" 90" "set-up: 4 interventions are stored and another is running"
before=$(q "select count(*) from runs where variant is not null and status = 'ok'")
stop_daemon KILL
echo "# kill -9 after $before interventions"
ok start_daemon "scalprofd starts again"
wait_qstatus "$id" done 120
is "$(qstatus "$id")" done "the campaign completes after the restart"
# the interventions planned before the kill, as scalprofd logged them
planned=$(sed -n 's/.*queue [0-9]*: confirm: \([0-9]*\) runs of interventions (0 stored already).*/\1/p' "$DLOG" | head -1)
ok "[ \"\${planned:-0}\" -ge 18 ]" "before the kill scalprofd planned ${planned:-no} interventions (18 of them faulty's)"
is "$(q "select count(*) from (select workload, n_workers, repetition, variant, count(*) c from runs
	where status = 'ok' and variant is not null group by 1, 2, 3, 4) where c = 1")" "$planned" \
	"every planned intervention run is present once, ok"
ok "[ \$(q \"select count(*) from runs where variant is not null and status = 'ok'\") -eq ${planned:-0} ]" \
	"none made twice: the restart made only the $((${planned:-0} - before)) missing"
is "$(q "select runs_done || '/' || runs_total from queue where id = $id")" \
	"$(q "select count(*) from runs where status = 'ok'")/$((12 + ${planned:-0}))" \
	"the queue counts the interventions in its total"
is "$(q "select intervention from verdicts where workload = 'faulty'")" confirmed \
	"after the restart the verdict is the same: confirmed by intervention"
done_testing
