/* Unit tables for modload/modpath.c: x/mod/module's module_test.go tables
 * (checkPathTests, splitPathVersionTests, escapeTests, badUnescape,
 * TestMatchPathMajor) plus exact error texts recorded from the vendored
 * golang.org/x/mod/module of go1.26.8. */
#include <stdlib.h>
#include <string.h>

#include "modload/modload.h"
#include "test.h"

/* From module_test.go checkPathTests: path, ok, importOK, fileOK.  Five rows
 * (.x/z, -x/z, x.y/z+, .gitignore, .github/...) follow the go1.26 vendored
 * code, which is newer than the stored test file (checked by running it). */
static const struct {
	const char *path;
	bool ok, import_ok, file_ok;
} check_path_tests[] = {
	{"x.y/z", 1, 1, 1}, {"x.y", 1, 1, 1}, {"", 0, 0, 0}, {"x.y/\xFFz", 0, 0, 0},
	{"/x.y/z", 0, 0, 0}, {"x./z", 0, 0, 0}, {".x/z", 0, 1, 1}, {"-x/z", 0, 0, 1},
	{"x..y/z", 1, 1, 1}, {"x.y/z/../../w", 0, 0, 0}, {"x.y//z", 0, 0, 0},
	{"x.y/z//w", 0, 0, 0}, {"x.y/z/", 0, 0, 0}, {"x.y/z/v0", 0, 1, 1},
	{"x.y/z/v1", 0, 1, 1}, {"x.y/z/v2", 1, 1, 1}, {"x.y/z/v2.0", 0, 1, 1},
	{"X.y/z", 0, 1, 1}, {"!x.y/z", 0, 0, 1}, {"_x.y/z", 0, 1, 1}, {"x.y!/z", 0, 0, 1},
	{"x.y\"/z", 0, 0, 0}, {"x.y#/z", 0, 0, 1}, {"x.y$/z", 0, 0, 1}, {"x.y%/z", 0, 0, 1},
	{"x.y&/z", 0, 0, 1}, {"x.y'/z", 0, 0, 0}, {"x.y(/z", 0, 0, 1}, {"x.y)/z", 0, 0, 1},
	{"x.y*/z", 0, 0, 0}, {"x.y+/z", 0, 1, 1}, {"x.y,/z", 0, 0, 1}, {"x.y-/z", 1, 1, 1},
	{"x.y./zt", 0, 0, 0}, {"x.y:/z", 0, 0, 0}, {"x.y;/z", 0, 0, 0}, {"x.y</z", 0, 0, 0},
	{"x.y=/z", 0, 0, 1}, {"x.y>/z", 0, 0, 0}, {"x.y?/z", 0, 0, 0}, {"x.y@/z", 0, 0, 1},
	{"x.y[/z", 0, 0, 1}, {"x.y\\/z", 0, 0, 0}, {"x.y]/z", 0, 0, 1}, {"x.y^/z", 0, 0, 1},
	{"x.y_/z", 0, 1, 1}, {"x.y`/z", 0, 0, 0}, {"x.y{/z", 0, 0, 1}, {"x.y}/z", 0, 0, 1},
	{"x.y~/z", 0, 1, 1}, {"x.y/z!", 0, 0, 1}, {"x.y/z\"", 0, 0, 0}, {"x.y/z#", 0, 0, 1},
	{"x.y/z$", 0, 0, 1}, {"x.y/z%", 0, 0, 1}, {"x.y/z&", 0, 0, 1}, {"x.y/z'", 0, 0, 0},
	{"x.y/z(", 0, 0, 1}, {"x.y/z)", 0, 0, 1}, {"x.y/z*", 0, 0, 0}, {"x.y/z+", 0, 1, 1},
	{"x.y/z,", 0, 0, 1}, {"x.y/z-", 1, 1, 1}, {"x.y/z.t", 1, 1, 1}, {"x.y/z/t", 1, 1, 1},
	{"x.y/z:", 0, 0, 0}, {"x.y/z;", 0, 0, 0}, {"x.y/z<", 0, 0, 0}, {"x.y/z=", 0, 0, 1},
	{"x.y/z>", 0, 0, 0}, {"x.y/z?", 0, 0, 0}, {"x.y/z@", 0, 0, 1}, {"x.y/z[", 0, 0, 1},
	{"x.y/z\\", 0, 0, 0}, {"x.y/z]", 0, 0, 1}, {"x.y/z^", 0, 0, 1}, {"x.y/z_", 1, 1, 1},
	{"x.y/z`", 0, 0, 0}, {"x.y/z{", 0, 0, 1}, {"x.y/z}", 0, 0, 1}, {"x.y/z~", 1, 1, 1},
	{"x.y/x.foo", 1, 1, 1}, {"x.y/aux.foo", 0, 0, 0}, {"x.y/prn", 0, 0, 0},
	{"x.y/prn2", 1, 1, 1}, {"x.y/com", 1, 1, 1}, {"x.y/com1", 0, 0, 0},
	{"x.y/com1.txt", 0, 0, 0}, {"x.y/calm1", 1, 1, 1}, {"github.com/!123/logrus", 0, 0, 1},
	{"github.com/user/unicode/испытание", 0, 0, 1}, {"../x", 0, 0, 0}, {"./y", 0, 0, 0},
	{"x:y", 0, 0, 0}, {"\\temp\\foo", 0, 0, 0}, {".gitignore", 0, 1, 1},
	{".github/ISSUE_TEMPLATE", 0, 1, 1}, {"x☺y", 0, 0, 0},
	/* unicode.IsLetter exactly: KELVIN SIGN, Bengali KA, Ethiopic HA are letters. */
	{"x/\u212a.go", 0, 0, 1}, {"x/\u0995.go", 0, 0, 1}, {"x/\u1200", 0, 0, 1}, {"x/\u2160", 0, 0, 0},
};

/* Generated from golang.org/x/mod/module (go1.26 vendored) CheckPath,
 * CheckImportPath, CheckFilePath error texts. */
static const struct {
	const char *path, *mod, *imp, *file;
} err_tests[] = {
	{"", "malformed module path \"\": empty string", "malformed import path \"\": empty string", "malformed file path \"\": empty string"},
	{"x.y/\xffz", "malformed module path \"x.y/\\xffz\": invalid UTF-8", "malformed import path \"x.y/\\xffz\": invalid UTF-8", "malformed file path \"x.y/\\xffz\": invalid UTF-8"},
	{"/x.y/z", "malformed module path \"/x.y/z\": empty path element", "malformed import path \"/x.y/z\": empty path element", "malformed file path \"/x.y/z\": empty path element"},
	{"x./z", "malformed module path \"x./z\": trailing dot in path element", "malformed import path \"x./z\": trailing dot in path element", "malformed file path \"x./z\": trailing dot in path element"},
	{".x/z", "malformed module path \".x/z\": leading dot in path element", "", ""},
	{"-x/z", "malformed module path \"-x/z\": leading dash", "malformed import path \"-x/z\": leading dash", ""},
	{"x.y/z/../../w", "malformed module path \"x.y/z/../../w\": invalid path element \"..\"", "malformed import path \"x.y/z/../../w\": invalid path element \"..\"", "malformed file path \"x.y/z/../../w\": invalid path element \"..\""},
	{"x.y//z", "malformed module path \"x.y//z\": double slash", "malformed import path \"x.y//z\": double slash", "malformed file path \"x.y//z\": double slash"},
	{"x.y/z/", "malformed module path \"x.y/z/\": trailing slash", "malformed import path \"x.y/z/\": trailing slash", "malformed file path \"x.y/z/\": trailing slash"},
	{"x.y/z/v0", "malformed module path \"x.y/z/v0\": invalid version", "", ""},
	{"x.y/z/v1", "malformed module path \"x.y/z/v1\": invalid version", "", ""},
	{"x.y/z/v2.0", "malformed module path \"x.y/z/v2.0\": invalid version", "", ""},
	{"X.y/z", "malformed module path \"X.y/z\": invalid char 'X' in first path element", "", ""},
	{"!x.y/z", "malformed module path \"!x.y/z\": invalid char '!'", "malformed import path \"!x.y/z\": invalid char '!'", ""},
	{"x.y\"/z", "malformed module path \"x.y\\\"/z\": invalid char '\"'", "malformed import path \"x.y\\\"/z\": invalid char '\"'", "malformed file path \"x.y\\\"/z\": invalid char '\"'"},
	{"x.y/z*", "malformed module path \"x.y/z*\": invalid char '*'", "malformed import path \"x.y/z*\": invalid char '*'", "malformed file path \"x.y/z*\": invalid char '*'"},
	{"x.y/aux.foo", "malformed module path \"x.y/aux.foo\": \"aux\" disallowed as path element component on Windows", "malformed import path \"x.y/aux.foo\": \"aux\" disallowed as path element component on Windows", "malformed file path \"x.y/aux.foo\": \"aux\" disallowed as path element component on Windows"},
	{"x.y/com1.txt", "malformed module path \"x.y/com1.txt\": \"com1\" disallowed as path element component on Windows", "malformed import path \"x.y/com1.txt\": \"com1\" disallowed as path element component on Windows", "malformed file path \"x.y/com1.txt\": \"com1\" disallowed as path element component on Windows"},
	{"github.com/user/unicode/испытание", "malformed module path \"github.com/user/unicode/испытание\": invalid char 'и'", "malformed import path \"github.com/user/unicode/испытание\": invalid char 'и'", ""},
	{"x☺y", "malformed module path \"x☺y\": invalid char '☺'", "malformed import path \"x☺y\": invalid char '☺'", "malformed file path \"x☺y\": invalid char '☺'"},
	{"x.y/z~1", "malformed module path \"x.y/z~1\": trailing tilde and digits in path element", "malformed import path \"x.y/z~1\": trailing tilde and digits in path element", ""},
	{"x.y/z~1.go", "malformed module path \"x.y/z~1.go\": trailing tilde and digits in path element", "malformed import path \"x.y/z~1.go\": trailing tilde and digits in path element", ""},
	{"ex ample.com/a", "malformed module path \"ex ample.com/a\": invalid char ' '", "malformed import path \"ex ample.com/a\": invalid char ' '", ""},
	{"\\temp\\foo", "malformed module path \"\\\\temp\\\\foo\": invalid char '\\\\'", "malformed import path \"\\\\temp\\\\foo\": invalid char '\\\\'", "malformed file path \"\\\\temp\\\\foo\": invalid char '\\\\'"},
	{"x.y/z\ta", "malformed module path \"x.y/z\\ta\": invalid char '\\t'", "malformed import path \"x.y/z\\ta\": invalid char '\\t'", "malformed file path \"x.y/z\\ta\": invalid char '\\t'"},
};

static void test_check_path(void)
{
	struct err e = ERR_INIT;
	for (size_t i = 0; i < countof(check_path_tests); i++) {
		const char *p = check_path_tests[i].path;
		T_TRUE((mod_check_path(p, &e) == 0) == check_path_tests[i].ok, "CheckPath(%s): %s", p, err_msg(&e));
		err_clear(&e);
		T_TRUE((mod_check_import_path(p, &e) == 0) == check_path_tests[i].import_ok, "CheckImportPath(%s): %s", p, err_msg(&e));
		err_clear(&e);
		T_TRUE((mod_check_file_path(p, &e) == 0) == check_path_tests[i].file_ok, "CheckFilePath(%s): %s", p, err_msg(&e));
		err_clear(&e);

		/* SplitPathVersion's parts always add up to the input */
		char *prefix = NULL, *major = NULL;
		mod_split_path_version(p, &prefix, &major);
		char *sum = xasprintf("%s%s", prefix, major);
		T_STREQ(sum, p, "SplitPathVersion(%s) adds up", p);
		free(sum);
		free(prefix);
		free(major);

		/* an invalid module path cannot be escaped nor unescaped */
		if (!check_path_tests[i].ok) {
			char *out = NULL;
			T_TRUE(mod_escape_path(p, &out, &e) < 0, "EscapePath(%s) fails", p);
			err_clear(&e);
			T_TRUE(mod_unescape_path(p, &out, &e) < 0, "UnescapePath(%s) fails", p);
			err_clear(&e);
		}
	}
	for (size_t i = 0; i < countof(err_tests); i++) {
		const char *want[3] = {err_tests[i].mod, err_tests[i].imp, err_tests[i].file};
		int (*fn[3])(const char *, struct err *) = {mod_check_path, mod_check_import_path, mod_check_file_path};
		for (int k = 0; k < 3; k++) {
			int rc = fn[k](err_tests[i].path, &e);
			T_INTEQ(rc, want[k][0] ? -1 : 0, "check %d (%s) rc", k, err_tests[i].path);
			T_STREQ(err_msg(&e), want[k], "check %d (%s) text", k, err_tests[i].path);
			err_clear(&e);
		}
	}
}

static void test_split(void)
{
	/* module_test.go splitPathVersionTests */
	static const struct {
		const char *prefix, *major;
	} cases[] = {
		{"x.y/z", ""}, {"x.y/z", "/v2"}, {"x.y/z", "/v3"}, {"x.y/v", ""},
		{"gopkg.in/yaml", ".v0"}, {"gopkg.in/yaml", ".v1"}, {"gopkg.in/yaml", ".v2"}, {"gopkg.in/yaml", ".v3"},
	};
	for (size_t i = 0; i < countof(cases); i++) {
		char *in = xasprintf("%s%s", cases[i].prefix, cases[i].major), *p = NULL, *m = NULL;
		T_TRUE(mod_split_path_version(in, &p, &m), "SplitPathVersion(%s) ok", in);
		T_STREQ(p, cases[i].prefix, "SplitPathVersion(%s) prefix", in);
		T_STREQ(m, cases[i].major, "SplitPathVersion(%s) major", in);
		free(in);
		free(p);
		free(m);
	}
}

static void test_escape(void)
{
	struct err e = ERR_INIT;
	char *out = NULL;
	static const struct {
		const char *path, *esc;
	} cases[] = {
		{"ascii.com/abcdefghijklmnopqrstuvwxyz.-/~_0123456789", "ascii.com/abcdefghijklmnopqrstuvwxyz.-/~_0123456789"},
		{"github.com/GoogleCloudPlatform/omega", "github.com/!google!cloud!platform/omega"},
	};
	for (size_t i = 0; i < countof(cases); i++) {
		T_INTEQ(mod_escape_path(cases[i].path, &out, &e), 0, "EscapePath(%s): %s", cases[i].path, err_msg(&e));
		T_STREQ(out, cases[i].esc, "EscapePath(%s)", cases[i].path);
		free(out);
		T_INTEQ(mod_unescape_path(cases[i].esc, &out, &e), 0, "UnescapePath(%s): %s", cases[i].esc, err_msg(&e));
		T_STREQ(out, cases[i].path, "UnescapePath(%s)", cases[i].esc);
		free(out);
	}
	/* module_test.go badUnescape, with texts from the vendored code */
	static const struct {
		const char *in, *msg;
	} bad[] = {
		{"github.com/GoogleCloudPlatform/omega", "invalid escaped module path \"github.com/GoogleCloudPlatform/omega\""},
		{"github.com/!google!cloud!platform!/omega", "invalid escaped module path \"github.com/!google!cloud!platform!/omega\""},
		{"github.com/!0google!cloud!platform/omega", "invalid escaped module path \"github.com/!0google!cloud!platform/omega\""},
		{"github.com/!_google!cloud!platform/omega", "invalid escaped module path \"github.com/!_google!cloud!platform/omega\""},
		{"github.com/!!google!cloud!platform/omega", "invalid escaped module path \"github.com/!!google!cloud!platform/omega\""},
		{"", "invalid escaped module path \"\": malformed module path \"\": empty string"},
		{"x.y/z/v1", "invalid escaped module path \"x.y/z/v1\": malformed module path \"x.y/z/v1\": invalid version"},
	};
	for (size_t i = 0; i < countof(bad); i++) {
		T_INTEQ(mod_unescape_path(bad[i].in, &out, &e), -1, "UnescapePath(%s) fails", bad[i].in);
		T_STREQ(err_msg(&e), bad[i].msg, "UnescapePath(%s) text", bad[i].in);
		err_clear(&e);
	}
	static const struct {
		const char *v, *esc, *msg;
	} vers[] = {
		{"v1.0.0", "v1.0.0", ""},
		{"v1.0.0-BETA", "v1.0.0-!b!e!t!a", ""},
		{"v1!", NULL, "version \"v1!\" invalid: disallowed version string"},
		{"v1/2", NULL, "version \"v1/2\" invalid: disallowed version string"},
		{"..", NULL, "version \"..\" invalid: disallowed version string"},
		{"aux", NULL, "version \"aux\" invalid: disallowed version string"},
	};
	for (size_t i = 0; i < countof(vers); i++) {
		out = NULL;
		int rc = mod_escape_version(vers[i].v, &out, &e);
		T_INTEQ(rc, vers[i].esc ? 0 : -1, "EscapeVersion(%s) rc", vers[i].v);
		T_STREQ(out, vers[i].esc, "EscapeVersion(%s)", vers[i].v);
		T_STREQ(err_msg(&e), vers[i].msg, "EscapeVersion(%s) text", vers[i].v);
		err_clear(&e);
		free(out);
	}
}

static void test_path_major(void)
{
	/* module_test.go TestMatchPathMajor, plus texts from the vendored code */
	static const struct {
		const char *v, *pm, *msg;
	} cases[] = {
		{"v0.0.0", "", ""},
		{"v0.0.0", "/v2", "version \"v0.0.0\" invalid: should be v2, not v0"},
		{"v0.0.0", ".v0", ""},
		{"v0.0.0-20190510104115-cbcb75029529", ".v1", ""},
		{"v1.0.0", "/v2", "version \"v1.0.0\" invalid: should be v2, not v1"},
		{"v1.0.0", ".v1", ""},
		{"v1.0.0", ".v1-unstable", ""},
		{"v2.0.0+incompatible", "", ""},
		{"v2.0.0", "", "version \"v2.0.0\" invalid: should be v0 or v1, not v2"},
		{"v2.0.0", "/v2", ""},
		{"v2.0.0", ".v2", ""},
		{"v3.0.0", ".v2", "version \"v3.0.0\" invalid: should be v2, not v3"},
	};
	struct err e = ERR_INIT;
	for (size_t i = 0; i < countof(cases); i++) {
		int rc = mod_check_path_major(cases[i].v, cases[i].pm, &e);
		T_INTEQ(rc, cases[i].msg[0] ? -1 : 0, "CheckPathMajor(%s, %s)", cases[i].v, cases[i].pm);
		T_STREQ(err_msg(&e), cases[i].msg, "CheckPathMajor(%s, %s) text", cases[i].v, cases[i].pm);
		err_clear(&e);
	}
}

static void test_std(void)
{
	T_TRUE(mod_is_std_path("fmt"), "fmt");
	T_TRUE(mod_is_std_path("net/http"), "net/http");
	T_TRUE(mod_is_std_path("cmd/go"), "cmd/go");
	T_TRUE(!mod_is_std_path("example.com/x"), "example.com/x");
	T_TRUE(!mod_is_std_path("x.y"), "x.y");
}

/* module_test.go's TestMatchPrefixPatterns (x/mod). */
static void test_match_prefix_patterns(void)
{
	static const struct {
		const char *globs, *target;
		bool want;
	} cases[] = {
		{"", "rsc.io/quote", false},
		{"/", "rsc.io/quote", false},
		{"*/quote", "rsc.io/quote", true},
		{"*/quo", "rsc.io/quote", false},
		{"*/quo??", "rsc.io/quote", true},
		{"*/quo*", "rsc.io/quote", true},
		{"*quo*", "rsc.io/quote", false},
		{"rsc.io", "rsc.io/quote", true},
		{"*.io", "rsc.io/quote", true},
		{"rsc.io/", "rsc.io/quote", true},
		{"rsc", "rsc.io/quote", false},
		{"rsc*", "rsc.io/quote", true},
		{"rsc.io", "rsc.io/quote/v3", true},
		{"*/quote", "rsc.io/quote/v3", true},
		{"*/quote/", "rsc.io/quote/v3", true},
		{"*/quote/*", "rsc.io/quote/v3", true},
		{"*/quote/*/", "rsc.io/quote/v3", true},
		{"*/v3", "rsc.io/quote/v3", false},
		{"*/*/v3", "rsc.io/quote/v3", true},
		{"*/*/*", "rsc.io/quote/v3", true},
		{"*/*/*", "rsc.io/quote", false},
		{"*/*/*/", "rsc.io/quote", false},
		{"*/*/*,,", "rsc.io/quote", false},
		{"*/*/*,,*/quote", "rsc.io/quote", true},
		{",,*/quote", "rsc.io/quote", true},
	};
	for (size_t i = 0; i < countof(cases); i++)
		T_TRUE(mod_match_prefix_patterns(cases[i].globs, cases[i].target) == cases[i].want,
		       "MatchPrefixPatterns(%s, %s) want %d", cases[i].globs, cases[i].target,
		       cases[i].want);
}

int main(void)
{
	test_check_path();
	test_split();
	test_escape();
	test_path_major();
	test_std();
	test_match_prefix_patterns();
	return test_exit();
}
