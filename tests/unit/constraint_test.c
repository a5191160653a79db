/*
 * Build constraints: tables from go/build/constraint/expr_test.go
 * (exprStringTests, lexTests, parseExprTests, parseExprErrorTests,
 * exprEvalTests, parsePlusBuildExprTests, constraintTests) and
 * go/build/build_test.go (TestMatch, shouldBuildTests, TestGoodOSArchFile,
 * matchFileTests' name rows).
 */
#include <stdlib.h>
#include <string.h>

#include "modload/header_internal.h"
#include "test.h"

static struct arena A;

static char *expr_string(const struct load_cexpr *x)
{
	struct buf b = BUF_INIT;
	load_cexpr_string(&b, x);
	return buf_detach(&b);
}

/* tags_string renders a consulted-tag set sorted and space-separated. */
static char *tags_string(struct map *m)
{
	struct strvec sv = {0};
	struct buf b = BUF_INIT;
	size_t i = 0, j;
	const char *k;
	void *v;

	while (map_next(m, &i, &k, &v))
		strvec_push(&sv, k);
	strvec_sort(&sv);
	for (j = 0; j < sv.n; j++) {
		if (j)
			buf_addch(&b, ' ');
		buf_adds(&b, sv.v[j]);
	}
	strvec_clear(&sv);
	return buf_detach(&b);
}

static void test_parse_expr(void)
{
	/* parseExprTests, checked through String() like Go's test */
	static const struct { const char *in, *out; } rows[] = {
		{"x", "x"},
		{"x&&y", "x && y"},
		{"x||y", "x || y"},
		{"(x)", "x"},
		{"x||y&&z", "x || (y && z)"},
		{"x&&y||z", "(x && y) || z"},
		{"x&&(y||z)", "x && (y || z)"},
		{"(x||y)&&z", "(x || y) && z"},
		{"!(x&&y)", "!(x && y)"},
		/* exprStringTests */
		{"abc", "abc"},
		{"!abc", "!abc"},
		{"!(abc && def)", "!(abc && def)"},
		{"abc && (def || ghi)", "abc && (def || ghi)"},
		{"(abc && def) || ghi", "(abc && def) || ghi"},
		/* lexTests that lex cleanly into one expression */
		{"x.y", "x.y"},
		{"x_y", "x_y"},
		{"αx", "αx"},
		{"go1.2", "go1.2"},
	};
	for (size_t i = 0; i < countof(rows); i++) {
		struct load_cexpr *x = NULL;
		struct err e = ERR_INIT;
		int rc = load_cexpr_parse_expr(&A, str_c(rows[i].in), &x, NULL, &e);
		T_INTEQ(rc, 0, "parseExpr(%s): %s", rows[i].in, err_msg(&e));
		if (rc == 0) {
			char *s = expr_string(x);
			T_STREQ(s, rows[i].out, "parseExpr(%s)", rows[i].in);
			free(s);
		}
		err_clear(&e);
	}
}

static void test_parse_errors(void)
{
	static const struct { const char *in; size_t off; const char *err; } rows[] = {
		/* parseExprErrorTests */
		{"x && ", 5, "unexpected end of expression"},
		{"x && (", 6, "missing close paren"},
		{"x && ||", 5, "unexpected token ||"},
		{"x && !", 6, "unexpected end of expression"},
		{"x && !!", 6, "double negation not allowed"},
		{"x !", 2, "unexpected token !"},
		{"x && (y", 5, "missing close paren"},
		/* lexTests error rows (the lexer fails before the parser does) */
		{"αx²", 3, "invalid syntax at ²"},
		{"x~", 1, "invalid syntax at ~"},
		{"x ~", 2, "invalid syntax at ~"},
		{"x &", 2, "invalid syntax at &"},
		{"x &y", 2, "invalid syntax at &"},
		/* lexTests rows that lex but do not parse */
		{"x y", 2, "unexpected token y"},
		{"x!y", 1, "unexpected token !"},
		{"", 0, "unexpected end of expression"},
		{"&&||!()xy yx ", 0, "unexpected token &&"},
	};
	for (size_t i = 0; i < countof(rows); i++) {
		struct load_cexpr *x = NULL;
		struct err e = ERR_INIT;
		size_t off = 99;
		int rc = load_cexpr_parse_expr(&A, str_c(rows[i].in), &x, &off, &e);
		T_INTEQ(rc, -1, "parseExpr(%s) should fail", rows[i].in);
		T_STREQ(err_msg(&e), rows[i].err, "parseExpr(%s)", rows[i].in);
		T_INTEQ(off, rows[i].off, "parseExpr(%s) offset", rows[i].in);
		err_clear(&e);
	}
}

static void test_plus_build(void)
{
	/* parsePlusBuildExprTests */
	static const struct { const char *in, *out; } rows[] = {
		{"x", "x"},
		{"x,y", "x && y"},
		{"x y", "x || y"},
		{"x y,z", "x || (y && z)"},
		{"x,y z", "(x && y) || z"},
		{"x,!y !z", "(x && !y) || !z"},
		{"!! x", "ignore || x"},
		{"!!x", "ignore"},
		{"!x", "!x"},
		{"!", "ignore"},
		{"", "ignore"},
		{"x-y", "ignore"},
	};
	for (size_t i = 0; i < countof(rows); i++) {
		struct load_cexpr *x = NULL;
		struct err e = ERR_INIT;
		T_INTEQ(load_cexpr_parse_plus(&A, str_c(rows[i].in), &x, &e), 0, "plus(%s)", rows[i].in);
		if (x) {
			char *s = expr_string(x);
			T_STREQ(s, rows[i].out, "parsePlusBuildExpr(%s)", rows[i].in);
			free(s);
		}
		err_clear(&e);
	}
}

static void test_constraint_parse(void)
{
	/* constraintTests: out NULL means an error containing err */
	static const struct { const char *in, *out, *err; } rows[] = {
		{"//+build !", "ignore", NULL},
		{"//+build", "ignore", NULL},
		{"//+build x y", "x || y", NULL},
		{"// +build x y \n", "x || y", NULL},
		{"// +build x y \n ", NULL, "not a build constraint"},
		{"// +build x y \nmore", NULL, "not a build constraint"},
		{" //+build x y", NULL, "not a build constraint"},
		{"//go:build x && y", "x && y", NULL},
		{"//go:build x && y\n", "x && y", NULL},
		{"//go:build x && y\n ", NULL, "not a build constraint"},
		{"//go:build x && y\nmore", NULL, "not a build constraint"},
		{" //go:build x && y", NULL, "not a build constraint"},
		{"//go:build\n", NULL, "unexpected end of expression"},
		{"//go:buildx", NULL, "not a build constraint"},
		{"//+buildx", NULL, "not a build constraint"},
	};
	for (size_t i = 0; i < countof(rows); i++) {
		struct load_cexpr *x = NULL;
		struct err e = ERR_INIT;
		int rc = load_cexpr_parse(&A, str_c(rows[i].in), &x, &e);
		if (rows[i].out) {
			T_INTEQ(rc, 0, "Parse(%s): %s", rows[i].in, err_msg(&e));
			if (rc == 0) {
				char *s = expr_string(x);
				T_STREQ(s, rows[i].out, "Parse(%s)", rows[i].in);
				free(s);
			}
		} else {
			T_INTEQ(rc, -1, "Parse(%s)", rows[i].in);
			T_STREQ(err_msg(&e), rows[i].err, "Parse(%s)", rows[i].in);
		}
		err_clear(&e);
	}
}

static void ctx_init(struct buildctx *c, const char *goos, const char *goarch)
{
	memset(c, 0, sizeof(*c));
	c->goos = (char *)goos;
	c->goarch = (char *)goarch;
	c->compiler = (char *)"gc";
}

static void test_eval(void)
{
	/* exprEvalTests: only "yes" is satisfied */
	static const struct { const char *in; bool ok; const char *tags; } rows[] = {
		{"x", false, "x"},
		{"x && y", false, "x y"},
		{"x || y", false, "x y"},
		{"!x && yes", true, "x yes"},
		{"yes || y", true, "y yes"},
	};
	struct buildctx c;

	ctx_init(&c, "", "");
	c.compiler = NULL;
	strvec_push(&c.build_tags, "yes");
	for (size_t i = 0; i < countof(rows); i++) {
		struct map m;
		struct err e = ERR_INIT;
		bool ok = !rows[i].ok;
		char *tags;
		map_init(&m);
		T_INTEQ(load_eval_go_build_expr(&c, rows[i].in, &ok, &m, &A, &e), 0, "eval(%s)", rows[i].in);
		T_INTEQ(ok, rows[i].ok, "eval(%s)", rows[i].in);
		tags = tags_string(&m);
		T_STREQ(tags, rows[i].tags, "eval(%s) tags", rows[i].in);
		free(tags);
		map_release(&m);
	}
	strvec_clear(&c.build_tags);
}

static void test_match_tag(void)
{
	/* TestMatch (go/build), with GOOS/GOARCH linux/amd64 */
	static const struct { const char *tags, *in; bool ok; const char *want; } rows[] = {
		{"", "linux,amd64", true, "amd64 linux"},
		{"", "linux,amd64,!foo", true, "amd64 foo linux"},
		{"", "linux,amd64,foo", false, "amd64 foo linux"},
		{"foo", "linux,amd64", true, "amd64 linux"},
		{"foo", "linux,amd64,foo", true, "amd64 foo linux"},
		{"foo", "linux,amd64,!foo", false, "amd64 foo linux"},
		{"foo", "linux,amd64,!bar", true, "amd64 bar linux"},
		{"foo", "linux,amd64,bar", false, "amd64 bar linux"},
		/* //go:build syntax through matchAuto */
		{"", "linux && (arm || amd64)", true, "amd64 arm linux"},
		{"", "unix && !windows", true, "unix windows"},
		{"", "gc && go1.26 && !go1.27", true, "gc go1.26 go1.27"},
		{"", "boringcrypto", false, "boringcrypto"},
		{"", "cgo", false, "cgo"},
		{"", "bad-tag", false, "ignore"},
		{"", "linux &&", false, ""},
	};
	struct buildctx c;

	for (size_t i = 0; i < countof(rows); i++) {
		struct map m;
		char *tags;
		ctx_init(&c, "linux", "amd64");
		strvec_push(&c.release_tags, "go1.25");
		strvec_push(&c.release_tags, "go1.26");
		if (*rows[i].tags)
			strvec_push(&c.build_tags, rows[i].tags);
		map_init(&m);
		T_INTEQ(load_match_auto(&c, rows[i].in, &m, &A), rows[i].ok, "matchAuto(%s) tags=%s", rows[i].in, rows[i].tags);
		tags = tags_string(&m);
		T_STREQ(tags, rows[i].want, "matchAuto(%s) consulted", rows[i].in);
		free(tags);
		map_release(&m);
		strvec_clear(&c.build_tags);
		strvec_clear(&c.release_tags);
	}

	/* aliases and the cgo / boringcrypto special cases */
	ctx_init(&c, "android", "arm64");
	T_TRUE(load_match_tag(&c, "linux", NULL, &A), "android satisfies linux");
	T_TRUE(load_match_tag(&c, "unix", NULL, &A), "android satisfies unix");
	T_TRUE(!load_match_tag(&c, "cgo", NULL, &A), "cgo off");
	c.cgo_enabled = true;
	T_TRUE(load_match_tag(&c, "cgo", NULL, &A), "cgo on");
	ctx_init(&c, "illumos", "amd64");
	T_TRUE(load_match_tag(&c, "solaris", NULL, &A), "illumos satisfies solaris");
	ctx_init(&c, "ios", "arm64");
	T_TRUE(load_match_tag(&c, "darwin", NULL, &A), "ios satisfies darwin");
	ctx_init(&c, "js", "wasm");
	T_TRUE(!load_match_tag(&c, "unix", NULL, &A), "js is not unix");
	ctx_init(&c, "windows", "amd64");
	strvec_push(&c.tool_tags, "goexperiment.boringcrypto");
	T_TRUE(load_match_tag(&c, "boringcrypto", NULL, &A), "boringcrypto alias");
	strvec_clear(&c.tool_tags);
}

static void test_should_build(void)
{
	/* shouldBuildTests: BuildTags = {"yes"} */
	static const struct {
		const char *name, *content, *tags;
		bool binary_only, should_build;
		const char *err;
	} rows[] = {
		{"Yes", "// +build yes\n\npackage main\n", "yes", false, true, NULL},
		{"Yes2", "//go:build yes\npackage main\n", "yes", false, true, NULL},
		{"Or", "// +build no yes\n\npackage main\n", "no yes", false, true, NULL},
		{"Or2", "//go:build no || yes\npackage main\n", "no yes", false, true, NULL},
		{"And", "// +build no,yes\n\npackage main\n", "no yes", false, false, NULL},
		{"And2", "//go:build no && yes\npackage main\n", "no yes", false, false, NULL},
		{"Cgo", "// +build cgo\n\n// Copyright The Go Authors.\n\n// This package implements parsing of tags like\n// +build tag1\npackage build", "cgo", false, false, NULL},
		{"Cgo2", "//go:build cgo\n// Copyright The Go Authors.\n\n// This package implements parsing of tags like\n// +build tag1\npackage build", "cgo", false, false, NULL},
		{"AfterPackage", "// Copyright The Go Authors.\n\npackage build\n\n// shouldBuild checks tags given by lines of the form\n// +build tag\n//go:build tag\nfunc shouldBuild(content []byte)\n", "", false, true, NULL},
		{"TooClose", "// +build yes\npackage main\n", "", false, true, NULL},
		{"TooClose2", "//go:build yes\npackage main\n", "yes", false, true, NULL},
		{"TooCloseNo", "// +build no\npackage main\n", "", false, true, NULL},
		{"TooCloseNo2", "//go:build no\npackage main\n", "no", false, false, NULL},
		{"BinaryOnly", "//go:binary-only-package\n// +build yes\npackage main\n", "", true, true, NULL},
		{"BinaryOnly2", "//go:binary-only-package\n//go:build no\npackage main\n", "no", true, false, NULL},
		{"ValidGoBuild", "// +build yes\n\n//go:build no\npackage main\n", "no", false, false, NULL},
		{"MissingBuild2", "/* */\n// +build yes\n\n//go:build no\npackage main\n", "no", false, false, NULL},
		{"Comment1", "/*\n//go:build no\n*/\n\npackage main\n", "", false, true, NULL},
		{"Comment2", "/*\ntext\n*/\n\n//go:build no\npackage main\n", "no", false, false, NULL},
		{"Comment3", "/*/*/ /* hi *//* \ntext\n*/\n\n//go:build no\npackage main\n", "no", false, false, NULL},
		{"Comment4", "/**///go:build no\npackage main\n", "", false, true, NULL},
		{"Comment5", "/**/\n//go:build no\npackage main\n", "no", false, false, NULL},
		/* errors as go/build words them (matchFile adds "name: ") */
		{"Multiple", "//go:build yes\n//go:build no\npackage main\n", "", false, false, "multiple //go:build comments"},
		{"Empty", "//go:build\npackage main\n", "", false, false, "parsing //go:build line: unexpected end of expression"},
		{"BadTok", "//go:build yes &&& no\npackage main\n", "", false, false, "parsing //go:build line: invalid syntax at &"},
		{"PlusAnd", "// +build yes\n// +build no\n\npackage main\n", "no yes", false, false, NULL},
		{"PlusBad", "// +build yes,x-y\n\npackage main\n", "ignore yes", false, false, NULL},
	};
	struct buildctx c;

	ctx_init(&c, "", "");
	c.compiler = NULL;
	strvec_push(&c.build_tags, "yes");
	for (size_t i = 0; i < countof(rows); i++) {
		struct map m;
		struct err e = ERR_INIT;
		bool ok = false, bin = false;
		char *tags;
		int rc;
		map_init(&m);
		rc = load_eval_build_lines(&c, rows[i].content, strlen(rows[i].content), &ok, &bin, &m, &A, &e);
		if (rows[i].err) {
			T_INTEQ(rc, -1, "%s: want error", rows[i].name);
			T_STREQ(err_msg(&e), rows[i].err, "%s", rows[i].name);
		} else {
			T_INTEQ(rc, 0, "%s: %s", rows[i].name, err_msg(&e));
			T_INTEQ(ok, rows[i].should_build, "%s shouldBuild", rows[i].name);
			T_INTEQ(bin, rows[i].binary_only, "%s binaryOnly", rows[i].name);
			tags = tags_string(&m);
			T_STREQ(tags, rows[i].tags, "%s tags", rows[i].name);
			free(tags);
		}
		err_clear(&e);
		map_release(&m);
	}
	strvec_clear(&c.build_tags);
}

static void test_good_os_arch(void)
{
	static const struct { const char *goos, *goarch, *name; bool ok; const char *tags; } rows[] = {
		/* matchFileTests (name part) */
		{"plan9", "arm", "foo_arm.go", true, "arm"},
		{"plan9", "arm", "foo_darwin.go", false, "darwin"},
		{"plan9", "arm", "foo.go", true, ""},
		{"android", "arm", "foo_linux.go", true, "linux"},
		{"android", "arm", "foo_android.go", true, "android"},
		{"android", "arm", "foo_plan9.go", false, "plan9"},
		{"android", "arm", "android.go", true, ""},
		{"android", "arm", "plan9.go", true, ""},
		{"android", "arm", "plan9_test.go", true, ""},
		{"android", "arm", "arm.s", true, ""},
		{"android", "arm", "amd64.s", true, ""},
		/* load.md §1.3 rules */
		{"linux", "amd64", "foo_linux.pb.go", true, "linux"},
		{"linux", "amd64", "x_windows_amd64_test.go", false, "amd64 windows"},
		{"linux", "amd64", "x_linux_arm64.go", false, "arm64 linux"},
		{"linux", "amd64", "x_linux_foo.go", true, ""},
		{"linux", "amd64", "foo_unix.go", true, ""},
		{"linux", "amd64", "a_b_c_linux_amd64_test.go", true, "amd64 linux"},
		{"linux", "amd64", "foo_test.go", true, ""},
		{"linux", "amd64", "_linux.go", true, "linux"},
	};
	struct buildctx c;
	struct map m;
	char *tags;

	for (size_t i = 0; i < countof(rows); i++) {
		ctx_init(&c, rows[i].goos, rows[i].goarch);
		map_init(&m);
		T_INTEQ(load_good_os_arch_file(&c, rows[i].name, &m, &A), rows[i].ok, "goodOSArchFile(%s)", rows[i].name);
		tags = tags_string(&m);
		T_STREQ(tags, rows[i].tags, "goodOSArchFile(%s) tags", rows[i].name);
		free(tags);
		map_release(&m);
	}
	/* TestGoodOSArchFile */
	ctx_init(&c, "darwin", "");
	strvec_push(&c.build_tags, "linux");
	map_init(&m);
	T_TRUE(load_good_os_arch_file(&c, "hello_linux.go", &m, &A), "hello_linux.go");
	tags = tags_string(&m);
	T_STREQ(tags, "linux", "hello_linux.go tags");
	free(tags);
	map_release(&m);
	strvec_clear(&c.build_tags);

	T_TRUE(load_known_os("wasip1") && !load_known_os("unix"), "KnownOS");
	T_TRUE(load_known_arch("mips64p32le") && !load_known_arch("x86"), "KnownArch");
	T_TRUE(load_unix_os("hurd") && !load_unix_os("js"), "UnixOS");
}

int main(void)
{
	arena_init(&A);
	test_parse_expr();
	test_parse_errors();
	test_plus_build();
	test_constraint_parse();
	test_eval();
	test_match_tag();
	test_should_build();
	test_good_os_arch();
	arena_release(&A);
	return test_exit();
}
