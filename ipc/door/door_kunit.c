// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the door argument buffer manager (ipc/door/buf.c).
 *
 * The allocators are redirected through KUnit static stubs, which count
 * every allocation and can fail them, so "allocates nothing" and "fails
 * cleanly" are checked, not assumed.
 */
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#include "door.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

struct door_test_ctx {
	unsigned int page_allocs;
	unsigned int kvmallocs;
	unsigned int vec_pages;		/* pages of page vectors */
	unsigned int vec_fail_at;	/* fail that page, counting from 1 */
	bool fail;
	bool fail_pages;		/* page blocks only */
};

static struct page *door_test_alloc_pages(unsigned int order)
{
	struct door_test_ctx *ctx = kunit_get_current_test()->priv;

	ctx->page_allocs++;
	if (ctx->fail || ctx->fail_pages)
		return NULL;
	return alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
}

static void *door_test_kvmalloc(size_t size)
{
	struct door_test_ctx *ctx = kunit_get_current_test()->priv;

	ctx->kvmallocs++;
	if (ctx->fail)
		return NULL;
	return kvmalloc(size, GFP_KERNEL);
}

static struct page *door_test_alloc_page(struct mem_cgroup *memcg)
{
	struct door_test_ctx *ctx = kunit_get_current_test()->priv;

	ctx->vec_pages++;
	if (ctx->fail || ctx->vec_pages == ctx->vec_fail_at)
		return NULL;
	return alloc_page(GFP_KERNEL | __GFP_HIGHMEM);
}

static int door_test_init(struct kunit *test)
{
	struct door_test_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	test->priv = ctx;
	kunit_activate_static_stub(test, door_ext_alloc_pages,
				   door_test_alloc_pages);
	kunit_activate_static_stub(test, door_ext_kvmalloc,
				   door_test_kvmalloc);
	kunit_activate_static_stub(test, door_ext_alloc_page,
				   door_test_alloc_page);
	return 0;
}

/* Byte i of a test pattern; differs between seeds and positions */
static u8 door_test_byte(size_t i, unsigned int seed)
{
	return (u8)(i * 7 + seed + (i >> 8) * 13);
}

/* The sizes of the issue: around the inline buffer and page boundaries */
static const size_t door_test_sizes[] = {
	0, 1, 127, 128, 129, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1,
	DOOR_EXT_CACHE_MAX, DOOR_EXT_CACHE_MAX + 1, 64 * PAGE_SIZE + 5,
};

static void door_test_size_desc(const size_t *size, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%zu bytes", *size);
}

KUNIT_ARRAY_PARAM(door_test_size, door_test_sizes, door_test_size_desc);

/*
 * Fill from an unaligned source, drain into an unaligned destination, and
 * check every byte and the kind of buffer each size gets.
 */
static void door_buf_roundtrip_test(struct kunit *test)
{
	const size_t size = *(const size_t *)test->param_value;
	struct door_test_ctx *ctx = test->priv;
	unsigned int src_off = 3, dst_off = 5;
	struct door_buf b;
	struct iov_iter iter;
	struct kvec kv;
	u8 *src, *dst;
	size_t i;

	src = kunit_kmalloc(test, size + 16, GFP_KERNEL);
	dst = kunit_kmalloc(test, size + 16, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	for (i = 0; i < size; i++)
		src[src_off + i] = door_test_byte(i, 1);
	memset(dst, 0xa5, size + 16);

	door_buf_init(&b);
	kv.iov_base = src + src_off;
	kv.iov_len = size;
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, size);
	KUNIT_ASSERT_EQ(test, door_buf_fill(&b, &iter, size, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, b.size, size);

	if (size <= DOOR_INLINE_SIZE) {
		KUNIT_EXPECT_EQ(test, b.kind, DOOR_EXT_NONE);
		KUNIT_EXPECT_PTR_EQ(test, door_buf_data(&b),
				    (void *)b.inline_data);
		KUNIT_EXPECT_EQ(test, ctx->page_allocs + ctx->kvmallocs +
				ctx->vec_pages, 0);
	} else if (size <= DOOR_EXT_CACHE_MAX) {
		KUNIT_EXPECT_EQ(test, b.kind, DOOR_EXT_PAGES);
		KUNIT_EXPECT_EQ(test, b.order, get_order(size));
		KUNIT_EXPECT_GE(test, b.cap, size);
		KUNIT_EXPECT_EQ(test, ctx->kvmallocs + ctx->vec_pages, 0);
	} else {
		/* page by page, so data crosses page ends unaligned */
		KUNIT_EXPECT_EQ(test, b.kind, DOOR_EXT_VEC);
		KUNIT_EXPECT_EQ(test, b.cap, round_up(size, PAGE_SIZE));
		KUNIT_EXPECT_EQ(test, ctx->vec_pages, DIV_ROUND_UP(size, PAGE_SIZE));
		KUNIT_EXPECT_EQ(test, ctx->page_allocs + ctx->kvmallocs, 0);
	}

	kv.iov_base = dst + dst_off;
	iov_iter_kvec(&iter, ITER_DEST, &kv, 1, size);
	KUNIT_ASSERT_EQ(test, door_buf_drain(&b, &iter), 0);
	for (i = 0; i < size; i++)
		if (dst[dst_off + i] != door_test_byte(i, 1))
			break;
	KUNIT_EXPECT_EQ_MSG(test, i, size, "first bad byte at %zu", i);
	for (i = 0; i < dst_off; i++)
		KUNIT_EXPECT_EQ(test, dst[i], 0xa5);
	KUNIT_EXPECT_EQ(test, dst[dst_off + size], 0xa5);

	door_buf_release(&b);
	KUNIT_EXPECT_EQ(test, b.kind, DOOR_EXT_NONE);
	KUNIT_EXPECT_NULL(test, b.ext);
}

/* A source that runs short fails with -EFAULT and holds no data */
static void door_buf_short_source_test(struct kunit *test)
{
	u8 src[200] = {};
	struct door_buf b;
	struct iov_iter iter;
	struct kvec kv = { .iov_base = src, .iov_len = sizeof(src) };

	door_buf_init(&b);
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, 100);
	KUNIT_EXPECT_EQ(test, door_buf_fill(&b, &iter, 128, NULL, NULL), -EFAULT);
	KUNIT_EXPECT_EQ(test, b.size, 0);
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, 150);
	KUNIT_EXPECT_EQ(test, door_buf_fill(&b, &iter, 200, NULL, NULL), -EFAULT);
	KUNIT_EXPECT_EQ(test, b.size, 0);
	door_buf_release(&b);
}

/* A page vector filled from a source that ends a page short: -EFAULT */
static void door_buf_short_vec_test(struct kunit *test)
{
	size_t size = DOOR_EXT_CACHE_MAX + 3 * PAGE_SIZE + 1;
	struct door_buf b;
	struct iov_iter iter;
	struct kvec kv;

	kv.iov_base = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kv.iov_base);
	kv.iov_len = size - PAGE_SIZE;
	door_buf_init(&b);
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, kv.iov_len);
	KUNIT_EXPECT_EQ(test, door_buf_fill(&b, &iter, size, NULL, NULL), -EFAULT);
	KUNIT_EXPECT_EQ(test, b.size, 0);
	KUNIT_EXPECT_EQ(test, b.kind, DOOR_EXT_VEC);
	door_buf_release(&b);
	KUNIT_EXPECT_EQ(test, b.kind, DOOR_EXT_NONE);
}

/*
 * A vector's pages come as they are filled: a failure at the fourth page
 * has taken four.  A vector is never kept for the next fill (its pages
 * are an earlier caller's), and a drain consumes it.  A fill for a caller
 * that left stops at the next batch.
 */
static void door_buf_vec_pages_test(struct kunit *test)
{
	struct door_test_ctx *ctx = test->priv;
	struct door_call *gone = NULL;
	size_t size = 6 * PAGE_SIZE + 7, i;
	struct door_buf b;
	struct iov_iter iter;
	struct kvec kv;
	u8 *src, *dst;

	src = kunit_kmalloc(test, size, GFP_KERNEL);
	dst = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	for (i = 0; i < size; i++)
		src[i] = door_test_byte(i, 9);
	kv.iov_base = src;
	kv.iov_len = size;
	door_buf_init(&b);

	ctx->vec_fail_at = 4;
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, size);
	KUNIT_EXPECT_EQ(test, door_buf_fill(&b, &iter, size, NULL, NULL), -ENOMEM);
	KUNIT_EXPECT_EQ(test, ctx->vec_pages, 4);
	KUNIT_EXPECT_EQ(test, b.size, 0);

	ctx->vec_fail_at = 0;
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, size);
	KUNIT_ASSERT_EQ(test, door_buf_fill(&b, &iter, size, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, ctx->vec_pages, 4 + 7);

	/* a small fill after it goes inline */
	kv.iov_len = 100;
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, 100);
	KUNIT_ASSERT_EQ(test, door_buf_fill(&b, &iter, 100, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, b.kind, DOOR_EXT_NONE);
	KUNIT_EXPECT_EQ(test, ctx->vec_pages, 11);

	kv.iov_base = dst;
	kv.iov_len = size;
	iov_iter_kvec(&iter, ITER_DEST, &kv, 1, 100);
	KUNIT_EXPECT_EQ(test, door_buf_drain(&b, &iter), 0);
	KUNIT_EXPECT_EQ(test, memcmp(dst, src, 100), 0);
	KUNIT_EXPECT_EQ(test, dst[100], 0);

	kv.iov_base = src;
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, size);
	KUNIT_ASSERT_EQ(test, door_buf_fill(&b, &iter, size, NULL, NULL), 0);
	kv.iov_base = dst;
	iov_iter_kvec(&iter, ITER_DEST, &kv, 1, size);
	KUNIT_EXPECT_EQ(test, door_buf_drain(&b, &iter), 0);
	KUNIT_EXPECT_EQ(test, memcmp(dst, src, size), 0);
	KUNIT_EXPECT_EQ(test, b.kind, DOOR_EXT_NONE);
	KUNIT_EXPECT_NULL(test, b.ext);

	/* the caller left (its server thread's call is NULL) */
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, size);
	KUNIT_EXPECT_EQ(test, door_buf_fill(&b, &iter, size, NULL, &gone),
			-ESRCH);
	door_buf_release(&b);
}

/*
 * Moving a vector hands its slots over; a drain into a destination that
 * ends early fails with -EFAULT and still consumes the vector.
 */
static void door_buf_vec_move_test(struct kunit *test)
{
	size_t size = 5 * PAGE_SIZE;
	struct door_buf a, b;
	struct iov_iter iter;
	struct kvec kv;
	void *ext;
	u8 *buf;

	buf = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	kv.iov_base = buf;
	kv.iov_len = size;
	door_buf_init(&a);
	door_buf_init(&b);
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, size);
	KUNIT_ASSERT_EQ(test, door_buf_fill(&a, &iter, size, NULL, NULL), 0);
	ext = a.ext;
	door_buf_move(&b, &a);
	KUNIT_EXPECT_PTR_EQ(test, b.ext, ext);
	KUNIT_EXPECT_EQ(test, b.kind, DOOR_EXT_VEC);
	KUNIT_EXPECT_EQ(test, b.size, size);
	KUNIT_EXPECT_NULL(test, a.ext);

	iov_iter_kvec(&iter, ITER_DEST, &kv, 1, size - 1);
	KUNIT_EXPECT_EQ(test, door_buf_drain(&b, &iter), -EFAULT);
	KUNIT_EXPECT_EQ(test, b.kind, DOOR_EXT_NONE);
	KUNIT_EXPECT_NULL(test, b.ext);
}

/*
 * door_import() takes results larger than MAX_RW_COUNT whole (import_ubuf()
 * would cut them short), and refuses what no address space holds.
 */
static void door_import_size_test(struct kunit *test)
{
	u64 big = (u64)MAX_RW_COUNT + PAGE_SIZE, at = PAGE_SIZE * 16;
	struct iov_iter iter;

	if (big > TASK_SIZE_MAX - at)
		kunit_skip(test, "a user address space smaller than %llu", big);
	KUNIT_ASSERT_EQ(test, door_import(ITER_DEST, at, big, &iter), 0);
	KUNIT_EXPECT_EQ(test, (u64)iov_iter_count(&iter), big);
	if (IS_ENABLED(CONFIG_ALTERNATE_USER_ADDRESS_SPACE))
		return;
	KUNIT_EXPECT_EQ(test, door_import(ITER_DEST, PAGE_SIZE, ~0ULL, &iter),
			-EFAULT);
}

/*
 * An extension given back goes to this CPU's cache, and the next call of
 * that size on this CPU takes it without reaching the allocator.
 */
static void door_buf_cache_test(struct kunit *test)
{
	struct door_test_ctx *ctx = test->priv;
	struct door_buf b;
	void *first;

	migrate_disable();
	door_buf_init(&b);
	KUNIT_ASSERT_EQ(test, door_buf_reserve(&b, 129, NULL), 0);
	first = b.ext;
	door_buf_release(&b);

	ctx->page_allocs = 0;
	KUNIT_ASSERT_EQ(test, door_buf_reserve(&b, PAGE_SIZE, NULL), 0);
	KUNIT_EXPECT_PTR_EQ(test, b.ext, first);
	KUNIT_EXPECT_EQ(test, ctx->page_allocs, 0);

	/* a larger reservation replaces it, a smaller one keeps it */
	KUNIT_ASSERT_EQ(test, door_buf_reserve(&b, 2 * PAGE_SIZE, NULL), 0);
	KUNIT_EXPECT_EQ(test, b.order, 1);
	first = b.ext;
	KUNIT_ASSERT_EQ(test, door_buf_reserve(&b, 64, NULL), 0);
	KUNIT_EXPECT_PTR_EQ(test, b.ext, first);
	door_buf_release(&b);
	migrate_enable();
}

/*
 * An allocation failure on the extension path gives -ENOMEM and leaves
 * the buffer empty; the inline path never allocates, so it cannot fail.
 */
static void door_buf_alloc_failure_test(struct kunit *test)
{
	struct door_test_ctx *ctx = test->priv;
	struct door_buf held, b;
	u8 src[256] = { 1, 2, 3 };
	struct kvec kv = { .iov_base = src, .iov_len = sizeof(src) };
	struct iov_iter iter;

	migrate_disable();
	/* hold this CPU's cached block, so the next one must be allocated */
	door_buf_init(&held);
	KUNIT_ASSERT_EQ(test, door_buf_reserve(&held, 129, NULL), 0);

	ctx->fail = true;
	ctx->page_allocs = 0;
	door_buf_init(&b);
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, sizeof(src));
	KUNIT_EXPECT_EQ(test, door_buf_fill(&b, &iter, sizeof(src), NULL, NULL),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, ctx->page_allocs, 1);
	KUNIT_EXPECT_EQ(test, ctx->kvmallocs, 1);
	KUNIT_EXPECT_EQ(test, b.kind, DOOR_EXT_NONE);
	KUNIT_EXPECT_NULL(test, b.ext);
	KUNIT_EXPECT_EQ(test, b.size, 0);

	/* a vector's slots are had; its first page is not */
	KUNIT_EXPECT_EQ(test, door_buf_reserve(&b, DOOR_EXT_CACHE_MAX + 1,
					       NULL), 0);
	KUNIT_EXPECT_EQ(test, ctx->kvmallocs, 1);
	KUNIT_EXPECT_EQ(test, b.kind, DOOR_EXT_VEC);
	KUNIT_EXPECT_EQ(test, ctx->vec_pages, 0);
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, sizeof(src));
	KUNIT_EXPECT_EQ(test, door_buf_fill(&b, &iter, DOOR_EXT_CACHE_MAX + 1,
					    NULL, NULL), -ENOMEM);
	KUNIT_EXPECT_EQ(test, ctx->vec_pages, 1);
	door_buf_release(&b);

	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, DOOR_INLINE_SIZE);
	KUNIT_EXPECT_EQ(test, door_buf_fill(&b, &iter, DOOR_INLINE_SIZE,
					    NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, b.inline_data[2], 3);
	ctx->fail = false;

	door_buf_release(&b);
	door_buf_release(&held);
	migrate_enable();
}

/*
 * With no block of the order to be had (fragmented memory), a medium
 * extension is kvmalloc()ed instead: 8-16 KiB calls work wherever larger
 * ones do.
 */
static void door_buf_no_block_test(struct kunit *test)
{
	struct door_test_ctx *ctx = test->priv;
	size_t size = 3 * PAGE_SIZE;
	struct door_buf held, b;
	struct iov_iter iter;
	struct kvec kv;
	u8 *src;

	src = kunit_kmalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	memset(src, 0x5a, size);
	kv.iov_base = src;
	kv.iov_len = size;
	migrate_disable();
	/* hold this CPU's cached block of the order, if there is one */
	door_buf_init(&held);
	KUNIT_EXPECT_EQ(test, door_buf_reserve(&held, size, NULL), 0);

	ctx->fail_pages = true;
	ctx->kvmallocs = 0;
	door_buf_init(&b);
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, size);
	KUNIT_EXPECT_EQ(test, door_buf_fill(&b, &iter, size, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, b.kind, DOOR_EXT_KVMALLOC);
	KUNIT_EXPECT_EQ(test, ctx->kvmallocs, 1);
	KUNIT_EXPECT_EQ(test, b.size, size);
	KUNIT_EXPECT_EQ(test, ((u8 *)door_buf_data(&b))[size - 1], 0x5a);
	ctx->fail_pages = false;

	door_buf_release(&b);
	door_buf_release(&held);
	migrate_enable();
}

/* Moving hands an extension over without a copy; inline data is copied */
static void door_buf_move_test(struct kunit *test)
{
	struct door_buf a, b;
	void *ext;

	door_buf_init(&a);
	door_buf_init(&b);
	KUNIT_ASSERT_EQ(test, door_buf_reserve(&a, 3000, NULL), 0);
	ext = a.ext;
	a.size = 3000;
	door_buf_move(&b, &a);
	KUNIT_EXPECT_PTR_EQ(test, b.ext, ext);
	KUNIT_EXPECT_EQ(test, b.size, 3000);
	KUNIT_EXPECT_NULL(test, a.ext);
	KUNIT_EXPECT_EQ(test, a.size, 0);

	/* the results reuse it */
	KUNIT_ASSERT_EQ(test, door_buf_reserve(&b, 100, NULL), 0);
	KUNIT_EXPECT_PTR_EQ(test, b.ext, ext);
	door_buf_release(&b);

	memcpy(a.inline_data, "door", 4);
	a.size = 4;
	door_buf_move(&b, &a);
	KUNIT_EXPECT_NULL(test, b.ext);
	KUNIT_EXPECT_EQ(test, b.size, 4);
	KUNIT_EXPECT_EQ(test, memcmp(b.inline_data, "door", 4), 0);
}

static struct kunit_case door_buf_test_cases[] = {
	KUNIT_CASE_PARAM(door_buf_roundtrip_test, door_test_size_gen_params),
	KUNIT_CASE(door_buf_short_source_test),
	KUNIT_CASE(door_buf_short_vec_test),
	KUNIT_CASE(door_buf_vec_pages_test),
	KUNIT_CASE(door_buf_vec_move_test),
	KUNIT_CASE(door_import_size_test),
	KUNIT_CASE(door_buf_cache_test),
	KUNIT_CASE(door_buf_alloc_failure_test),
	KUNIT_CASE(door_buf_no_block_test),
	KUNIT_CASE(door_buf_move_test),
	{}
};

static struct kunit_suite door_buf_test_suite = {
	.name = "door_buf",
	.init = door_test_init,
	.test_cases = door_buf_test_cases,
};

kunit_test_suite(door_buf_test_suite);

MODULE_DESCRIPTION("KUnit tests for the door argument buffer manager");
MODULE_LICENSE("GPL");
