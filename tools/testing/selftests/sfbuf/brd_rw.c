// SPDX-License-Identifier: GPL-2.0
/*
 * Write and read back a brd RAM disk (default /dev/ram0, or the block
 * device given as the first argument) through the page cache and with
 * O_DIRECT.  brd copies every bio segment to and from its backing pages,
 * which are highmem pages when the machine has highmem; with the sf_buf
 * conversion those copies go through CPU-private sf_buf mappings.
 *
 * Buffered writes use any offset and length and are pushed to the disk
 * with fsync() and dropped from the page cache with BLKFLSBUF, so that the
 * reads which follow really come from brd.  O_DIRECT writes use block
 * aligned offsets and lengths from buffers that are block aligned but not
 * page aligned, so bio segments straddle user pages.  Everything is read
 * back both ways and compared with a shadow copy; the first mismatching
 * device offset is reported.  A last test runs two processes pinned to
 * different CPUs, each on its own half of the disk, and then lets each
 * check the half the other one wrote.
 *
 * On machines with highmem each test must also have used sf_buf (hit plus
 * miss grew) without any TLB shootdown IPI, as brd only uses CPU-private
 * mappings.  Without highmem the counters are only printed.
 *
 * The test overwrites the first 16 MiB of the device.
 */
#define _FILE_OFFSET_BITS 64
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "sfbuf_vmstat.h"

#define DEFAULT_DEV		"/dev/ram0"
#define MAX_AREA		(16 << 20)	/* bytes of the device used */
#define MIN_AREA		(1024 * 1024)
#define SEQ_OPS			200		/* writes per single-process test */
#define PAR_OPS			200		/* writes per process, two_cpus */
#define FLUSH_EVERY		16		/* buffered writes per cache drop */
#define MAX_IO			(64 << 10)	/* longest single write */
#define CHUNK			(1024 * 1024)	/* unit of bulk fill and verify */
#define TEST_TIMEOUT		120		/* seconds, per test */

static const char *dev_path = DEFAULT_DEV;
static bool dev_named;

struct range {
	__u64 off;
	size_t len;
};

/* The device under test and what it should contain. */
struct disk {
	int fd;			/* buffered */
	int dfd;		/* O_DIRECT */
	size_t area;		/* bytes used, a multiple of 2 pages */
	size_t lbs;		/* logical block size */
	size_t page;
	__u64 seed;
	unsigned char *shadow;	/* expected contents, shared with children */
	unsigned char *wbuf;	/* CHUNK + page, page aligned */
	unsigned char *rbuf;
};

FIXTURE(brd) {
	struct sfbuf_mark before;
	struct disk disk;
};

/* pread()/pwrite() all of @len bytes at @off; false (and a log) if not. */
static bool dev_io(struct __test_metadata *_metadata, bool write, int fd,
		   void *buf, size_t len, __u64 off, const char *how)
{
	unsigned char *p = buf;
	ssize_t n;

	while (len) {
		if (write)
			n = pwrite(fd, p, len, off);
		else
			n = pread(fd, p, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			TH_LOG("%s %s of %zu bytes at %llu: %s", how,
			       write ? "write" : "read", len,
			       (unsigned long long)off,
			       n ? strerror(errno) : "no progress");
			return false;
		}
		p += n;
		off += n;
		len -= n;
	}
	return true;
}

/* Compare @len bytes read from device offset @off with the shadow copy. */
static bool check_shadow(struct __test_metadata *_metadata,
			 struct disk *d, const unsigned char *buf,
			 __u64 off, size_t len, const char *how)
{
	long long bad = sfbuf_first_diff(d->shadow + off, buf, len);

	if (bad < 0)
		return true;
	TH_LOG("%s read: first mismatch at device offset %llu: %#x, expected %#x",
	       how, (unsigned long long)(off + bad), buf[bad],
	       d->shadow[off + bad]);
	return false;
}

/* Write dirty page cache back to brd and drop the clean pages. */
static bool drop_cache(struct __test_metadata *_metadata,
		       struct disk *d)
{
	if (fsync(d->fd)) {
		TH_LOG("fsync: %s", strerror(errno));
		return false;
	}
	if (ioctl(d->fd, BLKFLSBUF, 0)) {
		TH_LOG("BLKFLSBUF: %s", strerror(errno));
		return false;
	}
	return true;
}

/* Length of a random write: mostly up to a few pages, sometimes MAX_IO. */
static size_t rand_len(struct disk *d, struct sfbuf_rng *rng,
		       size_t span)
{
	size_t max = sfbuf_rng_below(rng, 4) ? 3 * d->page + d->page / 2
					     : MAX_IO;

	if (max > span)
		max = span;
	return sfbuf_rng_range(rng, 1, max);
}

/*
 * Buffered write of fresh data at a random offset in [base, base + span),
 * any length and alignment, from an unaligned user address.
 */
static bool write_buffered(struct __test_metadata *_metadata,
			   struct disk *d, struct sfbuf_rng *rng,
			   __u64 base, size_t span, struct range *r)
{
	size_t len = rand_len(d, rng, span);
	__u64 off = base + sfbuf_rng_below(rng, span - len + 1);
	size_t boff = sfbuf_rng_below(rng, d->page);

	sfbuf_pattern_fill(sfbuf_rng_next(rng), off, d->wbuf + boff, len);
	if (!dev_io(_metadata, true, d->fd, d->wbuf + boff, len, off,
		    "buffered"))
		return false;
	memcpy(d->shadow + off, d->wbuf + boff, len);
	r->off = off;
	r->len = len;
	return true;
}

/*
 * O_DIRECT write of fresh data: offset, length and user address are
 * multiples of the logical block size, the address usually not of the
 * page size.
 */
static bool write_direct(struct __test_metadata *_metadata,
			 struct disk *d, struct sfbuf_rng *rng,
			 __u64 base, size_t span, struct range *r)
{
	size_t blocks = rand_len(d, rng, span) / d->lbs + 1;
	size_t len = blocks * d->lbs;
	__u64 off, boff;

	if (len > span)
		len = span;
	off = base + d->lbs * sfbuf_rng_below(rng, (span - len) /
						 d->lbs + 1);
	boff = d->lbs * sfbuf_rng_below(rng, d->page / d->lbs);

	sfbuf_pattern_fill(sfbuf_rng_next(rng), off, d->wbuf + boff, len);
	if (!dev_io(_metadata, true, d->dfd, d->wbuf + boff, len, off,
		    "O_DIRECT"))
		return false;
	memcpy(d->shadow + off, d->wbuf + boff, len);
	r->off = off;
	r->len = len;
	return true;
}

/* O_DIRECT read of [off, off + len), widened to block boundaries. */
static bool verify_direct(struct __test_metadata *_metadata,
			  struct disk *d, struct sfbuf_rng *rng,
			  __u64 off, size_t len)
{
	__u64 at = off & ~(__u64)(d->lbs - 1);
	__u64 end = (off + len + d->lbs - 1) & ~(__u64)(d->lbs - 1);
	size_t boff = d->lbs * sfbuf_rng_below(rng, d->page / d->lbs);
	size_t n;

	for (; at < end; at += n) {
		n = end - at < CHUNK ? end - at : CHUNK;
		if (!dev_io(_metadata, false, d->dfd, d->rbuf + boff, n,
			    at, "O_DIRECT") ||
		    !check_shadow(_metadata, d, d->rbuf + boff, at, n,
				  "O_DIRECT"))
			return false;
	}
	return true;
}

/* Buffered read of exactly [off, off + len) into an unaligned buffer. */
static bool verify_buffered(struct __test_metadata *_metadata,
			    struct disk *d, struct sfbuf_rng *rng,
			    __u64 off, size_t len)
{
	size_t boff = sfbuf_rng_below(rng, d->page);
	__u64 end = off + len;
	size_t n;

	for (; off < end; off += n) {
		n = end - off < CHUNK ? end - off : CHUNK;
		if (!dev_io(_metadata, false, d->fd, d->rbuf + boff, n,
			    off, "buffered") ||
		    !check_shadow(_metadata, d, d->rbuf + boff, off, n,
				  "buffered"))
			return false;
	}
	return true;
}

/* Check the @nr ranges @r with O_DIRECT (@direct) or buffered reads. */
static bool verify_ranges(struct __test_metadata *_metadata,
			  struct disk *d, struct sfbuf_rng *rng,
			  const struct range *r, int nr, bool direct)
{
	int i;

	for (i = 0; i < nr; i++) {
		if (direct && !verify_direct(_metadata, d, rng, r[i].off,
					     r[i].len))
			return false;
		if (!direct && !verify_buffered(_metadata, d, rng, r[i].off,
						r[i].len))
			return false;
	}
	return true;
}

/* Check [off, off + len) with O_DIRECT, then uncached buffered reads. */
static bool verify_both(struct __test_metadata *_metadata,
			struct disk *d, struct sfbuf_rng *rng,
			__u64 off, size_t len)
{
	return verify_direct(_metadata, d, rng, off, len) &&
	       drop_cache(_metadata, d) &&
	       verify_buffered(_metadata, d, rng, off, len);
}

FIXTURE_SETUP(brd)
{
	struct disk *d = &self->disk;
	__u64 size, at;
	struct stat st;
	int lbs;

	/* Skip on a machine without brd, unless the device was named. */
	if (!dev_named && stat(dev_path, &st) && errno == ENOENT)
		SKIP(return, "%s does not exist (try: modprobe brd rd_nr=1 rd_size=16384)",
		     dev_path);
	sfbuf_mark(&self->before);

	ASSERT_EQ(0, stat(dev_path, &st))
		TH_LOG("stat %s: %s", dev_path, strerror(errno));
	ASSERT_TRUE(S_ISBLK(st.st_mode))
		TH_LOG("%s is not a block device", dev_path);
	d->fd = open(dev_path, O_RDWR);
	ASSERT_LE(0, d->fd)
		TH_LOG("open %s: %s", dev_path, strerror(errno));
	d->dfd = open(dev_path, O_RDWR | O_DIRECT);
	ASSERT_LE(0, d->dfd)
		TH_LOG("open %s O_DIRECT: %s", dev_path, strerror(errno));
	ASSERT_EQ(0, ioctl(d->fd, BLKGETSIZE64, &size));
	ASSERT_EQ(0, ioctl(d->fd, BLKSSZGET, &lbs));

	d->page = sysconf(_SC_PAGESIZE);
	d->lbs = lbs;
	ASSERT_TRUE(lbs >= 512 && !(lbs & (lbs - 1)) &&
		    (size_t)lbs <= d->page)
		TH_LOG("unexpected logical block size %d", lbs);
	d->area = size < MAX_AREA ? size : MAX_AREA;
	d->area &= ~(2 * d->page - 1);
	ASSERT_LE(MIN_AREA, d->area)
		TH_LOG("%s is too small: %llu bytes", dev_path,
		       (unsigned long long)size);

	d->seed = sfbuf_seed();
	d->shadow = mmap(NULL, d->area, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(d->shadow != MAP_FAILED);
	ASSERT_EQ(0, posix_memalign((void **)&d->wbuf, d->page,
				    CHUNK + d->page));
	ASSERT_EQ(0, posix_memalign((void **)&d->rbuf, d->page,
				    CHUNK + d->page));

	/* Known contents everywhere, written straight to brd. */
	for (at = 0; at < d->area; at += CHUNK) {
		size_t n = d->area - at < CHUNK ? d->area - at : CHUNK;

		sfbuf_pattern_fill(d->seed, at, d->shadow + at, n);
		memcpy(d->wbuf, d->shadow + at, n);
		ASSERT_TRUE(dev_io(_metadata, true, d->dfd, d->wbuf, n,
				   at, "initial O_DIRECT"));
	}
	ASSERT_TRUE(drop_cache(_metadata, d));
}

FIXTURE_TEARDOWN(brd)
{
	close(self->disk.fd);
	close(self->disk.dfd);
	sfbuf_expect_private_use(_metadata, "brd_rw", &self->before,
				 "brd copies", 16);
}

/*
 * Buffered writes anywhere; after every FLUSH_EVERY of them, fsync and
 * BLKFLSBUF, then read each written range back with O_DIRECT and with
 * (uncached) buffered reads.  Finally check the whole area both ways.
 */
TEST_F_TIMEOUT(brd, buffered_io, TEST_TIMEOUT)
{
	struct disk *d = &self->disk;
	struct range recent[FLUSH_EVERY];
	struct sfbuf_rng rng;
	int i, nr = 0;

	sfbuf_rng_init(&rng, d->seed ^ 0x1);
	for (i = 0; i < SEQ_OPS; i++) {
		ASSERT_TRUE(write_buffered(_metadata, d, &rng, 0,
					   d->area, &recent[nr++]));
		if (nr < FLUSH_EVERY && i < SEQ_OPS - 1)
			continue;
		ASSERT_TRUE(drop_cache(_metadata, d));
		ASSERT_TRUE(verify_ranges(_metadata, d, &rng, recent, nr,
					  true));
		ASSERT_TRUE(verify_ranges(_metadata, d, &rng, recent, nr,
					  false));
		nr = 0;
	}
	ASSERT_TRUE(verify_both(_metadata, d, &rng, 0, d->area));
}

/*
 * O_DIRECT writes, each read back at once with O_DIRECT into a buffer of
 * different alignment; after every FLUSH_EVERY of them, drop the page
 * cache and read them back buffered.  Finally check the whole area.
 */
TEST_F_TIMEOUT(brd, direct_io, TEST_TIMEOUT)
{
	struct disk *d = &self->disk;
	struct range recent[FLUSH_EVERY];
	struct sfbuf_rng rng;
	int i, nr = 0;

	sfbuf_rng_init(&rng, d->seed ^ 0x2);
	for (i = 0; i < SEQ_OPS; i++) {
		ASSERT_TRUE(write_direct(_metadata, d, &rng, 0, d->area,
					 &recent[nr]));
		ASSERT_TRUE(verify_direct(_metadata, d, &rng,
					  recent[nr].off, recent[nr].len));
		nr++;
		if (nr < FLUSH_EVERY && i < SEQ_OPS - 1)
			continue;
		ASSERT_TRUE(drop_cache(_metadata, d));
		ASSERT_TRUE(verify_ranges(_metadata, d, &rng, recent, nr,
					  false));
		nr = 0;
	}
	ASSERT_TRUE(verify_both(_metadata, d, &rng, 0, d->area));
}

/*
 * One of the two_cpus processes: PAR_OPS random writes into its own half,
 * each checked right away the other way round (buffered write -> O_DIRECT
 * read, O_DIRECT write -> uncached buffered read).  Then it reports to
 * the parent, waits until both processes are done writing, and checks
 * the half the other CPU wrote.
 */
static int run_worker(struct __test_metadata *_metadata, struct disk *d,
		      int idx, int cpu, int done_fd, int go_fd)
{
	size_t half = d->area / 2;
	__u64 base = idx * half;
	struct sfbuf_rng rng;
	bool ok = true;
	cpu_set_t set;
	struct range r;
	char c;
	int i;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		TH_LOG("worker %d: pinning to CPU %d: %s", idx, cpu,
		       strerror(errno));
		ok = false;
	}

	sfbuf_rng_init(&rng, d->seed ^ (0x100 + idx));
	for (i = 0; ok && i < PAR_OPS; i++) {
		if (sfbuf_rng_below(&rng, 2)) {
			ok = write_buffered(_metadata, d, &rng, base, half,
					    &r) &&
			     drop_cache(_metadata, d) &&
			     verify_direct(_metadata, d, &rng, r.off, r.len);
		} else {
			ok = write_direct(_metadata, d, &rng, base, half,
					  &r) &&
			     drop_cache(_metadata, d) &&
			     verify_buffered(_metadata, d, &rng, r.off,
					     r.len);
		}
		if (!ok)
			TH_LOG("worker %d on CPU %d failed at op %d", idx, cpu,
			       i);
	}

	c = ok ? 0 : 1;
	if (write(done_fd, &c, 1) != 1) {
		TH_LOG("worker %d: reporting: %s", idx, strerror(errno));
		return 1;
	}
	/* The parent closes the other end once both workers are done. */
	while (read(go_fd, &c, 1) < 0 && errno == EINTR)
		;

	/* Now read back what the other CPU wrote. */
	if (ok)
		ok = verify_both(_metadata, d, &rng, (1 - idx) * half, half);
	if (!ok)
		TH_LOG("worker %d on CPU %d: final check failed", idx, cpu);
	return ok ? 0 : 1;
}

/*
 * Two processes on two different CPUs (when there are two), each writing
 * its own half of the disk, then each checking the other half; at the end
 * the parent checks the whole area once more.
 */
TEST_F_TIMEOUT(brd, two_cpus, TEST_TIMEOUT)
{
	struct disk *d = &self->disk;
	int cpus[2] = { -1, -1 }, ncpus = 0, done[2], go[2], i, status;
	pid_t pid[2];
	struct sfbuf_rng rng;
	unsigned char rep[2];
	cpu_set_t set;
	ssize_t n;
	size_t got;

	ASSERT_EQ(0, sched_getaffinity(0, sizeof(set), &set));
	for (i = 0; i < CPU_SETSIZE && ncpus < 2; i++)
		if (CPU_ISSET(i, &set))
			cpus[ncpus++] = i;
	ASSERT_LT(0, ncpus);
	if (ncpus < 2) {
		TH_LOG("only CPU %d available: both workers run there",
		       cpus[0]);
		cpus[1] = cpus[0];
	}

	ASSERT_EQ(0, pipe(done));
	ASSERT_EQ(0, pipe(go));
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]) TH_LOG("fork: %s", strerror(errno));
		if (!pid[i]) {
			close(done[0]);
			close(go[1]);
			_exit(run_worker(_metadata, d, i, cpus[i], done[1],
					 go[0]));
		}
	}
	close(done[1]);
	close(go[0]);

	/* Wait for both workers to finish writing (or to die). */
	for (got = 0; got < sizeof(rep); got += n) {
		n = read(done[0], rep + got, sizeof(rep) - got);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			break;
	}
	close(go[1]);

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("worker %d (CPU %d): status %#x", i, cpus[i],
			       status);
	}
	EXPECT_EQ(sizeof(rep), got);
	close(done[0]);

	sfbuf_rng_init(&rng, d->seed ^ 0x3);
	ASSERT_TRUE(verify_both(_metadata, d, &rng, 0, d->area));
}

int main(int argc, char **argv)
{
	/* An optional first argument that is not an option is the device. */
	if (argc > 1 && argv[1][0] != '-') {
		dev_path = argv[1];
		dev_named = true;
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	return test_harness_run(argc, argv);
}
