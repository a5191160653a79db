/*
 * modload/proxy.c's pure parts: GOPROXY list parsing (modfetch.proxyList)
 * and TryProxies' fallback rules and error ranking, table-driven from
 * proxy.go's rules, and encoding/json's syntax error texts (go1.26's
 * answers for the same inputs).
 */
#include <stdlib.h>
#include <string.h>

#include "modload/modload.h"
#include "test.h"

static void test_list(void)
{
	static const struct {
		const char *goproxy, *gonoproxy, *want, *err;
	} cases[] = {
		{"https://proxy.golang.org,direct", "", "https://proxy.golang.org direct", NULL},
		{"proxy.golang.org", "", "https://proxy.golang.org", NULL},
		{"localhost:8080", "", "https://localhost:8080", NULL},
		{"a.example|b.example,direct", "", "https://a.example| https://b.example direct", NULL},
		{" https://a.example , http://b.example ", "", "https://a.example http://b.example", NULL},
		{"off", "", "off", NULL},
		{"https://x.example,off,https://y.example", "", "https://x.example off", NULL},
		{"direct,https://x.example", "", "direct", NULL},
		{"direct", "corp.example", "direct", NULL},
		{"https://x.example", "corp.example", "noproxy https://x.example", NULL},
		{"https://x.example|direct", "corp.example", "noproxy https://x.example| direct", NULL},
		{"file:///srv/proxy", "", "file:///srv/proxy", NULL},
		{"file:///srv/proxy|https://x.example", "", "file:///srv/proxy| https://x.example", NULL},
		{"http://user:pw@h.example/p", "", "http://user:pw@h.example/p", NULL},
		{" , ,  ", "", NULL, "GOPROXY list is not the empty string, but contains no entries"},
		{"", "", NULL, "GOPROXY list is not the empty string, but contains no entries"},
		{",", "corp.example", NULL, "GOPROXY list is not the empty string, but contains no entries"},
		{"ftp://x.example", "", NULL, "invalid proxy URL scheme (must be https, http, file): ftp://x.example"},
		{"localhost", "", NULL, "invalid proxy URL missing scheme: localhost"},
		{"/srv/proxy", "", NULL, "invalid proxy URL missing scheme: /srv/proxy"},
		{"file://host/srv", "", NULL, "invalid file:// proxy URL with non-path elements: file://host/srv"},
		{"ftp://u:secret@x.example", "", NULL,
		 "invalid proxy URL scheme (must be https, http, file): ftp://u:xxxxx@x.example"},
	};
	for (size_t i = 0; i < countof(cases); i++) {
		struct mod_proxy_list l;
		struct err e = ERR_INIT;
		struct buf got = BUF_INIT;
		int rc = mod_proxy_list_parse(cases[i].goproxy, cases[i].gonoproxy, &l, &e);
		if (rc == 0) {
			for (size_t k = 0; k < l.v.n; k++)
				buf_printf(&got, "%s%s%s", k ? " " : "", l.v.v[k].url, l.v.v[k].fallback ? "|" : "");
			mod_proxy_list_release(&l);
		}
		T_STREQ(rc == 0 ? buf_cstr(&got) : NULL, cases[i].want, "GOPROXY=%s GONOPROXY=%s", cases[i].goproxy,
		        cases[i].gonoproxy);
		T_STREQ(rc == 0 ? NULL : err_msg(&e), cases[i].err, "GOPROXY=%s error", cases[i].goproxy);
		err_clear(&e);
		buf_release(&got);
	}
}

/* A fake proxy per entry: 'o' answers, 'n' not found (404/410), 'e' any
 * other error, 'u' errUseProxy (a noproxy entry for a public path). */
struct fake {
	const char *outcomes; /* one letter per entry, in list order */
	const struct mod_proxy_list *l;
	struct buf tried;
};

static int fake_fn(void *ctx, const char *proxy, bool *notexist, struct err *e)
{
	struct fake *f = ctx;
	size_t i = 0;
	while (i < f->l->v.n && strcmp(f->l->v.v[i].url, proxy) != 0)
		i++;
	buf_printf(&f->tried, "%s%s", f->tried.len ? " " : "", proxy);
	switch (f->outcomes[i]) {
	case 'o':
		return 0;
	case 'n':
		*notexist = true;
		return err_setf(e, "%s: not found", proxy);
	case 'u':
		*notexist = true;
		return err_setf(e, MOD_ERR_USE_PROXY);
	default:
		return err_setf(e, "%s: failed", proxy);
	}
}

static void test_try(void)
{
	static const struct {
		const char *goproxy, *gonoproxy, *outcomes, *tried, *err;
		bool notexist;
	} cases[] = {
		{"https://a.example,https://b.example", "", "no", "https://a.example https://b.example", NULL, false},
		{"https://a.example,https://b.example", "", "eo", "https://a.example", "https://a.example: failed", false},
		{"https://a.example|https://b.example", "", "eo", "https://a.example https://b.example", NULL, false},
		/* every entry not found: the last not-found error */
		{"https://a.example,https://b.example", "", "nn", "https://a.example https://b.example",
		 "https://b.example: not found", true},
		/* a proxy error outranks not found, whichever came first */
		{"https://a.example,https://b.example", "", "ne", "https://a.example https://b.example",
		 "https://b.example: failed", false},
		{"https://a.example|https://b.example", "", "en", "https://a.example https://b.example",
		 "https://a.example: failed", false},
		/* a later proxy error replaces an earlier one */
		{"https://a.example|https://b.example,https://c.example", "", "eeo",
		 "https://a.example https://b.example", "https://b.example: failed", false},
		/* off is not found: the list ends there */
		{"https://a.example,off", "", "nn", "https://a.example off", "off: not found", true},
		/* a proxy error at ',' stops before direct */
		{"https://a.example,direct", "", "ee", "https://a.example", "https://a.example: failed", false},
		/* direct's error is the best, even when not found */
		{"https://a.example|direct", "", "ee", "https://a.example direct", "direct: failed", false},
		{"https://a.example,direct", "", "ne", "https://a.example direct", "direct: failed", false},
		{"https://a.example|direct", "", "en", "https://a.example direct", "direct: not found", true},
		/* noproxy: errUseProxy ranks as not found; other errors as direct's and stop */
		{"https://a.example", "corp.example", "un", "noproxy https://a.example", "https://a.example: not found",
		 true},
		{"https://a.example", "corp.example", "uo", "noproxy https://a.example", NULL, false},
		{"https://a.example", "corp.example", "eo", "noproxy", "noproxy: failed", false},
		{"https://a.example", "corp.example", "ne", "noproxy https://a.example", "noproxy: not found", true},
	};
	for (size_t i = 0; i < countof(cases); i++) {
		struct mod_proxy_list l;
		struct err e = ERR_INIT;
		bool ne = false;
		int rc;
		if (mod_proxy_list_parse(cases[i].goproxy, cases[i].gonoproxy, &l, &e) < 0) {
			T_FAIL("case %zu: %s", i, err_msg(&e));
			err_clear(&e);
			continue;
		}
		struct fake f = {cases[i].outcomes, &l, BUF_INIT};
		rc = mod_proxy_try(&l, fake_fn, &f, &ne, &e);
		T_STREQ(buf_cstr(&f.tried), cases[i].tried, "case %zu (%s %s): tried", i, cases[i].goproxy,
		        cases[i].outcomes);
		T_STREQ(rc == 0 ? NULL : err_msg(&e), cases[i].err, "case %zu (%s %s): error", i, cases[i].goproxy,
		        cases[i].outcomes);
		T_INTEQ(rc == 0 ? false : ne, cases[i].notexist, "case %zu: notexist", i);
		err_clear(&e);
		buf_release(&f.tried);
		mod_proxy_list_release(&l);
	}
}

static void test_json_errors(void)
{
	/* encoding/json.Unmarshal's texts for these inputs (go1.26) */
	static const struct {
		const char *in, *err;
	} cases[] = {
		{"{\"Version\":\"v1.0.0\",\"Time\":\"2024-01-02T03:04:05Z\"}", NULL},
		{" [1, 2.5e-3, true, false, null, \"\\u00e9\\n\"] ", NULL},
		{"", "unexpected end of JSON input"},
		{"   ", "unexpected end of JSON input"},
		{"<html>", "invalid character '<' looking for beginning of value"},
		{"{\"a\":1,}", "invalid character '}' looking for beginning of object key string"},
		{"{\"a\" 1}", "invalid character '1' after object key"},
		{"{\"a\":1 \"b\":2}", "invalid character '\"' after object key:value pair"},
		{"[1 2]", "invalid character '2' after array element"},
		{"tru", "invalid character ' ' in literal true (expecting 'e')"},
		{"trux", "invalid character 'x' in literal true (expecting 'e')"},
		{"nul", "invalid character ' ' in literal null (expecting 'l')"},
		{"1e+", "invalid character ' ' in exponent of numeric literal"},
		{"-", "invalid character ' ' in numeric literal"},
		{"\x80", "invalid character '\\u0080' looking for beginning of value"},
		{"\xe9", "invalid character '\xc3\xa9' looking for beginning of value"},
		{"{} x", "invalid character 'x' after top-level value"},
		{"01", "invalid character '1' after top-level value"},
		{"\"a\tb\"", "invalid character '\\t' in string literal"},
		{"\"a\\x\"", "invalid character 'x' in string escape code"},
		{"\"\\u12g4\"", "invalid character 'g' in \\u hexadecimal character escape"},
		{"-x", "invalid character 'x' in numeric literal"},
		{"1.e5", "invalid character 'e' after decimal point in numeric literal"},
		{"'", "invalid character '\\'' looking for beginning of value"},
		{"{\"a\":", "unexpected end of JSON input"},
	};
	for (size_t i = 0; i < countof(cases); i++) {
		struct buf msg = BUF_INIT;
		bool bad = mod_json_syntax_error(cases[i].in, strlen(cases[i].in), &msg);
		T_STREQ(bad ? buf_cstr(&msg) : NULL, cases[i].err, "json %s", cases[i].in);
		buf_release(&msg);
	}
}

int main(void)
{
	test_list();
	test_try();
	test_json_errors();
	return test_exit();
}
