// SPDX-License-Identifier: GPL-2.0
/*
 * Doors: names in the file system (doorfs).
 *
 * A doorfs instance is a flat directory of door names:
 *
 *	mount -t doorfs -o mode=1777 doorfs /run/door
 *
 * A process holding a door descriptor names the door there with
 * ioctl(DOORFS_IOC_ATTACH) on the directory, if it may create files in
 * it (write and search permission, as for creat()); any process that may
 * open the name then gets a descriptor of the door with plain open().
 * unlink() removes the name (in a sticky directory only its owner may);
 * descriptors already open stay good.  This is how an unprivileged server
 * names its door.  A privileged one may also bind-mount a name over any
 * file, as "ip netns" names namespaces, and umount it again: libdoor's
 * fattach() and fdetach().
 *
 * A name is an inode holding a reference to the door, whose i_fop are
 * the door's own file operations: opening it makes another file of the
 * same door (door_open()).
 *
 * Locking: the directory's i_rwsem, as for any creation in it.
 */
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/fsnotify.h>
#include <linux/init.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "door.h"

struct doorfs_context {
	umode_t mode;		/* of the root directory */
};

enum { DOORFS_OPT_MODE };

static const struct fs_parameter_spec doorfs_params[] = {
	fsparam_u32oct("mode", DOORFS_OPT_MODE),
	{}
};

static void doorfs_evict_inode(struct inode *inode)
{
	struct door *door = inode->i_private;

	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	if (!S_ISREG(inode->i_mode) || !door)
		return;
	/* a name held the door, as Solaris' fattach() does: one less */
	spin_lock(&door->files_lock);
	door->nr_names--;
	spin_unlock(&door->files_lock);
	door_unref_check(door, 0);
	door_put(door);
}

static const struct super_operations doorfs_sops = {
	.statfs		= simple_statfs,
	.drop_inode	= generic_delete_inode,
	.evict_inode	= doorfs_evict_inode,
};

/* A name for @door in @dir, owned by the caller; under the dir's lock */
static struct inode *doorfs_name_inode(struct inode *dir, struct door *door,
				       umode_t mode)
{
	struct inode *inode = new_inode(dir->i_sb);

	if (!inode)
		return NULL;
	inode->i_ino = get_next_ino();
	inode_init_owner(&nop_mnt_idmap, inode, dir, mode);
	simple_inode_init_ts(inode);
	inode->i_fop = door_file_operations();
	refcount_inc(&door->ref);
	spin_lock(&door->files_lock);
	door->nr_names++;
	spin_unlock(&door->files_lock);
	inode->i_private = door;
	return inode;
}

static bool doorfs_name_valid(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") &&
	       strcmp(name, "..");
}

static long doorfs_attach(struct file *dirf, struct doorfs_attach __user *uarg)
{
	struct inode *dir = file_inode(dirf), *inode;
	struct doorfs_attach a;
	struct dentry *dentry;
	umode_t mode;
	struct door *door;
	char *name;
	long ret;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.reserved || (a.mode & ~0777))
		return -EINVAL;
	CLASS(fd, f)(a.fd);
	door = door_get(fd_file(f));
	if (!door)
		return -EBADF;
	name = strndup_user(u64_to_user_ptr(a.name), NAME_MAX + 1);
	if (IS_ERR(name))
		return PTR_ERR(name) == -EINVAL ? -ENAMETOOLONG : PTR_ERR(name);
	ret = -EINVAL;
	if (!doorfs_name_valid(name))
		goto free_name;
	ret = mnt_want_write_file(dirf);
	if (ret)
		goto free_name;

	inode_lock_nested(dir, I_MUTEX_PARENT);
	ret = inode_permission(file_mnt_idmap(dirf), dir, MAY_WRITE | MAY_EXEC);
	if (ret)
		goto unlock;
	dentry = lookup_one_len(name, dirf->f_path.dentry, strlen(name));
	ret = PTR_ERR(dentry);
	if (IS_ERR(dentry))
		goto unlock;
	ret = -EEXIST;
	if (d_really_is_positive(dentry))
		goto put_dentry;
	/* what creat() would ask of the security modules */
	mode = S_IFREG | (a.mode & ~current_umask());
	ret = security_path_mknod(&dirf->f_path, dentry, mode, 0);
	if (!ret)
		ret = security_inode_create(dir, dentry, mode);
	if (ret)
		goto put_dentry;
	ret = -ENOMEM;
	inode = doorfs_name_inode(dir, door, mode);
	if (!inode)
		goto put_dentry;
	d_instantiate(dentry, inode);
	dget(dentry);			/* pinned, as ramfs pins its files */
	inode_set_mtime_to_ts(dir, inode_set_ctime_current(dir));
	fsnotify_create(dir, dentry);
	ret = 0;
put_dentry:
	dput(dentry);
unlock:
	inode_unlock(dir);
	mnt_drop_write_file(dirf);
free_name:
	kfree(name);
	return ret;
}

static long doorfs_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	if (cmd == DOORFS_IOC_ATTACH)
		return doorfs_attach(file, (void __user *)arg);
	return -ENOTTY;
}

static const struct file_operations doorfs_dir_operations = {
	.open		= dcache_dir_open,
	.release	= dcache_dir_close,
	.llseek		= dcache_dir_lseek,
	.read		= generic_read_dir,
	.iterate_shared	= dcache_readdir,
	.fsync		= noop_fsync,
	.unlocked_ioctl	= doorfs_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static const struct inode_operations doorfs_dir_inode_operations = {
	.lookup		= simple_lookup,
	.unlink		= simple_unlink,
};

static int doorfs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	struct doorfs_context *ctx = fc->fs_private;
	struct inode *root;

	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_magic = DOORFS_MAGIC;
	sb->s_op = &doorfs_sops;
	sb->s_time_gran = 1;
	root = new_inode(sb);
	if (!root)
		return -ENOMEM;
	root->i_ino = 1;
	root->i_mode = S_IFDIR | ctx->mode;
	simple_inode_init_ts(root);
	root->i_op = &doorfs_dir_inode_operations;
	root->i_fop = &doorfs_dir_operations;
	set_nlink(root, 2);
	sb->s_root = d_make_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

static int doorfs_parse_param(struct fs_context *fc, struct fs_parameter *param)
{
	struct doorfs_context *ctx = fc->fs_private;
	struct fs_parse_result result;
	int opt;

	opt = fs_parse(fc, doorfs_params, param, &result);
	if (opt < 0)
		return opt;
	if (opt == DOORFS_OPT_MODE)
		ctx->mode = result.uint_32 & 07777;
	return 0;
}

static int doorfs_get_tree(struct fs_context *fc)
{
	return get_tree_nodev(fc, doorfs_fill_super);
}

static void doorfs_free_fc(struct fs_context *fc)
{
	kfree(fc->fs_private);
}

static const struct fs_context_operations doorfs_context_ops = {
	.free		= doorfs_free_fc,
	.parse_param	= doorfs_parse_param,
	.get_tree	= doorfs_get_tree,
};

static int doorfs_init_fs_context(struct fs_context *fc)
{
	struct doorfs_context *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->mode = 01777;	/* anyone may name a door, and only unname his */
	fc->fs_private = ctx;
	fc->ops = &doorfs_context_ops;
	return 0;
}

static struct file_system_type doorfs_type = {
	.name			= "doorfs",
	.init_fs_context	= doorfs_init_fs_context,
	.parameters		= doorfs_params,
	.kill_sb		= kill_litter_super,
};

static int __init doorfs_init(void)
{
	return register_filesystem(&doorfs_type);
}
fs_initcall(doorfs_init);
