/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * door.h - the Solaris/illumos door interface, on Linux doors.
 *
 * Programs written against Solaris' <door.h> build against this header
 * and link with libdoor (pkg-config --cflags --libs libdoor).  Types,
 * constants and signatures are those of door_create(3C) and friends;
 * where Linux differs, tools/lib/door/README and
 * Documentation/userspace-api/door.rst say how.
 */
#ifndef _DOOR_H
#define _DOOR_H

#include <stddef.h>
#include <sys/types.h>
#include <ucred.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef _UINT_T_DECLARED
#define _UINT_T_DECLARED
typedef unsigned int uint_t;
#endif

typedef unsigned long long door_ptr_t;	/* a value of the server's */
typedef unsigned int door_attr_t;
/* 8-byte aligned on every ABI, so that door_desc_t is the kernel's */
typedef unsigned long long door_id_t __attribute__((aligned(8)));

/* door_create() attributes, also reported by door_info() */
#define DOOR_UNREF		0x0001	/* deliver unreferenced notifications */
#define DOOR_PRIVATE		0x0002	/* the door has its own thread pool */
#define DOOR_UNREF_MULTI	0x0010	/* ... every time it becomes unreferenced */
#define DOOR_REFUSE_DESC	0x0040	/* calls carrying descriptors fail */
#define DOOR_NO_CANCEL		0x0080	/* never cancel a server thread */

/* attributes only door_info() reports */
#define DOOR_LOCAL		0x0004	/* served by the caller's process */
#define DOOR_REVOKED		0x0008	/* revoked, or its server is gone */
#define DOOR_IS_UNREF		0x0020	/* only one descriptor refers to it */

/* door_desc_t.d_attributes */
#define DOOR_DESCRIPTOR		0x10000	/* d_descriptor is a descriptor */
#define DOOR_RELEASE		0x40000	/* close the sender's once passed */

/* the argument pointer of an unreferenced notification */
#define DOOR_UNREF_DATA		((void *)1)

/* an invalid door descriptor */
#define DOOR_INVAL		(-1)

/* door_getparam() / door_setparam() */
#define DOOR_PARAM_DESC_MAX	1	/* most descriptors per call */
#define DOOR_PARAM_DATA_MIN	2	/* least argument data per call */
#define DOOR_PARAM_DATA_MAX	3	/* most argument data per call */

typedef struct door_desc {
	door_attr_t d_attributes;
	union {
		struct {
			int d_descriptor;
			door_id_t d_id;	/* the door's id, for doors */
		} d_desc;
		int d_resv[4];
	} d_data;
} door_desc_t;

typedef struct door_arg {
	char *data_ptr;		/* in: arguments; out: results */
	size_t data_size;
	door_desc_t *desc_ptr;	/* in: descriptors passed; out: received */
	uint_t desc_num;
	char *rbuf;		/* results go here, or in a new mapping */
	size_t rsize;
} door_arg_t;

typedef struct door_info {
	pid_t di_target;		/* server process, -1 if none */
	door_ptr_t di_proc;		/* server procedure */
	door_ptr_t di_data;		/* its cookie */
	door_attr_t di_attributes;
	door_id_t di_uniquifier;	/* unique id of the door */
	int di_resv[4];
} door_info_t;

typedef struct door_cred {
	uid_t dc_euid;
	gid_t dc_egid;
	uid_t dc_ruid;
	gid_t dc_rgid;
	pid_t dc_pid;
	int dc_resv[4];
} door_cred_t;

typedef void door_server_func_t(door_info_t *);

int door_create(void (*server_procedure)(void *cookie, char *argp,
					 size_t arg_size, door_desc_t *dp,
					 uint_t n_desc),
		void *cookie, uint_t attributes);
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
