// SPDX-License-Identifier: GPL-2.0
/*
 * Generic sf_buf implementation for configurations with highmem.
 *
 * It makes no attempt to reuse mappings: a private sf_buf is a
 * kmap_local_page() mapping and a shared one a kmap() mapping.  What it
 * adds to those is the sf_buf contract (a handle, the flags, freeing from
 * any context) so that code converted to sf_buf is correct everywhere.
 */
#include <linux/init.h>
#include <linux/sched/signal.h>
#include <linux/sfbuf.h>
#include <linux/slab.h>

static struct kmem_cache *sf_buf_cachep;

/**
 * __sf_buf_alloc() - map a highmem page; the slow path of sf_buf_alloc()
 * @page: a highmem page, referenced by the caller
 * @flags: as for sf_buf_alloc()
 *
 * Call sf_buf_alloc() instead, which handles direct-mapped pages inline.
 * %SFB_NOWAIT without %SFB_CPUPRIVATE always fails here, since kmap() may
 * sleep; %SFB_CATCH fails only when a signal is already pending.
 *
 * Return: the handle, or %NULL.
 */
struct sf_buf *__sf_buf_alloc(struct page *page, int flags)
{
	struct sf_buf *sf;

	if (WARN_ON_ONCE(flags & ~SFB_FLAGS))
		return NULL;
	/* kmap() may have to wait for a free pkmap slot. */
	if ((flags & (SFB_NOWAIT | SFB_CPUPRIVATE)) == SFB_NOWAIT)
		return NULL;
	if ((flags & SFB_CATCH) && signal_pending(current))
		return NULL;

	/*
	 * The handle is tiny, and sf_buf_alloc() promises callers that may
	 * sleep that it does not fail.
	 */
	sf = kmem_cache_alloc(sf_buf_cachep, flags & SFB_NOWAIT ? GFP_NOWAIT :
			      GFP_KERNEL | __GFP_NOFAIL);
	if (!sf)
		return NULL;
	sf->page = page;
	if (flags & SFB_CPUPRIVATE) {
		sf->kva = kmap_local_page(page);
		return (struct sf_buf *)((unsigned long)sf | SF_BUF_PRIVATE);
	}
	sf->kva = kmap_high(page);
	return sf;
}
EXPORT_SYMBOL(__sf_buf_alloc);

/**
 * __sf_buf_free() - unmap a highmem page; the slow path of sf_buf_free()
 * @sf: a handle from __sf_buf_alloc()
 *
 * Call sf_buf_free() instead.  Does not sleep.
 */
void __sf_buf_free(struct sf_buf *sf)
{
	bool private = (unsigned long)sf & SF_BUF_PRIVATE;

	sf = sf_buf_untag(sf);
	if (private)
		kunmap_local(sf->kva);
	else
		kunmap_high(sf->page);
	kmem_cache_free(sf_buf_cachep, sf);
}
EXPORT_SYMBOL(__sf_buf_free);

static int __init sf_buf_init(void)
{
	sf_buf_cachep = KMEM_CACHE(sf_buf, SLAB_PANIC);
	return 0;
}
core_initcall(sf_buf_init);
