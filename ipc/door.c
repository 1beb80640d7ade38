// SPDX-License-Identifier: GPL-2.0
/*
 * Doors: synchronous calls into a server process, after Spring and Solaris.
 *
 * A door is an anonymous file naming a procedure and a cookie of the
 * process that created it.  That process's threads serve calls by waiting
 * in door_return(); together they form the process's pool (one per
 * process, in signal_struct), and any of them may be handed a call to any
 * door the process created.
 *
 * A call lives on the caller's kernel stack (struct door_call) for its
 * whole life.  If a server thread is idle, door_call() hands the call to it
 * and wakes it on the current CPU (WF_CURRENT_CPU, as seccomp's user
 * notifications do), so that the server runs where the caller is about to
 * sleep, with the caller's data still in the cache; otherwise the call
 * queues on the pool and the next thread to enter door_return() takes it.
 * The server's door_return() moves the results into the call and wakes the
 * caller the same way, then waits for the next call.
 *
 * Data moves as described in door_buf.c: through the call's inline buffer,
 * a per-CPU cached extension, or, for large arguments, straight from the
 * caller's pinned pages into the server's memory (mapped with sf_buf).
 *
 * Locking: pool->lock guards the pool's idle list and queue, the links
 * between a call and its server thread (call->server, thread->call),
 * call->state and call->error, and door->revoked and the door's limits.
 * Only the owner of a struct door_buf touches it without the lock; buffers
 * change hands under the lock.  The caller's stack frame may go away as
 * soon as it sees its call DONE under the lock, so nobody touches a call
 * after completing it.
 */
#include <linux/anon_inodes.h>
#include <linux/cred.h>
#include <linux/door.h>
#include <linux/file.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/sfbuf.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/uio.h>
#include <linux/wait.h>

#include "door.h"

/* Pages of the caller pinned at a time while copying large arguments */
#define DOOR_PIN_BATCH	16

struct door_pool {
	spinlock_t lock;		/* see "Locking" above */
	struct list_head idle;		/* door_threads in door_return() */
	struct list_head queue;		/* door_calls waiting for a thread */
	struct pid *tgid;		/* the server process */
	bool dead;			/* the process exited or exec()ed */
	refcount_t ref;			/* process, doors and threads */
};

struct door {
	struct door_pool *pool;
	unsigned long proc;
	unsigned long cookie;
	u64 id;
	unsigned int attr;
	bool revoked;
	u32 data_min;
	u32 data_max;
	u32 desc_max;
};

enum door_call_state {
	DOOR_CALL_NEW,
	DOOR_CALL_QUEUED,	/* on pool->queue */
	DOOR_CALL_HANDED,	/* given to call->server, which still sleeps */
	DOOR_CALL_ACTIVE,	/* call->server has taken it */
	DOOR_CALL_DONE,		/* results or error in place */
};

struct door_call {
	struct list_head node;
	struct door *door;
	struct task_struct *caller;
	struct door_thread *server;
	enum door_call_state state;
	int error;
	struct mm_struct *mm;		/* the caller's */
	u64 data_ptr;
	u64 data_size;
	u64 rsize;			/* room for results */
	wait_queue_head_t wait;
	struct door_buf buf;
};

struct door_thread {
	struct list_head node;		/* on pool->idle while waiting */
	struct door_pool *pool;
	struct door_call *call;		/* the call it serves, or NULL */
	wait_queue_head_t wait;
	/* the call being received, copied out under the lock */
	unsigned long proc;
	unsigned long cookie;
	u64 data_ptr;
	u64 data_size;
	struct mm_struct *caller_mm;	/* for large arguments */
	struct door_buf buf;
};

static atomic64_t door_next_id = ATOMIC64_INIT(0);
static const struct file_operations door_fops;

static void door_pool_put(struct door_pool *pool)
{
	if (refcount_dec_and_test(&pool->ref)) {
		put_pid(pool->tgid);
		kfree(pool);
	}
}

/* The pool of the current process, created with its first door */
static struct door_pool *door_pool_get_current(void)
{
	struct signal_struct *sig = current->signal;
	struct door_pool *pool, *old;

	pool = READ_ONCE(sig->door_pool);
	if (pool) {
		refcount_inc(&pool->ref);
		return pool;
	}
	pool = kzalloc(sizeof(*pool), GFP_KERNEL_ACCOUNT);
	if (!pool)
		return NULL;
	spin_lock_init(&pool->lock);
	INIT_LIST_HEAD(&pool->idle);
	INIT_LIST_HEAD(&pool->queue);
	pool->tgid = get_pid(task_tgid(current));
	refcount_set(&pool->ref, 2);	/* the process's and the caller's */
	old = cmpxchg(&sig->door_pool, NULL, pool);
	if (old) {
		put_pid(pool->tgid);
		kfree(pool);
		refcount_inc(&old->ref);
		pool = old;
	}
	return pool;
}

static struct door *door_get(struct file *file)
{
	if (!file || file->f_op != &door_fops)
		return NULL;
	return file->private_data;
}

/* The door of @file, if the calling process created it */
static struct door *door_get_owned(struct file *file)
{
	struct door *door = door_get(file);

	if (!door)
		return ERR_PTR(-EBADF);
	if (READ_ONCE(current->signal->door_pool) != door->pool)
		return ERR_PTR(-EPERM);
	return door;
}

/*
 * Finish a call; the caller may return as soon as the lock is dropped.
 * Results hand the CPU over to the caller; failures (revocation, a dying
 * server) may wake many callers and leave placement to the scheduler.
 */
static void door_complete(struct door_call *call, int error)
{
	lockdep_assert_held(&call->door->pool->lock);
	if (call->server)
		call->server->call = NULL;
	call->server = NULL;
	call->error = error;
	call->state = DOOR_CALL_DONE;
	if (error)
		wake_up_interruptible(&call->wait);
	else
		__wake_up_on_current_cpu(&call->wait, TASK_INTERRUPTIBLE, NULL);
}

/* Stop a pool: fail the calls waiting for a thread, turn new ones away. */
static void door_pool_kill(struct door_pool *pool)
{
	struct door_call *call, *next;
	struct door_thread *thr;

	spin_lock(&pool->lock);
	pool->dead = true;
	list_for_each_entry_safe(call, next, &pool->queue, node) {
		list_del_init(&call->node);
		door_complete(call, -EBADF);
	}
	list_for_each_entry(thr, &pool->idle, node)
		wake_up_interruptible(&thr->wait);
	spin_unlock(&pool->lock);
}

static void door_thread_free(struct task_struct *tsk)
{
	struct door_thread *thr = tsk->door_thread;
	struct door_pool *pool = thr->pool;

	spin_lock(&pool->lock);
	list_del_init(&thr->node);
	if (thr->call)
		door_complete(thr->call, -EINTR);
	spin_unlock(&pool->lock);
	door_buf_release(&thr->buf);
	tsk->door_thread = NULL;
	door_pool_put(pool);
	kfree(thr);
}

static void door_pool_detach(struct signal_struct *sig)
{
	struct door_pool *pool = xchg(&sig->door_pool, NULL);

	if (pool) {
		door_pool_kill(pool);
		door_pool_put(pool);
	}
}

void __door_exit(struct task_struct *tsk, bool group_dead)
{
	if (tsk->door_thread)
		door_thread_free(tsk);
	if (group_dead)
		door_pool_detach(tsk->signal);
}

void __door_exec(struct task_struct *tsk)
{
	if (tsk->door_thread)
		door_thread_free(tsk);
	door_pool_detach(tsk->signal);
}

static int door_release(struct inode *inode, struct file *file)
{
	struct door *door = file->private_data;

	door_pool_put(door->pool);
	kfree(door);
	return 0;
}

static void door_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct door *door = file->private_data;

	seq_printf(m, "door_id:\t%llu\n", door->id);
	seq_printf(m, "door_attr:\t%#x\n", door->attr);
	seq_printf(m, "door_revoked:\t%d\n", READ_ONCE(door->revoked));
}

static const struct file_operations door_fops = {
	.release	= door_release,
	.show_fdinfo	= door_show_fdinfo,
};

/* A user pointer and size from a fixed-width field, as an iterator */
static int door_import(int rw, u64 ptr, u64 size, struct iov_iter *iter)
{
	if (ptr != (unsigned long)ptr || size > DOOR_DATA_LIMIT)
		return -EFAULT;
	return import_ubuf(rw, u64_to_user_ptr(ptr), size, iter);
}

SYSCALL_DEFINE3(door_create, unsigned long, proc, unsigned long, cookie,
		unsigned int, attributes)
{
	struct door *door;
	int fd;

	if (attributes & ~DOOR_CREATE_MASK)
		return -EINVAL;

	door = kzalloc(sizeof(*door), GFP_KERNEL_ACCOUNT);
	if (!door)
		return -ENOMEM;
	door->pool = door_pool_get_current();
	if (!door->pool) {
		kfree(door);
		return -ENOMEM;
	}
	door->proc = proc;
	door->cookie = cookie;
	door->attr = attributes;
	door->id = atomic64_inc_return(&door_next_id);
	door->data_max = DOOR_DATA_LIMIT;
	door->desc_max = attributes & DOOR_REFUSE_DESC ? 0 : INT_MAX;

	fd = anon_inode_getfd("[door]", &door_fops, door, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		door_pool_put(door->pool);
		kfree(door);
	}
	return fd;
}

/*
 * A thread handed a call that its caller gave up before the thread woke:
 * give it the next queued call, or put it back among the idle ones.  It
 * is still asleep, and would not look at the queue by itself.
 */
static void door_hand_over_or_idle(struct door_pool *pool,
				   struct door_thread *thr)
{
	struct door_call *next;

	lockdep_assert_held(&pool->lock);
	next = list_first_entry_or_null(&pool->queue, struct door_call, node);
	if (!next) {
		thr->call = NULL;
		list_add(&thr->node, &pool->idle);
		return;
	}
	list_del_init(&next->node);
	thr->call = next;
	next->server = thr;
	next->state = DOOR_CALL_HANDED;
	wake_up_interruptible(&thr->wait);
}

/* Queue the call, or hand it to an idle thread; then wait for the end. */
static int door_call_wait(struct door_call *call)
{
	struct door_pool *pool = call->door->pool;
	struct door_thread *thr;
	int ret;

	spin_lock(&pool->lock);
	if (call->door->revoked || pool->dead) {
		spin_unlock(&pool->lock);
		return -EBADF;
	}
	thr = list_first_entry_or_null(&pool->idle, struct door_thread, node);
	if (thr) {
		list_del_init(&thr->node);
		thr->call = call;
		call->server = thr;
		call->state = DOOR_CALL_HANDED;
		__wake_up_on_current_cpu(&thr->wait, TASK_INTERRUPTIBLE, NULL);
	} else {
		list_add_tail(&call->node, &pool->queue);
		call->state = DOOR_CALL_QUEUED;
	}
	spin_unlock(&pool->lock);

	ret = wait_event_interruptible(call->wait,
				       READ_ONCE(call->state) == DOOR_CALL_DONE);

	/* also waits for the waker to let go of call->wait */
	spin_lock(&pool->lock);
	switch (call->state) {
	case DOOR_CALL_QUEUED:
		list_del_init(&call->node);
		call->state = DOOR_CALL_DONE;
		ret = -EINTR;
		break;
	case DOOR_CALL_HANDED:
		/* the thread has not woken yet: it serves another call */
		door_hand_over_or_idle(pool, call->server);
		call->server = NULL;
		call->state = DOOR_CALL_DONE;
		ret = -EINTR;
		break;
	case DOOR_CALL_ACTIVE:
		/* the server's results will find no call and be dropped */
		call->server->call = NULL;
		call->server = NULL;
		call->state = DOOR_CALL_DONE;
		ret = -EINTR;
		break;
	default:
		ret = call->error;
		break;
	}
	spin_unlock(&pool->lock);
	return ret;
}

SYSCALL_DEFINE3(door_call, int, fd, struct door_arg __user *, uarg,
		unsigned int, flags)
{
	struct door_call call;
	struct door_arg arg;
	struct iov_iter iter;
	struct door *door;
	int ret;

	if (flags)
		return -EINVAL;
	CLASS(fd, f)(fd);
	door = door_get(fd_file(f));
	if (!door)
		return -EBADF;
	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.reserved)
		return -EINVAL;
	if (arg.desc_ptr || arg.desc_num)
		return -EOPNOTSUPP;
	if (arg.data_size > READ_ONCE(door->data_max))
		return -E2BIG;
	if (arg.data_size < READ_ONCE(door->data_min))
		return -ENOBUFS;

	ret = door_import(ITER_SOURCE, arg.data_ptr, arg.data_size, &iter);
	if (ret)
		return ret;
	INIT_LIST_HEAD(&call.node);
	call.door = door;
	call.caller = current;
	call.mm = current->mm;
	call.server = NULL;
	call.state = DOOR_CALL_NEW;
	call.error = 0;
	call.data_ptr = arg.data_ptr;
	call.data_size = arg.data_size;
	call.rsize = arg.rsize;
	init_waitqueue_head(&call.wait);
	door_buf_init(&call.buf);

	/* large arguments stay where they are until the server copies them */
	if (arg.data_size <= DOOR_EXT_CACHE_MAX) {
		ret = door_buf_fill(&call.buf, &iter, arg.data_size, NULL);
		if (ret)
			goto out;
	}

	ret = door_call_wait(&call);
	if (ret)
		goto out;

	if (call.buf.size > arg.rsize) {
		ret = -EOVERFLOW;
		goto out;
	}
	ret = door_import(ITER_DEST, arg.rbuf, call.buf.size, &iter);
	if (!ret)
		ret = door_buf_drain(&call.buf, &iter);
	if (ret)
		goto out;
	arg.data_ptr = arg.rbuf;
	arg.data_size = call.buf.size;
	if (copy_to_user(uarg, &arg, sizeof(arg)))
		ret = -EFAULT;
out:
	door_buf_release(&call.buf);
	return ret;
}

static struct door_thread *door_thread_get(void)
{
	struct door_thread *thr = current->door_thread;
	struct door_pool *pool;

	if (thr)
		return thr;
	pool = READ_ONCE(current->signal->door_pool);
	if (!pool)
		return ERR_PTR(-EBADF);
	thr = kzalloc(sizeof(*thr), GFP_KERNEL_ACCOUNT);
	if (!thr)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&thr->node);
	init_waitqueue_head(&thr->wait);
	door_buf_init(&thr->buf);
	refcount_inc(&pool->ref);
	thr->pool = pool;
	current->door_thread = thr;
	return thr;
}

/* Give the results to the call being served, if its caller still waits. */
static int door_send_results(struct door_thread *thr,
			     const struct door_return_args *args)
{
	struct door_pool *pool = thr->pool;
	struct mem_cgroup *memcg = NULL;
	struct door_call *call;
	struct iov_iter iter;
	int ret;

	if (!READ_ONCE(thr->call))
		return 0;

	ret = door_import(ITER_SOURCE, args->result_ptr, args->result_size,
			  &iter);
	if (ret)
		return ret;

	/*
	 * A new extension is the caller's memory: charge it there.  Results
	 * the caller has no room for are refused before any is allocated.
	 */
	if (args->result_size > (thr->buf.ext ? thr->buf.cap : DOOR_INLINE_SIZE)) {
		spin_lock(&pool->lock);
		call = thr->call;
		if (call && args->result_size > call->rsize) {
			door_complete(call, -EOVERFLOW);
			call = NULL;
		} else if (call) {
			memcg = get_mem_cgroup_from_mm(call->mm);
		}
		spin_unlock(&pool->lock);
		if (!call)
			return 0;
	}
	ret = door_buf_fill(&thr->buf, &iter, args->result_size, memcg);
	mem_cgroup_put(memcg);
	if (ret)
		return ret;

	spin_lock(&pool->lock);
	call = thr->call;
	if (call) {
		door_buf_move(&call->buf, &thr->buf);
		door_complete(call, 0);
	}
	spin_unlock(&pool->lock);
	door_buf_release(&thr->buf);
	return 0;
}

/* Fail the call this thread was handed, e.g. when its data cannot go in. */
static void door_fail_call(struct door_thread *thr, int error)
{
	spin_lock(&thr->pool->lock);
	if (thr->call)
		door_complete(thr->call, error);
	spin_unlock(&thr->pool->lock);
	door_buf_release(&thr->buf);
}

/* Take the call's description and inline data or extension; under lock. */
static void door_take_call(struct door_thread *thr, struct door_call *call)
{
	struct door *door = call->door;

	lockdep_assert_held(&thr->pool->lock);
	call->state = DOOR_CALL_ACTIVE;
	thr->proc = door->proc;
	thr->cookie = door->cookie;
	thr->data_ptr = call->data_ptr;
	thr->data_size = call->data_size;
	thr->caller_mm = NULL;
	if (call->data_size > DOOR_EXT_CACHE_MAX) {
		thr->caller_mm = call->mm;
		mmget(thr->caller_mm);
	} else {
		door_buf_move(&thr->buf, &call->buf);
	}
}

/* Wait for a call; returns with one taken, and whether no thread is left. */
static int door_wait_call(struct door_thread *thr, bool *last)
{
	struct door_pool *pool = thr->pool;
	struct door_call *call;
	int ret;

	door_buf_release(&thr->buf);
	spin_lock(&pool->lock);
	for (;;) {
		if (pool->dead) {
			list_del_init(&thr->node);
			if (thr->call)
				door_complete(thr->call, -EBADF);
			spin_unlock(&pool->lock);
			return -EBADF;
		}
		call = thr->call;
		if (call)
			break;
		call = list_first_entry_or_null(&pool->queue, struct door_call,
						node);
		if (call) {
			list_del_init(&call->node);
			thr->call = call;
			call->server = thr;
			break;
		}
		/* LIFO: the thread that ran last is the warmest */
		list_add(&thr->node, &pool->idle);
		spin_unlock(&pool->lock);
		ret = wait_event_interruptible(thr->wait,
					       READ_ONCE(thr->call) ||
					       READ_ONCE(pool->dead));
		spin_lock(&pool->lock);
		if (thr->call)
			continue;
		/* woken for a call whose caller gave up, or by a signal */
		list_del_init(&thr->node);
		if (ret) {
			spin_unlock(&pool->lock);
			return -EINTR;
		}
	}
	*last = list_empty(&pool->idle);
	door_take_call(thr, call);
	spin_unlock(&pool->lock);
	return 0;
}

/*
 * Copy large arguments from the caller's pages, pinned a batch at a time
 * and mapped with sf_buf, into the server's memory: one copy, no kernel
 * buffer.  *caller_fault tells whose memory failed.
 */
static int door_copy_from_caller(struct door_thread *thr, struct iov_iter *to,
				 bool *caller_fault)
{
	struct mm_struct *mm = thr->caller_mm;
	struct page *pages[DOOR_PIN_BATCH];
	unsigned long addr = thr->data_ptr;
	u64 size = thr->data_size;
	size_t off, n;
	long nr, i;

	while (size) {
		/* the caller gave up: its memory is no longer ours to read */
		if (!READ_ONCE(thr->call)) {
			*caller_fault = true;
			return -EINTR;
		}
		off = offset_in_page(addr);
		nr = min_t(u64, DOOR_PIN_BATCH,
			   DIV_ROUND_UP(off + size, PAGE_SIZE));
		if (mmap_read_lock_killable(mm))
			return -EINTR;
		nr = pin_user_pages_remote(mm, addr - off, nr, 0, pages, NULL);
		mmap_read_unlock(mm);
		if (nr <= 0) {
			*caller_fault = true;
			return -EFAULT;
		}
		for (i = 0; i < nr && size; i++) {
			n = min_t(u64, PAGE_SIZE - off, size);
			if (sf_buf_copy_page_to_iter(pages[i], off, n, to) != n) {
				unpin_user_pages(pages, nr);
				return -EFAULT;
			}
			addr += n;
			size -= n;
			off = 0;
		}
		unpin_user_pages(pages, nr);
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

/* Put the call's data into the server thread's memory. */
static int door_receive(struct door_thread *thr, struct door_return_args *args,
			bool *caller_fault)
{
	unsigned long addr = 0, len = 0;
	struct iov_iter iter;
	int ret;

	args->flags = 0;
	if (thr->data_size <= args->rsize) {
		ret = door_import(ITER_DEST, args->rbuf, thr->data_size, &iter);
		if (ret)
			return ret;
		args->data_ptr = args->rbuf;
	} else {
		len = PAGE_ALIGN(thr->data_size);
		addr = vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, 0);
		if (IS_ERR_VALUE(addr))
			return addr;
		ret = door_import(ITER_DEST, addr, thr->data_size, &iter);
		if (ret)
			goto unmap;
		args->data_ptr = addr;
		args->flags |= DOOR_RETURN_MAPPED;
	}

	if (thr->caller_mm)
		ret = door_copy_from_caller(thr, &iter, caller_fault);
	else
		ret = door_buf_drain(&thr->buf, &iter);
	if (ret)
		goto unmap;
	args->data_size = thr->data_size;
	args->desc_ptr = 0;
	args->desc_num = 0;
	args->proc = thr->proc;
	args->cookie = thr->cookie;
	return 0;
unmap:
	if (len)
		vm_munmap(addr, len);
	return ret;
}

SYSCALL_DEFINE2(door_return, struct door_return_args __user *, uargs,
		unsigned int, flags)
{
	struct door_return_args args;
	struct door_thread *thr;
	bool caller_fault;
	bool last;
	int ret;

	if (flags)
		return -EINVAL;
	if (copy_from_user(&args, uargs, sizeof(args)))
		return -EFAULT;
	if (args.reserved)
		return -EINVAL;
	if (args.result_desc_ptr || args.result_desc_num)
		return -EOPNOTSUPP;
	if (args.result_size > DOOR_DATA_LIMIT)
		return -E2BIG;
	thr = door_thread_get();
	if (IS_ERR(thr))
		return PTR_ERR(thr);

	ret = door_send_results(thr, &args);
	if (ret)
		return ret;
	for (;;) {
		ret = door_wait_call(thr, &last);
		if (ret)
			return ret;
		caller_fault = false;
		ret = door_receive(thr, &args, &caller_fault);
		if (thr->caller_mm) {
			mmput(thr->caller_mm);
			thr->caller_mm = NULL;
		}
		if (!ret)
			break;
		door_fail_call(thr, ret);
		/* the caller's bad pointer, or its leaving, is its business */
		if (!caller_fault)
			return ret;
	}
	if (last)
		args.flags |= DOOR_RETURN_LAST;
	if (copy_to_user(uargs, &args, sizeof(args))) {
		if (args.flags & DOOR_RETURN_MAPPED)
			vm_munmap(args.data_ptr, PAGE_ALIGN(args.data_size));
		door_fail_call(thr, -EFAULT);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE2(door_info, int, fd, struct door_info __user *, uinfo)
{
	struct door_info info = {};
	struct door_pool *pool;
	struct door *door;

	CLASS(fd, f)(fd);
	door = door_get(fd_file(f));
	if (!door)
		return -EBADF;
	pool = door->pool;
	spin_lock(&pool->lock);
	info.target = pool->dead ? -1 : pid_vnr(pool->tgid);
	info.attributes = door->attr;
	if (door->revoked || pool->dead)
		info.attributes |= DOOR_REVOKED;
	spin_unlock(&pool->lock);
	if (READ_ONCE(current->signal->door_pool) == pool)
		info.attributes |= DOOR_LOCAL;
	info.proc = door->proc;
	info.cookie = door->cookie;
	info.id = door->id;
	if (copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE1(door_revoke, int, fd)
{
	struct door_call *call, *next;
	struct door_pool *pool;
	struct door *door;
	int ret = 0;

	CLASS(fd, f)(fd);
	door = door_get_owned(fd_file(f));
	if (IS_ERR(door))
		return PTR_ERR(door);
	pool = door->pool;
	spin_lock(&pool->lock);
	if (door->revoked || pool->dead) {
		ret = -EBADF;
	} else {
		WRITE_ONCE(door->revoked, true);
		list_for_each_entry_safe(call, next, &pool->queue, node) {
			if (call->door != door)
				continue;
			list_del_init(&call->node);
			door_complete(call, -EBADF);
		}
	}
	spin_unlock(&pool->lock);
	return ret;
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

	uc.pid = pid_vnr(pid);
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

SYSCALL_DEFINE3(door_getparam, int, fd, unsigned int, param,
		u64 __user *, uvalue)
{
	struct door *door;
	u64 value;

	CLASS(fd, f)(fd);
	door = door_get(fd_file(f));
	if (!door)
		return -EBADF;
	switch (param) {
	case DOOR_PARAM_DESC_MAX:
		value = READ_ONCE(door->desc_max);
		break;
	case DOOR_PARAM_DATA_MIN:
		value = READ_ONCE(door->data_min);
		break;
	case DOOR_PARAM_DATA_MAX:
		value = READ_ONCE(door->data_max);
		break;
	default:
		return -EINVAL;
	}
	return put_user(value, uvalue);
}

SYSCALL_DEFINE3(door_setparam, int, fd, unsigned int, param,
		unsigned long, value)
{
	struct door_pool *pool;
	struct door *door;
	int ret = 0;

	CLASS(fd, f)(fd);
	door = door_get_owned(fd_file(f));
	if (IS_ERR(door))
		return PTR_ERR(door);
	pool = door->pool;
	spin_lock(&pool->lock);
	if (door->revoked || pool->dead) {
		ret = -EBADF;
		goto out;
	}
	switch (param) {
	case DOOR_PARAM_DESC_MAX:
		if (value > INT_MAX)
			ret = -EINVAL;
		else if (value && (door->attr & DOOR_REFUSE_DESC))
			ret = -EOPNOTSUPP;
		else
			WRITE_ONCE(door->desc_max, value);
		break;
	case DOOR_PARAM_DATA_MIN:
		if (value > door->data_max)
			ret = -EINVAL;
		else
			WRITE_ONCE(door->data_min, value);
		break;
	case DOOR_PARAM_DATA_MAX:
		if (value < door->data_min || value > DOOR_DATA_LIMIT)
			ret = -EINVAL;
		else
			WRITE_ONCE(door->data_max, value);
		break;
	default:
		ret = -EINVAL;
	}
out:
	spin_unlock(&pool->lock);
	return ret;
}
