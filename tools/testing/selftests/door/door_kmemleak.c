// SPDX-License-Identifier: GPL-2.0
/*
 * Whether the door tests that ran before this program in the same boot
 * (callers interrupted in every state, server threads exiting mid-call,
 * revoked doors, dead server processes, the fuzzer) left anything behind:
 *
 * 1. door objects: debugfs door/objects counts doors, pools and server
 *    threads alive, all 0 once every test process is gone;
 * 2. pins: no page pinned with FOLL_PIN that was not let go
 *    (nr_foll_pin_acquired == nr_foll_pin_released in /proc/vmstat);
 * 3. kmemleak: no unreferenced object allocated under a door_* function
 *    (leaks elsewhere in the kernel are listed but do not fail the test);
 *    skipped when the kernel has no kmemleak (CONFIG_DEBUG_KMEMLEAK).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "door_util.h"

#define KMEMLEAK	"/sys/kernel/debug/kmemleak"
#define OBJECTS		"/sys/kernel/debug/door/objects"
/* kmemleak ignores objects younger than five seconds */
#define MIN_AGE		6

static int kmemleak_cmd(const char *cmd)
{
	return du_write(KMEMLEAK, cmd);
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

/* Counts in door/objects that are not 0 (1 if none), printed if @print */
static int objects_left(bool print)
{
	char line[128];
	int bad = 0, lines = 0;
	FILE *f = fopen(OBJECTS, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *sp = strchr(line, ' ');

		lines++;
		if (print)
			printf("# %s", line);
		if (!sp || atol(sp + 1))
			bad++;
	}
	fclose(f);
	return lines ? bad : 1;
}

/* Test 1: every count in door/objects is 0. */
static int check_objects(void)
{
	int bad, ms;

	/*
	 * Objects outlive their last user a while: the unref work holds a
	 * door up to a second, the tests' processes may still be exiting.
	 */
	for (ms = 0; (bad = objects_left(false)) > 0 && ms < 5000; ms += 100)
		du_sleep_ms(100);
	if (bad < 0) {
		printf("ok 1 %s # SKIP no %s: %s\n", "objects", OBJECTS,
		       strerror(errno));
		return 4;
	}
	bad = objects_left(true);
	printf("%s 1 %s\n", bad ? "not ok" : "ok", "objects");
	return bad != 0;
}

/* Test 2: no page stays pinned (other pins in an idle guest are brief). */
static int check_pins(void)
{
	long long held = du_pins_held();

	printf("# pages pinned and not released: %lld\n", held);
	printf("%s 2 %s\n", held ? "not ok" : "ok", "pins");
	return held != 0;
}

int main(void)
{
	int fails = 0, leaks;
	FILE *f;

	printf("TAP version 13\n1..3\n");
	if (access(KMEMLEAK, F_OK) && access(OBJECTS, F_OK) &&
	    mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL) &&
	    errno != EBUSY)
		printf("# no debugfs: %s\n", strerror(errno));
	fails += check_objects() == 1;
	fails += check_pins();
	if (access(KMEMLEAK, F_OK)) {
		printf("ok 3 kmemleak # SKIP no kmemleak in this kernel\n");
		return fails ? 1 : 0;
	}
	/* two scans MIN_AGE apart: the second sees the first's objects aged */
	sleep(MIN_AGE);
	if (kmemleak_cmd("scan")) {
		printf("not ok 3 kmemleak # writing scan: %s\n",
		       strerror(errno));
		return 1;
	}
	sleep(MIN_AGE);
	if (kmemleak_cmd("scan")) {
		printf("not ok 3 kmemleak # writing scan: %s\n",
		       strerror(errno));
		return 1;
	}
	f = fopen(KMEMLEAK, "r");
	if (!f) {
		printf("not ok 3 kmemleak # reading: %s\n", strerror(errno));
		return 1;
	}
	leaks = door_leaks(f);
	fclose(f);
	printf("%s 3 kmemleak\n", leaks ? "not ok" : "ok");
	return leaks || fails ? 1 : 0;
}
