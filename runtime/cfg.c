/*
 * The effective configuration of one invocation, computed once at start the
 * way cmd/go/internal/cfg, internal/buildcfg and go/build's default Context
 * compute it: process environment > env file > $GOROOT/go.env, then the
 * target, cgo, experiments and the tag sets.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"

/* ---- small helpers -------------------------------------------------------- */

static unsigned char to_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* os_env is os.Getenv with "unset" and "empty" merged, as go uses it. */
static const char *os_env(const char *key)
{
	const char *v = getenv(key);

	return v && *v ? v : NULL;
}

static const char *os_env_or(const char *key, const char *def)
{
	const char *v = os_env(key);

	return v ? v : def;
}

/* set_msg replaces *dst with a formatted heap message. */
static void set_msg(char **dst, char *msg)
{
	free(*dst);
	*dst = msg;
}

/* ---- user directories ------------------------------------------------------ */

/* user_dir mirrors os.UserConfigDir / os.UserCacheDir on Unix (go1.26). */
static char *user_dir(const char *xdg, const char *sub, struct err *e)
{
	const char *dir = os_env(xdg), *home;

	if (dir) {
		if (!path_is_abs(dir)) {
			err_setf(e, "path in $%s is relative", xdg);
			return NULL;
		}
		return xstrdup(dir);
	}
	home = os_env("HOME");
	if (!home) {
		err_setf(e, "neither $%s nor $HOME are defined", xdg);
		return NULL;
	}
	return xasprintf("%s/%s", home, sub);
}

char *cfg_user_config_dir(struct err *e)
{
	return user_dir("XDG_CONFIG_HOME", ".config", e);
}

char *cfg_user_cache_dir(struct err *e)
{
	return user_dir("XDG_CACHE_HOME", ".cache", e);
}

char *cfg_envfile_path(bool *changed, struct err *e)
{
	const char *file = os_env("GOENV");
	char *dir, *path;

	/* mirrors cmd/go/internal/cfg EnvFile (go1.26) */
	if (changed)
		*changed = false;
	if (file) {
		if (strcmp(file, "off") == 0) {
			err_setf(e, "GOENV=off");
			return NULL;
		}
		if (changed)
			*changed = true;
		return xstrdup(file);
	}
	dir = cfg_user_config_dir(e);
	if (!dir)
		return NULL;
	if (!*dir) {
		free(dir);
		err_setf(e, "missing user-config dir");
		return NULL;
	}
	path = path_join(dir, "go/env");
	free(dir);
	return path;
}

/* read_envfile keeps the lines go's readEnvFile accepts: a '=' and an
 * upper-case first letter; anything else is silently skipped. */
static void read_envfile(const char *path, struct strvec *out)
{
	struct buf b = BUF_INIT;
	struct err e = ERR_INIT;
	const char *p, *end;

	if (os_read_file(path, &b, 0, &e) < 0)
		goto out;
	for (p = b.data; p < b.data + b.len; p = end + 1) {
		const char *nl = memchr(p, '\n', (size_t)(b.data + b.len - p));
		end = nl ? nl : b.data + b.len;
		if (end == p || !memchr(p, '=', (size_t)(end - p)) || *p < 'A' || *p > 'Z')
			continue;
		strvec_push_take(out, xstrndup(p, (size_t)(end - p)));
	}
out:
	err_clear(&e);
	buf_release(&b);
}

/* envfile_get returns the env file's value for key (last line wins). */
static const char *envfile_get(const struct strvec *vars, const char *key)
{
	size_t n = strlen(key);
	const char *found = NULL;

	for (size_t i = 0; i < vars->n; i++)
		if (strncmp(vars->v[i], key, n) == 0 && vars->v[i][n] == '=')
			found = vars->v[i] + n + 1;
	return found;
}

/* ---- variables ------------------------------------------------------------- */

/* mirrors internal/cfg KnownEnv (go1.26) */
static const char *const known_env[] = {
	"AR", "CC", "CGO_CFLAGS", "CGO_CFLAGS_ALLOW", "CGO_CFLAGS_DISALLOW", "CGO_CPPFLAGS",
	"CGO_CPPFLAGS_ALLOW", "CGO_CPPFLAGS_DISALLOW", "CGO_CXXFLAGS", "CGO_CXXFLAGS_ALLOW",
	"CGO_CXXFLAGS_DISALLOW", "CGO_ENABLED", "CGO_FFLAGS", "CGO_FFLAGS_ALLOW", "CGO_FFLAGS_DISALLOW",
	"CGO_LDFLAGS", "CGO_LDFLAGS_ALLOW", "CGO_LDFLAGS_DISALLOW", "CXX", "FC", "GCCGO", "GO111MODULE",
	"GO386", "GOAMD64", "GOARCH", "GOARM", "GOARM64", "GOAUTH", "GOBIN", "GOCACHE", "GOCACHEPROG",
	"GOENV", "GOEXE", "GOEXPERIMENT", "GOFIPS140", "GOFLAGS", "GOGCCFLAGS", "GOHOSTARCH", "GOHOSTOS",
	"GOINSECURE", "GOMIPS", "GOMIPS64", "GOMODCACHE", "GONOPROXY", "GONOSUMDB", "GOOS", "GOPATH",
	"GOPPC64", "GOPRIVATE", "GOPROXY", "GORISCV64", "GOROOT", "GOSUMDB", "GOTMPDIR", "GOTOOLCHAIN",
	"GOTOOLDIR", "GOVCS", "GOWASM", "GOWORK", "GO_EXTLINK_ENABLED", "PKG_CONFIG",
};

bool cfg_known_env(const char *key)
{
	for (size_t i = 0; i < countof(known_env); i++)
		if (strcmp(known_env[i], key) == 0)
			return true;
	return false;
}

bool cfg_can_getenv(const struct cfg *c, const char *key)
{
	if (strcmp(key, "GOROOT") == 0 || envfile_get(&c->envfile_vars, key) || tc_goenv(&c->tc, key))
		return true;
	return cfg_known_env(key);
}

const char *cfg_getenv(const struct cfg *c, const char *key)
{
	const char *v = os_env(key);

	/* mirrors cfg.Getenv: a non-empty environment value, else the env
	 * file (even an empty value there hides go.env), else go.env; GOROOT
	 * is always the one found. */
	if (v)
		return v;
	if (strcmp(key, "GOROOT") == 0)
		return c->tc.goroot;
	if ((v = envfile_get(&c->envfile_vars, key)) != NULL)
		return v;
	return tc_goenv(&c->tc, key);
}

const char *cfg_env_or(const struct cfg *c, const char *key, const char *def, bool *changed)
{
	const char *v = cfg_getenv(c, key), *g;
	bool ch = false;

	/* mirrors cfg.EnvOrAndChanged (go1.26) */
	if (v && *v) {
		g = tc_goenv(&c->tc, key);
		ch = strcmp(v, g ? g : def) != 0;
	} else {
		v = def;
	}
	if (changed)
		*changed = ch;
	return v;
}

const char *cfg_default_cc(const char *goos, const char *goarch)
{
	/* The official toolchains' zdefaultcc.go: clang where it is the system
	 * compiler, gcc elsewhere. */
	(void)goarch;
	if (strcmp(goos, "darwin") == 0 || strcmp(goos, "ios") == 0 || strcmp(goos, "freebsd") == 0 ||
	    strcmp(goos, "openbsd") == 0)
		return "clang";
	return "gcc";
}

const char *cfg_default_cxx(const char *goos, const char *goarch)
{
	(void)goarch;
	if (strcmp(goos, "darwin") == 0 || strcmp(goos, "ios") == 0 || strcmp(goos, "freebsd") == 0 ||
	    strcmp(goos, "openbsd") == 0)
		return "clang++";
	return "g++";
}

/* ---- the toolchain's baked-in defaults -------------------------------------- */

/*
 * bootstrap_const reads `const NAME = `value`` from the toolchain's
 * src/internal/buildcfg/zbootstrap.go (written by cmd/dist when the
 * toolchain was built); def when the file or the constant is missing.
 */
static char *bootstrap_const(const struct buf *src, const char *name, const char *def)
{
	char *head = xasprintf("\nconst %s = ", name);
	const char *p = strstr(buf_cstr(src), head), *end;
	char q;

	if (p) {
		p += strlen(head);
		q = *p;
		if ((q == '`' || q == '"') && (end = strchr(p + 1, q)) != NULL) {
			free(head);
			return xstrndup(p + 1, (size_t)(end - p - 1));
		}
	}
	free(head);
	return xstrdup(def);
}

struct defaults {
	char *go386, *goamd64, *goarm, *goarm64, *gomips, *gomips64, *goppc64, *goriscv64;
	char *goexperiment, *gofips140, *cgo_enabled;
};

static void defaults_load(const struct toolchain *tc, struct defaults *d)
{
	struct buf src = BUF_INIT;
	struct err e = ERR_INIT;
	char *path = xasprintf("%s/src/internal/buildcfg/zbootstrap.go", tc->goroot);

	if (os_read_file(path, &src, 0, &e) < 0)
		err_clear(&e);
	d->go386 = bootstrap_const(&src, "DefaultGO386", "sse2");
	d->goamd64 = bootstrap_const(&src, "DefaultGOAMD64", "v1");
	d->goarm = bootstrap_const(&src, "DefaultGOARM", "7");
	d->goarm64 = bootstrap_const(&src, "DefaultGOARM64", "v8.0");
	d->gomips = bootstrap_const(&src, "DefaultGOMIPS", "hardfloat");
	d->gomips64 = bootstrap_const(&src, "DefaultGOMIPS64", "hardfloat");
	d->goppc64 = bootstrap_const(&src, "DefaultGOPPC64", "power8");
	d->goriscv64 = bootstrap_const(&src, "DefaultGORISCV64", "rva20u64");
	d->goexperiment = bootstrap_const(&src, "defaultGOEXPERIMENT", "");
	d->gofips140 = bootstrap_const(&src, "DefaultGOFIPS140", "off");
	d->cgo_enabled = bootstrap_const(&src, "DefaultCGO_ENABLED", "");
	buf_release(&src);
	free(path);
}

static void defaults_release(struct defaults *d)
{
	free(d->go386);
	free(d->goamd64);
	free(d->goarm);
	free(d->goarm64);
	free(d->gomips);
	free(d->gomips64);
	free(d->goppc64);
	free(d->goriscv64);
	free(d->goexperiment);
	free(d->gofips140);
	free(d->cgo_enabled);
}

/* ---- experiments ------------------------------------------------------------ */

/*
 * The experiment names come from the toolchain's
 * src/internal/goexperiment/flags.go (the fields of `type Flags struct`,
 * lower-cased, in order) and the baseline from the `baseline :=
 * goexperiment.Flags{...}` block of src/internal/buildcfg/exp.go, whose
 * values are `true`, `false`, regabiSupported or dwarf5Supported; anything
 * else is reported as unparsable rather than guessed.  The regabi and dwarf5
 * platform rules are those of go1.26's ParseGOEXPERIMENT.
 */
static int read_flag_names(const struct toolchain *tc, struct strvec *names, struct err *e)
{
	struct buf src = BUF_INIT;
	char *path = xasprintf("%s/src/internal/goexperiment/flags.go", tc->goroot);
	const char *p, *end;
	int rc = -1;

	if (os_read_file(path, &src, 0, e) < 0)
		goto out;
	p = strstr(src.data, "\ntype Flags struct {\n");
	end = p ? strstr(p, "\n}") : NULL;
	if (!p || !end) {
		err_setf(e, "%s: cannot find type Flags", path);
		goto out;
	}
	p = strchr(p + 1, '\n') + 1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct str line = str_trim_space((struct str){p, (size_t)((nl ? nl : end) - p)});
		struct str name, rest;
		p = nl ? nl + 1 : end;
		if (line.n == 0 || str_has_prefix(line, "//"))
			continue;
		if (!str_cut(line, ' ', &name, &rest) || !str_eqc(str_trim_space(rest), "bool")) {
			err_setf(e, "%s: cannot parse field \"%.*s\" of type Flags", path, (int)line.n, line.p);
			goto out;
		}
		char *lower = str_dup(name);
		for (char *q = lower; *q; q++)
			*q = (char)to_lower((unsigned char)*q);
		strvec_push_take(names, lower);
	}
	rc = 0;
out:
	buf_release(&src);
	free(path);
	return rc;
}

static int read_baseline(const struct toolchain *tc, const struct strvec *names, bool regabi, bool dwarf5,
                         bool *base, struct err *e)
{
	struct buf src = BUF_INIT;
	char *path = xasprintf("%s/src/internal/buildcfg/exp.go", tc->goroot);
	const char *p, *end;
	int rc = -1;

	if (os_read_file(path, &src, 0, e) < 0)
		goto out;
	p = strstr(src.data, "baseline := goexperiment.Flags{\n");
	end = p ? strstr(p, "\n\t}") : NULL;
	if (!p || !end) {
		err_setf(e, "%s: cannot find the baseline experiments", path);
		goto out;
	}
	p = strchr(p, '\n') + 1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct str line = str_trim_space((struct str){p, (size_t)((nl ? nl : end) - p)});
		struct str name, val;
		size_t i;
		bool v;
		p = nl ? nl + 1 : end;
		if (line.n == 0 || str_has_prefix(line, "//"))
			continue;
		if (!str_cut(line, ':', &name, &val))
			goto bad;
		val = str_trim_space(val);
		if (str_has_suffix(val, ","))
			val.n--;
		if (str_eqc(val, "true"))
			v = true;
		else if (str_eqc(val, "false"))
			v = false;
		else if (str_eqc(val, "regabiSupported"))
			v = regabi;
		else if (str_eqc(val, "dwarf5Supported"))
			v = dwarf5;
		else
			goto bad;
		for (i = 0; i < names->n; i++) {
			struct str n = str_trim_space(name);
			if (strlen(names->v[i]) != n.n)
				continue;
			size_t k;
			for (k = 0; k < n.n && to_lower((unsigned char)n.p[k]) == (unsigned char)names->v[i][k]; k++)
				;
			if (k == n.n)
				break;
		}
		if (i == names->n)
			goto bad;
		base[i] = v;
		continue;
bad:
		err_setf(e, "%s: cannot parse baseline experiment line \"%.*s\"", path, (int)line.n, line.p);
		goto out;
	}
	rc = 0;
out:
	buf_release(&src);
	free(path);
	return rc;
}

static ssize_t name_index(const struct strvec *names, const char *s, size_t n)
{
	for (size_t i = 0; i < names->n; i++)
		if (strlen(names->v[i]) == n && memcmp(names->v[i], s, n) == 0)
			return (ssize_t)i;
	return -1;
}

int cfg_parse_goexperiment(const struct toolchain *tc, const char *goos, const char *goarch,
                           const char *goexp, struct strvec *enabled, struct err *e)
{
	struct strvec names = {0};
	bool *flags = NULL, *base = NULL;
	bool regabi_supported = false, regabi_always = false, dwarf5;
	ssize_t wrappers, args;
	int rc = -1;

	/* mirrors internal/buildcfg/exp.go ParseGOEXPERIMENT (go1.26) */
	if (strcmp(goarch, "amd64") == 0 || strcmp(goarch, "arm64") == 0 || strcmp(goarch, "loong64") == 0 ||
	    strcmp(goarch, "ppc64le") == 0 || strcmp(goarch, "ppc64") == 0 || strcmp(goarch, "riscv64") == 0)
		regabi_supported = regabi_always = true;
	else if (strcmp(goarch, "s390x") == 0)
		regabi_supported = true;
	dwarf5 = strcmp(goos, "darwin") != 0 && strcmp(goos, "ios") != 0 && strcmp(goos, "aix") != 0;

	if (read_flag_names(tc, &names, e) < 0)
		goto out;
	flags = xcalloc(names.n + 1, sizeof *flags);
	base = xcalloc(names.n + 1, sizeof *base);
	if (read_baseline(tc, &names, regabi_supported, dwarf5, base, e) < 0)
		goto out;
	memcpy(flags, base, names.n * sizeof *flags);
	wrappers = name_index(&names, "regabiwrappers", strlen("regabiwrappers"));
	args = name_index(&names, "regabiargs", strlen("regabiargs"));

	for (const char *f = goexp; *f;) {
		const char *comma = strchr(f, ',');
		size_t n = comma ? (size_t)(comma - f) : strlen(f);
		const char *name = f;
		bool val = true;
		f += n + (comma ? 1 : 0);
		if (n == 0)
			continue;
		if (n == 4 && memcmp(name, "none", 4) == 0) {
			memset(flags, 0, names.n * sizeof *flags);
			continue;
		}
		if (n >= 2 && name[0] == 'n' && name[1] == 'o') {
			name += 2;
			n -= 2;
			val = false;
		}
		if (n == 6 && memcmp(name, "regabi", 6) == 0) {
			if (wrappers >= 0)
				flags[wrappers] = val;
			if (args >= 0)
				flags[args] = val;
			continue;
		}
		ssize_t i = name_index(&names, name, n);
		if (i < 0) {
			err_setf(e, "unknown GOEXPERIMENT %.*s", (int)n, name);
			goto out;
		}
		flags[i] = val;
	}
	if (wrappers >= 0 && args >= 0) {
		if (regabi_always)
			flags[wrappers] = flags[args] = true;
		if (!regabi_supported)
			flags[wrappers] = flags[args] = false;
		if (flags[args] && !flags[wrappers]) {
			err_setf(e, "GOEXPERIMENT regabiargs requires regabiwrappers");
			goto out;
		}
	}
	for (size_t i = 0; i < names.n; i++)
		if (flags[i])
			strvec_push(enabled, names.v[i]);
	rc = 0;
out:
	free(flags);
	free(base);
	strvec_clear(&names);
	return rc;
}

/* ---- architecture variables -------------------------------------------------- */

/* arch_tags mirrors internal/buildcfg gogoarchTags (go1.26) for goarch
 * with the per-arch value v (already validated or defaulted). */
static void arch_tags(struct strvec *tags, const char *goarch, const char *v)
{
	if (strcmp(goarch, "386") == 0 || strcmp(goarch, "mips") == 0 || strcmp(goarch, "mipsle") == 0 ||
	    strcmp(goarch, "mips64") == 0 || strcmp(goarch, "mips64le") == 0) {
		strvec_push_take(tags, xasprintf("%s.%s", goarch, v));
	} else if (strcmp(goarch, "amd64") == 0) {
		for (int i = 1; i <= v[1] - '0'; i++)
			strvec_push_take(tags, xasprintf("amd64.v%d", i));
	} else if (strcmp(goarch, "arm") == 0) {
		for (int i = 5; i <= v[0] - '0'; i++)
			strvec_push_take(tags, xasprintf("arm.%d", i));
	} else if (strcmp(goarch, "arm64") == 0) {
		int major = v[1] - '0', minor = v[3] - '0';
		for (int i = 0; i <= minor; i++)
			strvec_push_take(tags, xasprintf("arm64.v%d.%d", major, i));
		if (major == 9)
			for (int i = 0; i <= minor + 5 && i <= 9; i++)
				strvec_push_take(tags, xasprintf("arm64.v8.%d", i));
	} else if (strcmp(goarch, "ppc64") == 0 || strcmp(goarch, "ppc64le") == 0) {
		int n = (int)strtol(v + strlen("power"), NULL, 10);
		for (int i = 8; i <= n; i++)
			strvec_push_take(tags, xasprintf("%s.power%d", goarch, i));
	} else if (strcmp(goarch, "riscv64") == 0) {
		int n = (int)strtol(v + strlen("rva"), NULL, 10);
		strvec_push(tags, "riscv64.rva20u64");
		if (n >= 22)
			strvec_push(tags, "riscv64.rva22u64");
		if (n >= 23)
			strvec_push(tags, "riscv64.rva23u64");
	} else if (strcmp(goarch, "wasm") == 0) {
		strvec_push(tags, "wasm.satconv");
		strvec_push(tags, "wasm.signext");
	}
}

static bool one_of(const char *v, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v, set[i]) == 0)
			return true;
	return false;
}

/* strip_suffix removes suffix from the heap string s when present. */
static bool strip_suffix(char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	if (n >= m && strcmp(s + n - m, suffix) == 0) {
		s[n - m] = '\0';
		return true;
	}
	return false;
}

static bool digits_only(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* fips_version mirrors buildcfg isFIPSVersion: v1.Y.Z[-rcN|-xxxxxxxx]. */
static bool fips_version(const char *v)
{
	char *s, *dot, *dash;
	bool ok = false;

	if (!has_prefix(v, "v1."))
		return false;
	s = xstrdup(v + 3);
	dot = strchr(s, '.');
	if (!dot)
		goto out;
	*dot = '\0';
	if (!digits_only(s))
		goto out;
	dash = strchr(dot + 1, '-');
	if (dash)
		*dash = '\0';
	if (!digits_only(dot + 1))
		goto out;
	if (!dash)
		ok = true;
	else if (has_prefix(dash + 1, "rc"))
		ok = digits_only(dash + 3);
	else
		ok = strlen(dash + 1) == 8;
out:
	free(s);
	return ok;
}

/*
 * buildcfg_compute mirrors the package-level initialisation of
 * internal/buildcfg (go1.26): it reads the *process* environment only (not
 * the env file) and, like go, the GOARM64 step replaces any earlier error,
 * so an invalid GOAMD64 or GOARM is not reported.  It sets the arch tool
 * tags for the process environment's GOARCH and returns the error, if any.
 */
static char *buildcfg_compute(const struct toolchain *tc, const struct defaults *d, struct strvec *tags)
{
	static const char *const amd64[] = {"v1", "v2", "v3", "v4"};
	static const char *const mips[] = {"hardfloat", "softfloat"};
	static const char *const ppc64[] = {"power8", "power9", "power10"};
	static const char *const riscv[] = {"rva20u64", "rva22u64", "rva23u64"};
	static const char *const fips[] = {"off", "latest", "inprocess", "certified"};
	static const char *const arm64v[] = {"v8.0", "v8.1", "v8.2", "v8.3", "v8.4", "v8.5", "v8.6", "v8.7",
					     "v8.8", "v8.9", "v9.0", "v9.1", "v9.2", "v9.3", "v9.4", "v9.5"};
	const char *goos = os_env_or("GOOS", tc->hostos), *goarch = os_env_or("GOARCH", tc->hostarch);
	const char *goamd64 = os_env_or("GOAMD64", d->goamd64), *v;
	char *msg = NULL, *goarm = NULL, *goarm64 = NULL, *archval = NULL;
	struct strvec exps = {0};
	struct err e = ERR_INIT;

	if (!one_of(goamd64, amd64, countof(amd64))) {
		set_msg(&msg, xstrdup("invalid GOAMD64: must be v1, v2, v3, v4"));
		goamd64 = d->goamd64;
	}
	goarm = xstrdup(os_env_or("GOARM", strcmp(goos, "android") == 0 && strcmp(goarch, "arm") == 0 ? "7" : d->goarm));
	if (!strip_suffix(goarm, ",softfloat"))
		strip_suffix(goarm, ",hardfloat");
	if (strcmp(goarm, "5") != 0 && strcmp(goarm, "6") != 0 && strcmp(goarm, "7") != 0) {
		set_msg(&msg, xstrdup("invalid GOARM: must start with 5, 6, or 7, and may optionally end in "
				      "either \",hardfloat\" or \",softfloat\""));
		goarm[0] = d->goarm[0];
		goarm[1] = '\0';
	}
	goarm64 = xstrdup(os_env_or("GOARM64", d->goarm64));
	while (strip_suffix(goarm64, ",lse") || strip_suffix(goarm64, ",crypto"))
		;
	set_msg(&msg, NULL); /* ParseGoarm64's result replaces buildcfg.Error */
	if (!one_of(goarm64, arm64v, countof(arm64v))) {
		set_msg(&msg, xstrdup("invalid GOARM64: must start with v8.{0-9} or v9.{0-5} and may optionally "
				      "end in \",lse\" and/or \",crypto\""));
		free(goarm64);
		goarm64 = xstrdup(d->goarm64);
	}
	if (!one_of(os_env_or("GOMIPS", d->gomips), mips, countof(mips)))
		set_msg(&msg, xstrdup("invalid GOMIPS: must be hardfloat, softfloat"));
	if (!one_of(os_env_or("GOMIPS64", d->gomips64), mips, countof(mips)))
		set_msg(&msg, xstrdup("invalid GOMIPS64: must be hardfloat, softfloat"));
	if (!one_of(os_env_or("GOPPC64", d->goppc64), ppc64, countof(ppc64)))
		set_msg(&msg, xstrdup("invalid GOPPC64: must be power8, power9, power10"));
	if (!one_of(os_env_or("GORISCV64", d->goriscv64), riscv, countof(riscv)))
		set_msg(&msg, xstrdup("invalid GORISCV64: must be rva20u64, rva22u64, rva23u64"));
	for (const char *f = os_env_or("GOWASM", ""); *f;) {
		size_t n = strcspn(f, ",");
		if (n && !(n == 7 && (memcmp(f, "satconv", 7) == 0 || memcmp(f, "signext", 7) == 0)))
			set_msg(&msg, xasprintf("invalid GOWASM: no such feature \"%.*s\"", (int)n, f));
		f += n + (f[n] == ',');
	}
	if (cfg_parse_goexperiment(tc, goos, goarch, os_env_or("GOEXPERIMENT", d->goexperiment), &exps, &e) < 0)
		set_msg(&msg, err_take(&e));
	v = os_env_or("GOFIPS140", d->gofips140);
	if (!one_of(v, fips, countof(fips)) && !fips_version(v))
		set_msg(&msg, xstrdup("invalid GOFIPS140: must be off, latest, inprocess, certified, or v1.Y.Z"));

	/* the arch tags from the values just validated (defaults on error) */
	if (strcmp(goarch, "amd64") == 0)
		archval = xstrdup(goamd64);
	else if (strcmp(goarch, "arm") == 0)
		archval = xstrdup(goarm);
	else if (strcmp(goarch, "arm64") == 0)
		archval = xstrdup(goarm64);
	else if (strcmp(goarch, "386") == 0)
		archval = xstrdup(os_env_or("GO386", d->go386));
	else if (strcmp(goarch, "mips") == 0 || strcmp(goarch, "mipsle") == 0)
		archval = xstrdup(one_of(os_env_or("GOMIPS", d->gomips), mips, 2) ? os_env_or("GOMIPS", d->gomips) : d->gomips);
	else if (strcmp(goarch, "mips64") == 0 || strcmp(goarch, "mips64le") == 0)
		archval = xstrdup(one_of(os_env_or("GOMIPS64", d->gomips64), mips, 2) ? os_env_or("GOMIPS64", d->gomips64) : d->gomips64);
	else if (strcmp(goarch, "ppc64") == 0 || strcmp(goarch, "ppc64le") == 0)
		archval = xstrdup(one_of(os_env_or("GOPPC64", d->goppc64), ppc64, 3) ? os_env_or("GOPPC64", d->goppc64) : d->goppc64);
	else if (strcmp(goarch, "riscv64") == 0)
		archval = xstrdup(one_of(os_env_or("GORISCV64", d->goriscv64), riscv, 3) ? os_env_or("GORISCV64", d->goriscv64) : d->goriscv64);
	else
		archval = xstrdup("");
	arch_tags(tags, goarch, archval);
	free(archval);
	free(goarm);
	free(goarm64);
	strvec_clear(&exps);
	return msg;
}

/* ---- cfg_load ------------------------------------------------------------------ */

int cfg_load(struct cfg *c, struct err *e)
{
	struct err ferr = ERR_INIT;
	struct defaults d = {0};
	struct strvec exps = {0};
	const char *goos, *goarch, *v;
	char *home_go = NULL;
	bool default_cgo = false;
	int rc = -1;

	memset(c, 0, sizeof *c);
	c->envfile = cfg_envfile_path(&c->envfile_changed, &ferr);
	if (c->envfile)
		read_envfile(c->envfile, &c->envfile_vars);
	else
		c->envfile_err = err_take(&ferr);
	if (tc_find(&c->tc, envfile_get(&c->envfile_vars, "GOROOT"), e) < 0)
		goto out;
	defaults_load(&c->tc, &d);

	/* mirrors cmd/go/internal/cfg (go1.26): Goos, Goarch, the context */
	goos = cfg_getenv(c, "GOOS");
	goarch = cfg_getenv(c, "GOARCH");
	c->ctx.goos = xstrdup(goos && *goos ? goos : os_env_or("GOOS", c->tc.hostos));
	c->ctx.goarch = xstrdup(goarch && *goarch ? goarch : os_env_or("GOARCH", c->tc.hostarch));
	c->ctx.compiler = xstrdup("gc");

	/* GOPATH: go/build's default is $HOME/go unless that is GOROOT. */
	v = os_env("GOPATH");
	if (!v && os_env("HOME")) {
		home_go = path_join(os_env("HOME"), "go");
		char *clean = path_clean(home_go);
		if (strcmp(clean, c->tc.goroot) == 0) {
			free(home_go);
			home_go = NULL;
		}
		free(clean);
	}
	c->gopath = xstrdup(cfg_env_or(c, "GOPATH", v ? v : home_go ? home_go : "", &c->gopath_changed));
	{
		/* gopathDir: the first list element */
		size_t n = strcspn(c->gopath, ":");
		char *first = xstrndup(c->gopath, n), *def = n ? path_join(first, "pkg/mod") : xstrdup("");
		c->gomodcache = xstrdup(cfg_env_or(c, "GOMODCACHE", def, &c->gomodcache_changed));
		free(first);
		free(def);
	}
	v = cfg_getenv(c, "GOFLAGS");
	c->goflags = xstrdup(v ? v : "");

	/* cgo: mirrors cfg.defaultContext's CgoEnabled rules */
	if (strcmp(d.cgo_enabled, "1") == 0) {
		default_cgo = true;
	} else if (strcmp(d.cgo_enabled, "0") == 0) {
		default_cgo = false;
	} else if (strcmp(c->ctx.goos, c->tc.hostos) == 0 && strcmp(c->ctx.goarch, c->tc.hostarch) == 0) {
		const struct tc_target *t = tc_target_find(&c->tc, c->ctx.goos, c->ctx.goarch);
		bool build_default;
		/* the port decides; go/build.Default's own CgoEnabled ($CGO_ENABLED
		 * from the process, else the port) only gates the CC check */
		default_cgo = t && t->cgo_supported;
		v = os_env("CGO_ENABLED");
		build_default = v && (strcmp(v, "0") == 0 || strcmp(v, "1") == 0) ? v[0] == '1' : default_cgo;
		if (build_default && !os_env("CC")) {
			char *cc = proc_lookpath(cfg_default_cc(c->ctx.goos, c->ctx.goarch));
			if (!cc)
				default_cgo = false;
			free(cc);
		}
	}
	c->ctx.cgo_enabled = default_cgo;
	v = cfg_getenv(c, "CGO_ENABLED");
	if (v && (strcmp(v, "0") == 0 || strcmp(v, "1") == 0))
		c->ctx.cgo_enabled = v[0] == '1';
	c->cgo_changed = c->ctx.cgo_enabled != default_cgo;

	/* the per-arch variable of the target */
	{
		static const struct {
			const char *arch, *var;
		} vars[] = {
			{"arm", "GOARM"}, {"arm64", "GOARM64"}, {"386", "GO386"}, {"amd64", "GOAMD64"},
			{"mips", "GOMIPS"}, {"mipsle", "GOMIPS"}, {"mips64", "GOMIPS64"}, {"mips64le", "GOMIPS64"},
			{"ppc64", "GOPPC64"}, {"ppc64le", "GOPPC64"}, {"riscv64", "GORISCV64"}, {"wasm", "GOWASM"},
		};
		for (size_t i = 0; i < countof(vars); i++) {
			if (strcmp(vars[i].arch, c->ctx.goarch) != 0)
				continue;
			const char *def = strcmp(vars[i].var, "GOARM") == 0 ? d.goarm
				: strcmp(vars[i].var, "GOARM64") == 0 ? d.goarm64
				: strcmp(vars[i].var, "GO386") == 0 ? d.go386
				: strcmp(vars[i].var, "GOAMD64") == 0 ? d.goamd64
				: strcmp(vars[i].var, "GOMIPS") == 0 ? d.gomips
				: strcmp(vars[i].var, "GOMIPS64") == 0 ? d.gomips64
				: strcmp(vars[i].var, "GOPPC64") == 0 ? d.goppc64
				: strcmp(vars[i].var, "GORISCV64") == 0 ? d.goriscv64 : "";
			c->ctx.goarch_var = xstrdup(vars[i].var);
			c->ctx.goarch_val = xstrdup(cfg_env_or(c, vars[i].var, def, &c->goarch_val_changed));
		}
	}

	c->gofips140 = xstrdup(cfg_env_or(c, "GOFIPS140", d.gofips140, &c->gofips140_changed));

	/* experiments: cfg.computeExperiment with the effective target */
	v = cfg_getenv(c, "GOEXPERIMENT");
	c->goexperiment = xstrdup(v && *v ? v : d.goexperiment);
	if (cfg_parse_goexperiment(&c->tc, c->ctx.goos, c->ctx.goarch, c->goexperiment, &exps, &ferr) < 0)
		c->experiment_err = err_take(&ferr);
	for (size_t i = 0; i < exps.n; i++) {
		strvec_push(&c->experiments, exps.v[i]);
		strvec_push_take(&c->ctx.tool_tags, xasprintf("goexperiment.%s", exps.v[i]));
	}
	c->buildcfg_err = buildcfg_compute(&c->tc, &d, &c->ctx.tool_tags);

	/* go/build: go1.1 ... go1.N */
	for (int i = 1; i <= c->tc.minor; i++)
		strvec_push_take(&c->ctx.release_tags, xasprintf("go1.%d", i));
	rc = 0;
out:
	if (rc < 0)
		cfg_release(c);
	strvec_clear(&exps);
	err_clear(&ferr);
	defaults_release(&d);
	free(home_go);
	return rc;
}

void cfg_release(struct cfg *c)
{
	tc_release(&c->tc);
	free(c->ctx.goos);
	free(c->ctx.goarch);
	free(c->ctx.compiler);
	strvec_clear(&c->ctx.build_tags);
	strvec_clear(&c->ctx.tool_tags);
	strvec_clear(&c->ctx.release_tags);
	free(c->ctx.goarch_var);
	free(c->ctx.goarch_val);
	free(c->envfile);
	strvec_clear(&c->envfile_vars);
	free(c->gopath);
	free(c->gomodcache);
	free(c->goflags);
	free(c->envfile_err);
	free(c->goexperiment);
	free(c->experiment_err);
	free(c->buildcfg_err);
	free(c->gofips140);
	strvec_clear(&c->experiments);
	memset(c, 0, sizeof *c);
}

void cfg_set_tags(struct cfg *c, const char *tags)
{
	struct err e = ERR_INIT;

	/* mirrors cmd/go/internal/work tagsFlag.Set (go1.26): the old
	 * space-separated (quoted) form, else a comma list without empties */
	strvec_clear(&c->ctx.build_tags);
	if (strchr(tags, ' ') || strchr(tags, '\'')) {
		if (quoted_split(tags, &c->ctx.build_tags, &e) < 0)
			err_clear(&e);
		return;
	}
	for (const char *p = tags; *p;) {
		size_t n = strcspn(p, ",");
		if (n)
			strvec_push_take(&c->ctx.build_tags, xstrndup(p, n));
		p += n + (p[n] == ',');
	}
}

int cfg_check_goos_goarch(const struct cfg *c, const char *goos, const char *goarch, struct err *e)
{
	/* work.CheckGOOSARCHPair: the pair must be a known port (broken ones too) */
	if (!tc_target_find(&c->tc, goos, goarch))
		return err_setf(e, "unsupported GOOS/GOARCH pair %s/%s", goos, goarch);
	return 0;
}
