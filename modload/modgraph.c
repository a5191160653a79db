/*
 * The module graph: go.mod summaries of dependencies, the requirement
 * roots, graph pruning and MVS selection.
 *
 * mirrors cmd/go/internal/mvs/graph.go (Graph), cmd/go/internal/modload
 * buildlist.go (readModGraph, findError), modfile.go (goModSummary,
 * rawGoModSummary, rawGoModData, replacement), init.go
 * (rootsFromModFile) and gover/mod.go (ModCompare, ModSort) (go1.26).
 *
 * Offline only: a dependency's go.mod comes from the module cache
 * ($GOMODCACHE/cache/download/.../@v/V.mod) or from a directory
 * replacement; a missing one is go's GOPROXY=off error.  Everything is
 * allocated in the loader's arena.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modload/load_internal.h"
#include "modload/modload.h"

/* ---- versions (gover/mod.go) ------------------------------------------ */

static bool is_toolchain_path(const char *path)
{
	return strcmp(path, "go") == 0 || strcmp(path, "toolchain") == 0;
}

int mod_compare_version(const char *path, const char *v, const char *w)
{
	if (is_toolchain_path(path)) {
		bool vn = strcmp(v, "none") == 0 || !*v, wn = strcmp(w, "none") == 0 || !*w;
		if (vn || wn)
			return vn && wn ? 0 : vn ? -1 : 1;
		if (strcmp(path, "toolchain") == 0) {
			/* gover.FromToolchain: "go1.21.0" is 1.21.0 */
			if (has_prefix(v, "go"))
				v += 2;
			if (has_prefix(w, "go"))
				w += 2;
		}
		return tc_version_compare(v, w);
	}
	return mod_semver_compare(v, w);
}

static int cmp_mod_version(const void *a, const void *b)
{
	const struct mod_version *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	return mod_compare_version(x->path, x->version, y->version);
}

void mod_sort_versions(struct mod_version *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_mod_version);
}

/* ---- mvs.Graph ---------------------------------------------------------- */

struct graph_node {
	struct mod_version m;
	bool is_root;
	bool has_reqs;             /* Require was called */
	const struct mod_version *reqs;
	size_t nreqs;
};

struct mod_graph {
	struct arena *a;
	const char *const *mains;  /* main module paths: version "" is highest */
	size_t nmains;
	struct mod_version *roots;
	size_t nroots;
	struct map nodes;          /* "path@version" -> struct graph_node */
	struct map selected;       /* path -> version (const char *) */
	VEC(const char *) sel_paths; /* keys of selected, first-seen order */
	VEC(struct graph_node *) all; /* for release */
};

/* cmp_version is modload's cmpVersion: a main module's "" is the highest. */
static int graph_cmp(const struct mod_graph *g, const char *path, const char *v, const char *w)
{
	for (size_t i = 0; i < g->nmains; i++) {
		if (strcmp(g->mains[i], path) != 0)
			continue;
		if (!*v)
			return *w ? 1 : 0;
		if (!*w)
			return -1;
	}
	if (strcmp(v, "none") == 0 || strcmp(w, "none") == 0)
		return strcmp(v, w) == 0 ? 0 : strcmp(v, "none") == 0 ? -1 : 1;
	return mod_compare_version(path, v, w);
}

static const char *node_key(struct arena *a, struct mod_version m)
{
	return arena_printf(a, "%s@%s", m.path, m.version);
}

static struct graph_node *graph_node(struct mod_graph *g, struct mod_version m, bool create)
{
	const char *k = node_key(g->a, m);
	struct graph_node *n = map_get(&g->nodes, k);

	if (!n && create) {
		n = arena_new(g->a, struct graph_node);
		n->m.path = arena_strdup(g->a, m.path);
		n->m.version = arena_strdup(g->a, m.version);
		map_put(&g->nodes, k, n);
		VEC_PUSH(&g->all, n);
	}
	return n;
}

static void graph_select(struct mod_graph *g, struct mod_version m)
{
	const char *cur = mod_graph_selected(g, m.path);

	if (graph_cmp(g, m.path, cur, m.version) < 0) {
		if (!map_has(&g->selected, m.path)) {
			const char *p = arena_strdup(g->a, m.path);
			VEC_PUSH(&g->sel_paths, p);
			map_put(&g->selected, p, (void *)arena_strdup(g->a, m.version));
		} else {
			map_put(&g->selected, m.path, (void *)arena_strdup(g->a, m.version));
		}
	}
}

struct mod_graph *mod_graph_new(struct arena *a, const char *const *mains, size_t nmains,
                                const struct mod_version *roots, size_t n)
{
	struct mod_graph *g = arena_new(a, struct mod_graph);

	g->a = a;
	g->mains = mains;
	g->nmains = nmains;
	map_init(&g->nodes);
	map_init(&g->selected);
	g->roots = arena_alloc(a, (n ? n : 1) * sizeof *g->roots);
	for (size_t i = 0; i < n; i++) {
		g->roots[i].path = arena_strdup(a, roots[i].path);
		g->roots[i].version = arena_strdup(a, roots[i].version);
		graph_node(g, roots[i], true)->is_root = true;
		graph_select(g, roots[i]);
	}
	g->nroots = n;
	return g;
}

void mod_graph_free(struct mod_graph *g)
{
	if (!g)
		return;
	map_release(&g->nodes);
	map_release(&g->selected);
	VEC_FREE(&g->sel_paths);
	VEC_FREE(&g->all);
}

void mod_graph_require(struct mod_graph *g, struct mod_version m, const struct mod_version *reqs, size_t n)
{
	struct graph_node *node = graph_node(g, m, true);
	struct mod_version *cp = arena_alloc(g->a, (n ? n : 1) * sizeof *cp);

	/* mvs panics when m is unreachable or required twice: callers never do */
	for (size_t i = 0; i < n; i++) {
		cp[i].path = arena_strdup(g->a, reqs[i].path);
		cp[i].version = arena_strdup(g->a, reqs[i].version);
		graph_node(g, reqs[i], true); /* reachable, whether or not selected */
		graph_select(g, reqs[i]);
	}
	node->reqs = cp;
	node->nreqs = n;
	node->has_reqs = true;
}

bool mod_graph_required_by(const struct mod_graph *g, struct mod_version m, const struct mod_version **reqs,
                           size_t *n)
{
	struct graph_node *node = map_get(&g->nodes, node_key(g->a, m));

	*reqs = NULL;
	*n = 0;
	if (!node || !node->has_reqs)
		return false;
	*reqs = node->reqs;
	*n = node->nreqs;
	return true;
}

const char *mod_graph_selected(const struct mod_graph *g, const char *path)
{
	const char *v = map_get(&g->selected, path);
	return v ? v : "none";
}

size_t mod_graph_build_list(const struct mod_graph *g, struct mod_version **out)
{
	struct mod_version *list = arena_alloc(g->a, (g->sel_paths.n + g->nroots + 1) * sizeof *list);
	struct map seen;
	size_t n = 0, nroots;

	map_init(&seen);
	for (size_t i = 0; i < g->nroots; i++) {
		const char *p = g->roots[i].path;
		const char *v;
		if (map_has(&seen, p))
			continue;
		v = mod_graph_selected(g, p);
		if (strcmp(v, "none") != 0)
			list[n++] = (struct mod_version){p, v};
		map_put(&seen, p, (void *)p);
	}
	nroots = n;
	for (size_t i = 0; i < g->sel_paths.n; i++) {
		const char *p = g->sel_paths.v[i];
		if (!map_has(&seen, p))
			list[n++] = (struct mod_version){p, mod_graph_selected(g, p)};
	}
	mod_sort_versions(list + nroots, n - nroots);
	map_release(&seen);
	*out = list;
	return n;
}

size_t mod_graph_match(const struct mod_graph *g, const char *arg, struct map *seen, struct mod_version **out)
{
	struct mod_version *bl;
	size_t nb = mod_graph_build_list(g, &bl), n = 0;

	for (size_t k = 0; k < nb; k++) {
		const char *key;
		if (strcmp(bl[k].path, "go") == 0 || strcmp(bl[k].path, "toolchain") == 0)
			continue;
		if (strcmp(arg, "all") != 0 && !load_pattern_match(arg, bl[k].path))
			continue;
		key = arena_printf(g->a, "%s@%s", bl[k].path, bl[k].version);
		if (map_has(seen, key))
			continue;
		map_put(seen, key, (void *)key);
		bl[n++] = bl[k]; /* n <= k: compacts in place */
	}
	if (n == 0)
		fprintf(stderr, "warning: pattern \"%s\" matched no module dependencies\n", arg);
	*out = bl;
	return n;
}

void mod_graph_walk(const struct mod_graph *g, void (*fn)(void *ctx, struct mod_version m), void *ctx)
{
	VEC(struct mod_version) queue = {0};
	struct map enq;
	size_t head = 0;

	map_init(&enq);
	for (size_t i = 0; i < g->nroots; i++) {
		const char *k;
		if (strcmp(g->roots[i].version, "none") == 0)
			continue;
		k = node_key(g->a, g->roots[i]);
		if (map_has(&enq, k))
			continue;
		map_put(&enq, k, (void *)k);
		VEC_PUSH(&queue, g->roots[i]);
	}
	while (head < queue.n) {
		struct mod_version m = queue.v[head++];
		const struct mod_version *reqs;
		size_t n;
		fn(ctx, m);
		mod_graph_required_by(g, m, &reqs, &n);
		for (size_t i = 0; i < n; i++) {
			const char *k = node_key(g->a, reqs[i]);
			if (map_has(&enq, k) || strcmp(reqs[i].version, "none") == 0)
				continue;
			map_put(&enq, k, (void *)k);
			VEC_PUSH(&queue, reqs[i]);
		}
	}
	VEC_FREE(&queue);
	map_release(&enq);
}

size_t mod_graph_find_path(const struct mod_graph *g, bool (*f)(void *ctx, struct mod_version m), void *ctx,
                           struct mod_version **out)
{
	VEC(struct mod_version) queue = {0};
	struct map first; /* key -> struct mod_version * of the first requirer (NULL-path for roots) */
	size_t head = 0, n = 0;
	static const struct mod_version none = {"", ""};

	*out = NULL;
	map_init(&first);
	for (size_t i = 0; i < g->nroots; i++) {
		map_put(&first, node_key(g->a, g->roots[i]), (void *)&none);
		VEC_PUSH(&queue, g->roots[i]);
	}
	while (head < queue.n) {
		struct mod_version m = queue.v[head++];
		const struct mod_version *reqs;
		size_t nr;
		if (f(ctx, m)) {
			/* count, then fill backwards */
			struct mod_version cur = m;
			const struct mod_version *p;
			n = 1;
			while ((p = map_get(&first, node_key(g->a, cur))) && p->path[0]) {
				n++;
				cur = *p;
			}
			*out = arena_alloc(g->a, n * sizeof **out);
			cur = m;
			for (size_t i = n; i-- > 0;) {
				(*out)[i] = cur;
				p = map_get(&first, node_key(g->a, cur));
				if (p)
					cur = *p;
			}
			break;
		}
		mod_graph_required_by(g, m, &reqs, &nr);
		for (size_t i = 0; i < nr; i++) {
			const char *k = node_key(g->a, reqs[i]);
			if (map_has(&first, k))
				continue;
			struct mod_version *from = arena_new(g->a, struct mod_version);
			*from = m;
			map_put(&first, k, from);
			VEC_PUSH(&queue, reqs[i]);
		}
	}
	VEC_FREE(&queue);
	map_release(&first);
	return n;
}

/* ---- go.mod summaries (modfile.go) ------------------------------------ */

/* A modFileSummary, or the error loading it. */
struct summary {
	const char *module;        /* module path declared, or "" */
	const char *go_version;    /* "" when absent */
	bool pruned;               /* go >= 1.17 */
	struct mod_version *reqs;  /* excludes not yet applied */
	size_t nreqs;
	/* the error, as a module.ModuleError of (err_path, err_version) */
	const char *err, *err_path, *err_version;
};

static bool pruned_for(const char *go_version)
{
	return go_version && *go_version && tc_version_compare(go_version, "1.17") >= 0;
}

/* replacement_in is modload's replacement(mod, replace): the replacement
 * of m in f, exact version first, or NULL. */
static const struct mod_replace *replacement_in(const struct mod_file *f, struct mod_version m)
{
	const struct mod_replace *wild = NULL;

	for (size_t i = 0; f && i < f->replaces.n; i++) {
		const struct mod_replace *r = &f->replaces.v[i];
		if (strcmp(r->old.path, m.path) != 0)
			continue;
		if (r->old.version && *r->old.version) {
			if (strcmp(r->old.version, m.version) == 0)
				return r;
		} else {
			wild = r;
		}
	}
	return wild;
}

/* replacement_for mirrors replacementFrom: a main module at its workspace
 * version is never replaced; in workspace mode go.work's replacements
 * come first, then the workspace modules' go.mod files (the last one
 * that replaces m wins: go reports conflicting ones elsewhere). */
static const struct mod_replace *replacement_for(struct load_state *ld, struct mod_version m)
{
	const struct mod_replace *r, *found = NULL;

	if (!*m.version)
		for (size_t i = 0; i < ld->mains.n; i++)
			if (strcmp(m.path, ld->mains.v[i]->path) == 0)
				return NULL;
	if (!ld->workspace)
		return ld->mains.n == 1 ? replacement_in(ld->mains.v[0]->file, m) : NULL;
	if ((r = replacement_in(ld->work, m)))
		return r;
	for (size_t i = 0; i < ld->mains.n; i++)
		if ((r = replacement_in(ld->mains.v[i]->file, m)))
			found = r;
	return found;
}

/* replace_dir_base is the directory relative directory replacements of
 * the actual modules are resolved against: go.work's in workspace mode
 * (canonicalizeReplacePath), else the main module's. */
static const char *replace_dir_base(struct load_state *ld)
{
	if (ld->workspace) {
		if (!ld->work_dir) {
			char *d = path_dir(ld->gowork);
			ld->work_dir = arena_strdup(&ld->arena, d);
			free(d);
		}
		return ld->work_dir;
	}
	return ld->mains.v[0]->dir;
}

/* canonical_replace is canonicalizeReplacePath: a workspace module's
 * relative directory replacement made relative to the go.work directory
 * (./ or ../ form); everything else as written. */
static struct mod_version canonical_replace(struct load_state *ld, const struct mod_replace *r)
{
	struct mod_version v = {r->new.path, r->new.version ? r->new.version : ""};
	const char *modroot = NULL;

	if (!ld->workspace || *v.version || path_is_abs(v.path))
		return v;
	for (size_t k = 0; k < ld->mains.n && !modroot; k++) {
		const struct mod_file *f = ld->mains.v[k]->file;
		for (size_t i = 0; f && i < f->replaces.n; i++)
			if (&f->replaces.v[i] == r)
				modroot = ld->mains.v[k]->dir;
	}
	if (modroot) {
		char *c = load_canonical_replace_path(ld, modroot, v.path);
		v.path = arena_strdup(&ld->arena, c);
		free(c);
	}
	return v;
}

/* mod_actual is resolveReplacement: the module whose files m's are. */
struct mod_version load_module_actual(struct load_state *ld, struct mod_version m)
{
	const struct mod_replace *r = replacement_for(ld, m);

	if (!r)
		return m;
	return canonical_replace(ld, r);
}

static const char *goproxy_error(struct load_state *ld)
{
	const char *proxy = cfg_getenv(ld->cfg, "GOPROXY");

	if (proxy && strcmp(proxy, "off") == 0)
		return "module lookup disabled by GOPROXY=off";
	return "module lookup disabled: gotool does not download modules yet (the module is not in GOMODCACHE)";
}

/* load_gosum mirrors loadModFile's SetGoSumFile and AddWorkspaceGoSumFile
 * and initGoSum: the main module's go.sum, or in workspace mode go.work's
 * path + ".sum" with every workspace module's go.sum beside it. */
struct mod_gosum *load_gosum(struct load_state *ld)
{
	if (!ld->gosum_read) {
		struct err e = ERR_INIT;
		char *file;
		ld->gosum_read = true;
		if (ld->workspace) {
			ld->ws_sums = xcalloc(ld->mains.n ? ld->mains.n : 1, sizeof *ld->ws_sums);
			for (size_t i = 0; i < ld->mains.n; i++) {
				char *f = xstrdup(ld->mains.v[i]->gosum);
				ld->ws_sums[i] = xcalloc(1, sizeof **ld->ws_sums);
				ld->nws_sums++;
				if (mod_gosum_read(ld->ws_sums[i], f, false, &e) < 0)
					err_clear(&e); /* a malformed go.sum is treated as empty here */
				free(f);
			}
			file = xasprintf("%s.sum", ld->gowork);
		} else {
			file = xstrdup(ld->mains.v[0]->gosum);
		}
		if (mod_gosum_read(&ld->gosum, file, false, &e) < 0)
			err_clear(&e);
		ld->gosum.ws = ld->ws_sums;
		ld->gosum.nws = ld->nws_sums;
		free(file);
	}
	return &ld->gosum;
}

/* must_have_sums is mustHaveSums: -mod=readonly with a go.mod, no workspace. */
bool load_must_have_sums(struct load_state *ld)
{
	return ld->has_modroot && !ld->workspace && strcmp(ld->mod_mode, "readonly") == 0;
}

/* raw_summary is rawGoModSummary of the actual module a (no replacement
 * or exclude applied); cached by path@version. */
static struct summary *raw_summary(struct load_state *ld, struct mod_version a)
{
	struct arena *ar = &ld->arena;
	const char *key = arena_printf(ar, "%s@%s", a.path, a.version);
	struct summary *s = map_get(&ld->summaries, key);
	struct buf data = BUF_INIT;
	struct err e = ERR_INIT;
	struct mod_file *f = NULL;
	char *name = NULL;
	const char *shown;

	if (s)
		return s;
	s = arena_new(ar, struct summary);
	map_put(&ld->summaries, key, s);
	s->module = s->go_version = "";
	s->err_path = a.path;
	s->err_version = a.version;
	if (is_toolchain_path(a.path)) {
		s->module = a.path;
		if (strcmp(a.path, "go") == 0 && tc_version_compare(a.version, "1.21") >= 0) {
			/* go 1.21.3 requires toolchain go1.21.3 */
			s->reqs = arena_new(ar, struct mod_version);
			s->reqs[0] = (struct mod_version){"toolchain", arena_printf(ar, "go%s", a.version)};
			s->nreqs = 1;
		}
		return s;
	}
	if (!*a.version && ld->workspace) {
		/* a workspace module: its go.mod as loaded (summaryFromModFile) */
		for (size_t i = 0; i < ld->mains.n; i++)
			if (strcmp(ld->mains.v[i]->path, a.path) == 0 && ld->mains.v[i]->file) {
				f = ld->mains.v[i]->file;
				goto summarize;
			}
	}
	if (!*a.version) {
		/* a directory replacement, relative to the main module (go.work's
		 * directory in workspace mode) */
		name = path_is_abs(a.path) ? path_join(a.path, "go.mod")
		                           : xasprintf("%s/%s/go.mod", replace_dir_base(ld), a.path);
		{
			char *c = path_clean(name);
			free(name);
			name = c;
		}
		shown = short_path(ld, name);
		if (os_read_file(name, &data, 0, &e) < 0) {
			s->err = arena_printf(ar, "reading %s: %s", shown, err_msg(&e));
			goto out;
		}
	} else {
		if (mod_cache_path(ld->cfg->gomodcache, a.path, a.version, "mod", &name, &e) < 0) {
			s->err = arena_strdup(ar, err_msg(&e));
			goto out;
		}
		shown = "go.mod";
		if (os_read_file(name, &data, MOD_MAX_GOMOD, &e) < 0) {
			err_clear(&e);
			if (!load_fetch_enabled(ld)) {
				s->err = goproxy_error(ld);
				goto out;
			}
			/* Fetcher().GoMod: fetched, checked against go.sum and the
			 * checksum database, cached */
			if (load_fetch_gomod(ld, a.path, a.version, &data, &s->err) < 0)
				goto out;
		} else if (load_fetch_enabled(ld) && (strcmp(ld->mod_mode, "mod") == 0 || ld->workspace) &&
		           !mod_gosum_recorded(load_gosum(ld), a.path, arena_printf(ar, "%s/go.mod", a.version))) {
			/* checkGoMod of a cached go.mod go.sum lacks: the checksum
			 * database, then the sum is added */
			if (load_fetch_gomod(ld, a.path, a.version, &data, &s->err) < 0)
				goto out;
		} else if (mod_gosum_recorded(load_gosum(ld), a.path, arena_printf(ar, "%s/go.mod", a.version)) &&
		    mod_gosum_check_gomod(load_gosum(ld), a.path, a.version, data.data, data.len, &e) < 0) {
			s->err = arena_strdup(ar, err_msg(&e));
			goto out;
		}
	}
	if (mod_file_parse(ar, shown, data.data, data.len, false, &f, &e) < 0) {
		s->err = arena_printf(ar, "parsing %s: %s", shown, err_msg(&e));
		goto out;
	}
summarize:
	s->module = f->module ? f->module : "";
	if (f->go) {
		s->go_version = f->go;
		s->pruned = pruned_for(f->go);
	}
	s->reqs = arena_alloc(ar, (f->requires.n + 1) * sizeof *s->reqs);
	for (size_t i = 0; i < f->requires.n; i++)
		s->reqs[s->nreqs++] = f->requires.v[i].mod;
	if (*s->go_version && tc_version_compare(s->go_version, "1.21") >= 0)
		s->reqs[s->nreqs++] = (struct mod_version){"go", s->go_version};
out:
	err_clear(&e);
	buf_release(&data);
	free(name);
	return s;
}

/* is_excluded: some main module's go.mod excludes m (goModSummary checks
 * the index of every main module). */
static bool is_excluded(struct load_state *ld, struct mod_version m)
{
	for (size_t k = 0; k < ld->mains.n; k++) {
		const struct mod_file *f = ld->mains.v[k]->file;
		for (size_t i = 0; f && i < f->excludes.n; i++)
			if (strcmp(f->excludes.v[i].path, m.path) == 0 &&
			    strcmp(f->excludes.v[i].version, m.version) == 0)
				return true;
	}
	return false;
}

/* summary_for is goModSummary(m): replacement applied, go.sum required in
 * readonly mode, the module path checked, excluded requirements dropped. */
static struct summary *summary_for(struct load_state *ld, struct mod_version m)
{
	struct arena *ar = &ld->arena;
	struct mod_version a;
	struct summary *raw, *s;
	const char *key = arena_printf(ar, "%s@%s", m.path, m.version);

	if ((s = map_get(&ld->summaries_eff, key)))
		return s;
	if (is_toolchain_path(m.path)) {
		s = raw_summary(ld, m);
		goto out;
	}
	a = load_module_actual(ld, m);
	s = arena_new(ar, struct summary);
	s->module = s->go_version = "";
	s->err_path = a.path;
	s->err_version = a.version;
	if (load_must_have_sums(ld) && *a.version &&
	    !mod_gosum_recorded(load_gosum(ld), a.path, arena_printf(ar, "%s/go.mod", a.version))) {
		s->err = arena_printf(ar, "missing go.sum entry for go.mod file; to add it:\n\tgo mod download %s", m.path);
		goto out;
	}
	raw = raw_summary(ld, a);
	*s = *raw;
	if (raw->err)
		goto out;
	if (*a.version) {
		if (!*raw->module) {
			s->err = "parsing go.mod: missing module line";
			goto out;
		}
		if (strcmp(raw->module, m.path) != 0 && strcmp(raw->module, a.path) != 0) {
			s->err = arena_printf(ar, "parsing go.mod:\n\tmodule declares its path as: %s\n"
			                      "\t        but was required as: %s", raw->module, m.path);
			goto out;
		}
	}
	s->reqs = arena_alloc(ar, (raw->nreqs + 1) * sizeof *s->reqs);
	s->nreqs = 0;
	for (size_t i = 0; i < raw->nreqs; i++)
		if (!is_excluded(ld, raw->reqs[i]))
			s->reqs[s->nreqs++] = raw->reqs[i];
out:
	map_put(&ld->summaries_eff, key, s);
	return s;
}

/* ---- the roots and readModGraph (init.go, buildlist.go) ---------------- */

/* main_go_version is gover.FromGoMod of the main go.mod. */
static const char *main_go_version(struct load_state *ld)
{
	struct mod_file *f = ld->mains.v[0]->file;
	return f && f->go ? f->go : "1.16";
}

/* load_roots is rootsFromModFile with the toolchain root: the main
 * module's requirements (excluded ones dropped, with go's message), go
 * and toolchain, sorted. */
/* load_workspace_roots is requirementsFromModFiles in workspace mode: the
 * workspace modules, go (go.work's, 1.18 without a go line) and
 * go.work's toolchain, sorted; direct is every workspace go.mod's direct
 * requirements (directRequirements); the graph has workspace pruning. */
static void load_workspace_roots(struct load_state *ld)
{
	struct arena *ar = &ld->arena;

	ld->roots = arena_alloc(ar, (ld->mains.n + 2) * sizeof *ld->roots);
	ld->nroots = 0;
	for (size_t i = 0; i < ld->mains.n; i++)
		ld->roots[ld->nroots++] = (struct mod_version){ld->mains.v[i]->path, ""};
	ld->roots[ld->nroots++] = (struct mod_version){"go", ld->work && ld->work->go ? ld->work->go : "1.18"};
	if (ld->work && ld->work->toolchain)
		ld->roots[ld->nroots++] = (struct mod_version){"toolchain", ld->work->toolchain};
	for (size_t k = 0; k < ld->mains.n; k++) {
		const struct mod_file *f = ld->mains.v[k]->file;
		for (size_t i = 0; f && i < f->requires.n; i++)
			if (!f->requires.v[i].indirect)
				map_put(&ld->direct, f->requires.v[i].mod.path, (void *)f->requires.v[i].mod.path);
	}
	mod_sort_versions(ld->roots, ld->nroots);
	ld->pruned = false;
	ld->ws_pruning = true;
	ld->roots_loaded = true;
}

static void load_roots(struct load_state *ld)
{
	struct arena *ar = &ld->arena;
	struct mod_file *f;
	size_t cap;

	if (ld->workspace) {
		load_workspace_roots(ld);
		return;
	}
	f = ld->mains.v[0]->file;
	cap = f->requires.n + 2;

	ld->roots = arena_alloc(ar, cap * sizeof *ld->roots);
	ld->nroots = 0;
	for (size_t i = 0; i < f->requires.n; i++) {
		struct mod_version r = f->requires.v[i].mod;
		if (is_excluded(ld, r)) {
			fflush(stdout);
			fprintf(stderr, "%s: %s requirement on excluded version %s %s\n", prog_name,
			        strcmp(ld->mod_mode, "mod") == 0 ? "dropping" : "ignoring", r.path, r.version);
			ld->roots_dropped = true;
			continue;
		}
		ld->roots[ld->nroots++] = r;
		if (!f->requires.v[i].indirect)
			map_put(&ld->direct, r.path, (void *)r.path);
	}
	ld->roots[ld->nroots++] = (struct mod_version){"go", main_go_version(ld)};
	map_put(&ld->direct, "go", (void *)"go");
	if (f->toolchain)
		ld->roots[ld->nroots++] = (struct mod_version){"toolchain", f->toolchain};
	mod_sort_versions(ld->roots, ld->nroots);
	ld->pruned = pruned_for(main_go_version(ld));
	ld->roots_loaded = true;
}

/* Modes of enqueue (modPruning). */
enum rg_pruning { RG_PRUNED, RG_UNPRUNED, RG_WORKSPACE };
struct rg_item {
	struct mod_version m;
	enum rg_pruning pruning;
};

static bool has_error(void *ctx, struct mod_version m)
{
	struct load_state *ld = ctx;
	struct summary *s;

	if (is_toolchain_path(m.path) && !*m.version)
		return false;
	if (!*m.version)
		return false; /* the main module */
	s = map_get(&ld->summaries_eff, arena_printf(&ld->arena, "%s@%s", m.path, m.version));
	return s && s->err;
}

/* build_list_error formats mvs.BuildListError for the path to the first
 * module that failed to load (findError). */
static const char *build_list_error(struct load_state *ld, struct mod_graph *g)
{
	struct arena *ar = &ld->arena;
	struct mod_version *path;
	size_t n = mod_graph_find_path(g, has_error, ld, &path), i = 0;
	struct buf b = BUF_INIT;
	struct summary *s;
	const char *res;

	if (n == 0)
		return NULL;
	s = map_get(&ld->summaries_eff, arena_printf(ar, "%s@%s", path[n - 1].path, path[n - 1].version));
	while (i < n && !*path[i].version)
		i++;
	for (; i + 1 < n; i++)
		buf_printf(&b, "%s@%s requires\n\t", path[i].path, path[i].version);
	{
		struct mod_version m = path[n - 1];
		if (strcmp(s->err_path, m.path) == 0 && strcmp(s->err_version, m.version) == 0)
			buf_printf(&b, "%s@%s: %s", m.path, m.version, s->err);
		else if (*s->err_version)
			buf_printf(&b, "%s@%s (replaced by %s@%s): %s", m.path, m.version, s->err_path,
			           s->err_version, s->err);
		else
			buf_printf(&b, "%s@%s (replaced by %s): %s", m.path, m.version, s->err_path, s->err);
	}
	res = arena_strdup(ar, b.data);
	buf_release(&b);
	return res;
}

static int check_supported(struct load_state *ld, struct err *e)
{
	if (!ld->has_modroot)
		return err_setf(e, "%s", load_no_main_modules_error(ld));
	if (ld->vendor_dir)
		return err_setf(e, "the module graph in vendor mode is not supported yet");
	return 0;
}

void load_vendor_roots(struct load_state *ld)
{
	if (!ld->roots_loaded && !ld->workspace)
		load_roots(ld);
}

int load_module_roots(struct load_state *ld, struct err *e)
{
	if (ld->roots_loaded)
		return 0;
	if (check_supported(ld, e) < 0)
		return -1;
	load_roots(ld);
	return 0;
}

bool load_root_selected(struct load_state *ld, const char *path, const char **version)
{
	const char *best = NULL;

	for (size_t i = 0; i < ld->nroots; i++)
		if (strcmp(ld->roots[i].path, path) == 0 &&
		    (!best || mod_compare_version(path, best, ld->roots[i].version) < 0))
			best = ld->roots[i].version;
	*version = best;
	return best != NULL;
}

bool load_modules_pruned(struct load_state *ld)
{
	return ld->pruned;
}

/* The state of one readModGraph: the queue (breadth-first), the dedupKey
 * set of enqueued modules and the graph. */
struct rg_state {
	struct load_state *ld;
	struct mod_graph *g;
	struct {
		struct rg_item *v;
		size_t n, cap;
	} queue;
	size_t head, level_end;
	struct map loading; /* "P|path@version", "U|..." or "W|..." */
	/* editRequirements' unprune set ("path@version"): loaded even below
	 * a pruned module, or NULL */
	const struct map *unprune;
};

static void rg_enqueue(struct rg_state *st, struct mod_version m, enum rg_pruning pruning)
{
	struct rg_item it = {m, pruning};
	VEC_PUSH(&st->queue, it);
}

/* rg_drain loads the queued modules (loadOne and enqueue's rule) until
 * the queue is empty.  Breadth-first instead of go's parallel queue: the
 * graph is the same; the go.mod files of each level are fetched ahead
 * together. */
static void rg_drain(struct rg_state *st)
{
	struct load_state *ld = st->ld;
	struct arena *ar = &ld->arena;
	static const char mode_char[] = {[RG_PRUNED] = 'P', [RG_UNPRUNED] = 'U', [RG_WORKSPACE] = 'W'};

	while (st->head < st->queue.n) {
		if (st->head >= st->level_end) {
			st->level_end = st->queue.n;
			if (load_fetch_enabled(ld)) {
				size_t n = st->level_end - st->head;
				struct mod_version *lv = arena_alloc(ar, n * sizeof *lv);
				for (size_t i = st->head; i < st->level_end; i++)
					lv[i - st->head] = load_module_actual(ld, st->queue.v[i].m);
				load_fetch_prefetch_gomods(ld, lv, n);
			}
		}
		struct rg_item it = st->queue.v[st->head++];
		const char *k;
		struct summary *s;
		enum rg_pruning next;

		if (strcmp(it.m.version, "none") == 0)
			continue;
		k = arena_printf(ar, "%c|%s@%s", mode_char[it.pruning], it.m.path, it.m.version);
		if (map_has(&st->loading, k))
			continue;
		map_put(&st->loading, k, (void *)k);
		/* loadOne: the summary once, its requirements into the graph once */
		s = summary_for(ld, it.m);
		{
			const struct mod_version *r;
			size_t nr;
			if (!s->err && !mod_graph_required_by(st->g, it.m, &r, &nr))
				mod_graph_require(st->g, it.m, s->reqs, s->nreqs);
		}
		if (s->err)
			continue;
		/* the enqueue rule: a pruned module's deps stay unloaded when it
		 * was reached through pruning */
		if (it.pruning == RG_PRUNED && s->pruned) {
			for (size_t i = 0; st->unprune && i < s->nreqs; i++)
				if (map_has(st->unprune, arena_printf(ar, "%s@%s", s->reqs[i].path, s->reqs[i].version)))
					rg_enqueue(st, s->reqs[i], RG_PRUNED);
			continue;
		}
		next = it.pruning == RG_UNPRUNED ? RG_UNPRUNED : s->pruned ? RG_PRUNED : RG_UNPRUNED;
		for (size_t i = 0; i < s->nreqs; i++)
			rg_enqueue(st, s->reqs[i], next);
	}
}

/* rg_workspace_reload is readModGraph's loop for workspace pruning: the
 * modules selected above the version some module in hasDepsInAll
 * requires are loaded again with workspace pruning (their requirements
 * may provide packages in "all"), until nothing changes. */
static void rg_workspace_reload(struct rg_state *st, const struct mod_version *roots, size_t nroots)
{
	struct arena *ar = &st->ld->arena;
	struct map has_deps, seen;
	VEC(const char *) paths = {0}; /* has_deps in insertion order */
	VEC(struct mod_version) needs = {0};
	struct map needs_set;

	map_init(&has_deps);
	map_init(&seen);
	for (size_t i = 0; i < nroots; i++)
		if (!map_has(&has_deps, roots[i].path)) {
			map_put(&has_deps, roots[i].path, (void *)roots[i].path);
			VEC_PUSH(&paths, roots[i].path);
		}
	for (;;) {
		map_init(&needs_set);
		needs.n = 0;
		for (size_t i = 0; i < paths.n; i++) {
			struct mod_version m = {paths.v[i], mod_graph_selected(st->g, paths.v[i])};
			const struct mod_version *reqs;
			size_t nr;
			const char *k = node_key(ar, m);
			if (!map_has(&seen, k)) {
				if (!map_has(&needs_set, k)) {
					map_put(&needs_set, k, (void *)k);
					VEC_PUSH(&needs, m);
				}
				continue;
			}
			mod_graph_required_by(st->g, m, &reqs, &nr);
			for (size_t j = 0; j < nr; j++) {
				struct mod_version sel = {reqs[j].path, mod_graph_selected(st->g, reqs[j].path)};
				const char *sk = node_key(ar, sel);
				if (mod_compare_version(reqs[j].path, sel.version, reqs[j].version) > 0 && !map_has(&seen, sk) &&
				    !map_has(&needs_set, sk)) {
					map_put(&needs_set, sk, (void *)sk);
					VEC_PUSH(&needs, sel);
				}
			}
		}
		map_release(&needs_set);
		if (needs.n == 0)
			break;
		for (size_t i = 0; i < needs.n; i++) {
			const char *k = node_key(ar, needs.v[i]);
			rg_enqueue(st, needs.v[i], RG_WORKSPACE);
			map_put(&seen, k, (void *)k);
			if (!map_has(&has_deps, needs.v[i].path)) {
				map_put(&has_deps, needs.v[i].path, (void *)needs.v[i].path);
				VEC_PUSH(&paths, needs.v[i].path);
			}
		}
		rg_drain(st);
	}
	VEC_FREE(&needs);
	VEC_FREE(&paths);
	map_release(&seen);
	map_release(&has_deps);
}

/* read_mod_graph_mode is readModGraph over roots (sorted, go included):
 * with pruned or unpruned loading the single main module requires the
 * roots; with workspace pruning the roots (the workspace modules, go and
 * toolchain) are the graph's roots.  Returns the graph (arena) and the
 * BuildListError text of the first module that failed, or NULL. */
static struct mod_graph *read_mod_graph_mode(struct load_state *ld, const struct mod_version *roots, size_t nroots,
                                             enum rg_pruning pruning, const struct map *unprune, const char **errmsg)
{
	struct arena *ar = &ld->arena;
	struct rg_state st = {.ld = ld, .unprune = unprune};
	const char **mains;

	map_init(&st.loading);
	mains = arena_alloc(ar, (ld->mains.n ? ld->mains.n : 1) * sizeof *mains);
	if (pruning == RG_WORKSPACE) {
		for (size_t i = 0; i < ld->mains.n; i++)
			mains[i] = ld->mains.v[i]->path;
		st.g = mod_graph_new(ar, mains, ld->mains.n, roots, nroots);
	} else {
		struct mod_version mainv = {ld->mains.v[0]->path, ""};
		mains[0] = mainv.path;
		st.g = mod_graph_new(ar, mains, 1, &mainv, 1);
		mod_graph_require(st.g, mainv, roots, nroots);
	}
	for (size_t i = 0; i < nroots; i++)
		rg_enqueue(&st, roots[i], pruning);
	rg_drain(&st);
	if (pruning == RG_WORKSPACE)
		rg_workspace_reload(&st, roots, nroots);
	VEC_FREE(&st.queue);
	map_release(&st.loading);
	*errmsg = build_list_error(ld, st.g);
	VEC_PUSH(&ld->extra_graphs, st.g);
	return st.g;
}

/* read_mod_graph is readModGraph for the single main module over roots
 * (sorted, go included) with pruning or not. */
static struct mod_graph *read_mod_graph(struct load_state *ld, const struct mod_version *roots, size_t nroots,
                                        bool pruned, const char **errmsg)
{
	return read_mod_graph_mode(ld, roots, nroots, pruned ? RG_PRUNED : RG_UNPRUNED, NULL, errmsg);
}

int load_module_graph_roots(struct load_state *ld, const struct mod_version *roots, size_t nroots, bool pruned,
                            struct mod_graph **out, struct err *e)
{
	const char *msg;

	*out = NULL;
	if (load_module_roots(ld, e) < 0)
		return -1;
	*out = read_mod_graph(ld, roots, nroots, pruned, &msg);
	return msg ? err_setf(e, "%s", msg) : 0;
}

int load_module_graph_unprune(struct load_state *ld, const struct mod_version *roots, size_t nroots, bool pruned,
                              const struct map *unprune, struct mod_graph **out, struct err *e)
{
	const char *msg;

	*out = NULL;
	if (load_module_roots(ld, e) < 0)
		return -1;
	*out = read_mod_graph_mode(ld, roots, nroots, pruned ? RG_PRUNED : RG_UNPRUNED, unprune, &msg);
	return msg ? err_setf(e, "%s", msg) : 0;
}

bool load_module_summary_cached(struct load_state *ld, struct mod_version m, const char **err)
{
	struct summary *s = map_get(&ld->summaries_eff, arena_printf(&ld->arena, "%s@%s", m.path, m.version));

	*err = NULL;
	if (!s)
		return false;
	if (s->err)
		*err = arena_printf(&ld->arena, "%s@%s: %s", m.path, m.version, s->err);
	return true;
}

int load_module_summary(struct load_state *ld, struct mod_version m, const struct mod_version **reqs, size_t *n,
                        bool *pruned, const char **go_version, struct err *e)
{
	struct summary *s = summary_for(ld, m);

	*reqs = s->reqs;
	*n = s->nreqs;
	if (pruned)
		*pruned = s->pruned;
	if (go_version)
		*go_version = s->go_version;
	if (s->err)
		return err_setf(e, "%s@%s: %s", m.path, m.version, s->err);
	return 0;
}

int load_module_graph(struct load_state *ld, const char *go_version, struct mod_graph **out, struct err *e)
{
	struct mod_graph *g;
	const char *msg;
	bool pruned;

	*out = NULL;
	if (!go_version && ld->graph) {
		*out = ld->graph;
		return ld->graph_err ? err_setf(e, "%s", ld->graph_err) : 0;
	}
	if (load_module_roots(ld, e) < 0)
		return -1;
	pruned = ld->pruned;
	if (go_version) {
		const char *v = NULL;
		load_root_selected(ld, "go", &v);
		if (v && tc_version_compare(v, "1.21") >= 0 && tc_version_compare(go_version, v) < 0)
			return err_setf(e, "requested Go version %s cannot load module graph (requires Go >= %s)",
			                go_version, v);
		if (!pruned_for(go_version))
			pruned = false;
	}
	if (ld->ws_pruning)
		g = read_mod_graph_mode(ld, ld->roots, ld->nroots, RG_WORKSPACE, NULL, &msg);
	else
		g = read_mod_graph(ld, ld->roots, ld->nroots, pruned, &msg);
	if (!go_version) {
		ld->graph = g;
		ld->graph_err = msg;
		ld->extra_graphs.n--; /* ld->graph is freed on its own */
	}
	*out = g;
	return msg ? err_setf(e, "%s", msg) : 0;
}

/* ---- modules as go list reports them ------------------------------------ */

/* read_info_time returns the Time of the cached .info file, or NULL. */
static const char *read_info_time(struct load_state *ld, const char *path, const char *version)
{
	char *file = NULL;
	struct buf data = BUF_INIT;
	struct err e = ERR_INIT;
	const char *t = NULL, *p;

	/* no module cache, no .info: and mod_cache_path would create the
	 * cache, which go does only when it queries (completeFromModCache) */
	if (!ld->cfg->gomodcache || !os_is_dir(ld->cfg->gomodcache))
		return NULL;
	if (mod_cache_path(ld->cfg->gomodcache, path, version, "info", &file, &e) < 0 ||
	    os_read_file(file, &data, 1 << 20, &e) < 0)
		goto out;
	/* {"Version":"v1.0.0","Time":"2024-01-02T03:04:05Z",...}: Time is a plain string */
	p = strstr(buf_cstr(&data), "\"Time\"");
	if (p) {
		p += 6;
		while (*p == ' ' || *p == ':' || *p == '\t')
			p++;
		if (*p == '"') {
			const char *q = strchr(p + 1, '"');
			if (q)
				t = arena_strndup(&ld->arena, p + 1, (size_t)(q - p - 1));
		}
	}
out:
	err_clear(&e);
	buf_release(&data);
	free(file);
	return t;
}

/* fill_module sets dir, gomod, go version, time and sums of a versioned or
 * directory module as moduleInfo does (completeFromModCache). */
static void fill_module(struct load_state *ld, struct load_module *m, struct mod_version a, bool replacement)
{
	struct arena *ar = &ld->arena;
	struct summary *s = NULL;
	struct err e = ERR_INIT;
	char *p = NULL;
	bool zip_ok, mod_ok;

	/* completeFromModCache leaves the "go" and "toolchain" modules alone */
	if (strcmp(a.path, "go") == 0 || strcmp(a.path, "toolchain") == 0) {
		m->go_version = m->dir = m->gomod = "";
		return;
	}
	/* completeFromModCache reads the go.mod only when checksumOk("/go.mod") */
	if (!*a.version || !load_must_have_sums(ld) ||
	    mod_gosum_recorded(load_gosum(ld), a.path, arena_printf(ar, "%s/go.mod", a.version)))
		s = raw_summary(ld, a);
	m->go_version = !s || s->err ? "" : s->go_version;
	m->dir = m->gomod = "";
	if (!*a.version) {
		char *d = path_is_abs(a.path) ? path_clean(a.path) : path_join(replace_dir_base(ld), a.path);
		char *g = path_join(d, "go.mod");
		m->dir = arena_strdup(ar, d);
		m->gomod = arena_strdup(ar, g);
		free(d);
		free(g);
		return;
	}
	m->time = read_info_time(ld, a.path, a.version);
	if (!m->time)
		m->error = goproxy_error(ld);
	/* checksumOk: with mustHaveSums Dir and Sum need go.sum's zip line,
	 * GoMod and GoModSum its go.mod line (mustHaveSums) */
	{
		bool must = load_must_have_sums(ld);
		zip_ok = !must || mod_gosum_recorded(load_gosum(ld), a.path, a.version);
		mod_ok = !must || mod_gosum_recorded(load_gosum(ld), a.path, arena_printf(ar, "%s/go.mod", a.version));
	}
	if (zip_ok && mod_cache_download_dir(ld->cfg->gomodcache, a.path, a.version, &p, &e) == 0)
		m->dir = arena_strdup(ar, p);
	err_clear(&e);
	free(p);
	p = NULL;
	if (mod_ok && mod_cache_path(ld->cfg->gomodcache, a.path, a.version, "mod", &p, &e) == 0 && os_exists(p))
		m->gomod = arena_strdup(ar, p);
	err_clear(&e);
	free(p);
	{
		/* modfetch.Sum: the .ziphash of the download; GoModSum: go.sum's */
		char *zh = NULL, *h = NULL;
		/* in workspace mode (no mustHaveSums) go reports RecordedSum: none
		 * for a sum not yet in the sum files (one added this run counts
		 * once commitRequirements wrote it: load_module_dir) */
		if (ld->workspace && !mod_gosum_recorded(load_gosum(ld), a.path, a.version))
			zip_ok = false;
		if (zip_ok && mod_cache_path(ld->cfg->gomodcache, a.path, a.version, "ziphash", &zh, &e) == 0)
			h = mod_cache_read_ziphash(zh);
		err_clear(&e);
		m->sum = h ? arena_strdup(ar, h) : "";
		free(h);
		free(zh);
	}
	{
		const char *gh = mod_gosum_recorded(load_gosum(ld), a.path, arena_printf(ar, "%s/go.mod", a.version));
		m->gomod_sum = gh ? arena_strdup(ar, gh) : "";
	}
	(void)replacement;
}

struct load_module *load_dep_module(struct load_state *ld, const char *path, const char *version)
{
	struct arena *ar = &ld->arena;
	const char *key = arena_printf(ar, "%s@%s", path, version);
	struct load_module *m = map_get(&ld->dep_mods, key);
	struct mod_version mv = {path, version}, a;

	if (m)
		return m;
	m = arena_new(ar, struct load_module);
	m->path = arena_strdup(ar, path);
	m->version = arena_strdup(ar, version);
	m->indirect = !map_has(&ld->direct, path);
	a = load_module_actual(ld, mv);
	if (strcmp(a.path, mv.path) != 0 || strcmp(a.version, mv.version) != 0) {
		struct load_module *r = arena_new(ar, struct load_module);
		r->path = arena_strdup(ar, a.path);
		r->version = arena_strdup(ar, a.version);
		fill_module(ld, r, a, true);
		m->replace = r;
		m->dir = r->dir;
		m->gomod = r->gomod;
		m->go_version = r->go_version;
		m->sum = m->gomod_sum = "";
		/* moduleInfo: a replaced module of the build list is not
		 * completed itself (go.dev/issue/27859); only its Replace
		 * carries the .info error */
	} else {
		fill_module(ld, m, a, false);
	}
	map_put(&ld->dep_mods, arena_strdup(ar, key), m);
	return m;
}

/* zip_cached reports whether a's zip is in the module cache: Download
 * needs no proxy then (a zip whose .ziphash was lost is hashed again, a
 * directory missing or half-extracted is extracted again). */
static bool zip_cached(struct load_state *ld, struct mod_version a)
{
	struct err e = ERR_INIT;
	char *zip = NULL;
	bool ok;

	if (!ld->cfg->gomodcache || !ld->cfg->gomodcache[0] || !ld->has_modroot ||
	    (ld->mod_mode && strcmp(ld->mod_mode, "vendor") == 0))
		return false;
	ok = mod_cache_path(ld->cfg->gomodcache, a.path, a.version, "zip", &zip, &e) == 0 && os_exists(zip);
	err_clear(&e);
	free(zip);
	return ok;
}

int load_module_dir(struct load_state *ld, struct load_module *m, const char **dir, struct err *e)
{
	struct mod_version a = {m->path, m->version};

	if (m->replace)
		a = (struct mod_version){m->replace->path, m->replace->version};
	*dir = m->dir;
	if (m->dir && *m->dir) {
		/* Download of a cached module is checkMod: with -mod=mod a zip sum
		 * go.sum lacks is checked (checksum database) and added */
		if (*a.version && load_fetch_enabled(ld) && (strcmp(ld->mod_mode, "mod") == 0 || ld->workspace) &&
		    !mod_gosum_recorded(load_gosum(ld), a.path, a.version)) {
			const char *d;
			char *zh = NULL, *h = NULL;
			struct err ze = ERR_INIT;
			struct load_module *am = m->replace ? m->replace : m;
			if (load_fetch_download(ld, a.path, a.version, &d, e) < 0)
				return -1;
			if (mod_cache_path(ld->cfg->gomodcache, a.path, a.version, "ziphash", &zh, &ze) == 0)
				h = mod_cache_read_ziphash(zh);
			err_clear(&ze);
			if (h)
				am->sum = arena_strdup(&ld->arena, h);
			free(h);
			free(zh);
		}
		/* Download of a cached module checks its zip sum (checkMod):
		 * recorded once per module, not on every import it answers */
		if (*a.version && !m->zip_checked) {
			m->zip_checked = true;
			map_put(&ld->zips_checked, arena_printf(&ld->arena, "%s %s", a.path, a.version), (void *)1);
		}
		return 0;
	}
	if (!*a.version)
		return err_setf(e, "%s: module directory not found", a.path);
	{
		char *p = NULL;
		struct err de = ERR_INIT;
		int r = mod_cache_download_dir(ld->cfg->gomodcache, a.path, a.version, &p, &de);
		free(p);
		if (r == MOD_DIR_ABSENT && (load_fetch_enabled(ld) || zip_cached(ld, a))) {
			err_clear(&de);
			struct load_module *am = m->replace ? m->replace : m;
			char *zh = NULL, *h = NULL;
			if (load_fetch_download(ld, a.path, a.version, dir, e) < 0)
				return -1;
			am->dir = m->dir = *dir;
			/* the sum fill_module found no .ziphash for */
			if (mod_cache_path(ld->cfg->gomodcache, a.path, a.version, "ziphash", &zh, &de) == 0)
				h = mod_cache_read_ziphash(zh);
			err_clear(&de);
			if (h)
				am->sum = arena_strdup(&ld->arena, h);
			free(h);
			free(zh);
			return 0;
		}
		if (r == MOD_DIR_ABSENT) {
			/* modfetch.Download announces the download, then the proxy refuses */
			const char *k = arena_printf(&ld->arena, "dl|%s@%s", a.path, a.version);
			err_clear(&de);
			if (!map_has(&ld->dep_mods, k)) {
				char *lock = NULL, *ldir;
				map_put(&ld->dep_mods, k, m);
				/* Download takes the version's lock (lockVersion) before
				 * anything is refused: go leaves the lock file behind */
				if (mod_cache_path(ld->cfg->gomodcache, a.path, a.version, "lock", &lock, &de) == 0) {
					ldir = path_dir(lock);
					if (os_mkdir_all(ldir, 0777, &de) == 0)
						os_flock_close(os_flock_open(lock, &de));
					free(ldir);
				}
				err_clear(&de);
				free(lock);
				fflush(stdout);
				fprintf(stderr, "%s: downloading %s %s\n", prog_name, a.path, a.version);
			}
			return err_setf(e, "%s", goproxy_error(ld));
		}
		err_setf(e, "%s", err_msg(&de));
		err_clear(&de);
		return -1;
	}
}

int load_gomod_dirty_error(struct load_state *ld, struct err *e)
{
	if (ld->mod_explicit)
		return err_setf(e, "updates to go.mod needed, disabled by -mod=%s; to update it:\n\tgo mod tidy",
		                ld->mod_mode);
	if (ld->mod_reason)
		return err_setf(e, "updates to go.mod needed, disabled by -mod=%s\n\t(%s)\n\tto update it:\n\tgo mod tidy",
		                ld->mod_mode, ld->mod_reason);
	return err_setf(e, "updates to go.mod needed; to update it:\n\tgo mod tidy");
}

void load_adopt_graph(struct load_state *ld, const struct mod_version *roots, size_t nroots, struct mod_graph *g)
{
	if (g == ld->graph)
		return;
	/* g was kept with the other graphs; ld's old one joins them */
	for (size_t i = 0; i < ld->extra_graphs.n; i++)
		if (ld->extra_graphs.v[i] == g) {
			ld->extra_graphs.v[i] = ld->graph;
			if (!ld->graph)
				ld->extra_graphs.v[i] = ld->extra_graphs.v[--ld->extra_graphs.n];
			ld->graph = g;
			ld->graph_err = NULL;
			ld->roots = arena_alloc(&ld->arena, (nroots ? nroots : 1) * sizeof *ld->roots);
			memcpy(ld->roots, roots, nroots * sizeof *roots);
			ld->nroots = nroots;
			return;
		}
}

bool load_all_roots_selected(struct load_state *ld, struct mod_graph *g)
{
	for (size_t i = 0; i < ld->nroots; i++)
		if (strcmp(mod_graph_selected(g, ld->roots[i].path), ld->roots[i].version) != 0 &&
		    strcmp(ld->roots[i].path, ld->mains.v[0]->path) != 0)
			return false;
	return true;
}

int load_check_gomod_clean(struct load_state *ld, struct err *e)
{
	if (ld->workspace || !ld->has_modroot || ld->mains.n != 1 || !ld->mod_mode ||
	    strcmp(ld->mod_mode, "mod") == 0)
		return 0;
	/* expandGraph: a root the graph selects at another version is updated */
	if (ld->roots_dropped || ld->gomod_fixed || (ld->graph && !load_all_roots_selected(ld, ld->graph)))
		return load_gomod_dirty_error(ld, e);
	return 0;
}

bool load_module_has_sum(struct load_state *ld, const struct load_module *m)
{
	const char *path = m->path, *version = m->version;

	if (m->replace) {
		path = m->replace->path;
		version = m->replace->version;
	}
	if (!load_must_have_sums(ld) || !version || !*version)
		return true;
	return mod_gosum_recorded(load_gosum(ld), path, version) != NULL;
}

void load_modgraph_release(struct load_state *ld)
{
	mod_graph_free(ld->graph);
	for (size_t i = 0; i < ld->extra_graphs.n; i++)
		mod_graph_free(ld->extra_graphs.v[i]);
	VEC_FREE(&ld->extra_graphs);
	map_release(&ld->summaries);
	map_release(&ld->summaries_eff);
	map_release(&ld->direct);
	map_release(&ld->dep_mods);
	map_release(&ld->zips_checked);
	mod_fetch_free(ld->fetcher);
	ld->fetcher = NULL;
	if (ld->gosum_read)
		mod_gosum_release(&ld->gosum);
	for (size_t i = 0; i < ld->nws_sums; i++) {
		mod_gosum_release(ld->ws_sums[i]);
		free(ld->ws_sums[i]);
	}
	free(ld->ws_sums);
	ld->ws_sums = NULL;
	ld->nws_sums = 0;
}

const struct mod_replace *load_module_replacement(struct load_state *ld, struct mod_version m)
{
	return replacement_for(ld, m);
}

bool load_module_replacement_canonical(struct load_state *ld, struct mod_version m, struct mod_version *out)
{
	const struct mod_replace *r = replacement_for(ld, m);

	if (!r)
		return false;
	*out = canonical_replace(ld, r);
	return true;
}
