/*
 * work: actions and the scheduler, the build cache, build ids, and the
 * test side of a build: the generated test main, running tests, the test
 * result cache and -json events.  Never parses go.mod or Go source itself
 * beyond what the test main needs from test files.
 */
#ifndef GOTOOL_WORK_WORK_H
#define GOTOOL_WORK_WORK_H

#include "modload/modload.h"
#include "link/link.h"

/* ---- Test main (helper "testmain") ------------------------------------- */

struct arena;
struct buf;
struct err;

/* One test, benchmark, fuzz target or example of a package (load.testFunc). */
struct work_testfunc {
	const char *package;  /* "_test" or "_xtest": the alias the test main imports it as */
	const char *name;     /* function name ("TestX", "ExampleT_m") */
	const char *output;   /* examples: expected output ("" otherwise) */
	bool unordered;       /* examples: "Unordered output:" */
};

/*
 * struct work_testfuncs is load.testFuncs: what the generated _testmain.go
 * lists, in source order per file, TestGoFiles first.  Everything lives in
 * the arena given to work_testfuncs_load.  Coverage (.Cover) is modelled
 * for -cover without -coverpkg (TestCover.Local, Paths nil).
 */
struct work_testfuncs {
	struct work_testfunc *tests, *benchmarks, *fuzz_targets, *examples;
	size_t ntests, nbenchmarks, nfuzz_targets, nexamples;
	struct work_testfunc *test_main; /* NULL when the package has no TestMain */
	const char *import_path;  /* the package under test (.Package.ImportPath) */
	const char *module_path;  /* its module's path, "" outside modules */
	bool import_test, need_test, import_xtest, need_xtest;
	/*
	 * The first error, split as load.setLoadPackageDataError does: a
	 * syntax error (go/scanner.ErrorList) has err_pos, the absolute
	 * "file:line:col" (go shortens it with base.ShortPath) and err_msg
	 * alone; any other error (a wrong test signature, multiple TestMain,
	 * an unreadable file) has err_pos NULL and err_msg the whole text.
	 */
	const char *err_pos;
	const char *err_msg;
	const char *cover_mode;   /* -cover: .Cover.Mode ("set", "count", "atomic"); NULL without */
	struct arena *arena;
};

/*
 * work_testfuncs_load parses the package's test files (dir/file, TestGoFiles
 * imported as "_test", XTestGoFiles as "_xtest") like load.loadTestFuncs.
 * *out is always set (arena-owned), even on error; returns -1 with e set to
 * the error text as go would print it ("file:line:col: msg") on error.
 */
int work_testfuncs_load(struct arena *a, const char *dir, const char *pkg_import_path,
                        const char *const *test_files, size_t ntest,
                        const char *const *xtest_files, size_t nxtest,
                        struct work_testfuncs **out, struct err *e);

/*
 * work_testfuncs_set_package supplies what load.TestPackagesAndErrors knows
 * beyond the test files: the module path (NULL or "" outside a module; copied)
 * and len(p.GoFiles)+len(p.CgoFiles) of the package under test, which makes
 * the test main import the package even when its tests are all in _xtest.
 */
void work_testfuncs_set_package(struct work_testfuncs *t, const char *module_path,
                                size_t n_go_and_cgo_files);

/* work_testmain_format appends the _testmain.go text, byte-identical to go's. */
int work_testmain_format(struct buf *b, const struct work_testfuncs *t, struct err *e);

/*
 * work_testmain_action_id is the cache action id go gives a test main in
 * `go list -test`: SHA-256 over the salt (runtime.Version(), e.g.
 * "go1.26.8"), "testmain\n" and the text (cache.NewHash("testmain")).
 */
void work_testmain_action_id(const char *go_version, const char *data, size_t n,
                             unsigned char out[32]);

/*
 * work_testmain_cache_path returns GOCACHE/xx/<outputid>-d for data (heap):
 * the output id is the plain SHA-256 of data and xx its first byte in hex
 * (cache.DiskCache.OutputFile after Put).
 */
char *work_testmain_cache_path(const char *gocache, const char *data, size_t n);

/* ---- end Test main ---- */

/* ---- #cgo flag checks (work/security.c) ---- */

/*
 * How work matches Go regular expressions from the environment
 * ($CGO_CFLAGS_ALLOW and friends): cmd fills it from the generate room.
 * compile returns 0, or -1 with e set to regexp.Compile's error text;
 * full_match is re.FindString(s) == s.
 */
struct work_regexp_ops {
	int (*compile)(const char *expr, void **out, struct err *e);
	bool (*full_match)(const void *re, const char *s, size_t n);
	void (*free)(void *re);
};

/* The user's overrides for one flag kind: $CGO_<NAME>_ALLOW and _DISALLOW
 * (NULL or "" for none) and the ops that compile them. */
struct work_flag_env {
	const char *allow, *disallow;
	const struct work_regexp_ops *ops;
};

/*
 * work_check_compiler_flags is security.go checkCompilerFlags: 0 when every
 * flag of list is allowed, else -1 with go's "invalid flag in SOURCE: ..."
 * text.  name is "CFLAGS", "CPPFLAGS"...; source is "#cgo CFLAGS" or the
 * like; env may be NULL (no overrides).
 */
int work_check_compiler_flags(const char *name, const char *source, const char *const *list, size_t n,
                              const struct work_flag_env *env, struct err *e);
/* work_check_linker_flags is security.go checkLinkerFlags (see above). */
int work_check_linker_flags(const char *name, const char *source, const char *const *list, size_t n,
                            const struct work_flag_env *env, struct err *e);
/* work_check_pkgconfig_flags is security.go checkPkgConfigFlags (no overrides). */
int work_check_pkgconfig_flags(const char *name, const char *source, const char *const *list, size_t n,
                               struct err *e);
/* work_check_compiler_flags_internal_link is checkCompilerFlagsForInternalLink:
 * -1 when a flag may not work with the internal linker (-flto, or any
 * flag off the allow-list; no overrides). */
int work_check_compiler_flags_internal_link(const char *name, const char *source, const char *const *list, size_t n,
                                            struct err *e);

/*
 * work_split_pkgconfig is splitPkgConfigOutput: pkg-config's output s[0..n)
 * split into out with the POSIX shell's quoting (no expansions); 0, or -1
 * with go's error text ("unterminated quoted string in pkgconf output"...).
 */
int work_split_pkgconfig(const char *s, size_t n, struct strvec *out, struct err *e);

/* ---- building (work/build.c) ---- */

struct link_perpkg_flags;

/* What a build asks for (the build flags that shape the plan). */
struct work_build_opts {
	bool a, n, x, v, work, trimpath;
	bool cover;                  /* cfg.BuildCover: build info records -cover=true */
	const char *instrument;      /* -race/-msan/-asan: "race", "msan", "asan"; or NULL */
	int p;                       /* -p; 0 = the number of CPUs */
	struct strvec toolexec;      /* -toolexec words (borrowed; not freed here) */
	const struct link_perpkg_flags *gcflags, *asmflags, *ldflags;
	const char *buildmode;       /* "default", "exe", "pie", "archive", "c-archive", "c-shared" */
	const char *buildvcs;        /* "auto", "true", "false" */
	const char *installsuffix;   /* or NULL */
	const char *clean_goexperiment; /* cfg.CleanGOEXPERIMENT, or NULL */
	bool omit_debug;             /* go run: -dwarf=false, -s -w */
	bool link_mains;             /* main packages get build info (they are linked) */
	const char *exe_name;        /* link output name in $WORK (go run), or NULL: a.out */
	const char *cwd;             /* the go command's directory */
	const char *cmd_name;        /* "build", "install", "run" (for error text) */
	bool json;                   /* go test -json: build output as JSON events on stdout */
	bool list;                   /* go list's builder (IsCmdList): nothing runs; each
	                              * package's Stale and StaleReason are set from the
	                              * cache and its install target */
	const struct work_regexp_ops *regexp; /* for $CGO_*_ALLOW/_DISALLOW, or NULL */
};

struct work_builder;
struct work_action;

/*
 * gccSupportsFlag's answers in the build cache (work/cgo.c), for cmd's
 * env too: work_gcc_probe_key makes the key of a probe command line (false
 * when its compiler is not found); get answers 1 yes, 0 no, -1 not known.
 */
struct work_cache;
bool work_gcc_probe_key(const char *const *argv, size_t n, unsigned char key[32]);
int work_gcc_probe_get(struct work_cache *c, const unsigned char key[32]);
void work_gcc_probe_put(struct work_cache *c, const unsigned char key[32], bool ok);

/* work_exe_suffix is cfg.ExeSuffix for the build mode: ".exe" on windows
 * (not for c-shared), ".a" for c-archive, else "". */
const char *work_exe_suffix(const struct work_builder *b);

/* work_builder_new prepares a build: the work directory, the tool ids and
 * the environment the tools get.  *out is set even on failure (free it). */
int work_builder_new(const struct cfg *cfg, struct load_state *ld, const struct work_build_opts *o,
                     struct work_builder **out, struct err *e);
/* work_add_build adds the compile of p (and its dependencies), output kept nowhere. */
void work_add_build(struct work_builder *b, struct load_pkg *p);
/* work_add_install builds p, links it when it is a main package, and moves
 * the result to target (-o, go install). */
void work_add_install(struct work_builder *b, struct load_pkg *p, const char *target);
/* work_add_link links main package p; *exe is where the binary will be (heap). */
void work_add_link(struct work_builder *b, struct load_pkg *p, char **exe);
/* ---- vet (work/vet.c) ---- */

/* What go vet / go test tell the vet actions (work.VetTool, VetExplicit, VetHandleStdout). */
struct work_vet_opts {
	const char *tool;      /* -vettool (absolute path), or NULL for $GOTOOLDIR/vet */
	bool explicit_flags;   /* VetExplicit: vet flags were given on the command line */
	bool json_diagnostics; /* go vet without -json: the tool's JSON stdout is printed as
	                        * "file:line:col: message" on stderr and makes the exit status 1;
	                        * false: the tool's stdout is copied to stdout (go test, vet -json) */
	bool cmd_test;         /* the command is go test (GOROOT packages: -unreachable=false too) */
	int context;           /* go vet -c=N: lines of context around a diagnostic; -1 for none */
};

/* work_vet_setup sets the vet settings of b (before any vet action runs);
 * without it: $GOTOOLDIR/vet, stdout copied, not go test, no context. */
void work_vet_setup(struct work_builder *b, const struct work_vet_opts *o);
/*
 * work_vet_action returns p's vet action (VetAction: diagnostics reported),
 * with the vet actions of its imports (facts only) beneath it, created once
 * per package; it is not added to the roots, so a test run can depend on it.
 * vetflags (copied; builder-wide, the last call wins: work.VetFlags) are the
 * tool's flags, e.g. go test's defaults {"-atomic", "-bool", ...} or go vet's
 * {"-json"}.  The action is owned by b.
 */
struct work_action *work_vet_action(struct work_builder *b, struct load_pkg *p, const struct strvec *vetflags);
/* work_add_vet adds p's vet action (work_vet_action) to the roots of b (go vet). */
void work_add_vet(struct work_builder *b, struct load_pkg *p, const struct strvec *vetflags);

/* work_run runs everything added; returns the exit status (0, or 1 after
 * errors printed in go's format). */
int work_run(struct work_builder *b);
/* work_print_build_error prints an error for package desc as the builder
 * prints its own: text on stderr, or build-output/build-fail events on
 * stdout under -json (load.DefaultPrinter().Errorf). */
void work_print_build_error(struct work_builder *b, const char *desc, const char *text);
/* work_root_failed reports whether a failure reached the root action
 * (one that no IgnoreFail action stopped), after work_run. */
bool work_root_failed(const struct work_builder *b);
/* work_dir is the $WORK directory of b. */
const char *work_dir(const struct work_builder *b);
void work_builder_free(struct work_builder *b);

/* ---- end building ---- */

/* ---- go test (work/test.c) ---- */

/* What go test asks of every package's test (its flags, resolved by cmd/test.c). */
struct work_test_opts {
	bool c;                 /* -c: build (and install) only, nothing runs */
	bool show_pass;         /* testShowPass(): -v, -list, or -h among the test flags */
	bool stream;            /* streamOutput: no package arguments, -bench or -fuzz */
	bool stream_and_cache;  /* streamAndCacheOutput: echo and keep */
	bool bench;             /* -bench: runs go one at a time, after every build */
	bool failfast;          /* -failfast: after a failure later runs do nothing */
	bool pkg_args;          /* packages were named: results may be cached, a final FAIL prints */
	bool omit_debug;        /* the test main is built without DWARF and linked -s -w */
	bool json;              /* -test.v=test2json framing: FAIL lines get a \x16 prefix */
	const struct strvec *args;  /* testArgs: injected flags, then the explicit ones */
	const struct strvec *exec;  /* -exec words put before the binary, or NULL */
	const struct strvec *vetflags; /* the vet tool's flags (go test's defaults, or -vet=LIST); NULL: -vet=off */
	int64_t kill_timeout;   /* ns after which a run is stopped (SIGQUIT); 0: never */
	int64_t wait_delay;     /* ns from SIGQUIT to SIGKILL */
	const char *cover_mode; /* -cover: cfg.BuildCoverMode; NULL without -cover */
	const char *coverprofile; /* -coverprofile file (absolute), or NULL */
};

/*
 * work_cover_package marks p for coverage instrumentation (Internal.Cover.Mode
 * = mode; genmeta: the cover tool also writes the package's meta-data file,
 * GenMeta).  Call it before any action for p is added.
 */
void work_cover_package(struct work_builder *b, struct load_pkg *p, const char *mode, bool genmeta);

/* work_set_test_opts makes b a go test builder (before any work_add_test). */
void work_set_test_opts(struct work_builder *b, const struct work_test_opts *o);

/*
 * work_add_test adds go test's actions for package p (builderTest): with
 * pmain NULL, a package without test files (its build, then "?   p [no
 * test files]"); otherwise the test main pmain (its _testmain.go text is
 * testmain), ptest and pxtest as load_test_packages made them.  install is
 * the -c/-o target (absolute), NULL for none; imported: another package
 * being tested imports p.
 */
int work_add_test(struct work_builder *b, struct load_pkg *p, struct load_pkg *pmain, struct load_pkg *ptest,
                  struct load_pkg *pxtest, const char *testmain, size_t ntestmain, const char *install,
                  bool imported, struct err *e);

/* ---- end go test ---- */

/* ---- build ids (helper b1) ---- */

/* work_hash_to_string writes HashToString(h): URL-safe base64 (no padding)
 * of the first 15 bytes of h, 20 characters plus NUL. */
void work_hash_to_string(const unsigned char h[32], char out[21]);
/*
 * work_buildid_update rewrites the build id placeholder in the file at path
 * as cmd/go updateBuildID does: the content hash (placeholder occurrences,
 * the ELF .note.gnu.build-id descriptor and a Mach-O code signature read as
 * zeros) replaces the placeholder's last component, written over every
 * occurrence; a Mach-O with an ad-hoc signature is re-signed.  *newid is
 * the new id (heap), or NULL when no occurrence was found (file untouched).
 */
int work_buildid_update(const char *path, const char *placeholder, char **newid, struct err *e);
/* work_buildid_read reads the build id of a Go archive or binary (heap). */
int work_buildid_read(const char *path, char **id, struct err *e);

/* ---- end build ids ---- */

/* ---- test2json ---- */

/*
 * A test2json converter (cmd/internal/test2json.Converter, go1.26) turns a
 * test binary's output into the JSON events of `go test -json`.  It is
 * streaming: write the output in chunks of any size as it comes, then
 * close.  out receives each event as one complete JSON line ending in
 * '\n' (the bytes are borrowed for the call only).
 */
struct work_t2j;

enum {
	WORK_T2J_TIMESTAMP = 1, /* test2json.Timestamp: "Time" fields and Elapsed (go test -json sets it) */
};

/* Tuning for tests: zero fields take test2json's defaults. */
struct work_t2j_opts {
	size_t in_buffer;  /* longest framing line recognised (4096; test2json's inBuffer) */
	size_t out_buffer; /* longest single output event (1024; outBuffer), at least 4 */
	/* now returns nanoseconds: wall time since the Unix epoch (mono false,
	 * printed in the local zone) or a monotonic reading (mono true). */
	int64_t (*now)(void *ctx, bool mono);
	void *now_ctx;
};

/* work_t2j_new starts a converter for package pkg ("" for none) and emits
 * the "start" event; free it with work_t2j_close. */
struct work_t2j *work_t2j_new(const char *pkg, int flags,
                              void (*out)(void *ctx, const char *line, size_t n), void *ctx);
/* work_t2j_new_opts is work_t2j_new with buffer sizes and a clock (o may be NULL). */
struct work_t2j *work_t2j_new_opts(const char *pkg, int flags, const struct work_t2j_opts *o,
                                   void (*out)(void *ctx, const char *line, size_t n), void *ctx);
/* work_t2j_write feeds raw test binary output (stdout and stderr merged). */
void work_t2j_write(struct work_t2j *c, const char *data, size_t n);
/* work_t2j_exited is Converter.Exited: status 0 (err == nil) or not. */
void work_t2j_exited(struct work_t2j *c, int status_or_err);
/* work_t2j_set_failed_build is SetFailedBuild: the package (its Desc())
 * whose failed build made the test fail, reported in the final "fail". */
void work_t2j_set_failed_build(struct work_t2j *c, const char *pkg_desc);
/* work_t2j_close flushes partial lines, emits the final pass/fail/skip
 * event (if a result is known) and frees c (NULL is fine). */
void work_t2j_close(struct work_t2j *c);

/* ---- end test2json ---- */

#endif
