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
/* load_read_comments returns the length of the leading comment block of a
 * non-Go file (go/build readComments). */
size_t load_read_comments(const char *data, size_t n);

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

#endif
