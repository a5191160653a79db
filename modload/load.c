/*
 * Package loading: import paths to directories, packages to their imports,
 * patterns to packages.  Mirrors cmd/go/internal/load (loadImport,
 * Package.load, reusePackage, disallowInternal/Vendor) and the package side
 * of cmd/go/internal/modload (importFromModules, matchPackages) for go1.26.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "modload/load_internal.h"

struct arena *load_arena(struct load_state *ld)
{
	return &ld->arena;
}

bool load_error_bare(struct load_state *ld)
{
	return ld->err_bare;
}

bool load_has_modroot(struct load_state *ld)
{
	return ld->has_modroot;
}

bool load_workspace_mode(struct load_state *ld)
{
	return ld->workspace;
}

const char *load_mod_mode(struct load_state *ld, const char **reason)
{
	if (reason)
		*reason = ld->mod_reason;
	return ld->mod_mode ? ld->mod_mode : "";
}

struct load_module *load_vendor_module(struct load_state *ld, const char *path)
{
	return map_get(&ld->vendor_mods, path);
}

struct load_module *load_vendor_selected(struct load_state *ld, const char *path)
{
	struct load_module *m = load_vendor_module(ld, path);
	const char *v = NULL;

	if (m && m->vendored_pkgs)
		return m;
	if (ld->workspace || !ld->roots_loaded)
		return NULL;
	if (m && load_root_selected(ld, path, &v) && strcmp(v, m->version) == 0)
		return m;
	return NULL;
}

bool load_missing_imports(struct load_state *ld)
{
	const char *proxy = cfg_getenv(ld->cfg, "GOPROXY");

	/* with GOPROXY=off missing_mod is set only for a path whose module
	 * is replaced (load_prefix_replaced): the query answers from there */
	return ld->missing_mod && (load_fetch_enabled(ld) || (proxy && strcmp(proxy, "off") == 0)) &&
	       !ld->workspace && ld->mains.n == 1;
}

int load_packages_resolving(struct load_state **ldp, const struct cfg *cfg, const struct load_opts *opts,
                            char *const *patterns, size_t npatterns, struct load_pkgs *out, struct err *e)
{
	struct load_opts again;
	struct load_strs roots = {0};
	struct strvec errs = {0};
	bool changed = false, all = false;
	int rc;

	if (load_packages(*ldp, patterns, npatterns, out, e) < 0)
		return -1;
	if (!load_missing_imports(*ldp) && !(*ldp)->reqs_dirty)
		return 0;
	/* the command-line packages; for .go files named on the command
	 * line, their imports (ImportFromFiles) */
	for (size_t i = 0; i < out->n; i++) {
		const struct load_pkg *p = out->v[i];
		if (p->standard)
			continue;
		if (strcmp(p->import_path, "command-line-arguments") != 0) {
			load_strs_push(&(*ldp)->arena, &roots, p->import_path);
			continue;
		}
		for (size_t j = 0; j < p->raw_imports.n; j++)
			if (!load_strs_contains(&roots, p->raw_imports.v[j]))
				load_strs_push(&(*ldp)->arena, &roots, p->raw_imports.v[j]);
	}
	for (size_t i = 0; i < npatterns; i++)
		all = all || strcmp(patterns[i], "all") == 0;
	if (load_resolve_missing(*ldp, &roots, opts->test, all, &errs, &changed) < 0) {
		strvec_clear(&errs);
		base_exit(1);
	}
	again = *opts;
	again.missing_errs = errs;
	load_state_free(*ldp);
	*ldp = NULL;
	free(out->v);
	memset(out, 0, sizeof *out);
	rc = load_state_new(cfg, &again, ldp, e);
	strvec_clear(&errs);
	if (rc < 0)
		return -1;
	return load_packages(*ldp, patterns, npatterns, out, e);
}

size_t load_main_modules(struct load_state *ld, struct load_module ***out)
{
	*out = ld->mains.v;
	return ld->mains.n;
}

/* ---- errors ---------------------------------------------------------- */

static struct load_error *error_new(struct load_state *ld, const char *msg)
{
	struct load_error *e = arena_new(&ld->arena, struct load_error);

	e->pos = "";
	e->err = msg;
	for (size_t i = 0; i < ld->stack.n; i++) {
		load_strs_push(&ld->arena, &e->import_stack, ld->stack.v[i].pkg);
		load_strs_push(&ld->arena, &e->stack_files, ld->stack.v[i].pos_file);
	}
	return e;
}

const char *load_error_text(struct arena *a, const struct load_error *e)
{
	struct buf b = BUF_INIT;
	const char *res;

	if (e->pos[0] && (e->import_stack.n == 0 || !e->always_print_stack))
		return arena_printf(a, "%s: %s", e->pos, e->err);
	if (e->import_stack.n == 0)
		return e->err;
	buf_adds(&b, "package ");
	for (size_t i = 0; i < e->import_stack.n; i++) {
		if (i > 0)
			buf_adds(&b, "\n\timports ");
		buf_adds(&b, e->import_stack.v[i]);
		if (e->is_import_cycle && e->stack_files.v[i][0])
			buf_printf(&b, " from %s", e->stack_files.v[i]);
	}
	if (e->pos[0])
		buf_printf(&b, "\n\t%s", e->pos);
	buf_printf(&b, ": %s", e->err);
	res = arena_strdup(a, b.data);
	buf_release(&b);
	return res;
}

static const char *pos_string(struct load_state *ld, const struct load_pos *pos)
{
	if (!pos)
		return "";
	return arena_printf(&ld->arena, "%s:%d:%d", short_path(ld, pos->file), pos->line, pos->col);
}

static void stack_push(struct load_state *ld, const char *pkg, const struct load_pos *pos)
{
	struct load_stack_entry ent = {pkg, pos ? path_base(pos->file) : ""};
	VEC_PUSH(&ld->stack, ent);
}

static void stack_pop(struct load_state *ld)
{
	CHECK(ld->stack.n > 0);
	ld->stack.n--;
}

/* set_error mirrors Package.load's setError: the first error wins. */
static void set_error(struct load_state *ld, struct load_pkg *p, const char *path,
                      const struct load_pos *import_pos, const char *msg)
{
	if (p->error)
		return;
	p->error = error_new(ld, msg);
	p->incomplete = true;
	if (ld->stack.n > 0 && strcmp(path, ld->stack.v[ld->stack.n - 1].pkg) != 0 && import_pos)
		p->error->pos = pos_string(ld, import_pos);
}

/* ---- resolution ------------------------------------------------------- */

/* dir_in_module mirrors modload dirInModule: the directory for path inside
 * the module modpath rooted at root, or NULL; local modules stop at nested
 * go.mod files. */
static char *dir_in_module(struct load_state *ld, const char *path, const char *modpath, const char *root, bool is_local,
                           bool *has_go)
{
	char *dir;
	size_t n = strlen(modpath);

	*has_go = false;
	if (strcmp(path, modpath) == 0) {
		dir = xstrdup(root);
	} else if (n == 0) {
		dir = path_join(root, path);
	} else if (strncmp(path, modpath, n) == 0 && path[n] == '/') {
		dir = path_join(root, path + n + 1);
	} else {
		return NULL;
	}
	if (is_local) {
		char *d = xstrdup(dir);
		while (strcmp(d, root) != 0 && strlen(d) > strlen(root)) {
			char *gomod = path_join(d, "go.mod");
			bool found = os_is_regular(gomod);
			free(gomod);
			if (found) {
				free(d);
				return dir; /* *has_go stays false: not in this module */
			}
			char *up = path_dir(d);
			free(d);
			d = up;
		}
		free(d);
	}
	/* Any *.go regular file, build tags ignored; answered from the run's
	 * directory listings (load_dir_has_go_files). */
	*has_go = load_dir_has_go_files(ld, dir);
	return dir;
}

char *load_dir_in_module(struct load_state *ld, const char *path, const char *modpath, const char *root,
                         bool is_local, bool *has_go)
{
	return dir_in_module(ld, path, modpath, root, is_local, has_go);
}

struct resolved {
	const char *path;          /* resolved import path */
	const char *dir;           /* "" when not found */
	struct load_module *module;
	const char *mod_root;
	const char *err;           /* lookup error, or NULL */
	/* err is a plain error of importFromModules (the module graph's, or
	 * the download of the module that provides the package): reported at
	 * the import, never with a stack */
	bool at_import;
};

static bool is_local_import(const char *path)
{
	return strcmp(path, ".") == 0 || strcmp(path, "..") == 0 || has_prefix(path, "./") ||
	       has_prefix(path, "../");
}

/* std_vendor mirrors modload's stdVendor: std packages see their vendored copies. */
static const char *std_vendor(struct load_state *ld, const char *parent_path, const char *path)
{
	char *dir;
	bool ok;

	if (mod_is_std_path(path))
		return path;
	if (has_prefix(parent_path, "cmd/") || strcmp(parent_path, "cmd") == 0) {
		dir = xasprintf("%s/vendor/%s", ld->goroot_src_cmd, path);
		ok = load_dir_is_dir(ld, dir);
		free(dir);
		if (ok)
			return arena_printf(&ld->arena, "cmd/vendor/%s", path);
	} else {
		dir = xasprintf("%s/vendor/%s", ld->goroot_src, path);
		ok = load_dir_is_dir(ld, dir);
		free(dir);
		if (ok)
			return arena_printf(&ld->arena, "vendor/%s", path);
	}
	return path;
}

/* load_prefix_replaced reports whether a main module (or go.work) replaces
 * some version of a module path that is a prefix of path: its query
 * answers from the replacements even with GOPROXY=off (replacementRepo
 * treats the proxy's refusal as no versions). */
bool load_prefix_replaced(struct load_state *ld, const char *path)
{
	for (size_t m = 0; m <= ld->mains.n; m++) {
		const struct mod_file *f = m < ld->mains.n ? ld->mains.v[m]->file : ld->workspace ? ld->work : NULL;
		for (size_t i = 0; f && i < f->replaces.n; i++)
			if (path_has_prefix_dir(path, f->replaces.v[i].old.path))
				return true;
	}
	return false;
}

/* missing_error mirrors modload ImportMissingError.Error for a path no
 * module provides (importFromModules' readonly/vendor branch, and the
 * query that -mod=mod would run). */
static const char *missing_error(struct load_state *ld, const char *path, const struct load_replace_dir *replaced)
{
	struct arena *a = &ld->arena;
	const char *query_err = NULL;

	if (strcmp(ld->mod_mode, "mod") == 0) {
		const char *proxy = cfg_getenv(ld->cfg, "GOPROXY");
		/* the query's answer from the load before this one */
		for (size_t i = 0; i + 1 < ld->opts.missing_errs.n; i += 2)
			if (strcmp(ld->opts.missing_errs.v[i], path) == 0)
				return arena_strdup(a, ld->opts.missing_errs.v[i + 1]);
		if (!proxy || strcmp(proxy, "off") != 0 || load_prefix_replaced(ld, path)) {
			/* resolveMissingImports' queries run once the packages are
			 * loaded (load_resolve_missing); the caller loads again */
			ld->missing_mod = true;
			return arena_printf(a, "cannot find module providing package %s", path);
		}
		if (!map_has(&ld->finding, path)) {
			/* modload queries a literal command-line path once while
			 * matching patterns and again while loading */
			int times = map_has(&ld->root_literals, path) ? 2 : 1;
			map_put(&ld->finding, intern_str(&ld->in, path), (void *)path);
			fflush(stdout);
			for (int i = 0; i < times; i++)
				fprintf(stderr, "%s: finding module for package %s\n", prog_name, path);
		}
		return arena_printf(a, "cannot find module providing package %s: module lookup disabled by GOPROXY=off", path);
	}
	/* queryImport finds the replacement holding the package before it
	 * refuses to look further (a readonly ImportMissingError without a
	 * query error) */
	if (replaced)
		return arena_printf(a, "module %s provides package %s and is replaced but not required; to add it:\n\tgo get %s%s%s",
		                    replaced->old_path, path, replaced->old_path,
		                    replaced->old_version[0] ? "@" : "", replaced->old_version);
	if (ld->mod_explicit)
		query_err = arena_printf(a, "import lookup disabled by -mod=%s", ld->mod_mode);
	else if (ld->mod_reason)
		query_err = arena_printf(a, "import lookup disabled by -mod=%s\n\t(%s)", ld->mod_mode, ld->mod_reason);
	if (query_err)
		return arena_printf(a, "cannot find module providing package %s: %s", path, query_err);
	{
		/* ImportingMainModule: the nearest main module up the import
		 * stack; outside the module holding the current directory the
		 * suggestion starts with a cd to it */
		const struct load_module *im = NULL, *cwd_mod = NULL;
		size_t best = 0;
		for (size_t i = ld->stack.n; i-- > 0 && !im;) {
			const struct load_pkg *p = map_get(&ld->pkgs, ld->stack.v[i].pkg);
			if (p && p->module && p->module->main)
				im = p->module;
		}
		for (size_t i = 0; i < ld->mains.n; i++) {
			const char *dir = ld->mains.v[i]->dir;
			size_t n = strlen(dir);
			if ((strcmp(ld->cwd, dir) == 0 || (strncmp(ld->cwd, dir, n) == 0 && ld->cwd[n] == '/')) && n >= best) {
				cwd_mod = ld->mains.v[i];
				best = n;
			}
		}
		if (im && im != cwd_mod)
			return arena_printf(a, "no required module provides package %s; to add it:\n\tcd %s\n\tgo get %s",
			                    path, im->dir, path);
	}
	return arena_printf(a, "no required module provides package %s; to add it:\n\tgo get %s", path, path);
}

/* A list of import candidates (struct resolved). */
struct resolved_vec {
	struct resolved *v;
	size_t n, cap;
};

bool load_replace_dir_required(struct load_state *ld, struct load_replace_dir *rd)
{
	struct mod_graph *g = NULL;
	struct err e = ERR_INIT;
	const char *v;

	if (rd->decided)
		return rd->required;
	rd->decided = true;
	/* settled: a version-less replacement of a required module, and a
	 * versioned one below the required version */
	if (*rd->old_version ? !rd->required : rd->req_version != NULL)
		return rd->required;
	/* importFromModules: in a pruned module a root's version is the
	 * one used; otherwise the module graph's selected version */
	if (*rd->old_version && !ld->workspace && load_module_roots(ld, &e) == 0 && ld->pruned && rd->req_version) {
		rd->required = strcmp(rd->req_version, rd->old_version) == 0;
		return rd->required;
	}
	err_clear(&e);
	if (load_module_graph(ld, NULL, &g, &e) < 0 && !g) {
		err_clear(&e);
		return rd->required;
	}
	err_clear(&e);
	v = mod_graph_selected(g, rd->old_path);
	if (*rd->old_version) {
		rd->required = strcmp(v, rd->old_version) == 0;
	} else if (strcmp(v, "none") != 0) {
		/* a version-less replacement of a module the graph selects */
		rd->required = true;
		rd->mod->version = arena_strdup(&ld->arena, v);
	}
	return rd->required;
}

/* dep_candidates adds the hits of the modules prefix@version (for each
 * prefix of path that version_of selects) to hits: importFromModules'
 * loop over module prefixes.  Directory replacements are left to the
 * replace_dirs loop.  -1 with r->err set on a module that cannot be
 * fetched. */
static int dep_candidates(struct load_state *ld, const char *path, struct mod_graph *g, struct resolved_vec *hits,
                          struct load_strs *sum_err_mods, struct resolved *r)
{
	struct arena *a = &ld->arena;
	char *prefix = xstrdup(path);
	int rc = -1;

	for (;;) {
		const char *v = NULL;
		char *slash;
		bool is_main = false;
		for (size_t i = 0; i < ld->mains.n; i++)
			if (strcmp(ld->mains.v[i]->path, prefix) == 0)
				is_main = true;
		if (g) {
			v = mod_graph_selected(g, prefix);
			if (strcmp(v, "none") == 0)
				v = NULL;
		} else {
			load_root_selected(ld, prefix, &v);
		}
		if (v && !is_main && strcmp(v, "none") != 0) {
			struct load_module *m = load_dep_module(ld, prefix, v);
			if (!(m->replace && !*m->replace->version)) {
				const char *root;
				struct err e = ERR_INIT;
				bool has_go;
				char *dir;
				if (!load_module_has_sum(ld, m)) {
					/* fetch's sumMissingError: decided after the loop */
					load_strs_push(a, sum_err_mods, m->path);
					goto next;
				}
				if (load_module_dir(ld, m, &root, &e) < 0) {
					r->err = arena_strdup(a, err_msg(&e));
					r->at_import = true;
					err_clear(&e);
					goto out;
				}
				dir = dir_in_module(ld, path, prefix, root, false, &has_go);
				if (dir && has_go) {
					struct resolved h = {r->path, arena_strdup(a, dir), m, root, NULL, false};
					VEC_PUSH(hits, h);
				}
				free(dir);
			}
		}
	next:
		slash = strrchr(prefix, '/');
		if (!slash)
			break;
		*slash = 0;
	}
	rc = 0;
out:
	free(prefix);
	return rc;
}

/* highest_replaced is HighestReplaced()[path]: the highest version the
 * main modules (and go.work) replace path at, "" for a replacement of
 * every version. */
static const char *highest_replaced(struct load_state *ld, const char *path)
{
	const char *best = NULL;

	for (size_t m = 0; m <= ld->mains.n; m++) {
		const struct mod_file *f = m < ld->mains.n ? ld->mains.v[m]->file : ld->workspace ? ld->work : NULL;
		for (size_t i = 0; f && i < f->replaces.n; i++) {
			const struct mod_version *o = &f->replaces.v[i].old;
			if (strcmp(o->path, path) == 0 &&
			    (!best || mod_compare_version(path, o->version, best) > 0))
				best = o->version;
		}
	}
	return best ? best : "";
}

/* missing_sum_error is ImportMissingSumError.Error with the importer the
 * loader fills in (its module version; -t for a test's import). */
static const char *missing_sum_error(struct load_state *ld, const char *path, const char *parent_path,
                                     const struct load_strs *mods, bool found)
{
	struct arena *a = &ld->arena;
	struct buf b = BUF_INIT;
	struct load_pkg *parent = parent_path ? map_get(&ld->pkgs, parent_path) : NULL;
	const char *res;

	if (found)
		buf_printf(&b, "missing go.sum entry needed to verify package %s", path);
	else
		buf_printf(&b, "missing go.sum entry for module providing package %s", path);
	if (parent_path && *parent_path)
		buf_printf(&b, " (imported by %s)", parent_path);
	if (found)
		buf_adds(&b, " is provided by exactly one module");
	if (!parent_path || !*parent_path) {
		buf_adds(&b, "; to add:\n\tgo mod download");
		/* go lists them shortest path first */
		for (size_t i = mods->n; i-- > 0;)
			buf_printf(&b, " %s", mods->v[i]);
	} else {
		const char *v = parent && parent->module && parent->module->version ? parent->module->version : "";
		buf_printf(&b, "; to add:\n\tgo get %s%s%s%s", ld->test_importer ? "-t " : "", parent_path, *v ? "@" : "", v);
	}
	res = arena_strdup(a, b.data);
	buf_release(&b);
	return res;
}

/* modules_lookup adds the dependency modules providing path to hits: in a
 * pruned module or a workspace (whose roots are its modules) the roots
 * first, then (nothing found) the full graph. */
static int modules_lookup(struct load_state *ld, const char *parent_path, const char *path,
                          struct resolved_vec *hits, struct resolved *r)
{
	struct mod_graph *g = NULL;
	struct err e = ERR_INIT;
	size_t before = hits->n;
	struct load_strs sum_err = {0};

	if (load_module_roots(ld, &e) < 0) {
		r->err = arena_strdup(&ld->arena, err_msg(&e));
		err_clear(&e);
		return -1;
	}
	if (load_modules_pruned(ld) || ld->ws_pruning) {
		if (dep_candidates(ld, path, NULL, hits, &sum_err, r) < 0)
			return -1;
		if (hits->n > before + 1)
			return 0; /* ambiguous */
		if (sum_err.n > 0)
			goto sum_error;
		if (hits->n > 0)
			return 0;
	}
	if (load_module_graph(ld, NULL, &g, &e) < 0) {
		r->err = arena_strdup(&ld->arena, err_msg(&e));
		r->at_import = true;
		err_clear(&e);
		return -1;
	}
	/* the roots' hits are found again in the full graph */
	hits->n = before;
	sum_err.n = 0;
	if (dep_candidates(ld, path, g, hits, &sum_err, r) < 0)
		return -1;
	if (hits->n > before + 1 || sum_err.n == 0)
		return 0;
sum_error:
	r->err = missing_sum_error(ld, path, parent_path, &sum_err, hits->n > before);
	return -1;
}

/* check_import_path is mod_check_import_path remembering the paths it
 * accepted (ld->valid_paths); a rejected path is checked again, for its
 * message. */
static int check_import_path(struct load_state *ld, const char *path, struct err *e)
{
	if (map_has(&ld->valid_paths, path))
		return 0;
	if (mod_check_import_path(path, e) < 0)
		return -1;
	map_put(&ld->valid_paths, intern_str(&ld->in, path), (void *)1);
	return 0;
}

/* std_may_be_ambiguous reports whether a module other than the standard
 * library could also provide the standard package path: a main module
 * (outside GOROOT) or a directory replacement whose path is a prefix of
 * it, or the vendor directory. */
static bool std_may_be_ambiguous(struct load_state *ld, const char *path)
{
	if (ld->vendor_dir)
		return true;
	for (size_t i = 0; i < ld->mains.n; i++) {
		const struct load_module *m = ld->mains.v[i];
		if (strcmp(m->path, "std") != 0 && strcmp(m->path, "cmd") != 0 && path_has_prefix_dir(path, m->path))
			return true;
	}
	for (size_t i = 0; i < ld->replace_dirs.n; i++)
		if (path_has_prefix_dir(path, ld->replace_dirs.v[i].old_path))
			return true;
	return false;
}

static const char *main_go_version(struct load_state *ld);

static void resolve_import(struct load_state *ld, const char *parent_path, bool parent_is_std,
                           const char *path, struct resolved *r)
{
	struct arena *a = &ld->arena;
	struct resolved_vec hits = {0};
	struct load_replace_dir *replaced = NULL;
	struct resolved std = {0};

	memset(r, 0, sizeof *r);
	r->dir = "";
	if (parent_is_std)
		path = std_vendor(ld, parent_path, path);
	r->path = intern_str(&ld->in, path);

	/* load.loadPackageData refuses these before any lookup */
	if (has_prefix(path, "mod/")) {
		r->err = arena_printf(a, "disallowed import path \"%s\"", path);
		return;
	}
	if (strchr(path, '@')) {
		r->err = "can only use path@version syntax with 'go get' and 'go install' in module-aware mode";
		return;
	}
	if (is_local_import(path)) {
		r->err = arena_printf(a, "\"%s\" is relative, but relative import paths are not supported in module mode", path);
		return;
	}
	if (path_is_abs(path)) {
		r->err = arena_printf(a, "\"%s\" is not a package path; see 'go help packages'", path);
		return;
	}
	if (strcmp(path, "std") == 0 || strcmp(path, "cmd") == 0 || strcmp(path, "all") == 0 ||
	    strcmp(path, "tool") == 0 || strcmp(path, "work") == 0) {
		r->err = arena_printf(a, "\"%s\" is not an importable package; see 'go help packages'", path);
		return;
	}
	if (strcmp(path, "C") == 0)
		return;
	{
		struct err e = ERR_INIT;
		if (check_import_path(ld, path, &e) < 0) {
			/* invalidImportError prints CheckImportPath's own text */
			r->err = arena_strdup(a, err_msg(&e));
			err_clear(&e);
			return;
		}
	}

	if (mod_is_std_path(path)) {
		char *dir = path_join(ld->goroot_src, path);
		/* Answered from directory listings (the GOROOT scan index when warm). */
		if (load_dir_has_go_files(ld, dir)) {
			r->dir = arena_strdup(a, dir);
			r->mod_root = (has_prefix(path, "cmd/") || strcmp(path, "cmd") == 0)
			              ? ld->goroot_src_cmd : ld->goroot_src;
			free(dir);
			if (!std_may_be_ambiguous(ld, path))
				return;
			/* importFromModules goes on looking: another module with
			 * the package makes the import ambiguous */
			std = *r;
			r->dir = "";
			r->mod_root = NULL;
		} else {
			free(dir);
		}
	}
	/* the module loader leaves out the magic appengine imports (scanDir):
	 * modload.Lookup has no package for one imported, errMissing */
	if (parent_path[0] && (strcmp(path, "appengine") == 0 || has_prefix(path, "appengine/") ||
	                       strcmp(path, "appengine_internal") == 0 || has_prefix(path, "appengine_internal/"))) {
		r->err = "cannot find package";
		r->at_import = true;
		return;
	}

	/* the standard library's, first (in vendor mode it stays first) */
	if (std.dir)
		VEC_PUSH(&hits, std);
	/* Main modules (and their directory replacements). */
	for (size_t i = 0; i < ld->mains.n; i++) {
		struct load_module *m = ld->mains.v[i];
		bool has_go;
		char *dir = dir_in_module(ld, path, m->path, m->dir, true, &has_go);
		if (dir && has_go) {
			struct resolved h = {r->path, arena_strdup(a, dir), m, m->dir, NULL, false};
			VEC_PUSH(&hits, h);
		}
		free(dir);
	}
	for (size_t i = 0; i < ld->replace_dirs.n && !ld->vendor_dir; i++) {
		struct load_replace_dir *rd = &ld->replace_dirs.v[i];
		bool has_go;
		char *dir = dir_in_module(ld, path, rd->old_path, rd->dir, true, &has_go);
		if (dir && has_go && !load_replace_dir_required(ld, rd)) {
			/* queryImport's "replaced but not required" suggestion: the
			 * module's highest replaced version, when it holds the package */
			if (!replaced && strcmp(rd->old_version, highest_replaced(ld, rd->old_path)) == 0)
				replaced = rd;
		} else if (dir && has_go) {
			/* one replacement per module: go.work's (recorded first), then
			 * the first that applies */
			bool dup = false;
			for (size_t k = 0; k < hits.n && !dup; k++)
				dup = hits.v[k].module && strcmp(hits.v[k].module->path, rd->old_path) == 0;
			if (!dup) {
				struct resolved h = {r->path, arena_strdup(a, dir), rd->mod, rd->dir, NULL, false};
				VEC_PUSH(&hits, h);
			}
		}
		free(dir);
	}
	if (!ld->vendor_dir && ld->has_modroot && ld->mains.n > 0 && !mod_is_std_path(path) &&
	    modules_lookup(ld, parent_path, path, &hits, r) < 0)
		goto out;
	if (ld->vendor_dir) {
		bool has_go;
		char *dir = dir_in_module(ld, path, "", ld->vendor_dir, false, &has_go);
		struct load_module *vm = map_get(&ld->vendor_pkgs, r->path);
		if (dir && has_go && (vm || tc_version_compare(main_go_version(ld), "1.23") < 0)) {
			struct resolved h = {r->path, arena_strdup(a, dir), vm, ld->vendor_dir, NULL, false};
			VEC_PUSH(&hits, h);
		} else if (dir && has_go && !map_has(&ld->vendor_ignored, r->path)) {
			/* go 1.23 and later import only the vendored packages
			 * vendor/modules.txt lists */
			map_put(&ld->vendor_ignored, r->path, (void *)r->path);
			fflush(stdout);
			fprintf(stderr, "%s: ignoring package %s which exists in the vendor directory but is missing from "
			        "vendor/modules.txt. To sync the vendor directory run go %s vendor.\n",
			        prog_name, r->path, ld->workspace ? "work" : "mod");
		}
		free(dir);
	}
	if (hits.n == 1) {
		*r = hits.v[0];
		/* importFromModules loads the go.mod of the one module providing
		 * the package (its go version): a go.sum entry it lacks is the
		 * import's error */
		if (!ld->vendor_dir && r->module && !r->module->main && r->module->version && *r->module->version) {
			struct err se = ERR_INIT;
			const struct mod_version *reqs;
			size_t n;
			if (load_module_summary(ld, (struct mod_version){r->module->path, r->module->version}, &reqs, &n,
			                        NULL, NULL, &se) < 0) {
				r->err = arena_strdup(a, err_msg(&se));
				r->at_import = true;
				r->dir = "";
				r->module = NULL;
				r->mod_root = NULL;
			}
			err_clear(&se);
		}
	} else if (hits.n > 1) {
		struct buf b = BUF_INIT;
		/* AmbiguousImportError lists the shortest module path first,
		 * the standard library's last */
		for (size_t i = 1; !ld->vendor_dir && i < hits.n; i++) {
			for (size_t j = i; j > 0; j--) {
				size_t lj = hits.v[j].module ? strlen(hits.v[j].module->path) : SIZE_MAX;
				size_t lp = hits.v[j - 1].module ? strlen(hits.v[j - 1].module->path) : SIZE_MAX;
				if (lj >= lp)
					break;
				struct resolved t = hits.v[j];
				hits.v[j] = hits.v[j - 1];
				hits.v[j - 1] = t;
			}
		}
		buf_printf(&b, "ambiguous import: found package %s in multiple %s:", path,
		           ld->vendor_dir ? "directories" : "modules");
		for (size_t i = 0; i < hits.n; i++) {
			if (ld->vendor_dir)
				buf_printf(&b, "\n\t%s", hits.v[i].dir);
			else
				buf_printf(&b, "\n\t%s%s%s (%s)", hits.v[i].module ? hits.v[i].module->path : "",
				           hits.v[i].module && hits.v[i].module->version && *hits.v[i].module->version ? " " : "",
				           hits.v[i].module && hits.v[i].module->version ? hits.v[i].module->version : "",
				           hits.v[i].dir);
		}
		r->err = arena_strdup(a, b.data);
		buf_release(&b);
	} else if (mod_is_std_path(path)) {
		r->err = arena_printf(a, "package %s is not in std (%s/%s)", path, ld->goroot_src, path);
	} else if (!ld->has_modroot) {
		/* Outside a module go reports the missing go.mod instead. */
		r->err = arena_printf(a, "no required module provides package %s: go.mod file not found "
		                      "in current directory or any parent directory; see 'go help modules'",
		                      path);
	} else {
		r->err = missing_error(ld, path, replaced);
	}
out:
	VEC_FREE(&hits);
}

/* in_std_main reports whether r, a standard package, belongs to the main
 * module std (go run in $GOROOT/src): importFromModules gives a package
 * the main module's dirInModule finds there that module. */
static bool in_std_main(struct load_state *ld, const struct resolved *r)
{
	if (r->module || !mod_is_std_path(r->path) || !path_has_prefix_dir(r->dir, ld->goroot_src) ||
	    path_has_prefix_dir(r->dir, ld->goroot_src_cmd))
		return false;
	for (size_t i = 0; i < ld->mains.n; i++)
		if (strcmp(ld->mains.v[i]->dir, ld->goroot_src) == 0)
			return true;
	return false;
}

/* all_add queues the package path (resolved from importer parent) for
 * the "all" closure unless it is already known. */
static void all_add(struct load_state *ld, struct map *seen, struct map *in_main,
                    struct load_strs *queue, const struct load_pkg *parent, const char *path)
{
	struct resolved r;
	bool parent_std = parent && path_has_prefix_dir(parent->dir, ld->goroot_src) &&
	                  mod_is_std_path(parent->import_path);
	struct err e = ERR_INIT;

	if (strcmp(path, "C") == 0)
		return;
	resolve_import(ld, parent ? parent->import_path : "", parent_std, path, &r);
	if (map_has(seen, r.path))
		return;
	/* computePatternAll leaves out invalid import paths */
	if (check_import_path(ld, r.path, &e) < 0) {
		err_clear(&e);
		return;
	}
	map_put(seen, r.path, (void *)r.path);
	load_strs_push(&ld->arena, queue, r.path);
	if (r.dir[0] && !r.err) {
		load_prescan(ld, r.dir, r.path);
		if ((r.module && r.module->main) || in_std_main(ld, &r))
			map_put(in_main, r.path, (void *)r.path);
	}
}

/* load_match_all mirrors modload's loader with allPatternIsRoot: packages
 * are in "all" when a main module holds them or an "all" package (or the
 * test of a main-module package) imports them.  Only scanning happens
 * here, so loading the matches later builds the same import stacks as go. */
void load_match_all(struct load_state *ld, const struct load_strs *mains, struct load_strs *out)
{
	struct map seen, in_main;
	struct load_strs queue = {0};
	const char *gov = ld->workspace ? (ld->work->go ? ld->work->go : "1.18")
	                  : ld->mains.n == 1 && ld->mains.v[0]->go_version[0] ? ld->mains.v[0]->go_version : "1.16";
	bool closes_over_tests = !ld->vendor_dir && tc_version_compare(gov, "1.16") < 0;

	map_init(&seen);
	map_init(&in_main);
	for (size_t i = 0; i < mains->n; i++)
		all_add(ld, &seen, &in_main, &queue, NULL, mains->v[i]);
	for (size_t i = 0; i < queue.n; i++) {
		struct load_pkg *p = map_get(&ld->prescanned, queue.v[i]);
		if (!p || !p->dir[0])
			continue;
		for (size_t k = 0; k < p->imports.n; k++)
			all_add(ld, &seen, &in_main, &queue, p, p->imports.v[k]);
		if (closes_over_tests || map_has(&in_main, queue.v[i])) {
			for (size_t k = 0; k < p->test_imports.n; k++)
				all_add(ld, &seen, &in_main, &queue, p, p->test_imports.v[k]);
			for (size_t k = 0; k < p->xtest_imports.n; k++)
				all_add(ld, &seen, &in_main, &queue, p, p->xtest_imports.v[k]);
		}
	}
	for (size_t i = 0; i < queue.n; i++)
		load_strs_push(&ld->arena, out, queue.v[i]);
	load_strs_sort(out);
	map_release(&seen);
	map_release(&in_main);
}

/* ---- loading ---------------------------------------------------------- */

struct load_pkg *load_pkg_new(struct load_state *ld, const char *import_path)
{
	struct load_pkg *p = arena_new(&ld->arena, struct load_pkg);

	p->import_path = import_path;
	p->dir = p->name = p->doc = p->root = "";
	p->import_comment = p->target = p->shlib = p->conflict_dir = p->for_test = "";
	p->export = p->build_id = p->default_godebug = p->stale_reason = "";
	p->mod_root = "";
	map_init(&p->import_pos);
	map_init(&p->test_import_pos);
	map_init(&p->xtest_import_pos);
	map_init(&p->embed_pos);
	map_init(&p->test_embed_pos);
	map_init(&p->xtest_embed_pos);
	return p;
}

static const struct load_pos *first_pos(struct map *m, const char *key)
{
	return key ? map_get(m, key) : NULL;
}

static struct load_pkg *load_import(struct load_state *ld, struct load_pkg *parent, const char *path,
                                    const struct load_pos *import_pos, struct load_error **perr);

static bool safe_arg(const char *s)
{
	/* load.SafeArg: no leading '-', and an ASCII first byte must be alphanumeric
	 * or one of "._/" ; non-ASCII is fine. */
	unsigned char c = (unsigned char)s[0];

	if (c == 0)
		return true;
	if (c >= 0x80)
		return true;
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '/';
}

/* fold mirrors str.ToFold closely enough for ASCII paths: lower-case. */
static char *fold(const char *s)
{
	char *f = xstrdup(s);
	for (char *q = f; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	return f;
}

static bool must_link_external(const struct buildctx *ctx)
{
	/* internal/platform.MustLinkExternal(goos, goarch, false) */
	if (strcmp(ctx->goos, "android") == 0 && strcmp(ctx->goarch, "arm64") != 0)
		return true;
	if (strcmp(ctx->goos, "ios") == 0 && strcmp(ctx->goarch, "arm64") == 0)
		return true;
	return false;
}

static bool default_pie(const struct buildctx *ctx)
{
	const char *os = ctx->goos;
	return strcmp(os, "android") == 0 || strcmp(os, "ios") == 0 || strcmp(os, "windows") == 0 ||
	       strcmp(os, "darwin") == 0;
}

static bool internal_link_pie(const struct buildctx *ctx)
{
	static const char *const ok[] = {
		"android/arm64", "darwin/amd64", "darwin/arm64", "linux/amd64", "linux/arm64",
		"linux/loong64", "linux/ppc64le", "windows/386", "windows/amd64", "windows/arm64",
	};
	char t[64];

	snprintf(t, sizeof t, "%s/%s", ctx->goos, ctx->goarch);
	for (size_t i = 0; i < countof(ok); i++)
		if (strcmp(ok[i], t) == 0)
			return true;
	return false;
}

/* external_linking_reason mirrors load.externalLinkingReason for the
 * default build mode: the target, PIE, then main package p's -ldflags
 * (-linkmode=external; p NULL: not looked at). */
static const char *external_linking_reason(struct load_state *ld, const struct load_pkg *p)
{
	const struct buildctx *ctx = ld->ctx;

	if (must_link_external(ctx))
		return arena_printf(&ld->arena, "%s/%s", ctx->goos, ctx->goarch);
	if (default_pie(ctx) && !internal_link_pie(ctx))
		return "default PIE binary";
	if (p && ld->opts.linkmode)
		return ld->opts.linkmode(ld->opts.linkmode_ctx, p);
	return NULL;
}

static bool find_internal(const char *path, size_t *idx)
{
	size_t n = strlen(path);
	const char *q;

	if (has_suffix(path, "/internal")) {
		*idx = n - strlen("internal");
		return true;
	}
	q = NULL;
	for (const char *s = strstr(path, "/internal/"); s; s = strstr(s + 1, "/internal/"))
		q = s;
	if (q) {
		*idx = (size_t)(q - path) + 1;
		return true;
	}
	if (strcmp(path, "internal") == 0 || has_prefix(path, "internal/")) {
		*idx = 0;
		return true;
	}
	return false;
}

/* disallow_internal mirrors load.disallowInternal. */
static struct load_error *disallow_internal(struct load_state *ld, const char *src_dir,
                                            struct load_pkg *importer, struct load_pkg *p)
{
	size_t i;
	const char *importer_path = importer ? importer->import_path : "";
	struct load_error *perr;

	if (p->error)
		return NULL;
	if (mod_has_path_prefix(p->import_path, "testing/internal") && strcmp(importer_path, "testmain") == 0)
		return NULL;
	if (p->standard && has_prefix(importer_path, "bootstrap/"))
		return NULL;
	if (!importer)
		return NULL;
	if (!find_internal(p->import_path, &i))
		return NULL;
	if (i > 0)
		i--;
	if (mod_has_path_prefix(importer_path, "crypto") && mod_has_path_prefix(p->import_path, "crypto/internal/fips140"))
		return NULL;
	if (mod_has_path_prefix(importer_path, "crypto/internal/fips140")) {
		if (mod_has_path_prefix(p->import_path, "crypto/internal"))
			return NULL;
		goto error;
	}
	if (!p->module) {
		size_t dn = strlen(p->dir), in = strlen(p->import_path);
		if (dn + i >= in) {
			char *parent = xstrndup(p->dir, i + dn - in);
			char *clean = path_clean(parent);
			char *src = path_clean(src_dir);
			bool ok = path_has_prefix_dir(src, clean);
			if (!ok) {
				char *rs = realpath(src, NULL), *rp = realpath(clean, NULL);
				ok = rs && rp && path_has_prefix_dir(rs, rp);
				free(rs);
				free(rp);
			}
			free(parent);
			free(clean);
			free(src);
			if (ok)
				return NULL;
		}
	} else {
		char *parent_of_internal = xstrndup(p->import_path, i);
		bool ok = mod_has_path_prefix(importer_path, parent_of_internal);
		free(parent_of_internal);
		if (ok)
			return NULL;
	}
error:
	perr = error_new(ld, arena_printf(&ld->arena, "use of internal package %s not allowed", p->import_path));
	perr->always_print_stack = true;
	return perr;
}

/* find_vendor mirrors load.FindVendor: the index just past the last
 * vendor/ element of a path, or -1. */
static long find_vendor(const char *path)
{
	long idx = -1;
	size_t n = strlen(path);

	for (size_t i = 0; i + 6 <= n; i++) {
		if (strncmp(path + i, "vendor", 6) != 0)
			continue;
		if ((i == 0 || path[i - 1] == '/') && (path[i + 6] == '/' || path[i + 6] == 0)) {
			if (path[i + 6] == '/')
				idx = (long)i;
		}
	}
	return idx;
}

/* expand_path is load.expandPath: the path with symlinks evaluated, or
 * the path itself when that fails (heap). */
static char *expand_path(const char *x)
{
	char *r = realpath(x, NULL);

	return r ? r : xstrdup(x);
}

/* disallow_vendor mirrors load.disallowVendor and disallowVendorVisibility
 * (go1.26): a vendored package is visible only below the directory holding
 * its vendor tree, and a path naming vendor/ is never written in source. */
static struct load_error *disallow_vendor(struct load_state *ld, const char *src_dir, const char *path,
                                          const char *importer_path, struct load_pkg *p)
{
	long i;

	if (!importer_path[0])
		return NULL;
	i = find_vendor(p->import_path);
	if (i >= 0) {
		size_t dn = strlen(p->dir), in = strlen(p->import_path);
		long cut = (i > 0 ? i - 1 : i) + (long)dn - (long)in;
		if (cut >= 0 && (size_t)cut <= dn) {
			char *parent = xstrndup(p->dir, (size_t)cut);
			char *cp = path_clean(parent), *cs = path_clean(src_dir);
			bool ok = path_has_prefix_dir(cs, cp);
			if (!ok) {
				char *es = expand_path(src_dir), *ep = expand_path(parent);
				char *ces = path_clean(es), *cep = path_clean(ep);
				ok = path_has_prefix_dir(ces, cep);
				free(es);
				free(ep);
				free(ces);
				free(cep);
			}
			free(parent);
			free(cp);
			free(cs);
			if (!ok)
				return error_new(ld, "use of vendored package not allowed");
		}
	}
	if (find_vendor(path) >= 0)
		return error_new(ld, arena_printf(&ld->arena, "%s must be imported as %s", path,
		                                  path + find_vendor(path) + 7));
	return NULL;
}

/* is_version_element mirrors load.isVersionElement: "v2", "v10", not "v0"/"v1". */
static bool is_version_element(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || s[0] != 'v' || s[1] == '0' || (s[1] == '1' && n == 2))
		return false;
	for (size_t i = 1; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* exec_name mirrors Package.DefaultExecName: the first Go file's name for
 * command-line files, else the last import path element that is not a
 * major-version suffix (arena). */
static const char *exec_name(struct load_state *ld, const struct load_pkg *p);

const char *load_short_path(struct load_state *ld, const char *path)
{
	return short_path(ld, path);
}

const char *load_default_exec_name(struct load_state *ld, const struct load_pkg *p)
{
	return exec_name(ld, p);
}

static const char *exec_name(struct load_state *ld, const struct load_pkg *p)
{
	if (p->cmdline_files) {
		const char *src = p->go_files.n ? p->go_files.v[0] : p->cgo_files.n ? p->cgo_files.v[0] : NULL;
		if (!src)
			return "";
		src = path_base(src);
		return arena_strndup(&ld->arena, src, strlen(src) - 3);
	}
	return load_path_exec_name(ld, p->import_path);
}

const char *load_path_exec_name(struct load_state *ld, const char *import_path)
{
	const char *elem = strrchr(import_path, '/');

	elem = elem ? elem + 1 : import_path;
	if (elem != import_path && is_version_element(elem)) {
		const char *end = elem - 1, *start = end;
		while (start > import_path && start[-1] != '/')
			start--;
		return arena_strndup(&ld->arena, start, (size_t)(end - start));
	}
	return elem;
}

/* pkg_set_target mirrors the install-target part of Package.load for the
 * default build mode: main packages go to GOBIN (or GOPATH[0]/bin), in a
 * GOOS_GOARCH subdirectory when cross-compiling; GOROOT commands go to
 * $GOROOT/bin (go, gofmt) or $GOROOT/pkg/tool.  Library packages have no
 * install target in module mode (build.Package.PkgObj is empty). */
static void pkg_set_target(struct load_state *ld, struct load_pkg *p)
{
	const struct buildctx *ctx = ld->ctx;
	const struct toolchain *tc = &ld->cfg->tc;
	const char *gobin = cfg_getenv(ld->cfg, "GOBIN");
	const char *exe = strcmp(ctx->goos, "windows") == 0 ? ".exe" : "";
	const char *elem, *full, *bindir = "";
	char *t = NULL;

	p->target = "";
	if (strcmp(p->name, "main") != 0)
		return;
	if (!gobin)
		gobin = "";
	elem = arena_printf(&ld->arena, "%s%s", exec_name(ld, p), exe);
	full = arena_printf(&ld->arena, "%s_%s/%s", ctx->goos, ctx->goarch, elem);
	if (p->cmdline_files) {
		/* GoFilesPackage: GOBIN or BinDir, never a GOOS_GOARCH subdirectory */
		const char *bd = gobin[0] ? gobin : NULL;
		char *first = NULL;
		if (!bd && ld->cfg->gopath && ld->cfg->gopath[0]) {
			first = xstrndup(ld->cfg->gopath, strcspn(ld->cfg->gopath, ":"));
			if (first[0])
				bd = arena_printf(&ld->arena, "%s/bin", first);
		}
		if (bd) {
			t = path_join(bd, elem);
			p->target = arena_strdup(&ld->arena, t);
			free(t);
		}
		free(first);
		return;
	}
	if (strcmp(ctx->goos, tc->hostos) != 0 || strcmp(ctx->goarch, tc->hostarch) != 0)
		elem = full;
	if (p->goroot) {
		bindir = arena_printf(&ld->arena, "%s/bin", tc->goroot);
	} else if (gobin[0]) {
		bindir = gobin;
	} else if (ld->cfg->gopath && ld->cfg->gopath[0]) {
		/* modload.BinDir: the first GOPATH entry's bin */
		const char *colon = strchr(ld->cfg->gopath, ':');
		size_t n = colon ? (size_t)(colon - ld->cfg->gopath) : strlen(ld->cfg->gopath);
		if (n > 0)
			bindir = arena_printf(&ld->arena, "%.*s/bin", (int)n, ld->cfg->gopath);
	}
	if (bindir[0]) {
		t = path_join(bindir, elem);
		p->target = arena_strdup(&ld->arena, t);
		free(t);
		if (!p->goroot && strchr(elem, '/') && gobin[0])
			p->target = ""; /* never $GOBIN/goos_goarch/elem */
	}
	if (p->goroot && (has_prefix(p->import_path, "cmd/")) && strcmp(p->import_path, "cmd/go") != 0 &&
	    strcmp(p->import_path, "cmd/gofmt") != 0) {
		t = xasprintf("%s/pkg/tool/%s", tc->goroot, full);
		p->target = arena_strdup(&ld->arena, t);
		free(t);
	}
}

/* main_go_version mirrors MainModuleSet.GoVersion: go.work's go line in
 * workspace mode (1.18 when absent), the main go.mod's (1.16 when absent),
 * or the toolchain's own version outside any module. */
static const char *main_go_version(struct load_state *ld)
{
	if (ld->workspace)
		return ld->work->go ? ld->work->go : "1.18";
	if (ld->mains.n == 1)
		return ld->mains.v[0]->file && ld->mains.v[0]->file->go ? ld->mains.v[0]->file->go : "1.16";
	if (ld->mains.n == 0)
		return ld->cfg->tc.gover;
	return "1.16";
}

/* pkg_default_godebug mirrors load.defaultGODEBUG for a package loaded for
 * listing or building (no test directives). */
static void pkg_default_godebug(struct load_state *ld, struct load_pkg *p)
{
	const struct mod_godebug *gd = NULL;
	size_t ngd = 0;
	const char *fips = cfg_getenv(ld->cfg, "GOFIPS140");
	struct err e = ERR_INIT;

	p->default_godebug = "";
	if (strcmp(p->name, "main") != 0)
		return;
	if (!ld->godebug_tried) {
		ld->godebug_tried = true;
		if (mod_godebug_table_load(&ld->arena, ld->cfg->tc.goroot, &ld->godebug_table, &e) < 0) {
			ld->godebug_table = NULL;
			err_clear(&e);
		}
	}
	if (!ld->godebug_table)
		return;
	if (ld->workspace) {
		gd = ld->work->godebugs.v;
		ngd = ld->work->godebugs.n;
	} else if (ld->mains.n == 1 && ld->mains.v[0]->file) {
		gd = ld->mains.v[0]->file->godebugs.v;
		ngd = ld->mains.v[0]->file->godebugs.n;
	}
	if (mod_godebug_default(&ld->arena, ld->godebug_table, main_go_version(ld),
	                        fips && fips[0] && strcmp(fips, "off") != 0, gd, ngd,
	                        p->directives.v, p->directives.n, ld->cfg->tc.gover,
	                        &p->default_godebug, &e) < 0) {
		p->default_godebug = "";
		err_clear(&e);
	}
}

static void pkg_load(struct load_state *ld, struct load_pkg *p, const char *path,
                     const struct load_pos *import_pos, const struct resolved *r)
{
	struct scan_result res;
	struct load_strs import_paths = {0};

	p->dir = r->dir;
	p->module = r->module;
	p->mod_root = r->mod_root ? r->mod_root : "";
	if (r->dir[0] && path_has_prefix_dir(r->dir, ld->goroot_src) && !r->module) {
		p->goroot = true;
		p->root = ld->cfg->tc.goroot;
	} else if (r->module) {
		p->root = r->module->dir;
	}
	p->standard = p->goroot && mod_is_std_path(p->import_path);

	struct resolved unresolved;
	if (!r->err && !r->dir[0] && strcmp(p->import_path, "unsafe") != 0) {
		/* "C" named on the command line: nothing resolves it */
		unresolved = *r;
		r = &unresolved;
		unresolved.err = arena_printf(&ld->arena, "unknown import path \"%s\": internal error: module loader did not resolve import",
		                      p->import_path);
	}
	if (r->err) {
		/* setLoadPackageDataError with a lookup error: the importer's position.
		 * An ImportPathError naming this path (the malformed-path error
		 * quotes it) keeps the stack as it is. */
		bool pushed = false;
		if ((!strstr(r->err, p->import_path) && !has_prefix(r->err, "malformed import path ") &&
		     !has_prefix(r->err, "module lookup disabled") && !r->at_import) ||
		    has_prefix(r->err, "disallowed import path ")) {
			stack_push(ld, path, import_pos);
			pushed = true;
		}
		p->error = error_new(ld, r->err);
		p->incomplete = true;
		if (ld->stack.n > 0 && strcmp(path, ld->stack.v[ld->stack.n - 1].pkg) != 0 && import_pos)
			p->error->pos = pos_string(ld, import_pos);
		if (pushed)
			stack_pop(ld);
		if (!p->dir[0]) {
			p->state = 2;
			return;
		}
	}

	if (strcmp(p->import_path, "unsafe") == 0 && !p->dir[0]) {
		p->state = 2;
		return;
	}
	if (p->scanned) {
		res.kind = (enum scan_err)p->scan_kind;
		res.err = p->scan_err;
		res.pos = p->scan_pos;
	} else {
		scan_dir(ld, p, NULL, &res);
	}
	if (res.kind != SCAN_OK && !p->error) {
		const char *msg = res.err;
		const char *pos = res.pos;
		bool push = res.kind == SCAN_NOGO || pos[0];
		if (res.kind == SCAN_NOGO) {
			if (p->ignored_go_files.n > 0)
				msg = arena_printf(&ld->arena, "build constraints exclude all Go files in %s", p->dir);
			else if (p->test_go_files.n + p->xtest_go_files.n > 0)
				msg = arena_printf(&ld->arena, "no non-test Go files in %s", p->dir);
			else
				msg = arena_printf(&ld->arena, "no Go files in %s", p->dir);
		}
		if (push)
			stack_push(ld, path, import_pos);
		p->error = error_new(ld, msg);
		p->error->pos = pos;
		p->incomplete = true;
		if (ld->stack.n > 0 && strcmp(path, ld->stack.v[ld->stack.n - 1].pkg) != 0 && import_pos)
			p->error->pos = pos_string(ld, import_pos);
		if (push)
			stack_pop(ld);
	}

	pkg_set_target(ld, p);
	if (ld->opts.find) {
		/* copyBuild with IgnoreImports: no import lists at all. */
		memset(&p->imports, 0, sizeof p->imports);
		memset(&p->test_imports, 0, sizeof p->test_imports);
		memset(&p->xtest_imports, 0, sizeof p->xtest_imports);
	}

	/* copyBuild: .syso files cannot be built both with and without memory
	 * sanitizer support; -msan assumes without and drops them */
	if (ld->opts.instrument_pkg && strcmp(ld->opts.instrument_pkg, "runtime/msan") == 0)
		memset(&p->syso_files, 0, sizeof p->syso_files);

	/* The augmented import list (implicit cgo and linker imports). */
	for (size_t i = 0; i < p->imports.n; i++)
		load_strs_push(&ld->arena, &p->raw_imports, p->imports.v[i]);
	for (size_t i = 0; i < p->imports.n; i++)
		load_strs_push(&ld->arena, &import_paths, p->imports.v[i]);
	if (!ld->opts.find) {
		bool cgo = p->cgo_files.n > 0;
		bool swig = p->swig_files.n + p->swigcxx_files.n > 0;
#define ADD(s) do { if (!load_strs_contains(&import_paths, (s))) load_strs_push(&ld->arena, &import_paths, (s)); } while (0)
		if (cgo)
			ADD("unsafe");
		if (cgo && (!p->standard || strcmp(p->import_path, "runtime/cgo") != 0))
			ADD("runtime/cgo");
		if (cgo && (!p->standard || (strcmp(p->import_path, "runtime/cgo") != 0 &&
		                             strcmp(p->import_path, "runtime/race") != 0 &&
		                             strcmp(p->import_path, "runtime/msan") != 0 &&
		                             strcmp(p->import_path, "runtime/asan") != 0)))
			ADD("syscall");
		if (swig) {
			ADD("unsafe");
			ADD("runtime/cgo");
			ADD("syscall");
			ADD("sync");
		}
		if (strcmp(p->name, "main") == 0) {
			const char *why;
			if (ld->cur_root && (strcmp(ld->cur_root, path) == 0 || strcmp(ld->cur_root, p->import_path) == 0))
				p->cmdline_pkg = true;
			why = external_linking_reason(ld, p);
			ADD("runtime");
			if (why) {
				if (!ld->ctx->cgo_enabled) {
					p->module = NULL;
					set_error(ld, p, path, import_pos,
					          arena_printf(&ld->arena, "%s requires external (cgo) linking, but cgo is not enabled", why));
					p->state = 2;
					return;
				}
				ADD("runtime/cgo");
			}
			if (strcmp(ld->ctx->goarch, "arm") == 0)
				ADD("math");
			if (ld->opts.instrument_pkg)
				ADD(ld->opts.instrument_pkg);
			if (ld->opts.cover)
				ADD("runtime/coverage");
		}
#undef ADD
	}

	/* Case-insensitive import path collisions. */
	{
		char *f = fold(p->import_path);
		const char *other = map_get(&ld->fold_paths, f);
		if (!other) {
			map_put(&ld->fold_paths, intern_str(&ld->in, f), (void *)p->import_path);
			free(f);
		} else if (strcmp(other, p->import_path) != 0) {
			free(f);
			p->module = NULL; /* returns before PackageModuleInfo */
			set_error(ld, p, path, import_pos, arena_printf(&ld->arena,
			          "case-insensitive import collision: \"%s\" and \"%s\"", p->import_path, other));
			p->state = 2;
			return;
		} else {
			free(f);
		}
	}
	if (!safe_arg(p->import_path)) {
		p->module = NULL;
		set_error(ld, p, path, import_pos, arena_printf(&ld->arena, "invalid import path \"%s\"", p->import_path));
		p->state = 2;
		return;
	}
	/* PackageModuleInfo: completeFromModCache's Query fetches a missing .info */
	if (p->module && ld->defer_complete)
		VEC_PUSH(&ld->to_complete, p->module);
	else if (p->module)
		load_module_complete(ld, p->module);

	/* Errors past here are the package's own: push it on the stack. */
	{
		const struct load_pos *fp = NULL;
		stack_push(ld, path, import_pos);
		(void)fp;
	}

	pkg_default_godebug(ld, p);

	if (ld->opts.embed && p->embed_patterns.n > 0) {
		size_t bad = 0;
		const char *msg = NULL;
		if (ld->opts.embed(ld->opts.embed_ctx, &ld->arena, p->dir, p->embed_patterns.v,
		                   p->embed_patterns.n, &p->embed_files, &bad, &msg) < 0) {
			p->incomplete = true;
			if (!p->error) {
				p->error = error_new(ld, msg);
				p->error->pos = pos_string(ld, first_pos(&p->embed_pos, p->embed_patterns.v[bad]));
			}
		}
	}

	/* Imports. */
	for (size_t i = 0; i < import_paths.n; i++) {
		const char *ip = import_paths.v[i];
		struct load_error *perr = NULL;
		struct load_pkg *p1;

		if (strcmp(ip, "C") == 0)
			continue;
		if (ld->opts.find)
			break;
		p1 = load_import(ld, p, ip, first_pos(&p->import_pos, ip), &perr);
		if (perr && !p->error) {
			p->error = perr;
			p->incomplete = true;
		}
		if (i < p->imports.n)
			p->imports.v[i] = p1->import_path;
		VEC_PUSH(&p->internal_imports, p1);
		if (p1->incomplete)
			p->incomplete = true;
	}

	/* Still on the stack: these errors are the package's own. */
	if (!ld->ctx->cgo_enabled) {
		memset(&p->c_files, 0, sizeof p->c_files);
		memset(&p->cxx_files, 0, sizeof p->cxx_files);
		memset(&p->m_files, 0, sizeof p->m_files);
		memset(&p->swig_files, 0, sizeof p->swig_files);
		memset(&p->swigcxx_files, 0, sizeof p->swigcxx_files);
	}
	{
		bool uses = p->cgo_files.n > 0 || p->swig_files.n + p->swigcxx_files.n > 0;
		static const struct {
			size_t off;
			const char *what;
		} chk[] = {
			{offsetof(struct load_pkg, c_files), "C"},
			{offsetof(struct load_pkg, cxx_files), "C++"},
			{offsetof(struct load_pkg, m_files), "Objective-C"},
			{offsetof(struct load_pkg, f_files), "Fortran"},
		};
		for (size_t k = 0; k < countof(chk) && !uses; k++) {
			struct load_strs *l = (struct load_strs *)((char *)p + chk[k].off);
			if (l->n == 0)
				continue;
			struct buf b = BUF_INIT;
			for (size_t j = 0; j < l->n; j++) {
				if (j)
					buf_addch(&b, ' ');
				buf_adds(&b, l->v[j]);
			}
			set_error(ld, p, path, import_pos, arena_printf(&ld->arena,
			          "%s source files not allowed when not using cgo or SWIG: %s", chk[k].what, b.data));
			buf_release(&b);
			break;
		}
	}
	stack_pop(ld);
	p->state = 2;
}

/* reuse_package mirrors load.reusePackage. */
static void reuse_package(struct load_state *ld, struct load_pkg *p)
{
	if (p->state == 1) {
		if (!p->error) {
			p->error = error_new(ld, "import cycle not allowed");
			p->error->is_import_cycle = true;
		} else if (!p->error->is_import_cycle) {
			p->error->is_import_cycle = true;
		}
		p->incomplete = true;
	}
	if (p->error && !p->error->is_import_cycle && p->error->import_stack.n > 0) {
		/* shorterThan: shorter stack, or equal length and lexically smaller. */
		bool shorter = false;
		if (ld->stack.n != p->error->import_stack.n) {
			shorter = ld->stack.n < p->error->import_stack.n;
		} else {
			for (size_t i = 0; i < ld->stack.n; i++) {
				int c = strcmp(ld->stack.v[i].pkg, p->error->import_stack.v[i]);
				if (c != 0) {
					shorter = c < 0;
					break;
				}
			}
		}
		if (shorter) {
			struct load_error *ne = error_new(ld, p->error->err);
			ne->pos = p->error->pos;
			ne->always_print_stack = p->error->always_print_stack;
			p->error = ne;
		}
	}
}

static struct load_pkg *load_import(struct load_state *ld, struct load_pkg *parent, const char *path,
                                    const struct load_pos *import_pos, struct load_error **perr)
{
	struct resolved r;
	struct load_pkg *p;
	const char *parent_path = parent ? parent->import_path : "";
	const char *src_dir = parent ? parent->dir : ld->cwd;

	*perr = NULL;
	if (has_prefix(path, "mod/")) {
		r.err = arena_printf(&ld->arena, "disallowed import path \"%s\"", path);
		r.path = path;
	}
	p = parent ? NULL : map_get(&ld->prescanned, path);
	if (p && p->cmdline_files) {
		/* The synthesized package of named .go files: its directory is
		 * known and it belongs to no module (PackageModuleInfo is nil). */
		memset(&r, 0, sizeof r);
		r.path = p->import_path;
		r.dir = p->dir;
	} else {
		resolve_import(ld, parent_path, parent ? parent->standard : false, path, &r);
	}
	if (has_prefix(path, "mod/"))
		r.err = arena_printf(&ld->arena, "disallowed import path \"%s\"", path);

	p = map_get(&ld->pkgs, r.path);
	if (p) {
		stack_push(ld, path, import_pos);
		reuse_package(ld, p);
		stack_pop(ld);
	} else {
		p = map_get(&ld->prescanned, r.path);
		if (!p || strcmp(p->dir, r.dir) != 0)
			p = load_pkg_new(ld, r.path);
		p->local = is_local_import(path);
		map_put(&ld->pkgs, r.path, p);
		p->state = 1;
		pkg_load(ld, p, path, import_pos, &r);
		p->state = 2;
	}

	if ((*perr = disallow_internal(ld, src_dir, parent, p)) != NULL) {
		(*perr)->pos = pos_string(ld, import_pos);
		return p;
	}
	if ((*perr = disallow_vendor(ld, src_dir, path, parent_path, p)) != NULL) {
		(*perr)->pos = pos_string(ld, import_pos);
		return p;
	}
	if (strcmp(p->name, "main") == 0 && parent && strcmp(parent->dir, p->dir) != 0) {
		*perr = error_new(ld, arena_printf(&ld->arena, "import \"%s\" is a program, not an importable package", path));
		(*perr)->pos = pos_string(ld, import_pos);
		return p;
	}
	if (p->local && parent && !parent->local) {
		if (strcmp(path, ".") == 0)
			*perr = error_new(ld, arena_printf(&ld->arena, "%s: cannot import current directory", path));
		else
			*perr = error_new(ld, arena_printf(&ld->arena, "local import \"%s\" in non-local package", path));
		(*perr)->pos = pos_string(ld, import_pos);
		return p;
	}
	return p;
}

struct load_pkg *load_import_root(struct load_state *ld, const char *path)
{
	struct load_error *perr = NULL;
	const char *saved = ld->cur_root;
	struct load_pkg *p;

	/* the -ldflags of a command-line main package are known while its
	 * imports load (externalLinkingReason in LinkerDeps) */
	ld->cur_root = path;
	p = load_import(ld, NULL, path, NULL, &perr);
	ld->cur_root = saved;
	if (perr && !p->error)
		p->error = perr;
	p->cmdline_pkg = true;
	return p;
}

void load_resolve_test_imports(struct load_state *ld, struct load_pkg *p)
{
	if (!p->standard)
		return;
	for (size_t i = 0; i < p->test_imports.n; i++)
		p->test_imports.v[i] = std_vendor(ld, p->import_path, p->test_imports.v[i]);
	for (size_t i = 0; i < p->xtest_imports.n; i++)
		p->xtest_imports.v[i] = std_vendor(ld, p->import_path, p->xtest_imports.v[i]);
	/* Package.Resolve returns a sorted, deduplicated list. */
	load_strs_sort(&p->test_imports);
	load_strs_sort(&p->xtest_imports);
}

/* ---- PGO forks ---------------------------------------------------------- */

static struct load_pkg *pgo_split(struct load_state *ld, struct load_pkg *p, struct load_pkg *pmain,
                                  const char *file, bool copy, struct map *visited)
{
	char key[PTR_KEY_SIZE];
	struct load_pkg *p1;

	ptr_key(key, p);
	if ((p1 = map_get(visited, key)) != NULL)
		return p1;
	if (copy && p != pmain) {
		p1 = arena_new(&ld->arena, struct load_pkg);
		*p1 = *p;
		p1->imports.v = NULL;
		p1->imports.n = p1->imports.cap = 0;
		for (size_t i = 0; i < p->imports.n; i++)
			load_strs_push(&ld->arena, &p1->imports, p->imports.v[i]);
		p1->internal_imports.v = NULL;
		p1->internal_imports.n = p1->internal_imports.cap = 0;
		for (size_t i = 0; i < p->internal_imports.n; i++)
			VEC_PUSH(&p1->internal_imports, p->internal_imports.v[i]);
		memset(&p1->deps, 0, sizeof p1->deps);
		memset(&p1->deps_errors, 0, sizeof p1->deps_errors);
		memset(&p1->import_map_keys, 0, sizeof p1->import_map_keys);
		memset(&p1->import_map_vals, 0, sizeof p1->import_map_vals);
		p1->for_main = pmain->import_path;
		p1->cmdline_pkg = false;
		VEC_PUSH(&ld->forks, p1);
		map_put(visited, intern_str(&ld->in, key), p1);
		p = p1;
	} else {
		map_put(visited, intern_str(&ld->in, key), p);
	}
	p->pgo_profile = file;
	for (size_t i = 0; i < p->internal_imports.n; i++)
		p->internal_imports.v[i] = pgo_split(ld, p->internal_imports.v[i], pmain, file, copy, visited);
	return p;
}

void load_apply_pgo(struct load_state *ld, struct load_pkgs *roots, const char *pgo)
{
	if (!pgo || strcmp(pgo, "off") == 0)
		return;
	if (strcmp(pgo, "auto") != 0)
		return; /* an explicit profile applies to every package in place */
	for (size_t i = 0; i < roots->n; i++) {
		struct load_pkg *pmain = roots->v[i];
		struct map visited;
		char *file;

		if (strcmp(pmain->name, "main") != 0 || !pmain->dir[0])
			continue;
		file = path_join(pmain->dir, "default.pgo");
		if (!os_exists(file)) {
			free(file);
			continue;
		}
		map_init(&visited);
		pgo_split(ld, pmain, pmain, arena_strdup(&ld->arena, file), roots->n > 1, &visited);
		map_release(&visited);
		free(file);
	}
}

void load_rename_forks(struct load_state *ld, struct load_pkgs *all)
{
	struct map old;

	/* Package.Desc: "p [q.test]" for test copies, "p [main]" for PGO forks. */
	map_init(&old);
	for (size_t i = 0; i < all->n; i++) {
		struct load_pkg *p = all->v[i];
		const char *n = NULL;
		if (p->for_test && p->for_test[0])
			n = arena_printf(&ld->arena, "%s [%s.test]", p->import_path, p->for_test);
		else if (p->for_main && p->for_main[0])
			n = arena_printf(&ld->arena, "%s [%s]", p->import_path, p->for_main);
		if (n) {
			map_put(&old, n, (void *)p->import_path);
			p->import_path = n;
		}
	}
	for (size_t i = 0; i < all->n; i++) {
		struct load_pkg *p = all->v[i];
		struct map m; /* old path -> new name; a later import wins, as in go's map */
		map_init(&m);
		for (size_t k = 0; k < p->internal_imports.n; k++) {
			struct load_pkg *p1 = p->internal_imports.v[k];
			if (!(p1->for_main && p1->for_main[0]) && !(p1->for_test && p1->for_test[0]))
				continue;
			const char *o = map_get(&old, p1->import_path);
			if (o)
				map_put(&m, o, (void *)p1->import_path);
		}
		for (size_t j = 0; j < p->imports.n; j++) {
			const char *nw = map_get(&m, p->imports.v[j]);
			if (nw)
				p->imports.v[j] = nw;
		}
		map_release(&m);
	}
	map_release(&old);
}

/* ---- deps ------------------------------------------------------------- */

static void deps_visit(struct load_state *ld, struct load_pkg *p, struct map *seen, struct load_pkgs *out)
{
	/* Identity, not path: PGO forks share their original's path. */
	char key[PTR_KEY_SIZE];

	ptr_key(key, p);
	if (map_has(seen, key))
		return;
	map_put(seen, intern_str(&ld->in, key), p);
	for (size_t i = 0; i < p->internal_imports.n; i++)
		deps_visit(ld, p->internal_imports.v[i], seen, out);
	VEC_PUSH(out, p);
}

void load_package_list_deps(struct load_state *ld, struct load_pkg *const *roots, size_t n,
                            struct load_pkgs *out)
{
	struct map seen;

	map_init(&seen);
	for (size_t i = 0; i < n; i++)
		deps_visit(ld, roots[i], &seen, out);
	map_release(&seen);
}

static int cmp_err(const void *a, const void *b)
{
	const struct load_error *x = *(struct load_error *const *)a, *y = *(struct load_error *const *)b;

	/* collectDepsErrors: errors without a stack first (by text), then by
	 * the package on top of the stack. */
	if ((x->import_stack.n == 0) != (y->import_stack.n == 0))
		return x->import_stack.n == 0 ? -1 : 1;
	if (x->import_stack.n == 0)
		return strcmp(x->err, y->err);
	return strcmp(x->import_stack.v[x->import_stack.n - 1], y->import_stack.v[y->import_stack.n - 1]);
}

/* load_collect_deps mirrors list's collectDeps / collectDepsErrors over a
 * post-order list: each package's sets come from its direct imports and
 * their (already collected) sets, which matters inside import cycles. */
void load_collect_deps(struct load_state *ld, struct load_pkgs *all, bool deps, bool errs)
{
	struct map set;

	for (size_t i = 0; i < all->n; i++) {
		struct load_pkg *p = all->v[i];
		if (deps) {
			map_init(&set);
			p->deps.n = 0;
			for (size_t k = 0; k < p->internal_imports.n; k++) {
				struct load_pkg *q = p->internal_imports.v[k];
				if (!map_has(&set, q->import_path)) {
					map_put(&set, q->import_path, q);
					load_strs_push(&ld->arena, &p->deps, q->import_path);
				}
				for (size_t j = 0; j < q->deps.n; j++) {
					if (!map_has(&set, q->deps.v[j])) {
						map_put(&set, q->deps.v[j], q);
						load_strs_push(&ld->arena, &p->deps, q->deps.v[j]);
					}
				}
			}
			load_strs_sort(&p->deps);
			map_release(&set);
		}
		if (errs) {
			char key[PTR_KEY_SIZE];
			map_init(&set);
			p->deps_errors.n = 0;
			for (size_t k = 0; k < p->internal_imports.n; k++) {
				struct load_pkg *q = p->internal_imports.v[k];
				for (size_t j = 0; j <= q->deps_errors.n; j++) {
					struct load_error *de = j == 0 ? q->error : q->deps_errors.v[j - 1];
					if (!de)
						continue;
					ptr_key(key, de);
					if (!map_has(&set, key)) {
						map_put(&set, intern_str(&ld->in, key), de);
						VEC_PUSH(&p->deps_errors, de);
					}
				}
			}
			/* sort.Slice is an insertion sort below 13 elements, so stable
			 * there; go collects from a map, so the order of errors with
			 * the same top package is random in go itself. */
			for (size_t k = 1; k < p->deps_errors.n; k++)
				for (size_t j = k; j > 0 && cmp_err(&p->deps_errors.v[j], &p->deps_errors.v[j - 1]) < 0; j--) {
					struct load_error *t = p->deps_errors.v[j];
					p->deps_errors.v[j] = p->deps_errors.v[j - 1];
					p->deps_errors.v[j - 1] = t;
				}
			map_release(&set);
		}
	}
}

/* ---- internal entry points for testpkg.c ------------------------------- */

struct load_error *load_error_new(struct load_state *ld, const char *msg)
{
	return error_new(ld, msg);
}

const char *load_pos_string(struct load_state *ld, const struct load_pos *pos)
{
	return pos_string(ld, pos);
}

void load_stack_push(struct load_state *ld, const char *pkg, const struct load_pos *pos)
{
	stack_push(ld, pkg, pos);
}

void load_stack_pop(struct load_state *ld)
{
	stack_pop(ld);
}

struct load_pkg *load_import_from(struct load_state *ld, struct load_pkg *parent, const char *path,
                                  const struct load_pos *import_pos, struct load_error **perr)
{
	return load_import(ld, parent, path, import_pos, perr);
}

const char *load_linking_reason(struct load_state *ld, const struct load_pkg *p)
{
	return external_linking_reason(ld, p);
}

const char *load_default_godebug(struct load_state *ld, const struct load_directive *dirs, size_t n)
{
	struct load_pkg tmp;
	const char *res;

	memset(&tmp, 0, sizeof tmp);
	tmp.name = "main";
	tmp.directives.v = (struct load_directive *)dirs;
	tmp.directives.n = n;
	pkg_default_godebug(ld, &tmp);
	res = tmp.default_godebug;
	return res ? res : "";
}
