/* Private to modload/: the loader's state and the directory scan. */
#ifndef GOTOOL_MODLOAD_LOAD_INTERNAL_H
#define GOTOOL_MODLOAD_LOAD_INTERNAL_H

#include "modload/modload.h"

/* A local directory replacement of a required module. */
struct load_replace_dir {
	const char *old_path, *old_version;
	const char *dir;           /* absolute */
	struct load_module *mod;   /* module reported for its packages */
	bool required;             /* a main go.mod requires the module (it is in the build list) */
	const char *req_version;   /* the version a main go.mod requires, or NULL */
	bool decided;              /* required is final (load_replace_dir_required) */
};

struct load_stack_entry {
	const char *pkg;
	const char *pos_file;      /* base name of the file holding the first import, or "" */
};

/*
 * The loader of one invocation.  Invariant: every struct load_pkg is in
 * pkgs under its ImportPath once its path is resolved; everything lives in
 * arena and is released by load_state_free.
 */
struct load_state {
	struct arena arena;
	struct intern in;
	const struct cfg *cfg;
	const struct buildctx *ctx;
	struct load_opts opts;
	const char *cur_root;       /* the path load_import_root is loading, or NULL */
	char *cwd;
	const char *goroot_src, *goroot_src_cmd;
	bool modules_enabled;      /* GO111MODULE != off */
	bool has_modroot;          /* a go.mod or go.work was found */
	bool workspace;
	const char *gowork;        /* go.work path in workspace mode */
	struct mod_file *work;
	const char *mod_mode;      /* "mod", "readonly" or "vendor" */
	const char *vendor_dir;    /* absolute, in vendor mode */
	VEC(struct load_module *) mains;
	VEC(struct load_replace_dir) replace_dirs;
	struct map pkgs;           /* import path -> struct load_pkg * */
	struct map fold_paths;     /* case-folded import path -> import path */
	VEC(struct load_stack_entry) stack;
	struct map cmdline_seen;   /* roots already reported, for dedup */
	VEC(struct load_pkg *) forks; /* PGO copies, owned here */
	struct map prescanned;     /* import path -> struct load_pkg * scanned while matching */
	struct map dir_ents;       /* dir -> struct load_dirents * listed this run (arena) */
	/* Whether cmd/go's module index may serve package directories
	 * (modindex: GODEBUG goindex, GOCACHE): -1 until first asked. */
	int index_enabled;
	/* directories where modload's scanDir finds no Go files to build
	 * (imports.ErrNoGo): import-path patterns skip them */
	struct map modscan_nogo;
	/* import paths module.CheckImportPath accepted (check_import_path):
	 * a path is imported by many packages and checked at each import */
	struct map valid_paths;
	/* //go:build line -> its answer for ctx (load_eval_build_lines_memo) */
	struct map build_line_memo;
	bool err_bare;             /* the fatal error is printed without "go: " */
	/* internal/godebugs.All of the toolchain, read on first use by a main
	 * package (NULL with godebug_tried set when it cannot be read). */
	struct mod_godebug_table *godebug_table;
	bool godebug_tried;
	/* Vendor mode: vendored package path -> struct load_module * as
	 * vendor/modules.txt lists them (modload readVendorList). */
	struct map vendor_pkgs;
	struct map vendor_ignored; /* vendored packages modules.txt lacks, warned about */
	struct map vendor_mods;    /* module path -> its selected block's module (read_vendor_list) */
	struct {
		struct load_module **v;
		size_t n, cap;
	} vendor_all;              /* every block of vendor/modules.txt, in order */
	bool mod_explicit;         /* -mod was given (cfg.BuildModExplicit) */
	const char *mod_reason;    /* cfg.BuildModReason, or NULL */
	struct map finding;        /* paths already announced "finding module for package" */
	bool missing_mod;          /* -mod=mod: an import no module provides (load_missing_imports) */
	/* PackageModuleInfo's .info fetches wait for the end of
	 * load_packages (go completes modules after LoadPackages' checks) */
	bool defer_complete;
	struct {
		struct load_module **v;
		size_t n, cap;
	} to_complete;
	bool reqs_dirty;           /* -mod=mod: go.mod's requirements need an update (load_update_requirements) */
	struct map root_literals;  /* literal import-path patterns of the command line */
	/* The GOROOT scan index (scanindex.c): state 0 until the first GOROOT
	 * directory is scanned, 1 when loaded, -1 when off or finished. */
	struct load_scanindex *scanindex;
	char *scanindex_path;      /* heap */
	int scanindex_state;
	/* The module graph (modgraph.c), made on first use: the requirement
	 * roots of the single main module (sorted, go and toolchain included),
	 * the paths it requires directly, go.mod summaries by path@version
	 * (raw: of the actual module; eff: after replacement and excludes), the
	 * full graph and its error text, modules of the build list as go list
	 * reports them, and go.sum. */
	bool roots_loaded, pruned, roots_dropped;
	/* the main go.mod named a version fix_version rewrote (a query's
	 * answer, or the -gopkgin- hack dropped): modFileIsDirty */
	bool gomod_fixed;
	struct map fixed_versions; /* "path@version" as written -> the fixed version */
	/* workspace mode: the graph has workspace pruning (roots: the main
	 * modules, go and toolchain); work_dir is go.work's directory (arena) */
	bool ws_pruning;
	const char *work_dir;
	struct mod_version *roots;
	size_t nroots;
	struct map direct, summaries, summaries_eff, dep_mods;
	/* "path version" of the zips this run checked (modfetch's used
	 * sums): go.sum gains a zip sum only when its zip was checked */
	struct map zips_checked;
	/* set while a package's test imports load: an import's missing sum
	 * then suggests "go get -t" (ImportMissingSumError.importerIsTest) */
	bool test_importer;
	/* "path@version" of go.mod files an earlier loader of this process
	 * read (borrowed, or NULL): go's rawGoModSummaryCache outlives
	 * EnterModule, so work sync's module loads do not read them again,
	 * and their sums are not new to the module's go.sum */
	const struct map *prior_summaries;
	struct mod_graph *graph;
	const char *graph_err;
	VEC(struct mod_graph *) extra_graphs; /* mod graph -go=V */
	struct mod_gosum gosum;
	bool gosum_read;
	/* workspace mode: gosum is go.work.sum and these are the workspace
	 * modules' go.sum files (modfetch's WorkspaceGoSumFiles), heap */
	struct mod_gosum **ws_sums;
	size_t nws_sums;
	/* Downloads (fetchload.c): the fetcher over gosum, made on first use,
	 * and whether the roots' zips were fetched ahead. */
	struct mod_fetch *fetcher;
	bool zips_prefetched;
};

/* ---- modgraph.c helpers fetchload.c shares -------------------------- */
/* load_must_have_sums is mustHaveSums: -mod=readonly with a go.mod, no workspace. */
bool load_must_have_sums(struct load_state *ld);
/* load_canonical_replace_path is canonicalizeReplacePath: in workspace
 * mode the relative directory replacement path of the module rooted at
 * modroot, made relative to the go.work directory (./ or ../; heap). */
char *load_canonical_replace_path(struct load_state *ld, const char *modroot, const char *path);
/* load_module_actual is resolveReplacement: the module whose files m's are. */
struct mod_version load_module_actual(struct load_state *ld, struct mod_version m);

/* ---- downloads in the loader (fetchload.c) --------------------------- */
/* load_replace_dir_required reports whether rd applies (decided once):
 * a versioned replacement when that version is used (a root's in a
 * pruned module, else the module graph's selected one), a version-less
 * one when the module is required or the graph selects it. */
bool load_replace_dir_required(struct load_state *ld, struct load_replace_dir *rd);
/* load_prefix_replaced reports whether a main module (or go.work)
 * replaces some version of a module path that is a prefix of path: its
 * query answers from the replacements even with GOPROXY=off. */
bool load_prefix_replaced(struct load_state *ld, const char *path);
/* load_update_requirements is the package loader's updateRequirements
 * for a single main module (tests: the main packages' tests are loaded):
 * an import from a module that is not a root is the importer's error
 * outside -mod=mod; roots that would change are errGoModDirty (-1), or
 * with -mod=mod set reqs_dirty for load_packages_resolving. */
int load_update_requirements(struct load_state *ld, bool tests, struct err *e);
/* load_side_lock is modfetch.SideLock, best effort as go's WriteGoSum
 * takes it: the flock'd fd of $GOMODCACHE/cache/lock, or -1.  Release
 * with os_flock_close. */
int load_side_lock(struct load_state *ld);
/* load_write_locked is lockedfile.Transform under the side lock, as
 * commitRequirements writes go.mod and go.sum: file (what: "go.mod" or
 * "go.sum") replaced by after when it differs (mod_reqs_write_file). */
int load_write_locked(struct load_state *ld, const char *file, const char *what, const char *before,
                      const char *after, struct err *e);
/* load_fetch_enabled reports whether missing modules are downloaded: a
 * single main module and GOPROXY other than off. */
bool load_fetch_enabled(struct load_state *ld);
/* load_fetcher returns the loader's fetcher, made on first use (owned by ld). */
struct mod_fetch *load_fetcher(struct load_state *ld);
/* load_all_roots_selected is mg.allRootsSelected for the single main
 * module: every root is what g selects (a requirement on an older version
 * of the main module itself aside). */
bool load_all_roots_selected(struct load_state *ld, struct mod_graph *g);
/* load_fetch_gomod is Fetcher().GoMod: the go.mod of path@version fetched,
 * checked against go.sum and the checksum database, cached, and read into
 * data; -1 with *errmsg (arena, without "path@version: ").  A checksum
 * mismatch exits as go's base.Fatalf does. */
int load_fetch_gomod(struct load_state *ld, const char *path, const char *version, struct buf *data,
                     const char **errmsg);
/* load_fetch_prefetch_gomods fetches ahead the .mod files of mods missing
 * from the cache (one breadth-first level of the graph). */
void load_fetch_prefetch_gomods(struct load_state *ld, const struct mod_version *mods, size_t n);
/* load_fetch_download is modfetch.Download: "go: downloading P V", the zip
 * fetched, checked and extracted; *dir arena.  Fatal errors exit. */
int load_fetch_download(struct load_state *ld, const char *path, const char *version, const char **dir,
                        struct err *e);

/* A directory listing kept for the run: the pattern walks and the package
 * scans read the same directories, and each is listed once. */
struct load_dirent {
	const char *name;
	enum os_ftype type;
};
struct load_dirents {
	struct load_dirent *v;
	size_t n;
};
/* load_dir_entries returns dir's entries sorted by name (arena, cached),
 * or NULL with e set when the directory cannot be read. */
const struct load_dirents *load_dir_entries(struct load_state *ld, const char *dir, struct err *e);

/* Results of scanning one directory (go/build Context.Import's errors). */
enum scan_err {
	SCAN_OK,
	SCAN_NOGO,                 /* build.NoGoError */
	SCAN_BADFILE,              /* first bad .go file error (text, maybe pos) */
	SCAN_READDIR,              /* the directory cannot be read */
};
struct scan_result {
	enum scan_err kind;
	const char *err;           /* message (without position) */
	const char *pos;           /* "file:line:col" for parse errors, else "" */
};

/*
 * scan_dir fills p's file lists, name, doc, imports, embeds, directives and
 * cgo flags from p->dir.  files, when non-NULL, restricts the scan to those
 * names and ignores build constraints (command-line files).
 */
void scan_dir(struct load_state *ld, struct load_pkg *p, const struct load_strs *files,
              struct scan_result *res);

/* short_path mirrors base.ShortPath: the cwd-relative path when shorter. */
const char *short_path(struct load_state *ld, const char *path);

/* load_pkg_new makes an empty package for import_path (arena). */
struct load_pkg *load_pkg_new(struct load_state *ld, const char *import_path);
/* load_import_root loads a command-line package (no importer). */
struct load_pkg *load_import_root(struct load_state *ld, const char *path);

/* load_prescan scans dir for import_path once, keeping the package for
 * the later load (arena; shared by pattern matching and "all"). */
struct load_pkg *load_prescan(struct load_state *ld, const char *dir, const char *import_path);
/* load_match_all expands the "all" pattern from the main modules'
 * packages: their imports, transitively, plus the imports of their tests
 * (of every package in "all" for go < 1.16); sorted into out. */
void load_match_all(struct load_state *ld, const struct load_strs *mains, struct load_strs *out);

/* Loader internals shared with testpkg.c (load.c). */
struct load_error *load_error_new(struct load_state *ld, const char *msg);
const char *load_pos_string(struct load_state *ld, const struct load_pos *pos);
void load_stack_push(struct load_state *ld, const char *pkg, const struct load_pos *pos);
void load_stack_pop(struct load_state *ld);
struct load_pkg *load_import_from(struct load_state *ld, struct load_pkg *parent, const char *path,
                                  const struct load_pos *import_pos, struct load_error **perr);
/* load_linking_reason is load.externalLinkingReason(p), or NULL. */
const char *load_linking_reason(struct load_state *ld, const struct load_pkg *p);
/* load_default_godebug is defaultGODEBUG for a main package with dirs. */
const char *load_default_godebug(struct load_state *ld, const struct load_directive *dirs, size_t n);

/* ---- scan index (modload/scanindex.c) ------------------------------------
 * A persistent cache of what scan_dir reads from GOROOT/src: directory
 * listings and, per file, the header reader's results (never anything that
 * depends on build tags).  Keyed by GOROOT, toolchain version and format;
 * stored under $GOTOOLCACHE (or the user cache dir + "/gotool") in
 * scanindex/<sha256>.  Strings returned are owned by the index and live
 * until load_state_free. */
struct load_scanindex;
/* load_scanindex_new makes an empty index for a GOROOT/src and version (heap). */
struct load_scanindex *load_scanindex_new(const char *goroot_src, const char *version);
/* load_scanindex_free releases ix and everything it returned (NULL is fine). */
void load_scanindex_free(struct load_scanindex *ix);
/* load_scanindex_decode loads an encoded index, taking data's buffer;
 * -1 (ix left empty) when its header or head is truncated, corrupt or for
 * another key.  Directory records are checked when first asked about: a
 * bad one counts as absent. */
int load_scanindex_decode(struct load_scanindex *ix, struct buf *data);
/* load_scanindex_check_all decodes every record and returns how many were bad. */
size_t load_scanindex_check_all(struct load_scanindex *ix);
/* load_scanindex_encode writes ix's file bytes into out (decoding first
 * whatever of the loaded file was not asked about, to keep it). */
void load_scanindex_encode(struct load_scanindex *ix, struct buf *out);
/* load_scanindex_dirty reports whether anything was recorded since the load. */
bool load_scanindex_dirty(const struct load_scanindex *ix);
/* load_scanindex_dirents returns dir's recorded listing, or NULL. */
const struct load_dirents *load_scanindex_dirents(struct load_scanindex *ix, const char *dir);
/* load_scanindex_put_dirents records dir's listing (copied). */
void load_scanindex_put_dirents(struct load_scanindex *ix, const char *dir, const struct load_dirents *d);
/* load_scanindex_gofile fills gf (arrays on the heap: load_gofile_release
 * them) with the recorded header of the .go file path, plus whether the
 * file held a NUL byte and whether the header ran to its end; false on a
 * miss.  gf->header is cut after the package name's line: it serves build
 * constraint evaluation only. */
bool load_scanindex_gofile(struct load_scanindex *ix, const char *path, struct load_gofile *gf,
                           bool *has_nul, bool *hdr_eof);
/* load_scanindex_put_gofile records a .go file's load_read_gofile result (copied). */
void load_scanindex_put_gofile(struct load_scanindex *ix, const char *path, const struct load_gofile *gf,
                               bool has_nul, bool hdr_eof);
/* load_scanindex_comments returns the recorded leading comment block of
 * the non-Go file path; false on a miss. */
bool load_scanindex_comments(struct load_scanindex *ix, const char *path, const char **hdr,
                             size_t *len);
/* load_scanindex_put_comments records a non-Go file's comment block (copied). */
void load_scanindex_put_comments(struct load_scanindex *ix, const char *path, const char *hdr, size_t len);
/* load_scanindex_for returns ld's index when dir is under GOROOT/src and
 * the index is on (loading it on first use), else NULL. */
struct load_scanindex *load_scanindex_for(struct load_state *ld, const char *dir);
/* load_scanindex_finish saves ld's index if it grew (errors are ignored:
 * it is a cache) and frees it; load_state_free calls it. */
void load_scanindex_finish(struct load_state *ld);
/* load_ignored_dir reports whether dir is ignored by the `ignore` lines of the
 * go.mod of the innermost main module (or directory replacement) holding it
 * (search.IgnorePatterns.ShouldIgnore). */
bool load_ignored_dir(struct load_state *ld, const char *dir);
/* load_dir_has_go_files reports whether dir holds a regular file (or a
 * link to one) named *.go, from its listing (load_dir_entries, so GOROOT
 * directories come from the scan index). */
bool load_dir_has_go_files(struct load_state *ld, const char *dir);
/* load_dir_is_dir is os_is_dir for a clean absolute path, answered from
 * the parent's listing when it has one (symlinks are still followed). */
bool load_dir_is_dir(struct load_state *ld, const char *path);
/* ---- end scan index ---- */

/* The module graph (modgraph.c). */
/* load_module_roots computes the requirement roots (rootsFromModFile) once;
 * -1 with e set outside a module, in workspace and in vendor mode. */
int load_module_roots(struct load_state *ld, struct err *e);
/* load_vendor_roots computes the single main module's roots in vendor
 * mode (rootsFromModFile: exclusions warned about), once. */
void load_vendor_roots(struct load_state *ld);
/* load_root_selected is Requirements.rootSelected: the highest root version of path. */
bool load_root_selected(struct load_state *ld, const char *path, const char **version);
/* load_modules_pruned reports whether the main module's graph is pruned (go >= 1.17). */
bool load_modules_pruned(struct load_state *ld);
/* load_module_has_sum is fetch's check: outside readonly mode, or when
 * go.sum lists the zip hash of m (its replacement's). */
bool load_module_has_sum(struct load_state *ld, const struct load_module *m);
/* load_module_graph_roots is readModGraph over other roots (sorted, go
 * included), pruned or not (requirements.c); *out (kept until
 * load_state_free) is set even on error, e holding BuildListError's text. */
/* load_adopt_graph makes g (one of ld's graphs, of roots) ld's module
 * graph: the requirements = rs of expandGraph, for what is written after. */
void load_adopt_graph(struct load_state *ld, const struct mod_version *roots, size_t nroots, struct mod_graph *g);
int load_module_graph_roots(struct load_state *ld, const struct mod_version *roots, size_t nroots, bool pruned,
                            struct mod_graph **out, struct err *e);
/* load_module_graph_unprune is readModGraph with its unprune set: the
 * requirements "path@version" in unprune are loaded even below a pruned
 * module (editRequirements' extendGraph; edit.c). */
int load_module_graph_unprune(struct load_state *ld, const struct mod_version *roots, size_t nroots, bool pruned,
                              const struct map *unprune, struct mod_graph **out, struct err *e);
/* load_module_replacement_canonical is Replacement(m) as modload returns
 * it (canonicalizeReplacePath: in workspace mode a module's relative
 * directory replacement relative to go.work's directory): false when m
 * is not replaced, else *out (strings in ld's arena or borrowed). */
bool load_module_replacement_canonical(struct load_state *ld, struct mod_version m, struct mod_version *out);
/* load_module_actual is resolveReplacement: the module whose files m's are. */
struct mod_version load_module_actual(struct load_state *ld, struct mod_version m);
/* load_module_summary is goModSummary(m): its requirements (borrowed),
 * whether its graph is pruned and its go version; -1 with e "P@V: ERR". */
int load_module_summary(struct load_state *ld, struct mod_version m, const struct mod_version **reqs, size_t *n,
                        bool *pruned, const char **go_version, struct err *e);
/* load_module_summary_cached reports whether m's summary was read this
 * run (without reading it); *err its error "P@V: ERR", or NULL. */
bool load_module_summary_cached(struct load_state *ld, struct mod_version m, const char **err);
/* load_dir_in_module is dirInModule: the heap directory of package path
 * in module modpath rooted at root (NULL when path is not in it), and
 * whether it holds .go files (a local module: not inside a nested one). */
char *load_dir_in_module(struct load_state *ld, const char *path, const char *modpath, const char *root,
                         bool is_local, bool *has_go);
/* load_modgraph_release frees what modgraph.c holds on the heap. */
void load_modgraph_release(struct load_state *ld);
/* load_module_dir returns the extracted directory of a dependency module
 * (its replacement's), or -1 with go's error when it is not in the cache. */
int load_module_dir(struct load_state *ld, struct load_module *m, const char **dir, struct err *e);

/* Module setup (modinit.c). */
int load_modules_init(struct load_state *ld, struct err *e);
/* load_module_for_dir returns the main/replace module containing dir, or NULL. */
struct load_module *load_module_for_dir(struct load_state *ld, const char *dir, const char **modroot);

#endif
