/*
 * work: actions and the scheduler, the build cache, build ids, and the
 * test side of a build: the generated test main, running tests, the test
 * result cache and -json events.  Never parses go.mod or Go source itself
 * beyond what the test main needs from test files.
 */
#ifndef GOTOOL_WORK_WORK_H
#define GOTOOL_WORK_WORK_H

#include "modload/modload.h"

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
 * the arena given to work_testfuncs_load.  Coverage (.Cover) is not
 * modelled: the test main is generated as for a run without -cover.
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

#endif
