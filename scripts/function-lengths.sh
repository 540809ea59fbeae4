#!/bin/sh
# function-lengths.sh: lists the functions of daemon/, probes/ and
# workloads/ longer than a limit (default 80 lines, the house's "about 80";
# `function-lengths.sh 60` for another), longest first, as
# "LINES FILE:LINE NAME". A function counts from its opening brace at the
# start of a line to its closing one. Exits 0 either way: a long function
# may be better whole (table-like code, a main's option switch), and the
# closing note says why; this is where to look.
limit=${1:-80}
cd "$(dirname "$0")/.." || exit 1
for f in $(git ls-files -co --exclude-standard 'daemon/*.c' 'probes/*.c' 'workloads/*.c'); do
	awk -v F="$f" -v LIMIT="$limit" '
	/^[a-zA-Z].*\(/ && !/;[ \t]*$/ { sig = $0 }
	/^\{/ { start = NR; name = sig }
	/^\}/ { if (start) { n = NR - start - 1; if (n > LIMIT) printf "%5d %s:%d %s\n", n, F, start, name; start = 0 } }
	' "$f"
done | sort -rn
