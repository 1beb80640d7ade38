#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Rebuild the series' new kernel C files with W=1 and sparse for a built
# target; any warning about them fails.
# Usage: scripts/w1.sh TARGET [RESULTS-FILE]
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: scripts/w1.sh TARGET [RESULTS-FILE]"
target=$1
results=${2:-/dev/null}
check_target "$target"
"$TOP/scripts/deps.sh" check
out=$BUILD/$target
log=$LOGS/w1-$target.log
: >"$log"

objs=()
while read -r f; do
	o=${f%.c}.o
	# Only what this configuration builds.
	[ -f "$out/$o" ] && objs+=("$o")
done < <(cd "$TOP" && find arch block drivers fs ipc kernel lib mm -name '*.c' 2>/dev/null | sort)
if [ ${#objs[@]} -eq 0 ]; then
	echo "RESULT w1-$target 0 0" >>"$results"
	exit 0
fi
make -C "$WORK" O="$out" ARCH="$(target_arch "$target")" CC="$(kernel_cc)" \
	W=1 C=2 CHECK=sparse "${objs[@]}" >>"$log" 2>&1 ||
	die_log "$log" "W=1 build of ${objs[*]} failed"
if grep -qE '(warning|error):' "$log"; then
	grep -E '(warning|error):' "$log" >&2
	echo "RESULT w1-$target 0 1" >>"$results"
	echo "w1-$target: W=1 or sparse warnings (log: $log)" >&2
	exit 1
fi
echo "RESULT w1-$target 1 0" >>"$results"
echo "w1-$target: ${#objs[@]} files W=1 and sparse clean"
