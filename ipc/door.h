/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Doors: the argument buffer manager, shared by ipc/door.c and its KUnit
 * test.
 */
#ifndef _IPC_DOOR_H
#define _IPC_DOOR_H

#include <linux/sizes.h>
#include <linux/types.h>
#include <uapi/linux/door.h>

struct iov_iter;
struct mem_cgroup;
struct page;

/*
 * Data up to this size travels through an extension buffer (1, 2 or 4
 * pages of 4 KiB) taken from a per-CPU cache; larger arguments are copied
 * by the server thread straight out of the pages the caller pinned, larger
 * results go through a kvmalloc()ed buffer.
 */
#define DOOR_EXT_CACHE_MAX	SZ_16K
#define DOOR_EXT_CACHE_ORDERS	\
	(PAGE_SHIFT >= 14 ? 1 : 14 - PAGE_SHIFT + 1)

enum door_ext_kind {
	DOOR_EXT_NONE,		/* data in @inline_data */
	DOOR_EXT_PAGES,		/* per-CPU cached block of 2^order pages */
	DOOR_EXT_KVMALLOC,	/* kvmalloc()ed: large results, or no block */
};

/**
 * struct door_buf - the data of one call, arguments first, then results
 * @size:	bytes of data held
 * @kind:	where they are
 * @order:	order of the page block, for DOOR_EXT_PAGES
 * @ext:	extension buffer, or NULL
 * @cap:	size of @ext
 * @inline_data: the small buffer every call starts with
 *
 * A door_buf has exactly one owner at a time: the caller while it fills
 * the arguments and reads the results, the server thread in between.
 * Moving one (door_buf_move()) moves the extension, never copies it.
 */
struct door_buf {
	size_t size;
	enum door_ext_kind kind;
	unsigned int order;
	void *ext;
	size_t cap;
	u8 inline_data[DOOR_INLINE_SIZE];
};

static inline void door_buf_init(struct door_buf *b)
{
	b->size = 0;
	b->kind = DOOR_EXT_NONE;
	b->ext = NULL;
	b->cap = 0;
}

static inline void *door_buf_data(struct door_buf *b)
{
	return b->ext ? b->ext : b->inline_data;
}

int door_buf_reserve(struct door_buf *b, size_t size,
		     struct mem_cgroup *memcg);
int door_buf_fill(struct door_buf *b, struct iov_iter *from, size_t size,
		  struct mem_cgroup *memcg);
int door_buf_drain(struct door_buf *b, struct iov_iter *to);
void door_buf_move(struct door_buf *dst, struct door_buf *src);
void door_buf_release(struct door_buf *b);

/* Allocation hooks, redirected by the KUnit test */
struct page *door_ext_alloc_pages(unsigned int order);
void *door_ext_kvmalloc(size_t size);

#endif /* _IPC_DOOR_H */
