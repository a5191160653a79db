/*
 * lookupRepo's replacementRepo (modload/query.go, go1.26): a module path
 * that the main modules (or go.work) replace is queried through a repo
 * that also knows the replaced versions.  Versions adds the replace
 * lines' versions to the proxy's list (a missing module is an empty
 * list); Stat of a replaced version that no proxy has is synthesized;
 * Latest is the highest replaced version when that is higher than the
 * proxy's (for a version-less replacement, v0.0.0-00010101000000-000000000000
 * or its major's).  A replaced path module.CheckPath refuses is an
 * emptyRepo inside the replacementRepo.
 *
 * Used by every query the loader's commands make: go get, mod download
 * and list -m.
 */
#include <stdlib.h>
#include <string.h>

#include "modload/load_internal.h"

/* The source that load_query_source hands out (in ld's arena). */
struct rsource {
	struct load_state *ld;
	struct mod_query_source inner; /* the fetcher's proxies */
};

/* replace_file is the i-th file whose replace lines HighestReplaced reads: go.work's,
 * then each main module's (in a workspace), else the main module's. */
static const struct mod_file *replace_file(struct load_state *ld, size_t i)
{
	if (ld->workspace)
		return i == 0 ? ld->work : (i - 1 < ld->mains.n ? ld->mains.v[i - 1]->file : NULL);
	return i == 0 && ld->mains.n == 1 ? ld->mains.v[0]->file : NULL;
}

static size_t replace_files(struct load_state *ld)
{
	return ld->workspace ? ld->mains.n + 1 : 1;
}

bool load_highest_replaced(struct load_state *ld, const char *path, const char **v)
{
	bool found = false;

	*v = NULL;
	for (size_t k = 0; k < replace_files(ld); k++) {
		const struct mod_file *f = replace_file(ld, k);
		for (size_t i = 0; f && i < f->replaces.n; i++) {
			const char *ov = f->replaces.v[i].old.version ? f->replaces.v[i].old.version : "";
			if (strcmp(f->replaces.v[i].old.path, path) != 0)
				continue;
			/* gover.ModCompare: "" sorts below every version */
			if (!found || mod_compare_version(path, ov, *v) > 0)
				*v = ov;
			found = true;
		}
	}
	return found;
}

struct rrepo {
	struct rsource *s;
	const char *path;
	struct mod_repo *inner;
};

/* Versions: the repo's, plus the main modules' replaced versions (not
 * go.work's: MainModules.Index(m).replace), sorted and unique. */
static int rr_versions(void *ctx, const char *prefix, struct strvec *out, bool *notexist, struct err *e)
{
	struct rrepo *rr = ctx;
	struct load_state *ld = rr->s->ld;
	size_t n0 = out->n, nrepo;

	if (rr->inner->ops->versions(rr->inner->ctx, prefix, out, notexist, e) < 0) {
		if (!*notexist)
			return -1;
		err_clear(e);
		*notexist = false;
		while (out->n > n0)
			free(out->v[--out->n]);
	}
	nrepo = out->n;
	for (size_t m = 0; m < ld->mains.n; m++) {
		const struct mod_file *f = ld->mains.v[m]->file;
		for (size_t i = 0; f && i < f->replaces.n; i++) {
			const char *ov = f->replaces.v[i].old.version;
			if (strcmp(f->replaces.v[i].old.path, rr->path) == 0 && ov && *ov && has_prefix(ov, prefix) &&
			    !mod_is_pseudo_version(ov))
				strvec_push(out, ov);
		}
	}
	if (out->n == nrepo)
		return 0;
	for (size_t i = n0 + 1; i < out->n; i++)
		for (size_t j = i; j > n0 && mod_compare_version(rr->path, out->v[j - 1], out->v[j]) > 0; j--) {
			char *x = out->v[j];
			out->v[j] = out->v[j - 1];
			out->v[j - 1] = x;
		}
	{
		size_t w = n0;
		for (size_t i = n0; i < out->n; i++) {
			if (w > n0 && strcmp(out->v[w - 1], out->v[i]) == 0) {
				free(out->v[i]);
				continue;
			}
			out->v[w++] = out->v[i];
		}
		out->n = w;
	}
	return 0;
}

/* replacement_stat is replacementStat: the version, and for a
 * pseudo-version the time it carries, else the zero time.Time. */
static void replacement_stat(const char *v, struct mod_rev_info *info)
{
	mod_rev_info_release(info);
	info->version = xstrdup(v);
	info->time = xstrdup("0001-01-01T00:00:00Z");
	if (mod_is_pseudo_version(v)) {
		/* PseudoVersionTime: yyyymmddhhmmss before the last "-" */
		const char *dash = strrchr(v, '-');
		if (dash && dash - v >= 14) {
			const char *t = dash - 14;
			memcpy(info->time, t, 4);
			memcpy(info->time + 5, t + 4, 2);
			memcpy(info->time + 8, t + 6, 2);
			memcpy(info->time + 11, t + 8, 2);
			memcpy(info->time + 14, t + 10, 2);
			memcpy(info->time + 17, t + 12, 2);
		}
	}
}

static bool any_replaces(struct load_state *ld)
{
	for (size_t m = 0; m < ld->mains.n; m++)
		if (ld->mains.v[m]->file && ld->mains.v[m]->file->replaces.n > 0)
			return true;
	return false;
}

static int rr_stat(void *ctx, const char *rev, struct mod_rev_info *info, bool *notexist, struct err *e)
{
	struct rrepo *rr = ctx;
	struct load_state *ld = rr->s->ld;
	char *v, *prefix = NULL, *major = NULL;
	const char *vv;
	int rc = -1;

	if (rr->inner->ops->stat(rr->inner->ctx, rev, info, notexist, e) == 0)
		return 0;
	if (!any_replaces(ld))
		return -1;
	v = mod_canonical_version(rev);
	if (strcmp(v, rev) != 0)
		goto out;
	vv = v;
	if (mod_split_path_version(rr->path, &prefix, &major) && (!major || !*major)) {
		struct err pe = ERR_INIT;
		char *b = mod_semver_build(v);
		if (mod_check_path_major(v, "", &pe) < 0 && !*b)
			vv = arena_printf(&ld->arena, "%s+incompatible", v);
		err_clear(&pe);
		free(b);
	}
	if (!load_module_replacement(ld, (struct mod_version){rr->path, vv}))
		goto out;
	err_clear(e);
	*notexist = false;
	replacement_stat(vv, info);
	rc = 0;
out:
	free(prefix);
	free(major);
	free(v);
	return rc;
}

static int rr_latest(void *ctx, struct mod_rev_info *info, bool *notexist, struct err *e)
{
	struct rrepo *rr = ctx;
	int rc = rr->inner->ops->latest(rr->inner->ctx, info, notexist, e);
	const char *v;

	if (load_highest_replaced(rr->s->ld, rr->path, &v)) {
		if (!*v) {
			char *prefix = NULL, *major = NULL;
			if (mod_split_path_version(rr->path, &prefix, &major) && major && *major)
				v = arena_printf(&rr->s->ld->arena, "%s.0.0-00010101000000-000000000000", major + 1);
			else
				v = "v0.0.0-00010101000000-000000000000";
			free(prefix);
			free(major);
		}
		if (rc < 0 || mod_compare_version(rr->path, v, info->version) > 0) {
			err_clear(e);
			*notexist = false;
			replacement_stat(v, info);
			return 0;
		}
	}
	return rc;
}

static int rr_check_reuse(void *ctx, const char *origin, struct err *e)
{
	(void)ctx;
	(void)origin;
	return err_setf(e, "replacement repo");
}

static const struct mod_repo_ops rr_ops = {rr_versions, rr_stat, rr_latest, rr_check_reuse};

/* emptyRepo: no versions; Stat and Latest fail with the path's error. */
static int er_versions(void *ctx, const char *prefix, struct strvec *out, bool *notexist, struct err *e)
{
	(void)ctx;
	(void)prefix;
	(void)out;
	(void)notexist;
	(void)e;
	return 0;
}

static int er_stat(void *ctx, const char *rev, struct mod_rev_info *info, bool *notexist, struct err *e)
{
	(void)rev;
	(void)info;
	*notexist = false;
	return err_setf(e, "%s", (const char *)ctx);
}

static int er_latest(void *ctx, struct mod_rev_info *info, bool *notexist, struct err *e)
{
	return er_stat(ctx, "", info, notexist, e);
}

static int er_check_reuse(void *ctx, const char *origin, struct err *e)
{
	(void)ctx;
	(void)origin;
	return err_setf(e, "empty repo");
}

static const struct mod_repo_ops er_ops = {er_versions, er_stat, er_latest, er_check_reuse};

static bool rr_replaced(void *ctx, const char *path)
{
	struct rsource *s = ctx;
	const char *v;

	return load_highest_replaced(s->ld, path, &v);
}

struct rr_call {
	struct rsource *s;
	const char *path;
	mod_repo_fn fn;
	void *fctx;
};

static int rr_one(void *ctx, struct mod_repo *repo, bool *notexist, struct err *e)
{
	struct rr_call *c = ctx;
	struct rrepo rr = {c->s, c->path, repo};
	struct mod_repo w = {&rr_ops, &rr};

	return c->fn(c->fctx, &w, notexist, e);
}

/* rr_try_repos is TryProxies(lookupRepo). */
static int rr_try_repos(void *ctx, const char *path, mod_repo_fn fn, void *fctx, bool *notexist, struct err *e)
{
	struct rsource *s = ctx;
	struct rr_call c = {s, path, fn, fctx};
	struct err ce = ERR_INIT;
	const char *v;

	if (!load_highest_replaced(s->ld, path, &v))
		return s->inner.try_repos(s->inner.ctx, path, fn, fctx, notexist, e);
	if (mod_check_path(path, &ce) < 0) {
		struct mod_repo empty = {&er_ops, (void *)arena_strdup(&s->ld->arena, err_msg(&ce))};
		err_clear(&ce);
		*notexist = false;
		return rr_one(&c, &empty, notexist, e);
	}
	return s->inner.try_repos(s->inner.ctx, path, rr_one, &c, notexist, e);
}

static int rr_gomod(void *ctx, const char *path, const char *version, struct buf *data, bool *notexist,
                    struct err *e)
{
	struct rsource *s = ctx;

	return s->inner.gomod(s->inner.ctx, path, version, data, notexist, e);
}

void load_query_source(struct load_state *ld, struct mod_fetch *f, struct mod_query_source *out)
{
	struct rsource *s = arena_new(&ld->arena, struct rsource);

	s->ld = ld;
	mod_fetch_query_source(f, &s->inner);
	memset(out, 0, sizeof *out);
	out->try_repos = rr_try_repos;
	out->gomod = rr_gomod;
	out->ctx = s;
	out->replaced = rr_replaced;
	out->main_path = ld->mains.n > 0 ? ld->mains.v[0]->path : NULL;
	out->local_go = ld->cfg->tc.gover;
}
