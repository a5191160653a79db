/*
 * link room: build info text and settings, the modinfo line, importcfg.link
 * and its package order, per-package flags.
 *
 * Without arguments: tables.  Expected build-info texts were printed by
 * go1.26's runtime/debug BuildInfo.String for the same values; the
 * per-package flag rows are cmd/go/internal/load/flag_test.go's ppfTests.
 *
 * With arguments, a driver for tests/e2e/link_modinfo.sh:
 *   link_test modinfo KEY=VALUE...
 * prints the modinfo line of importcfg.link for a main module package built
 * with those inputs.  Keys: path, mod (path), dep (path@version@sum),
 * deprepl (path@version@replpath@replversion),
 * buildmode, compiler, asmflags, gcflags, ldflags (each occurrence goes
 * through link_perpkg_flags_add, as go's flag parsing does), tags (comma
 * list), trimpath (1), godebug, cgo (0|1), CGO_CFLAGS, CGO_CPPFLAGS,
 * CGO_CXXFLAGS, CGO_LDFLAGS, goarch, goos, goexperiment, archvar (K=V),
 * pgo (absolute path).
 */
#include <stdlib.h>
#include <string.h>

#include "link/link.h"
#include "test.h"

/* ---- BuildInfo.String ---------------------------------------------------- */

static void test_text(void)
{
	struct link_module repl = {"example.com/new", "v1.1.0", "h1:new=", NULL};
	struct link_module local = {"../local", "(devel)", "", NULL};
	struct link_module a = {"example.com/a", "v1.0.0", "h1:abc=", NULL};
	struct link_module b = {"example.com/b", "v0.1.0", "", &repl};
	struct link_module c = {"example.com/c", "v0.2.0", "", &local};
	const struct link_module *deps[] = {&a, &b, &c};
	struct link_buildinfo bi;
	struct buf out = BUF_INIT;
	static const char *const settings[][2] = {
		{"-ldflags", "-X 'main.v=a b'"}, {"", "x"}, {"k=v", "y"}, {"a b", "t\tq"},
		{"q\"", "`x`"}, {"CGO_CFLAGS", ""}, {"r", "a\rb"}, {"u", "\xc3\xa9\x01"},
	};
	size_t i;

	buf_init(&out);
	link_buildinfo_init(&bi);
	bi.path = "example.com/m";
	bi.main.path = "example.com/m";
	bi.main.version = "(devel)";
	bi.deps = deps;
	bi.ndeps = countof(deps);
	for (i = 0; i < countof(settings); i++)
		link_buildinfo_add_setting(&bi, settings[i][0], settings[i][1]);
	link_buildinfo_text(&out, &bi);
	T_STREQ(buf_cstr(&out),
	        "path\texample.com/m\nmod\texample.com/m\t(devel)\t\n"
	        "dep\texample.com/a\tv1.0.0\th1:abc=\n"
	        "dep\texample.com/b\tv0.1.0\n=>\texample.com/new\tv1.1.0\th1:new=\n\n"
	        "dep\texample.com/c\tv0.2.0\n=>\t../local\t(devel)\t\n\n"
	        "build\t-ldflags=\"-X 'main.v=a b'\"\nbuild\t\"\"=x\nbuild\t\"k=v\"=y\n"
	        "build\t\"a b\"=\"t\\tq\"\nbuild\t\"q\\\"\"=\"`x`\"\nbuild\tCGO_CFLAGS=\n"
	        "build\tr=\"a\\rb\"\nbuild\tu=\xc3\xa9\x01\n",
	        "BuildInfo.String with deps, replacements and quoting");
	link_buildinfo_release(&bi);

	/* the zero BuildInfo prints nothing; no main module: no mod line */
	buf_reset(&out);
	link_buildinfo_init(&bi);
	link_buildinfo_text(&out, &bi);
	T_STREQ(buf_cstr(&out), "", "empty BuildInfo");
	bi.path = "command-line-arguments";
	link_buildinfo_add_setting(&bi, "GOOS", "linux");
	link_buildinfo_text(&out, &bi);
	T_STREQ(buf_cstr(&out), "path\tcommand-line-arguments\nbuild\tGOOS=linux\n", "GOPATH mode");
	link_buildinfo_release(&bi);

	/* appendBuildSetting turns newlines into spaces (then quoting is needed) */
	buf_reset(&out);
	link_buildinfo_init(&bi);
	link_buildinfo_add_setting(&bi, "CRAZY_ENV", "requires\nescaping");
	link_buildinfo_text(&out, &bi);
	T_STREQ(buf_cstr(&out), "build\tCRAZY_ENV=\"requires escaping\"\n", "newline to space");
	link_buildinfo_release(&bi);
	buf_release(&out);
}

/* ---- dependency order (gover.ModSort) ------------------------------------ */

static void test_modsort(void)
{
	struct link_module m[] = {
		{"example.com/b", "v1.0.0", "", NULL},
		{"example.com/a", "v1.10.0", "", NULL},
		{"example.com/a", "v1.9.0", "", NULL},
		{"example.com/a", "v1.9.0-pre", "", NULL},
		{"example.com/a/b", "v0.1.0", "", NULL},
		{"example.com/a-b", "v0.1.0", "", NULL},
	};
	const struct link_module *p[countof(m)];
	static const char *const want[] = {
		"example.com/a@v1.9.0-pre", "example.com/a@v1.9.0", "example.com/a@v1.10.0",
		"example.com/a-b@v0.1.0", "example.com/a/b@v0.1.0", "example.com/b@v1.0.0",
	};
	size_t i;

	for (i = 0; i < countof(m); i++)
		p[i] = &m[i];
	link_modules_sort(p, countof(p));
	for (i = 0; i < countof(p); i++) {
		char *got = xasprintf("%s@%s", p[i]->path, p[i]->version);

		T_STREQ(got, want[i], "ModSort position %zu", i);
		free(got);
	}
}

/* ---- settings ------------------------------------------------------------ */

/* keys of the settings, space-separated, values after '=' */
static char *settings_str(const struct link_settings_in *in)
{
	struct link_buildinfo bi;
	struct buf b = BUF_INIT;
	size_t i;

	buf_init(&b);
	link_buildinfo_init(&bi);
	link_buildinfo_settings(&bi, in);
	for (i = 0; i < bi.settings.n; i++)
		buf_printf(&b, "%s%s=%s", i ? " " : "", bi.settings.v[i].key, bi.settings.v[i].value);
	link_buildinfo_release(&bi);
	return buf_detach(&b);
}

static void test_settings(void)
{
	static char *const tags[] = {"x", "y"};
	struct {
		const char *name;
		struct link_settings_in in;
		const char *want;
	} rows[] = {
		{"plain exe, cgo on (go build . on linux/amd64)",
		 {.buildmode = "default", .is_main = true, .compiler = "gc", .cgo_enabled = true,
		  .goarch = "amd64", .goos = "linux", .arch_var = "GOAMD64", .arch_val = "v1"},
		 "-buildmode=exe -compiler=gc CGO_ENABLED=1 CGO_CFLAGS= CGO_CPPFLAGS= CGO_CXXFLAGS= "
		 "CGO_LDFLAGS= GOARCH=amd64 GOOS=linux GOAMD64=v1"},
		{"default buildmode of a non-main package is archive; cgo off",
		 {.buildmode = "default", .compiler = "gc", .goarch = "amd64", .goos = "linux"},
		 "-buildmode=archive -compiler=gc CGO_ENABLED=0 GOARCH=amd64 GOOS=linux"},
		{"-trimpath drops -ldflags and the CGO_ flags",
		 {.buildmode = "exe", .compiler = "gc", .ldflags = "-s -w", .trimpath = true, .cgo_enabled = true,
		  .cgo_cflags = "-I/x", .goarch = "arm", .goos = "linux", .arch_var = "GOARM", .arch_val = "6"},
		 "-buildmode=exe -compiler=gc -trimpath=true CGO_ENABLED=1 GOARCH=arm GOOS=linux GOARM=6"},
		{"every flag, in setBuildInfo's order",
		 {.asan = true, .asmflags_present = true, .asmflags = "", .buildmode = "pie", .compiler = "gc",
		  .gcflags = "all=-N -l", .gccgoflags = "-O2", .ldflags = "-X main.v=1", .cover = true,
		  .msan = true, .race = true, .tags = tags, .ntags = 2, .default_godebug = "panicnil=1",
		  .cgo_enabled = true, .cgo_cflags = "-O2 -g", .cgo_ldflags = "-lm\n-lc",
		  .goarch = "amd64", .goexperiment = "nogreenteagc", .gofips140 = "v1.0.0", .goos = "linux",
		  .arch_var = "GOAMD64", .arch_val = "v3"},
		 "-asan=true -asmflags= -buildmode=pie -compiler=gc -gcflags=all=-N -l -ldflags=-X main.v=1 "
		 "-cover=true -msan=true -race=true -tags=x,y DefaultGODEBUG=panicnil=1 CGO_ENABLED=1 "
		 "CGO_CFLAGS=-O2 -g CGO_CPPFLAGS= CGO_CXXFLAGS= CGO_LDFLAGS=-lm -lc GOARCH=amd64 "
		 "GOEXPERIMENT=nogreenteagc GOFIPS140=v1.0.0 GOOS=linux GOAMD64=v3"},
		{"gccgo records -gccgoflags, not -gcflags",
		 {.buildmode = "exe", .compiler = "gccgo", .gcflags = "-N", .gccgoflags = "-O2",
		  .goarch = "amd64", .goos = "linux"},
		 "-buildmode=exe -compiler=gccgo -gccgoflags=-O2 CGO_ENABLED=0 GOARCH=amd64 GOOS=linux"},
		{"an empty arch value is left out",
		 {.buildmode = "exe", .compiler = "gc", .goarch = "wasm", .goos = "js", .arch_var = "GOWASM",
		  .arch_val = ""},
		 "-buildmode=exe -compiler=gc CGO_ENABLED=0 GOARCH=wasm GOOS=js"},
		{"vcs stamp",
		 {.buildmode = "exe", .compiler = "gc", .goarch = "amd64", .goos = "linux", .vcs = "git",
		  .vcs_revision = "0123abcd", .vcs_time = "2024-01-02T03:04:05Z", .vcs_modified = true},
		 "-buildmode=exe -compiler=gc CGO_ENABLED=0 GOARCH=amd64 GOOS=linux vcs=git "
		 "vcs.revision=0123abcd vcs.time=2024-01-02T03:04:05Z vcs.modified=true"},
		{"PGO re-sorts everything by key (seen with go1.26)",
		 {.buildmode = "exe", .compiler = "gc", .cgo_enabled = true, .goarch = "amd64", .goos = "linux",
		  .arch_var = "GOAMD64", .arch_val = "v1", .pgo_path = "/src/m/default.pgo"},
		 "-buildmode=exe -compiler=gc -pgo=/src/m/default.pgo CGO_CFLAGS= CGO_CPPFLAGS= "
		 "CGO_CXXFLAGS= CGO_ENABLED=1 CGO_LDFLAGS= GOAMD64=v1 GOARCH=amd64 GOOS=linux"},
		{"PGO under -trimpath records the base name; vcs keys sort too",
		 {.buildmode = "exe", .compiler = "gc", .trimpath = true, .goarch = "amd64", .goos = "linux",
		  .vcs = "git", .vcs_revision = "ab", .vcs_time = "t", .pgo_path = "/src/m/default.pgo",
		  .default_godebug = "x=1"},
		 "-buildmode=exe -compiler=gc -pgo=default.pgo -trimpath=true CGO_ENABLED=0 DefaultGODEBUG=x=1 "
		 "GOARCH=amd64 GOOS=linux vcs=git vcs.modified=false vcs.revision=ab vcs.time=t"},
	};
	size_t i;

	for (i = 0; i < countof(rows); i++) {
		char *got = settings_str(&rows[i].in);

		T_STREQ(got, rows[i].want, "settings: %s", rows[i].name);
		free(got);
	}
}

/* ---- modinfo and importcfg.link ------------------------------------------ */

static void test_importcfg(void)
{
	struct buf b = BUF_INIT;
	static const char text[] = "path\texample.com/hello\nmod\texample.com/hello\t(devel)\t\n"
	                           "build\t-buildmode=exe\n";
	struct link_pkgfile files[] = {
		{"example.com/hello", "/w/b001/_pkg_.a", NULL},
		{"runtime", "/c/be/be41-d", NULL},
		{"example.com/lib", "/w/b002/_pkg_.a", "/lib/libx.so"},
	};

	buf_init(&b);
	link_modinfo_quoted(&b, "", 0);
	T_STREQ(buf_cstr(&b),
	        "modinfo \"0w\\xaf\\f\\x92t\\b\\x02A\\xe1\\xc1\\a\\xe6\\xd6\\x18\\xe6"
	        "\\xf92C1\\x86\\x18 r\\x00\\x82B\\x10A\\x16\\xd8\\xf2\"",
	        "modinfo of no build info: only the markers");
	buf_reset(&b);
	link_importcfg_link(&b, files, countof(files), text, strlen(text));
	T_STREQ(buf_cstr(&b),
	        "packagefile example.com/hello=/w/b001/_pkg_.a\n"
	        "packagefile runtime=/c/be/be41-d\n"
	        "packagefile example.com/lib=/w/b002/_pkg_.a\n"
	        "packageshlib example.com/lib=/lib/libx.so\n"
	        "modinfo \"0w\\xaf\\f\\x92t\\b\\x02A\\xe1\\xc1\\a\\xe6\\xd6\\x18\\xe6"
	        "path\\texample.com/hello\\nmod\\texample.com/hello\\t(devel)\\t\\n"
	        "build\\t-buildmode=exe\\n\\xf92C1\\x86\\x18 r\\x00\\x82B\\x10A\\x16\\xd8\\xf2\"\n",
	        "importcfg.link");
	buf_release(&b);
}

/* a toy package graph: node i imports the listed nodes */
struct tnode {
	const char *path;
	bool linked;
	const void *imps[4];
	size_t nimps;
};

static const char *tn_path(void *ctx, const void *n)
{
	return ((const struct tnode *)n)->path;
}

static bool tn_linked(void *ctx, const void *n)
{
	return ((const struct tnode *)n)->linked;
}

static size_t tn_imports(void *ctx, const void *n, const void *const **out)
{
	const struct tnode *t = n;

	*out = t->imps;
	return t->nimps;
}

static void test_deps_order(void)
{
	/* the shape of the go1.26 importcfg.link of a main importing fmt,
	 * unsafe and a local package, with runtime added by LinkerDeps */
	struct tnode runtime_ = {"runtime", true, {0}, 0};
	struct tnode unsafe_ = {"unsafe", false, {0}, 0};
	struct tnode errors_ = {"errors", true, {&runtime_}, 1};
	struct tnode io_ = {"io", true, {&errors_, &unsafe_}, 2};
	struct tnode fmt_ = {"fmt", true, {&errors_, &io_, &runtime_}, 3};
	struct tnode sub = {"example.com/m/sub", true, {&io_}, 1};
	struct tnode main_ = {"example.com/m", true, {&sub, &fmt_, &unsafe_, &runtime_}, 4};
	struct link_graph g = {tn_path, tn_linked, tn_imports, NULL};
	struct link_nodes out = {0};
	struct buf b = BUF_INIT;
	size_t i;

	buf_init(&b);
	link_deps_order(&g, &main_, &out);
	for (i = 0; i < out.n; i++)
		buf_printf(&b, "%s%s", i ? " " : "", ((const struct tnode *)out.v[i])->path);
	T_STREQ(buf_cstr(&b), "example.com/m example.com/m/sub fmt runtime io errors", "BFS link order");
	VEC_FREE(&out);
	buf_release(&b);
}

/* ---- per-package flags: cmd/go/internal/load/flag_test.go ppfTests -------- */

struct ppf_pkg {
	const char *path, *dir;
	bool cmdline;
	const char *flags; /* space-joined */
};

static char *joined(const struct strvec *sv)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_init(&b);
	for (i = 0; i < sv->n; i++)
		buf_printf(&b, "%s%s", i ? " " : "", sv->v[i]);
	return buf_detach(&b);
}

static void ppf_run(const char *name, const char *const *args, size_t nargs,
                    const struct ppf_pkg *pkgs, size_t npkgs)
{
	struct link_perpkg_flags f;
	struct err e = ERR_INIT;
	size_t i;

	link_perpkg_flags_init(&f);
	for (i = 0; i < nargs; i++) {
		int rc = link_perpkg_flags_add(&f, args[i], "/my/test/dir", &e);

		T_INTEQ(rc, 0, "%s: set(%s): %s", name, args[i], err_msg(&e));
		err_clear(&e);
	}
	for (i = 0; i < npkgs; i++) {
		struct link_pkg p = {.import_path = pkgs[i].path ? pkgs[i].path : "",
		                     .dir = pkgs[i].dir ? pkgs[i].dir : "", .cmdline = pkgs[i].cmdline};
		char *got = joined(link_perpkg_flags_for(&f, &p));

		T_STREQ(got, pkgs[i].flags, "%s: For(%s, %s, %d)", name, p.import_path, p.dir, p.cmdline);
		free(got);
	}
	link_perpkg_flags_release(&f);
}

/* ppfDirTest: the first n dirs match pattern=-S, the others do not */
static void ppf_dir(const char *pattern, size_t n, const char *const *dirs, size_t ndirs)
{
	struct ppf_pkg pkgs[8];
	char *arg = xasprintf("%s=-S", pattern);
	const char *args[1] = {arg};
	size_t i;

	CHECK(ndirs <= countof(pkgs));
	for (i = 0; i < ndirs; i++)
		pkgs[i] = (struct ppf_pkg){"p", dirs[i], false, i < n ? "-S" : ""};
	ppf_run(pattern, args, 1, pkgs, ndirs);
	free(arg);
}

#define DIRS(...) (const char *const[]){__VA_ARGS__}, countof(((const char *const[]){__VA_ARGS__}))

static void test_perpkg(void)
{
	{
		const char *args[] = {"-S"};
		struct ppf_pkg p[] = {{NULL, NULL, true, "-S"}, {NULL, NULL, false, ""}};
		ppf_run("-S", args, countof(args), p, countof(p));
	}
	{
		const char *args[] = {"-S", ""};
		struct ppf_pkg p[] = {{NULL, NULL, true, ""}};
		ppf_run("-S then empty", args, countof(args), p, countof(p));
	}
	{
		const char *args[] = {"net=-S"};
		struct ppf_pkg p[] = {{"math", NULL, true, ""}, {"net", NULL, false, "-S"}};
		ppf_run("net=-S", args, countof(args), p, countof(p));
	}
	{
		const char *args[] = {"net=-S", "net="};
		struct ppf_pkg p[] = {{"net", NULL, false, ""}};
		ppf_run("net= overrides", args, countof(args), p, countof(p));
	}
	{
		const char *args[] = {"net/...=-S"};
		struct ppf_pkg p[] = {{"net", NULL, false, "-S"}, {"net/http", NULL, false, "-S"},
		                      {"math", NULL, false, ""}};
		ppf_run("net/...=-S", args, countof(args), p, countof(p));
	}
	{
		const char *args[] = {"net/...=-S", "-m"};
		struct ppf_pkg p[] = {{"net", NULL, true, "-m"}, {"math", NULL, true, "-m"},
		                      {"net", NULL, false, "-S"}, {"net/http", NULL, false, "-S"},
		                      {"math", NULL, false, ""}};
		ppf_run("net/...=-S -m", args, countof(args), p, countof(p));
	}
	ppf_dir(".", 1, DIRS("/my/test/dir", "/my/test", "/my/test/other", "/my/test/dir/sub"));
	ppf_dir("..", 1, DIRS("/my/test", "/my/test/dir", "/my/test/other", "/my/test/dir/sub"));
	ppf_dir("./sub", 1, DIRS("/my/test/dir/sub", "/my/test", "/my/test/dir", "/my/test/other",
	                         "/my/test/dir/sub/sub"));
	ppf_dir("../other", 1, DIRS("/my/test/other", "/my/test", "/my/test/dir", "/my/test/other/sub",
	                            "/my/test/dir/other", "/my/test/dir/sub"));
	ppf_dir("./...", 3, DIRS("/my/test/dir", "/my/test/dir/sub", "/my/test/dir/sub/sub",
	                         "/my/test/other", "/my/test/other/sub"));
	ppf_dir("../...", 4, DIRS("/my/test/dir", "/my/test/other", "/my/test/dir/sub",
	                          "/my/test/other/sub", "/my/other/test"));
	ppf_dir("../...sub...", 3, DIRS("/my/test/dir/sub", "/my/test/othersub",
	                                "/my/test/yellowsubmarine", "/my/other/test"));
}

/* more of PerPackageFlag: splitting, errors, std/cmd/all/tool/work */
static void test_perpkg_more(void)
{
	static const struct {
		const char *arg, *err;
	} errs[] = {
		{"x", "missing =<value> in <pattern>=<value>"},
		{"=-S", "missing <pattern> in <pattern>=<value>"},
		{"'net'=-S", "parameter may not start with quote character '"},
		{"\"net\"=-S", "parameter may not start with quote character \""},
		{"-X 'a=b", "unterminated ' string"},
		{"net=-X \"a", "unterminated \" string"},
	};
	struct link_perpkg_flags f;
	struct err e = ERR_INIT;
	struct link_pkg p = {0};
	char *got;
	size_t i;

	for (i = 0; i < countof(errs); i++) {
		link_perpkg_flags_init(&f);
		T_INTEQ(link_perpkg_flags_add(&f, errs[i].arg, "/w", &e), -1, "add(%s) fails", errs[i].arg);
		T_STREQ(err_msg(&e), errs[i].err, "add(%s) error", errs[i].arg);
		T_TRUE(f.present && strcmp(link_perpkg_flags_raw(&f), errs[i].arg) == 0, "raw kept for %s", errs[i].arg);
		err_clear(&e);
		link_perpkg_flags_release(&f);
	}

	link_perpkg_flags_init(&f);
	T_STREQ(link_perpkg_flags_raw(&f), "", "raw of an absent flag");
	T_INTEQ(link_perpkg_flags_add(&f, " -X 'main.v=a b' -s\t", "/w", &e), 0, "quoted ldflags");
	T_INTEQ(link_perpkg_flags_add(&f, " std = -N  -l", "/w", &e), 0, "std pattern (trimmed)");
	T_INTEQ(link_perpkg_flags_add(&f, "cmd=-c=4", "/w", &e), 0, "cmd pattern");
	T_INTEQ(link_perpkg_flags_add(&f, "tool=-T", "/w", &e), 0, "tool pattern");
	T_INTEQ(link_perpkg_flags_add(&f, "work=-W", "/w", &e), 0, "work pattern");
	T_STREQ(link_perpkg_flags_raw(&f), "work=-W", "raw is the last value as given");

	p = (struct link_pkg){.import_path = "example.com/m", .dir = "/w", .cmdline = true};
	got = joined(link_perpkg_flags_for(&f, &p));
	T_STREQ(got, "-X main.v=a b -s", "cmdline package gets the quoted split");
	free(got);
	p = (struct link_pkg){.import_path = "fmt", .standard = true};
	got = joined(link_perpkg_flags_for(&f, &p));
	T_STREQ(got, "-N -l", "std package");
	free(got);
	p = (struct link_pkg){.import_path = "cmd/go", .standard = true};
	got = joined(link_perpkg_flags_for(&f, &p));
	T_STREQ(got, "-c=4", "cmd package");
	free(got);
	p = (struct link_pkg){.import_path = "tool", .modules_enabled = false};
	got = joined(link_perpkg_flags_for(&f, &p));
	T_STREQ(got, "-T", "GOPATH mode: tool is an import path pattern");
	free(got);
	p = (struct link_pkg){.import_path = "example.com/t", .modules_enabled = true, .is_tool = true};
	got = joined(link_perpkg_flags_for(&f, &p));
	T_STREQ(got, "-T", "a tool of the main modules");
	free(got);
	p = (struct link_pkg){.import_path = "example.com/m/x", .modules_enabled = true, .in_main_module = true};
	got = joined(link_perpkg_flags_for(&f, &p));
	T_STREQ(got, "-W", "a package of the main modules");
	free(got);
	p = (struct link_pkg){.import_path = "example.com/dep", .modules_enabled = true};
	got = joined(link_perpkg_flags_for(&f, &p));
	T_STREQ(got, "", "a dependency gets nothing");
	free(got);
	link_perpkg_flags_release(&f);

	link_perpkg_flags_init(&f);
	T_INTEQ(link_perpkg_flags_add(&f, "all=-l", "/w", &e), 0, "all");
	T_INTEQ(link_perpkg_flags_add(&f, "example.com/...=", "/w", &e), 0, "pattern with empty flags");
	p = (struct link_pkg){.import_path = "example.com/x"};
	T_INTEQ(link_perpkg_flags_for(&f, &p)->n, 0, "later empty entry wins");
	p = (struct link_pkg){.import_path = "golang.org/x"};
	got = joined(link_perpkg_flags_for(&f, &p));
	T_STREQ(got, "-l", "all matches every package");
	free(got);
	link_perpkg_flags_release(&f);
}

/* ---- driver for tests/e2e/link_modinfo.sh -------------------------------- */

static int cmd_modinfo(int argc, char **argv)
{
	struct link_settings_in in = {.buildmode = "default", .is_main = true, .compiler = "gc"};
	struct link_perpkg_flags gcf, ldf, asmf;
	struct link_buildinfo bi;
	struct link_module *mods = NULL;
	const struct link_module **deps = NULL;
	struct strvec tags = {0};
	struct err e = ERR_INIT;
	struct buf text = BUF_INIT, line = BUF_INIT;
	size_t ndeps = 0;
	int i, rc = 1;

	buf_init(&text);
	buf_init(&line);
	link_perpkg_flags_init(&gcf);
	link_perpkg_flags_init(&ldf);
	link_perpkg_flags_init(&asmf);
	link_buildinfo_init(&bi);
	mods = xcalloc(2 * ((size_t)argc + 1), sizeof(*mods));
	deps = xcalloc((size_t)argc + 1, sizeof(*deps));
	for (i = 0; i < argc; i++) {
		char *k = argv[i], *v = strchr(k, '=');

		if (v == NULL) {
			fprintf(stderr, "link_test modinfo: bad argument %s\n", k);
			goto out;
		}
		*v++ = 0;
		if (strcmp(k, "path") == 0) {
			bi.path = v;
		} else if (strcmp(k, "mod") == 0) {
			bi.main.path = v;
			bi.main.version = "(devel)";
			bi.main.sum = "";
		} else if (strcmp(k, "dep") == 0) {
			struct link_module *m = &mods[ndeps];
			char *at1 = strchr(v, '@'), *at2 = at1 ? strchr(at1 + 1, '@') : NULL;

			if (at2 == NULL) {
				fprintf(stderr, "link_test modinfo: dep wants path@version@sum\n");
				goto out;
			}
			*at1 = *at2 = 0;
			*m = (struct link_module){v, at1 + 1, at2 + 1, NULL};
			deps[ndeps++] = m;
		} else if (strcmp(k, "deprepl") == 0) {
			/* path@version@replpath@replversion: a local replacement */
			struct link_module *m = &mods[ndeps], *r = &mods[argc + 1 + ndeps];
			char *f[4] = {v, NULL, NULL, NULL};
			int j;

			for (j = 1; j < 4; j++) {
				f[j] = f[j - 1] ? strchr(f[j - 1], '@') : NULL;
				if (f[j])
					*f[j]++ = 0;
			}
			if (f[3] == NULL) {
				fprintf(stderr, "link_test modinfo: deprepl wants path@version@replpath@replversion\n");
				goto out;
			}
			*r = (struct link_module){f[2], f[3], "", NULL};
			*m = (struct link_module){f[0], f[1], "", r};
			deps[ndeps++] = m;
		} else if (strcmp(k, "gcflags") == 0 || strcmp(k, "ldflags") == 0 || strcmp(k, "asmflags") == 0) {
			struct link_perpkg_flags *f = k[0] == 'g' ? &gcf : k[0] == 'l' ? &ldf : &asmf;

			if (link_perpkg_flags_add(f, v, "/", &e) < 0) {
				fprintf(stderr, "invalid value \"%s\" for flag -%s: %s\n", v, k, err_msg(&e));
				goto out;
			}
		} else if (strcmp(k, "tags") == 0) {
			char *s = v, *c;

			while (*s) {
				c = strchr(s, ',');
				if (c)
					*c = 0;
				if (*s)
					strvec_push(&tags, s);
				if (!c)
					break;
				s = c + 1;
			}
		} else if (strcmp(k, "buildmode") == 0) {
			in.buildmode = v;
		} else if (strcmp(k, "compiler") == 0) {
			in.compiler = v;
		} else if (strcmp(k, "trimpath") == 0) {
			in.trimpath = strcmp(v, "1") == 0;
		} else if (strcmp(k, "godebug") == 0) {
			in.default_godebug = v;
		} else if (strcmp(k, "cgo") == 0) {
			in.cgo_enabled = strcmp(v, "1") == 0;
		} else if (strcmp(k, "CGO_CFLAGS") == 0) {
			in.cgo_cflags = v;
		} else if (strcmp(k, "CGO_CPPFLAGS") == 0) {
			in.cgo_cppflags = v;
		} else if (strcmp(k, "CGO_CXXFLAGS") == 0) {
			in.cgo_cxxflags = v;
		} else if (strcmp(k, "CGO_LDFLAGS") == 0) {
			in.cgo_ldflags = v;
		} else if (strcmp(k, "goarch") == 0) {
			in.goarch = v;
		} else if (strcmp(k, "goos") == 0) {
			in.goos = v;
		} else if (strcmp(k, "goexperiment") == 0) {
			in.goexperiment = v;
		} else if (strcmp(k, "archvar") == 0) {
			char *eq = strchr(v, '=');

			if (eq) {
				*eq = 0;
				in.arch_var = v;
				in.arch_val = eq + 1;
			}
		} else if (strcmp(k, "pgo") == 0) {
			in.pgo_path = v;
		} else {
			fprintf(stderr, "link_test modinfo: unknown key %s\n", k);
			goto out;
		}
	}
	in.asmflags_present = asmf.present;
	in.asmflags = link_perpkg_flags_raw(&asmf);
	in.gcflags = link_perpkg_flags_raw(&gcf);
	in.ldflags = link_perpkg_flags_raw(&ldf);
	in.tags = tags.v;
	in.ntags = tags.n;
	link_modules_sort(deps, ndeps);
	bi.deps = deps;
	bi.ndeps = ndeps;
	link_buildinfo_settings(&bi, &in);
	link_buildinfo_text(&text, &bi);
	link_modinfo_quoted(&line, text.data, text.len);
	printf("%s\n", buf_cstr(&line));
	rc = 0;
out:
	err_clear(&e);
	link_buildinfo_release(&bi);
	link_perpkg_flags_release(&gcf);
	link_perpkg_flags_release(&ldf);
	link_perpkg_flags_release(&asmf);
	strvec_clear(&tags);
	free(mods);
	free(deps);
	buf_release(&text);
	buf_release(&line);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "modinfo") == 0)
		return cmd_modinfo(argc - 2, argv + 2);
	test_text();
	test_modsort();
	test_settings();
	test_importcfg();
	test_deps_order();
	test_perpkg();
	test_perpkg_more();
	return test_exit();
}
