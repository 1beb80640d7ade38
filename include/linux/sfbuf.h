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

/**
 * struct sf_buf - an ephemeral mapping of one page
 * @page: the page mapped
 * @kva: the kernel virtual address @page is mapped at
 *
 * Only highmem pages are described by a struct sf_buf; the handle of a page
 * that is in the direct map is the page itself (see sf_buf_alloc()).
 * Implementations embed this structure in their own bookkeeping.
 */
struct sf_buf {
	struct page *page;
	void *kva;
};

/*
 * With HIGHMEM, handles carry tags in their low bits: a direct-mapped page
 * is its struct page pointer tagged SF_BUF_DIRECT, so that mapping it needs
 * no bookkeeping, and a highmem mapping made with SFB_CPUPRIVATE is tagged
 * SF_BUF_PRIVATE, so that sf_buf_free() knows to undo what that flag did.
 */
#define SF_BUF_DIRECT	1UL
#define SF_BUF_PRIVATE	2UL
#define SF_BUF_TAGS	(SF_BUF_DIRECT | SF_BUF_PRIVATE)

static inline struct sf_buf *sf_buf_untag(struct sf_buf *sf)
{
	return (struct sf_buf *)((unsigned long)sf & ~SF_BUF_TAGS);
}

struct sf_buf *__sf_buf_alloc(struct page *page, int flags);
void __sf_buf_free(struct sf_buf *sf);
#ifdef CONFIG_ARCH_HAS_SFBUF_CACHE
unsigned int sf_buf_cache_entries(void);
#endif

static inline void sf_buf_might_sleep(int flags)
{
#ifdef CONFIG_DEBUG_ATOMIC_SLEEP
	/*
	 * Only highmem pages ever wait for a mapping; checking every
	 * caller catches a sleeping allocation in atomic context on the
	 * configurations that would never actually sleep too.
	 */
	if (!(flags & SFB_NOWAIT))
		__might_sleep(__FILE__, __LINE__);
#endif
}

/**
 * sf_buf_alloc() - map a page into kernel virtual memory for a short time
 * @page: the page to map; the caller holds a reference on it for the whole
 *	  life of the mapping
 * @flags: %SFB_DEFAULT, or a combination of:
 *	%SFB_CATCH: sleep interruptibly and return %NULL when a signal arrives;
 *	%SFB_NOWAIT: never sleep and return %NULL when no mapping is free;
 *	%SFB_CPUPRIVATE: the mapping is used on the current CPU only; the task
 *	is kept on this CPU until sf_buf_free(), as with kmap_local_page(),
 *	and private mappings must be freed in the reverse order of allocation.
 *
 * Without %SFB_NOWAIT the call may sleep.  %SFB_NOWAIT | %SFB_CPUPRIVATE
 * may be used in atomic context.  Without %SFB_NOWAIT and %SFB_CATCH the
 * call never fails.  Without HIGHMEM, and for pages that are not in
 * highmem, it neither sleeps nor fails.
 *
 * Return: a handle for sf_buf_kva(), sf_buf_page() and sf_buf_free(), or
 * %NULL when no mapping could be made under the constraints of @flags.
 */
static inline struct sf_buf *sf_buf_alloc(struct page *page, int flags)
{
	sf_buf_might_sleep(flags);
	if (!IS_ENABLED(CONFIG_HIGHMEM))
		return (struct sf_buf *)page;
	if (!PageHighMem(page))
		return (struct sf_buf *)((unsigned long)page | SF_BUF_DIRECT);
	return __sf_buf_alloc(page, flags);
}

static inline bool sf_buf_is_direct(struct sf_buf *sf)
{
	return !IS_ENABLED(CONFIG_HIGHMEM) ||
	       ((unsigned long)sf & SF_BUF_DIRECT);
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
		return (struct page *)sf_buf_untag(sf);
	return sf_buf_untag(sf)->page;
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
	return sf_buf_untag(sf)->kva;
}

/**
 * sf_buf_free() - release a mapping made by sf_buf_alloc()
 * @sf: the handle; it and its address must not be used afterwards
 *
 * Does not sleep.  The caller's reference on the page is not touched.
 */
static inline void sf_buf_free(struct sf_buf *sf)
{
	if (!sf_buf_is_direct(sf))
		__sf_buf_free(sf);
}

#ifdef CONFIG_ARCH_HAS_SFBUF_CACHE
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

#endif /* _LINUX_SFBUF_H */
