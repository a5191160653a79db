/*
 * `gotool env`: print, set (-w) and unset (-u) go's environment settings,
 * mirroring cmd/go/internal/envcmd/env.go (go1.26).
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/internal.h"
#include "modload/modload.h"
#include "work/cache.h"
#include "work/work.h"

extern char **environ;

/* One variable as go env reports it: changed means "differs from the
 * value an empty environment without go env -w would give". */
struct envvar {
	char *name;
	char *value;
	bool changed;
};
struct envlist {
	struct envvar *v;
	size_t n, cap;
};

static void env_add(struct envlist *l, const char *name, const char *value, bool changed)
{
	struct envvar ev = {xstrdup(name), xstrdup(value ? value : ""), changed};

	VEC_PUSH(l, ev);
}

static void env_free(struct envlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].value);
	}
	VEC_FREE(l);
}

static const struct envvar *env_find(const struct envlist *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

static const char *getenv_or_empty(const struct cfg *c, const char *key)
{
	const char *v = cfg_getenv(c, key);

	return v ? v : "";
}

/* env_add_cache_dir adds a cache directory variable: its value when absolute
 * or "off" (anything else is off), else os.UserCacheDir()/sub ("off" when
 * there is no user cache directory); changed when it differs from that. */
static void env_add_cache_dir(struct envlist *l, const struct cfg *c, const char *name, const char *sub)
{
	struct err e = ERR_INIT;
	char *dir = cfg_user_cache_dir(&e), *def = dir ? path_join(dir, sub) : xstrdup("off");
	const char *v = getenv_or_empty(c, name);

	err_clear(&e);
	if (*v)
		env_add(l, name, path_is_abs(v) || strcmp(v, "off") == 0 ? v : "off", strcmp(v, def) != 0);
	else
		env_add(l, name, def, false);
	free(dir);
	free(def);
}

/* telemetry_mode mirrors x/telemetry's Dir.Mode: the first word of
 * <config>/go/telemetry/mode, "local" when absent, "off" without a
 * config directory. */
static void telemetry(char **mode, char **dir)
{
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	char *cfgdir = cfg_user_config_dir(&e), *modefile = NULL;

	if (!cfgdir) {
		*mode = xstrdup("off");
		*dir = xstrdup("");
		goto out;
	}
	*dir = path_join(cfgdir, "go/telemetry");
	modefile = path_join(*dir, "mode");
	if (os_read_file(modefile, &b, 1 << 16, &e) < 0) {
		*mode = xstrdup("local");
		goto out;
	}
	{
		struct str s = str_trim_space(buf_str(&b)), before, after;
		if (str_cut(s, ' ', &before, &after))
			s = before;
		*mode = str_dup(s);
	}
out:
	err_clear(&e);
	buf_release(&b);
	free(cfgdir);
	free(modefile);
}

/* mk_env mirrors envcmd.MkEnv: the variables every command computes. */
static void mk_env(const struct cfg *c, struct envlist *l)
{
	const char *v;
	bool ch;
	char *s, *mode = NULL, *tdir = NULL;

	v = getenv_or_empty(c, "GO111MODULE");
	env_add(l, "GO111MODULE", v, strcmp(v, "on") != 0 && *v);
	env_add(l, "GOARCH", c->ctx.goarch, strcmp(c->ctx.goarch, c->tc.hostarch) != 0);
	v = cfg_env_or(c, "GOAUTH", "netrc", &ch);
	env_add(l, "GOAUTH", v, ch);
	v = getenv_or_empty(c, "GOBIN");
	env_add(l, "GOBIN", v, *v);
	/* mirrors cache.DefaultDir */
	env_add_cache_dir(l, c, "GOCACHE", "go-build");
	v = cfg_env_or(c, "GOCACHEPROG", "", &ch);
	env_add(l, "GOCACHEPROG", v, ch);
	v = getenv("GODEBUG");
	env_add(l, "GODEBUG", v ? v : "", v && *v);
	env_add(l, "GOENV", c->envfile ? c->envfile : "", c->envfile_changed);
	env_add(l, "GOEXE", strcmp(c->ctx.goos, "windows") == 0 ? ".exe" : "", false);
	env_add(l, "GOEXPERIMENT", c->goexperiment, *c->goexperiment);
	env_add(l, "GOFIPS140", c->gofips140, c->gofips140_changed);
	v = getenv_or_empty(c, "GOFLAGS");
	env_add(l, "GOFLAGS", v, *v);
	env_add(l, "GOHOSTARCH", c->tc.hostarch, false);
	env_add(l, "GOHOSTOS", c->tc.hostos, false);
	v = getenv_or_empty(c, "GOINSECURE");
	env_add(l, "GOINSECURE", v, *v);
	env_add(l, "GOMODCACHE", c->gomodcache, c->gomodcache_changed);
	{
		const char *private = getenv_or_empty(c, "GOPRIVATE");
		v = cfg_env_or(c, "GONOPROXY", private, &ch);
		env_add(l, "GONOPROXY", v, ch);
		v = cfg_env_or(c, "GONOSUMDB", private, &ch);
		env_add(l, "GONOSUMDB", v, ch);
		env_add(l, "GOOS", c->ctx.goos, strcmp(c->ctx.goos, c->tc.hostos) != 0);
		env_add(l, "GOPATH", c->gopath, c->gopath_changed);
		env_add(l, "GOPRIVATE", private, *private);
	}
	v = cfg_env_or(c, "GOPROXY", "", &ch);
	env_add(l, "GOPROXY", v, ch);
	env_add(l, "GOROOT", c->tc.goroot, false);
	v = cfg_env_or(c, "GOSUMDB", "", &ch);
	env_add(l, "GOSUMDB", v, ch);
	telemetry(&mode, &tdir);
	env_add(l, "GOTELEMETRY", mode, false);
	env_add(l, "GOTELEMETRYDIR", tdir, false);
	v = getenv_or_empty(c, "GOTMPDIR");
	env_add(l, "GOTMPDIR", v, *v);
	/* gotool's own cache directory (build cache, scan index), with the
	 * same rules as work/cache.c.  Not a go variable: only gotool lists it. */
	env_add_cache_dir(l, c, "GOTOOLCACHE", "gotool");
	v = cfg_env_or(c, "GOTOOLCHAIN", "", &ch);
	env_add(l, "GOTOOLCHAIN", v, ch);
	env_add(l, "GOTOOLDIR", c->tc.tooldir, false);
	v = getenv_or_empty(c, "GOVCS");
	env_add(l, "GOVCS", v, *v);
	env_add(l, "GOVERSION", c->tc.version, false);

	/* mirrors work/gccgo.go init: the gccgo found on PATH, else its name */
	v = getenv_or_empty(c, "GCCGO");
	if (!*v)
		v = "gccgo";
	s = proc_lookpath(v);
	if (s)
		env_add(l, "GCCGO", s, true);
	else
		env_add(l, "GCCGO", v, strcmp(v, "gccgo") != 0);
	free(s);

	if (c->ctx.goarch_var)
		env_add(l, c->ctx.goarch_var, c->ctx.goarch_val, c->goarch_val_changed);

	v = cfg_env_or(c, "AR", "ar", &ch);
	env_add(l, "AR", v, ch);
	v = getenv_or_empty(c, "CC");
	env_add(l, "CC", *v ? v : cfg_default_cc(c->ctx.goos, c->ctx.goarch), *v);
	v = getenv_or_empty(c, "CXX");
	env_add(l, "CXX", *v ? v : cfg_default_cxx(c->ctx.goos, c->ctx.goarch), *v);
	env_add(l, "CGO_ENABLED", c->ctx.cgo_enabled ? "1" : "0", c->cgo_changed);
	free(mode);
	free(tdir);
}

/* temp_root is os.TempDir. */
static const char *temp_root(void)
{
	const char *t = getenv("TMPDIR");

	return t && *t ? t : "/tmp";
}

/* extra_env mirrors envcmd.ExtraEnvVars: GOMOD and GOWORK.  Returns -1
 * after printing go's fatal message. */
static int extra_env(const struct cfg *c, struct envlist *l)
{
	const char *mode = getenv_or_empty(c, "GO111MODULE"), *gowork = getenv_or_empty(c, "GOWORK");
	char *wd = os_getwd(), *gomod = NULL, *work = NULL;
	bool must = true, enabled = true;
	int rc = -1;

	/* mirrors modload.Init (go1.26) as far as GOMOD needs it */
	if (strcmp(mode, "auto") == 0) {
		must = false;
	} else if (strcmp(mode, "off") == 0) {
		enabled = false;
	} else if (*mode && strcmp(mode, "on") != 0) {
		base_errorf("unknown environment setting GO111MODULE=%s", mode);
		goto out;
	}
	if (enabled) {
		gomod = mod_find_main_gomod(wd);
		if (!gomod && !must)
			enabled = false;
		if (enabled && *c->gopath) {
			size_t n = strcspn(c->gopath, ":");
			char *first = xstrndup(c->gopath, n), *f = path_join(first, "go.mod");
			if (n && os_exists(f))
				fprintf(stderr, "%s: warning: ignoring go.mod in $GOPATH %s\n", prog_name, first);
			free(first);
			free(f);
		}
	}
	env_add(l, "GOMOD", gomod ? gomod : enabled ? "/dev/null" : "", false);

	/* mirrors modload FindGoWork */
	if (strcmp(gowork, "off") == 0) {
		env_add(l, "GOWORK", "off", false);
	} else if (!*gowork || strcmp(gowork, "auto") == 0) {
		work = mod_find_gowork_goroot(wd, c->tc.goroot);
		env_add(l, "GOWORK", work ? work : "", false);
	} else if (!path_is_abs(gowork)) {
		base_errorf("invalid GOWORK: not an absolute path");
		goto out;
	} else {
		env_add(l, "GOWORK", gowork, false);
	}
	rc = 0;
out:
	free(wd);
	free(gomod);
	free(work);
	return rc;
}

/* ---- the costly variables: cgo flags and GOGCCFLAGS ---------------------- */

static void split_or(const struct cfg *c, const char *key, const char *def, struct strvec *out)
{
	const char *v = getenv_or_empty(c, key);
	struct err e = ERR_INIT;

	if (quoted_split(*v ? v : def, out, &e) < 0)
		err_clear(&e);
}

static char *join(struct strvec *sv)
{
	struct buf b = BUF_INIT;
	struct err e = ERR_INIT;

	if (quoted_join(&b, sv->v, sv->n, &e) < 0) {
		/* go falls back to a plain space join */
		err_clear(&e);
		buf_reset(&b);
		for (size_t i = 0; i < sv->n; i++) {
			if (i)
				buf_addch(&b, ' ');
			buf_adds(&b, sv->v[i]);
		}
	}
	return buf_detach(&b);
}

/* run_combined runs argv in dir with stdin from /dev/null and LC_ALL=C
 * added, collecting stdout and stderr together; false if it cannot start. */
static bool run_combined(char **argv, const char *dir, struct buf *out)
{
	posix_spawn_file_actions_t fa;
	struct strvec env = {0};
	char *exe = proc_lookpath(argv[0]), tmp[4096];
	int p[2] = {-1, -1}, status;
	pid_t pid;
	bool ok = false;

	if (!exe)
		return false;
	for (char **e = environ; *e; e++)
		strvec_push(&env, *e);
	strvec_push(&env, "LC_ALL=C");
	strvec_null_terminate(&env);
	posix_spawn_file_actions_init(&fa);
	if (pipe2(p, O_CLOEXEC) < 0)
		goto out;
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_adddup2(&fa, p[1], 2);
	if (dir)
		posix_spawn_file_actions_addchdir_np(&fa, dir);
	if (posix_spawn(&pid, exe, &fa, NULL, argv, env.v) != 0)
		goto out;
	close(p[1]);
	p[1] = -1;
	for (;;) {
		ssize_t n = read(p[0], tmp, sizeof tmp);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_add(out, tmp, (size_t)n);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	ok = true;
out:
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	posix_spawn_file_actions_destroy(&fa);
	strvec_clear(&env);
	free(exe);
	return ok;
}

/* gcc_supports_flag mirrors work.Builder.gccSupportsFlag (go1.26): an
 * unknown-option complaint in the output means no.  The answer is kept in
 * the build cache wc (NULL: none), as go keeps it in its own. */
static bool gcc_supports_flag(const struct cfg *c, struct work_cache *wc, const struct strvec *cc, const char *flag,
                              const char *workdir)
{
	static const char *const complaints[] = {"unrecognized", "unknown", "unrecognised", "is not supported",
						 "not recognized", "unsupported"};
	struct strvec argv = {0};
	struct buf out = BUF_INIT;
	unsigned char key[32];
	bool ok = true, have_key;
	int known;

	for (size_t i = 0; i < cc->n; i++)
		strvec_push(&argv, cc->v[i]);
	strvec_push(&argv, flag);
	if (has_prefix(flag, "-Wl,")) {
		split_or(c, "CGO_LDFLAGS", "-O2 -g", &argv);
	} else {
		split_or(c, "CGO_CFLAGS", "-O2 -g", &argv);
		strvec_push(&argv, "-c");
	}
	strvec_push(&argv, "-x");
	strvec_push(&argv, "c");
	strvec_push(&argv, "-");
	strvec_push(&argv, "-o");
	strvec_push(&argv, "/dev/null");
	strvec_null_terminate(&argv);
	have_key = wc && work_gcc_probe_key((const char *const *)argv.v, argv.n, key);
	if (have_key && (known = work_gcc_probe_get(wc, key)) >= 0) {
		strvec_clear(&argv);
		return known == 1;
	}
	/* a compiler that cannot start prints nothing, which go reads as "yes" */
	run_combined(argv.v, workdir, &out);
	for (size_t i = 0; i < countof(complaints); i++)
		if (strstr(buf_cstr(&out), complaints[i]))
			ok = false;
	if (have_key)
		work_gcc_probe_put(wc, key, ok);
	buf_release(&out);
	strvec_clear(&argv);
	return ok;
}

/* make_workdir is work.NewBuilder's os.MkdirTemp(GOTMPDIR or TempDir,
 * "go-build"): a failure is go's fatal "creating work dir" error. */
static char *make_workdir(const struct cfg *c)
{
	const char *root = getenv_or_empty(c, "GOTMPDIR");
	struct err e = ERR_INIT;
	char *dir;

	if (!*root)
		root = temp_root();
	if (os_mkdir_temp(root, "go-build", &dir, &e) < 0)
		base_fatalf("creating work dir: %s", err_msg(&e));
	return dir;
}

/* costly_env mirrors envcmd.ExtraEnvVarsCostly. */
static void costly_env(const struct cfg *c, struct envlist *l, bool show_work)
{
	static const struct {
		const char *name, *def;
	} flags[] = {
		{"CGO_CFLAGS", "-O2 -g"}, {"CGO_CPPFLAGS", ""}, {"CGO_CXXFLAGS", "-O2 -g"},
		{"CGO_FFLAGS", "-O2 -g"}, {"CGO_LDFLAGS", "-O2 -g"},
	};
	struct strvec cc = {0}, args = {0}, pc = {0};
	char *workdir = make_workdir(c), *s;
	const char *goos = c->ctx.goos, *goarch = c->ctx.goarch;
	struct err e = ERR_INIT;

	if (show_work)
		fprintf(stderr, "WORK=%s\n", workdir ? workdir : "");
	for (size_t i = 0; i < countof(flags); i++) {
		struct strvec sv = {0};
		split_or(c, flags[i].name, flags[i].def, &sv);
		s = join(&sv);
		env_add(l, flags[i].name, s, i == 1 ? *s != '\0' : strcmp(s, "-O2 -g") != 0);
		free(s);
		strvec_clear(&sv);
	}
	split_or(c, "PKG_CONFIG", "pkg-config", &pc);
	env_add(l, "PKG_CONFIG", pc.n ? pc.v[0] : "", !pc.n || strcmp(pc.v[0], "pkg-config") != 0);

	/* mirrors Builder.compilerCmd (go1.26) for GccCmd(".", ""); GOGCCFLAGS
	 * is that command line from its fourth word on */
	split_or(c, "CC", cfg_default_cc(goos, goarch), &cc);
	for (size_t i = 0; i < cc.n; i++)
		strvec_push(&args, cc.v[i]);
	strvec_push(&args, "-I");
	strvec_push(&args, ".");
	if (strcmp(goos, "windows") != 0)
		strvec_push(&args, "-fPIC");
	if (strcmp(goarch, "386") == 0) {
		strvec_push(&args, "-m32");
	} else if (strcmp(goarch, "amd64") == 0) {
		if (strcmp(goos, "darwin") == 0) {
			strvec_push(&args, "-arch");
			strvec_push(&args, "x86_64");
		}
		strvec_push(&args, "-m64");
	} else if (strcmp(goarch, "arm64") == 0 && strcmp(goos, "darwin") == 0) {
		strvec_push(&args, "-arch");
		strvec_push(&args, "arm64");
	} else if (strcmp(goarch, "arm") == 0) {
		strvec_push(&args, "-marm");
	} else if (strcmp(goarch, "s390x") == 0) {
		strvec_push(&args, "-m64");
		strvec_push(&args, "-march=z13");
	} else if (strcmp(goarch, "mips64") == 0 || strcmp(goarch, "mips64le") == 0) {
		strvec_push(&args, "-mabi=64");
		if (strcmp(c->ctx.goarch_val, "hardfloat") == 0)
			strvec_push(&args, "-mhard-float");
		else if (strcmp(c->ctx.goarch_val, "softfloat") == 0)
			strvec_push(&args, "-msoft-float");
	} else if (strcmp(goarch, "mips") == 0 || strcmp(goarch, "mipsle") == 0) {
		strvec_push(&args, "-mabi=32");
		strvec_push(&args, "-march=mips32");
		if (strcmp(c->ctx.goarch_val, "hardfloat") == 0) {
			strvec_push(&args, "-mhard-float");
			strvec_push(&args, "-mfp32");
			strvec_push(&args, "-mno-odd-spreg");
		} else if (strcmp(c->ctx.goarch_val, "softfloat") == 0) {
			strvec_push(&args, "-msoft-float");
		}
	} else if (strcmp(goarch, "loong64") == 0) {
		strvec_push(&args, "-mabi=lp64d");
	} else if (strcmp(goarch, "ppc64") == 0 && strcmp(goos, "aix") == 0) {
		strvec_push(&args, "-maix64");
	}
	if (c->ctx.cgo_enabled)
		strvec_push(&args, strcmp(goos, "windows") == 0 ? "-mthreads" : "-pthread");
	if (strcmp(goos, "aix") == 0)
		strvec_push(&args, "-mcmodel=large");
	if (cc.n > 0) {
		/* the probes' answers from the build cache (none when it is off
		 * or cannot be opened: then the compiler is asked) */
		struct work_cache *wc = NULL;
		struct err ce = ERR_INIT;
		if (work_cache_open(NULL, &wc, &ce) < 0)
			wc = NULL;
		err_clear(&ce);
		if (gcc_supports_flag(c, wc, &cc, "-fno-caret-diagnostics", workdir))
			strvec_push(&args, "-fno-caret-diagnostics");
		if (gcc_supports_flag(c, wc, &cc, "-Qunused-arguments", workdir))
			strvec_push(&args, "-Qunused-arguments");
		if (gcc_supports_flag(c, wc, &cc, "-Wl,--no-gc-sections", workdir))
			strvec_push(&args, "-Wl,--no-gc-sections");
		strvec_push(&args, "-fmessage-length=0");
		if (gcc_supports_flag(c, wc, &cc, "-fdebug-prefix-map=a=b", workdir)) {
			const char *opt = gcc_supports_flag(c, wc, &cc, "-ffile-prefix-map=a=b", workdir)
				? "-ffile-prefix-map" : "-fdebug-prefix-map";
			strvec_push_take(&args, xasprintf("%s=%s=/tmp/go-build", opt, workdir ? workdir : ""));
		}
		if (gcc_supports_flag(c, wc, &cc, "-gno-record-gcc-switches", workdir))
			strvec_push(&args, "-gno-record-gcc-switches");
		work_cache_close(wc);
		if (strcmp(goos, "darwin") == 0 || strcmp(goos, "ios") == 0)
			strvec_push(&args, "-fno-common");
	}
	{
		struct strvec tail = {0};
		for (size_t i = 3; i < args.n; i++)
			strvec_push(&tail, args.v[i]);
		s = join(&tail);
		env_add(l, "GOGCCFLAGS", s, false);
		free(s);
		strvec_clear(&tail);
	}
	if (workdir && os_remove_all(workdir, &e) < 0)
		err_clear(&e);
	free(workdir);
	strvec_clear(&cc);
	strvec_clear(&args);
	strvec_clear(&pc);
}

/* ---- printing ------------------------------------------------------------------ */

static int cmp_envvar(const void *a, const void *b)
{
	return strcmp(((const struct envvar *)a)->name, ((const struct envvar *)b)->name);
}

/* print_env mirrors envcmd.PrintEnv on Unix: sorted KEY='value' lines. */
static void print_env(struct envlist *l, bool only_changed)
{
	VEC_SORT(l, cmp_envvar);
	for (size_t i = 0; i < l->n; i++) {
		if (only_changed && !l->v[i].changed)
			continue;
		fputs(l->v[i].name, stdout);
		fputs("='", stdout);
		for (const char *p = l->v[i].value; *p; p++) {
			if (*p == '\'')
				fputs("'\\''", stdout);
			else
				putchar(*p);
		}
		fputs("'\n", stdout);
	}
}

/* print_json mirrors printEnvAsJSON: a map[string]string encoded with
 * tab indentation (keys sorted, later duplicates win). */
static void print_json(struct envlist *l, bool only_changed)
{
	struct buf b = BUF_INIT;
	size_t printed = 0;

	VEC_SORT(l, cmp_envvar);
	buf_addch(&b, '{');
	for (size_t i = 0; i < l->n; i++) {
		if (only_changed && !l->v[i].changed)
			continue;
		/* a name given twice keeps one key (the last value) */
		if (i + 1 < l->n && strcmp(l->v[i].name, l->v[i + 1].name) == 0 &&
		    !(only_changed && !l->v[i + 1].changed))
			continue;
		buf_adds(&b, printed ? ",\n\t" : "\n\t");
		json_quote(&b, l->v[i].name, strlen(l->v[i].name));
		buf_adds(&b, ": ");
		json_quote(&b, l->v[i].value, strlen(l->v[i].value));
		printed++;
	}
	buf_adds(&b, printed ? "\n}\n" : "}\n");
	fwrite(b.data, 1, b.len, stdout);
	buf_release(&b);
}

/* ---- go env -w / -u ------------------------------------------------------------- */

static bool valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned c = *p;
		int n;
		unsigned min;
		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1, min = 0x80, c &= 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2, min = 0x800, c &= 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3, min = 0x10000, c &= 0x07;
		} else {
			return false;
		}
		p++;
		for (int i = 0; i < n; i++, p++) {
			if ((*p & 0xC0) != 0x80)
				return false;
			c = (c << 6) | (*p & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return false;
	}
	return true;
}

static char *goquote(const char *s)
{
	struct buf b = BUF_INIT;

	quoted_go_string(&b, s, strlen(s));
	return buf_detach(&b);
}

/* check_env_write mirrors envcmd.checkEnvWrite (go1.26). */
static int check_env_write(const struct cfg *c, const char *key, const char *val, struct err *e)
{
	static const char *const fixed[] = {"GOEXE", "GOGCCFLAGS", "GOHOSTARCH", "GOHOSTOS", "GOMOD",
					    "GOWORK", "GOTOOLDIR", "GOVERSION", "GOTELEMETRY", "GOTELEMETRYDIR"};
	char *q = NULL;
	int rc = -1;

	for (size_t i = 0; i < countof(fixed); i++)
		if (strcmp(key, fixed[i]) == 0)
			return err_setf(e, "%s cannot be modified", key);
	if (strcmp(key, "GOENV") == 0 || strcmp(key, "GODEBUG") == 0)
		return err_setf(e, "%s can only be set using the OS environment", key);
	if (!cfg_can_getenv(c, key))
		return err_setf(e, "unknown go command variable %s", key);
	q = goquote(val);
	if (strcmp(key, "GO111MODULE") == 0) {
		if (*val && strcmp(val, "auto") != 0 && strcmp(val, "on") != 0 && strcmp(val, "off") != 0) {
			err_setf(e, "invalid %s value %s", key, q);
			goto out;
		}
	} else if (strcmp(key, "GOPATH") == 0) {
		if (val[0] == '~') {
			err_setf(e, "GOPATH entry cannot start with shell metacharacter '~': %s", q);
			goto out;
		}
		if (*val && !path_is_abs(val)) {
			err_setf(e, "GOPATH entry is relative; must be absolute path: %s", q);
			goto out;
		}
	} else if (strcmp(key, "GOMODCACHE") == 0) {
		if (*val && !path_is_abs(val)) {
			err_setf(e, "GOMODCACHE entry is relative; must be absolute path: %s", q);
			goto out;
		}
	} else if ((strcmp(key, "CC") == 0 || strcmp(key, "CXX") == 0) && *val) {
		struct strvec args = {0};
		struct err se = ERR_INIT;
		if (quoted_split(val, &args, &se) < 0) {
			err_setf(e, "invalid %s: %s", key, err_msg(&se));
			err_clear(&se);
			goto out;
		}
		if (args.n == 0) {
			err_setf(e, "%s entry cannot contain only space", key);
		} else if (!path_is_abs(args.v[0]) && strchr(args.v[0], '/')) {
			char *a = goquote(args.v[0]);
			err_setf(e, "%s entry is relative; must be absolute path: %s", key, a);
			free(a);
		}
		strvec_clear(&args);
		if (err_isset(e))
			goto out;
	}
	if (!valid_utf8(val)) {
		err_setf(e, "invalid UTF-8 in %s=... value", key);
		goto out;
	}
	if (strpbrk(val, "\v\r\n")) {
		err_setf(e, "invalid newline in %s=... value", key);
		goto out;
	}
	rc = 0;
out:
	free(q);
	return rc;
}

/* A pending change: set (value non-NULL) or delete. */
struct change {
	const char *key;
	const char *value;
};

static const char *change_get(const struct change *ch, size_t n, const char *key, bool *found)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ch[i].key, key) == 0) {
			*found = true;
			return ch[i].value;
		}
	*found = false;
	return NULL;
}

/* check_build_config mirrors envcmd.checkBuildConfig (go1.26). */
static int check_build_config(const struct cfg *c, const struct change *ch, size_t n, struct err *e)
{
	const char *defs[3] = {getenv("GOOS"), getenv("GOARCH"), NULL};
	const char *keys[3] = {"GOOS", "GOARCH", "GOEXPERIMENT"};
	const char *cur[3] = {c->ctx.goos, c->ctx.goarch, c->goexperiment};
	const char *vals[3];
	bool touched[3];
	struct strvec exps = {0};
	int rc = 0;

	if (!defs[0] || !*defs[0])
		defs[0] = c->tc.hostos;
	if (!defs[1] || !*defs[1])
		defs[1] = c->tc.hostarch;
	defs[2] = "";
	for (int i = 0; i < 3; i++) {
		bool found;
		const char *v = change_get(ch, n, keys[i], &found);
		vals[i] = cur[i];
		touched[i] = found;
		if (found && v) {
			vals[i] = v;
		} else if (found) {
			/* -u: back to the original environment, else the default */
			const char *o = getenv(keys[i]);
			vals[i] = o && *o ? o : defs[i];
		}
	}
	if ((touched[0] || touched[1]) && cfg_check_goos_goarch(c, vals[0], vals[1], e) < 0)
		return -1;
	if (touched[2])
		rc = cfg_parse_goexperiment(&c->tc, vals[0], vals[1], vals[2], &exps, e);
	strvec_clear(&exps);
	return rc;
}

/* line_key is envcmd.lineToKey: the KEY of KEY=VALUE, or "" (heap). */
static char *line_key(const char *line)
{
	const char *eq = strchr(line, '=');

	if (!eq || memchr(line, '#', (size_t)(eq - line)))
		return xstrdup("");
	return xstrndup(line, (size_t)(eq - line));
}

static int cmp_line_key(const void *a, const void *b)
{
	char *x = line_key(*(char *const *)a), *y = line_key(*(char *const *)b);
	int c = strcmp(x, y);

	free(x);
	free(y);
	return c;
}

/* update_envfile mirrors envcmd.updateEnvFile: rewrite the env file with
 * the changes, keeping comments, dropping earlier duplicates, and sorting
 * each run of KEY=VALUE lines. */
static int update_envfile(const struct cfg *c, const struct change *ch, size_t n, bool adding)
{
	struct buf data = BUF_INIT, out = BUF_INIT;
	struct err e = ERR_INIT;
	struct strvec lines = {0};
	int rc = 1;

	if (!c->envfile) {
		base_errorf("cannot find go env config: %s", c->envfile_err ? c->envfile_err : "");
		goto out;
	}
	if (os_read_file(c->envfile, &data, 0, &e) < 0) {
		if (!adding || os_exists(c->envfile)) {
			base_errorf("reading go env config: %s", err_msg(&e));
			goto out;
		}
		err_clear(&e);
	}
	for (size_t i = 0; i < data.len;) {
		const char *nl = memchr(data.data + i, '\n', data.len - i);
		size_t end = nl ? (size_t)(nl - data.data) : data.len;
		strvec_push_take(&lines, xasprintf("%.*s\n", (int)(end - i), data.data + i));
		i = end + 1;
	}
	/* keep only the last copy of each key */
	for (size_t i = 0; i < lines.n; i++) {
		char *k = line_key(lines.v[i]);
		for (size_t j = i + 1; *k && j < lines.n; j++) {
			char *k2 = line_key(lines.v[j]);
			bool same = strcmp(k, k2) == 0;
			free(k2);
			if (same) {
				lines.v[i][0] = '\0';
				break;
			}
		}
		free(k);
	}
	for (size_t i = 0; i < n; i++) {
		bool done = false;
		for (size_t j = 0; j < lines.n && !done; j++) {
			char *k = line_key(lines.v[j]);
			if (*k && strcmp(k, ch[i].key) == 0) {
				free(lines.v[j]);
				lines.v[j] = ch[i].value ? xasprintf("%s=%s\n", ch[i].key, ch[i].value) : xstrdup("");
				done = true;
			}
			free(k);
		}
		if (!done && ch[i].value)
			strvec_push_take(&lines, xasprintf("%s=%s\n", ch[i].key, ch[i].value));
	}
	for (size_t start = 0, i = 0; i <= lines.n; i++) {
		char *k = i < lines.n ? line_key(lines.v[i]) : xstrdup("");
		if (!*k) {
			if (i > start + 1)
				qsort(lines.v + start, i - start, sizeof *lines.v, cmp_line_key);
			start = i + 1;
		}
		free(k);
	}
	for (size_t i = 0; i < lines.n; i++)
		buf_adds(&out, lines.v[i]);
	if (os_write_file_atomic(c->envfile, out.data, out.len, 0666, &e) < 0) {
		char *dir = path_dir(c->envfile);
		err_clear(&e);
		if (os_mkdir_all(dir, 0777, &e) < 0)
			err_clear(&e);
		free(dir);
		if (os_write_file_atomic(c->envfile, out.data, out.len, 0666, &e) < 0) {
			base_errorf("writing go env config: %s", err_msg(&e));
			goto out;
		}
	}
	rc = 0;
out:
	err_clear(&e);
	strvec_clear(&lines);
	buf_release(&data);
	buf_release(&out);
	return rc;
}

static int run_env_w(const struct cfg *c, int argc, char **argv)
{
	struct change *ch = xcalloc((size_t)argc + 1, sizeof *ch);
	struct err e = ERR_INIT;
	char **keys = xcalloc((size_t)argc + 1, sizeof *keys);
	int rc = 1, n = 0;

	if (argc == 0) {
		base_errorf("no KEY=VALUE arguments given");
		goto out;
	}
	for (int i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		bool dup;
		if (!eq) {
			base_errorf("arguments must be KEY=VALUE: invalid argument: %s", argv[i]);
			goto out;
		}
		keys[n] = xstrndup(argv[i], (size_t)(eq - argv[i]));
		if (check_env_write(c, keys[n], eq + 1, &e) < 0) {
			base_errorf("%s", err_msg(&e));
			n++;
			goto out;
		}
		change_get(ch, (size_t)n, keys[n], &dup);
		if (dup) {
			base_errorf("multiple values for key: %s", keys[n]);
			n++;
			goto out;
		}
		ch[n].key = keys[n];
		ch[n].value = eq + 1;
		{
			const char *o = getenv(keys[n]);
			if (o && *o && strcmp(o, eq + 1) != 0)
				fprintf(stderr, "warning: %s env -w %s=... does not override conflicting OS environment variable\n",
					prog_name, keys[n]);
		}
		n++;
	}
	if (check_build_config(c, ch, (size_t)n, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		goto out;
	}
	{
		bool found;
		const char *t = change_get(ch, (size_t)n, "GOTMPDIR", &found);
		if (found && *t && !path_is_abs(t)) {
			base_errorf("GOTMPDIR must be an absolute path");
			goto out;
		}
	}
	rc = update_envfile(c, ch, (size_t)n, true);
out:
	err_clear(&e);
	for (int i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	free(ch);
	return rc;
}

static int run_env_u(const struct cfg *c, int argc, char **argv)
{
	struct change *ch = xcalloc((size_t)argc + 1, sizeof *ch);
	struct err e = ERR_INIT;
	int rc = 1, n = 0;

	if (argc == 0) {
		base_errorf("'%s env -u' requires an argument", prog_name);
		goto out;
	}
	for (int i = 0; i < argc; i++) {
		bool dup;
		if (check_env_write(c, argv[i], "", &e) < 0) {
			base_errorf("%s", err_msg(&e));
			goto out;
		}
		change_get(ch, (size_t)n, argv[i], &dup);
		if (!dup) {
			ch[n].key = argv[i];
			ch[n].value = NULL;
			n++;
		}
	}
	if (check_build_config(c, ch, (size_t)n, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		goto out;
	}
	rc = update_envfile(c, ch, (size_t)n, false);
out:
	err_clear(&e);
	free(ch);
	return rc;
}

/* ---- the command ------------------------------------------------------------------ */

static bool is_costly(const char *name)
{
	static const char *const costly[] = {"CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_FFLAGS",
					     "CGO_LDFLAGS", "PKG_CONFIG", "GOGCCFLAGS"};
	size_t n = strcspn(name, "=");

	for (size_t i = 0; i < countof(costly); i++)
		if (strlen(costly[i]) == n && strncmp(costly[i], name, n) == 0)
			return true;
	return false;
}

/* cmd_load_cfg loads the configuration for a subcommand, printing go's
 * message and returning the exit status (2) when there is no usable GOROOT.
 * (Declared here and in tool.c/version.c: cmd/internal.h is not ours.) */
int cmd_load_cfg(struct cfg *c);
int cmd_load_cfg(struct cfg *c)
{
	struct err e = ERR_INIT;

	if (cfg_load(c, &e) < 0) {
		fflush(stdout);
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		err_clear(&e);
		return 2;
	}
	return 0;
}

static int run_env(int argc, char **argv)
{
	bool json = false, u = false, w = false, changed = false, n = false, x = false;
	struct flag_def defs[] = {
		{"json", FLAG_BOOL, &json, NULL, "", false},
		{"u", FLAG_BOOL, &u, NULL, "", false},
		{"w", FLAG_BOOL, &w, NULL, "", false},
		{"changed", FLAG_BOOL, &changed, NULL, "", false},
		{"n", FLAG_BOOL, &n, NULL, "", false},
		{"x", FLAG_BOOL, &x, NULL, "", false},
	};
	struct cfg c;
	struct envlist l = {0};
	struct err e = ERR_INIT;
	bool loaded = false, costly;
	int rc, first;

	if ((rc = cmd_load_cfg(&c)) != 0)
		return rc;
	loaded = true;
	rc = 1;
	/* base.InitGOFLAGS hides GOFLAGS parse errors from `go env` (people
	 * reach for it when debugging GOFLAGS): an unsplittable value counts
	 * as empty and words that are not flags are skipped. */
	{
		struct strvec words = {0}, keep = {0};
		struct buf joined = BUF_INIT;
		struct err qe = ERR_INIT;
		if (quoted_split(c.goflags ? c.goflags : "", &words, &qe) == 0) {
			for (size_t i = 0; i < words.n; i++) {
				const char *f = words.v[i];
				if (!has_prefix(f, "-") || strcmp(f, "-") == 0 || strcmp(f, "--") == 0 ||
				    has_prefix(f, "---") || has_prefix(f, "-=") || has_prefix(f, "--="))
					continue;
				strvec_push(&keep, f);
			}
			if (quoted_join(&joined, keep.v, keep.n, &qe) < 0)
				buf_reset(&joined);
		}
		err_clear(&qe);
		strvec_clear(&words);
		strvec_clear(&keep);
		free(c.goflags);
		c.goflags = buf_detach(&joined);
	}
	if (flag_apply_goflags(defs, countof(defs), c.goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		cmd_usage_exit(&cmd_env_cmd);
	}
	first = flag_parse(defs, countof(defs), argc - 1, argv + 1, &e);
	if (first < 0) {
		if (first != FLAG_HELP)
			fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(&cmd_env_cmd);
	}
	argc -= 1 + first;
	argv += 1 + first;

	if (json && u) {
		base_errorf("cannot use -json with -u");
		goto out;
	}
	if (json && w) {
		base_errorf("cannot use -json with -w");
		goto out;
	}
	if (u && w) {
		base_errorf("cannot use -u with -w");
		goto out;
	}
	if (w) {
		rc = run_env_w(&c, argc, argv);
		goto out;
	}
	if (u) {
		rc = run_env_u(&c, argc, argv);
		goto out;
	}
	if (c.buildcfg_err) {
		fflush(stdout);
		fprintf(stderr, "%s: %s\n", prog_name, c.buildcfg_err);
		rc = 2;
		goto out;
	}
	if (c.experiment_err) {
		base_errorf("%s", c.experiment_err);
		goto out;
	}
	for (int i = 0; i < argc; i++) {
		if (strchr(argv[i], '=')) {
			char *q = goquote(argv[i]);
			base_errorf("invalid variable name %s (use -w to set variable)", q);
			free(q);
			goto out;
		}
	}
	mk_env(&c, &l);
	if (extra_env(&c, &l) < 0)
		goto out;
	costly = argc == 0;
	for (int i = 0; i < argc && !costly; i++)
		costly = is_costly(argv[i]);
	if (costly) {
		/* work.BuildInit checks the target before the costly variables:
		 * an unsupported pair is fatal (exit 2, as go). */
		if (!tc_target_find(&c.tc, c.ctx.goos, c.ctx.goarch)) {
			fflush(stdout);
			fprintf(stderr, "%s: unsupported GOOS/GOARCH pair %s/%s\n", prog_name, c.ctx.goos, c.ctx.goarch);
			rc = 2;
			goto out;
		}
		costly_env(&c, &l, x);
	}

	if (argc > 0) {
		struct envlist sel = {0};
		if (!changed && !json) {
			for (int i = 0; i < argc; i++) {
				const struct envvar *ev = env_find(&l, argv[i]);
				const char *v = ev ? ev->value : cfg_can_getenv(&c, argv[i]) ? getenv_or_empty(&c, argv[i]) : "";
				printf("%s\n", v);
			}
			rc = 0;
			goto out;
		}
		for (int i = 0; i < argc; i++) {
			const struct envvar *ev = env_find(&l, argv[i]);
			if (!changed) {
				const char *v = ev ? ev->value : cfg_can_getenv(&c, argv[i]) ? getenv_or_empty(&c, argv[i]) : "";
				env_add(&sel, argv[i], v, false);
			} else if (ev) {
				env_add(&sel, ev->name, ev->value, ev->changed);
			}
		}
		env_free(&l);
		l = sel;
	}
	if (json)
		print_json(&l, changed);
	else
		print_env(&l, changed);
	rc = 0;
out:
	err_clear(&e);
	env_free(&l);
	if (loaded)
		cfg_release(&c);
	return rc ? rc : base_exit_status();
}

const struct command cmd_env_cmd = {
	"env", "print Go environment information", "env [-json] [-changed] [-u] [-w] [var ...]",
	"Env prints the environment settings that gotool (like the go command)\n"
	"works with, as shell assignments by default. With variable names as\n"
	"arguments it prints just their values, one per line.\n"
	"\n"
	"-json prints the settings as a JSON object instead.\n"
	"\n"
	"-changed restricts the output to settings whose value differs from what\n"
	"an empty environment without an env file would give.\n"
	"\n"
	"-w NAME=VALUE... records default values in the env file (at $GOENV, by\n"
	"default in the user configuration directory under go/env), and\n"
	"-u NAME... removes them again. Values from the process environment\n"
	"still take precedence over the env file.\n"
	"\n"
	"See 'gotool help environment' for the variables.\n",
	run_env,
};

/* cmd_env_export sets every go env variable whose value differs from the
 * process environment, as go's invoke does before running a command, so
 * that tools started later see the same configuration.
 * (Declared in tool.c too: cmd/internal.h is not ours.) */
void cmd_env_export(const struct cfg *c);
void cmd_env_export(const struct cfg *c)
{
	struct envlist l = {0};

	mk_env(c, &l);
	for (size_t i = 0; i < l.n; i++) {
		const char *cur = getenv(l.v[i].name);
		if (!cur || strcmp(cur, l.v[i].value) != 0)
			setenv(l.v[i].name, l.v[i].value, 1);
	}
	env_free(&l);
}
