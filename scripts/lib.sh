# SPDX-License-Identifier: GPL-2.0
# Shared definitions for the project's scripts; sourced, never run.
# Usage: . "$(dirname "$0")/lib.sh"

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The one place the kernel base is pinned.
KERNEL_PKG=linux-source-6.12
KERNEL_TARBALL=/usr/src/linux-source-6.12.tar.xz
KERNEL_TESTED=6.12.118

# Kernel sources and build trees live outside git's view.
CACHE=${SFDOOR_CACHE:-$HOME/.cache/sfdoor}
PRISTINE=$CACHE/src/pristine
WORK=$CACHE/src/work
BUILD=$CACHE/build
# Logs and generated artefacts live in the checkout, ignored by git.
OUT=$TOP/out
LOGS=$OUT/logs

# Directories of the overlay: new kernel files at their kernel paths.
OVERLAY_DIRS="arch block Documentation drivers fs include ipc kernel lib mm tools"

TARGETS="um x86_64 i386 i386-pae i386-rt"

say() { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Print the last lines of a log and fail, naming the log.
die_log() {
	local log=$1; shift
	printf 'error: %s\n' "$*" >&2
	if [ -f "$log" ]; then
		printf -- '--- last lines of %s ---\n' "$log" >&2
		tail -n 30 "$log" >&2
		printf -- '--- full log: %s ---\n' "$log" >&2
	fi
	exit 1
}

check_target() {
	case " $TARGETS " in
	*" $1 "*) ;;
	*) die "unknown target '$1' (known: $TARGETS)" ;;
	esac
}

# Kernel ARCH for a target.
target_arch() {
	case $1 in
	um) echo um ;;
	x86_64) echo x86_64 ;;
	i386 | i386-pae | i386-rt) echo i386 ;;
	esac
}

jobs() { nproc; }

# Use ccache when it is installed.
kernel_cc() {
	if command -v ccache >/dev/null; then echo "ccache gcc"; else echo gcc; fi
}

# The qemu binary for a target in $qemu, and extra CPU options in the
# array $cpu.  Usage: qemu_for TARGET
qemu_for() {
	cpu=()
	case $1 in
	x86_64) qemu=qemu-system-x86_64 ;;
	i386 | i386-rt) qemu=qemu-system-i386 ;;
	# qemu's default 32-bit CPU has no NX: a PAE kernel then warns
	# (DEBUG_VM) when ACPI maps its tables with an NX protection.
	i386-pae) qemu=qemu-system-i386; cpu=(-cpu qemu32,+nx) ;;
	esac
}

# Debian's name for a target's architecture (the benchmark guest's).
debian_arch() {
	case $1 in
	x86_64) echo amd64 ;;
	i386*) echo i386 ;;
	esac
}

# The qemu accelerator for a kernel: KVM only where a kernel actually
# boots with it (on some machines /dev/kvm exists and does not work).  The
# probe's answer is cached per host; SFDOOR_TCG=1 forces TCG.
# Usage: qemu_accel QEMU KERNEL MEM_MB
qemu_accel() {
	local probe=$CACHE/kvm-probe-$(uname -n)

	if [ ! -e /dev/kvm ] || [ -n "${SFDOOR_TCG:-}" ]; then
		echo tcg
		return
	fi
	if [ ! -f "$probe" ]; then
		# Without an initramfs a kernel that boots ends in a panic.
		timeout 60 "$1" -machine pc -accel kvm -m "$3" -nographic \
			-no-reboot -kernel "$2" -append "console=ttyS0 panic=-1" \
			</dev/null >"$probe.log" 2>&1 || true
		if grep -q 'Kernel panic' "$probe.log"; then
			echo kvm >"$probe"
		else
			echo tcg >"$probe"
		fi
	fi
	cat "$probe"
}

# quilt run by the scripts and by developers uses the same settings.
export QUILTRC=$TOP/scripts/quiltrc

mkdir -p "$LOGS" "$BUILD"
