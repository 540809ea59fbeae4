#!/bin/bash
# t1100-flamegraph-browser: the flame graphs of daemon/analysis/flame.c as a
# person uses them, in real headless Chromium driven over its DevTools pipe
# (tests/lib/cdp.py): the fixture of test-flame.c drawn (frames counted,
# their colours on the screenshot), a real mouse hover that puts a frame's
# details in the details line, a click that zooms (the frame and its
# ancestors full width, its child scaled, the others hidden) and "Reset
# zoom" that restores it; the differential graph's hover says the growth
# and its screenshot is red and blue. Also: cdp.py fails with a message
# when the browser does not start.
. "$(dirname "$0")/lib/test-lib.sh"

UNIT_DIR=${UNIT_DIR:-$SRC_DIR/build/tests}
CDP=$SRC_DIR/tests/lib/cdp.py

FLAME_SVG=$TMP/fixture.svg FLAME_DIFF_SVG=$TMP/diff.svg "$UNIT_DIR/test-flame" >unit.log 2>&1
ok "[ -s fixture.svg ] && [ -s diff.svg ]" "test-flame writes the fixture's graphs"
show_on_failure "$TMP/unit.log"

if ! have cmd chromium "headless Chromium, installed by scripts/deps.sh"; then
	skip "$why" 20
	done_testing
fi

# one fact of the JSON in $1, by a Python expression over d
fact() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

python3 "$CDP" check-flamegraph fixture.svg --frame foo --screenshot fixture.png \
	--zoomed-screenshot zoomed.png --workdir "$TMP" >facts.json 2>cdp.err
is "$?" 0 "cdp.py check-flamegraph runs the fixture through Chromium"
show_on_failure "$TMP/cdp.err"
show_on_failure "$TMP/facts.json"
is "$(fact facts.json 'd["frames"]')" 11 "Chromium draws the 11 frames wide enough"
is "$(fact facts.json 'd["title"]')" 'fixture: <test> & "flame"' "the title, unescaped by the browser"
# pixels of the six widest frames' colours: each is drawn (a frame is 15
# pixels high, the narrowest of them 35 wide)
is "$(fact facts.json 'sorted(c for c, n in d["colour_pixels"].items() if n < 15 * 30)')" "[]" \
	"the screenshot shows the widest frames in their colours ($(fact facts.json 'd["colour_pixels"]'))"
is "$(fact facts.json 'd["hover"]["before"]')" "hover a frame for details, click to zoom; 2 frames under 0.1% of the width not drawn" \
	"the details line before hovering: the hint and the frames left out"
is "$(fact facts.json 'd["hover"]["text"]')" "foo (900 samples, 68.2%)" \
	"hovering foo shows its name, value, unit and share"
is "$(fact facts.json 'd["zoom"]["before"]')" 804.18 "foo is 900/1320.6 of 1180 wide before the click"
is "$(fact facts.json 'd["zoom"]["after"], d["zoom"]["x_after"]')" "(1180, 10)" "clicking foo zooms it to the full width"
is "$(fact facts.json 'd["zoom"]["ancestors_after"]')" "[1180, 1180]" "its ancestors (all, main) stay full width"
is "$(fact facts.json 'd["zoom"]["children_after"]')" "[['bar', 1048.89]]" "its child bar scales with it (800/900 of 1180)"
is "$(fact facts.json 'd["zoom"]["hidden_before"], d["zoom"]["hidden_after"]')" "(0, 7)" \
	"the 7 frames outside foo's line are hidden by the zoom"
is "$(fact facts.json 'd["zoom"]["reset_shown_before"], d["zoom"]["reset_shown_after"]')" "(False, True)" \
	"Reset zoom appears with the zoom"
is "$(fact facts.json 'd["zoom"]["after_reset"], d["zoom"]["hidden_after_reset"], d["zoom"]["reset_shown_after_reset"]')" \
	"(804.18, 0, False)" "clicking Reset zoom restores the widths, the frames and hides itself"
is "$(fact facts.json 'd["js_errors"]')" "[]" "no JavaScript error"

python3 "$CDP" check-flamegraph diff.svg --frame bar --screenshot diff.png --workdir "$TMP" >diff.json 2>cdp-diff.err
is "$?" 0 "cdp.py check-flamegraph runs the differential graph"
show_on_failure "$TMP/cdp-diff.err"
is "$(fact diff.json 'd["hover"]["text"]')" "bar (800 samples, 60.6%; +100.0% vs baseline (+400))" \
	"hovering bar in the differential graph says how much it grew"
fill() { grep -o "data-n=\"$1\".*" diff.svg | head -1 | sed 's/.*fill="\(#[0-9a-f]*\)".*/\1/'; }
red=$(fill bar) blue=$(fill clear_page_erms)
like "$red $blue" "^#ff0000 #[0-9a-f]{4}ff$" "the differential colours: bar (grew most) deep red, the kernel frame (shrank) blue"
is "$(fact diff.json "d['colour_pixels']['$red'] > 15 * 700, d['colour_pixels']['$blue'] > 15 * 268")" \
	"(True, True)" "the screenshot shows them: bar red, the kernel frame and baz (268 px each) more than one frame of blue"

# no browser: a message and a non-zero exit, not a hang or a traceback
python3 "$CDP" check-flamegraph fixture.svg --chromium false >none.json 2>none.err
is "$?" 1 "cdp.py exits 1 when Chromium does not start"
like "$(cat none.err)" "^cdp.py: chromium closed its DevTools pipe" "and says so"
done_testing
