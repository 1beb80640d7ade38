#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make the benchmark guest's disk image for a target: the cached Debian
# root file system (scripts/rootfs.sh), the benchmark programs, the guest
# init (guest/bench-init.sh) and a plan of workloads, as an ext4 image
# made with mke2fs -d (no root mounts).  PLAN becomes /bench/plan; each
# further plan, named plan-*, is copied under its own name, for boots
# that ask for it (scripts/bench-vm.sh's PLAN).
# Usage: scripts/bench-image.sh TARGET PLAN IMAGE [plan-*...]
. "$(dirname "$0")/lib.sh"

[ $# -ge 3 ] ||
	die "usage: scripts/bench-image.sh TARGET PLAN IMAGE [plan-*...]"
target=$1
plan=$2
image=$3
shift 3
check_target "$target"
[ -f "$plan" ] || die "no plan file $plan"
for p in "$@"; do
	[ -f "$p" ] || die "no plan file $p"
	case $(basename "$p") in
	plan-*) ;;
	*) die "a further plan's file name starts with plan-, unlike $p" ;;
	esac
done
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
for p in "$@"; do
	install -m 0644 "$p" "$stage/bench/$(basename "$p")"
done
rm -f "$image"
mke2fs -q -F -t ext4 -E lazy_itable_init=0,lazy_journal_init=0 \
	-L sfdoor-bench -d "$stage" "$image" 2G >"$log" 2>&1 ||
	die_log "$log" "mke2fs -d $stage failed"
rm -rf "$stage"
say "guest image $image (log: $log)"
