# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 1K of event 'cpu-clock'
# Event count (approx.): 560000000
#
# Overhead  Symbol                         
# ........  ...............................
#
    50.09%  [k] default_idle
    22.41%  [k] finish_task_switch.isra.0
     7.32%  [k] try_to_wake_up
     4.91%  [.] __kernel_vsyscall
     2.32%  [k] __do_fast_syscall_32
     2.32%  [k] syscall_exit_to_user_mode
     0.98%  [k] __do_sys_door_call
     0.80%  [k] __do_sys_door_return
     0.80%  [k] _copy_to_iter
     0.71%  [k] __copy_user_ll
     0.54%  [.] __x86.get_pc_thunk.bx
     0.54%  [k] door_buf_fill
     0.45%  [.] __clock_gettime
     0.45%  [.] __vdso_clock_gettime64
     0.45%  [k] door_assign_or_queue
     0.36%  [k] __rseq_handle_notify_resume
     0.27%  [.] cmp_u64
     0.27%  [k] door_dispatch
     0.27%  [k] exc_page_fault
     0.27%  [k] import_ubuf
     0.27%  [.] msort_with_tmp.part.0
     0.27%  [.] round_trip
     0.27%  [.] syscall
     0.18%  [k] _copy_to_user
     0.18%  [k] clear_user
     0.18%  [.] memcpy


#
# (Tip: Order by the overhead of source file name and line number: perf report -s srcline)
#
