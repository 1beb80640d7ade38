#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The showcase: build the patched i386 HIGHMEM kernel, boot it, show it.
# Usage: scripts/run.sh [TARGET]   (default: i386)
. "$(dirname "$0")/lib.sh"

target=${1:-i386}
check_target "$target"
[ "$target" != um ] || die "make run boots a VM: pick x86_64, i386 or i386-pae"
"$TOP/scripts/deps.sh" base kernel vm i386
say "step 1/3: preparing the kernel tree (pristine $KERNEL_PKG + overlay + patches)"
"$TOP/scripts/tree.sh" >/dev/null
say "step 2/3: building the $target kernel"
"$TOP/scripts/build.sh" "$target"
say "step 3/3: booting it under qemu (TCG, 2 CPUs) and running its tests"
rc=0
"$TOP/scripts/vm.sh" "$target" || rc=$?
log=$LOGS/vm-$target.log
echo
echo "What the guest said (full console log: $log):"
sed -n 's/^sfdoor-show: /  /p' "$log"
sed -nE 's/^(\[[ 0-9.]*\] )?((not )?ok [0-9]+ (sfbuf|door_buf))$/  KUnit suite: \2/p' "$log"
echo
echo "sf_buf microbenchmark (KUnit, ns per map+unmap under TCG; IPIs received):"
sed -n 's/.*sf_buf_test_bench: bench /  /p' "$log"
echo
echo "sf_buf counters moved by each converted subsystem's kselftest:"
sed -n 's/.*# sfbuf deltas /  /p' "$log"
echo
echo "Doors: door_stress throughput, then door_bench round trips (ns, TCG) against a pipe ping-pong:"
sed -nE 's/^# ([0-9]+ calls in .*)/  \1/p' "$log"
sed -n 's/.*# bench /  /p' "$log"

# With the benchmark guest made (by make bench), also show perf counting
# IPIs on the non-debug patched kernel, next to the sf_buf counters.
if [ $rc -eq 0 ] && [ -f "$CACHE/rootfs/$(debian_arch "$target")/.sfdoor-rootfs" ]; then
	say "and: perf in the benchmark guest (non-debug patched $target kernel)"
	plan=$OUT/run-plan.txt
	printf '%s\n' "pipe-64k 1 stat map_bench -m 16 pipe-64k" \
		"brd-write 1 stat map_bench -m 16 brd-write" >"$plan"
	"$TOP/scripts/build.sh" "$target" bench
	"$TOP/scripts/bench-image.sh" "$target" "$plan" "$BUILD/run-$target.img"
	res=$OUT/run-perf-$target
	"$TOP/scripts/bench-vm.sh" "$target" bench "$BUILD/run-$target.img" "$res" >/dev/null
	rm -f "$BUILD/run-$target.img"
	for w in pipe-64k brd-write; do
		echo
		echo "$w: $(grep -h '^map_bench' "$res/$w.1.out")"
		echo "  perf stat -a ($res/$w.1.stat):"
		awk -F, '/^[0-9]/ { printf "    %10d  %s\n", $1, $3 }' "$res/$w.1.stat"
		echo "  counters moved (sf_buf; irq_cal, irq_tlb: IPIs received, /proc/interrupts):"
		paste "$res/$w.1.vmstat0" "$res/$w.1.vmstat1" |
			awk '{ printf "    %10d  %s\n", $4 - $2, $1 }'
	done
else
	echo
	echo "(make bench makes a Debian guest with perf; once it exists, make run also"
	echo " shows perf's IPI counts for a pipe and a brd workload here.)"
fi
exit $rc
