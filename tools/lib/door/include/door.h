/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * door.h - the Solaris/illumos door interface, on Linux doors.
 *
 * Programs written against Solaris' <door.h> build against this header
 * and link with libdoor (pkg-config --cflags --libs libdoor).  Types and
 * constants are in <sys/door.h>, as on Solaris; signatures are those of
 * door_create(3C) and friends.  Where Linux differs, tools/lib/door/README
 * and Documentation/userspace-api/door.rst say how.
 */
#ifndef _DOOR_H
#define _DOOR_H

#include <sys/door.h>
#include <ucred.h>

#ifdef __cplusplus
extern "C" {
#endif

/* a door's procedure, as door_create() takes it */
typedef void door_server_procedure_t(void *cookie, char *argp,
				     size_t arg_size, door_desc_t *dp,
				     uint_t n_desc);

typedef void door_server_func_t(door_info_t *);
/*
 * door_xcreate(): a private door's own thread creation function, called
 * with the door's information, the start function its thread must run
 * and the argument to give it, and door_xcreate()'s crcookie; it returns
 * 1 if it made a thread, 0 if it declines to, -1 if it failed.  The
 * setup function runs first in each new thread, with crcookie.
 */
typedef int door_xcreate_server_func_t(door_info_t *info,
				       void *(*startf)(void *),
				       void *startfarg, void *crcookie);
typedef void door_xcreate_thrsetup_func_t(void *crcookie);

int door_create(door_server_procedure_t *server_procedure, void *cookie,
		uint_t attributes);
int door_call(int d, door_arg_t *params);
int door_return(char *data_ptr, size_t data_size, door_desc_t *desc_ptr,
		uint_t num_desc);
int door_info(int d, door_info_t *info);
int door_revoke(int d);
int door_cred(door_cred_t *info);
int door_ucred(ucred_t **info);
int door_bind(int d);
int door_unbind(void);
int door_getparam(int d, int param, size_t *out);
int door_setparam(int d, int param, size_t val);
door_server_func_t *door_server_create(door_server_func_t *create_func);
int door_xcreate(door_server_procedure_t *server_procedure, void *cookie,
		 uint_t attributes, door_xcreate_server_func_t *cf,
		 door_xcreate_thrsetup_func_t *sf, void *crcookie, int nthread);

/*
 * libdoor's own: descriptors received in calls and results are not
 * close-on-exec, as on Solaris; door_set_cloexec(1) leaves them
 * close-on-exec (the Linux system calls' way) for the whole process.
 * Returns the previous setting.
 */
int door_set_cloexec(int on);

/* <stropts.h> on Solaris; glibc has no such header any more */
int fattach(int fildes, const char *path);
int fdetach(const char *path);

#ifdef __cplusplus
}
#endif

#endif /* _DOOR_H */
