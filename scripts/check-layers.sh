#!/bin/sh
# check-layers.sh: fails when a source file includes a header from a higher
# layer (README: Layout). The layers, lowest first:
#   workloads/  daemon/base  daemon/host  daemon/model  daemon/store
#   probes/  daemon/analysis  daemon/engine  daemon/service  daemon/cli
#   daemon/*.c (the two mains)
# A file may include its own layer and any below it. Includes are written
# from the folder above the layers ("store/store.h", "probes/probe.h");
# one that names no known file is reported too, so nothing slips past by
# being spelled another way. store/sql.h (SQL helpers, struct store) is
# the store's own: no file outside daemon/store/ may include it. Run by `make check` (tests/t0010-layers.sh);
# prints one line per offending include and exits 1 if there is any.
set -eu
cd "$(dirname "$0")/.."

rank() {
	case "$1" in
	workloads/*) echo 0 ;;
	daemon/base/*) echo 1 ;;
	daemon/host/*) echo 2 ;;
	daemon/model/*) echo 3 ;;
	daemon/store/*) echo 4 ;;
	probes/*) echo 5 ;;
	daemon/analysis/*) echo 6 ;;
	daemon/engine/*) echo 7 ;;
	daemon/service/*) echo 8 ;;
	daemon/cli/*) echo 9 ;;
	daemon/*) echo 10 ;;
	*) echo -1 ;;
	esac
}

# where an include of name from file resolves, as the compiler would
# (the including file's folder, then -Idaemon, then -I.)
resolve() {
	dir=$(dirname "$1")
	for cand in "$dir/$2" "daemon/$2" "$2"; do
		if [ -f "$cand" ]; then
			echo "$cand"
			return
		fi
	done
}

bad=0
checked=0
for f in $(git ls-files -co --exclude-standard 'daemon/*.[ch]' 'daemon/*.def' 'probes/*.[ch]' 'workloads/*.[ch]'); do
	[ -f "$f" ] || continue
	rf=$(rank "$f")
	for inc in $(sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' "$f"); do
		checked=$((checked + 1))
		target=$(resolve "$f" "$inc")
		if [ -z "$target" ]; then
			echo "$f: #include \"$inc\": no such file under daemon/ or the top folder"
			bad=1
			continue
		fi
		case "$target:$f" in
		daemon/store/sql.h:daemon/store/*) ;;
		daemon/store/sql.h:*)
			echo "$f: #include \"$inc\": the store's own helpers are for store/ only"
			bad=1
			;;
		esac
		rt=$(rank "$target")
		if [ "$rt" -gt "$rf" ]; then
			echo "$f: #include \"$inc\": $target is in a higher layer"
			bad=1
		fi
	done
done
echo "check-layers: $checked includes checked"
exit $bad
