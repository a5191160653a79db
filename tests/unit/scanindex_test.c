/*
 * The GOROOT scan index serializer (modload/scanindex.c): a round trip of
 * header-reader results for sources covering every field (imports with
 * cgo docs, embeds, directives, parse errors plain and positioned, NUL
 * read errors, doc text, non-Go comment blocks), and the rejection of
 * every truncation, flipped bytes and a file made for another key.
 * The sources are shaped after go/build/read_test.go's tables.
 */
#include <stdlib.h>
#include <string.h>

#include "modload/load_internal.h"
#include "test.h"

static const struct {
	const char *path, *src;
	size_t len; /* 0: strlen(src) */
} go_cases[] = {
	{"/g/src/a/doc.go", "// Copyright\n\n// Package a does things.\npackage a\n", 0},
	{"/g/src/a/a.go",
	 "//go:build linux && !cgo\n\n//go:debug panicnil=1\npackage a\n\n"
	 "import (\n\t\"fmt\"\n\tx \"os\"\n\t_ \"embed\"\n)\n\n//go:embed hello.txt *.tmpl\nvar s string\n", 0},
	{"/g/src/a/c.go",
	 "package a\n\n/*\n#cgo CFLAGS: -DX=1\n#include <stdio.h>\n*/\nimport \"C\"\nimport \"unsafe\"\n", 0},
	{"/g/src/a/bad.go", "package a\n\nimport \"fmt\"\nfunc x( {\n", 0},
	{"/g/src/a/badimp.go", "package a\nimport \"a b\"\n", 0},
	{"/g/src/a/nopkg.go", "// just a comment\n", 0},
	{"/g/src/a/nul.go", "package a\nimport \"x\0y\"\n", 23},
	{"/g/src/a/nul2.go", "package a\nfunc(\0\n", 17},
	{"/g/src/a/empty.go", "", 0},
};

static const struct {
	const char *path, *src;
} other_cases[] = {
	{"/g/src/a/x.s", "// +build amd64\n\n#include \"textflag.h\"\nTEXT ·f(SB),0,$0\n"},
	{"/g/src/a/y.h", ""},
	{"/g/src/a/z.c", "/* block */\n//go:build ignore\n\nint x;\n"},
	/* a file of a directory whose listing was not recorded */
	{"/g/src/c/w.s", "// only a file\n"},
};

static void check_gofile(const struct load_gofile *got, const struct load_gofile *want, const char *path)
{
	T_STREQ(got->pkg_name, want->pkg_name, "%s: pkg_name", path);
	T_INTEQ(got->pkg_line, want->pkg_line, "%s: pkg_line", path);
	T_INTEQ(got->pkg_col, want->pkg_col, "%s: pkg_col", path);
	T_STREQ(got->doc, want->doc, "%s: doc", path);
	/* the index keeps the header through the package name's line (all
	 * that constraint evaluation reads), or all of it without a name */
	size_t keep = want->header_len;
	if (want->pkg_name && want->header) {
		int line = 1;
		for (size_t i = 0; i < want->header_len; i++)
			if (want->header[i] == '\n' && line++ == want->pkg_line) {
				keep = i + 1;
				break;
			}
	}
	T_INTEQ(got->header_len, keep, "%s: header_len", path);
	T_TRUE((got->header == NULL) == (want->header == NULL), "%s: header nil-ness", path);
	if (got->header && want->header && got->header_len == keep)
		T_TRUE(memcmp(got->header, want->header, keep) == 0, "%s: header bytes", path);
	T_INTEQ(got->imports.n, want->imports.n, "%s: imports", path);
	for (size_t i = 0; i < got->imports.n && i < want->imports.n; i++) {
		T_STREQ(got->imports.v[i].path, want->imports.v[i].path, "%s: import %zu", path, i);
		T_INTEQ(got->imports.v[i].line, want->imports.v[i].line, "%s: import %zu line", path, i);
		T_INTEQ(got->imports.v[i].col, want->imports.v[i].col, "%s: import %zu col", path, i);
		T_STREQ(got->imports.v[i].doc, want->imports.v[i].doc, "%s: import %zu doc", path, i);
	}
	T_INTEQ(got->embeds.n, want->embeds.n, "%s: embeds", path);
	for (size_t i = 0; i < got->embeds.n && i < want->embeds.n; i++) {
		T_STREQ(got->embeds.v[i].pattern, want->embeds.v[i].pattern, "%s: embed %zu", path, i);
		T_INTEQ(got->embeds.v[i].line, want->embeds.v[i].line, "%s: embed %zu line", path, i);
		T_INTEQ(got->embeds.v[i].col, want->embeds.v[i].col, "%s: embed %zu col", path, i);
	}
	T_INTEQ(got->directives.n, want->directives.n, "%s: directives", path);
	for (size_t i = 0; i < got->directives.n && i < want->directives.n; i++) {
		T_STREQ(got->directives.v[i].text, want->directives.v[i].text, "%s: directive %zu", path, i);
		T_INTEQ(got->directives.v[i].line, want->directives.v[i].line, "%s: directive %zu line", path, i);
		T_INTEQ(got->directives.v[i].col, want->directives.v[i].col, "%s: directive %zu col", path, i);
	}
	T_STREQ(got->parse_error, want->parse_error, "%s: parse_error", path);
	T_INTEQ(got->parse_error_line, want->parse_error_line, "%s: parse_error_line", path);
	T_INTEQ(got->parse_error_col, want->parse_error_col, "%s: parse_error_col", path);
	T_STREQ(got->parse_error_msg, want->parse_error_msg, "%s: parse_error_msg", path);
	T_INTEQ(got->parse_error_plain, want->parse_error_plain, "%s: parse_error_plain", path);
	T_STREQ(got->read_error, want->read_error, "%s: read_error", path);
}

static struct load_dirent dir_a[] = {
	{"a.go", OS_FT_REG}, {"doc.go", OS_FT_REG}, {"link", OS_FT_LNK}, {"sub", OS_FT_DIR},
	{"x.s", OS_FT_REG}, {"zz", OS_FT_OTHER},
};

/* fill records every case into ix (the sources' results from the real reader). */
static void fill(struct load_scanindex *ix, struct arena *a)
{
	struct load_dirents d = {dir_a, countof(dir_a)}, empty = {NULL, 0};

	load_scanindex_put_dirents(ix, "/g/src/a", &d);
	load_scanindex_put_dirents(ix, "/g/src/a/sub", &empty);
	for (size_t i = 0; i < countof(go_cases); i++) {
		struct load_gofile gf;
		size_t n = go_cases[i].len ? go_cases[i].len : strlen(go_cases[i].src);
		load_read_gofile(a, go_cases[i].path, go_cases[i].src, n, &gf);
		load_scanindex_put_gofile(ix, go_cases[i].path, &gf, memchr(go_cases[i].src, 0, n) != NULL,
		                          i % 2 == 0);
		load_gofile_release(&gf);
	}
	for (size_t i = 0; i < countof(other_cases); i++) {
		const char *src = other_cases[i].src;
		load_scanindex_put_comments(ix, other_cases[i].path, src, load_read_comments(src, strlen(src)));
	}
}

/* check compares every record of ix with a fresh read of the sources. */
static void check(struct load_scanindex *ix, struct arena *a, const char *what)
{
	const struct load_dirents *d = load_scanindex_dirents(ix, "/g/src/a");

	T_TRUE(d != NULL, "%s: dir a missing", what);
	if (d) {
		T_INTEQ(d->n, countof(dir_a), "%s: dir a entries", what);
		for (size_t i = 0; i < d->n && i < countof(dir_a); i++) {
			T_STREQ(d->v[i].name, dir_a[i].name, "%s: entry %zu", what, i);
			T_INTEQ(d->v[i].type, dir_a[i].type, "%s: entry %zu type", what, i);
		}
	}
	d = load_scanindex_dirents(ix, "/g/src/a/sub");
	T_TRUE(d != NULL && d->n == 0, "%s: empty dir sub", what);
	T_TRUE(load_scanindex_dirents(ix, "/g/src/b") == NULL, "%s: unknown dir", what);
	T_TRUE(load_scanindex_dirents(ix, "/g/src/c") == NULL, "%s: dir c has no listing", what);
	T_TRUE(load_scanindex_dirents(ix, "/g/src/a/") == NULL, "%s: dir a/ is not a", what);
	T_TRUE(load_scanindex_dirents(ix, "/g/src") == NULL, "%s: dir src is not a", what);
	for (size_t i = 0; i < countof(go_cases); i++) {
		struct load_gofile want, got;
		bool nul = false, eof = false;
		size_t n = go_cases[i].len ? go_cases[i].len : strlen(go_cases[i].src);
		load_read_gofile(a, go_cases[i].path, go_cases[i].src, n, &want);
		memset(&got, 0, sizeof got);
		T_TRUE(load_scanindex_gofile(ix, go_cases[i].path, &got, &nul, &eof), "%s: %s missing", what,
		       go_cases[i].path);
		check_gofile(&got, &want, go_cases[i].path);
		if (strcmp(go_cases[i].path, "/g/src/a/a.go") == 0)
			T_TRUE(got.header_len > 10 && got.header_len < want.header_len &&
			       memcmp(got.header + got.header_len - 10, "package a\n", 10) == 0,
			       "%s: a.go's header is not cut after its package clause", what);
		T_INTEQ(nul, memchr(go_cases[i].src, 0, n) != NULL, "%s: %s has_nul", what, go_cases[i].path);
		T_INTEQ(eof, i % 2 == 0, "%s: %s hdr_eof", what, go_cases[i].path);
		load_gofile_release(&got);
		load_gofile_release(&want);
	}
	for (size_t i = 0; i < countof(other_cases); i++) {
		const char *src = other_cases[i].src, *hdr = NULL;
		size_t len = 0, want = load_read_comments(src, strlen(src));
		T_TRUE(load_scanindex_comments(ix, other_cases[i].path, &hdr, &len), "%s: %s missing", what,
		       other_cases[i].path);
		T_INTEQ(len, want, "%s: %s comment length", what, other_cases[i].path);
		if (hdr && len == want)
			T_TRUE(memcmp(hdr, src, len) == 0, "%s: %s comment bytes", what, other_cases[i].path);
	}
	{
		struct load_gofile gf;
		bool nul, eof;
		const char *hdr;
		size_t len;
		/* a file recorded as Go is not a non-Go file, and unknown files miss */
		T_TRUE(!load_scanindex_comments(ix, "/g/src/a/a.go", &hdr, &len), "%s: kind mix-up", what);
		T_TRUE(!load_scanindex_gofile(ix, "/g/src/a/x.s", &gf, &nul, &eof), "%s: kind mix-up .s", what);
		T_TRUE(!load_scanindex_gofile(ix, "/g/src/a/none.go", &gf, &nul, &eof), "%s: unknown file", what);
	}
}

/* decode_copy decodes a copy of bytes into a fresh index for key. */
static int decode_copy(const char *goroot, const char *version, const char *p, size_t n,
                       struct load_scanindex **out)
{
	struct buf b = BUF_INIT;
	int rc;

	buf_add(&b, p, n);
	*out = load_scanindex_new(goroot, version);
	rc = load_scanindex_decode(*out, &b);
	buf_release(&b);
	return rc;
}

static uint32_t rd32(const unsigned char *u)
{
	return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

static void wr32(unsigned char *u, uint32_t v)
{
	u[0] = (unsigned char)v;
	u[1] = (unsigned char)(v >> 8);
	u[2] = (unsigned char)(v >> 16);
	u[3] = (unsigned char)(v >> 24);
}

static uint32_t crc(const void *p, size_t n)
{
	return hash_crc32c(0, p, n);
}

/*
 * reseal fixes the lengths and checksums of an edited file, so the parser
 * behind them is what gets tested.  Layout (format 4): magic 8, format 4,
 * head_len 4, file_len 4, crc32c(head) 4, head (goroot, version, ndirs, a
 * table of { name_off, rec_off, rec_len, crc32c(record) }, names), records.
 * The head is taken to end where the payload was cut (at most head_len).
 */
static void reseal(struct buf *b, size_t head_len)
{
	unsigned char *u = (unsigned char *)b->data;
	size_t at = 24, ndirs;

	if (b->len < 24)
		return;
	if (head_len > b->len - 24)
		head_len = b->len - 24;
	wr32(u + 12, (uint32_t)head_len);
	wr32(u + 16, (uint32_t)b->len);
	/* skip goroot and version to reach the table, when they are intact */
	for (int k = 0; k < 2; k++) {
		if (at + 4 > 24 + head_len)
			goto head;
		at += 4 + rd32(u + at) + 1;
	}
	if (at + 4 > 24 + head_len)
		goto head;
	ndirs = rd32(u + at);
	at += 4;
	for (size_t i = 0; i < ndirs && at + 16 <= 24 + head_len; i++, at += 16) {
		size_t off = rd32(u + at + 4), len = rd32(u + at + 8);
		if (off <= b->len && len <= b->len - off)
			wr32(u + at + 12, crc(u + off, len));
	}
head:
	wr32(u + 20, crc(u + 24, head_len));
}

/* check_quiet asks for every record of a damaged index, asserting
 * nothing: whatever it returns must be readable (ASan). */
static void check_quiet(struct load_scanindex *ix)
{
	const char *dirs[] = {"/g/src/a", "/g/src/a/sub", "/g/src/c"};
	volatile size_t sum = 0;

	for (size_t i = 0; i < countof(dirs); i++) {
		const struct load_dirents *d = load_scanindex_dirents(ix, dirs[i]);
		for (size_t k = 0; d && k < d->n; k++)
			sum += strlen(d->v[k].name);
	}
	for (size_t i = 0; i < countof(go_cases); i++) {
		struct load_gofile gf;
		bool nul, eof;
		if (!load_scanindex_gofile(ix, go_cases[i].path, &gf, &nul, &eof))
			continue;
		sum += gf.pkg_name ? strlen(gf.pkg_name) : 0;
		sum += gf.header_len ? (unsigned char)gf.header[gf.header_len - 1] : 0;
		for (size_t k = 0; k < gf.imports.n; k++)
			sum += strlen(gf.imports.v[k].path);
		load_gofile_release(&gf);
	}
	for (size_t i = 0; i < countof(other_cases); i++) {
		const char *hdr;
		size_t len;
		if (load_scanindex_comments(ix, other_cases[i].path, &hdr, &len) && len)
			sum += (unsigned char)hdr[len - 1];
	}
	(void)sum;
}

/* accepted_bad: whether a damaged file gave any data: it decoded and
 * every record in it checked good (then check() would have to pass). */
static bool accepted_bad(struct buf *b)
{
	struct load_scanindex *ix = load_scanindex_new("/g/src", "go1.26.8");
	bool accepted = load_scanindex_decode(ix, b) == 0 && load_scanindex_check_all(ix) == 0;

	load_scanindex_free(ix);
	return accepted;
}

int main(void)
{
	struct arena a;
	struct load_scanindex *ix, *back = NULL;
	struct buf enc = BUF_INIT, enc2 = BUF_INIT;
	size_t bad_accepted = 0;

	arena_init(&a);
	ix = load_scanindex_new("/g/src", "go1.26.8");
	T_TRUE(!load_scanindex_dirty(ix), "new index is clean");
	fill(ix, &a);
	T_TRUE(load_scanindex_dirty(ix), "filled index is dirty");
	check(ix, &a, "in memory");

	load_scanindex_encode(ix, &enc);
	T_INTEQ(decode_copy("/g/src", "go1.26.8", enc.data, enc.len, &back), 0, "decode");
	T_TRUE(!load_scanindex_dirty(back), "decoded index is clean");
	check(back, &a, "decoded");
	/* a decoded index re-encodes to the same bytes (sorted records) */
	load_scanindex_encode(back, &enc2);
	T_TRUE(enc2.len == enc.len && memcmp(enc2.data, enc.data, enc.len) == 0, "re-encode differs");
	/* recording what is already there changes nothing */
	fill(back, &a);
	T_TRUE(!load_scanindex_dirty(back), "re-recording made the index dirty");
	load_scanindex_free(back);

	/* another GOROOT or toolchain never reads this file */
	T_INTEQ(decode_copy("/h/src", "go1.26.8", enc.data, enc.len, &back), -1, "other goroot accepted");
	load_scanindex_free(back);
	T_INTEQ(decode_copy("/g/src", "go1.26.7", enc.data, enc.len, &back), -1, "other version accepted");
	T_TRUE(load_scanindex_dirents(back, "/g/src/a") == NULL, "rejected index has data");
	load_scanindex_free(back);

	/* every truncation and every flipped byte is rejected: the file, or
	 * the records it touches */
	for (size_t n = 0; n < enc.len; n++) {
		struct buf b = BUF_INIT;
		buf_add(&b, enc.data, n);
		bad_accepted += accepted_bad(&b);
		buf_release(&b);
	}
	T_INTEQ(bad_accepted, 0, "truncations accepted");
	for (size_t i = 0; i < enc.len; i++) {
		enc.data[i] ^= 0x20;
		if (decode_copy("/g/src", "go1.26.8", enc.data, enc.len, &back) == 0) {
			size_t bad = load_scanindex_check_all(back);
			bad_accepted += bad == 0;
			/* a bad record's directory and files are simply absent */
			if (bad)
				T_TRUE(load_scanindex_dirents(back, "/g/src/a") == NULL ||
				       load_scanindex_dirents(back, "/g/src/a/sub") == NULL ||
				       !load_scanindex_comments(back, "/g/src/c/w.s", &(const char *){0}, &(size_t){0}),
				       "byte %zu: a bad record gave data", i);
		}
		load_scanindex_free(back);
		enc.data[i] ^= 0x20;
	}
	T_INTEQ(bad_accepted, 0, "flipped bytes accepted");
	/* the parsers themselves, behind valid checksums: every truncation is
	 * rejected and no flipped byte reads out of bounds (ASan) */
	{
		size_t head_len = rd32((unsigned char *)enc.data + 12);
		for (size_t n = 24; n < enc.len; n++) {
			struct buf b = BUF_INIT;
			buf_add(&b, enc.data, n);
			reseal(&b, head_len);
			bad_accepted += accepted_bad(&b);
			buf_release(&b);
		}
		T_INTEQ(bad_accepted, 0, "resealed truncations accepted");
		for (size_t i = 24; i < enc.len; i++) {
			struct buf b = BUF_INIT;
			buf_add(&b, enc.data, enc.len);
			b.data[i] ^= 0x81;
			reseal(&b, head_len);
			back = load_scanindex_new("/g/src", "go1.26.8");
			if (load_scanindex_decode(back, &b) == 0) {
				(void)load_scanindex_check_all(back);
				check_quiet(back);
			}
			load_scanindex_free(back);
			buf_release(&b);
		}
	}
	/* garbage appended after a valid file */
	buf_add(&enc, "x", 1);
	T_INTEQ(decode_copy("/g/src", "go1.26.8", enc.data, enc.len, &back), -1, "trailing byte accepted");
	load_scanindex_free(back);

	load_scanindex_free(ix);
	buf_release(&enc);
	buf_release(&enc2);
	arena_release(&a);
	return test_exit();
}
