// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libdoor: names for doors in the file system (fattach(3C),
 * fdetach(3C)).
 *
 * A path in a doorfs directory (mount -t doorfs) is made a name of the
 * door with DOORFS_IOC_ATTACH: whoever may create files there may name a
 * door, and unlink() takes the name away.  Any other path is covered by
 * a bind mount of such a name, which needs the privilege to mount; the
 * name itself is made, then removed, in the doorfs directory DOOR_FS_DIR
 * names (default /run/door).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#include "libdoor.h"

#define DOOR_FS_DEFAULT	"/run/door"

/* The directory part of @path, opened, and where the last part starts */
static int door_open_parent(const char *path, const char **base)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t len;

	if (!slash) {
		*base = path;
		return open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	*base = slash + 1;
	len = slash == path ? 1 : (size_t)(slash - path);
	if (len >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dir, path, len);
	dir[len] = '\0';
	return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static bool door_is_doorfs(int dfd)
{
	struct statfs st;

	return !fstatfs(dfd, &st) && st.f_type == DOORFS_MAGIC;
}

static int door_name(int dfd, int fd, const char *base, mode_t mode)
{
	struct doorfs_attach a = {
		.fd = fd,
		.mode = mode,
		.name = door_u64(base),
	};

	if (!ioctl(dfd, DOORFS_IOC_ATTACH, &a))
		return 0;
	if (errno == EEXIST)
		errno = EBUSY;	/* Solaris: something is attached there */
	return -1;
}

/*
 * Bind-mount a fresh doorfs name of the door over @path, whose mode and
 * owner (@st) the name takes, as fattach(3C) says: a door attached over a
 * root-only file stays root-only.  The name is made with no permission at
 * all, so that nobody opens it before it has the file's.
 */
static int door_bind_mount(int fd, const char *path, const struct stat *st)
{
	const char *dir = getenv("DOOR_FS_DIR");
	static unsigned int seq;
	char name[64], full[PATH_MAX];
	int dfd, ret, err;

	if (!dir)
		dir = DOOR_FS_DEFAULT;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || !door_is_doorfs(dfd)) {
		if (dfd >= 0)
			close(dfd);
		errno = ENOTSUP;	/* no doorfs to make the name in */
		return -1;
	}
	snprintf(name, sizeof(name), ".fattach.%d.%u", (int)getpid(),
		 __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED));
	snprintf(full, sizeof(full), "%s/%s", dir, name);
	ret = door_name(dfd, fd, name, 0);
	if (!ret) {
		ret = fchownat(dfd, name, st->st_uid, st->st_gid, 0);
		if (!ret)
			ret = fchmodat(dfd, name, st->st_mode & 07777, 0);
		if (!ret)
			ret = mount(full, path, NULL, MS_BIND, NULL);
		err = errno;
		unlinkat(dfd, name, 0);	/* the mount keeps the name's inode */
		errno = err;
	}
	close(dfd);
	return ret;
}

int fattach(int fildes, const char *path)
{
	const char *base;
	struct stat st;
	int dfd, ret;

	if (syscall(__NR_door_info, fildes, &(struct linux_door_info){ 0 }))
		return -1;	/* EBADF: not a door */
	dfd = door_open_parent(path, &base);
	if (dfd < 0)
		return -1;
	if (door_is_doorfs(dfd))
		ret = door_name(dfd, fildes, base, 0666);
	else if (fstatat(dfd, base, &st, 0))
		ret = -1;	/* ENOENT: Solaris attaches over a file */
	else
		ret = door_bind_mount(fildes, path, &st);
	close(dfd);
	return ret;
}

int fdetach(const char *path)
{
	struct statx stx;
	const char *base;
	int dfd, ret;

	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS,
		  &stx))
		return -1;
	if ((stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	    (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT)) {
		struct statfs sf;

		/* only a door's name: whatever else is mounted there stays */
		if (statfs(path, &sf))
			return -1;
		if (sf.f_type != DOORFS_MAGIC || !S_ISREG(stx.stx_mode)) {
			errno = EINVAL;
			return -1;
		}
		return umount2(path, MNT_DETACH);
	}
	dfd = door_open_parent(path, &base);
	if (dfd < 0)
		return -1;
	if (door_is_doorfs(dfd)) {
		ret = unlinkat(dfd, base, 0);
	} else {
		errno = EINVAL;	/* nothing attached */
		ret = -1;
	}
	close(dfd);
	return ret;
}
