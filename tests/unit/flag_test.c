/*
 * Unit tables for runtime/flag.c and runtime/quoted.c: rows from Go's
 * flag/flag_test.go (testParse, TestUserDefined...) and
 * cmd/internal/quoted/quoted_test.go, plus error texts and GOFLAGS
 * behaviour checked against the real go 1.26 command (`go build -p x`,
 * `GOFLAGS=-a=x go build`, ...).
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"
#include "test.h"

/* The flag set of the tests: -b -b2 bool, -i int, -s string, -f func, -bf boolfunc. */
struct state {
	bool b, b2;
	int i;
	char *s;
	struct buf fn; /* each -f / -bf occurrence as "name=value;" */
};

static int record(void *ctx, const char *name, const char *value, struct err *e)
{
	struct state *st = ctx;

	if (strcmp(value, "bad") == 0)
		return err_setf(e, "bad value for %s", name);
	buf_printf(&st->fn, "%s=%s;", name, value);
	return 0;
}

static void defs_init(struct flag_def *d, struct state *st)
{
	memset(st, 0, sizeof(*st));
	buf_init(&st->fn);
	st->s = xstrdup("0");
	d[0] = (struct flag_def){"b", FLAG_BOOL, &st->b, NULL, "", false};
	d[1] = (struct flag_def){"b2", FLAG_BOOL, &st->b2, NULL, "", false};
	d[2] = (struct flag_def){"i", FLAG_INT, &st->i, NULL, "", false};
	d[3] = (struct flag_def){"s", FLAG_STRING, &st->s, NULL, "", false};
	d[4] = (struct flag_def){"f", FLAG_FUNC, st, record, "", false};
	d[5] = (struct flag_def){"bf", FLAG_BOOLFUNC, st, record, "", false};
}

static char *state_str(const struct state *st)
{
	return xasprintf("b=%d b2=%d i=%d s=%s fn=%s", st->b, st->b2, st->i, st->s, buf_cstr(&st->fn));
}

static const struct {
	const char *args[8];
	int want; /* index of the first argument left, -1 error, FLAG_HELP */
	const char *err;
	const char *state;
} parse_tests[] = {
	/* flag_test.go testParse, restricted to our kinds */
	{{"-b", "-b2=true", "--i", "22", "-s", "hello", "one-extra-argument"}, 6, NULL,
	 "b=1 b2=1 i=22 s=hello fn="},
	{{"--i", "0x23"}, 2, NULL, "b=0 b2=0 i=35 s=0 fn="},
	{{"-i=0b101", "-i=0o17", "x"}, 2, NULL, "b=0 b2=0 i=15 s=0 fn="},
	{{"-i=1_000"}, 1, NULL, "b=0 b2=0 i=1000 s=0 fn="},
	{{"-i", "-5"}, 2, NULL, "b=0 b2=0 i=-5 s=0 fn="},
	/* bools never consume the next argument */
	{{"-b", "false", "-b2"}, 1, NULL, "b=1 b2=0 i=0 s=0 fn="},
	{{"-b=false"}, 1, NULL, "b=0 b2=0 i=0 s=0 fn="},
	{{"-b=T", "-b2=TRUE"}, 2, NULL, "b=1 b2=1 i=0 s=0 fn="},
	{{"-b=1", "-b=F", "-b2=True", "-b2=0"}, 4, NULL, "b=0 b2=0 i=0 s=0 fn="},
	/* "--" terminates; a lone "-" is a non-flag; stop at the first non-flag */
	{{"-b", "--", "-b2"}, 2, NULL, "b=1 b2=0 i=0 s=0 fn="},
	{{"-", "-b"}, 0, NULL, "b=0 b2=0 i=0 s=0 fn="},
	{{"x", "-b"}, 0, NULL, "b=0 b2=0 i=0 s=0 fn="},
	{{NULL}, 0, NULL, "b=0 b2=0 i=0 s=0 fn="},
	/* a string value may start with a dash; an empty one is fine */
	{{"-s", "-b"}, 2, NULL, "b=0 b2=0 i=0 s=-b fn="},
	{{"-s="}, 1, NULL, "b=0 b2=0 i=0 s= fn="},
	{{"-s=a=b"}, 1, NULL, "b=0 b2=0 i=0 s=a=b fn="},
	/* TestUserDefined / TestUserDefinedBool */
	{{"-f", "1", "-f=2", "--f", "3"}, 5, NULL, "b=0 b2=0 i=0 s=0 fn=f=1;f=2;f=3;"},
	{{"-bf", "-bf=x", "y"}, 2, NULL, "b=0 b2=0 i=0 s=0 fn=bf=true;bf=x;"},
	/* errors, texts as go 1.26 prints them */
	{{"-x"}, -1, "flag provided but not defined: -x", NULL},
	{{"--zz=1"}, -1, "flag provided but not defined: -zz", NULL},
	{{"-s"}, -1, "flag needs an argument: -s", NULL},
	{{"-b=x"}, -1, "invalid boolean value \"x\" for -b: parse error", NULL},
	{{"-i", "x"}, -1, "invalid value \"x\" for flag -i: parse error", NULL},
	{{"-i", "99999999999999999999"}, -1, "invalid value \"99999999999999999999\" for flag -i: value out of range", NULL},
	{{"-i=08"}, -1, "invalid value \"08\" for flag -i: parse error", NULL},
	{{"-i=1__0"}, -1, "invalid value \"1__0\" for flag -i: parse error", NULL},
	{{"-f", "bad"}, -1, "invalid value \"bad\" for flag -f: bad value for f", NULL},
	{{"-bf=bad"}, -1, "invalid boolean value \"bad\" for -bf: bad value for bf", NULL},
	{{"---b"}, -1, "bad flag syntax: ---b", NULL},
	{{"-=b"}, -1, "bad flag syntax: -=b", NULL},
	{{"--=b"}, -1, "bad flag syntax: --=b", NULL},
	/* -h and -help ask for the usage (flag.ErrHelp) */
	{{"-h"}, FLAG_HELP, NULL, NULL},
	{{"--help"}, FLAG_HELP, NULL, NULL},
};

static void test_parse(void)
{
	for (size_t k = 0; k < countof(parse_tests); k++) {
		struct flag_def d[6];
		struct state st;
		struct err e = ERR_INIT;
		int argc = 0;

		defs_init(d, &st);
		while (argc < 8 && parse_tests[k].args[argc])
			argc++;
		int got = flag_parse(d, countof(d), argc, (char **)parse_tests[k].args, &e);
		T_INTEQ(got, parse_tests[k].want, "flag_parse row %zu", k);
		T_STREQ(err_isset(&e) ? err_msg(&e) : NULL, parse_tests[k].err, "flag_parse row %zu error", k);
		if (parse_tests[k].state) {
			char *s = state_str(&st);
			T_STREQ(s, parse_tests[k].state, "flag_parse row %zu state", k);
			free(s);
		}
		err_clear(&e);
		free(st.s);
		buf_release(&st.fn);
	}
}

static void test_seen(void)
{
	struct flag_def d[6];
	struct state st;
	struct err e = ERR_INIT;
	char *args[] = {"-b2", "-i=3"};

	defs_init(d, &st);
	T_INTEQ(flag_parse(d, countof(d), 2, args, &e), 2, "seen parse");
	T_TRUE(!d[0].seen && d[1].seen && d[2].seen && !d[3].seen, "seen flags");
	T_TRUE(flag_lookup(d, countof(d), "s") == &d[3], "lookup");
	T_TRUE(flag_lookup(d, countof(d), "zz") == NULL, "lookup missing");
	free(st.s);
	buf_release(&st.fn);
}

/* GOFLAGS rows; error texts from the real go 1.26 (go prints "go: " first). */
static const struct {
	const char *goflags;
	const char *args[4]; /* command line parsed after GOFLAGS */
	const char *err;
	const char *state;
} goflags_tests[] = {
	{"-b -i=4 -s=x", {NULL}, NULL, "b=1 b2=0 i=4 s=x fn="},
	{"--b2=true --s='a b'", {NULL}, "parsing $GOFLAGS: non-flag \"b'\"", NULL},
	{"'-s=a b' -ldflags=-w -unknown", {NULL}, NULL, "b=0 b2=0 i=0 s=a b fn="},
	/* the command line overrides GOFLAGS */
	{"-i=4 -b", {"-i=5", "-b=false"}, NULL, "b=0 b2=0 i=5 s=0 fn="},
	{"-f=1 -bf", {"-f=2"}, NULL, "b=0 b2=0 i=0 s=0 fn=f=1;bf=true;f=2;"},
	{"  ", {NULL}, NULL, "b=0 b2=0 i=0 s=0 fn="},
	{"-b=x", {NULL}, "invalid boolean value \"x\" for flag -b (from $GOFLAGS): parse error", NULL},
	{"--b=x", {NULL}, "invalid boolean value \"x\" for flag -b (from $GOFLAGS): parse error", NULL},
	{"-i", {NULL}, "flag needs an argument: -i (from $GOFLAGS)", NULL},
	{"-i=x", {NULL}, "invalid value \"x\" for flag -i (from $GOFLAGS): parse error", NULL},
	{"x", {NULL}, "parsing $GOFLAGS: non-flag \"x\"", NULL},
	{"-b -", {NULL}, "parsing $GOFLAGS: non-flag \"-\"", NULL},
	{"--", {NULL}, "parsing $GOFLAGS: non-flag \"--\"", NULL},
	{"---b", {NULL}, "parsing $GOFLAGS: non-flag \"---b\"", NULL},
	{"-=x", {NULL}, "parsing $GOFLAGS: non-flag \"-=x\"", NULL},
	{"\"-a", {NULL}, "parsing $GOFLAGS: unterminated \" string", NULL},
};

static void test_goflags(void)
{
	for (size_t k = 0; k < countof(goflags_tests); k++) {
		struct flag_def d[6];
		struct state st;
		struct err e = ERR_INIT;
		int argc = 0;

		defs_init(d, &st);
		int rc = flag_apply_goflags(d, countof(d), goflags_tests[k].goflags, &e);
		T_STREQ(err_isset(&e) ? err_msg(&e) : NULL, goflags_tests[k].err, "goflags row %zu error", k);
		T_INTEQ(rc, goflags_tests[k].err ? -1 : 0, "goflags row %zu rc", k);
		if (goflags_tests[k].state) {
			while (argc < 4 && goflags_tests[k].args[argc])
				argc++;
			T_INTEQ(flag_parse(d, countof(d), argc, (char **)goflags_tests[k].args, &e), argc,
				"goflags row %zu parse", k);
			char *s = state_str(&st);
			T_STREQ(s, goflags_tests[k].state, "goflags row %zu state", k);
			free(s);
		}
		err_clear(&e);
		free(st.s);
		buf_release(&st.fn);
	}

	struct strvec sv = {0};
	struct err e = ERR_INIT;
	T_INTEQ(flag_split_goflags("-mod=mod '-ldflags=-s -w'", &sv, &e), 0, "split goflags");
	T_INTEQ(sv.n, 2, "split goflags n");
	if (sv.n == 2) {
		T_STREQ(sv.v[1], "-ldflags=-s -w", "split goflags quoted");
		char *n0 = flag_goflag_name(sv.v[0]), *n1 = flag_goflag_name("--x=1=2");
		T_STREQ(n0, "mod", "goflag name");
		T_STREQ(n1, "x", "goflag name --");
		free(n0);
		free(n1);
	}
	strvec_clear(&sv);
}

/* cmd/internal/quoted/quoted_test.go TestSplit; results joined with '|'. */
static const struct {
	const char *in, *want, *err;
} split_tests[] = {
	{"", "", NULL},
	{" ", "", NULL},
	{"a", "a|", NULL},
	{" a", "a|", NULL},
	{"a ", "a|", NULL},
	{"a b", "a|b|", NULL},
	{"a  b", "a|b|", NULL},
	{"a\tb", "a|b|", NULL},
	{"a\nb", "a|b|", NULL},
	{"'a b'", "a b|", NULL},
	{"\"a b\"", "a b|", NULL},
	{"'a '\"b \"", "a |b |", NULL},
	{"'a \"'\"'b\"", "a \"|'b|", NULL},
	{"\\'", "\\'|", NULL},
	{"'a", NULL, "unterminated ' string"},
	{"x\"a", "x\"a|", NULL},
};

static void test_split(void)
{
	for (size_t k = 0; k < countof(split_tests); k++) {
		struct strvec sv = {0};
		struct err e = ERR_INIT;
		struct buf b = BUF_INIT;
		int rc = quoted_split(split_tests[k].in, &sv, &e);

		T_INTEQ(rc, split_tests[k].err ? -1 : 0, "split row %zu rc", k);
		T_STREQ(err_isset(&e) ? err_msg(&e) : NULL, split_tests[k].err, "split row %zu err", k);
		if (rc == 0) {
			for (size_t i = 0; i < sv.n; i++) {
				buf_adds(&b, sv.v[i]);
				buf_addch(&b, '|');
			}
			T_STREQ(buf_cstr(&b), split_tests[k].want, "split row %zu", k);
		}
		buf_release(&b);
		strvec_clear(&sv);
		err_clear(&e);
	}
}

/* TestJoin */
static const struct {
	const char *args[3];
	const char *want, *err;
} join_tests[] = {
	{{NULL}, "", NULL},
	{{"a"}, "a", NULL},
	{{"a", "b"}, "a b", NULL},
	{{"a ", "b"}, "'a ' b", NULL},
	{{"a\n", "b"}, "'a\n' b", NULL},
	{{"'a ", "b"}, "\"'a \" b", NULL},
	{{"'\""}, NULL, "argument \"'\\\"\" contains both single and double quotes and cannot be quoted"},
	{{"é b"}, "'é b'", NULL},
};

static void test_join(void)
{
	for (size_t k = 0; k < countof(join_tests); k++) {
		struct buf b = BUF_INIT;
		struct err e = ERR_INIT;
		size_t n = 0;

		while (n < 3 && join_tests[k].args[n])
			n++;
		int rc = quoted_join(&b, (char *const *)join_tests[k].args, n, &e);
		T_INTEQ(rc, join_tests[k].err ? -1 : 0, "join row %zu rc", k);
		T_STREQ(err_isset(&e) ? err_msg(&e) : NULL, join_tests[k].err, "join row %zu err", k);
		if (rc == 0)
			T_STREQ(buf_cstr(&b), join_tests[k].want, "join row %zu", k);
		buf_release(&b);
		err_clear(&e);
	}
}

/* strconv.Quote rows (strconv/quote_test.go quotetests). */
static const struct {
	const char *in, *want;
} goquote_tests[] = {
	{"\a\b\f\r\n\t\v", "\"\\a\\b\\f\\r\\n\\t\\v\""},
	{"\\", "\"\\\\\""},
	{"abc\xff" "def", "\"abc\\xffdef\""},
	{"\xe2\x98\xba", "\"\xe2\x98\xba\""},
	{"\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\""},
	{"\x04", "\"\\x04\""},
	{"!\xc2\xad!", "\"!\\u00ad!\""},
	{"\x7f", "\"\\x7f\""},
};

static void test_goquote(void)
{
	for (size_t k = 0; k < countof(goquote_tests); k++) {
		struct buf b = BUF_INIT;
		quoted_go_string(&b, goquote_tests[k].in, strlen(goquote_tests[k].in));
		T_STREQ(buf_cstr(&b), goquote_tests[k].want, "go quote row %zu", k);
		buf_release(&b);
	}
}


/* time.Duration.String rows from Go's time/time_test.go durationTests. */
static const struct {
	int64_t d;
	const char *s;
} dur_fmt[] = {
	{0, "0s"}, {1, "1ns"}, {1100, "1.1\xc2\xb5s"}, {2200000, "2.2ms"}, {3300000000LL, "3.3s"},
	{4LL * 60000000000LL + 5000000000LL, "4m5s"}, {4LL * 60000000000LL + 5001000000LL, "4m5.001s"},
	{5LL * 3600000000000LL + 6LL * 60000000000LL + 7001000000LL, "5h6m7.001s"},
	{8LL * 60000000000LL + 1, "8m0.000000001s"}, {INT64_MAX, "2562047h47m16.854775807s"},
	{INT64_MIN, "-2562047h47m16.854775808s"}, {-1, "-1ns"}, {600000000000LL, "10m0s"},
};

/* time.ParseDuration rows from Go's parseDurationTests (and its error rows). */
static const struct {
	const char *in;
	int64_t want;
	bool ok;
} dur_parse[] = {
	{"0", 0, true}, {"5s", 5000000000LL, true}, {"30s", 30000000000LL, true}, {"1478s", 1478000000000LL, true},
	{"-5s", -5000000000LL, true}, {"+5s", 5000000000LL, true}, {"-0", 0, true}, {"+0", 0, true},
	{"5.0s", 5000000000LL, true}, {"5.6s", 5600000000LL, true}, {"5.s", 5000000000LL, true},
	{".5s", 500000000LL, true}, {"1.0s", 1000000000LL, true}, {"1.00s", 1000000000LL, true},
	{"1.004s", 1004000000LL, true}, {"1.0040s", 1004000000LL, true}, {"100.00100s", 100001000000LL, true},
	{"10ns", 10, true}, {"11us", 11000, true}, {"12\xc2\xb5s", 12000, true}, {"12\xce\xbcs", 12000, true},
	{"13ms", 13000000LL, true}, {"14s", 14000000000LL, true}, {"15m", 900000000000LL, true},
	{"16h", 57600000000000LL, true}, {"3h30m", 12600000000000LL, true}, {"10.5s4m", 250500000000LL, true},
	{"-2m3.4s", -123400000000LL, true}, {"1h2m3s4ms5us6ns", 3723004005006LL, true},
	{"39h9m14.425s", 140954425000000LL, true},
	{"9223372036854775807ns", INT64_MAX, true}, {"9223372036854775.807us", INT64_MAX, true},
	{"-9223372036854775808ns", INT64_MIN, true}, {"0.100000000000000000000h", 360000000000LL, true},
	{"", 0, false}, {"3", 0, false}, {"-", 0, false}, {"s", 0, false}, {".", 0, false}, {"-.", 0, false},
	{".s", 0, false}, {"+.s", 0, false}, {"1d", 0, false}, {"\x85\x85", 0, false},
	{"9223372036854775808ns", 0, false}, {"9223372036854775.808us", 0, false},
};

static void test_durations(void)
{
	for (size_t i = 0; i < countof(dur_fmt); i++) {
		struct buf b = BUF_INIT;
		go_duration_format(&b, dur_fmt[i].d);
		T_STREQ(buf_cstr(&b), dur_fmt[i].s, "go_duration_format row %zu", i);
		buf_release(&b);
	}
	for (size_t i = 0; i < countof(dur_parse); i++) {
		int64_t got = -42;
		int rc = go_duration_parse(dur_parse[i].in, &got);
		T_INTEQ(rc == 0, dur_parse[i].ok, "go_duration_parse(%s) ok", dur_parse[i].in);
		if (rc == 0 && dur_parse[i].ok)
			T_TRUE(got == dur_parse[i].want, "go_duration_parse(%s) = %lld", dur_parse[i].in, (long long)got);
	}
}

/* flag_parse_one: cmdflag.ParseOne's results. */
static void test_parse_one(void)
{
	bool bv = false;
	char *sv = NULL;
	struct flag_def d[] = {
		{"v", FLAG_BOOL, &bv, NULL, "", false},
		{"run", FLAG_STRING, &sv, NULL, "", false},
	};
	static const struct {
		const char *args[3];
		int argc, want, consumed;
		bool has_value;
		const char *err;
	} rows[] = {
		{{"-v"}, 1, FLAG_ONE_OK, 1, false, NULL},
		{{"--v=false"}, 1, FLAG_ONE_OK, 1, true, NULL},
		{{"-run", "X"}, 2, FLAG_ONE_OK, 2, false, NULL},
		{{"-run=X", "Y"}, 2, FLAG_ONE_OK, 1, true, NULL},
		{{"-run"}, 1, FLAG_ONE_ERR, 1, false, "flag needs an argument: -run"},
		{{"-v=x"}, 1, FLAG_ONE_ERR, 1, true, "invalid boolean value \"x\" for -v: parse error"},
		{{"pkg"}, 1, FLAG_ONE_NONFLAG, 0, false, NULL},
		{{"-"}, 1, FLAG_ONE_NONFLAG, 0, false, NULL},
		{{"---x"}, 1, FLAG_ONE_NONFLAG, 0, false, NULL},
		{{"--"}, 1, FLAG_ONE_TERMINATOR, 1, false, NULL},
		{{"-h"}, 1, FLAG_ONE_HELP, 1, false, NULL},
		{{"--help"}, 1, FLAG_ONE_HELP, 1, false, NULL},
		{{"-x=1"}, 1, FLAG_ONE_UNDEFINED, 1, true, NULL},
		{{"-args", "a"}, 2, FLAG_ONE_UNDEFINED, 1, false, NULL},
	};

	for (size_t k = 0; k < countof(rows); k++) {
		struct err e = ERR_INIT;
		struct flag_def *got_def = NULL;
		bool hv = false;
		int used = -1;
		int r = flag_parse_one(d, countof(d), rows[k].argc, (char **)rows[k].args, &used, &got_def, &hv, &e);
		T_INTEQ(r, rows[k].want, "flag_parse_one row %zu", k);
		T_INTEQ(used, rows[k].consumed, "flag_parse_one row %zu consumed", k);
		T_INTEQ(hv, rows[k].has_value, "flag_parse_one row %zu has_value", k);
		T_STREQ(err_isset(&e) ? err_msg(&e) : NULL, rows[k].err, "flag_parse_one row %zu error", k);
		err_clear(&e);
	}
	free(sv);
}

int main(void)
{
	test_durations();
	test_parse_one();
	test_parse();
	test_seen();
	test_goflags();
	test_split();
	test_join();
	test_goquote();
	return test_exit();
}
