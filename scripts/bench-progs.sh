#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the benchmark programs (map_bench, ipc_bench, libdoor_bench)
# static for a target, against the patched tree's uapi headers.  make
# bench copies them into its guest; make test builds them so that they
# cannot rot.
# Usage: scripts/bench-progs.sh TARGET DIR [RESULTS-FILE]
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] && [ $# -le 3 ] || die "usage: scripts/bench-progs.sh TARGET DIR [RESULTS-FILE]"
target=$1
dir=$2
results=${3:-/dev/null}
check_target "$target"
[ "$target" != um ] || die "the benchmark programs run in the x86 guests: pick x86_64, i386 or i386-pae"
case $target in
i386*) "$TOP/scripts/deps.sh" vm i386; m=-m32 ;;
*) "$TOP/scripts/deps.sh" vm; m=-m64 ;;
esac
src=$("$TOP/scripts/tree.sh" | tail -n 1)
# the headers the test initramfs exports from the same tree
uapi=$BUILD/uapi-$target
log=$LOGS/bench-progs-$target.log
progs="tools/testing/selftests/sfbuf/map_bench.c tools/testing/selftests/door/ipc_bench.c"
mkdir -p "$dir"
: >"$log"

make -C "$src" O="$uapi" ARCH="$(target_arch "$target")" headers >>"$log" 2>&1 ||
	die_log "$log" "exporting uapi headers failed"
n=0
for p in $progs; do
	gcc $m -static -O2 -Wall -Wextra -Werror -D_GNU_SOURCE \
		-isystem "$uapi/usr/include" -I"$src/tools/testing/selftests" \
		-o "$dir/$(basename "$p" .c)" "$src/$p" -lpthread >>"$log" 2>&1 || {
		echo "RESULT bench-progs-$target $n 1" >>"$results"
		die_log "$log" "compiling $p for $target failed"
	}
	n=$((n + 1))
done
# libdoor_bench: a program of libdoor's users, linked with it
make -C "$src/tools/lib/door" OUTPUT="$BUILD/libdoor-bench-$target/" CC="gcc $m" \
	UAPI="$uapi/usr/include" "$BUILD/libdoor-bench-$target/libdoor.a" >>"$log" 2>&1 &&
gcc $m -static -O2 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-I"$src/tools/lib/door/include" -o "$dir/libdoor_bench" \
	"$src/tools/testing/selftests/door/libdoor_bench.c" \
	"$BUILD/libdoor-bench-$target/libdoor.a" -lpthread >>"$log" 2>&1 || {
	echo "RESULT bench-progs-$target $n 1" >>"$results"
	die_log "$log" "building libdoor_bench for $target failed"
}
n=$((n + 1))
echo "RESULT bench-progs-$target $n 0" >>"$results"
say "benchmark programs for $target in $dir (log: $log)"
