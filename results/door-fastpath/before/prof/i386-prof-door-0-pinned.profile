# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 1K of event 'cpu-clock'
# Event count (approx.): 542000000
#
# Overhead  Symbol                         
# ........  ...............................
#
    50.18%  [k] default_idle
    18.36%  [k] finish_task_switch.isra.0
     9.59%  [k] __wake_up_on_current_cpu
     3.60%  [.] __kernel_vsyscall
     2.21%  [k] prepare_to_wait_event
     2.12%  [k] __do_sys_door_return
     1.94%  [k] __do_fast_syscall_32
     1.20%  [k] syscall_exit_to_user_mode
     1.01%  [k] __copy_user_ll
     1.01%  [k] __do_sys_door_call
     1.01%  [k] finish_wait
     0.46%  [.] __x86.get_pc_thunk.si
     0.46%  [.] round_trip
     0.37%  [k] _copy_to_user
     0.37%  [k] ia32_sys_call
     0.37%  [k] import_ubuf
     0.28%  [.] .L253
     0.28%  [.] __clock_gettime
     0.28%  [.] cmp_u64
     0.28%  [k] door_buf_drain
     0.28%  [k] door_thread_pool
     0.28%  [.] memcpy
     0.28%  [.] msort_with_tmp.part.0
     0.18%  [.] __clock_gettime64
     0.18%  [.] __vdso_clock_gettime64
     0.18%  [k] _copy_to_iter
     0.18%  [k] door_buf_fill
     0.18%  [k] door_thread_get
     0.18%  [k] door_xfer_count
     0.18%  [k] fdget


#
# (Tip: To browse sample contexts use perf report --sample 10 and select in context menu)
#
