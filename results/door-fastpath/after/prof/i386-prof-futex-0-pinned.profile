# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 1K of event 'cpu-clock'
# Event count (approx.): 560000000
#
# Overhead  Symbol                           
# ........  .................................
#
    50.09%  [k] default_idle
    20.71%  [k] finish_task_switch.isra.0
     5.98%  [k] try_to_wake_up
     5.54%  [.] __kernel_vsyscall
     5.36%  [k] gup_fast_fallback
     3.57%  [k] __do_fast_syscall_32
     1.25%  [k] syscall_exit_to_user_mode
     0.62%  [k] __futex_wait
     0.45%  [.] __vdso_clock_gettime64
     0.36%  [k] ia32_sys_call
     0.36%  [.] msort_with_tmp.part.0
     0.36%  [k] plist_add
     0.27%  [k] __copy_user_ll
     0.27%  [k] __rseq_handle_notify_resume
     0.27%  [.] cmp_u64
     0.27%  [k] futex_wake
     0.27%  [k] plist_del
     0.18%  [.] .L238
     0.18%  [k] __ia32_sys_futex_time32
     0.18%  [k] do_futex
     0.18%  [k] futex_wake_mark
     0.18%  [k] get_user_pages_fast
     0.18%  [.] round_trip
     0.18%  [.] syscall


#
# (Tip: Profiling branch (mis)predictions with: perf record -b / perf report)
#
