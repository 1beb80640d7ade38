// SPDX-License-Identifier: GPL-2.0
/*
 * The sf_buf event counters are in /proc/vmstat on every configuration.
 */
#include "../kselftest_harness.h"
#include "sfbuf_vmstat.h"

TEST(counters_present)
{
	struct sfbuf_stats s;
	int i;

	sfbuf_stats_read(&s);
	for (i = 0; i < SFBUF_NR_COUNTERS; i++) {
		if (s.val[i] < 0)
			TH_LOG("%s missing from /proc/vmstat",
			       sfbuf_counter_name(i));
		EXPECT_LE(0, s.val[i]);
	}
}

/* Hits and misses are kinds of allocations: they never exceed them. */
TEST(counters_consistent)
{
	struct sfbuf_stats s;

	sfbuf_stats_read(&s);
	ASSERT_LE(0, s.val[SFBUF_ALLOC]);
	EXPECT_LE(s.val[SFBUF_HIT] + s.val[SFBUF_MISS], s.val[SFBUF_ALLOC]);
}

TEST_HARNESS_MAIN
