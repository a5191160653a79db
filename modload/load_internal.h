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
	bool err_bare;             /* the fatal error is printed without "go: " */
	/* internal/godebugs.All of the toolchain, read on first use by a main
	 * package (NULL with godebug_tried set when it cannot be read). */
	struct mod_godebug_table *godebug_table;
	bool godebug_tried;
	/* Vendor mode: vendored package path -> struct load_module * as
	 * vendor/modules.txt lists them (modload readVendorList). */
	struct map vendor_pkgs;
	bool mod_explicit;         /* -mod was given (cfg.BuildModExplicit) */
	const char *mod_reason;    /* cfg.BuildModReason, or NULL */
	struct map finding;        /* paths already announced "finding module for package" */
	struct map root_literals;  /* literal import-path patterns of the command line */
};

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
/* load_linking_reason is load.externalLinkingReason, or NULL. */
const char *load_linking_reason(struct load_state *ld);
/* load_default_godebug is defaultGODEBUG for a main package with dirs. */
const char *load_default_godebug(struct load_state *ld, const struct load_directive *dirs, size_t n);

/* Module setup (modinit.c). */
int load_modules_init(struct load_state *ld, struct err *e);
/* load_module_for_dir returns the main/replace module containing dir, or NULL. */
struct load_module *load_module_for_dir(struct load_state *ld, const char *dir, const char **modroot);

#endif
