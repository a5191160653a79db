/* Unit tables for runtime: paths (Go's path/filepath tests), buf, map, arena. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/runtime.h"
#include "test.h"

/* From Go's path/filepath cleantests (Unix rows). */
static const struct {
	const char *in, *want;
} clean_tests[] = {
	{"abc", "abc"}, {"abc/def", "abc/def"}, {"a/b/c", "a/b/c"}, {".", "."}, {"..", ".."},
	{"../..", "../.."}, {"../../abc", "../../abc"}, {"/abc", "/abc"}, {"/", "/"},
	{"", "."}, {"abc/", "abc"}, {"abc/def/", "abc/def"}, {"a/b/c/", "a/b/c"}, {"./", "."},
	{"../", ".."}, {"../../", "../.."}, {"/abc/", "/abc"}, {"abc//def//ghi", "abc/def/ghi"},
	{"//abc", "/abc"}, {"///abc", "/abc"}, {"//abc//", "/abc"}, {"abc//", "abc"},
	{"abc/./def", "abc/def"}, {"/./abc/def", "/abc/def"}, {"abc/.", "abc"},
	{"abc/def/ghi/../jkl", "abc/def/jkl"}, {"abc/def/../ghi/../jkl", "abc/jkl"},
	{"abc/def/..", "abc"}, {"abc/def/../..", "."}, {"/abc/def/../..", "/"},
	{"abc/def/../../..", ".."}, {"/abc/def/../../..", "/"}, {"abc/def/../../../ghi/jkl/../../../mno", "../../mno"},
	{"/../abc", "/abc"}, {"a/../b:/../../c", "../c"},
	{"abc/./../def", "def"}, {"abc//./../def", "def"}, {"abc/../../././../def", "../../def"},
};

static void test_clean(void)
{
	for (size_t i = 0; i < countof(clean_tests); i++) {
		char *got = path_clean(clean_tests[i].in);
		T_STREQ(got, clean_tests[i].want, "path_clean(%s)", clean_tests[i].in);
		free(got);
	}
	char *j = path_join("a/b", "../c");
	T_STREQ(j, "a/c", "path_join");
	free(j);
	char *d = path_dir("/a/b/c.go");
	T_STREQ(d, "/a/b", "path_dir");
	free(d);
	T_STREQ(path_ext("a/b.tar.gz"), ".gz", "path_ext");
	T_STREQ(path_ext("a.b/c"), "", "path_ext no ext");
	T_TRUE(path_has_prefix_dir("/a/b/c", "/a/b"), "prefix dir");
	T_TRUE(!path_has_prefix_dir("/a/bc", "/a/b"), "prefix dir partial");
}

static void test_buf(void)
{
	struct buf b = BUF_INIT;

	T_STREQ(buf_cstr(&b), "", "empty buf");
	buf_printf(&b, "%s-%d", "x", 42);
	for (int i = 0; i < 1000; i++)
		buf_addch(&b, 'a');
	T_INTEQ(b.len, 1004, "buf len");
	T_TRUE(b.data[b.len] == 0, "nul terminated");
	buf_release(&b);

	b.limit = 4;
	buf_adds(&b, "abc");
	buf_adds(&b, "de");
	T_TRUE(b.overflow, "limit sets overflow");
	T_STREQ(buf_cstr(&b), "abc", "nothing appended past limit");
	buf_release(&b);
}

static void test_map(void)
{
	struct arena a;
	struct intern in;
	struct map m;
	char key[32];

	arena_init(&a);
	intern_init(&in, &a);
	map_init(&m);
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		map_put(&m, intern_str(&in, key), (void *)(intptr_t)(i + 1));
	}
	T_INTEQ(m.n, 5000, "map size");
	T_INTEQ((intptr_t)map_get(&m, "k4321"), 4322, "map get");
	T_TRUE(map_get(&m, "nope") == NULL, "map miss");
	T_TRUE(intern_str(&in, "k7") == intern_str(&in, "k7"), "interned identity");
	size_t it = 0, count = 0;
	while (map_next(&m, &it, NULL, NULL))
		count++;
	T_INTEQ(count, 5000, "map iteration");
	map_release(&m);
	intern_release(&in);
	arena_release(&a);
}

static void test_readdir(void)
{
	char tmpl[] = "/tmp/gotool-rt-XXXXXX";
	char *dir = mkdtemp(tmpl), *p;
	struct os_dirents ents = {0};
	struct err e = ERR_INIT;
	FILE *f;

	T_TRUE(dir != NULL, "mkdtemp");
	if (!dir)
		return;
	p = path_join(dir, "b.go");
	f = fopen(p, "w");
	if (f)
		fclose(f);
	free(p);
	p = path_join(dir, "a");
	T_INTEQ(os_mkdir_all(p, 0777, &e), 0, "mkdir");
	free(p);
	p = path_join(dir, "c");
	T_INTEQ(symlink("b.go", p), 0, "symlink");
	free(p);
	T_INTEQ(os_readdir_ents(dir, &ents, &e), 0, "readdir_ents");
	T_INTEQ(ents.n, 3, "three entries");
	if (ents.n == 3) {
		T_STREQ(ents.v[0].name, "a", "sorted 0");
		T_INTEQ(ents.v[0].type, OS_FT_DIR, "dir type");
		T_STREQ(ents.v[1].name, "b.go", "sorted 1");
		T_INTEQ(ents.v[1].type, OS_FT_REG, "file type");
		T_INTEQ(ents.v[2].type, OS_FT_LNK, "link type");
	}
	os_dirents_release(&ents);
	T_INTEQ(os_remove_all(dir, &e), 0, "remove_all");
	T_TRUE(!os_exists(dir), "removed");
	T_TRUE(os_readdir_ents(dir, &ents, &e) < 0, "missing dir is an error");
	T_TRUE(strstr(err_msg(&e), "no such file or directory") != NULL, "Go's errno text: %s", err_msg(&e));
	err_clear(&e);
}

/* CRC-32C (Castagnoli): Go's hash/crc32 golden values for the table. */
static void test_crc32c(void)
{
	static const struct {
		const char *in;
		uint32_t want;
	} golden[] = {
		{"", 0x0}, {"a", 0xc1d04330}, {"ab", 0xe2a22936}, {"abc", 0x364b3fb7},
		{"abcd", 0x92c80a31}, {"abcde", 0xc450d697}, {"123456789", 0xe3069283},
		{"Discard medicine more than two years old.", 0xb2cc01fe},
	};
	char big[1000];

	for (size_t i = 0; i < countof(golden); i++) {
		T_INTEQ(hash_crc32c(0, golden[i].in, strlen(golden[i].in)), golden[i].want, "crc32c(%s)", golden[i].in);
		T_INTEQ(hash_crc32c_soft(0, golden[i].in, strlen(golden[i].in)), golden[i].want, "soft crc32c(%s)",
		        golden[i].in);
	}
	/* any split gives the value of the whole (the 8-byte and 1-byte steps) */
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)(i * 7 + 3);
	T_INTEQ(hash_crc32c_soft(0, big, sizeof big), hash_crc32c(0, big, sizeof big), "soft and hardware agree");
	for (size_t cut = 0; cut < 40; cut++)
		T_INTEQ(hash_crc32c(hash_crc32c(0, big, cut), big + cut, sizeof big - cut), hash_crc32c(0, big, sizeof big),
		        "split at %zu", cut);
}

/* Arena blocks are reused after a release, and come back zeroed. */
static void test_arena_reuse(void)
{
	for (int round = 0; round < 3; round++) {
		struct arena a;
		size_t nonzero = 0;
		arena_init(&a);
		for (int i = 0; i < 64; i++) {
			unsigned char *p = arena_alloc(&a, 4000);
			for (size_t k = 0; k < 4000; k++)
				nonzero += p[k] != 0;
			memset(p, 0xa5, 4000);
		}
		T_INTEQ(nonzero, 0, "round %d: arena memory not zeroed", round);
		arena_release(&a);
	}
}

/* os/exec.LookPath's errors for a name with a slash, as go prints them when
 * CC, CXX or FC names a file that is missing, a directory or not executable. */
static void test_go_lookpath(void)
{
	char dir[] = "/tmp/gotool-lookpath-XXXXXX", *file, *want, *path = NULL;
	struct err e = ERR_INIT;

	if (!mkdtemp(dir)) {
		T_TRUE(0, "mkdtemp");
		return;
	}
	file = path_join(dir, "plain");
	T_INTEQ(os_write_file_scratch(file, "x", 1, 0644, &e), 0, "write %s", file);
	err_clear(&e);
	T_INTEQ(proc_go_lookpath("/bin/sh", &path, &e), 0, "lookpath /bin/sh");
	T_STREQ(path, "/bin/sh", "lookpath /bin/sh");
	free(path);
	path = NULL;
	err_clear(&e);
	{
		struct {
			const char *name, *want;
		} rows[] = {
			{"/nonexistent-gotool", "exec: \"/nonexistent-gotool\": stat /nonexistent-gotool: no such file or directory"},
			{"/", "exec: \"/\": is a directory"},
			{file, NULL},
		};
		for (size_t i = 0; i < countof(rows); i++) {
			want = rows[i].want ? xstrdup(rows[i].want) : xasprintf("exec: \"%s\": permission denied", file);
			T_INTEQ(proc_go_lookpath(rows[i].name, &path, &e), -1, "lookpath %s", rows[i].name);
			T_STREQ(err_msg(&e), want, "lookpath %s", rows[i].name);
			free(want);
			free(path);
			path = NULL;
			err_clear(&e);
		}
	}
	unlink(file);
	rmdir(dir);
	free(file);
}

/* Go's time formatTests (format_test.go) for Date(2009, February, 4, 21, 0,
 * 57, 12345600) in a zone -08:00 with no name (the named-zone rows left out),
 * plus the forms list -m's Time takes. */
static const struct {
	const char *layout, *want;
} gotime_tests[] = {
	{"Mon Jan _2 15:04:05 2006", "Wed Feb  4 21:00:57 2009"},
	{"02 Jan 06 15:04 -0700", "04 Feb 09 21:00 -0800"},
	{"2006-01-02T15:04:05Z07:00", "2009-02-04T21:00:57-08:00"},
	{"2006-01-02T15:04:05.999999999Z07:00", "2009-02-04T21:00:57.0123456-08:00"},
	{"3:04PM", "9:00PM"}, {"3pm", "9pm"}, {"3PM", "9PM"}, {"06 01 02", "09 02 04"},
	{"Hi Janet, the Month is January", "Hi Janet, the Month is February"},
	{"Jan _2 15:04:05", "Feb  4 21:00:57"}, {"Jan _2 15:04:05.000000", "Feb  4 21:00:57.012345"},
	{"Jan _2 15:04:05.000000000", "Feb  4 21:00:57.012345600"}, {"2006-01-02 15:04:05", "2009-02-04 21:00:57"},
	{"2006-01-02", "2009-02-04"}, {"15:04:05", "21:00:57"}, {"Jan  2 002 __2 2", "Feb  4 035  35 4"},
	{"2006 6 06 _6 __6 ___6", "2009 6 09 _6 __6 ___6"}, {"Jan January 1 01 _1", "Feb February 2 02 _2"},
	{"2 02 _2 __2", "4 04  4  35"}, {"Mon Monday", "Wed Wednesday"}, {"15 3 03 _3", "21 9 09 _9"},
	{"4 04 _4", "0 00 _0"}, {"5 05 _5", "57 57 _57"}, {"MST -07 -07:00:00 Z0700", "-0800 -08 -08:00:00 -0800"},
	{"05.000 05,00 05.9 05.99999999 05.0123", "57.012 57,01 57 57.0123456 57.0249"},
};

static void test_gotime(void)
{
	struct gotime t, u;
	struct buf b = BUF_INIT;

	T_INTEQ(gotime_parse_rfc3339("2009-02-04T21:00:57.0123456-08:00", &t), 0, "parse");
	for (size_t i = 0; i < countof(gotime_tests); i++) {
		buf_reset(&b);
		gotime_format(&b, &t, gotime_tests[i].layout);
		T_STREQ(buf_cstr(&b), gotime_tests[i].want, "Format(%s)", gotime_tests[i].layout);
	}
	T_INTEQ(gotime_unix(&t), 1233810057, "Unix");
	T_INTEQ(gotime_yday(&t), 35, "YearDay");
	/* list -m's Time: a module .info's UTC time, printed by String */
	T_INTEQ(gotime_parse_rfc3339("2024-01-23T18:54:04Z", &u), 0, "parse Z");
	buf_reset(&b);
	gotime_string(&b, &u);
	T_STREQ(buf_cstr(&b), "2024-01-23 18:54:04 +0000 UTC", "String");
	buf_reset(&b);
	gotime_format(&b, &u, "2006-01-02T15:04:05Z07:00 MST");
	T_STREQ(buf_cstr(&b), "2024-01-23T18:54:04Z UTC", "Z07:00 of UTC");
	buf_reset(&b);
	gotime_string(&b, &t);
	T_STREQ(buf_cstr(&b), "2009-02-04 21:00:57.0123456 -0800 -0800", "String of a fixed zone");
	T_TRUE(gotime_parse_rfc3339("2024-01-23 18:54:04Z", &u) < 0, "no T");
	T_TRUE(gotime_parse_rfc3339("2024-01-23T18:54:04", &u) < 0, "no zone");
	T_TRUE(gotime_parse_rfc3339("2024-13-23T18:54:04Z", &u) < 0, "month 13");
	T_TRUE(gotime_parse_rfc3339("2024-01-23T18:54:04.Z", &u) < 0, "empty fraction");
	buf_release(&b);
}

int main(void)
{
	test_go_lookpath();
	test_gotime();
	test_crc32c();
	test_arena_reuse();
	test_readdir();
	test_clean();
	test_buf();
	test_map();
	return test_exit();
}
