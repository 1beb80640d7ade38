// SPDX-License-Identifier: GPL-2.0
/*
 * Doors: the caller's side.  door_call() takes the arguments into the
 * thread's call (or pins their pages), hands the call over, waits, and
 * copies the results out; with a signal pending it leaves, and the call
 * goes on without it until it comes back (away.c).
 *
 * Locking: the call's state changes under the pool's lock, and is read
 * under it but for DONE, which the caller may see without it; once the
 * caller has seen its call DONE, nobody else touches it.
 */
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/freezer.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/sched/rt.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/uio.h>
#include <linux/user_namespace.h>

#include "door.h"

/* door_call_wait(): the caller leaves, the call goes on (away.c) */
#define DOOR_CALL_AWAY	1

/*
 * Sleep until the call is done or a signal is pending; freezable.  Whoever
 * ends the call wakes the caller's task while it waits (door_finish()).
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

/*
 * Hand the call over (@dispatch: a new one: queue it, or hand it to an
 * idle thread), then wait for its end.  Returns its error, or
 * DOOR_CALL_AWAY when a signal is pending: the caller leaves the system
 * call and the call goes on without it, so that the caller stops, is
 * traced, frozen or runs a handler as promptly as in any other sleeping
 * system call.
 */
static int door_call_wait(struct door_call *call, bool dispatch)
{
	struct door_pool *pool = call->door->pool;
	struct task_struct *server = NULL;
	bool away;

	spin_lock(&pool->lock);
	if (dispatch) {
		if (call->door->revoked || pool->dead) {
			spin_unlock(&pool->lock);
			return -EBADF;
		}
		/* active until over, for the unreferenced notification */
		call->door->active++;
		server = door_dispatch(pool, call);
	}
	call->waiting = true;
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

	door_call_sleep(call);
	/*
	 * Done: nobody touches the call any more, and what its end put in it
	 * is visible (pairs with door_finish()'s release).
	 */
	if (smp_load_acquire(&call->state) == DOOR_CALL_DONE)
		return call->error;
	spin_lock(&pool->lock);
	away = call->state != DOOR_CALL_DONE;
	call->waiting = !away;
	spin_unlock(&pool->lock);
	return away ? DOOR_CALL_AWAY : call->error;
}

/*
 * Charge @nr pages to be pinned long-term to the caller's RLIMIT_MEMLOCK,
 * in mm->pinned_vm as RDMA and io_uring charge theirs, so that N threads
 * cannot pin N times the largest call.  False if they do not fit.
 */
static bool door_charge_pins(struct door_call *call, unsigned int nr)
{
	struct mm_struct *mm = current->mm;
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	s64 cur = atomic64_read(&mm->pinned_vm);

	/* over the limit the data is copied: no refusal to audit */
	do {
		if (cur + nr > limit &&
		    !ns_capable_noaudit(&init_user_ns, CAP_IPC_LOCK))
			return false;
	} while (!atomic64_try_cmpxchg(&mm->pinned_vm, &cur, cur + nr));
	mmgrab(mm);
	call->pin_mm = mm;
	call->nr_charged = nr;
	return true;
}

/**
 * door_uncharge_pins - what door_charge_pins() charged goes
 * @mm:		the caller's mm, grabbed, or NULL
 * @nr:		pages charged
 */
void door_uncharge_pins(struct mm_struct *mm, unsigned int nr)
{
	if (!mm)
		return;
	atomic64_sub(nr, &mm->pinned_vm);
	mmdrop(mm);
}

/*
 * Pin the pages of large arguments, in the caller's context: faults on
 * them are the caller's, as are protection-key checks.  The call may
 * queue for long, so the pin is a long-term one (pages are moved out of
 * movable zones first), charged to the caller's RLIMIT_MEMLOCK until the
 * call ends; the pages are let go as soon as the server has copied the
 * data.  Returns 1 if they would exceed the limit, or cannot be pinned
 * (pages of a DAX file or a VM_PFNMAP mapping, no memory to move them
 * out of a movable zone): the caller copies the arguments into the
 * kernel then.
 */
static int door_pin_args(struct door_call *call, u64 ptr, u64 size)
{
	unsigned long addr = ptr, off = offset_in_page(addr);
	unsigned int nr = DIV_ROUND_UP(off + size, PAGE_SIZE), done = 0;
	struct page **pages;
	int ret;

	if (!door_charge_pins(call, nr))
		return 1;
	pages = kvmalloc_array(nr, sizeof(*pages),
			       GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL);
	if (!pages) {
		ret = -ENOMEM;
		goto uncharge;
	}
	while (done < nr) {
		ret = pin_user_pages_fast(addr - off + done * PAGE_SIZE,
					  nr - done, FOLL_LONGTERM,
					  pages + done);
		if (ret <= 0) {
			unpin_user_pages(pages, done);
			kvfree(pages);
			/*
			 * Copied instead, which says EFAULT for memory that is
			 * not there, and reads what pins cannot (VM_PFNMAP)
			 */
			ret = ret == -EINTR ? ret : 1;
			goto uncharge;
		}
		done += ret;
	}
	call->pages = pages;
	call->nr_pages = nr;
	call->offset = off;
	return 0;
uncharge:
	door_uncharge_pins(call->pin_mm, call->nr_charged);
	call->pin_mm = NULL;
	return ret;
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

/**
 * door_call_end - the call is over: let go of what it held
 * @call:	the current thread's call, DONE
 *
 * Unpins the arguments' pages, drops descriptors nobody installed, the
 * data buffer and the door; the call is ready for the thread's next one.
 */
void door_call_end(struct door_call *call)
{
	if (call->pages) {
		unpin_user_pages(call->pages, call->nr_pages);
		kvfree(call->pages);
		call->pages = NULL;
	}
	door_uncharge_pins(call->pin_mm, call->nr_charged);
	call->pin_mm = NULL;
	door_xfer_put(call->args_xfer);
	call->args_xfer = NULL;
	door_xfer_put(call->res_xfer);
	call->res_xfer = NULL;
	door_buf_release(&call->buf);
	call->state = DOOR_CALL_NEW;
	if (call->door_held) {
		/* its descriptor may have gone while the caller was away */
		door_unref_recheck(call->door, 0);
		door_put(call->door);
		call->door_held = false;
	}
}

/*
 * The call ended (@ret its error): give the caller its results, then
 * end it.  The caller copies them itself; no server writes here.
 */
static long door_call_finish(struct door_call *call,
			     struct door_arg __user *uarg,
			     struct door_arg *arg, int ret)
{
	u64 rbuf = arg->rbuf;

	/* none wanted, none sent: nothing is written back */
	if (call->no_results)
		goto end;
	if (!ret)
		ret = door_deliver_results(call, arg);
	if (!ret && copy_to_user(uarg, arg, sizeof(*arg))) {
		/* descriptors and a mapping nobody would know of */
		door_xfer_abort(call->res_xfer);
		if (arg->rbuf != rbuf)
			vm_munmap(arg->rbuf, arg->rsize);
		ret = -EFAULT;
	}
	if (!ret)
		door_xfer_commit(call->res_xfer);
end:
	/* door_call(3C): whatever the error, unless it is EFAULT or EBADF */
	if (call->args_xfer && ret != -EFAULT && ret != -EBADF)
		door_xfer_release(call->args_xfer);
	door_call_end(call);
	return ret;
}

/*
 * The caller comes back to its call, which it left (away.c).  Checked
 * when the call was made (the security module's verdict included), the
 * arguments are not looked at again; only where the results go.
 */
static long door_call_resume(struct door_call *call, int fd,
			     struct door_arg __user *uarg, unsigned int flags)
{
	struct door_arg arg = {};
	int ret;

	call->away = false;
	ret = door_call_wait(call, false);
	if (ret == DOOR_CALL_AWAY)
		return door_call_leave(call, fd, (unsigned long)uarg, flags);
	/* where the results go is read again: a handler may have moved it */
	if (!ret && !call->no_results && copy_from_user(&arg, uarg, sizeof(arg)))
		ret = -EFAULT;
	return door_call_finish(call, uarg, &arg, ret);
}

/*
 * The checks made before a call, the door's limits, then the system's
 * (Solaris' numbers).  A refused call's DOOR_RELEASE descriptors are
 * closed, as door_call(3C) says for every error but EFAULT and EBADF.
 */
static int door_call_check(struct door *door, const struct door_arg *arg)
{
	int ret = 0;

	if (arg->reserved)
		ret = -EINVAL;
	else if (arg->data_size > DOOR_DATA_LIMIT)
		ret = -E2BIG;
	else if (arg->data_size > READ_ONCE(door->data_max) ||
		 arg->data_size < READ_ONCE(door->data_min))
		ret = -ENOBUFS;
	else if (arg->desc_num && (door->attr & DOOR_REFUSE_DESC))
		ret = -EOPNOTSUPP;	/* ENOTSUP in user space */
	else if (arg->desc_num > READ_ONCE(door->desc_max))
		ret = -ENFILE;
	else if (arg->desc_num > DOOR_DESC_LIMIT)
		ret = -E2BIG;
	if (ret)
		door_release_refused(arg->desc_ptr, arg->desc_num);
	return ret;
}

SYSCALL_DEFINE3(door_call, int, fd, struct door_arg __user *, uarg,
		unsigned int, flags)
{
	struct door_call *call = current->door_call;
	unsigned long site = (unsigned long)uarg;
	struct door_arg arg;
	struct iov_iter iter;
	struct door *door;
	int ret;

	/* made again after a stop or a handler (away.c) */
	if (call) {
		bool ended = door_call_ended_away(call, fd, site, flags);

		if (call->away && door_call_came_back(call, fd, site, flags))
			return door_call_resume(call, fd, uarg, flags);
		if (ended)
			return -EINTR;
	}
	if (flags)
		return -EINVAL;
	CLASS(fd, f)(fd);
	door = door_get(fd_file(f));
	if (!door)
		return -EBADF;
	ret = security_door_call(door->cred);
	if (ret)
		return ret;
	/* NULL: no arguments, and no results wanted (Solaris) */
	if (!uarg)
		memset(&arg, 0, sizeof(arg));
	else if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	ret = door_call_check(door, &arg);
	if (ret)
		return ret;

	ret = door_import(ITER_SOURCE, arg.data_ptr, arg.data_size, &iter);
	if (ret)
		return ret;
	/*
	 * Another call: the one this thread left, if any, will not be made
	 * again (a longjmp() out of a handler, a handler's own call, changed
	 * registers) and ends.
	 */
	if (call && call->away) {
		door_call_drop_nested(call);
		/* killed while it waited for the old one's server */
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	call = door_call_get_current();
	if (!call)
		return -ENOMEM;
	call->door = door;
	call->server = NULL;
	call->error = 0;
	call->copying = false;
	call->no_results = !uarg;
	call->data_size = arg.data_size;
	call->args_xfer = door_xfer_take(arg.desc_ptr, arg.desc_num);
	if (IS_ERR(call->args_xfer)) {
		ret = PTR_ERR(call->args_xfer);
		call->args_xfer = NULL;
		if (ret != -EFAULT && ret != -EBADF)
			door_release_refused(arg.desc_ptr, arg.desc_num);
		return ret;
	}

	/*
	 * Large arguments stay where they are until the server copies them,
	 * within the caller's RLIMIT_MEMLOCK; beyond, they are copied in.
	 */
	ret = 1;
	if (arg.data_size > DOOR_EXT_CACHE_MAX)
		ret = door_pin_args(call, arg.data_ptr, arg.data_size);
	if (ret > 0)
		ret = door_buf_fill(&call->buf, &iter, arg.data_size, NULL,
				    NULL);
	if (!ret)
		ret = door_call_wait(call, true);
	if (ret == DOOR_CALL_AWAY)
		ret = door_call_leave(call, fd, site, flags);
	else
		ret = door_call_finish(call, uarg, &arg, ret);
	/*
	 * Another thread may have closed the caller's descriptor during the
	 * call: then the reference fdget() took is the one that goes last.
	 */
	if (f.word & FDPUT_FPUT)
		door_unref_recheck(door, 1);
	return ret;
}
