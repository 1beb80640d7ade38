/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libdoor internals: the system calls, and what the client side
 * (door.c), the server threads (server.c) and credentials (ucred.c)
 * share.
 */
#ifndef _LIBDOOR_H
#define _LIBDOOR_H

#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* the kernel's structures, under tags of their own: Solaris has them */
#define door_arg	linux_door_arg
#define door_info	linux_door_info
#define door_desc	linux_door_desc
#include <linux/door.h>
#undef door_arg
#undef door_info
#undef door_desc
/* the kernel's is a number, Solaris' a pointer */
#undef DOOR_UNREF_DATA
/* <sys/door.h> has them, spelled its way */
#undef DOOR_CREATE_MASK
#undef DOOR_NO_DEPLETION_CB
#undef DOOR_PRIVCREATE

#include "door.h"

/* Numbers from <linux/door.h>, for C libraries that predate them */
#ifndef __NR_door_create
#define __NR_door_create	500
#define __NR_door_call		501
#define __NR_door_return	502
#define __NR_door_info		503
#define __NR_door_revoke	504
#define __NR_door_ucred		505
#define __NR_door_getparam	506
#define __NR_door_setparam	507
#endif
#ifndef __NR_door_bind
#define __NR_door_bind		508
#define __NR_door_unbind	509
#endif
#ifndef __NR_door_ucred_groups
#define __NR_door_ucred_groups	510
#endif
#ifndef __NR_door_bind_id
#define __NR_door_bind_id	511
#endif

#define DOOR_HIDDEN __attribute__((visibility("hidden")))

/* Fails to compile when @cond is false */
#define DOOR_BUILD_CHECK(cond)	((void)sizeof(char[1 - 2 * !(cond)]))

/* Most supplementary groups a ucred_t holds */
#define UCRED_MAX_GROUPS	256

/* door_desc_in(): arrays this long are translated on the stack */
#define DOOR_DESC_ON_STACK	8

DOOR_HIDDEN int door_desc_in(const door_desc_t *from, uint_t n,
			     struct linux_door_desc *buf, uint_t bufn,
			     const void **out);
DOOR_HIDDEN void door_desc_done(const void *desc, struct linux_door_desc *buf);
DOOR_HIDDEN void door_desc_received(door_desc_t *desc, uint_t n);

struct ucred_s {
	pid_t pid;
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	int ngroups;		/* -1: not known */
	gid_t groups[UCRED_MAX_GROUPS];
};

static inline __u64 door_u64(const void *p)
{
	return (__u64)(uintptr_t)p;
}

static inline void *door_ptr(__u64 v)
{
	return (void *)(uintptr_t)v;
}

/* server.c: a new door may need server threads */
DOOR_HIDDEN void door_pool_start(void);
/* door_private_start(): the descriptor was closed before it began */
#define DOOR_START_GONE		(-2)
DOOR_HIDDEN int door_private_start(int fd, door_xcreate_server_func_t *crf,
				   door_xcreate_thrsetup_func_t *setupf,
				   void *crcookie, int nthread);

#endif /* _LIBDOOR_H */
