/*
 * go get in module mode (cmd/go/internal/modget, go1.26): the queries of
 * the command line resolved to module versions, the requirements edited
 * to select exactly those (edit.c), missing imports of the named
 * packages added, the packages checked, and go.mod and go.sum written
 * with go's report of what changed.
 *
 * Arguments are module or package paths, each with an optional version
 * query (@v1.2.3, @latest, @upgrade, @patch, @<v1.3, a revision, @none),
 * and the go and toolchain pseudo-modules (go@1.22, toolchain@none),
 * whose versions come from golang.org/toolchain's version list
 * (query.c's toolchain repo); a go line newer than the running
 * toolchain asks the caller to switch (mod_get_opts.too_new).  The
 * meta-patterns "all" (every package in all upgraded: performPatternAllQueries),
 * "tool" (the main module's tools) and "work" (the main module's
 * packages); -tool adds or drops tool lines (updateTools).
 * Local patterns may have "..." anywhere (./x/.../y, ./a...).
 * In a workspace, go get edits the module around the current directory:
 * imports the workspace's modules provide are not resolved, the final
 * check loads the workspace (EnterWorkspace) with that module's go.mod as
 * it will be written, and go.work's go line follows the module's.
 * Not yet: std and cmd (refused with an error before anything is read or
 * written).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "modload/requirements.h"

/* A pathSet: the modules that may provide one path of a query. */
struct pathset {
	const char *path;
	struct mod_version *pkg_mods; /* modules holding package path */
	size_t npkg;
	struct mod_version mod;       /* the module path itself, or path "" */
	const char *err;              /* the query's error, or NULL */
	bool err_nosuch;              /* err is isNoSuchPackageVersion's */
	const char *too_new;          /* err is a TooNewError: the go version it needs */
	const char *too_new_what;     /* ... and its What */
};

struct query {
	const char *raw, *raw_version, *pattern, *version;
	struct load_strs load_paths;  /* the packages a local pattern names, or pattern */
	bool local;
	bool wild;                    /* a path pattern with "..." (not local) */
	bool meta;                    /* "all", "tool" or "work" */
	struct map seen;              /* pathOnce's paths */
	struct {
		struct mod_version *v;
		size_t n, cap;
	} resolved;                   /* the module versions resolved for it */
	bool matches_packages;
	struct query *conflict;
	VEC(struct pathset) cands;
};

struct queryvec {
	struct query **v;
	size_t n, cap;
};

struct vreason {
	const char *version;
	struct query *reason;
};

struct resolver {
	struct load_state *ld;
	struct arena *a;
	const struct mod_get_opts *o;
	struct mod_reqs *rs;          /* loaderstate.requirements */
	struct map initial;           /* path -> version: the build list at the start */
	struct map blv;               /* path -> version: the current build list */
	struct mod_version *bl;
	size_t nbl;
	struct map resolved;          /* path -> struct vreason * */
	VEC(const char *) resolved_paths; /* resolved's keys, first-resolved order */
	struct map nones;             /* path -> struct query * (@none) */
	struct queryvec wild_nones;   /* wildcard @none queries */
	struct mod_fetch *f;
	struct mod_query_source src;  /* the fetcher's proxies, replacementRepo for replaced paths */
	struct mod_allow allow;
	struct map zips;              /* "path version": zips checked this run */
	struct map matches;           /* "pattern\npath@version" -> struct match * */
	struct mod_get_pkgs loaded;   /* the last package load */
	bool have_loaded;
	struct mod_write_opts wopts;  /* toolchain@none, toolchain@v, -tool */
	/* the go.work around the current directory (loadWorkspace), or NULL,
	 * and its modules (path and root) */
	const char *gowork;
	VEC(struct mod_version) ws;   /* {module path, root directory} */
	bool in_ws;                   /* the main module is one of them (EnterWorkspace) */
	struct mod_file *ws_oldf;     /* the go.mod EnterWorkspace updated, for reportChanges */
};

static const char *mv_str(struct arena *a, struct mod_version m)
{
	return *m.version ? arena_printf(a, "%s@%s", m.path, m.version) : m.path;
}

static const char *quote(struct arena *a, const char *s)
{
	struct buf b = BUF_INIT;
	const char *r;

	mod_strconv_quote(&b, s);
	r = arena_strdup(a, b.data ? b.data : "\"\"");
	buf_release(&b);
	return r;
}

static bool is_toolchain_path(const char *p)
{
	return strcmp(p, "go") == 0 || strcmp(p, "toolchain") == 0;
}

static bool path_once(struct resolver *r, struct query *q, const char *path)
{
	if (map_has(&q->seen, path))
		return false;
	map_put(&q->seen, arena_strdup(r->a, path), (void *)1);
	return true;
}

/* matches_path is query.matchesPath. */
static bool matches_path(const struct query *q, const char *path)
{
	if (q->wild && !is_toolchain_path(path))
		return load_pattern_match(q->pattern, path);
	return strcmp(path, q->pattern) == 0;
}

/* can_match_in_module is query.canMatchInModule. */
static bool can_match_in_module(const struct query *q, const char *mpath)
{
	size_t n = strlen(mpath);

	if (is_toolchain_path(mpath))
		return false;
	if (q->wild)
		return load_pattern_tree_can_match(q->pattern, mpath);
	return strncmp(q->pattern, mpath, n) == 0 && (q->pattern[n] == 0 || q->pattern[n] == '/');
}

static const char *initial_selected(struct resolver *r, const char *path)
{
	const char *v = map_get(&r->initial, path);
	return v ? v : "none";
}

static const char *selected(struct resolver *r, const char *path)
{
	const char *v = map_get(&r->blv, path);
	return v ? v : "none";
}

/* ---- reportError ------------------------------------------------------------ */

/* bounded_in reports whether s occurs in text with a character of before
 * (or a line start) ahead and one of after (or a line end) behind. */
static bool bounded_in(const char *text, const char *s, const char *before, const char *after)
{
	size_t n = strlen(s);

	if (!n)
		return false;
	for (const char *p = strstr(text, s); p; p = strstr(p + 1, s)) {
		bool b = p == text || p[-1] == '\n' || strchr(before, p[-1]);
		bool e = p[n] == 0 || p[n] == '\n' || strchr(after, p[n]);
		if (b && e)
			return true;
	}
	return false;
}

static void report_error(struct query *q, const char *err)
{
	if (bounded_in(err, q->pattern, " \t(\"`", " @:;)\"`")) {
		if (!*q->raw_version || bounded_in(err, q->version, " @(\"`", " :;)\"`")) {
			base_errorf("%s", err);
			return;
		}
	}
	if (*q->raw)
		base_errorf("%s: %s", q->raw, err);
	else
		base_errorf("%s", err);
}

static const char *resolved_string(struct arena *a, const struct query *q, struct mod_version m)
{
	if (strcmp(m.path, q->pattern) != 0) {
		if (strcmp(m.version, q->version) != 0)
			return arena_printf(a, "%s (matching %s@%s)", mv_str(a, m), q->pattern, q->version);
		return arena_printf(a, "%s (matching %s)", mv_str(a, m), q->raw);
	}
	if (strcmp(m.version, q->version) != 0)
		return arena_printf(a, "%s@%s (%s)", q->pattern, q->version, m.version);
	return q->raw;
}

/* ---- queries ------------------------------------------------------------------ */

struct allowed_ctx {
	struct resolver *r;
	const char *requested;
	bool initial;                 /* selected is initialSelected, else the current one */
};

/* allowed_or is checkAllowedOr. */
static int allowed_or(void *ctx, const char *path, const char *version, unsigned *kind, struct err *e)
{
	struct allowed_ctx *c = ctx;
	const char *sel;

	if (strcmp(version, c->requested) == 0)
		return mod_check_exclusions(&c->r->allow, path, version, kind, e);
	sel = c->initial ? initial_selected(c->r, path) : selected(c->r, path);
	if ((strcmp(c->requested, "upgrade") == 0 || strcmp(c->requested, "patch") == 0) && strcmp(version, sel) == 0)
		return 0;
	return mod_check_allowed(&c->r->allow, path, version, kind, e);
}

/* A queryPrefixModules result for one candidate module path. */
struct qres {
	struct mod_version m;
	bool has_pkg;
	const char *err;
	unsigned kind;                /* MOD_QERR_* of err; nopkg: PackageNotInModuleError */
	bool nopkg;
	const char *too_new, *too_new_what; /* err is a TooNewError */
};

static void note_zip(struct resolver *r, struct mod_version m)
{
	struct mod_version a = load_module_actual(r->ld, m);

	if (*a.version)
		map_put(&r->zips, arena_printf(r->a, "%s %s", a.path, a.version), (void *)1);
}

/* gomod_go is gover.GoModLookup(data, "go"): the first go line's
 * version without a // comment, or "" (arena). */
static const char *gomod_go(struct arena *a, const char *data)
{
	for (const char *p = data; *p;) {
		size_t n = strcspn(p, "\n"), i = 0;
		const char *line = p;
		p += n + (p[n] ? 1 : 0);
		while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
			i++;
		if (n - i > 2 && strncmp(line + i, "go", 2) == 0 && (line[i + 2] == ' ' || line[i + 2] == '\t')) {
			size_t b = i + 2, e;
			const char *c;
			while (b < n && (line[b] == ' ' || line[b] == '\t'))
				b++;
			e = n;
			if ((c = strstr(line + b, "//")) && c < line + n)
				e = (size_t)(c - line);
			while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\t' || line[e - 1] == '\r'))
				e--;
			return arena_strndup(a, line + b, e - b);
		}
	}
	return "";
}

/* get_fetch_root is fetch(m) without reading m's go.mod: the directory
 * of a directory replacement, else the actual module downloaded.  A
 * downloaded go.mod whose go line is above the local toolchain is
 * Download's TooNewError (*too_new: the version, when not NULL). */
static int get_fetch_root(struct resolver *r, struct mod_version m, const char **root, bool *is_local,
                          const char **too_new, struct err *e)
{
	struct mod_version a = load_module_actual(r->ld, m);

	*is_local = false;
	if (!*a.version) {
		char *d = path_is_abs(a.path) ? path_clean(a.path) : path_join(r->ld->mains.v[0]->dir, a.path);
		*root = arena_strdup(r->a, d);
		free(d);
		*is_local = true;
		return 0;
	}
	if (load_fetch_download(r->ld, a.path, a.version, root, e) < 0) {
		/* module.VersionError keeps an error that already is m's ModuleError */
		if (has_prefix(err_msg(e), arena_printf(r->a, "%s@%s: ", m.path, m.version)))
			return -1;
		return err_wrapf(e, "%s@%s", m.path, m.version);
	}
	{
		char *gm = path_join(*root, "go.mod");
		struct buf data = BUF_INIT;
		struct err ig = ERR_INIT;
		const char *v = os_read_file(gm, &data, 0, &ig) == 0 ? gomod_go(r->a, buf_cstr(&data)) : "";
		int rc = 0;
		err_clear(&ig);
		buf_release(&data);
		free(gm);
		if (*v && tc_version_compare(v, r->ld->cfg->tc.gover) > 0) {
			char *msg = tc_too_new_error(arena_printf(r->a, "%s@%s", a.path, a.version), v, r->ld->cfg->tc.gover);
			rc = err_setf(e, "%s", msg);
			free(msg);
			if (too_new) {
				too_new[0] = v;
				too_new[1] = arena_printf(r->a, "%s@%s", a.path, a.version);
			}
		}
		return rc;
	}
}

/* A MatchInModule answer. */
struct match {
	struct load_strs pkgs;
	const char *err;
};

/* match_in_module is MatchInModule(pattern, m) with AnyTags: the packages
 * of module m (downloaded) matching pattern. */
static const struct match *match_in_module(struct resolver *r, const char *pattern, struct mod_version m)
{
	const char *k = arena_printf(r->a, "%s\n%s@%s", pattern, m.path, m.version);
	struct match *res = map_get(&r->matches, k);
	struct load_strs all = {0};
	const char *root;
	bool is_local = true;
	struct err e = ERR_INIT;

	if (res)
		return res;
	res = arena_new(r->a, struct match);
	map_put(&r->matches, k, res);
	if (mod_reqs_is_main(r->ld, (struct mod_version){m.path, ""}) && !*m.version) {
		root = r->ld->mains.v[0]->dir;
	} else if (get_fetch_root(r, m, &root, &is_local, NULL, &e) < 0) {
		res->err = arena_strdup(r->a, err_msg(&e));
		err_clear(&e);
		return res;
	} else if (!is_local) {
		note_zip(r, m);
	}
	mod_module_packages(r->ld, root, root, m.path, &all);
	for (size_t i = 0; i < all.n; i++)
		if (strstr(pattern, "...") ? load_pattern_match(pattern, all.v[i]) : strcmp(pattern, all.v[i]) == 0)
			load_strs_push(r->a, &res->pkgs, all.v[i]);
	return res;
}

/* main_pkgs_error is QueryMatchesPackagesInMainModuleError. */
static const char *main_pkgs_error(struct resolver *r, const char *pattern, const char *query,
                                   const struct load_strs *pkgs)
{
	if (pkgs->n > 1)
		return arena_printf(r->a, "pattern %s matches %zu packages in the main module, so can't request version %s",
		                    pattern, pkgs->n, query);
	if (strstr(pattern, "..."))
		return arena_printf(r->a, "pattern %s matches package %s in the main module, so can't request version %s",
		                    pattern, pkgs->v[0], query);
	return arena_printf(r->a, "package %s is in the main module, so can't request version %s", pkgs->v[0], query);
}

/* query_module_in_pattern is QueryPattern's queryModule for a literal
 * pattern: path's version for query, fetched, and whether it holds the
 * package. */
static void query_candidate(struct resolver *r, const char *pattern, const char *query, const char *path,
                            bool initial, struct qres *res)
{
	struct load_state *ld = r->ld;
	struct allowed_ctx ac = {r, query, initial};
	struct mod_rev_info info = {0};
	struct err e = ERR_INIT;
	const char *cur = initial ? initial_selected(r, path) : selected(r, path);
	const char *root, *tn[2] = {NULL, NULL};
	bool is_local = false, has_go = false;
	char *d;

	memset(res, 0, sizeof *res);
	res->m.path = path;
	res->m.version = "";
	if (strcmp(cur, "none") == 0)
		cur = "";
	if (mod_query(&r->src, path, query, cur, allowed_or, &ac, &info, &res->kind, &e) < 0) {
		res->err = arena_strdup(r->a, err_msg(&e));
		goto out;
	}
	res->m.version = arena_strdup(r->a, info.version);
	if (is_toolchain_path(path))
		goto out; /* no packages, nothing to fetch */
	if (get_fetch_root(r, res->m, &root, &is_local, tn, &e) < 0) {
		res->err = arena_strdup(r->a, err_msg(&e));
		res->too_new = tn[0];
		res->too_new_what = tn[1];
		res->kind = mod_fetch_notexist(r->f) ? MOD_QERR_NOTEXIST : 0;
		goto out;
	}
	if (!is_local)
		note_zip(r, res->m);
	if (strstr(pattern, "...")) {
		const struct match *mm = match_in_module(r, pattern, res->m);
		if (mm->err && mm->pkgs.n == 0 && !load_pattern_match(pattern, path)) {
			res->err = mm->err;
			goto out;
		}
		has_go = mm->pkgs.n > 0;
	} else {
		d = load_dir_in_module(ld, pattern, path, root, is_local, &has_go);
		free(d);
	}
	res->has_pkg = has_go;
	if (!has_go && !(strstr(pattern, "...") ? load_pattern_match(pattern, path) : strcmp(pattern, path) == 0)) {
		const struct mod_replace *rep = load_module_replacement(ld, res->m);
		const char *found = "";
		if (rep) {
			const char *rv = rep->new.version && *rep->new.version
			                     ? arena_printf(r->a, "%s@%s", rep->new.path, rep->new.version)
			                     : rep->new.path;
			found = strcmp(query, res->m.version) == 0 ? arena_printf(r->a, " (replaced by %s)", rv)
			                                             : arena_printf(r->a, " (%s, replaced by %s)", res->m.version, rv);
		} else if (strcmp(query, res->m.version) != 0) {
			found = arena_printf(r->a, " (%s)", res->m.version);
		}
		res->err = arena_printf(r->a, "module %s@%s found%s, but does not contain %s %s", path, query, found,
		                        strstr(pattern, "...") ? "packages matching" : "package", pattern);
		res->nopkg = true;
	}
out:
	err_clear(&e);
	mod_rev_info_release(&info);
}

/* query_pattern is QueryPattern for a literal (non-wildcard) pattern:
 * the modules holding package pattern, the module named pattern, or the
 * error queryPrefixModules ranks first. */
static const char *main_modules_error(struct resolver *r, const struct query *q, const char *mainpath);

static void query_pattern(struct resolver *r, const char *pattern, const char *query, bool initial,
                          struct pathset *ps)
{
	struct load_state *ld = r->ld;
	struct load_module *main = ld->mains.v[0];
	bool upgrade = strcmp(query, "upgrade") == 0 || strcmp(query, "patch") == 0;
	bool wild = strstr(pattern, "...") != NULL;
	bool matches_main = wild ? load_pattern_match(pattern, main->path) : strcmp(main->path, pattern) == 0;
	VEC(const char *) cands = {0};
	VEC(struct mod_version) found = {0};
	struct qres *res;
	char *prefix;

	memset(ps, 0, sizeof *ps);
	ps->mod.path = ps->mod.version = "";
	{
		bool has_go = false;
		struct load_strs one = {0};
		const struct load_strs *pkgs = &one;
		if (wild) {
			const struct match *mm = match_in_module(r, pattern, (struct mod_version){main->path, ""});
			pkgs = &mm->pkgs;
			has_go = pkgs->n > 0;
		} else {
			char *d = load_dir_in_module(ld, pattern, main->path, main->dir, true, &has_go);
			free(d);
			load_strs_push(r->a, &one, pattern);
		}
		if (has_go) {
			if (!upgrade) {
				ps->err = main_pkgs_error(r, pattern, query, pkgs);
				return;
			}
			ps->pkg_mods = arena_new(r->a, struct mod_version);
			ps->pkg_mods[0] = (struct mod_version){main->path, ""};
			ps->npkg = 1;
			return;
		}
	}
	if (upgrade && matches_main)
		ps->mod = (struct mod_version){main->path, ""};
	/* modulePrefixesExcludingTarget */
	if (wild) {
		const char *dots = strstr(pattern, "...");
		char *head = xstrndup(pattern, (size_t)(dots - pattern) + 3);
		char *sl = strrchr(head, '/');
		if (!sl) {
			free(head);
			ps->err = arena_printf(r->a, "no modules to query for %s@%s because first path element contains a wildcard",
			                       pattern, query);
			return;
		}
		*sl = 0;
		prefix = head;
	} else {
		prefix = xstrdup(pattern);
	}
	for (;;) {
		char *pre = NULL, *major = NULL, *sl;
		if (strcmp(prefix, main->path) != 0 && mod_split_path_version(prefix, &pre, &major))
			VEC_PUSH(&cands, arena_strdup(r->a, prefix));
		free(pre);
		free(major);
		if (!(sl = strrchr(prefix, '/')))
			break;
		*sl = 0;
	}
	free(prefix);
	if (cands.n == 0) {
		if (ps->mod.path[0]) {
		} else if (matches_main) {
			ps->err = arena_printf(r->a, "can't request version %s of the main module (%s)", quote(r->a, query),
			                       pattern);
		} else {
			ps->err = arena_printf(r->a, "module @%s found (), but does not contain %s %s", query,
			                       wild ? "packages matching" : "package", pattern);
		}
		VEC_FREE(&cands);
		return;
	}
	res = arena_alloc(r->a, cands.n * sizeof *res);
	for (size_t i = 0; i < cands.n; i++)
		query_candidate(r, pattern, query, cands.v[i], initial, &res[i]);
	{
		const char *err = NULL, *nopkg = NULL, *novers = NULL, *nopatch = NULL, *badpath = NULL, *notexist = NULL;
		bool any = false;
		for (size_t i = 0; i < cands.n; i++) {
			struct qres *q = &res[i];
			if (!q->err) {
				any = true;
				if (q->has_pkg)
					VEC_PUSH(&found, q->m);
				else
					ps->mod = q->m; /* modOnly */
			} else if (q->nopkg) {
				if (!nopkg)
					nopkg = q->err;
			} else if (q->kind & MOD_QERR_NOMATCH) {
				if (!novers)
					novers = q->err;
			} else if (strstr(q->err, "no existing version is required")) {
				if (!nopatch)
					nopatch = q->err; /* NoPatchBaseError */
			} else if (strstr(q->err, "malformed module path")) {
				if (!badpath)
					badpath = q->err; /* module.InvalidPathError */
			} else if (q->kind & MOD_QERR_NOTEXIST) {
				if (!notexist)
					notexist = q->err;
			} else if (!err && !any && !nopkg) {
				err = q->err;
				ps->too_new = q->too_new;
				ps->too_new_what = q->too_new_what;
			}
		}
		if (!err)
			ps->too_new = ps->too_new_what = NULL;
		if (err) {
			ps->err = err;
			ps->mod.path = ps->mod.version = "";
			found.n = 0;
		} else if (!any && !ps->mod.path[0]) {
			ps->err = nopkg ? nopkg : novers ? novers : nopatch ? nopatch : badpath ? badpath : notexist;
			ps->err_nosuch = nopkg || novers || (!nopatch && !badpath);
			/* QueryMatchesMainModulesError: the pattern names the main
			 * module, and no shorter prefix is a module */
			if (matches_main && ps->err == notexist)
				ps->err = main_modules_error(r, &(struct query){.pattern = pattern, .version = query},
				                             main->path);
		}
	}
	if (found.n) {
		ps->pkg_mods = arena_alloc(r->a, found.n * sizeof *ps->pkg_mods);
		memcpy(ps->pkg_mods, found.v, found.n * sizeof *ps->pkg_mods);
		ps->npkg = found.n;
	}
	VEC_FREE(&found);
	VEC_FREE(&cands);
}

static bool std_has_package(struct resolver *r, const char *path)
{
	const char *slash = strchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : strlen(path);
	char *dir;
	bool has_go = false;

	if (memchr(path, '.', n))
		return false; /* not a standard import path */
	/* GOROOT/src/cmd is a module of its own (matchPackages walks it) */
	if (n == 3 && strncmp(path, "cmd", 3) == 0)
		dir = load_dir_in_module(r->ld, path, "cmd", r->ld->goroot_src_cmd, true, &has_go);
	else
		dir = load_dir_in_module(r->ld, path, "", r->ld->goroot_src, true, &has_go);
	free(dir);
	return has_go;
}

static void add_candidate(struct query *q, struct pathset ps, const char *path)
{
	if (ps.npkg == 0 && !ps.mod.path[0] && !ps.err)
		return;
	ps.path = path;
	VEC_PUSH(&q->cands, ps);
}

/* query_local is performLocalQueries for a directory of the main module,
 * or a tree of them (dir/...). */
static void query_local(struct resolver *r, struct query *q)
{
	struct load_module *main = r->ld->mains.v[0];
	struct pathset ps;
	const char *dots = strstr(q->pattern, "...");
	/* a tree (dir/...) is walked from dir; "..." elsewhere is matched
	 * against every package of the module (DirImportPath's pattern) */
	bool tree = dots && dots == q->pattern + strlen(q->pattern) - 3 && has_suffix(q->pattern, "/...");
	bool inner = dots && !tree;
	bool wild = tree;
	char *base = tree ? xstrndup(q->pattern, strlen(q->pattern) - 3) : xstrdup(q->pattern);
	char *abs = path_is_abs(base) ? path_clean(*base ? base : ".") : path_join(r->ld->cwd, *base ? base : ".");
	char *full = path_join(r->ld->cwd, q->pattern);
	const char *detail = path_is_abs(q->pattern) ? "" : arena_printf(r->a, " (%s)", full);
	const char *ipath = NULL;
	size_t n = strlen(main->dir);

	memset(&ps, 0, sizeof ps);
	ps.mod.path = ps.mod.version = "";
	if (strcmp(abs, main->dir) == 0)
		ipath = main->path;
	else if (strncmp(abs, main->dir, n) == 0 && abs[n] == '/')
		ipath = arena_printf(r->a, "%s/%s", main->path, abs + n + 1);
	if (!ipath) {
		ps.err = arena_printf(r->a, "%s%s is not within module rooted at %s", q->pattern, detail, main->dir);
		goto out;
	}
	if (inner) {
		struct load_strs all = {0};
		mod_module_packages(r->ld, main->dir, main->dir, main->path, &all);
		for (size_t i = 0; i < all.n; i++)
			if (load_pattern_match(ipath, all.v[i]))
				load_strs_push(r->a, &q->load_paths, all.v[i]);
		if (q->load_paths.n == 0) {
			fflush(stdout);
			fprintf(stderr, "%s: warning: %s matched no packages\n", prog_name, quote(r->a, ipath));
			goto out;
		}
	} else if (wild) {
		mod_module_packages(r->ld, main->dir, abs, ipath, &q->load_paths);
		if (q->load_paths.n == 0) {
			fflush(stdout);
			fprintf(stderr, "%s: warning: %s matched no packages\n", prog_name,
			        quote(r->a, arena_printf(r->a, "%s/...", ipath)));
			goto out;
		}
	} else {
		bool has_go = false;
		char *d = load_dir_in_module(r->ld, ipath, main->path, main->dir, true, &has_go);
		free(d);
		if (!has_go) {
			if (!*q->raw || strcmp(q->raw, ".") == 0)
				ps.err = "no package to get in current directory";
			else
				ps.err = arena_printf(r->a, "%s%s is not a package in module rooted at %s", q->pattern, detail,
				                      main->dir);
			goto out;
		}
		load_strs_push(r->a, &q->load_paths, ipath);
	}
	ps.pkg_mods = arena_new(r->a, struct mod_version);
	ps.pkg_mods[0] = (struct mod_version){main->path, ""};
	ps.npkg = 1;
out:
	free(full);
	free(base);
	free(abs);
	add_candidate(q, ps, q->pattern);
}

static void query_path(struct resolver *r, struct query *q)
{
	struct pathset ps;

	if (strcmp(q->version, "none") == 0) {
		memset(&ps, 0, sizeof ps);
		ps.mod.path = ps.mod.version = "";
		if (mod_reqs_is_main(r->ld, (struct mod_version){q->pattern, ""}))
			ps.err = arena_printf(r->a, "can't request version %s of the main module (%s)", quote(r->a, q->version),
			                      q->pattern);
		else
			ps.mod = (struct mod_version){q->pattern, "none"};
		add_candidate(q, ps, q->pattern);
		return;
	}
	if (std_has_package(r, q->pattern)) {
		if (*q->raw_version) {
			memset(&ps, 0, sizeof ps);
			ps.mod.path = ps.mod.version = "";
			ps.err = arena_printf(r->a, "can't request explicit version %s of standard library package %s",
			                      quote(r->a, q->version), q->pattern);
			add_candidate(q, ps, q->pattern);
			return;
		}
		q->matches_packages = true;
		return;
	}
	query_pattern(r, q->pattern, q->version, true, &ps);
	add_candidate(q, ps, q->pattern);
}

static bool none_for_path(struct resolver *r, const char *path)
{
	if (map_has(&r->nones, path))
		return true;
	for (size_t i = 0; i < r->wild_nones.n; i++)
		if (matches_path(r->wild_nones.v[i], path))
			return true;
	return false;
}

static struct pathset empty_set(void)
{
	struct pathset ps;

	memset(&ps, 0, sizeof ps);
	ps.mod.path = ps.mod.version = "";
	return ps;
}

static struct pathset err_set(const char *err)
{
	struct pathset ps = empty_set();

	ps.err = err;
	return ps;
}

/* try_wildcard is tryWildcard: m's packages matching q, or m itself. */
static struct pathset try_wildcard(struct resolver *r, struct query *q, struct mod_version m)
{
	const struct match *mm = match_in_module(r, q->pattern, m);
	struct pathset ps = empty_set();

	if (mm->err && mm->pkgs.n == 0)
		return err_set(mm->err);
	if (mm->pkgs.n > 0) {
		ps.pkg_mods = arena_new(r->a, struct mod_version);
		ps.pkg_mods[0] = m;
		ps.npkg = 1;
	} else if (matches_path(q, m.path)) {
		ps.mod = m;
	}
	return ps;
}

/* query_module is resolver.queryModule against the initial build list. */
static int query_module(struct resolver *r, const char *path, const char *query, struct mod_version *m,
                        unsigned *kind, const char **err)
{
	struct allowed_ctx ac = {r, query, true};
	struct mod_rev_info info = {0};
	struct err e = ERR_INIT;
	const char *cur = initial_selected(r, path);
	int rc = 0;

	*kind = 0;
	if (strcmp(cur, "none") == 0)
		cur = "";
	if (mod_query(&r->src, path, query, cur, allowed_or, &ac, &info, kind, &e) < 0) {
		*err = arena_strdup(r->a, err_msg(&e));
		rc = -1;
	} else {
		m->path = path;
		m->version = arena_strdup(r->a, info.version);
	}
	err_clear(&e);
	mod_rev_info_release(&info);
	return rc;
}

static const char *main_modules_error(struct resolver *r, const struct query *q, const char *mainpath)
{
	if (mod_reqs_is_main(r->ld, (struct mod_version){q->pattern, ""}))
		return arena_printf(r->a, "can't request version %s of the main module (%s)", quote(r->a, q->version),
		                    q->pattern);
	return arena_printf(r->a, "can't request version %s of pattern %s that includes the main module (%s)",
	                    quote(r->a, q->version), quote(r->a, q->pattern), mainpath);
}

/* query_wildcard is queryWildcard (and queryNone for a wildcard): each
 * module of the current build list that may hold matching packages. */
static void query_wildcard(struct resolver *r, struct query *q)
{
	for (size_t i = 0; i < r->nbl; i++) {
		struct mod_version cur = r->bl[i], m;
		bool is_main = mod_reqs_is_main(r->ld, (struct mod_version){cur.path, ""});
		struct pathset ps = empty_set();
		const char *err;
		unsigned kind;

		if (strcmp(q->version, "none") == 0) {
			if (!matches_path(q, cur.path) || !path_once(r, q, cur.path))
				continue;
			if (is_main && !*cur.version)
				ps = err_set(main_modules_error(r, q, cur.path));
			else
				ps.mod = (struct mod_version){cur.path, "none"};
			add_candidate(q, ps, cur.path);
			continue;
		}
		if (!can_match_in_module(q, cur.path) || !path_once(r, q, cur.path))
			continue;
		if (none_for_path(r, cur.path)) {
			/* nothing */
		} else if (is_main && strcmp(q->version, "upgrade") != 0 && strcmp(q->version, "patch") != 0) {
			if (matches_path(q, cur.path)) {
				ps = err_set(main_modules_error(r, q, cur.path));
			} else {
				const struct match *mm = match_in_module(r, q->pattern, cur);
				if (mm->err && mm->pkgs.n == 0)
					ps = err_set(mm->err);
				else if (mm->pkgs.n > 0)
					ps = err_set(main_pkgs_error(r, q->pattern, q->version, &mm->pkgs));
				else
					ps = try_wildcard(r, q, cur);
			}
		} else if (query_module(r, cur.path, q->version, &m, &kind, &err) < 0) {
			if (!(kind & (MOD_QERR_NOTEXIST | MOD_QERR_NOMATCH)))
				ps = err_set(err);
		} else {
			ps = try_wildcard(r, q, m);
		}
		add_candidate(q, ps, cur.path);
	}
}

static void load_pkgs(struct resolver *r, const struct load_strs *patterns, bool all, bool allow_errors,
                      struct map *imports);

/* ws_has_package is workspace.hasPackage (PkgIsInLocalModule): a module of
 * the workspace holds Go files for path. */
static bool ws_has_package(struct resolver *r, const char *path)
{
	for (size_t i = 0; i < r->ws.n; i++) {
		size_t n = strlen(r->ws.v[i].path);
		bool has_go = false;
		char *d;
		if (strncmp(path, r->ws.v[i].path, n) != 0 || (path[n] && path[n] != '/'))
			continue;
		d = load_dir_in_module(r->ld, path, r->ws.v[i].path, r->ws.v[i].version, true, &has_go);
		free(d);
		if (has_go)
			return true;
	}
	return false;
}

/* query_packages_set is queryPackages (QueryPackages) as a pathSet: the
 * modules holding package path at query, or the error; a module found
 * without the package is PackageNotInModuleError. */
static struct pathset query_packages_set(struct resolver *r, const char *path, const char *query)
{
	struct pathset ps;

	query_pattern(r, path, query, true, &ps);
	if (ps.npkg == 0 && !ps.err && ps.mod.path[0]) {
		const struct mod_replace *rep = load_module_replacement(r->ld, ps.mod);
		const char *found = "";
		if (rep) {
			const char *rv = rep->new.version && *rep->new.version
			                     ? arena_printf(r->a, "%s@%s", rep->new.path, rep->new.version)
			                     : rep->new.path;
			found = strcmp(query, ps.mod.version) == 0 ? arena_printf(r->a, " (replaced by %s)", rv)
			                                             : arena_printf(r->a, " (%s, replaced by %s)", ps.mod.version, rv);
		} else if (strcmp(query, ps.mod.version) != 0) {
			found = arena_printf(r->a, " (%s)", ps.mod.version);
		}
		ps.err = arena_printf(r->a, "module %s@%s found%s, but does not contain package %s", ps.mod.path, query,
		                      found, path);
	}
	ps.mod.path = ps.mod.version = "";
	return ps;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* query_tool is performToolQueries: each tool of the main module as a
 * package query (in path order: go ranges over a map). */
static void query_tool(struct resolver *r, struct query *q)
{
	const struct mod_file *f = r->ld->mains.v[0]->file;
	const char **tools;
	size_t n = f ? f->tools.n : 0;

	if (!n)
		return;
	tools = arena_alloc(r->a, n * sizeof *tools);
	for (size_t i = 0; i < n; i++)
		tools[i] = f->tools.v[i];
	qsort(tools, n, sizeof *tools, cmp_cstr);
	for (size_t i = 0; i < n; i++)
		if (path_once(r, q, tools[i]))
			add_candidate(q, query_packages_set(r, tools[i], q->version), tools[i]);
}

/* query_work is performWorkQueries: the main module, when it has packages. */
static void query_work(struct resolver *r, struct query *q)
{
	struct load_module *main = r->ld->mains.v[0];
	struct pathset ps = empty_set();

	if (!path_once(r, q, q->pattern))
		return;
	mod_module_packages(r->ld, main->dir, main->dir, main->path, &q->load_paths);
	if (q->load_paths.n == 0) {
		fflush(stdout);
		fprintf(stderr, "%s: warning: \"work\" matched no packages\n", prog_name);
		return;
	}
	ps.pkg_mods = arena_new(r->a, struct mod_version);
	ps.pkg_mods[0] = (struct mod_version){main->path, ""};
	ps.npkg = 1;
	add_candidate(q, ps, q->pattern);
}

/* find_all is performPatternAllQueries' findPackage: a candidate set for
 * path in each "all" query not yet asked about it; false when some other
 * module than m (path "": none) might provide it. */
static bool find_all(struct resolver *r, struct query **qs, size_t nq, const char *path, struct mod_version m)
{
	bool ok = true;

	for (size_t i = 0; i < nq; i++) {
		struct query *q = qs[i];
		struct pathset ps;
		if (!q->meta || strcmp(q->pattern, "all") != 0 || !path_once(r, q, path))
			continue;
		ps = query_packages_set(r, path, q->version);
		if (ps.npkg != 1 || strcmp(ps.pkg_mods[0].path, m.path) != 0 ||
		    strcmp(ps.pkg_mods[0].version, m.version) != 0)
			ok = false;
		add_candidate(q, ps, path);
	}
	return ok;
}

static int cmp_pathset(const void *a, const void *b)
{
	return strcmp(((const struct pathset *)a)->path, ((const struct pathset *)b)->path);
}

/* query_all is performPatternAllQueries: the packages in "all" loaded, as
 * far as their modules cannot change (AllowPackage's errVersionChange
 * stops the walk below a package), each one a candidate set, and the
 * missing imports too. */
static void query_all(struct resolver *r, struct query **qs, size_t nq)
{
	VEC(const char *) work = {0};
	struct map seen, byp, imports;
	bool any = false;

	for (size_t i = 0; i < nq; i++)
		any = any || (qs[i]->meta && strcmp(qs[i]->pattern, "all") == 0);
	if (!any)
		return;
	load_pkgs(r, NULL, true, false, &imports);
	map_init(&seen);
	map_init(&byp);
	for (size_t i = 0; i < r->loaded.n; i++) {
		struct mod_lpkg *p = r->loaded.v[i];
		if (p->test_of)
			continue;
		map_put(&byp, p->path, p);
		if ((p->flags & MOD_PKG_IS_ROOT) && !map_has(&seen, p->path)) {
			map_put(&seen, p->path, (void *)1);
			VEC_PUSH(&work, p->path);
		}
	}
	for (size_t k = 0; k < work.n; k++) {
		const struct mod_lpkg *p = map_get(&byp, work.v[k]);
		const struct load_strs *imps;
		bool follow = true;
		if (!p)
			continue;
		if (*p->dir && p->mod.path[0] && *p->mod.version)
			follow = find_all(r, qs, nq, p->path, p->mod);
		else if (p->err && (p->err_missing || p->err_ambiguous) && !p->err_missing_std &&
		         !ws_has_package(r, p->path))
			find_all(r, qs, nq, p->path, (struct mod_version){"", ""});
		if (!follow || !(imps = map_get(&imports, p->path)))
			continue;
		for (size_t j = 0; j < imps->n; j++)
			if (!map_has(&seen, imps->v[j])) {
				map_put(&seen, imps->v[j], (void *)1);
				VEC_PUSH(&work, imps->v[j]);
			}
	}
	map_release(&seen);
	map_release(&byp);
	map_release(&imports);
	VEC_FREE(&work);
	for (size_t i = 0; i < nq; i++)
		if (qs[i]->meta && strcmp(qs[i]->pattern, "all") == 0 && qs[i]->cands.n > 1)
			qsort(qs[i]->cands.v, qs[i]->cands.n, sizeof *qs[i]->cands.v, cmp_pathset);
}

/* find_missing_wildcards is findMissingWildcards. */
static void find_missing_wildcards(struct resolver *r, struct query **qs, size_t nq)
{
	for (size_t i = 0; i < nq; i++) {
		struct query *q = qs[i];
		struct pathset ps;
		if (!q->wild || strcmp(q->version, "none") == 0 || q->matches_packages || !path_once(r, q, q->pattern))
			continue;
		query_pattern(r, q->pattern, q->version, true, &ps);
		if (ps.err && ps.err_nosuch && q->resolved.n > 0)
			continue;
		if (ps.err) {
			ps.npkg = 0;
			ps.mod.path = ps.mod.version = "";
		}
		add_candidate(q, ps, q->pattern);
	}
}

/* check_wildcard_versions is checkWildcardVersions. */
static void check_wildcard_versions(struct resolver *r, struct query **qs, size_t nq)
{
	for (size_t i = 0; i < nq; i++) {
		struct query *q = qs[i];
		if (!q->wild)
			continue;
		for (size_t j = 0; j < r->nbl; j++) {
			struct mod_version cur = r->bl[j], rev;
			const char *err;
			unsigned kind;
			if (!can_match_in_module(q, cur.path))
				continue;
			if (!matches_path(q, cur.path)) {
				const struct match *mm = match_in_module(r, q->pattern, cur);
				if (mm->pkgs.n == 0) {
					if (mm->err)
						report_error(q, mm->err);
					continue;
				}
			}
			if (query_module(r, cur.path, q->version, &rev, &kind, &err) < 0) {
				report_error(q, err);
				continue;
			}
			if (strcmp(rev.version, cur.version) == 0)
				continue;
			if (!matches_path(q, cur.path)) {
				const struct match *mm = match_in_module(r, q->pattern, rev);
				if (mm->err && mm->pkgs.n == 0) {
					report_error(q, mm->err);
					continue;
				}
				if (mm->pkgs.n == 0) {
					const char *ver = strcmp(rev.version, q->version) != 0
					                      ? arena_printf(r->a, "%s@%s (%s)", rev.path, q->version, rev.version)
					                      : mv_str(r->a, rev);
					report_error(q, arena_printf(r->a,
					                             "%s matches packages in %s but not %s: specify a different version for module %s",
					                             q->raw, mv_str(r->a, cur), ver, rev.path));
					continue;
				}
			}
			report_error(q, arena_printf(r->a, "internal error: selected %s instead of %s", mv_str(r->a, cur),
			                             rev.version));
		}
	}
	if (base_exit_status())
		base_exit(base_exit_status());
}

/* expand_query appends the packages q names to pats: a wildcard matched
 * in every module of the build list that may hold matches (LoadPackages'
 * matchPackages), the tools for "tool", the main module's packages for
 * "work"; "all" sets *all instead. */
static void expand_query(struct resolver *r, const struct query *q, struct load_strs *pats, bool *all)
{
	if (q->meta && strcmp(q->pattern, "all") == 0) {
		*all = true;
		return;
	}
	if (q->meta && strcmp(q->pattern, "tool") == 0) {
		const struct mod_file *f = r->ld->mains.v[0]->file;
		for (size_t j = 0; f && j < f->tools.n; j++)
			if (!load_strs_contains(pats, f->tools.v[j]))
				load_strs_push(r->a, pats, f->tools.v[j]);
		return;
	}
	if (!q->wild) {
		for (size_t j = 0; j < q->load_paths.n; j++)
			if (!load_strs_contains(pats, q->load_paths.v[j]))
				load_strs_push(r->a, pats, q->load_paths.v[j]);
		return;
	}
	for (size_t i = 0; i < r->nbl; i++) {
		const struct match *mm;
		if (!load_pattern_tree_can_match(q->pattern, r->bl[i].path) || is_toolchain_path(r->bl[i].path))
			continue;
		mm = match_in_module(r, q->pattern, r->bl[i]);
		for (size_t j = 0; j < mm->pkgs.n; j++)
			if (!load_strs_contains(pats, mm->pkgs.v[j]))
				load_strs_push(r->a, pats, mm->pkgs.v[j]);
	}
}

/* ---- resolving ---------------------------------------------------------------- */



/* disambiguate: *unique with *m (path "" for none chosen) and *is_pkg. */
static void disambiguate(struct resolver *r, const struct pathset *cs, struct pathset *filtered, bool *is_pkg,
                         struct mod_version *m, bool *unique)
{
	VEC(struct mod_version) fp = {0};

	memset(filtered, 0, sizeof *filtered);
	filtered->mod.path = filtered->mod.version = "";
	*is_pkg = false;
	*unique = true;
	m->path = m->version = "";
	for (size_t i = 0; i < cs->npkg; i++) {
		struct mod_version pm = cs->pkg_mods[i];
		const struct vreason *vr;
		if (none_for_path(r, pm.path))
			continue;
		if (mod_reqs_is_main(r->ld, (struct mod_version){pm.path, ""})) {
			if (!*pm.version) {
				*is_pkg = true;
				*m = pm;
				VEC_FREE(&fp);
				return;
			}
			continue;
		}
		vr = map_get(&r->resolved, pm.path);
		if (!vr) {
			VEC_PUSH(&fp, pm);
			continue;
		}
		if (strcmp(vr->version, pm.version) != 0)
			continue;
		*is_pkg = true;
		*m = pm;
		VEC_FREE(&fp);
		return;
	}
	if (cs->mod.path[0]) {
		const struct vreason *vr = map_get(&r->resolved, cs->mod.path);
		if (!vr || strcmp(vr->version, cs->mod.version) == 0)
			filtered->mod = cs->mod;
	}
	if (fp.n == 1 && (!filtered->mod.path[0] || (strcmp(filtered->mod.path, fp.v[0].path) == 0 &&
	                                              strcmp(filtered->mod.version, fp.v[0].version) == 0))) {
		*is_pkg = true;
		*m = fp.v[0];
		VEC_FREE(&fp);
		return;
	}
	if (fp.n == 0) {
		*m = filtered->mod;
		VEC_FREE(&fp);
		return;
	}
	filtered->pkg_mods = arena_alloc(r->a, fp.n * sizeof *fp.v);
	memcpy(filtered->pkg_mods, fp.v, fp.n * sizeof *fp.v);
	filtered->npkg = fp.n;
	filtered->path = cs->path;
	*unique = false;
	VEC_FREE(&fp);
}

static void choose_arbitrarily(struct resolver *r, const struct pathset *cs, bool *is_pkg, struct mod_version *m)
{
	for (size_t i = 0; i < cs->npkg; i++)
		if (strcmp(initial_selected(r, cs->pkg_mods[i].path), "none") != 0) {
			*is_pkg = true;
			*m = cs->pkg_mods[i];
			return;
		}
	if (cs->npkg) {
		*is_pkg = true;
		*m = cs->pkg_mods[0];
		return;
	}
	*is_pkg = false;
	*m = cs->mod;
}

static void resolve(struct resolver *r, struct query *q, struct mod_version m)
{
	struct vreason *vr;

	if (mod_reqs_is_main(r->ld, (struct mod_version){m.path, ""}) && *m.version) {
		if (mod_reqs_is_main(r->ld, (struct mod_version){q->pattern, ""}))
			report_error(q, arena_printf(r->a, "can't request version %s of the main module (%s)",
			                             quote(r->a, q->version), q->pattern));
		else
			report_error(q, arena_printf(r->a, "can't request version %s of pattern %s that includes the main module (%s)",
			                             quote(r->a, q->version), quote(r->a, q->pattern), m.path));
		return;
	}
	vr = map_get(&r->resolved, m.path);
	if (vr && strcmp(vr->version, m.version) != 0) {
		/* reportConflict */
		const struct query *pq = q, *rq = vr->reason;
		const char *pv = m.version, *rv = vr->version, *detail = "";
		if (q->conflict)
			return;
		q->conflict = vr->reason;
		if (pq->wild && !rq->wild) {
			const struct query *tq = pq;
			const char *tv = pv;
			pq = rq;
			pv = rv;
			rq = tq;
			rv = tv;
		}
		if (strcmp(m.path, pq->pattern) != 0)
			detail = arena_printf(r->a, "for module %s, ", m.path);
		report_error(q, arena_printf(r->a, "%s%s conflicts with %s", detail,
		                             strcmp(pv, pq->version) != 0 ? arena_printf(r->a, "%s@%s (%s)", pq->pattern, pq->version, pv) : pq->raw,
		                             strcmp(rv, rq->version) != 0 ? arena_printf(r->a, "%s@%s (%s)", rq->pattern, rq->version, rv) : rq->raw));
		return;
	}
	VEC_PUSH(&q->resolved, m);
	if (!vr) {
		vr = arena_new(r->a, struct vreason);
		vr->version = m.version;
		vr->reason = q;
		map_put(&r->resolved, m.path, vr);
		VEC_PUSH(&r->resolved_paths, m.path);
	}
}

static void set_build_list(struct resolver *r)
{
	struct mod_graph *mg;
	struct err e = ERR_INIT;

	if (mod_reqs_graph(r->ld, r->rs, &mg, &e) < 0)
		base_fatalf("%s", err_msg(&e));
	r->nbl = mod_graph_build_list(mg, &r->bl);
	map_release(&r->blv);
	map_init(&r->blv);
	for (size_t i = 0; i < r->nbl; i++)
		map_put(&r->blv, r->bl[i].path, (void *)r->bl[i].version);
}

/* update_build_list is updateBuildList: the requirements edited to
 * select every resolved version, and additions tried. */
static bool update_build_list(struct resolver *r, const struct mod_version *add, size_t nadd)
{
	VEC(struct mod_version) res = {0};
	struct mod_reqs *ed;
	struct mod_conflict *cs;
	size_t ncs;
	bool changed;
	struct err e = ERR_INIT;

	for (size_t i = 0; i < r->resolved_paths.n; i++) {
		const char *p = r->resolved_paths.v[i];
		const struct vreason *vr = map_get(&r->resolved, p);
		if (!mod_reqs_is_main(r->ld, (struct mod_version){p, ""})) {
			struct mod_version m = {p, vr->version};
			VEC_PUSH(&res, m);
		}
	}
	if (mod_reqs_edit(r->ld, r->rs, add, nadd, res.v, res.n, &r->allow, r->o->v, &ed, &changed, &cs, &ncs, &e) < 0) {
		VEC_FREE(&res);
		if (ncs == 0)
			base_fatalf("%s", err_msg(&e));
		err_clear(&e);
		if (r->o->v)
			for (size_t i = 0; i < ncs; i++) {
				fflush(stdout);
				fprintf(stderr, "%s: %s\n", prog_name, mod_conflict_string(r->ld, &cs[i]));
			}
		for (size_t i = 0; i < ncs; i++) {
			const struct mod_conflict *c = &cs[i];
			const char *adverb = c->npath > 2 ? "indirectly " : "";
			struct mod_version first = c->path[0], last = c->path[c->npath - 1];
			const struct vreason *vr = map_get(&r->resolved, first.path);
			const char *fr = vr ? resolved_string(r->a, vr->reason, (struct mod_version){first.path, vr->version})
			                    : arena_printf(r->a, "(INTERNAL ERROR: no reason found for %s)", mv_str(r->a, first));
			if (c->err) {
				base_errorf("%s %srequires %s: %s", fr, adverb, mv_str(r->a, last), c->err);
			} else {
				const struct vreason *cr = map_get(&r->resolved, c->constraint.path);
				const char *crs = cr ? resolved_string(r->a, cr->reason,
				                                       (struct mod_version){c->constraint.path, cr->version})
				                     : arena_printf(r->a, "(INTERNAL ERROR: no reason found for %s)",
				                                    mv_str(r->a, c->constraint));
				base_errorf("%s %srequires %s, not %s", fr, adverb, mv_str(r->a, last), crs);
			}
		}
		base_exit(1);
	}
	VEC_FREE(&res);
	if (!changed)
		return false;
	r->rs = ed;
	set_build_list(r);
	return true;
}

static bool resolve_queries(struct resolver *r, struct query **qs, size_t nq)
{
	size_t resolved = 0, arbitrary = 0;
	bool changed;

	for (;;) {
		size_t prev = resolved;
		/* a module too new for this toolchain: switch when GOTOOLCHAIN
		 * allows it (the Switcher), else the errors are reported below */
		if (r->o->can_switch && r->o->too_new) {
			const struct pathset *max = NULL;
			for (size_t i = 0; i < nq; i++)
				for (size_t j = 0; j < qs[i]->cands.n; j++) {
					const struct pathset *cs = &qs[i]->cands.v[j];
					if (cs->err && cs->too_new &&
					    (!max || tc_version_compare(cs->too_new, max->too_new) > 0 ||
					     (tc_version_compare(cs->too_new, max->too_new) == 0 &&
					      strcmp(cs->too_new_what, max->too_new_what) < 0)))
						max = cs;
				}
			if (max)
				r->o->too_new(r->o->too_new_ctx, max->too_new_what, max->too_new, max->err);
		}
		for (size_t i = 0; i < nq; i++) {
			struct query *q = qs[i];
			size_t keep = 0;
			for (size_t j = 0; j < q->cands.n; j++) {
				struct pathset cs = q->cands.v[j], filtered;
				struct mod_version m;
				bool is_pkg, unique;
				if (cs.err) {
					report_error(q, cs.err);
					resolved++;
					continue;
				}
				disambiguate(r, &cs, &filtered, &is_pkg, &m, &unique);
				if (!unique) {
					q->cands.v[keep++] = filtered;
					continue;
				}
				if (!m.path[0])
					choose_arbitrarily(r, &cs, &is_pkg, &m);
				if (is_pkg)
					q->matches_packages = true;
				resolve(r, q, m);
				resolved++;
			}
			q->cands.n = keep;
		}
		if (base_exit_status())
			base_exit(base_exit_status());
		if (resolved == prev)
			break;
	}
	if (resolved > 0 && update_build_list(r, NULL, 0))
		return true;
	for (size_t i = 0; i < nq; i++) {
		struct query *q = qs[i];
		for (size_t j = 0; j < q->cands.n; j++) {
			bool is_pkg;
			struct mod_version m;
			choose_arbitrarily(r, &q->cands.v[j], &is_pkg, &m);
			if (is_pkg)
				q->matches_packages = true;
			resolve(r, q, m);
			arbitrary++;
		}
		q->cands.n = 0;
	}
	if (base_exit_status())
		base_exit(base_exit_status());
	changed = arbitrary > 0 && update_build_list(r, NULL, 0);
	return changed;
}

/* ---- missing imports (findAndUpgradeImports without -u) ------------------------ */

static void load_pkgs(struct resolver *r, const struct load_strs *patterns, bool all, bool allow_errors,
                      struct map *imports)
{
	struct mod_reqs *final;

	VEC_FREE(&r->loaded);
	/* findAndUpgradeImports' load assumes the roots imported; the
	 * final check's does not */
	if (imports)
		map_init(imports);
	if (mod_get_load(r->ld, r->rs, patterns, all, r->o->t, allow_errors, !allow_errors, &r->loaded, imports,
	                 &final) < 0)
		base_exit(base_exit_status() ? base_exit_status() : 1);
	r->have_loaded = true;
	if (final != r->rs) {
		r->rs = final;
		set_build_list(r);
	}
}

/* One upgrade findAndUpgradeImports proposes: the query's answer for a
 * package path. */
struct upgrade {
	const char *path;
	struct pathset ps;
};

static int cmp_upgrade(const void *a, const void *b)
{
	return strcmp(((const struct upgrade *)a)->path, ((const struct upgrade *)b)->path);
}

/* find_package is findAndUpgradeImports' findPackage: false (with *up
 * filled) when path, found in m (path "": missing), needs another
 * module version. */
static bool find_package(struct resolver *r, const char *path, struct mod_version m, struct upgrade *up)
{
	const char *version = "latest";
	struct pathset ps;
	struct err ce = ERR_INIT;
	bool bad_path;

	if (m.path[0]) {
		if (!*r->o->u)
			return true;
		if (map_has(&r->resolved, m.path))
			return true;
		version = r->o->u;
	}
	/* QueryPackages(path, version) against the current build list */
	query_pattern(r, path, version, false, &ps);
	if (ps.npkg == 0 && !ps.err)
		return true; /* only the module itself: PackageNotInModuleError */
	ps.mod.path = ps.mod.version = "";
	for (size_t i = 0; i < ps.npkg; i++)
		if (strcmp(ps.pkg_mods[i].path, m.path) == 0 && strcmp(ps.pkg_mods[i].version, m.version) == 0)
			return true;
	if (ps.err) {
		bad_path = !m.path[0] && mod_check_path(path, &ce) < 0;
		err_clear(&ce);
		/* isNoSuchPackageVersion, a bad module path: nothing to do here */
		if (ps.err_nosuch || bad_path)
			return true;
		ps.npkg = 0;
	}
	up->path = path;
	up->ps = ps;
	return false;
}

/* find_and_upgrade_imports is findAndUpgradeImports and applyUpgrades:
 * the packages of the queries loaded; with -u, each module providing one
 * is upgraded; missing imports get their modules' latest versions. */
static bool find_and_upgrade_imports(struct resolver *r, const struct load_strs *patterns, bool all)
{
	VEC(struct mod_version) add = {0};
	VEC(struct upgrade) ups = {0};
	struct map seen;
	bool changed;

	if (patterns->n == 0 && !all)
		return false;
	load_pkgs(r, patterns, all, false, NULL);
	map_init(&seen);
	for (size_t i = 0; i < r->loaded.n; i++) {
		const struct mod_lpkg *p = r->loaded.v[i];
		struct upgrade up;
		struct mod_version none = {"", ""};
		if (p->test_of || map_has(&seen, p->path))
			continue;
		map_put(&seen, p->path, (void *)1);
		if (*p->dir && p->mod.path[0] && *p->mod.version) {
			/* AllowPackage */
			if (!find_package(r, p->path, p->mod, &up))
				VEC_PUSH(&ups, up);
			continue;
		}
		if (!p->err || !(p->err_missing || p->err_ambiguous) || p->err_missing_std)
			continue;
		if (ws_has_package(r, p->path))
			continue; /* the workspace provides it (#73654) */
		if (!find_package(r, p->path, none, &up))
			VEC_PUSH(&ups, up);
	}
	map_release(&seen);
	VEC_SORT(&ups, cmp_upgrade);
	for (size_t i = 0; i < ups.n; i++) {
		struct pathset *ps = &ups.v[i].ps, filtered;
		struct mod_version m;
		bool is_pkg, unique, dup = false;
		if (ps->err) {
			base_errorf("%s", ps->err);
			continue;
		}
		disambiguate(r, ps, &filtered, &is_pkg, &m, &unique);
		if (!unique)
			choose_arbitrarily(r, &filtered, &is_pkg, &m);
		if (!m.path[0])
			continue;
		for (size_t j = 0; j < add.n; j++)
			dup = dup || (strcmp(add.v[j].path, m.path) == 0 && strcmp(add.v[j].version, m.version) == 0);
		if (!dup)
			VEC_PUSH(&add, m);
	}
	VEC_FREE(&ups);
	if (base_exit_status())
		base_exit(base_exit_status());
	changed = update_build_list(r, add.v, add.n);
	VEC_FREE(&add);
	return changed;
}

/* ---- checkPackageProblems ------------------------------------------------------ */

enum { F_RESOLVED = 1, F_NAMED = 2, F_HASPKG = 4, F_DIRECT = 8 };

struct relevant {
	struct mod_version m;
	unsigned flags;
	const char *msg;
};
struct relvec {
	struct relevant *v;
	size_t n, cap;
};

static void relevant_add(struct resolver *r, struct map *idx, struct relvec *v, struct mod_version m,
                         unsigned flags)
{
	const char *k = arena_printf(r->a, "%s@%s", m.path, m.version);
	uintptr_t i = (uintptr_t)map_get(idx, k);

	if (!i) {
		struct relevant x = {m, 0, NULL};
		VEC_PUSH(v, x);
		i = v->n;
		map_put(idx, k, (void *)i);
	}
	v->v[i - 1].flags |= flags;
}

static int cmp_relevant(const void *a, const void *b)
{
	return strcmp(((const struct relevant *)a)->m.path, ((const struct relevant *)b)->m.path);
}

/* load_workspace is loadWorkspace: the modules of the go.work around the
 * current directory, read quietly (the final load reports the errors). */
static void load_workspace(struct resolver *r, const struct cfg *cfg)
{
	const char *gw = cfg_getenv(cfg, "GOWORK");
	char *wp = NULL, *dir;
	struct buf data = BUF_INIT;
	struct err e = ERR_INIT;
	struct mod_file *wf = NULL;

	if (gw && strcmp(gw, "off") == 0)
		return;
	if (gw && *gw && strcmp(gw, "auto") != 0)
		wp = path_is_abs(gw) ? path_clean(gw) : path_join(r->ld->cwd, gw);
	else
		wp = mod_find_gowork_goroot(r->ld->cwd, cfg->tc.goroot);
	if (!wp)
		return;
	r->gowork = arena_strdup(r->a, wp);
	free(wp);
	dir = path_dir(r->gowork);
	if (os_read_file(r->gowork, &data, 0, &e) == 0 &&
	    mod_work_parse(r->a, r->gowork, buf_cstr(&data), data.len, &wf, &e) == 0) {
		for (size_t i = 0; i < wf->uses.n; i++) {
			const char *u = wf->uses.v[i].path;
			char *root = path_is_abs(u) ? path_clean(u) : path_join(dir, u);
			char *gm = path_join(root, "go.mod");
			struct buf md = BUF_INIT;
			struct mod_file *mf = NULL;
			if (os_read_file(gm, &md, 0, &e) == 0 &&
			    mod_file_parse(r->a, gm, buf_cstr(&md), md.len, false, &mf, &e) == 0 && mf->module) {
				struct mod_version m = {mf->module, arena_strdup(r->a, root)};
				VEC_PUSH(&r->ws, m);
				if (strcmp(mf->module, r->ld->mains.v[0]->path) == 0)
					r->in_ws = true;
			}
			err_clear(&e);
			buf_release(&md);
			free(gm);
			free(root);
		}
	}
	err_clear(&e);
	buf_release(&data);
	free(dir);
}

/* enter_workspace is EnterWorkspace: the workspace's loader, with the
 * main module's go.mod as UpdateGoModFromReqs(WriteOpts{}) makes it
 * (that text is also what reportChanges then compares with). */
static void enter_workspace(struct resolver *r, struct load_state **out)
{
	struct load_opts lo = {0};
	struct load_state *ws = NULL;
	struct err e = ERR_INIT;
	char *before = NULL, *after = NULL;
	struct mod_file *f = NULL;

	*out = NULL;
	if (mod_reqs_gomod_text(r->ld, r->rs, NULL, NULL, &before, &after, &e) < 0) {
		const char *gov = mod_reqs_go_version(r->rs);
		if (r->o->too_new && gov && tc_version_compare(gov, r->ld->cfg->tc.gover) > 0)
			r->o->too_new(r->o->too_new_ctx, "updating go.mod", gov, err_msg(&e));
		base_fatalf("%s", err_msg(&e));
	}
	lo.x = r->o->x;
	/* setDefaultBuildMod: go get's mode is mod in the workspace too
	 * (missing imports are "cannot find module providing package") */
	lo.mod_flag = "mod";
	lo.mod_default = true;
	if (load_state_new(r->ld->cfg, &lo, &ws, &e) < 0)
		base_fatalf("%s", err_msg(&e));
	ws->zips_prefetched = true;
	if (mod_file_parse(load_arena(ws), r->ld->mains.v[0]->gomod, after, strlen(after), true, &f, &e) < 0)
		base_fatalf("%s", err_msg(&e));
	for (size_t i = 0; i < ws->mains.n; i++)
		if (strcmp(ws->mains.v[i]->path, r->ld->mains.v[0]->path) == 0)
			ws->mains.v[i]->file = f;
	if (mod_file_parse(r->a, "go.mod", after, strlen(after), true, &r->ws_oldf, &e) < 0) {
		r->ws_oldf = NULL;
		err_clear(&e);
	}
	free(before);
	free(after);
	*out = ws;
}

static void check_package_problems(struct resolver *r, const struct load_strs *patterns, bool all)
{
	struct load_state *ws_ld = NULL;
	struct mod_get_pkgs ws_pkgs = {0};
	struct map ws_direct;
	struct map idx;
	struct relvec rel = {0};
	VEC(const char *) sum_errs = {0};
	const char *retract_path = NULL;

	map_init(&idx);
	map_init(&ws_direct);
	for (size_t i = 0; i < r->resolved_paths.n; i++) {
		const struct vreason *vr = map_get(&r->resolved, r->resolved_paths.v[i]);
		relevant_add(r, &idx, &rel, (struct mod_version){r->resolved_paths.v[i], vr->version}, F_RESOLVED);
	}
	if (r->in_ws)
		enter_workspace(r, &ws_ld);
	if ((patterns->n || all) && ws_ld) {
		/* the workspace's load: the main module's packages may import
		 * the other workspace modules' */
		if (mod_get_load_ws(ws_ld, patterns, all, r->o->t, &ws_pkgs, &ws_direct) < 0)
			base_exit(base_exit_status() ? base_exit_status() : 1);
	} else if (patterns->n || all) {
		load_pkgs(r, patterns, all, true, NULL);
	}
	if (patterns->n || all) {
		const struct mod_get_pkgs *pv = ws_ld ? &ws_pkgs : &r->loaded;
		for (size_t i = 0; i < pv->n; i++) {
			const struct mod_lpkg *p = pv->v[i];
			if (p->test_of)
				continue;
			if (p->err) {
				if (!(*p->dir && strstr(p->err, "no Go files")))
					base_set_exit_status(1);
				for (size_t j = 0; j < p->namb; j++)
					relevant_add(r, &idx, &rel, p->amb_mods[j], F_HASPKG);
			}
			if (p->mod.path[0])
				relevant_add(r, &idx, &rel, p->mod, F_HASPKG);
			/* the packages of the matches: "all"'s are those in all */
			if (((p->flags & MOD_PKG_IS_ROOT) && load_strs_contains(patterns, p->path)) ||
			    (all && (p->flags & MOD_PKG_IN_ALL)))
				relevant_add(r, &idx, &rel, p->mod, F_NAMED);
		}
	}
	for (size_t i = 0; i < rel.n; i++)
		if (ws_ld ? map_has(&ws_direct, rel.v[i].m.path) : mod_reqs_is_direct(r->rs, rel.v[i].m.path))
			rel.v[i].flags |= F_DIRECT;
	VEC_SORT(&rel, cmp_relevant);
	/* retractions, then deprecations (each sorted by path) */
	for (size_t i = 0; i < rel.n; i++) {
		struct relevant *x = &rel.v[i];
		unsigned kind = 0;
		struct err e = ERR_INIT;
		/* go and toolchain too: their latest version is looked up */
		if (!(x->flags & (F_RESOLVED | F_NAMED | F_HASPKG)) || !*x->m.version || !x->m.path[0])
			continue;
		if (mod_check_retractions(&r->allow, x->m.path, x->m.version, NULL, &kind, &e) < 0 &&
		    (kind & MOD_QERR_RETRACTED))
			x->msg = arena_strdup(r->a, err_msg(&e));
		err_clear(&e);
	}
	for (size_t i = 0; i < rel.n; i++) {
		struct relevant *x = &rel.v[i];
		const char *dep = NULL;
		unsigned kind = 0;
		struct err e = ERR_INIT;
		if (!((x->flags & (F_RESOLVED | F_NAMED)) || (x->flags & (F_HASPKG | F_DIRECT)) == (F_HASPKG | F_DIRECT)) ||
		    !*x->m.version || !x->m.path[0])
			continue;
		if (mod_check_deprecation(&r->allow, x->m.path, x->m.version, &dep, &kind, &e) == 0 && dep && *dep) {
			struct buf b = BUF_INIT;
			mod_short_message(dep, "", &b);
			fflush(stdout);
			fprintf(stderr, "%s: module %s is deprecated: %s\n", prog_name, x->m.path, b.data ? b.data : "");
			buf_release(&b);
		}
		err_clear(&e);
	}
	/* a changed module whose old version had a go.sum line: its new zip */
	for (size_t i = 0; i < r->nbl; i++) {
		struct mod_version m = r->bl[i], old, ma, oa;
		const char *ov = map_get(&r->initial, m.path);
		char *zip = NULL;
		struct err e = ERR_INIT;
		if (!ov || !*ov)
			continue;
		old = (struct mod_version){m.path, ov};
		ma = load_module_actual(r->ld, m);
		oa = load_module_actual(r->ld, old);
		if ((strcmp(ma.path, oa.path) == 0 && strcmp(ma.version, oa.version) == 0) || !*ma.version ||
		    strcmp(ma.version, "none") == 0 || !mod_gosum_recorded(load_gosum(r->ld), oa.path, oa.version))
			continue;
		if (mod_fetch_download_zip(r->f, ma.path, ma.version, &zip, &e) < 0) {
			const char *verb = mod_compare_version(m.path, m.version, old.version) < 0 ? "downgraded" : "upgraded";
			const char *repl = strcmp(ma.path, m.path) != 0 || strcmp(ma.version, m.version) != 0
			                       ? arena_printf(r->a, " (replaced by %s)", mv_str(r->a, ma))
			                       : "";
			if (mod_fetch_fatal(r->f))
				base_fatalf("%s", err_msg(&e));
			VEC_PUSH(&sum_errs, arena_printf(r->a, "%s %s %s => %s%s: error finding sum for %s: %s", verb, m.path,
			                                 old.version, m.version, repl, mv_str(r->a, ma), err_msg(&e)));
		} else {
			note_zip(r, m);
		}
		free(zip);
		err_clear(&e);
	}
	for (size_t i = 0; i < rel.n; i++) {
		if (!rel.v[i].msg)
			continue;
		fflush(stdout);
		fprintf(stderr, "%s: warning: %s\n", prog_name, rel.v[i].msg);
		retract_path = retract_path ? "<module>" : rel.v[i].m.path;
	}
	if (retract_path)
		fprintf(stderr, "%s: to switch to the latest unretracted version, run:\n\tgo get %s@latest\n", prog_name,
		        retract_path);
	for (size_t i = 0; i < sum_errs.n; i++)
		base_errorf("%s", sum_errs.v[i]);
	VEC_FREE(&rel);
	VEC_FREE(&sum_errs);
	VEC_FREE(&ws_pkgs);
	map_release(&ws_direct);
	map_release(&idx);
	load_state_free(ws_ld);
	if (base_exit_status())
		base_exit(base_exit_status());
}

/* ---- -tool (updateTools) ------------------------------------------------------- */

static bool is_meta_pattern(const char *p)
{
	return strcmp(p, "all") == 0 || strcmp(p, "std") == 0 || strcmp(p, "cmd") == 0 || strcmp(p, "tool") == 0 ||
	       strcmp(p, "work") == 0;
}

/* query_packages is what LoadPackages' match of q's pattern holds after
 * the final load: the literal path, the local packages, or the wildcard's
 * packages in the build list. */
static void query_packages(struct resolver *r, const struct query *q, struct load_strs *out)
{
	bool all = false;

	if (q->local || q->wild) {
		expand_query(r, q, out, &all);
		return;
	}
	load_strs_push(r->a, out, q->pattern);
}

/* update_tools is updateTools: the packages each query names loaded
 * (their errors printed), and a tool line added for each, or dropped for
 * @none. */
static void update_tools(struct resolver *r, struct query **qs, size_t nq)
{
	struct load_strs roots = {0}, add = {0}, drop = {0};
	struct load_strs *each = arena_alloc(r->a, (nq ? nq : 1) * sizeof *each);
	struct mod_reqs *final;

	for (size_t i = 0; i < nq; i++)
		if (is_meta_pattern(qs[i]->pattern) || strcmp(qs[i]->pattern, "toolchain") == 0)
			base_fatalf("go get -tool does not work with \"%s\".", qs[i]->pattern);
	for (size_t i = 0; i < nq; i++) {
		memset(&each[i], 0, sizeof each[i]);
		query_packages(r, qs[i], &each[i]);
		for (size_t j = 0; j < each[i].n; j++)
			if (!load_strs_contains(&roots, each[i].v[j]))
				load_strs_push(r->a, &roots, each[i].v[j]);
	}
	VEC_FREE(&r->loaded);
	if (mod_get_load(r->ld, r->rs, &roots, false, r->o->t, true, false, &r->loaded, NULL, &final) < 0)
		base_exit(base_exit_status() ? base_exit_status() : 1);
	r->have_loaded = true;
	if (final != r->rs) {
		r->rs = final;
		set_build_list(r);
	}
	for (size_t i = 0; i < nq; i++)
		for (size_t j = 0; j < each[i].n; j++)
			load_strs_push(r->a, strcmp(qs[i]->version, "none") == 0 ? &drop : &add, each[i].v[j]);
	r->wopts.add_tools = add.v;
	r->wopts.nadd_tools = add.n;
	r->wopts.drop_tools = drop.v;
	r->wopts.ndrop_tools = drop.n;
}

/* ---- go.mod, go.sum and the report --------------------------------------------- */

struct change {
	const char *path, *old, *new_;
};
struct changevec {
	struct change *v;
	size_t n, cap;
};

static int cmp_change(const void *a, const void *b)
{
	const char *p = ((const struct change *)a)->path, *q = ((const struct change *)b)->path;
	int rp = strcmp(p, "go") == 0 ? 0 : strcmp(p, "toolchain") == 0 ? 1 : 2;
	int rq = strcmp(q, "go") == 0 ? 0 : strcmp(q, "toolchain") == 0 ? 1 : 2;

	return rp != rq ? rp - rq : strcmp(p, q);
}

static void change_put(struct arena *a, struct map *idx, struct changevec *v, const char *path, const char *old,
                       const char *new_)
{
	uintptr_t i = (uintptr_t)map_get(idx, path);
	struct change c = {arena_strdup(a, path), old, new_};

	if (i) {
		v->v[i - 1] = c;
		return;
	}
	VEC_PUSH(v, c);
	map_put(idx, c.path, (void *)(uintptr_t)v->n);
}

static void report_changes(struct resolver *r, const struct mod_file *oldf, const struct mod_file *newf)
{
	struct map idx;
	struct changevec v = {0};
	const char *og, *ng, *ot, *nt;

	map_init(&idx);
	for (size_t i = 0; i < r->resolved_paths.n; i++) {
		const char *p = r->resolved_paths.v[i];
		const struct vreason *vr = map_get(&r->resolved, p);
		const char *old = map_get(&r->initial, p);
		if (is_toolchain_path(p))
			continue;
		if (!old)
			old = "";
		if (strcmp(old, vr->version) != 0 && (*old || strcmp(vr->version, "none") != 0))
			change_put(r->a, &idx, &v, p, old, vr->version);
	}
	for (size_t i = 0; oldf && i < oldf->requires.n; i++) {
		const char *p = oldf->requires.v[i].mod.path, *old = oldf->requires.v[i].mod.version;
		const char *nv = map_get(&r->blv, p);
		if (is_toolchain_path(p))
			continue;
		if (!nv)
			nv = "";
		if (strcmp(old, nv) != 0)
			change_put(r->a, &idx, &v, p, old, nv);
	}
	for (size_t i = 0; newf && i < newf->requires.n; i++) {
		const char *p = newf->requires.v[i].mod.path, *nv = newf->requires.v[i].mod.version;
		const char *old = map_get(&r->initial, p);
		if (is_toolchain_path(p))
			continue;
		if (!old)
			old = "";
		if (strcmp(old, nv) != 0)
			change_put(r->a, &idx, &v, p, old, nv);
	}
	og = oldf && oldf->go ? oldf->go : "";
	ng = newf && newf->go ? newf->go : "";
	ot = oldf && oldf->toolchain ? oldf->toolchain : "";
	nt = newf && newf->toolchain ? newf->toolchain : "";
	if (strcmp(og, ng) != 0)
		change_put(r->a, &idx, &v, "go", og, ng);
	if (strcmp(ot, nt) != 0)
		change_put(r->a, &idx, &v, "toolchain", ot, nt);
	VEC_SORT(&v, cmp_change);
	fflush(stdout);
	for (size_t i = 0; i < v.n; i++) {
		const struct change *c = &v.v[i];
		if (!*c->old) {
			fprintf(stderr, "%s: added %s %s\n", prog_name, c->path, c->new_);
		} else if (!*c->new_ || strcmp(c->new_, "none") == 0) {
			fprintf(stderr, "%s: removed %s %s\n", prog_name, c->path, c->old);
		} else if (mod_compare_version(c->path, c->new_, c->old) > 0) {
			fprintf(stderr, "%s: upgraded %s %s => %s\n", prog_name, c->path, c->old, c->new_);
			if (strcmp(c->path, "go") == 0 && tc_version_compare(c->old, "1.17") < 0 &&
			    tc_version_compare(c->new_, "1.17") >= 0)
				fprintf(stderr, "\tnote: expanded dependencies to upgrade to go %s or higher; run 'go mod tidy' to clean up\n",
				        "1.17");
		} else {
			fprintf(stderr, "%s: downgraded %s %s => %s\n", prog_name, c->path, c->old, c->new_);
		}
	}
	VEC_FREE(&v);
	map_release(&idx);
}

/* keep_sums is keepSums(loaded, requirements, addBuildListZipSums) as
 * WriteGoSum applies it: zip sums only of zips this run checked. */
static void keep_sums(struct resolver *r, struct map *keep)
{
	struct load_state *ld = r->ld;
	const char *gov = mod_reqs_go_version(r->rs);
	struct mod_graph *mg;
	struct err e = ERR_INIT;

	mod_reqs_keep_sums(ld, r->rs, r->have_loaded ? r->loaded.v : NULL, r->have_loaded ? r->loaded.n : 0, gov, false,
	                   keep);
	if (mod_reqs_graph(ld, r->rs, &mg, &e) < 0 && !mg) {
		err_clear(&e);
		return;
	}
	err_clear(&e);
	for (size_t i = 1; i < r->nbl; i++) {
		struct mod_version a = load_module_actual(ld, r->bl[i]);
		const char *zk;
		if (!*a.version || is_toolchain_path(a.path))
			continue;
		map_put(keep, arena_printf(r->a, "%s %s/go.mod", a.path, a.version), (void *)1);
		zk = arena_printf(r->a, "%s %s", a.path, a.version);
		if (map_has(&r->zips, zk))
			map_put(keep, zk, (void *)1);
	}
}

static int write_files(struct resolver *r)
{
	struct load_state *ld = r->ld;
	struct load_module *main = ld->mains.v[0];
	char *gm_before = NULL, *gm_after = NULL, *gs_before = NULL, *gs_after = NULL;
	struct map keep;
	struct err e = ERR_INIT;
	struct mod_file *oldf = NULL, *newf = NULL;
	bool dirty = false;
	int rc = -1;

	map_init(&keep);
	if (mod_reqs_gomod_text(ld, r->rs, NULL, &r->wopts, &gm_before, &gm_after, &e) < 0) {
		/* go get go@newversion: TooNewError, and maybe a switch */
		const char *gov = mod_reqs_go_version(r->rs);
		if (r->o->too_new && gov && tc_version_compare(gov, ld->cfg->tc.gover) > 0)
			r->o->too_new(r->o->too_new_ctx, "updating go.mod", gov, err_msg(&e));
		base_errorf("%s", err_msg(&e));
		goto out;
	}
	keep_sums(r, &keep);
	mod_reqs_gosum_text(ld, NULL, &keep, &gs_before, &gs_after, &dirty);
	if (strcmp(gm_before, gm_after) != 0 || (dirty && strcmp(gs_before, gs_after) != 0)) {
		int fd = load_side_lock(ld); /* one lock for both files */
		int w = mod_reqs_write_file(main->gomod, "go.mod", gm_before, gm_after, &e);
		if (w == 0 && dirty && strcmp(gs_before, gs_after) != 0) {
			char *file = xstrdup(main->gosum);
			w = mod_reqs_write_file(file, "go.sum", gs_before, gs_after, &e);
			free(file);
		}
		os_flock_close(fd);
		if (w < 0) {
			base_errorf("%s", err_msg(&e));
			goto out;
		}
	}
	if (r->ws_oldf)
		oldf = r->ws_oldf; /* EnterWorkspace updated the go.mod go compares with */
	else if (mod_file_parse(r->a, "go.mod", gm_before, strlen(gm_before), true, &oldf, &e) < 0)
		err_clear(&e);
	if (mod_file_parse(r->a, "go.mod", gm_after, strlen(gm_after), true, &newf, &e) < 0)
		err_clear(&e);
	report_changes(r, oldf, newf);
	rc = 0;
out:
	err_clear(&e);
	map_release(&keep);
	free(gm_before);
	free(gm_after);
	free(gs_before);
	free(gs_after);
	return rc;
}

/* update_work_go is runGet's last step: go.work's go line raised to the
 * main module's (UpdateWorkGoVersion, its toolchain line dropped when
 * that makes it redundant) and the file written (WriteWorkFile). */
static void update_work_go(struct resolver *r)
{
	struct buf data = BUF_INIT, gm = BUF_INIT, out = BUF_INIT;
	struct err e = ERR_INIT;
	struct mod_edit *wf = NULL;
	struct mod_file *mf = NULL;
	const char *gov;

	if (os_read_file(r->gowork, &data, 0, &e) < 0 ||
	    mod_edit_parse(r->gowork, buf_cstr(&data), data.len, true, &wf, &e) < 0)
		goto out;
	/* MainModules.GoVersion: the go.mod as written */
	if (os_read_file(r->ld->mains.v[0]->gomod, &gm, 0, &e) < 0 ||
	    mod_file_parse(r->a, "go.mod", buf_cstr(&gm), gm.len, false, &mf, &e) < 0)
		goto out;
	gov = mf->go ? mf->go : "1.16";
	if (tc_version_compare(wf->go ? wf->go : "1.18", gov) >= 0)
		goto out;
	if (mod_edit_add_go(wf, gov, &e) < 0)
		goto out;
	if (wf->toolchain) {
		const char *tv = has_prefix(wf->toolchain, "go") ? wf->toolchain + 2 : "";
		char *same = xasprintf("go%s", gov);
		if (strcmp(wf->toolchain, same) == 0 || tc_version_compare(tv, gov) < 0 ||
		    tc_version_compare(tv, "1.21") < 0)
			mod_edit_drop_toolchain(wf);
		free(same);
	}
	mod_edit_sort_blocks(wf);
	mod_edit_cleanup(wf);
	mod_edit_format(wf, &out);
	if (mod_reqs_write_file(r->gowork, "go.work", buf_cstr(&data), buf_cstr(&out), &e) < 0)
		base_errorf("%s", err_msg(&e));
out:
	err_clear(&e);
	mod_edit_free(wf);
	buf_release(&data);
	buf_release(&gm);
	buf_release(&out);
}

/* ---- the command --------------------------------------------------------------- */

static bool is_local_pattern(const char *p)
{
	return p[0] == '/' || strcmp(p, ".") == 0 || strcmp(p, "..") == 0 || has_prefix(p, "./") ||
	       has_prefix(p, "../");
}

/* parse_args is parseArgs: queries, or errors printed (exit status set). */
static void parse_args(struct resolver *r, char *const *args, size_t nargs, struct queryvec *out)
{
	struct strvec pats = {0};

	load_clean_patterns(args, nargs, &pats);
	for (size_t i = 0; i < pats.n; i++) {
		const char *raw = nargs ? args[i] : "";
		const char *arg = pats.v[i], *at = strchr(arg, '@');
		struct query *q = arena_new(r->a, struct query);
		/* CleanPatterns keeps "@version"; arg is the cleaned pattern */
		q->raw = nargs ? arena_strdup(r->a, raw) : "";
		if (at) {
			q->pattern = arena_strndup(r->a, arg, (size_t)(at - arg));
			q->raw_version = arena_strdup(r->a, at + 1);
			if (q->raw_version[0] == '-' || q->raw_version[0] == '/') {
				base_errorf("invalid module version %s", quote(r->a, q->raw_version));
				continue;
			}
			if (!q->raw_version[0] || strchr(q->raw_version, '@')) {
				base_errorf("invalid module version syntax %s", quote(r->a, raw));
				continue;
			}
		} else {
			q->pattern = arena_strdup(r->a, arg);
			q->raw_version = "";
		}
		q->version = *q->raw_version ? q->raw_version : (*r->o->u ? r->o->u : "upgrade");
		if (is_local_pattern(q->pattern) && *q->raw_version) {
			base_errorf("can't request explicit version %s of path %s in main module",
			            quote(r->a, q->raw_version), quote(r->a, q->pattern));
			continue;
		}
		if (strcmp(q->pattern, "all") == 0 && strcmp(q->version, "upgrade") != 0 &&
		    strcmp(q->version, "patch") != 0) {
			/* QueryUpgradesAllError: no main modules are known yet */
			base_errorf("can't request version %s of pattern \"all\" that includes the main modules",
			            quote(r->a, q->version));
			continue;
		}
		if ((strcmp(q->pattern, "std") == 0 || strcmp(q->pattern, "cmd") == 0 || strcmp(q->pattern, "work") == 0) &&
		    *q->raw_version) {
			base_errorf("can't request explicit version of standard-library pattern %s",
			            quote(r->a, q->pattern));
			continue;
		}
		if (strcmp(q->pattern, "tool") == 0 && *q->raw_version) {
			base_errorf("can't request explicit version of \"tool\" pattern");
			continue;
		}
		if (strcmp(q->version, "none") == 0 && strcmp(q->pattern, "go") == 0) {
			base_errorf("cannot use go@none");
			continue;
		}
		if (strcmp(q->version, "none") == 0 && strcmp(q->pattern, "toolchain") == 0) {
			r->wopts.drop_toolchain = true;
			continue;
		}
		if (has_suffix(q->raw, ".go") && !*q->raw_version) {
			struct stat st;
			if (!strchr(q->raw, '/')) {
				base_errorf("%s: arguments must be package or module paths", q->raw);
				continue;
			}
			if (stat(q->raw, &st) == 0 && !S_ISDIR(st.st_mode)) {
				base_errorf("%s exists as a file, but 'go get' requires package arguments", q->raw);
				continue;
			}
		}
		q->local = is_local_pattern(q->pattern);
		q->wild = !q->local && strstr(q->pattern, "...") != NULL;
		q->meta = strcmp(q->pattern, "all") == 0 || strcmp(q->pattern, "tool") == 0 || strcmp(q->pattern, "work") == 0;
		map_init(&q->seen);
		if (!q->local && !q->wild && !q->meta)
			load_strs_push(r->a, &q->load_paths, q->pattern);
		if (strcmp(q->pattern, "std") == 0 || strcmp(q->pattern, "cmd") == 0) {
			base_errorf("go get %s: std and cmd are not supported yet",
			            nargs ? q->raw : ".");
			continue;
		}
		VEC_PUSH(out, q);
	}
	strvec_clear(&pats);
}

int mod_get(const struct cfg *cfg, const struct mod_get_opts *o, char *const *args, size_t nargs)
{
	struct load_opts lo = {0};
	struct load_state *ld = NULL;
	struct resolver r;
	struct err e = ERR_INIT;
	struct queryvec qs = {0};
	struct load_strs pkg_patterns = {0};
	bool pkg_all = false;
	int rc = 1;

	memset(&r, 0, sizeof r);
	if (*o->u && strcmp(o->u, "upgrade") != 0 && strcmp(o->u, "patch") != 0)
		base_fatalf("unknown upgrade flag -u=%s", o->u);
	lo.mod_flag = "mod";
	lo.x = o->x;
	lo.no_workfile = true; /* go get works on the module around the directory */
	lo.modfile = o->modfile;
	if (load_state_new(cfg, &lo, &ld, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		goto done;
	}
	if (!load_has_modroot(ld))
		base_fatalf("go.mod file not found in current directory or any parent directory.\n"
		            "\t'go get' is no longer supported outside a module.\n"
		            "\tTo build and install a command, use 'go install' with a version,\n"
		            "\tlike 'go install example.com/cmd@latest'\n"
		            "\tFor more information, see https://golang.org/doc/go-get-install-deprecation\n"
		            "\tor run 'go help get' or 'go help install'.");
	r.ld = ld;
	r.a = load_arena(ld);
	r.o = o;
	map_init(&r.initial);
	map_init(&r.blv);
	map_init(&r.resolved);
	map_init(&r.nones);
	map_init(&r.zips);
	map_init(&r.matches);
	load_workspace(&r, cfg);
	parse_args(&r, args, nargs, &qs);
	if (base_exit_status())
		goto out;
	for (size_t i = 0; i < qs.n; i++)
		if (strcmp(qs.v[i]->pattern, "toolchain") == 0)
			r.wopts.explicit_toolchain = true;
	/* go get downloads only what it needs: no zips of roots ahead */
	ld->zips_prefetched = true;
	r.f = load_fetcher(ld);
	load_query_source(ld, r.f, &r.src);
	r.src.local_go = cfg->tc.gover;
	mod_allow_init(&r.allow, &r.src, ld->mains.v[0]->file);
	r.allow.main_dir = ld->mains.v[0]->dir;
	if (mod_get_initial_reqs(ld, &r.rs) < 0)
		goto out;
	set_build_list(&r);
	for (size_t i = 0; i < r.nbl; i++)
		map_put(&r.initial, r.bl[i].path, (void *)r.bl[i].version);
	for (size_t i = 0; i < qs.n; i++)
		if (strcmp(qs.v[i]->version, "none") == 0) {
			if (qs.v[i]->wild)
				VEC_PUSH(&r.wild_nones, qs.v[i]);
			else
				map_put(&r.nones, qs.v[i]->pattern, qs.v[i]);
		}
	for (size_t i = 0; i < qs.n; i++)
		if (qs.v[i]->local)
			query_local(&r, qs.v[i]);
	for (size_t i = 0; i < qs.n; i++)
		if (!qs.v[i]->local && !qs.v[i]->wild && !qs.v[i]->meta)
			query_path(&r, qs.v[i]);
	for (size_t i = 0; i < qs.n; i++)
		if (qs.v[i]->meta && strcmp(qs.v[i]->pattern, "tool") == 0)
			query_tool(&r, qs.v[i]);
	for (size_t i = 0; i < qs.n; i++)
		if (qs.v[i]->meta && strcmp(qs.v[i]->pattern, "work") == 0)
			query_work(&r, qs.v[i]);
	for (;;) {
		struct load_strs pats = {0};
		struct queryvec wild = {0};
		bool changed, all = false;
		for (size_t i = 0; i < qs.n; i++)
			if (qs.v[i]->wild) {
				query_wildcard(&r, qs.v[i]);
				VEC_PUSH(&wild, qs.v[i]);
			}
		query_all(&r, qs.v, qs.n);
		if (resolve_queries(&r, qs.v, qs.n)) {
			VEC_FREE(&wild);
			continue;
		}
		for (size_t i = 0; i < qs.n; i++)
			if (qs.v[i]->matches_packages)
				expand_query(&r, qs.v[i], &pats, &all);
		if (find_and_upgrade_imports(&r, &pats, all)) {
			VEC_FREE(&wild);
			continue;
		}
		find_missing_wildcards(&r, wild.v, wild.n);
		changed = resolve_queries(&r, wild.v, wild.n);
		VEC_FREE(&wild);
		if (!changed)
			break;
	}
	check_wildcard_versions(&r, qs.v, qs.n);
	for (size_t i = 0; i < qs.n; i++)
		if (qs.v[i]->matches_packages)
			expand_query(&r, qs.v[i], &pkg_patterns, &pkg_all);
	check_package_problems(&r, &pkg_patterns, pkg_all);
	if (o->tool)
		update_tools(&r, qs.v, qs.n);
	if (write_files(&r) < 0)
		goto out;
	if (r.gowork)
		update_work_go(&r);
	rc = base_exit_status();
out:
	for (size_t i = 0; i < qs.n; i++) {
		VEC_FREE(&qs.v[i]->cands);
		VEC_FREE(&qs.v[i]->resolved);
		map_release(&qs.v[i]->seen);
	}
	VEC_FREE(&qs);
	VEC_FREE(&r.wild_nones);
	VEC_FREE(&r.ws);
	map_release(&r.matches);
	VEC_FREE(&r.loaded);
	VEC_FREE(&r.resolved_paths);
	if (r.allow.src)
		mod_allow_release(&r.allow);
	map_release(&r.initial);
	map_release(&r.blv);
	map_release(&r.resolved);
	map_release(&r.nones);
	map_release(&r.zips);
done:
	err_clear(&e);
	load_state_free(ld);
	return rc ? rc : base_exit_status() ? base_exit_status() : 0;
}
