/*
 * The requirements of the single main module and their updates: mirrors
 * cmd/go/internal/modload/buildlist.go (go1.26) newRequirements,
 * rootSelected, Graph, updatePrunedRoots (with spotCheckRoots),
 * updateUnprunedRoots, tidyPrunedRoots, tidyUnprunedRoots, convertPruning,
 * overrideRoots; mvs.Req over modload's mvsReqs; init.go's keepSums and
 * UpdateGoModFromReqs; modfetch's TrimGoSum + tidyGoSum.
 *
 * Single-threaded: go's parallel queues only change the order work is
 * done in, never the answers.  Everything lives in the loader's arena.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "modload/requirements.h"

static const char *main_path(struct load_state *ld)
{
	return ld->mains.v[0]->path;
}

/* is_main_path: a workspace has several main modules */
static bool is_main_path(struct load_state *ld, const char *path)
{
	for (size_t i = 0; i < ld->mains.n; i++)
		if (strcmp(path, ld->mains.v[i]->path) == 0)
			return true;
	return false;
}

bool mod_reqs_is_main(struct load_state *ld, struct mod_version m)
{
	return (!m.version || !*m.version) && is_main_path(ld, m.path);
}

bool mod_lpkg_external(struct load_state *ld, const struct mod_lpkg *p)
{
	return *p->mod.path && !is_main_path(ld, p->mod.path);
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool strs_has(const struct load_strs *l, const char *s)
{
	return l->n && bsearch(&s, l->v, l->n, sizeof *l->v, cmp_strp) != NULL;
}

static bool strs_equal(const struct load_strs *a, const struct load_strs *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

static bool versions_equal(const struct mod_version *a, size_t na, const struct mod_version *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i].path, b[i].path) != 0 || strcmp(a[i].version, b[i].version) != 0)
			return false;
	return true;
}

/* A growable list of module versions (heap; copied into the arena by mod_reqs_new). */
struct mvec {
	struct mod_version *v;
	size_t n, cap;
};

struct mod_reqs *mod_reqs_new(struct load_state *ld, bool pruned, const struct mod_version *roots, size_t n,
                              const struct load_strs *direct)
{
	struct arena *a = &ld->arena;
	struct mod_reqs *rs = arena_new(a, struct mod_reqs);

	rs->pruned = pruned;
	rs->roots = arena_alloc(a, (n ? n : 1) * sizeof *rs->roots);
	if (n)
		memcpy(rs->roots, roots, n * sizeof *roots);
	rs->nroots = n;
	mod_sort_versions(rs->roots, n);
	for (size_t i = 0; direct && i < direct->n; i++)
		if (i == 0 || strcmp(direct->v[i], direct->v[i - 1]) != 0)
			load_strs_push(a, &rs->direct, direct->v[i]);
	load_strs_sort(&rs->direct);
	return rs;
}

int mod_reqs_from_modfile(struct load_state *ld, struct mod_reqs **out, struct err *e)
{
	struct load_strs direct = {0};
	size_t i = 0;
	const char *k;
	void *v;

	if (load_module_roots(ld, e) < 0)
		return -1;
	while (map_next(&ld->direct, &i, &k, &v))
		load_strs_push(&ld->arena, &direct, k);
	load_strs_sort(&direct);
	*out = mod_reqs_new(ld, ld->pruned, ld->roots, ld->nroots, &direct);
	return 0;
}

bool mod_reqs_root_selected(struct load_state *ld, const struct mod_reqs *rs, const char *path, const char **v)
{
	const char *best = NULL;

	if (strcmp(path, main_path(ld)) == 0) {
		*v = "";
		return true;
	}
	for (size_t i = 0; i < rs->nroots; i++)
		if (strcmp(rs->roots[i].path, path) == 0 &&
		    (!best || mod_compare_version(path, best, rs->roots[i].version) < 0))
			best = rs->roots[i].version;
	*v = best ? best : "";
	return best != NULL;
}

bool mod_reqs_is_direct(const struct mod_reqs *rs, const char *path)
{
	return strs_has(&rs->direct, path);
}

const char *mod_reqs_go_version(const struct mod_reqs *rs)
{
	const char *best = NULL;

	for (size_t i = 0; i < rs->nroots; i++)
		if (strcmp(rs->roots[i].path, "go") == 0 &&
		    (!best || tc_version_compare(best, rs->roots[i].version) < 0))
			best = rs->roots[i].version;
	return best ? best : "1.16";
}

int mod_reqs_graph(struct load_state *ld, struct mod_reqs *rs, struct mod_graph **g, struct err *e)
{
	if (!rs->graph) {
		struct err ge = ERR_INIT;
		if (load_module_graph_roots(ld, rs->roots, rs->nroots, rs->pruned, &rs->graph, &ge) < 0)
			rs->graph_err = arena_strdup(&ld->arena, err_msg(&ge));
		err_clear(&ge);
	}
	*g = rs->graph;
	if (rs->graph_err)
		return err_setf(e, "%s", rs->graph_err);
	return 0;
}

/* build_list returns mg.BuildList() without the main module (arena). */
static size_t build_list_deps(struct mod_graph *g, struct mod_version **out)
{
	struct mod_version *bl;
	size_t n = mod_graph_build_list(g, &bl);

	*out = bl + 1;
	return n - 1;
}

/* ---- updatePrunedRoots ------------------------------------------------- */

/* spot_check_roots is spotCheckRoots: no module of mods requires a root
 * at a higher version than the one selected. */
static bool spot_check_roots(struct load_state *ld, struct mod_reqs *rs, const struct mvec *mods)
{
	for (size_t i = 0; i < mods->n; i++) {
		const struct mod_version *reqs;
		size_t n;
		struct err e = ERR_INIT;
		if (load_module_summary(ld, mods->v[i], &reqs, &n, NULL, NULL, &e) < 0) {
			err_clear(&e);
			return false;
		}
		for (size_t j = 0; j < n; j++) {
			const char *v;
			if (mod_reqs_root_selected(ld, rs, reqs[j].path, &v) &&
			    mod_compare_version(reqs[j].path, v, reqs[j].version) < 0)
				return false;
		}
	}
	return true;
}

static void mvec_push(struct mvec *v, struct mod_version m)
{
	VEC_PUSH(v, m);
}

static bool mvec_has(const struct mvec *v, struct mod_version m)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i].path, m.path) == 0 && strcmp(v->v[i].version, m.version) == 0)
			return true;
	return false;
}

static int update_pruned_roots(struct load_state *ld, const struct load_strs *direct, struct mod_reqs *rs,
                               struct mod_lpkg *const *pkgs, size_t npkgs, const struct mod_version *add,
                               size_t nadd, bool roots_imported, struct mod_reqs **out, struct err *e)
{
	struct mvec roots = {0}, spot = {0};
	bool upgraded = false;
	struct load_strs dsorted = {0};
	int rc = -1;

	for (size_t i = 0; i < direct->n; i++)
		load_strs_push(&ld->arena, &dsorted, direct->v[i]);
	load_strs_sort(&dsorted);
	for (size_t i = 0; i < rs->nroots; i++)
		mvec_push(&roots, rs->roots[i]);
	for (size_t i = 0; i < npkgs; i++) {
		const struct mod_lpkg *p = pkgs[i];
		const char *v;
		if (!mod_lpkg_external(ld, p))
			continue;
		if (!(p->flags & MOD_PKG_IN_ALL) && !(p->flags & MOD_PKG_IS_ROOT) &&
		    !(roots_imported && (p->flags & MOD_PKG_FROM_ROOT)))
			continue;
		if (mod_reqs_root_selected(ld, rs, p->mod.path, &v)) {
			if (!mvec_has(&spot, p->mod))
				mvec_push(&spot, p->mod);
		} else {
			mvec_push(&roots, p->mod);
			upgraded = true;
		}
	}
	for (size_t i = 0; i < nadd; i++) {
		const char *v;
		if (!mod_reqs_root_selected(ld, rs, add[i].path, &v) ||
		    mod_compare_version(add[i].path, v, add[i].version) < 0) {
			mvec_push(&roots, add[i]);
			upgraded = true;
		}
	}
	mod_sort_versions(roots.v, roots.n);
	for (;;) {
		struct mod_graph *mg = NULL;
		struct map in_root;
		if (upgraded) {
			/* mustHaveCompleteRequirements: outside -mod=mod (and
			 * workspaces) new roots are refused before their graph
			 * is loaded */
			if (strcmp(ld->mod_mode, "mod") != 0 && !ld->workspace) {
				load_gomod_dirty_error(ld, e);
				*out = rs;
				goto out;
			}
			rs = mod_reqs_new(ld, true, roots.v, roots.n, &dsorted);
			if (mod_reqs_graph(ld, rs, &mg, e) < 0) {
				*out = rs;
				goto out;
			}
		} else if (rs->graph) {
			mg = rs->graph;
		} else if (!spot_check_roots(ld, rs, &spot)) {
			if (mod_reqs_graph(ld, rs, &mg, e) < 0) {
				*out = rs;
				goto out;
			}
		}
		roots.n = 0;
		upgraded = false;
		map_init(&in_root);
		map_put(&in_root, main_path(ld), (void *)1);
		for (size_t i = 0; i < rs->nroots; i++) {
			struct mod_version m = rs->roots[i];
			const char *v;
			if (map_has(&in_root, m.path))
				continue;
			if (mg)
				v = mod_graph_selected(mg, m.path);
			else
				mod_reqs_root_selected(ld, rs, m.path, &v);
			mvec_push(&roots, (struct mod_version){m.path, v});
			map_put(&in_root, m.path, (void *)1);
			if (strcmp(v, m.version) != 0)
				upgraded = true;
		}
		map_release(&in_root);
		if (!upgraded)
			break;
	}
	if (rs->pruned && versions_equal(roots.v, roots.n, rs->roots, rs->nroots) && strs_equal(&dsorted, &rs->direct))
		*out = rs;
	else
		*out = mod_reqs_new(ld, true, roots.v, roots.n, &dsorted);
	rc = 0;
out:
	VEC_FREE(&roots);
	VEC_FREE(&spot);
	return rc;
}

/* ---- mvs.Req ------------------------------------------------------------ */

struct mvs_reqs {
	struct load_state *ld;
	const struct mod_version *roots; /* Required(main) */
	size_t nroots;
};

static int mvs_required(struct mvs_reqs *r, struct mod_version m, const struct mod_version **reqs, size_t *n,
                        struct err *e)
{
	if (mod_reqs_is_main(r->ld, m)) {
		*reqs = r->roots;
		*n = r->nroots;
		return 0;
	}
	if (strcmp(m.version, "none") == 0) {
		*reqs = NULL;
		*n = 0;
		return 0;
	}
	return load_module_summary(r->ld, m, reqs, n, NULL, NULL, e);
}

/* mvs_build_list is mvs.BuildList([main], reqs) as a graph (mod_graph_free it). */
static struct mod_graph *mvs_build_list(struct mvs_reqs *r, struct err *e)
{
	struct arena *a = &r->ld->arena;
	struct mod_version mainv = {main_path(r->ld), ""};
	const char **mains = arena_alloc(a, sizeof *mains);
	struct mod_graph *g;
	struct mvec queue = {0};
	size_t head = 0;

	mains[0] = mainv.path;
	g = mod_graph_new(a, mains, 1, &mainv, 1);
	mod_graph_require(g, mainv, r->roots, r->nroots);
	for (size_t i = 0; i < r->nroots; i++)
		mvec_push(&queue, r->roots[i]);
	while (head < queue.n) {
		struct mod_version m = queue.v[head++];
		const struct mod_version *reqs;
		size_t n;
		if (strcmp(m.version, "none") == 0 || mod_graph_required_by(g, m, &reqs, &n))
			continue;
		if (mvs_required(r, m, &reqs, &n, e) < 0) {
			VEC_FREE(&queue);
			mod_graph_free(g);
			return NULL;
		}
		mod_graph_require(g, m, reqs, n);
		for (size_t i = 0; i < n; i++)
			mvec_push(&queue, reqs[i]);
	}
	VEC_FREE(&queue);
	return g;
}

struct req_walk {
	struct mvs_reqs *r;
	struct map cache;  /* "path@version" -> struct mvec* (arena) */
	struct mvec postorder;
	struct map have;
	struct err *e;
};

static const char *mkey(struct arena *a, struct mod_version m)
{
	return arena_printf(a, "%s@%s", m.path, m.version);
}

static int req_walk_post(struct req_walk *w, struct mod_version m)
{
	struct arena *a = &w->r->ld->arena;
	const char *k = mkey(a, m);
	const struct mod_version *reqs;
	size_t n;
	struct mvec *c;

	if (map_has(&w->cache, k))
		return 0;
	if (mvs_required(w->r, m, &reqs, &n, w->e) < 0)
		return -1;
	c = arena_new(a, struct mvec);
	c->v = (struct mod_version *)reqs;
	c->n = n;
	map_put(&w->cache, k, c);
	for (size_t i = 0; i < n; i++)
		if (req_walk_post(w, reqs[i]) < 0)
			return -1;
	mvec_push(&w->postorder, m);
	return 0;
}

static void req_walk_have(struct req_walk *w, struct mod_version m)
{
	struct arena *a = &w->r->ld->arena;
	const char *k = mkey(a, m);
	struct mvec *c;

	if (map_has(&w->have, k))
		return;
	map_put(&w->have, k, (void *)1);
	c = map_get(&w->cache, k);
	for (size_t i = 0; c && i < c->n; i++)
		req_walk_have(w, c->v[i]);
}

static int cmp_path_only(const void *a, const void *b)
{
	return strcmp(((const struct mod_version *)a)->path, ((const struct mod_version *)b)->path);
}

/* mvs_req is mvs.Req(main, base, reqs): *out heap, sorted by path. */
static int mvs_req(struct mvs_reqs *r, const struct load_strs *base, struct mvec *out, struct err *e)
{
	struct arena *a = &r->ld->arena;
	struct mod_graph *g = mvs_build_list(r, e);
	struct req_walk w = {r, {0}, {0}, {0}, e};
	struct mod_version *list;
	struct map have_base;
	size_t n;
	int rc = -1;

	if (!g)
		return -1;
	map_init(&w.cache);
	map_init(&w.have);
	map_init(&have_base);
	n = mod_graph_build_list(g, &list);
	map_put(&w.cache, mkey(a, list[0]), arena_new(a, struct mvec)); /* reqCache[main] = nil */
	for (size_t i = 0; i < n; i++)
		if (req_walk_post(&w, list[i]) < 0)
			goto out;
	for (size_t i = 0; i < base->n; i++) {
		struct mod_version m;
		if (map_has(&have_base, base->v[i]))
			continue;
		m = (struct mod_version){base->v[i], mod_graph_selected(g, base->v[i])};
		mvec_push(out, m);
		req_walk_have(&w, m);
		map_put(&have_base, base->v[i], (void *)1);
	}
	for (size_t i = w.postorder.n; i-- > 0;) {
		struct mod_version m = w.postorder.v[i];
		if (strcmp(mod_graph_selected(g, m.path), m.version) != 0)
			continue;
		if (!map_has(&w.have, mkey(a, m))) {
			mvec_push(out, m);
			req_walk_have(&w, m);
		}
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, cmp_path_only);
	rc = 0;
out:
	map_release(&w.cache);
	map_release(&w.have);
	map_release(&have_base);
	VEC_FREE(&w.postorder);
	mod_graph_free(g);
	return rc;
}

int mod_reqs_mvs_req(struct load_state *ld, const struct mod_version *roots, size_t nroots,
                     const struct load_strs *base, struct mod_version **out, size_t *nout, struct err *e)
{
	struct mvs_reqs r = {ld, roots, nroots};
	struct mvec v = {0};

	*out = NULL;
	*nout = 0;
	if (mvs_req(&r, base, &v, e) < 0) {
		VEC_FREE(&v);
		return -1;
	}
	*out = v.v;
	*nout = v.n;
	return 0;
}

/* ---- updateUnprunedRoots ------------------------------------------------- */

static int update_unpruned_roots(struct load_state *ld, const struct load_strs *direct, struct mod_reqs *rs,
                                 const struct mod_version *add, size_t nadd, struct mod_reqs **out,
                                 struct err *e)
{
	struct arena *a = &ld->arena;
	struct mod_graph *mg;
	struct load_strs root_paths = {0}, dsorted = {0};
	struct mvec keep = {0}, min = {0};
	struct mod_version *bl;
	struct map in_root;
	size_t nbl;
	int rc = -1;

	*out = rs;
	if (mod_reqs_graph(ld, rs, &mg, e) < 0)
		return -1;
	for (size_t i = 0; i < direct->n; i++)
		load_strs_push(a, &dsorted, direct->v[i]);
	load_strs_sort(&dsorted);
	map_init(&in_root);
	for (size_t i = 0; i < rs->nroots; i++) {
		struct mod_version r = rs->roots[i];
		if (!map_has(&in_root, r.path) && strcmp(mod_graph_selected(mg, r.path), r.version) == 0) {
			load_strs_push(a, &root_paths, r.path);
			map_put(&in_root, r.path, (void *)1);
		}
	}
	nbl = build_list_deps(mg, &bl);
	for (size_t i = 0; i < nbl; i++)
		mvec_push(&keep, bl[i]);
	for (size_t i = 0; i < nadd; i++)
		mvec_push(&keep, add[i]);
	for (size_t i = 0; i < keep.n; i++) {
		const char *p = keep.v[i].path;
		if (strs_has(&dsorted, p) && !map_has(&in_root, p)) {
			load_strs_push(a, &root_paths, p);
			map_put(&in_root, p, (void *)1);
		}
	}
	{
		struct mvs_reqs r = {ld, keep.v, keep.n};
		if (mvs_req(&r, &root_paths, &min, e) < 0)
			goto out;
	}
	/* mvs.Req sorts by path only; newRequirements wants ModSort order,
	 * which is the same for distinct paths */
	if (!rs->pruned && versions_equal(min.v, min.n, rs->roots, rs->nroots) && strs_equal(&dsorted, &rs->direct))
		*out = rs;
	else
		*out = mod_reqs_new(ld, false, min.v, min.n, &dsorted);
	rc = 0;
out:
	map_release(&in_root);
	VEC_FREE(&keep);
	VEC_FREE(&min);
	return rc;
}

int mod_reqs_update(struct load_state *ld, const struct load_strs *direct, struct mod_reqs *rs,
                    struct mod_lpkg *const *pkgs, size_t npkgs, const struct mod_version *add, size_t nadd,
                    struct mod_reqs **out, struct err *e)
{
	if (rs->pruned)
		return update_pruned_roots(ld, direct, rs, pkgs, npkgs, add, nadd, false, out, e);
	return update_unpruned_roots(ld, direct, rs, add, nadd, out, e);
}

int mod_reqs_update_imported(struct load_state *ld, const struct load_strs *direct, struct mod_reqs *rs,
                             struct mod_lpkg *const *pkgs, size_t npkgs, struct mod_reqs **out, struct err *e)
{
	if (rs->pruned)
		return update_pruned_roots(ld, direct, rs, pkgs, npkgs, NULL, 0, true, out, e);
	return update_unpruned_roots(ld, direct, rs, NULL, 0, out, e);
}

int mod_reqs_convert(struct load_state *ld, struct mod_reqs *rs, bool pruned, struct mod_reqs **out,
                     struct err *e)
{
	struct mod_graph *mg;
	struct mod_version *bl;
	size_t n;

	*out = rs;
	if (rs->pruned == pruned)
		return 0;
	if (!pruned)
		return update_unpruned_roots(ld, &rs->direct, rs, NULL, 0, out, e);
	if (mod_reqs_graph(ld, rs, &mg, e) < 0)
		return -1;
	n = build_list_deps(mg, &bl);
	*out = mod_reqs_new(ld, true, bl, n, &rs->direct);
	return 0;
}

struct mod_reqs *mod_reqs_override(struct load_state *ld, struct mod_reqs *rs, struct mod_version m)
{
	struct mvec roots = {0};
	struct mod_reqs *n;

	for (size_t i = 0; i < rs->nroots; i++)
		if (strcmp(rs->roots[i].path, m.path) != 0)
			mvec_push(&roots, rs->roots[i]);
	mvec_push(&roots, m);
	n = mod_reqs_new(ld, rs->pruned, roots.v, roots.n, &rs->direct);
	VEC_FREE(&roots);
	return n;
}

/* ---- tidyRoots ------------------------------------------------------------ */

static int tidy_pruned_roots(struct load_state *ld, struct mod_reqs *old, struct mod_lpkg *const *pkgs,
                             size_t npkgs, struct mod_reqs **out, struct err *e)
{
	struct arena *a = &ld->arena;
	struct mvec roots = {0};
	struct map path_is_root, queued;
	VEC(struct mod_lpkg *) queue = {0}, prev = {0};
	struct mod_reqs *tidy;
	struct mod_graph *mg;
	const char *v;
	int rc = -1;

	map_init(&path_is_root);
	map_init(&queued);
	map_put(&path_is_root, main_path(ld), (void *)1);
	if (mod_reqs_root_selected(ld, old, "go", &v)) {
		mvec_push(&roots, (struct mod_version){"go", v});
		map_put(&path_is_root, "go", (void *)1);
	}
	if (mod_reqs_root_selected(ld, old, "toolchain", &v)) {
		mvec_push(&roots, (struct mod_version){"toolchain", v});
		map_put(&path_is_root, "toolchain", (void *)1);
	}
	for (size_t i = 0; i < npkgs; i++) {
		struct mod_lpkg *p = pkgs[i];
		if (!(p->flags & MOD_PKG_IN_ALL))
			continue;
		if (mod_lpkg_external(ld, p) && !map_has(&path_is_root, p->mod.path)) {
			mvec_push(&roots, p->mod);
			map_put(&path_is_root, p->mod.path, (void *)1);
		}
		VEC_PUSH(&queue, p);
		map_put(&queued, arena_printf(a, "%p", (void *)p), (void *)1);
	}
	tidy = mod_reqs_new(ld, true, roots.v, roots.n, &old->direct);
	while (queue.n > 0) {
		size_t before = tidy->nroots;
		roots.n = 0;
		for (size_t i = 0; i < tidy->nroots; i++)
			mvec_push(&roots, tidy->roots[i]);
		if (mod_reqs_graph(ld, tidy, &mg, e) < 0)
			goto out;
		VEC_FREE(&prev);
		prev = queue;
		memset(&queue, 0, sizeof queue);
		for (size_t i = 0; i < prev.n; i++) {
			struct mod_lpkg *p = prev.v[i];
			struct mod_version m = p->mod;
			if (!*m.path)
				continue;
			for (size_t j = 0; j < p->imports.n; j++) {
				const char *k = arena_printf(a, "%p", (void *)p->imports.v[j]);
				if (!map_has(&queued, k)) {
					VEC_PUSH(&queue, p->imports.v[j]);
					map_put(&queued, k, (void *)1);
				}
			}
			if (p->test) {
				const char *k = arena_printf(a, "%p", (void *)p->test);
				if (!map_has(&queued, k)) {
					VEC_PUSH(&queue, p->test);
					map_put(&queued, k, (void *)1);
				}
			}
			if (!map_has(&path_is_root, m.path) &&
			    mod_compare_version(m.path, mod_graph_selected(mg, m.path), m.version) < 0) {
				mvec_push(&roots, m);
				map_put(&path_is_root, m.path, (void *)1);
			}
		}
		if (roots.n > before)
			tidy = mod_reqs_new(ld, true, roots.v, roots.n, &tidy->direct);
	}
	if (mod_reqs_graph(ld, tidy, &mg, e) < 0)
		goto out;
	/* go.dev/issue/60313: promote modules whose packages became ambiguous */
	for (;;) {
		struct mvec dis = {0};
		roots.n = 0;
		for (size_t i = 0; i < tidy->nroots; i++)
			mvec_push(&roots, tidy->roots[i]);
		for (size_t i = 0; i < npkgs; i++) {
			struct mod_lpkg *p = pkgs[i];
			struct mod_import_result r;
			if (!*p->mod.path || map_has(&path_is_root, p->mod.path))
				continue;
			mod_import_from_modules(ld, p->path, tidy, NULL, true, &r);
			if (r.ambiguous && !mvec_has(&dis, p->mod))
				mvec_push(&dis, p->mod);
			VEC_FREE(&r.alt_mods);
		}
		for (size_t i = 0; i < dis.n; i++) {
			mvec_push(&roots, dis.v[i]);
			map_put(&path_is_root, dis.v[i].path, (void *)1);
		}
		VEC_FREE(&dis);
		if (roots.n > tidy->nroots) {
			tidy = mod_reqs_new(ld, true, roots.v, roots.n, &tidy->direct);
			if (mod_reqs_graph(ld, tidy, &mg, e) < 0)
				goto out;
			continue;
		}
		break;
	}
	*out = tidy;
	rc = 0;
out:
	map_release(&path_is_root);
	map_release(&queued);
	VEC_FREE(&roots);
	VEC_FREE(&queue);
	VEC_FREE(&prev);
	return rc;
}

static int tidy_unpruned_roots(struct load_state *ld, struct mod_reqs *old, struct mod_lpkg *const *pkgs,
                               size_t npkgs, struct mod_reqs **out, struct err *e)
{
	struct arena *a = &ld->arena;
	struct mvec keep = {0}, min = {0}, alt = {0};
	struct load_strs root_paths = {0};
	struct map kept, in_root;
	const char *v;
	int rc = -1;

	map_init(&kept);
	map_init(&in_root);
	if (mod_reqs_root_selected(ld, old, "go", &v)) {
		mvec_push(&keep, (struct mod_version){"go", v});
		map_put(&kept, "go", (void *)1);
	}
	if (mod_reqs_root_selected(ld, old, "toolchain", &v)) {
		mvec_push(&keep, (struct mod_version){"toolchain", v});
		map_put(&kept, "toolchain", (void *)1);
	}
	for (size_t i = 0; i < npkgs; i++) {
		const struct mod_lpkg *p = pkgs[i];
		if (!mod_lpkg_external(ld, p))
			continue;
		if (!map_has(&kept, p->mod.path)) {
			mvec_push(&keep, p->mod);
			map_put(&kept, p->mod.path, (void *)1);
			if (mod_reqs_is_direct(old, p->mod.path) && !map_has(&in_root, p->mod.path)) {
				load_strs_push(a, &root_paths, p->mod.path);
				map_put(&in_root, p->mod.path, (void *)1);
			}
		}
		for (size_t j = 0; j < p->alt_mods.n; j++) {
			/* altMods[m.Path] = m.Version: the last one wins */
			size_t k;
			for (k = 0; k < alt.n; k++)
				if (strcmp(alt.v[k].path, p->alt_mods.v[j].path) == 0)
					break;
			if (k < alt.n)
				alt.v[k] = p->alt_mods.v[j];
			else
				mvec_push(&alt, p->alt_mods.v[j]);
		}
	}
	{
		struct mvs_reqs r = {ld, keep.v, keep.n};
		struct mod_graph *g;
		struct mod_version *bl;
		size_t n;
		bool kept_alt = false;

		if (mvs_req(&r, &root_paths, &min, e) < 0)
			goto out;
		if (!(g = mvs_build_list(&r, e)))
			goto out;
		n = mod_graph_build_list(g, &bl);
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < alt.n; k++)
				if (strcmp(alt.v[k].path, bl[i].path) == 0 &&
				    mod_compare_version(bl[i].path, bl[i].version, alt.v[k].version) < 0) {
					mvec_push(&keep, alt.v[k]);
					kept_alt = true;
				}
		mod_graph_free(g);
		if (kept_alt) {
			r.roots = keep.v;
			r.nroots = keep.n;
			min.n = 0;
			if (mvs_req(&r, &root_paths, &min, e) < 0)
				goto out;
		}
	}
	*out = mod_reqs_new(ld, false, min.v, min.n, &old->direct);
	rc = 0;
out:
	map_release(&kept);
	map_release(&in_root);
	VEC_FREE(&keep);
	VEC_FREE(&min);
	VEC_FREE(&alt);
	return rc;
}

int mod_reqs_tidy(struct load_state *ld, struct mod_reqs *rs, struct mod_lpkg *const *pkgs, size_t npkgs,
                  struct mod_reqs **out, struct err *e)
{
	*out = rs;
	if (rs->pruned)
		return tidy_pruned_roots(ld, rs, pkgs, npkgs, out, e);
	return tidy_unpruned_roots(ld, rs, pkgs, npkgs, out, e);
}

/* ---- keepSums -------------------------------------------------------------- */

static void keep_put(struct load_state *ld, struct map *keep, struct mod_version m, bool gomod)
{
	struct mod_version r = load_module_actual(ld, m);
	const char *k;

	if (!*r.version)
		return; /* a directory replacement has no sums */
	k = arena_printf(&ld->arena, "%s %s%s", r.path, r.version, gomod ? "/go.mod" : "");
	map_put(keep, k, (void *)1);
}

static void keep_walk(void *ctx, struct mod_version m)
{
	void **c = ctx;
	struct load_state *ld = c[0];
	struct map *keep = c[1];
	struct mod_graph *g = c[2];
	const struct mod_version *reqs;
	size_t n;

	if (mod_graph_required_by(g, m, &reqs, &n) && *m.version)
		keep_put(ld, keep, m, true);
}

void mod_reqs_keep_sums(struct load_state *ld, struct mod_reqs *rs, struct mod_lpkg *const *pkgs, size_t npkgs,
                        const char *go_version, bool tidy, struct map *keep)
{
	bool keep_pkg_gomod = !(tc_version_compare(go_version, "1.21") < 0 && tidy);

	for (size_t i = 0; i < npkgs; i++) {
		const struct mod_lpkg *p = pkgs[i];
		struct err e = ERR_INIT;
		struct mod_graph *mg;
		const char *v;
		char *prefix;

		if (p->test_of || (!*p->mod.path && !p->err))
			continue;
		if (mod_check_import_path(p->path, &e) < 0) {
			err_clear(&e);
			continue;
		}
		if (keep_pkg_gomod && *p->mod.path && !mod_reqs_is_main(ld, p->mod))
			keep_put(ld, keep, p->mod, true);
		prefix = xstrdup(p->path);
		if (rs->pruned && *p->mod.path && mod_reqs_root_selected(ld, rs, p->mod.path, &v) &&
		    strcmp(v, p->mod.version) == 0) {
			for (;;) {
				char *sl;
				if (mod_reqs_root_selected(ld, rs, prefix, &v) && strcmp(v, "none") != 0 && *v)
					keep_put(ld, keep, (struct mod_version){arena_strdup(&ld->arena, prefix), v}, false);
				if (!(sl = strrchr(prefix, '/')))
					break;
				*sl = 0;
			}
			free(prefix);
			continue;
		}
		mod_reqs_graph(ld, rs, &mg, &e);
		err_clear(&e);
		for (; mg;) {
			char *sl;
			v = mod_graph_selected(mg, prefix);
			if (strcmp(v, "none") != 0 && *v)
				keep_put(ld, keep, (struct mod_version){arena_strdup(&ld->arena, prefix), v}, false);
			if (!(sl = strrchr(prefix, '/')))
				break;
			*sl = 0;
		}
		free(prefix);
	}
	if (!rs->graph) {
		for (size_t i = 0; i < rs->nroots; i++)
			if (strcmp(rs->roots[i].path, "go") != 0 && strcmp(rs->roots[i].path, "toolchain") != 0)
				keep_put(ld, keep, rs->roots[i], true);
	} else {
		void *c[3] = {ld, keep, rs->graph};
		mod_graph_walk(rs->graph, keep_walk, c);
	}
}

/* ---- go.mod and go.sum -------------------------------------------------------- */

static int cmp_edit_req(const void *a, const void *b)
{
	(void)a;
	(void)b;
	return 0;
}

/* refix_version is a version fixer giving the answers loading the main
 * go.mod got (fix_version), without asking again. */
static int refix_version(void *ctx, const char *path, const char *vers, char **fixed, struct err *e)
{
	struct load_state *ld = ctx;
	const char *v = map_get(&ld->fixed_versions, arena_printf(&ld->arena, "%s@%s", path, vers));

	(void)e;
	*fixed = xstrdup(v ? v : vers);
	return 0;
}

int mod_reqs_gomod_text(struct load_state *ld, struct mod_reqs *rs, const char *added_go,
                        const struct mod_write_opts *opts, char **before, char **after, struct err *e)
{
	static const struct mod_write_opts no_opts;
	struct load_module *mm = ld->mains.v[0];
	struct buf data = BUF_INIT, out = BUF_INIT;
	struct mod_edit *f = NULL;
	struct mod_edit_req *list = NULL;
	size_t nlist = 0;
	const char *go = NULL, *toolchain = NULL, *local;
	int rc = -1;

	(void)cmp_edit_req;
	*before = *after = NULL;
	if (os_read_file(mm->gomod, &data, 0, e) < 0)
		goto out;
	/* the go.mod text, with the versions loading it fixed (a query's
	 * answer) fixed again (commit_gomod writes when any was) */
	if (!ld->gomod_fixed && mod_edit_parse(short_path(ld, mm->gomod), data.data, data.len, false, &f, e) < 0)
		goto out;
	if (ld->gomod_fixed) {
		struct mod_version_fixer refix = {refix_version, ld};
		if (mod_edit_parse_fix(short_path(ld, mm->gomod), data.data, data.len, &refix, &f, e) < 0)
			goto out;
	}
	if (added_go && !f->go && mod_edit_add_go(f, added_go, e) < 0)
		goto out;
	mod_edit_format(f, &out);
	*before = xstrdup(out.data ? out.data : "");
	list = xcalloc(rs->nroots ? rs->nroots : 1, sizeof *list);
	for (size_t i = 0; i < rs->nroots; i++) {
		struct mod_version m = rs->roots[i];
		if (strcmp(m.path, "go") == 0) {
			go = m.version;
			continue;
		}
		if (strcmp(m.path, "toolchain") == 0) {
			toolchain = m.version;
			continue;
		}
		list[nlist].path = m.path;
		list[nlist].version = m.version;
		list[nlist].indirect = !mod_reqs_is_direct(rs, m.path);
		nlist++;
	}
	if (!go)
		go = "1.16";
	local = ld->cfg->tc.version && has_prefix(ld->cfg->tc.version, "go") ? ld->cfg->tc.version + 2 : "";
	if (!opts)
		opts = &no_opts;
	if (*local && tc_version_compare(go, local) > 0) {
		char *msg = tc_too_new_error("updating go.mod", go, local);
		err_setf(e, "%s", msg);
		free(msg);
		goto out;
	}
	if (!f->go || strcmp(f->go, go) != 0) {
		if (mod_edit_add_go(f, go, e) < 0)
			goto out;
	}
	{
		const char *tc = toolchain ? toolchain : arena_printf(&ld->arena, "go%s", go);
		const char *tv = has_prefix(tc, "go") ? tc + 2 : "";
		char *cut = xstrdup(tv), *dash = strchr(cut, '-');
		if (dash)
			*dash = 0; /* gover.FromToolchain drops a "-suffix" */
		/* gover.FromToolchain's "" compares below go1.21 too */
		if (opts->drop_toolchain || strcmp(tc, arena_printf(&ld->arena, "go%s", go)) == 0 ||
		    ((!*cut || tc_version_compare(cut, "1.21") < 0) && !opts->explicit_toolchain))
			mod_edit_drop_toolchain(f);
		else if (mod_edit_add_toolchain(f, tc, e) < 0) {
			free(cut);
			goto out;
		}
		free(cut);
	}
	for (size_t i = 0; i < opts->nadd_tools; i++)
		mod_edit_add_tool(f, opts->add_tools[i]);
	for (size_t i = 0; i < opts->ndrop_tools; i++)
		mod_edit_drop_tool(f, opts->drop_tools[i]);
	if (tc_version_compare(go, "1.17") < 0)
		mod_edit_set_require(f, list, nlist);
	else
		mod_edit_set_require_separate_indirect(f, list, nlist);
	mod_edit_cleanup(f);
	out.len = 0;
	if (out.data)
		out.data[0] = 0;
	mod_edit_format(f, &out);
	*after = xstrdup(out.data ? out.data : "");
	rc = 0;
out:
	free(list);
	mod_edit_free(f);
	buf_release(&data);
	buf_release(&out);
	return rc;
}

/* cache_sum returns the sum of key ("path version" or ".../go.mod") that
 * the run computed from the module cache, or NULL (heap). */
static char *cache_sum(struct load_state *ld, const char *path, const char *version)
{
	struct err e = ERR_INIT;
	char *file = NULL, *h = NULL;
	size_t n = strlen(version);

	if (n > 7 && strcmp(version + n - 7, "/go.mod") == 0) {
		char *v = xstrndup(version, n - 7);
		struct buf data = BUF_INIT;
		if (mod_cache_path(ld->cfg->gomodcache, path, v, "mod", &file, &e) == 0 &&
		    os_read_file(file, &data, MOD_MAX_GOMOD, &e) == 0)
			h = mod_hash_gomod(data.data ? data.data : "", data.len);
		buf_release(&data);
		free(v);
	} else if (mod_cache_path(ld->cfg->gomodcache, path, version, "ziphash", &file, &e) == 0) {
		h = mod_cache_read_ziphash(file);
	}
	err_clear(&e);
	free(file);
	return h;
}

void mod_reqs_gosum_text(struct load_state *ld, const struct map *keep_trim, const struct map *keep_new,
                         char **before, char **after, bool *dirty)
{
	struct arena *a = &ld->arena;
	char *file = xstrdup(ld->mains.v[0]->gosum);
	struct mod_gosum old = {0}, out = {0};
	struct buf data = BUF_INIT, text = BUF_INIT;
	struct err e = ERR_INIT;
	struct map have;
	size_t i = 0;
	const char *k;
	void *v;

	map_init(&have);
	*dirty = false;
	if (os_read_file(file, &data, 0, &e) < 0)
		err_clear(&e);
	*before = xstrdup(data.data ? data.data : "");
	if (mod_gosum_read(&old, file, true, &e) < 0)
		err_clear(&e);
	for (size_t j = 0; j < old.v.n; j++) {
		const struct mod_gosum_entry *x = &old.v.v[j];
		const char *key = arena_printf(a, "%s %s", x->path, x->version);
		map_put(&have, key, (void *)1);
		if (keep_trim && !map_has(keep_trim, key)) {
			*dirty = true;
			continue;
		}
		struct mod_gosum_entry c = {xstrdup(x->path), xstrdup(x->version), xstrdup(x->hash), false, false};
		VEC_PUSH(&out.v, c);
	}
	while (map_next(keep_new, &i, &k, &v)) {
		const char *sp = strchr(k, ' ');
		char *path, *h;
		if (!sp || map_has(&have, k))
			continue;
		if (ld->prior_summaries && has_suffix(sp + 1, "/go.mod") &&
		    map_has(ld->prior_summaries, arena_printf(a, "%.*s@%.*s", (int)(sp - k), k,
		                                               (int)(strlen(sp + 1) - 7), sp + 1)))
			continue; /* read before: not checked, not used this time */
		path = xstrndup(k, (size_t)(sp - k));
		h = cache_sum(ld, path, sp + 1);
		if (h) {
			struct mod_gosum_entry c = {path, xstrdup(sp + 1), h, false, false};
			VEC_PUSH(&out.v, c);
			*dirty = true;
		} else {
			free(path);
		}
	}
	/* Every go.mod the run read had its sum computed (checkGoMod); one that
	 * go.sum lacks was added to the sum state, and TrimGoSum marks it dirty
	 * even when it is not kept. */
	i = 0;
	while (!*dirty && map_next(&ld->summaries, &i, &k, &v)) {
		const char *at = strrchr(k, '@');
		char *path, *h;
		if (!at || !at[1] || has_prefix(k, "go@") || has_prefix(k, "toolchain@"))
			continue;
		if (ld->prior_summaries && map_has(ld->prior_summaries, k))
			continue;
		if (map_has(&have, arena_printf(a, "%.*s %s/go.mod", (int)(at - k), k, at + 1)))
			continue;
		path = xstrndup(k, (size_t)(at - k));
		h = cache_sum(ld, path, arena_printf(a, "%s/go.mod", at + 1));
		if (h)
			*dirty = true;
		free(h);
		free(path);
	}
	mod_gosum_format(&out, NULL, NULL, &text);
	*after = xstrdup(text.data ? text.data : "");
	mod_gosum_release(&old);
	mod_gosum_release(&out);
	map_release(&have);
	buf_release(&data);
	buf_release(&text);
	free(file);
}

int mod_reqs_write_file(const char *file, const char *what, const char *before, const char *after, struct err *e)
{
	struct buf cur = BUF_INIT;
	struct err re = ERR_INIT;
	bool exists = os_read_file(file, &cur, 0, &re) == 0;
	int rc = 0;

	err_clear(&re);
	(void)before;
	if (!exists || strcmp(cur.data ? cur.data : "", after) != 0) {
		/* lockedfile.Transform rewrites the file in place: its mode stays */
		struct stat st;
		mode_t mode = stat(file, &st) == 0 ? (st.st_mode & 07777) : 0666;
		if (os_write_file_atomic(file, after, strlen(after), mode, &re) < 0) {
			err_setf(e, "updating %s: %s", what, err_msg(&re));
			rc = -1;
		}
	}
	err_clear(&re);
	buf_release(&cur);
	return rc;
}
