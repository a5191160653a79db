/* Unit tests for Go version comparison (runtime/toolchain.c). */
#include <stdlib.h>

#include "runtime/runtime.h"
#include "test.h"

/* rows from cmd/go/internal/gover/gover_test.go (go1.26) */
static const struct {
	const char *x, *y;
	int want;
} compare_tests[] = {
	{"", "", 0},
	{"x", "x", 0},
	{"", "x", 0},
	{"1", "1.1", -1},
	{"1.5", "1.6", -1},
	{"1.5", "1.10", -1},
	{"1.6", "1.6.1", -1},
	{"1.19", "1.19.0", 0},
	{"1.19rc1", "1.19", -1},
	{"1.20", "1.20.0", 0},
	{"1.20rc1", "1.20", -1},
	{"1.21", "1.21.0", -1},
	{"1.21", "1.21rc1", -1},
	{"1.21rc1", "1.21.0", -1},
	{"1.6", "1.19", -1},
	{"1.19", "1.19.1", -1},
	{"1.19rc1", "1.19", -1},
	{"1.19rc1", "1.19.1", -1},
	{"1.19rc1", "1.19rc2", -1},
	{"1.19.0", "1.19.1", -1},
	{"1.19rc1", "1.19.0", -1},
	{"1.19alpha3", "1.19beta2", -1},
	{"1.19beta2", "1.19rc1", -1},
	{"1.1", "1.99999999999999998", -1},
	{"1.99999999999999998", "1.99999999999999999", -1},
	/* the "go" prefix of toolchain names is accepted */
	{"go1.26.8", "1.26.8", 0},
	{"go1.26.8", "go1.26.10", -1},
};

static const struct {
	const char *in, *want;
} lang_tests[] = {
	{"1.2rc3", "1.2"}, {"1.2.3", "1.2"}, {"1.2", "1.2"}, {"1", "1"}, {"1.999testmod", "1.999"},
};

static const struct {
	const char *in;
	bool want;
} is_lang_tests[] = {
	{"1.2rc3", false}, {"1.2.3", false}, {"1.999testmod", false}, {"1.22", true}, {"1.21", true},
	{"1.20", false}, {"1.19", false}, {"1.3", false}, {"1.2", false}, {"1", false},
};

static const struct {
	const char *in;
	bool want;
} is_valid_tests[] = {
	{"1.2rc3", true}, {"1.2.3", true}, {"1.999testmod", true}, {"1.600+auto", false}, {"1.22", true},
	{"1.21.0", true}, {"1.21rc2", true}, {"1.21", true}, {"1.20.0", true}, {"1.20", true},
	{"1.19", true}, {"1.3", true}, {"1.2", true}, {"1", true},
	/* not from Go's table: leading zeros and junk */
	{"01.2", false}, {"1.02", false}, {"1.2.", false}, {"", false}, {"1.21RC1", false},
};

int main(void)
{
	for (size_t i = 0; i < countof(compare_tests); i++) {
		T_INTEQ(tc_version_compare(compare_tests[i].x, compare_tests[i].y), compare_tests[i].want,
			"Compare(%s, %s)", compare_tests[i].x, compare_tests[i].y);
		T_INTEQ(tc_version_compare(compare_tests[i].y, compare_tests[i].x), -compare_tests[i].want,
			"Compare(%s, %s)", compare_tests[i].y, compare_tests[i].x);
	}
	for (size_t i = 0; i < countof(lang_tests); i++) {
		char *got = tc_version_lang(lang_tests[i].in);
		T_STREQ(got, lang_tests[i].want, "Lang(%s)", lang_tests[i].in);
		free(got);
	}
	for (size_t i = 0; i < countof(is_lang_tests); i++)
		T_TRUE(tc_version_is_lang(is_lang_tests[i].in) == is_lang_tests[i].want, "IsLang(%s)",
		       is_lang_tests[i].in);
	for (size_t i = 0; i < countof(is_valid_tests); i++)
		T_TRUE(tc_version_valid(is_valid_tests[i].in) == is_valid_tests[i].want, "IsValid(%s)",
		       is_valid_tests[i].in);
	return test_exit();
}
