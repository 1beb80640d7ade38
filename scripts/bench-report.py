#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the raw results of make bench into tables and plots.

Usage: scripts/bench-report.py [--no-plots] DIR TARGET...

DIR/raw/TARGET-{unpatched,patched}/ hold what the guests wrote (see
guest/bench-init.sh): per workload and repetition k, NAME.k.out (the
program's result line), NAME.k.stat (perf stat -x,), NAME.k.vmstat0/1
(sf_buf counters before and after) and NAME.k.rc; NAME.script is perf
script of one more, recorded run.  Writes DIR/TARGET.md, DIR/summary.md,
DIR/plots/*.png (gnuplot) with their data and scripts.
"""
import os
import re
import statistics
import subprocess
import sys

KINDS = ("unpatched", "patched")
MAP_WORKLOADS = ("pipe-64k", "pipe-4k", "vmsplice", "splice-file",
                 "brd-write", "brd-read", "brd-hot", "brd-hot-stream",
                 "brd-random", "ptrace-peek", "proc-mem", "exec", "exec-short")
# where pages are mapped again and again: the cache should win there
REUSE_WORKLOADS = ("pipe-64k", "pipe-4k", "brd-hot")
SKIP = 4


def die(msg):
    sys.stderr.write("bench-report: %s\n" % msg)
    sys.exit(1)


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def perf_stat_counts(text):
    """`perf stat -x,` output as {event: count}."""
    counts = {}
    for line in text.splitlines():
        f = line.split(",")
        if len(f) >= 3 and re.match(r"^\d+$", f[0]):
            counts[f[2]] = int(f[0])
    return counts


class Run:
    """The raw results of one kernel: one directory per boot of it
    (make bench ROUNDS=N boots each kernel N times), their repetitions
    numbered one after the other."""

    def __init__(self, paths):
        self.path = paths[0] if paths else None
        self.paths = paths
        self.index = {}
        for path in paths:
            for f in sorted(os.listdir(path)):
                m = re.match(r"(.+)\.(\d+)\.rc$", f)
                if m:
                    self.index.setdefault(m.group(1), []).append((path, int(m.group(2))))
        for name in self.index:
            self.index[name].sort()
        self.names = set(self.index)

    def boots(self, name):
        """The repetitions of NAME grouped by boot: [[k, ...], ...], one
        list per boot directory that ran it, in boot order."""
        groups = {}
        for k, (path, _) in enumerate(self.index.get(name, []), 1):
            groups.setdefault(path, []).append(k)
        return [groups[p] for p in self.paths if p in groups]

    def inval(self, name):
        """Kernel TLB invalidations of the counting run of NAME, one
        {event: count} per boot (see guest/bench-init.sh), or []."""
        out = []
        for path in self.paths:
            rc = read(os.path.join(path, "%s.inval.rc" % name))
            text = read(os.path.join(path, "%s.inval" % name))
            if rc is None or rc.strip() != "0" or not text:
                continue
            counts = perf_stat_counts(text)
            if counts:
                out.append(counts)
        return out

    def file(self, name, k, suffix):
        path, kk = self.index[name][k - 1]
        return os.path.join(path, "%s.%d.%s" % (name, kk, suffix))

    def reps(self, name):
        return range(1, len(self.index.get(name, [])) + 1)

    def rc(self, name, k):
        return int(read(self.file(name, k, "rc")).strip())

    def out(self, name, k):
        return read(self.file(name, k, "out")) or ""

    def ok_reps(self, name):
        """Repetitions that ran; None if the workload was skipped."""
        reps = list(self.reps(name))
        if not reps:
            return []
        if all(self.rc(name, k) == SKIP for k in reps):
            return None
        bad = [k for k in reps if self.rc(name, k) != 0]
        if bad:
            die("%s: %s failed (see %s)" % (self.path, name, self.file(name, bad[0], "out")))
        return reps

    def stat(self, name, k):
        """perf stat counts of one repetition: {event: count}."""
        return perf_stat_counts(read(self.file(name, k, "stat")) or "")

    def vmstat_delta(self, name, k):
        def parse(suffix):
            text = read(self.file(name, k, suffix)) or ""
            return {l.split()[0]: int(l.split()[1]) for l in text.splitlines()
                    if len(l.split()) == 2}
        a, b = parse("vmstat0"), parse("vmstat1")
        return {key: b[key] - a.get(key, 0) for key in b}

    def result(self, name, k, pattern):
        m = re.search(pattern, self.out(name, k), re.M)
        if not m:
            die("%s has no result line" % self.file(name, k, "out"))
        return m

    def record_ok(self, name):
        paths = [p for p in self.paths if any(q == p for q, _ in self.index.get(name, []))]
        if not paths:
            return False
        for path in paths:
            rc = read(os.path.join(path, "%s.record.rc" % name))
            script = read(os.path.join(path, "%s.script" % name))
            if rc is None or rc.strip() != "0" or not script:
                return False
        return True

    def ipi_sites(self, name):
        """IPIs of the recorded run: {(call site, cause): count}.

        The cause is the first frame of the call chain above the generic
        cross-call and IPI-sending helpers; the class says what the chain
        went through (see classify()).
        """
        text = "\n".join(read(os.path.join(path, "%s.script" % name)) or ""
                         for path in self.paths)
        sites = {}
        event = None

        def close():
            if event is None:
                return
            site, frames = event
            cause = next((f for f in frames if not GENERIC_FRAMES.search(f)), "?")
            key = (site, cause, classify(cause, frames))
            sites[key] = sites.get(key, 0) + 1

        for line in text.splitlines():
            if re.match(r"^\s+[0-9a-f]+ \S", line):
                if event is not None:
                    sym = line.split()[1].split("+")[0]
                    event[1].append(sym)
                continue
            close()
            event = None
            if "ipi:ipi_send" in line:
                site = re.search(r"callsite=([^ +]+)", line)
                event = (site.group(1) if site else "?", [])
        close()
        return sites


# Frames that send an IPI on someone else's behalf.
GENERIC_FRAMES = re.compile(r"^(smp_call_function|on_each_cpu|generic_exec_single|"
                            r"__smp_call|smp_call_function_many_cond|native_send_call_func|"
                            r"native_smp_send|send_call_function|arch_send_call|"
                            r"__send_ipi|x2apic|default_send_IPI|apic_|ipi_send|"
                            r"trace_ipi|perf_|\[unknown\])")
# What an IPI was for, by the frames of its call chain: flushing kernel
# mappings (what the series is about), shooting down a user address
# space's TLB entries (munmap, exit, exec), waking or preempting a task.
CLASSES = (
    ("kernel mapping", re.compile(r"sf_buf|sfbuf|kmap|kunmap|pkmap|flush_tlb_kernel_range|"
                                  r"flush_tlb_all|do_flush_tlb_all|flush_all_zero_pkmaps")),
    ("user TLB shootdown", re.compile(r"flush_tlb_mm_range|flush_tlb_multi|flush_tlb_func|"
                                      r"tlb_flush_mmu|flush_tlb_batched|arch_tlbbatch")),
    ("wake-up", re.compile(r"ttwu|try_to_wake_up|wake_up|resched_curr|wakeup_preempt")),
    ("I/O completion", re.compile(r"blk_mq_complete|blk_done")),
)
# Where an interrupt entered: the frames beyond belong to whatever the
# interrupt happened to stop, not to the IPI's cause.
IRQ_ENTRY = re.compile(r"^(common_interrupt|__common_interrupt|asm_|sysvec_|__sysvec_|"
                       r"handle_irq|__handle_irq|irq_exit|__irq_exit|handle_softirqs|"
                       r"__do_softirq|do_softirq|run_ksoftirqd)")


def classify(cause, frames):
    """The class of the IPI's cause, else the first class its chain shows:
    a wake-up issued from inside a mapping function is still a wake-up."""
    for i, f in enumerate(frames):
        if IRQ_ENTRY.search(f):
            frames = frames[:i]
            break
    for name, pattern in CLASSES:
        if pattern.search(cause):
            return name
    for name, pattern in CLASSES:
        if any(pattern.search(f) for f in frames):
            return name
    return "other"


# make bench's profiled round trips, and the steps their samples fall in:
# first match of the kernel symbol wins
PROFILE_WORKLOADS = ("door-0-unpinned", "door-0-pinned", "futex-0-pinned", "pipe-0-unpinned")
PROFILE_STEPS = [
    ("idle", r"^(default_idle|do_idle|cpu_idle|arch_cpu_idle|native_safe_halt|"
             r"pv_native_safe_halt|default_idle_call|cpuidle|acpi_idle|mwait_idle|"
             r"poll_idle|__cpuidle|cpu_startup_entry|intel_idle|amd_e400)"),
    ("perf sampling, interrupts, timers", r"^(perf_|__perf|x86_pmu|hrtimer|__hrtimer|"
             r"tick_|update_process_times|sysvec_|asm_sysvec|irq_|__irq|handle_irq|"
             r"common_interrupt|do_IRQ|__sysvec|scheduler_tick|sched_tick|"
             r"account_|run_timer|__run_timers|ktime_get|read_tsc|native_sched_clock|"
             r"sched_clock|__do_softirq|handle_softirqs|irq_exit|"
             r"rcu_|note_gp|lapic_|native_apic|apic_|clockevents|unwind_|"
             r"__unwind|__kernel_text_address|kernel_text_address|is_bpf_text|"
             r"orc_find|__orc|stack_access_ok|bpf_|perf_callchain|get_perf_callchain)"),
    ("syscall entry and exit", r"^(entry_SYSCALL|entry_INT80|entry_SYSENTER|"
             r"do_syscall_64|do_int80|__do_fast_syscall_32|do_fast_syscall_32|"
             r"do_SYSENTER_32|syscall_exit|exit_to_user_mode|syscall_return|"
             r"syscall_trace|__x64_sys_getpid|__ia32_sys_getpid|__do_sys_getpid|"
             r"x64_sys_call|ia32_sys_call|restore_all|handle_exception|"
             r"switch_fpu_return|fpregs_restore|restore_fpregs|xrstor|os_xrstor|"
             r"fpu__restore|__fpu_restore|arch_exit_to_user|"
             r"__task_pid_nr_ns|task_pid|fpregs_)"),
    ("context switch", r"^(__schedule|schedule$|schedule_|context_switch|__switch_to|"
             r"switch_mm|load_new_mm_cr3|finish_task_switch|pick_next|pick_task|"
             r"pick_eevdf|put_prev|set_next|__pick|dequeue_|update_curr|"
             r"update_load_avg|__update_load|update_cfs|update_min_vruntime|"
             r"update_rq_clock|reweight|__calc_delta|avg_vruntime|"
             r"update_entity_lag|clear_buddies|newidle_balance|sched_balance|"
             r"balance_fair|load_balance|cpuacct|cgroup_account|__cgroup_account|"
             r"psi_|native_write_cr3|native_flush_tlb|flush_tlb|cr4_|"
             r"raw_spin_rq|_raw_spin_rq|"
             r"__enqueue_entity|__dequeue_entity|rb_|__rb_|check_cfs_rq|"
             r"prepare_task_switch|__traceiter|sched_update|fpu_|save_fpregs|"
             r"os_xsave|switch_ldt|membarrier|update_curr|cpus_share|idle_cpu|"
             r"mm_cid|sched_mm_cid|ttwu_stat|__dequeue)"),
    ("wake-up", r"^(try_to_wake_up|ttwu_|__wake_up|wake_up|autoremove_wake|"
             r"default_wake_function|enqueue_|activate_task|select_task_rq|"
             r"select_idle|wake_affine|wakeup_preempt|check_preempt|resched_curr|"
             r"place_entity|__smp_call|smp_call|send_call_function|"
             r"native_send_call|x2apic|default_send_IPI|__default_send|"
             r"call_function|generic_smp_call|sched_ttwu|wake_q|__wake_q|"
             r"set_task_cpu|migrate_task_rq|remove_entity_load|"
             r"attach_entity|detach_entity|task_fork|available_idle_cpu)"),
    ("wait queues and sleeping", r"^(prepare_to_wait|finish_wait|add_wait_queue|"
             r"remove_wait_queue|init_wait|__add_wait|freezing|__refrigerator|"
             r"schedule_timeout|__set_current_state|signal_pending)"),
    ("locks", r"^(_raw_spin|__raw_spin|queued_spin|native_queued|__pv_queued|"
             r"_raw_read|_raw_write|do_raw_spin|preempt_count|__local_bh)"),
    ("user copies", r"^(_copy_from_user|_copy_to_user|copy_from_user|copy_to_user|"
             r"__copy_user|rep_movs|copy_user|memcpy|__memcpy|memset|__memset|"
             r"_copy_to_iter|_copy_from_iter|copy_page_|__get_user|__put_user|"
             r"fault_in|clear_user|__clear_user|strncpy_from_user|stac|clac|"
             r"memmove|__memmove|check_heap_object|__check_object_size|"
             r"check_object_size)"),
    ("file descriptor lookup", r"^(__fget|fget|__fdget|fdget|fput|__fput|"
             r"door_get|security_file|apparmor_file|selinux_file)"),
    ("doors", r"^(door_|__x64_sys_door|__ia32_sys_door|__do_sys_door|__se_sys_door|"
             r"__ia32_compat_sys_door|security_door|import_ubuf|iov_iter)"),
    ("futex", r"^(futex_|__futex|get_futex|hash_futex|do_futex|__x64_sys_futex|"
             r"__ia32_sys_futex|__do_sys_futex|__se_sys_futex|get_user_pages_fast|"
             r"get_futex_key|mark_wake_futex|futex_q)"),
    ("pipe and VFS", r"^(pipe_|anon_pipe|vfs_read|vfs_write|ksys_read|ksys_write|"
             r"__x64_sys_read|__x64_sys_write|__ia32_sys_read|__ia32_sys_write|"
             r"rw_verify_area|fsnotify|__fsnotify|security_file_permission|"
             r"file_update_time|inode_needs|touch_atime|atime_needs|current_time|"
             r"__sb_start|__sb_end|mutex_|__mutex|kill_fasync|wakeup_pipe|"
             r"copy_page_to_iter|copy_page_from_iter|__kmalloc|kmalloc|"
             r"alloc_pages|__alloc_pages|free_unref|__free_pages|get_page_from|"
             r"kmem_cache|kfree|__slab|___slab)"),
]
PROFILE_STEP_RE = [(name, re.compile(rx)) for name, rx in PROFILE_STEPS]


def profile_steps(text):
    """perf report --sort sym by step: {"busy": {step: % of non-idle samples},
    "idle": % of all samples, "top": [(kernel symbol, % of busy)]}."""
    total, by, syms = 0.0, {}, []
    for line in text.splitlines():
        m = re.match(r"^\s*([\d.]+)%\s+\[(.)\]\s+(\S+)", line)
        if not m:
            continue
        pct, where, sym = float(m.group(1)), m.group(2), m.group(3)
        total += pct
        if where != "k":
            step = "user space"
        else:
            step = next((name for name, rx in PROFILE_STEP_RE if rx.search(sym)),
                        "other kernel")
            syms.append((sym, pct, step))
        by[step] = by.get(step, 0.0) + pct
    if not total:
        return None
    idle = by.pop("idle", 0.0)
    busy = total - idle
    if busy <= 0:
        return None
    return {"busy": {k: 100 * v / busy for k, v in by.items()},
            "idle": 100 * idle / total,
            "top": [(sym, 100 * pct / busy) for sym, pct, step in
                    sorted(syms, key=lambda x: -x[1]) if step != "idle"]}


def med(values):
    return statistics.median(values) if values else None


def spread(values, fmt="%.1f"):
    if not values:
        return "-"
    if len(values) == 1:
        return fmt % values[0]
    return (fmt + " (" + fmt + "-" + fmt + ")") % (med(values), min(values), max(values))


def ratio(a, b, fmt="%.2f"):
    if a is None or b is None or b == 0:
        return "-"
    return fmt % (a / b)


# Modes are sought only under icount, where a placement gives exact,
# repeated values; on the wall clock continuous noise would be cut into
# as many "modes" as it has gaps (set by Target).
MODE_GAP = 0.05


def modes(values, gap=None):
    """values split where two neighbours (sorted) are more than gap apart
    (relative): a bimodal result (two processes on one CPU or on two)
    gives two clusters, which are reported apart, never averaged."""
    gap = MODE_GAP if gap is None else gap
    out = []
    for v in sorted(values):
        if out and v > out[-1][-1] * (1 + gap):
            out.append([v])
        elif out:
            out[-1].append(v)
        else:
            out.append([v])
    return out


def spread_modes(values, fmt="%.1f"):
    """spread(), or each mode with how often it occurred."""
    clusters = modes(values)
    if len(clusters) <= 1:
        return spread(values, fmt)
    return "; ".join(("%s in %d of %d" % (spread(c, fmt), len(c), len(values)))
                     for c in clusters)


MIN_EFFECT = 0.01
GAP_FACTOR = 2.0
VERDICT_RULE = ("a verdict needs at least two boots of each kernel, the ranges of their "
                "per-boot medians apart by more than twice the wider of the two ranges "
                "(the spread between boots of one kernel), and medians at least 1 % apart; "
                "otherwise \"not resolved\".  With two boots of each kernel and normally "
                "distributed boot-to-boot noise this rule calls a difference that is not "
                "there for about 4 % of the ratios (simulated); under icount boots agree "
                "and only the 1 % floor matters")


def verdict(base, new, higher_better):
    """faster, slower or not resolved, for NEW against BASE, from per-boot
    medians (see VERDICT_RULE); never from one boot."""
    base = [v for v in base if v is not None]
    new = [v for v in new if v is not None]
    if len(base) < 2 or len(new) < 2:
        return "no verdict (%d and %d boots)" % (len(base), len(new))
    width = max(max(base) - min(base), max(new) - min(new))
    mb, mn = med(base), med(new)
    if not mb or abs(mn / mb - 1) < MIN_EFFECT:
        return "not resolved"
    if min(new) - max(base) > GAP_FACTOR * width:
        return "faster" if higher_better else "slower"
    if min(base) - max(new) > GAP_FACTOR * width:
        return "slower" if higher_better else "faster"
    return "not resolved"


def verdict_modes(base, new, higher_better):
    """verdict() for results that may be bimodal: BASE and NEW are lists
    of boots, each a list of values.  With one mode on each side, the
    verdict of the per-boot medians; with as many modes on each side, the
    modes are compared in order (each boot's values in that mode) and
    must agree; otherwise not resolved."""
    base = [b for b in base if b]
    new = [b for b in new if b]
    fb = modes([v for b in base for v in b])
    fn = modes([v for b in new for v in b])
    if len(fb) != len(fn):
        return "not resolved (%d and %d modes)" % (len(fb), len(fn))
    if len(fb) == 1:
        return verdict([med(b) for b in base], [med(b) for b in new], higher_better)
    if len(base) < 2 or len(new) < 2:
        return "no verdict (%d and %d boots)" % (len(base), len(new))
    # a mode is where a boot's runs happened to fall (placement), not a
    # property of the boot: each mode's values are the samples
    judged = [(cb, cn) for cb, cn in zip(fb, fn) if len(cb) >= 2 and len(cn) >= 2]
    if not judged:
        return "not resolved (no mode seen twice on both kernels)"
    verdicts = set(verdict(cb, cn, higher_better) for cb, cn in judged)
    if len(verdicts) == 1 and len(judged) < len(fb):
        return "%s (%d of %d modes seen twice on both kernels)" % (
            verdicts.pop(), len(judged), len(fb))
    if len(verdicts) == 1:
        return verdicts.pop()
    return "not resolved (modes disagree)"


def verdict_paired(ratios, lower_better=True):
    """For a comparison made inside each boot (a door call against a futex
    round trip of the same boot): faster or slower when every boot's
    ratio is on the same side of 1 by at least 1 %, from two boots up."""
    ratios = [r for r in ratios if r is not None]
    if len(ratios) < 2:
        return "no verdict (%d boots)" % len(ratios)
    if max(ratios) < 1 - MIN_EFFECT:
        return "faster" if lower_better else "slower"
    if min(ratios) > 1 + MIN_EFFECT:
        return "slower" if lower_better else "faster"
    return "not resolved"


# What hardware would pay, from the exact counts: an ESTIMATE, not a
# measurement.  Constants: an invlpg "is about 100 ns" (the comment above
# tlb_single_page_flush_ceiling in Linux 6.12's arch/x86/mm/tlb.c, where
# the kernel's single-page flush cost is weighed against a full flush);
# instructions at 3 per ns (an assumed 3 GHz core retiring one instruction
# per cycle: an assumption, named as one).  TLB refills after an
# invalidation, cache misses and IPIs are not modelled.
INVLPG_NS = 100.0
INSTR_PER_NS = 3.0
HW_ESTIMATE = ("Hardware estimate (us/MB, an ESTIMATE): icount ns taken as instructions "
               "(idle jumps included) / 3 per ns (an assumed "
               "3 GHz core at one instruction per cycle) + kernel invalidations x 100 ns "
               "(\"each single flush is about 100 ns\", arch/x86/mm/tlb.c in Linux 6.12); "
               "TLB refills, cache misses and IPIs are not modelled.")


def hw_estimate(instructions, invalidations):
    """Estimated microseconds on hardware for so many instructions and
    kernel TLB invalidations (see HW_ESTIMATE)."""
    if invalidations is None:
        return None
    return (instructions / INSTR_PER_NS + invalidations * INVLPG_NS) / 1000.0


def boot_list(values, fmt):
    return ", ".join(fmt % v for v in values) if values else "-"


def ipis(counts):
    return counts.get("ipi:ipi_send_cpu", 0) + counts.get("ipi:ipi_send_cpumask", 0)


def read_info(path, target):
    """make bench's bench.txt: {key: [values]}, the lines before the first
    "target:" line and those of TARGET's block."""
    info, current = {}, None
    for line in (read(path) or "").splitlines():
        key, _, value = line.partition(": ")
        if key == "target":
            current = value
            continue
        if current is None or current == target:
            info.setdefault(key, []).append(value)
    return info


class Target:
    def __init__(self, top, target):
        self.target = target
        self.runs = {}
        for kind in KINDS:
            path = os.path.join(top, "raw", "%s-%s" % (target, kind))
            if not os.path.isdir(path):
                # make bench KERNELS=patched boots no unpatched kernel
                if kind == "unpatched":
                    self.runs[kind] = Run([])
                    continue
                die("no results in %s" % path)
            more = sorted((d for d in os.listdir(os.path.join(top, "raw"))
                           if re.match(r"%s-%s-r\d+$" % (re.escape(target), kind), d)),
                          key=lambda d: int(d.rsplit("-r", 1)[1]))
            # the microbenchmark's own boots (patched only)
            kunit = sorted((d for d in os.listdir(os.path.join(top, "raw"))
                            if re.match(r"%s-%s-kunit(-r\d+)?$" % (re.escape(target), kind), d)),
                           key=lambda d: int(d.rsplit("-r", 1)[1]) if re.search(r"-r\d+$", d) else 1)
            self.runs[kind] = Run([path] + [os.path.join(top, "raw", d) for d in more])
            if kind == "patched":
                self.kunit_run = Run([os.path.join(top, "raw", d) for d in kunit])
        if not hasattr(self, "kunit_run"):
            self.kunit_run = Run([])
        self.info = read_info(os.path.join(top, "bench.txt"), target)
        self.clock = self.info.get("clock", ["wall"])[0]
        self.icount = self.clock == "icount"
        global MODE_GAP
        MODE_GAP = 0.05 if self.icount else float("inf")
        self.lines = []
        self.checks = []
        self.results = []

    def emit(self, s=""):
        self.lines.append(s)

    def check(self, what, value, goal, met):
        self.checks.append((what, value, goal, "met" if met else "MISSED"))

    # ----- mapping workloads -----
    def idle(self, kind):
        """perf's own counts in a run that does nothing (the idle workload)."""
        run = self.runs[kind]
        reps = run.ok_reps("idle")
        if not reps:
            return {"ipi": 0, "tlb": 0, "irq_tlb": 0}
        return {
            "ipi": med([ipis(run.stat("idle", k)) for k in reps]),
            "tlb": med([run.stat("idle", k).get("tlb:tlb_flush", 0) for k in reps]),
            "irq_tlb": med([run.vmstat_delta("idle", k).get("irq_tlb", 0) for k in reps]),
        }

    def map_rows(self):
        rows = []
        for w in MAP_WORKLOADS:
            per = {}
            for kind in KINDS:
                run = self.runs[kind]
                reps = run.ok_reps(w)
                if not reps:
                    per[kind] = None
                    continue
                mbs, mb, sf, ipi, tlb, itlb = [], [], [], [], [], []
                for k in reps:
                    m = run.result(w, k, r"^map_bench \S+ MB/s ([\d.]+) bytes (\d+)")
                    mbs.append(float(m.group(1)))
                    mb.append(int(m.group(2)) / 2**20)
                    c = run.stat(w, k)
                    d = run.vmstat_delta(w, k)
                    ipi.append(ipis(c))
                    tlb.append(c.get("tlb:tlb_flush", 0))
                    itlb.append(d.get("irq_tlb", 0))
                    sf.append(d)
                # counts per run (medians); per MB for the table
                per_mb = med(mb)
                inval = [c.get("kinval:one", 0) + c.get("kinval:all", 0)
                         for c in run.inval(w)]
                per[kind] = {
                    "mbs": mbs, "sf": sf, "mb": per_mb,
                    "boot_reps": [[mbs[k - 1] for k in ks] for ks in run.boots(w)],
                    "inval": med(inval) / per_mb if inval and per_mb else None,
                    "ipi": med(ipi), "tlb": med(tlb), "irq_tlb": med(itlb),
                    "sites": run.ipi_sites(w),
                    "map_ipis": None,
                }
                if run.record_ok(w):
                    per[kind]["map_ipis"] = sum(
                        n for (_, _, cls), n in per[kind]["sites"].items()
                        if cls == "kernel mapping")
            if per["unpatched"] and per["patched"]:
                rows.append((w, per))
        return rows

    def report_map(self):
        rows = self.map_rows()
        self.map_table = rows
        idle = {kind: self.idle(kind) for kind in KINDS}
        self.emit("### Mapping workloads (map_bench), patched against unpatched")
        self.emit()
        self.emit("MB/s: median (min-max) of the repetitions.  Per MB moved (medians of the "
                  "repetitions): IPIs sent (`ipi:ipi_send_cpu` + `ipi:ipi_send_cpumask`, "
                  "`perf stat -a`); TLB shootdowns received (the TLB row of "
                  "`/proc/interrupts`: remote flushes, kernel or user); `tlb:tlb_flush` "
                  "events (user address spaces only, context switches included: the "
                  "tracepoint does not see kernel-range flushes).  Mapping IPIs: IPIs of "
                  "the recorded run (`perf record -g`) caused by a kernel-mapping "
                  "function (sf_buf, kmap, flush_tlb_kernel_range, flush_tlb_all).  "
                  "perf's own background, from a run of `sleep 1`: %d IPIs, %d TLB "
                  "shootdowns, %d tlb_flush events (unpatched), %d, %d, %d (patched)." % (
                      idle["unpatched"]["ipi"], idle["unpatched"]["irq_tlb"],
                      idle["unpatched"]["tlb"], idle["patched"]["ipi"],
                      idle["patched"]["irq_tlb"], idle["patched"]["tlb"]))
        self.emit()
        unit = "MB/10^9 icount ns" if self.icount else "MB/s"
        self.emit("Where the repetitions fall in modes (placement) each is shown with how "
                  "often it occurred and the ratio is given mode by mode (the goals use the "
                  "lower).  Per boot: the median of its repetitions, in boot order.  Kernel "
                  "invalidations/MB: `flush_tlb_one_kernel()` and `__flush_tlb_all()` calls "
                  "on any CPU (kprobes, in one more run of the workload: local `invlpg`s "
                  "of kmap_local and sf_buf, each page of a remote kernel-range flush, "
                  "whole-TLB flushes).%s  Verdict: %s." % (
                      "  icount ns/MB = 10^9 / (MB per 10^9 icount ns): instructions of both "
                      "vCPUs plus idle jumps.  "
                      + HW_ESTIMATE if self.icount else "", VERDICT_RULE))
        self.emit()
        self.emit("| workload | unpatched %s | patched %s | ratio | per boot u / p | verdict | "
                  "%skernel invalidations/MB u / p | IPIs/MB u / p | "
                  "TLB shootdowns/MB u / p | tlb_flush/MB u / p | mapping IPIs u / p | "
                  "sf_buf hit / miss / local flush / IPI (patched, per rep) |" % (
                      unit, unit, "icount ns/MB u / p | hardware estimate us/MB u / p "
                      "(p/u) | " if self.icount else ""))
        self.emit("| --- | --- | --- | --- | --- | --- | %s--- | --- | --- | --- | --- | --- |" %
                  ("--- | --- | " if self.icount else ""))
        worst, reuse_worst = None, None
        for w, per in rows:
            u, p = per["unpatched"], per["patched"]
            # a bimodal result (placement: the two processes of a pipe on
            # one CPU or two) is compared mode by mode, never averaged
            mu, mp = modes(u["mbs"]), modes(p["mbs"])
            if len(mu) == len(mp) and len(mu) > 1:
                mode_r = [med(b) / med(a) for a, b in zip(mu, mp)]
                r = min(mode_r)
                r_text = "%s (by mode)" % " / ".join("%.3f" % x for x in mode_r)
            else:
                r = med(p["mbs"]) / med(u["mbs"]) if med(u["mbs"]) else 0
                r_text = "%.3f" % r
                if len(mu) > 1 or len(mp) > 1:
                    r_text += " (%d and %d modes)" % (len(mu), len(mp))
            sf = p["sf"]
            sfs = "-"
            if sf and "sfbuf_alloc" in sf[0]:
                sfs = "%d / %d / %d / %d" % (
                    med([d.get("sfbuf_hit", 0) for d in sf]),
                    med([d.get("sfbuf_miss", 0) for d in sf]),
                    med([d.get("sfbuf_local_flush", 0) for d in sf]),
                    med([d.get("sfbuf_ipi", 0) for d in sf]))
            v = verdict_modes(u["boot_reps"], p["boot_reps"], True)
            per["verdict"] = v
            self.results.append(("%s (throughput)" % w, r_text, v))
            fmt = "%.2f" if not self.icount else "%.3f"
            instr = ""
            if self.icount:
                est = [hw_estimate(1e9 / med(x["mbs"]), x["inval"]) if med(x["mbs"]) else None
                       for x in (u, p)]
                instr = "%s / %s | %s / %s (%s) | " % (
                    "%.0f" % (1e9 / med(u["mbs"])) if med(u["mbs"]) else "-",
                    "%.0f" % (1e9 / med(p["mbs"])) if med(p["mbs"]) else "-",
                    "%.0f" % est[0] if est[0] else "-", "%.0f" % est[1] if est[1] else "-",
                    ratio(est[1], est[0], "%.3f"))
            inval = "%s / %s" % tuple("-" if x["inval"] is None else "%.1f" % x["inval"]
                                      for x in (u, p))
            self.emit("| %s | %s | %s | %s | %s / %s | %s | %s%s | %.2f / %.2f | %.2f / %.2f | %.2f / %.2f | %s / %s | %s |" % (
                w, spread_modes(u["mbs"], fmt), spread_modes(p["mbs"], fmt), r_text,
                boot_list([med(b) for b in u["boot_reps"]], fmt),
                boot_list([med(b) for b in p["boot_reps"]], fmt), v, instr, inval,
                u["ipi"] / u["mb"], p["ipi"] / p["mb"],
                u["irq_tlb"] / u["mb"], p["irq_tlb"] / p["mb"],
                u["tlb"] / u["mb"], p["tlb"] / p["mb"],
                "-" if u["map_ipis"] is None else u["map_ipis"],
                "-" if p["map_ipis"] is None else p["map_ipis"], sfs))
            worst = min(worst, r) if worst is not None else r
            if w in REUSE_WORKLOADS:
                reuse_worst = min(reuse_worst, r) if reuse_worst is not None else r
            per["ratio"] = r
        self.emit()
        if not rows:
            return

        # "patched <= unpatched", allowing for perf's own background once
        def more(key):
            tol = max(idle["unpatched"][key], idle["patched"][key])
            return [w for w, per in rows
                    if per["patched"][key] > per["unpatched"][key] + tol]

        slower = [w for w, per in rows if per.get("verdict") == "slower"]
        unresolved = [w for w, per in rows if per.get("verdict") not in ("faster", "slower")]
        self.check("no converted workload slower than unpatched (verdicts across boots)",
                   "slower: %s; not resolved: %s" % (", ".join(slower) or "none",
                                                     ", ".join(unresolved) or "none"),
                   "none slower", not slower)
        if self.target.startswith("i386"):
            missing = [w for w, per in rows if per["patched"]["map_ipis"] is None]
            mapipi = sum(per["patched"]["map_ipis"] or 0 for w, per in rows)
            self.check("mapping-related IPIs on the converted paths (patched, recorded runs)",
                       "%d%s" % (mapipi, "; no recorded run for: " + ", ".join(missing)
                                 if missing else ""), "0", mapipi == 0 and not missing)
            for key, what in (("ipi", "IPIs"), ("irq_tlb", "TLB shootdowns received"),
                              ("tlb", "tlb_flush events")):
                bad = more(key)
                self.check("%s patched <= unpatched on every workload (per run, perf's "
                           "background allowed once)" % what,
                           "more on: %s" % (", ".join(bad) or "none"), "none", not bad)
            self.check("throughput patched/unpatched, worst workload",
                       "%.2f" % worst, ">= 1.0", worst >= 1.0)
            if reuse_worst is not None:
                self.check("throughput ratio where pages are mapped again (%s), worst" %
                           ", ".join(REUSE_WORKLOADS), "%.2f" % reuse_worst, ">= 1.2",
                           reuse_worst >= 1.2)
        else:
            self.check("throughput patched/unpatched, worst workload",
                       "%.2f" % worst, ">= 0.98", worst >= 0.98)
        self.emit("IPIs of the recorded runs by call site and cause (the first "
                  "frame of the call chain above the generic cross-call helpers), "
                  "all workloads together:")
        self.emit()
        total = {}
        for w, per in rows:
            for kind in KINDS:
                for key, n in per[kind]["sites"].items():
                    total.setdefault(key, {"unpatched": 0, "patched": 0})[kind] += n
        self.emit("| call site | cause | class | unpatched | patched |")
        self.emit("| --- | --- | --- | --- | --- |")
        for key, n in sorted(total.items(), key=lambda kv: -sum(kv[1].values())):
            self.emit("| %s | %s | %s | %d | %d |" % (key[0], key[1], key[2],
                                                     n["unpatched"], n["patched"]))
        self.emit()

    # ----- in-kernel microbenchmark -----
    def report_kunit(self):
        # its own boots (make bench); in older results, the patched boots
        run = self.kunit_run if self.kunit_run.paths else self.runs["patched"]
        reps = run.ok_reps("kunit-bench")
        if not reps:
            return
        pat = re.compile(r"bench (\S+)\s+(sf_buf private|sf_buf shared|kmap_local_page|kmap)\s+(\d+) ns/map\s+(\d+) IPIs")
        data = {}
        order = []
        for k in reps:
            for m in pat.finditer(run.out("kunit-bench", k)):
                key = (m.group(1), m.group(2))
                if key not in data:
                    order.append(key)
                data.setdefault(key, ([], []))
                data[key][0].append(int(m.group(3)))
                data[key][1].append(int(m.group(4)))
        if not data:
            die("%s: the KUnit microbenchmark printed no bench lines" % run.path)
        # perf's view: IPIs sent between the console line before a phase's
        # report and the report itself, in the recorded run
        perf_ipis = {}
        # the first boot that recorded it
        text = next((t for t in (read(os.path.join(path, "kunit-bench.script"))
                                 for path in run.paths) if t), "")
        n = 0
        for line in text.splitlines():
            if "ipi:ipi_send" in line:
                n += 1
            elif "printk:console" in line:
                m = re.search(r"bench (\S+)\s+(sf_buf private|sf_buf shared|kmap_local_page|kmap)\s", line)
                if m:
                    perf_ipis[(m.group(1), m.group(2))] = n
                n = 0
        self.emit("### In-kernel microbenchmark (KUnit `sf_buf_test_bench`, patched kernel)")
        self.emit()
        self.emit("%s per map+read+unmap: median (min-max) of the repetitions, in a boot "
                  "of its own (KUnit runs nothing at boot in the workloads' boots); IPIs: "
                  "the test's own count (function-call and TLB IPIs received, "
                  "median) and perf's (`ipi:ipi_send_*` events during the phase, "
                  "recorded run)." % ("icount ns (instructions, plus idle jumps)" if self.icount else "ns"))
        self.emit()
        self.emit("| load | mapping | %s/map | IPIs (test) | IPIs (perf) |" % (
            "icount ns" if self.icount else "ns"))
        self.emit("| --- | --- | --- | --- | --- |")
        for key in order:
            ns, ip = data[key]
            self.emit("| %s | %s | %s | %d | %s |" % (
                key[0], key[1], spread(ns, "%.0f"), med(ip),
                perf_ipis.get(key, "-")))
        self.emit()
        if not self.target.startswith("i386"):
            return
        def ns(load, how):
            v = data.get((load, how))
            return med(v[0]) if v else None

        def ipis(load, how):
            v = data.get((load, how))
            return med(v[1]) if v else None

        # the goals of the sf_buf cache (issue "sf_buf, second version")
        for load in ("same-page", "stream"):
            a, b = ipis(load, "sf_buf shared"), ipis(load, "kmap")
            if a is not None and b is not None:
                self.check("microbenchmark %s: sf_buf shared IPIs vs kmap's (test's count)" % load,
                           "%d vs %d" % (a, b), "<=", a <= b)
            # all IPIs the CPUs received during the phase, wake-ups
            # included: kmap_local_page(), which sends none, is the floor
            a, b = ipis(load, "sf_buf private"), ipis(load, "kmap_local_page")
            if a is not None and b is not None:
                self.check("microbenchmark %s: sf_buf private IPIs vs kmap_local_page's (test's count)" % load,
                           "%d vs %d" % (a, b), "<= (+1 background)", a <= b + 1)
        for load, how, base, goal in (
                ("same-page", "sf_buf private", "kmap_local_page", 0.2),
                ("same-page", "sf_buf shared", "kmap", 1.0),
                ("stream", "sf_buf private", "kmap_local_page", 1.0)):
            a, b = ns(load, how), ns(load, base)
            if a and b:
                self.check("microbenchmark %s: %s / %s time" % (load, how, base),
                           "%.2f" % (a / b), "<= %.1f" % goal, a / b <= goal)
        for how in ("sf_buf private", "sf_buf shared"):
            for two, one in (("2cpu-page", "1cpu-page"), ("2cpu-64", "1cpu-64"),
                             ("2cpu-64each", "1cpu-64")):
                a, b = ns(two, how), ns(one, how)
                if a and b:
                    # per-CPU rate on two CPUs >= 0.9 x the rate on one
                    self.check("microbenchmark %s: per-CPU rate %s / %s" % (how, two, one),
                               "%.2f" % (b / a), ">= 0.9", b / a >= 0.9)

    # ----- doors and other IPC -----
    def lat(self, kind, mech, size, pin):
        run = self.runs[kind]
        name = "lat-%s-%d-%s" % (mech, size, pin)
        reps = run.ok_reps(name)
        if not reps:
            return None
        p50, p99 = [], []
        for k in reps:
            m = run.result(name, k, r"^ipc_bench lat \S+ \d+ \S+ p50 (\d+) p99 (\d+)")
            p50.append(int(m.group(1)) / 1000)
            p99.append(int(m.group(2)) / 1000)
        return p50, p99

    def allocs_per_call(self, point):
        """Slab and page allocations of the whole system per round trip:
        the difference between runs of 2n and n calls over n, so that what
        a run costs besides its calls (process start, buffers, perf) cancels."""
        run = self.runs["patched"]
        counts = {}
        for x in (1, 2):
            name = "alloc-%s-%dn" % (point, x)
            reps = run.ok_reps(name)
            if not reps:
                return None
            per = []
            for k in reps:
                n = int(run.result(name, k, r" n (\d+)$").group(1))
                c = run.stat(name, k)
                if "kmem:kmalloc" not in c:
                    return None
                per.append((n, c["kmem:kmalloc"] + c.get("kmem:kmem_cache_alloc", 0) +
                            c.get("kmem:mm_page_alloc", 0)))
            counts[x] = (per[0][0], med([v for _, v in per]))
        n1, a1 = counts[1]
        n2, a2 = counts[2]
        return (a2 - a1) / (n2 - n1) if n2 > n1 else None

    def report_ipc(self):
        sizes = [0, 64, 128, 129, 1024, 4096, 65536, 1048576]
        mechs = ["door", "pipe", "unix", "eventfd", "futex", "getpid"]
        self.lat_data = {}
        self.emit("### Round trips between two processes (us; p50 median (min-max) over "
                  "the repetitions, p99 median)")
        self.emit()
        for pin in ("unpinned", "pinned"):
            self.emit("%s (%s):" % (pin.capitalize(), "both processes on CPU 0" if pin == "pinned"
                                    else "the scheduler places them"))
            self.emit()
            self.emit("| mechanism | bytes each way | patched p50 | p99 | unpatched p50 | p99 | patched/unpatched p50 |")
            self.emit("| --- | --- | --- | --- | --- | --- | --- |")
            for mech in mechs:
                for size in sizes:
                    p = self.lat("patched", mech, size, pin)
                    u = self.lat("unpatched", mech, size, pin)
                    if not p and not u:
                        continue
                    self.lat_data[(mech, size, pin)] = (p, u)
                    self.emit("| %s | %d | %s | %s | %s | %s | %s |" % (
                        mech, size, spread(p[0]) if p else "-", "%.1f" % med(p[1]) if p else "-",
                        spread(u[0]) if u else "-", "%.1f" % med(u[1]) if u else "-",
                        ratio(med(p[0]) if p else None, med(u[0]) if u else None)))
            self.emit()
        if not self.goals_from_rounds():
            self.goals_from_lat()
        # a futex round trip allocates nothing itself: the background
        noise = self.allocs_per_call("futex-0")
        for size in (128, 129):
            a = self.allocs_per_call("door-%d" % size)
            if a is None or noise is None:
                continue
            self.check("allocations per %d-byte door call (kmalloc + kmem_cache_alloc + page "
                       "allocations of the whole system, runs of 2n minus n calls, over n; a "
                       "futex ping-pong as the background)" % size,
                       "%.3f (futex %.3f)" % (a, noise),
                       "no more than futex" if size == 128 else "-",
                       a <= noise + 0.05 if size == 128 else True)

    def round_trips(self, kind, pin):
        """p50 of every round of cmp-null-PIN on KIND, as
        {mech: [[p50 ns of each round] per boot]}."""
        run = self.runs[kind]
        name = "cmp-null-%s" % pin
        out = {}
        if not run.ok_reps(name):
            return out
        for b, ks in enumerate(run.boots(name)):
            for k in ks:
                for m in re.finditer(r"^ipc_bench round \d+ (\S+) 0 \S+ p50 (\d+) ",
                                     run.out(name, k), re.M):
                    boots = out.setdefault(m.group(1), [])
                    while len(boots) <= b:
                        boots.append([])
                    boots[b].append(int(m.group(2)))
        return out

    def report_round_trips(self):
        """Null round trips of both kernels (cmp-null-*), every round kept:
        under icount each is an exact count, and the two placements of
        two processes (one CPU or two) give two modes, shown apart."""
        rows = []
        for pin in ("pinned", "unpinned"):
            u, p = self.round_trips("unpatched", pin), self.round_trips("patched", pin)
            for mech in ("door", "futex", "pipe", "unix", "eventfd", "getpid"):
                if mech in u or mech in p:
                    rows.append((pin, mech, u.get(mech, []), p.get(mech, [])))
        if not rows:
            return
        unit = "icount ns" if self.icount else "ns"
        self.emit("### Null round trips, every round (`ipc_bench rounds`, cmp-null-*; %s)" % unit)
        self.emit()
        self.emit("p50 of each round; where the rounds fall in modes (placement) each is "
                  "shown with how often it occurred.  Per boot: the median of its rounds.  "
                  "Verdict, patched against unpatched: %s." % VERDICT_RULE)
        self.emit()
        self.emit("| placement | mechanism | unpatched | patched | per boot u / p | verdict |")
        self.emit("| --- | --- | --- | --- | --- | --- |")
        fmt = "%.0f"
        self.door_boots = {}
        for pin, mech, u, p in rows:
            flat_u = [v for b in u for v in b]
            flat_p = [v for b in p for v in b]
            bu = [med(b) for b in u if b]
            bp = [med(b) for b in p if b]
            v = verdict_modes([b for b in u if b], [b for b in p if b], False) if bu else "-"
            if bu:
                self.results.append(("%s round trip, %s" % (mech, pin),
                                     ratio(med(flat_p), med(flat_u), "%.3f"), v))
            self.door_boots[(mech, pin)] = [b for b in p if b]
            self.emit("| %s | %s | %s | %s | %s / %s | %s |" % (
                pin, mech, spread_modes(flat_u, fmt) if flat_u else "-",
                spread_modes(flat_p, fmt) if flat_p else "-",
                boot_list(bu, fmt), boot_list(bp, fmt), v))
        self.emit()
        # in-boot comparisons: the ratio of the medians of each boot
        for pin in ("pinned", "unpinned"):
            d = self.door_boots.get(("door", pin), [])
            for other in ("futex", "pipe"):
                o = self.door_boots.get((other, pin), [])
                if d and o and len(d) == len(o):
                    per = [med(db) / med(ob) for db, ob in zip(d, o)]
                    self.results.append((
                        "door against %s, null round trip, %s (patched kernel, ratio in "
                        "each boot)" % (other, pin), ", ".join("%.3f" % x for x in per),
                        verdict_paired(per)))

    def goals_from_lat(self):
        """The goals from the lat workloads, each measured in runs of its own."""
        def p50(mech, size, pin):
            v = self.lat_data.get((mech, size, pin))
            return med(v[0][0]) if v and v[0] else None
        futex_pinned = p50("futex", 0, "pinned")
        getpid = p50("getpid", 0, "pinned")
        if futex_pinned is not None and getpid is not None:
            floor = futex_pinned - 2 * getpid
            self.emit("Floor (pinned futex ping-pong minus two getpid calls, patched kernel): "
                      "%.1f us; getpid %.2f us." % (floor, getpid))
            self.emit()
        else:
            floor = None
        for pin in ("unpinned", "pinned"):
            d0 = p50("door", 0, pin)
            if not d0:
                continue
            if floor and floor > 0:
                self.check("null door call / floor (%s; the floor is pinned by definition)" % pin,
                           "%.2f" % (d0 / floor), "<= 1.1", d0 / floor <= 1.1)
            fx = p50("futex", 0, pin)
            if fx:
                self.check("null door call / futex ping-pong (%s)" % pin, "%.2f" % (d0 / fx),
                           "<= 0.9", d0 / fx <= 0.9)
            pp = p50("pipe", 0, pin)
            for other in ("unix", "eventfd"):
                o = p50(other, 0, pin)
                if o:
                    self.check("null door call / %s ping-pong (%s)" % (other, pin),
                               "%.2f" % (d0 / o), "< 1", d0 / o < 1)
            if pp:
                self.check("null door call / pipe ping-pong (%s)" % pin,
                           "%.2f" % (d0 / pp), "< 1", d0 / pp < 1)
            v = self.lat_data.get(("door", 0, pin))
            if v and v[0]:
                p99 = med(v[0][1])
                self.check("null door call p99 / p50 (%s)" % pin, "%.2f" % (p99 / d0),
                           "<= 3", p99 / d0 <= 3)
            d128, d129 = p50("door", 128, pin), p50("door", 129, pin)
            if d128:
                self.check("door 128 B / null (%s)" % pin, "%.2f" % (d128 / d0), "<= 1.05",
                           d128 / d0 <= 1.05)
            if d128 and d129:
                self.check("door 129 B / 128 B (%s)" % pin, "%.2f" % (d129 / d128), "<= 1.2",
                           d129 / d128 <= 1.2)
            d4k = p50("door", 4096, pin)
            if d4k:
                self.check("door 4 KiB / null (%s)" % pin, "%.2f" % (d4k / d0), "<= 1.3",
                           d4k / d0 <= 1.3)
            d64k, p64k = p50("door", 65536, pin), p50("pipe", 65536, pin)
            if d64k and p64k:
                self.check("door 64 KiB / pipe 64 KiB (%s)" % pin, "%.2f" % (d64k / p64k),
                           "<= 0.6", d64k / p64k <= 0.6)

    def rounds(self, pin):
        """The cmp-*-PIN workloads' alternating rounds, each as
        {(mech, size): (p50 us, p99 us)}."""
        run = self.runs["patched"]
        out = []
        for w in ("null", "size", "64k"):
            name = "cmp-%s-%s" % (w, pin)
            reps = run.ok_reps(name)
            for k in reps or []:
                by = {}
                for m in re.finditer(r"^ipc_bench round (\d+) (\S+) (\d+) \S+ "
                                     r"p50 (\d+) p99 (\d+)", run.out(name, k), re.M):
                    by.setdefault(int(m.group(1)), {})[(m.group(2), int(m.group(3)))] = (
                        int(m.group(4)) / 1000, int(m.group(5)) / 1000)
                out.extend(by.values())
        return out

    def goals_from_rounds(self):
        """The goals from ratios within alternating rounds (make bench's
        cmp-* workloads): a round measures every mechanism once, one after
        the other, so that a slow stretch of the host weighs on all of
        them; each ratio is taken within a round, then the median over
        the rounds of every repetition."""
        data = {pin: self.rounds(pin) for pin in ("unpinned", "pinned")}
        if not data["unpinned"] and not data["pinned"]:
            return False

        def ratios(pin, f):
            vals = []
            for r in data[pin]:
                try:
                    v = f(r)
                except (KeyError, ZeroDivisionError):
                    continue
                if v is not None:
                    vals.append(v)
            return vals

        def p50(r, mech, size=0):
            return r[(mech, size)][0]

        floors = ratios("pinned", lambda r: p50(r, "futex") - 2 * p50(r, "getpid"))
        floor = med(floors)
        self.emit("Ratios within alternating rounds (`ipc_bench rounds`, make bench's cmp-* "
                  "workloads; p50 against p50 of the same round, median (min-max) over every "
                  "round; floor: pinned futex minus two getpid of the same round, %s us):"
                  % spread(floors))
        self.emit()
        self.emit("| ratio | unpinned | pinned | goal |")
        self.emit("| --- | --- | --- | --- |")
        def row(what, f, goal, test, pins=("unpinned", "pinned")):
            cells = []
            for pin in ("unpinned", "pinned"):
                v = ratios(pin, f) if pin in pins else []
                cells.append(spread(v, "%.2f") if v else "-")
                if v and goal != "-":
                    self.check("%s (%s; rounds)" % (what, pin), "%.2f" % med(v), goal,
                               test(med(v)))
            self.emit("| %s | %s | %s | %s |" % (what, cells[0], cells[1], goal))

        # the floor is a pinned number: the pinned door call against its own
        # round's, the unpinned one against the pinned rounds' median
        pinned_floor = ratios("pinned", lambda r: p50(r, "door") /
                              (p50(r, "futex") - 2 * p50(r, "getpid")))
        unpinned_floor = ratios("unpinned", lambda r: p50(r, "door") / floor) if floor else []
        self.emit("| null door / floor | %s | %s | <= 1.1 |" % (
            spread(unpinned_floor, "%.2f") if unpinned_floor else "-",
            spread(pinned_floor, "%.2f") if pinned_floor else "-"))
        for pin, v in (("unpinned", unpinned_floor), ("pinned", pinned_floor)):
            if v:
                self.check("null door call / floor (%s; rounds)" % pin, "%.2f" % med(v),
                           "<= 1.1", med(v) <= 1.1)
        row("null door / futex", lambda r: p50(r, "door") / p50(r, "futex"), "<= 0.9",
            lambda x: x <= 0.9)
        for other in ("pipe", "unix", "eventfd"):
            row("null door / %s" % other, lambda r, o=other: p50(r, "door") / p50(r, o),
                "< 1", lambda x: x < 1)
        row("null door p99 / p50", lambda r: r[("door", 0)][1] / p50(r, "door")
            if ("futex", 0) in r else None, "<= 3", lambda x: x <= 3)
        # the machine's own tail, for comparison (timer ticks, the host)
        for other in ("futex", "eventfd", "pipe"):
            row("%s p99 / p50 (for comparison)" % other,
                lambda r, o=other: r[(o, 0)][1] / p50(r, o), "-", None)
        row("door 128 B / null", lambda r: p50(r, "door", 128) / p50(r, "door"), "<= 1.05",
            lambda x: x <= 1.05)
        row("door 129 B / 128 B", lambda r: p50(r, "door", 129) / p50(r, "door", 128), "<= 1.2",
            lambda x: x <= 1.2)
        row("door 4 KiB / null", lambda r: p50(r, "door", 4096) / p50(r, "door"), "<= 1.3",
            lambda x: x <= 1.3)
        row("door 64 KiB / pipe 64 KiB", lambda r: p50(r, "door", 65536) / p50(r, "pipe", 65536),
            "<= 0.6", lambda x: x <= 0.6)
        self.emit()
        return True

    def report_tput(self):
        run = self.runs["patched"]
        rows = []
        for c in (1, 2, 4):
            name = "tput-door-%d" % c
            reps = run.ok_reps(name)
            if not reps:
                continue
            v = [float(run.result(name, k, r"calls/s ([\d.]+)").group(1)) for k in reps]
            m = re.search(r" threads (\d+) ", run.out(name, reps[0]))
            rows.append((c, int(m.group(1)) if m else c, v))
        if not rows:
            return
        self.emit("### Door throughput (patched kernel; 128-byte calls, N client processes)")
        self.emit()
        self.emit("| clients | server threads | calls/s |")
        self.emit("| --- | --- | --- |")
        for c, t, v in rows:
            self.emit("| %d | %d | %s |" % (c, t, spread(v, "%.0f")))
        self.emit()
        by = {(c, t): med(v) for c, t, v in rows}
        if (1, 2) in by and (2, 2) in by:
            self.check("door calls/s, 2 clients / 1 client (2 server threads)",
                       "%.2f" % (by[(2, 2)] / by[(1, 2)]), ">= 1.8",
                       by[(2, 2)] / by[(1, 2)] >= 1.8)

    def report_handoff(self):
        run = self.runs["patched"]
        rows = []
        for pin in ("unpinned", "pinned"):
            name = "handoff-door-%s" % pin
            reps = run.ok_reps(name)
            if not reps:
                continue
            same, moved = [], []
            for k in reps:
                m = run.result(name, k, r"same-cpu (\d+) of (\d+) caller-moved (\d+)")
                same.append(100.0 * int(m.group(1)) / int(m.group(2)))
                moved.append(100.0 * int(m.group(3)) / int(m.group(2)))
            rows.append((pin, same, moved))
        if not rows:
            return
        self.emit("### Where a handed call's server runs (patched kernel, null calls "
                  "between two processes, counted)")
        self.emit()
        self.emit("| placement | server on the caller's CPU, % of calls | caller on another CPU after the call, % |")
        self.emit("| --- | --- | --- |")
        for pin, same, moved in rows:
            self.emit("| %s | %s | %s |" % (pin, spread(same), spread(moved)))
        self.emit()

    def report_profile(self):
        """Where a null round trip's time goes: perf record's cpu-clock
        samples of the whole machine by step, and the switches, wake-ups,
        migrations and system calls perf stat counted per round trip."""
        run = self.runs["patched"]
        done = []
        for w in PROFILE_WORKLOADS:
            name = "prof-" + w
            reps = run.ok_reps(name)
            if not reps:
                continue
            per = {}
            for k in reps:
                n = int(run.result(name, k, r" n (\d+)$").group(1))
                trips = n + n // 10 + 1     # ipc_bench warms up with n/10 + 1
                for ev, c in run.stat(name, k).items():
                    per.setdefault(ev, []).append(c / trips)
            steps = None
            for path in run.paths:
                steps = profile_steps(read(os.path.join(path, "%s.profile" % name)) or "")
                if steps:
                    break
            p50 = self.lat("patched", w.split("-")[0], 0, w.split("-")[2])
            done.append((w, per, steps, med(p50[0]) if p50 else None))
        if not done:
            return
        self.emit("### Where a null round trip's time goes (patched kernel)")
        self.emit()
        self.emit("Per round trip, median over the repetitions (perf stat -a, so the "
                  "whole machine: perf's own wake-ups included):")
        self.emit()
        events = ("context-switches", "sched:sched_wakeup", "cpu-migrations",
                  "sched:sched_migrate_task", "raw_syscalls:sys_enter")
        self.emit("| round trip | " + " | ".join(events) + " |")
        self.emit("|" + " --- |" * (len(events) + 1))
        for w, per, steps, p50 in done:
            self.emit("| %s | %s |" % (w, " | ".join(
                "%.2f" % med(per[e]) if e in per else "-" for e in events)))
        self.emit()
        self.emit("Steps, percent of the busy samples of one perf record -a -g run "
                  "(cpu-clock, 2 kHz; idle samples left out), and what that share is "
                  "of the p50 of the same round trip measured without perf in this boot:")
        self.emit()
        names = [w for w, _, steps, _ in done if steps]
        self.emit("| step | " + " | ".join(names) + " |")
        self.emit("|" + " --- |" * (len(names) + 1))
        for step, _ in [x for x in PROFILE_STEPS if x[0] != "idle"] + \
                [("other kernel", None), ("user space", None)]:
            cells = []
            for w, _, steps, p50 in done:
                if not steps:
                    continue
                share = steps["busy"].get(step, 0.0)
                cells.append("%.1f %%%s" % (share, " (%.1f us)" % (share * p50 / 100) if p50 else ""))
            self.emit("| %s | %s |" % (step, " | ".join(cells)))
        self.emit("| (idle, of all samples) | %s |" % " | ".join(
            "%.1f %%" % steps["idle"] for _, _, steps, _ in done if steps))
        self.emit()
        self.emit("Largest kernel symbols (percent of busy samples):")
        self.emit()
        for w, _, steps, _ in done:
            if steps:
                self.emit("- %s: %s" % (w, ", ".join("%s %.1f" % (sym, pct)
                                                     for sym, pct in steps["top"][:12])))
        self.emit()

    def report_libdoor(self):
        run = self.runs["patched"]
        reps = run.ok_reps("libdoor-null")
        if not reps:
            return
        v = [float(run.result("libdoor-null", k, r"median ([\d.]+)").group(1)) for k in reps]
        raw = [float(x) for k in reps
               for x in re.findall(r"raw (\d+) ns", run.out("libdoor-null", k))]
        lib = [float(x) for k in reps
               for x in re.findall(r"libdoor (\d+) ns", run.out("libdoor-null", k))]
        self.emit("### libdoor: null door_call(3C) against the raw system call "
                  "(patched kernel, two processes, alternating rounds in one boot)")
        self.emit()
        self.emit("| | per repetition: median of its rounds (min-max) |")
        self.emit("| --- | --- |")
        self.emit("| libdoor / raw | %s |" % spread(v, "%.3f"))
        self.emit("| raw, ns per call (every round) | %s |" % spread(raw, "%.0f"))
        self.emit("| libdoor, ns per call (every round) | %s |" % spread(lib, "%.0f"))
        self.emit()
        self.check("libdoor null call / raw door_call", "%.3f" % med(v), "<= 1.05",
                   med(v) <= 1.05)

    def report_mem(self):
        run = self.runs["patched"]
        data = {}
        for name in sorted(run.names):
            m = re.match(r"mem-(\w+)-(\d+)$", name)
            if not m:
                continue
            reps = run.ok_reps(name)
            if not reps:
                continue
            vals = []
            for k in reps:
                r = run.result(name, k, r"^ipc_bench mem \S+ (\d+) per_thread_bytes (-?\d+) slab (-?\d+) kstack (-?\d+) pagetables (-?\d+)")
                vals.append([int(x) for x in r.groups()])
            data[(m.group(1), int(m.group(2)))] = vals
        if not data:
            return
        self.emit("### Kernel memory per blocked client (patched kernel; a 100-byte request sent, "
                  "reply awaited)")
        self.emit()
        self.emit("Bytes per client thread: the change in pages in use (MemTotal minus the "
                  "free pages of /proc/zoneinfo, per-CPU free lists counted as free), Slab, "
                  "KernelStack and PageTables, divided by the clients (medians); 'beyond a thread' subtracts the "
                  "futex line (a thread that only sleeps) of the same N.  Pipe clients hold a "
                  "request pipe with the message in it and a reply pipe; socket clients a "
                  "socket pair.")
        self.emit()
        self.emit("| mechanism | clients | used | slab | kernel stack | page tables | beyond a thread |")
        self.emit("| --- | --- | --- | --- | --- | --- | --- |")
        for (mech, n), vals in sorted(data.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            base = data.get(("futex", n))
            used = med([v[1] for v in vals])
            beyond = used - med([v[1] for v in base]) if base else None
            self.emit("| %s | %d (made: %d) | %d | %d | %d | %d | %s |" % (
                mech, n, min(v[0] for v in vals), used, med([v[2] for v in vals]),
                med([v[3] for v in vals]), med([v[4] for v in vals]),
                "%d" % beyond if beyond is not None else "-"))
        self.emit()
        for n in sorted({n for (_, n) in data}):
            if ("door", n) in data and ("pipe", n) in data and ("futex", n) in data:
                base = med([v[1] for v in data[("futex", n)]])
                d = med([v[1] for v in data[("door", n)]]) - base
                p = med([v[1] for v in data[("pipe", n)]]) - base
                self.check("memory per blocked small door call / pipe client's, beyond a thread (N=%d)" % n,
                           "%d / %d B" % (d, p), "<= 1/4", p > 0 and d <= p / 4)

    def header(self):
        run = self.runs["patched"]
        uname = (read(os.path.join(run.path, "uname")) or "?").strip()
        cmdline = (read(os.path.join(run.path, "cmdline")) or "?").strip()
        meminfo = (read(os.path.join(run.path, "meminfo")) or "").split()
        perf = (read(os.path.join(run.path, "perf-version")) or "?").strip().splitlines()[-1]
        self.emit("## %s, %s clock" % (self.target, self.clock))
        self.emit()
        if self.icount:
            self.emit("Clock: qemu `-icount shift=0,sleep=off` (TCG, one host thread): the "
                      "guest's clock advances 1 ns per instruction either vCPU executes, and "
                      "jumps to the next timer deadline when both are idle; so every time below "
                      "is a count, independent of the host's load: instructions plus the idle "
                      "jumps (\"MB/s\": MB per 10^9 such ns).  Boots still differ where the "
                      "guest's own execution does (where the scheduler puts a process, when a "
                      "host I/O completes): exact for a pinned round trip, 1-2 % between "
                      "repetitions of a brd stream, two modes for a pipe.  It does not see "
                      "what a TLB refill or a cache miss costs (the invalidation counts do).")
        else:
            self.emit("Clock: emulated wall clock (qemu TCG): boots of the same kernel differ "
                      "by up to 2x; only verdicts across boots mean anything.")
        self.emit()
        self.emit("Guest: patched kernel `%s`; kernel command line `%s`; memory %s; %s "
                  "(Debian's)." % (uname, cmdline, " ".join(meminfo), perf))
        self.emit()
        # what ran, boot by boot, from each boot's provenance file
        self.emit("| boot | kernel | series | config | bzImage | guest image | qemu |")
        self.emit("| --- | --- | --- | --- | --- | --- | --- |")
        flags, images, per_kind = set(), set(), {}
        boots = [(kind, p) for kind in KINDS for p in self.runs[kind].paths] + \
            [("patched", p) for p in self.kunit_run.paths]
        for kind, path in boots:
            prov = {}
            for line in (read(os.path.join(path, "provenance")) or "").splitlines():
                key, _, value = line.partition(": ")
                prov[key] = value
            self.emit("| %s | %s | %s | %s | %s | %s | %s |" % (
                os.path.basename(path), prov.get("kernel-release", "?"),
                prov.get("series", "?"), prov.get("config-sha256", "?"),
                prov.get("bzimage-sha256", "?"), prov.get("image-sha256", "?"),
                prov.get("qemu-version", "?")))
            per_kind.setdefault(kind, set()).add((prov.get("config-sha256"),
                                                  prov.get("bzimage-sha256")))
            images.add(prov.get("image-sha256"))
            if "qemu-flags" in prov:
                # the flags but the kernel, the plan and its KUnit option
                f = re.sub(r"-kernel \S+", "-kernel KERNEL", prov["qemu-flags"])
                f = re.sub(r" (kunit\.\S+|sfdoor_plan=\S+)", "", f)
                flags.add(f)
        self.emit()
        checked = []
        if len(flags) == 1:
            checked.append("every boot ran with the same qemu flags (`%s`, the kernel and "
                           "the KUnit/plan options aside)" % flags.pop())
        elif flags:
            checked.append("the boots ran with DIFFERENT qemu flags: %s" %
                           "; ".join("`%s`" % f for f in sorted(flags)))
        if len(images) == 1 and None not in images:
            checked.append("every boot used one guest image (sha256 %s)" % images.pop())
        elif len(images) > 1:
            checked.append("the boots used DIFFERENT guest images")
        for kind in KINDS:
            k = per_kind.get(kind, set())
            if len(k) == 1 and None not in next(iter(k)):
                checked.append("every %s boot ran the same kernel and configuration" % kind)
            elif len(k) > 1:
                checked.append("the %s boots ran DIFFERENT kernels or configurations" % kind)
        if checked:
            self.emit("Checked from the raw data: " + "; ".join(checked) + ".")
            self.emit()
        said = []
        diff = [d for d in self.info.get("config-diff", []) if d[:1] in "<>"]
        if diff:
            opts = sorted({re.sub(r"^[<>] (# )?(CONFIG_\w+).*", r"\2", d) for d in diff})
            said.append("the two kernels' configurations differ in %d option(s): %s" % (
                len(opts), ", ".join(opts)))
        elif self.info.get("config-diff") == ["none"]:
            said.append("the two kernels' configurations are identical")
        for key, what in (("boot-order", "boot order"), ("rounds", "ROUNDS"),
                          ("reps", "REPS"), ("pse", "PSE"), ("tooling", "tooling commit")):
            if key in self.info:
                said.append("%s %s" % (what, self.info[key][0].strip()))
        if said:
            self.emit("As make bench recorded it (bench.txt): " + "; ".join(said) + ".")
            self.emit()

    def report_timing(self):
        """What the run cost in host seconds, per workload, from each
        boot's timing file (scripts/bench-vm.sh; runs before it had none):
        from a workload's first progress marker to the next workload's."""
        boots = {}
        for kind in KINDS:
            for path in self.runs[kind].paths + (self.kunit_run.paths if kind == "patched" else []):
                text = read(os.path.join(path, "timing"))
                if not text:
                    continue
                marks = []
                for line in text.splitlines():
                    t, _, what = line.partition(" ")
                    if t.isdigit() and what:
                        marks.append((int(t), what.split()[0]))
                per = {}
                for (t, name), (t_next, _) in zip(marks, marks[1:]):
                    per[name] = per.get(name, 0) + t_next - t
                per[None] = marks[-1][0] if marks else 0
                boots.setdefault(kind, []).append((os.path.basename(path), per))
        if not boots:
            return
        self.emit("### Where the run's time went (host seconds)")
        self.emit()
        self.emit("Per boot: from qemu's start to the guest's last marker.  "
                  "Per workload: the median over the boots of a kernel that ran it.")
        self.emit()
        self.emit("| boot | seconds |")
        self.emit("| --- | --- |")
        for kind in KINDS:
            for name, per in boots.get(kind, []):
                self.emit("| %s | %d |" % (name, per[None]))
        self.emit()
        names = sorted({n for kind in boots for _, per in boots[kind] for n in per if n})

        def cost(kind, name):
            v = [per[name] for _, per in boots.get(kind, []) if name in per]
            return med(v) if v else None

        rows = sorted(names, key=lambda n: -max(cost(k, n) or 0 for k in KINDS))
        self.emit("| workload | unpatched | patched |")
        self.emit("| --- | --- | --- |")
        for name in rows:
            self.emit("| %s | %s | %s |" % (name, *("-" if cost(k, name) is None
                                                   else "%.0f" % cost(k, name) for k in KINDS)))
        self.emit()

    def goals(self):
        self.emit("### Goals of the benchmark issue")
        self.emit()
        self.emit("| goal | measured | target | |")
        self.emit("| --- | --- | --- | --- |")
        for what, value, goal, verdict in self.checks:
            self.emit("| %s | %s | %s | %s |" % (what, value, goal, verdict))
        self.emit()

    def report(self):
        self.header()
        self.report_map()
        self.report_kunit()
        self.report_ipc()
        self.report_round_trips()
        self.report_tput()
        self.report_handoff()
        self.report_profile()
        self.report_libdoor()
        self.report_mem()
        self.report_timing()
        self.goals()
        return "\n".join(self.lines)


def gnuplot(plots, name, script):
    with open(os.path.join(plots, name + ".gp"), "w") as f:
        f.write(script)
    r = subprocess.run(["gnuplot", name + ".gp"], cwd=plots,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode:
        die("gnuplot %s/%s.gp failed:\n%s" % (plots, name, r.stdout))


def plots(top, t):
    d = os.path.join(top, "plots")
    os.makedirs(d, exist_ok=True)
    tg = t.target
    # (a) door latency against size, with the other mechanisms
    sizes = [0, 64, 128, 129, 1024, 4096, 65536, 1048576]
    labels = ["0", "64", "128", "129", "1K", "4K", "64K", "1M"]
    for pin in ("unpinned", "pinned"):
        with open(os.path.join(d, "%s-latency-%s.dat" % (tg, pin)), "w") as f:
            f.write("# size door pipe unix eventfd futex (p50 us, patched kernel)\n")
            for i, s in enumerate(sizes):
                row = []
                for mech in ("door", "pipe", "unix", "eventfd", "futex"):
                    v = t.lat_data.get((mech, s, pin))
                    row.append("%.2f" % med(v[0][0]) if v and v[0] else "NaN")
                f.write("%d \"%s\" %s\n" % (i, labels[i], " ".join(row)))
    full = all(t.lat_data.get((m, 0, pin)) and t.lat_data[(m, 0, pin)][0]
               for m in ("door", "pipe", "unix", "eventfd", "futex")
               for pin in ("unpinned", "pinned"))
    if full:
        latency_plot(d, tg)
    workload_plots(d, t)


def latency_plot(d, tg):
    gnuplot(d, "%s-latency" % tg, """set terminal pngcairo size 1100,500
set output '%(t)s-latency.png'
set multiplot layout 1,2 title '%(t)s: round trip p50 between two processes (patched kernel, qemu TCG)' noenhanced
set logscale y
set ylabel 'us'
set xlabel 'bytes each way'
set key top left
set grid
set pointsize 1.2
do for [pin in "unpinned pinned"] {
  set title pin
  plot sprintf('%(t)s-latency-%%s.dat', pin) using 1:3:xtic(2) with linespoints title 'door', \\
       '' using 1:4 with linespoints title 'pipe', \\
       '' using 1:5 with linespoints title 'unix socket', \\
       '' using 1:6 with points pt 7 title 'eventfd', \\
       '' using 1:7 with points pt 5 title 'futex'
}
unset multiplot
""" % {"t": tg})


def workload_plots(d, t):
    tg = t.target
    rows = getattr(t, "map_table", [])
    if not rows:
        return
    with open(os.path.join(d, "%s-workloads.dat" % tg), "w") as f:
        f.write("# workload ipis/MB-unpatched ipis/MB-patched tlb-shootdowns/MB-unpatched "
                "tlb-shootdowns/MB-patched ratio kernel-invalidations/MB-unpatched "
                "kernel-invalidations/MB-patched\n")
        for w, per in rows:
            u, p = per["unpatched"], per["patched"]
            f.write("%s %.3f %.3f %.3f %.3f %.3f %s %s\n" % (
                w, u["ipi"] / u["mb"], p["ipi"] / p["mb"], u["irq_tlb"] / u["mb"],
                p["irq_tlb"] / p["mb"], per["ratio"],
                "NaN" if u["inval"] is None else "%.3f" % u["inval"],
                "NaN" if p["inval"] is None else "%.3f" % p["inval"]))
    gnuplot(d, "%s-ipis" % tg, """set terminal pngcairo size 1100,500
set output '%(t)s-ipis.png'
set title '%(t)s: kernel TLB invalidations (kprobes), IPIs sent (perf stat -a) and TLB shootdowns received (/proc/interrupts) per MB' noenhanced
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xtics rotate by -30
set logscale y
set yrange [0.01:*]
set ylabel 'events per MB (log)'
set grid ytics
plot '%(t)s-workloads.dat' using ($7+0.01):xtic(1) title 'kernel invalidations unpatched', \\
     '' using ($8+0.01) title 'kernel invalidations patched', \\
     '' using ($2+0.01) title 'IPIs unpatched', \\
     '' using ($3+0.01) title 'IPIs patched', \\
     '' using ($4+0.01) title 'TLB shootdowns unpatched', \\
     '' using ($5+0.01) title 'TLB shootdowns patched'
""" % {"t": tg})
    gnuplot(d, "%s-throughput" % tg, """set terminal pngcairo size 1100,500
set output '%(t)s-throughput.png'
set title '%(t)s: throughput patched / unpatched (median of the repetitions)' noenhanced
set style data histograms
set style fill solid 0.8 border -1
set xtics rotate by -30
set yrange [0:*]
set ylabel 'ratio'
set grid ytics
plot '%(t)s-workloads.dat' using 6:xtic(1) notitle, 1 with lines lw 2 title 'same as unpatched'
""" % {"t": tg})


def main():
    args = sys.argv[1:]
    no_plots = bool(args) and args[0] == "--no-plots"
    if no_plots:
        args = args[1:]
    if len(args) < 2:
        die("usage: scripts/bench-report.py [--no-plots] DIR TARGET...")
    top = args[0]
    info = read_info(os.path.join(top, "bench.txt"), None)
    clock = info.get("clock", ["wall"])[0]
    results = ["# make bench results, %s clock" % clock, "",
               "## Results", "",
               "Patched against unpatched (ratio: patched/unpatched of the medians; "
               "above 1 is more throughput, or a longer round trip), and doors against "
               "the other round trips of the same boots.  Verdict: %s." % VERDICT_RULE, "",
               "| target | what | ratio | verdict |", "| --- | --- | --- | --- |"]
    details = []
    for target in args[1:]:
        t = Target(top, target)
        text = t.report()
        with open(os.path.join(top, "%s.md" % target), "w") as f:
            f.write(text + "\n")
        if not no_plots:
            plots(top, t)
        for what, r, v in t.results:
            results.append("| %s | %s | %s | %s |" % (target, what, r, v))
        details.append(text)
        made = sorted(f for f in os.listdir(os.path.join(top, "plots"))
                      if f.startswith(target + "-") and f.endswith(".png")) \
            if os.path.isdir(os.path.join(top, "plots")) else []
        details.append("Plots: " + (", ".join("plots/" + f for f in made) or "none"))
        details.append("")
    results.append("")
    with open(os.path.join(top, "summary.md"), "w") as f:
        f.write("\n".join(results + details) + "\n")


if __name__ == "__main__":
    main()
