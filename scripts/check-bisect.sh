#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build every commit of the exported series for x86_64 and i386, so that
# the series bisects.  Slow: two kernel builds per commit (ccache helps).
# Usage: scripts/check-bisect.sh [TARGET...]   (default: x86_64 i386)
#   SFDOOR_BISECT_FROM=N starts at the Nth commit (1-based), e.g. to check
#   only the patches added since the last full run.
. "$(dirname "$0")/lib.sh"

targets=${*:-x86_64 i386}
for t in $targets; do check_target "$t"; done
read -r tree range < <("$TOP/scripts/series.sh" | tail -n 1)
commits=$(git -C "$tree" rev-list --reverse "$range")
total=$(echo "$commits" | wc -l)
i=0
from=${SFDOOR_BISECT_FROM:-1}
case $from in
'' | *[!0-9]*) die "SFDOOR_BISECT_FROM must be a commit number, not '$from'" ;;
esac
for c in $commits; do
	i=$((i + 1))
	[ "$i" -ge "$from" ] || continue
	git -C "$tree" checkout -q -f --detach "$c"
	for t in $targets; do
		say "commit $i/$total $(git -C "$tree" log -1 --format=%s "$c"): $t"
		# Early commits lack options that later ones add to configs/;
		# merge the fragments again at each commit.
		rm -f "$BUILD/$t-bisect/.sfdoor-config"
		SFDOOR_SRC=$tree SFDOOR_BUILD_SUFFIX=-bisect SFDOOR_CONFIG_PARTIAL=1 \
			"$TOP/scripts/build.sh" "$t" ||
			die "commit $i/$total ($c) does not build for $t"
	done
done
say "all $total commits build for: $targets"
