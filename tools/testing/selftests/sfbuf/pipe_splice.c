// SPDX-License-Identifier: GPL-2.0
/*
 * Push data through every pipe path that copies to or from a pipe buffer
 * page: read()/write(), vmsplice() into a pipe with and without
 * SPLICE_F_GIFT, vmsplice() out of a pipe into user memory, splice()
 * pipe -> pipe, file -> pipe and pipe -> file, tee(), and several
 * producer/consumer pairs running in parallel on different CPUs.
 *
 * With the sf_buf conversion these copies map the (possibly highmem) pipe,
 * page cache and user pages through CPU-private sf_buf mappings.  A stale
 * or misdirected mapping shows up as wrong data, so every byte that comes
 * out of a pipe is compared with a position-dependent pattern: lost,
 * duplicated, reordered or corrupted bytes all fail, and the first bad
 * stream position is reported.
 *
 * On machines with highmem, each test must also have used sf_buf (the hit
 * plus miss counters grew) without a single TLB shootdown IPI, since pipe
 * copies only ever use CPU-private mappings.  Without highmem the counters
 * are only printed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "sfbuf_vmstat.h"

/* Work done by each test; kept small enough for slow emulators. */
#define RW_TOTAL		(4 << 20)	/* bytes, rw_random */
#define VMSPLICE_ITERS		64		/* vmsplice_to_pipe */
#define GIFT_ITERS		64		/* vmsplice_gift */
#define FROM_PIPE_ITERS		64		/* vmsplice_from_pipe */
#define P2P_TOTAL		(2 << 20)	/* bytes, splice_pipe_to_pipe */
#define FILE_SIZE		(1024 * 1024)	/* bytes, splice_file */
#define FILE_ITERS		96		/* splice_file, each way */
#define TEE_ITERS		128		/* tee_dup */
#define NR_PAIRS		4		/* parallel_pairs */
#define PAIR_BYTES		(4 << 20)	/* bytes per pair */

#define TEST_TIMEOUT		120		/* seconds, per test */
#define PIPE_WANT_SIZE		(256 << 10)
#define BUF_SIZE		(PIPE_WANT_SIZE + (64 << 10))
#define MAX_IOV			8
#define MAX_GIFT_PAGES		8
#define CANARY			0xa5

FIXTURE(pipe) {
	struct sfbuf_mark before;
	struct sfbuf_rng rng;
	__u64 seed;
	size_t page;
	unsigned char *src;
	unsigned char *dst;
};

FIXTURE_SETUP(pipe)
{
	self->page = sysconf(_SC_PAGESIZE);
	self->seed = sfbuf_seed();
	sfbuf_rng_init(&self->rng, self->seed);

	/* A reader that bails out must not kill its writer. */
	ASSERT_TRUE(signal(SIGPIPE, SIG_IGN) != SIG_ERR);

	self->src = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(self->src != MAP_FAILED);
	self->dst = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(self->dst != MAP_FAILED);

	sfbuf_mark(&self->before);
}

FIXTURE_TEARDOWN(pipe)
{
	sfbuf_expect_private_use(_metadata, "pipe_splice", &self->before,
				 "pipe copies", 16);
}

/* Compare @len bytes at @buf with stream @seed from position @pos. */
static bool check_stream(struct __test_metadata *_metadata, const char *what,
			 __u64 seed, __u64 pos, const void *buf,
			 size_t len)
{
	long long bad = sfbuf_pattern_check(seed, pos, buf, len);
	unsigned char exp;

	if (bad < 0)
		return true;
	sfbuf_pattern_fill(seed, pos + bad, &exp, 1);
	TH_LOG("%s: stream byte %llu (seed %#llx) is %#x, expected %#x",
	       what, (unsigned long long)(pos + bad),
	       (unsigned long long)seed,
	       ((const unsigned char *)buf)[bad], exp);
	return false;
}

/* Bytes queued in a pipe, or -1. */
static long pipe_bytes(int fd)
{
	int n;

	if (ioctl(fd, FIONREAD, &n))
		return -1;
	return n;
}

/* Try to grow the pipe to PIPE_WANT_SIZE; return its capacity in bytes. */
static size_t pipe_grow(int fd)
{
	int sz;

	/* Failing is fine (e.g. pipe-max-size lowered): use what we have. */
	fcntl(fd, F_SETPIPE_SZ, PIPE_WANT_SIZE);
	sz = fcntl(fd, F_GETPIPE_SZ);
	return sz > 0 ? sz : 0;
}

/* read() exactly @len bytes; false on error or early EOF. */
static bool read_exact(struct __test_metadata *_metadata, int fd, void *buf,
		       size_t len)
{
	unsigned char *p = buf;
	ssize_t n;

	while (len) {
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			TH_LOG("read of %zu bytes: %s", len,
			       n ? strerror(errno) : "unexpected EOF");
			return false;
		}
		p += n;
		len -= n;
	}
	return true;
}

/* write() all of @len bytes; false on error. */
static bool write_all(struct __test_metadata *_metadata, int fd,
		      const void *buf, size_t len)
{
	const unsigned char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			TH_LOG("write of %zu bytes: %s", len,
			       n ? strerror(errno) : "wrote nothing");
			return false;
		}
		p += n;
		len -= n;
	}
	return true;
}

/*
 * Carve up to MAX_IOV segments out of @buf (@size bytes): each starts at a
 * random distance (less than a page) after the previous one and is 1 byte
 * to 3 pages long, so most of them start unaligned and cross pages.  The
 * total stays within @max_bytes and the pages touched within @max_pages
 * (each page of a vmsplice()d segment takes one pipe slot).  Returns the
 * number of segments, at least one.
 */
static int make_iov(struct sfbuf_rng *rng, size_t page, unsigned char *buf,
		    size_t size, struct iovec *iov, size_t max_pages,
		    size_t max_bytes)
{
	size_t cursor = 0, pages = 0, total = 0, off, len, span;
	int want = sfbuf_rng_range(rng, 1, MAX_IOV), nr;

	for (nr = 0; nr < want; nr++) {
		off = cursor + sfbuf_rng_below(rng, page);
		len = sfbuf_rng_range(rng, 1, 3 * page);
		span = (off % page + len + page - 1) / page;
		if (off + len > size || pages + span > max_pages ||
		    total + len > max_bytes)
			break;
		iov[nr].iov_base = buf + off;
		iov[nr].iov_len = len;
		cursor = off + len;
		pages += span;
		total += len;
	}
	if (!nr) {
		iov[0].iov_base = buf + sfbuf_rng_below(rng, page);
		iov[0].iov_len = 1;
		nr = 1;
	}
	return nr;
}

static size_t iov_total(const struct iovec *iov, int nr)
{
	size_t total = 0;
	int i;

	for (i = 0; i < nr; i++)
		total += iov[i].iov_len;
	return total;
}

/* Drop the first @n bytes from the segment list @iov[*idx..nr). */
static void iov_advance(struct iovec *iov, int *idx, int nr, size_t n)
{
	while (n && *idx < nr) {
		struct iovec *v = &iov[*idx];
		size_t k = n < v->iov_len ? n : v->iov_len;

		v->iov_base = (unsigned char *)v->iov_base + k;
		v->iov_len -= k;
		n -= k;
		if (!v->iov_len)
			(*idx)++;
	}
}

/*
 * Random write()s and read()s, 1 byte to 4.5 pages each, from and to
 * unaligned addresses, on a non-blocking pipe.  Small writes are merged
 * into partly filled pipe pages and reads stop in the middle of them.  The
 * test knows exactly how many bytes the pipe holds, so a read that finds
 * it empty too early means lost data.
 */
TEST_F_TIMEOUT(pipe, rw_random, TEST_TIMEOUT)
{
	size_t maxchunk = 4 * self->page + self->page / 2;
	__u64 seed = self->seed ^ 0x1, wpos = 0, rpos = 0;
	int p[2];

	ASSERT_EQ(0, pipe2(p, O_NONBLOCK));

	while (rpos < RW_TOTAL) {
		size_t off = sfbuf_rng_below(&self->rng, self->page);
		size_t len = sfbuf_rng_range(&self->rng, 1, maxchunk);
		ssize_t n;

		if (wpos < RW_TOTAL && sfbuf_rng_below(&self->rng, 2)) {
			if (len > RW_TOTAL - wpos)
				len = RW_TOTAL - wpos;
			sfbuf_pattern_fill(seed, wpos, self->src + off, len);
			n = write(p[1], self->src + off, len);
			if (n < 0 && errno == EAGAIN) {
				/* Only a pipe with data in it can be full. */
				ASSERT_LT(rpos, wpos);
				continue;
			}
			ASSERT_LT(0, n) TH_LOG("write: %s", strerror(errno));
			ASSERT_GE((ssize_t)len, n);
			wpos += n;
		} else {
			n = read(p[0], self->dst + off, len);
			if (n < 0 && errno == EAGAIN) {
				/* The pipe holds wpos - rpos bytes. */
				ASSERT_EQ(wpos, rpos)
					TH_LOG("pipe empty, %llu bytes lost",
					       (unsigned long long)(wpos - rpos));
				continue;
			}
			ASSERT_LT(0, n) TH_LOG("read: %s", strerror(errno));
			ASSERT_GE((ssize_t)len, n);
			ASSERT_LE(rpos + n, wpos) TH_LOG("read more than written");
			ASSERT_TRUE(check_stream(_metadata, "read", seed, rpos,
						 self->dst + off, n));
			rpos += n;
		}
	}
	EXPECT_EQ(0, pipe_bytes(p[0]));
	EXPECT_EQ(0, close(p[0]));
	EXPECT_EQ(0, close(p[1]));
}

/*
 * vmsplice() user memory into a pipe (the pipe then references the user
 * pages themselves) and read() it back.  Up to MAX_IOV segments per call,
 * at unaligned addresses and crossing pages; short vmsplice() returns are
 * handled by draining what was queued and going on with the rest.
 */
TEST_F_TIMEOUT(pipe, vmsplice_to_pipe, TEST_TIMEOUT)
{
	__u64 seed = self->seed ^ 0x2, wpos = 0, rpos = 0;
	struct iovec iov[MAX_IOV];
	size_t cap, total, left;
	int p[2], nr, idx, i;
	ssize_t n;

	ASSERT_EQ(0, pipe(p));
	cap = pipe_grow(p[1]);
	ASSERT_LE(4 * self->page, cap);

	for (i = 0; i < VMSPLICE_ITERS; i++) {
		nr = make_iov(&self->rng, self->page, self->src, BUF_SIZE, iov,
			      cap / self->page / 2, cap / 2);
		for (idx = 0; idx < nr; idx++) {
			sfbuf_pattern_fill(seed, wpos, iov[idx].iov_base,
					   iov[idx].iov_len);
			wpos += iov[idx].iov_len;
		}
		total = iov_total(iov, nr);
		left = total;
		idx = 0;
		while (left) {
			size_t off = sfbuf_rng_below(&self->rng, self->page);

			n = vmsplice(p[1], iov + idx, nr - idx, 0);
			ASSERT_LT(0, n) TH_LOG("vmsplice: %s", strerror(errno));
			ASSERT_GE((ssize_t)left, n);
			ASSERT_EQ(n, pipe_bytes(p[0]));
			ASSERT_TRUE(read_exact(_metadata, p[0], self->dst + off,
					       n));
			ASSERT_TRUE(check_stream(_metadata, "vmsplice", seed,
						 rpos, self->dst + off, n));
			rpos += n;
			left -= n;
			iov_advance(iov, &idx, nr, n);
		}
		ASSERT_EQ(wpos, rpos);
	}
	EXPECT_EQ(0, pipe_bytes(p[0]));
	EXPECT_EQ(0, close(p[0]));
	EXPECT_EQ(0, close(p[1]));
}

/*
 * vmsplice(SPLICE_F_GIFT) of whole, page-aligned pages, which are given
 * up to the pipe: each round uses freshly mapped pages and unmaps them
 * only after the data has been read back.
 */
TEST_F_TIMEOUT(pipe, vmsplice_gift, TEST_TIMEOUT)
{
	__u64 seed = self->seed ^ 0x3, wpos = 0, rpos = 0;
	struct iovec iov[MAX_GIFT_PAGES];
	size_t npages, size, left, at;
	int p[2], nr, idx, i;
	unsigned char *buf;
	ssize_t n;

	ASSERT_EQ(0, pipe(p));
	ASSERT_LE(MAX_GIFT_PAGES * self->page, pipe_grow(p[1]));

	for (i = 0; i < GIFT_ITERS; i++) {
		npages = sfbuf_rng_range(&self->rng, 1, MAX_GIFT_PAGES);
		size = npages * self->page;
		buf = mmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_TRUE(buf != MAP_FAILED);
		sfbuf_pattern_fill(seed, wpos, buf, size);
		wpos += size;

		/* Split the pages into 1..npages whole-page segments. */
		nr = 0;
		at = 0;
		while (at < npages) {
			size_t k = sfbuf_rng_range(&self->rng, 1, npages - at);

			iov[nr].iov_base = buf + at * self->page;
			iov[nr].iov_len = k * self->page;
			nr++;
			at += k;
		}

		left = size;
		idx = 0;
		while (left) {
			size_t off = sfbuf_rng_below(&self->rng, self->page);

			n = vmsplice(p[1], iov + idx, nr - idx, SPLICE_F_GIFT);
			ASSERT_LT(0, n) TH_LOG("vmsplice: %s", strerror(errno));
			ASSERT_GE((ssize_t)left, n);
			ASSERT_TRUE(read_exact(_metadata, p[0], self->dst + off,
					       n));
			ASSERT_TRUE(check_stream(_metadata, "gift", seed, rpos,
						 self->dst + off, n));
			rpos += n;
			left -= n;
			iov_advance(iov, &idx, nr, n);
		}
		ASSERT_EQ(0, munmap(buf, size));
	}
	EXPECT_EQ(wpos, rpos);
	EXPECT_EQ(0, pipe_bytes(p[0]));
	EXPECT_EQ(0, close(p[0]));
	EXPECT_EQ(0, close(p[1]));
}

/*
 * vmsplice() from the read end of a pipe: the kernel copies pipe pages
 * into scattered user segments.  The rest of the destination buffer is
 * filled with a canary that must survive, so a copy that overruns a
 * segment is caught as well.
 */
TEST_F_TIMEOUT(pipe, vmsplice_from_pipe, TEST_TIMEOUT)
{
	__u64 seed = self->seed ^ 0x4, wpos = 0, rpos = 0;
	size_t cap, w, left, span, done, k, off;
	struct iovec iov[MAX_IOV];
	int p[2], nr, idx, i;
	long long bad;
	ssize_t n;

	ASSERT_EQ(0, pipe(p));
	cap = pipe_grow(p[1]);
	ASSERT_LE(4 * self->page, cap);

	for (i = 0; i < FROM_PIPE_ITERS; i++) {
		w = sfbuf_rng_range(&self->rng, 1, cap / 2);
		off = sfbuf_rng_below(&self->rng, self->page);
		sfbuf_pattern_fill(seed, wpos, self->src + off, w);
		ASSERT_TRUE(write_all(_metadata, p[1], self->src + off, w));
		wpos += w;

		left = w;
		while (left) {
			nr = make_iov(&self->rng, self->page, self->dst,
				      BUF_SIZE, iov, BUF_SIZE, left);
			span = (unsigned char *)iov[nr - 1].iov_base +
			       iov[nr - 1].iov_len - self->dst + self->page;
			if (span > BUF_SIZE)
				span = BUF_SIZE;
			memset(self->dst, CANARY, span);

			n = vmsplice(p[0], iov, nr, 0);
			ASSERT_LT(0, n) TH_LOG("vmsplice: %s", strerror(errno));
			ASSERT_GE((ssize_t)iov_total(iov, nr), n);

			/* Check the data, then put the canary back over it. */
			done = 0;
			for (idx = 0; idx < nr && done < (size_t)n; idx++) {
				k = iov[idx].iov_len;
				if (k > n - done)
					k = n - done;
				ASSERT_TRUE(check_stream(_metadata, "to user",
							 seed, rpos + done,
							 iov[idx].iov_base, k));
				memset(iov[idx].iov_base, CANARY, k);
				done += k;
			}
			for (k = 0; k < span; k++)
				if (self->dst[k] != CANARY)
					break;
			bad = k < span ? (long long)k : -1;
			ASSERT_EQ(-1, bad)
				TH_LOG("byte %lld outside the segments changed",
				       bad);
			rpos += n;
			left -= n;
		}
	}
	EXPECT_EQ(wpos, rpos);
	EXPECT_EQ(0, pipe_bytes(p[0]));
	EXPECT_EQ(0, close(p[0]));
	EXPECT_EQ(0, close(p[1]));
}

/*
 * splice() from pipe A to pipe B, mixed at random with write()s into A and
 * read()s from B.  Splicing part of a buffer leaves A and B sharing a
 * page, and later writes into A may merge into that page's free space.
 * Everything is non-blocking and the test tracks how much each pipe holds.
 */
TEST_F_TIMEOUT(pipe, splice_pipe_to_pipe, TEST_TIMEOUT)
{
	__u64 seed = self->seed ^ 0x5, wpos = 0, rpos = 0;
	size_t maxchunk = 4 * self->page + self->page / 2;
	size_t in_a = 0, in_b = 0, len, off;
	unsigned int flags;
	int a[2], b[2], op;
	ssize_t n;

	ASSERT_EQ(0, pipe2(a, O_NONBLOCK));
	ASSERT_EQ(0, pipe2(b, O_NONBLOCK));
	pipe_grow(a[1]);
	pipe_grow(b[1]);

	while (rpos < P2P_TOTAL) {
		op = sfbuf_rng_below(&self->rng, 3);
		if (op == 0 && wpos == P2P_TOTAL)
			op = 1;
		if (op == 1 && !in_a)
			op = 2;
		if (op == 2 && !in_b)
			op = in_a ? 1 : 0;
		off = sfbuf_rng_below(&self->rng, self->page);

		switch (op) {
		case 0:
			len = sfbuf_rng_range(&self->rng, 1, maxchunk);
			if (len > P2P_TOTAL - wpos)
				len = P2P_TOTAL - wpos;
			sfbuf_pattern_fill(seed, wpos, self->src + off, len);
			n = write(a[1], self->src + off, len);
			if (n < 0 && errno == EAGAIN) {
				ASSERT_LT(0, in_a);
				break;
			}
			ASSERT_LT(0, n) TH_LOG("write: %s", strerror(errno));
			ASSERT_GE((ssize_t)len, n);
			wpos += n;
			in_a += n;
			break;
		case 1:
			len = sfbuf_rng_range(&self->rng, 1, in_a);
			flags = SPLICE_F_NONBLOCK;
			if (sfbuf_rng_below(&self->rng, 2))
				flags |= SPLICE_F_MOVE;
			n = splice(a[0], NULL, b[1], NULL, len, flags);
			if (n < 0 && errno == EAGAIN) {
				/* A has data, so only a full B is an excuse. */
				ASSERT_LT(0, in_b);
				break;
			}
			ASSERT_LT(0, n) TH_LOG("splice: %s", strerror(errno));
			ASSERT_GE((ssize_t)len, n);
			in_a -= n;
			in_b += n;
			break;
		default:
			len = sfbuf_rng_range(&self->rng, 1, maxchunk);
			n = read(b[0], self->dst + off, len);
			ASSERT_LT(0, n) TH_LOG("read: %s",
					       n ? strerror(errno) : "EOF");
			ASSERT_EQ((ssize_t)(len < in_b ? len : in_b), n)
				TH_LOG("pipe B should hold %zu bytes", in_b);
			ASSERT_TRUE(check_stream(_metadata, "pipe to pipe",
						 seed, rpos, self->dst + off,
						 n));
			rpos += n;
			in_b -= n;
			break;
		}
		ASSERT_EQ((long)in_a, pipe_bytes(a[0]));
		ASSERT_EQ((long)in_b, pipe_bytes(b[0]));
	}
	EXPECT_EQ(P2P_TOTAL, wpos);
	EXPECT_EQ(0, close(a[0]));
	EXPECT_EQ(0, close(a[1]));
	EXPECT_EQ(0, close(b[0]));
	EXPECT_EQ(0, close(b[1]));
}

/* Create an unlinked file in /tmp (tmpfs on most systems). */
static int tmp_file(struct __test_metadata *_metadata)
{
	char name[] = "/tmp/sfbuf_pipe_XXXXXX";
	int fd = mkstemp(name);

	if (fd < 0) {
		TH_LOG("mkstemp(%s): %s", name, strerror(errno));
		return -1;
	}
	if (unlink(name)) {
		TH_LOG("unlink(%s): %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* splice() @len bytes from @fd at offset @off into the empty pipe @p. */
static bool file_to_pipe(struct __test_metadata *_metadata, int fd,
			 __u64 off, size_t len, int *p)
{
	loff_t o = off;
	ssize_t n;

	while (len) {
		n = splice(fd, &o, p[1], NULL, len, 0);
		if (n <= 0) {
			TH_LOG("splice from file at %llu: %s",
			       (unsigned long long)o,
			       n ? strerror(errno) : "no data");
			return false;
		}
		if ((size_t)n > len || (__u64)o != off + n) {
			TH_LOG("splice from file: got %zd of %zu, offset %llu",
			       n, len, (unsigned long long)o);
			return false;
		}
		off += n;
		len -= n;
	}
	return true;
}

/*
 * splice() between a pipe and a file on /tmp.  File -> pipe at random
 * unaligned offsets and lengths, read back and checked.  Pipe -> file at
 * random offsets, from pipes filled either with write() or by splicing
 * from the first file (page cache pages travel through the pipe to the
 * second file); a shadow copy of the second file is kept and compared
 * after every step and, in full, at the end.
 */
TEST_F_TIMEOUT(pipe, splice_file, TEST_TIMEOUT)
{
	__u64 fseed = self->seed ^ 0x6, dseed = self->seed ^ 0x7;
	size_t cap, maxlen, len, off, soff, at;
	unsigned char *shadow;
	int fd, fd2, p[2], i;
	long long bad;
	ssize_t n;
	loff_t o;

	ASSERT_EQ(0, pipe(p));
	cap = pipe_grow(p[1]);
	maxlen = cap / 2 < (64 << 10) ? cap / 2 : (64 << 10);
	ASSERT_LE(4 * self->page, maxlen);

	fd = tmp_file(_metadata);
	ASSERT_LE(0, fd);
	fd2 = tmp_file(_metadata);
	ASSERT_LE(0, fd2);
	shadow = calloc(1, FILE_SIZE);
	ASSERT_TRUE(!!shadow);

	for (at = 0; at < FILE_SIZE; at += BUF_SIZE / 2) {
		len = FILE_SIZE - at < BUF_SIZE / 2 ? FILE_SIZE - at :
						      BUF_SIZE / 2;
		sfbuf_pattern_fill(fseed, at, self->src, len);
		ASSERT_EQ((ssize_t)len, pwrite(fd, self->src, len, at));
	}
	ASSERT_EQ(0, ftruncate(fd2, FILE_SIZE));

	/* file -> pipe */
	for (i = 0; i < FILE_ITERS; i++) {
		off = sfbuf_rng_below(&self->rng, FILE_SIZE);
		len = sfbuf_rng_range(&self->rng, 1,
				      FILE_SIZE - off < maxlen ?
				      FILE_SIZE - off : maxlen);
		soff = sfbuf_rng_below(&self->rng, self->page);
		ASSERT_TRUE(file_to_pipe(_metadata, fd, off, len, p));
		ASSERT_TRUE(read_exact(_metadata, p[0], self->dst + soff, len));
		ASSERT_TRUE(check_stream(_metadata, "file to pipe", fseed, off,
					 self->dst + soff, len));
	}

	/* pipe -> file */
	for (i = 0; i < FILE_ITERS; i++) {
		off = sfbuf_rng_below(&self->rng, FILE_SIZE);
		len = sfbuf_rng_range(&self->rng, 1,
				      FILE_SIZE - off < maxlen ?
				      FILE_SIZE - off : maxlen);
		if (sfbuf_rng_below(&self->rng, 2)) {
			soff = sfbuf_rng_below(&self->rng, self->page);
			sfbuf_pattern_fill(dseed + i, off, self->src + soff,
					   len);
			ASSERT_TRUE(write_all(_metadata, p[1],
					      self->src + soff, len));
			memcpy(shadow + off, self->src + soff, len);
		} else {
			soff = sfbuf_rng_below(&self->rng,
					       FILE_SIZE - len + 1);
			ASSERT_TRUE(file_to_pipe(_metadata, fd, soff, len, p));
			sfbuf_pattern_fill(fseed, soff, shadow + off, len);
		}

		o = off;
		at = 0;
		while (at < len) {
			n = splice(p[0], NULL, fd2, &o, len - at, 0);
			ASSERT_LT(0, n) TH_LOG("splice to file: %s",
					       n ? strerror(errno) : "no data");
			ASSERT_GE((ssize_t)(len - at), n);
			at += n;
			ASSERT_EQ((loff_t)(off + at), o);
		}
		ASSERT_EQ(0, pipe_bytes(p[0]));

		ASSERT_EQ((ssize_t)len, pread(fd2, self->dst, len, off));
		bad = sfbuf_first_diff(shadow + off, self->dst, len);
		ASSERT_EQ(-1, bad) TH_LOG("file offset %llu: %#x, expected %#x",
					  (unsigned long long)(off + bad),
					  self->dst[bad], shadow[off + bad]);
	}

	for (at = 0; at < FILE_SIZE; at += len) {
		len = FILE_SIZE - at < BUF_SIZE ? FILE_SIZE - at : BUF_SIZE;
		ASSERT_EQ((ssize_t)len, pread(fd2, self->dst, len, at));
		bad = sfbuf_first_diff(shadow + at, self->dst, len);
		ASSERT_EQ(-1, bad) TH_LOG("file offset %llu: %#x, expected %#x",
					  (unsigned long long)(at + bad),
					  self->dst[bad], shadow[at + bad]);
	}

	free(shadow);
	EXPECT_EQ(0, close(fd));
	EXPECT_EQ(0, close(fd2));
	EXPECT_EQ(0, close(p[0]));
	EXPECT_EQ(0, close(p[1]));
}

/*
 * tee() the head of pipe A into pipe B (possibly several times, possibly
 * splitting a buffer), append more data to A while B still shares A's
 * pages, then read both copies and check them.
 */
TEST_F_TIMEOUT(pipe, tee_dup, TEST_TIMEOUT)
{
	__u64 seed = self->seed ^ 0x8, wpos = 0, rpos = 0;
	size_t cap, w, in_a, t, off, extra;
	int a[2], b[2], i, j, rounds;
	ssize_t n;

	ASSERT_EQ(0, pipe(a));
	ASSERT_EQ(0, pipe(b));
	cap = pipe_grow(a[1]);
	pipe_grow(b[1]);
	ASSERT_LE(8 * self->page, cap);

	for (i = 0; i < TEE_ITERS; i++) {
		w = sfbuf_rng_range(&self->rng, 1, cap / 4);
		off = sfbuf_rng_below(&self->rng, self->page);
		sfbuf_pattern_fill(seed, wpos, self->src + off, w);
		ASSERT_TRUE(write_all(_metadata, a[1], self->src + off, w));
		wpos += w;
		in_a = w;

		rounds = sfbuf_rng_range(&self->rng, 1, 3);
		for (j = 0; j < rounds; j++) {
			t = sfbuf_rng_range(&self->rng, 1, in_a);
			n = tee(a[0], b[1], t, 0);
			ASSERT_LT(0, n) TH_LOG("tee: %s", strerror(errno));
			ASSERT_GE((ssize_t)t, n);
			/* tee() must not consume anything from A. */
			ASSERT_EQ((long)in_a, pipe_bytes(a[0]));
			ASSERT_EQ(n, pipe_bytes(b[0]));

			/* Append to A while B holds references to A's pages. */
			extra = sfbuf_rng_below(&self->rng, self->page);
			if (extra && in_a + extra <= cap / 2) {
				sfbuf_pattern_fill(seed, wpos, self->src, extra);
				ASSERT_TRUE(write_all(_metadata, a[1],
						      self->src, extra));
				wpos += extra;
				in_a += extra;
			}

			off = sfbuf_rng_below(&self->rng, self->page);
			ASSERT_TRUE(read_exact(_metadata, b[0],
					       self->dst + off, n));
			ASSERT_TRUE(check_stream(_metadata, "tee copy", seed,
						 rpos, self->dst + off, n));
			ASSERT_EQ(0, pipe_bytes(b[0]));
		}

		off = sfbuf_rng_below(&self->rng, self->page);
		ASSERT_TRUE(read_exact(_metadata, a[0], self->dst + off, in_a));
		ASSERT_TRUE(check_stream(_metadata, "tee source", seed, rpos,
					 self->dst + off, in_a));
		rpos += in_a;
		ASSERT_EQ(0, pipe_bytes(a[0]));
	}
	EXPECT_EQ(wpos, rpos);
	EXPECT_EQ(0, close(a[0]));
	EXPECT_EQ(0, close(a[1]));
	EXPECT_EQ(0, close(b[0]));
	EXPECT_EQ(0, close(b[1]));
}

struct pair {
	int fd[2];
	__u64 seed;
	size_t page;
	int cpu_prod;		/* CPU to pin to, or -1 */
	int cpu_cons;

	/* results */
	int prod_err;		/* errno of a failed call, or 0 */
	int cons_err;
	__u64 prod_bytes;
	__u64 prod_hash;	/* FNV-1a of everything written */
	__u64 cons_bytes;
	__u64 cons_hash;	/* FNV-1a of everything read */
	long long bad_pos;	/* first wrong stream byte, or -1 */
	unsigned char bad_got;
	unsigned char bad_exp;
};

static int pin_to(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? errno : 0;
}

static void *producer(void *arg)
{
	struct pair *pr = arg;
	size_t maxchunk = 5 * pr->page, off, len, done;
	__u64 pos = 0, h = SFBUF_HASH_INIT;
	struct sfbuf_rng rng;
	unsigned char *buf;
	ssize_t n;

	sfbuf_rng_init(&rng, pr->seed + 1);
	buf = malloc(maxchunk + pr->page);
	pr->prod_err = buf ? pin_to(pr->cpu_prod) : ENOMEM;

	while (!pr->prod_err && pos < PAIR_BYTES) {
		off = sfbuf_rng_below(&rng, pr->page);
		len = sfbuf_rng_range(&rng, 1, maxchunk);
		if (len > PAIR_BYTES - pos)
			len = PAIR_BYTES - pos;
		sfbuf_pattern_fill(pr->seed, pos, buf + off, len);
		for (done = 0; done < len; done += n) {
			n = write(pr->fd[1], buf + off + done, len - done);
			if (n < 0 && errno == EINTR) {
				n = 0;
				continue;
			}
			if (n <= 0) {
				pr->prod_err = n ? errno : EIO;
				break;
			}
		}
		h = sfbuf_hash(h, buf + off, done);
		pos += done;
	}
	close(pr->fd[1]);
	pr->prod_bytes = pos;
	pr->prod_hash = h;
	free(buf);
	return NULL;
}

static void *consumer(void *arg)
{
	struct pair *pr = arg;
	size_t maxchunk = 5 * pr->page, off, len;
	__u64 pos = 0, h = SFBUF_HASH_INIT;
	struct sfbuf_rng rng;
	unsigned char *buf;
	long long bad;
	ssize_t n;

	pr->bad_pos = -1;
	sfbuf_rng_init(&rng, pr->seed + 2);
	buf = malloc(maxchunk + pr->page);
	pr->cons_err = buf ? pin_to(pr->cpu_cons) : ENOMEM;

	while (!pr->cons_err) {
		off = sfbuf_rng_below(&rng, pr->page);
		len = sfbuf_rng_range(&rng, 1, maxchunk);
		n = read(pr->fd[0], buf + off, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			pr->cons_err = errno;
		if (n <= 0)
			break;
		bad = sfbuf_pattern_check(pr->seed, pos, buf + off, n);
		if (bad >= 0) {
			pr->bad_pos = pos + bad;
			pr->bad_got = buf[off + bad];
			sfbuf_pattern_fill(pr->seed, pos + bad, &pr->bad_exp, 1);
			break;
		}
		h = sfbuf_hash(h, buf + off, n);
		pos += n;
	}
	/* Closing early makes the producer fail with EPIPE, not hang. */
	close(pr->fd[0]);
	pr->cons_bytes = pos;
	pr->cons_hash = h;
	free(buf);
	return NULL;
}

/*
 * NR_PAIRS producer/consumer thread pairs, each streaming PAIR_BYTES
 * through its own pipe in random chunk sizes.  When there are at least two
 * CPUs, each producer runs on a different CPU from its consumer, so pipe
 * pages are filled on one CPU and drained on another.  The consumer checks
 * every byte against the stream the producer derives from the pair's
 * seed, and both sides' checksums and byte counts must agree.
 */
TEST_F_TIMEOUT(pipe, parallel_pairs, TEST_TIMEOUT)
{
	pthread_t prod[NR_PAIRS], cons[NR_PAIRS];
	struct pair pairs[NR_PAIRS];
	int cpus[CPU_SETSIZE], ncpus = 0, i;
	cpu_set_t set;

	ASSERT_EQ(0, sched_getaffinity(0, sizeof(set), &set));
	for (i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &set))
			cpus[ncpus++] = i;
	ASSERT_LT(0, ncpus);
	if (ncpus < 2)
		TH_LOG("only one CPU available: producers and consumers share it");

	memset(pairs, 0, sizeof(pairs));
	for (i = 0; i < NR_PAIRS; i++) {
		struct pair *pr = &pairs[i];

		ASSERT_EQ(0, pipe(pr->fd));
		pr->seed = sfbuf_mix64(self->seed + 0x100 + i);
		pr->page = self->page;
		pr->cpu_prod = ncpus > 1 ? cpus[i % ncpus] : -1;
		pr->cpu_cons = ncpus > 1 ? cpus[(i + 1) % ncpus] : -1;
	}
	for (i = 0; i < NR_PAIRS; i++) {
		ASSERT_EQ(0, pthread_create(&cons[i], NULL, consumer,
					    &pairs[i]));
		ASSERT_EQ(0, pthread_create(&prod[i], NULL, producer,
					    &pairs[i]));
	}
	for (i = 0; i < NR_PAIRS; i++) {
		ASSERT_EQ(0, pthread_join(prod[i], NULL));
		ASSERT_EQ(0, pthread_join(cons[i], NULL));
	}

	for (i = 0; i < NR_PAIRS; i++) {
		struct pair *pr = &pairs[i];

		EXPECT_EQ(0, pr->prod_err)
			TH_LOG("pair %d producer: %s", i, strerror(pr->prod_err));
		EXPECT_EQ(0, pr->cons_err)
			TH_LOG("pair %d consumer: %s", i, strerror(pr->cons_err));
		EXPECT_EQ(-1, pr->bad_pos)
			TH_LOG("pair %d: stream byte %lld is %#x, expected %#x",
			       i, pr->bad_pos, pr->bad_got, pr->bad_exp);
		EXPECT_EQ(PAIR_BYTES, pr->prod_bytes);
		EXPECT_EQ(PAIR_BYTES, pr->cons_bytes);
		EXPECT_EQ(pr->prod_hash, pr->cons_hash)
			TH_LOG("pair %d: checksum mismatch", i);
	}
}

TEST_HARNESS_MAIN
