/*
 * Unit tables for modload/modfile.c.  The error rows were recorded from the
 * real go 1.26.8 (`go mod edit -json` / `go work edit -json` on each input
 * in a temp dir, file name rewritten to D/go.mod); go prints them after
 * "go: errors parsing go.mod:\n".
 */
#include <stdlib.h>
#include <string.h>

#include "modload/modload.h"
#include "test.h"

static const struct {
	const char *in, *err; /* err "" means the file parses */
} mod_tests[] = {
	{"module x.y/z\nfoo bar\n", "D/go.mod:2: unknown directive: foo"},
	{"module x.y/z\ngo 1.2.3.4\n", "D/go.mod:2: invalid go version '1.2.3.4': must match format 1.23.0"},
	{"module x.y/z\ngo 1.21\ngo 1.22\n", "D/go.mod:3: repeated go statement"},
	{"module x.y/z\ntoolchain 1.21\n", "D/go.mod:2: invalid toolchain version '1.21': must match format go1.23.0 or default"},
	{"module x.y/z\nrequire x.y/w\n", "D/go.mod:2: usage: require module/path v1.2.3"},
	{"module x.y/z\nrequire x.y/w v1.2\n", ""},
	{"module x.y/z\nrequire (\n\tx.y/w foo\n)\n", "D/go.mod:3:2: require x.y/w: version \"foo\" invalid: must be of the form v1.2.3"},
	{"module x.y/z\nrequire x.y/w/v2 v1.0.0\n", "D/go.mod:2: require x.y/w/v2: version \"v1.0.0\" invalid: should be v2, not v1"},
	{"module x.y/z\nrequire x.y/w/v1 v1.0.0\n", "D/go.mod:2: invalid module path"},
	{"module x.y/z\nreplace x.y/w => x.y/q\n", "D/go.mod:2: replacement module without version must be directory path (rooted or starting with . or ..)"},
	{"module x.y/z\nreplace x.y/w => x.y/q@v1.0.0\n", "D/go.mod:2: replacement module must match format 'path version', not 'path@version'"},
	{"module x.y/z\nreplace x.y/w => ./q v1.0.0\n", "D/go.mod:2: replacement module directory path \"./q\" cannot have version"},
	{"module x.y/z\nreplace x.y/w v1 => \n", "D/go.mod:2: usage: replace module/path [v1.2.3] => other/module v1.4\n\t or replace module/path [v1.2.3] => ../local/directory"},
	{"module x.y/z\nretract [v1.0.0 v1.1.0]\n", "D/go.mod:2: expected ',' after version"},
	{"module x.y/z\nretract v1.0.0 v1.1.0\n", "D/go.mod:2: unexpected token after version: \"v1.1.0\""},
	{"module x.y/z\nretract (\n", "D/go.mod:3: syntax error (unterminated block started at D/go.mod:2:1)"},
	{"module x.y/z\n/* hi */\n", "D/go.mod:2: mod files must use // comments (not /* */ comments)"},
	{"module x.y/z\nrequire \"x.y/w v1.0.0\n", "D/go.mod:2:22: unexpected newline in string"},
	{"module x.y/z\nrequire x.y/w v1.0.0 foo\n", "D/go.mod:2: usage: require module/path v1.2.3"},
	{"module x.y/z\nfoo (\n\tbar\n)\n", "D/go.mod:2: unknown block type: foo"},
	{"module x.y/z\nrequire x ( y\n", "D/go.mod:2: usage: require module/path v1.2.3"},
	{"module x.y/z\nrequire (\n\tx.y/w v1.0.0\n) x\n", "D/go.mod:4:4: syntax error (expected newline after closing paren)"},
	{"module x.y/z\ngodebug foo\n", "D/go.mod:2: usage: godebug key=value"},
	{"module x.y/z\ngodebug \"a=b\"\n", "D/go.mod:2: usage: godebug key=value"},
	{"module x.y/z\nrequire x.y/w `v1.0.0`\n", "D/go.mod:2: require x.y/w: version \"`v1.0.0`\" invalid: unquoted string cannot contain quote"},
	{"module x.y/z\nrequire x.y/w \"v1.0\\q\"\n", "D/go.mod:2: require x.y/w: version \"\\\"v1.0\\\\q\\\"\" invalid: invalid syntax"},
	{"module x.y/z\nrequire x.y/w v1.0.0+meta\n", ""},
	{"module x.y/z\nrequire x.y/w v2.0.0+incompatible\n", ""},
	{"module a b\n", "D/go.mod:1: usage: module module/path"},
	{"module x.y/z\ntool\n", "D/go.mod:2: tool directive expects exactly one argument"},
	{"module x.y/z\nignore a b\n", "D/go.mod:2: ignore directive expects exactly one argument"},
	{"module x.y/z\nexclude x.y/w v1\nexclude x.y/w/v3 v2.0.0\n", "D/go.mod:3: exclude x.y/w/v3: version \"v2.0.0\" invalid: should be v3, not v2"},
	{"module x.y/z\nrequire x.y/w v1.0.0\x01\n", "D/go.mod:2:21: unexpected input character '\\x01'"},
	{"module x.y/z\nretract [v1.0.0, v1.1.0] x\n", "D/go.mod:2: unexpected token after version: \"x\""},
	{"module x.y/z\nretract (\n\t[v1.0.0, \n)\n", "D/go.mod:3:2: expected version after ','"},
	{"module x.y/z\nreplace ./a => ./b\n", ""},
	{"module x.y/z\nreplace x.y/w/v1 => ./b\n", "D/go.mod:2: replace x.y/w/v1: invalid module path"},
	{"module x.y/z\nreplace x.y/w v1.0.0 => ./b\\c\n", "D/go.mod:2: replacement directory appears to be Windows path (on a non-windows system)"},
	{"module x.y/z\ntoolchain go1.21 x\ntoolchain default\ntoolchain go1.22\n", "D/go.mod:2: toolchain directive expects exactly one argument\nD/go.mod:4: repeated toolchain statement"},
	{"module x.y/z\n  go 1.x\n", "D/go.mod:2:3: invalid go version '1.x': must match format 1.23.0"},
	{"require x.y/w v1.0.0 // indirect\n", ""},
};

static void test_errors(void)
{
	for (size_t i = 0; i < countof(mod_tests); i++) {
		struct arena a;
		struct err e = ERR_INIT;
		struct mod_file *f = NULL;
		arena_init(&a);
		int rc = mod_file_parse(&a, "D/go.mod", mod_tests[i].in, strlen(mod_tests[i].in), true, &f, &e);
		T_INTEQ(rc, mod_tests[i].err[0] ? -1 : 0, "row %zu rc: %s", i, err_msg(&e));
		T_STREQ(err_msg(&e), mod_tests[i].err, "row %zu error", i);
		T_TRUE((f != NULL) == (rc == 0), "row %zu result", i);
		err_clear(&e);
		arena_release(&a);
	}
}

/* The file and expectations below were checked with `go mod edit -json`. */
static const char good_mod[] =
	"// Deprecated: top comment\n"
	"// more\n"
	"\n"
	"// Deprecated: use x.y/v2 instead.\n"
	"// second line\n"
	"//\n"
	"// other\n"
	"module x.y/z // trailing\n"
	"\n"
	"go 1.21\n"
	"\n"
	"require (\n"
	"\tx.y/a v1.0.0 // indirect\n"
	"\tx.y/b v1.1.0 // indirect; hi\n"
	"\tx.y/c v1.2.0 //indirect\n"
	"\t\"x.y/d\" v1.3.0 // indirectly\n"
	")\n"
	"\n"
	"// block comment\n"
	"retract (\n"
	"\tv1.0.0 // bad release\n"
	"\t// the next one\n"
	"\t[v1.1.0, v1.2.0]\n"
	"\tv1.5.0\n"
	")\n"
	"retract v2.0.0 // single\n"
	"replace x.y/a v1.0.0 => ../a\n"
	"replace x.y/b => x.y/bb v1.0.0\n"
	"godebug (\n"
	"\tpanicnil=1\n"
	")\n"
	"tool x.y/tool\n"
	"ignore ./foo\n"
	"toolchain go1.22.3\n"
	"exclude x.y/e v1.2\n";

static void test_good(void)
{
	struct arena a;
	struct err e = ERR_INIT;
	struct mod_file *f = NULL;
	arena_init(&a);
	T_INTEQ(mod_file_parse(&a, "go.mod", good_mod, strlen(good_mod), true, &f, &e), 0, "good: %s", err_msg(&e));
	if (f == NULL) {
		arena_release(&a);
		return;
	}
	T_STREQ(f->module, "x.y/z", "module");
	T_INTEQ(f->module_line, 8, "module line");
	T_STREQ(f->deprecated, "use x.y/v2 instead.\nsecond line", "deprecated");
	T_STREQ(f->go, "1.21", "go");
	T_INTEQ(f->go_line, 10, "go line");
	T_STREQ(f->toolchain, "go1.22.3", "toolchain");
	T_INTEQ(f->toolchain_line, 34, "toolchain line");
	T_INTEQ(f->requires.n, 4, "requires");
	if (f->requires.n == 4) {
		T_STREQ(f->requires.v[0].mod.path, "x.y/a", "req 0");
		T_TRUE(f->requires.v[0].indirect, "req 0 indirect");
		T_TRUE(f->requires.v[1].indirect, "req 1 indirect; hi");
		T_TRUE(f->requires.v[2].indirect, "req 2 //indirect");
		T_STREQ(f->requires.v[3].mod.path, "x.y/d", "req 3 unquoted");
		T_TRUE(!f->requires.v[3].indirect, "req 3 indirectly");
		T_INTEQ(f->requires.v[3].line, 16, "req 3 line");
	}
	T_INTEQ(f->retracts.n, 4, "retracts");
	if (f->retracts.n == 4) {
		T_STREQ(f->retracts.v[0].low, "v1.0.0", "r0 low");
		T_STREQ(f->retracts.v[0].rationale, "bad release", "r0 rationale");
		T_STREQ(f->retracts.v[1].low, "v1.1.0", "r1 low");
		T_STREQ(f->retracts.v[1].high, "v1.2.0", "r1 high");
		T_STREQ(f->retracts.v[1].rationale, "the next one", "r1 rationale");
		T_STREQ(f->retracts.v[2].rationale, "block comment", "r2 rationale from block");
		T_STREQ(f->retracts.v[3].rationale, "single", "r3 rationale");
	}
	T_INTEQ(f->replaces.n, 2, "replaces");
	if (f->replaces.n == 2) {
		T_STREQ(f->replaces.v[0].old.version, "v1.0.0", "rep0 old version");
		T_STREQ(f->replaces.v[0].new.path, "../a", "rep0 dir");
		T_STREQ(f->replaces.v[0].new.version, "", "rep0 dir no version");
		T_STREQ(f->replaces.v[1].old.version, "", "rep1 any version");
		T_STREQ(f->replaces.v[1].new.version, "v1.0.0", "rep1 new version");
	}
	T_INTEQ(f->godebugs.n, 1, "godebugs");
	if (f->godebugs.n == 1) {
		T_STREQ(f->godebugs.v[0].key, "panicnil", "godebug key");
		T_STREQ(f->godebugs.v[0].value, "1", "godebug value");
	}
	T_INTEQ(f->tools.n, 1, "tools");
	T_INTEQ(f->ignores.n, 1, "ignores");
	T_INTEQ(f->excludes.n, 1, "excludes");
	if (f->excludes.n == 1)
		T_STREQ(f->excludes.v[0].version, "v1.2.0", "exclude canonical");
	arena_release(&a);
}

static void test_lax(void)
{
	/* ParseLax: only go, module, retract, require and ignore are looked at */
	static const char lax[] =
		"module x.y/z\n"
		"go 1.21-foo\n"
		"toolchain nonsense\n"
		"frobnicate all\n"
		"weird ( x )\n"
		"replace garbage\n"
		"retract bad version\n"
		"require x.y/w v1.0.0\n";
	struct arena a;
	struct err e = ERR_INIT;
	struct mod_file *f = NULL;
	arena_init(&a);
	T_INTEQ(mod_file_parse(&a, "go.mod", lax, strlen(lax), false, &f, &e), 0, "lax: %s", err_msg(&e));
	if (f != NULL) {
		T_STREQ(f->go, "1.21", "lax go fixed");
		T_TRUE(f->toolchain == NULL, "lax ignores toolchain");
		T_INTEQ(f->requires.n, 1, "lax requires");
		T_INTEQ(f->retracts.n, 1, "lax retract kept");
	}
	err_clear(&e);
	static const char lax_bad[] = "module x.y/z\nrequire x.y/w bad\n";
	T_INTEQ(mod_file_parse(&a, "go.mod", lax_bad, strlen(lax_bad), false, &f, &e), -1, "lax still checks require");
	T_STREQ(err_msg(&e), "go.mod:2: require x.y/w: version \"bad\" invalid: must be of the form v1.2.3", "lax require error");
	err_clear(&e);
	arena_release(&a);
}

/* go.work rows, recorded with `go work edit -json` (go prints them after
 * "go: errors parsing go.work:\n"). */
static void test_work(void)
{
	static const struct {
		const char *in, *err;
	} cases[] = {
		{"go 1.21\nuse ./a\nuse\nfoo x\n", "go.work:3: usage: use local/dir\ngo.work:4: unknown directive: foo"},
		{"go 1.21\nrequire x.y/a v1.0.0\nmodule ( x )\n", "go.work:2: unknown directive: require\ngo.work:3: unknown directive: module"},
		{"go 1.21\nretract v1.0.0\n", "go.work:2: unknown directive: retract"},
		{"go 1.21\nuse (\n\t./a\n\t\"./b c\"\n)\nreplace x.y/w v1.0.0 => ../w\ntoolchain go1.22.1\ngodebug panicnil=1\n", ""},
	};
	for (size_t i = 0; i < countof(cases); i++) {
		struct arena a;
		struct err e = ERR_INIT;
		struct mod_file *f = NULL;
		arena_init(&a);
		int rc = mod_work_parse(&a, "go.work", cases[i].in, strlen(cases[i].in), &f, &e);
		T_INTEQ(rc, cases[i].err[0] ? -1 : 0, "work row %zu: %s", i, err_msg(&e));
		T_STREQ(err_msg(&e), cases[i].err, "work row %zu", i);
		if (rc == 0) {
			T_INTEQ(f->uses.n, 2, "uses");
			if (f->uses.n == 2) {
				T_STREQ(f->uses.v[1].path, "./b c", "quoted use");
				T_STREQ(f->uses.v[1].module_path, "", "use module path");
			}
			T_INTEQ(f->replaces.n, 1, "work replace");
			T_STREQ(f->toolchain, "go1.22.1", "work toolchain");
			T_INTEQ(f->godebugs.n, 1, "work godebug");
			T_TRUE(f->module == NULL, "no module in go.work");
		}
		err_clear(&e);
		arena_release(&a);
	}
}

/* A fixer that reports every version as a module error (like fixVersion
 * when the query fails), to check the "verb path: " wrapping. */
static int fix_fail(void *ctx, const char *path, const char *vers, char **fixed, struct err *e)
{
	(void)ctx;
	(void)fixed;
	err_setf(e, "version \"%s\" invalid: unknown revision %s", vers, vers);
	return strcmp(path, "x.y/plain") == 0 ? -1 : MOD_FIX_MODULE_ERR;
}

static void test_fixer(void)
{
	static const char in[] = "module x.y/z\nrequire x.y/w master\nrequire x.y/plain v1\n";
	struct mod_version_fixer fx = {fix_fail, NULL};
	struct arena a;
	struct err e = ERR_INIT;
	struct mod_file *f = NULL;
	arena_init(&a);
	T_INTEQ(mod_file_parse_fix(&a, "go.mod", in, strlen(in), true, &fx, &f, &e), -1, "fixer fails");
	T_STREQ(err_msg(&e), "go.mod:2: require x.y/w: version \"master\" invalid: unknown revision master\n"
		"go.mod:3: version \"v1\" invalid: unknown revision v1", "fixer wrapping");
	err_clear(&e);
	static const char noretract[] = "retract v1.0.0\n";
	T_INTEQ(mod_file_parse_fix(&a, "go.mod", noretract, strlen(noretract), true, &fx, &f, &e), -1, "retract w/o module");
	T_STREQ(err_msg(&e), "go.mod:1: no module directive found, so retract cannot be used", "fixRetract");
	err_clear(&e);
	arena_release(&a);
}

int main(void)
{
	test_errors();
	test_good();
	test_lax();
	test_work();
	test_fixer();
	return test_exit();
}
