/*
 * Unit tests for the generated test main (work/testfuncs.c, work/testmain.c).
 *
 * Without arguments: table tests.  With arguments it is the driver the e2e
 * script uses to compare with go's cached _testmain.go:
 *   testmain_test -dir D -pkg IMPORTPATH [-mod MODPATH] [-ngo N]
 *                 [-test a_test.go,b_test.go] [-xtest c_test.go]
 *                 [-cache GOCACHE]
 * prints the generated text (or, with -cache, its path in GOCACHE) on
 * stdout and a load error on stderr as "pos|msg" (pos empty when the error
 * is not a syntax error).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "work/work_internal.h"

/* ---- driver ------------------------------------------------------------------ */

static void split_commas(const char *s, struct strvec *sv)
{
	const char *p = s;
	while (*p) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		if (n > 0) {
			char *x = xstrndup(p, n);
			strvec_push_take(sv, x);
		}
		p += n;
		if (*p == ',')
			p++;
	}
}

static int driver(int argc, char **argv)
{
	const char *dir = ".", *pkg = "", *mod = "", *cache = NULL;
	size_t ngo = 0;
	struct strvec tests = {0}, xtests = {0};
	struct arena a;
	struct err e = ERR_INIT;
	struct work_testfuncs *t = NULL;
	struct buf b = BUF_INIT;
	int rc = 0;

	for (int i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		if (strcmp(k, "-dir") == 0)
			dir = v;
		else if (strcmp(k, "-pkg") == 0)
			pkg = v;
		else if (strcmp(k, "-mod") == 0)
			mod = v;
		else if (strcmp(k, "-ngo") == 0)
			ngo = strtoul(v, NULL, 10);
		else if (strcmp(k, "-test") == 0)
			split_commas(v, &tests);
		else if (strcmp(k, "-xtest") == 0)
			split_commas(v, &xtests);
		else if (strcmp(k, "-cache") == 0)
			cache = v;
		else {
			fprintf(stderr, "testmain_test: unknown flag %s\n", k);
			return 2;
		}
	}
	arena_init(&a);
	buf_init(&b);
	if (work_testfuncs_load(&a, dir, pkg, (const char *const *)tests.v, tests.n,
	                        (const char *const *)xtests.v, xtests.n, &t, &e) < 0) {
		fprintf(stderr, "%s|%s\n", t->err_pos ? t->err_pos : "", t->err_msg);
		rc = 1;
	}
	work_testfuncs_set_package(t, mod, ngo);
	work_testmain_format(&b, t, &e);
	if (cache) {
		char *path = work_testmain_cache_path(cache, b.data, b.len);
		printf("%s\n", path);
		free(path);
	} else {
		fwrite(b.data, 1, b.len, stdout);
	}
	buf_release(&b);
	err_clear(&e);
	arena_release(&a);
	strvec_clear(&tests);
	strvec_clear(&xtests);
	return rc;
}

/* ---- tables ------------------------------------------------------------------ */

/* isTest cases: cmd/go/internal/load/test.go isTest, go/doc isTest. */
static void test_is_test(void)
{
	static const struct {
		const char *name, *prefix;
		bool want;
	} cases[] = {
		{"Test", "Test", true},
		{"TestX", "Test", true},
		{"Test_x", "Test", true},
		{"Test1", "Test", true},
		{"Testing", "Test", false},
		{"TesticularCancer", "Test", false},
		{"Tes", "Test", false},
		{"BenchmarkFoo", "Benchmark", true},
		{"Benchmarkfoo", "Benchmark", false},
		{"FuzzX", "Fuzz", true},
		{"Fuzzy", "Fuzz", false},
		{"Example", "Example", true},
		{"Example_suffix", "Example", true},
		{"ExampleT_method", "Example", true},
		{"Exampleé", "Example", false},
		{"ExampleÉ", "Example", true},
	};
	for (size_t i = 0; i < countof(cases); i++)
		T_TRUE(work_is_test(cases[i].name, cases[i].prefix) == cases[i].want,
		       "isTest(%s, %s)", cases[i].name, cases[i].prefix);
}

/* CommentGroup.Text cases from go/ast/ast_test.go (comments, TestCommentText). */
static void test_comment_text(void)
{
	static const struct {
		const char *list[8];
		const char *want;
	} cases[] = {
		{{"//"}, ""},
		{{"//   "}, ""},
		{{"//", "//", "//   "}, ""},
		{{"// foo   "}, "foo\n"},
		{{"//", "//", "// foo"}, "foo\n"},
		{{"// foo  bar  "}, "foo  bar\n"},
		{{"// foo", "// bar"}, "foo\nbar\n"},
		{{"// foo", "//", "//", "//", "// bar"}, "foo\n\nbar\n"},
		{{"// foo", "/* bar */"}, "foo\n bar\n"},
		{{"//", "//", "//", "// foo", "//", "//", "//"}, "foo\n"},
		{{"/**/"}, ""},
		{{"/*   */"}, ""},
		{{"/**/", "/**/", "/*   */"}, ""},
		{{"/* Foo   */"}, " Foo\n"},
		{{"/* Foo  Bar  */"}, " Foo  Bar\n"},
		{{"/* Foo*/", "/* Bar*/"}, " Foo\n Bar\n"},
		{{"/* Foo*/", "/**/", "/**/", "/**/", "// Bar"}, " Foo\n\nBar\n"},
		{{"/* Foo*/", "/*\n*/", "//", "/*\n*/", "// Bar"}, " Foo\n\nBar\n"},
		{{"/* Foo*/", "// Bar"}, " Foo\nBar\n"},
		{{"/* Foo\n Bar*/"}, " Foo\n Bar\n"},
		{{"// foo", "//go:noinline", "// bar", "//:baz"}, "foo\nbar\n:baz\n"},
		{{"// foo", "//lint123:ignore", "// bar"}, "foo\nbar\n"},
		/* not in go's table */
		{{"//line x.go:1"}, ""},
		{{"//export foo"}, ""},
		{{"//Output: x"}, "Output: x\n"},
		{{"/* Foo\n\n\n\n Bar*/"}, " Foo\n\n Bar\n"},
	};
	for (size_t i = 0; i < countof(cases); i++) {
		const char *texts[8];
		size_t lens[8], n = 0;
		struct buf b = BUF_INIT;
		/* list entries after the first empty slot are unused */
		for (; n < countof(cases[i].list) && cases[i].list[n]; n++) {
			texts[n] = cases[i].list[n];
			lens[n] = strlen(texts[n]);
		}
		buf_init(&b);
		work_comment_text(&b, texts, lens, n);
		T_STREQ(buf_cstr(&b), cases[i].want, "comment text case %zu", i);
		buf_release(&b);
	}
}

/* exampleOutput's prefix rules (go/doc/example.go outputPrefix). */
static void test_example_output(void)
{
	static const struct {
		const char *text;
		bool ok, unordered;
		const char *out;
	} cases[] = {
		{"Output:\nhello\n", true, false, "hello\n"},
		{"output: hello\n", true, false, "hello\n"},
		{"OUTPUT:\n", true, false, ""},
		{"Output:", true, false, ""},
		{"  \tOutput:   \nx\n", true, false, "x\n"},
		{"Unordered output:\nb\na\n", true, true, "b\na\n"},
		{"unordered OUTPUT: a\n", true, true, "a\n"},
		{"Unordered  output:\na\n", false, false, NULL},
		{"Outputs:\n", false, false, NULL},
		{"x\nOutput:\n", false, false, NULL},
		{"Output:\n\nx\n", true, false, "\nx\n"},
		{"Output:\t x\n", true, false, "\t x\n"},
	};
	for (size_t i = 0; i < countof(cases); i++) {
		size_t off = 0;
		bool un = false;
		bool ok = work_example_output(cases[i].text, strlen(cases[i].text), &off, &un);
		T_TRUE(ok == cases[i].ok, "exampleOutput(%s) ok", cases[i].text);
		if (ok && cases[i].ok) {
			T_STREQ(cases[i].text + off, cases[i].out, "exampleOutput(%s)", cases[i].text);
			T_TRUE(un == cases[i].unordered, "exampleOutput(%s) unordered", cases[i].text);
		}
	}
}

/* Parsing cases: a source, and what loading it gives. */
struct load_case {
	const char *src;
	const char *want; /* "T:Name B:Name F:Name M:Name E:Name=output|u" joined by spaces */
	const char *err;  /* expected "line:col: msg" (file name stripped), or NULL */
};

static const struct load_case load_cases[] = {
	{"package a\nimport \"testing\"\nfunc TestA(t *testing.T) {}\nfunc TestB(*testing.T) {}\n"
	 "func Testing(t *testing.T) {}\nfunc (x) TestC(t *testing.T) {}\n", "T:TestA T:TestB", NULL},
	{"package a\nimport tt \"testing\"\nfunc TestA(t *tt.T) {}\nfunc BenchmarkA(b *tt.B) {}\n"
	 "func FuzzA(f *tt.F) {}\nfunc TestMain(m *tt.M) {}\n", "T:TestA B:BenchmarkA F:FuzzA M:TestMain", NULL},
	{"package a\nimport . \"testing\"\nfunc TestA(t *T) {}\n", "T:TestA", NULL},
	{"package a\nfunc TestMain(t *testing.T) {}\n", "T:TestMain", NULL},
	{"package a\nfunc TestA(t *testing.B) {}\n", "",
	 "2:1: wrong signature for TestA, must be: func TestA(t *testing.T)"},
	{"package a\nfunc TestA(a, b *testing.T) {}\n", "",
	 "2:1: wrong signature for TestA, must be: func TestA(t *testing.T)"},
	{"package a\nfunc TestA(t *testing.T) int { return 0 }\n", "",
	 "2:1: wrong signature for TestA, must be: func TestA(t *testing.T)"},
	{"package a\n\n  func BenchmarkA(t *testing.T) {}\n", "",
	 "3:3: wrong signature for BenchmarkA, must be: func BenchmarkA(b *testing.B)"},
	{"package a\nfunc TestA[T any](t *testing.T) {}\n", "",
	 "2:1: wrong signature for TestA, test functions cannot have type parameters"},
	{"package a\nfunc TestMain(m *testing.M) {}\nfunc TestMain(m *testing.M) {}\n", "",
	 "multiple definitions of TestMain"},
	{"package a\nfunc Example() {\n\tfmt.Println(1)\n\t// Output: 1\n}\n", "E:Example=1\n", NULL},
	{"package a\nfunc ExampleA() {\n\t// Output:\n}\nfunc ExampleB() {\n}\nfunc ExampleC(x int) {\n\t// Output: x\n}\n",
	 "E:ExampleA=", NULL},
	{"package a\nfunc Example_b() {\n\tf() // Output: x\n\t// y\n}\n", "", NULL},
	{"package a\nfunc Example_b() {\n\tf()\n\t// Unordered output: b\n\t// a\n}\n",
	 "E:Example_b=b\na\n|u", NULL},
	{"package a\nfunc ExampleT_m() {\n\t/* Output:\n\tx\n\t*/\n}\n", "E:ExampleT_m=\tx\n", NULL},
	{"package a\nfunc Examplex() {\n\t// Output: x\n}\n", "", NULL},
	{"package a\nfunc TestA(t *testing.T) {\n", "", "2:28: expected '}', found 'EOF'"},
	{"package a\nfunc TestA(t *testing.T) { \"abc }\n", "", "2:28: string literal not terminated"},
	{"package a\nx := 1\n", "", "2:1: expected declaration, found x"},
	{"package a\nfunc TestA(t *testing.T)\n{}\n", "", "3:1: unexpected semicolon or newline before {"},
	{"package a\nfunc TestA(t *testing.T) { @ }\n", "", "2:28: illegal character U+0040 '@'"},
	{"package a\nfunc (t *testing.T\n", "", "2:19: missing ',' before newline in parameter list"},
	{"package a\nfunc TestA(t *testing.T) { a[1) }\n", "", "2:31: expected ']', found ')'"},
	{"package a\nfunc TestA(a int, *testing.T) {}\n", "", "2:19: missing parameter name"},
	{"package a\nfunc TestA(a int, b) {}\n", "", "2:20: missing parameter type"},
};

static void format_funcs(struct buf *b, const char *tag, const struct work_testfunc *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (b->len)
			buf_addch(b, ' ');
		buf_printf(b, "%s:%s", tag, v[i].name);
		if (tag[0] == 'E') {
			buf_printf(b, "=%s", v[i].output);
			if (v[i].unordered)
				buf_adds(b, "|u");
		}
	}
}

static void test_load(void)
{
	char dir[] = "/tmp/testmain_testXXXXXX";
	if (!mkdtemp(dir)) {
		T_FAIL("mkdtemp");
		return;
	}
	for (size_t i = 0; i < countof(load_cases); i++) {
		const struct load_case *c = &load_cases[i];
		char *fn = path_join(dir, "x_test.go");
		struct err e = ERR_INIT;
		struct arena a;
		struct work_testfuncs *t = NULL;
		struct buf got = BUF_INIT;
		const char *files[] = {"x_test.go"};
		FILE *f = fopen(fn, "w");

		if (!f || fputs(c->src, f) < 0 || fclose(f) != 0) {
			T_FAIL("write %s", fn);
			free(fn);
			continue;
		}
		arena_init(&a);
		buf_init(&got);
		int rc = work_testfuncs_load(&a, dir, "example.com/a", files, 1, NULL, 0, &t, &e);
		T_TRUE(t != NULL, "case %zu: out set", i);
		if (c->err) {
			T_INTEQ(rc, -1, "case %zu: error expected", i);
			/* strip "<dir>/x_test.go:" from the text */
			const char *m = err_msg(&e);
			size_t k = strlen(fn);
			if (strncmp(m, fn, k) == 0 && m[k] == ':')
				m += k + 1;
			T_STREQ(m, c->err, "case %zu: error", i);
		} else {
			T_INTEQ(rc, 0, "case %zu: %s", i, err_msg(&e));
		}
		if (t && rc == 0) {
			format_funcs(&got, "T", t->tests, t->ntests);
			format_funcs(&got, "B", t->benchmarks, t->nbenchmarks);
			format_funcs(&got, "F", t->fuzz_targets, t->nfuzz_targets);
			if (t->test_main)
				format_funcs(&got, "M", t->test_main, 1);
			format_funcs(&got, "E", t->examples, t->nexamples);
			T_STREQ(buf_cstr(&got), c->want, "case %zu: functions", i);
		}
		unlink(fn);
		free(fn);
		buf_release(&got);
		err_clear(&e);
		arena_release(&a);
	}
	rmdir(dir);
}

/* The whole text for one hand-made testFuncs, checked against go1.26's
 * output for the same package (go list -test, cached _testmain.go). */
static void test_format(void)
{
	struct work_testfunc tests[] = {{"_test", "TestA", "", false}, {"_xtest", "TestB", "", false}};
	struct work_testfunc ex[] = {{"_xtest", "ExampleA", "a\n\"q\"\n", true}};
	struct work_testfunc tm = {"_test", "TestMain", "", false};
	struct work_testfuncs t = {0};
	struct buf b = BUF_INIT;

	t.tests = tests, t.ntests = 2;
	t.examples = ex, t.nexamples = 1;
	t.test_main = &tm;
	t.import_path = "example.com/m/a";
	t.module_path = "example.com/m";
	t.import_test = t.need_test = t.import_xtest = t.need_xtest = true;
	buf_init(&b);
	work_testmain_format(&b, &t, NULL);
	T_STREQ(buf_cstr(&b),
	        "\n// Code generated by 'go test'. DO NOT EDIT.\n\npackage main\n\nimport (\n\t\"os\"\n"
	        "\n\t\"reflect\"\n\n\t\"testing\"\n\t\"testing/internal/testdeps\"\n\n\n"
	        "\n\t_test \"example.com/m/a\"\n\n\n\t_xtest \"example.com/m/a_test\"\n\n)\n\n"
	        "var tests = []testing.InternalTest{\n\n\t{\"TestA\", _test.TestA},\n\n\t{\"TestB\", _xtest.TestB},\n\n}\n\n"
	        "var benchmarks = []testing.InternalBenchmark{\n\n}\n\n"
	        "var fuzzTargets = []testing.InternalFuzzTarget{\n\n}\n\n"
	        "var examples = []testing.InternalExample{\n\n\t{\"ExampleA\", _xtest.ExampleA, \"a\\n\\\"q\\\"\\n\", true},\n\n}\n\n"
	        "func init() {\n\n\ttestdeps.ModulePath = \"example.com/m\"\n\ttestdeps.ImportPath = \"example.com/m/a\"\n}\n\n"
	        "func main() {\n\tm := testing.MainStart(testdeps.TestDeps{}, tests, benchmarks, fuzzTargets, examples)\n"
	        "\n\t_test.TestMain(m)\n\tos.Exit(int(reflect.ValueOf(m).Elem().FieldByName(\"exitCode\").Int()))\n\n}\n\n",
	        "format with TestMain");
	/* command-line-arguments and _/ paths print an empty ImportPath */
	buf_reset(&b);
	t.import_path = "command-line-arguments";
	work_testmain_format(&b, &t, NULL);
	T_TRUE(strstr(b.data, "testdeps.ImportPath = \"\"\n") != NULL, "command-line-arguments ImportPath");
	buf_release(&b);
}

static void test_cache_path(void)
{
	unsigned char id[32];
	char hex[65];
	char *p = work_testmain_cache_path("/c", "", 0);
	/* SHA-256("") */
	T_STREQ(p, "/c/e3/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855-d", "cache path of empty");
	free(p);
	work_testmain_action_id("go1.26.8 X:foo", "x", 1, id);
	hash_hex(id, 32, hex);
	{
		unsigned char want[32];
		char wanthex[65];
		hash_sha256("go1.26.8testmain\nx", 18, want);
		hash_hex(want, 32, wanthex);
		T_STREQ(hex, wanthex, "action id strips X: and salts with the version");
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return driver(argc, argv);
	test_is_test();
	test_comment_text();
	test_example_output();
	test_load();
	test_format();
	test_cache_path();
	return test_exit();
}
