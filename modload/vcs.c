/*
 * VCS stamping of main packages: the vcs, vcs.revision, vcs.time and
 * vcs.modified build settings and (go1.24+) the main module's version
 * derived from the repository, computed through libgit2 instead of the git
 * command.  Mirrors, for go1.26:
 *   cmd/go/internal/load/pkg.go        setBuildInfo (the VCS part), goModPath
 *   cmd/go/internal/vcs/vcs.go         FromDir, gitStatus
 *   cmd/go/internal/modfetch/repo.go   LookupLocal
 *   cmd/go/internal/modfetch/cache.go  cachingRepo.Stat, readDiskStatByHash, writeDiskStat
 *   cmd/go/internal/modfetch/coderepo.go newCodeRepo, convert, findDir, isMajor
 *   cmd/go/internal/modfetch/codehost/git.go statLocal, RecentTag, ReadFile (local mode)
 *   golang.org/x/mod/module PseudoVersion, golang.org/x/mod/modfile ModulePath
 *
 * In local mode go never lists remote refs: the version of a commit comes
 * only from the tags pointing at it and the tags merged into it, and no
 * version can be retracted (the version list of a local repo is empty).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "modload/gitapi.h"
#include "modload/modfile_internal.h"
#include "modload/modload.h"

/* ---- finding the repository (vcs.FromDir) ------------------------------ */

/* One VCS the go command knows, in vcs.vcsList order (hg first). */
struct vcs_kind {
	const char *cmd;      /* the command ("git") */
	const char *name;     /* its display name ("Git") */
	const char *roots[2]; /* names marking a checkout root */
	bool is_dir;          /* whether the root names are directories */
};

static const struct vcs_kind vcs_kinds[] = {
	{"hg", "Mercurial", {".hg", NULL}, true},
	{"git", "Git", {".git", NULL}, true},
	{"svn", "Subversion", {".svn", NULL}, true},
	{"bzr", "Bazaar", {".bzr", NULL}, true},
	{"fossil", "Fossil", {".fslckout", "_FOSSIL_"}, false},
};
#define VCS_GIT (&vcs_kinds[1])

/* vcs_quote returns Go's %q of s (heap). */
static char *vcs_quote(const char *s)
{
	struct buf b = BUF_INIT;

	mod_quote(&b, s, strlen(s));
	return buf_detach(&b);
}

/* vcs_is_root mirrors vcs.isVCSRoot: a root name exists (stat follows
 * symlinks) with the expected kind (directory or not). */
static bool vcs_is_root(const char *dir, const struct vcs_kind *k)
{
	for (size_t i = 0; i < countof(k->roots) && k->roots[i]; i++) {
		char *p = path_join(dir, k->roots[i]);
		struct stat st;
		bool ok = stat(p, &st) == 0 && (S_ISDIR(st.st_mode) != 0) == k->is_dir;
		free(p);
		if (ok)
			return true;
	}
	return false;
}

/* vcs_allow_multiple reports GODEBUG=allowmultiplevcs=1; as in
 * internal/godebug the last setting of a name wins. */
static bool vcs_allow_multiple(void)
{
	const char *s = getenv("GODEBUG");
	const char *key = "allowmultiplevcs=";
	bool on = false;

	while (s && *s) {
		const char *end = strchr(s, ',');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		if (n >= strlen(key) && strncmp(s, key, strlen(key)) == 0)
			on = n == strlen(key) + 1 && s[strlen(key)] == '1';
		s = end ? end + 1 : NULL;
	}
	return on;
}

/*
 * vcs_from_dir mirrors vcs.FromDir(dir, ""): the innermost directory at or
 * above dir holding a VCS root, refusing a second VCS above it (nested git
 * is allowed).  Returns 0 with *repo (heap) and *kind, or -1 with e set;
 * *not_found tells the "not using a known version control system" error
 * (errors.Is(err, os.ErrNotExist) in go) from the others.
 */
static int vcs_from_dir(const char *dir0, char **repo, const struct vcs_kind **kind,
                        bool *not_found, struct err *e)
{
	char *dir = path_clean(dir0), *orig = xstrdup(dir), *q1 = NULL, *q2 = NULL;
	bool allow = vcs_allow_multiple();
	int rc = -1;

	*repo = NULL;
	*kind = NULL;
	*not_found = false;
	for (;;) {
		for (size_t i = 0; i < countof(vcs_kinds); i++) {
			const struct vcs_kind *k = &vcs_kinds[i];
			if (!vcs_is_root(dir, k))
				continue;
			if (!*kind) {
				*kind = k;
				*repo = xstrdup(dir);
				if (allow) {
					rc = 0;
					goto out;
				}
				continue;
			}
			if (*kind == VCS_GIT && k == VCS_GIT)
				continue; /* submodules: git protects itself */
			q1 = vcs_quote(*repo);
			q2 = vcs_quote(dir);
			err_setf(e, "multiple VCS detected: %s in %s, and %s in %s", (*kind)->cmd, q1,
			         k->cmd, q2);
			free(*repo);
			*repo = NULL;
			*kind = NULL;
			goto out;
		}
		char *parent = path_dir(dir);
		if (strlen(parent) >= strlen(dir)) {
			free(parent);
			break;
		}
		free(dir);
		dir = parent;
	}
	if (!*kind) {
		*not_found = true;
		q1 = vcs_quote(orig);
		err_setf(e, "directory %s is not using a known version control system", q1);
		goto out;
	}
	rc = 0;
out:
	free(q1);
	free(q2);
	free(dir);
	free(orig);
	return rc;
}

/* vcs_has_file_path_prefix mirrors cmd/go/internal/str.HasFilePathPrefix
 * on Unix (no volume names). */
static bool vcs_has_file_path_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(s), m = strlen(prefix);

	if (n == m)
		return strcmp(s, prefix) == 0;
	if (m == 0)
		return true;
	if (n > m) {
		if (prefix[m - 1] == '/')
			return strncmp(s, prefix, m) == 0;
		return s[m] == '/' && strncmp(s, prefix, m) == 0;
	}
	return false;
}

/* ---- the repository through libgit2 ------------------------------------ */

/* A tag of the repository with the commit it peels to. */
struct vcs_tag {
	char *name; /* without "refs/tags/" (heap) */
	git_oid commit;
};

/*
 * The state of one git checkout: what `git status --porcelain` and `git log
 * -1 --format=%H:%ct` tell (vcs.gitStatus), plus the tags, loaded once,
 * for the version lookup.  repo is NULL when it could not be opened.
 */
struct vcs_git {
	git_repository *repo;
	bool uncommitted;
	bool have_head;
	git_oid head;
	char hex[GIT_OID_HEXSZ + 1];
	int64_t time;     /* committer time of HEAD, Unix seconds */
	git_tree *tree;   /* HEAD's tree, loaded lazily */
	bool tags_loaded;
	VEC(struct vcs_tag) tags;
};

static void vcs_git_release(struct vcs_git *g)
{
	for (size_t i = 0; i < g->tags.n; i++)
		free(g->tags.v[i].name);
	VEC_FREE(&g->tags);
	/* a tree or repository means libgit2 was loaded */
	if (g->tree)
		git_tree_free(g->tree);
	if (g->repo)
		git_repository_free(g->repo);
	memset(g, 0, sizeof(*g));
}

/* vcs_untracked_shown reports whether `git status` lists untracked files
 * under the repository's status.showUntrackedFiles setting. */
static bool vcs_untracked_shown(git_repository *repo)
{
	git_config *cfg = NULL;
	const char *v = NULL;
	bool shown = true;

	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return true;
	if (git_config_get_string(&v, cfg, "status.showUntrackedFiles") == 0 && v &&
	    (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 || strcmp(v, "off") == 0 ||
	     strcmp(v, "0") == 0))
		shown = false;
	git_config_free(cfg);
	return shown;
}

/*
 * vcs_git_status mirrors vcs.gitStatus for the checkout at root: any
 * `git status --porcelain` output (untracked files included) makes it
 * uncommitted; HEAD gives the revision and committer time.  Failures read
 * as git's exit status 128, which is what go reports for them, except that
 * a missing HEAD is accepted when there are uncommitted files.
 */
static int vcs_git_status(const char *root, struct vcs_git *g, struct err *e)
{
	git_status_list *list = NULL;
	git_status_options so;
	git_commit *commit = NULL;
	int rc = -1;

	memset(g, 0, sizeof(*g));
	if (gitapi_load(e) < 0)
		return -1;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	if (git_repository_open_ext(&g->repo, root, 0, NULL) < 0 || git_repository_is_bare(g->repo)) {
		err_setf(e, "exit status 128");
		goto out;
	}
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = vcs_untracked_shown(g->repo) ? GIT_STATUS_OPT_INCLUDE_UNTRACKED : 0;
	if (git_status_list_new(&list, g->repo, &so) < 0) {
		err_setf(e, "exit status 128");
		goto out;
	}
	g->uncommitted = git_status_list_entrycount(list) > 0;

	if (git_reference_name_to_id(&g->head, g->repo, "HEAD") < 0 ||
	    git_commit_lookup(&commit, g->repo, &g->head) < 0) {
		/* An empty repository: git log fails, fine only with files around. */
		if (!g->uncommitted) {
			err_setf(e, "exit status 128");
			goto out;
		}
		rc = 0;
		goto out;
	}
	g->have_head = true;
	git_oid_tostr(g->hex, sizeof(g->hex), &g->head);
	g->time = (int64_t)git_commit_time(commit);
	rc = 0;
out:
	git_commit_free(commit);
	git_status_list_free(list);
	return rc;
}

/* vcs_git_read mirrors gitRepo.ReadFile at HEAD (`git cat-file blob
 * HASH:file`): 0 with the blob's bytes appended to out (may be NULL), or
 * -1 when there is no such blob. */
static int vcs_git_read(struct vcs_git *g, const char *file, struct buf *out)
{
	git_tree_entry *ent = NULL;
	git_blob *blob = NULL;
	int rc = -1;

	if (!g->tree) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, g->repo, &g->head) < 0)
			return -1;
		int r = git_commit_tree(&g->tree, c);
		git_commit_free(c);
		if (r < 0)
			return -1;
	}
	if (git_tree_entry_bypath(&ent, g->tree, file) < 0)
		goto out;
	if (git_tree_entry_type(ent) != GIT_OBJECT_BLOB)
		goto out;
	if (git_blob_lookup(&blob, g->repo, git_tree_entry_id(ent)) < 0)
		goto out;
	if (out)
		buf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	rc = 0;
out:
	git_blob_free(blob);
	git_tree_entry_free(ent);
	return rc;
}

static int vcs_cmp_tag(const void *a, const void *b)
{
	return strcmp(((const struct vcs_tag *)a)->name, ((const struct vcs_tag *)b)->name);
}

/* vcs_git_load_tags lists the refs under refs/tags/ peeled to commits, sorted by name;
 * tags of trees or blobs are left out as git's decorations and
 * for-each-ref --merged leave them out. */
static void vcs_git_load_tags(struct vcs_git *g)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;

	if (g->tags_loaded)
		return;
	g->tags_loaded = true;
	if (git_reference_iterator_glob_new(&it, g->repo, "refs/tags/*") < 0)
		return;
	while (git_reference_next(&ref, it) == 0) {
		git_object *obj = NULL;
		if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
			struct vcs_tag t;
			t.name = xstrdup(git_reference_name(ref) + strlen("refs/tags/"));
			git_oid_cpy(&t.commit, git_object_id(obj));
			VEC_PUSH(&g->tags, t);
		}
		git_object_free(obj);
		git_reference_free(ref);
		ref = NULL;
	}
	git_reference_iterator_free(it);
	VEC_SORT(&g->tags, vcs_cmp_tag);
}

/* vcs_git_merged reports whether commit c is HEAD or one of its ancestors
 * (`git for-each-ref --merged=HEAD`). */
static bool vcs_git_merged(struct vcs_git *g, const git_oid *c)
{
	return git_oid_equal(c, &g->head) || git_graph_descendant_of(g->repo, &g->head, c) == 1;
}

/* ---- go.mod module lines ------------------------------------------------ */

static bool vcs_is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static struct str vcs_trim(struct str s)
{
	while (s.n > 0 && vcs_is_space((unsigned char)s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && vcs_is_space((unsigned char)s.p[s.n - 1]))
		s.n--;
	return s;
}

/* vcs_modfile_module_path mirrors modfile.ModulePath: the path of the
 * first well-formed module line, or "" (heap). */
static char *vcs_modfile_module_path(const char *data, size_t n)
{
	struct str rest = {data, n};

	while (rest.n > 0) {
		struct str line = rest;
		const char *nl = memchr(rest.p, '\n', rest.n);
		if (nl) {
			line.n = (size_t)(nl - rest.p);
			rest.p = nl + 1;
			rest.n -= line.n + 1;
		} else {
			rest.n = 0;
		}
		for (size_t i = 0; i + 1 < line.n; i++) {
			if (line.p[i] == '/' && line.p[i + 1] == '/') {
				line.n = i;
				break;
			}
		}
		line = vcs_trim(line);
		if (!str_has_prefix(line, "module"))
			continue;
		line.p += strlen("module");
		line.n -= strlen("module");
		size_t before = line.n;
		line = vcs_trim(line);
		if (line.n == before || line.n == 0)
			continue;
		if (line.p[0] == '"' || line.p[0] == '`') {
			struct buf b = BUF_INIT;
			if (mod_unquote(line.p, line.n, &b) < 0) {
				buf_release(&b);
				return xstrdup("");
			}
			return buf_detach(&b);
		}
		return str_dup(line);
	}
	return xstrdup("");
}

/* vcs_gomod_path mirrors load.goModPath: the module path of dir/go.mod,
 * found by a plain search for a "module " line (no comment stripping),
 * or "" (heap). */
static char *vcs_gomod_path(const char *dir)
{
	char *file = path_join(dir, "go.mod"), *res = NULL;
	struct buf b = BUF_INIT;
	struct err e = ERR_INIT;
	const char *line, *end;

	if (os_read_file(file, &b, 0, &e) < 0)
		goto out;
	if (has_prefix(b.data, "module ")) {
		line = b.data;
	} else {
		const char *p = memmem(b.data, b.len, "\nmodule ", strlen("\nmodule "));
		if (!p)
			goto out;
		line = p + 1;
	}
	end = memchr(line, '\n', (size_t)(b.data + b.len - line));
	if (!end)
		end = b.data + b.len;
	if (end > line && end[-1] == '\r')
		end--;
	struct str s = vcs_trim((struct str){line + strlen("module "),
	                                     (size_t)(end - line) - strlen("module ")});
	if (s.n > 0 && s.p[0] == '"') {
		struct buf u = BUF_INIT;
		if (mod_unquote(s.p, s.n, &u) < 0) {
			buf_release(&u);
			goto out;
		}
		res = buf_detach(&u);
		goto out;
	}
	res = str_dup(s);
out:
	if (!res)
		res = xstrdup("");
	err_clear(&e);
	buf_release(&b);
	free(file);
	return res;
}

/* ---- versions (modfetch.codeRepo in local mode) ------------------------- */

/* The module being versioned inside the repository (modfetch.codeRepo). */
struct vcs_coderepo {
	const char *mod_path;
	const char *code_root;
	char *code_dir;     /* module directory inside the repo ("" at the root) */
	char *path_prefix;
	char *path_major;   /* "/v2", ".v1", or "" */
	char *pseudo_major; /* "v2", or "" (v0 or v1) */
	struct vcs_git *g;
};

static void vcs_coderepo_release(struct vcs_coderepo *r)
{
	free(r->code_dir);
	free(r->path_prefix);
	free(r->path_major);
	free(r->pseudo_major);
}

/* vcs_has_path_prefix mirrors modfetch.hasPathPrefix (import paths). */
static bool vcs_has_path_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(s), m = strlen(prefix);

	if (n == m)
		return strcmp(s, prefix) == 0;
	if (m == 0)
		return true;
	if (n > m) {
		if (prefix[m - 1] == '/')
			return strncmp(s, prefix, m) == 0;
		return s[m] == '/' && strncmp(s, prefix, m) == 0;
	}
	return false;
}

/* vcs_path_major_prefix mirrors module.PathMajorPrefix (heap). */
static char *vcs_path_major_prefix(const char *pm)
{
	size_t n = strlen(pm);

	if (n == 0)
		return xstrdup("");
	if (has_prefix(pm, ".v") && has_suffix(pm, "-unstable"))
		n -= strlen("-unstable");
	return xstrndup(pm + 1, n - 1);
}

/* vcs_coderepo_init mirrors modfetch.newCodeRepo(code, codeRoot, "", path);
 * returns -1 where go returns an error (then no version is stamped). */
static int vcs_coderepo_init(struct vcs_coderepo *r, struct vcs_git *g, const char *code_root,
                             const char *path)
{
	memset(r, 0, sizeof(*r));
	r->g = g;
	r->mod_path = path;
	r->code_root = code_root;
	if (!vcs_has_path_prefix(path, code_root))
		return -1;
	if (!mod_split_path_version(path, &r->path_prefix, &r->path_major))
		return -1;
	if (strcmp(code_root, path) == 0) {
		free(r->path_prefix);
		r->path_prefix = xstrdup(path);
	}
	r->pseudo_major = vcs_path_major_prefix(r->path_major);
	if (strcmp(code_root, path) != 0) {
		if (!vcs_has_path_prefix(r->path_prefix, code_root))
			return -1;
		const char *d = r->path_prefix + strlen(code_root);
		size_t n = strlen(d);
		while (n > 0 && d[0] == '/') {
			d++;
			n--;
		}
		while (n > 0 && d[n - 1] == '/')
			n--;
		r->code_dir = xstrndup(d, n);
	} else {
		r->code_dir = xstrdup("");
	}
	return 0;
}

static bool vcs_match_path_major(const char *v, const char *pm)
{
	struct err e = ERR_INIT;
	bool ok = mod_check_path_major(v, pm, &e) == 0;

	err_clear(&e);
	return ok;
}

/* vcs_read_module_path reads file at HEAD: whether it exists, and its
 * modfile.ModulePath in *mpath (heap, "" when missing). */
static bool vcs_read_module_path(struct vcs_git *g, const char *file, char **mpath)
{
	struct buf b = BUF_INIT;
	bool ok = vcs_git_read(g, file, &b) == 0;

	*mpath = ok ? vcs_modfile_module_path(b.data, b.len) : xstrdup("");
	buf_release(&b);
	return ok;
}

/* vcs_is_major mirrors modfetch.isMajor. */
static bool vcs_is_major(const char *mpath, const char *pm)
{
	char *prefix = NULL, *mm = NULL, *pfx = NULL;
	bool res = false;

	if (!*mpath)
		return false;
	if (!mod_split_path_version(mpath, &prefix, &mm))
		goto out;
	if (!*pm) {
		pfx = vcs_path_major_prefix(mm);
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

/*
 * vcs_find_dir mirrors codeRepo.findDir for a version naming HEAD: the
 * module's go.mod must be at codeDir (or codeDir/vN for a /vN path) in the
 * commit and declare a path of the right major version; a repo-root
 * module of v0/v1 may have none.
 */
static bool vcs_find_dir(struct vcs_coderepo *r)
{
	const char *pm = r->path_major;
	char *file1 = path_join(r->code_dir, "go.mod"), *mpath1 = NULL;
	char *dir2 = NULL, *file2 = NULL, *mpath2 = NULL;
	bool res = false;

	bool exists1 = vcs_read_module_path(r->g, file1, &mpath1);
	bool found1 = exists1 && (vcs_is_major(mpath1, pm) ||
	                          (!*pm && has_prefix(mpath1, "gopkg.in/")));
	if (*pm && strcmp(r->code_root, r->mod_path) != 0 && pm[0] != '.') {
		dir2 = path_join(r->code_dir, pm + 1);
		file2 = path_join(dir2, "go.mod");
		bool exists2 = vcs_read_module_path(r->g, file2, &mpath2);
		bool found2 = exists2 && vcs_is_major(mpath2, pm);
		if (found1 && found2)
			goto out;
		if (found2) {
			res = true;
			goto out;
		}
		if (exists2)
			goto out;
	}
	if (found1) {
		res = true;
		goto out;
	}
	if (exists1)
		goto out;
	res = !*r->code_dir && (!*pm || pm[0] == '.');
out:
	free(file1);
	free(mpath1);
	free(dir2);
	free(file2);
	free(mpath2);
	return res;
}

/* vcs_can_use_incompatible mirrors convert's canUseIncompatible for a
 * revision named by hash: only a repo-root v0/v1 module path with no go.mod
 * at the root (nor at vN/ for version v) may take +incompatible tags. */
static bool vcs_can_use_incompatible(struct vcs_coderepo *r, const char *v)
{
	bool ok;

	if (*r->code_dir || *r->path_major)
		return false;
	if (vcs_git_read(r->g, "go.mod", NULL) == 0)
		return false;
	if (v && *v) {
		char *major = mod_semver_major(v);
		char *file = path_join(major, "go.mod");
		ok = vcs_git_read(r->g, file, NULL) < 0;
		free(file);
		free(major);
		if (!ok)
			return false;
	}
	return true;
}

/* vcs_check_canonical mirrors convert's checkCanonical for a version of
 * HEAD: the final version (heap, "+incompatible" added when due) or NULL
 * where go reports an error. */
static char *vcs_check_canonical(struct vcs_coderepo *r, const char *v)
{
	if (!vcs_find_dir(r))
		return NULL;
	if (!vcs_match_path_major(v, r->path_major)) {
		if (vcs_can_use_incompatible(r, v))
			return xasprintf("%s+incompatible", v);
		return NULL;
	}
	return xstrdup(v);
}

/* vcs_tag_to_version mirrors convert's tagToVersion: the canonical version
 * a tag names under the module's tag prefix (heap), or NULL. */
static char *vcs_tag_to_version(const char *tag_prefix, const char *tag, bool *canonical)
{
	const char *trimmed;
	char *v;

	*canonical = false;
	if (!has_prefix(tag, tag_prefix))
		return NULL;
	trimmed = tag + strlen(tag_prefix);
	if (mod_is_pseudo_version(tag))
		return NULL;
	v = mod_semver_canonical(trimmed);
	if (!*v || !has_prefix(trimmed, v)) {
		free(v);
		return NULL;
	}
	*canonical = strcmp(v, trimmed) == 0;
	return v;
}

/* vcs_tag_allowed mirrors convert's tagAllowed (nothing is retracted in a
 * local repository). */
static bool vcs_tag_allowed(struct vcs_coderepo *r, const char *tag_prefix, const char *tag)
{
	bool canon, ok;
	char *v = vcs_tag_to_version(tag_prefix, tag, &canon);

	if (!v)
		return false;
	ok = vcs_match_path_major(v, r->path_major) || vcs_can_use_incompatible(r, v);
	free(v);
	return ok;
}

/* vcs_inc_decimal mirrors module's incDecimal on a string of digits (heap). */
static char *vcs_inc_decimal(const char *d, size_t n)
{
	char *s = xmalloc(n + 2);
	size_t i = n;

	memcpy(s, d, n);
	s[n] = '\0';
	while (i > 0 && s[i - 1] == '9') {
		s[i - 1] = '0';
		i--;
	}
	if (i > 0) {
		s[i - 1]++;
	} else {
		s[0] = '1';
		s[n] = '0';
		s[n + 1] = '\0';
	}
	return s;
}

/* vcs_time_format formats Unix seconds t in UTC as RFC 3339 ("2006-01-02T15:04:05Z",
 * what time.RFC3339Nano gives for whole seconds) or, compact, as
 * module.PseudoVersionTimestampFormat ("20060102150405"). */
static void vcs_time_format(int64_t t, bool compact, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	out[0] = '\0';
	if (!gmtime_r(&tt, &tm))
		return;
	if (compact)
		snprintf(out, n, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	else
		snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* vcs_pseudo_version mirrors module.PseudoVersion(major, older, t, rev)
 * (heap). */
static char *vcs_pseudo_version(const char *major, const char *older, int64_t t, const char *rev)
{
	char stamp[64], *build, *canon, *pre, *res;

	vcs_time_format(t, true, stamp, sizeof(stamp));
	if (!*major)
		major = "v0";
	build = mod_semver_build(older);
	canon = mod_semver_canonical(older);
	if (!*canon) {
		res = xasprintf("%s.0.0-%s-%s", major, stamp, rev);
		goto out;
	}
	pre = mod_semver_prerelease(canon);
	if (*pre) {
		res = xasprintf("%s.0.%s-%s%s", canon, stamp, rev, build);
		free(pre);
		goto out;
	}
	free(pre);
	{
		const char *dot = strrchr(canon, '.');
		size_t i = (size_t)(dot - canon) + 1;
		char *patch = vcs_inc_decimal(canon + i, strlen(canon + i));
		res = xasprintf("%.*s%s-0.%s-%s%s", (int)i, canon, patch, stamp, rev, build);
		free(patch);
	}
out:
	free(build);
	free(canon);
	return res;
}

/*
 * vcs_convert mirrors codeRepo.convert(info, statVers = the full hash) in
 * local mode: the highest canonical tag on HEAD usable for the module,
 * else a pseudo-version based on the highest allowed tag merged into HEAD.
 * Returns the version (heap) or NULL where go's Stat fails.
 */
static char *vcs_convert(struct vcs_coderepo *r)
{
	struct vcs_git *g = r->g;
	char *tag_prefix = *r->code_dir ? xasprintf("%s/", r->code_dir) : xstrdup("");
	char *highest = xstrdup(""), *base = NULL, *pseudo = NULL, *res = NULL;
	char short_rev[13];

	vcs_git_load_tags(g);
	for (size_t i = 0; i < g->tags.n; i++) {
		bool canon;
		if (!git_oid_equal(&g->tags.v[i].commit, &g->head))
			continue;
		char *v = vcs_tag_to_version(tag_prefix, g->tags.v[i].name, &canon);
		if (v && canon && mod_semver_compare(highest, v) < 0 &&
		    (vcs_match_path_major(v, r->path_major) || vcs_can_use_incompatible(r, v))) {
			free(highest);
			highest = v;
			v = NULL;
		}
		free(v);
	}
	if (*highest) {
		res = vcs_check_canonical(r, highest);
		goto out;
	}

	/* codehost gitRepo.RecentTag: the highest allowed tag merged into HEAD,
	 * compared by the version after the prefix. */
	const char *best = NULL;
	for (size_t i = 0; i < g->tags.n; i++) {
		const char *name = g->tags.v[i].name;
		if (!has_prefix(name, tag_prefix) || !vcs_tag_allowed(r, tag_prefix, name))
			continue;
		if (!vcs_git_merged(g, &g->tags.v[i].commit))
			continue;
		if (mod_semver_compare(name + strlen(tag_prefix),
		                       best ? best + strlen(tag_prefix) : "") > 0)
			best = name;
	}
	if (best) {
		bool canon;
		base = vcs_tag_to_version(tag_prefix, best, &canon);
	}
	memcpy(short_rev, g->hex, 12);
	short_rev[12] = '\0';
	pseudo = vcs_pseudo_version(r->pseudo_major, base ? base : "", g->time, short_rev);
	res = vcs_check_canonical(r, pseudo);
out:
	free(tag_prefix);
	free(highest);
	free(base);
	free(pseudo);
	return res;
}

/* ---- the module cache's .info files (modfetch/cache.go) ----------------- */

/* vcs_cache_dir mirrors modfetch.cacheDir (with checkCacheDir, which
 * creates GOMODCACHE when missing): the @v directory (heap) or NULL. */
static char *vcs_cache_dir(const char *gomodcache, const char *path)
{
	struct err e = ERR_INIT;
	char *enc = NULL, *sub = NULL, *dir = NULL;
	struct stat st;

	if (!gomodcache || !*gomodcache || !path_is_abs(gomodcache))
		return NULL;
	if (stat(gomodcache, &st) < 0) {
		if (errno != ENOENT || os_mkdir_all(gomodcache, 0777, &e) < 0)
			goto out;
	} else if (!S_ISDIR(st.st_mode)) {
		goto out;
	}
	if (mod_escape_path(path, &enc, &e) < 0)
		goto out;
	sub = xasprintf("cache/download/%s/@v", enc);
	dir = path_join(gomodcache, sub);
out:
	err_clear(&e);
	free(enc);
	free(sub);
	return dir;
}

/* vcs_cache_path mirrors modfetch.CachePath(path@v, "info"): NULL for a
 * version that is not canonical semver. */
static char *vcs_cache_path(const char *gomodcache, const char *path, const char *v)
{
	struct err e = ERR_INIT;
	char *dir = NULL, *enc = NULL, *canon = NULL, *res = NULL, *name = NULL;
	bool canonical;

	if (!mod_semver_is_valid(v))
		return NULL;
	/* module.CanonicalVersion keeps a "+incompatible" build suffix. */
	canon = mod_semver_canonical(v);
	canonical = strcmp(canon, v) == 0 ||
	            (has_suffix(v, "+incompatible") &&
	             strlen(v) == strlen(canon) + strlen("+incompatible") &&
	             strncmp(v, canon, strlen(canon)) == 0);
	if (!canonical)
		goto out;
	dir = vcs_cache_dir(gomodcache, path);
	if (!dir)
		goto out;
	if (mod_escape_version(v, &enc, &e) < 0)
		goto out;
	name = xasprintf("%s.info", enc);
	res = path_join(dir, name);
out:
	err_clear(&e);
	free(dir);
	free(enc);
	free(canon);
	free(name);
	return res;
}

/* vcs_read_info reads a .info file's Version as json.Unmarshal into a
 * RevInfo would (field names match case-insensitively); -1 when the file
 * is missing or does not decode. */
static int vcs_read_info(const char *file, char **version)
{
	struct buf b = BUF_INIT;
	struct err e = ERR_INIT;
	cJSON *js = NULL, *it;
	int rc = -1;

	*version = NULL;
	if (os_read_file(file, &b, 0, &e) < 0)
		goto out;
	js = cJSON_ParseWithLength(b.data, b.len);
	if (!js || !cJSON_IsObject(js))
		goto out;
	cJSON_ArrayForEach(it, js) {
		if (!it->string)
			continue;
		if (strcasecmp(it->string, "Version") == 0) {
			if (cJSON_IsNull(it))
				continue;
			if (!cJSON_IsString(it))
				goto out;
			free(*version);
			*version = xstrdup(it->valuestring);
		} else if (strcasecmp(it->string, "Time") == 0) {
			if (!cJSON_IsNull(it) && !cJSON_IsString(it))
				goto out;
		} else if (strcasecmp(it->string, "Origin") == 0) {
			if (!cJSON_IsNull(it) && !cJSON_IsObject(it))
				goto out;
		}
	}
	if (!*version)
		*version = xstrdup("");
	rc = 0;
out:
	if (rc < 0) {
		free(*version);
		*version = NULL;
	}
	cJSON_Delete(js);
	err_clear(&e);
	buf_release(&b);
	return rc;
}

/*
 * vcs_cached_by_hash mirrors readDiskStatByHash, which go consults only
 * with GOPROXY=off: the highest cached pseudo-version of the module whose
 * revision is rev's first 12 digits.  So a tag added after a first build
 * of the same commit is not seen.  Returns the version (heap) or NULL.
 */
static char *vcs_cached_by_hash(const char *gomodcache, const char *path, const char *rev)
{
	struct strvec names = {0};
	struct err e = ERR_INIT;
	char *dir = vcs_cache_dir(gomodcache, path), *suffix = NULL, *max = NULL, *res = NULL;

	if (!dir || strlen(rev) < 12)
		goto out;
	if (os_readdir(dir, &names, &e) < 0)
		goto out;
	suffix = xasprintf("-%.12s.info", rev);
	for (size_t i = 0; i < names.n; i++) {
		const char *name = names.v[i];
		if (!has_suffix(name, suffix))
			continue;
		char *v = xstrndup(name, strlen(name) - strlen(".info"));
		if (mod_is_pseudo_version(v) && mod_semver_compare(v, max ? max : "") > 0) {
			free(max);
			max = v;
			v = NULL;
			/* As in go, the result is that of the last maximum read. */
			free(res);
			res = NULL;
			char *file = vcs_cache_path(gomodcache, path, max);
			if (file && vcs_read_info(file, &res) < 0)
				res = NULL;
			free(file);
		}
		free(v);
	}
out:
	err_clear(&e);
	strvec_clear(&names);
	free(dir);
	free(suffix);
	free(max);
	return res;
}

/* vcs_write_info mirrors writeDiskStat for a version resolved from the
 * local repository: {"Version","Time","Origin":{VCS,Subdir,Hash}}. */
static void vcs_write_info(const char *gomodcache, struct vcs_coderepo *r, const char *version)
{
	char *file = vcs_cache_path(gomodcache, r->mod_path, version), *dir = NULL;
	char stamp[64];
	struct buf b = BUF_INIT;
	struct err e = ERR_INIT;

	if (!file)
		goto out;
	vcs_time_format(r->g->time, false, stamp, sizeof(stamp));
	buf_adds(&b, "{\"Version\":");
	json_quote(&b, version, strlen(version));
	buf_adds(&b, ",\"Time\":");
	json_quote(&b, stamp, strlen(stamp));
	buf_adds(&b, ",\"Origin\":{\"VCS\":\"git\"");
	if (*r->code_dir) {
		buf_adds(&b, ",\"Subdir\":");
		json_quote(&b, r->code_dir, strlen(r->code_dir));
	}
	buf_adds(&b, ",\"Hash\":");
	json_quote(&b, r->g->hex, strlen(r->g->hex));
	buf_adds(&b, "}}");
	dir = path_dir(file);
	if (os_mkdir_all(dir, 0777, &e) < 0 ||
	    os_write_file_atomic(file, b.data, b.len, 0666, &e) < 0)
		fprintf(stderr, "%s: writing stat cache: %s\n", prog_name, err_msg(&e));
out:
	err_clear(&e);
	buf_release(&b);
	free(dir);
	free(file);
}

/*
 * vcs_main_version mirrors the end of setBuildInfo: the version of the
 * main module at HEAD through LookupLocal(codeRoot, modPath, repoDir).Stat
 * (cachingRepo first), or NULL to keep "(devel)".
 */
static char *vcs_main_version(struct vcs_git *g, const char *repo_dir, const char *mod_path,
                              const char *gomodcache, const char *goproxy)
{
	char *root_path = vcs_gomod_path(repo_dir), *code_root = NULL, *major = NULL;
	char *v = NULL;
	struct vcs_coderepo r;

	memset(&r, 0, sizeof(r));
	if (!*root_path || !g->have_head)
		goto out;
	if (!mod_split_path_version(root_path, &code_root, &major))
		goto out;
	if (vcs_coderepo_init(&r, g, code_root, mod_path) < 0)
		goto out;
	/* cachingRepo.Stat reaches checkCacheDir first, which creates a
	 * missing GOMODCACHE whatever the outcome. */
	free(vcs_cache_dir(gomodcache, mod_path));
	if (goproxy && strcmp(goproxy, "off") == 0) {
		v = vcs_cached_by_hash(gomodcache, mod_path, g->hex);
		if (v)
			goto out;
	}
	v = vcs_convert(&r);
	if (v)
		vcs_write_info(gomodcache, &r, v);
out:
	vcs_coderepo_release(&r);
	free(root_path);
	free(code_root);
	free(major);
	return v;
}

/* ---- setBuildInfo's VCS part -------------------------------------------- */

static int vcs_error(struct err *e, const char *why)
{
	return err_setf(e, "error obtaining VCS status: %s\n\tUse -buildvcs=false to disable VCS stamping.",
	                why);
}

int mod_vcs_stamp_proxy(struct arena *a, const char *mode, const char *cwd, const char *pkg_dir,
                        const char *mod_path, const char *mod_root, const char *gomodcache,
                        const char *goproxy, struct mod_vcs_stamp *out, struct err *e)
{
	struct err e2 = ERR_INIT;
	char *repo_dir = NULL, *pkg_repo = NULL, *mod_repo = NULL, *root = NULL;
	char *tool = NULL, *q1 = NULL, *q2 = NULL, *version = NULL;
	const struct vcs_kind *kind = NULL, *k2 = NULL;
	struct vcs_git g;
	bool not_found, auto_mode = strcmp(mode, "auto") == 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&g, 0, sizeof(g));
	if (strcmp(mode, "false") == 0) {
		rc = 0;
		goto out;
	}
	root = path_clean(mod_root);
	if (vcs_from_dir(cwd, &repo_dir, &kind, &not_found, &e2) < 0) {
		if (!not_found) {
			vcs_error(e, err_msg(&e2));
			goto out;
		}
		rc = 0; /* no repository around cwd: nothing to stamp */
		goto out;
	}
	if (!vcs_has_file_path_prefix(root, repo_dir) && !vcs_has_file_path_prefix(repo_dir, root)) {
		rc = 0;
		goto out;
	}
	tool = proc_lookpath(kind->cmd);
	if (auto_mode && !tool) {
		/* -buildvcs=auto drops the stamp when the VCS tool is missing. */
		rc = 0;
		goto out;
	}

	/* The package and the module must be in cwd's repository. */
	if (vcs_from_dir(pkg_dir, &pkg_repo, &k2, &not_found, &e2) < 0) {
		vcs_error(e, err_msg(&e2));
		goto out;
	}
	if (strcmp(pkg_repo, repo_dir) != 0) {
		if (auto_mode) {
			rc = 0;
			goto out;
		}
		q1 = vcs_quote(pkg_repo);
		q2 = vcs_quote(repo_dir);
		err_setf(&e2, "main package is in repository %s but current directory is in repository %s",
		         q1, q2);
		vcs_error(e, err_msg(&e2));
		goto out;
	}
	if (vcs_from_dir(root, &mod_repo, &k2, &not_found, &e2) < 0) {
		vcs_error(e, err_msg(&e2));
		goto out;
	}
	if (strcmp(mod_repo, repo_dir) != 0) {
		if (auto_mode) {
			rc = 0;
			goto out;
		}
		q1 = vcs_quote(mod_repo);
		q2 = vcs_quote(repo_dir);
		err_setf(&e2, "main module is in repository %s but current directory is in repository %s",
		         q1, q2);
		vcs_error(e, err_msg(&e2));
		goto out;
	}

	if (!tool) {
		/* -buildvcs=true: go's run1 reports the missing command. */
		fprintf(stderr, "%s: missing %s command. See https://golang.org/s/gogetcmd\n", prog_name,
		        kind->name);
		err_setf(&e2, "exec: \"%s\": executable file not found in $PATH", kind->cmd);
		vcs_error(e, err_msg(&e2));
		goto out;
	}
	if (kind != VCS_GIT) {
		/* Never a silently wrong stamp: go would run this tool. */
		err_setf(&e2, "VCS stamping for %s is not supported by %s yet", kind->cmd, prog_name);
		vcs_error(e, err_msg(&e2));
		goto out;
	}
	if (vcs_git_status(repo_dir, &g, &e2) < 0) {
		vcs_error(e, err_msg(&e2));
		goto out;
	}

	out->vcs = "git";
	out->modified = g.uncommitted;
	out->revision = g.have_head ? arena_strdup(a, g.hex) : "";
	if (g.have_head) {
		char stamp[64];
		vcs_time_format(g.time, false, stamp, sizeof(stamp));
		out->time = arena_strdup(a, stamp);
	} else {
		out->time = "";
	}
	version = vcs_main_version(&g, repo_dir, mod_path, gomodcache, goproxy);
	if (version && *version) {
		/* SemVer build metadata is dot-separated after +incompatible. */
		out->version = arena_printf(a, "%s%s", version,
		                            !g.uncommitted ? ""
		                            : has_suffix(version, "+incompatible") ? ".dirty"
		                                                                     : "+dirty");
	}
	rc = 0;
out:
	vcs_git_release(&g);
	err_clear(&e2);
	free(repo_dir);
	free(pkg_repo);
	free(mod_repo);
	free(root);
	free(tool);
	free(q1);
	free(q2);
	free(version);
	return rc;
}

int mod_vcs_stamp(struct arena *a, const char *mode, const char *cwd, const char *pkg_dir,
                  const char *mod_path, const char *mod_root, const char *gomodcache,
                  struct mod_vcs_stamp *out, struct err *e)
{
	return mod_vcs_stamp_proxy(a, mode, cwd, pkg_dir, mod_path, mod_root, gomodcache,
	                           getenv("GOPROXY"), out, e);
}
