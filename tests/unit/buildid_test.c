/*
 * Build ids: HashToString, reading ids from Go's own test files, and the
 * placeholder rewrite.  Cases follow cmd/internal/buildid/buildid_test.go
 * (go1.26): TestReadFile (its testdata, decoded from $GOROOT at run time),
 * TestFindAndHash (two ids at every distance and offset), TestEmptyID.
 *
 * Also a driver for tests/e2e/buildid.sh:
 *   buildid_test update FILE PLACEHOLDER   prints the new id ("-" if none)
 *   buildid_test read FILE                 prints the build id
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "work/work.h"

static const char expected_id[] =
	"abcdefghijklmnopqrstuvwxyz.1234567890123456789012345678901234567890123456789012345678901234";

static int drive(int argc, char **argv)
{
	struct err e = ERR_INIT;
	char *id = NULL;

	if (argc == 4 && strcmp(argv[1], "update") == 0) {
		if (work_buildid_update(argv[2], argv[3], &id, &e) < 0) {
			fprintf(stderr, "%s\n", err_msg(&e));
			return 1;
		}
		printf("%s\n", id ? id : "-");
		free(id);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "read") == 0) {
		if (work_buildid_read(argv[2], &id, &e) < 0) {
			fprintf(stderr, "%s\n", err_msg(&e));
			return 1;
		}
		printf("%s\n", id);
		free(id);
		return 0;
	}
	fprintf(stderr, "usage: buildid_test [update FILE PLACEHOLDER | read FILE]\n");
	return 2;
}

/* b64val decodes one standard base64 digit, or -1. */
static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* decode_testdata decodes $GOROOT/src/cmd/internal/buildid/testdata/name. */
static int decode_testdata(const char *name, struct buf *out)
{
	const char *goroot = getenv("GOROOT");
	struct buf in = BUF_INIT;
	struct err e = ERR_INIT;
	char *path = xasprintf("%s/src/cmd/internal/buildid/testdata/%s",
	                       goroot && *goroot ? goroot : "/usr/local/go", name);
	uint32_t acc = 0;
	int bits = 0, rc = -1;

	buf_init(&in);
	if (os_read_file(path, &in, 0, &e) < 0)
		goto out;
	for (size_t i = 0; i < in.len; i++) {
		int v = b64val((unsigned char)in.data[i]);
		if (v < 0)
			continue;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addch(out, (int)((acc >> bits) & 0xff));
		}
	}
	rc = 0;
out:
	if (rc < 0)
		T_FAIL("read %s: %s", path, err_msg(&e));
	err_clear(&e);
	buf_release(&in);
	free(path);
	return rc;
}

static char tmpdir[] = "/tmp/buildid_test.XXXXXX";

static char *write_tmp(const char *name, const void *p, size_t n)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		T_FAIL("write %s", path);
	return path;
}

static void test_hash_to_string(void)
{
	/* sha256("") = e3b0c442 98fc1c14 9afbf4c8 996fb924 27ae41e4 649b934c a495991b 7852b855 */
	unsigned char h[32];
	char s[21];

	hash_sha256("", 0, h);
	work_hash_to_string(h, s);
	T_STREQ(s, "47DEQpj8HBSa-_TImW-5", "HashToString(sha256(\"\"))");
	memset(h, 0xff, sizeof h);
	work_hash_to_string(h, s);
	T_STREQ(s, "____________________", "HashToString(ff...)");
	memset(h, 0, sizeof h);
	work_hash_to_string(h, s);
	T_STREQ(s, "AAAAAAAAAAAAAAAAAAAA", "HashToString(00...)");
}

/* TestReadFile: each format carries expected_id. */
static void test_read_file(void)
{
	static const char *const files[] = {"p.a.base64", "a.elf.base64", "a.macho.base64", "a.pe.base64"};

	for (size_t i = 0; i < countof(files); i++) {
		struct buf d = BUF_INIT;
		struct err e = ERR_INIT;
		char *path, *id = NULL;

		buf_init(&d);
		if (decode_testdata(files[i], &d) < 0) {
			buf_release(&d);
			continue;
		}
		path = write_tmp(files[i], d.data, d.len);
		T_TRUE(work_buildid_read(path, &id, &e) == 0, "read %s: %s", files[i], err_msg(&e));
		T_STREQ(id, expected_id, "read %s", files[i]);
		free(id);
		err_clear(&e);

		/* TestReadFile's zero Align case: the Go note's type clobbered, the
		 * PT_NOTE one byte longer with Align 0 must not crash: no id. */
		if (strstr(files[i], "elf") && d.len > 64 && d.data[4] == 2 && d.data[5] == 1) {
			unsigned char *p = (unsigned char *)d.data;
			uint64_t phoff = 0, filesz = 0, off = 0;
			uint16_t phnum = (uint16_t)(p[56] | p[57] << 8), phent = (uint16_t)(p[54] | p[55] << 8);
			for (int k = 7; k >= 0; k--)
				phoff = phoff << 8 | p[32 + k];
			for (uint16_t j = 0; j < phnum; j++, phoff += phent) {
				unsigned char *ph = p + phoff;
				if ((ph[0] | ph[1] << 8 | ph[2] << 16 | (uint32_t)ph[3] << 24) != 4)
					continue;
				filesz = off = 0;
				for (int k = 7; k >= 0; k--) {
					filesz = filesz << 8 | ph[32 + k];
					off = off << 8 | ph[8 + k];
				}
				filesz++;
				for (int k = 0; k < 8; k++) {
					ph[32 + k] = (unsigned char)(filesz >> (8 * k));
					ph[48 + k] = 0;
				}
				memset(p + off + 12, 0, 4);
			}
			free(path);
			path = write_tmp("zeroalign.elf", d.data, d.len);
			T_TRUE(work_buildid_read(path, &id, &e) < 0, "zero align: want no build id, got %s", id ? id : "");
			T_TRUE(strstr(err_msg(&e), "no build ID") != NULL, "zero align error: %s", err_msg(&e));
			free(id);
			id = NULL;
			err_clear(&e);
		}
		free(path);
		buf_release(&d);
	}
}

/*
 * TestFindAndHash, through work_buildid_update: two copies of a 41-byte id
 * at every offset j and distance k (overlapping copies clobber each other
 * as in go's test); the occurrences found must be rewritten and the new
 * id's tail must be HashToString of the buffer with them zeroed.
 */
static void test_find_and_hash(void)
{
	static const char id[] = "0123456789abcdefghij/klmnopqrstuvwxyzABCD";
	enum { IDLEN = sizeof id - 1, BUFLEN = 3 * IDLEN };
	unsigned char b[BUFLEN], b2[BUFLEN], want_file[BUFLEN], sum[32];
	char hs[21], want_id[IDLEN + 1];
	int bad = 0;

	for (size_t j = 0; j < BUFLEN && bad < 5; j++) {
		for (size_t k = 0; k < 2 * IDLEN && j + k < BUFLEN && bad < 5; k++) {
			size_t m[2], nm = 0;
			struct buf got = BUF_INIT;
			struct err e = ERR_INIT;
			char *path, *newid = NULL;

			memset(b, 1, sizeof b);
			memcpy(b + j, id, j + IDLEN <= BUFLEN ? IDLEN : BUFLEN - j);
			memcpy(b + j + k, id, j + k + IDLEN <= BUFLEN ? IDLEN : BUFLEN - j - k);
			if (j + IDLEN <= j + k)
				m[nm++] = j;
			if (j + k + IDLEN <= BUFLEN)
				m[nm++] = j + k;
			memcpy(b2, b, sizeof b);
			for (size_t i = 0; i < nm; i++)
				memset(b2 + m[i], 0, IDLEN);
			hash_sha256(b2, sizeof b2, sum);
			work_hash_to_string(sum, hs);
			memcpy(want_id, id, 21);
			memcpy(want_id + 21, hs, 21);
			memcpy(want_file, b, sizeof b);
			for (size_t i = 0; i < nm; i++)
				memcpy(want_file + m[i], want_id, IDLEN);

			path = write_tmp("fah", b, sizeof b);
			buf_init(&got);
			if (work_buildid_update(path, id, &newid, &e) < 0) {
				T_FAIL("j=%zu k=%zu: %s", j, k, err_msg(&e));
				bad++;
			} else if (nm == 0) {
				if (newid) {
					T_FAIL("j=%zu k=%zu: no match expected, got %s", j, k, newid);
					bad++;
				}
			} else if (!newid || strcmp(newid, want_id) != 0) {
				T_FAIL("j=%zu k=%zu: new id %s, want %s", j, k, newid ? newid : "NULL", want_id);
				bad++;
			}
			if (os_read_file(path, &got, 0, &e) < 0 || got.len != sizeof b ||
			    memcmp(got.data, want_file, sizeof b) != 0) {
				T_FAIL("j=%zu k=%zu: file content differs", j, k);
				bad++;
			}
			test_checks++;
			err_clear(&e);
			buf_release(&got);
			free(newid);
			free(path);
		}
	}
}

static void test_errors(void)
{
	struct err e = ERR_INIT;
	char *id = (char *)"x", *path;

	/* TestEmptyID */
	path = write_tmp("aha", "aha!", 4);
	T_TRUE(work_buildid_update(path, "", &id, &e) < 0, "empty id accepted");
	T_STREQ(err_msg(&e), "buildid.FindAndHash: no id specified", "empty id error");
	T_TRUE(id == NULL, "empty id: newid set");
	err_clear(&e);

	/* No occurrence: file untouched, no new id (-ldflags=-buildid=). */
	T_TRUE(work_buildid_update(path, "aaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbb", &id, &e) == 0, "%s", err_msg(&e));
	T_TRUE(id == NULL, "no match: newid set");

	T_TRUE(work_buildid_update("/nonexistent/x", "a/bbbbbbbbbbbbbbbbbbbb", &id, &e) < 0, "missing file");
	T_STREQ(err_msg(&e), "open /nonexistent/x: no such file or directory", "missing file error");
	err_clear(&e);

	T_TRUE(work_buildid_read(path, &id, &e) < 0, "no id in plain file");
	err_clear(&e);
	free(path);

	/* An archive whose 4th line is not a build id line has none. */
	{
		static const char ar[] = "!<arch>\n__.PKGDEF       0           0     0     644     40        `\n"
		                         "go object linux amd64 go1.26.8 X:\n!\n";
		static const char ar2[] = "!<arch>\n__.PKGDEF       0           0     0     644     40        `\n"
		                          "go object linux amd64 go1.26.8 X:\nbuild id \"a\\x41\\u00e9/b\"\n!\n";
		path = write_tmp("noid.a", ar, sizeof ar - 1);
		T_TRUE(work_buildid_read(path, &id, &e) < 0, "archive without build id line");
		err_clear(&e);
		free(path);
		path = write_tmp("esc.a", ar2, sizeof ar2 - 1);
		T_TRUE(work_buildid_read(path, &id, &e) == 0, "escaped id: %s", err_msg(&e));
		T_STREQ(id, "aA\xc3\xa9/b", "escaped id");
		free(id);
		err_clear(&e);
		free(path);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return drive(argc, argv);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_hash_to_string();
	test_read_file();
	test_find_and_hash();
	test_errors();
	{
		struct err e = ERR_INIT;
		if (os_remove_all(tmpdir, &e) < 0)
			fprintf(stderr, "%s\n", err_msg(&e));
		err_clear(&e);
	}
	return test_exit();
}
