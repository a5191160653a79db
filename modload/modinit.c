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
#include <sys/stat.h>

#include "modload/load_internal.h"
#include "modload/modfile_internal.h"

/* short_path_err mirrors base.ShortPath including its sameFile test: the
 * relative form only when path exists or is missing outright (ENOENT), so a
 * path that fails with ENOTDIR or EACCES stays absolute in messages. */
static const char *short_path_err(struct load_state *ld, const char *path)
{
	const char *sp = short_path(ld, path);
	struct stat st;

	if (sp != path && stat(path, &st) < 0 && errno != ENOENT)
		return path;
	return sp;
}

/* too_new_msg is gover.TooNewError's text for what (a short path) needing go >= v. */
static const char *too_new_msg(struct load_state *ld, const char *what, const char *v)
{
	char *m = tc_too_new_error(what, v, ld->cfg->tc.gover);
	const char *r = arena_strdup(&ld->arena, m);

	free(m);
	return r;
}

/*
 * fix_version mirrors modload.fixVersion (go1.26) as the VersionFixer of
 * the main go.mod: canonical versions pass after the major-version check;
 * anything else needs modload.Query.  gotool cannot query yet, so it gives
 * go's answers where they need no network (-mod=vendor, GOPROXY=off, a
 * GONOPROXY path) and says so otherwise.
 */
static int fix_version(void *ctx, const char *path, const char *vers, char **fixed, struct err *e)
{
	struct load_state *ld = ctx;
	char *prefix = NULL, *major = NULL, *canon = NULL, *build = NULL, *proxy = NULL;
	const char *v = vers, *gin, *list, *noproxy;
	int rc = -1;

	/* the old -gopkgin- hack is dropped from gopkg.in versions */
	if (has_prefix(path, "gopkg.in/") && (gin = strstr(vers, "-gopkgin-")) != NULL)
		v = gin + strlen("-gopkgin-");
	if (!mod_split_path_version(path, &prefix, &major)) {
		struct buf b = BUF_INIT;
		buf_adds(&b, "malformed module path ");
		mod_quote(&b, path, strlen(path));
		err_setf(e, "version \"%s\" invalid: %s", v, b.data);
		buf_release(&b);
		rc = MOD_FIX_MODULE_ERR;
		goto out;
	}
	/* module.CanonicalVersion keeps a +incompatible build suffix */
	canon = mod_semver_canonical(v);
	build = mod_semver_build(v);
	if (canon[0] && strcmp(build, "+incompatible") == 0) {
		char *c2 = xasprintf("%s+incompatible", canon);
		free(canon);
		canon = c2;
	}
	if (v[0] && strcmp(canon, v) == 0) {
		if (mod_check_path_major(v, major, e) < 0) {
			rc = MOD_FIX_MODULE_ERR;
			goto out;
		}
		*fixed = xstrdup(v);
		rc = 0;
		goto out;
	}
	/* modload.Query → queryProxy → lookupRepo → modfetch.Lookup */
	if (ld->opts.mod_flag && strcmp(ld->opts.mod_flag, "vendor") == 0) {
		err_setf(e, "cannot query module due to -mod=vendor");
		goto out;
	}
	if (strcmp(path, "std") == 0 || strcmp(path, "cmd") == 0) {
		err_setf(e, "can't query specific version (\"%s\") of standard-library module \"%s\"", v, path);
		goto out;
	}
	if (strcmp(path, "go") != 0 && strcmp(path, "toolchain") != 0 && mod_check_path(path, e) < 0)
		goto out;
	list = cfg_getenv(ld->cfg, "GOPROXY");
	proxy = xstrndup(list ? list : "", strcspn(list ? list : "", ",|"));
	noproxy = cfg_getenv(ld->cfg, "GONOPROXY");
	if (!noproxy || !noproxy[0])
		noproxy = cfg_getenv(ld->cfg, "GOPRIVATE");
	if (mod_match_prefix_patterns(noproxy, path) && strcmp(proxy, "direct") != 0 &&
	    strcmp(proxy, "noproxy") != 0)
		err_setf(e, "disabled by GOPRIVATE/GONOPROXY");
	else if (strcmp(proxy, "off") == 0)
		err_setf(e, "module lookup disabled by GOPROXY=off");
	else {
		/* Query(path, vers): the main modules are not known yet, so no
		 * replacement applies, and no go.sum is read */
		struct mod_fetch_config fc;
		struct mod_fetch *f;
		struct mod_query_source s;
		struct mod_rev_info info = {0};
		unsigned kind = 0;
		mod_fetch_config_init(ld->cfg, &fc);
		fc.x = ld->opts.x;
		fc.announce = true;
		f = mod_fetch_new(&fc, NULL);
		mod_fetch_query_source(f, &s);
		if (mod_query(&s, path, v, "", NULL, NULL, &info, &kind, e) == 0) {
			*fixed = xstrdup(info.version);
			rc = 0;
		} else {
			/* a module.ModuleError: the modfile error names the
			 * verb and path, then only its inner error */
			char *pfx = xasprintf("%s@%s: ", path, v), *mpfx = xasprintf("module %s: ", path);
			const char *msg = err_msg(e), *rest;
			if (has_prefix(msg, pfx) || has_prefix(msg, mpfx)) {
				struct buf b = BUF_INIT;
				rest = msg + strlen(has_prefix(msg, pfx) ? pfx : mpfx);
				if (has_prefix(rest, "invalid version: ") || has_prefix(rest, "invalid pseudo-version: ")) {
					bool pseudo = has_prefix(rest, "invalid pseudo-version: ");
					buf_adds(&b, pseudo ? "pseudo-version " : "version ");
					mod_quote(&b, v, strlen(v));
					buf_printf(&b, " invalid: %s", strchr(rest, ':') + 2);
				} else {
					buf_adds(&b, rest);
				}
				err_setf(e, "%s", b.data);
				buf_release(&b);
				rc = MOD_FIX_MODULE_ERR;
			}
			free(pfx);
			free(mpfx);
		}
		mod_rev_info_release(&info);
		mod_fetch_free(f);
	}
out:
	if (rc == 0 && strcmp(*fixed, vers) != 0) {
		ld->gomod_fixed = true;
		map_put(&ld->fixed_versions, arena_printf(&ld->arena, "%s@%s", path, vers), arena_strdup(&ld->arena, *fixed));
	}
	free(prefix);
	free(major);
	free(canon);
	free(build);
	free(proxy);
	return rc;
}

/* reshort_errors rewrites the leading "ABS:" of each line of a modfile
 * error list to "SHORT:" (modload shortPathErrorList changes only the
 * Filename of each error; the texts keep the absolute path). */
static char *reshort_errors(const char *msg, const char *abs, const char *shortp)
{
	struct buf b = BUF_INIT;
	size_t an = strlen(abs);
	const char *line = msg;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t ln = nl ? (size_t)(nl - line + 1) : strlen(line);
		if (ln > an && strncmp(line, abs, an) == 0 && line[an] == ':') {
			buf_adds(&b, shortp);
			buf_add(&b, line + an, ln - an);
		} else {
			buf_add(&b, line, ln);
		}
		line += ln;
	}
	return buf_detach(&b);
}

/*
 * read_gomod mirrors modload.ReadModFile (go1.26) for a main module: parse
 * with the version fixer (falling back to the lax parse only to report a
 * too-new go line), then the go version and module declaration checks.
 * *too_new is set for gover.TooNewError (its version in *too_new_v).
 */
static int read_gomod(struct load_state *ld, const char *path, struct mod_file **out, bool *too_new,
                      const char **too_new_v, struct err *e)
{
	struct buf data = BUF_INIT;
	struct mod_version_fixer fix = {fix_version, ld};
	struct mod_file *f = NULL;
	int rc = -1;

	*too_new = false;
	if (os_read_file(path, &data, 0, e) < 0)
		goto out;
	if (mod_file_parse_fix(&ld->arena, path, data.data, data.len, true, &fix, &f, e) < 0) {
		struct err le = ERR_INIT;
		struct mod_file *lf = NULL;
		char *msg;
		if (mod_file_parse_fix(&ld->arena, path, data.data, data.len, false, &fix, &lf, &le) == 0 &&
		    lf->go && tc_version_compare(lf->go, ld->cfg->tc.gover) > 0) {
			err_clear(e);
			*too_new = true;
			*too_new_v = lf->go;
			err_setf(e, "%s", too_new_msg(ld, short_path(ld, path), lf->go));
			goto out;
		}
		err_clear(&le);
		msg = reshort_errors(err_msg(e), path, short_path(ld, path));
		err_clear(e);
		err_setf(e, "errors parsing %s:\n%s", short_path(ld, path), msg);
		free(msg);
		goto out;
	}
	if (f->go && tc_version_compare(f->go, ld->cfg->tc.gover) > 0) {
		*too_new = true;
		*too_new_v = f->go;
		err_setf(e, "%s", too_new_msg(ld, short_path(ld, path), f->go));
		goto out;
	}
	if (!f->module) {
		err_setf(e, "error reading %s: missing module declaration. To specify the module path:\n\tgo mod edit -module=example.com/mod",
		         short_path(ld, path));
		goto out;
	}
	/* CheckReservedModulePath: gover.IsToolchain */
	if (strcmp(f->module, "go") == 0 || strcmp(f->module, "toolchain") == 0) {
		struct buf b = BUF_INIT;
		mod_quote(&b, f->module, strlen(f->module));
		err_setf(e, "error reading %s: invalid module path: %s", short_path(ld, path), b.data);
		buf_release(&b);
		goto out;
	}
	*out = f;
	rc = 0;
out:
	buf_release(&data);
	return rc;
}

/* read_gowork mirrors modload.ReadWorkFile: everything is named by the
 * short path; a too-new go line is fatal right away (base.Fatal). */
static int read_gowork(struct load_state *ld, const char *path, struct mod_file **out, struct err *e)
{
	struct buf data = BUF_INIT;
	const char *sp = short_path_err(ld, path);
	int rc = -1;

	if (os_read_file(sp, &data, 0, e) < 0) {
		err_wrapf(e, "reading go.work");
		goto out;
	}
	if (mod_work_parse(&ld->arena, sp, data.data, data.len, out, e) < 0) {
		char *msg = xstrdup(err_msg(e));
		err_clear(e);
		err_setf(e, "errors parsing go.work:\n%s", msg);
		free(msg);
		goto out;
	}
	if ((*out)->go && tc_version_compare((*out)->go, ld->cfg->tc.gover) > 0) {
		err_setf(e, "%s", too_new_msg(ld, sp, (*out)->go));
		goto out;
	}
	rc = 0;
out:
	buf_release(&data);
	return rc;
}

/* godebug_table returns the toolchain's internal/godebugs table, read once
 * (NULL when it cannot be read). */
static struct mod_godebug_table *godebug_table(struct load_state *ld)
{
	if (!ld->godebug_tried) {
		struct err e = ERR_INIT;
		ld->godebug_tried = true;
		if (mod_godebug_table_load(&ld->arena, ld->cfg->tc.goroot, &ld->godebug_table, &e) < 0)
			ld->godebug_table = NULL;
		err_clear(&e);
	}
	return ld->godebug_table;
}

/* check_godebugs is the CheckGodebug loop of LoadWorkFile / loadModFile:
 * appends "error loading FILE:\nSHORT:LINE: MSG" for each bad line (only
 * the first for go.work, which returns at once). */
static bool check_godebugs(struct load_state *ld, struct mod_file *f, const char *file, const char *path,
                           bool first_only, struct buf *errs)
{
	struct mod_godebug_table *t = f->godebugs.n ? godebug_table(ld) : NULL;
	bool ok = true;

	for (size_t i = 0; t && i < f->godebugs.n; i++) {
		struct err ge = ERR_INIT;
		if (mod_godebug_check(t, "godebug", f->godebugs.v[i].key, f->godebugs.v[i].value,
		                      ld->cfg->tc.gover, &ge) < 0) {
			if (errs->len)
				buf_printf(errs, "\n%s: ", prog_name);
			buf_printf(errs, "error loading %s:\n%s:%d: %s", file, short_path(ld, path),
			           f->godebugs.v[i].line, err_msg(&ge));
			ok = false;
		}
		err_clear(&ge);
		if (!ok && first_only)
			break;
	}
	return ok;
}

/* main_module makes the main module rooted at dir's go.mod; modfile is the
 * -modfile path read instead (NULL: dir/go.mod), whose go.sum sits beside
 * it (modload.modFilePath and the Fetcher's SetGoSumFile). */
static struct load_module *main_module(struct load_state *ld, const char *dir, const char *modfile,
                                       struct mod_file *f)
{
	struct load_module *m = arena_new(&ld->arena, struct load_module);

	m->path = f->module ? f->module : "";
	m->version = "";
	m->dir = arena_strdup(&ld->arena, dir);
	if (modfile) {
		size_t n = strlen(modfile) - strlen(".mod");
		m->gomod = arena_strdup(&ld->arena, modfile);
		m->gosum = arena_printf(&ld->arena, "%.*s.sum", (int)n, modfile);
	} else {
		char *gm = path_join(dir, "go.mod"), *gs = path_join(dir, "go.sum");
		m->gomod = arena_strdup(&ld->arena, gm);
		m->gosum = arena_strdup(&ld->arena, gs);
		free(gm);
		free(gs);
	}
	m->go_version = f->go ? f->go : "";
	m->main = true;
	m->file = f;
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

/* load_canonical_replace_path mirrors modload canonicalizeReplacePath: in
 * workspace mode a module's relative directory replacement is shown
 * relative to the go.work directory, as a ./ or ../ path (heap). */
char *load_canonical_replace_path(struct load_state *ld, const char *modroot, const char *path)
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
		                              arena_strdup(&ld->arena, dir), NULL, false, NULL, false};
		struct load_module *m = arena_new(&ld->arena, struct load_module);
		struct load_module *rep = arena_new(&ld->arena, struct load_module);
		char *gomod = path_join(dir, "go.mod");
		struct mod_file *rf = NULL;
		struct buf data = BUF_INIT;
		struct err pe = ERR_INIT;

		/* The version reported is the required one. */
		const char *version = rd.old_version;
		bool direct = false, below = false;
		for (size_t k = 0; k < ld->mains.n; k++) {
			struct mod_file *mf = ld->mains.v[k]->file;
			for (size_t j = 0; mf && j < mf->requires.n; j++) {
				if (strcmp(mf->requires.v[j].mod.path, r->old.path) != 0)
					continue;
				if (!rd.old_version[0])
					version = mf->requires.v[j].mod.version;
				/* MVS selects at least the required version: a replaced
				 * version below it never applies */
				else if (mod_compare_version(r->old.path, rd.old_version, mf->requires.v[j].mod.version) < 0)
					below = true;
				if (!mf->requires.v[j].indirect)
					direct = true;
				rd.req_version = mf->requires.v[j].mod.version;
			}
		}
		m->indirect = !direct;
		if (os_read_file(gomod, &data, 0, &pe) == 0)
			mod_file_parse(&ld->arena, gomod, data.data, data.len, false, &rf, &pe);
		err_clear(&pe);
		buf_release(&data);
		rep->path = r->new.path;
		if (ld->workspace && f != ld->work && !path_is_abs(r->new.path)) {
			char *c = load_canonical_replace_path(ld, base, r->new.path);
			rep->path = arena_strdup(&ld->arena, c);
			free(c);
		}
		/* a versioned replacement is taken as required unless the main
		 * module requires a higher version; of a module no main go.mod
		 * requires, load_replace_dir_required asks the module graph */
		rd.required = version[0] != 0 && !below;
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
		rep->file = rf; /* its ignore lines bound the walks of its tree */
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
 * vendor/modules.txt becomes a module (explicit and GoVersion from its
 * "## " line), kept in vendor_all in order; the package lines under it map
 * to it, and vendor_mods holds each path's highest version that provides
 * packages (else its first block).  "# path => new" records a wildcard
 * replacement only.  A missing file lists nothing; a go line newer than
 * this go is gover.TooNewError. */
static int read_vendor_list(struct load_state *ld, const char *base, struct err *e)
{
	struct arena *a = &ld->arena;
	char *file = path_join(ld->vendor_dir, "modules.txt");
	struct buf data = BUF_INIT;
	struct err re = ERR_INIT;
	struct load_module *hdr = NULL, *cur = NULL;
	char *line, *next;
	int rc = 0;

	if (os_exists(file) && os_read_file(file, &data, 0, &re) < 0) {
		rc = err_setf(e, "%s", err_msg(&re));
		goto out;
	}
	for (line = data.data; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (has_prefix(line, "# ")) {
			struct strvec f = {0};
			char *w = line + 2, *tok;
			size_t at;
			struct load_module *m;
			while ((tok = strsep(&w, " \t")) != NULL)
				if (*tok)
					strvec_push(&f, tok);
			if (f.n < 2) {
				strvec_clear(&f);
				continue; /* (the block goes on) */
			}
			if (mod_semver_is_valid(f.v[1])) {
				at = 2;
			} else if (strcmp(f.v[1], "=>") == 0) {
				at = 1;
			} else {
				hdr = cur = NULL;
				strvec_clear(&f);
				continue;
			}
			m = arena_new(a, struct load_module);
			m->path = arena_strdup(a, f.v[0]);
			m->version = at == 2 ? arena_strdup(a, f.v[1]) : "";
			m->dir = m->gomod = m->go_version = "";
			m->indirect = !is_direct(ld, m->path);
			if (f.n - at >= 2 && strcmp(f.v[at], "=>") == 0 &&
			    (f.n - at == 2 || (f.n - at == 3 && mod_semver_is_valid(f.v[at + 2])))) {
				struct load_module *rep = arena_new(a, struct load_module);
				rep->path = arena_strdup(a, f.v[at + 1]);
				rep->version = f.n - at == 3 ? arena_strdup(a, f.v[at + 2]) : "";
				rep->dir = rep->gomod = rep->go_version = "";
				if (!rep->version[0]) {
					char *d = path_is_abs(rep->path) ? path_clean(rep->path) : path_join(base, rep->path);
					char *g = path_join(d, "go.mod");
					rep->dir = arena_strdup(a, d);
					rep->gomod = arena_strdup(a, g);
					free(d);
					free(g);
				}
				m->replace = rep;
			}
			VEC_PUSH(&ld->vendor_all, m);
			hdr = m;
			cur = at == 2 ? m : NULL;
			if (cur && !map_has(&ld->vendor_mods, m->path))
				map_put(&ld->vendor_mods, m->path, m);
			strvec_clear(&f);
		} else if (!hdr) {
			continue;
		} else if (has_prefix(line, "## ")) {
			/* annotations: "explicit", "go 1.20", separated by ";" */
			char *w = line + 3, *tok;
			while ((tok = strsep(&w, ";")) != NULL) {
				char *t = tok, *end;
				while (*t == ' ' || *t == '\t')
					t++;
				end = t + strlen(t);
				while (end > t && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
					*--end = 0;
				if (strcmp(t, "explicit") == 0)
					hdr->vendor_explicit = true;
				if (has_prefix(t, "go ")) {
					if (tc_version_compare(t + 3, ld->cfg->tc.gover) > 0) {
						rc = err_setf(e, "%s", too_new_msg(ld, arena_printf(a, "%s in %s", hdr->path,
						                                                    short_path(ld, file)), t + 3));
						goto out;
					}
					hdr->go_version = arena_strdup(a, t + 3);
					if (hdr->replace)
						hdr->replace->go_version = hdr->go_version;
				}
			}
		} else if (cur) {
			/* a package line: one field, a valid import path */
			char *t = line, *end;
			struct err ie = ERR_INIT;
			struct load_module *sel = map_get(&ld->vendor_mods, cur->path);
			while (*t == ' ' || *t == '\t')
				t++;
			end = t + strlen(t);
			while (end > t && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
				*--end = 0;
			if (!*t || strpbrk(t, " \t") || mod_check_import_path(t, &ie) < 0) {
				err_clear(&ie);
				continue;
			}
			const char *pkg = intern_str(&ld->in, t);
			if (!map_has(&ld->vendor_pkgs, pkg))
				map_put(&ld->vendor_pkgs, pkg, cur);
			/* vendorList: the highest version of a module that
			 * provides packages is the one selected */
			if (sel != cur && (!sel->vendored_pkgs || mod_compare_version(cur->path, sel->version, cur->version) < 0))
				map_put(&ld->vendor_mods, cur->path, cur);
			cur->vendored_pkgs = true;
		}
	}
out:
	err_clear(&re);
	free(file);
	buf_release(&data);
	return rc;
}

/* ---- checkVendorConsistency ----------------------------------------------- */

/* What modules.txt says of one module version (vendorMetadata). */
struct vmeta {
	bool explicit;
	struct mod_version rep; /* path "" when not replaced */
};

static struct vmeta *vmeta_get(struct load_state *ld, struct map *meta, struct mod_version m)
{
	const char *k = arena_printf(&ld->arena, "%s@%s", m.path, m.version);
	struct vmeta *v = map_get(meta, k);

	if (!v) {
		v = arena_new(&ld->arena, struct vmeta);
		v->rep.path = v->rep.version = "";
		map_put(meta, k, v);
	}
	return v;
}

static void vendor_errorf(struct buf *b, struct mod_version m, const char *detail)
{
	if (*m.version)
		buf_printf(b, "\n\t%s@%s: %s", m.path, m.version, detail);
	else
		buf_printf(b, "\n\t%s: %s", m.path, detail);
}

static const char *describe_version(struct load_state *ld, struct mod_version m)
{
	return *m.version ? arena_printf(&ld->arena, "%s@%s", m.path, m.version) : m.path;
}

/* check_vendor_consistency mirrors checkVendorConsistency: vendor/modules.txt
 * (read as readVendorList reads it) must record the main modules'
 * requirements as explicit and their replacements as they are (from the
 * blocks read_vendor_list kept).  -1 with go's "inconsistent vendoring"
 * error. */
static int check_vendor_consistency(struct load_state *ld, struct err *e)
{
	struct arena *a = &ld->arena;
	struct buf errs = BUF_INIT;
	struct map meta, version, seen;
	VEC(struct mod_version) list = {0}, replaced = {0};
	bool pre114 = false;
	int rc = 0;

	map_init(&meta);
	map_init(&version);
	map_init(&seen);
	/* readVendorList's vendorMeta, vendorList, vendorVersion and
	 * vendorReplaced, from the blocks read_vendor_list kept */
	for (size_t i = 0; i < ld->vendor_all.n; i++) {
		const struct load_module *m = ld->vendor_all.v[i];
		struct mod_version mv = {m->path, m->version};
		struct vmeta *vm = vmeta_get(ld, &meta, mv);
		const char *v;
		if (m->vendor_explicit)
			vm->explicit = true;
		if (m->replace) {
			vm->rep = (struct mod_version){m->replace->path, m->replace->version};
			VEC_PUSH(&replaced, mv);
		}
		if (m->vendored_pkgs &&
		    (!(v = map_get(&version, m->path)) || mod_compare_version(m->path, v, m->version) < 0)) {
			VEC_PUSH(&list, mv);
			map_put(&version, m->path, (void *)m->version);
		}
	}

	if (!ld->workspace && tc_version_compare(ld->mains.v[0]->file->go ? ld->mains.v[0]->file->go : "", "1.14") < 0)
		pre114 = true;
	/* the requirements, in their files' order */
	for (size_t k = 0; k < ld->mains.n; k++) {
		const struct mod_file *f = ld->mains.v[k]->file;
		for (size_t i = 0; f && i < f->requires.n; i++) {
			struct mod_version r = f->requires.v[i].mod;
			const struct vmeta *vm = map_get(&meta, arena_printf(a, "%s@%s", r.path, r.version));
			const char *vv;
			if (vm && vm->explicit)
				continue;
			if (!pre114)
				vendor_errorf(&errs, r, "is explicitly required in go.mod, but not marked as explicit in "
				                        "vendor/modules.txt");
			else if ((vv = map_get(&version, r.path)) && strcmp(vv, r.version) != 0)
				vendor_errorf(&errs, r, arena_printf(a, "is explicitly required in go.mod, but "
				                                        "vendor/modules.txt indicates %s@%s", r.path, vv));
		}
	}
	/* every replacement, whether or not it applies to a vendored module */
	for (size_t k = 0; k <= ld->mains.n; k++) {
		const struct mod_file *f = k < ld->mains.n ? ld->mains.v[k]->file : (ld->workspace ? ld->work : NULL);
		for (size_t i = 0; f && i < f->replaces.n; i++) {
			struct mod_version old = {f->replaces.v[i].old.path,
			                          f->replaces.v[i].old.version ? f->replaces.v[i].old.version : ""};
			const char *key = arena_printf(a, "%s@%s", old.path, old.version), *src;
			const struct vmeta *vm;
			struct mod_version rnew = {"", ""}, canon = {"", ""}, vr = {"", ""};
			const struct mod_replace *r;
			if (map_has(&seen, key))
				continue;
			map_put(&seen, key, (void *)key);
			r = load_module_replacement(ld, old);
			if (r) {
				rnew = (struct mod_version){r->new.path, r->new.version ? r->new.version : ""};
				load_module_replacement_canonical(ld, old, &canon);
			}
			/* replacementFrom's source: go.work, or the go.mod holding it */
			src = ld->workspace ? ld->gowork : ld->mains.v[0]->gomod;
			for (size_t j = 0; r && j < ld->mains.n; j++) {
				const struct mod_file *mf = ld->mains.v[j]->file;
				for (size_t q = 0; mf && q < mf->replaces.n; q++)
					if (&mf->replaces.v[q] == r)
						src = ld->mains.v[j]->gomod;
			}
			if ((vm = map_get(&meta, key)))
				vr = vm->rep;
			if (!*vr.path) {
				const char *vv = map_get(&version, old.path);
				if (!r)
					continue; /* not actually replaced (a main module) */
				if (pre114 && (!*old.version || !vv || strcmp(vv, old.version) != 0))
					continue;
				vendor_errorf(&errs, old, arena_printf(a, "is replaced in %s, but not marked as replaced in "
				                                          "vendor/modules.txt", short_path(ld, src)));
			} else if (strcmp(vr.path, canon.path) != 0 || strcmp(vr.version, canon.version) != 0) {
				vendor_errorf(&errs, old, arena_printf(a, "is replaced by %s in %s, but marked as replaced by "
				                                          "%s in vendor/modules.txt", describe_version(ld, rnew),
				                                          short_path(ld, src), describe_version(ld, vr)));
			}
		}
	}
	for (size_t i = 0; i < list.n; i++) {
		const struct vmeta *vm = map_get(&meta, arena_printf(a, "%s@%s", list.v[i].path, list.v[i].version));
		bool found = false;
		if (!vm || !vm->explicit)
			continue;
		for (size_t k = 0; k < ld->mains.n && !found; k++) {
			const struct mod_file *f = ld->mains.v[k]->file;
			for (size_t j = 0; f && j < f->requires.n && !found; j++)
				found = strcmp(f->requires.v[j].mod.path, list.v[i].path) == 0 &&
				        strcmp(f->requires.v[j].mod.version, list.v[i].version) == 0;
		}
		if (!found)
			vendor_errorf(&errs, list.v[i], ld->workspace ? "is marked as explicit in vendor/modules.txt, but "
			                                                "not explicitly required in a go.mod"
			                                              : "is marked as explicit in vendor/modules.txt, but "
			                                                "not explicitly required in go.mod");
	}
	for (size_t i = 0; i < replaced.n; i++)
		if (!load_module_replacement(ld, replaced.v[i]))
			vendor_errorf(&errs, replaced.v[i], ld->workspace ? "is marked as replaced in vendor/modules.txt, "
			                                                    "but not replaced in the workspace"
			                                                  : "is marked as replaced in vendor/modules.txt, "
			                                                    "but not replaced in go.mod");
	if (errs.len > 0) {
		char *dir = path_dir(ld->vendor_dir);
		rc = err_setf(e, "inconsistent vendoring in %s:%s\n\n\tTo ignore the vendor directory, use -mod=readonly "
		                 "or -mod=mod.\n\tTo sync the vendor directory, run:\n\t\tgo %s vendor",
		              dir, errs.data, ld->workspace ? "work" : "mod");
		free(dir);
	}
	map_release(&meta);
	map_release(&version);
	map_release(&seen);
	VEC_FREE(&list);
	VEC_FREE(&replaced);
	buf_release(&errs);
	return rc;
}

/* modules_text_is_for_workspace mirrors modload modulesTextIsForWorkspace:
 * whether the first line of vdir/modules.txt is a "## " annotation line
 * with a "workspace" entry (no modules.txt: false). */
static int modules_text_is_for_workspace(const char *vdir, bool *ws, struct err *e)
{
	char *file = path_join(vdir, "modules.txt");
	struct buf data = BUF_INIT;
	struct err re = ERR_INIT;
	int rc = 0;

	*ws = false;
	if (!os_exists(file))
		goto out;
	if (os_read_file(file, &data, 0, &re) < 0) {
		rc = err_setf(e, "reading modules.txt for vendor directory: %s", err_msg(&re));
		goto out;
	}
	if (has_prefix(buf_cstr(&data), "## ")) {
		/* go reads 512 bytes and takes the first line of them */
		size_t n = data.len < 512 ? data.len : 512;
		char *line = xstrndup(data.data + 3, n - 3), *w, *tok;
		line[strcspn(line, "\n")] = 0;
		w = line;
		while ((tok = strsep(&w, ";")) != NULL) {
			struct str t = str_trim_space(str_c(tok));
			if (t.n == 9 && memcmp(t.p, "workspace", 9) == 0)
				*ws = true;
		}
		free(line);
	}
out:
	err_clear(&re);
	buf_release(&data);
	free(file);
	return rc;
}

/* version_string is module.Version.String: path, or path@version. */
static const char *version_string(struct load_state *ld, const char *path, const char *version)
{
	return version && *version ? arena_printf(&ld->arena, "%s@%s", path, version) : path;
}

/*
 * check_ws_replaces is the checks of the workspace's main modules
 * (modload.MainModules): a module path may be used once, go.work may not
 * replace a workspace
 * module at every version, and two workspace go.mod files may not replace
 * one module version differently unless go.work replaces that module
 * (relative directories compared as absolute ones).
 */
static int check_ws_replaces(struct load_state *ld, const struct mod_file *wf, struct err *e)
{
	struct map by_old, by_work;
	struct buf msgs = BUF_INIT;
	int rc = 0;

	/* (base.Errorf: each reported, and the conflicts still checked) */
	for (size_t k = 1; k < ld->mains.n; k++)
		for (size_t j = 0; j < k; j++)
			if (strcmp(ld->mains.v[j]->path, ld->mains.v[k]->path) == 0) {
				if (msgs.len)
					buf_printf(&msgs, "\n%s: ", prog_name);
				buf_printf(&msgs, "module %s appears multiple times in workspace", ld->mains.v[k]->path);
				break;
			}
	for (size_t i = 0; i < wf->replaces.n; i++) {
		const struct mod_replace *r = &wf->replaces.v[i];
		if (r->old.version && *r->old.version)
			continue;
		for (size_t k = 0; k < ld->mains.n; k++)
			if (strcmp(ld->mains.v[k]->path, r->old.path) == 0) {
				if (msgs.len)
					buf_printf(&msgs, "\n%s: ", prog_name);
				buf_printf(&msgs, "workspace module %s is replaced at all versions in the go.work file. To fix, "
				                  "remove the replacement from the go.work file or specify the version at which "
				                  "to replace the module.", r->old.path);
			}
	}
	map_init(&by_old);
	map_init(&by_work);
	for (size_t i = 0; i < wf->replaces.n; i++)
		map_put(&by_work, wf->replaces.v[i].old.path, (void *)1);
	for (size_t k = 0; k < ld->mains.n && rc == 0; k++) {
		const struct mod_file *f = ld->mains.v[k]->file;
		struct map cur;
		map_init(&cur);
		for (size_t i = 0; f && i < f->replaces.n; i++) {
			const struct mod_replace *r = &f->replaces.v[i];
			const char *old = version_string(ld, r->old.path, r->old.version);
			const char *nv = version_string(ld, r->new.path, r->new.version), *prev;
			if (map_has(&by_work, r->old.path))
				continue;
			if ((!r->new.version || !*r->new.version) && !path_is_abs(r->new.path)) {
				char *j = path_join(ld->mains.v[k]->dir, r->new.path), *c = path_clean(j);
				nv = arena_strdup(&ld->arena, c);
				free(j);
				free(c);
			}
			prev = map_get(&by_old, old);
			if (prev && !map_has(&cur, old) && strcmp(prev, nv) != 0) {
				if (msgs.len)
					buf_printf(&msgs, "\n%s: ", prog_name);
				buf_printf(&msgs, "conflicting replacements for %s:\n\t%s\n\t%s\nuse \"go work edit -replace %s=[override]\" to resolve",
				           old, prev, nv, old);
				rc = -1;
				break;
			}
			map_put(&cur, old, (void *)1);
			map_put(&by_old, old, (void *)nv);
		}
		map_release(&cur);
	}
	map_release(&by_old);
	map_release(&by_work);
	if (msgs.len) {
		err_setf(e, "%s", msgs.data);
		rc = -1;
	}
	buf_release(&msgs);
	return rc;
}

int load_modules_init(struct load_state *ld, struct err *e)
{
	const char *go111 = cfg_getenv(ld->cfg, "GO111MODULE");
	const char *gowork = cfg_getenv(ld->cfg, "GOWORK");
	const char *modfile = ld->opts.modfile && ld->opts.modfile[0] ? ld->opts.modfile : NULL;
	char *workpath = NULL, *gomod = NULL;
	int rc = -1;

	if (go111 && strcmp(go111, "off") == 0)
		return err_setf(e, "GO111MODULE=off (GOPATH mode) is not supported yet");
	ld->modules_enabled = true;

	if ((gowork && strcmp(gowork, "off") == 0) || ld->opts.no_workfile || ld->opts.enter_modroot) {
		workpath = NULL;
	} else if (gowork && gowork[0] && strcmp(gowork, "auto") != 0) {
		if (!path_is_abs(gowork))
			return err_setf(e, "invalid GOWORK: not an absolute path");
		workpath = xstrdup(gowork);
	} else {
		workpath = mod_find_gowork_goroot(ld->cwd, ld->cfg->tc.goroot);
	}

	if (workpath && modfile) {
		/* modload.Init, before go.work is read */
		err_setf(e, "-modfile cannot be used in workspace mode");
		goto out;
	}
	if (workpath) {
		struct mod_file *wf;
		char *wdir = path_dir(workpath);
		struct buf errs = BUF_INIT;
		struct strvec roots = {0};
		/* LoadWorkFile: read, then each use once, then the godebug lines */
		if (read_gowork(ld, workpath, &wf, e) < 0) {
			free(wdir);
			goto out;
		}
		for (size_t i = 0; i < wf->uses.n; i++) {
			char *d = path_is_abs(wf->uses.v[i].path) ? path_clean(wf->uses.v[i].path)
			                                            : path_join(wdir, wf->uses.v[i].path);
			for (size_t k = 0; k < roots.n; k++) {
				if (strcmp(roots.v[k], d) == 0) {
					err_setf(e, "error loading go.work:\n%s:%d: path %s appears multiple times in workspace",
					         short_path(ld, workpath), wf->uses.v[i].line, d);
					free(d);
					strvec_clear(&roots);
					free(wdir);
					goto out;
				}
			}
			strvec_push(&roots, d);
			free(d);
		}
		if (!check_godebugs(ld, wf, "go.work", workpath, true, &errs)) {
			err_setf(e, "%s", errs.data);
			buf_release(&errs);
			strvec_clear(&roots);
			free(wdir);
			goto out;
		}
		ld->workspace = true;
		/* a go.work that uses no module: no module root (HasModRoot) */
		ld->has_modroot = roots.n > 0;
		ld->gowork = arena_strdup(&ld->arena, workpath);
		ld->work = wf;
		/* loadModFile: every module's problems are collected, then joined */
		for (size_t i = 0; i < roots.n; i++) {
			char *gm = path_join(roots.v[i], "go.mod");
			struct mod_file *f = NULL;
			struct err me = ERR_INIT;
			bool too_new = false;
			const char *tv = NULL, *msg = NULL;
			const char *wv = wf->go ? wf->go : "1.18"; /* gover.DefaultGoWorkVersion */
			if (read_gomod(ld, gm, &f, &too_new, &tv, &me) < 0) {
				/* a work command reports the module's TooNewError itself
				 * (switching toolchains would fix it) */
				if (too_new && ld->opts.work_cmd) {
					too_new = false;
					msg = arena_printf(&ld->arena, "cannot load module %s listed in go.work file: %s",
					                   short_path_err(ld, roots.v[i]), err_msg(&me));
				} else if (!too_new) {
					/* base.ShortPathError: the error's own path, shortened */
					const char *m = err_msg(&me);
					size_t gl = strlen(gm);
					const char *sp = short_path_err(ld, gm);
					if (has_prefix(m, "open ") && strncmp(m + 5, gm, gl) == 0 && m[5 + gl] == ':')
						m = arena_printf(&ld->arena, "open %s%s", sp, m + 5 + gl);
					msg = arena_printf(&ld->arena, "cannot load module %s listed in go.work file: %s",
					                   short_path_err(ld, roots.v[i]), m);
				}
			} else {
				const char *mv = f->go ? f->go : "1.16"; /* gover.DefaultGoModVersion */
				/* work commands like work use, sync and vendor fix or ignore it */
				if (!ld->opts.work_cmd && tc_version_compare(mv, wv) > 0 && tc_version_compare(mv, "1.21") >= 0) {
					too_new = true;
					tv = mv;
				}
			}
			if (too_new) {
				/* errWorkTooOld */
				msg = arena_printf(&ld->arena, "module %s listed in go.work file requires go >= %s, but go.work %s go %s; to update it:\n\tgo work use",
				                   short_path(ld, roots.v[i]), tv, wf->go ? "lists" : "implicitly requires", wv);
			}
			err_clear(&me);
			if (msg) {
				if (errs.len)
					buf_printf(&errs, "\n%s: ", prog_name);
				buf_adds(&errs, msg);
			} else {
				VEC_PUSH(&ld->mains, main_module(ld, roots.v[i], NULL, f));
			}
			free(gm);
		}
		strvec_clear(&roots);
		if (errs.len) {
			err_setf(e, "%s", errs.data);
			buf_release(&errs);
			free(wdir);
			goto out;
		}
		buf_release(&errs);
		if (check_ws_replaces(ld, wf, e) < 0) {
			free(wdir);
			goto out;
		}
		add_replace_dirs(ld, wf, wdir, e);
		for (size_t i = 0; i < ld->mains.n; i++)
			add_replace_dirs(ld, ld->mains.v[i]->file, ld->mains.v[i]->dir, e);
		free(wdir);
	} else {
		gomod = ld->opts.enter_modroot ? path_join(ld->opts.enter_modroot, "go.mod") : mod_find_main_gomod(ld->cwd);
		/* modload.Init: -modfile replaces the go.mod that was found, it
		 * never sets the module root */
		if (!gomod && modfile) {
			err_setf(e, "cannot find main module, but -modfile was set.\n"
			            "\t-modfile cannot be used to set the module root directory.");
			goto out;
		}
		if (modfile && !has_suffix(modfile, ".mod")) {
			err_setf(e, "-modfile=%s: file does not have .mod extension", modfile);
			goto out;
		}
		if (gomod) {
			struct mod_file *f = NULL;
			struct buf errs = BUF_INIT;
			bool too_new;
			const char *tv;
			const char *file = modfile ? modfile : gomod;
			char *root = path_dir(gomod);
			if (read_gomod(ld, file, &f, &too_new, &tv, e) < 0) {
				free(root);
				goto out;
			}
			/* a bad godebug line skips the module path check (continue) */
			if (check_godebugs(ld, f, "go.mod", file, false, &errs)) {
				/* module.CheckImportPath with the error's Kind set to "module" */
				struct err pe = ERR_INIT;
				if (mod_check_import_path(f->module, &pe) < 0) {
					const char *m = err_msg(&pe);
					if (errs.len)
						buf_printf(&errs, "\n%s: ", prog_name);
					if (has_prefix(m, "malformed import path "))
						buf_printf(&errs, "malformed module path %s", m + strlen("malformed import path "));
					else
						buf_adds(&errs, m);
				}
				err_clear(&pe);
			}
			if (errs.len) {
				err_setf(e, "%s", errs.data);
				buf_release(&errs);
				free(root);
				goto out;
			}
			ld->has_modroot = true;
			VEC_PUSH(&ld->mains, main_module(ld, root, modfile, f));
			free(root);
			add_replace_dirs(ld, f, ld->mains.v[0]->dir, e);
		}
	}

	/* makeMainModules: every main module's tool path must be an import
	 * path (module.CheckImportPath, its error's Kind "tool") */
	for (size_t i = 0; i < ld->mains.n; i++) {
		const struct mod_file *f = ld->mains.v[i]->file;
		for (size_t k = 0; f && k < f->tools.n; k++) {
			struct err pe = ERR_INIT;
			if (mod_check_import_path(f->tools.v[k], &pe) < 0) {
				const char *m = err_msg(&pe);
				if (has_prefix(m, "malformed import path "))
					err_setf(e, "malformed tool path %s", m + strlen("malformed import path "));
				else
					err_setf(e, "%s", m);
				err_clear(&pe);
				goto out;
			}
		}
	}

	/* -mod default: vendor when go >= 1.14 and a vendor directory exists. */
	ld->mod_mode = ld->opts.mod_flag && ld->opts.mod_flag[0] ? ld->opts.mod_flag : NULL;
	ld->mod_explicit = ld->mod_mode != NULL && !ld->opts.mod_default;
	if (ld->has_modroot && !ld->mod_mode) {
		const char *base = ld->workspace ? path_dir(ld->gowork) : NULL;
		char *vdir = ld->workspace ? path_join(base, "vendor") : path_join(ld->mains.v[0]->dir, "vendor");
		const char *gov = ld->workspace ? (ld->work->go ? ld->work->go : "") : ld->mains.v[0]->go_version;
		/* setDefaultBuildMod: the reason shows up in import errors */
		const char *src = ld->workspace ? "go.work" : "go.mod";
		bool for_ws = false;
		if (os_is_dir(vdir)) {
			if (!gov[0]) {
				ld->mod_reason = arena_printf(&ld->arena, "Go version in %s is unspecified, so vendor directory was not used.", src);
			} else if (tc_version_compare(gov, "1.14") < 0) {
				ld->mod_reason = arena_printf(&ld->arena, "Go version in %s is %s, so vendor directory was not used.", src, gov);
			} else if (modules_text_is_for_workspace(vdir, &for_ws, e) < 0) {
				free(vdir);
				free((char *)base);
				goto out;
			} else if (for_ws != ld->workspace) {
				/* the vendor directory was made in the other mode */
				ld->mod_reason = for_ws ? "Outside workspace mode, but vendor directory is for a workspace."
				                        : "In workspace mode, but vendor directory is not for a workspace";
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
		rc = read_vendor_list(ld, base, e);
		free(vdir);
		free((char *)base);
		if (rc < 0 || check_vendor_consistency(ld, e) < 0) {
			rc = -1;
			goto out;
		}
		/* loadModFile computes the requirements in vendor mode too
		 * (an excluded one is warned about, and makes go.mod dirty) */
		load_vendor_roots(ld);
		/* In vendor mode only the vendor tree provides dependencies; the
		 * replacements still name directories (pathInModuleCache). */
	} else if (strcmp(ld->mod_mode, "mod") != 0 && strcmp(ld->mod_mode, "readonly") != 0 &&
	           strcmp(ld->mod_mode, "vendor") != 0) {
		err_setf(e, "-mod=%s not supported (can be '', 'mod', 'readonly', or 'vendor')", ld->mod_mode);
		goto out;
	} else if (ld->workspace && ld->mod_explicit && strcmp(ld->mod_mode, "mod") == 0) {
		/* setDefaultBuildMod */
		err_setf(e, "-mod may only be set to readonly or vendor when in workspace mode, but it is set to \"mod\""
		         "\n\tRemove the -mod flag to use the default readonly value, "
		         "\n\tor set GOWORK=off to disable workspace mode.");
		goto out;
	}
	rc = 0;
out:
	free(workpath);
	free(gomod);
	return rc;
}

const char *load_no_main_modules_error(struct load_state *ld)
{
	if (ld->workspace)
		return "no modules were found in the current workspace; see 'go help work'";
	return "go.mod file not found in current directory or any parent directory; see 'go help modules'";
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
	map_init(&ld->dir_ents);
	map_init(&ld->vendor_pkgs);
	map_init(&ld->vendor_ignored);
	map_init(&ld->fixed_versions);
	map_init(&ld->vendor_mods);
	map_init(&ld->finding);
	map_init(&ld->root_literals);
	map_init(&ld->modscan_nogo);
	map_init(&ld->direct);
	map_init(&ld->summaries);
	map_init(&ld->summaries_eff);
	map_init(&ld->dep_mods);
	map_init(&ld->zips_checked);
	map_init(&ld->build_line_memo);
	map_init(&ld->valid_paths);
	ld->cfg = cfg;
	ld->ctx = &cfg->ctx;
	ld->opts = *opts;
	/* the earlier load's answers live as long as this loader */
	if (opts->missing_errs.n) {
		ld->opts.missing_errs.v = arena_alloc(&ld->arena, opts->missing_errs.n * sizeof(char *));
		ld->opts.missing_errs.cap = opts->missing_errs.n;
		for (size_t i = 0; i < opts->missing_errs.n; i++)
			ld->opts.missing_errs.v[i] = (char *)arena_strdup(&ld->arena, opts->missing_errs.v[i]);
	}
	ld->cwd = os_getwd();
	ld->index_enabled = -1;
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
	map_release(&ld->dir_ents);
	map_release(&ld->vendor_pkgs);
	map_release(&ld->vendor_ignored);
	map_release(&ld->fixed_versions);
	map_release(&ld->vendor_mods);
	map_release(&ld->finding);
	map_release(&ld->root_literals);
	map_release(&ld->modscan_nogo);
	map_release(&ld->build_line_memo);
	map_release(&ld->valid_paths);
	VEC_FREE(&ld->mains);
	VEC_FREE(&ld->replace_dirs);
	VEC_FREE(&ld->vendor_all);
	VEC_FREE(&ld->stack);
	load_modgraph_release(ld);
	intern_release(&ld->in);
	arena_release(&ld->arena);
	/* last: package and listing strings may point into the scan index */
	load_scanindex_finish(ld);
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
