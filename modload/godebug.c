/*
 * godebug.c: the default GODEBUG of a main package and the checks on
 * godebug settings (go.mod/go.work "godebug" lines, //go:debug lines).
 *
 * Mirrors cmd/go/internal/load/godebug.go (ParseGoDebug, defaultGODEBUG,
 * godebugForGoVersion) and modload.CheckGodebug (go1.26).  The table of
 * known settings is not compiled in: it is read at run time from the
 * driven toolchain's $GOROOT/src/internal/godebugs/table.go, so gotool
 * follows whatever Go release it drives.
 */
#include <stdlib.h>
#include <string.h>

#include "modload/modload.h"

struct mod_godebug_table {
	VEC(struct mod_godebug_info) all;       /* in table order (sorted by name) */
	VEC(struct mod_godebug_removed) removed;
};

/* ---- Go versions (cmd/go/internal/gover, internal/gover) ----------------- */

/* A parsed Go version; empty fields are "" views, all-empty means invalid. */
struct gv {
	struct str major, minor, patch, kind, pre;
};

static bool gv_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool gv_cut_int(const char **s, struct str *out)
{
	const char *p = *s;
	size_t i = 0;
	while (gv_digit((unsigned char)p[i]))
		i++;
	if (i == 0 || (p[0] == '0' && i != 1))
		return false;
	*out = (struct str){p, i};
	*s = p + i;
	return true;
}

/* gv_parse mirrors internal/gover.Parse; returns false for an invalid version. */
static bool gv_parse(const char *x, struct gv *v)
{
	memset(v, 0, sizeof *v);
	v->major = v->minor = v->patch = v->kind = v->pre = (struct str){"", 0};
	if (!gv_cut_int(&x, &v->major))
		goto bad;
	if (*x == '\0') {
		v->minor = v->patch = STR("0");
		return true;
	}
	if (*x != '.')
		goto bad;
	x++;
	if (!gv_cut_int(&x, &v->minor))
		goto bad;
	if (*x == '\0') {
		/* before 1.21 "1.N" meant "1.N.0"; since then it is the language version, before 1.N.0 */
		if (v->minor.n < 2 || (v->minor.n == 2 && memcmp(v->minor.p, "21", 2) < 0))
			v->patch = STR("0");
		return true;
	}
	if (*x == '.') {
		x++;
		if (!gv_cut_int(&x, &v->patch) || *x != '\0')
			goto bad;
		return true;
	}
	size_t i = 0;
	while (x[i] != '\0' && !gv_digit((unsigned char)x[i])) {
		if (x[i] < 'a' || x[i] > 'z')
			goto bad;
		i++;
	}
	if (i == 0)
		goto bad;
	v->kind = (struct str){x, i};
	x += i;
	if (*x == '\0')
		return true;
	if (!gv_cut_int(&x, &v->pre) || *x != '\0')
		goto bad;
	return true;
bad:
	memset(v, 0, sizeof *v);
	v->major = v->minor = v->patch = v->kind = v->pre = (struct str){"", 0};
	return false;
}

static int gv_cmp_int(struct str x, struct str y)
{
	if (x.n != y.n)
		return x.n < y.n ? -1 : 1;
	int c = memcmp(x.p, y.p, x.n);
	return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/* gv_compare mirrors gover.Compare (an invalid version is the zero Version). */
static int gv_compare(const char *x, const char *y)
{
	struct gv a, b;
	gv_parse(x, &a);
	gv_parse(y, &b);
	int c = gv_cmp_int(a.major, b.major);
	if (c == 0)
		c = gv_cmp_int(a.minor, b.minor);
	if (c == 0)
		c = gv_cmp_int(a.patch, b.patch);
	if (c == 0) {
		c = str_cmp(a.kind, b.kind);
		c = c < 0 ? -1 : c > 0 ? 1 : 0;
	}
	if (c == 0)
		c = gv_cmp_int(a.pre, b.pre);
	return c;
}

static bool gv_valid(const char *x)
{
	struct gv v;
	return gv_parse(x, &v);
}

/* ---- reading internal/godebugs/table.go ----------------------------------- */

struct tp {
	const char *p, *end;
};

/* tp_skip skips white space and // comments. */
static void tp_skip(struct tp *t)
{
	while (t->p < t->end) {
		unsigned char c = (unsigned char)*t->p;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			t->p++;
		} else if (t->end - t->p >= 2 && t->p[0] == '/' && t->p[1] == '/') {
			while (t->p < t->end && *t->p != '\n')
				t->p++;
		} else {
			break;
		}
	}
}

static bool tp_ident_char(unsigned char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || gv_digit(c);
}

/* A field value of a composite literal entry: a string, an int or a bool. */
struct tp_field {
	struct str key;
	struct str sval; /* unquoted when the value is a string */
	long ival;
	bool bval, is_str;
};

/* tp_field reads `Key: value`; returns false on syntax it does not know. */
static bool tp_field(struct tp *t, struct arena *a, struct tp_field *f)
{
	memset(f, 0, sizeof *f);
	const char *k = t->p;
	while (t->p < t->end && tp_ident_char((unsigned char)*t->p))
		t->p++;
	f->key = (struct str){k, (size_t)(t->p - k)};
	tp_skip(t);
	if (f->key.n == 0 || t->p >= t->end || *t->p != ':')
		return false;
	t->p++;
	tp_skip(t);
	if (t->p < t->end && *t->p == '"') {
		const char *s = ++t->p;
		while (t->p < t->end && *t->p != '"' && *t->p != '\\' && *t->p != '\n')
			t->p++;
		if (t->p >= t->end || *t->p != '"')
			return false; /* the table has no escapes; refuse rather than guess */
		f->sval = (struct str){arena_strndup(a, s, (size_t)(t->p - s)), (size_t)(t->p - s)};
		f->is_str = true;
		t->p++;
		return true;
	}
	const char *v = t->p;
	while (t->p < t->end && tp_ident_char((unsigned char)*t->p))
		t->p++;
	struct str w = {v, (size_t)(t->p - v)};
	if (str_eqc(w, "true") || str_eqc(w, "false")) {
		f->bval = str_eqc(w, "true");
		return true;
	}
	if (w.n == 0 || w.n > 9)
		return false;
	for (size_t i = 0; i < w.n; i++) {
		if (!gv_digit((unsigned char)w.p[i]))
			return false;
		f->ival = f->ival * 10 + (w.p[i] - '0');
	}
	return true;
}

/*
 * tp_list parses the entries of `var NAME = []T{ {...}, ... }` calling
 * add for each field of each entry (entry index passed).
 */
static int tp_list(struct tp *t, struct arena *a, const char *decl, struct mod_godebug_table *tab,
		   bool removed, struct err *e)
{
	const char *p = NULL;
	/* find the declaration at the start of a line */
	for (const char *q = t->p; q < t->end; q++) {
		if ((q == t->p || q[-1] == '\n') && (size_t)(t->end - q) >= strlen(decl) &&
		    memcmp(q, decl, strlen(decl)) == 0) {
			p = q + strlen(decl);
			break;
		}
	}
	if (p == NULL) {
		if (removed)
			return 0; /* older toolchains have no Removed list */
		return err_setf(e, "internal/godebugs/table.go: cannot find %s", decl);
	}
	struct tp s = {p, t->end};
	for (;;) {
		tp_skip(&s);
		if (s.p >= s.end)
			break;
		if (*s.p == '}')
			return 0;
		if (*s.p != '{')
			break;
		s.p++;
		struct mod_godebug_info info = {0};
		struct mod_godebug_removed rm = {0};
		info.old = "";
		info.package = "";
		for (;;) {
			tp_skip(&s);
			if (s.p < s.end && *s.p == '}') {
				s.p++;
				break;
			}
			struct tp_field f;
			if (!tp_field(&s, a, &f))
				goto bad;
			if (str_eqc(f.key, "Name") && f.is_str)
				info.name = rm.name = f.sval.p;
			else if (str_eqc(f.key, "Package") && f.is_str)
				info.package = f.sval.p;
			else if (str_eqc(f.key, "Old") && f.is_str)
				info.old = f.sval.p;
			else if (str_eqc(f.key, "Changed"))
				info.changed = (int)f.ival;
			else if (str_eqc(f.key, "Removed"))
				rm.removed = (int)f.ival;
			else if (str_eqc(f.key, "Opaque"))
				info.opaque = f.bval;
			else if (str_eqc(f.key, "Immutable"))
				info.immutable = f.bval;
			tp_skip(&s);
			if (s.p < s.end && *s.p == ',')
				s.p++;
		}
		if (info.name == NULL)
			goto bad;
		if (removed)
			VEC_PUSH(&tab->removed, rm);
		else
			VEC_PUSH(&tab->all, info);
		tp_skip(&s);
		if (s.p < s.end && *s.p == ',')
			s.p++;
	}
bad:
	return err_setf(e, "internal/godebugs/table.go: cannot parse %s", decl);
}

static void gd_table_free(void *p)
{
	struct mod_godebug_table *t = p;
	VEC_FREE(&t->all);
	VEC_FREE(&t->removed);
}

int mod_godebug_table_parse(struct arena *a, const char *data, size_t n,
			    struct mod_godebug_table **out, struct err *e)
{
	struct mod_godebug_table *t = arena_new(a, struct mod_godebug_table);
	struct mod_godebug_table tmp = {0};
	struct tp tp = {data, data + n};
	*out = NULL;
	if (tp_list(&tp, a, "var All = []Info{", &tmp, false, e) < 0 ||
	    tp_list(&tp, a, "var Removed = []RemovedInfo{", &tmp, true, e) < 0) {
		gd_table_free(&tmp);
		return -1;
	}
	/* the vectors move into the arena so the table needs no release */
	t->all.n = t->all.cap = tmp.all.n;
	t->all.v = arena_newarray(a, struct mod_godebug_info, tmp.all.n + 1);
	if (tmp.all.n)
		memcpy(t->all.v, tmp.all.v, tmp.all.n * sizeof *tmp.all.v);
	t->removed.n = t->removed.cap = tmp.removed.n;
	t->removed.v = arena_newarray(a, struct mod_godebug_removed, tmp.removed.n + 1);
	if (tmp.removed.n)
		memcpy(t->removed.v, tmp.removed.v, tmp.removed.n * sizeof *tmp.removed.v);
	gd_table_free(&tmp);
	*out = t;
	return 0;
}

int mod_godebug_table_load(struct arena *a, const char *goroot, struct mod_godebug_table **out,
			   struct err *e)
{
	char *dir = path_join(goroot, "src/internal/godebugs");
	char *file = path_join(dir, "table.go");
	struct buf b = BUF_INIT;
	int rc = -1;
	*out = NULL;
	if (os_read_file(file, &b, 0, e) < 0)
		goto out;
	rc = mod_godebug_table_parse(a, buf_cstr(&b), b.len, out, e);
out:
	buf_release(&b);
	free(file);
	free(dir);
	return rc;
}

const struct mod_godebug_info *mod_godebug_lookup(const struct mod_godebug_table *t, const char *name)
{
	for (size_t i = 0; i < t->all.n; i++)
		if (strcmp(t->all.v[i].name, name) == 0)
			return &t->all.v[i];
	return NULL;
}

size_t mod_godebug_table_all(const struct mod_godebug_table *t, const struct mod_godebug_info **out)
{
	*out = t->all.v;
	return t->all.n;
}

/* ---- checks ---------------------------------------------------------------- */

static void gd_quote(struct buf *b, const char *s)
{
	/* setting names reaching here have no quotes or controls worth escaping
	 * beyond what %q does for plain ASCII */
	buf_addch(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_addch(b, '\\');
		if (*p < 0x20 || *p == 0x7F)
			buf_printf(b, "\\x%02x", *p);
		else
			buf_addch(b, *p);
	}
	buf_addch(b, '"');
}

int mod_godebug_check(const struct mod_godebug_table *t, const char *verb, const char *k,
		      const char *v, const char *local, struct err *e)
{
	if (strpbrk(k, " \t") != NULL)
		return err_setf(e, "key contains space");
	if (strpbrk(v, " \t") != NULL)
		return err_setf(e, "value contains space");
	if (strchr(k, ',') != NULL)
		return err_setf(e, "key contains comma");
	if (strchr(v, ',') != NULL)
		return err_setf(e, "value contains comma");
	if (strcmp(k, "default") == 0) {
		if (!has_prefix(v, "go") || !gv_valid(v + 2))
			return err_setf(e, "value for default= must be goVERSION");
		if (gv_compare(v + 2, local) > 0)
			return err_setf(e, "default=%s too new (toolchain is go%s)", v, local);
		return 0;
	}
	if (mod_godebug_lookup(t, k) != NULL)
		return 0;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < t->removed.n; i++) {
		if (strcmp(t->removed.v[i].name, k) == 0) {
			buf_printf(&b, "use of removed %s ", verb);
			gd_quote(&b, k);
			buf_printf(&b, ", see https://go.dev/doc/godebug#go-1%d", t->removed.v[i].removed);
			goto fail;
		}
	}
	buf_printf(&b, "unknown %s ", verb);
	gd_quote(&b, k);
fail:
	err_setf(e, "%s", buf_cstr(&b));
	buf_release(&b);
	return -1;
}

int mod_parse_go_debug(struct arena *a, const struct mod_godebug_table *t, const char *text,
		       const char *local, bool *is_debug, const char **key, const char **value,
		       struct err *e)
{
	*is_debug = false;
	*key = *value = NULL;
	if (!has_prefix(text, "//go:debug"))
		return 0;
	const char *sp = strpbrk(text, " \t");
	if (sp == NULL) {
		struct str all = str_trim_space(str_c(text));
		if (!str_eqc(all, "//go:debug"))
			return 0; /* //go:debugger and the like */
		*is_debug = true;
		return err_setf(e, "missing key=value");
	}
	*is_debug = true;
	struct str rest = str_trim_space(str_c(sp)), k, v;
	if (!str_cut(rest, '=', &k, &v))
		return err_setf(e, "missing key=value");
	char *ks = arena_strndup(a, k.p, k.n), *vs = arena_strndup(a, v.p, v.n);
	if (mod_godebug_check(t, "//go:debug setting", ks, vs, local, e) < 0)
		return -1;
	*key = ks;
	*value = vs;
	return 0;
}

/* ---- the default ------------------------------------------------------------ */

struct gd_kv {
	const char *k, *v;
};

static int gd_kv_cmp(const void *x, const void *y)
{
	return strcmp(((const struct gd_kv *)x)->k, ((const struct gd_kv *)y)->k);
}

/* gd_set inserts or overwrites k in m (like a Go map assignment). */
static void gd_set(struct gd_kv **m, size_t *n, size_t *cap, const char *k, const char *v)
{
	for (size_t i = 0; i < *n; i++) {
		if (strcmp((*m)[i].k, k) == 0) {
			(*m)[i].v = v;
			return;
		}
	}
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*m = xreallocarray(*m, *cap, sizeof **m);
	}
	(*m)[(*n)++] = (struct gd_kv){k, v};
}

/*
 * gd_minor mirrors godebugForGoVersion's version handling: drop a patch
 * ("1.21.3" -> "1.21"), require "1." and a decimal minor (strconv.Atoi).
 */
static bool gd_minor(const char *v, long *n)
{
	const char *d1 = strchr(v, '.');
	size_t len = strlen(v);
	if (d1 != NULL && strchr(d1 + 1, '.') != NULL)
		len = (size_t)(strchr(d1 + 1, '.') - v);
	if (len < 2 || strncmp(v, "1.", 2) != 0)
		return false;
	const char *p = v + 2, *end = v + len;
	bool neg = false;
	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	if (p == end || end - p > 18)
		return false;
	long x = 0;
	for (; p < end; p++) {
		if (!gv_digit((unsigned char)*p))
			return false;
		x = x * 10 + (*p - '0');
	}
	*n = neg ? -x : x;
	return true;
}

int mod_godebug_default(struct arena *a, const struct mod_godebug_table *t, const char *go_version,
			bool fips140, const struct mod_godebug *godebugs, size_t n,
			const struct load_directive *dirs, size_t ndirs, const char *local,
			const char **out, struct err *e)
{
	struct gd_kv *m = NULL, *d = NULL;
	size_t mn = 0, mcap = 0, dn = 0, dcap = 0;
	bool have_m = false, have_def = false;
	struct buf b = BUF_INIT;
	const char *gover = go_version;
	long minor;

	(void)e; /* cannot fail today; kept for the error convention */

	if (fips140) {
		gd_set(&m, &mn, &mcap, "fips140", "on");
		have_m = true;
	}
	for (size_t i = 0; i < n; i++) {
		gd_set(&m, &mn, &mcap, godebugs[i].key, godebugs[i].value);
		have_m = true;
	}
	for (size_t i = 0; i < ndirs; i++) {
		struct err de = ERR_INIT;
		bool is_debug;
		const char *k, *v;
		/* invalid lines are skipped here; the build reports them */
		if (mod_parse_go_debug(a, t, dirs[i].text, local, &is_debug, &k, &v, &de) < 0 || !is_debug) {
			err_clear(&de);
			continue;
		}
		gd_set(&m, &mn, &mcap, k, v);
		have_m = true;
	}
	for (size_t i = 0; i < mn; i++) {
		if (strcmp(m[i].k, "default") == 0) {
			const char *v = m[i].v;
			if (has_prefix(v, "go"))
				v += 2;
			if (gv_valid(v))
				gover = v;
			m[i] = m[--mn];
			break;
		}
	}
	if (gd_minor(gover, &minor)) {
		have_def = true;
		for (size_t i = 0; i < t->all.n; i++)
			if (minor < t->all.v[i].changed)
				gd_set(&d, &dn, &dcap, t->all.v[i].name, t->all.v[i].old);
		for (size_t i = 0; i < mn; i++)
			gd_set(&d, &dn, &dcap, m[i].k, m[i].v);
	}
	struct gd_kv *res = have_def ? d : m;
	size_t rn = have_def ? dn : mn;
	(void)have_m;
	if (rn > 1)
		qsort(res, rn, sizeof *res, gd_kv_cmp);
	for (size_t i = 0; i < rn; i++) {
		if (i > 0)
			buf_addch(&b, ',');
		buf_printf(&b, "%s=%s", res[i].k, res[i].v);
	}
	*out = arena_strndup(a, buf_cstr(&b), b.len);
	buf_release(&b);
	free(m);
	free(d);
	return 0;
}
