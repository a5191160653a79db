/*
 * runtime/buildinfo.c: the modinfo text format (cases from
 * runtime/debug/mod_test.go's FuzzParseBuildInfoRoundTrip seeds, and
 * errors as go1.26's debug.ParseBuildInfo reports them), Uvarint edge
 * cases (encoding/binary's rules), and blob decoding from synthetic Plan 9
 * a.out images in both layouts, truncated and corrupted without crashing.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"
#include "tests/unit/test.h"

static const struct {
	const char *in;
	const char *want; /* String() of the result, or the error text */
	bool err;
} parse_cases[] = {
	/* FuzzParseBuildInfoRoundTrip seeds */
	{"path\trsc.io/fortune\nmod\trsc.io/fortune\tv1.0.0\n", "path\trsc.io/fortune\nmod\trsc.io/fortune\tv1.0.0\t\n", false},
	{"path\tcmd/test2json", "", false},
	{"go\t1.18\npath\texample.com/m\nmod\texample.com/m\t(devel)\t\nbuild\t-compiler=gc\n",
	 "path\texample.com/m\nmod\texample.com/m\t(devel)\t\nbuild\t-compiler=gc\n", false},
	{"go 1.18\npath example.com/m\nbuild CRAZY_ENV=\"requires\\nescaping\"\n", "", false},
	/* errors and quoting, checked against go1.26 */
	{"mod\tx\n", "could not parse Go build info: line 1: expected 2 or 3 columns; got 1", true},
	{"mod\ta\tb\tc\td\n", "could not parse Go build info: line 1: expected 2 or 3 columns; got 4", true},
	{"=>\ta\tb\n", "could not parse Go build info: line 1: expected 3 columns for replacement; got 2", true},
	{"=>\ta\tb\tc\n", "could not parse Go build info: line 1: replacement with no module on previous line", true},
	{"build\t\n", "could not parse Go build info: line 1: build line missing '='", true},
	{"build\t=x\n", "could not parse Go build info: line 1: build line with missing key", true},
	{"build\t\"k\n", "could not parse Go build info: line 1: invalid quoted key in build line", true},
	{"build\t\"k\"\n", "could not parse Go build info: line 1: build line missing '=' after quoted key", true},
	{"build\t\"k\"x=1\n", "could not parse Go build info: line 1: unexpected character after quoted key: 'x'", true},
	{"build\tkey\n", "could not parse Go build info: line 1: build line missing '=' after key", true},
	{"build\tk y=1\n", "could not parse Go build info: line 1: unquoted key \"k y\" must be quoted", true},
	{"build\tk=a b\n", "could not parse Go build info: line 1: unquoted value \"a b\" must be quoted", true},
	{"build\tk=\"a\n", "could not parse Go build info: line 1: invalid quoted value in build line", true},
	{"build\tk=\"a\\qb\"\n", "could not parse Go build info: line 1: invalid quoted value in build line", true},
	{"path\tx\nmod\tm\tv1\nbuild\tk=\"a\nb\n", "could not parse Go build info: line 3: invalid quoted value in build line", true},
	{"path\tp\nbuild\tk=\"a\\x41\\u00e9\\101\"\n", "path\tp\nbuild\tk=aA\xc3\xa9" "A\n", false},
	{"build\t`raw key`=`v\"`\n", "build\t\"raw key\"=\"v\\\"\"\n", false},
	{"build\t\"k\\t\"=\"\\n\"\n", "build\t\"k\\t\"=\"\\n\"\n", false},
	{"path\tx\nmod\tm\tv1\nfoo\tbar\nbuild\tCGO_ENABLED=1\nbuild\tk=\n",
	 "path\tx\nmod\tm\tv1\t\nbuild\tCGO_ENABLED=1\nbuild\tk=\n", false},
	{"dep\ta\tv1\th1:x\n=>\tb\tv2\th1:y\nmod\tm\t(devel)\t\n", "mod\tm\t(devel)\t\ndep\ta\tv1\n=>\tb\tv2\th1:y\n\n", false},
	{"path\tno newline", "", false},
};

static void test_parse(void)
{
	for (size_t i = 0; i < countof(parse_cases); i++) {
		struct arena a;
		struct buildinfo bi, bi2;
		struct err e = ERR_INIT;
		struct buf b = BUF_INIT, b2 = BUF_INIT;
		int rc;

		arena_init(&a);
		rc = buildinfo_parse(parse_cases[i].in, strlen(parse_cases[i].in), &a, &bi, &e);
		if (parse_cases[i].err) {
			T_INTEQ(rc, -1, "parse %zu", i);
			T_STREQ(err_msg(&e), parse_cases[i].want, "parse %zu error", i);
		} else {
			T_INTEQ(rc, 0, "parse %zu: %s", i, err_msg(&e));
			buildinfo_string(&b, &bi);
			if (i >= 3) /* the seeds only round-trip */
				T_STREQ(buf_cstr(&b), parse_cases[i].want, "parse %zu String", i);
			/* String() output parses back to the same String() */
			T_INTEQ(buildinfo_parse(b.data ? b.data : "", b.len, &a, &bi2, &e), 0, "reparse %zu", i);
			buildinfo_string(&b2, &bi2);
			T_STREQ(buf_cstr(&b2), buf_cstr(&b), "round trip %zu", i);
			buildinfo_release(&bi2);
			buildinfo_release(&bi);
		}
		buf_release(&b);
		buf_release(&b2);
		err_clear(&e);
		arena_release(&a);
	}
}

/* encoding/binary.Uvarint, values checked against go1.26 */
static void test_uvarint(void)
{
	static const struct {
		unsigned char b[11];
		size_t n;
		uint64_t v;
		int used;
	} cases[] = {
		{{0}, 0, 0, 0},
		{{0x80}, 1, 0, 0},
		{{0x00}, 1, 0, 1},
		{{0x7f}, 1, 127, 1},
		{{0x80, 0x01}, 2, 128, 2},
		{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 10, UINT64_MAX, 10},
		{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, 10, 0, -10},
		{{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 11, 0, -11},
		{{0xac, 0x02, 0xff}, 3, 300, 2},
	};
	for (size_t i = 0; i < countof(cases); i++) {
		uint64_t v = 99;
		int n = buildinfo_uvarint(cases[i].b, cases[i].n, &v);
		T_INTEQ(n, cases[i].used, "uvarint %zu used", i);
		T_TRUE(v == cases[i].v, "uvarint %zu value %llu", i, (unsigned long long)v);
	}
}

static void put32be(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void put32le(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static const char sentinel[] = "0123456789abcdef"; /* any 16 bytes */
static const char modtext[] =
	"path\texample.com/m\nmod\texample.com/m\t(devel)\t\ndep\texample.com/dep\tv1.2.3\n"
	"=>\t../dep\t\t\nbuild\t-ldflags=\"-X main.v=x\"\nbuild\tCGO_ENABLED=0\n";

/*
 * plan9_image builds a 386 Plan 9 a.out whose data section (file offset
 * 48, which is also its address) starts with a build info blob: inline
 * strings when inl, else a 4-byte little-endian pointer header.
 */
static size_t plan9_image(unsigned char *img, size_t cap, bool inl, const char *vers)
{
	struct buf mod = BUF_INIT;
	unsigned char *d = img + 48;
	size_t n = 0, dsize;

	buf_adds(&mod, sentinel);
	buf_adds(&mod, modtext);
	buf_adds(&mod, sentinel);
	memset(img, 0, cap);
	put32be(img, 0x1eb);
	put32be(img + 4, 16); /* text */
	memcpy(d, "\xff Go buildinf:", 14);
	d[14] = 4;
	if (inl) {
		d[15] = 2;
		n = 32;
		d[n++] = (unsigned char)strlen(vers);
		memcpy(d + n, vers, strlen(vers));
		n += strlen(vers);
		d[n++] = (unsigned char)(0x80 | (mod.len & 0x7f));
		d[n++] = (unsigned char)(mod.len >> 7);
		memcpy(d + n, mod.data, mod.len);
		n += mod.len;
	} else {
		/* string headers at data+32 and data+40, bytes after them */
		uint32_t base = 48, vs = base + 48, ms = vs + (uint32_t)strlen(vers);
		d[15] = 0;
		put32le(d + 16, base + 32);
		put32le(d + 20, base + 40);
		put32le(d + 32, vs);
		put32le(d + 36, (uint32_t)strlen(vers));
		put32le(d + 40, ms);
		put32le(d + 44, (uint32_t)mod.len);
		memcpy(d + 48, vers, strlen(vers));
		memcpy(d + 48 + strlen(vers), mod.data, mod.len);
		n = 48 + strlen(vers) + mod.len;
	}
	dsize = (n + 15) & ~(size_t)15;
	put32be(img + 8, (uint32_t)dsize);
	CHECK(48 + dsize <= cap);
	buf_release(&mod);
	return 48 + dsize;
}

static const char want_m[] =
	"go\tgo1.26.8\npath\texample.com/m\nmod\texample.com/m\t(devel)\t\ndep\texample.com/dep\tv1.2.3\n"
	"=>\t../dep\t\t\n\nbuild\t-ldflags=\"-X main.v=x\"\nbuild\tCGO_ENABLED=0\n";

static const char want_json[] =
	"{\n\t\"GoVersion\": \"go1.26.8\",\n\t\"Path\": \"example.com/m\",\n\t\"Main\": {\n"
	"\t\t\"Path\": \"example.com/m\",\n\t\t\"Version\": \"(devel)\"\n\t},\n\t\"Deps\": [\n\t\t{\n"
	"\t\t\t\"Path\": \"example.com/dep\",\n\t\t\t\"Version\": \"v1.2.3\",\n\t\t\t\"Replace\": {\n"
	"\t\t\t\t\"Path\": \"../dep\"\n\t\t\t}\n\t\t}\n\t],\n\t\"Settings\": [\n\t\t{\n"
	"\t\t\t\"Key\": \"-ldflags\",\n\t\t\t\"Value\": \"-X main.v=x\"\n\t\t},\n\t\t{\n"
	"\t\t\t\"Key\": \"CGO_ENABLED\",\n\t\t\t\"Value\": \"0\"\n\t\t}\n\t]\n}";

static void test_images(void)
{
	static unsigned char img[1024], bad[1024];

	for (int inl = 0; inl < 2; inl++) {
		size_t n = plan9_image(img, sizeof img, inl, "go1.26.8");
		struct arena a;
		struct buildinfo bi;
		struct err e = ERR_INIT;
		struct buf b = BUF_INIT;

		arena_init(&a);
		T_INTEQ(buildinfo_read_mem(img, n, "x", &a, &bi, &e), 0, "image inl=%d: %s", inl, err_msg(&e));
		buildinfo_string(&b, &bi);
		T_STREQ(buf_cstr(&b), want_m, "image inl=%d String", inl);
		buf_reset(&b);
		json_marshal_indent(&b, buildinfo_val(&a, &bi), "", "\t");
		T_STREQ(buf_cstr(&b), want_json, "image inl=%d json", inl);
		buildinfo_release(&bi);

		/* every truncation is handled: before the blob's header ends it
		 * fails; later, a success (the old layout drops an unreadable
		 * modinfo, the inline one tolerates lost padding) keeps the version */
		for (size_t k = 0; k < n; k++) {
			if (buildinfo_read_mem(img, k, "x", &a, &bi, &e) == 0) {
				T_TRUE(k >= 48 + 32, "truncated to %zu read fine", k);
				T_STREQ(bi.go_version, "go1.26.8", "truncated to %zu version", k);
				buildinfo_release(&bi);
			}
			err_clear(&e);
		}
		T_INTEQ(buildinfo_read_mem(img, 20, "x", &a, &bi, &e), -1, "short");
		T_STREQ(err_msg(&e), "could not read Go build info from x: unrecognized file format", "short text");
		err_clear(&e);
		/* flip every byte to a few values: never a crash */
		for (size_t k = 0; k < n; k++) {
			static const unsigned char vals[] = {0x00, 0x01, 0x7f, 0x80, 0xff};
			for (size_t j = 0; j < countof(vals); j++) {
				memcpy(bad, img, n);
				bad[k] = vals[j];
				if (buildinfo_read_mem(bad, n, "x", &a, &bi, &e) == 0)
					buildinfo_release(&bi);
				err_clear(&e);
			}
		}
		buf_release(&b);
		arena_release(&a);
	}

	/* no blob in the data: not a Go executable */
	{
		size_t n = plan9_image(img, sizeof img, true, "go1.26.8");
		struct arena a;
		struct buildinfo bi;
		struct err e = ERR_INIT;
		arena_init(&a);
		img[48] = 'x';
		T_INTEQ(buildinfo_read_mem(img, n, "f", &a, &bi, &e), -1, "no magic");
		T_STREQ(err_msg(&e), "could not read Go build info from f: not a Go executable", "no magic text");
		err_clear(&e);
		/* an empty version is not a Go executable either */
		n = plan9_image(img, sizeof img, true, "");
		T_INTEQ(buildinfo_read_mem(img, n, "f", &a, &bi, &e), -1, "empty version");
		T_STREQ(err_msg(&e), "could not read Go build info from f: not a Go executable", "empty version text");
		err_clear(&e);
		arena_release(&a);
	}
}

int main(void)
{
	test_parse();
	test_uvarint();
	test_images();
	return test_exit();
}
