# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 1K of event 'cpu-clock'
# Event count (approx.): 589500000
#
# Overhead  Symbol                         
# ........  ...............................
#
    55.13%  [k] default_idle
    16.03%  [k] finish_task_switch.isra.0
     8.74%  [k] __wake_up_on_current_cpu
     2.97%  [.] __kernel_vsyscall
     1.95%  [k] __do_sys_door_return
     1.87%  [k] prepare_to_wait_event
     1.36%  [k] __do_sys_door_call
     1.27%  [k] __do_fast_syscall_32
     0.93%  [k] __copy_user_ll
     0.76%  [.] syscall
     0.68%  [k] __rseq_handle_notify_resume
     0.42%  [k] _copy_from_user
     0.42%  [k] _raw_spin_lock
     0.42%  [.] msort_with_tmp.part.0
     0.34%  [k] _copy_to_user
     0.34%  [k] finish_wait
     0.34%  [k] ia32_sys_call
     0.34%  [k] import_ubuf
     0.34%  [k] syscall_exit_to_user_mode
     0.25%  [.] .L253
     0.25%  [.] __clock_gettime64
     0.25%  [k] _raw_spin_lock_irqsave
     0.25%  [.] cmp_u64
     0.17%  [.] __clock_gettime
     0.17%  [.] __vdso_clock_gettime64
     0.17%  [k] door_buf_release
     0.17%  [k] door_complete
     0.17%  [k] door_thread_pool
     0.17%  [k] door_xfer_count
     0.17%  [k] init_wait_entry
     0.17%  [.] memcpy
     0.17%  [.] round_trip


#
# (Tip: Show current config key-value pairs: perf config --list)
#
