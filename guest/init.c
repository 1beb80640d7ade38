// SPDX-License-Identifier: GPL-2.0
/*
 * init for the test VMs: mount the pseudo file systems, run every program
 * named in /tests/list with a time limit, report each one's exit status on
 * the console, and reboot (qemu runs with -no-reboot, so that ends it).
 *
 * Output markers, read by scripts/vm.sh:
 *   sfdoor-test: BEGIN <name>
 *   sfdoor-test: END <name> <exit status | signal N | timeout>
 *   sfdoor-test: DONE
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TEST_TIMEOUT_DEFAULT 600

static void mount_fs(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, NULL) && errno != EBUSY)
		printf("sfdoor-init: mount %s on %s: %s\n", type, dir,
		       strerror(errno));
}

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

static void run_test(char *line, int timeout)
{
	char *argv[32];
	int argc = 0, status;
	char *tok, *save;
	pid_t pid, w;

	for (tok = strtok_r(line, " \t\n", &save); tok && argc < 31;
	     tok = strtok_r(NULL, " \t\n", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	if (!argc || argv[0][0] == '#')
		return;

	printf("sfdoor-test: BEGIN %s\n", argv[0]);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char path[256];

		/* Each test leads its own process group, so a timeout
		 * kills its children as well.
		 */
		setpgid(0, 0);
		snprintf(path, sizeof(path), "/tests/%s", argv[0]);
		/* Some tests re-execute argv[0]: give them a usable path. */
		argv[0] = path;
		chdir("/tmp");
		execv(path, argv);
		printf("sfdoor-init: exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		printf("sfdoor-test: END %s fork-failed\n", argv[0]);
		return;
	}
	timed_out = 0;
	alarm(timeout);
	for (;;) {
		w = waitpid(pid, &status, 0);
		if (w == pid)
			break;
		if (w < 0 && errno == EINTR && timed_out) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
	}
	alarm(0);
	/* Reap whatever the test left behind in its group. */
	kill(-pid, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	if (timed_out)
		printf("sfdoor-test: END %s timeout\n", argv[0]);
	else if (WIFEXITED(status))
		printf("sfdoor-test: END %s %d\n", argv[0], WEXITSTATUS(status));
	else
		printf("sfdoor-test: END %s signal %d\n", argv[0],
		       WTERMSIG(status));
	fflush(stdout);
}

/* Print the lines of a "key value" file whose key starts with a prefix. */
static void show(const char *path, const char *prefix)
{
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, prefix, strlen(prefix)))
			printf("sfdoor-show: %s", line);
	fclose(f);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	int timeout = TEST_TIMEOUT_DEFAULT;
	char line[512];
	FILE *list;
	int fd;

	mount_fs("devtmpfs", "/dev", "devtmpfs");
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	mount_fs("proc", "/proc", "proc");
	mount_fs("sysfs", "/sys", "sysfs");
	mount_fs("debugfs", "/sys/kernel/debug", "debugfs");
	mount_fs("tmpfs", "/tmp", "tmpfs");
	sigaction(SIGALRM, &sa, NULL);

	list = fopen("/tests/list", "r");
	if (!list) {
		printf("sfdoor-init: no /tests/list: %s\n", strerror(errno));
	} else {
		while (fgets(line, sizeof(line), list)) {
			if (sscanf(line, "timeout %d", &timeout) == 1)
				continue;
			run_test(line, timeout);
		}
		fclose(list);
	}
	show("/proc/version", "");
	show("/proc/meminfo", "HighTotal");
	show("/proc/vmstat", "sfbuf_");
	printf("sfdoor-test: DONE\n");
	fflush(stdout);
	sync();
	reboot(RB_AUTOBOOT);
	return 0;
}
