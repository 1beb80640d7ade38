#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Cross-build the patched kernel for 32-bit arm with HIGHMEM (no sf_buf
# cache there: the generic implementation) with the converted users (pipe,
# brd, exec, remote VM access), and W=1 on the sf_buf files.
# Usage: scripts/cross-arm.sh [RESULTS-FILE]
. "$(dirname "$0")/lib.sh"

[ $# -le 1 ] || die "usage: scripts/cross-arm.sh [RESULTS-FILE]"
results=${1:-/dev/null}
# On Debian 12 the arm cross compiler conflicts with gcc-multilib: apt
# removes one to install the other.  The VM targets' scripts put
# gcc-multilib back when they need it.
dpkg -s gcc-multilib >/dev/null 2>&1 &&
	warn "installing gcc-arm-linux-gnueabihf removes gcc-multilib (they conflict); make test reinstalls it"
"$TOP/scripts/deps.sh" arm
src=$("$TOP/scripts/tree.sh" | tail -n 1)
out=$BUILD/arm
log=$LOGS/build-arm.log
cross=arm-linux-gnueabihf-
mkdir -p "$out"
: >"$log"

make_arm() {
	make -C "$src" O="$out" ARCH=arm CROSS_COMPILE="$cross" \
		CC="$(kernel_cc | sed "s/gcc/${cross}gcc/")" -j"$(jobs)" "$@"
}

fail() {
	echo "RESULT cross-arm 0 1" >>"$results"
	die_log "$log" "$*"
}

say "configuring arm (log: $log)"
(cd "$src" && ARCH=arm CROSS_COMPILE=$cross scripts/kconfig/merge_config.sh \
	-n -O "$out" "$TOP/configs/arm.config") >>"$log" 2>&1 ||
	fail "configuring arm failed"
for opt in CONFIG_HIGHMEM=y CONFIG_SFBUF_MAPPING=y CONFIG_SFBUF_KUNIT_TEST=y CONFIG_BLK_DEV_RAM=y; do
	grep -qx "$opt" "$out/.config" || fail "arm: $opt did not survive"
done
say "building arm vmlinux (about 10 minutes cold on 2 CPUs)"
start=$SECONDS
make_arm vmlinux >>"$log" 2>&1 || fail "building arm failed"
make_arm W=1 mm/sfbuf.o mm/sfbuf_kunit.o >>"$log" 2>&1 ||
	fail "W=1 build of the sf_buf files for arm failed"
if grep -E '(warning|error):' "$log" | grep -q sfbuf; then
	fail "warnings in the sf_buf files for arm"
fi
say "arm built in $((SECONDS - start)) s"
echo "RESULT cross-arm 1 0" >>"$results"
echo "cross-arm: 1 passed, 0 failed"
