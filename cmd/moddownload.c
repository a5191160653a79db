/*
 * `gotool mod download [-x] [-json] [modules]` (mirrors
 * cmd/go/internal/modcmd/download.go, go1.26), through the proxy client
 * (modload/proxy.c); cmd/mod.c dispatches to it.
 *
 * What is resolved, and what is refused: without the module graph (MVS is
 * not built yet), modules are named by
 *   - path@version with a full semantic version or a revision the proxy
 *     resolves (go's canStat and revision queries: one .info request);
 *   - a bare module path the main go.mod requires (go 1.17 and later:
 *     a pruned graph's root);
 *   - nothing: the main go.mod's requirements (go >= 1.17, as go does).
 *   - path@latest (the version list, excludes, retractions, @latest);
 * Other queries (upgrade, patch, v1.2, <v2...), "all", patterns,
 * workspace mode, -reuse, and modules whose go.mod needs a go 1.16 graph
 * are refused with a "not supported yet" error rather than answered wrongly.
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

/* find_replace mirrors Replacement: a version-specific replace first, then
 * a version-less one; NULL when path@version is not replaced. */
static const struct mod_replace *find_replace(const struct mod_file *mf, const char *path, const char *version)
{
	const struct mod_replace *any = NULL;
	if (!mf)
		return NULL;
	for (size_t i = 0; i < mf->replaces.n; i++) {
		const struct mod_replace *r = &mf->replaces.v[i];
		if (strcmp(r->old.path, path) != 0)
			continue;
		if (r->old.version[0] && strcmp(r->old.version, version) == 0)
			return r;
		if (!r->old.version[0])
			any = r;
	}
	return any;
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

/* The sums go.sum keeps (keepSums, for a pruned graph whose roots are the
 * main go.mod's requirements): each requirement's go.mod sum and, when
 * zips is set (addBuildListZipSums), its zip sum. */
struct keep_ctx {
	const struct mod_file *mf;
	bool zips;
	/* mod download all: keepSums over the module graph, with
	 * addBuildListZipSums (NULL otherwise) */
	struct mod_graph *g;
};

static bool keep_sum(void *ctx, const char *path, const char *version)
{
	const struct keep_ctx *k = ctx;
	size_t vn = strlen(version);
	bool gomod = has_suffix(version, "/go.mod");

	if (gomod)
		vn -= strlen("/go.mod");
	else if (!k->zips)
		return false;
	if (k->g) {
		char *v = xstrndup(version, vn);
		const struct mod_version *reqs;
		size_t nreqs;
		bool keep = strcmp(mod_graph_selected(k->g, path), v) == 0 ||
		            (gomod && mod_graph_required_by(k->g, (struct mod_version){path, v}, &reqs, &nreqs));
		free(v);
		if (keep)
			return true;
	}
	for (size_t i = 0; k->mf && i < k->mf->requires.n; i++) {
		const struct mod_version *r = &k->mf->requires.v[i].mod;
		if (strcmp(r->path, path) == 0 && strlen(r->version) == vn && strncmp(r->version, version, vn) == 0)
			return true;
	}
	return false;
}

/* write_go_sum is WriteGoSum: when a kept sum is new, the side lock
 * ($GOMODCACHE/cache/lock, excluding older go commands) is taken and go.sum
 * rewritten. */
static int write_go_sum(struct mod_gosum *s, const char *gomodcache, struct keep_ctx *k, struct err *e)
{
	char *lockfile = NULL, *dir = NULL;
	bool dirty = false;
	int fd = -1, rc;

	for (size_t i = 0; i < s->v.n && !dirty; i++) {
		const struct mod_gosum_entry *x = &s->v.v[i];
		dirty = x->dirty && (!x->used || keep_sum(k, x->path, x->version));
	}
	if (!dirty)
		return 0;
	dir = path_join(gomodcache, "cache");
	lockfile = path_join(dir, "lock");
	if (os_mkdir_all(dir, 0777, e) == 0)
		fd = os_flock_open(lockfile, e);
	err_clear(e); /* a best-effort lock */
	rc = mod_gosum_write(s, keep_sum, k, e);
	os_flock_close(fd);
	free(lockfile);
	free(dir);
	return rc;
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
	struct mod_gosum sums = {0};
	bool have_sums = false, explicit_args, has_modroot;
	struct mod_fetch_config fc = {0};
	struct mod_fetch *f = NULL;
	struct mod_query_source qsrc;
	struct mod_allow allow;
	bool allow_live = false;
	VEC(struct mod_json) mods = {0};
	struct strvec args = {0};
	struct buf out = BUF_INIT;
	const char *stall;
	struct mod_graph *graph = NULL; /* "all": the module graph (the loader's) */
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
	if (load_state_new(&cfg, &opts, &ld, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		goto out;
	}
	has_modroot = load_has_modroot(ld);
	if (has_modroot || load_workspace_mode(ld))
		nmains = load_main_modules(ld, &mains);
	if (load_workspace_mode(ld)) {
		base_errorf("mod download in workspace mode (go.work) is not supported yet");
		goto out;
	}
	if (nmains > 0)
		mainfile = mains[0]->file;
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
	} else if (mainfile) {
		if (!mainfile->go || tc_version_compare(mainfile->go, "1.17") < 0) {
			if (mainfile->requires.n > 0) {
				base_errorf("mod download without arguments in a go %s module needs the full module graph "
				            "(\"all\"): not supported yet", mainfile->go ? mainfile->go : "1.16");
				goto out;
			}
		} else {
			/* go also loads the module graph here (every root's go.mod) */
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
	if (reuse && reuse[0]) {
		if (has_modroot)
			fatal_raw(xasprintf("%s mod download -reuse cannot be used inside a module", prog_name));
		base_errorf("mod download -reuse is not supported yet");
		goto out;
	}

	fc.gomodcache = cfg.gomodcache;
	fc.gopath = cfg.gopath;
	fc.goproxy = cfg_env_or(&cfg, "GOPROXY", "", NULL);
	fc.gonoproxy = cfg_env_or(&cfg, "GONOPROXY", cfg_env_or(&cfg, "GOPRIVATE", "", NULL), NULL);
	fc.goinsecure = cfg_env_or(&cfg, "GOINSECURE", "", NULL);
	fc.gosumdb = cfg_env_or(&cfg, "GOSUMDB", "", NULL);
	fc.gonosumdb = mod_sumdb_nosumdb(&cfg);
	fc.git_agent = getenv("GIT_HTTP_USER_AGENT");
	fc.modcache_rw = modcacherw;
	fc.x = x;
	stall = getenv("GOTOOL_HTTP_TIMEOUT");
	if (stall && stall[0]) {
		int64_t v;
		const char *why;
		if (flag_parse_int64(stall, &v, &why) == 0 && v > 0)
			fc.http_stall = (long)v;
	}
	if (!fc.gomodcache || !fc.gomodcache[0])
		base_fatalf("module cache not found: neither GOMODCACHE nor GOPATH is set");
	if (has_modroot && mains[0]->gomod) {
		const char *gomod = mains[0]->gomod;
		char *sumfile = has_suffix(gomod, ".mod") ? xasprintf("%.*s.sum", (int)(strlen(gomod) - 4), gomod)
		                                          : xasprintf("%s.sum", gomod);
		if (mod_gosum_read(&sums, sumfile, false, &e) < 0) {
			free(sumfile);
			fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
			goto out;
		}
		free(sumfile);
		have_sums = true;
	}
	f = mod_fetch_new(&fc, have_sums ? &sums : NULL);
	mod_fetch_query_source(f, &qsrc);
	qsrc.main_path = nmains > 0 ? mains[0]->path : NULL;
	mod_allow_init(&allow, &qsrc, mainfile);
	allow.main_dir = nmains > 0 ? mains[0]->dir : NULL;
	allow_live = true;
	if (!explicit_args && mainfile) {
		/* LoadModGraph: every root's go.mod is loaded (and checked), and
		 * WriteGoMod saves their go.mod sums before anything is downloaded */
		struct keep_ctx k = {mainfile, false, NULL};
		for (size_t i = 0; i < mainfile->requires.n; i++) {
			const struct mod_version *r = &mainfile->requires.v[i].mod;
			const struct mod_replace *rep = find_replace(mainfile, r->path, r->version);
			char *file = NULL, *sum = NULL;
			if (rep && !rep->new.version[0])
				continue;
			if (mod_fetch_gomod_file(f, rep ? rep->new.path : r->path, rep ? rep->new.version : r->version,
			                         &file, &sum, &e) < 0) {
				if (mod_fetch_fatal(f))
					fatal_raw(err_take(&e));
				base_fatalf("%s", err_msg(&e));
			}
			free(file);
			free(sum);
		}
		if (have_sums && write_go_sum(&sums, fc.gomodcache, &k, &e) < 0)
			base_fatalf("%s", err_msg(&e));
	}

	/* listModules: resolve each argument to a module version */
	for (size_t i = 0; i < args.n; i++) {
		const char *arg = args.v[i];
		if (strchr(arg, '\\'))
			base_fatalf("module paths never use backslash");
		if (strcmp(arg, ".") == 0 || strcmp(arg, "..") == 0 || has_prefix(arg, "./") || has_prefix(arg, "../"))
			base_fatalf("cannot use relative path %s to specify module", arg);
		if (strcmp(arg, "all") == 0 || strstr(arg, "...")) {
			if (!has_modroot)
				base_fatalf("cannot match \"%s\": go.mod file not found in current directory or any parent "
				            "directory; see '%s help modules'", arg, prog_name);
			if (strcmp(arg, "all") != 0 || graph)
				base_fatalf("mod download %s needs the module graph: not supported yet", arg);
			/* listModules' "all": the build list, the main module left out */
			if (load_module_graph(ld, NULL, &graph, &e) < 0)
				base_fatalf("%s", err_msg(&e));
			{
				struct mod_version *bl;
				size_t nb = mod_graph_build_list(graph, &bl);
				struct strvec na = {0};
				for (size_t j = 0; j < args.n; j++) {
					if (j != i) {
						strvec_push(&na, args.v[j]);
						continue;
					}
					for (size_t k = 0; k < nb; k++)
						if (bl[k].version[0] && strcmp(bl[k].path, "go") != 0 &&
						    strcmp(bl[k].path, "toolchain") != 0)
							strvec_push_take(&na, xasprintf("%s@%s", bl[k].path, bl[k].version));
				}
				strvec_clear(&args);
				args = na;
				i--; /* the expansion is checked as arguments */
			}
			continue;
		}
		const char *at = strchr(arg, '@');
		if (at && (at[1] == '-' || at[1] == '/'))
			base_fatalf("invalid module version \"%s\"", at + 1);
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

		m.path = arena_strdup(load_arena(ld), path);
		free(path);
		path = NULL;
		if (vers) {
			const char *current = "";
			for (size_t k = 0; mainfile && k < mainfile->requires.n; k++)
				if (strcmp(mainfile->requires.v[k].mod.path, m.path) == 0)
					current = mainfile->requires.v[k].mod.version;
			if ((strcmp(vers, "upgrade") == 0 || strcmp(vers, "patch") == 0) && !current[0] &&
			    (!mainfile || !mains[0]->path || strcmp(m.path, mains[0]->path) != 0)) {
				if (!has_modroot)
					base_fatalf("cannot match \"%s\": go.mod file not found in current directory or any "
					            "parent directory; see '%s help modules'", arg, prog_name);
				base_fatalf("mod download %s: upgrade or patch of a module the main go.mod does not "
				            "require needs the module graph: not supported yet", arg);
			}
			if (mainfile && (!mainfile->go || tc_version_compare(mainfile->go, "1.17") < 0) &&
			    (strcmp(vers, "upgrade") == 0 || strcmp(vers, "patch") == 0))
				base_fatalf("mod download %s in a go %s module needs the module graph: not supported yet",
				            arg, mainfile->go ? mainfile->go : "1.16");
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
			if (strcmp(vers, info.version) != 0)
				m.query = arena_strdup(load_arena(ld), vers);
			if (info.origin)
				m.origin = xstrdup(info.origin);
			mod_rev_info_release(&info);
		} else {
			const char *v = NULL;
			for (size_t k = 0; mainfile && k < mainfile->requires.n; k++)
				if (strcmp(mainfile->requires.v[k].mod.path, m.path) == 0)
					v = mainfile->requires.v[k].mod.version;
			if (!v) {
				if (!has_modroot)
					base_fatalf("cannot match \"%s\" without -versions or an explicit version: go.mod file "
					            "not found in current directory or any parent directory; see '%s help "
					            "modules'", m.path, prog_name);
				base_fatalf("mod download %s: a module the main go.mod does not require needs the module "
				            "graph: not supported yet", m.path);
			}
			if (!mainfile->go || tc_version_compare(mainfile->go, "1.17") < 0)
				base_fatalf("mod download %s in a go %s module needs the module graph: not supported yet",
				            m.path, mainfile->go ? mainfile->go : "1.16");
			m.version = v;
		}
		/* info.Replace: a module replacement is what gets downloaded; a
		 * directory replacement has nothing to download */
		{
			const struct mod_replace *r = find_replace(mainfile, m.path, m.version);
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
	/* with explicit arguments go writes the new sums to go.sum
	 * (modload.WriteGoMod); without, it saves none (golang.org/issue/45332) */
	if (explicit_args && have_sums &&
	    write_go_sum(&sums, fc.gomodcache, &(struct keep_ctx){mainfile, true, graph}, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		rc = 1;
	}
out:
	for (size_t i = 0; i < mods.n; i++)
		mod_json_release(&mods.v[i]);
	free(mods.v);
	if (allow_live)
		mod_allow_release(&allow);
	mod_fetch_free(f);
	if (have_sums)
		mod_gosum_release(&sums);
	strvec_clear(&args);
	buf_release(&out);
	err_clear(&e);
	load_state_free(ld);
	cfg_release(&cfg);
	free(reuse);
	free(modfile);
	if (rc == 0 && base_exit_status() != 0)
		rc = base_exit_status();
	return rc;
}

const struct command cmd_mod_download_cmd = {
	"mod download", "download modules to local cache", "mod download [-x] [-json] [-modcacherw] [modules]",
	"Download downloads the named modules (path@version, or modules the main\n"
	"go.mod requires; without arguments, the main module's requirements) into\n"
	"the module cache through GOPROXY, verifying them against go.sum and the\n"
	"checksum database as go does. -json prints go's ModuleJSON objects.\n"
	"Version queries other than latest that need a version list (upgrade,\n"
	"patch, v1.2, ranges), \"all\" and patterns, workspaces, -reuse and direct\n"
	"(VCS) fetches are not supported yet and are refused. A proxy that sends\n"
	"nothing for GOTOOL_HTTP_TIMEOUT seconds (default 120; go waits forever)\n"
	"fails the request.\n",
	run_download,
};
