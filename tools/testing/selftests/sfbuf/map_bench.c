// SPDX-License-Identifier: GPL-2.0
/*
 * Throughput of the kernel paths that map pages for a copy, the ones the
 * sf_buf series converts: pipes, vmsplice and splice, the brd RAM disk,
 * ptrace and /proc/PID/mem, and exec argument copying.  It runs on any
 * kernel, patched or not, so that the two can be compared with the same
 * program; perf and /proc/vmstat tell the rest (scripts/bench.sh).
 *
 * Usage: map_bench [-m MIB] [-d DEVICE] WORKLOAD
 *	  map_bench --help
 *
 * Prints one line: "map_bench WORKLOAD MB/s VALUE bytes N ns N".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
/* /proc/PID/mem offsets are addresses: above 2 GiB on 32-bit too */
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/fs.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MIB		(1024 * 1024UL)
#define HOT_SET		(1 * MIB)	/* well inside the 1024-entry cache */
#define STREAM_SET	(16 * MIB)	/* well outside it; at least half of it */
#define EXEC_ARGS	(256 * 1024UL)	/* argv + envp bytes per execve */
#define EXEC_SHORT_ENVS	2000	/* exec-short: 16-byte environment strings */

static unsigned long mib = 64;
static const char *device = "/dev/ram0";
static const char *tmpdir = "/tmp";

static void die(const char *what)
{
	fprintf(stderr, "map_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void *xmalloc_aligned(size_t size)
{
	void *p;

	if (posix_memalign(&p, 4096, size))
		die("posix_memalign");
	memset(p, 0x5a, size);
	return p;
}

static void write_all(int fd, const char *p, size_t n)
{
	ssize_t r;

	while (n) {
		r = write(fd, p, n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		p += r;
		n -= r;
	}
}

/* Read @total bytes from @fd in @chunk pieces, then exit: a child. */
static void drain(int fd, size_t total, size_t chunk)
{
	char *buf = xmalloc_aligned(chunk);
	ssize_t r;

	while (total) {
		r = read(fd, buf, chunk < total ? chunk : total);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			_exit(2);
		total -= r;
	}
	_exit(0);
}

static void wait_ok(pid_t pid, const char *what)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "map_bench: %s failed (status 0x%x)\n", what,
			status);
		exit(1);
	}
}

/*
 * A pipe with a child reading @total bytes from it in @chunk pieces;
 * returns the child and sets *wfd to the write end.
 */
static pid_t start_reader(int *wfd, size_t total, size_t chunk)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		close(p[1]);
		drain(p[0], total, chunk);
	}
	close(p[0]);
	*wfd = p[1];
	return pid;
}

/* Writer to reader through a pipe, @chunk bytes per write(). */
static uint64_t pipe_stream(size_t chunk)
{
	size_t total = mib * MIB, left;
	char *buf = xmalloc_aligned(chunk);
	uint64_t t0;
	int wfd;
	pid_t pid;

	pid = start_reader(&wfd, total, chunk);
	t0 = now_ns();
	for (left = total; left; left -= chunk)
		write_all(wfd, buf, chunk);
	close(wfd);
	wait_ok(pid, "pipe reader");
	return now_ns() - t0;
}

/* vmsplice() a user buffer into a pipe, read() it out on the other side. */
static uint64_t vmsplice_read(void)
{
	size_t chunk = 64 * 1024, total = mib * MIB, left;
	char *buf = xmalloc_aligned(chunk);
	struct iovec iov;
	uint64_t t0;
	ssize_t r;
	int wfd;
	pid_t pid;

	pid = start_reader(&wfd, total, chunk);
	t0 = now_ns();
	for (left = total; left; left -= r) {
		iov.iov_base = buf + (total - left) % chunk;
		iov.iov_len = chunk - (total - left) % chunk;
		r = vmsplice(wfd, &iov, 1, 0);
		if (r < 0)
			die("vmsplice");
	}
	close(wfd);
	wait_ok(pid, "vmsplice reader");
	return now_ns() - t0;
}

/* splice() a tmpfs file into a pipe and from the pipe into another file. */
static uint64_t splice_file(void)
{
	size_t chunk = 64 * 1024, size = 8 * MIB, total = mib * MIB, done;
	char src[256], dst[256], *buf = xmalloc_aligned(chunk);
	int in, out, p[2];
	loff_t off_in, off_out;
	uint64_t t0;
	ssize_t r, w;

	snprintf(src, sizeof(src), "%s/map_bench.src", tmpdir);
	snprintf(dst, sizeof(dst), "%s/map_bench.dst", tmpdir);
	in = open(src, O_RDWR | O_CREAT | O_TRUNC, 0600);
	out = open(dst, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (in < 0 || out < 0)
		die("open in the temporary directory");
	for (done = 0; done < size; done += chunk)
		write_all(in, buf, chunk);
	if (pipe(p))
		die("pipe");
	t0 = now_ns();
	for (done = 0; done < total; done += r) {
		off_in = done % size;
		off_out = done % size;
		r = splice(in, &off_in, p[1], NULL, chunk, 0);
		if (r <= 0)
			die("splice file to pipe");
		for (w = 0; w < r; ) {
			ssize_t n = splice(p[0], NULL, out, &off_out, r - w, 0);

			if (n <= 0)
				die("splice pipe to file");
			w += n;
		}
	}
	t0 = now_ns() - t0;
	unlink(src);
	unlink(dst);
	return t0;
}

static int open_device(unsigned long long *size)
{
	int fd = open(device, O_RDWR | O_DIRECT);

	if (fd < 0)
		die(device);
	if (ioctl(fd, BLKGETSIZE64, size))
		die("BLKGETSIZE64");
	if (*size < HOT_SET) {
		fprintf(stderr, "map_bench: %s is too small\n", device);
		exit(1);
	}
	return fd;
}

/* Sequential O_DIRECT I/O over the whole RAM disk, 1 MiB at a time. */
static uint64_t brd_seq(int writing)
{
	size_t chunk = MIB, done, total = mib * MIB;
	char *buf = xmalloc_aligned(chunk);
	unsigned long long size;
	int fd = open_device(&size);
	uint64_t t0;
	ssize_t r;

	size -= size % chunk;
	t0 = now_ns();
	for (done = 0; done < total; done += chunk) {
		if (writing)
			r = pwrite(fd, buf, chunk, done % size);
		else
			r = pread(fd, buf, chunk, done % size);
		if (r != (ssize_t)chunk)
			die(writing ? "pwrite" : "pread");
	}
	t0 = now_ns() - t0;
	close(fd);
	return t0;
}

/* The same 1 MiB read again and again: RAM disk and buffer pages repeat. */
static uint64_t brd_hot(void)
{
	size_t done, total = mib * MIB;
	char *buf = xmalloc_aligned(HOT_SET);
	unsigned long long size;
	int fd = open_device(&size);
	uint64_t t0;

	if (pwrite(fd, buf, HOT_SET, 0) != HOT_SET)
		die("pwrite");
	t0 = now_ns();
	for (done = 0; done < total; done += HOT_SET)
		if (pread(fd, buf, HOT_SET, 0) != HOT_SET)
			die("pread");
	t0 = now_ns() - t0;
	close(fd);
	return t0;
}

/* Pin to one CPU this process may run on: mappings may be per CPU. */
static void pin_to_one_cpu(void)
{
	cpu_set_t set, one;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		die("sched_getaffinity");
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &set); cpu++)
		;
	if (cpu == CPU_SETSIZE) {
		fprintf(stderr, "map_bench: no CPU to run on\n");
		exit(1);
	}
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		die("sched_setaffinity");
}

/*
 * brd-hot with a stream in between: after each timed read of the hot
 * 1 MiB, an untimed read of the next 1 MiB of a stream region (the 8 to
 * 16 MiB of the device after the hot one), 64 KiB at a time.  One
 * process on one CPU, so that the order is the same on every run: a
 * cache that lets the stream push the hot pages out maps them again each
 * round.  The time and the throughput are the hot reads'; the kernel's
 * counts include the stream's reads.
 */
static uint64_t brd_hot_stream(void)
{
	const size_t chunk = 64 * 1024;
	size_t done, total = mib * MIB, s, off = 0, region = STREAM_SET;
	char *buf = xmalloc_aligned(HOT_SET), *sbuf = xmalloc_aligned(chunk);
	unsigned long long size;
	int fd = open_device(&size);
	uint64_t t0, t = 0;

	if (size - HOT_SET < region)
		region = (size - HOT_SET) / MIB * MIB;
	if (region < STREAM_SET / 2) {
		fprintf(stderr, "map_bench: %s is too small for a %lu MiB stream\n",
			device, STREAM_SET / 2 / MIB);
		exit(1);
	}
	pin_to_one_cpu();
	/* Written once, so that the stream reads pages the disk has. */
	for (s = 0; s < HOT_SET + region; s += chunk)
		if (pwrite(fd, sbuf, chunk, s) != (ssize_t)chunk)
			die("pwrite");
	for (done = 0; done < total; done += HOT_SET) {
		t0 = now_ns();
		if (pread(fd, buf, HOT_SET, 0) != HOT_SET)
			die("pread");
		t += now_ns() - t0;
		for (s = 0; s < HOT_SET; s += chunk, off = (off + chunk) % region)
			if (pread(fd, sbuf, chunk, HOT_SET + off) != (ssize_t)chunk)
				die("pread of the stream");
	}
	close(fd);
	return t;
}

/* 4 KiB O_DIRECT reads at random places. */
static uint64_t brd_random(void)
{
	size_t done, total = mib * MIB / 16;
	char *buf = xmalloc_aligned(4096);
	unsigned long long size, blocks;
	uint64_t t0, x = 88172645463325252ULL;
	int fd = open_device(&size);

	blocks = size / 4096;
	t0 = now_ns();
	for (done = 0; done < total; done += 4096) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (pread(fd, buf, 4096, (x % blocks) * 4096) != 4096)
			die("pread");
	}
	t0 = now_ns() - t0;
	close(fd);
	return t0;
}

/* A child that stops at once, holding @size bytes of data to read. */
static pid_t tracee(size_t size, char **area)
{
	pid_t pid;

	*area = mmap(NULL, size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (*area == MAP_FAILED)
		die("mmap");
	memset(*area, 0x3c, size);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			_exit(1);
		raise(SIGSTOP);
		_exit(0);
	}
	if (waitpid(pid, NULL, WUNTRACED) != pid)
		die("waitpid");
	return pid;
}

static void tracee_end(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * PTRACE_PEEKDATA word by word, as a debugger's loop does: MIB/256 bytes
 * (256 KiB at the default -m 64) of the tracee's 1 MiB, each page read a
 * word at a time, so each page is mapped again a thousand times.
 */
static uint64_t ptrace_peek(void)
{
	size_t size = MIB, total = mib * MIB / 256, done, off;
	uint64_t t0;
	char *area;
	pid_t pid = tracee(size, &area);
	long word;

	t0 = now_ns();
	for (done = 0; done < total; done += sizeof(long)) {
		off = done % size;
		errno = 0;
		word = ptrace(PTRACE_PEEKDATA, pid, area + off, NULL);
		if (errno || word != *(long *)(area + off))
			die("PTRACE_PEEKDATA");
	}
	t0 = now_ns() - t0;
	tracee_end(pid);
	return t0;
}

/* pread() of /proc/PID/mem over the tracee's 8 MiB, 64 KiB at a time. */
static uint64_t proc_mem(void)
{
	size_t size = 8 * MIB, chunk = 64 * 1024, total = mib * MIB, done;
	char path[64], *area, *buf = xmalloc_aligned(chunk);
	pid_t pid = tracee(size, &area);
	uint64_t t0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	t0 = now_ns();
	for (done = 0; done < total; done += chunk)
		if (pread(fd, buf, chunk, (uintptr_t)area + done % size) !=
		    (ssize_t)chunk)
			die("pread /proc/PID/mem");
	t0 = now_ns() - t0;
	if (memcmp(buf, area, chunk))
		die("/proc/PID/mem gave the wrong data");
	close(fd);
	tracee_end(pid);
	return t0;
}

/* @n fork() + execve() of this program, which exits at once; the ns */
static uint64_t exec_n(const char *self, char **argv, char **envp, size_t n)
{
	uint64_t t0 = now_ns();
	pid_t pid;

	while (n--) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (!pid) {
			execve(self, argv, envp);
			_exit(127);
		}
		wait_ok(pid, "the exec'd child");
	}
	return now_ns() - t0;
}

/*
 * fork() + execve() of this program with 256 KiB of arguments and
 * environment in 2 KiB strings; bytes are the argument bytes copied.
 */
static uint64_t exec_loop(const char *self, size_t *bytes)
{
	static char *argv[66], *envp[66];
	size_t each = EXEC_ARGS / 128, n = mib * 4, i;
	char *s = malloc(each);

	if (!s)
		die("malloc");
	memset(s, 'a', each - 1);
	s[each - 1] = 0;
	argv[0] = (char *)self;
	argv[1] = "--exec-child";
	for (i = 2; i < 65; i++)
		argv[i] = s;
	for (i = 0; i < 64; i++)
		envp[i] = s;
	*bytes = n * (127 * each);
	return exec_n(self, argv, envp, n);
}

/*
 * The same with an environment of EXEC_SHORT_ENVS strings of 16 bytes
 * (a shell's many short variables): 256 strings to an argument page.
 */
static uint64_t exec_short(const char *self, size_t *bytes)
{
	char **envp = calloc(EXEC_SHORT_ENVS + 1, sizeof(*envp));
	char *s = malloc(EXEC_SHORT_ENVS * 16);
	size_t n = mib * 4, i;
	char *argv[3];

	if (!envp || !s)
		die("malloc");
	argv[0] = (char *)self;
	argv[1] = "--exec-child";
	argv[2] = NULL;
	for (i = 0; i < EXEC_SHORT_ENVS; i++) {
		envp[i] = s + i * 16;
		/* "E0000=abcdefghi": 15 characters and the NUL */
		snprintf(envp[i], 16, "E%04zu=abcdefghi", i);
	}
	*bytes = n * EXEC_SHORT_ENVS * 16;
	return exec_n(self, argv, envp, n);
}

static const char *const workloads[] = {
	"pipe-64k", "pipe-4k", "vmsplice", "splice-file", "brd-write",
	"brd-read", "brd-hot", "brd-hot-stream", "brd-random", "ptrace-peek",
	"proc-mem", "exec", "exec-short",
};

static void print_usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: map_bench [-m MIB] [-d DEVICE] [-t DIR] WORKLOAD\n"
		"  Moves MIB MiB (default 64; a sixteenth of it for brd-random, 1/256 for\n"
		"  ptrace-peek, 4 x MIB execs for exec and exec-short) through one kernel path and prints\n"
		"  \"map_bench WORKLOAD MB/s VALUE bytes N ns N\".  brd-hot-stream: MIB MiB of\n"
		"  hot reads, timed, each followed by an untimed 1 MiB of a stream over up to\n"
		"  16 MiB (at least 8) of the device.\n"
		"  -d DEVICE  RAM disk for the brd workloads (default /dev/ram0; its data is\n"
		"             overwritten)\n"
		"  -t DIR     directory for splice-file's two 8 MiB files (default /tmp)\n"
		"workloads:");
	for (i = 0; i < ARRAY_SIZE(workloads); i++)
		fprintf(f, " %s", workloads[i]);
	fprintf(f, "\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "exec-child", no_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 },
	};
	const char *w;
	size_t bytes;
	uint64_t ns;
	int c;

	while ((c = getopt_long(argc, argv, "m:d:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			mib = strtoul(optarg, NULL, 0);
			/* MIB * 2^20 bytes must fit a 32-bit size_t */
			if (!mib || mib > 2048) {
				fprintf(stderr, "map_bench: -m takes 1 to 2048\n");
				return 2;
			}
			break;
		case 'd':
			device = optarg;
			break;
		case 't':
			tmpdir = optarg;
			break;
		case 'x':
			return 0;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			print_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		print_usage(stderr);
		return 2;
	}
	w = argv[optind];
	bytes = mib * MIB;
	if (!strcmp(w, "pipe-64k")) {
		ns = pipe_stream(64 * 1024);
	} else if (!strcmp(w, "pipe-4k")) {
		ns = pipe_stream(4096);
	} else if (!strcmp(w, "vmsplice")) {
		ns = vmsplice_read();
	} else if (!strcmp(w, "splice-file")) {
		ns = splice_file();
	} else if (!strcmp(w, "brd-write")) {
		ns = brd_seq(1);
	} else if (!strcmp(w, "brd-read")) {
		ns = brd_seq(0);
	} else if (!strcmp(w, "brd-hot")) {
		ns = brd_hot();
		bytes = mib * MIB / HOT_SET * HOT_SET;
	} else if (!strcmp(w, "brd-hot-stream")) {
		ns = brd_hot_stream();
		bytes = mib * MIB / HOT_SET * HOT_SET;
	} else if (!strcmp(w, "brd-random")) {
		ns = brd_random();
		bytes = mib * MIB / 16;
	} else if (!strcmp(w, "ptrace-peek")) {
		ns = ptrace_peek();
		bytes = mib * MIB / 256;
	} else if (!strcmp(w, "proc-mem")) {
		ns = proc_mem();
	} else if (!strcmp(w, "exec")) {
		ns = exec_loop(argv[0][0] == '/' ? argv[0] : "/proc/self/exe",
			       &bytes);
	} else if (!strcmp(w, "exec-short")) {
		ns = exec_short(argv[0][0] == '/' ? argv[0] : "/proc/self/exe",
				&bytes);
	} else {
		fprintf(stderr, "map_bench: unknown workload '%s'\n", w);
		print_usage(stderr);
		return 2;
	}
	printf("map_bench %s MB/s %.2f bytes %zu ns %llu\n", w,
	       ns ? bytes * 1000.0 / ns : 0.0, bytes, (unsigned long long)ns);
	return 0;
}
