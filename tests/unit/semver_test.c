/* Unit tables for modload/semver.c: x/mod/semver's semver_test.go rows and
 * pseudo-version recognition (module/pseudo_test.go style cases). */
#include <stdlib.h>
#include <string.h>

#include "modload/modload.h"
#include "test.h"

/* From golang.org/x/mod/semver/semver_test.go `tests`, in increasing order. */
static const struct {
	const char *in, *out;
} tests[] = {
	{"bad", ""}, {"v1-alpha.beta.gamma", ""}, {"v1-pre", ""}, {"v1+meta", ""},
	{"v1-pre+meta", ""}, {"v1.2-pre", ""}, {"v1.2+meta", ""}, {"v1.2-pre+meta", ""},
	{"v1.0.0-alpha", "v1.0.0-alpha"}, {"v1.0.0-alpha.1", "v1.0.0-alpha.1"},
	{"v1.0.0-alpha.beta", "v1.0.0-alpha.beta"}, {"v1.0.0-beta", "v1.0.0-beta"},
	{"v1.0.0-beta.2", "v1.0.0-beta.2"}, {"v1.0.0-beta.11", "v1.0.0-beta.11"},
	{"v1.0.0-rc.1", "v1.0.0-rc.1"}, {"v1", "v1.0.0"}, {"v1.0", "v1.0.0"},
	{"v1.0.0", "v1.0.0"}, {"v1.2", "v1.2.0"}, {"v1.2.0", "v1.2.0"},
	{"v1.2.3-456", "v1.2.3-456"}, {"v1.2.3-456.789", "v1.2.3-456.789"},
	{"v1.2.3-456-789", "v1.2.3-456-789"}, {"v1.2.3-456a", "v1.2.3-456a"},
	{"v1.2.3-pre", "v1.2.3-pre"}, {"v1.2.3-pre+meta", "v1.2.3-pre"},
	{"v1.2.3-pre.1", "v1.2.3-pre.1"}, {"v1.2.3-zzz", "v1.2.3-zzz"},
	{"v1.2.3", "v1.2.3"}, {"v1.2.3+meta", "v1.2.3"}, {"v1.2.3+meta-pre", "v1.2.3"},
	{"v1.2.3+meta-pre.sha.256a", "v1.2.3"},
};

static char *prefix_upto(const char *s, char c)
{
	const char *p = strchr(s, c);
	return p ? xstrndup(s, (size_t)(p - s)) : xstrdup(s);
}

static void test_table(void)
{
	for (size_t i = 0; i < countof(tests); i++) {
		const char *in = tests[i].in, *out = tests[i].out;
		bool valid = out[0] != '\0';
		T_TRUE(mod_semver_is_valid(in) == valid, "IsValid(%s)", in);
		char *c = mod_semver_canonical(in);
		T_STREQ(c, out, "Canonical(%s)", in);
		free(c);

		/* Major: the canonical form up to its first dot */
		char *want = valid ? prefix_upto(out, '.') : xstrdup("");
		char *got = mod_semver_major(in);
		T_STREQ(got, want, "Major(%s)", in);
		free(got);
		free(want);

		/* MajorMinor: the input without build/prerelease, cut or padded to two parts */
		if (valid) {
			char *a = prefix_upto(in, '+');
			char *b = prefix_upto(a, '-');
			size_t dots = 0;
			for (char *p = b; *p; p++)
				dots += *p == '.';
			if (dots == 0)
				want = xasprintf("%s.0", b);
			else if (dots == 1)
				want = xstrdup(b);
			else
				want = xstrndup(b, (size_t)(strrchr(b, '.') - b));
			free(a);
			free(b);
		} else {
			want = xstrdup("");
		}
		got = mod_semver_major_minor(in);
		T_STREQ(got, want, "MajorMinor(%s)", in);
		free(got);
		free(want);

		const char *dash = valid ? strchr(out, '-') : NULL;
		got = mod_semver_prerelease(in);
		T_STREQ(got, dash ? dash : "", "Prerelease(%s)", in);
		free(got);

		const char *plus = valid ? strchr(in, '+') : NULL;
		got = mod_semver_build(in);
		T_STREQ(got, plus ? plus : "", "Build(%s)", in);
		free(got);
	}
}

static void test_compare(void)
{
	for (size_t i = 0; i < countof(tests); i++) {
		for (size_t j = 0; j < countof(tests); j++) {
			int want = strcmp(tests[i].out, tests[j].out) == 0 ? 0 : i < j ? -1 : 1;
			T_INTEQ(mod_semver_compare(tests[i].in, tests[j].in), want,
				"Compare(%s, %s)", tests[i].in, tests[j].in);
		}
	}
	static const struct {
		const char *v, *w;
		int r;
	} extra[] = {{"v1", "v1", 0}, {"v2", "v1", 1}, {"v1", "v2", -1}, {"v1.19", "v1.2", 1}}; /* vendored compareInt: longer number is larger */
	for (size_t i = 0; i < countof(extra); i++)
		T_INTEQ(mod_semver_compare(extra[i].v, extra[i].w), extra[i].r, "Compare(%s, %s)",
			extra[i].v, extra[i].w);
}

static void test_pseudo(void)
{
	static const struct {
		const char *v;
		bool want;
	} cases[] = {
		{"v0.0.0-20060102150405-abcdef123456", true},
		{"v1.0.0-20060102150405-abcdef123456", true},
		{"v2.0.0-20060102150405-abcdef123456+incompatible", true},
		{"v1.2.4-0.20060102150405-abcdef123456", true},
		{"v1.2.3-pre.0.20060102150405-abcdef123456", true},
		{"v1.2.3-pre.0.20060102150405-abcdef123456+build.1", true},
		{"v0.0.0-2006010215040-abcdef123456", false},   /* 13-digit stamp */
		{"v1.2.3-pre.20060102150405-abcdef123456", false},
		{"v1.2.3", false},
		{"v1.2.3-pre", false},
		{"v1.2.3-0-abc", false},
		{"v1.2.3-a-b", false},
		{"v0.0.0-20060102150405-", false},
		{"1.0.0-20060102150405-abcdef123456", false},
		{"v1.0.0-20060102150405-abc_def", false},
	};
	for (size_t i = 0; i < countof(cases); i++)
		T_TRUE(mod_is_pseudo_version(cases[i].v) == cases[i].want, "IsPseudoVersion(%s)", cases[i].v);
}

int main(void)
{
	test_table();
	test_compare();
	test_pseudo();
	return test_exit();
}
