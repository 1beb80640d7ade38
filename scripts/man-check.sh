#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# libdoor's man pages: every tools/lib/door/man/*.scd builds with scdoc
# and formats with groff without a warning, and every function that
# tools/lib/door/include/door.h and ucred.h declare has a page of its
# own or is named in the NAME section of one.  Appends "RESULT man PASSED
# FAILED" to RESULTS-FILE.
# Usage: scripts/man-check.sh [RESULTS-FILE]
. "$(dirname "$0")/lib.sh"

[ $# -le 1 ] || die "usage: scripts/man-check.sh [RESULTS-FILE]"
results=${1:-/dev/null}
lib=$TOP/tools/lib/door
log=$LOGS/man-check.log
mkdir -p "$LOGS"
: >"$log"
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "ok: $*" >>"$log"; }
fail() { failed=$((failed + 1)); echo "FAILED: $*" >>"$log"; echo "man: $* (log: $log)" >&2; }

for tool in scdoc groff; do
	if ! command -v "$tool" >/dev/null; then
		echo "RESULT man 0 1" >>"$results"
		die "$tool is missing; run: apt-get install ${tool/groff/groff-base}"
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Each page: scdoc, then groff with every warning, which must say nothing.
names=$tmp/names
: >"$names"
for src in "$lib"/man/*.scd; do
	[ -f "$src" ] || continue
	page=$(basename "$src" .scd)
	if ! scdoc <"$src" >"$tmp/$page" 2>"$tmp/err"; then
		fail "$page: scdoc failed: $(cat "$tmp/err")"
		continue
	fi
	if ! groff -man -ww -z "$tmp/$page" >"$tmp/err" 2>&1 || [ -s "$tmp/err" ]; then
		cat "$tmp/err" >>"$log"
		fail "$page: groff -man -ww warns"
		continue
	fi
	pass "$page"
	# the page's name and the names in its NAME section
	echo "${page%.*}" >>"$names"
	sed -n '/^# NAME$/,/^# /{/^# /d; s/ - .*//; p}' "$src" |
		tr ',' '\n' | tr -d ' ' | grep -v '^$' >>"$names" || true
done

# Every function the public headers declare: NAME( at the start of a
# declaration, after its return type.
decls=$(sed -e 's,/\*.*\*/,,' "$lib/include/door.h" "$lib/include/ucred.h" |
	grep -v '^\s*typedef' |
	grep -oE '^[a-z_][a-z0-9_ ]*[ *]+\**[a-z_][a-z0-9_]*\(' |
	grep -oE '[a-z_][a-z0-9_]*\($' | tr -d '(' | sort -u)
[ -n "$decls" ] || fail "no function declarations found in door.h and ucred.h"
for f in $decls; do
	if grep -qx "$f" "$names"; then
		pass "$f has a page"
	else
		fail "$f is declared in door.h or ucred.h but has no man page"
	fi
done

echo "RESULT man $passed $failed" >>"$results"
echo "man: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
