/*
 * gotool list -m with arguments: module queries (path@query), patterns of
 * module paths, and the -u / -versions / -retracted modes.
 *
 * mirrors cmd/go/internal/modload/list.go (ListModules, listModules,
 * modinfoError), build.go (addUpdate, addVersions, addRetraction,
 * addDeprecation, moduleInfo's completeFromModCache) and
 * modfile.go's CheckDeprecation (go1.26).  The queries are
 * modload/query.c's; the proxies modload/proxy.c's.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/internal.h"
#include "modload/modload.h"

/* The state of one list -m run that asks the network. */
struct lm {
	struct load_state *ld;
	struct arena *a;
	const struct cfg *cfg;
	const struct mod_file *mainfile;  /* the main go.mod, or NULL */
	const char *main_path, *main_dir;
	const char *main_gosum;           /* the main module's go.sum, or NULL */
	const struct mod_file **excl;     /* a workspace's other go.mod files (arena) */
	size_t nexcl;
	struct mod_fetch_config fc;
	struct mod_gosum sums;
	bool have_sums;
	struct mod_fetch *f;              /* NULL until first needed */
	struct mod_query_source src;
	struct mod_allow allow;
};

static void lm_fetcher(struct lm *l)
{
	struct err e = ERR_INIT;

	if (l->f)
		return;
	mod_fetch_config_init(l->cfg, &l->fc);
	if (!l->fc.gomodcache || !l->fc.gomodcache[0])
		base_fatalf("module cache not found: neither GOMODCACHE nor GOPATH is set");
	if (l->main_gosum) {
		if (mod_gosum_read(&l->sums, l->main_gosum, false, &e) == 0)
			l->have_sums = true;
		err_clear(&e);
	}
	l->f = mod_fetch_new(&l->fc, l->have_sums ? &l->sums : NULL);
	load_query_source(l->ld, l->f, &l->src);
	l->src.main_path = l->main_path;
	mod_allow_init(&l->allow, &l->src, l->mainfile);
	l->allow.excl = l->excl;
	l->allow.nexcl = l->nexcl;
	l->allow.main_dir = l->main_dir;
}

static void lm_release(struct lm *l)
{
	if (!l->f)
		return;
	mod_allow_release(&l->allow);
	mod_fetch_free(l->f);
	if (l->have_sums)
		mod_gosum_release(&l->sums);
}

/* fatal_if: a Fatalf-class fetch error (go.sum mismatch...) ends the run. */
static void fatal_if(struct lm *l, struct err *e)
{
	if (l->f && mod_fetch_fatal(l->f)) {
		fflush(stdout);
		fprintf(stderr, "%s\n", err_msg(e));
		base_exit(1);
	}
}

static struct load_strs *strs_of(struct arena *a, const struct strvec *sv)
{
	struct load_strs *s = arena_new(a, struct load_strs);
	for (size_t i = 0; i < sv->n; i++)
		load_strs_push(a, s, arena_strdup(a, sv->v[i]));
	return s;
}

/* query_module is moduleInfo(rs = nil, path@version) after a query:
 * completeFromModCache's fields. */
static struct load_module *query_module(struct lm *l, const char *path, const struct mod_rev_info *info)
{
	struct load_module *m = arena_new(l->a, struct load_module);
	struct buf data = BUF_INIT;
	struct err e = ERR_INIT;
	char *file = NULL, *dir = NULL, *gms = NULL;
	const char *s;
	struct stat st;
	bool ne;

	m->path = arena_strdup(l->a, path);
	m->version = arena_strdup(l->a, info->version);
	m->dir = m->gomod = m->go_version = "";
	/* completeFromModCache leaves the "go" and "toolchain" modules alone */
	if (strcmp(path, "go") == 0 || strcmp(path, "toolchain") == 0)
		return m;
	m->time = info->time && info->time[0] ? arena_strdup(l->a, info->time) : NULL;
	if (l->src.gomod(l->src.ctx, path, info->version, &data, &ne, &e) == 0) {
		struct arena ta;
		struct mod_file *mf = NULL;
		arena_init(&ta);
		if (mod_file_parse(&ta, "go.mod", buf_cstr(&data), data.len, false, &mf, &e) == 0 && mf->go)
			m->go_version = arena_strdup(l->a, mf->go);
		arena_release(&ta);
	} else {
		fatal_if(l, &e);
	}
	err_clear(&e);
	if (mod_cache_path(l->fc.gomodcache, path, info->version, "mod", &file, &e) == 0 && stat(file, &st) == 0 &&
	    S_ISREG(st.st_mode))
		m->gomod = arena_strdup(l->a, file);
	err_clear(&e);
	gms = xasprintf("%s/go.mod", info->version);
	if (l->have_sums && (s = mod_gosum_recorded(&l->sums, path, gms)))
		m->gomod_sum = arena_strdup(l->a, s);
	if (mod_cache_download_dir(l->fc.gomodcache, path, info->version, &dir, &e) == 0)
		m->dir = arena_strdup(l->a, dir);
	err_clear(&e);
	if (l->have_sums && (s = mod_gosum_recorded(&l->sums, path, info->version)))
		m->sum = arena_strdup(l->a, s);
	free(gms);
	free(dir);
	free(file);
	buf_release(&data);
	return m;
}

/* add_update is addUpdate. */
static void add_update(struct lm *l, struct load_module *m)
{
	struct mod_rev_info info = {0};
	struct err e = ERR_INIT;
	unsigned kind = 0;

	if (!m->version || !m->version[0])
		return;
	if (mod_query(&l->src, m->path, "upgrade", m->version, mod_check_allowed, &l->allow, &info, &kind, &e) < 0) {
		fatal_if(l, &e);
		if (!(kind & (MOD_QERR_NOMATCH | MOD_QERR_NOTEXIST | MOD_QERR_DISALLOWED)) && !m->error)
			m->error = arena_strdup(l->a, err_msg(&e));
		goto out;
	}
	if (mod_compare_version(m->path, info.version, m->version) > 0) {
		struct load_module *u = arena_new(l->a, struct load_module);
		u->path = m->path;
		u->version = arena_strdup(l->a, info.version);
		u->time = info.time && info.time[0] ? arena_strdup(l->a, info.time) : NULL;
		u->dir = u->gomod = u->go_version = "";
		m->update = u;
	}
out:
	err_clear(&e);
	mod_rev_info_release(&info);
}

/* add_versions is addVersions. */
static void add_versions(struct lm *l, struct load_module *m, bool list_retracted)
{
	struct strvec vs = {0};
	struct err e = ERR_INIT;

	if (mod_query_versions(&l->src, m->path, list_retracted ? mod_check_exclusions : mod_check_allowed, &l->allow,
	                       &vs, &e) < 0) {
		fatal_if(l, &e);
		if (!m->error)
			m->error = arena_strdup(l->a, err_msg(&e));
	}
	m->versions = strs_of(l->a, &vs);
	strvec_clear(&vs);
	err_clear(&e);
}

/* add_retraction is addRetraction. */
static void add_retraction(struct lm *l, struct load_module *m)
{
	struct strvec why = {0};
	struct err e = ERR_INIT;
	unsigned kind = 0;

	if (!m->version || !m->version[0])
		return;
	if (mod_check_retractions(&l->allow, m->path, m->version, &why, &kind, &e) < 0) {
		fatal_if(l, &e);
		if (kind & MOD_QERR_RETRACTED) {
			if (why.n == 0)
				strvec_push(&why, "retracted by module author");
			m->retracted = strs_of(l->a, &why);
		} else if (!(kind & (MOD_QERR_NOMATCH | MOD_QERR_NOTEXIST)) && !m->error) {
			m->error = arena_strdup(l->a, err_msg(&e));
		}
	}
	strvec_clear(&why);
	err_clear(&e);
}

/* add_deprecation is addDeprecation. */
static void add_deprecation(struct lm *l, struct load_module *m)
{
	const char *dep = NULL;
	struct err e = ERR_INIT;
	unsigned kind = 0;

	if (mod_check_deprecation(&l->allow, m->path, m->version ? m->version : "", &dep, &kind, &e) < 0) {
		fatal_if(l, &e);
		if (!(kind & (MOD_QERR_NOMATCH | MOD_QERR_NOTEXIST)) && !m->error)
			m->error = arena_strdup(l->a, err_msg(&e));
	} else if (dep) {
		m->deprecated = arena_strdup(l->a, dep);
	}
	err_clear(&e);
}

static void add_modes(struct lm *l, struct load_module *m, unsigned mode)
{
	if (mode & CMD_LIST_U)
		add_update(l, m);
	if (mode & CMD_LIST_VERSIONS)
		add_versions(l, m, (mode & CMD_LIST_RETRACTED_VERSIONS) != 0);
	if (mode & CMD_LIST_RETRACTED)
		add_retraction(l, m);
	if (mode & CMD_LIST_DEPRECATED)
		add_deprecation(l, m);
}

/* root_selected is Requirements.rootSelected for a single main module. */
static const char *root_selected(const struct mod_file *mf, const char *path)
{
	const char *v = NULL;
	for (size_t i = 0; mf && i < mf->requires.n; i++) {
		const struct mod_version *r = &mf->requires.v[i].mod;
		bool excluded = false;
		if (strcmp(r->path, path) != 0)
			continue;
		for (size_t k = 0; k < mf->excludes.n; k++)
			if (strcmp(mf->excludes.v[k].path, path) == 0 && strcmp(mf->excludes.v[k].version, r->version) == 0)
				excluded = true;
		if (!excluded && (!v || mod_semver_compare(r->version, v) > 0))
			v = r->version;
	}
	return v;
}

/* list_vendor is listModules in vendor mode: the main modules, the modules
 * vendor/modules.txt lists, an error for any other path, and queries
 * refused (queryDisabledError). */
static void list_vendor(struct lm *l, struct load_state *ld, struct load_module **mains, size_t nmains, int argc,
                        char **argv, struct cmd_mod_list *mods)
{
	const char *reason = NULL;

	load_mod_mode(ld, &reason);
	if (argc == 0)
		for (size_t k = 0; k < nmains; k++)
			VEC_PUSH(mods, mains[k]);
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *at = strchr(arg, '@');
		struct load_module *m = NULL;
		if (at) {
			char *path = xstrndup(arg, (size_t)(at - arg));
			struct err e = ERR_INIT;
			if (reason)
				err_setf(&e, "cannot query module due to -mod=vendor\n\t(%s)", reason);
			else
				err_setf(&e, "cannot query module due to -mod=vendor");
			mod_query_error_text(path, at + 1, 0, &e);
			m = arena_new(l->a, struct load_module);
			m->path = arena_strdup(l->a, path);
			m->version = arena_strdup(l->a, at + 1);
			m->dir = m->gomod = m->go_version = "";
			m->error = arena_strdup(l->a, err_msg(&e));
			VEC_PUSH(mods, m);
			err_clear(&e);
			free(path);
			continue;
		}
		for (size_t k = 0; k < nmains; k++)
			if (strcmp(arg, mains[k]->path) == 0)
				m = mains[k];
		if (!m)
			m = load_vendor_selected(ld, arg);
		if (!m) {
			m = arena_new(l->a, struct load_module);
			m->path = arena_strdup(l->a, arg);
			m->version = m->dir = m->gomod = m->go_version = "";
			m->error = arena_printf(l->a, "module %s: can't resolve module using the vendor directory\n\t"
			                              "(Use -mod=mod or -mod=readonly to bypass.)", arg);
		}
		VEC_PUSH(mods, m);
	}
}

int cmd_list_modules(struct load_state *ld, const struct cfg *cfg, int argc, char **argv, unsigned mode,
                     struct cmd_mod_list *mods, const char **graph_err)
{
	struct load_module **mains = NULL;
	size_t nmains = 0;
	struct lm l;
	struct mod_graph *g = NULL;
	bool has_modroot = load_has_modroot(ld), pruned, need_full = false;
	struct map seen;
	int rc = -1;

	memset(&l, 0, sizeof l);
	l.ld = ld;
	l.a = load_arena(ld);
	l.cfg = cfg;
	if (has_modroot) {
		nmains = load_main_modules(ld, &mains);
		if (nmains > 0) {
			l.mainfile = mains[0]->file;
			l.main_path = mains[0]->path;
			l.main_dir = mains[0]->dir;
			l.main_gosum = mains[0]->gosum;
		}
	}
	if (load_workspace_mode(ld) && nmains > 1) {
		/* CheckExclusions: the other workspace modules' excludes too */
		l.excl = arena_alloc(l.a, (nmains - 1) * sizeof *l.excl);
		for (size_t k = 1; k < nmains; k++)
			l.excl[k - 1] = mains[k]->file;
		l.nexcl = nmains - 1;
	}
	/* in workspace mode the roots are the workspace modules: every other
	 * module is looked up in the full graph */
	pruned = !load_workspace_mode(ld) && l.mainfile && l.mainfile->go &&
	         tc_version_compare(l.mainfile->go, "1.17") >= 0;
	map_init(&seen);
	if (has_modroot && strcmp(load_mod_mode(ld, NULL), "vendor") == 0) {
		/* list.go: vendor mode's module graph holds only what
		 * vendor/modules.txt lists; what needs more is refused */
		static const char vfmt[] = "can't %s using the vendor directory\n\t(Use -mod=mod or -mod=readonly to bypass.)";
		if (mode & CMD_LIST_VERSIONS)
			base_fatalf(vfmt, "determine available versions");
		if (mode & CMD_LIST_U)
			base_fatalf(vfmt, "determine available upgrades");
		for (int i = 0; i < argc; i++) {
			if (strcmp(argv[i], "all") == 0)
				base_fatalf(vfmt, "compute 'all'");
			if (strstr(argv[i], "..."))
				base_fatalf(vfmt, "match module patterns");
		}
		list_vendor(&l, ld, mains, nmains, argc, argv, mods);
		goto modes;
	}
	if (argc == 0) {
		for (size_t k = 0; k < nmains; k++)
			VEC_PUSH(mods, mains[k]);
		goto modes;
	}
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *at;
		if (strchr(arg, '\\'))
			base_fatalf("module paths never use backslash");
		if (strcmp(arg, ".") == 0 || strcmp(arg, "..") == 0 || has_prefix(arg, "./") || has_prefix(arg, "../"))
			base_fatalf("cannot use relative path %s to specify module", arg);
		if (strcmp(arg, "all") == 0 || strstr(arg, "...")) {
			need_full = true;
			if (!has_modroot)
				base_fatalf("cannot match \"%s\": %s", arg, load_no_main_modules_error(ld));
			continue;
		}
		at = strchr(arg, '@');
		if (at) {
			char *path = xstrndup(arg, (size_t)(at - arg));
			if (at[1] == '-' || at[1] == '/')
				base_fatalf("invalid module version \"%s\"", at + 1);
			if (strcmp(at + 1, "upgrade") == 0 || strcmp(at + 1, "patch") == 0) {
				if (!root_selected(l.mainfile, path) || !pruned) {
					need_full = true;
					if (!has_modroot)
						base_fatalf("cannot match \"%s\": %s", arg, load_no_main_modules_error(ld));
				}
			}
			free(path);
			continue;
		}
		{
			bool is_main = false;
			for (size_t k = 0; k < nmains; k++)
				if (strcmp(arg, mains[k]->path) == 0)
					is_main = true;
			if (is_main && pruned)
				continue;
		}
		if (!root_selected(l.mainfile, arg) || !pruned) {
			need_full = true;
			if (!(mode & CMD_LIST_VERSIONS) && !has_modroot)
				base_fatalf("cannot match \"%s\" without -versions or an explicit version: %s", arg,
				            load_no_main_modules_error(ld));
		}
	}
	if (need_full && has_modroot) {
		struct err e = ERR_INIT;
		if (load_module_graph(ld, NULL, &g, &e) < 0)
			*graph_err = arena_strdup(l.a, err_msg(&e));
		/* expandGraph; commitRequirements writes the updated roots
		 * (-mod=mod, not with -u) */
		else if (load_expand_graph(ld, &g, !(mode & CMD_LIST_U), &e) < 0)
			*graph_err = arena_strdup(l.a, err_msg(&e));
		err_clear(&e);
		if (!g)
			goto out;
	}
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *at = strchr(arg, '@');
		if (at && strcmp(arg, "all") != 0 && !strstr(arg, "...")) {
			char *path = xstrndup(arg, (size_t)(at - arg));
			const char *vers = at + 1, *current;
			struct mod_rev_info info = {0};
			struct err e = ERR_INIT;
			unsigned kind = 0;
			bool rev;
			if (g)
				current = mod_graph_selected(g, path);
			else
				current = root_selected(l.mainfile, path) ? root_selected(l.mainfile, path) : "none";
			if (strcmp(current, "none") == 0 && *graph_err &&
			    (strcmp(vers, "upgrade") == 0 || strcmp(vers, "patch") == 0)) {
				free(path);
				continue;
			}
			for (size_t k = 0; k < nmains; k++)
				if (strcmp(path, mains[k]->path) == 0)
					current = "";
			lm_fetcher(&l);
			rev = mod_is_revision_query(path, vers) || (mode & CMD_LIST_RETRACTED);
			if (mod_query(&l.src, path, vers, current, rev ? NULL : mod_check_allowed, &l.allow, &info, &kind,
			              &e) < 0) {
				struct load_module *m = arena_new(l.a, struct load_module);
				fatal_if(&l, &e);
				mod_query_error_text(path, vers, kind, &e);
				m->path = arena_strdup(l.a, path);
				m->version = arena_strdup(l.a, vers);
				m->dir = m->gomod = m->go_version = "";
				m->error = arena_strdup(l.a, err_msg(&e));
				VEC_PUSH(mods, m);
			} else if (!info.version[0]) {
				/* the main module (upgrade, patch) */
				for (size_t k = 0; k < nmains; k++)
					if (strcmp(path, mains[k]->path) == 0)
						VEC_PUSH(mods, mains[k]);
			} else {
				struct load_module *m = query_module(&l, path, &info);
				if (strcmp(vers, m->version) != 0)
					m->query = arena_strdup(l.a, vers);
				if (mode & CMD_LIST_RETRACTED)
					add_retraction(&l, m);
				VEC_PUSH(mods, m);
			}
			err_clear(&e);
			mod_rev_info_release(&info);
			free(path);
			continue;
		}
		if (strcmp(arg, "all") == 0 || strstr(arg, "...")) {
			struct mod_version *ms;
			size_t nm = mod_graph_match(g, arg, &seen, &ms);
			for (size_t k = 0; k < nm; k++) {
				struct load_module *m = NULL;
				for (size_t j = 0; j < nmains; j++)
					if (!*ms[k].version && strcmp(ms[k].path, mains[j]->path) == 0)
						m = mains[j];
				VEC_PUSH(mods, m ? m : load_dep_module(ld, ms[k].path, ms[k].version));
			}
			continue;
		}
		{
			const char *v = NULL;
			struct load_module *m = NULL;
			for (size_t k = 0; k < nmains; k++)
				if (strcmp(arg, mains[k]->path) == 0)
					m = mains[k];
			if (m) {
				VEC_PUSH(mods, m);
				continue;
			}
			v = g ? mod_graph_selected(g, arg) : root_selected(l.mainfile, arg);
			if (!v)
				v = "none";
			if (strcmp(v, "none") == 0 && *graph_err)
				continue;
			if (strcmp(v, "none") != 0) {
				m = load_dep_module(ld, arg, v);
				if (!g) {
					/* the graph was not loaded: rs.direct from the go.mod's comments */
					m->indirect = false;
					for (size_t k = 0; l.mainfile && k < l.mainfile->requires.n; k++)
						if (strcmp(l.mainfile->requires.v[k].mod.path, arg) == 0 &&
						    l.mainfile->requires.v[k].indirect)
							m->indirect = true;
				}
				VEC_PUSH(mods, m);
			} else {
				m = arena_new(l.a, struct load_module);
				m->path = arena_strdup(l.a, arg);
				m->version = m->dir = m->gomod = m->go_version = "";
				if (!(mode & CMD_LIST_VERSIONS))
					m->error = arena_printf(l.a, "module %s: not a known dependency", arg);
				VEC_PUSH(mods, m);
			}
		}
	}
modes:
	if (mode) {
		lm_fetcher(&l);
		for (size_t k = 0; k < mods->n; k++) {
			add_modes(&l, mods->v[k], mode);
			if (mods->v[k]->replace)
				add_modes(&l, mods->v[k]->replace, mode);
		}
	}
	rc = 0;
out:
	map_release(&seen);
	lm_release(&l);
	return rc;
}
