/*
 * work/test2json.c: go1.26's cmd/internal/test2json TestGolden, run on
 * $GOROOT/src/cmd/internal/test2json/testdata (read at run time; GOROOT
 * from the environment, else /usr/local/go), fed in the same ways:
 * a line at a time (byte-identical to the .json), in bulk, with \r\n, two
 * bytes at a time on even and odd boundaries, a byte at a time, and with
 * tiny buffers (in 64, out 5..8).  Every chunk is overwritten with 'Z'
 * after the write, as writeAndKill does, so a converter that kept a
 * pointer into it would fail.  The non-exact runs are compared as
 * diffJSON does: events equal, output text equal per test however split.
 *
 * Then the cases of test2json_cases.h (Timestamp mode with a fake clock,
 * time zones, Elapsed forms, FailedBuild, Exited, ATTR and ARTIFACTS,
 * long lines, benchmarks, escaping), byte-identical to go's converter.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "work/work.h"
#include "test.h"

struct t2j_case {
	const char *name, *pkg;
	bool timestamp;
	const char *tz;
	int exited;
	const char *failed_build;
	long long base, step;
	const char *chunks[12];
	const char *want;
};

static const struct t2j_case t2j_cases[] = {
#include "test2json_cases.h"
};

static void collect(void *ctx, const char *line, size_t n)
{
	struct buf *b = ctx;
	/* every line is one whole event */
	test_checks++;
	if (n == 0 || line[n - 1] != '\n' || memchr(line, '\n', n) != line + n - 1)
		T_FAIL("output is not one line: %.*s", (int)n, line);
	buf_add(b, line, n);
}

/* write_kill is writeAndKill: write p[0..n) from a copy, then spoil the copy. */
static void write_kill(struct work_t2j *c, const char *p, size_t n)
{
	char *tmp = xmalloc(n ? n : 1);
	memcpy(tmp, p, n);
	work_t2j_write(c, tmp, n);
	memset(tmp, 'Z', n);
	free(tmp);
}

enum feed { FEED_LINES, FEED_BULK, FEED_EVEN2, FEED_ODD2, FEED_BYTES };

static void convert(struct buf *out, const char *in, size_t n, enum feed how, size_t inbuf, size_t outbuf)
{
	struct work_t2j_opts o = {.in_buffer = inbuf, .out_buffer = outbuf};
	struct work_t2j *c = work_t2j_new_opts("", 0, &o, collect, out);
	size_t i = 0;

	switch (how) {
	case FEED_LINES:
		while (i < n) {
			const char *nl = memchr(in + i, '\n', n - i);
			size_t k = nl ? (size_t)(nl - (in + i)) + 1 : n - i;
			write_kill(c, in + i, k);
			i += k;
		}
		break;
	case FEED_BULK:
		write_kill(c, in, n);
		break;
	case FEED_ODD2:
		if (n > 0)
			write_kill(c, in, 1);
		i = 1;
		/* fallthrough */
	case FEED_EVEN2:
		for (; i < n; i += 2)
			write_kill(c, in + i, i + 2 <= n ? 2 : n - i);
		break;
	case FEED_BYTES:
		for (; i < n; i++)
			write_kill(c, in + i, 1);
		break;
	}
	work_t2j_close(c);
}

/* A parsed stream: one cJSON object per line. */
struct events {
	VEC(cJSON *) ev;
	bool bad;
};

static void events_parse(struct events *es, const char *p, size_t n, const char *what)
{
	size_t i = 0;
	while (i < n) {
		const char *nl = memchr(p + i, '\n', n - i);
		size_t k = nl ? (size_t)(nl - (p + i)) + 1 : n - i;
		char *line = xstrndup(p + i, k);
		cJSON *j = cJSON_Parse(line);
		if (j == NULL || !cJSON_IsObject(j)) {
			T_FAIL("%s: cannot parse %s", what, line);
			es->bad = true;
			cJSON_Delete(j);
		} else {
			VEC_PUSH(&es->ev, j);
		}
		free(line);
		i += k;
	}
}

static void events_release(struct events *es)
{
	for (size_t i = 0; i < es->ev.n; i++)
		cJSON_Delete(es->ev.v[i]);
	VEC_FREE(&es->ev);
}

static const char *get_str(const cJSON *e, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, key);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static bool is_output_of(const cJSON *e, const char *test)
{
	return strcmp(get_str(e, "Action"), "output") == 0 && strcmp(get_str(e, "Test"), test) == 0;
}

/* diff_json is test2json_test.go's diffJSON: true when have matches want. */
static bool diff_json(const char *have, size_t nhave, const char *want, size_t nwant, const char *what)
{
	struct events h = {0}, w = {0};
	struct buf hout = BUF_INIT, wout = BUF_INIT;
	const char *output_test = "";
	size_t i = 0;
	bool ok = false;

	events_parse(&h, have, nhave, what);
	events_parse(&w, want, nwant, what);
	if (h.bad || w.bad)
		goto out;
	for (size_t j = 0; j <= w.ev.n; j++) {
		const cJSON *e = j < w.ev.n ? w.ev.v[j] : NULL;
		if (e && is_output_of(e, output_test)) {
			buf_adds(&wout, get_str(e, "Output"));
			continue;
		}
		/* checkOutput */
		while (i < h.ev.n && is_output_of(h.ev.v[i], output_test))
			buf_adds(&hout, get_str(h.ev.v[i++], "Output"));
		if (strcmp(buf_cstr(&hout), buf_cstr(&wout)) != 0) {
			T_FAIL("%s: output mismatch for Test=%s:\n\thave %s\n\twant %s", what, output_test,
			       buf_cstr(&hout), buf_cstr(&wout));
			goto out;
		}
		buf_reset(&hout);
		buf_reset(&wout);
		if (e == NULL)
			break;
		if (strcmp(get_str(e, "Action"), "output") == 0) {
			output_test = get_str(e, "Test");
			buf_adds(&wout, get_str(e, "Output"));
			continue;
		}
		if (i >= h.ev.n) {
			T_FAIL("%s: early end of event stream: missing event %zu", what, j);
			goto out;
		}
		if (!cJSON_Compare(h.ev.v[i], e, true)) {
			char *a = cJSON_PrintUnformatted(h.ev.v[i]), *b = cJSON_PrintUnformatted(e);
			T_FAIL("%s: events out of sync:\n\thave %s\n\twant %s", what, a, b);
			free(a);
			free(b);
			goto out;
		}
		i++;
	}
	if (i < h.ev.n) {
		T_FAIL("%s: extra events in stream", what);
		goto out;
	}
	ok = true;
out:
	test_checks++;
	events_release(&h);
	events_release(&w);
	buf_release(&hout);
	buf_release(&wout);
	return ok;
}

/* replace_all appends s with every from replaced by to. */
static void replace_all(struct buf *b, const char *s, size_t n, const char *from, const char *to)
{
	size_t k = strlen(from);
	for (size_t i = 0; i < n;) {
		if (i + k <= n && memcmp(s + i, from, k) == 0) {
			buf_adds(b, to);
			i += k;
		} else {
			buf_addch(b, s[i++]);
		}
	}
}

static int golden_runs;

static void test_golden_file(const char *dir, const char *name)
{
	char *tpath = path_join(dir, name);
	char *stem = xstrndup(name, strlen(name) - strlen(".test"));
	char *jname = xasprintf("%s.json", stem);
	char *jpath = path_join(dir, jname);
	struct buf in = BUF_INIT, want = BUF_INIT, have = BUF_INIT, tmp = BUF_INIT;
	struct err e = ERR_INIT;
	char what[256];

	if (os_read_file(tpath, &in, 0, &e) < 0 || os_read_file(jpath, &want, 0, &e) < 0) {
		T_FAIL("%s", err_msg(&e));
		goto out;
	}
	/* A line at a time: go's .json files were written this way. */
	convert(&have, in.data, in.len, FEED_LINES, 0, 0);
	snprintf(what, sizeof what, "%s (lines)", stem);
	T_STREQ(buf_cstr(&have), buf_cstr(&want), "%s: not byte-identical", what);
	if (!diff_json(have.data, have.len, want.data, want.len, what))
		goto out;
	golden_runs++;

	static const struct {
		const char *name;
		enum feed how;
	} feeds[] = {
		{"bulk", FEED_BULK}, {"even2", FEED_EVEN2}, {"odd2", FEED_ODD2}, {"bytes", FEED_BYTES},
	};
	for (size_t f = 0; f < countof(feeds); f++) {
		buf_reset(&have);
		convert(&have, in.data, in.len, feeds[f].how, 0, 0);
		snprintf(what, sizeof what, "%s/%s", stem, feeds[f].name);
		golden_runs += diff_json(have.data, have.len, want.data, want.len, what);
	}

	/* crlf: in bulk, "\n" written as "\r\n", and `\r\n` read back as `\n` */
	buf_reset(&tmp);
	replace_all(&tmp, in.data, in.len, "\n", "\r\n");
	buf_reset(&have);
	convert(&have, tmp.data, tmp.len, FEED_BULK, 0, 0);
	buf_reset(&tmp);
	replace_all(&tmp, have.data, have.len, "\\r\\n", "\\n");
	snprintf(what, sizeof what, "%s/crlf", stem);
	golden_runs += diff_json(tmp.data, tmp.len, want.data, want.len, what);

	/* tiny buffers: UTF-8 sequences must not be split */
	for (size_t b = 5; b <= 8; b++) {
		buf_reset(&have);
		convert(&have, in.data, in.len, FEED_BULK, 64, b);
		snprintf(what, sizeof what, "%s/tiny%zu", stem, b);
		golden_runs += diff_json(have.data, have.len, want.data, want.len, what);
	}
out:
	buf_release(&in);
	buf_release(&want);
	buf_release(&have);
	buf_release(&tmp);
	err_clear(&e);
	free(tpath);
	free(stem);
	free(jname);
	free(jpath);
}

static void test_golden(void)
{
	const char *goroot = getenv("GOROOT");
	char *dir = NULL;
	struct strvec names = {0};
	struct err e = ERR_INIT;
	size_t nfiles = 0;

	if (goroot == NULL || *goroot == 0)
		goroot = "/usr/local/go";
	dir = path_join(goroot, "src/cmd/internal/test2json/testdata");
	if (!os_is_dir(dir)) {
		T_FAIL("test2json testdata not found: %s is not a directory (set GOROOT to a Go 1.26 tree)", dir);
		goto out;
	}
	if (os_readdir(dir, &names, &e) < 0) {
		T_FAIL("%s", err_msg(&e));
		goto out;
	}
	for (size_t i = 0; i < names.n; i++) {
		if (!has_suffix(names.v[i], ".test"))
			continue;
		nfiles++;
		test_golden_file(dir, names.v[i]);
	}
	T_TRUE(nfiles >= 17, "only %zu testdata files in %s", nfiles, dir);
	printf("golden: %zu files, %d runs matched\n", nfiles, golden_runs);
out:
	strvec_clear(&names);
	err_clear(&e);
	free(dir);
}

/* The fake clock: base + k*step on the k-th call, like the generator's. */
struct fake_clock {
	long long base, step, k;
};

static int64_t fake_now(void *ctx, bool mono)
{
	struct fake_clock *f = ctx;
	(void)mono;
	return (int64_t)(f->base + f->k++ * f->step);
}

static void test_cases(void)
{
	char *old_tz = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;

	for (size_t i = 0; i < countof(t2j_cases); i++) {
		const struct t2j_case *tc = &t2j_cases[i];
		struct fake_clock clk = {tc->base, tc->step, 0};
		struct work_t2j_opts o = {.now = fake_now, .now_ctx = &clk};
		struct buf have = BUF_INIT;

		if (tc->timestamp) {
			setenv("TZ", tc->tz, 1);
			tzset();
		}
		struct work_t2j *c = work_t2j_new_opts(tc->pkg, tc->timestamp ? WORK_T2J_TIMESTAMP : 0, &o,
		                                       collect, &have);
		for (size_t k = 0; tc->chunks[k]; k++)
			write_kill(c, tc->chunks[k], strlen(tc->chunks[k]));
		if (tc->exited >= 0)
			work_t2j_exited(c, tc->exited);
		if (tc->failed_build[0])
			work_t2j_set_failed_build(c, tc->failed_build);
		work_t2j_close(c);
		T_STREQ(buf_cstr(&have), tc->want, "case %s", tc->name);
		buf_release(&have);
	}
	if (old_tz)
		setenv("TZ", old_tz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old_tz);
}

/* The default clock: a "Time" on every event, and an Elapsed at the end. */
static void test_real_clock(void)
{
	struct buf have = BUF_INIT;
	struct work_t2j *c = work_t2j_new("p", WORK_T2J_TIMESTAMP, collect, &have);

	work_t2j_write(c, "PASS\n", 5);
	work_t2j_close(c);
	T_TRUE(has_prefix(buf_cstr(&have), "{\"Time\":\"20"), "no Time: %s", buf_cstr(&have));
	T_TRUE(strstr(buf_cstr(&have), "\"Action\":\"pass\",\"Package\":\"p\",\"Elapsed\":") != NULL,
	       "no final pass: %s", buf_cstr(&have));
	buf_release(&have);
	work_t2j_close(NULL);
}

int main(void)
{
	test_golden();
	test_cases();
	test_real_clock();
	return test_exit();
}
