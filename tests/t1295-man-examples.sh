#!/bin/bash
# t1295-man-examples: every example command of scalprof(1) and
# scalprof.yaml(5) runs. The commands are read from the pages' literal
# displays, not copied here, so that an edited example is what runs:
#   - every line of a display that begins "$ " (the "$ " dropped), joined
#     with the lines that continue it (a trailing backslash or pipe, or a
#     quote still open, e.g. python3 -c '...' over several lines); the
#     display's lines after it, up to the next "$ ", are its output, and
#     the first words of the first of them (those without digits: no
#     figures) must be in what it prints;
#   - every line of a display that begins "scalprof " (scalprof(1)'s
#     run --workers and run --print-yaml examples);
#   - "$ cat FILE" writes the lines shown after it into FILE (tl.yaml,
#     prof.yaml, before.yaml) instead of running cat;
#   - a command naming a campaign FILE.yaml that is neither there nor
#     shown with cat gets the last campaign display ("name: ...") of its
#     page before it: pool.yaml and config/campaigns/lists.yaml of
#     scalprof.yaml(5) (lists.yaml is not in the source: the page says the
#     campaign "sits in config/campaigns");
# roff escapes turned back into text (\e \(aq \& \- \(+-), in one directory
# ($TMP) in page order, scalprof(1) first; `scalprof` is a shell function
# running $SCALPROF, config/ and tests/ point into the source (config/
# campaigns holds links to the source's campaigns, and lists.yaml), and
# workloads/ too, for lists.yaml's relative cwd.
# Written by this test, as no page shows it: prog.py (a small Python loop),
# for scalprof(1)'s `run ... -- python3 prog.py` examples.
# Shortened, to keep this test short on a loaded two-core machine:
#   scalprof run --workers 1,2 --reps 2 -- python3 prog.py    + --no-probe
#     (it comes before the page's `probe` example, which measures the
#     ceiling that every later run reuses from the test's cache)
#   scalprof run config/campaigns/seed-002-lists.yaml --scale 0.1
#                                                   + --scale 0.02 (60 runs)
#   scalprof run config/campaigns/lists.yaml --scale 1  + --scale 0.02
#   scalprof probe                                       + --scale 0.02
# and every ceiling is measured in arrays of at most 8 MiB
# (SCALPROF_PROBE_MAX_MIB=8, not test-lib's 64): the probe examples take
# seconds, not half a minute each; what they measure is partly the cache.
# Not shortened, as --scale does not shorten their Python commands: the
# demo campaign's `run` and `submit --watch` (12 runs each, a minute or
# more each on a loaded machine).
# Examples needing scalprofd (submit, list, watch, status, cancel) run
# against a real one started here, when this test runs as root; skipped
# otherwise. Each campaign display of scalprof.yaml(5) also passes
# `scalprof check` (bandwidth-or-not's named memory-controller events
# against the Intel server sysfs fixture).
. "$(dirname "$0")/lib/test-lib.sh"
. "$TESTS_DIR/lib/daemon.sh"

require cmd python3
require cmd sqlite3
MAN=$SRC_DIR/man
export SCALPROF_PROBE_MAX_MIB=8
scalprof() { "$SCALPROF" "$@"; }

# the source's paths the examples name, relative to their directory
mkdir -p config/campaigns
for f in "$SRC_DIR"/config/campaigns/*.yaml; do ln -s "$f" config/campaigns/; done
ln -s "$SRC_DIR/tests" tests
ln -s "$SRC_DIR/workloads" workloads
cat >prog.py <<'PY'
print(sum(i * i for i in range(100000)))
PY

# The displays of PAGE, each as "@@ PAGE LINE" then its lines, unescaped.
displays() {
	awk -v p="$1" '/^\.Bd -literal/ {f = 1; print "@@ " p " " NR; next} /^\.Ed/ {f = 0; next} f' "$MAN/$1" |
		sed -e 's/\\(aq/'"'"'/g' -e 's/\\&//g' -e 's/\\-/-/g' -e 's/\\(+-/+-/g' -e 's/\\e/\\/g'
}

# Whether the command text $1 is unfinished: a trailing backslash or pipe,
# or anything else bash cannot parse yet (a quote still open).
unfinished() {
	case $1 in *\\ | *'|') return 0 ;; esac
	! bash -n <<<"$1" 2>/dev/null
}

daemon_up=""
need_daemon() {
	[ -n "$daemon_up" ] && return "$daemon_up"
	daemon_up=1
	have root "to start scalprofd" || return 1
	daemon_config root </dev/null
	start_daemon && daemon_up=0
	ok "[ $daemon_up = 0 ]" "scalprofd starts for the queue examples"
	return "$daemon_up"
}

# Runs the example $1 (page:line) with command text $2; $3 is its output
# as shown on the page (may be empty).
example() {
	local where=$1 cmd=$2 shown=$3 run=$2 what want first f note="" w nw=0
	local -a words
	what=$(printf '%s' "$cmd" | tr '\n' ' ' | tr -s ' ' | cut -c1-70)
	# shortened examples (see the header)
	case $cmd in
	"scalprof run --workers "*" -- python3 prog.py") note=" --no-probe" ;;
	"scalprof run config/campaigns/seed-002-lists.yaml --scale "*) note=" --scale 0.02" ;;
	"scalprof run config/campaigns/lists.yaml --scale "*) note=" --scale 0.02" ;;
	"scalprof probe") note=" --scale 0.02" ;;
	esac
	# a campaign file not there: the page's last campaign display
	for f in $(grep -o '[A-Za-z0-9_./-]*\.yaml' <<<"$cmd"); do
		[ -e "$f" ] || [ ! -s "last-campaign-$page" ] || case $cmd in *"> $f"*) ;; *)
			cp "last-campaign-$page" "$f"
			echo "# $f: the campaign display before $where"
			;;
		esac
	done
	case $cmd in
	*"scalprof submit"* | *"scalprof list"* | *"scalprof watch"* | *"scalprof status"* | *"scalprof cancel"*)
		if ! need_daemon; then
			skip "$where: $what (${why:-scalprofd did not start})"
			return
		fi
		;;
	esac
	# appended: a later option wins; before a -- that ends the options
	case $cmd in *" -- "*) run=${cmd/ -- /$note -- } ;; *) run=$cmd$note ;; esac
	[ -n "$note" ] && note=" (shortened:$note)"
	want=0
	local t0=$SECONDS
	(eval "$run") >out 2>err </dev/null
	rc=$?
	[ $((SECONDS - t0)) -ge 5 ] && echo "# $where took $((SECONDS - t0)) s"
	is "$rc" "$want" "$where: $what$note"
	[ "$rc" = "$want" ] || sed 's/^/#   /' err | tail -5
	# the first line of the output shown: its words without digits
	first=$(printf '%s\n' "$shown" | sed -n '/[^ .]/{p;q}')
	[ -n "$first" ] || return 0
	want=""
	read -ra words <<<"$first"
	for w in "${words[@]}"; do
		case $w in *[0-9]*) continue ;; esac
		w=$(sed 's/[]\/$*.^[]/\\&/g' <<<"$w")
		want=${want:+$want.*}$w
		[ $((++nw)) -ge 3 ] && break
	done
	[ -n "$want" ] || return 0
	if cat out err | grep -q -- "$want"; then
		_report 1 "$where: prints the output shown ($want)"
	else
		_report 0 "$where: prints the output shown ($want)"
		sed 's/^/#   got: /' out err | head -5
	fi
}

# One display: its "$ " commands (or its "scalprof " lines), or a campaign
# kept for a later command that names a campaign file not there.
display() {
	local -a l=("$@")
	local i=0 n=${#l[@]} cmd out file dollar=""
	printf '%s\n' "${l[@]}" | grep -q '^\$ ' && dollar=1
	if [ -z "$dollar" ]; then
		case ${l[0]:-} in "name: "*) printf '%s\n' "${l[@]}" >"last-campaign-$page" ;; esac
		for ((i = 0; i < n; i++)); do
			case ${l[i]} in "scalprof "*) example "$page:$((at + i + 1))" "${l[i]}" "" ;; esac
		done
		return
	fi
	while [ $i -lt $n ]; do
		case ${l[i]} in '$ '*) ;; *) i=$((i + 1)); continue ;; esac
		local start=$i
		cmd=${l[i]#\$ }
		while unfinished "$cmd" && [ $((i + 1)) -lt $n ]; do
			i=$((i + 1))
			cmd=$cmd$'\n'${l[i]}
		done
		i=$((i + 1))
		out=""
		while [ $i -lt $n ] && case ${l[i]} in '$ '*) false ;; *) true ;; esac do
			out=$out${l[i]}$'\n'
			i=$((i + 1))
		done
		if [[ $cmd =~ ^cat\ ([^ ]+)$ ]]; then
			file=${BASH_REMATCH[1]}
			printf '%s' "$out" >"$file"
			ok "[ -s '$file' ]" "$page:$((at + start + 1)): $file, as shown by cat"
		else
			example "$page:$((at + start + 1))" "$cmd" "$out"
		fi
	done
}

for page in scalprof.1 scalprof.yaml.5; do
	displays "$page" >"displays-$page"
	lines=()
	at=0
	while IFS= read -r line; do
		if [[ $line =~ ^@@\ [^\ ]+\ ([0-9]+)$ ]]; then
			next=${BASH_REMATCH[1]}
			[ ${#lines[@]} -gt 0 ] && display "${lines[@]}"
			lines=()
			at=$next
			continue
		fi
		lines+=("$line")
	done <"displays-$page"
	[ ${#lines[@]} -gt 0 ] && display "${lines[@]}"
done

# every campaign display of scalprof.yaml(5) is a valid campaign
awk '/^\.Bd -literal/ {r++; f = 1; next} /^\.Ed/ {f = 0; next} f {print > sprintf("yaml5-%02d.yaml", r)}' "$MAN/scalprof.yaml.5"
for c in yaml5-*.yaml; do
	head -1 "$c" | grep -q '^name: ' || continue
	sed -i -e 's/\\(aq/'"'"'/g' -e 's/\\&//g' -e 's/\\-/-/g' -e 's/\\e/\\/g' "$c"
	name=$(sed -n '1s/^name: //p' "$c")
	# next to lists.yaml's source place, for its relative cwd
	cp "$c" "config/campaigns/$c"
	env=()
	grep -q 'uncore_imc' "$c" && env=(SCALPROF_SYSFS="$SRC_DIR/tests/fixtures/sysfs/intel-server")
	env "${env[@]}" "$SCALPROF" check "config/campaigns/$c" >out 2>err
	rc=$?
	is "$rc" 0 "scalprof.yaml(5)'s campaign '$name' passes scalprof check"
	[ "$rc" = 0 ] || sed 's/^/#   /' err | head -5
done
done_testing
