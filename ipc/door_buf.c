// SPDX-License-Identifier: GPL-2.0
/*
 * Doors: argument buffer management.
 *
 * Every call starts with a DOOR_INLINE_SIZE byte buffer inside its own
 * state, which lives on the caller's kernel stack: most calls fit, and
 * those allocate nothing (the small-buffer scheme of Spring's IPC).  Data
 * that does not fit extends the buffer.  Up to DOOR_EXT_CACHE_MAX the
 * extension is a block of 1, 2 or 4 pages from a per-CPU cache that holds
 * one block of each size, so that back-to-back medium calls on a CPU never
 * reach the page allocator.  Cached blocks are not charged to anyone; a
 * block is charged to the memory cgroup of the call's caller while a call
 * holds it.  Larger arguments bypass this file (the server thread copies
 * them straight from the caller's pages); larger results use kvmalloc().
 */
#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <linux/gfp.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>

#include "door.h"

static DEFINE_PER_CPU(struct page *, door_ext_cache[DOOR_EXT_CACHE_ORDERS]);

/**
 * door_ext_alloc_pages - allocate an extension block
 * @order: its order
 *
 * Return: the first page, charged to the active memory cgroup, or NULL.
 */
struct page *door_ext_alloc_pages(unsigned int order)
{
	KUNIT_STATIC_STUB_REDIRECT(door_ext_alloc_pages, order);
	return alloc_pages(GFP_KERNEL_ACCOUNT | __GFP_NOWARN, order);
}
EXPORT_SYMBOL_IF_KUNIT(door_ext_alloc_pages);

/**
 * door_ext_kvmalloc - allocate a buffer for results too large for a block
 * @size: its size
 *
 * Return: the buffer, charged to the active memory cgroup, or NULL.
 */
void *door_ext_kvmalloc(size_t size)
{
	KUNIT_STATIC_STUB_REDIRECT(door_ext_kvmalloc, size);
	return kvmalloc(size, GFP_KERNEL_ACCOUNT);
}
EXPORT_SYMBOL_IF_KUNIT(door_ext_kvmalloc);

static struct page *door_ext_get(unsigned int order)
{
	struct page *page = this_cpu_xchg(door_ext_cache[order], NULL);

	if (!page)
		return door_ext_alloc_pages(order);
	if (!memcg_kmem_charge_page(page, GFP_KERNEL_ACCOUNT, order))
		return page;
	/* over the cgroup's limit: the block stays cached for others */
	if (this_cpu_cmpxchg(door_ext_cache[order], NULL, page))
		__free_pages(page, order);
	return NULL;
}

static void door_ext_put(struct page *page, unsigned int order)
{
	memcg_kmem_uncharge_page(page, order);
	if (this_cpu_cmpxchg(door_ext_cache[order], NULL, page))
		__free_pages(page, order);
}

/**
 * door_buf_release - give back a buffer's extension
 * @b: the buffer
 *
 * Leaves @b empty, with its inline buffer only.
 */
void door_buf_release(struct door_buf *b)
{
	switch (b->kind) {
	case DOOR_EXT_PAGES:
		door_ext_put(virt_to_page(b->ext), b->order);
		break;
	case DOOR_EXT_KVMALLOC:
		kvfree(b->ext);
		break;
	case DOOR_EXT_NONE:
		break;
	}
	door_buf_init(b);
}
EXPORT_SYMBOL_IF_KUNIT(door_buf_release);

/**
 * door_buf_reserve - make room for @size bytes
 * @b: the buffer
 * @size: bytes needed, at most DOOR_DATA_LIMIT
 * @memcg: memory cgroup to charge a new extension to, NULL for the
 *	current task's
 *
 * Keeps the present extension when it is large enough (results reuse the
 * arguments' buffer); the data held is not preserved.  Allocates nothing
 * when @size fits the inline buffer.
 *
 * Return: 0, or -ENOMEM.
 */
int door_buf_reserve(struct door_buf *b, size_t size,
		     struct mem_cgroup *memcg)
{
	struct mem_cgroup *old_memcg = NULL;
	unsigned int order;
	struct page *page;

	b->size = 0;
	if (size <= (b->ext ? b->cap : DOOR_INLINE_SIZE))
		return 0;
	door_buf_release(b);

	if (memcg)
		old_memcg = set_active_memcg(memcg);
	if (size <= DOOR_EXT_CACHE_MAX) {
		order = get_order(size);
		page = door_ext_get(order);
		if (page) {
			b->kind = DOOR_EXT_PAGES;
			b->order = order;
			b->ext = page_address(page);
			b->cap = PAGE_SIZE << order;
		}
	} else {
		b->ext = door_ext_kvmalloc(size);
		if (b->ext) {
			b->kind = DOOR_EXT_KVMALLOC;
			b->cap = size;
		}
	}
	if (memcg)
		set_active_memcg(old_memcg);
	return b->ext ? 0 : -ENOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(door_buf_reserve);

/**
 * door_buf_fill - copy @size bytes into a buffer
 * @b: the buffer
 * @from: where they come from
 * @size: how many, at most DOOR_DATA_LIMIT
 * @memcg: as for door_buf_reserve()
 *
 * Return: 0, -ENOMEM, or -EFAULT if @from ran short (then @b holds no
 * data).
 */
int door_buf_fill(struct door_buf *b, struct iov_iter *from, size_t size,
		  struct mem_cgroup *memcg)
{
	int ret = door_buf_reserve(b, size, memcg);

	if (ret)
		return ret;
	if (!copy_from_iter_full(door_buf_data(b), size, from))
		return -EFAULT;
	b->size = size;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(door_buf_fill);

/**
 * door_buf_drain - copy a buffer's data out
 * @b: the buffer
 * @to: where the data goes
 *
 * Return: 0, or -EFAULT if @to could not take all of it.
 */
int door_buf_drain(struct door_buf *b, struct iov_iter *to)
{
	if (copy_to_iter(door_buf_data(b), b->size, to) != b->size)
		return -EFAULT;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(door_buf_drain);

/**
 * door_buf_move - hand a buffer's data to another owner
 * @dst: the new owner's buffer; its own extension is released first
 * @src: the buffer given away; left empty
 *
 * An extension changes hands without a copy; inline data is copied.
 */
void door_buf_move(struct door_buf *dst, struct door_buf *src)
{
	door_buf_release(dst);
	if (src->ext) {
		dst->kind = src->kind;
		dst->order = src->order;
		dst->ext = src->ext;
		dst->cap = src->cap;
	} else {
		memcpy(dst->inline_data, src->inline_data, src->size);
	}
	dst->size = src->size;
	door_buf_init(src);
}
EXPORT_SYMBOL_IF_KUNIT(door_buf_move);
