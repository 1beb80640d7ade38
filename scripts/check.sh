#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Static gate: the series applies with --fuzz=0, exports as a format-patch
# series that git-ams onto pristine 6.12, and every exported patch (each
# quilt patch with the overlay files it introduces) is checkpatch --strict
# clean; and libdoor's man pages build and format without a warning
# (scripts/man-check.sh, its own RESULT line).
# Usage: scripts/check.sh [RESULTS-FILE]
. "$(dirname "$0")/lib.sh"

[ $# -le 1 ] || die "usage: scripts/check.sh [RESULTS-FILE]"
results=${1:-/dev/null}
log=$LOGS/checkpatch.log
: >"$log"
passed=0
failed=0

man_ok=1
"$TOP/scripts/man-check.sh" "$results" || man_ok=0

if "$TOP/scripts/series.sh"; then
	passed=$((passed + 1))
else
	echo "check: exporting the series failed (log: $LOGS/series.log)" >&2
	echo "RESULT check 0 1" >>"$results"
	exit 1
fi

src=$WORK
for p in "$OUT"/series/*.patch; do
	case $p in */0000-*) continue ;; esac
	# libdoor implements Solaris' <door.h>, whose API is typedefs
	# (door_arg_t, ucred_t, uint_t, ...), for user space, which has no
	# __aligned(), and which asks syscall() whether the kernel has a
	# call (ENOSYS, in the one sense checkpatch allows, from the caller's
	# side): those are not ours to change.
	ignore=FILE_PATH_CHANGES
	case $(basename "$p") in
	*tools-lib-door-*)
		ignore=$ignore,NEW_TYPEDEFS,PREFER_DEFINED_ATTRIBUTE_MACRO,ENOSYS ;;
	esac
	if perl "$src/scripts/checkpatch.pl" --strict --no-tree --root="$src" \
		--ignore "$ignore" "$p" >>"$log" 2>&1; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "check: checkpatch --strict complains about $(basename "$p") (log: $log)" >&2
	fi
done
echo "RESULT check $passed $failed" >>"$results"
echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$man_ok" -eq 1 ]
