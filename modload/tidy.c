/*
 * go mod tidy and go mod why: modload's own package loader (load.go's
 * loader: loadFromRoots, applyPkgFlags, pkgTest, buildStacks,
 * updateRequirements, resolveMissingImports, checkTidyCompatibility,
 * LoadPackages' tidy tail; import.go's importFromModules) over
 * imports.ScanDir with AnyTags, and the answers of modcmd/tidy.go and
 * why.go (go1.26).
 *
 * This is not the go list loader (load.c): that one follows one build
 * context, this one every file of every package (build tags all true and
 * false at once, "ignore" never), and its requirements change as it goes.
 * Module lookups that would need the network are refused.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "modload/requirements.h"

/* The loader of one LoadPackages call (modload's loader). */
struct tl {
	struct load_state *ld;
	struct arena *a;
	struct mod_reqs *rs;
	const char *tidy_go;        /* -go, or NULL */
	bool tidy, load_tests, allow_errors, use_vendor_all, silence_pkg_errors, verbose;
	bool resolve_missing;       /* ResolveMissingImports (tidy, vendor) */
	bool roots_imported;        /* AssumeRootsImported (go get) */
	/* the roots are the command line's literal paths (or its files'
	 * imports): go resolves a missing one while matching the patterns,
	 * without a "found" line, and queries one it cannot find twice */
	bool literal_roots;
	bool announced;     /* query_import printed "finding module" */
	bool readonly;              /* mustHaveCompleteRequirements (vendor) */
	/* workspace mode (work sync's first load): rs is the workspace's
	 * requirements and graph, never updated; main is opts.MainModule,
	 * the one workspace module whose packages "all" starts from */
	bool ws;
	struct load_module *main;
	/* the command-line packages (go mod why's first load), or NULL: "all" */
	const struct load_strs *arg_roots;
	bool all_root;              /* allPatternIsRoot: "all" too (set when arg_roots is NULL) */
	bool skip_import_mod_files, all_closes_over_tests;
	struct map cache;           /* path -> struct mod_lpkg * (non-test) */
	VEC(struct mod_lpkg *) work;
	size_t work_head;
	VEC(struct mod_lpkg *) roots;
	VEC(struct mod_lpkg *) pkgs;   /* buildStacks' order */
	struct strvec errors;       /* the Switcher's errors (printed at each switch) */
	struct map scanned;         /* dir -> struct scan * */
};

struct mvvec {
	struct mod_version *v;
	size_t n, cap;
};

struct scan {
	struct load_strs imports, test_imports;
	const char *err;
};

/* ---- errors (ld.error, switchIfErrors, exitIfErrors) ---------------------- */

static void tl_error(struct tl *t, const char *msg)
{
	if (t->allow_errors) {
		fflush(stdout);
		fprintf(stderr, "%s: %s\n", prog_name, msg);
	} else {
		strvec_push(&t->errors, msg);
	}
}

static void tl_switch(struct tl *t)
{
	for (size_t i = 0; i < t->errors.n; i++)
		base_errorf("%s", t->errors.v[i]);
}

/* tl_exit_if_errors returns -1 when go would exit here (status already set). */
static int tl_exit_if_errors(struct tl *t)
{
	tl_switch(t);
	return base_exit_status() != 0 ? -1 : 0;
}

/* ---- scanning (imports.ScanDir with AnyTags, modload.scanDir) -------------- */

static bool skip_import(const char *p)
{
	return strcmp(p, "C") == 0 || strcmp(p, "appengine") == 0 || has_prefix(p, "appengine/") ||
	       strcmp(p, "appengine_internal") == 0 || has_prefix(p, "appengine_internal/");
}

static const struct scan *scan_dir_any(struct tl *t, const char *dir)
{
	struct scan *s = map_get(&t->scanned, dir);
	const struct load_dirents *d;
	struct err e = ERR_INIT;
	struct map imp, timp;
	size_t nfiles = 0;

	if (s)
		return s;
	s = arena_new(t->a, struct scan);
	map_put(&t->scanned, arena_strdup(t->a, dir), s);
	d = load_dir_entries(t->ld, dir, &e);
	if (!d) {
		s->err = arena_strdup(t->a, err_msg(&e));
		err_clear(&e);
		return s;
	}
	map_init(&imp);
	map_init(&timp);
	for (size_t i = 0; i < d->n; i++) {
		const char *name = d->v[i].name;
		size_t n = strlen(name);
		char *file;
		struct buf data = BUF_INIT;
		struct load_gofile gf;
		bool test;

		if (name[0] == '_' || name[0] == '.' || n < 4 || strcmp(name + n - 3, ".go") != 0)
			continue;
		file = path_join(dir, name);
		if (!os_is_regular(file) || os_read_file(file, &data, 0, &e) < 0) {
			err_clear(&e);
			free(file);
			continue;
		}
		memset(&gf, 0, sizeof gf);
		load_read_gofile(t->a, file, data.data ? data.data : "", data.len, &gf);
		if (gf.parse_error_msg && !gf.header) {
			load_gofile_release(&gf);
			buf_release(&data);
			free(file);
			continue;
		}
		if (!load_should_build_any_tags(t->a, gf.header ? gf.header : "", gf.header_len)) {
			load_gofile_release(&gf);
			buf_release(&data);
			free(file);
			continue;
		}
		nfiles++;
		test = n > 8 && strcmp(name + n - 8, "_test.go") == 0;
		for (size_t j = 0; j < gf.imports.n; j++) {
			const char *p = gf.imports.v[j].path;
			if (!map_has(test ? &timp : &imp, p))
				map_put(test ? &timp : &imp, p, (void *)p);
		}
		load_gofile_release(&gf);
		buf_release(&data);
		free(file);
	}
	if (nfiles == 0) {
		s->err = "no Go source files";
	} else {
		size_t i = 0;
		const char *k;
		void *v;
		while (map_next(&imp, &i, &k, &v))
			if (!skip_import(k))
				load_strs_push(t->a, &s->imports, arena_strdup(t->a, k));
		i = 0;
		while (map_next(&timp, &i, &k, &v))
			if (!skip_import(k))
				load_strs_push(t->a, &s->test_imports, arena_strdup(t->a, k));
		load_strs_sort(&s->imports);
		load_strs_sort(&s->test_imports);
	}
	map_release(&imp);
	map_release(&timp);
	return s;
}

/* ---- importFromModules -------------------------------------------------------- */

static bool is_toolchain_path(const char *p)
{
	return strcmp(p, "go") == 0 || strcmp(p, "toolchain") == 0;
}

/* fetch_root is fetch(m): the module's root directory and whether it is local. */
int mod_fetch_root(struct load_state *ld, struct mod_version m, const char **root, bool *is_local, struct err *e)
{
	struct load_module *lm;

	if (mod_reqs_is_main(ld, m)) {
		for (size_t i = 0; i < ld->mains.n; i++)
			if (strcmp(ld->mains.v[i]->path, m.path) == 0)
				*root = ld->mains.v[i]->dir;
		*is_local = true;
		return 0;
	}
	lm = load_dep_module(ld, m.path, m.version);
	*is_local = lm->replace && !*lm->replace->version;
	if (*is_local) {
		struct stat st;
		*root = lm->dir;
		if (stat(lm->dir, &st) < 0) {
			/* the version "exists"; its source is missing */
			if (errno == ENOENT)
				return err_setf(e, "%s@%s: replacement directory %s does not exist", m.path, m.version,
				                lm->replace->path);
			return err_setf(e, "%s@%s: stat %s: %s", m.path, m.version, lm->dir, strerror(errno));
		}
		return 0;
	}
	/* (Download's error already names the module, when it does) */
	return load_module_dir(ld, lm, root, e);
}

void mod_import_from_modules(struct load_state *ld, const char *path, struct mod_reqs *rs, struct mod_graph *mg,
                             bool skip_mod_file, struct mod_import_result *r)
{
	struct arena *a = &ld->arena;
	struct err e = ERR_INIT;
	VEC(struct mod_version) mods = {0};
	struct load_strs dirs = {0};

	memset(r, 0, sizeof *r);
	r->mod = (struct mod_version){"", ""};
	r->dir = "";
	if (strchr(path, '@')) {
		r->err = arena_printf(a, "import path \"%s\" should not have @version", path);
		return;
	}
	if (strcmp(path, ".") == 0 || strcmp(path, "..") == 0 || has_prefix(path, "./") || has_prefix(path, "../")) {
		r->err = arena_printf(a, "\"%s\" is relative, but relative import paths are not supported in module mode", path);
		return;
	}
	if (path[0] == '/') {
		r->err = arena_printf(a, "\"%s\" is not a package path; see 'go help packages'", path);
		return;
	}
	if (load_pattern_is_meta(path)) {
		r->err = arena_printf(a, "\"%s\" is not an importable package; see 'go help packages'", path);
		return;
	}
	if (strcmp(path, "C") == 0)
		return;
	if (mod_check_import_path(path, &e) < 0) {
		r->err = arena_strdup(a, err_msg(&e));
		err_clear(&e);
		return;
	}
	if (mod_is_std_path(path)) {
		char *dir = path_join(ld->goroot_src, path);
		if (load_dir_has_go_files(ld, dir)) {
			r->dir = arena_strdup(a, dir);
			free(dir);
			return;
		}
		free(dir);
	}
	for (;;) {
		char *prefix = xstrdup(path);
		struct load_strs sum_mods = {0};
		mods.n = dirs.n = 0;
		VEC_FREE(&r->alt_mods);
		for (;;) {
			const char *v = NULL, *root;
			bool ok, is_local, has_go;
			char *dir, *sl;
			struct mod_version m;

			if (is_toolchain_path(prefix))
				goto next;
			if (mg) {
				v = mod_graph_selected(mg, prefix);
				ok = true;
			} else {
				ok = mod_reqs_root_selected(ld, rs, prefix, &v);
			}
			if (!ok || strcmp(v, "none") == 0)
				goto next;
			m = (struct mod_version){arena_strdup(a, prefix), v};
			if (!mod_reqs_is_main(ld, m) && !load_module_has_sum(ld, load_dep_module(ld, m.path, m.version))) {
				/* fetch's sumMissingError (readonly): decided after the loop */
				load_strs_push(a, &sum_mods, m.path);
				goto next;
			}
			if (mod_fetch_root(ld, m, &root, &is_local, &e) < 0) {
				r->err = arena_strdup(a, err_msg(&e));
				err_clear(&e);
				free(prefix);
				goto out;
			}
			dir = load_dir_in_module(ld, path, m.path, root, is_local, &has_go);
			if (dir && has_go) {
				VEC_PUSH(&mods, m);
				load_strs_push(a, &dirs, arena_strdup(a, dir));
			} else {
				VEC_PUSH(&r->alt_mods, m);
			}
			free(dir);
		next:
			if (!(sl = strrchr(prefix, '/')))
				break;
			*sl = 0;
		}
		free(prefix);
		if (mods.n > 1) {
			struct buf b = BUF_INIT;
			buf_printf(&b, "ambiguous import: found package %s in multiple modules:", path);
			for (size_t i = mods.n; i-- > 0;) {
				buf_printf(&b, "\n\t%s", mods.v[i].path);
				if (*mods.v[i].version)
					buf_printf(&b, " %s", mods.v[i].version);
				buf_printf(&b, " (%s)", dirs.v[i]);
			}
			r->err = arena_strdup(a, b.data);
			r->ambiguous = true;
			{
				struct mod_version *am = arena_alloc(a, mods.n * sizeof *am);
				memcpy(am, mods.v, mods.n * sizeof *am);
				r->amb_mods = am;
				r->namb = mods.n;
			}
			buf_release(&b);
			VEC_FREE(&r->alt_mods);
			goto out;
		}
		if (sum_mods.n > 0) {
			r->sum_missing = true;
			r->sum_found = mods.n > 0;
			for (size_t i = sum_mods.n; i-- > 0;)
				load_strs_push(a, &r->sum_mods, sum_mods.v[i]);
			r->err = arena_printf(a, "missing go.sum entry for module providing package %s", path);
			VEC_FREE(&r->alt_mods);
			goto out;
		}
		if (mods.n == 1) {
			if (!skip_mod_file && !mod_reqs_is_main(ld, mods.v[0])) {
				const struct mod_version *reqs;
				size_t n;
				if (load_module_summary(ld, mods.v[0], &reqs, &n, NULL, NULL, &e) < 0) {
					r->err = arena_strdup(a, err_msg(&e));
					err_clear(&e);
					VEC_FREE(&r->alt_mods);
					goto out;
				}
			}
			r->mod = mods.v[0];
			r->dir = dirs.v[0];
			goto out;
		}
		if (mg) {
			r->missing = true;
			if (mod_is_std_path(path))
				r->err = arena_printf(a, "package %s is not in std (%s)", path,
				                      arena_printf(a, "%s/%s", ld->goroot_src, path));
			else if (strcmp(ld->mod_mode, "mod") != 0)
				r->err = arena_printf(a, "no required module provides package %s; to add it:\n\tgo get %s", path, path);
			else
				r->err = arena_printf(a, "cannot find module providing package %s", path);
			goto out;
		}
		if (mod_reqs_graph(ld, rs, &mg, &e) < 0) {
			r->err = arena_strdup(a, err_msg(&e));
			err_clear(&e);
			goto out;
		}
	}
out:
	VEC_FREE(&mods);
}

/* ---- the loader --------------------------------------------------------------- */

static bool is_main_pkg(struct tl *t, const struct mod_lpkg *p)
{
	return *p->mod.path && mod_reqs_is_main(t->ld, p->mod);
}

static void apply_flags(struct tl *t, struct mod_lpkg *p, unsigned flags);

static struct mod_lpkg *tl_pkg(struct tl *t, const char *path, unsigned flags)
{
	struct mod_lpkg *p = map_get(&t->cache, path);

	if (!p) {
		p = arena_new(t->a, struct mod_lpkg);
		p->path = arena_strdup(t->a, path);
		p->mod = (struct mod_version){"", ""};
		p->dir = "";
		map_put(&t->cache, p->path, p);
		apply_flags(t, p, flags);
		VEC_PUSH(&t->work, p);
		return p;
	}
	apply_flags(t, p, flags);
	return p;
}

static const char *std_vendor(struct tl *t, const char *parent, const char *path)
{
	char *vp, *dir;
	const char *res = path;

	if (mod_is_std_path(path))
		return path;
	if (has_prefix(parent, "cmd/") || strcmp(parent, "cmd") == 0)
		vp = xasprintf("cmd/vendor/%s", path);
	else
		vp = xasprintf("vendor/%s", path);
	dir = path_join(t->ld->goroot_src, vp);
	if (os_exists(dir))
		res = arena_strdup(t->a, vp);
	free(dir);
	free(vp);
	return res;
}

static struct mod_lpkg *pkg_test(struct tl *t, struct mod_lpkg *p, unsigned test_flags)
{
	struct mod_lpkg *test;

	if (!p->test) {
		test = arena_new(t->a, struct mod_lpkg);
		test->path = p->path;
		test->test_of = p;
		test->mod = p->mod;
		test->dir = p->dir;
		test->err = p->err;
		test->in_std = p->in_std;
		p->test = test;
		apply_flags(t, test, test_flags);
		{
			unsigned imp_flags = (test->flags & MOD_PKG_IN_ALL) ? MOD_PKG_IN_ALL : 0;
			for (size_t i = 0; i < p->test_imports.n; i++) {
				const char *path = p->test_imports.v[i];
				if (p->in_std)
					path = std_vendor(t, test->path, path);
				VEC_PUSH(&test->imports, tl_pkg(t, path, imp_flags));
			}
		}
		p->test_imports.n = 0;
		apply_flags(t, test, MOD_PKG_IMPORTS_LOADED);
	} else {
		apply_flags(t, p->test, test_flags);
	}
	return p->test;
}

static void apply_flags(struct tl *t, struct mod_lpkg *p, unsigned flags)
{
	unsigned old, new_;

	if (flags == 0)
		return;
	if ((flags & MOD_PKG_IN_ALL) && !p->test_of && t->all_root)
		flags |= MOD_PKG_IS_ROOT; /* allPatternIsRoot */
	if (flags & MOD_PKG_IS_ROOT)
		flags |= MOD_PKG_FROM_ROOT;
	old = p->flags;
	new_ = old | flags;
	p->flags = new_;
	if (new_ == old || !(new_ & MOD_PKG_IMPORTS_LOADED))
		return;
	if (!p->test_of) {
		bool want = false;
		if (t->all_root && is_main_pkg(t, p))
			want = true;
		else if (t->all_root && t->all_closes_over_tests && (new_ & MOD_PKG_IN_ALL))
			want = true;
		else if (t->load_tests && (new_ & MOD_PKG_IS_ROOT))
			want = true;
		if (want) {
			unsigned tf = 0;
			if (is_main_pkg(t, p) || (t->all_closes_over_tests && (new_ & MOD_PKG_IN_ALL)))
				tf |= MOD_PKG_IN_ALL;
			pkg_test(t, p, tf);
		}
	}
	if ((new_ & MOD_PKG_IN_ALL) && (old & (MOD_PKG_IN_ALL | MOD_PKG_IMPORTS_LOADED)) !=
	                                   (MOD_PKG_IN_ALL | MOD_PKG_IMPORTS_LOADED))
		for (size_t i = 0; i < p->imports.n; i++)
			apply_flags(t, p->imports.v[i], MOD_PKG_IN_ALL);
	if ((new_ & MOD_PKG_FROM_ROOT) && (old & (MOD_PKG_FROM_ROOT | MOD_PKG_IMPORTS_LOADED)) !=
	                                      (MOD_PKG_FROM_ROOT | MOD_PKG_IMPORTS_LOADED))
		for (size_t i = 0; i < p->imports.n; i++)
			apply_flags(t, p->imports.v[i], MOD_PKG_FROM_ROOT);
}

static bool is_tool(struct tl *t, const char *path)
{
	for (size_t k = 0; k < t->ld->mains.n; k++) {
		struct mod_file *f = t->ld->mains.v[k]->file;
		for (size_t i = 0; f && i < f->tools.n; i++)
			if (strcmp(f->tools.v[i], path) == 0)
				return true;
	}
	return false;
}

static void tl_load(struct tl *t, struct mod_lpkg *p)
{
	struct mod_graph *mg = NULL;
	struct mod_import_result r;
	const struct scan *s;
	unsigned imp_flags;
	struct err e = ERR_INIT;

	if (!t->rs->pruned && mod_reqs_graph(t->ld, t->rs, &mg, &e) < 0)
		mg = NULL;
	err_clear(&e);
	mod_import_from_modules(t->ld, p->path, t->rs, mg, t->skip_import_mod_files, &r);
	p->mod = r.mod;
	p->dir = r.dir;
	p->err = r.err;
	p->err_missing = r.missing;
	p->err_missing_std = r.missing && mod_is_std_path(p->path);
	p->err_ambiguous = r.ambiguous;
	p->amb_mods = r.amb_mods;
	p->namb = r.namb;
	p->err_sum = r.sum_missing;
	p->err_sum_found = r.sum_found;
	p->sum_mods = r.sum_mods;
	for (size_t i = 0; i < r.alt_mods.n; i++)
		VEC_PUSH(&p->alt_mods, r.alt_mods.v[i]);
	VEC_FREE(&r.alt_mods);
	if (is_tool(t, p->path))
		apply_flags(t, p, MOD_PKG_IN_ALL);
	if (!*p->dir)
		return;
	if (is_main_pkg(t, p))
		apply_flags(t, p, MOD_PKG_IN_ALL);
	p->in_std = mod_is_std_path(p->path) && path_has_prefix_dir(p->dir, t->ld->goroot_src);
	s = scan_dir_any(t, p->dir);
	if (s->err) {
		p->err = s->err;
		return;
	}
	imp_flags = (p->flags & MOD_PKG_IN_ALL) ? MOD_PKG_IN_ALL : 0;
	for (size_t i = 0; i < s->imports.n; i++) {
		const char *path = s->imports.v[i];
		if (p->in_std)
			path = std_vendor(t, p->path, path);
		VEC_PUSH(&p->imports, tl_pkg(t, path, imp_flags));
	}
	for (size_t i = 0; i < s->test_imports.n; i++)
		load_strs_push(t->a, &p->test_imports, s->test_imports.v[i]);
	apply_flags(t, p, MOD_PKG_IMPORTS_LOADED);
}

static void build_stacks(struct tl *t)
{
	t->pkgs.n = 0;
	for (size_t i = 0; i < t->roots.n; i++) {
		t->roots.v[i]->stack = t->roots.v[i];
		VEC_PUSH(&t->pkgs, t->roots.v[i]);
	}
	for (size_t i = 0; i < t->pkgs.n; i++) {
		struct mod_lpkg *p = t->pkgs.v[i];
		for (size_t j = 0; j < p->imports.n; j++) {
			struct mod_lpkg *n = p->imports.v[j];
			if (!n->stack) {
				n->stack = p;
				VEC_PUSH(&t->pkgs, n);
			}
		}
		if (p->test && !p->test->stack) {
			p->test->stack = p;
			VEC_PUSH(&t->pkgs, p->test);
		}
	}
	for (size_t i = 0; i < t->roots.n; i++)
		t->roots.v[i]->stack = NULL;
}

static const char *stack_text(struct tl *t, const struct mod_lpkg *p)
{
	VEC(const struct mod_lpkg *) st = {0};
	struct buf b = BUF_INIT;
	const char *res;

	for (const struct mod_lpkg *q = p; q; q = q->stack)
		VEC_PUSH(&st, q);
	for (size_t i = st.n; i-- > 0;) {
		const struct mod_lpkg *q = st.v[i];
		buf_adds(&b, q->path);
		if (q->test_of)
			buf_adds(&b, ".test");
		if (i > 0)
			buf_adds(&b, st.v[i - 1]->test_of == q ? " tested by\n\t" : " imports\n\t");
	}
	res = arena_strdup(t->a, b.data ? b.data : "");
	buf_release(&b);
	VEC_FREE(&st);
	return res;
}

/* list_roots is matchPackages(all) over the main module with AnyTags, plus
 * the tools: the packages of the main module, sorted. */
static void walk_main(struct tl *t, const char *root, const char *dir, const char *ipath, struct load_strs *out)
{
	const struct load_dirents *d;
	struct err e = ERR_INIT;

	if (strcmp(dir, root) != 0) {
		char *gomod = path_join(dir, "go.mod");
		bool nested = os_is_regular(gomod);
		free(gomod);
		if (nested)
			return;
	}
	{
		const struct scan *s = scan_dir_any(t, dir);
		if (!s->err || strcmp(s->err, "no Go source files") != 0)
			load_strs_push(t->a, out, ipath);
	}
	/* walkPkgs' pruneVendor: a vendor directory may be a package, but
	 * nothing below it is */
	if (strcmp(dir, root) != 0 && strcmp(path_base(dir), "vendor") == 0)
		return;
	d = load_dir_entries(t->ld, dir, &e);
	if (!d) {
		err_clear(&e);
		return;
	}
	for (size_t i = 0; i < d->n; i++) {
		const char *name = d->v[i].name;
		char *sub;
		if (name[0] == '.' || name[0] == '_' || strcmp(name, "testdata") == 0)
			continue;
		sub = path_join(dir, name);
		if (d->v[i].type != OS_FT_DIR) {
			free(sub);
			continue;
		}
		/* the go.mod's ignore lines (matchPackages' ignorePatterns) */
		if (load_ignored_dir(t->ld, sub)) {
			if (t->ld->opts.x)
				fprintf(stderr, "# ignoring directory %s\n", sub);
		} else {
			walk_main(t, root, sub, arena_printf(t->a, "%s/%s", ipath, name), out);
		}
		free(sub);
	}
	(void)e;
}

static void list_roots(struct tl *t, struct load_strs *out)
{
	struct load_module *m = t->main ? t->main : t->ld->mains.v[0];

	/* workspace mode without opts.MainModule (work vendor): the packages
	 * of every workspace module */
	if (t->ws && !t->main)
		for (size_t k = 0; k < t->ld->mains.n; k++)
			walk_main(t, t->ld->mains.v[k]->dir, t->ld->mains.v[k]->dir, t->ld->mains.v[k]->path, out);
	else
		walk_main(t, m->dir, m->dir, m->path, out);
	load_strs_sort(out);
	/* MainModules.Tools(): go ranges over a map, so the order of the
	 * tools only shows in import stacks */
	for (size_t k = 0; k < t->ld->mains.n; k++) {
		struct mod_file *f = t->ld->mains.v[k]->file;
		for (size_t i = 0; f && i < f->tools.n; i++)
			load_strs_push(t->a, out, f->tools.v[i]);
	}
}

/* free_pkg_vecs frees the heap vectors of every package in the cache (the
 * packages themselves live in the arena). */
static void free_pkg_vecs(struct tl *t)
{
	size_t i = 0;
	const char *key;
	void *val;

	while (map_next(&t->cache, &i, &key, &val)) {
		struct mod_lpkg *p = val;
		VEC_FREE(&p->imports);
		VEC_FREE(&p->alt_mods);
		if (p->test) {
			VEC_FREE(&p->test->imports);
			VEC_FREE(&p->test->alt_mods);
		}
	}
}

static void tl_reset(struct tl *t)
{
	free_pkg_vecs(t);
	map_release(&t->cache);
	map_init(&t->cache);
	t->work.n = t->work_head = 0;
	t->roots.n = 0;
	t->pkgs.n = 0;
}

/* roots_upgraded reports whether new_ has a root old lacks or a higher
 * version of one of old's. */
static bool roots_upgraded(const struct mod_reqs *old, const struct mod_reqs *new_)
{
	for (size_t i = 0; i < new_->nroots; i++) {
		const struct mod_version *m = &new_->roots[i];
		bool found = false, higher = false;
		for (size_t j = 0; j < old->nroots; j++)
			if (strcmp(old->roots[j].path, m->path) == 0) {
				found = true;
				higher = mod_compare_version(m->path, m->version, old->roots[j].version) > 0;
				if (!higher)
					break;
			}
		if (!found || higher)
			return true;
	}
	return false;
}

/* unpruned_dirty is updateUnprunedRoots' readonly check: a root below
 * the version the graph selects for its path. */
static bool unpruned_dirty(struct load_state *ld, struct mod_reqs *rs)
{
	struct mod_graph *mg;
	struct err e = ERR_INIT;

	if (mod_reqs_graph(ld, rs, &mg, &e) < 0) {
		err_clear(&e);
		return false;
	}
	for (size_t i = 0; i < rs->nroots; i++)
		if (strcmp(rs->roots[i].version, mod_graph_selected(mg, rs->roots[i].path)) != 0)
			return true;
	return false;
}

/* update_requirements is loader.updateRequirements; *changed as go's. */
static int update_requirements(struct tl *t, bool *changed, struct err *e)
{
	struct load_state *ld = t->ld;
	struct load_strs direct = {0};
	struct mod_reqs *rs = t->rs, *tidy = NULL;
	struct mod_version *add = NULL;
	size_t nadd = 0;

	*changed = false;
	if (t->ws)
		return 0; /* updateWorkspaceRoots: the roots are the workspace modules */
	/* loadedDirect: "all" is a root and the tags are AnyTags; else the
	 * known direct requirements stay */
	if (!t->all_root)
		for (size_t i = 0; i < rs->direct.n; i++)
			load_strs_push(t->a, &direct, rs->direct.v[i]);
	for (size_t i = 0; i < t->pkgs.n; i++) {
		struct mod_lpkg *p = t->pkgs.v[i];
		if (*p->mod.version || !is_main_pkg(t, p))
			continue;
		for (size_t j = 0; j < p->imports.n; j++) {
			struct mod_lpkg *dep = p->imports.v[j];
			if (mod_lpkg_external(ld, dep) && !load_strs_contains(&direct, dep->mod.path))
				load_strs_push(t->a, &direct, dep->mod.path);
		}
	}
	load_strs_sort(&direct);
	if (t->tidy) {
		if (mod_reqs_tidy(ld, rs, t->pkgs.v, t->pkgs.n, &tidy, e) < 0)
			return -1;
		add = tidy->roots;
		nadd = tidy->nroots;
	}
	if (t->roots_imported) {
		if (mod_reqs_update_imported(ld, &direct, rs, t->pkgs.v, t->pkgs.n, &rs, e) < 0)
			return -1;
	} else if (mod_reqs_update(ld, &direct, rs, t->pkgs.v, t->pkgs.n, add, nadd, &rs, e) < 0) {
		return -1;
	}
	if (t->readonly) {
		/* updatePrunedRoots / updateUnprunedRoots when go.mod may not
		 * change: a root added or upgraded is errGoModDirty; cosmetic
		 * changes are kept only where go keeps them (pruned graphs) */
		if (roots_upgraded(t->rs, rs) || (!t->rs->pruned && unpruned_dirty(ld, t->rs)))
			return err_setf(e, "updates to go.mod needed; to update it:\n\tgo mod tidy");
		if (!t->rs->pruned)
			return 0;
	}
	if (strcmp(mod_reqs_go_version(rs), mod_reqs_go_version(t->rs)) != 0) {
		*changed = true;
	} else if (rs != t->rs) {
		bool same = rs->nroots == t->rs->nroots;
		for (size_t i = 0; same && i < rs->nroots; i++)
			same = strcmp(rs->roots[i].path, t->rs->roots[i].path) == 0 &&
			       strcmp(rs->roots[i].version, t->rs->roots[i].version) == 0;
		if (!same) {
			struct mod_graph *mg;
			if (mod_reqs_graph(ld, rs, &mg, e) < 0)
				return -1;
			for (size_t i = 0; i < t->pkgs.n && !*changed; i++) {
				struct mod_lpkg *p = t->pkgs.v[i];
				if (mod_lpkg_external(ld, p) && strcmp(mod_graph_selected(mg, p->mod.path), p->mod.version) != 0) {
					*changed = true;
					break;
				}
				if (p->err) {
					struct mod_import_result r;
					mod_import_from_modules(ld, p->path, rs, NULL, t->skip_import_mod_files, &r);
					VEC_FREE(&r.alt_mods);
					if (!r.err)
						*changed = true;
				}
			}
		}
	}
	t->rs = rs;
	return 0;
}

/* highest_replaced is MainModules.HighestReplaced for the main go.mod. */
static const char *zero_pseudo(struct tl *t, const char *mp)
{
	char *prefix = NULL, *major = NULL;
	const char *res = "v0.0.0-00010101000000-000000000000";

	if (mod_split_path_version(mp, &prefix, &major) && major && *major)
		res = arena_printf(t->a, "%s.0.0-00010101000000-000000000000", major + 1);
	free(prefix);
	free(major);
	return res;
}

/* A QueryPattern result of queryPrefixModules for one module path. */
struct qcand {
	struct mod_version m;
	bool found;
};

/* query_packages is queryImport's network half: QueryPackages(path,
 * "latest") over every module path that may hold path (longest first;
 * each found version downloaded), then the first candidate the build
 * list does not already hold at a higher version.  NULL with *found set,
 * or go's error text. */
static const char *query_packages(struct tl *t, const char *path, struct mod_version *found)
{
	struct load_state *ld = t->ld;
	struct mod_fetch *f = load_fetcher(ld);
	struct mod_query_source src;
	struct mod_allow allow;
	struct mod_graph *mg;
	struct err e = ERR_INIT;
	VEC(struct qcand) cands = {0};
	const char *err = NULL, *nopkg = NULL, *novers = NULL, *notexist = NULL, *res = NULL;
	bool found_any = false;
	char *prefix = xstrdup(path);

	if (mod_reqs_graph(ld, t->rs, &mg, &e) < 0) {
		res = arena_strdup(t->a, err_msg(&e));
		err_clear(&e);
		free(prefix);
		return res;
	}
	load_query_source(ld, f, &src);
	mod_allow_init(&allow, &src, ld->mains.v[0]->file);
	allow.main_dir = ld->mains.v[0]->dir;
	/* modulePrefixesExcludingTarget */
	for (;;) {
		char *pre = NULL, *major = NULL, *sl;
		if (strcmp(prefix, ld->mains.v[0]->path) != 0 && mod_split_path_version(prefix, &pre, &major)) {
			struct qcand c = {{arena_strdup(t->a, prefix), ""}, false};
			VEC_PUSH(&cands, c);
		}
		free(pre);
		free(major);
		if (!(sl = strrchr(prefix, '/')))
			break;
		*sl = 0;
	}
	free(prefix);
	for (size_t i = 0; i < cands.n; i++) {
		struct qcand *c = &cands.v[i];
		const char *cur = mod_graph_selected(mg, c->m.path), *dir;
		struct mod_rev_info info = {0};
		unsigned kind = 0;
		bool has_go = false, local;
		struct mod_version a;
		const char *msg;
		char *d;
		if (strcmp(cur, "none") == 0)
			cur = "";
		if (mod_query(&src, c->m.path, "latest", cur, mod_check_allowed, &allow, &info, &kind, &e) < 0)
			goto failed;
		c->m.version = arena_strdup(t->a, info.version);
		mod_rev_info_release(&info);
		/* fetch: the replacement of the version found, a directory or
		 * another module's download */
		a = load_module_actual(ld, c->m);
		local = !*a.version;
		if (local) {
			char *ad = path_is_abs(a.path) ? path_clean(a.path) : path_join(ld->mains.v[0]->dir, a.path);
			dir = arena_strdup(t->a, ad);
			free(ad);
		} else if (load_fetch_download(ld, a.path, a.version, &dir, &e) < 0) {
			kind = mod_fetch_notexist(f) ? MOD_QERR_NOTEXIST : 0;
			goto failed;
		}
		d = load_dir_in_module(ld, path, c->m.path, dir, local, &has_go);
		free(d);
		if (has_go) {
			c->found = found_any = true;
		} else if (!nopkg) {
			/* PackageNotInModuleError (query "latest") */
			const struct mod_replace *rep = load_module_replacement(ld, c->m);
			const char *how = c->m.version;
			if (rep)
				how = arena_printf(t->a, "%s, replaced by %s", c->m.version,
				                   rep->new.version && *rep->new.version
				                       ? arena_printf(t->a, "%s@%s", rep->new.path, rep->new.version)
				                       : rep->new.path);
			nopkg = arena_printf(t->a, "module %s@latest found (%s), but does not contain package %s", c->m.path,
			                     how, path);
		}
		continue;
	failed:
		/* queryPrefixModules' ranking; an unclassified error of a shorter
		 * path counts only while no longer path has been found */
		msg = arena_strdup(t->a, err_msg(&e));
		err_clear(&e);
		if (kind & MOD_QERR_NOMATCH) {
			if (!novers)
				novers = msg;
		} else if (kind & MOD_QERR_NOTEXIST) {
			if (!notexist)
				notexist = msg;
		} else if (!err && !nopkg && !found_any) {
			err = msg;
		}
	}
	{
		const struct qcand *first = NULL;
		for (size_t i = 0; i < cands.n && !res; i++) {
			const struct qcand *c = &cands.v[i];
			const char *v;
			if (!c->found)
				continue;
			if (!first)
				first = c;
			v = mod_graph_selected(mg, c->m.path);
			if (strcmp(v, "none") != 0 && mod_compare_version(c->m.path, v, c->m.version) > 0)
				continue;
			*found = c->m;
			goto out;
		}
		if (first) {
			const char *v = mod_graph_selected(mg, first->m.path);
			res = arena_printf(t->a, "package %s provided by %s at latest version %s but not at required version %s",
			                   path, first->m.path, first->m.version, v);
			goto out;
		}
	}
	if (err)
		res = err;
	else if (nopkg)
		res = nopkg;
	else if (novers)
		res = novers;
	else if (notexist)
		res = arena_printf(t->a, "cannot find module providing package %s: %s", path, notexist);
	else
		res = arena_printf(t->a, "cannot find module providing package %s", path);
out:
	mod_allow_release(&allow);
	VEC_FREE(&cands);
	return res;
}

/* query_import is queryImport without the network: a directory
 * replacement of a module not required may provide the package (its zero
 * pseudo-version); anything else is refused.  *found is set when a module
 * was found; *is_std when the error is the standard library's. */
static const char *query_import(struct tl *t, const char *path, struct mod_version *found, bool *is_std)
{
	struct load_state *ld = t->ld;
	struct mod_file *f = ld->mains.v[0]->file;
	VEC(struct mod_version) mods = {0};
	const char *proxy = cfg_getenv(ld->cfg, "GOPROXY");
	const char *res = NULL;
	bool off = proxy && strcmp(proxy, "off") == 0;

	found->path = "";
	for (size_t i = 0; f && i < f->replaces.n; i++) {
		const struct mod_replace *r = &f->replaces.v[i];
		const char *mp = r->old.path, *mv = r->old.version ? r->old.version : "";
		size_t n = strlen(mp);
		bool seen = false;
		struct mod_graph *mg;
		struct err e = ERR_INIT;
		if (!(strcmp(path, mp) == 0 || (strncmp(path, mp, n) == 0 && path[n] == '/')))
			continue;
		/* the highest replaced version of mp */
		for (size_t j = 0; j < f->replaces.n; j++) {
			const struct mod_replace *q = &f->replaces.v[j];
			const char *qv = q->old.version ? q->old.version : "";
			if (strcmp(q->old.path, mp) == 0 && (!*qv || (*mv && mod_semver_compare(qv, mv) > 0)))
				mv = qv;
		}
		for (size_t j = 0; j < mods.n; j++)
			if (strcmp(mods.v[j].path, mp) == 0)
				seen = true;
		if (seen)
			continue;
		if (!*mv)
			mv = zero_pseudo(t, mp);
		if (mod_reqs_graph(ld, t->rs, &mg, &e) < 0) {
			res = arena_strdup(t->a, err_msg(&e));
			err_clear(&e);
			goto out;
		}
		if (mod_compare_version(mp, mod_graph_selected(mg, mp), mv) >= 0)
			continue;
		{
			struct mod_version m = {mp, mv};
			VEC_PUSH(&mods, m);
		}
	}
	/* longest path first */
	for (size_t i = 1; i < mods.n; i++)
		for (size_t j = i; j > 0 && strlen(mods.v[j].path) > strlen(mods.v[j - 1].path); j--) {
			struct mod_version x = mods.v[j];
			mods.v[j] = mods.v[j - 1];
			mods.v[j - 1] = x;
		}
	for (size_t i = 0; i < mods.n; i++) {
		const char *root;
		bool is_local, has_go;
		struct err e = ERR_INIT;
		char *dir;
		if (mod_fetch_root(ld, mods.v[i], &root, &is_local, &e) < 0) {
			res = arena_strdup(t->a, err_msg(&e));
			err_clear(&e);
			goto out;
		}
		dir = load_dir_in_module(ld, path, mods.v[i].path, root, is_local, &has_go);
		free(dir);
		if (has_go) {
			*found = mods.v[i];
			goto out;
		}
	}
	if (mods.n > 0) {
		/* a path that cannot be fetched can only be in a replaced
		 * module, and is not: PackageNotInModuleError */
		struct err e = ERR_INIT;
		if (mod_check_path(path, &e) < 0) {
			const struct mod_replace *rep = load_module_replacement(ld, mods.v[0]);
			const char *how = mods.v[0].version;
			if (rep)
				how = arena_printf(t->a, "%s, replaced by %s", mods.v[0].version,
				                   rep->new.version && *rep->new.version
				                       ? arena_printf(t->a, "%s@%s", rep->new.path, rep->new.version)
				                       : rep->new.path);
			res = arena_printf(t->a, "module %s@latest found (%s), but does not contain package %s",
			                   mods.v[0].path, how, path);
			err_clear(&e);
			goto out;
		}
		err_clear(&e);
	}
	if (mod_is_std_path(path)) {
		*is_std = true;
		res = arena_printf(t->a, "package %s is not in std (%s/%s)", path, ld->goroot_src, path);
		goto out;
	}
	if (strcmp(ld->mod_mode, "mod") != 0) {
		/* readonly: no lookup (the error names no -mod flag: go mod
		 * vendor's readonly is the command's, not the user's) */
		res = arena_printf(t->a, "no required module provides package %s; to add it:\n\tgo get %s", path, path);
		goto out;
	}
	if (!map_has(&ld->finding, path)) {
		/* the package loader's queries: once per path (go resolves the
		 * literal roots while matching patterns, before its loop) */
		if (t->literal_roots)
			map_put(&ld->finding, arena_strdup(t->a, path), (void *)1);
		fflush(stdout);
		fprintf(stderr, "%s: finding module for package %s\n", prog_name, path);
		t->announced = true;
	}
	if (off && !load_prefix_replaced(ld, path))
		res = arena_printf(t->a, "cannot find module providing package %s: module lookup disabled by GOPROXY=off", path);
	else if (!off && !load_fetch_enabled(ld))
		res = arena_printf(t->a, "cannot find module providing package %s: module queries are not supported yet", path);
	else
		res = query_packages(t, path, found);
out:
	VEC_FREE(&mods);
	return res;
}

/* ws_missing_text is ImportMissingError's text once resolveMissingImports
 * has set ImportingMainModule (the first workspace module on p's import
 * stack): without a query error, go says where to run go get when that
 * module is not the one containing the current directory. */
static const char *ws_missing_text(struct tl *t, const struct mod_lpkg *p, const char *err)
{
	struct load_state *ld = t->ld;
	const struct load_module *im = NULL, *cwd_mod = NULL;
	const char *want = arena_printf(t->a, "no required module provides package %s; to add it:\n\tgo get %s",
	                                p->path, p->path);

	if (!ld->workspace || strcmp(err, want) != 0)
		return err;
	for (const struct mod_lpkg *s = p->stack; s && !im; s = s->stack)
		for (size_t k = 0; k < ld->mains.n && !im; k++)
			if (*s->mod.path && !*s->mod.version && strcmp(s->mod.path, ld->mains.v[k]->path) == 0)
				im = ld->mains.v[k];
	/* MainModules.ModContainingCWD */
	for (size_t k = 0; k < ld->mains.n && !cwd_mod; k++)
		if (path_has_prefix_dir(ld->cwd, ld->mains.v[k]->dir))
			cwd_mod = ld->mains.v[k];
	if (!im || im == cwd_mod)
		return err;
	return arena_printf(t->a, "no required module provides package %s; to add it:\n\tcd %s\n\tgo get %s", p->path,
	                    im->dir, p->path);
}

/* resolve_missing is resolveMissingImports: modules to add (heap vec). */
static void resolve_missing(struct tl *t, struct mvvec *add)
{
	for (size_t i = 0; i < t->pkgs.n; i++) {
		struct mod_lpkg *p = t->pkgs.v[i];
		struct mod_version m;
		const char *err;
		bool dup = false, is_std = false;
		if (!p->err || p->test_of || !p->err_missing)
			continue;
		t->announced = false;
		err = query_import(t, p->path, &m, &is_std);
		if (err) {
			/* SilenceMissingStdImports: only ImportMissingError's isStd */
			p->err_missing_std = is_std;
			/* a root package go fails to find is looked for twice:
			 * a command-line literal in the package loader, a tool
			 * among tidy's roots */
			if ((t->literal_roots && (p->flags & MOD_PKG_IS_ROOT)) ||
			    (!t->literal_roots && t->announced && is_tool(t, p->path))) {
				fflush(stdout);
				fprintf(stderr, "%s: finding module for package %s\n", prog_name, p->path);
			}
			p->err = ws_missing_text(t, p, err);
			continue;
		}
		if (strcmp(t->ld->mod_mode, "mod") != 0) {
			/* readonly: queryImport's ImportMissingError for a module
			 * that is replaced but not required */
			bool zero = strcmp(m.version, zero_pseudo(t, m.path)) == 0;
			p->err = arena_printf(t->a, "module %s provides package %s and is replaced but not required; to add it:\n\tgo get %s%s%s",
			                      m.path, p->path, m.path, zero ? "" : "@", zero ? "" : m.version);
			continue;
		}
		if (!t->literal_roots || !(p->flags & MOD_PKG_IS_ROOT)) {
			fflush(stdout);
			fprintf(stderr, "%s: found %s in %s %s\n", prog_name, p->path, m.path, m.version);
		}
		for (size_t j = 0; j < add->n; j++)
			if (strcmp(add->v[j].path, m.path) == 0 && strcmp(add->v[j].version, m.version) == 0)
				dup = true;
		if (!dup)
			VEC_PUSH(add, m);
	}
	mod_sort_versions(add->v, add->n);
}

static bool is_go_at(void *ctx, struct mod_version m)
{
	return strcmp(m.path, "go") == 0 && strcmp(m.version, (const char *)ctx) == 0;
}

/* conflict_text is Conflict{Path: FindPath(go@v)[1:], Constraint: go@-go}
 * .Summary(), or .String() with -v. */
static const char *conflict_text(struct tl *t, struct mod_graph *mg, const char *v)
{
	struct mod_version *path;
	size_t n = mod_graph_find_path(mg, is_go_at, (void *)v, &path);
	struct buf b = BUF_INIT;
	const char *res;

	if (n < 2)
		return "(internal error: invalid Conflict struct)";
	path++;
	n--;
	if (t->verbose) {
		buf_printf(&b, "%s@%s", path[0].path, path[0].version);
		if (n == 1)
			buf_adds(&b, " found");
		for (size_t i = 1; i < n; i++)
			buf_printf(&b, " requires\n\t%s@%s", path[i].path, path[i].version);
		buf_printf(&b, ", but %s is requested", t->tidy_go);
	} else if (n == 1) {
		buf_printf(&b, "%s@%s is above %s", path[0].path, path[0].version, t->tidy_go);
	} else {
		buf_printf(&b, "%s@%s %srequires %s@%s, but %s is requested", path[0].path, path[0].version,
		           n > 2 ? "indirectly " : "", path[n - 1].path, path[n - 1].version, t->tidy_go);
	}
	res = arena_strdup(t->a, b.data);
	buf_release(&b);
	return res;
}

/* sum_error_text is ImportMissingSumError.Error with the importer
 * LoadPackages fills in from the import stack. */
static const char *sum_error_text(struct tl *t, const struct mod_lpkg *p)
{
	const struct mod_lpkg *imp = p->stack;
	struct buf b = BUF_INIT;
	const char *paren = imp ? arena_printf(t->a, " (imported by %s)", imp->path) : "";
	const char *res;

	if (p->err_sum_found)
		buf_printf(&b, "missing go.sum entry needed to verify package %s%s is provided by exactly one module",
		           p->path, paren);
	else
		buf_printf(&b, "missing go.sum entry for module providing package %s%s", p->path, paren);
	if (!imp) {
		if (p->sum_mods.n > 0) {
			buf_adds(&b, "; to add:\n\tgo mod download");
			for (size_t i = 0; i < p->sum_mods.n; i++)
				buf_printf(&b, " %s", p->sum_mods.v[i]);
		}
	} else {
		buf_printf(&b, "; to add:\n\tgo get%s %s%s%s", imp->test_of ? " -t" : "", imp->path,
		           *imp->mod.version ? "@" : "", imp->mod.version);
	}
	res = arena_strdup(t->a, b.data);
	buf_release(&b);
	return res;
}

/* warn_all_unmatched is search.WarnUnmatched for a pattern "all" that
 * matched no packages. */
static void warn_all_unmatched(void)
{
	fflush(stdout);
	fprintf(stderr, "%s: warning: \"all\" matched no packages\n", prog_name);
}

/* load_from_roots is loadFromRoots for the pattern "all"; -1: exit 1. */
static int load_from_roots(struct tl *t)
{
	struct load_state *ld = t->ld;
	struct err e = ERR_INIT;
	int rc = -1;

	if (!t->arg_roots)
		t->all_root = true;
	if (!t->rs->pruned && !t->ws) {
		struct mod_reqs *rs;
		/* expandGraph */
		if (mod_reqs_update(ld, &t->rs->direct, t->rs, NULL, 0, NULL, 0, &rs, &e) < 0) {
			tl_error(t, err_msg(&e));
			err_clear(&e);
		} else if (t->readonly) {
			if (roots_upgraded(t->rs, rs) || unpruned_dirty(ld, t->rs))
				tl_error(t, "updates to go.mod needed; to update it:\n\tgo mod tidy");
		} else {
			t->rs = rs;
		}
	}
	if (tl_exit_if_errors(t) < 0)
		return -1;
	for (;;) {
		struct load_strs roots = {0};
		const char *gov;
		bool changed;
		struct mvvec add = {0};

		tl_reset(t);
		gov = t->tidy_go ? t->tidy_go : mod_reqs_go_version(t->rs);
		if (!t->ws) {
			struct mod_reqs *rs;
			if (mod_reqs_convert(ld, t->rs, tc_version_compare(gov, "1.17") >= 0, &rs, &e) < 0) {
				tl_error(t, err_msg(&e));
				err_clear(&e);
				return tl_exit_if_errors(t);
			}
			t->rs = rs;
		}
		t->skip_import_mod_files = t->tidy && tc_version_compare(gov, "1.21") < 0;
		t->all_closes_over_tests = tc_version_compare(gov, "1.16") < 0 && !t->use_vendor_all;
		if (t->all_root)
			list_roots(t, &roots);
		for (size_t i = 0; t->arg_roots && i < t->arg_roots->n; i++)
			if (!t->all_root || !load_strs_contains(&roots, t->arg_roots->v[i]))
				load_strs_push(t->a, &roots, t->arg_roots->v[i]);
		for (size_t i = 0; i < roots.n; i++) {
			struct mod_lpkg *p = tl_pkg(t, roots.v[i], MOD_PKG_IS_ROOT);
			bool in = false;
			for (size_t j = 0; j < t->roots.n; j++)
				if (t->roots.v[j] == p)
					in = true;
			if (!in)
				VEC_PUSH(&t->roots, p);
		}
		while (t->work_head < t->work.n)
			tl_load(t, t->work.v[t->work_head++]);
		build_stacks(t);
		if (update_requirements(t, &changed, &e) < 0) {
			tl_error(t, err_msg(&e));
			err_clear(&e);
			break;
		}
		if (changed)
			continue;
		if (!t->resolve_missing)
			break; /* ResolveMissingImports is off for go mod why */
		resolve_missing(t, &add);
		if (add.n == 0) {
			VEC_FREE(&add);
			break;
		}
		{
			struct mod_reqs *rs;
			int r = mod_reqs_update(ld, &t->rs->direct, t->rs, NULL, 0, add.v, add.n, &rs, &e);
			VEC_FREE(&add);
			if (r < 0) {
				tl_error(t, err_msg(&e));
				err_clear(&e);
				break;
			}
			t->rs = rs;
		}
	}
	if (tl_exit_if_errors(t) < 0)
		return -1;
	if (t->tidy) {
		struct mod_reqs *rs;
		if (mod_reqs_tidy(ld, t->rs, t->pkgs.v, t->pkgs.n, &rs, &e) < 0) {
			tl_error(t, err_msg(&e));
			err_clear(&e);
		} else {
			if (t->tidy_go) {
				struct mod_reqs *tidy = mod_reqs_override(ld, rs, (struct mod_version){"go", t->tidy_go});
				struct mod_graph *mg;
				const char *v;
				if (mod_reqs_graph(ld, tidy, &mg, &e) < 0) {
					tl_error(t, err_msg(&e));
					err_clear(&e);
				}
				v = mg ? mod_graph_selected(mg, "go") : "";
				if (strcmp(v, t->tidy_go) == 0) {
					rs = tidy;
				} else {
					tl_error(t, conflict_text(t, mg, v));
				}
			}
			t->rs = rs;
		}
		if (tl_exit_if_errors(t) < 0)
			return -1;
	}
	for (size_t i = 0; i < t->pkgs.n; i++) {
		struct mod_lpkg *p = t->pkgs.v[i];
		if (!p->err)
			continue;
		if (p->err_missing_std)
			continue; /* SilenceMissingStdImports (tidy); why silences all */
		if (t->silence_pkg_errors)
			continue;
		if (p->err_sum)
			p->err = sum_error_text(t, p);
		tl_error(t, arena_printf(t->a, "%s: %s", stack_text(t, p), p->err));
	}
	/* checkMultiplePaths */
	{
		struct mod_version *bl = t->rs->roots;
		size_t n = t->rs->nroots;
		struct map first;
		if (t->rs->graph) {
			n = mod_graph_build_list(t->rs->graph, &bl);
		}
		map_init(&first);
		for (size_t i = 0; i < n; i++) {
			struct mod_version src = load_module_actual(ld, bl[i]);
			const char *k = arena_printf(t->a, "%s@%s", src.path, src.version);
			const char *prev = map_get(&first, k);
			if (!*bl[i].version)
				continue;
			if (!prev)
				map_put(&first, k, (void *)bl[i].path);
			else if (strcmp(prev, bl[i].path) != 0)
				tl_error(t, arena_printf(t->a, "%s@%s used for two different module paths (%s and %s)",
				                         src.path, src.version, prev, bl[i].path));
		}
		map_release(&first);
	}
	rc = 0;
	return rc;
}

static void tl_init(struct tl *t, struct load_state *ld)
{
	memset(t, 0, sizeof *t);
	t->ld = ld;
	t->a = &ld->arena;
	map_init(&t->cache);
	map_init(&t->scanned);
}

static void tl_release(struct tl *t)
{
	free_pkg_vecs(t);
	map_release(&t->cache);
	map_release(&t->scanned);
	VEC_FREE(&t->work);
	VEC_FREE(&t->roots);
	VEC_FREE(&t->pkgs);
	strvec_clear(&t->errors);
}

/* check_why_supported is check_tidy_supported for go mod why, which also
 * runs in a workspace (InitWorkfile). */
static int check_why_supported(struct load_state *ld, struct err *e)
{
	if (!load_has_modroot(ld))
		return err_setf(e, "%s", load_no_main_modules_error(ld));
	return 0;
}

static int check_tidy_supported(struct load_state *ld, struct err *e)
{
	if (!load_has_modroot(ld))
		return err_setf(e, "%s", load_no_main_modules_error(ld));
	if (load_workspace_mode(ld))
		return err_setf(e, "go mod why in workspace mode (go.work) is not supported yet");
	return 0;
}

/* init_reqs is the tail of loadModFile: redundant roots are updated away
 * and, for go mod tidy, a go.mod without a go line gets the toolchain's
 * version (or -go's), with the graph converted to a pruned one. */
static int init_reqs(struct tl *t, bool tidy)
{
	struct load_state *ld = t->ld;
	struct mod_reqs *rs = t->rs;
	struct err e = ERR_INIT;
	bool redundant = false;

	for (size_t i = 0; i < rs->nroots; i++)
		if (strcmp(rs->roots[i].path, ld->mains.v[0]->path) == 0 ||
		    (i > 0 && strcmp(rs->roots[i].path, rs->roots[i - 1].path) == 0))
			redundant = true;
	if (redundant && mod_reqs_update(ld, &rs->direct, rs, NULL, 0, NULL, 0, &rs, &e) < 0)
		goto fail;
	if (tidy && !(ld->mains.v[0]->file && ld->mains.v[0]->file->go)) {
		const char *v = t->tidy_go;
		if (!v)
			v = ld->cfg->tc.version && has_prefix(ld->cfg->tc.version, "go") ? ld->cfg->tc.version + 2 : "1.16";
		rs = mod_reqs_override(ld, rs, (struct mod_version){"go", arena_strdup(t->a, v)});
		if (tc_version_compare(v, "1.17") >= 0 && mod_reqs_convert(ld, rs, true, &rs, &e) < 0)
			goto fail;
	}
	t->rs = rs;
	return 0;
fail:
	base_errorf("%s", err_msg(&e));
	err_clear(&e);
	return -1;
}

/* ---- go mod tidy's tail (LoadPackages with opts.Tidy) ------------------------ */

static const char *gover_prev(struct arena *a, const char *v)
{
	/* gover.Prev: 1.N -> 1.(N-1), 1.N.x -> 1.(N-1) */
	long minor = 0;
	const char *p = strchr(v, '.');
	if (!p)
		return v;
	minor = strtol(p + 1, NULL, 10);
	if (minor <= 0)
		return "1";
	return arena_printf(a, "1.%ld", minor - 1);
}

/* check_compat is checkTidyCompatibility; -1: exit 1. */
static int check_compat(struct tl *t, struct mod_reqs *rs, const char *compat)
{
	struct load_state *ld = t->ld;
	const char *gov = mod_reqs_go_version(rs);
	struct mod_graph *mg;
	struct err e = ERR_INIT;
	bool suggest_upgrade = false, suggest_e = false, any = false;
	const char *main_go = ld->mains.v[0]->file && ld->mains.v[0]->file->go ? ld->mains.v[0]->file->go : "1.16";

	if (mod_reqs_graph(ld, rs, &mg, &e) < 0) {
		tl_error(t, arena_printf(t->a, "error loading go %s module graph: %s", compat, err_msg(&e)));
		err_clear(&e);
		tl_switch(t);
		any = true;
		goto suggest;
	}
	for (size_t i = 0; i < t->pkgs.n; i++) {
		struct mod_lpkg *p = t->pkgs.v[i];
		struct mod_import_result r;
		if (!*p->mod.path && !p->err)
			continue;
		if (p->test_of)
			continue; /* reported through its package */
		mod_import_from_modules(ld, p->path, rs, mg, t->skip_import_mod_files, &r);
		VEC_FREE(&r.alt_mods);
		if (strcmp(r.mod.path, p->mod.path) == 0 && strcmp(r.mod.version, p->mod.version) == 0)
			continue;
		any = true;
		if (r.err) {
			if (r.missing)
				tl_error(t, arena_printf(t->a, "%s loaded from %s@%s,\n\tbut go %s would fail to locate it in %s@%s",
				                         stack_text(t, p), p->mod.path, p->mod.version, compat, p->mod.path,
				                         mod_graph_selected(mg, p->mod.path)));
			else
				tl_error(t, arena_printf(t->a, "%s loaded from %s@%s,\n\tbut go %s would fail to locate it:\n\t%s",
				                         stack_text(t, p), p->mod.path, p->mod.version, compat, r.err));
			suggest_e = true;
			if (!suggest_upgrade)
				for (size_t j = 0; j < t->rs->nroots; j++)
					if (strcmp(mod_graph_selected(mg, t->rs->roots[j].path), t->rs->roots[j].version) != 0) {
						suggest_upgrade = true;
						break;
					}
		} else if (p->err) {
			suggest_upgrade = true;
			tl_error(t, arena_printf(t->a, "%s failed to load from any module,\n\tbut go %s would load it from %s@%s",
			                         p->path, compat, r.mod.path, r.mod.version));
		} else {
			suggest_upgrade = true;
			tl_error(t, arena_printf(t->a, "%s loaded from %s@%s,\n\tbut go %s would select %s\n",
			                         stack_text(t, p), p->mod.path, p->mod.version, compat, r.mod.version));
		}
	}
	if (!any)
		return 0;
	tl_switch(t);
suggest:
	if (!t->allow_errors) {
		const char *go_flag = strcmp(gov, main_go) != 0 ? arena_printf(t->a, " -go=%s", gov) : "";
		const char *compat_flag = strcmp(compat, gover_prev(t->a, gov)) != 0 ? arena_printf(t->a, " -compat=%s", compat) : "";
		fflush(stdout);
		fprintf(stderr, "\n");
		if (suggest_upgrade)
			fprintf(stderr, "To upgrade to the versions selected by go %s%s:\n\tgo mod tidy%s -go=%s && go mod tidy%s -go=%s%s\n",
			        compat, suggest_e ? ", leaving some packages unresolved" : "", suggest_e ? " -e" : "", compat,
			        suggest_e ? " -e" : "", gov, compat_flag);
		else if (suggest_e)
			fprintf(stderr, "To proceed despite packages unresolved in go %s:\n\tgo mod tidy -e%s%s\n", compat, go_flag,
			        compat_flag);
		fprintf(stderr, "If reproducibility with go %s is not needed:\n\tgo mod tidy%s -compat=%s\n", compat, go_flag, gov);
		fprintf(stderr, "For information about 'go mod tidy' compatibility, see:\n\thttps://go.dev/ref/mod#graph-pruning\n");
	}
	return tl_exit_if_errors(t);
}

static void print_diff(struct arena *a, const char *old_name, const char *old, const char *new_name, const char *new_,
                       bool *any)
{
	struct buf b = BUF_INIT;

	mod_text_diff(old_name, old, new_name, new_, &b);
	(void)a;
	if (b.len > 0) {
		/* fmt.Println(string(diff)) */
		fwrite(b.data, 1, b.len, stdout);
		fputc('\n', stdout);
		*any = true;
	}
	buf_release(&b);
}

/*
 * tidy_write is LoadPackages("all") with opts.Tidy from t's requirements
 * and the writes that follow it (its WriteGoSum, then commitRequirements):
 * go mod tidy's, and work sync's for a module whose requirements changed.
 * initial is loadModFile's answer.  0, or -1 when go would exit (printed).
 */
static int tidy_write(struct tl *t, struct mod_reqs *initial, const struct mod_tidy_opts *o)
{
	struct load_state *ld = t->ld;
	struct err e = ERR_INIT;
	struct map keep, keep2;
	char *gm_before = NULL, *gm_after = NULL, *gs_before = NULL, *gs_after = NULL;
	const char *gov, *compat;
	bool dirty = false;
	int rc = -1;

	map_init(&keep);
	map_init(&keep2);
	if (load_from_roots(t) < 0 || tl_exit_if_errors(t) < 0)
		goto out;
	if (t->pkgs.n == 0)
		warn_all_unmatched();
	if (o->v) {
		struct mod_graph *mg = NULL;
		mod_reqs_graph(ld, t->rs, &mg, &e);
		err_clear(&e);
		for (size_t i = 0; i < initial->nroots; i++) {
			const char *p = initial->roots[i].path, *v;
			bool unused;
			if (!t->rs->pruned)
				unused = mg && strcmp(mod_graph_selected(mg, p), "none") == 0;
			else
				unused = !mod_reqs_root_selected(ld, t->rs, p, &v);
			if (unused) {
				fflush(stdout);
				fprintf(stderr, "unused %s\n", p);
			}
		}
	}
	gov = mod_reqs_go_version(t->rs);
	mod_reqs_keep_sums(ld, t->rs, t->pkgs.v, t->pkgs.n, gov, true, &keep);
	compat = o->compat && *o->compat ? o->compat : NULL;
	if (!compat)
		compat = tc_version_compare(gov, "1.21") < 0 ? gover_prev(t->a, gov) : gov;
	if (tc_version_compare(compat, gov) > 0)
		compat = gov;
	if ((tc_version_compare(compat, "1.17") >= 0) != t->rs->pruned) {
		struct mod_reqs *crs = mod_reqs_new(ld, tc_version_compare(compat, "1.17") >= 0, t->rs->roots,
		                                    t->rs->nroots, &t->rs->direct);
		if (check_compat(t, crs, compat) < 0)
			goto out;
		mod_reqs_keep_sums(ld, crs, t->pkgs.v, t->pkgs.n, gov, true, &keep);
	}
	if (mod_reqs_gomod_text(ld, t->rs, ld->mains.v[0]->file->go ? NULL : mod_reqs_go_version(initial), NULL, &gm_before, &gm_after, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		goto out;
	}
	if (o->diff) {
		bool any = false;
		struct map *knew = &keep;
		if (tc_version_compare(compat, "1.16") > 0) {
			/* keepSums(loaded, requirements, addBuildListZipSums) */
			struct mod_version *bl;
			size_t n;
			mod_reqs_keep_sums(ld, t->rs, t->pkgs.v, t->pkgs.n, gov, true, &keep2);
			n = t->rs->graph ? mod_graph_build_list(t->rs->graph, &bl) : 0;
			for (size_t j = 1; j < n; j++) {
				struct mod_version r = load_module_actual(ld, bl[j]);
				const char *zk;
				if (!*r.version || is_toolchain_path(r.path))
					continue;
				/* TidyGoSum writes the sums go.sum has and the sums
				 * this run checked: a zip it never opened adds none */
				zk = arena_printf(t->a, "%s %s", r.path, r.version);
				if (map_has(&ld->zips_checked, zk))
					map_put(&keep2, zk, (void *)1);
				if (tc_version_compare(gov, "1.21") >= 0)
					map_put(&keep2, arena_printf(t->a, "%s %s/go.mod", r.path, r.version), (void *)1);
			}
			knew = &keep2;
		}
		mod_reqs_gosum_text(ld, &keep, knew, &gs_before, &gs_after, &dirty);
		print_diff(t->a, "current/go.mod", gm_before, "tidy/go.mod", gm_after, &any);
		print_diff(t->a, "current/go.sum", gs_before, "tidy/go.sum", gs_after, &any);
		if (any)
			base_set_exit_status(1);
		rc = 0;
		goto out;
	}
	/* commitRequirements for "mod tidy": go.mod under the side lock
	 * (taken whether or not go.mod changes), then go.sum, under it
	 * again, when a sum is to be added or dropped */
	if (load_write_locked(ld, ld->mains.v[0]->gomod, "go.mod", gm_before, gm_after, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		goto out;
	}
	mod_reqs_gosum_text(ld, &keep, &keep, &gs_before, &gs_after, &dirty);
	if (dirty) {
		char *file = xstrdup(ld->mains.v[0]->gosum);
		int r = load_write_locked(ld, file, "go.sum", gs_before, gs_after, &e);
		free(file);
		if (r < 0) {
			base_errorf("%s", err_msg(&e));
			goto out;
		}
	}
	rc = 0;
out:
	err_clear(&e);
	free(gm_before);
	free(gm_after);
	free(gs_before);
	free(gs_after);
	map_release(&keep);
	map_release(&keep2);
	return rc;
}

int mod_tidy(const struct cfg *cfg, const struct mod_tidy_opts *o)
{
	struct load_opts lo = {0};
	struct load_state *ld = NULL;
	struct tl t;
	struct err e = ERR_INIT;
	struct mod_reqs *initial = NULL;
	int rc = 1;

	lo.mod_flag = "mod";
	lo.no_workfile = true; /* go mod tidy works on the module alone */
	lo.x = o->x;
	lo.modfile = o->modfile;
	if (load_state_new(cfg, &lo, &ld, &e) < 0 || check_tidy_supported(ld, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		goto done;
	}
	tl_init(&t, ld);
	t.tidy = true;
	t.resolve_missing = true;
	t.load_tests = true;
	t.allow_errors = o->e;
	t.tidy_go = o->go && *o->go ? o->go : NULL;
	t.verbose = o->v;
	if (mod_reqs_from_modfile(ld, &initial, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		goto out;
	}
	t.rs = initial;
	if (init_reqs(&t, true) < 0)
		goto out;
	initial = t.rs; /* loadModFile's answer */
	if (tidy_write(&t, initial, o) < 0)
		goto out;
	rc = base_exit_status();
out:
	tl_release(&t);
done:
	err_clear(&e);
	load_state_free(ld);
	return rc ? rc : base_exit_status();
}

/* ---- go mod why ------------------------------------------------------------------ */

static const char *why_text(struct tl *t, const struct mod_lpkg *p)
{
	VEC(const struct mod_lpkg *) st = {0};
	struct buf b = BUF_INIT;
	const char *res;

	for (const struct mod_lpkg *q = p; q; q = q->stack)
		VEC_PUSH(&st, q);
	for (size_t i = st.n; i-- > 0;)
		buf_printf(&b, "%s%s\n", st.v[i]->test_of ? st.v[i]->test_of->path : st.v[i]->path,
		           st.v[i]->test_of ? ".test" : "");
	res = arena_strdup(t->a, b.data ? b.data : "");
	buf_release(&b);
	VEC_FREE(&st);
	return res;
}

static size_t why_depth(const struct mod_lpkg *p)
{
	size_t n = 0;
	for (; p; p = p->stack)
		n++;
	return n;
}

/* why_module_args is ListModules(args) as go mod why -m uses it: "all"
 * and patterns with "..." become the build list's modules they match (each
 * module once; a pattern matching none is warned about), other arguments
 * stay as they are. */
static int why_module_args(struct load_state *ld, struct arena *a, char *const **args, size_t *nargs)
{
	struct mod_graph *g;
	struct err e = ERR_INIT;
	struct load_strs out = {0};
	struct map seen;

	if (load_module_graph(ld, NULL, &g, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		err_clear(&e);
		return -1;
	}
	map_init(&seen);
	for (size_t i = 0; i < *nargs; i++) {
		const char *arg = (*args)[i];
		struct mod_version *ms;
		size_t nm;
		if (strcmp(arg, "all") != 0 && !strstr(arg, "...")) {
			/* moduleInfo: a module of the build list is completed
			 * from the cache (its .info fetched) */
			const char *v = mod_graph_selected(g, arg);
			if (strcmp(v, "none") != 0 && *v && !mod_reqs_is_main(ld, (struct mod_version){arg, ""}))
				load_module_complete(ld, load_dep_module(ld, arg, v));
			load_strs_push(a, &out, arg);
			continue;
		}
		nm = mod_graph_match(g, arg, &seen, &ms);
		for (size_t k = 0; k < nm; k++) {
			if (*ms[k].version)
				load_module_complete(ld, load_dep_module(ld, ms[k].path, ms[k].version));
			load_strs_push(a, &out, ms[k].path);
		}
	}
	map_release(&seen);
	*args = (char *const *)out.v;
	*nargs = out.n;
	return 0;
}

int mod_why(const struct cfg *cfg, bool m, bool vendor, const char *modfile, char *const *args, size_t nargs)
{
	struct load_opts lo = {0};
	struct load_state *ld = NULL;
	struct tl t;
	struct err e = ERR_INIT;
	struct mod_reqs *initial = NULL;
	struct buf out = BUF_INIT;
	const char *sep = "";
	const char *vend = vendor ? " to vendor" : "";
	char *dflt[1], **dflt_args = NULL;
	int rc = 1;

	lo.mod_flag = "mod";
	lo.mod_default = true; /* go mod why's own mode, not a -mod flag */
	lo.modfile = modfile;
	if (m) {
		for (size_t i = 0; i < nargs; i++)
			if (strchr(args[i], '@'))
				base_fatalf("%s: 'go mod why' requires a module path, not a version query", args[i]);
	} else {
		for (size_t i = 0; i < nargs; i++)
			if (strstr(args[i], "...") || load_pattern_is_local(args[i]) || path_is_abs(args[i]) ||
			    load_pattern_is_meta(args[i]) || strstr(args[i], ".go") ||
			    strchr(args[i], '@')) {
				base_errorf("mod why with the package pattern %s is not supported yet (only import paths)",
				            args[i]);
				return 1;
			}
	}
	if (load_state_new(cfg, &lo, &ld, &e) < 0 || check_why_supported(ld, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		goto done;
	}
	tl_init(&t, ld);
	t.load_tests = !vendor;
	t.use_vendor_all = vendor;
	t.silence_pkg_errors = true;
	if (load_workspace_mode(ld)) {
		/* the workspace's requirements: its roots and graph (workspace
		 * pruning), as go work vendor loads them */
		struct mod_graph *mg;
		if (load_module_graph(ld, NULL, &mg, &e) < 0) {
			base_errorf("%s", err_msg(&e));
			goto out;
		}
		initial = arena_new(&ld->arena, struct mod_reqs);
		initial->pruned = false;
		initial->roots = ld->roots;
		initial->nroots = ld->nroots;
		initial->graph = ld->graph;
		initial->graph_err = ld->graph_err;
		t.rs = initial;
		t.ws = true;
	} else {
		if (mod_reqs_from_modfile(ld, &initial, &e) < 0) {
			base_errorf("%s", err_msg(&e));
			goto out;
		}
		t.rs = initial;
		if (init_reqs(&t, false) < 0)
			goto out;
	}
	if (nargs == 0 && m) {
		/* ListModules without arguments: the main modules */
		dflt_args = xcalloc(ld->mains.n ? ld->mains.n : 1, sizeof *dflt_args);
		for (size_t i = 0; i < ld->mains.n; i++)
			dflt_args[i] = (char *)ld->mains.v[i]->path;
		args = dflt_args;
		nargs = ld->mains.n;
	} else if (nargs == 0) {
		/* CleanPatterns: "."; the package of the main module (the
		 * innermost workspace module) holding the current directory.
		 * Outside every module "." matches nothing (its error is
		 * silenced) and nothing is printed. */
		const struct load_module *best = NULL;
		size_t bn = 0;
		for (size_t i = 0; i < ld->mains.n; i++) {
			const char *dir = ld->mains.v[i]->dir;
			size_t n = strlen(dir);
			if ((strcmp(ld->cwd, dir) == 0 || (strncmp(ld->cwd, dir, n) == 0 && ld->cwd[n] == '/')) &&
			    (!best || n > bn)) {
				best = ld->mains.v[i];
				bn = n;
			}
		}
		if (!best) {
			rc = 0;
			goto out;
		}
		dflt[0] = ld->cwd[bn] ? arena_printf(t.a, "%s/%s", best->path, ld->cwd + bn + 1) : (char *)best->path;
		args = dflt;
		nargs = 1;
	}
	if (!m) {
		/* LoadPackages(args): resolves the patterns, loads the named
		 * packages (fetching their modules); its errors are silenced */
		struct tl first;
		struct load_strs roots = {0};
		tl_init(&first, ld);
		first.load_tests = !vendor;
		first.use_vendor_all = vendor;
		first.silence_pkg_errors = true;
		first.rs = t.rs;
		for (size_t i = 0; i < nargs; i++)
			load_strs_push(t.a, &roots, args[i]);
		first.arg_roots = &roots;
		int r = load_from_roots(&first);
		if (r == 0)
			t.rs = first.rs;
		tl_release(&first);
		if (r < 0 || base_exit_status() != 0)
			goto out;
	}
	if (m && why_module_args(ld, t.a, &args, &nargs) < 0)
		goto out;
	if (load_from_roots(&t) < 0 || tl_exit_if_errors(&t) < 0)
		goto out;
	if (t.pkgs.n == 0)
		warn_all_unmatched(); /* LoadPackages' WarnUnmatched */
	for (size_t i = 0; i < nargs; i++) {
		const char *why = "";
		if (m) {
			const struct mod_lpkg *best = NULL;
			size_t best_depth = 1000000000;
			struct load_strs paths = {0};
			/* the loaded non-test packages of the module, sorted */
			for (size_t j = 0; j < t.pkgs.n; j++) {
				const struct mod_lpkg *p = t.pkgs.v[j];
				if (!p->test_of && strcmp(p->mod.path, args[i]) == 0)
					load_strs_push(t.a, &paths, p->path);
			}
			load_strs_sort(&paths);
			for (size_t j = 0; j < paths.n; j++) {
				const struct mod_lpkg *p = map_get(&t.cache, paths.v[j]);
				size_t d = why_depth(p);
				if (d < best_depth) {
					best = p;
					best_depth = d;
				}
			}
			if (best)
				why = why_text(&t, best);
			if (!*why)
				why = arena_printf(t.a, "(main module does not need%s module %s)\n", vend, args[i]);
		} else {
			const struct mod_lpkg *p = map_get(&t.cache, args[i]);
			if (p)
				why = why_text(&t, p);
			if (!*why)
				why = arena_printf(t.a, "(main module does not need%s package %s)\n", vend, args[i]);
		}
		buf_printf(&out, "%s# %s\n%s", sep, args[i], why);
		sep = "\n";
	}
	fwrite(out.data ? out.data : "", 1, out.len, stdout);
	fflush(stdout);
	rc = base_exit_status();
out:
	tl_release(&t);
done:
	free(dflt_args);
	err_clear(&e);
	buf_release(&out);
	load_state_free(ld);
	return rc ? rc : base_exit_status();
}

/* ---- go mod vendor's load --------------------------------------------------------- */

/* gomod_dirty is modFileIsDirty in readonly mode for the go.mod texts
 * before and after UpdateGoModFromReqs: "// indirect" comments do not
 * count, nor a go line added where go.mod has none and the default 1.16
 * is what the graph needs. */
static bool gomod_dirty(struct load_state *ld, const char *before, const char *after)
{
	struct mod_file *b, *a;
	struct err e = ERR_INIT;
	const char *bgo, *ago;

	if (mod_file_parse(&ld->arena, "go.mod", before, strlen(before), true, &b, &e) < 0 ||
	    mod_file_parse(&ld->arena, "go.mod", after, strlen(after), true, &a, &e) < 0) {
		err_clear(&e);
		return strcmp(before, after) != 0;
	}
	bgo = b->go ? b->go : "";
	ago = a->go ? a->go : "";
	if (!b->go && strcmp(ago, "1.16") == 0)
		ago = "";
	if (strcmp(bgo, ago) != 0 || strcmp(b->toolchain ? b->toolchain : "", a->toolchain ? a->toolchain : "") != 0 ||
	    b->requires.n != a->requires.n || b->replaces.n != a->replaces.n || b->excludes.n != a->excludes.n)
		return true;
	for (size_t i = 0; i < a->requires.n; i++) {
		bool found = false;
		for (size_t j = 0; j < b->requires.n && !found; j++)
			found = strcmp(a->requires.v[i].mod.path, b->requires.v[j].mod.path) == 0 &&
			        strcmp(a->requires.v[i].mod.version, b->requires.v[j].mod.version) == 0;
		if (!found)
			return true;
	}
	return false;
}

int mod_vendor_load(struct load_state *ld, bool allow_errors, struct mod_vendor_pkgs *out, struct mod_reqs **final)
{
	struct tl t;
	struct err e = ERR_INIT;
	struct mod_reqs *initial = NULL;
	char *before = NULL, *after = NULL;
	int rc = -1;

	memset(out, 0, sizeof *out);
	*final = NULL;
	tl_init(&t, ld);
	t.resolve_missing = true;
	t.readonly = true;
	t.use_vendor_all = true;
	t.allow_errors = allow_errors;
	if (load_workspace_mode(ld)) {
		/* the workspace's requirements (its roots and graph, workspace
		 * pruning), never updated: go.mod files are not written in
		 * workspace mode, so there is no go.mod to find dirty */
		struct mod_graph *mg;
		if (ld->mains.n > 0 && load_module_graph(ld, NULL, &mg, &e) < 0) {
			base_errorf("%s", err_msg(&e));
			goto out;
		}
		initial = arena_new(&ld->arena, struct mod_reqs);
		initial->pruned = false;
		initial->roots = ld->roots;
		initial->nroots = ld->nroots;
		initial->graph = ld->graph;
		initial->graph_err = ld->graph_err;
		t.rs = initial;
		t.ws = true;
		if (ld->mains.n > 0 && (load_from_roots(&t) < 0 || tl_exit_if_errors(&t) < 0))
			goto out;
		if (t.pkgs.n == 0)
			warn_all_unmatched();
	} else {
		if (mod_reqs_from_modfile(ld, &initial, &e) < 0) {
			base_errorf("%s", err_msg(&e));
			goto out;
		}
		t.rs = initial;
		if (init_reqs(&t, false) < 0)
			goto out;
		if (load_from_roots(&t) < 0 || tl_exit_if_errors(&t) < 0)
			goto out;
		/* commitRequirements: readonly may not change go.mod */
		if (t.pkgs.n == 0)
			warn_all_unmatched();
		if (mod_reqs_gomod_text(ld, t.rs, NULL, NULL, &before, &after, &e) < 0) {
			base_errorf("%s", err_msg(&e));
			goto out;
		}
		if (gomod_dirty(ld, before, after)) {
			base_errorf("updates to go.mod needed; to update it:\n\tgo mod tidy");
			goto out;
		}
	}
	for (size_t i = 0; i < t.pkgs.n; i++) {
		const struct mod_lpkg *p = t.pkgs.v[i];
		struct mod_vendor_pkg vp;
		if (p->test_of)
			continue;
		vp.path = p->path;
		vp.dir = p->dir;
		vp.mod = p->mod;
		VEC_PUSH(out, vp);
	}
	*final = t.rs;
	rc = 0;
out:
	free(before);
	free(after);
	err_clear(&e);
	tl_release(&t);
	return rc;
}

/* ---- go get's loads ---------------------------------------------------------------- */

int mod_get_initial_reqs(struct load_state *ld, struct mod_reqs **out)
{
	struct tl t;
	struct err e = ERR_INIT;
	int rc = -1;

	tl_init(&t, ld);
	if (mod_reqs_from_modfile(ld, &t.rs, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		err_clear(&e);
		goto out;
	}
	if (init_reqs(&t, false) < 0)
		goto out;
	*out = t.rs;
	rc = 0;
out:
	tl_release(&t);
	return rc;
}

/* commit_gomod is commitRequirements' go.mod half for a single main
 * module: rs's go.mod text written under the side lock when it differs
 * from the file's, or when a version in the file needed fixing
 * (modFileIsDirty's dataNeedsFix: the parsed text has it fixed already).
 * 1: written, 0: unchanged, -1: e set. */
static int commit_gomod(struct load_state *ld, struct mod_reqs *rs, struct err *e)
{
	char *before = NULL, *after = NULL;
	int rc = 0;

	if (mod_reqs_gomod_text(ld, rs, NULL, NULL, &before, &after, e) < 0)
		rc = -1;
	else if (strcmp(before, after) != 0 || ld->gomod_fixed)
		rc = load_write_locked(ld, ld->mains.v[0]->gomod, "go.mod", before, after, e) < 0 ? -1 : 1;
	free(before);
	free(after);
	return rc;
}

int load_write_fixed_gomod(struct load_state *ld, struct err *e)
{
	struct mod_reqs *rs;

	if (ld->workspace || ld->mains.n != 1 || !ld->gomod_fixed || strcmp(ld->mod_mode, "mod") != 0)
		return 0;
	if (mod_get_initial_reqs(ld, &rs) < 0)
		base_exit(1); /* its error is printed */
	return commit_gomod(ld, rs, e) < 0 ? -1 : 0;
}

int load_expand_graph(struct load_state *ld, struct mod_graph **g, bool commit, struct err *e)
{
	struct mod_reqs *rs, *up;

	/* (with -mod=mod an excluded requirement is dropped from go.mod too) */
	if (ld->workspace || ld->mains.n != 1 || !*g ||
	    (load_all_roots_selected(ld, *g) &&
	     !(commit && (ld->roots_dropped || ld->gomod_fixed) && strcmp(ld->mod_mode, "mod") == 0)))
		return 0;
	if (mod_get_initial_reqs(ld, &rs) < 0)
		return -1;
	rs->graph = *g; /* rs.Graph, as expandGraph loaded it */
	/* updateRoots; on its error go keeps the original requirements */
	if (mod_reqs_update(ld, &rs->direct, rs, NULL, 0, NULL, 0, &up, e) < 0) {
		err_clear(e);
		return 0;
	}
	if (mod_reqs_graph(ld, up, g, e) < 0)
		return -1;
	/* commitRequirements (LoadModGraph, ListModules): with -mod=mod the
	 * updated roots are written to go.mod under the side lock */
	if (!commit || !ld->mod_mode || strcmp(ld->mod_mode, "mod") != 0)
		return 0;
	load_adopt_graph(ld, up->roots, up->nroots, *g);
	return commit_gomod(ld, up, e) < 0 ? -1 : 0;
}

int mod_get_load(struct load_state *ld, struct mod_reqs *rs, const struct load_strs *roots, bool all, bool tests,
                 bool allow_errors, bool roots_imported, struct mod_get_pkgs *out, struct map *imports,
                 struct mod_reqs **final)
{
	struct tl t;
	int rc = -1;

	memset(out, 0, sizeof *out);
	*final = rs;
	tl_init(&t, ld);
	t.rs = rs;
	t.arg_roots = roots;
	t.all_root = all;
	t.load_tests = tests;
	t.allow_errors = allow_errors;
	t.silence_pkg_errors = !allow_errors;
	t.roots_imported = roots_imported;
	if (load_from_roots(&t) < 0)
		goto out;
	for (size_t i = 0; i < t.pkgs.n; i++)
		VEC_PUSH(out, t.pkgs.v[i]);
	/* the import vectors go with the loader: copies for the caller */
	for (size_t i = 0; imports && i < t.pkgs.n; i++) {
		const struct mod_lpkg *p = t.pkgs.v[i];
		struct load_strs *l;
		if (p->test_of)
			continue;
		l = arena_new(&ld->arena, struct load_strs);
		for (int k = 0; k < 2; k++) {
			const struct mod_lpkg *from = k ? p->test : p;
			for (size_t j = 0; from && j < from->imports.n; j++) {
				const struct mod_lpkg *d = from->imports.v[j];
				const char *path = d->test_of ? d->test_of->path : d->path;
				if (!load_strs_contains(l, path))
					load_strs_push(&ld->arena, l, path);
			}
		}
		map_put(imports, p->path, l);
	}
	*final = t.rs;
	rc = 0;
out:
	tl_release(&t);
	return rc;
}

int load_resolve_missing(struct load_state *ld, const struct load_strs *roots, bool tests, bool all,
                         struct strvec *errs, bool *changed)
{
	struct tl t;
	struct mod_reqs *rs = NULL;
	struct err e = ERR_INIT;
	int rc = -1;

	*changed = false;
	if (mod_get_initial_reqs(ld, &rs) < 0)
		return -1;
	tl_init(&t, ld);
	t.rs = rs;
	if (ld->mains.v[0]->file && !ld->mains.v[0]->file->go) {
		/* loadModFile with -mod=mod: a go.mod without a go line gets
		 * the local version's, its requirements converted to a
		 * pruned graph from 1.17 on */
		const char *v = ld->cfg->tc.version && has_prefix(ld->cfg->tc.version, "go") ? ld->cfg->tc.version + 2
		                                                                            : "1.16";
		t.rs = mod_reqs_override(ld, rs, (struct mod_version){"go", v});
		if (tc_version_compare(v, "1.17") >= 0 && mod_reqs_convert(ld, t.rs, true, &t.rs, &e) < 0) {
			base_errorf("%s", err_msg(&e));
			goto out;
		}
	}
	t.arg_roots = roots;
	t.all_root = all;
	t.load_tests = tests;
	t.allow_errors = true;
	t.silence_pkg_errors = true;
	t.resolve_missing = true;
	t.literal_roots = true;
	if (load_from_roots(&t) < 0)
		goto out;
	/* the packages no query found a module for: their errors, for the
	 * caller's next load */
	for (size_t i = 0; i < t.pkgs.n; i++) {
		const struct mod_lpkg *p = t.pkgs.v[i];
		if (p->err && p->err_missing && !p->test_of) {
			strvec_push(errs, p->path);
			strvec_push(errs, p->err);
		}
	}
	/* commitRequirements: go.mod now; go.sum when the next load writes it */
	if (t.rs != rs || ld->gomod_fixed) {
		int w = commit_gomod(ld, t.rs, &e);
		if (w < 0) {
			base_errorf("%s", err_msg(&e));
			goto out;
		}
		*changed = w > 0;
	}
	rc = 0;
out:
	err_clear(&e);
	tl_release(&t);
	return rc;
}

/* ws_reqs is the workspace's requirements: its roots and graph (workspace
 * pruning), as loaded (load_module_graph). */
static struct mod_reqs *ws_reqs(struct load_state *ld)
{
	struct mod_reqs *rs = arena_new(&ld->arena, struct mod_reqs);
	rs->pruned = false;
	rs->roots = ld->roots;
	rs->nroots = ld->nroots;
	rs->graph = ld->graph;
	rs->graph_err = ld->graph_err;
	return rs;
}

int mod_get_load_ws(struct load_state *ld, const struct load_strs *roots, bool all, bool tests,
                    struct mod_get_pkgs *out, struct map *direct)
{
	struct tl t;
	struct mod_reqs *rs;
	struct mod_graph *mg;
	struct err e = ERR_INIT;
	size_t it = 0;
	const char *k;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (load_module_graph(ld, NULL, &mg, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		err_clear(&e);
		return -1;
	}
	rs = ws_reqs(ld);
	tl_init(&t, ld);
	t.rs = rs;
	t.ws = true;
	t.arg_roots = roots;
	t.all_root = all;
	t.load_tests = tests;
	t.allow_errors = true;
	if (load_from_roots(&t) < 0)
		goto out;
	for (size_t i = 0; i < t.pkgs.n; i++)
		VEC_PUSH(out, t.pkgs.v[i]);
	while (map_next(&ld->direct, &it, &k, NULL))
		map_put(direct, k, (void *)1);
	rc = 0;
out:
	tl_release(&t);
	return rc;
}

/* ---- go work sync ------------------------------------------------------------- */

int mod_sync_must_select(struct load_state *ld, struct load_module *m, struct mod_version **out, size_t *nout)
{
	struct tl t;
	struct mod_reqs *rs = ws_reqs(ld);
	VEC(struct mod_version) must = {0};
	struct map seen;
	int rc = -1;

	*out = NULL;
	*nout = 0;
	map_init(&seen);
	tl_init(&t, ld);
	t.rs = rs;
	t.ws = true;
	t.main = m;
	t.load_tests = true;
	t.allow_errors = true;
	t.silence_pkg_errors = true;
	if (load_from_roots(&t) < 0)
		goto out;
	/* PackageModule of each loaded (non-test) package with a version */
	for (size_t i = 0; i < t.pkgs.n; i++) {
		const struct mod_lpkg *p = t.pkgs.v[i];
		const char *k;
		if (p->test_of || !*p->mod.version)
			continue;
		k = arena_printf(&ld->arena, "%s@%s", p->mod.path, p->mod.version);
		if (map_has(&seen, k))
			continue;
		map_put(&seen, k, (void *)1);
		VEC_PUSH(&must, p->mod);
	}
	mod_sort_versions(must.v, must.n);
	*out = must.v;
	*nout = must.n;
	must.v = NULL;
	rc = 0;
out:
	VEC_FREE(&must);
	map_release(&seen);
	tl_release(&t);
	return rc;
}

int mod_sync_module(struct load_state *ld, const struct mod_version *must, size_t nmust, struct mod_allow *allow,
                    const char **go_v)
{
	struct tl t;
	struct err e = ERR_INIT;
	struct mod_reqs *initial = NULL, *ed = NULL;
	struct mod_conflict *cs = NULL;
	size_t ncs = 0;
	bool changed = false;
	struct mod_tidy_opts o;
	const struct mod_file *f = ld->mains.v[0]->file;
	int rc = -1;

	memset(&o, 0, sizeof o);
	o.e = true;
	*go_v = NULL;
	tl_init(&t, ld);
	if (mod_reqs_from_modfile(ld, &initial, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		goto out;
	}
	t.rs = initial;
	/* loadModFile with BuildMod "mod": a missing go line is added */
	if (init_reqs(&t, true) < 0)
		goto out;
	initial = t.rs;
	/* EditBuildList(nil, mustSelect); go skips the module on an error */
	if (mod_reqs_edit(ld, initial, NULL, 0, must, nmust, allow, false, &ed, &changed, &cs, &ncs, &e) < 0) {
		rc = 1;
		goto out;
	}
	if (changed) {
		t.rs = ed;
		t.tidy = true;
		t.load_tests = true;
		t.allow_errors = true;
		t.silence_pkg_errors = true;
		if (tidy_write(&t, initial, &o) < 0)
			goto out;
		*go_v = mod_reqs_go_version(t.rs);
	} else {
		/* MainModules.GoVersion: the go.mod's go line (the one
		 * loadModFile added, when it had none) */
		*go_v = f && f->go ? f->go : mod_reqs_go_version(initial);
	}
	rc = 0;
out:
	err_clear(&e);
	tl_release(&t);
	return rc;
}

void mod_module_packages(struct load_state *ld, const char *root, const char *dir, const char *ipath,
                         struct load_strs *out)
{
	struct tl t;

	tl_init(&t, ld);
	walk_main(&t, root, dir, ipath, out);
	load_strs_sort(out);
	tl_release(&t);
}

/* ---- the package loader's updateRequirements ------------------------------ */

/* ext_module is dep.fromExternalModule: a module other than the main one
 * (not the standard library). */
static const struct load_module *ext_module(const struct load_pkg *p)
{
	if (!p || p->standard || !p->module || p->module->main || !*p->module->path)
		return NULL;
	return p->module;
}

static bool roots_equal(const struct mod_reqs *a, const struct mod_reqs *b)
{
	if (a->nroots != b->nroots)
		return false;
	for (size_t i = 0; i < a->nroots; i++)
		if (strcmp(a->roots[i].path, b->roots[i].path) != 0 ||
		    strcmp(a->roots[i].version, b->roots[i].version) != 0)
			return false;
	return true;
}

int load_update_requirements(struct load_state *ld, bool tests, struct err *e)
{
	struct arena *a = &ld->arena;
	struct mod_reqs *rs, *up;
	VEC(struct load_pkg *) pkgs = {0};
	VEC(struct mod_lpkg *) lp = {0};
	struct load_strs direct = {0};
	struct map in_all;
	bool modmode = strcmp(ld->mod_mode, "mod") == 0;
	size_t it = 0;
	const char *k;
	void *v;
	int rc = -1;

	if (ld->workspace || !ld->has_modroot || ld->vendor_dir || ld->mains.n != 1 || ld->graph_err)
		return 0;
	if (mod_reqs_from_modfile(ld, &rs, e) < 0)
		return -1;
	while (map_next(&ld->pkgs, &it, &k, &v))
		if (!((struct load_pkg *)v)->test_variant)
			VEC_PUSH(&pkgs, (struct load_pkg *)v);
	for (size_t i = 0; i < rs->direct.n; i++)
		load_strs_push(a, &direct, rs->direct.v[i]);
	/* pkgInAll: the main module's packages and what they import (their
	 * tests' imports too when tests are loaded) */
	map_init(&in_all);
	for (size_t i = 0; i < pkgs.n; i++)
		if (pkgs.v[i]->module && pkgs.v[i]->module->main)
			map_put(&in_all, pkgs.v[i]->import_path, pkgs.v[i]);
	for (bool grew = true; grew;) {
		grew = false;
		for (size_t i = 0; i < pkgs.n; i++) {
			const struct load_pkg *p = pkgs.v[i];
			if (!map_has(&in_all, p->import_path))
				continue;
			for (size_t j = 0; j < p->internal_imports.n; j++) {
				const struct load_pkg *d = p->internal_imports.v[j];
				if (!map_has(&in_all, d->import_path)) {
					map_put(&in_all, d->import_path, (void *)d);
					grew = true;
				}
			}
			for (int x = 0; tests && p->module && p->module->main && x < 2; x++) {
				const struct load_strs *l = x ? &p->xtest_imports : &p->test_imports;
				for (size_t j = 0; j < l->n; j++) {
					const struct load_pkg *d = map_get(&ld->pkgs, l->v[j]);
					if (d && !map_has(&in_all, d->import_path)) {
						map_put(&in_all, d->import_path, (void *)d);
						grew = true;
					}
				}
			}
		}
	}
	/* direct: the modules of what the main module's packages import.
	 * Outside -mod=mod an import from a module that is not a root at
	 * that version is the importer's DirectImportFromImplicitDependencyError */
	for (size_t i = 0; i < pkgs.n; i++) {
		struct load_pkg *p = pkgs.v[i];
		if (!p->module || !p->module->main)
			continue;
		for (size_t j = 0; j < p->internal_imports.n; j++) {
			const struct load_module *m = ext_module(p->internal_imports.v[j]);
			const char *rv;
			if (!m)
				continue;
			if (!modmode && !p->error &&
			    (!mod_reqs_root_selected(ld, rs, m->path, &rv) || strcmp(rv, m->version) != 0)) {
				p->error = arena_new(a, struct load_error);
				p->error->pos = "";
				p->error->err = arena_printf(a, "package %s imports %s from implicitly required module; to "
				                             "add missing requirements, run:\n\tgo get %s@%s",
				                             p->import_path, p->internal_imports.v[j]->import_path, m->path,
				                             m->version);
				p->incomplete = true;
				continue;
			}
			if (!load_strs_contains(&direct, m->path))
				load_strs_push(a, &direct, m->path);
		}
		/* its test's imports, when loaded (the test's own loadPkg in go) */
		for (int x = 0; tests && x < 2; x++) {
			const struct load_strs *l = x ? &p->xtest_imports : &p->test_imports;
			for (size_t j = 0; j < l->n; j++) {
				const struct load_pkg *d = map_get(&ld->pkgs, l->v[j]);
				const struct load_module *m = d ? ext_module(d) : NULL;
				if (m && !load_strs_contains(&direct, m->path))
					load_strs_push(a, &direct, m->path);
			}
		}
	}
	for (size_t i = 0; i < pkgs.n; i++) {
		const struct load_pkg *p = pkgs.v[i];
		const struct load_module *m = ext_module(p);
		struct mod_lpkg *l;
		if (!m)
			continue;
		l = arena_new(a, struct mod_lpkg);
		l->path = p->import_path;
		l->mod = (struct mod_version){m->path, m->version};
		l->dir = p->dir;
		if (map_has(&in_all, p->import_path))
			l->flags |= MOD_PKG_IN_ALL;
		if (p->cmdline_pkg)
			l->flags |= MOD_PKG_IS_ROOT;
		VEC_PUSH(&lp, l);
	}
	load_strs_sort(&direct);
	if (mod_reqs_update(ld, &direct, rs, lp.v, lp.n, NULL, 0, &up, e) < 0)
		goto out;
	if (!modmode) {
		/* commitRequirements: go.mod would change ("// indirect"
		 * comments do not count outside -mod=mod) */
		rc = roots_equal(rs, up) && !ld->gomod_fixed ? 0 : load_gomod_dirty_error(ld, e);
		goto out;
	}
	/* -mod=mod: go.mod is brought up to date by the loader that writes
	 * it (load_resolve_missing) */
	if (!roots_equal(rs, up) || direct.n != rs->direct.n || (ld->mains.v[0]->file && !ld->mains.v[0]->file->go) ||
	    ld->gomod_fixed)
		ld->reqs_dirty = true;
	rc = 0;
out:
	map_release(&in_all);
	VEC_FREE(&pkgs);
	VEC_FREE(&lp);
	return rc;
}
