// SPDX-License-Identifier: GPL-2.0
/*
 * Door round-trip benchmark: the time of one door_call() (request and
 * result of the same size: 0 bytes, 128 and 129 bytes either side of the
 * inline buffer, a page, 64 KiB) against the same exchange over a pair of
 * pipes between two threads (1 byte standing in for the null call), in
 * the same run, so that the ratio means something on any machine,
 * emulators included.
 *
 * Usage: door_bench [ITERATIONS]	(default 2000 per size)
 *
 * Prints "# bench door SIZE NS", "# bench pipe SIZE NS" (nanoseconds per
 * round trip) and "# bench ratio SIZE DOOR/PIPE".  It is a benchmark: it
 * checks that the calls work and their results arrive intact, but passes
 * whatever the times are.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/door.h>

#include "../kselftest.h"
#include "door_sys.h"

#define DEFAULT_ITERS	2000
#define MAX_SIZE	65536
#define STOP_MS		20000

static const size_t sizes[] = { 0, 128, 129, 4096, 65536 };

static int stop;
static int srv_cpu = -1;	/* where the server thread last ran a call */
static unsigned char *srv_rbuf, *srv_reply;

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void nop_handler(int sig)
{
	(void)sig;
}

/* Answer every call with as many bytes as it brought. */
static void *door_server(void *arg)
{
	struct door_return_args ra;
	size_t res = 0;

	(void)arg;
	for (;;) {
		memset(&ra, 0, sizeof(ra));
		ra.result_ptr = u64_of(srv_reply);
		ra.result_size = res;
		ra.rbuf = u64_of(srv_rbuf);
		ra.rsize = MAX_SIZE;
		if (door_return(&ra, 0)) {
			res = 0;
			if (errno == EINTR &&
			    !__atomic_load_n(&stop, __ATOMIC_ACQUIRE))
				continue;
			break;
		}
		res = ra.data_size;
		__atomic_store_n(&srv_cpu, sched_getcpu(), __ATOMIC_RELEASE);
	}
	return NULL;
}

/*
 * How often the server ran on the caller's CPU: door_call() wakes the
 * server with a synchronous wake-up, a hint for the scheduler to run it
 * where the caller is about to sleep.  A hint only, hence a count.
 */
static int door_same_cpu(int fd, unsigned char *req, unsigned char *rbuf,
			 int iters)
{
	struct door_arg a;
	int i, same = 0;

	memset(&a, 0, sizeof(a));
	a.rbuf = u64_of(rbuf);
	a.rsize = MAX_SIZE;
	for (i = 0; i < iters; i++) {
		a.data_ptr = u64_of(req);
		a.data_size = 0;
		if (door_call(fd, &a, 0))
			return -1;
		if (__atomic_load_n(&srv_cpu, __ATOMIC_ACQUIRE) ==
		    sched_getcpu())
			same++;
	}
	return same;
}

/* Round trips of @size bytes; ns per call, or 0 on error. */
static double door_rtt(int fd, size_t size, unsigned char *req,
		       unsigned char *rbuf, int iters)
{
	struct door_arg a;
	__u64 t0, t1;
	int i;

	/* once for correctness, a few to warm up, then the timed run */
	memset(req, 0x5a, size);
	memset(rbuf, 0, MAX_SIZE);
	memset(&a, 0, sizeof(a));
	a.data_ptr = u64_of(req);
	a.data_size = size;
	a.rbuf = u64_of(rbuf);
	a.rsize = MAX_SIZE;
	if (door_call(fd, &a, 0)) {
		ksft_print_msg("door_call(%zu bytes): %s\n", size,
			       strerror(errno));
		return 0;
	}
	if (a.data_size != size || a.data_ptr != u64_of(rbuf) ||
	    memcmp(rbuf, srv_reply, size)) {
		ksft_print_msg("door_call(%zu bytes): wrong results (%llu bytes)\n",
			       size, (unsigned long long)a.data_size);
		return 0;
	}
	for (i = 0; i < iters / 10 + 1; i++) {
		a.data_ptr = u64_of(req);
		a.data_size = size;
		if (door_call(fd, &a, 0))
			return 0;
	}
	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		a.data_ptr = u64_of(req);
		a.data_size = size;
		if (door_call(fd, &a, 0)) {
			ksft_print_msg("door_call(%zu bytes): %s\n", size,
				       strerror(errno));
			return 0;
		}
	}
	t1 = now_ns();
	return (double)(t1 - t0) / iters;
}

struct echo {
	int in;
	int out;
	size_t size;
	unsigned char *buf;
};

static bool read_exact(int fd, unsigned char *p, size_t len)
{
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

static bool write_all(int fd, const unsigned char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= n;
	}
	return true;
}

/* Send back every message of ->size bytes until EOF. */
static void *pipe_echo(void *arg)
{
	struct echo *e = arg;

	while (read_exact(e->in, e->buf, e->size))
		if (!write_all(e->out, e->buf, e->size))
			break;
	return NULL;
}

/* The same exchange over two pipes; ns per round trip, or 0 on error. */
static double pipe_rtt(size_t size, unsigned char *req, unsigned char *rbuf,
		       int iters)
{
	int to[2], from[2], i, total = iters + iters / 10 + 1;
	double ns = 0;
	struct echo e;
	pthread_t t;
	__u64 t0 = 0;

	if (pipe(to)) {
		ksft_print_msg("pipe: %s\n", strerror(errno));
		return 0;
	}
	if (pipe(from)) {
		ksft_print_msg("pipe: %s\n", strerror(errno));
		close(to[0]);
		close(to[1]);
		return 0;
	}
	e.in = to[0];
	e.out = from[1];
	e.size = size;
	e.buf = malloc(size);
	memset(req, 0xa5, size);
	if (!e.buf || pthread_create(&t, NULL, pipe_echo, &e)) {
		ksft_print_msg("pipe echo thread: out of memory\n");
		goto out;
	}
	for (i = 0; i < total; i++) {
		if (i == total - iters)
			t0 = now_ns();
		if (!write_all(to[1], req, size) ||
		    !read_exact(from[0], rbuf, size)) {
			ksft_print_msg("pipe round trip of %zu bytes failed\n",
				       size);
			break;
		}
	}
	if (i == total)
		ns = (double)(now_ns() - t0) / iters;
	if (memcmp(req, rbuf, size)) {
		ksft_print_msg("pipe: %zu bytes came back wrong\n", size);
		ns = 0;
	}
	close(to[1]);
	pthread_join(t, NULL);
out:
	free(e.buf);
	close(to[0]);
	close(from[0]);
	close(from[1]);
	return ns;
}

int main(int argc, char **argv)
{
	double d[ARRAY_SIZE(sizes)];
	double p[ARRAY_SIZE(sizes)];
	int iters = DEFAULT_ITERS, fd, ms, same;
	unsigned char *req, *rbuf;
	struct sigaction sa;
	struct timespec ts;
	bool ok = true;
	pthread_t srv;
	unsigned int i;
	size_t psize;

	if (argc > 1)
		iters = atoi(argv[1]);
	if (iters < 1)
		iters = 1;

	ksft_print_header();
	ksft_set_plan(1);

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = nop_handler;	/* no SA_RESTART: EINTR */
	if (sigaction(SIGUSR1, &sa, NULL))
		ksft_exit_fail_msg("sigaction: %s\n", strerror(errno));

	req = malloc(MAX_SIZE);
	rbuf = malloc(MAX_SIZE);
	srv_rbuf = malloc(MAX_SIZE);
	srv_reply = malloc(MAX_SIZE);
	if (!req || !rbuf || !srv_rbuf || !srv_reply)
		ksft_exit_fail_msg("out of memory\n");
	for (i = 0; i < MAX_SIZE; i++)
		srv_reply[i] = i * 7 + 3;

	fd = door_create(0, 0, 0);
	if (fd < 0) {
		ksft_test_result_fail("door_bench: door_create: %s\n",
				      strerror(errno));
		ksft_finished();
	}
	if (pthread_create(&srv, NULL, door_server, NULL))
		ksft_exit_fail_msg("pthread_create failed\n");

	ksft_print_msg("%d round trips per size\n", iters);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		d[i] = door_rtt(fd, sizes[i], req, rbuf, iters);
		if (!d[i])
			ok = false;
		else
			ksft_print_msg("bench door %zu %.0f\n", sizes[i], d[i]);
	}
	same = door_same_cpu(fd, req, rbuf, iters);
	if (same < 0)
		ok = false;
	else
		ksft_print_msg("bench handoff same-cpu %d of %d null calls\n",
			       same, iters);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		psize = sizes[i] ? sizes[i] : 1;
		p[i] = pipe_rtt(psize, req, rbuf, iters);
		if (!p[i])
			ok = false;
		else
			ksft_print_msg("bench pipe %zu %.0f\n", psize, p[i]);
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		if (d[i] && p[i])
			ksft_print_msg("bench ratio %zu door/pipe %.2f\n",
				       sizes[i], d[i] / p[i]);

	/* the server sits in door_return(): interrupt it */
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (ms = 0; ms < STOP_MS; ms += 50) {
		pthread_kill(srv, SIGUSR1);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (pthread_timedjoin_np(srv, NULL, &ts) != ETIMEDOUT)
			break;
	}
	if (ms >= STOP_MS) {
		ksft_print_msg("the server thread does not stop\n");
		ok = false;
	}
	close(fd);
	free(req);
	free(rbuf);
	if (ms < STOP_MS) {
		free(srv_rbuf);
		free(srv_reply);
	}
	ksft_test_result(ok, "door_bench\n");
	ksft_finished();
}
