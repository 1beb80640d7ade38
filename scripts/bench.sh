#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmark: boot a built-and-tested kernel and collect what it
# measured, the sf_buf KUnit microbenchmark (ns per map+unmap and IPIs,
# sf_buf against kmap() and kmap_local_page()) and the sf_buf counter
# deltas of each converted subsystem's kselftest, and door round trips
# next to a pipe ping-pong of the same sizes (door_bench, same boot), into
# out/bench-TARGET.txt.
# TCG times are emulated: compare ratios, not absolute values.
# Usage: scripts/bench.sh [TARGET]   (default: i386)
. "$(dirname "$0")/lib.sh"

target=${1:-i386}
check_target "$target"
[ "$target" != um ] || die "make bench boots a VM: pick x86_64, i386 or i386-pae"
"$TOP/scripts/tree.sh" >/dev/null
"$TOP/scripts/build.sh" "$target"
"$TOP/scripts/vm.sh" "$target" >/dev/null ||
	die "the $target VM's tests failed; no numbers taken (log: $LOGS/vm-$target.log)"
log=$LOGS/vm-$target.log
out=$OUT/bench-$target.txt
{
	echo "# $target, qemu TCG -smp 2, $(date -u +%Y-%m-%d)"
	sed -n 's/^sfdoor-show: Linux version \([^ ]*\).*/# kernel \1/p' "$log"
	echo "# sf_buf microbenchmark: load, mapping, ns per map+unmap, IPIs"
	sed -n 's/.*sf_buf_test_bench: bench /  /p' "$log"
	echo "# sf_buf counter deltas of the converted subsystems' kselftests"
	sed -n 's/.*# sfbuf deltas /  /p' "$log"
	echo "# door_bench: mechanism, bytes each way, ns per round trip (ratio to pipe)"
	sed -n 's/.*# bench /  /p' "$log"
} >"$out"
cat "$out"
say "saved in $out (console log: $log)"
