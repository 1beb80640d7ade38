// SPDX-License-Identifier: GPL-2.0
/*
 * Doors: the caller's side.  door_call() takes the arguments into the
 * call (or pins their pages), hands the call over, waits, and copies the
 * results out; signals arriving meanwhile withdraw a call no server has
 * taken, and end a served one only when they must.
 *
 * Locking: the call's state changes under the pool's lock, and is read
 * under it but for DONE, which the caller may see without it; the call
 * lives on this stack frame until the caller sees it DONE.
 */
#include <linux/cgroup.h>
#include <linux/file.h>
#include <linux/freezer.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/rt.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/uio.h>

#include "door.h"

/* How often a caller waiting through a pending signal looks at it again */
#define DOOR_SIGNAL_POLL	(HZ / 50)

/* What door_signals() found pending */
#define DOOR_SIG_CANCEL	0x1	/* ends even a call being served */
#define DOOR_SIG_STOP	0x2	/* a stop, not yet begun */
#define DOOR_SIG_TRACED	0x4	/* for the tracer to decide on */

/*
 * The signals pending for the caller: whether one ends a call that a
 * server has taken (a fatal one, or one whose handler does not ask for
 * system calls to restart; stops, ignored signals, restarting handlers,
 * the freezer and task work leave it running), and whether one will stop
 * the caller.  A traced caller's default-action signals go to its tracer
 * first, which may suppress them: they make it leave a queued call, never
 * give up a served one.
 */
static unsigned int door_signals(void)
{
	/* the task's own: only it changes it (exec) */
	struct sighand_struct *sighand =
		rcu_dereference_protected(current->sighand, true);
	unsigned int found = 0;
	struct k_sigaction *ka;
	sigset_t pending;
	int sig;

	if (fatal_signal_pending(current))
		return DOOR_SIG_CANCEL;
	spin_lock_irq(&sighand->siglock);
	sigorsets(&pending, &current->pending.signal,
		  &current->signal->shared_pending.signal);
	sigandnsets(&pending, &pending, &current->blocked);
	for (sig = 1; sig <= _NSIG; sig++) {
		if (!sigismember(&pending, sig))
			continue;
		ka = &sighand->action[sig - 1];
		if (ka->sa.sa_handler == SIG_IGN)
			continue;
		if (ka->sa.sa_handler != SIG_DFL) {
			if (!(ka->sa.sa_flags & SA_RESTART))
				found |= DOOR_SIG_CANCEL;
		} else if (current->ptrace) {
			found |= DOOR_SIG_TRACED;
		} else if (sig_kernel_stop(sig)) {
			found |= DOOR_SIG_STOP;
		} else if (!sig_kernel_ignore(sig)) {
			found |= DOOR_SIG_CANCEL;
		}
	}
	spin_unlock_irq(&sighand->siglock);
	return found;
}

/*
 * Whether a caller whose call no server has taken yet must leave the
 * system call, to be restarted: to give up, to stop or be traced, to be
 * frozen, or to run task work.  A restarting handler alone waits for the
 * call, so that a caller with a busy timer keeps its place in the queue.
 */
static bool door_must_leave(unsigned int sigs)
{
	return sigs || freezing(current) ||
	       (READ_ONCE(current->jobctl) &
		(JOBCTL_PENDING_MASK | JOBCTL_TRAP_FREEZE)) ||
	       test_thread_flag(TIF_NOTIFY_SIGNAL);
}

/*
 * Whether a caller whose call is being served gives it up: for a signal
 * that cancels it, or when it is due to stop and could not otherwise: its
 * server thread is stopped (both stopped by one Ctrl-Z) or in its own
 * process (whose group stop it would hold up).  Under the lock.
 */
static bool door_must_abandon(struct door_call *call, unsigned int sigs)
{
	struct task_struct *server;

	lockdep_assert_held(&call->door->pool->lock);
	if (sigs & DOOR_SIG_CANCEL)
		return true;
	if (!(sigs & DOOR_SIG_STOP) &&
	    !(READ_ONCE(current->jobctl) & JOBCTL_STOP_PENDING))
		return false;
	server = call->server->task;
	return same_thread_group(server, current) ||
	       task_is_stopped_or_traced(server);
}

/*
 * Wait for a call while a signal that does not end it is pending: an
 * interruptible sleep would end at once, so sleep killable (freezable,
 * out of the load average, and frozen for the cgroup freezer, as a task
 * waiting for a vfork child is), and look at the signals again now and
 * then.
 */
static void door_wait_through_signal(struct door_call *call)
{
	if (READ_ONCE(current->jobctl) & JOBCTL_TRAP_FREEZE)
		cgroup_enter_frozen();
	set_current_state(TASK_KILLABLE | TASK_NOLOAD | TASK_FREEZABLE);
	if (READ_ONCE(call->state) != DOOR_CALL_DONE)
		schedule_timeout(DOOR_SIGNAL_POLL);
	__set_current_state(TASK_RUNNING);
	/* still frozen while the cgroup is: the next poll stays so */
	if (cgroup_task_frozen(current))
		cgroup_leave_frozen(false);
}

/*
 * The caller leaves a call its server has taken; under the lock, which
 * this may drop.  The server's results will find no call and be dropped;
 * a server in the middle of a batch of the caller's pages ends it first.
 */
static void door_abandon(struct door_call *call)
	__must_hold(&call->door->pool->lock)
{
	struct door_pool *pool = call->door->pool;

	lockdep_assert_held(&pool->lock);
	WRITE_ONCE(call->server->call, NULL);
	call->server = NULL;
	while (call->copying) {
		spin_unlock(&pool->lock);
		/* a batch of page copies with no fault: not long */
		for (;;) {
			set_current_state(TASK_UNINTERRUPTIBLE);
			if (!READ_ONCE(call->copying))
				break;
			schedule();
		}
		__set_current_state(TASK_RUNNING);
		spin_lock(&pool->lock);
	}
	WRITE_ONCE(call->state, DOOR_CALL_DONE);
}

/*
 * Sleep until the call is done or a signal is pending; freezable.  Whoever
 * ends the call wakes the caller's task (door_wake_caller()).
 */
static void door_call_sleep(struct door_call *call)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE | TASK_FREEZABLE);
		if (READ_ONCE(call->state) == DOOR_CALL_DONE ||
		    signal_pending(current))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}

/* Queue the call, or hand it to an idle thread; then wait for the end. */
static int door_call_wait(struct door_call *call)
{
	struct door_pool *pool = call->door->pool;
	struct task_struct *server;
	unsigned int sigs;
	int ret;

	spin_lock(&pool->lock);
	if (call->door->revoked || pool->dead) {
		spin_unlock(&pool->lock);
		return -EBADF;
	}
	server = door_dispatch(pool, call);
	spin_unlock(&pool->lock);
	if (server) {
		wake_up_process_on_current_cpu(server);
		put_task_struct(server);
		/*
		 * If the wake-up asked for the server to run now, let it while
		 * the caller is still runnable (without preemption, only this
		 * does; with it, the wake-up preempted the caller already): a
		 * call that ends before the caller is picked again finds it
		 * awake and needs no wake-up, as a futex ping-pong's waker
		 * preempted on its way out of the kernel needs none.  A longer
		 * call's caller runs again at the server's next preemption and
		 * sleeps below; meanwhile it counts as runnable (load average,
		 * CPU pressure).  Real-time callers sleep at once, so as not to
		 * be pushed to other CPUs while they wait.
		 */
		if (!rt_or_dl_task(current))
			cond_resched();
	}

	for (;;) {
		if (signal_pending(current))
			door_wait_through_signal(call);
		else
			door_call_sleep(call);
		/*
		 * Done: nobody touches the call any more, and what its end put
		 * in it is visible (pairs with door_finish()'s release).
		 */
		if (smp_load_acquire(&call->state) == DOOR_CALL_DONE) {
			ret = call->error;
			goto done;
		}
		sigs = signal_pending(current) ? door_signals() : 0;

		spin_lock(&pool->lock);
		switch (call->state) {
		case DOOR_CALL_QUEUED:
			if (!door_must_leave(sigs))
				break;
			list_del_init(&call->node);
			WRITE_ONCE(call->state, DOOR_CALL_DONE);
			ret = -ERESTARTSYS;
			goto out;
		case DOOR_CALL_HANDED:
			if (!door_must_leave(sigs))
				break;
			/* the thread has not woken yet: it serves another call */
			door_hand_over_or_idle(pool, call->server);
			call->server = NULL;
			WRITE_ONCE(call->state, DOOR_CALL_DONE);
			ret = -ERESTARTSYS;
			goto out;
		case DOOR_CALL_ACTIVE:
			if (!door_must_abandon(call, sigs))
				break;
			door_abandon(call);
			ret = -EINTR;
			goto out;
		default:
			ret = call->error;
			goto out;
		}
		spin_unlock(&pool->lock);
	}
out:
	spin_unlock(&pool->lock);
done:
	/*
	 * Counted as frozen while it waited, it is about to touch its own
	 * memory (the results): not frozen any more; the freezer's trap
	 * freezes it for real on its way out.
	 */
	if (cgroup_task_frozen(current))
		cgroup_leave_frozen(true);
	return ret;
}

/*
 * Pin the pages of large arguments, in the caller's context: faults on
 * them are the caller's, as are protection-key checks.  The call may
 * queue for long, so the pin is a long-term one (pages are moved out of
 * movable zones first); it is let go as soon as the server has copied
 * the data.
 */
static int door_pin_args(struct door_call *call, u64 ptr, u64 size)
{
	unsigned long addr = ptr, off = offset_in_page(addr);
	unsigned int nr = DIV_ROUND_UP(off + size, PAGE_SIZE), done = 0;
	struct page **pages;
	int ret;

	pages = kvmalloc_array(nr, sizeof(*pages),
			       GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL);
	if (!pages)
		return -ENOMEM;
	while (done < nr) {
		ret = pin_user_pages_fast(addr - off + done * PAGE_SIZE,
					  nr - done, FOLL_LONGTERM,
					  pages + done);
		if (ret <= 0) {
			unpin_user_pages(pages, done);
			kvfree(pages);
			return ret ? ret : -EFAULT;
		}
		done += ret;
	}
	call->pages = pages;
	call->nr_pages = nr;
	call->offset = off;
	return 0;
}

/*
 * Put the results into the caller's memory: into rbuf if they fit with
 * their descriptors, else into a new mapping the caller owns (EOVERFLOW
 * if none can be made).  The caller copies them itself; no server ever
 * writes here.
 */
static int door_deliver_results(struct door_call *call, struct door_arg *arg)
{
	unsigned int nr = door_xfer_count(call->res_xfer);
	u64 size = call->buf.size, need = size;
	unsigned long addr = 0, len = 0;
	struct iov_iter iter;
	int ret;

	if (nr)
		need = door_desc_offset(size) + nr * sizeof(struct door_desc);
	if (need > arg->rsize) {
		len = PAGE_ALIGN(need);
		addr = vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, 0);
		if (IS_ERR_VALUE(addr))
			return -EOVERFLOW;
		arg->rbuf = addr;
		arg->rsize = len;
	}
	ret = door_import(ITER_DEST, arg->rbuf, size, &iter);
	if (!ret)
		ret = door_buf_drain(&call->buf, &iter);
	arg->desc_ptr = 0;
	if (!ret && nr) {
		arg->desc_ptr = arg->rbuf + door_desc_offset(size);
		ret = door_xfer_prepare(call->res_xfer, arg->desc_ptr);
	}
	if (ret) {
		if (len)
			vm_munmap(addr, len);
		return ret;
	}
	arg->data_ptr = arg->rbuf;
	arg->data_size = size;
	arg->desc_num = nr;
	return 0;
}

SYSCALL_DEFINE3(door_call, int, fd, struct door_arg __user *, uarg,
		unsigned int, flags)
{
	struct door_call call;
	struct door_arg arg;
	struct iov_iter iter;
	struct door *door;
	u64 rbuf;
	int ret;

	if (flags)
		return -EINVAL;
	CLASS(fd, f)(fd);
	door = door_get(fd_file(f));
	if (!door)
		return -EBADF;
	ret = security_door_call(door->cred);
	if (ret)
		return ret;
	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.reserved)
		return -EINVAL;
	/* the door's limits, then the system's (Solaris' numbers) */
	if (arg.data_size > DOOR_DATA_LIMIT)
		return -E2BIG;
	if (arg.data_size > READ_ONCE(door->data_max) ||
	    arg.data_size < READ_ONCE(door->data_min))
		return -ENOBUFS;
	if (arg.desc_num && (door->attr & DOOR_REFUSE_DESC))
		return -EOPNOTSUPP;	/* ENOTSUP in user space */
	if (arg.desc_num > READ_ONCE(door->desc_max))
		return -ENFILE;
	if (arg.desc_num > DOOR_DESC_LIMIT)
		return -E2BIG;

	ret = door_import(ITER_SOURCE, arg.data_ptr, arg.data_size, &iter);
	if (ret)
		return ret;
	INIT_LIST_HEAD(&call.node);
	call.door = door;
	call.caller = current;
	call.server = NULL;
	call.state = DOOR_CALL_NEW;
	call.error = 0;
	call.copying = false;
	call.desc_passed = false;
	call.data_size = arg.data_size;
	call.pages = NULL;
	call.res_xfer = NULL;
	door_buf_init(&call.buf);
	call.args_xfer = door_xfer_take(arg.desc_ptr, arg.desc_num);
	if (IS_ERR(call.args_xfer))
		return PTR_ERR(call.args_xfer);

	/* large arguments stay where they are until the server copies them */
	if (arg.data_size <= DOOR_EXT_CACHE_MAX)
		ret = door_buf_fill(&call.buf, &iter, arg.data_size, NULL);
	else
		ret = door_pin_args(&call, arg.data_ptr, arg.data_size);
	if (ret)
		goto out;

	ret = door_call_wait(&call);
	/* the server has the descriptors, whatever became of the call */
	if (call.desc_passed)
		door_xfer_release(call.args_xfer);
	if (ret)
		goto out;

	rbuf = arg.rbuf;
	ret = door_deliver_results(&call, &arg);
	if (ret)
		goto out;
	if (copy_to_user(uarg, &arg, sizeof(arg))) {
		/* descriptors and a mapping nobody would know of */
		door_xfer_abort(call.res_xfer);
		if (arg.rbuf != rbuf)
			vm_munmap(arg.rbuf, arg.rsize);
		ret = -EFAULT;
		goto out;
	}
	door_xfer_commit(call.res_xfer);
out:
	if (call.pages) {
		unpin_user_pages(call.pages, call.nr_pages);
		kvfree(call.pages);
	}
	door_xfer_put(call.args_xfer);
	door_xfer_put(call.res_xfer);
	door_buf_release(&call.buf);
	/*
	 * Another thread may have closed the caller's descriptor during the
	 * call: then the reference fdget() took is the one that goes last.
	 */
	if (f.word & FDPUT_FPUT)
		door_unref_recheck(door);
	return ret;
}
