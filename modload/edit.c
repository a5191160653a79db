/*
 * editRequirements (cmd/go/internal/modload/edit.go, go1.26): the roots
 * that select each mustSelect version exactly, upgrade toward the
 * tryUpgrade versions, and otherwise move the old roots only as far as
 * those need.  go get (get.c) is its user.
 *
 * Conflicts are found by walking the module graph breadth-first and
 * disqualifying every module version that is, or requires, a version
 * above a mustSelect one; the dqTracker keeps the reasons for the pruned
 * and unpruned views of each module separately, since a conflict reached
 * through a module with unpruned requirements can be pruned away below a
 * root whose requirements are pruned.  Roots so disqualified step down
 * to earlier versions (or back to their original ones) until none is.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modload/requirements.h"

enum { PRUNED = 0, UNPRUNED = 1 };

/* A dqState: disqualified when err or dep.path is set. */
struct dq_state {
	const char *err;           /* the requirements could not be read (unwrapped text) */
	struct mod_version dep;    /* the module is, or requires, dep */
};

struct dq_reason {
	struct dq_state s[2];      /* by pruning */
};

struct mlist {
	struct mod_version *v;
	size_t n, cap;
};

/* The dqTracker; everything in the loader's arena. */
struct dqt {
	struct load_state *ld;
	struct arena *a;
	struct map ext_root;       /* "path@version" -> (void *)(1 + pruning) */
	struct map reason;         /* "path@version" -> struct dq_reason * */
	struct map requiring;      /* "path@version" -> struct mlist * (NULL: deleted) */
};

static const char *key(struct arena *a, struct mod_version m)
{
	return arena_printf(a, "%s@%s", m.path, m.version);
}

static bool is_dq(const struct dq_state *s)
{
	return s->err || s->dep.path[0];
}

static void mlist_push(struct arena *a, struct mlist *l, struct mod_version m)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 4;
		struct mod_version *v = arena_alloc(a, cap * sizeof *v);
		if (l->n)
			memcpy(v, l->v, l->n * sizeof *v);
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = m;
}

static bool ext_root(const struct dqt *t, struct mod_version m, int *pruning)
{
	void *v = map_get(&t->ext_root, key(t->a, m));

	if (!v)
		return false;
	*pruning = (int)(uintptr_t)v - 1;
	return true;
}

static struct dq_reason reason_of(const struct dqt *t, struct mod_version m)
{
	struct dq_reason *r = map_get(&t->reason, key(t->a, m));
	struct dq_reason zero = {{{NULL, {"", ""}}, {NULL, {"", ""}}}};

	return r ? *r : zero;
}

static struct dq_state dq_dep(struct mod_version dep)
{
	struct dq_state s = {NULL, dep};
	return s;
}

static void disqualify(struct dqt *t, struct mod_version m, int from, struct dq_state reason)
{
	const char *k = key(t->a, m);
	struct dq_reason *dq = map_get(&t->reason, k);
	struct mlist *req, copy;
	int root_pruning = PRUNED;
	bool is_root = ext_root(t, m, &root_pruning);

	if (!dq) {
		dq = arena_new(t->a, struct dq_reason);
		dq->s[0].dep.path = dq->s[0].dep.version = "";
		dq->s[1].dep.path = dq->s[1].dep.version = "";
		map_put(&t->reason, k, dq);
	}
	if (is_dq(&dq->s[from]))
		return; /* already disqualified for some other reason */
	if (from == PRUNED) {
		dq->s[PRUNED] = reason;
		if (!is_dq(&dq->s[UNPRUNED]))
			dq->s[UNPRUNED] = reason;
	} else {
		dq->s[UNPRUNED] = reason;
		if (is_root && root_pruning == UNPRUNED)
			dq->s[PRUNED] = reason;
	}
	req = map_get(&t->requiring, k);
	copy = req ? *req : (struct mlist){0};
	if (is_root && (from == PRUNED || root_pruning == UNPRUNED)) {
		map_put(&t->requiring, k, NULL);
		for (size_t i = 0; i < copy.n; i++)
			disqualify(t, copy.v[i], PRUNED, dq_dep(m));
		return;
	}
	if (!is_root)
		map_put(&t->requiring, k, NULL);
	for (size_t i = 0; i < copy.n; i++)
		disqualify(t, copy.v[i], UNPRUNED, dq_dep(m));
}

/* require records that m requires r, unless r's disqualification
 * already reaches m: false when m is disqualified and is no root. */
static bool require(struct dqt *t, struct mod_version m, struct mod_version r)
{
	struct dq_reason rdq = reason_of(t, r);
	int root_pruning = PRUNED, mp;
	const char *k;
	struct mlist *l;

	if (ext_root(t, r, &root_pruning) && is_dq(&rdq.s[root_pruning])) {
		disqualify(t, m, PRUNED, dq_dep(r));
		return false;
	}
	if (is_dq(&rdq.s[UNPRUNED])) {
		disqualify(t, m, UNPRUNED, dq_dep(r));
		if (!ext_root(t, m, &mp))
			return false;
	}
	k = key(t->a, r);
	l = map_get(&t->requiring, k);
	if (!l) {
		l = arena_new(t->a, struct mlist);
		map_put(&t->requiring, k, l);
	}
	mlist_push(t->a, l, m);
	return true;
}

static struct dq_state check(const struct dqt *t, struct mod_version m, int pruning)
{
	return reason_of(t, m).s[pruning];
}

/* dq_path is dqTracker.path: the requirements from m to its conflict. */
static void dq_path(const struct dqt *t, struct mod_version m, int pruning, struct mlist *out, const char **err)
{
	*err = NULL;
	out->n = 0;
	for (;;) {
		int rp;
		struct dq_state dq;
		if (ext_root(t, m, &rp) && rp == UNPRUNED)
			pruning = UNPRUNED;
		dq = check(t, m, pruning);
		if (!is_dq(&dq))
			return;
		mlist_push(t->a, out, m);
		if (dq.err || (strcmp(dq.dep.path, m.path) == 0 && strcmp(dq.dep.version, m.version) == 0)) {
			*err = dq.err;
			return;
		}
		m = dq.dep;
	}
}

/* ---- Conflict's texts ------------------------------------------------------ */

static const char *mv_string(struct arena *a, struct mod_version m)
{
	return *m.version ? arena_printf(a, "%s@%s", m.path, m.version) : m.path;
}

const char *mod_conflict_summary(struct load_state *ld, const struct mod_conflict *c)
{
	struct arena *a = &ld->arena;
	const char *first, *last, *adverb;

	if (c->npath == 0)
		return "(internal error: invalid Conflict struct)";
	first = mv_string(a, c->path[0]);
	last = mv_string(a, c->path[c->npath - 1]);
	if (c->npath == 1) {
		if (c->err)
			return arena_printf(a, "%s: %s", first, c->err);
		return arena_printf(a, "%s is above %s", first, c->constraint.version);
	}
	adverb = c->npath > 2 ? "indirectly " : "";
	if (c->err)
		return arena_printf(a, "%s %srequires %s: %s", first, adverb, last, c->err);
	return arena_printf(a, "%s %srequires %s, but %s is requested", first, adverb, last, c->constraint.version);
}

const char *mod_conflict_string(struct load_state *ld, const struct mod_conflict *c)
{
	struct arena *a = &ld->arena;
	const char *s;

	if (c->npath == 0)
		return "(internal error: invalid Conflict struct)";
	s = mv_string(a, c->path[0]);
	if (c->npath == 1)
		s = arena_printf(a, "%s found", s);
	for (size_t i = 1; i < c->npath; i++)
		s = arena_printf(a, "%s requires\n\t%s", s, mv_string(a, c->path[i]));
	if (c->constraint.path[0])
		s = arena_printf(a, "%s, but %s is requested", s, c->constraint.version);
	if (c->err)
		s = arena_printf(a, "%s: %s", s, c->err);
	return s;
}

/* ---- editRequirements ------------------------------------------------------ */

static bool pruning_for_go(const char *v)
{
	return v && *v && tc_version_compare(v, "1.17") >= 0;
}

/* unwrap_module_error is UnwrapModuleError on a summary error "P@V: ERR"
 * of module m. */
static const char *unwrap_module_error(struct arena *a, const char *msg, struct mod_version m)
{
	const char *p = arena_printf(a, "%s@%s: ", m.path, m.version);
	size_t n = strlen(p);

	return strncmp(msg, p, n) == 0 ? msg + n : msg;
}

/* previous_version is previousVersion: the allowed version of m's path
 * just below m.version, or "none". */
static int previous_version(struct load_state *ld, struct mod_allow *allow, struct mod_version m,
                            struct mod_version *prev, struct err *e)
{
	struct strvec list = {0};
	struct err ve = ERR_INIT;
	size_t i;

	prev->path = m.path;
	prev->version = "none";
	if (!*m.version && mod_reqs_is_main(ld, m))
		return 0;
	if (mod_query_versions(allow->src, m.path, mod_check_allowed, allow, &list, &ve) < 0) {
		/* os.ErrNotExist: no such module, so no earlier version */
		int rc = 0;
		if (!strstr(err_msg(&ve), "not found") && !strstr(err_msg(&ve), "404") &&
		    !strstr(err_msg(&ve), "410") && !strstr(err_msg(&ve), "no such")) {
			err_setf(e, "%s", err_msg(&ve));
			rc = -1;
		}
		err_clear(&ve);
		strvec_clear(&list);
		return rc;
	}
	/* the list is sorted; the first version not below m's */
	for (i = 0; i < list.n && mod_compare_version(m.path, list.v[i], m.version) < 0; i++)
		;
	if (i > 0)
		prev->version = arena_strdup(&ld->arena, list.v[i - 1]);
	strvec_clear(&list);
	return 0;
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* extend_graph is extendGraph: the graph of roots, with the selected
 * version of every selectedRoot path loaded as if it were a root. */
static int extend_graph(struct load_state *ld, bool pruned, const struct mod_version *roots, size_t nroots,
                        struct map *selected_root, struct mod_graph **mg, struct map *upgraded,
                        struct err *e)
{
	int rc;

	for (;;) {
		size_t before = 0, after = 0, i = 0;
		const char *p;
		void *v;

		err_clear(e);
		rc = load_module_graph_unprune(ld, roots, nroots, pruned, upgraded, mg, e);
		if (!pruned)
			break;
		while (map_next(upgraded, &i, &p, &v))
			before++;
		i = 0;
		while (map_next(selected_root, &i, &p, &v)) {
			struct mod_version m;
			const struct mod_version *reqs;
			size_t n;
			m.path = p;
			m.version = mod_graph_selected(*mg, p);
			if (strcmp(m.version, "none") == 0)
				continue;
			if (!mod_graph_required_by(*mg, m, &reqs, &n))
				map_put(upgraded, key(&ld->arena, m), (void *)1);
		}
		i = 0;
		while (map_next(upgraded, &i, &p, &v))
			after++;
		if (after == before)
			break;
	}
	return rc;
}

/* The walk's state (mg.g.WalkBreadthFirst's closure). */
struct walk {
	struct load_state *ld;
	struct dqt *t;
	struct mod_graph *mg;
	struct map *must;          /* path -> version */
};

static void walk_fn(void *ctx, struct mod_version m)
{
	struct walk *w = ctx;
	const char *max = map_get(w->must, m.path);
	const struct mod_version *reqs;
	size_t n;

	if (!*m.version)
		return; /* the main module: no summary */
	if (max && mod_compare_version(m.path, m.version, max) > 0) {
		disqualify(w->t, m, PRUNED, dq_dep(m));
		return;
	}
	if (!mod_graph_required_by(w->mg, m, &reqs, &n)) {
		/* not loaded in this graph, or loaded with an error */
		const char *err;
		if (load_module_summary_cached(w->ld, m, &err) && err) {
			struct dq_state s = {unwrap_module_error(&w->ld->arena, err, m), {"", ""}};
			disqualify(w->t, m, PRUNED, s);
		}
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *rmax = map_get(w->must, reqs[i].path);
		if (rmax && mod_compare_version(reqs[i].path, reqs[i].version, rmax) > 0) {
			disqualify(w->t, m, PRUNED, dq_dep(reqs[i]));
			return;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!require(w->t, m, reqs[i]))
			break;
}

/* find_pruning: a root's pruning in the extended graph. */
static int find_pruning(struct load_state *ld, bool root_pruned, struct mod_version m)
{
	const struct mod_version *reqs;
	size_t n;
	bool pruned = true;
	struct err e = ERR_INIT;

	if (!root_pruned)
		return UNPRUNED;
	if (strcmp(m.path, "go") == 0 || strcmp(m.path, "toolchain") == 0)
		return PRUNED;
	if (load_module_summary(ld, m, &reqs, &n, &pruned, NULL, &e) == 0 && !pruned) {
		return UNPRUNED;
	}
	err_clear(&e);
	return PRUNED;
}

int mod_reqs_edit(struct load_state *ld, struct mod_reqs *rs, const struct mod_version *try_upgrade, size_t ntry,
                  const struct mod_version *must_select, size_t nmust, struct mod_allow *allow, bool verbose,
                  struct mod_reqs **edited, bool *changed, struct mod_conflict **conflicts, size_t *nconflicts,
                  struct err *e)
{
	struct arena *a = &ld->arena;
	struct mod_reqs *orig = rs;
	bool root_pruned = rs->pruned;
	struct map selected_root, must, rejected;
	VEC(struct mod_conflict) confl = {0};
	struct mlist roots = {0};
	bool roots_dirty = true;
	int rc = -1;

	*edited = orig;
	*changed = false;
	*conflicts = NULL;
	*nconflicts = 0;
	map_init(&selected_root);
	map_init(&must);
	map_init(&rejected);
	for (size_t i = 0; i < nmust; i++) {
		if (strcmp(must_select[i].path, "go") == 0) {
			root_pruned = pruning_for_go(must_select[i].version);
			break;
		}
		if (strcmp(must_select[i].path, "toolchain") == 0) {
			const char *v = must_select[i].version;
			if (!pruning_for_go(has_prefix(v, "go") ? v + 2 : v)) {
				root_pruned = false;
				break;
			}
		}
	}
	if (root_pruned != rs->pruned && mod_reqs_convert(ld, rs, root_pruned, &rs, e) < 0)
		goto out;

	if (root_pruned) {
		/* maxRootVersion */
		for (size_t i = 0; i < rs->nroots; i++) {
			const char *cur = map_get(&selected_root, rs->roots[i].path);
			if (!cur || mod_compare_version(rs->roots[i].path, cur, rs->roots[i].version) < 0)
				map_put(&selected_root, rs->roots[i].path, (void *)rs->roots[i].version);
		}
	} else {
		struct mod_graph *mg;
		struct mod_version *bl;
		size_t n;
		if (mod_reqs_graph(ld, rs, &mg, e) < 0)
			goto out;
		n = mod_graph_build_list(mg, &bl);
		for (size_t i = 1; i < n; i++)
			map_put(&selected_root, bl[i].path, (void *)bl[i].version);
	}
	for (size_t i = 0; i < ntry; i++) {
		const char *v = map_get(&selected_root, try_upgrade[i].path);
		if (v && mod_compare_version(try_upgrade[i].path, v, try_upgrade[i].version) >= 0)
			continue;
		if (verbose) {
			fflush(stdout);
			fprintf(stderr, "%s: trying upgrade to %s\n", prog_name, mv_string(a, try_upgrade[i]));
		}
		map_put(&selected_root, try_upgrade[i].path, (void *)try_upgrade[i].version);
	}
	for (size_t i = 0; i < nmust; i++) {
		struct mod_version r = must_select[i];
		const char *v = map_get(&must, r.path);
		if (v && strcmp(v, r.version) != 0) {
			struct mod_conflict c = {0};
			struct mod_version *p = arena_new(a, struct mod_version);
			struct mod_version prev = {r.path, v};
			if (mod_compare_version(r.path, v, r.version) > 0) {
				*p = prev;
				c.constraint = r;
			} else {
				*p = r;
				c.constraint = prev;
			}
			c.path = p;
			c.npath = 1;
			VEC_PUSH(&confl, c);
			continue;
		}
		map_put(&must, r.path, (void *)r.version);
		map_put(&selected_root, r.path, (void *)r.version);
	}

	while (roots_dirty && confl.n == 0) {
		struct mod_graph *mg = NULL;
		struct map upgraded;
		struct dqt t;
		struct walk w;
		struct err ge = ERR_INIT;
		size_t i = 0;
		const char *p;
		void *v;

		roots.n = 0;
		{
			VEC(const char *) paths = {0};
			while (map_next(&selected_root, &i, &p, &v))
				if (strcmp((const char *)v, "none") != 0)
					VEC_PUSH(&paths, p);
			VEC_SORT(&paths, cmp_strp);
			for (size_t j = 0; j < paths.n; j++)
				mlist_push(a, &roots, (struct mod_version){paths.v[j], map_get(&selected_root, paths.v[j])});
			VEC_FREE(&paths);
			mod_sort_versions(roots.v, roots.n);
		}
		map_init(&upgraded);
		if (extend_graph(ld, root_pruned, roots.v, roots.n, &selected_root, &mg, &upgraded, &ge) < 0 && !mg) {
			err_setf(e, "%s", err_msg(&ge));
			err_clear(&ge);
			map_release(&upgraded);
			goto out;
		}
		err_clear(&ge);

		memset(&t, 0, sizeof t);
		t.ld = ld;
		t.a = a;
		map_init(&t.ext_root);
		map_init(&t.reason);
		map_init(&t.requiring);
		for (size_t j = 0; j < roots.n; j++)
			map_put(&t.ext_root, key(a, roots.v[j]),
			        (void *)(uintptr_t)(1 + find_pruning(ld, root_pruned, roots.v[j])));
		i = 0;
		while (map_next(&upgraded, &i, &p, &v)) {
			const char *at = strrchr(p, '@');
			struct mod_version m = {arena_strndup(a, p, (size_t)(at - p)), at + 1};
			map_put(&t.ext_root, p, (void *)(uintptr_t)(1 + find_pruning(ld, root_pruned, m)));
		}
		map_release(&upgraded);

		w.ld = ld;
		w.t = &t;
		w.mg = mg;
		w.must = &must;
		mod_graph_walk(mg, walk_fn, &w);

		roots_dirty = false;
		for (size_t j = 0; j < roots.n; j++) {
			struct mod_version m = roots.v[j];
			struct mlist path = {0};
			const char *perr, *mv, *orig_v;
			struct mod_conflict c = {0};
			int mpruning = PRUNED;
			struct mod_graph *omg = NULL;
			struct mod_version prev;

			ext_root(&t, m, &mpruning);
			dq_path(&t, m, mpruning, &path, &perr);
			if (path.n == 0 && !perr)
				continue; /* nothing wrong with m */
			c.path = path.v;
			c.npath = path.n;
			c.err = perr;
			c.constraint.path = c.constraint.version = "";
			if (!perr) {
				struct mod_version last = path.v[path.n - 1];
				const char *mv2 = map_get(&must, last.path);
				if (!mv2) {
					err_setf(e, "internal error: found a version conflict, but no constraint it violates");
					goto walk_fail;
				}
				c.constraint.path = last.path;
				c.constraint.version = mv2;
			}
			mv = map_get(&must, m.path);
			if (mv && strcmp(mv, m.version) == 0) {
				VEC_PUSH(&confl, c);
				continue;
			}
			{
				const char *sel = mod_graph_selected(mg, m.path);
				if (strcmp(sel, m.version) != 0) {
					struct mod_version u = {m.path, sel};
					int up;
					if (!ext_root(&t, u, &up)) {
						err_setf(e, "internal error: selected version of root %s is %s, but it was not expanded as a new root",
						         mv_string(a, m), sel);
						goto walk_fail;
					}
					{
						struct dq_state us = check(&t, u, up);
						if (!is_dq(&us) && !map_has(&rejected, key(a, u)))
							continue;
					}
				}
			}
			mod_reqs_graph(ld, orig, &omg, &ge);
			err_clear(&ge);
			orig_v = omg ? mod_graph_selected(omg, m.path) : "none";
			if (c.err && strcmp(orig_v, m.version) == 0) {
				VEC_PUSH(&confl, c);
				continue;
			}
			map_put(&rejected, key(a, m), (void *)1);
			prev = m;
			for (;;) {
				struct err pe = ERR_INIT;
				int perr2 = previous_version(ld, allow, prev, &prev, &pe);
				int pp;
				if (mod_compare_version(m.path, m.version, orig_v) > 0 &&
				    (mod_compare_version(m.path, prev.version, orig_v) < 0 || perr2 < 0)) {
					prev.version = orig_v;
					err_clear(&pe);
				} else if (perr2 < 0) {
					err_setf(e, "%s", err_msg(&pe));
					err_clear(&pe);
					goto walk_fail;
				}
				if (map_has(&rejected, key(a, prev)))
					continue;
				pp = find_pruning(ld, root_pruned, m);
				{
					struct dq_state ps = check(&t, prev, pp);
					if (is_dq(&ps)) {
						map_put(&rejected, key(a, prev), (void *)1);
						continue;
					}
				}
				break;
			}
			map_put(&selected_root, m.path, (void *)prev.version);
			roots_dirty = true;
			if (c.err || verbose) {
				const char *action;
				if (strcmp(prev.version, "none") == 0)
					action = arena_printf(a, "removing %s", mv_string(a, m));
				else if (strcmp(prev.version, orig_v) == 0)
					action = arena_printf(a, "restoring %s", mv_string(a, prev));
				else
					action = arena_printf(a, "trying %s", mv_string(a, prev));
				fflush(stdout);
				fprintf(stderr, "%s: %s\n\t%s\n", prog_name, mod_conflict_summary(ld, &c), action);
			}
		}
		if (!roots_dirty) {
			/* accept indirect upgrades */
			VEC(struct mod_version) from = {0};
			i = 0;
			while (map_next(&selected_root, &i, &p, &v)) {
				const char *actual;
				if (map_has(&must, p))
					continue;
				actual = mod_graph_selected(mg, p);
				if (strcmp(actual, (const char *)v) != 0) {
					struct mod_version f = {p, v};
					VEC_PUSH(&from, f);
				}
			}
			for (size_t j = 0; j < from.n; j++) {
				map_put(&selected_root, from.v[j].path, (void *)mod_graph_selected(mg, from.v[j].path));
				roots_dirty = true;
			}
			if (verbose && from.n) {
				mod_sort_versions(from.v, from.n);
				for (size_t j = 0; j < from.n; j++) {
					fflush(stdout);
					fprintf(stderr, "%s: accepting indirect upgrade from %s to %s\n", prog_name,
					        mv_string(a, from.v[j]), (const char *)map_get(&selected_root, from.v[j].path));
				}
			}
			VEC_FREE(&from);
		}
		map_release(&t.ext_root);
		map_release(&t.reason);
		map_release(&t.requiring);
		continue;
	walk_fail:
		map_release(&t.ext_root);
		map_release(&t.reason);
		map_release(&t.requiring);
		goto out;
	}
	if (confl.n > 0) {
		*conflicts = arena_alloc(a, confl.n * sizeof **conflicts);
		memcpy(*conflicts, confl.v, confl.n * sizeof **conflicts);
		*nconflicts = confl.n;
		err_setf(e, "version constraints conflict");
		goto out;
	}

	if (!root_pruned) {
		struct load_strs paths = {0};
		struct mod_version *min;
		size_t nmin;
		for (size_t i = 0; i < nmust; i++)
			if (strcmp(must_select[i].version, "none") != 0 && !mod_reqs_is_main(ld, must_select[i]))
				load_strs_push(a, &paths, must_select[i].path);
		for (size_t i = 0; i < roots.n; i++) {
			const char *v;
			if (mod_reqs_root_selected(ld, rs, roots.v[i].path, &v) &&
			    (strcmp(v, roots.v[i].version) == 0 || mod_reqs_is_direct(rs, roots.v[i].path)))
				load_strs_push(a, &paths, roots.v[i].path);
		}
		if (mod_reqs_mvs_req(ld, roots.v, roots.n, &paths, &min, &nmin, e) < 0)
			goto out;
		roots.n = 0;
		for (size_t i = 0; i < nmin; i++)
			mlist_push(a, &roots, min[i]);
		free(min);
	}

	*changed = root_pruned != orig->pruned || roots.n != orig->nroots;
	for (size_t i = 0; !*changed && i < roots.n; i++)
		*changed = strcmp(roots.v[i].path, orig->roots[i].path) != 0 ||
		           strcmp(roots.v[i].version, orig->roots[i].version) != 0;
	if (!*changed) {
		rc = 0;
		goto out;
	}
	{
		struct load_strs direct = {0};
		struct mod_reqs *ed;
		for (size_t i = 0; i < roots.n; i++)
			if (mod_reqs_is_direct(rs, roots.v[i].path) && !load_strs_contains(&direct, roots.v[i].path))
				load_strs_push(a, &direct, roots.v[i].path);
		load_strs_sort(&direct);
		ed = mod_reqs_new(ld, root_pruned, roots.v, roots.n, &direct);
		if (!root_pruned) {
			const char *v;
			if (mod_reqs_root_selected(ld, ed, "go", &v) && pruning_for_go(v) &&
			    mod_reqs_convert(ld, ed, true, &ed, e) < 0)
				goto out;
		}
		*edited = ed;
	}
	rc = 0;
out:
	VEC_FREE(&confl);
	map_release(&selected_root);
	map_release(&must);
	map_release(&rejected);
	if (rc < 0 && *nconflicts == 0 && !err_msg(e)[0])
		err_setf(e, "internal error: editRequirements failed");
	return rc;
}
