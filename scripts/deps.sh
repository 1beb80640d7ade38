#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages a step needs, if they are missing.
# Usage: scripts/deps.sh GROUP...   (groups: base kernel vm i386 check arm bench)
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: scripts/deps.sh GROUP... (base kernel vm i386 check arm bench)"

pkgs=()
for group; do
	case $group in
	base) pkgs+=(make git python3 rsync xz-utils) ;;
	kernel) pkgs+=("$KERNEL_PKG" quilt gcc flex bison bc libelf-dev libssl-dev
		       cpio kmod ccache perl) ;;
	vm) pkgs+=(qemu-system-x86 cpio gcc g++ libc6-dev pkgconf) ;;
	i386) pkgs+=(gcc-multilib) ;;
	check) pkgs+=(perl git quilt sparse scdoc groff-base) ;;
	arm) pkgs+=(gcc-arm-linux-gnueabihf) ;;
	bench) pkgs+=(debootstrap e2fsprogs gnuplot-nox) ;;
	*) die "unknown package group '$group' (known: base kernel vm i386 check arm bench)" ;;
	esac
done

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	die "missing Debian packages; run: sudo apt-get install ${missing[*]}"
fi

log=$LOGS/apt.log
say "installing ${missing[*]} (log: $log)"
# A fresh machine has no package lists yet.
if ! ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1 ||
   ! apt-cache show "${missing[0]}" >/dev/null 2>&1; then
	apt-get update >>"$log" 2>&1 || die_log "$log" "apt-get update failed"
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	"${missing[@]}" >>"$log" 2>&1 ||
	die_log "$log" "apt-get install ${missing[*]} failed"
