/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the door kselftests written after door_test.c: a server
 * thread with a per-call hook, a caller in a child process that reports
 * through a pipe, and looks at /proc (a thread's system call and state,
 * /proc/vmstat counters).
 */
#ifndef DOOR_UTIL_H
#define DOOR_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "door_sys.h"

#define DU_WAIT_MS	20000	/* for something that must happen */

static inline pid_t du_gettid(void)
{
	return syscall(SYS_gettid);
}

static inline void du_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Read a small /proc file; returns its length or -1. */
static inline int du_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Write @text to @path; 0 or -1. */
static inline int du_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* The system call thread @tid of @pid sleeps in, or -1. */
static inline long du_syscall_of(pid_t pid, pid_t tid)
{
	char path[64], buf[128];

	snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", pid, tid);
	if (du_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtol(buf, NULL, 10);
}

/*
 * Wait until thread @tid of @pid sleeps in system call @nr.  Where /proc
 * has no such thread (it belongs to another pid namespace), just give
 * the thread time to get there.
 */
static inline bool du_wait_syscall(pid_t pid, pid_t tid, long nr)
{
	char path[64];
	int ms;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", pid, tid);
	if (access(path, F_OK)) {
		du_sleep_ms(200);
		return true;
	}
	for (ms = 0; ms < DU_WAIT_MS; ms += 2) {
		if (du_syscall_of(pid, tid) == nr)
			return true;
		du_sleep_ms(2);
	}
	return false;
}

/* The state letter of thread @tid of @pid (R, S, D, T, t, I...), or '?'. */
static inline char du_state_of(pid_t pid, pid_t tid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	if (du_read(path, buf, sizeof(buf)) <= 0)
		return '?';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/* A counter of /proc/vmstat, or -1. */
static inline long long du_vmstat(const char *name)
{
	char line[128];
	long long v = -1;
	size_t len = strlen(name);
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, len) && line[len] == ' ') {
			v = atoll(line + len + 1);
			break;
		}
	fclose(f);
	return v;
}

/*
 * Pages pinned with FOLL_PIN and not yet let go, system-wide: 0 when no
 * one holds a pin.  Other pins come and go in an idle guest only rarely,
 * and those of a process still exiting go with it, so a nonzero value is
 * looked at again for a while.
 */
static inline long long du_pins_held(void)
{
	long long held = 0;
	int i;

	for (i = 0; i < DU_WAIT_MS / 20; i++) {
		/* fold the per-CPU deltas in, or the counts lag */
		du_write("/proc/sys/vm/stat_refresh", "1");
		held = du_vmstat("nr_foll_pin_acquired") -
		       du_vmstat("nr_foll_pin_released");
		if (!held)
			break;
		du_sleep_ms(20);
	}
	return held;
}

struct du_server;
/* Called with each call received; sets ra->result_ptr and result_size. */
typedef void (*du_hook)(struct du_server *s, struct door_return_args *ra);

/* One server thread of the current process. */
struct du_server {
	pthread_t thread;
	pid_t tid;
	unsigned char *rbuf;
	size_t rsize;
	du_hook hook;
	void *priv;
	/* counted by the thread */
	int calls;
	int eintrs;
	int errors;
	int last_errno;
	unsigned int flags_seen;	/* DOOR_RETURN_* of every call, or'ed */
	unsigned char reply[256];
};

/* The default hook: reply with the first data byte plus one, or 'z'. */
static inline void du_echo(struct du_server *s, struct door_return_args *ra)
{
	s->reply[0] = ra->data_size ? *(unsigned char *)ptr_of(ra->data_ptr) + 1
				    : 'z';
	ra->result_ptr = u64_of(s->reply);
	ra->result_size = 1;
}

static inline void *du_server_main(void *arg)
{
	struct du_server *s = arg;
	struct door_return_args ra;

	memset(&ra, 0, sizeof(ra));
	__atomic_store_n(&s->tid, du_gettid(), __ATOMIC_RELEASE);
	for (;;) {
		ra.rbuf = u64_of(s->rbuf);
		ra.rsize = s->rsize;
		if (door_return(&ra, 0)) {
			if (errno == EBADF)
				break;
			if (errno == EINTR)
				__atomic_add_fetch(&s->eintrs, 1, __ATOMIC_RELAXED);
			else
				__atomic_add_fetch(&s->errors, 1, __ATOMIC_RELAXED);
			s->last_errno = errno;
			ra.result_ptr = 0;
			ra.result_size = 0;
			continue;
		}
		__atomic_or_fetch(&s->flags_seen, ra.flags, __ATOMIC_RELAXED);
		ra.result_ptr = 0;
		ra.result_size = 0;
		(s->hook ? s->hook : du_echo)(s, &ra);
		if (ra.flags & DOOR_RETURN_MAPPED)
			munmap(ptr_of(ra.data_ptr), ra.data_size);
		__atomic_add_fetch(&s->calls, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* Start @s serving; returns once it waits in door_return(). */
static inline int du_server_start(struct du_server *s, size_t rsize)
{
	s->rsize = rsize;
	s->rbuf = rsize ? malloc(rsize) : NULL;
	if (rsize && !s->rbuf)
		return -1;
	if (pthread_create(&s->thread, NULL, du_server_main, s))
		return -1;
	while (!__atomic_load_n(&s->tid, __ATOMIC_ACQUIRE))
		du_sleep_ms(1);
	return du_wait_syscall(getpid(), s->tid, __NR_door_return) ? 0 : -1;
}

static inline bool du_count_reaches(int *counter, int n, int ms)
{
	for (; ms > 0; ms -= 2) {
		if (__atomic_load_n(counter, __ATOMIC_ACQUIRE) >= n)
			return true;
		du_sleep_ms(2);
	}
	return __atomic_load_n(counter, __ATOMIC_ACQUIRE) >= n;
}

/* What a caller in a child process reports through its pipe. */
struct du_report {
	int ret;
	int err;
	__u64 data_size;
	unsigned char first;
	int handled;			/* signals its handler saw */
};

/* One door_call() of @len bytes of @data, results into @rbuf. */
static inline int du_call(int fd, const void *data, size_t len, void *rbuf,
			  size_t rsize, struct door_arg *a)
{
	memset(a, 0, sizeof(*a));
	a->data_ptr = u64_of(data);
	a->data_size = len;
	a->rbuf = u64_of(rbuf);
	a->rsize = rsize;
	return door_call(fd, a, 0);
}

static inline int du_send_report(int wfd, int ret, int err,
				 const struct door_arg *a,
				 const unsigned char *rbuf, int handled)
{
	struct du_report r = {
		.ret = ret, .err = err, .data_size = a->data_size,
		.first = rbuf[0], .handled = handled,
	};

	return write(wfd, &r, sizeof(r)) == sizeof(r) ? 0 : -1;
}

/* Read a child's report, waiting at most @ms; 0 or -1. */
static inline int du_get_report(int rfd, struct du_report *r, int ms)
{
	for (; ms > 0; ms -= 5) {
		ssize_t n = read(rfd, r, sizeof(*r));

		if (n == sizeof(*r))
			return 0;
		if (n == 0 || (n < 0 && errno != EAGAIN))
			return -1;
		du_sleep_ms(5);
	}
	return -1;
}

/* Reap @pid, killing it first if it still runs after @ms. */
static inline int du_reap(pid_t pid, int ms)
{
	int status;

	for (; ms > 0; ms -= 5) {
		if (waitpid(pid, &status, WNOHANG | __WALL) == pid)
			return status;
		du_sleep_ms(5);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, __WALL);
	return -1;
}

/* Pass descriptor @fd over the Unix socket @sock; 0 or -1. */
static inline int du_send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = "d", .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) == 1 ? 0 : -1;
}

/* Receive a descriptor from the Unix socket @sock, or -1. */
static inline int du_recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))], d;
	struct iovec iov = { .iov_base = &d, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &mh, 0) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&mh);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
		errno = EPROTO;
		return -1;
	}
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

#endif /* DOOR_UTIL_H */
