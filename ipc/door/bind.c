// SPDX-License-Identifier: GPL-2.0
/*
 * Doors: private pools (DOOR_PRIVATE).
 *
 * A process's doors share its pool of server threads, so that callers of
 * one door can keep every thread busy and starve the others.  A door
 * created with DOOR_PRIVATE has a pool of its own, which threads of the
 * creating process join with door_bind() and leave with door_unbind();
 * a bound thread's door_return() serves only that door.  Private pools
 * hang off the process's pool (door_pool->process), which kills them
 * with itself at exit or exec; revoking a private door kills its pool,
 * and its threads' door_return() then fails with EINVAL, as on Solaris.
 * A thread that binds or unbinds while it serves a call moves at its
 * next door_return(), once its results are sent (Solaris' implicit
 * unbind); door_info(DOOR_QUERY) tells it which door that is, and
 * door_bind_id() binds a thread to a door it has no descriptor of.
 *
 * Locking: the process pool's lock guards its list of private pools; a
 * private pool is taken off the list by its last reference, so a walker
 * of the list takes references with refcount_inc_not_zero().  A private
 * pool's door pointer is cleared under the pool's lock when the door's
 * last reference goes.  Only the thread itself touches its binding.
 */
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/syscalls.h>

#include "door.h"

/**
 * door_pool_new_private - a pool for one private door
 * @process:	the process's pool; its reference passes to the new pool
 *
 * Returns the new pool, with one reference (the door's), or NULL.
 */
struct door_pool *door_pool_new_private(struct door_pool *process)
{
	struct door_pool *pool = door_pool_alloc();

	if (!pool)
		return NULL;
	pool->tgid = get_pid(process->tgid);
	pool->process = process;
	refcount_set(&pool->ref, 1);
	spin_lock(&process->lock);
	list_add(&pool->private_node, &process->privates);
	spin_unlock(&process->lock);
	return pool;
}

/**
 * door_pool_unlist - a private pool's last reference went
 * @pool:	the private pool
 */
void door_pool_unlist(struct door_pool *pool)
{
	struct door_pool *process = pool->process;

	spin_lock(&process->lock);
	list_del(&pool->private_node);
	spin_unlock(&process->lock);
	door_pool_put(process);
}

/* The next private pool of @process still alive, referenced, or NULL. */
static struct door_pool *door_next_private(struct door_pool *process)
{
	struct door_pool *pool, *found = NULL;

	spin_lock(&process->lock);
	list_for_each_entry(pool, &process->privates, private_node) {
		if (!READ_ONCE(pool->dead) && refcount_inc_not_zero(&pool->ref)) {
			found = pool;
			break;
		}
	}
	spin_unlock(&process->lock);
	return found;
}

/**
 * door_kill_privates - the process is gone: so are its private pools
 * @process:	the process's pool, already dead
 */
void door_kill_privates(struct door_pool *process)
{
	struct door_pool *pool;

	while ((pool = door_next_private(process))) {
		door_pool_kill(pool);
		door_unref_drain(pool);
		door_pool_put(pool);
	}
}

/* The pool @thr serves from its next door_return() on */
static struct door_pool *door_bound_pool(struct door_thread *thr)
{
	return thr->next_binding ? thr->next_binding->pool : thr->pool;
}

/**
 * door_query_get - the private door the current thread is bound to
 *
 * As of the thread's next door_return().  Returns the door, referenced,
 * or NULL if the thread is not bound or the door is gone.
 */
struct door *door_query_get(void)
{
	struct door_thread *thr = current->door_thread;
	struct door_pool *pool;
	struct door *door;

	if (!thr)
		return NULL;
	pool = door_bound_pool(thr);
	if (!pool->process)
		return NULL;
	spin_lock(&pool->lock);
	door = pool->door;
	if (door && !refcount_inc_not_zero(&door->ref))
		door = NULL;
	spin_unlock(&pool->lock);
	return door;
}

/*
 * A thread serving a call binds to @pool at its next door_return(), with
 * server state made now, so that the move cannot fail then.
 */
static int door_bind_later(struct door_thread *thr, struct door_pool *pool)
{
	struct door_thread *next = NULL;

	if (door_bound_pool(thr) == pool)
		return 0;
	if (pool != thr->pool) {
		next = door_thread_new(pool);
		if (!next)
			return -ENOMEM;
	}
	door_thread_discard(thr->next_binding);
	thr->next_binding = next;
	return 0;
}

/**
 * door_thread_move - a door_return() that sent its results moves
 * @thr:	the current thread's server state, with a next binding
 *
 * Returns the thread's new server state.
 */
struct door_thread *door_thread_move(struct door_thread *thr)
{
	struct door_thread *next = thr->next_binding;

	thr->next_binding = NULL;
	next->discarded = thr->discarded;
	door_thread_free(current);
	current->door_thread = next;
	return next;
}

/* Bind the current thread to the private pool @pool, alive */
static long door_bind_pool(struct door_pool *pool)
{
	struct door_thread *thr = current->door_thread, *new;

	/* one that serves a call answers it first, then moves */
	if (thr && (thr->serving || thr->unref_door))
		return door_bind_later(thr, pool);
	if (thr && thr->pool == pool)
		return 0;
	/* the old binding stays if there is no memory for the new one */
	new = door_thread_new(pool);
	if (!new)
		return -ENOMEM;
	if (thr) {
		new->discarded = thr->discarded;
		door_thread_free(current);
	}
	current->door_thread = new;
	return 0;
}

SYSCALL_DEFINE1(door_bind, int, fd)
{
	struct door *door;

	CLASS(fd, f)(fd);
	door = door_get_owned(fd_file(f));
	/* Solaris: EINVAL for a door another process created */
	if (IS_ERR(door))
		return PTR_ERR(door) == -EPERM ? -EINVAL : PTR_ERR(door);
	if (!(door->attr & DOOR_PRIVATE))
		return -EINVAL;
	if (READ_ONCE(door->pool->dead))
		return -EBADF;
	return door_bind_pool(door->pool);
}

/* The live private pool of the current process's door @id, referenced */
static struct door_pool *door_private_by_id(u64 id)
{
	struct door_pool *process = READ_ONCE(current->signal->door_pool);
	struct door_pool *pool, *found = NULL;

	if (!process)
		return NULL;
	spin_lock(&process->lock);
	list_for_each_entry(pool, &process->privates, private_node) {
		if (READ_ONCE(pool->door_id) != id)
			continue;
		if (!READ_ONCE(pool->dead) && refcount_inc_not_zero(&pool->ref))
			found = pool;
		break;
	}
	spin_unlock(&process->lock);
	return found;
}

/*
 * door_bind() by the door's id (door_info()'s), for threads that have no
 * descriptor of it: a library growing a private pool whose descriptor
 * the program has closed.  Only the calling process's private doors.
 */
SYSCALL_DEFINE1(door_bind_id, const u64 __user *, uid)
{
	struct door_pool *pool;
	long ret;
	u64 id;

	if (get_user(id, uid))
		return -EFAULT;
	/* ids start at 1: 0 is a pool whose door is still being made */
	if (!id)
		return -EBADF;
	pool = door_private_by_id(id);
	if (!pool)
		return -EBADF;
	ret = door_bind_pool(pool);
	door_pool_put(pool);
	return ret;
}

SYSCALL_DEFINE0(door_unbind)
{
	struct door_thread *thr = current->door_thread;

	if (!thr || !door_bound_pool(thr)->process)
		return -EBADF;
	if (thr->serving || thr->unref_door)
		return door_bind_later(thr, door_pool_process(thr->pool));
	door_thread_free(current);
	return 0;
}
