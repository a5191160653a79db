/*
 * test2json: the conversion of a test binary's output into the JSON event
 * stream of `go test -json`.
 *
 * mirrors cmd/internal/test2json/test2json.go (go1.26): Converter, its
 * handleInputLine, flushReport, Close, writeEvent, and lineBuffer with
 * indexEOL, isBenchmarkName and trimUTF8; events are printed as
 * encoding/json's Marshal prints test2json's event struct (field order,
 * omitempty, HTML-safe string escaping, ES6-style float formatting, and
 * time.Time's RFC 3339 form with nanoseconds).
 *
 * Two line buffers do the work, as in Go.  The input buffer (4096 bytes)
 * cuts the raw output into lines and hands whole lines to the line parser,
 * which recognises the framing lines (=== RUN, --- PASS, PASS, ...); the
 * output buffer (1024 bytes) collects the text of "output" events, so a
 * line longer than that is split into several events at UTF-8 boundaries.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "work/work_internal.h"

/* Go's test -v=test2json prefixes each framing line with ^V. */
#define T2J_MARKER 0x16

struct work_t2j;

/*
 * A line buffer (test2json's lineBuffer): b holds at most cap bytes of a
 * line not yet complete.  Whole lines that fit go to line(); longer ones
 * go to part() in pieces, mid telling that a piece has been emitted and
 * the end of that line is still to come.  Both callbacks get a view into
 * b that stays valid only during the call.
 */
struct t2j_linebuf {
	char *b;
	size_t len, cap;
	bool mid;
	void (*line)(struct work_t2j *c, const char *p, size_t n);
	void (*part)(struct work_t2j *c, const char *p, size_t n);
};

/* A pending --- PASS/FAIL/SKIP/BENCH report, printed when its level ends. */
struct t2j_report {
	const char *action; /* static: "pass", "fail", "skip", "bench" */
	char *test;         /* heap */
	size_t test_n;
	bool has_elapsed;
	double elapsed;
};

/* One event as test2json's event struct: empty views are omitted. */
struct t2j_event {
	const char *action;
	struct str test;
	bool has_elapsed;
	double elapsed;
	bool has_output;
	struct str output;
	struct str failed_build, key, value, path;
};

struct work_t2j {
	char *pkg;                 /* heap */
	int flags;
	void (*out)(void *ctx, const char *line, size_t n);
	void *out_ctx;
	int64_t (*now)(void *ctx, bool mono);
	void *now_ctx;
	int64_t start;             /* monotonic ns at work_t2j_new */
	struct buf test_name;      /* current test, for output attribution */
	VEC(struct t2j_report) report; /* nested pending reports (subtests) */
	const char *result;        /* static "pass"/"fail"/"skip", or NULL */
	struct t2j_linebuf input, output;
	bool need_marker;          /* framing lines must start with ^V */
	char *failed_build;        /* heap or NULL */
	struct buf js;             /* scratch: the event being encoded */
	struct buf scratch;        /* scratch: benchmark name check */
};

/* ---- small Go helpers --------------------------------------------------- */

/* t2j_is_space is unicode.IsSpace. */
static bool t2j_is_space(int32_t r)
{
	switch (r) {
	case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
	case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x3000:
		return true;
	}
	return r >= 0x2000 && r <= 0x200A;
}

/* t2j_trim_space is strings.TrimSpace (Unicode white space, both ends). */
static struct str t2j_trim_space(struct str s)
{
	while (s.n > 0) {
		int32_t r;
		size_t w = utf8_rune_decode(s.p, s.n, &r);
		if (!t2j_is_space(r))
			break;
		s.p += w;
		s.n -= w;
	}
	while (s.n > 0) {
		/* utf8.DecodeLastRuneInString: back up to a rune start, at most 4 bytes */
		size_t start = s.n - 1, lim = s.n >= 4 ? s.n - 4 : 0;
		int32_t r;
		while (start > lim && ((unsigned char)s.p[start] & 0xC0) == 0x80)
			start--;
		size_t w = utf8_rune_decode(s.p + start, s.n - start, &r);
		if (start + w != s.n || !t2j_is_space(r))
			break;
		s.n = start;
	}
	return s;
}

/* t2j_find is strings.Index(s, sep) for a C-string sep; -1 when absent. */
static ptrdiff_t t2j_find(struct str s, const char *sep)
{
	size_t k = strlen(sep);
	for (size_t i = 0; i + k <= s.n; i++)
		if (memcmp(s.p + i, sep, k) == 0)
			return (ptrdiff_t)i;
	return -1;
}

/* t2j_cut is strings.Cut(s, " "). */
static void t2j_cut(struct str s, struct str *before, struct str *after)
{
	const char *sp = s.n ? memchr(s.p, ' ', s.n) : NULL;
	if (sp == NULL) {
		*before = s;
		*after = (struct str){s.p + s.n, 0};
		return;
	}
	*before = (struct str){s.p, (size_t)(sp - s.p)};
	*after = (struct str){sp + 1, s.n - (size_t)(sp - s.p) - 1};
}

/* underscore_ok is strconv's underscoreOK: '_' only between digits. */
static bool underscore_ok(const char *s, size_t n)
{
	char saw = '^';
	size_t i = 0;
	bool hex = false;

	if (n >= 1 && (s[0] == '-' || s[0] == '+')) {
		s++;
		n--;
	}
	if (n >= 2 && s[0] == '0' && strchr("bBoOxX", s[1]) != NULL) {
		i = 2;
		saw = '0';
		hex = s[1] == 'x' || s[1] == 'X';
	}
	for (; i < n; i++) {
		char c = s[i], lc = (char)(c | 0x20);
		if ((c >= '0' && c <= '9') || (hex && lc >= 'a' && lc <= 'f')) {
			saw = '0';
			continue;
		}
		if (c == '_') {
			if (saw != '0')
				return false;
			saw = '_';
			continue;
		}
		if (saw == '_')
			return false;
		saw = '!';
	}
	return saw != '_';
}

/* prefix_len_fold is the length of the common prefix of s and lower-case lit, ignoring ASCII case. */
static size_t prefix_len_fold(const char *s, size_t n, const char *lit)
{
	size_t i = 0;
	while (i < n && lit[i] && (char)(s[i] | 0x20) == lit[i])
		i++;
	return i;
}

/*
 * t2j_parse_float is strconv.ParseFloat(s, 64): true with *out set when s
 * is a valid Go float literal that does not overflow.  The syntax is
 * checked as strconv's special and readFloat do; strtod computes the
 * (correctly rounded) value of the checked text.
 */
static bool t2j_parse_float(struct str s, double *out)
{
	const char *p = s.p;
	size_t n = s.n, i = 0;
	bool hex = false, sawdigits = false, sawdot = false, underscores = false;
	struct buf clean = BUF_INIT;
	bool ok = false;

	/* special: [+-]inf, [+-]infinity, nan (any case) */
	if (n > 0) {
		size_t sign = (p[0] == '+' || p[0] == '-') ? 1 : 0;
		size_t k = prefix_len_fold(p + sign, n - sign, "infinity");
		if ((k == 3 || k == 8) && sign + k == n) {
			*out = p[0] == '-' ? -INFINITY : INFINITY;
			return true;
		}
		if (!sign && n == 3 && prefix_len_fold(p, n, "nan") == 3) {
			*out = NAN;
			return true;
		}
	}
	if (i < n && (p[i] == '+' || p[i] == '-'))
		i++;
	if (i + 2 < n && p[i] == '0' && (p[i + 1] | 0x20) == 'x') {
		hex = true;
		i += 2;
	}
	for (; i < n; i++) {
		char c = p[i], lc = (char)(c | 0x20);
		if (c == '_') {
			underscores = true;
		} else if (c == '.') {
			if (sawdot)
				break;
			sawdot = true;
		} else if ((c >= '0' && c <= '9') || (hex && lc >= 'a' && lc <= 'f')) {
			sawdigits = true;
		} else {
			break;
		}
	}
	if (!sawdigits)
		goto out;
	if (i < n && (p[i] | 0x20) == (hex ? 'p' : 'e')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		if (i >= n || p[i] < '0' || p[i] > '9')
			goto out;
		for (; i < n && ((p[i] >= '0' && p[i] <= '9') || p[i] == '_'); i++)
			if (p[i] == '_')
				underscores = true;
	} else if (hex) {
		goto out;
	}
	if (underscores && !underscore_ok(p, i))
		goto out;
	if (i != n)
		goto out;
	for (size_t k = 0; k < n; k++)
		if (p[k] != '_')
			buf_addch(&clean, p[k]);
	errno = 0;
	*out = strtod(buf_cstr(&clean), NULL);
	/* Overflow is ErrRange; underflow to zero or a denormal is not an error. */
	ok = !(errno == ERANGE && isinf(*out));
out:
	buf_release(&clean);
	return ok;
}

/* digits_value reads back the decimal 0.d[0]d[1]...d[nd-1] * 10^(exp10+1). */
static double digits_value(const char *d, size_t nd, int exp10)
{
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%.*se%d", (int)nd, d, exp10 - (int)nd + 1);
	return strtod(tmp, NULL);
}

/* digits_step adds delta (+1/-1) to the last of nd digits; false when the
 * result would change the number of digits (a carry out or a leading 0). */
static bool digits_step(char *d, size_t nd, int delta)
{
	size_t i = nd;
	while (i-- > 0) {
		int v = d[i] - '0' + delta;
		if (v >= 0 && v <= 9) {
			d[i] = (char)('0' + v);
			return d[0] != '0';
		}
		d[i] = delta > 0 ? '0' : '9';
	}
	return false;
}

/*
 * shortest_digits finds the shortest decimal digits that read back as a
 * (a finite positive double), as strconv's shortest formatting does:
 * a = 0.digits * 10^(*exp10+1) with d[0] != 0.  At each length the
 * correctly rounded digits are tried, then their neighbours: near a power
 * of two the interval that rounds to a is lopsided, and when the nearest
 * digits fall outside it only the neighbour on the far side can be inside.
 */
static size_t shortest_digits(double a, char *digits, int *exp10)
{
	char tmp[64];
	size_t nd = 0;

	for (int prec = 0; prec < 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec, a);
		nd = 0;
		for (const char *q = tmp; *q && *q != 'e'; q++)
			if (*q != '.')
				digits[nd++] = *q;
		*exp10 = (int)strtol(strchr(tmp, 'e') + 1, NULL, 10);
		if (digits_value(digits, nd, *exp10) == a)
			return nd;
		if (prec == 16)
			break;
		char up[32], down[32];
		memcpy(up, digits, nd);
		memcpy(down, digits, nd);
		bool up_ok = digits_step(up, nd, 1) && digits_value(up, nd, *exp10) == a;
		bool down_ok = digits_step(down, nd, -1) && digits_value(down, nd, *exp10) == a;
		if (up_ok) {
			memcpy(digits, up, nd);
			return nd;
		}
		if (down_ok) {
			memcpy(digits, down, nd);
			return nd;
		}
	}
	return nd;
}

/*
 * t2j_format_float appends f as encoding/json encodes a float64: the
 * shortest decimal that reads back as f, in %f form, or %e form (exponent
 * without a leading zero) when |f| < 1e-6 or |f| >= 1e21.
 */
static void t2j_format_float(struct buf *b, double f)
{
	char digits[32];
	size_t nd = 0;
	int exp10 = 0;
	double a = fabs(f);

	if (signbit(f))
		buf_addch(b, '-');
	if (a == 0) {
		buf_addch(b, '0');
		return;
	}
	nd = shortest_digits(a, digits, &exp10);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (a < 1e-6 || a >= 1e21) {
		buf_addch(b, digits[0]);
		if (nd > 1) {
			buf_addch(b, '.');
			buf_add(b, digits + 1, nd - 1);
		}
		buf_printf(b, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
		/* encoding/json cleans e-07 up to e-7 (but keeps e+07... never seen: >= 1e21) */
		if (b->len >= 4 && b->data[b->len - 4] == 'e' && b->data[b->len - 3] == '-' &&
		    b->data[b->len - 2] == '0') {
			b->data[b->len - 2] = b->data[b->len - 1];
			buf_truncate(b, b->len - 1);
		}
		return;
	}
	if (exp10 < 0) {
		buf_adds(b, "0.");
		for (int k = -1; k > exp10; k--)
			buf_addch(b, '0');
		buf_add(b, digits, nd);
		return;
	}
	for (int k = 0; k <= exp10; k++)
		buf_addch(b, (size_t)k < nd ? digits[k] : '0');
	if (nd > (size_t)exp10 + 1) {
		buf_addch(b, '.');
		buf_add(b, digits + exp10 + 1, nd - (size_t)exp10 - 1);
	}
}

/*
 * t2j_format_time appends the wall time ns (since the Unix epoch) in the
 * local time zone as time.Time.MarshalJSON does: RFC 3339 with up to nine
 * fraction digits, trailing zeros dropped, "Z" for a zero offset.
 */
static void t2j_format_time(struct buf *b, int64_t ns)
{
	int64_t sec = ns / 1000000000, frac = ns % 1000000000;
	struct tm tm;
	time_t t;

	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	t = (time_t)sec;
	if (localtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof tm);
	buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	           tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (frac != 0) {
		char f[16];
		int k = 9;
		snprintf(f, sizeof f, "%09lld", (long long)frac);
		while (k > 0 && f[k - 1] == '0')
			k--;
		buf_addch(b, '.');
		buf_add(b, f, (size_t)k);
	}
	long off = tm.tm_gmtoff / 60; /* RFC 3339 has no seconds in the offset */
	if (off == 0) {
		buf_addch(b, 'Z');
		return;
	}
	buf_printf(b, "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}

static int64_t t2j_default_now(void *ctx, bool mono)
{
	struct timespec ts;
	(void)ctx;
	clock_gettime(mono ? CLOCK_MONOTONIC : CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- events ------------------------------------------------------------- */

static void json_field(struct buf *js, const char *name, struct str v)
{
	buf_printf(js, ",\"%s\":", name);
	json_quote(js, v.p, v.n);
}

/*
 * t2j_write_event is writeEvent: it fills in the package, the time and the
 * current test name (when the event has none) and prints one JSON line.
 */
static void t2j_write_event(struct work_t2j *c, struct t2j_event *e)
{
	struct buf *js = &c->js;

	if (e->test.n == 0)
		e->test = buf_str(&c->test_name);
	buf_reset(js);
	buf_addch(js, '{');
	if (c->flags & WORK_T2J_TIMESTAMP) {
		buf_adds(js, "\"Time\":\"");
		t2j_format_time(js, c->now(c->now_ctx, false));
		buf_adds(js, "\",");
	}
	/* json.Marshal fails on an infinite or NaN Elapsed (from a report line). */
	if (e->has_elapsed && (isinf(e->elapsed) || isnan(e->elapsed))) {
		buf_reset(js);
		buf_printf(js, "testjson internal error: json: unsupported value: %s\n",
		           isnan(e->elapsed) ? "NaN" : e->elapsed > 0 ? "+Inf" : "-Inf");
		c->out(c->out_ctx, js->data, js->len);
		return;
	}
	buf_adds(js, "\"Action\":");
	json_quote(js, e->action, strlen(e->action));
	if (c->pkg[0])
		json_field(js, "Package", str_c(c->pkg));
	if (e->test.n)
		json_field(js, "Test", e->test);
	if (e->has_elapsed) {
		buf_adds(js, ",\"Elapsed\":");
		t2j_format_float(js, e->elapsed);
	}
	if (e->has_output)
		json_field(js, "Output", e->output);
	if (e->failed_build.n)
		json_field(js, "FailedBuild", e->failed_build);
	if (e->key.n)
		json_field(js, "Key", e->key);
	if (e->value.n)
		json_field(js, "Value", e->value);
	if (e->path.n)
		json_field(js, "Path", e->path);
	buf_adds(js, "}\n");
	c->out(c->out_ctx, js->data, js->len);
}

/* t2j_write_output is writeOutputEvent. */
static void t2j_write_output(struct work_t2j *c, const char *p, size_t n)
{
	struct t2j_event e = {.action = "output", .has_output = true, .output = {p, n}};
	t2j_write_event(c, &e);
}

/* t2j_flush_report is flushReport: print pending reports deeper than depth. */
static void t2j_flush_report(struct work_t2j *c, size_t depth)
{
	buf_reset(&c->test_name);
	while (c->report.n > depth) {
		struct t2j_report *r = &c->report.v[--c->report.n];
		struct t2j_event e = {
			.action = r->action,
			.test = {r->test, r->test_n},
			.has_elapsed = r->has_elapsed,
			.elapsed = r->elapsed,
		};
		t2j_write_event(c, &e);
		free(r->test);
	}
}

/* ---- line buffers ------------------------------------------------------- */

/* index_eol is indexEOL: the end of the line in p[0..n) and its width
 * (1 for '\n', 0 before a ^V that does not begin the line); -1 if none. */
static ptrdiff_t index_eol(const char *p, size_t n, size_t *w)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n') {
			*w = 1;
			return (ptrdiff_t)i;
		}
		if (p[i] == T2J_MARKER && i > 0) {
			*w = 0;
			return (ptrdiff_t)i;
		}
	}
	return -1;
}

/* is_benchmark_name is isBenchmarkName on p[0..n) (already right-trimmed). */
static bool is_benchmark_name(struct work_t2j *c, const char *p, size_t n)
{
	/* work_is_test needs a C string; an embedded NUL decodes as U+0000 in
	 * Go, which is not lower case either, so cutting there is harmless. */
	buf_reset(&c->scratch);
	buf_add(&c->scratch, p, n);
	return work_is_test(buf_cstr(&c->scratch), "Benchmark");
}

/* trim_utf8 is trimUTF8: the largest t <= n such that p[0..t) does not
 * end inside a possibly valid UTF-8 sequence. */
static size_t trim_utf8(const char *p, size_t n)
{
	for (size_t i = 1; i < 4 && i <= n; i++) {
		unsigned char c = (unsigned char)p[n - i];
		if ((c & 0xC0) == 0x80)
			continue;
		if ((c & 0xE0) == 0xC0 && i < 2)
			return n - i;
		if ((c & 0xF0) == 0xE0 && i < 3)
			return n - i;
		if ((c & 0xF8) == 0xF0 && i < 4)
			return n - i;
		break;
	}
	return n;
}

/* linebuf_write is lineBuffer.write. */
static void linebuf_write(struct work_t2j *c, struct t2j_linebuf *l, const char *p, size_t n)
{
	while (n > 0) {
		size_t m = l->cap - l->len < n ? l->cap - l->len : n;
		memcpy(l->b + l->len, p, m);
		l->len += m;
		p += m;
		n -= m;

		size_t i = 0;
		while (i < l->len) {
			size_t w = 0;
			ptrdiff_t j = index_eol(l->b + i, l->len - i, &w);
			if (j < 0) {
				/* A benchmark result's name is printed before the
				 * benchmark runs: pass it on at once. */
				const char *tab = l->mid ? NULL : memchr(l->b + i, '\t', l->len - i);
				if (tab != NULL) {
					size_t k = (size_t)(tab - (l->b + i)), t = k;
					while (t > 0 && l->b[i + t - 1] == ' ')
						t--;
					if (is_benchmark_name(c, l->b + i, t)) {
						l->part(c, l->b + i, k + 1);
						l->mid = true;
						i += k + 1;
					}
				}
				break;
			}
			size_t e = i + (size_t)j + w;
			if (l->mid) {
				l->part(c, l->b + i, e - i);
				l->mid = false;
			} else {
				l->line(c, l->b + i, e - i);
			}
			i = e;
		}
		if (i == 0 && l->len == l->cap) {
			/* The whole buffer is a fragment of a longer line. */
			size_t t = trim_utf8(l->b, l->len);
			l->part(c, l->b, t);
			memmove(l->b, l->b + t, l->len - t);
			l->len -= t;
			l->mid = true;
		}
		if (i > 0) {
			memmove(l->b, l->b + i, l->len - i);
			l->len -= i;
		}
	}
}

/* linebuf_flush is lineBuffer.flush: what is left is a partial line. */
static void linebuf_flush(struct work_t2j *c, struct t2j_linebuf *l)
{
	if (l->len > 0) {
		l->part(c, l->b, l->len);
		l->len = 0;
	}
}

static void t2j_output_write(struct work_t2j *c, const char *p, size_t n)
{
	linebuf_write(c, &c->output, p, n);
}

/* ---- the line parser ---------------------------------------------------- */

static const char *const t2j_updates[] = {
	"=== RUN   ", "=== PAUSE ", "=== CONT  ", "=== NAME  ", "=== PASS  ",
	"=== FAIL  ", "=== SKIP  ", "=== ATTR  ", "=== ARTIFACTS ",
};
static const char *const t2j_reports[] = {
	"--- PASS: ", "--- FAIL: ", "--- SKIP: ", "--- BENCH: ",
};

/* t2j_action maps the upper-case action word to its static lower-case name. */
static const char *t2j_action(struct str w)
{
	static const char *const names[] = {
		"run", "pause", "cont", "name", "pass", "fail", "skip", "attr", "artifacts", "bench",
	};
	for (size_t i = 0; i < countof(names); i++) {
		size_t k = strlen(names[i]);
		if (w.n != k)
			continue;
		size_t j = 0;
		while (j < k && (w.p[j] | 0x20) == names[i][j])
			j++;
		if (j == k)
			return names[i];
	}
	BUG("test2json: unknown action"); /* only words from the tables above get here */
}

/* t2j_handle_line is handleInputLine: one whole line of test output. */
static void t2j_handle_line(struct work_t2j *c, const char *p, size_t n)
{
	struct str line = {p, n}, trim, orig;
	bool saw_marker = false, ok = false;
	size_t indent = 0;

	if (n == 0)
		return;
	if (c->need_marker && p[0] != T2J_MARKER) {
		t2j_output_write(c, p, n);
		return;
	}
	if (p[0] == T2J_MARKER) {
		linebuf_flush(c, &c->output);
		saw_marker = true;
		line.p++;
		line.n--;
	}
	trim = line;
	if (trim.n > 0 && trim.p[trim.n - 1] == '\n') {
		trim.n--;
		if (trim.n > 0 && trim.p[trim.n - 1] == '\r')
			trim.n--;
	}
	/* === NAME with an empty test name can lose its trailing spaces. */
	if (str_eqc(trim, "=== NAME")) {
		line = STR("=== NAME  \n");
		trim = (struct str){line.p, line.n - 1};
	}
	/* The final PASS or FAIL. */
	if (str_eqc(trim, "PASS") || str_eqc(trim, "FAIL") || str_has_prefix(trim, "FAIL\t")) {
		t2j_flush_report(c, 0);
		buf_reset(&c->test_name);
		c->need_marker = saw_marker;
		t2j_output_write(c, line.p, line.n);
		c->result = str_eqc(trim, "PASS") ? "pass" : "fail";
		return;
	}
	/* "?   \tpkg\t[no test files]" alone: the final event says skip. */
	if (str_has_prefix(line, "?   \t") && str_has_suffix(trim, "\t[no test files]") && c->report.n == 0)
		c->result = "skip";

	orig = line;
	for (size_t i = 0; i < countof(t2j_updates) && !ok; i++)
		ok = str_has_prefix(line, t2j_updates[i]);
	if (!ok) {
		/* --- reports, possibly indented four spaces per subtest level */
		while (str_has_prefix(line, "    ")) {
			line.p += 4;
			line.n -= 4;
			indent++;
		}
		for (size_t i = 0; i < countof(t2j_reports) && !ok; i++)
			ok = str_has_prefix(line, t2j_reports[i]);
	}
	if (!ok) {
		/* Plain output: the indentation says which subtest wrote it,
		 * when there are that many levels. */
		if (indent > 0 && indent <= c->report.n) {
			struct t2j_report *r = &c->report.v[indent - 1];
			buf_reset(&c->test_name);
			buf_add(&c->test_name, r->test, r->test_n);
		}
		t2j_output_write(c, orig.p, orig.n);
		return;
	}

	/* "=== ACTION Name" or "--- ACTION: Name (1.23s)" */
	struct str word, name, rest = {line.p + 4, line.n - 4};
	t2j_cut(rest, &word, &name);
	if (word.n > 0 && word.p[word.n - 1] == ':')
		word.n--;
	name = t2j_trim_space(name);
	struct t2j_event e = {.action = t2j_action(word)};

	if (line.p[0] == '-') {
		ptrdiff_t i = t2j_find(name, " (");
		if (i >= 0) {
			if (str_has_suffix(name, "s)")) {
				/* " (" and "s)" cannot overlap: name.n >= i + 4 */
				struct str num = {name.p + i + 2, name.n - (size_t)i - 4};
				double t;
				if (t2j_parse_float(num, &t) && (c->flags & WORK_T2J_TIMESTAMP)) {
					e.has_elapsed = true;
					e.elapsed = t;
				}
			}
			name.n = (size_t)i;
		}
		if (c->report.n < indent) {
			/* Nested deeper than any running test: plain output. */
			t2j_output_write(c, orig.p, orig.n);
			return;
		}
		c->need_marker = saw_marker;
		t2j_flush_report(c, indent);
		struct t2j_report r = {
			.action = e.action,
			.test = xstrndup(name.p, name.n),
			.test_n = name.n,
			.has_elapsed = e.has_elapsed,
			.elapsed = e.elapsed,
		};
		buf_reset(&c->test_name);
		buf_add(&c->test_name, name.p, name.n);
		VEC_PUSH(&c->report, r);
		t2j_output_write(c, orig.p, orig.n);
		return;
	}
	if (strcmp(e.action, "artifacts") == 0) {
		t2j_cut(name, &name, &e.path);
	} else if (strcmp(e.action, "attr") == 0) {
		struct str kv;
		t2j_cut(name, &name, &kv);
		t2j_cut(kv, &e.key, &e.value);
	}
	/* An === update ends any pending reports. */
	c->need_marker = saw_marker;
	t2j_flush_report(c, 0);
	/* name points into the input buffer, which stays put until we return. */
	buf_add(&c->test_name, name.p, name.n);
	if (strcmp(e.action, "name") == 0)
		return; /* only sets the test name */
	/* A pause's line comes before its event, so the test does not seem
	 * to print after it paused. */
	if (strcmp(e.action, "pause") == 0)
		t2j_output_write(c, orig.p, orig.n);
	t2j_write_event(c, &e);
	if (strcmp(e.action, "pause") != 0)
		t2j_output_write(c, orig.p, orig.n);
}

/* ---- the converter ------------------------------------------------------ */

struct work_t2j *work_t2j_new_opts(const char *pkg, int flags, const struct work_t2j_opts *o,
                                   void (*out)(void *ctx, const char *line, size_t n), void *ctx)
{
	struct work_t2j *c = xcalloc(1, sizeof *c);
	size_t in_size = o && o->in_buffer ? o->in_buffer : 4096;
	size_t out_size = o && o->out_buffer ? o->out_buffer : 1024;

	CHECK(out_size >= 4); /* must hold any one UTF-8 sequence */
	c->pkg = xstrdup(pkg ? pkg : "");
	c->flags = flags;
	c->out = out;
	c->out_ctx = ctx;
	c->now = o && o->now ? o->now : t2j_default_now;
	c->now_ctx = o && o->now ? o->now_ctx : NULL;
	c->start = c->now(c->now_ctx, true);
	buf_init(&c->test_name);
	buf_init(&c->js);
	buf_init(&c->scratch);
	c->input = (struct t2j_linebuf){
		.b = xmalloc(in_size), .cap = in_size,
		.line = t2j_handle_line, .part = t2j_output_write,
	};
	c->output = (struct t2j_linebuf){
		.b = xmalloc(out_size), .cap = out_size,
		.line = t2j_write_output, .part = t2j_write_output,
	};
	struct t2j_event e = {.action = "start"};
	t2j_write_event(c, &e);
	return c;
}

struct work_t2j *work_t2j_new(const char *pkg, int flags,
                              void (*out)(void *ctx, const char *line, size_t n), void *ctx)
{
	return work_t2j_new_opts(pkg, flags, NULL, out, ctx);
}

void work_t2j_write(struct work_t2j *c, const char *data, size_t n)
{
	linebuf_write(c, &c->input, data, n);
}

void work_t2j_exited(struct work_t2j *c, int status_or_err)
{
	if (status_or_err != 0)
		c->result = "fail";
	else if (c->result == NULL || strcmp(c->result, "skip") != 0)
		c->result = "pass";
}

void work_t2j_set_failed_build(struct work_t2j *c, const char *pkg_desc)
{
	free(c->failed_build);
	c->failed_build = pkg_desc ? xstrdup(pkg_desc) : NULL;
}

/* duration_round_ms_seconds is time.Duration(d).Round(time.Millisecond).Seconds(). */
static double duration_round_ms_seconds(int64_t d)
{
	const int64_t m = 1000000;
	int64_t r = d % m;

	if (d < 0) {
		r = -r;
		d = r + r < m ? d + r : d - (m - r);
	} else {
		d = r + r < m ? d - r : d + (m - r);
	}
	return (double)(d / 1000000000) + (double)(d % 1000000000) / 1e9;
}

void work_t2j_close(struct work_t2j *c)
{
	if (c == NULL)
		return;
	linebuf_flush(c, &c->input);
	linebuf_flush(c, &c->output);
	if (c->result != NULL) {
		struct t2j_event e = {.action = c->result};
		if (c->flags & WORK_T2J_TIMESTAMP) {
			e.has_elapsed = true;
			e.elapsed = duration_round_ms_seconds(c->now(c->now_ctx, true) - c->start);
		}
		if (strcmp(c->result, "fail") == 0 && c->failed_build)
			e.failed_build = str_c(c->failed_build);
		t2j_write_event(c, &e);
	}
	for (size_t i = 0; i < c->report.n; i++)
		free(c->report.v[i].test);
	VEC_FREE(&c->report);
	free(c->input.b);
	free(c->output.b);
	buf_release(&c->test_name);
	buf_release(&c->js);
	buf_release(&c->scratch);
	free(c->failed_build);
	free(c->pkg);
	free(c);
}
