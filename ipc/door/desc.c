// SPDX-License-Identifier: GPL-2.0
/*
 * Doors: descriptors passed with a call's arguments or results.
 *
 * The sender's descriptors are looked up in its own context when it
 * calls or returns (door_xfer_take()): the call then holds a reference
 * to each file, never a descriptor number.  The receiver installs them
 * in its own table, close-on-exec, all or none, in two steps: numbers
 * are reserved and written out first (door_xfer_prepare(): a full table
 * fails the transfer with EMFILE, a security module may refuse a file),
 * and the files installed only once nothing else can fail
 * (door_xfer_commit(); door_xfer_abort() gives the numbers back).  Files
 * nobody installs (the caller left, the call failed) are dropped with
 * the transfer.  A door passed along is the same door file, and so a
 * door on the other side.
 *
 * DOOR_RELEASE closes the sender's descriptor (door_xfer_release(), in the
 * sender's context, if the number still refers to the file that was
 * sent): a caller's when its call ends, whatever the error but EFAULT and
 * EBADF, as door_call(3C) says (door_release_refused() for a call refused
 * before its descriptors were taken); a server's once door_return() has
 * taken its results.
 *
 * Locking: none.  A transfer of arguments is shared by the caller (for
 * DOOR_RELEASE, which reads only what door_xfer_take() wrote) and the
 * server thread that installs it, each with a reference; a transfer of
 * results changes hands with the call under the pool's lock.
 */
#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/sock.h>

#include "door.h"

struct door_xfer_entry {
	struct file *file;	/* referenced, until installed */
	struct file *sent;	/* what was sent, referenced, if DOOR_RELEASE */
	int release_fd;		/* the sender's, if DOOR_RELEASE; or -1 */
};

struct door_xfer {
	refcount_t ref;			/* the sender's, and the receiver's */
	const struct cred *cred;	/* the sender's */
	int *fds;			/* the receiver's, reserved, or NULL */
	unsigned int nr;
	struct door_xfer_entry ent[] __counted_by(nr);
};

/* a received door's attributes may come back as they were: ignored */
#define DOOR_DESC_IN_FLAGS	(DOOR_DESCRIPTOR | DOOR_RELEASE | 0xff)

/* An entry a sender may pass: a descriptor, no unknown bits, zeroes */
static bool door_desc_valid(const struct door_desc *d)
{
	return (d->attributes & DOOR_DESCRIPTOR) &&
	       !(d->attributes & ~DOOR_DESC_IN_FLAGS) && !d->reserved &&
	       !d->reserved2;
}

/**
 * door_xfer_take - take the descriptors a call or its results carry
 * @uptr:	the sender's array of struct door_desc
 * @nr:		its length, at most DOOR_DESC_LIMIT
 *
 * Returns the transfer, NULL for none, or an ERR_PTR(): -EFAULT for the
 * array, -EINVAL for an entry that is not a descriptor (or has unknown
 * attributes, or a nonzero reserved field), -EBADF for one that is not
 * open, -ENOMEM.
 */
struct door_xfer *door_xfer_take(u64 uptr, u32 nr)
{
	struct door_desc __user *udesc = u64_to_user_ptr(uptr);
	struct door_xfer *x;
	struct door_desc d;
	unsigned int i;
	int ret;

	if (!nr)
		return NULL;
	if (uptr != (unsigned long)uptr)
		return ERR_PTR(-EFAULT);
	x = kzalloc(struct_size(x, ent, nr), GFP_KERNEL_ACCOUNT);
	if (!x)
		return ERR_PTR(-ENOMEM);
	refcount_set(&x->ref, 1);
	x->cred = get_current_cred();
	for (i = 0; i < nr; i++) {
		ret = -EFAULT;
		if (copy_from_user(&d, udesc + i, sizeof(d)))
			goto fail;
		ret = -EINVAL;
		if (!door_desc_valid(&d))
			goto fail;
		ret = -EBADF;
		/* as SCM_RIGHTS: O_PATH descriptors travel too */
		x->ent[i].file = fget_raw(d.fd);
		if (!x->ent[i].file)
			goto fail;
		x->ent[i].release_fd = -1;
		if (d.attributes & DOOR_RELEASE) {
			x->ent[i].sent = get_file(x->ent[i].file);
			x->ent[i].release_fd = d.fd;
		}
		x->nr = i + 1;
	}
	return x;
fail:
	door_xfer_put(x);
	return ERR_PTR(ret);
}

/**
 * door_xfer_get - another reference to a transfer
 * @x:	the transfer, or NULL
 */
struct door_xfer *door_xfer_get(struct door_xfer *x)
{
	if (x)
		refcount_inc(&x->ref);
	return x;
}

/**
 * door_xfer_put - drop a reference; the last drops the files nobody
 * installed
 * @x:	the transfer, or NULL
 *
 * The files' last references may be dropped here, and their release
 * then waits for the task's way out to user space (task work): a thread
 * about to sleep in the kernel runs it first (door_wait_call()).
 */
void door_xfer_put(struct door_xfer *x)
{
	unsigned int i;

	if (!x || !refcount_dec_and_test(&x->ref))
		return;
	WARN_ON_ONCE(x->fds);		/* neither committed nor aborted */
	for (i = 0; i < x->nr; i++) {
		if (x->ent[i].file)
			door_fput(x->ent[i].file);
		if (x->ent[i].sent)
			door_fput(x->ent[i].sent);
	}
	put_cred(x->cred);
	kfree(x);
}

/**
 * door_xfer_count - how many descriptors a transfer carries
 * @x:	the transfer, or NULL
 */
unsigned int door_xfer_count(const struct door_xfer *x)
{
	return x ? x->nr : 0;
}

/**
 * door_xfer_release - close the sender's DOOR_RELEASE descriptors
 * @x:	the transfer, or NULL; in the sender's context
 *
 * A number that another thread of the sender reused meanwhile for
 * another file is left alone.
 */
void door_xfer_release(struct door_xfer *x)
{
	struct file *file;
	unsigned int i;
	int fd;

	for (i = 0; x && i < x->nr; i++) {
		fd = x->ent[i].release_fd;
		if (fd < 0)
			continue;
		file = fget_raw(fd);
		if (file == x->ent[i].sent)
			close_fd(fd);
		if (file)
			fput(file);
	}
}

/**
 * door_release_refused - close the DOOR_RELEASE descriptors of a refused call
 * @uptr:	the caller's array of struct door_desc
 * @nr:		its length
 *
 * For a call refused before its descriptors were taken: the well-formed
 * DOOR_RELEASE entries are closed; nothing for an array longer than
 * DOOR_DESC_LIMIT or one that cannot be read (from the entry that cannot).
 */
void door_release_refused(u64 uptr, u32 nr)
{
	struct door_desc __user *udesc = u64_to_user_ptr(uptr);
	struct door_desc d;
	u32 i;

	if (nr > DOOR_DESC_LIMIT || uptr != (unsigned long)uptr)
		return;
	for (i = 0; i < nr; i++) {
		if (copy_from_user(&d, udesc + i, sizeof(d)))
			return;
		if (door_desc_valid(&d) && (d.attributes & DOOR_RELEASE))
			close_fd(d.fd);
	}
}

/*
 * A received door's entry: its attributes as door_info() gives them, as
 * door_call(3C) describes (DOOR_LOCAL if the receiver serves it,
 * DOOR_REVOKED if nobody does any more).  In the receiver's context.
 */
static void door_desc_fill(struct door_desc *d, struct file *file, int fd)
{
	struct door *door = door_get(file);
	struct door_pool *pool;

	memset(d, 0, sizeof(*d));
	d->attributes = DOOR_DESCRIPTOR;
	d->fd = fd;
	if (!door)
		return;
	d->attributes |= door->attr;
	d->id = door->id;
	pool = door_pool_process(door->pool);
	if (READ_ONCE(door->revoked) || READ_ONCE(pool->dead))
		d->attributes |= DOOR_REVOKED;
	if (READ_ONCE(current->signal->door_pool) == pool)
		d->attributes |= DOOR_LOCAL;
}

/**
 * door_xfer_abort - give back the numbers door_xfer_prepare() reserved
 * @x:	the transfer, or NULL; in the receiver's context
 */
void door_xfer_abort(struct door_xfer *x)
{
	unsigned int i;

	if (!x || !x->fds)
		return;
	for (i = 0; i < x->nr; i++)
		put_unused_fd(x->fds[i]);
	kfree(x->fds);
	x->fds = NULL;
}

/**
 * door_xfer_prepare - reserve the receiver's descriptors and describe them
 * @x:		the transfer; in the receiver's context
 * @uptr:	where the receiver's array of struct door_desc goes
 *
 * Returns 0, -EMFILE if the receiver's table has no room, -EFAULT for
 * @uptr, a security module's refusal or -ENOMEM; then nothing is
 * reserved.  On success door_xfer_commit() or door_xfer_abort() must
 * follow, in the same context.
 */
int door_xfer_prepare(struct door_xfer *x, u64 uptr)
{
	struct door_desc __user *udesc = u64_to_user_ptr(uptr);
	const struct cred *to = current_cred();
	unsigned int i, got;
	struct door_desc d;
	int ret;

	if (uptr != (unsigned long)uptr)
		return -EFAULT;
	for (i = 0; i < x->nr; i++) {
		ret = security_file_receive(x->ent[i].file);
		if (!ret)
			ret = security_door_transfer_file(x->cred, to,
							  x->ent[i].file);
		if (ret)
			return ret;
	}
	x->fds = kmalloc_array(x->nr, sizeof(*x->fds), GFP_KERNEL_ACCOUNT);
	if (!x->fds)
		return -ENOMEM;
	for (got = 0; got < x->nr; got++) {
		ret = get_unused_fd_flags(O_CLOEXEC);
		if (ret < 0)
			goto unreserve;
		x->fds[got] = ret;
	}
	ret = -EFAULT;
	for (i = 0; i < x->nr; i++) {
		door_desc_fill(&d, x->ent[i].file, x->fds[i]);
		if (copy_to_user(udesc + i, &d, sizeof(d)))
			goto unreserve;
	}
	return 0;
unreserve:
	while (got)
		put_unused_fd(x->fds[--got]);
	kfree(x->fds);
	x->fds = NULL;
	return ret;
}

/**
 * door_xfer_commit - install the descriptors door_xfer_prepare() reserved
 * @x:	the transfer, or NULL; in the receiver's context
 *
 * The files belong to the receiver's table from now on.
 */
void door_xfer_commit(struct door_xfer *x)
{
	unsigned int i;

	if (!x || !x->fds)
		return;
	for (i = 0; i < x->nr; i++) {
		/* before the receiver's table holds it, and may close it */
		__receive_sock(x->ent[i].file);
		fd_install(x->fds[i], x->ent[i].file);
		x->ent[i].file = NULL;
	}
	kfree(x->fds);
	x->fds = NULL;
}
