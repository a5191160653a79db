/*
 * Downloads in the loader: the module graph's go.mod files, the zips of
 * the modules that provide packages, the .info of modules go list -m
 * reports, and go.sum written after a -mod=mod load.
 *
 * mirrors cmd/go/internal/modload: modfile.go (rawGoModData's
 * Fetcher().GoMod), import.go (fetch), build.go (completeFromModCache's
 * Query), init.go (commitRequirements' WriteGoSum, keepSums) and
 * modfetch/fetch.go (Download, DownloadZip's "go: downloading") (go1.26).
 *
 * One fetcher (proxy.c) per loader, made on first use over the main
 * module's go.sum (ld->gosum; in workspace mode go.work.sum with the
 * workspace modules' go.sum files beside it), so sums it checks or adds
 * are the ones written back.  go downloads in parallel goroutines; gotool fetches the
 * files it is about to need ahead over libcurl's multi interface (a
 * breadth-first level of go.mod files; the roots' zips) and then handles
 * modules one by one as go's code does, so errors and cache contents are
 * go's.  With GOPROXY=off nothing is fetched and modgraph.c keeps go's
 * "module lookup disabled by GOPROXY=off".
 */
#include <stdlib.h>
#include <string.h>

#include "modload/load_internal.h"
#include "modload/modload.h"
#include "modload/requirements.h"

/* fetch_fatal is base.Fatalf for checkMod's and go.sum's errors, which go
 * prints without a prefix (its log has none). */
static NORETURN void fetch_fatal(struct err *e)
{
	fflush(stdout);
	fprintf(stderr, "%s\n", err_msg(e));
	err_clear(e);
	base_exit(1);
}

bool load_fetch_enabled(struct load_state *ld)
{
	const char *proxy = cfg_getenv(ld->cfg, "GOPROXY");

	if (proxy && strcmp(proxy, "off") == 0)
		return false;
	/* vendor mode never reaches the module cache */
	if (ld->mod_mode && strcmp(ld->mod_mode, "vendor") == 0)
		return false;
	return ld->cfg->gomodcache && ld->cfg->gomodcache[0] && ld->has_modroot &&
	       (ld->workspace ? ld->mains.n >= 1 : ld->mains.n == 1);
}

void mod_fetch_config_init(const struct cfg *cfg, struct mod_fetch_config *fc)
{
	const char *stall;

	memset(fc, 0, sizeof *fc);
	fc->gomodcache = cfg->gomodcache;
	fc->gopath = cfg->gopath;
	fc->modcache_rw = cfg->modcache_rw;
	fc->goproxy = cfg_env_or(cfg, "GOPROXY", "", NULL);
	fc->gonoproxy = cfg_env_or(cfg, "GONOPROXY", cfg_env_or(cfg, "GOPRIVATE", "", NULL), NULL);
	fc->goinsecure = cfg_env_or(cfg, "GOINSECURE", "", NULL);
	fc->goprivate = cfg_env_or(cfg, "GOPRIVATE", "", NULL);
	fc->govcs = cfg_env_or(cfg, "GOVCS", "", NULL);
	fc->gosumdb = cfg_env_or(cfg, "GOSUMDB", "", NULL);
	fc->gonosumdb = mod_sumdb_nosumdb(cfg);
	fc->git_agent = getenv("GIT_HTTP_USER_AGENT");
	fc->goauth = cfg_env_or(cfg, "GOAUTH", "netrc", NULL);
	stall = getenv("GOTOOL_HTTP_TIMEOUT");
	if (stall && stall[0]) {
		int64_t v;
		const char *why;
		if (flag_parse_int64(stall, &v, &why) == 0 && v > 0)
			fc->http_stall = (long)v;
	}
}

struct mod_fetch *load_fetcher(struct load_state *ld)
{
	struct mod_fetch_config *fc;

	if (ld->fetcher)
		return ld->fetcher;
	fc = arena_new(&ld->arena, struct mod_fetch_config);
	mod_fetch_config_init(ld->cfg, fc);
	fc->x = ld->opts.x;
	fc->announce = true;
	ld->fetcher = mod_fetch_new(fc, load_gosum(ld));
	return ld->fetcher;
}

void load_set_fetcher_take(struct load_state *ld, struct mod_fetch *f)
{
	CHECK(!ld->fetcher);
	ld->fetcher = f;
}

/* strip_module_prefix drops "path@version: " from a fetch error: the
 * graph's BuildListError names the module itself. */
static const char *strip_module_prefix(struct load_state *ld, const char *msg, const char *path,
                                       const char *version)
{
	const char *p = arena_printf(&ld->arena, "%s@%s: ", path, version);
	size_t n = strlen(p);

	return arena_strdup(&ld->arena, strncmp(msg, p, n) == 0 ? msg + n : msg);
}

int load_fetch_gomod(struct load_state *ld, const char *path, const char *version, struct buf *data,
                     const char **errmsg)
{
	struct mod_fetch *f = load_fetcher(ld);
	struct err e = ERR_INIT;
	char *file = NULL, *sum = NULL;
	int rc = -1;

	if (mod_fetch_gomod_file(f, path, version, &file, &sum, &e) < 0) {
		if (mod_fetch_fatal(f))
			fetch_fatal(&e);
		*errmsg = strip_module_prefix(ld, err_msg(&e), path, version);
		goto out;
	}
	buf_truncate(data, 0);
	if (os_read_file(file, data, MOD_MAX_GOMOD, &e) < 0) {
		*errmsg = arena_strdup(&ld->arena, err_msg(&e));
		goto out;
	}
	rc = 0;
out:
	err_clear(&e);
	free(file);
	free(sum);
	return rc;
}

void load_fetch_prefetch_gomods(struct load_state *ld, const struct mod_version *mods, size_t n)
{
	struct strvec ps = {0}, vs = {0};
	struct err ignore = ERR_INIT;

	for (size_t i = 0; i < n; i++) {
		char *file = NULL;
		if (!*mods[i].version || strcmp(mods[i].version, "none") == 0 || strcmp(mods[i].path, "go") == 0 ||
		    strcmp(mods[i].path, "toolchain") == 0)
			continue;
		/* what go will not fetch: a go.mod go.sum must list and does not */
		if (load_must_have_sums(ld) &&
		    !mod_gosum_recorded(load_gosum(ld), mods[i].path,
		                        arena_printf(&ld->arena, "%s/go.mod", mods[i].version)))
			continue;
		if (mod_cache_path(ld->cfg->gomodcache, mods[i].path, mods[i].version, "mod", &file, &ignore) == 0 &&
		    !os_exists(file)) {
			strvec_push(&ps, mods[i].path);
			strvec_push(&vs, mods[i].version);
		}
		err_clear(&ignore);
		free(file);
	}
	if (ps.n >= 2)
		mod_fetch_prefetch_kinds(load_fetcher(ld), ps.v, vs.v, ps.n, MOD_PREFETCH_MOD);
	strvec_clear(&ps);
	strvec_clear(&vs);
}

/* prefetch_root_zips fetches ahead the zips of the requirement roots (a
 * go >= 1.17 go.mod lists every module providing a package), the first
 * time a build needs a zip that is not in the cache. */
static void prefetch_root_zips(struct load_state *ld)
{
	struct strvec ps = {0}, vs = {0};
	struct err ignore = ERR_INIT;

	if (ld->zips_prefetched)
		return;
	ld->zips_prefetched = true;
	for (size_t i = 0; i < ld->nroots; i++) {
		struct mod_version m = load_module_actual(ld, ld->roots[i]);
		char *dir = NULL;
		if (!*m.version || strcmp(m.path, "go") == 0 || strcmp(m.path, "toolchain") == 0)
			continue;
		if (mod_cache_download_dir(ld->cfg->gomodcache, m.path, m.version, &dir, &ignore) == MOD_DIR_ABSENT &&
		    (!load_must_have_sums(ld) || mod_gosum_recorded(load_gosum(ld), m.path, m.version))) {
			strvec_push(&ps, m.path);
			strvec_push(&vs, m.version);
		}
		err_clear(&ignore);
		free(dir);
	}
	if (ps.n >= 2)
		mod_fetch_prefetch_kinds(load_fetcher(ld), ps.v, vs.v, ps.n, MOD_PREFETCH_ZIP);
	strvec_clear(&ps);
	strvec_clear(&vs);
}

int load_fetch_download(struct load_state *ld, const char *path, const char *version, const char **dir,
                        struct err *e)
{
	struct mod_fetch *f = load_fetcher(ld);
	char *d = NULL;

	prefetch_root_zips(ld);
	if (mod_fetch_download(f, path, version, &d, e) < 0) {
		if (mod_fetch_fatal(f))
			fetch_fatal(e);
		return -1;
	}
	*dir = arena_strdup(&ld->arena, d);
	free(d);
	map_put(&ld->zips_checked, arena_printf(&ld->arena, "%s %s", path, version), (void *)1);
	return 0;
}

void load_module_complete(struct load_state *ld, struct load_module *m)
{
	struct load_module *a = m->replace ? m->replace : m;
	struct mod_fetch *f;
	struct mod_rev_info info = {0};
	struct err e = ERR_INIT;
	bool ne = false;

	if (m->main || !a->version || !*a->version || a->time || !load_fetch_enabled(ld))
		return;
	/* a query list -m resolved (or failed to) is no version to Stat */
	{
		char *c = mod_canonical_version(m->version);
		bool canon = strcmp(c, m->version) == 0;
		free(c);
		if (!canon)
			return;
	}
	/* completeFromModCache's Query(path, version): a Stat of the version */
	f = load_fetcher(ld);
	if (mod_fetch_stat(f, m->path, m->version, &info, &ne, &e) < 0) {
		if (mod_fetch_fatal(f))
			fetch_fatal(&e);
		m->error = arena_strdup(&ld->arena, err_msg(&e));
		err_clear(&e);
		return;
	}
	m->error = NULL;
	if (m->replace) {
		/* the replacement's .info gives the replacement's time */
		mod_rev_info_release(&info);
		if (mod_fetch_stat(f, a->path, a->version, &info, &ne, &e) == 0) {
			a->time = arena_strdup(&ld->arena, info.time);
			a->error = NULL;
		}
		err_clear(&e);
	} else {
		m->time = arena_strdup(&ld->arena, info.time);
	}
	mod_rev_info_release(&info);
}

/* ---- go.sum after a -mod=mod load (commitRequirements, keepSums) ------- */

struct keep_set {
	struct map m; /* "path version" (version may end in /go.mod) */
	struct arena *a;
};

static void keep_add(struct keep_set *k, struct mod_version m, bool zip)
{
	const char *key = zip ? arena_printf(k->a, "%s %s", m.path, m.version)
	                      : arena_printf(k->a, "%s %s/go.mod", m.path, m.version);
	map_put(&k->m, key, (void *)key);
}

static bool keep_fn(void *ctx, const char *path, const char *version)
{
	struct keep_set *k = ctx;
	char *key = xasprintf("%s %s", path, version);
	bool r = map_has(&k->m, key);

	free(key);
	return r;
}

struct walk_ctx {
	struct load_state *ld;
	struct mod_graph *g;
	struct keep_set *k;
};

static void keep_required(void *ctx, struct mod_version m)
{
	struct walk_ctx *w = ctx;
	const struct mod_version *r;
	size_t n;

	if (*m.version && mod_graph_required_by(w->g, m, &r, &n))
		keep_add(w->k, load_module_actual(w->ld, m), false);
}

int load_side_lock(struct load_state *ld)
{
	struct err e = ERR_INIT;
	char *dir, *lockfile;
	int fd = -1;

	if (!ld->cfg->gomodcache || !ld->cfg->gomodcache[0])
		return -1;
	dir = path_join(ld->cfg->gomodcache, "cache");
	lockfile = path_join(dir, "lock");
	if (os_mkdir_all(dir, 0777, &e) == 0)
		fd = os_flock_open(lockfile, &e);
	err_clear(&e);
	free(lockfile);
	free(dir);
	return fd;
}

int load_write_locked(struct load_state *ld, const char *file, const char *what, const char *before,
                      const char *after, struct err *e)
{
	int fd = load_side_lock(ld);
	int rc = mod_reqs_write_file(file, what, before, after, e);
	os_flock_close(fd);
	return rc;
}

int load_write_gosum(struct load_state *ld, struct err *e)
{
	struct keep_set k = {.a = &ld->arena};
	struct mod_gosum *s;
	bool dirty = false;
	int fd = -1, rc = 0;

	/* in workspace mode go.work.sum is written whatever -mod says
	 * (commitRequirements: go.mod files are never updated there, and
	 * mustHaveCompleteRequirements is false) */
	if (!ld->gosum_read || !ld->fetcher || !ld->has_modroot ||
	    (!ld->workspace && strcmp(ld->mod_mode, "mod") != 0))
		return 0;
	s = &ld->gosum;
	for (size_t i = 0; i < s->v.n && !dirty; i++)
		dirty = s->v.v[i].dirty;
	if (!dirty)
		return 0;
	dirty = false;
	map_init(&k.m);
	/* keepSums with addBuildListZipSums, the module graph loaded */
	if (ld->graph) {
		struct walk_ctx w = {ld, ld->graph, &k};
		struct mod_version *bl;
		size_t nb;
		mod_graph_walk(ld->graph, keep_required, &w);
		nb = mod_graph_build_list(ld->graph, &bl);
		for (size_t i = 0; i < nb; i++) {
			struct mod_version r;
			if (!*bl[i].version)
				continue;
			r = load_module_actual(ld, bl[i]);
			keep_add(&k, r, false);
			keep_add(&k, r, true);
		}
	} else {
		/* rs.rootModules: read from the go.mod when nothing loaded them */
		struct err re = ERR_INIT;
		if (load_module_roots(ld, &re) < 0)
			err_clear(&re);
		for (size_t i = 0; i < ld->nroots; i++) {
			struct mod_version r = load_module_actual(ld, ld->roots[i]);
			keep_add(&k, r, false);
			keep_add(&k, r, true);
		}
	}
	/* WriteGoSum: only a new sum that is kept (or one never used, as
	 * go marks them) makes go.sum dirty; else it is left alone, lock
	 * and all */
	for (size_t i = 0; i < s->v.n && !dirty; i++) {
		const struct mod_gosum_entry *x = &s->v.v[i];
		dirty = x->dirty && (!x->used || keep_fn(&k, x->path, x->version));
	}
	if (dirty) {
		fd = load_side_lock(ld);
		rc = mod_gosum_write(s, keep_fn, &k, e);
		os_flock_close(fd);
	}
	map_release(&k.m);
	return rc;
}
