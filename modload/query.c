/*
 * Module queries: "latest", "upgrade", "patch", versions and version
 * prefixes, comparisons, revisions; CheckAllowed (excludes and
 * retractions); the version list as list -m -versions shows it.
 *
 * mirrors cmd/go/internal/modload/query.go (Query, queryProxy,
 * newQueryMatcher, filterVersions, IsRevisionQuery, the error types),
 * modfile.go (CheckAllowed, CheckExclusions, CheckRetractions,
 * ShortMessage, queryLatestVersionIgnoringRetractions) and mvs.go's
 * versions (go1.26).
 *
 * The logic talks to repositories only through struct mod_query_source
 * (TryProxies over per-proxy repos: versions, stat, latest; and go.mod
 * data), so the proxy client (proxy.c) and a direct VCS repo, or a fake in
 * a unit test, can serve it alike.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "modload/header_internal.h"
#include "modload/modfile_internal.h"
#include "modload/modload.h"

/* ---- gover's module-version helpers (non-toolchain paths) --------------- */

static bool is_toolchain(const char *path)
{
	return strcmp(path, "go") == 0 || strcmp(path, "toolchain") == 0;
}

/* mod_query_is_prefix is gover.ModIsPrefix for a module path: v names a
 * major or major.minor prefix ("v1", "v1.2"), not a full version. */
static bool is_prefix(const char *v)
{
	int dots = 0;
	for (const char *p = v; *p; p++) {
		if (*p == '-' || *p == '+')
			return false;
		if (*p == '.' && ++dots >= 2)
			return false;
	}
	return true;
}

static bool is_prerelease(const char *v)
{
	char *pre = mod_semver_prerelease(v);
	bool yes = pre[0] != 0;
	free(pre);
	return yes;
}

/* from_toolchain is gover.FromToolchain: "go1.21.3-foo" -> "1.21.3", or
 * NULL when name is no Go toolchain name (heap). */
static char *from_toolchain(const char *name)
{
	const char *v;
	char *r;

	if (strpbrk(name, "\\/"))
		return NULL;
	if (has_prefix(name, "go"))
		v = name + 2;
	else if ((v = strstr(name, "-go")))
		v += 3;
	else
		return NULL;
	r = xstrndup(v, strcspn(v, " \t-"));
	if (has_prefix(r, "go") || !tc_version_valid(r)) {
		free(r);
		return NULL;
	}
	return r;
}

/* gover_valid is gover.IsValid, which (unlike tc_version_valid) takes no
 * "go" prefix. */
static bool gover_valid(const char *v)
{
	return !has_prefix(v, "go") && tc_version_valid(v);
}

/* tc_form is the Go version a "go" or "toolchain" module version names
 * (gover.FromToolchain for toolchain), or NULL (heap). */
static char *tc_form(const char *path, const char *v)
{
	if (strcmp(path, "toolchain") == 0)
		return from_toolchain(v);
	return gover_valid(v) ? xstrdup(v) : NULL;
}

/* mv_valid is gover.ModIsValid. */
static bool mv_valid(const char *path, const char *v)
{
	char *g;
	bool ok;

	if (!is_toolchain(path))
		return mod_semver_is_valid(v);
	g = tc_form(path, v);
	ok = g != NULL;
	free(g);
	return ok;
}

/* mv_is_prefix is gover.ModIsPrefix. */
static bool mv_is_prefix(const char *path, const char *v)
{
	char *g;
	bool ok;

	if (!is_toolchain(path))
		return is_prefix(v);
	g = tc_form(path, v);
	ok = g && tc_version_is_lang(g);
	free(g);
	return ok;
}

/* mv_is_prerelease is gover.ModIsPrerelease. */
static bool mv_is_prerelease(const char *path, const char *v)
{
	char *g;
	bool ok;

	if (!is_toolchain(path))
		return is_prerelease(v);
	g = tc_form(path, v);
	ok = g && tc_version_is_prerelease(g);
	free(g);
	return ok;
}

/* mv_major_minor is gover.ModMajorMinor (heap). */
static char *mv_major_minor(const char *path, const char *v)
{
	char *g, *lang, *r;

	if (!is_toolchain(path))
		return mod_semver_major_minor(v);
	g = tc_form(path, v);
	lang = tc_version_lang(g ? g : "");
	r = strcmp(path, "toolchain") == 0 ? xasprintf("go%s", lang) : xstrdup(lang);
	free(lang);
	free(g);
	return r;
}

bool mod_is_revision_query(const char *path, const char *vers)
{
	if (strcmp(vers, "latest") == 0 || strcmp(vers, "upgrade") == 0 || strcmp(vers, "patch") == 0 ||
	    vers[0] == '<' || vers[0] == '>' || (mv_valid(path, vers) && mv_is_prefix(path, vers)))
		return false;
	return true;
}

/* ---- errors -------------------------------------------------------------- */

/* A query's error with what go's errors.Is/As would see on it. */
static int qfail(struct err *e, unsigned *kind, unsigned k, const char *fmt, ...) PRINTF_LIKE(4, 5);
static int qfail(struct err *e, unsigned *kind, unsigned k, const char *fmt, ...)
{
	va_list ap;
	struct buf b = BUF_INIT;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	err_clear(e);
	e->msg = buf_detach(&b);
	*kind = k;
	return -1;
}

/* no_match is NoMatchingVersionError's text. */
static int no_match(struct err *e, unsigned *kind, const char *query, const char *current)
{
	if ((strcmp(query, "upgrade") == 0 || strcmp(query, "patch") == 0) && current && current[0] &&
	    strcmp(current, "none") != 0)
		return qfail(e, kind, MOD_QERR_NOMATCH, "no matching versions for query \"%s\" (current version is %s)",
		             query, current);
	return qfail(e, kind, MOD_QERR_NOMATCH, "no matching versions for query \"%s\"", query);
}

void mod_query_error_text(const char *path, const char *vers, unsigned kind, struct err *e)
{
	char *inner;

	if (kind & MOD_QERR_NOMATCH) {
		inner = err_take(e);
		err_setf(e, "module %s: %s", path, inner);
		free(inner);
	} else if (!(kind & MOD_QERR_MODULE)) {
		inner = err_take(e);
		if (vers && vers[0])
			err_setf(e, "%s@%s: %s", path, vers, inner);
		else
			err_setf(e, "module %s: %s", path, inner);
		free(inner);
	}
}

/* module_error_kind tells whether a repo's error text is a module.ModuleError
 * for path (proxy.c's versionError forms: "path@v: ..." or "module path: ..."). */
#define TOOLCHAIN_MODULE "golang.org/toolchain"

static unsigned module_error_kind(const char *msg, const char *path)
{
	size_t n;

	/* the "go" and "toolchain" modules' errors are golang.org/toolchain's */
	if (strcmp(path, "go") == 0 || strcmp(path, "toolchain") == 0)
		path = TOOLCHAIN_MODULE;
	n = strlen(path);
	if (strncmp(msg, path, n) == 0 && msg[n] == '@')
		return MOD_QERR_MODULE;
	if (has_prefix(msg, "module ") && strncmp(msg + 7, path, n) == 0 && msg[7 + n] == ':')
		return MOD_QERR_MODULE;
	return 0;
}

/* ---- ShortMessage -------------------------------------------------------- */

void mod_short_message(const char *msg, const char *empty_default, struct buf *out)
{
	struct str s = {msg, strcspn(msg, "\n")};

	s = load_trim_space(s);
	if (s.n == 0) {
		buf_adds(out, empty_default);
		return;
	}
	if (s.n > 500) {
		buf_adds(out, "(message omitted: too long)");
		return;
	}
	for (size_t i = 0; i < s.n;) {
		size_t sz = 1;
		uint32_t r = mod_utf8_decode(s.p + i, s.n - i, &sz);
		if (!load_is_graphic(r) && !load_is_space(r)) {
			buf_adds(out, "(message omitted: contains non-printable characters)");
			return;
		}
		i += sz ? sz : 1;
	}
	buf_add(out, s.p, s.n);
}

/* ---- the query matcher (newQueryMatcher) --------------------------------- */

enum qm_op { QM_NONE, QM_GE, QM_LE, QM_LT, QM_GT, QM_EQ };

struct qm {
	const char *path;
	char *prefix;            /* heap; "" when none */
	enum qm_op op;
	const char *ref;         /* the filter's version */
	mod_query_allowed_fn allowed;
	void *actx;
	bool can_stat, prefer_lower, may_use_latest, prefer_incompatible;
};

static void qm_release(struct qm *q)
{
	free(q->prefix);
}

/* matches_major is newQueryMatcher's matchesMajor. */
static bool matches_major(const char *path, const char *v)
{
	char *prefix = NULL, *pathmajor = NULL;
	struct err e = ERR_INIT;
	bool ok = false;

	if (!mod_split_path_version(path, &prefix, &pathmajor))
		goto out;
	ok = mod_check_path_major(v, pathmajor, &e) == 0;
out:
	err_clear(&e);
	free(prefix);
	free(pathmajor);
	return ok;
}

#define QM_REV 1 /* errRevQuery */

/* qm_init is newQueryMatcher: 0, QM_REV for a revision, or -1 with e set. */
static int qm_init(struct qm *q, const char *path, const char *query, const char *current,
                   mod_query_allowed_fn allowed, void *actx, unsigned *kind, struct err *e)
{
	static const struct {
		const char *op;
		enum qm_op k;
		bool ambiguous_check, lower;
	} ranges[] = {
		{"<=", QM_LE, true, false},
		{"<", QM_LT, false, false},
		{">=", QM_GE, false, true},
		{">", QM_GT, true, true},
	};
	bool cur_set = current && current[0] && strcmp(current, "none") != 0;

	memset(q, 0, sizeof *q);
	q->path = path;
	q->allowed = allowed;
	q->actx = actx;
	q->prefix = xstrdup("");
	q->prefer_incompatible = current && has_suffix(current, "+incompatible");
	if (strcmp(query, "latest") == 0) {
		q->may_use_latest = true;
		return 0;
	}
	if (strcmp(query, "upgrade") == 0) {
		if (!cur_set) {
			q->may_use_latest = true;
		} else {
			q->may_use_latest = mod_is_pseudo_version(current);
			q->op = QM_GE;
			q->ref = current;
		}
		return 0;
	}
	if (strcmp(query, "patch") == 0) {
		char *mm;
		if (!cur_set)
			return qfail(e, kind, 0,
			             "can't query version \"patch\" of module %s: no existing version is required", path);
		q->may_use_latest = mod_is_pseudo_version(current);
		mm = mv_major_minor(path, current);
		free(q->prefix);
		q->prefix = xasprintf("%s.", mm);
		free(mm);
		q->op = QM_GE;
		q->ref = current;
		return 0;
	}
	for (size_t i = 0; i < countof(ranges); i++) {
		const char *v;
		if (!has_prefix(query, ranges[i].op))
			continue;
		v = query + strlen(ranges[i].op);
		if (!mv_valid(path, v))
			return qfail(e, kind, 0, "invalid semantic version \"%s\" in range \"%s\"", v, query);
		if (ranges[i].ambiguous_check && mv_is_prefix(path, v))
			return qfail(e, kind, 0, "ambiguous semantic version \"%s\" in range \"%s\"", v, query);
		q->op = ranges[i].k;
		q->ref = v;
		q->prefer_lower = ranges[i].lower;
		if (!matches_major(path, v))
			q->prefer_incompatible = true;
		return 0;
	}
	if (mv_valid(path, query)) {
		if (mv_is_prefix(path, query)) {
			free(q->prefix);
			q->prefix = xasprintf("%s.", query);
			q->op = QM_GE;
		} else {
			q->can_stat = true;
			q->op = QM_EQ;
			free(q->prefix);
			q->prefix = mod_semver_canonical(query);
		}
		q->ref = query;
		if (!matches_major(path, query))
			q->prefer_incompatible = true;
		return 0;
	}
	return QM_REV;
}

/* call_allowed runs the allowed predicate: true unless it says disallowed
 * (other errors are ignored, as allowsVersion ignores them). */
static bool call_allowed(mod_query_allowed_fn allowed, void *actx, const char *path, const char *v)
{
	struct err e = ERR_INIT;
	unsigned k = 0;
	int rc;

	if (!allowed)
		return true;
	rc = allowed(actx, path, v, &k, &e);
	err_clear(&e);
	return !(rc < 0 && (k & MOD_QERR_DISALLOWED));
}

/* qm_allows is queryMatcher.allowsVersion. */
static bool qm_allows(const struct qm *q, const char *v)
{
	int c;

	if (q->prefix[0] && !has_prefix(v, q->prefix)) {
		/* a toolchain's "1.21" matches the "1.21." prefix */
		if (!is_toolchain(q->path) || strlen(v) + 1 != strlen(q->prefix) || strncmp(v, q->prefix, strlen(v)) != 0)
			return false;
	}
	if (q->op != QM_NONE) {
		c = mod_compare_version(q->path, v, q->ref);
		switch (q->op) {
		case QM_GE: if (c < 0) return false; break;
		case QM_LE: if (c > 0) return false; break;
		case QM_LT: if (c >= 0) return false; break;
		case QM_GT: if (c <= 0) return false; break;
		case QM_EQ: if (c != 0) return false; break;
		case QM_NONE: break;
		}
	}
	return call_allowed(q->allowed, q->actx, q->path, v);
}

/* version_has_gomod is versionHasGoMod: the go.mod is not the synthesized
 * "module path\n" of a module without one. */
static int version_has_gomod(const struct mod_query_source *src, const char *path, const char *v, bool *has,
                             bool *notexist, struct err *e)
{
	struct buf data = BUF_INIT;
	char *legacy = NULL;
	int rc = -1;

	if (src->gomod(src->ctx, path, v, &data, notexist, e) < 0)
		goto out;
	legacy = xasprintf("module %s\n", path);
	*has = strcmp(buf_cstr(&data), legacy) != 0 || data.len != strlen(legacy);
	rc = 0;
out:
	free(legacy);
	buf_release(&data);
	return rc;
}

/* qm_filter is queryMatcher.filterVersions: rel and pre get borrowed
 * pointers into list. */
struct cstrs {
	const char **v;
	size_t n, cap;
};
static int qm_filter(const struct qm *q, const struct mod_query_source *src, const struct strvec *list,
                     struct cstrs *rel, struct cstrs *pre, bool *notexist, struct err *e)
{
	bool need_incompatible = q->prefer_incompatible;
	const char *last_compatible = NULL;

	for (size_t i = 0; i < list->n; i++) {
		const char *v = list->v[i];
		if (!qm_allows(q, v))
			continue;
		if (!need_incompatible) {
			if (!has_suffix(v, "+incompatible")) {
				last_compatible = v;
			} else if (last_compatible) {
				bool has = false;
				if (version_has_gomod(src, q->path, last_compatible, &has, notexist, e) < 0)
					return -1;
				if (has)
					break;
				need_incompatible = true;
			}
		}
		if (mv_is_prerelease(q->path, v))
			VEC_PUSH(pre, v);
		else
			VEC_PUSH(rel, v);
	}
	return 0;
}

/* ---- queryProxy ---------------------------------------------------------- */

struct qp_ctx {
	const struct mod_query_source *src;
	const char *path, *query, *current;
	mod_query_allowed_fn allowed;
	void *actx;
	struct mod_rev_info *info;
	/* the kind of each attempt's error, to give back the one TryProxies keeps */
	VEC(char *) msgs;
	VEC(unsigned) kinds;
};

/* repo_fail keeps a repo's error as is: its notexist decides TryProxies. */
static int repo_fail(struct qp_ctx *c, bool notexist, unsigned *kind, struct err *e)
{
	*kind = (notexist ? MOD_QERR_NOTEXIST : 0) | module_error_kind(err_msg(e), c->path);
	return -1;
}

/* qp_lookup is queryProxy's lookup closure: Stat(v), and for upgrade and
 * patch from a newer pseudo-version the current version instead. */
static int qp_lookup(struct qp_ctx *c, struct mod_repo *r, const char *v, bool *notexist, unsigned *kind,
                     struct err *e)
{
	if (r->ops->stat(r->ctx, v, c->info, notexist, e) < 0)
		return repo_fail(c, *notexist, kind, e);
	if ((strcmp(c->query, "upgrade") == 0 || strcmp(c->query, "patch") == 0) &&
	    mod_is_pseudo_version(c->current) && c->info->time && c->info->time[0]) {
		/* PseudoVersionTime vs rev.Time: both as yyyymmddhhmmss (UTC) */
		char cur[15], rev[15];
		const char *ts = NULL, *t = c->info->time;
		size_t n = 0;
		{
			/* the timestamp is the 14 digits before the last "-" group's hash */
			const char *dash = strrchr(c->current, '-');
			if (dash && dash - c->current >= 14) {
				ts = dash - 14;
				memcpy(cur, ts, 14);
				cur[14] = 0;
			}
		}
		for (const char *p = t; *p && n < 14 && *p != 'Z' && *p != '+' && *p != '.'; p++)
			if (*p >= '0' && *p <= '9')
				rev[n++] = *p;
		rev[n] = 0;
		if (ts && n == 14 && has_suffix(t, "Z") && strcmp(rev, cur) < 0) {
			unsigned k = 0;
			struct err ae = ERR_INIT;
			if (c->allowed && c->allowed(c->actx, c->path, c->current, &k, &ae) < 0 &&
			    (k & MOD_QERR_DISALLOWED)) {
				err_clear(e);
				e->msg = err_take(&ae);
				*kind = k;
				*notexist = false;
				return -1;
			}
			err_clear(&ae);
			mod_rev_info_release(c->info);
			if (r->ops->stat(r->ctx, c->current, c->info, notexist, e) < 0)
				return repo_fail(c, *notexist, kind, e);
		}
	}
	return 0;
}

/* origin_has is whether the Origin object has a non-empty string key. */
static bool origin_has(const cJSON *o, const char *key)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(f) && f->valuestring && f->valuestring[0];
}

/* check_reuse_repo is checkReuseRepo. */
static int check_reuse_repo(struct mod_repo *r, const char *path, const char *query, const char *origin,
                            struct err *e)
{
	cJSON *o = origin ? cJSON_Parse(origin) : NULL;
	char *canon = mod_canonical_version(query);
	int rc = -1;

	if (!o || !cJSON_IsObject(o)) {
		err_setf(e, "nil Origin");
		goto out;
	}
	if (origin_has(o, "RepoSum")) {
		/* a RepoSum pins everything */
	} else if (strcmp(canon, query) == 0) {
		if (!origin_has(o, "Hash") && !origin_has(o, "Ref") && !origin_has(o, "TagSum")) {
			err_setf(e, "no Origin information to check");
			goto out;
		}
	} else if (mod_is_revision_query(path, query)) {
		if (!origin_has(o, "Hash") && !origin_has(o, "Ref")) {
			err_setf(e, "query \"%s\" requires a Hash or Ref", query);
			goto out;
		}
		if (!origin_has(o, "TagSum")) {
			err_setf(e, "query \"%s\" requires a TagSum", query);
			goto out;
		}
	} else if (!origin_has(o, "TagSum")) {
		err_setf(e, "query \"%s\" requires a TagSum", query);
		goto out;
	}
	rc = r->ops->check_reuse(r->ctx, origin, e);
out:
	cJSON_Delete(o);
	free(canon);
	return rc;
}

static int tc_try_repos(const struct mod_query_source *src, const char *path, mod_repo_fn fn, void *fctx,
                        bool *notexist, struct err *e);

struct reuse_call {
	const char *path, *query, *origin;
};

static int reuse_one(void *ctx, struct mod_repo *r, bool *notexist, struct err *e)
{
	struct reuse_call *c = ctx;

	*notexist = false;
	return check_reuse_repo(r, c->path, c->query, c->origin, e);
}

int mod_check_reuse(const struct mod_query_source *src, const char *path, const char *query, const char *origin,
                    struct err *e)
{
	struct reuse_call c = {path, query, origin};
	bool notexist = false;

	if (is_toolchain(path))
		return tc_try_repos(src, path, reuse_one, &c, &notexist, e);
	return src->try_repos(src->ctx, path, reuse_one, &c, &notexist, e);
}

/* query_repo is queryProxy once the repo is looked up. */
static int query_repo(struct qp_ctx *c, struct mod_repo *r, bool *notexist, unsigned *kind, struct err *e)
{
	struct qm q;
	struct strvec list = {0};
	struct cstrs rel = {0}, pre = {0};
	struct mod_rev_info lat = {0};
	const char *old_version, *old_time, *old_origin;
	int rc = -1, m;

	*notexist = false;
	*kind = 0;
	/* -reuse: the old answer, when its Origin is still current */
	if (c->src->reuse &&
	    c->src->reuse(c->src->reuse_ctx, c->path, c->query, &old_version, &old_time, &old_origin)) {
		struct err re = ERR_INIT;
		if (check_reuse_repo(r, c->path, c->query, old_origin, &re) == 0) {
			mod_rev_info_release(c->info);
			c->info->version = xstrdup(old_version);
			c->info->time = old_time ? xstrdup(old_time) : NULL;
			c->info->origin = xstrdup(old_origin);
			return 0;
		}
		err_clear(&re);
	}
	m = qm_init(&q, c->path, c->query, c->current, c->allowed, c->actx, kind, e);
	if (m < 0)
		goto out;
	if (m == QM_REV || q.can_stat) {
		if (r->ops->stat(r->ctx, c->query, c->info, notexist, e) < 0) {
			char *canon = mod_canonical_version(c->query);
			if (canon[0] && strcmp(canon, c->query) != 0) {
				struct err ce = ERR_INIT;
				bool cne = false;
				if (r->ops->stat(r->ctx, canon, c->info, &cne, &ce) == 0) {
					free(canon);
					err_clear(e);
					*notexist = false;
					goto allowed;
				}
				if (!cne) {
					err_clear(e);
					e->msg = err_take(&ce);
					*notexist = false;
				}
				err_clear(&ce);
			}
			free(canon);
			repo_fail(c, *notexist, kind, e);
			goto out;
		}
	allowed:
		if (c->allowed) {
			unsigned k = 0;
			if (c->allowed(c->actx, c->path, c->info->version, &k, e) < 0) {
				if (k & MOD_QERR_DISALLOWED) {
					*kind = k;
					mod_rev_info_release(c->info);
					goto out;
				}
				err_clear(e);
			}
		}
		rc = 0;
		goto out;
	}
	if (r->ops->versions(r->ctx, q.prefix, &list, notexist, e) < 0) {
		repo_fail(c, *notexist, kind, e);
		goto out;
	}
	if (qm_filter(&q, c->src, &list, &rel, &pre, notexist, e) < 0) {
		*kind = module_error_kind(err_msg(e), c->path);
		goto out;
	}
	if (rel.n || pre.n) {
		const char *v;
		if (q.prefer_lower)
			v = rel.n ? rel.v[0] : pre.v[0];
		else
			v = rel.n ? rel.v[rel.n - 1] : pre.v[pre.n - 1];
		rc = qp_lookup(c, r, v, notexist, kind, e);
		goto out;
	}
	if (q.may_use_latest) {
		bool lne = false;
		struct err le = ERR_INIT;
		if (r->ops->latest(r->ctx, &lat, &lne, &le) == 0) {
			if (qm_allows(&q, lat.version)) {
				rc = qp_lookup(c, r, lat.version, notexist, kind, e);
				goto out;
			}
		} else if (!lne) {
			err_clear(e);
			e->msg = err_take(&le);
			repo_fail(c, false, kind, e);
			goto out;
		}
		err_clear(&le);
	}
	if ((strcmp(c->query, "upgrade") == 0 || strcmp(c->query, "patch") == 0) && c->current &&
	    c->current[0] && strcmp(c->current, "none") != 0) {
		if (c->allowed) {
			unsigned k = 0;
			if (c->allowed(c->actx, c->path, c->current, &k, e) < 0) {
				if (k & MOD_QERR_DISALLOWED) {
					*kind = k;
					goto out;
				}
				err_clear(e);
			}
		}
		rc = qp_lookup(c, r, c->current, notexist, kind, e);
		goto out;
	}
	no_match(e, kind, c->query, c->current);
out:
	mod_rev_info_release(&lat);
	VEC_FREE(&rel);
	VEC_FREE(&pre);
	strvec_clear(&list);
	if (m >= 0)
		qm_release(&q);
	else
		free(q.prefix);
	return rc;
}

static int qp_one(void *ctx, struct mod_repo *r, bool *notexist, struct err *e)
{
	struct qp_ctx *c = ctx;
	unsigned kind = 0;
	int rc;

	mod_rev_info_release(c->info);
	rc = query_repo(c, r, notexist, &kind, e);
	if (rc < 0) {
		VEC_PUSH(&c->msgs, xstrdup(err_msg(e)));
		VEC_PUSH(&c->kinds, kind | (*notexist ? MOD_QERR_NOTEXIST : 0));
	}
	return rc;
}

/* ---- the toolchain repo (modfetch/toolchain.go) ---------------------------- */


/* A toolchainRepo: the "go" or "toolchain" module's versions read off the
 * golang.org/toolchain ("DL") repo of one proxy. */
struct tc_repo {
	const char *path;     /* "go" or "toolchain" */
	const char *local;    /* gover.Local() */
	struct mod_repo *dl;
};

/* sort_tc_versions sorts v by gover order (an insertion sort: qsort has
 * no context for the path, and the lists are a few hundred long). */
static void sort_tc_versions(const char *path, char **v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		char *x = v[i];
		size_t j = i;
		for (; j > 0 && mod_compare_version(path, v[j - 1], x) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* dl_to_go is dlToGo: "v0.0.1-go1.19.7.windows-amd64" -> "1.19.7" (heap), or NULL. */
static char *dl_to_go(const char *v)
{
	const char *dash = strchr(v, '-'), *dot;

	if (!dash)
		return NULL;
	v = dash + 1;
	dot = strrchr(v, '.');
	if (!dot || !strchr(dot + 1, '-'))
		return NULL;
	if (has_prefix(v, "go"))
		v += 2;
	return xstrndup(v, (size_t)(dot - v));
}

static int tcr_versions(void *ctx, const char *prefix, struct strvec *out, bool *notexist, struct err *e)
{
	struct tc_repo *r = ctx;
	struct strvec dl = {0}, list = {0};
	const char *gp = strcmp(r->path, "toolchain") == 0 ? "go" : "";
	char *local;

	(void)prefix;
	if (r->dl->ops->versions(r->dl->ctx, "", &dl, notexist, e) < 0) {
		strvec_clear(&dl);
		return -1;
	}
	for (size_t i = 0; i < dl.n; i++) {
		char *g = dl_to_go(dl.v[i]), *v;
		if (!g)
			continue;
		v = xasprintf("%s%s", gp, g);
		free(g);
		if (strvec_contains(&list, v))
			free(v);
		else
			strvec_push_take(&list, v);
	}
	/* always our own version: a development 1.N before its release */
	local = xasprintf("%s%s", gp, r->local);
	if (strvec_contains(&list, local))
		free(local);
	else
		strvec_push_take(&list, local);
	sort_tc_versions(r->path, list.v, list.n);
	for (size_t i = 0; i < list.n; i++)
		strvec_push_take(out, list.v[i]);
	free(list.v);
	strvec_clear(&dl);
	return 0;
}

static int tcr_stat(void *ctx, const char *rev, struct mod_rev_info *info, bool *notexist, struct err *e)
{
	struct tc_repo *r = ctx;
	const char *v = has_prefix(rev, "go") ? rev + 2 : rev;
	const char *gp = strcmp(r->path, "toolchain") == 0 ? "go" : "";
	struct mod_rev_info dl = {0};
	char *dlv;

	*notexist = false;
	memset(info, 0, sizeof *info);
	if (!gover_valid(v))
		return err_setf(e, "invalid %s version %s", r->path, rev);
	/* every go up to our own is provided locally (GOTOOLCHAIN=auto), and
	 * our own toolchain exists without asking */
	if ((strcmp(r->path, "go") == 0 && tc_version_compare(v, r->local) <= 0) ||
	    (strcmp(r->path, "toolchain") == 0 && strcmp(v, r->local) == 0)) {
		info->version = xasprintf("%s%s", gp, v);
		return 0;
	}
	if (tc_version_is_lang(v))
		return err_setf(e, "go language version %s is not a toolchain version", rev);
	/* linux-amd64 has always existed: the same answer on every host */
	dlv = xasprintf("v0.0.1-go%s.linux-amd64", v);
	if (r->dl->ops->stat(r->dl->ctx, dlv, &dl, notexist, e) < 0) {
		free(dlv);
		mod_rev_info_release(&dl);
		return -1;
	}
	free(dlv);
	info->version = xasprintf("%s%s", gp, v);
	info->time = dl.time;
	dl.time = NULL;
	mod_rev_info_release(&dl);
	return 0;
}

static int tcr_latest(void *ctx, struct mod_rev_info *info, bool *notexist, struct err *e)
{
	struct tc_repo *r = ctx;
	struct strvec list = {0};
	const char *max = NULL;
	int rc;

	memset(info, 0, sizeof *info);
	if (tcr_versions(ctx, "", &list, notexist, e) < 0) {
		strvec_clear(&list);
		return -1;
	}
	for (size_t i = 0; i < list.n; i++)
		if (!max || mod_compare_version(r->path, list.v[i], max) > 0)
			max = list.v[i];
	rc = tcr_stat(ctx, max ? max : "", info, notexist, e);
	strvec_clear(&list);
	return rc;
}

static int tcr_check_reuse(void *ctx, const char *origin, struct err *e)
{
	(void)ctx;
	(void)origin;
	return err_setf(e, "invalid use of toolchainRepo: CheckReuse");
}

static const struct mod_repo_ops tcr_ops = {tcr_versions, tcr_stat, tcr_latest, tcr_check_reuse};

/* A call through the DL repo of each proxy, as the toolchain repo. */
struct tc_call {
	const char *path, *local;
	mod_repo_fn fn;
	void *fctx;
};

static int tc_one(void *ctx, struct mod_repo *dl, bool *notexist, struct err *e)
{
	struct tc_call *c = ctx;
	struct tc_repo tr = {c->path, c->local, dl};
	struct mod_repo r = {&tcr_ops, &tr};

	return c->fn(c->fctx, &r, notexist, e);
}

/* tc_try_repos is TryProxies(Lookup(proxy, "go" or "toolchain")). */
static int tc_try_repos(const struct mod_query_source *src, const char *path, mod_repo_fn fn, void *fctx,
                        bool *notexist, struct err *e)
{
	struct tc_call c = {path, src->local_go, fn, fctx};

	return src->try_repos(src->ctx, TOOLCHAIN_MODULE, tc_one, &c, notexist, e);
}

int mod_query(const struct mod_query_source *src, const char *path, const char *query, const char *current,
              mod_query_allowed_fn allowed, void *actx, struct mod_rev_info *info, unsigned *kind, struct err *e)
{
	struct qp_ctx c = {src, path, query, current ? current : "", allowed, actx, info, {0}, {0}};
	bool notexist = false;
	int rc;

	*kind = 0;
	memset(info, 0, sizeof *info);
	if (c.current[0] && strcmp(c.current, "none") != 0 && !mv_valid(path, c.current))
		return qfail(e, kind, 0, "invalid previous version %s@%s", path, c.current);
	if (strcmp(path, "std") == 0 || strcmp(path, "cmd") == 0)
		return qfail(e, kind, 0, "can't query specific version (\"%s\") of standard-library module \"%s\"",
		             query, path);
	if (is_toolchain(path) && !src->local_go)
		return qfail(e, kind, 0, "toolchain module %s: not supported yet by gotool", path);
	if (src->main_path && strcmp(path, src->main_path) == 0 &&
	    (strcmp(query, "upgrade") == 0 || strcmp(query, "patch") == 0)) {
		info->version = xstrdup("");
		return 0;
	}
	if (is_toolchain(path))
		rc = tc_try_repos(src, path, qp_one, &c, &notexist, e);
	else if (!(src->replaced && src->replaced(src->ctx, path)) && mod_check_path(path, e) < 0)
		return -1;
	else
		rc = src->try_repos(src->ctx, path, qp_one, &c, &notexist, e);
	if (rc < 0) {
		*kind = module_error_kind(err_msg(e), path) | (notexist ? MOD_QERR_NOTEXIST : 0);
		for (size_t i = c.msgs.n; i-- > 0;)
			if (strcmp(c.msgs.v[i], err_msg(e)) == 0) {
				*kind = c.kinds.v[i];
				break;
			}
	}
	for (size_t i = 0; i < c.msgs.n; i++)
		free(c.msgs.v[i]);
	VEC_FREE(&c.msgs);
	VEC_FREE(&c.kinds);
	return rc;
}

/* ---- CheckAllowed -------------------------------------------------------- */

/* One module's retractions, loaded once (latestVersionIgnoringRetractionsCache). */
struct retract_entry {
	char *err;                /* heap: the loading error, or NULL */
	unsigned err_kind;
	struct mod_file *mf;      /* in the checker's arena; NULL on error */
};

void mod_allow_init(struct mod_allow *a, const struct mod_query_source *src, const struct mod_file *main)
{
	memset(a, 0, sizeof *a);
	a->src = src;
	a->main = main;
	arena_init(&a->arena);
	map_init(&a->retracts);
}

void mod_allow_release(struct mod_allow *a)
{
	size_t i = 0;
	const char *key;
	void *val;

	while (map_next(&a->retracts, &i, &key, &val)) {
		struct retract_entry *r = val;
		free(r->err);
		free(r);
	}
	map_release(&a->retracts);
	arena_release(&a->arena);
}

/* whole_replacement is Replacement(path) for a version-less replace line. */
static const struct mod_replace *find_replace(const struct mod_file *mf, const char *path, const char *version)
{
	const struct mod_replace *any = NULL;
	for (size_t i = 0; mf && i < mf->replaces.n; i++) {
		const struct mod_replace *r = &mf->replaces.v[i];
		if (strcmp(r->old.path, path) != 0)
			continue;
		if (version && r->old.version[0] && strcmp(r->old.version, version) == 0)
			return r;
		if (!r->old.version[0])
			any = r;
	}
	return any;
}

int mod_check_exclusions(void *ctx, const char *path, const char *version, unsigned *kind, struct err *e)
{
	struct mod_allow *a = ctx;
	/* every main module's excludes (a workspace's modules too) */
	for (size_t k = 0; k <= a->nexcl; k++) {
		const struct mod_file *f = k == 0 ? a->main : a->excl[k - 1];
		for (size_t i = 0; f && i < f->excludes.n; i++)
			if (strcmp(f->excludes.v[i].path, path) == 0 && strcmp(f->excludes.v[i].version, version) == 0)
				return qfail(e, kind, MOD_QERR_DISALLOWED | MOD_QERR_MODULE, "%s@%s: excluded by go.mod",
				             path, version);
	}
	return 0;
}

/* load_retractions is queryLatestVersionIgnoringRetractions + rawGoModSummary. */
static struct retract_entry *load_retractions(struct mod_allow *a, const char *path)
{
	struct retract_entry *r = map_get(&a->retracts, path);
	struct mod_rev_info info = {0};
	struct buf data = BUF_INIT;
	struct err e = ERR_INIT;
	const struct mod_replace *rep;
	const char *lpath = path, *lver;
	unsigned kind = 0;
	bool ne = false;

	if (r)
		return r;
	r = xcalloc(1, sizeof *r);
	map_put(&a->retracts, arena_strdup(&a->arena, path), r);
	if (mod_query(a->src, path, "latest", "", NULL, NULL, &info, &kind, &e) < 0) {
		r->err_kind = kind;
		r->err = err_take(&e);
		goto out;
	}
	lver = info.version;
	rep = find_replace(a->main, path, lver);
	if (rep) {
		lpath = rep->new.path;
		lver = rep->new.version;
	}
	if (!lver[0]) {
		/* a directory replacement: its go.mod */
		char *file = path_join(a->main_dir ? a->main_dir : ".", lpath);
		char *gm = path_join(file, "go.mod");
		if (os_read_file(gm, &data, MOD_MAX_GOMOD, &e) < 0) {
			r->err = xasprintf("%s@%s: reading %s: %s", path, info.version, gm, err_msg(&e));
			free(file);
			free(gm);
			goto out;
		}
		free(file);
		free(gm);
	} else if (is_toolchain(lpath)) {
		buf_printf(&data, "module %s\n", lpath); /* toolchainRepo.GoMod */
	} else if (a->src->gomod(a->src->ctx, lpath, lver, &data, &ne, &e) < 0) {
		r->err = err_take(&e);
		r->err_kind = module_error_kind(r->err, lpath) | (ne ? MOD_QERR_NOTEXIST : 0);
		goto out;
	}
	if (mod_file_parse(&a->arena, "go.mod", buf_cstr(&data), data.len, false, &r->mf, &e) < 0) {
		r->err = xasprintf("%s@%s: parsing go.mod: %s", lpath, lver, err_msg(&e));
		r->mf = NULL;
	}
out:
	err_clear(&e);
	buf_release(&data);
	mod_rev_info_release(&info);
	return r;
}

int mod_check_retractions(struct mod_allow *a, const char *path, const char *version, struct strvec *rationale,
                          unsigned *kind, struct err *e)
{
	struct retract_entry *r;
	bool retracted = false;

	*kind = 0;
	if (!version[0])
		return 0;
	if (find_replace(a->main, path, NULL) && !find_replace(a->main, path, NULL)->old.version[0])
		return 0;
	r = load_retractions(a, path);
	if (r->err) {
		/* retractionLoadingError: a ModuleError's inner text */
		const char *msg = r->err;
		size_t n = strlen(path);
		if (r->err_kind & MOD_QERR_MODULE) {
			const char *colon = strstr(msg, ": ");
			if (has_prefix(msg, "module ") && strncmp(msg + 7, path, n) == 0)
				msg = msg + 7 + n + 2;
			else if (colon)
				msg = colon + 2;
		}
		return qfail(e, kind, r->err_kind & (MOD_QERR_NOTEXIST | MOD_QERR_NOMATCH),
		             "loading module retractions for %s@%s: %s", path, version, msg);
	}
	for (size_t i = 0; i < r->mf->retracts.n; i++) {
		const struct mod_retract *x = &r->mf->retracts.v[i];
		if (mod_semver_compare(x->low, version) <= 0 && mod_semver_compare(version, x->high) <= 0) {
			retracted = true;
			if (x->rationale && x->rationale[0] && rationale)
				strvec_push(rationale, x->rationale);
		}
	}
	if (retracted) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s@%s: retracted by module author", path, version);
		for (size_t i = 0; i < r->mf->retracts.n; i++) {
			const struct mod_retract *x = &r->mf->retracts.v[i];
			if (mod_semver_compare(x->low, version) <= 0 && mod_semver_compare(version, x->high) <= 0 &&
			    x->rationale && x->rationale[0]) {
				buf_adds(&b, ": ");
				mod_short_message(x->rationale, "retracted by module author", &b);
				break;
			}
		}
		err_clear(e);
		e->msg = buf_detach(&b);
		*kind = MOD_QERR_DISALLOWED | MOD_QERR_MODULE | MOD_QERR_RETRACTED;
		return -1;
	}
	return 0;
}

int mod_check_deprecation(struct mod_allow *a, const char *path, const char *version, const char **msg,
                          unsigned *kind, struct err *e)
{
	struct retract_entry *r;

	*msg = NULL;
	*kind = 0;
	if (!version[0])
		return 0;
	if (find_replace(a->main, path, NULL) && !find_replace(a->main, path, NULL)->old.version[0])
		return 0;
	r = load_retractions(a, path);
	if (r->err)
		return qfail(e, kind, r->err_kind & (MOD_QERR_NOTEXIST | MOD_QERR_NOMATCH), "%s", r->err);
	if (r->mf->deprecated && r->mf->deprecated[0])
		*msg = r->mf->deprecated;
	return 0;
}

int mod_check_allowed(void *ctx, const char *path, const char *version, unsigned *kind, struct err *e)
{
	*kind = 0;
	if (mod_check_exclusions(ctx, path, version, kind, e) < 0)
		return -1;
	return mod_check_retractions(ctx, path, version, NULL, kind, e);
}

/* ---- versions (mvs.go) ---------------------------------------------------- */

struct vs_ctx {
	mod_query_allowed_fn allowed;
	void *actx;
	const char *path;
	struct strvec *out;
};

static int vs_one(void *ctx, struct mod_repo *r, bool *notexist, struct err *e)
{
	struct vs_ctx *c = ctx;
	struct strvec all = {0};
	int rc = -1;

	strvec_clear(c->out);
	if (r->ops->versions(r->ctx, "", &all, notexist, e) < 0)
		goto out;
	for (size_t i = 0; i < all.n; i++) {
		unsigned k = 0;
		struct err ae = ERR_INIT;
		if (!c->allowed || c->allowed(c->actx, c->path, all.v[i], &k, &ae) == 0) {
			strvec_push(c->out, all.v[i]);
		} else if (!(k & MOD_QERR_DISALLOWED)) {
			err_clear(e);
			e->msg = err_take(&ae);
			*notexist = (k & MOD_QERR_NOTEXIST) != 0;
			goto out;
		}
		err_clear(&ae);
	}
	rc = 0;
out:
	strvec_clear(&all);
	return rc;
}

int mod_query_versions(const struct mod_query_source *src, const char *path, mod_query_allowed_fn allowed, void *actx,
                       struct strvec *out, struct err *e)
{
	struct vs_ctx c = {allowed, actx, path, out};
	bool notexist = false;

	if (is_toolchain(path) && !src->local_go)
		return err_setf(e, "toolchain module %s: not supported yet by gotool", path);
	if (is_toolchain(path))
		return tc_try_repos(src, path, vs_one, &c, &notexist, e);
	if (mod_check_path(path, e) < 0)
		return -1;
	return src->try_repos(src->ctx, path, vs_one, &c, &notexist, e);
}
