// SPDX-License-Identifier: GPL-2.0
/*
 * Doors: the server thread's side.  door_return() sends the results of
 * the call a thread served, waits for the next call, and receives its
 * data: from the call's buffer, or for large arguments from the caller's
 * pinned pages, copied with the thread's page faults disabled.
 *
 * Locking: a thread's link to its call (thr->call) changes under the
 * pool's lock; the thread owns its buffer and reads the caller's pages
 * only while call->copying, set and cleared under that lock, says so.
 */
#include <linux/cred.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pagemap.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sfbuf.h>
#include <linux/syscalls.h>
#include <linux/task_work.h>
#include <linux/uio.h>

#include "door.h"

/* Pages of large arguments a server copies between two looks at the call */
#define DOOR_COPY_BATCH		16

/* door_receive(): the caller left while its arguments were being copied */
#define DOOR_CALLER_LEFT	1
/* door_receive(): the call could not be received, and has failed */
#define DOOR_CALL_REFUSED	2

/*
 * The memory cgroup of the call's caller, referenced, for results it is
 * to own: looked up only when they need an extension, so that a call
 * with small results pays nothing for it.  Under the lock, while the
 * caller waits for the call.
 */
static struct mem_cgroup *door_caller_memcg(struct door_call *call)
{
#ifdef CONFIG_MEMCG
	struct mem_cgroup *memcg;

	lockdep_assert_held(&call->door->pool->lock);
	rcu_read_lock();
	memcg = mem_cgroup_from_task(call->caller);
	if (memcg && !mem_cgroup_tryget(memcg))
		memcg = NULL;
	rcu_read_unlock();
	return memcg;
#else
	return NULL;
#endif
}

/*
 * Give the results to the call being served, if its caller still waits.
 * Fails only for the server's own bad pointer, or for results a caller
 * that wanted none would get (E2BIG), and then the call stays served, so
 * that a door_return() with good ones can still end it.
 */
static int door_send_results(struct door_thread *thr,
			     const struct door_return_args *args)
{
	struct door_pool *pool = thr->pool;
	struct mem_cgroup *memcg = NULL;
	struct task_struct *caller;
	struct door_call *call;
	struct door_xfer *xfer;
	struct iov_iter iter;
	bool here = false;
	u64 room = 0;
	int ret;

	/*
	 * Serving nothing: the thread's first door_return(), or one that
	 * restarts after its results went.  Its results, descriptors
	 * included, are not looked at again.
	 */
	if (!thr->serving)
		return 0;
	ret = door_import(ITER_SOURCE, args->result_ptr, args->result_size,
			  &iter);
	if (ret)
		return ret;
	/* a page vector is sized on the server's word: its ends first */
	if (args->result_size > DOOR_EXT_CACHE_MAX &&
	    (fault_in_readable(u64_to_user_ptr(args->result_ptr), 1) ||
	     fault_in_readable(u64_to_user_ptr(args->result_ptr +
					       args->result_size - 1), 1)))
		return -EFAULT;
	xfer = door_xfer_take(args->result_desc_ptr, args->result_desc_num);
	if (IS_ERR(xfer))
		return PTR_ERR(xfer);
	if (thr->unref_door) {
		/* a notification's results go nowhere, as they should */
		door_unref_done(thr);
		door_xfer_release(xfer);
		door_xfer_put(xfer);
		thr->serving = false;
		return 0;
	}
	if (!READ_ONCE(thr->call))
		goto discarded;
	/* door_call(fd, NULL): results have nowhere to go, as on Solaris */
	if (thr->no_results && (args->result_size || xfer)) {
		door_xfer_put(xfer);
		return -E2BIG;
	}

	/* a new extension is the caller's memory: charge it there */
	if (args->result_size > door_buf_room(&thr->buf)) {
		spin_lock(&pool->lock);
		call = thr->call;
		if (call) {
			memcg = door_caller_memcg(call);
			/* the most results it could map */
			room = min_t(u64, task_rlimit(call->caller, RLIMIT_AS),
				     call->task_size);
		}
		spin_unlock(&pool->lock);
		if (!call)
			goto discarded;
		if (args->result_size > room) {
			/* more than the caller could map: not worth buffering */
			mem_cgroup_put(memcg);
			door_fail_call(thr, -EOVERFLOW);
			goto discarded;
		}
	}
	ret = door_buf_fill(&thr->buf, &iter, args->result_size, memcg,
			    &thr->call);
	mem_cgroup_put(memcg);
	if (ret == -ENOMEM) {
		/* the caller's cgroup is full: its call fails, not the server */
		door_fail_call(thr, -ENOMEM);
		goto discarded;
	}
	if (ret == -ESRCH) {
		/* the caller left while the results were copied */
		door_buf_release(&thr->buf);
		goto discarded;
	}
	if (ret) {
		/* the call stays served: a good door_return() can end it */
		door_buf_release(&thr->buf);
		door_xfer_put(xfer);
		return ret;
	}
	/* delivered or not now, the server is done with DOOR_RELEASE ones */
	door_xfer_release(xfer);

	spin_lock(&pool->lock);
	call = thr->call;
	if (call) {
		door_buf_move(&call->buf, &thr->buf);
		call->res_xfer = xfer;
		xfer = NULL;
		caller = door_finish(call, 0);
		/* the CPU goes back to the caller unless work waits here */
		here = list_empty(&pool->queue) && list_empty(&pool->unref_list);
	}
	spin_unlock(&pool->lock);
	if (call)
		door_wake_caller(caller, here);
	door_buf_release(&thr->buf);
	if (!call) {
		door_xfer_put(xfer);
		door_thread_let_go(thr);
		thr->serving = false;
		thr->discarded = true;
		return 0;
	}
	thr->serving = false;
	return 0;

discarded:
	/* nobody to give the results to (Solaris: release them anyway) */
	door_xfer_release(xfer);
	door_xfer_put(xfer);
	door_thread_let_go(thr);
	thr->serving = false;
	thr->discarded = true;
	return 0;
}

/* Take the call's description and inline data or extension; under lock. */
static void door_take_call(struct door_thread *thr, struct door_call *call)
{
	struct door *door = call->door;

	lockdep_assert_held(&thr->pool->lock);
	WRITE_ONCE(call->state, DOOR_CALL_ACTIVE);
	thr->proc = door->proc;
	thr->cookie = door->cookie;
	thr->data_size = call->data_size;
	thr->no_results = call->no_results;
	/* large data stays in the caller's pages: a snapshot of their list */
	thr->pages = call->pages;
	if (thr->pages) {
		thr->nr_pages = call->nr_pages;
		thr->offset = call->offset;
	} else {
		door_buf_move(&thr->buf, &call->buf);
	}
	/* the caller keeps its own reference, for DOOR_RELEASE at its end */
	thr->xfer = door_xfer_get(call->args_xfer);
}

/*
 * Sleep until given work, the pool's end, or a signal (-ERESTARTSYS);
 * freezable.  Whoever gives the thread work takes it off the idle list,
 * then wakes its task.
 */
static int door_thread_sleep(struct door_thread *thr)
{
	int ret = 0;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE | TASK_FREEZABLE);
		if (list_empty_careful(&thr->node) || READ_ONCE(thr->pool->dead))
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return ret;
}

/*
 * Wait for a call; returns with one taken, and whether no thread is left.
 * A signal with no call taken restarts door_return(), whose results are
 * already sent; a fatal one gives a call handed to us to another thread.
 */
static int door_wait_call(struct door_thread *thr, bool *last)
{
	struct door_pool *pool = thr->pool;
	struct door_call *call;
	int ret = 0;

	door_buf_release(&thr->buf);
	/*
	 * Files this thread let go of (descriptors it released or nobody
	 * took) are only released on its way to user space, which may be
	 * far off: release them before sleeping, as io_uring does (the
	 * work that TIF_NOTIFY_SIGNAL asked for runs here, so it goes).
	 */
	if (task_work_pending(current)) {
		if (test_thread_flag(TIF_NOTIFY_SIGNAL))
			clear_notify_signal();
		__set_current_state(TASK_RUNNING);
		task_work_run();
	}
	spin_lock(&pool->lock);
	for (;;) {
		if (pool->dead) {
			list_del_init(&thr->node);
			if (thr->call)
				door_complete(thr->call, -EBADF);
			spin_unlock(&pool->lock);
			/* bound to a private door that is gone: EINVAL */
			return pool->process ? -EINVAL : -EBADF;
		}
		if (fatal_signal_pending(current)) {
			list_del_init(&thr->node);
			if (thr->call)
				door_hand_back(thr);
			spin_unlock(&pool->lock);
			return -EINTR;
		}
		call = thr->call;
		if (call)
			break;
		/* notifications first: a busy pool would starve them */
		if (door_unref_next(thr))
			break;
		call = door_next_queued(pool);
		if (call) {
			door_assign(thr, call);
			break;
		}
		if (ret) {
			spin_unlock(&pool->lock);
			return ret;
		}
		/* LIFO: the thread that ran last is the warmest */
		list_add(&thr->node, &pool->idle);
		spin_unlock(&pool->lock);
		ret = door_thread_sleep(thr);
		spin_lock(&pool->lock);
		/* handed a call, woken by a signal, or for a withdrawn call */
		list_del_init(&thr->node);
	}
	*last = list_empty(&pool->idle);
	if (call)
		door_take_call(thr, call);
	spin_unlock(&pool->lock);
	return 0;
}

/*
 * Copy up to @len bytes of the caller's pinned pages, from @pos on, into
 * the server's memory with page faults disabled: the caller may be waiting
 * for the batch to end.  Stops early when the caller leaves or the
 * server's memory is not there.  Touches the pages, not @call, which a
 * dying caller may give up meanwhile (thr->pages_owned).
 */
static size_t door_copy_batch(struct door_thread *thr, struct door_call *call,
			      size_t pos, size_t len, struct iov_iter *to)
{
	size_t done = 0, at, off, n, copied;
	struct sf_buf *sf;

	pagefault_disable();
	while (done < len && READ_ONCE(thr->call) == call) {
		at = thr->offset + pos + done;
		off = offset_in_page(at);
		n = min(len - done, PAGE_SIZE - off);
		sf = sf_buf_alloc(thr->pages[at / PAGE_SIZE], SFB_CPUPRIVATE);
		copied = copy_to_iter(sf_buf_kva(sf) + off, n, to);
		sf_buf_free(sf);
		done += copied;
		if (copied < n)
			break;
	}
	pagefault_enable();
	return done;
}

/*
 * Copy large arguments from the pages the caller pinned, mapped with
 * sf_buf, into the server's memory: one copy, no kernel buffer.  Faults
 * on the server's memory are taken between batches, with the caller's
 * pages let go.
 */
static int door_copy_from_caller(struct door_thread *thr, struct iov_iter *to)
{
	struct door_pool *pool = thr->pool;
	size_t pos = 0, len, done;
	struct door_call *call;
	bool left, all, owned;

	/* the server's own memory, faulted in before the caller's is read */
	if (fault_in_iov_iter_writeable(to, thr->data_size) == thr->data_size)
		return -EFAULT;
	while (pos < thr->data_size) {
		spin_lock(&pool->lock);
		call = thr->call;
		if (call)
			WRITE_ONCE(call->copying, true);
		spin_unlock(&pool->lock);
		if (!call)
			return DOOR_CALLER_LEFT;

		len = min_t(size_t, thr->data_size - pos,
			    DOOR_COPY_BATCH * PAGE_SIZE);
		done = door_copy_batch(thr, call, pos, len, to);
		/* all copied: the caller's pages need not wait for the answer */
		all = pos + done == thr->data_size;
		if (all)
			unpin_user_pages(thr->pages, thr->nr_pages);

		spin_lock(&pool->lock);
		left = thr->call != call;
		owned = left && thr->pages_owned;
		if (owned) {
			/* the caller died and went: the list is ours */
			thr->pages_owned = false;
		} else {
			if (all)
				call->nr_pages = 0;
			WRITE_ONCE(call->copying, false);
			/* a caller that gave up waits for the batch, killably */
			if (left)
				wake_up_process(call->caller);
		}
		spin_unlock(&pool->lock);
		if (owned) {
			if (!all)
				unpin_user_pages(thr->pages, thr->nr_pages);
			kvfree(thr->pages);
			door_uncharge_pins(thr->pin_mm, thr->nr_charged);
			thr->pin_mm = NULL;
		}
		if (left)
			return DOOR_CALLER_LEFT;

		pos += done;
		if (done < len &&
		    fault_in_iov_iter_writeable(to, len - done) == len - done)
			return -EFAULT;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

/*
 * Reserve the server's descriptors for the call's, after the data it
 * received; they are installed once door_return() has told the thread
 * (door_receive_commit()).  A table with no room (or a security module's
 * refusal) fails the call, not the server: DOOR_CALL_REFUSED.
 */
static int door_receive_desc(struct door_thread *thr, u64 uptr)
{
	int ret = door_xfer_prepare(thr->xfer, uptr);

	if (ret == -EFAULT || !ret)
		return ret;
	spin_lock(&thr->pool->lock);
	if (thr->call)
		door_complete(thr->call, ret);
	spin_unlock(&thr->pool->lock);
	return DOOR_CALL_REFUSED;
}

/* The thread knows of the call: its descriptors are its own now. */
static void door_receive_commit(struct door_thread *thr)
{
	if (!thr->xfer)
		return;
	door_xfer_commit(thr->xfer);
	door_xfer_put(thr->xfer);
	thr->xfer = NULL;
}

/* The thread could not be told of the call: back with its descriptors */
static void door_receive_abort(struct door_thread *thr)
{
	door_xfer_abort(thr->xfer);
	door_xfer_put(thr->xfer);
	thr->xfer = NULL;
}

/*
 * Put the call's data, then its descriptors, into the server thread's
 * memory: into rbuf if they fit, else into a new mapping.  Returns 0, an
 * error of the server's (its bad buffer, no memory, a fatal signal),
 * DOOR_CALLER_LEFT or DOOR_CALL_REFUSED.
 */
static int door_receive(struct door_thread *thr, struct door_return_args *args,
			unsigned long *map_len)
{
	unsigned int nr = door_xfer_count(thr->xfer);
	u64 need = thr->data_size, desc = 0;
	unsigned long addr = args->rbuf, len = 0;
	struct iov_iter iter;
	int ret;

	if (nr) {
		desc = door_desc_offset(thr->data_size);
		need = desc + nr * sizeof(struct door_desc);
	}
	if (need > args->rsize) {
		len = PAGE_ALIGN(need);
		addr = vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, 0);
		if (IS_ERR_VALUE(addr)) {
			ret = addr;
			goto out;
		}
		args->flags |= DOOR_RETURN_MAPPED;
	}
	ret = door_import(ITER_DEST, addr, thr->data_size, &iter);
	if (ret)
		goto unmap;

	if (thr->pages)
		ret = door_copy_from_caller(thr, &iter);
	else
		ret = door_buf_drain(&thr->buf, &iter);
	if (!ret && nr)
		ret = door_receive_desc(thr, addr + desc);
	if (ret)
		goto unmap;
	args->data_ptr = thr->unref_door ? DOOR_UNREF_DATA : addr;
	args->data_size = thr->data_size;
	args->desc_ptr = nr ? addr + desc : 0;
	args->desc_num = nr;
	args->proc = thr->proc;
	args->cookie = thr->cookie;
	*map_len = len;
	return 0;
unmap:
	if (len)
		vm_munmap(addr, len);
	args->flags &= ~DOOR_RETURN_MAPPED;
out:
	door_receive_abort(thr);
	return ret;
}

SYSCALL_DEFINE2(door_return, struct door_return_args __user *, uargs,
		unsigned int, flags)
{
	struct door_return_args args;
	unsigned long map_len = 0;
	struct door_thread *thr;
	struct door_pool *pool;
	bool last;
	int ret;

	if (flags)
		return -EINVAL;
	if (copy_from_user(&args, uargs, sizeof(args)))
		return -EFAULT;
	if (args.reserved)
		return -EINVAL;
	pool = door_thread_pool();
	if (!pool)
		return -EBADF;
	if (args.result_desc_num > DOOR_DESC_LIMIT)
		return -E2BIG;
	thr = door_thread_get(pool);
	if (IS_ERR(thr))
		return PTR_ERR(thr);

	ret = door_send_results(thr, &args);
	if (ret)
		return ret;
	/* it bound or unbound while it served: it moves now */
	if (thr->next_binding)
		thr = door_thread_move(thr);
	for (;;) {
		ret = door_wait_call(thr, &last);
		if (ret)
			return ret;
		args.flags = 0;
		ret = door_receive(thr, &args, &map_len);
		if (!ret)
			break;
		/*
		 * The caller's leaving, or a call the thread had no room for,
		 * is the caller's business: serve the next one, unless a
		 * signal is due (callers that keep leaving must not keep the
		 * thread from stopping or freezing).
		 */
		if (ret == DOOR_CALLER_LEFT || ret == DOOR_CALL_REFUSED) {
			/* a call given up while received is over for us */
			door_thread_let_go(thr);
			door_buf_release(&thr->buf);
			if (signal_pending(current))
				return -ERESTARTSYS;
			continue;
		}
		/*
		 * The server's own failure: its caller learns that the server
		 * could not take the call (EAGAIN) or died in it (EINTR); a
		 * notification it could not be given is over.
		 */
		door_fail_call(thr, ret == -EINTR ? -EINTR : -EAGAIN);
		door_thread_let_go(thr);
		if (thr->unref_door)
			door_unref_done(thr);
		return ret;
	}
	if (last)
		args.flags |= DOOR_RETURN_LAST;
	if (thr->discarded)
		args.flags |= DOOR_RETURN_DISCARDED;
	if (copy_to_user(uargs, &args, sizeof(args))) {
		door_receive_abort(thr);
		if (map_len)
			vm_munmap(args.data_ptr, map_len);
		door_fail_call(thr, -EAGAIN);
		door_thread_let_go(thr);
		if (thr->unref_door)
			door_unref_done(thr);
		return -EFAULT;
	}
	door_receive_commit(thr);
	thr->discarded = false;
	thr->serving = true;
	return 0;
}

SYSCALL_DEFINE1(door_ucred, struct door_ucred __user *, uucred)
{
	struct door_thread *thr = current->door_thread;
	struct user_namespace *ns = current_user_ns();
	struct door_ucred uc = {};
	const struct cred *cred;
	struct door_call *call;
	struct pid *pid;

	if (!thr)
		return -EINVAL;
	spin_lock(&thr->pool->lock);
	call = thr->call;
	if (call) {
		cred = get_task_cred(call->caller);
		pid = get_pid(task_tgid(call->caller));
	}
	spin_unlock(&thr->pool->lock);
	if (!call)
		return -EINVAL;

	uc.pid = door_pid_here(pid);
	uc.uid = from_kuid_munged(ns, cred->uid);
	uc.euid = from_kuid_munged(ns, cred->euid);
	uc.suid = from_kuid_munged(ns, cred->suid);
	uc.gid = from_kgid_munged(ns, cred->gid);
	uc.egid = from_kgid_munged(ns, cred->egid);
	uc.sgid = from_kgid_munged(ns, cred->sgid);
	put_pid(pid);
	put_cred(cred);
	if (copy_to_user(uucred, &uc, sizeof(uc)))
		return -EFAULT;
	return 0;
}

/*
 * The supplementary groups of the caller of the call being served, as
 * getgroups(2) gives a process its own: their number with @size 0, else
 * at most @size of them (EINVAL if there are more).
 */
SYSCALL_DEFINE2(door_ucred_groups, u32 __user *, ugroups, int, size)
{
	struct door_thread *thr = current->door_thread;
	struct user_namespace *ns = current_user_ns();
	const struct cred *cred = NULL;
	const struct group_info *gi;
	struct door_call *call;
	int i, ret;

	if (!thr || size < 0)
		return -EINVAL;
	spin_lock(&thr->pool->lock);
	call = thr->call;
	if (call)
		cred = get_task_cred(call->caller);
	spin_unlock(&thr->pool->lock);
	if (!call)
		return -EINVAL;

	gi = cred->group_info;
	ret = gi->ngroups;
	if (size && size < gi->ngroups)
		ret = -EINVAL;
	for (i = 0; size && ret > 0 && i < gi->ngroups; i++)
		if (put_user(from_kgid_munged(ns, gi->gid[i]), ugroups + i))
			ret = -EFAULT;
	put_cred(cred);
	return ret;
}
