# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 1K of event 'cpu-clock'
# Event count (approx.): 580000000
#
# Overhead  Symbol                         
# ........  ...............................
#
    49.83%  [k] default_idle
    17.33%  [k] finish_task_switch.isra.0
     5.95%  [k] gup_fast_fallback
     5.78%  [.] __kernel_vsyscall
     5.60%  [k] try_to_wake_up
     3.53%  [k] __do_fast_syscall_32
     1.47%  [k] syscall_exit_to_user_mode
     0.60%  [.] .L253
     0.60%  [.] msort_with_tmp.part.0
     0.52%  [k] futex_wake
     0.52%  [k] get_user_pages_fast
     0.43%  [.] __clock_gettime
     0.43%  [.] __clock_gettime64
     0.34%  [k] __futex_queue
     0.34%  [k] __ia32_sys_futex_time32
     0.34%  [k] __rseq_handle_notify_resume
     0.34%  [.] __x86.get_pc_thunk.bp
     0.34%  [k] futex_get_value_locked
     0.26%  [.] .L255
     0.26%  [.] __vdso_clock_gettime64
     0.26%  [k] _raw_spin_lock
     0.26%  [k] futex_wait_queue
     0.26%  [.] syscall
     0.26%  [k] wake_up_q
     0.17%  [k] __copy_user_ll
     0.17%  [k] clear_user
     0.17%  [.] cmp_u64
     0.17%  [k] do_futex
     0.17%  [k] ia32_sys_call
     0.17%  [.] round_trip


#
# (Tip: Treat branches as callchains: perf report --branch-history)
#
