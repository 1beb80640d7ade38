# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 1K of event 'cpu-clock'
# Event count (approx.): 766500000
#
# Overhead  Symbol                            
# ........  ..................................
#
    53.88%  [k] default_idle
    18.66%  [k] finish_task_switch.isra.0
     6.39%  [k] __do_sys_door_return
     6.26%  [k] __do_sys_door_call
     2.48%  [.] syscall
     1.50%  [k] prepare_to_wait_event
     1.04%  [k] rep_movs_alternative
     0.85%  [k] do_syscall_64
     0.46%  [k] __put_user_8
     0.46%  [.] round_trip
     0.46%  [k] x64_sys_call
     0.39%  [k] _raw_spin_lock
     0.39%  [k] door_dispatch
     0.39%  [k] door_xfer_count
     0.39%  [k] syscall_exit_to_user_mode
     0.33%  [k] __rseq_handle_notify_resume
     0.33%  [k] door_buf_drain
     0.33%  [.] msort_with_tmp.part.0
     0.26%  [k] __memcpy
     0.26%  [.] __vdso_clock_gettime
     0.26%  [k] _copy_from_iter
     0.26%  [k] _copy_to_iter
     0.26%  [k] door_buf_fill
     0.26%  [.] main
     0.26%  [k] schedule
     0.20%  [k] __init_waitqueue_head
     0.20%  [k] door_buf_move
     0.20%  [.] door_echo
     0.13%  [.] __clock_gettime
     0.13%  [k] __schedule
     0.13%  [k] _copy_to_user
     0.13%  [k] door_thread_get
     0.13%  [k] door_unref_next
     0.13%  [k] fdget
     0.13%  [k] finish_wait
     0.13%  [k] import_ubuf
     0.13%  [k] init_wait_entry


#
# (Tip: For hierarchical output, try: perf report --hierarchy)
#
