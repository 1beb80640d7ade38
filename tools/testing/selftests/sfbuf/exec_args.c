// SPDX-License-Identifier: GPL-2.0
/*
 * execve() copies the argument and environment strings into the new
 * program's stack pages (copy_strings(), copy_string_kernel()), and for
 * "#!" scripts binfmt_script drops the original argv[0] (remove_arg_zero())
 * and inserts the interpreter, its optional argument and the script path.
 * With the sf_buf conversion all of these map the new stack pages, which
 * may be highmem, through sf_buf.
 *
 * The test re-executes its own binary with a marker argument that makes it
 * act as the child.  The child recomputes a checksum over the strings it
 * received and compares it, and the argument and environment counts, with
 * values the parent passed along; it exits 0 only if all match.  Cases:
 * thousands of short strings, strings of MAX_ARG_STRLEN - 1 characters
 * (the longest allowed), strings one character and one page longer than
 * that (execve() must fail with E2BIG), about 1 MiB of strings in total,
 * and a "#!" script run with an argv[0] longer than three pages (so that
 * remove_arg_zero() walks across page boundaries) or an empty one.
 *
 * On machines with highmem each test must also have used sf_buf (hit plus
 * miss grew) without any TLB shootdown IPI: exec maps the new stack's
 * pages with CPU-private mappings only.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "sfbuf_vmstat.h"

#define EXEC_CHILD_ARG		"--exec-child"
#define SCRIPT_CHILD_ARG	"--script-child"
#define SELF_EXE		"/proc/self/exe"

#define MANY_ARGS		5000	/* many_short_strings */
#define MANY_ENVS		100
#define TOTAL_BYTES		(1024 * 1024)	/* large_total, argv + envp */
#define SCRIPT_ARGS		64	/* script_long_argv0 */
#define SCRIPT_MANY_ARGS	2000	/* script_empty_argv0 */
#define MAX_ARG_PAGES		32	/* MAX_ARG_STRLEN is 32 pages */
#define WANT_STACK		(8 << 20)	/* RLIMIT_STACK; a quarter is for args */
#define BINPRM_BUF		256	/* the kernel reads this much of "#!" */
#define TEST_TIMEOUT		120	/* seconds, per test */

/* A NULL-terminated, growable string vector. */
struct strv {
	char **v;
	size_t nr;
	size_t cap;
	size_t bytes;		/* sum of strlen() + 1 */
};

/* Append @str, which @s then owns; false if @str is NULL or no memory. */
static bool strv_add(struct strv *s, char *str)
{
	char **v;

	if (!str)
		return false;
	if (s->nr + 1 >= s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		v = realloc(s->v, s->cap * sizeof(*v));
		if (!v)
			return false;
		s->v = v;
	}
	s->v[s->nr++] = str;
	s->v[s->nr] = NULL;
	s->bytes += strlen(str) + 1;
	return true;
}

static void strv_free(struct strv *s)
{
	size_t i;

	for (i = 0; i < s->nr; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* @prefix followed by @len random non-NUL bytes; NULL if out of memory. */
static char *rand_str(struct sfbuf_rng *rng, const char *prefix, size_t len)
{
	size_t plen = strlen(prefix), i;
	char *s = malloc(plen + len + 1);

	if (!s)
		return NULL;
	memcpy(s, prefix, plen);
	for (i = 0; i < len; i++)
		s[plen + i] = (char)sfbuf_rng_range(rng, 1, 255);
	s[plen + len] = '\0';
	return s;
}

/* Environment entry number @i with @len random bytes as its value. */
static char *rand_env(struct sfbuf_rng *rng, size_t i, size_t len)
{
	char name[32];

	snprintf(name, sizeof(name), "SFBUF_E%zu=", i);
	return rand_str(rng, name, len);
}

/*
 * Append random strings of @minlen to @maxlen bytes to @s, named
 * environment entries if @env, until it holds @nr strings or @bytes bytes.
 */
static bool fill_strv(struct strv *s, struct sfbuf_rng *rng, bool env,
		      size_t nr, size_t bytes, size_t minlen, size_t maxlen)
{
	size_t len;
	char *str;

	while (s->nr < nr && s->bytes < bytes) {
		len = sfbuf_rng_range(rng, minlen, maxlen);
		str = env ? rand_env(rng, s->nr, len) : rand_str(rng, "", len);
		if (!strv_add(s, str)) {
			free(str);
			return false;
		}
	}
	return true;
}

static __u64 hash_strs(__u64 h, char *const *v, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		h = sfbuf_hash(h, v[i], strlen(v[i]) + 1);
	return h;
}

static size_t count_strs(char *const *v)
{
	size_t n = 0;

	while (v[n])
		n++;
	return n;
}

/*
 * Child for direct execs: argv is { argv0, EXEC_CHILD_ARG, "argc:envc:hash",
 * args... }, the hash covering argv0, args and the environment.
 */
static int exec_child(int argc, char **argv, char **envp)
{
	unsigned long long want_argc, want_envc, want_hash;
	size_t envc = count_strs(envp);
	__u64 h;

	if (argc < 3 || sscanf(argv[2], "%llu:%llu:%llx", &want_argc,
			       &want_envc, &want_hash) != 3) {
		fprintf(stderr, "# exec child: malformed arguments\n");
		return 2;
	}
	h = sfbuf_hash(SFBUF_HASH_INIT, argv[0], strlen(argv[0]) + 1);
	h = hash_strs(h, argv + 3, argc - 3);
	h = hash_strs(h, envp, envc);
	if ((unsigned long long)argc != want_argc || envc != want_envc ||
	    h != want_hash) {
		fprintf(stderr,
			"# exec child: argc %d envc %zu hash %016llx, expected %llu %llu %016llx\n",
			argc, envc, (unsigned long long)h, want_argc,
			want_envc, want_hash);
		return 1;
	}
	return 0;
}

/*
 * Child for scripts: the kernel made argv { interpreter, SCRIPT_CHILD_ARG,
 * script path, "argc:envc:hash:script path", args... } out of the original
 * { argv0, "argc:envc:hash:script path", args... }; the hash covers args
 * and the environment.
 */
static int script_child(int argc, char **argv, char **envp)
{
	unsigned long long want_argc, want_envc, want_hash;
	size_t envc = count_strs(envp);
	char exe[PATH_MAX];
	const char *path;
	int pos = 0;
	ssize_t n;
	__u64 h;

	n = readlink(SELF_EXE, exe, sizeof(exe) - 1);
	if (n < 0) {
		perror("# script child: readlink " SELF_EXE);
		return 2;
	}
	exe[n] = '\0';
	if (argc < 4 || sscanf(argv[3], "%llu:%llu:%llx:%n", &want_argc,
			       &want_envc, &want_hash, &pos) != 3 || !pos) {
		fprintf(stderr, "# script child: malformed arguments\n");
		return 2;
	}
	path = argv[3] + pos;
	if (strcmp(argv[0], exe)) {
		fprintf(stderr,
			"# script child: argv[0] is \"%.64s\", expected the interpreter %s\n",
			argv[0], exe);
		return 1;
	}
	if (strcmp(argv[2], path)) {
		fprintf(stderr,
			"# script child: argv[2] is \"%.64s\", expected the script %s\n",
			argv[2], path);
		return 1;
	}
	h = hash_strs(SFBUF_HASH_INIT, argv + 4, argc - 4);
	h = hash_strs(h, envp, envc);
	if ((unsigned long long)argc != want_argc || envc != want_envc ||
	    h != want_hash) {
		fprintf(stderr,
			"# script child: argc %d envc %zu hash %016llx, expected %llu %llu %016llx\n",
			argc, envc, (unsigned long long)h, want_argc,
			want_envc, want_hash);
		return 1;
	}
	return 0;
}

/*
 * fork() and execve(); returns the child's wait status, or -1.  *@err is
 * set to the errno of a failed execve(), which the child reports through a
 * close-on-exec pipe, or to 0 if execve() succeeded.
 */
static int spawn(struct __test_metadata *_metadata, const char *path,
		 char **argv, char **envp, int *err)
{
	int p[2], status, e;
	pid_t pid;
	ssize_t n;

	*err = 0;
	if (pipe2(p, O_CLOEXEC)) {
		TH_LOG("pipe2: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		TH_LOG("fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (!pid) {
		close(p[0]);
		execve(path, argv, envp);
		e = errno;
		if (write(p[1], &e, sizeof(e)) != sizeof(e))
			_exit(126);
		_exit(127);
	}
	close(p[1]);
	do {
		n = read(p[0], &e, sizeof(e));
	} while (n < 0 && errno == EINTR);
	close(p[0]);
	if (n == sizeof(e))
		*err = e;
	else if (n)
		TH_LOG("reading the exec status: %zd", n);
	if (waitpid(pid, &status, 0) != pid) {
		TH_LOG("waitpid: %s", strerror(errno));
		return -1;
	}
	return n == 0 || n == sizeof(e) ? status : -1;
}

FIXTURE(exec) {
	struct sfbuf_mark before;
	struct sfbuf_rng rng;
	size_t page;
	size_t max_strlen;	/* MAX_ARG_STRLEN, including the NUL */
	size_t arg_space;	/* what execve() allows for all strings */
};

FIXTURE_SETUP(exec)
{
	struct rlimit rl;

	self->page = sysconf(_SC_PAGESIZE);
	self->max_strlen = MAX_ARG_PAGES * self->page;
	sfbuf_rng_init(&self->rng, sfbuf_seed());

	/* execve() allows a quarter of RLIMIT_STACK (at most 6 MiB). */
	ASSERT_EQ(0, getrlimit(RLIMIT_STACK, &rl));
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < WANT_STACK &&
	    (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= WANT_STACK)) {
		rl.rlim_cur = WANT_STACK;
		ASSERT_EQ(0, setrlimit(RLIMIT_STACK, &rl));
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= 24 << 20)
		self->arg_space = 6 << 20;
	else
		self->arg_space = rl.rlim_cur / 4;

	sfbuf_mark(&self->before);
}

FIXTURE_TEARDOWN(exec)
{
	sfbuf_expect_private_use(_metadata, "exec_args", &self->before,
				 "argument copies", 2);
}

/* Exec ourselves as the child with @argv0, @args and @envs and check. */
static void run_direct(struct __test_metadata *_metadata, const char *argv0,
		       struct strv *args, struct strv *envs)
{
	char expect[80], **argv;
	int status, err;
	__u64 h;
	size_t i;

	h = sfbuf_hash(SFBUF_HASH_INIT, argv0, strlen(argv0) + 1);
	h = hash_strs(h, args->v, args->nr);
	h = hash_strs(h, envs->v, envs->nr);
	snprintf(expect, sizeof(expect), "%zu:%zu:%016llx", args->nr + 3,
		 envs->nr, (unsigned long long)h);

	argv = calloc(args->nr + 4, sizeof(*argv));
	ASSERT_TRUE(!!argv);
	argv[0] = (char *)argv0;
	argv[1] = EXEC_CHILD_ARG;
	argv[2] = expect;
	for (i = 0; i < args->nr; i++)
		argv[3 + i] = args->v[i];

	status = spawn(_metadata, SELF_EXE, argv, envs->v, &err);
	free(argv);
	ASSERT_NE(-1, status);
	ASSERT_EQ(0, err) TH_LOG("execve with %zu args, %zu env strings, %zu bytes: %s",
				 args->nr + 3, envs->nr,
				 args->bytes + envs->bytes, strerror(err));
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("child did not get the strings sent (status %#x)",
		       status);
}

/* Exec ourselves with @args and @envs, expecting execve() to fail. */
static void run_failing(struct __test_metadata *_metadata,
			struct strv *args, struct strv *envs, int want)
{
	int status, err;

	status = spawn(_metadata, SELF_EXE, args->v, envs->v, &err);
	ASSERT_NE(-1, status);
	ASSERT_EQ(want, err) TH_LOG("execve: %s, expected %s", strerror(err),
				    strerror(want));
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 127);
}

/*
 * Write a "#!<this binary> --script-child" script, run it with @argv0,
 * @args and @envs, and have the interpreter check what it got.
 */
static void run_script(struct __test_metadata *_metadata, const char *argv0,
		       struct strv *args, struct strv *envs)
{
	char exe[PATH_MAX], line[BINPRM_BUF + 1], expect[160], **argv;
	char script[] = "/tmp/sfbuf_exec_XXXXXX";
	int fd, len, status, err;
	bool ok;
	__u64 h;
	ssize_t n;
	size_t i;

	n = readlink(SELF_EXE, exe, sizeof(exe) - 1);
	ASSERT_LT(0, n) TH_LOG("readlink %s: %s", SELF_EXE, strerror(errno));
	exe[n] = '\0';
	len = snprintf(line, sizeof(line), "#!%s %s\n", exe, SCRIPT_CHILD_ARG);
	if (len >= BINPRM_BUF || strpbrk(exe, " \t\n")) {
		TH_LOG("interpreter: %s", exe);
		SKIP(return, "test binary path too long or not usable in #!");
	}

	argv = calloc(args->nr + 3, sizeof(*argv));
	ASSERT_TRUE(!!argv);
	argv[0] = (char *)argv0;
	argv[1] = expect;
	for (i = 0; i < args->nr; i++)
		argv[2 + i] = args->v[i];

	fd = mkstemp(script);
	ASSERT_LE(0, fd) TH_LOG("mkstemp: %s", strerror(errno));
	ok = write(fd, line, len) == len && !fchmod(fd, 0700);
	err = errno;
	ok = !close(fd) && ok;
	if (!ok)
		unlink(script);
	ASSERT_TRUE(ok) TH_LOG("writing %s: %s", script, strerror(err));

	h = hash_strs(SFBUF_HASH_INIT, args->v, args->nr);
	h = hash_strs(h, envs->v, envs->nr);
	/* The kernel replaces argv[0] with three strings. */
	snprintf(expect, sizeof(expect), "%zu:%zu:%016llx:%s", args->nr + 4,
		 envs->nr, (unsigned long long)h, script);

	status = spawn(_metadata, script, argv, envs->v, &err);
	free(argv);
	/* Remove the script before any assertion can end the test. */
	unlink(script);
	ASSERT_NE(-1, status);
	ASSERT_EQ(0, err) TH_LOG("execve %s: %s%s", script,
				 strerror(err), err == EACCES ?
				 " (is /tmp mounted noexec?)" : "");
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("interpreter did not get the expected argv (status %#x)",
		       status);
}

/* Thousands of short (and empty) strings, many per page. */
TEST_F_TIMEOUT(exec, many_short_strings, TEST_TIMEOUT)
{
	struct strv args = {}, envs = {};

	ASSERT_TRUE(fill_strv(&args, &self->rng, false, MANY_ARGS, SIZE_MAX,
			      0, 23));
	ASSERT_TRUE(fill_strv(&envs, &self->rng, true, MANY_ENVS, SIZE_MAX,
			      0, 39));
	run_direct(_metadata, "exec_args", &args, &envs);
	strv_free(&args);
	strv_free(&envs);
}

/*
 * Arguments on pages of the caller that are not there yet: each empty,
 * at the start of an anonymous page that fork() gives the child wiped
 * (MADV_WIPEONFORK: no page table entry, whatever the parent read).
 * copy_strings() reads all but the first it copies while it holds the
 * mapping of the argument page it fills, with page faults disabled, and
 * must read them again with faults enabled.
 */
#define UNTOUCHED_ARGS		64

TEST_F_TIMEOUT(exec, strings_on_untouched_pages, TEST_TIMEOUT)
{
	long page = sysconf(_SC_PAGESIZE);
	struct strv args = {}, envs = {};
	char *area;
	size_t i;

	area = mmap(NULL, UNTOUCHED_ARGS * page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, area);
	ASSERT_EQ(0, madvise(area, UNTOUCHED_ARGS * page, MADV_WIPEONFORK));
	args.v = calloc(UNTOUCHED_ARGS + 1, sizeof(*args.v));
	ASSERT_TRUE(!!args.v);
	for (i = 0; i < UNTOUCHED_ARGS; i++)
		args.v[i] = area + i * page;
	args.nr = UNTOUCHED_ARGS;
	args.cap = UNTOUCHED_ARGS + 1;
	args.bytes = UNTOUCHED_ARGS;
	ASSERT_TRUE(fill_strv(&envs, &self->rng, true, MANY_ENVS, SIZE_MAX,
			      0, 39));
	run_direct(_metadata, "exec_args", &args, &envs);
	free(args.v);
	munmap(area, UNTOUCHED_ARGS * page);
	strv_free(&envs);
}

/* One argument and one environment string of MAX_ARG_STRLEN - 1 chars. */
TEST_F_TIMEOUT(exec, max_strlen, TEST_TIMEOUT)
{
	size_t longest = self->max_strlen - 1;
	struct strv args = {}, envs = {};

	ASSERT_LE(3 * self->max_strlen, self->arg_space);
	ASSERT_TRUE(strv_add(&args, rand_str(&self->rng, "", 7)));
	ASSERT_TRUE(strv_add(&args, rand_str(&self->rng, "", longest)));
	ASSERT_TRUE(strv_add(&args, rand_str(&self->rng, "", 3)));
	ASSERT_TRUE(strv_add(&envs, rand_env(&self->rng, 0, 5)));
	ASSERT_TRUE(strv_add(&envs, rand_str(&self->rng, "SFBUF_BIG=",
					     longest - strlen("SFBUF_BIG="))));
	ASSERT_TRUE(strv_add(&envs, rand_env(&self->rng, 2, 5)));
	ASSERT_EQ(longest, strlen(args.v[1]));
	ASSERT_EQ(longest, strlen(envs.v[1]));
	run_direct(_metadata, "exec_args", &args, &envs);
	strv_free(&args);
	strv_free(&envs);
}

/* A string of MAX_ARG_STRLEN characters or more must fail with E2BIG. */
TEST_F_TIMEOUT(exec, over_max_strlen, TEST_TIMEOUT)
{
	size_t lens[] = { self->max_strlen, self->max_strlen + self->page + 1 };
	struct strv args = {}, envs = {}, small = {};
	size_t i;

	ASSERT_TRUE(strv_add(&small, rand_env(&self->rng, 0, 16)));
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		ASSERT_TRUE(strv_add(&args, strdup("exec_args")));
		ASSERT_TRUE(strv_add(&args, rand_str(&self->rng, "", lens[i])));
		run_failing(_metadata, &args, &small, E2BIG);

		ASSERT_TRUE(strv_add(&envs, rand_env(&self->rng, 1, 16)));
		ASSERT_TRUE(strv_add(&envs, rand_str(&self->rng, "SFBUF_BIG=",
						     lens[i] - 10)));
		run_failing(_metadata, &small, &envs, E2BIG);
		strv_free(&args);
		strv_free(&envs);
	}
	strv_free(&small);
}

/* About TOTAL_BYTES of strings of up to three pages, half in each list. */
TEST_F_TIMEOUT(exec, large_total, TEST_TIMEOUT)
{
	size_t total = TOTAL_BYTES, maxlen = 3 * self->page;
	struct strv args = {}, envs = {};

	if (total > self->arg_space / 2) {
		TH_LOG("RLIMIT_STACK allows %zu bytes of arguments: using %zu",
		       self->arg_space, self->arg_space / 2);
		total = self->arg_space / 2;
	}
	ASSERT_TRUE(fill_strv(&args, &self->rng, false, SIZE_MAX, total / 2,
			      1, maxlen));
	ASSERT_TRUE(fill_strv(&envs, &self->rng, true, SIZE_MAX, total / 2,
			      1, maxlen));
	run_direct(_metadata, "exec_args", &args, &envs);
	strv_free(&args);
	strv_free(&envs);
}

/* A script whose argv[0], dropped by remove_arg_zero(), spans 4 pages. */
TEST_F_TIMEOUT(exec, script_long_argv0, TEST_TIMEOUT)
{
	struct strv args = {}, envs = {};
	char *argv0;

	argv0 = rand_str(&self->rng, "", 3 * self->page + 17);
	ASSERT_TRUE(!!argv0);
	ASSERT_TRUE(fill_strv(&args, &self->rng, false, SCRIPT_ARGS, SIZE_MAX,
			      0, 2 * self->page));
	ASSERT_TRUE(fill_strv(&envs, &self->rng, true, 16, SIZE_MAX, 0, 63));
	run_script(_metadata, argv0, &args, &envs);
	free(argv0);
	strv_free(&args);
	strv_free(&envs);
}

/* A script run with an empty argv[0] and many short arguments. */
TEST_F_TIMEOUT(exec, script_empty_argv0, TEST_TIMEOUT)
{
	struct strv args = {}, envs = {};

	ASSERT_TRUE(fill_strv(&args, &self->rng, false, SCRIPT_MANY_ARGS,
			      SIZE_MAX, 0, 15));
	ASSERT_TRUE(fill_strv(&envs, &self->rng, true, 50, SIZE_MAX, 0, 15));
	run_script(_metadata, "", &args, &envs);
	strv_free(&args);
	strv_free(&envs);
}

int main(int argc, char **argv, char **envp)
{
	if (argc > 1 && !strcmp(argv[1], EXEC_CHILD_ARG))
		return exec_child(argc, argv, envp);
	if (argc > 1 && !strcmp(argv[1], SCRIPT_CHILD_ARG))
		return script_child(argc, argv, envp);
	return test_harness_run(argc, argv);
}
