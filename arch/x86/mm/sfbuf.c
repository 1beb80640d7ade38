// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 sf_buf mapping cache: x86-32 with HIGHMEM, and any x86 kernel
 * with CONFIG_DEBUG_SFBUF (which sends every page through it).
 *
 * A cache is one area of kernel virtual pages in two parts.
 *
 * Private slots.  Each CPU owns some pages of the area that only it ever
 * maps, for SFB_CPUPRIVATE mappings.  A per-CPU hash finds the slot that
 * already maps a page: a hit writes no PTE, invalidates nothing and
 * writes no cache line another CPU writes.  A miss takes a slot from the
 * CPU's reserve of clean ones (unmapped: x86 caches no translation of a
 * not-present PTE, so no TLB holds one) and writes its PTE, with no
 * invalidation of its own.  When the reserve runs out, a refill unmaps a
 * batch of cold free slots and invalidates them together: one invlpg
 * each, or one flush of this CPU's TLB when the batch is larger than
 * tlb_single_page_flush_ceiling, the kernel's measured crossover.  With
 * the default batch that is one flush per 64 misses.  A clock hand picks
 * the cold slots and gives a second chance to slots hit since it last
 * passed, so that a stream of pages mapped once does not push out pages
 * mapped again and again.  No other CPU uses these addresses, so no other
 * TLB holds a translation that is used (another CPU may load one
 * speculatively: that matters only to sf_buf_flush_unused()).  Slots are
 * touched only by their own CPU, with preemption
 * disabled and a per-CPU busy flag that makes an interrupt arriving
 * meanwhile do without them: no lock and no IRQ toggling, on PREEMPT_RT
 * as well.  With all of a CPU's slots in use (or the CPU busy),
 * sf_buf_alloc() falls back to kmap_local_page().  The system cache's
 * per-CPU state is a static per-CPU variable, reached without a pointer
 * to the cache; it stays busy until the cache exists.
 *
 * Shared entries.  The rest of the area holds mappings that any CPU may
 * use.  An entry that maps a page is in a hash, where it is found without
 * a lock (an RCU list walk and a reference taken by cmpxchg, which fails
 * while the entry is claimed).  An entry's PTE is only ever set from an
 * unmapped state that no TLB on any CPU can hold; that invariant is what
 * makes a hit free of TLB work everywhere.  To be re-pointed, a free
 * entry is unmapped: if its accessed bit is clear no TLB loaded it, and
 * it is clean at once; if not, it waits, unmapped, on the dirty list for
 * one IPI round that invalidates every dirty entry on every CPU.  Victims
 * are chosen by a clock hand that gives entries hit since its last pass a
 * second chance, and a round is sent only after the hand has gone once
 * around the pool, so that a stream over more pages than the pool sends
 * one IPI per other CPU per pool's worth of misses, as kmap()'s pkmap
 * area does when it wraps.
 *
 * Locking: cache->lock, a raw spinlock taken with interrupts disabled,
 * serialises changes to the hash, the clock hand, the clean and dirty
 * lists and the waiters; lookups and frees do not take it unless someone
 * waits.  An entry's reference count is atomic; SF_BUF_CLAIMED means that
 * one task owns the entry (unmapped, being re-pointed, or handed to a
 * waiter), and only that task changes its page and PTE.  Waiters queue in
 * FIFO order; an entry freed while someone waits is claimed and handed to
 * the first waiter.
 */
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/kstrtox.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/percpu.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sfbuf.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>
#include <linux/mutex.h>

#include <kunit/visibility.h>

#include <asm/tlbflush.h>

#include "mm_internal.h"

#define SF_BUF_ENTRIES_DEFAULT	1024
#define SF_BUF_ENTRIES_MIN	64
#define SF_BUF_ENTRIES_MAX	16384
#define SF_BUF_SLOTS_DEFAULT	1024
#define SF_BUF_SLOTS_MIN	16
#define SF_BUF_SLOTS_MAX	4096
/* Clean slots a refill makes, and the clock steps it may take for them. */
#define SF_BUF_REFILL		64
#define SF_BUF_REFILL_STEPS	(4 * SF_BUF_REFILL)

#define SF_BUF_CLAIMED		(-1)
/*
 * Entries (or a dead CPU's slots) a loop looks at per hold of the lock
 * (or between reschedules): the clock hand, the scan of a task about to
 * wait, sf_buf_flush_unused(), the hotplug callback.
 */
#define SF_BUF_SWEEP_BATCH	64

struct sf_buf_entry {
	struct page *page;		/* NULL while unmapped */
	atomic_t ref;			/* users, or SF_BUF_CLAIMED */
	bool referenced;		/* hit since the clock hand passed */
	struct hlist_node hash;		/* in cache->hash while mapped */
	struct list_head list;		/* on clean, dirty or a flush batch */
};

/*
 * A power-of-two size, so that a slot's index is a shift away from its
 * address.
 */
struct sf_buf_slot {
	struct page *page;		/* NULL while unmapped */
	struct hlist_node hash;		/* in the CPU's hash while mapped */
	unsigned long kva;
	pte_t *pte;
	unsigned int ref;		/* holders, all on this CPU */
	/* Hit since the hand last passed; never set on the clean stack. */
	bool referenced;
} __aligned(8 * sizeof(void *));

struct sf_buf_cpu {
	bool busy;			/* bookkeeping under way, or no cache */
	unsigned int hash_shift;	/* 32 - log2 of the hash size */
	unsigned int nslots;
	unsigned int nclean;		/* entries of clean[] in use */
	unsigned int refill;		/* slots a refill cleans, at most */
	unsigned int hand;		/* next slot the clock looks at */
	unsigned long base;		/* address of slot 0 */
	struct sf_buf_slot *slots;
	struct hlist_head *hash;
	struct sf_buf_slot **clean;	/* unmapped slots: a stack */
	unsigned long __percpu *events;	/* the cache's */
	pteval_t prot;			/* a PTE's bits but the frame's */
};

struct sf_buf_waiter {
	struct list_head node;
	struct task_struct *task;
	struct sf_buf_entry *handed;	/* claimed for us by a free */
};

struct sf_buf_cache {
	unsigned long base;		/* address of entry 0 */
	unsigned int nentries, nslots;
	unsigned int hash_bits;
	struct vm_struct *area;
	pte_t **ptes;			/* one per page of the area */
	struct sf_buf_entry *entries;
	struct hlist_head *hash;
	struct sf_buf_cpu __percpu *cpu;
	unsigned long __percpu *events;	/* SF_BUF_EV_NR counters */
	bool own_events, own_cpu;

	/* What allocations write, away from what they only read. */
	raw_spinlock_t lock ____cacheline_aligned_in_smp;
	unsigned int hand;		/* next entry the clock looks at */
	unsigned int swept;		/* clock steps since the last round */
	struct list_head clean;		/* unmapped, in no TLB anywhere */
	struct list_head dirty;		/* unmapped, maybe in some TLB */
	struct list_head waiters;
	bool waiting;			/* waiters is not empty */
};

struct sf_buf_flush {
	struct sf_buf_cache *cache;
	struct list_head batch;
	unsigned int n;
	int initiator;
};

/* The cache sf_buf_alloc() uses; NULL when there is none. */
struct sf_buf_cache *sf_buf_system_cache __read_mostly;
EXPORT_SYMBOL_IF_KUNIT(sf_buf_system_cache);

static unsigned int sf_buf_nentries = SF_BUF_ENTRIES_DEFAULT;
static unsigned int sf_buf_nslots = SF_BUF_SLOTS_DEFAULT;

static int __init sf_buf_size_param(char *arg, unsigned int *size,
				    unsigned int min, unsigned int max)
{
	unsigned int n;

	if (kstrtouint(arg, 0, &n))
		return -EINVAL;
	*size = clamp(n, min, max);
	return 0;
}

static int __init sf_buf_entries_setup(char *arg)
{
	return sf_buf_size_param(arg, &sf_buf_nentries, SF_BUF_ENTRIES_MIN,
				 SF_BUF_ENTRIES_MAX);
}
early_param("sfbuf_entries", sf_buf_entries_setup);

static int __init sf_buf_slots_setup(char *arg)
{
	return sf_buf_size_param(arg, &sf_buf_nslots, SF_BUF_SLOTS_MIN,
				 SF_BUF_SLOTS_MAX);
}
early_param("sfbuf_slots", sf_buf_slots_setup);

static __always_inline void sf_buf_count(struct sf_buf_cache *c,
					 enum sf_buf_cache_event ev)
{
	this_cpu_inc(c->events[ev]);
}

/**
 * sf_buf_cache_events() - an event count of a mapping cache
 * @cache: the cache
 * @ev: which event
 *
 * Return: how often @ev happened in @cache, summed over all CPUs.
 */
unsigned long sf_buf_cache_events(struct sf_buf_cache *cache,
				  enum sf_buf_cache_event ev)
{
	unsigned long n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += per_cpu_ptr(cache->events, cpu)[ev];
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(sf_buf_cache_events);

/**
 * sf_buf_cache_entries() - the number of shared entries of the system cache
 *
 * Return: the size of the shared pool (the sfbuf_entries= parameter, or
 * less if the vmalloc area is small), or 0 when there is no cache.
 */
unsigned int sf_buf_cache_entries(void)
{
	struct sf_buf_cache *c = READ_ONCE(sf_buf_system_cache);

	return c ? c->nentries : 0;
}
EXPORT_SYMBOL_IF_KUNIT(sf_buf_cache_entries);

static unsigned long sf_buf_entry_kva(struct sf_buf_cache *c,
				      struct sf_buf_entry *e)
{
	return c->base + ((unsigned long)(e - c->entries) << PAGE_SHIFT);
}

static pte_t *sf_buf_entry_pte(struct sf_buf_cache *c, struct sf_buf_entry *e)
{
	return c->ptes[e - c->entries];
}

static struct hlist_head *sf_buf_bucket(struct sf_buf_cache *c,
					struct page *page)
{
	return &c->hash[hash_ptr(page, c->hash_bits)];
}

/* The system cache's private slots; busy until it is set up. */
static DEFINE_PER_CPU_ALIGNED(struct sf_buf_cpu, sf_buf_slots) = {
	.busy = true,
};

static __always_inline void sf_buf_count_cpu(struct sf_buf_cpu *pc,
					     enum sf_buf_cache_event ev)
{
	this_cpu_inc(pc->events[ev]);
}

/* hash_32() of the pointer's low bits, with the shift worked out once. */
static __always_inline struct hlist_head *
sf_buf_slot_bucket(struct sf_buf_cpu *pc, struct page *page)
{
	return &pc->hash[((u32)(unsigned long)page * GOLDEN_RATIO_32) >>
			 pc->hash_shift];
}

/**
 * sf_buf_refill_cost() - TLB invalidations a refill of private slots makes
 * @n: the number of slots it unmapped
 *
 * Return: @n (an invlpg each), or 1 (a flush of the CPU's whole TLB,
 * global entries too) when @n is above tlb_single_page_flush_ceiling and
 * the CPU has PGE.
 */
unsigned int sf_buf_refill_cost(unsigned int n)
{
	/*
	 * Without PGE a full flush is a CR3 reload, which must not race
	 * with a lazy-TLB IPI: interrupts are on here, so invlpg each.
	 */
	if (!cpu_feature_enabled(X86_FEATURE_PGE))
		return n;
	return n > READ_ONCE(tlb_single_page_flush_ceiling) ? 1 : n;
}
EXPORT_SYMBOL_IF_KUNIT(sf_buf_refill_cost);

/*
 * Invalidate the @n slots pushed last on the clean stack, which this CPU
 * has just unmapped.
 */
static void sf_buf_invalidate_clean(struct sf_buf_cpu *pc, unsigned int n)
{
	unsigned int i;

	if (sf_buf_refill_cost(n) < n) {
		__flush_tlb_all();
		sf_buf_count_cpu(pc, SF_BUF_EV_LOCAL_FLUSH);
		return;
	}
	for (i = pc->nclean - n; i < pc->nclean; i++) {
		flush_tlb_one_kernel(pc->clean[i]->kva);
		sf_buf_count_cpu(pc, SF_BUF_EV_LOCAL_FLUSH);
	}
}

/* Unmap a free slot; not invalidated yet.  Hashed again when mapped. */
static __always_inline void sf_buf_slot_clear(struct sf_buf_slot *s)
{
	pte_clear(&init_mm, s->kva, s->pte);
	__hlist_del(&s->hash);
	s->page = NULL;
}

/*
 * Unmap a free slot and push it on the clean stack; not invalidated yet.
 * Slots on the stack are not referenced (the refill takes only those),
 * so that a miss need not say so.
 */
static void sf_buf_slot_unmap(struct sf_buf_cpu *pc, unsigned int i)
{
	sf_buf_slot_clear(&pc->slots[i]);
	pc->slots[i].referenced = false;
	pc->clean[pc->nclean++] = &pc->slots[i];
}

/*
 * The reserve is empty, so every slot is mapped.  Unmap up to pc->refill
 * free slots the clock hand finds cold, in a bounded number of steps, and
 * invalidate them together.  Called with the CPU busy.
 */
static noinline bool sf_buf_refill(struct sf_buf_cpu *pc)
{
	/*
	 * In locals: the stores through the slots' PTE and hash pointers
	 * could alias pc's fields, which would be loaded again each step.
	 */
	struct sf_buf_slot *slots = pc->slots, *end = slots + pc->nslots;
	struct sf_buf_slot *s = slots + pc->hand;
	/* The stack is filled from the bottom, up to pc->refill. */
	struct sf_buf_slot **top = pc->clean, **full = top + pc->refill;
	unsigned int n, steps = SF_BUF_REFILL_STEPS;

	VM_WARN_ON_ONCE(pc->nclean);
	do {
		if (!s->ref && s->page) {
			if (s->referenced) {
				s->referenced = false;
			} else {
				sf_buf_slot_clear(s);
				*top++ = s;
				/* Enough: stop once the hand is past it. */
				if (top == full)
					steps = 1;
			}
		}
		if (++s == end)
			s = slots;
	} while (--steps);
	pc->hand = s - slots;
	n = top - pc->clean;
	if (!n)
		return false;
	pc->nclean = n;
	sf_buf_invalidate_clean(pc, n);
	return true;
}

/*
 * Find or make a private mapping of @page on this CPU; 0 when the CPU is
 * busy or every slot is in use.  Called with preemption disabled.  An
 * interrupt (or a softirq run on its way out) that comes in while the
 * CPU is busy does without the slots; an interrupting context frees what
 * it made before the context it interrupted runs again.
 */
static __always_inline unsigned long sf_buf_slot_get(struct sf_buf_cpu *pc,
						     struct page *page)
{
	struct hlist_head *bucket;
	struct sf_buf_slot *s;

	if (READ_ONCE(pc->busy))
		return 0;
	WRITE_ONCE(pc->busy, true);
	barrier();
	sf_buf_count_cpu(pc, SF_BUF_EV_ALLOC);
	bucket = sf_buf_slot_bucket(pc, page);
	hlist_for_each_entry(s, bucket, hash) {
		if (s->page == page) {
			WRITE_ONCE(s->ref, s->ref + 1);
			s->referenced = true;
			sf_buf_count_cpu(pc, SF_BUF_EV_HIT);
			goto mapped;
		}
	}
	if (unlikely(!pc->nclean) && !sf_buf_refill(pc)) {
		barrier();
		WRITE_ONCE(pc->busy, false);
		return 0;
	}
	s = pc->clean[--pc->nclean];
	VM_WARN_ON_ONCE(s->referenced);
	/* From not present: no TLB can hold the old translation. */
	set_pte(s->pte, __pte(((pteval_t)page_to_pfn(page) << PAGE_SHIFT) |
			      pc->prot));
	s->page = page;
	s->ref = 1;
	hlist_add_head(&s->hash, bucket);
	sf_buf_count_cpu(pc, SF_BUF_EV_MISS);
mapped:
	barrier();
	WRITE_ONCE(pc->busy, false);
	return s->kva;
}

/*
 * Drop a reference on this CPU's slot at @kva; false if @kva is none of
 * its slots in use.  Called with preemption disabled: the decrement then
 * cannot interleave with another task's bookkeeping on this CPU, and an
 * interrupt that maps the same page restores the count before we go on.
 */
static __always_inline bool sf_buf_slot_put(struct sf_buf_cpu *pc,
					    unsigned long kva)
{
	unsigned long i = (kva - pc->base) >> PAGE_SHIFT;

	if (unlikely(i >= pc->nslots || !pc->slots[i].ref))
		return false;
	WRITE_ONCE(pc->slots[i].ref, pc->slots[i].ref - 1);
	return true;
}

/**
 * sf_buf_map_private() - make a private mapping from the system cache
 * @page: the page, referenced by the caller
 *
 * What sf_buf_alloc(@page, %SFB_CPUPRIVATE) calls for a page it does not
 * hand out directly; call that instead.  Falls back on kmap_local_page()
 * when there is no cache, all of this CPU's slots are in use, or the CPU
 * is busy with slot bookkeeping that this call interrupted.
 *
 * Return: the handle, tagged %SF_BUF_PRIVATE (and %SF_BUF_LOCAL for a
 * kmap_local_page() mapping); never %NULL.
 */
struct sf_buf *sf_buf_map_private(struct page *page)
{
	unsigned long kva;

	preempt_disable();
	kva = sf_buf_slot_get(this_cpu_ptr(&sf_buf_slots), page);
	/* Held from here: keep the task where its slot is. */
	migrate_disable();
	preempt_enable();
	if (likely(kva))
		return (struct sf_buf *)(kva | SF_BUF_PRIVATE);
	return (struct sf_buf *)((unsigned long)kmap_local_page(page) |
				 SF_BUF_PRIVATE | SF_BUF_LOCAL);
}
EXPORT_SYMBOL_GPL(sf_buf_map_private);

/**
 * sf_buf_unmap_private() - release a slot mapping of the system cache
 * @sf: a handle from sf_buf_map_private() tagged %SF_BUF_PRIVATE only
 *
 * What sf_buf_free() calls for such a handle; call that instead.  Must
 * run on the CPU (and in the task or interrupt) that made the mapping.
 */
void sf_buf_unmap_private(struct sf_buf *sf)
{
	bool ok;

	preempt_disable();
	ok = sf_buf_slot_put(this_cpu_ptr(&sf_buf_slots),
			     (unsigned long)sf & PAGE_MASK);
	preempt_enable();
	WARN_ONCE(!ok, "sf_buf: %p is no private mapping of CPU %d in use\n",
		  sf, raw_smp_processor_id());
	migrate_enable();
}
EXPORT_SYMBOL_GPL(sf_buf_unmap_private);

static struct sf_buf *sf_buf_alloc_private(struct sf_buf_cache *c,
					   struct page *page)
{
	unsigned long kva;

	preempt_disable();
	kva = sf_buf_slot_get(this_cpu_ptr(c->cpu), page);
	if (kva)
		migrate_disable();
	preempt_enable();
	return kva ? (struct sf_buf *)(kva | SF_BUF_PRIVATE) : NULL;
}

static void sf_buf_free_private(struct sf_buf_cache *c, unsigned long kva)
{
	bool ok;

	preempt_disable();
	ok = sf_buf_slot_put(this_cpu_ptr(c->cpu), kva);
	preempt_enable();
	WARN_ON_ONCE(!ok);
	migrate_enable();
}

/* Shared entries */

/* Give a claimed entry, mapped or clean, to the first waiter, if any. */
static bool sf_buf_give_locked(struct sf_buf_cache *c, struct sf_buf_entry *e)
{
	struct sf_buf_waiter *w;

	lockdep_assert_held(&c->lock);
	w = list_first_entry_or_null(&c->waiters, struct sf_buf_waiter, node);
	if (!w)
		return false;
	list_del_init(&w->node);
	if (list_empty(&c->waiters))
		WRITE_ONCE(c->waiting, false);
	w->handed = e;
	wake_up_process(w->task);
	return true;
}

/* A claimed entry its claimer does not need: to a waiter, or back. */
static void sf_buf_release_claimed_locked(struct sf_buf_cache *c,
					  struct sf_buf_entry *e)
{
	if (sf_buf_give_locked(c, e))
		return;
	if (e->page)
		atomic_set_release(&e->ref, 0);
	else
		list_add(&e->list, &c->clean);
}

/* Dirty entries left behind by a NOWAIT caller: a waiter sends the round. */
static void sf_buf_kick_waiter_locked(struct sf_buf_cache *c)
{
	struct sf_buf_waiter *w;

	w = list_first_entry_or_null(&c->waiters, struct sf_buf_waiter, node);
	if (w && !list_empty(&c->dirty))
		wake_up_process(w->task);
}

/* Clean entries go to waiters first, in their order. */
static void sf_buf_feed_waiters_locked(struct sf_buf_cache *c)
{
	struct sf_buf_entry *e;

	while (!list_empty(&c->clean) && !list_empty(&c->waiters)) {
		e = list_first_entry(&c->clean, struct sf_buf_entry, list);
		list_del(&e->list);
		sf_buf_give_locked(c, e);
	}
}

static void sf_buf_put(struct sf_buf_cache *c, struct sf_buf_entry *e)
{
	unsigned long flags;

	/* Never under the lock: e->page cannot change while it is held. */
	lockdep_assert_not_held(&c->lock);
	/* Fully ordered: pairs with the barrier in sf_buf_enqueue_locked(). */
	if (atomic_dec_return(&e->ref) || likely(!READ_ONCE(c->waiting)))
		return;
	raw_spin_lock_irqsave(&c->lock, flags);
	if (!list_empty(&c->waiters) &&
	    atomic_cmpxchg(&e->ref, 0, SF_BUF_CLAIMED) == 0)
		sf_buf_give_locked(c, e);
	raw_spin_unlock_irqrestore(&c->lock, flags);
}

/* Find the entry mapping @page and take a reference, without the lock. */
static struct sf_buf_entry *sf_buf_lookup(struct sf_buf_cache *c,
					  struct page *page)
{
	struct sf_buf_entry *e;
	int ref;

	rcu_read_lock();
	hlist_for_each_entry_rcu(e, sf_buf_bucket(c, page), hash) {
		if (READ_ONCE(e->page) != page)
			continue;
		/*
		 * Claimed: on its way out of the hash.  The page may already
		 * be mapped by an entry further down the chain.
		 */
		ref = atomic_read(&e->ref);
		do {
			if (ref < 0)
				break;
		} while (!atomic_try_cmpxchg(&e->ref, &ref, ref + 1));
		if (ref < 0)
			continue;
		/* It may have been re-pointed before the reference was taken. */
		if (READ_ONCE(e->page) != page) {
			sf_buf_put(c, e);
			goto miss;
		}
		rcu_read_unlock();
		if (!READ_ONCE(e->referenced))
			WRITE_ONCE(e->referenced, true);
		return e;
	}
miss:
	rcu_read_unlock();
	return NULL;
}

/* Unmap a claimed entry; true if it is clean, false if it needs a round. */
static bool sf_buf_unmap_locked(struct sf_buf_cache *c, struct sf_buf_entry *e)
{
	pte_t old;

	hlist_del_rcu(&e->hash);
	WRITE_ONCE(e->page, NULL);
	/*
	 * Clearing the PTE atomically also collects an accessed bit set by
	 * another CPU's walk up to the very last moment.  Entries are mapped
	 * "old", so a clear bit proves that no TLB loaded the translation.
	 */
	old = ptep_get_and_clear(&init_mm, sf_buf_entry_kva(c, e),
				 sf_buf_entry_pte(c, e));
	return !pte_young(old);
}

/* Move the clock hand over a batch of entries, unmapping cold free ones. */
static void sf_buf_sweep_locked(struct sf_buf_cache *c, unsigned int steps)
{
	struct sf_buf_entry *e;

	while (steps-- && list_empty(&c->clean)) {
		/* Once round the pool: time for an IPI round, not more victims. */
		if (c->swept >= c->nentries && !list_empty(&c->dirty))
			break;
		e = &c->entries[c->hand];
		if (++c->hand == c->nentries)
			c->hand = 0;
		c->swept++;
		if (!e->page || atomic_read(&e->ref))
			continue;
		if (READ_ONCE(e->referenced)) {
			WRITE_ONCE(e->referenced, false);
			continue;
		}
		if (atomic_cmpxchg(&e->ref, 0, SF_BUF_CLAIMED) != 0)
			continue;
		if (sf_buf_unmap_locked(c, e))
			list_add_tail(&e->list, &c->clean);
		else
			list_add_tail(&e->list, &c->dirty);
	}
}

/*
 * A clean entry, or NULL: then an IPI round is due if the dirty list is
 * not empty, and otherwise every entry is in use.
 */
static struct sf_buf_entry *sf_buf_take_clean_locked(struct sf_buf_cache *c)
{
	unsigned int budget = 2 * c->nentries, n;
	struct sf_buf_entry *e;

	while (list_empty(&c->clean)) {
		if (!list_empty(&c->dirty) &&
		    (c->swept >= c->nentries || !budget))
			return NULL;
		if (!budget)
			return NULL;
		n = min(budget, SF_BUF_SWEEP_BATCH);
		sf_buf_sweep_locked(c, n);
		budget -= n;
		if (list_empty(&c->clean) && budget) {
			/* Bound the time interrupts stay off. */
			raw_spin_unlock_irq(&c->lock);
			raw_spin_lock_irq(&c->lock);
		}
	}
	e = list_first_entry(&c->clean, struct sf_buf_entry, list);
	list_del(&e->list);
	return e;
}

static void sf_buf_flush_ipi(void *info)
{
	struct sf_buf_flush *f = info;
	struct sf_buf_entry *e;

	/* Interrupts are off here: a full flush is safe without PGE too. */
	if (f->n > READ_ONCE(tlb_single_page_flush_ceiling)) {
		__flush_tlb_all();
	} else {
		list_for_each_entry(e, &f->batch, list)
			flush_tlb_one_kernel(sf_buf_entry_kva(f->cache, e));
	}
	if (smp_processor_id() == f->initiator)
		sf_buf_count(f->cache, SF_BUF_EV_LOCAL_FLUSH);
	else
		sf_buf_count(f->cache, SF_BUF_EV_IPI);
}

/*
 * One IPI round: every CPU invalidates every dirty entry, and @keep, an
 * unmapped entry the caller holds, if not NULL.  Drops the lock while the
 * IPIs are out; the entries are claimed and on no list anyone else walks.
 */
static void sf_buf_flush_round_locked(struct sf_buf_cache *c,
				      struct sf_buf_entry *keep)
{
	struct sf_buf_flush f = { .cache = c };
	struct sf_buf_entry *e;

	INIT_LIST_HEAD(&f.batch);
	list_splice_init(&c->dirty, &f.batch);
	if (keep)
		list_add_tail(&keep->list, &f.batch);
	list_for_each_entry(e, &f.batch, list)
		f.n++;
	c->swept = 0;
	raw_spin_unlock_irq(&c->lock);

	f.initiator = get_cpu();
	on_each_cpu(sf_buf_flush_ipi, &f, true);
	put_cpu();

	raw_spin_lock_irq(&c->lock);
	if (keep)
		list_del(&keep->list);
	list_splice_tail(&f.batch, &c->clean);
	sf_buf_feed_waiters_locked(c);
}

/*
 * Queue @w.  Free entries that exist already go to the waiters at once,
 * in order (a free that came before the queue was seen hands nothing
 * off); @w may be served right away.  Drops the lock now and then.
 */
static void sf_buf_enqueue_locked(struct sf_buf_cache *c,
				  struct sf_buf_waiter *w)
{
	struct sf_buf_entry *e;
	unsigned int i;

	w->task = current;
	w->handed = NULL;
	list_add_tail(&w->node, &c->waiters);
	WRITE_ONCE(c->waiting, true);
	/* Pairs with the fully ordered decrement in sf_buf_put(). */
	smp_mb();
	sf_buf_feed_waiters_locked(c);
	for (i = 0; i < c->nentries && !w->handed; i++) {
		e = &c->entries[i];
		if (READ_ONCE(e->page) && !atomic_read(&e->ref) &&
		    atomic_cmpxchg(&e->ref, 0, SF_BUF_CLAIMED) == 0)
			sf_buf_give_locked(c, e);
		/*
		 * Bound the time interrupts stay off.  @w is queued: what is
		 * freed meanwhile goes to the waiters anyway.
		 */
		if (i % SF_BUF_SWEEP_BATCH == SF_BUF_SWEEP_BATCH - 1) {
			raw_spin_unlock_irq(&c->lock);
			raw_spin_lock_irq(&c->lock);
		}
	}
}

static void sf_buf_dequeue_locked(struct sf_buf_cache *c,
				  struct sf_buf_waiter *w)
{
	list_del(&w->node);
	if (list_empty(&c->waiters))
		WRITE_ONCE(c->waiting, false);
}

/*
 * A handed entry: the claimer's now.  Returns it ready to be mapped
 * (unmapped and clean), or NULL when it already maps @page (then it is
 * back in use, with the reference ours).
 */
static struct sf_buf_entry *sf_buf_take_handed_locked(struct sf_buf_cache *c,
						      struct sf_buf_entry *e,
						      struct page *page)
{
	if (e->page == page) {
		atomic_set_release(&e->ref, 1);
		return NULL;
	}
	if (e->page && !sf_buf_unmap_locked(c, e))
		sf_buf_flush_round_locked(c, e);
	return e;
}

static struct sf_buf_entry *sf_buf_alloc_shared(struct sf_buf_cache *c,
						struct page *page, int flags)
{
	unsigned int state = flags & SFB_CATCH ? TASK_INTERRUPTIBLE :
						 TASK_KILLABLE;
	struct sf_buf_waiter w = {};
	struct sf_buf_entry *e, *hit;
	bool queued = false, slept = false;

	e = sf_buf_lookup(c, page);
	if (e) {
		sf_buf_count(c, SF_BUF_EV_HIT);
		return e;
	}

	raw_spin_lock_irq(&c->lock);
	for (;;) {
		if (queued && w.handed) {
			/* Dequeued by whoever handed it. */
			queued = false;
			e = w.handed;
			hit = sf_buf_lookup(c, page);
			if (hit) {
				sf_buf_release_claimed_locked(c, e);
				e = hit;
				goto hit;
			}
			hit = e;
			e = sf_buf_take_handed_locked(c, e, page);
			if (!e) {
				e = hit;
				goto hit;
			}
			break;
		}
		hit = sf_buf_lookup(c, page);
		if (hit) {
			if (queued)
				sf_buf_dequeue_locked(c, &w);
			e = hit;
			goto hit;
		}
		/* Waiters come first: take nothing from under them. */
		if (!queued && list_empty(&c->waiters)) {
			e = sf_buf_take_clean_locked(c);
			if (e)
				break;
		}
		/* IPIs wait for other CPUs: not for SFB_NOWAIT callers. */
		if (flags & SFB_NOWAIT) {
			sf_buf_kick_waiter_locked(c);
			goto fail;
		}
		if (!list_empty(&c->dirty)) {
			sf_buf_flush_round_locked(c, NULL);
			continue;
		}
		if (!queued) {
			sf_buf_enqueue_locked(c, &w);
			queued = true;
			continue;
		}
		if (!slept) {
			sf_buf_count(c, SF_BUF_EV_WAIT);
			slept = true;
		}
		set_current_state(state);
		raw_spin_unlock_irq(&c->lock);
		schedule();
		raw_spin_lock_irq(&c->lock);
		__set_current_state(TASK_RUNNING);
		if (!w.handed && signal_pending_state(state, current)) {
			sf_buf_dequeue_locked(c, &w);
			goto fail;
		}
	}

	/* The lock may have been dropped: someone may have mapped @page. */
	hit = sf_buf_lookup(c, page);
	if (hit) {
		sf_buf_release_claimed_locked(c, e);
		e = hit;
		goto hit;
	}
	/* @e is claimed, unmapped and in no TLB: map it "old". */
	set_pte(sf_buf_entry_pte(c, e), pte_mkold(mk_pte(page, PAGE_KERNEL)));
	WRITE_ONCE(e->page, page);
	WRITE_ONCE(e->referenced, false);
	hlist_add_head_rcu(&e->hash, sf_buf_bucket(c, page));
	atomic_set_release(&e->ref, 1);
	raw_spin_unlock_irq(&c->lock);
	sf_buf_count(c, SF_BUF_EV_MISS);
	return e;
hit:
	raw_spin_unlock_irq(&c->lock);
	sf_buf_count(c, SF_BUF_EV_HIT);
	return e;
fail:
	raw_spin_unlock_irq(&c->lock);
	return NULL;
}

static void sf_buf_free_shared(struct sf_buf_cache *c, unsigned long kva)
{
	unsigned long i = (kva - c->base) >> PAGE_SHIFT;
	struct sf_buf_entry *e;

	if (WARN_ON_ONCE(i >= c->nentries))
		return;
	e = &c->entries[i];
	if (WARN_ON_ONCE(atomic_read(&e->ref) <= 0))
		return;
	sf_buf_put(c, e);
}

/**
 * sf_buf_cache_alloc() - map a page through a mapping cache
 * @cache: the cache
 * @page: the page, referenced by the caller
 * @flags: as for sf_buf_alloc()
 *
 * sf_buf_alloc() calls this for the system's cache; tests call it for
 * caches of their own.  Unlike sf_buf_alloc(), a private allocation fails
 * when all of this CPU's slots are in use.  A shared allocation must be
 * made in task context with interrupts enabled.
 *
 * Return: the handle, or %NULL.
 */
struct sf_buf *sf_buf_cache_alloc(struct sf_buf_cache *cache,
				  struct page *page, int flags)
{
	struct sf_buf_entry *e;

	if (flags & SFB_CPUPRIVATE)
		return sf_buf_alloc_private(cache, page);
	sf_buf_count(cache, SF_BUF_EV_ALLOC);
	if (WARN_ON_ONCE(!in_task() || irqs_disabled()))
		return NULL;
	e = sf_buf_alloc_shared(cache, page, flags);
	return e ? (struct sf_buf *)sf_buf_entry_kva(cache, e) : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(sf_buf_cache_alloc);

/**
 * sf_buf_cache_free() - release a mapping made by sf_buf_cache_alloc()
 * @cache: the cache it came from
 * @sf: the handle
 *
 * Does not sleep; a private mapping must be freed on the CPU that made it.
 */
void sf_buf_cache_free(struct sf_buf_cache *cache, struct sf_buf *sf)
{
	unsigned long kva = (unsigned long)sf & PAGE_MASK;

	if ((unsigned long)sf & SF_BUF_PRIVATE)
		sf_buf_free_private(cache, kva);
	else
		sf_buf_free_shared(cache, kva);
}
EXPORT_SYMBOL_IF_KUNIT(sf_buf_cache_free);

/**
 * sf_buf_cache_page() - the page a mapping cache handle maps
 * @sf: a handle from sf_buf_cache_alloc(), of any cache
 *
 * Return: the page; its PTE cannot change while the handle is held.
 */
struct page *sf_buf_cache_page(struct sf_buf *sf)
{
	unsigned int level;
	pte_t *pte = lookup_address((unsigned long)sf & PAGE_MASK, &level);

	if (WARN_ON_ONCE(!pte || level != PG_LEVEL_4K))
		return NULL;
	return pte_page(ptep_get(pte));
}

struct sf_buf_drop {
	struct sf_buf_cache *cache;
	struct cpumask todo;		/* CPUs asked */
	struct cpumask busy;		/* CPUs to ask again */
};

/*
 * By IPI on each CPU.  A CPU interrupted in the middle of its own slot
 * bookkeeping says so and is asked again; that bookkeeping is short and
 * never sleeps.  Above tlb_single_page_flush_ceiling slots, the
 * invalidation is one flush, so interrupts stay off for a pass over the
 * slots and one flush at most.
 */
static void sf_buf_drop_slots(void *info)
{
	struct sf_buf_drop *d = info;
	struct sf_buf_cpu *pc = this_cpu_ptr(d->cache->cpu);
	unsigned int i, n = 0;

	if (READ_ONCE(pc->busy)) {
		cpumask_set_cpu(smp_processor_id(), &d->busy);
		return;
	}
	for (i = 0; i < pc->nslots; i++) {
		if (pc->slots[i].page && !pc->slots[i].ref) {
			sf_buf_slot_unmap(pc, i);
			n++;
		}
	}
	if (n)
		sf_buf_invalidate_clean(pc, n);
}

/**
 * sf_buf_flush_unused() - unmap the system cache's mappings not in use
 *
 * Free entries and slots keep mapping the page they last mapped, which
 * may meanwhile have gone back to the page allocator.  Code about to
 * change a page's caching attributes must not leave such a write-back
 * alias behind, nor a writable one of a page made read-only:
 * change_page_attr_set_clr() calls this when it sets a caching mode or
 * takes write permission or presence away, next to kmap_flush_unused()
 * and vm_unmap_aliases() for the other lazily unmapped kernel mappings.
 * Takes a mutex and the cache's lock and queues no work, so that it may
 * be called wherever set_memory_*() is (under cpus_read_lock()).
 * Interrupts stay off for a CPU's slots or 64 entries at a time.  Not
 * covered: entries claimed by an allocation in flight at the time, and
 * the slots of a CPU on its way offline, unmapped once it is dead.
 *
 * Context: process context; may sleep.
 */
void sf_buf_flush_unused(void)
{
	struct sf_buf_cache *c = READ_ONCE(sf_buf_system_cache);
	static DEFINE_MUTEX(sf_buf_drop_mutex);
	static struct sf_buf_drop drop;
	struct sf_buf_entry *e;
	unsigned long first;
	unsigned int i;

	if (!c)
		return;
	/* @drop is too big for the stack with many CPUs. */
	mutex_lock(&sf_buf_drop_mutex);
	drop.cache = c;
	preempt_disable();
	cpumask_copy(&drop.todo, cpu_online_mask);
	while (!cpumask_empty(&drop.todo)) {
		cpumask_clear(&drop.busy);
		on_each_cpu_mask(&drop.todo, sf_buf_drop_slots, &drop, true);
		/* sf_buf_drop_slots() set the bits of the CPUs to retry. */
		cpumask_and(&drop.todo, &drop.busy, cpu_online_mask);
		cpu_relax();
	}
	preempt_enable();
	mutex_unlock(&sf_buf_drop_mutex);
	/*
	 * Any CPU may have loaded a free slot's translation speculatively,
	 * as the slots' PTEs are in every CPU's page tables: a write-back
	 * alias, though only the owner ever uses it.  Gone everywhere now.
	 */
	first = c->base + ((unsigned long)c->nentries << PAGE_SHIFT);
	flush_tlb_kernel_range(first, first + ((unsigned long)nr_cpu_ids *
					       c->nslots << PAGE_SHIFT));

	raw_spin_lock_irq(&c->lock);
	for (i = 0; i < c->nentries; i++) {
		e = &c->entries[i];
		if (e->page && !atomic_cmpxchg(&e->ref, 0, SF_BUF_CLAIMED)) {
			if (sf_buf_unmap_locked(c, e))
				list_add_tail(&e->list, &c->clean);
			else
				list_add_tail(&e->list, &c->dirty);
		}
		/* Bound the time interrupts stay off. */
		if (i % SF_BUF_SWEEP_BATCH == SF_BUF_SWEEP_BATCH - 1) {
			raw_spin_unlock_irq(&c->lock);
			raw_spin_lock_irq(&c->lock);
		}
	}
	sf_buf_feed_waiters_locked(c);
	if (!list_empty(&c->dirty))
		sf_buf_flush_round_locked(c, NULL);
	raw_spin_unlock_irq(&c->lock);
}
EXPORT_SYMBOL_IF_KUNIT(sf_buf_flush_unused);

/*
 * A CPU is dead: unmap the slots it kept, so that no alias of a page
 * outlives it there.  Its TLB holds nothing when it comes back (x86
 * starts a CPU with INIT), and nothing else runs on its slots meanwhile.
 */
static int sf_buf_cpu_dead(unsigned int cpu)
{
	struct sf_buf_cpu *pc = per_cpu_ptr(&sf_buf_slots, cpu);
	unsigned int i;

	for (i = 0; i < pc->nslots; i++) {
		if (pc->slots[i].page && !WARN_ON_ONCE(pc->slots[i].ref))
			sf_buf_slot_unmap(pc, i);
		if (i % SF_BUF_SWEEP_BATCH == SF_BUF_SWEEP_BATCH - 1)
			cond_resched();
	}
	/* Translations other CPUs loaded speculatively. */
	flush_tlb_kernel_range(pc->base, pc->base +
			       ((unsigned long)pc->nslots << PAGE_SHIFT));
	return 0;
}

static int sf_buf_collect_pte(pte_t *ptep, unsigned long addr, void *data)
{
	pte_t ***next = data;

	*(*next)++ = ptep;
	return 0;
}

static void sf_buf_cache_release(struct sf_buf_cache *c)
{
	struct sf_buf_cpu *pc;
	int cpu;

	if (c->area)
		free_vm_area(c->area);
	if (c->cpu) {
		for_each_possible_cpu(cpu) {
			pc = per_cpu_ptr(c->cpu, cpu);
			kvfree(pc->slots);
			kfree(pc->hash);
			kvfree(pc->clean);
			pc->slots = NULL;
			pc->hash = NULL;
			pc->clean = NULL;
			pc->nslots = 0;
		}
		if (c->own_cpu)
			free_percpu(c->cpu);
	}
	if (c->own_events)
		free_percpu(c->events);
	kvfree(c->ptes);
	kvfree(c->hash);
	kvfree(c->entries);
	kfree(c);
}

/* Every slot starts unmapped (zeroed: not referenced), on the clean stack. */
static int sf_buf_cache_setup_cpu(struct sf_buf_cache *c, int cpu)
{
	struct sf_buf_cpu *pc = per_cpu_ptr(c->cpu, cpu);
	unsigned long first = c->nentries + (unsigned long)cpu * c->nslots;
	/* At least one bit: a shift by 32 is undefined. */
	unsigned int bits = max(1, ilog2(roundup_pow_of_two(c->nslots)));
	int node = cpu_to_node(cpu);
	unsigned int i;

	pc->hash_shift = 32 - bits;
	pc->slots = kvcalloc_node(c->nslots, sizeof(*pc->slots), GFP_KERNEL,
				  node);
	pc->hash = kcalloc_node(1U << bits, sizeof(*pc->hash), GFP_KERNEL,
				node);
	pc->clean = kvcalloc_node(c->nslots, sizeof(*pc->clean), GFP_KERNEL,
				  node);
	if (!pc->slots || !pc->hash || !pc->clean)
		return -ENOMEM;
	pc->nslots = c->nslots;
	/* Small caches (tests) refill a slot or a few at a time. */
	pc->refill = clamp(c->nslots / 8, 1U, (unsigned int)SF_BUF_REFILL);
	pc->hand = 0;
	pc->base = c->base + (first << PAGE_SHIFT);
	pc->events = c->events;
	pc->prot = pte_val(pfn_pte(0, PAGE_KERNEL));
	for (i = 0; i < c->nslots; i++) {
		pc->slots[i].pte = c->ptes[first + i];
		pc->slots[i].kva = pc->base + ((unsigned long)i << PAGE_SHIFT);
		/* Popped in index order. */
		pc->clean[i] = &pc->slots[c->nslots - 1 - i];
	}
	pc->nclean = c->nslots;
	return 0;
}

static struct sf_buf_cache *
__sf_buf_cache_create(unsigned int entries, unsigned int slots,
		      unsigned long __percpu *events,
		      struct sf_buf_cpu __percpu *percpu)
{
	unsigned long npages = entries + (unsigned long)slots * nr_cpu_ids;
	unsigned long size = npages << PAGE_SHIFT;
	struct sf_buf_cache *c;
	pte_t **next;
	unsigned int i;
	int cpu;

	BUILD_BUG_ON(!is_power_of_2(sizeof(struct sf_buf_slot)));
	if (!entries || !slots || slots > SF_BUF_SLOTS_MAX)
		return NULL;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return NULL;
	c->nentries = entries;
	c->nslots = slots;
	/* hash_ptr() needs at least one bit. */
	c->hash_bits = max(1, ilog2(roundup_pow_of_two(entries)));
	raw_spin_lock_init(&c->lock);
	INIT_LIST_HEAD(&c->clean);
	INIT_LIST_HEAD(&c->dirty);
	INIT_LIST_HEAD(&c->waiters);
	c->events = events;
	if (!events) {
		c->events = __alloc_percpu(SF_BUF_EV_NR * sizeof(unsigned long),
					   sizeof(unsigned long));
		c->own_events = true;
	}
	c->cpu = percpu;
	if (!percpu) {
		c->cpu = alloc_percpu(struct sf_buf_cpu);
		c->own_cpu = true;
	}
	c->entries = kvcalloc(entries, sizeof(*c->entries), GFP_KERNEL);
	c->hash = kvcalloc(1U << c->hash_bits, sizeof(*c->hash), GFP_KERNEL);
	c->ptes = kvcalloc(npages, sizeof(*c->ptes), GFP_KERNEL);
	c->area = get_vm_area(size, VM_MAP);
	if (!c->events || !c->entries || !c->hash || !c->ptes || !c->cpu ||
	    !c->area)
		goto fail;
	c->base = (unsigned long)c->area->addr;
	/* Page tables for the whole area are made now and kept. */
	next = c->ptes;
	if (apply_to_page_range(&init_mm, c->base, size, sf_buf_collect_pte,
				&next))
		goto fail;
	for_each_possible_cpu(cpu) {
		if (sf_buf_cache_setup_cpu(c, cpu))
			goto fail;
	}
	for (i = 0; i < entries; i++) {
		atomic_set(&c->entries[i].ref, SF_BUF_CLAIMED);
		list_add_tail(&c->entries[i].list, &c->clean);
	}
	return c;
fail:
	sf_buf_cache_release(c);
	return NULL;
}

/**
 * sf_buf_cache_create() - make a mapping cache of one's own
 * @entries: the number of shared entries
 * @slots: the number of private slots of each CPU
 *
 * For tests: what they do to their cache does not touch the system's.
 *
 * Return: the cache, or %NULL when memory or address space is short.
 */
struct sf_buf_cache *sf_buf_cache_create(unsigned int entries,
					 unsigned int slots)
{
	return __sf_buf_cache_create(entries, slots, NULL, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(sf_buf_cache_create);

/**
 * sf_buf_cache_destroy() - free a cache made by sf_buf_cache_create()
 * @cache: the cache; no mapping of it may be held
 */
void sf_buf_cache_destroy(struct sf_buf_cache *cache)
{
	unsigned int i;
	int cpu;

	for (i = 0; i < cache->nentries; i++) {
		/* A mapping still held: leak the cache rather than corrupt. */
		if (WARN_ON_ONCE(atomic_read(&cache->entries[i].ref) > 0))
			return;
	}
	for_each_possible_cpu(cpu) {
		struct sf_buf_cpu *pc = per_cpu_ptr(cache->cpu, cpu);

		for (i = 0; i < cache->nslots; i++)
			if (WARN_ON_ONCE(pc->slots[i].ref))
				return;
	}
	sf_buf_cache_release(cache);
}
EXPORT_SYMBOL_IF_KUNIT(sf_buf_cache_destroy);

/*
 * The area takes at most an eighth of the vmalloc space.  The shared pool
 * serves every CPU and keeps the size asked for; the private slots, which
 * grow with the number of CPUs, get what is left, evenly.  Only when even
 * SF_BUF_SLOTS_MIN per CPU does not fit does the shared pool shrink.
 * Either reduction is said at boot.
 */
static void __init sf_buf_size(unsigned int *entries, unsigned int *slots)
{
	unsigned long limit = (VMALLOC_END - VMALLOC_START) / 8 >> PAGE_SHIFT;
	unsigned long room, ncpus = nr_cpu_ids;

	room = limit > *entries ? (limit - *entries) / ncpus : 0;
	if (room < SF_BUF_SLOTS_MIN) {
		room = SF_BUF_SLOTS_MIN;
		if (limit > room * ncpus + SF_BUF_ENTRIES_MIN)
			*entries = min_t(unsigned long, *entries,
					 limit - room * ncpus);
		else
			*entries = SF_BUF_ENTRIES_MIN;
		pr_info("sf_buf: %lu CPUs and %lu pages of vmalloc space for the cache: %u shared entries\n",
			ncpus, limit, *entries);
	}
	if (*slots > room) {
		*slots = room;
		pr_info("sf_buf: %lu CPUs and %lu pages of vmalloc space for the cache: %u private slots per CPU\n",
			ncpus, limit, *slots);
	}
}

static int __init sf_buf_init(void)
{
	unsigned int entries = sf_buf_nentries, slots = sf_buf_nslots;
	unsigned long __percpu *events = NULL;
	struct sf_buf_cache *c;
	int cpu, ret;

	if (!IS_ENABLED(CONFIG_DEBUG_SFBUF) && !totalhigh_pages()) {
		pr_info("sf_buf: no highmem, no mapping cache\n");
		return 0;
	}
	sf_buf_size(&entries, &slots);
#ifdef CONFIG_VM_EVENT_COUNTERS
	BUILD_BUG_ON(SFBUF_HIT - SFBUF_ALLOC != SF_BUF_EV_HIT ||
		     SFBUF_MISS - SFBUF_ALLOC != SF_BUF_EV_MISS ||
		     SFBUF_WAIT - SFBUF_ALLOC != SF_BUF_EV_WAIT ||
		     SFBUF_LOCAL_FLUSH - SFBUF_ALLOC != SF_BUF_EV_LOCAL_FLUSH ||
		     SFBUF_IPI - SFBUF_ALLOC != SF_BUF_EV_IPI);
	events = &vm_event_states.event[SFBUF_ALLOC];
#endif
	c = __sf_buf_cache_create(entries, slots, events, &sf_buf_slots);
	if (!c) {
		pr_warn("sf_buf: cannot set up a mapping cache of %u + %u x %u pages; using kmap_local_page() and kmap()\n",
			entries, slots, nr_cpu_ids);
		return 0;
	}
	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "x86/sfbuf:dead",
					NULL, sf_buf_cpu_dead);
	if (ret < 0)
		pr_warn("sf_buf: no CPU hotplug callback (%d): an offline CPU's slots stay mapped\n",
			ret);
	/*
	 * The slots were busy so far: no CPU wrote them.  Free them before
	 * the cache is published, or sf_buf_flush_unused() could find them
	 * busy and ask again forever.
	 */
	for_each_possible_cpu(cpu) {
		/*
		 * Orders the setup before busy is seen clear; x86 does not
		 * reorder the owner's loads, so READ_ONCE() does there.
		 */
		smp_store_release(&per_cpu_ptr(&sf_buf_slots, cpu)->busy,
				  false);
	}
	/* Publish the cache only once it is complete. */
	smp_store_release(&sf_buf_system_cache, c);
	pr_info("sf_buf: %u shared entries, %u private slots per CPU\n",
		entries, slots);
	return 0;
}
core_initcall(sf_buf_init);
