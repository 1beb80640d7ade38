#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build every commit of the exported series for x86_64 and i386, so that
# the series bisects.  Slow: two kernel builds per commit (ccache helps).
# Usage: scripts/check-bisect.sh [TARGET...]   (default: x86_64 i386)
. "$(dirname "$0")/lib.sh"

targets=${*:-x86_64 i386}
for t in $targets; do check_target "$t"; done
read -r tree range < <("$TOP/scripts/series.sh" | tail -n 1)
commits=$(git -C "$tree" rev-list --reverse "$range")
total=$(echo "$commits" | wc -l)
i=0
for c in $commits; do
	i=$((i + 1))
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
