// SPDX-License-Identifier: GPL-2.0
/*
 * Door calls when the kernel's allocations fail, with fault injection
 * (failslab and fail_page_alloc, CONFIG_FAULT_INJECTION_DEBUG_FS) limited
 * to the task that asks for it (/proc/self/make-it-fail): first the
 * caller's allocations fail, then the server's.  Every call of every size
 * either succeeds with the right reply or fails with ENOMEM (or, when the
 * server could not take the arguments, EAGAIN); none hangs, none leaks
 * (door_kmemleak checks objects and pins after all door tests).  Also the
 * documented order of errors where it matters: a full descriptor table is
 * EMFILE even when memory fails too; a parameter that does not exist is
 * EINVAL before the owner is checked; a door_return() with no pool is
 * EBADF before its result size is looked at.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "door_util.h"

#define DBG	"/sys/kernel/debug"
#define ROUNDS	40

/* Write @value to debugfs @kind/@file; 0 or -1. */
static int fi_set(const char *kind, const char *file, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), DBG "/%s/%s", kind, file);
	return du_write(path, value);
}

/* Set up failslab and fail_page_alloc for tasks that ask; 0 or -1. */
static int fi_setup(int probability)
{
	static const char *const kinds[] = { "failslab", "fail_page_alloc" };
	char val[16];
	unsigned int i;

	if (access(DBG "/failslab", F_OK))
		mount("debugfs", DBG, "debugfs", 0, NULL);
	if (access(DBG "/failslab", F_OK) ||
	    access("/proc/self/make-it-fail", F_OK))
		return -1;
	snprintf(val, sizeof(val), "%d", probability);
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (fi_set(kinds[i], "task-filter", "Y") ||
		    fi_set(kinds[i], "probability", val) ||
		    fi_set(kinds[i], "interval", "1") ||
		    fi_set(kinds[i], "times", "-1") ||
		    fi_set(kinds[i], "verbose", "0") ||
		    fi_set(kinds[i], "space", "0"))
			return -1;
	/* order-0 pages stay: a failed page fault would OOM, not ENOMEM */
	if (du_write(DBG "/fail_page_alloc/min-order", "1") ||
	    du_write(DBG "/fail_page_alloc/ignore-gfp-wait", "N") ||
	    du_write(DBG "/fail_page_alloc/ignore-gfp-highmem", "N") ||
	    du_write(DBG "/failslab/ignore-gfp-wait", "N"))
		return -1;
	return 0;
}

static int make_it_fail(int on)
{
	return du_write("/proc/thread-self/make-it-fail", on ? "1" : "0");
}

static const size_t sizes[] = {
	0, 1, 128, 129, 4096, 4097, 8192, 16384, 16385, 65536, 300000,
};

/* The server replies with 3/2 of the data, in the pattern of its size. */
static void reply_hook(struct du_server *s, struct door_return_args *ra)
{
	static __thread unsigned char *reply;
	size_t n = ra->data_size + ra->data_size / 2;

	if (!reply)
		reply = malloc(600000);
	if (pat_check(ptr_of(ra->data_ptr), ra->data_size,
		      mix64(ra->data_size)) >= 0)
		n = 1;			/* the caller sees a wrong size */
	pat_fill(reply, n, mix64(n));
	ra->result_ptr = u64_of(reply);
	ra->result_size = n;
}

struct tally {
	int ok;
	int nomem;
	int again;
	int other;
	int wrong;
};

/* ROUNDS calls of every size from this thread, with failures on or off. */
static void call_all(int fd, bool fail, bool server_fails, struct tally *t)
{
	static unsigned char data[300000], rbuf[600000];
	unsigned int i, r;
	struct door_arg a;
	size_t want;

	for (r = 0; r < ROUNDS; r++)
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			pat_fill(data, sizes[i], mix64(sizes[i]));
			want = sizes[i] + sizes[i] / 2;
			if (fail)
				make_it_fail(1);
			if (!du_call(fd, data, sizes[i], rbuf, sizeof(rbuf), &a)) {
				make_it_fail(0);
				if (a.data_size == want &&
				    pat_check(rbuf, want, mix64(want)) < 0)
					t->ok++;
				else
					t->wrong++;
				continue;
			}
			make_it_fail(0);
			if (errno == ENOMEM)
				t->nomem++;
			else if (errno == EAGAIN && server_fails)
				t->again++;
			else
				t->other++;
		}
}

FIXTURE(inject) {
	int unused;
};

FIXTURE_SETUP(inject)
{
	if (fi_setup(20))
		SKIP(return, "no fault injection in this kernel");
}

FIXTURE_TEARDOWN(inject)
{
}

/* The caller's allocations fail: ENOMEM or success, nothing else. */
TEST_F_TIMEOUT(inject, caller_allocations_fail, 240)
{
	struct du_server s = { .hook = reply_hook };
	struct tally t = { 0 };
	int fd;

	fd = door_create(1, 2, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, du_server_start(&s, 4096));
	alarm(200);
	call_all(fd, true, false, &t);
	alarm(0);
	TH_LOG("%d ok, %d ENOMEM, %d other, %d wrong", t.ok, t.nomem, t.other,
	       t.wrong);
	EXPECT_EQ(0, t.other);
	EXPECT_EQ(0, t.wrong);
	EXPECT_LT(0, t.nomem);
	EXPECT_LT(0, t.ok);
	/* and with nothing failing, everything works: no lost wake-up */
	memset(&t, 0, sizeof(t));
	call_all(fd, false, false, &t);
	EXPECT_EQ(ROUNDS * (int)ARRAY_SIZE(sizes), t.ok);
	EXPECT_EQ(0LL, du_pins_held());
	close(fd);
}

/*
 * The server's allocations fail (its thread state, mappings for data
 * larger than its receive buffer, extensions for results): its callers
 * see ENOMEM or EAGAIN, or success.
 */
TEST_F_TIMEOUT(inject, server_allocations_fail, 240)
{
	struct du_server s[2] = { { .hook = reply_hook },
				  { .hook = reply_hook } };
	struct tally t = { 0 };
	int fd, p[2], status;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* the server process: every thread of it fails */
		char path[64];
		int i;

		fd = door_create(1, 2, 0);
		if (fd < 0 || du_server_start(&s[0], 4096) ||
		    du_server_start(&s[1], 4096))
			_exit(1);
		for (i = 0; i < 2; i++) {
			snprintf(path, sizeof(path),
				 "/proc/self/task/%d/make-it-fail", s[i].tid);
			du_write(path, "1");
		}
		if (du_send_fd(p[1], fd))
			_exit(1);
		pause();
		_exit(0);
	}
	fd = du_recv_fd(p[0]);
	ASSERT_LE(0, fd);
	alarm(200);
	call_all(fd, false, true, &t);
	alarm(0);
	TH_LOG("%d ok, %d ENOMEM, %d EAGAIN, %d other, %d wrong", t.ok,
	       t.nomem, t.again, t.other, t.wrong);
	EXPECT_EQ(0, t.other);
	EXPECT_EQ(0, t.wrong);
	EXPECT_LT(0, t.ok);
	EXPECT_LT(0, t.nomem + t.again);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(fd);
	EXPECT_EQ(0LL, du_pins_held());
}

/* A full descriptor table is EMFILE, even when memory fails as well. */
TEST(create_emfile_first)
{
	struct rlimit rl;
	int fd, last = -1;

	if (fi_setup(100))
		SKIP(return, "no fault injection in this kernel");
	/* fill the table up to a low limit */
	rl.rlim_cur = 64;
	rl.rlim_max = 64;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	fd = open("/dev/null", O_RDONLY);
	ASSERT_LE(0, fd);
	while ((last = dup(fd)) >= 0)
		fd = last;
	last = fd;
	ASSERT_LT(0, last);
	make_it_fail(1);
	fd = door_create(1, 2, 0);
	make_it_fail(0);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EMFILE, errno) TH_LOG("%s", strerror(errno));
	/* room for one, memory failing: ENOMEM */
	close(last);
	make_it_fail(1);
	fd = door_create(1, 2, 0);
	make_it_fail(0);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(ENOMEM, errno) TH_LOG("%s", strerror(errno));
}

/*
 * door_setparam(): an unknown parameter is EINVAL, also on a door the
 * caller may not change (EPERM comes after); door_return() in a process
 * with no door is EBADF before its result descriptors are counted
 * (E2BIG).
 */
TEST(errno_order)
{
	struct door_return_args ra;
	int fd, status;
	pid_t pid;

	fd = door_create(1, 2, 0);
	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int bad = 0;

		if (door_setparam(fd, 99, 0) != -1 || errno != EINVAL)
			bad |= 1;
		if (door_setparam(fd, DOOR_PARAM_DATA_MAX, 10) != -1 ||
		    errno != EPERM)
			bad |= 2;
		memset(&ra, 0, sizeof(ra));
		ra.result_desc_num = DOOR_DESC_LIMIT + 1;
		if (door_return(&ra, 0) != -1 || errno != EBADF)
			bad |= 4;
		_exit(bad);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status) & 1) TH_LOG("bad param on a door not ours: not EINVAL");
	EXPECT_EQ(0, WEXITSTATUS(status) & 2) TH_LOG("setparam on a door not ours: not EPERM");
	EXPECT_EQ(0, WEXITSTATUS(status) & 4) TH_LOG("no pool and too many descriptors: not EBADF");
	close(fd);
}

TEST_HARNESS_MAIN
