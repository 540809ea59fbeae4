#!/bin/bash
# t1310-bandit: bandit: [0, 0.5, 1] runs each workload at 1 worker (the
# counts below the cores) beside the bandwidth co-runner paced to each
# level, stores the level and the co-runner's achieved rate per run, and
# fits a curve per workload: slowdown over the level-0 runs against the
# bandwidth taken. stream (4x L3 per array) and busy (registers only)
# must come out apart: stream's slope interval above busy's, or else the
# verdict must say that the runs cannot separate them (or that the
# co-runners could not have raised a curve: the reach), and never call an
# unseparated curve for or against. Bad bandit values are refused with
# FILE:LINE:COL. 2 repetitions x 3 levels x 2 workloads: about 30 s on 2
# cores, most of it the co-runners filling their arrays.
. "$(dirname "$0")/lib/test-lib.sh"

require cores 2
# refused, each with its position and why
bad() { # yaml-line expected-error what
	printf 'name: b\nworkers: [1]\n%s\nworkloads:\n  - name: s\n    builtin: busy\n' "$1" >bad.yaml
	run_sp check bad.yaml
	is "$rc" 2 "$3: refused"
	is "$err" "scalprof: bad.yaml:$2" "$3: the message says where and why"
}
bad "bandit: [0.5]" "3:1: bandit: give from 2 to 11 levels (a curve needs two points), got 1" "one level"
bad "bandit: [0, 2]" "3:13: bandit[1]: a level is a fraction of the co-runner's full rate, from 0 to 1, got 2" \
	"a level above 1"
bad "bandit: [0, 0]" "3:13: bandit[1]: level 0 is listed twice" "a level twice"
bad "bandit: maybe" "3:1: bandit: expected true or false, got 'maybe'" "neither a boolean nor a list"

cat >c.yaml <<'YAML'
name: t1310
workers: [1, 2]
repetitions: 2
events: [sched]
bandit: [0, 0.5, 1]
workloads:
  - name: stream
    builtin: stream
    args: [ntimes=10]
  - name: busy
    builtin: busy
    args: [n=200M]
YAML
# a ceiling, small: a flat curve counts only where the co-runners took
# what it leaves beside a streaming worker (the reach)
run_sp probe --db "$DB" --scale 0.02 -q
is "$rc" 0 "set-up: the machine's ceiling is measured, small"
run_sp run --no-probe c.yaml --db "$DB" -q
is "$rc" 0 "run exits 0"
is "$(q "select count(*) from runs where corunner is null")" 8 "ordinary runs: 2 workloads x 2 counts x 2"
is "$(q "select count(*) from runs where bandit_level is not null and corunner = 'bandwidth' and n_workers = 1")" 12 \
	"bandit runs: 2 workloads x 3 levels x 2, at 1 worker only, beside the bandwidth co-runner"
is "$(q "select group_concat(l) from (select distinct bandit_level l from runs where bandit_level is not null order by l)")" \
	"0.0,0.5,1.0" "each level stored"
is "$(q "select count(*) from interference i join runs r on r.id = i.run_id where r.bandit_level is not null
	and i.rate_alone >= 0 and i.rate_beside >= 0 and i.rate_unit = 'MB/s'")" 12 \
	"each with the co-runner's achieved rate alone and beside"
is "$(q "select count(*) from scaling")" 4 "bandit runs are not part of scaling"
is "$(q "select count(*) from run_metrics where corunner = 'bandwidth' and bandit_level is null")" 0 \
	"and none passes for a classic bandwidth co-run in run_metrics"
# the co-runner's rate rises with the level (medians, wide margins: a
# shared guest's bandwidth moves by tens of percent)
rate() { q "select $2 from interference i join runs r on r.id = i.run_id where r.bandit_level = $1
	order by $2 limit 1 offset 1"; }
a0=$(rate 0 i.rate_alone); a5=$(rate 0.5 i.rate_alone); a1=$(rate 1 i.rate_alone)
b0=$(rate 0 i.rate_beside); b5=$(rate 0.5 i.rate_beside); b1=$(rate 1 i.rate_beside)
echo "# co-runner MB/s alone: level 0 $a0, 0.5 $a5, 1 $a1; beside: $b0, $b5, $b1"
ok "awk 'BEGIN { exit !($a0 == 0 && $b0 == 0) }'" "level 0 takes no bandwidth (it only spins)"
ok "awk 'BEGIN { exit !($a5 > 0.15 * $a1 && $a5 < 0.95 * $a1) }'" "level 0.5 takes part of level 1's rate alone"
ok "awk 'BEGIN { exit !($b5 > $b0 && $b1 > $b0) }'" "and beside the workload, more than level 0"
is "$(q "select count(*) from bandit_curves c join verdicts v on v.id = c.verdict_id where c.n_workers = 1
	and c.points = 6 and c.levels = 3")" 2 "a curve per workload at 1 worker, of 6 runs at 3 levels"
curve() { q "select c.$2 from bandit_curves c join verdicts v on v.id = c.verdict_id where v.workload = '$1'"; }
for w in stream busy; do
	eval "${w}_lo=$(curve $w slope_lo) ${w}_hi=$(curve $w slope_hi) ${w}_shape=$(curve $w shape)"
	echo "# $w: $(curve $w note)"
done
# an unseparated curve is context, never for or against
is "$(q "select count(*) from verdict_evidence e join verdicts v on v.id = e.verdict_id
	join bandit_curves c on c.verdict_id = v.id
	where e.figure = 'bandit_slope' and (c.shape = 'unseparated') != (e.stance = 'context')")" 0 \
	"an unseparated curve is kept as context, a decided one is for or against"
says() { q "select count(*) from verdict_evidence e join verdicts v on v.id = e.verdict_id
	where v.workload = '$1' and e.figure = 'bandit_slope'
	and (e.note like '%cannot separate%' or e.note like '%no curve could rise%')"; }
if awk "BEGIN { exit !($stream_lo > $busy_hi) }"; then
	ok true "stream's slope interval [$stream_lo, $stream_hi] lies above busy's [$busy_lo, $busy_hi]"
elif [ "$stream_shape" = unseparated ] || [ "$busy_shape" = unseparated ]; then
	w=stream; [ "$stream_shape" = unseparated ] || w=busy
	is "$(says $w)" 1 "not separated, and the verdict says why for $w rather than guess"
elif [ "$stream_shape" = flat ] && [ "$busy_shape" = flat ]; then
	# both flat is a measurement only where the co-runners took the reach
	is "$(q "select count(*) from bandit_curves where shape = 'flat' and max_taken_gbps >= reach_gbps")" 2 \
		"both flat, each with its co-runners past the reach ($(q "select group_concat(round(max_taken_gbps, 1)
		|| ' of ' || round(reach_gbps, 1), ', ') from bandit_curves") GB/s): measured, not guessed"
else
	ok false "stream ($stream_shape [$stream_lo, $stream_hi]) and busy ($busy_shape [$busy_lo, $busy_hi])" \
		"decided, yet stream's interval is not above busy's"
fi
run_sp report --db "$DB"
like "$out" "bandit \(1 worker\): slope [-0-9.e]+ \[[-0-9.e]+, [-0-9.e]+\] per GB/s taken, (rising|flat|step|unseparated)" \
	"report prints the curve"
run_sp report --db "$DB" --runs
like "$out" "stream +1 +[12] +bandit@0.5 +ok" "report --runs names the bandit runs with their level"
done_testing
