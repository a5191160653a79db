/*
 * Package pattern helpers against the tables of Go's
 * src/cmd/internal/pkgpattern/pat_test.go (go1.26), kept in its text
 * format, plus rows checked against the real functions for the vendor
 * corner cases and search.CleanPatterns.
 */
#include <stdlib.h>
#include <string.h>

#include "modload/modload.h"
#include "test.h"

/* pat_test.go matchPatternTests, verbatim */
static const char match_pattern_tests[] =
	"	pattern ...\n"
	"	match foo\n"
	"\n"
	"	pattern net\n"
	"	match net\n"
	"	not net/http\n"
	"\n"
	"	pattern net/http\n"
	"	match net/http\n"
	"	not net\n"
	"\n"
	"	pattern net...\n"
	"	match net net/http netchan\n"
	"	not not/http not/net/http\n"
	"\n"
	"	# Special cases. Quoting docs:\n"
	"\n"
	"	# First, /... at the end of the pattern can match an empty string,\n"
	"	# so that net/... matches both net and packages in its subdirectories, like net/http.\n"
	"	pattern net/...\n"
	"	match net net/http\n"
	"	not not/http not/net/http netchan\n"
	"\n"
	"	# Second, any slash-separated pattern element containing a wildcard never\n"
	"	# participates in a match of the \"vendor\" element in the path of a vendored\n"
	"	# package, so that ./... does not match packages in subdirectories of\n"
	"	# ./vendor or ./mycode/vendor, but ./vendor/... and ./mycode/vendor/... do.\n"
	"	# Note, however, that a directory named vendor that itself contains code\n"
	"	# is not a vendored package: cmd/vendor would be a command named vendor,\n"
	"	# and the pattern cmd/... matches it.\n"
	"	pattern ./...\n"
	"	match ./vendor ./mycode/vendor\n"
	"	not ./vendor/foo ./mycode/vendor/foo\n"
	"\n"
	"	pattern ./vendor/...\n"
	"	match ./vendor/foo ./vendor/foo/vendor\n"
	"	not ./vendor/foo/vendor/bar\n"
	"\n"
	"	pattern mycode/vendor/...\n"
	"	match mycode/vendor mycode/vendor/foo mycode/vendor/foo/vendor\n"
	"	not mycode/vendor/foo/vendor/bar\n"
	"\n"
	"	pattern x/vendor/y\n"
	"	match x/vendor/y\n"
	"	not x/vendor\n"
	"\n"
	"	pattern x/vendor/y/...\n"
	"	match x/vendor/y x/vendor/y/z x/vendor/y/vendor x/vendor/y/z/vendor\n"
	"	not x/vendor/y/vendor/z\n"
	"\n"
	"	pattern .../vendor/...\n"
	"	match x/vendor/y x/vendor/y/z x/vendor/y/vendor x/vendor/y/z/vendor\n";

/* pat_test.go treeCanMatchPatternTests, verbatim */
static const char tree_can_match_tests[] =
	"	pattern ...\n"
	"	match foo\n"
	"\n"
	"	pattern net\n"
	"	match net\n"
	"	not net/http\n"
	"\n"
	"	pattern net/http\n"
	"	match net net/http\n"
	"\n"
	"	pattern net...\n"
	"	match net netchan net/http\n"
	"	not not/http not/net/http\n"
	"\n"
	"	pattern net/...\n"
	"	match net net/http\n"
	"	not not/http netchan\n"
	"\n"
	"	pattern abc.../def\n"
	"	match abcxyz\n"
	"	not xyzabc\n"
	"\n"
	"	pattern x/y/z/...\n"
	"	match x x/y x/y/z x/y/z/w\n"
	"\n"
	"	pattern x/y/z\n"
	"	match x x/y x/y/z\n"
	"	not x/y/z/w\n"
	"\n"
	"	pattern x/.../y/z\n"
	"	match x/a/b/c\n"
	"	not y/x/a/b/c\n";

/* run_table interprets pat_test.go's format (testPatterns): "pattern P..."
 * sets the patterns, "match N..." / "not N..." check every pair. */
static void run_table(const char *name, const char *tests, bool (*fn)(const char *, const char *))
{
	char *text = xstrdup(tests), *line, *next, *hash;
	struct strvec pats = {0}, fields = {0};

	for (line = text; line; line = next) {
		char *p, *start;
		size_t i, j;
		bool want;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if ((hash = strchr(line, '#')) != NULL)
			*hash = 0;
		strvec_clear(&fields);
		for (p = line; *p;) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (!*p)
				break;
			start = p;
			while (*p && *p != ' ' && *p != '\t')
				p++;
			strvec_push_take(&fields, xstrndup(start, (size_t)(p - start)));
		}
		if (fields.n == 0)
			continue;
		if (strcmp(fields.v[0], "pattern") == 0) {
			strvec_clear(&pats);
			for (i = 1; i < fields.n; i++)
				strvec_push(&pats, fields.v[i]);
			continue;
		}
		T_TRUE(strcmp(fields.v[0], "match") == 0 || strcmp(fields.v[0], "not") == 0,
		       "unknown directive %s", fields.v[0]);
		want = strcmp(fields.v[0], "match") == 0;
		for (i = 0; i < pats.n; i++)
			for (j = 1; j < fields.n; j++)
				T_TRUE(fn(pats.v[i], fields.v[j]) == want, "%s(%s, %s) = %d, want %d", name,
				       pats.v[i], fields.v[j], !want, want);
	}
	strvec_clear(&pats);
	strvec_clear(&fields);
	free(text);
}

struct pair_row {
	const char *pattern, *name;
	bool want;
};

/* checked against pkgpattern.MatchPattern (go1.26) */
static const struct pair_row match_extra[] = {
	{"vendor/...", "vendor/x", false}, /* go's regexp gets a leading slash here */
	{"vendor/...", "vendor", false},
	{"vendor/...", "/vendor", true},
	{"a/vendor/...", "a/vendor", true},
	{"a/vendor/...", "a/vendor/b/vendor/c", false},
	{"....", "a.", true},
	{"a...b", "a/vendor/b", false},
	{"a...b", "a/vendorb", true},
	{"a...", "a/vendor/b", false},
	{"a/vendor/b", "a/vendor/b", true},
	{"vendor", "vendor", true},
	{"x/vendor/y/...", "x/vendor/y/vendor/z", false},
	{"...", "vendor/x", false},
	{"...", "x/vendor", true},
	{"net/...", "net/", true},
	{"...", "", true},
	{"/...", "/", true},
	{"/...", "", true},
	{"a/...", "a/\nb", true},
	{"\xff...", "\xff", false}, /* a pattern that is not UTF-8 matches nothing */
};

/* checked against pkgpattern.TreeCanMatchPattern (go1.26) */
static const struct pair_row tree_extra[] = {
	{"", "", true},
	{"...", "", true},
	{"a/b", "a/", true},
	{"a/b...", "a/bc/d", true},
	{"a/b...", "a/", true},
	{"a/b/", "a/b/", true},
	{"a/b", "a/bc", false},
	{"a/b", "a/b/c", false},
};

/* checked against search.CleanPatterns (go1.26) */
static const char *const clean_in[] = {
	".", "./", "./.", "./a/../b", "./..", "../x/", "a//b/", "a\\b", "x@v1.2.3",
	"x/y/@latest", "./x@v1", "/a/../b@x", "/", "a/../..", "", "@v1", "a/./b/.@none",
	"C:\\x", "..//x/.",
};
static const char *const clean_want[] = {
	".", ".", ".", "./b", "./..", "../x", "a/b", "a/b", "x@v1.2.3",
	"x/y@latest", "./x@v1", "/b@x", "/", "..", ".", ".@v1", "a/b@none",
	"C:/x", "../x",
};

int main(void)
{
	struct strvec out = {0};
	size_t i;

	run_table("MatchPattern", match_pattern_tests, load_pattern_match);
	run_table("TreeCanMatchPattern", tree_can_match_tests, load_pattern_tree_can_match);
	for (i = 0; i < countof(match_extra); i++)
		T_TRUE(load_pattern_match(match_extra[i].pattern, match_extra[i].name) == match_extra[i].want,
		       "MatchPattern(%s, %s) want %d", match_extra[i].pattern, match_extra[i].name,
		       match_extra[i].want);
	for (i = 0; i < countof(tree_extra); i++)
		T_TRUE(load_pattern_tree_can_match(tree_extra[i].pattern, tree_extra[i].name) ==
		               tree_extra[i].want,
		       "TreeCanMatchPattern(%s, %s) want %d", tree_extra[i].pattern, tree_extra[i].name,
		       tree_extra[i].want);

	/* search.IsMetaPackage and build.IsLocalImport */
	T_TRUE(load_pattern_is_meta("std") && load_pattern_is_meta("cmd") && load_pattern_is_meta("all") &&
	               load_pattern_is_meta("tool") && load_pattern_is_meta("work"),
	       "meta");
	T_TRUE(!load_pattern_is_meta("std/...") && !load_pattern_is_meta("main") && !load_pattern_is_meta(""),
	       "not meta");
	T_TRUE(load_pattern_is_local(".") && load_pattern_is_local("..") && load_pattern_is_local("./x") &&
	               load_pattern_is_local("../x") && load_pattern_is_local("./"),
	       "local");
	T_TRUE(!load_pattern_is_local(".x") && !load_pattern_is_local("..x") && !load_pattern_is_local("/abs") &&
	               !load_pattern_is_local("x/.") && !load_pattern_is_local(""),
	       "not local");

	CHECK(countof(clean_in) == countof(clean_want));
	T_INTEQ(load_clean_patterns(NULL, 0, &out), 0, "clean none");
	T_INTEQ(out.n, 1, "clean none: one pattern");
	if (out.n == 1)
		T_STREQ(out.v[0], ".", "clean none gives .");
	strvec_clear(&out);
	T_INTEQ(load_clean_patterns((char *const *)clean_in, countof(clean_in), &out), 0, "clean");
	T_INTEQ(out.n, countof(clean_want), "clean count");
	for (i = 0; i < out.n && i < countof(clean_want); i++)
		T_STREQ(out.v[i], clean_want[i], "CleanPatterns(%s)", clean_in[i]);
	strvec_clear(&out);
	return test_exit();
}
