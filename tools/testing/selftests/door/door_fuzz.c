// SPDX-License-Identifier: GPL-2.0
/*
 * A randomized door test: several client processes, each with a few
 * threads, make door system calls with random sizes (0 to over the
 * limit), random pointers (valid, unmapped, inaccessible, read-only,
 * kernel), random
 * flags and every kind of descriptor (doors of this process, of a server
 * process that gets killed, revoked doors, pipes, closed and negative
 * numbers), while the main process signals, stops, continues and kills
 * clients, revokes doors, and clients fork, exec and exit.
 *
 * Checked: every call that completes has the right reply; every error is
 * one the documentation lists for that call, and the one it names where
 * the input decides it; no task of the test sits in D state; at the end
 * no page is left pinned and no door object is left in the kernel.
 *
 * Usage: door_fuzz [SECONDS [SEED]]   (default 30 s, seed from the clock;
 * the seed is printed, and a run is repeated with the same one).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdarg.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "../kselftest.h"
#include "door_util.h"

#define NR_DOORS	4		/* of the main process */
#define NR_REMOTE	2		/* of the server process */
#define NR_CLIENTS	3
#define CLIENT_THREADS	3
#define SERVER_THREADS	3
#define MAX_REPLY	(24 * 1024)
#define BUF_SIZE	(1024 * 1024 + 4096)

/* Counters shared by every process of the test */
struct shared {
	long calls_ok;
	long calls_failed;
	long other_ok;
	long other_failed;
	long errnos[140];
	long bad_replies;		/* wrong bytes or size: a failure */
	long bad_errors;		/* an errno the docs do not allow */
	long bad_data;			/* a server saw wrong arguments */
	long forks;
	long execs;
	long kills;
	long stops;
	long signals;
	long revokes;
	char first_problem[256];
	char last_problem[256];
};

static struct shared *sh;
static unsigned long long seed0;
static int doors[NR_DOORS + NR_REMOTE];
static int pipe_fd, closed_fd;
static char *buf_ro, *buf_none;

static void problem(long *counter, const char *fmt, ...)
{
	va_list ap;

	__atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
	va_start(ap, fmt);
	if (__atomic_exchange_n(&sh->first_problem[0], 1, __ATOMIC_ACQ_REL))
		vsnprintf(sh->last_problem, sizeof(sh->last_problem), fmt, ap);
	else
		vsnprintf(sh->first_problem + 1, sizeof(sh->first_problem) - 1,
			  fmt, ap);
	va_end(ap);
}

/* xorshift64*, one state per thread */
static __u64 rnd(__u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static __u64 pick(__u64 *s, __u64 n)
{
	return rnd(s) % n;
}

/*
 * A request of @size bytes carries its seed in its first 8 bytes (if it
 * has them) and the pattern of that seed after; the reply's size and
 * bytes follow from the seed and the door's cookie.
 */
static __u64 req_seed_of(const unsigned char *p, size_t size)
{
	__u64 v = size;

	if (size >= 8)
		memcpy(&v, p, 8);
	return v;
}

static void req_fill(unsigned char *p, size_t size, __u64 seed)
{
	pat_fill(p, size, seed);
	if (size >= 8)
		memcpy(p, &seed, 8);
}

/* Requests from a zero-filled page carry seed 0 and are not checked. */
static bool req_ok(const unsigned char *p, size_t size)
{
	__u64 seed = req_seed_of(p, size);
	unsigned char *want;
	bool ok;

	if (size < 8 || !seed)
		return true;
	want = malloc(size);
	if (!want)
		return true;
	req_fill(want, size, seed);
	ok = !memcmp(want, p, size);
	free(want);
	return ok;
}

static size_t reply_size(__u64 seed, __u64 cookie)
{
	__u64 v = mix64(seed ^ cookie);

	switch (v % 4) {
	case 0:
		return 0;
	case 1:
		return v % 129;
	case 2:
		return 129 + v % 4000;
	default:
		return 16000 + v % (MAX_REPLY - 16000);
	}
}

static void server_hook(struct du_server *s, struct door_return_args *ra)
{
	static __thread unsigned char *reply;
	unsigned char *data = ptr_of(ra->data_ptr);
	__u64 seed = req_seed_of(data, ra->data_size);
	size_t rs = reply_size(seed, ra->cookie);

	(void)s;
	if (!reply)
		reply = malloc(MAX_REPLY);
	if (!req_ok(data, ra->data_size)) {
		problem(&sh->bad_data, "server got bad data: %llu bytes",
			(unsigned long long)ra->data_size);
		rs = 0;
	}
	pat_fill(reply, rs, seed ^ ra->cookie);
	ra->result_ptr = u64_of(reply);
	ra->result_size = rs;
}

static void start_servers(struct du_server *srv, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		memset(&srv[i], 0, sizeof(srv[i]));
		srv[i].hook = server_hook;
		/* small receive buffers: large data arrives mapped */
		if (du_server_start(&srv[i], i ? 4096 : 64 * 1024))
			ksft_exit_fail_msg("cannot start a server thread\n");
	}
}

static bool allowed_call_errno(int err)
{
	switch (err) {
	case EBADF: case EFAULT: case EINVAL: case EINTR: case EOVERFLOW:
	case ENOMEM: case E2BIG: case ENOBUFS: case EOPNOTSUPP: case EAGAIN:
		return true;
	}
	return false;
}

static const size_t sizes[] = {
	0, 1, 7, 8, 127, 128, 129, 4095, 4096, 4097, 16384, 16385, 65536,
	200000,
};

static void *kernel_ptr(void)
{
	return (void *)(uintptr_t)(sizeof(long) == 8 ? 0xffff888000000000ULL
						     : 0xc0001000UL);
}

/*
 * The cookie of doors[i], as door_create() was given it: unsigned long,
 * so 32 bits in a 32-bit program.
 */
static __u64 door_cookie(int i)
{
	return i < NR_DOORS ? (unsigned long)(0xd00d0000ULL + i)
			    : (unsigned long)(0xc00c1e0000ULL + i - NR_DOORS);
}

/* In page 0, which nothing can map (vm.mmap_min_addr) */
static void *unmapped_ptr(void)
{
	return (void *)(uintptr_t)64;
}

/* One random door_call(); counts and checks its outcome. */
static void random_call(__u64 *rs, unsigned char *buf, unsigned char *rbuf)
{
	struct door_arg a;
	int fd, expect = 0, ret, err, which;
	size_t size, rsize;
	unsigned int flags = 0;
	bool valid_door = false;
	__u64 seed = rnd(rs) | 1, cookie = 0;
	void *data = buf, *res = rbuf;

	which = pick(rs, 16);
	if (which < NR_DOORS + NR_REMOTE) {
		fd = doors[which];
		cookie = door_cookie(which);
		valid_door = true;
	} else if (which < 12) {
		which = pick(rs, NR_DOORS);
		fd = doors[which];
		cookie = door_cookie(which);
		valid_door = true;
	} else if (which == 12) {
		fd = pipe_fd;
		expect = EBADF;
	} else if (which == 13) {
		fd = closed_fd;
		expect = EBADF;
	} else if (which == 14) {
		fd = -1;
		expect = EBADF;
	} else {
		fd = 1000 + pick(rs, 100);
		expect = EBADF;
	}
	size = pick(rs, 40) ? sizes[pick(rs, ARRAY_SIZE(sizes))]
			    : pick(rs, BUF_SIZE - 4096);
	if (!pick(rs, 50))
		size = DOOR_DATA_LIMIT + 1 + pick(rs, 10);
	rsize = MAX_REPLY;
	if (!pick(rs, 8))
		rsize = pick(rs, 200);
	memset(&a, 0, sizeof(a));
	if (!pick(rs, 30))
		flags = 1 << pick(rs, 32);
	if (!pick(rs, 30))
		a.reserved = 1;
	if (!pick(rs, 30))
		a.desc_num = 1;

	switch (pick(rs, 26)) {
	case 0:
		data = buf_none;
		break;
	case 6:
		data = unmapped_ptr();
		break;
	case 7:
		res = unmapped_ptr();
		break;
	case 1:
		data = kernel_ptr();
		break;
	case 2:
		data = buf_ro;
		break;
	case 3:
		res = buf_none;
		break;
	case 4:
		res = buf_ro;
		break;
	case 5:
		res = kernel_ptr();
		break;
	}
	if (size > BUF_SIZE && (data == buf || data == buf_ro))
		data = buf_none;	/* past the buffer: unreadable anyway */
	if (data == buf)
		req_fill(buf, size, seed);
	if (data == buf_ro)
		seed = req_seed_of((unsigned char *)buf_ro, size);
	/* as the server sees it: short data carries no seed */
	if (size < 8)
		seed = size;

	a.data_ptr = u64_of(data);
	a.data_size = size;
	a.rbuf = u64_of(res);
	a.rsize = rsize;
	ret = door_call(fd, &a, flags);
	err = ret ? errno : 0;

	/* the errors the input decides, in the documented order */
	if (flags)
		expect = EINVAL;
	else if (!expect && a.reserved)
		expect = EINVAL;
	else if (!expect && size > DOOR_DATA_LIMIT)
		expect = E2BIG;
	else if (!expect && a.desc_num)
		expect = EFAULT;	/* one descriptor, at address 0 */

	if (!ret) {
		__atomic_add_fetch(&sh->calls_ok, 1, __ATOMIC_RELAXED);
		if (expect || !valid_door) {
			problem(&sh->bad_errors, "call succeeded, wanted %s",
				strerror(expect));
			return;
		}
		if (size && (data == buf_none || data == kernel_ptr() ||
			     data == unmapped_ptr())) {
			problem(&sh->bad_errors, "unreadable data accepted");
			return;
		}
		if (a.data_size != reply_size(seed, cookie)) {
			problem(&sh->bad_replies,
				"reply of %llu bytes, wanted %zu (cookie %llx)",
				(unsigned long long)a.data_size,
				reply_size(seed, cookie),
				(unsigned long long)cookie);
			return;
		}
		if (pat_check(ptr_of(a.data_ptr), a.data_size, seed ^ cookie) >= 0)
			problem(&sh->bad_replies, "wrong reply bytes");
		/* results that did not fit came in a mapping of their own */
		if (a.rbuf != u64_of(res))
			munmap(ptr_of(a.rbuf), a.rsize);
		return;
	}
	__atomic_add_fetch(&sh->calls_failed, 1, __ATOMIC_RELAXED);
	if (err > 0 && err < 140)
		__atomic_add_fetch(&sh->errnos[err], 1, __ATOMIC_RELAXED);
	if (expect && err != expect)
		problem(&sh->bad_errors, "door_call: %s, wanted %s (size %zu)",
			strerror(err), strerror(expect), size);
	else if (!allowed_call_errno(err))
		problem(&sh->bad_errors, "door_call: undocumented %s",
			strerror(err));
}

/* One random call of another door system call. */
static void random_other(__u64 *rs, unsigned char *buf)
{
	int fd = doors[pick(rs, NR_DOORS + NR_REMOTE)], ret, err, expect;
	struct door_return_args ra;
	struct door_info info;
	struct door_ucred uc;
	__u64 v;

	switch (pick(rs, 6)) {
	case 0:
		ret = door_info(pick(rs, 4) ? fd : pipe_fd,
				pick(rs, 8) ? (void *)&info : (void *)buf_ro);
		expect = -1;
		break;
	case 1:
		ret = door_getparam(fd, pick(rs, 5), &v);
		expect = -1;
		break;
	case 2:
		/* another process's door: never ours to change */
		ret = door_setparam(fd, 1 + pick(rs, 3), pick(rs, 1000));
		expect = EPERM;
		break;
	case 3:
		ret = door_revoke(fd);
		expect = EPERM;
		break;
	case 4:
		ret = door_ucred(&uc);
		expect = EINVAL;
		break;
	default:
		/* no door of its own: no pool */
		memset(&ra, 0, sizeof(ra));
		ret = door_return(&ra, 0);
		expect = EBADF;
		break;
	}
	err = ret ? errno : 0;
	if (!ret) {
		__atomic_add_fetch(&sh->other_ok, 1, __ATOMIC_RELAXED);
		if (expect > 0)
			problem(&sh->bad_errors, "success, wanted %s",
				strerror(expect));
		return;
	}
	__atomic_add_fetch(&sh->other_failed, 1, __ATOMIC_RELAXED);
	if (expect > 0 && err != expect && err != EBADF)
		problem(&sh->bad_errors, "other call: %s, wanted %s",
			strerror(err), strerror(expect));
	else if (expect < 0 && err != EBADF && err != EFAULT && err != EINVAL)
		problem(&sh->bad_errors, "info/getparam: %s", strerror(err));
}

static void nop(int sig)
{
	(void)sig;
}

struct client_thread {
	pthread_t thread;
	__u64 rs;
};

static void *client_main(void *arg)
{
	struct client_thread *ct = arg;
	unsigned char *buf = malloc(BUF_SIZE), *rbuf = malloc(MAX_REPLY);
	pid_t pid;

	if (!buf || !rbuf)
		return NULL;
	for (;;) {
		switch (pick(&ct->rs, 40)) {
		case 0:
			/* a child that calls once and exits, or execs */
			pid = fork();
			if (!pid) {
				random_call(&ct->rs, buf, rbuf);
				if (pick(&ct->rs, 2)) {
					__atomic_add_fetch(&sh->execs, 1,
							   __ATOMIC_RELAXED);
					execl("/proc/self/exe", "door_fuzz",
					      "--exec-child", NULL);
				}
				_exit(0);
			}
			if (pid > 0) {
				__atomic_add_fetch(&sh->forks, 1,
						   __ATOMIC_RELAXED);
				waitpid(pid, NULL, 0);
			}
			break;
		case 1:
		case 2:
		case 3:
			random_other(&ct->rs, buf);
			break;
		default:
			random_call(&ct->rs, buf, rbuf);
		}
	}
	return NULL;
}

static void __noreturn client(int n)
{
	struct client_thread ct[CLIENT_THREADS];
	struct sigaction sa = { .sa_handler = nop };
	int i;

	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR2, &sa, NULL);
	for (i = 0; i < CLIENT_THREADS; i++) {
		ct[i].rs = mix64(seed0 + 1000 * n + i + getpid()) | 1;
		pthread_create(&ct[i].thread, NULL, client_main, &ct[i]);
	}
	for (;;)
		pause();
}

/* The server process: NR_REMOTE doors, sent to the parent, then serving. */
static pid_t spawn_remote(int *fds)
{
	struct du_server srv[SERVER_THREADS];
	int sv[2], i, fd;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		ksft_exit_fail_msg("socketpair: %s\n", strerror(errno));
	pid = fork();
	if (!pid) {
		close(sv[0]);
		for (i = 0; i < NR_REMOTE; i++) {
			fd = door_create(0x100 + i, door_cookie(NR_DOORS + i), 0);
			if (du_send_fd(sv[1], fd))
				_exit(1);
		}
		start_servers(srv, SERVER_THREADS);
		for (;;)
			pause();
	}
	close(sv[1]);
	for (i = 0; i < NR_REMOTE; i++) {
		fds[i] = du_recv_fd(sv[0]);
		if (fds[i] < 0)
			ksft_exit_fail_msg("no door from the server process\n");
	}
	close(sv[0]);
	return pid;
}

/* Tasks of this test in D state now, counted from /proc. */
static int tasks_in_d(pid_t *pids, int n)
{
	int i, d = 0;

	for (i = 0; i < n; i++)
		if (pids[i] > 0 && du_state_of(pids[i], pids[i]) == 'D')
			d++;
	return d;
}

int main(int argc, char **argv)
{
	struct du_server srv[SERVER_THREADS];
	pid_t clients[NR_CLIENTS], remote;
	int seconds = 30, i, p[2], dstuck = 0;
	long long pins;
	__u64 rs;
	time_t end;

	if (argc > 1 && !strcmp(argv[1], "--exec-child"))
		return 0;
	if (argc > 1)
		seconds = atoi(argv[1]);
	seed0 = argc > 2 ? strtoull(argv[2], NULL, 0) : (__u64)time(NULL);
	rs = mix64(seed0) | 1;

	/*
	 * The test's process group has no parent outside it: when a client
	 * exits while another is stopped, the kernel sends the orphaned
	 * group SIGHUP (and SIGCONT).  That is not the test's to die of.
	 */
	signal(SIGHUP, SIG_IGN);
	ksft_print_header();
	ksft_set_plan(1);
	ksft_print_msg("seed %llu, %d seconds (door_fuzz %d %llu repeats it)\n",
		       seed0, seconds, seconds, seed0);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	buf_ro = mmap(NULL, BUF_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	/* inaccessible, and kept mapped so no buffer ever lands there */
	buf_none = mmap(NULL, BUF_SIZE, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || buf_ro == MAP_FAILED || buf_none == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	if (pipe(p))
		ksft_exit_fail_msg("pipe: %s\n", strerror(errno));
	pipe_fd = p[0];

	for (i = 0; i < NR_DOORS; i++)
		doors[i] = door_create(0x10 + i, door_cookie(i), 0);
	remote = spawn_remote(doors + NR_DOORS);
	start_servers(srv, SERVER_THREADS);
	/* a number no descriptor of the test gets */
	closed_fd = dup(p[1]);
	close(closed_fd);
	closed_fd += 500;
	for (i = 0; i < NR_CLIENTS; i++) {
		clients[i] = fork();
		if (!clients[i])
			client(i);
	}

	end = time(NULL) + seconds;
	while (time(NULL) < end) {
		int c = pick(&rs, NR_CLIENTS);

		du_sleep_ms(20 + pick(&rs, 30));
		switch (pick(&rs, 10)) {
		case 0:
			kill(clients[c], SIGUSR1);
			sh->signals++;
			break;
		case 1:
			kill(clients[c], SIGUSR2);
			sh->signals++;
			break;
		case 2:
			kill(clients[c], SIGSTOP);
			du_sleep_ms(pick(&rs, 40));
			kill(clients[c], SIGCONT);
			sh->stops++;
			break;
		case 3:
			kill(clients[c], SIGKILL);
			waitpid(clients[c], NULL, 0);
			sh->kills++;
			clients[c] = fork();
			if (!clients[c])
				client(c + NR_CLIENTS * (int)sh->kills);
			break;
		case 4:
			/* revoke one of ours now and then, keep the rest */
			if (!pick(&rs, 5) && sh->revokes < NR_DOORS - 1) {
				door_revoke(doors[1 + sh->revokes]);
				sh->revokes++;
			}
			break;
		case 5:
			/* the server process dies once, half way */
			if (remote && time(NULL) > end - seconds / 2) {
				kill(remote, SIGKILL);
				waitpid(remote, NULL, 0);
				remote = 0;
			}
			break;
		}
		dstuck = tasks_in_d(clients, NR_CLIENTS) ? dstuck + 1 : 0;
		if (dstuck > 200)
			problem(&sh->bad_errors, "a client stays in D state");
	}

	for (i = 0; i < NR_CLIENTS; i++) {
		kill(clients[i], SIGKILL);
		waitpid(clients[i], NULL, 0);
	}
	if (remote) {
		kill(remote, SIGKILL);
		waitpid(remote, NULL, 0);
	}
	for (i = 0; i < NR_DOORS + NR_REMOTE; i++)
		door_revoke(doors[i]);

	ksft_print_msg("%ld calls completed, %ld failed; %ld other calls (%ld failed)\n",
		       sh->calls_ok, sh->calls_failed, sh->other_ok,
		       sh->other_failed);
	ksft_print_msg("%ld forks, %ld execs, %ld signals, %ld stops, %ld kills, %ld revokes\n",
		       sh->forks, sh->execs, sh->signals, sh->stops, sh->kills,
		       sh->revokes);
	for (i = 1; i < 140; i++)
		if (sh->errnos[i])
			ksft_print_msg("  %-10s %ld\n", strerror(i), sh->errnos[i]);
	pins = du_pins_held();
	ksft_print_msg("pins held at the end: %lld\n", pins);
	if (sh->first_problem[0])
		ksft_print_msg("first problem: %s; last: %s\n",
			       sh->first_problem + 1, sh->last_problem);

	if (sh->bad_replies || sh->bad_errors || sh->bad_data || pins ||
	    sh->calls_ok < 100) {
		ksft_print_msg("%ld bad replies, %ld bad errors, %ld bad data\n",
			       sh->bad_replies, sh->bad_errors, sh->bad_data);
		ksft_test_result_fail("door_fuzz seed %llu\n", seed0);
		ksft_exit_fail();
	}
	ksft_test_result_pass("door_fuzz seed %llu\n", seed0);
	ksft_exit_pass();
}
