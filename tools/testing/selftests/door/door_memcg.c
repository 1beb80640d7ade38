// SPDX-License-Identifier: GPL-2.0
/*
 * Door memory belongs to the caller's memory cgroup: a caller in a
 * cgroup sees the kernel memory of its medium and large calls charged
 * there (memory.stat "kernel") while they are in flight and uncharged
 * after; over the cgroup's memory.max its calls fail with ENOMEM, and
 * neither it nor the server (in another cgroup) is OOM-killed, nor does
 * the server spin on results it cannot deliver.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/mount.h>
#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "door_util.h"

#define CG	"/sys/fs/cgroup"
#define CGM	CG "/door-memcg"
#define BIG	(16 << 20)		/* the largest argument */

static int gate;
static int entered;
static size_t reply_len;
static unsigned char *reply;

static void gate_hook(struct du_server *s, struct door_return_args *ra)
{
	(void)s;
	__atomic_add_fetch(&entered, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&gate, __ATOMIC_ACQUIRE))
		du_sleep_ms(1);
	ra->result_ptr = u64_of(reply);
	ra->result_size = reply_len;
}

static int cgroup_setup(void)
{
	struct stat st;

	if (stat(CG "/cgroup.procs", &st)) {
		mkdir(CG, 0755);
		if (mount("cgroup2", CG, "cgroup2", 0, NULL))
			return -1;
	}
	if (du_write(CG "/cgroup.subtree_control", "+memory"))
		return -1;
	rmdir(CGM);
	if (mkdir(CGM, 0755))
		return -1;
	return access(CGM "/memory.max", F_OK);
}

/* A number from memory.stat ("kernel"), or -1. */
static long long cg_stat_now(const char *key)
{
	char buf[8192], *p;
	size_t len = strlen(key);

	/*
	 * Reading memory.stat flushes the stats only now and then; reading
	 * cpu.stat of a cgroup below the root flushes them all.
	 */
	du_read(CGM "/cpu.stat", buf, sizeof(buf));
	if (du_read(CGM "/memory.stat", buf, sizeof(buf)) <= 0)
		return -1;
	for (p = buf; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncmp(p, key, len) && p[len] == ' ')
			return atoll(p + len + 1);
	}
	return -1;
}

/*
 * memory.stat's @key once it differs from @old, the value last read, or
 * once it has stayed the same for 2.5 s (longer than the stats go
 * unflushed should reading cpu.stat not flush them).
 */
static long long cg_stat(const char *key, long long old)
{
	long long v = cg_stat_now(key);
	int ms;

	for (ms = 0; v == old && ms < 2500; ms += 100) {
		du_sleep_ms(100);
		v = cg_stat_now(key);
	}
	return v;
}

static long long cg_value(const char *file)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), CGM "/%s", file);
	if (du_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	return atoll(buf);
}

/* A count of memory.events, or -1. */
static long long cg_events(const char *key)
{
	char buf[1024], *p;

	if (du_read(CGM "/memory.events", buf, sizeof(buf)) <= 0)
		return -1;
	p = strstr(buf, key);
	return p ? atoll(p + strlen(key) + 1) : -1;
}

/* A caller in the cgroup: makes @len-byte calls when told, reports. */
struct caller {
	pid_t pid;
	int cmd[2];			/* sizes to call with, 0 to stop */
	int rep[2];			/* struct du_report for each */
};

static int caller_start(struct caller *c, int fd, size_t rsize)
{
	char text[32];

	if (pipe(c->cmd) || pipe(c->rep))
		return -1;
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (!c->pid) {
		unsigned char *data, *rbuf;
		struct door_arg a;
		size_t len;
		int ret;

		data = mmap(NULL, BIG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		rbuf = mmap(NULL, rsize, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (data == MAP_FAILED || rbuf == MAP_FAILED)
			_exit(1);
		memset(data, 'c', BIG);
		while (read(c->cmd[0], &len, sizeof(len)) == sizeof(len) && len) {
			ret = du_call(fd, data, len, rbuf, rsize, &a);
			du_send_report(c->rep[1], ret, ret ? errno : 0, &a,
				       rbuf, 0);
		}
		_exit(0);
	}
	snprintf(text, sizeof(text), "%d", c->pid);
	return du_write(CGM "/cgroup.procs", text);
}

static int caller_call(struct caller *c, size_t len)
{
	return write(c->cmd[1], &len, sizeof(len)) == sizeof(len) ? 0 : -1;
}

static void caller_stop(struct caller *c)
{
	caller_call(c, 0);
	du_reap(c->pid, DU_WAIT_MS);
	close(c->cmd[0]);
	close(c->cmd[1]);
	close(c->rep[0]);
	close(c->rep[1]);
}

/*
 * A caller in the cgroup that made one small call (its memory is in
 * memory.current), and then @room bytes more than it uses allowed.
 */
static int caller_with_room(struct caller *c, int fd, size_t rsize,
			    long long room)
{
	struct du_report r;
	char text[32];
	long long cur;

	if (caller_start(c, fd, rsize))
		return -1;
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	reply_len = 16;
	if (caller_call(c, 16) || du_get_report(c->rep[0], &r, DU_WAIT_MS) ||
	    r.ret)
		return -1;
	cur = cg_value("memory.current");
	if (cur <= 0)
		return -1;
	snprintf(text, sizeof(text), "%lld", cur + room);
	return du_write(CGM "/memory.max", text);
}

FIXTURE(memcg) {
	struct du_server s;
	int fd;
};

FIXTURE_SETUP(memcg)
{
	if (cgroup_setup())
		SKIP(return, "no cgroup2 memory controller: %s",
		     strerror(errno));
	reply = malloc(4 << 20);
	ASSERT_TRUE(!!reply);
	memset(reply, 'r', 4 << 20);
	self->fd = door_create(1, 2, 0);
	ASSERT_LE(0, self->fd);
	self->s.hook = gate_hook;
	ASSERT_EQ(0, du_server_start(&self->s, BIG));
}

FIXTURE_TEARDOWN(memcg)
{
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	rmdir(CGM);
}

/*
 * One call of @len argument bytes and @rlen result bytes, held by the
 * server while the cgroup's kernel memory is read: the difference held
 * minus after.
 */
static long long charged_in_flight(struct caller *c, size_t len, size_t rlen)
{
	long long before, during, after;
	struct du_report r;

	__atomic_store_n(&gate, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&entered, 0, __ATOMIC_RELEASE);
	reply_len = rlen;
	before = cg_stat_now("kernel");
	if (caller_call(c, len) || !du_count_reaches(&entered, 1, DU_WAIT_MS))
		return -1;
	during = cg_stat("kernel", before);
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	if (du_get_report(c->rep[0], &r, DU_WAIT_MS) || r.ret)
		return -2;
	after = cg_stat("kernel", during);
	return during - after;
}

TEST_F_TIMEOUT(memcg, charged_while_in_flight, 120)
{
	struct caller c;
	long long medium, large;

	ASSERT_EQ(0, caller_start(&c, self->fd, 64 << 10));
	/* warm up: the first call fills the per-CPU block cache */
	charged_in_flight(&c, 16384, 0);
	medium = charged_in_flight(&c, 16384, 0);
	large = charged_in_flight(&c, BIG, 0);
	TH_LOG("kernel memory held: medium call %lld, large call %lld bytes",
	       medium, large);
	/* a 16 KiB block; the list of the 4096 pages pinned, a pointer each */
	EXPECT_LE(16384LL, medium);
	EXPECT_LE((long long)(BIG / 4096 * sizeof(void *)), large);
	caller_stop(&c);
}

/*
 * Results the caller's cgroup has no room for: the call fails with
 * ENOMEM, nobody is OOM-killed, and the server serves the next call.
 */
TEST_F_TIMEOUT(memcg, over_limit, 120)
{
	struct du_report r;
	struct caller c;

	ASSERT_EQ(0, caller_with_room(&c, self->fd, 4 << 20, 256 << 10));

	reply_len = 4 << 20;
	ASSERT_EQ(0, caller_call(&c, 16));
	ASSERT_EQ(0, du_get_report(c.rep[0], &r, DU_WAIT_MS));
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(ENOMEM, r.err) TH_LOG("%s", strerror(r.err));
	EXPECT_EQ(0, cg_events("oom_kill"));

	/* small results still fit; the server was not stuck */
	reply_len = 100;
	ASSERT_EQ(0, caller_call(&c, 16));
	ASSERT_EQ(0, du_get_report(c.rep[0], &r, DU_WAIT_MS));
	EXPECT_EQ(0, r.ret) TH_LOG("%s", strerror(r.err));
	EXPECT_EQ(100ULL, r.data_size);
	EXPECT_EQ('r', r.first);
	EXPECT_EQ(0, kill(c.pid, 0)) TH_LOG("the caller was killed");
	caller_stop(&c);
	EXPECT_EQ(0, self->s.errors) TH_LOG("server door_return errors: %s",
					    strerror(self->s.last_errno));
}

/*
 * Results that fit the caller's cgroup once, but not twice: the caller's
 * new mapping fills as the kernel's copy of the results empties, so the
 * call succeeds and nobody is OOM-killed.
 */
TEST_F_TIMEOUT(memcg, results_fit_once, 120)
{
	struct du_report r;
	struct caller c;

	ASSERT_EQ(0, caller_with_room(&c, self->fd, 4096, 6 << 20));

	reply_len = 4 << 20;
	ASSERT_EQ(0, caller_call(&c, 16));
	ASSERT_EQ(0, du_get_report(c.rep[0], &r, DU_WAIT_MS))
		TH_LOG("no report: the caller died");
	EXPECT_EQ(0, r.ret) TH_LOG("%s", strerror(r.err));
	EXPECT_EQ((__u64)(4 << 20), r.data_size);
	EXPECT_EQ(0, cg_events("oom_kill"));
	EXPECT_EQ(0, kill(c.pid, 0)) TH_LOG("the caller was killed");
	caller_stop(&c);
}

TEST_HARNESS_MAIN
