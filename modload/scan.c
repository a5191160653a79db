/*
 * The directory scan: which files of a directory make up the package and
 * what their headers say.  Mirrors go/build Context.Import / matchFile
 * (go1.26) as the go command calls it through ImportDir in module mode.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "modload/load_internal.h"

void load_strs_push(struct arena *a, struct load_strs *l, const char *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		const char **v = arena_alloc(a, cap * sizeof(*v));
		if (l->n)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
}

void load_strs_sort(struct load_strs *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_strptr);
}

bool load_strs_contains(const struct load_strs *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

const char *short_path(struct load_state *ld, const char *path)
{
	size_t n = strlen(ld->cwd);

	/* base.ShortPath: filepath.Rel(cwd, path) when it is shorter. */
	if (strcmp(path, ld->cwd) == 0)
		return ".";
	if (path_is_abs(path) && strncmp(path, ld->cwd, n) == 0 && path[n] == '/') {
		const char *rel = path + n + 1;
		if (strlen(rel) < strlen(path))
			return rel;
	}
	if (path_is_abs(path) && strcmp(ld->cwd, "/") != 0) {
		/* ../ forms: count how far up the common prefix is. */
		const char *c = ld->cwd, *q = path;
		size_t common = 0, i = 0;
		while (c[i] && q[i] && c[i] == q[i]) {
			if (c[i] == '/')
				common = i;
			i++;
		}
		if (c[i] == 0 && (q[i] == '/' || q[i] == 0))
			common = i;
		else if (q[i] == 0 && c[i] == '/')
			common = i;
		struct buf b = BUF_INIT;
		const char *rest = c + common;
		for (; *rest; rest++)
			if (*rest == '/')
				buf_adds(&b, b.len ? "/.." : "..");
		if (q[common] == '/' && q[common + 1]) {
			if (b.len)
				buf_addch(&b, '/');
			buf_adds(&b, q + common + 1);
		}
		const char *res = path;
		if (b.len && b.len < strlen(path))
			res = arena_strdup(&ld->arena, b.data);
		buf_release(&b);
		return res;
	}
	return path;
}

const struct load_dirents *load_dir_entries(struct load_state *ld, const char *dir, struct err *e)
{
	struct load_dirents *d = map_get(&ld->dir_ents, dir);
	struct load_scanindex *ix;
	const struct load_dirents *cached;
	struct os_dirents ents = {0};

	if (d)
		return d;
	ix = load_scanindex_for(ld, dir);
	/* GOROOT listings come from the scan index when it has them (the
	 * index's entries live as long as ld, like the arena's) */
	if (ix && (cached = load_scanindex_dirents(ix, dir)) != NULL) {
		d = arena_new(&ld->arena, struct load_dirents);
		*d = *cached;
		map_put(&ld->dir_ents, arena_strdup(&ld->arena, dir), d);
		return d;
	}
	if (os_readdir_ents(dir, &ents, e) < 0)
		return NULL;
	d = arena_new(&ld->arena, struct load_dirents);
	d->v = arena_alloc(&ld->arena, (ents.n ? ents.n : 1) * sizeof(*d->v));
	d->n = ents.n;
	for (size_t i = 0; i < ents.n; i++) {
		d->v[i].name = arena_strdup(&ld->arena, ents.v[i].name);
		d->v[i].type = ents.v[i].type;
	}
	os_dirents_release(&ents);
	map_put(&ld->dir_ents, arena_strdup(&ld->arena, dir), d);
	if (ix)
		load_scanindex_put_dirents(ix, dir, d);
	return d;
}

/* The file list for an extension (go/build fileListForExt), or NULL. */
static struct load_strs *list_for_ext(struct load_pkg *p, const char *ext)
{
	static const struct {
		const char *ext;
		size_t off;
	} tab[] = {
		{".c", offsetof(struct load_pkg, c_files)},
		{".cc", offsetof(struct load_pkg, cxx_files)},
		{".cpp", offsetof(struct load_pkg, cxx_files)},
		{".cxx", offsetof(struct load_pkg, cxx_files)},
		{".m", offsetof(struct load_pkg, m_files)},
		{".h", offsetof(struct load_pkg, h_files)},
		{".hh", offsetof(struct load_pkg, h_files)},
		{".hpp", offsetof(struct load_pkg, h_files)},
		{".hxx", offsetof(struct load_pkg, h_files)},
		{".f", offsetof(struct load_pkg, f_files)},
		{".F", offsetof(struct load_pkg, f_files)},
		{".for", offsetof(struct load_pkg, f_files)},
		{".f90", offsetof(struct load_pkg, f_files)},
		{".s", offsetof(struct load_pkg, s_files)},
		{".S", offsetof(struct load_pkg, s_files)},
		{".sx", offsetof(struct load_pkg, s_files)},
		{".swig", offsetof(struct load_pkg, swig_files)},
		{".swigcxx", offsetof(struct load_pkg, swigcxx_files)},
		{".syso", offsetof(struct load_pkg, syso_files)},
	};
	for (size_t i = 0; i < countof(tab); i++)
		if (strcmp(tab[i].ext, ext) == 0)
			return (struct load_strs *)((char *)p + tab[i].off);
	return NULL;
}

/* A position map entry: raw key -> first position, plus key order. */
static void pos_add(struct load_state *ld, struct map *m, struct load_strs *keys, const char *key,
                    const char *file, int line, int col)
{
	if (map_get(m, key))
		return;
	struct load_pos *pos = arena_new(&ld->arena, struct load_pos);
	pos->file = file;
	pos->line = line;
	pos->col = col;
	key = intern_str(&ld->in, key);
	map_put(m, key, pos);
	load_strs_push(&ld->arena, keys, key);
}

/* index_enabled mirrors the switch of cmd/go/internal/modindex: the index
 * is off with GODEBUG goindex=0 (the last setting wins, as in
 * internal/godebug) or when the build cache is off (cache.DefaultDir). */
static bool index_enabled(struct load_state *ld)
{
	if (ld->index_enabled < 0) {
		const char *gd = getenv("GODEBUG"), *gc = cfg_getenv(ld->cfg, "GOCACHE");
		bool on = true;
		if (gd) {
			char *list = xstrdup(gd), *w = list, *kv;
			while ((kv = strsep(&w, ",")) != NULL)
				if (has_prefix(kv, "goindex="))
					on = strcmp(kv + strlen("goindex="), "0") != 0;
			free(list);
		}
		if (gc && gc[0]) {
			if (strcmp(gc, "off") == 0 || !path_is_abs(gc))
				on = false;
		} else {
			/* os.UserCacheDir: $XDG_CACHE_HOME (absolute) or $HOME */
			const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
			if (!(xdg && path_is_abs(xdg)) && !(home && home[0]))
				on = false;
		}
		ld->index_enabled = on;
	}
	return ld->index_enabled != 0;
}

/*
 * dir_indexed reports whether go would read dir through its module index
 * (modindex.GetPackage, go1.26): module-cache modules always (except in
 * vendor mode), GOROOT and other module directories only when every
 * non-directory entry is a regular file last modified more than 2s ago
 * (dirHash's modTimeCutoff); a directory outside any module never.
 */
static bool dir_indexed(struct load_state *ld, const char *dir, const struct load_dirents *ents)
{
	const char *modroot = NULL;
	struct timespec now;
	bool in_mod = false;

	if (!index_enabled(ld))
		return false;
	if (!ld->vendor_dir && ld->cfg->gomodcache && ld->cfg->gomodcache[0] &&
	    path_has_prefix_dir(dir, ld->cfg->gomodcache))
		return true;
	/* GOROOT is installed, not edited: its files are always old enough */
	if (path_has_prefix_dir(dir, ld->goroot_src))
		return true;
	in_mod = load_module_for_dir(ld, dir, &modroot) != NULL;
	for (size_t i = 0; !in_mod && i < ld->replace_dirs.n; i++)
		in_mod = path_has_prefix_dir(dir, ld->replace_dirs.v[i].dir);
	if (!in_mod && ld->vendor_dir)
		in_mod = path_has_prefix_dir(dir, ld->vendor_dir);
	if (!in_mod)
		return false;
	clock_gettime(CLOCK_REALTIME, &now);
	for (size_t i = 0; i < ents->n; i++) {
		struct stat st;
		char *full;
		int rc;
		if (ents->v[i].type == OS_FT_DIR)
			continue;
		if (ents->v[i].type != OS_FT_REG)
			return false;
		full = path_join(dir, ents->v[i].name);
		rc = lstat(full, &st);
		free(full);
		if (rc < 0)
			return false;
		/* info.ModTime().After(now - 2s) */
		if (st.st_mtim.tv_sec > now.tv_sec - 2 ||
		    (st.st_mtim.tv_sec == now.tv_sec - 2 && st.st_mtim.tv_nsec > now.tv_nsec))
			return false;
	}
	return true;
}

struct scan_state {
	struct load_state *ld;
	struct load_pkg *p;
	struct scan_result *res;
	struct map bad_files;
	struct map all_tags;
	const char *first_file;
	struct load_strs sfiles_upper; /* .S and .sx */
	/* the package is read through the module index (modindex
	 * IndexPackage.Import), whose order of checks and some messages
	 * differ from go/build's */
	bool indexed;
	/* modload's own import scan (imports.ScanDir, unindexed directories
	 * only): the first file whose header has a syntax error and a NUL
	 * later on, which that scan reads to the end and rejects */
	const char *modscan_err;
	/* go/build (ImportDir, which decides whether a directory holds a
	 * package for local patterns) would report an error too; index_only
	 * marks bad files that only the index reports */
	bool gb_bad, index_only;
	/* modload's scanDir answer (imports.ScanDir or the index's ScanDir):
	 * files it would build, and whether it failed on a file */
	size_t modscan_n;
	bool modscan_failed;
	/* The current file's build-line evaluation, shared by the checks
	 * above (they all evaluate the same header the same way). */
	const char *eval_header;
	size_t eval_len;
	int eval_rc;
	bool eval_ok, eval_bin;
	const char *eval_err;
	/* The current file's name check (goodOSArchFile), asked up to three
	 * times per file: goa_name is the name it was computed for. */
	const char *goa_name;
	bool goa_ok;
};

/* good_os_arch is load_good_os_arch_file memoised for the current file. */
static bool good_os_arch(struct scan_state *s, const char *name)
{
	if (s->goa_name != name) {
		s->goa_ok = load_good_os_arch_file(s->ld->ctx, name, NULL, &s->ld->arena);
		s->goa_name = name;
	}
	return s->goa_ok;
}

/*
 * eval_lines is load_eval_build_lines memoised per file header.  Tags are
 * not recorded: go/build's AllTags is not part of go list's output.
 */
static int eval_lines(struct scan_state *s, const char *header, size_t len, bool *ok, bool *bin,
                      struct err *e)
{
	if (s->eval_header != header || s->eval_len != len) {
		struct err me = ERR_INIT;
		s->eval_ok = s->eval_bin = false;
		s->eval_rc = load_eval_build_lines_memo(s->ld->ctx, header, len, &s->eval_ok, &s->eval_bin,
		                                        &s->ld->build_line_memo, &s->ld->arena, &me);
		s->eval_err = s->eval_rc < 0 ? arena_strdup(&s->ld->arena, err_msg(&me)) : NULL;
		err_clear(&me);
		s->eval_header = header;
		s->eval_len = len;
	}
	*ok = s->eval_ok;
	*bin = s->eval_bin;
	if (s->eval_rc < 0)
		err_setf(e, "%s", s->eval_err);
	return s->eval_rc;
}

static void bad_go_file(struct scan_state *s, const char *name, const char *err, const char *pos)
{
	if (!s->index_only)
		s->gb_bad = true;
	if (s->res->kind != SCAN_BADFILE) {
		s->res->kind = SCAN_BADFILE;
		s->res->err = err;
		s->res->pos = pos ? pos : "";
	}
	if (!map_has(&s->bad_files, name)) {
		map_put(&s->bad_files, name, (void *)name);
		load_strs_push(&s->ld->arena, &s->p->invalid_go_files, name);
	}
}

/* report_parse_error records a file's go/parser error (a scanner error
 * with its cwd-relative position, or a plain invalid-import error). */
static void report_parse_error(struct scan_state *s, const char *name, const char *full,
                               const struct load_gofile *gf)
{
	if (gf->parse_error_plain)
		bad_go_file(s, name, gf->parse_error, NULL);
	else
		bad_go_file(s, name, gf->parse_error_msg,
		            arena_printf(&s->ld->arena, "%s:%d:%d", short_path(s->ld, full),
		                         gf->parse_error_line, gf->parse_error_col));
}

/* modscan_match is the file filter of imports.ScanDir: a regular file (or a
 * symlink to one) whose name passes imports.MatchFile for the build tags. */
static bool modscan_match(struct scan_state *s, const char *name, enum os_ftype type, const char *full)
{
	struct stat st;

	if (type == OS_FT_LNK && (stat(full, &st) < 0 || !S_ISREG(st.st_mode)))
		return false;
	return good_os_arch(s, name);
}

/* modscan_file_error counts a .go file that cannot be read for modload's
 * scanDir: imports.ScanDir fails on it, the index's ScanDir counts it. */
static void modscan_file_error(struct scan_state *s, const char *name, enum os_ftype type, const char *full)
{
	if (!modscan_match(s, name, type, full))
		return;
	if (s->indexed)
		s->modscan_n++;
	else
		s->modscan_failed = true;
}

/* modscan_file counts a readable .go file as modload's scanDir does: its
 * name and constraints must match the build tags (an unparsable or doubled
 * //go:build line never does), and a cgo file needs the cgo tag. */
static void modscan_file(struct scan_state *s, const char *name, enum os_ftype type, const char *full,
                         const struct load_gofile *gf)
{
	struct err e = ERR_INIT;
	bool ok = false, bin = false;

	if (!modscan_match(s, name, type, full))
		return;
	for (size_t i = 0; i < gf->imports.n; i++)
		if (strcmp(gf->imports.v[i].path, "C") == 0 && !s->ld->ctx->cgo_enabled)
			return;
	if (eval_lines(s, gf->header, gf->header_len, &ok, &bin, &e) < 0)
		ok = false;
	err_clear(&e);
	if (ok)
		s->modscan_n++;
}

/*
 * read_source runs the header reader on a file, or takes its result from
 * the GOROOT scan index ix (NULL outside GOROOT) without reading the file.
 * A .go file fills gf, *has_nul (the data holds a NUL byte) and *hdr_eof
 * (the header runs to the end of the data); another file gives its leading
 * comment block in *hdr and *hdr_len.  What is read is recorded into ix.
 * Returns -1 with e set when the file cannot be read (never recorded).
 */
static int read_source(struct load_state *ld, struct load_scanindex *ix, const char *full, bool is_go,
                       struct buf *data, struct load_gofile *gf, bool *has_nul, bool *hdr_eof,
                       const char **hdr, size_t *hdr_len, struct err *e)
{
	*has_nul = *hdr_eof = false;
	if (is_go && ix && load_scanindex_gofile(ix, full, gf, has_nul, hdr_eof))
		return 0;
	if (!is_go && ix && load_scanindex_comments(ix, full, hdr, hdr_len))
		return 0;
	buf_reset(data);
	if (os_read_regular_file(full, data, e) < 0)
		return -1;
	if (!is_go) {
		*hdr = data->data;
		*hdr_len = load_read_comments(data->data, data->len);
		if (ix)
			load_scanindex_put_comments(ix, full, *hdr, *hdr_len);
		return 0;
	}
	load_read_gofile(&ld->arena, full, data->data, data->len, gf);
	*has_nul = memchr(data->data, 0, data->len) != NULL;
	*hdr_eof = gf->header && gf->header + gf->header_len == data->data + data->len;
	if (ix)
		load_scanindex_put_gofile(ix, full, gf, *has_nul, *hdr_eof);
	return 0;
}

/* modscan_rest gives modload's scanDir the .go files from entry `from` on
 * (after the index stopped early at a bad //go:build line). */
static void modscan_rest(struct scan_state *s, const struct load_dirents *ents, size_t from)
{
	struct load_state *ld = s->ld;
	struct load_scanindex *ix = load_scanindex_for(ld, s->p->dir);
	struct buf data = BUF_INIT;

	for (size_t i = from; i < ents->n; i++) {
		const char *name = ents->v[i].name;
		struct load_gofile gf;
		struct err e = ERR_INIT;
		bool has_nul, hdr_eof;
		const char *hdr = NULL;
		size_t hdr_len = 0;
		char *full;
		if (ents->v[i].type == OS_FT_DIR || name[0] == '_' || name[0] == '.' ||
		    strcmp(path_ext(name), ".go") != 0)
			continue;
		full = path_join(s->p->dir, name);
		memset(&gf, 0, sizeof gf);
		s->eval_header = NULL; /* a new file */
		if (read_source(ld, ix, full, true, &data, &gf, &has_nul, &hdr_eof, &hdr, &hdr_len, &e) < 0) {
			if (ents->v[i].type != OS_FT_LNK || !os_is_dir(full))
				modscan_file_error(s, name, ents->v[i].type, full);
		} else {
			if (gf.read_error)
				modscan_file_error(s, name, ents->v[i].type, full);
			else
				modscan_file(s, name, ents->v[i].type, full, &gf);
			load_gofile_release(&gf);
		}
		err_clear(&e);
		free(full);
	}
	buf_release(&data);
}

static bool is_test_name(const char *name)
{
	return has_suffix(name, "_test.go");
}

static void scan_go_file(struct scan_state *s, const char *name, const char *full, struct load_gofile *gf)
{
	struct load_state *ld = s->ld;
	struct load_pkg *p = s->p;
	const char *pkg = gf->pkg_name ? gf->pkg_name : "";
	bool is_test, is_xtest = false, is_cgo = false;
	struct load_strs *list;
	struct map *import_pos = NULL, *embed_pos = NULL;
	struct load_strs *import_keys = NULL, *embed_keys = NULL;
	void *dirs = NULL;

	if (gf->parse_error)
		report_parse_error(s, name, full, gf);
	if (gf->pkg_name && strcmp(pkg, "documentation") == 0) {
		load_strs_push(&ld->arena, &p->ignored_go_files, name);
		return;
	}
	is_test = is_test_name(name);
	if (is_test && has_suffix(pkg, "_test") && (!p->name || strcmp(p->name, pkg) != 0)) {
		is_xtest = true;
		pkg = arena_strndup(&ld->arena, pkg, strlen(pkg) - 5);
	}
	if (!p->name || !*p->name) {
		p->name = pkg;
		s->first_file = name;
	} else if (strcmp(pkg, p->name) != 0) {
		bad_go_file(s, name, arena_printf(&ld->arena, "found packages %s (%s) and %s (%s) in %s",
		            p->name, s->first_file, pkg, name, p->dir), NULL);
	}
	if (gf->doc && !s->ld->opts.no_doc && (!p->doc || !*p->doc) && !is_test && !is_xtest)
		p->doc = load_doc_synopsis(&ld->arena, gf->doc);

	for (size_t i = 0; i < gf->imports.n; i++) {
		struct load_import_spec *imp = &gf->imports.v[i];
		if (strcmp(imp->path, "C") != 0)
			continue;
		/* the index names the file by its base name (modindex Import) */
		if (is_test) {
			bad_go_file(s, name, arena_printf(&ld->arena, "use of cgo in test %s not supported",
			                                  s->indexed ? name : full), NULL);
			if (!s->indexed)
				continue;
		} else {
			is_cgo = true;
		}
		if (imp->doc) {
			struct load_cgo_flags cf = {0};
			struct err e = ERR_INIT;
			if (load_save_cgo(ld->ctx, s->indexed ? name : full, p->dir, imp->doc, &cf, &s->all_tags,
			                  &ld->arena, &e) < 0)
				bad_go_file(s, name, arena_strdup(&ld->arena, err_msg(&e)), NULL);
			for (size_t k = 0; k < cf.cflags.n; k++)
				load_strs_push(&ld->arena, &p->cgo_cflags, arena_strdup(&ld->arena, cf.cflags.v[k]));
			for (size_t k = 0; k < cf.cppflags.n; k++)
				load_strs_push(&ld->arena, &p->cgo_cppflags, arena_strdup(&ld->arena, cf.cppflags.v[k]));
			for (size_t k = 0; k < cf.cxxflags.n; k++)
				load_strs_push(&ld->arena, &p->cgo_cxxflags, arena_strdup(&ld->arena, cf.cxxflags.v[k]));
			for (size_t k = 0; k < cf.fflags.n; k++)
				load_strs_push(&ld->arena, &p->cgo_fflags, arena_strdup(&ld->arena, cf.fflags.v[k]));
			for (size_t k = 0; k < cf.ldflags.n; k++)
				load_strs_push(&ld->arena, &p->cgo_ldflags, arena_strdup(&ld->arena, cf.ldflags.v[k]));
			for (size_t k = 0; k < cf.pkgconfig.n; k++)
				load_strs_push(&ld->arena, &p->cgo_pkgconfig, arena_strdup(&ld->arena, cf.pkgconfig.v[k]));
			strvec_clear(&cf.cflags);
			strvec_clear(&cf.cppflags);
			strvec_clear(&cf.cxxflags);
			strvec_clear(&cf.fflags);
			strvec_clear(&cf.ldflags);
			strvec_clear(&cf.pkgconfig);
			err_clear(&e);
		}
	}

	if (is_cgo) {
		map_put(&s->all_tags, "cgo", (void *)"cgo");
		if (ld->ctx->cgo_enabled) {
			list = &p->cgo_files;
			import_pos = &p->import_pos;
			embed_pos = &p->embed_pos;
			import_keys = &p->imports;
			embed_keys = &p->embed_patterns;
			dirs = &p->directives;
		} else {
			list = &p->ignored_go_files;
		}
	} else if (is_xtest) {
		list = &p->xtest_go_files;
		import_pos = &p->xtest_import_pos;
		embed_pos = &p->xtest_embed_pos;
		import_keys = &p->xtest_imports;
		embed_keys = &p->xtest_embed_patterns;
		dirs = &p->xtest_directives;
	} else if (is_test) {
		list = &p->test_go_files;
		import_pos = &p->test_import_pos;
		embed_pos = &p->test_embed_pos;
		import_keys = &p->test_imports;
		embed_keys = &p->test_embed_patterns;
		dirs = &p->test_directives;
	} else {
		list = &p->go_files;
		import_pos = &p->import_pos;
		embed_pos = &p->embed_pos;
		import_keys = &p->imports;
		embed_keys = &p->embed_patterns;
		dirs = &p->directives;
	}
	load_strs_push(&ld->arena, list, name);
	if (import_pos) {
		const char *file = full;
		for (size_t i = 0; i < gf->imports.n; i++)
			pos_add(ld, import_pos, import_keys, gf->imports.v[i].path, file,
			        gf->imports.v[i].line, gf->imports.v[i].col);
		for (size_t i = 0; i < gf->embeds.n; i++)
			pos_add(ld, embed_pos, embed_keys, gf->embeds.v[i].pattern, file,
			        gf->embeds.v[i].line, gf->embeds.v[i].col);
	}
	if (dirs) {
		VEC(struct load_directive) *dv = dirs;
		for (size_t i = 0; i < gf->directives.n; i++)
			VEC_PUSH(dv, gf->directives.v[i]);
	}
}

void scan_dir(struct load_state *ld, struct load_pkg *p, const struct load_strs *files,
              struct scan_result *res)
{
	struct scan_state s;
	struct load_dirents files_ents = {0};
	const struct load_dirents *ents = &files_ents;
	struct err e = ERR_INIT;
	struct buf data = BUF_INIT;
	bool use_all = files != NULL;
	struct load_scanindex *ix = files ? NULL : load_scanindex_for(ld, p->dir);

	memset(&s, 0, sizeof s);
	s.ld = ld;
	s.p = p;
	s.res = res;
	res->kind = SCAN_OK;
	res->err = res->pos = "";
	map_init(&s.bad_files);
	map_init(&s.all_tags);
	if (files) {
		files_ents.v = arena_alloc(&ld->arena, (files->n ? files->n : 1) * sizeof(*files_ents.v));
		files_ents.n = files->n;
		for (size_t i = 0; i < files->n; i++) {
			files_ents.v[i].name = files->v[i];
			files_ents.v[i].type = OS_FT_REG;
		}
	} else if ((ents = load_dir_entries(ld, p->dir, &e)) == NULL) {
		res->kind = SCAN_READDIR;
		res->err = arena_strdup(&ld->arena, err_msg(&e));
		goto out;
	}
	s.indexed = !files && dir_indexed(ld, p->dir, ents);
	for (size_t i = 0; i < ents->n; i++) {
		const char *name = ents->v[i].name;
		const char *ext = path_ext(name);
		const char *fullc;

		s.eval_header = NULL; /* a new file: forget the last evaluation */

		/* Subdirectories, and symlinks to directories, are not source files. */
		if (!files && ents->v[i].type == OS_FT_DIR)
			continue;
		/* matchFile: cheap name checks before any allocation or I/O. */
		if (name[0] == '_' || name[0] == '.')
			continue;
		if (strcmp(ext, ".go") != 0 && !list_for_ext(p, ext))
			continue;
		{
			char *full = path_join(p->dir, name);
			fullc = arena_strdup(&ld->arena, full);
			free(full);
		}
		if (!files && ents->v[i].type == OS_FT_LNK && os_is_dir(fullc))
			continue;
		/* go/build's matchFile drops a file by its name before reading it;
		 * the index read every file when it was built and decides later. */
		if (!s.indexed && !good_os_arch(&s, name) && !use_all)
			goto ignored;
		if (strcmp(ext, ".syso") == 0) {
			if (s.indexed && !good_os_arch(&s, name) && !use_all)
				goto ignored;
			load_strs_push(&ld->arena, &p->syso_files, name);
			continue;
		}
		err_clear(&e);
		/* the index's read errors of files go/build skips by name */
		s.index_only = s.indexed && !use_all && !good_os_arch(&s, name);
		bool ok = true, binary_only = false, has_nul, hdr_eof;
		struct load_gofile gf;
		const char *header = NULL;
		size_t header_len = 0;
		memset(&gf, 0, sizeof gf);
		if (read_source(ld, ix, fullc, strcmp(ext, ".go") == 0, &data, &gf, &has_nul, &hdr_eof,
		                &header, &header_len, &e) < 0) {
			const char *msg = arena_strdup(&ld->arena, err_msg(&e));
			if (strcmp(ext, ".go") == 0) {
				bad_go_file(&s, name, msg, NULL);
				s.index_only = false;
				modscan_file_error(&s, name, ents->v[i].type, fullc);
				continue;
			}
			/* A read error of a non-Go file is dropped; the file stays listed. */
			goto save_other;
		}
		if (strcmp(ext, ".go") == 0) {
			if (gf.read_error) {
				bad_go_file(&s, name, gf.read_error, NULL);
				s.index_only = false;
				modscan_file_error(&s, name, ents->v[i].type, fullc);
				load_gofile_release(&gf);
				continue;
			}
			header = gf.header;
			header_len = gf.header_len;
			if (!s.indexed && !files && !s.modscan_err && has_nul && hdr_eof &&
			    modscan_match(&s, name, ents->v[i].type, fullc))
				/* the header reader stopped at a syntax error (so go/build
				 * took the whole file unchecked) and a NUL follows */
				s.modscan_err = arena_printf(&ld->arena, "reading %s: unexpected NUL in input", fullc);
			if (!files)
				modscan_file(&s, name, ents->v[i].type, fullc, &gf);
		}
		err_clear(&e);
		if (s.indexed) {
			/* modindex Import: a file's read/constraint-scan error, then its
			 * parse error, come before the name and build checks */
			struct err me = ERR_INIT;
			bool mok, mbin;
			if (eval_lines(&s, header, header_len, &mok, &mbin, &me) < 0 &&
			    !has_prefix(err_msg(&me), "parsing //go:build line")) {
				if (strcmp(ext, ".go") == 0)
					bad_go_file(&s, name, arena_printf(&ld->arena, "%s: %s", name, err_msg(&me)), NULL);
				s.index_only = false;
				err_clear(&me);
				load_gofile_release(&gf);
				if (strcmp(ext, ".go") == 0)
					continue;
				goto save_other;
			}
			err_clear(&me);
			/* go/build reports a parse error only for a file it builds:
			 * scan_go_file reports it again then */
			s.index_only = true;
			if (gf.parse_error)
				report_parse_error(&s, name, fullc, &gf);
			if (!good_os_arch(&s, name) && !use_all) {
				load_gofile_release(&gf);
				goto ignored;
			}
		}
		if (eval_lines(&s, header, header_len, &ok, &binary_only, &e) < 0) {
			load_gofile_release(&gf);
			s.index_only = false;
			if (s.indexed && has_prefix(err_msg(&e), "parsing //go:build line")) {
				s.gb_bad = true;
				/* The module index reader (modindex IndexPackage.Import)
				 * returns at once: the files so far stay, the import and
				 * embed lists are never built. */
				res->kind = SCAN_BADFILE;
				res->err = arena_printf(&ld->arena, "%s: %s", name, err_msg(&e));
				res->pos = "";
				memset(&p->imports, 0, sizeof p->imports);
				memset(&p->test_imports, 0, sizeof p->test_imports);
				memset(&p->xtest_imports, 0, sizeof p->xtest_imports);
				memset(&p->embed_patterns, 0, sizeof p->embed_patterns);
				memset(&p->test_embed_patterns, 0, sizeof p->test_embed_patterns);
				memset(&p->xtest_embed_patterns, 0, sizeof p->xtest_embed_patterns);
				/* modload's scanDir still looks at the files after it */
				modscan_rest(&s, ents, i + 1);
				goto scanned;
			}
			if (strcmp(ext, ".go") == 0) {
				bad_go_file(&s, name, arena_printf(&ld->arena, "%s: %s", name, err_msg(&e)), NULL);
				continue;
			}
			goto ignored;
		}
		s.index_only = false;
		if (!ok && !use_all) {
			load_gofile_release(&gf);
			goto ignored;
		}
		if (binary_only && strcmp(ext, ".go") == 0 && !is_test_name(name))
			p->binary_only = true;
		if (strcmp(ext, ".go") == 0) {
			scan_go_file(&s, name, fullc, &gf);
			load_gofile_release(&gf);
			continue;
		}
	save_other:
		if (strcmp(ext, ".S") == 0 || strcmp(ext, ".sx") == 0) {
			load_strs_push(&ld->arena, &s.sfiles_upper, name);
			continue;
		}
		load_strs_push(&ld->arena, list_for_ext(p, ext), name);
		continue;
	ignored:
		if (strcmp(ext, ".go") == 0)
			load_strs_push(&ld->arena, &p->ignored_go_files, name);
		else
			load_strs_push(&ld->arena, &p->ignored_other_files, name);
	}

	/* Imports and embed patterns are sorted key lists (go/build cleanDecls). */
	load_strs_sort(&p->imports);
	load_strs_sort(&p->test_imports);
	load_strs_sort(&p->xtest_imports);
	load_strs_sort(&p->embed_patterns);
	load_strs_sort(&p->test_embed_patterns);
	load_strs_sort(&p->xtest_embed_patterns);

	if (p->cgo_files.n > 0) {
		for (size_t i = 0; i < s.sfiles_upper.n; i++)
			load_strs_push(&ld->arena, &p->s_files, s.sfiles_upper.v[i]);
		load_strs_sort(&p->s_files);
	} else if (s.sfiles_upper.n > 0) {
		for (size_t i = 0; i < s.sfiles_upper.n; i++)
			load_strs_push(&ld->arena, &p->ignored_other_files, s.sfiles_upper.v[i]);
		load_strs_sort(&p->ignored_other_files);
	}
	{
		size_t it = 0;
		const char *k;
		while (map_next(&s.all_tags, &it, &k, NULL))
			load_strs_push(&ld->arena, &p->all_tags, k);
		load_strs_sort(&p->all_tags);
	}
scanned:
	if (res->kind == SCAN_OK &&
	    p->go_files.n + p->cgo_files.n + p->test_go_files.n + p->xtest_go_files.n == 0) {
		res->kind = SCAN_NOGO;
		p->no_go = true;
	} else if (s.indexed && !s.gb_bad &&
	           p->go_files.n + p->cgo_files.n + p->test_go_files.n + p->xtest_go_files.n == 0) {
		/* only the index complains: for go/build the directory holds no
		 * package, and pattern matching asks go/build */
		p->no_go = true;
	}
	if (!files && s.modscan_n == 0 && !s.modscan_failed)
		map_put(&ld->modscan_nogo, p->dir, (void *)p->dir);
	/* load.loadPackageData keeps the module loader's scan error only when
	 * go/build found nothing wrong */
	if (res->kind == SCAN_OK && s.modscan_err) {
		res->kind = SCAN_BADFILE;
		res->err = s.modscan_err;
		res->pos = "";
	}
out:
	map_release(&s.bad_files);
	map_release(&s.all_tags);
	buf_release(&data);
	err_clear(&e);
}
