#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make the benchmark guest's Debian root file system for one architecture
# (debootstrap minbase with Debian's linux-perf), once, in the cache.
# Usage: scripts/rootfs.sh ARCH   (i386 | amd64; prints the directory last)
#   SFDOOR_MIRROR: the Debian mirror (default: the first one apt uses)
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: scripts/rootfs.sh ARCH (i386 | amd64)"
arch=$1
case $arch in
i386 | amd64) ;;
*) die "unknown rootfs architecture '$arch' (known: i386 amd64)" ;;
esac
"$TOP/scripts/deps.sh" bench

# What the guest needs besides minbase: perf, and nothing that starts
# services.  Changing this list rebuilds the file system.
packages=linux-perf
dir=$CACHE/rootfs/$arch
stamp="bookworm $packages"
log=$LOGS/rootfs-$arch.log

if [ -f "$dir/.sfdoor-rootfs" ] && [ "$(cat "$dir/.sfdoor-rootfs")" = "$stamp" ]; then
	echo "$dir"
	exit 0
fi

mirror=${SFDOOR_MIRROR:-}
if [ -z "$mirror" ]; then
	mirror=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' \
		/etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null |
		awk 'NR == 1 { print $2 }' || true)
	mirror=${mirror:-http://deb.debian.org/debian}
fi

say "debootstrap bookworm $arch from $mirror into $dir (about a minute; log: $log)"
rm -rf "$dir.tmp"
mkdir -p "$(dirname "$dir")"
# First stage only: it downloads every package and unpacks the essential
# ones without running any of the guest's programs.
debootstrap --foreign --arch="$arch" --variant=minbase --include="$packages" \
	bookworm "$dir.tmp" "$mirror" >"$log" 2>&1 ||
	die_log "$log" "debootstrap of the $arch guest from $mirror failed (set SFDOOR_MIRROR to another Debian mirror?)"
if chroot "$dir.tmp" /bin/true >>"$log" 2>&1; then
	# the host runs the guest's programs: a normal second stage
	chroot "$dir.tmp" /debootstrap/debootstrap --second-stage >>"$log" 2>&1 ||
		die_log "$log" "the second stage of debootstrap failed in $dir.tmp"
	# perf must be there and must run: a broken guest would only show
	# up as a benchmark with no numbers.
	chroot "$dir.tmp" perf --version >>"$log" 2>&1 ||
		die_log "$log" "perf does not run in the $arch guest file system"
else
	# A host kernel without 32-bit support ("Exec format error") cannot
	# run the second stage: unpack every package instead.  The guest
	# needs files, not configured packages (no services, no users); it
	# records perf's version itself, and a perf that does not run shows
	# up there.
	echo "the host cannot run $arch programs: unpacking the packages instead" >>"$log"
	for deb in "$dir.tmp"/var/cache/apt/archives/*.deb; do
		dpkg-deb -x "$deb" "$dir.tmp" >>"$log" 2>&1 ||
			die_log "$log" "cannot unpack $deb"
	done
	rm -rf "$dir.tmp/debootstrap"
	ls "$dir.tmp"/usr/bin/perf* >>"$log" 2>&1 ||
		die_log "$log" "no perf in the $arch guest file system"
fi
rm -rf "$dir.tmp"/var/cache/apt/archives/*.deb "$dir.tmp"/var/lib/apt/lists/*
echo "$stamp" >"$dir.tmp/.sfdoor-rootfs"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
say "guest file system: $dir ($(du -sh "$dir" | cut -f1))"
echo "$dir"
