#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmark: for each target, build the unpatched and the patched
# kernel from the same configuration without debug options, boot each
# under identical qemu settings with the same Debian guest (real perf),
# run the same workloads under perf stat and perf record, and report
# patched against unpatched in out/bench/ (tables, raw outputs, plots,
# one directory per clock).
# Usage: scripts/bench.sh [TARGET...]   (default: i386 x86_64)
#   CLOCK="icount wall" (default): each clock in turn; icount: qemu's
#     -icount shift=0,sleep=off, every guest time an exact count of
#     instructions; wall: emulated wall clock (see scripts/bench-vm.sh)
#   ROUNDS=N: boot each kernel N times (default 2), in ABBA order
#     (unpatched, patched, patched, unpatched, ...); verdicts need 2
#   REPS=N: repetitions of every workload in each boot (default: 2 under
#     icount, where repetitions differ by placement only, 3 under wall)
#   QUICK=1: one repetition, one round, smaller sizes, i386 only (unless
#     TARGETs given), icount only (unless CLOCK given)
#   WORKLOADS="NAME...": only these workloads (names: scripts/bench.sh --list)
#   KERNELS=patched: boot only the patched kernels (in-boot comparisons,
#     such as the door table against the other round trips, need no more)
#   PSE=1: i386 guests keep PSE (scripts/bench-vm.sh says what it costs)
. "$(dirname "$0")/lib.sh"

quick=${QUICK:-}
[ "$quick" != 0 ] || quick=
reps=${REPS:-}
[ -z "$quick" ] || reps=${REPS:-1}
case $reps in *[!0-9]* | 0*) die "REPS must be a positive number, not '$REPS'" ;; esac
rounds=${ROUNDS:-2}
[ -z "$quick" ] || rounds=${ROUNDS:-1}
clocks=${CLOCK:-icount wall}
[ -z "$quick" ] || clocks=${CLOCK:-icount}
for c in $clocks; do
	case $c in
	icount | wall) ;;
	*) die "CLOCK is a list of icount and wall, not '$CLOCK'" ;;
	esac
done
[ -n "$clocks" ] || die "CLOCK is a list of icount and wall, not empty"
kinds="bench-base bench"
case ${KERNELS:-} in
'' | "unpatched patched") ;;
patched) kinds=bench ;;
*) die "KERNELS is 'patched' or empty (both kernels), not '$KERNELS'" ;;
esac
case $rounds in '' | *[!0-9]* | 0) die "ROUNDS must be a positive number, not '$rounds'" ;; esac

# The workloads: "NAME MODE COMMAND" (the guest runs COMMAND with sh -c;
# MODE: record, stat, plain or alloc, see guest/bench-init.sh).  Sizes are
# chosen so that each repetition takes seconds under TCG.
plan_lines() {
	local mib=64 mib_exec=16 iters=2000 n_mem="1000 10000" sizes
	if [ -n "$quick" ]; then
		mib=16 mib_exec=4 iters=500 n_mem=1000
	fi
	# perf's own IPIs and flushes, the background of every count
	echo "idle record sleep 1"
	for w in pipe-64k pipe-4k vmsplice splice-file; do
		echo "$w record map_bench -m $mib $w"
	done
	# the RAM disk's pages exist before the timed runs (one pass)
	echo "brd-fill plain map_bench -m 64 brd-write"
	for w in brd-write brd-read brd-hot brd-hot-stream brd-random \
		ptrace-peek proc-mem; do
		echo "$w record map_bench -m $mib $w"
	done
	echo "exec record map_bench -m $mib_exec exec"
	echo "exec-short record map_bench -m $mib_exec exec-short"
	echo "kunit-bench record [ -e /sys/kernel/debug/kunit/sfbuf/run ] || exit 4; echo run >/sys/kernel/debug/kunit/sfbuf/run && cat /sys/kernel/debug/kunit/sfbuf/results"
	# latencies untraced; allocations counted in runs of their own, of
	# n and 2n calls, so that what a run costs besides its calls cancels
	sizes="0 64 128 129 1024 4096 65536 1048576"
	for pin in unpinned pinned; do
		p=
		[ $pin = unpinned ] || p=-p
		for m in door pipe unix; do
			for s in $sizes; do
				n=$iters
				[ "$s" -lt 65536 ] || n=$((iters / 4))
				[ "$s" -lt 1048576 ] || n=$((iters / 10))
				echo "lat-$m-$s-$pin plain ipc_bench lat $p -n $n $m $s"
			done
		done
		for m in eventfd futex getpid; do
			echo "lat-$m-0-$pin plain ipc_bench lat $p -n $iters $m 0"
		done
	done
	# the goals' ratios, from alternating rounds of the mechanisms, so
	# that a slow minute of the host weighs on all of them alike
	for pin in unpinned pinned; do
		p=
		[ $pin = unpinned ] || p=-p
		echo "cmp-null-$pin plain ipc_bench rounds $p -n $iters -r 5 door:0 futex:0 getpid:0 pipe:0 unix:0 eventfd:0"
		echo "cmp-size-$pin plain ipc_bench rounds $p -n $iters -r 5 door:0 door:128 door:129 door:4096"
		echo "cmp-64k-$pin plain ipc_bench rounds $p -n $((iters / 4)) -r 5 door:65536 pipe:65536"
	done
	for point in door-128 door-129 futex-0; do
		for x in 1 2; do
			echo "alloc-$point-${x}n alloc ipc_bench lat -n $((iters * x)) ${point%-*} ${point#*-}"
		done
	done
	# one and two clients against the same two server threads, then four
	for c in 1 2 4; do
		t=$c
		[ $c -gt 1 ] || t=2
		echo "tput-door-$c record ipc_bench tput -s 3 -t $t $c"
	done
	# where the server of a handed call runs: counted
	for pin in unpinned pinned; do
		p=
		[ $pin = unpinned ] || p=-p
		echo "handoff-door-$pin plain ipc_bench handoff $p -n $iters"
	done
	# where a null round trip's time goes (perf record, and counts of
	# switches, wake-ups and system calls per round trip): 20 times the
	# round trips, for thousands of samples at perf's 2 kHz
	for w in door-0-unpinned door-0-pinned futex-0-pinned pipe-0-unpinned; do
		m=${w%%-*} pin=${w##*-} p=
		[ $pin = unpinned ] || p=-p
		echo "prof-$w profile ipc_bench lat $p -n $((iters * 20)) $m 0"
	done
	# what libdoor adds to a null call (rounds alternate within a run)
	echo "libdoor-null plain libdoor_bench $((iters * 4)) 9"
	# empty slab pages go back first, so that no point lives on what the
	# one before it freed
	for n in $n_mem; do
		for m in futex door pipe unix; do
			echo "mem-$m-$n plain for f in /sys/kernel/slab/*/shrink; do echo 1 >\$f; done 2>/dev/null; ipc_bench mem $m $n"
		done
	done
}

if [ "${1:-}" = --list ]; then
	plan_lines | cut -d' ' -f1
	exit 0
fi
targets=${*:-i386 x86_64}
[ -z "$quick" ] || [ $# -gt 0 ] || targets=i386
for t in $targets; do
	check_target "$t"
	[ "$t" != um ] || die "make bench boots x86 guests: pick x86_64, i386 or i386-pae"
done

# The options on which the two kernels' configurations differ (the
# series' own, if the fragments are right): the report prints this list
# rather than asserting "same configuration".
config_diff() {
	local u=$BUILD/$1-bench-base/.config p=$BUILD/$1-bench/.config d
	if [ ! -f "$u" ] || [ ! -f "$p" ]; then
		echo "config-diff: not compared"
		return 0
	fi
	# diff exits 1 when they differ, as they do by the series' options
	d=$(diff <(grep -E '^(CONFIG_|# CONFIG_)' "$u" | sort) \
		<(grep -E '^(CONFIG_|# CONFIG_)' "$p" | sort) || true)
	if [ -z "$d" ]; then
		echo "config-diff: none"
	else
		echo "$d" | sed -n 's/^\([<>]\) /config-diff: \1 /p'
	fi
}

# What a clock is for decides what it runs.  Counts do not depend on the
# clock: memory and allocation points and the profiles of where a round
# trip's instructions go run under icount only (or under wall when it is
# the only clock).  Repetitions of a workload in one boot differ under
# icount only by where the scheduler placed its processes: two suffice.
clock_runs() {	# CLOCK NAME
	[ "$1" = icount ] || [ "$clocks" = wall ] && return 0
	case $2 in
	mem-* | alloc-* | prof-*) return 1 ;;
	esac
}
clock_reps() {	# CLOCK NAME
	local r=$reps
	[ -n "$r" ] || { [ "$1" = icount ] && r=2 || r=3; }
	case $2 in
	mem-* | alloc-*) [ "$r" -le 3 ] || r=3 ;;
	brd-fill) r=1 ;;
	esac
	echo "$r"
}

start=$SECONDS
"$TOP/scripts/deps.sh" base kernel vm i386 bench
# One plan per clock, and one for each clock's microbenchmark boot (see
# scripts/bench-vm.sh): plans/plan-CLOCK, plans/plan-kunit-CLOCK.
plans=$OUT/bench-plans
rm -rf "$plans"
mkdir -p "$plans"
plan_lines | while read -r name mode cmd; do
	if [ -n "${WORKLOADS:-}" ]; then
		case " $WORKLOADS " in *" $name "*) ;; *) continue ;; esac
	fi
	echo "$name $mode $cmd"
done >"$plans/all"
if [ -n "${WORKLOADS:-}" ]; then
	for w in $WORKLOADS; do
		grep -q "^$w " "$plans/all" ||
			die "unknown workload '$w' (scripts/bench.sh --list shows them)"
	done
fi
for clock in $clocks; do
	while read -r name mode cmd; do
		clock_runs "$clock" "$name" || continue
		echo "$name $(clock_reps "$clock" "$name") $mode $cmd"
	done <"$plans/all" >"$plans/all-$clock"
	grep '^kunit-bench ' "$plans/all-$clock" >"$plans/plan-kunit-$clock" || true
	grep -v '^kunit-bench ' "$plans/all-$clock" >"$plans/plan-$clock" || true
	say "$clock plan: $(wc -l <"$plans/all-$clock") workloads, $(clock_reps "$clock" x) repetitions each ($plans/plan-$clock)"
done
say "on $targets, $rounds round(s) of boots, clock(s): $clocks"
[ "$rounds" -ge 2 ] || warn "ROUNDS=$rounds: one boot per kernel gives no verdicts"

# Results are assembled aside and replace out/bench/ only when complete.
tmp=$OUT/bench.partial
rm -rf "$tmp"
mkdir -p "$tmp"
"$TOP/scripts/tree.sh" >/dev/null
for t in $targets; do
	for kind in $kinds; do
		say "[$((SECONDS - start))s] building the $kind $t kernel"
		"$TOP/scripts/build.sh" "$t" "$kind"
	done
	# The patched bench kernel is the one users run: on x86_64 the
	# converted paths must not call sf_buf code at all.
	"$TOP/scripts/disasm.sh" "$t" /dev/null bench ||
		die "the patched $t bench kernel fails the disassembly check (log: $LOGS/disasm-$t-bench.log)"
	image=$BUILD/bench-$t.img
	say "[$((SECONDS - start))s] making the $t guest image"
	"$TOP/scripts/bench-image.sh" "$t" "$plans/plan-${clocks%% *}" "$image" "$plans"/plan-*
	for clock in $clocks; do
		mkdir -p "$tmp/$clock/raw"
		info=$tmp/$clock/bench.txt
		order=
		for round in $(seq "$rounds"); do
			# ABBA: odd rounds unpatched first, even rounds patched first
			boots=$kinds
			[ $((round % 2)) = 1 ] || boots=$(echo $kinds | tr ' ' '\n' | tac | tr '\n' ' ')
			for kind in $boots; do
				label=patched
				[ $kind = bench ] || label=unpatched
				order="$order ${label:0:1}"
				# boot 1 in raw/TARGET-KIND, later ones in raw/TARGET-KIND-rN
				dir=$tmp/$clock/raw/$t-$label
				[ "$round" = 1 ] || dir=$dir-r$round
				say "[$((SECONDS - start))s] $clock clock: the workloads on the $label $t kernel (boot $round of $rounds)"
				CLOCK=$clock "$TOP/scripts/bench-vm.sh" "$t" "$kind" "$image" "$dir" "plan-$clock"
			done
			case " $kinds " in *" bench "*) ;; *) continue ;; esac
			[ -s "$plans/plan-kunit-$clock" ] || continue
			dir=$tmp/$clock/raw/$t-patched-kunit
			[ "$round" = 1 ] || dir=$dir-r$round
			say "[$((SECONDS - start))s] $clock clock: the microbenchmark on the patched $t kernel (boot $round of $rounds)"
			CLOCK=$clock "$TOP/scripts/bench-vm.sh" "$t" bench "$image" "$dir" "plan-kunit-$clock"
		done
		{
			echo "target: $t"
			echo "boot-order:$order"
			config_diff "$t"
		} >>"$info"
	done
	rm -f "$image"
done
for clock in $clocks; do
	{
		echo "clock: $clock"
		echo "rounds: $rounds"
		echo "reps: $(clock_reps "$clock" x)"
		echo "workloads: ${WORKLOADS:-all}"
		echo "kernels: ${KERNELS:-unpatched patched}"
		echo "pse: ${PSE:-0}"
		echo "quick: ${quick:-0}"
		echo "tooling: $(git -C "$TOP" describe --always --dirty 2>/dev/null || echo '?')"
		cat "$tmp/$clock/bench.txt"
	} >"$tmp/$clock/bench.txt.new"
	mv "$tmp/$clock/bench.txt.new" "$tmp/$clock/bench.txt"
done
say "[$((SECONDS - start))s] writing the reports"
for clock in $clocks; do
	python3 "$TOP/scripts/bench-report.py" "$tmp/$clock" $targets ||
		die "the $clock report could not be made; raw results are in $tmp/$clock"
done
for clock in $clocks; do cat "$tmp/$clock/summary.md"; done >"$tmp/summary.md"
rm -rf "$OUT/bench"
mv "$tmp" "$OUT/bench"
cat "$OUT/bench/summary.md"
say "make bench took $((SECONDS - start)) s; results in $OUT/bench/ (summary.md; per clock: CLOCK/summary.md, CLOCK/TARGET.md, CLOCK/plots/, CLOCK/raw/)"
