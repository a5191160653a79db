/*
 * modload: go.mod / go.work parsing, module paths and semver, the module
 * graph, and package loading (file scan, build constraints, import
 * resolution, patterns).  Depends on runtime only.  Never spawns compilers
 * and never touches the build cache.
 *
 * Prefixes: mod_ for modules, load_ for packages.
 */
#ifndef GOTOOL_MODLOAD_MODLOAD_H
#define GOTOOL_MODLOAD_MODLOAD_H

#include "runtime/runtime.h"

/* ======================================================================
 * Semantic versions and module paths (golang.org/x/mod/semver, module)
 * ====================================================================== */

bool mod_semver_is_valid(const char *v);
/* mod_semver_compare: -1, 0, +1; an invalid version is less than any valid
 * one and equal to other invalid ones (semver.Compare). */
int mod_semver_compare(const char *v, const char *w);
/* mod_semver_canonical returns heap "vX.Y.Z[-pre]" (build stripped), or "" if invalid. */
char *mod_semver_canonical(const char *v);
char *mod_semver_major(const char *v);      /* heap "vX" or "" */
char *mod_semver_major_minor(const char *v);/* heap "vX.Y" or "" */
char *mod_semver_prerelease(const char *v); /* heap "-pre" or "" */
char *mod_semver_build(const char *v);      /* heap "+build" or "" */
bool mod_is_pseudo_version(const char *v);

/* Module path checks; on failure e holds go's message (module.CheckPath etc.). */
int mod_check_path(const char *path, struct err *e);
/* mod_has_path_prefix is str.HasPathPrefix: s is prefix or below it
 * ("a/b" has "a" and "a/", not "a/bc"'s "a/b"). */
bool mod_has_path_prefix(const char *s, const char *prefix);

/* mod_match_prefix_patterns is module.MatchPrefixPatterns (GOPRIVATE, GONOPROXY,
 * GONOSUMDB, GOINSECURE): a leading run of target's elements matches one of globs. */
bool mod_match_prefix_patterns(const char *globs, const char *target);
int mod_check_import_path(const char *path, struct err *e);
int mod_check_file_path(const char *path, struct err *e);
/* mod_check_path_major: the /vN or .vN suffix is consistent with version. */
int mod_check_path_major(const char *version, const char *pathmajor, struct err *e);
/* mod_split_path_version splits "a/b/v2" into prefix "a/b" and "/v2"
 * (gopkg.in: ".v2"); returns false if the path is malformed. Heap outputs. */
bool mod_split_path_version(const char *path, char **prefix, char **pathmajor);
/* Case-encoding for the module cache and proxy URLs ("!" + lowercase). */
int mod_escape_path(const char *path, char **out, struct err *e);
int mod_escape_version(const char *v, char **out, struct err *e);
int mod_unescape_path(const char *escaped, char **out, struct err *e);
/* mod_is_std_path: the first element has no dot (std / cmd lookup rule). */
bool mod_is_std_path(const char *path);

/* ======================================================================
 * go.mod and go.work files (golang.org/x/mod/modfile)
 * ====================================================================== */

struct mod_version {
	const char *path;
	const char *version; /* "" for a directory replacement / version-less */
};

struct mod_require {
	struct mod_version mod;
	bool indirect;
	int line;
};
struct mod_replace {
	struct mod_version old, new; /* new.version "" and new.path a dir: directory replace */
	int line;
};
struct mod_retract {
	const char *low, *high; /* equal for a single version */
	const char *rationale;
	int line;
};
struct mod_godebug {
	const char *key, *value;
	int line;
};
struct mod_use {               /* go.work use */
	const char *path;          /* as written (relative or absolute) */
	const char *module_path;   /* the module path comment, or "" */
	int line;
};

/*
 * A parsed go.mod (or go.work: then module is NULL and uses is used).
 * All strings live in the arena given to the parser.  Lines are 1-based.
 */
struct mod_file {
	const char *filename;
	const char *module;        /* module path, or NULL */
	const char *deprecated;    /* the module's // Deprecated: text, or NULL */
	int module_line;
	const char *go;            /* go version, or NULL */
	int go_line;
	const char *toolchain;     /* toolchain name ("go1.26.1"), or NULL */
	VEC(struct mod_require) requires;
	VEC(struct mod_version) excludes;
	VEC(struct mod_replace) replaces;
	VEC(struct mod_retract) retracts;
	VEC(struct mod_godebug) godebugs;
	VEC(const char *) tools;
	VEC(const char *) ignores;
	VEC(struct mod_use) uses;  /* go.work only */
	int toolchain_line;        /* (modfile section) line of the toolchain directive */
};

/*
 * mod_file_parse parses go.mod data.  strict is false for dependency
 * go.mod files (modfile.ParseLax: unknown directives ignored).  Errors are
 * formatted exactly as go prints them: "FILE:LINE: msg" lines joined by
 * "\n" (the caller adds "go: " / "go: errors parsing go.mod:\n" as go does).
 */
int mod_file_parse(struct arena *a, const char *filename, const char *data, size_t n,
                   bool strict, struct mod_file **out, struct err *e);
/* mod_work_parse parses go.work data (modfile.ParseWork). */
int mod_work_parse(struct arena *a, const char *filename, const char *data, size_t n,
                   struct mod_file **out, struct err *e);

/* ---- modfile section additions (modfile helper) ---- */

/*
 * A version fixer (modfile.VersionFixer), as cmd/go passes when parsing the
 * main module's go.mod (modload.fixVersion).  fix returns 0 with *fixed
 * (heap, caller frees); -1 with e set for an error printed after the
 * position only; or MOD_FIX_MODULE_ERR with e holding the inner text of a
 * module.ModuleError, which the parser prefixes with "verb path: ".
 */
#define MOD_FIX_MODULE_ERR (-2)
struct mod_version_fixer {
	int (*fix)(void *ctx, const char *path, const char *vers, char **fixed, struct err *e);
	void *ctx;
};
/* mod_file_parse_fix is mod_file_parse with a version fixer (modfile.Parse(file, data, fix)):
 * versions go through fix instead of the canonical-form check, and retract
 * intervals are re-checked against the module path (fixRetract). */
int mod_file_parse_fix(struct arena *a, const char *filename, const char *data, size_t n,
                       bool strict, const struct mod_version_fixer *fix, struct mod_file **out,
                       struct err *e);

/* ---- editing and printing (modedit.c: x/mod/modfile's rule.go, work.go, print.go) ---- */

struct mf_node;
struct mf_syntax;

/* One directive of an editable file; syntax is its line in the tree.  An
 * entry whose key (path, key, low/high) is NULL was dropped by an edit and
 * goes at the next mod_edit_cleanup. */
struct mod_edit_req {
	const char *path, *version;
	bool indirect;
	struct mf_node *syntax;
};
struct mod_edit_replace {
	struct mod_version old, new;
	struct mf_node *syntax;
};
struct mod_edit_retract {
	const char *low, *high, *rationale;
	struct mf_node *syntax;
};
struct mod_edit_godebug {
	const char *key, *value;
	struct mf_node *syntax;
};
struct mod_edit_path {         /* exclude (path, version), tool, ignore, use (path, module_path) */
	const char *path, *version;
	struct mf_node *syntax;
};
struct mod_edit_paths {
	struct mod_edit_path **v;
	size_t n, cap;
};

/*
 * An editable go.mod or go.work (modfile.File / WorkFile): the parsed
 * directives, each pointing at its line of the syntax tree.  Everything
 * lives in the arena; the vectors of pointers are heap (mod_edit_free).
 */
struct mod_edit {
	struct arena arena;
	struct mf_syntax *syntax;
	bool work;
	const char *module, *deprecated; /* module == NULL: no module line */
	struct mf_node *module_syntax;
	const char *go, *toolchain;      /* NULL when absent */
	struct mf_node *go_syntax, *toolchain_syntax;
	VEC(struct mod_edit_godebug *) godebugs;
	VEC(struct mod_edit_req *) requires;
	struct mod_edit_paths excludes;
	VEC(struct mod_edit_replace *) replaces;
	VEC(struct mod_edit_retract *) retracts;
	struct mod_edit_paths tools, ignores, uses;
};

/* mod_edit_parse parses go.mod (work: go.work) data as modfile.Parse(file, data, nil)
 * (ParseWork) does, keeping the syntax for editing.  *out is heap (mod_edit_free). */
int mod_edit_parse(const char *filename, const char *data, size_t n, bool work, struct mod_edit **out,
		   struct err *e);
/* mod_edit_parse_fix is mod_edit_parse for go.mod with a version fixer
 * (modfile.Parse(file, data, fix)). */
struct mod_version_fixer;
int mod_edit_parse_fix(const char *filename, const char *data, size_t n, const struct mod_version_fixer *fix,
		       struct mod_edit **out, struct err *e);
/* mod_edit_new returns an empty file (new(modfile.File)); heap, mod_edit_free. */
struct mod_edit *mod_edit_new(bool work);
void mod_edit_free(struct mod_edit *f);
/* mod_edit_format appends the file in standard form (modfile.Format) to out. */
void mod_edit_format(const struct mod_edit *f, struct buf *out);

/* mod_must_quote is modfile.MustQuote; mod_auto_quote (arena) is AutoQuote. */
bool mod_must_quote(const char *s);
const char *mod_auto_quote(struct arena *a, const char *s);
/* mod_strconv_quote appends strconv.Quote(s); mod_strconv_unquote is strconv.Unquote of
 * s[0..n) appended to out (-1: invalid syntax). */
void mod_strconv_quote(struct buf *b, const char *s);
int mod_strconv_unquote(const char *s, size_t n, struct buf *out);
/* mod_is_directory_path is modfile.IsDirectoryPath. */
bool mod_is_directory_path(const char *s);
/* mod_go_version_ok is modfile.GoVersionRE; mod_toolchain_ok is ToolchainRE. */
bool mod_go_version_ok(const char *s);
bool mod_toolchain_ok(const char *s);

/* The edit operations of modfile.File (go.mod) and WorkFile (go.work), with
 * the same names and effects.  Those returning int fail with go's error text
 * (to follow "go: -flag=arg: "); strings are copied. */
void mod_edit_add_module(struct mod_edit *f, const char *path);
void mod_edit_add_comment(struct mod_edit *f, const char *text);
int mod_edit_add_go(struct mod_edit *f, const char *version, struct err *e);
void mod_edit_drop_go(struct mod_edit *f);
int mod_edit_add_toolchain(struct mod_edit *f, const char *name, struct err *e);
void mod_edit_drop_toolchain(struct mod_edit *f);
void mod_edit_add_godebug(struct mod_edit *f, const char *key, const char *value);
void mod_edit_drop_godebug(struct mod_edit *f, const char *key);
void mod_edit_add_require(struct mod_edit *f, const char *path, const char *version);
void mod_edit_add_new_require(struct mod_edit *f, const char *path, const char *version, bool indirect);
/* mod_edit_set_require is File.SetRequire (reqs name each path at most once; their syntax is ignored). */
void mod_edit_set_require(struct mod_edit *f, const struct mod_edit_req *reqs, size_t n);
/* mod_edit_set_require_separate_indirect is File.SetRequireSeparateIndirect. */
void mod_edit_set_require_separate_indirect(struct mod_edit *f, const struct mod_edit_req *reqs, size_t n);
void mod_edit_drop_require(struct mod_edit *f, const char *path);
int mod_edit_add_exclude(struct mod_edit *f, const char *path, const char *version, struct err *e);
void mod_edit_drop_exclude(struct mod_edit *f, const char *path, const char *version);
void mod_edit_add_replace(struct mod_edit *f, const char *old_path, const char *old_vers,
			  const char *new_path, const char *new_vers);
void mod_edit_drop_replace(struct mod_edit *f, const char *old_path, const char *old_vers);
int mod_edit_add_retract(struct mod_edit *f, const char *low, const char *high, const char *rationale,
			 struct err *e);
void mod_edit_drop_retract(struct mod_edit *f, const char *low, const char *high);
void mod_edit_add_tool(struct mod_edit *f, const char *path);
void mod_edit_drop_tool(struct mod_edit *f, const char *path);
void mod_edit_add_ignore(struct mod_edit *f, const char *path);
void mod_edit_drop_ignore(struct mod_edit *f, const char *path);
void mod_edit_add_use(struct mod_edit *f, const char *dir, const char *module_path);
void mod_edit_drop_use(struct mod_edit *f, const char *dir);
/* mod_edit_sort_blocks is SortBlocks (with removeDups); mod_edit_cleanup is Cleanup. */
void mod_edit_sort_blocks(struct mod_edit *f);
void mod_edit_cleanup(struct mod_edit *f);

/* ---- default GODEBUG (modfile helper; cmd/go/internal/load/godebug.go) ---- */

/* One entry of internal/godebugs.All, as read from the toolchain's table.go. */
struct mod_godebug_info {
	const char *name, *package;
	int changed;          /* minor version whose default changed (21 = Go 1.21), or 0 */
	const char *old;      /* value restoring the behaviour before changed, or "" */
	bool opaque, immutable;
};
struct mod_godebug_removed {
	const char *name;
	int removed;          /* minor version of the removal */
};
struct mod_godebug_table;
struct load_directive;
/* mod_godebug_table_load reads $GOROOT/src/internal/godebugs/table.go (table in arena a). */
int mod_godebug_table_load(struct arena *a, const char *goroot, struct mod_godebug_table **out,
                           struct err *e);
/* mod_godebug_table_parse parses the text of a table.go (for tests and overlays). */
int mod_godebug_table_parse(struct arena *a, const char *data, size_t n,
                            struct mod_godebug_table **out, struct err *e);
/* mod_godebug_lookup is godebugs.Lookup: the entry for name, or NULL (borrowed). */
const struct mod_godebug_info *mod_godebug_lookup(const struct mod_godebug_table *t, const char *name);
/* mod_godebug_table_all returns the entries in table order (borrowed). */
size_t mod_godebug_table_all(const struct mod_godebug_table *t, const struct mod_godebug_info **out);
/*
 * mod_godebug_check is modload.CheckGodebug: verb is "godebug" for go.mod /
 * go.work lines and "//go:debug setting" for directives; local is the
 * toolchain's version without "go" (gover.Local(), e.g. "1.26.8").  The
 * message is bare: go.mod callers print "error loading go.mod:
FILE:LINE: MSG".
 */
int mod_godebug_check(const struct mod_godebug_table *t, const char *verb, const char *k,
                      const char *v, const char *local, struct err *e);
/*
 * mod_parse_go_debug is load.ParseGoDebug for one directive text.
 * *is_debug is false (and 0 returned) for a line that is not a //go:debug
 * line (ErrNotGoDebug); otherwise *key and *value (arena) or -1 with e set to
 * the bare reason (the build prints "POS: invalid //go:debug: MSG").
 */
int mod_parse_go_debug(struct arena *a, const struct mod_godebug_table *t, const char *text,
                       const char *local, bool *is_debug, const char **key, const char **value,
                       struct err *e);
/*
 * mod_godebug_default is load.defaultGODEBUG for a main package: go_version
 * is the main module's (or go.work's) go version, fips140 whether GOFIPS140
 * is not "off", godebugs the main go.mod / go.work godebug lines, dirs the
 * package's //go:debug directives (Directives, then test and xtest ones, in
 * that order).  *out is the arena string ("" when nothing applies).  The
 * caller returns "" itself for non-main packages.
 */
int mod_godebug_default(struct arena *a, const struct mod_godebug_table *t, const char *go_version,
                        bool fips140, const struct mod_godebug *godebugs, size_t n,
                        const struct load_directive *dirs, size_t ndirs, const char *local,
                        const char **out, struct err *e);

/* ======================================================================
 * Build constraints and Go file headers (go/build, go/build/constraint)
 * ====================================================================== */

/*
 * A set of consulted tags (go/build's AllTags) is a struct map whose keys
 * are interned or arena strings; pass NULL when not needed.
 */

/* load_match_tag reports whether tag is satisfied in ctx (go/build matchTag),
 * recording it (and aliases consulted) in all_tags when non-NULL. */
bool load_match_tag(const struct buildctx *ctx, const char *tag, struct map *all_tags, struct arena *a);

/* load_good_os_arch_file applies the implicit *_GOOS_GOARCH file-name
 * constraint (goodOSArchFile). */
bool load_good_os_arch_file(const struct buildctx *ctx, const char *name, struct map *all_tags, struct arena *a);

/*
 * load_eval_build_lines evaluates the constraints in a file's leading
 * comment block (header text): //go:build if present, else all
 * "// +build" lines.  *ok receives the result; returns -1 with e set for
 * a malformed constraint (go's text, e.g. "parsing //go:build line: ...")
 * or multiple //go:build lines.  binary_only is set when the block holds
 * //go:binary-only-package.
 */
int load_eval_build_lines(const struct buildctx *ctx, const char *header, size_t n,
                          bool *ok, bool *binary_only, struct map *all_tags, struct arena *a,
                          struct err *e);
/* load_eval_build_lines_memo is load_eval_build_lines without tag recording,
 * keeping each //go:build line's answer in memo (line text -> arena answer;
 * one build context per memo): most files share a few lines. */
int load_eval_build_lines_memo(const struct buildctx *ctx, const char *header, size_t n,
                               bool *ok, bool *binary_only, struct map *memo, struct arena *a,
                               struct err *e);

/* Evaluate one //go:build expression text (without the "//go:build" prefix). */
int load_eval_go_build_expr(const struct buildctx *ctx, const char *expr, bool *ok,
                            struct map *all_tags, struct arena *a, struct err *e);

struct load_import_spec {
	const char *path;     /* unquoted */
	int line, col;        /* position of the path string */
	const char *doc;      /* doc comment text (the cgo preamble for "C"), or NULL */
};
struct load_embed_spec {
	const char *pattern;
	int line, col;
};
struct load_directive {
	const char *text;     /* full comment text, e.g. "//go:debug x=1" */
	int line, col;
};

/*
 * What the header reader and the imports-only parse learn from one Go file
 * (go/build readGoInfo + parser.ImportsOnly).  All strings in the arena.
 */
struct load_gofile {
	const char *pkg_name;       /* package clause name, or NULL if unparsable */
	int pkg_line, pkg_col;
	const char *doc;            /* package doc comment text (go/ast CommentGroup.Text()), or NULL */
	const char *header;         /* the bytes of the header (for constraint evaluation) */
	size_t header_len;
	VEC(struct load_import_spec) imports; /* in source order */
	VEC(struct load_embed_spec) embeds;   /* only when the file imports "embed" */
	VEC(struct load_directive) directives;/* //go: lines before the package clause */
	/* A parse error makes the file invalid but it is still listed:
	 * "FILE:LINE:COL: msg" text (FILE as given to the reader). */
	const char *parse_error;
	/* The parts of parse_error, so the caller can print the position with
	 * a cwd-relative file name as cmd/go does for go/parser errors. */
	int parse_error_line, parse_error_col;
	const char *parse_error_msg;
	/* parse_error_plain: go reports this error (invalid import path) as a
	 * plain error with no Pos, its text naming FILE as given. */
	bool parse_error_plain;
	/* A read error ("read FILE: unexpected NUL in input") stops the file. */
	const char *read_error;
};

/*
 * load_read_gofile reads a .go file's header as go/build does.  filename is
 * used in messages (go uses the path relative to cwd for positions).
 * data/n is the whole file.  Returns 0 (errors are recorded in the struct).
 */
int load_read_gofile(struct arena *a, const char *filename, const char *data, size_t n,
                     struct load_gofile *out);
/* load_package_clause is parser.ParseFile(src, parser.PackageClauseOnly)
 * as go generate calls it: true with *name (arena) when the file's first
 * tokens, comments aside, are a valid package clause; false for any
 * syntax error up to the token after it. */
bool load_package_clause(struct arena *a, const char *data, size_t n, const char **name);
/* load_read_comments returns the length of the leading comment block of a
 * non-Go file (go/build readComments). */
size_t load_read_comments(const char *data, size_t n);
/* load_gofile_release frees the heap arrays of out's VECs (the strings
 * stay in the arena).  Added by the constraint/header area. */
void load_gofile_release(struct load_gofile *f);

/* load_should_build_any_tags is imports.ShouldBuild(header, AnyTags()): the
 * //go:build line (else the +build lines) with every tag but "ignore" both
 * set and unset; false for a malformed header. */
bool load_should_build_any_tags(struct arena *a, const char *header, size_t n);

/* load_doc_synopsis returns go/doc's Synopsis of package doc text (arena). */
const char *load_doc_synopsis(struct arena *a, const char *doc);

/* cgo #cgo directive results for one package (go/build saveCgo). */
struct load_cgo_flags {
	struct strvec cflags, cppflags, cxxflags, fflags, ldflags, pkgconfig;
};
/* load_save_cgo parses the #cgo lines of a preamble; filename for messages,
 * pkgdir for ${SRCDIR} and relative -I/-L. */
int load_save_cgo(const struct buildctx *ctx, const char *filename, const char *pkgdir,
                  const char *preamble, struct load_cgo_flags *out, struct map *all_tags,
                  struct arena *a, struct err *e);

/* Known GOOS / GOARCH / unix lists (internal/syslist). */
bool load_known_os(const char *s);
bool load_known_arch(const char *s);
bool load_unix_os(const char *s);

/* ======================================================================
 * Package loading (cmd/go/internal/load + modload's package side)
 * ====================================================================== */

/* An arena-backed list of strings (never freed one by one). */
struct load_strs {
	const char **v;
	size_t n, cap;
};
void load_strs_push(struct arena *a, struct load_strs *l, const char *s);
void load_strs_sort(struct load_strs *l);
bool load_strs_contains(const struct load_strs *l, const char *s);

/* A module as `go list` reports it (modinfo.ModulePublic, the subset
 * the loader knows without the module graph). */
struct load_module {
	const char *path;
	const char *version;      /* "" for main modules and directory replacements */
	const char *dir;          /* root directory */
	const char *gomod;        /* path of its go.mod (main module: the -modfile
	                           * path as given, when set) */
	const char *gosum;        /* main modules: its go.sum (gomod's ".mod" made
	                           * ".sum" with -modfile), else NULL */
	const char *go_version;   /* its go line, or "" */
	bool main;
	struct load_module *replace; /* for a replaced module: the replacement */
	struct mod_file *file;    /* parsed go.mod (main modules), or NULL */
	bool indirect;            /* not a direct requirement of the main module(s) */
	bool vendored_pkgs;       /* vendor mode: modules.txt lists packages of it (vendorList) */
	bool vendor_explicit;     /* vendor mode: "## explicit" in modules.txt */
	bool zip_checked;         /* its zip is in ld->zips_checked (load_module_dir) */
	/* dependency modules (modgraph.c): */
	const char *time;         /* the .info file's Time, or NULL */
	const char *sum, *gomod_sum; /* go.sum's h1: lines, or "" / NULL */
	const char *error;        /* ModuleError text (no .info in the cache), or NULL */
	/* list -m's additions (cmd/listmod.c over modload/query.c): */
	const char *query;        /* the query that resolved it (Query), or NULL */
	struct load_strs *versions; /* -versions (Versions), or NULL */
	struct load_module *update; /* -u (Update), or NULL */
	struct load_strs *retracted; /* Retracted, or NULL */
	const char *deprecated;   /* Deprecated, or NULL */
};

/* A PackageError (cmd/go/internal/load): Error() text is load_error_text. */
struct load_error {
	struct load_strs import_stack;
	const char *pos;          /* "" or "file:line:col" */
	const char *err;
	bool is_import_cycle;
	bool always_print_stack;  /* internal/vendor/main import errors */
	bool cycle_from_files;    /* 1.26: stack printed as "PKG from FILE" */
	struct load_strs stack_files; /* parallel to import_stack when cycle_from_files */
};
/* load_error_text returns what PackageError.Error() prints (arena). */
const char *load_error_text(struct arena *a, const struct load_error *e);

struct load_pos {
	const char *file;        /* path relative to cwd when shorter (as go prints) */
	int line, col;
};

/* A list of packages. */
struct load_pkgs {
	struct load_pkg **v;
	size_t n, cap;
};

/* A package (load.Package: PackagePublic + what the loader needs). */
struct load_pkg {
	/* PackagePublic, in go list -json order */
	const char *dir, *import_path, *import_comment, *name, *doc, *target, *shlib, *root;
	const char *conflict_dir, *for_test, *export, *build_id;
	struct load_module *module;
	struct load_strs match;
	bool goroot, standard, dep_only, binary_only, incomplete;
	const char *default_godebug;
	bool stale;
	const char *stale_reason;
	struct load_strs go_files, cgo_files, compiled_go_files, ignored_go_files, invalid_go_files,
		ignored_other_files, c_files, cxx_files, m_files, h_files, f_files, s_files, swig_files,
		swigcxx_files, syso_files, embed_patterns, embed_files;
	struct load_strs cgo_cflags, cgo_cppflags, cgo_cxxflags, cgo_fflags, cgo_ldflags, cgo_pkgconfig;
	struct load_strs imports;
	struct load_strs import_map_keys, import_map_vals; /* parallel, sorted by key */
	struct load_strs deps;
	struct load_error *error;
	struct {
		struct load_error **v;
		size_t n, cap;
	} deps_errors;
	struct load_strs test_go_files, test_imports, test_embed_patterns, test_embed_files;
	struct load_strs xtest_go_files, xtest_imports, xtest_embed_patterns, xtest_embed_files;

	/* internal */
	const char *for_main;       /* PGO fork: the main package it is compiled for */
	const char *pgo_profile;    /* default.pgo applied, or "" */
	bool test_variant;          /* made by load_test_packages (not in the package cache) */
	bool force_library;         /* Internal.ForceLibrary: ptest and the test copies */
	bool test_imports_ptest;    /* a test main that imports the package under test */
	struct load_strs raw_imports;      /* Imports before resolution (RawImports) */
	struct load_pkgs internal_imports; /* resolved, incl. implicit, in load order */
	struct map import_pos;      /* raw path -> struct load_pos* (first position) */
	struct map test_import_pos, xtest_import_pos;
	struct map embed_pos;       /* pattern -> struct load_pos* */
	struct map test_embed_pos, xtest_embed_pos;
	VEC(struct load_directive) directives, test_directives, xtest_directives;
	struct load_strs all_tags;
	int state;                  /* 0 new, 1 loading imports, 2 done */
	bool cmdline_files;         /* command-line-arguments package */
	bool cmdline_pkg;           /* named on the command line */
	bool local;                 /* named by a directory */
	bool no_go;                 /* the scan found no Go files (NoGoError) */
	bool scanned;               /* the directory scan already ran (pattern matching) */
	int scan_kind;              /* its enum scan_err */
	const char *scan_err, *scan_pos;
	const char *mod_root;       /* root of the module (or GOROOT/src[/cmd]) */
};

/* What a list/build request asks the loader for. */
struct load_opts {
	bool deps;            /* -deps: also report dependencies */
	bool test;            /* -test */
	bool find;            /* -find: do not load imports */
	bool ignore_embed;    /* skip embed resolution (-json field list without embed fields) */
	bool no_doc;          /* leave Doc empty: only list prints it (build, test, vet) */
	const char *mod_flag; /* -mod value or NULL */
	bool mod_default;     /* mod_flag is the command's own mode (go mod
	                       * vendor's readonly), not a -mod flag */
	const char *modfile;  /* -modfile value or NULL */
	/* -mod=mod: the answers load_resolve_missing gave an earlier load
	 * (import path, error text pairs), for the imports still missing */
	struct strvec missing_errs;
	/* EnterModule: this directory's go.mod is the single main module,
	 * whatever GOWORK says (the current directory stays), or NULL */
	const char *enter_modroot;
	bool x;               /* -x: report directories skipped by go.mod ignore lines */
	bool no_workfile;     /* the command never uses go.work (it does not call
	                       * InitWorkfile: mod tidy, get) */
	bool work_cmd;        /* a "work " command (cfg.CmdName): a workspace module
	                       * newer than go.work's go line is not refused */
	bool cover;           /* -cover (cfg.BuildCover): main packages and test mains link
	                       * runtime/coverage, test mains import internal/coverage/cfile,
	                       * and every tested package gets a test copy (TestCover.Local) */
	const char *instrument_pkg; /* -race/-msan/-asan: "runtime/race", "runtime/msan" or
	                             * "runtime/asan", which main packages and test mains
	                             * link (LinkerDeps); NULL otherwise */
	/*
	 * embed resolves //go:embed patterns into files (the embed room, handed
	 * in by cmd so that modload does not depend on embed).  NULL skips
	 * EmbedFiles, as go does when they are not needed.  Returns 0, or -1
	 * with *msg set to go's text and *bad to the failing pattern's index.
	 */
	int (*embed)(void *ctx, struct arena *a, const char *dir, const char *const *patterns,
	             size_t n, struct load_strs *files, size_t *bad, const char **msg);
	void *embed_ctx;
	/*
	 * linkmode answers externalLinkingReason's -ldflags scan for main
	 * package p (BuildLdflags.For(p), the last -linkmode wins): the flag
	 * that forces external linking ("-linkmode=external" or "-linkmode"),
	 * or NULL.  cmd hands it in (the per-package flags live in link);
	 * NULL: no -ldflags.
	 */
	const char *(*linkmode)(void *ctx, const struct load_pkg *p);
	void *linkmode_ctx;
};

struct load_state;

/*
 * load_state_new prepares a loader for one invocation: finds the main
 * module(s) from cwd (go.mod / go.work, GOWORK, GO111MODULE) and parses
 * them.  Fatal-in-go problems (malformed go.mod) return -1 with e set to
 * go's full message (without the "go: " prefix).
 */
int load_state_new(const struct cfg *cfg, const struct load_opts *opts, struct load_state **out, struct err *e);
void load_state_free(struct load_state *ld);
struct arena *load_arena(struct load_state *ld);
/* load_missing_imports reports whether, with -mod=mod, an import had no
 * module: LoadPackages' resolveMissingImports is then to run
 * (load_resolve_missing) before the packages are loaded again. */
bool load_missing_imports(struct load_state *ld);
/* load_resolve_missing is resolveMissingImports from the packages roots
 * (import paths; tests: theirs too; all: the pattern "all" was named, with
 * the tests it closes over below go 1.16): the modules providing the missing
 * packages are queried (@latest, "finding module for package", "found P
 * in M V") and added to go.mod (*changed: written, under the side lock).
 * The imports no module was found for go into errs as (path, error text)
 * pairs: load_opts.missing_errs of the next load.  -1: an error was printed. */
int load_resolve_missing(struct load_state *ld, const struct load_strs *roots, bool tests, bool all,
                         struct strvec *errs, bool *changed);
/* load_packages_resolving is load_packages as LoadPackages runs it with
 * -mod=mod: when an import has no module, the queries run
 * (load_resolve_missing), and *ldp is made again (cfg, opts) to load the
 * packages over the go.mod they wrote. */
int load_packages_resolving(struct load_state **ldp, const struct cfg *cfg, const struct load_opts *opts,
                            char *const *patterns, size_t npatterns, struct load_pkgs *out, struct err *e);
/* load_gomod_dirty_error is errGoModDirty's text for ld's -mod (explicit,
 * with its reason, or the default); returns -1. */
int load_gomod_dirty_error(struct load_state *ld, struct err *e);
/* load_check_gomod_clean is commitRequirements' check outside -mod=mod
 * for a single main module: go.mod would change (a required version
 * excluded, or a root the loaded module graph selects at another
 * version): -1 with errGoModDirty. */
int load_check_gomod_clean(struct load_state *ld, struct err *e);
/* load_expand_graph is expandGraph after LoadModGraph: when a root of the
 * single main module is not what *g selects, the roots are updated
 * (updateRoots) and *g is their graph; with commit and -mod=mod they are
 * written to go.mod as commitRequirements writes them. */
struct mod_graph;
int load_expand_graph(struct load_state *ld, struct mod_graph **g, bool commit, struct err *e);
/* load_write_fixed_gomod is WriteGoMod's go.mod half for requirements
 * that did not change: with -mod=mod a single main go.mod whose versions
 * needed fixing (a query answered a non-canonical one) is written. */
int load_write_fixed_gomod(struct load_state *ld, struct err *e);
/* load_no_main_modules_error is noMainModulesError's text: no go.mod, or
 * (in workspace mode) a go.work that uses no module. */
const char *load_no_main_modules_error(struct load_state *ld);
/* load_tools adds to out the tools the main modules declare
 * (MainModules.Tools), each once, sorted. */
void load_tools(struct load_state *ld, struct load_strs *out);
/* load_path_exec_name is DefaultExecName of a package path: its last
 * element, or the one before a major version suffix (arena). */
const char *load_path_exec_name(struct load_state *ld, const char *import_path);
/* load_main_modules returns the main modules in go.work order (or the one). */
size_t load_main_modules(struct load_state *ld, struct load_module ***out);
/* load_workspace_mode reports whether a go.work file is in use. */
bool load_workspace_mode(struct load_state *ld);
/* load_has_modroot reports whether there is a main module (go.mod found). */
bool load_has_modroot(struct load_state *ld);
/* load_mod_mode is cfg.BuildMod after LoadModFile ("mod", "readonly" or
 * "vendor"), with cfg.BuildModReason (NULL when none) in *reason. */
const char *load_mod_mode(struct load_state *ld, const char **reason);
/* load_vendor_module is the module vendor/modules.txt lists for path in
 * vendor mode (moduleInfo's fields: no Dir or GoMod), or NULL. */
struct load_module *load_vendor_module(struct load_state *ld, const char *path);
/* load_vendor_selected is the vendor-mode module graph's Selected(path):
 * a module vendor/modules.txt lists packages of, or a root of the single
 * main module (the requirements computed, as loadModFile does, with their
 * exclusion warnings); NULL for none. */
struct load_module *load_vendor_selected(struct load_state *ld, const char *path);

/*
 * load_packages resolves patterns to packages and loads them (and their
 * imports unless opts->find), in go list's order.  Pattern-level problems
 * ("matched no packages" warnings, bad patterns) are printed/recorded as go
 * does; out receives the root packages in command-line order, deduplicated.
 * Returns -1 with e set only for problems go treats as fatal.
 */
int load_packages(struct load_state *ld, char *const *patterns, size_t npatterns,
                  struct load_pkgs *out, struct err *e);
/* ---- loader fixes area (helper loadfix) ---- */
/* load_error_bare reports whether the error load_packages just returned is
 * one go prints without the "go: " prefix (base.Fatalf of GoFilesPackage). */
bool load_error_bare(struct load_state *ld);

/* load_package_list_deps returns every package reachable from roots in
 * go list -deps order (post-order DFS), roots included. */
void load_package_list_deps(struct load_state *ld, struct load_pkg *const *roots, size_t n,
                            struct load_pkgs *out);
/*
 * load_apply_pgo mirrors load.setPGOProfilePath for -pgo=auto (pgo "auto"),
 * "off" or a file: with more than one root, each main package that has a
 * default.pgo gets its own forked copy of its dependency graph.
 */
void load_apply_pgo(struct load_state *ld, struct load_pkgs *roots, const char *pgo);
/* load_rename_forks gives forked packages their listing names
 * ("p [main]") and rewrites Imports to match, as go list does. */
void load_rename_forks(struct load_state *ld, struct load_pkgs *all);

/*
 * load_ensure_import mirrors load.EnsureImport (go1.26): path is loaded as
 * an import of p and appended to p's internal imports.  Like go, which
 * compares the package *name* with the path, it is appended even when p
 * imports it already.  Returns -1 with e set to go's "load PATH: ERR"
 * when it cannot be loaded.
 */
int load_ensure_import(struct load_state *ld, struct load_pkg *p, const char *path, struct err *e);

/*
 * load_test_packages mirrors load.TestPackagesAndErrors: *pmain is p.test,
 * *ptest p with its _test.go files (p itself when it has none and is not
 * main), *pxtest the external test package or NULL.  The test copies of
 * packages between them are made as recompileForTest makes them.
 */
void load_test_packages(struct load_state *ld, struct load_pkg *p, struct load_pkg **pmain,
                        struct load_pkg **ptest, struct load_pkg **pxtest);
/* load_set_testmain_error records an error from loading the test
 * functions on pmain (pos "" unless it is a syntax error). */
void load_set_testmain_error(struct load_state *ld, struct load_pkg *pmain, struct load_pkg *p,
                             const char *pos, const char *msg);

/* load_collect_deps fills Deps and/or DepsErrors of every package of a
 * post-order list (load_package_list_deps order), as go list does. */
void load_collect_deps(struct load_state *ld, struct load_pkgs *all, bool deps, bool errs);
/* load_resolve_test_imports rewrites TestImports/XTestImports to resolved
 * (vendor-expanded) paths for listing. */
void load_resolve_test_imports(struct load_state *ld, struct load_pkg *p);
/* load_default_exec_name is Package.DefaultExecName (arena string). */
const char *load_default_exec_name(struct load_state *ld, const struct load_pkg *p);
/* load_short_path is base.ShortPath: the cwd-relative path when shorter (arena). */
const char *load_short_path(struct load_state *ld, const char *path);

/* ======================================================================
 * Package patterns (cmd/internal/pkgpattern, cmd/go/internal/search)
 * (helper "embed": modload/pattern.c)
 * ====================================================================== */

/* load_pattern_match is pkgpattern.MatchPattern(pattern)(name): "..." is a
 * wildcard, a trailing "/..." may match nothing, and wildcards never match
 * a vendor element of a vendored package path. */
bool load_pattern_match(const char *pattern, const char *name);
/* load_pattern_tree_can_match is pkgpattern.TreeCanMatchPattern(pattern)(dir):
 * whether dir or a directory below it could match pattern. */
bool load_pattern_tree_can_match(const char *pattern, const char *dir);
/* load_pattern_is_meta reports whether p is std, cmd, all, tool or work. */
bool load_pattern_is_meta(const char *p);
/* load_pattern_is_local is build.IsLocalImport: ".", "..", "./x" or "../x". */
bool load_pattern_is_local(const char *p);
/* load_clean_patterns is search.CleanPatterns: appends the canonical form of
 * each argument (heap copies) to out, or "." when n == 0; returns 0. */
int load_clean_patterns(char *const *args, size_t n, struct strvec *out);

/* ======================================================================
 * The module graph (cmd/go/internal/mvs, modload/buildlist.go; modgraph.c)
 * ====================================================================== */

struct mod_graph;
/* mod_compare_version is gover.ModCompare: semver, or go versions for the
 * "go" and "toolchain" paths. */
int mod_compare_version(const char *path, const char *v, const char *w);
/* mod_sort_versions is gover.ModSort for a list of distinct versions. */
void mod_sort_versions(struct mod_version *v, size_t n);
/* mod_graph_new is mvs.NewGraph with modload's cmpVersion: for the paths in
 * mains (borrowed) version "" is the highest.  Arena a; free the heap part
 * with mod_graph_free. */
struct mod_graph *mod_graph_new(struct arena *a, const char *const *mains, size_t nmains,
                                const struct mod_version *roots, size_t n);
void mod_graph_free(struct mod_graph *g);
/* mod_graph_require is Graph.Require: m's requirements (copied); m must be
 * reachable and not yet required. */
void mod_graph_require(struct mod_graph *g, struct mod_version m, const struct mod_version *reqs, size_t n);
/* mod_graph_required_by is Graph.RequiredBy (borrowed). */
bool mod_graph_required_by(const struct mod_graph *g, struct mod_version m, const struct mod_version **reqs,
                           size_t *n);
/* mod_graph_selected is Graph.Selected: the version, or "none". */
const char *mod_graph_selected(const struct mod_graph *g, const char *path);
/* mod_graph_build_list is Graph.BuildList: roots first, then by ModSort (arena). */
size_t mod_graph_build_list(const struct mod_graph *g, struct mod_version **out);
/* mod_graph_match is ListModules' loop for an "all" or "..." argument: the
 * modules of g's build list (not go or toolchain) that arg matches and no
 * earlier argument matched, in build-list order, in *out (arena). seen
 * (keys "path@version") carries the matches from one argument to the
 * next. None new is go's "matched no module dependencies" warning. */
size_t mod_graph_match(const struct mod_graph *g, const char *arg, struct map *seen, struct mod_version **out);
/* mod_graph_walk is Graph.WalkBreadthFirst. */
void mod_graph_walk(const struct mod_graph *g, void (*fn)(void *ctx, struct mod_version m), void *ctx);
/* mod_graph_find_path is Graph.FindPath: the breadth-first path from a root
 * to the first module f accepts (arena), or 0. */
size_t mod_graph_find_path(const struct mod_graph *g, bool (*f)(void *ctx, struct mod_version m), void *ctx,
                           struct mod_version **out);
/*
 * load_module_graph is modload.LoadModGraph(goVersion) for the single main
 * module (go_version NULL: the go.mod's): readModGraph with graph pruning,
 * replacements and excludes.  *out is set even on error (-1, e holding
 * go's BuildListError text, without "go: ").  Workspaces and vendor mode
 * are refused ("not supported yet").
 */
int load_module_graph(struct load_state *ld, const char *go_version, struct mod_graph **out, struct err *e);
/* load_module_complete is completeFromModCache's Query for a dependency
 * go list -m reports: the version's .info fetched when missing (Time, or
 * Error).  Nothing is fetched with GOPROXY=off. */
void load_module_complete(struct load_state *ld, struct load_module *m);
/* load_write_gosum is commitRequirements' WriteGoSum after a -mod=mod
 * load: the sums added while loading, kept as keepSums keeps them with
 * addBuildListZipSums, written under the module cache's side lock. */
int load_write_gosum(struct load_state *ld, struct err *e);
struct mod_gosum;
struct mod_fetch;
/* load_module_replacement is Replacement(m): the replace directive that
 * applies to m (go.work's first in workspace mode, exact version first),
 * or NULL. */
const struct mod_replace *load_module_replacement(struct load_state *ld, struct mod_version m);
/* load_gosum returns the main module's go.sum (in workspace mode
 * go.work.sum, the workspace modules' go.sum files attached), read on
 * first use. */
struct mod_gosum *load_gosum(struct load_state *ld);
/* load_set_fetcher_take makes f the loader's fetcher (ld frees it), so the
 * module graph's go.mod files are fetched and checked by the command's own
 * fetcher over the same go.sum (go has one Fetcher per invocation); before
 * the loader made one of its own. */
void load_set_fetcher_take(struct load_state *ld, struct mod_fetch *f);
/* load_dep_module returns path@version (a dependency) as go list reports
 * it: replacement, Dir, GoMod, GoVersion, Time, sums (arena, cached). */
struct load_module *load_dep_module(struct load_state *ld, const char *path, const char *version);

/* ======================================================================
 * go mod tidy and go mod why (tidy.c, requirements.c; textdiff.c)
 * ====================================================================== */

struct mod_tidy_opts {
	bool e, v, x, diff;
	const char *go, *compat;  /* NULL or "" when not given */
	const char *modfile;      /* -modfile, or NULL */
};
/* mod_tidy is go mod tidy (modcmd/tidy.go + modload.LoadPackages with
 * Tidy): errors are printed as go prints them; returns the exit status. */
int mod_tidy(const struct cfg *cfg, const struct mod_tidy_opts *o);
/* mod_why is go mod why [-m] [-vendor] [-modfile] args: prints the stanzas; returns
 * the exit status. */
int mod_why(const struct cfg *cfg, bool m, bool vendor, const char *modfile, char *const *args, size_t nargs);
/* mod_work_sync is go work sync up to the go.work update (workcmd/sync.go,
 * worksync.c): each workspace module's go.mod and go.sum written as go
 * writes them; *gowork (heap) go.work's path and *go_v (heap, "" when
 * none) the highest go version of the modules.  Returns 0, or the exit
 * status after go's errors. */
int mod_work_sync(const struct cfg *cfg, char **gowork, char **go_v);
struct mod_get_opts {
	bool t, v, x, tool;
	const char *u;            /* "", "upgrade" or "patch" */
	/* too_new is toolchain.SwitchOrFatal for a gover.TooNewError (what
	 * needs go >= need; msg its text): it does not return.  NULL: msg is
	 * reported as an error. */
	void (*too_new)(void *ctx, const char *what, const char *need, const char *msg);
	void *too_new_ctx;
	bool can_switch;          /* Switcher.NeedSwitch's GOTOOLCHAIN half: auto or path */
	const char *modfile;      /* -modfile, or NULL */
};
/* mod_get is go get in module mode (modget, get.c): prints as go does;
 * returns the exit status. */
int mod_get(const struct cfg *cfg, const struct mod_get_opts *o, char *const *args, size_t nargs);
struct mod_vendor_opts {
	bool e, v;
	const char *out;          /* -o, or NULL */
	const char *modfile;      /* -modfile, or NULL */
	/* the embed room's resolver (load_opts.embed's signature) */
	int (*embed)(void *ctx, struct arena *a, const char *dir, const char *const *patterns,
	             size_t n, struct load_strs *files, size_t *bad, const char **msg);
	void *embed_ctx;
};
/* mod_vendor is go mod vendor (modcmd/vendor.go) with nargs arguments
 * (refused after the workspace check, as go does): errors are printed as
 * go prints them; returns the exit status. */
int mod_vendor(const struct cfg *cfg, const struct mod_vendor_opts *o, size_t nargs);
/* mod_work_vendor is go work vendor (workcmd/vendor.go: RunVendor in
 * workspace mode) once the caller has found go.work: vendor/ beside
 * go.work for every workspace module; returns the exit status. */
int mod_work_vendor(const struct cfg *cfg, const struct mod_vendor_opts *o, size_t nargs);
/* mod_text_diff appends internal/diff.Diff's unified diff of old and new_
 * to out (nothing when they are equal). */
void mod_text_diff(const char *old_name, const char *old, const char *new_name, const char *new_, struct buf *out);

/* ======================================================================
 * Finding go.mod and go.work (toolchain/env area; findModuleRoot,
 * findWorkspaceFile)
 * ====================================================================== */

/* mod_find_gomod returns the heap path of the go.mod found from dir upward, or NULL. */
char *mod_find_gomod(const char *dir);
/* mod_find_main_gomod is mod_find_gomod for the main module's go.mod
 * (findModuleRoot as modload.Init uses it): a go.mod in the system temp
 * directory itself is ignored, with go's warning. */
char *mod_find_main_gomod(const char *dir);
/* mod_find_gowork returns the heap path of the go.work found from dir upward, or NULL. */
char *mod_find_gowork(const char *dir);
/* mod_find_gowork_goroot is mod_find_gowork that, like go, never looks in
 * goroot or above it when coming from inside goroot. */
char *mod_find_gowork_goroot(const char *dir, const char *goroot);

/* ---- VCS stamping (helper b2) ---- */
struct mod_vcs_stamp {
	const char *vcs;       /* "git", or NULL: no stamp */
	const char *revision;  /* full hash, or "" when the repository has no commits yet */
	const char *time;      /* commit time, UTC RFC3339Nano ("2024-01-02T03:04:05Z"), or "" */
	bool modified;
	const char *version;   /* main module version from VCS ("v1.5.0", pseudo-version,
	                          "+dirty" suffix), or NULL: keep "(devel)" */
};
/* mod_vcs_stamp decides and computes the stamp as setBuildInfo does for a main package in
 * directory pkg_dir of main module mod_path rooted at mod_root, the go command running in cwd,
 * with -buildvcs mode ("auto", "true", "false"); strings are allocated in arena a.  Returns 0
 * (out->vcs NULL when there is nothing to stamp), or -1 with e set to go's error text.
 * GOPROXY is taken from the process environment (see mod_vcs_stamp_proxy). */
int mod_vcs_stamp(struct arena *a, const char *mode, const char *cwd, const char *pkg_dir,
                  const char *mod_path, const char *mod_root, const char *gomodcache,
                  struct mod_vcs_stamp *out, struct err *e);
/* mod_vcs_stamp_proxy is mod_vcs_stamp with the effective GOPROXY given (NULL: unset): with
 * GOPROXY=off go reuses a pseudo-version cached in $GOMODCACHE for the same commit. */
int mod_vcs_stamp_proxy(struct arena *a, const char *mode, const char *cwd, const char *pkg_dir,
                        const char *mod_path, const char *mod_root, const char *gomodcache,
                        const char *goproxy, struct mod_vcs_stamp *out, struct err *e);
/* ---- end VCS ---- */


/* ======================================================================
 * Module zips, the module cache and go.sum (cmd/go/internal/modfetch,
 * golang.org/x/mod/zip, sumdb/dirhash).  No network: callers hand in files.
 * modzip.c: the zip reader, zip checks, Unzip, the h1 hashes;
 * modfetch.c: cache paths, locks, extraction into the cache, go.sum.
 * ====================================================================== */

/* The limits of golang.org/x/mod/zip. */
#define MOD_MAX_ZIP_FILE ((uint64_t)500 << 20)
#define MOD_MAX_GOMOD ((uint64_t)16 << 20)
#define MOD_MAX_LICENSE ((uint64_t)16 << 20)

/* One central-directory entry of a zip (archive/zip.File, what go uses). */
struct mod_zip_file {
	char *name;            /* heap, owned by the zip */
	uint16_t flags, method;
	uint32_t crc32;
	uint32_t external_attrs;
	uint64_t csize, usize; /* zip64 sizes resolved */
	uint64_t header_offset;/* of the local header, base offset applied */
};
/* A zip opened read-only: the file is mapped, the directory read at open. */
struct mod_zip {
	const unsigned char *data; /* mapped (or borrowed for _open_mem) */
	size_t size;
	bool mapped;
	VEC(struct mod_zip_file) files; /* in directory order */
};
/* mod_zip_open maps path and reads its central directory as archive/zip's
 * NewReader does (zip64 included); e gets go's text ("zip: not a valid zip
 * file", "open PATH: ..."). */
int mod_zip_open(struct mod_zip *z, const char *path, struct err *e);
/* mod_zip_open_mem is mod_zip_open over data[0..n), borrowed until close. */
int mod_zip_open_mem(struct mod_zip *z, const void *data, size_t n, struct err *e);
/* mod_zip_close releases z (safe on a zeroed or failed z). */
void mod_zip_close(struct mod_zip *z);
/* mod_zip_read streams entry i's content to fn in chunks, checking the
 * declared size and CRC-32 as archive/zip's checksumReader does; a
 * non-zero return from fn stops with -1 (fn sets e). */
typedef int (*mod_zip_sink)(void *ctx, const void *p, size_t n, struct err *e);
int mod_zip_read(const struct mod_zip *z, size_t i, mod_zip_sink fn, void *ctx, struct err *e);

/* What zip.CheckZip found: valid names, invalid ones as "NAME: why", and
 * the size error (heap or NULL).  Release with mod_zip_checked_release. */
struct mod_zip_checked {
	struct strvec valid;
	struct strvec invalid;
	char *size_error;
};
void mod_zip_checked_release(struct mod_zip_checked *cf);
/* mod_zip_check is zip.CheckZip over an open zip whose file size is
 * zip_size: -1 with e set to go's error (cf.Err(): the size error, or the
 * invalid files joined by newlines; or the version/path error). cf may be
 * NULL. */
int mod_zip_check(const struct mod_zip *z, uint64_t zip_size, const char *path, const char *version,
		  struct mod_zip_checked *cf, struct err *e);
/* mod_zip_unzip is zip.Unzip: extracts zipfile (module path@version) into
 * dir, which must be missing or empty; files 0444 (umask applied),
 * directories 0777.  Errors are go's "unzip ZIPFILE: ...".  On failure dir
 * may hold part of the tree: the caller removes it (as modfetch does). */
int mod_zip_unzip(const char *dir, const char *path, const char *version, const char *zipfile,
		  struct err *e);

/* mod_hash1 is dirhash.Hash1 over n files named names (sorted here) whose
 * contents open(ctx, name, sink...) streams; *h1 gets "h1:<base64>" (heap). */
typedef int (*mod_hash_open)(void *ctx, const char *name, mod_zip_sink fn, void *fnctx, struct err *e);
int mod_hash1(char *const *names, size_t n, mod_hash_open open, void *ctx, char **h1, struct err *e);
/* mod_hash_zip is dirhash.HashZip(zipfile, Hash1): *h1 heap. */
int mod_hash_zip(const char *zipfile, char **h1, struct err *e);
/* mod_hash_zip_keep is mod_hash_zip keeping the contents it read (when they
 * total at most 64 MiB) for a mod_zip_unzip of the same file that follows, so
 * a download inflates its files once. */
int mod_hash_zip_keep(const char *zipfile, char **h1, struct err *e);
/* mod_zip_memo_drop forgets what mod_hash_zip_keep kept of zipfile (before
 * the file is removed). */
void mod_zip_memo_drop(const char *zipfile);
/* mod_hash_dir is dirhash.HashDir(dir, prefix, Hash1): *h1 heap. */
int mod_hash_dir(const char *dir, const char *prefix, char **h1, struct err *e);
/* mod_hash_gomod is modfetch.goModSum: Hash1 of one file "go.mod" holding
 * data[0..n) (the "/go.mod h1:" line of go.sum); heap. */
char *mod_hash_gomod(const void *data, size_t n);

/* mod_canonical_version is module.CanonicalVersion (keeps +incompatible); heap. */
char *mod_canonical_version(const char *v);
/* mod_check_module is module.Check(path, version) with go's error text. */
int mod_check_module(const char *path, const char *version, struct err *e);
/* mod_unescape_version is module.UnescapeVersion: *out heap. */
int mod_unescape_version(const char *escaped, char **out, struct err *e);

/* Module cache layout (modfetch/cache.go).  gomodcache is cfg.GOMODCACHE. */
/* mod_cache_path is CachePath: GOMODCACHE/cache/download/<esc path>/@v/<esc
 * version>.<suffix> ("info", "mod", "zip", "ziphash", "lock", "partial"); heap. */
int mod_cache_path(const char *gomodcache, const char *path, const char *version, const char *suffix,
		   char **out, struct err *e);
/*
 * mod_cache_download_dir is DownloadDir: *dir (heap, set whenever the
 * names escape) is GOMODCACHE/<esc path>@<esc version>.  Returns 0 when it
 * is completely extracted; MOD_DIR_ABSENT when it is missing or partial (e
 * holds the stat error or go's DownloadDirPartialError text "DIR: not
 * completely extracted", "DIR: ziphash file is missing"); -1 on other errors.
 */
#define MOD_DIR_ABSENT 1
int mod_cache_download_dir(const char *gomodcache, const char *path, const char *version, char **dir,
			   struct err *e);
/* mod_cache_lock is lockVersion: creates the @v directory and takes the
 * flock on <version>.lock (go's lockedfile.Mutex, interoperable with go).
 * *fd is released with os_flock_close. */
int mod_cache_lock(const char *gomodcache, const char *path, const char *version, int *fd, struct err *e);
/*
 * mod_cache_unzip is modfetch's unzip: under the version lock, extracts
 * zipfile into the cache directory (*dir, heap) unless it is already
 * complete, with the ".partial" marker around the extraction and the tree
 * made read-only after (unless modcache_rw: -modcacherw).  A failure
 * removes the directory and the marker, prints "-> ERR" to stderr as go
 * does, and returns -1.  It takes the lock itself: a caller holding
 * mod_cache_lock must release it first (flocks on two opens do not nest).
 */
int mod_cache_unzip(const char *gomodcache, const char *path, const char *version, const char *zipfile,
		    bool modcache_rw, char **dir, struct err *e);
/* mod_cache_temp_zip creates the temp file a download writes the zip into
 * (next to the final .zip, as go's tempFile): *fd open for writing, *tmp heap. */
int mod_cache_temp_zip(const char *gomodcache, const char *path, const char *version, int *fd, char **tmp,
		       struct err *e);
struct mod_gosum;
/*
 * mod_cache_store_zip is the tail of downloadZip: checks every name has the
 * "path@version/" prefix, hashes tmpzip (HashZip), checks the hash against
 * sums (when non-NULL; recorded there when new), writes the .ziphash and
 * renames tmpzip to the .zip.  Hold mod_cache_lock around it.  On failure
 * tmpzip is removed and no .ziphash is written.  *h1 (may be NULL) heap.
 */
int mod_cache_store_zip(const char *gomodcache, const char *path, const char *version, const char *tmpzip,
			struct mod_gosum *sums, char **h1, struct err *e);
/* A checksum check (checkModSum's shape): 0 when h is the accepted sum
 * of path@version (version ending in "/go.mod" for a go.mod sum). */
typedef int (*mod_sum_check)(void *ctx, const char *path, const char *version, const char *h, struct err *e);
/* mod_cache_store_zip_fn is mod_cache_store_zip with the sum checked by
 * check(ctx, ...) (go.sum and the checksum database) instead of go.sum alone. */
int mod_cache_store_zip_fn(const char *gomodcache, const char *path, const char *version, const char *tmpzip,
			   mod_sum_check check, void *ctx, char **h1, struct err *e);
/* mod_cache_write_ziphash writes h1 to ziphashfile atomically (temp + rename). */
int mod_cache_write_ziphash(const char *ziphashfile, const char *h1, struct err *e);
/* mod_cache_read_ziphash is modfetch.Sum's read: *h1 heap, or NULL when the
 * file is missing or not a valid sum (isValidSum). */
char *mod_cache_read_ziphash(const char *ziphashfile);

/* go.sum (modfetch's sumState for one file). */
struct mod_gosum_entry {
	char *path, *version, *hash; /* heap; version may end in "/go.mod" */
	bool used, dirty;
};
struct mod_gosum {
	char *file;                  /* heap: the go.sum path */
	VEC(struct mod_gosum_entry) v; /* file order, then added ones */
	/* Workspace mode (modfetch's sumState.w): the go.sum files of the
	 * workspace modules, borrowed from the loader (NULL, 0 otherwise).
	 * file is then go.work.sum: sums found in ws count as recorded and are
	 * never added to it, and modules ws lists are never written to it. */
	struct mod_gosum *const *ws;
	size_t nws;
};
/* mod_gosum_read is readGoSumFile + readGoSum: a missing file is empty;
 * lines with the old empty-go.mod hash are dropped; a line without three
 * fields is go's "malformed go.sum:
FILE:N: wrong number of fields K"
 * unless tidy (go mod tidy skips them). */
int mod_gosum_read(struct mod_gosum *s, const char *file, bool tidy, struct err *e);
void mod_gosum_release(struct mod_gosum *s);
/* mod_gosum_recorded is RecordedSum: the one h1: sum for path version
 * (borrowed) in s and its workspace files, or NULL when none or
 * conflicting ones. */
const char *mod_gosum_recorded(const struct mod_gosum *s, const char *path, const char *version);
/* mod_gosum_check is checkModSum without the sumdb: h matches the go.sum
 * entry (0), or is added as new (0), or conflicts: -1 with e set to go's
 * "verifying PATH@VERSION: checksum mismatch ... SECURITY ERROR ..." text. */
int mod_gosum_check(struct mod_gosum *s, const char *path, const char *version, const char *h, struct err *e);
/* mod_gosum_check_db is checkModSum: h is checked against s (NULL: no
 * go.sum) and, when s does not list it, by db(ctx, ...) (NULL: no
 * database), then added to s.  *fatal is set for the errors go reports with
 * base.Fatalf (a go.sum mismatch: the SECURITY ERROR text). */
int mod_gosum_check_db(struct mod_gosum *s, const char *path, const char *version, const char *h,
		       mod_sum_check db, void *ctx, bool *fatal, struct err *e);
/* mod_gosum_check_gomod is checkGoMod: the "/go.mod" sum of data. */
int mod_gosum_check_gomod(struct mod_gosum *s, const char *path, const char *version, const void *data,
			  size_t n, struct err *e);
/* mod_gosum_format appends tidyGoSum's text for s (sorted by module.Sort,
 * hashes sorted and unique) keeping new sums only when keep (NULL: all)
 * says so. */
typedef bool (*mod_gosum_keep)(void *ctx, const char *path, const char *version);
void mod_gosum_format(const struct mod_gosum *s, mod_gosum_keep keep, void *ctx, struct buf *out);
/* mod_gosum_write is WriteGoSum: when s has new sums, locks the file, merges
 * what other processes added meanwhile, and rewrites it atomically. */
int mod_gosum_write(struct mod_gosum *s, mod_gosum_keep keep, void *ctx, struct err *e);

/* ======================================================================
 * The checksum database client (golang.org/x/mod/sumdb: note, tlog, the
 * client; cmd/go/internal/modfetch/sumdb.go: GOSUMDB and the files).
 * modload/sumdb.c.  No network: the caller's HTTP is the read_remote op.
 * ====================================================================== */

/* ---- signed notes (sumdb/note) ---- */

/* A verifier from a vkey "<name>+<hash>+<keydata>" (note.NewVerifier);
 * only Ed25519 (algorithm 1) exists. */
struct mod_note_verifier {
	char *name;               /* heap */
	uint32_t hash;
	unsigned char key[32];    /* the Ed25519 public key */
};
/* mod_note_verifier_init is note.NewVerifier: e gets go's "malformed
 * verifier id", "invalid verifier hash", "unknown verifier algorithm". */
int mod_note_verifier_init(struct mod_note_verifier *v, const char *vkey, struct err *e);
/* mod_note_verifier_release frees v's name (safe on a failed init). */
void mod_note_verifier_release(struct mod_note_verifier *v);
/* mod_note_key_hash is note's keyHash: the first 4 bytes of
 * SHA-256(name "\n" key), big-endian; key includes the algorithm byte. */
uint32_t mod_note_key_hash(const char *name, const unsigned char *key, size_t n);

struct mod_note_sig {
	char *name;               /* heap */
	uint32_t hash;
	char *b64;                /* heap: the base64 text as in the note */
};
/* A note opened by mod_note_open (note.Note). */
struct mod_note {
	char *text;               /* heap: the text, ending in "\n" */
	VEC(struct mod_note_sig) sigs;       /* verified */
	VEC(struct mod_note_sig) unverified; /* by signers not in the list */
};
/*
 * mod_note_open is note.Open with note.VerifierList(known...): -1 with e
 * set to go's "malformed note", "invalid signature for key NAME+HASH",
 * "ambiguous key NAME+HASH", or "note has no verifiable signatures" (n then
 * still holds the parsed note, as go's UnverifiedNoteError does).  n is
 * zeroed first; release it either way.
 */
int mod_note_open(struct mod_note *n, const void *msg, size_t len, const struct mod_note_verifier *known,
                  size_t nknown, struct err *e);
/* mod_note_release frees what mod_note_open filled in. */
void mod_note_release(struct mod_note *n);

/* ---- tiled transparency logs (sumdb/tlog) ---- */

#define MOD_TLOG_HASH_SIZE 32
struct mod_tlog_hash {
	unsigned char b[MOD_TLOG_HASH_SIZE];
};
struct mod_tlog_hashes {
	struct mod_tlog_hash *v;
	size_t n, cap;
};
/* tlog.Tree: a tree of n records with root hash. */
struct mod_tlog_tree {
	int64_t n;
	struct mod_tlog_hash hash;
};
/* tlog.Tile: height h, level l (-1: a data tile), number n, width w. */
struct mod_tlog_tile {
	int h, l;
	int64_t n;
	int w;
};
struct mod_tlog_tiles {
	struct mod_tlog_tile *v;
	size_t n, cap;
};
/* A HashReader: fills out[0..n) with the stored hashes at indexes. */
struct mod_tlog_hash_reader {
	int (*read)(void *ctx, const int64_t *indexes, size_t n, struct mod_tlog_hash *out, struct err *e);
	void *ctx;
};

/* mod_tlog_record_hash is tlog.RecordHash: SHA-256(0x00 data). */
void mod_tlog_record_hash(const void *data, size_t n, struct mod_tlog_hash *out);
/* mod_tlog_node_hash is tlog.NodeHash: SHA-256(0x01 left right). */
void mod_tlog_node_hash(const struct mod_tlog_hash *left, const struct mod_tlog_hash *right,
                        struct mod_tlog_hash *out);
/* mod_tlog_hash_string appends the base64 of h (Hash.String). */
void mod_tlog_hash_string(struct buf *b, const struct mod_tlog_hash *h);
/* mod_tlog_parse_hash is tlog.ParseHash ("malformed hash"). */
int mod_tlog_parse_hash(const char *s, struct mod_tlog_hash *h, struct err *e);
/* mod_tlog_stored_hash_index is tlog.StoredHashIndex(level, n). */
int64_t mod_tlog_stored_hash_index(int level, int64_t n);
/* mod_tlog_split_stored_hash_index is tlog.SplitStoredHashIndex. */
void mod_tlog_split_stored_hash_index(int64_t index, int *level, int64_t *n);
/* mod_tlog_stored_hash_count is tlog.StoredHashCount(n). */
int64_t mod_tlog_stored_hash_count(int64_t n);
/* mod_tlog_stored_hashes is tlog.StoredHashesForRecordHash: appends to out
 * the hashes record n with hash h adds to the log (r reads older ones). */
int mod_tlog_stored_hashes(int64_t n, const struct mod_tlog_hash *h, const struct mod_tlog_hash_reader *r,
                           struct mod_tlog_hashes *out, struct err *e);
/* mod_tlog_tree_hash is tlog.TreeHash: the root of a tree of n records. */
int mod_tlog_tree_hash(int64_t n, const struct mod_tlog_hash_reader *r, struct mod_tlog_hash *out,
                       struct err *e);
/* mod_tlog_prove_record is tlog.ProveRecord(t, n): proof appended to p. */
int mod_tlog_prove_record(int64_t t, int64_t n, const struct mod_tlog_hash_reader *r,
                          struct mod_tlog_hashes *p, struct err *e);
/* mod_tlog_check_record is tlog.CheckRecord ("invalid transparency proof"). */
int mod_tlog_check_record(const struct mod_tlog_hashes *p, int64_t t, const struct mod_tlog_hash *th,
                          int64_t n, const struct mod_tlog_hash *h, struct err *e);
/* mod_tlog_prove_tree is tlog.ProveTree(t, n): proof appended to p. */
int mod_tlog_prove_tree(int64_t t, int64_t n, const struct mod_tlog_hash_reader *r,
                        struct mod_tlog_hashes *p, struct err *e);
/* mod_tlog_check_tree is tlog.CheckTree: tree n (hash h) is a prefix of tree t (th). */
int mod_tlog_check_tree(const struct mod_tlog_hashes *p, int64_t t, const struct mod_tlog_hash *th,
                        int64_t n, const struct mod_tlog_hash *h, struct err *e);

/* mod_tlog_tile_for_index is tlog.TileForIndex(h, index). */
struct mod_tlog_tile mod_tlog_tile_for_index(int h, int64_t index);
/* mod_tlog_hash_from_tile is tlog.HashFromTile, with go's error texts. */
int mod_tlog_hash_from_tile(const struct mod_tlog_tile *t, const void *data, size_t n, int64_t index,
                            struct mod_tlog_hash *out, struct err *e);
/* mod_tlog_new_tiles is tlog.NewTiles: the tiles a tree growing from old
 * to new records needs, appended to out. */
void mod_tlog_new_tiles(int h, int64_t old_size, int64_t new_size, struct mod_tlog_tiles *out);
/* mod_tlog_read_tile_data is tlog.ReadTileData: appends the tile's bytes to b. */
int mod_tlog_read_tile_data(const struct mod_tlog_tile *t, const struct mod_tlog_hash_reader *r,
                            struct buf *b, struct err *e);
/* mod_tlog_tile_path appends Tile.Path(): "tile/H/L/NNN[.p/W]", elements
 * of N above the last as "xNNN", L "data" for level -1. */
void mod_tlog_tile_path(struct buf *b, const struct mod_tlog_tile *t);
/* mod_tlog_parse_tile_path is tlog.ParseTilePath (`malformed tile path "P"`). */
int mod_tlog_parse_tile_path(const char *path, struct mod_tlog_tile *t, struct err *e);

/* A TileReader: read_tiles fills data[0..n) (bufs the caller initialised);
 * save_tiles is told the tiles were verified (may be NULL). */
struct mod_tlog_tile_reader {
	int height;
	int (*read_tiles)(void *ctx, const struct mod_tlog_tile *tiles, size_t n, struct buf *data,
	                  struct err *e);
	void (*save_tiles)(void *ctx, const struct mod_tlog_tile *tiles, size_t n, const struct buf *data);
	void *ctx;
};
/* mod_tlog_tile_hashes is tlog.TileHashReader(tree, tr).ReadHashes: the
 * stored hashes at indexes, read from tiles that are all checked against
 * tree's hash first ("downloaded inconsistent tile"). */
int mod_tlog_tile_hashes(const struct mod_tlog_tree *tree, const struct mod_tlog_tile_reader *tr,
                         const int64_t *indexes, size_t n, struct mod_tlog_hash *out, struct err *e);
/* mod_tlog_tile_hash_reader makes a hash reader over mod_tlog_tile_hashes;
 * ctx must outlive r (tree and tr borrowed). */
struct mod_tlog_tile_ctx {
	const struct mod_tlog_tree *tree;
	const struct mod_tlog_tile_reader *tr;
};
void mod_tlog_tile_hash_reader(struct mod_tlog_tile_ctx *ctx, struct mod_tlog_hash_reader *r);

/* mod_tlog_format_tree appends tlog.FormatTree's "go.sum database tree\nN\nHASH\n". */
void mod_tlog_format_tree(struct buf *b, const struct mod_tlog_tree *t);
/* mod_tlog_parse_tree is tlog.ParseTree ("malformed tree note"). */
int mod_tlog_parse_tree(const char *text, size_t n, struct mod_tlog_tree *t, struct err *e);
/* mod_tlog_parse_record is tlog.ParseRecord: the id, the record text
 * (borrowed from msg, ending in "\n") and the rest (the signed tree note);
 * "malformed record data". */
int mod_tlog_parse_record(const char *msg, size_t n, int64_t *id, struct str *text, struct str *rest,
                          struct err *e);

/* ---- the client (sumdb.Client) ---- */

/* What write_config returns for sumdb.ErrWriteConflict. */
#define MOD_SUMDB_WRITE_CONFLICT (-2)
/* What mod_sumdb_lookup returns for sumdb.ErrGONOSUMDB. */
#define MOD_SUMDB_SKIPPED (-2)
/*
 * The client's access to the world (sumdb.ClientOps).  Reads append to
 * out; a failed read returns -1 with e set.  read_config("key") is the
 * vkey; read_config("NAME/latest") the latest signed tree head, empty when
 * none yet.  write_config replaces file's content old by new, or returns
 * MOD_SUMDB_WRITE_CONFLICT when it no longer is old.  read_cache fails for
 * a file not cached.  log and security_error may be NULL.
 */
struct mod_sumdb_ops {
	void *ctx;
	int (*read_remote)(void *ctx, const char *path, struct buf *out, struct err *e);
	int (*read_config)(void *ctx, const char *file, struct buf *out, struct err *e);
	int (*write_config)(void *ctx, const char *file, const void *old, size_t oldn, const void *new_,
	                    size_t newn, struct err *e);
	int (*read_cache)(void *ctx, const char *file, struct buf *out, struct err *e);
	void (*write_cache)(void *ctx, const char *file, const void *data, size_t n);
	void (*log)(void *ctx, const char *msg);
	void (*security_error)(void *ctx, const char *msg);
};
struct mod_sumdb_client;
/* mod_sumdb_client_new is sumdb.NewClient (ops copied); free with _free. */
struct mod_sumdb_client *mod_sumdb_client_new(const struct mod_sumdb_ops *ops);
/* mod_sumdb_client_free releases c and everything it remembered (NULL is fine). */
void mod_sumdb_client_free(struct mod_sumdb_client *c);
/* mod_sumdb_client_set_tile_height is SetTileHeight (default 8; before any lookup). */
void mod_sumdb_client_set_tile_height(struct mod_sumdb_client *c, int height);
/* mod_sumdb_client_set_gonosumdb is SetGONOSUMDB (before any lookup). */
void mod_sumdb_client_set_gonosumdb(struct mod_sumdb_client *c, const char *list);
/*
 * mod_sumdb_lookup is Client.Lookup: appends to lines the go.sum lines
 * ("PATH VERS h1:...") the database has for path vers (vers may end in
 * "/go.mod").  MOD_SUMDB_SKIPPED (e: "skipped (listed in GONOSUMDB)"), or
 * -1 with e set to go's "PATH@VERS: ..." text; a server caught lying
 * calls ops->security_error with go's SECURITY ERROR text first and the
 * error is "PATH@VERS: security error: misbehaving server".
 */
int mod_sumdb_lookup(struct mod_sumdb_client *c, const char *path, const char *vers, struct strvec *lines,
                     struct err *e);

/* ---- GOSUMDB and the go command's wiring (modfetch/sumdb.go) ---- */

/* What GOSUMDB names (dbDial): all heap. */
struct mod_sumdb_config {
	char *name;   /* the database name, "sum.golang.org" */
	char *key;    /* the vkey */
	char *url;    /* the explicit URL, or NULL: derived through GOPROXY */
};
/* mod_sumdb_parse_gosumdb is dbDial's parsing: known names get their key,
 * "sum.golang.google.cn" is sum.golang.org at that URL; go's errors
 * ("checksum database disabled by GOSUMDB=off", "missing GOSUMDB",
 * "invalid GOSUMDB: too many fields", "invalid GOSUMDB: <NewVerifier's
 * error>", "invalid sumdb name (must be host[/path]): ..."). */
int mod_sumdb_parse_gosumdb(const char *gosumdb, struct mod_sumdb_config *out, struct err *e);
/* mod_sumdb_config_release frees c's strings (safe after a failed parse). */
void mod_sumdb_config_release(struct mod_sumdb_config *c);
/* mod_sumdb_use is useSumDB: whether path's sums are checked with the
 * database, given GOSUMDB, GONOSUMDB (see mod_sumdb_nosumdb), GOPROXY and
 * $GIT_HTTP_USER_AGENT (NULL: unset). */
bool mod_sumdb_use(const char *gosumdb, const char *gonosumdb, const char *goproxy, const char *git_agent,
                   const char *path);
/* mod_sumdb_nosumdb is cfg.GONOSUMDB: GONOSUMDB, else GOPRIVATE (borrowed, "" when neither). */
const char *mod_sumdb_nosumdb(const struct cfg *c);

/*
 * The go command's ops over files (dbClient less ReadRemote): the vkey is
 * key; "latest" files live in sumdb_dir ($GOPATH/pkg/sumdb, NULL when
 * GOPATH is missing: gopath_err says why), lookups and tiles in
 * $GOMODCACHE/cache/download/sumdb.  Reads take a shared flock, as go's
 * lockedfile.Read; writes are atomic (temp file and rename).  Fill the struct, then
 * mod_sumdb_files_ops sets every op but read_remote, log and
 * security_error (mod_sumdb_fatal_security_error is go's: base.Fatalf).
 */
struct mod_sumdb_files {
	const char *key;
	const char *sumdb_dir;
	const char *gomodcache;
	const char *gopath_err;
};
/* mod_sumdb_dir is cfg.SumdbDir: $GOPATH's first element + "/pkg/sumdb"
 * (heap), or NULL when GOPATH is empty (the files' sumdb_dir). */
char *mod_sumdb_dir(const char *gopath);
/* mod_sumdb_files_ops points ops at f (borrowed while ops is used). */
void mod_sumdb_files_ops(struct mod_sumdb_files *f, struct mod_sumdb_ops *ops);
/* mod_sumdb_fatal_security_error is dbClient.SecurityError: base_fatalf("%s", msg). */
void mod_sumdb_fatal_security_error(void *ctx, const char *msg);
/*
 * mod_sumdb_check is checkSumDB: h (an "h1:" sum of path@version, version
 * ending in "/go.mod" for a go.mod sum) against the database's lines from
 * mod_sumdb_lookup (lookup_rc its return, lookup_err its error).  Errors
 * are go's "PATH@V: verifying module|go.mod: ..." with the checksum
 * mismatch / missing SECURITY ERROR texts.
 */
int mod_sumdb_check(const char *dbname, const char *path, const char *version, const char *h,
                    const struct strvec *lines, int lookup_rc, const char *lookup_err, struct err *e);

/* ======================================================================
 * The module proxy client (cmd/go/internal/modfetch: proxy.go, repo.go,
 * cache.go, fetch.go, sumdb.go's ReadRemote; go1.26).  modload/proxy.c,
 * over modload/http.c (libcurl, loaded on first use).  Direct (VCS)
 * fetches are not implemented: they fail with a clear error.
 * ====================================================================== */

/* One entry of GOPROXY (modfetch.proxySpec). */
struct mod_proxy_spec {
	char *url;      /* heap: a URL, or "off", "direct", "noproxy" */
	bool fallback;  /* followed by '|': any error moves on (fallBackOnError) */
};
struct mod_proxy_list {
	VEC(struct mod_proxy_spec) v;
};
/* mod_proxy_list_parse is proxyList: the entries of goproxy split at ','
 * and '|', "noproxy" first when gonoproxy is set (and goproxy is not
 * "direct"), the list ending at "off" or "direct", "https://" added to bare
 * host names; go's errors ("GOPROXY list is not the empty string, but
 * contains no entries", "invalid proxy URL missing scheme: ...", ...). */
int mod_proxy_list_parse(const char *goproxy, const char *gonoproxy, struct mod_proxy_list *l, struct err *e);
/* mod_proxy_list_release frees l's entries (safe after a failed parse). */
void mod_proxy_list_release(struct mod_proxy_list *l);

/* The error text of errUseProxy: a "noproxy" attempt for a path GONOPROXY
 * does not match (ranked below other errors by mod_proxy_try). */
#define MOD_ERR_USE_PROXY "path does not match GOPRIVATE/GONOPROXY"
/* One attempt of mod_proxy_try: 0, or -1 with e set and *notexist when the
 * error is fs.ErrNotExist (404, 410, GOPROXY=off...). */
typedef int (*mod_proxy_fn)(void *ctx, const char *proxy, bool *notexist, struct err *e);
/*
 * mod_proxy_try is TryProxies: fn is called for each entry until one
 * succeeds, or fails with an error that is not "not found" on an entry
 * without '|' after it.  The error returned is the most helpful one:
 * direct and noproxy errors first, then proxy errors other than "not
 * found", then the first "not found"; *notexist says whether it is one.
 */
int mod_proxy_try(const struct mod_proxy_list *l, mod_proxy_fn fn, void *ctx, bool *notexist, struct err *e);

/* What a fetcher works with (cfg values, borrowed while it lives). */
struct mod_fetch_config {
	const char *gomodcache;
	const char *gopath;      /* for the sumdb's "latest" files */
	const char *goproxy;     /* GOPROXY as go env shows it */
	const char *gonoproxy;   /* GONOPROXY, else GOPRIVATE */
	const char *goinsecure;
	const char *goprivate;   /* GOPRIVATE (GOVCS's public and private) */
	const char *govcs;       /* GOVCS */
	const char *gosumdb;
	const char *gonosumdb;   /* GONOSUMDB, else GOPRIVATE */
	const char *git_agent;   /* $GIT_HTTP_USER_AGENT or NULL */
	const char *goauth;      /* GOAUTH as go env shows it ("netrc" by default) */
	bool modcache_rw;        /* -modcacherw */
	bool x;                  /* -x: "# get URL" lines */
	long http_stall;         /* seconds without data before a request fails (<= 0: 120) */
	bool announce;           /* DownloadZip prints "go: downloading P V" (not 'mod download') */
};
/* A revision (modfetch.RevInfo). */
struct mod_rev_info {
	char *version;  /* heap */
	char *time;     /* heap: RFC 3339 as json.Marshal writes a time.Time */
	char *origin;   /* heap: the Origin object as JSON (json.Marshal), or NULL */
};
/* mod_rev_info_release frees r's strings and zeroes it. */
void mod_rev_info_release(struct mod_rev_info *r);
/* mod_fetch_config_init fills fc from cfg's go env (GOPROXY, GONOPROXY or
 * GOPRIVATE, GOINSECURE, GOVCS, GOSUMDB, ...) and GOTOOL_HTTP_TIMEOUT; the
 * command's flags (x, modcache_rw, announce) are the caller's. */
void mod_fetch_config_init(const struct cfg *cfg, struct mod_fetch_config *fc);
struct mod_fetch;
/* mod_fetch_new is a modfetch.Fetcher: sums is the main module's go.sum
 * (borrowed; NULL outside a module).  Free with mod_fetch_free. */
struct mod_fetch *mod_fetch_new(const struct mod_fetch_config *c, struct mod_gosum *sums);
/* mod_fetch_free releases f, its HTTP handles and prefetched files (NULL is fine). */
void mod_fetch_free(struct mod_fetch *f);
/* mod_fetch_fatal reports whether the last error is one go reports with
 * base.Fatalf (a go.sum mismatch, checkMod's errors): the caller exits. */
bool mod_fetch_fatal(const struct mod_fetch *f);
/* mod_fetch_notexist reports whether mod_fetch_download failed because no
 * proxy had the zip (go's fs.ErrNotExist: 404, 410, GOPROXY=off...). */
bool mod_fetch_notexist(const struct mod_fetch *f);
/* mod_fetch_stat is Lookup(proxy, path).Stat(rev) under TryProxies (the
 * cached .info first, then the proxies; written to the cache): a query
 * for an exact version.  *notexist as for mod_proxy_try. */
int mod_fetch_stat(struct mod_fetch *f, const char *path, const char *rev, struct mod_rev_info *info,
                   bool *notexist, struct err *e);
/* A main go.mod's exclusion test for mod_fetch_query_latest. */
typedef bool (*mod_version_excluded)(void *ctx, const char *path, const char *version);
/* mod_fetch_query_latest is modload.Query(path, "latest") with CheckAllowed
 * (excluded, may be NULL, and the module's retractions): the highest
 * allowed release, else prerelease, of the proxy's version list, else its
 * @latest; go's "module P: no matching versions for query \"latest\"". */
int mod_fetch_query_latest(struct mod_fetch *f, const char *path, mod_version_excluded excluded, void *ctx,
                           struct mod_rev_info *info, struct err *e);
/* mod_fetch_info_file is Fetcher.InfoFile: *file (heap) the cached .info. */
int mod_fetch_info_file(struct mod_fetch *f, const char *path, const char *version, char **file, struct err *e);
/* mod_fetch_gomod_file is GoModFile and GoModSum: the go.mod checked
 * against go.sum and the database, cached; *file and *sum heap. */
int mod_fetch_gomod_file(struct mod_fetch *f, const char *path, const char *version, char **file, char **sum,
                         struct err *e);
/* mod_fetch_download_zip is DownloadZip: *zipfile heap. */
int mod_fetch_download_zip(struct mod_fetch *f, const char *path, const char *version, char **zipfile,
                           struct err *e);
/* mod_fetch_download is Download: the extracted tree, *dir heap. */
int mod_fetch_download(struct mod_fetch *f, const char *path, const char *version, char **dir, struct err *e);
/* mod_fetch_prefetch fetches the .mod and .zip (and .info when info is
 * set) of paths[i]@versions[i] (those not cached yet) from the first proxy
 * at the same time, as go's parallel downloads do; the usual sequence of
 * requests then finds the answers there (errors and fallbacks are still
 * decided by it). */
void mod_fetch_prefetch(struct mod_fetch *f, char *const *paths, char *const *versions, size_t n, bool info);
/* The files mod_fetch_prefetch_kinds fetches ahead. */
enum { MOD_PREFETCH_INFO = 1, MOD_PREFETCH_MOD = 2, MOD_PREFETCH_ZIP = 4 };
/* mod_fetch_prefetch_kinds is mod_fetch_prefetch for the kinds of files
 * named (MOD_PREFETCH_* bits): the module graph needs only .mod files. */
void mod_fetch_prefetch_kinds(struct mod_fetch *f, char *const *paths, char *const *versions, size_t n,
                              unsigned kinds);
/* mod_fetch_sum is modfetch.Sum: the .ziphash's sum (heap) or NULL. */
char *mod_fetch_sum(struct mod_fetch *f, const char *path, const char *version);

/* Direct fetching from git repositories (modload/direct.c): the small
 * repository interface behind GOPROXY=direct, GONOPROXY and GOPRIVATE.
 * Errors carry go's text; *notexist as for mod_proxy_try. */
/* go-import meta tags (goimport.c): vcs.metaImport */
struct mod_meta_import {
	char *prefix, *vcs, *repo_root, *subdir; /* heap; subdir "" when none */
};
struct mod_meta_imports {
	struct mod_meta_import *v;
	size_t n, cap;
};
/* mod_parse_meta_go_imports is parseMetaGoImports over an HTML page:
 * prefer_mod is ModuleMode PreferMod (mod entries first, superseding the
 * others of their prefix).  -1 with e set to the tokenizer's error when it
 * failed before any tag was found. */
int mod_parse_meta_go_imports(const char *data, size_t n, bool prefer_mod, struct mod_meta_imports *out,
                              struct err *e);
void mod_meta_imports_release(struct mod_meta_imports *m);
/* mod_match_go_import is matchGoImport: *match gets the index of the one
 * entry whose prefix is a path prefix of path; else -1 with go's error, and
 * *mismatch set when no entry matched (ImportMismatchError). */
int mod_match_go_import(const struct mod_meta_imports *imports, const char *path, size_t *match, bool *mismatch,
                        struct err *e);

struct mod_direct_config {
	const char *gomodcache;
	const char *goinsecure;
	const char *goprivate, *govcs; /* for checkGOVCS */
	bool x;                  /* -x: the git commands go would run */
	const char *goauth;      /* GOAUTH for the go-get page requests */
};
struct mod_direct;
struct mod_direct *mod_direct_new(const struct mod_direct_config *c);
void mod_direct_free(struct mod_direct *d);
/* mod_direct_versions is Repo.Versions(prefix): tagged versions (and
 * +incompatible ones) in semver order, appended to out. */
int mod_direct_versions(struct mod_direct *d, const char *path, const char *prefix, struct strvec *out,
                        bool *notexist, struct err *e);
/* mod_direct_stat is Repo.Stat(rev): a version, tag, branch or commit. */
int mod_direct_stat(struct mod_direct *d, const char *path, const char *rev, struct mod_rev_info *info,
                    bool *notexist, struct err *e);
/* mod_direct_latest is Repo.Latest: the default branch's head. */
int mod_direct_latest(struct mod_direct *d, const char *path, struct mod_rev_info *info, bool *notexist,
                      struct err *e);
/* mod_direct_gomod is Repo.GoMod(version): the go.mod bytes appended to data. */
int mod_direct_gomod(struct mod_direct *d, const char *path, const char *version, struct buf *data, bool *notexist,
                     struct err *e);
/* mod_direct_zip is Repo.Zip(version): the module zip written to fd. */
int mod_direct_zip(struct mod_direct *d, const char *path, const char *version, int fd, bool *notexist,
                   struct err *e);
/* mod_direct_merge_tags adds the version list's TagPrefix and TagSum to
 * info's Origin, as a query answered from the list reports it. */
int mod_direct_merge_tags(struct mod_direct *d, const char *path, struct mod_rev_info *info);
/* mod_direct_check_reuse is Repo.CheckReuse(old) (gitRepo's in the
 * module's subdirectory): 0 when the Origin (JSON) still describes the
 * repository (URL, subdirectory, Ref and Hash, TagSum, RepoSum). */
int mod_direct_check_reuse(struct mod_direct *d, const char *path, const char *origin, struct err *e);

/* mod_json_syntax_error appends encoding/json's syntax error for data
 * ("invalid character 'x' looking for beginning of value", "unexpected
 * end of JSON input"...) and returns true, or returns false when data is
 * valid JSON. */
bool mod_json_syntax_error(const char *data, size_t n, struct buf *msg);


/* ======================================================================
 * Module queries (modload/query.c: cmd/go/internal/modload/query.go,
 * CheckAllowed and versions).  The logic reaches repositories through a
 * source: TryProxies over per-proxy repos, so a direct repo can plug in.
 * ====================================================================== */

/* A repository for one module path at one proxy (modfetch.Repo's query
 * half).  Errors carry go's text; *notexist is go's fs.ErrNotExist. */
struct mod_repo_ops {
	/* Versions(prefix): tagged versions (no pseudo-versions) with the
	 * prefix, in semver order, appended to out. */
	int (*versions)(void *ctx, const char *prefix, struct strvec *out, bool *notexist, struct err *e);
	/* Stat(rev) into info (zeroed on entry). */
	int (*stat)(void *ctx, const char *rev, struct mod_rev_info *info, bool *notexist, struct err *e);
	/* Latest: the latest revision when no tagged version fits. */
	int (*latest)(void *ctx, struct mod_rev_info *info, bool *notexist, struct err *e);
	/* CheckReuse(old): 0 when the Origin (JSON) is still current; a
	 * proxy's repo never is. */
	int (*check_reuse)(void *ctx, const char *origin, struct err *e);
};
struct mod_repo {
	const struct mod_repo_ops *ops;
	void *ctx;
};
typedef int (*mod_repo_fn)(void *ctx, struct mod_repo *r, bool *notexist, struct err *e);
struct mod_query_source {
	/* try_repos is TryProxies(lookupRepo(proxy, path)...): fn for each
	 * proxy's repo until one succeeds, with go's error ranking. */
	int (*try_repos)(void *ctx, const char *path, mod_repo_fn fn, void *fctx, bool *notexist, struct err *e);
	/* gomod: path@version's go.mod bytes (modfetch.GoMod: checked, cached);
	 * on failure *notexist says whether go's error is fs.ErrNotExist. */
	int (*gomod)(void *ctx, const char *path, const char *version, struct buf *data, bool *notexist,
	             struct err *e);
	void *ctx;
	const char *main_path;   /* the main module's path, or NULL */
	/* replaced (may be NULL): the main go.mod replaces path, so a path
	 * module.CheckPath refuses is still looked up (lookupRepo's emptyRepo
	 * inside a replacementRepo) */
	bool (*replaced)(void *ctx, const char *path);
	/* local_go is gover.Local(), the running toolchain's Go version
	 * ("1.26.8"): the "go" and "toolchain" modules are served from
	 * golang.org/toolchain's version list with it (NULL: refused) */
	const char *local_go;
	/* reuse (may be NULL): -reuse's old answer to path@query (Version,
	 * Time or NULL, and Origin as JSON; borrowed), or false.  queryProxy
	 * gives that answer back when the repo's CheckReuse accepts the Origin. */
	bool (*reuse)(void *rctx, const char *path, const char *query, const char **version, const char **time,
	              const char **origin);
	void *reuse_ctx;
};
/* mod_fetch_query_source fills s with f's proxies (borrowed while f lives). */
void mod_fetch_query_source(struct mod_fetch *f, struct mod_query_source *s);
/* load_query_source fills s with f's proxies seen through lookupRepo: a
 * path the main modules (or go.work) replace is a replacementRepo
 * (replrepo.c); s->main_path is the (first) main module's path and
 * s->local_go the toolchain's version (the "go" and "toolchain" modules
 * are answered).  Valid while ld and f live. */
void load_query_source(struct load_state *ld, struct mod_fetch *f, struct mod_query_source *s);
/* load_highest_replaced is MainModules.HighestReplaced()[path]: false when
 * no replace directive names path, else *v the highest replaced version
 * ("" for a version-less one). */
bool load_highest_replaced(struct load_state *ld, const char *path, const char **v);

/* What go's errors.Is/As would find on a query's error. */
#define MOD_QERR_NOTEXIST 1u    /* fs.ErrNotExist */
#define MOD_QERR_NOMATCH 2u     /* *NoMatchingVersionError */
#define MOD_QERR_DISALLOWED 4u  /* ErrDisallowed (excluded or retracted) */
#define MOD_QERR_MODULE 8u      /* a *module.ModuleError: the text names path and version */
#define MOD_QERR_RETRACTED 16u  /* *ModuleRetractedError */
/* An AllowedFunc: 0, or -1 with e and *kind set (MOD_QERR_DISALLOWED for
 * a version that must not be chosen; other errors are ignored by queries). */
typedef int (*mod_query_allowed_fn)(void *ctx, const char *path, const char *version, unsigned *kind,
                                    struct err *e);
/* mod_is_revision_query is IsRevisionQuery. */
bool mod_is_revision_query(const char *path, const char *vers);
/* mod_query is modload.Query(path, query, current, allowed): *info (heap
 * strings) or -1 with e holding go's raw error text and *kind its class. */
int mod_query(const struct mod_query_source *src, const char *path, const char *query, const char *current,
              mod_query_allowed_fn allowed, void *actx, struct mod_rev_info *info, unsigned *kind, struct err *e);
/* mod_check_reuse is modload.checkReuse: through each proxy's repo until
 * one answers, whether the Origin (JSON) recorded for path@query is still
 * current (checkReuseRepo: the Origin must pin what the query depends on,
 * then Repo.CheckReuse). */
int mod_check_reuse(const struct mod_query_source *src, const char *path, const char *query, const char *origin,
                    struct err *e);
/* The -reuse file of mod download (modload/reuse.c): the old answers,
 * keyed by path@version and path@query. */
struct mod_reuse_ent {
	const char *path, *version;
	const char *time;   /* or NULL */
	const char *origin; /* the Origin as json.Marshal writes it */
	const char *error;  /* the old Error's text, or NULL */
};
struct mod_reuse_set {
	struct arena arena;
	struct map by_key;
};
/* mod_reuse_load reads file as ListModules does: -1 with go's error
 * ("open F: ...", "parsing F: unexpected EOF"...). */
int mod_reuse_load(struct mod_reuse_set *s, const char *file, struct err *e);
/* mod_reuse_get is reuse[{path, version}] (version may be a query), or NULL. */
const struct mod_reuse_ent *mod_reuse_get(const struct mod_reuse_set *s, const char *path, const char *version);
/* mod_reuse_lookup is mod_reuse_get as a mod_query_source's reuse hook
 * (ctx: the set). */
bool mod_reuse_lookup(void *ctx, const char *path, const char *query, const char **version, const char **time,
                      const char **origin);
void mod_reuse_release(struct mod_reuse_set *s);
/* mod_query_error_text is modinfoError: e's text as list -m shows it. */
void mod_query_error_text(const char *path, const char *vers, unsigned kind, struct err *e);
/* mod_query_versions is mvs.go's versions: the allowed versions of path. */
int mod_query_versions(const struct mod_query_source *src, const char *path, mod_query_allowed_fn allowed, void *actx,
                       struct strvec *out, struct err *e);
/* mod_short_message is ShortMessage. */
void mod_short_message(const char *msg, const char *empty_default, struct buf *out);

/* CheckAllowed's state: the main go.mod (excludes, replacements) and each
 * module's retractions, loaded once. */
struct mod_allow {
	const struct mod_query_source *src;
	const struct mod_file *main;  /* borrowed, may be NULL */
	const char *main_dir;         /* the main module's directory, for directory replacements */
	/* the other main modules' go.mod files (a workspace's), whose
	 * excludes apply too (borrowed; set by the caller after init) */
	const struct mod_file *const *excl;
	size_t nexcl;
	struct arena arena;
	struct map retracts;          /* path -> private entry */
};
void mod_allow_init(struct mod_allow *a, const struct mod_query_source *src, const struct mod_file *main);
void mod_allow_release(struct mod_allow *a);
/* mod_check_deprecation is CheckDeprecation: *msg (the allow's arena, or
 * NULL) the latest go.mod's Deprecated text. */
int mod_check_deprecation(struct mod_allow *a, const char *path, const char *version, const char **msg,
                          unsigned *kind, struct err *e);
/* mod_check_allowed is CheckAllowed (ctx: a struct mod_allow). */
int mod_check_allowed(void *ctx, const char *path, const char *version, unsigned *kind, struct err *e);
/* mod_check_exclusions is CheckExclusions (ctx: a struct mod_allow). */
int mod_check_exclusions(void *ctx, const char *path, const char *version, unsigned *kind, struct err *e);
/* mod_check_retractions is CheckRetractions; rationale (may be NULL) gets
 * the matching retractions' rationales. */
int mod_check_retractions(struct mod_allow *a, const char *path, const char *version, struct strvec *rationale,
                          unsigned *kind, struct err *e);

#endif
