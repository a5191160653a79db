/*
 * Test packages: p.test (the test main), p [p.test] (p with its _test.go
 * files) and p_test [p.test] (the external test), and the test copies of
 * everything between them.  Mirrors cmd/go/internal/load/test.go
 * TestPackagesAndErrors and recompileForTest (go1.26).  The text of the
 * generated main belongs to work/; this file only shapes the graph.
 */
#include <stdlib.h>
#include <string.h>

#include "modload/load_internal.h"

static const char *const test_main_deps[] = {"os", "reflect", "testing", "testing/internal/testdeps"};

static void strs_copy(struct arena *a, struct load_strs *dst, const struct load_strs *src)
{
	for (size_t i = 0; i < src->n; i++)
		load_strs_push(a, dst, src->v[i]);
}

static void pkgs_push(struct load_pkgs *l, struct load_pkg *p)
{
	VEC_PUSH(l, p);
}

/* resolve_test_embeds resolves a pattern list through the injected embed hook. */
static struct load_error *resolve_test_embed(struct load_state *ld, struct load_pkg *p,
                                             const struct load_strs *patterns, struct map *pos,
                                             struct load_strs *files)
{
	size_t bad = 0;
	const char *msg = NULL;
	struct load_error *e;

	if (!ld->opts.embed || patterns->n == 0)
		return NULL;
	if (ld->opts.embed(ld->opts.embed_ctx, &ld->arena, p->dir, patterns->v, patterns->n, files, &bad, &msg) == 0)
		return NULL;
	e = load_error_new(ld, msg);
	e->pos = load_pos_string(ld, map_get(pos, patterns->v[bad]));
	return e;
}

/* key_of names a package by identity for the maps below. */
static const char *key_of(struct load_state *ld, const struct load_pkg *p)
{
	char key[PTR_KEY_SIZE];
	ptr_key(key, p);
	return intern_str(&ld->in, key);
}

static struct load_pkg *pkg_copy(struct load_state *ld, const struct load_pkg *p)
{
	struct load_pkg *p1 = arena_new(&ld->arena, struct load_pkg);

	*p1 = *p;
	/* Lists that a copy may change get their own storage. */
	memset(&p1->imports, 0, sizeof p1->imports);
	strs_copy(&ld->arena, &p1->imports, &p->imports);
	memset(&p1->internal_imports, 0, sizeof p1->internal_imports);
	for (size_t i = 0; i < p->internal_imports.n; i++)
		pkgs_push(&p1->internal_imports, p->internal_imports.v[i]);
	memset(&p1->deps, 0, sizeof p1->deps);
	memset(&p1->deps_errors, 0, sizeof p1->deps_errors);
	memset(&p1->import_map_keys, 0, sizeof p1->import_map_keys);
	memset(&p1->import_map_vals, 0, sizeof p1->import_map_vals);
	memset(&p1->match, 0, sizeof p1->match);
	strs_copy(&ld->arena, &p1->match, &p->match);
	p1->cmdline_pkg = false;
	VEC_PUSH(&ld->forks, p1);
	return p1;
}

/* recompile_for_test mirrors load.recompileForTest. */
static struct load_error *recompile_for_test(struct load_state *ld, struct load_pkg *pmain,
                                             struct load_pkg *preal, struct load_pkg *ptest,
                                             struct load_pkg *pxtest)
{
	struct map copy;   /* key_of(p) -> its test copy */
	char kb[PTR_KEY_SIZE]; /* look-ups need no interned key */
	struct load_pkgs all = {0};
	struct load_error *err = NULL;

	map_init(&copy);
	map_put(&copy, key_of(ld, preal), ptest);
	load_package_list_deps(ld, &pmain, 1, &all);
	for (size_t i = 0; i < all.n; i++) {
		struct load_pkg *p = all.v[i];
		bool did_split = p == pmain || p == pxtest || p == ptest;

		if (p == preal)
			continue;
#define SPLIT() do { \
		if (!did_split) { \
			struct load_pkg *cp = pkg_copy(ld, p); \
			did_split = true; \
			map_put(&copy, key_of(ld, p), cp); \
			cp->for_test = preal->import_path; \
			cp->target = ""; \
			cp->force_library = true; \
			cp->pgo_profile = preal->pgo_profile; \
			p = cp; \
		} \
	} while (0)
		for (size_t k = 0; k < p->internal_imports.n; k++) {
			struct load_pkg *imp = p->internal_imports.v[k];
			struct load_pkg *p1 = map_get(&copy, ptr_key(kb, imp));
			if (p1 && p1 != imp) {
				SPLIT();
				p->internal_imports.v[k] = p1;
			}
		}
		if (strcmp(p->name, "main") == 0 && p != pmain && p != ptest)
			SPLIT();
		if (preal->pgo_profile && preal->pgo_profile[0] && (!p->pgo_profile || !p->pgo_profile[0]))
			SPLIT();
#undef SPLIT
	}
	VEC_FREE(&all);

	/* Breadth-first search from ptest's imports for a path back to ptest. */
	{
		struct map importer_of; /* key_of(p) -> importer (ptest's direct imports: "root") */
		struct load_pkgs q = {0};
		static char root_mark;
		size_t head = 0;

		map_init(&importer_of);
		for (size_t k = 0; k < ptest->internal_imports.n; k++) {
			map_put(&importer_of, key_of(ld, ptest->internal_imports.v[k]), &root_mark);
			pkgs_push(&q, ptest->internal_imports.v[k]);
		}
		while (head < q.n && !err) {
			struct load_pkg *p = q.v[head++];
			if (p == ptest) {
				struct load_strs pkgs = {0}, files = {0};
				while (p) {
					void *imp = map_get(&importer_of, ptr_key(kb, p));
					struct load_pkg *importer = imp == &root_mark ? ptest : imp;
					const struct load_pos *pos = importer ? map_get(&importer->import_pos, p->import_path) : NULL;
					/* ptest's ImportPos is p's merged with its TestImportPos. */
					if (!pos && importer == ptest)
						pos = map_get(&ptest->test_import_pos, p->import_path);
					load_strs_push(&ld->arena, &pkgs, p->import_path);
					load_strs_push(&ld->arena, &files, pos ? path_base(pos->file) : "");
					p = imp == &root_mark ? NULL : imp;
				}
				load_strs_push(&ld->arena, &pkgs, ptest->import_path);
				load_strs_push(&ld->arena, &files, "");
				err = arena_new(&ld->arena, struct load_error);
				err->pos = "";
				err->err = "import cycle not allowed in test";
				err->is_import_cycle = true;
				for (size_t j = pkgs.n; j > 0; j--) {
					load_strs_push(&ld->arena, &err->import_stack, pkgs.v[j - 1]);
					load_strs_push(&ld->arena, &err->stack_files, files.v[j - 1]);
				}
				break;
			}
			for (size_t k = 0; k < p->internal_imports.n; k++) {
				struct load_pkg *dep = p->internal_imports.v[k];
				if (!map_has(&importer_of, ptr_key(kb, dep))) {
					map_put(&importer_of, key_of(ld, dep), p);
					pkgs_push(&q, dep);
				}
			}
		}
		VEC_FREE(&q);
		map_release(&importer_of);
	}
	map_release(&copy);
	return err;
}

int load_ensure_import(struct load_state *ld, struct load_pkg *p, const char *path, struct err *e)
{
	struct load_error *perr = NULL;
	struct load_pkg *p1;
	size_t saved = ld->stack.n;

	for (size_t i = 0; i < p->internal_imports.n; i++)
		if (p->internal_imports.v[i]->name && strcmp(p->internal_imports.v[i]->name, path) == 0)
			return 0;
	p1 = load_import_from(ld, p, path, NULL, &perr);
	ld->stack.n = saved;
	if (perr)
		return err_setf(e, "load %s: %s", path, load_error_text(&ld->arena, perr));
	if (p1->error)
		return err_setf(e, "load %s: %s", path, load_error_text(&ld->arena, p1->error));
	pkgs_push(&p->internal_imports, p1);
	return 0;
}

void load_test_packages(struct load_state *ld, struct load_pkg *p, struct load_pkg **pmain_out,
                        struct load_pkg **ptest_out, struct load_pkg **pxtest_out)
{
	struct arena *a = &ld->arena;
	struct load_error *ptest_err = NULL, *pxtest_err = NULL;
	struct load_pkgs imports = {0}, ximports = {0};
	struct load_strs raw_test = {0}, raw_xtest = {0}, test_embed = {0}, xtest_embed = {0};
	bool incomplete = false, pxtest_incomplete = false, pxtest_needs_ptest = false;
	struct load_pkg *ptest, *pxtest = NULL, *pmain;
	struct load_error *e;
	size_t saved_stack = ld->stack.n;

	/* Test imports, loaded with "p (test)" on the stack. */
	load_stack_push(ld, arena_printf(a, "%s (test)", p->import_path), NULL);
	strs_copy(a, &raw_test, &p->test_imports);
	for (size_t i = 0; i < p->test_imports.n; i++) {
		struct load_error *perr = NULL;
		const char *path = raw_test.v[i];
		struct load_pkg *p1;
		ld->test_importer = true;
		p1 = load_import_from(ld, p, path, map_get(&p->test_import_pos, path), &perr);
		ld->test_importer = false;
		if (perr && !ptest_err) {
			ptest_err = perr;
			incomplete = true;
		}
		if (p1->incomplete)
			incomplete = true;
		p->test_imports.v[i] = p1->import_path;
		pkgs_push(&imports, p1);
	}
	if ((e = resolve_test_embed(ld, p, &p->test_embed_patterns, &p->test_embed_pos, &test_embed)) != NULL) {
		ptest_err = e;
		incomplete = true;
	}
	p->test_embed_files = test_embed;
	load_stack_pop(ld);

	load_stack_push(ld, arena_printf(a, "%s_test", p->import_path), NULL);
	strs_copy(a, &raw_xtest, &p->xtest_imports);
	for (size_t i = 0; i < p->xtest_imports.n; i++) {
		struct load_error *perr = NULL;
		const char *path = raw_xtest.v[i];
		struct load_pkg *p1;
		ld->test_importer = true;
		p1 = load_import_from(ld, p, path, map_get(&p->xtest_import_pos, path), &perr);
		ld->test_importer = false;
		if (perr && !pxtest_err)
			pxtest_err = perr;
		if (p1->incomplete)
			pxtest_incomplete = true;
		if (strcmp(p1->import_path, p->import_path) == 0)
			pxtest_needs_ptest = true;
		else
			pkgs_push(&ximports, p1);
		p->xtest_imports.v[i] = p1->import_path;
	}
	if ((e = resolve_test_embed(ld, p, &p->xtest_embed_patterns, &p->xtest_embed_pos, &xtest_embed)) != NULL &&
	    !pxtest_err)
		pxtest_err = e;
	p->xtest_embed_files = xtest_embed;
	pxtest_incomplete = pxtest_incomplete || pxtest_err;
	load_stack_pop(ld);

	/* The package with its in-package test files. */
	if (p->test_go_files.n > 0 || strcmp(p->name, "main") == 0 || ld->opts.cover) {
		ptest = pkg_copy(ld, p);
		if (!ptest->error)
			ptest->error = ptest_err;
		ptest->incomplete = ptest->incomplete || incomplete;
		ptest->for_test = p->import_path;
		ptest->force_library = true;
		memset(&ptest->go_files, 0, sizeof ptest->go_files);
		strs_copy(a, &ptest->go_files, &p->go_files);
		strs_copy(a, &ptest->go_files, &p->test_go_files);
		ptest->target = "";
		memset(&ptest->imports, 0, sizeof ptest->imports);
		strs_copy(a, &ptest->imports, &p->test_imports);
		strs_copy(a, &ptest->imports, &p->imports);
		ptest->internal_imports.n = 0; /* reuse pkg_copy's array (owned by ld->forks) */
		for (size_t i = 0; i < imports.n; i++)
			pkgs_push(&ptest->internal_imports, imports.v[i]);
		for (size_t i = 0; i < p->internal_imports.n; i++)
			pkgs_push(&ptest->internal_imports, p->internal_imports.v[i]);
		memset(&ptest->raw_imports, 0, sizeof ptest->raw_imports);
		strs_copy(a, &ptest->raw_imports, &raw_test);
		strs_copy(a, &ptest->raw_imports, &p->raw_imports);
		memset(&ptest->embed_files, 0, sizeof ptest->embed_files);
		strs_copy(a, &ptest->embed_files, &p->embed_files);
		strs_copy(a, &ptest->embed_files, &p->test_embed_files);
		memset(&ptest->match, 0, sizeof ptest->match);
		strs_copy(a, &ptest->match, &p->match);
		ptest->test_variant = true;
	} else {
		ptest = p;
	}

	/* The external test package. */
	if (p->xtest_go_files.n > 0) {
		pxtest = load_pkg_new(ld, arena_printf(a, "%s_test", p->import_path));
		pxtest->name = arena_printf(a, "%s_test", p->name);
		pxtest->root = p->root;
		pxtest->dir = p->dir;
		pxtest->goroot = p->goroot;
		strs_copy(a, &pxtest->go_files, &p->xtest_go_files);
		strs_copy(a, &pxtest->imports, &p->xtest_imports);
		pxtest->for_test = p->import_path;
		pxtest->module = p->module;
		pxtest->error = pxtest_err;
		pxtest->incomplete = pxtest_incomplete;
		strs_copy(a, &pxtest->embed_files, &p->xtest_embed_files);
		for (size_t i = 0; i < ximports.n; i++)
			pkgs_push(&pxtest->internal_imports, ximports.v[i]);
		if (pxtest_needs_ptest)
			pkgs_push(&pxtest->internal_imports, ptest);
		strs_copy(a, &pxtest->raw_imports, &raw_xtest);
		pxtest->pgo_profile = p->pgo_profile;
		pxtest->state = 2;
		pxtest->test_variant = true;
		VEC_PUSH(&ld->forks, pxtest);
	}

	/* The test main. */
	pmain = load_pkg_new(ld, arena_printf(a, "%s.test", p->import_path));
	pmain->name = "main";
	pmain->dir = p->dir;
	load_strs_push(a, &pmain->go_files, "_testmain.go");
	pmain->root = p->root;
	for (size_t i = 0; i < countof(test_main_deps); i++)
		load_strs_push(a, &pmain->imports, test_main_deps[i]);
	pmain->module = p->module;
	pmain->pgo_profile = p->pgo_profile;
	pmain->state = 2;
	pmain->test_variant = true;
	VEC_PUSH(&ld->forks, pmain);
	{
		VEC(struct load_directive) dirs = {0};
		for (size_t i = 0; i < p->directives.n; i++)
			VEC_PUSH(&dirs, p->directives.v[i]);
		for (size_t i = 0; i < p->test_directives.n; i++)
			VEC_PUSH(&dirs, p->test_directives.v[i]);
		for (size_t i = 0; i < p->xtest_directives.n; i++)
			VEC_PUSH(&dirs, p->xtest_directives.v[i]);
		pmain->default_godebug = load_default_godebug(ld, dirs.v, dirs.n);
		VEC_FREE(&dirs);
	}

	load_stack_push(ld, "testmain", NULL);
	{
		struct load_strs deps = {0};
		const char *why = load_linking_reason(ld, p);
		for (size_t i = 0; i < countof(test_main_deps); i++)
			load_strs_push(a, &deps, test_main_deps[i]);
		if (ld->opts.cover)
			load_strs_push(a, &deps, "internal/coverage/cfile");
		/* LinkerDeps(p) */
		load_strs_push(a, &deps, "runtime");
		if (why) {
			if (!ld->ctx->cgo_enabled) {
				if (!pmain->error) {
					pmain->error = arena_new(a, struct load_error);
					pmain->error->pos = "";
					pmain->error->err = arena_printf(a, "%s requires external (cgo) linking, but cgo is not enabled", why);
				}
			} else {
				load_strs_push(a, &deps, "runtime/cgo");
			}
		}
		if (strcmp(ld->ctx->goarch, "arm") == 0)
			load_strs_push(a, &deps, "math");
		if (ld->opts.instrument_pkg)
			load_strs_push(a, &deps, ld->opts.instrument_pkg);
		if (ld->opts.cover)
			load_strs_push(a, &deps, "runtime/coverage");
		for (size_t i = 0; i < deps.n; i++) {
			if (strcmp(deps.v[i], ptest->import_path) == 0) {
				pkgs_push(&pmain->internal_imports, ptest);
				continue;
			}
			struct load_error *perr = NULL;
			/* Loaded with no parent and no import checks (mode 0). */
			struct load_pkg *p1 = load_import_from(ld, NULL, deps.v[i], NULL, &perr);
			if (perr && !pmain->error) {
				pmain->error = perr;
				pmain->incomplete = true;
			}
			pkgs_push(&pmain->internal_imports, p1);
		}
	}
	load_stack_pop(ld);

	if (ptest->go_files.n + ptest->cgo_files.n > 0) {
		pkgs_push(&pmain->internal_imports, ptest);
		load_strs_push(a, &pmain->imports, ptest->import_path);
		pmain->test_imports_ptest = true;
	}
	if (pxtest) {
		pkgs_push(&pmain->internal_imports, pxtest);
		load_strs_push(a, &pmain->imports, pxtest->import_path);
	}
	load_strs_sort(&pmain->imports);
	{
		size_t w = 0;
		for (size_t i = 0; i < pmain->imports.n; i++)
			if (w == 0 || strcmp(pmain->imports.v[i], pmain->imports.v[w - 1]) != 0)
				pmain->imports.v[w++] = pmain->imports.v[i];
		pmain->imports.n = w;
	}
	strs_copy(a, &pmain->raw_imports, &pmain->imports);

	if ((e = recompile_for_test(ld, pmain, p, ptest, pxtest)) != NULL) {
		ptest->error = e;
		ptest->incomplete = true;
	}
	VEC_FREE(&imports);
	VEC_FREE(&ximports);
	CHECK(ld->stack.n == saved_stack);
	*pmain_out = pmain;
	*ptest_out = ptest;
	*pxtest_out = pxtest;
}

void load_set_testmain_error(struct load_state *ld, struct load_pkg *pmain, struct load_pkg *p,
                             const char *pos, const char *msg)
{
	if (pmain->error)
		return;
	/* setLoadPackageDataError with an empty stack: a scanner error pushes
	 * the package under test (and has a position); others stay bare. */
	if (pos && pos[0]) {
		load_stack_push(ld, p->import_path, NULL);
		pmain->error = load_error_new(ld, msg);
		load_stack_pop(ld);
		pmain->error->pos = arena_strdup(&ld->arena, short_path(ld, pos));
	} else {
		pmain->error = load_error_new(ld, msg);
	}
	pmain->incomplete = true;
}
