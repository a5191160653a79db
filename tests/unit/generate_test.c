/*
 * generate: the tables of cmd/go/internal/generate/generate_test.go (split,
 * -command shorthands, $GOLINE in aliases), os.Expand's table from
 * os/env_test.go, package clauses from generate_invalid.txt, and Go
 * regexps: go1.26's errors for what RE2 refuses (tests/unit/
 * generate_regexp_cases.h, generated with regexp.Compile) and matches.
 */
#include <stdlib.h>
#include <string.h>

#include "generate/generate.h"
#include "modload/modload.h"
#include "test.h"

#include "generate_regexp_cases.h"

static void join(struct buf *b, const struct strvec *sv)
{
	buf_reset(b);
	for (size_t i = 0; i < sv->n; i++)
		buf_printf(b, "%s[%s]", i ? " " : "", sv->v[i]);
}

/* split_check runs g.split on "//go:generate " + in + eol; want is the
 * words as "[w1] [w2]", or NULL for an error. */
static void split_check(struct gen_file *g, const char *in, const char *eol, const char *want)
{
	struct strvec words = {0};
	struct err e = ERR_INIT;
	struct buf line = BUF_INIT, got = BUF_INIT;

	buf_printf(&line, "//go:generate %s%s", in, eol);
	if (gen_split(g, line.data, line.len, &words, &e) < 0) {
		T_TRUE(want == NULL, "split(%s): error %s", in, err_msg(&e));
	} else {
		join(&got, &words);
		T_STREQ(buf_cstr(&got), want, "split(%s) eol %s", in, eol[0] == '\r' ? "CRLF" : "LF");
	}
	strvec_clear(&words);
	err_clear(&e);
	buf_release(&line);
	buf_release(&got);
}

/* shorthand records words (as split gives them) as a -command. */
static void shorthand(struct gen_file *g, const char *in)
{
	struct strvec words = {0};
	struct err e = ERR_INIT;
	struct buf line = BUF_INIT;

	buf_printf(&line, "//go:generate %s\n", in);
	T_TRUE(gen_split(g, line.data, line.len, &words, &e) == 0, "split(%s): %s", in, err_msg(&e));
	T_TRUE(gen_set_shorthand(g, &words, &e) == 0, "setShorthand(%s): %s", in, err_msg(&e));
	strvec_clear(&words);
	err_clear(&e);
	buf_release(&line);
}

static const struct gen_config test_cfg = {
	.goroot = "/goroot", .goarch = "amd64", .goos = "linux",
};

static void test_split(void)
{
	/* TestGenerateCommandParse */
	static const struct {
		const char *in, *out;
	} tests[] = {
		{"", ""},
		{"x", "[x]"},
		{" a b\tc ", "[a] [b] [c]"},
		{"\" a \" ", "[ a ]"},
		{"$GOARCH", "[amd64]"},
		{"$GOOS", "[linux]"},
		{"$GOFILE", "[proc.go]"},
		{"$GOPACKAGE", "[sys]"},
		{"a $XXNOTDEFINEDXX b", "[a] [] [b]"},
		{"/$XXNOTDEFINED/", "[//]"},
		{"/$DOLLAR/", "[/$/]"},
		{"yacc -o $GOARCH/yacc_$GOFILE", "[go] [tool] [yacc] [-o] [amd64/yacc_proc.go]"},
		/* go's split, beyond the Go table */
		{"\"a\\tb\" \"\\x41\\u00e9\"", "[a\tb] [Aé]"},
		{"\"\" 'x y'", "[] ['x] [y']"},
		{"\"$GOFILE\" \"${GOPACKAGE}x\"", "[proc.go] [sysx]"},
		{"a\"b\" c", "[a\"b\"] [c]"},
		{"\"unterminated", NULL},
		{"\"a\"b", NULL},
		{"\"a\\", NULL},
		{"\"\\q\"", NULL},
		{"\"\\'\"", NULL},
		{"\"\\400\"", NULL},
		{"\"\\ud800\"", NULL},
		{"\"\xff\"", NULL},
	};
	struct gen_file g;

	unsetenv("XXNOTDEFINEDXX");
	unsetenv("XXNOTDEFINED");
	gen_file_init(&g, &test_cfg, "/goroot/src/sys/proc.go", "proc.go", "sys");
	gen_set_env(&g);
	shorthand(&g, "-command yacc go tool yacc");
	for (size_t i = 0; i < countof(tests); i++) {
		split_check(&g, tests[i].in, "\n", tests[i].out);
		split_check(&g, tests[i].in, "\r\n", tests[i].out);
	}
	gen_file_release(&g);
}

static void test_shorthand(void)
{
	/* TestGenerateCommandShorthand */
	struct gen_file g;
	struct strvec words = {0};
	struct err e = ERR_INIT;

	gen_file_init(&g, &test_cfg, "/goroot/src/sys/proc.go", "proc.go", "sys");
	gen_set_env(&g);
	unsetenv("_XYZZY_");
	setenv("_PLUGH_", "SomeVal", 1);
	setenv("_X", "Y", 1);
	split_check(&g, "-command CMD0 \"ab${_X}cd\"", "\n", "[-command] [CMD0] [abYcd]");
	split_check(&g, "-command CMD0 \"ab${DOLLAR}{_X}cd\"", "\n", "[-command] [CMD0] [ab${_X}cd]");
	shorthand(&g, "-command CMD0 \"ab${DOLLAR}{_X}cd\"");
	split_check(&g, "CMD0", "\n", "[abYcd]");
	setenv("_X", "Z", 1);
	split_check(&g, "CMD0", "\n", "[abZcd]");
	unsetenv("_X");
	split_check(&g, "CMD0", "\n", "[abcd]");
	unsetenv("_Z");
	split_check(&g, "-command CMD1 \"ab${_Z}cd\"", "\n", "[-command] [CMD1] [abcd]");
	shorthand(&g, "-command CMD1 \"ab${_Z}cd\"");
	split_check(&g, "CMD1", "\n", "[abcd]");
	setenv("_Z", "someNewValue", 1);
	split_check(&g, "-command CMD2 \"ab${DOLLAR}{_Z}cd\"", "\n", "[-command] [CMD2] [ab${_Z}cd]");
	shorthand(&g, "-command CMD2 \"ab${DOLLAR}{_Z}cd\"");
	split_check(&g, "CMD2", "\n", "[absomeNewValuecd]");
	unsetenv("_Z");
	unsetenv("_PLUGH_");

	/* setShorthand's errors, and an alias defined as nothing */
	strvec_push(&words, "-command");
	T_TRUE(gen_set_shorthand(&g, &words, &e) < 0, "-command alone accepted");
	T_STREQ(err_msg(&e), "no command specified for -command", "-command alone");
	err_clear(&e);
	strvec_push(&words, "CMD0");
	T_TRUE(gen_set_shorthand(&g, &words, &e) < 0, "CMD0 redefined");
	T_STREQ(err_msg(&e), "command \"CMD0\" multiply defined", "CMD0 redefined");
	err_clear(&e);
	strvec_clear(&words);
	shorthand(&g, "-command NOTHING");
	split_check(&g, "NOTHING a b", "\n", "[a] [b]");
	split_check(&g, "NOTHING", "\n", "");
	gen_file_release(&g);
}

static void test_shorthand_lines(void)
{
	/* TestGenerateCommandShortHand2 */
	static const struct {
		const char *in, *out;
		int line;
	} tests[] = {
		{"-command TEST1 $GOLINE", "[-command] [TEST1] [22]", 22},
		{"-command TEST2 ${DOLLAR}GOLINE", "[-command] [TEST2] [$GOLINE]", 26},
		{"TEST1", "[22]", 33},
		{"TEST2", "[66]", 66},
		{"TEST1 ''", "[22] ['']", 99},
		{"TEST2 ''", "[44] ['']", 44},
	};
	struct gen_file g;

	gen_file_init(&g, &test_cfg, "/goroot/src/sys/proc.go", "proc.go", "sys");
	gen_set_env(&g);
	for (size_t i = 0; i < countof(tests); i++) {
		g.line = tests[i].line;
		gen_set_env(&g);
		split_check(&g, tests[i].in, "\n", tests[i].out);
		split_check(&g, tests[i].in, "\r\n", tests[i].out);
		if (has_prefix(tests[i].in, "-command"))
			shorthand(&g, tests[i].in);
	}
	gen_file_release(&g);
}

static void test_expand(void)
{
	/* os.TestExpand's table, its mapping given by the environment */
	static const struct {
		const char *in, *out;
	} tests[] = {
		{"", ""},
		{"$*", "all the args"},
		{"$$", "PID"},
		{"${*}", "all the args"},
		{"$1", "ARGUMENT1"},
		{"${1}", "ARGUMENT1"},
		{"now is the time", "now is the time"},
		{"$HOME", "/usr/gopher"},
		{"$home_1", "/usr/foo"},
		{"${HOME}", "/usr/gopher"},
		{"${H}OME", "(Value of H)OME"},
		{"A$$$#$1$H$home_1*B", "APIDNARGSARGUMENT1(Value of H)/usr/foo*B"},
		{"start$+middle$^end$", "start$+middle$^end$"},
		{"mixed$|bag$$$", "mixed$|bagPID$"},
		{"$", "$"},
		{"$}", "$}"},
		{"${", ""},
		{"${}", ""},
		/* the directive's own variables win over the environment */
		{"$GOFILE:$GOLINE:$GOPACKAGE", "proc.go:7:sys"},
		{"$PWD $GOROOT", "/goroot/src/sys /goroot"},
		{"${DOLLAR}x$DOLLAR", "$x$"},
	};
	static const char *const env[][2] = {
		{"*", "all the args"}, {"$", "PID"}, {"#", "NARGS"}, {"1", "ARGUMENT1"}, {"HOME", "/usr/gopher"},
		{"H", "(Value of H)"}, {"home_1", "/usr/foo"}, {"GOFILE", "from-env"}, {"PWD", "/elsewhere"},
	};
	char *home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
	struct gen_file g;

	for (size_t i = 0; i < countof(env); i++)
		setenv(env[i][0], env[i][1], 1);
	gen_file_init(&g, &test_cfg, "/goroot/src/sys/proc.go", "proc.go", "sys");
	g.line = 7;
	gen_set_env(&g);
	for (size_t i = 0; i < countof(tests); i++) {
		struct buf b = BUF_INIT;
		gen_expand(&g, tests[i].in, &b);
		T_STREQ(buf_cstr(&b), tests[i].out, "Expand(%s)", tests[i].in);
		buf_release(&b);
	}
	gen_file_release(&g);
	for (size_t i = 0; i < countof(env); i++)
		unsetenv(env[i][0]);
	if (home)
		setenv("HOME", home, 1);
	free(home);
}

static void test_package_clause(void)
{
	/* the files of generate_invalid.txt and a few more */
	static const struct {
		const char *src, *name;
	} tests[] = {
		{"/* Pre-comment */ package nopkg\n//go:generate echo Success a\n", "nopkg"},
		{"//package nopkg\n\n//go:generate echo Fail b\n", NULL},
		{"/*\npackage nopkg\n*/\n\n//go:generate echo Fail c\n", NULL},
		{"const foo = `\npackage nopkg\n`\n//go:generate echo Fail d\n", NULL},
		{"//go:generate echo Fail e\n", NULL},
		{"package a\n//go:generate echo Success $GOPACKAGE\n", "a"},
		{"//go:generate echo Success $GOPACKAGE\npackage b\n", "b"},
		{"//go:generate echo x\npackage c\n// Invalid package clause, should be ignored:\npackage cinvalid\n", "c"},
		{"package +d+\n//go:generate echo Fail $GOPACKAGE\n", NULL},
		{"package syntax\n123\n//go:generate echo Success a\n", "syntax"},
		{"package syntax; 123\n//go:generate echo Success b\n", "syntax"},
		{"foo\npackage syntax\n//go:generate echo Fail c\n", NULL},
		{"package importerr\n//go:generate echo Success a\nimport \"foo\"\n", "importerr"},
		{"\xEF\xBB\xBFpackage bom\n", "bom"},
		{"package p", "p"},
		{"package p)", "p"},
		{"package p func", NULL},
		{"package p\n\"unterminated\n", NULL},
		{"package p\n/* unterminated", NULL},
		{"/* unterminated", NULL},
		{"package _\n", "_"},
		{"package main_test\n", "main_test"},
		{"", NULL},
	};
	struct arena a;

	arena_init(&a);
	for (size_t i = 0; i < countof(tests); i++) {
		const char *name = NULL;
		bool ok = load_package_clause(&a, tests[i].src, strlen(tests[i].src), &name);
		T_TRUE(ok == (tests[i].name != NULL), "package clause of %s: ok %d", tests[i].src, ok);
		if (ok && tests[i].name)
			T_STREQ(name, tests[i].name, "package clause of %s", tests[i].src);
	}
	arena_release(&a);
}

static void test_regexp(void)
{
	for (size_t i = 0; i < countof(invalid_re); i++) {
		struct gen_regexp *re = NULL;
		struct err e = ERR_INIT;
		int rc = gen_regexp_compile(invalid_re[i].re, &re, &e);
		if (invalid_re[i].err) {
			T_TRUE(rc < 0, "regexp %.60s: compiled, go says %s", invalid_re[i].re, invalid_re[i].err);
			if (rc < 0 && strlen(invalid_re[i].err) < 200)
				T_STREQ(err_msg(&e), invalid_re[i].err, "regexp %.60s", invalid_re[i].re);
			else if (rc < 0)
				T_TRUE(strncmp(err_msg(&e), invalid_re[i].err, 60) == 0, "regexp %.60s: %.80s", invalid_re[i].re,
				       err_msg(&e));
		} else {
			T_TRUE(rc == 0, "regexp %s: %s", invalid_re[i].re, err_msg(&e));
		}
		gen_regexp_free(re);
		err_clear(&e);
	}
	for (size_t i = 0; i < countof(match_re); i++) {
		struct gen_regexp *re = NULL;
		struct err e = ERR_INIT;
		if (gen_regexp_compile(match_re[i].re, &re, &e) < 0) {
			T_FAIL("regexp %s: %s", match_re[i].re, err_msg(&e));
		} else {
			bool got = gen_regexp_match(re, match_re[i].s, strlen(match_re[i].s));
			T_TRUE(got == match_re[i].match, "regexp %s on %s: got %d, go %d (pcre %s)", match_re[i].re,
			       match_re[i].s, got, match_re[i].match, gen_regexp_pcre(re));
		}
		gen_regexp_free(re);
		err_clear(&e);
	}
}

/* every name Go's \p accepts compiles (PCRE2 knows the table) */
static void test_unicode_names(void)
{
	static const struct {
		const char *canon, *table;
	} names[] = {
#include "generate/unames.inc"
	};
	for (size_t i = 0; i < countof(names); i++) {
		for (int k = 0; k < 2; k++) {
			struct gen_regexp *re = NULL;
			struct err e = ERR_INIT;
			char *x = k == 0 ? xasprintf("\\p{%s}", names[i].canon) : xasprintf("(?i)[^\\P{%s}]", names[i].canon);
			T_TRUE(gen_regexp_compile(x, &re, &e) == 0, "regexp %s: %s", x, err_msg(&e));
			gen_regexp_free(re);
			err_clear(&e);
			free(x);
		}
	}
}

int main(void)
{
	test_split();
	test_shorthand();
	test_shorthand_lines();
	test_expand();
	test_package_clause();
	test_regexp();
	test_unicode_names();
	return test_exit();
}
