/*
 * The directory scan: which files of a directory make up the package and
 * what their headers say.  Mirrors go/build Context.Import / matchFile
 * (go1.26) as the go command calls it through ImportDir in module mode.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
	struct os_dirents ents = {0};

	if (d)
		return d;
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

struct scan_state {
	struct load_state *ld;
	struct load_pkg *p;
	struct scan_result *res;
	struct map bad_files;
	struct map all_tags;
	const char *first_file;
	struct load_strs sfiles_upper; /* .S and .sx */
};

static void bad_go_file(struct scan_state *s, const char *name, const char *err, const char *pos)
{
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

	if (gf->parse_error) {
		if (gf->parse_error_plain)
			bad_go_file(s, name, gf->parse_error, NULL);
		else
			bad_go_file(s, name, gf->parse_error_msg,
			            arena_printf(&ld->arena, "%s:%d:%d", short_path(ld, full),
			                         gf->parse_error_line, gf->parse_error_col));
	}
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
	if (gf->doc && (!p->doc || !*p->doc) && !is_test && !is_xtest)
		p->doc = load_doc_synopsis(&ld->arena, gf->doc);

	for (size_t i = 0; i < gf->imports.n; i++) {
		struct load_import_spec *imp = &gf->imports.v[i];
		if (strcmp(imp->path, "C") != 0)
			continue;
		if (is_test) {
			bad_go_file(s, name, arena_printf(&ld->arena, "use of cgo in test %s not supported", full), NULL);
			continue;
		}
		is_cgo = true;
		if (imp->doc) {
			struct load_cgo_flags cf = {0};
			struct err e = ERR_INIT;
			if (load_save_cgo(ld->ctx, full, p->dir, imp->doc, &cf, &s->all_tags, &ld->arena, &e) < 0)
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
	struct scan_state s = {ld, p, res, {0}, {0}, NULL, {0}};
	struct load_dirents files_ents = {0};
	const struct load_dirents *ents = &files_ents;
	struct err e = ERR_INIT;
	struct buf data = BUF_INIT;
	bool use_all = files != NULL;

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
	for (size_t i = 0; i < ents->n; i++) {
		const char *name = ents->v[i].name;
		const char *ext = path_ext(name);
		const char *fullc;

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
		if (!load_good_os_arch_file(ld->ctx, name, &s.all_tags, &ld->arena) && !use_all)
			goto ignored;
		if (strcmp(ext, ".syso") == 0) {
			load_strs_push(&ld->arena, &p->syso_files, name);
			continue;
		}
		buf_reset(&data);
		err_clear(&e);
		if (os_read_regular_file(fullc, &data, &e) < 0) {
			const char *msg = arena_strdup(&ld->arena, err_msg(&e));
			if (strcmp(ext, ".go") == 0) {
				bad_go_file(&s, name, msg, NULL);
				continue;
			}
			/* A read error of a non-Go file is dropped; the file stays listed. */
			goto save_other;
		}
		bool ok = true, binary_only = false;
		struct load_gofile gf;
		const char *header;
		size_t header_len;
		memset(&gf, 0, sizeof gf);
		if (strcmp(ext, ".go") == 0) {
			load_read_gofile(&ld->arena, fullc, data.data, data.len, &gf);
			if (gf.read_error) {
				bad_go_file(&s, name, gf.read_error, NULL);
				load_gofile_release(&gf);
				continue;
			}
			header = gf.header;
			header_len = gf.header_len;
		} else {
			header = data.data;
			header_len = load_read_comments(data.data, data.len);
		}
		err_clear(&e);
		if (load_eval_build_lines(ld->ctx, header, header_len, &ok, &binary_only, &s.all_tags,
		                          &ld->arena, &e) < 0) {
			load_gofile_release(&gf);
			if (strcmp(ext, ".go") == 0 && has_prefix(err_msg(&e), "parsing //go:build line")) {
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
				goto out;
			}
			if (strcmp(ext, ".go") == 0) {
				bad_go_file(&s, name, arena_printf(&ld->arena, "%s: %s", name, err_msg(&e)), NULL);
				continue;
			}
			goto ignored;
		}
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
	if (res->kind == SCAN_OK &&
	    p->go_files.n + p->cgo_files.n + p->test_go_files.n + p->xtest_go_files.n == 0) {
		res->kind = SCAN_NOGO;
		p->no_go = true;
	}
out:
	map_release(&s.bad_files);
	map_release(&s.all_tags);
	buf_release(&data);
	err_clear(&e);
}
