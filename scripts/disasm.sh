#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Check the converted functions in a built kernel's disassembly: without
# HIGHMEM (the x86_64 bench kernel) none of them may call into sf_buf
# code, since sf_buf is then an inline direct-map access; with HIGHMEM
# (i386) or CONFIG_DEBUG_SFBUF (every test kernel), which map every page,
# each subsystem must call it, or the conversion is not in the kernel.
# Usage: scripts/disasm.sh TARGET [RESULTS-FILE [KIND]]   (KIND: test | bench)
. "$(dirname "$0")/lib.sh"

usage="usage: scripts/disasm.sh TARGET [RESULTS-FILE [KIND]]   (KIND: test | bench)"
[ $# -ge 1 ] && [ $# -le 3 ] || die "$usage"
target=$1
results=${2:-/dev/null}
case ${3:-test} in
test) sfx= ;;
bench) sfx=-bench ;;
*) die "unknown kernel kind '$3'; $usage" ;;
esac
check_target "$target"
vmlinux=$BUILD/$target$sfx/vmlinux
[ -f "$vmlinux" ] || die "no $vmlinux: run scripts/build.sh $target first"
log=$LOGS/disasm-$target$sfx.log
: >"$log"

# subsystem: the functions that map pages for it (the compiler may inline
# some of them into the others, or rename them with a .isra/.constprop
# suffix; whichever exist are looked at).
groups=(
	"pipe: pipe_read pipe_write pipe_to_user"
	"brd: brd_submit_bio brd_do_bvec copy_to_brd copy_from_brd brd_map_page"
	"remote-vm: __access_remote_vm"
	"exec: copy_strings copy_string_kernel remove_arg_zero copy_arg_from_user arg_unmap arg_get_ptr arg_strnlen"
)
if grep -qE '^CONFIG_(HIGHMEM|DEBUG_SFBUF)=y' "$BUILD/$target$sfx/.config"; then
	want=call
else
	want=none
fi

symbols=$(nm "$vmlinux" | awk '$2 ~ /^[tT]$/ { print $3 }')
passed=0 failed=0
for g in "${groups[@]}"; do
	name=${g%%:*}
	found=0 calls=""
	for fn in ${g#*:}; do
		for sym in $(grep -E "^${fn}(\\.[a-z]+\\.[0-9]+)*\$" <<<"$symbols" || true); do
			found=1
			echo "== $sym" >>"$log"
			objdump -d --no-show-raw-insn --disassemble="$sym" "$vmlinux" >"$log.tmp"
			cat "$log.tmp" >>"$log"
			calls+=" $({ grep -oE 'call +[0-9a-f]+ <[^>+]*sf_buf[^>]*>' "$log.tmp" || true; } |
				sed 's/.*<//; s/>//' | sort -u | tr '\n' ' ')"
		done
	done
	rm -f "$log.tmp"
	calls=$(echo $calls)
	if [ $found = 0 ]; then
		echo "disasm-$target: $name: none of${g#*:} is in vmlinux" >&2
		failed=$((failed + 1))
	elif [ $want = none ] && [ -n "$calls" ]; then
		echo "disasm-$target: $name calls sf_buf code without HIGHMEM or DEBUG_SFBUF: $calls" >&2
		failed=$((failed + 1))
	elif [ $want = call ] && [ -z "$calls" ]; then
		echo "disasm-$target: $name makes no call to sf_buf code with HIGHMEM or DEBUG_SFBUF" >&2
		failed=$((failed + 1))
	else
		echo "disasm-$target: $name: ${calls:-no call into sf_buf code (direct map)}"
		passed=$((passed + 1))
	fi
done
echo "RESULT disasm-$target $passed $failed" >>"$results"
echo "disasm-$target: $passed passed, $failed failed (disassembly: $log)"
[ $failed -eq 0 ]
