// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libdoor: server threads, as illumos libc manages them.
 *
 * The process's first door gets it one server thread; whenever the
 * kernel says that a thread took a call while no other was idle
 * (DOOR_RETURN_LAST), the server creation function makes another, so the
 * pool grows to the concurrency its callers need and no further.
 * door_server_create() replaces that function; whatever it creates must
 * call door_return(NULL, 0, NULL, 0) to start serving.  A private door
 * (DOOR_PRIVATE) has a pool of its own: the function is called with the
 * door's door_info_t when the door is created and when its last free
 * thread takes a call, and the threads it creates door_bind() to it.
 *
 * door_return() never returns on success: the procedure's stack frames
 * are dropped (siglongjmp() to the frame of the thread's first
 * door_return()) and the next call runs there, so a thread serves any
 * number of calls in constant stack.  Its data arrives in a buffer of
 * the thread's, or, when larger, in a mapping of the kernel's, unmapped
 * once the results have gone.
 *
 * Locking: door_lock guards the creation function and whether the
 * shared pool has been started; the rest is per thread.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "libdoor.h"

/* A server thread's own receive buffer; larger data come mapped */
#define DOOR_RECEIVE_SIZE	16384

struct door_server {
	sigjmp_buf base;	/* in the thread's first door_return() */
	bool serving;		/* a procedure runs above @base */
	int bound;		/* the private door it is bound to, or -1 */
	char *rbuf;
	void *map;		/* the current call's data, if mapped */
	size_t map_len;
	/* the call to run */
	void (*proc)(void *cookie, char *argp, size_t arg_size,
		     door_desc_t *dp, uint_t n_desc);
	void *cookie;
	char *argp;
	size_t arg_size;
	door_desc_t *dp;
	uint_t n_desc;
};

static void door_default_create(door_info_t *info);

static pthread_mutex_t door_lock = PTHREAD_MUTEX_INITIALIZER;
static door_server_func_t *door_create_func = door_default_create;
static bool door_pool_started;
/* signalled when door_pool_started becomes true */
static pthread_cond_t door_pool_cond = PTHREAD_COND_INITIALIZER;
static __thread struct door_server *door_self;
static pthread_once_t door_once = PTHREAD_ONCE_INIT;
static void door_init(void);
/* the private door the creation function is called for, in its caller */
static __thread int door_creating = -1;

static void *door_server_start(void *arg)
{
	int fd = (int)(intptr_t)arg;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	if (fd >= 0 && door_bind(fd))
		return NULL;
	door_return(NULL, 0, NULL, 0);
	return NULL;
}

static void door_default_create(door_info_t *info)
{
	int fd = info && (info->di_attributes & DOOR_PRIVATE) ?
		 door_creating : -1;
	pthread_attr_t attr;
	pthread_t tid;

	if (pthread_attr_init(&attr))
		return;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* no thread now: the next DOOR_RETURN_LAST tries again */
	pthread_create(&tid, &attr, door_server_start, (void *)(intptr_t)fd);
	pthread_attr_destroy(&attr);
}

static door_server_func_t *door_creator(void)
{
	door_server_func_t *func;

	pthread_mutex_lock(&door_lock);
	func = door_create_func;
	pthread_mutex_unlock(&door_lock);
	return func;
}

/* Call the creation function for a private door. */
static void door_create_private(int fd)
{
	door_info_t info;

	if (door_info(fd, &info))
		return;
	door_creating = fd;
	door_creator()(&info);
	door_creating = -1;
}

void door_private_start(int fd)
{
	pthread_once(&door_once, door_init);
	door_create_private(fd);
}

door_server_func_t *door_server_create(door_server_func_t *create_func)
{
	door_server_func_t *old;

	pthread_mutex_lock(&door_lock);
	old = door_create_func;
	door_create_func = create_func;
	pthread_mutex_unlock(&door_lock);
	return old;
}

/* A fork()ed child serves nothing yet: its first door starts a pool. */
static void door_atfork_child(void)
{
	door_pool_started = false;
	pthread_mutex_init(&door_lock, NULL);
	pthread_cond_init(&door_pool_cond, NULL);
}

static void door_init(void)
{
	pthread_atfork(NULL, NULL, door_atfork_child);
}

void door_pool_start(void)
{
	door_server_func_t *func;
	bool start;

	pthread_once(&door_once, door_init);
	pthread_mutex_lock(&door_lock);
	start = !door_pool_started;
	door_pool_started = true;
	func = door_create_func;
	pthread_cond_broadcast(&door_pool_cond);
	pthread_mutex_unlock(&door_lock);
	if (start)
		func(NULL);
}

/*
 * door_return(3C) in a process that has created no door yet: on Solaris
 * the thread waits in the process's pool for the calls to come; the
 * kernel has no pool before the first door (EBADF), so the thread waits
 * here for door_create() to make one.  False if there is one already:
 * the EBADF is real (the pool is gone).
 */
static bool door_wait_for_pool(void)
{
	bool waited;

	pthread_once(&door_once, door_init);
	pthread_mutex_lock(&door_lock);
	waited = !door_pool_started;
	while (!door_pool_started)
		pthread_cond_wait(&door_pool_cond, &door_lock);
	pthread_mutex_unlock(&door_lock);
	return waited;
}

static struct door_server *door_server_self(void)
{
	struct door_server *t = door_self;

	if (t)
		return t;
	t = calloc(1, sizeof(*t));
	if (t) {
		t->bound = -1;
		t->rbuf = malloc(DOOR_RECEIVE_SIZE);
	}
	if (!t || !t->rbuf) {
		free(t);
		errno = ENOMEM;
		return NULL;
	}
	door_self = t;
	return t;
}

/*
 * Send the results of the call being served (none if there is none),
 * wait for the next call and note it in @t.  Fails for the thread's own
 * errors: bad results, or no pool to serve.
 */
static int door_next_call(struct door_server *t, char *data, size_t size,
			  door_desc_t *desc, uint_t ndesc)
{
	struct linux_door_desc buf[DOOR_DESC_ON_STACK];
	struct door_return_args args = {
		.result_ptr = door_u64(data),
		.result_size = size,
		.result_desc_num = ndesc,
		.rbuf = door_u64(t->rbuf),
		.rsize = DOOR_RECEIVE_SIZE,
	};
	long page = sysconf(_SC_PAGESIZE);
	const void *kdesc;
	int ret = 0, err;

	/* as the kernel takes them, whatever their padding holds */
	if (door_desc_in(desc, ndesc, buf, DOOR_DESC_ON_STACK, &kdesc))
		return -1;
	args.result_desc_ptr = door_u64(kdesc);
	/* interrupted with the results sent: they are not sent again */
	while (syscall(__NR_door_return, &args, 0)) {
		if (errno == EINTR)
			continue;
		/* no pool yet, and nothing served: wait for the first door */
		if (errno == EBADF && !t->serving && t->bound < 0 &&
		    door_wait_for_pool())
			continue;
		ret = -1;
		break;
	}
	if (kdesc != desc) {
		err = errno;
		door_desc_done(kdesc, buf);
		errno = err;
	}
	if (ret)
		return -1;

	/* the results left in the syscall: the old data can go */
	if (t->map)
		munmap(t->map, t->map_len);
	t->map = NULL;
	if (args.flags & DOOR_RETURN_MAPPED) {
		/* the data, then the descriptors, in pages of their own */
		size_t len = args.desc_num ?
			     args.desc_ptr - args.data_ptr +
			     args.desc_num * sizeof(door_desc_t) :
			     args.data_size;

		t->map = door_ptr(args.data_ptr);
		t->map_len = (len + page - 1) & ~(page - 1);
	}
	if (args.flags & DOOR_RETURN_LAST) {
		if (t->bound >= 0)
			door_create_private(t->bound);
		else
			door_creator()(NULL);
	}

	t->proc = door_ptr(args.proc);
	t->cookie = door_ptr(args.cookie);
	t->argp = door_ptr(args.data_ptr);
	t->arg_size = args.data_size;
	t->dp = door_ptr(args.desc_ptr);
	t->n_desc = args.desc_num;
	door_desc_received(t->dp, t->n_desc);
	return 0;
}

/* Run calls in the frame of the thread's first door_return(), for ever. */
static int door_serve(void)
{
	struct door_server *t;

	sigsetjmp(door_self->base, 0);
	/* after a siglongjmp() here, only door_self is to be trusted */
	t = door_self;
	for (;;) {
		t->proc(t->cookie, t->argp, t->arg_size, t->dp, t->n_desc);
		/* the procedure returned instead: no results */
		if (door_next_call(t, NULL, 0, NULL, 0)) {
			t->serving = false;
			return -1;
		}
	}
}

int door_return(char *data_ptr, size_t data_size, door_desc_t *desc_ptr,
		uint_t num_desc)
{
	struct door_server *t = door_server_self();

	if (!t)
		return -1;
	if (door_next_call(t, data_ptr, data_size, desc_ptr, num_desc))
		return -1;
	/* called by a procedure: drop its frames, run the call below */
	if (t->serving)
		siglongjmp(t->base, 1);
	t->serving = true;
	return door_serve();
}

int door_bind(int d)
{
	struct door_server *t = door_server_self();

	if (!t)
		return -1;
	if (syscall(__NR_door_bind, d))
		return -1;
	t->bound = d;
	return 0;
}

int door_unbind(void)
{
	struct door_server *t = door_self;

	if (syscall(__NR_door_unbind))
		return -1;
	if (t)
		t->bound = -1;
	return 0;
}
