// SPDX-License-Identifier: GPL-2.0
/*
 * Doors: callers that leave a call and come back to it.
 *
 * A thread's calls live in one object of its own (current->door_call),
 * made by its first door_call() and reused until it exits, so that a
 * call does not depend on the caller's kernel stack.  A caller with a
 * signal pending leaves door_call() with -ERESTARTSYS, whatever the
 * call's state, and the call goes on without it: it is "away".  The first
 * signal delivered after that decides the call's fate, as it decides
 * whether the system call restarts:
 *
 * - none (a stop, a ptrace trap, the freezer, task work, a signal another
 *   thread took): the system call is made again, from the same
 *   instruction with the same registers, and finds its call
 *   (door_call_came_back());
 * - a handler with SA_RESTART: the same, once every handler frame pushed
 *   since the call left has gone through sigreturn, the last of them back
 *   to the instruction that makes the system call again (door_sigreturn()
 *   counts them; a handler that leaves by longjmp() never gets there);
 * - a handler without SA_RESTART, or one whose frame could not be set up:
 *   the system call fails, and the call ends now
 *   (door_signal_delivered()): withdrawn if no server took it, abandoned
 *   if one did (its results are discarded, and the server told so), its
 *   results dropped if it had ended;
 * - a fatal signal, exit, exec, or a door_call() that is not the same
 *   system call made again (after a longjmp() out of the handler, from
 *   the handler itself, or with registers a tracer changed): the call ends
 *   the same way.
 *
 * A call ended while its handler runs (a handler's own door_call(), or a
 * handler without SA_RESTART delivered after the restart was decided)
 * leaves a tombstone: if the system call is made again all the same, it
 * fails with EINTR rather than being served a second time.
 *
 * The sigreturn hook is x86's; elsewhere the caller leaves with
 * -ERESTARTNOHAND, so that any handler ends the call with EINTR.
 *
 * Locking: the fields that say where the caller is (away, fresh, handler,
 * frames, handler_returned, site, and the tombstone's) are the calling
 * thread's own; the call's state is under its pool's lock, as in call.c.
 * An away call holds a reference to its door.
 */
#include <linux/door.h>
#include <linux/compat.h>
#include <linux/mm_types.h>
#include <linux/ptrace.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "door.h"

#ifdef CONFIG_X86
#define DOOR_SIGRETURN_HOOK	1
/* syscall, int $0x80, and the int $0x80 before sysenter's landing pad */
#define DOOR_SYSCALL_INSN_LEN	2
#else
#define DOOR_SIGRETURN_HOOK	0
#define DOOR_SYSCALL_INSN_LEN	0
#endif

/**
 * door_call_get_current - the calling thread's call object
 *
 * Made by the thread's first door_call(), reused by every later one and
 * freed when the thread exits or execs (door_call_free()), so that a call
 * with small arguments allocates nothing.  Returns NULL without memory.
 */
struct door_call *door_call_get_current(void)
{
	struct door_call *call = current->door_call;

	if (likely(call))
		return call;
	call = kzalloc(sizeof(*call), GFP_KERNEL_ACCOUNT);
	if (!call)
		return NULL;
	INIT_LIST_HEAD(&call->node);
	call->caller = current;
	/* only the caller knows its own; it stays until exec frees the call */
	call->task_size = TASK_SIZE;
	call->state = DOOR_CALL_NEW;
	door_buf_init(&call->buf);
	current->door_call = call;
	return call;
}

static void door_call_site_here(struct door_call_site *site, int fd,
				unsigned long uarg, unsigned int flags)
{
	struct pt_regs *regs = current_pt_regs();

	site->uarg = uarg;
	site->sp = user_stack_pointer(regs);
	site->ip = instruction_pointer(regs);
	site->flags = flags;
	site->fd = fd;
	site->compat = in_compat_syscall();
}

static bool door_call_site_eq(const struct door_call_site *a,
			      const struct door_call_site *b)
{
	return a->uarg == b->uarg && a->sp == b->sp && a->ip == b->ip &&
	       a->flags == b->flags && a->fd == b->fd && a->compat == b->compat;
}

/* Whether @regs, just restored by sigreturn, make the system call again */
static bool door_call_restarts(const struct door_call_site *site,
			       struct pt_regs *regs)
{
	return user_stack_pointer(regs) == site->sp &&
	       instruction_pointer(regs) + DOOR_SYSCALL_INSN_LEN == site->ip;
}

/**
 * door_call_leave - the caller leaves its call, which goes on
 * @call:	the current thread's call, not done
 * @fd:		the system call's arguments, to know it when it comes back
 * @uarg:	...
 * @flags:	...
 *
 * Returns what door_call() returns: -ERESTARTSYS, or -ERESTARTNOHAND
 * where a handler's return cannot be seen.  The call holds its door from
 * now until it ends; the caller's descriptor may not.
 */
long door_call_leave(struct door_call *call, int fd, unsigned long uarg,
		     unsigned int flags)
{
	if (!call->door_held) {
		refcount_inc(&call->door->ref);
		call->door_held = true;
	}
	door_call_site_here(&call->site, fd, uarg, flags);
	call->handler = false;
	call->handler_returned = false;
	call->frames = 0;
	call->fresh = true;
	call->away = true;
	return DOOR_SIGRETURN_HOOK ? -ERESTARTSYS : -ERESTARTNOHAND;
}

/**
 * door_call_came_back - whether this door_call() is the away one again
 * @call:	the current thread's call, away
 * @fd:		the system call's arguments
 * @uarg:	...
 * @flags:	...
 *
 * The same arguments, made from the same instruction with the same user
 * stack, and either no handler ran since the call left or the handler
 * that ran has returned through sigreturn: the system call restarted.
 */
bool door_call_came_back(struct door_call *call, int fd, unsigned long uarg,
			 unsigned int flags)
{
	struct door_call_site here;

	door_call_site_here(&here, fd, uarg, flags);
	if (!door_call_site_eq(&call->site, &here))
		return false;
	return !call->handler || call->handler_returned;
}

/**
 * door_call_ended_away - whether this door_call() is one whose call ended
 * while its handler ran, made again all the same
 * @call:	the current thread's call object
 * @fd:		the system call's arguments
 * @uarg:	...
 * @flags:	...
 *
 * It then fails with EINTR: the call is not served twice.  The tombstone
 * goes with the first door_call() after the handlers returned.
 */
bool door_call_ended_away(struct door_call *call, int fd, unsigned long uarg,
			  unsigned int flags)
{
	struct door_call_site here;

	if (!call->tomb || !call->tomb_restart)
		return false;
	call->tomb = false;
	door_call_site_here(&here, fd, uarg, flags);
	return door_call_site_eq(&call->tomb_site, &here);
}

/* The away call ends while a handler runs: remember where it was made */
static void door_call_bury(struct door_call *call)
{
	call->tomb = true;
	call->tomb_site = call->site;
	call->tomb_frames = call->frames;
	call->tomb_restart = false;
}

/* Whether another process shares the caller's memory */
static bool door_caller_mm_shared(void)
{
	return !current->mm || current->vfork_done ||
	       test_bit(MMF_MULTIPROCESS, &current->mm->flags);
}

/*
 * Whether the caller's memory goes with it: its process is being killed
 * or exits, and no other process shares its mm (vfork(), CLONE_VM).  A
 * thread that only exits, or a process whose memory lives on, waits.
 */
static bool door_caller_dying(void)
{
	if (!fatal_signal_pending(current) &&
	    !(READ_ONCE(current->signal->flags) & SIGNAL_GROUP_EXIT))
		return false;
	return !door_caller_mm_shared();
}

/*
 * Give up a call a server thread has taken; under the lock, which this
 * may drop.  The server's results will find no call and be discarded
 * (DOOR_RETURN_DISCARDED).  A server in the middle of a batch of the
 * caller's pages ends it first, with no fault, but maybe not soon (an RT
 * task or cpu.max may keep it off the CPU): a living caller waits for
 * it killably, so that it never reads what the caller writes next; one
 * whose memory goes with it (door_caller_dying()) hands its pinned pages
 * and their charge to the server thread, which lets them go after its
 * batch.
 */
static void door_abandon(struct door_call *call)
	__must_hold(&call->door->pool->lock)
{
	struct door_pool *pool = call->door->pool;
	struct door_thread *thr = call->server;
	unsigned int state;

	lockdep_assert_held(&pool->lock);
	/* still active, until the thread is done with it */
	WARN_ON_ONCE(thr->abandoned);
	refcount_inc(&call->door->ref);
	thr->abandoned = call->door;
	WRITE_ONCE(thr->call, NULL);
	call->server = NULL;
	/* memory that outlives the caller: wait whatever comes (a batch) */
	state = door_caller_mm_shared() ? TASK_UNINTERRUPTIBLE : TASK_KILLABLE;
	while (call->copying) {
		if (door_caller_dying()) {
			thr->pages_owned = true;
			thr->pin_mm = call->pin_mm;
			thr->nr_charged = call->nr_charged;
			call->pin_mm = NULL;
			call->pages = NULL;
			call->nr_pages = 0;
			WRITE_ONCE(call->copying, false);
			break;
		}
		spin_unlock(&pool->lock);
		for (;;) {
			set_current_state(state);
			if (!READ_ONCE(call->copying) ||
			    (state == TASK_KILLABLE &&
			     fatal_signal_pending(current)))
				break;
			schedule();
		}
		__set_current_state(TASK_RUNNING);
		spin_lock(&pool->lock);
	}
}

/**
 * door_call_drop - end an away call its caller will not come back to
 * @call:	the current thread's call, away
 *
 * Withdrawn if no server took it, abandoned if one did, its results
 * dropped if it ended.  In the caller's context, which may sleep (for a
 * server's batch of copies from the caller's pages); closes the caller's
 * DOOR_RELEASE descriptors, as for a call ended by EINTR.
 */
void door_call_drop(struct door_call *call)
{
	struct door_pool *pool = call->door->pool;

	might_sleep();
	spin_lock(&pool->lock);
	switch (call->state) {
	case DOOR_CALL_QUEUED:
		list_del_init(&call->node);
		door_active_end(call->door);
		break;
	case DOOR_CALL_HANDED:
		/* the thread has not woken yet: it serves another call */
		door_hand_over_or_idle(pool, call->server);
		call->server = NULL;
		door_active_end(call->door);
		break;
	case DOOR_CALL_ACTIVE:
		door_abandon(call);
		break;
	default:
		break;
	}
	WRITE_ONCE(call->state, DOOR_CALL_DONE);
	spin_unlock(&pool->lock);
	call->away = false;
	/* it ends as for EINTR: DOOR_RELEASE descriptors go */
	door_xfer_release(call->args_xfer);
	door_call_end(call);
}

/**
 * door_call_drop_nested - another door_call() than the away one
 * @call:	the current thread's call, away
 *
 * The away call will not be made again (a longjmp() out of its handler,
 * registers a tracer changed) or is interrupted by a handler's own call:
 * it ends, with a tombstone if handlers are running.
 */
void door_call_drop_nested(struct door_call *call)
{
	if (call->frames)
		door_call_bury(call);
	door_call_drop(call);
}

void __door_signal_delivered(struct ksignal *ksig, bool failed)
{
	struct door_call *call = current->door_call;
	bool decides;

	if (!failed && call->tomb) {
		call->tomb_frames++;
		call->tomb_restart = false;
	}
	if (!call->away)
		return;
	if (!failed) {
		call->frames++;
		call->handler_returned = false;
	}
	/* the first delivery decides whether the system call restarts */
	decides = call->fresh;
	call->fresh = false;
	if (!decides)
		return;
	if (failed || !(ksig->ka.sa.sa_flags & SA_RESTART) ||
	    !DOOR_SIGRETURN_HOOK) {
		/* the system call fails (EINTR, or SIGSEGV): its call ends */
		door_call_bury(call);
		door_call_drop(call);
		return;
	}
	call->handler = true;
}

void __door_sigreturn(void)
{
	struct door_call *call = current->door_call;
	struct pt_regs *regs = current_pt_regs();

	if (call->tomb && call->tomb_frames && !--call->tomb_frames)
		call->tomb_restart = door_call_restarts(&call->tomb_site, regs);
	if (call->away && call->frames && !--call->frames)
		call->handler_returned = door_call_restarts(&call->site, regs);
}

/**
 * door_call_free - a thread exits or execs: its call ends, its object goes
 * @tsk:	current
 */
void door_call_free(struct task_struct *tsk)
{
	struct door_call *call = tsk->door_call;

	if (call->away)
		door_call_drop(call);
	tsk->door_call = NULL;
	kfree(call);
}
