// SPDX-License-Identifier: GPL-2.0
/*
 * Doors through libdoor, as a Solaris program uses them: <door.h>,
 * door_create() with a five-argument procedure that ends in
 * door_return(), door_call() with a door_arg_t, and the library's own
 * server threads.  Each TEST runs in a process of its own, so each
 * starts with a fresh library and no server threads.
 *
 * Usage: libdoor_test (kselftest harness options)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <door.h>
#include <sys/door.h>

#include "../kselftest_harness.h"

#define WAIT_MS		20000

static pid_t gettid_(void)
{
	return syscall(SYS_gettid);
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Run @fn in a child process; its exit status (0 = all right). */
static int in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int nr_open_fds(void)
{
	char path[64];
	int fd, n = 0;

	for (fd = 0; fd < 1024; fd++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (!access(path, F_OK))
			n++;
	}
	return n;
}

/* Procedures */

/* Results: the arguments back, reversed; no results for no arguments. */
static void p_reverse(void *cookie, char *argp, size_t size, door_desc_t *dp,
		      uint_t n)
{
	static __thread char out[65536];
	size_t i;

	(void)cookie, (void)dp, (void)n;
	if (size > sizeof(out))
		size = sizeof(out);
	for (i = 0; i < size; i++)
		out[i] = argp[size - 1 - i];
	door_return(out, size, NULL, 0);
}

/* Arguments: a size; results: that many bytes of 'r'. */
static void p_big(void *cookie, char *argp, size_t size, door_desc_t *dp,
		  uint_t n)
{
	size_t want = 0;
	char *out;

	(void)cookie, (void)dp, (void)n;
	if (size == sizeof(want))
		memcpy(&want, argp, sizeof(want));
	out = malloc(want ? want : 1);
	memset(out, 'r', want);
	door_return(out, want, NULL, 0);	/* out leaks: a test */
}

/* Returns instead of calling door_return(): the library answers. */
static void p_returns(void *cookie, char *argp, size_t size, door_desc_t *dp,
		      uint_t n)
{
	(void)cookie, (void)argp, (void)size, (void)dp, (void)n;
}

/* Tells the caller the cookie and who called, as door_cred() sees it. */
struct who {
	void *cookie;
	door_cred_t dc;
	uid_t ueuid, uruid, usuid;
	gid_t uegid, urgid;
	pid_t upid;
	int cred_ret, ucred_ret;
	int ngroups;			/* ucred_getgroups(), -1 on error */
	gid_t groups[4];
};

static void p_who(void *cookie, char *argp, size_t size, door_desc_t *dp,
		  uint_t n)
{
	struct who w = { .cookie = cookie };
	const gid_t *groups;
	ucred_t *uc = NULL;
	int i;

	(void)argp, (void)size, (void)dp, (void)n;
	w.cred_ret = door_cred(&w.dc);
	w.ucred_ret = door_ucred(&uc);
	if (!w.ucred_ret) {
		w.ueuid = ucred_geteuid(uc);
		w.uruid = ucred_getruid(uc);
		w.usuid = ucred_getsuid(uc);
		w.uegid = ucred_getegid(uc);
		w.urgid = ucred_getrgid(uc);
		w.upid = ucred_getpid(uc);
		w.ngroups = ucred_getgroups(uc, &groups);
		for (i = 0; i < w.ngroups && i < 4; i++)
			w.groups[i] = groups[i];
		ucred_free(uc);
	}
	door_return((char *)&w, sizeof(w), NULL, 0);
}

/*
 * Descriptors: writes "seen" into every pipe it is given, and returns
 * a new pipe's write end (released: the server keeps no copy) whose
 * read end it keeps in p_desc_keep.
 */
static int p_desc_keep = -1;
static int p_desc_got;

static void p_desc(void *cookie, char *argp, size_t size, door_desc_t *dp,
		   uint_t n)
{
	door_desc_t d;
	int p[2];
	uint_t i;

	(void)cookie, (void)argp, (void)size;
	for (i = 0; i < n; i++) {
		if (!(dp[i].d_attributes & DOOR_DESCRIPTOR))
			continue;
		__atomic_add_fetch(&p_desc_got, 1, __ATOMIC_RELAXED);
		if (write(dp[i].d_data.d_desc.d_descriptor, "seen", 4) != 4)
			p_desc_got = -1000;
		/* not close-on-exec on the server's side either */
		if (fcntl(dp[i].d_data.d_desc.d_descriptor, F_GETFD) &
		    FD_CLOEXEC)
			p_desc_got = -2000;
		close(dp[i].d_data.d_desc.d_descriptor);
	}
	if (pipe(p))
		door_return(NULL, 0, NULL, 0);
	if (p_desc_keep >= 0)
		close(p_desc_keep);
	p_desc_keep = p[0];
	memset(&d, 0, sizeof(d));
	d.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
	d.d_data.d_desc.d_descriptor = p[1];
	door_return("here", 4, &d, 1);
}

/* Holds the call until `gate` opens; counts the threads it ran on. */
static int gate, entered;
static pid_t threads_seen[64];

static void note_thread(void)
{
	pid_t me = gettid_();
	int i;

	for (i = 0; i < 64; i++) {
		pid_t old = 0;

		if (__atomic_load_n(&threads_seen[i], __ATOMIC_ACQUIRE) == me)
			return;
		if (__atomic_compare_exchange_n(&threads_seen[i], &old, me,
						false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return;
		if (old == me)
			return;
	}
}

static int nr_threads_seen(void)
{
	int i;

	for (i = 0; i < 64 && threads_seen[i]; i++)
		;
	return i;
}

static void p_gate(void *cookie, char *argp, size_t size, door_desc_t *dp,
		   uint_t n)
{
	int i;

	(void)cookie, (void)argp, (void)size, (void)dp, (void)n;
	note_thread();
	__atomic_add_fetch(&entered, 1, __ATOMIC_ACQ_REL);
	for (i = 0; i < WAIT_MS && !__atomic_load_n(&gate, __ATOMIC_ACQUIRE);
	     i++)
		sleep_ms(1);
	door_return(NULL, 0, NULL, 0);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static bool wait_count(int *counter, int n)
{
	int i;

	for (i = 0; i < WAIT_MS; i++) {
		if (__atomic_load_n(counter, __ATOMIC_ACQUIRE) >= n)
			return true;
		sleep_ms(1);
	}
	return false;
}

/* Calls */

/* More supplementary groups than a test machine has */
#define UCRED_GROUPS_MAX	256

/* The most argument data the kernel takes (<linux/door.h>' limit) */
#define SYS_DATA_LIMIT	((size_t)16 << 20)

static int call_bytes(int fd, const char *data, size_t size, char *rbuf,
		      size_t rsize, door_arg_t *a)
{
	memset(a, 0, sizeof(*a));
	a->data_ptr = (char *)data;
	a->data_size = size;
	a->rbuf = rbuf;
	a->rsize = rsize;
	return door_call(fd, a);
}

TEST(call_and_return)
{
	char rbuf[256], big[20000];
	door_arg_t a;
	size_t i;
	int fd;

	fd = door_create(p_reverse, NULL, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, call_bytes(fd, "abc", 3, rbuf, sizeof(rbuf), &a));
	EXPECT_EQ(3U, a.data_size);
	EXPECT_TRUE(a.data_ptr == rbuf);
	EXPECT_EQ(0, memcmp(rbuf, "cba", 3));
	EXPECT_EQ(0U, a.desc_num);

	/* the same buffer for arguments and results */
	memcpy(rbuf, "hello", 5);
	ASSERT_EQ(0, call_bytes(fd, rbuf, 5, rbuf, sizeof(rbuf), &a));
	EXPECT_EQ(0, memcmp(rbuf, "olleh", 5));

	/* no arguments, no results */
	ASSERT_EQ(0, call_bytes(fd, NULL, 0, rbuf, sizeof(rbuf), &a));
	EXPECT_EQ(0U, a.data_size);
	EXPECT_EQ(0, door_call(fd, NULL));

	/* data larger than the server thread's buffer arrives mapped */
	for (i = 0; i < sizeof(big); i++)
		big[i] = i * 7;
	ASSERT_EQ(0, call_bytes(fd, big, sizeof(big), big, sizeof(big), &a));
	for (i = 0; i < sizeof(big); i++)
		if ((char)big[i] != (char)((sizeof(big) - 1 - i) * 7))
			break;
	EXPECT_EQ(sizeof(big), i);
}

TEST(procedure_returns)
{
	char rbuf[16];
	door_arg_t a;
	int fd, i;

	fd = door_create(p_returns, NULL, 0);
	ASSERT_LE(0, fd);
	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, call_bytes(fd, "x", 1, rbuf, sizeof(rbuf), &a));
		EXPECT_EQ(0U, a.data_size);
	}
}

/* Results larger than rbuf: a new mapping, the original untouched. */
TEST(results_mapped)
{
	static const size_t sizes[] = { 17, 4096, 100000, 1 << 20 };
	char rbuf[16];
	door_arg_t a;
	unsigned int i;
	size_t want, j;
	int fd;

	fd = door_create(p_big, NULL, 0);
	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		want = sizes[i];
		memset(rbuf, 'c', sizeof(rbuf));
		ASSERT_EQ(0, call_bytes(fd, (char *)&want, sizeof(want), rbuf,
					sizeof(rbuf), &a));
		EXPECT_TRUE(a.rbuf != rbuf);
		EXPECT_TRUE(a.data_ptr == a.rbuf);
		EXPECT_EQ(want, a.data_size);
		EXPECT_LE(want, a.rsize);
		for (j = 0; j < want && a.data_ptr[j] == 'r'; j++)
			;
		EXPECT_EQ(want, j);
		for (j = 0; j < sizeof(rbuf) && rbuf[j] == 'c'; j++)
			;
		EXPECT_EQ(sizeof(rbuf), j);
		EXPECT_EQ(0, munmap(a.rbuf, a.rsize));
	}
	/* no rbuf at all */
	want = 10;
	ASSERT_EQ(0, call_bytes(fd, (char *)&want, sizeof(want), NULL, 0, &a));
	EXPECT_TRUE(!!a.rbuf);
	EXPECT_EQ(0, memcmp(a.data_ptr, "rrrrrrrrrr", 10));
	munmap(a.rbuf, a.rsize);
}

static void *cancelled_caller(void *arg)
{
	char rbuf[16];
	door_arg_t a;

	call_bytes(*(int *)arg, "c", 1, rbuf, sizeof(rbuf), &a);
	return NULL;
}

/*
 * door_call() is a cancellation point, as on Solaris: a thread cancelled
 * while its call is served ends at once; the call ends with it.
 */
TEST(call_cancelled)
{
	struct timespec until;
	void *res = NULL;
	pthread_t t;
	int fd, ret;

	fd = door_create(p_gate, NULL, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pthread_create(&t, NULL, cancelled_caller, &fd));
	ASSERT_TRUE(wait_count(&entered, 1));
	ASSERT_EQ(0, pthread_cancel(t));
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += WAIT_MS / 1000;
	ret = pthread_timedjoin_np(t, &res, &until);
	EXPECT_EQ(0, ret) TH_LOG("a cancelled caller waits for its server");
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	if (ret)
		ASSERT_EQ(0, pthread_join(t, &res));
	EXPECT_EQ(PTHREAD_CANCELED, res);
}

static int info_child(void *arg)
{
	door_info_t di;
	int fd = *(int *)arg;

	if (door_info(fd, &di))
		return 1;
	if (di.di_target != getppid())
		return 2;
	if (di.di_attributes & DOOR_LOCAL)
		return 3;
	return 0;
}

TEST(info)
{
	door_info_t di, di2;
	int fd, fd2, dup_fd;
	int cookie;

	fd = door_create(p_reverse, &cookie, DOOR_REFUSE_DESC);
	ASSERT_LE(0, fd);
	fd2 = door_create(p_reverse, NULL, 0);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, door_info(fd, &di));
	EXPECT_EQ(getpid(), di.di_target);
	EXPECT_EQ((door_ptr_t)(uintptr_t)p_reverse, di.di_proc);
	EXPECT_EQ((door_ptr_t)(uintptr_t)&cookie, di.di_data);
	EXPECT_EQ(DOOR_LOCAL | DOOR_REFUSE_DESC, di.di_attributes);
	ASSERT_EQ(0, door_info(fd2, &di2));
	EXPECT_NE(0ULL, di.di_uniquifier);
	EXPECT_NE(di.di_uniquifier, di2.di_uniquifier);
	EXPECT_EQ(0, in_child(info_child, &fd));

	/* revoking closes the descriptor; another one sees it revoked */
	dup_fd = dup(fd);
	ASSERT_LE(0, dup_fd);
	ASSERT_EQ(0, door_revoke(fd));
	EXPECT_EQ(-1, fcntl(fd, F_GETFD));
	ASSERT_EQ(0, door_info(dup_fd, &di));
	EXPECT_TRUE(di.di_attributes & DOOR_REVOKED);
	EXPECT_EQ(-1, door_call(dup_fd, NULL));
	EXPECT_EQ(EBADF, errno);

	/* not a door */
	EXPECT_EQ(-1, door_info(0, &di));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, door_info(-1, &di));
	EXPECT_EQ(EBADF, errno);
}

static int cred_child(void *arg)
{
	static const gid_t groups[] = { 33333, 11, 2222 };
	struct who w;
	door_arg_t a;
	int fd = *(int *)arg;

	if (setgroups(3, groups) || setresgid(1234, 2345, 3456) ||
	    setresuid(4321, 5432, 6543))
		return 1;
	if (call_bytes(fd, NULL, 0, (char *)&w, sizeof(w), &a))
		return 2;
	if (a.data_ptr != (char *)&w || a.data_size != sizeof(w))
		return 3;
	if (w.cred_ret || w.ucred_ret)
		return 4;
	if (w.dc.dc_euid != 5432 || w.dc.dc_ruid != 4321 ||
	    w.dc.dc_egid != 2345 || w.dc.dc_rgid != 1234 ||
	    w.dc.dc_pid != getpid())
		return 5;
	if (w.ueuid != 5432 || w.uruid != 4321 || w.usuid != 6543 ||
	    w.uegid != 2345 || w.urgid != 1234 || w.upid != getpid())
		return 6;
	if (w.cookie != (void *)0x1234)
		return 7;
	/* the caller's supplementary groups, from the kernel, in order */
	if (w.ngroups != 3 || w.groups[0] != 11 || w.groups[1] != 2222 ||
	    w.groups[2] != 33333)
		return 8;
	return 0;
}

TEST(cred_and_ucred)
{
	door_cred_t dc;
	ucred_t *uc = NULL;
	int fd;

	if (geteuid())
		SKIP(return, "needs root to call as another user");
	fd = door_create(p_who, (void *)0x1234, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, in_child(cred_child, &fd));

	/* outside a call: EINVAL */
	EXPECT_EQ(-1, door_cred(&dc));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, door_ucred(&uc));
	EXPECT_EQ(EINVAL, errno);

	/* a process's credentials, from /proc */
	uc = ucred_get(P_MYID);
	ASSERT_TRUE(!!uc);
	EXPECT_EQ(geteuid(), ucred_geteuid(uc));
	EXPECT_EQ(getpid(), ucred_getpid(uc));
	ucred_free(uc);
	EXPECT_TRUE(!ucred_get(INT_MAX));
	EXPECT_EQ(ESRCH, errno);
}

/* Descriptors both ways, with DOOR_RELEASE on each side. */
static int desc_child(void *arg)
{
	int fd = *(int *)arg, p[2], got, before;
	door_desc_t d[2];
	char rbuf[128], buf[8];
	door_arg_t a;

	if (pipe(p))
		return 1;
	before = nr_open_fds();
	memset(d, 0, sizeof(d));
	d[0].d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
	d[0].d_data.d_desc.d_descriptor = p[1];
	memset(&a, 0, sizeof(a));
	a.desc_ptr = d;
	a.desc_num = 1;
	a.rbuf = rbuf;
	a.rsize = sizeof(rbuf);
	if (door_call(fd, &a))
		return 2;
	/* released: the number is free, or the one just received */
	if (a.desc_num != 1)
		return 3;
	got = a.desc_ptr[0].d_data.d_desc.d_descriptor;
	if (got != p[1] && (fcntl(p[1], F_GETFD) != -1 || errno != EBADF))
		return 3;
	if (read(p[0], buf, 4) != 4 || memcmp(buf, "seen", 4))
		return 4;
	/* the server closed its copy: no writer is left */
	if (read(p[0], buf, 1) != 0)
		return 5;
	/* one descriptor back, in rbuf after the data */
	if (a.data_size != 4 || memcmp(a.data_ptr, "here", 4))
		return 6;
	if (a.desc_num != 1 || (char *)a.desc_ptr < rbuf ||
	    (char *)a.desc_ptr >= rbuf + sizeof(rbuf) ||
	    (uintptr_t)a.desc_ptr % 8)
		return 7;
	if (!(a.desc_ptr[0].d_attributes & DOOR_DESCRIPTOR))
		return 8;
	/* not close-on-exec, as on Solaris */
	if (fcntl(got, F_GETFD) & FD_CLOEXEC)
		return 9;
	if (write(got, "back", 4) != 4)
		return 10;
	close(got);
	close(p[0]);
	/* as many descriptors open as before the call, less the pipe's */
	if (nr_open_fds() != before - 2)
		return 11;
	return 0;
}

TEST(descriptors_both_ways)
{
	char buf[8];
	int fd;

	fd = door_create(p_desc, NULL, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, in_child(desc_child, &fd));
	EXPECT_EQ(1, p_desc_got);
	/* the child wrote into the write end the server released */
	ASSERT_LE(0, p_desc_keep);
	EXPECT_EQ(4, read(p_desc_keep, buf, 4));
	EXPECT_EQ(0, memcmp(buf, "back", 4));
	EXPECT_EQ(0, read(p_desc_keep, buf, 1));
}

/*
 * Descriptors as Solaris programs pass them: a door_desc_t on the stack,
 * filled field by field, its padding and the rest of d_data holding
 * whatever the stack held (here: 0xa5 bytes, set first, so that the test
 * does not depend on what the stack holds), on the way in and back.
 */
static void p_desc_solaris_return(int fd)
{
	door_desc_t d;

	memset(&d, 0xa5, sizeof(d));
	d.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
	d.d_data.d_desc.d_descriptor = fd;
	door_return("ok", 2, &d, 1);
}

static void p_desc_solaris(void *cookie, char *argp, size_t size,
			   door_desc_t *dp, uint_t n)
{
	int p[2];

	(void)cookie, (void)argp, (void)size;
	if (n != 1 || !(dp[0].d_attributes & DOOR_DESCRIPTOR) ||
	    write(dp[0].d_data.d_desc.d_descriptor, "in", 2) != 2 ||
	    pipe(p))
		door_return(NULL, 0, NULL, 0);
	close(dp[0].d_data.d_desc.d_descriptor);
	if (write(p[1], "out", 3) != 3)
		door_return(NULL, 0, NULL, 0);
	close(p[1]);
	p_desc_solaris_return(p[0]);
}

static bool has_process_vm_readv(void)
{
	char from = 1, to = 0;
	struct iovec local = { &to, 1 }, remote = { &from, 1 };

	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == 1;
}

static int call_solaris_style(int fd, int send, door_arg_t *a, char *rbuf,
			      size_t rsize)
{
	door_desc_t d;

	memset(&d, 0xa5, sizeof(d));
	d.d_attributes = DOOR_DESCRIPTOR;
	d.d_data.d_desc.d_descriptor = send;
	a->data_ptr = NULL;
	a->data_size = 0;
	a->desc_ptr = &d;
	a->desc_num = 1;
	a->rbuf = rbuf;
	a->rsize = rsize;
	return door_call(fd, a);
}

TEST(desc_filled_field_by_field)
{
	char rbuf[128], buf[8];
	int fd, p[2], got;
	door_arg_t a;

	fd = door_create(p_desc_solaris, NULL, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, call_solaris_style(fd, p[1], &a, rbuf, sizeof(rbuf)))
		TH_LOG("door_call() with a door_desc_t filled field by field: %s",
		       strerror(errno));
	EXPECT_EQ(2, read(p[0], buf, 2));
	ASSERT_EQ(1, a.desc_num)
		TH_LOG("door_return()'s descriptor, filled field by field, lost");
	got = a.desc_ptr[0].d_data.d_desc.d_descriptor;
	EXPECT_EQ(3, read(got, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "out", 3));
	EXPECT_FALSE(fcntl(got, F_GETFD) & FD_CLOEXEC);
	close(got);

	/* libdoor's door_set_cloexec(1): close-on-exec, the kernel's way */
	EXPECT_EQ(0, door_set_cloexec(1));
	ASSERT_EQ(0, call_solaris_style(fd, p[1], &a, rbuf, sizeof(rbuf)));
	ASSERT_EQ(1, a.desc_num);
	got = a.desc_ptr[0].d_data.d_desc.d_descriptor;
	EXPECT_TRUE(fcntl(got, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(1, door_set_cloexec(0));
	close(got);

	/* an array that is not there is still the kernel's EFAULT */
	memset(&a, 0, sizeof(a));
	a.desc_num = 1;
	a.desc_ptr = NULL;
	EXPECT_EQ(-1, door_call(fd, &a));
	EXPECT_EQ(EFAULT, errno);
	/* libdoor reads through process_vm_readv(), where the kernel has it */
	if (!has_process_vm_readv()) {
		TH_LOG("no process_vm_readv(): a bad array is not checked");
		return;
	}
	a.desc_ptr = (door_desc_t *)8;
	EXPECT_EQ(-1, door_call(fd, &a));
	EXPECT_EQ(EFAULT, errno);
}

/* A door passed through a door is a door on the other side. */
static void p_door_back(void *cookie, char *argp, size_t size, door_desc_t *dp,
			uint_t n)
{
	door_desc_t d;
	char rbuf[64];
	door_arg_t a;

	(void)cookie, (void)argp, (void)size;
	/* the caller's door: not ours, not revoked */
	if (n != 1 || (dp[0].d_attributes & (DOOR_LOCAL | DOOR_REVOKED)))
		door_return(NULL, 0, NULL, 0);
	/* call the door we were given, return it with its answer */
	if (call_bytes(dp[0].d_data.d_desc.d_descriptor, "xyz", 3, rbuf,
		       sizeof(rbuf), &a))
		door_return(NULL, 0, NULL, 0);
	d = dp[0];
	d.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
	door_return(a.data_ptr, a.data_size, &d, 1);
}

static int relay_child(void *arg)
{
	int relay = *(int *)arg, mine, got;
	door_info_t di, dgot;
	door_desc_t d;
	char rbuf[128];
	door_arg_t a;

	/* the child's own door, served by the child's own pool */
	mine = door_create(p_reverse, NULL, 0);
	if (mine < 0 || door_info(mine, &di))
		return 1;
	memset(&d, 0, sizeof(d));
	d.d_attributes = DOOR_DESCRIPTOR;
	d.d_data.d_desc.d_descriptor = mine;
	memset(&a, 0, sizeof(a));
	a.desc_ptr = &d;
	a.desc_num = 1;
	a.rbuf = rbuf;
	a.rsize = sizeof(rbuf);
	if (door_call(relay, &a))
		return 2;
	if (a.data_size != 3 || memcmp(a.data_ptr, "zyx", 3) ||
	    a.desc_num != 1)
		return 3;
	got = a.desc_ptr[0].d_data.d_desc.d_descriptor;
	if (a.desc_ptr[0].d_data.d_desc.d_id != di.di_uniquifier)
		return 4;
	/* door_call(3C): our own door comes back DOOR_LOCAL */
	if (!(a.desc_ptr[0].d_attributes & DOOR_LOCAL) ||
	    (a.desc_ptr[0].d_attributes & DOOR_REVOKED))
		return 6;
	if (door_info(got, &dgot) || dgot.di_uniquifier != di.di_uniquifier ||
	    !(dgot.di_attributes & DOOR_LOCAL))
		return 5;
	return 0;
}

TEST(door_through_door)
{
	int fd = door_create(p_door_back, NULL, 0);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, in_child(relay_child, &fd));
}

/* Limits and refusals, with Solaris' error numbers. */
TEST(desc_limits)
{
	door_desc_t d[4];
	char rbuf[64];
	door_arg_t a;
	size_t v;
	int fd, refuse, i, p[2];

	ASSERT_EQ(0, pipe(p));
	fd = door_create(p_desc, NULL, 0);
	ASSERT_LE(0, fd);
	refuse = door_create(p_desc, NULL, DOOR_REFUSE_DESC);
	ASSERT_LE(0, refuse);
	memset(d, 0, sizeof(d));
	for (i = 0; i < 4; i++) {
		d[i].d_attributes = DOOR_DESCRIPTOR;
		d[i].d_data.d_desc.d_descriptor = p[1];
	}
	memset(&a, 0, sizeof(a));
	a.desc_ptr = d;
	a.rbuf = rbuf;
	a.rsize = sizeof(rbuf);

	ASSERT_EQ(0, door_getparam(refuse, DOOR_PARAM_DESC_MAX, &v));
	EXPECT_EQ(0U, v);
	a.desc_num = 1;
	EXPECT_EQ(-1, door_call(refuse, &a));
	EXPECT_EQ(ENOTSUP, errno);
	EXPECT_EQ(-1, door_setparam(refuse, DOOR_PARAM_DESC_MAX, 1));
	EXPECT_EQ(ENOTSUP, errno);

	ASSERT_EQ(0, door_setparam(fd, DOOR_PARAM_DESC_MAX, 3));
	a.desc_num = 4;
	EXPECT_EQ(-1, door_call(fd, &a));
	EXPECT_EQ(ENFILE, errno);
	a.desc_num = 3;
	a.rbuf = rbuf;
	a.rsize = sizeof(rbuf);
	EXPECT_EQ(0, door_call(fd, &a));
	EXPECT_EQ(3, p_desc_got);

	/* a descriptor that is not open, and one without DOOR_DESCRIPTOR */
	d[1].d_data.d_desc.d_descriptor = 1000;
	a.desc_ptr = d;
	a.desc_num = 2;
	a.rbuf = rbuf;
	a.rsize = sizeof(rbuf);
	EXPECT_EQ(-1, door_call(fd, &a));
	EXPECT_EQ(EBADF, errno);
	d[1].d_data.d_desc.d_descriptor = p[1];
	d[1].d_attributes = 0;
	EXPECT_EQ(-1, door_call(fd, &a));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(3, p_desc_got);
}

/* Results for a caller that wants none: door_return() says E2BIG */
static int p_results_errno;

static void p_results_for_none(void *cookie, char *argp, size_t size,
			       door_desc_t *dp, uint_t n)
{
	(void)cookie, (void)argp, (void)size, (void)dp, (void)n;
	__atomic_store_n(&p_results_errno, 0, __ATOMIC_RELAXED);
	if (door_return("abc", 3, NULL, 0))
		__atomic_store_n(&p_results_errno, errno, __ATOMIC_RELEASE);
	door_return(NULL, 0, NULL, 0);
}

/*
 * door_call(d, NULL): no arguments, no results wanted.  The server's
 * results are an error for it (E2BIG), and the call ends with none.
 */
TEST(call_null_wants_no_results)
{
	int fd;

	fd = door_create(p_results_for_none, NULL, 0);
	ASSERT_LE(0, fd);
	p_results_errno = -1;
	EXPECT_EQ(0, door_call(fd, NULL)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(E2BIG, __atomic_load_n(&p_results_errno, __ATOMIC_ACQUIRE));
	door_revoke(fd);
}

/*
 * DOOR_RELEASE descriptors are closed whatever door_call() fails with,
 * but EFAULT and EBADF (door_call(3C)): here the door's limits refuse
 * the call.
 */
TEST(release_on_refusal)
{
	door_desc_t d;
	char rbuf[64];
	door_arg_t a;
	int refuse, fd, p[2];

	refuse = door_create(p_desc, NULL, DOOR_REFUSE_DESC);
	ASSERT_LE(0, refuse);
	fd = door_create(p_desc, NULL, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pipe(p));
	d.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
	d.d_data.d_desc.d_descriptor = p[0];
	memset(&a, 0, sizeof(a));
	a.desc_ptr = &d;
	a.desc_num = 1;
	a.rbuf = rbuf;
	a.rsize = sizeof(rbuf);
	EXPECT_EQ(-1, door_call(refuse, &a));
	EXPECT_EQ(ENOTSUP, errno);
	EXPECT_EQ(-1, fcntl(p[0], F_GETFD)) TH_LOG("left open after ENOTSUP");
	close(p[1]);

	ASSERT_EQ(0, pipe(p));
	d.d_data.d_desc.d_descriptor = p[0];
	ASSERT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MIN, 10));
	EXPECT_EQ(-1, door_call(fd, &a));
	EXPECT_EQ(ENOBUFS, errno);
	EXPECT_EQ(-1, fcntl(p[0], F_GETFD)) TH_LOG("left open after ENOBUFS");
	close(p[1]);
	door_revoke(refuse);
	door_revoke(fd);
}

/*
 * The whole of <sys/door.h> and <door.h> a Solaris program may use: the
 * procedure type, the attribute masks, door_xcreate()'s attributes that
 * door_create() refuses (EINVAL, as on Solaris).
 */
static door_server_procedure_t *const typed_proc = p_reverse;

TEST(solaris_header_names)
{
	door_info_t info;
	int fd;

	fd = door_create(typed_proc, NULL, DOOR_UNREF | DOOR_NO_CANCEL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, door_info(fd, &info));
	EXPECT_EQ(0U, info.di_attributes & ~DOOR_ATTR_MASK);
	EXPECT_EQ((uint_t)(DOOR_UNREF | DOOR_NO_CANCEL | DOOR_LOCAL),
		  info.di_attributes & (DOOR_CREATE_MASK | DOOR_LOCAL));
	EXPECT_EQ(-1, door_create(p_reverse, NULL, DOOR_NO_DEPLETION_CB));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, door_create(p_reverse, NULL, DOOR_PRIVCREATE));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, DOOR_CREATE_MASK & (DOOR_LOCAL | DOOR_REVOKED |
					 DOOR_IS_UNREF | DOOR_DEPLETION_CB));
	door_revoke(fd);
}

/*
 * getpeerucred(3C) on a connected Unix socket: the peer's process, ids
 * and supplementary groups; ENOTSUP on what is no socket, ENOTCONN on
 * one with no peer.  The Solaris-only accessors answer as documented.
 */
TEST(peer_ucred_and_accessors)
{
	gid_t mine[UCRED_GROUPS_MAX];
	const gid_t *groups;
	ucred_t *uc = NULL;
	au_id_t want;
	char text[32] = "";
	int sv[2], p[2], n, i, lone;
	FILE *f;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(0, getpeerucred(sv[0], &uc)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(getpid(), ucred_getpid(uc));
	EXPECT_EQ(geteuid(), ucred_geteuid(uc));
	EXPECT_EQ(getegid(), ucred_getegid(uc));
	n = getgroups(UCRED_GROUPS_MAX, mine);
	ASSERT_LE(0, n);
	ASSERT_EQ(n, ucred_getgroups(uc, &groups));
	for (i = 0; i < n; i++)
		EXPECT_EQ(mine[i], groups[i]);

	EXPECT_EQ(GLOBAL_ZONEID, ucred_getzoneid(uc));
	EXPECT_EQ(-1, ucred_getprojid(uc));
	EXPECT_EQ(0U, ucred_getpflags(uc, PRIV_AWARE));
	EXPECT_EQ((uint_t)-1, ucred_getpflags(uc, 0x8000));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_TRUE(!ucred_getprivset(uc, "Effective"));
	f = fopen("/proc/self/loginuid", "r");
	if (f) {
		if (!fgets(text, sizeof(text), f))
			text[0] = 0;
		fclose(f);
	}
	want = AU_NOAUID;
	if (text[0] && strcmp(text, "4294967295"))
		want = strtoul(text, NULL, 10);
	EXPECT_EQ(want, ucred_getauid(uc));
	ucred_free(uc);
	uc = NULL;

	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(-1, getpeerucred(p[0], &uc));
	EXPECT_EQ(ENOTSUP, errno);
	lone = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, lone);
	EXPECT_EQ(-1, getpeerucred(lone, &uc));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_TRUE(!uc);
	close(lone);
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}

static int emfile_child(void *arg)
{
	int fd = *(int *)arg, last = -1, n;
	struct rlimit rl;
	char rbuf[64];
	door_arg_t a;

	/* every slot below the limit taken: none for the result's */
	for (n = 0; n < 64; n++)
		last = dup(0);
	if (last < 0)
		return 1;
	rl.rlim_cur = last + 1;
	rl.rlim_max = last + 1;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		return 2;
	memset(&a, 0, sizeof(a));
	a.rbuf = rbuf;
	a.rsize = sizeof(rbuf);
	if (!door_call(fd, &a))
		return 3;
	if (errno != EMFILE)
		return 4;
	/* with a slot free, the same call works */
	close(last);
	if (door_call(fd, &a) || a.desc_num != 1)
		return 5;
	return 0;
}

TEST(desc_emfile)
{
	int fd = door_create(p_desc, NULL, 0);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, in_child(emfile_child, &fd));
}

/*
 * Results with a descriptor that nobody picks up (the caller was killed
 * during the call) are dropped, not leaked: once the procedure returned
 * the pipe's write end, released, nothing holds it.
 */
static int dropped_read_end = -1;

static void p_gate_desc(void *cookie, char *argp, size_t size,
			door_desc_t *dp, uint_t n)
{
	door_desc_t d;
	int i, p[2];

	(void)cookie, (void)argp, (void)size, (void)dp, (void)n;
	__atomic_add_fetch(&entered, 1, __ATOMIC_ACQ_REL);
	for (i = 0; i < WAIT_MS && !__atomic_load_n(&gate, __ATOMIC_ACQUIRE);
	     i++)
		sleep_ms(1);
	if (pipe(p))
		door_return(NULL, 0, NULL, 0);
	memset(&d, 0, sizeof(d));
	d.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
	d.d_data.d_desc.d_descriptor = p[1];
	__atomic_store_n(&dropped_read_end, p[0], __ATOMIC_RELEASE);
	door_return(NULL, 0, &d, 1);
}

TEST(desc_result_dropped)
{
	struct pollfd pfd = { .events = POLLIN };
	int fd, status;
	char buf[8];
	pid_t pid;

	fd = door_create(p_gate_desc, NULL, 0);
	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* results wanted (door_call(fd, NULL) would refuse them) */
		door_arg_t a = { .rbuf = buf, .rsize = sizeof(buf) };

		door_call(fd, &a);
		_exit(1);
	}
	ASSERT_TRUE(wait_count(&entered, 1));
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	ASSERT_TRUE(wait_count(&dropped_read_end, 0));
	pfd.fd = dropped_read_end;
	/* no writer left: end of file, not a wait */
	ASSERT_EQ(1, poll(&pfd, 1, WAIT_MS));
	EXPECT_EQ(0, read(pfd.fd, buf, sizeof(buf)));
}

/* The pool grows with concurrent callers, one thread at a time. */
/* @n child processes that each call @fd once (no data); 0 or -1 */
static int fork_callers(pid_t *pids, int n, int fd)
{
	int i;

	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return -1;
		if (!pids[i])
			_exit(door_call(fd, NULL) ? 1 : 0);
	}
	return 0;
}

TEST(pool_grows)
{
	pid_t pids[4];
	int fd, i, status, bad = 0;

	fd = door_create(p_gate, NULL, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fork_callers(pids, 4, fd));
	/* all four served at once: four threads, each of its own */
	EXPECT_TRUE(wait_count(&entered, 4));
	EXPECT_EQ(4, nr_threads_seen());
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		bad += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	EXPECT_EQ(0, bad);
}

/* door_server_create(): the library creates threads with it. */
static int created;

static void *my_server(void *arg)
{
	(void)arg;
	door_return(NULL, 0, NULL, 0);
	return NULL;
}

static void my_create(door_info_t *info)
{
	pthread_t t;

	(void)info;
	__atomic_add_fetch(&created, 1, __ATOMIC_ACQ_REL);
	pthread_create(&t, NULL, my_server, NULL);
	pthread_detach(t);
}

TEST(server_create)
{
	door_server_func_t *old;
	pid_t pids[2];
	int fd, i, status;

	old = door_server_create(my_create);
	ASSERT_TRUE(!!old);
	EXPECT_TRUE(door_server_create(my_create) == my_create);
	fd = door_create(p_gate, NULL, 0);
	ASSERT_LE(0, fd);
	/* one thread for the first door */
	EXPECT_TRUE(wait_count(&created, 1));
	ASSERT_EQ(0, fork_callers(pids, 2, fd));
	EXPECT_TRUE(wait_count(&entered, 2));
	/* each call took the last free thread: one more each time */
	EXPECT_TRUE(wait_count(&created, 3));
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_EQ(0, WEXITSTATUS(status));
	}
	/* a second door needs no new thread */
	EXPECT_LE(0, door_create(p_reverse, NULL, 0));
	sleep_ms(50);
	EXPECT_EQ(3, __atomic_load_n(&created, __ATOMIC_ACQUIRE));
}

/* Every error of door_call(3C) and friends that a caller can cause. */
static int eperm_child(void *arg)
{
	int fd = *(int *)arg;

	if (!door_revoke(fd) || errno != EPERM)
		return 1;
	if (!door_setparam(fd, DOOR_PARAM_DATA_MAX, 10) || errno != EPERM)
		return 2;
	return 0;
}

TEST(errors)
{
	char data[64], rbuf[64];
	door_arg_t a;
	size_t v;
	int fd;

	fd = door_create(p_reverse, NULL, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, door_create(p_reverse, NULL, 0x100));
	EXPECT_EQ(EINVAL, errno);

	/* data limits: ENOBUFS outside them, E2BIG beyond the system's */
	ASSERT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MIN, 2));
	ASSERT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MAX, 10));
	ASSERT_EQ(0, door_getparam(fd, DOOR_PARAM_DATA_MAX, &v));
	EXPECT_EQ(10U, v);
	EXPECT_EQ(-1, call_bytes(fd, data, 1, rbuf, sizeof(rbuf), &a));
	EXPECT_EQ(ENOBUFS, errno);
	EXPECT_EQ(-1, call_bytes(fd, data, 11, rbuf, sizeof(rbuf), &a));
	EXPECT_EQ(ENOBUFS, errno);
	EXPECT_EQ(0, call_bytes(fd, data, 10, rbuf, sizeof(rbuf), &a));
	EXPECT_EQ(-1, door_setparam(fd, DOOR_PARAM_DATA_MIN, 11));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MIN, 0));
	/*
	 * Solaris' "no limit", SIZE_MAX, as a new door has it; the system
	 * still takes no more than DOOR_DATA_LIMIT bytes of arguments.
	 */
	ASSERT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MAX, SIZE_MAX));
	ASSERT_EQ(0, door_getparam(fd, DOOR_PARAM_DATA_MAX, &v));
	EXPECT_EQ(SIZE_MAX, v);
	EXPECT_EQ(-1, call_bytes(fd, data, SYS_DATA_LIMIT + 1, rbuf,
				 sizeof(rbuf), &a));
	EXPECT_EQ(E2BIG, errno);
	ASSERT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MAX, 1000));
	ASSERT_EQ(0, door_setparam(fd, DOOR_PARAM_DATA_MAX,
				   SYS_DATA_LIMIT * 2));
	ASSERT_EQ(0, door_getparam(fd, DOOR_PARAM_DATA_MAX, &v));
	EXPECT_EQ(SYS_DATA_LIMIT * 2, v);
	close(fd);
	fd = door_create(p_reverse, NULL, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, door_getparam(fd, DOOR_PARAM_DATA_MAX, &v));
	EXPECT_EQ(SIZE_MAX, v);

	/* bad parameters */
	EXPECT_EQ(-1, door_getparam(fd, 99, &v));
	EXPECT_EQ(EINVAL, errno);
	/* a structure that is not there: EFAULT, as door_info(3C) says */
	EXPECT_EQ(-1, door_info(fd, (door_info_t *)8));
	EXPECT_EQ(EFAULT, errno);
	if (sizeof(size_t) == 8) {
		/* (a 32-bit size_t is filled by libdoor itself) */
		EXPECT_EQ(-1, door_getparam(fd, DOOR_PARAM_DATA_MAX,
					    (size_t *)8));
		EXPECT_EQ(EFAULT, errno);
	}
	EXPECT_EQ(-1, door_setparam(fd, 99, 1));
	EXPECT_EQ(EINVAL, errno);
	/* door_setparam(3C): above the range is ERANGE */
	EXPECT_EQ(-1, door_setparam(fd, DOOR_PARAM_DESC_MAX,
				    (size_t)INT_MAX + 1));
	EXPECT_EQ(ERANGE, errno);
	/* door_create(3C): DOOR_UNREF and DOOR_UNREF_MULTI together */
	EXPECT_EQ(-1, door_create(p_reverse, NULL,
				  DOOR_UNREF | DOOR_UNREF_MULTI));
	EXPECT_EQ(EINVAL, errno);

	/* bad pointers */
	EXPECT_EQ(-1, call_bytes(fd, (char *)1, 5, rbuf, sizeof(rbuf), &a));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, call_bytes(fd, "abc", 3, (char *)1, 8, &a));
	EXPECT_EQ(EFAULT, errno);

	/* not a door */
	EXPECT_EQ(-1, door_call(0, NULL));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, door_revoke(0));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, door_getparam(0, DOOR_PARAM_DATA_MAX, &v));
	EXPECT_EQ(EBADF, errno);

	/* another process's door */
	EXPECT_EQ(0, in_child(eperm_child, &fd));
	EXPECT_EQ(0, door_revoke(fd));
}

/* No room for a mapping of large results: EOVERFLOW, rbuf untouched. */
static int eoverflow_child(void *arg)
{
	size_t want = 1 << 20;
	unsigned long pages;
	struct rlimit rl;
	char rbuf[16];
	door_arg_t a;
	FILE *f;

	f = fopen("/proc/self/statm", "r");
	if (!f || fscanf(f, "%lu", &pages) != 1)
		return 1;
	fclose(f);
	rl.rlim_cur = pages * sysconf(_SC_PAGESIZE) + (1 << 19);
	rl.rlim_max = RLIM_INFINITY;
	if (setrlimit(RLIMIT_AS, &rl))
		return 2;
	memset(rbuf, 'c', sizeof(rbuf));
	if (!call_bytes(*(int *)arg, (char *)&want, sizeof(want), rbuf,
			sizeof(rbuf), &a))
		return 3;
	if (errno != EOVERFLOW)
		return 4;
	return rbuf[0] == 'c' && rbuf[15] == 'c' ? 0 : 5;
}

TEST(results_eoverflow)
{
	int fd = door_create(p_big, NULL, 0);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, in_child(eoverflow_child, &fd));
}

/* A procedure's bad results are its own error; it may answer again. */
static int return_ret, return_errno;

static void p_bad_results(void *cookie, char *argp, size_t size,
			  door_desc_t *dp, uint_t n)
{
	door_desc_t d = { .d_attributes = DOOR_DESCRIPTOR };

	(void)cookie, (void)argp, (void)size, (void)dp, (void)n;
	return_ret = door_return((char *)1, 10, NULL, 0);
	return_errno = errno;
	d.d_data.d_desc.d_descriptor = 1000;
	if (door_return("ok", 2, &d, 1) == -1 && errno == EBADF)
		door_return("ok", 2, NULL, 0);
}

TEST(return_errors)
{
	char rbuf[8];
	door_arg_t a;
	int fd;

	fd = door_create(p_bad_results, NULL, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, call_bytes(fd, NULL, 0, rbuf, sizeof(rbuf), &a));
	EXPECT_EQ(-1, return_ret);
	EXPECT_EQ(EFAULT, return_errno);
	EXPECT_EQ(2U, a.data_size);
	EXPECT_EQ(0, memcmp(rbuf, "ok", 2));
	EXPECT_EQ(0U, a.desc_num);
}

/*
 * A server thread interrupted while it waits, after returning a
 * DOOR_RELEASE descriptor, restarts its door_return() (libdoor retries
 * EINTR): the released number, reused meanwhile, is not closed again,
 * and the thread goes on serving.
 */
static pid_t released_tid;
static int released_fd = -1;

static void p_release_one(void *cookie, char *argp, size_t size,
			  door_desc_t *dp, uint_t n)
{
	door_desc_t d;
	int p[2];

	(void)cookie, (void)argp, (void)size, (void)dp, (void)n;
	__atomic_store_n(&released_tid, gettid_(), __ATOMIC_RELEASE);
	if (released_fd >= 0 || pipe(p))
		door_return(NULL, 0, NULL, 0);
	close(p[0]);
	memset(&d, 0, sizeof(d));
	d.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
	d.d_data.d_desc.d_descriptor = p[1];
	__atomic_store_n(&released_fd, p[1], __ATOMIC_RELEASE);
	door_return(NULL, 0, &d, 1);
}

static void on_usr1(int sig)
{
	(void)sig;
}

TEST(release_not_again)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	char rbuf[64];
	door_arg_t a;
	int fd, reused, i;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));	/* no SA_RESTART */
	fd = door_create(p_release_one, NULL, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, call_bytes(fd, NULL, 0, rbuf, sizeof(rbuf), &a));
	ASSERT_EQ(1U, a.desc_num);
	close(a.desc_ptr[0].d_data.d_desc.d_descriptor);
	/* the server's released number, taken again by this process */
	for (i = 0, reused = -1; i < 64 && reused != released_fd; i++)
		reused = dup(0);
	ASSERT_EQ(released_fd, reused);
	/* interrupt the server thread's wait, a few times */
	for (i = 0; i < 5; i++) {
		sleep_ms(50);
		syscall(SYS_tgkill, getpid(), released_tid, SIGUSR1);
	}
	sleep_ms(100);
	EXPECT_NE(-1, fcntl(reused, F_GETFD))
		TH_LOG("a restarted door_return() closed a reused number");
	/* and the same thread still serves */
	released_tid = 0;
	ASSERT_EQ(0, call_bytes(fd, NULL, 0, rbuf, sizeof(rbuf), &a));
	EXPECT_NE(0, released_tid);
}

/* After fork(), a child that creates a door gets its own server. */
static int fork_child(void *arg)
{
	char rbuf[8];
	door_arg_t a;
	int fd;

	(void)arg;
	fd = door_create(p_reverse, NULL, 0);
	if (fd < 0)
		return 1;
	if (call_bytes(fd, "ab", 2, rbuf, sizeof(rbuf), &a) ||
	    memcmp(rbuf, "ba", 2))
		return 2;
	return 0;
}

TEST(fork_then_serve)
{
	int fd = door_create(p_reverse, NULL, 0);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, in_child(fork_child, NULL));
}

/* Unreferenced notification */
static int unrefs, unref_calls;

static void p_unref(void *cookie, char *argp, size_t size, door_desc_t *dp,
		    uint_t n)
{
	(void)cookie, (void)dp, (void)n;
	if (argp == DOOR_UNREF_DATA) {
		if (size == 0)
			__atomic_add_fetch(&unrefs, 1, __ATOMIC_ACQ_REL);
	} else {
		__atomic_add_fetch(&unref_calls, 1, __ATOMIC_ACQ_REL);
	}
	door_return(NULL, 0, NULL, 0);
}

/* A child that holds the door (by fork) while it calls, then exits. */
static pid_t holder(int fd, int *release)
{
	char c;
	pid_t pid = fork();

	if (pid)
		return pid;
	if (door_call(fd, NULL))
		_exit(1);
	/* keep it until told */
	if (release && read(release[0], &c, 1) < 0)
		_exit(2);
	_exit(0);
}

static void reap(pid_t pid)
{
	int status;

	waitpid(pid, &status, 0);
}

static bool is_unref(int fd)
{
	door_info_t di;

	return !door_info(fd, &di) && (di.di_attributes & DOOR_IS_UNREF);
}

TEST(unref_once)
{
	int fd, go_a[2], go_b[2];
	pid_t a, b;

	ASSERT_EQ(0, pipe(go_a));
	ASSERT_EQ(0, pipe(go_b));
	fd = door_create(p_unref, NULL, DOOR_UNREF);
	ASSERT_LE(0, fd);
	EXPECT_TRUE(is_unref(fd));

	/* two holders: the first leaving leaves one besides ours */
	a = holder(fd, go_a);
	b = holder(fd, go_b);
	EXPECT_TRUE(wait_count(&unref_calls, 2));
	EXPECT_FALSE(is_unref(fd));
	ASSERT_EQ(1, write(go_a[1], "x", 1));
	reap(a);
	sleep_ms(200);
	EXPECT_EQ(0, __atomic_load_n(&unrefs, __ATOMIC_ACQUIRE))
		TH_LOG("notified with a reference left");
	ASSERT_EQ(1, write(go_b[1], "x", 1));
	reap(b);
	EXPECT_TRUE(wait_count(&unrefs, 1));
	EXPECT_TRUE(is_unref(fd));

	/* only once without DOOR_UNREF_MULTI */
	a = holder(fd, NULL);
	reap(a);
	sleep_ms(200);
	EXPECT_EQ(1, __atomic_load_n(&unrefs, __ATOMIC_ACQUIRE));
}

TEST(unref_multi)
{
	int fd, i, d;

	fd = door_create(p_unref, NULL, DOOR_UNREF_MULTI);
	ASSERT_LE(0, fd);
	for (i = 1; i <= 3; i++) {
		reap(holder(fd, NULL));
		EXPECT_TRUE(wait_count(&unrefs, i));
	}
	/* a dup() of our own is a reference too */
	d = dup(fd);
	ASSERT_LE(0, d);
	EXPECT_FALSE(is_unref(fd));
	close(d);
	EXPECT_TRUE(wait_count(&unrefs, 4));
	sleep_ms(200);
	EXPECT_EQ(4, __atomic_load_n(&unrefs, __ATOMIC_ACQUIRE));
}

/*
 * One server thread, busy in the procedure that drops the reference:
 * the notification waits for it, and neither deadlocks.
 */
static int made;

static void no_more_threads(door_info_t *info)
{
	pthread_t t;

	(void)info;
	if (__atomic_add_fetch(&created, 1, __ATOMIC_ACQ_REL) == 1) {
		__atomic_add_fetch(&made, 1, __ATOMIC_ACQ_REL);
		pthread_create(&t, NULL, my_server, NULL);
		pthread_detach(t);
	}
}

static void p_unref_or_gate(void *cookie, char *argp, size_t size,
			    door_desc_t *dp, uint_t n)
{
	if (argp == DOOR_UNREF_DATA) {
		__atomic_add_fetch(&unrefs, 1, __ATOMIC_ACQ_REL);
		door_return(NULL, 0, NULL, 0);
	}
	p_gate(cookie, argp, size, dp, n);
}

TEST(unref_one_thread)
{
	pid_t caller, caller2;
	int u, blocker;

	door_server_create(no_more_threads);
	u = door_create(p_unref_or_gate, NULL, DOOR_UNREF);
	ASSERT_LE(0, u);
	blocker = door_create(p_unref_or_gate, NULL, 0);
	ASSERT_LE(0, blocker);
	EXPECT_TRUE(wait_count(&created, 1));

	/* the only server thread is busy with a call that waits */
	caller = fork();
	ASSERT_LE(0, caller);
	if (!caller)
		_exit(door_call(blocker, NULL) ? 1 : 0);
	ASSERT_TRUE(wait_count(&entered, 1));

	/* meanwhile the door loses its other reference: a child's */
	caller2 = fork();
	ASSERT_LE(0, caller2);
	if (!caller2)
		_exit(0);
	reap(caller2);
	sleep_ms(200);
	EXPECT_EQ(0, __atomic_load_n(&unrefs, __ATOMIC_ACQUIRE))
		TH_LOG("notified while the only thread was busy");

	/* the thread comes back, then takes the notification */
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	reap(caller);
	EXPECT_TRUE(wait_count(&unrefs, 1));
	EXPECT_EQ(1, __atomic_load_n(&made, __ATOMIC_ACQUIRE));
}

/*
 * Solaris' DOOR_DELAY: a caller killed in its call takes the door's last
 * other reference with it while the procedure still runs; the
 * notification waits for the procedure to return (a server that frees
 * the cookie on notification must not free it under a running call),
 * though another server thread is idle.
 */
TEST(unref_delayed_while_active)
{
	pid_t caller;
	int u;

	u = door_create(p_unref_or_gate, NULL, DOOR_UNREF);
	ASSERT_LE(0, u);
	caller = fork();
	ASSERT_LE(0, caller);
	if (!caller)
		_exit(door_call(u, NULL) ? 1 : 0);
	ASSERT_TRUE(wait_count(&entered, 1));
	ASSERT_EQ(0, kill(caller, SIGKILL));
	reap(caller);
	sleep_ms(300);
	EXPECT_EQ(0, __atomic_load_n(&unrefs, __ATOMIC_ACQUIRE))
		TH_LOG("notified while the procedure of a call still ran");
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	EXPECT_TRUE(wait_count(&unrefs, 1));
}

/* None for a door whose last reference goes: it is gone, not unreferenced */
TEST(unref_none_when_gone)
{
	int fd, other;

	other = door_create(p_unref, NULL, 0);
	ASSERT_LE(0, other);
	/* server threads wait */
	reap(holder(other, NULL));
	fd = door_create(p_unref, NULL, DOOR_UNREF);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, close(fd));
	sleep_ms(300);
	EXPECT_EQ(0, __atomic_load_n(&unrefs, __ATOMIC_ACQUIRE))
		TH_LOG("notified for a door with no reference left");
}

/*
 * Two holders closing at once each see the other's reference: the one
 * that lets go last must still see one left, every time, and the
 * notifications are neither lost nor doubled.
 */
static pthread_barrier_t closing;

static void *close_at_once(void *arg)
{
	pthread_barrier_wait(&closing);
	close(*(int *)arg);
	return NULL;
}

TEST(unref_concurrent_closes)
{
	int fd, i, a, b, n = 300;
	pthread_t t;

	fd = door_create(p_unref, NULL, DOOR_UNREF_MULTI);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pthread_barrier_init(&closing, NULL, 2));
	for (i = 1; i <= n; i++) {
		a = dup(fd);
		b = dup(fd);
		ASSERT_LE(0, a);
		ASSERT_LE(0, b);
		ASSERT_EQ(0, pthread_create(&t, NULL, close_at_once, &a));
		pthread_barrier_wait(&closing);
		close(b);
		pthread_join(t, NULL);
		wait_count(&unrefs, i);
		ASSERT_EQ(i, __atomic_load_n(&unrefs, __ATOMIC_ACQUIRE))
			TH_LOG("round %d of %d: a notification lost or doubled",
			       i, n);
	}
	/* past the last look again (10 + 40 + 160 + 640 ms) */
	sleep_ms(1200);
	EXPECT_EQ(n, __atomic_load_n(&unrefs, __ATOMIC_ACQUIRE))
		TH_LOG("a notification more than the rounds");
}

/*
 * Another thread's system call holds the door's file for a while (it waits
 * for a lock on it) when the door's other holder goes: the notification
 * comes once that system call lets go, though no close is left to tell.
 */
static void *wait_for_lock(void *arg)
{
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_len = 1 };

	return (void *)(intptr_t)fcntl(*(int *)arg, F_SETLKW, &lk);
}

TEST(unref_after_transient_reference)
{
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_len = 1 };
	int fd, go[2], locked[2];
	long long t0;
	pthread_t t;
	pid_t other;
	void *res;
	char c;

	fd = door_create(p_unref, NULL, DOOR_UNREF);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(locked));
	other = fork();
	ASSERT_LE(0, other);
	if (!other) {
		/* the other holder: locks, then goes, lock and all */
		if (fcntl(fd, F_SETLK, &lk)) {
			int err = errno;
			char locks[4096];
			FILE *f = fopen("/proc/locks", "r");
			size_t n = f ? fread(locks, 1, sizeof(locks) - 1, f) : 0;

			locks[n] = 0;
			fprintf(stderr, "# F_SETLK: %s; /proc/locks:\n%s",
				strerror(err), locks);
			_exit(10 + (err & 0x7f));
		}
		if (write(locked[1], "l", 1) != 1)
			_exit(1);
		_exit(read(go[0], &c, 1) == 1 ? 0 : 2);
	}
	/* a holder that fails gives end of file, not a wait */
	close(locked[1]);
	close(go[0]);
	if (read(locked[0], &c, 1) != 1) {
		int status = 0;

		waitpid(other, &status, 0);
		ASSERT_TRUE(0) TH_LOG("the other holder failed: %d", status);
	}
	ASSERT_EQ(0, pthread_create(&t, NULL, wait_for_lock, &fd));
	sleep_ms(200);
	EXPECT_EQ(0, __atomic_load_n(&unrefs, __ATOMIC_ACQUIRE));
	t0 = now_ms();
	ASSERT_EQ(1, write(go[1], "x", 1));
	TH_LOG("the other holder told to go");
	reap(other);
	TH_LOG("the other holder reaped after %lld ms", now_ms() - t0);
	ASSERT_EQ(0, pthread_join(t, &res));
	TH_LOG("the lock's waiter returned after %lld ms", now_ms() - t0);
	EXPECT_EQ(0, (intptr_t)res);
	EXPECT_TRUE(wait_count(&unrefs, 1))
		TH_LOG("no notification after the waiting system call let go");
}

/*
 * Long-term pins of large arguments count against the caller's
 * RLIMIT_MEMLOCK (VmPin) while its calls are active; what would go over
 * is copied instead, and every call still works.
 */
#define PIN_CALLS	4
#define PIN_SIZE	(1024 * 1024)

static void p_gate_sum(void *cookie, char *argp, size_t size,
		       door_desc_t *dp, uint_t n)
{
	unsigned long sum = 0;
	size_t i;

	(void)cookie, (void)dp, (void)n;
	/* weighted by position: pages out of order change it */
	for (i = 0; i < size; i++)
		sum += (i + 1) * (unsigned char)argp[i];
	__atomic_add_fetch(&entered, 1, __ATOMIC_ACQ_REL);
	for (i = 0; i < WAIT_MS && !__atomic_load_n(&gate, __ATOMIC_ACQUIRE);
	     i++)
		sleep_ms(1);
	door_return((char *)&sum, sizeof(sum), NULL, 0);
}

static long vm_pin_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPin: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static int pin_door = -1;

static void *pin_caller(void *arg)
{
	unsigned long sum = 0, want = 0, i;
	unsigned char *data = arg;
	door_arg_t a;

	for (i = 0; i < PIN_SIZE; i++)
		want += (i + 1) * data[i];
	memset(&a, 0, sizeof(a));
	a.data_ptr = (char *)data;
	a.data_size = PIN_SIZE;
	a.rbuf = (char *)&sum;
	a.rsize = sizeof(sum);
	if (door_call(pin_door, &a) || a.data_size != sizeof(sum))
		return (void *)1;
	return (void *)(uintptr_t)(*(unsigned long *)a.data_ptr != want ? 2 : 0);
}

TEST(pins_count_against_memlock)
{
	struct rlimit lim = { 3 * PIN_SIZE, 3 * PIN_SIZE };
	int status, i;
	long kb;
	pid_t pid;

	if (geteuid())
		SKIP(return, "needs root to become a user without CAP_IPC_LOCK");
	pin_door = door_create(p_gate_sum, NULL, 0);
	ASSERT_LE(0, pin_door);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		pthread_t t[PIN_CALLS];
		void *res;
		int bad = 0;

		if (setrlimit(RLIMIT_MEMLOCK, &lim) || setgid(1000) ||
		    setuid(1000))
			_exit(10);
		for (i = 0; i < PIN_CALLS; i++) {
			unsigned char *data = mmap(NULL, PIN_SIZE + 4096,
						   PROT_READ | PROT_WRITE,
						   MAP_PRIVATE | MAP_ANONYMOUS,
						   -1, 0);
			size_t j;

			if (data == MAP_FAILED)
				_exit(11);
			/* not page-aligned, different in every page */
			data += 100;
			for (j = 0; j < PIN_SIZE; j++)
				data[j] = (j / 4096 * 31 + j + i) & 0xff;
			if (pthread_create(&t[i], NULL, pin_caller, data))
				_exit(12);
		}
		for (i = 0; i < PIN_CALLS; i++)
			if (pthread_join(t[i], &res) || res)
				bad = 13 + i;
		if (!bad && vm_pin_kb(getpid()) != 0)
			bad = 20;
		_exit(bad);
	}
	ASSERT_TRUE(wait_count(&entered, PIN_CALLS));
	kb = vm_pin_kb(pid);
	EXPECT_LT(0, kb) TH_LOG("large arguments' pins are not counted (VmPin %ld kB)", kb);
	/* each call pins 257 pages: two fit in 768, the others are copied */
	EXPECT_GE(3 * PIN_SIZE / 1024, kb) TH_LOG("VmPin %ld kB over the limit", kb);
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("10-12: set-up; 13-16: a call failed or had wrong data; %s",
		       "20: VmPin left after the calls");
}

/*
 * door_return() before the process has a door: on Solaris the thread
 * waits in the process's pool for calls; here too (libdoor waits for the
 * first door_create(), the kernel's pool after it), rather than dying
 * with EBADF.
 */
static int early_returned = -1;

static void *early_server(void *arg)
{
	(void)arg;
	door_return(NULL, 0, NULL, 0);
	__atomic_store_n(&early_returned, errno, __ATOMIC_RELEASE);
	return NULL;
}

static void *gated_caller(void *arg)
{
	door_call(*(int *)arg, NULL);
	return NULL;
}

TEST(return_before_create)
{
	pthread_t t, c[2];
	int fd, i;

	ASSERT_EQ(0, pthread_create(&t, NULL, early_server, NULL));
	sleep_ms(300);
	EXPECT_EQ(-1, __atomic_load_n(&early_returned, __ATOMIC_ACQUIRE))
		TH_LOG("door_return() before door_create() returned: %s",
		       strerror(__atomic_load_n(&early_returned,
						__ATOMIC_ACQUIRE)));
	fd = door_create(p_gate, NULL, 0);
	ASSERT_LE(0, fd);
	/* calls are served, and the early thread is still in the pool */
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&c[i], NULL, gated_caller, &fd));
	EXPECT_TRUE(wait_count(&entered, 2));
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 2; i++)
		pthread_join(c[i], NULL);
	sleep_ms(100);
	EXPECT_EQ(-1, __atomic_load_n(&early_returned, __ATOMIC_ACQUIRE));
}

/* Private pools */
static int shared_asked, shared_threads, private_threads, bound_errno;

static int private_fd = -1;

/* Binds to private_fd, once the door's creator knows it. */
static void *bound_server(void *arg)
{
	int fd;

	(void)arg;
	if (!wait_count(&private_fd, 0))
		return NULL;
	fd = __atomic_load_n(&private_fd, __ATOMIC_ACQUIRE);
	if (door_bind(fd)) {
		__atomic_store_n(&bound_errno, -errno, __ATOMIC_RELEASE);
		return NULL;
	}
	door_return(NULL, 0, NULL, 0);
	/* back here only when the door is gone */
	__atomic_store_n(&bound_errno, errno, __ATOMIC_RELEASE);
	return NULL;
}

/* One thread for the shared pool, ever; one per call for the private. */
static void limited_create(door_info_t *info)
{
	pthread_t t;

	if (info && (info->di_attributes & DOOR_PRIVATE)) {
		__atomic_add_fetch(&private_threads, 1, __ATOMIC_ACQ_REL);
		pthread_create(&t, NULL, bound_server, NULL);
	} else if (__atomic_add_fetch(&shared_asked, 1,
				      __ATOMIC_ACQ_REL) == 1) {
		__atomic_add_fetch(&shared_threads, 1, __ATOMIC_ACQ_REL);
		pthread_create(&t, NULL, my_server, NULL);
	} else {
		return;
	}
	pthread_detach(t);
}

static int private_child(void *arg)
{
	char rbuf[8];
	door_arg_t a;

	return call_bytes(*(int *)arg, "pq", 2, rbuf, sizeof(rbuf), &a) ||
	       memcmp(rbuf, "qp", 2);
}

TEST(private_pool)
{
	int busy, priv, status;
	door_info_t di;
	pid_t blocker;

	door_server_create(limited_create);
	busy = door_create(p_gate, NULL, 0);
	ASSERT_LE(0, busy);
	priv = door_create(p_reverse, NULL, DOOR_PRIVATE);
	ASSERT_LE(0, priv);
	__atomic_store_n(&private_fd, priv, __ATOMIC_RELEASE);
	ASSERT_EQ(0, door_info(priv, &di));
	EXPECT_TRUE(di.di_attributes & DOOR_PRIVATE);
	EXPECT_TRUE(wait_count(&private_threads, 1));

	/* the shared pool's only thread is kept busy */
	blocker = fork();
	ASSERT_LE(0, blocker);
	if (!blocker)
		_exit(door_call(busy, NULL) ? 1 : 0);
	ASSERT_TRUE(wait_count(&entered, 1));

	/* the private door answers all the same, from its own threads */
	EXPECT_EQ(0, in_child(private_child, &priv));
	EXPECT_EQ(0, in_child(private_child, &priv));
	EXPECT_EQ(1, __atomic_load_n(&entered, __ATOMIC_ACQUIRE));
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(blocker, waitpid(blocker, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(1, __atomic_load_n(&shared_threads, __ATOMIC_ACQUIRE));

	/* revoked, the door lets its threads go: EINVAL, as on Solaris */
	ASSERT_EQ(0, door_revoke(priv));
	EXPECT_TRUE(wait_count(&bound_errno, EINVAL));
	EXPECT_EQ(EINVAL, __atomic_load_n(&bound_errno, __ATOMIC_ACQUIRE));
}

TEST(bind_errors)
{
	int shared, priv;

	shared = door_create(p_reverse, NULL, 0);
	ASSERT_LE(0, shared);
	priv = door_create(p_reverse, NULL, DOOR_PRIVATE);
	ASSERT_LE(0, priv);
	EXPECT_EQ(-1, door_bind(shared));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, door_bind(0));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, door_unbind());
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(0, door_bind(priv));
	EXPECT_EQ(0, door_bind(priv));
	EXPECT_EQ(0, door_unbind());
	EXPECT_EQ(-1, door_unbind());
	EXPECT_EQ(EBADF, errno);
}

/* door_desc_t and door_info_t laid out as Solaris' (packed to 4 bytes) */
TEST(solaris_layouts)
{
	door_desc_t d;

	EXPECT_EQ(24, sizeof(door_desc_t));
	EXPECT_EQ(4, __alignof__(door_desc_t));
	EXPECT_EQ(4, offsetof(door_desc_t, d_data.d_desc.d_descriptor));
	EXPECT_EQ(8, offsetof(door_desc_t, d_data.d_desc.d_id));
	EXPECT_EQ(20, sizeof(d.d_data.d_resv));
	EXPECT_EQ(48, sizeof(door_info_t));
	EXPECT_EQ(4, offsetof(door_info_t, di_proc));
	EXPECT_EQ(20, offsetof(door_info_t, di_attributes));
	EXPECT_EQ(24, offsetof(door_info_t, di_uniquifier));
}

static int moved_tid;
static door_id_t query_id;
static int query_errno;
static int bind_ret = -2;

/* Records which door this thread serves as of its next door_return() */
static void note_query(void)
{
	door_info_t di;

	if (door_info(DOOR_QUERY, &di)) {
		__atomic_store_n(&query_errno, errno, __ATOMIC_RELEASE);
		return;
	}
	__atomic_store_n(&query_id, di.di_uniquifier, __ATOMIC_RELEASE);
}

/* A shared door's procedure that binds its thread to a private door */
static void p_bind_here(void *cookie, char *argp, size_t size,
			door_desc_t *dp, uint_t n)
{
	(void)argp, (void)size, (void)dp, (void)n;
	__atomic_store_n(&bind_ret, door_bind(*(int *)cookie) ? errno : 0,
			 __ATOMIC_RELEASE);
	note_query();
	__atomic_store_n(&moved_tid, gettid_(), __ATOMIC_RELEASE);
	door_return(NULL, 0, NULL, 0);
}

/* The private door's: who serves it, then unbinds while serving */
static void p_served_by(void *cookie, char *argp, size_t size,
			door_desc_t *dp, uint_t n)
{
	static __thread int tid;

	(void)cookie, (void)argp, (void)size, (void)dp, (void)n;
	tid = gettid_();
	__atomic_store_n(&bind_ret, door_unbind() ? errno : 0,
			 __ATOMIC_RELEASE);
	note_query();
	door_return((char *)&tid, sizeof(tid), NULL, 0);
}

/* No thread for private doors: only the test's bound threads serve them */
static void shared_only_create(door_info_t *info)
{
	pthread_t t;

	if (info && (info->di_attributes & DOOR_PRIVATE))
		return;
	if (!pthread_create(&t, NULL, my_server, NULL))
		pthread_detach(t);
}

/*
 * door_bind() from a procedure (a thread serving a call) moves the thread
 * once it has answered, as on Solaris (an implicit unbind of its old
 * pool); door_info(DOOR_QUERY) names the door it will serve, and fails
 * with EBADF on a thread bound to none.  door_unbind() while serving
 * takes it back to the shared pool the same way.
 */
TEST(bind_while_serving)
{
	int shared, priv, tid = 0;
	door_info_t di;
	door_arg_t a;
	char c = 'x';

	EXPECT_EQ(-1, door_info(DOOR_QUERY, &di));
	EXPECT_EQ(EBADF, errno);
	door_server_create(shared_only_create);
	priv = door_create(p_served_by, NULL, DOOR_PRIVATE);
	ASSERT_LE(0, priv);
	shared = door_create(p_bind_here, &priv, 0);
	ASSERT_LE(0, shared);
	ASSERT_EQ(0, door_info(priv, &di));

	ASSERT_EQ(0, call_bytes(shared, &c, 1, NULL, 0, &a));
	EXPECT_EQ(0, __atomic_load_n(&bind_ret, __ATOMIC_ACQUIRE))
		TH_LOG("door_bind() while serving: %s", strerror(bind_ret));
	EXPECT_EQ(di.di_uniquifier,
		  __atomic_load_n(&query_id, __ATOMIC_ACQUIRE));
	/* the private door has no thread but the one that moved */
	ASSERT_EQ(0, call_bytes(priv, &c, 1, (char *)&tid, sizeof(tid), &a));
	EXPECT_EQ(sizeof(tid), a.data_size);
	memcpy(&tid, a.data_ptr, sizeof(tid));
	EXPECT_EQ(__atomic_load_n(&moved_tid, __ATOMIC_ACQUIRE), tid);
	EXPECT_EQ(0, __atomic_load_n(&bind_ret, __ATOMIC_ACQUIRE));
	EXPECT_EQ(EBADF, __atomic_load_n(&query_errno, __ATOMIC_ACQUIRE));
	door_revoke(shared);
	door_revoke(priv);
}

/* Binds (pending, as it serves) then ends the process */
static void p_bind_and_exit(void *cookie, char *argp, size_t size,
			    door_desc_t *dp, uint_t n)
{
	(void)argp, (void)size, (void)dp, (void)n;
	_exit(door_bind(*(int *)cookie) ? 3 : 0);
}

static int pending_child(void *arg)
{
	int shared, priv;
	char c = 'e';
	door_arg_t a;

	(void)arg;
	door_server_create(shared_only_create);
	priv = door_create(p_reverse, NULL, DOOR_PRIVATE);
	shared = door_create(p_bind_and_exit, &priv, 0);
	if (priv < 0 || shared < 0)
		return 1;
	call_bytes(shared, &c, 1, NULL, 0, &a);
	return 2;
}

/*
 * A process that ends while a thread's binding waits for its next
 * door_return(): the server state made for it goes too (door_kmemleak,
 * run after these tests, finds no server thread left).
 */
TEST(bind_pending_at_exit)
{
	EXPECT_EQ(0, in_child(pending_child, NULL));
}

/* door_xcreate(): what its functions saw */
static int xc_created, xc_setups, xc_depleted, xc_declines;
static uint_t xc_attributes;
static door_id_t xc_id;
static int xc_answer = 1;	/* what the creation function returns */

static void xc_setup(void *crcookie)
{
	if (crcookie == &xc_created)
		__atomic_add_fetch(&xc_setups, 1, __ATOMIC_ACQ_REL);
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
}

static int xc_create(door_info_t *info, void *(*startf)(void *),
		     void *startfarg, void *crcookie)
{
	pthread_t t;

	if (crcookie != &xc_created)
		return -1;
	__atomic_store_n(&xc_attributes, info->di_attributes,
			 __ATOMIC_RELEASE);
	__atomic_store_n(&xc_id, info->di_uniquifier, __ATOMIC_RELEASE);
	if (info->di_attributes & DOOR_DEPLETION_CB)
		__atomic_add_fetch(&xc_depleted, 1, __ATOMIC_ACQ_REL);
	if (xc_answer != 1) {
		__atomic_add_fetch(&xc_declines, 1, __ATOMIC_ACQ_REL);
		return xc_answer;
	}
	if (pthread_create(&t, NULL, startf, startfarg))
		return -1;
	pthread_detach(t);
	__atomic_add_fetch(&xc_created, 1, __ATOMIC_ACQ_REL);
	return 1;
}

/*
 * door_xcreate(): a private door whose own creation function starts
 * @nthread threads (bound and set up before door_xcreate() returns),
 * and again, with DOOR_DEPLETION_CB, when its last free thread takes a
 * call; DOOR_NO_DEPLETION_CB: never again.  door_info() shows
 * DOOR_PRIVATE | DOOR_PRIVCREATE.
 */
static void xcreate_pool(struct __test_metadata *_metadata, uint_t extra)
{
	pid_t callers[3];
	door_info_t di;
	int fd, i, status;

	fd = door_xcreate(p_gate, NULL, extra, xc_create, xc_setup,
			  &xc_created, 2);
	ASSERT_LE(0, fd) TH_LOG("door_xcreate: %s", strerror(errno));
	EXPECT_EQ(2, __atomic_load_n(&xc_created, __ATOMIC_ACQUIRE));
	EXPECT_EQ(2, __atomic_load_n(&xc_setups, __ATOMIC_ACQUIRE));
	ASSERT_EQ(0, door_info(fd, &di));
	EXPECT_EQ((uint_t)(DOOR_PRIVATE | DOOR_PRIVCREATE | extra),
		  di.di_attributes & DOOR_CREATE_MASK);
	EXPECT_EQ(di.di_uniquifier, xc_id);
	EXPECT_EQ(0U, xc_attributes & DOOR_DEPLETION_CB);

	/* three calls at once: the two threads run dry */
	ASSERT_EQ(0, fork_callers(callers, 3, fd));
	if (extra & DOOR_NO_DEPLETION_CB) {
		EXPECT_TRUE(wait_count(&entered, 2));
		sleep_ms(300);
		EXPECT_EQ(2, __atomic_load_n(&entered, __ATOMIC_ACQUIRE));
		EXPECT_EQ(0, __atomic_load_n(&xc_depleted, __ATOMIC_ACQUIRE));
	} else {
		EXPECT_TRUE(wait_count(&entered, 3));
		EXPECT_LE(1, __atomic_load_n(&xc_depleted, __ATOMIC_ACQUIRE));
		EXPECT_TRUE(xc_attributes & DOOR_DEPLETION_CB);
		EXPECT_EQ(__atomic_load_n(&xc_created, __ATOMIC_ACQUIRE),
			  __atomic_load_n(&xc_setups, __ATOMIC_ACQUIRE));
	}
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(callers[i], waitpid(callers[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	}
	door_revoke(fd);
}

TEST(xcreate)
{
	xcreate_pool(_metadata, 0);
}

TEST(xcreate_no_depletion_cb)
{
	xcreate_pool(_metadata, DOOR_NO_DEPLETION_CB);
}

/* What door_xcreate() refuses, and a creation function's refusals */
TEST(xcreate_errors)
{
	int before = nr_open_fds();

	EXPECT_EQ(-1, door_xcreate(p_reverse, NULL, 0, xc_create, NULL,
				   &xc_created, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, door_xcreate(p_reverse, NULL, 0, NULL, NULL,
				   &xc_created, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, door_xcreate(p_reverse, NULL, DOOR_PRIVCREATE, xc_create,
				   NULL, &xc_created, 1));
	EXPECT_EQ(EINVAL, errno);
	/* it declines a thread door_xcreate() needs: EINVAL */
	xc_answer = 0;
	EXPECT_EQ(-1, door_xcreate(p_reverse, NULL, 0, xc_create, NULL,
				   &xc_created, 1));
	EXPECT_EQ(EINVAL, errno);
	/* it fails to make one: EPIPE */
	xc_answer = -1;
	EXPECT_EQ(-1, door_xcreate(p_reverse, NULL, 0, xc_create, NULL,
				   &xc_created, 2));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(2, xc_declines);
	EXPECT_EQ(0, xc_created);
	/* no door is left behind */
	EXPECT_EQ(before, nr_open_fds());
}

static int private_fd_threads;
static door_id_t depleted_id;
static door_server_func_t *default_create;

/* Notes the door, then makes the thread as libdoor would */
static void count_private_create(door_info_t *info)
{
	if (info && (info->di_attributes & DOOR_PRIVATE)) {
		__atomic_store_n(&depleted_id, info->di_uniquifier,
				 __ATOMIC_RELEASE);
		__atomic_add_fetch(&private_fd_threads, 1, __ATOMIC_ACQ_REL);
	}
	default_create(info);
}

/*
 * A private door's pool belongs to the door, not to the number its
 * descriptor had: once that number names another private door, the
 * first door's depletion is still about the first door, and its pool
 * still grows (two calls are served at once).
 */
TEST(private_pool_by_door)
{
	int first, keep, second, i, status;
	pid_t callers[2];
	door_info_t di, di1;

	first = door_create(p_gate, NULL, DOOR_PRIVATE);
	ASSERT_LE(0, first);
	ASSERT_EQ(0, door_info(first, &di1));
	keep = dup(first);
	ASSERT_LE(0, keep);
	ASSERT_EQ(0, close(first));
	second = door_create(p_reverse, NULL, DOOR_PRIVATE);
	ASSERT_EQ(first, second) TH_LOG("the number was not reused");
	ASSERT_EQ(0, door_info(second, &di));
	/* from now on, count what the creation function is asked for */
	default_create = door_server_create(count_private_create);
	ASSERT_EQ(0, fork_callers(callers, 2, keep));
	EXPECT_TRUE(wait_count(&entered, 1));
	EXPECT_TRUE(wait_count(&private_fd_threads, 1));
	EXPECT_EQ(di1.di_uniquifier, depleted_id)
		TH_LOG("the depletion of one door was told of another");
	EXPECT_NE(di.di_uniquifier, depleted_id);
	EXPECT_TRUE(wait_count(&entered, 2))
		TH_LOG("the pool of a door whose descriptor went did not grow");
	EXPECT_EQ(0, in_child(private_child, &second));
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(callers[i], waitpid(callers[i], &status, 0));
	door_revoke(keep);
	door_revoke(second);
}

/* Names in the file system */
#define NAMES	"/tmp/door-names"
#define LOCKED	"/tmp/door-locked"

static int mount_doorfs(const char *dir, const char *opts)
{
	mkdir(dir, 0755);
	umount2(dir, MNT_DETACH);
	return mount("doorfs", dir, "doorfs", 0, opts);
}

/* Entries of @dir other than "." and "..", or -1 */
static int dir_entries(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return n;
}

struct other_user {
	const char *path;
	door_id_t id;
	int step;		/* the child asks the server to unname */
	int done;		/* and waits for it */
};

/* As uid 1000: open the name, call the door, keep the descriptor. */
static int other_user_child(void *arg)
{
	struct other_user *o = arg;
	char rbuf[8], c;
	door_info_t di;
	door_arg_t a;
	int fd;

	if (setgid(1000) || setuid(1000))
		return 1;
	fd = open(o->path, O_RDONLY);
	if (fd < 0)
		return 2;
	if (door_info(fd, &di) || di.di_uniquifier != o->id)
		return 3;
	if (call_bytes(fd, "ab", 2, rbuf, sizeof(rbuf), &a) ||
	    memcmp(rbuf, "ba", 2))
		return 4;
	/* naming or unnaming is the owner's business, in a sticky dir */
	if (fattach(fd, NAMES "/mine") || unlink(NAMES "/mine"))
		return 10;
	if (!unlink(o->path) || errno != EPERM)
		return 5;
	if (!fattach(fd, LOCKED "/x") || errno != EACCES)
		return 6;
	/* the server unnames it; the descriptor stays good */
	if (write(o->step, "d", 1) != 1 || read(o->done, &c, 1) != 1)
		return 7;
	if (open(o->path, O_RDONLY) >= 0 || errno != ENOENT)
		return 8;
	if (call_bytes(fd, "cd", 2, rbuf, sizeof(rbuf), &a) ||
	    memcmp(rbuf, "dc", 2))
		return 9;
	return 0;
}

TEST(names)
{
	struct other_user o = { .path = NAMES "/svc" };
	int fd, p[2], q[2], status;
	door_info_t di;
	pid_t pid;
	char c;

	if (geteuid())
		SKIP(return, "needs root to mount doorfs");
	ASSERT_EQ(0, mount_doorfs(NAMES, "mode=1777"));
	ASSERT_EQ(0, mount_doorfs(LOCKED, "mode=0755"));
	fd = door_create(p_reverse, NULL, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, door_info(fd, &di));
	o.id = di.di_uniquifier;

	ASSERT_EQ(0, fattach(fd, o.path));
	EXPECT_EQ(1, dir_entries(NAMES));
	EXPECT_EQ(-1, fattach(fd, o.path));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(-1, fattach(0, NAMES "/stdin"));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, fattach(fd, NAMES "/a/b"));

	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(q));
	o.step = p[1];
	o.done = q[0];
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(other_user_child(&o));
	close(p[1]);
	ASSERT_EQ(1, read(p[0], &c, 1));
	EXPECT_EQ(0, fdetach(o.path));
	ASSERT_EQ(1, write(q[1], "k", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(-1, fdetach(o.path));

	umount2(NAMES, MNT_DETACH);
	umount2(LOCKED, MNT_DETACH);
}

/* Over any file, for a privileged server: a bind mount of a name. */
TEST(names_over_a_file)
{
	const char *path = "/tmp/door-over";
	door_info_t di, dj;
	char rbuf[8];
	door_arg_t a;
	int fd, nfd;

	if (geteuid())
		SKIP(return, "needs root to mount");
	ASSERT_EQ(0, mount_doorfs(NAMES, "mode=1777"));
	setenv("DOOR_FS_DIR", NAMES, 1);
	close(open(path, O_CREAT | O_WRONLY, 0644));
	fd = door_create(p_reverse, NULL, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fattach(fd, path));
	nfd = open(path, O_RDONLY);
	ASSERT_LE(0, nfd);
	ASSERT_EQ(0, door_info(fd, &di));
	ASSERT_EQ(0, door_info(nfd, &dj));
	EXPECT_EQ(di.di_uniquifier, dj.di_uniquifier);
	EXPECT_EQ(0, call_bytes(nfd, "xy", 2, rbuf, sizeof(rbuf), &a));
	EXPECT_EQ(0, memcmp(rbuf, "yx", 2));
	/* the name made to be mounted is gone from the doorfs directory */
	EXPECT_EQ(0, dir_entries(NAMES));

	EXPECT_EQ(0, fdetach(path));
	close(nfd);
	nfd = open(path, O_RDONLY);
	ASSERT_LE(0, nfd);
	EXPECT_EQ(-1, door_info(nfd, &dj));
	EXPECT_EQ(EBADF, errno);
	close(nfd);
	EXPECT_EQ(-1, fattach(fd, "/tmp/door-none/x"));
	EXPECT_EQ(ENOENT, errno);
	unlink(path);
	umount2(NAMES, MNT_DETACH);
}

/*
 * fattach() over a file gives the door the file's mode and owner, as on
 * Solaris: over a root-only file, the door is root-only.  fdetach() of
 * a path where something else is mounted leaves it mounted.
 */
TEST(names_over_a_file_keep_its_mode)
{
	const char *path = "/tmp/door-private", *dir = "/tmp/door-notdoor";
	struct stat st;
	int fd, status;
	pid_t pid;

	if (geteuid())
		SKIP(return, "needs root to mount");
	ASSERT_EQ(0, mount_doorfs(NAMES, "mode=1777"));
	setenv("DOOR_FS_DIR", NAMES, 1);
	umask(022);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	ASSERT_EQ(0, chown(path, 4321, 4322));
	fd = door_create(p_reverse, NULL, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fattach(fd, path));
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(4321, st.st_uid);
	EXPECT_EQ(4322, st.st_gid);
	/* another user cannot open it, hence not call it */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		_exit(open(path, O_RDONLY) < 0 && errno == EACCES ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("another user opened it");
	EXPECT_EQ(0, fdetach(path));
	unlink(path);

	/* not a door name: fdetach() refuses, the mount stays */
	mkdir(dir, 0755);
	ASSERT_EQ(0, mount("tmpfs", dir, "tmpfs", 0, NULL));
	EXPECT_EQ(-1, fdetach(dir));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, statfs(dir, &(struct statfs){ 0 }));
	EXPECT_EQ(0, umount2(dir, 0)) TH_LOG("fdetach() unmounted a tmpfs");
	rmdir(dir);
	umount2(NAMES, MNT_DETACH);
}

/*
 * A name counts as a reference, as a name made with Solaris' fattach()
 * does: a server that names its door and closes its descriptor is told
 * at once; when the name goes too, the door is gone, and nobody is told.
 */
TEST(unref_name_is_a_reference)
{
	int fd;

	if (geteuid())
		SKIP(return, "needs root to mount doorfs");
	ASSERT_EQ(0, mount_doorfs(NAMES, "mode=1777"));
	fd = door_create(p_unref, NULL, DOOR_UNREF_MULTI);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fattach(fd, NAMES "/u"));
	ASSERT_EQ(0, close(fd));
	EXPECT_TRUE(wait_count(&unrefs, 1))
		TH_LOG("the name did not count as a reference");
	ASSERT_EQ(0, fdetach(NAMES "/u"));
	sleep_ms(300);
	EXPECT_EQ(1, __atomic_load_n(&unrefs, __ATOMIC_ACQUIRE))
		TH_LOG("notified again when the last reference went");
	umount2(NAMES, MNT_DETACH);
}

TEST_HARNESS_MAIN
