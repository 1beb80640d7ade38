#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build UML and run the series' KUnit suites with kunit.py.
# Usage: scripts/kunit-um.sh [RESULTS-FILE]
#   Prints "kunit-um: N passed, N failed"; exits non-zero on any failure.
. "$(dirname "$0")/lib.sh"

[ $# -le 1 ] || die "usage: scripts/kunit-um.sh [RESULTS-FILE]"
results=${1:-/dev/null}
src=${SFDOOR_SRC:-$("$TOP/scripts/tree.sh" | tail -n 1)}
log=$LOGS/kunit-um.log
out=$BUILD/um${SFDOOR_BUILD_SUFFIX:-}

say "KUnit on UML: building and running (log: $log; about 8 minutes cold on 2 CPUs)"
start=$SECONDS
set +e
(cd "$src" && python3 tools/testing/kunit/kunit.py run \
	--build_dir="$out" --jobs="$(jobs)" --timeout=600 \
	--make_options="CC=$(kernel_cc)" \
	--kunitconfig="$TOP/configs/um.config" \
	--kunitconfig="$TOP/configs/series.config" \
	--kunitconfig="$TOP/configs/debug.config") >"$log" 2>&1
rc=$?
set -e
summary=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E 'Testing complete' | tail -n 1 || true)
if [[ $summary =~ passed:\ ([0-9]+) ]]; then
	passed=${BASH_REMATCH[1]}
	[[ $summary =~ failed:\ ([0-9]+) ]] && failed=${BASH_REMATCH[1]} || failed=0
	[[ $summary =~ crashed:\ ([0-9]+) ]] && failed=$((failed + BASH_REMATCH[1]))
else
	passed=0
	failed=1
fi
[ $rc -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
# The kernel's own output is in the build directory; a splat fails the run.
splat='(WARNING:|BUG:|Oops|Kernel panic|kernel BUG|possible recursive locking|possible circular locking|Call Trace:)'
if [ -f "$out/test.log" ] && grep -qE "$splat" "$out/test.log"; then
	echo "kunit-um: kernel splat: $(grep -m1 -E "$splat" "$out/test.log")" >&2
	failed=$((failed + 1))
fi
say "KUnit on UML finished in $((SECONDS - start)) s"
echo "RESULT kunit-um $passed $failed" >>"$results"
echo "kunit-um: $passed passed, $failed failed"
if [ "$failed" -gt 0 ]; then
	printf -- '--- last lines of %s ---\n' "$log" >&2
	tail -n 25 "$log" >&2
	printf -- '--- full log: %s ---\n' "$log" >&2
	exit 1
fi
