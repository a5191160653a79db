/*
 * `gotool mod download [-x] [-json] [modules]` (mirrors
 * cmd/go/internal/modcmd/download.go, go1.26), through the proxy client
 * (modload/proxy.c); cmd/mod.c dispatches to it.
 *
 * The arguments are resolved as listModules does: path@query through
 * modload/query.c; a bare path from the roots (the main go.mod's
 * requirements, or a workspace's modules) when the graph is pruned, else
 * from the module graph (modload/modgraph.c, MVS with pruning), as are
 * "all" and "..." patterns.  Without arguments: the main go.mod's
 * requirements (go >= 1.17, once the graph is loaded), else "all" (a go
 * 1.16 module, a workspace).  -reuse takes the old answers of a file
 * (modload/reuse.c) whose Origin is still current.
 * Downloads: the .mod and .zip files of all the modules are fetched at
 * once (libcurl's multi interface), then each module is handled in order.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/internal.h"
#include "modload/modload.h"

/* modcmd.ModuleJSON */
struct mod_json {
	const char *path, *version, *query; /* borrowed from argv, the go.mod or the arena */
	char *error, *info, *gomod, *zip, *dir, *sum, *gomodsum, *origin; /* heap */
	bool reuse;
};

static void mod_json_release(struct mod_json *m)
{
	free(m->error);
	free(m->info);
	free(m->gomod);
	free(m->zip);
	free(m->dir);
	free(m->sum);
	free(m->gomodsum);
	free(m->origin);
}

static void field(struct buf *b, const char *name, const char *v)
{
	if (!v || !v[0])
		return;
	buf_printf(b, "\t\"%s\": ", name);
	json_quote(b, v, strlen(v));
	buf_adds(b, ",\n");
}

/* print_json writes m as json.MarshalIndent(m, "", "\t") does. */
static void print_json(struct buf *b, const struct mod_json *m)
{
	size_t start = b->len;

	buf_adds(b, "{\n");
	field(b, "Path", m->path);
	field(b, "Version", m->version);
	field(b, "Query", m->query);
	field(b, "Error", m->error);
	field(b, "Info", m->info);
	field(b, "GoMod", m->gomod);
	field(b, "Zip", m->zip);
	field(b, "Dir", m->dir);
	field(b, "Sum", m->sum);
	field(b, "GoModSum", m->gomodsum);
	if (m->origin) {
		/* the Origin object, indented one level deeper */
		buf_adds(b, "\t\"Origin\": ");
		if (strcmp(m->origin, "{}") == 0) {
			buf_adds(b, "{}");
		} else {
			const char *p = m->origin + 1;
			buf_adds(b, "{\n");
			while (*p && *p != '}') {
				/* "Key":"value" pairs with no nesting */
				const char *colon = strstr(p, "\":\"");
				const char *end = colon ? colon + 3 : p;
				while (*end && !(*end == '"' && end[-1] != '\\'))
					end++;
				buf_adds(b, "\t\t");
				buf_add(b, p, (size_t)(colon - p + 1));
				buf_adds(b, ": ");
				buf_add(b, colon + 2, (size_t)(end - colon - 1));
				p = end + 1;
				if (*p == ',') {
					buf_adds(b, ",\n");
					p++;
				} else {
					buf_addch(b, '\n');
				}
			}
			buf_adds(b, "\t}");
		}
		buf_adds(b, ",\n");
	}
	if (m->reuse)
		buf_adds(b, "\t\"Reuse\": true,\n");
	if (b->len > start + 2) {
		/* drop the last field's comma */
		buf_truncate(b, b->len - 2);
		buf_addch(b, '\n');
	} else {
		buf_truncate(b, start);
		buf_adds(b, "{");
	}
	buf_adds(b, "}\n");
}

/* gomod_go is gover.GoModLookup(data, "go"): the first go line's version. */
static char *gomod_go(const char *data)
{
	for (const char *p = data; *p;) {
		size_t n = strcspn(p, "\n");
		struct str line = str_trim_space((struct str){p, n});
		if (str_has_prefix(line, "go") && line.n > 2 && (line.p[2] == ' ' || line.p[2] == '\t')) {
			struct str v = {line.p + 2, line.n - 2};
			const char *c = memmem(v.p, v.n, "//", 2);
			if (c)
				v.n = (size_t)(c - v.p);
			return str_dup(str_trim_space(v));
		}
		p += n;
		if (*p)
			p++;
	}
	return xstrdup("");
}

/* too_new is the check Fetcher.Download makes of an extracted module's
 * go.mod: a go version above the local one is gover.TooNewError. */
static int too_new(const struct cfg *cfg, const struct mod_json *m, const char *dir, struct err *e)
{
	struct buf data = BUF_INIT;
	struct err ignore = ERR_INIT;
	char *gomod = path_join(dir, "go.mod"), *v = NULL;
	int rc = 0;

	if (os_read_file(gomod, &data, 0, &ignore) == 0) {
		v = gomod_go(buf_cstr(&data));
		if (v[0] && tc_version_compare(v, cfg->tc.gover) > 0) {
			char *what = xasprintf("%s@%s", m->path, m->version);
			char *msg = tc_too_new_error(what, v, cfg->tc.gover);
			rc = err_setf(e, "%s", msg);
			free(what);
			free(msg);
		}
	}
	err_clear(&ignore);
	buf_release(&data);
	free(gomod);
	free(v);
	return rc;
}

/* download_module mirrors modcmd.DownloadModule: the results (or the
 * error) land in m. */
static int download_module(const struct cfg *cfg, struct mod_fetch *f, struct mod_json *m, struct err *e)
{
	/* InfoFile of the "go" or "toolchain" module: its Stat answered the
	 * query already; the cache path it would write is modfetch.ErrToolchain */
	if (strcmp(m->path, "go") == 0 || strcmp(m->path, "toolchain") == 0)
		return err_setf(e, "internal error: invalid operation on toolchain module");
	if (mod_fetch_info_file(f, m->path, m->version, &m->info, e) < 0)
		return -1;
	if (mod_fetch_gomod_file(f, m->path, m->version, &m->gomod, &m->gomodsum, e) < 0)
		return -1;
	if (mod_fetch_download_zip(f, m->path, m->version, &m->zip, e) < 0)
		return -1;
	m->sum = mod_fetch_sum(f, m->path, m->version);
	if (mod_fetch_download(f, m->path, m->version, &m->dir, e) < 0)
		return -1;
	if (too_new(cfg, m, m->dir, e) < 0) {
		/* Download returns no directory with the error */
		free(m->dir);
		m->dir = NULL;
		return -1;
	}
	return 0;
}

/* query mirrors listModules' query of path@vers: modload.Query with
 * CheckAllowed (none for a revision query), -1 with e set to
 * modinfoError's text. */
static int query(struct mod_fetch *f, struct mod_query_source *src, struct mod_allow *al, const char *path,
                 const char *vers, const char *current, struct mod_rev_info *info, struct err *e)
{
	unsigned kind = 0;
	mod_query_allowed_fn allowed = mod_is_revision_query(path, vers) ? NULL : mod_check_allowed;

	if (mod_query(src, path, vers, current, allowed, al, info, &kind, e) == 0)
		return 0;
	if (mod_fetch_fatal(f))
		return -1;
	mod_query_error_text(path, vers, kind, e);
	return -1;
}

/* root_selected is Requirements.rootSelected: a main module is a root at
 * "" (a workspace's only roots), else the highest version the main go.mod
 * requires (excluded ones dropped), or NULL. */
static const char *root_selected(struct load_module *const *mains, size_t nmains, const struct mod_file *mf,
                                 const char *path)
{
	const char *v = NULL;

	for (size_t i = 0; i < nmains; i++)
		if (strcmp(mains[i]->path, path) == 0)
			return "";
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

/* fatal_raw is go's base.Fatalf for a text that carries no "go: " prefix
 * (go's log prints none): checkMod's and go.sum's errors. */
static NORETURN void fatal_raw(char *msg)
{
	fflush(stdout);
	fprintf(stderr, "%s\n", msg);
	free(msg);
	base_exit(1);
}

static NORETURN void download_usage(void)
{
	fflush(stdout);
	fprintf(stderr, "usage: %s mod download [-x] [-json] [-reuse=old.json] [modules]\n"
	                "Run '%s help mod download' for details.\n", prog_name, prog_name);
	base_exit(2);
}

static int run_download(int argc, char **argv)
{
	bool json = false, x = false, modcacherw = false;
	char *reuse = NULL, *modfile = NULL;
	struct mod_reuse_set reuse_set = {0};
	struct flag_def defs[] = {
		{"json", FLAG_BOOL, &json, NULL, "", false},
		{"reuse", FLAG_STRING, &reuse, NULL, "", false},
		{"x", FLAG_BOOL, &x, NULL, "", false},
		{"modcacherw", FLAG_BOOL, &modcacherw, NULL, "", false},
		{"modfile", FLAG_STRING, &modfile, NULL, "", false},
	};
	struct cfg cfg;
	struct err e = ERR_INIT;
	struct load_state *ld = NULL;
	struct load_opts opts = {0};
	struct load_module **mains = NULL;
	size_t nmains = 0;
	const struct mod_file *mainfile = NULL;
	bool have_sums = false, explicit_args, has_modroot, ws, pruned, need_full = false, graph_first = false;
	bool f_in_ld = false;
	VEC(bool) from_list = {0}; /* per args entry: a build list module ("all", patterns) */
	char *graph_err = NULL;
	const struct mod_file **excl = NULL; /* a workspace's go.mod files (allow.excl) */
	struct mod_fetch_config fc = {0};
	struct mod_fetch *f = NULL;
	struct mod_query_source qsrc;
	struct mod_allow allow;
	bool allow_live = false;
	VEC(struct mod_json) mods = {0};
	struct strvec args = {0};
	struct buf out = BUF_INIT;
	struct mod_graph *graph = NULL; /* the module graph, once an argument needs it (the loader's) */
	int idx, rc = 1;

	memset(&cfg, 0, sizeof cfg);
	if (cfg_load(&cfg, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		err_clear(&e);
		return 1;
	}
	if (cfg.goflags && cfg.goflags[0] && flag_apply_goflags(defs, countof(defs), cfg.goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		download_usage();
	}
	idx = flag_parse(defs, countof(defs), argc - 1, argv + 1, &e);
	if (idx == FLAG_HELP)
		download_usage();
	if (idx < 0) {
		fprintf(stderr, "%s\n", err_msg(&e));
		download_usage();
	}
	argc -= 1 + idx;
	argv += 1 + idx;
	explicit_args = argc > 0;

	opts.modfile = modfile;
	cfg.modcache_rw = modcacherw;
	/* setDefaultBuildMod: mod download runs with -mod=mod */
	opts.mod_flag = "mod";
	opts.mod_default = true;
	if (load_state_new(&cfg, &opts, &ld, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		goto out;
	}
	has_modroot = load_has_modroot(ld);
	ws = load_workspace_mode(ld);
	if (has_modroot || ws)
		nmains = load_main_modules(ld, &mains);
	if (nmains > 0 && !ws)
		mainfile = mains[0]->file;
	/* rs.pruning: a workspace is never unpruned */
	pruned = ws || (mainfile && mainfile->go && tc_version_compare(mainfile->go, "1.17") >= 0);
	if (explicit_args) {
		for (size_t i = 0; i < nmains; i++) {
			char *up = xasprintf("%s@upgrade", mains[i]->path), *patch = xasprintf("%s@patch", mains[i]->path);
			for (int j = 0; j < argc; j++)
				if (strcmp(argv[j], mains[i]->path) == 0 || strcmp(argv[j], up) == 0 ||
				    strcmp(argv[j], patch) == 0)
					fprintf(stderr, "%s: skipping download of %s that resolves to the main module\n",
					        prog_name, argv[j]);
			free(up);
			free(patch);
		}
		for (int j = 0; j < argc; j++)
			strvec_push(&args, argv[j]);
	} else if (ws) {
		/* TODO(#44435) in go: a workspace downloads "all" */
		strvec_push(&args, "all");
	} else if (mainfile) {
		if (!pruned) {
			if (mainfile->requires.n > 0)
				strvec_push(&args, "all");
		} else {
			/* the roots, once the module graph is loaded (below) */
			graph_first = true;
			for (size_t i = 0; i < mainfile->requires.n; i++)
				strvec_push(&args, mainfile->requires.v[i].mod.path);
		}
	}
	if (args.n == 0) {
		if (has_modroot) {
			fprintf(stderr, "%s: no module dependencies to download\n", prog_name);
			rc = 0;
		} else {
			base_errorf("no modules specified (see '%s help mod download')", prog_name);
		}
		goto out;
	}
	if (reuse && reuse[0] && has_modroot)
		fatal_raw(xasprintf("%s mod download -reuse cannot be used inside a module", prog_name));

	mod_fetch_config_init(&cfg, &fc);
	fc.x = x;
	if (!fc.gomodcache || !fc.gomodcache[0])
		base_fatalf("module cache not found: neither GOMODCACHE nor GOPATH is set");
	if (has_modroot || ws) {
		if (!ws) {
			/* initGoSum: a malformed go.sum stops mod download */
			struct mod_gosum chk = {0};
			int r = mod_gosum_read(&chk, mains[0]->gosum, false, &e);
			mod_gosum_release(&chk);
			if (r < 0) {
				fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
				goto out;
			}
		}
		/* one fetcher over the loader's go.sum (go.work.sum in a
		 * workspace): the module graph's go.mod files are fetched and
		 * their sums recorded as the downloads' are, and written back
		 * as keepSums keeps them */
		f = mod_fetch_new(&fc, load_gosum(ld));
		load_set_fetcher_take(ld, f);
		f_in_ld = true;
		have_sums = true;
	} else {
		f = mod_fetch_new(&fc, NULL);
	}
	load_query_source(ld, f, &qsrc);
	qsrc.main_path = nmains > 0 ? mains[0]->path : NULL;
	if (reuse && reuse[0]) {
		/* ListModules reads the old answers before anything else */
		if (mod_reuse_load(&reuse_set, reuse, &e) < 0)
			base_fatalf("%s", err_msg(&e));
		qsrc.reuse = mod_reuse_lookup;
		qsrc.reuse_ctx = &reuse_set;
	}
	mod_allow_init(&allow, &qsrc, mainfile);
	allow.main_dir = nmains > 0 ? mains[0]->dir : NULL;
	if (ws && nmains > 0) {
		/* CheckExclusions: every workspace module's excludes */
		excl = xcalloc(nmains, sizeof *excl);
		for (size_t i = 0; i < nmains; i++)
			excl[i] = mains[i]->file;
		allow.excl = excl;
		allow.nexcl = nmains;
	}
	allow_live = true;

	/* listModules: which arguments need the full module graph */
	for (size_t i = 0; i < args.n; i++) {
		const char *arg = args.v[i], *at;
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
			if ((strcmp(at + 1, "upgrade") == 0 || strcmp(at + 1, "patch") == 0) &&
			    (!root_selected(mains, nmains, mainfile, path) || !pruned)) {
				need_full = true;
				if (!has_modroot)
					base_fatalf("cannot match \"%s\": %s", arg, load_no_main_modules_error(ld));
			}
			free(path);
			continue;
		}
		if (!root_selected(mains, nmains, mainfile, arg) || !pruned) {
			need_full = true;
			if (!has_modroot)
				base_fatalf("cannot match \"%s\" without -versions or an explicit version: go.mod file "
				            "not found in current directory or any parent directory; see '%s help "
				            "modules'", arg, prog_name);
		}
	}
	if (need_full || graph_first) {
		/* expandGraph (LoadModGraph without arguments): an incomplete
		 * graph is listed and its error reported after the downloads */
		if (load_module_graph(ld, NULL, &graph, &e) < 0) {
			if (graph_first || !graph)
				base_fatalf("%s", err_msg(&e));
			graph_err = err_take(&e);
		} else if (load_expand_graph(ld, &graph, true, &e) < 0) {
			/* roots the graph selects at other versions are
			 * updated, and go.mod with them (commitRequirements) */
			base_fatalf("%s", err_msg(&e));
		}
	}
	/* "all" and patterns: the build list's modules, each once */
	{
		struct strvec na = {0};
		struct map seen;
		map_init(&seen);
		for (size_t i = 0; i < args.n; i++) {
			const char *arg = args.v[i];
			struct mod_version *ms;
			size_t nm;
			if (strcmp(arg, "all") != 0 && !strstr(arg, "...")) {
				strvec_push(&na, arg);
				VEC_PUSH(&from_list, false);
				continue;
			}
			nm = mod_graph_match(graph, arg, &seen, &ms);
			for (size_t k = 0; k < nm; k++) {
				if (!ms[k].version[0])
					continue; /* a main module: nothing to download */
				strvec_push(&na, arena_printf(load_arena(ld), "%s@%s", ms[k].path, ms[k].version));
				VEC_PUSH(&from_list, true);
			}
		}
		map_release(&seen);
		strvec_clear(&args);
		args = na;
	}
	if (!explicit_args && !ws && have_sums) {
		/* WriteGoMod before the downloads: the go.mod sums the module
		 * graph needed, and none after (golang.org/issue/45332) */
		if (load_write_gosum(ld, &e) < 0)
			base_fatalf("%s", err_msg(&e));
	}
	/* exact versions: their .info (the query), .mod and .zip at once */
	{
		struct strvec ps = {0}, vs = {0};
		for (size_t i = 0; i < args.n; i++) {
			const char *at = strchr(args.v[i], '@');
			char *canon = at ? mod_canonical_version(at + 1) : NULL;
			if (at && canon[0] && strcmp(canon, at + 1) == 0) {
				strvec_push_take(&ps, xstrndup(args.v[i], (size_t)(at - args.v[i])));
				strvec_push(&vs, at + 1);
			}
			free(canon);
		}
		mod_fetch_prefetch(f, ps.v, vs.v, ps.n, true);
		strvec_clear(&ps);
		strvec_clear(&vs);
	}
	for (size_t i = 0; i < args.n; i++) {
		const char *arg = args.v[i], *at = strchr(arg, '@');
		struct mod_json m = {0};
		char *path = at ? xstrndup(arg, (size_t)(at - arg)) : xstrdup(arg);
		const char *vers = at ? at + 1 : NULL;
		struct mod_rev_info info = {0};
		bool listed = from_list.v[i]; /* moduleInfo with the requirements */

		m.path = arena_strdup(load_arena(ld), path);
		free(path);
		path = NULL;
		if (listed) {
			m.version = vers;
		} else if (vers) {
			const char *current = NULL;
			if (graph)
				current = mod_graph_selected(graph, m.path);
			else
				current = root_selected(mains, nmains, mainfile, m.path);
			if (!current || strcmp(current, "none") == 0) {
				if (graph_err && (strcmp(vers, "upgrade") == 0 || strcmp(vers, "patch") == 0))
					continue; /* the graph is incomplete: reported below */
				current = "";
			}
			if (!current[0] && (strcmp(vers, "upgrade") == 0 || strcmp(vers, "patch") == 0) &&
			    root_selected(mains, nmains, NULL, m.path))
				continue; /* a main module (any of a workspace's): nothing to download */
			if (query(f, &qsrc, &allow, m.path, vers, current, &info, &e) < 0) {
				if (mod_fetch_fatal(f))
					fatal_raw(err_take(&e));
				m.version = arena_strdup(load_arena(ld), vers);
				m.error = err_take(&e);
				/* a direct fetch's error comes with the Origin it found */
				if (info.origin)
					m.origin = xstrdup(info.origin);
				mod_rev_info_release(&info);
				VEC_PUSH(&mods, m);
				continue;
			}
			if (!info.version[0]) {
				/* the main module (upgrade, patch): nothing to download */
				mod_rev_info_release(&info);
				continue;
			}
			m.version = arena_strdup(load_arena(ld), info.version);
			{
				/* moduleInfo's completeFromModCache: an old answer for
				 * the version, still current, is taken as it was */
				const struct mod_reuse_ent *old = mod_reuse_get(&reuse_set, m.path, info.version);
				struct err re = ERR_INIT;
				if (old && mod_check_reuse(&qsrc, m.path, info.version, old->origin, &re) == 0) {
					m.reuse = true;
					m.version = old->version;
					if (old->error)
						m.error = xstrdup(old->error);
				}
				err_clear(&re);
			}
			if (strcmp(vers, m.version) != 0)
				m.query = arena_strdup(load_arena(ld), vers);
			if (info.origin)
				m.origin = xstrdup(info.origin);
			mod_rev_info_release(&info);
		} else {
			const char *v = NULL;
			bool is_main = false;
			for (size_t k = 0; k < nmains; k++)
				if (strcmp(mains[k]->path, m.path) == 0)
					is_main = true;
			if (is_main)
				continue; /* the main module: nothing to download */
			v = graph ? mod_graph_selected(graph, m.path) : root_selected(mains, nmains, mainfile, m.path);
			if (!v || strcmp(v, "none") == 0) {
				if (graph_err)
					continue;
				m.error = xasprintf("module %s: not a known dependency", m.path);
				VEC_PUSH(&mods, m);
				continue;
			}
			m.version = v;
			listed = true;
		}
		/* info.Replace (only for modules of the requirements, not for
		 * path@version arguments): a module replacement is what gets
		 * downloaded; a directory replacement has nothing to download */
		if (listed) {
			const struct mod_replace *r = load_module_replacement(ld, (struct mod_version){m.path, m.version});
			if (r && !r->new.version[0]) {
				free(m.origin);
				continue;
			}
			if (r) {
				m.path = r->new.path;
				m.version = r->new.version;
				m.query = NULL;
				free(m.origin);
				m.origin = NULL;
			}
		}
		VEC_PUSH(&mods, m);
	}

	/* go downloads the modules in parallel: their .mod and .zip files are
	 * fetched at the same time first, then each is handled in order */
	{
		struct strvec ps = {0}, vs = {0};
		for (size_t i = 0; i < mods.n; i++) {
			if (mods.v[i].error || mods.v[i].reuse)
				continue;
			strvec_push(&ps, mods.v[i].path);
			strvec_push(&vs, mods.v[i].version);
		}
		mod_fetch_prefetch(f, ps.v, vs.v, ps.n, false);
		strvec_clear(&ps);
		strvec_clear(&vs);
	}
	for (size_t i = 0; i < mods.n; i++) {
		struct mod_json *m = &mods.v[i];
		if (m->error || m->reuse)
			continue;
		if (download_module(&cfg, f, m, &e) < 0) {
			if (mod_fetch_fatal(f))
				fatal_raw(err_take(&e));
			m->error = err_take(&e);
		}
	}

	rc = 0;
	if (json) {
		for (size_t i = 0; i < mods.n; i++) {
			print_json(&out, &mods.v[i]);
			if (mods.v[i].error)
				rc = 1;
		}
		if (out.len)
			fwrite(out.data, 1, out.len, stdout);
		fflush(stdout);
	} else {
		for (size_t i = 0; i < mods.n; i++) {
			if (mods.v[i].error) {
				base_errorf("%s", mods.v[i].error);
				rc = 1;
			}
		}
		if (rc)
			goto out;
	}
	/* with explicit arguments, or in a workspace, go saves the new
	 * sums (modload.WriteGoMod: keepSums with addBuildListZipSums) */
	if (explicit_args && load_write_fixed_gomod(ld, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		rc = 1;
	} else if ((explicit_args || ws) && have_sums && load_write_gosum(ld, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		rc = 1;
	}
	/* listModules' error (an incomplete module graph), after the sums
	 * of what was downloaded are saved */
	if (graph_err) {
		base_errorf("%s", graph_err);
		rc = 1;
	}
out:
	for (size_t i = 0; i < mods.n; i++)
		mod_json_release(&mods.v[i]);
	free(mods.v);
	if (allow_live)
		mod_allow_release(&allow);
	if (!f_in_ld)
		mod_fetch_free(f);
	strvec_clear(&args);
	buf_release(&out);
	err_clear(&e);
	load_state_free(ld);
	cfg_release(&cfg);
	free(reuse);
	mod_reuse_release(&reuse_set);
	free(modfile);
	free(graph_err);
	free(excl);
	VEC_FREE(&from_list);
	if (rc == 0 && base_exit_status() != 0)
		rc = base_exit_status();
	return rc;
}

const struct command cmd_mod_download_cmd = {
	"mod download", "download modules to local cache",
	"mod download [-x] [-json] [-reuse=old.json] [-modcacherw] [modules]",
	"Download downloads the named modules (path@query, module paths and\n"
	"patterns of the build list; without arguments, the main module's\n"
	"requirements, or a workspace's \"all\") into the module cache through\n"
	"GOPROXY (or directly from git), verifying them against go.sum and the\n"
	"checksum database as go does. -json prints go's ModuleJSON objects;\n"
	"-reuse takes the answers of an earlier -json run whose Origin is still\n"
	"current. A proxy that sends nothing for GOTOOL_HTTP_TIMEOUT seconds\n"
	"(default 120; go waits forever) fails the request.\n",
	run_download,
};
