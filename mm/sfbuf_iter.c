// SPDX-License-Identifier: GPL-2.0
/*
 * Copies between a page and an iov_iter through sf_buf mappings.
 *
 * copy_page_to_iter() and copy_page_from_iter() map each page with
 * kmap_local_page(), which on HIGHMEM writes a page-table entry and
 * invalidates a TLB entry every time.  Callers that copy the same pages
 * over and over (pipe buffers) use these instead, so that a page still
 * held in the sf_buf cache is copied without either.  Built only with an
 * architecture's mapping cache; elsewhere they are the iov_iter functions
 * themselves (see <linux/sfbuf.h>).
 */
#include <linux/export.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sfbuf.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

static bool sf_buf_copy_compound_ok(struct page *page, size_t offset,
				    size_t bytes)
{
	size_t size = page_size(compound_head(page)) -
		      (page - compound_head(page)) * PAGE_SIZE;

	return !WARN_ON_ONCE(offset > size || bytes > size - offset);
}

/* The range must lie within the (possibly compound) page. */
static __always_inline bool sf_buf_copy_range_ok(struct page *page,
						 size_t offset, size_t bytes)
{
	if (likely(offset + bytes <= PAGE_SIZE && offset + bytes >= bytes))
		return true;
	return sf_buf_copy_compound_ok(page, offset, bytes);
}

/*
 * A private mapping of a page sf_buf_alloc() would not hand out directly
 * (the caller checked): straight to the architecture's cache, unless
 * CONFIG_DEBUG_SFBUF wants the checked path.  Not sf_buf_alloc() itself:
 * it tests the zone again per page, and the compiler then keeps the
 * direct-map branches of sf_buf_kva() and sf_buf_free() in the loop,
 * some 12 instructions per page on x86-32.
 */
static __always_inline struct sf_buf *sf_buf_map_copy(struct page *page)
{
	if (SF_BUF_PRIVATE_INLINE)
		return sf_buf_map_private(page);
	return __sf_buf_alloc(page, SFB_CPUPRIVATE);
}

/*
 * Copy @bytes at @offset of @page, one page at a time.  Mappings come from
 * a pool that every task shares, so none is held across a fault on user
 * memory, which can take arbitrarily long (userfaultfd): the copy runs
 * with page faults disabled, and on a fault the mapping is dropped, the
 * user memory faulted in and the copy retried.  The mappings are
 * CPU-private: nothing here sleeps or migrates while one is held.
 */
static __always_inline size_t sf_buf_copy_page(struct page *page,
					       size_t offset, size_t bytes,
					       struct iov_iter *i, bool to_iter)
{
	size_t done = 0;

	if (!sf_buf_copy_range_ok(page, offset, bytes))
		return 0;
	page += offset / PAGE_SIZE;
	offset %= PAGE_SIZE;
	while (bytes) {
		size_t n = min(bytes, PAGE_SIZE - offset);
		struct sf_buf *sf = sf_buf_map_copy(page);
		void *kva = sf_buf_kva(sf) + offset;
		size_t copied;

		pagefault_disable();
		if (to_iter)
			copied = _copy_to_iter(kva, n, i);
		else
			copied = _copy_from_iter(kva, n, i);
		pagefault_enable();
		sf_buf_free(sf);

		done += copied;
		bytes -= copied;
		offset += copied;
		if (offset == PAGE_SIZE) {
			page++;
			offset = 0;
		}
		if (copied < n) {
			size_t want = n - copied;

			/* A kernel iterator falls short only when it ends. */
			if (!user_backed_iter(i))
				break;
			/* Not even a byte can be faulted in: a real fault. */
			if (to_iter ? fault_in_iov_iter_writeable(i, want) == want :
				      fault_in_iov_iter_readable(i, want) == want)
				break;
			/*
			 * The memory may be taken away again before the retry
			 * (or a copy may keep failing for another reason):
			 * stay killable and let others run.
			 */
			if (fatal_signal_pending(current))
				break;
			cond_resched();
		}
	}
	return done;
}

/**
 * sf_buf_copy_page_to_iter() - copy from a page to an iov_iter
 * @page: the page, or a page of a compound page, to copy from
 * @offset: where in @page the data starts; may reach into later pages of
 *	    the compound page
 * @bytes: how much to copy
 * @i: the destination
 *
 * Like copy_page_to_iter(), with a highmem page mapped privately through
 * sf_buf (a lowmem page is simply handed to copy_page_to_iter()).  May
 * sleep, to fault in user memory, but never while holding a mapping.
 *
 * Return: the number of bytes copied, less than @bytes on a fault that
 * cannot be resolved, a fatal signal or the end of @i.
 */
size_t sf_buf_copy_page_to_iter(struct page *page, size_t offset,
				size_t bytes, struct iov_iter *i)
{
	if (sf_buf_maps_directly(page))
		return copy_page_to_iter(page, offset, bytes, i);
	if (WARN_ON_ONCE(i->data_source))
		return 0;
	return sf_buf_copy_page(page, offset, bytes, i, true);
}
EXPORT_SYMBOL_GPL(sf_buf_copy_page_to_iter);

/**
 * sf_buf_copy_page_from_iter() - copy from an iov_iter to a page
 * @page: the page, or a page of a compound page, to copy to
 * @offset: where in @page the data goes; may reach into later pages of
 *	    the compound page
 * @bytes: how much to copy
 * @i: the source
 *
 * Like copy_page_from_iter(), with a highmem page mapped privately
 * through sf_buf (a lowmem page is simply handed to copy_page_from_iter()).
 * May sleep, to fault in user memory, but never while holding a mapping.
 *
 * Return: the number of bytes copied, less than @bytes on a fault that
 * cannot be resolved, a fatal signal or the end of @i.
 */
size_t sf_buf_copy_page_from_iter(struct page *page, size_t offset,
				  size_t bytes, struct iov_iter *i)
{
	if (sf_buf_maps_directly(page))
		return copy_page_from_iter(page, offset, bytes, i);
	if (WARN_ON_ONCE(!i->data_source))
		return 0;
	return sf_buf_copy_page(page, offset, bytes, i, false);
}
EXPORT_SYMBOL_GPL(sf_buf_copy_page_from_iter);
