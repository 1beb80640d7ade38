// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libdoor: user credentials (ucred_t), of a door's caller from the
 * kernel (door_ucred(3C)), of a process from /proc (ucred_get(3C)) or of
 * a Unix socket's peer (getpeerucred(3C): SO_PEERCRED, SO_PEERGROUPS).
 * A ucred_t has a fixed size, so that one allocation serves any number
 * of door_ucred() calls.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "libdoor.h"

size_t ucred_size(void)
{
	return sizeof(struct ucred_s);
}

void ucred_free(ucred_t *uc)
{
	free(uc);
}

static ucred_t *ucred_alloc(ucred_t **uc)
{
	if (*uc)
		return *uc;
	*uc = malloc(sizeof(**uc));
	if (!*uc)
		errno = EAGAIN;
	return *uc;
}

/* Fill @uc's process and ids from the kernel's structure */
static void ucred_set_ids(ucred_t *uc, const struct door_ucred *dc)
{
	uc->pid = dc->pid;
	uc->ruid = dc->uid;
	uc->euid = dc->euid;
	uc->suid = dc->suid;
	uc->rgid = dc->gid;
	uc->egid = dc->egid;
	uc->sgid = dc->sgid;
}

int door_ucred(ucred_t **info)
{
	struct door_ucred dc;
	int err = errno;
	ucred_t *uc;
	long n;

	if (syscall(__NR_door_ucred, &dc))
		return -1;
	uc = ucred_alloc(info);
	if (!uc)
		return -1;
	ucred_set_ids(uc, &dc);
	/* not known on a kernel without the call, or past the room here */
	DOOR_BUILD_CHECK(sizeof(gid_t) == sizeof(__u32));
	n = syscall(__NR_door_ucred_groups, uc->groups, UCRED_MAX_GROUPS);
	uc->ngroups = n < 0 ? -1 : (int)n;
	errno = err;
	return 0;
}

/* "Uid:\tR\tE\tS\tFS" and the like, from /proc/PID/status */
static int ucred_parse(ucred_t *uc, FILE *f)
{
	unsigned int r, e, s;
	char line[4096], *p, *end;
	int found = 0;

	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Uid: %u %u %u", &r, &e, &s) == 3) {
			uc->ruid = r, uc->euid = e, uc->suid = s;
			found |= 1;
		} else if (sscanf(line, "Gid: %u %u %u", &r, &e, &s) == 3) {
			uc->rgid = r, uc->egid = e, uc->sgid = s;
			found |= 2;
		} else if (!strncmp(line, "Groups:", 7)) {
			uc->ngroups = 0;
			for (p = line + 7;; p = end) {
				unsigned long g = strtoul(p, &end, 10);

				if (end == p)
					break;
				if (uc->ngroups == UCRED_MAX_GROUPS)
					return E2BIG;
				uc->groups[uc->ngroups++] = g;
			}
			found |= 4;
		}
	}
	return found == 7 ? 0 : EINVAL;
}

ucred_t *ucred_get(pid_t pid)
{
	char path[64];
	ucred_t *uc;
	FILE *f;
	int err;

	if (pid == P_MYID)
		pid = getpid();
	if (pid <= 0) {
		errno = EINVAL;
		return NULL;
	}
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			errno = ESRCH;
		return NULL;
	}
	uc = calloc(1, sizeof(*uc));
	if (!uc) {
		fclose(f);
		errno = EAGAIN;
		return NULL;
	}
	uc->pid = pid;
	err = ucred_parse(uc, f);
	fclose(f);
	if (err) {
		free(uc);
		errno = err;
		return NULL;
	}
	return uc;
}

uid_t ucred_geteuid(const ucred_t *uc)
{
	return uc->euid;
}

uid_t ucred_getruid(const ucred_t *uc)
{
	return uc->ruid;
}

uid_t ucred_getsuid(const ucred_t *uc)
{
	return uc->suid;
}

gid_t ucred_getegid(const ucred_t *uc)
{
	return uc->egid;
}

gid_t ucred_getrgid(const ucred_t *uc)
{
	return uc->rgid;
}

gid_t ucred_getsgid(const ucred_t *uc)
{
	return uc->sgid;
}

pid_t ucred_getpid(const ucred_t *uc)
{
	return uc->pid;
}

int ucred_getgroups(const ucred_t *uc, const gid_t **groups)
{
	if (uc->ngroups < 0) {
		errno = EINVAL;
		return -1;
	}
	*groups = uc->groups;
	return uc->ngroups;
}

/* The login uid of the process, from /proc: the audit id Linux keeps */
au_id_t ucred_getauid(const ucred_t *uc)
{
	char path[64];
	unsigned int id;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/loginuid", (int)uc->pid);
	f = uc->pid > 0 ? fopen(path, "re") : NULL;
	if (!f)
		return AU_NOAUID;
	n = fscanf(f, "%u", &id);
	fclose(f);
	/* never set: (uid_t)-1 on Linux */
	return n == 1 && id != (unsigned int)-1 ? (au_id_t)id : AU_NOAUID;
}

zoneid_t ucred_getzoneid(const ucred_t *uc)
{
	(void)uc;
	return GLOBAL_ZONEID;
}

/* Linux has no projects: not available, as ucred_get(3C) allows */
projid_t ucred_getprojid(const ucred_t *uc)
{
	(void)uc;
	errno = EINVAL;
	return -1;
}

/* No process on Linux has a Solaris privilege flag set */
uint_t ucred_getpflags(const ucred_t *uc, uint_t flag)
{
	(void)uc;
	switch (flag) {
	case PRIV_DEBUG:
	case PRIV_AWARE:
	case PRIV_AWARE_INHERIT:
	case NET_MAC_AWARE:
	case NET_MAC_AWARE_INHERIT:
	case PRIV_AWARE_RESET:
	case PRIV_XPOLICY:
	case PRIV_PFEXEC:
		return 0;
	}
	errno = EINVAL;
	return (uint_t)-1;
}

/* Capabilities are not Solaris privileges: not available */
const priv_set_t *ucred_getprivset(const ucred_t *uc, priv_ptype_t set)
{
	(void)uc;
	(void)set;
	errno = EINVAL;
	return NULL;
}

int getpeerucred(int fd, ucred_t **info)
{
	gid_t groups[UCRED_MAX_GROUPS];
	socklen_t len = sizeof(struct ucred);
	struct ucred peer;
	ucred_t *uc;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len)) {
		/* not a socket that knows its peer (Solaris: ENOTSUP) */
		if (errno == ENOPROTOOPT || errno == ENOTSOCK)
			errno = ENOTSUP;
		return -1;
	}
	/* an unconnected stream socket has no peer */
	if (peer.pid == 0 && peer.uid == (uid_t)-1) {
		errno = ENOTCONN;
		return -1;
	}
	len = sizeof(groups);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len)) {
		if (errno == ERANGE)
			errno = E2BIG;
		return -1;
	}
	uc = ucred_alloc(info);
	if (!uc)
		return -1;
	/* the kernel keeps the peer's effective ids only */
	ucred_set_ids(uc, &(struct door_ucred) {
		.pid = peer.pid, .uid = peer.uid, .euid = peer.uid,
		.suid = peer.uid, .gid = peer.gid, .egid = peer.gid,
		.sgid = peer.gid,
	});
	uc->ngroups = len / sizeof(gid_t);
	memcpy(uc->groups, groups, len);
	return 0;
}
