/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Doors: synchronous calls into a server process, after Spring and Solaris.
 *
 * A door is an anonymous file naming a procedure and a cookie of the
 * process that created it.  That process's threads serve calls by waiting
 * in door_return(); together they form the process's pool (one per
 * process, in signal_struct), and any of them may be handed a call to any
 * door the process created.
 *
 * A call lives in an object of the calling thread (struct door_call,
 * made by its first call and reused until it exits), not on its stack, so
 * that the caller can leave the system call while the call goes on and
 * come back to it (away.c).  If a server thread is idle, door_call() hands
 * the call to it
 * and wakes it on the current CPU (WF_CURRENT_CPU, as seccomp's user
 * notifications do), so that the server runs where the caller is about to
 * sleep, with the caller's data still in the cache; otherwise the call
 * queues on the pool and the next thread to enter door_return() takes it.
 * The server's door_return() moves the results into the call and wakes the
 * caller the same way, then waits for the next call.  Both sides sleep on
 * their own task, not on a wait queue: whoever hands a thread work or ends
 * a call wakes that one task, the hand-offs both ways once the pool's lock
 * is dropped (holding a reference to the task), the rarer paths under it.
 *
 * Data moves as described in buf.c: through the call's inline buffer,
 * a per-CPU cached extension, or, for large arguments, straight from the
 * caller's pages into the server's memory (mapped with sf_buf).
 *
 * Trust: a server never takes a fault on its caller's memory, which a
 * hostile caller could make last forever (userfaultfd, FUSE).  Arguments
 * are copied into the call, or their pages pinned, by the caller itself
 * before the call is handed over; results are copied out by the caller
 * after.  A server copies from pinned pages with its own page faults
 * disabled, a batch at a time, and a caller that gives up the call waits,
 * killably, for the batch to end (call->copying), so no server touches a
 * living caller's memory once door_call() has returned; a dying caller
 * hands its pinned pages to the server thread instead of waiting.
 *
 * Signals: a caller with a signal pending leaves door_call() at once
 * (-ERESTARTSYS), whatever the call's state, and the call goes on without
 * it (away.c): a stop, a trap, the freezer or a handler that restarts
 * system calls brings it back to the same call; a handler that does not
 * restart ends the call (withdrawn if no server took it, else abandoned,
 * its results discarded), as do exit, exec and a different door_call().
 *
 * Locking: pool->lock guards the pool's idle list and queue, the links
 * between a call and its server thread (call->server, thread->call,
 * thread->abandoned, thread->pages_owned), call->state and call->error,
 * and door->revoked, the door's limits, door->active and the door's
 * unreferenced-notification state (unref.c), and a private pool's door
 * pointer.  A process pool's lock also guards its list of private pools,
 * whose door_id is written once, before the door is out (bind.c).
 * Only the owner of a struct door_buf touches it without the lock; buffers
 * change hands under the lock.  The caller may reuse its call for the
 * next one as soon as it sees it DONE, with or without the lock (the fast
 * path does not take it again), so nobody touches a call after completing
 * it, and whoever completes one holds a reference to the pool of its own.
 * A caller that is away is not woken (call->waiting).
 */
#ifndef _IPC_DOOR_DOOR_H
#define _IPC_DOOR_DOOR_H

#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/workqueue.h>
#include <uapi/linux/door.h>

struct file;
struct mem_cgroup;
struct mm_struct;
struct page;
struct pid;
struct task_struct;
struct door_xfer;

/*
 * Data up to this size travels through an extension buffer (1, 2 or 4
 * pages of 4 KiB) taken from a per-CPU cache; larger arguments are copied
 * by the server thread straight out of the pages the caller pinned, larger
 * results (and arguments that could not be pinned) go through a vector of
 * single pages.
 */
#define DOOR_EXT_CACHE_MAX	SZ_16K
#define DOOR_EXT_CACHE_ORDERS	\
	(PAGE_SHIFT >= 14 ? 1 : 14 - PAGE_SHIFT + 1)

enum door_ext_kind {
	DOOR_EXT_NONE,		/* data in @inline_data */
	DOOR_EXT_PAGES,		/* per-CPU cached block of 2^order pages */
	DOOR_EXT_KVMALLOC,	/* kvmalloc()ed: no block to be had */
	DOOR_EXT_VEC,		/* @ext is an array of single pages */
};

/**
 * struct door_buf - the data of one call, arguments first, then results
 * @size:	bytes of data held
 * @kind:	where they are
 * @order:	order of the page block, for DOOR_EXT_PAGES
 * @ext:	extension buffer (for DOOR_EXT_VEC, its array of pages), or NULL
 * @cap:	size of @ext, a multiple of PAGE_SIZE for DOOR_EXT_VEC
 * @inline_data: the small buffer every call starts with
 *
 * A door_buf has exactly one owner at a time: the caller while it fills
 * the arguments and reads the results, the server thread in between.
 * Moving one (door_buf_move()) moves the extension, never copies it.
 */
struct door_buf {
	size_t size;
	enum door_ext_kind kind;
	unsigned int order;
	void *ext;
	size_t cap;
	u8 inline_data[DOOR_INLINE_SIZE];
};

static inline void door_buf_init(struct door_buf *b)
{
	b->size = 0;
	b->kind = DOOR_EXT_NONE;
	b->ext = NULL;
	b->cap = 0;
}

/* What a buffer holds without allocating: a vector is never kept */
static inline size_t door_buf_room(const struct door_buf *b)
{
	if (b->kind == DOOR_EXT_VEC)
		return 0;
	return b->ext ? b->cap : DOOR_INLINE_SIZE;
}

/* The data of a buffer that is not a page vector */
static inline void *door_buf_data(struct door_buf *b)
{
	return b->ext ? b->ext : b->inline_data;
}

int door_buf_reserve(struct door_buf *b, size_t size,
		     struct mem_cgroup *memcg);
int door_buf_fill(struct door_buf *b, struct iov_iter *from, size_t size,
		  struct mem_cgroup *memcg, struct door_call **watch);
int door_buf_drain(struct door_buf *b, struct iov_iter *to);
void door_buf_move(struct door_buf *dst, struct door_buf *src);
void door_buf_release(struct door_buf *b);

/* Allocation hooks, redirected by the KUnit test */
struct page *door_ext_alloc_pages(unsigned int order);
void *door_ext_kvmalloc(size_t size);
struct page *door_ext_alloc_page(struct mem_cgroup *memcg);

struct door_pool {
	spinlock_t lock;		/* see "Locking" above */
	struct list_head idle;		/* door_threads in door_return() */
	struct list_head queue;		/* door_calls waiting for a thread */
	struct list_head unref_list;	/* doors to notify (unref.c) */
	struct door_pool *process;	/* a private pool's process pool */
	struct list_head privates;	/* the process pool's private ones */
	struct list_head private_node;	/* on process->privates */
	struct pid *tgid;		/* the server process */
	struct door *door;		/* a private pool's, until it goes */
	u64 door_id;			/* its id (0 until made), for ever */
	bool dead;			/* the process exited or exec()ed */
	refcount_t ref;			/* process, doors and threads */
};

enum door_unref_state {
	DOOR_UNREF_ARMED,	/* notify when unreferenced */
	DOOR_UNREF_DELAYED,	/* unreferenced, waiting for @active calls */
	DOOR_UNREF_QUEUED,	/* on pool->unref_list */
	DOOR_UNREF_SERVING,	/* a server thread runs the notification */
	DOOR_UNREF_DONE,	/* notified, once and for all */
};

struct door {
	refcount_t ref;			/* files, names, a notification */
	struct door_pool *pool;
	const struct cred *cred;	/* the creator's, for security modules */
	unsigned long proc;
	unsigned long cookie;
	u64 id;
	unsigned int attr;
	bool revoked;
	unsigned long data_min;
	unsigned long data_max;		/* ULONG_MAX: no limit of its own */
	u32 desc_max;
	unsigned int active;		/* calls made and not over (unref.c) */
	enum door_unref_state unref;
	bool unref_again;		/* unreferenced again while SERVING */
	bool unref_recheck;		/* a close left others, maybe transient */
	u64 unref_events;		/* references that went, counted */
	u64 unref_seen;			/* of those, what the last one saw */
	u64 unref_look_event;		/* the last that left others */
	unsigned int unref_looks;	/* looks again since that one */
	struct delayed_work unref_work;	/* the next look again */
	struct list_head unref_node;	/* on pool->unref_list */
	spinlock_t files_lock;		/* for @files and @nr_names */
	struct list_head files;		/* its door_files */
	unsigned int nr_names;		/* its names in doorfs */
};

/* One open file of a door: its private_data */
struct door_file {
	struct door *door;		/* referenced */
	struct file *file;
	struct list_head node;		/* on door->files, under files_lock */
};

enum door_call_state {
	DOOR_CALL_NEW,
	DOOR_CALL_QUEUED,	/* on pool->queue */
	DOOR_CALL_HANDED,	/* given to call->server, which still sleeps */
	DOOR_CALL_ACTIVE,	/* call->server has taken it */
	DOOR_CALL_DONE,		/* results or error in place */
};

/*
 * Where a door_call() was made: the system call made again after a stop or
 * a handler has the same arguments, and the same user stack and
 * instruction pointer (the restart goes back to the same instruction).
 */
struct door_call_site {
	unsigned long uarg;
	unsigned long sp;
	unsigned long ip;
	unsigned int flags;
	int fd;
	bool compat;
};

struct door_call {
	struct list_head node;
	struct door *door;
	struct task_struct *caller;
	struct door_thread *server;
	enum door_call_state state;
	int error;
	bool copying;			/* the server reads @pages right now */
	bool no_results;		/* door_call(fd, NULL): none wanted */
	u64 task_size;			/* the caller's address space */
	bool waiting;			/* the caller may sleep for it (pool lock) */
	/* only the calling thread touches these (away.c) */
	bool away;			/* it left the system call, @site */
	bool door_held;			/* it holds a reference to @door */
	bool fresh;			/* no signal delivered since it left */
	bool handler;			/* an SA_RESTART handler ran since */
	bool handler_returned;		/* all returned, to the restart */
	unsigned int frames;		/* handler frames pushed since */
	struct door_call_site site;
	/* a call that ended while its handlers ran */
	bool tomb;
	bool tomb_restart;		/* its handlers returned to the restart */
	unsigned int tomb_frames;
	struct door_call_site tomb_site;
	u64 data_size;
	struct door_xfer *args_xfer;	/* descriptors sent with the data */
	struct door_xfer *res_xfer;	/* and with the results */
	struct page **pages;		/* large arguments, pinned by the caller */
	unsigned int nr_pages;
	unsigned int nr_charged;	/* pages charged to @pin_mm's pinned_vm */
	struct mm_struct *pin_mm;	/* grabbed while @nr_charged */
	unsigned int offset;		/* of the data in pages[0] */
	struct door_buf buf;
};

struct door_thread {
	struct list_head node;		/* on pool->idle while waiting */
	struct door_pool *pool;
	struct task_struct *task;	/* the thread itself */
	struct door_call *call;		/* the call it serves, or NULL */
	/* the call being received, copied out under the lock */
	unsigned long proc;
	unsigned long cookie;
	u64 data_size;
	struct page **pages;		/* large data's (call->pages), or NULL */
	unsigned int nr_pages;
	unsigned int offset;		/* of the data in pages[0] */
	bool pages_owned;		/* a dying caller gave them up to it */
	struct mm_struct *pin_mm;	/* and their charge (call->pin_mm) */
	unsigned int nr_charged;
	struct door_xfer *xfer;		/* the call's descriptors */
	struct door *unref_door;	/* a notification it serves */
	struct door *abandoned;		/* its caller left: still active */
	/* the thread's binding from its next door_return(), if it moves */
	struct door_thread *next_binding;
	/* only the thread itself touches these */
	bool serving;			/* it returned to user space with a call */
	bool discarded;			/* results went nowhere, not yet said */
	bool no_results;		/* its call wants none (E2BIG if any) */
	struct door_buf buf;
};

extern atomic_long_t door_nr_doors;
extern atomic_long_t door_nr_threads;

/*
 * A user pointer and size from fixed-width fields, as an iterator.  Not
 * import_ubuf(): results may be larger than MAX_RW_COUNT, which it would
 * cut them down to.
 */
static inline int door_import(int rw, u64 ptr, u64 size, struct iov_iter *iter)
{
	void __user *p = u64_to_user_ptr(ptr);

	if (ptr != (unsigned long)ptr || size != (size_t)size ||
	    !access_ok(p, size))
		return -EFAULT;
	iov_iter_ubuf(iter, rw, p, size);
	return 0;
}

/* Where received descriptors go: after the data, 8-byte aligned */
static inline u64 door_desc_offset(u64 data_size)
{
	return ALIGN(data_size, sizeof(u64));
}

/* The pool of the process that serves @pool's doors */
static inline struct door_pool *door_pool_process(struct door_pool *pool)
{
	return pool->process ? pool->process : pool;
}

/* pool.c: pools, their server threads, and handing calls to them */
struct door_pool *door_pool_alloc(void);
struct door_pool *door_pool_get_current(void);
void door_pool_put(struct door_pool *pool);
void door_pool_kill(struct door_pool *pool);
void door_thread_free(struct task_struct *tsk);
struct door_pool *door_thread_pool(void);
struct door_thread *door_thread_new(struct door_pool *pool);
void door_thread_discard(struct door_thread *thr);
struct door_thread *door_thread_get(struct door_pool *pool);
struct task_struct *door_finish(struct door_call *call, int error);
void door_wake_caller(struct task_struct *caller, bool here);
void door_complete(struct door_call *call, int error);
void door_thread_wake(struct door_thread *thr);
void door_assign(struct door_thread *thr, struct door_call *call);
struct door_call *door_next_queued(struct door_pool *pool);
struct task_struct *door_dispatch(struct door_pool *pool,
				  struct door_call *call);
void door_hand_back(struct door_thread *thr);
void door_hand_over_or_idle(struct door_pool *pool, struct door_thread *thr);
void door_fail_call(struct door_thread *thr, int error);

/* call.c: the caller's side */
void door_call_end(struct door_call *call);
void door_uncharge_pins(struct mm_struct *mm, unsigned int nr);

/* away.c: callers that leave a call and come back to it */
struct door_call *door_call_get_current(void);
long door_call_leave(struct door_call *call, int fd, unsigned long uarg,
		     unsigned int flags);
bool door_call_came_back(struct door_call *call, int fd, unsigned long uarg,
			 unsigned int flags);
bool door_call_ended_away(struct door_call *call, int fd, unsigned long uarg,
			  unsigned int flags);
void door_call_drop(struct door_call *call);
void door_call_drop_nested(struct door_call *call);
void door_call_free(struct task_struct *tsk);

/* desc.c: descriptors passed with calls and results */
struct door_xfer *door_xfer_take(u64 uptr, u32 nr);
struct door_xfer *door_xfer_get(struct door_xfer *x);
void door_xfer_put(struct door_xfer *x);
unsigned int door_xfer_count(const struct door_xfer *x);
void door_xfer_release(struct door_xfer *x);
void door_release_refused(u64 uptr, u32 nr);
int door_xfer_prepare(struct door_xfer *x, u64 uptr);
void door_xfer_commit(struct door_xfer *x);
void door_xfer_abort(struct door_xfer *x);

/* unref.c: unreferenced notification, and the door's lifetime */
void door_put(struct door *door);
long door_nr_refs(struct door *door);
bool door_unref_check(struct door *door, unsigned int going);
void door_unref_recheck(struct door *door, unsigned int going);
void door_fput(struct file *file);
void door_unref_undelay(struct door *door);
void door_unref_init(struct door *door);
void door_thread_let_go(struct door_thread *thr);
bool door_unref_next(struct door_thread *thr);
void door_unref_done(struct door_thread *thr);
void door_unref_drain(struct door_pool *pool);

/*
 * A call to @door is over (its caller has it back, or the server thread
 * that served it after its caller left is done): the last of those lets
 * a delayed unreferenced notification go.  Under the door's pool's lock.
 */
static inline void door_active_end(struct door *door)
{
	if (WARN_ON_ONCE(!door->active))
		return;
	if (!--door->active && unlikely(door->unref == DOOR_UNREF_DELAYED))
		door_unref_undelay(door);
}

/* bind.c: private pools */
struct door_pool *door_pool_new_private(struct door_pool *process);
void door_pool_unlist(struct door_pool *pool);
void door_kill_privates(struct door_pool *process);
struct door *door_query_get(void);
struct door_thread *door_thread_move(struct door_thread *thr);

/* file.c: door descriptors and their attributes */
struct door *door_get(struct file *file);
struct door *door_get_owned(struct file *file);
const struct file_operations *door_file_operations(void);
pid_t door_pid_here(struct pid *pid);

#endif /* _IPC_DOOR_DOOR_H */
