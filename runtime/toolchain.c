/*
 * The Go toolchain gotool drives: GOROOT discovery, its VERSION and go.env,
 * the tool directory, Go version comparison, and the target table that
 * `go tool dist list` prints.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "runtime/runtime.h"

/* ---- Go versions ---------------------------------------------------------- */

/* A parsed Go version, mirroring internal/gover's Version (go1.26): each part
 * a view into the input; Kind is "", "alpha", "beta" or "rc"; all-empty
 * means invalid. */
struct gover {
	struct str major, minor, patch, kind, pre;
	bool ok;
};

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* cut_int takes a decimal without needless leading zeros off the front of *s. */
static bool cut_int(struct str *s, struct str *n)
{
	size_t i = 0;

	while (i < s->n && is_digit((unsigned char)s->p[i]))
		i++;
	if (i == 0 || (s->p[0] == '0' && i != 1))
		return false;
	*n = (struct str){s->p, i};
	s->p += i;
	s->n -= i;
	return true;
}

/* cmp_int compares decimal strings as numbers of any size (gover.CmpInt). */
static int cmp_int(struct str x, struct str y)
{
	int c;

	if (str_eq(x, y))
		return 0;
	if (x.n != y.n)
		return x.n < y.n ? -1 : +1;
	c = memcmp(x.p, y.p, x.n);
	return c < 0 ? -1 : +1;
}

/* gover_parse mirrors internal/gover/gover.go Parse (go1.26). A leading
 * "go" is accepted too so that "go1.26.8" and "1.26.8" compare alike. */
static struct gover gover_parse(const char *text)
{
	struct gover v = {0};
	struct str x = str_c(text);
	size_t i = 0;

	if (str_has_prefix(x, "go")) {
		x.p += 2;
		x.n -= 2;
	}
	if (!cut_int(&x, &v.major))
		return (struct gover){0};
	if (x.n == 0) {
		v.minor = STR("0");
		v.patch = STR("0");
		v.ok = true;
		return v;
	}
	if (x.p[0] != '.')
		return (struct gover){0};
	x.p++;
	x.n--;
	if (!cut_int(&x, &v.minor))
		return (struct gover){0};
	if (x.n == 0) {
		/* Before 1.21, "1.N" meant the release "1.N.0". */
		if (cmp_int(v.minor, STR("21")) < 0)
			v.patch = STR("0");
		v.ok = true;
		return v;
	}
	if (x.p[0] == '.') {
		x.p++;
		x.n--;
		if (!cut_int(&x, &v.patch) || x.n != 0)
			return (struct gover){0};
		v.ok = true;
		return v;
	}
	while (i < x.n && !is_digit((unsigned char)x.p[i])) {
		if (x.p[i] < 'a' || x.p[i] > 'z')
			return (struct gover){0};
		i++;
	}
	if (i == 0)
		return (struct gover){0};
	v.kind = (struct str){x.p, i};
	x.p += i;
	x.n -= i;
	if (x.n != 0 && (!cut_int(&x, &v.pre) || x.n != 0))
		return (struct gover){0};
	v.ok = true;
	return v;
}

struct tc_startup tc_startup;

char *tc_too_new_error(const char *what, const char *v, const char *local)
{
	struct buf explain = BUF_INIT;
	char *msg;

	if (tc_startup.gotoolchain && tc_startup.gotoolchain[0] && strcmp(tc_startup.gotoolchain, "auto") != 0)
		buf_printf(&explain, "; GOTOOLCHAIN=%s", tc_startup.gotoolchain);
	if (tc_startup.auto_file && tc_startup.auto_file[0] &&
	    ((tc_startup.auto_go_version && tc_startup.auto_go_version[0]) ||
	     (tc_startup.auto_toolchain && tc_startup.auto_toolchain[0]))) {
		buf_printf(&explain, "; %s sets ", tc_startup.auto_file);
		if (tc_startup.auto_toolchain && tc_startup.auto_toolchain[0])
			buf_printf(&explain, "toolchain %s", tc_startup.auto_toolchain);
		else
			buf_printf(&explain, "go %s", tc_startup.auto_go_version);
	}
	msg = xasprintf("%s requires go >= %s (running go %s%s)", what, v, local, buf_cstr(&explain));
	buf_release(&explain);
	return msg;
}

int tc_version_compare(const char *x, const char *y)
{
	struct gover vx = gover_parse(x), vy = gover_parse(y);
	int c;

	if ((c = cmp_int(vx.major, vy.major)) != 0)
		return c;
	if ((c = cmp_int(vx.minor, vy.minor)) != 0)
		return c;
	if ((c = cmp_int(vx.patch, vy.patch)) != 0)
		return c;
	/* "" < alpha < beta < rc: plain string order does it. */
	if ((c = str_cmp(vx.kind, vy.kind)) != 0)
		return c < 0 ? -1 : +1;
	return cmp_int(vx.pre, vy.pre);
}

bool tc_version_valid(const char *v)
{
	return gover_parse(v).ok;
}

bool tc_version_is_lang(const char *v)
{
	struct gover g = gover_parse(v);

	return g.ok && g.patch.n == 0 && g.kind.n == 0 && g.pre.n == 0;
}

bool tc_version_is_prerelease(const char *v)
{
	struct gover g = gover_parse(v);

	return g.ok && g.kind.n != 0;
}

char *tc_version_lang(const char *v)
{
	struct gover g = gover_parse(v);

	if (!g.ok)
		return xstrdup(""); /* gover.Lang of an invalid version */
	/* mirrors gover.Lang: "1.0" and bare majors collapse to the major. */
	if (g.minor.n == 0 || (str_eqc(g.major, "1") && str_eqc(g.minor, "0")))
		return str_dup(g.major);
	return xasprintf("%.*s.%.*s", (int)g.major.n, g.major.p, (int)g.minor.n, g.minor.p);
}

/* ---- the host ------------------------------------------------------------- */

const char *tc_host_goarch(void)
{
	static const struct {
		const char *machine, *goarch;
	} arches[] = {
		{"x86_64", "amd64"}, {"amd64", "amd64"}, {"i386", "386"}, {"i486", "386"},
		{"i586", "386"}, {"i686", "386"}, {"aarch64", "arm64"}, {"arm64", "arm64"},
		{"armv6l", "arm"}, {"armv7l", "arm"}, {"armv8l", "arm"}, {"ppc64le", "ppc64le"},
		{"ppc64", "ppc64"}, {"s390x", "s390x"}, {"riscv64", "riscv64"},
		{"loongarch64", "loong64"}, {"mips64", "mips64"}, {"mips", "mips"},
	};
	struct utsname u;

	if (uname(&u) == 0)
		for (size_t i = 0; i < countof(arches); i++)
			if (strcmp(u.machine, arches[i].machine) == 0)
				return arches[i].goarch;
	return "amd64";
}

/* ---- GOROOT discovery ----------------------------------------------------- */

/* is_goroot mirrors cmd/go/internal/cfg isGOROOT: a pkg/tool directory. */
static bool is_goroot(const char *dir)
{
	char *p = xasprintf("%s/pkg/tool", dir);
	bool ok = os_is_dir(p);

	free(p);
	return ok;
}

/* goroot_from_path finds `go` on PATH and returns the root above its bin
 * directory (symlinks resolved), or NULL. */
static char *goroot_from_path(void)
{
	char *exe = proc_lookpath("go"), *real = NULL, *root = NULL;
	char *bin = NULL;

	if (!exe)
		return NULL;
	real = realpath(exe, NULL);
	if (!real)
		goto out;
	bin = path_dir(real);
	root = path_dir(bin);
	if (!is_goroot(root)) {
		free(root);
		root = NULL;
	}
out:
	free(exe);
	free(real);
	free(bin);
	return root;
}

/* read_goenv keeps the KEY=VALUE lines of $GOROOT/go.env as go's
 * readEnvFile accepts them (an upper-case first letter and a '='). */
static void read_goenv(struct toolchain *tc)
{
	struct buf b = BUF_INIT;
	struct err e = ERR_INIT;
	char *path = xasprintf("%s/go.env", tc->goroot);
	const char *p, *end;

	if (os_read_file(path, &b, 0, &e) < 0)
		goto out;
	for (p = b.data; p < b.data + b.len; p = end + 1) {
		const char *nl = memchr(p, '\n', (size_t)(b.data + b.len - p));
		end = nl ? nl : b.data + b.len;
		if (end == p || !memchr(p, '=', (size_t)(end - p)) || *p < 'A' || *p > 'Z')
			continue;
		strvec_push_take(&tc->goenv, xstrndup(p, (size_t)(end - p)));
	}
out:
	err_clear(&e);
	buf_release(&b);
	free(path);
}

/* read_version reads VERSION's first line (without "\r"). */
static int read_version(struct toolchain *tc, struct err *e)
{
	struct buf b = BUF_INIT;
	char *path = xasprintf("%s/VERSION", tc->goroot);
	size_t n;
	int rc = -1;

	if (os_read_file(path, &b, 1 << 20, e) < 0)
		goto out;
	n = strcspn(b.data, "\r\n");
	if (n == 0) {
		err_setf(e, "%s: empty VERSION file", path);
		goto out;
	}
	tc->version = xstrndup(b.data, n);
	if (!has_prefix(tc->version, "go") || !tc_version_valid(tc->version + 2)) {
		/* A devel toolchain ("devel go1.27-abcdef ...") has no release
		 * number we could compare; gotool only drives releases. */
		err_setf(e, "%s: unsupported toolchain version \"%s\"", path, tc->version);
		goto out;
	}
	tc->gover = xstrdup(tc->version + 2);
	{
		struct gover g = gover_parse(tc->gover);
		char *s;
		s = str_dup(g.major);
		tc->major = (int)strtol(s, NULL, 10);
		free(s);
		s = str_dup(g.minor);
		tc->minor = (int)strtol(s, NULL, 10);
		free(s);
	}
	rc = 0;
out:
	buf_release(&b);
	free(path);
	return rc;
}

static void load_targets(struct toolchain *tc);

int tc_find(struct toolchain *tc, const char *envfile_goroot, struct err *e)
{
	const char *env = getenv("GOROOT");
	char *root = NULL, *tooldir = NULL;
	int rc = -1;

	memset(tc, 0, sizeof *tc);
	/* mirrors cmd/go/internal/cfg findGOROOT (go1.26): an explicit value is
	 * taken as is (cleaned), the process environment first (cfg.Getenv);
	 * gotool has no executable inside a GOROOT, so
	 * the `go` on PATH stands in for os.Executable, then the default. */
	if (env && *env) {
		root = path_clean(env);
		tc->how_found = xstrdup("$GOROOT");
	} else if (envfile_goroot && *envfile_goroot) {
		root = path_clean(envfile_goroot);
		tc->how_found = xstrdup("env file");
	} else if ((root = goroot_from_path()) != NULL) {
		tc->how_found = xstrdup("PATH");
	} else if (is_goroot("/usr/local/go")) {
		root = xstrdup("/usr/local/go");
		tc->how_found = xstrdup("default");
	} else {
		err_setf(e, "cannot find GOROOT directory: GOROOT is not set, the env file sets no GOROOT, "
			    "no go command on PATH is inside a Go root, and /usr/local/go is not one");
		goto out;
	}
	if (!os_is_dir(root)) {
		/* go's own text (cmd/go/main.go), exit status 2 */
		err_setf(e, "cannot find GOROOT directory: %s", root);
		goto out;
	}
	if (!path_is_abs(root)) {
		char *wd = os_getwd(), *abs = path_join(wd, root);
		free(wd);
		free(root);
		root = abs;
	}
	tc->goroot = root;
	root = NULL;
	tc->hostos = xstrdup("linux");
	tc->hostarch = xstrdup(tc_host_goarch());
	if (read_version(tc, e) < 0) {
		err_wrapf(e, "GOROOT %s (from %s) is not a usable Go installation", tc->goroot, tc->how_found);
		goto out;
	}
	tooldir = xasprintf("%s/pkg/tool/%s_%s", tc->goroot, tc->hostos, tc->hostarch);
	tc->tooldir = tooldir;
	tooldir = NULL;
	read_goenv(tc);
	load_targets(tc);
	rc = 0;
out:
	free(root);
	free(tooldir);
	if (rc < 0)
		tc_release(tc);
	return rc;
}

void tc_release(struct toolchain *tc)
{
	free(tc->goroot);
	free(tc->version);
	free(tc->gover);
	free(tc->tooldir);
	free(tc->hostos);
	free(tc->hostarch);
	free(tc->how_found);
	strvec_clear(&tc->goenv);
	for (size_t i = 0; i < tc->ntargets; i++) {
		free((char *)tc->targets[i].goos);
		free((char *)tc->targets[i].goarch);
	}
	free(tc->targets);
	free(tc->targets_err);
	memset(tc, 0, sizeof *tc);
}

const char *tc_goenv(const struct toolchain *tc, const char *key)
{
	size_t n = strlen(key);
	const char *found = NULL;

	/* later lines win, as in go's readEnvFile */
	for (size_t i = 0; i < tc->goenv.n; i++)
		if (strncmp(tc->goenv.v[i], key, n) == 0 && tc->goenv.v[i][n] == '=')
			found = tc->goenv.v[i] + n + 1;
	return found;
}

/* ---- the target table ------------------------------------------------------ */

/*
 * The table comes from the toolchain's own src/cmd/dist/build.go: the maps
 * cgoEnabled (every port), broken and firstClass, each a
 * `var NAME = map[string]bool{` block of `"goos/goarch": bool,` lines.
 * internal/platform's zosarch.go is generated from the same maps.
 */

/* find_map returns the body of `var name = map[string]bool{ ... }`. */
static bool find_map(const char *src, const char *name, struct str *body)
{
	char *head = xasprintf("\nvar %s = map[string]bool{", name);
	const char *p = strstr(src, head), *end;

	if (!p) {
		free(head);
		return false;
	}
	p += strlen(head);
	free(head);
	end = strstr(p, "\n}");
	if (!end)
		return false;
	*body = (struct str){p, (size_t)(end - p)};
	return true;
}

/* scan_map reads a map body once: every key into keys (when not NULL),
 * and the keys whose value is true into trues (heap keys, freed by the
 * caller); returns -1 when a line of the body is not `"key": bool,`. */
static int scan_map(struct str body, struct strvec *keys, struct map *trues)
{
	struct str rest = body, line;

	while (rest.n > 0) {
		struct str k, v, before, after;
		struct str next;
		if (str_cut(rest, '\n', &line, &next)) {
			rest = next;
		} else {
			line = rest;
			rest = (struct str){rest.p + rest.n, 0};
		}
		/* drop a trailing // comment */
		for (size_t i = 0; i + 1 < line.n; i++)
			if (line.p[i] == '/' && line.p[i + 1] == '/') {
				line.n = i;
				break;
			}
		line = str_trim_space(line);
		if (line.n == 0)
			continue;
		if (!str_cut(line, ':', &before, &after))
			return -1;
		k = str_trim_space(before);
		v = str_trim_space(after);
		if (k.n < 2 || k.p[0] != '"' || k.p[k.n - 1] != '"')
			return -1;
		k.p++;
		k.n -= 2;
		if (str_has_suffix(v, ","))
			v.n--;
		if (!str_eqc(v, "true") && !str_eqc(v, "false"))
			return -1;
		if (trues && str_eqc(v, "true"))
			map_put(trues, str_dup(k), (void *)1);
		if (keys)
			strvec_push_take(keys, str_dup(k));
	}
	return 0;
}

static int cmp_target(const void *a, const void *b)
{
	const struct tc_target *x = a, *y = b;
	int c = strcmp(x->goos, y->goos);

	/* dist sorts the "goos/goarch" strings; '/' sorts before letters and
	 * digits, so comparing goos then goarch gives the same order. */
	return c ? c : strcmp(x->goarch, y->goarch);
}

static void load_targets(struct toolchain *tc)
{
	struct buf src = BUF_INIT;
	struct err e = ERR_INIT;
	struct strvec keys = {0};
	struct str cgo, broken, first;
	struct map trues[3]; /* cgoEnabled, broken, firstClass: the true keys */
	char *path = xasprintf("%s/src/cmd/dist/build.go", tc->goroot);

	for (size_t i = 0; i < countof(trues); i++)
		map_init(&trues[i]);
	if (os_read_file(path, &src, 0, &e) < 0) {
		tc->targets_err = xasprintf("reading target list: %s", err_msg(&e));
		goto out;
	}
	if (!find_map(src.data, "cgoEnabled", &cgo) || !find_map(src.data, "broken", &broken) ||
	    !find_map(src.data, "firstClass", &first) || scan_map(cgo, &keys, &trues[0]) < 0 ||
	    scan_map(broken, NULL, &trues[1]) < 0 || scan_map(first, NULL, &trues[2]) < 0 ||
	    keys.n == 0) {
		tc->targets_err = xasprintf("%s: cannot parse the cgoEnabled, broken and firstClass port tables", path);
		goto out;
	}
	tc->targets = xcalloc(keys.n, sizeof *tc->targets);
	for (size_t i = 0; i < keys.n; i++) {
		struct tc_target *t = &tc->targets[tc->ntargets];
		char *slash = strchr(keys.v[i], '/');
		if (!slash)
			continue;
		t->goos = xstrndup(keys.v[i], (size_t)(slash - keys.v[i]));
		t->goarch = xstrdup(slash + 1);
		t->cgo_supported = map_has(&trues[0], keys.v[i]);
		t->broken = map_has(&trues[1], keys.v[i]);
		t->first_class = map_has(&trues[2], keys.v[i]);
		tc->ntargets++;
	}
	qsort(tc->targets, tc->ntargets, sizeof *tc->targets, cmp_target);
out:
	for (size_t i = 0; i < countof(trues); i++) {
		size_t it = 0;
		const char *k;
		while (map_next(&trues[i], &it, &k, NULL))
			free((char *)k);
		map_release(&trues[i]);
	}
	strvec_clear(&keys);
	err_clear(&e);
	buf_release(&src);
	free(path);
}

size_t tc_targets(const struct toolchain *tc, const struct tc_target **out)
{
	*out = tc->targets;
	return tc->ntargets;
}

const struct tc_target *tc_target_find(const struct toolchain *tc, const char *goos, const char *goarch)
{
	for (size_t i = 0; i < tc->ntargets; i++)
		if (strcmp(tc->targets[i].goos, goos) == 0 && strcmp(tc->targets[i].goarch, goarch) == 0)
			return &tc->targets[i];
	return NULL;
}

const char *tc_targets_error(const struct toolchain *tc)
{
	return tc->targets_err;
}
