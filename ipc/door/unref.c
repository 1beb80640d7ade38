// SPDX-License-Identifier: GPL-2.0
/*
 * Doors: unreferenced notification (DOOR_UNREF, DOOR_UNREF_MULTI).
 *
 * A door created with DOOR_UNREF gets one special call, with data
 * pointer DOOR_UNREF_DATA and no data, when the number of references to
 * it drops to one; with DOOR_UNREF_MULTI it gets another each time new
 * references appeared and went again.  References are those to the
 * door's files (descriptors, files in transit, those system calls took,
 * for the one door_create() made and those opened through names) and
 * the door's names, each of which counts as one, as Solaris' fattach()
 * does.  A close() (->flush), a file dropped in transit, a name going,
 * or the end of a system call that held a reference while a close found
 * others, looks at how many are left; a going that left others makes the
 * door look again a little later (delayed work), for two holders closing
 * at once, each counting the other, and for references other system
 * calls held for a moment.  None when the last goes: the door is gone,
 * not unreferenced.
 *
 * As Solaris' DOOR_DELAY, the notification waits while calls to the
 * door are active (door->active: made and not over, including those
 * whose caller left while a server thread still serves them), so that
 * a server freeing its cookie on notification frees nothing a running
 * procedure uses.
 *
 * The notification is never run by the closing task: the door is put
 * on its pool's unref list, and a server thread of the pool takes it as
 * it would take a call, in door_return(), so a server with one thread
 * busy in a procedure gets it when that thread next waits.  The list
 * holds a reference to the door, the thread holds it while it serves
 * the notification, until its next door_return() or its exit.
 *
 * Locking: door->active, door->unref and the other unref_* fields and
 * the unref list are under the pool's lock; door->files and
 * door->nr_names under door->files_lock, never taken with the pool's.
 * door_put() must not be called with the pool's lock held: the last
 * reference to a door may be the last to its pool.
 */
#include <kunit/visibility.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

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
		/* dead first: door_bind_id() finds no pool of a door gone */
		door_pool_kill(pool);
		spin_lock(&pool->lock);
		pool->door = NULL;
		spin_unlock(&pool->lock);
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

/* Looks again after a going that left others: 10, 40, 160, 640 ms later */
#define DOOR_UNREF_LOOKS	4
#define DOOR_UNREF_LOOK_MS	10

/* Why the references are counted */
enum door_look {
	DOOR_LOOK_ONCE,		/* a system call lets go of the door */
	DOOR_LOOK_GOING,	/* a reference goes or went: look again */
	DOOR_LOOK_AGAIN,	/* a look again, maybe the last */
};

/*
 * Look again (at once if @now; the first after a going if @fresh),
 * holding a reference to the door; one look is pending at a time.  After the last
 * look, the others left are holders of the door, whose goings will tell,
 * or references door_call() and door_info() hold for longer, whose ends
 * look once (door->unref_recheck stays).  Under the pool's lock.
 */
static void door_unref_look_later(struct door *door, bool fresh, bool now)
{
	unsigned long delay;

	lockdep_assert_held(&door->pool->lock);
	if (fresh)
		door->unref_looks = 0;
	if (door->unref_looks >= DOOR_UNREF_LOOKS)
		return;
	delay = now ? 0 : msecs_to_jiffies(DOOR_UNREF_LOOK_MS <<
					   (2 * door->unref_looks));
	door->unref_looks++;
	refcount_inc(&door->ref);
	/* one pending already: moved, holding its own reference */
	if (mod_delayed_work(system_wq, &door->unref_work, delay))
		refcount_dec(&door->ref);
}

/* The door is gone, or will not be notified: no more looks (under lock) */
static void door_unref_stop_looking(struct door *door)
{
	lockdep_assert_held(&door->pool->lock);
	/* the caller holds a reference: not the last */
	if (cancel_delayed_work(&door->unref_work))
		refcount_dec(&door->ref);
	WRITE_ONCE(door->unref_recheck, false);
}

/*
 * What @left references mean for the notification; @event is the number
 * of the going that left them.  Returns true if more than one is left
 * and a notification may still come of their going.
 */
static bool door_unref_decide(struct door *door, long left, u64 event,
			      enum door_look why)
{
	struct door_pool *pool = door->pool;

	lockdep_assert_held(&pool->lock);
	if (door->unref == DOOR_UNREF_DONE || door->revoked || pool->dead) {
		/* nobody will serve it */
		door_unref_stop_looking(door);
		return false;
	}
	if (left < 1) {
		/* gone, not unreferenced */
		door_unref_stop_looking(door);
		return false;
	}
	if (left > 1) {
		if (door->unref != DOOR_UNREF_ARMED &&
		    !(door->attr & DOOR_UNREF_MULTI))
			return false;
		/* some may be going right now, or a system call's */
		if (why == DOOR_LOOK_GOING) {
			WRITE_ONCE(door->unref_recheck, true);
			door->unref_look_event = max(door->unref_look_event,
						     event);
			door_unref_look_later(door, true, false);
		}
		return true;
	}
	/*
	 * A look again after a going the last notification already saw
	 * (numbered before it was decided) tells nothing new, even if that
	 * one was served and the door is armed again.
	 */
	if (event <= door->unref_seen)
		return false;
	switch (door->unref) {
	case DOOR_UNREF_ARMED:
		WRITE_ONCE(door->unref_recheck, false);
		door->unref_seen = door->unref_events;
		/* Solaris' DOOR_DELAY: not while a call may use the cookie */
		if (door->active) {
			door->unref = DOOR_UNREF_DELAYED;
		} else {
			refcount_inc(&door->ref);
			door_unref_queue(pool, door);
		}
		break;
	case DOOR_UNREF_SERVING:
		/* unreferenced again while the last one is served: once more */
		if (door->attr & DOOR_UNREF_MULTI) {
			door->unref_again = true;
			door->unref_seen = door->unref_events;
		}
		break;
	default:
		/* the one delayed or queued comes after this going */
		break;
	}
	return false;
}

/* Count, then decide; numbers the going in *@event if it has none yet. */
static bool door_unref_look(struct door *door, unsigned int going, u64 *event,
			    enum door_look why)
{
	struct door_pool *pool = door->pool;
	long left;
	bool others;

	left = door_nr_refs(door) - going;
	spin_lock(&pool->lock);
	if (!*event)
		*event = ++door->unref_events;
	others = door_unref_decide(door, left, *event, why);
	if (others && why == DOOR_LOOK_AGAIN)
		door_unref_look_later(door, false, false);
	spin_unlock(&pool->lock);
	return others;
}

static void door_unref_work_fn(struct work_struct *work)
{
	struct door *door = container_of(to_delayed_work(work), struct door,
					 unref_work);
	u64 event;

	/* the last going that left others: what this look is about */
	spin_lock(&door->pool->lock);
	event = door->unref_look_event;
	spin_unlock(&door->pool->lock);
	if (event)
		door_unref_look(door, 0, &event, DOOR_LOOK_AGAIN);
	door_put(door);
}

/**
 * door_unref_init - a new door's notification, armed
 * @door:	the door
 */
void door_unref_init(struct door *door)
{
	INIT_LIST_HEAD(&door->unref_node);
	INIT_DELAYED_WORK(&door->unref_work, door_unref_work_fn);
}
EXPORT_SYMBOL_IF_KUNIT(door_unref_init);

/**
 * door_unref_check - references to the door are going, or went
 * @door:	the door
 * @going:	how many of those counted are about to go (0 if gone)
 *
 * Queues the notification if that leaves exactly one reference and the
 * door wants to know (none for a door whose last reference goes: it is
 * gone, not unreferenced), or delays it while calls to the door are
 * active.  If others are left, the door looks again in a while (some may
 * be going at the same moment, or be a system call's); returns true then.
 */
bool door_unref_check(struct door *door, unsigned int going)
{
	u64 event = 0;

	if (!(door->attr & (DOOR_UNREF | DOOR_UNREF_MULTI)))
		return false;
	return door_unref_look(door, going, &event, DOOR_LOOK_GOING);
}
EXPORT_SYMBOL_IF_KUNIT(door_unref_check);

/**
 * door_unref_recheck - a system call lets go of the door
 * @door:	the door
 * @going:	1 if it holds a reference to a file of the door, about to
 *		go; 0 if it held the door only
 *
 * If a close found other references meanwhile, this one may have been
 * among them.
 */
void door_unref_recheck(struct door *door, unsigned int going)
{
	u64 event = 0;

	if (READ_ONCE(door->unref_recheck))
		door_unref_look(door, going, &event, DOOR_LOOK_ONCE);
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
 * door_unref_undelay - the last active call to an unreferenced door ended
 * @door:	the door, DOOR_UNREF_DELAYED
 *
 * Under the pool's lock (door_active_end()).
 */
void door_unref_undelay(struct door *door)
{
	struct door_pool *pool = door->pool;

	lockdep_assert_held(&pool->lock);
	if (door->revoked || pool->dead) {
		door->unref = DOOR_UNREF_DONE;
		return;
	}
	/*
	 * The procedure may have handed the door out meanwhile: count again,
	 * at once (not under this lock), before telling.
	 */
	door->unref = DOOR_UNREF_ARMED;
	door->unref_look_event = ++door->unref_events;
	door_unref_look_later(door, true, true);
}

/**
 * door_thread_let_go - a server thread is done with a call whose caller
 * left it
 * @thr:	the thread
 *
 * The call was active until then: its procedure may have used the
 * door's cookie.
 */
void door_thread_let_go(struct door_thread *thr)
{
	/* the thread's pool: the door's, whose calls alone it serves */
	struct door_pool *pool = thr->pool;
	struct door *door;

	/* set by the caller under the lock (door_abandon()) */
	spin_lock(&pool->lock);
	door = thr->abandoned;
	thr->abandoned = NULL;
	if (door)
		door_active_end(door);
	spin_unlock(&pool->lock);
	if (door)
		door_put(door);
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
	thr->pages = NULL;
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
	if (again && !door->active) {
		door_unref_queue(pool, door);	/* keeps the reference */
	} else if (again) {
		door->unref = DOOR_UNREF_DELAYED;
		again = false;
	} else if (door->attr & DOOR_UNREF_MULTI) {
		door->unref = DOOR_UNREF_ARMED;
	} else {
		door->unref = DOOR_UNREF_DONE;
	}
	if (door->unref == DOOR_UNREF_DONE)
		WRITE_ONCE(door->unref_recheck, false);
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
