#!/bin/bash
# t0010-layers: the layers of README's Layout hold: no file includes a
# header of a higher layer, and the checker itself catches one that does.
. "$(dirname "$0")/lib/test-lib.sh"

out=$("$SRC_DIR/scripts/check-layers.sh" 2>&1)
is "$?" 0 "no include runs back up a layer"
printf '%s\n' "$out" | sed 's/^/# /'

# a copy of the tree with bad includes: the checker must fail on each
copy=$TMP/tree
mkdir -p "$copy"
(cd "$SRC_DIR" && git ls-files -co --exclude-standard daemon probes workloads scripts | tar -cf - -T -) | tar -xf - -C "$copy"
(cd "$copy" && git init -q && git add -A)
echo '#include "engine/runner.h"' >>"$copy/daemon/store/store.h"
echo '#include "store/sql.h"' >>"$copy/daemon/analysis/report.c"
echo '#include "nowhere/nothing.h"' >>"$copy/probes/probe.c"
out=$("$copy/scripts/check-layers.sh" 2>&1)
ok "[ $? = 1 ]" "includes that run up fail the check"
like "$out" 'daemon/store/store.h: #include "engine/runner.h": daemon/engine/runner.h is in a higher layer' \
	"it names the file, the include and why"
like "$out" 'daemon/analysis/report.c: #include "store/sql.h": the store.s own helpers are for store/ only' \
	"store/sql.h outside store/ is refused"
like "$out" 'probes/probe.c: #include "nowhere/nothing.h": no such file' "an include of no known file is refused"
done_testing
