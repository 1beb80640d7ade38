# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 1K of event 'cpu-clock'
# Event count (approx.): 707000000
#
# Overhead  Symbol                            
# ........  ..................................
#
    54.46%  [k] default_idle
    21.29%  [k] finish_task_switch.isra.0
     5.09%  [k] try_to_wake_up
     3.54%  [.] syscall
     1.63%  [k] __do_sys_door_call
     1.49%  [k] __do_sys_door_return
     0.99%  [k] rep_movs_alternative
     0.71%  [k] __rseq_handle_notify_resume
     0.64%  [k] do_syscall_64
     0.57%  [k] syscall_exit_to_user_mode
     0.50%  [k] _copy_to_user
     0.50%  [k] door_xfer_count
     0.50%  [.] round_trip
     0.42%  [.] __vdso_clock_gettime
     0.42%  [k] _raw_spin_lock
     0.35%  [k] door_xfer_take
     0.35%  [k] x64_sys_call
     0.28%  [.] __clock_gettime
     0.28%  [k] _copy_from_iter
     0.28%  [k] _copy_from_user
     0.28%  [k] _copy_to_iter
     0.28%  [k] import_ubuf
     0.28%  [.] lat_main
     0.28%  [.] msort_with_tmp.part.0
     0.28%  [k] schedule
     0.21%  [k] __cond_resched
     0.21%  [k] __get_user_8
     0.21%  [k] door_assign_or_queue
     0.21%  [.] door_echo
     0.21%  [k] door_thread_pool
     0.21%  [k] fdget
     0.14%  [k] __put_user_8
     0.14%  [k] __schedule
     0.14%  [.] cmp_u64
     0.14%  [k] door_buf_drain
     0.14%  [k] door_buf_move
     0.14%  [k] door_buf_release
     0.14%  [k] exc_page_fault
     0.14%  [k] wake_up_process_on_current_cpu


#
# (Tip: To record callchains for each sample: perf record -g)
#
