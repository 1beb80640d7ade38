#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Check the published benchmark reports against their raw data: for each
# results/*/ that keeps raw.tar.xz (raw/ and bench.txt of one clock of
# make bench), scripts/bench-report.py must make summary.md and
# TARGET.md again byte for byte; the full data must hold two boots of
# each kernel and at least one verdict; and with every boot but the
# first of each kernel taken away, the same report must state no
# verdict at all (one boot never decides).  Appends "RESULT bench-report
# PASSED FAILED" to RESULTS.
# Usage: scripts/bench-check.sh RESULTS
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: scripts/bench-check.sh RESULTS"
results=$1
log=$LOGS/bench-check.log
passed=0
failed=0
: >"$log"

pass() { passed=$((passed + 1)); echo "ok: $*" >>"$log"; }
fail() { failed=$((failed + 1)); echo "FAILED: $*" >>"$log"; echo "FAILED: $* (log: $log)" >&2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
found=0
for raw in "$TOP"/results/*/raw.tar.xz; do
	[ -f "$raw" ] || continue
	found=1
	pub=$(dirname "$raw")
	name=$(basename "$pub")
	for variant in all first; do
		d=$tmp/$name-$variant
		mkdir -p "$d/plots"
		tar -xJf "$raw" -C "$d" || { fail "$name: cannot unpack $raw"; continue 2; }
		targets=$(sed -n 's/^target: //p' "$d/bench.txt" 2>/dev/null | tr '\n' ' ')
		if [ -z "$targets" ]; then
			fail "$name: raw.tar.xz has no bench.txt naming a target"
			continue 2
		fi
		# the plots are not remade; their names are listed in summary.md
		cp "$pub"/plots/*.png "$d/plots/" 2>/dev/null || true
		[ $variant = all ] || rm -rf "$d"/raw/*-r[0-9]*
		if ! python3 "$TOP/scripts/bench-report.py" --no-plots "$d" $targets \
			>>"$log" 2>&1; then
			fail "$name ($variant boots): bench-report.py failed"
			continue
		fi
		if [ $variant = all ]; then
			for f in summary.md $(for t in $targets; do echo "$t.md"; done); do
				if cmp -s "$pub/$f" "$d/$f"; then
					pass "$name/$f made again byte for byte"
				else
					{ diff -u "$pub/$f" "$d/$f" || true; } | head -n 40 >>"$log"
					fail "$name/$f differs when made again from raw.tar.xz"
				fi
			done
			# the cut below means something only if there was more
			kernels=$(sed -n 's/^kernels: //p' "$d/bench.txt")
			for t in $targets; do
				for k in ${kernels:-unpatched patched}; do
					[ -d "$d/raw/$t-$k-r2" ] ||
						fail "$name: $t has one boot of the $k kernel"
				done
			done
			# KERNELS=patched runs compare within boots: no verdict column
			[ "$kernels" = patched ] ||
				grep -qE '\| (faster|slower|not resolved) \|$' "$d/summary.md" ||
				fail "$name: the full report states no verdict"
		else
			# verdict cells are the last column of the results table
			if grep -E '\| (faster|slower|not resolved) \|$' "$d/summary.md" >>"$log"; then
				fail "$name: a verdict from one boot of each kernel"
			elif grep -q '| no verdict (1 and 1 boots) |' "$d/summary.md" ||
				[ "$(sed -n 's/^kernels: //p' "$d/bench.txt")" = patched ]; then
				pass "$name: no verdict from one boot of each kernel"
			else
				fail "$name: the one-boot report has no verdict column"
			fi
		fi
	done
done
[ $found = 1 ] || fail "no published report with raw data in $TOP/results"
echo "RESULT bench-report $passed $failed" >>"$results"
echo "bench-report: $passed passed, $failed failed (log: $log)"
[ "$failed" -eq 0 ]
