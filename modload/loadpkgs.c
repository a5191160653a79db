/*
 * Patterns to root packages: std, cmd, all, import-path wildcards, local
 * directories, literal paths and command-line files.  Mirrors
 * cmd/go/internal/search (MatchPackages), modload (matchPackages,
 * resolveLocalPackage, LoadPackages) and load.PackagesAndErrors (go1.26).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "modload/load_internal.h"

struct match {
	const char *pattern;
	struct load_strs pkgs;  /* import paths (or the pattern itself on error) */
	struct load_strs errs;  /* pattern errors */
	struct map local_err;   /* path -> error text for local dirs that failed */
	/* walk_local's behaviour: modload's module walks (matchPackages) warn
	 * about symlinked directories, once per pass over the pattern; a local
	 * pattern's walk (search.MatchDirs) stops at the first directory it
	 * cannot read. */
	int warn_symlinks;
	bool local_walk, stopped;
	bool vendor_walk;       /* the vendor directory: go.mod files do not stop it (pruneVendor only) */
	/* Module walks collect their stderr notes (ignored directories,
	 * symlinks) here; go prints them once per pass over the pattern. */
	struct load_strs *notes;
};

/* walk_note prints a walk message now (local walks) or keeps it for the
 * per-pass printing of module walks. */
static void walk_note(struct load_state *ld, struct match *m, const char *msg)
{
	if (m->notes)
		load_strs_push(&ld->arena, m->notes, msg);
	else
		fprintf(stderr, "%s\n", msg);
}

static void print_notes(const struct load_strs *notes, int passes)
{
	for (int k = 0; k < passes; k++)
		for (size_t i = 0; i < notes->n; i++)
			fprintf(stderr, "%s\n", notes->v[i]);
}

static bool is_meta(const char *p)
{
	return strcmp(p, "std") == 0 || strcmp(p, "cmd") == 0 || strcmp(p, "all") == 0 ||
	       strcmp(p, "tool") == 0 || strcmp(p, "work") == 0;
}

static bool is_local(const char *p)
{
	return strcmp(p, ".") == 0 || strcmp(p, "..") == 0 || has_prefix(p, "./") ||
	       has_prefix(p, "../") || path_is_abs(p);
}

/* A directory scan used only to decide whether a directory holds a package
 * (go/build ImportDir ... NoGoError). The scanned package is kept for the
 * later load so each directory is read once. */
struct load_pkg *load_prescan(struct load_state *ld, const char *dir, const char *import_path)
{
	struct load_pkg *p = map_get(&ld->prescanned, import_path);
	struct scan_result res;

	if (p)
		return p;
	p = load_pkg_new(ld, import_path);
	p->dir = dir;
	scan_dir(ld, p, NULL, &res);
	p->scanned = true;
	p->scan_kind = res.kind;
	p->scan_err = res.err;
	p->scan_pos = res.pos;
	map_put(&ld->prescanned, import_path, p);
	return p;
}

static void walk_std(struct load_state *ld, struct match *m, const char *root, const char *prefix,
                     const char *pattern_kind, struct map *have, const char *wild)
{
	const struct load_dirents *ents;
	struct err e = ERR_INIT;

	if ((ents = load_dir_entries(ld, root, &e)) == NULL) {
		err_clear(&e);
		return;
	}
	for (size_t i = 0; i < ents->n; i++) {
		const char *elem = ents->v[i].name;
		char *dir;
		const char *name;

		/* Only real directories: the walk does not follow symlinks. */
		if (ents->v[i].type != OS_FT_DIR)
			continue;
		dir = path_join(root, elem);
		if (elem[0] == '.' || elem[0] == '_' || strcmp(elem, "testdata") == 0) {
			free(dir);
			continue;
		}
		name = prefix[0] ? arena_printf(&ld->arena, "%s/%s", prefix, elem) : arena_strdup(&ld->arena, elem);
		name = intern_str(&ld->in, name);
		if (strcmp(pattern_kind, "std") == 0 && (!mod_is_std_path(name) || strcmp(name, "cmd") == 0)) {
			free(dir);
			continue;
		}
		if (wild && !load_pattern_tree_can_match(wild, name)) {
			free(dir);
			continue;
		}
		if (wild && !prefix[0] && strcmp(elem, "cmd") == 0) {
			/* GOROOT/src/cmd is its own module: walked separately. */
			free(dir);
			continue;
		}
		if (!map_has(have, name)) {
			map_put(have, name, (void *)name);
			if (!wild || load_pattern_match(wild, name)) {
				struct load_pkg *p = load_prescan(ld, arena_strdup(&ld->arena, dir), name);
				bool keep = !p->no_go;
				if (keep && strcmp(pattern_kind, "cmd") == 0 && has_prefix(name, "cmd/vendor") &&
				    strcmp(p->name, "main") == 0)
					keep = false;
				if (keep)
					load_strs_push(&ld->arena, &m->pkgs, name);
			}
		}
		if (!(wild && strcmp(elem, "vendor") == 0))
			walk_std(ld, m, dir, name, pattern_kind, have, wild);
		free(dir);
	}
}

static void match_std_cmd(struct load_state *ld, struct match *m)
{
	struct map have;

	map_init(&have);
	map_put(&have, "builtin", "builtin");
	if (!ld->ctx->cgo_enabled)
		map_put(&have, "runtime/cgo", "runtime/cgo");
	if (strcmp(m->pattern, "std") == 0)
		walk_std(ld, m, ld->goroot_src, "", "std", &have, NULL);
	else
		walk_std(ld, m, ld->goroot_src_cmd, "cmd", "cmd", &have, NULL);
	map_release(&have);
}

/* nested_module reports whether a go.mod lies between dir and root
 * (dir itself included, root excluded): dir belongs to another module. */
static bool nested_module(const char *dir, const char *root)
{
	char *d = xstrdup(dir);
	bool nested = false;

	while (!nested && strlen(d) > strlen(root)) {
		char *gm = path_join(d, "go.mod");
		char *up;
		nested = os_is_regular(gm);
		free(gm);
		up = path_dir(d);
		free(d);
		d = up;
	}
	free(d);
	return nested;
}

/* try_mod is pathInModuleCache's tryMod for a versioned module: the import
 * path of dir inside path@version's extracted directory (its replacement's),
 * or NULL.  Directory replacements are answered from replace_dirs. */
static const char *try_mod(struct load_state *ld, const char *dir, const char *path, const char *version)
{
	struct load_module *m;
	const char *sub;

	if (!*version || strcmp(path, "go") == 0 || strcmp(path, "toolchain") == 0)
		return NULL;
	m = load_dep_module(ld, path, version);
	if ((m->replace && !*m->replace->version) || !m->dir || !*m->dir || !path_has_prefix_dir(dir, m->dir))
		return NULL;
	if (strcmp(dir, m->dir) == 0)
		return m->path;
	sub = dir + strlen(m->dir) + 1;
	if (has_prefix(sub, "vendor/") || strstr(sub, "/vendor/") || strchr(sub, '@'))
		return NULL;
	return arena_printf(&ld->arena, "%s/%s", m->path, sub);
}

/* path_in_module_cache mirrors modload pathInModuleCache: the import path
 * of a directory inside a dependency module in GOMODCACHE, from the roots
 * (pruned) or the build list, or NULL. */
static const char *path_in_module_cache(struct load_state *ld, const char *dir)
{
	struct err e = ERR_INIT;
	struct mod_graph *g = NULL;
	struct mod_version *bl;
	const char *ip = NULL;
	size_t nb;

	if (!ld->has_modroot || ld->mains.n == 0 || ld->vendor_dir || load_module_roots(ld, &e) < 0) {
		err_clear(&e);
		return NULL;
	}
	if (load_modules_pruned(ld)) {
		for (size_t i = 0; i < ld->nroots && !ip; i++) {
			const char *v;
			if (!load_root_selected(ld, ld->roots[i].path, &v) || strcmp(v, ld->roots[i].version) != 0)
				continue;
			ip = try_mod(ld, dir, ld->roots[i].path, ld->roots[i].version);
		}
		if (ip)
			return ip;
	}
	load_module_graph(ld, NULL, &g, &e);
	err_clear(&e);
	if (!g)
		return NULL;
	nb = mod_graph_build_list(g, &bl);
	for (size_t i = 0; i < nb && !ip; i++)
		ip = try_mod(ld, dir, bl[i].path, bl[i].version);
	return ip;
}

/* dir_import_path mirrors modload resolveLocalPackage after its directory
 * check: the import path of the absolute directory dir, or NULL with *why
 * set to go's complete message. */
static const char *dir_import_path(struct load_state *ld, const char *dir, const char **why)
{
	const char *not_found = NULL;
	size_t longest = 0;

	*why = NULL;
	for (size_t i = 0; i < ld->mains.n; i++) {
		struct load_module *mm = ld->mains.v[i];
		if (strcmp(dir, mm->dir) != 0)
			continue;
		if (strcmp(dir, ld->goroot_src) == 0) {
			*why = "GOROOT/src is not an importable package";
			return NULL;
		}
		return strcmp(mm->path, "std") == 0 ? "" : mm->path;
	}
	for (size_t i = 0; i < ld->mains.n; i++) {
		struct load_module *mm = ld->mains.v[i];
		const char *rel, *prefix;
		if (!path_has_prefix_dir(dir, mm->dir) || strcmp(dir, mm->dir) == 0)
			continue;
		rel = dir + strlen(mm->dir) + 1;
		if (strchr(rel, '@'))
			continue;
		if (has_prefix(rel, "vendor/")) {
			if (!ld->vendor_dir) {
				*why = arena_printf(&ld->arena, "without -mod=vendor, directory %s has no package path", dir);
				return NULL;
			}
			return arena_strdup(&ld->arena, rel + strlen("vendor/"));
		}
		prefix = strcmp(mm->path, "std") == 0 ? "" : mm->path;
		if (!prefix[0]) {
			if (strcmp(rel, "builtin") == 0) {
				*why = "\"builtin\" is a pseudo-package, not an importable package";
				return NULL;
			}
			return arena_strdup(&ld->arena, rel);
		}
		if (nested_module(dir, mm->dir) || !os_is_dir(dir)) {
			/* dirInModule finds no package (a nested module, or a file
			 * named as a directory): PackageNotInModuleError for the
			 * longest main module prefix */
			if (strlen(prefix) > longest) {
				longest = strlen(prefix);
				not_found = arena_printf(&ld->arena, "main module (%s) does not contain package %s/%s",
				                         mm->path, prefix, rel);
			}
			continue;
		}
		return arena_printf(&ld->arena, "%s/%s", prefix, rel);
	}
	if (not_found) {
		*why = not_found;
		return NULL;
	}
	if (path_has_prefix_dir(dir, ld->goroot_src) && strcmp(dir, ld->goroot_src) != 0) {
		const char *sub = dir + strlen(ld->goroot_src) + 1;
		if (strcmp(sub, "builtin") == 0) {
			*why = "\"builtin\" is a pseudo-package, not an importable package";
			return NULL;
		}
		return arena_strdup(&ld->arena, sub);
	}
	/* pathInModuleCache: directories of required modules (here: directory
	 * replacements) resolve to their module path. */
	for (size_t i = 0; i < ld->replace_dirs.n; i++) {
		struct load_replace_dir *rd = &ld->replace_dirs.v[i];
		const char *sub;
		if (!path_has_prefix_dir(dir, rd->dir))
			continue;
		if (strcmp(dir, rd->dir) == 0)
			return rd->old_path;
		sub = dir + strlen(rd->dir) + 1;
		if (has_prefix(sub, "vendor/") || strstr(sub, "/vendor/") || strchr(sub, '@'))
			continue;
		return arena_printf(&ld->arena, "%s/%s", rd->old_path, sub);
	}
	{
		const char *ip = path_in_module_cache(ld, dir);
		if (ip)
			return ip;
	}
	{
		const char *short_dir = short_path(ld, dir);
		const char *dirstr = strcmp(short_dir, ".") == 0 ? "current directory"
		                     : arena_printf(&ld->arena, "directory %s", short_dir);
		if (ld->workspace) {
			char *gm = mod_find_gomod(dir);
			if (gm) {
				char *mr = path_dir(gm);
				*why = arena_printf(&ld->arena, "%s is contained in a module that is not one of the "
				                    "workspace modules listed in go.work. You can add the module to the "
				                    "workspace using:\n\tgo work use %s", dirstr, short_path(ld, mr));
				free(mr);
				free(gm);
			} else {
				*why = arena_printf(&ld->arena, "%s outside modules listed in go.work or their selected "
				                    "dependencies", dirstr);
			}
		} else {
			*why = arena_printf(&ld->arena, "%s outside main module or its selected dependencies", dirstr);
		}
	}
	return NULL;
}

/*
 * load_ignored_dir mirrors search.IgnorePatterns.ShouldIgnore for the go.mod
 * `ignore` lines of the main module holding dir: "./x" ignores x at the
 * module root, "x" any directory named x (with its subtree).
 */
bool load_ignored_dir(struct load_state *ld, const char *dir)
{
	const struct load_module *mm = NULL;
	struct buf rel = BUF_INIT;
	bool hit = false;

	/* The innermost module root holding dir: a main module, or a required
	 * module replaced by a directory (its own go.mod's ignore lines). */
	for (size_t i = 0; i < ld->mains.n; i++)
		if (path_has_prefix_dir(dir, ld->mains.v[i]->dir) &&
		    (!mm || strlen(ld->mains.v[i]->dir) > strlen(mm->dir)))
			mm = ld->mains.v[i];
	for (size_t i = 0; i < ld->replace_dirs.n && !ld->vendor_dir; i++) {
		const struct load_module *rm = ld->replace_dirs.v[i].mod ? ld->replace_dirs.v[i].mod->replace : NULL;
		if (rm && rm->file && path_has_prefix_dir(dir, rm->dir) && (!mm || strlen(rm->dir) > strlen(mm->dir)))
			mm = rm;
	}
	if (!mm || !mm->file || mm->file->ignores.n == 0)
		return false;
	/* normalizePath(InDir(dir, root)): "/rel/" (the root itself is "/./") */
	buf_printf(&rel, "/%s/", strcmp(dir, mm->dir) == 0 ? "." : dir + strlen(mm->dir) + 1);
	for (size_t i = 0; i < mm->file->ignores.n && !hit; i++) {
		const char *pat = mm->file->ignores.v[i];
		bool relative = has_prefix(pat, "./");
		struct buf norm = BUF_INIT;
		if (relative)
			pat += 2;
		buf_printf(&norm, "%s%s%s", pat[0] == '/' ? "" : "/", pat, has_suffix(pat, "/") ? "" : "/");
		hit = relative ? has_prefix(rel.data, norm.data) : strstr(rel.data, norm.data) != NULL;
		buf_release(&norm);
	}
	buf_release(&rel);
	return hit;
}

static void walk_local(struct load_state *ld, struct match *m, const char *abs, const char *rel,
                       const char *pattern, bool is_root)
{
	const struct load_dirents *ents;
	struct err e = ERR_INIT;
	const char *elem = path_base(abs);

	if (m->stopped)
		return;
	if (!is_root && (elem[0] == '.' || elem[0] == '_' || strcmp(elem, "testdata") == 0))
		return;
	/* A module walk does not check its root; a local walk does. */
	if ((!is_root || m->local_walk) && load_ignored_dir(ld, abs)) {
		if (ld->opts.x)
			walk_note(ld, m, arena_printf(&ld->arena, "# ignoring directory %s", abs));
		return;
	}
	if (!is_root && !m->vendor_walk) {
		char *gm = path_join(abs, "go.mod");
		bool other = os_is_regular(gm);
		free(gm);
		if (other)
			return;
	}
	ents = load_dir_entries(ld, abs, &e);
	if (!ents && m->local_walk) {
		/* MatchDirs returns the walk error, which ends the walk: the
		 * directory is not listed and nothing after it is matched.  The
		 * path is as the walk sees it, from the cleaned pattern root. */
		const char *why = strrchr(err_msg(&e), ':');
		char *walk_path = path_clean(rel);
		load_strs_push(&ld->arena, &m->errs, arena_printf(&ld->arena, "open %s%s", walk_path,
		               why ? why : ": permission denied"));
		free(walk_path);
		m->stopped = true;
		err_clear(&e);
		return;
	}
	if (load_pattern_match(pattern, rel)) {
		const char *why;
		const char *ip = dir_import_path(ld, abs, &why);
		if (!m->local_walk && !ip) {
			/* A module walk (modload walkPkgs) names a directory by the
			 * module's path and its place in the tree, even a module
			 * nested in a main module's directory (a replacement). */
			ip = rel;
			why = NULL;
		}
		/* MatchDirs keeps only directories holding a package; their
		 * resolution errors become pattern errors. */
		if (!ip && why && !has_prefix(why, "GOROOT/src is not") && !has_prefix(why, "\"builtin\"") &&
		    !load_prescan(ld, arena_strdup(&ld->arena, abs), arena_strdup(&ld->arena, abs))->no_go)
			load_strs_push(&ld->arena, &m->errs, why);
		if (ip) {
			ip = intern_str(&ld->in, ip);
			struct load_pkg *p = load_prescan(ld, arena_strdup(&ld->arena, abs), ip);
			if (!p->no_go && strcmp(ip, "builtin") != 0)
				load_strs_push(&ld->arena, &m->pkgs, ip);
		}
	}
	if (!ents) {
		/* modload's walkPkgs records the error and walks on. */
		load_strs_push(&ld->arena, &m->errs, arena_strdup(&ld->arena, err_msg(&e)));
		err_clear(&e);
		return;
	}
	for (size_t i = 0; i < ents->n; i++) {
		const char *nm = ents->v[i].name;
		bool is_dir = ents->v[i].type == OS_FT_DIR;
		char *child, *crel;

		if (!is_dir && ents->v[i].type != OS_FT_LNK)
			continue;
		child = path_join(abs, nm);
		crel = strcmp(rel, ".") == 0 && !has_prefix(pattern, "./") ? xstrdup(nm) : xasprintf("%s/%s", rel, nm);
		if (is_dir && load_pattern_tree_can_match(pattern, crel) &&
		    !(!m->local_walk && strcmp(elem, "vendor") == 0 && !is_root))
			/* module walks prune below vendor directories (pruneVendor) */
			walk_local(ld, m, child, crel, pattern, false);
		else if (!is_dir && m->warn_symlinks > 0 && strstr(pattern, "...") &&
		         nm[0] != '.' && nm[0] != '_' && strcmp(nm, "testdata") != 0 &&
		         load_pattern_tree_can_match(pattern, crel) && os_is_dir(child))
			/* modload matchPackages warns about symlinked directories it will
			 * not follow; search.MatchDirs (local patterns) skips them quietly. */
			walk_note(ld, m, arena_printf(&ld->arena, "warning: ignoring symlink %s", child));
		free(child);
		free(crel);
	}
}

/* wildcard_root_ok mirrors the check in modload matchLocalDirs: the
 * directory before "..." must lie in a main module, GOROOT/src or a
 * required module; otherwise the pattern gets an error and no walk. */
static bool wildcard_root_ok(struct load_state *ld, struct match *m)
{
	const char *pat = m->pattern;
	char *upto = xstrndup(pat, (size_t)(strstr(pat, "...") - pat) + 3);
	char *clean = path_clean(upto);
	char *dir = path_dir(clean);
	char *abs = path_is_abs(dir) ? xstrdup(dir) : path_join(ld->cwd, dir);
	char *gm = mod_find_gomod(abs);
	bool ok = false;

	if (gm) {
		char *root = path_dir(gm);
		for (size_t i = 0; i < ld->mains.n; i++)
			if (strcmp(ld->mains.v[i]->dir, root) == 0)
				ok = true;
		free(root);
	}
	if (path_has_prefix_dir(abs, ld->goroot_src))
		ok = true;
	for (size_t i = 0; i < ld->replace_dirs.n; i++)
		if (path_has_prefix_dir(abs, ld->replace_dirs.v[i].dir))
			ok = true;
	if (!ok)
		load_strs_push(&ld->arena, &m->errs, arena_printf(&ld->arena, "directory prefix %s does not contain %s",
		               short_path(ld, abs), ld->workspace ? "modules listed in go.work or their selected dependencies"
		                                                  : "main module or its selected dependencies"));
	free(upto);
	free(clean);
	free(dir);
	free(abs);
	free(gm);
	return ok;
}

/* inside_mod_roots mirrors the module-root check of search.MatchDirs:
 * the walk's starting directory must lie in a main module. */
static bool inside_mod_roots(struct load_state *ld, struct match *m, const char *abs)
{
	struct buf b = BUF_INIT;

	/* outside a module there are no roots to be inside of */
	if (ld->mains.n == 0)
		return true;
	for (size_t i = 0; i < ld->mains.n; i++)
		if (path_has_prefix_dir(abs, ld->mains.v[i]->dir))
			return true;
	for (size_t i = 0; i < ld->mains.n; i++) {
		if (i)
			buf_adds(&b, ", ");
		buf_adds(&b, ld->mains.v[i]->dir);
	}
	load_strs_push(&ld->arena, &m->errs, arena_printf(&ld->arena, "directory %s is outside module root%s (%s)",
	               abs, ld->mains.n > 1 ? "s" : "", b.data));
	buf_release(&b);
	return false;
}

static void match_local_wildcard(struct load_state *ld, struct match *m)
{
	const char *pat = m->pattern;
	const char *dots = strstr(pat, "...");
	char *prefix = xstrndup(pat, (size_t)(dots - pat));
	char *dir, *abs;
	struct stat st;

	/* The walk starts at the directory before the first "...". */
	if (has_suffix(prefix, "/")) {
		dir = strlen(prefix) > 1 ? xstrndup(prefix, strlen(prefix) - 1) : xstrdup("/");
	} else {
		dir = strchr(prefix, '/') ? path_dir(prefix) : xstrdup(".");
	}
	abs = path_is_abs(dir) ? path_clean(dir) : path_join(ld->cwd, dir);
	if (!wildcard_root_ok(ld, m)) {
		/* matchLocalDirs refuses to walk outside the module graph. */
	} else {
		/* MatchDirs records the module-root error but walks anyway. */
		inside_mod_roots(ld, m, abs);
		if (stat(abs, &st) < 0)
			load_strs_push(&ld->arena, &m->errs, arena_printf(&ld->arena, "lstat %s/: %s", dir,
			               os_errstr(errno)));
		else {
			m->local_walk = true;
			walk_local(ld, m, abs, dir, pat, true);
		}
	}
	free(prefix);
	free(dir);
	free(abs);
}

/* modscan_pkg reports whether modload's walk (matchPackages / walkPkgs)
 * keeps a package the directory walk found: its scanDir must not answer
 * imports.ErrNoGo, which go/build's answer does not decide. */
static bool modscan_pkg(struct load_state *ld, const char *path)
{
	struct load_pkg *p = map_get(&ld->prescanned, path);

	return !p || !p->dir || !map_has(&ld->modscan_nogo, p->dir);
}

/* walk_vendor is matchPackages' walkPkgs of the vendor directory in
 * vendor mode: its packages are named without an import path prefix.
 * Names already in have are left out; the new ones join it and m. */
static void walk_vendor(struct load_state *ld, struct match *m, struct map *have, struct load_strs *notes)
{
	struct err e = ERR_INIT;
	const struct load_dirents *ents = load_dir_entries(ld, ld->vendor_dir, &e);

	err_clear(&e);
	/* Like the walk, only real directories: symlinks are not followed. */
	for (size_t i = 0; ents && i < ents->n; i++) {
		const char *nm = ents->v[i].name;
		struct match tmp = {.pattern = m->pattern, .warn_symlinks = 2, .notes = notes, .vendor_walk = true};
		if (ents->v[i].type != OS_FT_DIR || !load_pattern_tree_can_match(m->pattern, nm))
			continue;
		char *child = path_join(ld->vendor_dir, nm);
		walk_local(ld, &tmp, child, nm, m->pattern, false);
		free(child);
		for (size_t k = 0; k < tmp.pkgs.n; k++)
			if (!map_has(have, tmp.pkgs.v[k])) {
				map_put(have, tmp.pkgs.v[k], (void *)tmp.pkgs.v[k]);
				load_strs_push(&ld->arena, &m->pkgs, tmp.pkgs.v[k]);
			}
	}
}

static void match_import_wildcard(struct load_state *ld, struct match *m)
{
	struct map have;
	struct load_strs notes = {0};

	map_init(&have);
	map_put(&have, "builtin", "builtin");
	if (!ld->ctx->cgo_enabled)
		map_put(&have, "runtime/cgo", "runtime/cgo");
	/* std (and cmd when it can match) */
	walk_std(ld, m, ld->goroot_src, "", "wild", &have, m->pattern);
	if (load_pattern_tree_can_match(m->pattern, "cmd"))
		walk_std(ld, m, ld->goroot_src_cmd, "cmd", "wild", &have, m->pattern);
	for (size_t i = 0; i < ld->mains.n; i++) {
		struct load_module *mm = ld->mains.v[i];
		if (!load_pattern_tree_can_match(m->pattern, mm->path))
			continue;
		struct match tmp = {.pattern = m->pattern, .warn_symlinks = 2, .notes = &notes};
		walk_local(ld, &tmp, mm->dir, mm->path, m->pattern, true);
		for (size_t k = 0; k < tmp.pkgs.n; k++)
			if (!map_has(&have, tmp.pkgs.v[k]) && modscan_pkg(ld, tmp.pkgs.v[k])) {
				map_put(&have, tmp.pkgs.v[k], (void *)tmp.pkgs.v[k]);
				load_strs_push(&ld->arena, &m->pkgs, tmp.pkgs.v[k]);
			}
	}
	/* Vendor mode: the vendored packages (walkPkgs of vendor/ with no
	 * import path prefix). */
	if (ld->vendor_dir)
		walk_vendor(ld, m, &have, &notes);
	/* Other modules of the build list: here the required modules replaced
	 * by directories (modload matchPackages walks each module's root). */
	for (size_t i = 0; i < ld->replace_dirs.n && !ld->vendor_dir; i++) {
		struct load_replace_dir *rd = &ld->replace_dirs.v[i];
		if (!load_pattern_tree_can_match(m->pattern, rd->old_path) || !load_replace_dir_required(ld, rd))
			continue;
		struct match tmp = {.pattern = m->pattern, .warn_symlinks = 2, .notes = &notes};
		walk_local(ld, &tmp, rd->dir, rd->old_path, m->pattern, true);
		for (size_t k = 0; k < tmp.pkgs.n; k++)
			if (!map_has(&have, tmp.pkgs.v[k])) {
				map_put(&have, tmp.pkgs.v[k], (void *)tmp.pkgs.v[k]);
				load_strs_push(&ld->arena, &m->pkgs, tmp.pkgs.v[k]);
			}
	}
	/* The dependency modules of the build list, in their module cache
	 * directories (mg.BuildList(); a graph error leaves what loaded). */
	if (!ld->vendor_dir && ld->has_modroot && ld->mains.n > 0) {
		struct mod_graph *g = NULL;
		struct err ge = ERR_INIT;
		struct mod_version *bl = NULL;
		size_t nb = 0;
		load_module_graph(ld, NULL, &g, &ge);
		err_clear(&ge);
		if (g)
			nb = mod_graph_build_list(g, &bl);
		for (size_t i = 0; i < nb; i++) {
			struct load_module *dm;
			const char *dir;
			if (!*bl[i].version || strcmp(bl[i].path, "go") == 0 || strcmp(bl[i].path, "toolchain") == 0 ||
			    !load_pattern_tree_can_match(m->pattern, bl[i].path))
				continue;
			dm = load_dep_module(ld, bl[i].path, bl[i].version);
			if (dm->replace && !*dm->replace->version)
				continue; /* walked above as a directory replacement */
			if (load_module_dir(ld, dm, &dir, &ge) < 0) {
				err_clear(&ge);
				continue;
			}
			struct match tmp = {.pattern = m->pattern, .warn_symlinks = 2, .notes = &notes};
			walk_local(ld, &tmp, dir, bl[i].path, m->pattern, true);
			for (size_t k = 0; k < tmp.pkgs.n; k++)
				if (!map_has(&have, tmp.pkgs.v[k])) {
					map_put(&have, tmp.pkgs.v[k], (void *)tmp.pkgs.v[k]);
					load_strs_push(&ld->arena, &m->pkgs, tmp.pkgs.v[k]);
				}
		}
	}
	/* modload matches an import-path pattern in two passes (the import
	 * graph load and the final match), each walking every module. */
	print_notes(&notes, 2);
	load_strs_sort(&m->pkgs);
	map_release(&have);
}

/* match_local_literal resolves a directory argument (resolveLocalPackage);
 * false when it failed (fatal outside a module, as go dies there). */
static bool match_local_literal(struct load_state *ld, struct match *m)
{
	char *abs = path_is_abs(m->pattern) ? path_clean(m->pattern) : path_join(ld->cwd, m->pattern);
	const char *why = NULL, *ip;
	struct stat st;

	if (stat(abs, &st) < 0) {
		const char *msg = arena_printf(&ld->arena, "stat %s: directory not found", abs);
		map_put(&m->local_err, m->pattern, (void *)msg);
		load_strs_push(&ld->arena, &m->pkgs, m->pattern);
		free(abs);
		return false;
	}
	ip = dir_import_path(ld, abs, &why);
	if (!ip) {
		/* ImportDir runs first: a directory without Go files reports
		 * that (a file is not its NoGoError) */
		struct load_pkg *p = S_ISDIR(st.st_mode) ? load_prescan(ld, arena_strdup(&ld->arena, abs),
		                                                        arena_strdup(&ld->arena, abs)) : NULL;
		const char *msg = why;
		if (p && p->no_go && p->ignored_go_files.n == 0)
			msg = arena_printf(&ld->arena, "no Go files in %s", abs);
		else if (!ld->has_modroot)
			msg = load_no_main_modules_error(ld);
		map_put(&m->local_err, m->pattern, (void *)msg);
		load_strs_push(&ld->arena, &m->pkgs, m->pattern);
		free(abs);
		return false;
	}
	ip = intern_str(&ld->in, ip);
	{
		struct load_pkg *p = load_prescan(ld, arena_strdup(&ld->arena, abs), ip);
		if (p->scan_kind == SCAN_READDIR) {
			/* resolveLocalPackage: dirInModule cannot list the directory */
			map_put(&m->local_err, m->pattern, (void *)p->scan_err);
			load_strs_push(&ld->arena, &m->pkgs, m->pattern);
			free(abs);
			return false;
		}
		if (p->no_go && p->ignored_go_files.n == 0) {
			/* The directory holds no Go files at all: the package keeps the
			 * pattern as its path (resolveLocalPackage returns the
			 * NoGoError).  With ignored files it resolves, and the load
			 * reports the constraints. */
			const char *msg = arena_printf(&ld->arena, "no Go files in %s", abs);
			map_put(&m->local_err, m->pattern, (void *)msg);
			map_put(&m->local_err, arena_printf(&ld->arena, "dir:%s", m->pattern), arena_strdup(&ld->arena, abs));
			load_strs_push(&ld->arena, &m->pkgs, m->pattern);
			free(abs);
			return false;
		}
	}
	load_strs_push(&ld->arena, &m->pkgs, ip);
	free(abs);
	return true;
}

/* match_work is matchPackages over the main modules: their trees, and
 * in vendor mode (with vendored) the vendor directory's packages (std's
 * golang.org/x ones too).  The pseudo-package builtin is never one.
 * "all" starts from the main modules' packages alone: a vendored root
 * is not in "all" unless a package in it imports it. */
static void match_work(struct load_state *ld, struct match *m, bool vendored)
{
	struct map have;

	map_init(&have);
	map_put(&have, "builtin", "builtin");
	for (size_t i = 0; i < ld->mains.n; i++) {
		struct load_module *mm = ld->mains.v[i];
		struct match tmp = {.pattern = "..."};
		walk_local(ld, &tmp, mm->dir, mm->path, arena_printf(&ld->arena, "%s/...", mm->path), true);
		for (size_t k = 0; k < tmp.pkgs.n; k++) {
			const char *ip = tmp.pkgs.v[k];
			/* std's packages have no "std/" prefix (PathPrefix):
			 * the walk names only builtin, which has no import path, so */
			if (strcmp(mm->path, "std") == 0 && strcmp(ip, "std/builtin") == 0)
				continue;
			if (!map_has(&have, ip) && modscan_pkg(ld, ip)) {
				map_put(&have, ip, (void *)ip);
				load_strs_push(&ld->arena, &m->pkgs, ip);
			}
		}
	}
	if (ld->vendor_dir && vendored) {
		struct match v = {.pattern = "..."};
		walk_vendor(ld, &v, &have, NULL);
		for (size_t k = 0; k < v.pkgs.n; k++)
			load_strs_push(&ld->arena, &m->pkgs, v.pkgs.v[k]);
	}
	load_strs_sort(&m->pkgs);
	map_release(&have);
}

/* match_tools adds the tools the main modules declare (MainModules.Tools,
 * a set: go lists it in map order, gotool sorted) to m's packages. */
void load_tools(struct load_state *ld, struct load_strs *out)
{
	struct load_strs tools = {0};

	for (size_t i = 0; i < ld->mains.n; i++) {
		const struct mod_file *f = ld->mains.v[i]->file;
		for (size_t k = 0; f && k < f->tools.n; k++)
			if (!load_strs_contains(&tools, f->tools.v[k]))
				load_strs_push(&ld->arena, &tools, f->tools.v[k]);
	}
	load_strs_sort(&tools);
	for (size_t i = 0; i < tools.n; i++)
		load_strs_push(&ld->arena, out, tools.v[i]);
}

static void match_tools(struct load_state *ld, struct match *m)
{
	struct load_strs tools = {0};

	load_tools(ld, &tools);
	for (size_t i = 0; i < tools.n; i++) {
		if (load_strs_contains(&m->pkgs, tools.v[i]))
			continue;
		/* a root like a literal path: go looks for a missing one twice */
		map_put(&ld->root_literals, tools.v[i], (void *)tools.v[i]);
		load_strs_push(&ld->arena, &m->pkgs, tools.v[i]);
	}
}

/* cmdline_files builds the command-line-arguments package from .go files. */
static int load_cmdline_files(struct load_state *ld, char *const *files, size_t n, struct load_pkgs *out,
                              struct err *e)
{
	struct load_pkg *p = load_pkg_new(ld, "command-line-arguments");
	struct load_strs names = {0};
	char *dir = NULL;
	struct scan_result res;

	for (size_t i = 0; i < n; i++) {
		if (!has_suffix(files[i], ".go")) {
			/* GoFilesPackage: a package named after the argument, with
			 * the error and no import path. */
			p->import_path = "";
			p->name = arena_strdup(&ld->arena, files[i]);
			p->error = arena_new(&ld->arena, struct load_error);
			p->error->pos = "";
			p->error->err = arena_printf(&ld->arena, "named files must be .go files: %s", files[i]);
			p->incomplete = true;
			p->cmdline_files = true;
			p->cmdline_pkg = true;
			p->state = 2;
			VEC_PUSH(out, p);
			return 0;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		/* GoFilesPackage stops with base.Fatalf: no "go: " prefix */
		ld->err_bare = true;
		if (stat(files[i], &st) < 0) {
			int saved = errno;
			free(dir);
			return err_setf(e, "stat %s: %s", files[i], os_errstr(saved));
		}
		if (S_ISDIR(st.st_mode)) {
			free(dir);
			return err_setf(e, "%s is a directory, should be a Go file", files[i]);
		}
		char *d = path_dir(files[i]);
		if (dir && strcmp(dir, d) != 0) {
			err_setf(e, "named files must all be in one directory; have %s and %s", dir, d);
			free(d);
			free(dir);
			return -1;
		}
		free(dir);
		dir = d;
		load_strs_push(&ld->arena, &names, arena_strdup(&ld->arena, path_base(files[i])));
	}
	ld->err_bare = false;
	/* modload.ImportFromFiles: imports.ScanFiles reads each file's imports
	 * and stops the command on a file it cannot read */
	for (size_t i = 0; i < n; i++) {
		struct buf data = BUF_INIT;
		struct load_gofile gf;
		bool bad;
		if (os_read_file(files[i], &data, 0, e) < 0) {
			buf_release(&data);
			free(dir);
			return -1;
		}
		load_read_gofile(&ld->arena, files[i], data.data, data.len, &gf);
		/* a NUL the header reader met, or one after a syntax error (the
		 * import scanner then reads on to the end) */
		bad = gf.read_error || (memchr(data.data, 0, data.len) &&
		                        gf.header + gf.header_len == data.data + data.len);
		load_gofile_release(&gf);
		buf_release(&data);
		if (bad) {
			free(dir);
			return err_setf(e, "reading %s: unexpected NUL in input", files[i]);
		}
	}
	char *abs = path_is_abs(dir) ? path_clean(dir) : path_join(ld->cwd, dir);
	p->dir = arena_strdup(&ld->arena, abs);
	free(abs);
	free(dir);
	p->cmdline_files = true;
	p->cmdline_pkg = true;
	scan_dir(ld, p, &names, &res);
	p->scanned = true;
	p->scan_kind = res.kind;
	p->scan_err = res.err;
	p->scan_pos = res.pos;
	for (size_t i = 0; i < n; i++)
		load_strs_push(&ld->arena, &p->match, arena_strdup(&ld->arena, files[i]));
	map_put(&ld->prescanned, "command-line-arguments", p);
	{
		struct load_pkg *q = load_import_root(ld, "command-line-arguments");
		VEC_PUSH(out, q);
	}
	return 0;
}

/* check_multiple_paths is loadFromRoots' checkMultiplePaths: one module
 * (after replacement) may not be used for two module paths of the build
 * list (the roots when the module graph was not loaded). */
static int check_multiple_paths(struct load_state *ld, struct err *e)
{
	struct mod_version *bl = ld->roots;
	size_t n = ld->nroots;
	struct map first;
	int rc = 0;

	if (ld->workspace || ld->vendor_dir || !ld->has_modroot)
		return 0;
	if (ld->graph)
		n = mod_graph_build_list(ld->graph, &bl);
	map_init(&first);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct mod_version src;
		const char *k, *prev;
		if (!bl[i].version || !*bl[i].version)
			continue;
		src = load_module_actual(ld, bl[i]);
		k = arena_printf(&ld->arena, "%s@%s", src.path, src.version);
		prev = map_get(&first, k);
		if (!prev)
			map_put(&first, k, (void *)bl[i].path);
		else if (strcmp(prev, bl[i].path) != 0)
			rc = err_setf(e, "%s@%s used for two different module paths (%s and %s)", src.path, src.version, prev,
			              bl[i].path);
	}
	map_release(&first);
	return rc;
}

/* mark_direct is loadFromRoots' direct set as modinfo reports it: a module
 * providing a package that a main module's package imports (its tests too
 * when "all" was loaded) is a direct dependency, whatever go.mod's
 * "// indirect" says; the modules go.mod marks direct stay direct (the
 * imports under other build tags were not scanned). */
static void mark_direct(struct load_state *ld, bool tests)
{
	size_t it = 0;
	const char *k;
	void *v;

	if (ld->vendor_dir)
		return;
	while (map_next(&ld->pkgs, &it, &k, &v)) {
		const struct load_pkg *p = v;
		if (!p->module || !p->module->main || p->test_variant)
			continue;
		for (size_t i = 0; i < p->internal_imports.n; i++) {
			struct load_module *m = p->internal_imports.v[i]->module;
			if (m && !m->main)
				m->indirect = false;
		}
		for (int t = 0; tests && t < 2; t++) {
			const struct load_strs *l = t ? &p->xtest_imports : &p->test_imports;
			for (size_t i = 0; i < l->n; i++) {
				const struct load_pkg *d = map_get(&ld->pkgs, l->v[i]);
				if (d && d->module && !d->module->main)
					d->module->indirect = false;
			}
		}
	}
}

static int load_packages_1(struct load_state *ld, char *const *patterns, size_t npatterns,
                           struct load_pkgs *out, struct err *e);

/* preload_test_imports: with tests (go test, go vet, list -test) the
 * command-line packages' test imports load with them, as ModResolveTests
 * has LoadPackages load them, so that the requirements check sees them.
 * load_test_packages later finds them loaded, under the same import
 * stack ("p (test)", "p_test") it pushes. */
static void preload_test_imports(struct load_state *ld, const struct load_pkgs *out)
{
	for (size_t i = 0; i < out->n; i++) {
		struct load_pkg *p = out->v[i];
		for (int x = 0; x < 2; x++) {
			const struct load_strs *l = x ? &p->xtest_imports : &p->test_imports;
			const struct map *pos = x ? &p->xtest_import_pos : &p->test_import_pos;
			if (l->n == 0)
				continue;
			load_stack_push(ld, arena_printf(&ld->arena, x ? "%s_test" : "%s (test)", p->import_path), NULL);
			ld->test_importer = true;
			for (size_t j = 0; j < l->n; j++) {
				struct load_error *perr;
				load_import_from(ld, p, l->v[j], map_get(pos, l->v[j]), &perr);
			}
			ld->test_importer = false;
			load_stack_pop(ld);
		}
	}
}

int load_packages(struct load_state *ld, char *const *patterns, size_t npatterns,
                  struct load_pkgs *out, struct err *e)
{
	int rc;

	ld->defer_complete = true;
	rc = load_packages_1(ld, patterns, npatterns, out, e);
	ld->defer_complete = false;
	/* after the requirements check: nothing is fetched for a go.mod
	 * that is refused */
	for (size_t i = 0; rc == 0 && i < ld->to_complete.n; i++)
		load_module_complete(ld, ld->to_complete.v[i]);
	VEC_FREE(&ld->to_complete);
	return rc;
}

static int load_packages_1(struct load_state *ld, char *const *patterns, size_t npatterns,
                           struct load_pkgs *out, struct err *e)
{
	bool all_root = false;
	struct strvec clean = {0};
	VEC(struct match) matches = {0};
	int rc = -1;

	/* loadModFile computes the requirements first: excluded roots are
	 * reported, and in readonly mode dropping one would edit go.mod. */
	if (ld->has_modroot && !ld->workspace && !ld->vendor_dir) {
		if (load_module_roots(ld, e) < 0)
			return -1;
		if (ld->roots_dropped && strcmp(ld->mod_mode, "readonly") == 0)
			return load_gomod_dirty_error(ld, e);
		/* loadFromRoots: an unpruned module needs its whole module
		 * graph (expandGraph); failing to load it is fatal */
		if (!ld->pruned) {
			struct mod_graph *g;
			if (load_module_graph(ld, NULL, &g, e) < 0)
				return -1;
		}
	}

	/* Files named on the command line make one synthetic package. */
	for (size_t i = 0; i < npatterns; i++) {
		struct stat st;
		if (has_suffix(patterns[i], ".go") && stat(patterns[i], &st) == 0 && !S_ISDIR(st.st_mode)) {
			/* ImportFromFiles commits the requirements too */
			if (load_cmdline_files(ld, patterns, npatterns, out, e) < 0 || load_write_gosum(ld, e) < 0)
				return -1;
			return 0;
		}
	}
	if (npatterns == 0) {
		strvec_push(&clean, ".");
	} else if (load_clean_patterns(patterns, npatterns, &clean) < 0) {
		err_setf(e, "invalid pattern");
		goto out;
	}

	for (size_t i = 0; i < clean.n; i++) {
		struct match m = {.pattern = arena_strdup(&ld->arena, clean.v[i])};
		map_init(&m.local_err);
		if (is_meta(m.pattern)) {
			if (strcmp(m.pattern, "std") == 0 || strcmp(m.pattern, "cmd") == 0) {
				match_std_cmd(ld, &m);
			} else if (!ld->has_modroot) {
				/* outside a module "all", "work" and "tool" match
				 * nothing (warned about below) */
			} else if (strcmp(m.pattern, "work") == 0) {
				match_work(ld, &m, true);
			} else if (strcmp(m.pattern, "all") == 0) {
				/* the roots: the main modules' packages and tools */
				struct match mods = {.pattern = "work"};
				match_work(ld, &mods, false);
				match_tools(ld, &mods);
				load_match_all(ld, &mods.pkgs, &m.pkgs);
				all_root = true;
			} else if (strcmp(m.pattern, "tool") == 0) {
				match_tools(ld, &m);
			} else {
				err_setf(e, "pattern \"%s\" is not supported yet", m.pattern);
				goto out;
			}
		} else if (is_local(m.pattern)) {
			if (!ld->has_modroot && !strstr(m.pattern, "...")) {
				/* Outside a module a directory still resolves inside
				 * GOROOT/src; any other failure is fatal (modload die). */
				if (!match_local_literal(ld, &m)) {
					map_release(&m.local_err);
					err_setf(e, "%s", load_no_main_modules_error(ld));
					goto out;
				}
			} else if (strstr(m.pattern, "...")) {
				/* outside a module matchLocalDirs finds no module root
				 * for the walk and records the pattern's error */
				match_local_wildcard(ld, &m);
			} else {
				match_local_literal(ld, &m);
			}
		} else if (strstr(m.pattern, "...")) {
			match_import_wildcard(ld, &m);
		} else {
			map_put(&ld->root_literals, m.pattern, (void *)m.pattern);
			load_strs_push(&ld->arena, &m.pkgs, m.pattern);
		}
		VEC_PUSH(&matches, m);
	}

	/* Warnings for patterns that matched nothing (search.WarnUnmatched). */
	for (size_t i = 0; i < matches.n; i++) {
		struct match *m = &matches.v[i];
		if (m->pkgs.n == 0 && m->errs.n == 0 && (is_meta(m->pattern) || strstr(m->pattern, "...")))
			fprintf(stderr, "%s: warning: \"%s\" matched no packages\n", prog_name, m->pattern);
	}

	for (size_t i = 0; i < matches.n; i++) {
		struct match *m = &matches.v[i];
		for (size_t k = 0; k < m->pkgs.n; k++) {
			const char *path = m->pkgs.v[k];
			const char *lerr = map_get(&m->local_err, path);
			struct load_pkg *p;
			if (lerr) {
				p = map_get(&ld->pkgs, path);
				if (!p) {
					p = load_pkg_new(ld, path);
					const char *d = map_get(&m->local_err, arena_printf(&ld->arena, "dir:%s", path));
					p->dir = d ? d : "";
					p->error = arena_new(&ld->arena, struct load_error);
					p->error->pos = "";
					p->error->err = lerr;
					p->incomplete = true;
					p->state = 2;
					map_put(&ld->pkgs, path, p);
				}
				p->cmdline_pkg = true;
			} else {
				p = load_import_root(ld, path);
			}
			load_strs_push(&ld->arena, &p->match, m->pattern);
			if (!map_has(&ld->cmdline_seen, p->import_path)) {
				map_put(&ld->cmdline_seen, p->import_path, p);
				VEC_PUSH(out, p);
			}
		}
		for (size_t k = 0; k < m->errs.n && k < 1; k++) {
			/* PackagesAndErrors reports only the first error of a pattern */
			struct load_pkg *p = load_pkg_new(ld, m->pattern);
			p->error = arena_new(&ld->arena, struct load_error);
			p->error->pos = "";
			p->error->err = arena_printf(&ld->arena, "pattern %s: %s", m->pattern, m->errs.v[k]);
			p->incomplete = true;
			p->cmdline_pkg = true;
			load_strs_push(&ld->arena, &p->match, m->pattern);
			VEC_PUSH(out, p);
		}
	}
	if (ld->opts.test)
		preload_test_imports(ld, out);
	if (check_multiple_paths(ld, e) < 0)
		goto out;
	if (load_update_requirements(ld, all_root || ld->opts.test, e) < 0)
		goto out;
	mark_direct(ld, all_root || ld->opts.test);
	/* LoadPackages' commitRequirements: -mod=mod saves the sums it added */
	if (load_write_gosum(ld, e) < 0)
		goto out;
	rc = 0;
out:
	for (size_t i = 0; i < matches.n; i++)
		map_release(&matches.v[i].local_err);
	VEC_FREE(&matches);
	strvec_clear(&clean);
	return rc;
}
