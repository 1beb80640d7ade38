/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sf_buf: short-lived kernel mappings of pages.
 *
 * A caller that needs to touch a page's contents for a moment asks for an
 * sf_buf, uses the address it gives and frees it.  Where every page is in
 * the direct map the calls cost nothing.  Where pages can live in highmem,
 * the implementation may keep freed mappings and hand them out again when
 * the same page is mapped anew, so that mapping a page twice does not mean
 * two page-table writes and two TLB invalidations.
 *
 * See Documentation/mm/sfbuf.rst.
 */
#ifndef _LINUX_SFBUF_H
#define _LINUX_SFBUF_H

#include <linux/mm.h>
#include <linux/highmem.h>
#include <linux/uio.h>

/* Flags for sf_buf_alloc() */
#define SFB_DEFAULT	0x0	/* may sleep until a mapping is free */
#define SFB_CATCH	0x1	/* the sleep is interruptible */
#define SFB_NOWAIT	0x2	/* never sleeps */
#define SFB_CPUPRIVATE	0x4	/* used on the current CPU only */
#define SFB_FLAGS	(SFB_CATCH | SFB_NOWAIT | SFB_CPUPRIVATE)

/*
 * An opaque handle.  What it points to, if anything, is the
 * implementation's business: use sf_buf_kva() and sf_buf_page().
 */
struct sf_buf;

/*
 * Whether every mapping is made through the out-of-line implementation:
 * with HIGHMEM, for highmem pages; with CONFIG_DEBUG_SFBUF, for every page,
 * so that the checks and the highmem code paths run on any machine.
 */
#define SF_BUF_MAPS_ALL	IS_ENABLED(CONFIG_DEBUG_SFBUF)
#define SF_BUF_MAPS_ANY	(IS_ENABLED(CONFIG_HIGHMEM) || SF_BUF_MAPS_ALL)

/*
 * Handles carry tags in their low bits.  A page reached through the
 * direct map is its struct page pointer, tagged SF_BUF_DIRECT when
 * SF_BUF_MAPS_ANY (without it every handle is a page).  Any other handle
 * is the page-aligned kernel address of the mapping, tagged with what
 * sf_buf_free() has to undo: SF_BUF_PRIVATE (the task was kept on its
 * CPU), SF_BUF_LOCAL (a kmap_local_page() mapping) or SF_BUF_KMAP (a
 * kmap() mapping).
 */
#define SF_BUF_DIRECT	0x1UL
#define SF_BUF_PRIVATE	0x2UL
#define SF_BUF_LOCAL	0x4UL
#define SF_BUF_KMAP	0x8UL
#define SF_BUF_TAGS	(SF_BUF_DIRECT | SF_BUF_PRIVATE | SF_BUF_LOCAL | \
			 SF_BUF_KMAP)

struct sf_buf *__sf_buf_alloc(struct page *page, int flags);
void __sf_buf_free(struct sf_buf *sf);
struct page *__sf_buf_page(struct sf_buf *sf);
struct sf_buf *sf_buf_map_private(struct page *page);
void sf_buf_unmap_private(struct sf_buf *sf);

/*
 * Whether a private mapping is made and released by one call to the
 * architecture's cache, inline from here, when the flags are a constant.
 * CONFIG_DEBUG_SFBUF goes through __sf_buf_alloc(), which checks the
 * contract.
 */
#define SF_BUF_PRIVATE_INLINE	(IS_ENABLED(CONFIG_ARCH_HAS_SFBUF_CACHE) && \
				 !IS_ENABLED(CONFIG_DEBUG_SFBUF))

/* Whether sf_buf_alloc() hands @page out through the direct map. */
static inline bool sf_buf_maps_directly(struct page *page)
{
	if (!SF_BUF_MAPS_ANY)
		return true;
	return !SF_BUF_MAPS_ALL && !PageHighMem(page);
}

/**
 * sf_buf_might_sleep() - check that an sf_buf allocation may sleep here
 * @flags: the flags the caller passes to sf_buf_alloc()
 *
 * With CONFIG_DEBUG_ATOMIC_SLEEP, reports an allocation that may sleep
 * (no %SFB_NOWAIT, no %SFB_CPUPRIVATE) made in atomic context, naming the
 * caller's line, on every configuration, also on those where this page
 * would never actually wait.  sf_buf_alloc() calls it.
 */
#define sf_buf_might_sleep(flags)					\
	__sf_buf_might_sleep(__FILE__, __LINE__, (flags))

static __always_inline void __sf_buf_might_sleep(const char *file, int line,
						 int flags)
{
#ifdef CONFIG_DEBUG_ATOMIC_SLEEP
	if (!(flags & (SFB_NOWAIT | SFB_CPUPRIVATE)))
		__might_sleep(file, line);
#endif
}

static __always_inline struct sf_buf *sf_buf_alloc_checked(struct page *page,
							   int flags)
{
	if (!SF_BUF_MAPS_ANY)
		return (struct sf_buf *)page;
	if (sf_buf_maps_directly(page))
		return (struct sf_buf *)((unsigned long)page | SF_BUF_DIRECT);
	if (SF_BUF_PRIVATE_INLINE && __builtin_constant_p(flags) &&
	    (flags & SFB_CPUPRIVATE) && !(flags & ~SFB_FLAGS))
		return sf_buf_map_private(page);
	return __sf_buf_alloc(page, flags);
}

/**
 * sf_buf_alloc() - map a page into kernel virtual memory for a short time
 * @page: the page to map; the caller holds a reference on it for the whole
 *	  life of the mapping
 * @flags: %SFB_DEFAULT, or a combination of:
 *	%SFB_CATCH: sleep interruptibly and return %NULL when a signal arrives;
 *	%SFB_NOWAIT: never sleep, never wait for other CPUs (IPIs), and
 *	return %NULL when no mapping can be had without either;
 *	%SFB_CPUPRIVATE: the mapping is used on the current CPU only; the task
 *	is kept on this CPU until sf_buf_free(), as with kmap_local_page(),
 *	and private mappings must be freed in the reverse order of allocation,
 *	on the CPU (and in the task or interrupt) that made them.
 *
 * A private (%SFB_CPUPRIVATE) allocation never sleeps and never fails,
 * and may be made in any context but NMI, with PREEMPT_RT too.
 *
 * A shared allocation must be made in task context with interrupts
 * enabled (it may have to send TLB invalidation IPIs), and may sleep
 * unless %SFB_NOWAIT is given.  The sleep is killable: without
 * %SFB_NOWAIT and %SFB_CATCH the call fails only when the task has a
 * fatal signal pending.  Waiters are served in FIFO order.
 *
 * Without HIGHMEM, and for pages that are not in highmem, the call neither
 * sleeps nor fails (unless CONFIG_DEBUG_SFBUF, which maps every page).
 *
 * Return: a handle for sf_buf_kva(), sf_buf_page() and sf_buf_free(), or
 * %NULL when no mapping could be made under the constraints of @flags.
 */
#define sf_buf_alloc(page, flags)					\
({									\
	int __sfb_flags = (flags);					\
									\
	sf_buf_might_sleep(__sfb_flags);				\
	sf_buf_alloc_checked((page), __sfb_flags);			\
})

/**
 * sf_buf_is_direct() - whether a handle is a direct-map access
 * @sf: a handle returned by sf_buf_alloc()
 *
 * Return: true when sf_buf_kva() is the page's direct-map address and no
 * mapping was made.
 */
static inline bool sf_buf_is_direct(struct sf_buf *sf)
{
	return !SF_BUF_MAPS_ANY || ((unsigned long)sf & SF_BUF_DIRECT);
}

/**
 * sf_buf_page() - the page an sf_buf maps
 * @sf: a handle returned by sf_buf_alloc()
 *
 * Return: the page given to sf_buf_alloc().
 */
static inline struct page *sf_buf_page(struct sf_buf *sf)
{
	if (sf_buf_is_direct(sf))
		return (struct page *)((unsigned long)sf & ~SF_BUF_DIRECT);
	return __sf_buf_page(sf);
}

/**
 * sf_buf_kva() - the kernel virtual address of an sf_buf's page
 * @sf: a handle returned by sf_buf_alloc()
 *
 * Return: the address at which the page can be read and written until
 * sf_buf_free() is called.
 */
static inline void *sf_buf_kva(struct sf_buf *sf)
{
	if (sf_buf_is_direct(sf))
		return page_address(sf_buf_page(sf));
	return (void *)((unsigned long)sf & PAGE_MASK);
}

/**
 * sf_buf_free() - release a mapping made by sf_buf_alloc()
 * @sf: the handle; it and its address must not be used afterwards
 *
 * Does not sleep.  The caller's reference on the page is not touched.
 * A shared mapping may be freed in any context but NMI, by any task.
 */
static inline void sf_buf_free(struct sf_buf *sf)
{
	if (sf_buf_is_direct(sf))
		return;
	if (SF_BUF_PRIVATE_INLINE &&
	    ((unsigned long)sf & SF_BUF_TAGS) == SF_BUF_PRIVATE)
		sf_buf_unmap_private(sf);
	else
		__sf_buf_free(sf);
}

#ifdef CONFIG_ARCH_HAS_SFBUF_CACHE
void sf_buf_flush_unused(void);
#else
static inline void sf_buf_flush_unused(void)
{
}
#endif

#ifdef CONFIG_ARCH_HAS_SFBUF_CACHE
/*
 * The architecture's mapping cache.  The system has one, used by
 * sf_buf_alloc(); tests make small private ones, so that what they do to
 * a cache (fill it, empty it, count its IPIs) neither depends on nor
 * disturbs the rest of the system.
 */
struct sf_buf_cache;

/* Per-cache event counts, the same events as the sfbuf_* vm events. */
enum sf_buf_cache_event {
	SF_BUF_EV_ALLOC,
	SF_BUF_EV_HIT,
	SF_BUF_EV_MISS,
	SF_BUF_EV_WAIT,
	SF_BUF_EV_LOCAL_FLUSH,
	SF_BUF_EV_IPI,
	SF_BUF_EV_NR
};

/* The system's cache, set up at boot; NULL when there is none. */
extern struct sf_buf_cache *sf_buf_system_cache;

struct sf_buf_cache *sf_buf_cache_create(unsigned int entries,
					 unsigned int slots);
void sf_buf_cache_destroy(struct sf_buf_cache *cache);
struct sf_buf *sf_buf_cache_alloc(struct sf_buf_cache *cache,
				  struct page *page, int flags);
void sf_buf_cache_free(struct sf_buf_cache *cache, struct sf_buf *sf);
unsigned long sf_buf_cache_events(struct sf_buf_cache *cache,
				  enum sf_buf_cache_event ev);
struct page *sf_buf_cache_page(struct sf_buf *sf);
unsigned int sf_buf_cache_entries(void);
unsigned int sf_buf_refill_cost(unsigned int n);

size_t sf_buf_copy_page_to_iter(struct page *page, size_t offset,
				size_t bytes, struct iov_iter *i);
size_t sf_buf_copy_page_from_iter(struct page *page, size_t offset,
				  size_t bytes, struct iov_iter *i);
#else
/*
 * Without a mapping cache there is nothing to reuse: copy_page_to_iter()
 * and copy_page_from_iter() already map each page the cheapest way there
 * is (page_address() without HIGHMEM, kmap_local_page() with it).
 */
static inline size_t sf_buf_copy_page_to_iter(struct page *page,
					      size_t offset, size_t bytes,
					      struct iov_iter *i)
{
	return copy_page_to_iter(page, offset, bytes, i);
}

static inline size_t sf_buf_copy_page_from_iter(struct page *page,
						size_t offset, size_t bytes,
						struct iov_iter *i)
{
	return copy_page_from_iter(page, offset, bytes, i);
}
#endif

#ifdef CONFIG_DEBUG_SFBUF
extern atomic_t sf_buf_debug_reports;
extern bool sf_buf_debug_quiet;
void sf_buf_debug_exit(struct task_struct *tsk);
#else
static inline void sf_buf_debug_exit(struct task_struct *tsk)
{
}
#endif

#endif /* _LINUX_SFBUF_H */
