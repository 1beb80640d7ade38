#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# init of the benchmark guest (a Debian root file system that
# scripts/bench-vm.sh boots with init=/bench/init).  Runs every workload
# of /bench/plan (or of /bench/NAME for sfdoor_plan=NAME on the kernel
# command line) as many times as it says, in its mode (below), with the
# sf_buf counters of /proc/vmstat and the TLB and CAL rows of
# /proc/interrupts read around each repetition, and writes everything to
# the results disk (/dev/vdb, mounted on /results).  Then reboots, which
# ends qemu.
#
# /bench/plan: one workload per line, "NAME REPS MODE COMMAND...", MODE
#   record: perf stat -a each repetition, then one perf record -g run
#   stat:   perf stat -a each repetition
#   plain:  no perf (latency and memory points: perf's own start-up
#           costs seconds under TCG and its memory would blur the counts)
#   alloc:  perf stat -a of the slab and page allocation tracepoints only
#   profile: perf stat -a of context switches, migrations, wake-ups and
#           system calls each repetition, then one perf record -a -g of
#           cpu-clock samples, kept as a perf report by symbol (where a
#           round trip's time goes)
# After the record run, record mode runs the workload once more to count
# kernel TLB invalidations (NAME.inval): kprobe events on
# flush_tlb_one_kernel() (one page, on one CPU: kmap_local's unmap, sf_buf,
# and every page of a remote flush_tlb_kernel_range()) and on
# __flush_tlb_all() (a CPU's whole TLB), the same functions on both
# kernels.  A kprobe costs a trap: the timed repetitions run unprobed.
# Each repetition has a time limit ($limit below) and reads
# /dev/null, not the plan.
# Console markers, read by scripts/bench-vm.sh:
#   sfdoor-bench: NAME k/REPS	progress
#   sfdoor-bench: DONE		every workload ran
#   sfdoor-bench: FAILED ...	something did not work; see results/log

PATH=/usr/sbin:/usr/bin:/sbin:/bin:/bench
export PATH

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
exec >/dev/console 2>&1

fail() {
	echo "sfdoor-bench: FAILED $*"
	sync
	echo b >/proc/sysrq-trigger
	exit 1
}

mkdir -p /results
mount -t ext4 /dev/vdb /results || fail "cannot mount the results disk /dev/vdb"
R=/results
uname -a >$R/uname
cat /proc/cmdline >$R/cmdline
grep -E '^(MemTotal|HighTotal|LowTotal)' /proc/meminfo >$R/meminfo
perf --version >$R/perf-version 2>&1

# The events this kernel has (perf stat refuses the whole list otherwise).
events=
for e in ipi:ipi_send_cpu ipi:ipi_send_cpumask \
	irq_vectors:call_function_entry irq_vectors:call_function_single_entry \
	tlb:tlb_flush; do
	[ -d /sys/kernel/tracing/events/${e%%:*}/${e#*:} ] &&
		events="$events${events:+,}$e"
done
echo "$events" >$R/events
[ -n "$events" ] || fail "no IPI tracepoints in /sys/kernel/tracing/events"
# Allocation counting slows every allocation down: alloc mode only.
alloc_events=kmem:kmalloc,kmem:kmem_cache_alloc,kmem:mm_page_alloc
[ -d /sys/kernel/tracing/events/kmem/kmalloc ] || alloc_events=
# What a round trip does: switches, migrations, wake-ups, system calls.
sched_events=context-switches,cpu-migrations
for e in sched:sched_switch sched:sched_wakeup sched:sched_migrate_task \
	raw_syscalls:sys_enter; do
	[ -d /sys/kernel/tracing/events/${e%%:*}/${e#*:} ] &&
		sched_events="$sched_events,$e"
done
record="-e ipi:ipi_send_cpu -e ipi:ipi_send_cpumask"
# Kernel TLB invalidations, counted with kprobes (see above).
kp=/sys/kernel/tracing/kprobe_events
inval_events=
if [ -w $kp ] && echo 'p:kinval/one flush_tlb_one_kernel' >>$kp &&
	echo 'p:kinval/all __flush_tlb_all' >>$kp; then
	inval_events=kinval:one,kinval:all
fi
echo "$inval_events" >$R/inval-events
[ -d /sys/kernel/tracing/events/printk/console ] && record="$record -e printk:console"

# The sf_buf counters, and the TLB shootdown and function-call IPIs each
# CPU received (the TLB and CAL rows of /proc/interrupts: remote kernel
# and user TLB flushes that tracepoints do not show).
counters() {
	{
		grep '^sfbuf_' /proc/vmstat
		awk '$1 == "TLB:" || $1 == "CAL:" {
			n = 0
			for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i
			print "irq_" tolower(substr($1, 1, 3)), n }' /proc/interrupts
	} >"$1"
}
limit=600	# seconds per repetition
plan=/bench/plan
for arg in $(cat /proc/cmdline); do
	case $arg in
	sfdoor_plan=*) plan=/bench/${arg#sfdoor_plan=} ;;
	esac
done
[ -f "$plan" ] || fail "no plan $plan"

while read -r name reps mode cmd; do
	case $name in '' | '#'*) continue ;; esac
	case $mode in
	record | stat | plain | alloc | profile) ;;
	*) fail "$plan: $name has mode '$mode' (record, stat, plain, alloc or profile)" ;;
	esac
	[ $mode != alloc ] || [ -n "$alloc_events" ] ||
		fail "$name counts allocations, and this kernel has no kmem tracepoints"
	k=1
	while [ "$k" -le "$reps" ]; do
		echo "sfdoor-bench: $name $k/$reps"
		counters $R/$name.$k.vmstat0
		case $mode in
		plain) timeout $limit sh -c "$cmd" ;;
		alloc)
			perf stat -a -x, -e "$alloc_events" -o $R/$name.$k.stat -- \
				timeout $limit sh -c "$cmd" ;;
		profile)
			perf stat -a -x, -e "$sched_events" -o $R/$name.$k.stat -- \
				timeout $limit sh -c "$cmd" ;;
		*)
			perf stat -a -x, -e "$events" -o $R/$name.$k.stat -- \
				timeout $limit sh -c "$cmd" ;;
		esac </dev/null >$R/$name.$k.out 2>&1
		echo $? >$R/$name.$k.rc
		counters $R/$name.$k.vmstat1
		k=$((k + 1))
	done
	# One more run, sampled, for where its time goes.
	if [ $mode = profile ]; then
		echo "sfdoor-bench: $name profile"
		perf record -a -g -e cpu-clock -F 2000 -o /tmp/perf.data -- \
			timeout $limit sh -c "$cmd" </dev/null >$R/$name.record.out 2>&1
		echo $? >$R/$name.record.rc
		perf report -i /tmp/perf.data --stdio --no-children -g none \
			--sort sym --percent-limit 0.1 \
			>$R/$name.profile 2>$R/$name.profile.err
		# the hottest instructions, to read against the disassembly
		perf script -i /tmp/perf.data -G -F ip,sym,symoff 2>/dev/null |
			awk 'NF { print $1, $2 }' | sort | uniq -c | sort -rn |
			head -n 80 >$R/$name.ips
		rm -f /tmp/perf.data
		continue
	fi
	# One more run, recorded, for the call sites of the IPIs it caused.
	[ $mode = record ] || continue
	echo "sfdoor-bench: $name record"
	perf record -a -g $record -o /tmp/perf.data -- \
		timeout $limit sh -c "$cmd" </dev/null >$R/$name.record.out 2>&1
	echo $? >$R/$name.record.rc
	perf script -i /tmp/perf.data -F time,event,trace,ip,sym \
		>$R/$name.script 2>$R/$name.script.err
	rm -f /tmp/perf.data
	[ -n "$inval_events" ] || continue
	echo "sfdoor-bench: $name invalidations"
	perf stat -a -x, -e "$inval_events" -o $R/$name.inval -- \
		timeout $limit sh -c "$cmd" </dev/null >$R/$name.inval.out 2>&1
	echo $? >$R/$name.inval.rc
done <"$plan"

echo "sfdoor-bench: DONE"
umount /results
sync
echo b >/proc/sysrq-trigger
