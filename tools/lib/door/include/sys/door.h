/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * sys/door.h - the types and constants of Solaris/illumos doors, on Linux
 * doors; <door.h> declares the functions.  Layouts are Solaris' (door_desc_t
 * and door_info_t packed to 4 bytes, as on amd64 Solaris), which libdoor
 * translates to and from the kernel's (<linux/door.h>).
 */
#ifndef _SYS_DOOR_H
#define _SYS_DOOR_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef _UINT_T_DECLARED
#define _UINT_T_DECLARED
typedef unsigned int uint_t;
#endif

typedef unsigned long long door_ptr_t;	/* a value of the server's */
typedef unsigned int door_attr_t;
typedef unsigned long long door_id_t;

/* door_create() attributes, also reported by door_info() */
#define DOOR_UNREF		0x0001	/* deliver unreferenced notifications */
#define DOOR_PRIVATE		0x0002	/* the door has its own thread pool */
#define DOOR_UNREF_MULTI	0x0010	/* ... every time it becomes unreferenced */
#define DOOR_REFUSE_DESC	0x0040	/* calls carrying descriptors fail */
#define DOOR_NO_CANCEL		0x0080	/* never cancel a server thread */

/* door_xcreate() attributes (Solaris'); door_create() refuses them */
#define DOOR_NO_DEPLETION_CB	0x0100	/* call the creation function once */
#define DOOR_PRIVCREATE		0x0200	/* a private creation function */

/* attributes only door_info() reports */
#define DOOR_LOCAL		0x0004	/* served by the caller's process */
#define DOOR_REVOKED		0x0008	/* revoked, or its server is gone */
#define DOOR_IS_UNREF		0x0020	/* only one descriptor refers to it */
#define DOOR_DEPLETION_CB	0x0400	/* in a depletion callback's info */

#define DOOR_CREATE_MASK	(DOOR_UNREF | DOOR_PRIVATE | DOOR_UNREF_MULTI | \
				 DOOR_REFUSE_DESC | DOOR_NO_CANCEL | \
				 DOOR_NO_DEPLETION_CB | DOOR_PRIVCREATE)
#define DOOR_ATTR_MASK		(DOOR_CREATE_MASK | DOOR_LOCAL | \
				 DOOR_REVOKED | DOOR_IS_UNREF)

/* door_desc_t.d_attributes */
#define DOOR_DESCRIPTOR		0x10000	/* d_descriptor is a descriptor */
#define DOOR_RELEASE		0x40000	/* close the sender's once passed */

/* the argument pointer of an unreferenced notification */
#define DOOR_UNREF_DATA		((void *)1)

/* an invalid door descriptor */
#define DOOR_INVAL		(-1)
/* door_info(): the private door the calling thread is bound to */
#define DOOR_QUERY		(-2)

/* door_getparam() / door_setparam() */
#define DOOR_PARAM_DESC_MAX	1	/* most descriptors per call */
#define DOOR_PARAM_DATA_MIN	2	/* least argument data per call */
#define DOOR_PARAM_DATA_MAX	3	/* most argument data per call */

/* Solaris' layout on every ABI: 4-byte alignment inside */
#pragma pack(push, 4)
typedef struct door_desc {
	door_attr_t d_attributes;
	union {
		struct {
			int d_descriptor;
			door_id_t d_id;	/* the door's id, for doors */
		} d_desc;
		int d_resv[5];
	} d_data;
} door_desc_t;
#pragma pack(pop)

typedef struct door_arg {
	char *data_ptr;		/* in: arguments; out: results */
	size_t data_size;
	door_desc_t *desc_ptr;	/* in: descriptors passed; out: received */
	uint_t desc_num;
	char *rbuf;		/* results go here, or in a new mapping */
	size_t rsize;
} door_arg_t;

#pragma pack(push, 4)
typedef struct door_info {
	pid_t di_target;		/* server process, -1 if none */
	door_ptr_t di_proc;		/* server procedure */
	door_ptr_t di_data;		/* its cookie */
	door_attr_t di_attributes;
	door_id_t di_uniquifier;	/* unique id of the door */
	int di_resv[4];
} door_info_t;
#pragma pack(pop)

typedef struct door_cred {
	uid_t dc_euid;
	gid_t dc_egid;
	uid_t dc_ruid;
	gid_t dc_rgid;
	pid_t dc_pid;
	int dc_resv[4];
} door_cred_t;

#ifdef __cplusplus
}
#endif

#endif /* _SYS_DOOR_H */
