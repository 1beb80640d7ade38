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
 * A server thread fails the call it was serving with -EINTR.  When the
 * whole process is gone, its doors stop taking calls and the callers
 * still waiting for a server thread get -EBADF.
 */
static inline void door_exit(struct task_struct *tsk, bool group_dead)
{
	if (tsk->door_thread || (group_dead && tsk->signal->door_pool))
		__door_exit(tsk, group_dead);
}

void __door_exec(struct task_struct *tsk);

/**
 * door_exec - the current process is exec()ing a new program
 * @tsk: current, the only thread left
 *
 * The new program serves none of the old one's doors: they behave as if
 * their server had died.
 */
static inline void door_exec(struct task_struct *tsk)
{
	if (tsk->door_thread || tsk->signal->door_pool)
		__door_exec(tsk);
}
#else
static inline void door_exit(struct task_struct *tsk, bool group_dead)
{
}

static inline void door_exec(struct task_struct *tsk)
{
}
#endif

#endif /* _LINUX_DOOR_H */
