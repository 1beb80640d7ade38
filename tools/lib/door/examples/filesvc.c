// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * filesvc - a small file service over a private door, written only
 * against Solaris' <door.h> and <ucred.h>: it builds the same way on
 * Solaris and, with libdoor, on Linux:
 *
 *	cc filesvc.c -o filesvc $(pkg-config --cflags --libs libdoor)
 *
 * The server makes its door with door_xcreate(), starting its own
 * threads, and asks to be told when nobody else refers to the door
 * (DOOR_UNREF).  A client may hand it a descriptor to write a greeting
 * into, fetch a file the server opens for it (a descriptor in the
 * results), and ask the server who it is (door_ucred()).
 *
 * Usage:
 *	filesvc demo	serve, call from a child of another user that
 *			inherits the door, print TAP (as root)
 */
#include <door.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <ucred.h>
#include <unistd.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* the requests */
#define FS_GREET	1	/* write a greeting into the descriptor */
#define FS_FETCH	2	/* return a descriptor of the file */
#define FS_WHOAMI	3	/* say whom the server takes the caller for */

#define FS_NAME		"client"
#define FS_GREETING	"hello, " FS_NAME "\n"
#define FS_CONTENT	"the file the server opened for you\n"
#define FS_MAX_GROUPS	32
#define FS_MAX_THREADS	4	/* at creation and on depletion */
#define FS_STACK_SIZE	(256 * 1024)

/* whom the demo's client becomes */
#define FS_UID		1000
#define FS_GID		1000
#define FS_GROUP1	1001
#define FS_GROUP2	1002

/* how long any wait of the demo's lasts at most */
#define FS_WAIT_MS	20000
#define FS_CHILD_SECS	20	/* the client's alarm() */
#define FS_DEMO_SECS	60	/* the demo's */

struct fs_req {
	int op;
	char name[32];
};

struct fs_reply {
	int err;		/* 0, or an errno value */
	uid_t euid;		/* FS_WHOAMI's */
	gid_t egid;
	int ngroups;
	gid_t groups[FS_MAX_GROUPS];
};

/* The server's state: the door's cookie and crcookie */
struct fs_server {
	pthread_mutex_t lock;
	pthread_cond_t cond;	/* signalled when an unref notification came */
	int created;		/* threads the creation function made */
	int setups;		/* setup function calls */
	door_attr_t cr_attr;	/* what the first creation call was told */
	door_id_t cr_id;
	int calls;		/* calls served */
	int errors;		/* of those, the ones that failed */
	int unrefs;		/* unreferenced notifications */
	int unref_bad;		/* of those, with arguments */
	int greet_fdflags;	/* F_GETFD of the descriptor FS_GREET got */
	int fetch_fd;		/* the descriptor FS_FETCH returned */
};

/* Results leave in door_return(): each thread has its own buffer */
static __thread struct fs_reply fs_out;

/*
 * Attributes for a thread on a stack of its own, filled with 0xa5 bytes
 * as if used before: the door_desc_t entries filled field by field on it
 * hold garbage in the rest of d_data, as they do in any program, and
 * must go through all the same.  0, with *@stackp to munmap() once the
 * thread is gone; or -1.
 */
static int fs_stack_attr(pthread_attr_t *attr, void **stackp)
{
	void *stack;
	int err;

	stack = mmap(NULL, FS_STACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stack == MAP_FAILED)
		return -1;
	memset(stack, 0xa5, FS_STACK_SIZE);
	err = pthread_attr_init(attr);
	if (!err) {
		err = pthread_attr_setstack(attr, stack, FS_STACK_SIZE);
		if (!err) {
			*stackp = stack;
			return 0;
		}
		pthread_attr_destroy(attr);
	}
	munmap(stack, FS_STACK_SIZE);
	errno = err;
	return -1;
}

static void close_descs(door_desc_t *dp, uint_t n_desc)
{
	for (; n_desc; n_desc--, dp++)
		if (dp->d_attributes & DOOR_DESCRIPTOR)
			close(dp->d_data.d_desc.d_descriptor);
}

/* FS_GREET: write the greeting into the one descriptor passed */
static int fs_greet(struct fs_server *s, const struct fs_req *req,
		    door_desc_t *dp, uint_t n_desc)
{
	char msg[64];
	ssize_t n;
	int fd, len;

	if (n_desc != 1 || !(dp->d_attributes & DOOR_DESCRIPTOR)) {
		errno = EINVAL;
		return -1;
	}
	fd = dp->d_data.d_desc.d_descriptor;
	pthread_mutex_lock(&s->lock);
	s->greet_fdflags = fcntl(fd, F_GETFD);
	pthread_mutex_unlock(&s->lock);
	len = snprintf(msg, sizeof(msg), "hello, %s\n", req->name);
	n = write(fd, msg, len);
	if (n < 0)
		return -1;
	if (n != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* FS_FETCH: a file of ours, unlinked, to hand out */
static int fs_fetch(struct fs_server *s, int *fdp)
{
	char path[] = "/tmp/filesvc.XXXXXX";
	size_t len = strlen(FS_CONTENT);
	ssize_t n;
	int fd, err;

	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	unlink(path);
	n = write(fd, FS_CONTENT, len);
	if (n != (ssize_t)len || lseek(fd, 0, SEEK_SET)) {
		err = n < 0 || n == (ssize_t)len ? errno : EIO;
		close(fd);
		errno = err;
		return -1;
	}
	pthread_mutex_lock(&s->lock);
	s->fetch_fd = fd;
	pthread_mutex_unlock(&s->lock);
	*fdp = fd;
	return 0;
}

/* FS_WHOAMI: the caller's effective ids and groups, as the door saw them */
static int fs_whoami(struct fs_reply *r)
{
	const gid_t *groups;
	ucred_t *uc = NULL;
	int n, err = 0;

	if (door_ucred(&uc))
		return -1;
	r->euid = ucred_geteuid(uc);
	r->egid = ucred_getegid(uc);
	n = ucred_getgroups(uc, &groups);
	if (n < 0) {
		err = errno;
	} else if (n > FS_MAX_GROUPS) {
		err = E2BIG;
	} else {
		r->ngroups = n;
		memcpy(r->groups, groups, n * sizeof(*groups));
	}
	ucred_free(uc);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/*
 * Send @r, and @fd (closed once passed) unless it is -1; the descriptor
 * entry is filled field by field.  Returns only if the results could not
 * go.
 */
static void fs_return(struct fs_server *s, struct fs_reply *r, int fd)
{
	door_desc_t d;

	if (fd < 0) {
		door_return((char *)r, sizeof(*r), NULL, 0);
	} else {
		d.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
		d.d_data.d_desc.d_descriptor = fd;
		door_return((char *)r, sizeof(*r), &d, 1);
	}
	fprintf(stderr, "filesvc: door_return: %s\n", strerror(errno));
	pthread_mutex_lock(&s->lock);
	s->errors++;
	pthread_mutex_unlock(&s->lock);
	/* the caller gets no results, but gets out */
	door_return(NULL, 0, NULL, 0);
}

/* Nobody but us refers to the door any more */
static void fs_unref(struct fs_server *s, size_t arg_size, door_desc_t *dp,
		     uint_t n_desc)
{
	pthread_mutex_lock(&s->lock);
	s->unrefs++;
	s->unref_bad += arg_size || dp || n_desc;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

/* The server procedure; it ends with door_return(), which does not return */
static void fs_proc(void *cookie, char *argp, size_t arg_size,
		    door_desc_t *dp, uint_t n_desc)
{
	struct fs_server *s = cookie;
	struct fs_reply *r = &fs_out;
	struct fs_req req;
	int fd = -1, ret;

	if (argp == DOOR_UNREF_DATA) {
		fs_unref(s, arg_size, dp, n_desc);
		door_return(NULL, 0, NULL, 0);
		return;
	}
	memset(r, 0, sizeof(*r));
	if (arg_size != sizeof(req)) {
		r->err = EINVAL;
		goto out;
	}
	/* the argument may sit anywhere: copy it to read its fields */
	memcpy(&req, argp, sizeof(req));
	req.name[sizeof(req.name) - 1] = '\0';
	switch (req.op) {
	case FS_GREET:
		ret = fs_greet(s, &req, dp, n_desc);
		break;
	case FS_FETCH:
		ret = fs_fetch(s, &fd);
		break;
	case FS_WHOAMI:
		ret = fs_whoami(r);
		break;
	default:
		ret = -1;
		errno = EINVAL;
		break;
	}
	if (ret)
		r->err = errno;
out:
	/* what we were given is ours to close, used or not */
	close_descs(dp, n_desc);
	pthread_mutex_lock(&s->lock);
	s->calls++;
	s->errors += !!r->err;
	pthread_mutex_unlock(&s->lock);
	if (r->err)
		fprintf(stderr, "filesvc: request %d: %s\n",
			arg_size == sizeof(req) ? req.op : -1,
			strerror(r->err));
	fs_return(s, r, fd);
}

/*
 * The door's own creation function: a detached thread that runs
 * @startf, at creation and on depletion, up to FS_MAX_THREADS, each on
 * a stack of ours.  They serve as long as the process lives, and their
 * stacks stay as long.
 */
static int fs_create(door_info_t *info, void *(*startf)(void *),
		     void *startfarg, void *crcookie)
{
	struct fs_server *s = crcookie;
	pthread_attr_t attr;
	pthread_t tid;
	void *stack;
	int ret = -1;

	pthread_mutex_lock(&s->lock);
	if (!s->created) {
		s->cr_attr = info->di_attributes;
		s->cr_id = info->di_uniquifier;
	}
	if (s->created >= FS_MAX_THREADS) {
		pthread_mutex_unlock(&s->lock);
		return 0;
	}
	if (!fs_stack_attr(&attr, &stack)) {
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (!pthread_create(&tid, &attr, startf, startfarg)) {
			s->created++;
			ret = 1;
		} else {
			munmap(stack, FS_STACK_SIZE);
		}
		pthread_attr_destroy(&attr);
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

/* Each new server thread's first act: no cancellation, and count it */
static void fs_setup(void *crcookie)
{
	struct fs_server *s = crcookie;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	pthread_mutex_lock(&s->lock);
	s->setups++;
	pthread_mutex_unlock(&s->lock);
}

/*
 * Read @fd until end of file into @buf, at most @size bytes; the number
 * read, or -1 on failure or when nothing came for FS_WAIT_MS.
 */
static ssize_t read_all(int fd, char *buf, size_t size)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t n;

	while (got < size) {
		if (poll(&pfd, 1, FS_WAIT_MS) != 1)
			return -1;
		n = read(fd, buf + got, size - got);
		if (n < 0 && errno != EINTR)
			return -1;
		if (n == 0)
			break;
		if (n > 0)
			got += n;
	}
	return got;
}

/* Whether @a and @b hold the same groups, in any order */
static int same_groups(const gid_t *a, int na, const gid_t *b, int nb)
{
	int i, j;

	for (i = 0; i < na; i++) {
		for (j = 0; j < nb && b[j] != a[i]; j++)
			;
		if (j == nb)
			return 0;
	}
	for (j = 0; j < nb; j++) {
		for (i = 0; i < na && a[i] != b[j]; i++)
			;
		if (i == na)
			return 0;
	}
	return 1;
}

/*
 * Ask the door @d for @op, passing @n_desc entries of @dp: the reply in
 * *@r, the descriptor that came with it in *@fdp (-1 if none).  0, or
 * -1 if the call failed or its results are not a reply.
 */
static int fs_call(int d, int op, door_desc_t *dp, uint_t n_desc,
		   struct fs_reply *r, int *fdp)
{
	union {
		struct fs_reply reply;
		long long align;
		char b[1024];
	} buf;
	struct fs_req req;
	door_arg_t arg;
	door_desc_t *rd;
	uint_t i;
	int ret = -1;

	memset(&req, 0, sizeof(req));
	req.op = op;
	snprintf(req.name, sizeof(req.name), "%s", FS_NAME);
	arg.data_ptr = (char *)&req;
	arg.data_size = sizeof(req);
	arg.desc_ptr = dp;
	arg.desc_num = n_desc;
	arg.rbuf = buf.b;
	arg.rsize = sizeof(buf);
	*fdp = -1;
	if (door_call(d, &arg)) {
		printf("# door_call(%d): %s\n", op, strerror(errno));
		return -1;
	}
	if (arg.data_size == sizeof(*r)) {
		memcpy(r, arg.data_ptr, sizeof(*r));
		ret = 0;
	} else {
		printf("# request %d: %zu bytes of results\n", op,
		       arg.data_size);
	}
	for (i = 0, rd = arg.desc_ptr; i < arg.desc_num; i++, rd++) {
		if (!(rd->d_attributes & DOOR_DESCRIPTOR))
			continue;
		if (*fdp < 0)
			*fdp = rd->d_data.d_desc.d_descriptor;
		else
			close(rd->d_data.d_desc.d_descriptor);
	}
	/* results that did not fit came in a mapping of their own */
	if (arg.rbuf != buf.b)
		munmap(arg.rbuf, arg.rsize);
	return ret;
}

/* The client's checks, in the order the demo reports them */
enum {
	C_IDS,
	C_INFO,
	C_GREET,
	C_FETCH,
	C_CLOEXEC,
	C_EIDS,
	C_GROUPS,
	C_NR
};

static const char *const client_checks[C_NR] = {
	[C_IDS] = "the client became uid 1000, gid 1000, groups 1001 1002",
	[C_INFO] = "the client's door_info(): the server's door, not local",
	[C_GREET] = "the server wrote into the descriptor the client passed",
	[C_FETCH] = "the client read the file the server returned",
	[C_CLOEXEC] = "the descriptor received is not close-on-exec",
	[C_EIDS] = "door_ucred(): the server saw the client's euid and egid",
	[C_GROUPS] = "door_ucred(): the server saw the client's groups",
};

static const gid_t fs_groups[] = { FS_GROUP1, FS_GROUP2 };

struct fs_client {
	int d;			/* the door */
	unsigned char *ok;	/* which checks passed */
};

/*
 * The client's calls, in a thread of their own, on a stack that
 * fs_stack_attr() left dirty.
 */
static void *fs_client_calls(void *arg)
{
	struct fs_client *c = arg;
	unsigned char *ok = c->ok;
	door_desc_t desc;
	struct fs_reply r;
	struct stat st;
	char buf[256];
	int p[2], fd, ret;
	ssize_t len;

	/*
	 * (a): a descriptor to the server, which writes into it.  The entry
	 * is filled field by field, and first thing in the thread: its
	 * d_id and the rest of d_data hold what the stack held.
	 */
	if (!pipe(p)) {
		desc.d_attributes = DOOR_DESCRIPTOR;
		desc.d_data.d_desc.d_descriptor = p[1];
		ret = fs_call(c->d, FS_GREET, &desc, 1, &r, &fd);
		if (fd >= 0)
			close(fd);
		/* end of file once the server has closed its copy */
		close(p[1]);
		len = read_all(p[0], buf, sizeof(buf));
		close(p[0]);
		ok[C_GREET] = !ret && !r.err &&
			      len == (ssize_t)strlen(FS_GREETING) &&
			      !memcmp(buf, FS_GREETING, len);
	}

	/* (b): a descriptor from the server */
	if (!fs_call(c->d, FS_FETCH, NULL, 0, &r, &fd) && !r.err && fd >= 0) {
		ok[C_CLOEXEC] = fcntl(fd, F_GETFD) == 0;
		len = read_all(fd, buf, sizeof(buf));
		ok[C_FETCH] = !fstat(fd, &st) && S_ISREG(st.st_mode) &&
			      len == (ssize_t)strlen(FS_CONTENT) &&
			      !memcmp(buf, FS_CONTENT, len);
	}
	if (fd >= 0)
		close(fd);

	/* (c): who am I? */
	if (!fs_call(c->d, FS_WHOAMI, NULL, 0, &r, &fd) && !r.err) {
		ok[C_EIDS] = r.euid == FS_UID && r.egid == FS_GID;
		ok[C_GROUPS] = r.ngroups >= 0 && r.ngroups <= FS_MAX_GROUPS &&
			       same_groups(r.groups, r.ngroups, fs_groups,
					   ARRAY_SIZE(fs_groups));
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

/*
 * The client: another user, with the door @d it inherited from @server.
 * Records in @ok which checks passed; 0 if all did.
 */
static int client(int d, pid_t server, unsigned char *ok)
{
	struct fs_client c = { .d = d, .ok = ok };
	gid_t mine[FS_MAX_GROUPS];
	pthread_attr_t attr;
	door_info_t di;
	pthread_t tid;
	void *stack;
	int n, i, bad = 0;

	alarm(FS_CHILD_SECS);
	if (setgroups(ARRAY_SIZE(fs_groups), fs_groups) || setgid(FS_GID) ||
	    setuid(FS_UID))
		printf("# dropping privileges: %s\n", strerror(errno));
	n = getgroups(ARRAY_SIZE(mine), mine);
	ok[C_IDS] = getuid() == FS_UID && geteuid() == FS_UID &&
		    getgid() == FS_GID && getegid() == FS_GID && n >= 0 &&
		    same_groups(mine, n, fs_groups, ARRAY_SIZE(fs_groups));

	ok[C_INFO] = !door_info(d, &di) && di.di_target == server &&
		     (di.di_attributes & DOOR_PRIVATE) &&
		     (di.di_attributes & DOOR_UNREF) &&
		     !(di.di_attributes & (DOOR_LOCAL | DOOR_IS_UNREF |
					   DOOR_REVOKED));

	if (fs_stack_attr(&attr, &stack)) {
		printf("# no stack for the calls: %s\n", strerror(errno));
	} else {
		n = pthread_create(&tid, &attr, fs_client_calls, &c);
		if (n)
			printf("# pthread_create: %s\n", strerror(n));
		else
			pthread_join(tid, NULL);
		pthread_attr_destroy(&attr);
		munmap(stack, FS_STACK_SIZE);
	}

	close(d);
	for (i = 0; i < C_NR; i++)
		bad += !ok[i];
	return bad ? 1 : 0;
}

/* TAP, numbered */
static int tap_n, tap_bad;

static void tap(int ok, const char *what)
{
	printf("%sok %d - %s\n", ok ? "" : "not ", ++tap_n, what);
	tap_bad += !ok;
}

/* Reap @pid within @ms milliseconds, else kill it: its status, or -1 */
static int wait_child(pid_t pid, int ms)
{
	int status, i;
	pid_t got;

	for (i = 0; i < ms / 10; i++) {
		got = waitpid(pid, &status, WNOHANG);
		if (got == pid)
			return status;
		if (got < 0 && errno != EINTR)
			return -1;
		usleep(10000);
	}
	printf("# the client took too long\n");
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/* Wait @ms milliseconds at most for more than @seen notifications */
static int wait_unrefs(struct fs_server *s, int seen, int ms)
{
	struct timespec ts;
	int n;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->lock);
	while (s->unrefs <= seen)
		if (pthread_cond_timedwait(&s->cond, &s->lock, &ts))
			break;
	n = s->unrefs;
	pthread_mutex_unlock(&s->lock);
	return n;
}

#define NR_TESTS	(C_NR + 14)

/* As root: the whole thing, as a test. */
static int demo(void)
{
	static struct fs_server s = {
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.cond = PTHREAD_COND_INITIALIZER,
		.greet_fdflags = -1,
		.fetch_fd = -1,
	};
	unsigned char *ok;
	door_info_t di;
	pid_t pid, self = getpid();
	int d, d2, i, status;
	door_attr_t flags;

	alarm(FS_DEMO_SECS);
	printf("TAP version 13\n1..%d\n", NR_TESTS);
	d = door_xcreate(fs_proc, &s, DOOR_UNREF, fs_create, fs_setup, &s, 2);
	tap(d >= 0, "door_xcreate() made a door");
	if (d < 0) {
		printf("Bail out! door_xcreate: %s\n", strerror(errno));
		return 1;
	}
	pthread_mutex_lock(&s.lock);
	i = s.created == 2 && s.setups == 2;
	pthread_mutex_unlock(&s.lock);
	tap(i, "two threads made and set up before door_xcreate() returned");

	i = !door_info(d, &di);
	tap(i && s.cr_id == di.di_uniquifier &&
	    (s.cr_attr & DOOR_PRIVCREATE) &&
	    !(s.cr_attr & DOOR_DEPLETION_CB),
	    "the creation function was told of the new door");
	flags = DOOR_PRIVATE | DOOR_PRIVCREATE | DOOR_UNREF | DOOR_LOCAL;
	tap(i && (di.di_attributes & flags) == flags &&
	    !(di.di_attributes & (DOOR_REVOKED | DOOR_UNREF_MULTI)),
	    "door_info(): DOOR_PRIVATE, DOOR_PRIVCREATE, DOOR_UNREF, local");
	tap(i && di.di_target == self &&
	    di.di_proc == (door_ptr_t)(uintptr_t)fs_proc &&
	    di.di_data == (door_ptr_t)(uintptr_t)&s,
	    "door_info(): this process serves it, with its procedure, cookie");

	/* the checks of the client, which run in another process */
	ok = mmap(NULL, C_NR, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ok == MAP_FAILED) {
		printf("Bail out! mmap: %s\n", strerror(errno));
		return 1;
	}
	memset(ok, 0, C_NR);
	/* a second reference, which the client must not be the last of */
	d2 = dup(d);
	fflush(stdout);
	pid = fork();
	if (!pid) {
		close(d2);
		i = client(d, self, ok);
		fflush(stdout);
		_exit(i);
	}
	status = pid < 0 ? -1 : wait_child(pid, 2 * FS_WAIT_MS);
	for (i = 0; i < C_NR; i++)
		tap(ok[i], client_checks[i]);
	tap(status >= 0 && WIFEXITED(status) && !WEXITSTATUS(status),
	    "the client finished");

	pthread_mutex_lock(&s.lock);
	tap(s.calls == 3 && !s.errors, "the server served three calls");
	tap(s.greet_fdflags == 0,
	    "the descriptor the server received is not close-on-exec");
	/* no descriptor is opened meanwhile: nothing took its number */
	tap(s.fetch_fd >= 0 && fcntl(s.fetch_fd, F_GETFD) < 0 &&
	    errno == EBADF,
	    "DOOR_RELEASE closed the server's descriptor once passed");
	pthread_mutex_unlock(&s.lock);

	/* the client's references went: ours are left */
	tap(wait_unrefs(&s, 0, FS_WAIT_MS / 10) == 0,
	    "no unreferenced notification while two descriptors are open");
	close(d2);
	tap(wait_unrefs(&s, 0, FS_WAIT_MS) == 1 && !s.unref_bad,
	    "an unreferenced notification once one descriptor was left");
	/* DOOR_UNREF, not DOOR_UNREF_MULTI: never again */
	d2 = dup(d);
	if (d2 >= 0)
		close(d2);
	tap(wait_unrefs(&s, 1, FS_WAIT_MS / 5) == 1,
	    "one notification only, though references came and went again");
	tap(!door_info(d, &di) && (di.di_attributes & DOOR_IS_UNREF) &&
	    !(di.di_attributes & DOOR_REVOKED),
	    "door_info(): DOOR_IS_UNREF");
	tap(!door_revoke(d), "door_revoke() ends the service");

	munmap(ok, C_NR);
	return tap_bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "demo"))
		return demo();
	fprintf(stderr, "usage: filesvc demo\n");
	return 2;
}
