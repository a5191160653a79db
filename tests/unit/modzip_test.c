/*
 * Module zips, h1 hashes, the module cache and go.sum (modload/modzip.c,
 * modload/modfetch.c).  Zips are built here with zlib; the expected h1
 * values and error texts were produced by go1.26's `go mod download` on
 * zips with the same names and contents (a file:// GOPROXY).  When
 * /usr/local/go/bin/go exists, the extraction is also compared with the
 * tree go itself extracts from the very same zip bytes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "modload/modload.h"
#include "test.h"

/* ---- a small zip writer --------------------------------------------------- */

struct zent {
	const char *name;
	const char *data;     /* NUL-terminated; NULL = "" */
	int method;           /* 0 stored, 8 deflate */
	uint32_t mode;        /* unix mode for the external attributes, 0 = 0644 file */
	uint64_t claim_usize; /* non-zero: lie about the uncompressed size */
	int bad_crc;
};

static void put16(struct buf *b, unsigned v)
{
	unsigned char c[2] = {v & 0xff, (v >> 8) & 0xff};
	buf_add(b, c, 2);
}

static void put32(struct buf *b, uint32_t v)
{
	unsigned char c[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff};
	buf_add(b, c, 4);
}

static void deflate_raw(const char *p, size_t n, struct buf *out)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	uLong bound = deflateBound(&zs, (uLong)n);
	buf_grow(out, bound);
	zs.next_in = (Bytef *)p;
	zs.avail_in = (uInt)n;
	zs.next_out = (Bytef *)out->data + out->len;
	zs.avail_out = (uInt)bound;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		abort();
	out->len += bound - zs.avail_out;
	deflateEnd(&zs);
}

static void zip_build(struct buf *z, const struct zent *ents, size_t n)
{
	struct buf cd = BUF_INIT;
	size_t count = 0;
	for (size_t i = 0; i < n && ents[i].name; i++, count++) {
		const struct zent *e = &ents[i];
		const char *data = e->data ? e->data : "";
		size_t len = strlen(data), nlen = strlen(e->name);
		struct buf body = BUF_INIT;
		if (e->method == 8)
			deflate_raw(data, len, &body);
		else
			buf_add(&body, data, len);
		uint32_t crc = (uint32_t)crc32(0, (const Bytef *)data, (uInt)len) ^ (e->bad_crc ? 1u : 0u);
		uint32_t usize = e->claim_usize ? (uint32_t)e->claim_usize : (uint32_t)len;
		uint32_t off = (uint32_t)z->len;
		uint32_t mode = e->mode ? e->mode : 0100644;
		/* local header */
		put32(z, 0x04034b50);
		put16(z, 20);
		put16(z, 0);
		put16(z, (unsigned)e->method);
		put16(z, 0);
		put16(z, 0x21);
		put32(z, crc);
		put32(z, (uint32_t)body.len);
		put32(z, usize);
		put16(z, (unsigned)nlen);
		put16(z, 0);
		buf_add(z, e->name, nlen);
		buf_add(z, body.data, body.len);
		/* central directory header */
		put32(&cd, 0x02014b50);
		put16(&cd, 3 << 8 | 20);
		put16(&cd, 20);
		put16(&cd, 0);
		put16(&cd, (unsigned)e->method);
		put16(&cd, 0);
		put16(&cd, 0x21);
		put32(&cd, crc);
		put32(&cd, (uint32_t)body.len);
		put32(&cd, usize);
		put16(&cd, (unsigned)nlen);
		put16(&cd, 0);
		put16(&cd, 0);
		put16(&cd, 0);
		put16(&cd, 0);
		put32(&cd, mode << 16);
		put32(&cd, off);
		buf_add(&cd, e->name, nlen);
		buf_release(&body);
	}
	uint32_t cdoff = (uint32_t)z->len;
	buf_add(z, cd.data, cd.len);
	put32(z, 0x06054b50);
	put16(z, 0);
	put16(z, 0);
	put16(z, (unsigned)count);
	put16(z, (unsigned)count);
	put32(z, (uint32_t)cd.len);
	put32(z, cdoff);
	put16(z, 0);
	buf_release(&cd);
}

static char *tmpdir;

static char *write_zip(const char *name, const struct zent *ents, size_t n)
{
	struct buf z = BUF_INIT;
	struct err e = ERR_INIT;
	char *p = xasprintf("%s/%s", tmpdir, name);
	zip_build(&z, ents, n);
	if (os_write_file_atomic(p, z.data, z.len, 0644, &e) < 0)
		T_FAIL("write %s: %s", p, err_msg(&e));
	buf_release(&z);
	err_clear(&e);
	return p;
}

/* ---- fixtures (contents as given to go to compute the sums) ---------------- */

static char readme[1002];

#define M "example.com/m@v1.0.0/"
static const struct zent fix_m[] = {
	{M "go.mod", "module example.com/m\n\ngo 1.21\n", 8, 0, 0, 0},
	{M "m.go", "package m\n\nfunc Hello() string { return \"hello\" }\n", 8, 0, 0, 0},
	{M "sub/a.txt", "alpha\nbeta\n", 0, 0, 0, 0},
	{M "LICENSE", "Public domain.\n", 8, 0, 0, 0},
	{0},
};
#define U "example.com/Upper@v1.0.0-RC/"
static struct zent fix_upper[] = {
	{U "go.mod", "module example.com/Upper\n", 8, 0, 0, 0},
	{U "README", readme, 8, 0, 0, 0},
	{U "dir/Mixed.go", "package dir\n", 0, 0, 0, 0},
	{0},
};
#define D "example.com/dirent@v1.0.0/"
static const struct zent fix_dirent[] = {
	{D "go.mod", "module example.com/dirent\n", 0, 0, 0, 0},
	{D "sub/", "", 0, 040755, 0, 0},
	{D "sub/x.go", "package sub\n", 8, 0, 0, 0},
	{0},
};
#define S "example.com/symlink@v1.0.0/"
static const struct zent fix_symlink[] = {
	{S "go.mod", "module example.com/symlink\n", 0, 0, 0, 0},
	{S "link", "/etc/passwd", 0, 0120777, 0, 0},
	{0},
};

struct fixture {
	const char *file, *path, *version, *epath, *ever;
	const struct zent *ents;
	const char *sum, *gomodsum;
};
static const struct fixture fixtures[] = {
	{"m.zip", "example.com/m", "v1.0.0", "example.com/m", "v1.0.0", fix_m,
	 "h1:YKuPmOZLpztD99phmJ2ff9T3j3ePpbBSZTSjtLEtaeY=", "h1:ONeDgCa5UF/jJRjGzpOKmUiezgFEk4IPFZ96frvroW0="},
	{"upper.zip", "example.com/Upper", "v1.0.0-RC", "example.com/!upper", "v1.0.0-!r!c", fix_upper,
	 "h1:v8Xou5l8xNAUqNEgWnRKZcJdtUNKzGE8edG6bvSkxxY=", "h1:DoiNrfkShlR93D+1C433k40AMu0o6n/IymMdaPGjvQI="},
	{"dirent.zip", "example.com/dirent", "v1.0.0", "example.com/dirent", "v1.0.0", fix_dirent,
	 "h1:2cRz1aiAKrNN3IyCREsou4HiCJaL0r1MUZnHU413zQ8=", "h1:d1+Y96wDl42e2z2/B3FSjdFZRVPkX3tunuZH2DyNvc4="},
	{"symlink.zip", "example.com/symlink", "v1.0.0", "example.com/symlink", "v1.0.0", fix_symlink,
	 "h1:wCsXUJ+RcRZuuQehMFyZsiQUr0K6slTC2mAuF7gaIpc=", "h1:jDM0tiuwA56V7tz9uZu4TqnCC9O6aQyKlvH0qcygVsM="},
};

static size_t nents(const struct zent *z)
{
	size_t n = 0;
	while (z[n].name)
		n++;
	return n;
}

/* ---- tree comparison --------------------------------------------------------- */

/* tree_dump appends "mode name [content]" lines for root, recursively. */
static void tree_dump(const char *root, const char *rel, struct buf *out)
{
	char *dir = rel[0] ? path_join(root, rel) : xstrdup(root);
	struct strvec names = {0};
	struct err e = ERR_INIT;
	if (os_readdir(dir, &names, &e) < 0) {
		buf_printf(out, "ERROR %s\n", err_msg(&e));
		err_clear(&e);
	}
	for (size_t i = 0; i < names.n; i++) {
		char *r = rel[0] ? path_join(rel, names.v[i]) : xstrdup(names.v[i]);
		char *full = path_join(root, r);
		struct stat st;
		if (lstat(full, &st) < 0) {
			buf_printf(out, "? %s\n", r);
		} else if (S_ISDIR(st.st_mode)) {
			buf_printf(out, "d%o %s\n", (unsigned)(st.st_mode & 07777), r);
			tree_dump(root, r, out);
		} else {
			struct buf c = BUF_INIT;
			os_read_file(full, &c, 0, &e);
			err_clear(&e);
			buf_printf(out, "%c%o %s %s\n", S_ISREG(st.st_mode) ? 'f' : 'o', (unsigned)(st.st_mode & 07777), r,
				   buf_cstr(&c));
			buf_release(&c);
		}
		free(full);
		free(r);
	}
	strvec_clear(&names);
	free(dir);
}

/* ---- tests ----------------------------------------------------------------------- */

static void test_hashes(void)
{
	for (size_t i = 0; i < countof(fixtures); i++) {
		const struct fixture *f = &fixtures[i];
		struct err e = ERR_INIT;
		char *zip = write_zip(f->file, f->ents, nents(f->ents)), *h = NULL;
		if (mod_hash_zip(zip, &h, &e) < 0)
			T_FAIL("%s: mod_hash_zip: %s", f->file, err_msg(&e));
		T_STREQ(h, f->sum, "%s: HashZip", f->file);
		free(h);
		const char *gomod = f->ents[0].data;
		h = mod_hash_gomod(gomod, strlen(gomod));
		T_STREQ(h, f->gomodsum, "%s: goModSum", f->file);
		free(h);
		err_clear(&e);
		free(zip);
	}
	char *h = mod_hash_gomod("", 0);
	T_STREQ(h, "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=", "empty go.mod hash");
	free(h);
}

struct hostile {
	const char *what, *path, *version;
	struct zent ents[5];
	const char *want; /* after "unzip ZIP: " */
};

static const struct hostile hostiles[] = {
	{"dotdot", "example.com/m", "v1.0.0",
	 {{M "go.mod", "module example.com/m\n", 8, 0, 0, 0}, {M "../evil.txt", "x", 8, 0, 0, 0}},
	 M "../evil.txt: malformed file path \"../evil.txt\": invalid path element \"..\""},
	{"absolute", "example.com/m", "v1.0.0",
	 {{M "go.mod", "module example.com/m\n", 0, 0, 0, 0}, {M "/etc/passwd", "x", 0, 0, 0, 0}},
	 M "/etc/passwd: malformed file path \"/etc/passwd\": empty path element"},
	{"backslash", "example.com/m", "v1.0.0",
	 {{M "go.mod", "module example.com/m\n", 0, 0, 0, 0}, {M "a\\b.go", "x", 0, 0, 0, 0}},
	 M "a\\b.go: malformed file path \"a\\\\b.go\": invalid char '\\\\'"},
	{"case collision", "example.com/m", "v1.0.0",
	 {{M "go.mod", "m", 0, 0, 0, 0}, {M "a.go", "1", 0, 0, 0, 0}, {M "A.go", "2", 0, 0, 0, 0}},
	 M "A.go: case-insensitive file name collision: \"a.go\" and \"A.go\""},
	/* Folded as unicode.SimpleFold folds: KELVIN SIGN is a k (go's text). */
	{"unicode case collision", "example.com/m", "v1.0.0",
	 {{M "go.mod", "m", 0, 0, 0, 0}, {M "k.go", "1", 0, 0, 0, 0}, {M "\xe2\x84\xaa.go", "2", 0, 0, 0, 0}},
	 M "\xe2\x84\xaa.go: case-insensitive file name collision: \"k.go\" and \"\xe2\x84\xaa.go\""},
	{"latin-1 case collision", "example.com/m", "v1.0.0",
	 {{M "go.mod", "m", 0, 0, 0, 0}, {M "\xc3\xa9.go", "1", 0, 0, 0, 0}, {M "\xc3\x89.go", "2", 0, 0, 0, 0}},
	 M "\xc3\x89.go: case-insensitive file name collision: \"\xc3\xa9.go\" and \"\xc3\x89.go\""},
	{"duplicate", "example.com/m", "v1.0.0",
	 {{M "go.mod", "m", 0, 0, 0, 0}, {M "a.go", "1", 0, 0, 0, 0}, {M "a.go", "2", 8, 0, 0, 0}},
	 M "a.go: multiple entries for file \"a.go\""},
	{"file and dir", "example.com/m", "v1.0.0",
	 {{M "go.mod", "m", 0, 0, 0, 0}, {M "a", "1", 0, 0, 0, 0}, {M "a/b", "2", 0, 0, 0, 0}},
	 M "a/b: entry \"a\" is both a file and a directory"},
	{"outside prefix", "example.com/m", "v1.0.0",
	 {{M "go.mod", "m", 0, 0, 0, 0}, {"other/x.go", "x", 0, 0, 0, 0}},
	 "other/x.go: path does not have prefix \"example.com/m@v1.0.0/\""},
	{"go.mod in subdir", "example.com/m", "v1.0.0",
	 {{M "go.mod", "m", 0, 0, 0, 0}, {M "sub/go.mod", "x", 0, 0, 0, 0}},
	 M "sub/go.mod: go.mod file not in module root directory"},
	{"GO.MOD", "example.com/m", "v1.0.0", {{M "GO.MOD", "m", 0, 0, 0, 0}},
	 M "GO.MOD: go.mod files must have lowercase names"},
	{"not clean", "example.com/m", "v1.0.0", {{M "a//b.go", "m", 0, 0, 0, 0}},
	 M "a//b.go: file path is not clean"},
	/* The sizes come from the central directory: nothing is read. */
	{"go.mod over 16 MiB", "example.com/m", "v1.0.0", {{M "go.mod", "module m\n", 0, 0, (16u << 20) + 1, 0}},
	 M "go.mod: go.mod file too large (max size is 16777216 bytes)"},
	{"LICENSE over 16 MiB", "example.com/m", "v1.0.0",
	 {{M "go.mod", "m", 0, 0, 0, 0}, {M "LICENSE", "x", 0, 0, (16u << 20) + 1, 0}},
	 M "LICENSE: LICENSE file too large (max size is 16777216 bytes)"},
	{"over 500 MiB in total", "example.com/m", "v1.0.0",
	 {{M "a", "x", 0, 0, 0xfff00000u, 0}},
	 "total uncompressed size of module contents too large (max size is 524288000 bytes)"},
	{"non-canonical version", "example.com/m", "v1.0", {{"example.com/m@v1.0/go.mod", "m", 0, 0, 0, 0}},
	 "version \"v1.0\" is not canonical (should be \"v1.0.0\")"},
	{"major mismatch", "example.com/m", "v2.0.0", {{"example.com/m@v2.0.0/go.mod", "m", 0, 0, 0, 0}},
	 "example.com/m@v2.0.0: invalid version: should be v0 or v1, not v2"},
	{"bad crc", "example.com/m", "v1.0.0", {{M "go.mod", "module m\n", 8, 0, 0, 1}}, "zip: checksum error"},
	{"longer than declared", "example.com/m", "v1.0.0", {{M "go.mod", "module m\n", 0, 0, 3, 0}},
	 "zip: not a valid zip file"},
};

static void test_hostile(void)
{
	for (size_t i = 0; i < countof(hostiles); i++) {
		const struct hostile *h = &hostiles[i];
		struct err e = ERR_INIT;
		char *zip = write_zip("hostile.zip", h->ents, countof(h->ents));
		char *dir = xasprintf("%s/hostile-out", tmpdir);
		char *want = xasprintf("unzip %s: %s", zip, h->want);
		int rc = mod_zip_unzip(dir, h->path, h->version, zip, &e);
		T_INTEQ(rc, -1, "%s: unzip fails", h->what);
		T_STREQ(err_msg(&e), want, "%s: error text", h->what);
		err_clear(&e);
		os_remove_all(dir, &e);
		err_clear(&e);
		free(want);
		free(dir);
		free(zip);
	}
	/* Several invalid files are reported one per line, in zip order. */
	struct zent two[] = {{M "../a", "x", 0, 0, 0, 0}, {"b", "x", 0, 0, 0, 0}, {0}};
	char *zip = write_zip("two.zip", two, 2);
	struct mod_zip z = {0};
	struct mod_zip_checked cf = {0};
	struct err e = ERR_INIT;
	if (mod_zip_open(&z, zip, &e) < 0)
		T_FAIL("open two.zip: %s", err_msg(&e));
	T_INTEQ(mod_zip_check(&z, z.size, "example.com/m", "v1.0.0", &cf, &e), -1, "two invalid");
	T_STREQ(err_msg(&e),
		M "../a: malformed file path \"../a\": invalid path element \"..\"\n"
		  "b: path does not have prefix \"example.com/m@v1.0.0/\"",
		"two invalid: text");
	T_INTEQ(cf.invalid.n, 2, "two invalid: count");
	mod_zip_checked_release(&cf);
	mod_zip_close(&z);
	err_clear(&e);
	free(zip);

	/* Not a zip at all; and a target directory that is not empty. */
	char *junk = xasprintf("%s/junk.zip", tmpdir), *dir = xasprintf("%s/nonempty", tmpdir);
	char *f = xasprintf("%s/x", dir);
	os_write_file_atomic(junk, "PK not really", 13, 0644, &e);
	os_mkdir_all(dir, 0755, &e);
	os_write_file_atomic(f, "", 0, 0644, &e);
	char *want = xasprintf("unzip %s: zip: not a valid zip file", junk);
	char *out = xasprintf("%s/junk-out", tmpdir);
	T_INTEQ(mod_zip_unzip(out, "example.com/m", "v1.0.0", junk, &e), -1, "junk zip");
	T_STREQ(err_msg(&e), want, "junk zip: text");
	T_TRUE(!os_exists(out), "junk zip: no directory made");
	err_clear(&e);
	free(want);
	want = xasprintf("unzip %s: target directory %s exists and is not empty", junk, dir);
	mod_zip_unzip(dir, "example.com/m", "v1.0.0", junk, &e);
	T_STREQ(err_msg(&e), want, "non-empty target: text");
	err_clear(&e);
	free(want);
	free(out);
	free(junk);
	free(dir);
	free(f);
}

/* A zip written by Python with zip64 forced (end records and central
 * directory extras) and data descriptors; go's sums for it. */
static void test_zip64(void)
{
	struct err e = ERR_INIT;
	const char *td = getenv("GOTOOL_TESTDATA");
	char *zip = xasprintf("%s/fixtures/modzip/zip64-descriptors.zip", td ? td : "tests");
	char *h = NULL, *dir = xasprintf("%s/zip64-out", tmpdir);
	if (mod_hash_zip(zip, &h, &e) < 0)
		T_FAIL("zip64: HashZip: %s", err_msg(&e));
	T_STREQ(h, "h1:pTg6QGJbjA/1l1Ykl20EzYSAkw82DQ5waFwF5mk7k00=", "zip64: HashZip");
	free(h);
	h = NULL;
	if (mod_zip_unzip(dir, "example.com/zsf", "v1.0.0", zip, &e) < 0)
		T_FAIL("zip64: unzip: %s", err_msg(&e));
	if (mod_hash_dir(dir, "example.com/zsf@v1.0.0", &h, &e) < 0)
		T_FAIL("zip64: HashDir: %s", err_msg(&e));
	T_STREQ(h, "h1:pTg6QGJbjA/1l1Ykl20EzYSAkw82DQ5waFwF5mk7k00=", "zip64: HashDir of the extracted tree");
	free(h);
	err_clear(&e);
	free(dir);
	free(zip);

	/* Corrupt deflate data is an error, not a short file. */
	static const struct zent one[] = {{M "go.mod", "module example.com/m\n\ngo 1.21\n", 8, 0, 0, 0}, {0}};
	struct buf z = BUF_INIT;
	zip_build(&z, one, 1);
	z.data[30 + strlen(one[0].name)] = (char)0xff; /* first byte of the body: a reserved block type */
	zip = xasprintf("%s/corrupt.zip", tmpdir);
	os_write_file_atomic(zip, z.data, z.len, 0644, &e);
	T_INTEQ(mod_hash_zip(zip, &h, &e), -1, "corrupt deflate");
	T_TRUE(has_prefix(err_msg(&e), "flate: corrupt input before offset"), "corrupt deflate: %s", err_msg(&e));
	err_clear(&e);
	buf_release(&z);
	free(zip);
}

/* mod_hash_zip_keep keeps what it inflated for the mod_zip_unzip that follows:
 * the tree is the one a plain unzip writes, and a zip rewritten in place
 * (same inode, size and mtime, another directory) is inflated afresh. */
#define K "example.com/keep@v1.0.0/"
static void test_memo(void)
{
	enum { NF = 24 };
	struct zent ents[NF + 1];
	char names[NF][64], bodies[NF][64];
	struct err e = ERR_INIT;
	struct buf want = BUF_INIT, got = BUF_INIT;
	char *h = NULL;

	memset(ents, 0, sizeof(ents));
	for (int i = 0; i < NF; i++) {
		snprintf(names[i], sizeof(names[i]), K "%s/f%02d.go", i % 3 ? "a" : "b/c", i);
		snprintf(bodies[i], sizeof(bodies[i]), "package x // %02d\n", i);
		ents[i] = (struct zent){names[i], bodies[i], i % 2 ? 8 : 0, 0, 0, 0};
	}
	ents[0].name = K "go.mod";
	ents[0].data = "module example.com/keep\n";
	char *zip = write_zip("keep.zip", ents, NF);
	char *plain = xasprintf("%s/keep-plain", tmpdir), *kept = xasprintf("%s/keep-kept", tmpdir);
	if (mod_zip_unzip(plain, "example.com/keep", "v1.0.0", zip, &e) < 0)
		T_FAIL("keep: plain unzip: %s", err_msg(&e));
	tree_dump(plain, "", &want);
	if (mod_hash_zip_keep(zip, &h, &e) < 0)
		T_FAIL("keep: hash: %s", err_msg(&e));
	char *h2 = NULL;
	mod_hash_zip(zip, &h2, &e);
	T_STREQ(h, h2, "keep: the same h1 as mod_hash_zip");
	free(h2);
	if (mod_zip_unzip(kept, "example.com/keep", "v1.0.0", zip, &e) < 0)
		T_FAIL("keep: unzip from the kept contents: %s", err_msg(&e));
	tree_dump(kept, "", &got);
	T_STREQ(buf_cstr(&got), buf_cstr(&want), "keep: the tree from kept contents");
	os_remove_all(kept, &e);
	buf_reset(&got);
	free(h);

	/* rewritten in place: the same inode, size and mtime, another body and CRC */
	struct stat st;
	if (mod_hash_zip_keep(zip, &h, &e) < 0 || stat(zip, &st) < 0)
		T_FAIL("keep: hash again: %s", err_msg(&e));
	free(h);
	ents[1].data = "package x // XX\n"; /* the same length, stored */
	T_INTEQ(ents[1].method, 8, "keep: entry 1 is deflated");
	ents[2].data = "package x // YY\n";
	T_INTEQ(ents[2].method, 0, "keep: entry 2 is stored");
	struct buf z2 = BUF_INIT;
	zip_build(&z2, ents, NF);
	int fd = open(zip, O_WRONLY | O_TRUNC);
	T_TRUE(fd >= 0 && os_write_all(fd, z2.data, z2.len) == 0, "keep: rewrite in place");
	struct timespec ts[2] = {st.st_atim, st.st_mtim};
	futimens(fd, ts);
	close(fd);
	struct stat st2;
	stat(zip, &st2);
	T_TRUE(st2.st_ino == st.st_ino && st2.st_mtim.tv_nsec == st.st_mtim.tv_nsec, "keep: same inode and mtime");
	if ((size_t)st2.st_size == z2.len && z2.len == (size_t)st.st_size) {
		if (mod_zip_unzip(kept, "example.com/keep", "v1.0.0", zip, &e) < 0)
			T_FAIL("keep: unzip of the rewritten zip: %s", err_msg(&e));
		char *f2 = xasprintf("%s/a/f02.go", kept);
		struct buf c = BUF_INIT;
		os_read_file(f2, &c, 0, &e);
		T_STREQ(buf_cstr(&c), "package x // YY\n", "keep: the rewritten zip's content, not the kept one");
		buf_release(&c);
		free(f2);
	} else {
		T_FAIL("keep: the rewritten zip changed size (%zu)", z2.len);
	}
	os_remove_all(kept, &e);

	/* dropped: inflated again */
	if (mod_hash_zip_keep(zip, &h, &e) < 0)
		T_FAIL("keep: hash the rewritten zip: %s", err_msg(&e));
	free(h);
	mod_zip_memo_drop(zip);
	if (mod_zip_unzip(kept, "example.com/keep", "v1.0.0", zip, &e) < 0)
		T_FAIL("keep: unzip after a drop: %s", err_msg(&e));
	err_clear(&e);
	buf_release(&z2);
	buf_release(&want);
	buf_release(&got);
	free(plain);
	free(kept);
	free(zip);
}

static int discard(void *ctx, const void *p, size_t n, struct err *e)
{
	return 0;
}

/* Every truncation and many single-byte corruptions of real zips: the
 * reader must fail cleanly or read within bounds (ASan checks the rest). */
static void test_mangled(void)
{
	struct buf z = BUF_INIT;
	const char *td = getenv("GOTOOL_TESTDATA");
	char *z64 = xasprintf("%s/fixtures/modzip/zip64-descriptors.zip", td ? td : "tests");
	struct err e = ERR_INIT;
	size_t opened = 0;
	for (int which = 0; which < 2; which++) {
		buf_reset(&z);
		if (which == 0)
			zip_build(&z, fix_m, nents(fix_m));
		else if (os_read_file(z64, &z, 0, &e) < 0)
			T_FAIL("read %s: %s", z64, err_msg(&e));
		for (size_t cut = 0; cut <= z.len; cut++) {
			for (int flip = -1; flip < 3; flip++) {
				/* exactly n bytes, so ASan sees a read past the end */
				size_t n = flip >= 0 ? z.len : cut;
				char *copy = xmalloc(n ? n : 1);
				memcpy(copy, z.data, n);
				if (flip >= 0) /* a full-length zip with one byte changed */
					copy[cut % z.len] ^= (char)(flip == 0 ? 0xff : flip == 1 ? 0x01 : 0x80);
				struct mod_zip mz = {0};
				if (mod_zip_open_mem(&mz, copy, n, &e) == 0) {
					opened++;
					mod_zip_check(&mz, n, "example.com/zsf", "v1.0.0", NULL, &e);
					err_clear(&e);
					for (size_t i = 0; i < mz.files.n; i++) {
						mod_zip_read(&mz, i, discard, NULL, &e);
						err_clear(&e);
					}
					mod_zip_close(&mz);
				}
				err_clear(&e);
				free(copy);
			}
		}
	}
	T_TRUE(opened > 0, "mangled: some variants still open");
	buf_release(&z);
	free(z64);
}

/* The version lock is a flock on <version>.lock, as go's lockedfile takes
 * it: while held, another open file description cannot take it. */
static void test_lock(void)
{
	struct err e = ERR_INIT;
	char *cache = xasprintf("%s/lockcache", tmpdir), *path = NULL;
	int fd = -1;
	T_INTEQ(mod_cache_lock(cache, "example.com/Upper", "v1.0.0-RC", &fd, &e), 0, "lock: %s", err_msg(&e));
	mod_cache_path(cache, "example.com/Upper", "v1.0.0-RC", "lock", &path, &e);
	int other = open(path, O_RDWR | O_CLOEXEC);
	T_TRUE(other >= 0, "lock file exists: %s", path);
	T_TRUE(flock(other, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK, "lock held");
	os_flock_close(fd);
	T_TRUE(flock(other, LOCK_EX | LOCK_NB) == 0, "lock released");
	close(other);
	err_clear(&e);
	free(path);
	free(cache);
}

static void test_cache_paths(void)
{
	struct err e = ERR_INIT;
	char *p = NULL;
	char *root = xasprintf("%s/pathcache", tmpdir);
	char *want = xasprintf("%s/cache/download/example.com/!upper/@v/v1.0.0-!r!c.zip", root);
	T_INTEQ(mod_cache_path(root, "example.com/Upper", "v1.0.0-RC", "zip", &p, &e), 0, "CachePath");
	T_STREQ(p, want, "CachePath escaped");
	free(p);
	free(want);
	static const struct {
		const char *root, *path, *version, *want;
	} bad[] = {
		{NULL, "example.com/m", "1.0.0", "non-semver module version \"1.0.0\""},
		{NULL, "example.com/m", "v1.0", "non-canonical module version \"v1.0\""},
		{NULL, "go", "v1.0.0", "internal error: invalid operation on toolchain module"},
		{NULL, "Example.com/m", "v1.0.0", "malformed module path \"Example.com/m\": invalid char 'E' in first path element"},
		{"rel/cache", "example.com/m", "v1.0.0", "GOMODCACHE entry is relative; must be absolute path: \"rel/cache\"."},
		{"", "example.com/m", "v1.0.0", "module cache not found: neither GOMODCACHE nor GOPATH is set"},
	};
	for (size_t i = 0; i < countof(bad); i++) {
		T_INTEQ(mod_cache_path(bad[i].root ? bad[i].root : root, bad[i].path, bad[i].version, "zip", &p, &e), -1,
			"CachePath %s %s", bad[i].path, bad[i].version);
		T_STREQ(err_msg(&e), bad[i].want, "CachePath %s %s: text", bad[i].path, bad[i].version);
		err_clear(&e);
	}
	char *v = NULL;
	T_INTEQ(mod_unescape_version("v1.0.0-!r!c", &v, &e), 0, "UnescapeVersion");
	T_STREQ(v, "v1.0.0-RC", "UnescapeVersion value");
	free(v);
	T_INTEQ(mod_unescape_version("v1.0.0-RC", &v, &e), -1, "UnescapeVersion upper");
	T_STREQ(err_msg(&e), "invalid escaped version \"v1.0.0-RC\"", "UnescapeVersion upper: text");
	err_clear(&e);
	free(root);
}

/* download_and_extract does what the GOPROXY client will: lock, temp zip,
 * store (hash, go.sum, ziphash, rename), unlock, then extract. */
static int download_and_extract(const char *cache, const struct fixture *f, const struct buf *zipbytes,
				struct mod_gosum *sums, char **dir, struct err *e)
{
	int lock = -1, fd = -1, rc = -1;
	char *tmp = NULL;
	*dir = NULL;
	if (mod_cache_lock(cache, f->path, f->version, &lock, e) < 0)
		goto out;
	if (mod_cache_temp_zip(cache, f->path, f->version, &fd, &tmp, e) < 0)
		goto out;
	if (write(fd, zipbytes->data, zipbytes->len) != (ssize_t)zipbytes->len || close(fd) < 0) {
		err_errno(e, "write", tmp);
		goto out;
	}
	if (mod_cache_store_zip(cache, f->path, f->version, tmp, sums, NULL, e) < 0)
		goto out;
	os_flock_close(lock);
	lock = -1;
	char *zip = NULL;
	if (mod_cache_path(cache, f->path, f->version, "zip", &zip, e) < 0)
		goto out;
	rc = mod_cache_unzip(cache, f->path, f->version, zip, false, dir, e);
	free(zip);
out:
	os_flock_close(lock);
	free(tmp);
	return rc;
}

static void test_cache_extract(void)
{
	char *cache = xasprintf("%s/modcache", tmpdir);
	bool have_go = access("/usr/local/go/bin/go", X_OK) == 0;
	for (size_t i = 0; i < countof(fixtures); i++) {
		const struct fixture *f = &fixtures[i];
		struct buf z = BUF_INIT, ours = BUF_INIT, theirs = BUF_INIT;
		struct err e = ERR_INIT;
		char *dir = NULL, *h = NULL;
		zip_build(&z, f->ents, nents(f->ents));
		if (download_and_extract(cache, f, &z, NULL, &dir, &e) < 0) {
			T_FAIL("%s: extract: %s", f->file, err_msg(&e));
			goto next;
		}
		char *want = xasprintf("%s/%s@%s", cache, f->epath, f->ever);
		T_STREQ(dir, want, "%s: Dir", f->file);
		free(want);
		char *zh = xasprintf("%s/cache/download/%s/@v/%s.ziphash", cache, f->epath, f->ever);
		char *sum = mod_cache_read_ziphash(zh);
		T_STREQ(sum, f->sum, "%s: ziphash", f->file);
		free(sum);
		free(zh);
		char *partial = xasprintf("%s/cache/download/%s/@v/%s.partial", cache, f->epath, f->ever);
		T_TRUE(!os_exists(partial), "%s: no .partial left", f->file);
		free(partial);
		char *prefix = xasprintf("%s@%s", f->path, f->version);
		if (mod_hash_dir(dir, prefix, &h, &e) < 0)
			T_FAIL("%s: HashDir: %s", f->file, err_msg(&e));
		/* HashDir sees no directory entries: equal to Sum unless the zip has them. */
		if (f->ents != fix_dirent)
			T_STREQ(h, f->sum, "%s: HashDir", f->file);
		free(prefix);
		free(h);
		/* Complete now; a second extraction is a no-op. */
		char *d2 = NULL;
		T_INTEQ(mod_cache_download_dir(cache, f->path, f->version, &d2, &e), 0, "%s: DownloadDir", f->file);
		free(d2);
		if (have_go) {
			/* Serve the same bytes from a file:// proxy to go. */
			char *proxy = xasprintf("%s/proxy-%zu", tmpdir, i), *gocache = xasprintf("%s/gocache-%zu", tmpdir, i);
			char *vdir = xasprintf("%s/%s/@v", proxy, f->epath);
			char *pz = xasprintf("%s/%s.zip", vdir, f->ever), *pm = xasprintf("%s/%s.mod", vdir, f->ever);
			char *pi = xasprintf("%s/%s.info", vdir, f->ever);
			char *info = xasprintf("{\"Version\":\"%s\"}", f->version);
			os_mkdir_all(vdir, 0755, &e);
			os_write_file_atomic(pz, z.data, z.len, 0644, &e);
			os_write_file_atomic(pm, f->ents[0].data, strlen(f->ents[0].data), 0644, &e);
			os_write_file_atomic(pi, info, strlen(info), 0644, &e);
			char *env[] = {
				xasprintf("GOPROXY=file://%s", proxy), xasprintf("GOMODCACHE=%s", gocache),
				xasprintf("GOPATH=%s/gopath", tmpdir), xasprintf("GOCACHE=%s/gobuild", tmpdir),
				xasprintf("HOME=%s", tmpdir), xstrdup("GOSUMDB=off"), xstrdup("GOFLAGS=-mod=mod"),
				xstrdup("GOTOOLCHAIN=local"), xstrdup("GOENV=off"), xstrdup("PATH=/usr/bin:/bin"), NULL,
			};
			char *arg = xasprintf("%s@%s", f->path, f->version);
			char *argv[] = {"/usr/local/go/bin/go", "mod", "download", arg, NULL};
			struct buf so = BUF_INIT, se = BUF_INIT;
			int st = proc_run(argv, tmpdir, env, &so, &se, &e);
			T_INTEQ(st, 0, "%s: go mod download: %s", f->file, buf_cstr(&se));
			char *godir = xasprintf("%s/%s@%s", gocache, f->epath, f->ever);
			tree_dump(dir, "", &ours);
			tree_dump(godir, "", &theirs);
			T_STREQ(buf_cstr(&ours), buf_cstr(&theirs), "%s: tree as go extracts it", f->file);
			char *gozh = xasprintf("%s/cache/download/%s/@v/%s.ziphash", gocache, f->epath, f->ever);
			char *gosum = mod_cache_read_ziphash(gozh);
			T_STREQ(gosum, f->sum, "%s: go's ziphash", f->file);
			free(gosum);
			free(gozh);
			free(godir);
			buf_release(&so);
			buf_release(&se);
			for (char **p = env; *p; p++)
				free(*p);
			free(arg);
			free(proxy);
			free(gocache);
			free(vdir);
			free(pz);
			free(pm);
			free(pi);
			free(info);
		}
next:
		err_clear(&e);
		free(dir);
		buf_release(&z);
		buf_release(&ours);
		buf_release(&theirs);
	}
	if (!have_go)
		printf("SKIP: /usr/local/go/bin/go missing: no comparison with go's extraction\n");
	free(cache);
}

static void test_cache_failures(void)
{
	char *cache = xasprintf("%s/failcache", tmpdir);
	struct err e = ERR_INIT;
	struct buf z = BUF_INIT;
	char *dir = NULL;

	/* A hostile zip: nothing left behind but the lock and the zip files. */
	static const struct zent bad[] = {
		{M "go.mod", "module example.com/m\n", 0, 0, 0, 0},
		{M "A", "1", 0, 0, 0, 0},
		{M "a", "2", 0, 0, 0, 0},
		{0},
	};
	const struct fixture f = {"bad.zip", "example.com/m", "v1.0.0", "example.com/m", "v1.0.0", bad, "", ""};
	zip_build(&z, bad, 3);
	T_INTEQ(download_and_extract(cache, &f, &z, NULL, &dir, &e), -1, "hostile: fails");
	T_TRUE(strstr(err_msg(&e), "case-insensitive file name collision: \"A\" and \"a\"") != NULL,
	       "hostile: text: %s", err_msg(&e));
	err_clear(&e);
	char *mdir = xasprintf("%s/example.com/m@v1.0.0", cache);
	char *partial = xasprintf("%s/cache/download/example.com/m/@v/v1.0.0.partial", cache);
	T_TRUE(!os_exists(mdir), "hostile: no directory left");
	T_TRUE(!os_exists(partial), "hostile: no .partial left");
	char *d2 = NULL;
	T_INTEQ(mod_cache_download_dir(cache, "example.com/m", "v1.0.0", &d2, &e), MOD_DIR_ABSENT, "hostile: absent");
	err_clear(&e);
	free(d2);

	/* A partial tree (as after a crash) is removed and extracted again. */
	buf_reset(&z);
	zip_build(&z, fix_m, nents(fix_m));
	char *cache2 = xasprintf("%s/partialcache", tmpdir);
	char *mdir2 = xasprintf("%s/example.com/m@v1.0.0", cache2);
	char *part2 = xasprintf("%s/cache/download/example.com/m/@v/v1.0.0.partial", cache2);
	char *stale = xasprintf("%s/stale.go", mdir2);
	os_mkdir_all(mdir2, 0755, &e);
	char *vdir2 = path_dir(part2);
	os_mkdir_all(vdir2, 0755, &e);
	free(vdir2);
	os_write_file_atomic(part2, "", 0, 0644, &e);
	os_write_file_atomic(stale, "x", 1, 0644, &e);
	T_INTEQ(mod_cache_download_dir(cache2, "example.com/m", "v1.0.0", &d2, &e), MOD_DIR_ABSENT, "partial: absent");
	char *want = xasprintf("%s: not completely extracted", mdir2);
	T_STREQ(err_msg(&e), want, "partial: text");
	free(want);
	free(d2);
	err_clear(&e);
	if (download_and_extract(cache2, &fixtures[0], &z, NULL, &dir, &e) < 0)
		T_FAIL("partial: re-extract: %s", err_msg(&e));
	T_TRUE(!os_exists(stale), "partial: stale file removed");
	T_TRUE(!os_exists(part2), "partial: marker removed");
	free(dir);
	dir = NULL;
	err_clear(&e);

	/* A go.sum mismatch: SECURITY ERROR, no ziphash, no zip. */
	char *cache3 = xasprintf("%s/sumcache", tmpdir);
	struct mod_gosum s = {0};
	s.file = xasprintf("%s/go.sum", tmpdir);
	struct mod_gosum_entry ent = {xstrdup("example.com/m"), xstrdup("v1.0.0"),
				      xstrdup("h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), false, false};
	VEC_PUSH(&s.v, ent);
	T_INTEQ(download_and_extract(cache3, &fixtures[0], &z, &s, &dir, &e), -1, "mismatch: fails");
	T_STREQ(err_msg(&e),
		"verifying example.com/m@v1.0.0: checksum mismatch\n"
		"\tdownloaded: h1:YKuPmOZLpztD99phmJ2ff9T3j3ePpbBSZTSjtLEtaeY=\n"
		"\tgo.sum:     h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
		"\n"
		"SECURITY ERROR\n"
		"This download does NOT match an earlier download recorded in go.sum.\n"
		"The bits may have been replaced on the origin server, or an attacker may\n"
		"have intercepted the download attempt.\n"
		"\n"
		"For more information, see 'go help module-auth'.",
		"mismatch: text");
	err_clear(&e);
	char *zh3 = xasprintf("%s/cache/download/example.com/m/@v/v1.0.0.ziphash", cache3);
	char *zip3 = xasprintf("%s/cache/download/example.com/m/@v/v1.0.0.zip", cache3);
	char *vdir3 = xasprintf("%s/cache/download/example.com/m/@v", cache3);
	T_TRUE(!os_exists(zh3), "mismatch: no ziphash");
	T_TRUE(!os_exists(zip3), "mismatch: no zip");
	struct strvec left = {0};
	os_readdir(vdir3, &left, &e);
	T_INTEQ(left.n, 1, "mismatch: only the lock file is left (%s)", left.n ? left.v[0] : "");
	strvec_clear(&left);
	mod_gosum_release(&s);

	/* A zip with a file outside the prefix is refused before hashing. */
	static const struct zent outside[] = {{M "go.mod", "m", 0, 0, 0, 0}, {"other/x.go", "x", 0, 0, 0, 0}, {0}};
	char *cache4 = xasprintf("%s/outcache", tmpdir);
	buf_reset(&z);
	zip_build(&z, outside, 2);
	T_INTEQ(download_and_extract(cache4, &fixtures[0], &z, NULL, &dir, &e), -1, "outside: fails");
	T_STREQ(err_msg(&e), "zip for example.com/m@v1.0.0 has unexpected file other/x.go", "outside: text");
	err_clear(&e);

	free(cache);
	free(cache2);
	free(cache3);
	free(cache4);
	free(mdir);
	free(partial);
	free(mdir2);
	free(part2);
	free(stale);
	free(zh3);
	free(zip3);
	free(vdir3);
	buf_release(&z);
}

static bool keep_all_but_b(void *ctx, const char *path, const char *version)
{
	return strcmp(path, "example.com/b") != 0;
}

static void test_gosum(void)
{
	struct err e = ERR_INIT;
	struct mod_gosum s = {0};
	struct buf out = BUF_INIT;
	char *file = xasprintf("%s/sum/go.sum", tmpdir);
	char *dir = path_dir(file);
	os_mkdir_all(dir, 0755, &e);
	const char *text =
		"example.com/z v1.0.0 h1:zzz=\n"
		"\n"
		"example.com/a v1.10.0/go.mod h1:a10mod=\n"
		"example.com/a v1.9.0 h1:a9=\n"
		"example.com/a v1.10.0 h1:a10=\n"
		"example.com/a v1.9.0/go.mod h1:a9mod=\n"
		"  example.com/e v1.0.0/go.mod h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=  \n"
		"example.com/a v1.9.0 h1:a9=";
	os_write_file_atomic(file, text, strlen(text), 0644, &e);
	T_INTEQ(mod_gosum_read(&s, file, false, &e), 0, "read: %s", err_msg(&e));
	T_INTEQ(s.v.n, 6, "read: entries (empty go.mod hash dropped)");
	T_STREQ(mod_gosum_recorded(&s, "example.com/a", "v1.9.0"), "h1:a9=", "RecordedSum");
	T_STREQ(mod_gosum_recorded(&s, "example.com/q", "v1.9.0"), NULL, "RecordedSum missing");
	mod_gosum_format(&s, NULL, NULL, &out);
	T_STREQ(buf_cstr(&out),
		"example.com/a v1.9.0 h1:a9=\n"
		"example.com/a v1.9.0/go.mod h1:a9mod=\n"
		"example.com/a v1.10.0 h1:a10=\n"
		"example.com/a v1.10.0/go.mod h1:a10mod=\n"
		"example.com/z v1.0.0 h1:zzz=\n",
		"format: module.Sort order, duplicates once");
	buf_reset(&out);

	/* check: a match, a new sum, a mismatch */
	T_INTEQ(mod_gosum_check(&s, "example.com/a", "v1.9.0", "h1:a9=", &e), 0, "check match");
	T_INTEQ(mod_gosum_check(&s, "example.com/b", "v1.0.0", "h1:bb=", &e), 0, "check new");
	T_INTEQ(mod_gosum_check_gomod(&s, "example.com/c", "v1.0.0", "module example.com/m\n\ngo 1.21\n", 30, &e), 0,
		"check go.mod new");
	T_INTEQ(mod_gosum_check(&s, "example.com/z", "v1.0.0", "h1:other=", &e), -1, "check mismatch");
	T_TRUE(has_prefix(err_msg(&e), "verifying example.com/z@v1.0.0: checksum mismatch\n\tdownloaded: h1:other=\n"
				       "\tgo.sum:     h1:zzz=\n\nSECURITY ERROR\n"),
	       "check mismatch text: %s", err_msg(&e));
	err_clear(&e);

	/* Another process adds a line meanwhile; keep drops example.com/b. */
	const char *more = "example.com/y v1.0.0 h1:yy=\n";
	struct buf cur = BUF_INIT;
	os_read_file(file, &cur, 0, &e);
	buf_adds(&cur, "\n");
	buf_adds(&cur, more);
	os_write_file_atomic(file, cur.data, cur.len, 0644, &e);
	buf_release(&cur);
	T_INTEQ(mod_gosum_write(&s, keep_all_but_b, NULL, &e), 0, "write: %s", err_msg(&e));
	os_read_file(file, &out, 0, &e);
	T_STREQ(buf_cstr(&out),
		"example.com/a v1.9.0 h1:a9=\n"
		"example.com/a v1.9.0/go.mod h1:a9mod=\n"
		"example.com/a v1.10.0 h1:a10=\n"
		"example.com/a v1.10.0/go.mod h1:a10mod=\n"
		"example.com/c v1.0.0/go.mod h1:ONeDgCa5UF/jJRjGzpOKmUiezgFEk4IPFZ96frvroW0=\n"
		"example.com/y v1.0.0 h1:yy=\n"
		"example.com/z v1.0.0 h1:zzz=\n",
		"write: merged, sorted");
	buf_reset(&out);
	mod_gosum_release(&s);

	/* Malformed lines: go's fatal text, or skipped for go mod tidy. */
	const char *badtext = "example.com/a v1.0.0 h1:x=\n\nexample.com/a v1.0.0\n";
	os_write_file_atomic(file, badtext, strlen(badtext), 0644, &e);
	T_INTEQ(mod_gosum_read(&s, file, false, &e), -1, "malformed");
	char *want = xasprintf("malformed go.sum:\n%s:3: wrong number of fields 2", file);
	T_STREQ(err_msg(&e), want, "malformed: text");
	free(want);
	err_clear(&e);
	mod_gosum_release(&s);
	T_INTEQ(mod_gosum_read(&s, file, true, &e), 0, "malformed, tidy");
	T_INTEQ(s.v.n, 1, "malformed, tidy: one entry");
	mod_gosum_release(&s);

	/* A missing go.sum is empty. */
	char *missing = xasprintf("%s/none/go.sum", tmpdir);
	T_INTEQ(mod_gosum_read(&s, missing, false, &e), 0, "missing go.sum");
	T_INTEQ(s.v.n, 0, "missing go.sum: empty");
	mod_gosum_release(&s);
	free(missing);
	buf_release(&out);
	free(file);
	free(dir);
}

int main(void)
{
	struct err e = ERR_INIT;
	memset(readme, 'x', 1000);
	readme[1000] = '\n';
	if (os_mkdir_temp("/tmp", "modzip_test", &tmpdir, &e) < 0) {
		fprintf(stderr, "%s\n", err_msg(&e));
		return 1;
	}
	test_hashes();
	test_hostile();
	test_zip64();
	test_memo();
	test_mangled();
	test_cache_paths();
	test_lock();
	test_cache_extract();
	test_cache_failures();
	test_gosum();
	if (test_failures == 0)
		os_remove_all(tmpdir, &e);
	else
		fprintf(stderr, "left %s for inspection\n", tmpdir);
	free(tmpdir);
	return test_exit();
}
