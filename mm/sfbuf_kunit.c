// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the sf_buf interface.
 */
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/preempt.h>
#include <linux/sched/signal.h>
#include <linux/sfbuf.h>
#include <linux/string.h>

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

static struct kunit_case sf_buf_test_cases[] = {
	KUNIT_CASE(sf_buf_test_lowmem),
	KUNIT_CASE(sf_buf_test_highmem),
	KUNIT_CASE(sf_buf_test_direct_map),
	KUNIT_CASE(sf_buf_test_atomic),
	KUNIT_CASE(sf_buf_test_private_nesting),
	{}
};

static struct kunit_suite sf_buf_test_suite = {
	.name = "sfbuf",
	.test_cases = sf_buf_test_cases,
};

kunit_test_suite(sf_buf_test_suite);

MODULE_DESCRIPTION("KUnit tests for sf_buf");
MODULE_LICENSE("GPL");
