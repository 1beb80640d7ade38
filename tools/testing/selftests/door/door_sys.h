/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the door selftests share: the system calls (no libc wrappers
 * exist), pointer conversions for the fixed-width ABI fields, and the
 * data pattern every test fills and checks.
 *
 * The arguments are void * so that tests can pass bad pointers on
 * purpose.  proc, cookie and the setparam value are unsigned long in the
 * kernel: one register each, on 32-bit as on 64-bit.
 */
#ifndef DOOR_SYS_H
#define DOOR_SYS_H

#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/door.h>

static inline __u64 u64_of(const void *p)
{
	return (__u64)(uintptr_t)p;
}

static inline void *ptr_of(__u64 v)
{
	return (void *)(uintptr_t)v;
}

static inline int door_create(unsigned long proc, unsigned long cookie,
			      unsigned int attributes)
{
	return syscall(__NR_door_create, proc, cookie, attributes);
}

static inline int door_call(int fd, void *arg, unsigned int flags)
{
	return syscall(__NR_door_call, fd, arg, flags);
}

static inline int door_return(void *args, unsigned int flags)
{
	return syscall(__NR_door_return, args, flags);
}

static inline int door_info(int fd, void *info)
{
	return syscall(__NR_door_info, fd, info);
}

static inline int door_revoke(int fd)
{
	return syscall(__NR_door_revoke, fd);
}

static inline int door_ucred(void *ucred)
{
	return syscall(__NR_door_ucred, ucred);
}

#ifndef __NR_door_ucred_groups
#define __NR_door_ucred_groups	510
#endif

static inline int door_ucred_groups(__u32 *groups, int size)
{
	return syscall(__NR_door_ucred_groups, groups, size);
}

#ifndef __NR_door_bind
#define __NR_door_bind		508
#endif
#ifndef __NR_door_unbind
#define __NR_door_unbind	509
#endif
#ifndef __NR_door_bind_id
#define __NR_door_bind_id	511
#endif

static inline int door_bind(int fd)
{
	return syscall(__NR_door_bind, fd);
}

static inline int door_bind_id(const __u64 *id)
{
	return syscall(__NR_door_bind_id, id);
}

static inline int door_unbind(void)
{
	return syscall(__NR_door_unbind);
}

static inline int door_getparam(int fd, unsigned int param, void *value)
{
	return syscall(__NR_door_getparam, fd, param, value);
}

static inline int door_setparam(int fd, unsigned int param,
				unsigned long value)
{
	return syscall(__NR_door_setparam, fd, param, value);
}

/* splitmix64: the pattern generator */
static inline __u64 mix64(__u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Fill @len bytes with the pattern @seed: byte i depends on i and @seed. */
static inline void pat_fill(void *buf, size_t len, __u64 seed)
{
	unsigned char *p = buf;
	size_t i, k;
	__u64 w;

	for (i = 0; i < len; i += 8) {
		w = mix64(seed + i / 8);
		for (k = 0; k < 8 && i + k < len; k++)
			p[i + k] = w >> (k * 8);
	}
}

/* Offset of the first byte of @buf that breaks pattern @seed, or -1. */
static inline long pat_check(const void *buf, size_t len, __u64 seed)
{
	const unsigned char *p = buf;
	size_t i, k;
	__u64 w;

	for (i = 0; i < len; i += 8) {
		w = mix64(seed + i / 8);
		for (k = 0; k < 8 && i + k < len; k++)
			if (p[i + k] != (unsigned char)(w >> (k * 8)))
				return i + k;
	}
	return -1;
}

#endif /* DOOR_SYS_H */
