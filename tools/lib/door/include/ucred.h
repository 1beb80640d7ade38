/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * ucred.h - the Solaris/illumos user credential interface, as far as
 * libdoor provides it: credentials of a door's caller (door_ucred(3C))
 * and of a process (ucred_get(3C), from /proc).
 */
#ifndef _UCRED_H
#define _UCRED_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ucred_s ucred_t;

/* ucred_get(): the calling process */
#define P_MYID	(-1)

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

#ifdef __cplusplus
}
#endif

#endif /* _UCRED_H */
