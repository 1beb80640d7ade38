# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 2K of event 'cpu-clock'
# Event count (approx.): 1490000000
#
# Overhead  Symbol                           
# ........  .................................
#
    55.50%  [k] default_idle
    12.35%  [k] finish_task_switch.isra.0
    11.51%  [k] pipe_write
     6.24%  [k] prepare_to_wait_event
     1.48%  [.] __libc_read
     1.04%  [.] __libc_write
     0.87%  [k] do_syscall_64
     0.87%  [k] pipe_read
     0.74%  [k] copy_page_from_iter
     0.64%  [k] rep_movs_alternative
     0.57%  [k] copy_page_to_iter
     0.50%  [k] atime_needs_update
     0.47%  [k] syscall_exit_to_user_mode
     0.40%  [k] __rseq_handle_notify_resume
     0.40%  [.] read_exact
     0.30%  [k] _copy_from_iter
     0.30%  [k] current_time
     0.30%  [k] schedule
     0.27%  [k] _raw_spin_lock_irqsave
     0.27%  [k] ktime_get_coarse_real_ts64
     0.27%  [.] lat_main
     0.23%  [.] __clock_gettime
     0.23%  [k] fdget_pos
     0.23%  [k] make_vfsuid
     0.20%  [k] __schedule
     0.20%  [k] touch_atime
     0.20%  [k] vfs_read
     0.17%  [k] ksys_read
     0.13%  [k] __put_user_8
     0.13%  [k] __wake_up_sync_key
     0.13%  [k] file_update_time
     0.13%  [k] kill_fasync
     0.13%  [.] msort_with_tmp.part.0
     0.13%  [k] x64_sys_call
     0.10%  [.] __vdso_clock_gettime
     0.10%  [k] ksys_write
     0.10%  [.] round_trip
     0.10%  [k] sched_balance_rq
     0.10%  [k] timestamp_truncate
     0.10%  [k] vfs_write


#
# (Tip: Show individual samples with: perf script)
#
