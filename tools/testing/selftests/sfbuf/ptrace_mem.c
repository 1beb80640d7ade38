// SPDX-License-Identifier: GPL-2.0
/*
 * Access another process's memory the way debuggers do: PTRACE_PEEKDATA /
 * PTRACE_POKEDATA and pread()/pwrite() on /proc/PID/mem.  Both end up in
 * __access_remote_vm(), which maps each target page in turn; with the
 * sf_buf conversion that is a CPU-private sf_buf mapping, and on a highmem
 * machine most of a large anonymous region is in highmem.
 *
 * The tracee maps a large region (256 MiB by default, or the number of MiB
 * given as first argument; halved until mmap() succeeds), fills it with a
 * position-dependent pattern and stops.  The tracer reads words and
 * buffers all over it, many of them straddling page boundaries, and checks
 * them against the pattern.  It then writes new data into separate slots
 * of the region, again across page boundaries, checks it by reading it
 * back, and records each change in a shared list.  Finally it resumes the
 * tracee, which checks its whole region against the pattern plus the
 * recorded changes, so writes that land in the wrong place, are lost or
 * spill over are all caught, and exits 0 only if everything matches.
 *
 * On machines with highmem each test must also have used sf_buf (hit plus
 * miss grew) without any TLB shootdown IPI: remote VM access only uses
 * CPU-private mappings.  Without highmem the counters are only printed.
 */
#define _FILE_OFFSET_BITS 64
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "sfbuf_vmstat.h"

#define DEFAULT_MIB		256	/* region size */
#define MIN_MIB			8
#define NR_PEEKS		4000	/* PTRACE_PEEKDATA reads */
#define NR_POKES		512	/* PTRACE_POKEDATA writes, at most */
#define NR_PREADS		1000	/* /proc/PID/mem reads */
#define NR_PWRITES		512	/* /proc/PID/mem writes, at most */
#define MAX_MODS		512
#define XFER_PAGES		4	/* longest /proc/PID/mem transfer */
#define SLOT_PAGES		8	/* least room around each write */
#define GUARD			16	/* bytes checked on each side of it */
#define TEST_TIMEOUT		120	/* seconds, per test */

static unsigned long region_mib = DEFAULT_MIB;

/* One change made by the tracer: @len bytes of stream @seed at @off. */
struct mod {
	__u64 off;
	__u64 seed;
	__u32 len;
	__u32 pad;
};

/* Shared (MAP_SHARED) between tracer and tracee. */
struct ctl {
	__u64 addr;		/* region start, in the tracee */
	__u64 size;		/* region size */
	__u32 base_seed;	/* of the initial pattern */
	__s32 err;		/* errno if the tracee could not set up */
	__u32 nr_mods;	/* sorted by offset, not overlapping */
	__u32 pad;
	struct mod mods[MAX_MODS];
};

/*
 * Initial contents: 32-bit word i of the region is seed + i * odd, which is
 * cheap enough to fill and check hundreds of MiB even under emulation (one
 * addition per word) and differs for every word of a region below 16 GiB.
 */
#define BASE_STEP	0x9e3779b1u

static inline __u32 base_word(__u32 seed, __u64 idx)
{
	return seed + (__u32)idx * BASE_STEP;
}

/* Expected initial bytes [off, off + len) of the region. */
static void base_fill(__u32 seed, __u64 off, unsigned char *buf,
		      size_t len)
{
	size_t k, n;
	__u32 w;

	while (len) {
		w = base_word(seed, off / 4);
		k = off % 4;
		n = 4 - k < len ? 4 - k : len;
		memcpy(buf, (unsigned char *)&w + k, n);
		buf += n;
		off += n;
		len -= n;
	}
}

/* First byte in [from, to) of @region that is not the initial pattern. */
static long long check_bytes(const unsigned char *region, __u32 seed,
			     __u64 from, __u64 to)
{
	unsigned char exp;

	for (; from < to; from++) {
		base_fill(seed, from, &exp, 1);
		if (region[from] != exp)
			return from;
	}
	return -1;
}

/* The same, a word at a time where possible. */
static long long check_base(const unsigned char *region, __u32 seed,
			    __u64 from, __u64 to)
{
	const __u32 *w = (const __u32 *)region;
	__u64 first = (from + 3) & ~3ULL, last = to & ~3ULL;
	long long bad;
	size_t i;
	__u32 v;

	if (first >= last)
		return check_bytes(region, seed, from, to);
	bad = check_bytes(region, seed, from, first);
	if (bad >= 0)
		return bad;
	v = base_word(seed, first / 4);
	for (i = first / 4; i < last / 4; i++, v += BASE_STEP)
		if (w[i] != v)
			return check_bytes(region, seed, i * 4ULL,
					   i * 4ULL + 4);
	return check_bytes(region, seed, last, to);
}

/* The tracee: set up the region, stop, then check what the tracer did. */
static int tracee_main(struct ctl *ctl, pid_t parent)
{
	size_t size = region_mib << 20;
	unsigned char *region = MAP_FAILED;
	long long bad = -1;
	__u64 i, at = 0;
	__u32 *w, v;
	size_t n;

	/* Don't outlive the tracer if it bails out (teardown may not run). */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent) {
		ctl->err = errno;
		return 2;
	}
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL)) {
		ctl->err = errno;
		return 2;
	}
	for (; size >= (size_t)MIN_MIB << 20; size /= 2) {
		region = mmap(NULL, size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
			      -1, 0);
		if (region != MAP_FAILED)
			break;
	}
	if (region == MAP_FAILED) {
		ctl->err = errno;
		return 2;
	}
	w = (__u32 *)region;
	v = base_word(ctl->base_seed, 0);
	for (n = 0; n < size / 4; n++, v += BASE_STEP)
		w[n] = v;
	ctl->addr = (uintptr_t)region;
	ctl->size = size;

	raise(SIGSTOP);

	if (ctl->nr_mods > MAX_MODS) {
		fprintf(stderr, "# tracee: %u changes listed\n", ctl->nr_mods);
		return 3;
	}
	for (i = 0; i < ctl->nr_mods; i++) {
		const struct mod *m = &ctl->mods[i];

		if (m->off < at || m->off + m->len > size) {
			fprintf(stderr, "# tracee: bad change list entry %llu\n",
				(unsigned long long)i);
			return 3;
		}
		bad = check_base(region, ctl->base_seed, at, m->off);
		if (bad >= 0)
			break;
		bad = sfbuf_pattern_check(m->seed, 0, region + m->off, m->len);
		if (bad >= 0) {
			fprintf(stderr,
				"# tracee: byte %lld of the change at region offset %llu is wrong\n",
				bad, (unsigned long long)m->off);
			return 1;
		}
		at = m->off + m->len;
	}
	if (i == ctl->nr_mods)
		bad = check_base(region, ctl->base_seed, at, size);
	if (bad >= 0) {
		fprintf(stderr,
			"# tracee: unexpected byte %#x at region offset %lld (page offset %lld)\n",
			region[bad], bad, bad % sysconf(_SC_PAGESIZE));
		return 1;
	}
	return 0;
}

/* The stopped tracee. */
struct target {
	pid_t pid;
	struct ctl *ctl;
	size_t page;
};

FIXTURE(ptrace) {
	struct sfbuf_mark before;
	struct sfbuf_rng rng;
	struct target t;
};

FIXTURE_SETUP(ptrace)
{
	struct target *t = &self->t;
	__u64 seed = sfbuf_seed();
	pid_t parent = getpid();
	int status;

	t->page = sysconf(_SC_PAGESIZE);
	sfbuf_rng_init(&self->rng, seed);
	t->ctl = mmap(NULL, sizeof(*t->ctl), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(t->ctl != MAP_FAILED);
	t->ctl->base_seed = (__u32)sfbuf_mix64(seed);

	t->pid = fork();
	ASSERT_LE(0, t->pid) TH_LOG("fork: %s", strerror(errno));
	if (!t->pid)
		_exit(tracee_main(t->ctl, parent));

	ASSERT_EQ(t->pid, waitpid(t->pid, &status, 0));
	if (!WIFSTOPPED(status))
		t->pid = 0;
	ASSERT_TRUE(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP)
		TH_LOG("tracee did not stop (status %#x): %s", status,
		       t->ctl->err ? strerror(t->ctl->err) : "?");
	if (t->ctl->size < (__u64)region_mib << 20)
		TH_LOG("tracee region is %llu MiB instead of %lu MiB",
		       (unsigned long long)(t->ctl->size >> 20),
		       region_mib);

	sfbuf_mark(&self->before);
}

FIXTURE_TEARDOWN(ptrace)
{
	struct target *t = &self->t;

	if (t->pid > 0) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, NULL, 0);
	}
	sfbuf_expect_private_use(_metadata, "ptrace_mem", &self->before,
				 "remote VM access", 16);
}

/* Resume the tracee and collect its verdict on its own memory. */
static void finish_tracee(struct __test_metadata *_metadata,
			  struct target *t)
{
	int status;

	ASSERT_EQ(0, ptrace(PTRACE_CONT, t->pid, NULL, NULL))
		TH_LOG("PTRACE_CONT: %s", strerror(errno));
	ASSERT_EQ(t->pid, waitpid(t->pid, &status, 0));
	t->pid = 0;
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("tracee found wrong memory contents (status %#x)",
		       status);
}

/* Number of change slots for a region of @size, at most @max. */
static __u32 nr_slots(struct target *t, __u64 size, __u32 max)
{
	__u64 n = size / (SLOT_PAGES * t->page);

	return n < max ? n : max;
}

static long peek(pid_t pid, __u64 addr, int *err)
{
	long val;

	errno = 0;
	val = ptrace(PTRACE_PEEKDATA, pid, (void *)(uintptr_t)addr, NULL);
	*err = errno;
	return val;
}

/* PEEK the word at region offset @off and compare it with @exp. */
static bool peek_check(struct __test_metadata *_metadata,
		       struct target *t, __u64 off,
		       const unsigned char *exp)
{
	unsigned char got[sizeof(long)];
	long val;
	int err;

	val = peek(t->pid, t->ctl->addr + off, &err);
	if (err) {
		TH_LOG("PEEKDATA at region offset %llu: %s",
		       (unsigned long long)off, strerror(err));
		return false;
	}
	memcpy(got, &val, sizeof(val));
	if (memcmp(got, exp, sizeof(val))) {
		TH_LOG("PEEKDATA at region offset %llu (page offset %llu): wrong value %#lx",
		       (unsigned long long)off,
		       (unsigned long long)(off % t->page), val);
		return false;
	}
	return true;
}

/*
 * PTRACE_PEEKDATA all over the region: aligned words, unaligned words and
 * words straddling a page boundary (ending 1 .. sizeof(long) - 1 bytes
 * into the next page).  Then PTRACE_POKEDATA one word into each slot,
 * mostly straddling, read it and both neighbouring words back, and let the
 * tracee check everything.
 */
TEST_F_TIMEOUT(ptrace, peek_poke, TEST_TIMEOUT)
{
	struct target *t = &self->t;
	const size_t wsz = sizeof(long);
	struct ctl *ctl = t->ctl;
	__u64 size = ctl->size, npages = size / t->page, off, slot;
	unsigned char exp[sizeof(long)];
	__u32 nr, i;
	long val;

	for (i = 0; i < NR_PEEKS; i++) {
		switch (sfbuf_rng_below(&self->rng, 3)) {
		case 0:
			off = sfbuf_rng_range(&self->rng, 1, npages - 1) *
			      t->page - sfbuf_rng_range(&self->rng, 1,
							   wsz - 1);
			break;
		case 1:
			off = sfbuf_rng_below(&self->rng, size / wsz) * wsz;
			break;
		default:
			off = sfbuf_rng_below(&self->rng, size - wsz + 1);
			break;
		}
		base_fill(ctl->base_seed, off, exp, wsz);
		ASSERT_TRUE(peek_check(_metadata, t, off, exp));
	}

	nr = nr_slots(t, size, NR_POKES);
	slot = size / nr / t->page * t->page;
	for (i = 0; i < nr; i++) {
		struct mod *m = &ctl->mods[i];

		off = i * slot + sfbuf_rng_range(&self->rng, 1,
						 slot / t->page - 1) *
				 t->page;
		if (sfbuf_rng_below(&self->rng, 4))
			off -= sfbuf_rng_range(&self->rng, 1, wsz - 1);
		m->off = off;
		m->len = wsz;
		m->seed = sfbuf_rng_next(&self->rng);
		sfbuf_pattern_fill(m->seed, 0, exp, wsz);
		memcpy(&val, exp, wsz);

		ASSERT_EQ(0, ptrace(PTRACE_POKEDATA, t->pid,
				    (void *)(uintptr_t)(ctl->addr + off),
				    (void *)val))
			TH_LOG("POKEDATA at region offset %llu: %s",
			       (unsigned long long)off, strerror(errno));
		ASSERT_TRUE(peek_check(_metadata, t, off, exp));
		base_fill(ctl->base_seed, off - wsz, exp, wsz);
		ASSERT_TRUE(peek_check(_metadata, t, off - wsz, exp));
		base_fill(ctl->base_seed, off + wsz, exp, wsz);
		ASSERT_TRUE(peek_check(_metadata, t, off + wsz, exp));
		ctl->nr_mods = i + 1;
	}
	finish_tracee(_metadata, t);
}

/* pread() @len bytes at region offset @off, all or nothing. */
static bool mem_read(struct __test_metadata *_metadata,
		     struct target *t, int fd, void *buf, size_t len,
		     __u64 off)
{
	ssize_t n = pread(fd, buf, len, t->ctl->addr + off);

	if (n != (ssize_t)len) {
		TH_LOG("pread of %zu bytes at region offset %llu: %zd (%s)",
		       len, (unsigned long long)off, n,
		       n < 0 ? strerror(errno) : "short");
		return false;
	}
	return true;
}

/* Compare @len bytes read from region offset @off with @exp. */
static bool mem_check(struct __test_metadata *_metadata,
		      struct target *t, const unsigned char *got,
		      const unsigned char *exp, size_t len, __u64 off)
{
	long long bad = sfbuf_first_diff(exp, got, len);

	if (bad < 0)
		return true;
	TH_LOG("/proc/PID/mem: byte at region offset %llu (page offset %llu) is %#x, expected %#x",
	       (unsigned long long)(off + bad),
	       (unsigned long long)((off + bad) % t->page), got[bad],
	       exp[bad]);
	return false;
}

/*
 * pread() from /proc/PID/mem at random offsets, 1 byte to XFER_PAGES
 * pages, most of them crossing one or more page boundaries, into buffers
 * at random alignment.  Then pwrite() a new buffer across a page boundary
 * into each slot, read it back together with GUARD bytes on either side,
 * and let the tracee check everything.
 */
TEST_F_TIMEOUT(ptrace, proc_pid_mem, TEST_TIMEOUT)
{
	struct target *t = &self->t;
	size_t page = t->page, xfer = XFER_PAGES * page, len, boff;
	struct ctl *ctl = t->ctl;
	__u64 size = ctl->size, npages = size / page, off, slot;
	unsigned char *buf, *exp;
	char path[64];
	__u32 nr, i;
	int fd;

	buf = malloc(xfer + 2 * GUARD + page);
	exp = malloc(xfer + 2 * GUARD);
	ASSERT_TRUE(buf && exp);
	snprintf(path, sizeof(path), "/proc/%d/mem", t->pid);
	fd = open(path, O_RDWR);
	ASSERT_LE(0, fd) TH_LOG("open %s: %s", path, strerror(errno));

	for (i = 0; i < NR_PREADS; i++) {
		len = sfbuf_rng_range(&self->rng, 1, xfer);
		if (sfbuf_rng_below(&self->rng, 4)) {
			/* Start in the last part of a page. */
			off = sfbuf_rng_range(&self->rng, 1, npages - 1) * page -
			      sfbuf_rng_range(&self->rng, 1, page);
			if (off + len > size)
				off = size - len;
		} else {
			off = sfbuf_rng_below(&self->rng, size - len + 1);
		}
		boff = sfbuf_rng_below(&self->rng, page);
		ASSERT_TRUE(mem_read(_metadata, t, fd, buf + boff, len,
				     off));
		base_fill(ctl->base_seed, off, exp, len);
		ASSERT_TRUE(mem_check(_metadata, t, buf + boff, exp, len,
				      off));
	}

	nr = nr_slots(t, size, NR_PWRITES);
	slot = size / nr / page * page;
	for (i = 0; i < nr; i++) {
		struct mod *m = &ctl->mods[i];
		__u64 edge;
		ssize_t n;

		/* A page boundary well inside the slot, and a write across it. */
		edge = i * slot + sfbuf_rng_range(&self->rng, XFER_PAGES,
						  slot / page - XFER_PAGES) *
				  page;
		len = sfbuf_rng_range(&self->rng, 2, xfer - page);
		off = edge - sfbuf_rng_range(&self->rng, 1, len - 1);
		m->off = off;
		m->len = len;
		m->seed = sfbuf_rng_next(&self->rng);

		boff = sfbuf_rng_below(&self->rng, page);
		sfbuf_pattern_fill(m->seed, 0, buf + boff, len);
		n = pwrite(fd, buf + boff, len, ctl->addr + off);
		ASSERT_EQ((ssize_t)len, n)
			TH_LOG("pwrite of %zu bytes at region offset %llu: %s",
			       len, (unsigned long long)off,
			       n < 0 ? strerror(errno) : "short");
		ctl->nr_mods = i + 1;

		base_fill(ctl->base_seed, off - GUARD, exp, GUARD);
		sfbuf_pattern_fill(m->seed, 0, exp + GUARD, len);
		base_fill(ctl->base_seed, off + len, exp + GUARD + len, GUARD);
		ASSERT_TRUE(mem_read(_metadata, t, fd, buf, len + 2 * GUARD,
				     off - GUARD));
		ASSERT_TRUE(mem_check(_metadata, t, buf, exp,
				      len + 2 * GUARD, off - GUARD));
	}
	EXPECT_EQ(0, close(fd));
	free(buf);
	free(exp);
	finish_tracee(_metadata, t);
}

int main(int argc, char **argv)
{
	char *end;

	/* An optional first argument that is not an option: size in MiB. */
	if (argc > 1 && argv[1][0] != '-') {
		region_mib = strtoul(argv[1], &end, 0);
		if (*end || region_mib < MIN_MIB ||
		    region_mib > (SIZE_MAX >> 20) / 2) {
			fprintf(stderr, "usage: %s [region MiB, >= %d] [harness options]\n",
				argv[0], MIN_MIB);
			return KSFT_FAIL;
		}
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	return test_harness_run(argc, argv);
}
