/*
 * A tiny harness for table-driven unit tests: each check prints the case on
 * failure and counts it; main returns test_exit().  Checks never abort, so
 * one run reports every failing row.
 */
#ifndef GOTOOL_TESTS_TEST_H
#define GOTOOL_TESTS_TEST_H

#include <stdio.h>
#include <string.h>

static int test_failures, test_checks;

#define T_FAIL(...) do { \
	test_failures++; \
	fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); \
	fputc('\n', stderr); \
} while (0)

#define T_TRUE(cond, ...) do { \
	test_checks++; \
	if (!(cond)) T_FAIL(__VA_ARGS__); \
} while (0)

#define T_STREQ(got, want, ...) do { \
	const char *_g = (got), *_w = (want); \
	test_checks++; \
	if ((_g == NULL) != (_w == NULL) || (_g && strcmp(_g, _w) != 0)) { \
		T_FAIL(__VA_ARGS__); \
		fprintf(stderr, "\tgot:  %s%s%s\n\twant: %s%s%s\n", _g ? "\"" : "", _g ? _g : "NULL", _g ? "\"" : "", \
			_w ? "\"" : "", _w ? _w : "NULL", _w ? "\"" : ""); \
	} \
} while (0)

#define T_INTEQ(got, want, ...) do { \
	long long _g = (long long)(got), _w = (long long)(want); \
	test_checks++; \
	if (_g != _w) { \
		T_FAIL(__VA_ARGS__); \
		fprintf(stderr, "\tgot:  %lld\n\twant: %lld\n", _g, _w); \
	} \
} while (0)

static inline int test_exit(void)
{
	printf("%d checks, %d failures\n", test_checks, test_failures);
	return test_failures ? 1 : 0;
}

#endif
