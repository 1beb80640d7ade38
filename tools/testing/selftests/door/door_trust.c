// SPDX-License-Identifier: GPL-2.0
/*
 * What a door server must not have to trust its callers with, and what a
 * caller must not learn about a server it may only call:
 *
 * - faults on a caller's memory are the caller's: large arguments in
 *   memory whose faults a userfaultfd handler of the caller resolves
 *   arrive once it does, and the server's threads stay free meanwhile;
 * - once door_call() has returned, however it returned, no server reads
 *   the caller's memory and no page of it stays pinned;
 * - the caller's protection keys hold for large arguments too;
 * - door_info() shows a door's procedure and cookie (addresses in the
 *   server) only to the server's own process or to one that may ptrace it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <linux/userfaultfd.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "../kselftest_harness.h"
#include "door_util.h"

#define BIG	(128 * 1024)

static void nop_handler(int sig)
{
	(void)sig;
}

/* A userfaultfd over [addr, addr + len) that resolves faults when told. */
struct uffd {
	int fd;
	char *addr;
	size_t len;
	pthread_t thread;
	int faults;			/* faults seen */
	int release;			/* resolve them from now on */
	__u64 seed;			/* the pattern to fill pages with */
	bool zero;			/* or zeros */
	bool stop;
};

static void *uffd_main(void *arg)
{
	struct uffd *u = arg;
	struct uffdio_copy copy;
	struct uffdio_zeropage zp;
	struct uffd_msg msg;
	struct pollfd pfd = { .fd = u->fd, .events = POLLIN };
	unsigned long page = sysconf(_SC_PAGESIZE), at;
	char *src = malloc(page);

	while (!__atomic_load_n(&u->stop, __ATOMIC_ACQUIRE)) {
		if (poll(&pfd, 1, 20) <= 0)
			continue;
		if (read(u->fd, &msg, sizeof(msg)) != sizeof(msg))
			continue;
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		__atomic_add_fetch(&u->faults, 1, __ATOMIC_RELEASE);
		while (!__atomic_load_n(&u->release, __ATOMIC_ACQUIRE) &&
		       !__atomic_load_n(&u->stop, __ATOMIC_ACQUIRE))
			du_sleep_ms(2);
		at = msg.arg.pagefault.address & ~(page - 1);
		if (u->zero) {
			zp.range.start = at;
			zp.range.len = page;
			zp.mode = 0;
			ioctl(u->fd, UFFDIO_ZEROPAGE, &zp);
		} else {
			/* the page's share of the pattern over the whole range */
			char *whole = malloc(u->len);

			pat_fill(whole, u->len, u->seed);
			memcpy(src, whole + (at - (unsigned long)u->addr), page);
			free(whole);
			copy.dst = at;
			copy.src = (unsigned long)src;
			copy.len = page;
			copy.mode = 0;
			ioctl(u->fd, UFFDIO_COPY, &copy);
		}
	}
	free(src);
	return NULL;
}

/* Register a new anonymous mapping of @len bytes; 0, or -1 to skip. */
static int uffd_setup(struct uffd *u, size_t len)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;

	memset(u, 0, sizeof(*u));
	u->fd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (u->fd < 0)
		return -1;
	if (ioctl(u->fd, UFFDIO_API, &api))
		return -1;
	u->len = len;
	u->addr = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (u->addr == MAP_FAILED)
		return -1;
	reg.range.start = (unsigned long)u->addr;
	reg.range.len = len;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(u->fd, UFFDIO_REGISTER, &reg))
		return -1;
	return pthread_create(&u->thread, NULL, uffd_main, u) ? -1 : 0;
}

static void uffd_teardown(struct uffd *u)
{
	__atomic_store_n(&u->stop, true, __ATOMIC_RELEASE);
	pthread_join(u->thread, NULL);
	munmap(u->addr, u->len);
	close(u->fd);
}

struct caller {
	pthread_t thread;
	pid_t tid;
	int fd;
	const void *data;
	size_t len;
	unsigned char rbuf[64];
	struct door_arg a;
	int ret;
	int err;
	int done;
};

static void *caller_main(void *arg)
{
	struct caller *c = arg;

	__atomic_store_n(&c->tid, du_gettid(), __ATOMIC_RELEASE);
	c->ret = du_call(c->fd, c->data, c->len, c->rbuf, sizeof(c->rbuf),
			 &c->a);
	c->err = c->ret ? errno : 0;
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static int caller_start(struct caller *c, int fd, const void *data,
			size_t len)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->data = data;
	c->len = len;
	if (pthread_create(&c->thread, NULL, caller_main, c))
		return -1;
	while (!__atomic_load_n(&c->tid, __ATOMIC_ACQUIRE))
		du_sleep_ms(1);
	return 0;
}

/* The server checks the whole pattern and replies with its verdict. */
static __u64 want_seed;
static int bad_calls;

static void check_hook(struct du_server *s, struct door_return_args *ra)
{
	s->reply[0] = ra->data_size == BIG &&
		      pat_check(ptr_of(ra->data_ptr), BIG, want_seed) < 0;
	if (!s->reply[0])
		__atomic_add_fetch(&bad_calls, 1, __ATOMIC_RELAXED);
	ra->result_ptr = u64_of(s->reply);
	ra->result_size = 1;
}

/*
 * Large arguments in memory a userfaultfd handler of the caller has not
 * filled yet: the caller's fault waits for the handler, in the caller,
 * while the door's only server thread serves others; then the call
 * succeeds with the handler's bytes, as a write() from that memory would.
 */
TEST(caller_fault_is_callers)
{
	struct du_server s = { .hook = check_hook };
	struct caller big, small;
	struct uffd u;
	char one = 'a';
	int fd;

	if (uffd_setup(&u, BIG))
		SKIP(return, "no userfaultfd: %s", strerror(errno));
	u.seed = mix64(11);
	want_seed = u.seed;
	fd = door_create(1, 2, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, du_server_start(&s, BIG));

	ASSERT_EQ(0, caller_start(&big, fd, u.addr, BIG));
	ASSERT_TRUE(du_count_reaches(&u.faults, 1, DU_WAIT_MS));

	/* the fault is pending: the server is not the one waiting for it */
	s.hook = NULL;
	ASSERT_EQ(0, caller_start(&small, fd, &one, 1));
	ASSERT_EQ(0, pthread_join(small.thread, NULL));
	EXPECT_EQ(0, small.ret) TH_LOG("%s", strerror(small.err));
	EXPECT_EQ('b', small.rbuf[0]);
	EXPECT_EQ(0, __atomic_load_n(&big.done, __ATOMIC_ACQUIRE));
	EXPECT_NE('D', du_state_of(getpid(), s.tid));

	s.hook = check_hook;
	__atomic_store_n(&u.release, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, pthread_join(big.thread, NULL));
	EXPECT_EQ(0, big.ret) TH_LOG("large call: %s", strerror(big.err));
	EXPECT_EQ(1, big.rbuf[0]);
	EXPECT_EQ(0, bad_calls);
	EXPECT_EQ(0LL, du_pins_held());
	uffd_teardown(&u);
	close(fd);
}

/* A chunk of @buf equal to the same chunk of @ref, or -1. */
static long same_chunk(const unsigned char *buf, const unsigned char *ref,
		       size_t len)
{
	size_t i;

	for (i = 0; i + 64 <= len; i += 64)
		if (!memcmp(buf + i, ref + i, 64))
			return i;
	return -1;
}

/*
 * A caller interrupted while the server is still taking its large
 * arguments (the server's own receive buffer faults slowly): when
 * door_call() returns, no page of the caller is pinned, and bytes the
 * caller writes afterwards never reach the server.
 */
TEST(no_reads_after_return)
{
	struct du_server s = { 0 };
	struct sigaction sa = { .sa_handler = nop_handler };
	unsigned char *data, *fresh;
	struct caller c;
	struct uffd u;
	long at;
	int fd;

	if (uffd_setup(&u, BIG))
		SKIP(return, "no userfaultfd: %s", strerror(errno));
	u.zero = true;
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	data = malloc(BIG);
	fresh = malloc(BIG);
	ASSERT_TRUE(data && fresh);
	pat_fill(data, BIG, mix64(21));
	pat_fill(fresh, BIG, mix64(22));

	fd = door_create(1, 2, 0);
	ASSERT_LE(0, fd);
	/* the server receives into the slowly faulting mapping */
	s.rsize = BIG;
	s.rbuf = (unsigned char *)u.addr;
	ASSERT_EQ(0, pthread_create(&s.thread, NULL, du_server_main, &s));
	while (!__atomic_load_n(&s.tid, __ATOMIC_ACQUIRE))
		du_sleep_ms(1);
	ASSERT_TRUE(du_wait_syscall(getpid(), s.tid, __NR_door_return));

	ASSERT_EQ(0, caller_start(&c, fd, data, BIG));
	ASSERT_TRUE(du_count_reaches(&u.faults, 1, DU_WAIT_MS));
	ASSERT_EQ(0, pthread_kill(c.thread, SIGUSR1));
	ASSERT_EQ(0, pthread_join(c.thread, NULL));
	EXPECT_EQ(-1, c.ret);
	EXPECT_EQ(EINTR, c.err);
	EXPECT_EQ(0LL, du_pins_held()) TH_LOG("pages still pinned after return");

	/* what the caller writes now is none of the server's business */
	memcpy(data, fresh, BIG);
	__atomic_store_n(&u.release, 1, __ATOMIC_RELEASE);
	ASSERT_TRUE(du_wait_syscall(getpid(), s.tid, __NR_door_return));
	du_sleep_ms(100);
	at = same_chunk(s.rbuf, fresh, BIG);
	EXPECT_EQ(-1, at) TH_LOG("the server read the caller at %ld after return",
				 at);
	EXPECT_EQ(0, s.calls);
	EXPECT_EQ(0, s.errors);
	uffd_teardown(&u);
	close(fd);
}

static int held;				/* the hook holds the call */
static int hold_release;

static void hold_hook(struct du_server *s, struct door_return_args *ra)
{
	__atomic_store_n(&held, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&hold_release, __ATOMIC_ACQUIRE))
		du_sleep_ms(1);
	du_echo(s, ra);
}

/*
 * The caller's pages are let go once the server has its data, not when
 * it answers: a server sitting on a large call holds no pin.
 */
TEST(pins_end_with_the_copy)
{
	struct du_server s = { .hook = hold_hook };
	unsigned char *data;
	struct caller c;
	int fd;

	data = malloc(BIG);
	ASSERT_TRUE(!!data);
	memset(data, 'p', BIG);
	fd = door_create(1, 2, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, du_server_start(&s, BIG));
	ASSERT_EQ(0, caller_start(&c, fd, data, BIG));
	ASSERT_TRUE(du_count_reaches(&held, 1, DU_WAIT_MS));
	EXPECT_EQ(0LL, du_pins_held()) TH_LOG("pins held while the server works");
	__atomic_store_n(&hold_release, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, pthread_join(c.thread, NULL));
	EXPECT_EQ(0, c.ret);
	EXPECT_EQ('q', c.rbuf[0]);
	close(fd);
}

#ifdef SYS_pkey_alloc

#ifndef PKEY_DISABLE_ACCESS
#define PKEY_DISABLE_ACCESS	0x1
#endif

/*
 * Memory the caller's protection keys forbid it to read cannot be passed
 * as large arguments either: the pages are pinned with the caller's keys.
 */
TEST(pkey_holds)
{
	struct du_server s = { 0 };
	unsigned char rbuf[16];
	struct door_arg a;
	char *data;
	int fd, key;

	key = syscall(SYS_pkey_alloc, 0, PKEY_DISABLE_ACCESS);
	if (key < 0)
		SKIP(return, "no protection keys: %s", strerror(errno));
	data = mmap(NULL, BIG, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_TRUE(data != MAP_FAILED);
	memset(data, 'q', BIG);
	ASSERT_EQ(0, syscall(SYS_pkey_mprotect, data, BIG,
			     PROT_READ | PROT_WRITE, key));
	fd = door_create(1, 2, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, du_server_start(&s, BIG));
	EXPECT_EQ(-1, du_call(fd, data, BIG, rbuf, sizeof(rbuf), &a));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, s.calls);
	EXPECT_EQ(0LL, du_pins_held());
	close(fd);
}
#endif

/* door_info() of @fd from a child process with ids @uid; 0 or -1. */
static int info_from_child(int fd, uid_t uid, struct door_info *out)
{
	int p[2], status;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		struct door_info info;

		memset(&info, 0xff, sizeof(info));
		if (uid && setresuid(uid, uid, uid))
			_exit(2);
		if (door_info(fd, &info))
			_exit(3);
		_exit(write(p[1], &info, sizeof(info)) == sizeof(info) ? 0 : 4);
	}
	close(p[1]);
	status = read(p[0], out, sizeof(*out)) == sizeof(*out) ? 0 : -1;
	close(p[0]);
	waitpid(pid, NULL, 0);
	return status;
}

/*
 * door_info() gives procedure and cookie to the server's own process and
 * to a process that may ptrace the server (root here), 0 to one that may
 * not (another user); the rest it gives to every holder.
 */
TEST(info_hides_addresses)
{
	struct door_info mine, root, other;
	int fd;

	if (geteuid())
		SKIP(return, "needs root, to be another user");
	fd = door_create(0x1234, 0x5678, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, door_info(fd, &mine));
	EXPECT_EQ(0x1234ULL, mine.proc);
	EXPECT_EQ(0x5678ULL, mine.cookie);
	EXPECT_TRUE(mine.attributes & DOOR_LOCAL);

	ASSERT_EQ(0, info_from_child(fd, 0, &root));
	EXPECT_EQ(0x1234ULL, root.proc);
	EXPECT_EQ(0x5678ULL, root.cookie);
	EXPECT_FALSE(root.attributes & DOOR_LOCAL);

	ASSERT_EQ(0, info_from_child(fd, 65534, &other));
	EXPECT_EQ(0ULL, other.proc);
	EXPECT_EQ(0ULL, other.cookie);
	EXPECT_EQ(getpid(), other.target);
	EXPECT_EQ(mine.id, other.id);
	EXPECT_FALSE(other.attributes & DOOR_LOCAL);
	close(fd);
}

TEST_HARNESS_MAIN
