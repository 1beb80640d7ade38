#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a built kernel in qemu (TCG), let it run its KUnit suites and the
# kselftests of guest/tests.list, and judge the console log.
# Usage: scripts/vm.sh TARGET [RESULTS-FILE]
#   Prints "vm-TARGET: N passed, N failed"; exits non-zero on any failure.
#   Appends "RESULT vm-TARGET PASSED FAILED" to RESULTS-FILE when given.
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: scripts/vm.sh TARGET [RESULTS-FILE]"
target=$1
results=${2:-/dev/null}
check_target "$target"
[ "$target" != um ] || die "the um target runs under kunit.py: use scripts/kunit-um.sh"
src=${SFDOOR_SRC:-$("$TOP/scripts/tree.sh" | tail -n 1)}
kernel=$BUILD/$target${SFDOOR_BUILD_SUFFIX:-}/arch/x86/boot/bzImage
[ -f "$kernel" ] || die "no kernel at $kernel: run scripts/build.sh $target first"
# SFDOOR_TESTS: another test list; SFDOOR_KUNIT=0: a kernel without the
# series' KUnit suites; SFDOOR_RUN: a name for this run's log.
tests=${SFDOOR_TESTS:-$TOP/guest/tests.list}
run=${SFDOOR_RUN:-$target}
log=$LOGS/vm-$run.log
timeout=${SFDOOR_VM_TIMEOUT:-1500}

"$TOP/scripts/deps.sh" vm
initrd=$BUILD/initramfs-$target${SFDOOR_BUILD_SUFFIX:-}.cpio
say "building the $target initramfs"
"$TOP/scripts/initramfs.sh" "$target" "$initrd"

qemu_for "$target"
# i386 needs 2 GiB to have highmem
mem=2048
[ "$target" != x86_64 ] || mem=1024
accel=$(qemu_accel "$qemu" "$kernel" "$mem")
cmdline="console=ttyS0 panic=-1 ${SFDOOR_CMDLINE:-}"
say "booting $target under ${accel^^} with -smp 2 (console log: $log; limit ${timeout}s)"
start=$SECONDS
set +e
timeout --foreground -k 10 "$timeout" "$qemu" -machine pc -accel "$accel" "${cpu[@]}" -smp 2 \
	-m "$mem" -nographic -no-reboot -kernel "$kernel" -initrd "$initrd" \
	-append "$cmdline" </dev/null >"$log" 2>&1
qemu_rc=$?
set -e
# The serial console ends lines with CR LF.
sed -i 's/\r$//' "$log"
say "$target VM finished in $((SECONDS - start)) s"

passed=0
failed=0
problems=()

# KUnit suites run while the kernel boots; kunit.py's parser reads KTAP.
# They finish before init starts: parse only what precedes the first test.
kunit_summary=$(sed '/^sfdoor-test: /,$d' "$log" |
	python3 "$src/tools/testing/kunit/kunit.py" parse 2>&1 |
	sed 's/\x1b\[[0-9;]*m//g' | grep -E 'Testing complete|passed:|failed:' | tail -n 1 || true)
if [ "${SFDOOR_KUNIT:-1}" = 0 ]; then
	:
elif [[ $kunit_summary =~ passed:\ ([0-9]+) ]]; then
	kp=${BASH_REMATCH[1]}
	[[ $kunit_summary =~ failed:\ ([0-9]+) ]] && kf=${BASH_REMATCH[1]} || kf=0
	[[ $kunit_summary =~ crashed:\ ([0-9]+) ]] && kf=$((kf + BASH_REMATCH[1]))
	passed=$((passed + kp))
	failed=$((failed + kf))
	[ "$kf" -eq 0 ] || problems+=("KUnit: $kf case(s) failed")
	say "$target KUnit: $kp passed, $kf failed"
else
	problems+=("no KUnit results in the console log")
	failed=$((failed + 1))
fi

# kselftests: one result per test case from their TAP lines, and the
# program's own exit status on top (a crash may leave no "not ok").
while read -r name status; do
	begin=$(grep -n "^sfdoor-test: BEGIN $name\$" "$log" | head -n 1 | cut -d: -f1)
	end=$(grep -n "^sfdoor-test: END $name " "$log" | head -n 1 | cut -d: -f1)
	# a skipped test is not a passed one
	tp=$(sed -n "${begin},${end}p" "$log" | grep -E '^ok [0-9]+' |
		grep -vc '# SKIP' || true)
	ts=$(sed -n "${begin},${end}p" "$log" | grep -cE '^ok [0-9]+.*# SKIP' || true)
	tf=$(sed -n "${begin},${end}p" "$log" | grep -cE '^not ok [0-9]+' || true)
	case $status in
	0 | 4) ;;
	*) [ "$tf" -gt 0 ] || tf=1 ;;
	esac
	# a program that prints no TAP (make bench's) is one test: its exit
	# status, 0 passed, 4 skipped
	if [ $((tp + tf + ts)) -eq 0 ]; then
		case $status in
		0) tp=1 ;;
		4) ts=1 ;;
		esac
	fi
	passed=$((passed + tp))
	failed=$((failed + tf))
	[ "$tf" -eq 0 ] || problems+=("kselftest $name: $tf failed (exit: $status)")
	skipped=
	[ "$ts" -eq 0 ] || skipped=", $ts skipped"
	say "$target kselftest $name: $tp passed, $tf failed$skipped"
done < <(sed -n 's/^sfdoor-test: END \([^ ]*\) \(.*\)$/\1 \2/p' "$log")
# "m32" lines run only on x86_64 (a 32-bit program on the 64-bit kernel)
case $target in
x86_64) skip='^\s*(#|$|timeout )' ;;
*) skip='^\s*(#|$|timeout |m32 )' ;;
esac
expected=$(grep -cvE "$skip" "$tests" || true)
ran=$(grep -c '^sfdoor-test: END ' "$log" || true)
if [ "$ran" -lt "$expected" ]; then
	problems+=("only $ran of $expected kselftest programs finished")
	failed=$((failed + expected - ran))
fi
if ! grep -q '^sfdoor-test: DONE' "$log"; then
	problems+=("the guest did not finish (qemu exit $qemu_rc; 124 means the ${timeout}s limit)")
	failed=$((failed + 1))
fi

# Any splat fails the run, even when every test passed.
splat='(WARNING:|BUG:|Oops|Kernel panic|kernel BUG|general protection fault|UBSAN:|possible recursive locking|possible circular locking|INFO: task .* blocked|Call Trace:)'
if grep -qE "$splat" "$log"; then
	problems+=("kernel splat in the console log: $(grep -m1 -E "$splat" "$log")")
	failed=$((failed + 1))
fi

echo "RESULT vm-$run $passed $failed" >>"$results"
if [ ${#problems[@]} -gt 0 ]; then
	for p in "${problems[@]}"; do echo "vm-$run: $p" >&2; done
	printf -- '--- last lines of %s ---\n' "$log" >&2
	tail -n 25 "$log" >&2
	printf -- '--- full console log: %s ---\n' "$log" >&2
	echo "vm-$run: $passed passed, $failed failed"
	exit 1
fi
echo "vm-$run: $passed passed, $failed failed"
