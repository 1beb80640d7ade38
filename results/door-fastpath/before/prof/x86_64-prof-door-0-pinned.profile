# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 1K of event 'cpu-clock'
# Event count (approx.): 601500000
#
# Overhead  Symbol                           
# ........  .................................
#
    50.04%  [k] default_idle
    18.04%  [k] finish_task_switch.isra.0
     7.40%  [k] __do_sys_door_return
     7.32%  [k] __do_sys_door_call
     3.24%  [.] syscall
     2.16%  [k] do_syscall_64
     2.08%  [k] prepare_to_wait_event
     1.16%  [k] syscall_exit_to_user_mode
     0.67%  [k] rep_movs_alternative
     0.50%  [k] __rseq_handle_notify_resume
     0.42%  [k] __memcpy
     0.42%  [k] _copy_to_user
     0.42%  [k] door_dispatch
     0.42%  [k] import_ubuf
     0.33%  [.] __vdso_clock_gettime
     0.33%  [k] _copy_from_iter
     0.33%  [k] door_xfer_count
     0.33%  [k] fdget
     0.33%  [.] main
     0.25%  [k] _copy_to_iter
     0.25%  [k] _raw_spin_lock_irqsave
     0.25%  [k] door_buf_drain
     0.25%  [k] door_buf_fill
     0.25%  [k] door_xfer_take
     0.25%  [.] msort_with_tmp.part.0
     0.17%  [k] __handle_mm_fault
     0.17%  [k] __init_waitqueue_head
     0.17%  [k] __put_user_8
     0.17%  [.] cmp_u64
     0.17%  [.] round_trip


#
# (Tip: For tracepoint events, try: perf report -s trace_fields)
#
