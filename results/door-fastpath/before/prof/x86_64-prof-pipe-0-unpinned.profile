# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 2K of event 'cpu-clock'
# Event count (approx.): 1011000000
#
# Overhead  Symbol                                       
# ........  .............................................
#
    70.28%  [k] default_idle
    11.08%  [k] finish_task_switch.isra.0
     5.69%  [k] pipe_write
     0.99%  [.] __libc_read
     0.79%  [k] pipe_read
     0.69%  [.] __libc_write
     0.64%  [k] do_syscall_64
     0.59%  [k] prepare_to_wait_event
     0.45%  [k] rep_movs_alternative
     0.40%  [k] ktime_get_coarse_real_ts64
     0.40%  [k] syscall_exit_to_user_mode
     0.35%  [k] __rseq_handle_notify_resume
     0.35%  [k] atime_needs_update
     0.35%  [k] copy_page_from_iter
     0.35%  [k] copy_page_to_iter
     0.30%  [k] do_idle
     0.30%  [k] fdget_pos
     0.30%  [k] kill_fasync
     0.30%  [k] vfs_read
     0.30%  [k] x64_sys_call
     0.25%  [k] make_vfsuid
     0.25%  [.] read_exact
     0.25%  [.] round_trip
     0.20%  [.] __vdso_clock_gettime
     0.20%  [.] main
     0.20%  [k] make_vfsgid
     0.20%  [.] msort_with_tmp.part.0
     0.20%  [k] touch_atime
     0.20%  [k] vfs_write
     0.15%  [.] __clock_gettime
     0.15%  [k] __handle_mm_fault
     0.15%  [k] _copy_from_iter
     0.15%  [k] _copy_to_iter
     0.15%  [k] schedule


#
# (Tip: To separate samples by time use perf report --sort time,overhead,sym)
#
