#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make the benchmark guest's disk image for a target: the cached Debian
# root file system (scripts/rootfs.sh), the benchmark programs, the guest
# init (guest/bench-init.sh) and a plan of workloads, as an ext4 image
# made with mke2fs -d (no root mounts).  PLAN_KUNIT, if given, is the
# plan of the microbenchmark's own boot (/bench/plan-kunit).
# Usage: scripts/bench-image.sh TARGET PLAN IMAGE [PLAN_KUNIT]
. "$(dirname "$0")/lib.sh"

[ $# -eq 3 ] || [ $# -eq 4 ] ||
	die "usage: scripts/bench-image.sh TARGET PLAN IMAGE [PLAN_KUNIT]"
target=$1
plan=$2
image=$3
plan_kunit=${4:-}
check_target "$target"
[ -f "$plan" ] || die "no plan file $plan"
[ -z "$plan_kunit" ] || [ -f "$plan_kunit" ] || die "no plan file $plan_kunit"
[ "$target" != um ] || die "the benchmark guest is x86_64, i386 or i386-pae, not $target"
rootfs=$("$TOP/scripts/rootfs.sh" "$(debian_arch "$target")" | tail -n 1)
stage=$BUILD/bench-stage-$target
log=$LOGS/bench-image-$target.log

rm -rf "$stage"
# hard links: the stage costs nothing and the cached tree stays as it is
cp -al "$rootfs" "$stage"
mkdir -p "$stage/bench"
"$TOP/scripts/bench-progs.sh" "$target" "$stage/bench" >/dev/null
install -m 0755 "$TOP/guest/bench-init.sh" "$stage/bench/init"
install -m 0644 "$plan" "$stage/bench/plan"
[ -z "$plan_kunit" ] || install -m 0644 "$plan_kunit" "$stage/bench/plan-kunit"
rm -f "$image"
mke2fs -q -F -t ext4 -E lazy_itable_init=0,lazy_journal_init=0 \
	-L sfdoor-bench -d "$stage" "$image" 2G >"$log" 2>&1 ||
	die_log "$log" "mke2fs -d $stage failed"
rm -rf "$stage"
say "guest image $image (log: $log)"
