// SPDX-License-Identifier: GPL-2.0
/*
 * What libdoor costs on top of the system call: null door calls from a
 * client process to a server process (libdoor's threads), through
 * door_call(3C) and through syscall(__NR_door_call) on the same door, in
 * alternating rounds of the same boot.  Prints each round's ns per call
 * and the median, least and largest ratio of the two.
 *
 * Usage: libdoor_bench [CALLS [ROUNDS]]	(default 2000 calls, 9 rounds)
 */
#include <door.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef __NR_door_call
#define __NR_door_call	501
#endif

/* struct door_arg of <linux/door.h>, whose tag Solaris' header has */
struct raw_door_arg {
	uint64_t data_ptr, data_size, desc_ptr;
	uint32_t desc_num, reserved;
	uint64_t rbuf, rsize;
};

static void p_null(void *cookie, char *argp, size_t size, door_desc_t *dp,
		   uint_t n)
{
	(void)cookie, (void)argp, (void)size, (void)dp, (void)n;
	door_return(NULL, 0, NULL, 0);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double run_lib(int fd, int calls)
{
	double t0 = now_ns();
	door_arg_t a;
	int i;

	for (i = 0; i < calls; i++) {
		memset(&a, 0, sizeof(a));
		if (door_call(fd, &a))
			return -1;
	}
	return (now_ns() - t0) / calls;
}

static double run_raw(int fd, int calls)
{
	struct raw_door_arg a;
	double t0 = now_ns();
	int i;

	for (i = 0; i < calls; i++) {
		memset(&a, 0, sizeof(a));
		if (syscall(__NR_door_call, fd, &a, 0))
			return -1;
	}
	return (now_ns() - t0) / calls;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int client(int fd, int calls, int rounds)
{
	double *ratio = calloc(rounds, sizeof(*ratio)), lib, raw;
	int r;

	if (!ratio)
		return 1;
	/* warm both paths, and the server's thread pool */
	if (run_raw(fd, calls / 10 + 1) < 0 || run_lib(fd, calls / 10 + 1) < 0)
		return 1;
	for (r = 0; r < rounds; r++) {
		/* alternate which goes first, so drift favours neither */
		if (r & 1) {
			lib = run_lib(fd, calls);
			raw = run_raw(fd, calls);
		} else {
			raw = run_raw(fd, calls);
			lib = run_lib(fd, calls);
		}
		if (lib < 0 || raw < 0) {
			perror("libdoor_bench: door_call");
			return 1;
		}
		ratio[r] = lib / raw;
		printf("round %d: raw %.0f ns, libdoor %.0f ns, ratio %.3f\n",
		       r + 1, raw, lib, ratio[r]);
	}
	qsort(ratio, rounds, sizeof(*ratio), cmp);
	printf("libdoor/raw null call: median %.3f (min %.3f, max %.3f)",
	       ratio[rounds / 2], ratio[0], ratio[rounds - 1]);
	printf(" over %d rounds of %d calls\n", rounds, calls);
	return 0;
}

int main(int argc, char **argv)
{
	int calls = argc > 1 ? atoi(argv[1]) : 2000;
	int rounds = argc > 2 ? atoi(argv[2]) : 9;
	int fd, status;
	pid_t pid;

	if (calls < 1 || rounds < 1) {
		fprintf(stderr, "usage: libdoor_bench [CALLS [ROUNDS]]\n");
		return 2;
	}
	fd = door_create(p_null, NULL, 0);
	if (fd < 0) {
		/* 4: skipped (an unpatched kernel has no doors) */
		perror("libdoor_bench: door_create");
		return 4;
	}
	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid) {
		int ret = client(fd, calls, rounds);

		fflush(stdout);		/* _exit() would lose it */
		_exit(ret);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 1;
	return WEXITSTATUS(status);
}
