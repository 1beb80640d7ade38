// SPDX-License-Identifier: GPL-2.0
/*
 * Door calls against the other ways two processes can take turns: round
 * trips over pipes, a Unix socket pair, eventfds and a shared futex, and
 * the floor they all stand on (getpid: one system call).  Also the
 * throughput of several client processes against a multi-threaded door
 * server, and the kernel memory each client costs while it is blocked in
 * a call.  It runs on any kernel: without doors the door measurements
 * report a skip and the others still run, so that a patched and an
 * unpatched kernel can be compared with the same program.
 *
 * Usage: ipc_bench lat [-p] [-n ITERS] MECH SIZE
 *	  ipc_bench rounds [-p] [-n ITERS] [-r ROUNDS] MECH[:SIZE]...
 *	  ipc_bench handoff [-p] [-n ITERS]
 *	  ipc_bench tput [-s SECONDS] [-t THREADS] CLIENTS
 *	  ipc_bench mem MECH THREADS
 *	  ipc_bench --help
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "door_sys.h"

#define MAX_SIZE	(1024 * 1024)
#define MEM_MSG		100		/* bytes a blocked client has sent */
#define TPUT_MSG	128

#define EXIT_SKIP	4		/* kselftest's "skipped" */

static void die(const char *what)
{
	fprintf(stderr, "ipc_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void *shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

static void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		die("malloc");
	memset(p, 0x6b, size);
	return p;
}

/* Both processes on one CPU: every hand-off is a context switch there. */
static void pin_to_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

/* With doors, door_info() on a descriptor that is no door says EBADF. */
static int door_missing(void)
{
	return door_info(-1, NULL) == 0 || errno != EBADF;
}

/* the measuring side: for it an EOF means the server died */
static int measuring;

static void other_side_gone(ssize_t r)
{
	if (measuring) {
		fprintf(stderr, "ipc_bench: the server process went away\n");
		exit(1);
	}
	exit(r ? 1 : 0);	/* the server: its client is done */
}

static void read_exact(int fd, char *p, size_t n)
{
	ssize_t r;

	while (n) {
		r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			other_side_gone(r);
		p += r;
		n -= r;
	}
}

static void write_all(int fd, const char *p, size_t n)
{
	ssize_t r;

	while (n) {
		r = write(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			other_side_gone(r);
		p += r;
		n -= r;
	}
}

static long futex(uint32_t *word, int op, uint32_t val)
{
	return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

/* Wait until *word is no longer @val. */
static void futex_wait_while(uint32_t *word, uint32_t val)
{
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == val)
		futex(word, FUTEX_WAIT, val);
}

static void futex_set_wake(uint32_t *word, uint32_t val)
{
	__atomic_store_n(word, val, __ATOMIC_RELEASE);
	futex(word, FUTEX_WAKE, 1);
}

/* ----- round-trip latency ----- */

enum mech { M_DOOR, M_PIPE, M_UNIX, M_EVENTFD, M_FUTEX, M_GETPID, M_NR };
static const char *const mech_names[M_NR] = {
	"door", "pipe", "unix", "eventfd", "futex", "getpid",
};

struct lat_ctx {
	enum mech mech;
	size_t size;
	int fd[4];		/* pipe: c2s r/w, s2c r/w; unix: 2; eventfd: 2 */
	uint32_t *word;		/* futex: 1 server's turn, 0 client's, 2 stop */
	int door;
	char *req, *rbuf;
};

/* Answer door calls with as many bytes as they brought, forever. */
static void *door_echo(void *arg)
{
	struct door_return_args ra;
	char *rbuf = xmalloc(MAX_SIZE);
	size_t res = 0;

	(void)arg;
	for (;;) {
		memset(&ra, 0, sizeof(ra));
		ra.result_ptr = u64_of(rbuf);
		ra.result_size = res;
		ra.rbuf = u64_of(rbuf);
		ra.rsize = MAX_SIZE;
		if (door_return(&ra, 0)) {
			if (errno == EINTR)
				continue;
			die("door_return");
		}
		/* results small enough to have landed in rbuf */
		if (ra.flags & DOOR_RETURN_MAPPED) {
			memcpy(rbuf, ptr_of(ra.data_ptr), ra.data_size);
			munmap(ptr_of(ra.data_ptr), ra.data_size);
		}
		res = ra.data_size;
	}
	return NULL;
}

static void start_door_servers(int n)
{
	pthread_t t;
	int i;

	for (i = 0; i < n; i++)
		if (pthread_create(&t, NULL, door_echo, NULL))
			die("pthread_create");
}

/*
 * After fork(), each side closes the other side's ends of the pipes or
 * the socket pair, so that either one dying ends the other's read with
 * EOF.  (eventfd and futex have no EOF: a parent-death signal covers the
 * server, the caller's time limit the client.)
 */
static void close_ends(struct lat_ctx *c, int client)
{
	int i;
	/* pipe: 0 client->server read, 1 its write, 2 server->client read, 3 its write */
	static const int pipe_client[4] = { 0, 1, 1, 0 };
	/* socket pair: the client uses 0, the server 1 */
	static const int unix_client[4] = { 1, 0, 0, 0 };

	for (i = 0; i < 4; i++) {
		int used_by_client;

		if (c->mech == M_PIPE)
			used_by_client = pipe_client[i];
		else if (c->mech == M_UNIX && i < 2)
			used_by_client = unix_client[i];
		else
			continue;
		if (used_by_client != client && c->fd[i] >= 0) {
			close(c->fd[i]);
			c->fd[i] = -1;
		}
	}
}

/* The other process of a ping-pong: echo until the client goes away. */
static void serve(struct lat_ctx *c)
{
	char *buf = xmalloc(c->size ? c->size : 1);
	size_t n = c->size ? c->size : 1;
	uint64_t v;

	switch (c->mech) {
	case M_PIPE:
		for (;;) {
			read_exact(c->fd[0], buf, n);
			write_all(c->fd[3], buf, n);
		}
	case M_UNIX:
		for (;;) {
			read_exact(c->fd[1], buf, n);
			write_all(c->fd[1], buf, n);
		}
	case M_EVENTFD:
		for (;;) {
			if (read(c->fd[0], &v, sizeof(v)) != sizeof(v))
				exit(0);
			if (write(c->fd[1], &v, sizeof(v)) != sizeof(v))
				exit(0);
		}
	case M_FUTEX:
		for (;;) {
			futex_wait_while(c->word, 0);
			if (*c->word == 2)
				exit(0);
			futex_set_wake(c->word, 0);
		}
	default:
		exit(0);
	}
}

/* One round trip from the client's side; 0 on success. */
static int round_trip(struct lat_ctx *c)
{
	size_t n = c->size ? c->size : 1;
	struct door_arg a;
	uint64_t v = 1;

	switch (c->mech) {
	case M_DOOR:
		memset(&a, 0, sizeof(a));
		a.data_ptr = u64_of(c->req);
		a.data_size = c->size;
		a.rbuf = u64_of(c->rbuf);
		a.rsize = MAX_SIZE;
		if (door_call(c->door, &a, 0))
			return -1;
		return a.data_size == c->size ? 0 : -1;
	case M_PIPE:
		write_all(c->fd[1], c->req, n);
		read_exact(c->fd[2], c->rbuf, n);
		return 0;
	case M_UNIX:
		write_all(c->fd[0], c->req, n);
		read_exact(c->fd[0], c->rbuf, n);
		return 0;
	case M_EVENTFD:
		if (write(c->fd[0], &v, sizeof(v)) != sizeof(v) ||
		    read(c->fd[1], &v, sizeof(v)) != sizeof(v))
			return -1;
		return 0;
	case M_FUTEX:
		futex_set_wake(c->word, 1);
		futex_wait_while(c->word, 1);
		return 0;
	case M_GETPID:
		return syscall(SYS_getpid) > 0 ? 0 : -1;
	default:
		return -1;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The door measurements' client is a child process; the parent, whose
 * threads serve, waits for it and exits with its status.  Returns in the
 * child only.
 */
static void become_door_client(void)
{
	pid_t client = fork();
	int status;

	if (client < 0)
		die("fork");
	if (client) {
		if (waitpid(client, &status, 0) != client)
			die("waitpid");
		exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* ipc_bench rounds: the round a measurement belongs to, else -1 */
static int round_no = -1;

static int lat_main(enum mech mech, size_t size, int iters, int pinned)
{
	struct lat_ctx c = {
		.mech = mech, .size = size, .fd = { -1, -1, -1, -1 },
	};
	uint64_t *ns, t, sum = 0;
	pid_t server = 0;
	int i;

	if (mech == M_DOOR && door_missing()) {
		printf("ipc_bench lat door %zu skip: this kernel has no doors\n",
		       size);
		return EXIT_SKIP;
	}
	if (size && (mech == M_EVENTFD || mech == M_FUTEX || mech == M_GETPID)) {
		fprintf(stderr, "ipc_bench: %s carries no data: size must be 0\n",
			mech_names[mech]);
		return 2;
	}
	if (pinned)
		pin_to_cpu0();
	c.req = xmalloc(size);
	c.rbuf = xmalloc(MAX_SIZE);
	ns = calloc(iters, sizeof(*ns));
	if (!ns)
		die("calloc");
	switch (mech) {
	case M_DOOR:
		/* this process serves; a forked child calls */
		c.door = door_create(1, 2, 0);
		if (c.door < 0)
			die("door_create");
		start_door_servers(1);
		break;
	case M_PIPE:
		if (pipe(c.fd) || pipe(c.fd + 2))
			die("pipe");
		break;
	case M_UNIX:
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, c.fd))
			die("socketpair");
		break;
	case M_EVENTFD:
		c.fd[0] = eventfd(0, 0);
		c.fd[1] = eventfd(0, 0);
		if (c.fd[0] < 0 || c.fd[1] < 0)
			die("eventfd");
		break;
	case M_FUTEX:
		c.word = shared_alloc(4096);
		break;
	default:
		break;
	}

	if (mech != M_DOOR && mech != M_GETPID) {
		server = fork();
		if (server < 0)
			die("fork");
		if (!server) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			/* the client's ends: a client that dies is an EOF */
			close_ends(&c, 0);
			serve(&c);
		}
		/* the server's ends: a server that dies is an EOF */
		close_ends(&c, 1);
	} else if (mech == M_DOOR) {
		/* the client is the child, the parent's threads serve */
		become_door_client();
	}

	measuring = 1;
	for (i = 0; i < iters / 10 + 1; i++)
		if (round_trip(&c))
			die(mech_names[mech]);
	for (i = 0; i < iters; i++) {
		t = now_ns();
		if (round_trip(&c))
			die(mech_names[mech]);
		ns[i] = now_ns() - t;
		sum += ns[i];
	}
	if (mech == M_FUTEX)
		futex_set_wake(c.word, 2);
	if (server) {
		for (i = 0; i < 4; i++)
			if (c.fd[i] >= 0)
				close(c.fd[i]);
		kill(server, SIGKILL);
		waitpid(server, NULL, 0);
	}
	qsort(ns, iters, sizeof(*ns), cmp_u64);
	if (round_no >= 0)
		printf("ipc_bench round %d ", round_no);
	else
		printf("ipc_bench lat ");
	printf("%s %zu %s p50 %llu p99 %llu mean %llu n %d\n",
	       mech_names[mech], size, pinned ? "pinned" : "unpinned",
	       (unsigned long long)ns[iters / 2],
	       (unsigned long long)ns[(iters * 99) / 100],
	       (unsigned long long)(sum / iters), iters);
	return 0;
}

/* ----- the same measurements in alternating rounds ----- */

static enum mech mech_of(const char *name);

/*
 * Each round measures every MECH[:SIZE] once, each in a process of its
 * own, so that what one boot or one minute of the host does to all of
 * them cancels in their ratios within a round.  Round r starts at
 * mechanism r (modulo their number) and odd rounds go backwards, so that
 * none is always measured first, on a machine just woken, nor always
 * after the same neighbour.
 */
static int rounds_main(int argc, char **argv, int iters, int pinned,
		       int rounds)
{
	int r, j, status, ran = 0;
	bool *skipped = calloc(argc, sizeof(*skipped));

	if (!skipped)
		die("calloc");
	for (r = 0; r < rounds; r++) {
		for (j = 0; j < argc; j++) {
			int i = ((r % 2 ? -j : j) + r % argc + argc) % argc;
			char name[32], *colon;
			long size = 0;
			pid_t pid;

			snprintf(name, sizeof(name), "%s", argv[i]);
			colon = strchr(name, ':');
			if (colon) {
				*colon = '\0';
				size = atol(colon + 1);
			}
			if (size < 0 || size > MAX_SIZE) {
				fprintf(stderr, "ipc_bench: SIZE must be 0..%d\n", MAX_SIZE);
				return 2;
			}
			if (skipped[i])
				continue;
			fflush(stdout);
			pid = fork();
			if (pid < 0)
				die("fork");
			if (!pid) {
				round_no = r;
				status = lat_main(mech_of(name), size, iters, pinned);
				fflush(stdout);
				_exit(status);
			}
			if (waitpid(pid, &status, 0) != pid)
				die("waitpid");
			/* a kernel without doors still measures the others */
			if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SKIP) {
				skipped[i] = true;
				continue;
			}
			if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				free(skipped);
				return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
			}
			ran++;
		}
	}
	free(skipped);
	return ran ? 0 : EXIT_SKIP;
}

/* ----- where the server runs ----- */

/*
 * The CPU a handed call's server thread ran on, written by the thread as
 * it starts the call: in memory the client process shares.
 */
static int *server_cpu;

static void *door_where(void *arg)
{
	struct door_return_args ra;

	(void)arg;
	for (;;) {
		memset(&ra, 0, sizeof(ra));
		if (door_return(&ra, 0)) {
			if (errno == EINTR)
				continue;
			die("door_return");
		}
		__atomic_store_n(server_cpu, sched_getcpu(), __ATOMIC_RELAXED);
	}
	return NULL;
}

/*
 * Null door calls between two processes, counting those whose server ran
 * on the CPU the client called from: the hand-off the fast path relies on
 * (the server woken where its caller goes to sleep).  A count, not a time.
 */
static int handoff_main(int iters, int pinned)
{
	int door, same = 0, moved = 0, i;
	struct door_arg a;
	pthread_t t;

	if (door_missing()) {
		printf("ipc_bench handoff door skip: this kernel has no doors\n");
		return EXIT_SKIP;
	}
	if (pinned)
		pin_to_cpu0();
	server_cpu = shared_alloc(4096);
	door = door_create(1, 2, 0);
	if (door < 0)
		die("door_create");
	if (pthread_create(&t, NULL, door_where, NULL))
		die("pthread_create");
	become_door_client();
	for (i = 0; i < iters / 10 + 1 + iters; i++) {
		int cpu = sched_getcpu();

		__atomic_store_n(server_cpu, -1, __ATOMIC_RELAXED);
		memset(&a, 0, sizeof(a));
		if (door_call(door, &a, 0))
			die("door_call");
		if (i <= iters / 10)
			continue;	/* warming up */
		if (__atomic_load_n(server_cpu, __ATOMIC_RELAXED) == cpu)
			same++;
		if (sched_getcpu() != cpu)
			moved++;
	}
	printf("ipc_bench handoff door %s same-cpu %d of %d caller-moved %d\n",
	       pinned ? "pinned" : "unpinned", same, iters, moved);
	return 0;
}

/* ----- throughput ----- */

/* Each client's count on a cache line of its own, written once at the end */
#define TPUT_SLOT	(64 / sizeof(uint64_t))

static int tput_main(int clients, int threads, int secs)
{
	uint64_t *counts, total = 0, t0, elapsed;
	pid_t *pids;
	int door, i, status, failed = 0;

	if (door_missing()) {
		printf("ipc_bench tput door %d skip: this kernel has no doors\n",
		       clients);
		return EXIT_SKIP;
	}
	door = door_create(1, 2, 0);
	if (door < 0)
		die("door_create");
	start_door_servers(threads);
	counts = shared_alloc(4096);
	pids = calloc(clients, sizeof(*pids));
	t0 = now_ns();
	for (i = 0; i < clients; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (!pids[i]) {
			struct lat_ctx c = {
				.mech = M_DOOR, .size = TPUT_MSG, .door = door,
			};
			uint64_t end = t0 + secs * 1000000000ULL, n = 0;

			prctl(PR_SET_PDEATHSIG, SIGKILL);
			c.req = xmalloc(TPUT_MSG);
			c.rbuf = xmalloc(MAX_SIZE);
			while (now_ns() < end) {
				if (round_trip(&c))
					die("door_call");
				n++;
			}
			counts[i * TPUT_SLOT] = n;
			exit(0);
		}
	}
	for (i = 0; i < clients; i++) {
		if (waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			failed = 1;
		total += counts[i * TPUT_SLOT];
	}
	elapsed = now_ns() - t0;
	if (failed) {
		fprintf(stderr, "ipc_bench: a client failed\n");
		return 1;
	}
	printf("ipc_bench tput door %d threads %d calls/s %.0f calls %llu ns %llu\n",
	       clients, threads, total * 1e9 / elapsed, (unsigned long long)total,
	       (unsigned long long)elapsed);
	return 0;
}

/* ----- memory of blocked clients ----- */

static enum mech mem_mech;
static int mem_door;
static uint32_t mem_word;

/* Block forever, the way a client waiting for its reply does. */
static void *blocked_client(void *arg)
{
	char msg[MEM_MSG], reply[MEM_MSG];
	struct door_arg a;
	int fd[4];

	(void)arg;
	memset(msg, 0x42, sizeof(msg));
	switch (mem_mech) {
	case M_DOOR:
		memset(&a, 0, sizeof(a));
		a.data_ptr = u64_of(msg);
		a.data_size = sizeof(msg);
		a.rbuf = u64_of(reply);
		a.rsize = sizeof(reply);
		door_call(mem_door, &a, 0);
		break;
	case M_PIPE:
		/* a request pipe with the message in it, a reply pipe */
		if (pipe(fd) || pipe(fd + 2))
			die("pipe");
		write_all(fd[1], msg, sizeof(msg));
		read_exact(fd[2], reply, sizeof(reply));
		break;
	case M_UNIX:
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, fd))
			die("socketpair");
		write_all(fd[0], msg, sizeof(msg));
		read_exact(fd[0], reply, sizeof(reply));
		break;
	default:
		futex_wait_while(&mem_word, 0);
		break;
	}
	fprintf(stderr, "ipc_bench: a blocked %s client woke up\n",
		mech_names[mem_mech]);
	exit(1);
}

struct meminfo {
	long long used, slab, kstack, ptables;	/* KiB */
};

/*
 * Free pages, counting those on the per-CPU free lists, which MemFree
 * leaves out: they come and go by batches and would blur a few pages
 * per client.
 */
static long long free_kib(void)
{
	long long pages = 0, v;
	char line[256];
	FILE *f = fopen("/proc/zoneinfo", "r");

	if (!f)
		die("/proc/zoneinfo");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " pages free %lld", &v) == 1 ||
		    sscanf(line, " count: %lld", &v) == 1)
			pages += v;
	fclose(f);
	return pages * (sysconf(_SC_PAGESIZE) / 1024);
}

static void read_meminfo(struct meminfo *m)
{
	long long total = 0, v;
	char key[64];
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("/proc/meminfo");
	memset(m, 0, sizeof(*m));
	while (fscanf(f, "%63s %lld kB\n", key, &v) == 2) {
		if (!strcmp(key, "MemTotal:"))
			total = v;
		else if (!strcmp(key, "Slab:"))
			m->slab = v;
		else if (!strcmp(key, "KernelStack:"))
			m->kstack = v;
		else if (!strcmp(key, "PageTables:"))
			m->ptables = v;
	}
	fclose(f);
	m->used = total - free_kib();
}

/* Threads of this process asleep in the kernel (state S). */
static int sleeping_threads(void)
{
	char path[300], buf[512], *p;
	struct dirent *d;
	int n = 0;
	DIR *dir;
	FILE *f;

	dir = opendir("/proc/self/task");
	if (!dir)
		die("/proc/self/task");
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/stat",
			 d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		/* the state follows the ")" that ends the command name */
		if (fgets(buf, sizeof(buf), f)) {
			p = strrchr(buf, ')');
			if (p && p[1] == ' ' && p[2] == 'S')
				n++;
		}
		fclose(f);
	}
	closedir(dir);
	return n;
}

static int mem_main(enum mech mech, int threads)
{
	struct meminfo before, after;
	struct rlimit rl;
	pthread_attr_t attr;
	pthread_t t;
	int started, waited;

	if (mech != M_DOOR && mech != M_PIPE && mech != M_UNIX &&
	    mech != M_FUTEX) {
		fprintf(stderr, "ipc_bench: mem measures door, pipe, unix or futex\n");
		return 2;
	}
	if (mech == M_DOOR && door_missing()) {
		printf("ipc_bench mem door %d skip: this kernel has no doors\n",
		       threads);
		return EXIT_SKIP;
	}
	mem_mech = mech;
	if (mech == M_DOOR) {
		/* no thread serves it: every call stays queued */
		mem_door = door_create(1, 2, 0);
		if (mem_door < 0)
			die("door_create");
	}
	/* four descriptors per pipe client */
	rl.rlim_max = 4 * (rlim_t)threads + 64;
	rl.rlim_cur = rl.rlim_max;
	if (mech == M_PIPE || mech == M_UNIX)
		if (setrlimit(RLIMIT_NOFILE, &rl))
			die("setrlimit(RLIMIT_NOFILE)");
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 32 * 1024);
	sync();
	sleep(1);
	read_meminfo(&before);
	for (started = 0; started < threads; started++)
		if (pthread_create(&t, &attr, blocked_client, NULL))
			break;
	/* the main thread sleeps too while it waits */
	for (waited = 0; waited < 600; waited++) {
		if (sleeping_threads() >= started)
			break;
		usleep(100 * 1000);
	}
	if (waited == 600) {
		fprintf(stderr, "ipc_bench: the clients did not all block\n");
		return 1;
	}
	if (!started) {
		fprintf(stderr, "ipc_bench: could not create a single thread\n");
		return 1;
	}
	sleep(1);
	read_meminfo(&after);
	printf("ipc_bench mem %s %d per_thread_bytes %lld slab %lld kstack %lld pagetables %lld",
	       mech_names[mech], started,
	       (after.used - before.used) * 1024 / started,
	       (after.slab - before.slab) * 1024 / started,
	       (after.kstack - before.kstack) * 1024 / started,
	       (after.ptables - before.ptables) * 1024 / started);
	printf(" used_kib %lld\n", after.used - before.used);
	if (started < threads)
		printf("ipc_bench mem %s: only %d of %d threads could be made\n",
		       mech_names[mech], started, threads);
	/* the blocked threads go with the process */
	fflush(stdout);
	_exit(0);
}

static enum mech mech_of(const char *name)
{
	int m;

	for (m = 0; m < M_NR; m++)
		if (!strcmp(name, mech_names[m]))
			return m;
	fprintf(stderr, "ipc_bench: unknown mechanism '%s' (door pipe unix eventfd futex getpid)\n",
		name);
	exit(2);
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: ipc_bench lat [-p] [-n ITERS] MECH SIZE\n"
		"         round trips of SIZE bytes each way between two processes; prints\n"
		"         p50, p99 and mean in ns.  MECH: door pipe unix (any SIZE up to\n"
		"         1 MiB), eventfd futex getpid (SIZE 0; getpid is one system call\n"
		"         in one process).  -p: both processes on CPU 0.  -n: round trips\n"
		"         (default 2000)\n"
		"       ipc_bench rounds [-p] [-n ITERS] [-r ROUNDS] MECH[:SIZE]...\n"
		"         the same as lat for each MECH:SIZE in turn, ROUNDS times over\n"
		"         (default 5), one line per measurement with its round; round R\n"
		"         (from 0) starts at MECH number R and odd rounds go backwards;\n"
		"         a mechanism this kernel lacks is skipped\n"
		"       ipc_bench handoff [-p] [-n ITERS]\n"
		"         null door calls between two processes; prints how many of\n"
		"         them ran their server on the CPU the client called from\n"
		"       ipc_bench tput [-s SECONDS] [-t THREADS] CLIENTS\n"
		"         CLIENTS processes calling one door with %d bytes as fast as they\n"
		"         can against THREADS server threads (default: as many as\n"
		"         clients; 3 s); prints calls/s\n"
		"       ipc_bench mem MECH THREADS\n"
		"         THREADS client threads blocked in a call that sent %d bytes; prints\n"
		"         memory per blocked client (pages in use, per-CPU free lists\n"
		"         counted as free; Slab, KernelStack, PageTables).  MECH: door\n"
		"         pipe unix futex (futex: a thread that only sleeps, the baseline)\n"
		"Door measurements exit with status %d (skip) on a kernel without doors.\n",
		TPUT_MSG, MEM_MSG, EXIT_SKIP);
}

int main(int argc, char **argv)
{
	int iters = 2000, pinned = 0, secs = 3, threads = 0, rounds = 5, c;
	const char *cmd;
	long size;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	cmd = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "pn:s:t:r:")) != -1) {
		switch (c) {
		case 'p':
			pinned = 1;
			break;
		case 'n':
			iters = atoi(optarg);
			break;
		case 's':
			secs = atoi(optarg);
			break;
		case 'r':
			rounds = atoi(optarg);
			if (rounds < 1) {
				fprintf(stderr, "ipc_bench: -r needs a positive number\n");
				return 2;
			}
			break;
		case 't':
			threads = atoi(optarg);
			if (threads < 1) {
				fprintf(stderr, "ipc_bench: -t needs a positive number\n");
				return 2;
			}
			break;
		default:
			print_usage(stderr);
			return 2;
		}
	}
	if (iters < 1 || secs < 1) {
		fprintf(stderr, "ipc_bench: -n and -s need positive numbers\n");
		return 2;
	}
	if (!strcmp(cmd, "lat") && argc - optind == 2) {
		size = atol(argv[optind + 1]);
		if (size < 0 || size > MAX_SIZE) {
			fprintf(stderr, "ipc_bench: SIZE must be 0..%d\n", MAX_SIZE);
			return 2;
		}
		return lat_main(mech_of(argv[optind]), size, iters, pinned);
	}
	if (!strcmp(cmd, "rounds") && argc > optind)
		return rounds_main(argc - optind, argv + optind, iters, pinned,
				   rounds);
	if (!strcmp(cmd, "handoff") && argc == optind)
		return handoff_main(iters, pinned);
	/* one counter per client, a cache line each, in one shared page */
	if (!strcmp(cmd, "tput") && argc - optind == 1 && atoi(argv[optind]) > 0 &&
	    atoi(argv[optind]) <= 4096 / 64)
		return tput_main(atoi(argv[optind]),
				 threads ? threads : atoi(argv[optind]), secs);
	if (!strcmp(cmd, "mem") && argc - optind == 2 && atoi(argv[optind + 1]) > 0)
		return mem_main(mech_of(argv[optind]), atoi(argv[optind + 1]));
	print_usage(stderr);
	return 2;
}
