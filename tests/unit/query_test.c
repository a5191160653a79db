/* Unit tables for modload/query.c: rows of cmd/go/internal/modload's
 * query_test.go (queryTests) that need no VCS, served by a fake source
 * holding the tags of vcs-test.golang.org/git/querytest.git (and its /v2,
 * /v3 and emptytest.git), plus newQueryMatcher's range errors,
 * IsRevisionQuery and ShortMessage; and the go and toolchain modules
 * over a golang.org/toolchain version list, as go1.26.8 answers them. */
#include <stdlib.h>
#include <string.h>

#include "modload/modload.h"
#include "test.h"

#define QREPO "vcs-test.golang.org/git/querytest.git"
#define QREPO2 "vcs-test.golang.org/git/querytest.git/v2"
#define QREPO3 "vcs-test.golang.org/git/querytest.git/v3"
#define EMPTY "vcs-test.golang.org/git/emptytest.git"

static const char *const tags1[] = {
	"v0.0.0-pre1", "v0.0.0", "v0.0.1", "v0.0.2", "v0.0.3", "v0.1.0", "v0.1.1", "v0.1.2", "v0.3.0",
	"v1.9.0", "v1.9.1", "v1.9.2", "v1.9.3", "v1.9.4", "v1.9.5", "v1.9.6", "v1.9.7", "v1.9.8", "v1.9.9",
	"v1.9.10-pre1", NULL,
};
static const char *const tags2[] = {"v2.0.0", "v2.5.5", "v2.6.0-pre1", NULL};
static const char *const tags0[] = {NULL};
/* golang.org/toolchain: what the "go" and "toolchain" modules are read from */
static const char *const tags_dl[] = {
	"v0.0.1-go1.21.0.linux-amd64", "v0.0.1-go1.21.0.darwin-arm64", "v0.0.1-go1.22.0.linux-amd64",
	"v0.0.1-go1.22.5.linux-amd64", "v0.0.1-go1.22.5.darwin-arm64", "v0.0.1-go1.23rc1.linux-amd64",
	"v0.0.1-go1.23.0.linux-amd64", "v0.0.1-go1.23.2.linux-amd64", "v0.0.1-go1.27.0.linux-amd64", NULL,
};

static const char *const *tags_of(const char *path)
{
	if (strcmp(path, QREPO) == 0)
		return tags1;
	if (strcmp(path, QREPO2) == 0)
		return tags2;
	if (strcmp(path, "golang.org/toolchain") == 0)
		return tags_dl;
	return tags0;
}

static int fake_versions(void *ctx, const char *prefix, struct strvec *out, bool *notexist, struct err *e)
{
	const char *path = ctx;
	const char *const *t = tags_of(path);
	(void)e;
	*notexist = false;
	for (; *t; t++)
		if (strncmp(*t, prefix, strlen(prefix)) == 0)
			strvec_push(out, *t);
	/* Versions promises semver order: tags1 is already sorted */
	return 0;
}

static int fake_stat(void *ctx, const char *rev, struct mod_rev_info *info, bool *notexist, struct err *e)
{
	const char *path = ctx;
	memset(info, 0, sizeof *info);
	for (const char *const *t = tags_of(path); *t; t++)
		if (strcmp(*t, rev) == 0) {
			info->version = xstrdup(rev);
			info->time = xstrdup("2018-07-04T02:33:47Z");
			return 0;
		}
	if (strcmp(path, EMPTY) == 0 && strcmp(rev, "v0.0.0-20180704023549-7bb914627242") == 0) {
		info->version = xstrdup(rev);
		info->time = xstrdup("2018-07-04T02:35:49Z");
		return 0;
	}
	*notexist = true;
	return err_setf(e, "%s@%s: invalid version: unknown revision %s", path, rev, rev);
}

static int fake_latest(void *ctx, struct mod_rev_info *info, bool *notexist, struct err *e)
{
	const char *path = ctx;
	if (strcmp(path, EMPTY) == 0)
		return fake_stat(ctx, "v0.0.0-20180704023549-7bb914627242", info, notexist, e);
	*notexist = true;
	return err_setf(e, "module %s: no commits", path);
}

static int fake_check_reuse(void *ctx, const char *origin, struct err *e)
{
	(void)ctx;
	(void)origin;
	return err_setf(e, "fake repo");
}

static const struct mod_repo_ops fake_ops = {fake_versions, fake_stat, fake_latest, fake_check_reuse};

static int fake_try(void *ctx, const char *path, mod_repo_fn fn, void *fctx, bool *notexist, struct err *e)
{
	struct mod_repo r = {&fake_ops, (void *)path};
	(void)ctx;
	return fn(fctx, &r, notexist, e);
}

static int fake_gomod(void *ctx, const char *path, const char *version, struct buf *data, bool *notexist,
                      struct err *e)
{
	(void)ctx;
	(void)version;
	(void)e;
	*notexist = false;
	buf_printf(data, "module %s\n\ngo 1.12\n", path);
	return 0;
}

/* allow "NOMATCH": every version disallowed (query_test.go's allow regexp) */
static int disallow_all(void *ctx, const char *path, const char *version, unsigned *kind, struct err *e)
{
	(void)ctx;
	*kind = MOD_QERR_DISALLOWED | MOD_QERR_MODULE;
	return err_setf(e, "%s@%s: disallowed module version", path, version);
}

static const struct {
	const char *path, *query, *current, *allow, *vers, *err;
} cases[] = {
	{QREPO, "<v0.0.0", "", "", "v0.0.0-pre1", NULL},
	{QREPO, "<v0.0.0-pre1", "", "", NULL, "no matching versions for query \"<v0.0.0-pre1\""},
	{QREPO, "<=v0.0.0", "", "", "v0.0.0", NULL},
	{QREPO, ">v0.0.0", "", "", "v0.0.1", NULL},
	{QREPO, ">=v0.0.0", "", "", "v0.0.0", NULL},
	{QREPO, "v0.0.1", "", "", "v0.0.1", NULL},
	{QREPO, "v0.0.1+foo", "", "", "v0.0.1", NULL},
	{QREPO, "v0.0.99", "", "", NULL, QREPO "@v0.0.99: invalid version: unknown revision v0.0.99"},
	{QREPO, "v0", "", "", "v0.3.0", NULL},
	{QREPO, "v0.1", "", "", "v0.1.2", NULL},
	{QREPO, "v0.2", "", "", NULL, "no matching versions for query \"v0.2\""},
	{QREPO, "v0.0", "", "", "v0.0.3", NULL},
	{QREPO, "latest", "", "", "v1.9.9", NULL},
	{QREPO, "latest", "v1.9.10-pre1", "", "v1.9.9", NULL},
	{QREPO, "upgrade", "", "", "v1.9.9", NULL},
	{QREPO, "upgrade", "v1.9.10-pre1", "", "v1.9.10-pre1", NULL},
	{QREPO, "upgrade", "", "NOMATCH", NULL, "no matching versions for query \"upgrade\""},
	{QREPO, "upgrade", "v1.9.9", "NOMATCH", NULL, QREPO "@v1.9.9: disallowed module version"},
	{QREPO, "upgrade", "v1.99.99", "", NULL, QREPO "@v1.99.99: invalid version: unknown revision v1.99.99"},
	{QREPO, "patch", "", "", NULL,
	 "can't query version \"patch\" of module " QREPO ": no existing version is required"},
	{QREPO, "patch", "v0.1.0", "", "v0.1.2", NULL},
	{QREPO, "patch", "v1.9.0", "", "v1.9.9", NULL},
	{QREPO, "patch", "v1.9.10-pre1", "", "v1.9.10-pre1", NULL},
	{QREPO, "patch", "v1.99.99", "", NULL, QREPO "@v1.99.99: invalid version: unknown revision v1.99.99"},
	{QREPO, ">v1.9.9", "", "", "v1.9.10-pre1", NULL},
	{QREPO, ">v1.10.0", "", "", NULL, "no matching versions for query \">v1.10.0\""},
	{QREPO, ">=v1.10.0", "", "", NULL, "no matching versions for query \">=v1.10.0\""},
	{QREPO2, "<v0.0.0", "", "", NULL, "no matching versions for query \"<v0.0.0\""},
	{QREPO2, "<=v0.0.0", "", "", NULL, "no matching versions for query \"<=v0.0.0\""},
	{QREPO2, ">v0.0.0", "", "", "v2.0.0", NULL},
	{QREPO2, ">=v0.0.0", "", "", "v2.0.0", NULL},
	{QREPO2, "v2", "", "", "v2.5.5", NULL},
	{QREPO2, "v2.5", "", "", "v2.5.5", NULL},
	{QREPO2, "v2.6", "", "", NULL, "no matching versions for query \"v2.6\""},
	{QREPO2, "v2.6.0-pre1", "", "", "v2.6.0-pre1", NULL},
	{QREPO2, "latest", "", "", "v2.5.5", NULL},
	{QREPO3, "latest", "", "", NULL, "no matching versions for query \"latest\""},
	{EMPTY, "latest", "", "", "v0.0.0-20180704023549-7bb914627242", NULL},
	{EMPTY, ">v0.0.0", "", "", NULL, "no matching versions for query \">v0.0.0\""},
	{EMPTY, "<v10.0.0", "", "", NULL, "no matching versions for query \"<v10.0.0\""},
	/* newQueryMatcher's errors */
	{QREPO, "<=v1", "", "", NULL, "ambiguous semantic version \"v1\" in range \"<=v1\""},
	{QREPO, ">v1.2", "", "", NULL, "ambiguous semantic version \"v1.2\" in range \">v1.2\""},
	{QREPO, "<vx", "", "", NULL, "invalid semantic version \"vx\" in range \"<vx\""},
	{QREPO, "latest", "bad", "", NULL, "invalid previous version " QREPO "@bad"},
	{"std", "latest", "", "", NULL, "can't query specific version (\"latest\") of standard-library module \"std\""},
};

static void test_query(void)
{
	struct mod_query_source src = {fake_try, fake_gomod, NULL, NULL, NULL, NULL, NULL, NULL};

	for (size_t i = 0; i < countof(cases); i++) {
		struct mod_rev_info info = {0};
		struct err e = ERR_INIT;
		unsigned kind = 0;
		int rc = mod_query(&src, cases[i].path, cases[i].query, cases[i].current,
		                   cases[i].allow[0] ? disallow_all : NULL, NULL, &info, &kind, &e);
		if (cases[i].err) {
			T_TRUE(rc < 0, "Query(%s, %s, %s): want an error", cases[i].path, cases[i].query, cases[i].current);
			T_STREQ(rc < 0 ? err_msg(&e) : info.version, cases[i].err, "Query(%s, %s, %s)", cases[i].path,
			        cases[i].query, cases[i].current);
		} else {
			T_STREQ(rc == 0 ? info.version : err_msg(&e), cases[i].vers, "Query(%s, %s, %s)", cases[i].path,
			        cases[i].query, cases[i].current);
		}
		if (cases[i].err && strncmp(cases[i].err, "no matching", 11) == 0)
			T_TRUE(kind & MOD_QERR_NOMATCH, "Query(%s, %s): NoMatchingVersionError", cases[i].path,
			       cases[i].query);
		err_clear(&e);
		mod_rev_info_release(&info);
	}
}

/* The go and toolchain modules (modfetch's toolchainRepo) as go1.26.8
 * answers them over the list above: every go up to the local one exists,
 * language versions are prefixes, toolchain versions take a "go". */
static void test_toolchain_query(void)
{
	static const struct {
		const char *path, *query, *current, *vers, *err;
	} t[] = {
		{"go", "1.22.3", "", "1.22.3", NULL},
		{"go", "1.22", "", "1.22.5", NULL},
		{"go", "1.23", "", "1.23.2", NULL},
		{"go", "latest", "", "1.27.0", NULL},
		{"go", "upgrade", "1.21", "1.27.0", NULL},
		{"go", "patch", "1.21", "1.21.0", NULL},
		{"go", "<1.22", "1.21", "1.21.0", NULL},
		{"go", "1.22rc1", "", "1.22rc1", NULL},
		{"go", "go1.22", "", "1.22", NULL},
		{"go", "1.30", "", NULL, "no matching versions for query \"1.30\""},
		{"go", "bad", "", NULL, "invalid go version bad"},
		{"toolchain", "go1.22.5", "", "go1.22.5", NULL},
		{"toolchain", "1.23.0", "", "go1.23.0", NULL},
		{"toolchain", "go1.22", "", "go1.22.5", NULL},
		{"toolchain", "go1.26.8", "", "go1.26.8", NULL},
		{"toolchain", "patch", "go1.21", "go1.21.0", NULL},
		{"toolchain", "latest", "", "go1.27.0", NULL},
		{"toolchain", "go1.24.0", "", NULL,
		 "golang.org/toolchain@v0.0.1-go1.24.0.linux-amd64: invalid version: unknown revision "
		 "v0.0.1-go1.24.0.linux-amd64"},
		{"toolchain", "bad", "", NULL, "invalid toolchain version bad"},
	};
	struct mod_query_source src = {fake_try, fake_gomod, NULL, NULL, NULL, "1.26.8", NULL, NULL};

	for (size_t i = 0; i < countof(t); i++) {
		struct mod_rev_info info = {0};
		struct err e = ERR_INIT;
		unsigned kind = 0;
		int rc = mod_query(&src, t[i].path, t[i].query, t[i].current, NULL, NULL, &info, &kind, &e);
		if (t[i].err)
			T_STREQ(rc < 0 ? err_msg(&e) : info.version, t[i].err, "Query(%s, %s)", t[i].path, t[i].query);
		else
			T_STREQ(rc == 0 ? info.version : err_msg(&e), t[i].vers, "Query(%s, %s)", t[i].path, t[i].query);
		err_clear(&e);
		mod_rev_info_release(&info);
	}
}

static void test_revision_query(void)
{
	static const struct {
		const char *v;
		bool rev;
	} t[] = {{"latest", false}, {"upgrade", false}, {"patch", false}, {"<v1", false}, {">=v1.2.3", false},
	         {"v1", false}, {"v1.2", false}, {"v1.2.3", true}, {"master", true}, {"abcdef", true},
	         {"v1.2.3-pre", true}};
	for (size_t i = 0; i < countof(t); i++)
		T_TRUE(mod_is_revision_query("example.com/m", t[i].v) == t[i].rev, "IsRevisionQuery(%s)", t[i].v);
}

static void test_short_message(void)
{
	static const struct {
		const char *in, *out;
	} t[] = {{"", "default"}, {"  spaced  ", "spaced"}, {"first\nsecond", "first"},
	         {"bell\a", "(message omitted: contains non-printable characters)"}};
	char longmsg[600];
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < countof(t); i++) {
		buf_reset(&b);
		mod_short_message(t[i].in, "default", &b);
		T_STREQ(buf_cstr(&b), t[i].out, "ShortMessage(%s)", t[i].in);
	}
	memset(longmsg, 'x', sizeof longmsg - 1);
	longmsg[sizeof longmsg - 1] = 0;
	buf_reset(&b);
	mod_short_message(longmsg, "default", &b);
	T_STREQ(buf_cstr(&b), "(message omitted: too long)", "ShortMessage(long)");
	buf_release(&b);
}

int main(void)
{
	test_query();
	test_toolchain_query();
	test_revision_query();
	test_short_message();
	return test_exit();
}
