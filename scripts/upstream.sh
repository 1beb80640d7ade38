#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the upstream kselftests of guest/upstream.list (exec, ptrace) on the
# patched kernel and on an unpatched one built from the same configuration,
# record both result lists in out/upstream-TARGET-{patched,base}.txt, and
# fail if a test case fails on the patched kernel but not on the other.
# It also records the W=1/sparse warnings of the unpatched files that the
# series edits (configs/w1-baseline-TARGET.txt, for scripts/w1.sh).
# Usage: scripts/upstream.sh [TARGET...]   (default: x86_64 i386)
. "$(dirname "$0")/lib.sh"

targets=${*:-x86_64 i386}
for t in $targets; do
	check_target "$t"
	[ "$t" != um ] || die "the upstream kselftests run in the VMs: pick x86_64, i386 or i386-pae"
done
"$TOP/scripts/deps.sh" base kernel vm i386
work=$("$TOP/scripts/tree.sh" | tail -n 1)
results=$LOGS/results-upstream.txt
: >"$results"

# "program: ok|not ok|skip: case" for each TAP line between BEGIN and END.
results_of() {
	awk '/^sfdoor-test: BEGIN / { prog = $3; next }
	     /^sfdoor-test: END / { prog = ""; next }
	     prog == "" { next }
	     /^ok [0-9]+ .*# SKIP/ { sub(/^ok [0-9]+ /, ""); print prog ": skip: " $0; next }
	     /^ok [0-9]+/ { sub(/^ok [0-9]+ /, ""); print prog ": ok: " $0; next }
	     /^not ok [0-9]+/ { sub(/^not ok [0-9]+ /, ""); print prog ": not ok: " $0 }' "$1"
}

for t in $targets; do
	for kind in patched base; do
		if [ $kind = patched ]; then
			env=(SFDOOR_SRC="$work")
		else
			# The unpatched tree lacks the series' options.
			env=(SFDOOR_SRC="$PRISTINE" SFDOOR_BUILD_SUFFIX=-base
			     SFDOOR_CONFIG_PARTIAL=1 SFDOOR_KUNIT=0)
		fi
		say "upstream kselftests on the $kind $t kernel"
		env "${env[@]}" "$TOP/scripts/build.sh" "$t" ||
			die "building the $kind $t kernel failed"
		# The unpatched build also gives scripts/w1.sh its baseline.
		[ $kind = patched ] || "$TOP/scripts/w1.sh" --baseline "$t"
		# The verdict here is the comparison below, not the run's own.
		env "${env[@]}" SFDOOR_TESTS="$TOP/guest/upstream.list" SFDOOR_KUNIT=0 \
			SFDOOR_RUN="upstream-$t-$kind" "$TOP/scripts/vm.sh" "$t" >/dev/null 2>&1 || true
		log=$LOGS/vm-upstream-$t-$kind.log
		grep -q '^sfdoor-test: DONE' "$log" ||
			die "the $kind $t kernel did not finish its tests (log: $log)"
		results_of "$log" >"$OUT/upstream-$t-$kind.txt"
		say "$kind $t: $(grep -c ': ok: ' "$OUT/upstream-$t-$kind.txt") ok, $(grep -c ': not ok: ' "$OUT/upstream-$t-$kind.txt") not ok, $(grep -c ': skip: ' "$OUT/upstream-$t-$kind.txt") skipped (log: $log)"
	done
	# A case is a new failure when it is not ok (or missing) on the patched
	# kernel and was not a failure on the unpatched one.
	new=$(awk -F': ' 'NR == FNR { st[$1 ": " $3] = $2; next }
		$2 != "not ok" && st[$1 ": " $3] != "ok" && st[$1 ": " $3] != "skip" {
			print $1 ": " $3 " (" (st[$1 ": " $3] ? st[$1 ": " $3] : "missing") \
				" on the patched kernel, " $2 " on the unpatched one)" }' \
		"$OUT/upstream-$t-patched.txt" "$OUT/upstream-$t-base.txt")
	same=$(grep -c ': ok: ' "$OUT/upstream-$t-patched.txt" || true)
	if [ -n "$new" ]; then
		echo "upstream-$t: new failures on the patched kernel:" >&2
		echo "$new" >&2
		echo "RESULT upstream-$t $same $(echo "$new" | wc -l)" >>"$results"
	else
		echo "RESULT upstream-$t $same 0" >>"$results"
	fi
	say "upstream-$t: results in $OUT/upstream-$t-patched.txt and $OUT/upstream-$t-base.txt"
done

read -r passed failed < <(awk '{ p += $3; f += $4 } END { print p + 0, f + 0 }' "$results")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
