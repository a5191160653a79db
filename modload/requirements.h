/*
 * Private to modload/: the requirements of the single main module and the
 * root computations of cmd/go/internal/modload/buildlist.go (go1.26):
 * Requirements, updateRoots for pruned and unpruned graphs, tidyRoots,
 * convertPruning, mvs.Req, keepSums, and writing go.mod and go.sum
 * (commitRequirements).  requirements.c; `mod tidy` (tidy.c) uses it and
 * `get` is meant to.
 */
#ifndef GOTOOL_MODLOAD_REQUIREMENTS_H
#define GOTOOL_MODLOAD_REQUIREMENTS_H

#include "modload/load_internal.h"

/*
 * A Requirements: roots in gover.ModSort order with "go" (and maybe
 * "toolchain") among them, the paths required directly, and the module
 * graph read on first use.  Arena-backed (the loader's), never freed
 * one by one.
 */
struct mod_reqs {
	bool pruned;
	struct mod_version *roots;
	size_t nroots;
	struct load_strs direct;  /* sorted */
	struct mod_graph *graph;  /* NULL until mod_reqs_graph */
	const char *graph_err;
};

/* modload's loadPkg, the package graph of go mod tidy / why (tidy.c). */
enum {
	MOD_PKG_IN_ALL = 1,
	MOD_PKG_IS_ROOT = 2,
	MOD_PKG_FROM_ROOT = 4,
	MOD_PKG_IMPORTS_LOADED = 8,
};
struct mod_lpkg {
	const char *path;
	struct mod_lpkg *test_of, *test, *stack;
	unsigned flags;
	struct mod_version mod;   /* path "": the standard library or not found */
	const char *dir;          /* "" when not found */
	const char *err;          /* error text, or NULL */
	bool err_missing;         /* an ImportMissingError */
	bool err_missing_std;     /* ... for a standard-library path */
	bool err_ambiguous;
	/* an ImportMissingSumError (readonly): its text names the importer,
	 * so it is made when the error is reported */
	bool err_sum, err_sum_found;
	struct load_strs sum_mods;
	bool in_std;
	struct {
		struct mod_lpkg **v;
		size_t n, cap;
	} imports;
	struct load_strs test_imports;
	struct {
		struct mod_version *v;
		size_t n, cap;
	} alt_mods;
	/* an AmbiguousImportError's modules (arena), or none */
	const struct mod_version *amb_mods;
	size_t namb;
};

/* The answer of importFromModules (tidy.c). */
struct mod_import_result {
	struct mod_version mod;   /* path "": the standard library or none */
	const char *dir;          /* "" when not found */
	const char *err;          /* arena text, or NULL */
	bool missing, ambiguous;
	/* readonly without the go.sum lines of the modules that may provide
	 * the package (ImportMissingSumError): shortest module path first;
	 * found when one of the others does provide it */
	bool sum_missing, sum_found;
	struct load_strs sum_mods;
	struct {
		struct mod_version *v;
		size_t n, cap;
	} alt_mods;               /* heap */
	const struct mod_version *amb_mods; /* arena: the ambiguous import's modules */
	size_t namb;
};
/* mod_import_from_modules is importFromModules(path, rs, mg) (mg NULL:
 * the roots of a pruned rs, or rs's graph when unpruned). */
void mod_import_from_modules(struct load_state *ld, const char *path, struct mod_reqs *rs, struct mod_graph *mg,
                             bool skip_mod_file, struct mod_import_result *r);

/* A package loaded for go mod vendor (strings in the loader's arena). */
struct mod_vendor_pkg {
	const char *path, *dir;
	struct mod_version mod;   /* path "": the standard library or not found */
};
struct mod_vendor_pkgs {
	struct mod_vendor_pkg *v;
	size_t n, cap;
};
/* mod_vendor_load is LoadPackages("all") as go mod vendor runs it (all
 * build tags, the vendor definition of all, missing imports resolved as
 * readonly mode may, missing std imports silenced) and commitRequirements'
 * readonly check.  out (heap vector) gets the loaded non-test packages,
 * *final the requirements.  In workspace mode (work vendor) the roots are
 * every workspace module's packages and the workspace's requirements stay
 * as loaded.  -1: errors were printed and go would exit. */
int mod_vendor_load(struct load_state *ld, bool allow_errors, struct mod_vendor_pkgs *out, struct mod_reqs **final);

/* mod_fetch_root is fetch(m): the module's root directory (downloaded
 * when needed) and whether it is local (tidy.c). */
int mod_fetch_root(struct load_state *ld, struct mod_version m, const char **root, bool *is_local, struct err *e);

/* mod_module_packages is matchPackages' walk of the module rooted at
 * root from its directory dir (import path ipath) down: the packages,
 * nested modules, testdata, _ and . directories and what is below a
 * vendor directory left out; sorted. */
void mod_module_packages(struct load_state *ld, const char *root, const char *dir, const char *ipath,
                         struct load_strs *out);

/* go get's package loads (tidy.c). */
struct mod_get_pkgs {
	struct mod_lpkg **v;
	size_t n, cap;
};
/* mod_get_initial_reqs is LoadModFile's requirements (redundant roots
 * updated away); -1 when an error was printed. */
int mod_get_initial_reqs(struct load_state *ld, struct mod_reqs **out);
/* mod_get_load is LoadPackages(roots) without resolving missing imports:
 * out (heap vector) the packages in buildStacks' order, *final the
 * requirements updateRequirements left.  allow_errors: package errors
 * are printed as "go: ..." (AllowErrors); otherwise they are silenced.
 * roots_imported: AssumeRootsImported.  all: the "all" pattern is a
 * root too (allPatternIsRoot).  imports (may be NULL): each package's
 * path -> struct load_strs * (arena) of its imports and its test's.
 * -1 when go would exit (the errors printed). */
int mod_get_load(struct load_state *ld, struct mod_reqs *rs, const struct load_strs *roots, bool all, bool tests,
                 bool allow_errors, bool roots_imported, struct mod_get_pkgs *out, struct map *imports,
                 struct mod_reqs **final);

/* mod_get_load_ws is checkPackageProblems' LoadPackages(roots) after
 * EnterWorkspace: ld is the workspace's loader, the packages are loaded
 * over its graph with AllowErrors (errors printed); out as mod_get_load,
 * direct gets the workspace's direct requirements.  -1 when go would exit. */
int mod_get_load_ws(struct load_state *ld, const struct load_strs *roots, bool all, bool tests,
                    struct mod_get_pkgs *out, struct map *direct);
/* mod_sync_must_select is work sync's LoadPackages("all") with
 * opts.MainModule m in workspace mode (ld: the workspace, its graph
 * loaded): the modules with a version that provide loaded packages,
 * gover.ModSort'ed into *out (heap).  -1 when go would exit (printed). */
int mod_sync_must_select(struct load_state *ld, struct load_module *m, struct mod_version **out, size_t *nout);
struct mod_allow;
/* mod_sync_module is work sync's turn for one module (ld: that module
 * alone, as EnterModule leaves it): EditBuildList(nil, must) and, when it
 * changed something, LoadPackages("all") with Tidy and WriteGoMod; *go_v
 * the module's go version afterwards (arena or borrowed).  1: the edit
 * failed and go skips the module; -1: go would exit (printed). */
int mod_sync_module(struct load_state *ld, const struct mod_version *must, size_t nmust, struct mod_allow *allow,
                    const char **go_v);

/* mod_reqs_is_main is MainModules.Contains for a module version. */
bool mod_reqs_is_main(struct load_state *ld, struct mod_version m);
/* mod_lpkg_external is fromExternalModule. */
bool mod_lpkg_external(struct load_state *ld, const struct mod_lpkg *p);

/* mod_reqs_new is newRequirements: roots copied and sorted, direct copied. */
struct mod_reqs *mod_reqs_new(struct load_state *ld, bool pruned, const struct mod_version *roots, size_t n,
                              const struct load_strs *direct);
/* mod_reqs_from_modfile is the requirements of the main go.mod (requirementsFromModFiles). */
int mod_reqs_from_modfile(struct load_state *ld, struct mod_reqs **out, struct err *e);
/* mod_reqs_root_selected is rootSelected: the highest root version of path. */
bool mod_reqs_root_selected(struct load_state *ld, const struct mod_reqs *rs, const char *path, const char **v);
bool mod_reqs_is_direct(const struct mod_reqs *rs, const char *path);
/* mod_reqs_go_version is Requirements.GoVersion. */
const char *mod_reqs_go_version(const struct mod_reqs *rs);
/* mod_reqs_graph is Requirements.Graph: *g is set even on error (e: the BuildListError text). */
int mod_reqs_graph(struct load_state *ld, struct mod_reqs *rs, struct mod_graph **g, struct err *e);

/* mod_reqs_update is updateRoots (-mod=mod, rootsImported false). */
int mod_reqs_update(struct load_state *ld, const struct load_strs *direct, struct mod_reqs *rs,
                    struct mod_lpkg *const *pkgs, size_t npkgs, const struct mod_version *add, size_t nadd,
                    struct mod_reqs **out, struct err *e);
/* mod_reqs_update_imported is updateRoots with rootsImported: the
 * modules of packages the roots import are kept as roots too (go get). */
int mod_reqs_update_imported(struct load_state *ld, const struct load_strs *direct, struct mod_reqs *rs,
                             struct mod_lpkg *const *pkgs, size_t npkgs, struct mod_reqs **out, struct err *e);
/* mod_reqs_tidy is tidyRoots. */
int mod_reqs_tidy(struct load_state *ld, struct mod_reqs *rs, struct mod_lpkg *const *pkgs, size_t npkgs,
                  struct mod_reqs **out, struct err *e);
/* mod_reqs_convert is convertPruning. */
int mod_reqs_convert(struct load_state *ld, struct mod_reqs *rs, bool pruned, struct mod_reqs **out,
                     struct err *e);
/* mod_reqs_mvs_req is mvs.Req(main, base, mvsReqs{roots}): *out heap,
 * sorted by path. */
int mod_reqs_mvs_req(struct load_state *ld, const struct mod_version *roots, size_t nroots,
                     const struct load_strs *base, struct mod_version **out, size_t *nout, struct err *e);

/*
 * A conflict editRequirements cannot resolve (modload.Conflict): a path
 * of requirements from a root, the mustSelect version its last module
 * violates (path "" when err is set), or the error loading the last
 * module's requirements (err: unwrapped as UnwrapModuleError does).
 */
struct mod_conflict {
	const struct mod_version *path;
	size_t npath;
	struct mod_version constraint;
	const char *err;
};
/* mod_conflict_summary is Conflict.Summary (arena text). */
const char *mod_conflict_summary(struct load_state *ld, const struct mod_conflict *c);
/* mod_conflict_string is Conflict.String (arena text). */
const char *mod_conflict_string(struct load_state *ld, const struct mod_conflict *c);

/*
 * mod_reqs_edit is editRequirements(rs, tryUpgrade, mustSelect) (edit.c):
 * *edited and *changed, or -1 with either *conflicts (a ConstraintError:
 * arena vector, *nconflicts > 0) or e set.  allow: CheckAllowed's state
 * for previousVersion's version lists.  verbose: cfg.BuildV's messages.
 */
int mod_reqs_edit(struct load_state *ld, struct mod_reqs *rs, const struct mod_version *try_upgrade, size_t ntry,
                  const struct mod_version *must_select, size_t nmust, struct mod_allow *allow, bool verbose,
                  struct mod_reqs **edited, bool *changed, struct mod_conflict **conflicts, size_t *nconflicts,
                  struct err *e);

/* mod_reqs_override is overrideRoots for one module version. */
struct mod_reqs *mod_reqs_override(struct load_state *ld, struct mod_reqs *rs, struct mod_version m);

/*
 * mod_reqs_keep_sums is keepSums(ld, rs, loadedZipSumsOnly or, with
 * build_list_zips, addBuildListZipSums): the go.sum keys to keep, as
 * "path version" and "path version/go.mod" strings into keep.
 * go_version is the loader's requirements' go version; tidy as ld.Tidy.
 */
void mod_reqs_keep_sums(struct load_state *ld, struct mod_reqs *rs, struct mod_lpkg *const *pkgs, size_t npkgs,
                        const char *go_version, bool tidy, struct map *keep);

/*
 * mod_reqs_gomod_text is UpdateGoModFromReqs: the main go.mod as it is
 * (*before) and with rs's requirements (*after), both heap.  -1 with e
 * set when the go version is too new for the toolchain.  added_go: the go
 * line loadModFile added in memory to a go.mod that had none (or NULL).
 * opts may be NULL.
 */
/* What WriteGoMod changes beyond the requirements (modload.WriteOpts). */
struct mod_write_opts {
	bool drop_toolchain;      /* go get toolchain@none */
	bool explicit_toolchain;  /* go get toolchain@v: kept even below go1.21 */
	const char *const *add_tools, *const *drop_tools;
	size_t nadd_tools, ndrop_tools;
};
int mod_reqs_gomod_text(struct load_state *ld, struct mod_reqs *rs, const char *added_go,
                        const struct mod_write_opts *opts, char **before, char **after, struct err *e);
/*
 * mod_reqs_gosum_text returns go.sum's current text (*before) and the
 * text WriteGoSum would write after TrimGoSum(keep) (*after): the old lines
 * kept, plus the sums of kept keys that the run computed (go.mod hashes
 * of the files read from the module cache, .ziphash files of modules
 * whose packages were looked at).  Old lines stay when keep_trim has them,
 * new ones when keep_new does (keep_trim NULL: every old line stays).  *dirty is WriteGoSum's test: a line is
 * dropped or added.  Heap strings.
 */
void mod_reqs_gosum_text(struct load_state *ld, const struct map *keep_trim, const struct map *keep_new,
                         char **before, char **after, bool *dirty);
/* mod_reqs_write_file replaces file with text atomically when it differs
 * (lockedfile.Transform's effect); "updating go.mod: ..." errors. */
int mod_reqs_write_file(const char *file, const char *what, const char *before, const char *after,
                        struct err *e);

#endif
