#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one benchmark kernel with the benchmark guest image, let it run the
# image's plan, and copy what it wrote to its results disk into OUTDIR.
# Progress lines go to the terminal; the whole console goes to a log.
# OUTDIR/provenance says what ran: kernel, configuration, qemu and flags.
# OUTDIR/timing: the host's seconds since qemu started at each progress
# marker, which says what a workload costs in real time (see make bench).
# Usage: scripts/bench-vm.sh TARGET KIND IMAGE OUTDIR [PLAN]
#   KIND: bench (patched) or bench-base (unpatched), as built by
#   scripts/build.sh TARGET KIND
#   PLAN: the name of a plan file in the image's /bench/ (default: plan).
#     No KUnit at boot, on either kernel, unless the name has "kunit" in
#     it: then KUnit runs the sf_buf microbenchmark at boot, which makes
#     its debugfs file, in a boot of its own so that no workload runs
#     after it
#   CLOCK=wall (default): qemu's multi-threaded TCG, guest time is the
#     host's (emulated: noisy); CLOCK=icount: -icount shift=0,sleep=off,
#     guest time is an exact count of instructions (1 ns = 1 instruction)
#   PSE=1: boot i386 guests with PSE, as before (every kernel invlpg then
#     flushes qemu's whole kernel TLB, ~2.3 us); default: without PSE, so
#     that an invlpg costs one page, as on hardware
. "$(dirname "$0")/lib.sh"

usage="usage: scripts/bench-vm.sh TARGET KIND IMAGE OUTDIR [PLAN]"
[ $# -eq 4 ] || [ $# -eq 5 ] || die "$usage"
target=$1
kind=$2
image=$3
outdir=$4
plan=${5:-plan}
check_target "$target"
case $kind in
bench | bench-base) ;;
*) die "unknown benchmark kernel kind '$kind' (bench or bench-base)" ;;
esac
case $plan in
plan | plan-*) ;;
*) die "the plan is a file of the image's /bench/ named plan or plan-*, not '$plan'; $usage" ;;
esac
clock=${CLOCK:-wall}
case $clock in
wall | icount) ;;
*) die "CLOCK is wall or icount, not '$clock'" ;;
esac
case ${PSE:-} in
'' | 0 | 1) ;;
*) die "PSE is 1 (i386 guests keep PSE) or empty, not '$PSE'" ;;
esac
kernel=$BUILD/$target-$kind/arch/x86/boot/bzImage
[ -f "$kernel" ] || die "no kernel at $kernel: run scripts/build.sh $target $kind first"
[ -f "$image" ] || die "no guest image $image: run scripts/bench-image.sh first"
"$TOP/scripts/deps.sh" vm bench
log=$LOGS/bench-vm-$target-$kind-$clock-$plan.log
timeout=${SFDOOR_BENCH_TIMEOUT:-5400}

qemu_for "$target"
# Identical settings for both kernels; 2 GiB gives i386 its highmem.
mem=2048
accel=$(qemu_accel "$qemu" "$kernel" "$mem")
accel_opts=$accel
clock_opts=()
if [ "$clock" = icount ]; then
	# icount is TCG's: one vCPU at a time on one host thread.  The guest
	# clock advances 1 ns per instruction executed; sleep=off: when every
	# vCPU is idle it jumps to the next timer deadline at once (counted,
	# deterministic, not waited for in real time).
	accel=tcg
	accel_opts=tcg,thread=single
	clock_opts=(-icount shift=0,sleep=off)
fi
# qemu's i386 CPU models have PSE: the kernel then maps its direct map
# with 4 MiB pages, and qemu turns every invlpg in that range into a flush
# of the whole kernel TLB.  Without PSE the direct map is made of 4 KiB
# pages and an invlpg invalidates one page, as on hardware.
if [ "$(target_arch "$target")" = i386 ] && [ "${PSE:-0}" != 1 ]; then
	case $target in
	i386-pae) cpu=(-cpu qemu32,+nx,-pse) ;;
	*) cpu=(-cpu qemu32,-pse) ;;
	esac
fi
# one name for both kernels: the qemu flags of every boot are compared
results=$BUILD/bench-results-$target.img
rm -f "$results"
truncate -s 512M "$results"
# initialised now, not lazily by a kernel thread during the workloads
mke2fs -q -F -t ext4 -E lazy_itable_init=0,lazy_journal_init=0 -L results "$results" ||
	die "cannot make the results disk $results"
# brd.rd_size: a 64 MiB RAM disk, larger than the sf_buf cache's 4 MiB.
# tsc=reliable: under TCG the watchdog rejects the TSC and the clock falls
# back to jiffies (4 ms steps), useless for per-call latencies.
# KUnit: nothing at boot in the workloads' boot (the unpatched kernel
# has no suite to run, so neither does the patched one); in the
# microbenchmark's boot only sf_buf_test_bench runs at boot (its debugfs
# file exists only then), and the guest runs it again under perf.
# sfdoor_plan: the plan the guest's init reads (it reads /proc/cmdline).
cmdline="console=ttyS0 root=/dev/vda rw init=/bench/init panic=-1 brd.rd_size=65536 tsc=reliable"
case $plan in
*kunit*) cmdline="$cmdline kunit.filter_glob=sfbuf.sf_buf_test_bench" ;;
*) cmdline="$cmdline kunit.enable=0" ;;
esac
[ "$plan" = plan ] || cmdline="$cmdline sfdoor_plan=$plan"
qemu_cmd=("$qemu" -machine pc -accel "$accel_opts" "${clock_opts[@]}"
	"${cpu[@]}" -smp 2 -m "$mem" -nographic -no-reboot -kernel "$kernel"
	-drive file="$image",format=raw,if=virtio,snapshot=on
	-drive file="$results",format=raw,if=virtio
	-append "$cmdline")
image_sum=$(sha256sum <"$image" | cut -c1-16)
say "booting the $kind $target kernel under ${accel^^} ($clock clock${cpu[*]:+, ${cpu[*]}}), -smp 2, $mem MiB (console: $log)"
# The guest's progress markers, to the terminal and, stamped with the
# host's seconds since the boot began, to a timing file.
progress() {
	local line
	while IFS= read -r line; do
		case $line in
		'sfdoor-bench: '*)
			echo "    ${line#sfdoor-bench: }"
			echo "$((SECONDS - start)) ${line#sfdoor-bench: }" >>"$timing"
			;;
		esac
	done
}
timing=$BUILD/bench-timing-$target.txt
rm -f "$timing"
start=$SECONDS
set +e
timeout --foreground -k 10 "$timeout" "${qemu_cmd[@]}" </dev/null 2>&1 |
	sed -u 's/\r$//' | tee "$log" | progress
rc=${PIPESTATUS[0]}
set -e
say "$kind $target guest finished in $((SECONDS - start)) s (qemu exit $rc)"
if grep -q '^sfdoor-bench: FAILED' "$log" || ! grep -q '^sfdoor-bench: DONE' "$log"; then
	why=$(grep -m1 '^sfdoor-bench: FAILED' "$log" || true)
	[ -n "$why" ] || why="the guest did not finish (qemu exit $rc; 124 means the ${timeout}s limit; did it boot?)"
	die_log "$log" "$kind $target: $why"
fi
rm -rf "$outdir"
mkdir -p "$outdir"
debugfs -R "rdump / $outdir" "$results" >"$LOGS/bench-extract-$target-$kind.log" 2>&1 ||
	die_log "$LOGS/bench-extract-$target-$kind.log" "cannot copy the results out of $results"
rm -rf "$outdir/lost+found"
# A workload that failed (not 0, not 4 = skipped) fails the run now,
# before the next kernel boots.
bad=$(cd "$outdir" && for f in *.rc; do
	[ -e "$f" ] || continue	# a plan with no workload
	rc=$(cat "$f")
	[ "$rc" = 0 ] || [ "$rc" = 4 ] || echo "${f%.rc} (exit $rc)"
done)
if [ -n "$bad" ]; then
	echo "$kind $target: these workloads failed; their output is in $outdir/NAME.out:" >&2
	echo "$bad" | sed 's/^/  /' >&2
	die "$kind $target: $(echo "$bad" | wc -l) workload(s) failed (console: $log)"
fi
cp "$log" "$outdir/console.log"
mv "$timing" "$outdir/timing"
# What ran, for the report's header (which states only what it checked)
{
	echo "kernel: $([ "$kind" = bench ] && echo patched || echo unpatched)"
	echo "kernel-release: $(cat "$BUILD/$target-$kind/include/config/kernel.release" 2>/dev/null || echo '?')"
	# what scripts/build.sh recorded when it built this kernel
	echo "series: $(cat "$BUILD/$target-$kind/.sfdoor-series" 2>/dev/null || echo '?')"
	echo "config-sha256: $(sha256sum <"$BUILD/$target-$kind/.config" | cut -c1-16)"
	echo "bzimage-sha256: $(sha256sum <"$kernel" | cut -c1-16)"
	echo "image-sha256: $image_sum"
	echo "clock: $clock"
	echo "plan: $plan"
	echo "qemu-version: $($qemu --version | head -n 1 | sed 's/.*version //')"
	echo "qemu-flags: ${qemu_cmd[*]:1}" | sed "s|$BUILD/||g"
	echo "host: $(nproc) CPUs, $(uname -r)"
	echo "date: $(date -u +%Y-%m-%d)"
} >"$outdir/provenance"
rm -f "$results"
say "$kind $target results in $outdir"
