# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 3K of event 'cpu-clock'
# Event count (approx.): 1588000000
#
# Overhead  Symbol                           
# ........  .................................
#
    76.86%  [k] default_idle
     6.68%  [k] finish_task_switch.isra.0
     4.22%  [k] __wake_up_sync_key
     0.85%  [k] pipe_read
     0.76%  [.] __kernel_vsyscall
     0.69%  [k] __do_fast_syscall_32
     0.54%  [k] prepare_to_wait_event
     0.47%  [k] syscall_exit_to_user_mode
     0.41%  [k] do_idle
     0.41%  [k] sf_buf_cache_alloc
     0.38%  [k] __rseq_handle_notify_resume
     0.31%  [k] atime_needs_update
     0.31%  [k] sf_buf_cache_free
     0.31%  [k] sf_buf_copy_page.part.0
     0.25%  [k] migrate_enable
     0.25%  [k] sf_buf_copy_page_from_iter
     0.25%  [k] sf_buf_copy_page_to_iter
     0.25%  [k] vfs_write
     0.22%  [k] __copy_user_ll
     0.22%  [k] default_idle_call
     0.22%  [k] fdget_pos
     0.19%  [.] cmp_u64
     0.19%  [k] flush_smp_call_function_queue
     0.19%  [.] msort_with_tmp.part.0
     0.19%  [k] mutex_unlock
     0.19%  [k] vfs_read
     0.16%  [k] _copy_to_iter
     0.16%  [k] kill_fasync
     0.16%  [k] ktime_get_coarse_real_ts64
     0.16%  [k] mutex_lock
     0.16%  [k] pipe_write
     0.13%  [.] .L235
     0.13%  [.] __clock_gettime64
     0.13%  [.] __libc_write
     0.13%  [k] __schedule
     0.13%  [k] __sf_buf_alloc
     0.13%  [.] __vdso_clock_gettime64
     0.13%  [.] __x86.get_pc_thunk.si
     0.13%  [k] _raw_spin_lock_irqsave
     0.13%  [k] finish_wait
     0.13%  [k] ksys_read
     0.13%  [k] schedule


#
# (Tip: If you prefer Intel style assembly, try: perf annotate -M intel)
#
