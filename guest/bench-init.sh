#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# init of the benchmark guest (a Debian root file system, scripts/bench.sh
# boots it with init=/bench/init).  Runs every workload of /bench/plan
# under "perf stat -a", with the sf_buf counters of /proc/vmstat around
# each repetition, then once more under "perf record -g" so that IPIs can
# be attributed to their call site and the kernel path that caused them, and writes everything to the results
# disk (/dev/vdb, mounted on /results).  Then reboots, which ends qemu.
#
# /bench/plan: one workload per line, "NAME REPS MODE COMMAND...", MODE
#   record: perf stat -a each repetition, then one perf record -g run
#   stat:   perf stat -a each repetition
#   plain:  no perf (latency and memory points: perf's own start-up
#           costs seconds under TCG and its memory would blur the counts)
# Console markers, read by scripts/bench.sh:
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
	tlb:tlb_flush kmem:kmalloc kmem:kmem_cache_alloc kmem:mm_page_alloc; do
	[ -d /sys/kernel/tracing/events/${e%%:*}/${e#*:} ] &&
		events="$events${events:+,}$e"
done
echo "$events" >$R/events
[ -n "$events" ] || fail "no IPI tracepoints in /sys/kernel/tracing/events"
record="-e ipi:ipi_send_cpu -e ipi:ipi_send_cpumask"
[ -d /sys/kernel/tracing/events/printk/console ] && record="$record -e printk:console"

vmstat() {
	grep '^sfbuf_' /proc/vmstat >"$1" || : >"$1"
}

while read -r name reps mode cmd; do
	case $name in '' | '#'*) continue ;; esac
	case $mode in
	record | stat | plain) ;;
	*) fail "/bench/plan: $name has mode '$mode' (record, stat or plain)" ;;
	esac
	k=1
	while [ "$k" -le "$reps" ]; do
		echo "sfdoor-bench: $name $k/$reps"
		vmstat $R/$name.$k.vmstat0
		if [ $mode = plain ]; then
			sh -c "$cmd" >$R/$name.$k.out 2>&1
		else
			perf stat -a -x, -e "$events" -o $R/$name.$k.stat -- \
				sh -c "$cmd" >$R/$name.$k.out 2>&1
		fi
		echo $? >$R/$name.$k.rc
		vmstat $R/$name.$k.vmstat1
		k=$((k + 1))
	done
	# One more run, recorded, for the call sites of the IPIs it caused.
	[ $mode = record ] || continue
	echo "sfdoor-bench: $name record"
	perf record -q -a -g $record -o /tmp/perf.data -- sh -c "$cmd" \
		>$R/$name.record.out 2>&1
	perf script -i /tmp/perf.data -F time,event,trace,ip,sym \
		>$R/$name.script 2>$R/$name.script.err
	rm -f /tmp/perf.data
done </bench/plan

echo "sfdoor-bench: DONE"
umount /results
sync
echo b >/proc/sysrq-trigger
