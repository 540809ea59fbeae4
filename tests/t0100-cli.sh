#!/bin/bash
# t0100-cli: --help on every command, usage errors with exit status 2,
# --version.
. "$(dirname "$0")/lib/test-lib.sh"

for c in run check topology events probe report timeline; do
	run_sp $c --help
	is "$rc" 0 "$c --help exits 0"
	like "$out" "^usage: scalprof $c" "$c --help prints its usage on stdout"
	run_sp help $c
	like "$out" "^usage: scalprof $c" "help $c prints the same"
done
run_sp --help
is "$rc" 0 "--help exits 0"
like "$out" "commands:" "--help lists the commands"
run_sp
is "$rc" 2 "no command: exit 2"
run_sp frobnicate
is "$rc" 2 "unknown command: exit 2"
is "$err" "scalprof: unknown command 'frobnicate' (commands: run, check, topology, events, probe, report, timeline, flamegraph, compare, campaigns, submit, list, status, watch, cancel, help)" "unknown command: message"
run_sp run
is "$rc" 2 "run without a file: exit 2"
like "$err" "run: expected one campaign file" "run without a file: message"
run_sp run --no-probe --frob x.yaml
is "$rc" 2 "run with an unknown option: exit 2"
like "$err" "option '--frob' is unknown" "unknown option named"
run_sp check /nonexistent.yaml
is "$rc" 2 "check of a missing file: exit 2"
is "$err" "scalprof: cannot read campaign '/nonexistent.yaml': No such file or directory" "missing file: message"
run_sp topology --placement wide
is "$rc" 2 "topology --placement wide: exit 2"
run_sp report --format xml
is "$rc" 2 "report --format xml: exit 2"
run_sp --version
is "$rc" 0 "--version exits 0"
# the version the binaries were built with (scripts/version.sh at build time)
want_version=$(cat "$(dirname "$SCALPROF")/version.stamp")
is "$out" "scalprof $want_version (schema version $(sed -n 's/^-- version: \([0-9]*\).*/\1/p' "$SRC_DIR/schema.sql" | tail -1))" \
	"--version names the version it was built with and the schema version"
SCALPROFD=${SCALPROFD:-$(dirname "$SCALPROF")/scalprofd}
out=$("$SCALPROFD" --version 2>&1)
is "$out" "scalprofd $want_version" "scalprofd --version prints the same version"
done_testing
