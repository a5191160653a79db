/*
 * Direct module fetching from git repositories through libgit2 (GOPROXY=direct,
 * the "direct" element of a GOPROXY list, GONOPROXY/GOPRIVATE paths).
 *
 * mirrors cmd/go/internal (go1.26): vcs/vcs.go (RepoRootForImportPath over
 * the known hosts of vcsPaths), modfetch/repo.go (lookupDirect),
 * modfetch/codehost/codehost.go (WorkDir: the bare repository in
 * $GOMODCACHE/cache/vcs/<sha256("git3:"+URL)>, its .info and .lock files),
 * modfetch/codehost/git.go (ls-remote, fetch, stat, ReadFile, RecentTag,
 * DescendsFrom, the zip of a tree as `git archive` lists it) and
 * modfetch/coderepo.go (versions from tags, +incompatible, pseudo-versions,
 * findDir, GoMod, Zip) with golang.org/x/mod/zip's checkFiles and Create.
 *
 * Differences from go, refused or documented rather than guessed:
 *  - go fetches a single ref shallowly (--depth=1) first; libgit2 1.5 has
 *    no shallow fetch, so the first fetch takes all branches and tags (what
 *    go's fetchRefsLocked does); a shallow cache repository written by go
 *    is read as is, and refetching into it is refused.
 *  - the zip's entries are deflated by zlib, not by Go's compress/flate: the
 *    .zip bytes differ from go's, its content, the .ziphash and go.sum do not.
 *  - paths outside the known hosts are looked up through their go-import
 *    meta tags (goimport.c); a tag naming a module proxy ("mod"), VCSs other
 *    than git, and repository paths ending in .git and the like that only
 *    vcsPathsAfterDynamic would map are refused with "not supported yet".
 *    GOVCS is checked as checkGOVCS does (git is the only VCS asked about).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include <cjson/cJSON.h>

#include "modload/gitapi.h"
#include "modload/http.h"
#include "modload/modfile_internal.h"
#include "modload/modload.h"

#define GIT_WORKDIR_TYPE "git3"

/* A ref of the remote (ls-remote), annotated tags unwrapped to their commit. */
struct gref {
	char *name;
	char hash[GIT_OID_HEXSZ + 1];
};

/* A revision as codehost.RevInfo describes it. */
struct crev {
	char name[GIT_OID_HEXSZ + 1];
	char short_[13];
	int64_t time;
	char *version;      /* heap */
	struct strvec tags; /* sorted, unique */
	char *ref;          /* Origin.Ref (heap) or NULL */
};

/* One remote repository (codehost.gitRepo). */
struct ghost {
	char *url;  /* remoteURL */
	char *dir;  /* the bare repository */
	git_repository *repo;
	char *open_err;
	bool refs_done;
	char *refs_err;
	bool refs_notexist;
	VEC(struct gref) refs; /* sorted by name */
	bool fetched_all;
};

/* A module inside a repository (modfetch.codeRepo). */
struct crepo {
	char *mod_path, *code_root, *code_dir, *path_prefix, *path_major, *pseudo_major;
	struct ghost *g;
	char *err;     /* the lookup error, or NULL */
	bool notexist;
	bool retr_done;
	struct arena a;
	struct mod_file *retr; /* go.mod of the highest version, or NULL */
};

struct mod_direct {
	struct mod_direct_config c;
	VEC(struct ghost *) hosts;
	VEC(struct crepo *) repos;
	struct mod_http http; /* go-get=1 pages (set up on first use) */
	bool http_init;
};

static void crev_release(struct crev *r)
{
	free(r->version);
	free(r->ref);
	strvec_clear(&r->tags);
	memset(r, 0, sizeof *r);
}

struct mod_direct *mod_direct_new(const struct mod_direct_config *c)
{
	struct mod_direct *d = xcalloc(1, sizeof *d);
	d->c = *c;
	return d;
}

void mod_direct_free(struct mod_direct *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->hosts.n; i++) {
		struct ghost *g = d->hosts.v[i];
		for (size_t k = 0; k < g->refs.n; k++)
			free(g->refs.v[k].name);
		VEC_FREE(&g->refs);
		if (g->repo)
			git_repository_free(g->repo);
		free(g->url);
		free(g->dir);
		free(g->open_err);
		free(g->refs_err);
		free(g);
	}
	VEC_FREE(&d->hosts);
	for (size_t i = 0; i < d->repos.n; i++) {
		struct crepo *r = d->repos.v[i];
		free(r->mod_path);
		free(r->code_root);
		free(r->code_dir);
		free(r->path_prefix);
		free(r->path_major);
		free(r->pseudo_major);
		free(r->err);
		arena_release(&r->a);
		free(r);
	}
	VEC_FREE(&d->repos);
	if (d->http_init)
		mod_http_release(&d->http);
	free(d);
}

/* git_fail converts the last libgit2 error. */
static int git_fail(struct err *e, const char *what)
{
	const git_error *ge = git_error_last();
	return err_setf(e, "%s: %s", what, ge && ge->message ? ge->message : "libgit2 error");
}

/* ---- module path -> repository (vcs.RepoRootForImportPath) -------------- */

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
	       c == '-';
}

/* elems_ok: s is one or more "/"-separated non-empty [\w.\-]+ elements. */
static bool elems_ok(const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '/') {
			if (run == 0)
				return false;
			run = 0;
		} else if (is_word(s[i])) {
			run++;
		} else {
			return false;
		}
	}
	return run > 0;
}

/* str_trim is strings.TrimSpace over [p, p+n) (ASCII spaces). */
static struct str str_trim(const char *p, size_t n)
{
	return str_trim_space((struct str){p, n});
}

static char *qstr(struct str s)
{
	struct buf b = BUF_INIT;
	quoted_go_string(&b, s.p, s.n);
	return buf_detach(&b);
}

/*
 * govcs_check mirrors checkGOVCS for vcs at the repository root root:
 * parseGOVCS's rules (with its errors), then the default
 * "private:all,public:git|hg"; the first rule whose pattern matches decides.
 */
static int govcs_check(struct mod_direct *d, const char *vcs, const char *root, struct err *e)
{
	const char *gv = d->c.govcs ? d->c.govcs : "";
	bool private = mod_match_prefix_patterns(d->c.goprivate ? d->c.goprivate : "", root);
	struct str all = str_trim(gv, strlen(gv));
	struct strvec pats = {0}, items = {0};
	int decided = -1, rc = 0;
	char *q = NULL, *q2 = NULL;

	for (size_t i = 0; all.n > 0 && i <= all.n && rc == 0;) {
		const char *comma = memchr(all.p + i, ',', all.n - i);
		size_t end = comma ? (size_t)(comma - all.p) : all.n;
		struct str item = str_trim(all.p + i, end - i), pat, list;
		const char *colon;
		i = end + 1;
		if (item.n == 0) {
			rc = err_setf(e, "empty entry in GOVCS");
			break;
		}
		q = qstr(item);
		colon = memchr(item.p, ':', item.n);
		if (!colon) {
			rc = err_setf(e, "malformed entry in GOVCS (missing colon): %s", q);
			break;
		}
		pat = str_trim(item.p, (size_t)(colon - item.p));
		list = str_trim(colon + 1, item.n - (size_t)(colon + 1 - item.p));
		if (pat.n == 0) {
			rc = err_setf(e, "empty pattern in GOVCS: %s", q);
			break;
		}
		if (list.n == 0) {
			rc = err_setf(e, "empty VCS list in GOVCS: %s", q);
			break;
		}
		char *ps = xstrndup(pat.p, pat.n);
		if (strcmp(ps, ".") == 0 || strcmp(ps, "..") == 0 || has_prefix(ps, "./") || has_prefix(ps, "../")) {
			q2 = qstr(pat);
			rc = err_setf(e, "relative pattern not allowed in GOVCS: %s", q2);
			free(ps);
			break;
		}
		for (size_t k = 0; k < pats.n; k++)
			if (strcmp(pats.v[k], ps) == 0) {
				q2 = qstr((struct str){items.v[k], strlen(items.v[k])});
				rc = err_setf(e, "unreachable pattern in GOVCS: %s after %s", q, q2);
			}
		if (rc < 0) {
			free(ps);
			break;
		}
		strvec_push_take(&pats, ps);
		strvec_push_take(&items, xstrndup(item.p, item.n));
		/* the allowed list */
		bool allowed = false, empty = false;
		for (size_t j = 0; j <= list.n;) {
			const char *bar = memchr(list.p + j, '|', list.n - j);
			size_t e2 = bar ? (size_t)(bar - list.p) : list.n;
			struct str a = str_trim(list.p + j, e2 - j);
			j = e2 + 1;
			if (a.n == 0)
				empty = true;
			if ((a.n == strlen(vcs) && memcmp(a.p, vcs, a.n) == 0) || (a.n == 3 && memcmp(a.p, "all", 3) == 0))
				allowed = true;
		}
		if (empty) {
			rc = err_setf(e, "empty VCS name in GOVCS: %s", q);
			break;
		}
		if (decided < 0) {
			bool match = strcmp(ps, "private") == 0 ? private
			             : strcmp(ps, "public") == 0 ? !private : mod_match_prefix_patterns(ps, root);
			if (match)
				decided = allowed;
		}
		free(q);
		q = NULL;
	}
	if (rc == 0 && decided < 0)
		decided = private || strcmp(vcs, "git") == 0 || strcmp(vcs, "hg") == 0;
	if (rc == 0 && !decided)
		rc = err_setf(e, "GOVCS disallows using %s for %s %s; see 'go help vcs'", vcs, private ? "private" : "public",
		              root);
	free(q);
	free(q2);
	strvec_clear(&pats);
	strvec_clear(&items);
	return rc;
}

/* The most of a go-get=1 page read (go reads it all; it stops parsing at
 * the head's end). */
#define GOGET_PAGE_MAX (16u << 20)

/* goget_url is urlForImportPath as "host/path?go-get=1" (no scheme), or -1. */
static int goget_url(const char *path, struct buf *out, struct err *e)
{
	size_t slash = strcspn(path, "/");
	if (!memchr(path, '.', slash))
		return err_setf(e, "import path does not begin with hostname");
	buf_add(out, path, slash);
	buf_adds(out, path[slash] ? path + slash : "/");
	buf_adds(out, "?go-get=1");
	return 0;
}

/* goget_fetch fetches and parses path's go-get page: the mod entries first
 * (PreferMod).  -1 with *stage set to what failed: 1 the fetch, 2 the
 * status (no tags on a page that was not 200), 3 the parse. */
static int goget_fetch(struct mod_direct *d, const char *hostpath, bool insecure, struct mod_http_page *pg,
                       struct mod_meta_imports *imports, int *stage, struct err *e)
{
	if (!d->http_init) {
		mod_http_init(&d->http, d->c.x, 0);
		mod_http_set_goauth(&d->http, d->c.goauth);
		d->http_init = true;
	}
	*stage = 1;
	if (mod_http_get_page(&d->http, hostpath, insecure, GOGET_PAGE_MAX, pg, e) < 0)
		return -1;
	int rc = mod_parse_meta_go_imports(pg->body.data ? pg->body.data : "", pg->body.len, true, imports, e);
	if (imports->n == 0 && pg->code != 200) {
		err_clear(e);
		err_setf(e, "%s", err_msg(&pg->status_err));
		*stage = 2;
		return -1;
	}
	if (rc < 0) {
		*stage = 3;
		return -1;
	}
	return 0;
}

static bool same_meta(const struct mod_meta_import *a, const struct mod_meta_import *b)
{
	return strcmp(a->prefix, b->prefix) == 0 && strcmp(a->vcs, b->vcs) == 0 &&
	       strcmp(a->repo_root, b->repo_root) == 0 && strcmp(a->subdir, b->subdir) == 0;
}

/* repo_url_error is validateRepoRoot: NULL, or why root is not a URL with
 * a scheme (url.Parse's own errors are not reproduced: a root that is not
 * "scheme:..." has no scheme). */
static const char *repo_url_error(const char *root)
{
	size_t i = 0;
	if ((root[0] >= 'a' && root[0] <= 'z') || (root[0] >= 'A' && root[0] <= 'Z')) {
		while (root[i] && ((root[i] >= 'a' && root[i] <= 'z') || (root[i] >= 'A' && root[i] <= 'Z') ||
		                   (root[i] >= '0' && root[i] <= '9') || root[i] == '+' || root[i] == '-' ||
		                   root[i] == '.'))
			i++;
		if (root[i] != ':')
			i = 0;
	}
	if (i == 0)
		return "no scheme";
	if (i == 4 && strncasecmp(root, "file", 4) == 0)
		return "file scheme disallowed";
	return NULL;
}

/* vcs_suffix_path: path has an element past the host ending in a VCS
 * suffix, which vcsPathsAfterDynamic maps when the dynamic lookup fails. */
static bool vcs_suffix_path(const char *path)
{
	static const char *const sfx[] = {".bzr", ".fossil", ".git", ".hg", ".svn"};
	const char *p = strchr(path, '/');
	while (p) {
		const char *end = strchr(p + 1, '/');
		size_t n = end ? (size_t)(end - (p + 1)) : strlen(p + 1);
		for (size_t k = 0; k < countof(sfx); k++) {
			size_t m = strlen(sfx[k]);
			if (n > m && memcmp(p + 1 + n - m, sfx[k], m) == 0)
				return true;
		}
		p = end;
	}
	return false;
}

/*
 * repo_root_dynamic mirrors repoRootForImportDynamic (with lookupDirect's
 * PreferMod and GOINSECURE security) and RepoRootForImportPath's wrapping of
 * its error: the go-import meta tag of path's go-get=1 page, checked against
 * its prefix's own page when the prefix is shorter.
 */
static int repo_root_dynamic(struct mod_direct *d, const char *path, char **root, char **url, char **subdir,
                             struct err *e)
{
	bool insecure = mod_match_prefix_patterns(d->c.goinsecure, path), mismatch;
	struct mod_http_page pg = {0}, pg2 = {0};
	struct mod_meta_imports imports = {0}, imports2 = {0};
	struct buf hp = BUF_INIT, hp2 = BUF_INIT;
	struct err le = ERR_INIT;
	const struct mod_meta_import *mi = NULL;
	const char *bad;
	size_t k;
	int stage, rc = -1;

	if (goget_url(path, &hp, &le) < 0)
		goto fail;
	if (goget_fetch(d, buf_cstr(&hp), insecure, &pg, &imports, &stage, &le) < 0) {
		char *m = err_take(&le);
		if (stage == 1)
			err_setf(&le, "%shttps fetch: %s", insecure ? "http/" : "", m);
		else if (stage == 3)
			err_setf(&le, "parsing %s: %s", path, m);
		else
			err_setf(&le, "%s", m);
		free(m);
		goto fail;
	}
	if (mod_match_go_import(&imports, path, &k, &mismatch, &le) < 0) {
		char *m = err_take(&le);
		if (mismatch)
			err_setf(&le, "parse %s: no go-import meta tags (%s)", buf_cstr(&pg.url), m);
		else
			err_setf(&le, "parse //%s: %s", buf_cstr(&hp), m);
		free(m);
		goto fail;
	}
	mi = &imports.v[k];
	if (strcmp(mi->prefix, path) != 0) {
		/* a non-authoritative tag: the prefix's own page must agree */
		size_t k2;
		if (goget_url(mi->prefix, &hp2, &le) < 0)
			goto fail;
		if (goget_fetch(d, buf_cstr(&hp2), insecure, &pg2, &imports2, &stage, &le) < 0) {
			char *m = err_take(&le);
			if (stage == 1)
				err_setf(&le, "fetching %s: %s", mi->prefix, m);
			else if (stage == 3)
				err_setf(&le, "parsing %s: %s", buf_cstr(&pg2.url), m);
			else
				err_setf(&le, "%s", m);
			free(m);
			goto fail;
		}
		if (imports2.n == 0) {
			err_setf(&le, "fetching %s: no go-import meta tag found in %s", mi->prefix, buf_cstr(&pg2.url));
			goto fail;
		}
		if (mod_match_go_import(&imports2, path, &k2, &mismatch, &le) < 0 ||
		    !same_meta(mi, &imports2.v[k2])) {
			err_clear(&le);
			err_setf(&le, "%s and //%s disagree about go-import for %s", buf_cstr(&pg.url), buf_cstr(&hp2),
			         mi->prefix);
			goto fail;
		}
	}
	if (mi->subdir[0] == '/' || mi->subdir[0] == '-') {
		err_setf(&le, "%s: invalid subdirectory \"%s\": leading %s", buf_cstr(&pg.url), mi->subdir,
		         mi->subdir[0] == '/' ? "slash" : "hyphen");
		goto fail;
	}
	if ((bad = repo_url_error(mi->repo_root)) != NULL) {
		err_setf(&le, "%s: invalid repo root \"%s\": %s", buf_cstr(&pg.url), mi->repo_root, bad);
		goto fail;
	}
	if (strcmp(mi->vcs, "mod") == 0) {
		rc = err_setf(e, "gotool: module path %s: the go-import meta tag at %s names a module proxy (%s): "
		                 "not supported yet", path, buf_cstr(&pg.url), mi->repo_root);
		goto out;
	}
	if (strcmp(mi->vcs, "git") != 0) {
		static const char *const known[] = {"bzr", "fossil", "hg", "svn"};
		for (size_t i = 0; i < countof(known); i++)
			if (strcmp(mi->vcs, known[i]) == 0) {
				rc = err_setf(e, "gotool: module path %s: %s repositories not supported yet (only git)",
				              path, mi->vcs);
				goto out;
			}
		err_setf(&le, "%s: unknown vcs \"%s\"", buf_cstr(&pg.url), mi->vcs);
		goto fail;
	}
	if (govcs_check(d, "git", mi->prefix, &le) < 0)
		goto fail;
	*root = xstrdup(mi->prefix);
	*url = xstrdup(mi->repo_root);
	*subdir = xstrdup(mi->subdir);
	rc = 0;
	goto out;
fail:
	if (vcs_suffix_path(path)) {
		rc = err_setf(e, "gotool: module path %s: repository paths with a VCS suffix (vcsPathsAfterDynamic) "
		                 "not supported yet", path);
		goto out;
	}
	/* importErrorf */
	rc = err_setf(e, "unrecognized import path \"%s\": %s", path, err_msg(&le));
out:
	err_clear(&le);
	mod_http_page_release(&pg);
	mod_http_page_release(&pg2);
	mod_meta_imports_release(&imports);
	mod_meta_imports_release(&imports2);
	buf_release(&hp);
	buf_release(&hp2);
	return rc;
}

/*
 * repo_root mirrors RepoRootForImportPath: the git hosts of vcsPaths, else
 * the go-import meta tags: *root, *url and *subdir (heap), or -1 with go's
 * error.
 */
static int repo_root(struct mod_direct *d, const char *path, char **root, char **url, char **subdir, struct err *e)
{
	static const struct {
		const char *prefix;
		int nelem;        /* elements after the prefix in the root */
		bool no_vcs_suffix;
	} hosts[] = {
		{"github.com", 2, true},
		{"bitbucket.org", 2, true},
		{"hub.jazz.net/git", 2, true},
		{"git.openstack.org", 2, false},
	};

	*root = *url = *subdir = NULL;
	if (mod_has_path_prefix(path, "example.net"))
		return err_setf(e, "no modules on example.net");
	if (strcmp(path, "rsc.io") == 0)
		return err_setf(e, "rsc.io is not a module");
	if (has_prefix(path, "http:") || has_prefix(path, "https:"))
		return err_setf(e, "\"%s//\" not allowed in import path", has_prefix(path, "http:") ? "http:" : "https:");
	for (size_t i = 0; i < countof(hosts); i++) {
		const char *p = hosts[i].prefix;
		size_t pn = strlen(p), end;
		if (!mod_has_path_prefix(path, p))
			continue;
		const char *rest = path + pn;
		bool ok = rest[0] == '/' && elems_ok(rest + 1, strlen(rest + 1));
		/* the root: prefix plus nelem elements */
		end = pn;
		for (int k = 0; ok && k < hosts[i].nelem; k++) {
			if (path[end] != '/') {
				ok = false;
				break;
			}
			end++;
			while (path[end] && path[end] != '/')
				end++;
		}
		if (ok && strcmp(p, "hub.jazz.net/git") == 0) {
			for (const char *q = rest + 1; *q && *q != '/'; q++)
				if (!((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9')))
					ok = false;
		}
		if (!ok)
			return err_setf(e, "invalid %s import path \"%s\"", p, path);
		*root = xstrndup(path, end);
		if (hosts[i].no_vcs_suffix) {
			static const char *const sfx[] = {".hg", ".git", ".svn", ".bzr", ".fossil"};
			for (size_t k = 0; k < countof(sfx); k++) {
				if (has_suffix(*root, sfx[k])) {
					free(*root);
					*root = NULL;
					return err_setf(e, "invalid version control suffix in %s/ path", p);
				}
			}
		}
		if (govcs_check(d, "git", *root, e) < 0) {
			free(*root);
			*root = NULL;
			return -1;
		}
		*url = xasprintf("https://%s", *root);
		*subdir = xstrdup("");
		return 0;
	}
	return repo_root_dynamic(d, path, root, url, subdir, e);
}

/* ---- the cache repository (codehost.WorkDir, newGitRepo) ------------------ */

static int ghost_open(struct mod_direct *d, struct ghost *g, struct err *e)
{
	unsigned char sum[32];
	char hex[65];
	char *key = NULL, *lock = NULL, *info = NULL, *parent = NULL, *objects = NULL;
	struct buf have = BUF_INIT;
	struct err ignore = ERR_INIT;
	struct stat st;
	git_remote *remote = NULL;
	int fd = -1, rc = -1;

	if (g->repo)
		return 0;
	if (g->open_err)
		return err_setf(e, "%s", g->open_err);
	if (gitapi_load(e) < 0)
		return -1;
	if (!d->c.gomodcache || !d->c.gomodcache[0]) {
		err_setf(e, "module cache not found: neither GOMODCACHE nor GOPATH is set");
		goto out;
	}
	key = xasprintf("%s:%s", GIT_WORKDIR_TYPE, g->url);
	hash_sha256(key, strlen(key), sum);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", sum[i]);
	parent = path_join(d->c.gomodcache, "cache/vcs");
	g->dir = path_join(parent, hex);
	if (d->c.x)
		fprintf(stderr, "mkdir -p %s # %s %s\n", parent, GIT_WORKDIR_TYPE, g->url);
	if (os_mkdir_all(parent, 0777, e) < 0)
		goto out;
	lock = xasprintf("%s.lock", g->dir);
	info = xasprintf("%s.info", g->dir);
	if ((fd = os_flock_open(lock, e)) < 0)
		goto out;
	if (os_read_file(info, &have, 1 << 20, &ignore) == 0 && stat(g->dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		size_t n = have.len;
		if (n > 0 && buf_cstr(&have)[n - 1] == '\n')
			n--;
		if (n != strlen(key) || memcmp(buf_cstr(&have), key, n) != 0) {
			err_setf(e, "%s exists with wrong content (have %s want %s)", info, buf_cstr(&have), key);
			goto out;
		}
	} else {
		if (os_remove_all(g->dir, e) < 0 || os_mkdir_all(g->dir, 0777, e) < 0)
			goto out;
		if (os_write_file_atomic(info, key, strlen(key), 0666, e) < 0)
			goto out;
	}
	objects = path_join(g->dir, "objects");
	if (stat(objects, &st) != 0) {
		if (git_repository_init(&g->repo, g->dir, 1) < 0) {
			git_fail(e, "git init --bare");
			os_remove_all(g->dir, &ignore);
			goto out;
		}
		git_remote_create_options ro;
		git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION);
		ro.repository = g->repo;
		ro.name = "origin";
		ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF;
		if (git_remote_create_with_opts(&remote, g->url, &ro) < 0) {
			git_fail(e, "git remote add origin");
			git_repository_free(g->repo);
			g->repo = NULL;
			os_remove_all(g->dir, &ignore);
			goto out;
		}
	} else if (git_repository_open_bare(&g->repo, g->dir) < 0) {
		git_fail(e, g->dir);
		goto out;
	}
	rc = 0;
out:
	if (remote)
		git_remote_free(remote);
	if (rc < 0)
		g->open_err = xstrdup(err_msg(e));
	os_flock_close(fd);
	err_clear(&ignore);
	buf_release(&have);
	free(key);
	free(lock);
	free(info);
	free(parent);
	free(objects);
	return rc;
}

static int cmp_gref(const void *a, const void *b)
{
	return strcmp(((const struct gref *)a)->name, ((const struct gref *)b)->name);
}

static const char *ref_hash(struct ghost *g, const char *name)
{
	struct gref key = {(char *)name, ""};
	struct gref *r = g->refs.n ? bsearch(&key, g->refs.v, g->refs.n, sizeof key, cmp_gref) : NULL;
	return r ? r->hash : NULL;
}

/*
 * fetch_url applies the url.<base>.insteadOf settings to the URL as git
 * does (the longest matching prefix wins; heap).  libgit2 does this too, but
 * its config glob leaks (libgit2 1.5 git_regexp_match on no match), so the
 * remotes are made with GIT_REMOTE_CREATE_SKIP_INSTEADOF and this URL.
 */
static char *fetch_url(struct ghost *g)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *ent;
	char *best = NULL;
	size_t best_n = 0;

	if (git_repository_config_snapshot(&cfg, g->repo) < 0)
		return xstrdup(g->url);
	if (git_config_iterator_new(&it, cfg) == 0) {
		while (git_config_next(&ent, it) == 0) {
			const char *nm = ent->name, *v = ent->value;
			size_t n = strlen(nm);
			if (n < 14 || strncasecmp(nm, "url.", 4) != 0 || strcasecmp(nm + n - 10, ".insteadof") != 0 || !v)
				continue;
			size_t vn = strlen(v);
			if (vn == 0 || vn <= best_n || strncmp(g->url, v, vn) != 0)
				continue;
			free(best);
			best = xasprintf("%.*s%s", (int)(n - 14), nm + 4, g->url + vn);
			best_n = vn;
		}
		git_config_iterator_free(it);
	}
	git_config_free(cfg);
	return best ? best : xstrdup(g->url);
}

/* open_remote makes an in-memory remote for the fetch URL. */
static int open_remote(struct ghost *g, git_remote **remote, char **url)
{
	git_remote_create_options ro;

	*url = fetch_url(g);
	git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	ro.repository = g->repo;
	ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	return git_remote_create_with_opts(remote, *url, &ro);
}

/* is_bare_dir: dir looks like a bare repository (HEAD and objects/). */
static bool is_bare_dir(const char *dir)
{
	char *h = path_join(dir, "HEAD"), *o = path_join(dir, "objects");
	bool ok = os_exists(h) && os_exists(o);
	free(h);
	free(o);
	return ok;
}

/* ghost_load_refs mirrors loadRefs (git ls-remote -q origin). */
static int ghost_load_refs(struct mod_direct *d, struct ghost *g, bool *notexist, struct err *e)
{
	git_remote *remote = NULL;
	const git_remote_head **heads = NULL;
	git_remote_callbacks cb;
	char *furl = NULL;
	size_t n = 0;

	*notexist = false;
	if (g->refs_done) {
		if (g->refs_err) {
			*notexist = g->refs_notexist;
			return err_setf(e, "%s", g->refs_err);
		}
		return 0;
	}
	if (ghost_open(d, g, e) < 0)
		return -1;
	g->refs_done = true;
	if (d->c.x)
		fprintf(stderr, "cd %s; git ls-remote -q --end-of-options origin\n", g->dir);
	git_remote_init_callbacks(&cb, GIT_REMOTE_CALLBACKS_VERSION);
	if (open_remote(g, &remote, &furl) < 0 ||
	    git_remote_connect(remote, GIT_DIRECTION_FETCH, &cb, NULL, NULL) < 0 ||
	    git_remote_ls(&heads, &n, remote) < 0) {
		const git_error *ge = git_error_last();
		const char *u = furl;
		struct stat st;
		char *gitdir = NULL;
		/* go runs ls-remote before "git remote add": the command names the URL */
		if (u && has_prefix(u, "file://")) {
			gitdir = xasprintf("%s/.git", u + 7);
			if (stat(u + 7, &st) != 0 || (!S_ISDIR(st.st_mode)) || (stat(gitdir, &st) != 0 && !is_bare_dir(u + 7)))
				/* what git's file transport prints for a path that is no repository */
				g->refs_err = xasprintf("git ls-remote -q --end-of-options %s in %s: exit status 128:\n"
				                        "\tfatal: '%s' does not appear to be a git repository\n"
				                        "\tfatal: Could not read from remote repository.\n\t\n"
				                        "\tPlease make sure you have the correct access rights\n"
				                        "\tand the repository exists.", g->url, g->dir, u + 7);
			free(gitdir);
		}
		if (!g->refs_err)
			g->refs_err = xasprintf("git ls-remote -q --end-of-options %s in %s: %s", g->url, g->dir,
			                        ge && ge->message ? ge->message : "exit status 128");
		if (remote)
			git_remote_free(remote);
		free(furl);
		return err_setf(e, "%s", g->refs_err);
	}
	free(furl);
	for (size_t i = 0; i < n; i++) {
		const char *nm = heads[i]->name;
		if (strcmp(nm, "HEAD") != 0 && !has_prefix(nm, "refs/heads/") && !has_prefix(nm, "refs/tags/"))
			continue;
		struct gref r;
		r.name = xstrdup(nm);
		git_oid_tostr(r.hash, sizeof r.hash, &heads[i]->oid);
		VEC_PUSH(&g->refs, r);
	}
	git_remote_disconnect(remote);
	git_remote_free(remote);
	/* "refs/tags/x^{}" replaces "refs/tags/x" */
	for (size_t i = 0; i < g->refs.n; i++) {
		struct gref *r = &g->refs.v[i];
		if (!has_suffix(r->name, "^{}"))
			continue;
		r->name[strlen(r->name) - 3] = 0;
		for (size_t k = 0; k < g->refs.n; k++) {
			if (k != i && strcmp(g->refs.v[k].name, r->name) == 0 && !has_suffix(g->refs.v[k].name, "^{}")) {
				free(g->refs.v[k].name);
				g->refs.v[k] = g->refs.v[--g->refs.n];
				if (i == g->refs.n)
					i = k;
				break;
			}
		}
	}
	VEC_SORT(&g->refs, cmp_gref);
	return 0;
}

/* ghost_fetch_all mirrors fetchRefsLocked (all branches and tags). */
static int ghost_fetch_all(struct mod_direct *d, struct ghost *g, struct err *e)
{
	char *specs[] = {"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"};
	git_strarray arr = {specs, 2};
	git_fetch_options fo;
	git_remote *remote = NULL;
	char *lock = NULL, *shallow = NULL, *furl = NULL;
	int fd = -1, rc = -1;

	if (g->fetched_all)
		return 0;
	if (ghost_open(d, g, e) < 0)
		return -1;
	shallow = path_join(g->dir, "shallow");
	if (os_exists(shallow)) {
		err_setf(e, "gotool: fetching into the shallow repository %s not supported yet", g->dir);
		goto out;
	}
	lock = xasprintf("%s.lock", g->dir);
	if ((fd = os_flock_open(lock, e)) < 0)
		goto out;
	if (d->c.x)
		fprintf(stderr, "cd %s; git fetch -f --end-of-options origin 'refs/heads/*:refs/heads/*' "
		                "'refs/tags/*:refs/tags/*'\n", g->dir);
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	if (open_remote(g, &remote, &furl) < 0 || git_remote_fetch(remote, &arr, &fo, NULL) < 0) {
		const git_error *ge = git_error_last();
		err_setf(e, "git fetch -f --end-of-options origin refs/heads/*:refs/heads/* refs/tags/*:refs/tags/* in %s: %s",
		         g->dir, ge && ge->message ? ge->message : "exit status 128");
		goto out;
	}
	g->fetched_all = true;
	rc = 0;
out:
	if (remote)
		git_remote_free(remote);
	os_flock_close(fd);
	free(lock);
	free(shallow);
	free(furl);
	return rc;
}

static bool all_hex(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

static bool hexlike(const char *s)
{
	size_t n = strlen(s);
	return n >= 7 && n <= GIT_OID_HEXSZ && all_hex(s);
}

/* resolve finds rev (a hash, hash prefix or ref name) as `git log rev` does. */
static int resolve(struct ghost *g, const char *rev, git_commit **c)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc = -1;

	*c = NULL;
	if (!g->repo || !*rev)
		return -1;
	if (git_revparse_single(&obj, g->repo, rev) < 0)
		return -1;
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0)
		goto out;
	*c = (git_commit *)peeled;
	rc = 0;
out:
	git_object_free(obj);
	return rc;
}

/* local_tags_at appends the local tags whose commit is c. */
static void local_tags_at(struct ghost *g, const git_oid *c, struct strvec *out)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;

	if (git_reference_iterator_glob_new(&it, g->repo, "refs/tags/*") < 0)
		return;
	while (git_reference_next(&ref, it) == 0) {
		git_object *obj = NULL;
		if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0 && git_oid_equal(git_object_id(obj), c))
			strvec_push(out, git_reference_name(ref) + strlen("refs/tags/"));
		git_object_free(obj);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* stat_local mirrors statLocal. */
static int stat_local(struct mod_direct *d, struct ghost *g, const char *version, const char *rev, struct crev *out)
{
	git_commit *c = NULL;
	bool ne;
	struct err ignore = ERR_INIT;

	memset(out, 0, sizeof *out);
	if (resolve(g, rev, &c) < 0)
		return -1;
	git_oid_tostr(out->name, sizeof out->name, git_commit_id(c));
	memcpy(out->short_, out->name, 12);
	out->time = (int64_t)git_commit_time(c);
	out->version = xstrdup(has_prefix(out->name, version) ? out->name : version);
	if (!has_prefix(out->name, rev))
		out->ref = xstrdup(rev);
	local_tags_at(g, git_commit_id(c), &out->tags);
	if (ghost_load_refs(d, g, &ne, &ignore) == 0) {
		for (size_t i = 0; i < g->refs.n; i++)
			if (strcmp(g->refs.v[i].hash, out->name) == 0 && has_prefix(g->refs.v[i].name, "refs/tags/"))
				strvec_push(&out->tags, g->refs.v[i].name + strlen("refs/tags/"));
	}
	err_clear(&ignore);
	if (out->tags.n > 1) {
		qsort(out->tags.v, out->tags.n, sizeof *out->tags.v, cmp_str);
		size_t w = 1;
		for (size_t i = 1; i < out->tags.n; i++) {
			if (strcmp(out->tags.v[i], out->tags.v[w - 1]) == 0)
				free(out->tags.v[i]);
			else
				out->tags.v[w++] = out->tags.v[i];
		}
		out->tags.n = w;
	}
	{
		bool found = false;
		for (size_t i = 0; i < out->tags.n; i++)
			found = found || strcmp(out->tags.v[i], out->version) == 0;
		if (!found) {
			free(out->version);
			out->version = xstrdup(out->name);
		}
	}
	git_commit_free(c);
	return 0;
}

/* ghost_stat mirrors gitRepo.stat; *notexist for UnknownRevisionError. */
static int ghost_stat(struct mod_direct *d, struct ghost *g, const char *rev0, struct crev *out, bool *notexist,
                      struct err *e)
{
	char *rev = xstrdup(rev0), *ref = NULL, *hash = NULL, *tagref = NULL;
	bool did_local = false;
	git_oid tid;
	int rc = -1;

	*notexist = false;
	if (ghost_open(d, g, e) < 0)
		goto out;
	if (hexlike(rev)) {
		if (stat_local(d, g, rev, rev, out) == 0) {
			rc = 0;
			goto out;
		}
		did_local = true;
	}
	tagref = xasprintf("refs/tags/%s", rev);
	if (git_reference_name_to_id(&tid, g->repo, tagref) == 0) {
		if (stat_local(d, g, rev, tagref, out) == 0) {
			rc = 0;
			goto out;
		}
		*notexist = true;
		err_setf(e, "unknown revision %s", tagref);
		goto out;
	}
	if (ghost_load_refs(d, g, notexist, e) < 0)
		goto out;
	{
		char *h = xasprintf("refs/heads/%s", rev);
		const char *x;
		if ((x = ref_hash(g, tagref))) {
			ref = xstrdup(tagref);
			hash = xstrdup(x);
		} else if ((x = ref_hash(g, h))) {
			ref = xstrdup(h);
			hash = xstrdup(x);
			free(rev);
			rev = xstrdup(x);
		} else if (strcmp(rev, "HEAD") == 0 && (x = ref_hash(g, "HEAD"))) {
			hash = xstrdup(x);
			ref = xstrdup(x); /* go fetches HEAD by hash: no Ref */
			free(rev);
			rev = xstrdup(x);
		} else if (hexlike(rev)) {
			for (size_t i = 0; i < g->refs.n; i++) {
				if (!has_prefix(g->refs.v[i].hash, rev))
					continue;
				if (hash && strcmp(hash, g->refs.v[i].hash) != 0) {
					free(h);
					err_setf(e, "ambiguous revision %s", rev0);
					goto out;
				}
				if (!ref || strcmp(ref, g->refs.v[i].name) > 0) {
					free(ref);
					ref = xstrdup(g->refs.v[i].name);
				}
				free(hash);
				hash = xstrdup(g->refs.v[i].hash);
			}
			if (ref && strcmp(ref, "HEAD") == 0) {
				/* go fetches HEAD by its hash: no Ref */
				free(ref);
				ref = xstrdup(hash);
			}
			if (hash) {
				free(rev);
				rev = xstrdup(hash);
			} else if (strlen(rev) == GIT_OID_HEXSZ) {
				hash = xstrdup(rev);
			}
		} else {
			free(h);
			*notexist = true;
			err_setf(e, "unknown revision %s", rev);
			goto out;
		}
		free(h);
	}
	if (!did_local && stat_local(d, g, rev, hash ? hash : "", out) == 0)
		goto found;
	if (ghost_fetch_all(d, g, e) < 0)
		goto out;
	if (stat_local(d, g, rev, ref && hash && strcmp(ref, hash) != 0 ? ref : rev, out) < 0) {
		*notexist = true;
		err_setf(e, "unknown revision %s", rev);
		goto out;
	}
found:
	free(out->ref);
	out->ref = ref && strcmp(ref, out->name) != 0 ? xstrdup(ref) : NULL;
	rc = 0;
out:
	free(rev);
	free(ref);
	free(hash);
	free(tagref);
	return rc;
}

/* ghost_read_file mirrors ReadFile at a full hash: 0, or -1 not found. */
static int ghost_read_file(struct ghost *g, const char *hash, const char *file, struct buf *out, uint64_t max)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *ent = NULL;
	git_blob *blob = NULL;
	int rc = -1;

	if (resolve(g, hash, &c) < 0 || git_commit_tree(&t, c) < 0)
		goto out;
	if (git_tree_entry_bypath(&ent, t, file) < 0 || git_tree_entry_type(ent) != GIT_OBJECT_BLOB)
		goto out;
	if (git_blob_lookup(&blob, g->repo, git_tree_entry_id(ent)) < 0)
		goto out;
	if ((uint64_t)git_blob_rawsize(blob) > max)
		goto out;
	if (out)
		buf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	rc = 0;
out:
	git_blob_free(blob);
	git_tree_entry_free(ent);
	if (t)
		git_tree_free(t);
	git_commit_free(c);
	return rc;
}

/* tag_sum mirrors Tags(prefix)'s TagSum. */
static char *tag_sum(struct ghost *g, const char *prefix)
{
	struct hash_sha256 h;
	unsigned char sum[32];
	struct buf b = BUF_INIT;
	const char *slash = strrchr(prefix, '/');
	size_t dn = slash ? (size_t)(slash - prefix) + 1 : 0;

	hash_sha256_init(&h);
	for (size_t i = 0; i < g->refs.n; i++) {
		const char *nm = g->refs.v[i].name;
		if (!has_prefix(nm, "refs/tags/") || !has_prefix(nm + 10, prefix))
			continue;
		const char *tag = nm + 10;
		const char *t = strncmp(tag, prefix, dn) == 0 ? tag + dn : tag;
		char *c = mod_semver_canonical(t);
		bool origin = c[0] && has_prefix(t, c) && !mod_is_pseudo_version(t);
		free(c);
		if (!origin)
			continue;
		buf_reset(&b);
		mod_strconv_quote(&b, tag);
		buf_printf(&b, " %s\n", g->refs.v[i].hash);
		hash_sha256_write(&h, b.data, b.len);
	}
	hash_sha256_sum(&h, sum);
	buf_reset(&b);
	buf_adds(&b, "t1:");
	buf_add_base64(&b, sum, 32);
	return buf_detach(&b);
}

/* repo_sum mirrors repoSum over the loaded refs. */
static char *repo_sum(struct ghost *g)
{
	struct hash_sha256 h;
	unsigned char sum[32];
	struct buf b = BUF_INIT;

	hash_sha256_init(&h);
	for (size_t i = 0; i < g->refs.n; i++) {
		buf_reset(&b);
		mod_strconv_quote(&b, g->refs.v[i].name);
		buf_printf(&b, " %s\n", g->refs.v[i].hash);
		hash_sha256_write(&h, b.data, b.len);
	}
	hash_sha256_sum(&h, sum);
	buf_reset(&b);
	buf_adds(&b, "r1:");
	buf_add_base64(&b, sum, 32);
	return buf_detach(&b);
}

/* ---- the module (codeRepo) ------------------------------------------------ */

static char *path_major_prefix(const char *pm)
{
	size_t n = strlen(pm);
	if (n == 0)
		return xstrdup("");
	if (has_prefix(pm, ".v") && has_suffix(pm, "-unstable"))
		n -= strlen("-unstable");
	return xstrndup(pm + 1, n - 1);
}

static struct crepo *crepo_get(struct mod_direct *d, const char *path)
{
	struct crepo *r;
	char *root = NULL, *url = NULL, *subdir = NULL;
	struct err e = ERR_INIT;

	for (size_t i = 0; i < d->repos.n; i++)
		if (strcmp(d->repos.v[i]->mod_path, path) == 0)
			return d->repos.v[i];
	r = xcalloc(1, sizeof *r);
	arena_init(&r->a);
	r->mod_path = xstrdup(path);
	VEC_PUSH(&d->repos, r);
	if (repo_root(d, path, &root, &url, &subdir, &e) < 0) {
		r->err = err_take(&e);
		r->notexist = !has_prefix(r->err, "gotool: ");
		goto out;
	}
	for (size_t i = 0; i < d->hosts.n; i++)
		if (strcmp(d->hosts.v[i]->url, url) == 0)
			r->g = d->hosts.v[i];
	if (!r->g) {
		r->g = xcalloc(1, sizeof *r->g);
		r->g->url = xstrdup(url);
		VEC_PUSH(&d->hosts, r->g);
	}
	r->code_root = xstrdup(root);
	if (!mod_has_path_prefix(path, root)) {
		r->err = xasprintf("mismatched repo: found %s for %s", root, path);
		goto out;
	}
	if (!mod_split_path_version(path, &r->path_prefix, &r->path_major)) {
		r->err = xasprintf("invalid module path \"%s\"", path);
		goto out;
	}
	if (strcmp(root, path) == 0) {
		free(r->path_prefix);
		r->path_prefix = xstrdup(path);
	}
	r->pseudo_major = path_major_prefix(r->path_major);
	if (strcmp(root, path) != 0) {
		if (!mod_has_path_prefix(r->path_prefix, root)) {
			r->err = xasprintf("repository rooted at %s cannot contain module %s", root, path);
			goto out;
		}
		const char *s = r->path_prefix + strlen(root);
		size_t n = strlen(s);
		while (n && *s == '/')
			s++, n--;
		while (n && s[n - 1] == '/')
			n--;
		r->code_dir = xstrndup(s, n);
	} else {
		r->code_dir = xstrdup("");
	}
	if (subdir && *subdir) {
		/* a go-import meta tag's subdirectory: filepath.Join(codeDir, subdir) */
		char *j = *r->code_dir ? xasprintf("%s/%s", r->code_dir, subdir) : xstrdup(subdir);
		free(r->code_dir);
		r->code_dir = path_clean(j);
		free(j);
	}
out:
	if (!r->code_dir)
		r->code_dir = xstrdup("");
	if (!r->path_major)
		r->path_major = xstrdup("");
	if (!r->pseudo_major)
		r->pseudo_major = xstrdup("");
	if (!r->path_prefix)
		r->path_prefix = xstrdup(path);
	free(root);
	free(url);
	free(subdir);
	return r;
}

static bool match_path_major(const char *v, const char *pm)
{
	struct err e = ERR_INIT;
	bool ok = mod_check_path_major(v, pm, &e) == 0;
	err_clear(&e);
	return ok;
}

static char *gomod_module_path(const struct buf *b)
{
	struct arena a;
	struct mod_file *mf = NULL;
	struct err e = ERR_INIT;
	char *res;

	arena_init(&a);
	res = xstrdup(mod_file_parse(&a, "go.mod", b->data ? b->data : "", b->len, false, &mf, &e) == 0 && mf->module
	                      ? mf->module
	                      : "");
	err_clear(&e);
	arena_release(&a);
	return res;
}

static bool is_major(const char *mpath, const char *pm)
{
	char *prefix = NULL, *mm = NULL, *pfx = NULL;
	bool res = false;

	if (!*mpath || !mod_split_path_version(mpath, &prefix, &mm))
		goto out;
	if (!*pm) {
		pfx = path_major_prefix(mm);
		res = !*pfx || strcmp(pfx, "v0") == 0 || strcmp(pfx, "v1") == 0;
		goto out;
	}
	if (!*mm)
		goto out;
	res = strcmp(pm + 1, mm + 1) == 0;
out:
	free(prefix);
	free(mm);
	free(pfx);
	return res;
}

/* rev_to_rev mirrors revToRev (heap). */
static char *rev_to_rev(struct crepo *r, const char *rev)
{
	if (!mod_semver_is_valid(rev))
		return xstrdup(rev);
	if (mod_is_pseudo_version(rev)) {
		const char *dash = strrchr(rev, '-');
		size_t n = strcspn(dash + 1, "+");
		return xstrndup(dash + 1, n);
	}
	size_t n = strlen(rev);
	if (has_suffix(rev, "+incompatible"))
		n -= strlen("+incompatible");
	if (!*r->code_dir)
		return xstrndup(rev, n);
	return xasprintf("%s/%.*s", r->code_dir, (int)n, rev);
}

static int read_at(struct mod_direct *d, struct crepo *r, const char *rev, const char *file, struct buf *out,
                   bool *exists, struct err *e)
{
	struct crev info = {0};
	bool ne;
	int rc = -1;

	*exists = false;
	if (ghost_stat(d, r->g, rev, &info, &ne, e) < 0)
		goto out;
	*exists = ghost_read_file(r->g, info.name, file, out, MOD_MAX_GOMOD) == 0;
	rc = 0;
out:
	crev_release(&info);
	return rc;
}

/*
 * find_dir mirrors codeRepo.findDir: *rev, *dir (heap) and the go.mod
 * found (appended to gomod, *have set), or -1 with go's error.
 */
static int find_dir(struct mod_direct *d, struct crepo *r, const char *version, char **rev, char **dir,
                    struct buf *gomod, bool *have, struct err *e)
{
	const char *pm = r->path_major;
	struct buf b1 = BUF_INIT, b2 = BUF_INIT;
	char *file1 = NULL, *dir2 = NULL, *file2 = NULL, *mpath1 = NULL, *mpath2 = NULL;
	bool ex1, ex2 = false, found1, found2;
	int rc = -1;

	*rev = *dir = NULL;
	*have = false;
	if (!mod_semver_is_valid(version))
		return err_setf(e, "%s@%s: invalid version: syntax error", r->mod_path, version);
	*rev = rev_to_rev(r, version);
	file1 = path_join(r->code_dir, "go.mod");
	if (!*r->code_dir) {
		free(file1);
		file1 = xstrdup("go.mod");
	}
	if (read_at(d, r, *rev, file1, &b1, &ex1, e) < 0)
		goto out;
	mpath1 = gomod_module_path(&b1);
	found1 = ex1 && (is_major(mpath1, pm) || (!*pm && has_prefix(mpath1, "gopkg.in/")));
	if (*pm && strcmp(r->code_root, r->mod_path) != 0 && pm[0] != '.') {
		dir2 = *r->code_dir ? path_join(r->code_dir, pm + 1) : xstrdup(pm + 1);
		file2 = xasprintf("%s/go.mod", dir2);
		if (read_at(d, r, *rev, file2, &b2, &ex2, e) < 0)
			goto out;
		mpath2 = gomod_module_path(&b2);
		found2 = ex2 && is_major(mpath2, pm);
		if (found1 && found2) {
			err_setf(e, "%s/%s and ...%s/go.mod both have ...%s module paths at revision %s", r->path_prefix,
			         file1, pm, pm, *rev);
			goto out;
		}
		if (found2) {
			*dir = xstrdup(dir2);
			buf_add(gomod, b2.data, b2.len);
			*have = true;
			rc = 0;
			goto out;
		}
		if (ex2) {
			if (!*mpath2)
				err_setf(e, "%s/%s is missing module path at revision %s", r->code_root, file2, *rev);
			else
				err_setf(e, "%s/%s has non-...%s module path \"%s\" at revision %s", r->code_root, file2, pm,
				         mpath2, *rev);
			goto out;
		}
	}
	if (found1) {
		*dir = xstrdup(r->code_dir);
		buf_add(gomod, b1.data, b1.len);
		*have = true;
		rc = 0;
		goto out;
	}
	if (ex1) {
		char *suffix = file2 ? xasprintf(" (and ...%s/go.mod does not exist)", pm) : xstrdup("");
		char *pfx = NULL, *mm = NULL;
		if (!*mpath1) {
			err_setf(e, "%s is missing module path%s at revision %s", file1, suffix, *rev);
		} else if (*pm) {
			err_setf(e, "%s has non-...%s module path \"%s\"%s at revision %s", file1, pm, mpath1, suffix, *rev);
		} else if (!mod_split_path_version(mpath1, &pfx, &mm)) {
			err_setf(e, "%s has malformed module path \"%s\"%s at revision %s", file1, mpath1, suffix, *rev);
		} else {
			char *maj = mod_semver_major(version);
			err_setf(e, "%s has post-%s module path \"%s\"%s at revision %s", file1, maj, mpath1, suffix, *rev);
			free(maj);
		}
		free(pfx);
		free(mm);
		free(suffix);
		goto out;
	}
	if (!*r->code_dir && (!*pm || pm[0] == '.')) {
		*dir = xstrdup("");
		rc = 0;
		goto out;
	}
	if (file2)
		err_setf(e, "missing %s/go.mod and ...%s/go.mod at revision %s", r->path_prefix, pm, *rev);
	else
		err_setf(e, "missing %s/go.mod at revision %s", r->path_prefix, *rev);
out:
	if (rc < 0) {
		free(*rev);
		free(*dir);
		*rev = *dir = NULL;
	}
	buf_release(&b1);
	buf_release(&b2);
	free(file1);
	free(dir2);
	free(file2);
	free(mpath1);
	free(mpath2);
	return rc;
}

static int cmp_semver(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int c = mod_semver_compare(x, y);
	return c ? c : strcmp(x, y);
}

/* versions mirrors codeRepo.Versions(prefix) with appendIncompatibleVersions. */
static int versions(struct mod_direct *d, struct crepo *r, const char *prefix, struct strvec *out, bool *notexist,
                    struct err *e)
{
	struct strvec list = {0}, inc = {0};
	char *p = *r->code_dir ? xasprintf("%s/%s", r->code_dir, prefix) : xstrdup(prefix);
	int rc = -1;

	if (has_prefix(r->mod_path, "gopkg.in/") && has_suffix(r->mod_path, "-unstable")) {
		rc = 0;
		goto out;
	}
	if (ghost_load_refs(d, r->g, notexist, e) < 0) {
		char *inner = err_take(e);
		err_setf(e, "module %s: %s", r->mod_path, inner);
		free(inner);
		goto out;
	}
	for (size_t i = 0; i < r->g->refs.n; i++) {
		const char *nm = r->g->refs.v[i].name;
		if (!has_prefix(nm, "refs/tags/") || !has_prefix(nm + 10, p))
			continue;
		const char *v = nm + 10 + (*r->code_dir ? strlen(r->code_dir) + 1 : 0);
		char *c = mod_semver_canonical(v);
		bool ok = *v && strcmp(c, v) == 0 && !mod_is_pseudo_version(v);
		free(c);
		if (!ok)
			continue;
		if (!match_path_major(v, r->path_major)) {
			char *maj = mod_semver_major(v);
			if (!*r->code_dir && !*r->path_major && strcmp(maj, "v1") > 0)
				strvec_push(&inc, v);
			free(maj);
			continue;
		}
		strvec_push(&list, v);
	}
	VEC_SORT(&list, cmp_semver);
	VEC_SORT(&inc, cmp_semver);
	for (size_t i = 0; i < list.n; i++)
		strvec_push(out, list.v[i]);
	if (inc.n && !*r->path_major) {
		bool ex;
		if (list.n) {
			if (read_at(d, r, list.v[list.n - 1], "go.mod", NULL, &ex, e) < 0)
				goto out;
			if (ex) {
				rc = 0;
				goto out;
			}
		}
		char *last_major = NULL;
		bool last_has = false;
		for (size_t i = 0; i < inc.n; i++) {
			char *maj = mod_semver_major(inc.v[i]);
			if (!last_major || strcmp(maj, last_major) != 0) {
				size_t j = i;
				while (j + 1 < inc.n) {
					char *m2 = mod_semver_major(inc.v[j + 1]);
					bool same = strcmp(m2, maj) == 0;
					free(m2);
					if (!same)
						break;
					j++;
				}
				free(last_major);
				last_major = xstrdup(maj);
				if (read_at(d, r, inc.v[j], "go.mod", NULL, &last_has, e) < 0) {
					free(maj);
					free(last_major);
					goto out;
				}
			}
			free(maj);
			if (!last_has)
				strvec_push_take(out, xasprintf("%s+incompatible", inc.v[i]));
		}
		free(last_major);
	}
	rc = 0;
out:
	strvec_clear(&list);
	strvec_clear(&inc);
	free(p);
	return rc;
}

static int gomod(struct mod_direct *d, struct crepo *r, const char *version, struct buf *data, bool *notexist,
                 struct err *e);

/* retracted mirrors retractedVersions (errors: nothing retracted). */
static bool retracted(struct mod_direct *d, struct crepo *r, const char *v)
{
	if (!r->retr_done) {
		struct strvec vs = {0};
		struct buf data = BUF_INIT;
		struct err ignore = ERR_INIT;
		bool ne;
		r->retr_done = true;
		if (versions(d, r, "", &vs, &ne, &ignore) == 0) {
			size_t n = vs.n;
			for (size_t i = 0; i < vs.n; i++)
				if (has_suffix(vs.v[i], "+incompatible")) {
					n = i;
					break;
				}
			const char *hi = NULL;
			for (size_t i = n; i-- > 0;) {
				char *pre = mod_semver_prerelease(vs.v[i]);
				bool rel = !*pre;
				free(pre);
				if (rel) {
					hi = vs.v[i];
					break;
				}
			}
			if (!hi && n)
				hi = vs.v[n - 1];
			if (hi && gomod(d, r, hi, &data, &ne, &ignore) == 0) {
				struct mod_file *mf = NULL;
				if (mod_file_parse(&r->a, "go.mod", data.data ? data.data : "", data.len, false, &mf, &ignore) == 0)
					r->retr = mf;
			}
		}
		err_clear(&ignore);
		strvec_clear(&vs);
		buf_release(&data);
	}
	for (size_t i = 0; r->retr && i < r->retr->retracts.n; i++) {
		const struct mod_retract *x = &r->retr->retracts.v[i];
		if (mod_semver_compare(x->low, v) <= 0 && mod_semver_compare(v, x->high) <= 0)
			return true;
	}
	return false;
}

static char *inc_decimal(const char *s, size_t n)
{
	char *o = xmalloc(n + 2);
	size_t i = n;
	memcpy(o, s, n);
	o[n] = 0;
	while (i > 0 && o[i - 1] == '9')
		o[--i] = '0';
	if (i > 0) {
		o[i - 1]++;
	} else {
		o[0] = '1';
		o[n] = '0';
		o[n + 1] = 0;
	}
	return o;
}

static void fmt_time(int64_t t, bool compact, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	out[0] = 0;
	if (!gmtime_r(&tt, &tm))
		return;
	if (compact)
		snprintf(out, n, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		         tm.tm_min, tm.tm_sec);
	else
		snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		         tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* pseudo_version mirrors module.PseudoVersion. */
static char *pseudo_version(const char *major, const char *older, int64_t t, const char *rev)
{
	char stamp[64], *build, *canon, *pre, *res;
	fmt_time(t, true, stamp, sizeof stamp);
	if (!*major)
		major = "v0";
	build = mod_semver_build(older);
	canon = mod_semver_canonical(older);
	if (!*canon) {
		res = xasprintf("%s.0.0-%s-%s", major, stamp, rev);
	} else if (*(pre = mod_semver_prerelease(canon))) {
		res = xasprintf("%s.0.%s-%s%s", canon, stamp, rev, build);
		free(pre);
	} else {
		free(pre);
		const char *dot = strrchr(canon, '.');
		size_t i = (size_t)(dot - canon) + 1;
		char *patch = inc_decimal(canon + i, strlen(canon + i));
		res = xasprintf("%.*s%s-0.%s-%s%s", (int)i, canon, patch, stamp, rev, build);
		free(patch);
	}
	free(build);
	free(canon);
	return res;
}

/* tag_to_version mirrors convert's tagToVersion (heap or NULL). */
static char *tag_to_version(const char *tag_prefix, const char *tag, bool *canonical)
{
	*canonical = false;
	if (!has_prefix(tag, tag_prefix) || mod_is_pseudo_version(tag))
		return NULL;
	const char *trimmed = tag + strlen(tag_prefix);
	char *v = mod_semver_canonical(trimmed);
	if (!*v || !has_prefix(trimmed, v)) {
		free(v);
		return NULL;
	}
	*canonical = strcmp(v, trimmed) == 0;
	return v;
}

struct conv {
	struct mod_direct *d;
	struct crepo *r;
	const struct crev *info;
	const char *stat_vers;
	int inc_root; /* -1 unknown, 0/1 */
};

static bool can_use_incompatible(struct conv *c, const char *v)
{
	struct crepo *r = c->r;
	if (*r->code_dir || *r->path_major)
		return false;
	if (c->inc_root < 0)
		c->inc_root = ghost_read_file(r->g, c->info->name, "go.mod", NULL, MOD_MAX_GOMOD) < 0;
	if (!c->inc_root)
		return false;
	if (v && *v && !has_suffix(c->stat_vers, "+incompatible")) {
		char *maj = mod_semver_major(v), *file = xasprintf("%s/go.mod", maj);
		bool ok = ghost_read_file(r->g, c->info->name, file, NULL, MOD_MAX_GOMOD) < 0;
		free(maj);
		free(file);
		if (!ok)
			return false;
	}
	return true;
}

/* check_canonical mirrors convert's checkCanonical: *out heap version. */
static int check_canonical(struct conv *c, const char *v0, char **out, bool *notexist, struct err *e)
{
	struct crepo *r = c->r;
	char *rev = NULL, *dir = NULL, *v = xstrdup(v0), *base = NULL;
	struct buf gm = BUF_INIT;
	bool have;
	int rc = -1;

	*out = NULL;
	if (find_dir(c->d, r, v, &rev, &dir, &gm, &have, e) < 0) {
		char *inner = err_take(e);
		err_setf(e, "%s@%s: invalid version: %s", r->mod_path, v, inner);
		free(inner);
		*notexist = true;
		goto out;
	}
	{
		size_t sn = strlen(c->stat_vers);
		if (has_suffix(c->stat_vers, "+incompatible") && strlen(v) == sn - 13 && strncmp(v, c->stat_vers, sn - 13) == 0) {
			free(v);
			v = xstrdup(c->stat_vers);
		}
	}
	base = xstrdup(v);
	if (has_suffix(base, "+incompatible"))
		base[strlen(base) - 13] = 0;
	if (!match_path_major(base, r->path_major)) {
		if (can_use_incompatible(c, base)) {
			free(v);
			v = xasprintf("%s+incompatible", base);
		} else if (*r->path_major) {
			err_setf(e, "%s@%s: invalid version: module path includes a major version suffix, so major version must match",
			         r->mod_path, v);
			goto incompat;
		} else {
			char *maj = mod_semver_major(v);
			err_setf(e, "%s@%s: invalid version: module contains a go.mod file, so module path must match major version (\"%s/%s\")",
			         r->mod_path, v, r->path_prefix, maj);
			free(maj);
			goto incompat;
		}
	} else if (has_suffix(v, "+incompatible")) {
		char *maj = mod_semver_major(v);
		err_setf(e, "%s@%s: invalid version: +incompatible suffix not allowed: major version %s is compatible",
		         r->mod_path, v, maj);
		free(maj);
		goto incompat;
	}
	if (*c->stat_vers) {
		char *cv = mod_canonical_version(c->stat_vers);
		bool canon = strcmp(cv, c->stat_vers) == 0;
		free(cv);
		if (canon) {
			char *sb = xstrdup(c->stat_vers);
			if (has_suffix(sb, "+incompatible"))
				sb[strlen(sb) - 13] = 0;
			if (strcmp(sb, base) != 0) {
				err_setf(e, "%s@%s: invalid version: resolves to version %s (%s is not a tag)", r->mod_path,
				         c->stat_vers, v, sb);
				free(sb);
				goto out;
			}
			free(sb);
		}
	}
	*out = v;
	v = NULL;
	rc = 0;
	goto out;
incompat:
	/* the statVers check comes first in go */
	if (*c->stat_vers) {
		char *cv = mod_canonical_version(c->stat_vers);
		char *sb = xstrdup(c->stat_vers);
		if (has_suffix(sb, "+incompatible"))
			sb[strlen(sb) - 13] = 0;
		if (strcmp(cv, c->stat_vers) == 0 && strcmp(sb, base) != 0) {
			err_clear(e);
			err_setf(e, "%s@%s: invalid version: resolves to version %s (%s is not a tag)", r->mod_path,
			         c->stat_vers, v, sb);
		}
		free(cv);
		free(sb);
	}
out:
	free(rev);
	free(dir);
	free(v);
	free(base);
	buf_release(&gm);
	return rc;
}

/* describe mirrors RecentTag's describe over the local tags. */
static char *recent_tag(struct conv *c, const char *tag_prefix)
{
	struct ghost *g = c->r->g;
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_oid head;
	char *best = NULL;

	if (git_oid_fromstr(&head, c->info->name) < 0)
		return NULL;
	if (git_reference_iterator_glob_new(&it, g->repo, "refs/tags/*") < 0)
		return NULL;
	while (git_reference_next(&ref, it) == 0) {
		git_object *obj = NULL;
		const char *tag = git_reference_name(ref) + strlen("refs/tags/");
		if (has_prefix(tag, tag_prefix) && git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0 &&
		    (git_oid_equal(git_object_id(obj), &head) ||
		     git_graph_descendant_of(g->repo, &head, git_object_id(obj)) == 1)) {
			bool canon;
			char *v = tag_to_version(tag_prefix, tag, &canon);
			bool ok = v && (match_path_major(v, c->r->path_major) || can_use_incompatible(c, v)) &&
			          !retracted(c->d, c->r, v);
			free(v);
			if (ok && mod_semver_compare(tag + strlen(tag_prefix), best ? best + strlen(tag_prefix) : "") > 0) {
				free(best);
				best = xstrdup(tag);
			}
		}
		git_object_free(obj);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	return best;
}

/* convert mirrors codeRepo.convert (without the pseudo-version validation). */
static int convert(struct mod_direct *d, struct crepo *r, const struct crev *info, const char *stat_vers, char **out,
                   bool *notexist, struct err *e)
{
	struct conv c = {d, r, info, stat_vers, -1};
	char *tag_prefix = *r->code_dir ? xasprintf("%s/", r->code_dir) : xstrdup("");
	char *highest = NULL, *pseudo_base = NULL, *pseudo = NULL;
	bool canon;
	int rc = -1;

	*out = NULL;
	if (mod_is_pseudo_version(stat_vers)) {
		rc = check_canonical(&c, stat_vers, out, notexist, e);
		goto out;
	}
	{
		char *v = tag_to_version(tag_prefix, info->version, &canon);
		if (v && canon) {
			struct err ce = ERR_INIT;
			bool ne;
			if (check_canonical(&c, v, out, &ne, &ce) == 0) {
				free(v);
				rc = 0;
				goto out;
			}
			err_clear(&ce);
		}
		free(v);
	}
	for (size_t i = 0; i < info->tags.n; i++) {
		char *v = tag_to_version(tag_prefix, info->tags.v[i], &canon);
		if (!v)
			continue;
		if (*stat_vers && mod_semver_compare(v, stat_vers) == 0) {
			if (canon) {
				rc = check_canonical(&c, v, out, notexist, e);
				free(v);
				goto out;
			}
			free(pseudo_base);
			pseudo_base = xstrdup(v);
		}
		if (canon && mod_semver_compare(highest ? highest : "", v) < 0 && !retracted(d, r, v) &&
		    (match_path_major(v, r->path_major) || can_use_incompatible(&c, v))) {
			free(highest);
			highest = v;
			v = NULL;
		}
		free(v);
	}
	if (highest) {
		rc = check_canonical(&c, highest, out, notexist, e);
		goto out;
	}
	if (!pseudo_base) {
		char *tag = recent_tag(&c, tag_prefix);
		if (!tag) {
			bool any = false, ne;
			struct err ignore = ERR_INIT;
			char *pv = xasprintf("refs/tags/%sv", tag_prefix);
			if (ghost_load_refs(d, r->g, &ne, &ignore) == 0)
				for (size_t i = 0; i < r->g->refs.n; i++)
					any = any || has_prefix(r->g->refs.v[i].name, pv);
			err_clear(&ignore);
			free(pv);
			if (any && !r->g->fetched_all) {
				if (ghost_fetch_all(d, r->g, e) < 0)
					goto out;
				tag = recent_tag(&c, tag_prefix);
			}
		}
		if (tag)
			pseudo_base = tag_to_version(tag_prefix, tag, &canon);
		free(tag);
	}
	pseudo = pseudo_version(r->pseudo_major, pseudo_base ? pseudo_base : "", info->time, info->short_);
	rc = check_canonical(&c, pseudo, out, notexist, e);
out:
	free(tag_prefix);
	free(highest);
	free(pseudo_base);
	free(pseudo);
	return rc;
}

/* validate_pseudo mirrors validatePseudoVersion. */
static int validate_pseudo(struct mod_direct *d, struct crepo *r, const struct crev *info, const char *version,
                           struct err *e)
{
	char stamp[64], *base = NULL, *tag_prefix = *r->code_dir ? xasprintf("%s/", r->code_dir) : xstrdup("");
	const char *dash = strrchr(version, '-');
	char *rev = xstrndup(dash + 1, strcspn(dash + 1, "+"));
	int rc = -1;

	if (strcmp(rev, info->short_) != 0) {
		if (has_prefix(rev, info->short_))
			err_setf(e, "revision is longer than canonical (expected %s)", info->short_);
		else if (has_prefix(info->short_, rev))
			err_setf(e, "revision is shorter than canonical (expected %s)", info->short_);
		else
			err_setf(e, "does not match short name of revision (expected %s)", info->short_);
		goto wrap;
	}
	fmt_time(info->time, true, stamp, sizeof stamp);
	{
		/* the timestamp is the 14 digits before "-rev" */
		size_t dn = (size_t)(dash - version);
		if (dn < 14 || strncmp(dash - 14, stamp, 14) != 0) {
			err_setf(e, "does not match version-control timestamp (expected %s)", stamp);
			goto wrap;
		}
		/* PseudoVersionBase: the base before the timestamp */
		char *nv = xstrdup(version);
		if (has_suffix(nv, "+incompatible"))
			nv[strlen(nv) - 13] = 0;
		char *bld = mod_semver_build(nv);
		nv[strlen(nv) - strlen(bld)] = 0;
		free(bld);
		/* forms: vX.0.0-STAMP-rev | vX.Y.Z-pre.0.STAMP-rev | vX.Y.(Z+1)-0.STAMP-rev */
		size_t bl = (size_t)(strrchr(nv, '-') - nv) - 14;
		char *head = xstrndup(nv, bl); /* "vX.0.0-" | "vX.Y.Z-pre.0." | "vX.Y.Z-0." */
		if (has_suffix(head, "-0.")) {
			head[strlen(head) - 3] = 0;
			const char *dot = strrchr(head, '.');
			size_t i = (size_t)(dot - head) + 1;
			/* decrement the patch */
			long patch = strtol(head + i, NULL, 10);
			base = patch > 0 ? xasprintf("%.*s%ld", (int)i, head, patch - 1) : xstrdup("");
		} else if (has_suffix(head, ".0.")) {
			head[strlen(head) - 3] = 0;
			base = xstrdup(head);
		} else {
			base = xstrdup("");
		}
		free(head);
		free(nv);
	}
	if (!*base) {
		char *maj = mod_semver_major(version);
		if (!*r->pseudo_major && strcmp(maj, "v1") == 0) {
			free(maj);
			err_setf(e, "major version without preceding tag must be v0, not v1");
			goto wrap;
		}
		free(maj);
		rc = 0;
		goto out;
	}
	for (size_t i = 0; i < info->tags.n; i++) {
		const char *vo = has_prefix(info->tags.v[i], tag_prefix) ? info->tags.v[i] + strlen(tag_prefix) : info->tags.v[i];
		if (strcmp(vo, base) == 0) {
			err_setf(e, "tag (%s) found on revision %s is already canonical, so should not be replaced with a pseudo-version derived from that tag",
			         info->tags.v[i], rev);
			goto wrap;
		}
	}
	{
		char *last = NULL;
		bool anc = false;
		git_oid c;
		git_oid_fromstr(&c, info->name);
		for (size_t i = 0; i < r->g->refs.n && !anc; i++) {
			const char *nm = r->g->refs.v[i].name;
			if (!has_prefix(nm, "refs/tags/") || !has_prefix(nm + 10, tag_prefix))
				continue;
			const char *vo = nm + 10 + strlen(tag_prefix);
			if (!has_prefix(nm + 10 + strlen(tag_prefix), base) || mod_semver_compare(vo, base) != 0)
				continue;
			free(last);
			last = xstrdup(nm + 10);
			git_oid t;
			git_oid_fromstr(&t, r->g->refs.v[i].hash);
			anc = git_oid_equal(&t, &c) || git_graph_descendant_of(r->g->repo, &c, &t) == 1;
		}
		if (!last) {
			err_setf(e, "preceding tag (%s) not found", base);
			goto wrap;
		}
		if (!anc) {
			err_setf(e, "revision %s is not a descendent of preceding tag (%s)", rev, last);
			free(last);
			goto wrap;
		}
		free(last);
	}
	rc = 0;
	goto out;
wrap: {
	char *inner = err_take(e);
	err_setf(e, "%s@%s: invalid pseudo-version: %s", r->mod_path, version, inner);
	free(inner);
}
out:
	free(base);
	free(tag_prefix);
	free(rev);
	return rc;
}

/* origin_json writes convert's Origin for version (stat_vers the version
 * asked for): the tags' sum comes with a pseudo-version, unless it is the
 * v0.0.0 one asked for by name. */
static void origin_json(struct buf *b, struct crepo *r, const struct crev *info, const char *version,
                        const char *stat_vers)
{
	const char *fields[8][2] = {
		{"VCS", "git"}, {"URL", r->g->url}, {"Subdir", r->code_dir}, {"Hash", info->name},
		{"TagPrefix", NULL}, {"TagSum", NULL}, {"Ref", info->ref}, {"RepoSum", NULL},
	};
	char *tp = NULL, *ts = NULL;
	bool first = true;

	if (mod_is_pseudo_version(version) && (strcmp(version, stat_vers) != 0 || !has_prefix(version, "v0.0.0-"))) {
		tp = xasprintf("%s%s%s%s", r->code_dir, *r->code_dir ? "/" : "", *r->path_major ? r->path_major + 1 : "",
		               *r->path_major ? "." : "");
		ts = tag_sum(r->g, tp);
		fields[4][1] = tp;
		fields[5][1] = ts;
	}
	buf_addch(b, '{');
	for (int i = 0; i < 8; i++) {
		if (!fields[i][1] || !fields[i][1][0])
			continue;
		if (!first)
			buf_addch(b, ',');
		first = false;
		json_quote(b, fields[i][0], strlen(fields[i][0]));
		buf_addch(b, ':');
		json_quote(b, fields[i][1], strlen(fields[i][1]));
	}
	buf_addch(b, '}');
	free(tp);
	free(ts);
}

static int lookup(struct mod_direct *d, const char *path, struct crepo **out, bool *notexist, struct err *e)
{
	struct crepo *r = crepo_get(d, path);
	*out = r;
	if (r->err) {
		*notexist = r->notexist;
		return err_setf(e, "%s", r->err);
	}
	return 0;
}

static int stat_rev(struct mod_direct *d, struct crepo *r, const char *rev, struct mod_rev_info *info, bool *notexist,
                    struct err *e)
{
	struct crev ci = {0};
	struct buf o = BUF_INIT;
	char *code_rev = rev_to_rev(r, rev), *v = NULL;
	char t[64];
	int rc = -1;

	if (ghost_stat(d, r->g, code_rev, &ci, notexist, e) < 0) {
		char *inner = err_take(e);
		err_setf(e, "%s@%s: invalid version: %s", r->mod_path, rev, inner);
		free(inner);
		if (*notexist && r->g->refs_done && !r->g->refs_err) {
			/* unknownRevisionInfo */
			char *rs = repo_sum(r->g);
			buf_adds(&o, "{\"VCS\":\"git\",\"URL\":");
			json_quote(&o, r->g->url, strlen(r->g->url));
			buf_adds(&o, ",\"RepoSum\":");
			json_quote(&o, rs, strlen(rs));
			buf_addch(&o, '}');
			info->origin = buf_detach(&o);
			free(rs);
		}
		goto out;
	}
	if (convert(d, r, &ci, rev, &v, notexist, e) < 0 ||
	    (mod_is_pseudo_version(rev) && validate_pseudo(d, r, &ci, rev, e) < 0)) {
		/* convert's deferred Origin comes with the error */
		origin_json(&o, r, &ci, "", rev);
		info->origin = buf_detach(&o);
		free(v);
		v = NULL;
		goto out;
	}
	fmt_time(ci.time, false, t, sizeof t);
	origin_json(&o, r, &ci, v, rev);
	info->version = v;
	v = NULL;
	info->time = xstrdup(t);
	info->origin = buf_detach(&o);
	rc = 0;
out:
	crev_release(&ci);
	buf_release(&o);
	free(code_rev);
	free(v);
	return rc;
}

int mod_direct_stat(struct mod_direct *d, const char *path, const char *rev, struct mod_rev_info *info,
                    bool *notexist, struct err *e)
{
	struct crepo *r;

	*notexist = false;
	memset(info, 0, sizeof *info);
	if (lookup(d, path, &r, notexist, e) < 0)
		return -1;
	if (strcmp(rev, "latest") == 0)
		return mod_direct_latest(d, path, info, notexist, e);
	return stat_rev(d, r, rev, info, notexist, e);
}

int mod_direct_latest(struct mod_direct *d, const char *path, struct mod_rev_info *info, bool *notexist,
                      struct err *e)
{
	struct crepo *r;
	struct crev ci = {0};
	struct buf o = BUF_INIT;
	const char *head;
	char *v = NULL, t[64];
	int rc = -1;

	*notexist = false;
	memset(info, 0, sizeof *info);
	if (lookup(d, path, &r, notexist, e) < 0)
		return -1;
	if (ghost_load_refs(d, r->g, notexist, e) < 0)
		goto out;
	if (!(head = ref_hash(r->g, "HEAD"))) {
		*notexist = true;
		err_setf(e, "no commits");
		goto out;
	}
	{
		char *h = xstrdup(head);
		int sr = ghost_stat(d, r->g, h, &ci, notexist, e);
		free(h);
		if (sr < 0)
			goto out;
	}
	free(ci.ref);
	ci.ref = xstrdup("HEAD");
	if (convert(d, r, &ci, "", &v, notexist, e) < 0)
		goto out;
	fmt_time(ci.time, false, t, sizeof t);
	origin_json(&o, r, &ci, v, "");
	info->version = v;
	v = NULL;
	info->time = xstrdup(t);
	info->origin = buf_detach(&o);
	rc = 0;
out:
	crev_release(&ci);
	buf_release(&o);
	free(v);
	return rc;
}

int mod_direct_versions(struct mod_direct *d, const char *path, const char *prefix, struct strvec *out,
                        bool *notexist, struct err *e)
{
	struct crepo *r;
	*notexist = false;
	if (lookup(d, path, &r, notexist, e) < 0)
		return -1;
	return versions(d, r, prefix, out, notexist, e);
}

static int gomod(struct mod_direct *d, struct crepo *r, const char *version, struct buf *data, bool *notexist,
                 struct err *e)
{
	char *cv = mod_canonical_version(version), *rev = NULL, *dir = NULL;
	bool have;
	int rc = -1;

	if (strcmp(cv, version) != 0) {
		err_setf(e, "version %s is not canonical", version);
		goto out;
	}
	if (mod_is_pseudo_version(version)) {
		struct mod_rev_info ri = {0};
		int sr = stat_rev(d, r, version, &ri, notexist, e);
		mod_rev_info_release(&ri);
		if (sr < 0)
			goto out;
	}
	if (find_dir(d, r, version, &rev, &dir, data, &have, e) < 0) {
		char *inner = err_take(e);
		err_setf(e, "%s@%s: %s", r->mod_path, version, inner);
		free(inner);
		goto out;
	}
	if (!have) {
		struct crev ci = {0};
		char *file = *dir ? xasprintf("%s/go.mod", dir) : xstrdup("go.mod");
		if (ghost_stat(d, r->g, rev, &ci, notexist, e) < 0 ||
		    ghost_read_file(r->g, ci.name, file, data, MOD_MAX_GOMOD) < 0) {
			err_clear(e);
			buf_reset(data);
			buf_adds(data, "module ");
			struct arena a;
			arena_init(&a);
			buf_adds(data, mod_auto_quote(&a, r->mod_path));
			arena_release(&a);
			buf_addch(data, '\n');
		}
		crev_release(&ci);
		free(file);
	}
	rc = 0;
out:
	free(cv);
	free(rev);
	free(dir);
	return rc;
}

int mod_direct_gomod(struct mod_direct *d, const char *path, const char *version, struct buf *data, bool *notexist,
                     struct err *e)
{
	struct crepo *r;
	*notexist = false;
	if (lookup(d, path, &r, notexist, e) < 0)
		return -1;
	return gomod(d, r, version, data, notexist, e);
}

/* ---- the zip (coderepo.Zip, zip.Create) ----------------------------------- */

struct zent {
	char *name;      /* relative to the module root */
	git_oid id;
	unsigned mode;   /* git file mode */
	size_t size;
	const char *data; /* dataFile content, or NULL */
	size_t data_n;
};

struct walk {
	struct ghost *g;
	VEC(struct zent) v;
};

static int walk_cb(const char *root, const git_tree_entry *ent, void *payload)
{
	struct walk *w = payload;
	git_filemode_t m = git_tree_entry_filemode(ent);
	struct zent z = {0};
	git_blob *b = NULL;

	if (m == GIT_FILEMODE_TREE || m == GIT_FILEMODE_COMMIT)
		return 0;
	z.name = xasprintf("%s%s", root, git_tree_entry_name(ent));
	git_oid_cpy(&z.id, git_tree_entry_id(ent));
	z.mode = m;
	if (git_blob_lookup(&b, w->g->repo, &z.id) == 0) {
		z.size = (size_t)git_blob_rawsize(b);
		git_blob_free(b);
	}
	VEC_PUSH(&w->v, z);
	return 0;
}

static void put16(struct buf *b, unsigned v)
{
	buf_addch(b, (char)(v & 0xff));
	buf_addch(b, (char)((v >> 8) & 0xff));
}

static void put32(struct buf *b, uint32_t v)
{
	put16(b, v & 0xffff);
	put16(b, v >> 16);
}

static bool is_vendored(const char *name, const char *vers)
{
	bool new = *vers && tc_version_compare(vers, "1.24") >= 0;
	size_t i;
	if (new && strcmp(name, "vendor/modules.txt") == 0)
		return true;
	if (has_prefix(name, "vendor/")) {
		i = 7;
	} else {
		const char *j = strstr(name, "/vendor/");
		if (!j)
			return false;
		i = new ? (size_t)(j - name) + 8 : 8;
	}
	return strchr(name + i, '/') != NULL;
}

/* go_lang: version.Lang of the root go.mod's go directive, or "". */
static char *go_lang(const char *data, size_t n)
{
	struct arena a;
	struct mod_file *mf = NULL;
	struct err e = ERR_INIT;
	char *res = xstrdup("");

	arena_init(&a);
	if (mod_file_parse(&a, "go.mod", data, n, false, &mf, &e) == 0 && mf->go && mf->go[0]) {
		free(res);
		const char *v = mf->go;
		const char *d1 = strchr(v, '.');
		const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
		res = d2 ? xstrndup(v, (size_t)(d2 - v)) : xstrdup(v);
		/* drop a prerelease: "1.21rc1" -> "1.21" */
		for (char *p = res; *p; p++)
			if (!((*p >= '0' && *p <= '9') || *p == '.')) {
				*p = 0;
				break;
			}
	}
	err_clear(&e);
	arena_release(&a);
	return res;
}

/* write_zip is zip.Create over the entries, into fd. */
static int write_zip(struct mod_direct *d, struct crepo *r, const char *version, struct walk *w, int fd, struct err *e)
{
	struct buf out = BUF_INIT, cdir = BUF_INIT, errs = BUF_INIT, data = BUF_INIT, comp = BUF_INIT;
	struct strvec gomod_dirs = {0};
	char *lang = xstrdup(""), *prefix = xasprintf("%s@%s/", r->mod_path, version);
	uint64_t max = MOD_MAX_ZIP_FILE;
	bool size_err = false;
	size_t nent = 0;
	int rc = -1;

	(void)d;
	for (size_t i = 0; i < w->v.n; i++) {
		const char *p = w->v.v[i].name, *base = strrchr(p, '/');
		base = base ? base + 1 : p;
		if (strcasecmp(base, "go.mod") != 0 || w->v.v[i].mode == GIT_FILEMODE_LINK)
			continue;
		strvec_push_take(&gomod_dirs, xstrndup(p, (size_t)(base - p)));
		if (strcmp(p, "go.mod") == 0) {
			struct buf b = BUF_INIT;
			if (w->v.v[i].data) {
				buf_add(&b, w->v.v[i].data, w->v.v[i].data_n);
			} else {
				git_blob *bl = NULL;
				if (git_blob_lookup(&bl, r->g->repo, &w->v.v[i].id) == 0) {
					buf_add(&b, git_blob_rawcontent(bl), (size_t)git_blob_rawsize(bl));
					git_blob_free(bl);
				}
			}
			free(lang);
			lang = go_lang(b.data ? b.data : "", b.len);
			buf_release(&b);
		}
	}
	for (size_t i = 0; i < w->v.n; i++) {
		struct zent *z = &w->v.v[i];
		const char *p = z->name;
		struct err pe = ERR_INIT;
		bool sub = false;
		if (is_vendored(p, lang))
			continue;
		for (const char *s = strrchr(p, '/'); s && !sub; s = s > p ? memrchr(p, '/', (size_t)(s - p)) : NULL) {
			for (size_t k = 0; k < gomod_dirs.n; k++)
				if (strlen(gomod_dirs.v[k]) == (size_t)(s - p) + 1 && strncmp(gomod_dirs.v[k], p, (size_t)(s - p) + 1) == 0)
					sub = true;
		}
		if (sub || strcmp(p, ".hg_archival.txt") == 0)
			continue;
		if (mod_check_file_path(p, &pe) < 0) {
			buf_printf(&errs, "%s%s: %s", errs.len ? "\n" : "", p, err_msg(&pe));
			err_clear(&pe);
			continue;
		}
		if (strcasecmp(p, "go.mod") == 0 && strcmp(p, "go.mod") != 0) {
			buf_printf(&errs, "%s%s: go.mod files must have lowercase names", errs.len ? "\n" : "", p);
			continue;
		}
		if (z->mode == GIT_FILEMODE_LINK)
			continue;
		if (z->size <= max)
			max -= z->size;
		else
			size_err = true;
		if (strcmp(p, "go.mod") == 0 && z->size > MOD_MAX_GOMOD) {
			buf_printf(&errs, "%s%s: go.mod file too large (max size is %llu bytes)", errs.len ? "\n" : "", p,
			           (unsigned long long)MOD_MAX_GOMOD);
			continue;
		}
		if (strcmp(p, "LICENSE") == 0 && z->size > MOD_MAX_LICENSE) {
			buf_printf(&errs, "%s%s: LICENSE file too large (max size is %llu bytes)", errs.len ? "\n" : "", p,
			           (unsigned long long)MOD_MAX_LICENSE);
			continue;
		}
		/* the entry: local header, deflated data, data descriptor */
		buf_reset(&data);
		if (z->data) {
			buf_add(&data, z->data, z->data_n);
		} else {
			git_blob *bl = NULL;
			if (git_blob_lookup(&bl, r->g->repo, &z->id) < 0) {
				git_fail(e, "create zip");
				goto out;
			}
			buf_add(&data, git_blob_rawcontent(bl), (size_t)git_blob_rawsize(bl));
			git_blob_free(bl);
		}
		uint32_t crc = (uint32_t)crc32(0, (const Bytef *)(data.data ? data.data : ""), (uInt)data.len);
		z_stream zs;
		memset(&zs, 0, sizeof zs);
		if (deflateInit2(&zs, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			BUG("deflateInit2");
		buf_reset(&comp);
		{
			uLong bound = deflateBound(&zs, (uLong)data.len);
			buf_grow(&comp, bound + 16);
			zs.next_in = (Bytef *)(data.data ? data.data : "");
			zs.avail_in = (uInt)data.len;
			zs.next_out = (Bytef *)comp.data;
			zs.avail_out = (uInt)(bound + 16);
			if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
				BUG("deflate");
			comp.len = zs.total_out;
			deflateEnd(&zs);
		}
		char *name = xasprintf("%s%s", prefix, p);
		size_t nn = strlen(name);
		bool utf8 = false;
		for (size_t k = 0; k < nn; k++)
			utf8 = utf8 || (unsigned char)name[k] >= 0x80;
		unsigned flags = 0x8 | (utf8 ? 0x800 : 0);
		uint32_t off = (uint32_t)out.len;
		put32(&out, 0x04034b50);
		put16(&out, 20);
		put16(&out, flags);
		put16(&out, 8);
		put16(&out, 0);
		put16(&out, 0);
		put32(&out, 0);
		put32(&out, 0);
		put32(&out, 0);
		put16(&out, (unsigned)nn);
		put16(&out, 0);
		buf_add(&out, name, nn);
		buf_add(&out, comp.data, comp.len);
		put32(&out, 0x08074b50);
		put32(&out, crc);
		put32(&out, (uint32_t)comp.len);
		put32(&out, (uint32_t)data.len);
		put32(&cdir, 0x02014b50);
		put16(&cdir, 20);
		put16(&cdir, 20);
		put16(&cdir, flags);
		put16(&cdir, 8);
		put16(&cdir, 0);
		put16(&cdir, 0);
		put32(&cdir, crc);
		put32(&cdir, (uint32_t)comp.len);
		put32(&cdir, (uint32_t)data.len);
		put16(&cdir, (unsigned)nn);
		put16(&cdir, 0);
		put16(&cdir, 0);
		put16(&cdir, 0);
		put16(&cdir, 0);
		put32(&cdir, 0);
		put32(&cdir, off);
		buf_add(&cdir, name, nn);
		free(name);
		nent++;
	}
	if (size_err) {
		err_setf(e, "create zip: module source tree too large (max size is %llu bytes)",
		         (unsigned long long)MOD_MAX_ZIP_FILE);
		goto out;
	}
	if (errs.len) {
		err_setf(e, "create zip: %s", buf_cstr(&errs));
		goto out;
	}
	{
		uint32_t coff = (uint32_t)out.len;
		buf_add(&out, cdir.data, cdir.len);
		put32(&out, 0x06054b50);
		put16(&out, 0);
		put16(&out, 0);
		put16(&out, (unsigned)nent);
		put16(&out, (unsigned)nent);
		put32(&out, (uint32_t)cdir.len);
		put32(&out, coff);
		put16(&out, 0);
	}
	if (os_write_all(fd, out.data, out.len) < 0) {
		err_errno(e, "write", "zip");
		goto out;
	}
	rc = 0;
out:
	buf_release(&out);
	buf_release(&cdir);
	buf_release(&errs);
	buf_release(&data);
	buf_release(&comp);
	strvec_clear(&gomod_dirs);
	free(lang);
	free(prefix);
	return rc;
}

int mod_direct_zip(struct mod_direct *d, const char *path, const char *version, int fd, bool *notexist,
                   struct err *e)
{
	struct crepo *r;
	struct crev ci = {0};
	struct walk w = {0};
	struct buf lic = BUF_INIT, gm = BUF_INIT;
	char *cv = NULL, *rev = NULL, *dir = NULL;
	git_commit *c = NULL;
	git_tree *t = NULL, *sub = NULL;
	git_tree_entry *ent = NULL;
	bool have;
	int rc = -1;

	*notexist = false;
	if (lookup(d, path, &r, notexist, e) < 0)
		return -1;
	w.g = r->g;
	cv = mod_canonical_version(version);
	if (strcmp(cv, version) != 0) {
		err_setf(e, "version %s is not canonical", version);
		goto out;
	}
	if (mod_is_pseudo_version(version)) {
		struct mod_rev_info ri = {0};
		int sr = stat_rev(d, r, version, &ri, notexist, e);
		mod_rev_info_release(&ri);
		if (sr < 0)
			goto out;
	}
	if (find_dir(d, r, version, &rev, &dir, &gm, &have, e) < 0) {
		char *inner = err_take(e);
		err_setf(e, "%s@%s: %s", path, version, inner);
		free(inner);
		goto out;
	}
	if (ghost_stat(d, r->g, rev, &ci, notexist, e) < 0)
		goto out;
	if (resolve(r->g, ci.name, &c) < 0 || git_commit_tree(&t, c) < 0) {
		git_fail(e, "git archive");
		goto out;
	}
	if (*dir) {
		if (git_tree_entry_bypath(&ent, t, dir) < 0 || git_tree_entry_type(ent) != GIT_OBJECT_TREE ||
		    git_tree_lookup(&sub, r->g->repo, git_tree_entry_id(ent)) < 0) {
			*notexist = true;
			err_setf(e, "file does not exist");
			goto out;
		}
	}
	if (git_tree_walk(sub ? sub : t, GIT_TREEWALK_PRE, walk_cb, &w) < 0) {
		git_fail(e, "git archive");
		goto out;
	}
	if (*dir) {
		bool lic_found = false;
		for (size_t i = 0; i < w.v.n; i++)
			lic_found = lic_found || strcmp(w.v.v[i].name, "LICENSE") == 0;
		if (!lic_found && ghost_read_file(r->g, ci.name, "LICENSE", &lic, MOD_MAX_LICENSE) == 0) {
			struct zent z = {0};
			z.name = xstrdup("LICENSE");
			z.mode = GIT_FILEMODE_BLOB;
			z.size = lic.len;
			z.data = lic.data ? lic.data : "";
			z.data_n = lic.len;
			VEC_PUSH(&w.v, z);
		}
	}
	rc = write_zip(d, r, version, &w, fd, e);
out:
	for (size_t i = 0; i < w.v.n; i++)
		free(w.v.v[i].name);
	VEC_FREE(&w.v);
	if (sub)
		git_tree_free(sub);
	git_tree_entry_free(ent);
	if (t)
		git_tree_free(t);
	git_commit_free(c);
	crev_release(&ci);
	buf_release(&lic);
	buf_release(&gm);
	free(cv);
	free(rev);
	free(dir);
	return rc;
}

int mod_direct_merge_tags(struct mod_direct *d, const char *path, struct mod_rev_info *info)
{
	struct crepo *r;
	struct err e = ERR_INIT;
	bool ne;
	cJSON *o;
	struct buf b = BUF_INIT;
	char *tp, *ts;
	static const char *const keys[] = {"VCS", "URL", "Subdir", "Hash", "TagPrefix", "TagSum", "Ref", "RepoSum"};

	if (lookup(d, path, &r, &ne, &e) < 0 || ghost_load_refs(d, r->g, &ne, &e) < 0 || !info->origin) {
		err_clear(&e);
		return -1;
	}
	o = cJSON_Parse(info->origin);
	if (!o)
		return -1;
	tp = *r->code_dir ? xasprintf("%s/", r->code_dir) : xstrdup("");
	ts = tag_sum(r->g, tp);
	cJSON_DeleteItemFromObjectCaseSensitive(o, "TagPrefix");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "TagSum");
	cJSON_AddStringToObject(o, "TagPrefix", tp);
	cJSON_AddStringToObject(o, "TagSum", ts);
	buf_addch(&b, '{');
	bool first = true;
	for (size_t i = 0; i < countof(keys); i++) {
		cJSON *f = cJSON_GetObjectItemCaseSensitive(o, keys[i]);
		if (!f || !cJSON_IsString(f) || !f->valuestring[0])
			continue;
		if (!first)
			buf_addch(&b, ',');
		first = false;
		json_quote(&b, keys[i], strlen(keys[i]));
		buf_addch(&b, ':');
		json_quote(&b, f->valuestring, strlen(f->valuestring));
	}
	buf_addch(&b, '}');
	free(info->origin);
	info->origin = buf_detach(&b);
	cJSON_Delete(o);
	free(tp);
	free(ts);
	return 0;
}

/* origin_str is old's string field key, "" when absent. */
static const char *origin_str(const cJSON *old, const char *key)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(old, key);

	return cJSON_IsString(f) && f->valuestring ? f->valuestring : "";
}

int mod_direct_check_reuse(struct mod_direct *d, const char *path, const char *origin, struct err *e)
{
	struct crepo *r;
	cJSON *old;
	bool ne = false;
	int rc = -1;

	if (lookup(d, path, &r, &ne, e) < 0)
		return -1;
	old = origin ? cJSON_Parse(origin) : NULL;
	if (!old)
		return err_setf(e, "missing origin");
	/* gitRepo.CheckReuse(old, codeDir) */
	if (strcmp(origin_str(old, "VCS"), "git") != 0 || strcmp(origin_str(old, "URL"), r->g->url) != 0) {
		err_setf(e, "origin moved from %s %s to git %s", origin_str(old, "VCS"), origin_str(old, "URL"), r->g->url);
		goto out;
	}
	if (strcmp(origin_str(old, "Subdir"), r->code_dir) != 0) {
		err_setf(e, "origin moved from subdirectory %s to %s", origin_str(old, "Subdir"), r->code_dir);
		goto out;
	}
	if (!*origin_str(old, "Hash") && !*origin_str(old, "TagSum") && !*origin_str(old, "RepoSum")) {
		err_setf(e, "non-specific origin");
		goto out;
	}
	if (ghost_load_refs(d, r->g, &ne, e) < 0)
		goto out;
	if (*origin_str(old, "Ref")) {
		const char *h = ref_hash(r->g, origin_str(old, "Ref"));
		if (!h) {
			err_setf(e, "ref %s deleted", origin_str(old, "Ref"));
			goto out;
		}
		if (strcmp(h, origin_str(old, "Hash")) != 0) {
			err_setf(e, "ref %s moved from %s to %s", origin_str(old, "Ref"), origin_str(old, "Hash"), h);
			goto out;
		}
	}
	if (*origin_str(old, "TagSum")) {
		char *ts = tag_sum(r->g, origin_str(old, "TagPrefix"));
		bool same = strcmp(ts, origin_str(old, "TagSum")) == 0;
		free(ts);
		if (!same) {
			err_setf(e, "tags changed");
			goto out;
		}
	}
	if (*origin_str(old, "RepoSum")) {
		char *rs = repo_sum(r->g);
		bool same = strcmp(rs, origin_str(old, "RepoSum")) == 0;
		free(rs);
		if (!same) {
			err_setf(e, "refs changed");
			goto out;
		}
	}
	rc = 0;
out:
	cJSON_Delete(old);
	return rc;
}
