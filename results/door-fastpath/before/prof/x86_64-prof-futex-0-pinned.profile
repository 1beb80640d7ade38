# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 1K of event 'cpu-clock'
# Event count (approx.): 541000000
#
# Overhead  Symbol                           
# ........  .................................
#
    49.82%  [k] default_idle
    24.77%  [k] finish_task_switch.isra.0
     4.81%  [k] gup_fast_fallback
     4.25%  [k] try_to_wake_up
     3.97%  [.] syscall
     1.39%  [k] __rseq_handle_notify_resume
     1.39%  [k] syscall_exit_to_user_mode
     1.20%  [k] do_syscall_64
     1.20%  [.] main
     0.83%  [k] futex_wake
     0.83%  [.] round_trip
     0.46%  [k] get_user_pages_fast
     0.37%  [.] __vdso_clock_gettime
     0.28%  [k] __futex_queue
     0.28%  [k] __put_user_8
     0.28%  [k] do_futex
     0.28%  [k] futex_wait_queue
     0.28%  [k] is_valid_gup_args
     0.28%  [.] msort_with_tmp.part.0
     0.18%  [k] __x64_sys_futex
     0.18%  [k] futex_wait_setup
     0.18%  [k] get_futex_key


#
# (Tip: Save output of perf stat using: perf stat record <target workload>)
#
