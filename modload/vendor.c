/*
 * go mod vendor (mirrors cmd/go/internal/modcmd/vendor.go, go1.26): the
 * packages of "all" as mod_vendor_load finds them are copied into the
 * vendor directory with the metadata files of their parents and the files
 * they embed, and vendor/modules.txt records the modules, their
 * replacements, explicit requirements and go versions.
 *
 * The new tree is built beside the old one and renamed into place at the
 * end, so a failed run leaves the old vendor directory as it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "modload/requirements.h"

/* A module of modules.txt with its packages. */
struct vmod {
	struct mod_version m;
	bool explicit_;
	struct load_strs pkgs;
};

struct vendor {
	struct load_state *ld;
	struct arena *a;
	const struct mod_vendor_opts *o;
	struct mod_reqs *rs;
	const char *tmp;            /* the tree being built */
	const char *gov;            /* MainModules.GoVersion: the main module's or go.work's */
	struct map copied_meta;     /* "modpath\0dst" -> 1 */
	bool failed;                /* a base_errorf was printed: exit 1 */
};

/* ---- files ---------------------------------------------------------------------- */

static mode_t umask_now(void)
{
	mode_t m = umask(0);
	umask(m);
	return m;
}

/* copy_file is copyDir's os.Create + io.Copy: dst gets 0666 less the umask. */
static int copy_file(const char *src, const char *dst, struct err *e)
{
	struct buf data = BUF_INIT;
	int fd, rc = -1;

	if (os_read_file(src, &data, 0, e) < 0)
		return -1;
	fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		err_setf(e, "open %s: %s", dst, os_errstr(errno));
		goto out;
	}
	if (os_write_all(fd, data.data ? data.data : "", data.len) < 0) {
		err_setf(e, "write %s: %s", dst, os_errstr(errno));
		close(fd);
		goto out;
	}
	if (close(fd) < 0) {
		err_setf(e, "close %s: %s", dst, os_errstr(errno));
		goto out;
	}
	rc = 0;
out:
	buf_release(&data);
	return rc;
}

typedef bool (*match_fn)(struct vendor *v, const char *dir, const char *name);

/* match_metadata is matchMetadata: the license-like files of a parent. */
static bool match_metadata(struct vendor *v, const char *dir, const char *name)
{
	static const char *const prefixes[] = {
		"AUTHORS", "CONTRIBUTORS", "COPYLEFT", "COPYING", "COPYRIGHT", "LEGAL", "LICENSE", "NOTICE", "PATENTS",
	};

	(void)v;
	(void)dir;
	for (size_t i = 0; i < countof(prefixes); i++)
		if (has_prefix(name, prefixes[i]))
			return true;
	return false;
}

/* match_source is matchPotentialSourceFile. */
static bool match_source(struct vendor *v, const char *dir, const char *name)
{
	if (has_suffix(name, "_test.go"))
		return false;
	if ((strcmp(name, "go.mod") == 0 || strcmp(name, "go.sum") == 0) && tc_version_compare(v->gov, "1.17") >= 0)
		return false;
	if (has_suffix(name, ".go")) {
		char *file = path_join(dir, name);
		struct buf data = BUF_INIT;
		struct load_gofile gf;
		struct err e = ERR_INIT;
		bool keep = true;
		if (os_read_file(file, &data, 0, &e) < 0)
			base_fatalf("%s", err_msg(&e));
		memset(&gf, 0, sizeof gf);
		load_read_gofile(v->a, file, data.data ? data.data : "", data.len, &gf);
		/* imports.ReadImports without syntax errors: only a read error
		 * (a NUL byte) keeps the file unexamined */
		if (!gf.read_error && !load_should_build_any_tags(v->a, gf.header ? gf.header : "", gf.header_len))
			keep = false;
		load_gofile_release(&gf);
		buf_release(&data);
		free(file);
		return keep;
	}
	return true;
}

/* copy_dir is copyDir: the regular files of src that match, into dst. */
static void copy_dir(struct vendor *v, const char *dst, const char *src, match_fn match, struct map *copied)
{
	struct os_dirents ents = {0};
	struct err e = ERR_INIT;

	if (os_readdir_ents(src, &ents, &e) < 0)
		base_fatalf("%s", err_msg(&e));
	if (os_mkdir_all(dst, 0777, &e) < 0)
		base_fatalf("%s", err_msg(&e));
	for (size_t i = 0; i < ents.n; i++) {
		const char *name = ents.v[i].name;
		char *s, *d;
		if (ents.v[i].type != OS_FT_REG || !match(v, src, name))
			continue;
		map_put(copied, arena_strdup(v->a, name), (void *)1);
		s = path_join(src, name);
		d = path_join(dst, name);
		map_put(copied, arena_strdup(v->a, d), (void *)1);
		if (copy_file(s, d, &e) < 0)
			base_fatalf("%s", err_msg(&e));
		free(s);
		free(d);
	}
	os_dirents_release(&ents);
}

/* copy_metadata is copyMetadata: the metadata files of the parents of src
 * up to the module root, into the parents of dst. */
static void copy_metadata(struct vendor *v, const char *mod_path, const char *pkg, const char *dst,
                          const char *src, struct map *copied)
{
	char *p = xstrdup(pkg), *d = xstrdup(dst), *s = xstrdup(src);

	for (int parent = 0;; parent++) {
		const char *key = arena_printf(v->a, "%s\n%s", mod_path, d);
		char *x;
		if (map_has(&v->copied_meta, key))
			break;
		map_put(&v->copied_meta, key, (void *)1);
		if (parent > 0)
			copy_dir(v, d, s, match_metadata, copied);
		if (strcmp(mod_path, p) == 0)
			break;
		x = path_dir(p);
		free(p);
		p = x;
		x = path_dir(d);
		free(d);
		d = x;
		x = path_dir(s);
		free(s);
		s = x;
	}
	free(p);
	free(d);
	free(s);
}

/* ---- embeds (build.Context.ImportDir with UseAllFiles) ------------------------------- */

static bool cgo_enabled(void)
{
	const char *env = getenv("CGO_ENABLED");
	/* build.Default: "1" or "0", else the host's default (cgo works here) */
	return !(env && strcmp(env, "0") == 0);
}

/* embed_patterns collects the //go:embed patterns ImportDir reports for
 * dir (non-test files; with tests too when the main module's go line is
 * below 1.22).  Returns 1 for a NoGoError (embeds skipped), 0, or calls
 * base_fatalf as go does for other errors. */
static int embed_patterns(struct vendor *v, const char *pkg, const char *dir, struct load_strs *out)
{
	struct os_dirents ents = {0};
	struct err e = ERR_INIT;
	const char *name0 = NULL, *first_err = NULL;
	bool first_err_multi = false, tests = tc_version_compare(v->gov, "1.22") < 0;
	size_t ngo = 0;
	struct map seen;

	if (os_readdir_ents(dir, &ents, &e) < 0)
		base_fatalf("internal error: failed to find embedded files of %s: %s", pkg, err_msg(&e));
	map_init(&seen);
	for (size_t i = 0; i < ents.n; i++) {
		const char *name = ents.v[i].name;
		char *file;
		struct buf data = BUF_INIT;
		struct load_gofile gf;
		const char *pkgname;
		bool is_test, is_xtest = false, is_cgo = false;
		if (ents.v[i].type == OS_FT_DIR || !has_suffix(name, ".go") || name[0] == '_' || name[0] == '.')
			continue;
		file = path_join(dir, name);
		if (os_is_dir(file)) {
			free(file);
			continue;
		}
		if (os_read_file(file, &data, 0, &e) < 0) {
			if (!first_err)
				first_err = arena_strdup(v->a, err_msg(&e));
			err_clear(&e);
			free(file);
			continue;
		}
		memset(&gf, 0, sizeof gf);
		load_read_gofile(v->a, file, data.data ? data.data : "", data.len, &gf);
		free(file);
		buf_release(&data);
		if (gf.read_error) {
			if (!first_err)
				first_err = gf.read_error;
			load_gofile_release(&gf);
			continue;
		}
		if (gf.parse_error && !first_err)
			first_err = gf.parse_error;
		pkgname = gf.pkg_name ? gf.pkg_name : "";
		if (strcmp(pkgname, "documentation") == 0) {
			load_gofile_release(&gf);
			continue;
		}
		is_test = has_suffix(name, "_test.go");
		if (is_test && has_suffix(pkgname, "_test") && !(name0 && strcmp(name0, pkgname) == 0)) {
			is_xtest = true;
			pkgname = arena_strndup(v->a, pkgname, strlen(pkgname) - 5);
		}
		if (!name0) {
			name0 = pkgname;
		} else if (strcmp(pkgname, name0) != 0 && !first_err) {
			first_err = "multiple packages";
			first_err_multi = true;
		}
		for (size_t j = 0; j < gf.imports.n; j++)
			if (strcmp(gf.imports.v[j].path, "C") == 0) {
				if (is_test) {
					if (!first_err)
						first_err = arena_printf(v->a, "use of cgo in test %s/%s not supported", dir, name);
				} else {
					is_cgo = true;
				}
			}
		if (is_cgo && !cgo_enabled()) {
			load_gofile_release(&gf);
			continue; /* IgnoredGoFiles: no embeds */
		}
		ngo++;
		if (!is_test || tests || (is_xtest && tests))
			for (size_t j = 0; j < gf.embeds.n; j++) {
				const char *pat = gf.embeds.v[j].pattern;
				if (!map_has(&seen, pat)) {
					const char *k = arena_strdup(v->a, pat);
					map_put(&seen, k, (void *)k);
					load_strs_push(v->a, out, k);
				}
			}
		load_gofile_release(&gf);
	}
	os_dirents_release(&ents);
	map_release(&seen);
	if (first_err && !first_err_multi)
		base_fatalf("internal error: failed to find embedded files of %s: %s", pkg, first_err);
	if (ngo == 0)
		return 1;
	load_strs_sort(out);
	return 0;
}

/* ---- vendorPkg ------------------------------------------------------------------- */

static void vendor_pkg(struct vendor *v, const char *pkg, const char *src, const char *mod_path)
{
	struct map copied;
	struct load_strs pats = {0}, files = {0};
	const char *dst = arena_printf(v->a, "%s/%s", v->tmp, pkg);
	const char *msg = NULL;
	size_t bad = 0;

	map_init(&copied);
	copy_dir(v, dst, src, match_source, &copied);
	if (*mod_path)
		copy_metadata(v, mod_path, pkg, dst, src, &copied);
	if (embed_patterns(v, pkg, src, &pats) != 0 || pats.n == 0)
		goto out;
	if (!v->o->embed) {
		base_fatalf("internal error: no embed resolver");
	}
	if (v->o->embed(v->o->embed_ctx, v->a, src, pats.v, pats.n, &files, &bad, &msg) < 0) {
		if (v->o->e) {
			fflush(stdout);
			fprintf(stderr, "%s: resolving embeds in %s: %s\n", prog_name, pkg, msg);
		} else {
			base_errorf("resolving embeds in %s: %s", pkg, msg);
			v->failed = true;
		}
		goto out;
	}
	for (size_t i = 0; i < files.n; i++) {
		char *edst = path_join(dst, files.v[i]), *esrc, *edir;
		struct err e = ERR_INIT;
		if (map_has(&copied, edst)) {
			free(edst);
			continue;
		}
		esrc = path_join(src, files.v[i]);
		edir = path_dir(edst);
		if (os_mkdir_all(edir, 0777, &e) < 0 || copy_file(esrc, edst, &e) < 0) {
			if (v->o->e) {
				fflush(stdout);
				fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
			} else {
				base_errorf("%s", err_msg(&e));
				v->failed = true;
			}
			err_clear(&e);
		}
		free(edir);
		free(esrc);
		free(edst);
	}
out:
	map_release(&copied);
}

/* ---- modules.txt ------------------------------------------------------------------- */

/* check_replacement is moduleLine's check of a replacement directory
 * (r NULL: no replacement). */
static void check_replacement(const struct mod_version *r)
{
	char *clean;

	if (!r)
		return;
	clean = path_clean(r->path);
	if (strcmp(clean, "vendor") == 0 || has_prefix(clean, "vendor/"))
		base_fatalf("replacement path %s inside vendor directory", r->path);
	free(clean);
}

/* replacement is modload.Replacement(m): NULL when m is not replaced,
 * else *buf filled in. */
static const struct mod_version *replacement(struct load_state *ld, struct mod_version m, struct mod_version *buf)
{
	return load_module_replacement_canonical(ld, m, buf) ? buf : NULL;
}

/* The tree being built, removed if gotool exits before renaming it. */
static char *cleanup_tmp;
static bool cleanup_registered;

static void remove_tmp(void *arg)
{
	struct err e = ERR_INIT;

	(void)arg;
	if (cleanup_tmp)
		os_remove_all(cleanup_tmp, &e);
	err_clear(&e);
	cleanup_tmp = NULL;
}

/* module_line is moduleLine(m, r) (check_replacement has run). */
static void module_line(struct vendor *v, struct buf *b, struct mod_version m, const struct mod_version *r)
{
	buf_printf(b, "# %s", m.path);
	if (*m.version)
		buf_printf(b, " %s", m.version);
	if (r) {
		buf_printf(b, " => %s", r->path);
		if (r->version && *r->version)
			buf_printf(b, " %s", r->version);
	}
	buf_adds(b, "\n");
	(void)v;
}

/* selected_go is ModuleInfo(path).GoVersion: the go line of the selected
 * version of path ("" without one).  As moduleInfo does, it also asks for
 * the version's .info (Query(path, version), which caches it), or for the
 * replacement's when that has a version; an error there is ModuleInfo's
 * Error field, which mod vendor never reads. */
static const char *selected_go(struct vendor *v, const char *path)
{
	const char *ver = NULL, *gov = "";
	const struct mod_version *reqs, *r;
	struct mod_version rbuf, sel;
	struct mod_rev_info info = {0};
	size_t nreqs;
	bool notexist;
	struct err e = ERR_INIT;

	if (!mod_reqs_root_selected(v->ld, v->rs, path, &ver)) {
		struct mod_graph *mg;
		if (mod_reqs_graph(v->ld, v->rs, &mg, &e) < 0) {
			err_clear(&e);
			return "";
		}
		ver = mod_graph_selected(mg, path);
	}
	if (!ver || strcmp(ver, "none") == 0)
		return "";
	sel = (struct mod_version){path, ver};
	r = replacement(v->ld, sel, &rbuf);
	if (!r)
		r = &sel;
	if (*r->version && mod_fetch_stat(load_fetcher(v->ld), r->path, r->version, &info, &notexist, &e) < 0)
		err_clear(&e);
	mod_rev_info_release(&info);
	if (load_module_summary(v->ld, (struct mod_version){path, ver}, &reqs, &nreqs, NULL, &gov, &e) < 0) {
		err_clear(&e);
		return "";
	}
	return gov ? gov : "";
}

/* adopt moves a heap string into the arena. */
static const char *adopt(struct arena *a, char *s)
{
	const char *r = arena_strdup(a, s);
	free(s);
	return r;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static char *fold_path(const char *s)
{
	char *f = xstrdup(s);
	for (char *p = f; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return f;
}

/* replace_line writes moduleLine(old, now) for a replacement recorded at
 * the end of modules.txt, unless old already has a line. */
static void replace_line(struct vendor *v, struct buf *b, struct map *written, struct mod_version old,
                         const struct mod_version *now)
{
	const char *k = arena_printf(v->a, "%s@%s", old.path, old.version);
	size_t start = b->len;

	if (map_has(written, k))
		return;
	map_put(written, k, (void *)1);
	if (!now)
		return; /* There is no replacement. Don't try to write it. */
	module_line(v, b, old, now);
	if (v->o->v) {
		fflush(stdout);
		fwrite(b->data + start, 1, b->len - start, stderr);
	}
}

/* vendor_run is RunVendor after InitWorkfile: ws is workspace mode (go
 * work vendor), which the caller has checked against go.work's presence. */
static int vendor_run(const struct cfg *cfg, const struct mod_vendor_opts *o, size_t nargs, bool ws)
{
	struct load_opts lo = {0};
	struct load_state *ld = NULL;
	struct err e = ERR_INIT;
	struct mod_vendor_pkgs pkgs = {0};
	struct vendor v;
	VEC(struct vmod) mods = {0};
	struct mod_version *order = NULL;
	struct map idx, written, fold;
	struct buf buf = BUF_INIT;
	struct mod_file *mf;
	struct mod_version rbuf;
	const char *vdir, *parent = NULL;
	char *tmp = NULL;
	bool explicit_ok, go_versions;
	int rc = 1;

	memset(&v, 0, sizeof v);
	map_init(&idx);
	map_init(&written);
	map_init(&fold);
	map_init(&v.copied_meta);
	/* InitWorkfile, then the workspace check, before anything is read */
	if (!ws) {
		const char *gw = cfg_getenv(cfg, "GOWORK");
		char *cwd = os_getwd(), *wp = NULL;
		if (gw && strcmp(gw, "off") == 0) {
			wp = NULL;
		} else if (gw && *gw && strcmp(gw, "auto") != 0) {
			if (!path_is_abs(gw)) {
				free(cwd);
				base_errorf("invalid GOWORK: not an absolute path");
				goto out;
			}
			wp = xstrdup(gw);
		} else {
			wp = mod_find_gowork_goroot(cwd, cfg->tc.goroot);
		}
		free(cwd);
		if (wp) {
			free(wp);
			base_errorf("'go mod vendor' cannot be run in workspace mode. Run 'go work vendor' to vendor the workspace or set 'GOWORK=off' to exit workspace mode.");
			goto out;
		}
	}
	lo.mod_flag = "readonly";
	lo.mod_default = true;
	lo.work_cmd = ws;
	lo.modfile = o->modfile;
	if (load_state_new(cfg, &lo, &ld, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		goto out;
	}
	if (nargs != 0) {
		base_errorf("'go mod vendor' accepts no arguments");
		goto out;
	}
	if (ws != load_workspace_mode(ld)) {
		base_errorf("internal error: workspace mode differs from InitWorkfile's");
		goto out;
	}
	if (!ws && !load_has_modroot(ld)) {
		base_errorf("go.mod file not found in current directory or any parent directory; see 'go help modules'");
		goto out;
	}
	mf = ld->mains.n > 0 ? ld->mains.v[0]->file : NULL;
	v.ld = ld;
	v.a = &ld->arena;
	v.o = o;
	if (ws)
		v.gov = ld->work && ld->work->go ? ld->work->go : "1.18"; /* gover.FromGoWork */
	else
		v.gov = *ld->mains.v[0]->go_version ? ld->mains.v[0]->go_version : "1.16";
	if (mod_vendor_load(ld, o->e, &pkgs, &v.rs) < 0)
		goto out;

	if (o->out && path_is_abs(o->out))
		vdir = adopt(v.a, path_clean(o->out));
	else if (o->out && *o->out)
		vdir = adopt(v.a, path_join(ld->cwd, o->out));
	else if (ws)
		vdir = adopt(v.a, path_join(adopt(v.a, path_dir(ld->gowork)), "vendor"));
	else
		vdir = arena_printf(v.a, "%s/vendor", ld->mains.v[0]->dir);

	/* the packages of each dependency module */
	for (size_t i = 0; i < pkgs.n; i++) {
		const struct mod_vendor_pkg *p = &pkgs.v[i];
		const char *k;
		uintptr_t j;
		if (!*p->mod.path || mod_reqs_is_main(ld, p->mod))
			continue;
		k = arena_printf(v.a, "%s@%s", p->mod.path, p->mod.version);
		j = (uintptr_t)map_get(&idx, k);
		if (!j) {
			struct vmod vm = {p->mod, false, {0}};
			VEC_PUSH(&mods, vm);
			j = mods.n;
			map_put(&idx, k, (void *)j);
		}
		load_strs_push(v.a, &mods.v[j - 1].pkgs, p->path);
	}
	/* checkPathCollisions */
	for (size_t i = 0; i < mods.n; i++) {
		char *f = fold_path(mods.v[i].m.path);
		const char *other = map_get(&fold, f);
		if (!other) {
			map_put(&fold, adopt(v.a, f), (void *)mods.v[i].m.path);
			continue;
		}
		free(f);
		if (strcmp(other, mods.v[i].m.path) != 0) {
			base_errorf("go.mod: case-insensitive import collision: \"%s\" and \"%s\"", mods.v[i].m.path, other);
			goto out;
		}
	}
	/* in a workspace, the requirements of every workspace module */
	explicit_ok = tc_version_compare(v.gov, "1.14") >= 0 && (ws || (mf && mf->go));
	go_versions = tc_version_compare(v.gov, "1.17") >= 0;
	for (size_t n = 0; explicit_ok && n < ld->mains.n; n++) {
		const struct mod_file *f = ld->mains.v[n]->file;
		for (size_t i = 0; f && i < f->requires.n; i++) {
			struct mod_version m = f->requires.v[i].mod;
			const char *k = arena_printf(v.a, "%s@%s", m.path, m.version);
			uintptr_t j = (uintptr_t)map_get(&idx, k);
			if (!j) {
				struct vmod vm = {m, true, {0}};
				VEC_PUSH(&mods, vm);
				map_put(&idx, k, (void *)(uintptr_t)mods.n);
			} else {
				mods.v[j - 1].explicit_ = true;
			}
		}
	}
	/* gover.ModSort over the modules */
	order = xcalloc(mods.n ? mods.n : 1, sizeof *order);
	for (size_t i = 0; i < mods.n; i++)
		order[i] = mods.v[i].m;
	mod_sort_versions(order, mods.n);
	/* moduleLine's check, before anything is written */
	for (size_t i = 0; i < mods.n; i++)
		check_replacement(replacement(ld, order[i], &rbuf));
	for (size_t i = 0; explicit_ok && ws && ld->work && i < ld->work->replaces.n; i++)
		check_replacement(&ld->work->replaces.v[i].new);
	for (size_t n = 0; explicit_ok && n < ld->mains.n; n++)
		for (size_t i = 0; ld->mains.v[n]->file && i < ld->mains.v[n]->file->replaces.n; i++) {
			const struct mod_replace *r = &ld->mains.v[n]->file->replaces.v[i];
			struct mod_version old = {r->old.path, r->old.version ? r->old.version : ""};
			check_replacement(replacement(ld, old, &rbuf));
		}

	parent = adopt(v.a, path_dir(vdir));
	if (os_mkdir_all(parent, 0777, &e) < 0 || os_mkdir_temp(parent, ".vendor-", &tmp, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		goto out;
	}
	chmod(tmp, 0777 & ~umask_now());
	v.tmp = tmp;
	cleanup_tmp = tmp;
	if (!cleanup_registered) {
		base_atexit(remove_tmp, NULL);
		cleanup_registered = true;
	}

	/* MainModules.WorkFile() is nil in a workspace without modules */
	if (ws && ld->mains.n > 0) {
		buf_adds(&buf, "## workspace\n");
		if (o->v) {
			fflush(stdout);
			fputs("## workspace\n", stderr);
		}
	}
	for (size_t i = 0; i < mods.n; i++) {
		const char *k = arena_printf(v.a, "%s@%s", order[i].path, order[i].version);
		struct vmod *vm = &mods.v[(uintptr_t)map_get(&idx, k) - 1];
		const char *gov = go_versions ? selected_go(&v, vm->m.path) : "";
		size_t start = buf.len;
		module_line(&v, &buf, vm->m, replacement(ld, vm->m, &rbuf));
		map_put(&written, k, (void *)1);
		if (vm->explicit_ && *gov)
			buf_printf(&buf, "## explicit; go %s\n", gov);
		else if (vm->explicit_)
			buf_adds(&buf, "## explicit\n");
		else if (*gov)
			buf_printf(&buf, "## go %s\n", gov);
		if (vm->pkgs.n > 1)
			qsort(vm->pkgs.v, vm->pkgs.n, sizeof *vm->pkgs.v, cmp_str);
		if (o->v) {
			fflush(stdout);
			fwrite(buf.data + start, 1, buf.len - start, stderr);
		}
		for (size_t j = 0; j < vm->pkgs.n; j++) {
			const struct mod_vendor_pkg *p = NULL;
			buf_printf(&buf, "%s\n", vm->pkgs.v[j]);
			if (o->v)
				fprintf(stderr, "%s\n", vm->pkgs.v[j]);
			for (size_t q = 0; q < pkgs.n && !p; q++)
				if (strcmp(pkgs.v[q].path, vm->pkgs.v[j]) == 0)
					p = &pkgs.v[q];
			vendor_pkg(&v, p->path, p->dir, p->mod.path);
		}
	}
	/* unused and wildcard replacements: for each main module go.work's
	 * (as written there), then its go.mod's (as they apply) */
	for (size_t n = 0; explicit_ok && n < ld->mains.n; n++) {
		const struct mod_file *f = ld->mains.v[n]->file;
		for (size_t i = 0; ws && ld->work && i < ld->work->replaces.n; i++) {
			const struct mod_replace *r = &ld->work->replaces.v[i];
			struct mod_version old = {r->old.path, r->old.version ? r->old.version : ""};
			replace_line(&v, &buf, &written, old, &r->new);
		}
		for (size_t i = 0; f && i < f->replaces.n; i++) {
			const struct mod_replace *r = &f->replaces.v[i];
			struct mod_version old = {r->old.path, r->old.version ? r->old.version : ""};
			replace_line(&v, &buf, &written, old, replacement(ld, old, &rbuf));
		}
	}

	if (buf.len == 0) {
		if (os_remove_all(vdir, &e) < 0) {
			base_errorf("%s", err_msg(&e));
			goto out;
		}
		fflush(stdout);
		fprintf(stderr, "%s: no dependencies to vendor\n", prog_name);
		rc = 0;
		goto out;
	}
	{
		char *mt = path_join(tmp, "modules.txt");
		int r = os_write_file_atomic(mt, buf.data, buf.len, 0666 & ~umask_now(), &e);
		free(mt);
		if (r < 0) {
			base_errorf("%s", err_msg(&e));
			goto out;
		}
	}
	/* the old tree goes only now */
	if (os_remove_all(vdir, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		goto out;
	}
	if (rename(tmp, vdir) < 0) {
		base_errorf("rename %s %s: %s", tmp, vdir, os_errstr(errno));
		goto out;
	}
	cleanup_tmp = NULL;
	free(tmp);
	tmp = NULL;
	rc = v.failed ? 1 : 0;
out:
	if (tmp) {
		remove_tmp(NULL);
		free(tmp);
	}
	VEC_FREE(&mods);
	free(order);
	VEC_FREE(&pkgs);
	buf_release(&buf);
	map_release(&idx);
	map_release(&written);
	map_release(&fold);
	map_release(&v.copied_meta);
	err_clear(&e);
	load_state_free(ld);
	return rc ? rc : base_exit_status();
}

int mod_vendor(const struct cfg *cfg, const struct mod_vendor_opts *o, size_t nargs)
{
	return vendor_run(cfg, o, nargs, false);
}

int mod_work_vendor(const struct cfg *cfg, const struct mod_vendor_opts *o, size_t nargs)
{
	return vendor_run(cfg, o, nargs, true);
}
