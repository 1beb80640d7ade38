// SPDX-License-Identifier: GPL-2.0
/*
 * Doors: argument buffer management.
 *
 * Every call starts with a DOOR_INLINE_SIZE byte buffer inside its own
 * state, which its thread keeps from call to call: most calls fit, and
 * those allocate nothing (the small-buffer scheme of Spring's IPC).  Data
 * that does not fit extends the buffer.  Up to DOOR_EXT_CACHE_MAX the
 * extension is a block of 1, 2 or 4 pages from a per-CPU cache that holds
 * one block of each size, so that back-to-back medium calls on a CPU never
 * reach the page allocator; when no block of the order can be had, the
 * extension is kvmalloc()ed instead.  Cached blocks are not charged to
 * anyone; a block is charged to the memory cgroup of the call's caller
 * while a call holds it.  Larger arguments mostly bypass this file (the
 * server thread copies them straight from the pages the caller pinned).
 * Larger data, results above all, goes into a vector of single pages,
 * highmem included: results of any size need no contiguous memory and no
 * vmalloc space, of which a 32-bit kernel has little.  A vector's pages
 * are allocated as they are filled, so that a bad source faults before
 * much memory is taken, and freed as they are drained, so that results
 * never take twice their size (the vector and the caller's new mapping).
 *
 * Locking: none.  A cache slot holds one block pointer and is only ever
 * exchanged atomically, so a task that migrates between reading its CPU's
 * slot and using it merely uses another CPU's slot; the shrinker and the
 * CPU-hotplug teardown empty slots of any CPU the same way.
 */
#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <linux/cpuhotplug.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#include "door.h"

static DEFINE_PER_CPU(struct page *, door_ext_cache[DOOR_EXT_CACHE_ORDERS]);

/*
 * Over its cgroup's limit a caller gets -ENOMEM: its call is not worth an
 * OOM kill in its cgroup.  Blocks are not worth compaction either (there
 * is a fallback); the fallback tries harder.
 */
#define DOOR_BLOCK_GFP	(GFP_KERNEL_ACCOUNT | __GFP_NORETRY | __GFP_NOWARN)
#define DOOR_VMALLOC_GFP \
	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)
/* a vector's pages are only ever reached through kmap_local_page() */
#define DOOR_VEC_GFP	(DOOR_VMALLOC_GFP | __GFP_HIGHMEM)

/* Pages freed or copied between two chances to reschedule */
#define DOOR_VEC_BATCH	256

/**
 * door_ext_alloc_pages - allocate an extension block
 * @order: its order
 *
 * Return: the first page, charged to the active memory cgroup, or NULL.
 */
struct page *door_ext_alloc_pages(unsigned int order)
{
	KUNIT_STATIC_STUB_REDIRECT(door_ext_alloc_pages, order);
	return alloc_pages(DOOR_BLOCK_GFP, order);
}
EXPORT_SYMBOL_IF_KUNIT(door_ext_alloc_pages);

/**
 * door_ext_kvmalloc - allocate an extension that is not a cached block
 * @size: its size
 *
 * Return: the buffer, charged to the active memory cgroup, or NULL.
 */
void *door_ext_kvmalloc(size_t size)
{
	void *p;

	KUNIT_STATIC_STUB_REDIRECT(door_ext_kvmalloc, size);
	/* physically contiguous if that is cheap, else any pages */
	p = kmalloc(size, DOOR_BLOCK_GFP);
	return p ? p : __vmalloc(size, DOOR_VMALLOC_GFP);
}
EXPORT_SYMBOL_IF_KUNIT(door_ext_kvmalloc);

/**
 * door_ext_alloc_page - allocate one page of a page vector
 * @memcg: memory cgroup to charge it to, NULL for the current task's
 *
 * Gives up, without an OOM kill, when memory (the cgroup's included) runs
 * out.  May sleep.
 *
 * Return: the page, or NULL.
 */
struct page *door_ext_alloc_page(struct mem_cgroup *memcg)
{
	struct mem_cgroup *old_memcg;
	struct page *page;

	KUNIT_STATIC_STUB_REDIRECT(door_ext_alloc_page, memcg);
	if (!memcg)
		return alloc_page(DOOR_VEC_GFP);
	old_memcg = set_active_memcg(memcg);
	page = alloc_page(DOOR_VEC_GFP);
	set_active_memcg(old_memcg);
	return page;
}
EXPORT_SYMBOL_IF_KUNIT(door_ext_alloc_page);

/* Free a vector of @nr page slots, some of them maybe empty. */
static void door_ext_free_vec(struct page **pages, unsigned long nr)
{
	unsigned long i;

	might_sleep();
	for (i = 0; i < nr; i++) {
		if (pages[i])
			__free_page(pages[i]);
		if (i % DOOR_VEC_BATCH == DOOR_VEC_BATCH - 1)
			cond_resched();
	}
	kvfree(pages);
}

/* Put @page in @slot unless the slot is taken; false if it was. */
static bool door_ext_cache_put(struct page **slot, struct page *page)
{
	return !cmpxchg(slot, NULL, page);
}

static struct page *door_ext_get(unsigned int order)
{
	struct page **slot = raw_cpu_ptr(&door_ext_cache[order]);
	struct page *page = xchg(slot, NULL);

	if (!page)
		return door_ext_alloc_pages(order);
	if (!memcg_kmem_charge_page(page, DOOR_BLOCK_GFP, order))
		return page;
	/* over the cgroup's limit: the block stays cached for others */
	if (!door_ext_cache_put(slot, page))
		__free_pages(page, order);
	return NULL;
}

static void door_ext_put(struct page *page, unsigned int order)
{
	memcg_kmem_uncharge_page(page, order);
	if (!door_ext_cache_put(raw_cpu_ptr(&door_ext_cache[order]), page))
		__free_pages(page, order);
}

/* Free the blocks cached for @cpu; returns how many pages that freed. */
static unsigned long door_ext_drain(unsigned int cpu)
{
	unsigned long freed = 0;
	unsigned int order;
	struct page *page;

	for (order = 0; order < DOOR_EXT_CACHE_ORDERS; order++) {
		page = xchg(per_cpu_ptr(&door_ext_cache[order], cpu), NULL);
		if (page) {
			__free_pages(page, order);
			freed += 1UL << order;
		}
	}
	return freed;
}

static int door_ext_cpu_dead(unsigned int cpu)
{
	door_ext_drain(cpu);
	return 0;
}

static unsigned long door_ext_count(struct shrinker *shrinker,
				    struct shrink_control *sc)
{
	unsigned long pages = 0;
	unsigned int cpu, order;

	for_each_possible_cpu(cpu)
		for (order = 0; order < DOOR_EXT_CACHE_ORDERS; order++)
			if (READ_ONCE(*per_cpu_ptr(&door_ext_cache[order], cpu)))
				pages += 1UL << order;
	return pages ? pages : SHRINK_EMPTY;
}

/* At most a few pages per CPU: all go at once, whatever nr_to_scan says. */
static unsigned long door_ext_scan(struct shrinker *shrinker,
				   struct shrink_control *sc)
{
	unsigned long freed = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		freed += door_ext_drain(cpu);
	return freed ? freed : SHRINK_STOP;
}

static int __init door_ext_cache_init(void)
{
	struct shrinker *shrinker;
	int ret;

	shrinker = shrinker_alloc(0, "door-ext");
	if (!shrinker)
		return -ENOMEM;
	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "ipc/door:dead",
					NULL, door_ext_cpu_dead);
	if (ret < 0) {
		shrinker_free(shrinker);
		return ret;
	}
	shrinker->count_objects = door_ext_count;
	shrinker->scan_objects = door_ext_scan;
	shrinker->batch = 0;
	shrinker_register(shrinker);
	return 0;
}
late_initcall(door_ext_cache_init);

/**
 * door_buf_release - give back a buffer's extension
 * @b: the buffer
 *
 * Leaves @b empty, with its inline buffer only.  Sleeps only for a page
 * vector, which is never released under a lock.
 */
void door_buf_release(struct door_buf *b)
{
	switch (b->kind) {
	case DOOR_EXT_VEC:
		door_ext_free_vec(b->ext, b->cap >> PAGE_SHIFT);
		break;
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
 * @size: bytes needed
 * @memcg: memory cgroup to charge a new extension to, NULL for the
 *	current task's
 *
 * Keeps the present extension when it is large enough (results reuse the
 * arguments' buffer), unless it is a page vector; the data held is not
 * preserved.  Allocates nothing
 * when @size fits the inline buffer; of a page vector, only its slots
 * (door_buf_fill() allocates the pages).  May sleep.
 *
 * Return: 0, -ENOMEM, or -EINTR if the task is being killed.
 */
int door_buf_reserve(struct door_buf *b, size_t size,
		     struct mem_cgroup *memcg)
{
	struct mem_cgroup *old_memcg = NULL;
	unsigned int order;
	struct page *page;
	unsigned long nr;

	b->size = 0;
	/* a vector is never kept: its pages are the last call's memcg's */
	if (size <= door_buf_room(b))
		return 0;
	door_buf_release(b);
	if (size <= DOOR_INLINE_SIZE)
		return 0;

	if (memcg)
		old_memcg = set_active_memcg(memcg);
	if (size > DOOR_EXT_CACHE_MAX) {
		/* the page slots only: the pages come as they are filled */
		nr = DIV_ROUND_UP(size, PAGE_SIZE);
		if (nr && nr <= totalram_pages())
			b->ext = kvcalloc(nr, sizeof(struct page *),
					  DOOR_VMALLOC_GFP);
		if (b->ext) {
			b->kind = DOOR_EXT_VEC;
			b->cap = nr << PAGE_SHIFT;
		}
		goto out;
	}
	order = get_order(size);
	page = door_ext_get(order);
	if (page) {
		b->kind = DOOR_EXT_PAGES;
		b->order = order;
		b->ext = page_address(page);
		b->cap = PAGE_SIZE << order;
	} else {
		/* no contiguous block (fragmented memory): any pages do */
		b->ext = door_ext_kvmalloc(size);
		if (b->ext) {
			b->kind = DOOR_EXT_KVMALLOC;
			b->cap = size;
		}
	}
out:
	if (memcg)
		set_active_memcg(old_memcg);
	if (b->ext)
		return 0;
	return fatal_signal_pending(current) ? -EINTR : -ENOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(door_buf_reserve);

/**
 * door_buf_fill - copy @size bytes into a buffer
 * @b: the buffer
 * @from: where they come from
 * @size: how many
 * @memcg: as for door_buf_reserve()
 * @watch: for results, where the server thread's call is: a page vector
 *	stops filling when it becomes NULL (the caller left); or NULL
 *
 * May sleep.
 *
 * Return: 0, -ENOMEM, -EINTR if the task is being killed, -ESRCH if
 * *@watch became NULL, or -EFAULT if @from ran short (in each case @b
 * holds no data).
 */
int door_buf_fill(struct door_buf *b, struct iov_iter *from, size_t size,
		  struct mem_cgroup *memcg, struct door_call **watch)
{
	struct page **pages, **page;
	size_t done, n;
	int ret;

	ret = door_buf_reserve(b, size, memcg);
	if (ret)
		return ret;
	if (b->kind != DOOR_EXT_VEC) {
		if (!copy_from_iter_full(door_buf_data(b), size, from))
			return -EFAULT;
		b->size = size;
		return 0;
	}
	pages = b->ext;
	for (done = 0; done < size; done += n) {
		n = min_t(size_t, size - done, PAGE_SIZE);
		if (!(done & (DOOR_VEC_BATCH * PAGE_SIZE - 1))) {
			if (fatal_signal_pending(current))
				return -EINTR;
			if (watch && !READ_ONCE(*watch))
				return -ESRCH;
			cond_resched();
		}
		page = &pages[done >> PAGE_SHIFT];
		if (!*page)
			*page = door_ext_alloc_page(memcg);
		if (!*page)
			return fatal_signal_pending(current) ? -EINTR : -ENOMEM;
		if (copy_page_from_iter(*page, 0, n, from) != n)
			return -EFAULT;
	}
	b->size = size;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(door_buf_fill);

/**
 * door_buf_drain - copy a buffer's data out
 * @b: the buffer
 * @to: where the data goes
 *
 * A page vector is consumed: each page is freed once copied, and @b is
 * left empty, whatever the outcome.  May sleep.
 *
 * Return: 0, -EFAULT if @to could not take all of it, or -EINTR if the
 * task is being killed.
 */
int door_buf_drain(struct door_buf *b, struct iov_iter *to)
{
	struct page **pages = b->ext;
	size_t done, n;
	int ret = 0;

	if (b->kind != DOOR_EXT_VEC) {
		if (copy_to_iter(door_buf_data(b), b->size, to) != b->size)
			return -EFAULT;
		return 0;
	}
	for (done = 0; done < b->size; done += n) {
		n = min_t(size_t, b->size - done, PAGE_SIZE);
		if (!(done & (DOOR_VEC_BATCH * PAGE_SIZE - 1))) {
			ret = fatal_signal_pending(current) ? -EINTR : 0;
			if (ret)
				break;
			cond_resched();
		}
		if (copy_page_to_iter(pages[done >> PAGE_SHIFT], 0, n, to) != n) {
			ret = -EFAULT;
			break;
		}
		__free_page(pages[done >> PAGE_SHIFT]);
		pages[done >> PAGE_SHIFT] = NULL;
	}
	door_buf_release(b);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(door_buf_drain);

/**
 * door_buf_move - hand a buffer's data to another owner
 * @dst: the new owner's buffer; its own extension is released first, and
 *	must not be a page vector (moves happen under the pool's lock)
 * @src: the buffer given away; left empty
 *
 * An extension changes hands without a copy; inline data is copied.
 */
void door_buf_move(struct door_buf *dst, struct door_buf *src)
{
	/* not freed under the lock: back in @src, for its owner to release */
	if (WARN_ON_ONCE(dst->kind == DOOR_EXT_VEC)) {
		swap(*dst, *src);
		src->size = 0;
		return;
	}
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
