/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * ucred.h - the Solaris/illumos user credential interface, as far as
 * libdoor provides it: credentials of a door's caller (door_ucred(3C)),
 * of a process (ucred_get(3C), from /proc) and of a Unix socket's peer
 * (getpeerucred(3C)).  Zones, projects and privilege sets are Solaris'
 * own: ucred_getzoneid() is the global zone, the others say the data is
 * not available (tools/lib/door/README).
 */
#ifndef _UCRED_H
#define _UCRED_H

#include <sys/types.h>

#ifndef _UINT_T_DECLARED
#define _UINT_T_DECLARED
typedef unsigned int uint_t;
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ucred_s ucred_t;

/* ucred_get(): the calling process */
#define P_MYID	(-1)

#ifndef _AU_ID_T_DECLARED
#define _AU_ID_T_DECLARED
typedef uid_t au_id_t;		/* an audit user id (Linux: the login uid) */
#endif
#ifndef AU_NOAUID
#define AU_NOAUID	((au_id_t)-2)	/* no audit id set */
#endif
typedef int zoneid_t;
#ifndef GLOBAL_ZONEID
#define GLOBAL_ZONEID	0	/* Linux has one zone: the global one */
#endif
typedef int projid_t;
typedef const char *priv_ptype_t;
typedef struct priv_set priv_set_t;

/* ucred_getpflags() flags (Solaris' <sys/priv.h>) */
#ifndef PRIV_DEBUG
#define PRIV_DEBUG		0x0001
#define PRIV_AWARE		0x0002
#define PRIV_AWARE_INHERIT	0x0004
#define NET_MAC_AWARE		0x0010
#define NET_MAC_AWARE_INHERIT	0x0020
#define PRIV_AWARE_RESET	0x0040
#define PRIV_XPOLICY		0x0080
#define PRIV_PFEXEC		0x0100
#endif

ucred_t *ucred_get(pid_t pid);
void ucred_free(ucred_t *uc);
size_t ucred_size(void);

uid_t ucred_geteuid(const ucred_t *uc);
uid_t ucred_getruid(const ucred_t *uc);
uid_t ucred_getsuid(const ucred_t *uc);
gid_t ucred_getegid(const ucred_t *uc);
gid_t ucred_getrgid(const ucred_t *uc);
gid_t ucred_getsgid(const ucred_t *uc);
int ucred_getgroups(const ucred_t *uc, const gid_t **groups);
pid_t ucred_getpid(const ucred_t *uc);
au_id_t ucred_getauid(const ucred_t *uc);
zoneid_t ucred_getzoneid(const ucred_t *uc);
projid_t ucred_getprojid(const ucred_t *uc);
uint_t ucred_getpflags(const ucred_t *uc, uint_t flag);
const priv_set_t *ucred_getprivset(const ucred_t *uc, priv_ptype_t set);

/* the peer of a connected Unix socket, as it was when it connected */
int getpeerucred(int fd, ucred_t **ucred);

#ifdef __cplusplus
}
#endif

#endif /* _UCRED_H */
