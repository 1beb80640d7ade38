# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 1K of event 'cpu-clock'
# Event count (approx.): 721000000
#
# Overhead  Symbol                            
# ........  ..................................
#
    55.55%  [k] default_idle
    18.86%  [k] finish_task_switch.isra.0
     4.99%  [k] try_to_wake_up
     2.91%  [.] __kernel_vsyscall
     2.15%  [k] __do_fast_syscall_32
     1.87%  [k] __do_sys_door_call
     1.80%  [k] __do_sys_door_return
     0.97%  [k] syscall_exit_to_user_mode
     0.83%  [k] __copy_user_ll
     0.69%  [k] __rseq_handle_notify_resume
     0.55%  [k] _copy_from_iter
     0.49%  [.] msort_with_tmp.part.0
     0.42%  [.] door_echo
     0.42%  [k] door_unref_next
     0.35%  [k] _copy_from_user
     0.35%  [k] _copy_to_user
     0.35%  [k] import_ubuf
     0.35%  [.] syscall
     0.28%  [.] __x86.get_pc_thunk.si
     0.28%  [k] _copy_to_iter
     0.28%  [k] _raw_spin_lock
     0.28%  [k] door_assign_or_queue
     0.28%  [k] ia32_sys_call
     0.21%  [.] .L235
     0.21%  [.] __clock_gettime64
     0.21%  [k] __get_user_4
     0.21%  [k] __ia32_sys_door_call
     0.21%  [.] cmp_u64
     0.21%  [k] door_buf_drain
     0.21%  [.] round_trip
     0.21%  [k] wake_up_process_on_current_cpu
     0.14%  [.] __clock_gettime
     0.14%  [k] __cond_resched
     0.14%  [k] __ia32_sys_door_return
     0.14%  [.] __vdso_clock_gettime64
     0.14%  [k] clear_user
     0.14%  [k] door_buf_fill
     0.14%  [k] door_buf_release
     0.14%  [k] door_xfer_put
     0.14%  [k] door_xfer_release


#
# (Tip: To see callchains in a more compact form: perf report -g folded)
#
