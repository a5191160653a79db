/*
 * The build cache (work/cache.c): size parsing, the cache directory rule,
 * put/get round trips and persistence, a missing blob, corrupt blobs
 * (removed and reported once; silent corruption found by verify), an index
 * with an unknown schema version or damaged bytes, LRU trim order and the
 * sweep of orphans and dead writers' temp files, the file-hash memo with
 * git's racy-timestamp rule (t/t0010-racy-git.sh's scenario: a same-size
 * change within one clock tick), GOTOOLCACHE=off, and the speed of 1000
 * gets + 1000 memo lookups.
 *
 * With arguments it is the e2e driver of tests/e2e/cache.sh:
 *   cache_test put DIR N SEED     put entries 0..N-1 (shuffled; bytes and files)
 *   cache_test get DIR N          get 0..N-1; a hit must hold the right bytes
 *   cache_test mix DIR N SEED     interleaved puts and checked gets
 *   cache_test path DIR I         print entry I's blob path (exit 1 on a miss)
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "runtime/runtime.h"
#include "work/cache.h"
#include "test.h"

static char *tmpdir;

static int64_t realnow(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void aid_of(int i, unsigned char aid[32])
{
	char s[32];
	snprintf(s, sizeof s, "aid-%d", i);
	hash_sha256(s, strlen(s), aid);
}

/* content_of fills b with entry i's deterministic bytes (100..5099 long). */
static void content_of(int i, struct buf *b)
{
	unsigned char block[32];
	size_t n = 100 + (size_t)(i * 37 % 5000);
	char seed[32];

	buf_reset(b);
	snprintf(seed, sizeof seed, "content-%d", i);
	hash_sha256(seed, strlen(seed), block);
	while (b->len < n) {
		size_t k = n - b->len < 32 ? n - b->len : 32;
		buf_add(b, block, k);
		hash_sha256(block, 32, block);
	}
}

static void write_file(const char *path, const void *p, size_t n)
{
	struct err e = ERR_INIT;
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	CHECK(fwrite(p, 1, n, f) == n);
	CHECK(fclose(f) == 0);
	err_clear(&e);
}

static bool file_equals(const char *path, const struct buf *want)
{
	struct buf got = BUF_INIT;
	struct err e = ERR_INIT;
	bool ok = os_read_file(path, &got, 0, &e) == 0 && got.len == want->len &&
	          memcmp(got.data, want->data, got.len) == 0;
	err_clear(&e);
	buf_release(&got);
	return ok;
}

static void set_mtime(const char *path, int64_t ns)
{
	struct timespec ts[2] = {{ns / 1000000000, ns % 1000000000}, {ns / 1000000000, ns % 1000000000}};
	CHECK(utimensat(AT_FDCWD, path, ts, 0) == 0);
}

static struct work_cache *open_or_die(const char *dir)
{
	struct work_cache *c = NULL;
	struct err e = ERR_INIT;
	if (work_cache_open(dir, &c, &e) < 0 || !c) {
		fprintf(stderr, "open %s: %s\n", dir, err_msg(&e));
		exit(2);
	}
	return c;
}

/* ---- stderr capture -------------------------------------------------------- */

static int saved_stderr = -1;
static char *capture_path;

static void capture_begin(void)
{
	int fd;
	fflush(stderr);
	saved_stderr = dup(2);
	fd = open(capture_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	dup2(fd, 2);
	close(fd);
}

/* capture_end restores stderr and returns what was written (heap). */
static char *capture_end(void)
{
	struct buf b = BUF_INIT;
	struct err e = ERR_INIT;
	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	if (os_read_file(capture_path, &b, 0, &e) < 0)
		err_clear(&e);
	return buf_detach(&b);
}

/* ---- tests ------------------------------------------------------------------- */

static void test_parse_size(void)
{
	static const struct {
		const char *in;
		int rc;
		uint64_t want;
	} cases[] = {
		{"0", 0, 0}, {"123", 0, 123}, {"123B", 0, 123}, {"1K", 0, 1024}, {"1k", 0, 1024},
		{"2KiB", 0, 2048}, {"2KB", 0, 2048}, {"10M", 0, 10u << 20}, {"10G", 0, (uint64_t)10 << 30},
		{"1T", 0, (uint64_t)1 << 40}, {"", -1, 0}, {"x", -1, 0}, {"-1", -1, 0}, {"1X", -1, 0},
		{"1KK", -1, 0}, {"1iB", -1, 0}, {" 1", -1, 0}, {"18446744073709551615", 0, UINT64_MAX},
		{"18446744073709551616", -1, 0}, {"17179869184G", -1, 0},
	};
	for (size_t i = 0; i < countof(cases); i++) {
		uint64_t v = 0;
		int rc = work_cache_parse_size(cases[i].in, &v);
		T_INTEQ(rc, cases[i].rc, "parse_size(%s)", cases[i].in);
		if (rc == 0)
			T_TRUE(v == cases[i].want, "parse_size(%s) = %llu", cases[i].in, (unsigned long long)v);
	}
	setenv("GOTOOLCACHESIZE", "5M", 1);
	T_TRUE(work_cache_max_bytes() == 5u << 20, "GOTOOLCACHESIZE=5M");
	setenv("GOTOOLCACHESIZE", "lots", 1);
	T_TRUE(work_cache_max_bytes() == WORK_CACHE_DEFAULT_MAX_BYTES, "bad GOTOOLCACHESIZE: default");
	unsetenv("GOTOOLCACHESIZE");
	T_TRUE(work_cache_max_bytes() == WORK_CACHE_DEFAULT_MAX_BYTES, "unset GOTOOLCACHESIZE");
}

static void test_default_dir(void)
{
	static const struct {
		const char *gotoolcache, *xdg, *home, *want, *why;
	} cases[] = {
		{"off", NULL, "/h", NULL, "GOTOOLCACHE=off"},
		{"rel/dir", NULL, "/h", NULL, "GOTOOLCACHE=rel/dir is not an absolute path"},
		{"/abs/c", NULL, "/h", "/abs/c/build", NULL},
		{"", "/xdg", "/h", "/xdg/gotool/build", NULL},
		{NULL, NULL, "/h", "/h/.cache/gotool/build", NULL},
	};
	char *old_xdg = getenv("XDG_CACHE_HOME") ? xstrdup(getenv("XDG_CACHE_HOME")) : NULL;
	char *old_home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;

	for (size_t i = 0; i < countof(cases); i++) {
		char *why = NULL, *dir;
		if (cases[i].gotoolcache)
			setenv("GOTOOLCACHE", cases[i].gotoolcache, 1);
		else
			unsetenv("GOTOOLCACHE");
		if (cases[i].xdg)
			setenv("XDG_CACHE_HOME", cases[i].xdg, 1);
		else
			unsetenv("XDG_CACHE_HOME");
		setenv("HOME", cases[i].home, 1);
		dir = work_cache_default_dir(&why);
		T_STREQ(dir, cases[i].want, "default dir, case %zu", i);
		T_STREQ(why, cases[i].why, "why, case %zu", i);
		free(dir);
		free(why);
	}
	/* GOTOOLCACHE=off: open(NULL) succeeds with no cache */
	{
		struct work_cache *c = (struct work_cache *)1;
		struct err e = ERR_INIT;
		setenv("GOTOOLCACHE", "off", 1);
		T_INTEQ(work_cache_open(NULL, &c, &e), 0, "open with GOTOOLCACHE=off");
		T_TRUE(c == NULL, "GOTOOLCACHE=off gives no cache");
		work_cache_close(c);
	}
	unsetenv("GOTOOLCACHE");
	if (old_xdg)
		setenv("XDG_CACHE_HOME", old_xdg, 1);
	if (old_home)
		setenv("HOME", old_home, 1);
	free(old_xdg);
	free(old_home);
}

static void test_put_get(void)
{
	char *dir = path_join(tmpdir, "pg");
	struct work_cache *c = open_or_die(dir);
	struct work_cache_entry en = {0};
	struct work_cache_stats st;
	struct work_cache_report rep;
	struct err e = ERR_INIT;
	unsigned char aid[32], aid2[32], aid3[32], want[32];
	struct buf data = BUF_INIT, other = BUF_INIT;
	char *src = path_join(tmpdir, "src.bin");

	aid_of(1, aid);
	aid_of(2, aid2);
	aid_of(3, aid3);
	content_of(1, &data);
	content_of(2, &other);
	T_INTEQ(work_cache_get(c, aid, &en, &e), 0, "get before put misses");
	T_INTEQ(work_cache_put_bytes(c, aid, data.data, data.len, &en, &e), 0, "put_bytes: %s", err_msg(&e));
	hash_sha256(data.data, data.len, want);
	T_TRUE(memcmp(en.output_id, want, 32) == 0, "output id is the content's SHA-256");
	T_TRUE(en.size == data.len, "put size");
	work_cache_entry_release(&en);
	T_INTEQ(work_cache_get(c, aid, &en, &e), 1, "get after put hits");
	T_TRUE(en.path && file_equals(en.path, &data), "blob holds the bytes");
	{
		char hex[65], *suffix;
		hash_hex(want, 32, hex);
		suffix = xasprintf("/%.2s/%s", hex, hex);
		T_TRUE(en.path && has_suffix(en.path, suffix), "blob path <xx>/<hex>: %s", en.path ? en.path : "");
		free(suffix);
	}
	work_cache_entry_release(&en);
	/* the same content under another action id shares the blob */
	write_file(src, data.data, data.len);
	T_INTEQ(work_cache_put_file(c, aid2, src, &en, &e), 0, "put_file: %s", err_msg(&e));
	T_TRUE(memcmp(en.output_id, want, 32) == 0, "put_file output id");
	work_cache_entry_release(&en);
	/* replacing an action's output */
	T_INTEQ(work_cache_put_bytes(c, aid3, data.data, data.len, NULL, &e), 0, "put aid3");
	T_INTEQ(work_cache_put_bytes(c, aid3, other.data, other.len, NULL, &e), 0, "re-put aid3");
	T_INTEQ(work_cache_get(c, aid3, &en, &e), 1, "get aid3");
	T_TRUE(en.path && file_equals(en.path, &other), "aid3 holds its new output");
	work_cache_entry_release(&en);
	T_INTEQ(work_cache_stats(c, 20, &st, &e), 0, "stats");
	T_INTEQ(st.entries, 3, "entries");
	T_INTEQ(st.blobs, 2, "blobs (one shared)");
	T_INTEQ(st.bytes, data.len + other.len, "bytes");
	{
		struct work_cache_counters k;
		work_cache_counters(c, &k);
		T_INTEQ(k.hits, 2, "hits this run");
		T_INTEQ(k.misses, 1, "misses this run");
		T_INTEQ(k.puts, 4, "puts this run");
	}
	work_cache_close(c);

	/* persistence, and the run was recorded */
	c = open_or_die(dir);
	T_INTEQ(work_cache_get(c, aid2, &en, &e), 1, "get after reopen");
	T_TRUE(en.path && file_equals(en.path, &data), "blob after reopen");
	T_TRUE(en.buildid == NULL, "no build id noted yet");
	/* a noted build id belongs to the blob: every action naming it sees it */
	work_cache_note_buildid(c, en.output_id, "abc/def");
	work_cache_entry_release(&en);
	T_INTEQ(work_cache_flush(c, &e), 0, "flush the note");
	T_INTEQ(work_cache_get(c, aid, &en, &e), 1, "get aid (same blob)");
	T_STREQ(en.buildid, "abc/def", "noted build id");
	work_cache_entry_release(&en);
	T_TRUE(en.buildid == NULL && en.path == NULL, "release clears the entry");
	T_INTEQ(work_cache_get(c, aid3, &en, &e), 1, "get aid3 (other blob)");
	T_TRUE(en.buildid == NULL, "other blob has no note");
	work_cache_entry_release(&en);
	T_INTEQ(work_cache_stats(c, 20, &st, &e), 0, "stats after reopen");
	T_INTEQ(st.runs, 1, "one run recorded");
	T_INTEQ(st.hits, 2, "recorded hits");
	T_INTEQ(st.misses, 1, "recorded misses");

	/* a missing blob is a miss, and its rows go */
	T_INTEQ(work_cache_get(c, aid3, &en, &e), 1, "get aid3 again");
	CHECK(en.path != NULL);
	T_INTEQ(unlink(en.path), 0, "remove blob");
	work_cache_entry_release(&en);
	T_INTEQ(work_cache_get(c, aid3, &en, &e), 0, "missing blob misses");
	T_INTEQ(work_cache_flush(c, &e), 0, "flush");
	memset(&rep, 0, sizeof rep);
	T_INTEQ(work_cache_verify(c, &rep, &e), 0, "verify");
	T_INTEQ(rep.problems.n, 0, "no problems after a missing blob was dropped");
	T_INTEQ(rep.entries, 2, "entries left");
	work_cache_report_release(&rep);
	work_cache_close(c);

	/* clean empties it */
	c = open_or_die(dir);
	T_INTEQ(work_cache_clean(c, &e), 0, "clean: %s", err_msg(&e));
	T_INTEQ(work_cache_get(c, aid, &en, &e), 0, "miss after clean");
	T_INTEQ(work_cache_stats(c, 20, &st, &e), 0, "stats after clean");
	T_INTEQ(st.entries + st.blobs + st.bytes + st.runs, 0, "empty after clean");
	work_cache_close(c);
	buf_release(&data);
	buf_release(&other);
	free(src);
	free(dir);
}

static void test_corrupt(void)
{
	char *dir = path_join(tmpdir, "corrupt");
	struct work_cache *c = open_or_die(dir);
	struct work_cache_entry en = {0};
	struct work_cache_report rep;
	struct err e = ERR_INIT;
	unsigned char a1[32], a2[32], a3[32], a4[32];
	struct buf d1 = BUF_INIT, d3 = BUF_INIT, d4 = BUF_INIT;
	char *p1 = NULL, *p3 = NULL, *p4 = NULL, *out, hex[65], *want;

	aid_of(10, a1);
	aid_of(11, a2);
	aid_of(12, a3);
	aid_of(13, a4);
	content_of(10, &d1);
	content_of(12, &d3);
	content_of(13, &d4);
	CHECK(work_cache_put_bytes(c, a1, d1.data, d1.len, &en, &e) == 0);
	p1 = xstrdup(en.path);
	hash_hex(en.output_id, 32, hex);
	work_cache_entry_release(&en);
	CHECK(work_cache_put_bytes(c, a2, d1.data, d1.len, NULL, &e) == 0); /* shares the blob */
	CHECK(work_cache_put_bytes(c, a3, d3.data, d3.len, &en, &e) == 0);
	p3 = xstrdup(en.path);
	work_cache_entry_release(&en);
	CHECK(work_cache_put_bytes(c, a4, d4.data, d4.len, &en, &e) == 0);
	p4 = xstrdup(en.path);
	work_cache_entry_release(&en);

	/* same size, different bytes: the stat changed, so get re-hashes */
	d1.data[0] ^= 1;
	write_file(p1, d1.data, d1.len);
	d1.data[0] ^= 1;
	capture_begin();
	T_INTEQ(work_cache_get(c, a1, &en, &e), 0, "corrupt blob is a miss");
	T_INTEQ(work_cache_get(c, a2, &en, &e), 0, "other action on the corrupt blob misses");
	T_INTEQ(work_cache_get(c, a1, &en, &e), 0, "still a miss");
	out = capture_end();
	want = xasprintf("%s: cache: removed corrupt entry %s\n", prog_name, hex);
	T_STREQ(out, want, "reported once");
	free(want);
	free(out);
	T_TRUE(!os_exists(p1), "corrupt blob removed");

	/* a truncated blob (size check) */
	write_file(p3, d3.data, d3.len / 2);
	capture_begin();
	T_INTEQ(work_cache_get(c, a3, &en, &e), 0, "truncated blob is a miss");
	out = capture_end();
	T_TRUE(strstr(out, "removed corrupt entry") != NULL, "truncation reported: %s", out);
	free(out);
	{
		struct work_cache_counters k;
		work_cache_counters(c, &k);
		T_INTEQ(k.corrupt, 2, "corrupt count (a1, a3; a2 then found the blob gone)");
	}
	/* a re-put restores the entry */
	CHECK(work_cache_put_bytes(c, a1, d1.data, d1.len, NULL, &e) == 0);
	T_INTEQ(work_cache_get(c, a1, &en, &e), 1, "hit after re-put");
	work_cache_entry_release(&en);
	T_INTEQ(work_cache_flush(c, &e), 0, "flush");

	/* verify hashes every blob: corrupt a4's bytes and look only with verify */
	d4.data[d4.len - 1] ^= 0x80;
	write_file(p4, d4.data, d4.len);
	memset(&rep, 0, sizeof rep);
	T_INTEQ(work_cache_verify(c, &rep, &e), 0, "verify runs");
	T_INTEQ(rep.problems.n, 1, "verify finds the corrupt blob");
	if (rep.problems.n)
		T_TRUE(has_prefix(rep.problems.v[0], "corrupt blob "), "problem text: %s", rep.problems.v[0]);
	work_cache_report_release(&rep);
	memset(&rep, 0, sizeof rep);
	T_INTEQ(work_cache_verify(c, &rep, &e), 0, "verify again");
	T_INTEQ(rep.problems.n, 0, "verify repaired it");
	T_INTEQ(rep.entries, 2, "a1, a2 left");
	work_cache_report_release(&rep);
	T_INTEQ(work_cache_get(c, a4, &en, &e), 0, "verified-away entry misses");
	work_cache_close(c);
	buf_release(&d1);
	buf_release(&d3);
	buf_release(&d4);
	free(p1);
	free(p3);
	free(p4);
	free(dir);
}

static void test_schema(void)
{
	char *dir = path_join(tmpdir, "schema"), *db = path_join(dir, "index.db");
	struct work_cache *c = open_or_die(dir);
	struct work_cache_entry en = {0};
	struct err e = ERR_INIT;
	unsigned char aid[32];
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;
	char *out;

	aid_of(20, aid);
	CHECK(work_cache_put_bytes(c, aid, "hello", 5, NULL, &e) == 0);
	work_cache_close(c);
	/* an index from another gotool: unknown version and a table we do not know */
	CHECK(sqlite3_open(db, &h) == SQLITE_OK);
	CHECK(sqlite3_exec(h, "CREATE TABLE future(x); PRAGMA user_version = 99", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(h);
	c = open_or_die(dir);
	T_INTEQ(work_cache_get(c, aid, &en, &e), 0, "recreated index: a miss");
	T_INTEQ(work_cache_put_bytes(c, aid, "hello", 5, NULL, &e), 0, "put into the recreated index");
	T_INTEQ(work_cache_get(c, aid, &en, &e), 1, "hit after put");
	work_cache_entry_release(&en);
	work_cache_close(c);
	CHECK(sqlite3_open(db, &h) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(h, "SELECT (SELECT user_version FROM pragma_user_version), "
	                            "(SELECT count(*) FROM sqlite_master WHERE name = 'future')", -1, &s, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(s) == SQLITE_ROW);
	T_INTEQ(sqlite3_column_int(s, 0), 2, "schema version rewritten");
	T_INTEQ(sqlite3_column_int(s, 1), 0, "unknown table dropped");
	sqlite3_finalize(s);
	sqlite3_close(h);

	/* a damaged file: recreated, with one line on stderr */
	write_file(db, "this is not a database, not at all, no............................................"
	               "................................................................................",
	           160);
	capture_begin();
	c = NULL;
	T_INTEQ(work_cache_open(dir, &c, &e), 0, "open a damaged index: %s", err_msg(&e));
	out = capture_end();
	T_TRUE(strstr(out, "damaged; recreated") != NULL, "damage reported: %s", out);
	free(out);
	if (c) {
		T_INTEQ(work_cache_get(c, aid, &en, &e), 0, "miss in the new index");
		T_INTEQ(work_cache_put_bytes(c, aid, "hello", 5, NULL, &e), 0, "put after recreate");
		T_INTEQ(work_cache_get(c, aid, &en, &e), 1, "hit after recreate");
		work_cache_entry_release(&en);
		work_cache_close(c);
	}
	free(db);
	free(dir);
}

static void test_trim(void)
{
	char *dir = path_join(tmpdir, "trim");
	struct work_cache *c = open_or_die(dir);
	struct work_cache_entry en = {0};
	struct work_cache_report rep;
	struct err e = ERR_INIT;
	unsigned char a[4][32];
	char blob[100], *orphan_old, *orphan_new, *tmp_dead, *paths[4] = {0};
	int64_t t0 = realnow(), min = INT64_C(60) * 1000000000;

	for (int i = 0; i < 4; i++) {
		aid_of(30 + i, a[i]);
		memset(blob, 'a' + i, sizeof blob);
		work_cache_set_now(c, t0 + i * min);
		CHECK(work_cache_put_bytes(c, a[i], blob, sizeof blob, &en, &e) == 0);
		paths[i] = xstrdup(en.path);
		work_cache_entry_release(&en);
	}
	/* a hit 20 minutes later refreshes entry 0 (touch interval is 10m) */
	work_cache_set_now(c, t0 + 20 * min);
	T_INTEQ(work_cache_get(c, a[0], &en, &e), 1, "get 0");
	work_cache_entry_release(&en);
	T_INTEQ(work_cache_flush(c, &e), 0, "flush");
	/* LRU order is now 1, 2, 3, 0 */
	memset(&rep, 0, sizeof rep);
	T_INTEQ(work_cache_trim(c, 250, &rep, &e), 0, "trim to 250: %s", err_msg(&e));
	T_INTEQ(rep.removed_blobs, 2, "two blobs removed");
	T_INTEQ(rep.removed_entries, 2, "two entries removed");
	T_INTEQ(rep.bytes, 200, "200 bytes left");
	work_cache_report_release(&rep);
	T_INTEQ(work_cache_get(c, a[1], &en, &e), 0, "oldest (1) trimmed");
	T_INTEQ(work_cache_get(c, a[2], &en, &e), 0, "next (2) trimmed");
	T_TRUE(!os_exists(paths[1]) && !os_exists(paths[2]), "trimmed blob files removed");
	/* look without refreshing: 3 was used 2 minutes before "now" */
	work_cache_set_now(c, t0 + 5 * min);
	T_INTEQ(work_cache_get(c, a[3], &en, &e), 1, "3 kept");
	work_cache_entry_release(&en);
	T_INTEQ(work_cache_get(c, a[0], &en, &e), 1, "recently used 0 kept");
	work_cache_entry_release(&en);
	memset(&rep, 0, sizeof rep);
	T_INTEQ(work_cache_trim(c, 100, &rep, &e), 0, "trim to 100");
	work_cache_report_release(&rep);
	T_INTEQ(work_cache_get(c, a[3], &en, &e), 0, "3 trimmed before 0");
	T_INTEQ(work_cache_get(c, a[0], &en, &e), 1, "0 kept");
	work_cache_entry_release(&en);

	/* the sweep: an old orphan goes, a young one stays (a put may be
	 * between its rename and its commit), a dead writer's temp file goes */
	orphan_old = path_join(dir, "ab/ab00000000000000000000000000000000000000000000000000000000000000");
	orphan_new = path_join(dir, "ab/ab11111111111111111111111111111111111111111111111111111111111111");
	tmp_dead = path_join(dir, ".tmp-999999999-0-00000000");
	{
		char *ab = path_join(dir, "ab");
		mkdir(ab, 0777);
		free(ab);
	}
	write_file(orphan_old, "x", 1);
	write_file(orphan_new, "y", 1);
	write_file(tmp_dead, "z", 1);
	work_cache_set_now(c, 0);
	set_mtime(orphan_old, realnow() - 60 * min);
	memset(&rep, 0, sizeof rep);
	T_INTEQ(work_cache_trim(c, UINT64_MAX, &rep, &e), 0, "sweep");
	T_INTEQ(rep.removed_orphans, 1, "old orphan removed");
	T_INTEQ(rep.removed_temps, 1, "dead temp removed");
	T_INTEQ(rep.removed_blobs, 0, "nothing trimmed under the cap");
	work_cache_report_release(&rep);
	T_TRUE(!os_exists(orphan_old) && os_exists(orphan_new) && !os_exists(tmp_dead), "sweep result");
	work_cache_close(c);

	/* the cap applied at close: GOTOOLCACHESIZE */
	setenv("GOTOOLCACHESIZE", "1000", 1);
	c = open_or_die(dir);
	for (int i = 0; i < 30; i++) {
		unsigned char aid[32];
		aid_of(100 + i, aid);
		work_cache_set_now(c, realnow() + i * min);
		snprintf(blob, sizeof blob, "%d", i);
		memset(blob + strlen(blob), '.', sizeof blob - strlen(blob));
		CHECK(work_cache_put_bytes(c, aid, blob, sizeof blob, NULL, &e) == 0);
	}
	work_cache_close(c);
	unsetenv("GOTOOLCACHESIZE");
	c = open_or_die(dir);
	{
		struct work_cache_stats st;
		unsigned char aid[32];
		T_INTEQ(work_cache_stats(c, 20, &st, &e), 0, "stats");
		T_TRUE(st.bytes <= 900, "close trimmed to 90%% of the cap: %llu", (unsigned long long)st.bytes);
		aid_of(129, aid);
		T_INTEQ(work_cache_get(c, aid, &en, &e), 1, "newest kept");
		work_cache_entry_release(&en);
		aid_of(100, aid);
		T_INTEQ(work_cache_get(c, aid, &en, &e), 0, "oldest trimmed");
	}
	work_cache_close(c);
	for (int i = 0; i < 4; i++)
		free(paths[i]);
	free(orphan_old);
	free(orphan_new);
	free(tmp_dead);
	free(dir);
}

static void test_memo(void)
{
	char *dir = path_join(tmpdir, "memo"), *f = path_join(tmpdir, "memo.txt");
	struct work_cache *c = open_or_die(dir);
	struct work_cache_counters k;
	struct err e = ERR_INIT;
	unsigned char sum[32], want[32];
	int64_t now;

	write_file(f, "version A", 9);
	hash_sha256("version A", 9, want);
	/* racy: written in this tick, then changed in the same tick with the
	 * same size (git's t0010-racy-git): must never give the old hash */
	T_INTEQ(work_cache_file_hash(c, f, sum, &e), 0, "hash A: %s", err_msg(&e));
	T_TRUE(memcmp(sum, want, 32) == 0, "hash A");
	write_file(f, "version B", 9);
	hash_sha256("version B", 9, want);
	T_INTEQ(work_cache_file_hash(c, f, sum, &e), 0, "hash B");
	T_TRUE(memcmp(sum, want, 32) == 0, "same-size change in the same tick is seen");

	/* once the file is older than the record, the memo is trusted */
	sleep_ms(30);
	work_cache_counters(c, &k);
	T_INTEQ(work_cache_file_hash(c, f, sum, &e), 0, "hash after a tick");
	T_INTEQ(work_cache_file_hash(c, f, sum, &e), 0, "hash again");
	{
		struct work_cache_counters k2;
		work_cache_counters(c, &k2);
		T_INTEQ(k2.memo_hits - k.memo_hits, 1, "second look-up served by the memo");
		T_TRUE(memcmp(sum, want, 32) == 0, "memo hash");
	}
	work_cache_close(c);

	/* persisted across runs */
	c = open_or_die(dir);
	T_INTEQ(work_cache_file_hash(c, f, sum, &e), 0, "hash in a new run");
	work_cache_counters(c, &k);
	T_INTEQ(k.memo_hits, 1, "memo record from the index");
	T_TRUE(memcmp(sum, want, 32) == 0, "persisted hash");

	/* an mtime in the future is never older than the record: re-hashed */
	now = realnow();
	set_mtime(f, now + INT64_C(3600) * 1000000000);
	sleep_ms(30);
	T_INTEQ(work_cache_file_hash(c, f, sum, &e), 0, "future mtime 1");
	T_INTEQ(work_cache_file_hash(c, f, sum, &e), 0, "future mtime 2");
	work_cache_counters(c, &k);
	T_INTEQ(k.memo_hashed, 2, "future mtime re-hashed every time");
	/* a change that keeps size and mtime: ctime differs */
	write_file(f, "version C", 9);
	set_mtime(f, now + INT64_C(3600) * 1000000000);
	hash_sha256("version C", 9, want);
	T_INTEQ(work_cache_file_hash(c, f, sum, &e), 0, "hash C");
	T_TRUE(memcmp(sum, want, 32) == 0, "content change with the same mtime is seen");
	/* errors */
	T_INTEQ(work_cache_file_hash(c, "/nonexistent/file", sum, &e), -1, "missing file");
	T_STREQ(err_msg(&e), "open /nonexistent/file: no such file or directory", "missing file text");
	err_clear(&e);
	work_cache_close(c);
	free(f);
	free(dir);
}

static void test_speed(void)
{
	char *dir = path_join(tmpdir, "speed"), *fdir = path_join(tmpdir, "speedfiles");
	struct work_cache *c = open_or_die(dir);
	struct work_cache_counters k;
	struct work_cache_entry en = {0};
	struct err e = ERR_INIT;
	char *files[1000];
	unsigned char sum[32];
	struct timespec a, b;
	double ms = 0;
	int ok = 0;

	CHECK(os_mkdir_all(fdir, 0777, &e) == 0);
	for (int i = 0; i < 1000; i++) {
		unsigned char aid[32];
		char body[64];
		int n = snprintf(body, sizeof body, "package p%d\n", i);
		files[i] = xasprintf("%s/f%d.go", fdir, i);
		write_file(files[i], body, (size_t)n);
		aid_of(1000 + i, aid);
		CHECK(work_cache_put_bytes(c, aid, body, (size_t)n, NULL, &e) == 0);
	}
	sleep_ms(30);
	for (int i = 0; i < 1000; i++)
		CHECK(work_cache_file_hash(c, files[i], sum, &e) == 0);
	work_cache_close(c);

	/* best of three fresh handles (the machine is shared); each handle
	 * reads the memo records from the index, as a new gotool run does */
	for (int round = 0; round < 3; round++) {
		double gms, hms;
		c = open_or_die(dir);
		ok = 0;
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (int i = 0; i < 1000; i++) {
			unsigned char aid[32];
			aid_of(1000 + i, aid);
			ok += work_cache_get(c, aid, &en, &e) == 1;
			work_cache_entry_release(&en);
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		gms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
		for (int i = 0; i < 1000; i++)
			CHECK(work_cache_file_hash(c, files[i], sum, &e) == 0);
		clock_gettime(CLOCK_MONOTONIC, &a);
		hms = (double)(a.tv_sec - b.tv_sec) * 1e3 + (double)(a.tv_nsec - b.tv_nsec) / 1e6;
		work_cache_counters(c, &k);
		T_INTEQ(ok, 1000, "1000 hits");
		T_INTEQ(k.memo_hits, 1000, "1000 memo hits");
		printf("round %d: 1000 gets %.2f ms, 1000 memo look-ups %.2f ms\n", round, gms, hms);
		if (round == 0 || gms + hms < ms)
			ms = gms + hms;
		work_cache_close(c);
	}
	/* generous bound: sanitizer builds are several times slower */
	T_TRUE(ms < 500, "1000 gets + 1000 memo look-ups took %.1f ms", ms);
	for (int i = 0; i < 1000; i++)
		free(files[i]);
	free(fdir);
	free(dir);
}

/* ---- the e2e driver -------------------------------------------------------------- */

/* parse_count parses a non-negative decimal argument (atoi is banned). */
static int parse_count(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == 0 || *end != 0 || v < 0 || v > 1000000) {
		fprintf(stderr, "cache_test: bad number %s\n", s);
		exit(2);
	}
	return (int)v;
}

static unsigned long rng_state;
static unsigned long rng(void)
{
	rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
	return rng_state >> 33;
}

static void shuffle(int *v, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = (int)(rng() % (unsigned long)(i + 1)), t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

/* check_get gets entry i: returns 1 hit (content checked), 0 miss, -1 bad. */
static int check_get(struct work_cache *c, int i, struct buf *want)
{
	struct work_cache_entry en = {0};
	struct err e = ERR_INIT;
	unsigned char aid[32];
	int rc;

	aid_of(i, aid);
	content_of(i, want);
	rc = work_cache_get(c, aid, &en, &e);
	if (rc < 0) {
		fprintf(stderr, "get %d: %s\n", i, err_msg(&e));
		err_clear(&e);
		return -1;
	}
	if (rc == 1 && !file_equals(en.path, want)) {
		fprintf(stderr, "get %d: blob %s has the wrong content\n", i, en.path);
		rc = -1;
	}
	work_cache_entry_release(&en);
	return rc;
}

static int do_put(struct work_cache *c, int i, struct buf *data, const char *src)
{
	struct err e = ERR_INIT;
	unsigned char aid[32];
	int rc;

	aid_of(i, aid);
	content_of(i, data);
	if (i % 2) {
		write_file(src, data->data, data->len);
		rc = work_cache_put_file(c, aid, src, NULL, &e);
	} else {
		rc = work_cache_put_bytes(c, aid, data->data, data->len, NULL, &e);
	}
	if (rc < 0) {
		fprintf(stderr, "put %d: %s\n", i, err_msg(&e));
		err_clear(&e);
	}
	return rc;
}

static int driver(int argc, char **argv)
{
	struct work_cache *c = NULL;
	struct buf data = BUF_INIT;
	int n = argc > 3 ? parse_count(argv[3]) : 0;
	int rc = 0, hits = 0, misses = 0;
	char *src = NULL;
	int *order = NULL;

	if (argc < 4)
		goto usage;
	rng_state = argc > 4 ? (unsigned long)parse_count(argv[4]) + 1 : 1;
	c = open_or_die(argv[2]);
	src = xasprintf("%s.src-%ld", argv[2], (long)getpid());
	order = xcalloc((size_t)(n > 0 ? n : 1), sizeof *order);
	for (int i = 0; i < n; i++)
		order[i] = i;
	shuffle(order, n);
	if (strcmp(argv[1], "put") == 0) {
		for (int k = 0; k < n && rc == 0; k++)
			rc = do_put(c, order[k], &data, src) < 0;
	} else if (strcmp(argv[1], "get") == 0) {
		for (int i = 0; i < n && rc == 0; i++) {
			int r = check_get(c, i, &data);
			rc = r < 0;
			hits += r == 1;
			misses += r == 0;
		}
		printf("hits=%d misses=%d\n", hits, misses);
	} else if (strcmp(argv[1], "mix") == 0) {
		/* first pass: random puts and gets; second: every entry is put,
		 * each followed by a get of a random one */
		for (int k = 0; k < 2 * n && rc == 0; k++) {
			int i = order[k % n];
			if (k >= n || rng() % 2) {
				rc = do_put(c, i, &data, src) < 0;
				i = (int)(rng() % (unsigned long)n);
			}
			if (rc == 0) {
				int r = check_get(c, i, &data);
				rc = r < 0;
				hits += r == 1;
			}
		}
	} else if (strcmp(argv[1], "path") == 0) {
		struct work_cache_entry en = {0};
		struct err e = ERR_INIT;
		unsigned char aid[32];
		aid_of(n, aid);
		if (work_cache_get(c, aid, &en, &e) != 1) {
			rc = 1;
		} else {
			printf("%s\n", en.path);
			work_cache_entry_release(&en);
		}
	} else {
		work_cache_close(c);
		free(order);
		goto usage;
	}
	if (src)
		unlink(src);
	work_cache_close(c);
	buf_release(&data);
	free(src);
	free(order);
	return rc;
usage:
	fprintf(stderr, "usage: cache_test put|get|mix DIR N [SEED] | path DIR I\n");
	return 2;
}

int main(int argc, char **argv)
{
	char tmpl[] = "/tmp/cache_test.XXXXXX";
	struct err e = ERR_INIT;

	if (argc > 1)
		return driver(argc, argv);
	unsetenv("GOTOOLCACHESIZE");
	tmpdir = mkdtemp(tmpl);
	CHECK(tmpdir != NULL);
	capture_path = path_join(tmpdir, "stderr.txt");
	test_parse_size();
	test_default_dir();
	test_put_get();
	test_corrupt();
	test_schema();
	test_trim();
	test_memo();
	test_speed();
	free(capture_path);
	if (os_remove_all(tmpdir, &e) < 0)
		err_clear(&e);
	return test_exit();
}
