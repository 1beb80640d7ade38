#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Rebuild the kernel C files the series adds or edits with W=1 and sparse
# for a built target.  Any warning fails, except those the unpatched files
# already had: configs/w1-baseline-TARGET.txt lists them (line numbers left
# out), as "scripts/w1.sh --baseline TARGET" recorded them on the unpatched
# kernel that scripts/upstream.sh builds.
# Usage: scripts/w1.sh TARGET [RESULTS-FILE]
#        scripts/w1.sh --baseline TARGET
. "$(dirname "$0")/lib.sh"

baseline_mode=
if [ "${1:-}" = --baseline ]; then
	baseline_mode=1
	shift
fi
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: scripts/w1.sh [--baseline] TARGET [RESULTS-FILE]"
target=$1
results=${2:-/dev/null}
check_target "$target"
"$TOP/scripts/deps.sh" check
baseline=$TOP/configs/w1-baseline-$target.txt
# i386-pae and i386-rt compile the same files as i386: share its baseline.
if [ -z "$baseline_mode" ] && [ ! -f "$baseline" ]; then
	baseline=$TOP/configs/w1-baseline-$(target_arch "$target").txt
fi
if [ -n "$baseline_mode" ]; then
	src=$PRISTINE
	out=$BUILD/$target-base
	log=$LOGS/w1-$target-base.log
	[ -f "$out/vmlinux" ] ||
		die "no unpatched $target build in $out: run scripts/upstream.sh $target first"
else
	src=$WORK
	out=$BUILD/$target
	log=$LOGS/w1-$target.log
fi
: >"$log"

# The existing files the series' patches edit, and (not for the baseline)
# the new ones of the overlay.
sources() {
	sed -n 's|^+++ b/\(.*\.c\)$|\1|p' "$TOP"/patches/*.patch
	[ -n "$baseline_mode" ] ||
		(cd "$TOP" && find arch block drivers fs ipc kernel lib mm -name '*.c' 2>/dev/null || true)
}
objs=()
while read -r f; do
	o=${f%.c}.o
	# Only what this configuration builds.
	[ -f "$out/$o" ] && objs+=("$o")
done < <(sources | sort -u)
if [ ${#objs[@]} -eq 0 ]; then
	echo "RESULT w1-$target 0 0" >>"$results"
	exit 0
fi
make -C "$src" O="$out" ARCH="$(target_arch "$target")" CC="$(kernel_cc)" \
	W=1 C=2 CHECK=sparse "${objs[@]}" >>"$log" 2>&1 ||
	die_log "$log" "W=1 build of ${objs[*]} failed"

# "file: warning: text", without the tree's path and the line numbers.
warnings() {
	sed -nE 's#^(.*/src/(work|pristine)/)?([^ :]+):[0-9]+(:[0-9]+)?: (warning|error): #\3: \5: #p' "$log" |
		sort
}
if [ -n "$baseline_mode" ]; then
	{
		echo "# W=1 and sparse warnings of the unpatched files the series edits"
		echo "# ($target, $KERNEL_PKG); written by scripts/w1.sh --baseline $target"
		warnings
	} >"$baseline"
	say "w1-$target: $(grep -vc '^#' "$baseline" || true) warnings of the unpatched files in $baseline"
	exit 0
fi

# What is left after taking out, one for one, the baseline's warnings.
new=$(warnings | awk 'NR == FNR { if (!/^#/) known[$0]++; next }
	known[$0] > 0 { known[$0]--; next } { print }' \
	<(cat "$baseline" 2>/dev/null || true) -)
if [ -n "$new" ]; then
	echo "$new" >&2
	echo "RESULT w1-$target 0 1" >>"$results"
	echo "w1-$target: new W=1 or sparse warnings (log: $log; known ones: $baseline)" >&2
	exit 1
fi
known=$(grep -vc '^#' "$baseline" 2>/dev/null || true)
echo "RESULT w1-$target 1 0" >>"$results"
echo "w1-$target: ${#objs[@]} files W=1 and sparse clean (beyond ${known:-0} known warnings)"
