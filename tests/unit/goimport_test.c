/*
 * go-import meta tags (modload/goimport.c): cases from go1.26's
 * cmd/go/internal/vcs discovery_test.go (TestParseMetaGoImports) and
 * vcs_test.go (TestMatchGoImport), plus the tokenizer's edges.
 */
#include <string.h>

#include "modload/modload.h"
#include "test.h"

/* "prefix vcs repo subdir|..." entries joined by ";" */
static void dump(const struct mod_meta_imports *m, struct buf *out)
{
	for (size_t i = 0; i < m->n; i++)
		buf_printf(out, "%s%s %s %s %s", i ? ";" : "", m->v[i].prefix, m->v[i].vcs, m->v[i].repo_root,
		           m->v[i].subdir);
}

static const struct {
	const char *in;
	bool prefer_mod;
	const char *want; /* dump, or "ERR:text" */
} parse_tests[] = {
	{"<meta name=\"go-import\" content=\"foo/bar git https://github.com/rsc/foo/bar\">", false,
	 "foo/bar git https://github.com/rsc/foo/bar "},
	{"<meta name=\"go-import\" content=\"foo/bar git https://github.com/rsc/foo/bar\">\n"
	 "\t\t<meta name=\"go-import\" content=\"baz/quux git http://github.com/rsc/baz/quux\">",
	 false, "foo/bar git https://github.com/rsc/foo/bar ;baz/quux git http://github.com/rsc/baz/quux "},
	{"<meta name=\"go-import\" content=\"foo/bar git https://github.com/rsc/foo/bar\">\n"
	 "\t\t<meta name=\"go-import\" content=\"foo/bar mod http://github.com/rsc/baz/quux\">",
	 false, "foo/bar git https://github.com/rsc/foo/bar "},
	{"<meta name=\"go-import\" content=\"foo/bar mod http://github.com/rsc/baz/quux\">\n"
	 "\t\t<meta name=\"go-import\" content=\"foo/bar git https://github.com/rsc/foo/bar\">",
	 false, "foo/bar git https://github.com/rsc/foo/bar "},
	{"<meta name=\"go-import\" content=\"foo/bar mod http://github.com/rsc/baz/quux\">\n"
	 "\t\t<meta name=\"go-import\" content=\"foo/bar git https://github.com/rsc/foo/bar\">",
	 true, "foo/bar mod http://github.com/rsc/baz/quux "},
	{"<head>\n\t\t<meta name=\"go-import\" content=\"foo/bar git https://github.com/rsc/foo/bar\">\n\t\t</head>", false,
	 "foo/bar git https://github.com/rsc/foo/bar "},
	{"<meta name=\"go-import\" content=\"foo/bar git https://github.com/rsc/foo/bar\">\n\t\t<body>", false,
	 "foo/bar git https://github.com/rsc/foo/bar "},
	{"<!doctype html><meta name=\"go-import\" content=\"foo/bar git https://github.com/rsc/foo/bar\">", false,
	 "foo/bar git https://github.com/rsc/foo/bar "},
	{"<!doctype html><title>Page Not Found</title><meta name=go-import content=\"chitin.io/chitin git "
	 "https://github.com/chitin-io/chitin\"><div style=position:relative>DRAFT</div>",
	 false, "chitin.io/chitin git https://github.com/chitin-io/chitin "},
	{"<meta name=\"go-import\" content=\"myitcv.io git https://github.com/myitcv/x\">\n"
	 "\t        <meta name=\"go-import\" content=\"myitcv.io/blah2 mod https://raw.githubusercontent.com/myitcv/pubx/master\">\n",
	 false, "myitcv.io git https://github.com/myitcv/x "},
	{"<meta name=\"go-import\" content=\"myitcv.io git https://github.com/myitcv/x\">\n"
	 "\t        <meta name=\"go-import\" content=\"myitcv.io/blah2 mod https://raw.githubusercontent.com/myitcv/pubx/master\">\n",
	 true,
	 "myitcv.io/blah2 mod https://raw.githubusercontent.com/myitcv/pubx/master ;myitcv.io git https://github.com/myitcv/x "},
	{"<meta name=\"go-import\" content=\"foo/bar git https://github.com/rsc/foo/bar subdir\">", false,
	 "foo/bar git https://github.com/rsc/foo/bar subdir"},
	{"<meta name=\"go-import\" content=\"foo/bar git https://github.com/rsc/foo/bar subdir/path\">", false,
	 "foo/bar git https://github.com/rsc/foo/bar subdir/path"},
	/* the tokenizer: tags after the body, comments, entities, case, wrong field counts */
	{"<html><body><meta name=\"go-import\" content=\"a.b/c git https://a.b/c\"></body>", false, ""},
	{"<!-- <meta name=\"go-import\" content=\"x.y/z git https://x.y/z\"> -->"
	 "<META NAME='go-import' CONTENT='a.b/c git https://a.b/c?x=1&amp;y=2'/>",
	 false, "a.b/c git https://a.b/c?x=1&y=2 "},
	{"<meta name=\"go-import\" content=\"a.b/c git\"><meta name=\"go-import\" content=\"a b c d e\">", false, ""},
	{"<meta name=\"Go-Import\" content=\"a.b/c git https://a.b/c\">", false, ""},
	{"<html><head><meta name=\"go-import\" content=\"a.b/c git https://a", false,
	 "ERR:XML syntax error on line 1: unexpected EOF"},
	{"", false, ""},
	{"<meta name=go-import content=\"a b c\" checked><meta name=\"go-import\" content=\"x &bogus; &#65;\">", false,
	 "a b c ;x &bogus; A "},
	{"<html>\n<head>\n<meta name=\"go-import\"", false, "ERR:XML syntax error on line 3: unexpected EOF"},
};

static void test_parse(void)
{
	for (size_t i = 0; i < countof(parse_tests); i++) {
		struct mod_meta_imports m = {0};
		struct err e = ERR_INIT;
		struct buf got = BUF_INIT;
		const char *in = parse_tests[i].in;
		if (mod_parse_meta_go_imports(in, strlen(in), parse_tests[i].prefer_mod, &m, &e) < 0)
			buf_printf(&got, "ERR:%s", err_msg(&e));
		else
			dump(&m, &got);
		T_STREQ(buf_cstr(&got), parse_tests[i].want, "parse #%zu", i);
		buf_release(&got);
		err_clear(&e);
		mod_meta_imports_release(&m);
	}
}

struct mi {
	const char *prefix, *vcs, *repo, *subdir;
};

static const struct {
	struct mi imports[3];
	const char *path;
	int want;         /* the index matched, or -1 */
	const char *err;  /* the error when -1 */
} match_tests[] = {
	{{{"example.com/user/foo", "git", "https://example.com/repo/target", ""}}, "example.com/user/foo", 0, NULL},
	{{{"example.com/user/foo", "git", "https://example.com/repo/target", ""}}, "example.com/user/foo/", 0, NULL},
	{{{"example.com/user/foo", "git", "https://example.com/repo/target", ""},
	  {"example.com/user/fooa", "git", "https://example.com/repo/target", ""}},
	 "example.com/user/foo", 0, NULL},
	{{{"example.com/user/foo", "git", "https://example.com/repo/target", ""},
	  {"example.com/user/fooa", "git", "https://example.com/repo/target", ""}},
	 "example.com/user/fooa", 1, NULL},
	{{{"example.com/user/foo", "git", "https://example.com/repo/target", ""},
	  {"example.com/user/foo/bar", "git", "https://example.com/repo/target", ""}},
	 "example.com/user/foo/bar", -1, "multiple meta tags match import path \"example.com/user/foo/bar\""},
	{{{"example.com/user/foo", "git", "https://example.com/repo/target", ""},
	  {"example.com/user/foo/bar", "git", "https://example.com/repo/target", ""}},
	 "example.com/user/foo/bar/baz/", -1, "multiple meta tags match import path \"example.com/user/foo/bar/baz/\""},
	{{{"example.com/user/foo", "git", "https://example.com/repo/target", ""},
	  {"example.com/user/foo/bar", "git", "https://example.com/repo/target", ""}},
	 "example.com", -1,
	 "meta tag example.com/user/foo did not match import path example.com, "
	 "meta tag example.com/user/foo/bar did not match import path example.com"},
	{{{"example.com/user/foo", "git", "https://example.com/repo/target", ""}}, "different.example.com/user/foo", -1,
	 "meta tag example.com/user/foo did not match import path different.example.com/user/foo"},
	{{{"myitcv.io/blah2", "mod", "https://raw.githubusercontent.com/myitcv/pubx/master", ""},
	  {"myitcv.io", "git", "https://github.com/myitcv/x", ""}},
	 "myitcv.io/blah2/foo", 0, NULL},
	{{{"myitcv.io/blah2", "mod", "https://raw.githubusercontent.com/myitcv/pubx/master", ""},
	  {"myitcv.io", "git", "https://github.com/myitcv/x", ""}},
	 "myitcv.io/other", 1, NULL},
	{{{"example.com/user/foo", "git", "https://example.com/repo/target", "foo/subdir"}}, "example.com/user/foo", 0,
	 NULL},
	{{{"example.com/user/foo", "git", "https://example.com/repo/target", "subdir"},
	  {"example.com/user/foo", "git", "https://example.com/repo/target", ""}},
	 "example.com/user/foo", -1, "multiple meta tags match import path \"example.com/user/foo\""},
};

static void test_match(void)
{
	for (size_t i = 0; i < countof(match_tests); i++) {
		struct mod_meta_imports m = {0};
		struct err e = ERR_INIT;
		size_t k = 99;
		bool mismatch;
		for (size_t j = 0; j < 3 && match_tests[i].imports[j].prefix; j++) {
			const struct mi *x = &match_tests[i].imports[j];
			struct mod_meta_import im = {xstrdup(x->prefix), xstrdup(x->vcs), xstrdup(x->repo),
			                             xstrdup(x->subdir)};
			VEC_PUSH(&m, im);
		}
		int rc = mod_match_go_import(&m, match_tests[i].path, &k, &mismatch, &e);
		if (match_tests[i].want >= 0) {
			T_INTEQ(rc, 0, "match #%zu: %s", i, err_msg(&e));
			T_INTEQ((int)k, match_tests[i].want, "match #%zu", i);
		} else {
			T_INTEQ(rc, -1, "match #%zu", i);
			T_STREQ(err_msg(&e), match_tests[i].err, "match #%zu", i);
			T_TRUE(mismatch == (strncmp(match_tests[i].err, "meta tag", 8) == 0), "match #%zu: mismatch", i);
		}
		err_clear(&e);
		mod_meta_imports_release(&m);
	}
}

int main(void)
{
	test_parse();
	test_match();
	return test_exit();
}
