/*
 * embed_resolve and embed_cfg_json.
 *
 * Without arguments: a table of patterns resolved against a tree built in a
 * temp dir (expectations checked against go1.26's `go list`; see
 * tests/e2e/embed.sh, which compares the same behaviour with the real go).
 *
 * With arguments, a driver for tests/e2e/embed.sh:
 *   embed_test list IMPORTPATH DIR PATTERN... [-- TESTPATTERN...]
 *     prints what `go list -e -test -f` prints for the package (see the
 *     script for the format), patterns sorted and deduplicated as go/build
 *     does before resolving;
 *   embed_test cfg DIR PATTERN...
 *     prints the -embedcfg file go writes for those patterns.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "embed/embed.h"
#include "test.h"

/* clean_decls sorts and deduplicates patterns like go/build cleanDecls. */
static void clean_decls(char **v, size_t n, struct strvec *out)
{
	size_t i;
	struct strvec tmp = {0};

	for (i = 0; i < n; i++)
		strvec_push(&tmp, v[i]);
	strvec_sort(&tmp);
	for (i = 0; i < tmp.n; i++)
		if (i == 0 || strcmp(tmp.v[i], tmp.v[i - 1]) != 0)
			strvec_push(out, tmp.v[i]);
	strvec_clear(&tmp);
}

/* print_list prints a []string the way fmt's %v does: [a b c]. */
static void print_list(const char *const *v, size_t n)
{
	size_t i;

	putchar('[');
	for (i = 0; i < n; i++)
		printf("%s%s", i ? " " : "", v[i]);
	putchar(']');
}

static int run_list(int argc, char **argv)
{
	const char *ip = argv[2], *dir = argv[3];
	struct strvec pats = {0}, tpats = {0};
	struct embed_result r = {0}, tr = {0};
	struct err e = ERR_INIT, te = ERR_INIT;
	struct arena a;
	int i, sep = argc;

	for (i = 4; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	clean_decls(argv + 4, (size_t)(sep - 4), &pats);
	if (sep < argc)
		clean_decls(argv + sep + 1, (size_t)(argc - sep - 1), &tpats);
	arena_init(&a);
	embed_resolve(&a, dir, NULL, (const char *const *)pats.v, pats.n, &r, NULL, &e);
	if (tpats.n > 0)
		embed_resolve(&a, dir, NULL, (const char *const *)tpats.v, tpats.n, &tr, NULL, &te);
	/* the package itself: EmbedFiles, TestEmbedFiles, its error */
	printf("%s|", ip);
	print_list(r.files.v, r.files.n);
	putchar('|');
	print_list(tr.files.v, tr.files.n);
	printf("|%s\n", err_msg(&e));
	/* its test variant, whose error is the package's if it has one */
	if (sep < argc)
		printf("%s [%s.test]|T|%s\n", ip, ip, err_isset(&e) ? err_msg(&e) : err_msg(&te));
	err_clear(&e);
	err_clear(&te);
	strvec_clear(&pats);
	strvec_clear(&tpats);
	arena_release(&a);
	return 0;
}

static int run_cfg(int argc, char **argv)
{
	struct strvec pats = {0};
	struct embed_result r = {0};
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	struct arena a;
	int rc = 0;

	arena_init(&a);
	buf_init(&b);
	clean_decls(argv + 3, (size_t)(argc - 3), &pats);
	if (embed_resolve(&a, argv[2], NULL, (const char *const *)pats.v, pats.n, &r, NULL, &e) < 0) {
		fprintf(stderr, "%s\n", err_msg(&e));
		rc = 1;
	} else {
		embed_cfg_json(&b, argv[2], &r);
		fwrite(b.data, 1, b.len, stdout);
	}
	err_clear(&e);
	buf_release(&b);
	strvec_clear(&pats);
	arena_release(&a);
	return rc;
}

/* ---- the table ----------------------------------------------------------- */

/* The tree: "d" directory, "f" file, "l" symlink (to target), "p" fifo. */
struct node {
	char kind;
	const char *path, *target;
};
static const struct node tree[] = {
	{'f', "go.mod", NULL},
	{'f', "x.go", NULL},
	{'f', "a.txt", NULL},
	{'f', "b.txt", NULL},
	{'f', "c.dat", NULL},
	{'f', ".hidden.txt", NULL},
	{'f', "_under.txt", NULL},
	{'d', "dir", NULL},
	{'f', "dir/x.txt", NULL},
	{'f', "dir/.h.txt", NULL},
	{'f', "dir/_u.txt", NULL},
	{'d', "dir/sub", NULL},
	{'f', "dir/sub/y.txt", NULL},
	{'d', "dir/.hdir", NULL},
	{'f', "dir/.hdir/z.txt", NULL},
	{'d', "dir/_udir", NULL},
	{'f', "dir/_udir/w.txt", NULL},
	{'l', "dir/link", "../a.txt"},
	{'d', "empty", NULL},
	{'d', "onlyhidden", NULL},
	{'f', "onlyhidden/.x", NULL},
	{'d', "other", NULL},
	{'f', "other/go.mod", NULL},
	{'f', "other/f.txt", NULL},
	{'d', "nested", NULL},
	{'f', "nested/k.txt", NULL},
	{'d', "nested/inner", NULL},
	{'f', "nested/inner/go.mod", NULL},
	{'f', "nested/inner/q.txt", NULL},
	{'l', "alink", "a.txt"},
	{'l', "linkdir", "dir"},
	{'p', "fifo", NULL},
	{'f', "colon:x", NULL},
	{'d', "d3", NULL},
	{'f', "d3/ok.txt", NULL},
	{'f', "d3/bad:x", NULL},
	{'d', "d4", NULL},
	{'f', "d4/ok.txt", NULL},
	{'d', "d4/bad:dir", NULL},
	{'f', "d4/bad:dir/in.txt", NULL},
	{'d', ".git", NULL},
	{'f', ".git/config", NULL},
	{'d', "vendor", NULL},
	{'f', "vendor/v.txt", NULL},
	{'d', "sp ace", NULL},
	{'f', "sp ace/f[1].txt", NULL},
};

/* A row: patterns ("|"-separated, already sorted as go/build sorts them),
 * then either the files ("|"-separated union) or go's error text. */
struct row {
	const char *patterns;
	const char *files;
	const char *err;
};
static const struct row rows[] = {
	{"a.txt", "a.txt", NULL},
	{"*.txt", ".hidden.txt|_under.txt|a.txt|b.txt", NULL}, /* explicit globs see hidden names */
	{"?.txt", "a.txt|b.txt", NULL},
	{"[ab].txt", "a.txt|b.txt", NULL},
	{"a.txt|b.txt|a.txt", "a.txt|b.txt", NULL},
	{"dir", "dir/sub/y.txt|dir/x.txt", NULL},
	{"all:dir", "dir/.h.txt|dir/.hdir/z.txt|dir/_u.txt|dir/_udir/w.txt|dir/sub/y.txt|dir/x.txt", NULL},
	/* a matched hidden directory is walked, its own name exempt */
	{"dir/[._s]*", "dir/.h.txt|dir/.hdir/z.txt|dir/_u.txt|dir/_udir/w.txt|dir/sub/y.txt", NULL},
	{"dir/*", NULL, "pattern dir/*: cannot embed irregular file dir/link"},
	{"d*/x.txt", "dir/x.txt", NULL},
	{"*/x.txt", NULL, "pattern */x.txt: cannot embed file linkdir/x.txt: in non-directory linkdir"},
	{"d*/*.txt", "d3/ok.txt|d4/ok.txt|dir/.h.txt|dir/_u.txt|dir/x.txt", NULL},
	{"nested", "nested/k.txt", NULL},
	{"vendor/v.txt", "vendor/v.txt", NULL},
	{"sp ace", "sp ace/f[1].txt", NULL},
	{"sp ace/f\\[1].txt", "sp ace/f[1].txt", NULL},
	{"nomatch", NULL, "pattern nomatch: no matching files found"},
	{"*.nomatch", NULL, "pattern *.nomatch: no matching files found"},
	{"a.txt|zz", NULL, "pattern zz: no matching files found"},
	{"empty", NULL, "pattern empty: cannot embed directory empty: contains no embeddable files"},
	{"onlyhidden", NULL, "pattern onlyhidden: cannot embed directory onlyhidden: contains no embeddable files"},
	{"other", NULL, "pattern other: cannot embed directory other: in different module"},
	{"other/f.txt", NULL, "pattern other/f.txt: cannot embed file other/f.txt: in different module"},
	{"nested/inner/q.txt", NULL, "pattern nested/inner/q.txt: cannot embed file nested/inner/q.txt: in different module"},
	{"alink", NULL, "pattern alink: cannot embed irregular file alink"},
	{"fifo", NULL, "pattern fifo: cannot embed irregular file fifo"},
	{"linkdir/x.txt", NULL, "pattern linkdir/x.txt: cannot embed file linkdir/x.txt: in non-directory linkdir"},
	{"colon*", NULL, "pattern colon*: cannot embed file colon:x: invalid name colon:x"},
	{"d3", NULL, "pattern d3: cannot embed file d3/bad:x: invalid name bad:x"},
	{"d4", "d4/ok.txt", NULL},
	{"d4/bad:dir/in.txt", NULL, "pattern d4/bad:dir/in.txt: cannot embed file d4/bad:dir/in.txt: in invalid directory bad:dir"},
	{".git", NULL, "pattern .git: cannot embed directory .git: invalid name .git"},
	{"../x", NULL, "pattern ../x: invalid pattern syntax"},
	{"./a.txt", NULL, "pattern ./a.txt: invalid pattern syntax"},
	{"/a.txt", NULL, "pattern /a.txt: invalid pattern syntax"},
	{"dir/", NULL, "pattern dir/: invalid pattern syntax"},
	{".", NULL, "pattern .: invalid pattern syntax"},
	{"a//b", NULL, "pattern a//b: invalid pattern syntax"},
	{"[", NULL, "pattern [: invalid pattern syntax"},
	{"x*[", NULL, "pattern x*[: invalid pattern syntax"},
	{"all:", NULL, "pattern all:: invalid pattern syntax"},
	{"[/]", NULL, "pattern [/]: syntax error in pattern"},
	{"a\\/b", NULL, "pattern a\\/b: syntax error in pattern"},
};

/* make_tree creates the tree under root; returns -1 on failure. */
static int make_tree(const char *root)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < countof(tree) && rc == 0; i++) {
		char *p = xasprintf("%s/%s", root, tree[i].path);
		FILE *f;

		switch (tree[i].kind) {
		case 'd':
			rc = mkdir(p, 0755);
			break;
		case 'f':
			f = fopen(p, "w");
			if (!f) {
				rc = -1;
				break;
			}
			fputs(strcmp(tree[i].path, "go.mod") == 0 ? "module example.com/m\n" : "x\n", f);
			rc = fclose(f) == 0 ? 0 : -1;
			break;
		case 'l':
			rc = symlink(tree[i].target, p);
			break;
		case 'p':
			rc = mkfifo(p, 0644);
			break;
		}
		if (rc != 0)
			fprintf(stderr, "make_tree: %s: %s\n", p, strerror(errno));
		free(p);
	}
	return rc;
}

/* join_files renders a result's union as "a|b|c". */
static char *join_files(const struct embed_result *r)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_init(&b);
	for (i = 0; i < r->files.n; i++) {
		if (i)
			buf_addch(&b, '|');
		buf_adds(&b, r->files.v[i]);
	}
	return buf_detach(&b);
}

static void run_row(const char *root, const struct row *t)
{
	char *spec = xstrdup(t->patterns), *s, *bar;
	struct strvec pats = {0};
	struct embed_result r;
	struct err e = ERR_INIT;
	struct arena a;
	size_t bad = 999;
	int rc;

	for (s = spec; s; s = bar) {
		bar = strchr(s, '|');
		if (bar)
			*bar++ = 0;
		strvec_push(&pats, s);
	}
	arena_init(&a);
	rc = embed_resolve(&a, root, root, (const char *const *)pats.v, pats.n, &r, &bad, &e);
	if (t->err) {
		T_INTEQ(rc, -1, "%s: fails", t->patterns);
		T_STREQ(err_msg(&e), t->err, "%s: error", t->patterns);
		T_TRUE(bad < pats.n && strstr(t->err, pats.v[bad]) != NULL, "%s: bad pattern index %zu",
		       t->patterns, bad);
	} else {
		char *got;

		T_INTEQ(rc, 0, "%s: resolves (%s)", t->patterns, err_msg(&e));
		got = rc == 0 ? join_files(&r) : xstrdup("");
		T_STREQ(got, t->files, "%s: files", t->patterns);
		free(got);
		if (rc == 0)
			T_INTEQ(r.patterns.n, pats.n, "%s: one entry per pattern", t->patterns);
	}
	err_clear(&e);
	arena_release(&a);
	strvec_clear(&pats);
	free(spec);
}

/* test_cfg checks the embedcfg text for a small case (format seen in
 * $WORK/b001/embedcfg of `go build -work`; tests/e2e/embed.sh diffs it). */
static void test_cfg(const char *root)
{
	const char *pats[] = {"*.txt", "dir/sub"};
	struct embed_result r;
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT, want = BUF_INIT;
	struct arena a;

	arena_init(&a);
	buf_init(&b);
	buf_init(&want);
	T_INTEQ(embed_resolve(&a, root, root, pats, countof(pats), &r, NULL, &e), 0, "cfg resolve");
	embed_cfg_json(&b, root, &r);
	buf_printf(&want,
	           "{\n\t\"Patterns\": {\n\t\t\"*.txt\": [\n\t\t\t\".hidden.txt\",\n\t\t\t\"_under.txt\",\n"
	           "\t\t\t\"a.txt\",\n\t\t\t\"b.txt\"\n\t\t],\n\t\t\"dir/sub\": [\n\t\t\t\"dir/sub/y.txt\"\n"
	           "\t\t]\n\t},\n\t\"Files\": {\n\t\t\".hidden.txt\": \"%s/.hidden.txt\",\n"
	           "\t\t\"_under.txt\": \"%s/_under.txt\",\n\t\t\"a.txt\": \"%s/a.txt\",\n"
	           "\t\t\"b.txt\": \"%s/b.txt\",\n\t\t\"dir/sub/y.txt\": \"%s/dir/sub/y.txt\"\n\t}\n}",
	           root, root, root, root, root);
	T_STREQ(buf_cstr(&b), buf_cstr(&want), "embedcfg");

	/* no patterns: empty maps (go writes no file then, but the text is sound) */
	buf_reset(&b);
	memset(&r, 0, sizeof(r));
	embed_cfg_json(&b, root, &r);
	T_STREQ(buf_cstr(&b), "{\n\t\"Patterns\": {},\n\t\"Files\": {}\n}", "empty embedcfg");
	err_clear(&e);
	buf_release(&b);
	buf_release(&want);
	arena_release(&a);
}

int main(int argc, char **argv)
{
	char tmpl[] = "/tmp/embed_test.XXXXXX";
	struct err e = ERR_INIT;
	char *root;
	size_t i;

	if (argc >= 4 && strcmp(argv[1], "list") == 0)
		return run_list(argc, argv);
	if (argc >= 3 && strcmp(argv[1], "cfg") == 0)
		return run_cfg(argc, argv);

	/* the table assumes go's default: leaf symlinks are irregular files */
	unsetenv("GODEBUG");
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		return 1;
	}
	root = xasprintf("%s/m", tmpl);
	if (mkdir(root, 0755) < 0 || make_tree(root) < 0) {
		T_FAIL("cannot build the fixture tree");
	} else {
		for (i = 0; i < countof(rows); i++)
			run_row(root, &rows[i]);
		test_cfg(root);

		/* GODEBUG=embedfollowsymlinks=1 lets a leaf symlink to a
		 * regular file in (go1.25+), but never a directory symlink */
		setenv("GODEBUG", "x=1,embedfollowsymlinks=1", 1);
		{
			struct row ok = {"alink", "alink", NULL};
			struct row notdir = {"linkdir", NULL, "pattern linkdir: cannot embed irregular file linkdir"};

			run_row(root, &ok);
			run_row(root, &notdir);
		}
		setenv("GODEBUG", "embedfollowsymlinks=1,embedfollowsymlinks=0", 1);
		{
			struct row last = {"alink", NULL, "pattern alink: cannot embed irregular file alink"};

			run_row(root, &last);
		}
		unsetenv("GODEBUG");
	}
	if (os_remove_all(tmpl, &e) < 0)
		fprintf(stderr, "cleanup: %s\n", err_msg(&e));
	err_clear(&e);
	free(root);
	return test_exit();
}
