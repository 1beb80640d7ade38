// SPDX-License-Identifier: GPL-2.0
/*
 * Door calls and the things that happen to any sleeping system call: a
 * stop (SIGSTOP and SIGCONT, as Ctrl-Z and fg send), a ptrace interrupt,
 * the cgroup freezer, handlers with and without SA_RESTART (installed
 * with sigaction() or glibc's signal()), setresuid() in another thread,
 * exec, exit and longjmp() out of a handler.  The caller leaves the call
 * promptly, whether it is queued or served, and comes back to it: the
 * call completes exactly once.  A handler without SA_RESTART ends the call
 * with EINTR: never served if it was queued; if it was served, the
 * server's next door_return() says that its results went nowhere
 * (DOOR_RETURN_DISCARDED).  An idle door_return() restarts too.
 *
 * Callers run in child processes, so that stopping them stops no server.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <setjmp.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <time.h>

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

/*
 * How long a caller may take to stop, run a handler or let another
 * thread's setresuid() through.  One that cannot waits as long as its
 * server's call, which waits for the gate: forever.  So any bound tells
 * the two apart; this one leaves room for an exec under a slow emulator
 * (3 s did not).
 */
#define PROMPT_MS	15000

static int handled;			/* signals the handler saw */
static int handler_fd = -1;		/* where the handler says it ran */

static void count_handler(int sig)
{
	char c = 'h';

	(void)sig;
	__atomic_add_fetch(&handled, 1, __ATOMIC_RELAXED);
	if (handler_fd >= 0 && write(handler_fd, &c, 1) != 1)
		_exit(3);
}

/* Whether a child's handler ran (said so through @rfd) within @ms */
static bool handler_ran(int rfd, int ms)
{
	char c;

	for (; ms > 0; ms -= 2) {
		if (read(rfd, &c, 1) == 1)
			return true;
		du_sleep_ms(2);
	}
	return false;
}

enum handler_kind {
	INTERRUPTS,		/* sigaction() without SA_RESTART */
	RESTARTS,		/* sigaction() with SA_RESTART */
	GLIBC_SIGNAL,		/* glibc's signal(): SA_RESTART */
};

/*
 * A child process that calls @fd with the one byte @tag, with a SIGUSR2
 * handler of @kind, and reports through @wfd.
 */
static pid_t spawn_caller(int fd, int wfd, unsigned char tag,
			  enum handler_kind kind)
{
	pid_t pid = fork();

	if (!pid) {
		struct sigaction sa = { .sa_handler = count_handler };
		unsigned char rbuf[16] = { 0 };
		struct door_arg a;
		int ret;

		sa.sa_flags = kind == RESTARTS ? SA_RESTART : 0;
		if (kind == GLIBC_SIGNAL)
			signal(SIGUSR2, count_handler);
		else
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

/* Whether traced @pid reports a stop within @ms */
static bool stops_traced(pid_t pid, int ms)
{
	int status;

	for (; ms > 0; ms -= 2) {
		if (waitpid(pid, &status, __WALL | WNOHANG) == pid)
			return WIFSTOPPED(status);
		du_sleep_ms(2);
	}
	return false;
}

FIXTURE(sig) {
	struct du_server s;
	int fd;
	int p[2];
	int h[2];
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
	ASSERT_EQ(0, pipe(self->h));
	ASSERT_EQ(0, fcntl(self->h[0], F_SETFL, O_NONBLOCK));
	handler_fd = self->h[1];
	ASSERT_EQ(0, du_server_start(&self->s, 4096));
}

FIXTURE_TEARDOWN(sig)
{
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	door_revoke(self->fd);
	close(self->fd);
	close(self->p[0]);
	close(self->p[1]);
	close(self->h[0]);
	close(self->h[1]);
	handler_fd = -1;
}

/*
 * A caller stopped while its call is being served stops at once (the
 * call goes on), and once continued gets its results.
 */
TEST_F_TIMEOUT(sig, stop_while_served, 60)
{
	struct du_report r;
	pid_t pid;

	pid = spawn_caller(self->fd, self->p[1], 'A', INTERRUPTS);
	ASSERT_LT(0, pid);
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	ASSERT_EQ(0, kill(pid, SIGSTOP));
	EXPECT_TRUE(reaches_state(pid, 'T', PROMPT_MS))
		TH_LOG("a caller whose call is served does not stop");
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
 * A caller stopped while its call waits for a server thread: it stops at
 * once, its call keeps its place, and is served once.
 */
TEST_F_TIMEOUT(sig, stop_while_queued, 60)
{
	struct du_report r;
	pid_t busy, pid;
	int p2[2];

	ASSERT_EQ(0, pipe(p2));
	busy = spawn_caller(self->fd, p2[1], 'X', INTERRUPTS);
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	pid = spawn_caller(self->fd, self->p[1], 'Q', INTERRUPTS);
	ASSERT_LT(0, pid);
	ASSERT_TRUE(du_wait_syscall(pid, pid, __NR_door_call));
	ASSERT_EQ(0, kill(pid, SIGSTOP));
	EXPECT_TRUE(reaches_state(pid, 'T', PROMPT_MS))
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

/*
 * gdb or strace -p: PTRACE_SEIZE and PTRACE_INTERRUPT a caller mid-call:
 * it stops while its call is served, and after the detach gets its
 * results.
 */
TEST_F_TIMEOUT(sig, ptrace_interrupt, 60)
{
	struct du_report r;
	int status;
	bool stopped;
	pid_t pid;

	pid = spawn_caller(self->fd, self->p[1], 'P', INTERRUPTS);
	ASSERT_LT(0, pid);
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	ASSERT_EQ(0, ptrace(PTRACE_SEIZE, pid, 0, 0));
	ASSERT_EQ(0, ptrace(PTRACE_INTERRUPT, pid, 0, 0));
	stopped = stops_traced(pid, PROMPT_MS);
	EXPECT_TRUE(stopped) TH_LOG("no ptrace stop while the call is served");
	if (!stopped) {
		__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
		ASSERT_EQ(pid, waitpid(pid, &status, __WALL));
	}
	ASSERT_EQ(0, ptrace(PTRACE_DETACH, pid, 0, 0));
	du_sleep_ms(50);
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, du_get_report(self->p[0], &r, DU_WAIT_MS));
	EXPECT_EQ(0, r.ret) TH_LOG("the call failed: %s", strerror(r.err));
	EXPECT_EQ(1, seen['P']);
	EXPECT_EQ(0, du_reap(pid, DU_WAIT_MS));
}

/*
 * A handler with SA_RESTART runs at once, while the call is served or
 * queued; then the call completes, served once.
 */
TEST_F_TIMEOUT(sig, restarting_handler, 60)
{
	struct du_report r;
	pid_t busy, pid;
	int p2[2];

	pid = spawn_caller(self->fd, self->p[1], 'S', RESTARTS);
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	ASSERT_EQ(0, kill(pid, SIGUSR2));
	EXPECT_TRUE(handler_ran(self->h[0], PROMPT_MS))
		TH_LOG("the handler waits for the served call");
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, du_get_report(self->p[0], &r, DU_WAIT_MS));
	EXPECT_EQ(0, r.ret) TH_LOG("served call: %s", strerror(r.err));
	EXPECT_EQ(1, r.handled);
	EXPECT_EQ(1, seen['S']);
	EXPECT_EQ(0, du_reap(pid, DU_WAIT_MS));

	/* queued behind a served call */
	reset();
	ASSERT_EQ(0, pipe(p2));
	busy = spawn_caller(self->fd, p2[1], 'X', INTERRUPTS);
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	pid = spawn_caller(self->fd, self->p[1], 'T', GLIBC_SIGNAL);
	ASSERT_TRUE(du_wait_syscall(pid, pid, __NR_door_call));
	ASSERT_EQ(0, kill(pid, SIGUSR2));
	EXPECT_TRUE(handler_ran(self->h[0], PROMPT_MS))
		TH_LOG("the handler waits for the queued call");
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
 * server's results go nowhere, and its next door_return() says so.  A
 * queued call it ends is never served.
 */
TEST_F_TIMEOUT(sig, handler_cancels, 60)
{
	struct du_report r;
	pid_t busy, pid;
	int p2[2];

	pid = spawn_caller(self->fd, self->p[1], 'C', INTERRUPTS);
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
	pid = spawn_caller(self->fd, self->p[1], 'D', INTERRUPTS);
	ASSERT_EQ(0, du_get_report(self->p[0], &r, DU_WAIT_MS));
	EXPECT_EQ(0, r.ret);
	EXPECT_TRUE(self->s.flags_seen & DOOR_RETURN_DISCARDED)
		TH_LOG("the server was not told its results were dropped");
	EXPECT_EQ(0, du_reap(pid, DU_WAIT_MS));

	/* queued behind a served call: withdrawn */
	reset();
	ASSERT_EQ(0, pipe(p2));
	busy = spawn_caller(self->fd, p2[1], 'X', INTERRUPTS);
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	pid = spawn_caller(self->fd, self->p[1], 'W', INTERRUPTS);
	ASSERT_TRUE(du_wait_syscall(pid, pid, __NR_door_call));
	ASSERT_EQ(0, kill(pid, SIGUSR2));
	ASSERT_EQ(0, du_get_report(self->p[0], &r, PROMPT_MS))
		TH_LOG("the queued call did not end");
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(EINTR, r.err);
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, du_get_report(p2[0], &r, DU_WAIT_MS));
	EXPECT_EQ(0, r.ret);
	du_sleep_ms(100);
	EXPECT_EQ(0, seen['W']) TH_LOG("a withdrawn call was served");
	EXPECT_EQ(0, du_reap(pid, DU_WAIT_MS));
	EXPECT_EQ(0, du_reap(busy, DU_WAIT_MS));
	close(p2[0]);
	close(p2[1]);
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
 * does not restart, which only the calling thread can take: its served
 * call ends with EINTR.  (Were the other thread to take it, the call
 * would rightly go on: a process's signal interrupts one thread.)
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
		sigset_t usr2;
		pthread_t t;
		char tag = 'M';
		int ret;

		sigaction(SIGUSR2, &sa, NULL);
		/* the other thread is born with SIGUSR2 blocked */
		sigemptyset(&usr2);
		sigaddset(&usr2, SIGUSR2);
		pthread_sigmask(SIG_BLOCK, &usr2, NULL);
		pthread_create(&t, NULL, pause_main, NULL);
		pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
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
	EXPECT_TRUE(du_count_reaches(&handled, 1, DU_WAIT_MS));
	EXPECT_EQ(0, self->s.eintrs);
	EXPECT_TRUE(du_wait_syscall(getpid(), self->s.tid, __NR_door_return));
	pid = spawn_caller(self->fd, self->p[1], 'I', INTERRUPTS);
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
 * The cgroup freezer freezes a caller whose call is served (the call goes
 * on); the call completes once thawed.
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
	pid = spawn_caller(self->fd, self->p[1], 'F', INTERRUPTS);
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	snprintf(pidtext, sizeof(pidtext), "%d", pid);
	ASSERT_EQ(0, du_write(CGF "/cgroup.procs", pidtext));
	ASSERT_EQ(0, du_write(CGF "/cgroup.freeze", "1"));
	EXPECT_TRUE(cg_frozen(1, PROMPT_MS))
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

#define CGT	CG "/door-throttle"
#define BIG	(16 << 20)		/* the largest argument */

/* Whether the kernel preempts a task that runs in it (PREEMPT or RT). */
static bool kernel_preemptible(void)
{
	struct utsname u;
	char buf[128];

	if (du_read("/sys/kernel/debug/sched/preempt", buf, sizeof(buf)) > 0)
		return strstr(buf, "(full)") || strstr(buf, "(lazy)");
	if (uname(&u))
		return false;
	return strstr(u.version, " PREEMPT ") ||
	       strstr(u.version, " PREEMPT_RT ");
}

/* A number of CGT's cpu.stat ("nr_throttled"...), or -1. */
static long long cg_cpu_stat(const char *key)
{
	char buf[1024], *p;
	size_t len = strlen(key);

	if (du_read(CGT "/cpu.stat", buf, sizeof(buf)) <= 0)
		return -1;
	for (p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, len) && p[len] == ' ')
			return atoll(p + len + 1);
	return -1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * A server process for one door whose only thread (its main one) takes
 * calls into @rbuf (BIG bytes, shared with the test, which watches the
 * data arrive); sends the door.
 */
static pid_t spawn_server(int sock, unsigned char *rbuf)
{
	struct door_return_args ra;
	pid_t pid = fork();
	int fd;

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* faulted in here too: the copy is all batches, no faults */
	memset(rbuf, 0, BIG);
	fd = door_create(1, 2, 0);
	if (fd < 0 || du_send_fd(sock, fd))
		_exit(1);
	memset(&ra, 0, sizeof(ra));
	for (;;) {
		ra.rbuf = u64_of(rbuf);
		ra.rsize = BIG;
		ra.result_ptr = 0;
		ra.result_size = 0;
		if (door_return(&ra, 0) && errno == EBADF)
			_exit(0);
	}
}

/* Whether @rbuf holds the caller's data ('k') at @offset, within @ms */
static bool copied_up_to(const unsigned char *rbuf, size_t offset, int ms)
{
	for (; ms > 0; ms--) {
		if (__atomic_load_n(&rbuf[offset], __ATOMIC_ACQUIRE) == 'k')
			return true;
		du_sleep_ms(1);
	}
	return false;
}

/*
 * A caller killed while a server copies its 16 MiB of arguments, the
 * server held off the CPU by cpu.max (1 ms a second) in the middle of a
 * batch of copies: the caller dies at once, handing its pinned pages to
 * the server thread, instead of waiting up to a second for the batch to
 * end.  Only a preemptible kernel stops a server inside a batch.
 */
TEST_F_TIMEOUT(sig, killed_caller_of_throttled_server, 120)
{
	long long throttled, t0, waited = -1, pins;
	pid_t server, caller;
	unsigned char *rbuf;
	int sp[2], fd, status;
	char text[32];

	if (!kernel_preemptible())
		SKIP(return, "the kernel does not preempt a server's copy");
	if (cgroup2() || du_write(CG "/cgroup.subtree_control", "+cpu"))
		SKIP(return, "no cgroup2 cpu controller: %s", strerror(errno));
	rmdir(CGT);
	ASSERT_EQ(0, mkdir(CGT, 0755));
	if (access(CGT "/cpu.max", F_OK)) {
		rmdir(CGT);
		SKIP(return, "no cpu.max (CONFIG_CFS_BANDWIDTH)");
	}
	rbuf = mmap(NULL, BIG, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, rbuf);
	memset(rbuf, 0, BIG);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sp));
	server = spawn_server(sp[1], rbuf);
	ASSERT_LE(0, server);
	fd = du_recv_fd(sp[0]);
	ASSERT_LE(0, fd);
	ASSERT_TRUE(du_wait_syscall(server, server, __NR_door_return));
	snprintf(text, sizeof(text), "%d", server);
	ASSERT_EQ(0, du_write(CGT "/cgroup.procs", text));
	/* slow enough to be caught a quarter in */
	ASSERT_EQ(0, du_write(CGT "/cpu.max", "10000 100000"));

	caller = fork();
	ASSERT_LE(0, caller);
	if (!caller) {
		unsigned char out[16];
		unsigned char *data = malloc(BIG);
		struct door_arg a;

		if (!data)
			_exit(1);
		memset(data, 'k', BIG);
		du_call(fd, data, BIG, out, sizeof(out), &a);
		_exit(2);
	}
	ASSERT_TRUE(copied_up_to(rbuf, BIG / 4, 60000))
		TH_LOG("the copy never got a quarter in");
	pins = du_vmstat("nr_foll_pin_acquired") -
	       du_vmstat("nr_foll_pin_released");
	/* now 1 ms a second: caught in a batch, it waits up to a second */
	ASSERT_EQ(0, du_write(CGT "/cpu.max", "1000 1000000"));
	throttled = cg_cpu_stat("nr_throttled");
	for (t0 = now_ms(); now_ms() - t0 < 5000; du_sleep_ms(1))
		if (cg_cpu_stat("nr_throttled") > throttled)
			break;
	ASSERT_LT(throttled, cg_cpu_stat("nr_throttled"));
	ASSERT_FALSE(copied_up_to(rbuf, BIG - 1, 1))
		TH_LOG("the copy ended before the caller was killed");
	t0 = now_ms();
	ASSERT_EQ(0, kill(caller, SIGKILL));
	while (now_ms() - t0 < 5000) {
		if (waitpid(caller, &status, WNOHANG) == caller) {
			waited = now_ms() - t0;
			break;
		}
		du_sleep_ms(1);
	}
	TH_LOG("killed caller reaped after %lld ms (%lld pages pinned)",
	       waited, pins);
	EXPECT_LT(0, pins) TH_LOG("the arguments were not pinned");
	EXPECT_TRUE(waited >= 0 && waited < 500)
		TH_LOG("a killed caller waits for a throttled server's copy");
	if (waited < 0)
		du_reap(caller, 0);
	else
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	/* the server ends its batch and lets the caller's pages go */
	ASSERT_EQ(0, du_write(CGT "/cpu.max", "max"));
	EXPECT_EQ(0LL, du_pins_held());
	kill(server, SIGKILL);
	waitpid(server, &status, 0);
	munmap(rbuf, BIG);
	close(fd);
	close(sp[0]);
	close(sp[1]);
	rmdir(CGT);
	du_write(CG "/cgroup.subtree_control", "-cpu");
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
 * in its procedure, the caller thread leaves its call, and the whole
 * process stops.
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
	EXPECT_TRUE(reaches_state(pid, 'T', PROMPT_MS))
		TH_LOG("a process calling its own door does not stop");
	ASSERT_EQ(0, kill(pid, SIGKILL));
	waitpid(pid, &status, 0);
	close(p2[0]);
	close(p2[1]);
}

/* Whether the server is told, at its next call, that results went nowhere */
static bool server_told(struct du_server *s, int fd, const int p[2],
			int served)
{
	struct du_report r;
	pid_t pid;

	if (!du_count_reaches(&s->calls, served, DU_WAIT_MS))
		return false;
	pid = spawn_caller(fd, p[1], 'D', INTERRUPTS);
	if (du_get_report(p[0], &r, DU_WAIT_MS) || r.ret)
		return false;
	du_reap(pid, DU_WAIT_MS);
	return s->flags_seen & DOOR_RETURN_DISCARDED;
}

/*
 * Two signals for one stopped caller, delivered on one way out: SIGUSR1
 * (the lower number) first, with SA_RESTART if @first_restarts, then
 * SIGUSR2, with the other kind.  The first decides whether the call goes
 * on; the second interrupts the first handler, not the call.  Returns
 * the report; the call is served once either way.
 */
static void two_handlers(struct __test_metadata *_metadata, int fd,
			 const int p[2], const int h[2], bool first_restarts,
			 struct du_report *r)
{
	char c;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct sigaction sa = { .sa_handler = count_handler };
		unsigned char rbuf[16] = { 0 };
		struct door_arg a;
		char tag = 'Y';
		int ret;

		sa.sa_flags = first_restarts ? SA_RESTART : 0;
		sigaction(SIGUSR1, &sa, NULL);
		sa.sa_flags = first_restarts ? 0 : SA_RESTART;
		sigaction(SIGUSR2, &sa, NULL);
		ret = du_call(fd, &tag, 1, rbuf, sizeof(rbuf), &a);
		du_send_report(p[1], ret, ret ? errno : 0, &a, rbuf,
			       __atomic_load_n(&handled, __ATOMIC_RELAXED));
		_exit(0);
	}
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	ASSERT_EQ(0, kill(pid, SIGSTOP));
	ASSERT_TRUE(reaches_state(pid, 'T', PROMPT_MS))
		TH_LOG("a caller whose call is served does not stop");
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(0, kill(pid, SIGUSR2));
	ASSERT_EQ(0, kill(pid, SIGCONT));
	EXPECT_TRUE(handler_ran(h[0], PROMPT_MS));
	EXPECT_TRUE(handler_ran(h[0], PROMPT_MS));
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, du_get_report(p[0], r, DU_WAIT_MS));
	EXPECT_EQ(2, r->handled);
	EXPECT_EQ(0, du_reap(pid, DU_WAIT_MS));
	du_sleep_ms(100);
	EXPECT_EQ(1, seen['Y']) TH_LOG("served %d times", seen['Y']);
	EXPECT_EQ(-1, read(h[0], &c, 1));
}

/* The restarting handler first: the call completes */
TEST_F_TIMEOUT(sig, two_handlers_restarting_first, 60)
{
	struct du_report r;

	two_handlers(_metadata, self->fd, self->p, self->h, true, &r);
	EXPECT_EQ(0, r.ret) TH_LOG("the call failed: %s", strerror(r.err));
	EXPECT_EQ('Z', r.first);
}

/* The interrupting handler first: EINTR, the results discarded */
TEST_F_TIMEOUT(sig, two_handlers_interrupting_first, 60)
{
	struct du_report r;

	two_handlers(_metadata, self->fd, self->p, self->h, false, &r);
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(EINTR, r.err);
	EXPECT_TRUE(server_told(&self->s, self->fd, self->p, 1));
}

static int nested_fd = -1;
static int nested_ret = 1;

static void nested_call_handler(int sig)
{
	unsigned char rbuf[16];
	struct door_arg a;
	char tag = 'n';

	(void)sig;
	nested_ret = du_call(nested_fd, &tag, 1, rbuf, sizeof(rbuf), &a) ? -1
		     : rbuf[0] == 'o' ? 0 : 2;
}

/*
 * An SA_RESTART handler that makes a door call of its own while the
 * interrupted call is served: the handler's call is served; the
 * interrupted one ends (its server told) and, made again when the
 * handler returns, fails with EINTR instead of being served twice.
 */
TEST_F_TIMEOUT(sig, door_call_from_handler, 60)
{
	struct du_report r;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		static struct du_server s2;
		struct sigaction sa = { .sa_handler = nested_call_handler,
					.sa_flags = SA_RESTART };
		unsigned char rbuf[16] = { 0 };
		struct door_arg a;
		char tag = 'N';
		int ret;

		nested_fd = door_create(3, 4, 0);
		if (nested_fd < 0 || du_server_start(&s2, 64))
			_exit(1);
		sigaction(SIGUSR2, &sa, NULL);
		ret = du_call(self->fd, &tag, 1, rbuf, sizeof(rbuf), &a);
		du_send_report(self->p[1], ret, ret ? errno : 0, &a, rbuf,
			       nested_ret);
		_exit(0);
	}
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	ASSERT_EQ(0, kill(pid, SIGUSR2));
	ASSERT_EQ(0, du_get_report(self->p[0], &r, PROMPT_MS))
		TH_LOG("the call did not end while its server held it");
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(EINTR, r.err);
	EXPECT_EQ(0, r.handled) TH_LOG("the handler's own call failed");
	EXPECT_EQ(0, du_reap(pid, DU_WAIT_MS));
	EXPECT_TRUE(server_told(&self->s, self->fd, self->p, 1));
	EXPECT_EQ(1, seen['N']) TH_LOG("served %d times", seen['N']);
}

/* What a child reports after its thread's door call */
static void *setxid_caller(void *arg)
{
	unsigned char rbuf[16] = { 0 };
	struct door_arg a;
	char tag = 'U';

	if (du_call(*(int *)arg, &tag, 1, rbuf, sizeof(rbuf), &a))
		return (void *)(long)errno;
	return (void *)(long)(rbuf[0] == 'V' ? 0 : -1);
}

/*
 * setresuid() in one thread while another waits for a door call: glibc
 * makes every thread change its credentials in a handler (SIGSETXID,
 * SA_RESTART), which the caller runs at once; its call goes on.
 */
TEST_F_TIMEOUT(sig, setresuid_other_thread, 60)
{
	struct du_report r;
	int go[2];
	pid_t pid;

	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		unsigned char none[1] = { 0 };
		struct door_arg a = { 0 };
		pthread_t t;
		void *res;
		char c;
		int ret;

		if (pthread_create(&t, NULL, setxid_caller, &self->fd) ||
		    read(go[0], &c, 1) != 1)
			_exit(1);
		ret = setresuid(65534, 65534, 65534);
		du_send_report(self->p[1], ret, ret ? errno : 0, &a, none, 0);
		pthread_join(t, &res);
		du_send_report(self->p[1], res ? -1 : 0, (int)(long)res, &a,
			       none, 0);
		_exit(0);
	}
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	ASSERT_EQ(1, write(go[1], "g", 1));
	EXPECT_EQ(0, du_get_report(self->p[0], &r, PROMPT_MS))
		TH_LOG("setresuid() waits for another thread's door call");
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	if (r.ret || r.err)
		ASSERT_EQ(0, du_get_report(self->p[0], &r, DU_WAIT_MS));
	EXPECT_EQ(0, r.ret) TH_LOG("setresuid: %s", strerror(r.err));
	ASSERT_EQ(0, du_get_report(self->p[0], &r, DU_WAIT_MS));
	EXPECT_EQ(0, r.ret) TH_LOG("the call failed: %d", r.err);
	EXPECT_EQ(1, seen['U']);
	EXPECT_EQ(0, du_reap(pid, DU_WAIT_MS));
	close(go[0]);
	close(go[1]);
}

/* A caller that dies while away: its call is abandoned, the server told */
TEST_F_TIMEOUT(sig, exit_while_away, 60)
{
	int status;
	pid_t pid;

	pid = spawn_caller(self->fd, self->p[1], 'E', INTERRUPTS);
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	ASSERT_EQ(0, kill(pid, SIGSTOP));
	EXPECT_TRUE(reaches_state(pid, 'T', PROMPT_MS));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	EXPECT_TRUE(server_told(&self->s, self->fd, self->p, 1));
	EXPECT_EQ(1, seen['E']);
}

/* A handler that runs another program: exit status 5 if it cannot */
static void exec_handler(int sig)
{
	(void)sig;
	execl("/proc/self/exe", "door_signal", "-l", (char *)NULL);
	_exit(5);
}

/*
 * A caller whose handler execs while its call is served: the new program
 * runs at once, the call is abandoned and the server told.
 */
TEST_F_TIMEOUT(sig, exec_while_away, 60)
{
	int junk[2], status;
	pid_t pid;

	ASSERT_EQ(0, pipe(junk));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct sigaction sa = { .sa_handler = exec_handler,
					.sa_flags = SA_RESTART };
		unsigned char rbuf[16] = { 0 };
		struct door_arg a;
		char tag = 'G';

		dup2(junk[1], 1);
		dup2(junk[1], 2);
		sigaction(SIGUSR2, &sa, NULL);
		du_call(self->fd, &tag, 1, rbuf, sizeof(rbuf), &a);
		_exit(6);
	}
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	ASSERT_EQ(0, kill(pid, SIGUSR2));
	status = du_reap(pid, PROMPT_MS);
	EXPECT_TRUE(status != -1 && WIFEXITED(status))
		TH_LOG("the handler's exec waits for the call");
	if (status != -1 && WIFEXITED(status))
		EXPECT_TRUE(WEXITSTATUS(status) != 5 && WEXITSTATUS(status) != 6);
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	EXPECT_TRUE(server_told(&self->s, self->fd, self->p, 1));
	close(junk[0]);
	close(junk[1]);
}

static sigjmp_buf jump_env;
static char jump_tag;
static char alt_stack[65536];

static void jump_handler(int sig)
{
	(void)sig;
	siglongjmp(jump_env, 1);
}

/*
 * A handler (SA_RESTART, on the signal stack) that leaves by siglongjmp()
 * to just before the same door_call(), which is then made with new
 * arguments, after another handler ran on the signal stack (its frame
 * where the first one's was) and returned: a new call, served with them;
 * the old one abandoned, its server told.
 */
TEST_F_TIMEOUT(sig, longjmp_from_handler, 60)
{
	struct du_report r;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct sigaction sa = { .sa_handler = jump_handler,
					.sa_flags = SA_RESTART | SA_ONSTACK };
		stack_t ss = { .ss_sp = alt_stack, .ss_size = sizeof(alt_stack) };
		unsigned char rbuf[16] = { 0 };
		struct door_arg a;
		int ret;

		sigaltstack(&ss, NULL);
		sigaction(SIGUSR2, &sa, NULL);
		sa.sa_handler = count_handler;
		sigaction(SIGUSR1, &sa, NULL);
		jump_tag = 'J';
		if (sigsetjmp(jump_env, 1)) {
			jump_tag = 'K';
			raise(SIGUSR1);
		}
		ret = du_call(self->fd, &jump_tag, 1, rbuf, sizeof(rbuf), &a);
		du_send_report(self->p[1], ret, ret ? errno : 0, &a, rbuf, 0);
		_exit(0);
	}
	ASSERT_TRUE(du_count_reaches(&entered, 1, DU_WAIT_MS));
	ASSERT_EQ(0, kill(pid, SIGUSR2));
	/* the SIGUSR1 handler ran after the jump; then the new call waits */
	EXPECT_TRUE(handler_ran(self->h[0], PROMPT_MS))
		TH_LOG("the handler did not leave the served call");
	EXPECT_TRUE(du_wait_syscall(pid, pid, __NR_door_call));
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, du_get_report(self->p[0], &r, DU_WAIT_MS));
	EXPECT_EQ(0, r.ret) TH_LOG("the call failed: %s", strerror(r.err));
	EXPECT_EQ('L', r.first) TH_LOG("got '%c': results of another call",
				       r.first);
	EXPECT_EQ(1, seen['J']);
	EXPECT_EQ(1, seen['K']);
	EXPECT_EQ(0, du_reap(pid, DU_WAIT_MS));
	EXPECT_TRUE(server_told(&self->s, self->fd, self->p, 2));
}

TEST_HARNESS_MAIN
