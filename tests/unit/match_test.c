/*
 * path_match against every row of Go's src/path/match_test.go (go1.26),
 * plus rows for the filepath.Match variant and the UTF-8 helpers.
 */
#include "runtime/runtime.h"
#include "test.h"

/* match: 1 true, 0 false, -1 ErrBadPattern (then match is false). */
struct match_row {
	const char *pattern, *s;
	int want;
};

/* rows of path/match_test.go matchTests, in order */
static const struct match_row match_tests[] = {
	{"abc", "abc", 1},
	{"*", "abc", 1},
	{"*c", "abc", 1},
	{"a*", "a", 1},
	{"a*", "abc", 1},
	{"a*", "ab/c", 0},
	{"a*/b", "abc/b", 1},
	{"a*/b", "a/c/b", 0},
	{"a*b*c*d*e*/f", "axbxcxdxe/f", 1},
	{"a*b*c*d*e*/f", "axbxcxdxexxx/f", 1},
	{"a*b*c*d*e*/f", "axbxcxdxe/xxx/f", 0},
	{"a*b*c*d*e*/f", "axbxcxdxexxx/fff", 0},
	{"a*b?c*x", "abxbbxdbxebxczzx", 1},
	{"a*b?c*x", "abxbbxdbxebxczzy", 0},
	{"ab[c]", "abc", 1},
	{"ab[b-d]", "abc", 1},
	{"ab[e-g]", "abc", 0},
	{"ab[^c]", "abc", 0},
	{"ab[^b-d]", "abc", 0},
	{"ab[^e-g]", "abc", 1},
	{"a\\*b", "a*b", 1},
	{"a\\*b", "ab", 0},
	{"a?b", "a\u263Ab", 1},
	{"a[^a]b", "a\u263Ab", 1},
	{"a???b", "a\u263Ab", 0},
	{"a[^a][^a][^a]b", "a\u263Ab", 0},
	{"[a-\u03B6]*", "\u03B1", 1},
	{"*[a-\u03B6]", "A", 0},
	{"a?b", "a/b", 0},
	{"a*b", "a/b", 0},
	{"[\\]a]", "]", 1},
	{"[\\-]", "-", 1},
	{"[x\\-]", "x", 1},
	{"[x\\-]", "-", 1},
	{"[x\\-]", "z", 0},
	{"[\\-x]", "x", 1},
	{"[\\-x]", "-", 1},
	{"[\\-x]", "a", 0},
	{"[]a]", "]", -1},
	{"[-]", "-", -1},
	{"[x-]", "x", -1},
	{"[x-]", "-", -1},
	{"[x-]", "z", -1},
	{"[-x]", "x", -1},
	{"[-x]", "-", -1},
	{"[-x]", "a", -1},
	{"\\", "a", -1},
	{"[a-b-c]", "a", -1},
	{"[", "a", -1},
	{"[^", "a", -1},
	{"[^bc", "a", -1},
	{"a[", "a", -1},
	{"a[", "ab", -1},
	{"a[", "x", -1},
	{"a/b[", "x", -1},
	{"*x", "xxx", 1},
};

/*
 * filepath.Match does not check the unread rest of a pattern after a failed
 * match (path/filepath/match.go has no such loop), so these differ.
 */
static const struct match_row filepath_tests[] = {
	{"a/b[", "x", -1}, /* one chunk: parsed to its end */
	{"x*[", "y", 0},
	{"a[", "x", -1}, /* the failing chunk itself is still parsed */
	{"abc", "abc", 1},
	{"*x", "xxx", 1},
	{"[]a]", "]", -1},
	{"\\", "a", -1},
};

/* extra rows: empty names/patterns and invalid UTF-8 in names */
static const struct match_row extra_tests[] = {
	{"", "", 1},
	{"", "a", 0},
	{"*", "", 1},
	{"?", "", 0},
	{"[a]", "", 0},
	{"?", "\xff", 1},            /* invalid byte decodes as one rune */
	{"[^a]", "\xff", 1},
	{"[\xef\xbf\xbd]", "\xff", 1}, /* U+FFFD in a class matches an invalid byte */
	{"[\xff]", "a", -1},          /* invalid UTF-8 in a class is bad */
	{"a*", "a\xff", 1},
	{"x*[", "y", -1},
	{"*[", "", -1},
	{"[/]", "/", 1},
	{"a\\/b", "a/b", 1},
};

int main(void)
{
	size_t i;
	int32_t r;

	for (i = 0; i < countof(match_tests); i++) {
		const struct match_row *t = &match_tests[i];
		T_INTEQ(path_match(t->pattern, t->s), t->want, "Match(%s, %s)", t->pattern, t->s);
		/* on Unix filepath.Match agrees on every row of matchTests: none
		 * needs path.Match's extra check of the unread rest */
		T_INTEQ(path_match_filepath(t->pattern, t->s), t->want, "filepath.Match(%s, %s)",
		        t->pattern, t->s);
	}
	for (i = 0; i < countof(filepath_tests); i++) {
		const struct match_row *t = &filepath_tests[i];
		T_INTEQ(path_match_filepath(t->pattern, t->s), t->want, "filepath.Match(%s, %s)", t->pattern, t->s);
	}
	for (i = 0; i < countof(extra_tests); i++) {
		const struct match_row *t = &extra_tests[i];
		T_INTEQ(path_match(t->pattern, t->s), t->want, "Match(%s, %s)", t->pattern, t->s);
	}

	/* utf8 helpers: widths as unicode/utf8 reports them */
	T_INTEQ(utf8_rune_decode("", 0, &r), 0, "empty");
	T_INTEQ(r, 0xFFFD, "empty rune");
	T_INTEQ(utf8_rune_decode("\xe2\x98\xba", 3, &r), 3, "smiley");
	T_INTEQ(r, 0x263A, "smiley rune");
	T_INTEQ(utf8_rune_decode("\xc0\x80", 2, &r), 1, "overlong");
	T_INTEQ(utf8_rune_decode("\xed\xa0\x80", 3, &r), 1, "surrogate");
	T_INTEQ(utf8_rune_decode("\xf4\x90\x80\x80", 4, &r), 1, "past max");
	T_INTEQ(utf8_rune_decode("\xf0\x9f\x98\x80", 4, &r), 4, "emoji");
	T_INTEQ(r, 0x1F600, "emoji rune");
	T_INTEQ(utf8_rune_decode("\xe2\x98", 2, &r), 1, "short");
	T_TRUE(utf8_string_valid("a\u263Ab", 5), "valid");
	T_TRUE(!utf8_string_valid("a\xffz", 3), "invalid");
	T_TRUE(utf8_string_valid("\xef\xbf\xbd", 3), "literal U+FFFD is valid");
	return test_exit();
}
