// SPDX-License-Identifier: GPL-2.0
/*
 * Doors: the server side's pools.  A process's pool (one per process, in
 * signal_struct) holds its idle server threads and the calls queued for
 * them; this file creates and tears down pools and threads, and moves
 * calls between them: the hand-off on the caller's CPU, the queue, and
 * taking calls back from threads that never woke for them.
 *
 * Locking: everything here runs under pool->lock, or frees what no
 * other task can reach any more (see door.h).
 */
#include <kunit/visibility.h>
#include <linux/debugfs.h>
#include <linux/door.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "door.h"

/*
 * Door objects alive, shown in debugfs door/objects, so that tests can
 * see every one of them go away.  Counted where they are made and freed,
 * never per call.
 */
atomic_long_t door_nr_doors;
EXPORT_SYMBOL_IF_KUNIT(door_nr_doors);
static atomic_long_t door_nr_pools;
atomic_long_t door_nr_threads;

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

void door_pool_put(struct door_pool *pool)
{
	if (refcount_dec_and_test(&pool->ref)) {
		if (pool->process)
			door_pool_unlist(pool);
		put_pid(pool->tgid);
		kfree(pool);
		atomic_long_dec(&door_nr_pools);
	}
}
EXPORT_SYMBOL_IF_KUNIT(door_pool_put);

/* A new pool, with no process and no reference yet */
struct door_pool *door_pool_alloc(void)
{
	struct door_pool *pool = kzalloc(sizeof(*pool), GFP_KERNEL_ACCOUNT);

	if (!pool)
		return NULL;
	spin_lock_init(&pool->lock);
	INIT_LIST_HEAD(&pool->idle);
	INIT_LIST_HEAD(&pool->queue);
	INIT_LIST_HEAD(&pool->unref_list);
	INIT_LIST_HEAD(&pool->privates);
	INIT_LIST_HEAD(&pool->private_node);
	atomic_long_inc(&door_nr_pools);
	return pool;
}
EXPORT_SYMBOL_IF_KUNIT(door_pool_alloc);

/* The pool of the current process, created with its first door */
struct door_pool *door_pool_get_current(void)
{
	struct signal_struct *sig = current->signal;
	struct door_pool *pool, *old;

	pool = READ_ONCE(sig->door_pool);
	if (pool) {
		refcount_inc(&pool->ref);
		return pool;
	}
	pool = door_pool_alloc();
	if (!pool)
		return NULL;
	pool->tgid = get_pid(task_tgid(current));
	refcount_set(&pool->ref, 2);	/* the process's and the caller's */
	old = cmpxchg(&sig->door_pool, NULL, pool);
	if (old) {
		refcount_set(&pool->ref, 1);
		door_pool_put(pool);
		refcount_inc(&old->ref);
		return old;
	}
	return pool;
}

/*
 * Finish a call: its results or error are in place.  The caller may see
 * it DONE and reuse it for its next call as soon as the store below is
 * visible, with or without the lock, so nobody touches the call after
 * it; the caller's task is returned referenced, to be woken
 * (door_wake_caller()), at best once the lock is dropped, or NULL if it
 * is away (away.c): it finds the call done when it comes back.  Whoever
 * finishes a call holds a reference to its pool of its own: the caller's
 * may be gone with the call.  Under the lock.
 */
struct task_struct *door_finish(struct door_call *call, int error)
{
	struct task_struct *caller = NULL;

	lockdep_assert_held(&call->door->pool->lock);
	if (call->waiting)
		caller = get_task_struct(call->caller);
	if (call->server)
		WRITE_ONCE(call->server->call, NULL);
	call->server = NULL;
	call->error = error;
	door_active_end(call->door);
	/* pairs with the caller's smp_load_acquire() in door_call_wait() */
	smp_store_release(&call->state, DOOR_CALL_DONE);
	return caller;
}

/*
 * Wake the caller of a finished call: on this CPU when the server thread
 * that finished it sleeps next (the hand-off back), else where the
 * scheduler likes.  The caller may have returned already, and then sleep
 * elsewhere: like a futex waker's, this wake-up may come late, and every
 * sleep re-checks what it waits for.
 */
void door_wake_caller(struct task_struct *caller, bool here)
{
	if (!caller)
		return;
	if (here)
		wake_up_process_on_current_cpu(caller);
	else
		wake_up_process(caller);
	put_task_struct(caller);
}

/*
 * Finish a call and wake its caller under the lock: for failures
 * (revocation, a dying pool or server thread), which may end many calls
 * at once and leave placement to the scheduler.
 */
void door_complete(struct door_call *call, int error)
{
	door_wake_caller(door_finish(call, error), false);
}

/*
 * Wake a server thread that sleeps in door_return() for work it was
 * given under the lock, which the thread takes to leave the pool before
 * it exits.  A caller's hand-off wakes its server on its own CPU instead,
 * after dropping the lock (door_call_wait()).
 */
void door_thread_wake(struct door_thread *thr)
{
	lockdep_assert_held(&thr->pool->lock);
	wake_up_process(thr->task);
}

/* How many of the most recently idle threads door_idle_thread() looks at */
#define DOOR_IDLE_SCAN	4

/*
 * An idle thread for a call: the most recently idle one that last ran on
 * this CPU, among the first few, else the most recently idle one.  Woken
 * here, a thread from another CPU would migrate with every call, and two
 * callers on two CPUs would keep trading their servers.  A call coming
 * back (@again) is not from this CPU's task: the most recently idle one.
 */
static struct door_thread *door_idle_thread(struct door_pool *pool,
					    bool again)
{
	unsigned int cpu = smp_processor_id(), n = 0;
	struct door_thread *thr;

	if (!again) {
		list_for_each_entry(thr, &pool->idle, node) {
			if (task_cpu(thr->task) == cpu)
				return thr;
			if (++n == DOOR_IDLE_SCAN)
				break;
		}
	}
	return list_first_entry_or_null(&pool->idle, struct door_thread, node);
}

/* Give @call to @thr, which has none; under the lock. */
void door_assign(struct door_thread *thr, struct door_call *call)
{
	WRITE_ONCE(thr->call, call);
	call->server = thr;
	WRITE_ONCE(call->state, DOOR_CALL_HANDED);
}

/* Take the oldest queued call off the queue; under the lock. */
struct door_call *door_next_queued(struct door_pool *pool)
{
	struct door_call *call;

	call = list_first_entry_or_null(&pool->queue, struct door_call, node);
	if (call)
		list_del_init(&call->node);
	return call;
}

/*
 * Hand @call to an idle thread, or queue it.  Returns the thread it was
 * handed to, off the idle list and not yet woken, or NULL if it queued.
 * A call coming back from a thread that never took it (@again) goes to
 * the head of the queue.
 */
static struct door_thread *door_assign_or_queue(struct door_pool *pool,
						struct door_call *call,
						bool again)
{
	struct door_thread *thr;

	lockdep_assert_held(&pool->lock);
	thr = door_idle_thread(pool, again);
	if (thr) {
		list_del_init(&thr->node);
		door_assign(thr, call);
		return thr;
	}
	call->server = NULL;
	if (again)
		list_add(&call->node, &pool->queue);
	else
		list_add_tail(&call->node, &pool->queue);
	WRITE_ONCE(call->state, DOOR_CALL_QUEUED);
	return NULL;
}

/*
 * A new call: hand it to an idle thread, or queue it.  Returns the task
 * of the thread it was handed to, referenced, for the caller to wake on
 * its CPU once it has dropped the lock (on PREEMPT_RT a thread woken
 * under the lock would preempt the caller only to block on the lock).
 */
struct task_struct *door_dispatch(struct door_pool *pool,
				  struct door_call *call)
{
	struct door_thread *thr = door_assign_or_queue(pool, call, false);

	return thr ? get_task_struct(thr->task) : NULL;
}

/* Stop a pool: fail the calls waiting for a thread, turn new ones away. */
void door_pool_kill(struct door_pool *pool)
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
		door_thread_wake(thr);
	spin_unlock(&pool->lock);
}

/*
 * Take back a call handed to @thr that it never took: another thread
 * serves it.  Under the lock, @thr off the idle list.
 */
void door_hand_back(struct door_thread *thr)
{
	struct door_pool *pool = thr->pool;
	struct door_call *call = thr->call;

	lockdep_assert_held(&pool->lock);
	WRITE_ONCE(thr->call, NULL);
	if (pool->dead) {
		door_complete(call, -EBADF);
		return;
	}
	thr = door_assign_or_queue(pool, call, true);
	if (thr)
		door_thread_wake(thr);
}

void door_thread_free(struct task_struct *tsk)
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
	door_thread_let_go(thr);
	door_buf_release(&thr->buf);
	door_xfer_put(thr->xfer);
	if (thr->unref_door)
		door_unref_done(thr);
	tsk->door_thread = NULL;
	door_thread_discard(thr->next_binding);
	door_thread_discard(thr);
}

static void door_pool_detach(struct signal_struct *sig)
{
	struct door_pool *pool = xchg(&sig->door_pool, NULL);

	if (pool) {
		door_pool_kill(pool);
		door_unref_drain(pool);
		door_kill_privates(pool);
		door_pool_put(pool);
	}
}

void __door_exit(struct task_struct *tsk, bool group_dead)
{
	if (tsk->door_call)
		door_call_free(tsk);
	if (tsk->door_thread)
		door_thread_free(tsk);
	if (group_dead)
		door_pool_detach(tsk->signal);
}

void __door_exec(struct task_struct *tsk)
{
	if (tsk->door_call)
		door_call_free(tsk);
	if (tsk->door_thread)
		door_thread_free(tsk);
	door_pool_detach(tsk->signal);
}

/*
 * A thread handed a call that its caller gave up before the thread woke:
 * give it the next queued call, or put it back among the idle ones.  It
 * is still asleep, and would not look at the queue by itself.
 */
void door_hand_over_or_idle(struct door_pool *pool, struct door_thread *thr)
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
	door_thread_wake(thr);
}

/* The pool a door_return() serves */
struct door_pool *door_thread_pool(void)
{
	if (current->door_thread)
		return current->door_thread->pool;
	return READ_ONCE(current->signal->door_pool);
}

/* Server state for the current thread in @pool, not yet its own */
struct door_thread *door_thread_new(struct door_pool *pool)
{
	struct door_thread *thr = kzalloc(sizeof(*thr), GFP_KERNEL_ACCOUNT);

	if (!thr)
		return NULL;
	INIT_LIST_HEAD(&thr->node);
	door_buf_init(&thr->buf);
	refcount_inc(&pool->ref);
	thr->pool = pool;
	thr->task = current;
	atomic_long_inc(&door_nr_threads);
	return thr;
}

/* Server state from door_thread_new() that no thread took, or NULL */
void door_thread_discard(struct door_thread *thr)
{
	if (!thr)
		return;
	door_pool_put(thr->pool);
	kfree(thr);
	atomic_long_dec(&door_nr_threads);
}

struct door_thread *door_thread_get(struct door_pool *pool)
{
	struct door_thread *thr = current->door_thread;

	if (thr)
		return thr;
	thr = door_thread_new(pool);
	if (!thr)
		return ERR_PTR(-ENOMEM);
	current->door_thread = thr;
	return thr;
}

/* Fail the call this thread was handed, e.g. when its data cannot go in. */
void door_fail_call(struct door_thread *thr, int error)
{
	spin_lock(&thr->pool->lock);
	if (thr->call)
		door_complete(thr->call, error);
	spin_unlock(&thr->pool->lock);
	door_buf_release(&thr->buf);
}
