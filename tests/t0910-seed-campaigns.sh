#!/bin/bash
# t0910-seed-campaigns: the five seed campaigns validate, and each runs end
# to end at a tiny scale, from another directory, with every run ok and a
# row in the scaling view for every workload and worker count; every
# workload printed its checksum; every workload gets a stored verdict that
# cites its figures, and the report a memory-bandwidth line for each.
. "$(dirname "$0")/lib/test-lib.sh"

require cmd python3
ncores=$(physical_cores)
for f in "$SRC_DIR"/config/campaigns/seed-00[0-4]-*.yaml; do
	name=$(basename "$f" .yaml)
	run_sp check "$f"
	is "$rc" 0 "$name: valid"
	# the workloads' names: variants: follows them
	nwl=$(sed '/^variants:/,$d' "$f" | grep -c '^  - name:')
	nvr=$(sed -n '/^variants:/,$p' "$f" | grep -c '^  - name:')
	db=$TMP/$name.db
	run_sp run --no-probe "$f" --db "$db" --scale 0.02 --quiet
	is "$rc" 0 "$name: runs at scale 0.02"
	[ "$rc" = 0 ] || printf '# %s\n' "$err"
	reps=$(sed -n 's/^repetitions: *\([0-9]*\).*/\1/p' "$f")
	is "$(sqlite3 "$db" "select count(*) from runs where corunner is null and variant is null")" $((nwl * ncores * reps)) \
		"$name: $nwl workloads x $ncores counts x $reps repetitions"
	if [ "$nvr" -gt 0 ]; then
		is "$(sqlite3 "$db" "select count(distinct variant) from runs")" "$nvr" "$name: every variant ran"
		is "$(sqlite3 "$db" "select count(*) from verdicts where intervention is not null")" \
			"$(sqlite3 "$db" "select count(distinct workload) from runs where variant is not null")" \
			"$name: a verdict that says what the interventions found for each workload with variants"
	fi
	is "$(sqlite3 "$db" "select count(*) from runs where status <> 'ok'")" 0 "$name: every run ok"
	is "$(sqlite3 "$db" "select count(*) from scaling")" $((nwl * ncores)) "$name: a scaling row per workload and count"
	is "$(sqlite3 "$db" "select count(*) from workers where cast(stdout_tail as text) not like '%checksum=%'")" 0 \
		"$name: every worker printed its checksum"
	is "$(sqlite3 "$db" "select scale from conditions")" 0.02 "$name: the scale is recorded"
	is "$(sqlite3 "$db" "select count(*) from verdicts where length(reason) > 0 and length(bandwidth_reason) > 0")" \
		"$nwl" "$name: a verdict with its reason and memory-bandwidth line per workload"
	is "$(sqlite3 "$db" "select count(*) from verdicts v where not exists (select 1 from verdict_evidence e
		where e.verdict_id = v.id)")" 0 "$name: every verdict cites its figures"
	run_sp report --db "$db"
	is "$(grep -c '^  memory-bandwidth: ' <<<"$out")" "$nwl" "$name: the report has a memory-bandwidth line per workload"
	if grep -q python3 "$f"; then
		like "$(sqlite3 "$db" "select python3_version from conditions")" "^Python 3" "$name: the python3 version is recorded"
	fi
done
done_testing
