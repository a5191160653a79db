/*
 * `gotool mod`: the dispatch of its subcommands (a table: add a row per
 * subcommand), `mod edit` (modcmd/edit.go) and `mod init` (modcmd/init.go,
 * modload.CreateModFile), go1.26.  The go.mod editing itself is
 * modload/modedit.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/internal.h"
#include "modload/modload.h"

/* ---- what mod edit and work edit share ------------------------------------- */

char *cmd_short_path(const char *path)
{
	char *cwd = os_getwd(), *out = NULL;
	struct buf b = BUF_INIT;
	struct stat st1, st2;

	if (cwd == NULL || path[0] != '/')
		goto out;
	/* filepath.Rel(cwd, path) for two clean absolute paths */
	{
		char *p = path_clean(path);
		size_t i = 0, common = 0;
		while (cwd[i] != '\0' && p[i] != '\0' && cwd[i] == p[i]) {
			i++;
			if (p[i] == '/' || p[i] == '\0')
				if (cwd[i] == '/' || cwd[i] == '\0')
					common = i;
		}
		if (strcmp(cwd, "/") == 0)
			common = 0;
		if (cwd[common] == '\0' && p[common] == '\0') {
			buf_adds(&b, ".");
		} else {
			const char *rest = p[common] == '/' ? p + common + 1 : p + common;
			for (const char *q = cwd + common; *q != '\0'; q++)
				if (*q == '/' && q[1] != '\0')
					buf_adds(&b, b.len ? "/.." : "..");
			if (rest[0] != '\0') {
				if (b.len)
					buf_addch(&b, '/');
				buf_adds(&b, rest);
			}
		}
		free(p);
	}
	if (b.len < strlen(path)) {
		bool a = stat(buf_cstr(&b), &st1) == 0, c = stat(path, &st2) == 0;
		if ((a && c && st1.st_dev == st2.st_dev && st1.st_ino == st2.st_ino) || (!a && !c && errno == ENOENT))
			out = xstrdup(buf_cstr(&b));
	}
out:
	buf_release(&b);
	free(cwd);
	return out ? out : xstrdup(path);
}

int cmd_write_file(const char *path, const struct buf *data, struct err *e)
{
	/* go rewrites the file in place: keep its mode, and write through a symlink */
	char *real = realpath(path, NULL);
	const char *target = real ? real : path;
	struct stat st;
	bool had = stat(target, &st) == 0;
	int rc = os_write_file_atomic(target, buf_cstr(data), data->len, 0666, e);
	if (rc == 0 && had && chmod(target, st.st_mode & 07777) < 0) {
		err_setf(e, "chmod %s: %s", target, os_errstr(errno));
		rc = -1;
	}
	free(real);
	return rc;
}

/* parse_path_version_raw is modload.ParsePathVersion; -1 with the error text in e. */
static int parse_path_version_raw(const char *arg, char **path, char **vers, bool *found, struct err *e)
{
	const char *at = strchr(arg, '@');
	*found = at != NULL;
	if (at == NULL) {
		*path = xstrdup(arg);
		*vers = xstrdup("");
		return 0;
	}
	if (at[1] == '-' || at[1] == '/') {
		struct buf q = BUF_INIT;
		mod_strconv_quote(&q, at + 1);
		err_setf(e, "invalid module version %s", buf_cstr(&q));
		buf_release(&q);
		return -1;
	}
	*path = xstrndup(arg, (size_t)(at - arg));
	*vers = xstrdup(at + 1);
	return 0;
}

static char *trim_space(const char *s)
{
	struct str t = str_trim_space(str_c(s));
	return xstrndup(t.p, t.n);
}

static bool allowed_version_arg(const char *v)
{
	return !mod_must_quote(v);
}

/* fatal_quoted prints "go: -flag=arg: msg" where msg holds one %s for the quoted q, and exits. */
static NORETURN void fatal_q(const char *flag, const char *arg, const char *pre, const char *q, const char *post)
{
	struct buf b = BUF_INIT;
	mod_strconv_quote(&b, q);
	base_fatalf("-%s=%s: %s%s%s", flag, arg, pre, buf_cstr(&b), post);
}

int cmd_parse_path_version_optional(const char *adj, const char *arg, bool allow_dir, bool work,
				    char **path, char **vers, struct err *e)
{
	char *p = NULL, *v = NULL;
	bool found;
	struct err ce = ERR_INIT;

	*path = *vers = NULL;
	if (!work && allow_dir && mod_is_directory_path(arg)) {
		*path = xstrdup(arg);
		*vers = xstrdup("");
		return 0;
	}
	if (parse_path_version_raw(arg, &p, &v, &found, e) < 0)
		return -1;
	if (found) {
		char *tp = trim_space(p), *tv = trim_space(v);
		free(p);
		free(v);
		p = tp;
		v = tv;
	}
	if (mod_check_import_path(p, &ce) < 0 && (!work || !allow_dir || !mod_is_directory_path(p))) {
		err_setf(e, "invalid %s path: %s", adj, err_msg(&ce));
		goto fail;
	}
	err_clear(&ce);
	if (strcmp(p, arg) != 0 && !allowed_version_arg(v)) {
		struct buf q = BUF_INIT;
		mod_strconv_quote(&q, v);
		err_setf(e, "invalid %s version: %s", adj, buf_cstr(&q));
		buf_release(&q);
		goto fail;
	}
	*path = p;
	*vers = v;
	return 0;
fail:
	err_clear(&ce);
	free(p);
	free(v);
	return -1;
}

/* ---- mod edit ------------------------------------------------------------------ */

enum edit_kind {
	E_GODEBUG, E_DROPGODEBUG, E_REQUIRE, E_DROPREQUIRE, E_EXCLUDE, E_DROPEXCLUDE, E_REPLACE,
	E_DROPREPLACE, E_RETRACT, E_DROPRETRACT, E_TOOL, E_DROPTOOL, E_IGNORE, E_DROPIGNORE, E_USE, E_DROPUSE,
};

/* One editing flag, validated when it was parsed (as go's flag funcs do). */
struct edit_op {
	enum edit_kind kind;
	char *arg;        /* the flag's value as given */
	char *a, *b, *c, *d;
};

struct edit_state {
	VEC(struct edit_op) ops;
	bool work;
};

static void edit_state_release(struct edit_state *st)
{
	for (size_t i = 0; i < st->ops.n; i++) {
		struct edit_op *o = &st->ops.v[i];
		free(o->arg);
		free(o->a);
		free(o->b);
		free(o->c);
		free(o->d);
	}
	VEC_FREE(&st->ops);
}

static void push_op(struct edit_state *st, enum edit_kind k, const char *arg, char *a, char *b, char *c, char *d)
{
	struct edit_op o = {k, xstrdup(arg), a, b, c, d};
	VEC_PUSH(&st->ops, o);
}

/* parse_path_version is modcmd's parsePathVersion. */
static void parse_path_version(const char *flag, const char *arg, char **path, char **vers)
{
	struct err e = ERR_INIT;
	char *p, *v;
	bool found;
	if (parse_path_version_raw(arg, &p, &v, &found, &e) < 0)
		base_fatalf("-%s=%s: %s", flag, arg, err_msg(&e));
	if (!found)
		base_fatalf("-%s=%s: need path@version", flag, arg);
	*path = trim_space(p);
	*vers = trim_space(v);
	free(p);
	free(v);
	if (mod_check_import_path(*path, &e) < 0)
		base_fatalf("-%s=%s: invalid path: %s", flag, arg, err_msg(&e));
	if (!allowed_version_arg(*vers))
		fatal_q(flag, arg, "invalid version ", *vers, "");
}

/* parse_path is modcmd's parsePath. */
static char *parse_path(const char *flag, const char *arg)
{
	struct err e = ERR_INIT;
	if (strchr(arg, '@') != NULL)
		base_fatalf("-%s=%s: need just path, not path@version", flag, arg);
	if (mod_check_import_path(arg, &e) < 0)
		base_fatalf("-%s=%s: invalid path: %s", flag, arg, err_msg(&e));
	return xstrdup(arg);
}

/* parse_interval is modcmd's parseVersionInterval. */
static void parse_interval(const char *flag, const char *arg, char **low, char **high)
{
	size_t n = strlen(arg);
	if (arg[0] != '[') {
		if (!allowed_version_arg(arg))
			fatal_q(flag, arg, "invalid version: ", arg, "");
		*low = xstrdup(arg);
		*high = xstrdup(arg);
		return;
	}
	const char *comma = strchr(arg, ',');
	if (n < 2 || arg[n - 1] != ']' || comma == NULL || comma > arg + n - 1)
		fatal_q(flag, arg, "invalid version interval: ", arg, "");
	char *l = xstrndup(arg + 1, (size_t)(comma - arg - 1));
	char *h = xstrndup(comma + 1, (size_t)(arg + n - 1 - comma - 1));
	*low = trim_space(l);
	*high = trim_space(h);
	free(l);
	free(h);
	if (!allowed_version_arg(*low) || !allowed_version_arg(*high))
		fatal_q(flag, arg, "invalid version interval: ", arg, "");
}

static void parse_replace(struct edit_state *st, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct err e = ERR_INIT;
	char *old, *new, *op, *ov, *np, *nv;
	if (eq == NULL)
		base_fatalf("-replace=%s: need old[@v]=new[@w] (missing =)", arg);
	{
		char *o = xstrndup(arg, (size_t)(eq - arg));
		old = trim_space(o);
		new = trim_space(eq + 1);
		free(o);
	}
	if (new[0] == '>')
		base_fatalf("-replace=%s: separator between old and new is =, not =>", arg);
	if (cmd_parse_path_version_optional("old", old, false, st->work, &op, &ov, &e) < 0)
		base_fatalf("-replace=%s: %s", arg, err_msg(&e));
	if (cmd_parse_path_version_optional("new", new, true, st->work, &np, &nv, &e) < 0)
		base_fatalf("-replace=%s: %s", arg, err_msg(&e));
	if (strcmp(np, new) == 0 && !mod_is_directory_path(new))
		base_fatalf("-replace=%s: unversioned new path must be local directory", arg);
	push_op(st, E_REPLACE, arg, op, ov, np, nv);
	free(old);
	free(new);
}

static int set_edit(void *ctx, const char *name, const char *arg, struct err *e)
{
	struct edit_state *st = ctx;
	char *a = NULL, *b = NULL;
	(void)e;
	if (strcmp(name, "godebug") == 0) {
		const char *eq = strchr(arg, '=');
		if (eq == NULL || strpbrk(arg, "\"`',") != NULL)
			base_fatalf("-godebug=%s: need key=value", arg);
		push_op(st, E_GODEBUG, arg, xstrndup(arg, (size_t)(eq - arg)), xstrdup(eq + 1), NULL, NULL);
	} else if (strcmp(name, "dropgodebug") == 0) {
		push_op(st, E_DROPGODEBUG, arg, xstrdup(arg), NULL, NULL, NULL);
	} else if (strcmp(name, "require") == 0 || strcmp(name, "exclude") == 0 || strcmp(name, "dropexclude") == 0) {
		parse_path_version(name, arg, &a, &b);
		push_op(st, name[0] == 'r' ? E_REQUIRE : name[0] == 'e' ? E_EXCLUDE : E_DROPEXCLUDE, arg, a, b, NULL, NULL);
	} else if (strcmp(name, "droprequire") == 0) {
		push_op(st, E_DROPREQUIRE, arg, parse_path(name, arg), NULL, NULL, NULL);
	} else if (strcmp(name, "replace") == 0) {
		parse_replace(st, arg);
	} else if (strcmp(name, "dropreplace") == 0) {
		struct err pe = ERR_INIT;
		if (cmd_parse_path_version_optional("old", arg, true, st->work, &a, &b, &pe) < 0)
			base_fatalf("-dropreplace=%s: %s", arg, err_msg(&pe));
		push_op(st, E_DROPREPLACE, arg, a, b, NULL, NULL);
	} else if (strcmp(name, "retract") == 0 || strcmp(name, "dropretract") == 0) {
		parse_interval(name, arg, &a, &b);
		push_op(st, name[0] == 'r' ? E_RETRACT : E_DROPRETRACT, arg, a, b, NULL, NULL);
	} else if (strcmp(name, "tool") == 0) {
		push_op(st, E_TOOL, arg, parse_path(name, arg), NULL, NULL, NULL);
	} else if (strcmp(name, "droptool") == 0) {
		push_op(st, E_DROPTOOL, arg, parse_path(name, arg), NULL, NULL, NULL);
	} else if (strcmp(name, "ignore") == 0) {
		push_op(st, E_IGNORE, arg, xstrdup(arg), NULL, NULL, NULL);
	} else if (strcmp(name, "dropignore") == 0) {
		push_op(st, E_DROPIGNORE, arg, xstrdup(arg), NULL, NULL, NULL);
	} else if (strcmp(name, "use") == 0) {
		push_op(st, E_USE, arg, xstrdup(arg), NULL, NULL, NULL);
	} else if (strcmp(name, "dropuse") == 0) {
		push_op(st, E_DROPUSE, arg, xstrdup(arg), NULL, NULL, NULL);
	}
	return 0;
}

void *cmd_edit_state_new(bool work)
{
	struct edit_state *st = xcalloc(1, sizeof *st);
	st->work = work;
	return st;
}

void cmd_edit_state_free(void *p)
{
	if (p != NULL) {
		edit_state_release(p);
		free(p);
	}
}

size_t cmd_edit_state_len(const void *p)
{
	return ((const struct edit_state *)p)->ops.n;
}

int cmd_edit_set_flag(void *ctx, const char *name, const char *arg, struct err *e)
{
	return set_edit(ctx, name, arg, e);
}

/* to_directory_path is modload.ToDirectoryPath (heap). */
static char *to_directory_path(const char *p)
{
	if (mod_is_directory_path(p))
		return xstrdup(p);
	char *c = path_clean(p), *r = xasprintf("./%s", c);
	free(c);
	return r;
}

void cmd_edit_apply(struct mod_edit *f, const void *stp)
{
	const struct edit_state *st = stp;
	struct err e = ERR_INIT;
	for (size_t i = 0; i < st->ops.n; i++) {
		const struct edit_op *o = &st->ops.v[i];
		switch (o->kind) {
		case E_GODEBUG:
			mod_edit_add_godebug(f, o->a, o->b);
			break;
		case E_DROPGODEBUG:
			mod_edit_drop_godebug(f, o->a);
			break;
		case E_REQUIRE:
			mod_edit_add_require(f, o->a, o->b);
			break;
		case E_DROPREQUIRE:
			mod_edit_drop_require(f, o->a);
			break;
		case E_EXCLUDE:
			if (mod_edit_add_exclude(f, o->a, o->b, &e) < 0)
				base_fatalf("-exclude=%s: %s", o->arg, err_msg(&e));
			break;
		case E_DROPEXCLUDE:
			mod_edit_drop_exclude(f, o->a, o->b);
			break;
		case E_REPLACE:
			mod_edit_add_replace(f, o->a, o->b, o->c, o->d);
			break;
		case E_DROPREPLACE:
			mod_edit_drop_replace(f, o->a, o->b);
			break;
		case E_RETRACT:
			if (mod_edit_add_retract(f, o->a, o->b, "", &e) < 0)
				base_fatalf("-retract=%s: %s", o->arg, err_msg(&e));
			break;
		case E_DROPRETRACT:
			mod_edit_drop_retract(f, o->a, o->b);
			break;
		case E_TOOL:
			mod_edit_add_tool(f, o->a);
			break;
		case E_DROPTOOL:
			mod_edit_drop_tool(f, o->a);
			break;
		case E_IGNORE:
			mod_edit_add_ignore(f, o->a);
			break;
		case E_DROPIGNORE:
			mod_edit_drop_ignore(f, o->a);
			break;
		case E_USE: {
			char *d = to_directory_path(o->a);
			mod_edit_add_use(f, d, "");
			free(d);
			break;
		}
		case E_DROPUSE: {
			char *d = to_directory_path(o->a);
			mod_edit_drop_use(f, d);
			free(d);
			break;
		}
		}
	}
}

/* ---- JSON (json.MarshalIndent with tabs) ---- */

static void jstr(struct buf *b, const char *s)
{
	json_quote(b, s, strlen(s));
}

static void jfield(struct buf *b, int ind, const char *name, const char *val, bool *first)
{
	if (!*first)
		buf_adds(b, ",\n");
	*first = false;
	for (int i = 0; i < ind; i++)
		buf_addch(b, '\t');
	buf_printf(b, "\"%s\": ", name);
	if (val != NULL)
		jstr(b, val);
}

static void jindent(struct buf *b, int ind)
{
	for (int i = 0; i < ind; i++)
		buf_addch(b, '\t');
}

/* jmodule writes a module.Version object at depth ind (Version omitempty). */
static void jmodule(struct buf *b, int ind, const char *path, const char *version)
{
	bool first = true;
	buf_adds(b, "{\n");
	jfield(b, ind + 1, "Path", path, &first);
	if (version != NULL && version[0] != '\0')
		jfield(b, ind + 1, "Version", version, &first);
	buf_addch(b, '\n');
	jindent(b, ind);
	buf_addch(b, '}');
}

/* jlist starts a list field: "null" when n == 0, else "[\n" (the caller closes it). */
static bool jlist(struct buf *b, const char *name, size_t n, bool *first)
{
	jfield(b, 1, name, NULL, first);
	if (n == 0) {
		buf_adds(b, "null");
		return false;
	}
	buf_adds(b, "[\n");
	return true;
}

static void jlist_item(struct buf *b, size_t i)
{
	if (i > 0)
		buf_adds(b, ",\n");
	jindent(b, 2);
}

static void jlist_end(struct buf *b)
{
	buf_addch(b, '\n');
	jindent(b, 1);
	buf_addch(b, ']');
}

static void edit_print_json(const struct mod_edit *f, struct buf *b)
{
	bool first = true, f2;
	buf_adds(b, "{\n");
	if (!f->work) {
		jfield(b, 1, "Module", NULL, &first);
		buf_adds(b, "{\n");
		f2 = true;
		jfield(b, 2, "Path", f->module ? f->module : "", &f2);
		if (f->module && f->deprecated && f->deprecated[0])
			jfield(b, 2, "Deprecated", f->deprecated, &f2);
		buf_addch(b, '\n');
		jindent(b, 1);
		buf_addch(b, '}');
	}
	if (f->go != NULL && f->go[0] != '\0')
		jfield(b, 1, "Go", f->go, &first);
	if (!f->work) {
		if (f->toolchain != NULL && f->toolchain[0] != '\0')
			jfield(b, 1, "Toolchain", f->toolchain, &first);
		if (f->godebugs.n > 0) {
			jlist(b, "GoDebug", f->godebugs.n, &first);
			for (size_t i = 0; i < f->godebugs.n; i++) {
				jlist_item(b, i);
				buf_adds(b, "{\n");
				f2 = true;
				jfield(b, 3, "Key", f->godebugs.v[i]->key, &f2);
				jfield(b, 3, "Value", f->godebugs.v[i]->value, &f2);
				buf_adds(b, "\n\t\t}");
			}
			jlist_end(b);
		}
		if (jlist(b, "Require", f->requires.n, &first)) {
			for (size_t i = 0; i < f->requires.n; i++) {
				const struct mod_edit_req *r = f->requires.v[i];
				jlist_item(b, i);
				buf_adds(b, "{\n");
				f2 = true;
				jfield(b, 3, "Path", r->path, &f2);
				if (r->version[0])
					jfield(b, 3, "Version", r->version, &f2);
				if (r->indirect) {
					jfield(b, 3, "Indirect", NULL, &f2);
					buf_adds(b, "true");
				}
				buf_adds(b, "\n\t\t}");
			}
			jlist_end(b);
		}
		if (jlist(b, "Exclude", f->excludes.n, &first)) {
			for (size_t i = 0; i < f->excludes.n; i++) {
				jlist_item(b, i);
				jmodule(b, 2, f->excludes.v[i]->path, f->excludes.v[i]->version);
			}
			jlist_end(b);
		}
	} else {
		if (jlist(b, "Use", f->uses.n, &first)) {
			for (size_t i = 0; i < f->uses.n; i++) {
				jlist_item(b, i);
				buf_adds(b, "{\n");
				f2 = true;
				jfield(b, 3, "DiskPath", f->uses.v[i]->path, &f2);
				if (f->uses.v[i]->version[0])
					jfield(b, 3, "ModPath", f->uses.v[i]->version, &f2);
				buf_adds(b, "\n\t\t}");
			}
			jlist_end(b);
		}
	}
	if (jlist(b, "Replace", f->replaces.n, &first)) {
		for (size_t i = 0; i < f->replaces.n; i++) {
			const struct mod_edit_replace *r = f->replaces.v[i];
			jlist_item(b, i);
			buf_adds(b, "{\n");
			f2 = true;
			jfield(b, 3, "Old", NULL, &f2);
			jmodule(b, 3, r->old.path, r->old.version);
			jfield(b, 3, "New", NULL, &f2);
			jmodule(b, 3, r->new.path, r->new.version);
			buf_adds(b, "\n\t\t}");
		}
		jlist_end(b);
	}
	if (!f->work) {
		if (jlist(b, "Retract", f->retracts.n, &first)) {
			for (size_t i = 0; i < f->retracts.n; i++) {
				const struct mod_edit_retract *r = f->retracts.v[i];
				jlist_item(b, i);
				f2 = true;
				if (!r->low[0] && !r->high[0] && !r->rationale[0]) {
					buf_adds(b, "{}");
					continue;
				}
				buf_adds(b, "{\n");
				if (r->low[0])
					jfield(b, 3, "Low", r->low, &f2);
				if (r->high[0])
					jfield(b, 3, "High", r->high, &f2);
				if (r->rationale[0])
					jfield(b, 3, "Rationale", r->rationale, &f2);
				buf_adds(b, "\n\t\t}");
			}
			jlist_end(b);
		}
		const char *names[] = {"Tool", "Ignore"};
		for (int k = 0; k < 2; k++) {
			const struct mod_edit_path *const *v = k == 0 ? (const struct mod_edit_path *const *)f->tools.v
							     : (const struct mod_edit_path *const *)f->ignores.v;
			size_t n = k == 0 ? f->tools.n : f->ignores.n;
			if (jlist(b, names[k], n, &first)) {
				for (size_t i = 0; i < n; i++) {
					jlist_item(b, i);
					buf_adds(b, "{\n");
					f2 = true;
					jfield(b, 3, "Path", v[i]->path ? v[i]->path : "", &f2);
					buf_adds(b, "\n\t\t}");
				}
				jlist_end(b);
			}
		}
	}
	buf_adds(b, "\n}\n");
}

void cmd_edit_print_json(const struct mod_edit *f)
{
	struct buf b = BUF_INIT;
	edit_print_json(f, &b);
	fwrite(buf_cstr(&b), 1, b.len, stdout);
	buf_release(&b);
}

/* Flags of `mod edit`. */
struct mod_edit_flags {
	bool fmt, json, print, n, x, modcacherw;
	char *go, *toolchain, *module, *modfile;
	struct edit_state st;
};

static const struct command mod_edit_cmd;

static int run_mod_edit(int argc, char **argv)
{
	struct mod_edit_flags fl;
	struct err e = ERR_INIT;
	struct cfg c;
	char *gomod = NULL, *sp = NULL;
	struct mod_edit *f = NULL;
	struct buf out = BUF_INIT, data = BUF_INIT;
	int rc, first;

	memset(&fl, 0, sizeof fl);
	struct flag_def defs[] = {
		{"fmt", FLAG_BOOL, &fl.fmt, NULL, "", false},
		{"go", FLAG_STRING, &fl.go, NULL, "", false},
		{"toolchain", FLAG_STRING, &fl.toolchain, NULL, "", false},
		{"json", FLAG_BOOL, &fl.json, NULL, "", false},
		{"print", FLAG_BOOL, &fl.print, NULL, "", false},
		{"module", FLAG_STRING, &fl.module, NULL, "", false},
		{"godebug", FLAG_FUNC, &fl.st, set_edit, "", false},
		{"dropgodebug", FLAG_FUNC, &fl.st, set_edit, "", false},
		{"require", FLAG_FUNC, &fl.st, set_edit, "", false},
		{"droprequire", FLAG_FUNC, &fl.st, set_edit, "", false},
		{"exclude", FLAG_FUNC, &fl.st, set_edit, "", false},
		{"dropexclude", FLAG_FUNC, &fl.st, set_edit, "", false},
		{"replace", FLAG_FUNC, &fl.st, set_edit, "", false},
		{"dropreplace", FLAG_FUNC, &fl.st, set_edit, "", false},
		{"retract", FLAG_FUNC, &fl.st, set_edit, "", false},
		{"dropretract", FLAG_FUNC, &fl.st, set_edit, "", false},
		{"tool", FLAG_FUNC, &fl.st, set_edit, "", false},
		{"droptool", FLAG_FUNC, &fl.st, set_edit, "", false},
		{"ignore", FLAG_FUNC, &fl.st, set_edit, "", false},
		{"dropignore", FLAG_FUNC, &fl.st, set_edit, "", false},
		{"n", FLAG_BOOL, &fl.n, NULL, "", false},
		{"x", FLAG_BOOL, &fl.x, NULL, "", false},
		{"C", FLAG_FUNC, NULL, cmd_chdir_not_first, "", false},
		{"modcacherw", FLAG_BOOL, &fl.modcacherw, NULL, "", false},
		{"modfile", FLAG_STRING, &fl.modfile, NULL, "", false},
	};

	if ((rc = cmd_load_cfg(&c)) != 0)
		return rc;
	if (flag_apply_goflags(defs, countof(defs), c.goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		cmd_usage_exit(&mod_edit_cmd);
	}
	first = flag_parse(defs, countof(defs), argc - 1, argv + 1, &e);
	if (first < 0) {
		if (first != FLAG_HELP)
			fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(&mod_edit_cmd);
	}
	argc -= 1 + first;
	argv += 1 + first;

	bool any = (fl.module && fl.module[0]) || (fl.go && fl.go[0]) || (fl.toolchain && fl.toolchain[0]) ||
		   fl.json || fl.print || fl.fmt || fl.st.ops.n > 0;
	if (!any)
		base_fatalf("no flags specified (see '%s help mod edit').", prog_name);
	if (fl.json && fl.print)
		base_fatalf("cannot use both -json and -print");
	if (argc > 1)
		base_fatalf("too many arguments");
	if (argc == 1) {
		gomod = xstrdup(argv[0]);
	} else {
		const char *g111 = cfg_getenv(&c, "GO111MODULE");
		char *wd = os_getwd(), *found = NULL;
		if (g111 != NULL && strcmp(g111, "off") == 0)
			base_fatalf("modules disabled by GO111MODULE=off; see '%s help modules'", prog_name);
		found = wd ? mod_find_main_gomod(wd) : NULL;
		free(wd);
		/* ModFilePath: HasModRoot runs modload.Init's -modfile checks */
		if (found == NULL && fl.modfile && fl.modfile[0])
			base_fatalf("cannot find main module, but -modfile was set.\n"
			            "\t-modfile cannot be used to set the module root directory.");
		if (found == NULL)
			base_fatalf("go.mod file not found in current directory or any parent directory; see '%s help modules'",
				    prog_name);
		if (fl.modfile && fl.modfile[0] && !has_suffix(fl.modfile, ".mod"))
			base_fatalf("-modfile=%s: file does not have .mod extension", fl.modfile);
		if (fl.modfile && fl.modfile[0]) {
			free(found);
			found = xstrdup(fl.modfile);
		}
		gomod = found;
	}
	if (fl.module && fl.module[0]) {
		if (mod_check_import_path(fl.module, &e) < 0)
			base_fatalf("invalid -module: %s", err_msg(&e));
		if (strcmp(fl.module, "go") == 0 || strcmp(fl.module, "toolchain") == 0)
			base_fatalf("invalid -module: module path is reserved");
	}
	if (fl.go && fl.go[0] && strcmp(fl.go, "none") != 0 && !mod_go_version_ok(fl.go)) {
		fflush(stdout);
		fprintf(stderr, "%s mod: invalid -go option; expecting something like \"-go %s\"\n", prog_name, c.tc.gover);
		base_exit(1);
	}
	if (fl.toolchain && fl.toolchain[0] && strcmp(fl.toolchain, "none") != 0 && !mod_toolchain_ok(fl.toolchain)) {
		fflush(stdout);
		fprintf(stderr, "%s mod: invalid -toolchain option; expecting something like \"-toolchain go%s\"\n",
			prog_name, c.tc.gover);
		base_exit(1);
	}
	if (os_read_file(gomod, &data, 0, &e) < 0)
		base_fatalf("%s", err_msg(&e));
	if (mod_edit_parse(gomod, buf_cstr(&data), data.len, false, &f, &e) < 0) {
		sp = cmd_short_path(gomod);
		base_fatalf("errors parsing %s:\n%s", sp, err_msg(&e));
	}
	if (fl.module && fl.module[0])
		mod_edit_add_module(f, fl.module);
	if (fl.go && strcmp(fl.go, "none") == 0)
		mod_edit_drop_go(f);
	else if (fl.go && fl.go[0] && mod_edit_add_go(f, fl.go, &e) < 0)
		base_fatalf("internal error: %s", err_msg(&e));
	if (fl.toolchain && strcmp(fl.toolchain, "none") == 0)
		mod_edit_drop_toolchain(f);
	else if (fl.toolchain && fl.toolchain[0] && mod_edit_add_toolchain(f, fl.toolchain, &e) < 0)
		base_fatalf("internal error: %s", err_msg(&e));
	cmd_edit_apply(f, &fl.st);
	mod_edit_sort_blocks(f);
	mod_edit_cleanup(f);
	if (fl.json) {
		cmd_edit_print_json(f);
		rc = 0;
		goto out;
	}
	mod_edit_format(f, &out);
	if (fl.print) {
		fwrite(buf_cstr(&out), 1, out.len, stdout);
		rc = 0;
		goto out;
	}
	{
		/* lockedfile.Transform: refuse if the file changed meanwhile */
		struct buf now = BUF_INIT;
		if (os_read_file(gomod, &now, 0, &e) < 0)
			base_fatalf("%s", err_msg(&e));
		if (now.len != data.len || memcmp(buf_cstr(&now), buf_cstr(&data), data.len) != 0) {
			buf_release(&now);
			base_fatalf("go.mod changed during editing; not overwriting");
		}
		buf_release(&now);
		if (!(data.len == out.len && memcmp(buf_cstr(&data), buf_cstr(&out), out.len) == 0) &&
		    cmd_write_file(gomod, &out, &e) < 0)
			base_fatalf("%s", err_msg(&e));
	}
	rc = 0;
out:
	buf_release(&out);
	mod_edit_free(f);
	buf_release(&data);
	free(gomod);
	free(sp);
	free(fl.go);
	free(fl.toolchain);
	free(fl.module);
	free(fl.modfile);
	edit_state_release(&fl.st);
	cfg_release(&c);
	return rc;
}

static const struct command mod_edit_cmd = {
	"mod edit", "edit go.mod from tools or scripts", "mod edit [editing flags] [-fmt|-print|-json] [go.mod]",
	"Edit provides a command-line interface for editing go.mod,\n"
	"for use primarily by tools or scripts. It reads only go.mod;\n"
	"it does not look up information about the modules involved.\n"
	"By default, edit reads and writes the go.mod file of the main module,\n"
	"but a different target file can be specified after the editing flags.\n"
	"\n"
	"The editing flags are those of 'go mod edit': -fmt, -module, -go,\n"
	"-toolchain, -godebug, -dropgodebug, -require, -droprequire, -exclude,\n"
	"-dropexclude, -replace, -dropreplace, -retract, -dropretract, -tool,\n"
	"-droptool, -ignore and -dropignore, applied in the order given; -print\n"
	"prints the result in its text format and -json as JSON instead of\n"
	"writing go.mod. The output is byte for byte that of go.\n",
	run_mod_edit,
};

/* ---- the mod dispatch ------------------------------------------------------------ */

const struct command *const cmd_mod_subs[] = {
	&cmd_mod_download_cmd,
	&mod_edit_cmd,
	&cmd_mod_graph_cmd,
	&cmd_mod_init_cmd,
	&cmd_mod_tidy_cmd,
	&cmd_mod_vendor_cmd,
	&cmd_mod_verify_cmd,
	&cmd_mod_why_cmd,
};
const size_t cmd_mod_nsubs = countof(cmd_mod_subs);

static void mod_usage(FILE *fp)
{
	fprintf(fp, "Go mod provides access to operations on modules.\n\n"
		    "Usage:\n\n\t%s mod <command> [arguments]\n\nThe commands are:\n\n", prog_name);
	for (size_t i = 0; i < countof(cmd_mod_subs); i++)
		fprintf(fp, "\t%-11s %s\n", cmd_mod_subs[i]->name + 4, cmd_mod_subs[i]->short_help);
	fprintf(fp, "\nUse \"%s help mod <command>\" for more information about a command.\n\n", prog_name);
}

static int run_mod(int argc, char **argv)
{
	return cmd_run_sub(cmd_mod_subs, countof(cmd_mod_subs), mod_usage, argc, argv);
}

const struct command cmd_mod_cmd = {
	"mod", "module maintenance", "mod <command> [arguments]",
	"Go mod provides access to operations on modules.\n"
	"\n"
	"The commands are:\n"
	"\n"
	"\tdownload    download modules to local cache\n"
	"\tedit        edit go.mod from tools or scripts\n"
	"\tgraph       print module requirement graph\n"
	"\tinit        initialize new module in current directory\n"
	"\ttidy        add missing and remove unused modules\n"
	"\tvendor      make vendored copy of dependencies\n"
	"\tverify      verify dependencies have expected content\n"
	"\twhy         explain why packages or modules are needed\n"
	"\n"
	"Use \"gotool help mod <command>\" for more information about a command.\n",
	run_mod,
};
