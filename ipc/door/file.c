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
	if (!file || file->f_op != &door_fops)
		return NULL;
	return file->private_data;
}

/* The door of @file, if the calling process created it */
static struct door *door_get_owned(struct file *file)
{
	struct door *door = door_get(file);

	if (!door)
		return ERR_PTR(-EBADF);
	if (READ_ONCE(current->signal->door_pool) != door->pool)
		return ERR_PTR(-EPERM);
	return door;
}

static int door_release(struct inode *inode, struct file *file)
{
	struct door *door = file->private_data;

	door_pool_put(door->pool);
	put_cred(door->cred);
	kfree(door);
	atomic_long_dec(&door_nr_doors);
	return 0;
}

static void door_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct door *door = file->private_data;

	seq_printf(m, "door_id:\t%llu\n", door->id);
	seq_printf(m, "door_attr:\t%#x\n", door->attr);
	seq_printf(m, "door_revoked:\t%d\n", READ_ONCE(door->revoked));
}

static const struct file_operations door_fops = {
	.release	= door_release,
	.show_fdinfo	= door_show_fdinfo,
};

SYSCALL_DEFINE3(door_create, unsigned long, proc, unsigned long, cookie,
		unsigned int, attributes)
{
	struct file *file;
	struct door *door;
	int fd, ret;

	if (attributes & ~DOOR_CREATE_MASK)
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
	door->proc = proc;
	door->cookie = cookie;
	door->attr = attributes;
	door->id = atomic64_inc_return(&door_next_id);
	door->data_max = DOOR_DATA_LIMIT;
	door->desc_max = attributes & DOOR_REFUSE_DESC ? 0 : INT_MAX;
	door->cred = get_current_cred();

	file = anon_inode_getfile("[door]", &door_fops, door, O_RDWR);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		put_cred(door->cred);
		goto put_pool;
	}
	atomic_long_inc(&door_nr_doors);
	fd_install(fd, file);
	return fd;

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

	if (READ_ONCE(current->signal->door_pool) == pool)
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

SYSCALL_DEFINE2(door_info, int, fd, struct door_info __user *, uinfo)
{
	struct door_info info = {};
	struct door_pool *pool;
	struct door *door;
	bool dead;

	CLASS(fd, f)(fd);
	door = door_get(fd_file(f));
	if (!door)
		return -EBADF;
	pool = door->pool;
	spin_lock(&pool->lock);
	dead = pool->dead;
	info.attributes = door->attr;
	if (door->revoked || pool->dead)
		info.attributes |= DOOR_REVOKED;
	spin_unlock(&pool->lock);
	info.target = dead ? -1 : door_pid_here(pool->tgid);
	if (READ_ONCE(current->signal->door_pool) == pool)
		info.attributes |= DOOR_LOCAL;
	/* a server dying meanwhile can no longer be asked: hide them */
	if (!dead && door_may_inspect(pool) && !READ_ONCE(pool->dead)) {
		info.proc = door->proc;
		info.cookie = door->cookie;
	}
	info.id = door->id;
	if (copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE1(door_revoke, int, fd)
{
	struct door_call *call, *next;
	struct door_pool *pool;
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
	}
	spin_unlock(&pool->lock);
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
		if (value < door->data_min || value > DOOR_DATA_LIMIT)
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
