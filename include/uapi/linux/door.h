/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Doors: synchronous calls from one process into a server process.
 *
 * A door is a file descriptor created by a server process.  Whoever holds
 * the descriptor may call it; the server's threads wait in door_return(),
 * each call is handed to one of them, and the caller sleeps until that
 * thread returns the results.  See Documentation/userspace-api/door.rst.
 *
 * One ABI for 32-bit and 64-bit callers: every structure has fixed-width
 * fields and pointers travel as __u64, so a 32-bit program on a 64-bit
 * kernel uses the same system calls and structures.
 *
 * System call numbers, the same on x86-64, i386 and the architectures
 * that use the generic table (chosen above the numbers upstream had
 * assigned by 6.18 and below the x32 range):
 *
 *	500 door_create		long door_create(unsigned long proc,
 *						 unsigned long cookie,
 *						 unsigned int attributes);
 *	501 door_call		long door_call(int fd, struct door_arg *arg,
 *					       unsigned int flags);
 *	502 door_return		long door_return(struct door_return_args *args,
 *						 unsigned int flags);
 *	503 door_info		long door_info(int fd, struct door_info *info);
 *	504 door_revoke		long door_revoke(int fd);
 *	505 door_ucred		long door_ucred(struct door_ucred *ucred);
 *	506 door_getparam	long door_getparam(int fd, unsigned int param,
 *						   __u64 *value);
 *	507 door_setparam	long door_setparam(int fd, unsigned int param,
 *						   unsigned long value);
 *	508 door_bind		long door_bind(int fd);
 *	509 door_unbind		long door_unbind(void);
 *	510 door_ucred_groups	long door_ucred_groups(__u32 *groups, int size);
 *	511 door_bind_id	long door_bind_id(const __u64 *id);
 *
 * Scalars are unsigned long, so that 32-bit callers pass each in one
 * register; door_info() reports proc and cookie as __u64.
 */
#ifndef _UAPI_LINUX_DOOR_H
#define _UAPI_LINUX_DOOR_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* door_create() attributes, also reported by door_info() */
#define DOOR_UNREF		0x0001	/* unreferenced notification */
#define DOOR_PRIVATE		0x0002	/* its own pool of server threads */
#define DOOR_UNREF_MULTI	0x0010	/* repeated notification */
#define DOOR_REFUSE_DESC	0x0040	/* calls carrying descriptors fail */
#define DOOR_NO_CANCEL		0x0080	/* never cancel a server thread */
/*
 * Solaris' door_xcreate() attributes of a private door, kept and
 * reported for the library that manages its threads; only with
 * DOOR_PRIVATE.
 */
#define DOOR_NO_DEPLETION_CB	0x0100	/* threads made once, at creation */
#define DOOR_PRIVCREATE		0x0200	/* a creation function of its own */

/* Attributes only door_info() reports */
#define DOOR_LOCAL		0x0004	/* the caller's process serves it */
#define DOOR_REVOKED		0x0008	/* revoked, or its server died */
#define DOOR_IS_UNREF		0x0020	/* no other descriptor refers to it */

/* struct door_desc attributes */
#define DOOR_DESCRIPTOR		0x10000	/* @fd is a file descriptor */
#define DOOR_RELEASE		0x40000	/* close the sender's once passed */

/* What door_create() accepts today */
#define DOOR_CREATE_MASK	(DOOR_UNREF | DOOR_PRIVATE | DOOR_UNREF_MULTI | \
				 DOOR_REFUSE_DESC | DOOR_NO_CANCEL | \
				 DOOR_NO_DEPLETION_CB | DOOR_PRIVCREATE)

/*
 * door_return_args.data_ptr of an unreferenced notification: no data,
 * no descriptors, the door's procedure and cookie.
 */
#define DOOR_UNREF_DATA		1

/*
 * door_info()'s @fd for the private door the calling thread is bound to
 * (as of its next door_return()), Solaris' value.
 */
#define DOOR_QUERY		(-2)

/*
 * Data that fits here travels in a buffer inside the call's own kernel
 * state: a call that small allocates nothing.
 */
#define DOOR_INLINE_SIZE	128

/*
 * The most argument data one call can carry (E2BIG beyond).  Results have
 * no such limit: the caller's memory is theirs.
 */
#define DOOR_DATA_LIMIT		(16U << 20)

/* The most descriptors one call or its results can carry */
#define DOOR_DESC_LIMIT		256

/**
 * struct door_desc - a descriptor passed with arguments or results
 * @attributes:	DOOR_DESCRIPTOR, and DOOR_RELEASE to close the sender's
 *		descriptor (a caller's when door_call() returns, unless it
 *		fails with EFAULT or EBADF); on receipt
 *		DOOR_DESCRIPTOR, with a door's DOOR_* attributes if it is one
 *		(DOOR_LOCAL if the receiver serves it, DOOR_REVOKED if it is
 *		revoked or its server gone)
 * @reserved:	must be 0
 * @fd:		the descriptor: the sender's, or the new one, close-on-exec
 * @reserved2:	must be 0
 * @id:		on receipt, the door's unique id if it is a door, else 0
 *
 * A received array follows the data, 8-byte aligned, in the same buffer.
 * The layout is that of Solaris' door_desc_t on 64-bit systems.
 */
struct door_desc {
	__u32 attributes;
	__u32 reserved;
	__s32 fd;
	__u32 reserved2;
	__aligned_u64 id;
};

/**
 * struct door_arg - arguments and results of door_call()
 * @data_ptr:	in: the argument data; out: the result data (in @rbuf)
 * @data_size:	in: size of the argument data; out: size of the results
 * @desc_ptr:	in: descriptors to pass (struct door_desc); out: those
 *		received, in @rbuf after the data
 * @desc_num:	in: how many to pass; out: how many received
 * @reserved:	must be 0
 * @rbuf:	in: where the results go; out: a new mapping, if they did
 *		not fit, which the caller unmaps (munmap(rbuf, rsize))
 * @rsize:	size of @rbuf, in and out
 */
struct door_arg {
	__u64 data_ptr;
	__u64 data_size;
	__u64 desc_ptr;
	__u32 desc_num;
	__u32 reserved;
	__u64 rbuf;
	__u64 rsize;
};

/* door_return_args.flags, set by the kernel (ignored on input) */
#define DOOR_RETURN_LAST	0x0001	/* no other thread of the pool waits */
#define DOOR_RETURN_MAPPED	0x0002	/* data is in a new mapping; munmap it */
#define DOOR_RETURN_DISCARDED	0x0004	/* earlier results reached nobody */

/**
 * struct door_return_args - a server thread's door_return()
 * @result_ptr:	in: results of the call this thread is serving, if any
 * @result_size: in: their size, without limit: results the caller has
 *		no room for fail its call (ENOMEM for its memory cgroup,
 *		EOVERFLOW for its address space), not the door_return()
 * @result_desc_ptr: in: descriptors passed with the results
 * @result_desc_num: in: how many
 * @flags:	out: DOOR_RETURN_* (what it holds on input is ignored, so a
 *		server may pass the same structure back)
 * @rbuf:	in: where the next call's data should go
 * @rsize:	in: size of @rbuf
 * @data_ptr:	out: the next call's data: @rbuf, or if DOOR_RETURN_MAPPED
 *		a new mapping of the data and descriptors (up to the end of
 *		the descriptor array, rounded up to pages)
 * @data_size:	out: size of the data
 * @desc_ptr:	out: descriptors received (struct door_desc), after the data
 * @desc_num:	out: how many
 * @reserved:	must be 0
 * @proc:	out: the procedure value of the door that was called
 * @cookie:	out: the cookie value of the door that was called
 */
struct door_return_args {
	__u64 result_ptr;
	__u64 result_size;
	__u64 result_desc_ptr;
	__u32 result_desc_num;
	__u32 flags;
	__u64 rbuf;
	__u64 rsize;
	__u64 data_ptr;
	__u64 data_size;
	__u64 desc_ptr;
	__u32 desc_num;
	__u32 reserved;
	__u64 proc;
	__u64 cookie;
};

/**
 * struct door_info - what door_info() reports
 * @target:	process id of the server (in the caller's pid namespace),
 *		-1 once the server process has died or if it has no id there
 * @attributes:	DOOR_* attributes, DOOR_LOCAL and DOOR_REVOKED included
 * @proc:	procedure value given to door_create(); 0 unless the caller
 *		is the server process or may ptrace it (PTRACE_MODE_READ)
 * @cookie:	cookie value given to door_create(); 0 likewise
 * @id:		unique id of the door, never reused while the system runs
 * @reserved:	0
 */
struct door_info {
	__s32 target;
	__u32 attributes;
	__u64 proc;
	__u64 cookie;
	__u64 id;
	__u64 reserved[2];
};

/**
 * struct door_ucred - credentials of the caller of the call being served
 * @pid:	the caller's process id (in the server's pid namespace), -1 if
 *		it has none there
 * @uid:	real user id
 * @euid:	effective user id
 * @suid:	saved user id
 * @gid:	real group id
 * @egid:	effective group id
 * @sgid:	saved group id
 * @reserved:	0
 *
 * Ids are seen from the server's user namespace; one with no mapping
 * there reads as the overflow id (65534 by default).
 */
struct door_ucred {
	__s32 pid;
	__u32 uid;
	__u32 euid;
	__u32 suid;
	__u32 gid;
	__u32 egid;
	__u32 sgid;
	__u32 reserved;
};

/* door_getparam() / door_setparam() parameters */
#define DOOR_PARAM_DESC_MAX	1	/* most descriptors per call */
#define DOOR_PARAM_DATA_MIN	2	/* least argument data per call */
#define DOOR_PARAM_DATA_MAX	3	/* most argument data per call */

/* door_getparam(): the door sets no limit of its own (DATA_MAX's default) */
#define DOOR_PARAM_NO_LIMIT	(~(__u64)0)

/* Names: doorfs, a flat directory of door names (mount -t doorfs) */
#define DOORFS_MAGIC		0x646f6f72	/* "door" */

/**
 * struct doorfs_attach - DOORFS_IOC_ATTACH, on a doorfs directory
 * @fd:		a door descriptor
 * @mode:	permission bits of the name (less the umask)
 * @name:	the new name in the directory, a string
 *
 * Needs write and search permission on the directory; EEXIST if the
 * name is taken.  unlink() removes it.
 */
struct doorfs_attach {
	__s32 fd;
	__u32 mode;
	__u64 name;
	__u64 reserved;		/* must be 0 */
};

#define DOORFS_IOC_ATTACH	_IOW('D', 0x01, struct doorfs_attach)

#endif /* _UAPI_LINUX_DOOR_H */
