// SPDX-License-Identifier: GPL-2.0
/*
 * The sf_buf event counters are in /proc/vmstat where there is a mapping
 * cache (x86-32 with HIGHMEM, any x86 with CONFIG_DEBUG_SFBUF): all six
 * of them, or none.
 */
#include "../kselftest_harness.h"
#include "sfbuf_vmstat.h"

TEST(counters_all_or_none)
{
	struct sfbuf_stats s;
	int i, present = 0;

	sfbuf_stats_read(&s);
	for (i = 0; i < SFBUF_NR_COUNTERS; i++)
		present += s.val[i] >= 0;
	if (!present)
		SKIP(return, "no sf_buf mapping cache on this kernel");
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
	if (s.val[SFBUF_ALLOC] < 0)
		SKIP(return, "no sf_buf mapping cache on this kernel");
	EXPECT_LE(s.val[SFBUF_HIT] + s.val[SFBUF_MISS], s.val[SFBUF_ALLOC]);
}

TEST_HARNESS_MAIN
