// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * lookup - a small name-lookup service over a named door, written only
 * against Solaris' <door.h>: it builds the same way on Solaris and, with
 * libdoor, on Linux:
 *
 *	cc lookup.c -o lookup $(pkg-config --cflags --libs libdoor)
 *
 * Usage:
 *	lookup serve PATH	serve the table below at PATH (a door name)
 *	lookup query PATH KEY	print the value of KEY, exit 1 if none
 *	lookup demo DIR		mount doorfs at DIR, serve, query from a
 *				child of another user, print TAP (as root)
 */
#include <door.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const table[][2] = {
	{ "localhost", "127.0.0.1" },
	{ "gateway", "10.0.2.2" },
	{ "resolver", "10.0.2.3" },
};

/*
 * The server procedure: the argument is a key, the result its value, or
 * nothing.  It ends with door_return(), which does not return.
 */
static void lookup_proc(void *cookie, char *argp, size_t arg_size,
			door_desc_t *dp, uint_t n_desc)
{
	const char *value = NULL;
	ucred_t *uc = NULL;
	size_t i;

	(void)cookie, (void)dp, (void)n_desc;
	if (door_ucred(&uc) == 0) {
		fprintf(stderr, "query from pid %d, uid %d\n",
			(int)ucred_getpid(uc), (int)ucred_geteuid(uc));
		ucred_free(uc);
	}
	for (i = 0; i < ARRAY_SIZE(table); i++)
		if (strlen(table[i][0]) == arg_size &&
		    !memcmp(table[i][0], argp, arg_size))
			value = table[i][1];
	door_return((char *)value, value ? strlen(value) : 0, NULL, 0);
}

static int serve(const char *path)
{
	int fd = door_create(lookup_proc, NULL, DOOR_REFUSE_DESC);

	if (fd < 0) {
		perror("lookup: door_create");
		return 1;
	}
	if (fattach(fd, path)) {
		perror("lookup: fattach");
		return 1;
	}
	/* the library's threads serve; this one has nothing to do */
	for (;;)
		pause();
}

/* Print the value of @key; 0 if found, 1 if not, 2 on failure. */
static int query(const char *path, const char *key)
{
	char buf[256];
	door_arg_t arg;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		perror("lookup: open");
		return 2;
	}
	arg.data_ptr = (char *)key;
	arg.data_size = strlen(key);
	arg.desc_ptr = NULL;
	arg.desc_num = 0;
	arg.rbuf = buf;
	arg.rsize = sizeof(buf) - 1;
	if (door_call(fd, &arg)) {
		perror("lookup: door_call");
		return 2;
	}
	close(fd);
	if (!arg.data_size)
		return 1;
	printf("%.*s\n", (int)arg.data_size, arg.data_ptr);
	/* results that did not fit came in a mapping of their own */
	if (arg.rbuf != buf)
		munmap(arg.rbuf, arg.rsize);
	return 0;
}

static int wait_exit(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* How many 10 ms naps the demo waits for the server's name: 20 s */
#define NAME_NAPS	2000

/* As root: the whole thing, as a test. */
static int demo(const char *dir)
{
	char path[256];
	pid_t server, client;
	int i, bad = 0;

	snprintf(path, sizeof(path), "%s/lookup", dir);
	printf("TAP version 13\n1..3\n");
	mkdir(dir, 0755);
	if (mount("doorfs", dir, "doorfs", 0, "mode=1777")) {
		printf("not ok 1 mount doorfs: %s\n", strerror(errno));
		return 1;
	}
	server = fork();
	if (!server)
		_exit(serve(path));
	for (i = 0; i < NAME_NAPS && access(path, F_OK); i++)
		usleep(10000);
	printf("%sok 1 the server named its door\n",
	       i < NAME_NAPS ? "" : "not ");
	bad += i == NAME_NAPS;

	/* another user, with nothing but the path */
	client = fork();
	if (!client) {
		if (setgid(65534) || setuid(65534))
			_exit(3);
		_exit(query(path, "gateway") == 0 &&
		      query(path, "nowhere") == 1 ? 0 : 1);
	}
	i = wait_exit(client);
	printf("%sok 2 another user looked names up\n", i ? "not " : "");
	bad += !!i;

	kill(server, SIGTERM);
	wait_exit(server);
	i = unlink(path);
	printf("%sok 3 the name went with unlink\n", i ? "not " : "");
	bad += !!i;
	umount2(dir, MNT_DETACH);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "serve"))
		return serve(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "query"))
		return query(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "demo"))
		return demo(argv[2]);
	fprintf(stderr, "usage: lookup serve PATH | query PATH KEY | demo DIR\n");
	return 2;
}
