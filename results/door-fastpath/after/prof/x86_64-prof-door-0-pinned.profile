# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 1K of event 'cpu-clock'
# Event count (approx.): 641000000
#
# Overhead  Symbol                            
# ........  ..................................
#
    49.84%  [k] default_idle
    24.18%  [k] finish_task_switch.isra.0
     6.79%  [k] try_to_wake_up
     4.45%  [.] syscall
     1.56%  [k] do_syscall_64
     1.48%  [k] __do_sys_door_call
     1.40%  [k] __do_sys_door_return
     1.40%  [k] rep_movs_alternative
     1.40%  [k] syscall_exit_to_user_mode
     0.55%  [.] lat_main
     0.47%  [.] __vdso_clock_gettime
     0.47%  [k] _copy_from_iter
     0.39%  [k] _raw_spin_lock
     0.39%  [k] door_xfer_take
     0.39%  [.] msort_with_tmp.part.0
     0.31%  [k] __rseq_handle_notify_resume
     0.31%  [k] door_xfer_count
     0.23%  [k] door_dispatch
     0.23%  [k] schedule
     0.16%  [.] __clock_gettime
     0.16%  [k] __memcpy
     0.16%  [k] _copy_to_iter
     0.16%  [k] _raw_spin_lock_irqsave
     0.16%  [k] door_buf_fill
     0.16%  [k] door_buf_move
     0.16%  [k] fdget
     0.16%  [k] import_ubuf
     0.16%  [k] wake_up_process_on_current_cpu


#
# (Tip: Add -I to perf record to sample register values, which will be visible in perf report sample context.)
#
