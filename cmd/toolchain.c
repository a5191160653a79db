/*
 * Toolchain selection: the GOTOOLCHAIN setting and the go and toolchain
 * lines of go.work or go.mod choose the Go toolchain a command runs with.
 * Mirrors cmd/go/internal/toolchain/select.go (Select, Exec, modGoToolchain,
 * raceSafeCopy) and exec.go (execGoToolchain) for go1.26.
 *
 * go switches by running another go command.  gotool never runs one: it
 * switches by running itself again with GOROOT set to the other toolchain,
 * whose compiler, linker and standard library it then drives.  So:
 *   - a toolchain downloaded as the golang.org/toolchain module is used
 *     from the module cache, exactly as go unpacks and prepares it (the
 *     execute bits, the _go.mod copies), with the same target/count
 *     environment variables go passes to the child;
 *   - a toolchain named in PATH (go1.N.M) is used only when that file is
 *     the bin/go of a Go distribution, whose root is then the GOROOT;
 *     any other program of that name (a golang.org/dl wrapper, say) is a
 *     go command gotool cannot drive: under GOTOOLCHAIN=auto the toolchain
 *     is downloaded instead, under GOTOOLCHAIN=path it is an error.
 * A command that finds mid-way that it needs a newer go (go get
 * go@1.N, a module whose go.mod needs one) calls
 * cmd_toolchain_switch_or_fatal: SwitchOrFatal, NewerToolchain over the
 * proxies' list of go versions (or PATH), then the same Exec.
 * `go install/run pkg@version`'s switch for the version's go.mod
 * (maybeSwitchForGoInstallVersion) is not done: gotool does not install
 * or run packages at a version yet.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/internal.h"
#include "modload/modload.h"

#define TOOLCHAIN_MODULE "golang.org/toolchain"
#define TOOLCHAIN_MODULE_VERSION "v0.0.1"
#define TARGET_ENV "GOTOOLCHAIN_INTERNAL_SWITCH_VERSION"
#define COUNT_ENV "GOTOOLCHAIN_INTERNAL_SWITCH_COUNT"
#define MAX_SWITCH 100

/* from_toolchain is gover.FromToolchain: "go1.21.3-foo" -> "1.21.3", or
 * NULL when name is no Go toolchain name (heap). */
static char *from_toolchain(const char *name)
{
	char *v;

	if (strpbrk(name, "\\/") || !has_prefix(name, "go"))
		return NULL;
	v = xstrndup(name + 2, strcspn(name + 2, " \t-"));
	if (!tc_version_valid(v)) {
		free(v);
		return NULL;
	}
	return v;
}

/* trim_space is bytes.TrimSpace for the ASCII white space of go.mod. */
static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\v' || ch == '\f';
}

static struct str trim_space(struct str s)
{
	while (s.n && is_space(s.p[0]))
		s.p++, s.n--;
	while (s.n && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

/* gomod_lookup is gover.GoModLookup: the first "key value" line's value,
 * without a // comment, or NULL (heap). */
static char *gomod_lookup(const char *data, size_t n, const char *key)
{
	size_t kl = strlen(key);
	const char *p = data, *end = data + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		struct str line = trim_space((struct str){p, (size_t)(le - p)});
		p = nl ? nl + 1 : end;
		if (line.n > kl && memcmp(line.p, key, kl) == 0 && (line.p[kl] == ' ' || line.p[kl] == '\t')) {
			struct str v = {line.p + kl, line.n - kl};
			for (size_t i = 0; i + 1 < v.n; i++) {
				if (v.p[i] == '/' && v.p[i + 1] == '/') {
					v.n = i;
					break;
				}
			}
			v = trim_space(v);
			return xstrndup(v.p, v.n);
		}
	}
	return NULL;
}

/* mod_go_toolchain is modGoToolchain: the go.work (else go.mod) that
 * applies here, with its go and toolchain lines (all heap or NULL). */
static void mod_go_toolchain(const struct cfg *c, char **file, char **go, char **toolchain)
{
	const char *gowork = cfg_getenv(c, "GOWORK");
	char *wd = getcwd(NULL, 0), *f = NULL;
	struct buf data = BUF_INIT;
	struct err e = ERR_INIT;

	*file = *go = *toolchain = NULL;
	if (!wd)
		base_fatalf("cannot determine current directory: %s", os_errstr(errno));
	/* modload.FindGoWork */
	if (gowork && gowork[0]) {
		if (strcmp(gowork, "off") != 0) {
			if (!path_is_abs(gowork))
				base_fatalf("invalid GOWORK: not an absolute path");
			f = path_clean(gowork);
		}
	} else {
		f = mod_find_gowork_goroot(wd, c->tc.goroot);
	}
	if (f && !os_exists(f)) {
		free(f);
		f = NULL;
	}
	if (!f)
		f = mod_find_gomod(wd);
	free(wd);
	if (!f)
		return;
	if (os_read_file(f, &data, 0, &e) < 0)
		base_fatalf("%s", err_msg(&e));
	*go = gomod_lookup(data.data, data.len, "go");
	*toolchain = gomod_lookup(data.data, data.len, "toolchain");
	*file = f;
	buf_release(&data);
}

/* modules_will_be_enabled is modload.WillBeEnabled. */
static bool modules_will_be_enabled(const struct cfg *c)
{
	const char *env = cfg_getenv(c, "GO111MODULE");
	char *wd, *f;
	bool ok;

	if (!env || !env[0] || strcmp(env, "on") == 0)
		return true;
	if (strcmp(env, "auto") != 0)
		return false;
	if (!(wd = getcwd(NULL, 0)))
		return false;
	f = mod_find_gomod(wd);
	ok = f != NULL;
	free(wd);
	free(f);
	return ok;
}

/* exec_toolchain is execGoToolchain: gotool again, over GOROOT dir. */
static NORETURN void exec_toolchain(const char *gotoolchain, const char *dir, char **argv)
{
	char self[PATH_MAX];
	ssize_t n;

	setenv(TARGET_ENV, gotoolchain, 1);
	setenv("GOROOT", dir, 1);
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n < 0)
		base_fatalf("exec %s: %s", gotoolchain, os_errstr(errno));
	self[n] = '\0';
	fflush(stdout);
	fflush(stderr);
	execv(self, argv);
	base_fatalf("exec %s: %s", gotoolchain, os_errstr(errno));
}

/* path_goroot finds name in PATH (exec.LookPath): the heap path of the
 * file, or NULL; *goroot (heap) is its Go distribution's root when the
 * file is such a root's bin/go (a VERSION file and pkg/tool beside bin). */
static char *path_goroot(const char *name, char **goroot)
{
	const char *path = getenv("PATH");
	char *found = NULL;

	*goroot = NULL;
	for (const char *p = path ? path : ""; p && !found;) {
		const char *colon = strchr(p, ':');
		char *dir = colon ? xstrndup(p, (size_t)(colon - p)) : xstrdup(p);
		char *f = path_join(dir[0] ? dir : ".", name);
		struct stat st;
		if (stat(f, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111))
			found = f;
		else
			free(f);
		free(dir);
		p = colon ? colon + 1 : NULL;
	}
	if (found) {
		char *real = realpath(found, NULL);
		if (real) {
			char *bin = path_dir(real), *root = path_dir(bin);
			char *version = path_join(root, "VERSION"), *tool = path_join(root, "pkg/tool");
			if (strcmp(path_base(bin), "bin") == 0 && os_is_regular(version) && os_is_dir(tool))
				*goroot = xstrdup(root);
			free(version);
			free(tool);
			free(bin);
			free(root);
			free(real);
		}
	}
	return found;
}

/* allow_exec sets the execute bits of the files under path (a file or a
 * tree) whose names match pattern ("" for all), as Exec's allowExec. */
static void allow_exec(const char *gotoolchain, const char *path, const char *pattern)
{
	struct stat st;
	struct strvec names = {0};
	struct err e = ERR_INIT;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT && strcmp(path_base(path), "lib") == 0)
			return; /* WalkDir of a missing root: its error */
		base_fatalf("download %s: lstat %s: %s", gotoolchain, path, os_errstr(errno));
	}
	if (!S_ISDIR(st.st_mode)) {
		if (pattern[0] && fnmatch(pattern, path_base(path), 0) != 0)
			return;
		if (stat(path, &st) < 0 || chmod(path, (st.st_mode & 0777) | 0111) < 0)
			base_fatalf("download %s: %s", gotoolchain, os_errstr(errno));
		return;
	}
	if (os_readdir(path, &names, &e) < 0)
		base_fatalf("download %s: %s", gotoolchain, err_msg(&e));
	for (size_t i = 0; i < names.n; i++) {
		char *f = path_join(path, names.v[i]);
		allow_exec(gotoolchain, f, pattern);
		free(f);
	}
	strvec_clear(&names);
}

static long long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 ? -1 : (long long)st.st_size;
}

/* race_safe_copy is raceSafeCopy: old's content to new unless new already
 * has old's size; the read-only directory is opened for writing meanwhile. */
static int race_safe_copy(const char *old, const char *new, struct err *e)
{
	struct stat ost, dst;
	struct buf data = BUF_INIT;
	char *dir;
	int fd, rc = -1;

	if (stat(old, &ost) < 0)
		return err_errno(e, "stat", old);
	if (file_size(new) == (long long)ost.st_size)
		return 0;
	if (os_read_file(old, &data, 0, e) < 0)
		return -1;
	dir = path_dir(old);
	if (stat(dir, &dst) < 0) {
		err_errno(e, "stat", dir);
		goto out;
	}
	if (chmod(dir, (dst.st_mode & 07777) | 0222) < 0) {
		err_errno(e, "chmod", dir);
		goto out;
	}
	fd = open(new, O_CREAT | O_WRONLY | O_CLOEXEC, 0666 & ~0111);
	if (fd < 0) {
		if (file_size(old) == file_size(new))
			rc = 0;
		else
			err_errno(e, "open", new);
	} else {
		rc = os_write_all(fd, data.data, data.len) < 0 ? err_errno(e, "write", new) : 0;
		if (close(fd) < 0 && rc == 0)
			rc = err_errno(e, "close", new);
		chmod(new, ost.st_mode & 07777);
	}
	chmod(dir, dst.st_mode & 07777);
out:
	free(dir);
	buf_release(&data);
	return rc;
}

/* copy_gomods copies every _go.mod under dir to go.mod beside it, leaving
 * src/_go.mod (the signal that all is done) to the caller. */
static int copy_gomods(const char *dir, const char *last, struct err *e)
{
	struct strvec names = {0};
	int rc = 0;

	if (os_readdir(dir, &names, e) < 0)
		return -1;
	for (size_t i = 0; i < names.n && rc == 0; i++) {
		char *f = path_join(dir, names.v[i]);
		struct stat st;
		if (lstat(f, &st) == 0 && S_ISDIR(st.st_mode)) {
			rc = copy_gomods(f, last, e);
		} else if (strcmp(names.v[i], "_go.mod") == 0 && strcmp(f, last) != 0) {
			char *to = path_join(dir, "go.mod");
			rc = race_safe_copy(f, to, e);
			free(to);
		}
		free(f);
	}
	strvec_clear(&names);
	return rc;
}

/* fetch_config fills fc for the module proxy as go's Fetcher sees it. */
static void fetch_config(const struct cfg *c, struct mod_fetch_config *fc)
{
	mod_fetch_config_init(c, fc);
	if (!fc->gomodcache || !fc->gomodcache[0])
		base_fatalf("module cache not found: neither GOMODCACHE nor GOPATH is set");
}

/* download is Exec's module download and first-use preparation: the
 * toolchain's GOROOT in the module cache (heap). */
static char *download(const struct cfg *c, const char *gotoolchain)
{
	struct mod_fetch_config fc = {0};
	struct mod_fetch *f;
	struct err e = ERR_INIT;
	static char *version; /* static: live through base_fatalf's exit */
	char *dir = NULL, *zip = NULL, *gobin, *ugomod, *gomod;
	struct stat st;
	bool notexist;

	version = xasprintf("%s-%s.%s-%s", TOOLCHAIN_MODULE_VERSION, gotoolchain, c->tc.hostos, c->tc.hostarch);
	fetch_config(c, &fc);
	/* fetch.go's "downloading" line, before the lock, when the zip is new */
	if (mod_cache_path(fc.gomodcache, TOOLCHAIN_MODULE, version, "zip", &zip, &e) == 0) {
		char *ziphash = xasprintf("%shash", zip);
		if (!os_exists(zip) || !os_exists(ziphash)) {
			fflush(stdout);
			fprintf(stderr, "%s: downloading %s (%s/%s)\n", prog_name, gotoolchain, c->tc.hostos,
			        c->tc.hostarch);
		}
		free(ziphash);
	}
	err_clear(&e);
	free(zip);
	f = mod_fetch_new(&fc, NULL);
	if (mod_fetch_download(f, TOOLCHAIN_MODULE, version, &dir, &e) < 0) {
		notexist = mod_fetch_notexist(f);
		mod_fetch_free(f);
		if (notexist) {
			char *v = from_toolchain(gotoolchain);
			bool lang = v && tc_version_is_lang(v) && tc_version_compare(v, "1.21") >= 0;
			free(v);
			if (lang)
				base_fatalf("invalid toolchain: %s is a language version but not a toolchain version (%s.x)",
				            gotoolchain, gotoolchain);
			base_fatalf("download %s for %s/%s: toolchain not available", gotoolchain, c->tc.hostos,
			            c->tc.hostarch);
		}
		base_fatalf("download %s: %s", gotoolchain, err_msg(&e));
	}
	mod_fetch_free(f);
	free(version);
	version = NULL;

	gobin = path_join(dir, "bin/go");
	if (stat(gobin, &st) < 0)
		base_fatalf("download %s: stat %s: %s", gotoolchain, gobin, os_errstr(errno));
	if (!(st.st_mode & 0111)) {
		/* pkg/tool and lib before bin, which holds the bin/go checked above */
		char *p;
		allow_exec(gotoolchain, p = path_join(dir, "pkg/tool"), "");
		free(p);
		allow_exec(gotoolchain, p = path_join(dir, "lib"), "go_?*_?*_exec");
		free(p);
		allow_exec(gotoolchain, p = path_join(dir, "bin/gofmt"), "");
		free(p);
		allow_exec(gotoolchain, p = path_join(dir, "bin"), "");
		free(p);
	}
	free(gobin);
	ugomod = path_join(dir, "src/_go.mod");
	gomod = path_join(dir, "src/go.mod");
	if (file_size(gomod) != file_size(ugomod)) {
		if (copy_gomods(dir, ugomod, &e) < 0 || race_safe_copy(ugomod, gomod, &e) < 0)
			base_fatalf("download %s: %s", gotoolchain, err_msg(&e));
	}
	free(ugomod);
	free(gomod);
	return dir;
}

/* exec_switch is Exec: gotool again over the toolchain chosen names,
 * found in PATH or downloaded (gotoolchain: the GOTOOLCHAIN setting). */
static NORETURN void exec_switch(const struct cfg *cp, const char *gotoolchain, const char *chosen, char **argv)
{
	const char *cs = getenv(COUNT_ENV);
	char *end;
	long n = cs ? strtol(cs, &end, 10) : 0;
	/* strconv.Atoi, its error ignored: anything but a number is 0 */
	int count = cs && cs[0] && !*end && n >= INT_MIN + 1 && n < INT_MAX ? (int)n : 0;
	bool path_only = strcmp(gotoolchain, "path") == 0 || has_suffix(gotoolchain, "+path");
	char *found, *root, num[16];

	if (count >= MAX_SWITCH - 10)
		fprintf(stderr, "%s: switching from go%s to %s [depth %d]\n", prog_name, cp->tc.gover, chosen, count);
	if (count >= MAX_SWITCH)
		base_fatalf("too many toolchain switches");
	snprintf(num, sizeof num, "%d", count + 1);
	setenv(COUNT_ENV, num, 1);
	found = path_goroot(chosen, &root);
	if (root)
		exec_toolchain(chosen, root, argv);
	if (path_only) {
		if (found)
			base_fatalf("%s in PATH is not the bin/go of a Go distribution: gotool cannot use it as a "
			            "toolchain", found);
		base_fatalf("cannot find \"%s\" in PATH", chosen);
	}
	free(found);
	exec_toolchain(chosen, download(cp, chosen), argv);
}

/* the command line, for a switch in the middle of a command */
static char **saved_argv;

/* path_toolchains is pathToolchains: the go versions of the go1.N
 * programs in PATH, sorted (heap strings into list). */
static void path_toolchains(struct strvec *list)
{
	const char *path = getenv("PATH");

	for (const char *p = path ? path : ""; p;) {
		const char *colon = strchr(p, ':');
		char *dir = colon ? xstrndup(p, (size_t)(colon - p)) : xstrdup(p);
		struct strvec names = {0};
		struct err e = ERR_INIT;
		/* refuse relative directories (exec.ErrDot) */
		if (dir[0] == '/' && os_readdir(dir, &names, &e) == 0) {
			for (size_t i = 0; i < names.n; i++) {
				char *f, *v;
				struct stat st;
				if (!has_prefix(names.v[i], "go1."))
					continue;
				f = path_join(dir, names.v[i]);
				v = from_toolchain(names.v[i]);
				if (v && has_prefix(v, "1.") && stat(f, &st) == 0 && S_ISREG(st.st_mode) &&
				    (st.st_mode & 0111) && !strvec_contains(list, v))
					strvec_push(list, v);
				free(v);
				free(f);
			}
		}
		err_clear(&e);
		strvec_clear(&names);
		free(dir);
		p = colon ? colon + 1 : NULL;
	}
	for (size_t i = 1; i < list->n; i++) {
		char *x = list->v[i];
		size_t j = i;
		for (; j > 0 && tc_version_compare(list->v[j - 1], x) > 0; j--)
			list->v[j] = list->v[j - 1];
		list->v[j] = x;
	}
}

/* newer_toolchain is newerToolchain: the latest release of the newest
 * language family >= need, preferring the family before the latest
 * release (heap "go1.N.M"), or NULL. */
static char *newer_toolchain(const char *need, const struct strvec *list)
{
	const char *latest = NULL;

	for (size_t i = list->n; i-- > 0;) {
		const char *v = list->v[i], *newer;
		char *l1, *l2;
		bool same;
		if (tc_version_compare(v, need) < 0)
			break;
		same = false;
		if (latest) {
			l1 = tc_version_lang(latest);
			l2 = tc_version_lang(v);
			same = strcmp(l1, l2) == 0;
			free(l1);
			free(l2);
		}
		if (same)
			continue;
		newer = latest;
		latest = v;
		if (newer && !tc_version_is_prerelease(newer))
			break;
	}
	return latest ? xasprintf("go%s", latest) : NULL;
}

bool cmd_toolchain_can_switch(const struct cfg *c)
{
	const char *gt = cfg_getenv(c, "GOTOOLCHAIN");

	return gt && (strcmp(gt, "auto") == 0 || has_suffix(gt, "+auto") || strcmp(gt, "path") == 0 ||
	              has_suffix(gt, "+path"));
}

void cmd_toolchain_switch_or_fatal(const struct cfg *c, const char *what, const char *need, const char *msg)
{
	const char *gt = cfg_getenv(c, "GOTOOLCHAIN");
	bool has_auto = gt && (strcmp(gt, "auto") == 0 || has_suffix(gt, "+auto"));
	bool has_path = gt && (strcmp(gt, "path") == 0 || has_suffix(gt, "+path"));
	struct strvec list = {0};
	static char *tv; /* static: live through exec's exits */

	if (!has_auto && !has_path)
		base_fatalf("%s", msg);
	if (has_auto) {
		/* autoToolchains: the "go" module's versions at the proxies */
		struct mod_fetch_config fc = {0};
		struct mod_fetch *f;
		struct mod_query_source src;
		struct err e = ERR_INIT;
		fetch_config(c, &fc);
		f = mod_fetch_new(&fc, NULL);
		mod_fetch_query_source(f, &src);
		src.local_go = c->tc.gover;
		if (mod_query_versions(&src, "go", NULL, NULL, &list, &e) < 0) {
			static char *why; /* static: live through the exit */
			why = err_take(&e);
			mod_fetch_free(f);
			strvec_clear(&list);
			base_errorf("%s", msg);
			base_fatalf("switching to go >= %s: %s", need, why);
		}
		mod_fetch_free(f);
	} else {
		path_toolchains(&list);
	}
	tv = newer_toolchain(need, &list);
	strvec_clear(&list);
	if (!tv) {
		base_errorf("%s", msg);
		base_fatalf("switching to go >= %s: no releases found for go >= %s", need, need);
	}
	fflush(stdout);
	fprintf(stderr, "%s: %s requires go >= %s; switching to %s\n", prog_name, what, need, tv);
	exec_switch(c, gt, tv, saved_argv);
}

void cmd_toolchain_select(int argc, char **argv)
{
	struct cfg c = {0};
	const char *gotoolchain, *target;
	char *plus;
	/* static: base_fatalf exits with them live, and a leak checker must
	 * still find them */
	static char *min_toolchain, *min_vers, *mode, *chosen, *min;

	saved_argv = argv;

	if (argc == 3 && strcmp(argv[1], "env") == 0 &&
	    (strcmp(argv[2], "GOTOOLCHAIN") == 0 || strcmp(argv[2], "GOMOD") == 0 || strcmp(argv[2], "GOWORK") == 0))
		return;
	if (argc == 4 && strcmp(argv[1], "env") == 0 && strcmp(argv[2], "-w") == 0 &&
	    has_prefix(argv[3], "GOTOOLCHAIN="))
		return;
	{
		struct err e = ERR_INIT;
		if (cfg_load(&c, &e) < 0) {
			/* the command loads it again and reports the error */
			err_clear(&e);
			cfg_release(&c);
			return;
		}
	}
	if (!modules_will_be_enabled(&c))
		goto out;
	gotoolchain = cfg_getenv(&c, "GOTOOLCHAIN");
	tc_startup.gotoolchain = xstrdup(gotoolchain ? gotoolchain : "");
	if (!gotoolchain || !gotoolchain[0])
		goto out;

	min_toolchain = xstrdup(c.tc.version);
	min_vers = xstrdup(c.tc.gover);
	if (strcmp(gotoolchain, "auto") == 0 || strcmp(gotoolchain, "path") == 0) {
		mode = xstrdup(gotoolchain);
	} else {
		bool has_plus;
		min = xstrdup(gotoolchain);
		has_plus = (plus = strchr(min, '+')) != NULL;
		if (has_plus)
			*plus++ = '\0';
		if (strcmp(min, "local") != 0) {
			char *v = from_toolchain(min);
			if (!v) {
				if (has_plus)
					base_fatalf("invalid GOTOOLCHAIN \"%s\": invalid minimum toolchain \"%s\"", gotoolchain, min);
				base_fatalf("invalid GOTOOLCHAIN \"%s\"", gotoolchain);
			}
			free(min_toolchain);
			free(min_vers);
			min_toolchain = xstrdup(min);
			min_vers = v;
		}
		if (has_plus && strcmp(plus, "auto") != 0 && strcmp(plus, "path") != 0)
			base_fatalf("invalid GOTOOLCHAIN \"%s\": only version suffixes are +auto and +path", gotoolchain);
		mode = xstrdup(has_plus ? plus : "");
		free(min);
		min = NULL;
	}

	chosen = xstrdup(min_toolchain);
	if (strcmp(mode, "auto") == 0 || strcmp(mode, "path") == 0) {
		static char *file, *gov, *tc, *tv;
		mod_go_toolchain(&c, &file, &gov, &tc);
		tc_startup.auto_file = file ? cmd_short_path(file) : NULL;
		if (tc && strcmp(tc, "default") == 0) {
			tc_startup.auto_toolchain = xstrdup(tc);
		} else {
			if (tc && tc[0]) {
				tv = from_toolchain(tc);
				if (!tv || (!has_prefix(tc, "go") && !strstr(tc, "-go"))) {
					static char *sp;
					sp = cmd_short_path(file);
					base_fatalf("invalid toolchain \"%s\" in %s", tc, sp);
				}
				if (tc_version_compare(tv, min_vers) > 0) {
					free(chosen);
					chosen = xstrdup(tc);
					free(tc_startup.auto_toolchain);
					tc_startup.auto_toolchain = xstrdup(tc);
					free(min_vers);
					min_vers = xstrdup(tv);
				}
				free(tv);
				tv = NULL;
			}
			if (gov && tc_version_compare(gov, min_vers) > 0) {
				free(chosen);
				/* a language version (1.22) means its first release, 1.22.0 */
				chosen = xasprintf("go%s%s", gov,
				                   tc_version_is_lang(gov) && tc_version_compare(gov, "1.21") >= 0 ? ".0" : "");
				free(min_vers);
				min_vers = xstrdup(gov);
				free(tc_startup.auto_go_version);
				tc_startup.auto_go_version = xstrdup(gov);
				free(tc_startup.auto_toolchain);
				tc_startup.auto_toolchain = NULL; /* overridden for being too old */
			}
		}
		free(file);
		free(gov);
		free(tc);
		file = gov = tc = NULL;
	}

	/* invoked as the target of a switch: check and run */
	if ((target = getenv(TARGET_ENV)) && target[0]) {
		if (strcmp(c.tc.version, target) != 0)
			base_fatalf("toolchain %s invoked to provide %s", c.tc.version, target);
		unsetenv(TARGET_ENV);
		/* go keeps the count for a later switch and filters it out of the
		 * programs run, generate and test start (FilterEnv).  A target
		 * gotool never switches again, so it drops the count at once */
		unsetenv(COUNT_ENV);
		goto done;
	}
	if (strcmp(chosen, "local") == 0 || strcmp(chosen, c.tc.version) == 0)
		goto done;
	if (!has_prefix(chosen, "go1") && !strstr(chosen, "-go1"))
		base_fatalf("invalid GOTOOLCHAIN \"%s\"", chosen);

	exec_switch(&c, gotoolchain, chosen, argv);
done:
	free(min_toolchain);
	free(min_vers);
	free(mode);
	free(chosen);
	min_toolchain = min_vers = mode = chosen = NULL;
out:
	cfg_release(&c);
}
