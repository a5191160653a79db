/*
 * #cgo flag allow-lists (work/security.c): go's own tables from
 * cmd/go/internal/work/security_test.go (TestCheckCompilerFlags,
 * TestCheckLinkerFlags, TestCheckFlagAllowDisallow,
 * TestCheckCompilerFlagsForInternalLink), plus go's error texts and the
 * leftmost-first full-match rule; pkg-config output splitting
 * (build_test.go TestSplitPkgConfigOutput).
 */
#include <stdlib.h>
#include <string.h>

#include "generate/generate.h"
#include "work/work.h"
#include "test.h"

struct flagrow {
	const char *f[3];
	size_t n;
};

/* security_test.go goodCompilerFlags */
static const struct flagrow good_compiler[] = {
	{{"-DFOO"}, 1},
	{{"-Dfoo=bar"}, 1},
	{{"-Ufoo"}, 1},
	{{"-Ufoo1"}, 1},
	{{"-F/Qt"}, 1},
	{{"-F", "/Qt"}, 2},
	{{"-I/"}, 1},
	{{"-I/etc/passwd"}, 1},
	{{"-I."}, 1},
	{{"-O"}, 1},
	{{"-O2"}, 1},
	{{"-Osmall"}, 1},
	{{"-W"}, 1},
	{{"-Wall"}, 1},
	{{"-Wp,-Dfoo=bar"}, 1},
	{{"-Wp,-Ufoo"}, 1},
	{{"-Wp,-Dfoo1"}, 1},
	{{"-Wp,-Ufoo1"}, 1},
	{{"-flto"}, 1},
	{{"-fobjc-arc"}, 1},
	{{"-fno-objc-arc"}, 1},
	{{"-fomit-frame-pointer"}, 1},
	{{"-fno-omit-frame-pointer"}, 1},
	{{"-fpic"}, 1},
	{{"-fno-pic"}, 1},
	{{"-fPIC"}, 1},
	{{"-fno-PIC"}, 1},
	{{"-fpie"}, 1},
	{{"-fno-pie"}, 1},
	{{"-fPIE"}, 1},
	{{"-fno-PIE"}, 1},
	{{"-fsplit-stack"}, 1},
	{{"-fno-split-stack"}, 1},
	{{"-fstack-xxx"}, 1},
	{{"-fno-stack-xxx"}, 1},
	{{"-fsanitize=hands"}, 1},
	{{"-ftls-model=local-dynamic"}, 1},
	{{"-g"}, 1},
	{{"-ggdb"}, 1},
	{{"-mabi=lp64d"}, 1},
	{{"-march=souza"}, 1},
	{{"-mcmodel=medium"}, 1},
	{{"-mcpu=123"}, 1},
	{{"-mfpu=123"}, 1},
	{{"-mtls-dialect=gnu"}, 1},
	{{"-mtls-dialect=gnu2"}, 1},
	{{"-mtls-dialect=trad"}, 1},
	{{"-mtls-dialect=desc"}, 1},
	{{"-mtls-dialect=xyz"}, 1},
	{{"-msimd=lasx"}, 1},
	{{"-msimd=xyz"}, 1},
	{{"-mdouble-float"}, 1},
	{{"-mrelax"}, 1},
	{{"-mstrict-align"}, 1},
	{{"-mlsx"}, 1},
	{{"-mlasx"}, 1},
	{{"-mfrecipe"}, 1},
	{{"-mlam-bh"}, 1},
	{{"-mlamcas"}, 1},
	{{"-mld-seq-sa"}, 1},
	{{"-mno-relax"}, 1},
	{{"-mno-strict-align"}, 1},
	{{"-mno-lsx"}, 1},
	{{"-mno-lasx"}, 1},
	{{"-mno-frecipe"}, 1},
	{{"-mno-lam-bh"}, 1},
	{{"-mno-lamcas"}, 1},
	{{"-mno-ld-seq-sa"}, 1},
	{{"-mlarge-data-threshold=16"}, 1},
	{{"-mtune=happybirthday"}, 1},
	{{"-mstack-overflow"}, 1},
	{{"-mno-stack-overflow"}, 1},
	{{"-mmacosx-version"}, 1},
	{{"-mnop-fun-dllimport"}, 1},
	{{"-pthread"}, 1},
	{{"-std=c99"}, 1},
	{{"-xc"}, 1},
	{{"-D", "FOO"}, 2},
	{{"-D", "foo=bar"}, 2},
	{{"-I", "."}, 2},
	{{"-I", "/etc/passwd"}, 2},
	{{"-I", "\xe4""\xb8""\x96""\xe7""\x95""\x8c"""}, 2},
	{{"-I", "=/usr/include/libxml2"}, 2},
	{{"-I", "dir"}, 2},
	{{"-I", "$SYSROOT/dir"}, 2},
	{{"-isystem", "/usr/include/mozjs-68"}, 2},
	{{"-include", "/usr/include/mozjs-68/RequiredDefines.h"}, 2},
	{{"-framework", "Chocolate"}, 2},
	{{"-x", "c"}, 2},
	{{"-v"}, 1},
};

/* security_test.go badCompilerFlags */
static const struct flagrow bad_compiler[] = {
	{{"-D@X"}, 1},
	{{"-D-X"}, 1},
	{{"-Ufoo=bar"}, 1},
	{{"-F@dir"}, 1},
	{{"-F-dir"}, 1},
	{{"-I@dir"}, 1},
	{{"-I-dir"}, 1},
	{{"-O@1"}, 1},
	{{"-Wa,-foo"}, 1},
	{{"-W@foo"}, 1},
	{{"-Wp,-DX,-D@X"}, 1},
	{{"-Wp,-UX,-U@X"}, 1},
	{{"-g@gdb"}, 1},
	{{"-g-gdb"}, 1},
	{{"-march=@dawn"}, 1},
	{{"-march=-dawn"}, 1},
	{{"-mcmodel=@model"}, 1},
	{{"-mfpu=@0"}, 1},
	{{"-mfpu=-0"}, 1},
	{{"-mlarge-data-threshold=@12"}, 1},
	{{"-mtls-dialect=@gnu"}, 1},
	{{"-mtls-dialect=-gnu"}, 1},
	{{"-msimd=@none"}, 1},
	{{"-msimd=-none"}, 1},
	{{"-std=@c99"}, 1},
	{{"-std=-c99"}, 1},
	{{"-x@c"}, 1},
	{{"-x-c"}, 1},
	{{"-D", "@foo"}, 2},
	{{"-D", "-foo"}, 2},
	{{"-I", "@foo"}, 2},
	{{"-I", "-foo"}, 2},
	{{"-I", "=@obj"}, 2},
	{{"-include", "@foo"}, 2},
	{{"-framework", "-Caffeine"}, 2},
	{{"-framework", "@Home"}, 2},
	{{"-x", "--c"}, 2},
	{{"-x", "@obj"}, 2},
};

/* security_test.go goodLinkerFlags */
static const struct flagrow good_linker[] = {
	{{"-Fbar"}, 1},
	{{"-lbar"}, 1},
	{{"-Lbar"}, 1},
	{{"-fpic"}, 1},
	{{"-fno-pic"}, 1},
	{{"-fPIC"}, 1},
	{{"-fno-PIC"}, 1},
	{{"-fpie"}, 1},
	{{"-fno-pie"}, 1},
	{{"-fPIE"}, 1},
	{{"-fno-PIE"}, 1},
	{{"-fsanitize=hands"}, 1},
	{{"-g"}, 1},
	{{"-ggdb"}, 1},
	{{"-march=souza"}, 1},
	{{"-mcpu=123"}, 1},
	{{"-mfpu=123"}, 1},
	{{"-mtune=happybirthday"}, 1},
	{{"-pic"}, 1},
	{{"-pthread"}, 1},
	{{"-Wl,--hash-style=both"}, 1},
	{{"-Wl,-rpath,foo"}, 1},
	{{"-Wl,-rpath,$ORIGIN/foo"}, 1},
	{{"-Wl,-R", "/foo"}, 2},
	{{"-Wl,-R", "foo"}, 2},
	{{"-Wl,-R,foo"}, 1},
	{{"-Wl,--just-symbols=foo"}, 1},
	{{"-Wl,--just-symbols,foo"}, 1},
	{{"-Wl,--warn-error"}, 1},
	{{"-Wl,--no-warn-error"}, 1},
	{{"foo.so"}, 1},
	{{"_\xe4""\xb8""\x96""\xe7""\x95""\x8c"".dll"}, 1},
	{{"./x.o"}, 1},
	{{"libcgosotest.dylib"}, 1},
	{{"-F", "framework"}, 2},
	{{"-l", "."}, 2},
	{{"-l", "/etc/passwd"}, 2},
	{{"-l", "\xe4""\xb8""\x96""\xe7""\x95""\x8c"""}, 2},
	{{"-L", "framework"}, 2},
	{{"-framework", "Chocolate"}, 2},
	{{"-v"}, 1},
	{{"-Wl,-sectcreate,__TEXT,__info_plist,${SRCDIR}/Info.plist"}, 1},
	{{"-Wl,-framework", "-Wl,Chocolate"}, 2},
	{{"-Wl,-framework,Chocolate"}, 1},
	{{"-Wl,-unresolved-symbols=ignore-all"}, 1},
	{{"-Wl,-z,relro"}, 1},
	{{"-Wl,-z,relro,-z,now"}, 1},
	{{"-Wl,-z,now"}, 1},
	{{"-Wl,-z,noexecstack"}, 1},
	{{"libcgotbdtest.tbd"}, 1},
	{{"./libcgotbdtest.tbd"}, 1},
	{{"-Wl,--push-state"}, 1},
	{{"-Wl,--pop-state"}, 1},
	{{"-Wl,--push-state,--as-needed"}, 1},
	{{"-Wl,--push-state,--no-as-needed,-Bstatic"}, 1},
	{{"-Wl,--just-symbols,."}, 1},
	{{"-Wl,-framework,."}, 1},
	{{"-Wl,-rpath,."}, 1},
	{{"-Wl,-rpath-link,."}, 1},
	{{"-Wl,-sectcreate,.,.,."}, 1},
	{{"-Wl,-syslibroot,."}, 1},
	{{"-Wl,-undefined,."}, 1},
};

/* security_test.go badLinkerFlags */
static const struct flagrow bad_linker[] = {
	{{"-DFOO"}, 1},
	{{"-Dfoo=bar"}, 1},
	{{"-W"}, 1},
	{{"-Wall"}, 1},
	{{"-fobjc-arc"}, 1},
	{{"-fno-objc-arc"}, 1},
	{{"-fomit-frame-pointer"}, 1},
	{{"-fno-omit-frame-pointer"}, 1},
	{{"-fsplit-stack"}, 1},
	{{"-fno-split-stack"}, 1},
	{{"-fstack-xxx"}, 1},
	{{"-fno-stack-xxx"}, 1},
	{{"-mstack-overflow"}, 1},
	{{"-mno-stack-overflow"}, 1},
	{{"-mnop-fun-dllimport"}, 1},
	{{"-std=c99"}, 1},
	{{"-xc"}, 1},
	{{"-D", "FOO"}, 2},
	{{"-D", "foo=bar"}, 2},
	{{"-I", "FOO"}, 2},
	{{"-L", "@foo"}, 2},
	{{"-L", "-foo"}, 2},
	{{"-x", "c"}, 2},
	{{"-D@X"}, 1},
	{{"-D-X"}, 1},
	{{"-I@dir"}, 1},
	{{"-I-dir"}, 1},
	{{"-O@1"}, 1},
	{{"-Wa,-foo"}, 1},
	{{"-W@foo"}, 1},
	{{"-g@gdb"}, 1},
	{{"-g-gdb"}, 1},
	{{"-march=@dawn"}, 1},
	{{"-march=-dawn"}, 1},
	{{"-std=@c99"}, 1},
	{{"-std=-c99"}, 1},
	{{"-x@c"}, 1},
	{{"-x-c"}, 1},
	{{"-D", "@foo"}, 2},
	{{"-D", "-foo"}, 2},
	{{"-I", "@foo"}, 2},
	{{"-I", "-foo"}, 2},
	{{"-l", "@foo"}, 2},
	{{"-l", "-foo"}, 2},
	{{"-framework", "-Caffeine"}, 2},
	{{"-framework", "@Home"}, 2},
	{{"-Wl,-framework,-Caffeine"}, 1},
	{{"-Wl,-framework", "-Wl,@Home"}, 2},
	{{"-Wl,-framework", "@Home"}, 2},
	{{"-Wl,-framework,Chocolate,@Home"}, 1},
	{{"-Wl,--hash-style=foo"}, 1},
	{{"-x", "--c"}, 2},
	{{"-x", "@obj"}, 2},
	{{"-Wl,-rpath,@foo"}, 1},
	{{"-Wl,-R,foo,bar"}, 1},
	{{"-Wl,-R,@foo"}, 1},
	{{"-Wl,--just-symbols,@foo"}, 1},
	{{"../x.o"}, 1},
	{{"-Wl,-R,"}, 1},
	{{"-Wl,-O"}, 1},
	{{"-Wl,-e="}, 1},
	{{"-Wl,-e,"}, 1},
	{{"-Wl,-R,-flag"}, 1},
	{{"-Wl,--push-state,"}, 1},
	{{"-Wl,--push-state,@foo"}, 1},
	{{"-fplugin=./-Wl,--push-state,-R.so"}, 1},
	{{"./-Wl,--push-state,-R.c"}, 1},
};
static int re_compile(const char *expr, void **out, struct err *e)
{
	struct gen_regexp *re = NULL;

	if (gen_regexp_compile(expr, &re, e) < 0)
		return -1;
	*out = re;
	return 0;
}

static bool re_full(const void *re, const char *s, size_t n)
{
	return gen_regexp_full_match(re, s, n);
}

static void re_free(void *re)
{
	gen_regexp_free(re);
}

static const struct work_regexp_ops ops = {re_compile, re_full, re_free};

static void join(const struct flagrow *r, char *out, size_t cap)
{
	out[0] = 0;
	for (size_t i = 0; i < r->n; i++) {
		size_t l = strlen(out);
		snprintf(out + l, cap - l, "%s%s", i ? " " : "", r->f[i]);
	}
}

static void run_table(const char *what, const struct flagrow *rows, size_t n, bool linker, bool want_ok)
{
	for (size_t i = 0; i < n; i++) {
		struct err e = ERR_INIT;
		char desc[256];
		int rc = linker ? work_check_linker_flags("test", "test", rows[i].f, rows[i].n, NULL, &e)
		                : work_check_compiler_flags("test", "test", rows[i].f, rows[i].n, NULL, &e);
		join(&rows[i], desc, sizeof desc);
		if (want_ok)
			T_TRUE(rc == 0, "%s: unexpected error for [%s]: %s", what, desc, err_msg(&e));
		else
			T_TRUE(rc < 0, "%s: missing error for [%s]", what, desc);
		err_clear(&e);
	}
}

static void test_tables(void)
{
	run_table("good compiler", good_compiler, countof(good_compiler), false, true);
	run_table("bad compiler", bad_compiler, countof(bad_compiler), false, false);
	run_table("good linker", good_linker, countof(good_linker), true, true);
	run_table("bad linker", bad_linker, countof(bad_linker), true, false);
}

/* check1 runs checkCompilerFlags("TEST", "test", {flag}) with the overrides. */
static int check1(const char *flag, const char *allow, const char *disallow)
{
	struct work_flag_env fe = {allow, disallow, &ops};
	struct err e = ERR_INIT;
	const char *l[1] = {flag};
	int rc = work_check_compiler_flags("TEST", "test", l, 1, &fe, &e);

	err_clear(&e);
	return rc;
}

static void test_allow_disallow(void)
{
	/* TestCheckFlagAllowDisallow */
	T_TRUE(check1("-disallow", NULL, NULL) < 0, "missing error for -disallow");
	T_TRUE(check1("-disallow", "-disallo", NULL) < 0, "missing error with CGO_TEST_ALLOW=-disallo");
	T_TRUE(check1("-disallow", "-disallow", NULL) == 0, "unexpected error with CGO_TEST_ALLOW=-disallow");
	T_TRUE(check1("-Wall", NULL, NULL) == 0, "unexpected error for -Wall");
	T_TRUE(check1("-Wall", NULL, "-Wall") < 0, "missing error with CGO_TEST_DISALLOW=-Wall");
	T_TRUE(check1("-Wall", "-Wall", "-Wall") < 0, "disallow wins over allow");
	T_TRUE(check1("-fplugin=faster.so", "-fplugin.*", "-fplugin=lint.so") == 0, "unexpected error for faster.so");
	T_TRUE(check1("-fplugin=lint.so", "-fplugin.*", "-fplugin=lint.so") < 0, "missing error for lint.so");
	{
		struct work_flag_env fe = {"a(", NULL, &ops};
		struct err e = ERR_INIT;
		const char *l[1] = {"-O2"};
		T_TRUE(work_check_compiler_flags("CFLAGS", "#cgo CFLAGS", l, 1, &fe, &e) < 0, "bad ALLOW regexp accepted");
		T_STREQ(err_msg(&e), "parsing $CGO_CFLAGS_ALLOW: error parsing regexp: missing closing ): `a(`",
		        "bad ALLOW regexp text");
		err_clear(&e);
	}
}

static void test_internal_link(void)
{
	/* TestCheckCompilerFlagsForInternalLink */
	for (size_t i = 0; i < countof(bad_compiler); i++) {
		struct err e = ERR_INIT;
		T_TRUE(work_check_compiler_flags_internal_link("test", "test", bad_compiler[i].f, bad_compiler[i].n, &e) <
		           0,
		       "internal link: missing error for %s", bad_compiler[i].f[0]);
		err_clear(&e);
	}
	for (size_t i = 0; i < countof(good_compiler); i++) {
		struct err e = ERR_INIT;
		bool lto = false;
		int rc = work_check_compiler_flags_internal_link("test", "test", good_compiler[i].f, good_compiler[i].n, &e);
		for (size_t j = 0; j < good_compiler[i].n; j++)
			lto = lto || strstr(good_compiler[i].f[j], "-flto") != NULL;
		T_TRUE((rc < 0) == lto, "internal link: %s: rc %d", good_compiler[i].f[0], rc);
		err_clear(&e);
	}
}

static void test_texts(void)
{
	static const struct {
		const char *f[3];
		size_t n;
		bool linker;
		const char *want;
	} rows[] = {
		{{"-fplugin=evil.so"}, 1, false,
		 "invalid flag in #cgo CFLAGS: -fplugin=evil.so (see https://go.dev/s/invalidflag)"},
		{{"-O2", "-I", "-foo"}, 3, false, "invalid flag in #cgo CFLAGS: -I -foo (see https://go.dev/s/invalidflag)"},
		{{"-D"}, 1, false, "invalid flag in #cgo CFLAGS: -D without argument (see https://go.dev/s/invalidflag)"},
		{{"-lto_library", "x"}, 2, true,
		 "invalid flag in #cgo LDFLAGS: -lto_library (see https://go.dev/s/invalidflag)"},
		/* leftmost-first: the preferred match of the direct-input
		 * pattern in "x.obj" is "x.o", so go refuses it */
		{{"x.obj"}, 1, true, "invalid flag in #cgo LDFLAGS: x.obj (see https://go.dev/s/invalidflag)"},
		/* Go's . stops at a newline; a class does not */
		{{"-ggdb\nx"}, 1, false, "invalid flag in #cgo CFLAGS: -ggdb\nx (see https://go.dev/s/invalidflag)"},
		{{"-Wl,-R,foo\n"}, 1, true, NULL},
		{{"x.dylib"}, 1, true, NULL},
	};
	for (size_t i = 0; i < countof(rows); i++) {
		struct err e = ERR_INIT;
		int rc = rows[i].linker ? work_check_linker_flags("LDFLAGS", "#cgo LDFLAGS", rows[i].f, rows[i].n, NULL, &e)
		                        : work_check_compiler_flags("CFLAGS", "#cgo CFLAGS", rows[i].f, rows[i].n, NULL, &e);
		if (rows[i].want) {
			T_TRUE(rc < 0, "row %zu: accepted", i);
			T_STREQ(err_msg(&e), rows[i].want, "row %zu text", i);
		} else {
			T_TRUE(rc == 0, "row %zu: %s", i, err_msg(&e));
		}
		err_clear(&e);
	}
	{
		struct err e = ERR_INIT;
		const char *l[] = {"--cflags", "--define-variable=prefix=/x", "-Wall"};
		T_TRUE(work_check_pkgconfig_flags("pkg-config", "pkg-config", l, 2, &e) == 0, "pkg-config good: %s",
		       err_msg(&e));
		err_clear(&e);
		T_TRUE(work_check_pkgconfig_flags("pkg-config", "pkg-config", l, 3, &e) < 0, "pkg-config -Wall accepted");
		err_clear(&e);
	}
}

/* build_test.go TestSplitPkgConfigOutput */
static const struct { const char *in; const char *want[5]; size_t n; } split_good[] = {
	{"-r:foo -L/usr/white\\ space/lib -lfoo\\ bar -lbar\\ baz", {"-r:foo", "-L/usr/white space/lib", "-lfoo bar", "-lbar baz"}, 4},
	{"-lextra\\ fun\\ arg\\\\", {"-lextra fun arg\\"}, 1},
	{"\textra     whitespace\r\n", {"extra", "whitespace\r"}, 2},
	{"     \r\n      ", {"\r"}, 1},
	{"\"-r:foo\" \"-L/usr/white space/lib\" \"-lfoo bar\" \"-lbar baz\"", {"-r:foo", "-L/usr/white space/lib", "-lfoo bar", "-lbar baz"}, 4},
	{"\"-lextra fun arg\\\\\"", {"-lextra fun arg\\"}, 1},
	{"\"     \\r\\n\\      \"", {"     \\r\\n\\      "}, 1},
	{"\"\"", {""}, 1},
	{"", {NULL}, 0},
	{"\"\\\\\"", {"\\"}, 1},
	{"\"\\x\"", {"\\x"}, 1},
	{"\"\\\\x\"", {"\\x"}, 1},
	{"'\\\\'", {"\\\\"}, 1},
	{"'\\x'", {"\\x"}, 1},
	{"\"\\\\x\"", {"\\x"}, 1},
	{"\\\n", {NULL}, 0},
	{"-fPIC -I/test/include/foo -DQUOTED='\"/test/share/doc\"'", {"-fPIC", "-I/test/include/foo", "-DQUOTED=\"/test/share/doc\""}, 3},
	{"-fPIC -I/test/include/foo -DQUOTED=\"/test/share/doc\"", {"-fPIC", "-I/test/include/foo", "-DQUOTED=/test/share/doc"}, 3},
	{"-fPIC -I/test/include/foo -DQUOTED=\\\"/test/share/doc\\\"", {"-fPIC", "-I/test/include/foo", "-DQUOTED=\"/test/share/doc\""}, 3},
	{"-fPIC -I/test/include/foo -DQUOTED='/test/share/doc'", {"-fPIC", "-I/test/include/foo", "-DQUOTED=/test/share/doc"}, 3},
	{"-DQUOTED='/te\\st/share/d\\oc'", {"-DQUOTED=/te\\st/share/d\\oc"}, 1},
	{"-Dhello=10 -Dworld=+32 -DDEFINED_FROM_PKG_CONFIG=hello\\ world", {"-Dhello=10", "-Dworld=+32", "-DDEFINED_FROM_PKG_CONFIG=hello world"}, 3},
	{"\"broken\\\"\" \\\\\\a \"a\"", {"broken\"", "\\a", "a"}, 3},
};
static const char *const split_bad[] = {
	"\"     \\r\\n      ",
	"\"-r:foo\" \"-L/usr/white space/lib \"-lfoo bar\" \"-lbar baz\"",
	"\"-lextra fun arg\\\\",
	"broken flag\\",
	"extra broken flag \\",
	"\\",
	"\"broken\\\"\" \"extra\" \\",
};

static void test_split_pkgconfig(void)
{
	for (size_t i = 0; i < countof(split_good); i++) {
		struct strvec got = {0};
		struct err e = ERR_INIT;
		int rc = work_split_pkgconfig(split_good[i].in, strlen(split_good[i].in), &got, &e);
		T_TRUE(rc == 0, "split row %zu: %s", i, err_msg(&e));
		T_INTEQ(got.n, split_good[i].n, "split row %zu: count", i);
		for (size_t j = 0; j < got.n && j < split_good[i].n; j++)
			T_STREQ(got.v[j], split_good[i].want[j], "split row %zu word %zu", i, j);
		strvec_clear(&got);
		err_clear(&e);
	}
	for (size_t i = 0; i < countof(split_bad); i++) {
		struct strvec got = {0};
		struct err e = ERR_INIT;
		T_TRUE(work_split_pkgconfig(split_bad[i], strlen(split_bad[i]), &got, &e) < 0, "split bad row %zu accepted", i);
		strvec_clear(&got);
		err_clear(&e);
	}
	{
		struct strvec got = {0};
		struct err e = ERR_INIT;
		T_TRUE(work_split_pkgconfig("-la;b", 5, &got, &e) < 0, "shell character accepted");
		T_STREQ(err_msg(&e), "unexpected shell character ';' in pkgconf output", "shell character text");
		strvec_clear(&got);
		err_clear(&e);
	}
}

int main(void)
{
	test_split_pkgconfig();
	test_tables();
	test_allow_disallow();
	test_internal_link();
	test_texts();
	return test_exit();
}
