# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 2K of event 'cpu-clock'
# Event count (approx.): 1305000000
#
# Overhead  Symbol                           
# ........  .................................
#
    79.20%  [k] default_idle
     5.02%  [k] finish_task_switch.isra.0
     4.71%  [k] __wake_up_sync_key
     0.84%  [k] __do_fast_syscall_32
     0.73%  [k] pipe_read
     0.65%  [.] __kernel_vsyscall
     0.65%  [k] pipe_write
     0.61%  [k] do_idle
     0.61%  [k] prepare_to_wait_event
     0.61%  [k] sf_buf_copy_page.part.0
     0.46%  [k] syscall_exit_to_user_mode
     0.34%  [k] sf_buf_copy_page_to_iter
     0.31%  [k] vfs_write
     0.23%  [k] sf_buf_cache_alloc
     0.19%  [k] __schedule
     0.19%  [k] __sf_buf_alloc
     0.19%  [k] _copy_from_user
     0.19%  [k] atime_needs_update
     0.19%  [k] default_idle_call
     0.15%  [k] __sf_buf_free
     0.15%  [.] cmp_u64
     0.15%  [k] migrate_enable
     0.15%  [k] sf_buf_copy_page_from_iter
     0.11%  [k] __copy_user_ll
     0.11%  [.] __libc_read
     0.11%  [.] __x86.get_pc_thunk.si
     0.11%  [k] anon_pipe_buf_release
     0.11%  [k] current_time
     0.11%  [k] fdget_pos
     0.11%  [k] finish_wait
     0.11%  [k] ktime_get_coarse_real_ts64
     0.11%  [.] msort_with_tmp.part.0
     0.11%  [k] mutex_lock
     0.11%  [.] round_trip
     0.11%  [k] sf_buf_copy_range_ok
     0.11%  [k] touch_atime
     0.11%  [k] vfs_read


#
# (Tip: Customize output of perf script with: perf script -F event,ip,sym)
#
