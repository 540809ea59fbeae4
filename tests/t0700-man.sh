#!/bin/bash
# t0700-man: the manual pages pass `mandoc -Tlint` and match the code:
# every command and long option of scalprof.c is in scalprof(1), every key
# of the campaign schema (its variants' too) in scalprof.yaml(5), every key of scalprofd's
# configuration in scalprofd(8) and config/scalprofd.yaml, every table,
# view and column of schema.sql in scalprof-db(7); and every recipe of scalprof-db(7) runs
# through the sqlite3 CLI against a real database.
. "$(dirname "$0")/lib/test-lib.sh"

command -v mandoc >/dev/null || skip_all "mandoc is not installed"
MAN=$SRC_DIR/man
for page in scalprof.1 scalprof.yaml.5 scalprof-db.7 scalprof-workloads.7 scalprof-bandwidth.7 scalprof-verdict.7 scalprofd.8; do
	ok "[ -f '$MAN/$page' ]" "$page exists"
	lint=$(mandoc -Tlint -Wwarning "$MAN/$page" 2>&1)
	is "$lint" "" "$page passes mandoc -Tlint"
done
text() { mandoc -Tascii "$MAN/$1" | col -b; }

t1=$(text scalprof.1)
for cmd in $(sed -n 's/^	{ "\([a-z]*\)", cmd_.*/\1/p' "$SRC_DIR/daemon/scalprof.c"); do
	like "$t1" "scalprof $cmd" "scalprof(1) documents the command $cmd"
done
# every long option of every command (cli/, one file per command family)
for opt in $(cat "$SRC_DIR"/daemon/cli/*.c | grep -o '{ "[a-z-]*", \(required\|no\)_argument' | sed 's/{ "\([a-z-]*\)".*/\1/' | sort -u); do
	like "$t1" "--$opt" "scalprof(1) documents --$opt"
done
for word in SCALPROF_TOPOLOGY SCALPROF_WORKERS 130 not_counted unsupported; do
	like "$t1" "$word" "scalprof(1) mentions $word"
done

t5=$(text scalprof.yaml.5)
for key in $(sed -n 's/.*CYAML_FIELD_[A-Z_]*("\([a-z_]*\)".*/\1/p' "$SRC_DIR/daemon/model/campaign.c" \
	"$SRC_DIR/daemon/model/variant.c" | sort -u); do
	like "$t5" "(^|[^a-z_])$key([^a-z_]|$)" "scalprof.yaml(5) documents the key $key"
done

# every key of scalprofd's configuration, in scalprofd(8) and in the
# documented default config/scalprofd.yaml
t8=$(text scalprofd.8)
for key in $(sed -n 's/.*CYAML_FIELD_[A-Z_]*("\([a-z_]*\)".*/\1/p' "$SRC_DIR/daemon/service/config.c" | sort -u); do
	like "$t8" "(^|[^a-z_])$key([^a-z_]|$)" "scalprofd(8) documents the configuration key $key"
	ok "grep -Eq '^ *$key:' '$SRC_DIR/config/scalprofd.yaml'" "config/scalprofd.yaml gives the key $key"
done

tw=$(text scalprof-workloads.7)
for b in $("$(dirname "$SCALPROF")/scalprof-kernels" --list | sed -n 's/^\([a-z_]*\): .*/\1/p'); do
	like "$tw" "(^|[^a-z_])$b([^a-z_]|$)" "scalprof-workloads(7) documents the builtin $b"
done
for p in $("$(dirname "$SCALPROF")/scalprof-kernels" --list | sed -n 's/^  \([a-z_]*\)=.*/\1/p' | sort -u); do
	like "$tw" "(^|[^a-z_])$p=" "scalprof-workloads(7) documents the argument $p="
done
for f in "$SRC_DIR"/workloads/python/seed*.py "$SRC_DIR"/config/campaigns/seed-*.yaml; do
	like "$tw" "$(basename "$f")" "scalprof-workloads(7) documents $(basename "$f")"
done

t7=$(text scalprof-db.7)
for name in $(sed -n 's/^CREATE \(TABLE\|VIEW\) \([a-z_]*\).*/\2/p' "$SRC_DIR/schema.sql"); do
	like "$t7" "$name" "scalprof-db(7) documents $name"
done
for col in $(awk '/^CREATE TABLE/ {t=1; next} /^\);/ {t=0} t && $1 ~ /^[a-z_0-9]+$/ && $2 ~ /^(INTEGER|TEXT|REAL|BLOB)/ {print $1}' "$SRC_DIR/schema.sql" | sort -u); do
	like "$t7" "(^|[^a-z_])$col([^a-z_]|$)" "scalprof-db(7) documents the column $col"
done

# the recipes: every literal display of scalprof-db(7), against a database
# of a real campaign with an ok run and a failed one, profiled at 1 and 2
# workers (the profile recipes compare them)
cat >c.yaml <<'YAML'
name: recipes
workers: [1, 2]
repetitions: 2
profile: true
workloads:
  - name: ok
    command: ["true"]
  - name: fails
    command: [sh, -c, "echo broken >&2; exit 1"]
  - name: beside
    builtin: busy
    args: [n=1M]
    interference: true
  - name: naps
    builtin: sleep
    args: [seconds=0.02]
YAML
"$SCALPROF" run --no-probe c.yaml --db "$DB" --quiet >/dev/null 2>&1
for page in scalprof-db.7 scalprof-bandwidth.7; do
	awk -v p="${page%%.*}" '/^\.Bd -literal/ {r++; f=sprintf("recipe-%s-%02d.sql", p, r); next} /^\.Ed/ {f=""; next} f {print > f}' "$MAN/$page"
done
n=0
for r in recipe-*.sql; do
	[ -e "$r" ] || continue
	n=$((n + 1))
	sed -e 's/\\e/\\/g' -e 's/\\(aq/'"'"'/g' -e 's/\\&//g' "$r" >"$r.clean"
	res=$(sqlite3 -batch "$DB" <"$r.clean" 2>&1)
	st=$?
	ok "[ $st -eq 0 ] && ! printf '%s' \"\$res\" | grep -q '^\(Parse \)\?[Ee]rror'" "recipe $n runs: $(head -c 60 "$r.clean" | tr '\n' ' ')"
	# a profile recipe must find the busy loop's profile, not only parse
	if grep -q 'profile_samples' "$r.clean"; then
		ok "[ -n \"\$res\" ]" "recipe $n finds rows in the profiles"
	fi
done
ok "[ $n -ge 10 ]" "scalprof-db(7) and scalprof-bandwidth(7) have at least 10 recipes ($n)"
done_testing
