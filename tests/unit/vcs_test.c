/*
 * VCS stamping (modload/vcs.c).
 *
 * Without arguments: table-driven checks of the decisions setBuildInfo
 * makes before any git command runs (cmd/go/internal/load/pkg.go,
 * cmd/go/internal/vcs/vcs.go FromDir), on directory fixtures that need
 * no VCS tool: -buildvcs=false, no repository, multiple VCS, a package or
 * module outside cwd's repository, a missing VCS tool.  The repository
 * contents themselves are checked against the real go by tests/e2e/vcs.sh.
 *
 * With arguments, a driver for that script:
 *   vcs_test stamp MODE CWD PKGDIR MODPATH MODROOT GOMODCACHE
 * prints the mod line and vcs settings as `go version -m` shows them
 * (without the leading tab), or "error: MSG" and exits 1.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "modload/modload.h"
#include "test.h"

static int stamp_main(char **argv)
{
	struct arena a;
	struct err e = ERR_INIT;
	struct mod_vcs_stamp st;
	int rc = 0;

	arena_init(&a);
	if (mod_vcs_stamp(&a, argv[0], argv[1], argv[2], argv[3], argv[4], argv[5], &st, &e) < 0) {
		printf("error: %s\n", err_msg(&e));
		rc = 1;
		goto out;
	}
	printf("mod\t%s\t%s\n", argv[3], st.version ? st.version : "(devel)");
	if (st.vcs) {
		printf("build\tvcs=%s\n", st.vcs);
		if (*st.revision)
			printf("build\tvcs.revision=%s\n", st.revision);
		if (*st.time)
			printf("build\tvcs.time=%s\n", st.time);
		printf("build\tvcs.modified=%s\n", st.modified ? "true" : "false");
	}
out:
	err_clear(&e);
	arena_release(&a);
	return rc;
}

static char *root;

/* mk creates the directory root/rel (and parents). */
static void mk(const char *rel)
{
	struct err e = ERR_INIT;
	char *p = path_join(root, rel);

	if (os_mkdir_all(p, 0777, &e) < 0)
		T_FAIL("mkdir %s: %s", p, err_msg(&e));
	err_clear(&e);
	free(p);
}

/* touch creates the empty file root/rel. */
static void touch(const char *rel)
{
	char *p = path_join(root, rel);
	FILE *f = fopen(p, "w");

	if (!f)
		T_FAIL("create %s", p);
	else
		fclose(f);
	free(p);
}

/* R expands "@" in s to the fixture root (heap). */
static char *R(const char *s)
{
	struct buf b = BUF_INIT;

	for (; *s; s++) {
		if (*s == '@')
			buf_adds(&b, root);
		else
			buf_addch(&b, *s);
	}
	return buf_detach(&b);
}

struct stamp_case {
	const char *name;
	const char *mode, *cwd, *pkg, *modroot;
	const char *godebug;  /* GODEBUG for the case, or NULL */
	bool need_git;        /* the result depends on git being on PATH */
	const char *want_err; /* expected error ("@" = fixture root), or NULL */
	bool want_vcs;        /* when no error: whether a stamp is made */
};

#define ERR(msg) "error obtaining VCS status: " msg "\n\tUse -buildvcs=false to disable VCS stamping."

/* Cases follow setBuildInfo's order of checks (cmd/go/internal/load/pkg.go). */
static const struct stamp_case stamp_cases[] = {
	{"false", "false", "@/both", "@/both", "@/both", NULL, false, NULL, false},
	{"none", "auto", "@/plain", "@/plain", "@/plain", NULL, false, NULL, false},
	{"none-true", "true", "@/plain", "@/plain", "@/plain", NULL, false, NULL, false},
	{"hg+git same dir", "auto", "@/both", "@/both", "@/both", NULL, false,
	 ERR("multiple VCS detected: hg in \"@/both\", and git in \"@/both\""), false},
	{"git under hg", "true", "@/hgtop/sub", "@/hgtop/sub", "@/hgtop/sub", NULL, false,
	 ERR("multiple VCS detected: git in \"@/hgtop/sub\", and hg in \"@/hgtop\""), false},
	/* allowmultiplevcs=1 takes the innermost; the empty .git then makes git fail. */
	{"allowmultiplevcs", "true", "@/hgtop/sub", "@/hgtop/sub", "@/hgtop/sub",
	 "allowmultiplevcs=1", true, ERR("exit status 128"), false},
	{"allowmultiplevcs last wins", "true", "@/hgtop/sub", "@/hgtop/sub", "@/hgtop/sub",
	 "allowmultiplevcs=1,allowmultiplevcs=0", false,
	 ERR("multiple VCS detected: git in \"@/hgtop/sub\", and hg in \"@/hgtop\""), false},
	/* module outside cwd's repository (neither contains the other): no stamp */
	{"module elsewhere", "true", "@/r1", "@/r2", "@/r2", NULL, false, NULL, false},
	{"pkg in other repo", "true", "@/r1", "@/r2/p", "@/r1", NULL, false,
	 ERR("main package is in repository \"@/r2\" but current directory is in repository \"@/r1\""),
	 false},
	{"pkg in other repo auto", "auto", "@/r1", "@/r2/p", "@/r1", NULL, true, NULL, false},
	{"pkg in no repo", "true", "@/r1", "@/plain", "@/r1", NULL, false,
	 ERR("directory \"@/plain\" is not using a known version control system"), false},
	{"module root above repo", "true", "@/r1", "@/r1/p", "@", NULL, false,
	 ERR("directory \"@\" is not using a known version control system"), false},
	{"module in nested repo", "true", "@/r1", "@/r1/n", "@/r1/n", NULL, false,
	 ERR("main package is in repository \"@/r1/n\" but current directory is in repository \"@/r1\""),
	 false},
	{"module in nested repo, pkg outside", "true", "@/r1", "@/r1/p", "@/r1/n", NULL, false,
	 ERR("main module is in repository \"@/r1/n\" but current directory is in repository \"@/r1\""),
	 false},
	{"module in nested repo auto", "auto", "@/r1", "@/r1/p", "@/r1/n", NULL, true, NULL, false},
	/* .git as a file (a worktree) is not a git root for FromDir. */
	{"git file", "true", "@/gitfile", "@/gitfile", "@/gitfile", NULL, false, NULL, false},
	/* broken repository: git fails */
	{"broken git", "true", "@/r1", "@/r1/p", "@/r1", NULL, true, ERR("exit status 128"), false},
};

static void run_stamp_cases(void)
{
	bool have_git = false;
	char *git = proc_lookpath("git");

	have_git = git != NULL;
	free(git);
	for (size_t i = 0; i < countof(stamp_cases); i++) {
		const struct stamp_case *c = &stamp_cases[i];
		struct arena a;
		struct err e = ERR_INIT;
		struct mod_vcs_stamp st;
		char *cwd = R(c->cwd), *pkg = R(c->pkg), *mr = R(c->modroot);
		char *want = c->want_err ? R(c->want_err) : NULL;
		char *gc = R("@/modcache");

		if (c->need_git && !have_git) {
			printf("skip %s: no git on PATH\n", c->name);
			goto next;
		}
		if (c->godebug)
			setenv("GODEBUG", c->godebug, 1);
		else
			unsetenv("GODEBUG");
		arena_init(&a);
		int rc = mod_vcs_stamp_proxy(&a, c->mode, cwd, pkg, "example.com/m", mr, gc, "off",
		                             &st, &e);
		if (want) {
			T_INTEQ(rc, -1, "%s: rc", c->name);
			T_STREQ(err_msg(&e), want, "%s: error", c->name);
		} else {
			T_INTEQ(rc, 0, "%s: rc (%s)", c->name, err_msg(&e));
			T_INTEQ(st.vcs != NULL, c->want_vcs, "%s: stamped", c->name);
			T_TRUE(st.version == NULL, "%s: version", c->name);
		}
		err_clear(&e);
		arena_release(&a);
	next:
		free(cwd);
		free(pkg);
		free(mr);
		free(want);
		free(gc);
	}
	unsetenv("GODEBUG");
}

/* A missing tool: -buildvcs=auto skips silently, true reports it as go's
 * run1 does. */
static void run_missing_tool(void)
{
	char *fossil = proc_lookpath("fossil");
	char *d = R("@/fos");
	char *want = R(ERR("exec: \"fossil\": executable file not found in $PATH"));
	struct arena a;
	struct err e = ERR_INIT;
	struct mod_vcs_stamp st;

	arena_init(&a);
	if (fossil) {
		printf("skip missing tool: fossil is installed\n");
		goto out;
	}
	T_INTEQ(mod_vcs_stamp_proxy(&a, "auto", d, d, "example.com/m", d, "", NULL, &st, &e), 0,
	        "fossil auto");
	T_TRUE(st.vcs == NULL, "fossil auto: no stamp");
	T_INTEQ(mod_vcs_stamp_proxy(&a, "true", d, d, "example.com/m", d, "", NULL, &st, &e), -1,
	        "fossil true");
	T_STREQ(err_msg(&e), want, "fossil true: error");
out:
	err_clear(&e);
	arena_release(&a);
	free(fossil);
	free(d);
	free(want);
}

int main(int argc, char **argv)
{
	char tmpl[] = "/tmp/vcs_test.XXXXXX";
	struct err e = ERR_INIT;

	if (argc == 8 && strcmp(argv[1], "stamp") == 0)
		return stamp_main(argv + 2);
	if (argc > 1) {
		fprintf(stderr, "usage: vcs_test [stamp MODE CWD PKGDIR MODPATH MODROOT GOMODCACHE]\n");
		return 2;
	}
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		return 1;
	}
	root = tmpl;
	mk("plain");
	mk("both/.hg");
	mk("both/.git");
	mk("hgtop/.hg");
	mk("hgtop/sub/.git");
	mk("r1/.git");
	mk("r1/p");
	mk("r1/n/.git");
	mk("r2/.git");
	mk("r2/p");
	mk("gitfile");
	touch("gitfile/.git");
	mk("fos");
	touch("fos/_FOSSIL_");

	run_stamp_cases();
	run_missing_tool();

	if (os_remove_all(root, &e) < 0)
		fprintf(stderr, "%s\n", err_msg(&e));
	err_clear(&e);
	return test_exit();
}
