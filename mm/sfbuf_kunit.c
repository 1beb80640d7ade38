// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the sf_buf interface.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/hardirq.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mman.h>
#include <linux/preempt.h>
#include <linux/random.h>
#include <linux/smp.h>
#include <linux/sched/signal.h>
#include <linux/set_memory.h>
#include <linux/sfbuf.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>
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

/*
 * A direct-mapped page's address is its direct-map address; under
 * CONFIG_DEBUG_SFBUF every page is mapped instead, at another address.
 */
static void sf_buf_test_direct_map(struct kunit *test)
{
	struct page *page = sf_buf_test_page(test, GFP_KERNEL);
	struct sf_buf *sf = sf_buf_alloc(page, SFB_NOWAIT);

	KUNIT_ASSERT_NOT_NULL(test, sf);
	KUNIT_EXPECT_PTR_EQ(test, sf_buf_page(sf), page);
	if (IS_ENABLED(CONFIG_DEBUG_SFBUF)) {
		KUNIT_EXPECT_FALSE(test, sf_buf_is_direct(sf));
		KUNIT_EXPECT_PTR_NE(test, sf_buf_kva(sf), page_address(page));
	} else {
		KUNIT_EXPECT_TRUE(test, sf_buf_is_direct(sf));
		KUNIT_EXPECT_PTR_EQ(test, sf_buf_kva(sf), page_address(page));
	}
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

/*
 * The page-copy helpers on user memory (ITER_UBUF): pages not yet faulted
 * in are faulted in and copied; a page that cannot be faulted in ends the
 * copy there, with nothing copied past it.
 */
static void sf_buf_test_copy_iter_user(struct kunit *test)
{
	struct page *page = sf_buf_test_page(test, GFP_HIGHUSER);
	unsigned long uaddr;
	struct iov_iter iter;
	u8 *buf, *p;
	size_t i, n;

	buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	uaddr = kunit_vm_mmap(test, NULL, 0, 2 * PAGE_SIZE,
			      PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE,
			      0);
	if (IS_ERR_VALUE(uaddr) || !uaddr)
		kunit_skip(test, "no user memory for the test");

	/* To user memory not yet faulted in: every byte arrives. */
	p = kmap_local_page(page);
	for (i = 0; i < PAGE_SIZE; i++)
		p[i] = i * 7 + 3;
	kunmap_local(p);
	iov_iter_ubuf(&iter, ITER_DEST, (void __user *)uaddr, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, PAGE_SIZE,
			sf_buf_copy_page_to_iter(page, 0, PAGE_SIZE, &iter));
	KUNIT_ASSERT_EQ(test, 0, copy_from_user(buf, (void __user *)uaddr,
						PAGE_SIZE));
	for (i = 0; i < PAGE_SIZE; i++)
		if (buf[i] != (u8)(i * 7 + 3))
			break;
	KUNIT_EXPECT_EQ(test, i, PAGE_SIZE);

	/* The second user page goes away: copies stop where it began. */
	vm_munmap(uaddr + PAGE_SIZE, PAGE_SIZE);
	memset(buf, 0x5a, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, 0, copy_to_user((void __user *)uaddr, buf,
					      PAGE_SIZE));
	p = kmap_local_page(page);
	memset(p, 0, PAGE_SIZE);
	kunmap_local(p);
	iov_iter_ubuf(&iter, ITER_SOURCE,
		      (void __user *)(uaddr + PAGE_SIZE - 100), 200);
	n = sf_buf_copy_page_from_iter(page, 0, 200, &iter);
	KUNIT_EXPECT_EQ(test, n, 100);
	p = kmap_local_page(page);
	for (i = 0; i < 200; i++)
		if (p[i] != (i < 100 ? 0x5a : 0))
			break;
	kunmap_local(p);
	KUNIT_EXPECT_EQ_MSG(test, i, 200, "byte %zu wrong after a short copy",
			    i);

	iov_iter_ubuf(&iter, ITER_DEST,
		      (void __user *)(uaddr + PAGE_SIZE - 10), 50);
	KUNIT_EXPECT_EQ(test, 10, sf_buf_copy_page_to_iter(page, 0, 50, &iter));
	__free_page(page);
}

#ifdef CONFIG_DEBUG_SFBUF
static int sf_buf_test_leak_fn(void *data)
{
	struct page *page = data;

	/* Exits holding the mapping: do_exit() must report and free it. */
	(void)sf_buf_alloc(page, SFB_CPUPRIVATE);
	return 0;
}

/* CONFIG_DEBUG_SFBUF reports private mappings freed out of order or leaked. */
static void sf_buf_test_debug_contract(struct kunit *test)
{
	struct page *p0 = sf_buf_test_page(test, GFP_HIGHUSER);
	struct page *p1 = sf_buf_test_page(test, GFP_HIGHUSER);
	struct task_struct *task;
	struct sf_buf *a, *b;
	int before;

	WRITE_ONCE(sf_buf_debug_quiet, true);
	before = atomic_read(&sf_buf_debug_reports);
	a = sf_buf_alloc(p0, SFB_CPUPRIVATE);
	b = sf_buf_alloc(p1, SFB_CPUPRIVATE);
	sf_buf_free(b);
	sf_buf_free(a);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&sf_buf_debug_reports), before,
			    "frees in the right order reported");

	a = sf_buf_alloc(p0, SFB_CPUPRIVATE);
	b = sf_buf_alloc(p1, SFB_CPUPRIVATE);
	sf_buf_free(a);
	sf_buf_free(b);
	KUNIT_EXPECT_GT_MSG(test, atomic_read(&sf_buf_debug_reports), before,
			    "out-of-order frees not reported");

	before = atomic_read(&sf_buf_debug_reports);
	task = kthread_run(sf_buf_test_leak_fn, p0, "sfbuf_leak");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	/* The report is made in do_exit(), before the task is reaped. */
	while (atomic_read(&sf_buf_debug_reports) == before &&
	       !(READ_ONCE(task->flags) & PF_EXITING))
		msleep(20);
	msleep(100);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&sf_buf_debug_reports),
			    before + 1, "a leaked private mapping not reported");
	WRITE_ONCE(sf_buf_debug_quiet, false);
	__free_page(p1);
	__free_page(p0);
}
#endif

#ifdef CONFIG_ARCH_HAS_SFBUF_CACHE

/*
 * Cache tests run on small caches of their own: what they fill, empty and
 * count is theirs alone.
 */
#define SF_BUF_TEST_ENTRIES	8
#define SF_BUF_TEST_SLOTS	4

struct sf_buf_test_cache {
	struct sf_buf_cache *cache;
	unsigned int npages;
	struct page **pages;
};

static void sf_buf_test_cache_exit(void *data)
{
	struct sf_buf_test_cache *t = data;
	unsigned int i;

	sf_buf_cache_destroy(t->cache);
	for (i = 0; i < t->npages; i++)
		if (t->pages[i])
			__free_page(t->pages[i]);
}

/* A cache of @entries shared entries and @slots private slots per CPU,
 * and @npages highmem-like pages (lowmem ones do as well: the instance
 * maps whatever it is given).
 */
static struct sf_buf_test_cache *
sf_buf_test_cache(struct kunit *test, unsigned int entries, unsigned int slots,
		  unsigned int npages)
{
	struct sf_buf_test_cache *t;
	unsigned int i;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->pages = kunit_kcalloc(test, npages, sizeof(*t->pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->pages);
	t->cache = sf_buf_cache_create(entries, slots);
	KUNIT_ASSERT_NOT_NULL(test, t->cache);
	t->npages = npages;
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, sf_buf_test_cache_exit,
						  t));
	for (i = 0; i < npages; i++) {
		u32 *w;

		t->pages[i] = alloc_page(GFP_HIGHUSER);
		KUNIT_ASSERT_NOT_NULL(test, t->pages[i]);
		w = kmap_local_page(t->pages[i]);
		*w = 0xc0de0000 + i;
		kunmap_local(w);
	}
	return t;
}

struct sf_buf_test_counts {
	unsigned long ev[SF_BUF_EV_NR];
};

static void sf_buf_test_count(struct sf_buf_cache *c,
			      struct sf_buf_test_counts *n)
{
	int i;

	for (i = 0; i < SF_BUF_EV_NR; i++)
		n->ev[i] = sf_buf_cache_events(c, i);
}

#define SF_BUF_DELTA(a, b, what)	\
	((b).ev[SF_BUF_EV_##what] - (a).ev[SF_BUF_EV_##what])

/* Read the page's tag through the mapping; loads the TLB entry. */
static u32 sf_buf_test_touch(struct sf_buf *sf)
{
	return READ_ONCE(*(u32 *)sf_buf_kva(sf));
}

/*
 * Mapping a mapped page again, in use or not, is a hit at the same address
 * that writes no PTE (no miss), invalidates nothing and sends no IPI.
 */
static void sf_buf_test_cache_hit(struct kunit *test)
{
	static const int flags[] = { SFB_DEFAULT, SFB_CPUPRIVATE };
	struct sf_buf_test_cache *t = sf_buf_test_cache(test, 8, 4, 1);
	struct sf_buf_test_counts c0, c1;
	struct sf_buf *sf, *held;
	unsigned int f, active;
	void *kva;

	for (f = 0; f < ARRAY_SIZE(flags); f++) {
		for (active = 0; active < 2; active++) {
			/* Private hits are per CPU: stay on this one. */
			migrate_disable();
			held = NULL;
			if (active) {
				held = sf_buf_cache_alloc(t->cache, t->pages[0],
							  flags[f]);
				KUNIT_ASSERT_NOT_NULL(test, held);
			}
			sf = sf_buf_cache_alloc(t->cache, t->pages[0], flags[f]);
			KUNIT_ASSERT_NOT_NULL(test, sf);
			kva = sf_buf_kva(sf);
			KUNIT_EXPECT_EQ(test, sf_buf_test_touch(sf), 0xc0de0000);
			sf_buf_cache_free(t->cache, sf);

			sf_buf_test_count(t->cache, &c0);
			sf = sf_buf_cache_alloc(t->cache, t->pages[0], flags[f]);
			sf_buf_test_count(t->cache, &c1);
			KUNIT_ASSERT_NOT_NULL(test, sf);
			KUNIT_EXPECT_PTR_EQ(test, sf_buf_kva(sf), kva);
			KUNIT_EXPECT_PTR_EQ(test, sf_buf_page(sf), t->pages[0]);
			KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, HIT), 1);
			KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, MISS), 0);
			KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, LOCAL_FLUSH), 0);
			KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, IPI), 0);
			sf_buf_cache_free(t->cache, sf);
			if (held)
				sf_buf_cache_free(t->cache, held);
			migrate_enable();
		}
	}
}

/*
 * The clock: a miss takes a free entry that was not hit since the hand
 * last passed; one that was hit gets a second chance and keeps its page.
 * An entry whose mapping was never used is reused at once, with no IPI.
 */
static void sf_buf_test_cache_clock(struct kunit *test)
{
	struct sf_buf_test_cache *t;
	struct sf_buf_test_counts c0, c1;
	void *kva[SF_BUF_TEST_ENTRIES];
	struct sf_buf *sf;
	unsigned int i;

	t = sf_buf_test_cache(test, SF_BUF_TEST_ENTRIES, SF_BUF_TEST_SLOTS,
			      SF_BUF_TEST_ENTRIES + 2);
	for (i = 0; i < SF_BUF_TEST_ENTRIES; i++) {
		sf = sf_buf_cache_alloc(t->cache, t->pages[i], SFB_NOWAIT);
		KUNIT_ASSERT_NOT_NULL(test, sf);
		kva[i] = sf_buf_kva(sf);
		/* Entry 1's mapping is never used. */
		if (i != 1)
			sf_buf_test_touch(sf);
		sf_buf_cache_free(t->cache, sf);
	}
	/* A hit on page 0 gives its entry a second chance. */
	sf = sf_buf_cache_alloc(t->cache, t->pages[0], SFB_NOWAIT);
	KUNIT_ASSERT_NOT_NULL(test, sf);
	sf_buf_cache_free(t->cache, sf);

	sf_buf_test_count(t->cache, &c0);
	sf = sf_buf_cache_alloc(t->cache, t->pages[8], SFB_NOWAIT);
	sf_buf_test_count(t->cache, &c1);
	KUNIT_ASSERT_NOT_NULL(test, sf);
	KUNIT_EXPECT_PTR_EQ(test, sf_buf_kva(sf), kva[1]);
	KUNIT_EXPECT_EQ(test, sf_buf_test_touch(sf), 0xc0de0008);
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, MISS), 1);
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, IPI), 0);
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, LOCAL_FLUSH), 0);
	sf_buf_cache_free(t->cache, sf);

	/*
	 * Next: entries 2..7 were used; the hand takes them all, dirty, and
	 * one IPI round cleans them together.  Page 0 keeps its entry.
	 */
	sf_buf_test_count(t->cache, &c0);
	KUNIT_EXPECT_NULL_MSG(test, sf_buf_cache_alloc(t->cache, t->pages[9],
						       SFB_NOWAIT),
			      "SFB_NOWAIT waited for an IPI round");
	sf = sf_buf_cache_alloc(t->cache, t->pages[9], SFB_DEFAULT);
	sf_buf_test_count(t->cache, &c1);
	KUNIT_ASSERT_NOT_NULL(test, sf);
	KUNIT_EXPECT_PTR_EQ(test, sf_buf_kva(sf), kva[2]);
	KUNIT_EXPECT_EQ(test, sf_buf_test_touch(sf), 0xc0de0009);
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, IPI),
			num_online_cpus() - 1);
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, LOCAL_FLUSH), 1);
	sf_buf_cache_free(t->cache, sf);

	sf_buf_test_count(t->cache, &c0);
	sf = sf_buf_cache_alloc(t->cache, t->pages[0], SFB_NOWAIT);
	sf_buf_test_count(t->cache, &c1);
	KUNIT_ASSERT_NOT_NULL(test, sf);
	KUNIT_EXPECT_PTR_EQ(test, sf_buf_kva(sf), kva[0]);
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, HIT), 1);
	sf_buf_cache_free(t->cache, sf);
}

/*
 * Private slots: a miss takes a clean slot and writes its PTE, with no
 * invalidation; once none is clean, a refill unmaps a cold free slot
 * (the clock gives one hit since it last passed a second chance) and
 * invalidates it.  The pages read back through re-pointed slots are the
 * new ones: qemu keeps a stale TLB entry until it is invalidated.
 */
static void sf_buf_test_cache_private(struct kunit *test)
{
	struct sf_buf_test_cache *t = sf_buf_test_cache(test, 8, 4, 6);
	struct sf_buf_test_counts c0, c1;
	struct sf_buf *sf[5];
	void *kva[4];
	unsigned int i;

	migrate_disable();
	/* Four slots, all clean: misses with nothing to invalidate. */
	sf_buf_test_count(t->cache, &c0);
	for (i = 0; i < 4; i++) {
		sf[i] = sf_buf_cache_alloc(t->cache, t->pages[i],
					   SFB_CPUPRIVATE);
		KUNIT_ASSERT_NOT_NULL(test, sf[i]);
		kva[i] = sf_buf_kva(sf[i]);
		KUNIT_EXPECT_EQ(test, sf_buf_test_touch(sf[i]), 0xc0de0000 + i);
	}
	sf_buf_test_count(t->cache, &c1);
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, MISS), 4);
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, LOCAL_FLUSH), 0);
	/* All four in use: the cache says so (sf_buf_alloc() falls back). */
	KUNIT_EXPECT_NULL(test, sf_buf_cache_alloc(t->cache, t->pages[4],
						   SFB_CPUPRIVATE));
	for (i = 4; i-- > 0;)
		sf_buf_cache_free(t->cache, sf[i]);

	/* Page 0 is used again: its slot gets a second chance. */
	sf[0] = sf_buf_cache_alloc(t->cache, t->pages[0], SFB_CPUPRIVATE);
	KUNIT_ASSERT_NOT_NULL(test, sf[0]);
	sf_buf_cache_free(t->cache, sf[0]);

	sf_buf_test_count(t->cache, &c0);
	sf[4] = sf_buf_cache_alloc(t->cache, t->pages[4], SFB_CPUPRIVATE);
	sf_buf_test_count(t->cache, &c1);
	KUNIT_ASSERT_NOT_NULL(test, sf[4]);
	KUNIT_EXPECT_PTR_EQ(test, sf_buf_kva(sf[4]), kva[1]);
	KUNIT_EXPECT_EQ(test, sf_buf_test_touch(sf[4]), 0xc0de0004);
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, MISS), 1);
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, LOCAL_FLUSH),
			sf_buf_refill_cost(1));
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, IPI), 0);
	sf_buf_cache_free(t->cache, sf[4]);
	/* Pages 0, 2 and 3 kept their slots. */
	sf_buf_test_count(t->cache, &c0);
	for (i = 0; i < 4; i++) {
		if (i == 1)
			continue;
		sf[i] = sf_buf_cache_alloc(t->cache, t->pages[i],
					   SFB_CPUPRIVATE);
		KUNIT_ASSERT_NOT_NULL(test, sf[i]);
		KUNIT_EXPECT_PTR_EQ(test, sf_buf_kva(sf[i]), kva[i]);
		sf_buf_cache_free(t->cache, sf[i]);
	}
	sf_buf_test_count(t->cache, &c1);
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, HIT), 3);
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, MISS), 0);
	migrate_enable();
}

/*
 * The reserve at two sizes: 512 slots refill 64 at a time (one flush of
 * the TLB), 128 slots 16 at a time (an invlpg each).  The slots' first
 * pages are read again just before the refill, so that their
 * translations are in the TLB; the refill must invalidate them, and the
 * 16 or 64 misses that follow write a PTE each and invalidate nothing.
 * Every page read through a re-pointed slot is the new one.
 */
static void sf_buf_test_reserve(struct kunit *test, unsigned int n)
{
	const unsigned int k = min(n / 8, 64U);
	unsigned int i, stale = 0, failed = 0;
	struct sf_buf_test_counts c0, c1;
	struct sf_buf_test_cache *t;
	unsigned long flushes;
	struct sf_buf *sf;
	void **kva;

	kva = kunit_kcalloc(test, n, sizeof(*kva), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kva);
	t = sf_buf_test_cache(test, 8, n, n + k);
	migrate_disable();
	sf_buf_test_count(t->cache, &c0);
	for (i = 0; i < n; i++) {
		sf = sf_buf_cache_alloc(t->cache, t->pages[i], SFB_CPUPRIVATE);
		if (!sf)
			break;
		kva[i] = sf_buf_kva(sf);
		if (sf_buf_test_touch(sf) != 0xc0de0000 + i)
			stale++;
		sf_buf_cache_free(t->cache, sf);
	}
	sf_buf_test_count(t->cache, &c1);
	if (i < n)
		migrate_enable();
	KUNIT_ASSERT_EQ(test, i, n);
	KUNIT_EXPECT_EQ(test, stale, 0);
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, MISS), n);
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, LOCAL_FLUSH), 0);

	/* No KUnit calls in here: they may sleep. */
	preempt_disable();
	for (i = 0; i < k; i++)
		READ_ONCE(*(u32 *)kva[i]);
	sf_buf_test_count(t->cache, &c0);
	for (i = n; i < n + k; i++) {
		sf = sf_buf_cache_alloc(t->cache, t->pages[i], SFB_CPUPRIVATE);
		if (!sf) {
			failed++;
			continue;
		}
		if (sf_buf_test_touch(sf) != 0xc0de0000 + i)
			stale++;
		sf_buf_cache_free(t->cache, sf);
	}
	sf_buf_test_count(t->cache, &c1);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, failed, 0);
	KUNIT_EXPECT_EQ_MSG(test, stale, 0,
			    "%u stale reads through refilled slots", stale);
	flushes = SF_BUF_DELTA(c0, c1, LOCAL_FLUSH);
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, MISS), k);
	KUNIT_EXPECT_EQ(test, flushes, sf_buf_refill_cost(k));
	/* One flush per 64 misses, where a flush is what a refill does. */
	if (k == 64 && sf_buf_refill_cost(k) == 1)
		KUNIT_EXPECT_LE_MSG(test, flushes, k / 16,
				    "more than one invalidation per 16 misses");
	/* The other slots were not touched by the refill. */
	sf_buf_test_count(t->cache, &c0);
	for (i = k; i < n; i++) {
		sf = sf_buf_cache_alloc(t->cache, t->pages[i], SFB_CPUPRIVATE);
		if (!sf)
			break;
		sf_buf_cache_free(t->cache, sf);
	}
	sf_buf_test_count(t->cache, &c1);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, HIT), n - k);
}

static void sf_buf_test_cache_reserve(struct kunit *test)
{
	sf_buf_test_reserve(test, 128);
	sf_buf_test_reserve(test, 512);
}

/* Map page @i of @t privately, read its tag back and free it. */
static void sf_buf_test_map_check(struct sf_buf_test_cache *t, unsigned int i,
				  unsigned int *failed, unsigned int *stale)
{
	struct sf_buf *sf;

	sf = sf_buf_cache_alloc(t->cache, t->pages[i], SFB_CPUPRIVATE);
	if (!sf) {
		(*failed)++;
		return;
	}
	if (sf_buf_test_touch(sf) != 0xc0de0000 + i)
		(*stale)++;
	sf_buf_cache_free(t->cache, sf);
}

#define SF_BUF_TEST_SCAN_SLOTS	64
#define SF_BUF_TEST_SCAN_HOT	16
#define SF_BUF_TEST_SCAN_STREAM	32
#define SF_BUF_TEST_SCAN_ROUNDS	40

/*
 * Scan resistance: a hot set of 16 pages mapped again every round, with
 * 32 pages never seen before mapped between rounds (a stream, 20 times
 * as large as the 64 slots in all).  The clock's second chance keeps the
 * hot pages: after the first round they always hit, and the stream's
 * pages take each other's slots.  That holds as long as a round's
 * stream and a refill (an eighth of the slots) fit in the slots the hot
 * set leaves: then the hand never passes a hot slot twice between two
 * rounds.  And the chance is only a second one: after three turns of
 * the hand with no use, the hot pages are gone.
 */
static void sf_buf_test_cache_scan(struct kunit *test)
{
	const unsigned int aging = 3 * SF_BUF_TEST_SCAN_SLOTS;
	const unsigned int npages = SF_BUF_TEST_SCAN_HOT +
		SF_BUF_TEST_SCAN_ROUNDS * SF_BUF_TEST_SCAN_STREAM + aging;
	unsigned int round, i, next = SF_BUF_TEST_SCAN_HOT, hot_misses = 0;
	unsigned int failed = 0, stale = 0;
	struct sf_buf_test_counts c0, c1;
	struct sf_buf_test_cache *t;

	BUILD_BUG_ON(SF_BUF_TEST_SCAN_HOT + SF_BUF_TEST_SCAN_STREAM >
		     SF_BUF_TEST_SCAN_SLOTS);
	BUILD_BUG_ON(SF_BUF_TEST_SCAN_HOT + SF_BUF_TEST_SCAN_SLOTS / 8 >
		     SF_BUF_TEST_SCAN_SLOTS);
	t = sf_buf_test_cache(test, 8, SF_BUF_TEST_SCAN_SLOTS, npages);
	migrate_disable();
	for (round = 0; round <= SF_BUF_TEST_SCAN_ROUNDS; round++) {
		sf_buf_test_count(t->cache, &c0);
		for (i = 0; i < SF_BUF_TEST_SCAN_HOT; i++)
			sf_buf_test_map_check(t, i, &failed, &stale);
		sf_buf_test_count(t->cache, &c1);
		if (round == SF_BUF_TEST_SCAN_ROUNDS)
			break;
		if (round)
			hot_misses += SF_BUF_DELTA(c0, c1, MISS);
		/* Before the last round, a stream with no hot use between. */
		for (i = 0; i < (round == SF_BUF_TEST_SCAN_ROUNDS - 1 ?
				 aging : SF_BUF_TEST_SCAN_STREAM); i++, next++)
			sf_buf_test_map_check(t, next, &failed, &stale);
	}
	migrate_enable();
	KUNIT_EXPECT_EQ(test, failed, 0);
	KUNIT_EXPECT_EQ(test, stale, 0);
	KUNIT_EXPECT_EQ_MSG(test, hot_misses, 0,
			    "the stream pushed hot pages out %u times in %u rounds",
			    hot_misses, SF_BUF_TEST_SCAN_ROUNDS - 1);
	KUNIT_EXPECT_EQ_MSG(test, SF_BUF_DELTA(c0, c1, MISS),
			    SF_BUF_TEST_SCAN_HOT,
			    "hot pages unused for three turns of the hand were kept");
}

/*
 * sf_buf_alloc(SFB_CPUPRIVATE) uses the system cache's slots: mapping a
 * page twice on a CPU is a hit at the same address, not a
 * kmap_local_page() fallback.
 */
static void sf_buf_test_system_private(struct kunit *test)
{
	struct page *page = sf_buf_test_page(test, GFP_HIGHUSER);
	unsigned long hits;
	struct sf_buf *a, *b;

	if (!sf_buf_system_cache || sf_buf_maps_directly(page)) {
		__free_page(page);
		kunit_skip(test, "no system mapping cache for this page");
	}
	migrate_disable();
	a = sf_buf_alloc(page, SFB_CPUPRIVATE);
	sf_buf_free(a);
	hits = sf_buf_cache_events(sf_buf_system_cache, SF_BUF_EV_HIT);
	b = sf_buf_alloc(page, SFB_CPUPRIVATE);
	hits = sf_buf_cache_events(sf_buf_system_cache, SF_BUF_EV_HIT) - hits;
	sf_buf_free(b);
	migrate_enable();
	KUNIT_EXPECT_FALSE(test, (unsigned long)a & SF_BUF_LOCAL);
	KUNIT_EXPECT_FALSE(test, (unsigned long)b & SF_BUF_LOCAL);
	KUNIT_EXPECT_PTR_EQ(test, sf_buf_kva(a), sf_buf_kva(b));
	/* Interrupts on other CPUs count too. */
	KUNIT_EXPECT_GE(test, hits, 1);
	__free_page(page);
}

struct sf_buf_test_waiter {
	struct sf_buf_cache *cache;
	struct page *page;
	int flags, signo;
	struct sf_buf *sf;
	bool done;
	struct completion exited;
};

static int sf_buf_test_waiter_fn(void *data)
{
	struct sf_buf_test_waiter *w = data;

	if (w->signo)
		allow_signal(w->signo);
	w->sf = sf_buf_cache_alloc(w->cache, w->page, w->flags);
	WRITE_ONCE(w->done, true);
	complete(&w->exited);
	/* Stay until the test has looked, then let it reap us. */
	while (!kthread_should_stop())
		msleep(20);
	return 0;
}

static struct task_struct *sf_buf_test_start_waiter(struct kunit *test,
						    struct sf_buf_test_waiter *w)
{
	unsigned long waits = sf_buf_cache_events(w->cache, SF_BUF_EV_WAIT);
	struct task_struct *task;
	int i;

	init_completion(&w->exited);
	task = kthread_run(sf_buf_test_waiter_fn, w, "sfbuf_wait");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	get_task_struct(task);
	for (i = 0; i < 500; i++) {
		if (sf_buf_cache_events(w->cache, SF_BUF_EV_WAIT) > waits)
			break;
		msleep(20);
	}
	KUNIT_EXPECT_GT_MSG(test, sf_buf_cache_events(w->cache, SF_BUF_EV_WAIT),
			    waits, "the allocation did not sleep");
	msleep(20);
	return task;
}

static void sf_buf_test_stop_waiter(struct sf_buf_test_waiter *w,
				    struct task_struct *task)
{
	kthread_stop(task);
	put_task_struct(task);
	if (w->sf)
		sf_buf_cache_free(w->cache, w->sf);
	w->sf = NULL;
}

/*
 * With every entry in use: NOWAIT fails; CATCH and DEFAULT sleep, and are
 * served in FIFO order, each by the entry a free hands it; CATCH ends on
 * any signal, DEFAULT only on a fatal one.
 */
static void sf_buf_test_cache_exhausted(struct kunit *test)
{
	struct sf_buf_test_waiter w[2];
	struct task_struct *task[2];
	struct sf_buf_test_cache *t;
	struct sf_buf *held[8], *sf;
	unsigned int i;

	t = sf_buf_test_cache(test, 8, 4, 12);
	for (i = 0; i < 8; i++) {
		held[i] = sf_buf_cache_alloc(t->cache, t->pages[i], SFB_NOWAIT);
		KUNIT_ASSERT_NOT_NULL(test, held[i]);
		sf_buf_test_touch(held[i]);
	}
	KUNIT_EXPECT_NULL(test, sf_buf_cache_alloc(t->cache, t->pages[8],
						   SFB_NOWAIT));
	/* A page that is mapped needs no free entry. */
	sf = sf_buf_cache_alloc(t->cache, t->pages[3], SFB_NOWAIT);
	KUNIT_EXPECT_PTR_EQ(test, sf, held[3]);
	if (sf)
		sf_buf_cache_free(t->cache, sf);

	/* FIFO: the first waiter gets the first entry freed. */
	for (i = 0; i < 2; i++) {
		w[i] = (struct sf_buf_test_waiter){
			.cache = t->cache, .page = t->pages[8 + i],
			.flags = i ? SFB_CATCH : SFB_DEFAULT,
		};
		task[i] = sf_buf_test_start_waiter(test, &w[i]);
	}
	sf_buf_cache_free(t->cache, held[5]);
	held[5] = NULL;
	wait_for_completion_timeout(&w[0].exited, 10 * HZ);
	msleep(50);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(w[0].done));
	KUNIT_EXPECT_FALSE_MSG(test, READ_ONCE(w[1].done),
			       "the second waiter overtook the first");
	KUNIT_ASSERT_NOT_NULL(test, w[0].sf);
	KUNIT_EXPECT_EQ(test, sf_buf_test_touch(w[0].sf), 0xc0de0008);
	sf_buf_cache_free(t->cache, held[6]);
	held[6] = NULL;
	wait_for_completion_timeout(&w[1].exited, 10 * HZ);
	KUNIT_ASSERT_NOT_NULL(test, w[1].sf);
	KUNIT_EXPECT_EQ(test, sf_buf_test_touch(w[1].sf), 0xc0de0009);
	for (i = 0; i < 2; i++)
		sf_buf_test_stop_waiter(&w[i], task[i]);
	/* Those two entries are free again; take them back. */
	for (i = 5; i < 7; i++) {
		held[i] = sf_buf_cache_alloc(t->cache, t->pages[i], SFB_DEFAULT);
		KUNIT_ASSERT_NOT_NULL(test, held[i]);
	}

	/* A signal ends a CATCH wait; only SIGKILL ends a DEFAULT one. */
	w[0] = (struct sf_buf_test_waiter){ .cache = t->cache,
		.page = t->pages[10], .flags = SFB_CATCH, .signo = SIGUSR1 };
	w[1] = (struct sf_buf_test_waiter){ .cache = t->cache,
		.page = t->pages[11], .flags = SFB_DEFAULT, .signo = SIGKILL };
	for (i = 0; i < 2; i++)
		task[i] = sf_buf_test_start_waiter(test, &w[i]);
	send_sig(SIGUSR1, task[0], 1);
	send_sig(SIGUSR1, task[1], 1);
	KUNIT_EXPECT_NE(test, 0, wait_for_completion_timeout(&w[0].exited,
							     10 * HZ));
	KUNIT_EXPECT_NULL(test, w[0].sf);
	msleep(100);
	KUNIT_EXPECT_FALSE_MSG(test, READ_ONCE(w[1].done),
			       "a DEFAULT wait ended on a non-fatal signal");
	send_sig(SIGKILL, task[1], 1);
	KUNIT_EXPECT_NE(test, 0, wait_for_completion_timeout(&w[1].exited,
							     10 * HZ));
	KUNIT_EXPECT_NULL(test, w[1].sf);
	for (i = 0; i < 2; i++)
		sf_buf_test_stop_waiter(&w[i], task[i]);

	for (i = 0; i < 8; i++)
		if (held[i])
			sf_buf_cache_free(t->cache, held[i]);
}

/* Map each of the cache's pages once, checking what it reads. */
static void sf_buf_test_stream(struct kunit *test, struct sf_buf_test_cache *t,
			       int flags, struct sf_buf_test_counts *c0,
			       struct sf_buf_test_counts *c1)
{
	struct sf_buf *sf;
	unsigned int i;

	sf_buf_test_count(t->cache, c0);
	for (i = 0; i < t->npages; i++) {
		sf = sf_buf_cache_alloc(t->cache, t->pages[i], flags);
		/* No ASSERT: the caller may have migration disabled. */
		if (!sf) {
			KUNIT_FAIL(test, "page %u: no mapping (flags %#x)", i,
				   flags);
			break;
		}
		KUNIT_EXPECT_EQ(test, sf_buf_test_touch(sf), 0xc0de0000 + i);
		sf_buf_cache_free(t->cache, sf);
	}
	sf_buf_test_count(t->cache, c1);
}

/*
 * A shared stream over ten times the pool, every mapping used: one IPI
 * round per pool's worth of misses, counted where the IPIs arrive.  A
 * private stream sends none.
 */
static void sf_buf_test_cache_ipi(struct kunit *test)
{
	const unsigned int n = SF_BUF_TEST_ENTRIES, npages = 10 * n;
	struct sf_buf_test_counts c0, c1;
	struct sf_buf_test_cache *t;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	t = sf_buf_test_cache(test, n, SF_BUF_TEST_SLOTS, npages);

	sf_buf_test_stream(test, t, SFB_DEFAULT, &c0, &c1);
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, MISS), npages);
	/* The first n misses take never-used entries; then a round per n. */
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, IPI),
			(npages - n) / n * (num_online_cpus() - 1));
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, LOCAL_FLUSH), (npages - n) / n);

	migrate_disable();
	sf_buf_test_stream(test, t, SFB_CPUPRIVATE, &c0, &c1);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, IPI), 0);
	KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, MISS), npages);
}

struct sf_buf_test_coherence {
	struct sf_buf_cache *cache;
	struct page *page;
	int flags;
	u32 seen;
	bool failed;
};

static int sf_buf_test_map_read(void *data)
{
	struct sf_buf_test_coherence *c = data;
	struct sf_buf *sf = sf_buf_cache_alloc(c->cache, c->page, c->flags);

	if (!sf) {
		c->failed = true;
		return 0;
	}
	c->seen = sf_buf_test_touch(sf);
	sf_buf_cache_free(c->cache, sf);
	return 0;
}

/*
 * A cache of one entry and one slot per CPU.  Shared: CPU 0 loads the
 * entry's translation into its TLB, CPU 1 re-points the entry, and CPU 0
 * must then read the new page.  Private: each CPU re-points its own slot
 * and must read the new page.  Kernel threads switch no page tables and
 * qemu keeps a stale TLB entry until it is invalidated, so a missing
 * invalidation shows here.
 */
static void sf_buf_test_cache_coherence(struct kunit *test)
{
	struct sf_buf_test_coherence c = {};
	struct sf_buf_test_cache *t;
	int cpu0, cpu1, i, bad_shared = 0, bad_private = 0;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	cpu0 = cpumask_first(cpu_online_mask);
	cpu1 = cpumask_next(cpu0, cpu_online_mask);
	t = sf_buf_test_cache(test, 1, 1, 2);
	c.cache = t->cache;

	for (i = 0; i < 200; i++) {
		c.flags = SFB_DEFAULT;
		c.page = t->pages[i & 1];
		smp_call_on_cpu(cpu0, sf_buf_test_map_read, &c, false);
		c.page = t->pages[!(i & 1)];
		smp_call_on_cpu(cpu1, sf_buf_test_map_read, &c, false);
		smp_call_on_cpu(cpu0, sf_buf_test_map_read, &c, false);
		if (c.seen != 0xc0de0000 + !(i & 1))
			bad_shared++;

		c.flags = SFB_CPUPRIVATE;
		c.page = t->pages[i & 1];
		smp_call_on_cpu(cpu0, sf_buf_test_map_read, &c, false);
		c.page = t->pages[!(i & 1)];
		smp_call_on_cpu(cpu0, sf_buf_test_map_read, &c, false);
		if (c.seen != 0xc0de0000 + !(i & 1))
			bad_private++;
	}
	KUNIT_EXPECT_EQ_MSG(test, bad_shared, 0,
			    "stale reads after a shared entry was re-pointed");
	KUNIT_EXPECT_EQ_MSG(test, bad_private, 0,
			    "stale reads after a private slot was re-pointed");
	KUNIT_EXPECT_FALSE(test, c.failed);
}

struct sf_buf_test_same {
	struct sf_buf_cache *cache;
	struct page *page;
	int flags;
	unsigned int rounds, errors;
	atomic_t *running;
	struct completion *done;
};

/* Map the one page, write this CPU's word of it and check the other's. */
static int sf_buf_test_same_fn(void *data)
{
	struct sf_buf_test_same *s = data;
	unsigned int i;
	u32 *w;

	for (i = 1; i <= s->rounds; i++) {
		struct sf_buf *sf = sf_buf_cache_alloc(s->cache, s->page,
						       s->flags);

		if (!sf) {
			s->errors++;
			continue;
		}
		w = sf_buf_kva(sf);
		w[1 + smp_processor_id() % 2] = i;
		if (w[0] != 0x5eed5eed)
			s->errors++;
		sf_buf_cache_free(s->cache, sf);
		if (!(i & 63))
			cond_resched();
	}
	if (atomic_dec_and_test(s->running))
		complete(s->done);
	return 0;
}

/*
 * Threads bound to two CPUs map the same page at once, shared and then
 * private, and see its contents; every mapping after the first is a hit.
 */
static void sf_buf_test_cache_same_page(struct kunit *test)
{
	static const int flags[] = { SFB_DEFAULT, SFB_CPUPRIVATE };
	struct sf_buf_test_counts c0, c1;
	struct sf_buf_test_same s[2];
	struct sf_buf_test_cache *t;
	struct completion done;
	atomic_t running;
	int cpu[2], f, k;
	u32 *w;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	cpu[0] = cpumask_first(cpu_online_mask);
	cpu[1] = cpumask_next(cpu[0], cpu_online_mask);
	t = sf_buf_test_cache(test, 8, 4, 1);
	w = kmap_local_page(t->pages[0]);
	w[0] = 0x5eed5eed;
	kunmap_local(w);

	for (f = 0; f < ARRAY_SIZE(flags); f++) {
		init_completion(&done);
		atomic_set(&running, 2);
		sf_buf_test_count(t->cache, &c0);
		for (k = 0; k < 2; k++) {
			struct task_struct *task;

			s[k] = (struct sf_buf_test_same){
				.cache = t->cache, .page = t->pages[0],
				.flags = flags[f], .rounds = 2000,
				.running = &running, .done = &done,
			};
			task = kthread_create(sf_buf_test_same_fn, &s[k],
					      "sfbuf_same/%d", cpu[k]);
			KUNIT_ASSERT_FALSE(test, IS_ERR(task));
			kthread_bind(task, cpu[k]);
			wake_up_process(task);
		}
		wait_for_completion(&done);
		sf_buf_test_count(t->cache, &c1);
		KUNIT_EXPECT_EQ(test, s[0].errors + s[1].errors, 0);
		/* At most one miss per CPU (private) or one in all (shared). */
		KUNIT_EXPECT_GE(test, SF_BUF_DELTA(c0, c1, HIT), 4000 - 2);
		KUNIT_EXPECT_EQ(test, SF_BUF_DELTA(c0, c1, IPI), 0);
	}
	w = kmap_local_page(t->pages[0]);
	KUNIT_EXPECT_EQ(test, w[1 + cpu[0] % 2] + w[1 + cpu[1] % 2], 4000);
	kunmap_local(w);
}

static bool sf_buf_test_mapped(void *kva)
{
	unsigned int level;
	pte_t *pte = lookup_address((unsigned long)kva, &level);

	return pte && pte_present(ptep_get(pte));
}

/* Map @p[0] privately and @p[1] shared, free both, return their addresses. */
static void sf_buf_test_leave_mapped(struct kunit *test, struct page **p,
				     void **kva)
{
	struct sf_buf *sf;

	sf = sf_buf_alloc(p[0], SFB_CPUPRIVATE);
	kva[0] = sf_buf_kva(sf);
	sf_buf_free(sf);
	sf = sf_buf_alloc(p[1], SFB_DEFAULT);
	KUNIT_EXPECT_NOT_NULL(test, sf);
	if (sf) {
		kva[1] = sf_buf_kva(sf);
		sf_buf_free(sf);
	}
}

/* Whether set_memory_@what() on a page left @kva's aliases in place. */
static bool sf_buf_test_kept(struct kunit *test, void **kva, const char *what)
{
	bool kept = sf_buf_test_mapped(kva[0]) && sf_buf_test_mapped(kva[1]);

	kunit_info(test, "set_memory_%s(): free mappings %s\n", what,
		   kept ? "kept" : "dropped");
	return kept;
}

/*
 * Free mappings stay mapped, for reuse.  Where a writable, write-back
 * alias would be wrong, set_memory_*() must leave none, private or shared
 * (sf_buf_flush_unused()), and keep mappings in use: a caching mode
 * other than write-back, a page made read-only.  Adding permissions or
 * going back to write-back leaves the cache alone.
 */
static void sf_buf_test_flush_unused(struct kunit *test)
{
	unsigned long wb_kva;
	struct sf_buf *held;
	struct page *p[4];
	void *kva[2] = {};
	int i;

	if (!sf_buf_system_cache)
		kunit_skip(test, "no system mapping cache");
	for (i = 0; i < 3; i++) {
		p[i] = sf_buf_test_page(test, GFP_HIGHUSER);
		if (sf_buf_maps_directly(p[i])) {
			while (i >= 0)
				__free_page(p[i--]);
			kunit_skip(test, "no highmem page");
		}
	}
	p[3] = sf_buf_test_page(test, GFP_KERNEL);
	wb_kva = (unsigned long)page_address(p[3]);
	held = sf_buf_alloc(p[2], SFB_DEFAULT);
	if (held) {
		sf_buf_test_leave_mapped(test, p, kva);
		KUNIT_EXPECT_TRUE(test, sf_buf_test_mapped(kva[1]));

		/* The caching of some other page: no alias of any may stay. */
		KUNIT_EXPECT_EQ(test, set_memory_uc(wb_kva, 1), 0);
		KUNIT_EXPECT_FALSE(test, sf_buf_test_kept(test, kva, "uc"));
		KUNIT_EXPECT_FALSE_MSG(test, sf_buf_test_mapped(kva[0]),
				       "a free private slot still maps its page");
		KUNIT_EXPECT_FALSE_MSG(test, sf_buf_test_mapped(kva[1]),
				       "a free shared entry still maps its page");
		sf_buf_test_leave_mapped(test, p, kva);
		KUNIT_EXPECT_EQ(test, set_memory_wb(wb_kva, 1), 0);
		KUNIT_EXPECT_TRUE(test, sf_buf_test_kept(test, kva, "wb"));
#if IS_BUILTIN(CONFIG_SFBUF_KUNIT_TEST)
		/* Not exported: built in only. */
		KUNIT_EXPECT_EQ(test, set_memory_ro(wb_kva, 1), 0);
		KUNIT_EXPECT_FALSE(test, sf_buf_test_kept(test, kva, "ro"));
		sf_buf_test_leave_mapped(test, p, kva);
		KUNIT_EXPECT_EQ(test, set_memory_rw(wb_kva, 1), 0);
		KUNIT_EXPECT_TRUE(test, sf_buf_test_kept(test, kva, "rw"));
#else
		kunit_info(test, "a module: set_memory_ro() and _rw() not tried\n");
#endif
		KUNIT_EXPECT_TRUE(test, sf_buf_test_mapped(sf_buf_kva(held)));
		KUNIT_EXPECT_PTR_EQ(test, sf_buf_page(held), p[2]);
		sf_buf_free(held);
	} else {
		KUNIT_FAIL(test, "no shared mapping");
	}
	for (i = 0; i < 4; i++)
		__free_page(p[i]);
}

#define SF_BUF_TEST_HOTPLUG_PAGES	8

struct sf_buf_test_hotplug {
	struct page *pages[SF_BUF_TEST_HOTPLUG_PAGES];
	unsigned long handles[SF_BUF_TEST_HOTPLUG_PAGES];
	unsigned int stale;
};

/*
 * On the CPU under test: map each page privately through the system
 * cache, read it back and free it.  The handles are kept for their
 * addresses only: the mappings are free, left mapped in their slots.
 */
static int sf_buf_test_hotplug_map(void *data)
{
	struct sf_buf_test_hotplug *h = data;
	struct sf_buf *sf;
	unsigned int i;

	for (i = 0; i < SF_BUF_TEST_HOTPLUG_PAGES; i++) {
		sf = sf_buf_alloc(h->pages[i], SFB_CPUPRIVATE);
		h->handles[i] = (unsigned long)sf;
		if (sf_buf_test_touch(sf) != 0xc0de0000 + i)
			h->stale++;
		sf_buf_free(sf);
	}
	return 0;
}

static void sf_buf_test_hotplug_free(void *data)
{
	struct sf_buf_test_hotplug *h = data;
	unsigned int i;

	for (i = 0; i < SF_BUF_TEST_HOTPLUG_PAGES; i++)
		if (h->pages[i])
			__free_page(h->pages[i]);
}

/* How many of the pages are mapped privately, not by kmap_local_page(). */
static unsigned int sf_buf_test_hotplug_slots(struct sf_buf_test_hotplug *h)
{
	unsigned int i, n = 0;

	for (i = 0; i < SF_BUF_TEST_HOTPLUG_PAGES; i++)
		if ((h->handles[i] & SF_BUF_TAGS) == SF_BUF_PRIVATE &&
		    sf_buf_test_mapped((void *)(h->handles[i] & PAGE_MASK)))
			n++;
	return n;
}

/*
 * A CPU that goes offline leaves no mapping behind: once it is dead, the
 * hotplug callback unmaps its free slots, and they work again when the
 * CPU is back.  Taking a CPU offline breaks the affinity of tasks bound
 * to it, so this runs only at boot (built-in KUnit runs before user
 * space), not when the suite is run again later.
 */
static void sf_buf_test_system_hotplug(struct kunit *test)
{
	struct sf_buf_test_hotplug *h;
	unsigned int i, mapped, left;
	int cpu, ret, tries;

	if (system_state >= SYSTEM_RUNNING)
		kunit_skip(test, "takes a CPU offline: only at boot");
	if (!IS_ENABLED(CONFIG_HOTPLUG_CPU) || num_online_cpus() < 2)
		kunit_skip(test, "no CPU hotplug, or one CPU");
	if (!sf_buf_system_cache)
		kunit_skip(test, "no system mapping cache");
	for (cpu = cpumask_last(cpu_online_mask); cpu > 0; cpu--)
		if (cpu_online(cpu) && cpu_is_hotpluggable(cpu))
			break;
	if (cpu <= 0)
		kunit_skip(test, "no CPU that can go offline");

	h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	ret = kunit_add_action_or_reset(test, sf_buf_test_hotplug_free, h);
	KUNIT_ASSERT_EQ(test, ret, 0);
	for (i = 0; i < SF_BUF_TEST_HOTPLUG_PAGES; i++) {
		u32 *w;

		h->pages[i] = alloc_page(GFP_HIGHUSER);
		KUNIT_ASSERT_NOT_NULL(test, h->pages[i]);
		if (sf_buf_maps_directly(h->pages[i]))
			kunit_skip(test, "no highmem page");
		w = kmap_local_page(h->pages[i]);
		*w = 0xc0de0000 + i;
		kunmap_local(w);
	}

	KUNIT_ASSERT_EQ(test, 0, smp_call_on_cpu(cpu, sf_buf_test_hotplug_map,
						 h, false));
	/* Other work may re-point a slot or two meanwhile: most stay. */
	mapped = sf_buf_test_hotplug_slots(h);
	KUNIT_ASSERT_GE_MSG(test, mapped, SF_BUF_TEST_HOTPLUG_PAGES / 2,
			    "only %u of %u pages kept in CPU %d's slots",
			    mapped, SF_BUF_TEST_HOTPLUG_PAGES, cpu);
	ret = remove_cpu(cpu);
	if (ret)
		kunit_skip(test, "CPU %d does not go offline: %d", cpu, ret);
	left = sf_buf_test_hotplug_slots(h);
	for (tries = 0; tries < 3; tries++) {
		ret = add_cpu(cpu);
		if (!ret)
			break;
	}
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "CPU %d left offline", cpu);
	KUNIT_EXPECT_EQ_MSG(test, left, 0,
			    "%u free slots of CPU %d still map a page while it is offline",
			    left, cpu);

	/* Back online: its slots map and read back the pages again. */
	KUNIT_ASSERT_EQ(test, 0, smp_call_on_cpu(cpu, sf_buf_test_hotplug_map,
						 h, false));
	KUNIT_EXPECT_EQ(test, sf_buf_test_hotplug_slots(h),
			SF_BUF_TEST_HOTPLUG_PAGES);
	KUNIT_EXPECT_EQ(test, h->stale, 0);
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
	u64 ns;
	unsigned int threads;
	atomic_t *ready, *running;
	struct completion *done;
};

static int sf_buf_bench_thread_fn(void *data)
{
	struct sf_buf_bench_thread *t = data;
	unsigned int i;
	u64 t0;

	/* Start together, so that the CPUs really map at once. */
	atomic_inc(t->ready);
	while (atomic_read(t->ready) < t->threads)
		cpu_relax();
	t0 = ktime_get_ns();
	for (i = 0; i < t->maps; i++) {
		sf_buf_bench_map(t->pages[i % t->npages], t->how);
		if (!(i & 255))
			cond_resched();
	}
	/* Timed by the thread: its start-up is not the mapping's cost. */
	t->ns = ktime_get_ns() - t0;
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
	kunit_info(test, "bench %-11s %-16s %7llu ns/map %7llu IPIs\n", load,
		   sf_buf_bench_names[how], div_u64(ns, maps), ipis);
}

static void sf_buf_test_bench(struct kunit *test)
{
	struct sf_buf_bench_thread t[2];
	struct completion done;
	struct page **pages;
	unsigned int i, c;
	/*
	 * One CPU against two at once, on one page and on 64 (the same
	 * 64 on both CPUs, or 64 each): per-CPU time should not grow.
	 */
	static const struct {
		const char *name;
		unsigned int threads, npages, stride;
	} loads[] = {
		{ "1cpu-page", 1, 1, 0 },
		{ "2cpu-page", 2, 1, 0 },
		{ "1cpu-64", 1, SF_BUF_BENCH_SHARED, 0 },
		{ "2cpu-64", 2, SF_BUF_BENCH_SHARED, 0 },
		{ "2cpu-64each", 2, SF_BUF_BENCH_SHARED, SF_BUF_BENCH_SHARED },
	};
	atomic_t running, ready;
	u64 t0, i0, ns;
	int how, cpu[2];
	unsigned int l;

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
		kunit_skip(test, "the two-CPU workloads need two CPUs");
	cpu[0] = cpumask_first(cpu_online_mask);
	cpu[1] = cpumask_next(cpu[0], cpu_online_mask);
	for (how = 0; how < ARRAY_SIZE(sf_buf_bench_names); how++) {
		for (l = 0; l < ARRAY_SIZE(loads); l++) {
			unsigned int per_thread = SF_BUF_BENCH_MAPS / 2;

			init_completion(&done);
			atomic_set(&running, loads[l].threads);
			atomic_set(&ready, 0);
			i0 = sf_buf_bench_ipis();
			for (c = 0; c < loads[l].threads; c++) {
				struct task_struct *task;

				t[c] = (struct sf_buf_bench_thread) {
					.pages = pages + c * loads[l].stride,
					.npages = loads[l].npages,
					.maps = per_thread, .how = how,
					.threads = loads[l].threads,
					.ready = &ready,
					.running = &running, .done = &done,
				};
				task = kthread_create(sf_buf_bench_thread_fn,
						      &t[c], "sfbuf_bench/%d",
						      cpu[c]);
				KUNIT_ASSERT_FALSE(test, IS_ERR(task));
				kthread_bind(task, cpu[c]);
				wake_up_process(task);
			}
			wait_for_completion(&done);
			/* Time per map as each CPU saw it, averaged. */
			for (ns = 0, c = 0; c < loads[l].threads; c++)
				ns += t[c].ns;
			sf_buf_bench_report(test, loads[l].name, how,
					    div_u64(ns, loads[l].threads),
					    sf_buf_bench_ipis() - i0, per_thread);
		}
	}
}

static struct kunit_case sf_buf_test_cases[] = {
	KUNIT_CASE(sf_buf_test_lowmem),
	KUNIT_CASE(sf_buf_test_highmem),
	KUNIT_CASE(sf_buf_test_direct_map),
	KUNIT_CASE(sf_buf_test_atomic),
	KUNIT_CASE(sf_buf_test_private_nesting),
	KUNIT_CASE(sf_buf_test_copy_iter),
	KUNIT_CASE(sf_buf_test_copy_iter_user),
#ifdef CONFIG_DEBUG_SFBUF
	KUNIT_CASE(sf_buf_test_debug_contract),
#endif
#ifdef CONFIG_ARCH_HAS_SFBUF_CACHE
	KUNIT_CASE(sf_buf_test_cache_hit),
	KUNIT_CASE(sf_buf_test_cache_clock),
	KUNIT_CASE(sf_buf_test_cache_private),
	KUNIT_CASE(sf_buf_test_cache_reserve),
	KUNIT_CASE(sf_buf_test_cache_scan),
	KUNIT_CASE(sf_buf_test_system_private),
	KUNIT_CASE(sf_buf_test_cache_exhausted),
	KUNIT_CASE(sf_buf_test_cache_ipi),
	KUNIT_CASE(sf_buf_test_cache_coherence),
	KUNIT_CASE(sf_buf_test_cache_same_page),
	KUNIT_CASE(sf_buf_test_flush_unused),
	KUNIT_CASE(sf_buf_test_system_hotplug),
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
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
