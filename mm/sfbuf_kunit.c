// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the sf_buf interface.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/hardirq.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/preempt.h>
#include <linux/random.h>
#include <linux/smp.h>
#include <linux/sched/signal.h>
#include <linux/sfbuf.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/vmstat.h>

static const int sf_buf_test_flags[] = {
	SFB_DEFAULT,
	SFB_CATCH,
	SFB_NOWAIT | SFB_CPUPRIVATE,
	SFB_CPUPRIVATE,
	SFB_CATCH | SFB_CPUPRIVATE,
};

static struct page *sf_buf_test_page(struct kunit *test, gfp_t gfp)
{
	struct page *page = alloc_page(gfp);

	KUNIT_ASSERT_NOT_NULL(test, page);
	return page;
}

/*
 * Write a pattern through the sf_buf and read it back through a mapping
 * made independently of it.
 */
static void sf_buf_test_maps_page(struct kunit *test, struct page *page,
				  int flags)
{
	u8 seed = (u8)(flags * 31 + 7);
	struct sf_buf *sf;
	u8 *p, *check;
	int i;

	sf = sf_buf_alloc(page, flags);
	KUNIT_ASSERT_NOT_NULL(test, sf);
	KUNIT_EXPECT_PTR_EQ(test, sf_buf_page(sf), page);
	p = sf_buf_kva(sf);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < PAGE_SIZE; i++)
		p[i] = seed + i * 13;
	sf_buf_free(sf);

	check = kmap_local_page(page);
	for (i = 0; i < PAGE_SIZE; i++)
		if (check[i] != (u8)(seed + i * 13))
			break;
	kunmap_local(check);
	KUNIT_EXPECT_EQ_MSG(test, i, PAGE_SIZE,
			    "flags %#x: byte %d differs", flags, i);
}

static void sf_buf_test_pages(struct kunit *test, gfp_t gfp)
{
	struct page *page = sf_buf_test_page(test, gfp);
	int i;

	for (i = 0; i < ARRAY_SIZE(sf_buf_test_flags); i++)
		sf_buf_test_maps_page(test, page, sf_buf_test_flags[i]);
	__free_page(page);
}

static void sf_buf_test_lowmem(struct kunit *test)
{
	sf_buf_test_pages(test, GFP_KERNEL);
}

static void sf_buf_test_highmem(struct kunit *test)
{
	struct page *page = sf_buf_test_page(test, GFP_HIGHUSER);

	if (!PageHighMem(page)) {
		__free_page(page);
		kunit_skip(test, "no highmem page in this configuration");
	}
	__free_page(page);
	sf_buf_test_pages(test, GFP_HIGHUSER);
}

/* A direct-mapped page's address is its direct-map address. */
static void sf_buf_test_direct_map(struct kunit *test)
{
	struct page *page = sf_buf_test_page(test, GFP_KERNEL);
	struct sf_buf *sf = sf_buf_alloc(page, SFB_NOWAIT);

	KUNIT_ASSERT_NOT_NULL(test, sf);
	KUNIT_EXPECT_PTR_EQ(test, sf_buf_kva(sf), page_address(page));
	KUNIT_EXPECT_TRUE(test, sf_buf_is_direct(sf));
	sf_buf_free(sf);
	__free_page(page);
}

/* NOWAIT | CPUPRIVATE must work with preemption and interrupts off. */
static void sf_buf_test_atomic(struct kunit *test)
{
	struct page *low = sf_buf_test_page(test, GFP_KERNEL);
	struct page *high = sf_buf_test_page(test, GFP_HIGHUSER);
	struct sf_buf *a, *b;
	unsigned long irqflags;
	u32 *pa, *pb;

	local_irq_save(irqflags);
	a = sf_buf_alloc(low, SFB_NOWAIT | SFB_CPUPRIVATE);
	b = sf_buf_alloc(high, SFB_NOWAIT | SFB_CPUPRIVATE);
	if (a && b) {
		pa = sf_buf_kva(a);
		pb = sf_buf_kva(b);
		*pa = 0x5f0b0f5a;
		*pb = *pa ^ 0xffffffff;
	}
	if (b)
		sf_buf_free(b);
	if (a)
		sf_buf_free(a);
	local_irq_restore(irqflags);

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	pb = kmap_local_page(high);
	KUNIT_EXPECT_EQ(test, *pb, 0x5f0b0f5aU ^ 0xffffffffU);
	kunmap_local(pb);
	__free_page(high);
	__free_page(low);
}

/* Private mappings nest like kmap_local_page() mappings. */
static void sf_buf_test_private_nesting(struct kunit *test)
{
	struct page *pages[4];
	struct sf_buf *sf[4];
	int i;

	for (i = 0; i < ARRAY_SIZE(pages); i++)
		pages[i] = sf_buf_test_page(test, GFP_HIGHUSER);
	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		sf[i] = sf_buf_alloc(pages[i], SFB_CPUPRIVATE);
		KUNIT_ASSERT_NOT_NULL(test, sf[i]);
		memset(sf_buf_kva(sf[i]), 'a' + i, PAGE_SIZE);
	}
	for (i = 0; i < ARRAY_SIZE(pages); i++)
		KUNIT_EXPECT_EQ(test, *(char *)sf_buf_kva(sf[i]), 'a' + i);
	for (i = ARRAY_SIZE(pages) - 1; i >= 0; i--)
		sf_buf_free(sf[i]);
	for (i = 0; i < ARRAY_SIZE(pages); i++)
		__free_page(pages[i]);
}

/* Check @len bytes at @offset of a compound page against @want. */
static void sf_buf_test_expect_bytes(struct kunit *test, struct page *page,
				     size_t offset, const u8 *want, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		size_t at = offset + i;
		u8 *p = kmap_local_page(page + at / PAGE_SIZE);
		u8 got = p[at % PAGE_SIZE];

		kunmap_local(p);
		if (got != want[i]) {
			KUNIT_FAIL(test, "byte %zu of %zu at offset %zu: %#x, want %#x",
				   i, len, offset, got, want[i]);
			return;
		}
	}
}

static void sf_buf_test_copy_iter_gfp(struct kunit *test, gfp_t gfp)
{
	static const size_t offsets[] = { 0, 1, 100, PAGE_SIZE - 1, PAGE_SIZE,
					  PAGE_SIZE + 7 };
	static const size_t lens[] = { 0, 1, 2, 100, PAGE_SIZE - 1, PAGE_SIZE,
				       PAGE_SIZE + 1 };
	struct page *page = alloc_pages(gfp | __GFP_COMP, 1);
	u8 *src = kunit_kmalloc(test, 2 * PAGE_SIZE, GFP_KERNEL);
	u8 *dst = kunit_kmalloc(test, 2 * PAGE_SIZE, GFP_KERNEL);
	unsigned int o, l;
	u8 seed = 1;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_NOT_NULL(test, src);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	for (o = 0; o < ARRAY_SIZE(offsets); o++) {
		for (l = 0; l < ARRAY_SIZE(lens); l++) {
			size_t off = offsets[o], len = lens[l], i;
			struct iov_iter iter;
			struct kvec kv;

			if (off + len > 2 * PAGE_SIZE)
				continue;
			for (i = 0; i < len; i++)
				src[i] = seed + i * 7;
			seed += 3;

			kv = (struct kvec){ .iov_base = src, .iov_len = len };
			iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, len);
			KUNIT_EXPECT_EQ(test, len,
					sf_buf_copy_page_from_iter(page, off,
								   len, &iter));
			sf_buf_test_expect_bytes(test, page, off, src, len);

			memset(dst, 0, len);
			kv = (struct kvec){ .iov_base = dst, .iov_len = len };
			iov_iter_kvec(&iter, ITER_DEST, &kv, 1, len);
			KUNIT_EXPECT_EQ(test, len,
					sf_buf_copy_page_to_iter(page, off,
								 len, &iter));
			KUNIT_EXPECT_EQ(test, 0, memcmp(src, dst, len));
		}
	}
	__free_pages(page, 1);
}

/*
 * The page-copy helpers move every byte between a compound page and an
 * iterator, at offsets that cross from one of its pages into the next.
 */
static void sf_buf_test_copy_iter(struct kunit *test)
{
	sf_buf_test_copy_iter_gfp(test, GFP_KERNEL);
	sf_buf_test_copy_iter_gfp(test, GFP_HIGHUSER);
}

#ifdef CONFIG_ARCH_HAS_SFBUF_CACHE

struct sf_buf_test_counts {
	unsigned long hit, miss, wait, flush, ipi;
};

static void sf_buf_test_count(struct kunit *test, struct sf_buf_test_counts *c)
{
	unsigned long *ev = kunit_kcalloc(test, NR_VM_EVENT_ITEMS, sizeof(*ev),
					  GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ev);
	all_vm_events(ev);
	c->hit = ev[SFBUF_HIT];
	c->miss = ev[SFBUF_MISS];
	c->wait = ev[SFBUF_WAIT];
	c->flush = ev[SFBUF_LOCAL_FLUSH];
	c->ipi = ev[SFBUF_IPI];
	kunit_kfree(test, ev);
}

static unsigned long sf_buf_test_waits(void)
{
	unsigned long *ev = kcalloc(NR_VM_EVENT_ITEMS, sizeof(*ev), GFP_KERNEL);
	unsigned long waits = 0;

	if (ev) {
		all_vm_events(ev);
		waits = ev[SFBUF_WAIT];
		kfree(ev);
	}
	return waits;
}

static struct page *sf_buf_test_highpage(struct kunit *test)
{
	struct page *page = sf_buf_test_page(test, GFP_HIGHUSER);

	if (!PageHighMem(page)) {
		__free_page(page);
		kunit_skip(test, "no highmem page");
	}
	return page;
}

/*
 * Every entry of the cache, each holding one highmem page, so that the
 * test decides which entries are free and in what order.
 */
struct sf_buf_test_pool {
	unsigned int n;
	struct page **pages;
	struct sf_buf **sf;
	void **kva;
};

static void sf_buf_test_pool_exit(void *data)
{
	struct sf_buf_test_pool *pool = data;
	unsigned int i;

	for (i = 0; i < pool->n; i++) {
		if (pool->sf[i])
			sf_buf_free(pool->sf[i]);
		if (pool->pages[i])
			__free_page(pool->pages[i]);
	}
}

static struct sf_buf_test_pool *sf_buf_test_fill(struct kunit *test)
{
	struct sf_buf_test_pool *pool;
	unsigned int i, n = sf_buf_cache_entries();

	pool = kunit_kzalloc(test, sizeof(*pool), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	pool->pages = kunit_kcalloc(test, n, sizeof(*pool->pages), GFP_KERNEL);
	pool->sf = kunit_kcalloc(test, n, sizeof(*pool->sf), GFP_KERNEL);
	pool->kva = kunit_kcalloc(test, n, sizeof(*pool->kva), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pool->pages);
	KUNIT_ASSERT_NOT_NULL(test, pool->sf);
	KUNIT_ASSERT_NOT_NULL(test, pool->kva);
	pool->n = n;
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, sf_buf_test_pool_exit, pool));
	for (i = 0; i < n; i++) {
		pool->pages[i] = alloc_page(GFP_HIGHUSER);
		KUNIT_ASSERT_NOT_NULL(test, pool->pages[i]);
		KUNIT_ASSERT_TRUE(test, PageHighMem(pool->pages[i]));
		pool->sf[i] = sf_buf_alloc(pool->pages[i], SFB_NOWAIT);
		KUNIT_ASSERT_NOT_NULL_MSG(test, pool->sf[i], "entry %u of %u",
					  i, n);
		pool->kva[i] = sf_buf_kva(pool->sf[i]);
	}
	return pool;
}

static void sf_buf_test_release(struct sf_buf_test_pool *pool, unsigned int i)
{
	sf_buf_free(pool->sf[i]);
	pool->sf[i] = NULL;
}

static void sf_buf_test_expect_reuse(struct kunit *test, struct page *page,
				     int flags, const char *what)
{
	struct sf_buf_test_counts c0, c1;
	struct sf_buf *sf;
	void *kva;

	sf = sf_buf_alloc(page, flags);
	KUNIT_ASSERT_NOT_NULL(test, sf);
	kva = sf_buf_kva(sf);
	sf_buf_test_count(test, &c0);
	sf_buf_free(sf);
	sf = sf_buf_alloc(page, flags);
	sf_buf_test_count(test, &c1);
	KUNIT_ASSERT_NOT_NULL(test, sf);
	KUNIT_EXPECT_PTR_EQ_MSG(test, sf_buf_kva(sf), kva, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, c1.hit - c0.hit, 1, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, c1.miss - c0.miss, 0, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, c1.flush - c0.flush, 0, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, c1.ipi - c0.ipi, 0, "%s", what);
	sf_buf_free(sf);
}

/* Mapping a mapped page again, in use or not, reuses its mapping. */
static void sf_buf_test_cache_hit(struct kunit *test)
{
	struct page *page = sf_buf_test_highpage(test);
	struct sf_buf *held;

	sf_buf_test_expect_reuse(test, page, SFB_DEFAULT, "inactive, shared");
	sf_buf_test_expect_reuse(test, page, SFB_CPUPRIVATE, "inactive, private");

	held = sf_buf_alloc(page, SFB_DEFAULT);
	KUNIT_ASSERT_NOT_NULL(test, held);
	sf_buf_test_expect_reuse(test, page, SFB_DEFAULT, "active, shared");
	sf_buf_test_expect_reuse(test, page, SFB_CPUPRIVATE, "active, private");
	KUNIT_EXPECT_PTR_EQ(test, sf_buf_page(held), page);
	sf_buf_free(held);
	__free_page(page);
}

/* A miss takes the least recently freed entry. */
static void sf_buf_test_cache_lru(struct kunit *test)
{
	struct sf_buf_test_pool *pool;
	struct page *q1, *q2;
	struct sf_buf *a, *b, *c;
	unsigned int i, n;

	q1 = sf_buf_test_highpage(test);
	q2 = sf_buf_test_highpage(test);
	pool = sf_buf_test_fill(test);
	n = pool->n;

	/* Free odd entries first, then even ones: LRU is 1 3 5 ... 0 2 ... */
	for (i = 1; i < n; i += 2)
		sf_buf_test_release(pool, i);
	for (i = 0; i < n; i += 2)
		sf_buf_test_release(pool, i);

	/* A hit on an inactive entry takes it off the LRU list. */
	pool->sf[1] = sf_buf_alloc(pool->pages[1], SFB_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, pool->sf[1]);
	KUNIT_EXPECT_PTR_EQ(test, sf_buf_kva(pool->sf[1]), pool->kva[1]);

	a = sf_buf_alloc(q1, SFB_NOWAIT);
	b = sf_buf_alloc(q2, SFB_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_EQ(test, sf_buf_kva(a), pool->kva[3]);
	KUNIT_EXPECT_PTR_EQ(test, sf_buf_kva(b), pool->kva[5]);

	/* Freed last, q1's entry is now the most recently used. */
	sf_buf_free(a);
	c = sf_buf_alloc(pool->pages[3], SFB_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_PTR_EQ(test, sf_buf_kva(c), pool->kva[7]);
	sf_buf_free(c);
	sf_buf_free(b);
	__free_page(q2);
	__free_page(q1);
}

struct sf_buf_test_freer {
	struct sf_buf *sf;
	unsigned long waits;
	struct completion done;
};

/* Free an entry once the test's allocation has gone to sleep. */
static int sf_buf_test_freer_fn(void *data)
{
	struct sf_buf_test_freer *f = data;
	int i;

	for (i = 0; i < 500 && sf_buf_test_waits() == f->waits; i++)
		msleep(20);
	sf_buf_free(f->sf);
	complete(&f->done);
	return 0;
}

/* With every entry in use: NOWAIT fails, CATCH fails on a signal, and
 * DEFAULT sleeps until another thread frees an entry.
 */
static void sf_buf_test_cache_exhausted(struct kunit *test)
{
	struct sf_buf_test_freer freer;
	struct sf_buf_test_pool *pool;
	struct task_struct *task;
	struct page *page;
	struct sf_buf *sf;

	page = sf_buf_test_highpage(test);
	pool = sf_buf_test_fill(test);

	KUNIT_EXPECT_NULL(test, sf_buf_alloc(page, SFB_NOWAIT));
	KUNIT_EXPECT_NULL(test, sf_buf_alloc(page, SFB_NOWAIT | SFB_CPUPRIVATE));

	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 1);
	KUNIT_EXPECT_TRUE(test, signal_pending(current));
	KUNIT_EXPECT_NULL(test, sf_buf_alloc(page, SFB_CATCH));
	KUNIT_EXPECT_NULL(test, sf_buf_alloc(page, SFB_CATCH | SFB_CPUPRIVATE));
	flush_signals(current);
	disallow_signal(SIGUSR1);

	/* Still mapped pages are hits and need no free entry. */
	sf = sf_buf_alloc(pool->pages[0], SFB_NOWAIT);
	KUNIT_EXPECT_PTR_EQ(test, sf, pool->sf[0]);
	if (sf)
		sf_buf_free(sf);

	freer.sf = pool->sf[pool->n / 2];
	pool->sf[pool->n / 2] = NULL;
	freer.waits = sf_buf_test_waits();
	init_completion(&freer.done);
	task = kthread_run(sf_buf_test_freer_fn, &freer, "sfbuf_freer");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	sf = sf_buf_alloc(page, SFB_DEFAULT);
	wait_for_completion(&freer.done);
	KUNIT_ASSERT_NOT_NULL(test, sf);
	KUNIT_EXPECT_PTR_EQ(test, sf_buf_kva(sf), pool->kva[pool->n / 2]);
	KUNIT_EXPECT_GT(test, sf_buf_test_waits(), freer.waits);
	sf_buf_free(sf);
	__free_page(page);
}

/* Touch the mapping so that its accessed bit is set and TLBs hold it. */
static u32 sf_buf_test_touch(struct sf_buf *sf)
{
	return READ_ONCE(*(u32 *)sf_buf_kva(sf));
}

/*
 * Private allocations never send IPIs; a shared one sends one to each CPU
 * that may hold a stale translation, and only once.
 */
static void sf_buf_test_cache_ipi(struct kunit *test)
{
	struct sf_buf_test_counts c0, c1;
	struct sf_buf_test_pool *pool;
	struct page *p[2];
	struct sf_buf *sf;
	int i, rounds = 100;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	p[0] = sf_buf_test_highpage(test);
	p[1] = sf_buf_test_highpage(test);
	pool = sf_buf_test_fill(test);
	/* One free entry, whose mapping was used: every miss re-points it. */
	sf_buf_test_touch(pool->sf[0]);
	sf_buf_test_release(pool, 0);

	migrate_disable();
	sf_buf_test_count(test, &c0);
	for (i = 0; i < rounds; i++) {
		sf = sf_buf_alloc(p[i & 1], SFB_CPUPRIVATE);
		if (!sf)
			break;
		sf_buf_test_touch(sf);
		sf_buf_free(sf);
	}
	sf_buf_test_count(test, &c1);
	KUNIT_EXPECT_EQ(test, i, rounds);
	KUNIT_EXPECT_EQ(test, c1.miss - c0.miss, rounds);
	KUNIT_EXPECT_EQ(test, c1.flush - c0.flush, rounds);
	KUNIT_EXPECT_EQ(test, c1.ipi - c0.ipi, 0);

	/* The entry now maps p[1] and only this CPU is known clean. */
	sf_buf_test_count(test, &c0);
	sf = sf_buf_alloc(p[(rounds - 1) & 1], SFB_DEFAULT);
	sf_buf_test_count(test, &c1);
	KUNIT_ASSERT_NOT_NULL(test, sf);
	KUNIT_EXPECT_EQ(test, c1.hit - c0.hit, 1);
	KUNIT_EXPECT_EQ(test, c1.ipi - c0.ipi, num_online_cpus() - 1);
	sf_buf_free(sf);

	sf_buf_test_count(test, &c0);
	sf = sf_buf_alloc(p[(rounds - 1) & 1], SFB_DEFAULT);
	sf_buf_test_count(test, &c1);
	KUNIT_ASSERT_NOT_NULL(test, sf);
	KUNIT_EXPECT_EQ(test, c1.ipi - c0.ipi, 0);
	KUNIT_EXPECT_EQ(test, c1.flush - c0.flush, 0);
	sf_buf_free(sf);
	migrate_enable();
	__free_page(p[1]);
	__free_page(p[0]);
}

struct sf_buf_test_coherence {
	struct page *page;
	int flags;
	u32 seen;
	bool failed;
};

static int sf_buf_test_map_read(void *data)
{
	struct sf_buf_test_coherence *c = data;
	struct sf_buf *sf = sf_buf_alloc(c->page, c->flags);

	if (!sf) {
		c->failed = true;
		return 0;
	}
	c->seen = sf_buf_test_touch(sf);
	sf_buf_free(sf);
	return 0;
}

/*
 * CPU 0 loads a translation into its TLB; CPU 1 re-points the entry to
 * another page; CPU 0 maps that page and must see it, not the old one.
 * Kernel threads switch no page tables and qemu keeps a stale TLB entry
 * until it is invalidated, so a missing invalidation shows here.
 */
static void sf_buf_test_cache_coherence(struct kunit *test)
{
	static const int repoint_flags[] = { SFB_CPUPRIVATE, SFB_DEFAULT };
	struct sf_buf_test_coherence c = {};
	struct sf_buf_test_pool *pool;
	int cpu0, cpu1, i, v, bad = 0;
	struct page *p[2];
	u32 *word;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	cpu0 = cpumask_first(cpu_online_mask);
	cpu1 = cpumask_next(cpu0, cpu_online_mask);
	for (i = 0; i < 2; i++) {
		p[i] = sf_buf_test_highpage(test);
		word = kmap_local_page(p[i]);
		*word = 0xc0de0000 + i;
		kunmap_local(word);
	}
	pool = sf_buf_test_fill(test);
	sf_buf_test_touch(pool->sf[0]);
	sf_buf_test_release(pool, 0);

	for (v = 0; v < ARRAY_SIZE(repoint_flags); v++) {
		for (i = 0; i < 200; i++) {
			c.page = p[i & 1];
			c.flags = SFB_CPUPRIVATE;
			smp_call_on_cpu(cpu0, sf_buf_test_map_read, &c, false);
			c.page = p[!(i & 1)];
			c.flags = repoint_flags[v];
			smp_call_on_cpu(cpu1, sf_buf_test_map_read, &c, false);
			c.flags = SFB_CPUPRIVATE;
			smp_call_on_cpu(cpu0, sf_buf_test_map_read, &c, false);
			if (c.seen != 0xc0de0000 + !(i & 1))
				bad++;
		}
		KUNIT_EXPECT_EQ_MSG(test, bad, 0,
				    "stale reads after re-pointing with flags %#x",
				    repoint_flags[v]);
		bad = 0;
	}
	KUNIT_EXPECT_FALSE(test, c.failed);
	__free_page(p[1]);
	__free_page(p[0]);
}

#define SF_BUF_STRESS_PAGES	(3 * 1024)

struct sf_buf_test_stress {
	struct page **pages;
	u32 *gen;
	unsigned int npages, nthreads;
	unsigned long deadline;
	atomic_t errors, maps, running;
	struct completion done;
};

struct sf_buf_test_stress_thread {
	struct sf_buf_test_stress *s;
	unsigned int id;
};

static u32 sf_buf_test_pattern(unsigned int page, u32 gen, unsigned int i)
{
	return (page * 2654435761U) ^ (gen << 16) ^ i;
}

/* Map this thread's pages at random, check them and rewrite them. */
static int sf_buf_test_stress_fn(void *data)
{
	static const int flags[] = {
		SFB_DEFAULT, SFB_CPUPRIVATE, SFB_NOWAIT | SFB_CPUPRIVATE,
		SFB_NOWAIT, SFB_CATCH,
	};
	struct sf_buf_test_stress_thread *t = data;
	struct sf_buf_test_stress *s = t->s;
	unsigned int k, i, pg;
	struct sf_buf *sf;
	u32 *w, gen;

	for (k = 0; time_before(jiffies, s->deadline); k++) {
		pg = get_random_u32_below(s->npages / s->nthreads) *
		     s->nthreads + t->id;
		sf = sf_buf_alloc(s->pages[pg], flags[k % ARRAY_SIZE(flags)]);
		if (!sf)
			continue;	/* NOWAIT may fail */
		w = sf_buf_kva(sf);
		gen = s->gen[pg];
		for (i = 0; i < PAGE_SIZE / sizeof(u32); i += 61)
			if (w[i] != sf_buf_test_pattern(pg, gen, i))
				atomic_inc(&s->errors);
		gen++;
		for (i = 0; i < PAGE_SIZE / sizeof(u32); i += 61)
			w[i] = sf_buf_test_pattern(pg, gen, i);
		s->gen[pg] = gen;
		sf_buf_free(sf);
		atomic_inc(&s->maps);
		if (!(k & 63))
			cond_resched();
	}
	if (atomic_dec_and_test(&s->running))
		complete(&s->done);
	return 0;
}

static void sf_buf_test_stress_exit(void *data)
{
	struct sf_buf_test_stress *s = data;
	unsigned int i;

	for (i = 0; i < s->npages; i++)
		if (s->pages[i])
			__free_page(s->pages[i]);
}

/* A thread per CPU maps random pages for a few seconds. */
static void sf_buf_test_cache_stress(struct kunit *test)
{
	struct sf_buf_test_stress_thread *threads;
	struct sf_buf_test_stress *s;
	unsigned int i, j, cpu;
	u32 *w;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->nthreads = num_online_cpus();
	s->npages = SF_BUF_STRESS_PAGES;
	s->pages = kunit_kcalloc(test, s->npages, sizeof(*s->pages), GFP_KERNEL);
	s->gen = kunit_kcalloc(test, s->npages, sizeof(*s->gen), GFP_KERNEL);
	threads = kunit_kcalloc(test, s->nthreads, sizeof(*threads), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s->pages);
	KUNIT_ASSERT_NOT_NULL(test, s->gen);
	KUNIT_ASSERT_NOT_NULL(test, threads);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, sf_buf_test_stress_exit, s));
	for (i = 0; i < s->npages; i++) {
		s->pages[i] = alloc_page(GFP_HIGHUSER);
		KUNIT_ASSERT_NOT_NULL(test, s->pages[i]);
		w = kmap_local_page(s->pages[i]);
		for (j = 0; j < PAGE_SIZE / sizeof(u32); j += 61)
			w[j] = sf_buf_test_pattern(i, 0, j);
		kunmap_local(w);
	}

	init_completion(&s->done);
	atomic_set(&s->running, s->nthreads);
	s->deadline = jiffies + 3 * HZ;
	i = 0;
	for_each_online_cpu(cpu) {
		struct task_struct *task;

		threads[i].s = s;
		threads[i].id = i;
		task = kthread_run(sf_buf_test_stress_fn, &threads[i],
				   "sfbuf_stress/%u", cpu);
		KUNIT_ASSERT_FALSE(test, IS_ERR(task));
		i++;
	}
	wait_for_completion(&s->done);

	/* Check every page once more through an independent mapping. */
	for (i = 0; i < s->npages; i++) {
		w = kmap_local_page(s->pages[i]);
		for (j = 0; j < PAGE_SIZE / sizeof(u32); j += 61)
			if (w[j] != sf_buf_test_pattern(i, s->gen[i], j))
				atomic_inc(&s->errors);
		kunmap_local(w);
	}
	kunit_info(test, "%d mappings by %u threads\n", atomic_read(&s->maps),
		   s->nthreads);
	KUNIT_EXPECT_GT(test, atomic_read(&s->maps), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&s->errors), 0);
}

#endif /* CONFIG_ARCH_HAS_SFBUF_CACHE */

/*
 * Microbenchmark: time per map + read + unmap, and function-call/TLB IPIs
 * received by all CPUs, for sf_buf (private, shared), kmap() and
 * kmap_local_page().  It reports; it asserts nothing about time.
 */
#define SF_BUF_BENCH_MAPS	20000
#define SF_BUF_BENCH_PAGES	4096	/* more than the pkmap area and the cache */
#define SF_BUF_BENCH_SHARED	64

enum { BENCH_SFB_PRIVATE, BENCH_SFB_SHARED, BENCH_KMAP, BENCH_KMAP_LOCAL };
static const char * const sf_buf_bench_names[] = {
	"sf_buf private", "sf_buf shared", "kmap", "kmap_local_page",
};

static u32 sf_buf_bench_map(struct page *page, int how)
{
	struct sf_buf *sf;
	u32 v = 0;
	void *p;

	switch (how) {
	case BENCH_SFB_PRIVATE:
	case BENCH_SFB_SHARED:
		sf = sf_buf_alloc(page, how == BENCH_SFB_PRIVATE ?
					SFB_CPUPRIVATE : SFB_DEFAULT);
		if (sf) {
			v = READ_ONCE(*(u32 *)sf_buf_kva(sf));
			sf_buf_free(sf);
		}
		break;
	case BENCH_KMAP:
		/* What kmap() does for a highmem page, minus the wrapper. */
#ifdef CONFIG_HIGHMEM
		if (PageHighMem(page)) {
			p = kmap_high(page);
			v = READ_ONCE(*(u32 *)p);
			kunmap_high(page);
			break;
		}
#endif
		v = READ_ONCE(*(u32 *)page_address(page));
		break;
	default:
		p = kmap_local_page(page);
		v = READ_ONCE(*(u32 *)p);
		kunmap_local(p);
		break;
	}
	return v;
}

static u64 sf_buf_bench_ipis(void)
{
	u64 n = 0;
#if defined(CONFIG_X86) && defined(CONFIG_SMP)
	int cpu;

	for_each_online_cpu(cpu)
		n += per_cpu(irq_stat, cpu).irq_call_count +
		     per_cpu(irq_stat, cpu).irq_tlb_count;
#endif
	return n;
}

struct sf_buf_bench_thread {
	struct page **pages;
	unsigned int npages, maps;
	int how;
	atomic_t *running;
	struct completion *done;
};

static int sf_buf_bench_thread_fn(void *data)
{
	struct sf_buf_bench_thread *t = data;
	unsigned int i;

	for (i = 0; i < t->maps; i++) {
		sf_buf_bench_map(t->pages[i % t->npages], t->how);
		if (!(i & 255))
			cond_resched();
	}
	if (atomic_dec_and_test(t->running))
		complete(t->done);
	return 0;
}

static void sf_buf_bench_exit(void *data)
{
	struct page **pages = data;
	unsigned int i;

	for (i = 0; i < SF_BUF_BENCH_PAGES; i++)
		if (pages[i])
			__free_page(pages[i]);
}

static void sf_buf_bench_report(struct kunit *test, const char *load, int how,
				u64 ns, u64 ipis, unsigned int maps)
{
	kunit_info(test, "bench %-10s %-16s %7llu ns/map %7llu IPIs\n", load,
		   sf_buf_bench_names[how], div_u64(ns, maps), ipis);
}

static void sf_buf_test_bench(struct kunit *test)
{
	struct sf_buf_bench_thread t[2];
	struct completion done;
	struct page **pages;
	unsigned int i, c;
	atomic_t running;
	u64 t0, i0;
	int how, cpu[2];

	pages = kunit_kcalloc(test, SF_BUF_BENCH_PAGES, sizeof(*pages),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, sf_buf_bench_exit, pages));
	for (i = 0; i < SF_BUF_BENCH_PAGES; i++) {
		pages[i] = alloc_page(GFP_HIGHUSER);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}

	for (how = 0; how < ARRAY_SIZE(sf_buf_bench_names); how++) {
		/* One page, mapped again and again. */
		i0 = sf_buf_bench_ipis();
		t0 = ktime_get_ns();
		for (i = 0; i < SF_BUF_BENCH_MAPS; i++)
			sf_buf_bench_map(pages[0], how);
		sf_buf_bench_report(test, "same-page", how, ktime_get_ns() - t0,
				    sf_buf_bench_ipis() - i0, SF_BUF_BENCH_MAPS);

		/* A stream over more pages than any cache holds. */
		i0 = sf_buf_bench_ipis();
		t0 = ktime_get_ns();
		for (i = 0; i < SF_BUF_BENCH_MAPS; i++) {
			sf_buf_bench_map(pages[i % SF_BUF_BENCH_PAGES], how);
			if (!(i & 255))
				cond_resched();
		}
		sf_buf_bench_report(test, "stream", how, ktime_get_ns() - t0,
				    sf_buf_bench_ipis() - i0, SF_BUF_BENCH_MAPS);
	}

	if (num_online_cpus() < 2)
		kunit_skip(test, "the two-CPU workload needs two CPUs");
	cpu[0] = cpumask_first(cpu_online_mask);
	cpu[1] = cpumask_next(cpu[0], cpu_online_mask);
	for (how = 0; how < ARRAY_SIZE(sf_buf_bench_names); how++) {
		/* Two CPUs mapping the same few pages at once. */
		init_completion(&done);
		atomic_set(&running, 2);
		i0 = sf_buf_bench_ipis();
		t0 = ktime_get_ns();
		for (c = 0; c < 2; c++) {
			struct task_struct *task;

			t[c] = (struct sf_buf_bench_thread) {
				.pages = pages, .npages = SF_BUF_BENCH_SHARED,
				.maps = SF_BUF_BENCH_MAPS / 2, .how = how,
				.running = &running, .done = &done,
			};
			task = kthread_create(sf_buf_bench_thread_fn, &t[c],
					      "sfbuf_bench/%d", cpu[c]);
			KUNIT_ASSERT_FALSE(test, IS_ERR(task));
			kthread_bind(task, cpu[c]);
			wake_up_process(task);
		}
		wait_for_completion(&done);
		sf_buf_bench_report(test, "two-cpus", how, ktime_get_ns() - t0,
				    sf_buf_bench_ipis() - i0, SF_BUF_BENCH_MAPS);
	}
}

static struct kunit_case sf_buf_test_cases[] = {
	KUNIT_CASE(sf_buf_test_lowmem),
	KUNIT_CASE(sf_buf_test_highmem),
	KUNIT_CASE(sf_buf_test_direct_map),
	KUNIT_CASE(sf_buf_test_atomic),
	KUNIT_CASE(sf_buf_test_private_nesting),
	KUNIT_CASE(sf_buf_test_copy_iter),
#ifdef CONFIG_ARCH_HAS_SFBUF_CACHE
	KUNIT_CASE(sf_buf_test_cache_hit),
	KUNIT_CASE(sf_buf_test_cache_lru),
	KUNIT_CASE(sf_buf_test_cache_exhausted),
	KUNIT_CASE(sf_buf_test_cache_ipi),
	KUNIT_CASE(sf_buf_test_cache_coherence),
	KUNIT_CASE_SLOW(sf_buf_test_cache_stress),
#endif
	KUNIT_CASE_SLOW(sf_buf_test_bench),
	{}
};

static struct kunit_suite sf_buf_test_suite = {
	.name = "sfbuf",
	.test_cases = sf_buf_test_cases,
};

kunit_test_suite(sf_buf_test_suite);

MODULE_DESCRIPTION("KUnit tests for sf_buf");
MODULE_LICENSE("GPL");
