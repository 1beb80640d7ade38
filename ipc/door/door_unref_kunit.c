// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for unreferenced notification (ipc/door/unref.c): how
 * references are counted over a door's files, and the ARMED, DELAYED,
 * QUEUED, SERVING, DONE life of a notification, with DOOR_UNREF, with
 * DOOR_UNREF_MULTI, while calls are active and for doors that are gone.  The door, its pool and
 * its files are made here; no process or system call is involved.
 */
#include <kunit/test.h>
#include <linux/anon_inodes.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "door.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

struct unref_ctx {
	struct door_pool *pool;
	struct door *door;
	struct door_file df[2];
};

static const struct file_operations unref_test_fops;

static int unref_test_init(struct kunit *test)
{
	struct unref_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	struct door *door;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->pool = door_pool_alloc();
	KUNIT_ASSERT_NOT_NULL(test, ctx->pool);
	ctx->pool->tgid = get_pid(task_tgid(current));
	refcount_set(&ctx->pool->ref, 2);	/* the test's and the door's */

	door = kzalloc(sizeof(*door), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, door);
	refcount_set(&door->ref, 1);
	door->pool = ctx->pool;
	door->cred = get_current_cred();
	door->proc = 0x1234;
	door->cookie = 0x5678;
	door_unref_init(door);
	INIT_LIST_HEAD(&door->files);
	spin_lock_init(&door->files_lock);
	atomic_long_inc(&door_nr_doors);
	ctx->door = door;

	/* two files of the door, one reference each */
	for (i = 0; i < 2; i++) {
		ctx->df[i].door = door;
		ctx->df[i].file = anon_inode_getfile("[door-test]",
						     &unref_test_fops, NULL,
						     O_RDONLY);
		KUNIT_ASSERT_FALSE(test, IS_ERR(ctx->df[i].file));
		list_add(&ctx->df[i].node, &door->files);
	}
	test->priv = ctx;
	return 0;
}

static void unref_test_exit(struct kunit *test)
{
	struct unref_ctx *ctx = test->priv;
	int i;

	/* the looks again a test's goings left pending, done now */
	while (flush_delayed_work(&ctx->door->unref_work))
		;
	for (i = 0; i < 2; i++) {
		list_del_init(&ctx->df[i].node);
		fput(ctx->df[i].file);
	}
	KUNIT_EXPECT_EQ(test, refcount_read(&ctx->door->ref), 1);
	door_put(ctx->door);
	door_pool_put(ctx->pool);
}

/* What a server thread does with a notification it took */
static struct door *unref_serve(struct unref_ctx *ctx, struct door_thread *thr)
{
	bool got;

	memset(thr, 0, sizeof(*thr));
	thr->pool = ctx->pool;
	spin_lock(&ctx->pool->lock);
	got = door_unref_next(thr);
	spin_unlock(&ctx->pool->lock);
	return got ? thr->unref_door : NULL;
}

/* No look again pending: it would hold a reference of its own */
static void unref_cancel_looks(struct door *door)
{
	if (cancel_delayed_work_sync(&door->unref_work))
		refcount_dec(&door->ref);
}

/* One of the door's files goes from its list: its reference is gone */
static void unref_file_gone(struct unref_ctx *ctx, int i)
{
	spin_lock(&ctx->door->files_lock);
	list_del_init(&ctx->df[i].node);
	spin_unlock(&ctx->door->files_lock);
}

/* References are the sum over the door's files */
static void unref_count_test(struct kunit *test)
{
	struct unref_ctx *ctx = test->priv;
	struct file *f = ctx->df[0].file;

	KUNIT_EXPECT_EQ(test, door_nr_refs(ctx->door), 2);
	get_file(f);
	KUNIT_EXPECT_EQ(test, door_nr_refs(ctx->door), 3);
	fput(f);
	KUNIT_EXPECT_EQ(test, door_nr_refs(ctx->door), 2);
}

/* DOOR_UNREF: once, and only when one reference is left */
static void unref_once_test(struct kunit *test)
{
	struct unref_ctx *ctx = test->priv;
	struct door *door = ctx->door;
	struct file *f = ctx->df[0].file;
	struct door_thread thr;

	door->attr = DOOR_UNREF;
	get_file(f);
	door_unref_check(door, 1);		/* 3, one to go: 2 left */
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_ARMED);
	/* it looks again later */
	KUNIT_EXPECT_TRUE(test, delayed_work_pending(&door->unref_work));
	unref_cancel_looks(door);
	fput(f);
	door_unref_check(door, 1);		/* 2, one to go: 1 left */
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_QUEUED);
	KUNIT_EXPECT_EQ(test, refcount_read(&door->ref), 2);
	door_unref_check(door, 1);		/* already queued: nothing more */
	KUNIT_EXPECT_EQ(test, refcount_read(&door->ref), 2);

	KUNIT_ASSERT_PTR_EQ(test, unref_serve(ctx, &thr), door);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_SERVING);
	KUNIT_EXPECT_EQ(test, thr.proc, 0x1234UL);
	KUNIT_EXPECT_EQ(test, thr.cookie, 0x5678UL);
	KUNIT_EXPECT_EQ(test, thr.data_size, 0ULL);
	KUNIT_EXPECT_TRUE(test, list_empty(&ctx->pool->unref_list));
	door_unref_done(&thr);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_DONE);
	KUNIT_EXPECT_NULL(test, thr.unref_door);

	door_unref_check(door, 1);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_DONE);
	KUNIT_EXPECT_NULL(test, unref_serve(ctx, &thr));
}

/* DOOR_UNREF_MULTI: again each time, also when it happens meanwhile */
static void unref_multi_test(struct kunit *test)
{
	struct unref_ctx *ctx = test->priv;
	struct door *door = ctx->door;
	struct door_thread thr;

	door->attr = DOOR_UNREF_MULTI;
	door_unref_check(door, 1);
	KUNIT_ASSERT_PTR_EQ(test, unref_serve(ctx, &thr), door);
	/* unreferenced again while the notification runs */
	door_unref_check(door, 1);
	KUNIT_EXPECT_TRUE(test, door->unref_again);
	door_unref_done(&thr);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_QUEUED);
	KUNIT_EXPECT_EQ(test, refcount_read(&door->ref), 2);
	KUNIT_ASSERT_PTR_EQ(test, unref_serve(ctx, &thr), door);
	door_unref_done(&thr);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_ARMED);
	KUNIT_EXPECT_EQ(test, refcount_read(&door->ref), 1);
}

/* DOOR_DELAY: not while a call is active; then at the end of the last */
static void unref_delay_test(struct kunit *test)
{
	struct unref_ctx *ctx = test->priv;
	struct door *door = ctx->door;
	struct door_thread thr;

	door->attr = DOOR_UNREF;
	door->active = 2;
	door_unref_check(door, 1);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_DELAYED);
	KUNIT_EXPECT_EQ(test, refcount_read(&door->ref), 1);
	KUNIT_EXPECT_NULL(test, unref_serve(ctx, &thr));
	spin_lock(&ctx->pool->lock);
	door_active_end(door);
	spin_unlock(&ctx->pool->lock);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_DELAYED);
	/* the going is over; the last call ends: counted again, told */
	unref_file_gone(ctx, 1);
	spin_lock(&ctx->pool->lock);
	door_active_end(door);
	spin_unlock(&ctx->pool->lock);
	/* the look is due at once: on a preemptible kernel it may be done */
	KUNIT_EXPECT_TRUE(test, door->unref == DOOR_UNREF_ARMED ||
			  door->unref == DOOR_UNREF_QUEUED);
	flush_delayed_work(&door->unref_work);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_QUEUED);
	KUNIT_ASSERT_PTR_EQ(test, unref_serve(ctx, &thr), door);
	door_unref_done(&thr);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_DONE);

	/* DOOR_UNREF_MULTI: unreferenced again while served, during a call */
	door->attr = DOOR_UNREF_MULTI;
	door->unref = DOOR_UNREF_ARMED;
	door_unref_check(door, 0);
	KUNIT_ASSERT_PTR_EQ(test, unref_serve(ctx, &thr), door);
	door->active = 1;
	door_unref_check(door, 0);
	door_unref_done(&thr);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_DELAYED);
	KUNIT_EXPECT_EQ(test, refcount_read(&door->ref), 1);
	spin_lock(&ctx->pool->lock);
	door_active_end(door);
	spin_unlock(&ctx->pool->lock);
	flush_delayed_work(&door->unref_work);
	KUNIT_ASSERT_PTR_EQ(test, unref_serve(ctx, &thr), door);
	door_unref_done(&thr);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_ARMED);
}

/*
 * None when the last reference goes: the door is gone, not unreferenced.
 * A going that leaves others asks to look again after it.
 */
static void unref_last_test(struct kunit *test)
{
	struct unref_ctx *ctx = test->priv;
	struct door *door = ctx->door;
	struct door_thread thr;

	door->attr = DOOR_UNREF;
	door_unref_check(door, 2);		/* 2, both going: none left */
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_ARMED);
	KUNIT_EXPECT_NULL(test, unref_serve(ctx, &thr));

	/* two goings at once, each counting the other: both look again */
	KUNIT_EXPECT_TRUE(test, door_unref_check(door, 0));
	KUNIT_EXPECT_TRUE(test, door->unref_recheck);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_ARMED);
	door_unref_check(door, 1);		/* the second to look: 1 left */
	KUNIT_EXPECT_FALSE(test, door->unref_recheck);
	KUNIT_ASSERT_PTR_EQ(test, unref_serve(ctx, &thr), door);
	door_unref_done(&thr);
	/* notified: nothing to look again for */
	KUNIT_EXPECT_FALSE(test, door_unref_check(door, 0));
}

/*
 * A look again about a going the last notification already saw tells
 * nothing new, even once that one was served and the door is armed again.
 */
static void unref_stale_look_test(struct kunit *test)
{
	struct unref_ctx *ctx = test->priv;
	struct door *door = ctx->door;
	struct door_thread thr;

	door->attr = DOOR_UNREF_MULTI;
	/* a going leaves two: a look again is due */
	KUNIT_EXPECT_TRUE(test, door_unref_check(door, 0));
	KUNIT_EXPECT_TRUE(test, delayed_work_pending(&door->unref_work));
	/* another leaves one, before that look: notified */
	unref_file_gone(ctx, 1);
	door_unref_check(door, 0);
	KUNIT_ASSERT_PTR_EQ(test, unref_serve(ctx, &thr), door);
	door_unref_done(&thr);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_ARMED);
	/* the look comes, about the first going: nothing more */
	flush_delayed_work(&door->unref_work);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_ARMED);
	KUNIT_EXPECT_NULL(test, unref_serve(ctx, &thr));
}

/* Nobody is told about a door that asked not to be, is revoked, or dead */
static void unref_not_wanted_test(struct kunit *test)
{
	struct unref_ctx *ctx = test->priv;
	struct door *door = ctx->door;

	door_unref_check(door, 1);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_ARMED);
	door->attr = DOOR_UNREF;
	door->revoked = true;
	door_unref_check(door, 1);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_ARMED);
	door->revoked = false;
	ctx->pool->dead = true;
	door_unref_check(door, 1);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_ARMED);
	KUNIT_EXPECT_TRUE(test, list_empty(&ctx->pool->unref_list));
	KUNIT_EXPECT_EQ(test, refcount_read(&door->ref), 1);
}

/* A dying pool drops what it had queued, and the references with it */
static void unref_drain_test(struct kunit *test)
{
	struct unref_ctx *ctx = test->priv;
	struct door *door = ctx->door;

	door->attr = DOOR_UNREF;
	door_unref_check(door, 1);
	KUNIT_ASSERT_EQ(test, refcount_read(&door->ref), 2);
	ctx->pool->dead = true;
	door_unref_drain(ctx->pool);
	KUNIT_EXPECT_EQ(test, door->unref, DOOR_UNREF_DONE);
	KUNIT_EXPECT_TRUE(test, list_empty(&ctx->pool->unref_list));
	KUNIT_EXPECT_EQ(test, refcount_read(&door->ref), 1);
}

static struct kunit_case door_unref_test_cases[] = {
	KUNIT_CASE(unref_count_test),
	KUNIT_CASE(unref_once_test),
	KUNIT_CASE(unref_multi_test),
	KUNIT_CASE(unref_delay_test),
	KUNIT_CASE(unref_last_test),
	KUNIT_CASE(unref_stale_look_test),
	KUNIT_CASE(unref_not_wanted_test),
	KUNIT_CASE(unref_drain_test),
	{}
};

static struct kunit_suite door_unref_test_suite = {
	.name = "door_unref",
	.init = unref_test_init,
	.exit = unref_test_exit,
	.test_cases = door_unref_test_cases,
};

kunit_test_suite(door_unref_test_suite);

MODULE_DESCRIPTION("KUnit tests for door unreferenced notification");
MODULE_LICENSE("GPL");
