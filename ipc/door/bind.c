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
 *
 * Locking: the process pool's lock guards its list of private pools; a
 * private pool is taken off the list by its last reference, so a walker
 * of the list takes references with refcount_inc_not_zero().
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

SYSCALL_DEFINE1(door_bind, int, fd)
{
	struct door_thread *thr, *new;
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
	thr = current->door_thread;
	if (thr && thr->pool == door->pool)
		return 0;
	/* one that serves a call now answers it first */
	if (thr && (thr->serving || thr->unref_door))
		return -EBUSY;
	/* the old binding stays if there is no memory for the new one */
	new = door_thread_new(door->pool);
	if (!new)
		return -ENOMEM;
	if (thr) {
		new->discarded = thr->discarded;
		door_thread_free(current);
	}
	current->door_thread = new;
	return 0;
}

SYSCALL_DEFINE0(door_unbind)
{
	struct door_thread *thr = current->door_thread;

	if (!thr || !thr->pool->process)
		return -EBADF;
	if (thr->serving || thr->unref_door)
		return -EBUSY;
	door_thread_free(current);
	return 0;
}
