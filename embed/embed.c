/*
 * //go:embed pattern resolution and the compiler's -embedcfg file.
 *
 * mirrors cmd/go/internal/load/pkg.go resolveEmbed, validEmbedPattern and
 * isBadEmbedName, cmd/go/internal/fsys glob.go (Glob) and walk.go (WalkDir),
 * and the embedcfg writing of cmd/go/internal/work/exec.go (go1.26).
 *
 * Paths are handled relative to the package directory ("" is the directory
 * itself, elements joined by "/"); the absolute path is pkgdir + "/" + rel.
 * Go globs the quoted package directory joined with the pattern, which
 * behaves the same as globbing the pattern below the directory.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "embed/embed.h"

/* One resolution: the state resolveEmbed keeps across patterns. */
struct resolver {
	struct arena *a;
	const char *pkgdir;
	size_t pid;         /* pattern number, 1-based: have[rel] == pid means listed for this one */
	struct map have;    /* rel → (uintptr_t)pid of the last pattern that listed it */
	struct map dir_ok;  /* rel dirs already checked for go.mod and bad names */
	bool follow_symlinks; /* GODEBUG embedfollowsymlinks=1 */
	VEC(const char *) list; /* files of the current pattern (arena strings) */
};

/* abs_path returns pkgdir joined with rel (heap). */
static char *abs_path(const struct resolver *r, const char *rel)
{
	if (rel[0] == 0)
		return xstrdup(r->pkgdir);
	return xasprintf("%s/%s", r->pkgdir, rel);
}

/* rel_join returns dir/name as a relative path (heap). */
static char *rel_join(const char *dir, const char *name)
{
	if (dir[0] == 0)
		return xstrdup(name);
	return xasprintf("%s/%s", dir, name);
}

/* has_meta mirrors fsys hasMeta on Unix: the bytes filepath.Match treats specially. */
static bool has_meta(const char *p)
{
	return strpbrk(p, "*?[\\") != NULL;
}

/* valid_embed_pattern mirrors validEmbedPattern: not ".", and fs.ValidPath
 * (UTF-8, no empty, "." or ".." element, so no leading or trailing slash). */
static bool valid_embed_pattern(const char *p)
{
	size_t n = strlen(p), i = 0, j;

	if (strcmp(p, ".") == 0 || !utf8_string_valid(p, n))
		return false;
	for (;;) {
		for (j = i; j < n && p[j] != '/'; j++)
			;
		if (j == i || (j - i == 1 && p[i] == '.') || (j - i == 2 && p[i] == '.' && p[i + 1] == '.'))
			return false;
		if (j == n)
			return true;
		i = j + 1;
	}
}

/* is_bad_embed_name mirrors isBadEmbedName: a name that cannot be in a
 * module zip (module.CheckFilePath) or a version control directory. */
static bool is_bad_embed_name(const char *name)
{
	struct err e = ERR_INIT;
	bool bad;

	if (name[0] == 0)
		return true;
	bad = mod_check_file_path(name, &e) < 0;
	err_clear(&e);
	if (bad)
		return true;
	return strcmp(name, ".bzr") == 0 || strcmp(name, ".hg") == 0 || strcmp(name, ".git") == 0 ||
	       strcmp(name, ".svn") == 0;
}

/* godebug_follow_symlinks reads embedfollowsymlinks from $GODEBUG; as in
 * internal/godebug the last setting of a key wins. */
static bool godebug_follow_symlinks(void)
{
	const char *s = getenv("GODEBUG");
	const char *key = "embedfollowsymlinks=";
	size_t kn = strlen(key);
	bool on = false;

	while (s && *s) {
		const char *end = strchr(s, ',');
		size_t n = end ? (size_t)(end - s) : strlen(s);

		if (n >= kn && memcmp(s, key, kn) == 0)
			on = n - kn == 1 && s[kn] == '1';
		s = end ? end + 1 : NULL;
	}
	return on;
}

/* stat_ok is "fsys.Stat(path) succeeds" (symlinks followed). */
static bool stat_ok(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* has_go_mod reports whether the directory rel holds a go.mod (of any kind). */
static bool has_go_mod(const struct resolver *r, const char *rel)
{
	char *d = abs_path(r, rel), *gm = xasprintf("%s/go.mod", d);
	bool ok = stat_ok(gm);

	free(gm);
	free(d);
	return ok;
}

/* ---- globbing (fsys.Glob) ----------------------------------------------- */

/*
 * glob_dir appends to m the entries of directory reldir whose names match
 * pat (fsys glob).  An unreadable or missing directory matches nothing, as
 * in go; a malformed pat met while matching returns -1.
 */
static int glob_dir(const struct resolver *r, const char *reldir, const char *pat, struct strvec *m)
{
	char *dir = abs_path(r, reldir);
	struct strvec names = {0};
	struct err e = ERR_INIT;
	struct stat st;
	int rc = 0, ok;
	size_t i;

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		goto out;
	if (os_readdir(dir, &names, &e) < 0)
		goto out;
	/* os_readdir sorts bytewise, as sort.Strings does */
	for (i = 0; i < names.n; i++) {
		ok = path_match_filepath(pat, names.v[i]);
		if (ok < 0) {
			rc = -1;
			goto out;
		}
		if (ok)
			strvec_push_take(m, rel_join(reldir, names.v[i]));
	}
out:
	err_clear(&e);
	strvec_clear(&names);
	free(dir);
	return rc;
}

/*
 * glob appends the matches of relpat (a pattern below the package
 * directory) to m, like fsys.Glob(quoted(pkgdir)+"/"+relpat): a pattern
 * without meta characters is looked up with lstat, otherwise the last
 * element is matched against directory listings of the (recursively
 * globbed) parent.  Returns -1 for ErrBadPattern.
 */
static int glob(const struct resolver *r, const char *relpat, struct strvec *m)
{
	struct strvec dirs = {0};
	const char *slash = strrchr(relpat, '/');
	char *check = xasprintf("/%s", relpat), *dir = NULL, *full = NULL;
	struct stat st;
	int rc = 0;
	size_t i;

	/*
	 * Glob first checks its whole pattern with filepath.Match(pattern, ""):
	 * that only parses the first chunk, which always starts with the
	 * (literal) package directory; "/" stands in for it.  This is where a
	 * pattern like "[/]" fails once split at its slash.
	 */
	if (path_match_filepath(check, "") < 0) {
		rc = -1;
		goto out;
	}
	if (!has_meta(relpat)) {
		full = abs_path(r, relpat);
		if (lstat(full, &st) == 0)
			strvec_push(m, relpat);
		goto out;
	}
	dir = slash ? xstrndup(relpat, (size_t)(slash - relpat)) : xstrdup("");
	if (!has_meta(dir)) {
		rc = glob_dir(r, dir, slash ? slash + 1 : relpat, m);
		goto out;
	}
	if (glob(r, dir, &dirs) < 0) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < dirs.n; i++) {
		if (glob_dir(r, dirs.v[i], slash + 1, m) < 0) {
			rc = -1;
			goto out;
		}
	}
out:
	strvec_clear(&dirs);
	free(check);
	free(dir);
	free(full);
	return rc;
}

/* ---- resolving ----------------------------------------------------------- */

/* add_file lists rel for the current pattern unless it already is (have map). */
static void add_file(struct resolver *r, const char *rel)
{
	uintptr_t pid = (uintptr_t)map_get(&r->have, rel);
	const char *key;

	if (pid == r->pid)
		return;
	key = arena_strdup(r->a, rel);
	map_put(&r->have, key, (void *)(uintptr_t)r->pid);
	VEC_PUSH(&r->list, key);
}

/*
 * walk_dir gathers the files below directory rel (fsys.WalkDir with
 * resolveEmbed's callback): entries in name order; names starting with "."
 * or "_" are skipped unless all is set; subdirectories that hold a go.mod
 * are other modules and skipped; only regular files count.  *count is the
 * number of regular files seen.  The name checks apply to entries, never
 * to the pattern's own directory.
 */
static int walk_dir(struct resolver *r, const char *rel, bool all, size_t *count, struct err *e)
{
	struct strvec names = {0};
	char *dir = abs_path(r, rel);
	int rc = 0;
	size_t i;

	/* the callback on a directory itself: stop at a module boundary */
	if (has_go_mod(r, rel))
		goto out;
	if (os_readdir(dir, &names, e) < 0) {
		/* WalkDir's second callback returns the ReadDir error as is */
		rc = -1;
		goto out;
	}
	for (i = 0; i < names.n && rc == 0; i++) {
		const char *name = names.v[i];
		char *child = rel_join(rel, name), *abs = abs_path(r, child);
		bool hidden = name[0] == '.' || name[0] == '_';
		bool bad = is_bad_embed_name(name);
		struct stat st;

		/* the directory entry's type, as ReadDir reports it (no follow) */
		if (lstat(abs, &st) < 0) {
			/* vanished meanwhile: WalkDir would fail the Lstat-less
			 * entry later; treat it as not a regular file */
			st.st_mode = 0;
		}
		if (bad || (hidden && !all)) {
			/* hidden files and directories are left out (go.dev/issue/42328);
			 * a visible file with a bad name is an error (go.dev/issue/54003) */
			if (!S_ISDIR(st.st_mode) && !hidden && bad)
				rc = err_setf(e, "cannot embed file %s: invalid name %s", child, name);
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk_dir(r, child, all, count, e);
		} else if (S_ISREG(st.st_mode)) {
			(*count)++;
			add_file(r, child);
		}
		free(abs);
		free(child);
	}
out:
	strvec_clear(&names);
	free(dir);
	return rc;
}

/* check_parents mirrors resolveEmbed's loop over the directories from the
 * match up to (not including) the package directory: no go.mod, no
 * non-directory, no bad name.  what is "file" or "directory". */
static int check_parents(struct resolver *r, const char *rel, const char *what, struct err *e)
{
	char *dir = xstrdup(rel);
	int rc = 0;

	while (dir[0] != 0 && !map_has(&r->dir_ok, dir)) {
		char *slash = strrchr(dir, '/');
		const char *elem = slash ? slash + 1 : dir;

		if (has_go_mod(r, dir)) {
			rc = err_setf(e, "cannot embed %s %s: in different module", what, rel);
			break;
		}
		if (strcmp(dir, rel) != 0) {
			char *abs = abs_path(r, dir);
			struct stat st;
			bool notdir = lstat(abs, &st) == 0 && !S_ISDIR(st.st_mode);

			free(abs);
			if (notdir) {
				rc = err_setf(e, "cannot embed %s %s: in non-directory %s", what, rel, dir);
				break;
			}
		}
		map_put(&r->dir_ok, arena_strdup(r->a, dir), (void *)1);
		if (is_bad_embed_name(elem)) {
			if (strcmp(dir, rel) == 0)
				rc = err_setf(e, "cannot embed %s %s: invalid name %s", what, rel, elem);
			else
				rc = err_setf(e, "cannot embed %s %s: in invalid directory %s", what, rel, elem);
			break;
		}
		if (slash)
			*slash = 0;
		else
			dir[0] = 0;
	}
	free(dir);
	return rc;
}

/* resolve_match handles one file or directory that a pattern matched. */
static int resolve_match(struct resolver *r, const char *rel, bool all, struct err *e)
{
	char *file = abs_path(r, rel);
	const char *what = "file";
	struct stat st, tst;
	size_t count = 0;
	int rc = -1;

	if (lstat(file, &st) < 0) {
		err_errno(e, "lstat", file);
		goto out;
	}
	if (S_ISDIR(st.st_mode))
		what = "directory";
	if (check_parents(r, rel, what, e) < 0)
		goto out;
	if (S_ISREG(st.st_mode)) {
		add_file(r, rel);
	} else if (r->follow_symlinks && S_ISLNK(st.st_mode)) {
		/* go1.25+: a leaf symlink to a regular file, when asked for */
		if (stat(file, &tst) < 0) {
			err_errno(e, "stat", file);
			goto out;
		}
		if (!S_ISREG(tst.st_mode)) {
			err_setf(e, "cannot embed irregular file %s", rel);
			goto out;
		}
		add_file(r, rel);
	} else if (S_ISDIR(st.st_mode)) {
		if (walk_dir(r, rel, all, &count, e) < 0)
			goto out;
		if (count == 0) {
			err_setf(e, "cannot embed directory %s: contains no embeddable files", rel);
			goto out;
		}
	} else {
		err_setf(e, "cannot embed irregular file %s", rel);
		goto out;
	}
	rc = 0;
out:
	free(file);
	return rc;
}

/* resolve_pattern fills r->list with the sorted files of one pattern. */
static int resolve_pattern(struct resolver *r, const char *pattern, struct err *e)
{
	struct strvec matches = {0};
	const char *glob_pat = pattern;
	bool all = false;
	int rc = -1;
	size_t i;

	if (has_prefix(pattern, "all:")) {
		glob_pat = pattern + 4;
		all = true;
	}
	if (path_match(glob_pat, "") < 0 || !valid_embed_pattern(glob_pat)) {
		err_setf(e, "invalid pattern syntax");
		goto out;
	}
	if (glob(r, glob_pat, &matches) < 0) {
		err_setf(e, "syntax error in pattern");
		goto out;
	}
	for (i = 0; i < matches.n; i++)
		if (resolve_match(r, matches.v[i], all, e) < 0)
			goto out;
	if (r->list.n == 0) {
		err_setf(e, "no matching files found");
		goto out;
	}
	VEC_SORT(&r->list, cmp_strptr);
	rc = 0;
out:
	strvec_clear(&matches);
	return rc;
}

/* copy_to_arena makes an arena array of the n strings v (n == cap). */
static const char **copy_to_arena(struct arena *a, const char *const *v, size_t n)
{
	const char **out = arena_newarray(a, const char *, n ? n : 1);

	if (n)
		memcpy(out, v, n * sizeof(*v));
	return out;
}

int embed_resolve(struct arena *a, const char *pkgdir, const char *modroot,
                  const char *const *patterns, size_t npatterns,
                  struct embed_result *out, size_t *bad_pattern, struct err *e)
{
	struct resolver r;
	struct embed_pattern_files *pf = NULL;
	VEC(const char *) files = {0};
	size_t i, it = 0;
	const char *key;
	void *val;
	int rc = -1;

	/* modroot is not consulted: like go, the go.mod checks run between
	 * the package directory and each match */
	(void)modroot;
	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.pkgdir = pkgdir;
	r.follow_symlinks = godebug_follow_symlinks();
	map_init(&r.have);
	map_init(&r.dir_ok);
	pf = arena_newarray(a, struct embed_pattern_files, npatterns ? npatterns : 1);

	for (i = 0; i < npatterns; i++) {
		r.pid = i + 1;
		r.list.n = 0;
		if (resolve_pattern(&r, patterns[i], e) < 0) {
			/* an EmbedError: "pattern P: msg" */
			err_wrapf(e, "pattern %s", patterns[i]);
			if (bad_pattern)
				*bad_pattern = i;
			goto out;
		}
		pf[i].pattern = arena_strdup(a, patterns[i]);
		pf[i].files.v = copy_to_arena(a, r.list.v, r.list.n);
		pf[i].files.n = pf[i].files.cap = r.list.n;
	}

	while (map_next(&r.have, &it, &key, &val))
		VEC_PUSH(&files, key);
	VEC_SORT(&files, cmp_strptr);
	out->files.v = copy_to_arena(a, files.v, files.n);
	out->files.n = out->files.cap = files.n;
	out->patterns.v = pf;
	out->patterns.n = out->patterns.cap = npatterns;
	rc = 0;
out:
	VEC_FREE(&files);
	VEC_FREE(&r.list);
	map_release(&r.have);
	map_release(&r.dir_ok);
	return rc;
}

/* ---- embedcfg ------------------------------------------------------------ */

static int cmp_pattern_files(const void *x, const void *y)
{
	const struct embed_pattern_files *const *a = x, *const *b = y;

	return strcmp((*a)->pattern, (*b)->pattern);
}

void embed_cfg_json(struct buf *b, const char *pkgdir, const struct embed_result *r)
{
	VEC(const struct embed_pattern_files *) pats = {0};
	size_t i, j;

	/* Patterns is a Go map: keys sorted, a repeated pattern once */
	for (i = 0; i < r->patterns.n; i++)
		VEC_PUSH(&pats, &r->patterns.v[i]);
	VEC_SORT(&pats, cmp_pattern_files);

	/* json.MarshalIndent(&struct{Patterns map[string][]string; Files
	 * map[string]string}, "", "\t"): no trailing newline */
	buf_adds(b, "{\n\t\"Patterns\": {");
	for (i = 0; i < pats.n; i++) {
		const struct embed_pattern_files *p = pats.v[i];

		if (i > 0 && strcmp(p->pattern, pats.v[i - 1]->pattern) == 0)
			continue;
		buf_adds(b, i > 0 ? ",\n\t\t" : "\n\t\t");
		json_quote(b, p->pattern, strlen(p->pattern));
		buf_adds(b, ": ");
		if (p->files.n == 0) {
			buf_adds(b, p->files.v ? "[]" : "null");
			continue;
		}
		buf_adds(b, "[");
		for (j = 0; j < p->files.n; j++) {
			buf_adds(b, j > 0 ? ",\n\t\t\t" : "\n\t\t\t");
			json_quote(b, p->files.v[j], strlen(p->files.v[j]));
		}
		buf_adds(b, "\n\t\t]");
	}
	buf_adds(b, pats.n ? "\n\t},\n\t\"Files\": {" : "},\n\t\"Files\": {");
	for (i = 0; i < r->files.n; i++) {
		char *abs = path_join(pkgdir, r->files.v[i]);

		buf_adds(b, i > 0 ? ",\n\t\t" : "\n\t\t");
		json_quote(b, r->files.v[i], strlen(r->files.v[i]));
		buf_adds(b, ": ");
		json_quote(b, abs, strlen(abs));
		free(abs);
	}
	buf_adds(b, r->files.n ? "\n\t}\n}" : "}\n}");
	VEC_FREE(&pats);
}
