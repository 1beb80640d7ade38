// SPDX-License-Identifier: GPL-2.0
/*
 * Doors: unreferenced notification (DOOR_UNREF, DOOR_UNREF_MULTI).
 *
 * A door created with DOOR_UNREF gets one special call, with data
 * pointer DOOR_UNREF_DATA and no data, when the number of descriptors
 * referring to it drops to one; with DOOR_UNREF_MULTI it gets another
 * each time new references appeared and went again.  Descriptors are
 * counted as references to the door's files (the one door_create() made
 * and those opened through names): a close() (->flush), a descriptor
 * dropped in transit, or the end of a call whose descriptor another
 * thread closed meanwhile looks at how many would be left.
 *
 * The notification is never run by the closing task: the door is put
 * on its pool's unref list, and a server thread of the pool takes it as
 * it would take a call, in door_return(), so a server with one thread
 * busy in a procedure gets it when that thread next waits.  The list
 * holds a reference to the door, the thread holds it while it serves
 * the notification, until its next door_return() or its exit.
 *
 * Locking: door->unref, door->unref_again, door->unref_recheck and the
 * unref list are under the pool's lock; door->files and door->nr_names
 * under door->files_lock, never taken with the pool's.  door_put() must
 * not be called with the pool's lock held: the last reference to a door
 * may be the last to its pool.
 */
#include <kunit/visibility.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>

#include "door.h"

/**
 * door_put - drop a reference to a door, freeing it with the last
 * @door:	the door
 */
void door_put(struct door *door)
{
	struct door_pool *pool = door->pool;

	if (!refcount_dec_and_test(&door->ref))
		return;
	/* a private door's pool serves nobody any more: its threads go */
	if (pool->process) {
		door_pool_kill(pool);
		door_unref_drain(pool);
	}
	door_pool_put(pool);
	put_cred(door->cred);
	kfree(door);
	atomic_long_dec(&door_nr_doors);
}
EXPORT_SYMBOL_IF_KUNIT(door_put);

static void door_unref_queue(struct door_pool *pool, struct door *door)
{
	struct door_thread *thr;

	lockdep_assert_held(&pool->lock);
	door->unref = DOOR_UNREF_QUEUED;
	list_add_tail(&door->unref_node, &pool->unref_list);
	/* off the idle list, so that no call is handed to it meanwhile */
	thr = list_first_entry_or_null(&pool->idle, struct door_thread, node);
	if (thr) {
		list_del_init(&thr->node);
		door_thread_wake(thr);
	}
}

/**
 * door_nr_refs - how many references the door has that count
 * @door:	the door
 *
 * References to its files (descriptors, files in transit, and those
 * system calls in progress took) and its names in doorfs, which hold
 * it as Solaris' fattach() does.
 */
long door_nr_refs(struct door *door)
{
	struct door_file *df;
	long n;

	spin_lock(&door->files_lock);
	n = door->nr_names;
	list_for_each_entry(df, &door->files, node)
		n += file_count(df->file);
	spin_unlock(&door->files_lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(door_nr_refs);

/**
 * door_unref_check - references to the door are going
 * @door:	the door
 * @going:	how many of those counted are about to go (0 if gone)
 *
 * Queues the notification if that leaves one reference (or none) and
 * the door wants to know.  When others are left, some may be references
 * system calls took for a while: door_unref_recheck() at their end
 * looks again.
 */
void door_unref_check(struct door *door, unsigned int going)
{
	struct door_pool *pool = door->pool;
	long left;

	if (!(door->attr & (DOOR_UNREF | DOOR_UNREF_MULTI)))
		return;
	left = door_nr_refs(door) - going;
	spin_lock(&pool->lock);
	if (left > 1) {
		/* a notification still to come: look again later */
		door->unref_recheck = door->unref != DOOR_UNREF_DONE;
	} else if (door->revoked || pool->dead) {
		/* nobody will serve it */
	} else if (door->unref == DOOR_UNREF_ARMED) {
		door->unref_recheck = false;
		refcount_inc(&door->ref);
		door_unref_queue(pool, door);
	} else if (door->unref == DOOR_UNREF_SERVING &&
		   (door->attr & DOOR_UNREF_MULTI)) {
		/* gone again while the last one is served: once more */
		door->unref_again = true;
	}
	spin_unlock(&pool->lock);
}
EXPORT_SYMBOL_IF_KUNIT(door_unref_check);

/**
 * door_unref_recheck - a system call drops the reference it took
 * @door:	the door
 *
 * If a close() found other references meanwhile, this one may have been
 * among them.
 */
void door_unref_recheck(struct door *door)
{
	if (READ_ONCE(door->unref_recheck))
		door_unref_check(door, 1);
}

/**
 * door_fput - drop a reference to a file that may be a door's
 * @file:	the file
 *
 * For descriptors dropped without a close(): those in transit nobody
 * installed.
 */
void door_fput(struct file *file)
{
	struct door *door = door_get(file);

	if (door)
		door_unref_check(door, 1);
	fput(file);
}

/**
 * door_unref_next - take the next door to notify, for @thr to serve
 * @thr:	a server thread of the pool, about to take a call
 *
 * Under the pool's lock.  Returns false if there is none.
 */
bool door_unref_next(struct door_thread *thr)
{
	struct door_pool *pool = thr->pool;
	struct door *door;

	lockdep_assert_held(&pool->lock);
	door = list_first_entry_or_null(&pool->unref_list, struct door,
					unref_node);
	if (!door)
		return false;
	list_del_init(&door->unref_node);
	door->unref = DOOR_UNREF_SERVING;
	thr->unref_door = door;
	thr->proc = door->proc;
	thr->cookie = door->cookie;
	thr->data_size = 0;
	thr->large = false;
	thr->xfer = NULL;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(door_unref_next);

/**
 * door_unref_done - a thread is done with the notification it served
 * @thr:	the thread, with thr->unref_door set
 */
void door_unref_done(struct door_thread *thr)
{
	struct door_pool *pool = thr->pool;
	struct door *door = thr->unref_door;
	bool again;

	thr->unref_door = NULL;
	spin_lock(&pool->lock);
	again = door->unref_again && !door->revoked && !pool->dead;
	door->unref_again = false;
	if (again)
		door_unref_queue(pool, door);	/* keeps the reference */
	else if (door->attr & DOOR_UNREF_MULTI)
		door->unref = DOOR_UNREF_ARMED;
	else
		door->unref = DOOR_UNREF_DONE;
	if (door->unref == DOOR_UNREF_DONE)
		door->unref_recheck = false;
	spin_unlock(&pool->lock);
	if (!again)
		door_put(door);
}
EXPORT_SYMBOL_IF_KUNIT(door_unref_done);

/**
 * door_unref_drain - a pool stops: drop the notifications it has queued
 * @pool:	the pool, marked dead
 */
void door_unref_drain(struct door_pool *pool)
{
	struct door *door, *next;
	LIST_HEAD(doors);

	spin_lock(&pool->lock);
	list_splice_init(&pool->unref_list, &doors);
	list_for_each_entry(door, &doors, unref_node)
		door->unref = DOOR_UNREF_DONE;
	spin_unlock(&pool->lock);
	list_for_each_entry_safe(door, next, &doors, unref_node) {
		list_del_init(&door->unref_node);
		door_put(door);
	}
}
EXPORT_SYMBOL_IF_KUNIT(door_unref_drain);
