// SPDX-License-Identifier: GPL-2.0
/*
 * Door ids across namespaces, as the uapi header promises: door_ucred()
 * gives the caller's process id in the server's pid namespace, -1 if it
 * has none there, and its ids in the server's user namespace (the
 * overflow id, 65534, for one with no mapping); door_info() gives the
 * server's process id in the caller's pid namespace.
 *
 * The server runs in a child process in new namespaces (unshare()) and
 * passes its door over a Unix socket; it replies to each call with what
 * door_ucred() told it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include "../kselftest_harness.h"
#include "door_util.h"

/* The server's reply: its door_ucred() and its own view of the door. */
struct seen {
	struct door_ucred uc;
	int ucred_ret;
	__s32 own_target;		/* door_info() of its door, by itself */
	pid_t own_pid;			/* getpid() in its namespace */
};

static int door_fd;

static void ucred_hook(struct du_server *s, struct door_return_args *ra)
{
	static struct seen seen;
	struct door_info info;

	memset(&seen, 0, sizeof(seen));
	seen.ucred_ret = door_ucred(&seen.uc);
	if (!door_info(door_fd, &info))
		seen.own_target = info.target;
	seen.own_pid = getpid();
	(void)s;
	ra->result_ptr = u64_of(&seen);
	ra->result_size = sizeof(seen);
}

static int write_map(pid_t pid, const char *file, const char *map)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	return du_write(path, map);
}

/*
 * A server in new namespaces (@flags for unshare()); for a new pid
 * namespace the door's process is the namespace's first one, pid 1.
 * Returns its door (in this process) and its pid here.
 */
static int spawn_server(int flags, pid_t *server)
{
	int sv[2], go[2], pp[2], fd;
	pid_t pid;
	char c;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || pipe(go) || pipe(pp))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		static struct du_server s = { .hook = ucred_hook };

		if (unshare(flags))
			_exit(1);
		/* the parent writes the id maps of a new user namespace */
		if (write(sv[1], "u", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		if ((flags & CLONE_NEWPID)) {
			pid_t inner = fork();

			if (inner < 0)
				_exit(1);
			if (inner) {
				/* pass the grandchild's pid on, then wait */
				if (write(pp[1], &inner, sizeof(inner)) !=
				    sizeof(inner))
					_exit(1);
				waitpid(inner, NULL, 0);
				_exit(0);
			}
		}
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		door_fd = door_create(1, 2, 0);
		if (door_fd < 0 || du_server_start(&s, 256) ||
		    du_send_fd(sv[1], door_fd))
			_exit(1);
		pause();
		_exit(0);
	}
	if (read(sv[0], &c, 1) != 1)
		return -1;
	if (flags & CLONE_NEWUSER) {
		/* uid/gid 1000 outside is root inside; root outside unmapped */
		if (write_map(pid, "setgroups", "deny") ||
		    write_map(pid, "uid_map", "0 1000 1") ||
		    write_map(pid, "gid_map", "0 1000 1"))
			return -1;
	}
	if (write(go[1], "g", 1) != 1)
		return -1;
	*server = pid;
	if (flags & CLONE_NEWPID) {
		if (read(pp[0], server, sizeof(*server)) != sizeof(*server))
			return -1;
	}
	fd = du_recv_fd(sv[0]);
	close(sv[0]);
	close(sv[1]);
	close(go[0]);
	close(go[1]);
	close(pp[0]);
	close(pp[1]);
	return fd;
}

static int call_seen(int fd, struct seen *seen)
{
	struct door_arg a;
	char one = 1;

	if (du_call(fd, &one, 1, seen, sizeof(*seen), &a))
		return -1;
	return a.data_size == sizeof(*seen) ? 0 : -1;
}

/*
 * A server in a new pid namespace: its callers outside have no pid there
 * (-1); the server is pid 1 in it but its own pid as the caller sees it.
 */
TEST(pid_namespace)
{
	struct door_info info;
	struct seen seen;
	pid_t server;
	int fd;

	if (geteuid())
		SKIP(return, "needs root for a pid namespace");
	fd = spawn_server(CLONE_NEWPID, &server);
	if (fd < 0)
		SKIP(return, "no pid namespace: %s", strerror(errno));
	ASSERT_EQ(0, call_seen(fd, &seen));
	EXPECT_EQ(0, seen.ucred_ret);
	EXPECT_EQ(-1, seen.uc.pid) TH_LOG("pid of a caller the server cannot see");
	EXPECT_EQ(1, seen.own_pid);
	EXPECT_EQ(1, seen.own_target);
	ASSERT_EQ(0, door_info(fd, &info));
	EXPECT_EQ(server, info.target);
	kill(server, SIGKILL);
	close(fd);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/*
 * A server in a new user namespace where uid 1000 of outside is its
 * root: a root caller, unmapped there, reads as 65534; a caller of uid
 * 1000 as 0.
 */
TEST(user_namespace)
{
	struct seen seen;
	pid_t server, pid;
	int fd, status;

	if (geteuid())
		SKIP(return, "needs root to change user");
	fd = spawn_server(CLONE_NEWUSER, &server);
	if (fd < 0)
		SKIP(return, "no user namespace: %s", strerror(errno));
	ASSERT_EQ(0, call_seen(fd, &seen));
	EXPECT_EQ(0, seen.ucred_ret);
	EXPECT_EQ(65534U, seen.uc.uid);
	EXPECT_EQ(65534U, seen.uc.euid);
	EXPECT_EQ(65534U, seen.uc.gid);
	EXPECT_EQ(getpid(), seen.uc.pid);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(2);
		if (call_seen(fd, &seen))
			_exit(3);
		_exit(seen.uc.uid == 0 && seen.uc.euid == 0 &&
		      seen.uc.egid == 0 ? 0 : 4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("uid 1000 is not root inside");
	kill(server, SIGKILL);
	waitpid(server, NULL, 0);
	close(fd);
}

TEST_HARNESS_MAIN
