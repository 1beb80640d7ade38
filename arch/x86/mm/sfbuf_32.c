// SPDX-License-Identifier: GPL-2.0
/*
 * sf_buf mapping cache for x86-32 with HIGHMEM.
 *
 * A fixed pool of kernel virtual pages maps highmem pages on demand.  A
 * freed entry keeps its mapping and goes to the tail of an LRU list, and
 * a hash from page to entry finds it again: mapping a page that is still
 * mapped, in use or not, costs neither a page-table write nor a TLB
 * invalidation.  A page that is not mapped takes the least recently used
 * free entry, whose page-table entry is re-pointed.
 *
 * TLB invalidation is lazy.  Each entry has a mask of the CPUs whose TLB
 * is known to hold no stale translation for its address.  Re-pointing an
 * entry clears the mask, unless the old translation was never used (its
 * accessed bit is clear, so no TLB can hold it).  An allocating CPU that
 * is not in the mask invalidates its own entry and joins the mask.  A
 * private (SFB_CPUPRIVATE) allocation needs nothing more and sends no IPI;
 * a shared one sends an IPI only to the online CPUs missing from the mask.
 *
 * This follows the i386 sf_buf implementation of FreeBSD, described in
 * Elmeleegy et al., "A Portable Kernel Abstraction for Low-Overhead
 * Ephemeral Mapping Management", USENIX ATC 2005.
 */
#include <linux/cpumask.h>
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/kstrtox.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sfbuf.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>
#include <linux/wait.h>

#include <asm/tlbflush.h>

#define SF_BUF_ENTRIES_DEFAULT	1024
#define SF_BUF_ENTRIES_MIN	64
#define SF_BUF_ENTRIES_MAX	16384

struct sf_buf_entry {
	struct sf_buf sf;
	struct hlist_node hash;		/* in sf_buf_hash while sf.page is set */
	struct list_head lru;		/* on sf_buf_lru while ref is zero */
	unsigned int ref;
	pte_t *ptep;
	struct cpumask clean;		/* CPUs holding no stale translation */
};

static unsigned int sf_buf_nentries = SF_BUF_ENTRIES_DEFAULT;
static struct sf_buf_entry *sf_buf_entries;
static struct hlist_head *sf_buf_hash;
static unsigned int sf_buf_hash_bits;
static LIST_HEAD(sf_buf_lru);
/*
 * The wait queue's lock protects the hash, the LRU list and every entry's
 * page, ref and clean mask.  It is taken with interrupts disabled, since
 * SFB_NOWAIT | SFB_CPUPRIVATE allocations may come from atomic context.
 */
static DECLARE_WAIT_QUEUE_HEAD(sf_buf_wq);

static int __init sf_buf_entries_setup(char *arg)
{
	unsigned int n;

	if (kstrtouint(arg, 0, &n))
		return -EINVAL;
	sf_buf_nentries = clamp(n, SF_BUF_ENTRIES_MIN, SF_BUF_ENTRIES_MAX);
	return 0;
}
early_param("sfbuf_entries", sf_buf_entries_setup);

/**
 * sf_buf_cache_entries() - the number of entries in the mapping cache
 *
 * Return: the size of the pool, as set by the sfbuf_entries= parameter.
 */
unsigned int sf_buf_cache_entries(void)
{
	return sf_buf_nentries;
}
EXPORT_SYMBOL_GPL(sf_buf_cache_entries);

static struct hlist_head *sf_buf_bucket(struct page *page)
{
	return &sf_buf_hash[hash_ptr(page, sf_buf_hash_bits)];
}

/*
 * Find the entry mapping @page or re-point the least recently used free
 * one to it, and take a reference.  NULL when neither exists.
 */
static struct sf_buf_entry *sf_buf_get_locked(struct page *page)
{
	struct hlist_head *bucket = sf_buf_bucket(page);
	struct sf_buf_entry *e;
	pte_t old;

	hlist_for_each_entry(e, bucket, hash) {
		if (e->sf.page == page) {
			if (e->ref++ == 0)
				list_del(&e->lru);
			count_vm_event(SFBUF_HIT);
			return e;
		}
	}

	e = list_first_entry_or_null(&sf_buf_lru, struct sf_buf_entry, lru);
	if (!e)
		return NULL;
	list_del(&e->lru);
	if (e->sf.page)
		hlist_del(&e->hash);
	/*
	 * Clearing the entry atomically also collects an accessed bit set by
	 * a speculative walk on another CPU up to the very last moment.  The
	 * new entry starts "old", so that its accessed bit tells whether any
	 * TLB may have loaded it by the time it is re-pointed again.
	 */
	old = ptep_get_and_clear(&init_mm, (unsigned long)e->sf.kva, e->ptep);
	if (pte_young(old))
		cpumask_clear(&e->clean);
	set_pte(e->ptep, pte_mkold(mk_pte(page, PAGE_KERNEL)));
	e->sf.page = page;
	e->ref = 1;
	hlist_add_head(&e->hash, bucket);
	count_vm_event(SFBUF_MISS);
	return e;
}

/*
 * Sleep until an entry is freed.  Called and returns with the lock held
 * and interrupts disabled; returns false on a signal with SFB_CATCH.
 */
static bool sf_buf_wait_locked(int flags)
{
	unsigned int state = flags & SFB_CATCH ? TASK_INTERRUPTIBLE :
						 TASK_UNINTERRUPTIBLE;
	DEFINE_WAIT(wait);
	bool woken;

	count_vm_event(SFBUF_WAIT);
	wait.flags |= WQ_FLAG_EXCLUSIVE;
	__add_wait_queue_entry_tail(&sf_buf_wq, &wait);
	set_current_state(state);
	spin_unlock_irq(&sf_buf_wq.lock);
	schedule();
	spin_lock_irq(&sf_buf_wq.lock);
	__set_current_state(TASK_RUNNING);
	/* autoremove_wake_function() unlinks the waiter it wakes. */
	woken = list_empty(&wait.entry);
	if (!woken)
		__remove_wait_queue(&sf_buf_wq, &wait);
	if ((flags & SFB_CATCH) && signal_pending(current)) {
		/* Hand a wake-up meant for us on to the next waiter. */
		if (woken && !list_empty(&sf_buf_lru))
			wake_up_locked(&sf_buf_wq);
		return false;
	}
	return true;
}

static void sf_buf_flush_one(void *kva)
{
	flush_tlb_one_kernel((unsigned long)kva);
}

/**
 * __sf_buf_alloc() - map a highmem page through the cache
 * @page: a highmem page, referenced by the caller
 * @flags: as for sf_buf_alloc()
 *
 * The slow path of sf_buf_alloc(), which handles direct-mapped pages
 * inline; call that instead.  A shared allocation may send IPIs and so
 * must be made with interrupts enabled.
 *
 * Return: the handle, or %NULL.
 */
struct sf_buf *__sf_buf_alloc(struct page *page, int flags)
{
	struct sf_buf_entry *e;
	struct cpumask stale;
	unsigned long irqflags;
	int cpu;

	if (WARN_ON_ONCE(flags & ~SFB_FLAGS))
		return NULL;
	if (flags & SFB_CPUPRIVATE)
		migrate_disable();

	spin_lock_irqsave(&sf_buf_wq.lock, irqflags);
	count_vm_event(SFBUF_ALLOC);
	while (!(e = sf_buf_get_locked(page))) {
		if ((flags & SFB_NOWAIT) || !sf_buf_wait_locked(flags)) {
			spin_unlock_irqrestore(&sf_buf_wq.lock, irqflags);
			if (flags & SFB_CPUPRIVATE)
				migrate_enable();
			return NULL;
		}
	}

	cpu = smp_processor_id();
	if (!cpumask_test_cpu(cpu, &e->clean)) {
		flush_tlb_one_kernel((unsigned long)e->sf.kva);
		cpumask_set_cpu(cpu, &e->clean);
		count_vm_event(SFBUF_LOCAL_FLUSH);
	}
	if (flags & SFB_CPUPRIVATE) {
		spin_unlock_irqrestore(&sf_buf_wq.lock, irqflags);
		return (struct sf_buf *)((unsigned long)&e->sf | SF_BUF_PRIVATE);
	}

	cpumask_andnot(&stale, cpu_online_mask, &e->clean);
	spin_unlock_irqrestore(&sf_buf_wq.lock, irqflags);
	if (cpumask_empty(&stale))
		return &e->sf;

	/*
	 * While we hold a reference the entry cannot be re-pointed, so
	 * the CPUs flushed here may join the mask afterwards.  The task
	 * may have moved to one of them, hence on_each_cpu_mask(), which
	 * also covers the current CPU.
	 */
	lockdep_assert_irqs_enabled();
	preempt_disable();
	count_vm_events(SFBUF_IPI, cpumask_weight(&stale) -
			cpumask_test_cpu(smp_processor_id(), &stale));
	on_each_cpu_mask(&stale, sf_buf_flush_one, e->sf.kva, true);
	preempt_enable();
	spin_lock_irqsave(&sf_buf_wq.lock, irqflags);
	cpumask_or(&e->clean, &e->clean, &stale);
	spin_unlock_irqrestore(&sf_buf_wq.lock, irqflags);
	return &e->sf;
}
EXPORT_SYMBOL(__sf_buf_alloc);

/**
 * __sf_buf_free() - drop a reference to a cache entry
 * @sf: a handle from __sf_buf_alloc()
 *
 * The slow path of sf_buf_free(); call that instead.  The entry keeps its
 * mapping.  Does not sleep.
 */
void __sf_buf_free(struct sf_buf *sf)
{
	bool private = (unsigned long)sf & SF_BUF_PRIVATE;
	struct sf_buf_entry *e;
	unsigned long irqflags;

	e = container_of(sf_buf_untag(sf), struct sf_buf_entry, sf);
	spin_lock_irqsave(&sf_buf_wq.lock, irqflags);
	if (WARN_ON_ONCE(!e->ref))
		goto out;
	if (--e->ref == 0) {
		list_add_tail(&e->lru, &sf_buf_lru);
		/* Waiters queue under the lock we hold: no barrier needed. */
		if (waitqueue_active(&sf_buf_wq))
			wake_up_locked(&sf_buf_wq);
	}
out:
	spin_unlock_irqrestore(&sf_buf_wq.lock, irqflags);
	if (private)
		migrate_enable();
}
EXPORT_SYMBOL(__sf_buf_free);

static int __init sf_buf_collect_pte(pte_t *ptep, unsigned long addr,
				     void *data)
{
	pte_t ***next = data;

	*(*next)++ = ptep;
	return 0;
}

static int __init sf_buf_init(void)
{
	unsigned long size = (unsigned long)sf_buf_nentries << PAGE_SHIFT;
	struct vm_struct *area;
	pte_t **ptes, **next;
	unsigned int i;

	sf_buf_hash_bits = ilog2(roundup_pow_of_two(sf_buf_nentries));
	sf_buf_hash = kcalloc(1U << sf_buf_hash_bits, sizeof(*sf_buf_hash),
			      GFP_KERNEL);
	sf_buf_entries = kcalloc(sf_buf_nentries, sizeof(*sf_buf_entries),
				 GFP_KERNEL);
	ptes = kcalloc(sf_buf_nentries, sizeof(*ptes), GFP_KERNEL);
	area = get_vm_area(size, VM_MAP);
	next = ptes;
	/* Page tables for the whole area are made now and never freed. */
	if (!sf_buf_hash || !sf_buf_entries || !ptes || !area ||
	    apply_to_page_range(&init_mm, (unsigned long)area->addr, size,
				sf_buf_collect_pte, &next))
		panic("sf_buf: cannot set up %u mapping entries\n",
		      sf_buf_nentries);

	for (i = 0; i < sf_buf_nentries; i++) {
		struct sf_buf_entry *e = &sf_buf_entries[i];

		e->sf.kva = area->addr + ((unsigned long)i << PAGE_SHIFT);
		e->ptep = ptes[i];
		/* Nothing was ever mapped here: no TLB can be stale. */
		cpumask_setall(&e->clean);
		list_add_tail(&e->lru, &sf_buf_lru);
	}
	kfree(ptes);
	pr_info("sf_buf: %u mapping entries\n", sf_buf_nentries);
	return 0;
}
core_initcall(sf_buf_init);
