/*
 * compile: the argv and input files of the compile and asm steps of one
 * package (symabis, go_asm.h, header copies) and the archive packing.
 * It never decides when a step runs: work/ does.
 *
 * Depends on runtime, modload and embed.
 */
#ifndef GOTOOL_COMPILE_COMPILE_H
#define GOTOOL_COMPILE_COMPILE_H

#include "runtime/runtime.h"

/*
 * What is the same for every compile and asm run of one build
 * (cmd/go/internal/work init.go and gc.go): the tools, the target and the
 * flags forced by the build mode.  Strings and vectors are borrowed.
 */
struct compile_target {
	const char *goroot;        /* for -I $GOROOT/pkg/include */
	const char *tooldir;       /* $GOROOT/pkg/tool/<host> */
	const char *goos, *goarch;
	const char *arch_val;      /* the value of the arch variable (GOAMD64 ...), or "" */
	const char *goversion;     /* the toolchain's runtime.Version ("go1.26.8") for -goversion */
	const char *local_version; /* gover.Local ("1.26.8"): -lang limit and default */
	const char *installsuffix; /* cfg.BuildContext.InstallSuffix, or "" */
	const struct strvec *toolexec;       /* -toolexec words (may be empty) */
	const struct strvec *forced_gcflags; /* codegen flags (-shared ...) */
	const struct strvec *forced_asmflags;
	int concurrency;           /* -c=N when > 1 */
	bool trimpath;
};

/* One package as its compile and asm steps see it (strings borrowed). */
struct compile_pkg {
	const char *import_path;   /* ImportPath */
	const char *orig_import_path; /* Internal.OrigImportPath (before test/PGO renaming) */
	const char *name;          /* package name */
	const char *dir;           /* absolute source directory */
	const char *mod_path;      /* p.Module.Path, or NULL without a module */
	const char *mod_version;   /* p.Module.Version ("" for main modules) */
	const char *mod_go;        /* p.Module.GoVersion ("" when none) */
	bool standard, force_library, omit_debug;
	size_t n_nongo;            /* cgo, C, C++, M, F, S, syso and swig files */
	const struct strvec *gcflags, *asmflags; /* the package's -gcflags/-asmflags */
	const char *objdir;        /* $WORK/bNNN/ (with the trailing slash) */
	const char *buildid;       /* -buildid value, or "" */
	const char *pgoprofile;    /* preprocessed profile path, or "" */
	const char *coveragecfg;   /* -cover: <objdir>coveragecfg the cover tool wrote, or NULL */
	bool symabis, embedcfg, asmhdr;
};

/* compile_pkgpath is pkgPath: "main" for a main package that is not a
 * forced library, else the import path (borrowed). */
const char *compile_pkgpath(const struct compile_pkg *p);
/* compile_lang returns the -lang version for p ("go1.26"), heap. */
char *compile_lang(const struct compile_target *t, const struct compile_pkg *p);
/* compile_trimpath appends the -trimpath rewrite of p (Action.trimpath). */
void compile_trimpath(const struct compile_target *t, const struct compile_pkg *p, struct buf *b);
/*
 * compile_gc_argv appends the compile command line of p (gcToolchain.gc):
 * toolexec words, the tool, its flags in go's order and the absolute Go
 * files (gofiles relative to p->dir, or absolute).
 */
void compile_gc_argv(const struct compile_target *t, const struct compile_pkg *p,
                     const char *const *gofiles, size_t n, struct strvec *argv);
/* compile_asm_argv appends asmArgs: everything before -gensymabis/-o. */
void compile_asm_argv(const struct compile_target *t, const struct compile_pkg *p, struct strvec *argv);
/*
 * compile_header_copy returns the name a .h file is copied to in the
 * objdir (x_GOOS_GOARCH.h, x_GOARCH.h, x_GOOS.h), or NULL when the file
 * is not copied; heap.
 */
char *compile_header_copy(const char *goos, const char *goarch, const char *file);

/* ---- pack (helper b1) ---- */
/*
 * compile_pack_append appends the object files objs[0..n) to the archive at
 * path as cmd/go's in-process `pack r` does (60-byte headers: base name
 * cut/space-padded to 16 bytes without '/', mtime 0, uid 0, gid 0, mode
 * 0644, size; content; one 0x00 pad byte when odd).  Members are always
 * appended, never replaced (go 1.26 packInternal).  On error the archive is
 * cut back to its old length and e holds go's text.
 */
int compile_pack_append(const char *path, const char *const *objs, size_t n, struct err *e);
/* ---- end pack ---- */

#endif
