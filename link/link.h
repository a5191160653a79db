/*
 * link: the link step of a main package.  This header holds the pure parts
 * that need no action graph: the build info the linker embeds (modinfo),
 * its quoting into importcfg.link, the importcfg.link file itself and its
 * package order, and go's per-package flag values (-gcflags, -ldflags,
 * -asmflags, -gccgoflags) with their pattern matching.
 *
 * Depends on runtime and modload (semver order, package patterns).
 */
#ifndef GOTOOL_LINK_LINK_H
#define GOTOOL_LINK_LINK_H

#include "runtime/runtime.h"

/* ---- build info (runtime/debug.BuildInfo without GoVersion) -------------- */

/*
 * A module as runtime/debug.Module records it.  Strings are borrowed from
 * the caller and must outlive the build info.  version is "(devel)" for a
 * module without one (the caller maps "" as setBuildInfo does); sum is ""
 * for a replaced module, with -mod=vendor, or when go.sum has none.
 */
struct link_module {
	const char *path;
	const char *version;
	const char *sum;
	const struct link_module *replace; /* NULL: not replaced */
};

/* One build setting; key and value are heap copies owned by the build info. */
struct link_setting {
	char *key;
	char *value;
};

/*
 * struct link_buildinfo is what setBuildInfo builds (cmd/go/internal/load/
 * pkg.go): the main package path ("command-line-arguments" for files named
 * on the command line), the main module (main.path NULL: none, as in GOPATH
 * mode), the dependency modules in gover.ModSort order and the settings in
 * the order they were added.  deps is borrowed; settings are owned.
 */
struct link_buildinfo {
	const char *path;
	struct link_module main;
	const struct link_module *const *deps;
	size_t ndeps;
	VEC(struct link_setting) settings;
};

/* link_buildinfo_init zeroes bi (no path, no main module, no deps or settings). */
void link_buildinfo_init(struct link_buildinfo *bi);
/* link_buildinfo_release frees the settings (deps and strings stay the caller's). */
void link_buildinfo_release(struct link_buildinfo *bi);
/* link_buildinfo_add_setting appends key=value, turning each newline of
 * value into a space as load.appendBuildSetting does. */
void link_buildinfo_add_setting(struct link_buildinfo *bi, const char *key, const char *value);
/* link_buildinfo_sort_settings re-sorts the settings by key (bytewise), as
 * load.setPGOProfilePath does after appending -pgo. */
void link_buildinfo_sort_settings(struct link_buildinfo *bi);
/* link_module_cmp orders two modules as gover.ModSort does: by path, then
 * by semver precedence of the version, then bytewise. */
int link_module_cmp(const struct link_module *a, const struct link_module *b);
/* link_modules_sort sorts an array of module pointers with link_module_cmp. */
void link_modules_sort(const struct link_module **mods, size_t n);

/*
 * link_buildinfo_text appends BuildInfo.String() of bi to b (runtime/debug/
 * mod.go), without the "go" line: the linker stores the Go version apart.
 */
void link_buildinfo_text(struct buf *b, const struct link_buildinfo *bi);

/*
 * The inputs of setBuildInfo's settings list (cmd/go/internal/load/pkg.go
 * setBuildInfo and setPGOProfilePath, go1.26).  A NULL string is the same
 * as "".  The caller resolves everything that needs the environment.
 */
struct link_settings_in {
	bool asan, msan, race, cover, trimpath;
	bool asmflags_present;    /* -asmflags was given (even as "") */
	const char *asmflags;     /* raw value of the last -asmflags */
	const char *buildmode;    /* cfg.BuildBuildmode: "default", "exe", "pie", ... */
	bool is_main;             /* p.Name == "main": "default" means exe, else archive */
	const char *compiler;     /* "gc" or "gccgo" */
	const char *gcflags;      /* raw value of the last -gcflags (gc only) */
	const char *gccgoflags;   /* raw value of the last -gccgoflags (gccgo only) */
	const char *ldflags;      /* raw value of the last -ldflags (dropped with -trimpath) */
	char *const *tags;        /* build tags, in command-line order */
	size_t ntags;
	const char *default_godebug; /* p.DefaultGODEBUG */
	bool cgo_enabled;
	/* cfg.Getenv of CGO_CFLAGS, CGO_CPPFLAGS, CGO_CXXFLAGS, CGO_LDFLAGS:
	 * recorded only with cgo on and no -trimpath */
	const char *cgo_cflags, *cgo_cppflags, *cgo_cxxflags, *cgo_ldflags;
	const char *goarch, *goos;
	const char *goexperiment; /* cfg.RawGOEXPERIMENT */
	const char *gofips140;    /* fips140.Version() when GOFIPS140 is on, else NULL */
	const char *arch_var;     /* cfg.GetArchEnv key ("GOAMD64") */
	const char *arch_val;     /* its value ("v1") */
	/* VCS stamp (vcs NULL: none): the tool name ("git"), the revision and the
	 * commit time already formatted as UTC RFC3339Nano (NULL/"" omitted) */
	const char *vcs, *vcs_revision, *vcs_time;
	bool vcs_modified;
	/* PGO profile (absolute path; NULL: no PGO): appended as -pgo (its base
	 * name under -trimpath), then the whole list is re-sorted by key */
	const char *pgo_path;
};

/* link_buildinfo_settings appends the settings setBuildInfo records for in,
 * in its order and under its conditions, to bi. */
void link_buildinfo_settings(struct link_buildinfo *bi, const struct link_settings_in *in);

/* ---- importcfg.link --------------------------------------------------- */

/*
 * link_modinfo_quoted appends `modinfo "<...>"` without a newline: text
 * framed by the 16-byte start and end markers of modload.ModInfoData,
 * quoted with strconv.Quote (cmd/go/internal/work/exec.go writeLinkImportcfg).
 */
void link_modinfo_quoted(struct buf *b, const char *text, size_t n);

/* One packagefile line of importcfg.link (strings borrowed). */
struct link_pkgfile {
	const char *path;   /* import path */
	const char *file;   /* archive: $WORK/bNNN/_pkg_.a or a cache file */
	const char *shlib;  /* -linkshared: the shared library holding it, or NULL */
};

/*
 * link_importcfg_link appends the importcfg.link file to b: a packagefile
 * line per entry in the given (link-deps) order, a packageshlib line after
 * an entry that has a shlib, then the modinfo line for modinfo_text ("" when
 * the package has no build info), each line ending in a newline.
 */
void link_importcfg_link(struct buf *b, const struct link_pkgfile *files, size_t n,
                         const char *modinfo_text, size_t modinfo_len);

/*
 * The package graph seen by link_deps_order: a node is any caller object
 * (the build action of a package).  import_path names it; linked says it
 * is a real build (false for unsafe and builtin, whose actions build
 * nothing); imports lists the node's dependencies in the order of the
 * package's Internal.Imports (imports + implicit cgo/linker imports).
 */
struct link_graph {
	const char *(*import_path)(void *ctx, const void *node);
	bool (*linked)(void *ctx, const void *node);
	size_t (*imports)(void *ctx, const void *node, const void *const **out);
	void *ctx;
};
/* A list of graph nodes (borrowed from the caller). */
struct link_nodes {
	const void **v;
	size_t n, cap;
};
/*
 * link_deps_order appends to out the packages the linker gets, in go's
 * importcfg.link order: the main package first, then a breadth-first walk
 * of the imports, each import path once (work/action.go
 * addTransitiveLinkDeps).  out's array is the caller's to VEC_FREE.
 */
void link_deps_order(const struct link_graph *g, const void *main_node, struct link_nodes *out);

/* ---- per-package flags (cmd/go/internal/load/flag.go) ------------------- */

/*
 * What a per-package flag pattern is matched against: a package's import
 * path and directory (absolute, for relative patterns), whether it was named
 * on the command line (CmdlinePkg or CmdlineFiles), whether it is in the
 * standard library, and for "tool"/"work" what the module loader knows.
 */
struct link_pkg {
	const char *import_path;
	const char *dir;
	bool cmdline;
	bool standard;
	bool modules_enabled;  /* modload.State.Enabled() */
	bool is_tool;          /* the main modules' tool directives list it */
	bool in_main_module;   /* p.Module is one of the main modules */
};

struct link_ppf_value; /* one pattern=flags occurrence (private) */

/* A per-package flag (load.PerPackageFlag): every occurrence is kept. */
struct link_perpkg_flags {
	char *raw;       /* the last value as given (heap), or NULL */
	bool present;    /* the flag appeared at all */
	VEC(struct link_ppf_value *) values;
};

/* link_perpkg_flags_init makes an empty flag (not present). */
void link_perpkg_flags_init(struct link_perpkg_flags *f);
/* link_perpkg_flags_release frees every value. */
void link_perpkg_flags_release(struct link_perpkg_flags *f);
/*
 * link_perpkg_flags_add records one occurrence of the flag with value v,
 * relative patterns taken against cwd; on a bad value returns -1 with e
 * set to go's text ("missing =<value> in <pattern>=<value>", "parameter
 * may not start with quote character '", "unterminated ' string", ...),
 * which go's flag package wraps as `invalid value "v" for flag -x: ...`.
 */
int link_perpkg_flags_add(struct link_perpkg_flags *f, const char *v, const char *cwd, struct err *e);
/* link_perpkg_flags_raw is PerPackageFlag.String(): the last value as given, or "". */
const char *link_perpkg_flags_raw(const struct link_perpkg_flags *f);
/*
 * link_perpkg_flags_for returns the flags for p: those of the last
 * occurrence whose pattern matches p, else none (borrowed from f, never
 * NULL; an empty list has n == 0).
 */
const struct strvec *link_perpkg_flags_for(const struct link_perpkg_flags *f, const struct link_pkg *p);

/* ---- the link command (gcToolchain.ld, go1.26) --------------------- */

/* The inputs of one link command line; strings and vectors borrowed. */
struct link_cmd {
	const struct strvec *toolexec; /* -toolexec words (may be NULL) */
	const char *tooldir;
	const char *out;               /* $WORK/bNNN/exe/a.out */
	const char *importcfg;         /* $WORK/bNNN/importcfg.link */
	const char *installsuffix;     /* or "" */
	bool omit_debug;               /* -s -w (go run) */
	const char *objabi_buildid;    /* cmd/... main packages: -X=cmd/internal/objabi.buildID=, or NULL */
	const char *default_godebug;   /* p.DefaultGODEBUG, or "" */
	const char *ldbuildmode;       /* "exe", "pie" ... */
	const char *buildid;           /* the placeholder, or "" */
	const struct strvec *forced_ldflags, *ldflags;
	const struct strvec *cc;       /* CC words for -extld= */
	const char *mainpkg;           /* the main package archive */
};
/* link_cmd_argv appends the link command line (-extld from cc unless the
 * flags name one); -1 with e set when cc cannot be quoted. */
int link_cmd_argv(const struct link_cmd *in, struct strvec *argv, struct err *e);

#endif
