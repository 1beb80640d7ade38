// SPDX-License-Identifier: GPL-2.0
/*
 * Doors: the door descriptor.  door_create() makes an anonymous file
 * naming a procedure and a cookie of the creating process; door_info(),
 * door_revoke() and the parameters act on it.
 *
 * Locking: door->revoked and the limits change under the pool's lock and
 * are read without it (READ_ONCE) on the call path.
 */
#include <linux/anon_inodes.h>
#include <linux/compat.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/pid.h>
#include <linux/ptrace.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/syscalls.h>

#include "door.h"

static atomic64_t door_next_id = ATOMIC64_INIT(0);
static const struct file_operations door_fops;

struct door *door_get(struct file *file)
{
	struct door_file *df;

	if (!file || file->f_op != &door_fops)
		return NULL;
	df = file->private_data;
	return df->door;
}

/* The file operations of doors, for their names in doorfs */
const struct file_operations *door_file_operations(void)
{
	return &door_fops;
}

/* @file of @door, which holds a reference to it: onto door->files */
static void door_file_link(struct door_file *df, struct file *file)
{
	df->file = file;
	spin_lock(&df->door->files_lock);
	list_add(&df->node, &df->door->files);
	spin_unlock(&df->door->files_lock);
}

/* The door of @file, if the calling process created it */
struct door *door_get_owned(struct file *file)
{
	struct door *door = door_get(file);

	if (!door)
		return ERR_PTR(-EBADF);
	if (READ_ONCE(current->signal->door_pool) !=
	    door_pool_process(door->pool))
		return ERR_PTR(-EPERM);
	return door;
}

/* Opening a name of the door in doorfs (fs.c) */
static int door_open(struct inode *inode, struct file *file)
{
	struct door_file *df = kmalloc(sizeof(*df), GFP_KERNEL_ACCOUNT);

	if (!df)
		return -ENOMEM;
	df->door = inode->i_private;
	refcount_inc(&df->door->ref);
	door_file_link(df, file);
	file->private_data = df;
	return 0;
}

static int door_release(struct inode *inode, struct file *file)
{
	struct door_file *df = file->private_data;
	struct door *door = df->door;

	spin_lock(&door->files_lock);
	list_del(&df->node);
	spin_unlock(&door->files_lock);
	kfree(df);
	door_put(door);
	return 0;
}

/* Every close() of a descriptor: the door may become unreferenced. */
static int door_flush(struct file *file, fl_owner_t id)
{
	door_unref_check(door_get(file), 1);
	return 0;
}

static void door_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct door *door = door_get(file);

	seq_printf(m, "door_id:\t%llu\n", door->id);
	seq_printf(m, "door_attr:\t%#x\n", door->attr);
	seq_printf(m, "door_revoked:\t%d\n", READ_ONCE(door->revoked));
}

static const struct file_operations door_fops = {
	.open		= door_open,
	.release	= door_release,
	.flush		= door_flush,
	.show_fdinfo	= door_show_fdinfo,
};

SYSCALL_DEFINE3(door_create, unsigned long, proc, unsigned long, cookie,
		unsigned int, attributes)
{
	struct door_file *df;
	struct file *file;
	struct door *door;
	int fd, ret;

	if (attributes & ~DOOR_CREATE_MASK)
		return -EINVAL;
	if ((attributes & (DOOR_NO_DEPLETION_CB | DOOR_PRIVCREATE)) &&
	    !(attributes & DOOR_PRIVATE))
		return -EINVAL;
	ret = security_door_create(attributes);
	if (ret)
		return ret;

	/* a full descriptor table is EMFILE, whatever memory there is */
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	ret = -ENOMEM;
	door = kzalloc(sizeof(*door), GFP_KERNEL_ACCOUNT);
	if (!door)
		goto put_fd;
	door->pool = door_pool_get_current();
	if (!door->pool)
		goto free_door;
	if (attributes & DOOR_PRIVATE) {
		struct door_pool *pool = door_pool_new_private(door->pool);

		if (!pool)
			goto put_pool;
		door->pool = pool;
	}
	/* the reference of its first file */
	refcount_set(&door->ref, 1);
	door_unref_init(door);
	INIT_LIST_HEAD(&door->files);
	spin_lock_init(&door->files_lock);
	door->proc = proc;
	door->cookie = cookie;
	door->attr = attributes;
	door->id = atomic64_inc_return(&door_next_id);
	door->data_max = ULONG_MAX;
	door->desc_max = attributes & DOOR_REFUSE_DESC ? 0 : INT_MAX;
	door->cred = get_current_cred();
	atomic_long_inc(&door_nr_doors);

	df = kmalloc(sizeof(*df), GFP_KERNEL_ACCOUNT);
	if (!df)
		goto put_door;
	df->door = door;
	file = anon_inode_getfile("[door]", &door_fops, df, O_RDWR);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		kfree(df);
		goto put_door;
	}
	door_file_link(df, file);
	/*
	 * For DOOR_QUERY and door_bind_id(), once nothing can fail: the
	 * pool is on the process's list already, with no id (0) to find.
	 */
	if (attributes & DOOR_PRIVATE) {
		spin_lock(&door->pool->lock);
		door->pool->door = door;
		spin_unlock(&door->pool->lock);
		WRITE_ONCE(door->pool->door_id, door->id);
	}
	fd_install(fd, file);
	return fd;

put_door:
	door_put(door);		/* frees it, its pool reference and cred */
	put_unused_fd(fd);
	return ret;
put_pool:
	door_pool_put(door->pool);
free_door:
	kfree(door);
put_fd:
	put_unused_fd(fd);
	return ret;
}

/* A process id as the current task sees it: -1 if it has none here */
pid_t door_pid_here(struct pid *pid)
{
	pid_t nr = pid_vnr(pid);

	return nr ? nr : -1;
}

/*
 * Whether the current process may learn a door's procedure and cookie,
 * which are addresses in its server: only if it could read them anyway.
 */
static bool door_may_inspect(struct door_pool *pool)
{
	struct task_struct *server;
	bool ok;

	if (READ_ONCE(current->signal->door_pool) == door_pool_process(pool))
		return true;
	server = get_pid_task(pool->tgid, PIDTYPE_TGID);
	if (!server)
		return false;
	/* as /proc/PID/stat hides addresses: no audit record for asking */
	ok = ptrace_may_access(server, PTRACE_MODE_READ_FSCREDS |
				       PTRACE_MODE_NOAUDIT);
	put_task_struct(server);
	return ok;
}

/*
 * What door_info() says of @door, whose references @held (ours) do not
 * count.
 */
static void door_fill_info(struct door *door, long held,
			   struct door_info *info)
{
	struct door_pool *pool;
	bool dead;

	pool = door->pool;
	spin_lock(&pool->lock);
	info->attributes = door->attr;
	if (door->revoked || pool->dead)
		info->attributes |= DOOR_REVOKED;
	spin_unlock(&pool->lock);
	/* the server process, not a revoked private door's pool */
	pool = door_pool_process(pool);
	dead = READ_ONCE(pool->dead);
	if ((door->attr & (DOOR_UNREF | DOOR_UNREF_MULTI)) &&
	    door_nr_refs(door) - held <= 1)
		info->attributes |= DOOR_IS_UNREF;
	info->target = dead ? -1 : door_pid_here(pool->tgid);
	if (READ_ONCE(current->signal->door_pool) == pool)
		info->attributes |= DOOR_LOCAL;
	/* a server dying meanwhile can no longer be asked: hide them */
	if (!dead && door_may_inspect(pool) && !READ_ONCE(pool->dead)) {
		info->proc = door->proc;
		info->cookie = door->cookie;
	}
	info->id = door->id;
}

SYSCALL_DEFINE2(door_info, int, fd, struct door_info __user *, uinfo)
{
	struct door_info info = {};
	struct door *door;

	if (fd == DOOR_QUERY) {
		/* the thread's own door holds no file reference of ours */
		door = door_query_get();
		if (!door)
			return -EBADF;
		door_fill_info(door, 0, &info);
		door_put(door);
	} else {
		/* a reference of ours, so that file_count() counts descriptors */
		struct file *file __free(fput) = fget(fd);

		door = door_get(file);
		if (!door)
			return -EBADF;
		door_fill_info(door, 1, &info);
		door_unref_recheck(door, 1);
	}
	if (copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE1(door_revoke, int, fd)
{
	struct door_call *call, *next;
	struct door_pool *pool;
	bool unqueued = false;
	struct door *door;
	int ret = 0;

	CLASS(fd, f)(fd);
	door = door_get_owned(fd_file(f));
	if (IS_ERR(door))
		return PTR_ERR(door);
	pool = door->pool;
	spin_lock(&pool->lock);
	if (door->revoked || pool->dead) {
		ret = -EBADF;
	} else {
		WRITE_ONCE(door->revoked, true);
		list_for_each_entry_safe(call, next, &pool->queue, node) {
			if (call->door != door)
				continue;
			list_del_init(&call->node);
			door_complete(call, -EBADF);
		}
		/* a revoked door is not notified: drop one queued */
		if (door->unref == DOOR_UNREF_QUEUED) {
			list_del_init(&door->unref_node);
			unqueued = true;
		}
		if (door->unref == DOOR_UNREF_QUEUED ||
		    door->unref == DOOR_UNREF_DELAYED)
			door->unref = DOOR_UNREF_DONE;
	}
	spin_unlock(&pool->lock);
	if (unqueued)
		door_put(door);
	/* a private door's pool serves nothing else: its threads go */
	if (!ret && pool->process) {
		door_pool_kill(pool);
		door_unref_drain(pool);
	}
	return ret;
}

static bool door_param_valid(unsigned int param)
{
	return param == DOOR_PARAM_DESC_MAX || param == DOOR_PARAM_DATA_MIN ||
	       param == DOOR_PARAM_DATA_MAX;
}

SYSCALL_DEFINE3(door_getparam, int, fd, unsigned int, param,
		u64 __user *, uvalue)
{
	struct door *door;
	u64 value;

	CLASS(fd, f)(fd);
	door = door_get(fd_file(f));
	if (!door)
		return -EBADF;
	switch (param) {
	case DOOR_PARAM_DESC_MAX:
		value = READ_ONCE(door->desc_max);
		break;
	case DOOR_PARAM_DATA_MIN:
		value = READ_ONCE(door->data_min);
		break;
	case DOOR_PARAM_DATA_MAX:
		value = READ_ONCE(door->data_max);
		if (value == ULONG_MAX)
			value = DOOR_PARAM_NO_LIMIT;
		break;
	default:
		return -EINVAL;
	}
	return put_user(value, uvalue);
}

SYSCALL_DEFINE3(door_setparam, int, fd, unsigned int, param,
		unsigned long, value)
{
	struct door_pool *pool;
	struct door *door;
	int ret = 0;

	CLASS(fd, f)(fd);
	if (!door_get(fd_file(f)))
		return -EBADF;
	if (!door_param_valid(param))
		return -EINVAL;
	door = door_get_owned(fd_file(f));
	if (IS_ERR(door))
		return PTR_ERR(door);
	pool = door->pool;
	spin_lock(&pool->lock);
	if (door->revoked || pool->dead) {
		ret = -EBADF;
		goto out;
	}
	switch (param) {
	case DOOR_PARAM_DESC_MAX:
		if (value > INT_MAX)
			ret = -EINVAL;
		else if (value && (door->attr & DOOR_REFUSE_DESC))
			ret = -EOPNOTSUPP;
		else
			WRITE_ONCE(door->desc_max, value);
		break;
	case DOOR_PARAM_DATA_MIN:
		if (value > door->data_max)
			ret = -EINVAL;
		else
			WRITE_ONCE(door->data_min, value);
		break;
	case DOOR_PARAM_DATA_MAX:
		/* a 32-bit program's SIZE_MAX is "no limit" too */
		if (in_compat_syscall() && value == U32_MAX)
			value = ULONG_MAX;
		if (value < door->data_min)
			ret = -EINVAL;
		else
			WRITE_ONCE(door->data_max, value);
		break;
	default:
		ret = -EINVAL;
	}
out:
	spin_unlock(&pool->lock);
	return ret;
}
