/*
 * gotool list: packages (and main modules with -m) in go list's formats.
 * Mirrors cmd/go/internal/list (go1.26): flag checks, -e semantics, -deps
 * order, Deps/DepsErrors collection, ImportMap, -json[=fields] and -f.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/internal.h"
#include "cmd/template.h"
#include "embed/embed.h"
#include "modload/modload.h"
#include "work/work.h"

struct list_flags {
	bool e, deps, find, test, m, u, versions, retracted, compiled, export_, reuse_set;
	char *fmt;
	char *json_fields;       /* NULL: no -json; "" : all fields */
	bool json;
	bool json_all;           /* -json with no field list */
	char *reuse;
};

static int set_json(void *ctx, const char *name, const char *value, struct err *e)
{
	struct list_flags *f = ctx;

	(void)name;
	(void)e;
	free(f->json_fields);
	f->json_fields = NULL;
	if (!value || strcmp(value, "true") == 0 || strcmp(value, "1") == 0 || strcmp(value, "t") == 0 ||
	    strcmp(value, "T") == 0 || strcmp(value, "TRUE") == 0 || strcmp(value, "True") == 0) {
		f->json = true;
		f->json_all = true;
		f->json_fields = xstrdup("");
	} else if (strcmp(value, "false") == 0 || strcmp(value, "0") == 0 || strcmp(value, "f") == 0 ||
	           strcmp(value, "F") == 0 || strcmp(value, "FALSE") == 0 || strcmp(value, "False") == 0) {
		f->json = false;
		f->json_all = false;
	} else {
		/* "-json=" names no field at all: every object prints as {} */
		f->json = true;
		f->json_all = false;
		f->json_fields = xstrdup(value);
	}
	return 0;
}

/* A field list from -json=A,B: does it ask for name? ("" = everything). */
static bool need_field(const struct list_flags *f, const char *name)
{
	const char *s = f->json_fields;
	size_t n = strlen(name);

	if (!f->json)
		return false;
	if (f->json_all)
		return true;
	while (*s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		if (len == n && strncmp(s, name, n) == 0)
			return true;
		s += len;
		if (*s == ',')
			s++;
	}
	return false;
}

/* ---- value trees --------------------------------------------------------- */

struct list_out {
	struct arena *a;
	const struct list_flags *f;
	bool template_mode;
};

static struct val *strs_val(struct arena *a, const struct load_strs *l)
{
	/* Never nil: templates print an empty []string as "[]" (JSON omits it). */
	struct val *v = val_list(a);

	for (size_t i = 0; i < l->n; i++)
		val_list_add(v, val_string(a, l->v[i]));
	return v;
}

static struct val *error_val(struct arena *a, const struct load_error *e)
{
	struct val *v, *stack;

	if (!e) {
		v = val_nil(a);
		v->type = "*load.PackageError";
		v->error_text = "";
		return v;
	}
	v = val_struct(a, "*load.PackageError", true);
	stack = val_list(a);
	for (size_t i = 0; i < e->import_stack.n; i++)
		val_list_add(stack, val_string(a, e->import_stack.v[i]));
	val_field_add(v, "ImportStack", stack, false);
	val_field_add(v, "Pos", val_string(a, e->pos), false);
	val_field_add(v, "Err", val_string(a, e->err), false);
	v->error_text = load_error_text(a, e);
	return v;
}

/* version_string is String's versionString: "v (retracted)" when retracted. */
static void version_string(struct buf *b, const struct load_module *m)
{
	buf_adds(b, m->version);
	if (m->retracted && m->retracted->n)
		buf_adds(b, " (retracted)");
}

/* module_string is ModulePublic.String: "path [version [update]] [(deprecated)] [=> path [version]]". */
static const char *module_string(struct arena *a, const struct load_module *m)
{
	struct buf b = BUF_INIT;
	const char *s;

	buf_adds(&b, m->path);
	if (m->version && m->version[0]) {
		buf_addch(&b, ' ');
		version_string(&b, m);
		if (m->update) {
			buf_adds(&b, " [");
			version_string(&b, m->update);
			buf_addch(&b, ']');
		}
	}
	if (m->deprecated && m->deprecated[0])
		buf_adds(&b, " (deprecated)");
	if (m->replace) {
		buf_printf(&b, " => %s", m->replace->path);
		if (m->replace->version && m->replace->version[0]) {
			buf_addch(&b, ' ');
			version_string(&b, m->replace);
			if (m->replace->update) {
				buf_adds(&b, " [");
				version_string(&b, m->replace->update);
				buf_addch(&b, ']');
			}
		}
		if (m->replace->deprecated && m->replace->deprecated[0])
			buf_adds(&b, " (deprecated)");
	}
	s = arena_strdup(a, b.data);
	buf_release(&b);
	return s;
}


/* time_val is a *time.Time: JSON prints its RFC 3339 text, a template its
 * String() ("2006-01-02 15:04:05 +0000 UTC"), and its methods run on it. */
static struct val *time_val(struct arena *a, const char *rfc3339)
{
	struct val *v = val_string(a, rfc3339);
	struct gotime t;

	v->type = "*time.Time";
	if (gotime_parse_rfc3339(rfc3339, &t) == 0) {
		struct buf b = BUF_INIT;
		gotime_string(&b, &t);
		v->error_text = arena_strdup(a, buf_cstr(&b));
		buf_release(&b);
	}
	return v;
}

static struct val *module_val(struct arena *a, const struct load_module *m)
{
	struct val *v;

	if (!m) {
		v = val_nil(a);
		v->type = "*modinfo.ModulePublic";
		v->error_text = "";
		return v;
	}
	v = val_struct(a, "*modinfo.ModulePublic", true);
	v->error_text = module_string(a, m);
	val_field_add(v, "Path", val_string(a, m->path), true);
	val_field_add(v, "Version", val_string(a, m->version ? m->version : ""), true);
	val_field_add(v, "Query", val_string(a, m->query ? m->query : ""), true);
	val_field_add(v, "Versions", strs_val(a, m->versions ? m->versions : &(struct load_strs){0}), true);
	val_field_add(v, "Replace", module_val(a, m->replace), true);
	val_field_add(v, "Time", m->time ? time_val(a, m->time) : val_nil(a), true);
	val_field_add(v, "Update", module_val(a, m->update), true);
	val_field_add(v, "Main", val_bool(a, m->main), true);
	val_field_add(v, "Indirect", val_bool(a, m->indirect), true);
	val_field_add(v, "Dir", val_string(a, m->dir ? m->dir : ""), true);
	val_field_add(v, "GoMod", val_string(a, m->gomod ? m->gomod : ""), true);
	val_field_add(v, "GoVersion", val_string(a, m->go_version ? m->go_version : ""), true);
	val_field_add(v, "Retracted", strs_val(a, m->retracted ? m->retracted : &(struct load_strs){0}), true);
	val_field_add(v, "Deprecated", val_string(a, m->deprecated ? m->deprecated : ""), true);
	if (m->error) {
		struct val *ev = val_struct(a, "*modinfo.ModuleError", true);
		val_field_add(ev, "Err", val_string(a, m->error), true);
		val_field_add(v, "Error", ev, true);
	} else {
		val_field_add(v, "Error", val_nil(a), true);
	}
	val_field_add(v, "Sum", val_string(a, m->sum ? m->sum : ""), true);
	val_field_add(v, "GoModSum", val_string(a, m->gomod_sum ? m->gomod_sum : ""), true);
	val_field_add(v, "Origin", val_nil(a), true);
	val_field_add(v, "Reuse", val_bool(a, false), true);
	return v;
}

/* Field adders honour -json=fields: a field not asked for is zeroed. */
static void add(struct list_out *o, struct val *s, const char *name, struct val *v)
{
	if (!o->template_mode && !need_field(o->f, name))
		v = val_nil(o->a);
	val_field_add(s, name, v, true);
}

static struct val *package_val(struct list_out *o, const struct load_pkg *p)
{
	struct arena *a = o->a;
	struct val *v = val_struct(a, "*load.PackagePublic", true);

#define S(name, x) add(o, v, name, val_string(a, (x) ? (x) : ""))
#define B(name, x) add(o, v, name, val_bool(a, (x)))
#define L(name, x) add(o, v, name, strs_val(a, &(x)))
	S("Dir", p->dir);
	S("ImportPath", p->import_path);
	S("ImportComment", p->import_comment);
	S("Name", p->name);
	S("Doc", p->doc);
	S("Target", p->target);
	S("Shlib", p->shlib);
	S("Root", p->root);
	S("ConflictDir", p->conflict_dir);
	S("ForTest", p->for_test);
	S("Export", p->export);
	S("BuildID", p->build_id);
	add(o, v, "Module", module_val(a, p->module));
	L("Match", p->match);
	B("Goroot", p->goroot);
	B("Standard", p->standard);
	B("DepOnly", p->dep_only);
	B("BinaryOnly", p->binary_only);
	B("Incomplete", p->incomplete);
	S("DefaultGODEBUG", p->default_godebug);
	B("Stale", p->stale);
	S("StaleReason", p->stale_reason);
	L("GoFiles", p->go_files);
	L("CgoFiles", p->cgo_files);
	L("CompiledGoFiles", p->compiled_go_files);
	L("IgnoredGoFiles", p->ignored_go_files);
	L("InvalidGoFiles", p->invalid_go_files);
	L("IgnoredOtherFiles", p->ignored_other_files);
	L("CFiles", p->c_files);
	L("CXXFiles", p->cxx_files);
	L("MFiles", p->m_files);
	L("HFiles", p->h_files);
	L("FFiles", p->f_files);
	L("SFiles", p->s_files);
	L("SwigFiles", p->swig_files);
	L("SwigCXXFiles", p->swigcxx_files);
	L("SysoFiles", p->syso_files);
	L("EmbedPatterns", p->embed_patterns);
	L("EmbedFiles", p->embed_files);
	L("CgoCFLAGS", p->cgo_cflags);
	L("CgoCPPFLAGS", p->cgo_cppflags);
	L("CgoCXXFLAGS", p->cgo_cxxflags);
	L("CgoFFLAGS", p->cgo_fflags);
	L("CgoLDFLAGS", p->cgo_ldflags);
	L("CgoPkgConfig", p->cgo_pkgconfig);
	L("Imports", p->imports);
	{
		struct val *m = val_map(a);
		for (size_t i = 0; i < p->import_map_keys.n; i++)
			val_field_add(m, p->import_map_keys.v[i], val_string(a, p->import_map_vals.v[i]), false);
		add(o, v, "ImportMap", m);
	}
	L("Deps", p->deps);
	add(o, v, "Error", error_val(a, p->error));
	{
		struct val *l = val_list(a);
		for (size_t i = 0; i < p->deps_errors.n; i++)
			val_list_add(l, error_val(a, p->deps_errors.v[i]));
		add(o, v, "DepsErrors", l);
	}
	L("TestGoFiles", p->test_go_files);
	L("TestImports", p->test_imports);
	L("TestEmbedPatterns", p->test_embed_patterns);
	L("TestEmbedFiles", p->test_embed_files);
	L("XTestGoFiles", p->xtest_go_files);
	L("XTestImports", p->xtest_imports);
	L("XTestEmbedPatterns", p->xtest_embed_patterns);
	L("XTestEmbedFiles", p->xtest_embed_files);
#undef S
#undef B
#undef L
	return v;
}

static struct val *context_val(struct arena *a, const struct cfg *c)
{
	struct val *v = val_struct(a, "*list.Context", true);
	const struct buildctx *x = &c->ctx;

	val_field_add(v, "GOARCH", val_string(a, x->goarch), true);
	val_field_add(v, "GOOS", val_string(a, x->goos), true);
	val_field_add(v, "GOROOT", val_string(a, c->tc.goroot), true);
	val_field_add(v, "GOPATH", val_string(a, c->gopath ? c->gopath : ""), true);
	val_field_add(v, "CgoEnabled", val_bool(a, x->cgo_enabled), true);
	val_field_add(v, "UseAllFiles", val_bool(a, false), true);
	val_field_add(v, "Compiler", val_string(a, x->compiler), true);
	val_field_add(v, "BuildTags", val_strlist(a, x->build_tags.v, x->build_tags.n), true);
	val_field_add(v, "ToolTags", val_strlist(a, x->tool_tags.v, x->tool_tags.n), true);
	val_field_add(v, "ReleaseTags", val_strlist(a, x->release_tags.v, x->release_tags.n), true);
	val_field_add(v, "InstallSuffix", val_string(a, ""), true);
	return v;
}

struct funcs_ctx {
	struct arena *a;
	const struct cfg *cfg;
};

static struct val *fn_context(void *ctx, struct err *e)
{
	(void)e;
	struct funcs_ctx *fc = ctx;
	return context_val(fc->a, fc->cfg);
}

/* list_embed resolves embed patterns for the loader (load_opts.embed). */
static int list_embed(void *ctx, struct arena *a, const char *dir, const char *const *patterns,
                      size_t n, struct load_strs *files, size_t *bad, const char **msg)
{
	struct embed_result r;
	struct err e = ERR_INIT;

	(void)ctx;
	if (embed_resolve(a, dir, NULL, patterns, n, &r, bad, &e) < 0) {
		*msg = arena_strdup(a, err_msg(&e));
		err_clear(&e);
		return -1;
	}
	for (size_t i = 0; i < r.files.n; i++)
		load_strs_push(a, files, r.files.v[i]);
	return 0;
}

/* ---- the command ----------------------------------------------------------- */

static int list_usage(void)
{
	cmd_usage_exit(&cmd_list_cmd);
}

/* list_errorf prints a usage error the way go list does: "go list -x ...". */
static void list_errorf(const char *fmt, ...) PRINTF_LIKE(1, 2);
static void list_errorf(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	base_set_exit_status(1);
}

/* print_pkg_error prints a package error the way base.Errorf("%v", err) does: bare. */
static void print_pkg_error(struct arena *a, const struct load_error *e)
{
	fflush(stdout);
	fprintf(stderr, "%s\n", load_error_text(a, e));
	base_set_exit_status(1);
}

static void compute_import_map(struct load_state *ld, struct load_pkg *p)
{
	struct arena *a = load_arena(ld);

	p->import_map_keys.n = p->import_map_vals.n = 0;
	for (size_t i = 0; i < p->imports.n && i < p->raw_imports.n; i++) {
		if (strcmp(p->imports.v[i], p->raw_imports.v[i]) != 0) {
			/* A map: a later pair for the same key replaces the earlier. */
			size_t k;
			for (k = 0; k < p->import_map_keys.n; k++)
				if (strcmp(p->import_map_keys.v[k], p->raw_imports.v[i]) == 0)
					break;
			if (k < p->import_map_keys.n) {
				p->import_map_vals.v[k] = p->imports.v[i];
				continue;
			}
			load_strs_push(a, &p->import_map_keys, p->raw_imports.v[i]);
			load_strs_push(a, &p->import_map_vals, p->imports.v[i]);
		}
	}
	/* Map keys print sorted; keep the pairs sorted by key. */
	for (size_t i = 1; i < p->import_map_keys.n; i++) {
		for (size_t j = i; j > 0 && strcmp(p->import_map_keys.v[j - 1], p->import_map_keys.v[j]) > 0; j--) {
			const char *t = p->import_map_keys.v[j];
			p->import_map_keys.v[j] = p->import_map_keys.v[j - 1];
			p->import_map_keys.v[j - 1] = t;
			t = p->import_map_vals.v[j];
			p->import_map_vals.v[j] = p->import_map_vals.v[j - 1];
			p->import_map_vals.v[j - 1] = t;
		}
	}
}

static int run_list_m(struct load_state *ld, const struct cfg *cfg, struct list_flags *f, int argc, char **argv,
                      struct tmpl *t, struct funcs_ctx *fc)
{
	struct arena *a = load_arena(ld);
	struct buf out = BUF_INIT;
	struct err e = ERR_INIT;
	struct cmd_mod_list mods = {0};
	const char *graph_err = NULL;
	unsigned mode = 0;

	if (f->u)
		mode |= CMD_LIST_U | CMD_LIST_RETRACTED | CMD_LIST_DEPRECATED;
	if (f->retracted)
		mode |= CMD_LIST_RETRACTED;
	if (f->versions) {
		mode |= CMD_LIST_VERSIONS;
		if (f->retracted)
			mode |= CMD_LIST_RETRACTED_VERSIONS;
	}
	if (!load_has_modroot(ld) && argc == 0) {
		/* module mode with no go.mod (or a go.work using none): the main
		 * module set is command-line-arguments, at the local Go version
		 * (go.work's default, 1.18, in workspace mode) */
		struct load_module *m = arena_new(a, struct load_module);
		m->path = "command-line-arguments";
		m->version = m->dir = m->go_version = "";
		m->go_version = load_workspace_mode(ld) ? "1.18" : arena_strdup(a, cfg->tc.gover);
		m->main = true;
		if (mode & CMD_LIST_VERSIONS) {
			/* -versions queries its path, which is no module path */
			if (mod_check_path(m->path, &e) < 0) {
				base_errorf("%s", err_msg(&e));
				err_clear(&e);
				return 1;
			}
		}
		VEC_PUSH(&mods, m);
	} else if (cmd_list_modules(ld, cfg, argc, argv, mode, &mods, &graph_err) < 0) {
		if (graph_err)
			base_errorf("%s", graph_err);
		VEC_FREE(&mods);
		return 1;
	}
	/* completeFromModCache: each dependency's .info, fetched when missing */
	for (size_t k = 0; k < mods.n; k++)
		load_module_complete(ld, mods.v[k]);
	/* ListModules' commitRequirements (not with -u): outside -mod=mod, a
	 * go.mod that would change is an error */
	if (!graph_err && !(mode & CMD_LIST_U) && load_check_gomod_clean(ld, &e) < 0) {
		graph_err = arena_strdup(a, err_msg(&e));
		err_clear(&e);
	}
	/* ListModules' commitRequirements (not with -u): the go.mod sums the
	 * graph needed go to go.sum (-mod=mod), or go.work.sum in workspace
	 * mode */
	if (!graph_err && !(mode & CMD_LIST_U) && load_write_gosum(ld, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		err_clear(&e);
	}
	if (!f->e) {
		for (size_t k = 0; k < mods.n; k++)
			if (mods.v[k]->error)
				base_errorf("%s", mods.v[k]->error);
		if (graph_err)
			base_errorf("%s", graph_err);
		if (base_exit_status() != 0) {
			VEC_FREE(&mods);
			return base_exit_status();
		}
	}
	for (size_t k = 0; k < mods.n; k++) {
		struct val *v = module_val(a, mods.v[k]);
		buf_reset(&out);
		if (t) {
			if (tmpl_execute(t, &out, v, &(struct tmpl_funcs){fc, fn_context, NULL}, &e) < 0) {
				/* base.Fatalf("%s", err): the template's error alone */
				fwrite(out.data, 1, out.len, stdout);
				fflush(stdout);
				fprintf(stderr, "%s\n", err_msg(&e));
				base_exit(1);
			}
			if (out.len > 0 && out.data[out.len - 1] != '\n')
				buf_addch(&out, '\n');
		} else if (f->json) {
			json_marshal_indent(&out, v, "", "\t");
			buf_addch(&out, '\n');
		} else {
			buf_printf(&out, "%s\n", module_string(a, mods.v[k]));
		}
		fwrite(out.data, 1, out.len, stdout);
	}
	VEC_FREE(&mods);
	buf_release(&out);
	return base_exit_status();
}

/* cmd_test_first_error mirrors TestPackagesFor's search for the package to blame. */
struct load_pkg *cmd_test_first_error(struct load_state *ld, struct load_pkg *const *ps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct load_pkg *p1 = ps[i];
		if (!p1)
			continue;
		if (p1->error)
			return p1;
		if (p1->incomplete) {
			struct load_pkgs all = {0};
			struct load_pkg *bad = NULL;
			load_package_list_deps(ld, &p1, 1, &all);
			for (size_t k = 0; k < all.n && !bad; k++)
				if (all.v[k]->error)
					bad = all.v[k];
			VEC_FREE(&all);
			return bad;
		}
	}
	return NULL;
}

/*
 * put_testmain stores the generated test main where go's build cache keeps
 * it (GOCACHE/xx/<sha256>-d) and returns that path, which go list -test
 * prints as the test main's GoFiles.  The file is content-addressed, so
 * writing the same bytes go would write is safe.
 */
static const char *put_testmain(struct arena *a, const struct cfg *cfg, const struct buf *data, struct err *e)
{
	const char *gocache = cfg_getenv(cfg, "GOCACHE");
	char *def = NULL, *path, *dir;
	const char *res = NULL;
	struct buf old = BUF_INIT;
	struct err ignore = ERR_INIT;

	if (!gocache || !gocache[0]) {
		char *ucd = cfg_user_cache_dir(e);
		if (!ucd)
			return NULL;
		def = path_join(ucd, "go-build");
		free(ucd);
		gocache = def;
	}
	if (strcmp(gocache, "off") == 0) {
		err_setf(e, "GOCACHE=off");
		free(def);
		return NULL;
	}
	path = work_testmain_cache_path(gocache, data->data, data->len);
	dir = path_dir(path);
	if (os_read_file(path, &old, 0, &ignore) < 0 || old.len != data->len ||
	    memcmp(old.data, data->data, data->len) != 0) {
		if (os_mkdir_all(dir, 0777, e) < 0 || os_write_file_atomic(path, data->data, data->len, 0666, e) < 0)
			goto out;
	}
	res = arena_strdup(a, path);
out:
	err_clear(&ignore);
	buf_release(&old);
	free(dir);
	free(path);
	free(def);
	return res;
}

/* add_test_packages is the -test part of runList: test mains, test
 * variants and external tests appended after the roots. */
static int add_test_packages(struct load_state *ld, const struct cfg *cfg, const struct list_flags *f,
                             struct load_pkgs *roots)
{
	struct arena *a = load_arena(ld);
	size_t n = roots->n;

	for (size_t i = 0; i < n; i++) {
		struct load_pkg *p = roots->v[i], *pmain, *ptest, *pxtest;
		struct work_testfuncs *tf = NULL;
		struct err e = ERR_INIT;
		struct buf data = BUF_INIT;

		if (p->test_go_files.n + p->xtest_go_files.n == 0)
			continue;
		load_test_packages(ld, p, &pmain, &ptest, &pxtest);
		if (work_testfuncs_load(a, p->dir, p->import_path, p->test_go_files.v, p->test_go_files.n,
		                        p->xtest_go_files.v, p->xtest_go_files.n, &tf, &e) < 0)
			load_set_testmain_error(ld, pmain, p, tf->err_pos ? tf->err_pos : "",
			                        tf->err_msg ? tf->err_msg : arena_strdup(a, err_msg(&e)));
		err_clear(&e);
		work_testfuncs_set_package(tf, p->module ? p->module->path : "", p->go_files.n + p->cgo_files.n);
		if (work_testmain_format(&data, tf, &e) < 0 && !pmain->error) {
			pmain->error = arena_new(a, struct load_error);
			pmain->error->pos = "";
			pmain->error->err = arena_strdup(a, err_msg(&e));
			pmain->incomplete = true;
		}
		err_clear(&e);
		if (!f->e) {
			struct load_pkg *cand[3] = {ptest, pxtest, pmain};
			struct load_pkg *bad = cmd_test_first_error(ld, cand, 3);
			if (bad) {
				fflush(stdout);
				fprintf(stderr, "%s: can't load test package: %s\n", prog_name,
				        load_error_text(a, bad->error));
				buf_release(&data);
				base_exit(1);
			}
		}
		{
			const char *path = put_testmain(a, cfg, &data, &e);
			buf_release(&data);
			if (!path) {
				fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
				err_clear(&e);
				return -1;
			}
			pmain->go_files.v[0] = path;
		}
		VEC_PUSH(roots, pmain);
		if (ptest != p)
			VEC_PUSH(roots, ptest);
		if (pxtest)
			VEC_PUSH(roots, pxtest);
	}
	return 0;
}

static int run_list(int argc, char **argv)
{
	struct list_flags f = {0};
	struct flag_def list_defs[] = {
		{"e", FLAG_BOOL, &f.e, NULL, "", false},
		{"deps", FLAG_BOOL, &f.deps, NULL, "", false},
		{"find", FLAG_BOOL, &f.find, NULL, "", false},
		{"test", FLAG_BOOL, &f.test, NULL, "", false},
		{"m", FLAG_BOOL, &f.m, NULL, "", false},
		{"u", FLAG_BOOL, &f.u, NULL, "", false},
		{"versions", FLAG_BOOL, &f.versions, NULL, "", false},
		{"retracted", FLAG_BOOL, &f.retracted, NULL, "", false},
		{"compiled", FLAG_BOOL, &f.compiled, NULL, "", false},
		{"export", FLAG_BOOL, &f.export_, NULL, "", false},
		{"f", FLAG_STRING, &f.fmt, NULL, "", false},
		{"json", FLAG_BOOLFUNC, &f, set_json, "", false},
		{"reuse", FLAG_STRING, &f.reuse, NULL, "", false},
	};
	struct build_flags bf = {0};
	struct flag_def defs[64];
	size_t ndefs = countof(list_defs);
	struct cfg cfg;
	struct err e = ERR_INIT;
	struct load_state *ld = NULL;
	struct load_pkgs roots = {0}, all = {0};
	struct load_opts opts = {0};
	struct tmpl *t = NULL;
	struct arena tarena;
	struct buf out = BUF_INIT;
	struct funcs_ctx fc;
	int idx, rc = 1;

	memcpy(defs, list_defs, sizeof list_defs);
	ndefs += build_flags_defs(&bf, defs + ndefs, countof(defs) - ndefs);
	memset(&cfg, 0, sizeof cfg);
	arena_init(&tarena);
	if (cfg_load(&cfg, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		err_clear(&e);
		return 1;
	}
	if (cfg.goflags && cfg.goflags[0] && flag_apply_goflags(defs, ndefs, cfg.goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		list_usage();
	}
	idx = flag_parse(defs, ndefs, argc - 1, argv + 1, &e);
	if (idx == FLAG_HELP)
		list_usage();
	if (idx < 0) {
		fprintf(stderr, "%s\n", err_msg(&e));
		list_usage();
	}
	argc -= 1 + idx;
	argv += 1 + idx;
	if (bf.tags)
		cfg_set_tags(&cfg, bf.tags);
	{
		const char *bad = build_flags_unsupported(&bf);
		if (bad) {
			base_errorf("list %s is not supported yet", bad);
			goto out;
		}
	}

	if (f.fmt && f.json) {
		list_errorf("list -f cannot be used with -json");
		goto out;
	}
	if (f.m) {
		if (f.compiled || f.deps || f.export_ || f.find || f.test) {
			list_errorf("list -%s cannot be used with -m", f.compiled ? "compiled" : f.deps ? "deps" :
			            f.export_ ? "export" : f.find ? "find" : "test");
			goto out;
		}
	} else {
		if (f.u) {
			list_errorf("list -u can only be used with -m");
			goto out;
		}
		if (f.versions) {
			list_errorf("list -versions can only be used with -m");
			goto out;
		}
	}
	if (f.find && f.deps) {
		list_errorf("list -deps cannot be used with -find");
		goto out;
	}
	if (f.find && f.test) {
		list_errorf("list -test cannot be used with -find");
		goto out;
	}
	if (f.find && f.export_) {
		list_errorf("list -export cannot be used with -find");
		goto out;
	}
	if (f.compiled || f.export_) {
		base_errorf("list -%s is not supported yet", f.compiled ? "compiled" : "export");
		goto out;
	}
	if (f.reuse) {
		base_errorf("list -reuse is not supported yet");
		goto out;
	}
	if (f.fmt || (!f.json && (!f.m || f.versions))) {
		const char *fmtstr = f.fmt ? f.fmt : "{{.ImportPath}}";
		if (!f.fmt && f.m)
			fmtstr = f.versions ? "{{.Path}}{{range .Versions}} {{.}}{{end}}{{if .Deprecated}} (deprecated){{end}}"
			                    : "{{.Path}}";
		if (tmpl_parse(&tarena, fmtstr, &t, &e) < 0) {
			fprintf(stderr, "%s\n", err_msg(&e));
			base_exit(2);
		}
	}

	opts.deps = f.deps;
	opts.test = f.test; /* ModResolveTests */
	opts.find = f.find;
	opts.mod_flag = bf.mod;
	opts.x = bf.x;
	/* SuppressEmbedFiles: a -json field list without the embed fields. */
	if (!f.json || need_field(&f, "EmbedFiles") || need_field(&f, "TestEmbedFiles") ||
	    need_field(&f, "XTestEmbedFiles"))
		opts.embed = list_embed;
	opts.modfile = bf.modfile;
	cfg.modcache_rw = bf.modcacherw;
	if (load_state_new(&cfg, &opts, &ld, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		goto out;
	}
	fc.a = load_arena(ld);
	fc.cfg = &cfg;
	if (f.m) {
		rc = run_list_m(ld, &cfg, &f, argc, argv, t, &fc);
		goto out;
	}
	if (load_packages_resolving(&ld, &cfg, &opts, argv, (size_t)argc, &roots, &e) < 0) {
		if (load_error_bare(ld))
			fprintf(stderr, "%s\n", err_msg(&e));
		else
			fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		goto out;
	}

	load_apply_pgo(ld, &roots, bf.pgo && bf.pgo[0] ? bf.pgo : "auto");
	if (!f.e) {
		size_t w = 0;
		for (size_t i = 0; i < roots.n; i++) {
			if (roots.v[i]->error) {
				print_pkg_error(load_arena(ld), roots.v[i]->error);
				continue;
			}
			roots.v[w++] = roots.v[i];
		}
		roots.n = w;
		if (base_exit_status() != 0) {
			rc = 1;
			goto out;
		}
	}
	/* needStale: a builder in list mode fills Stale and StaleReason (of
	 * the dependencies too) before the test packages exist, as in go */
	if ((f.json && (need_field(&f, "Stale") || need_field(&f, "StaleReason"))) ||
	    (f.fmt && strstr(f.fmt, ".Stale")))
		build_list_stale(&cfg, ld, &bf, roots.v, roots.n);
	if (f.test && add_test_packages(ld, &cfg, &f, &roots) < 0)
		goto out;
	for (size_t i = 0; i < roots.n; i++) {
		roots.v[i]->dep_only = false;
		roots.v[i]->cmdline_pkg = true;
	}
	if (f.deps) {
		load_package_list_deps(ld, roots.v, roots.n, &all);
		if (!f.e)
			for (size_t i = 0; i < all.n; i++)
				if (all.v[i]->error)
					print_pkg_error(load_arena(ld), all.v[i]->error);
		for (size_t i = 0; i < all.n; i++)
			all.v[i]->dep_only = !all.v[i]->cmdline_pkg;
	} else {
		for (size_t i = 0; i < roots.n; i++)
			VEC_PUSH(&all, roots.v[i]);
	}
	for (size_t i = 0; i < all.n; i++)
		load_resolve_test_imports(ld, all.v[i]);
	if (f.test || (roots.n > 1 && (!bf.pgo || !bf.pgo[0] || strcmp(bf.pgo, "auto") == 0))) {
		/* go list renames test copies and PGO forks before computing Deps. */
		struct load_pkgs post = {0};
		if (f.deps) {
			load_rename_forks(ld, &all);
		} else {
			load_package_list_deps(ld, all.v, all.n, &post);
			load_rename_forks(ld, &post);
			VEC_FREE(&post);
		}
	}

	{
		bool want_deps = t ? (f.fmt && strstr(f.fmt, ".Deps") != NULL) : need_field(&f, "Deps");
		bool want_errs = t ? (f.fmt && strstr(f.fmt, ".DepsErrors") != NULL) : need_field(&f, "DepsErrors");
		if (t && f.fmt && strstr(f.fmt, "Deps"))
			want_deps = want_errs = true;
		if (want_deps || want_errs) {
			/* list.go: with -deps the listed post-order is used as is
			 * (it matters inside import cycles); else it is computed. */
			struct load_pkgs post = {0};
			if (f.deps) {
				load_collect_deps(ld, &all, want_deps, want_errs);
			} else {
				load_package_list_deps(ld, all.v, all.n, &post);
				load_collect_deps(ld, &post, want_deps, want_errs);
			}
			VEC_FREE(&post);
		}
	}
	for (size_t i = 0; i < all.n; i++)
		compute_import_map(ld, all.v[i]);

	for (size_t i = 0; i < all.n; i++) {
		struct list_out o = {load_arena(ld), &f, t != NULL};
		struct val *v = package_val(&o, all.v[i]);
		buf_reset(&out);
		if (t) {
			if (tmpl_execute(t, &out, v, &(struct tmpl_funcs){&fc, fn_context, NULL}, &e) < 0) {
				fwrite(out.data, 1, out.len, stdout);
				fflush(stdout);
				fprintf(stderr, "%s\n", err_msg(&e));
				base_exit(1);
			}
			if (out.len > 0 && out.data[out.len - 1] != '\n')
				buf_addch(&out, '\n');
		} else {
			json_marshal_indent(&out, v, "", "\t");
			buf_addch(&out, '\n');
		}
		fwrite(out.data, 1, out.len, stdout);
	}
	rc = base_exit_status();
out:
	if (err_isset(&e) && rc == 1)
		base_set_exit_status(1);
	VEC_FREE(&roots);
	VEC_FREE(&all);
	buf_release(&out);
	load_state_free(ld);
	arena_release(&tarena);
	cfg_release(&cfg);
	free(f.fmt);
	free(f.json_fields);
	build_flags_release(&bf);
	free(f.reuse);
	err_clear(&e);
	return rc;
}

const struct command cmd_list_cmd = {
	"list", "list packages or modules",
	"list [-f format] [-json] [-m] [list flags] [build flags] [packages]",
	"List lists the named packages, one per line, exactly as the go command\n"
	"does: by default their import paths; with -f, the output of a Go template\n"
	"executed for each package; with -json, each package as a JSON object.\n"
	"\n"
	"The -deps flag also lists every dependency, in a depth-first post-order\n"
	"walk; -e reports erroneous packages instead of failing; -find resolves\n"
	"packages without loading their imports; -m lists the main modules.\n"
	"The -json flag accepts a comma-separated list of fields to include.\n"
	"\n"
	"Build flags such as -tags and -mod apply as they do to build.\n",
	run_list,
};
