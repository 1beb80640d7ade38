// SPDX-License-Identifier: GPL-2.0
/*
 * Ask kmemleak whether the door code leaked anything in the door tests
 * that ran before this program in the same boot: callers interrupted in
 * every state, server threads exiting mid-call, revoked doors, dead
 * server processes.  Leaks elsewhere in the kernel are listed but do not
 * fail the test; a leaked object allocated under a door_* function does.
 *
 * Skips when the kernel has no kmemleak (CONFIG_DEBUG_KMEMLEAK).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define KMEMLEAK	"/sys/kernel/debug/kmemleak"
/* kmemleak ignores objects younger than five seconds */
#define MIN_AGE		6

static int kmemleak_cmd(const char *cmd)
{
	int fd = open(KMEMLEAK, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, cmd, strlen(cmd));
	close(fd);
	return n == (ssize_t)strlen(cmd) ? 0 : -1;
}

/* Print each report; count those with a door function in the trace. */
static int door_leaks(FILE *f)
{
	char line[512], block[8192];
	size_t used = 0;
	int leaks = 0, reports = 0;

	block[0] = '\0';
	for (;;) {
		char *got = fgets(line, sizeof(line), f);

		if (!got || !strncmp(line, "unreferenced object", 19)) {
			if (used) {
				reports++;
				if (strstr(block, "door")) {
					leaks++;
					printf("# door leak:\n%s", block);
				}
			}
			used = 0;
			block[0] = '\0';
			if (!got)
				break;
		}
		if (used + strlen(line) + 3 < sizeof(block))
			used += sprintf(block + used, "# %s", line);
	}
	printf("# kmemleak: %d unreferenced objects, %d from door code\n",
	       reports, leaks);
	return leaks;
}

int main(void)
{
	FILE *f;
	int leaks;

	printf("TAP version 13\n1..1\n");
	if (access(KMEMLEAK, F_OK) &&
	    mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL) &&
	    errno != EBUSY) {
		printf("ok 1 # SKIP no debugfs: %s\n", strerror(errno));
		return 4;
	}
	if (access(KMEMLEAK, F_OK)) {
		printf("ok 1 # SKIP no kmemleak in this kernel\n");
		return 4;
	}
	/* two scans MIN_AGE apart: the second sees the first's objects aged */
	sleep(MIN_AGE);
	if (kmemleak_cmd("scan")) {
		printf("not ok 1 door_kmemleak # writing scan: %s\n",
		       strerror(errno));
		return 1;
	}
	sleep(MIN_AGE);
	if (kmemleak_cmd("scan")) {
		printf("not ok 1 door_kmemleak # writing scan: %s\n",
		       strerror(errno));
		return 1;
	}
	f = fopen(KMEMLEAK, "r");
	if (!f) {
		printf("not ok 1 door_kmemleak # reading: %s\n",
		       strerror(errno));
		return 1;
	}
	leaks = door_leaks(f);
	fclose(f);
	printf("%s 1 door_kmemleak\n", leaks ? "not ok" : "ok");
	return leaks ? 1 : 0;
}
