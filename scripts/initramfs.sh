#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the test VM's initramfs: a C init and static kselftest binaries.
# Usage: scripts/initramfs.sh TARGET OUTPUT.cpio
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: scripts/initramfs.sh TARGET OUTPUT.cpio"
target=$1
cpio_out=$2
check_target "$target"
src=${SFDOOR_SRC:-$("$TOP/scripts/tree.sh" | tail -n 1)}
case $target in
i386*) "$TOP/scripts/deps.sh" vm i386; m=-m32 ;;
*) "$TOP/scripts/deps.sh" vm; m=-m64 ;;
esac

# SFDOOR_TESTS names another list of tests; SFDOOR_BUILD_SUFFIX keeps the
# files of a kernel built from another tree apart.
tests=${SFDOOR_TESTS:-$TOP/guest/tests.list}
[ -f "$tests" ] || die "no test list $tests"
sfx=${SFDOOR_BUILD_SUFFIX:-}
stage=$BUILD/initramfs-$target$sfx
log=$LOGS/initramfs-$target$sfx.log
uapi=$BUILD/uapi-$target$sfx
rm -rf "$stage"
mkdir -p "$stage/tests"
: >"$log"

cc_static() {
	local out=$1; shift
	gcc ${mode:-$m} -static -O2 -Wall -D_GNU_SOURCE -isystem "$uapi/usr/include" \
		-o "$out" "$@" -lpthread >>"$log" 2>&1 ||
		die_log "$log" "compiling $* for $target failed"
}

# libdoor built and installed as a user would (make install DESTDIR=),
# once per word size; prints the pkg-config flags of that installation.
libdoor_flags() {
	local dir=$stage/libdoor${mode:-$m} lib=$src/tools/lib/door
	if [ ! -f "$dir/installed" ]; then
		say "building libdoor (${mode:-$m}) from $lib" >&2
		make -C "$lib" OUTPUT="$dir/build/" CC="gcc ${mode:-$m}" \
			UAPI="$uapi/usr/include" PREFIX=/usr DESTDIR="$dir/root" \
			install >>"$log" 2>&1 ||
			die_log "$log" "building libdoor for $target failed"
		# the installed headers, from C++ as a C++ program sees them
		printf '#include <sys/door.h>\n#include <door.h>\n' |
			g++ ${mode:-$m} -std=c++11 -Wall -Wextra -Werror -fsyntax-only \
			-I"$dir/root/usr/include" -x c++ - >>"$log" 2>&1 ||
			die_log "$log" "libdoor's door.h does not compile as C++"
		touch "$dir/installed"
	fi
	PKG_CONFIG_SYSROOT_DIR=$dir/root \
	PKG_CONFIG_LIBDIR=$dir/root/usr/lib/pkgconfig \
		pkg-config --cflags --libs --static libdoor 2>>"$log" ||
		die_log "$log" "pkg-config does not find the libdoor just installed"
}

# Test programs see this tree's uapi headers (new system calls, ...).
make -C "$src" O="$uapi" ARCH="$(target_arch "$target")" \
	headers >>"$log" 2>&1 || die_log "$log" "exporting uapi headers failed"

cc_static "$stage/init" "$TOP/guest/init.c"
: >"$stage/tests/list"
while read -r line; do
	set -- $line
	case ${1:-#} in
	'#'*) continue ;;
	timeout) echo "$line" >>"$stage/tests/list"; continue ;;
	esac
	# "m32 TEST": also run TEST as a 32-bit program on the 64-bit kernel
	mode= suffix= libs=
	if [ "$1" = m32 ]; then
		shift
		[ "$m" = -m64 ] || continue
		mode=-m32 suffix=_m32
	fi
	# "libdoor TEST": a program of libdoor's users, linked with it
	if [ "$1" = libdoor ]; then
		shift
		libs=$(libdoor_flags) || exit 1
	fi
	[ -f "$src/$1" ] || die "$tests names $1, which is not in $src"
	name=$(basename "$1" .c)$suffix
	cc_static "$stage/tests/$name" "$src/$1" $libs
	shift
	echo "$name $*" >>"$stage/tests/list"
done <"$tests"

# gen_init_cpio makes device nodes without needing root.
gen=$BUILD/gen_init_cpio
[ "$gen" -nt "$src/usr/gen_init_cpio.c" ] ||
	gcc -O2 -o "$gen" "$src/usr/gen_init_cpio.c" >>"$log" 2>&1 ||
	die_log "$log" "building gen_init_cpio failed"
{
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "dir /proc 0755 0 0"
	echo "dir /sys 0755 0 0"
	echo "dir /tmp 1777 0 0"
	echo "dir /tests 0755 0 0"
	echo "file /init $stage/init 0755 0 0"
	for f in "$stage"/tests/*; do
		echo "file /tests/$(basename "$f") $f 0755 0 0"
	done
} >"$stage.spec"
"$gen" "$stage.spec" >"$cpio_out" 2>>"$log" || die_log "$log" "gen_init_cpio failed"
