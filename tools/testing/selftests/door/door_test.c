// SPDX-License-Identifier: GPL-2.0
/*
 * Functional tests of the door system calls: door_create(), door_call(),
 * door_return(), door_info(), door_revoke(), door_ucred(), door_getparam()
 * and door_setparam(), called through syscall() so that the same source
 * builds 64-bit and 32-bit (-m32) and needs no library.
 *
 * A door call crosses from one thread to another, usually to another
 * process, and its data takes one of three kernel paths by size: the
 * call's inline buffer (up to 128 bytes), a cached extension buffer (up to
 * 16 KiB) or a copy straight from the caller's pages; the server's
 * receive buffer may be too small, and the data then arrives in a new
 * mapping.  A call can also end early in many ways: a signal to the
 * caller while it is queued or being served, the server thread or the
 * whole server process dying, the door being revoked.  Each test checks
 * one documented behaviour exactly: data against position-dependent
 * patterns at every size boundary, errors by their exact errno and in the
 * documented order of the checks, and what each side sees when the other
 * goes away.
 *
 * Server threads loop in door_return() and hand each call to the test's
 * handler.  They never use ASSERT/EXPECT (which longjmp() on the test's
 * stack) but record what they saw, and the test thread checks it; any
 * unexpected server-side error fails the test at teardown.  Forked
 * helpers report through shared memory and their exit status.  Teardown
 * stops server threads blocked in door_return() with a signal whose
 * handler is installed without SA_RESTART, so that door_return() fails
 * with EINTR and the thread sees the stop flag.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/door.h>

#include "../kselftest_harness.h"
#include "door_sys.h"
#include "door_util.h"

#define TEST_TIMEOUT	120		/* seconds, per test */
#define WAIT_MS		20000		/* for something that must happen */
#define GUARD_MS	5000		/* for a call that must not block */
#define MAX_SERVERS	4
#define MAX_FDS		16
#define MAX_ASYNC	4
#define MAX_KIDS	4
#define MAX_RECS	64
#define MAX_STEPS	8
#define BIG_DATA	(1024 * 1024)	/* largest call of the size tests */
#define CANARY		0xa5

/* proc and cookie values; unsigned long in the kernel, so 32 bits on i386 */
#define PROC_A		(0x0123456789abcdefULL & ULONG_MAX)
#define COOKIE_A	(0xfedcba9876543210ULL & ULONG_MAX)
#define PROC_B		(0x1111111122222222ULL & ULONG_MAX)
#define COOKIE_B	(0x3333333344444444ULL & ULONG_MAX)

/* The sizes every data path is tried with: each side of each boundary */
static const size_t sizes[] = {
	0, 1, 127, 128, 129, 4095, 4096, 4097, 16384, 16385, 65536, BIG_DATA,
};

/* The errno of a call that failed with -1, 0 if it succeeded. */
static int err_of(long ret)
{
	if (ret == -1)
		return errno;
	return ret < 0 ? -1000 : 0;
}

/* The harness prints the call's text when these fail. */
#define EXPECT_ERRNO(_err, _call)	EXPECT_EQ(_err, err_of(_call))
#define ASSERT_ERRNO(_err, _call)	ASSERT_EQ(_err, err_of(_call))

static pid_t sys_gettid(void)
{
	return syscall(SYS_gettid);
}

/* Offset of the first byte of @buf that is not @c, or -1. */
static long mem_check(const void *buf, size_t len, unsigned char c)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != c)
			return i;
	return -1;
}

/* Request and reply patterns of the size tests, and the reply size. */
static __u64 req_seed(__u64 size)
{
	return mix64(0x5245510000000000ULL + size);
}

static __u64 rep_seed(__u64 size)
{
	return mix64(0x5245500000000000ULL + size);
}

static size_t rep_size(size_t size)
{
	return size + size / 2 + 1;
}

static void nop_handler(int sig)
{
	(void)sig;
}

/* SIGUSR1 and SIGALRM interrupt system calls: no SA_RESTART. */
static int install_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = nop_handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) || sigaction(SIGALRM, &sa, NULL))
		return -1;
	return 0;
}

/*
 * Arm (@ms > 0) or disarm the SIGALRM timer of the process.  It goes off
 * again every 50 ms until disarmed: a thread delayed past the first one
 * on its way into the call it is to interrupt still sees the next.
 */
static int set_timer(int ms)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = ms / 1000;
	it.it_value.tv_usec = ms % 1000 * 1000;
	if (ms > 0)
		it.it_interval.tv_usec = 50000;
	return setitimer(ITIMER_REAL, &it, NULL);
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Deadline @ms from now on CLOCK_REALTIME, for the *timed* functions. */
static struct timespec deadline(int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += ms % 1000 * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/*
 * Join @t within @ms milliseconds; with @poke, send it SIGUSR1 every
 * 50 ms meanwhile (a signal that arrives just before the thread blocks
 * is lost, so it is repeated).  Returns 0 or a negative error number.
 */
static int join_within(pthread_t t, int ms, bool poke)
{
	struct timespec ts;
	int ret;

	for (;;) {
		if (poke)
			pthread_kill(t, SIGUSR1);
		ts = deadline(50);
		ret = pthread_timedjoin_np(t, NULL, &ts);
		if (ret != ETIMEDOUT)
			return -ret;
		ms -= 50;
		if (ms <= 0)
			return -ETIMEDOUT;
	}
}

/*
 * Wait until thread @tid of process @pid sleeps in system call @nr, as
 * /proc/PID/task/TID/syscall shows.  Without that file, just give the
 * thread time to get there.
 */
static bool wait_in_syscall(pid_t pid, pid_t tid, long nr)
{
	char path[64], buf[128], *end;
	int waited, fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", pid, tid);
	for (waited = 0; waited < WAIT_MS; waited += 2) {
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			sleep_ms(500);
			return true;
		}
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			if (strtol(buf, &end, 10) == nr && end != buf)
				return true;
		}
		sleep_ms(2);
	}
	return false;
}

/* Wait until *@counter reaches @n. */
static bool wait_count(int *counter, int n, int ms)
{
	for (; ms > 0; ms -= 2) {
		if (__atomic_load_n(counter, __ATOMIC_ACQUIRE) >= n)
			return true;
		sleep_ms(2);
	}
	return __atomic_load_n(counter, __ATOMIC_ACQUIRE) >= n;
}

/* A thread's start: leave SIGALRM to the test thread, publish the tid. */
static void thread_start(pid_t *tid)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	__atomic_store_n(tid, sys_gettid(), __ATOMIC_RELEASE);
}

static bool wait_tid(pid_t *tid)
{
	int ms;

	for (ms = 0; ms < WAIT_MS; ms++) {
		if (__atomic_load_n(tid, __ATOMIC_ACQUIRE))
			return true;
		sleep_ms(1);
	}
	return false;
}

struct door_env;
struct srv_thread;

/* What a server thread saw of one call */
struct call_rec {
	__u64 data_size;
	__u64 proc;
	__u64 cookie;
	__u64 tag;		/* first 8 bytes of the data, if any */
	__u32 flags;
	bool in_rbuf;		/* data_ptr == rbuf */
	long bad;		/* first wrong data byte; -1 good; -2 unchecked */
	pid_t tid;		/* the server thread */
	int ret;		/* handler-specific results */
	int err[3];
	struct door_ucred uc;
	int ngroups[3];		/* door_ucred_groups(): count, short, all */
	int groups_err;		/* errno of the short one */
	__u32 groups[4];
};

/*
 * Per-test call handler: look at the call described by @ra (data at
 * ra->data_ptr), fill in @r, point *@res at the results (which must stay
 * valid until the next door_return()) and return their size.
 */
typedef size_t (*handler_t)(struct door_env *e, struct srv_thread *st,
			    const struct door_return_args *ra,
			    struct call_rec *r, const void **res);

struct srv_thread {
	struct door_env *e;
	pthread_t thread;
	bool running;		/* created and not joined */
	pid_t tid;
	unsigned char *rbuf;	/* receive buffer */
	size_t rbuf_len;	/* its mapped length */
	size_t rsize;		/* the size door_return() is told */
	unsigned char *reply;	/* result buffer */
	size_t reply_len;
	struct call_rec spare;	/* when recs[] is full */
};

/* A door_call() in a thread of its own */
struct async_call {
	pthread_t thread;
	bool running;
	pid_t tid;
	int fd;
	struct door_arg arg;
	unsigned char data[64];
	unsigned char rbuf[256];
	int ret;
	int err;
};

/* A forked helper's report: where it failed, and values it hands back */
struct child_report {
	int line;
	int err;
	char what[160];
	__u64 val[4];
};

/* One door_return() of a scripted server thread */
struct step {
	int ret;
	int err;
	__u64 data_ptr;
	__u64 data_size;
	__u32 flags;
	long bad;
};

/*
 * Everything a test shares with its threads and children.  It lives in a
 * shared mapping, not on the test's stack, which a failed ASSERT leaves.
 */
struct door_env {
	long page;

	/* the server pool: every thread of this process in door_return() */
	handler_t handler;
	int nthreads;
	struct srv_thread th[MAX_SERVERS];
	int stop;		/* teardown: server threads exit on EINTR */
	int taken;		/* recs[] handed out */
	int calls;		/* calls received (recs[] filled) */
	int efaults;		/* door_return() failed with EFAULT */
	int eintrs;		/* door_return() failed with EINTR */
	int errors;		/* anything unexpected on the server side */
	bool poison;		/* garbage in door_return()'s output fields */
	pthread_mutex_t lock;
	char msg[256];		/* the first unexpected thing */
	struct call_rec recs[MAX_RECS];

	/* handler helpers */
	int gate[2];		/* blocking handlers read a byte from it */
	sem_t got;		/* blocking handlers post it first */
	int nested_fd;		/* the door h_nested calls */
	unsigned char *bad;	/* PROT_NONE area for scripted servers */
	size_t bad_len;
	struct step steps[MAX_STEPS];

	int fds[MAX_FDS];	/* closed (doors revoked first) at teardown */
	struct async_call ac[MAX_ASYNC];
	pid_t kids[MAX_KIDS];	/* killed at teardown if still there */
	struct child_report rep;
};

static size_t page_round(struct door_env *e, size_t n)
{
	return (n + e->page - 1) / e->page * e->page;
}

static bool stopping(struct door_env *e)
{
	return __atomic_load_n(&e->stop, __ATOMIC_ACQUIRE);
}

static void __printf(2, 3)
pool_fail(struct door_env *e, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&e->lock);
	if (!e->errors++) {
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&e->lock);
}

/* Remember a descriptor for teardown; returns @fd. */
static int track_fd(struct door_env *e, int fd)
{
	int i;

	if (fd < 0)
		return fd;
	for (i = 0; i < MAX_FDS; i++) {
		if (e->fds[i] < 0) {
			e->fds[i] = fd;
			return fd;
		}
	}
	close(fd);
	errno = EMFILE;
	return -1;
}

static int untrack_close(struct door_env *e, int fd)
{
	int i;

	for (i = 0; i < MAX_FDS; i++)
		if (e->fds[i] == fd)
			e->fds[i] = -1;
	return close(fd);
}

static int new_door(struct door_env *e, unsigned long proc,
		    unsigned long cookie, unsigned int attributes)
{
	return track_fd(e, door_create(proc, cookie, attributes));
}

/* A descriptor number that is certainly not open. */
static int closed_fd(void)
{
	int fd = open("/", O_RDONLY);

	if (fd >= 0)
		close(fd);
	return fd < 0 ? 1000 : fd;
}

static void *map(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Let @n blocked handlers go on. */
static void gate_open(struct door_env *e, int n)
{
	char c[64];

	memset(c, 'g', sizeof(c));
	while (n > 0) {
		ssize_t w = write(e->gate[1], c, n < 64 ? n : 64);

		if (w <= 0)
			break;
		n -= w;
	}
}

/* In a handler: wait for the test to open the gate (or teardown). */
static bool gate_wait(struct door_env *e)
{
	char c;

	for (;;) {
		ssize_t n = read(e->gate[0], &c, 1);

		if (n == 1)
			return true;
		if (n < 0 && errno == EINTR && !stopping(e))
			continue;
		return false;
	}
}

/* In the test: wait until a handler posted e->got. */
static bool got_wait(struct door_env *e)
{
	struct timespec ts = deadline(WAIT_MS);

	for (;;) {
		if (!sem_timedwait(&e->got, &ts))
			return true;
		if (errno != EINTR)
			return false;
	}
}

static void check_delivery(struct door_env *e, struct srv_thread *st,
			   const struct door_return_args *ra)
{
	if (ra->desc_ptr || ra->desc_num)
		pool_fail(e, "call delivered with desc_ptr %#llx desc_num %u",
			  (unsigned long long)ra->desc_ptr, ra->desc_num);
	if (ra->flags & ~(DOOR_RETURN_LAST | DOOR_RETURN_MAPPED |
			  DOOR_RETURN_DISCARDED))
		pool_fail(e, "unknown door_return flags %#x", ra->flags);
	if (ra->flags & DOOR_RETURN_MAPPED) {
		if (ra->data_size <= st->rsize)
			pool_fail(e, "%llu bytes mapped, rsize %zu",
				  (unsigned long long)ra->data_size,
				  st->rsize);
		if (ra->data_ptr % e->page || ra->data_ptr == u64_of(st->rbuf))
			pool_fail(e, "mapped data at %#llx",
				  (unsigned long long)ra->data_ptr);
	} else if (ra->data_ptr != u64_of(st->rbuf) ||
		   ra->data_size > st->rsize) {
		pool_fail(e, "%llu bytes at %#llx, rbuf %p rsize %zu",
			  (unsigned long long)ra->data_size,
			  (unsigned long long)ra->data_ptr, st->rbuf,
			  st->rsize);
	}
}

/* Describe the call just received in a fresh record. */
static struct call_rec *rec_new(struct door_env *e, struct srv_thread *st,
				const struct door_return_args *ra)
{
	int i = __atomic_fetch_add(&e->taken, 1, __ATOMIC_ACQ_REL);
	struct call_rec *r = i < MAX_RECS ? &e->recs[i] : &st->spare;

	memset(r, 0, sizeof(*r));
	r->data_size = ra->data_size;
	r->proc = ra->proc;
	r->cookie = ra->cookie;
	r->flags = ra->flags;
	r->in_rbuf = ra->data_ptr == u64_of(st->rbuf);
	r->bad = -2;
	r->tid = st->tid;
	if (ra->data_size >= sizeof(r->tag))
		memcpy(&r->tag, ptr_of(ra->data_ptr), sizeof(r->tag));
	return r;
}

/*
 * A server thread: wait for calls in door_return(), hand each to
 * e->handler, return its results with the next door_return().  EINTR
 * ends the thread once the test stops.
 */
static void *server_main(void *arg)
{
	struct srv_thread *st = arg;
	struct door_env *e = st->e;
	struct door_return_args ra;
	const void *res = NULL;
	size_t res_size = 0;
	struct call_rec *r;
	int err;

	thread_start(&st->tid);
	for (;;) {
		memset(&ra, 0, sizeof(ra));
		if (e->poison) {
			ra.data_ptr = ~0ULL;
			ra.data_size = ~0ULL;
			ra.desc_ptr = ~0ULL;
			ra.desc_num = ~0U;
			ra.proc = ~0ULL;
			ra.cookie = ~0ULL;
		}
		ra.result_ptr = u64_of(res);
		ra.result_size = res_size;
		ra.rbuf = u64_of(st->rbuf);
		ra.rsize = st->rsize;
		if (door_return(&ra, 0)) {
			err = errno;
			res = NULL;
			res_size = 0;
			if (err == EINTR) {
				if (stopping(e))
					break;
				__atomic_fetch_add(&e->eintrs, 1,
						   __ATOMIC_ACQ_REL);
				continue;
			}
			if (err == EFAULT) {
				__atomic_fetch_add(&e->efaults, 1,
						   __ATOMIC_ACQ_REL);
				continue;
			}
			pool_fail(e, "server %d: door_return: %s", st->tid,
				  strerror(err));
			break;
		}
		check_delivery(e, st, &ra);
		r = rec_new(e, st, &ra);
		__atomic_fetch_add(&e->calls, 1, __ATOMIC_ACQ_REL);
		res_size = e->handler(e, st, &ra, r, &res);
		if ((ra.flags & DOOR_RETURN_MAPPED) &&
		    munmap(ptr_of(ra.data_ptr), page_round(e, ra.data_size)))
			pool_fail(e, "munmap of the call's data: %s",
				  strerror(errno));
	}
	return NULL;
}

/*
 * Start @n server threads running @fn (server_main if NULL), each with a
 * receive buffer of @rsize bytes and a result buffer of @reply_len, and
 * wait until each sleeps in door_return().  Returns 0 or -errno.
 */
static int add_servers(struct door_env *e, int n, size_t rsize,
		       size_t reply_len, void *(*fn)(void *))
{
	struct srv_thread *st;
	int ret;

	while (n--) {
		if (e->nthreads == MAX_SERVERS)
			return -ENOSPC;
		st = &e->th[e->nthreads];
		memset(st, 0, sizeof(*st));
		st->e = e;
		st->rsize = rsize;
		st->rbuf_len = page_round(e, rsize ? rsize : 1);
		st->rbuf = map(st->rbuf_len, PROT_READ | PROT_WRITE);
		st->reply_len = page_round(e, reply_len ? reply_len : 1);
		st->reply = map(st->reply_len, PROT_READ | PROT_WRITE);
		if (!st->rbuf || !st->reply)
			return -ENOMEM;
		ret = pthread_create(&st->thread, NULL,
				     fn ? fn : server_main, st);
		if (ret)
			return -ret;
		st->running = true;
		e->nthreads++;
		if (!wait_tid(&st->tid) ||
		    !wait_in_syscall(getpid(), st->tid, __NR_door_return))
			return -ETIMEDOUT;
	}
	return 0;
}

static void *async_main(void *arg)
{
	struct async_call *ac = arg;

	thread_start(&ac->tid);
	ac->ret = door_call(ac->fd, &ac->arg, 0);
	ac->err = ac->ret ? errno : 0;
	return NULL;
}

/*
 * Start door_call(@fd) with @len (<= 64) bytes of @data in a new thread.
 * Returns 0 or -errno.
 */
static int async_start(struct door_env *e, int i, int fd, const void *data,
		       size_t len)
{
	struct async_call *ac = &e->ac[i];
	int ret;

	if (ac->running || len > sizeof(ac->data))
		return -EBUSY;
	memset(ac, 0, sizeof(*ac));
	ac->fd = fd;
	memcpy(ac->data, data, len);
	ac->arg.data_ptr = u64_of(ac->data);
	ac->arg.data_size = len;
	ac->arg.rbuf = u64_of(ac->rbuf);
	ac->arg.rsize = sizeof(ac->rbuf);
	ret = pthread_create(&ac->thread, NULL, async_main, ac);
	if (ret)
		return -ret;
	ac->running = true;
	return wait_tid(&ac->tid) ? 0 : -ETIMEDOUT;
}

/* Wait for async call @i to end by itself. */
static bool async_join(struct door_env *e, int i)
{
	struct async_call *ac = &e->ac[i];

	if (!ac->running)
		return true;
	if (join_within(ac->thread, WAIT_MS, false))
		return false;
	ac->running = false;
	return true;
}

/*
 * Fork a helper.  It dies with the test process: a failed ASSERT in this
 * harness does not always get to the teardown that would kill it.
 */
static pid_t spawn(struct door_env *e)
{
	pid_t parent = getpid(), pid;
	int i;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (!pid) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(1);
		return 0;
	}
	if (pid > 0) {
		for (i = 0; i < MAX_KIDS; i++) {
			if (!e->kids[i]) {
				e->kids[i] = pid;
				break;
			}
		}
	}
	return pid;
}

/* Wait up to @ms for child @pid (killing it after that); its status. */
static int reap(struct door_env *e, pid_t pid, int ms)
{
	int status = -1, i;
	pid_t w;

	for (; ms > 0; ms -= 5) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid || w < 0)
			break;
		sleep_ms(5);
	}
	if (ms <= 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		status = -1;
	}
	for (i = 0; i < MAX_KIDS; i++)
		if (e->kids[i] == pid)
			e->kids[i] = 0;
	return status;
}

/* Reap a helper and report why it failed; true if it exited with 0. */
static bool child_ok(struct __test_metadata *_metadata, struct door_env *e,
		     pid_t pid)
{
	int status = reap(e, pid, WAIT_MS);

	if (status == -1) {
		TH_LOG("helper %d did not finish in time", pid);
		return false;
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return true;
	if (WIFSIGNALED(status))
		TH_LOG("helper %d: killed by signal %d", pid, WTERMSIG(status));
	else if (e->rep.line)
		TH_LOG("helper %d, line %d: %s failed (errno %d, %s)", pid,
		       e->rep.line, e->rep.what, e->rep.err,
		       strerror(e->rep.err));
	else
		TH_LOG("helper %d: exit status %d", pid, WEXITSTATUS(status));
	return false;
}

static void __noreturn
child_fail(struct door_env *e, int line, const char *what)
{
	e->rep.err = errno;
	e->rep.line = line;
	snprintf(e->rep.what, sizeof(e->rep.what), "%s", what);
	_exit(1);
}

/* In a forked helper: never ASSERT/EXPECT, report and exit instead. */
#define CHILD_CHECK(_e, _cond) do {				\
	if (!(_cond))						\
		child_fail((_e), __LINE__, #_cond);		\
} while (0)

/* Read one byte from @fd within @ms. */
static int read_byte(int fd, int ms)
{
	char c;

	for (; ms > 0; ms -= 5) {
		ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT);

		if (n == 1)
			return c;
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			return -1;
		sleep_ms(5);
	}
	return -1;
}

/* A call of @len bytes of @data, results into @rbuf; fills *@arg. */
static int call(int fd, struct door_arg *arg, const void *data, size_t len,
		void *rbuf, size_t rsize)
{
	memset(arg, 0, sizeof(*arg));
	arg->data_ptr = u64_of(data);
	arg->data_size = len;
	arg->rbuf = u64_of(rbuf);
	arg->rsize = rsize;
	return door_call(fd, arg, 0);
}

/* Handlers */

/* Check the size test's request pattern; answer another of another size. */
static size_t h_echo(struct door_env *e, struct srv_thread *st,
		     const struct door_return_args *ra, struct call_rec *r,
		     const void **res)
{
	size_t n = rep_size(ra->data_size);

	r->bad = pat_check(ptr_of(ra->data_ptr), ra->data_size,
			   req_seed(ra->data_size));
	if (n > st->reply_len) {
		pool_fail(e, "a %zu-byte reply does not fit", n);
		return 0;
	}
	pat_fill(st->reply, n, rep_seed(ra->data_size));
	*res = st->reply;
	return n;
}

/* Request of h_want: the size and pattern of the results wanted */
struct want {
	__u64 size;
	__u64 seed;
};

static size_t h_want(struct door_env *e, struct srv_thread *st,
		     const struct door_return_args *ra, struct call_rec *r,
		     const void **res)
{
	struct want w;

	if (ra->data_size != sizeof(w)) {
		pool_fail(e, "want handler: %llu bytes of request",
			  (unsigned long long)ra->data_size);
		return 0;
	}
	memcpy(&w, ptr_of(ra->data_ptr), sizeof(w));
	if (w.size > st->reply_len) {
		pool_fail(e, "want handler: %llu bytes wanted",
			  (unsigned long long)w.size);
		return 0;
	}
	r->bad = -1;
	pat_fill(st->reply, w.size, w.seed);
	*res = st->reply;
	return w.size;
}

static const char released[] = "released";

/* Tell the test, then hold the call until the test opens the gate. */
static size_t h_block(struct door_env *e, struct srv_thread *st,
		      const struct door_return_args *ra, struct call_rec *r,
		      const void **res)
{
	(void)st;
	(void)ra;
	(void)r;
	sem_post(&e->got);
	gate_wait(e);
	*res = released;
	return sizeof(released);
}

/* The server thread exits in the middle of the call. */
static size_t h_exit(struct door_env *e, struct srv_thread *st,
		     const struct door_return_args *ra, struct call_rec *r,
		     const void **res)
{
	(void)st;
	(void)ra;
	(void)r;
	(void)res;
	sem_post(&e->got);
	pthread_exit(NULL);
}

/* Answer the 8-byte tag of the call, inverted. */
static size_t h_count(struct door_env *e, struct srv_thread *st,
		      const struct door_return_args *ra, struct call_rec *r,
		      const void **res)
{
	__u64 v = ~r->tag;

	(void)e;
	(void)ra;
	memcpy(st->reply, &v, sizeof(v));
	*res = st->reply;
	return sizeof(v);
}

/* door_ucred() with bad pointers, then for real; answer the result. */
static size_t h_ucred(struct door_env *e, struct srv_thread *st,
		      const struct door_return_args *ra, struct call_rec *r,
		      const void **res)
{
	(void)e;
	(void)ra;
	r->err[0] = err_of(door_ucred(NULL));
	r->err[1] = err_of(door_ucred((void *)1));
	memset(&r->uc, 0xff, sizeof(r->uc));
	r->ret = door_ucred(&r->uc);
	r->err[2] = r->ret ? errno : 0;
	r->ngroups[0] = door_ucred_groups(NULL, 0);
	r->ngroups[1] = door_ucred_groups(r->groups, 1);
	r->groups_err = r->ngroups[1] < 0 ? errno : 0;
	r->ngroups[2] = door_ucred_groups(r->groups, 4);
	memcpy(st->reply, &r->uc, sizeof(r->uc));
	*res = st->reply;
	return sizeof(r->uc);
}

/* What h_nested answers to "nest" */
struct nest_reply {
	__s32 ret;
	__s32 err;
	__u64 size;
	unsigned char data[16];
};

/*
 * "nest": call e->nested_fd with "leaf" from inside the handler and
 * answer what that call returned.  Anything else: answer it reversed.
 */
static size_t h_nested(struct door_env *e, struct srv_thread *st,
		       const struct door_return_args *ra, struct call_rec *r,
		       const void **res)
{
	const unsigned char *data = ptr_of(ra->data_ptr);
	struct nest_reply nr;
	struct door_arg a;
	size_t i;

	if (ra->data_size == 4 && !memcmp(data, "nest", 4)) {
		memset(&nr, 0, sizeof(nr));
		sem_post(&e->got);
		nr.ret = call(e->nested_fd, &a, "leaf", 4, nr.data,
			      sizeof(nr.data));
		nr.err = nr.ret ? errno : 0;
		nr.size = a.data_size;
		r->ret = nr.ret;
		r->err[0] = nr.err;
		memcpy(st->reply, &nr, sizeof(nr));
		*res = st->reply;
		return sizeof(nr);
	}
	if (ra->data_size > st->reply_len) {
		pool_fail(e, "nesting handler: %llu bytes",
			  (unsigned long long)ra->data_size);
		return 0;
	}
	for (i = 0; i < ra->data_size; i++)
		st->reply[i] = data[ra->data_size - 1 - i];
	*res = st->reply;
	return ra->data_size;
}

FIXTURE(door) {
	struct door_env *e;
};

FIXTURE_SETUP(door)
{
	struct door_env *e;
	int i;

	e = mmap(NULL, sizeof(*e), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(e != MAP_FAILED);
	self->e = e;
	e->page = sysconf(_SC_PAGESIZE);
	e->handler = h_echo;
	e->nested_fd = -1;
	for (i = 0; i < MAX_FDS; i++)
		e->fds[i] = -1;
	ASSERT_EQ(0, pthread_mutex_init(&e->lock, NULL));
	ASSERT_EQ(0, sem_init(&e->got, 0, 0));
	ASSERT_EQ(0, pipe(e->gate));
	ASSERT_EQ(0, install_handlers());
	/* A helper that bails out must not kill the test with SIGPIPE. */
	ASSERT_TRUE(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
}

FIXTURE_TEARDOWN(door)
{
	struct door_env *e = self->e;
	bool all_joined = true;
	int i;

	__atomic_store_n(&e->stop, 1, __ATOMIC_RELEASE);
	set_timer(0);
	gate_open(e, 64);
	/* Queued callers fail with EBADF; non-doors and others' doors fail. */
	for (i = 0; i < MAX_FDS; i++)
		if (e->fds[i] >= 0)
			door_revoke(e->fds[i]);
	for (i = 0; i < MAX_KIDS; i++) {
		if (e->kids[i] > 0) {
			kill(e->kids[i], SIGKILL);
			waitpid(e->kids[i], NULL, 0);
		}
	}
	for (i = 0; i < e->nthreads; i++) {
		struct srv_thread *st = &e->th[i];

		if (st->running && join_within(st->thread, WAIT_MS, true)) {
			TH_LOG("server thread %d does not stop", st->tid);
			_metadata->exit_code = KSFT_FAIL;
			all_joined = false;
			continue;
		}
		st->running = false;
		munmap(st->rbuf, st->rbuf_len);
		munmap(st->reply, st->reply_len);
	}
	for (i = 0; i < MAX_ASYNC; i++) {
		struct async_call *ac = &e->ac[i];

		if (ac->running && join_within(ac->thread, WAIT_MS, true)) {
			TH_LOG("calling thread %d does not stop", ac->tid);
			_metadata->exit_code = KSFT_FAIL;
			all_joined = false;
		}
	}
	for (i = 0; i < MAX_FDS; i++)
		if (e->fds[i] >= 0)
			close(e->fds[i]);
	close(e->gate[0]);
	close(e->gate[1]);
	if (e->bad)
		munmap(e->bad, e->bad_len);
	/* (not EXPECT: after a failed ASSERT it would log anyway) */
	if (e->errors) {
		TH_LOG("%d unexpected things on the server side, first: %s",
		       e->errors, e->msg);
		_metadata->exit_code = KSFT_FAIL;
	}
	if (all_joined) {
		sem_destroy(&e->got);
		pthread_mutex_destroy(&e->lock);
		munmap(e, sizeof(*e));
	}
}

/*
 * door_create() takes DOOR_CREATE_MASK and nothing else, info-only
 * attributes included; door_info() reports what was given plus
 * DOOR_LOCAL (and DOOR_IS_UNREF for a door that asked for notification
 * and has no other descriptor).
 */
TEST_F_TIMEOUT(door, create_attributes, TEST_TIMEOUT)
{
	static const unsigned int bad[] = {
		DOOR_LOCAL, DOOR_REVOKED, DOOR_IS_UNREF,
		DOOR_REFUSE_DESC | DOOR_LOCAL, DOOR_UNREF | DOOR_IS_UNREF,
		DOOR_DESCRIPTOR, DOOR_RELEASE, DOOR_NO_DEPLETION_CB,
		DOOR_PRIVCREATE | DOOR_UNREF, 0x800, 0x80000000U, ~0U,
	};
	struct door_env *e = self->e;
	struct door_info info;
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		fd = door_create(1, 2, bad[i]);
		EXPECT_EQ(EINVAL, err_of(fd))
			TH_LOG("attributes %#x", bad[i]);
		if (fd >= 0)
			close(fd);
	}

	fd = new_door(e, 1, 2, DOOR_REFUSE_DESC);
	ASSERT_LE(0, fd) TH_LOG("DOOR_REFUSE_DESC: %s", strerror(errno));
	ASSERT_EQ(0, door_info(fd, &info));
	EXPECT_EQ((__u32)(DOOR_REFUSE_DESC | DOOR_LOCAL), info.attributes);

	fd = new_door(e, 1, 2, DOOR_NO_CANCEL | DOOR_REFUSE_DESC);
	ASSERT_LE(0, fd) TH_LOG("DOOR_NO_CANCEL: %s", strerror(errno));
	ASSERT_EQ(0, door_info(fd, &info));
	EXPECT_EQ((__u32)(DOOR_NO_CANCEL | DOOR_REFUSE_DESC | DOOR_LOCAL),
		  info.attributes);

	fd = new_door(e, 1, 2, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, door_info(fd, &info));
	EXPECT_EQ((__u32)DOOR_LOCAL, info.attributes);

	fd = new_door(e, 1, 2, DOOR_UNREF | DOOR_UNREF_MULTI | DOOR_PRIVATE);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, door_info(fd, &info));
	EXPECT_EQ((__u32)(DOOR_UNREF | DOOR_UNREF_MULTI | DOOR_PRIVATE |
			  DOOR_LOCAL | DOOR_IS_UNREF), info.attributes);

	/* door_xcreate()'s, kept for the library, on private doors */
	fd = new_door(e, 1, 2, DOOR_PRIVATE | DOOR_PRIVCREATE |
			       DOOR_NO_DEPLETION_CB);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, door_info(fd, &info));
	EXPECT_EQ((__u32)(DOOR_PRIVATE | DOOR_PRIVCREATE | DOOR_NO_DEPLETION_CB |
			  DOOR_LOCAL), info.attributes);
}

/*
 * The descriptor: read-write, close-on-exec, an anonymous inode named
 * "[door]" that fstat() works on; and the default limits.
 */
TEST_F_TIMEOUT(door, create_fd, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	char path[64], link[64];
	struct stat st, st2;
	int fd, fd2, rfd;
	ssize_t n;
	__u64 v;

	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd) TH_LOG("door_create: %s", strerror(errno));
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_RDWR, fcntl(fd, F_GETFL) & O_ACCMODE);
	ASSERT_EQ(0, fstat(fd, &st)) TH_LOG("fstat: %s", strerror(errno));

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		TH_LOG("no /proc (%s): name not checked", strerror(errno));
	} else {
		link[n] = '\0';
		EXPECT_STREQ("anon_inode:[door]", link);
	}

	/* dup() shares the file; two doors are two descriptors */
	fd2 = track_fd(e, dup(fd));
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, fstat(fd2, &st2));
	EXPECT_EQ(st.st_ino, st2.st_ino);
	rfd = new_door(e, 0, 0, DOOR_REFUSE_DESC);
	ASSERT_LE(0, rfd);
	EXPECT_NE(fd, rfd);
	EXPECT_EQ(FD_CLOEXEC, fcntl(rfd, F_GETFD) & FD_CLOEXEC);

	v = ~0ULL;
	ASSERT_EQ(0, door_getparam(fd, DOOR_PARAM_DESC_MAX, &v));
	EXPECT_EQ((__u64)INT_MAX, v);
	v = ~0ULL;
	ASSERT_EQ(0, door_getparam(fd, DOOR_PARAM_DATA_MIN, &v));
	EXPECT_EQ(0ULL, v);
	v = 0;
	ASSERT_EQ(0, door_getparam(fd, DOOR_PARAM_DATA_MAX, &v));
	EXPECT_EQ(DOOR_PARAM_NO_LIMIT, v);
	v = ~0ULL;
	ASSERT_EQ(0, door_getparam(rfd, DOOR_PARAM_DESC_MAX, &v));
	EXPECT_EQ(0ULL, v);
	v = 0;
	ASSERT_EQ(0, door_getparam(rfd, DOOR_PARAM_DATA_MAX, &v));
	EXPECT_EQ(DOOR_PARAM_NO_LIMIT, v);
}

/*
 * Round trips of every size, each side of each boundary up to 1 MiB:
 * the server checks the request pattern and answers with another pattern
 * of 1.5 times the size plus one, so results cross the boundaries too.
 * The results go to rbuf, exactly, and the bytes after them are left
 * alone; arg is updated as documented.
 */
TEST_F_TIMEOUT(door, call_sizes, TEST_TIMEOUT)
{
	size_t rmax = rep_size(BIG_DATA) + 4096;
	struct door_env *e = self->e;
	unsigned char *req, *rbuf;
	struct door_arg arg;
	struct call_rec *r;
	size_t n, want, slack;
	unsigned int i;
	int fd, calls;

	req = map(BIG_DATA, PROT_READ | PROT_WRITE);
	rbuf = map(rmax, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(req && rbuf);
	fd = new_door(e, PROC_A, COOKIE_A, 0);
	ASSERT_LE(0, fd) TH_LOG("door_create: %s", strerror(errno));
	ASSERT_EQ(0, add_servers(e, 1, BIG_DATA, rep_size(BIG_DATA), NULL));

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		n = sizes[i];
		want = rep_size(n);
		slack = i % 2 ? 0 : 4096;
		pat_fill(req, n, req_seed(n));
		memset(rbuf, CANARY, want + slack);
		calls = e->calls;

		ASSERT_EQ(0, call(fd, &arg, req, n, rbuf, want + slack))
			TH_LOG("%zu bytes: %s", n, strerror(errno));
		EXPECT_EQ(u64_of(rbuf), arg.data_ptr);
		EXPECT_EQ((__u64)want, arg.data_size) TH_LOG("%zu bytes", n);
		EXPECT_EQ(0ULL, arg.desc_ptr);
		EXPECT_EQ(0U, arg.desc_num);
		EXPECT_EQ(0U, arg.reserved);
		EXPECT_EQ(u64_of(rbuf), arg.rbuf);
		EXPECT_EQ((__u64)(want + slack), arg.rsize);
		EXPECT_EQ(-1, pat_check(rbuf, want, rep_seed(n)))
			TH_LOG("%zu bytes: results wrong", n);
		EXPECT_EQ(-1, mem_check(rbuf + want, slack, CANARY))
			TH_LOG("%zu bytes: written past the results", n);

		ASSERT_EQ(calls + 1, e->calls);
		r = &e->recs[calls];
		EXPECT_EQ((__u64)n, r->data_size);
		EXPECT_EQ(-1, r->bad) TH_LOG("%zu bytes: request wrong", n);
		EXPECT_TRUE(r->in_rbuf);
		EXPECT_EQ(0U, r->flags & DOOR_RETURN_MAPPED);
		EXPECT_EQ((__u64)PROC_A, r->proc);
		EXPECT_EQ((__u64)COOKIE_A, r->cookie);
	}
	munmap(req, BIG_DATA);
	munmap(rbuf, rmax);
}

/*
 * Results of every size into an rbuf of exactly that size that ends at
 * an inaccessible page: one byte too many would fault.  (Zero bytes of
 * results into an rbuf that is all inaccessible page must work.)
 */
TEST_F_TIMEOUT(door, reply_sizes, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	struct door_arg arg;
	unsigned char *region, *rb;
	size_t n, len;
	struct want w;
	unsigned int i;
	int fd;

	e->handler = h_want;
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, e->page, BIG_DATA, NULL));

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		n = sizes[i];
		len = page_round(e, n) + e->page;
		region = map(len, PROT_READ | PROT_WRITE);
		ASSERT_TRUE(!!region);
		ASSERT_EQ(0, mprotect(region + len - e->page, e->page,
				      PROT_NONE));
		rb = region + len - e->page - n;
		w.size = n;
		w.seed = mix64(n + 77);

		ASSERT_EQ(0, call(fd, &arg, &w, sizeof(w), rb, n))
			TH_LOG("%zu bytes: %s", n, strerror(errno));
		EXPECT_EQ(u64_of(rb), arg.data_ptr);
		EXPECT_EQ((__u64)n, arg.data_size);
		EXPECT_EQ(-1, pat_check(rb, n, w.seed))
			TH_LOG("%zu bytes: results wrong", n);
		munmap(region, len);
	}
	EXPECT_EQ((int)ARRAY_SIZE(sizes), e->calls);
}

/*
 * Results larger than rsize arrive in a new mapping of the caller's
 * (illumos behaviour): rbuf and rsize say where, the caller's own buffer
 * is untouched, and the caller unmaps the new one.  Results that fit
 * stay in rbuf.
 */
TEST_F_TIMEOUT(door, results_mapped, TEST_TIMEOUT)
{
	static const size_t wants[] = { 1, 128, 129, 4097, 16385, 65536,
					1 << 20 };
	struct door_env *e = self->e;
	struct door_arg arg;
	unsigned char *rbuf;
	unsigned int i;
	struct want w;
	int fd;

	e->handler = h_want;
	rbuf = map(65536, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(!!rbuf);
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, e->page, 1 << 20, NULL));

	for (i = 0; i < ARRAY_SIZE(wants); i++) {
		w.size = wants[i];
		w.seed = mix64(i);
		memset(rbuf, CANARY, 65536);
		ASSERT_EQ(0, call(fd, &arg, &w, sizeof(w), rbuf, w.size - 1));
		EXPECT_NE(u64_of(rbuf), arg.rbuf);
		EXPECT_EQ(arg.rbuf, arg.data_ptr);
		EXPECT_EQ(0U, arg.rsize % e->page);
		EXPECT_LE((__u64)w.size, arg.rsize);
		EXPECT_EQ((__u64)w.size, arg.data_size);
		EXPECT_EQ(0U, arg.desc_num);
		EXPECT_EQ(-1, pat_check(ptr_of(arg.data_ptr), w.size, w.seed))
			TH_LOG("%zu bytes: mapped results wrong", wants[i]);
		EXPECT_EQ(-1, mem_check(rbuf, 65536, CANARY))
			TH_LOG("%zu bytes: the caller's rbuf written", wants[i]);
		EXPECT_EQ(0, munmap(ptr_of(arg.rbuf), arg.rsize));

		if (w.size > 65536)
			continue;
		ASSERT_EQ(0, call(fd, &arg, &w, sizeof(w), rbuf, w.size));
		EXPECT_EQ(u64_of(rbuf), arg.rbuf);
		EXPECT_EQ((__u64)w.size, arg.rsize);
		EXPECT_EQ(w.size, arg.data_size);
		EXPECT_EQ(-1, pat_check(rbuf, w.size, w.seed));
	}

	/* No results, no rbuf: fine, and nothing mapped. */
	w.size = 0;
	ASSERT_EQ(0, call(fd, &arg, &w, sizeof(w), NULL, 0));
	EXPECT_EQ(0ULL, arg.data_size);
	EXPECT_EQ(0ULL, arg.rbuf);
	EXPECT_EQ(0ULL, arg.rsize);
	EXPECT_EQ((int)(2 * ARRAY_SIZE(wants)), e->calls);
	munmap(rbuf, 65536);
}

/*
 * When no mapping can be made for results that do not fit (the
 * caller's address space is full), the call fails with EOVERFLOW and
 * rbuf is untouched.
 */
TEST_F_TIMEOUT(door, results_eoverflow, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	struct door_arg arg;
	unsigned char rbuf[64];
	struct rlimit rl, low;
	unsigned long pages = 0;
	struct want w;
	FILE *f;
	int fd;

	e->handler = h_want;
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, e->page, 1 << 20, NULL));
	w.size = 1 << 20;
	w.seed = 7;
	memset(rbuf, CANARY, sizeof(rbuf));

	/* the address space as it is now, and not a megabyte more */
	ASSERT_EQ(0, getrlimit(RLIMIT_AS, &rl));
	low = rl;
	f = fopen("/proc/self/statm", "r");
	ASSERT_TRUE(!!f);
	ASSERT_EQ(1, fscanf(f, "%lu", &pages));
	fclose(f);
	low.rlim_cur = pages * e->page + (1 << 19);
	ASSERT_EQ(0, setrlimit(RLIMIT_AS, &low));
	EXPECT_ERRNO(EOVERFLOW, call(fd, &arg, &w, sizeof(w), rbuf,
				     sizeof(rbuf)));
	ASSERT_EQ(0, setrlimit(RLIMIT_AS, &rl));
	EXPECT_EQ(-1, mem_check(rbuf, sizeof(rbuf), CANARY));
	EXPECT_EQ(u64_of(rbuf), arg.rbuf);

	/* and the door still works */
	w.size = 16;
	ASSERT_EQ(0, call(fd, &arg, &w, sizeof(w), rbuf, sizeof(rbuf)));
	EXPECT_EQ(-1, pat_check(rbuf, 16, w.seed));
}

/*
 * Results have no size limit, as on Solaris: twice DOOR_DATA_LIMIT and a
 * byte arrive whole in a new mapping, and exactly fill an rbuf of the
 * caller's that is just large enough.
 */
TEST_F_TIMEOUT(door, results_32m, TEST_TIMEOUT)
{
	const size_t size = 2 * (size_t)DOOR_DATA_LIMIT;
	struct door_env *e = self->e;
	unsigned char small[64];
	struct door_arg arg;
	unsigned char *rbuf;
	struct want w;
	int fd;

	e->handler = h_want;
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, e->page, size + 1, NULL));
	rbuf = map(size, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(!!rbuf);

	w.size = size + 1;
	w.seed = 32;
	ASSERT_EQ(0, call(fd, &arg, &w, sizeof(w), small, sizeof(small)))
		TH_LOG("%s", strerror(errno));
	EXPECT_NE(u64_of(small), arg.rbuf);
	EXPECT_EQ(arg.rbuf, arg.data_ptr);
	EXPECT_EQ((__u64)w.size, arg.data_size);
	EXPECT_LE((__u64)w.size, arg.rsize);
	EXPECT_EQ(-1, pat_check(ptr_of(arg.data_ptr), w.size, w.seed));
	EXPECT_EQ(0, munmap(ptr_of(arg.rbuf), arg.rsize));

	w.size = size;
	w.seed = 33;
	ASSERT_EQ(0, call(fd, &arg, &w, sizeof(w), rbuf, size))
		TH_LOG("%s", strerror(errno));
	EXPECT_EQ(u64_of(rbuf), arg.data_ptr);
	EXPECT_EQ((__u64)size, arg.data_size);
	EXPECT_EQ(-1, pat_check(rbuf, size, w.seed));
	EXPECT_EQ(2, e->calls);
	munmap(rbuf, size);
}

/*
 * An rbuf the caller cannot write (no access, read-only, unmapped) fails
 * the call with EFAULT, whatever path the results took; the server does
 * not notice.
 */
TEST_F_TIMEOUT(door, rbuf_fault, TEST_TIMEOUT)
{
	static const size_t wants[] = { 16, 200, 20000 };
	struct door_env *e = self->e;
	unsigned char *none, *ro, *good;
	void *rbufs[3];
	struct door_arg arg;
	unsigned int i, j;
	struct want w;
	int fd;

	e->handler = h_want;
	none = map(32768, PROT_NONE);
	ro = map(32768, PROT_READ);
	good = map(32768, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(none && ro && good);
	rbufs[0] = none;
	rbufs[1] = ro;
	rbufs[2] = (void *)1;
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, e->page, 32768, NULL));

	for (i = 0; i < ARRAY_SIZE(wants); i++) {
		for (j = 0; j < ARRAY_SIZE(rbufs); j++) {
			w.size = wants[i];
			w.seed = mix64(i * 3 + j);
			EXPECT_ERRNO(EFAULT, call(fd, &arg, &w, sizeof(w),
						  rbufs[j], 32768))
				TH_LOG("%zu bytes, rbuf %u", wants[i], j);
		}
	}
	w.size = 0;
	EXPECT_EQ(0, call(fd, &arg, &w, sizeof(w), none, 32768));
	w.size = 20000;
	ASSERT_EQ(0, call(fd, &arg, &w, sizeof(w), good, 32768));
	EXPECT_EQ(-1, pat_check(good, w.size, w.seed));
	EXPECT_EQ(0, e->efaults);
	EXPECT_EQ((int)(ARRAY_SIZE(wants) * ARRAY_SIZE(rbufs) + 2), e->calls);
	munmap(none, 32768);
	munmap(ro, 32768);
	munmap(good, 32768);
}

/*
 * A server receive buffer of 64 bytes: data that fits lands in it, larger
 * data (inline, extension and direct paths alike) arrives in a new
 * page-aligned mapping flagged DOOR_RETURN_MAPPED, which the server
 * unmaps (server_main checks the flags, the placement and munmap()).
 */
TEST_F_TIMEOUT(door, server_mapped, TEST_TIMEOUT)
{
	static const size_t msizes[] = {
		0, 1, 64, 65, 128, 129, 4096, 16384, 16385, 65536, BIG_DATA,
	};
	size_t rmax = rep_size(BIG_DATA);
	struct door_env *e = self->e;
	unsigned char *req, *rbuf;
	struct door_arg arg;
	struct call_rec *r;
	unsigned int i;
	size_t n;
	int fd;

	req = map(BIG_DATA, PROT_READ | PROT_WRITE);
	rbuf = map(rmax, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(req && rbuf);
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, 64, rmax, NULL));

	for (i = 0; i < ARRAY_SIZE(msizes); i++) {
		n = msizes[i];
		pat_fill(req, n, req_seed(n));
		ASSERT_EQ(0, call(fd, &arg, req, n, rbuf, rmax))
			TH_LOG("%zu bytes: %s", n, strerror(errno));
		EXPECT_EQ((__u64)rep_size(n), arg.data_size);
		EXPECT_EQ(-1, pat_check(rbuf, rep_size(n), rep_seed(n)));
		ASSERT_EQ((int)i + 1, e->calls);
		r = &e->recs[i];
		EXPECT_EQ((__u64)n, r->data_size);
		EXPECT_EQ(-1, r->bad) TH_LOG("%zu bytes: data wrong", n);
		if (n > 64) {
			EXPECT_EQ((__u32)DOOR_RETURN_MAPPED,
				  r->flags & DOOR_RETURN_MAPPED)
				TH_LOG("%zu bytes not mapped", n);
			EXPECT_FALSE(r->in_rbuf);
		} else {
			EXPECT_EQ(0U, r->flags & DOOR_RETURN_MAPPED)
				TH_LOG("%zu bytes mapped", n);
			EXPECT_TRUE(r->in_rbuf);
		}
	}
	munmap(req, BIG_DATA);
	munmap(rbuf, rmax);
}

/* With one server thread, every call comes with DOOR_RETURN_LAST. */
TEST_F_TIMEOUT(door, return_last_one, TEST_TIMEOUT)
{
	static const size_t lsizes[] = { 0, 200, 20000 };
	struct door_env *e = self->e;
	unsigned char *req, *rbuf;
	struct door_arg arg;
	unsigned int i;
	int fd;

	req = map(65536, PROT_READ | PROT_WRITE);
	rbuf = map(65536, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(req && rbuf);
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, 65536, 65536, NULL));

	for (i = 0; i < ARRAY_SIZE(lsizes); i++) {
		pat_fill(req, lsizes[i], req_seed(lsizes[i]));
		ASSERT_EQ(0, call(fd, &arg, req, lsizes[i], rbuf, 65536));
		ASSERT_EQ((int)i + 1, e->calls);
		EXPECT_EQ((__u32)DOOR_RETURN_LAST,
			  e->recs[i].flags & DOOR_RETURN_LAST);
		EXPECT_EQ(-1, e->recs[i].bad);
	}
	munmap(req, 65536);
	munmap(rbuf, 65536);
}

/*
 * Two idle server threads: the first call leaves one waiting (no
 * DOOR_RETURN_LAST); a second call while the first is held takes the
 * last one (DOOR_RETURN_LAST).
 */
TEST_F_TIMEOUT(door, return_last_two, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	int fd, i;

	e->handler = h_block;
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 2, 64, 64, NULL));

	ASSERT_EQ(0, async_start(e, 0, fd, "A", 1));
	ASSERT_TRUE(got_wait(e));
	ASSERT_EQ(1, e->calls);
	EXPECT_EQ(0U, e->recs[0].flags & DOOR_RETURN_LAST);

	ASSERT_EQ(0, async_start(e, 1, fd, "B", 1));
	ASSERT_TRUE(got_wait(e));
	ASSERT_EQ(2, e->calls);
	EXPECT_EQ((__u32)DOOR_RETURN_LAST, e->recs[1].flags & DOOR_RETURN_LAST);
	EXPECT_NE(e->recs[0].tid, e->recs[1].tid);

	gate_open(e, 2);
	for (i = 0; i < 2; i++) {
		ASSERT_TRUE(async_join(e, i));
		EXPECT_EQ(0, e->ac[i].ret) TH_LOG("call %d: %s", i,
						  strerror(e->ac[i].err));
		EXPECT_EQ((__u64)sizeof(released), e->ac[i].arg.data_size);
		EXPECT_STREQ(released, (char *)e->ac[i].rbuf);
	}
}

/*
 * One pool serves several doors: each call is delivered with the proc
 * and cookie of the door that was called, and door_info() reports them.
 */
TEST_F_TIMEOUT(door, proc_cookie, TEST_TIMEOUT)
{
	static const int order[] = { 0, 1, 2, 0, 2, 1 };
	unsigned long procs[3] = { PROC_A, PROC_B, 0 };
	unsigned long cookies[3] = { COOKIE_A, COOKIE_B, 0 };
	struct door_env *e = self->e;
	unsigned char rbuf[64];
	struct door_info info;
	struct door_arg arg;
	unsigned int i;
	int fds[3];

	for (i = 0; i < 3; i++) {
		fds[i] = new_door(e, procs[i], cookies[i], 0);
		ASSERT_LE(0, fds[i]);
		memset(&info, 0, sizeof(info));
		ASSERT_EQ(0, door_info(fds[i], &info));
		EXPECT_EQ((__u64)procs[i], info.proc);
		EXPECT_EQ((__u64)cookies[i], info.cookie);
	}
	ASSERT_EQ(0, add_servers(e, 1, 64, 64, NULL));
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		ASSERT_EQ(0, call(fds[order[i]], &arg, NULL, 0, rbuf,
				  sizeof(rbuf)));
		ASSERT_EQ((int)i + 1, e->calls);
		EXPECT_EQ((__u64)procs[order[i]], e->recs[i].proc);
		EXPECT_EQ((__u64)cookies[order[i]], e->recs[i].cookie);
	}
}

/*
 * Every argument error of door_call(), with its errno, in the documented
 * order of the checks: flags, fd, arg readable, reserved, descriptors,
 * data_max, data_min.  Wrong calls never reach the server.
 */
TEST_F_TIMEOUT(door, call_errors, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	unsigned char data[8], rbuf[64], *none, *two;
	struct door_arg good, a, *edge;
	int fd, p[2], cfd, dfd, ok = 0;

	memcpy(data, "12345678", sizeof(data));
	e->handler = h_count;
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pipe(p));
	track_fd(e, p[0]);
	track_fd(e, p[1]);
	dfd = track_fd(e, open("/", O_RDONLY | O_DIRECTORY));
	ASSERT_LE(0, dfd);
	cfd = closed_fd();
	none = map(e->page, PROT_NONE);
	two = map(2 * e->page, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(none && two);
	ASSERT_EQ(0, mprotect(two + e->page, e->page, PROT_NONE));
	ASSERT_EQ(0, add_servers(e, 1, 64, 64, NULL));

	memset(&good, 0, sizeof(good));
	good.data_ptr = u64_of(data);
	good.data_size = sizeof(data);
	good.rbuf = u64_of(rbuf);
	good.rsize = sizeof(rbuf);
	a = good;
	ASSERT_EQ(0, door_call(fd, &a, 0));
	ok++;

	/* flags first */
	a = good;
	EXPECT_ERRNO(EINVAL, door_call(fd, &a, 1));
	EXPECT_ERRNO(EINVAL, door_call(fd, &a, ~0U));
	EXPECT_ERRNO(EINVAL, door_call(-1, NULL, 1));

	/* then the descriptor */
	EXPECT_ERRNO(EBADF, door_call(-1, &a, 0));
	EXPECT_ERRNO(EBADF, door_call(cfd, &a, 0));
	EXPECT_ERRNO(EBADF, door_call(p[0], &a, 0));
	EXPECT_ERRNO(EBADF, door_call(p[1], &a, 0));
	EXPECT_ERRNO(EBADF, door_call(dfd, &a, 0));
	EXPECT_ERRNO(EBADF, door_call(p[0], NULL, 0));

	/* then arg must be readable, all of it (NULL is a call, see there) */
	EXPECT_ERRNO(EFAULT, door_call(fd, (void *)1, 0));
	EXPECT_ERRNO(EFAULT, door_call(fd, none, 0));
	edge = (struct door_arg *)(two + e->page - sizeof(*edge) / 2);
	EXPECT_ERRNO(EFAULT, door_call(fd, edge, 0));

	/* then reserved */
	a = good;
	a.reserved = 1;
	EXPECT_ERRNO(EINVAL, door_call(fd, &a, 0));
	a.desc_num = 1;
	a.data_size = DOOR_DATA_LIMIT + 1ULL;
	EXPECT_ERRNO(EINVAL, door_call(fd, &a, 0));

	/* then the system's data limit (E2BIG), before the data is read */
	a = good;
	a.data_ptr = 1;
	a.data_size = DOOR_DATA_LIMIT + 1ULL;
	EXPECT_ERRNO(E2BIG, door_call(fd, &a, 0));
	a.data_size = ~0ULL;
	EXPECT_ERRNO(E2BIG, door_call(fd, &a, 0));
	a.desc_num = DOOR_DESC_LIMIT + 1;
	EXPECT_ERRNO(E2BIG, door_call(fd, &a, 0));

	/* then the door's data limits: ENOBUFS, exact */
	ASSERT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MAX, 1000));
	ASSERT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MIN, 10));
	a = good;
	a.data_ptr = u64_of(two);
	a.data_size = 1001;
	EXPECT_ERRNO(ENOBUFS, door_call(fd, &a, 0));
	a.desc_num = 1;
	EXPECT_ERRNO(ENOBUFS, door_call(fd, &a, 0));
	a.desc_num = 0;
	a.data_size = 1000;
	EXPECT_EQ(0, door_call(fd, &a, 0));
	ok++;
	a = good;
	a.data_ptr = u64_of(two);
	a.data_size = 10;
	EXPECT_EQ(0, door_call(fd, &a, 0));
	ok++;
	a.data_size = 9;
	EXPECT_ERRNO(ENOBUFS, door_call(fd, &a, 0));
	a = good;
	a.data_ptr = 1;
	a.data_size = 0;
	EXPECT_ERRNO(ENOBUFS, door_call(fd, &a, 0));
	ASSERT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MIN, 0));
	ASSERT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MAX, DOOR_DATA_LIMIT));

	/* then the descriptor count, over the door's limit (ENFILE) */
	ASSERT_EQ(0, door_setparam(fd, DOOR_PARAM_DESC_MAX, 2));
	a = good;
	a.desc_num = 3;
	EXPECT_ERRNO(ENFILE, door_call(fd, &a, 0));
	a.desc_num = DOOR_DESC_LIMIT + 1;
	EXPECT_ERRNO(ENFILE, door_call(fd, &a, 0));
	ASSERT_EQ(0, door_setparam(fd, DOOR_PARAM_DESC_MAX, INT_MAX));

	/* then the data and the descriptor array must be readable */
	a = good;
	a.desc_num = 1;
	EXPECT_ERRNO(EFAULT, door_call(fd, &a, 0));
	a.desc_ptr = u64_of(none);
	EXPECT_ERRNO(EFAULT, door_call(fd, &a, 0));
	/* a descriptor array with nothing in it is no array */
	a = good;
	a.desc_ptr = u64_of(none);
	EXPECT_EQ(0, door_call(fd, &a, 0));
	ok++;

	/* nothing to read: any data_ptr will do */
	a = good;
	a.data_ptr = 1;
	a.data_size = 0;
	EXPECT_EQ(0, door_call(fd, &a, 0));
	ok++;

	EXPECT_EQ(ok, e->calls);
	munmap(none, e->page);
	munmap(two, 2 * e->page);
}

/*
 * Unreadable data fails the call with EFAULT.  Up to 16 KiB the kernel
 * copies it before any server sees the call; larger data is copied by
 * the server thread inside door_return(), which fails the call and waits
 * for the next one: the caller's bad pointer is not the server's error,
 * so its door_return() never fails and its procedure never runs.
 */
TEST_F_TIMEOUT(door, call_data_fault, TEST_TIMEOUT)
{
	static const size_t small[] = { 1, 128, 129, 4096, 16384 };
	static const size_t large[] = { 16385, 65536 };
	struct door_env *e = self->e;
	size_t span = 80 * 1024;
	unsigned char *none, *part, *req, *rbig, rbuf[64];
	struct door_arg a;
	unsigned int i;
	int fd, efaults = 0;
	__u64 hi;

	none = map(span, PROT_NONE);
	part = map(span, PROT_READ | PROT_WRITE);
	req = map(65536, PROT_READ | PROT_WRITE);
	rbig = map(rep_size(65536), PROT_READ | PROT_WRITE);
	ASSERT_TRUE(none && part && req && rbig);
	/* only the last page of part is inaccessible */
	ASSERT_EQ(0, mprotect(part + span - e->page, e->page, PROT_NONE));
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, 65536, rep_size(65536), NULL));

	for (i = 0; i < ARRAY_SIZE(small); i++) {
		EXPECT_ERRNO(EFAULT, call(fd, &a, none, small[i], rbuf,
					  sizeof(rbuf)))
			TH_LOG("%zu bytes", small[i]);
	}
	/* readable start, unreadable end */
	EXPECT_ERRNO(EFAULT, call(fd, &a, part + span - e->page - 100, 200,
				  rbuf, sizeof(rbuf)));
	EXPECT_ERRNO(EFAULT, call(fd, &a, part + span - e->page - 4096, 8192,
				  rbuf, sizeof(rbuf)));
	/* kernel half, or beyond 4 GiB for a 32-bit caller */
	hi = ~0ULL - 2 * e->page + 1;
	memset(&a, 0, sizeof(a));
	a.data_ptr = hi;
	a.data_size = 16;
	a.rbuf = u64_of(rbuf);
	a.rsize = sizeof(rbuf);
	EXPECT_ERRNO(EFAULT, door_call(fd, &a, 0));
	EXPECT_EQ(0, e->calls);
	EXPECT_EQ(0, e->efaults);

	for (i = 0; i < ARRAY_SIZE(large); i++) {
		EXPECT_ERRNO(EFAULT, call(fd, &a, none, large[i], rbuf,
					  sizeof(rbuf)))
			TH_LOG("%zu bytes", large[i]);
		efaults++;
	}
	EXPECT_ERRNO(EFAULT, call(fd, &a, part, span, rbuf, sizeof(rbuf)));
	efaults++;
	EXPECT_EQ(0, e->efaults)
		TH_LOG("the server's door_return() failed %d times after %d bad calls",
		       e->efaults, efaults);
	EXPECT_EQ(0, e->calls);

	/* the server thread is fine */
	pat_fill(req, 65536, req_seed(65536));
	ASSERT_EQ(0, call(fd, &a, req, 65536, rbig, rep_size(65536)));
	EXPECT_EQ(-1, pat_check(rbig, rep_size(65536), rep_seed(65536)));
	ASSERT_EQ(1, e->calls);
	EXPECT_EQ(-1, e->recs[0].bad);

	/*
	 * Exactly DOOR_DATA_LIMIT bytes is not too big: the call gets as
	 * far as reading the (here unreadable) data.
	 */
	a.data_ptr = u64_of(none);
	a.data_size = DOOR_DATA_LIMIT;
	a.rbuf = u64_of(rbuf);
	a.rsize = sizeof(rbuf);
	EXPECT_ERRNO(EFAULT, door_call(fd, &a, 0));
	munmap(none, span);
	munmap(part, span);
	munmap(req, 65536);
	munmap(rbig, rep_size(65536));
}

/* Make door_return() fail fast if it wrongly waits for a call. */
static int guarded_return(void *args, unsigned int flags)
{
	int ret, err;

	set_timer(GUARD_MS);
	ret = door_return(args, flags);
	err = errno;
	set_timer(0);
	errno = err;
	return ret;
}

/*
 * Every argument error of door_return() in a process that has a door,
 * in the documented order: flags, args readable, reserved field, result
 * descriptors.  The flags field is output only.
 */
TEST_F_TIMEOUT(door, return_errors, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	struct door_return_args good, a, *edge;
	unsigned char rbuf[64], *none, *two;
	int fd;

	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	none = map(e->page, PROT_NONE);
	two = map(2 * e->page, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(none && two);
	ASSERT_EQ(0, mprotect(two + e->page, e->page, PROT_NONE));
	memset(&good, 0, sizeof(good));
	good.rbuf = u64_of(rbuf);
	good.rsize = sizeof(rbuf);

	a = good;
	EXPECT_ERRNO(EINVAL, guarded_return(&a, 1));
	EXPECT_ERRNO(EINVAL, guarded_return(&a, ~0U));
	EXPECT_ERRNO(EINVAL, guarded_return(NULL, 1));

	EXPECT_ERRNO(EFAULT, guarded_return(NULL, 0));
	EXPECT_ERRNO(EFAULT, guarded_return((void *)1, 0));
	EXPECT_ERRNO(EFAULT, guarded_return(none, 0));
	edge = (struct door_return_args *)(two + e->page - sizeof(*edge) / 2);
	EXPECT_ERRNO(EFAULT, guarded_return(edge, 0));

	a = good;
	a.reserved = 1;
	EXPECT_ERRNO(EINVAL, guarded_return(&a, 0));
	a.result_desc_num = 1;
	EXPECT_ERRNO(EINVAL, guarded_return(&a, 0));
	/* flags is output only: whatever it holds, the thread waits */
	a = good;
	a.flags = DOOR_RETURN_LAST | DOOR_RETURN_MAPPED | 0x80000000U;
	EXPECT_ERRNO(EINTR, guarded_return(&a, 0));

	/*
	 * With no call to answer (or after a restart) the results are not
	 * looked at, descriptors included: the thread waits.  Only the
	 * system's limit is checked first.
	 */
	a = good;
	a.result_desc_num = 1;
	EXPECT_ERRNO(EINTR, guarded_return(&a, 0));
	a.result_desc_ptr = u64_of(none);
	EXPECT_ERRNO(EINTR, guarded_return(&a, 0));
	a.result_desc_num = DOOR_DESC_LIMIT + 1;
	EXPECT_ERRNO(E2BIG, guarded_return(&a, 0));

	/* results have no size limit: unread, any size waits */
	a = good;
	a.result_ptr = u64_of(rbuf);
	a.result_size = DOOR_DATA_LIMIT + 1ULL;
	EXPECT_ERRNO(EINTR, guarded_return(&a, 0));
	a.result_size = ~0ULL;
	EXPECT_ERRNO(EINTR, guarded_return(&a, 0));

	munmap(none, e->page);
	munmap(two, 2 * e->page);
}

/* 64 KiB the server can read, then a page it cannot */
static unsigned char *part_results;

/* Scripted server for return_result_fault: see there. */
static void *result_fault_server(void *arg)
{
	static const char results[] = "results!";
	struct srv_thread *st = arg;
	struct door_env *e = st->e;
	struct door_return_args ra;
	struct step *s = e->steps;
	int i;

	thread_start(&st->tid);
	memset(&ra, 0, sizeof(ra));
	for (i = 0; i < 7; i++) {
		ra.rbuf = u64_of(st->rbuf);
		ra.rsize = st->rsize;
		ra.flags = 0;
		switch (i) {
		case 1:
			ra.result_ptr = 1;
			ra.result_size = 10;
			break;
		case 2:
			ra.result_ptr = u64_of(e->bad);
			ra.result_size = 200;
			break;
		case 3:
			/* needs an extension, and fits the caller's rbuf */
			ra.result_ptr = u64_of(e->bad);
			ra.result_size = 400;
			break;
		case 4:
			/* more than the address space: no results at all */
			ra.result_ptr = u64_of(results);
			ra.result_size = ~0ULL - 4096;
			break;
		case 5:
			/* a page vector, filled up to the unreadable page */
			ra.result_ptr = u64_of(part_results);
			ra.result_size = 65536 + 100;
			break;
		case 6:
			pat_fill(st->reply, 300, 300);
			ra.result_ptr = u64_of(st->reply);
			ra.result_size = 300;
			break;
		}
		s[i].ret = door_return(&ra, 0);
		s[i].err = s[i].ret ? errno : 0;
		s[i].data_size = ra.data_size;
		if (s[i].ret && s[i].err == EINTR && stopping(e))
			break;
	}
	/* teardown ends the last door_return() with EINTR */
	return NULL;
}

/*
 * Results the server cannot read fail its door_return() with EFAULT,
 * whatever their size, and the call stays with the server thread, which
 * can then return good results.
 */
TEST_F_TIMEOUT(door, return_result_fault, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	unsigned char rbuf[512];
	struct door_arg a;
	struct step *s = e->steps;
	int fd;

	e->bad_len = 32768;
	e->bad = map(e->bad_len, PROT_NONE);
	ASSERT_TRUE(!!e->bad);
	part_results = map(65536 + e->page, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(!!part_results);
	ASSERT_EQ(0, mprotect(part_results + 65536, e->page, PROT_NONE));
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, 64, 512, result_fault_server));

	ASSERT_EQ(0, call(fd, &a, "fault me", 8, rbuf, sizeof(rbuf)))
		TH_LOG("%s", strerror(errno));
	EXPECT_EQ(300ULL, a.data_size);
	EXPECT_EQ(-1, pat_check(rbuf, 300, 300));

	EXPECT_EQ(0, s[0].ret);
	EXPECT_EQ(8ULL, s[0].data_size);
	EXPECT_EQ(EFAULT, s[1].err) TH_LOG("result_ptr 1");
	EXPECT_EQ(EFAULT, s[2].err) TH_LOG("unreadable, 200 bytes");
	EXPECT_EQ(EFAULT, s[3].err) TH_LOG("unreadable, 400 bytes");
	EXPECT_EQ(EFAULT, s[4].err) TH_LOG("2^64 - 4097 bytes");
	EXPECT_EQ(EFAULT, s[5].err) TH_LOG("64 KiB readable of 64 KiB + 100");
	munmap(part_results, 65536 + e->page);
}

/* Scripted server for call_without_arg: see there. */
static void *no_results_server(void *arg)
{
	struct srv_thread *st = arg;
	struct door_env *e = st->e;
	struct door_return_args ra;
	struct step *s = e->steps;
	struct door_desc d;
	int i;

	thread_start(&st->tid);
	memset(&d, 0, sizeof(d));
	d.attributes = DOOR_DESCRIPTOR;
	d.fd = 0;
	for (i = 0; i < 4; i++) {
		memset(&ra, 0, sizeof(ra));
		ra.rbuf = u64_of(st->rbuf);
		ra.rsize = st->rsize;
		if (i == 1) {
			ra.result_ptr = u64_of("x");
			ra.result_size = 1;
		} else if (i == 2) {
			ra.result_desc_ptr = u64_of(&d);
			ra.result_desc_num = 1;
		}
		s[i].ret = door_return(&ra, 0);
		s[i].err = s[i].ret ? errno : 0;
		s[i].data_size = ra.data_size;
		if (s[i].ret && s[i].err == EINTR && stopping(e))
			break;
	}
	return NULL;
}

/*
 * door_call(fd, NULL), as on Solaris: a call with no arguments that wants
 * no results.  The server's results or descriptors fail its door_return()
 * with E2BIG and the call stays with it; none end the call.
 */
TEST_F_TIMEOUT(door, call_without_arg, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	struct step *s = e->steps;
	int fd;

	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, 64, 64, no_results_server));
	EXPECT_EQ(0, door_call(fd, NULL, 0)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, s[0].ret);
	EXPECT_EQ(0ULL, s[0].data_size);
	EXPECT_EQ(E2BIG, s[1].err) TH_LOG("results");
	EXPECT_EQ(E2BIG, s[2].err) TH_LOG("a descriptor");
}

/* A fresh pipe's read end as a DOOR_RELEASE entry; its write end in *@w */
static void release_entry(struct door_desc *d, int *w)
{
	int p[2];

	if (pipe(p)) {
		p[0] = -1;
		p[1] = -1;
	}
	memset(d, 0, sizeof(*d));
	d->attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
	d->fd = p[0];
	*w = p[1];
}

/* Whether @fd is closed (and free) */
static bool fd_closed(int fd)
{
	return fcntl(fd, F_GETFD) == -1 && errno == EBADF;
}

/*
 * door_call(3C): DOOR_RELEASE descriptors are closed "even if door_call()
 * returns an error, unless that error is EFAULT or EBADF": a call refused
 * by the door's limits (ENOBUFS), a queued call a signal ends (EINTR),
 * and not data that cannot be read (EFAULT) or a revoked door (EBADF).
 */
TEST_F_TIMEOUT(door, release_unless_efault_ebadf, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	struct door_desc d;
	struct door_arg a;
	int fd, w;

	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	memset(&a, 0, sizeof(a));
	a.desc_ptr = u64_of(&d);
	a.desc_num = 1;

	ASSERT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MIN, 1));
	release_entry(&d, &w);
	EXPECT_ERRNO(ENOBUFS, door_call(fd, &a, 0));
	EXPECT_TRUE(fd_closed(d.fd)) TH_LOG("left open after ENOBUFS");
	close(w);

	release_entry(&d, &w);
	a.data_ptr = 1;
	a.data_size = 10;
	EXPECT_ERRNO(EFAULT, door_call(fd, &a, 0));
	EXPECT_FALSE(fd_closed(d.fd)) TH_LOG("closed after EFAULT");

	/* no server thread: the call waits in the queue for the signal */
	a.data_ptr = u64_of("X");
	a.data_size = 1;
	set_timer(100);
	EXPECT_ERRNO(EINTR, door_call(fd, &a, 0));
	set_timer(0);
	EXPECT_TRUE(fd_closed(d.fd)) TH_LOG("left open after EINTR");
	close(w);

	release_entry(&d, &w);
	ASSERT_EQ(0, door_revoke(dup(fd)));
	EXPECT_ERRNO(EBADF, door_call(fd, &a, 0));
	EXPECT_FALSE(fd_closed(d.fd)) TH_LOG("closed after EBADF");
	close(d.fd);
	close(w);
}

/* Scripted server for server_rbuf_fault: see there. */
static void *rbuf_fault_server(void *arg)
{
	static const char zero_ok[8] = "zero-ok";
	struct srv_thread *st = arg;
	struct door_env *e = st->e;
	struct door_return_args ra;
	struct step *s = e->steps;
	int i;

	thread_start(&st->tid);
	memset(&ra, 0, sizeof(ra));
	for (i = 0; i < 7; i++) {
		ra.flags = 0;
		ra.rbuf = u64_of(i < 4 ? e->bad : st->rbuf);
		ra.rsize = i < 4 ? e->bad_len : st->rsize;
		if (i == 4) {
			ra.result_ptr = u64_of(zero_ok);
			ra.result_size = sizeof(zero_ok);
		} else if (i == 5) {
			pat_fill(st->reply, 64, 64);
			ra.result_ptr = u64_of(st->reply);
			ra.result_size = 64;
		}
		s[i].ret = door_return(&ra, 0);
		s[i].err = s[i].ret ? errno : 0;
		s[i].data_ptr = ra.data_ptr;
		s[i].data_size = ra.data_size;
		s[i].flags = ra.flags;
		if (!s[i].ret && i == 4)
			s[i].bad = pat_check(ptr_of(ra.data_ptr), ra.data_size,
					     req_seed(ra.data_size));
		if (s[i].ret && s[i].err == EINTR && stopping(e))
			break;
	}
	return NULL;
}

/*
 * A server receive buffer that cannot be written fails the server's
 * door_return() with EFAULT and the call with EAGAIN (not the caller's
 * EFAULT: its own pointers were good), whatever path the data took; zero
 * bytes of data need no buffer.
 */
TEST_F_TIMEOUT(door, server_rbuf_fault, TEST_TIMEOUT)
{
	static const size_t fsizes[] = { 10, 200, 20000 };
	struct door_env *e = self->e;
	unsigned char *req, rbuf[128];
	struct door_arg a;
	struct step *s = e->steps;
	unsigned int i;
	int fd;

	e->bad_len = 65536;
	e->bad = map(e->bad_len, PROT_NONE);
	req = map(65536, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(e->bad && req);
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, 4096, 4096, rbuf_fault_server));

	for (i = 0; i < ARRAY_SIZE(fsizes); i++) {
		pat_fill(req, fsizes[i], req_seed(fsizes[i]));
		EXPECT_ERRNO(EAGAIN, call(fd, &a, req, fsizes[i], rbuf,
					  sizeof(rbuf)))
			TH_LOG("%zu bytes", fsizes[i]);
	}
	ASSERT_EQ(0, call(fd, &a, NULL, 0, rbuf, sizeof(rbuf)));
	EXPECT_EQ(8ULL, a.data_size);
	EXPECT_STREQ("zero-ok", (char *)rbuf);
	pat_fill(req, 300, req_seed(300));
	ASSERT_EQ(0, call(fd, &a, req, 300, rbuf, sizeof(rbuf)));
	EXPECT_EQ(64ULL, a.data_size);
	EXPECT_EQ(-1, pat_check(rbuf, 64, 64));

	for (i = 0; i < ARRAY_SIZE(fsizes); i++)
		EXPECT_EQ(EFAULT, s[i].err) TH_LOG("%zu bytes", fsizes[i]);
	EXPECT_EQ(0, s[3].ret);
	EXPECT_EQ(0ULL, s[3].data_size);
	EXPECT_EQ(u64_of(e->bad), s[3].data_ptr);
	EXPECT_EQ(0, s[4].ret);
	EXPECT_EQ(300ULL, s[4].data_size);
	EXPECT_EQ(-1, s[4].bad);
	munmap(req, 65536);
}

/*
 * door_return()'s output fields are outputs only: garbage in them on
 * input changes nothing.
 */
TEST_F_TIMEOUT(door, return_outputs, TEST_TIMEOUT)
{
	static const size_t psizes[] = { 0, 5, 200, 20000 };
	struct door_env *e = self->e;
	unsigned char *req, *rbuf;
	struct door_arg a;
	unsigned int i;
	int fd;

	req = map(65536, PROT_READ | PROT_WRITE);
	rbuf = map(65536, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(req && rbuf);
	e->poison = true;
	fd = new_door(e, PROC_B, COOKIE_B, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, 65536, 65536, NULL));
	for (i = 0; i < ARRAY_SIZE(psizes); i++) {
		pat_fill(req, psizes[i], req_seed(psizes[i]));
		ASSERT_EQ(0, call(fd, &a, req, psizes[i], rbuf, 65536))
			TH_LOG("%zu bytes: %s", psizes[i], strerror(errno));
		EXPECT_EQ(-1, pat_check(rbuf, rep_size(psizes[i]),
					rep_seed(psizes[i])));
		ASSERT_EQ((int)i + 1, e->calls);
		EXPECT_EQ((__u64)psizes[i], e->recs[i].data_size);
		EXPECT_EQ(-1, e->recs[i].bad);
		EXPECT_EQ((__u64)PROC_B, e->recs[i].proc);
		EXPECT_EQ((__u64)COOKIE_B, e->recs[i].cookie);
	}
	munmap(req, 65536);
	munmap(rbuf, 65536);
}

/*
 * A signal to a server thread waiting for a call ends its door_return()
 * with EINTR; it can wait again and serve.
 */
TEST_F_TIMEOUT(door, return_eintr, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	unsigned char rbuf[64];
	struct door_arg a;
	int fd;

	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, 64, 64, NULL));
	ASSERT_EQ(0, call(fd, &a, NULL, 0, rbuf, sizeof(rbuf)));
	ASSERT_TRUE(wait_in_syscall(getpid(), e->th[0].tid, __NR_door_return));
	ASSERT_EQ(0, pthread_kill(e->th[0].thread, SIGUSR1));
	ASSERT_TRUE(wait_count(&e->eintrs, 1, WAIT_MS));
	ASSERT_TRUE(wait_in_syscall(getpid(), e->th[0].tid, __NR_door_return));
	ASSERT_EQ(0, call(fd, &a, NULL, 0, rbuf, sizeof(rbuf)));
	EXPECT_EQ(1ULL, a.data_size);
	EXPECT_EQ(2, e->calls);
	EXPECT_EQ(1, e->eintrs);
}

/*
 * A process that never created a door has no pool: door_return() fails
 * with EBADF (after its argument checks) and door_ucred() with EINVAL.
 */
/*
 * door_bind_id(): bind by a private door's id, the calling process's own
 * doors only; door_info(DOOR_QUERY) then names that door, and fails with
 * EBADF for a thread bound to none, or to a door that has gone.
 */
TEST(bind_by_id)
{
	struct door_info info, q;
	int priv, shared, p[2];
	__u64 id, other;
	pid_t pid;

	EXPECT_EQ(-1, door_info(DOOR_QUERY, &q));
	EXPECT_EQ(EBADF, errno);
	priv = door_create(1, 2, DOOR_PRIVATE);
	ASSERT_LE(0, priv);
	shared = door_create(1, 2, 0);
	ASSERT_LE(0, shared);
	ASSERT_EQ(0, door_info(priv, &info));
	id = info.id;

	ASSERT_EQ(0, door_bind_id(&id));
	ASSERT_EQ(0, door_info(DOOR_QUERY, &q));
	EXPECT_EQ(id, q.id);
	EXPECT_EQ((__u32)(DOOR_PRIVATE | DOOR_LOCAL), q.attributes);
	EXPECT_EQ(getpid(), q.target);

	/* not a private door of this process's: EBADF */
	ASSERT_EQ(0, door_info(shared, &info));
	EXPECT_EQ(-1, door_bind_id(&info.id));
	EXPECT_EQ(EBADF, errno);
	other = id + 1000000;
	EXPECT_EQ(-1, door_bind_id(&other));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, door_bind_id((__u64 *)8));
	EXPECT_EQ(EFAULT, errno);
	other = 0;
	EXPECT_EQ(-1, door_bind_id(&other));
	EXPECT_EQ(EBADF, errno);
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int fd = door_create(1, 2, DOOR_PRIVATE);
		struct door_info ci;

		if (fd < 0 || door_info(fd, &ci) ||
		    write(p[1], &ci.id, sizeof(ci.id)) != sizeof(ci.id))
			_exit(1);
		pause();
		_exit(0);
	}
	ASSERT_EQ(sizeof(other), read(p[0], &other, sizeof(other)));
	EXPECT_EQ(-1, door_bind_id(&other));
	EXPECT_EQ(EBADF, errno);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	/* still bound where it was */
	ASSERT_EQ(0, door_info(DOOR_QUERY, &q));
	EXPECT_EQ(id, q.id);

	/* the door goes with its last descriptor: nothing to query or bind */
	close(priv);
	EXPECT_EQ(-1, door_info(DOOR_QUERY, &q));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, door_bind_id(&id));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(0, door_unbind());
	EXPECT_EQ(-1, door_info(DOOR_QUERY, &q));
	EXPECT_EQ(EBADF, errno);
	close(shared);
	close(p[0]);
	close(p[1]);
}

TEST(no_door_process)
{
	struct door_return_args a;
	unsigned char rbuf[64];
	struct door_ucred uc;

	ASSERT_EQ(0, install_handlers());
	memset(&a, 0, sizeof(a));
	a.rbuf = u64_of(rbuf);
	a.rsize = sizeof(rbuf);
	EXPECT_ERRNO(EBADF, guarded_return(&a, 0));
	EXPECT_ERRNO(EINVAL, guarded_return(&a, 1));
	EXPECT_ERRNO(EFAULT, guarded_return(NULL, 0));
	a.reserved = 1;
	EXPECT_ERRNO(EINVAL, guarded_return(&a, 0));
	a.reserved = 0;
	a.result_desc_num = 1;
	EXPECT_ERRNO(EBADF, guarded_return(&a, 0));
	EXPECT_ERRNO(EINVAL, door_ucred(&uc));
}

/*
 * A forked child of a door's creator is not its server: it has no pool
 * (door_return() EBADF), no call to ask about (door_ucred() EINVAL).
 */
TEST_F_TIMEOUT(door, return_forked_child, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	struct door_return_args a;
	unsigned char rbuf[64];
	struct door_ucred uc;
	pid_t pid;
	int fd;

	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	pid = spawn(e);
	ASSERT_LE(0, pid);
	if (!pid) {
		memset(&a, 0, sizeof(a));
		a.rbuf = u64_of(rbuf);
		a.rsize = sizeof(rbuf);
		CHILD_CHECK(e, err_of(guarded_return(&a, 0)) == EBADF);
		CHILD_CHECK(e, err_of(door_ucred(&uc)) == EINVAL);
		_exit(0);
	}
	EXPECT_TRUE(child_ok(_metadata, e, pid));
}

/*
 * door_info(): the server's pid, the attributes with DOOR_LOCAL for the
 * creator, proc and cookie, zeroed reserved fields, one id per door
 * (the same through dup() and SCM_RIGHTS, never reused), DOOR_REVOKED
 * once revoked.
 */
TEST_F_TIMEOUT(door, info_fields, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	struct door_info i1, i2, i3;
	int fd, fd2, fd3, dfd, rfd, sv[2];

	fd = new_door(e, PROC_A, COOKIE_A, 0);
	fd2 = new_door(e, PROC_B, COOKIE_B, DOOR_REFUSE_DESC);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, fd2);

	memset(&i1, 0xff, sizeof(i1));
	ASSERT_EQ(0, door_info(fd, &i1)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(getpid(), i1.target);
	EXPECT_EQ((__u32)DOOR_LOCAL, i1.attributes);
	EXPECT_EQ((__u64)PROC_A, i1.proc);
	EXPECT_EQ((__u64)COOKIE_A, i1.cookie);
	EXPECT_EQ(0ULL, i1.reserved[0]);
	EXPECT_EQ(0ULL, i1.reserved[1]);

	memset(&i2, 0xff, sizeof(i2));
	ASSERT_EQ(0, door_info(fd2, &i2));
	EXPECT_EQ(getpid(), i2.target);
	EXPECT_EQ((__u32)(DOOR_LOCAL | DOOR_REFUSE_DESC), i2.attributes);
	EXPECT_EQ((__u64)PROC_B, i2.proc);
	EXPECT_EQ((__u64)COOKIE_B, i2.cookie);
	EXPECT_NE(i1.id, i2.id);

	dfd = track_fd(e, dup(fd));
	ASSERT_LE(0, dfd);
	ASSERT_EQ(0, door_info(dfd, &i3));
	EXPECT_EQ(i1.id, i3.id);

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	track_fd(e, sv[0]);
	track_fd(e, sv[1]);
	ASSERT_EQ(0, du_send_fd(sv[0], fd));
	rfd = track_fd(e, du_recv_fd(sv[1]));
	ASSERT_LE(0, rfd);
	ASSERT_EQ(0, door_info(rfd, &i3));
	EXPECT_EQ(i1.id, i3.id);
	EXPECT_EQ((__u32)DOOR_LOCAL, i3.attributes);

	/* a new door never gets an old id, even one no longer in use */
	ASSERT_EQ(0, untrack_close(e, fd2));
	fd3 = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd3);
	ASSERT_EQ(0, door_info(fd3, &i3));
	EXPECT_NE(i1.id, i3.id);
	EXPECT_NE(i2.id, i3.id);

	ASSERT_EQ(0, door_revoke(fd));
	memset(&i3, 0, sizeof(i3));
	ASSERT_EQ(0, door_info(rfd, &i3));
	EXPECT_EQ((__u32)(DOOR_LOCAL | DOOR_REVOKED), i3.attributes);
	EXPECT_EQ(getpid(), i3.target);
	EXPECT_EQ(i1.id, i3.id);
	EXPECT_EQ((__u64)PROC_A, i3.proc);
	ASSERT_EQ(0, door_info(fd3, &i3));
	EXPECT_EQ((__u32)DOOR_LOCAL, i3.attributes);
}

/* door_info() on a non-door is EBADF, into memory it cannot write EFAULT. */
TEST_F_TIMEOUT(door, info_errors, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	unsigned char *none, *ro, *two;
	struct door_info info;
	int fd, p[2], cfd;

	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pipe(p));
	track_fd(e, p[0]);
	track_fd(e, p[1]);
	cfd = closed_fd();
	none = map(e->page, PROT_NONE);
	ro = map(e->page, PROT_READ);
	two = map(2 * e->page, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(none && ro && two);
	ASSERT_EQ(0, mprotect(two + e->page, e->page, PROT_NONE));

	EXPECT_ERRNO(EBADF, door_info(-1, &info));
	EXPECT_ERRNO(EBADF, door_info(cfd, &info));
	EXPECT_ERRNO(EBADF, door_info(p[0], &info));
	EXPECT_ERRNO(EBADF, door_info(p[0], NULL));
	EXPECT_ERRNO(EFAULT, door_info(fd, NULL));
	EXPECT_ERRNO(EFAULT, door_info(fd, (void *)1));
	EXPECT_ERRNO(EFAULT, door_info(fd, none));
	EXPECT_ERRNO(EFAULT, door_info(fd, ro));
	EXPECT_ERRNO(EFAULT, door_info(fd, two + e->page - sizeof(info) / 2));
	munmap(none, e->page);
	munmap(ro, e->page);
	munmap(two, 2 * e->page);
}

/*
 * The descriptor survives fork(): in the child, door_info() names the
 * parent as the server, without DOOR_LOCAL, with the same id; the child
 * keeps close-on-exec and can call the door.
 */
TEST_F_TIMEOUT(door, fork_inherit, TEST_TIMEOUT)
{
	static const size_t fsizes[] = { 0, 129, 65536 };
	struct door_env *e = self->e;
	unsigned char *req, *rbuf;
	struct door_info info, ci;
	struct door_arg a;
	unsigned int i;
	pid_t pid;
	int fd;

	req = map(65536, PROT_READ | PROT_WRITE);
	rbuf = map(rep_size(65536), PROT_READ | PROT_WRITE);
	ASSERT_TRUE(req && rbuf);
	fd = new_door(e, PROC_A, COOKIE_A, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, door_info(fd, &info));
	ASSERT_EQ(0, add_servers(e, 1, 65536, rep_size(65536), NULL));

	pid = spawn(e);
	ASSERT_LE(0, pid);
	if (!pid) {
		CHILD_CHECK(e, fcntl(fd, F_GETFD) == FD_CLOEXEC);
		CHILD_CHECK(e, !door_info(fd, &ci));
		CHILD_CHECK(e, ci.target == getppid());
		CHILD_CHECK(e, ci.attributes == 0);
		CHILD_CHECK(e, ci.id == info.id);
		CHILD_CHECK(e, ci.proc == (__u64)PROC_A);
		CHILD_CHECK(e, ci.cookie == (__u64)COOKIE_A);
		for (i = 0; i < ARRAY_SIZE(fsizes); i++) {
			pat_fill(req, fsizes[i], req_seed(fsizes[i]));
			CHILD_CHECK(e, !call(fd, &a, req, fsizes[i], rbuf,
					     rep_size(65536)));
			CHILD_CHECK(e, a.data_size == rep_size(fsizes[i]));
			CHILD_CHECK(e, pat_check(rbuf, a.data_size,
						 rep_seed(fsizes[i])) == -1);
		}
		_exit(0);
	}
	EXPECT_TRUE(child_ok(_metadata, e, pid));
	ASSERT_EQ((int)ARRAY_SIZE(fsizes), e->calls);
	for (i = 0; i < ARRAY_SIZE(fsizes); i++)
		EXPECT_EQ(-1, e->recs[i].bad);
	munmap(req, 65536);
	munmap(rbuf, rep_size(65536));
}

/*
 * A door passed with SCM_RIGHTS to a process that was forked before the
 * door existed: same id, the creator as server, and it can be called.
 */
TEST_F_TIMEOUT(door, scm_rights, TEST_TIMEOUT)
{
	static const size_t ssizes[] = { 1, 4097, 16385 };
	struct door_env *e = self->e;
	unsigned char *req, *rbuf;
	struct door_info info, ci;
	struct door_arg a;
	int fd, rfd, sv[2];
	unsigned int i;
	pid_t pid;

	req = map(65536, PROT_READ | PROT_WRITE);
	rbuf = map(65536, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(req && rbuf);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	track_fd(e, sv[0]);
	track_fd(e, sv[1]);
	pid = spawn(e);
	ASSERT_LE(0, pid);
	if (!pid) {
		/* EOF, not a hang, if the test gives up before sending */
		close(sv[0]);
		rfd = du_recv_fd(sv[1]);
		CHILD_CHECK(e, rfd >= 0);
		CHILD_CHECK(e, !door_info(rfd, &ci));
		CHILD_CHECK(e, ci.target == getppid());
		CHILD_CHECK(e, ci.attributes == 0);
		e->rep.val[0] = ci.id;
		for (i = 0; i < ARRAY_SIZE(ssizes); i++) {
			pat_fill(req, ssizes[i], req_seed(ssizes[i]));
			CHILD_CHECK(e, !call(rfd, &a, req, ssizes[i], rbuf,
					     65536));
			CHILD_CHECK(e, a.data_size == rep_size(ssizes[i]));
			CHILD_CHECK(e, pat_check(rbuf, a.data_size,
						 rep_seed(ssizes[i])) == -1);
		}
		_exit(0);
	}
	untrack_close(e, sv[1]);
	fd = new_door(e, PROC_A, COOKIE_A, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, door_info(fd, &info));
	ASSERT_EQ(0, add_servers(e, 1, 65536, 65536, NULL));
	ASSERT_EQ(0, du_send_fd(sv[0], fd));
	EXPECT_TRUE(child_ok(_metadata, e, pid));
	EXPECT_EQ(info.id, e->rep.val[0]);
	ASSERT_EQ((int)ARRAY_SIZE(ssizes), e->calls);
	for (i = 0; i < ARRAY_SIZE(ssizes); i++)
		EXPECT_EQ(-1, e->recs[i].bad);
	munmap(req, 65536);
	munmap(rbuf, 65536);
}

/*
 * door_revoke(): by the creator, through any of its descriptors; then
 * calls fail with EBADF (argument errors still come first), a second
 * revoke fails with EBADF, door_setparam() with EBADF, door_getparam()
 * still works, and the pool's other doors are not affected.
 */
TEST_F_TIMEOUT(door, revoke_basic, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	unsigned char rbuf[64];
	struct door_info info;
	struct door_arg a;
	int fd, dfd, other, p[2];
	__u64 v;

	fd = new_door(e, 0, 0, 0);
	other = new_door(e, 1, 1, 0);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, other);
	dfd = track_fd(e, dup(fd));
	ASSERT_LE(0, dfd);
	ASSERT_EQ(0, pipe(p));
	track_fd(e, p[0]);
	track_fd(e, p[1]);
	ASSERT_EQ(0, add_servers(e, 1, 64, 64, NULL));
	ASSERT_EQ(0, call(fd, &a, NULL, 0, rbuf, sizeof(rbuf)));

	EXPECT_ERRNO(EBADF, door_revoke(-1));
	EXPECT_ERRNO(EBADF, door_revoke(p[0]));
	EXPECT_ERRNO(EBADF, door_revoke(closed_fd()));

	ASSERT_EQ(0, door_revoke(dfd)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, door_info(fd, &info));
	EXPECT_EQ((__u32)(DOOR_LOCAL | DOOR_REVOKED), info.attributes);
	EXPECT_EQ(getpid(), info.target);
	EXPECT_ERRNO(EBADF, call(fd, &a, NULL, 0, rbuf, sizeof(rbuf)));
	EXPECT_ERRNO(EBADF, call(dfd, &a, "x", 1, rbuf, sizeof(rbuf)));
	EXPECT_ERRNO(EBADF, door_revoke(fd));
	EXPECT_ERRNO(EBADF, door_revoke(dfd));
	EXPECT_ERRNO(EBADF, door_setparam(fd, DOOR_PARAM_DATA_MAX, 100));
	v = 0;
	EXPECT_EQ(0, door_getparam(fd, DOOR_PARAM_DATA_MAX, &v));
	EXPECT_EQ(DOOR_PARAM_NO_LIMIT, v);

	/* the argument checks come before the revocation check */
	memset(&a, 0, sizeof(a));
	EXPECT_ERRNO(EINVAL, door_call(fd, &a, 1));
	a.reserved = 1;
	EXPECT_ERRNO(EINVAL, door_call(fd, &a, 0));
	a.reserved = 0;
	a.desc_num = 1;
	EXPECT_ERRNO(EFAULT, door_call(fd, &a, 0));
	a.desc_num = 0;
	a.data_size = DOOR_DATA_LIMIT + 1ULL;
	EXPECT_ERRNO(E2BIG, door_call(fd, &a, 0));

	ASSERT_EQ(0, call(other, &a, NULL, 0, rbuf, sizeof(rbuf)));
	EXPECT_EQ(2, e->calls);
	EXPECT_EQ(1ULL, e->recs[1].proc);
}

/*
 * Only the creating process may revoke a door or set its parameters;
 * anyone holding it may read them and call it.
 */
TEST_F_TIMEOUT(door, revoke_eperm, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	unsigned char rbuf[64];
	struct door_info info;
	struct door_arg a;
	pid_t pid;
	__u64 v;
	int fd;

	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, 64, 64, NULL));
	pid = spawn(e);
	ASSERT_LE(0, pid);
	if (!pid) {
		CHILD_CHECK(e, err_of(door_revoke(fd)) == EPERM);
		CHILD_CHECK(e, err_of(door_setparam(fd, DOOR_PARAM_DATA_MAX,
						    100)) == EPERM);
		CHILD_CHECK(e, err_of(door_setparam(fd, DOOR_PARAM_DESC_MAX,
						    0)) == EPERM);
		CHILD_CHECK(e, !door_getparam(fd, DOOR_PARAM_DATA_MAX, &v));
		CHILD_CHECK(e, v == DOOR_PARAM_NO_LIMIT);
		CHILD_CHECK(e, !call(fd, &a, NULL, 0, rbuf, sizeof(rbuf)));
		_exit(0);
	}
	EXPECT_TRUE(child_ok(_metadata, e, pid));
	ASSERT_EQ(0, door_info(fd, &info));
	EXPECT_EQ((__u32)DOOR_LOCAL, info.attributes);
	ASSERT_EQ(0, door_getparam(fd, DOOR_PARAM_DATA_MAX, &v));
	EXPECT_EQ(DOOR_PARAM_NO_LIMIT, v);
	ASSERT_EQ(0, call(fd, &a, NULL, 0, rbuf, sizeof(rbuf)));
	EXPECT_EQ(2, e->calls);
	EXPECT_EQ(0, door_revoke(fd));
}

/*
 * Callers queued on a door (no server thread) fail with EBADF when
 * another thread revokes it, and no server thread ever sees their calls.
 */
TEST_F_TIMEOUT(door, revoke_queued, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	unsigned char rbuf[64];
	struct door_arg a;
	__u64 tag, v;
	int fd, other, i;

	e->handler = h_count;
	fd = new_door(e, 0, 0, 0);
	other = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, other);
	for (i = 0; i < 3; i++) {
		tag = 100 + i;
		ASSERT_EQ(0, async_start(e, i, fd, &tag, sizeof(tag)));
	}
	for (i = 0; i < 3; i++)
		ASSERT_TRUE(wait_in_syscall(getpid(), e->ac[i].tid,
					    __NR_door_call));
	ASSERT_EQ(0, door_revoke(fd));
	for (i = 0; i < 3; i++) {
		ASSERT_TRUE(async_join(e, i)) TH_LOG("caller %d still waits", i);
		EXPECT_EQ(-1, e->ac[i].ret);
		EXPECT_EQ(EBADF, e->ac[i].err) TH_LOG("caller %d: %s", i,
						      strerror(e->ac[i].err));
	}

	/* a server thread now gets the next call, and only that one */
	ASSERT_EQ(0, add_servers(e, 1, 64, 64, NULL));
	tag = 7;
	ASSERT_EQ(0, call(other, &a, &tag, sizeof(tag), rbuf, sizeof(rbuf)));
	memcpy(&v, rbuf, sizeof(v));
	EXPECT_EQ(~7ULL, v);
	sleep_ms(100);
	ASSERT_EQ(1, e->calls);
	EXPECT_EQ(7ULL, e->recs[0].tag);
}

/* A call already being served when the door is revoked ends normally. */
TEST_F_TIMEOUT(door, revoke_in_progress, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	unsigned char rbuf[64];
	struct door_info info;
	struct door_arg a;
	int fd;

	e->handler = h_block;
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, 64, 64, NULL));
	ASSERT_EQ(0, async_start(e, 0, fd, "A", 1));
	ASSERT_TRUE(got_wait(e));
	ASSERT_EQ(0, door_revoke(fd));
	ASSERT_EQ(0, door_info(fd, &info));
	EXPECT_EQ((__u32)(DOOR_LOCAL | DOOR_REVOKED), info.attributes);
	gate_open(e, 1);
	ASSERT_TRUE(async_join(e, 0));
	EXPECT_EQ(0, e->ac[0].ret) TH_LOG("%s", strerror(e->ac[0].err));
	EXPECT_EQ((__u64)sizeof(released), e->ac[0].arg.data_size);
	EXPECT_STREQ(released, (char *)e->ac[0].rbuf);
	EXPECT_ERRNO(EBADF, call(fd, &a, NULL, 0, rbuf, sizeof(rbuf)));
	EXPECT_EQ(1, e->calls);
}

#define UC_UID	2001
#define UC_EUID	2002
#define UC_SUID	2003
#define UC_GID	3001
#define UC_EGID	3002
#define UC_SGID	3003

/*
 * door_ucred() in a server thread gives the caller's pid and real,
 * effective and saved ids, door_ucred_groups() its supplementary groups:
 * here of a forked client that, when the test runs as root, first takes
 * six different ids and two groups.  Bad pointers: EFAULT; a short array
 * for the groups: EINVAL, as getgroups(2).
 */
TEST_F_TIMEOUT(door, ucred_fields, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	struct door_ucred uc, got;
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	unsigned char rbuf[64];
	struct door_arg a;
	struct call_rec *r;
	bool root = !geteuid();
	pid_t pid;
	int fd;

	e->handler = h_ucred;
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, 64, 64, NULL));

	pid = spawn(e);
	ASSERT_LE(0, pid);
	if (!pid) {
		if (root) {
			/* given out of order, returned in the kernel's */
			static const gid_t two[] = { UC_GID + 20, UC_GID + 10 };

			CHILD_CHECK(e, !setgroups(2, two));
			CHILD_CHECK(e, !setresgid(UC_GID, UC_EGID, UC_SGID));
			CHILD_CHECK(e, !setresuid(UC_UID, UC_EUID, UC_SUID));
		}
		CHILD_CHECK(e, !getresuid(&ru, &eu, &su));
		CHILD_CHECK(e, !getresgid(&rg, &eg, &sg));
		CHILD_CHECK(e, !call(fd, &a, "who", 3, rbuf, sizeof(rbuf)));
		CHILD_CHECK(e, a.data_size == sizeof(got));
		memcpy(&got, rbuf, sizeof(got));
		CHILD_CHECK(e, got.pid == getpid());
		CHILD_CHECK(e, got.uid == ru && got.euid == eu &&
			    got.suid == su);
		CHILD_CHECK(e, got.gid == rg && got.egid == eg &&
			    got.sgid == sg);
		CHILD_CHECK(e, got.reserved == 0);
		_exit(0);
	}
	EXPECT_TRUE(child_ok(_metadata, e, pid));
	ASSERT_EQ(1, e->calls);
	r = &e->recs[0];
	EXPECT_EQ(EFAULT, r->err[0]) TH_LOG("door_ucred(NULL)");
	EXPECT_EQ(EFAULT, r->err[1]) TH_LOG("door_ucred(1)");
	ASSERT_EQ(0, r->ret) TH_LOG("door_ucred: %s", strerror(r->err[2]));
	EXPECT_EQ(pid, r->uc.pid);
	if (root) {
		EXPECT_EQ((__u32)UC_UID, r->uc.uid);
		EXPECT_EQ((__u32)UC_EUID, r->uc.euid);
		EXPECT_EQ((__u32)UC_SUID, r->uc.suid);
		EXPECT_EQ((__u32)UC_GID, r->uc.gid);
		EXPECT_EQ((__u32)UC_EGID, r->uc.egid);
		EXPECT_EQ((__u32)UC_SGID, r->uc.sgid);
		EXPECT_EQ(2, r->ngroups[0]);
		EXPECT_EQ(-1, r->ngroups[1]);
		EXPECT_EQ(EINVAL, r->groups_err);
		EXPECT_EQ(2, r->ngroups[2]);
		EXPECT_EQ((__u32)UC_GID + 10, r->groups[0]);
		EXPECT_EQ((__u32)UC_GID + 20, r->groups[1]);
	} else {
		TH_LOG("not root: the ids are the test's own");
	}

	/* a caller in the server's own process */
	ASSERT_EQ(0, call(fd, &a, NULL, 0, rbuf, sizeof(rbuf)));
	ASSERT_EQ(2, e->calls);
	memcpy(&uc, rbuf, sizeof(uc));
	EXPECT_EQ(getpid(), uc.pid);
	EXPECT_EQ((__u32)getuid(), uc.uid);
	EXPECT_EQ((__u32)getegid(), uc.egid);
}

/*
 * door_ucred() outside a call: EINVAL in the creator's thread that is
 * not serving, even while another thread serves a call.
 */
TEST_F_TIMEOUT(door, ucred_outside_call, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	struct door_ucred uc;
	int fd;

	e->handler = h_block;
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	EXPECT_ERRNO(EINVAL, door_ucred(&uc));
	EXPECT_ERRNO(EINVAL, door_ucred_groups(NULL, 0));
	ASSERT_EQ(0, add_servers(e, 1, 64, 64, NULL));
	EXPECT_ERRNO(EINVAL, door_ucred(&uc));
	EXPECT_ERRNO(EINVAL, door_ucred_groups(NULL, 0));
	ASSERT_EQ(0, async_start(e, 0, fd, "A", 1));
	ASSERT_TRUE(got_wait(e));
	EXPECT_ERRNO(EINVAL, door_ucred(&uc));
	EXPECT_ERRNO(EINVAL, door_ucred_groups(NULL, 0));
	gate_open(e, 1);
	ASSERT_TRUE(async_join(e, 0));
	EXPECT_EQ(0, e->ac[0].ret);
}

/*
 * A signal to a caller whose call is still queued (no server thread):
 * EINTR, and no server thread ever sees that call - the first call a
 * server thread started later sees is the next one.
 */
TEST_F_TIMEOUT(door, signal_queued, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	unsigned char rbuf[64];
	struct door_arg a;
	__u64 tag, v;
	int fd;

	e->handler = h_count;
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);

	tag = 1;
	ASSERT_EQ(0, set_timer(200));
	EXPECT_ERRNO(EINTR, call(fd, &a, &tag, sizeof(tag), rbuf,
				 sizeof(rbuf)));
	set_timer(0);

	ASSERT_EQ(0, add_servers(e, 1, 64, 64, NULL));
	tag = 2;
	ASSERT_EQ(0, call(fd, &a, &tag, sizeof(tag), rbuf, sizeof(rbuf)));
	memcpy(&v, rbuf, sizeof(v));
	EXPECT_EQ(~2ULL, v);
	sleep_ms(100);
	ASSERT_EQ(1, e->calls);
	EXPECT_EQ(2ULL, e->recs[0].tag);
}

/*
 * A signal to a caller while a server thread serves its call: EINTR at
 * once; the server's results go nowhere but its door_return() succeeds,
 * and the next call works.
 */
TEST_F_TIMEOUT(door, signal_in_call, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	unsigned char rbuf[64];
	struct door_arg a;
	int fd;

	e->handler = h_block;
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, 64, 64, NULL));
	ASSERT_EQ(0, async_start(e, 0, fd, "A", 1));
	ASSERT_TRUE(got_wait(e));
	ASSERT_EQ(0, pthread_kill(e->ac[0].thread, SIGUSR1));
	ASSERT_TRUE(async_join(e, 0)) TH_LOG("the caller still waits");
	EXPECT_EQ(-1, e->ac[0].ret);
	EXPECT_EQ(EINTR, e->ac[0].err) TH_LOG("%s", strerror(e->ac[0].err));

	/* the server returns its results to nobody, then waits again */
	e->handler = h_echo;
	gate_open(e, 1);
	ASSERT_TRUE(wait_in_syscall(getpid(), e->th[0].tid, __NR_door_return));
	ASSERT_EQ(0, call(fd, &a, NULL, 0, rbuf, sizeof(rbuf)));
	EXPECT_EQ(1ULL, a.data_size);
	EXPECT_EQ(2, e->calls);
	EXPECT_EQ(0, e->efaults);
	EXPECT_EQ(0, e->eintrs);
}

/*
 * A client process killed in the middle of a call, and one killed while
 * its call is queued: the server carries on, and never sees the queued
 * call.
 */
TEST_F_TIMEOUT(door, client_killed, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	unsigned char rbuf[64];
	struct door_arg a;
	int fd, status;
	__u64 tag;
	pid_t pid;

	e->handler = h_block;
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 1, 64, 64, NULL));

	pid = spawn(e);
	ASSERT_LE(0, pid);
	if (!pid) {
		call(fd, &a, "K", 1, rbuf, sizeof(rbuf));
		_exit(3);
	}
	ASSERT_TRUE(got_wait(e));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	status = reap(e, pid, WAIT_MS);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	e->handler = h_echo;
	gate_open(e, 1);
	ASSERT_TRUE(wait_in_syscall(getpid(), e->th[0].tid, __NR_door_return));
	ASSERT_EQ(0, call(fd, &a, NULL, 0, rbuf, sizeof(rbuf)));
	EXPECT_EQ(2, e->calls);

	/* killed while queued: the only server thread is busy */
	e->handler = h_block;
	ASSERT_EQ(0, async_start(e, 0, fd, "B", 1));
	ASSERT_TRUE(got_wait(e));
	pid = spawn(e);
	ASSERT_LE(0, pid);
	if (!pid) {
		tag = 99;
		call(fd, &a, &tag, sizeof(tag), rbuf, sizeof(rbuf));
		_exit(3);
	}
	ASSERT_TRUE(wait_in_syscall(pid, pid, __NR_door_call));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	status = reap(e, pid, WAIT_MS);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	e->handler = h_count;
	gate_open(e, 1);
	ASSERT_TRUE(async_join(e, 0));
	EXPECT_EQ(0, e->ac[0].ret);
	tag = 5;
	ASSERT_EQ(0, call(fd, &a, &tag, sizeof(tag), rbuf, sizeof(rbuf)));
	sleep_ms(100);
	ASSERT_EQ(4, e->calls);
	EXPECT_EQ(5ULL, e->recs[3].tag);
}

/*
 * A server thread that exits (pthread_exit()) in the middle of a call:
 * the caller gets EINTR; another thread of the pool serves the next call.
 */
TEST_F_TIMEOUT(door, server_thread_exit, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	unsigned char rbuf[64];
	struct door_arg a;
	int fd;

	e->handler = h_exit;
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, add_servers(e, 2, 64, 64, NULL));
	EXPECT_ERRNO(EINTR, call(fd, &a, "X", 1, rbuf, sizeof(rbuf)));
	ASSERT_TRUE(got_wait(e));
	e->handler = h_echo;
	ASSERT_EQ(0, call(fd, &a, NULL, 0, rbuf, sizeof(rbuf)));
	EXPECT_EQ(1ULL, a.data_size);
	ASSERT_EQ(2, e->calls);
	EXPECT_NE(e->recs[0].tid, e->recs[1].tid);
}

/*
 * Server process for server_dies*: create a door, pass it over @sock,
 * then either never serve, or serve one call and sit on it.
 */
static void __noreturn
server_child(struct door_env *e, int sock, bool serve)
{
	struct door_return_args ra;
	unsigned char rbuf[64];
	int fd;

	fd = door_create(PROC_A, COOKIE_A, 0);
	CHILD_CHECK(e, fd >= 0);
	CHILD_CHECK(e, !du_send_fd(sock, fd));
	if (serve) {
		memset(&ra, 0, sizeof(ra));
		ra.rbuf = u64_of(rbuf);
		ra.rsize = sizeof(rbuf);
		CHILD_CHECK(e, !door_return(&ra, 0));
		CHILD_CHECK(e, write(sock, "g", 1) == 1);
		for (;;)
			pause();
	}
	/* wait for the word, then exit */
	CHILD_CHECK(e, read(sock, rbuf, 1) == 1);
	_exit(0);
}

/*
 * The server process dies with callers queued: they fail with EBADF;
 * door_info() then says target -1, DOOR_REVOKED; new calls fail with
 * EBADF.
 */
TEST_F_TIMEOUT(door, server_dies_queued, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	unsigned char rbuf[64];
	struct door_info info;
	struct door_arg a;
	int fd, sv[2], i;
	pid_t pid;
	__u64 v;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	track_fd(e, sv[0]);
	track_fd(e, sv[1]);
	pid = spawn(e);
	ASSERT_LE(0, pid);
	if (!pid) {
		close(sv[0]);
		server_child(e, sv[1], false);
	}
	/* a helper that dies early must leave du_recv_fd() with EOF */
	untrack_close(e, sv[1]);
	fd = track_fd(e, du_recv_fd(sv[0]));
	ASSERT_LE(0, fd) TH_LOG("no door from the server: %s",
				strerror(errno));
	ASSERT_EQ(0, door_info(fd, &info));
	EXPECT_EQ(pid, info.target);
	EXPECT_EQ(0U, info.attributes);
	EXPECT_EQ((__u64)PROC_A, info.proc);

	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, async_start(e, i, fd, "Q", 1));
	for (i = 0; i < 2; i++)
		ASSERT_TRUE(wait_in_syscall(getpid(), e->ac[i].tid,
					    __NR_door_call));
	ASSERT_EQ(1, write(sv[0], "x", 1));
	EXPECT_TRUE(child_ok(_metadata, e, pid));
	for (i = 0; i < 2; i++) {
		ASSERT_TRUE(async_join(e, i)) TH_LOG("caller %d still waits", i);
		EXPECT_EQ(-1, e->ac[i].ret);
		EXPECT_EQ(EBADF, e->ac[i].err) TH_LOG("caller %d: %s", i,
						      strerror(e->ac[i].err));
	}
	memset(&info, 0, sizeof(info));
	ASSERT_EQ(0, door_info(fd, &info));
	EXPECT_EQ(-1, info.target);
	EXPECT_EQ((__u32)DOOR_REVOKED, info.attributes);
	/* no server left to ask whether we may see its addresses */
	EXPECT_EQ(0ULL, info.proc);
	EXPECT_EQ(0ULL, info.cookie);
	EXPECT_ERRNO(EBADF, call(fd, &a, NULL, 0, rbuf, sizeof(rbuf)));
	EXPECT_EQ(0, door_getparam(fd, DOOR_PARAM_DATA_MAX, &v));
}

/* The server process dies while serving a call: the caller gets EINTR. */
TEST_F_TIMEOUT(door, server_dies_in_call, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	struct door_info info;
	int fd, sv[2], status;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	track_fd(e, sv[0]);
	track_fd(e, sv[1]);
	pid = spawn(e);
	ASSERT_LE(0, pid);
	if (!pid) {
		close(sv[0]);
		server_child(e, sv[1], true);
	}
	untrack_close(e, sv[1]);
	fd = track_fd(e, du_recv_fd(sv[0]));
	ASSERT_LE(0, fd) TH_LOG("no door from the server: %s",
				strerror(errno));
	ASSERT_TRUE(wait_in_syscall(pid, pid, __NR_door_return));
	ASSERT_EQ(0, async_start(e, 0, fd, "C", 1));
	ASSERT_EQ('g', read_byte(sv[0], WAIT_MS)) TH_LOG("no call served");
	ASSERT_EQ(0, kill(pid, SIGKILL));
	status = reap(e, pid, WAIT_MS);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	ASSERT_TRUE(async_join(e, 0)) TH_LOG("the caller still waits");
	EXPECT_EQ(-1, e->ac[0].ret);
	EXPECT_EQ(EINTR, e->ac[0].err) TH_LOG("%s", strerror(e->ac[0].err));
	ASSERT_EQ(0, door_info(fd, &info));
	EXPECT_EQ(-1, info.target);
	EXPECT_EQ((__u32)DOOR_REVOKED, info.attributes);
}

/* A server thread calls its own door; another thread of the pool serves. */
TEST_F_TIMEOUT(door, nested_call, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	unsigned char rbuf[64];
	struct nest_reply nr;
	struct door_arg a;
	int fd;

	e->handler = h_nested;
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	e->nested_fd = fd;
	ASSERT_EQ(0, add_servers(e, 2, 64, 64, NULL));
	ASSERT_EQ(0, call(fd, &a, "nest", 4, rbuf, sizeof(rbuf)));
	ASSERT_EQ((__u64)sizeof(nr), a.data_size);
	memcpy(&nr, rbuf, sizeof(nr));
	EXPECT_EQ(0, nr.ret) TH_LOG("nested call: %s", strerror(nr.err));
	EXPECT_EQ(4ULL, nr.size);
	EXPECT_EQ(0, memcmp(nr.data, "fael", 4));
	ASSERT_EQ(2, e->calls);
	EXPECT_NE(e->recs[0].tid, e->recs[1].tid);
}

/*
 * The only server thread calls its own door: nobody can serve that, so
 * the call waits - interruptibly: a signal ends it with EINTR, the
 * thread finishes the outer call, and the inner call is never served.
 */
TEST_F_TIMEOUT(door, self_call_one_thread, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	unsigned char rbuf[64];
	struct nest_reply nr;
	struct door_arg a;
	int fd;

	e->handler = h_nested;
	fd = new_door(e, 0, 0, 0);
	ASSERT_LE(0, fd);
	e->nested_fd = fd;
	ASSERT_EQ(0, add_servers(e, 1, 64, 64, NULL));
	ASSERT_EQ(0, async_start(e, 0, fd, "nest", 4));
	ASSERT_TRUE(got_wait(e));
	ASSERT_TRUE(wait_in_syscall(getpid(), e->th[0].tid, __NR_door_call));
	ASSERT_EQ(0, pthread_kill(e->th[0].thread, SIGUSR1));
	ASSERT_TRUE(async_join(e, 0)) TH_LOG("the outer call never ended");
	ASSERT_EQ(0, e->ac[0].ret) TH_LOG("%s", strerror(e->ac[0].err));
	ASSERT_EQ((__u64)sizeof(nr), e->ac[0].arg.data_size);
	memcpy(&nr, e->ac[0].rbuf, sizeof(nr));
	EXPECT_EQ(-1, nr.ret);
	EXPECT_EQ(EINTR, nr.err) TH_LOG("%s", strerror(nr.err));

	ASSERT_EQ(0, call(fd, &a, "ab", 2, rbuf, sizeof(rbuf)));
	EXPECT_EQ(0, memcmp(rbuf, "ba", 2));
	sleep_ms(100);
	EXPECT_EQ(2, e->calls);
}

/*
 * door_getparam() and door_setparam(): errors in order (descriptor,
 * parameter, pointer), each limit's exact bounds, DOOR_REFUSE_DESC.
 */
TEST_F_TIMEOUT(door, params, TEST_TIMEOUT)
{
	struct door_env *e = self->e;
	unsigned char *none, *ro;
	int fd, rfd, p[2], cfd;
	__u64 v;

	fd = new_door(e, 0, 0, 0);
	rfd = new_door(e, 0, 0, DOOR_REFUSE_DESC);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, rfd);
	ASSERT_EQ(0, pipe(p));
	track_fd(e, p[0]);
	track_fd(e, p[1]);
	cfd = closed_fd();
	none = map(e->page, PROT_NONE);
	ro = map(e->page, PROT_READ);
	ASSERT_TRUE(none && ro);

	EXPECT_ERRNO(EBADF, door_getparam(-1, DOOR_PARAM_DATA_MAX, &v));
	EXPECT_ERRNO(EBADF, door_getparam(cfd, DOOR_PARAM_DATA_MAX, &v));
	EXPECT_ERRNO(EBADF, door_getparam(p[0], DOOR_PARAM_DATA_MAX, &v));
	EXPECT_ERRNO(EBADF, door_getparam(p[0], 0, NULL));
	EXPECT_ERRNO(EINVAL, door_getparam(fd, 0, &v));
	EXPECT_ERRNO(EINVAL, door_getparam(fd, 4, &v));
	EXPECT_ERRNO(EINVAL, door_getparam(fd, ~0U, &v));
	EXPECT_ERRNO(EINVAL, door_getparam(fd, 0, NULL));
	EXPECT_ERRNO(EFAULT, door_getparam(fd, DOOR_PARAM_DATA_MAX, NULL));
	EXPECT_ERRNO(EFAULT, door_getparam(fd, DOOR_PARAM_DESC_MAX,
					   (void *)1));
	EXPECT_ERRNO(EFAULT, door_getparam(fd, DOOR_PARAM_DATA_MIN, none));
	EXPECT_ERRNO(EFAULT, door_getparam(fd, DOOR_PARAM_DATA_MIN, ro));

	EXPECT_ERRNO(EBADF, door_setparam(-1, DOOR_PARAM_DATA_MAX, 10));
	EXPECT_ERRNO(EBADF, door_setparam(p[1], DOOR_PARAM_DATA_MAX, 10));
	EXPECT_ERRNO(EBADF, door_setparam(cfd, DOOR_PARAM_DATA_MAX, 10));
	EXPECT_ERRNO(EINVAL, door_setparam(fd, 0, 0));
	EXPECT_ERRNO(EINVAL, door_setparam(fd, 4, 0));
	EXPECT_ERRNO(EINVAL, door_setparam(fd, ~0U, 0));

	/*
	 * data_max: at least data_min, any value above (calls are held to
	 * DOOR_DATA_LIMIT anyway); all ones is no limit, as by default
	 */
	EXPECT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MAX,
				   DOOR_DATA_LIMIT + 1UL));
	ASSERT_EQ(0, door_getparam(fd, DOOR_PARAM_DATA_MAX, &v));
	EXPECT_EQ(DOOR_DATA_LIMIT + 1ULL, v);
	EXPECT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MAX, ~0UL));
	ASSERT_EQ(0, door_getparam(fd, DOOR_PARAM_DATA_MAX, &v));
	EXPECT_EQ(DOOR_PARAM_NO_LIMIT, v);
	EXPECT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MAX, DOOR_DATA_LIMIT));
	EXPECT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MAX, 4096));
	ASSERT_EQ(0, door_getparam(fd, DOOR_PARAM_DATA_MAX, &v));
	EXPECT_EQ(4096ULL, v);
	/* data_min: at most data_max */
	EXPECT_ERRNO(EINVAL, door_setparam(fd, DOOR_PARAM_DATA_MIN, 4097));
	EXPECT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MIN, 4096));
	ASSERT_EQ(0, door_getparam(fd, DOOR_PARAM_DATA_MIN, &v));
	EXPECT_EQ(4096ULL, v);
	EXPECT_ERRNO(EINVAL, door_setparam(fd, DOOR_PARAM_DATA_MAX, 4095));
	EXPECT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MIN, 100));
	EXPECT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MAX, 100));
	EXPECT_ERRNO(EINVAL, door_setparam(fd, DOOR_PARAM_DATA_MAX, 99));
	EXPECT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MIN, 0));
	EXPECT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MAX, 0));
	ASSERT_EQ(0, door_getparam(fd, DOOR_PARAM_DATA_MAX, &v));
	EXPECT_EQ(0ULL, v);
	EXPECT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MAX, DOOR_DATA_LIMIT));

	/* desc_max: at most INT_MAX; 0 only, with DOOR_REFUSE_DESC */
	EXPECT_ERRNO(EINVAL, door_setparam(fd, DOOR_PARAM_DESC_MAX,
					   (unsigned long)INT_MAX + 1));
	if (sizeof(unsigned long) > 4) {
		EXPECT_ERRNO(EINVAL, door_setparam(fd, DOOR_PARAM_DESC_MAX,
						   ~0UL));
	}
	EXPECT_EQ(0, door_setparam(fd, DOOR_PARAM_DESC_MAX, 5));
	ASSERT_EQ(0, door_getparam(fd, DOOR_PARAM_DESC_MAX, &v));
	EXPECT_EQ(5ULL, v);
	EXPECT_EQ(0, door_setparam(fd, DOOR_PARAM_DESC_MAX, 0));
	EXPECT_EQ(0, door_setparam(fd, DOOR_PARAM_DESC_MAX, INT_MAX));
	ASSERT_EQ(0, door_getparam(fd, DOOR_PARAM_DESC_MAX, &v));
	EXPECT_EQ((__u64)INT_MAX, v);
	EXPECT_ERRNO(EOPNOTSUPP, door_setparam(rfd, DOOR_PARAM_DESC_MAX, 1));
	EXPECT_ERRNO(EOPNOTSUPP, door_setparam(rfd, DOOR_PARAM_DESC_MAX,
					       INT_MAX));
	EXPECT_EQ(0, door_setparam(rfd, DOOR_PARAM_DESC_MAX, 0));
	ASSERT_EQ(0, door_getparam(rfd, DOOR_PARAM_DESC_MAX, &v));
	EXPECT_EQ(0ULL, v);
	munmap(none, e->page);
	munmap(ro, e->page);
}

/*
 * The program door_exec_revokes execs parks here, in a constructor, so
 * that the harness never starts: it waits to be killed.
 */
static void __attribute__((constructor)) exec_parking(void)
{
	if (getenv("DOOR_TEST_PARK")) {
		for (;;)
			pause();
	}
}

/*
 * exec() ends a server: the new program serves none of the old one's
 * doors.  They read as revoked and calls fail with EBADF although the
 * process lives on.
 */
TEST(door_exec_revokes)
{
	static char * const argv[] = { "door_test", NULL };
	static char * const envp[] = { "DOOR_TEST_PARK=1", NULL };
	struct door_info info;
	struct door_arg a;
	int sv[2], fd, status, ms;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* parked after the exec: must not outlive a failed test */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(sv[0]);
		fd = door_create(1, 2, 0);
		if (fd < 0 || du_send_fd(sv[1], fd) || read_byte(sv[1], 20000) != 'x')
			_exit(1);
		execve("/proc/self/exe", argv, envp);
		_exit(2);
	}
	close(sv[1]);
	fd = du_recv_fd(sv[0]);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, door_info(fd, &info));
	EXPECT_EQ(pid, info.target);
	EXPECT_EQ(0U, info.attributes & DOOR_REVOKED);

	ASSERT_EQ(1, write(sv[0], "x", 1));
	for (ms = 0; ms < 20000; ms += 10) {
		ASSERT_EQ(0, door_info(fd, &info));
		if (info.attributes & DOOR_REVOKED)
			break;
		sleep_ms(10);
	}
	EXPECT_NE(0U, info.attributes & DOOR_REVOKED);
	EXPECT_EQ(-1, info.target);
	/* still alive: it was the exec, not an exit */
	EXPECT_EQ(0, waitpid(pid, &status, WNOHANG));
	memset(&a, 0, sizeof(a));
	EXPECT_ERRNO(EBADF, door_call(fd, &a, 0));

	kill(pid, SIGKILL);
	EXPECT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	close(fd);
	close(sv[0]);
}

TEST_HARNESS_MAIN
