# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 1K of event 'cpu-clock'
# Event count (approx.): 631000000
#
# Overhead  Symbol                           
# ........  .................................
#
    50.00%  [k] default_idle
    23.38%  [k] finish_task_switch.isra.0
     5.07%  [k] gup_fast_fallback
     4.83%  [.] syscall
     4.60%  [k] try_to_wake_up
     1.58%  [k] do_syscall_64
     1.51%  [.] round_trip
     1.35%  [k] syscall_exit_to_user_mode
     0.87%  [k] __rseq_handle_notify_resume
     0.71%  [k] futex_wake
     0.55%  [.] __vdso_clock_gettime
     0.48%  [.] lat_main
     0.40%  [k] get_futex_key
     0.40%  [k] is_valid_gup_args
     0.32%  [k] schedule
     0.24%  [.] __clock_gettime
     0.24%  [k] do_futex
     0.24%  [k] futex_unqueue
     0.24%  [k] futex_wake_mark
     0.16%  [.] cmp_u64
     0.16%  [k] get_user_pages_fast
     0.16%  [k] x64_sys_call


#
# (Tip: Limit to show entries above 5% only: perf report --percent-limit 5)
#
