#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one benchmark kernel with the benchmark guest image, let it run the
# image's plan, and copy what it wrote to its results disk into OUTDIR.
# Progress lines go to the terminal; the whole console goes to a log.
# Usage: scripts/bench-vm.sh TARGET KIND IMAGE OUTDIR
#   KIND: bench (patched) or bench-base (unpatched), as built by
#   scripts/build.sh TARGET KIND
. "$(dirname "$0")/lib.sh"

[ $# -eq 4 ] || die "usage: scripts/bench-vm.sh TARGET KIND IMAGE OUTDIR"
target=$1
kind=$2
image=$3
outdir=$4
check_target "$target"
case $kind in
bench | bench-base) ;;
*) die "unknown benchmark kernel kind '$kind' (bench or bench-base)" ;;
esac
kernel=$BUILD/$target-$kind/arch/x86/boot/bzImage
[ -f "$kernel" ] || die "no kernel at $kernel: run scripts/build.sh $target $kind first"
[ -f "$image" ] || die "no guest image $image: run scripts/bench-image.sh first"
"$TOP/scripts/deps.sh" vm bench
log=$LOGS/bench-vm-$target-$kind.log
timeout=${SFDOOR_BENCH_TIMEOUT:-5400}

qemu_for "$target"
# Identical settings for both kernels; 2 GiB gives i386 its highmem.
mem=2048
accel=$(qemu_accel "$qemu" "$kernel" "$mem")
results=$BUILD/bench-results-$target-$kind.img
rm -f "$results"
truncate -s 512M "$results"
# initialised now, not lazily by a kernel thread during the workloads
mke2fs -q -F -t ext4 -E lazy_itable_init=0,lazy_journal_init=0 -L results "$results" ||
	die "cannot make the results disk $results"
# brd.rd_size: a 64 MiB RAM disk, larger than the sf_buf cache's 4 MiB.
# tsc=reliable: under TCG the watchdog rejects the TSC and the clock falls
# back to jiffies (4 ms steps), useless for per-call latencies.
# kunit.filter_glob: at boot only the microbenchmark runs; the guest runs
# it again under perf through debugfs.
cmdline="console=ttyS0 root=/dev/vda rw init=/bench/init panic=-1 brd.rd_size=65536 tsc=reliable kunit.filter_glob=sfbuf.sf_buf_test_bench"
say "booting the $kind $target kernel under ${accel^^}, -smp 2, $mem MiB (console: $log)"
start=$SECONDS
set +e
timeout --foreground -k 10 "$timeout" "$qemu" -machine pc -accel "$accel" \
	"${cpu[@]}" -smp 2 -m "$mem" -nographic -no-reboot -kernel "$kernel" \
	-drive file="$image",format=raw,if=virtio,snapshot=on \
	-drive file="$results",format=raw,if=virtio \
	-append "$cmdline" </dev/null 2>&1 | sed -u 's/\r$//' | tee "$log" |
	sed -un 's/^sfdoor-bench: /    /p'
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
	rc=$(cat "$f")
	[ "$rc" = 0 ] || [ "$rc" = 4 ] || echo "${f%.rc} (exit $rc)"
done)
if [ -n "$bad" ]; then
	echo "$kind $target: these workloads failed; their output is in $outdir/NAME.out:" >&2
	echo "$bad" | sed 's/^/  /' >&2
	die "$kind $target: $(echo "$bad" | wc -l) workload(s) failed (console: $log)"
fi
cp "$log" "$outdir/console.log"
echo "qemu $($qemu --version | head -n 1 | sed 's/.*version //'), ${accel^^}, -smp 2, -m $mem, host $(nproc) CPUs, $(date -u +%Y-%m-%d)" >"$outdir/machine"
rm -f "$results"
say "$kind $target results in $outdir"
