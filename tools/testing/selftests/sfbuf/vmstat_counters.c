// SPDX-License-Identifier: GPL-2.0
/*
 * The sf_buf event counters are in /proc/vmstat on every configuration.
 */
#include <stdio.h>
#include <string.h>

#include "../kselftest_harness.h"

static const char * const sfbuf_counters[] = {
	"sfbuf_alloc", "sfbuf_hit", "sfbuf_miss",
	"sfbuf_wait", "sfbuf_local_flush", "sfbuf_ipi",
};

/* Return the counter's value, or -1 if /proc/vmstat has no such line. */
static long long vmstat_read(const char *name)
{
	char key[64];
	long long val;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", key, &val) == 2) {
		if (!strcmp(key, name)) {
			fclose(f);
			return val;
		}
	}
	fclose(f);
	return -1;
}

TEST(counters_present)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sfbuf_counters); i++) {
		long long val = vmstat_read(sfbuf_counters[i]);

		if (val < 0)
			TH_LOG("%s missing from /proc/vmstat", sfbuf_counters[i]);
		EXPECT_LE(0, val);
	}
}

/* Hits and misses are kinds of allocations: they never exceed them. */
TEST(counters_consistent)
{
	long long alloc = vmstat_read("sfbuf_alloc");

	ASSERT_LE(0, alloc);
	EXPECT_LE(vmstat_read("sfbuf_hit") + vmstat_read("sfbuf_miss"), alloc);
}

TEST_HARNESS_MAIN
