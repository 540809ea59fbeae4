#!/bin/bash
# t0990-verdict: the verdict engine on fixture databases, one per verdict
# class (tests/fixtures/verdict/fixtures.py), including contradicting
# evidence and missing data: each gets its verdict, its memory-bandwidth
# status and the figures it must cite, through `scalprof report --format
# json`. Also: the run_metrics view's arithmetic on a fixture, the text and
# CSV reports, --plot, and that every threshold of daemon/analysis/thresholds.def is
# documented with its value in scalprof-verdict(7).
. "$(dirname "$0")/lib/test-lib.sh"

FIX=$SRC_DIR/tests/fixtures/verdict/fixtures.py
version=$(sed -n 's/^-- version: \([0-9]*\).*/\1/p' "$SRC_DIR/schema.sql" | tail -1)
mkdb() { # NAME: a fresh database from schema.sql holding fixture NAME
	rm -f "$1.db"
	{ cat "$SRC_DIR/schema.sql"; echo "PRAGMA user_version = $version;"; python3 "$FIX" "$1"; } |
		sqlite3 -batch "$1.db"
}
# what report --format json says: verdict, bandwidth status, and each
# evidence item as "hypothesis figure stance"
judge() {
	"$SCALPROF" report --db "$1.db" --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
v = d["verdicts"][0]
print(v["verdict"], v["memory_bandwidth"]["status"])
for h in v["hypotheses"]:
    for e in h["evidence"]:
        print(h["hypothesis"], e["figure"], e["stance"])
print("REASON", v["reason"])
print("LINE", v["memory_bandwidth"]["line"])'
}

while read -r name want_verdict want_bw; do
	if ! mkdb "$name" 2>"$name.err"; then
		_report 0 "$name: fixture loads"; cat "$name.err"; continue
	fi
	got=$(judge "$name")
	is "$(head -1 <<<"$got")" "$want_verdict $want_bw" "$name: verdict $want_verdict, memory-bandwidth $want_bw"
	while read -r h fig stance; do
		ok "grep -qx '$h $fig $stance' <<<\"\$got\"" "$name: cites $fig $stance $h"
	done < <(python3 "$FIX" --evidence "$name")
done < <(python3 "$FIX" --list)

# what the inconclusive verdicts say
ok "mkdb inconclusive" "set-up: the inconclusive fixture loads"
like "$(judge inconclusive | grep ^REASON)" "run again with interference: true" \
	"inconclusive without counters or co-runs says to run again with interference"
like "$(judge inconclusive | grep ^LINE)" "^LINE not testable on this host: .*no memory-controller PMU exposed" \
	"the bandwidth line says why it cannot be tested here"
ok "mkdb missing-baseline" "set-up: the missing-baseline fixture loads"
like "$(judge missing-baseline | grep ^REASON)" "no ok run with 1 worker" "a missing baseline is named"
ok "mkdb one-count" "set-up: the one-count fixture loads"
like "$(judge one-count | grep ^REASON)" "more than 1 worker" "a single worker count is named"
ok "mkdb contradicting" "set-up: the contradicting fixture loads"
like "$(judge contradicting | grep ^LINE)" "^LINE mixed: 1 figure for, 1 against" "contradicting evidence is shown as mixed"

# run_metrics arithmetic on the kernel fixture: 2 copies, wall 1.5 s, each
# 1.5 s of CPU of which 60% in the kernel, 200000 faults, 20 switches
DB=kernel.db
is "$(q "select round(cpu_utilisation, 3), round(kernel_share, 3), work_units, round(page_faults_per_s),
	round(context_switches_per_unit, 1), round(kernel_s_per_unit, 3) from run_metrics where n_workers = 2
	and repetition = 1")" "2.0|0.6|2|266667.0|20.0|0.9" "run_metrics: utilisation, kernel share, per-unit costs"
is "$(q "select count(*), round(min(cpu_utilisation), 3) from worker_metrics where n_workers = 2 and repetition = 1")" \
	"2|1.0" "worker_metrics: one row per worker"
DB=bandwidth-counters.db
is "$(q "select round(ipc, 3), round(llc_mpki, 1), round(llc_miss_ratio, 2), round(gb_per_s, 1),
	round(ceiling_fraction, 3) from run_metrics where n_workers = 2 and repetition = 1")" \
	"0.392|42.0|0.84|30.0|0.833" "run_metrics: IPC, MPKI, miss ratio, bandwidth and its ceiling fraction"
DB=serialized.db
is "$(q "select round(cpu_utilisation, 2), work_units from run_metrics where n_workers = 2 and repetition = 1")" \
	"1.0|1" "a team: CPU utilisation summed over its threads, one unit of work"

# the text report carries the verdict and one explicit bandwidth line
run_sp report --db bandwidth-counters.db --verbose
is "$rc" 0 "text report exits 0"
like "$out" "w \(copies\): memory-bandwidth, high confidence" "text: the verdict and its confidence"
like "$out" "memory-bandwidth: supported: 31.0 GB/s, 78% of this machine's ceiling at 4 workers" "text: the bandwidth line"
like "$out" "for +ceiling_fraction = 0.775 at N=4 \(>= 0.7 \(ceiling_near\)\)" "text: the evidence with its threshold"
run_sp report --db cache-interference.db --format csv
like "$(sed -n 2p <<<"$out")" "^w,copies,1,3,0,.*,shared-cache,high,contradicted" "csv: verdict columns"
run_sp report 1 --db kernel.db
is "$rc" 0 "report CAMPAIGN by id"
run_sp report kernel --db kernel.db --format json
is "$rc" 0 "report CAMPAIGN by name"
run_sp report nosuch --db kernel.db
is "$rc" 2 "an unknown campaign name exits 2"
like "$err" "no campaign 'nosuch'" "and says which"
run_sp report --db kernel.db --format yaml
is "$rc" 2 "an unknown format exits 2"

# the speedup stack of every fixture that has one: the components add up to
# the lost time within 1%, shares to 1, and the efficiency lies in its
# interval
stack_check() { # NAME: prints one line per problem, nothing when all hold
	"$SCALPROF" report --db "$1.db" --format json | python3 -c '
import json, sys
v = json.load(sys.stdin)["verdicts"][0]
for p in v["speedup_stack"]:
    lost = p["lost"]["value"]
    comps = [c["value"] for c in p["components"].values()]
    if abs(sum(comps) - lost) > 0.01 * abs(lost) + 1e-9:
        print("N=%d: components %.6f, lost %.6f" % (p["n_workers"], sum(comps), lost))
    if lost > 0 and abs(sum(c["share"] for c in p["components"].values()) - 1) > 0.01:
        print("N=%d: shares do not add up to 1" % p["n_workers"])
    e = p["efficiency"]
    if e["lo"] is not None and not (e["lo"] <= e["value"] <= (e["hi"] if e["hi"] is not None else 1e9)):
        print("N=%d: efficiency outside its interval" % p["n_workers"])'
}
while read -r name _; do
	[ "$name" = missing-baseline ] || [ "$name" = one-count ] && continue
	is "$(stack_check "$name")" "" "$name: the stack adds up to the lost time"
done < <(python3 "$FIX" --list)
got=$(judge compound | grep ^REASON)
like "$got" "of the lost time is extra kernel CPU \([0-9]+k page faults per CPU-s.*% extra user CPU \(.*bandwidth co-runner" \
	"compound: both causes named, the larger first, each with its evidence"
got=$("$SCALPROF" report --db noisy.db --format json)
is "$(python3 -c 'import json,sys; v=json.load(sys.stdin)["verdicts"][0]; print(v["decided"], v["more_runs"] > 3)' <<<"$got")" \
	"False True" "noisy: undecided, and says more runs would decide it"
like "$(judge noisy | grep ^REASON)" "straddles 0.85: about [0-9]+ runs per worker count would likely decide" \
	"noisy: the reason says how many runs"
run_sp report --db compound.db
like "$out" "speedup stack at N=2: core-seconds per unit of work" "text: the stack is printed"
like "$out" "extra kernel CPU +0\.[0-9]+ +\[0\.[0-9]+, 0\.[0-9]+\] +[0-9]+%" "text: a component with its interval and share"
like "$out" "w +copies +2 +3 +[0-9.]+ +\+-[0-9.]+%" "text: the table shows the spread"

# plots: gnuplot draws them; a PNG starts with its signature
run_sp report --db bandwidth-counters.db --plot fig.png
is "$rc" 0 "--plot fig.png exits 0"
is "$(head -c 4 fig.png | od -An -c | tr -d ' ')" "211PNG" "fig.png is a PNG"
run_sp report --db bandwidth-counters.db --plot fig.svg
ok "grep -q '<svg' fig.svg && grep -q 'memory bandwidth' fig.svg && grep -q 'ceiling (STREAM)' fig.svg" \
	"fig.svg is an SVG with the bandwidth panel and its ceiling"
# the stack panel as a browser draws it: the compound fixture's bar is 0.35
# core-s of extra kernel CPU over 0.15 of extra user CPU, so the browser's
# pixels of the two colours (plot.c's) keep that ratio, legend swatches aside
run_sp report --db compound.db --plot stack.svg
is "$rc" 0 "--plot stack.svg exits 0"
if have cmd chromium "headless Chromium, installed by scripts/deps.sh"; then
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1500,420 \
		--screenshot="$TMP/stack.png" "file://$TMP/stack.svg" >chromium.log 2>&1
	ok "[ -s '$TMP/stack.png' ]" "Chromium renders stack.svg"
	read -r red blue yellow < <(python3 "$SRC_DIR/tests/lib/png-colours.py" "$TMP/stack.png" ee6677 4477aa ccbb44 |
		tr '\n' ' ')
	echo "# pixels: extra kernel CPU $red, extra user CPU $blue, waiting (legend only) $yellow"
	ok "awk 'BEGIN { r = ($red - $yellow) / ($blue - $yellow); exit !($blue > 1000 && r > 2.0 && r < 2.7) }'" \
		"the stacked bar shows extra kernel CPU 0.35 over extra user CPU 0.15 (pixels $red : $blue)"
else
	skip "$why" 2
fi
run_sp report --db kernel.db --plot fig.pdf
is "$rc" 2 "--plot with another extension exits 2"
like "$err" "must end in .svg or .png" "and says why"

# thresholds: every one in thresholds.def is documented with its value
man7=$SRC_DIR/man/scalprof-verdict.7
while read -r name value; do
	ok "grep -Eq '^\\\\fB$name\\\\fR' '$man7' && grep -A3 -E '^\\\\fB$name\\\\fR' '$man7' | grep -q -- '$value'" \
		"threshold $name ($value) documented in scalprof-verdict(7)"
done < <(sed -n 's/^T(\([a-z_0-9]*\), *\([0-9.]*\),.*/\1 \2/p' "$SRC_DIR/daemon/analysis/thresholds.def")
done_testing
