/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the sf_buf selftests.
 *
 * - Snapshots of the sf_buf event counters in /proc/vmstat, and a printer
 *   for their deltas in the one-line format that is collected from the
 *   console logs:
 *
 *	# sfbuf deltas <program>/<test>: alloc N hit N miss N wait N local_flush N ipi N
 *
 *   A counter that /proc/vmstat does not have is reported as -1.
 * - have_highmem(): whether the machine has any highmem at all.
 * - sfbuf_maps_pages(): whether sf_buf makes mappings here at all (with
 *   highmem, or with CONFIG_DEBUG_SFBUF); elsewhere the counters do not
 *   exist or do not move.
 * - A position-dependent data pattern, a 64-bit FNV-1a checksum and a small
 *   seeded xorshift PRNG, so that writers and readers can derive the same
 *   expected data independently of each other.
 */
#ifndef __SFBUF_VMSTAT_H
#define __SFBUF_VMSTAT_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum sfbuf_counter {
	SFBUF_ALLOC,
	SFBUF_HIT,
	SFBUF_MISS,
	SFBUF_WAIT,
	SFBUF_LOCAL_FLUSH,
	SFBUF_IPI,
	SFBUF_NR_COUNTERS,
};

struct sfbuf_stats {
	long long val[SFBUF_NR_COUNTERS];
};

static inline const char *sfbuf_counter_name(int i)
{
	static const char * const names[SFBUF_NR_COUNTERS] = {
		"sfbuf_alloc", "sfbuf_hit", "sfbuf_miss",
		"sfbuf_wait", "sfbuf_local_flush", "sfbuf_ipi",
	};

	return names[i];
}

/* Read all sf_buf counters in one pass; absent ones read as -1. */
static inline void sfbuf_stats_read(struct sfbuf_stats *s)
{
	long long val;
	char key[64];
	FILE *f;
	int i;

	for (i = 0; i < SFBUF_NR_COUNTERS; i++)
		s->val[i] = -1;
	f = fopen("/proc/vmstat", "r");
	if (!f)
		return;
	while (fscanf(f, "%63s %lld", key, &val) == 2) {
		for (i = 0; i < SFBUF_NR_COUNTERS; i++)
			if (!strcmp(key, sfbuf_counter_name(i)))
				s->val[i] = val;
	}
	fclose(f);
}

/* @d = @after - @before; -1 where either snapshot lacks the counter. */
static inline void sfbuf_stats_delta(struct sfbuf_stats *d,
				     const struct sfbuf_stats *after,
				     const struct sfbuf_stats *before)
{
	int i;

	for (i = 0; i < SFBUF_NR_COUNTERS; i++) {
		if (after->val[i] < 0 || before->val[i] < 0)
			d->val[i] = -1;
		else
			d->val[i] = after->val[i] - before->val[i];
	}
}

static inline void sfbuf_stats_print(const char *prog, const char *test,
				     const struct sfbuf_stats *d)
{
	printf("# sfbuf deltas %s/%s:", prog, test);
	printf(" alloc %lld hit %lld miss %lld wait %lld local_flush %lld ipi %lld\n",
	       d->val[SFBUF_ALLOC], d->val[SFBUF_HIT], d->val[SFBUF_MISS],
	       d->val[SFBUF_WAIT], d->val[SFBUF_LOCAL_FLUSH],
	       d->val[SFBUF_IPI]);
	fflush(stdout);
}

/*
 * Take a second snapshot, store the difference to @before in @d and print
 * it.  Returns @d so that callers can assert on it directly.
 */
static inline struct sfbuf_stats *sfbuf_stats_finish(struct sfbuf_stats *d,
						     const struct sfbuf_stats *before,
						     const char *prog,
						     const char *test)
{
	struct sfbuf_stats after;

	sfbuf_stats_read(&after);
	sfbuf_stats_delta(d, &after, before);
	sfbuf_stats_print(prog, test, d);
	return d;
}

/* True if /proc/meminfo reports a non-zero HighTotal. */
static inline bool have_highmem(void)
{
	unsigned long long kb = 0;
	bool found = false;
	char line[256];
	FILE *f;

	f = fopen("/proc/meminfo", "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "HighTotal: %llu kB", &kb) == 1) {
			found = true;
			break;
		}
	}
	fclose(f);
	return found && kb > 0;
}

/*
 * Seed for all the pseudo-random choices.  Fixed by default so that runs
 * are reproducible; SFBUF_SEED=<number> in the environment overrides it.
 */
#define SFBUF_DEFAULT_SEED	0x5f6275665f736565ULL

static inline __u64 sfbuf_seed(void)
{
	const char *s = getenv("SFBUF_SEED");

	if (s && *s)
		return strtoull(s, NULL, 0);
	return SFBUF_DEFAULT_SEED;
}

/* Scramble the bits of @x (xor-shift / odd-multiply rounds). */
static inline __u64 sfbuf_mix64(__u64 x)
{
	x ^= x >> 33;
	x *= 0xc2b2ae3d27d4eb4fULL;
	x ^= x >> 29;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 32;
	return x;
}

/*
 * Data pattern: byte @pos of the stream selected by @seed is byte pos % 8
 * (little-endian) of sfbuf_pattern_word(seed, pos / 8).  The data depends
 * on both the seed and the position, so a byte that ends up at the wrong
 * place, or in the wrong stream, is detected.
 */
#define SFBUF_GOLDEN	0x9e3779b97f4a7c15ULL

static inline __u64 sfbuf_pattern_word(__u64 seed, __u64 idx)
{
	return sfbuf_mix64(seed ^ (idx * SFBUF_GOLDEN));
}

/* Fill @buf with @len bytes of stream @seed starting at position @pos. */
static inline void sfbuf_pattern_fill(__u64 seed, __u64 pos,
				      void *buf, size_t len)
{
	unsigned char *p = buf;
	__u64 w;
	int k;

	while (len && (pos & 7)) {
		w = sfbuf_pattern_word(seed, pos >> 3);
		*p++ = (unsigned char)(w >> ((pos & 7) * 8));
		pos++;
		len--;
	}
	while (len >= 8) {
		w = sfbuf_pattern_word(seed, pos >> 3);
		for (k = 0; k < 8; k++)
			p[k] = (unsigned char)(w >> (k * 8));
		p += 8;
		pos += 8;
		len -= 8;
	}
	if (len) {
		w = sfbuf_pattern_word(seed, pos >> 3);
		for (k = 0; k < (int)len; k++)
			p[k] = (unsigned char)(w >> (k * 8));
	}
}

/*
 * Compare @buf with @len bytes of stream @seed from position @pos.
 * Returns the index of the first differing byte, or -1 if all match.
 */
static inline long long sfbuf_pattern_check(__u64 seed, __u64 pos,
					    const void *buf, size_t len)
{
	const unsigned char *p = buf;
	unsigned char exp[512];
	size_t done = 0, n, i;

	while (done < len) {
		n = len - done;
		if (n > sizeof(exp))
			n = sizeof(exp);
		sfbuf_pattern_fill(seed, pos + done, exp, n);
		if (memcmp(exp, p + done, n)) {
			for (i = 0; i < n; i++)
				if (exp[i] != p[done + i])
					return (long long)(done + i);
		}
		done += n;
	}
	return -1;
}

/* Index of the first byte where @a and @b differ, or -1. */
static inline long long sfbuf_first_diff(const void *a, const void *b,
					 size_t len)
{
	const unsigned char *x = a, *y = b;
	size_t i;

	if (!memcmp(a, b, len))
		return -1;
	for (i = 0; i < len; i++)
		if (x[i] != y[i])
			return (long long)i;
	return -1;
}

/* 64-bit FNV-1a, usable incrementally: start with SFBUF_HASH_INIT. */
#define SFBUF_HASH_INIT		0xcbf29ce484222325ULL
#define SFBUF_HASH_PRIME	0x00000100000001b3ULL

static inline __u64 sfbuf_hash(__u64 h, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len--) {
		h ^= *p++;
		h *= SFBUF_HASH_PRIME;
	}
	return h;
}

/* xorshift64 (13, 7, 17) with a multiplicative output scrambler. */
struct sfbuf_rng {
	__u64 state;
};

static inline void sfbuf_rng_init(struct sfbuf_rng *r, __u64 seed)
{
	r->state = sfbuf_mix64(seed + SFBUF_GOLDEN);
	if (!r->state)
		r->state = SFBUF_GOLDEN;
}

static inline __u64 sfbuf_rng_next(struct sfbuf_rng *r)
{
	__u64 x = r->state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	r->state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* Uniform-enough value in [0, n); 0 if n is 0. */
static inline __u64 sfbuf_rng_below(struct sfbuf_rng *r, __u64 n)
{
	return n ? (sfbuf_rng_next(r) >> 11) % n : 0;
}

/* Value in [lo, hi], both inclusive; lo if hi < lo. */
static inline __u64 sfbuf_rng_range(struct sfbuf_rng *r, __u64 lo, __u64 hi)
{
	return hi > lo ? lo + sfbuf_rng_below(r, hi - lo + 1) : lo;
}

/*
 * Whether sf_buf makes mappings on this kernel: its counters exist (there
 * is a mapping cache) and it has mapped anything since boot (there is
 * highmem, or CONFIG_DEBUG_SFBUF sends every page through the cache).
 */
static inline bool sfbuf_maps_pages(void)
{
	struct sfbuf_stats s;

	sfbuf_stats_read(&s);
	return s.val[SFBUF_ALLOC] > 0;
}

static inline double sfbuf_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A snapshot of the counters and of the time it was taken. */
struct sfbuf_mark {
	struct sfbuf_stats stats;
	double t;
};

static inline void sfbuf_mark(struct sfbuf_mark *m)
{
	sfbuf_stats_read(&m->stats);
	m->t = sfbuf_now();
}

#ifdef __KSELFTEST_HARNESS_H
/*
 * End of a test of a user that maps CPU-privately: print the counter
 * deltas since @before and, where sf_buf makes mappings, require that the
 * test's own path made at least @min_maps of them and sent no
 * invalidation IPI.  System-wide counters also count what everything else
 * maps meanwhile, so the rate of that is measured right after, with the
 * test idle, and taken off: a conversion that is missing fails even on a
 * busy machine.
 */
static inline void sfbuf_expect_private_use(struct __test_metadata *_metadata,
					    const char *prog,
					    const struct sfbuf_mark *before,
					    const char *what, long long min_maps)
{
	struct sfbuf_stats d, idle;
	struct sfbuf_mark end, quiet;
	double busy, rest;
	long long noise;

	sfbuf_mark(&end);
	sfbuf_stats_delta(&d, &end.stats, &before->stats);
	sfbuf_stats_print(prog, _metadata->name, &d);
	if (_metadata->exit_code == KSFT_SKIP || !sfbuf_maps_pages())
		return;
	busy = end.t - before->t;
	rest = busy < 0.2 ? 0.2 : busy > 1.0 ? 1.0 : busy;
	usleep((useconds_t)(rest * 1e6));
	sfbuf_mark(&quiet);
	sfbuf_stats_delta(&idle, &quiet.stats, &end.stats);
	noise = (long long)(idle.val[SFBUF_ALLOC] * busy / (quiet.t - end.t) + 0.5);
	EXPECT_LE(min_maps, d.val[SFBUF_ALLOC] - noise)
		TH_LOG("%s: %lld sf_buf mappings, %lld of them the rest of the system's",
		       what, d.val[SFBUF_ALLOC], noise);
	EXPECT_EQ(0, d.val[SFBUF_IPI])
		TH_LOG("%s needed TLB shootdown IPIs", what);
}
#endif

#endif /* __SFBUF_VMSTAT_H */
