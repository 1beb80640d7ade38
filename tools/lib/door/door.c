// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libdoor: door descriptors and calls, the Solaris door_create(3C),
 * door_call(3C), door_info(3C), door_revoke(3C) and door_getparam(3C)
 * family over the Linux system calls.  No state of its own: every
 * function converts its arguments to the kernel's fixed-width ABI and
 * back.  door_call() is a cancellation point, as on Solaris.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "libdoor.h"

static int door_create_common(door_server_procedure_t *server_procedure,
			      void *cookie, uint_t attributes,
			      door_xcreate_server_func_t *crf,
			      door_xcreate_thrsetup_func_t *setupf,
			      void *crcookie, int nthread)
{
	int fd, err, ret;

	/* one or the other, as door_create(3C) says */
	if ((attributes & (DOOR_UNREF | DOOR_UNREF_MULTI)) ==
	    (DOOR_UNREF | DOOR_UNREF_MULTI)) {
		errno = EINVAL;
		return -1;
	}
	fd = syscall(__NR_door_create, (unsigned long)server_procedure,
		     (unsigned long)cookie, attributes);
	if (fd < 0)
		return -1;
	/*
	 * A private door's threads bind to it; the others share a pool.
	 * No thread now (pthread_create() failed) is no failure: the next
	 * DOOR_RETURN_LAST, or door_create(), tries again, as on illumos.
	 * door_xcreate()'s threads must all start, or there is no door.
	 */
	if (!(attributes & DOOR_PRIVATE)) {
		door_pool_start();
		return fd;
	}
	ret = door_private_start(fd, crf, setupf, crcookie, nthread);
	if (ret == DOOR_START_GONE && crf) {
		/* closed by another thread: the number is not ours */
		errno = EBADF;
		return -1;
	}
	if (ret == -1 && crf) {
		err = errno;
		door_revoke(fd);
		errno = err;
		return -1;
	}
	return fd;
}

int door_create(door_server_procedure_t *server_procedure, void *cookie,
		uint_t attributes)
{
	/* door_xcreate()'s alone */
	if (attributes & (DOOR_NO_DEPLETION_CB | DOOR_PRIVCREATE)) {
		errno = EINVAL;
		return -1;
	}
	return door_create_common(server_procedure, cookie, attributes, NULL,
				  NULL, NULL, 0);
}

int door_xcreate(door_server_procedure_t *server_procedure, void *cookie,
		 uint_t attributes, door_xcreate_server_func_t *cf,
		 door_xcreate_thrsetup_func_t *sf, void *crcookie, int nthread)
{
	if ((attributes & DOOR_PRIVCREATE) || nthread < 1 || !cf) {
		errno = EINVAL;
		return -1;
	}
	return door_create_common(server_procedure, cookie,
				  attributes | DOOR_PRIVATE | DOOR_PRIVCREATE,
				  cf, sf, crcookie, nthread);
}

/*
 * Descriptors as the kernel takes them.  Solaris programs fill a
 * door_desc_t field by field, leaving its padding and the rest of d_data
 * as the stack left them, and Solaris' kernel reads the fields only; the
 * Linux system calls refuse non-zero reserved words, so libdoor hands
 * them zeroed copies of the fields (DOOR_DESCRIPTOR, DOOR_RELEASE and
 * the descriptor: the other attributes a received array carries are
 * ignored when it is passed on, as on Solaris).  @n entries of @from go
 * to @buf if @n <= @bufn, else to a malloc()ed array, freed by
 * door_desc_done(); *@out is the array for the kernel.  The array is
 * read with process_vm_readv() on the calling thread, so that one that
 * is not there is passed on untouched, and the kernel fails the call
 * with EFAULT as Solaris does, instead of libdoor crashing; so is one of
 * more than DOOR_DESC_LIMIT (E2BIG or ENFILE from the kernel).  -1 with
 * errno ENOMEM if no array can be had.
 */
DOOR_HIDDEN int door_desc_in(const door_desc_t *from, uint_t n,
			     struct linux_door_desc *buf, uint_t bufn,
			     const void **out)
{
	struct linux_door_desc *to = buf;
	struct iovec local, remote;
	door_desc_t d;
	ssize_t got;
	uint_t i;

	*out = from;
	if (!n || !from || n > DOOR_DESC_LIMIT)
		return 0;
	if (n > bufn) {
		to = malloc(n * sizeof(*to));
		if (!to) {
			errno = ENOMEM;
			return -1;
		}
	}
	local.iov_base = to;
	local.iov_len = n * sizeof(*to);
	remote.iov_base = (void *)from;
	remote.iov_len = local.iov_len;
	/* the thread, not the process: its leader may have exited */
	got = process_vm_readv(syscall(SYS_gettid), &local, 1, &remote, 1,
			       0);
	if (got < 0 && errno != EFAULT) {
		/* not allowed here (a seccomp filter): trust the pointer */
		memcpy(to, from, local.iov_len);
	} else if (got != (ssize_t)local.iov_len) {
		door_desc_done(to, buf);
		return 0;
	}
	/* in place: entries of both layouts are 24 bytes */
	for (i = 0; i < n; i++) {
		memcpy(&d, &to[i], sizeof(d));
		memset(&to[i], 0, sizeof(to[i]));
		to[i].attributes = d.d_attributes &
				   (DOOR_DESCRIPTOR | DOOR_RELEASE);
		to[i].fd = d.d_data.d_desc.d_descriptor;
	}
	*out = to;
	return 0;
}

DOOR_HIDDEN void door_desc_done(const void *desc, struct linux_door_desc *buf)
{
	if (desc != buf)
		free((void *)desc);
}

/* A translated array to free when a cancelled door_call() unwinds */
struct door_desc_copy {
	const void *desc;
	const void *from;
	struct linux_door_desc *buf;
};

static void door_desc_cleanup(void *arg)
{
	struct door_desc_copy *c = arg;

	if (c->desc != c->from)
		door_desc_done(c->desc, c->buf);
}

/* door_set_cloexec(): received descriptors stay close-on-exec */
static int door_cloexec;

int door_set_cloexec(int on)
{
	return __atomic_exchange_n(&door_cloexec, !!on, __ATOMIC_RELAXED);
}

/*
 * A received array, in the kernel's layout, in Solaris' (in place: both
 * are 24 bytes an entry).  Descriptors received (the kernel installs
 * them close-on-exec) are not close-on-exec on Solaris: a program hands
 * them to the programs it exec()s.  Until this runs, a fork() and exec()
 * in another thread does not pass them on, the safe way round.
 */
DOOR_HIDDEN void door_desc_received(door_desc_t *desc, uint_t n)
{
	bool cloexec = __atomic_load_n(&door_cloexec, __ATOMIC_RELAXED);
	struct linux_door_desc k;
	uint_t i;

	for (i = 0; i < n; i++) {
		memcpy(&k, &desc[i], sizeof(k));
		memset(&desc[i], 0, sizeof(desc[i]));
		desc[i].d_attributes = k.attributes;
		desc[i].d_data.d_desc.d_descriptor = k.fd;
		desc[i].d_data.d_desc.d_id = k.id;
		if (!cloexec && (k.attributes & DOOR_DESCRIPTOR))
			fcntl(k.fd, F_SETFD, 0);
	}
}

/*
 * The system call, as a cancellation point (door_call(3C) is one on
 * Solaris): a thread cancelled while it waits for the server ends at
 * once.  The kernel lets the caller leave its call to run glibc's
 * cancellation handler, and ends the call when the thread exits.
 */
static int door_call_cancellable(int d, struct linux_door_arg *arg)
{
	int type, ret, err;

	/* door_call() tested for a cancellation before it allocated */
	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, &type);
	ret = syscall(__NR_door_call, d, arg, 0);
	err = errno;
	pthread_setcanceltype(type, NULL);
	errno = err;
	return ret;
}

int door_call(int d, door_arg_t *params)
{
	struct linux_door_arg arg = { 0 };
	struct linux_door_desc buf[DOOR_DESC_ON_STACK];
	struct door_desc_copy c = { .buf = buf };
	int ret;

	/* received arrays are translated where the kernel put them */
	DOOR_BUILD_CHECK(sizeof(door_desc_t) == sizeof(struct linux_door_desc));

	/* NULL: no arguments, no results wanted */
	/* a thread cancelled already allocates nothing */
	pthread_testcancel();
	if (params) {
		c.from = params->desc_ptr;
		if (door_desc_in(params->desc_ptr, params->desc_num, buf,
				 DOOR_DESC_ON_STACK, &c.desc))
			return -1;
		arg.data_ptr = door_u64(params->data_ptr);
		arg.data_size = params->data_size;
		arg.desc_ptr = door_u64(c.desc);
		arg.desc_num = params->desc_num;
		arg.rbuf = door_u64(params->rbuf);
		arg.rsize = params->rsize;
	}
	pthread_cleanup_push(door_desc_cleanup, &c);
	ret = door_call_cancellable(d, params ? &arg : NULL);
	pthread_cleanup_pop(0);
	if (c.desc != c.from) {
		int err = errno;

		door_desc_done(c.desc, buf);
		errno = err;
	}
	if (ret)
		return -1;
	if (params) {
		params->data_ptr = door_ptr(arg.data_ptr);
		params->data_size = arg.data_size;
		params->desc_ptr = door_ptr(arg.desc_ptr);
		params->desc_num = arg.desc_num;
		door_desc_received(params->desc_ptr, params->desc_num);
		params->rbuf = door_ptr(arg.rbuf);
		params->rsize = arg.rsize;
	}
	return 0;
}

/*
 * door_info(), door_cred() and door_getparam() have the kernel write its
 * structure where the program's goes, and translate it there: a bad
 * pointer is EFAULT, as on Solaris, not a crash in libdoor.
 */
int door_info(int d, door_info_t *info)
{
	struct linux_door_info di;

	DOOR_BUILD_CHECK(sizeof(di) == sizeof(*info));
	if (syscall(__NR_door_info, d, info))
		return -1;
	memcpy(&di, info, sizeof(di));
	memset(info, 0, sizeof(*info));
	info->di_target = di.target;
	info->di_proc = di.proc;
	info->di_data = di.cookie;
	info->di_attributes = di.attributes;
	info->di_uniquifier = di.id;
	return 0;
}

/* As on Solaris, revoking also closes the descriptor. */
int door_revoke(int d)
{
	if (syscall(__NR_door_revoke, d))
		return -1;
	close(d);
	return 0;
}

int door_getparam(int d, int param, size_t *out)
{
	__u64 value;

	/* a 64-bit size_t is the kernel's __u64, "no limit" SIZE_MAX */
	if (sizeof(*out) == sizeof(value))
		return syscall(__NR_door_getparam, d, param, out) ? -1 : 0;
	if (syscall(__NR_door_getparam, d, param, &value))
		return -1;
	/* a 64-bit server's limit a 32-bit size_t cannot hold */
	if (value != DOOR_PARAM_NO_LIMIT && value > SIZE_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	*out = value > SIZE_MAX ? SIZE_MAX : (size_t)value;
	return 0;
}

int door_setparam(int d, int param, size_t val)
{
	if (!syscall(__NR_door_setparam, d, param, (unsigned long)val))
		return 0;
	/* door_setparam(3C): a value beyond the range is ERANGE */
	if (errno == EINVAL && param == DOOR_PARAM_DESC_MAX && val > INT_MAX)
		errno = ERANGE;
	return -1;
}

int door_cred(door_cred_t *info)
{
	struct door_ucred uc;

	DOOR_BUILD_CHECK(sizeof(uc) <= sizeof(*info));
	if (syscall(__NR_door_ucred, info))
		return -1;
	memcpy(&uc, info, sizeof(uc));
	memset(info, 0, sizeof(*info));
	info->dc_euid = uc.euid;
	info->dc_egid = uc.egid;
	info->dc_ruid = uc.uid;
	info->dc_rgid = uc.gid;
	info->dc_pid = uc.pid;
	return 0;
}
