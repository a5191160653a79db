/*
 * The main modules of an invocation: go.work or go.mod found from the
 * working directory, parsed, with their directory replacements and vendor
 * mode.  Mirrors cmd/go/internal/modload/init.go (go1.26) for the parts
 * that need no module graph; resolving required modules from the module
 * cache and the network belongs to the modules issue.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "modload/load_internal.h"

static int read_modfile(struct load_state *ld, const char *path, bool work, struct mod_file **out,
                        struct err *e)
{
	struct buf data = BUF_INIT;
	int rc;

	if (os_read_file(path, &data, 0, e) < 0) {
		buf_release(&data);
		return -1;
	}
	/* modload ReadModFile: positions and the header use base.ShortPath */
	if (work)
		rc = mod_work_parse(&ld->arena, short_path(ld, path), data.data, data.len, out, e);
	else
		rc = mod_file_parse(&ld->arena, short_path(ld, path), data.data, data.len, true, out, e);
	buf_release(&data);
	if (rc < 0) {
		char *msg = xstrdup(err_msg(e));
		err_clear(e);
		if (work)
			err_setf(e, "errors parsing go.work:\n%s", msg);
		else
			err_setf(e, "errors parsing %s:\n%s", short_path(ld, path), msg);
		free(msg);
	}
	return rc;
}

static struct load_module *main_module(struct load_state *ld, const char *gomod, struct mod_file *f)
{
	struct load_module *m = arena_new(&ld->arena, struct load_module);
	char *dir = path_dir(gomod);

	m->path = f->module ? f->module : "";
	m->version = "";
	m->dir = arena_strdup(&ld->arena, dir);
	m->gomod = arena_strdup(&ld->arena, gomod);
	m->go_version = f->go ? f->go : "";
	m->main = true;
	m->file = f;
	free(dir);
	return m;
}

/* rel_path is filepath.Rel for two clean absolute paths (heap). */
static char *rel_path(const char *base, const char *target)
{
	struct buf b = BUF_INIT;
	size_t common = 0, i = 0;
	const char *rest;

	/* longest common prefix ending at an element boundary */
	while (base[i] && target[i] && base[i] == target[i]) {
		i++;
		if ((base[i] == '/' || base[i] == 0) && (target[i] == '/' || target[i] == 0))
			common = i;
	}
	if (strcmp(base, "/") == 0)
		common = 0;
	for (rest = base + common; *rest; rest++)
		if (*rest == '/')
			buf_adds(&b, b.len ? "/.." : "..");
	if (target[common] == '/')
		common++;
	if (target[common]) {
		if (b.len)
			buf_addch(&b, '/');
		buf_adds(&b, target + common);
	}
	if (!b.len)
		buf_addch(&b, '.');
	return buf_detach(&b);
}

/* canonical_replace_path mirrors modload canonicalizeReplacePath: in
 * workspace mode a module's relative directory replacement is shown
 * relative to the go.work directory, as a ./ or ../ path (heap). */
static char *canonical_replace_path(struct load_state *ld, const char *modroot, const char *path)
{
	char *abs = path_join(modroot, path);
	char *wdir = path_dir(ld->gowork);
	char *rel = rel_path(wdir, abs);
	char *res;

	if (has_prefix(rel, "./") || has_prefix(rel, "../") || strcmp(rel, ".") == 0 ||
	    strcmp(rel, "..") == 0 || path_is_abs(rel))
		res = xstrdup(rel);
	else
		res = xasprintf("./%s", rel);
	free(abs);
	free(wdir);
	free(rel);
	return res;
}

/* add_replace_dirs records the directory replacements of f (relative to
 * base), reported as the replaced module with a Replace entry. */
static int add_replace_dirs(struct load_state *ld, struct mod_file *f, const char *base, struct err *e)
{
	for (size_t i = 0; i < f->replaces.n; i++) {
		struct mod_replace *r = &f->replaces.v[i];
		char *dir;
		if (r->new.version && r->new.version[0])
			continue;
		dir = path_is_abs(r->new.path) ? path_clean(r->new.path) : path_join(base, r->new.path);
		/* Skip replacements of a main module (go ignores them in workspaces). */
		bool is_main = false;
		for (size_t k = 0; k < ld->mains.n; k++)
			if (strcmp(ld->mains.v[k]->path, r->old.path) == 0)
				is_main = true;
		if (is_main) {
			free(dir);
			continue;
		}
		struct load_replace_dir rd = {r->old.path, r->old.version ? r->old.version : "",
		                              arena_strdup(&ld->arena, dir), NULL, false};
		struct load_module *m = arena_new(&ld->arena, struct load_module);
		struct load_module *rep = arena_new(&ld->arena, struct load_module);
		char *gomod = path_join(dir, "go.mod");
		struct mod_file *rf = NULL;
		struct buf data = BUF_INIT;
		struct err pe = ERR_INIT;

		/* The version reported is the required one. */
		const char *version = rd.old_version;
		bool direct = false;
		for (size_t k = 0; k < ld->mains.n; k++) {
			struct mod_file *mf = ld->mains.v[k]->file;
			for (size_t j = 0; mf && j < mf->requires.n; j++) {
				if (strcmp(mf->requires.v[j].mod.path, r->old.path) != 0)
					continue;
				if (!rd.old_version[0])
					version = mf->requires.v[j].mod.version;
				if (!mf->requires.v[j].indirect)
					direct = true;
			}
		}
		m->indirect = !direct;
		if (os_read_file(gomod, &data, 0, &pe) == 0)
			mod_file_parse(&ld->arena, gomod, data.data, data.len, false, &rf, &pe);
		err_clear(&pe);
		buf_release(&data);
		rep->path = r->new.path;
		if (ld->workspace && f != ld->work && !path_is_abs(r->new.path)) {
			char *c = canonical_replace_path(ld, base, r->new.path);
			rep->path = arena_strdup(&ld->arena, c);
			free(c);
		}
		rd.required = version[0] != 0;
		rep->version = "";
		rep->dir = rd.dir;
		rep->gomod = arena_strdup(&ld->arena, gomod);
		rep->go_version = rf && rf->go ? rf->go : "";
		m->path = r->old.path;
		m->version = version;
		m->dir = rd.dir;
		m->gomod = rep->gomod;
		m->go_version = rep->go_version;
		m->replace = rep;
		rd.mod = m;
		VEC_PUSH(&ld->replace_dirs, rd);
		free(gomod);
		free(dir);
	}
	(void)e;
	return 0;
}

/* is_direct reports whether a main go.mod requires path without // indirect. */
static bool is_direct(struct load_state *ld, const char *path)
{
	for (size_t k = 0; k < ld->mains.n; k++) {
		struct mod_file *mf = ld->mains.v[k]->file;
		for (size_t j = 0; mf && j < mf->requires.n; j++)
			if (strcmp(mf->requires.v[j].mod.path, path) == 0 && !mf->requires.v[j].indirect)
				return true;
	}
	return false;
}

/* read_vendor_list mirrors modload readVendorList and moduleInfo in vendor
 * mode: each "# path version [=> new [version]]" block of
 * vendor/modules.txt becomes a module (GoVersion from "## ...; go X"), and
 * the package lines under it map to it.  A missing file lists nothing. */
static void read_vendor_list(struct load_state *ld, const char *base)
{
	char *file = path_join(ld->vendor_dir, "modules.txt");
	struct buf data = BUF_INIT;
	struct err e = ERR_INIT;
	struct load_module *cur = NULL;
	char *line, *next;

	if (os_read_file(file, &data, 0, &e) < 0) {
		err_clear(&e);
		goto out;
	}
	for (line = data.data; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (has_prefix(line, "# ")) {
			struct strvec f = {0};
			char *w = line + 2, *tok;
			cur = NULL;
			while ((tok = strsep(&w, " ")) != NULL)
				if (*tok)
					strvec_push(&f, tok);
			/* "# path version" or "# path version => new [version]";
			 * "# path => new" only records a wildcard replacement. */
			if (f.n >= 2 && strcmp(f.v[1], "=>") != 0) {
				struct load_module *m = arena_new(&ld->arena, struct load_module);
				m->path = arena_strdup(&ld->arena, f.v[0]);
				m->version = arena_strdup(&ld->arena, f.v[1]);
				m->dir = m->gomod = m->go_version = "";
				m->indirect = !is_direct(ld, m->path);
				if (f.n >= 4 && strcmp(f.v[2], "=>") == 0) {
					struct load_module *rep = arena_new(&ld->arena, struct load_module);
					rep->path = arena_strdup(&ld->arena, f.v[3]);
					rep->version = f.n >= 5 ? arena_strdup(&ld->arena, f.v[4]) : "";
					rep->dir = rep->gomod = rep->go_version = "";
					if (!rep->version[0]) {
						char *d = path_is_abs(rep->path) ? path_clean(rep->path) : path_join(base, rep->path);
						char *g = path_join(d, "go.mod");
						rep->dir = arena_strdup(&ld->arena, d);
						rep->gomod = arena_strdup(&ld->arena, g);
						free(d);
						free(g);
					}
					m->replace = rep;
				}
				cur = m;
			}
			strvec_clear(&f);
		} else if (has_prefix(line, "## ")) {
			/* annotations: "explicit", "go 1.20", separated by "; " */
			char *w = line + 3, *tok;
			while (cur && (tok = strsep(&w, ";")) != NULL) {
				while (*tok == ' ')
					tok++;
				if (has_prefix(tok, "go ")) {
					cur->go_version = arena_strdup(&ld->arena, tok + 3);
					if (cur->replace)
						cur->replace->go_version = cur->go_version;
				}
			}
		} else if (cur && line[0] && line[0] != '#') {
			const char *pkg = intern_str(&ld->in, line);
			if (!map_has(&ld->vendor_pkgs, pkg))
				map_put(&ld->vendor_pkgs, pkg, cur);
		}
	}
out:
	free(file);
	buf_release(&data);
}

int load_modules_init(struct load_state *ld, struct err *e)
{
	const char *go111 = cfg_getenv(ld->cfg, "GO111MODULE");
	const char *gowork = cfg_getenv(ld->cfg, "GOWORK");
	char *workpath = NULL, *gomod = NULL;
	int rc = -1;

	if (go111 && strcmp(go111, "off") == 0)
		return err_setf(e, "GO111MODULE=off (GOPATH mode) is not supported yet");
	ld->modules_enabled = true;

	if (ld->opts.modfile && ld->opts.modfile[0]) {
		return err_setf(e, "-modfile is not supported yet");
	}
	if (gowork && strcmp(gowork, "off") == 0) {
		workpath = NULL;
	} else if (gowork && gowork[0]) {
		if (!path_is_abs(gowork))
			return err_setf(e, "invalid GOWORK: not an absolute path");
		workpath = xstrdup(gowork);
	} else {
		workpath = mod_find_gowork_goroot(ld->cwd, ld->cfg->tc.goroot);
	}

	if (workpath) {
		struct mod_file *wf;
		char *wdir = path_dir(workpath);
		if (read_modfile(ld, workpath, true, &wf, e) < 0) {
			free(wdir);
			goto out;
		}
		ld->workspace = true;
		ld->has_modroot = true;
		ld->gowork = arena_strdup(&ld->arena, workpath);
		ld->work = wf;
		for (size_t i = 0; i < wf->uses.n; i++) {
			char *d = path_is_abs(wf->uses.v[i].path) ? path_clean(wf->uses.v[i].path)
			                                            : path_join(wdir, wf->uses.v[i].path);
			char *gm = path_join(d, "go.mod");
			struct mod_file *f;
			if (read_modfile(ld, gm, false, &f, e) < 0) {
				free(d);
				free(gm);
				free(wdir);
				goto out;
			}
			VEC_PUSH(&ld->mains, main_module(ld, gm, f));
			free(d);
			free(gm);
		}
		add_replace_dirs(ld, wf, wdir, e);
		for (size_t i = 0; i < ld->mains.n; i++)
			add_replace_dirs(ld, ld->mains.v[i]->file, ld->mains.v[i]->dir, e);
		free(wdir);
	} else {
		gomod = mod_find_gomod(ld->cwd);
		if (gomod) {
			struct mod_file *f;
			if (read_modfile(ld, gomod, false, &f, e) < 0)
				goto out;
			if (!f->module) {
				err_setf(e, "error reading %s: missing module declaration. To specify the module path:\n\tgo mod edit -module=example.com/mod",
				         short_path(ld, gomod));
				goto out;
			}
			ld->has_modroot = true;
			VEC_PUSH(&ld->mains, main_module(ld, gomod, f));
			add_replace_dirs(ld, f, ld->mains.v[0]->dir, e);
		}
	}

	/* -mod default: vendor when go >= 1.14 and a vendor directory exists. */
	ld->mod_mode = ld->opts.mod_flag && ld->opts.mod_flag[0] ? ld->opts.mod_flag : NULL;
	ld->mod_explicit = ld->mod_mode != NULL;
	if (ld->has_modroot && !ld->mod_mode) {
		const char *base = ld->workspace ? path_dir(ld->gowork) : NULL;
		char *vdir = ld->workspace ? path_join(base, "vendor") : path_join(ld->mains.v[0]->dir, "vendor");
		const char *gov = ld->workspace ? (ld->work->go ? ld->work->go : "") : ld->mains.v[0]->go_version;
		/* setDefaultBuildMod: the reason shows up in import errors */
		const char *src = ld->workspace ? "go.work" : "go.mod";
		if (os_is_dir(vdir)) {
			if (!gov[0]) {
				ld->mod_reason = arena_printf(&ld->arena, "Go version in %s is unspecified, so vendor directory was not used.", src);
			} else if (tc_version_compare(gov, "1.14") < 0) {
				ld->mod_reason = arena_printf(&ld->arena, "Go version in %s is %s, so vendor directory was not used.", src, gov);
			} else {
				ld->mod_mode = "vendor";
				ld->mod_reason = arena_printf(&ld->arena, "Go version in %s is at least 1.14 and vendor directory exists.", src);
			}
		}
		free(vdir);
		free((char *)base);
	}
	if (!ld->mod_mode)
		ld->mod_mode = "readonly";
	if (strcmp(ld->mod_mode, "vendor") == 0 && ld->has_modroot) {
		const char *base = ld->workspace ? path_dir(ld->gowork) : xstrdup(ld->mains.v[0]->dir);
		char *vdir = path_join(base, "vendor");
		ld->vendor_dir = arena_strdup(&ld->arena, vdir);
		read_vendor_list(ld, base);
		free(vdir);
		free((char *)base);
		/* In vendor mode only the vendor tree provides dependencies; the
		 * replacements still name directories (pathInModuleCache). */
	} else if (strcmp(ld->mod_mode, "mod") != 0 && strcmp(ld->mod_mode, "readonly") != 0 &&
	           strcmp(ld->mod_mode, "vendor") != 0) {
		err_setf(e, "-mod=%s not supported (can be '', 'mod', 'readonly', or 'vendor')", ld->mod_mode);
		goto out;
	}
	rc = 0;
out:
	free(workpath);
	free(gomod);
	return rc;
}

int load_state_new(const struct cfg *cfg, const struct load_opts *opts, struct load_state **out, struct err *e)
{
	struct load_state *ld = xcalloc(1, sizeof *ld);
	char *p;

	arena_init(&ld->arena);
	intern_init(&ld->in, &ld->arena);
	map_init(&ld->pkgs);
	map_init(&ld->fold_paths);
	map_init(&ld->cmdline_seen);
	map_init(&ld->prescanned);
	map_init(&ld->vendor_pkgs);
	map_init(&ld->finding);
	map_init(&ld->root_literals);
	ld->cfg = cfg;
	ld->ctx = &cfg->ctx;
	ld->opts = *opts;
	ld->cwd = os_getwd();
	p = path_join(cfg->tc.goroot, "src");
	ld->goroot_src = arena_strdup(&ld->arena, p);
	free(p);
	p = path_join(ld->goroot_src, "cmd");
	ld->goroot_src_cmd = arena_strdup(&ld->arena, p);
	free(p);
	if (load_modules_init(ld, e) < 0) {
		load_state_free(ld);
		return -1;
	}
	*out = ld;
	return 0;
}

void load_state_free(struct load_state *ld)
{
	size_t it = 0;
	void *v;

	if (!ld)
		return;
	while (map_next(&ld->pkgs, &it, NULL, &v)) {
		struct load_pkg *p = v;
		map_release(&p->import_pos);
		map_release(&p->test_import_pos);
		map_release(&p->xtest_import_pos);
		map_release(&p->embed_pos);
		map_release(&p->test_embed_pos);
		map_release(&p->xtest_embed_pos);
		VEC_FREE(&p->internal_imports);
		VEC_FREE(&p->deps_errors);
		VEC_FREE(&p->directives);
		VEC_FREE(&p->test_directives);
		VEC_FREE(&p->xtest_directives);
	}
	it = 0;
	while (map_next(&ld->prescanned, &it, NULL, &v)) {
		struct load_pkg *p = v;
		if (map_get(&ld->pkgs, p->import_path) == p)
			continue;
		map_release(&p->import_pos);
		map_release(&p->test_import_pos);
		map_release(&p->xtest_import_pos);
		map_release(&p->embed_pos);
		map_release(&p->test_embed_pos);
		map_release(&p->xtest_embed_pos);
		VEC_FREE(&p->directives);
		VEC_FREE(&p->test_directives);
		VEC_FREE(&p->xtest_directives);
	}
	for (size_t i = 0; i < ld->forks.n; i++) {
		VEC_FREE(&ld->forks.v[i]->internal_imports);
		VEC_FREE(&ld->forks.v[i]->deps_errors);
	}
	VEC_FREE(&ld->forks);
	map_release(&ld->pkgs);
	map_release(&ld->fold_paths);
	map_release(&ld->cmdline_seen);
	map_release(&ld->prescanned);
	map_release(&ld->vendor_pkgs);
	map_release(&ld->finding);
	map_release(&ld->root_literals);
	VEC_FREE(&ld->mains);
	VEC_FREE(&ld->replace_dirs);
	VEC_FREE(&ld->stack);
	intern_release(&ld->in);
	arena_release(&ld->arena);
	free(ld->cwd);
	free(ld);
}

struct load_module *load_module_for_dir(struct load_state *ld, const char *dir, const char **modroot)
{
	for (size_t i = 0; i < ld->mains.n; i++) {
		if (path_has_prefix_dir(dir, ld->mains.v[i]->dir)) {
			*modroot = ld->mains.v[i]->dir;
			return ld->mains.v[i];
		}
	}
	return NULL;
}
