// SPDX-License-Identifier: GPL-2.0
/*
 * sf_buf: what every configuration that makes mappings shares.
 *
 * sf_buf_alloc() sends here the pages it cannot hand out through the
 * direct map.  With an architecture's mapping cache, mappings come from
 * it.  Without one, or when it could not be set up, a private mapping is
 * a kmap_local_page() mapping and a shared one a kmap() mapping, with no
 * allocation: the handle is the address, tagged with how it was made.
 *
 * CONFIG_DEBUG_SFBUF checks the private-mapping contract with a small
 * stack in each task, touched only by the task itself (an interrupt
 * handler's private mappings nest on those of the task it interrupted,
 * and must be gone when it returns, as with kmap_local_page()).
 */
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sfbuf.h>
#include <linux/stdarg.h>

#include <kunit/visibility.h>

#ifdef CONFIG_DEBUG_SFBUF
#define SF_BUF_DEBUG_DEPTH	ARRAY_SIZE(((struct task_struct *)0)->sf_buf_stack)

/* Broken contracts seen; KUnit provokes some on purpose and counts them. */
atomic_t sf_buf_debug_reports = ATOMIC_INIT(0);
EXPORT_SYMBOL_IF_KUNIT(sf_buf_debug_reports);
bool sf_buf_debug_quiet;
EXPORT_SYMBOL_IF_KUNIT(sf_buf_debug_quiet);

static __printf(1, 2) void sf_buf_report(const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	atomic_inc(&sf_buf_debug_reports);
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (READ_ONCE(sf_buf_debug_quiet))
		pr_info("sf_buf: expected: %pV", &vaf);
	else
		WARN(1, "sf_buf: %pV", &vaf);
	va_end(args);
}

/*
 * An interrupt that comes in between the steps pushes and pops its own
 * mappings and leaves the depth as it found it, so the order of the steps
 * (depth first on a push, last on a pop) is all the protection needed.
 */
static void sf_buf_debug_push(struct sf_buf *sf)
{
	struct task_struct *tsk = current;
	unsigned int depth = tsk->sf_buf_depth;

	WRITE_ONCE(tsk->sf_buf_depth, depth + 1);
	barrier();
	if (depth < SF_BUF_DEBUG_DEPTH) {
		tsk->sf_buf_stack[depth].handle = (unsigned long)sf;
		tsk->sf_buf_stack[depth].cpu = raw_smp_processor_id();
	}
}

static void sf_buf_debug_pop(struct sf_buf *sf)
{
	struct task_struct *tsk = current;
	unsigned int depth = tsk->sf_buf_depth;

	if (!depth) {
		sf_buf_report("private mapping %p freed by %s[%d], which holds none\n",
			      sf, tsk->comm, task_pid_nr(tsk));
		return;
	}
	depth--;
	if (depth < SF_BUF_DEBUG_DEPTH) {
		if (tsk->sf_buf_stack[depth].handle != (unsigned long)sf)
			sf_buf_report("private mapping %p freed before %p, made after it\n",
				      sf, (void *)tsk->sf_buf_stack[depth].handle);
		else if (tsk->sf_buf_stack[depth].cpu != raw_smp_processor_id())
			sf_buf_report("private mapping %p made on CPU %d freed on CPU %d\n",
				      sf, tsk->sf_buf_stack[depth].cpu,
				      raw_smp_processor_id());
	}
	barrier();
	WRITE_ONCE(tsk->sf_buf_depth, depth);
}

/**
 * sf_buf_debug_exit() - report and release private mappings a task leaked
 * @tsk: the exiting task (current)
 *
 * Called by do_exit().  A private mapping keeps its task on one CPU, so the
 * leaked ones can still be freed here, on the CPU that made them.
 */
void sf_buf_debug_exit(struct task_struct *tsk)
{
	unsigned int depth = tsk->sf_buf_depth;

	if (!depth)
		return;
	sf_buf_report("%s[%d] exits holding %u private mappings\n", tsk->comm,
		      task_pid_nr(tsk), depth);
	while (depth > SF_BUF_DEBUG_DEPTH) {
		/* Lost track of those: at least let the task migrate again. */
		tsk->sf_buf_depth = --depth;
		migrate_enable();
	}
	while (tsk->sf_buf_depth)
		__sf_buf_free((struct sf_buf *)
			      tsk->sf_buf_stack[tsk->sf_buf_depth - 1].handle);
}
#else
static inline void sf_buf_debug_push(struct sf_buf *sf)
{
}

static inline void sf_buf_debug_pop(struct sf_buf *sf)
{
}
#endif /* CONFIG_DEBUG_SFBUF */

static struct sf_buf *sf_buf_tag(void *kva, unsigned long tags)
{
	return (struct sf_buf *)((unsigned long)kva | tags);
}

static struct sf_buf *sf_buf_alloc_private(struct page *page)
{
	struct sf_buf *sf;

#ifdef CONFIG_ARCH_HAS_SFBUF_CACHE
	sf = sf_buf_map_private(page);
#else
	migrate_disable();
	sf = sf_buf_tag(kmap_local_page(page), SF_BUF_PRIVATE | SF_BUF_LOCAL);
#endif
	sf_buf_debug_push(sf);
	return sf;
}

/*
 * kmap() waits for a pkmap slot uninterruptibly, and that wait is not
 * ours to change: SFB_CATCH is honoured for a signal already pending, and
 * SFB_NOWAIT cannot be honoured at all for a highmem page.  What follows
 * is kmap() and kunmap() spelt out, on kmap_high(): those wrappers are
 * deprecated for new users, and this is the one place that needs a
 * sleeping, shareable highmem mapping.
 */
static struct sf_buf *sf_buf_alloc_kmap(struct page *page, int flags)
{
	if ((flags & SFB_NOWAIT) && PageHighMem(page))
		return NULL;
	if ((flags & SFB_CATCH) ? signal_pending(current) :
				  fatal_signal_pending(current))
		return NULL;
	might_sleep();
#ifdef CONFIG_HIGHMEM
	if (PageHighMem(page))
		return sf_buf_tag(kmap_high(page), SF_BUF_KMAP);
#endif
	return sf_buf_tag(page_address(page), SF_BUF_KMAP);
}

/**
 * __sf_buf_alloc() - map a page that is not handed out directly
 * @page: the page, referenced by the caller
 * @flags: as for sf_buf_alloc()
 *
 * The slow path of sf_buf_alloc(), which handles direct-mapped pages
 * inline; call that instead.
 *
 * Return: the handle, or %NULL.
 */
struct sf_buf *__sf_buf_alloc(struct page *page, int flags)
{
	if (WARN_ON_ONCE(flags & ~SFB_FLAGS))
		return NULL;
	if (flags & SFB_CPUPRIVATE)
		return sf_buf_alloc_private(page);
	/* Shared mappings may need IPIs (or kmap()): say so at once. */
	if (WARN_ON_ONCE(!in_task() || irqs_disabled()))
		return NULL;
#ifdef CONFIG_ARCH_HAS_SFBUF_CACHE
	{
		struct sf_buf_cache *c = READ_ONCE(sf_buf_system_cache);

		if (c)
			return sf_buf_cache_alloc(c, page, flags);
	}
#endif
	return sf_buf_alloc_kmap(page, flags);
}
EXPORT_SYMBOL_GPL(__sf_buf_alloc);

/**
 * __sf_buf_free() - release a mapping made by __sf_buf_alloc()
 * @sf: the handle
 *
 * The slow path of sf_buf_free(); call that instead.  Does not sleep.
 */
void __sf_buf_free(struct sf_buf *sf)
{
	unsigned long tags = (unsigned long)sf & SF_BUF_TAGS;
	void *kva = sf_buf_kva(sf);

	if (tags & SF_BUF_PRIVATE)
		sf_buf_debug_pop(sf);
	if (tags & SF_BUF_LOCAL) {
		kunmap_local(kva);
		migrate_enable();
	} else if (tags & SF_BUF_KMAP) {
		struct page *page = kmap_to_page(kva);

		if (PageHighMem(page))
			kunmap_high(page);
	} else {
#ifdef CONFIG_ARCH_HAS_SFBUF_CACHE
		if (tags & SF_BUF_PRIVATE)
			sf_buf_unmap_private(sf);
		else
			sf_buf_cache_free(sf_buf_system_cache, sf);
#else
		WARN_ON_ONCE(1);
#endif
	}
}
EXPORT_SYMBOL_GPL(__sf_buf_free);

/**
 * __sf_buf_page() - the page of a handle that is not direct
 * @sf: the handle
 *
 * The slow path of sf_buf_page(); call that instead.
 *
 * Return: the page @sf maps.
 */
struct page *__sf_buf_page(struct sf_buf *sf)
{
	unsigned long tags = (unsigned long)sf & SF_BUF_TAGS;

	if (tags & (SF_BUF_LOCAL | SF_BUF_KMAP))
		return kmap_to_page(sf_buf_kva(sf));
#ifdef CONFIG_ARCH_HAS_SFBUF_CACHE
	return sf_buf_cache_page(sf);
#else
	WARN_ON_ONCE(1);
	return NULL;
#endif
}
EXPORT_SYMBOL_GPL(__sf_buf_page);
