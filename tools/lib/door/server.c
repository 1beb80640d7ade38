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
 * thread takes a call (DOOR_DEPLETION_CB set), and the threads libdoor's
 * own function creates door_bind() to it.  door_xcreate() gives a private
 * door a creation function of its own, which starts the threads with
 * door_xcreate_startf(); they bind before door_xcreate() returns.
 *
 * A private door's threads share a struct door_private (its descriptor as
 * door_create() returned it, its id, the door_xcreate() functions); they
 * bind by the id (door_bind_id()), or on older kernels with that
 * descriptor while it still names the door of that id, and a depletion
 * asks the kernel which door the thread serves (door_info(DOOR_QUERY)),
 * so that a closed or reused descriptor number neither stops a pool
 * growing nor binds a thread to another door.
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

struct door_private {
	door_id_t id;
	int fd;			/* the descriptor door_create() returned */
	door_xcreate_server_func_t *crf;	/* door_xcreate()'s, or NULL */
	door_xcreate_thrsetup_func_t *setupf;
	void *crcookie;
	int refs;		/* its creator's and its threads' */
};

struct door_server {
	sigjmp_buf base;	/* in the thread's first door_return() */
	bool serving;		/* a procedure runs above @base */
	bool bound;		/* to a private door (door_bind()) */
	struct door_private *priv;	/* that door, if libdoor started it */
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
/* door_self again, for its destructor when the thread exits */
static pthread_key_t door_key;
static pthread_once_t door_once = PTHREAD_ONCE_INIT;
static void door_init(void);
/* the private door the creation function is called for, in its caller */
static __thread struct door_private *door_creating;

static struct door_private *door_private_hold(struct door_private *p)
{
	if (p)
		__atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
	return p;
}

static void door_private_rele(struct door_private *p)
{
	if (p && !__atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL))
		free(p);
}

/* A thread's state goes with it: its buffer, mapping and private door */
static void door_server_exit(void *arg)
{
	struct door_server *t = arg;

	if (t->map)
		munmap(t->map, t->map_len);
	door_private_rele(t->priv);
	free(t->rbuf);
	free(t);
	door_self = NULL;
}

static struct door_server *door_server_self(void)
{
	struct door_server *t = door_self;

	if (t)
		return t;
	pthread_once(&door_once, door_init);
	t = calloc(1, sizeof(*t));
	if (t)
		t->rbuf = malloc(DOOR_RECEIVE_SIZE);
	if (!t || !t->rbuf || pthread_setspecific(door_key, t)) {
		if (t)
			free(t->rbuf);
		free(t);
		errno = ENOMEM;
		return NULL;
	}
	door_self = t;
	return t;
}

/* The kernel has no door_bind_id() (before 511 was given out) */
static bool door_no_bind_id;

/*
 * Bind the calling thread to @p's door: by its id, whatever became of
 * its descriptor; on a kernel without door_bind_id(), through the
 * descriptor it was created with, if that still names the door (checked
 * once bound, as the kernel sees it).  0, or -1 with errno EBADF if the
 * door is gone (or, on old kernels, its descriptor).
 */
static int door_bind_private(struct door_private *p)
{
	struct door_server *t = door_self;
	door_info_t info;

	if (!__atomic_load_n(&door_no_bind_id, __ATOMIC_RELAXED)) {
		if (!syscall(__NR_door_bind_id, &p->id))
			goto bound;
		if (errno != ENOSYS)
			return -1;
		__atomic_store_n(&door_no_bind_id, true, __ATOMIC_RELAXED);
	}
	if (syscall(__NR_door_bind, p->fd))
		return -1;
	if (door_info(DOOR_QUERY, &info) || info.di_uniquifier != p->id) {
		door_unbind();
		errno = EBADF;
		return -1;
	}
bound:
	door_private_rele(t->priv);
	t->priv = door_private_hold(p);
	t->bound = true;
	return 0;
}

/*
 * A thread of a private door's: its creator waits until it has bound,
 * while the descriptor it binds with is sure to name the door (the
 * program may close it once door_create() has returned).
 */
struct door_bind_wait {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct door_private *priv;
	bool done;
};

static void *door_server_start(void *arg)
{
	struct door_bind_wait *w = arg;
	struct door_private *p;
	bool bound;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	if (w) {
		p = door_private_hold(w->priv);
		bound = door_server_self() && !door_bind_private(p);
		pthread_mutex_lock(&w->lock);
		w->done = true;
		pthread_cond_signal(&w->cond);
		/* w is gone once this is unlocked */
		pthread_mutex_unlock(&w->lock);
		door_private_rele(p);
		if (!bound)
			return NULL;
	}
	door_return(NULL, 0, NULL, 0);
	return NULL;
}

static void door_default_create(door_info_t *info)
{
	struct door_bind_wait w = {
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.cond = PTHREAD_COND_INITIALIZER,
	};
	bool private = info && (info->di_attributes & DOOR_PRIVATE);
	pthread_attr_t attr;
	pthread_t tid;
	int ret;

	/* a door libdoor knows no descriptor of gets no thread */
	w.priv = door_creating;
	if (private && !w.priv)
		return;
	if (pthread_attr_init(&attr))
		return;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* no thread now: the next DOOR_RETURN_LAST tries again */
	ret = pthread_create(&tid, &attr, door_server_start,
			     private ? &w : NULL);
	pthread_attr_destroy(&attr);
	if (ret || !private)
		return;
	pthread_mutex_lock(&w.lock);
	while (!w.done)
		pthread_cond_wait(&w.cond, &w.lock);
	pthread_mutex_unlock(&w.lock);
}

static door_server_func_t *door_creator(void)
{
	door_server_func_t *func;

	pthread_mutex_lock(&door_lock);
	func = door_create_func;
	pthread_mutex_unlock(&door_lock);
	return func;
}

/*
 * door_xcreate()'s threads start together: each binds, says so, and
 * waits for the creator's verdict, which is "serve" only if all bound
 * (at creation; a depletion keeps those that did).  On the creator's
 * stack until every thread has read the verdict.
 */
struct door_xstart {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct door_private *priv;
	int started;		/* threads the creation function made */
	int reported;		/* of those, that bound or failed to */
	int bound;
	int released;		/* that read the verdict */
	bool decided;
	bool serve;
};

static void *door_xcreate_startf(void *arg)
{
	struct door_xstart *xs = arg;
	struct door_private *p = door_private_hold(xs->priv);
	bool bound, serve;
	int cancel;

	if (p->setupf) {
		p->setupf(p->crcookie);
	} else {
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
		pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, NULL);
	}
	/* a cancellation must not leave the creator waiting for ever */
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel);
	bound = door_server_self() && !door_bind_private(p);
	pthread_mutex_lock(&xs->lock);
	xs->reported++;
	xs->bound += bound;
	pthread_cond_broadcast(&xs->cond);
	while (!xs->decided)
		pthread_cond_wait(&xs->cond, &xs->lock);
	serve = bound && xs->serve;
	xs->released++;
	pthread_cond_broadcast(&xs->cond);
	/* xs may be gone once this is unlocked */
	pthread_mutex_unlock(&xs->lock);
	pthread_setcancelstate(cancel, NULL);
	door_private_rele(p);
	if (!serve) {
		if (bound)
			door_unbind();
		return NULL;
	}
	door_return(NULL, 0, NULL, 0);
	return NULL;
}

/*
 * Have @p's creation function start @n threads for @info's door.  At
 * creation (@depleted false) all must start and bind: EINVAL if the
 * function declined one, EPIPE if it failed to make one, EBADF if one
 * could not bind; then none serves.
 */
static int door_xcreate_n(struct door_private *p, door_info_t *info, int n,
			  bool depleted)
{
	struct door_xstart xs = { .priv = p };
	int i, ret, err = 0;

	pthread_mutex_init(&xs.lock, NULL);
	pthread_cond_init(&xs.cond, NULL);
	for (i = 0; i < n; i++) {
		ret = p->crf(info, door_xcreate_startf, &xs, p->crcookie);
		if (ret == 0) {
			/* no more: fine for a depletion, not at creation */
			if (!depleted)
				err = EINVAL;
			break;
		}
		if (ret != 1) {
			err = EPIPE;
			break;
		}
		pthread_mutex_lock(&xs.lock);
		xs.started++;
		pthread_mutex_unlock(&xs.lock);
	}
	pthread_mutex_lock(&xs.lock);
	while (xs.reported < xs.started)
		pthread_cond_wait(&xs.cond, &xs.lock);
	if (!err && xs.bound < xs.started)
		err = EBADF;
	xs.serve = depleted || !err;
	xs.decided = true;
	pthread_cond_broadcast(&xs.cond);
	while (xs.released < xs.started)
		pthread_cond_wait(&xs.cond, &xs.lock);
	pthread_mutex_unlock(&xs.lock);
	pthread_mutex_destroy(&xs.lock);
	pthread_cond_destroy(&xs.cond);
	if (err && !depleted) {
		errno = err;
		return -1;
	}
	return 0;
}

static struct door_private *door_private_new(int fd, door_info_t *info)
{
	struct door_private *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->fd = fd;
	p->id = info->di_uniquifier;
	p->refs = 1;
	return p;
}

/* Threads for a new private door: its creation function's first call */
int door_private_start(int fd, door_xcreate_server_func_t *crf,
		       door_xcreate_thrsetup_func_t *setupf, void *crcookie,
		       int nthread)
{
	struct door_private *p, *old;
	door_info_t info;
	int ret = 0;

	pthread_once(&door_once, door_init);
	/* another thread closed it already: nothing to start, or revoke */
	if (door_info(fd, &info))
		return DOOR_START_GONE;
	p = door_private_new(fd, &info);
	if (!p) {
		errno = ENOMEM;
		return -1;
	}
	if (crf) {
		p->crf = crf;
		p->setupf = setupf;
		p->crcookie = crcookie;
		ret = door_xcreate_n(p, &info, nthread, false);
	} else {
		old = door_creating;
		door_creating = p;
		door_creator()(&info);
		door_creating = old;
	}
	door_private_rele(p);
	return ret;
}

/*
 * The thread took a call with no other free in its pool: its creation
 * function may make more, told which door (DOOR_DEPLETION_CB set for
 * a private one) as the kernel knows it.
 */
static void door_depleted(struct door_server *t)
{
	struct door_private *p = NULL, *old;
	door_info_t info;

	if (!t->bound) {
		door_creator()(NULL);
		return;
	}
	/* its door went meanwhile: no pool to grow */
	if (door_info(DOOR_QUERY, &info))
		return;
	if (info.di_attributes & DOOR_NO_DEPLETION_CB)
		return;
	info.di_attributes |= DOOR_DEPLETION_CB;
	if (t->priv && t->priv->id == info.di_uniquifier)
		p = t->priv;
	if (info.di_attributes & DOOR_PRIVCREATE) {
		if (p)
			door_xcreate_n(p, &info, 1, true);
		return;
	}
	old = door_creating;
	door_creating = p;
	door_creator()(&info);
	door_creating = old;
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
	struct door_server *t = door_self;

	/* the kernel gave the child no server state: neither do we */
	if (t) {
		t->serving = false;
		t->bound = false;
		door_private_rele(t->priv);
		t->priv = NULL;
	}
	door_pool_started = false;
	pthread_mutex_init(&door_lock, NULL);
	pthread_cond_init(&door_pool_cond, NULL);
}

static void door_init(void)
{
	pthread_key_create(&door_key, door_server_exit);
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
		if (errno == EBADF && !t->serving && !t->bound &&
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
	if (args.flags & DOOR_RETURN_LAST)
		door_depleted(t);

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
	/* a thread serving a call moves once it has answered it */
	if (syscall(__NR_door_bind, d))
		return -1;
	door_private_rele(t->priv);
	t->priv = NULL;
	t->bound = true;
	return 0;
}

int door_unbind(void)
{
	struct door_server *t = door_self;

	if (syscall(__NR_door_unbind))
		return -1;
	if (t) {
		door_private_rele(t->priv);
		t->priv = NULL;
		t->bound = false;
	}
	return 0;
}
