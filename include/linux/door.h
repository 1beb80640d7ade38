/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Doors: the hooks the rest of the kernel calls.  The system calls and
 * their state live in ipc/door/.
 */
#ifndef _LINUX_DOOR_H
#define _LINUX_DOOR_H

#include <linux/sched/signal.h>

#ifdef CONFIG_DOOR
void __door_exit(struct task_struct *tsk, bool group_dead);

/**
 * door_exit - a task is exiting: forget its door state
 * @tsk: the exiting task (current)
 * @group_dead: @tsk is the last live thread of its process
 *
 * A call the thread left ends (withdrawn, or abandoned and its results
 * discarded).  A server thread fails the call it was serving with
 * -EINTR.  When the whole process is gone, its doors stop taking calls
 * and the callers still waiting for a server thread get -EBADF.
 */
static inline void door_exit(struct task_struct *tsk, bool group_dead)
{
	if (tsk->door_thread || tsk->door_call ||
	    (group_dead && tsk->signal->door_pool))
		__door_exit(tsk, group_dead);
}

void __door_exec(struct task_struct *tsk);

/**
 * door_exec - the current process is exec()ing a new program
 * @tsk: current, the only thread left
 *
 * The new program serves none of the old one's doors: they behave as if
 * their server had died; a call the thread left ends.
 */
static inline void door_exec(struct task_struct *tsk)
{
	if (tsk->door_thread || tsk->door_call || tsk->signal->door_pool)
		__door_exec(tsk);
}

void __door_signal_delivered(struct ksignal *ksig, bool failed);

/**
 * door_signal_delivered - a signal handler's frame was set up, or not
 * @ksig: the signal and its action
 * @failed: the frame could not be set up (the task gets SIGSEGV)
 *
 * The first handler after the current thread left a door call (because
 * a signal was pending) decides the call's fate, as it decides whether
 * the system call restarts: the call ends now if the handler does not
 * restart system calls or never runs; otherwise it waits for the
 * handler's sigreturn and the system call made again.  Process context,
 * no locks held; may sleep.
 */
static inline void door_signal_delivered(struct ksignal *ksig, bool failed)
{
	if (current->door_call)
		__door_signal_delivered(ksig, failed);
}

void __door_sigreturn(void);

/**
 * door_sigreturn - a signal handler returned through sigreturn
 *
 * Called once the registers are restored.  Tells a door call the current
 * thread left that a handler which ran meanwhile has returned, so that
 * the system call made again finds the call (a handler that leaves by
 * longjmp() never gets here).
 */
static inline void door_sigreturn(void)
{
	if (current->door_call)
		__door_sigreturn();
}
#else
static inline void door_exit(struct task_struct *tsk, bool group_dead)
{
}

static inline void door_exec(struct task_struct *tsk)
{
}

static inline void door_signal_delivered(struct ksignal *ksig, bool failed)
{
}

static inline void door_sigreturn(void)
{
}
#endif

#endif /* _LINUX_DOOR_H */
