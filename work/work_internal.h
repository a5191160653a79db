/*
 * work internals shared by the room's files (not for other rooms).
 */
#ifndef GOTOOL_WORK_WORK_INTERNAL_H
#define GOTOOL_WORK_WORK_INTERNAL_H

#include <stdint.h>
#include <sys/types.h>

#include "compile/compile.h"
#include "work/work.h"

/* ---- Test main (helper "testmain") ---- */

/*
 * work_is_test reports whether name looks like a test for prefix ("Test",
 * "Benchmark", "Fuzz", "Example"): the prefix alone, or the prefix followed
 * by a rune that is not lower case (load.isTest / go/doc.isTest).
 */
bool work_is_test(const char *name, const char *prefix);

/*
 * work_comment_text is go/ast.CommentGroup.Text for the raw comments
 * texts[0..n) (each "//..." or a "/ *...* /" block, CRs already stripped);
 * appends the text to b.
 */
void work_comment_text(struct buf *b, const char *const *texts, const size_t *lens, size_t n);

/*
 * work_example_output applies go/doc's exampleOutput rules to the text of
 * the last comment group of an example body: returns true when it starts
 * with an output comment, and sets *out_off to where the expected output
 * starts in text and *unordered.
 */
bool work_example_output(const char *text, size_t n, size_t *out_off, bool *unordered);

/* ---- the action graph (build.c; go test's actions in test.c, vet in vet.c) ---- */

#include <stdbool.h>

struct work_testrun;
struct work_vet_state;

/*
 * Action modes.  The A_TEST* modes are go test's "test run", "test clean"
 * and "test print"; A_BARRIER is its "test barrier" (a nop that keeps runs
 * starting in command-line order); A_VET is a vet action.
 */
enum amode {
	A_BUILTIN, A_BUILD, A_NOP, A_LINK, A_INSTALL, A_ROOT, A_PGO, A_VET,
	A_TESTRUN, A_TESTCLEAN, A_TESTPRINT, A_BARRIER,
	A_INSTHDR, /* go's "install header" (c-archive, c-shared) */
	A_CGORUN, A_CGOCC, A_CGOCOLLECT, /* go's "cgo run", "cgo compile F", "collect cgo" */
};

/* OP_TEST runs a test binary: the user's environment, its output routed
 * through work_test_output, its exit handed to work_test_exited. */
enum opkind { OP_PROC, OP_FUNC, OP_TEST };

struct work_action;
struct work_builder;

/* One step of an action: a tool run or in-process work. */
struct op {
	enum opkind kind;
	struct strvec argv;
	char *dir;             /* working directory ("" = the go command's own) */
	struct strvec env;     /* extra environment (shown by -x) */
	const char *desc;      /* reportCmd desc ("" = package) */
	bool report_in_dir;    /* reportCmd shortens paths from dir, not the package's dir */
	bool may_fail;         /* a failure is an answer, not an error: the status goes to the
	                        * action's last_status and the output is dropped (gccld) */
	bool capture;          /* on success the output goes to the action's captured, not
	                        * to the user (pkg-config) */
	int (*fn)(struct work_builder *b, struct work_action *a, struct err *e);
};

/* The compile a cgo compile action runs (action.go cgoAction's compileFunc). */
enum work_cgo_compiler {
	CGO_GCC,      /* gcc: C and Objective-C files with $CC and the C flags */
	CGO_GAS,      /* gas: an assembly file, as gcc, after the Go assembly check */
	CGO_GXX,      /* gxx: a C++ file with $CXX and the C++ flags */
	CGO_GFORTRAN, /* gfortran: a Fortran file with $FC and the Fortran flags */
};

struct work_action {
	enum amode mode;
	struct load_pkg *p;
	VEC(struct work_action *) deps;
	VEC(struct work_action *) triggers;
	int pending, priority;
	bool visited, failed, done, queued;
	char *objdir;          /* real path with trailing slash */
	char *target;          /* install target / link output */
	char *built;           /* output file */
	char *buildid;         /* placeholder id given to the tool, then the final id */
	char aid[21];          /* action id, HashToString */
	unsigned char aid_sum[32]; /* the whole action id (the cache key) */
	bool cached;           /* the output came from the cache */
	bool named_exe;        /* link for run: the binary must exist at target (os.Args[0]) */
	char *install_target;  /* link: where the install step puts the binary, or NULL */
	bool target_hit;       /* link: install_target is already this link's output */
	struct work_action *main_build; /* link: the main package's build action */
	const char *pgo_input;  /* A_PGO: the profile (absolute) */
	/* build details */
	struct strvec gcflags, asmflags, ldflags;
	char *modinfo;         /* build info text (main packages), or NULL */
	VEC(struct op) ops;
	size_t op_i;
	pid_t pid;
	int fd;
	struct buf out;
	struct strvec objects; /* files to pack */
	bool ignore_fail;      /* runs even when a dependency failed (go's IgnoreFail) */
	bool omit_debug;       /* -dwarf=false, -s -w (go run, test mains) */
	struct work_testrun *tr; /* A_TESTRUN/A_TESTCLEAN/A_TESTPRINT: the run */
	int64_t deadline;      /* running test: CLOCK_MONOTONIC ns of the next kill step, 0 none */
	struct work_action *failed_by; /* the action whose failure this one inherited (go's a.Failed) */
	bool test_cached;      /* link: skipped, the test result came from the cache */
	/* vet (work/vet.c) */
	bool vet_only;         /* build: only the vet config is wanted (ModeVetOnly: no compile) */
	bool need_vet;         /* build: a vet action reads its config (needVet) */
	bool need_hdr;         /* build: an install header action reads cgo's _cgo_install.h (needCgoHdr) */
	bool vetx_only;        /* vet: only facts for dependents (VetxOnly), no diagnostics */
	/* -cover (work/cover.c) */
	const char *cover_mode; /* build: Internal.Cover.Mode ("set", "count", "atomic",
	                         * "testmain"), NULL when the package is not instrumented */
	bool cover_meta;       /* build: GenMeta, the cover tool writes the meta-data file */
	struct strvec cover_gofiles; /* build: the Go files compiled after the cover tool ran
	                         * (covervars.go, the .cover.go files, the _test.go files) */
	/* cgo (work/cgo.c) */
	struct work_cgo *cgo;  /* build, cgo run, compile and collect actions of a cgo
	                        * package: their shared state (owned by the build action) */
	const char *cgo_file;  /* A_CGOCC: the file as go names it (objdir path or package-relative) */
	enum work_cgo_compiler cgo_compiler; /* A_CGOCC: which compile of action.go's cgoAction */
	int last_status;       /* status of the last may_fail op (0 success) */
	char *captured;        /* output of the last capture op (heap), or NULL */
};

struct work_builder;
/* work_ensure_workdir makes $WORK if it is not made yet (a no-op under -n). */
int work_ensure_workdir(struct work_builder *b, struct err *e);

struct work_builder {
	const struct cfg *cfg;
	struct load_state *ld;
	struct work_build_opts o;
	struct arena *a;
	/* $WORK.  Without -x, -work and -n its name is chosen up front (the
	 * actions' paths are made from it) but the directory is only made by
	 * work_ensure_workdir, before the first file goes in, so a build that
	 * runs nothing (all cache hits) makes and removes no directory. */
	char *workdir;
	bool workdir_made;
	int nobj;
	VEC(struct work_action *) all;
	struct map build_actions; /* import path (+fork suffix) -> action */
	struct work_action *root;
	struct compile_target ct;
	struct strvec forced_gcflags, forced_asmflags, forced_ldflags;
	const char *ldbuildmode;
	const char *exe_suffix; /* cfg.ExeSuffix */
	bool c_header;          /* c-archive, c-shared: cgo writes _cgo_install.h */
	char *salt;
	char *tool_compile, *tool_asm, *tool_link, *tool_preprofile; /* -V=full ids */
	struct strvec env;     /* the environment every tool gets */
	struct strvec changed_env; /* cfgChangedEnv */
	struct strvec cc;
	char *script_dir;      /* ShowCmd's current directory */
	struct map mkdirs;
	bool hashdebug;
	int running;
	struct work_cache *cache; /* NULL: GOTOOLCACHE=off */
	struct map flags_of;   /* test variant (key "%p") -> the package whose flags it takes */
	const struct work_test_opts *topts; /* go test's options, NULL otherwise */
	const char *cur_desc;  /* the package of the action being started (for -x under -json) */
	struct work_action *prev_barrier, *prev_print; /* go test's chains */
	VEC(struct work_action *) test_builds; /* -bench: the first run waits for every build */
	VEC(struct work_action *) test_runs;
	VEC(struct work_action *) test_prints;
	struct work_vet_state *vet; /* vet actions' shared settings (work/vet.c), or NULL */
	struct map cover_of;   /* "%p" of a package -> its cover mode (work_cover_package) */
	struct map cover_meta_of; /* "%p" of a package -> non-NULL when it is GenMeta */
	char *tool_cover;      /* -V=full id of the cover tool, once asked for */
	char *tool_cgo;        /* -V=full id of the cgo tool, once asked for */
	struct map gcc_flags;  /* gccSupportsFlag answers of this run ("cc\x00flag" -> "1"/"0") */
	struct map gcc_ids;    /* gccToolID answers ("cc.c" -> id or "\x01error text") */
};

/* cache.NewHash: the salt, then what is written (GODEBUG=gocachehash=1 shows it) */
struct work_hasher {
	struct hash_sha256 h;
	char *name;
	bool debug;
};
void work_hasher_init(struct work_hasher *h, struct work_builder *b, const char *name);
void work_hasher_write(struct work_hasher *h, const char *s, size_t n);
void work_hasher_printf(struct work_hasher *h, const char *fmt, ...) PRINTF_LIKE(2, 3);
void work_hasher_sum(struct work_hasher *h, unsigned char out[32]);
/* work_subkey sets out to cache.Subkey(parent, desc) (vet.c), printing go's "HASH subkey"
 * line under GODEBUG=gocachehash=1. */
void work_subkey(struct work_builder *b, const unsigned char parent[32], const char *desc,
                 unsigned char out[32]);

/* build.c functions test.c and vet.c use */
/* work_quote_list formats a []string with %q: ["a" "b"], or [] for none (heap). */
char *work_quote_list(const struct strvec *v);
struct work_action *work_new_action(struct work_builder *b, enum amode mode, struct load_pkg *p);
char *work_new_objdir(struct work_builder *b);
struct work_action *work_build_action(struct work_builder *b, struct load_pkg *p);
struct work_action *work_link_action(struct work_builder *b, struct load_pkg *p);
void work_add_func(struct work_action *a, int (*fn)(struct work_builder *, struct work_action *, struct err *));
struct op *work_add_proc(struct work_action *a, const char *dir, const char *desc);
int work_mkdir(struct work_builder *b, const char *dir, struct err *e);
int work_mkdir_announce(struct work_builder *b, const char *dir, struct err *e);
/* work_fmt_cmd is Shell.fmtCmd: the work dir shown as $WORK (heap). */
char *work_fmt_cmd(struct work_builder *b, const char *cmd);
/* work_show_cmd prints cmd as Shell.ShowCmd does (dir "" = no cd). */
void work_show_cmd(struct work_builder *b, const char *dir, const char *cmd);
/* work_build_action_find returns p's build action if one exists, else NULL. */
struct work_action *work_build_action_find(struct work_builder *b, struct load_pkg *p);
/* work_write_file is Shell.writeFile (shown as echo/cat under -n/-x; nothing written under -n). */
int work_write_file(struct work_builder *b, const char *file, const char *text, size_t n, struct err *e);
/* work_tool_id is toolID(name): the -V=full id of a tool (heap, memoised in the cache). */
int work_tool_id(struct work_builder *b, const char *name, char **out, struct err *e);
/* work_file_hash is fileHash: HashToString of the file's SHA-256 (gocachehash printed). */
int work_file_hash(struct work_builder *b, const char *path, char out[21], struct err *e);
/* work_signal_text is os.ProcessState.String for a failed wait status: "exit status 2", "signal: killed" (heap). */
char *work_exit_text(int status);
/* work_now_ns is CLOCK_MONOTONIC in nanoseconds. */
int64_t work_now_ns(void);

/* test.c entry points the scheduler calls */
int work_test_start(struct work_builder *b, struct work_action *a, struct err *e);
void work_test_output(struct work_builder *b, struct work_action *a, const char *data, size_t n);
void work_test_exited(struct work_builder *b, struct work_action *a, int status);
void work_test_deadline(struct work_builder *b, struct work_action *a);
void work_test_free(struct work_action *a);
/* work_test_link_cached: the link feeds only a test run whose result is cached. */
bool work_test_link_cached(struct work_builder *b, struct work_action *link);
/* work_test_wire adds the edges that need every test added (-bench order). */
void work_test_wire(struct work_builder *b);

/* ---- -cover (work/cover.c) ---- */

/* work_cover_meta_name is covcmd.MetaFileForPackage: "covmeta.<hex sha256 of ip>" (heap). */
char *work_cover_meta_name(const char *import_path);
/* work_cover_setup sets a new build action's cover mode from b's maps. */
void work_cover_setup(struct work_builder *b, struct work_action *a);
/* work_cover_hash writes buildActionID's "cover" line (nothing when a is not covered). */
int work_cover_hash(struct work_builder *b, struct work_action *a, struct work_hasher *h, struct err *e);
/* work_cover_add_ops lays out the cover tool's steps (pkgcfg.txt,
 * coveroutfiles.txt, the tool) and fills a->cover_gofiles. */
void work_cover_add_ops(struct work_builder *b, struct work_action *a);
/* work_cover_merge appends profile lines to the -coverprofile file (no-op without one). */
void work_cover_merge(struct work_builder *b, const char *text, size_t n);
/* work_cover_merge_data merges profile data (its mode line checked and dropped); name is for errors. */
void work_cover_merge_data(struct work_builder *b, const char *name, const char *data, size_t n);
/* work_cover_merge_profile is mergeCoverProfile: a test's profile without its mode line. */
void work_cover_merge_profile(struct work_builder *b, const char *file);
/*
 * work_cover_no_tests is the -cover part of a run without test files
 * (BuildActionCoverMetaFile, WriteCoveragePercent, WriteCoverageProfile),
 * done in-process where go runs `go tool covdata`: returns 0 when the
 * package has no functions ("[no test files]" follows), 1 when the
 * percentage line went to out, -1 on error.
 */
int work_cover_no_tests(struct work_builder *b, struct work_action *run, struct work_action *build,
                        struct buf *out, struct err *e);

/* ---- cgo (work/cgo.c) ---- */

/*
 * struct work_cgo is what a cgo package's actions share: go's runCgoProvider
 * (the flags and Go files of the cgo run) and the outcome of the build's
 * cache check, which the cgo run does first (go's "build check cache"
 * action precedes it).
 */
struct work_cgo {
	struct work_action *build, *run, *collect;
	bool checked;          /* the build's cache check ran */
	bool hit;              /* ... and the build is done (cache, list) */
	struct strvec cflags;  /* CPPFLAGS (with -I objdir) + CFLAGS */
	struct strvec cxxflags; /* CPPFLAGS (with -I objdir) + CXXFLAGS */
	struct strvec fflags;  /* CPPFLAGS (with -I objdir) + FFLAGS */
	struct strvec ldflags; /* $CGO_LDFLAGS + #cgo LDFLAGS */
	struct strvec gofiles; /* _cgo_gotypes.go, F.cgo1.go...: for the compiler */
	bool not_internal;     /* a flag the internal linker may not handle (preferlinkext) */
	VEC(struct work_action *) compiles; /* the cgo compile actions, in go's order */
	struct strvec objects; /* outObj: preferlinkext, the compile outputs, dynimportfail */
	bool dyn_ok;           /* the _cgo_.o link worked: _cgo_import.go is compiled */
	struct strvec pc_cflags, pc_ldflags; /* pkg-config --cflags and --libs */
	bool hdr_only;         /* the archive is cached but not the export header: cgo and the C
	                        * compiles run again, nothing after them (need == needCgoHdr) */
	bool vet_files_only;   /* the archive is cached but not cgo's Go files: cgo runs again
	                        * for the vet config and the compile is skipped (need == needVet) */
};

/* work_cgo_cache_srcfiles records the Go files cgo generated for build
 * action a under subkeys of its action id (cacheSrcFiles; cgovet.c). */
void work_cgo_cache_srcfiles(struct work_builder *b, struct work_action *a);
/* work_cgo_cache_header records cgo's export header of build action a
 * (_cgo_install.h, when cgo wrote one) under the subkey of its name
 * (cacheCgoHdr); work_cgo_load_cached_header copies it back into the
 * objdir: 1 done, 0 not cached, -1 error (loadCachedCgoHdr; cgovet.c). */
void work_cgo_cache_header(struct work_builder *b, struct work_action *a);
int work_cgo_load_cached_header(struct work_builder *b, struct work_action *a, struct err *e);
/* work_cgo_load_cached_vet copies the Go files cgo generated for a from
 * the cache into its objdir and sets a->cgo->gofiles (loadCachedVet):
 * 1 done, 0 not all there (run cgo), -1 error. */
int work_cgo_load_cached_vet(struct work_builder *b, struct work_action *a, struct err *e);

/* work_cgo_actions adds the cgo run, compile and collect actions of build
 * action a (cgoAction) and makes a depend on the collect. */
void work_cgo_actions(struct work_builder *b, struct work_action *a);
/* work_cgo_start lays out the steps of a cgo run or cgo compile action. */
int work_cgo_start(struct work_builder *b, struct work_action *a, struct err *e);
/* work_cgo_build_ops adds to build action a the steps of processCgoOutputs
 * (the _cgo_.o link and cgo -dynimport); the last one calls work_build_compile_ops. */
void work_cgo_build_ops(struct work_builder *b, struct work_action *a);
/* work_cgo_link_compiler sets out to the C compiler the linker runs
 * (-extld): $CXX when a package in link action a's program has C++ files,
 * else $CC (gc.go ld's cxx). */
int work_cgo_link_compiler(struct work_builder *b, const struct work_action *a, struct strvec *out, struct err *e);
/* work_cgo_hash writes buildActionID's cgo lines (cgo tool, CC and flags, the compiler's id). */
int work_cgo_hash(struct work_builder *b, struct work_action *a, struct work_hasher *h, struct err *e);
/* work_cgo_free releases a build action's cgo state. */
void work_cgo_free(struct work_cgo *c);

/* build.c for cgo.c */
/* work_build_check is the "build check cache" step of build action a:
 * 1 when nothing is left to build (a cache hit, go list), 0 when the
 * objdir is made and the build must run, -1 on error. */
int work_build_check(struct work_builder *b, struct work_action *a, struct err *e);
/* work_build_compile_ops adds the compile, asm and pack steps of build action a. */
int work_build_compile_ops(struct work_builder *b, struct work_action *a, struct err *e);
/* work_hash_subkey is cache.Subkey: SHA-256 of "subkey:", parent and desc. */
void work_hash_subkey(const unsigned char parent[32], const char *desc, unsigned char out[32]);
/* work_join_unambiguously appends args as go's joinUnambiguously shows them. */
void work_join_unambiguously(struct buf *out, char *const *args, size_t n);

/* ---- vet (work/vet.c) ---- */

/* work_vet_start lays out the steps of a vet action (Builder.vet). */
int work_vet_start(struct work_builder *b, struct work_action *a, struct err *e);
/* work_vet_state_free releases b->vet. */
void work_vet_state_free(struct work_vet_state *s);

#endif
