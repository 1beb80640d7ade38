#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure and build a kernel for one qemu target.
# Usage: scripts/build.sh TARGET [KIND]
#   TARGET: x86_64 | i386 | i386-pae
#   KIND: test (default: the patched debug kernel make test boots),
#         bench (the patched kernel without debug options),
#         bench-base (the same configuration on the unpatched tree)
. "$(dirname "$0")/lib.sh"

usage="usage: scripts/build.sh TARGET [KIND]   (TARGET: x86_64 | i386 | i386-pae; KIND: test | bench | bench-base)"
[ $# -ge 1 ] && [ $# -le 2 ] || die "$usage"
target=$1
kind=${2:-test}
check_target "$target"
[ "$target" != um ] || die "the um target is built by kunit.py: use scripts/kunit-um.sh"
arch=$(target_arch "$target")
c=$TOP/configs
case $kind in
test)
	src=${SFDOOR_SRC:-$("$TOP/scripts/tree.sh" | tail -n 1)}
	sfx=${SFDOOR_BUILD_SUFFIX:-}
	frags=("$c/vm.config" "$c/features.config" "$c/test.config" "$c/debug.config"
	       "$c/debug-$arch.config" "$c/series.config" "$c/$target.config") ;;
bench)
	src=$("$TOP/scripts/tree.sh" | tail -n 1)
	sfx=-bench
	frags=("$c/vm.config" "$c/features.config" "$c/bench.config"
	       "$c/$target.config" "$c/series.config") ;;
bench-base)
	"$TOP/scripts/tree.sh" >/dev/null
	src=$PRISTINE
	sfx=-bench-base
	frags=("$c/vm.config" "$c/features.config" "$c/bench.config"
	       "$c/$target.config") ;;
*) die "unknown kernel kind '$kind'; $usage" ;;
esac
out=$BUILD/$target$sfx
log=$LOGS/build-$target$sfx.log
mkdir -p "$out"
export KBUILD_BUILD_USER=sfdoor KBUILD_BUILD_HOST=sfdoor
export KBUILD_BUILD_TIMESTAMP="2025-01-01"

make_kernel() {
	make -C "$src" O="$out" ARCH="$arch" CC="$(kernel_cc)" \
		HOSTCC="$(kernel_cc)" -j"$(jobs)" "$@"
}

: >"$log"
want=$(cat "${frags[@]}" | sha1sum)
if [ ! -f "$out/.config" ] || [ "$(cat "$out/.sfdoor-config" 2>/dev/null)" != "$want" ]; then
	say "configuring $target (log: $log)"
	(cd "$src" && ARCH=$arch CC="$(kernel_cc)" \
		scripts/kconfig/merge_config.sh -n -O "$out" "${frags[@]}") \
		>>"$log" 2>&1 || die_log "$log" "configuring $target failed"
	# Every option a fragment asks for must survive: a typo or an
	# unmet dependency would otherwise silently test something else.
	bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=n) want_line="# ${line%=n} is not set" ;;
		CONFIG_*) want_line=$line ;;
		*) continue ;;
		esac
		if ! grep -qxF "$want_line" "$out/.config"; then
			warn "$target: '$line' did not survive (dependencies?)"
			bad=1
		fi
	done < <(cat "${frags[@]}")
	[ $bad -eq 0 ] || [ -n "${SFDOOR_CONFIG_PARTIAL:-}" ] ||
		die "$target configuration does not hold what configs/ asks for (see $out/.config)"
	echo "$want" >"$out/.sfdoor-config"
fi

say "building the $kind $target kernel in $out (log: $log; about 10 minutes cold on 2 CPUs, 1 to 3 with a warm ccache)"
start=$SECONDS
make_kernel bzImage >>"$log" 2>&1 || {
	grep -E 'error:|Error [0-9]' "$log" | head -n 20 >&2 || true
	die_log "$log" "building the $target kernel failed"
}
say "built $out/arch/x86/boot/bzImage in $((SECONDS - start)) s"
# What this kernel was built from, for make bench's provenance: the
# commit of this repository (the series) and a hash of what the tree got
# from it, or the pristine base.
if [ "$kind" = bench-base ]; then
	echo "none (pristine $KERNEL_PKG)" >"$out/.sfdoor-series"
else
	echo "$(git -C "$TOP" describe --always --dirty 2>/dev/null || echo '?'), patches+overlay $(cd "$TOP" &&
		git ls-files -z patches $OVERLAY_DIRS | xargs -0 cat | sha256sum | cut -c1-12)" \
		>"$out/.sfdoor-series"
fi
