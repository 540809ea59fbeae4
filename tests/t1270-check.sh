#!/bin/bash
# t1270-check: `scalprof check` finds each command's program as exec will
# (PATH, the workload's cwd, the executable bit) and an interpreter's
# script, each missing one an error at its position with exit status 2;
# warns, without failing, about events this host cannot count, with the
# reason once; says "did you mean" for a misspelt key and both places of a
# duplicate one; and `check -` reads the campaign from standard input.
. "$(dirname "$0")/lib/test-lib.sh"

export SCALPROF_TOPOLOGY="synthetic:pack:1 core:2 pu:1"
cd "$TMP" || exit 1
mkdir -p work bin
printf '#!/bin/sh\nexit 0\n' >work/prog.sh
chmod +x work/prog.sh
printf 'print(1)\n' >work/prog.py
cp work/prog.sh bin/myprog
printf 'not executable\n' >work/plain

# one workload: COMMAND (a YAML flow list) with extra lines after it
one() {
	printf 'name: c\nevents: [sched]\nworkloads:\n  - name: a\n    command: %s\n' "$1" >c.yaml
	shift
	for l in "$@"; do printf '    %s\n' "$l" >>c.yaml; done
}

# a script that is not there, relative to the cwd: the interpreter's own
# complaint, at the script's position
one "[sh, prog_thred.sh]" "cwd: work"
run_sp check c.yaml
is "$rc" 2 "a missing script: exit 2"
is "$err" "scalprof: c.yaml:5:19: workloads[0].command[1]: 'prog_thred.sh' does not exist in $TMP/work (sh would fail: can't open file)" \
	"a missing script: its position, the directory and what the interpreter would say"
is "$out" "" "a missing script: not called valid"
run_sp run --no-probe c.yaml --db "$TMP/c.db"
is "$rc" 1 "run still tries it (check is the place that looks): exit 1"

cp work/prog.sh bin/python3.11 # an interpreter of that name, wherever python is
one "[python3.11, -u, -W, ignore, /nonexistent/x.py]" "env: [PATH=$TMP/bin]"
run_sp check c.yaml
is "$rc" 2 "a versioned interpreter after its options: exit 2"
is "$err" "scalprof: c.yaml:5:43: workloads[0].command[4]: '/nonexistent/x.py' does not exist (python3.11 would fail: can't open file)" \
	"the script is the first operand, after -u and -W's value"

cp work/prog.sh bin/python3
# the script found: in the workload's cwd, or as absolute; inline code is
# no script
for cmd in "[sh, prog.sh]" "[sh, -e, prog.sh]" "[sh, -c, 'exit 0']" "[sh, -lc, 'exit 0']" "[sh, $TMP/work/prog.sh]" \
	"[bash, --, prog.sh]" "[python3, -c, 'print(1)']" "[python3, -m, json.tool]" "[python3, prog.py]"; do
	one "$cmd" "cwd: work" "env: [PATH=$TMP/bin:/usr/bin:/bin]"
	run_sp check c.yaml
	is "$rc" 0 "command: $cmd is found"
	like "$out" "^c.yaml: campaign 'c' is valid" "command: $cmd: valid"
done

# the program: in the worker's PATH (its env's PATH first), from the cwd
# with a slash, executable
one "[myprog]" "env: [PATH=$TMP/bin]"
run_sp check c.yaml
is "$rc" 0 "a program in the workload's own PATH is found"
one "[myprog]" "env: [PATH=$TMP/work:/nonexistent]"
run_sp check c.yaml
is "$rc" 2 "a program in none of PATH's directories: exit 2"
is "$err" "scalprof: c.yaml:5:15: workloads[0].command[0]: 'myprog' is not found in PATH ($TMP/work:/nonexistent)" \
	"a program not in PATH: the PATH searched"
one "[./prog.sh]" "cwd: work"
run_sp check c.yaml
is "$rc" 0 "./prog.sh is taken from the workload's cwd"
one "[./prog.sh]"
run_sp check c.yaml
is "$rc" 2 "./prog.sh without that cwd: exit 2"
is "$err" "scalprof: c.yaml:5:15: workloads[0].command[0]: './prog.sh' does not exist in $TMP" \
	"without cwd it is taken from the current directory, and says which"
one "[./plain]" "cwd: work"
run_sp check c.yaml
is "$rc" 2 "a file without the executable bit: exit 2"
is "$err" "scalprof: c.yaml:5:15: workloads[0].command[0]: './plain' is not an executable file" \
	"a file without the executable bit: the message"
one "[plain]" "env: [PATH=$TMP/work]"
run_sp check c.yaml
is "$err" "scalprof: c.yaml:5:15: workloads[0].command[0]: '$TMP/work/plain' is not an executable file" \
	"found in PATH but not executable: which file"

# every error, not only the first
cat >c.yaml <<YAML
name: c
events: [sched]
workloads:
  - name: a
    command: [sh, gone1.sh]
  - name: b
    command: [sh, gone2.sh]
YAML
run_sp check c.yaml
is "$rc" 2 "two missing scripts: exit 2"
is "$(printf '%s\n' "$err" | wc -l)" 2 "each has its message"
like "$err" "c.yaml:7:19: workloads\[1\].command\[1\]: 'gone2.sh'" "the second at its own position"

# events this host cannot count: a warning, once per reason, and valid
cat >c.yaml <<YAML
name: c
workloads:
  - name: a
    command: ["true"]
YAML
run_sp check c.yaml
is "$rc" 0 "uncountable events do not fail check"
like "$out" "is valid: .*, 8 events" "the default eight events"
if have pmu; then
	unlike=$(printf '%s\n' "$err" | grep -c 'cannot be counted here')
	is "$unlike" 0 "with a hardware PMU the default events count: no warning"
else
	is "$err" "scalprof: warning: 4 of the 8 events cannot be counted here: cycles, instructions, LLC-loads, LLC-load-misses (no hardware PMU is exposed (virtual machine?))" \
		"without a hardware PMU: one warning naming the four, with the reason once"
fi
printf 'name: c\nevents: [sched]\nworkloads:\n  - name: a\n    command: ["true"]\n' >c.yaml
run_sp check c.yaml
is "$err" "" "software events only: no warning"

# keys: did you mean, and both places of a duplicate
printf 'name: c\nrepetitons: 2\nworkloads:\n  - name: a\n    command: ["true"]\n' >c.yaml
run_sp check c.yaml
is "$err" "scalprof: c.yaml:2:1: repetitons: unknown key (did you mean 'repetitions'?)" "a misspelt key: did you mean"
printf 'name: c\nworkloads:\n  - name: a\n    comand: ["true"]\n' >c.yaml
run_sp check c.yaml
is "$err" "scalprof: c.yaml:4:5: workloads[0].comand: unknown key (did you mean 'command'?)" \
	"a misspelt key of a workload: did you mean"
printf 'name: c\nrepetitions: 2\nworkloads:\n  - name: a\n    command: ["true"]\n\nrepetitions: 3\n' >c.yaml
run_sp check c.yaml
is "$err" "scalprof: c.yaml:7:1: repetitions: given twice (first at 2:1)" "a duplicate key: both positions"

# check - : standard input, named <stdin>, relative cwd from here
printf 'name: s\nevents: [sched]\nworkloads:\n  - name: a\n    command: [./prog.sh]\n    cwd: work\n' >s.yaml
run_sp check - <s.yaml
is "$rc" 0 "check - reads standard input"
is "$out" "<stdin>: campaign 's' is valid: 1 workload x 2 worker counts x 3 repetitions = 6 runs, 4 events, scale 1" \
	"and names it <stdin>"
mkdir elsewhere
(cd elsewhere && exec "$SCALPROF" check - <../s.yaml >../out2 2>../err2)
is "$?" 2 "from another directory the relative cwd is not there: exit 2"
is "$(cat err2)" "scalprof: <stdin>:6:5: workloads[0].cwd: no such directory 'work' (a relative cwd is taken from the campaign file's directory)" \
	"from another directory the relative cwd is that directory's"
printf 'name: s\nscale: 30%%\nworkloads:\n  - name: a\n    command: ["true"]\n' | "$SCALPROF" check - >out3 2>err3
is "$?" 2 "a bad campaign on standard input: exit 2"
is "$(cat err3)" "scalprof: <stdin>:2:1: scale: expected a number like 0.5, got '30%' (a percentage: write it as a fraction, 0.3 for 30%)" \
	"positioned in <stdin>"
run_sp check - --scale 0.5 <s.yaml
like "$out" "scale 0.5\$" "check - takes --scale"
done_testing
