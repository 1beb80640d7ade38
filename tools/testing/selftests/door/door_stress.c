// SPDX-License-Identifier: GPL-2.0
/*
 * Door stress: many callers against a pool of server threads for a few
 * seconds (3 by default; argv[1] sets the number of seconds).
 *
 * Callers: NR_THREADS threads of the server's own process and NR_PROCS
 * forked processes.  Servers: NR_SERVERS threads with receive buffers of
 * different sizes (64 KiB, 4 KiB, 129 bytes), so that the same data
 * arrives sometimes in the buffer and sometimes in a new mapping.  Two
 * doors with different procedures and cookies share the pool.
 *
 * Every request carries data derived from the caller, a per-call sequence
 * number and the door it is meant for; requests of 32 bytes or more also
 * say how much result data they want (0..64 KiB).  Sizes are drawn from
 * every boundary of the data paths (128/129, page, 16 KiB) and at random.
 * The server checks each request (the data, that it came through the
 * door it names, and now and then door_ucred()'s pid) and answers with
 * data that is a function of the request; the caller checks every byte.
 * A result delivered to the wrong caller, the wrong door, truncated,
 * stale or corrupted therefore fails the run.
 *
 * Prints calls per second; fails on any wrong result or unexpected error,
 * or if a call hangs (watchdog).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/door.h>

#include "../kselftest.h"
#include "door_sys.h"

#ifndef NR_SERVERS
#define NR_SERVERS	3	/* server threads */
#endif
#ifndef NR_THREADS
#define NR_THREADS	4	/* calling threads in the server's process */
#endif
#ifndef NR_PROCS
#define NR_PROCS	2	/* calling processes */
#endif
#define NR_DOORS	2
#define MAX_DATA	65536
#define HDR_SIZE	32
#define MAGIC		0x524f4f44U	/* "DOOR" */
#define REPLY_SALT	0x5245504c59000000ULL
#define DEFAULT_SECS	3
#define WATCHDOG_EXTRA	120		/* seconds past the end of the run */
#define STOP_MS		20000

static const unsigned long procs[NR_DOORS] = { 0x1000, 0x2000 };
static const unsigned long cookies[NR_DOORS] = { 0xc001, 0xc002 };

/* The boundaries of the data paths, each side */
static const size_t special[] = {
	0, 1, 15, 31, 32, 33, 127, 128, 129, 130, 4095, 4096, 4097,
	16383, 16384, 16385, 65535, 65536,
};

/* The head of every request of HDR_SIZE bytes or more */
struct req_hdr {
	__u32 magic;
	__u32 reply_size;
	__u64 seed;
	__u64 seq;
	__u32 client;
	__u32 door;
};

/* What a caller (thread or process) did */
struct client_result {
	__u64 calls;
	__u64 bytes;
	__u64 errors;
	char msg[200];
};

struct server {
	pthread_t thread;
	bool running;
	size_t rsize;
	unsigned char *rbuf;
	unsigned char *reply;
	__u64 calls;
	__u64 mapped;
	__u64 last;
};

struct client {
	pthread_t thread;
	unsigned int id;
	struct client_result res;
};

static int doors[NR_DOORS];
static pid_t kid_pids[NR_PROCS];
static struct server servers[NR_SERVERS];
static struct client clients[NR_THREADS];
static struct timespec t_end;
static int stop;
static pthread_mutex_t err_lock = PTHREAD_MUTEX_INITIALIZER;
static __u64 server_errors;
static char server_msg[200];
static long page_size;

/* The results of a request too short for a header: a function of it. */
static void small_reply(const unsigned char *req, size_t n,
			unsigned long cookie, unsigned char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = ~req[n - 1 - i] ^ (unsigned char)cookie ^ i;
}

static bool time_left(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec < t_end.tv_sec ||
	       (now.tv_sec == t_end.tv_sec && now.tv_nsec < t_end.tv_nsec);
}

static void __printf(1, 2)
server_fail(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&err_lock);
	if (!server_errors++) {
		va_start(ap, fmt);
		vsnprintf(server_msg, sizeof(server_msg), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&err_lock);
}

static void __printf(2, 3)
client_fail(struct client_result *res, const char *fmt, ...)
{
	va_list ap;

	if (!res->errors++) {
		va_start(ap, fmt);
		vsnprintf(res->msg, sizeof(res->msg), fmt, ap);
		va_end(ap);
	}
}

static int door_index(unsigned long cookie)
{
	int i;

	for (i = 0; i < NR_DOORS; i++)
		if (cookies[i] == cookie)
			return i;
	return -1;
}

/* The pid a request's client id belongs to. */
static pid_t client_pid(__u32 client)
{
	if (client < NR_THREADS)
		return getpid();
	if (client - 100 < NR_PROCS)
		return kid_pids[client - 100];
	return -1;
}

/* Check one call; put its results in sv->reply, return their size. */
static size_t serve(struct server *sv, const struct door_return_args *ra)
{
	const unsigned char *data = ptr_of(ra->data_ptr);
	int d = door_index(ra->cookie);
	struct door_ucred uc;
	struct req_hdr h;
	long bad;

	if (d < 0 || ra->proc != procs[d]) {
		server_fail("call with proc %#llx cookie %#llx",
			    (unsigned long long)ra->proc,
			    (unsigned long long)ra->cookie);
		return 0;
	}
	if (ra->data_size < HDR_SIZE) {
		small_reply(data, ra->data_size, ra->cookie, sv->reply);
		return ra->data_size;
	}
	memcpy(&h, data, sizeof(h));
	if (h.magic != MAGIC || h.reply_size > MAX_DATA || h.door != (__u32)d) {
		server_fail("bad header: magic %#x reply %u door %u, via door %d",
			    h.magic, h.reply_size, h.door, d);
		return 0;
	}
	bad = pat_check(data + HDR_SIZE, ra->data_size - HDR_SIZE, h.seed);
	if (bad >= 0) {
		server_fail("client %u call %llu: byte %ld of %llu wrong",
			    h.client, (unsigned long long)h.seq,
			    bad + HDR_SIZE, (unsigned long long)ra->data_size);
		return 0;
	}
	if (!(h.seq % 8)) {
		if (door_ucred(&uc))
			server_fail("door_ucred: %s", strerror(errno));
		else if (uc.pid != client_pid(h.client))
			server_fail("client %u: door_ucred pid %d, not %d",
				    h.client, uc.pid, client_pid(h.client));
	}
	pat_fill(sv->reply, h.reply_size, h.seed ^ REPLY_SALT ^ ra->cookie);
	return h.reply_size;
}

static void *server_main(void *arg)
{
	struct server *sv = arg;
	struct door_return_args ra;
	size_t res_size = 0;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	for (;;) {
		memset(&ra, 0, sizeof(ra));
		ra.result_ptr = u64_of(sv->reply);
		ra.result_size = res_size;
		ra.rbuf = u64_of(sv->rbuf);
		ra.rsize = sv->rsize;
		if (door_return(&ra, 0)) {
			res_size = 0;
			if (errno == EINTR) {
				if (__atomic_load_n(&stop, __ATOMIC_ACQUIRE))
					break;
				continue;
			}
			server_fail("door_return: %s", strerror(errno));
			break;
		}
		sv->calls++;
		if (ra.flags & DOOR_RETURN_LAST)
			sv->last++;
		if (ra.flags & DOOR_RETURN_MAPPED) {
			sv->mapped++;
			if (ra.data_size <= sv->rsize)
				server_fail("%llu bytes mapped, rsize %zu",
					    (unsigned long long)ra.data_size,
					    sv->rsize);
		} else if (ra.data_ptr != u64_of(sv->rbuf) ||
			   ra.data_size > sv->rsize) {
			server_fail("%llu bytes at %#llx, not in rbuf",
				    (unsigned long long)ra.data_size,
				    (unsigned long long)ra.data_ptr);
			continue;
		}
		res_size = serve(sv, &ra);
		if ((ra.flags & DOOR_RETURN_MAPPED) &&
		    munmap(ptr_of(ra.data_ptr),
			   (ra.data_size + page_size - 1) / page_size *
			   page_size))
			server_fail("munmap: %s", strerror(errno));
	}
	return NULL;
}

/* xorshift64* */
static __u64 rnd(__u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* A size: a boundary, something small, or anything up to MAX_DATA. */
static size_t pick_size(__u64 *s)
{
	switch (rnd(s) % 3) {
	case 0:
		return special[rnd(s) % ARRAY_SIZE(special)];
	case 1:
		return rnd(s) % 513;
	default:
		return rnd(s) % (MAX_DATA + 1);
	}
}

/* Call until time is up, checking every result. */
static void client_loop(unsigned int id, struct client_result *res)
{
	unsigned char *req, *rbuf, *expect;
	__u64 s = mix64(id + 1), seq = 0;
	struct door_arg arg;
	struct req_hdr h;
	size_t n, want;
	long bad;
	int d;

	req = malloc(MAX_DATA);
	rbuf = malloc(MAX_DATA);
	expect = malloc(HDR_SIZE);
	if (!req || !rbuf || !expect) {
		client_fail(res, "out of memory");
		goto out;
	}
	/* at least one call, however late this thread starts */
	do {
		seq++;
		d = rnd(&s) % NR_DOORS;
		n = pick_size(&s);
		h.seed = mix64(((__u64)id << 40) ^ seq);
		if (n >= HDR_SIZE) {
			want = pick_size(&s);
			h.magic = MAGIC;
			h.reply_size = want;
			h.seq = seq;
			h.client = id;
			h.door = d;
			memcpy(req, &h, sizeof(h));
			pat_fill(req + HDR_SIZE, n - HDR_SIZE, h.seed);
		} else {
			want = n;
			pat_fill(req, n, h.seed);
			small_reply(req, n, cookies[d], expect);
		}
		memset(&arg, 0, sizeof(arg));
		arg.data_ptr = u64_of(req);
		arg.data_size = n;
		arg.rbuf = u64_of(rbuf);
		arg.rsize = MAX_DATA;
		if (door_call(doors[d], &arg, 0)) {
			client_fail(res, "call %llu (%zu bytes): %s",
				    (unsigned long long)seq, n,
				    strerror(errno));
			continue;
		}
		res->calls++;
		res->bytes += n + arg.data_size;
		if (arg.data_ptr != u64_of(rbuf) || arg.data_size != want) {
			client_fail(res,
				    "call %llu: %llu bytes at %#llx, expected %zu",
				    (unsigned long long)seq,
				    (unsigned long long)arg.data_size,
				    (unsigned long long)arg.data_ptr, want);
			continue;
		}
		if (n >= HDR_SIZE)
			bad = pat_check(rbuf, want,
					h.seed ^ REPLY_SALT ^ cookies[d]);
		else
			bad = want && memcmp(rbuf, expect, want) ? 0 : -1;
		if (bad >= 0)
			client_fail(res,
				    "call %llu (%zu bytes, door %d): result byte %ld of %zu wrong",
				    (unsigned long long)seq, n, d, bad, want);
	} while (time_left() && res->errors < 10);
out:
	free(req);
	free(rbuf);
	free(expect);
}

static void *client_main(void *arg)
{
	struct client *c = arg;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	client_loop(c->id, &c->res);
	return NULL;
}

static void nop_handler(int sig)
{
	(void)sig;
}

static void watchdog(int sig)
{
	static const char msg[] = "# a call hangs: giving up\n";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(KSFT_FAIL);
	_exit(KSFT_FAIL);
}

/*
 * Join @t within STOP_MS, poking it with SIGUSR1 (it may sit in a call);
 * 0 or -errno.
 */
static int join_poking(pthread_t t)
{
	struct timespec ts;
	int ms, ret;

	for (ms = 0; ms < STOP_MS; ms += 50) {
		pthread_kill(t, SIGUSR1);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		ret = pthread_timedjoin_np(t, NULL, &ts);
		if (ret != ETIMEDOUT)
			return -ret;
	}
	return -ETIMEDOUT;
}

static bool read_all(int fd, void *buf, size_t len)
{
	unsigned char *p = buf;
	ssize_t n;

	while (len) {
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= n;
	}
	return true;
}

int main(int argc, char **argv)
{
	struct client_result pres[NR_PROCS], tres;
	int secs = DEFAULT_SECS, i, status, go[2], out[2];
	__u64 calls = 0, bytes = 0, mapped = 0, last = 0;
	struct sigaction sa;
	struct timespec t0, t1;
	bool procs_ok = true, threads_ok = true, servers_ok;
	pid_t parent = getpid();
	double elapsed;
	char c = 'g';

	if (argc > 1)
		secs = atoi(argv[1]);
	if (secs < 1)
		secs = 1;
	page_size = sysconf(_SC_PAGESIZE);

	ksft_print_header();
	ksft_set_plan(3);

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = nop_handler;	/* no SA_RESTART: EINTR */
	if (sigaction(SIGUSR1, &sa, NULL))
		ksft_exit_fail_msg("sigaction: %s\n", strerror(errno));
	sa.sa_handler = watchdog;
	if (sigaction(SIGALRM, &sa, NULL))
		ksft_exit_fail_msg("sigaction: %s\n", strerror(errno));
	alarm(secs + WATCHDOG_EXTRA);

	for (i = 0; i < NR_DOORS; i++) {
		doors[i] = door_create(procs[i], cookies[i], 0);
		if (doors[i] < 0)
			ksft_exit_fail_msg("door_create: %s\n", strerror(errno));
	}

	/* forked callers wait for the word, report through a pipe */
	if (pipe(go) || pipe(out))
		ksft_exit_fail_msg("pipe: %s\n", strerror(errno));
	for (i = 0; i < NR_PROCS; i++) {
		fflush(stdout);
		kid_pids[i] = fork();
		if (kid_pids[i] < 0)
			ksft_exit_fail_msg("fork: %s\n", strerror(errno));
		if (!kid_pids[i]) {
			struct client_result r;

			if (prctl(PR_SET_PDEATHSIG, SIGKILL) ||
			    getppid() != parent)
				_exit(1);
			close(go[1]);
			close(out[0]);
			memset(&r, 0, sizeof(r));
			alarm(secs + WATCHDOG_EXTRA);
			if (!read_all(go[0], &c, 1))
				_exit(1);
			clock_gettime(CLOCK_MONOTONIC, &t_end);
			t_end.tv_sec += secs;
			client_loop(100 + i, &r);
			_exit(write(out[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
		}
	}
	close(go[0]);
	close(out[1]);

	for (i = 0; i < NR_SERVERS; i++) {
		struct server *sv = &servers[i];

		sv->rsize = i == 0 ? MAX_DATA : i == 1 ? 4096 : 129;
		sv->rbuf = malloc(sv->rsize);
		sv->reply = malloc(MAX_DATA);
		if (!sv->rbuf || !sv->reply)
			ksft_exit_fail_msg("out of memory\n");
		if (pthread_create(&sv->thread, NULL, server_main, sv))
			ksft_exit_fail_msg("pthread_create failed\n");
		sv->running = true;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	t_end = t0;
	t_end.tv_sec += secs;
	for (i = 0; i < NR_PROCS; i++)
		if (write(go[1], &c, 1) != 1)
			ksft_exit_fail_msg("write: %s\n", strerror(errno));
	for (i = 0; i < NR_THREADS; i++) {
		clients[i].id = i;
		if (pthread_create(&clients[i].thread, NULL, client_main,
				   &clients[i]))
			ksft_exit_fail_msg("pthread_create failed\n");
	}

	memset(&tres, 0, sizeof(tres));
	for (i = 0; i < NR_THREADS; i++) {
		struct client_result *r = &clients[i].res;

		pthread_join(clients[i].thread, NULL);
		ksft_print_msg("thread caller %d: %llu calls, %llu errors%s%s\n",
			       i, (unsigned long long)r->calls,
			       (unsigned long long)r->errors,
			       r->errors ? ": " : "", r->msg);
		calls += r->calls;
		bytes += r->bytes;
		if (r->errors || !r->calls)
			threads_ok = false;
	}
	for (i = 0; i < NR_PROCS; i++) {
		memset(&pres[i], 0, sizeof(pres[i]));
		if (!read_all(out[0], &pres[i], sizeof(pres[i]))) {
			ksft_print_msg("process caller %d: no report\n", i);
			procs_ok = false;
			continue;
		}
	}
	for (i = 0; i < NR_PROCS; i++) {
		if (waitpid(kid_pids[i], &status, 0) != kid_pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			ksft_print_msg("process caller %d: exit status %#x\n",
				       i, status);
			procs_ok = false;
		}
		/* reports arrive in any order; each one is a process's */
		ksft_print_msg("process caller: %llu calls, %llu errors%s%s\n",
			       (unsigned long long)pres[i].calls,
			       (unsigned long long)pres[i].errors,
			       pres[i].errors ? ": " : "", pres[i].msg);
		calls += pres[i].calls;
		bytes += pres[i].bytes;
		if (pres[i].errors || !pres[i].calls)
			procs_ok = false;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close(out[0]);
	close(go[1]);

	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < NR_DOORS; i++)
		door_revoke(doors[i]);
	for (i = 0; i < NR_SERVERS; i++) {
		struct server *sv = &servers[i];

		if (join_poking(sv->thread)) {
			server_fail("server thread %d does not stop", i);
			continue;
		}
		ksft_print_msg("server %d (rsize %zu): %llu calls, %llu mapped, %llu last\n",
			       i, sv->rsize, (unsigned long long)sv->calls,
			       (unsigned long long)sv->mapped,
			       (unsigned long long)sv->last);
		mapped += sv->mapped;
		last += sv->last;
		free(sv->rbuf);
		free(sv->reply);
	}
	for (i = 0; i < NR_DOORS; i++)
		close(doors[i]);
	alarm(0);

	elapsed = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	ksft_print_msg("%llu calls in %.2f s: %.0f calls/s, %.2f MiB/s\n",
		       (unsigned long long)calls, elapsed, calls / elapsed,
		       bytes / elapsed / (1 << 20));
	ksft_print_msg("%llu mapped, %llu with DOOR_RETURN_LAST\n",
		       (unsigned long long)mapped, (unsigned long long)last);
	servers_ok = !server_errors;
	if (!servers_ok)
		ksft_print_msg("servers: %llu errors, first: %s\n",
			       (unsigned long long)server_errors, server_msg);

	ksft_test_result(threads_ok, "door_stress thread callers\n");
	ksft_test_result(procs_ok, "door_stress process callers\n");
	ksft_test_result(servers_ok, "door_stress servers\n");
	ksft_finished();
}
