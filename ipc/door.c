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
 * caller's pages into the server's memory (mapped with sf_buf).
 *
 * Trust: a server never takes a fault on its caller's memory, which a
 * hostile caller could make last forever (userfaultfd, FUSE).  Arguments
 * are copied into the call, or their pages pinned, by the caller itself
 * before the call is handed over; results are copied out by the caller
 * after.  A server copies from pinned pages with its own page faults
 * disabled, a batch at a time, and a caller that leaves waits for the
 * batch to end (call->copying), so no server touches a caller's memory
 * once door_call() has returned.
 *
 * Signals: a call no server has taken yet is withdrawn and restarts
 * (-ERESTARTSYS).  A call being served is only given up for a fatal
 * signal or one whose handler does not restart system calls; through
 * stops, restarting handlers and the freezer the caller keeps waiting.
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
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/debugfs.h>
#include <linux/door.h>
#include <linux/freezer.h>
#include <linux/file.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pid.h>
#include <linux/ptrace.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/sfbuf.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/uio.h>
#include <linux/wait.h>

#include "door.h"

/* Pages of large arguments a server copies between two looks at the call */
#define DOOR_COPY_BATCH		16

/* How often a caller waiting through a pending signal looks at it again */
#define DOOR_SIGNAL_POLL	(HZ / 50)

/* door_receive(): the caller left while its arguments were being copied */
#define DOOR_CALLER_LEFT	1

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
	const struct cred *cred;	/* the creator's, for security modules */
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
	bool copying;			/* the server reads @pages right now */
	u64 data_size;
	u64 rsize;			/* room for results */
	struct page **pages;		/* large arguments, pinned by the caller */
	unsigned int nr_pages;
	unsigned int offset;		/* of the data in pages[0] */
	wait_queue_head_t wait;
	struct door_buf buf;
};

struct door_thread {
	struct list_head node;		/* on pool->idle while waiting */
	struct door_pool *pool;
	struct task_struct *task;	/* the thread itself */
	struct door_call *call;		/* the call it serves, or NULL */
	wait_queue_head_t wait;
	/* the call being received, copied out under the lock */
	unsigned long proc;
	unsigned long cookie;
	u64 data_size;
	bool large;			/* the data is in call->pages */
	/* only the thread itself touches these */
	bool serving;			/* it returned to user space with a call */
	bool discarded;			/* results went nowhere, not yet said */
	struct door_buf buf;
};

static atomic64_t door_next_id = ATOMIC64_INIT(0);
static const struct file_operations door_fops;

/*
 * Door objects alive, shown in debugfs door/objects, so that tests can
 * see every one of them go away.  Counted where they are made and freed,
 * never per call.
 */
static atomic_long_t door_nr_doors;
static atomic_long_t door_nr_pools;
static atomic_long_t door_nr_threads;

static int door_objects_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "doors %ld\n", atomic_long_read(&door_nr_doors));
	seq_printf(m, "pools %ld\n", atomic_long_read(&door_nr_pools));
	seq_printf(m, "threads %ld\n", atomic_long_read(&door_nr_threads));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(door_objects);

static int __init door_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("door", NULL);

	debugfs_create_file("objects", 0444, dir, NULL, &door_objects_fops);
	return 0;
}
late_initcall(door_debugfs_init);

static void door_pool_put(struct door_pool *pool)
{
	if (refcount_dec_and_test(&pool->ref)) {
		put_pid(pool->tgid);
		kfree(pool);
		atomic_long_dec(&door_nr_pools);
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
		return old;
	}
	atomic_long_inc(&door_nr_pools);
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
		WRITE_ONCE(call->server->call, NULL);
	call->server = NULL;
	call->error = error;
	WRITE_ONCE(call->state, DOOR_CALL_DONE);
	if (error)
		wake_up(&call->wait);
	else
		__wake_up_on_current_cpu(&call->wait, TASK_NORMAL, NULL);
}

/* Give @call to @thr, which has none; under the lock. */
static void door_assign(struct door_thread *thr, struct door_call *call)
{
	WRITE_ONCE(thr->call, call);
	call->server = thr;
	WRITE_ONCE(call->state, DOOR_CALL_HANDED);
}

/* Take the oldest queued call off the queue; under the lock. */
static struct door_call *door_next_queued(struct door_pool *pool)
{
	struct door_call *call;

	call = list_first_entry_or_null(&pool->queue, struct door_call, node);
	if (call)
		list_del_init(&call->node);
	return call;
}

/*
 * Hand @call to an idle thread, or queue it.  A call coming back from a
 * thread that never took it (@again) goes to the head of the queue, and
 * its new server is not woken on this CPU, whose task is not its caller.
 */
static void door_dispatch(struct door_pool *pool, struct door_call *call,
			  bool again)
{
	struct door_thread *thr;

	lockdep_assert_held(&pool->lock);
	thr = list_first_entry_or_null(&pool->idle, struct door_thread, node);
	if (thr) {
		list_del_init(&thr->node);
		door_assign(thr, call);
		if (again)
			wake_up(&thr->wait);
		else
			__wake_up_on_current_cpu(&thr->wait, TASK_NORMAL, NULL);
		return;
	}
	call->server = NULL;
	if (again)
		list_add(&call->node, &pool->queue);
	else
		list_add_tail(&call->node, &pool->queue);
	WRITE_ONCE(call->state, DOOR_CALL_QUEUED);
}

/* Stop a pool: fail the calls waiting for a thread, turn new ones away. */
static void door_pool_kill(struct door_pool *pool)
{
	struct door_call *call, *next;
	struct door_thread *thr;

	spin_lock(&pool->lock);
	WRITE_ONCE(pool->dead, true);
	list_for_each_entry_safe(call, next, &pool->queue, node) {
		list_del_init(&call->node);
		door_complete(call, -EBADF);
	}
	list_for_each_entry(thr, &pool->idle, node)
		wake_up(&thr->wait);
	spin_unlock(&pool->lock);
}

/*
 * Take back a call handed to @thr that it never took: another thread
 * serves it.  Under the lock, @thr off the idle list.
 */
static void door_hand_back(struct door_thread *thr)
{
	struct door_pool *pool = thr->pool;
	struct door_call *call = thr->call;

	lockdep_assert_held(&pool->lock);
	WRITE_ONCE(thr->call, NULL);
	if (pool->dead)
		door_complete(call, -EBADF);
	else
		door_dispatch(pool, call, true);
}

static void door_thread_free(struct task_struct *tsk)
{
	struct door_thread *thr = tsk->door_thread;
	struct door_pool *pool = thr->pool;

	spin_lock(&pool->lock);
	list_del_init(&thr->node);
	if (thr->call && thr->call->state == DOOR_CALL_HANDED)
		door_hand_back(thr);
	else if (thr->call)
		door_complete(thr->call, -EINTR);
	spin_unlock(&pool->lock);
	door_buf_release(&thr->buf);
	tsk->door_thread = NULL;
	door_pool_put(pool);
	kfree(thr);
	atomic_long_dec(&door_nr_threads);
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
	put_cred(door->cred);
	kfree(door);
	atomic_long_dec(&door_nr_doors);
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
	struct file *file;
	struct door *door;
	int fd, ret;

	if (attributes & ~DOOR_CREATE_MASK)
		return -EINVAL;
	ret = security_door_create(attributes);
	if (ret)
		return ret;

	/* a full descriptor table is EMFILE, whatever memory there is */
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	ret = -ENOMEM;
	door = kzalloc(sizeof(*door), GFP_KERNEL_ACCOUNT);
	if (!door)
		goto put_fd;
	door->pool = door_pool_get_current();
	if (!door->pool)
		goto free_door;
	door->proc = proc;
	door->cookie = cookie;
	door->attr = attributes;
	door->id = atomic64_inc_return(&door_next_id);
	door->data_max = DOOR_DATA_LIMIT;
	door->desc_max = attributes & DOOR_REFUSE_DESC ? 0 : INT_MAX;
	door->cred = get_current_cred();

	file = anon_inode_getfile("[door]", &door_fops, door, O_RDWR);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		put_cred(door->cred);
		goto put_pool;
	}
	atomic_long_inc(&door_nr_doors);
	fd_install(fd, file);
	return fd;

put_pool:
	door_pool_put(door->pool);
free_door:
	kfree(door);
put_fd:
	put_unused_fd(fd);
	return ret;
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
	next = door_next_queued(pool);
	if (!next) {
		WRITE_ONCE(thr->call, NULL);
		list_add(&thr->node, &pool->idle);
		return;
	}
	door_assign(thr, next);
	wake_up(&thr->wait);
}

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
	DEFINE_WAIT(wait);

	if (READ_ONCE(current->jobctl) & JOBCTL_TRAP_FREEZE)
		cgroup_enter_frozen();
	prepare_to_wait(&call->wait, &wait,
			TASK_KILLABLE | TASK_NOLOAD | TASK_FREEZABLE);
	if (READ_ONCE(call->state) != DOOR_CALL_DONE)
		schedule_timeout(DOOR_SIGNAL_POLL);
	finish_wait(&call->wait, &wait);
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
		wait_event(call->wait, !READ_ONCE(call->copying));
		spin_lock(&pool->lock);
	}
	WRITE_ONCE(call->state, DOOR_CALL_DONE);
}

/* Queue the call, or hand it to an idle thread; then wait for the end. */
static int door_call_wait(struct door_call *call)
{
	struct door_pool *pool = call->door->pool;
	unsigned int sigs;
	int ret;

	spin_lock(&pool->lock);
	if (call->door->revoked || pool->dead) {
		spin_unlock(&pool->lock);
		return -EBADF;
	}
	door_dispatch(pool, call, false);
	spin_unlock(&pool->lock);

	for (;;) {
		if (signal_pending(current))
			door_wait_through_signal(call);
		else
			wait_event_freezable(call->wait,
					     READ_ONCE(call->state) ==
					     DOOR_CALL_DONE);
		sigs = signal_pending(current) ? door_signals() : 0;

		/* also waits for the waker to let go of call->wait */
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
	ret = security_door_call(door->cred);
	if (ret)
		return ret;
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
	call.server = NULL;
	call.state = DOOR_CALL_NEW;
	call.error = 0;
	call.copying = false;
	call.data_size = arg.data_size;
	call.rsize = arg.rsize;
	call.pages = NULL;
	init_waitqueue_head(&call.wait);
	door_buf_init(&call.buf);

	/* large arguments stay where they are until the server copies them */
	if (arg.data_size <= DOOR_EXT_CACHE_MAX)
		ret = door_buf_fill(&call.buf, &iter, arg.data_size, NULL);
	else
		ret = door_pin_args(&call, arg.data_ptr, arg.data_size);
	if (ret)
		goto out;

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
	if (call.pages) {
		unpin_user_pages(call.pages, call.nr_pages);
		kvfree(call.pages);
	}
	door_buf_release(&call.buf);
	return ret;
}

/* The pool a door_return() serves */
static struct door_pool *door_thread_pool(void)
{
	if (current->door_thread)
		return current->door_thread->pool;
	return READ_ONCE(current->signal->door_pool);
}

static struct door_thread *door_thread_get(struct door_pool *pool)
{
	struct door_thread *thr = current->door_thread;

	if (thr)
		return thr;
	thr = kzalloc(sizeof(*thr), GFP_KERNEL_ACCOUNT);
	if (!thr)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&thr->node);
	init_waitqueue_head(&thr->wait);
	door_buf_init(&thr->buf);
	refcount_inc(&pool->ref);
	thr->pool = pool;
	thr->task = current;
	current->door_thread = thr;
	atomic_long_inc(&door_nr_threads);
	return thr;
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
 * Fails only for the server's own bad pointer, and then the call stays
 * served, so that a door_return() with a good one can still end it.
 */
static int door_send_results(struct door_thread *thr,
			     const struct door_return_args *args)
{
	struct door_pool *pool = thr->pool;
	struct mem_cgroup *memcg = NULL;
	struct door_call *call;
	struct iov_iter iter;
	int ret;

	if (!thr->serving)
		return 0;
	if (!READ_ONCE(thr->call))
		goto discarded;

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
			memcg = door_caller_memcg(call);
		}
		spin_unlock(&pool->lock);
		if (!call)
			goto discarded;
	}
	ret = door_buf_fill(&thr->buf, &iter, args->result_size, memcg);
	mem_cgroup_put(memcg);
	if (ret == -ENOMEM) {
		/* the caller's cgroup is full: its call fails, not the server */
		door_fail_call(thr, -ENOMEM);
		goto discarded;
	}
	if (ret)
		return ret;

	spin_lock(&pool->lock);
	call = thr->call;
	if (call && thr->buf.size > call->rsize) {
		/* results that fit a buffer already there, but not rbuf */
		door_complete(call, -EOVERFLOW);
		call = NULL;
	} else if (call) {
		door_buf_move(&call->buf, &thr->buf);
		door_complete(call, 0);
	}
	spin_unlock(&pool->lock);
	door_buf_release(&thr->buf);
	thr->serving = false;
	if (!call)
		thr->discarded = true;
	return 0;

discarded:
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
	thr->large = !!call->pages;
	if (!thr->large)
		door_buf_move(&thr->buf, &call->buf);
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
	spin_lock(&pool->lock);
	for (;;) {
		if (pool->dead) {
			list_del_init(&thr->node);
			if (thr->call)
				door_complete(thr->call, -EBADF);
			spin_unlock(&pool->lock);
			return -EBADF;
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
		ret = wait_event_freezable(thr->wait,
					   READ_ONCE(thr->call) ||
					   READ_ONCE(pool->dead));
		spin_lock(&pool->lock);
		/* handed a call, woken by a signal, or for a withdrawn call */
		list_del_init(&thr->node);
	}
	*last = list_empty(&pool->idle);
	door_take_call(thr, call);
	spin_unlock(&pool->lock);
	return 0;
}

/*
 * Copy up to @len bytes of the caller's pinned pages, from @pos on, into
 * the server's memory with page faults disabled: the caller may be waiting
 * for the batch to end.  Stops early when the caller leaves or the
 * server's memory is not there.
 */
static size_t door_copy_batch(struct door_thread *thr, struct door_call *call,
			      size_t pos, size_t len, struct iov_iter *to)
{
	size_t done = 0, at, off, n, copied;
	struct sf_buf *sf;

	pagefault_disable();
	while (done < len && READ_ONCE(thr->call) == call) {
		at = call->offset + pos + done;
		off = offset_in_page(at);
		n = min(len - done, PAGE_SIZE - off);
		sf = sf_buf_alloc(call->pages[at / PAGE_SIZE], SFB_CPUPRIVATE);
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
	bool left;

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
		if (pos + done == thr->data_size) {
			unpin_user_pages(call->pages, call->nr_pages);
			call->nr_pages = 0;
		}

		spin_lock(&pool->lock);
		WRITE_ONCE(call->copying, false);
		left = thr->call != call;
		if (left)
			wake_up(&call->wait);
		spin_unlock(&pool->lock);
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
 * Put the call's data into the server thread's memory.  Returns 0, an
 * error of the server's (its bad buffer, no memory, a fatal signal), or
 * DOOR_CALLER_LEFT.
 */
static int door_receive(struct door_thread *thr, struct door_return_args *args)
{
	unsigned long addr = 0, len = 0;
	struct iov_iter iter;
	int ret;

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

	if (thr->large)
		ret = door_copy_from_caller(thr, &iter);
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
	struct door_pool *pool;
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
	pool = door_thread_pool();
	if (!pool)
		return -EBADF;
	if (args.result_size > DOOR_DATA_LIMIT)
		return -E2BIG;
	thr = door_thread_get(pool);
	if (IS_ERR(thr))
		return PTR_ERR(thr);

	ret = door_send_results(thr, &args);
	if (ret)
		return ret;
	for (;;) {
		ret = door_wait_call(thr, &last);
		if (ret)
			return ret;
		args.flags = 0;
		ret = door_receive(thr, &args);
		if (!ret)
			break;
		/*
		 * The caller's leaving is its business: serve the next one,
		 * unless a signal is due (callers that keep leaving must not
		 * keep the thread from stopping or freezing).
		 */
		if (ret == DOOR_CALLER_LEFT) {
			door_buf_release(&thr->buf);
			if (signal_pending(current))
				return -ERESTARTSYS;
			continue;
		}
		/*
		 * The server's own failure: its caller learns that the server
		 * could not take the call (EAGAIN) or died in it (EINTR).
		 */
		door_fail_call(thr, ret == -EINTR ? -EINTR : -EAGAIN);
		return ret;
	}
	if (last)
		args.flags |= DOOR_RETURN_LAST;
	if (thr->discarded)
		args.flags |= DOOR_RETURN_DISCARDED;
	if (copy_to_user(uargs, &args, sizeof(args))) {
		if (args.flags & DOOR_RETURN_MAPPED)
			vm_munmap(args.data_ptr, PAGE_ALIGN(args.data_size));
		door_fail_call(thr, -EAGAIN);
		return -EFAULT;
	}
	thr->discarded = false;
	thr->serving = true;
	return 0;
}

/* A process id as the current task sees it: -1 if it has none here */
static pid_t door_pid_here(struct pid *pid)
{
	pid_t nr = pid_vnr(pid);

	return nr ? nr : -1;
}

/*
 * Whether the current process may learn a door's procedure and cookie,
 * which are addresses in its server: only if it could read them anyway.
 */
static bool door_may_inspect(struct door_pool *pool)
{
	struct task_struct *server;
	bool ok;

	if (READ_ONCE(current->signal->door_pool) == pool)
		return true;
	server = get_pid_task(pool->tgid, PIDTYPE_TGID);
	if (!server)
		return false;
	/* as /proc/PID/stat hides addresses: no audit record for asking */
	ok = ptrace_may_access(server, PTRACE_MODE_READ_FSCREDS |
				       PTRACE_MODE_NOAUDIT);
	put_task_struct(server);
	return ok;
}

SYSCALL_DEFINE2(door_info, int, fd, struct door_info __user *, uinfo)
{
	struct door_info info = {};
	struct door_pool *pool;
	struct door *door;
	bool dead;

	CLASS(fd, f)(fd);
	door = door_get(fd_file(f));
	if (!door)
		return -EBADF;
	pool = door->pool;
	spin_lock(&pool->lock);
	dead = pool->dead;
	info.attributes = door->attr;
	if (door->revoked || pool->dead)
		info.attributes |= DOOR_REVOKED;
	spin_unlock(&pool->lock);
	info.target = dead ? -1 : door_pid_here(pool->tgid);
	if (READ_ONCE(current->signal->door_pool) == pool)
		info.attributes |= DOOR_LOCAL;
	/* a server dying meanwhile can no longer be asked: hide them */
	if (!dead && door_may_inspect(pool) && !READ_ONCE(pool->dead)) {
		info.proc = door->proc;
		info.cookie = door->cookie;
	}
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

static bool door_param_valid(unsigned int param)
{
	return param == DOOR_PARAM_DESC_MAX || param == DOOR_PARAM_DATA_MIN ||
	       param == DOOR_PARAM_DATA_MAX;
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
	if (!door_get(fd_file(f)))
		return -EBADF;
	if (!door_param_valid(param))
		return -EINVAL;
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
