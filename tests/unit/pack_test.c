/*
 * Archive packing as cmd/go's packInternal does it (go1.26
 * cmd/go/internal/work/gc.go): header layout, name cut/padding, the 0x00
 * pad byte, append-only `r`, and the error paths.  There is no Go test
 * table for packInternal; the expected bytes are spelled out per case.
 *
 * Also a driver for tests/e2e/buildid.sh:
 *   pack_test append ARCHIVE OBJ...
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "compile/compile.h"

static char tmpdir[] = "/tmp/pack_test.XXXXXX";

static int drive(int argc, char **argv)
{
	struct err e = ERR_INIT;

	if (argc >= 3 && strcmp(argv[1], "append") == 0) {
		if (compile_pack_append(argv[2], (const char *const *)argv + 3, (size_t)argc - 3, &e) < 0) {
			fprintf(stderr, "%s\n", err_msg(&e));
			return 1;
		}
		return 0;
	}
	fprintf(stderr, "usage: pack_test append ARCHIVE OBJ...\n");
	return 2;
}

static char *write_tmp(const char *name, const void *p, size_t n)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		T_FAIL("write %s", path);
	return path;
}

static void read_back(const char *path, struct buf *b)
{
	struct err e = ERR_INIT;

	buf_reset(b);
	if (os_read_file(path, b, 0, &e) < 0)
		T_FAIL("%s", err_msg(&e));
	err_clear(&e);
}

/* Each case: object files (name, content) appended to "!<arch>\n", and the
 * 60-byte headers go writes for them. */
struct obj {
	const char *name, *content;
	const char *header;
};

static const struct obj objs[] = {
	{"a.o", "abc",
	 "a.o             0           0     0     644     3         `\n"},
	{"even.o", "abcd",
	 "even.o          0           0     0     644     4         `\n"},
	{"sixteen_bytes__o", "",
	 "sixteen_bytes__o0           0     0     644     0         `\n"},
	{"a_very_long_file_name_x.o", "x",
	 "a_very_long_file0           0     0     644     1         `\n"},
	/* 15 ASCII bytes then a 2-byte rune: cut after 16 bytes, mid-rune. */
	{"abcdefghijklmno\xc3\xa9.o", "12345",
	 "abcdefghijklmno\xc3" "0           0     0     644     5         `\n"},
};

static void test_append(void)
{
	struct buf want = BUF_INIT, got = BUF_INIT;
	struct err e = ERR_INIT;
	const char *paths[countof(objs)];
	char *ar;

	buf_init(&want);
	buf_init(&got);
	ar = write_tmp("x.a", "!<arch>\n", 8);
	buf_adds(&want, "!<arch>\n");
	for (size_t i = 0; i < countof(objs); i++) {
		size_t n = strlen(objs[i].content);
		paths[i] = write_tmp(objs[i].name, objs[i].content, n);
		T_INTEQ(strlen(objs[i].header), 60, "header length of case %zu", i);
		buf_adds(&want, objs[i].header);
		buf_add(&want, objs[i].content, n);
		if (n & 1)
			buf_addch(&want, 0);
	}
	T_TRUE(compile_pack_append(ar, paths, countof(objs), &e) == 0, "append: %s", err_msg(&e));
	read_back(ar, &got);
	T_INTEQ(got.len, want.len, "archive length");
	T_TRUE(got.len == want.len && memcmp(got.data, want.data, got.len) == 0, "archive bytes differ");

	/* `r` in 1.26 only appends: the same member again is added twice. */
	T_TRUE(compile_pack_append(ar, paths, 1, &e) == 0, "append again: %s", err_msg(&e));
	buf_adds(&want, objs[0].header);
	buf_adds(&want, objs[0].content);
	buf_addch(&want, 0);
	read_back(ar, &got);
	T_TRUE(got.len == want.len && memcmp(got.data, want.data, got.len) == 0, "second append differs");

	/* Nothing to append: archive unchanged. */
	T_TRUE(compile_pack_append(ar, NULL, 0, &e) == 0, "empty append: %s", err_msg(&e));
	read_back(ar, &got);
	T_INTEQ(got.len, want.len, "empty append changed the archive");

	/* A missing object: go's error, and the archive is left as it was. */
	{
		const char *two[2] = {paths[0], NULL};
		char *missing = xasprintf("%s/missing.o", tmpdir);
		char *msg = xasprintf("open %s: no such file or directory", missing);
		two[1] = missing;
		T_TRUE(compile_pack_append(ar, two, 2, &e) < 0, "missing object accepted");
		T_STREQ(err_msg(&e), msg, "missing object error");
		err_clear(&e);
		read_back(ar, &got);
		T_INTEQ(got.len, want.len, "failed append changed the archive");
		free(msg);
		free(missing);
	}
	/* A directory as object: read fails while copying. */
	{
		const char *one[1] = {tmpdir};
		char *msg = xasprintf("copying %s to %s: read %s: is a directory", tmpdir, ar, tmpdir);
		T_TRUE(compile_pack_append(ar, one, 1, &e) < 0, "directory accepted");
		T_STREQ(err_msg(&e), msg, "directory error");
		err_clear(&e);
		free(msg);
	}
	/* A missing archive. */
	{
		char *missing = xasprintf("%s/none.a", tmpdir);
		char *msg = xasprintf("open %s: no such file or directory", missing);
		T_TRUE(compile_pack_append(missing, paths, 1, &e) < 0, "missing archive accepted");
		T_STREQ(err_msg(&e), msg, "missing archive error");
		err_clear(&e);
		free(msg);
		free(missing);
	}
	for (size_t i = 0; i < countof(objs); i++)
		free((char *)paths[i]);
	free(ar);
	buf_release(&want);
	buf_release(&got);
}

int main(int argc, char **argv)
{
	struct err e = ERR_INIT;

	if (argc > 1)
		return drive(argc, argv);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_append();
	if (os_remove_all(tmpdir, &e) < 0)
		fprintf(stderr, "%s\n", err_msg(&e));
	err_clear(&e);
	return test_exit();
}
