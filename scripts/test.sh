#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The test command: static gate, KUnit on UML, then for each VM target a
# build, a W=1/sparse check of the files the series adds or edits, a look
# at the converted functions' disassembly and a boot that runs KUnit and
# the kselftests.  Ends with "N passed, N failed"; non-zero on any failure.
# Usage: scripts/test.sh [TARGET...]   (default: um x86_64 i386)
. "$(dirname "$0")/lib.sh"

targets=${*:-um x86_64 i386}
for t in $targets; do check_target "$t"; done
results=$LOGS/results.txt
: >"$results"
start=$SECONDS

"$TOP/scripts/deps.sh" base kernel vm i386 check
step() {
	local name=$1; shift
	say "[$((SECONDS - start))s] $name"
	if ! "$@"; then
		# A step that died before reporting still counts as a failure.
		grep -q "^RESULT $name " "$results" || echo "RESULT $name 0 1" >>"$results"
	fi
}

if ! "$TOP/scripts/tree.sh" >/dev/null; then
	echo "RESULT tree 0 1" >>"$results"
else
	echo "RESULT tree 1 0" >>"$results"
	step check "$TOP/scripts/check.sh" "$results"
	step bench-report "$TOP/scripts/bench-check.sh" "$results"
	for t in $targets; do
		if [ "$t" = um ]; then
			step kunit-um "$TOP/scripts/kunit-um.sh" "$results"
			continue
		fi
		if "$TOP/scripts/build.sh" "$t"; then
			echo "RESULT build-$t 1 0" >>"$results"
			step "w1-$t" "$TOP/scripts/w1.sh" "$t" "$results"
			step "disasm-$t" "$TOP/scripts/disasm.sh" "$t" "$results"
			# make bench's programs, built so that they cannot rot
			step "bench-progs-$t" "$TOP/scripts/bench-progs.sh" "$t" \
				"$BUILD/bench-progs-$t" "$results"
			step "vm-$t" "$TOP/scripts/vm.sh" "$t" "$results"
		else
			echo "RESULT build-$t 0 1" >>"$results"
		fi
	done
fi

echo
echo "Summary ($((SECONDS - start)) s; per-step logs in $LOGS):"
awk '{ printf "  %-14s %4d passed, %d failed\n", $2, $3, $4 }' "$results"
read -r passed failed < <(awk '{ p += $3; f += $4 } END { print p + 0, f + 0 }' "$results")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
