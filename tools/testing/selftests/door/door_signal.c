// SPDX-License-Identifier: GPL-2.0
/*
 * Door calls and signals that do not mean "give up": a stop (SIGSTOP and
 * SIGCONT, as Ctrl-Z and fg send), a ptrace interrupt, the cgroup
 * freezer and a handler installed with SA_RESTART.  A call no server has
 * taken restarts after them; a call being served goes on through them;
 * either way it completes exactly once.  A handler without SA_RESTART
 * ends a served call with EINTR, and the server's next door_return()
 * says that its results went nowhere (DOOR_RETURN_DISCARDED).  An idle
 * door_return() restarts too.
 *
 * Callers run in child processes, so that stopping them stops no server.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/mount.h>

#include "../kselftest_harness.h"
#include "door_util.h"

static int gate;			/* the server hook waits for it */
static int entered;			/* calls the hook has begun */
static int seen[256];			/* calls served, by first data byte */

static void gate_hook(struct du_server *s, struct door_return_args *ra)
{
	unsigned char tag = ra->data_size ? *(unsigned char *)ptr_of(ra->data_ptr)
					  : 0;

	__atomic_add_fetch(&entered, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&gate, __ATOMIC_ACQUIRE))
		du_sleep_ms(1);
	__atomic_add_fetch(&seen[tag], 1, __ATOMIC_RELEASE);
	du_echo(s, ra);
}

static void big_reply_hook(struct du_server *s, struct door_return_args *ra)
{
	memset(s->reply, 'b', 100);
	ra->result_ptr = u64_of(s->reply);
	ra->result_size = 100;
}

static void reset(void)
{
	__atomic_store_n(&gate, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&entered, 0, __ATOMIC_RELEASE);
	memset(seen, 0, sizeof(seen));
}

static int handled;			/* signals the handler saw */

static void count_handler(int sig)
{
	(void)sig;
	__atomic_add_fetch(&handled, 1, __ATOMIC_RELAXED);
}

/*
 * A child process that calls @fd with the one byte @tag, with a SIGUSR2
 * handler (SA_RESTART if @restart), and reports through @wfd.
 */
static pid_t spawn_caller(int fd, int wfd, unsigned char tag, bool restart)
{
	pid_t pid = fork();

	if (!pid) {
		struct sigaction sa = { .sa_handler = count_handler };
		unsigned char rbuf[16] = { 0 };
		struct door_arg a;
		int ret;

		sa.sa_flags = restart ? SA_RESTART : 0;
		sigaction(SIGUSR2, &sa, NULL);
		ret = du_call(fd, &tag, 1, rbuf, sizeof(rbuf), &a);
		du_send_report(wfd, ret, ret ? errno : 0, &a, rbuf,
			       __atomic_load_n(&handled, __ATOMIC_RELAXED));
		_exit(0);
	}
	return pid;
}

/* Whether process @pid reaches state @st (a letter of /proc/PID/stat). */
static bool reaches_state(pid_t pid, char st, int ms)
{
	for (; ms > 0; ms -= 2) {
		if (du_state_of(pid, pid) == st)
			return true;
		du_sleep_ms(2);
	}
	return false;
}

FIXTURE(sig) {
	struct du_server s;
	int fd;
	int p[2];
};

FIXTURE_SETUP(sig)
{
	reset();
	memset(&self->s, 0, sizeof(self->s));
	self->s.hook = gate_hook;
	self->fd = door_create(1, 2, 0);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, pipe(self->p));
	ASSERT_EQ(0, fcntl(self->p[0], F_SETFL, O_NONBLOCK));
	ASSERT_EQ(0, du_server_start(&self->s, 4096));
}

FIXTURE_TEARDOWN(sig)
{
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	door_revoke(self->fd);
	close(self->fd);
	close(self->p[0]);
	close(self->p[1]);
}

/* A caller stopped and continued while its call is being served. */
TEST_F_TIMEOUT(sig, stop_while_served, 60)
{
	struct du_report r;
	pid_t pid;

	pid = spawn_caller(self->fd, self->p[1], 'A', false);
	ASSERT_LT(0, pid);
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	ASSERT_EQ(0, kill(pid, SIGSTOP));
	du_sleep_ms(100);
	ASSERT_EQ(0, kill(pid, SIGCONT));
	du_sleep_ms(50);
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, du_get_report(self->p[0], &r, DU_WAIT_MS));
	EXPECT_EQ(0, r.ret) TH_LOG("the call failed: %s", strerror(r.err));
	EXPECT_EQ('B', r.first);
	EXPECT_EQ(1, seen['A']);
	EXPECT_EQ(0, du_reap(pid, DU_WAIT_MS));
}

/*
 * A caller stopped while its call waits for a server thread: it really
 * stops (the call is withdrawn), and the call restarts when it goes on.
 */
TEST_F_TIMEOUT(sig, stop_while_queued, 60)
{
	struct du_report r;
	pid_t busy, pid;
	int p2[2];

	ASSERT_EQ(0, pipe(p2));
	busy = spawn_caller(self->fd, p2[1], 'X', false);
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	pid = spawn_caller(self->fd, self->p[1], 'Q', false);
	ASSERT_LT(0, pid);
	ASSERT_TRUE(du_wait_syscall(pid, pid, __NR_door_call));
	ASSERT_EQ(0, kill(pid, SIGSTOP));
	EXPECT_TRUE(reaches_state(pid, 'T', DU_WAIT_MS))
		TH_LOG("a caller with a queued call does not stop");
	ASSERT_EQ(0, kill(pid, SIGCONT));
	ASSERT_TRUE(du_wait_syscall(pid, pid, __NR_door_call));
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, du_get_report(self->p[0], &r, DU_WAIT_MS));
	EXPECT_EQ(0, r.ret) TH_LOG("the call failed: %s", strerror(r.err));
	EXPECT_EQ('R', r.first);
	ASSERT_EQ(0, du_get_report(p2[0], &r, DU_WAIT_MS));
	EXPECT_EQ(0, r.ret);
	EXPECT_EQ(1, seen['Q']);
	EXPECT_EQ(1, seen['X']);
	EXPECT_EQ(0, du_reap(pid, DU_WAIT_MS));
	EXPECT_EQ(0, du_reap(busy, DU_WAIT_MS));
	close(p2[0]);
	close(p2[1]);
}

/* strace -p: PTRACE_SEIZE and PTRACE_INTERRUPT a caller mid-call. */
TEST_F_TIMEOUT(sig, ptrace_interrupt, 60)
{
	struct du_report r;
	int status;
	pid_t pid;

	pid = spawn_caller(self->fd, self->p[1], 'P', false);
	ASSERT_LT(0, pid);
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	ASSERT_EQ(0, ptrace(PTRACE_SEIZE, pid, 0, 0));
	ASSERT_EQ(0, ptrace(PTRACE_INTERRUPT, pid, 0, 0));
	du_sleep_ms(100);
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	/* the interrupt stop comes once the call is done */
	ASSERT_EQ(pid, waitpid(pid, &status, __WALL));
	EXPECT_TRUE(WIFSTOPPED(status));
	ASSERT_EQ(0, ptrace(PTRACE_DETACH, pid, 0, 0));
	ASSERT_EQ(0, du_get_report(self->p[0], &r, DU_WAIT_MS));
	EXPECT_EQ(0, r.ret) TH_LOG("the call failed: %s", strerror(r.err));
	EXPECT_EQ(1, seen['P']);
	EXPECT_EQ(0, du_reap(pid, DU_WAIT_MS));
}

/* A handler with SA_RESTART runs; the call, served or queued, goes on. */
TEST_F_TIMEOUT(sig, restarting_handler, 60)
{
	struct du_report r;
	pid_t busy, pid;
	int p2[2];

	pid = spawn_caller(self->fd, self->p[1], 'S', true);
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	ASSERT_EQ(0, kill(pid, SIGUSR2));
	du_sleep_ms(100);
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, du_get_report(self->p[0], &r, DU_WAIT_MS));
	EXPECT_EQ(0, r.ret) TH_LOG("served call: %s", strerror(r.err));
	EXPECT_EQ(1, r.handled);
	EXPECT_EQ(1, seen['S']);
	EXPECT_EQ(0, du_reap(pid, DU_WAIT_MS));

	/* queued behind a served call */
	reset();
	ASSERT_EQ(0, pipe(p2));
	busy = spawn_caller(self->fd, p2[1], 'X', false);
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	pid = spawn_caller(self->fd, self->p[1], 'T', true);
	ASSERT_TRUE(du_wait_syscall(pid, pid, __NR_door_call));
	ASSERT_EQ(0, kill(pid, SIGUSR2));
	du_sleep_ms(100);
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, du_get_report(self->p[0], &r, DU_WAIT_MS));
	EXPECT_EQ(0, r.ret) TH_LOG("queued call: %s", strerror(r.err));
	EXPECT_EQ(1, r.handled);
	EXPECT_EQ(1, seen['T']);
	EXPECT_EQ(0, du_reap(pid, DU_WAIT_MS));
	EXPECT_EQ(0, du_reap(busy, DU_WAIT_MS));
	close(p2[0]);
	close(p2[1]);
}

/*
 * A handler without SA_RESTART ends a served call with EINTR; the
 * server's results go nowhere, and its next door_return() says so.
 */
TEST_F_TIMEOUT(sig, handler_cancels, 60)
{
	struct du_report r;
	pid_t pid;

	pid = spawn_caller(self->fd, self->p[1], 'C', false);
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	ASSERT_EQ(0, kill(pid, SIGUSR2));
	ASSERT_EQ(0, du_get_report(self->p[0], &r, DU_WAIT_MS));
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(EINTR, r.err);
	EXPECT_EQ(1, r.handled);
	EXPECT_EQ(0, du_reap(pid, DU_WAIT_MS));

	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	ASSERT_TRUE(du_count_reaches(&self->s.calls, 1, DU_WAIT_MS));
	EXPECT_FALSE(self->s.flags_seen & DOOR_RETURN_DISCARDED);
	pid = spawn_caller(self->fd, self->p[1], 'D', false);
	ASSERT_EQ(0, du_get_report(self->p[0], &r, DU_WAIT_MS));
	EXPECT_EQ(0, r.ret);
	EXPECT_TRUE(self->s.flags_seen & DOOR_RETURN_DISCARDED)
		TH_LOG("the server was not told its results were dropped");
	EXPECT_EQ(0, du_reap(pid, DU_WAIT_MS));
}

static void *pause_main(void *unused)
{
	(void)unused;
	for (;;)
		pause();
	return NULL;
}

/*
 * A signal sent to a whole multithreaded process, with a handler that
 * does not restart: the calling thread is the one it is for, so its
 * served call ends with EINTR (another thread merely exists).
 */
TEST_F_TIMEOUT(sig, process_signal_threaded, 60)
{
	struct du_report r;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct sigaction sa = { .sa_handler = count_handler };
		unsigned char rbuf[16] = { 0 };
		struct door_arg a;
		pthread_t t;
		char tag = 'M';
		int ret;

		sigaction(SIGUSR2, &sa, NULL);
		pthread_create(&t, NULL, pause_main, NULL);
		ret = du_call(self->fd, &tag, 1, rbuf, sizeof(rbuf), &a);
		du_send_report(self->p[1], ret, ret ? errno : 0, &a, rbuf,
			       __atomic_load_n(&handled, __ATOMIC_RELAXED));
		_exit(0);
	}
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	ASSERT_EQ(0, kill(pid, SIGUSR2));
	ASSERT_EQ(0, du_get_report(self->p[0], &r, 10000))
		TH_LOG("the call did not end");
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(EINTR, r.err);
	kill(pid, SIGKILL);
	du_reap(pid, DU_WAIT_MS);
}

/* A server thread waiting for a call sees no EINTR from SA_RESTART. */
TEST_F_TIMEOUT(sig, idle_return_restarts, 60)
{
	struct sigaction sa = { .sa_handler = count_handler,
				.sa_flags = SA_RESTART };
	struct du_report r;
	pid_t pid;

	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, sigaction(SIGUSR2, &sa, NULL));
	__atomic_store_n(&handled, 0, __ATOMIC_RELAXED);
	ASSERT_EQ(0, pthread_kill(self->s.thread, SIGUSR2));
	du_sleep_ms(100);
	EXPECT_EQ(1, __atomic_load_n(&handled, __ATOMIC_RELAXED));
	EXPECT_EQ(0, self->s.eintrs);
	EXPECT_TRUE(du_wait_syscall(getpid(), self->s.tid, __NR_door_return));
	pid = spawn_caller(self->fd, self->p[1], 'I', false);
	ASSERT_EQ(0, du_get_report(self->p[0], &r, DU_WAIT_MS));
	EXPECT_EQ(0, r.ret);
	EXPECT_EQ(0, self->s.eintrs);
	EXPECT_EQ(0, du_reap(pid, DU_WAIT_MS));
}

#define CG	"/sys/fs/cgroup"
#define CGF	CG "/door-freeze"

/* A cgroup v2 hierarchy at CG, mounted here if need be; 0 or -1. */
static int cgroup2(void)
{
	struct stat st;

	if (!stat(CG "/cgroup.procs", &st))
		return 0;
	mkdir(CG, 0755);
	return mount("cgroup2", CG, "cgroup2", 0, NULL);
}

/* Whether the cgroup's "frozen" reads @want within @ms. */
static bool cg_frozen(int want, int ms)
{
	char buf[256], *p;

	for (; ms > 0; ms -= 5) {
		if (du_read(CGF "/cgroup.events", buf, sizeof(buf)) > 0) {
			p = strstr(buf, "frozen ");
			if (p && atoi(p + 7) == want)
				return true;
		}
		du_sleep_ms(5);
	}
	return false;
}

/*
 * The cgroup freezer counts a caller waiting for a served call as frozen
 * (the call goes on); the call completes once thawed.
 */
TEST_F_TIMEOUT(sig, cgroup_freezer, 60)
{
	struct du_report r;
	char pidtext[32];
	pid_t pid;

	if (cgroup2())
		SKIP(return, "no cgroup2: %s", strerror(errno));
	rmdir(CGF);
	ASSERT_EQ(0, mkdir(CGF, 0755));
	pid = spawn_caller(self->fd, self->p[1], 'F', false);
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	snprintf(pidtext, sizeof(pidtext), "%d", pid);
	ASSERT_EQ(0, du_write(CGF "/cgroup.procs", pidtext));
	ASSERT_EQ(0, du_write(CGF "/cgroup.freeze", "1"));
	EXPECT_TRUE(cg_frozen(1, DU_WAIT_MS))
		TH_LOG("a caller waiting for its server does not freeze");
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	du_sleep_ms(100);
	ASSERT_EQ(0, du_write(CGF "/cgroup.freeze", "0"));
	ASSERT_EQ(0, du_get_report(self->p[0], &r, DU_WAIT_MS));
	EXPECT_EQ(0, r.ret) TH_LOG("the call failed: %s", strerror(r.err));
	EXPECT_EQ(1, seen['F']);
	EXPECT_EQ(0, du_reap(pid, DU_WAIT_MS));
	rmdir(CGF);
}

/*
 * Results the caller has no room for come in a mapping of its own: they
 * reached the caller, so the server is not told they were dropped.
 */
TEST_F_TIMEOUT(sig, overflow_not_discarded, 60)
{
	unsigned char rbuf[1];
	struct door_arg a;
	char one = 'O';

	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	self->s.hook = big_reply_hook;
	ASSERT_EQ(0, du_call(self->fd, &one, 1, rbuf, sizeof(rbuf), &a));
	EXPECT_EQ(100ULL, a.data_size);
	EXPECT_NE(u64_of(rbuf), a.rbuf);
	EXPECT_EQ(0, memcmp(ptr_of(a.data_ptr), "bbbbbbbbbb", 10));
	munmap(ptr_of(a.rbuf), a.rsize);
	self->s.hook = gate_hook;
	ASSERT_EQ(0, du_call(self->fd, &one, 1, rbuf, sizeof(rbuf), &a));
	EXPECT_FALSE(self->s.flags_seen & DOOR_RETURN_DISCARDED)
		TH_LOG("the server was told results it delivered were dropped");
}

/*
 * Ctrl-Z of a process that calls its own door: the server thread stops
 * in its procedure, so the caller thread gives its call up (EINTR) and
 * the whole process stops, instead of never stopping.
 */
TEST_F_TIMEOUT(sig, self_call_stops, 60)
{
	int p2[2], status;
	pid_t pid;

	ASSERT_EQ(0, pipe(p2));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		static struct du_server s = { .hook = gate_hook };
		unsigned char rbuf[16];
		struct door_arg a;
		char one = 'Z';
		int fd = door_create(1, 2, 0), ret;

		reset();
		if (fd < 0 || du_server_start(&s, 64))
			_exit(1);
		ret = du_call(fd, &one, 1, rbuf, sizeof(rbuf), &a);
		du_send_report(p2[1], ret, ret ? errno : 0, &a, rbuf, 0);
		_exit(0);
	}
	/* the child's main thread waits for its own server thread */
	ASSERT_TRUE(du_wait_syscall(pid, pid, __NR_door_call));
	du_sleep_ms(100);
	ASSERT_EQ(0, kill(pid, SIGSTOP));
	EXPECT_TRUE(reaches_state(pid, 'T', DU_WAIT_MS))
		TH_LOG("a process calling its own door does not stop");
	ASSERT_EQ(0, kill(pid, SIGKILL));
	waitpid(pid, &status, 0);
	close(p2[0]);
	close(p2[1]);
}

TEST_HARNESS_MAIN
