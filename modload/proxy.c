/*
 * The module proxy client: GOPROXY lists and their fallback rules, the
 * proxy protocol (@v/list, .info, .mod, .zip, @latest), the download
 * cache around it, and the checksum database's remote reads.
 *
 * mirrors cmd/go/internal/modfetch (go1.26): proxy.go (proxyList,
 * TryProxies, proxyRepo), repo.go (lookup and its disabled-by errors),
 * cache.go (cachingRepo's disk reads and writes, InfoFile, GoMod,
 * rewriteVersionList), fetch.go (Download, DownloadZip, downloadZip,
 * checkMod, checkModSum) and sumdb.go (dbDial, ReadRemote, initBase).
 * The zip checks, the cache layout, the locks and go.sum are modfetch.c's;
 * the database client is sumdb.c's; HTTP is http.c's.
 *
 * Errors carry go's text.  Where go's error would match fs.ErrNotExist
 * (404 and 410, GOPROXY=off, GONOPROXY) a bool travels beside it, since
 * that decides whether TryProxies moves on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "modload/http.h"
#include "modload/modload.h"

/* the limit on .info, .mod, @v/list, @latest and sumdb bodies (go reads
 * them whole, unbounded; 16 MiB is the limit go.mod files have in zips) */
#define SMALL_BODY_LIMIT MOD_MAX_GOMOD

#define ERR_PROXY_OFF "module lookup disabled by GOPROXY=off"
#define ERR_NOPROXY "disabled by GOPRIVATE/GONOPROXY"

/* ---- GOPROXY ------------------------------------------------------------- */

void mod_proxy_list_release(struct mod_proxy_list *l)
{
	for (size_t i = 0; i < l->v.n; i++)
		free(l->v.v[i].url);
	free(l->v.v);
	memset(l, 0, sizeof *l);
}

static void list_push(struct mod_proxy_list *l, const char *url, size_t n, bool fallback)
{
	struct mod_proxy_spec s = {xstrndup(url, n), fallback};
	VEC_PUSH(&l->v, s);
}

/* url_scheme mirrors url.Parse's getScheme: the scheme (may be empty),
 * or -1 for "missing protocol scheme" (a leading ':'). */
static int url_scheme(const char *u, size_t *n)
{
	for (size_t i = 0; u[i]; i++) {
		char c = u[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			continue;
		if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
			if (i == 0) {
				*n = 0;
				return 0;
			}
			continue;
		}
		if (c == ':') {
			if (i == 0)
				return -1;
			*n = i;
			return 0;
		}
		*n = 0;
		return 0;
	}
	*n = 0;
	return 0;
}

/* check_proxy_url is what proxyList asks of newProxyRepo: a scheme it
 * can fetch from; a file:// URL holds a path only. */
static int check_proxy_url(const char *u, struct err *e)
{
	struct buf red = BUF_INIT;
	size_t n;
	int rc = -1;

	mod_http_redact(&red, u);
	if (url_scheme(u, &n) < 0) {
		err_setf(e, "parse \"%s\": missing protocol scheme", u);
		goto out;
	}
	if ((n == 4 && strncasecmp(u, "http", 4) == 0) || (n == 5 && strncasecmp(u, "https", 5) == 0)) {
		rc = 0;
	} else if (n == 4 && strncasecmp(u, "file", 4) == 0) {
		/* url.URL{Scheme, Path} only: no host, user, query or fragment */
		const char *rest = u + 5;
		bool ok = !strpbrk(rest, "?#");
		if (has_prefix(rest, "//"))
			ok = ok && rest[2] == '/';
		if (!ok)
			err_setf(e, "invalid file:// proxy URL with non-path elements: %s", buf_cstr(&red));
		else
			rc = 0;
	} else if (n == 0) {
		err_setf(e, "invalid proxy URL missing scheme: %s", buf_cstr(&red));
	} else {
		err_setf(e, "invalid proxy URL scheme (must be https, http, file): %s", buf_cstr(&red));
	}
out:
	buf_release(&red);
	return rc;
}

/* mirrors proxyList */
int mod_proxy_list_parse(const char *goproxy, const char *gonoproxy, struct mod_proxy_list *l, struct err *e)
{
	const char *p = goproxy ? goproxy : "";

	memset(l, 0, sizeof *l);
	if (gonoproxy && gonoproxy[0] && strcmp(p, "direct") != 0)
		list_push(l, "noproxy", 7, false);
	while (*p) {
		size_t n = strcspn(p, ",|");
		bool fallback = p[n] == '|';
		struct str u = str_trim_space((struct str){p, n});
		p += n;
		if (*p)
			p++;
		if (u.n == 0)
			continue;
		if (str_eqc(u, "off")) {
			/* "off" always fails hard, so the list ends there */
			list_push(l, "off", 3, false);
			break;
		}
		if (str_eqc(u, "direct")) {
			/* "direct" ends the list too (entries after it are reserved) */
			list_push(l, "direct", 6, false);
			break;
		}
		char *url = str_dup(u);
		/* a bare host name gets "https://"; anything with ":/" or an
		 * absolute path must be a complete URL */
		if (strpbrk(url, ".:/") && !strstr(url, ":/") && url[0] != '/') {
			char *full = xasprintf("https://%s", url);
			free(url);
			url = full;
		}
		if (check_proxy_url(url, e) < 0) {
			free(url);
			mod_proxy_list_release(l);
			return -1;
		}
		struct mod_proxy_spec s = {url, fallback};
		VEC_PUSH(&l->v, s);
	}
	if (l->v.n == 0 || (l->v.n == 1 && strcmp(l->v.v[0].url, "noproxy") == 0)) {
		mod_proxy_list_release(l);
		return err_setf(e, "GOPROXY list is not the empty string, but contains no entries");
	}
	return 0;
}

/* mirrors TryProxies */
int mod_proxy_try(const struct mod_proxy_list *l, mod_proxy_fn fn, void *ctx, bool *notexist, struct err *e)
{
	enum { NOTEXIST_RANK, PROXY_RANK, DIRECT_RANK };
	struct err best = ERR_INIT;
	bool best_notexist = false;
	int rank = NOTEXIST_RANK;

	*notexist = false;
	if (l->v.n == 0)
		BUG("GOPROXY list is empty");
	for (size_t i = 0; i < l->v.n; i++) {
		const struct mod_proxy_spec *s = &l->v.v[i];
		struct err cur = ERR_INIT;
		bool ne = false;
		if (fn(ctx, s->url, &ne, &cur) == 0) {
			err_clear(&best);
			return 0;
		}
		bool replace = false;
		if (strcmp(s->url, "direct") == 0 ||
		    (strcmp(s->url, "noproxy") == 0 && strcmp(err_msg(&cur), MOD_ERR_USE_PROXY) != 0)) {
			replace = true;
			rank = DIRECT_RANK;
		} else if (rank <= PROXY_RANK && !ne) {
			replace = true;
			rank = PROXY_RANK;
		} else if (rank == NOTEXIST_RANK) {
			replace = true;
		}
		if (replace) {
			err_clear(&best);
			best.msg = err_take(&cur);
			best_notexist = ne;
		}
		err_clear(&cur);
		if (!s->fallback && !ne)
			break;
	}
	*notexist = best_notexist;
	e->msg = err_take(&best);
	if (!e->msg)
		e->msg = xstrdup("");
	return -1;
}

/* ---- JSON (encoding/json's syntax errors and RevInfo) ------------------- */

/* quote_char mirrors encoding/json's quoteChar. */
static void quote_char(struct buf *b, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	if (c == '\'') {
		buf_adds(b, "'\\''");
		return;
	}
	buf_addch(b, '\'');
	switch (c) {
	case '\a': buf_adds(b, "\\a"); break;
	case '\b': buf_adds(b, "\\b"); break;
	case '\f': buf_adds(b, "\\f"); break;
	case '\n': buf_adds(b, "\\n"); break;
	case '\r': buf_adds(b, "\\r"); break;
	case '\t': buf_adds(b, "\\t"); break;
	case '\v': buf_adds(b, "\\v"); break;
	case '\\': buf_adds(b, "\\\\"); break;
	default:
		if (c < 0x20 || c == 0x7f) {
			buf_adds(b, "\\x");
			buf_addch(b, hex[c >> 4]);
			buf_addch(b, hex[c & 15]);
		} else if (c < 0x80) {
			buf_addch(b, c);
		} else if (c < 0xa1 || c == 0xad) {
			/* string(c) is U+00XX; strconv.Quote escapes the unprintable ones */
			buf_adds(b, "\\u00");
			buf_addch(b, hex[c >> 4]);
			buf_addch(b, hex[c & 15]);
		} else {
			buf_addch(b, 0xc0 | (c >> 6));
			buf_addch(b, 0x80 | (c & 0x3f));
		}
	}
	buf_addch(b, '\'');
}

struct jscan {
	const unsigned char *p, *end;
	struct buf *msg;
	bool failed;
};

static bool js_fail(struct jscan *s, const char *what)
{
	if (s->failed)
		return false;
	s->failed = true;
	if (s->p >= s->end) {
		buf_adds(s->msg, "unexpected end of JSON input");
		return false;
	}
	buf_adds(s->msg, "invalid character ");
	quote_char(s->msg, *s->p);
	buf_addch(s->msg, ' ');
	buf_adds(s->msg, what);
	return false;
}

/* js_fail_sp is js_fail where a space would be invalid too: at the end of
 * the input encoding/json's scanner steps a ' ' (scanner.eof), so inside
 * a literal, a number or an escape the error names that space. */
static bool js_fail_sp(struct jscan *s, const char *what)
{
	if (s->failed)
		return false;
	if (s->p < s->end)
		return js_fail(s, what);
	s->failed = true;
	buf_adds(s->msg, "invalid character ' ' ");
	buf_adds(s->msg, what);
	return false;
}

static void js_ws(struct jscan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static bool js_value(struct jscan *s, int depth);

static bool js_string(struct jscan *s)
{
	s->p++; /* '"' */
	while (s->p < s->end) {
		unsigned char c = *s->p;
		if (c == '"') {
			s->p++;
			return true;
		}
		if (c < 0x20)
			return js_fail(s, "in string literal");
		if (c == '\\') {
			s->p++;
			if (s->p >= s->end)
				return js_fail_sp(s, "in string escape code");
			if (*s->p == 'u') {
				for (int i = 0; i < 4; i++) {
					s->p++;
					unsigned char h = s->p < s->end ? *s->p : ' ';
					if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
						return js_fail_sp(s, "in \\u hexadecimal character escape");
				}
			} else if (!strchr("\"\\/bfnrt", *s->p) || *s->p == 0) {
				return js_fail(s, "in string escape code");
			}
		}
		s->p++;
	}
	return js_fail(s, "");
}

static bool js_digits(struct jscan *s, const char *what)
{
	if (s->p >= s->end || *s->p < '0' || *s->p > '9')
		return js_fail_sp(s, what);
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return true;
}

static bool js_number(struct jscan *s)
{
	if (*s->p == '-')
		s->p++;
	if (s->p < s->end && *s->p == '0')
		s->p++;
	else if (!js_digits(s, "in numeric literal"))
		return false;
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (!js_digits(s, "after decimal point in numeric literal"))
			return false;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (!js_digits(s, "in exponent of numeric literal"))
			return false;
	}
	return true;
}

static bool js_literal(struct jscan *s, const char *lit)
{
	char what[40];
	for (size_t i = 1; lit[i]; i++) {
		s->p++;
		if (s->p < s->end && *s->p == (unsigned char)lit[i])
			continue;
		snprintf(what, sizeof what, "in literal %s (expecting '%c')", lit, lit[i]);
		return js_fail_sp(s, what);
	}
	s->p++;
	return true;
}

static bool js_value(struct jscan *s, int depth)
{
	js_ws(s);
	if (s->p >= s->end)
		return js_fail(s, "");
	if (depth > 10000)
		return js_fail(s, "exceeded max depth");
	switch (*s->p) {
	case '{':
		s->p++;
		js_ws(s);
		if (s->p < s->end && *s->p == '}') {
			s->p++;
			return true;
		}
		for (;;) {
			js_ws(s);
			if (s->p >= s->end || *s->p != '"')
				return js_fail(s, "looking for beginning of object key string");
			if (!js_string(s))
				return false;
			js_ws(s);
			if (s->p >= s->end || *s->p != ':')
				return js_fail(s, "after object key");
			s->p++;
			if (!js_value(s, depth + 1))
				return false;
			js_ws(s);
			if (s->p < s->end && *s->p == ',') {
				s->p++;
				continue;
			}
			if (s->p < s->end && *s->p == '}') {
				s->p++;
				return true;
			}
			return js_fail(s, "after object key:value pair");
		}
	case '[':
		s->p++;
		js_ws(s);
		if (s->p < s->end && *s->p == ']') {
			s->p++;
			return true;
		}
		for (;;) {
			if (!js_value(s, depth + 1))
				return false;
			js_ws(s);
			if (s->p < s->end && *s->p == ',') {
				s->p++;
				continue;
			}
			if (s->p < s->end && *s->p == ']') {
				s->p++;
				return true;
			}
			return js_fail(s, "after array element");
		}
	case '"':
		return js_string(s);
	case 't':
		return js_literal(s, "true");
	case 'f':
		return js_literal(s, "false");
	case 'n':
		return js_literal(s, "null");
	default:
		if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
			return js_number(s);
		return js_fail(s, "looking for beginning of value");
	}
}

bool mod_json_syntax_error(const char *data, size_t n, struct buf *msg)
{
	struct jscan s = {(const unsigned char *)data, (const unsigned char *)data + n, msg, false};

	if (!js_value(&s, 0))
		return true;
	js_ws(&s);
	if (s.p < s.end) {
		js_fail(&s, "after top-level value");
		return true;
	}
	return false;
}

void mod_rev_info_release(struct mod_rev_info *r)
{
	free(r->version);
	free(r->time);
	free(r->origin);
	memset(r, 0, sizeof *r);
}

static bool all_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

/*
 * norm_time parses an RFC 3339 time as time.Time.UnmarshalJSON does and
 * appends it as MarshalJSON writes it back (RFC3339Nano: the fraction
 * without trailing zeros, "Z" for a zero offset).
 */
static int norm_time(const char *t, struct buf *out, struct err *e)
{
	size_t n = strlen(t), i = 19, fe;

	if (n < 20 || !all_digits(t, 4) || t[4] != '-' || !all_digits(t + 5, 2) || t[7] != '-' ||
	    !all_digits(t + 8, 2) || t[10] != 'T' || !all_digits(t + 11, 2) || t[13] != ':' ||
	    !all_digits(t + 14, 2) || t[16] != ':' || !all_digits(t + 17, 2))
		goto bad;
	buf_add(out, t, 19);
	if (t[i] == '.') {
		fe = i + 1;
		while (fe < n && t[fe] >= '0' && t[fe] <= '9')
			fe++;
		if (fe == i + 1)
			goto bad;
		size_t last = fe;
		while (last > i + 1 && t[last - 1] == '0')
			last--;
		if (last - (i + 1) > 9)
			last = i + 10;
		if (last > i + 1)
			buf_add(out, t + i, last - i);
		i = fe;
	}
	if (strcmp(t + i, "Z") == 0) {
		buf_addch(out, 'Z');
		return 0;
	}
	if ((t[i] == '+' || t[i] == '-') && n - i == 6 && all_digits(t + i + 1, 2) && t[i + 3] == ':' &&
	    all_digits(t + i + 4, 2)) {
		if (strcmp(t + i + 1, "00:00") == 0)
			buf_addch(out, 'Z');
		else
			buf_adds(out, t + i);
		return 0;
	}
bad:
	return err_setf(e, "parsing time \"%s\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"%s\" as \"2006\"",
	                t, t);
}

/* The Origin fields in json.Marshal's order (codehost.Origin). */
static const char *const origin_fields[] = {"VCS", "URL", "Subdir", "Hash", "TagPrefix", "TagSum", "Ref", "RepoSum"};

/* parse_rev_info is json.Unmarshal into a RevInfo: *msg (go's
 * unmarshal error) on failure. */
static int parse_rev_info(const char *data, size_t n, struct mod_rev_info *info, struct err *e)
{
	struct buf msg = BUF_INIT, t = BUF_INIT;
	cJSON *js = NULL, *it;
	int rc = -1;

	memset(info, 0, sizeof *info);
	if (mod_json_syntax_error(data, n, &msg)) {
		err_setf(e, "%s", buf_cstr(&msg));
		goto out;
	}
	js = cJSON_ParseWithLength(data, n);
	if (!js) {
		err_setf(e, "unexpected end of JSON input");
		goto out;
	}
	if (!cJSON_IsObject(js)) {
		if (!cJSON_IsNull(js)) {
			err_setf(e, "json: cannot unmarshal %s into Go value of type modfetch.RevInfo",
			         cJSON_IsArray(js) ? "array" : cJSON_IsString(js) ? "string" :
			         cJSON_IsNumber(js) ? "number" : "bool");
			goto out;
		}
	}
	/* encoding/json matches field names case-insensitively, as cJSON_GetObjectItem does */
	it = cJSON_GetObjectItem(js, "Version");
	if (it && !cJSON_IsNull(it) && !cJSON_IsString(it)) {
		err_setf(e, "json: cannot unmarshal %s into Go struct field RevInfo.Version of type string",
		         cJSON_IsNumber(it) ? "number" : cJSON_IsBool(it) ? "bool" : cJSON_IsArray(it) ? "array" : "object");
		goto out;
	}
	info->version = xstrdup(it && cJSON_IsString(it) ? it->valuestring : "");
	it = cJSON_GetObjectItem(js, "Time");
	if (it && cJSON_IsString(it)) {
		if (norm_time(it->valuestring, &t, e) < 0)
			goto out;
	} else if (it && !cJSON_IsNull(it)) {
		err_setf(e, "Time.UnmarshalJSON: input is not a JSON string");
		goto out;
	} else {
		buf_adds(&t, "0001-01-01T00:00:00Z");
	}
	info->time = buf_detach(&t);
	it = cJSON_GetObjectItem(js, "Origin");
	if (it && cJSON_IsObject(it)) {
		struct buf o = BUF_INIT;
		bool first = true;
		buf_addch(&o, '{');
		for (size_t i = 0; i < countof(origin_fields); i++) {
			cJSON *f = cJSON_GetObjectItem(it, origin_fields[i]);
			if (!f || !cJSON_IsString(f) || !f->valuestring[0])
				continue;
			if (!first)
				buf_addch(&o, ',');
			first = false;
			json_quote(&o, origin_fields[i], strlen(origin_fields[i]));
			buf_addch(&o, ':');
			json_quote(&o, f->valuestring, strlen(f->valuestring));
		}
		buf_addch(&o, '}');
		info->origin = buf_detach(&o);
	}
	rc = 0;
out:
	if (rc < 0)
		mod_rev_info_release(info);
	cJSON_Delete(js);
	buf_release(&msg);
	buf_release(&t);
	return rc;
}

/* format_rev_info appends json.Marshal(info) as writeDiskStat writes it;
 * clean drops the Origin fields that do not matter for a version
 * (TagSum, TagPrefix, RepoSum; Ref for pseudo-versions). */
static void format_rev_info(struct buf *b, const struct mod_rev_info *info, bool clean)
{
	buf_adds(b, "{\"Version\":");
	json_quote(b, info->version, strlen(info->version));
	buf_adds(b, ",\"Time\":");
	json_quote(b, info->time, strlen(info->time));
	if (info->origin) {
		cJSON *o = cJSON_Parse(info->origin);
		bool first = true;
		buf_adds(b, ",\"Origin\":{");
		for (size_t i = 0; o && i < countof(origin_fields); i++) {
			const char *k = origin_fields[i];
			cJSON *f = cJSON_GetObjectItemCaseSensitive(o, k);
			if (!f || !cJSON_IsString(f))
				continue;
			if (clean && (strcmp(k, "TagSum") == 0 || strcmp(k, "TagPrefix") == 0 ||
			              strcmp(k, "RepoSum") == 0 ||
			              (strcmp(k, "Ref") == 0 && mod_is_pseudo_version(info->version))))
				continue;
			if (!first)
				buf_addch(b, ',');
			first = false;
			json_quote(b, k, strlen(k));
			buf_addch(b, ':');
			json_quote(b, f->valuestring, strlen(f->valuestring));
		}
		buf_addch(b, '}');
		cJSON_Delete(o);
	}
	buf_addch(b, '}');
}

/* ---- the fetcher ------------------------------------------------------- */

struct mod_fetch {
	/* first: the sumdb files' ops get &db_files as their ctx, and
	 * read_remote (sumdb_read_remote) turns that same pointer back into
	 * the fetcher */
	struct mod_sumdb_files db_files;
	struct mod_fetch_config c;
	struct mod_gosum *sums;       /* borrowed, may be NULL */
	struct mod_http http;
	struct mod_proxy_list proxies;
	char *proxies_err;            /* proxyList's error, or NULL */
	bool fatal;                   /* the last error is a base.Fatalf one */
	bool notexist;                /* mod_fetch_download's zip was not found (fs.ErrNotExist) */
	/* the checksum database (dbDial, once) */
	bool db_dialed;
	char *db_err;                 /* dbDial's error, or NULL */
	struct mod_sumdb_config db;
	char *db_sumdb_dir;
	struct mod_sumdb_client *db_client;
	bool db_base_done;            /* initBase ran */
	char *db_base;                /* where lookups and tiles are read */
	char *db_base_err;
	char *prefetch_dir;           /* mod_fetch_prefetch's files, or NULL */
	struct map qcache;            /* "op\nproxy\npath\narg" -> struct qcache_ent * (cachingRepo) */
	struct mod_direct *direct;    /* direct fetches (direct.c), made on first use */
};

/* A query repo method's answer, kept as cachingRepo keeps its
 * versionsCache, statCache and latestCache: errors included. */
struct qcache_ent {
	char *key;                    /* the map's key */
	int rc;
	bool notexist;
	char *err;
	struct strvec vs;
	struct mod_rev_info info;
};

static void qcache_release(struct map *m)
{
	size_t i = 0;
	const char *key;
	void *val;

	while (map_next(m, &i, &key, &val)) {
		struct qcache_ent *q = val;
		free(q->key);
		free(q->err);
		strvec_clear(&q->vs);
		mod_rev_info_release(&q->info);
		free(q);
	}
	map_release(m);
}

struct mod_fetch *mod_fetch_new(const struct mod_fetch_config *c, struct mod_gosum *sums)
{
	struct mod_fetch *f = xcalloc(1, sizeof *f);
	struct err e = ERR_INIT;

	f->c = *c;
	f->sums = sums;
	map_init(&f->qcache);
	mod_http_init(&f->http, c->x, c->http_stall);
	mod_http_set_goauth(&f->http, c->goauth);
	if (mod_proxy_list_parse(c->goproxy, c->gonoproxy, &f->proxies, &e) < 0)
		f->proxies_err = err_take(&e);
	return f;
}

void mod_fetch_free(struct mod_fetch *f)
{
	if (!f)
		return;
	mod_http_release(&f->http); /* removes the prefetched files left */
	mod_direct_free(f->direct);
	if (f->prefetch_dir)
		rmdir(f->prefetch_dir);
	free(f->prefetch_dir);
	mod_proxy_list_release(&f->proxies);
	free(f->proxies_err);
	free(f->db_err);
	mod_sumdb_config_release(&f->db);
	free(f->db_sumdb_dir);
	mod_sumdb_client_free(f->db_client);
	free(f->db_base);
	free(f->db_base_err);
	qcache_release(&f->qcache);
	free(f);
}

bool mod_fetch_fatal(const struct mod_fetch *f)
{
	return f->fatal;
}

bool mod_fetch_notexist(const struct mod_fetch *f)
{
	return f->notexist;
}

/* try_proxies is TryProxies over this fetcher's list. */
static int try_proxies(struct mod_fetch *f, mod_proxy_fn fn, void *ctx, bool *notexist, struct err *e)
{
	*notexist = false;
	if (f->proxies_err)
		return err_setf(e, "%s", f->proxies_err);
	return mod_proxy_try(&f->proxies, fn, ctx, notexist, e);
}

/* version_error mirrors proxyRepo.versionError: wraps e's text in
 * module.ModuleError (with InvalidVersionError for a non-canonical version). */
static void version_error(const char *path, const char *version, struct err *e)
{
	char *inner = err_take(e);
	char *canon = version[0] ? mod_canonical_version(version) : NULL;

	if (version[0] && strcmp(version, canon) != 0)
		err_setf(e, "%s@%s: invalid %s: %s", path, version,
		         mod_is_pseudo_version(version) ? "pseudo-version" : "version", inner);
	else if (version[0])
		err_setf(e, "%s@%s: %s", path, version, inner);
	else
		err_setf(e, "module %s: %s", path, inner);
	free(inner);
	free(canon);
}

/* path_escape_seg appends s as proxy.go's pathEscape does
 * (url.PathEscape with "/" kept). */
static void path_escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-_.~$&+:=@/", c)) {
			buf_addch(b, c);
		} else {
			buf_addch(b, '%');
			buf_addch(b, hex[c >> 4]);
			buf_addch(b, hex[c & 15]);
		}
	}
}

/*
 * lookup mirrors repo.go's lookup for this proxy and path, less the
 * repository: 0 when proxy is a URL to ask, 1 when the module is fetched
 * directly from its repository (direct.c), else -1 with the error every
 * method of the errRepo would return (raw, not version-wrapped).
 */
static int lookup(struct mod_fetch *f, const char *proxy, const char *path, bool *notexist, struct err *e)
{
	*notexist = false;
	if (strcmp(path, "go") == 0 || strcmp(path, "toolchain") == 0)
		return err_setf(e, "toolchain module %s: not supported yet by gotool", path);
	if (mod_match_prefix_patterns(f->c.gonoproxy, path)) {
		if (strcmp(proxy, "noproxy") == 0 || strcmp(proxy, "direct") == 0)
			return 1;
		*notexist = true;
		return err_setf(e, ERR_NOPROXY);
	}
	if (strcmp(proxy, "off") == 0) {
		*notexist = true;
		return err_setf(e, ERR_PROXY_OFF);
	}
	if (strcmp(proxy, "direct") == 0)
		return 1;
	if (strcmp(proxy, "noproxy") == 0) {
		*notexist = true;
		return err_setf(e, MOD_ERR_USE_PROXY);
	}
	return 0;
}

/* direct returns the fetcher's direct repositories. */
static struct mod_direct *direct(struct mod_fetch *f)
{
	if (!f->direct) {
		struct mod_direct_config dc = {f->c.gomodcache, f->c.goinsecure, f->c.goprivate, f->c.govcs, f->c.x,
		                               f->c.goauth};
		f->direct = mod_direct_new(&dc);
	}
	return f->direct;
}

/* proxy_get is proxyRepo.getBytes / getBody for path's rel ("@v/list"...):
 * into body, or fd when fd >= 0. */
static int proxy_get(struct mod_fetch *f, const char *proxy, const char *path, const char *rel, struct buf *body,
                     int fd, uint64_t limit, bool *notexist, struct err *e)
{
	struct buf url = BUF_INIT;
	char *enc = NULL;
	size_t n = strlen(proxy);
	int rc;

	*notexist = false;
	if (mod_escape_path(path, &enc, e) < 0)
		return -1;
	while (n > 0 && proxy[n - 1] == '/')
		n--;
	buf_add(&url, proxy, n);
	buf_addch(&url, '/');
	path_escape(&url, enc);
	buf_addch(&url, '/');
	path_escape(&url, rel);
	rc = mod_http_get(&f->http, buf_cstr(&url), body, fd, limit, notexist, e);
	buf_release(&url);
	free(enc);
	return rc;
}

/* disk_read mirrors readDiskCache: the cached file's content, or -1. */
static int disk_read(struct mod_fetch *f, const char *path, const char *rev, const char *suffix, char **file,
                     struct buf *data)
{
	struct err ignore = ERR_INIT;
	int rc = -1;

	*file = NULL;
	if (mod_cache_path(f->c.gomodcache, path, rev, suffix, file, &ignore) < 0)
		goto out;
	if (os_read_file(*file, data, SMALL_BODY_LIMIT, &ignore) < 0)
		goto out;
	rc = 0;
out:
	err_clear(&ignore);
	return rc;
}

/* disk_write mirrors writeDiskCache: temp file and rename, without an fsync as
 * go writes it (os_write_file_scratch), and rewriteVersionList after a .mod. */
static void rewrite_version_list(const char *dir);
static int disk_write(const char *file, const void *data, size_t n, struct err *e)
{
	char *dir = path_dir(file);
	int rc = -1;

	if (os_mkdir_all(dir, 0777, e) < 0)
		goto out;
	if (os_write_file_scratch(file, data, n, 0666, e) < 0)
		goto out;
	if (has_suffix(file, ".mod"))
		rewrite_version_list(dir);
	rc = 0;
out:
	free(dir);
	return rc;
}

static int cmp_semver(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int c = mod_semver_compare(x, y);
	return c ? c : strcmp(x, y);
}

/*
 * rewrite_version_list mirrors rewriteVersionList: @v/list names every
 * version with a .mod file, in semver order.  Like go (lockedfile.Edit) it
 * is rewritten in place under the file's own flock, so go and gotool
 * exclude each other: a rename would swap the locked inode away.
 */
static void rewrite_version_list(const char *dir)
{
	struct strvec names = {0}, list = {0};
	struct buf want = BUF_INIT, have = BUF_INIT;
	struct err ignore = ERR_INIT;
	char *file = path_join(dir, "list");
	int fd = -1;

	if (strcmp(path_base(dir), "@v") != 0)
		BUG("misuse of rewrite_version_list");
	if ((fd = os_flock_open(file, &ignore)) < 0)
		goto out;
	if (os_readdir(dir, &names, &ignore) < 0)
		goto out;
	for (size_t i = 0; i < names.n; i++) {
		const char *nm = names.v[i];
		if (!has_suffix(nm, ".mod") || strlen(nm) == 4)
			continue;
		char *v = xstrndup(nm, strlen(nm) - 4);
		char *canon = mod_canonical_version(v);
		if (strcmp(canon, v) == 0)
			strvec_push_take(&list, v);
		else
			free(v);
		free(canon);
	}
	if (list.n)
		qsort(list.v, list.n, sizeof *list.v, cmp_semver);
	for (size_t i = 0; i < list.n; i++) {
		buf_adds(&want, list.v[i]);
		buf_addch(&want, '\n');
	}
	for (;;) {
		char chunk[4096];
		ssize_t r = pread(fd, chunk, sizeof chunk, (off_t)have.len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		buf_add(&have, chunk, (size_t)r);
	}
	if (have.len == want.len && memcmp(buf_cstr(&have), buf_cstr(&want), want.len) == 0)
		goto out;
	/* truncate, reserve the size (zero-filled), then write: an
	 * interrupted write leaves NUL bytes a reader can recognise */
	if (ftruncate(fd, 0) < 0 || ftruncate(fd, (off_t)want.len) < 0)
		goto out;
	if (pwrite(fd, buf_cstr(&want), want.len, 0) != (ssize_t)want.len) {
		if (ftruncate(fd, 0) < 0)
			goto out;
	}
out:
	os_flock_close(fd);
	strvec_clear(&names);
	strvec_clear(&list);
	buf_release(&want);
	buf_release(&have);
	err_clear(&ignore);
	free(file);
}

/* read_disk_stat mirrors readDiskStat (without the GOPROXY=off lookup by
 * commit hash, which needs a non-version rev). */
static int read_disk_stat(struct mod_fetch *f, const char *path, const char *rev, char **file,
                          struct mod_rev_info *info)
{
	struct buf data = BUF_INIT, again = BUF_INIT;
	struct err ignore = ERR_INIT;
	int rc = -1;

	if (disk_read(f, path, rev, "info", file, &data) < 0)
		goto out;
	if (parse_rev_info(buf_cstr(&data), data.len, info, &ignore) < 0)
		goto out;
	/* stale files with fields go no longer writes are rewritten:
	 * go writes back the data it read (a go bug kept as is) */
	format_rev_info(&again, info, false);
	if (again.len != data.len || memcmp(buf_cstr(&again), buf_cstr(&data), data.len) != 0) {
		if (disk_write(*file, buf_cstr(&data), data.len, &ignore) < 0)
			err_clear(&ignore);
	}
	rc = 0;
out:
	buf_release(&data);
	buf_release(&again);
	err_clear(&ignore);
	return rc;
}

/* proxy_stat mirrors proxyRepo.Stat. */
static int proxy_stat(struct mod_fetch *f, const char *proxy, const char *path, const char *rev,
                      struct mod_rev_info *info, bool *notexist, struct err *e)
{
	struct buf body = BUF_INIT;
	char *enc = NULL, *rel = NULL, *canon = NULL;
	int rc = -1;

	*notexist = false;
	if (mod_escape_version(rev, &enc, e) < 0) {
		version_error(path, rev, e);
		goto out;
	}
	rel = xasprintf("@v/%s.info", enc);
	if (proxy_get(f, proxy, path, rel, &body, -1, SMALL_BODY_LIMIT, notexist, e) < 0) {
		version_error(path, rev, e);
		goto out;
	}
	if (parse_rev_info(buf_cstr(&body), body.len, info, e) < 0) {
		struct buf red = BUF_INIT;
		char *inner = err_take(e);
		mod_http_redact(&red, proxy);
		err_setf(e, "invalid response from proxy \"%s\": %s", buf_cstr(&red), inner);
		free(inner);
		buf_release(&red);
		version_error(path, rev, e);
		goto out;
	}
	canon = mod_canonical_version(rev);
	if (strcmp(info->version, rev) != 0 && strcmp(rev, canon) == 0) {
		struct err ce = ERR_INIT;
		if (mod_check_module(path, rev, &ce) == 0) {
			err_setf(e, "proxy returned info for version %s instead of requested version", info->version);
			version_error(path, rev, e);
			mod_rev_info_release(info);
			goto out;
		}
		err_clear(&ce);
	}
	rc = 0;
out:
	buf_release(&body);
	free(enc);
	free(rel);
	free(canon);
	return rc;
}

struct stat_ctx {
	struct mod_fetch *f;
	const char *path, *rev;
	struct mod_rev_info *info;
};

/* stat_one is cachingRepo.Stat for one proxy: the disk cache, then the
 * proxy, the answer saved under the version it names. */
static int stat_one(void *ctx, const char *proxy, bool *notexist, struct err *e)
{
	struct stat_ctx *s = ctx;
	struct buf js = BUF_INIT;
	char *file = NULL;
	int rc = -1, lk;

	if (read_disk_stat(s->f, s->path, s->rev, &file, s->info) == 0) {
		rc = 0;
		goto out;
	}
	lk = lookup(s->f, proxy, s->path, notexist, e);
	if (lk < 0)
		goto out;
	if (lk == 1 ? mod_direct_stat(direct(s->f), s->path, s->rev, s->info, notexist, e) < 0
	            : proxy_stat(s->f, proxy, s->path, s->rev, s->info, notexist, e) < 0)
		goto out;
	if (strcmp(s->info->version, s->rev) != 0) {
		struct err ignore = ERR_INIT;
		free(file);
		file = NULL;
		if (mod_cache_path(s->f->c.gomodcache, s->path, s->info->version, "info", &file, &ignore) < 0)
			err_clear(&ignore);
	}
	if (file) {
		struct err we = ERR_INIT;
		format_rev_info(&js, s->info, true);
		if (disk_write(file, js.data, js.len, &we) < 0) {
			fprintf(stderr, "%s: writing stat cache: %s\n", prog_name, err_msg(&we));
			err_clear(&we);
		}
	}
	rc = 0;
out:
	buf_release(&js);
	free(file);
	return rc;
}

int mod_fetch_stat(struct mod_fetch *f, const char *path, const char *rev, struct mod_rev_info *info,
                   bool *notexist, struct err *e)
{
	struct stat_ctx s = {f, path, rev, info};

	f->fatal = false;
	memset(info, 0, sizeof *info);
	return try_proxies(f, stat_one, &s, notexist, e);
}

int mod_fetch_info_file(struct mod_fetch *f, const char *path, const char *version, char **file, struct err *e)
{
	struct mod_rev_info info = {0};
	bool ne;
	int rc = -1;

	*file = NULL;
	f->fatal = false;
	if (!mod_semver_is_valid(version))
		return err_setf(e, "invalid version \"%s\"", version);
	if (read_disk_stat(f, path, version, file, &info) == 0) {
		rc = 0;
		goto out;
	}
	free(*file);
	*file = NULL;
	if (mod_fetch_stat(f, path, version, &info, &ne, e) < 0)
		goto out;
	if (mod_cache_path(f->c.gomodcache, path, version, "info", file, e) < 0)
		goto out;
	rc = 0;
out:
	mod_rev_info_release(&info);
	return rc;
}

/* ---- checksums: go.sum and the checksum database ------------------------ */

/* sumdb_init_base mirrors dbClient.initBase: the first proxy that says
 * it supports the database serves it, else its own URL. */
static int base_one(void *ctx, const char *proxy, bool *notexist, struct err *e)
{
	struct mod_fetch *f = ctx;
	struct buf body = BUF_INIT, url = BUF_INIT;
	size_t n = strlen(proxy);
	int rc = -1;

	*notexist = false;
	if (strcmp(proxy, "noproxy") == 0) {
		*notexist = true;
		return err_setf(e, MOD_ERR_USE_PROXY);
	}
	if (strcmp(proxy, "direct") == 0 || strcmp(proxy, "off") == 0) {
		*notexist = true;
		return err_setf(e, ERR_PROXY_OFF);
	}
	while (n > 0 && proxy[n - 1] == '/')
		n--;
	buf_add(&url, proxy, n);
	buf_printf(&url, "/sumdb/%s", f->db.name);
	{
		char *supported = xasprintf("%s/supported", buf_cstr(&url));
		rc = mod_http_get(&f->http, supported, &body, -1, SMALL_BODY_LIMIT, notexist, e);
		free(supported);
	}
	if (rc == 0)
		f->db_base = buf_detach(&url);
	buf_release(&body);
	buf_release(&url);
	return rc < 0 ? -1 : 0;
}

/* sumdb_read_remote is dbClient.ReadRemote; ctx is &f->db_files, the
 * fetcher's first member. */
static int sumdb_read_remote(void *ctx, const char *path, struct buf *out, struct err *e)
{
	struct mod_fetch *f = ctx;
	char *url;
	bool ne;
	int rc;

	if (!f->db_base_done) {
		struct err be = ERR_INIT;
		f->db_base_done = true;
		if (f->db.url) {
			f->db_base = xstrdup(f->db.url);
		} else if (try_proxies(f, base_one, f, &ne, &be) < 0) {
			if (ne)
				f->db_base = xasprintf("https://%s", f->db.name);
			else
				f->db_base_err = err_take(&be);
		}
		err_clear(&be);
	}
	if (f->db_base_err)
		return err_setf(e, "%s", f->db_base_err);
	/* web.Join; the URL's String() then escapes the joined path ('!' as %21) */
	{
		struct buf u = BUF_INIT;
		size_t n = strlen(f->db_base);
		while (n > 0 && f->db_base[n - 1] == '/')
			n--;
		while (*path == '/')
			path++;
		buf_add(&u, f->db_base, n);
		buf_addch(&u, '/');
		path_escape(&u, path);
		url = buf_detach(&u);
	}
	rc = mod_http_get(&f->http, url, out, -1, SMALL_BODY_LIMIT, &ne, e);
	free(url);
	return rc < 0 ? -1 : 0;
}

/* sumdb_dial mirrors dbDial, once. */
static void sumdb_dial(struct mod_fetch *f)
{
	struct mod_sumdb_ops ops;
	struct err e = ERR_INIT;

	if (f->db_dialed)
		return;
	f->db_dialed = true;
	if (mod_sumdb_parse_gosumdb(f->c.gosumdb ? f->c.gosumdb : "", &f->db, &e) < 0) {
		f->db_err = err_take(&e);
		return;
	}
	f->db_sumdb_dir = mod_sumdb_dir(f->c.gopath);
	f->db_files.key = f->db.key;
	f->db_files.sumdb_dir = f->db_sumdb_dir;
	f->db_files.gomodcache = f->c.gomodcache;
	f->db_files.gopath_err = "GOPATH entry is relative; must be absolute path";
	if (!f->c.gopath || !f->c.gopath[0])
		f->db_files.gopath_err = "GOPATH is not set";
	memset(&ops, 0, sizeof ops);
	mod_sumdb_files_ops(&f->db_files, &ops);
	ops.read_remote = sumdb_read_remote;
	ops.security_error = mod_sumdb_fatal_security_error;
	f->db_client = mod_sumdb_client_new(&ops);
	mod_sumdb_client_set_gonosumdb(f->db_client, f->c.gonosumdb ? f->c.gonosumdb : "");
}

/* check_sumdb mirrors checkSumDB (useSumDB decided by the caller). */
static int check_sumdb(void *ctx, const char *path, const char *version, const char *h, struct err *e)
{
	struct mod_fetch *f = ctx;
	struct strvec lines = {0};
	struct err le = ERR_INIT;
	int lrc = -1, rc;

	if (!mod_sumdb_use(f->c.gosumdb, f->c.gonosumdb, f->c.goproxy, f->c.git_agent, path))
		return 0;
	sumdb_dial(f);
	if (f->db_err)
		err_setf(&le, "%s", f->db_err);
	else
		lrc = mod_sumdb_lookup(f->db_client, path, version, &lines, &le);
	rc = mod_sumdb_check(f->db.name ? f->db.name : "", path, version, h, &lines, lrc, err_msg(&le), e);
	strvec_clear(&lines);
	err_clear(&le);
	return rc;
}

/* check_mod_sum is checkModSum: go.sum, then the database. */
static int check_mod_sum(void *ctx, const char *path, const char *version, const char *h, struct err *e)
{
	struct mod_fetch *f = ctx;
	bool fatal = false;
	int rc = mod_gosum_check_db(f->sums, path, version, h, check_sumdb, f, &fatal, e);
	if (rc < 0 && fatal)
		f->fatal = true;
	return rc;
}

/* check_go_mod is checkGoMod. */
static int check_go_mod(struct mod_fetch *f, const char *path, const char *version, const void *data, size_t n,
                        struct err *e)
{
	char *h = mod_hash_gomod(data, n);
	char *v = xasprintf("%s/go.mod", version);
	int rc = check_mod_sum(f, path, v, h, e);
	free(h);
	free(v);
	return rc;
}

/* ---- go.mod ---------------------------------------------------------------- */

struct gomod_ctx {
	struct mod_fetch *f;
	const char *path, *version;
	struct buf *data;
};

/* gomod_one is cachingRepo.GoMod for one proxy: the disk cache (checked),
 * then proxyRepo.GoMod, checked, then cached. */
static int gomod_one(void *ctx, const char *proxy, bool *notexist, struct err *e)
{
	struct gomod_ctx *g = ctx;
	struct mod_fetch *f = g->f;
	char *file = NULL, *enc = NULL, *rel = NULL;
	int rc = -1, lk;

	buf_reset(g->data);
	if (disk_read(f, g->path, g->version, "mod", &file, g->data) == 0 &&
	    !has_prefix(buf_cstr(g->data), "//vgo 0.0.")) {
		struct err ce = ERR_INIT;
		if (check_go_mod(f, g->path, g->version, buf_cstr(g->data), g->data->len, &ce) == 0) {
			rc = 0;
			goto out;
		}
		if (f->fatal) {
			e->msg = err_take(&ce);
			goto out;
		}
		err_clear(&ce);
	}
	buf_reset(g->data);
	lk = lookup(f, proxy, g->path, notexist, e);
	if (lk < 0)
		goto out;
	if (lk == 1) {
		if (mod_direct_gomod(direct(f), g->path, g->version, g->data, notexist, e) < 0)
			goto out;
		goto check;
	}
	if (mod_escape_version(g->version, &enc, e) < 0) {
		version_error(g->path, g->version, e);
		goto out;
	}
	rel = xasprintf("@v/%s.mod", enc);
	if (proxy_get(f, proxy, g->path, rel, g->data, -1, SMALL_BODY_LIMIT, notexist, e) < 0) {
		version_error(g->path, g->version, e);
		goto out;
	}
check:
	if (check_go_mod(f, g->path, g->version, buf_cstr(g->data), g->data->len, e) < 0)
		goto out;
	if (file) {
		struct err we = ERR_INIT;
		if (disk_write(file, buf_cstr(g->data), g->data->len, &we) < 0) {
			fprintf(stderr, "%s: writing go.mod cache: %s\n", prog_name, err_msg(&we));
			err_clear(&we);
		}
	}
	rc = 0;
out:
	free(file);
	free(enc);
	free(rel);
	return rc;
}

int mod_fetch_gomod_file(struct mod_fetch *f, const char *path, const char *version, char **file, char **sum,
                         struct err *e)
{
	struct buf data = BUF_INIT;
	struct gomod_ctx g = {f, path, version, &data};
	char *canon = NULL;
	bool ne;
	int rc = -1;

	*file = NULL;
	*sum = NULL;
	f->fatal = false;
	f->notexist = false;
	if (!mod_semver_is_valid(version))
		return err_setf(e, "invalid version \"%s\"", version);
	canon = mod_canonical_version(version);
	if (strcmp(canon, version) != 0) {
		err_setf(e, "internal error: version passed to GoMod is not canonical");
		version_error(path, version, e);
		goto out;
	}
	if (try_proxies(f, gomod_one, &g, &ne, e) < 0) {
		f->notexist = ne;
		goto out;
	}
	if (mod_cache_path(f->c.gomodcache, path, version, "mod", file, e) < 0)
		goto out;
	*sum = mod_hash_gomod(buf_cstr(&data), data.len);
	rc = 0;
out:
	buf_release(&data);
	free(canon);
	return rc;
}

/* ---- zips ---------------------------------------------------------------- */

struct zip_ctx {
	struct mod_fetch *f;
	const char *path, *version;
	int fd;
	bool unrecoverable;
};

/* zip_one is proxyRepo.Zip into the temp file, emptied again after a
 * failed attempt (downloadZip's TryProxies callback). */
static int zip_one(void *ctx, const char *proxy, bool *notexist, struct err *e)
{
	struct zip_ctx *z = ctx;
	char *enc = NULL, *rel = NULL;
	int rc = -1, hr, lk;

	if (z->unrecoverable)
		return err_setf(e, "temporary zip file cannot be reset");
	lk = lookup(z->f, proxy, z->path, notexist, e);
	if (lk < 0)
		goto out;
	if (lk == 1) {
		if (mod_direct_zip(direct(z->f), z->path, z->version, z->fd, notexist, e) < 0)
			goto fail;
		rc = 0;
		goto out;
	}
	if (mod_escape_version(z->version, &enc, e) < 0) {
		version_error(z->path, z->version, e);
		goto fail;
	}
	rel = xasprintf("@v/%s.zip", enc);
	hr = proxy_get(z->f, proxy, z->path, rel, NULL, z->fd, MOD_MAX_ZIP_FILE, notexist, e);
	if (hr == MOD_HTTP_TOO_LARGE) {
		err_clear(e);
		err_setf(e, "downloaded zip file too large");
	}
	if (hr < 0) {
		version_error(z->path, z->version, e);
		goto fail;
	}
	rc = 0;
	goto out;
fail:
	if (lseek(z->fd, 0, SEEK_SET) < 0 || ftruncate(z->fd, 0) < 0)
		z->unrecoverable = true;
out:
	free(enc);
	free(rel);
	return rc;
}

/* hash_zip is hashZip: an existing zip hashed, checked and its .ziphash written. */
static int hash_zip(struct mod_fetch *f, const char *path, const char *version, const char *zipfile,
                    const char *ziphash, struct err *e)
{
	char *h1 = NULL;
	int rc = -1;

	if (mod_hash_zip(zipfile, &h1, e) < 0)
		goto out;
	if (check_mod_sum(f, path, version, h1, e) < 0)
		goto out;
	if (mod_cache_write_ziphash(ziphash, h1, e) < 0)
		goto out;
	rc = 0;
out:
	free(h1);
	return rc;
}

/* download_zip_locked is downloadZip (the version lock held). */
static int download_zip_locked(struct mod_fetch *f, const char *path, const char *version, const char *zipfile,
                               struct err *e)
{
	char *ziphash = xasprintf("%shash", zipfile), *tmp = NULL;
	struct zip_ctx z = {f, path, version, -1, false};
	bool ne;
	int rc = -1;

	if (os_exists(zipfile) && os_exists(ziphash)) {
		rc = 0;
		goto out;
	}
	/* mod_cache_temp_zip creates the directory and removes old temp files */
	if (os_exists(zipfile)) {
		/* the .ziphash was lost: re-hash without downloading */
		rc = hash_zip(f, path, version, zipfile, ziphash, e);
		goto out;
	}
	if (mod_cache_temp_zip(f->c.gomodcache, path, version, &z.fd, &tmp, e) < 0)
		goto out;
	if (try_proxies(f, zip_one, &z, &ne, e) < 0) {
		f->notexist = ne;
		close(z.fd);
		z.fd = -1;
		unlink(tmp);
		goto out;
	}
	if (close(z.fd) < 0) {
		z.fd = -1;
		err_errno(e, "close", tmp);
		unlink(tmp);
		goto out;
	}
	z.fd = -1;
	/* checks the names, hashes, checks the sum, writes the .ziphash,
	 * renames into place; removes tmp on failure */
	if (mod_cache_store_zip_fn(f->c.gomodcache, path, version, tmp, check_mod_sum, f, NULL, e) < 0)
		goto out;
	rc = 0;
out:
	if (z.fd >= 0)
		close(z.fd);
	free(ziphash);
	free(tmp);
	return rc;
}

/* have_sum is HaveSum: go.sum lists an h1: sum for path@version. */
static bool have_sum(struct mod_fetch *f, const char *path, const char *version)
{
	if (!f->sums)
		return false;
	for (size_t i = 0; i < f->sums->v.n; i++) {
		const struct mod_gosum_entry *x = &f->sums->v.v[i];
		if (strcmp(x->path, path) == 0 && strcmp(x->version, version) == 0 && has_prefix(x->hash, "h1:") &&
		    !x->dirty)
			return true;
	}
	return false;
}

/* check_mod is checkMod: the .ziphash's sum checked; every failure is
 * go's base.Fatalf (f->fatal set). */
static int check_mod(struct mod_fetch *f, const char *path, const char *version, struct err *e)
{
	struct buf data = BUF_INIT;
	char *ziphash = NULL, *zip = NULL, *h = NULL;
	int rc = -1;

	if (mod_cache_path(f->c.gomodcache, path, version, "ziphash", &ziphash, e) < 0)
		goto fatal;
	if (os_read_file(ziphash, &data, 4096, e) < 0)
		goto fatal;
	h = mod_cache_read_ziphash(ziphash);
	if (!h) {
		/* not a valid sum: recreate the .ziphash from the zip */
		if (mod_cache_path(f->c.gomodcache, path, version, "zip", &zip, e) < 0 ||
		    hash_zip(f, path, version, zip, ziphash, e) < 0)
			goto fatal;
		rc = 0;
		goto out;
	}
	if (check_mod_sum(f, path, version, h, e) < 0) {
		f->fatal = true;
		goto out;
	}
	rc = 0;
	goto out;
fatal:
	{
		char *inner = err_take(e);
		err_setf(e, "verifying %s@%s: %s", path, version, inner);
		free(inner);
		f->fatal = true;
	}
out:
	buf_release(&data);
	free(ziphash);
	free(zip);
	free(h);
	return rc;
}

int mod_fetch_download_zip(struct mod_fetch *f, const char *path, const char *version, char **zipfile,
                           struct err *e)
{
	char *ziphash = NULL;
	int lock = -1, rc = -1;

	*zipfile = NULL;
	f->fatal = false;
	if (mod_cache_path(f->c.gomodcache, path, version, "zip", zipfile, e) < 0)
		goto out;
	ziphash = xasprintf("%shash", *zipfile);
	if (os_exists(*zipfile) && os_exists(ziphash)) {
		if (!have_sum(f, path, version) && check_mod(f, path, version, e) < 0)
			goto out;
		rc = 0;
		goto out;
	}
	/* go prints "go: downloading P V" here, except for 'mod download' */
	if (f->c.announce) {
		fflush(stdout);
		fprintf(stderr, "%s: downloading %s %s\n", prog_name, path, version);
	}
	if (mod_cache_lock(f->c.gomodcache, path, version, &lock, e) < 0)
		goto out;
	if (download_zip_locked(f, path, version, *zipfile, e) < 0)
		goto out;
	rc = 0;
out:
	os_flock_close(lock);
	if (rc < 0) {
		free(*zipfile);
		*zipfile = NULL;
	}
	free(ziphash);
	return rc;
}

int mod_fetch_download(struct mod_fetch *f, const char *path, const char *version, char **dir, struct err *e)
{
	struct err de = ERR_INIT;
	char *zipfile = NULL;
	int st, rc = -1;

	*dir = NULL;
	f->fatal = false;
	f->notexist = false;
	st = mod_cache_download_dir(f->c.gomodcache, path, version, dir, &de);
	if (st < 0 || (st == MOD_DIR_ABSENT && !*dir)) {
		e->msg = err_take(&de);
		goto out;
	}
	if (st == MOD_DIR_ABSENT) {
		free(*dir);
		*dir = NULL;
		if (mod_fetch_download_zip(f, path, version, &zipfile, e) < 0)
			goto out;
		if (mod_cache_unzip(f->c.gomodcache, path, version, zipfile, f->c.modcache_rw, dir, e) < 0)
			goto out;
	}
	if (check_mod(f, path, version, e) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0) {
		free(*dir);
		*dir = NULL;
	}
	err_clear(&de);
	free(zipfile);
	return rc;
}

char *mod_fetch_sum(struct mod_fetch *f, const char *path, const char *version)
{
	struct err ignore = ERR_INIT;
	char *file = NULL, *h;

	if (!f->c.gomodcache || !f->c.gomodcache[0])
		return NULL;
	if (mod_cache_path(f->c.gomodcache, path, version, "ziphash", &file, &ignore) < 0) {
		err_clear(&ignore);
		return NULL;
	}
	h = mod_cache_read_ziphash(file);
	free(file);
	return h;
}

/* ---- the "latest" query ------------------------------------------------- */

/* proxy_versions mirrors proxyRepo.Versions(""): the @v/list versions that
 * are valid and not pseudo-versions, in semver order. */
static int proxy_versions(struct mod_fetch *f, const char *proxy, const char *path, struct strvec *out,
                          bool *notexist, struct err *e)
{
	struct buf body = BUF_INIT;
	const char *p;
	int rc = -1;

	if (proxy_get(f, proxy, path, "@v/list", &body, -1, SMALL_BODY_LIMIT, notexist, e) < 0) {
		version_error(path, "", e);
		goto out;
	}
	for (p = buf_cstr(&body); *p;) {
		size_t ln = strcspn(p, "\n");
		struct str line = str_trim_space((struct str){p, ln});
		size_t w = 0;
		while (w < line.n && line.p[w] != ' ' && line.p[w] != '\t')
			w++;
		if (w) {
			char *v = xstrndup(line.p, w);
			if (mod_semver_is_valid(v) && !mod_is_pseudo_version(v))
				strvec_push_take(out, v);
			else
				free(v);
		}
		p += ln;
		if (*p)
			p++;
	}
	if (out->n)
		qsort(out->v, out->n, sizeof *out->v, cmp_semver);
	rc = 0;
out:
	buf_release(&body);
	return rc;
}

/* proxy_latest mirrors proxyRepo.Latest's @latest request (its fallback,
 * the newest pseudo-version of the list, is not needed by a query that
 * found no tagged version: it is "not found" then). */
static int proxy_latest(struct mod_fetch *f, const char *proxy, const char *path, struct mod_rev_info *info,
                        bool *notexist, struct err *e)
{
	struct buf body = BUF_INIT;
	int rc = -1;

	if (proxy_get(f, proxy, path, "@latest", &body, -1, SMALL_BODY_LIMIT, notexist, e) < 0) {
		if (*notexist)
			goto out;
		version_error(path, "", e);
		goto out;
	}
	if (parse_rev_info(buf_cstr(&body), body.len, info, e) < 0) {
		struct buf red = BUF_INIT;
		char *inner = err_take(e);
		mod_http_redact(&red, proxy);
		err_setf(e, "invalid response from proxy \"%s\": %s", buf_cstr(&red), inner);
		free(inner);
		buf_release(&red);
		version_error(path, "", e);
		goto out;
	}
	rc = 0;
out:
	buf_release(&body);
	return rc;
}

struct latest_ctx {
	struct mod_fetch *f;
	const char *path;
	mod_version_excluded excluded;
	void *ectx;
	struct mod_rev_info *info;
};

/* is_prerelease is gover.ModIsPrerelease for a module path. */
static bool is_prerelease(const char *v)
{
	char *pre = mod_semver_prerelease(v);
	bool yes = pre[0] != 0;
	free(pre);
	return yes;
}

/* pick is the end of queryProxy for "latest": the highest allowed release,
 * else prerelease; NULL when none. */
static const char *pick(struct strvec *vs, bool (*ok)(void *, const char *), void *ctx)
{
	const char *rel = NULL, *pre = NULL;
	for (size_t i = 0; i < vs->n; i++) {
		if (ok && !ok(ctx, vs->v[i]))
			continue;
		if (is_prerelease(vs->v[i]))
			pre = vs->v[i];
		else
			rel = vs->v[i];
	}
	return rel ? rel : pre;
}

struct allow_ctx {
	struct latest_ctx *l;
	struct mod_file *retracts; /* the latest version's go.mod, or NULL */
};

/* allowed is CheckAllowed: not excluded by the main go.mod, not retracted
 * by the module's latest go.mod. */
static bool allowed(void *ctx, const char *v)
{
	struct allow_ctx *a = ctx;
	if (a->l->excluded && a->l->excluded(a->l->ectx, a->l->path, v))
		return false;
	for (size_t i = 0; a->retracts && i < a->retracts->retracts.n; i++) {
		const struct mod_retract *r = &a->retracts->retracts.v[i];
		if (mod_semver_compare(r->low, v) <= 0 && mod_semver_compare(v, r->high) <= 0)
			return false;
	}
	return true;
}

/* latest_one is queryProxy(path, "latest", allowed = CheckAllowed) for one
 * proxy: the version list filtered (+incompatible versions dropped after a
 * compatible one that has a go.mod), the retractions read from the go.mod
 * of the latest version ignoring them, then Stat of the highest allowed
 * release or prerelease, else of the proxy's @latest. */
static int latest_one(void *ctx, const char *proxy, bool *notexist, struct err *e)
{
	struct latest_ctx *l = ctx;
	struct mod_fetch *f = l->f;
	struct strvec vs = {0};
	struct arena a;
	struct allow_ctx ac = {l, NULL};
	struct stat_ctx sc = {f, l->path, NULL, l->info};
	struct mod_rev_info top = {0}, lat = {0};
	const char *v;
	int rc = -1, lk;

	arena_init(&a);
	lk = lookup(f, proxy, l->path, notexist, e);
	if (lk < 0)
		goto out;
	if (lk == 1 ? mod_direct_versions(direct(f), l->path, "", &vs, notexist, e) < 0
	            : proxy_versions(f, proxy, l->path, &vs, notexist, e) < 0)
		goto out;
	{
		/* filterVersions' +incompatible rule */
		const char *last_compatible = NULL;
		size_t w = 0;
		bool need_incompatible = false;
		for (size_t i = 0; i < vs.n; i++) {
			if (!need_incompatible) {
				if (!has_suffix(vs.v[i], "+incompatible")) {
					last_compatible = vs.v[i];
				} else if (last_compatible) {
					char *file = NULL, *sum = NULL, *legacy = xasprintf("module %s\n", l->path);
					struct buf data = BUF_INIT;
					bool has_gomod = false;
					if (mod_fetch_gomod_file(f, l->path, last_compatible, &file, &sum, e) < 0) {
						free(legacy);
						goto out;
					}
					if (os_read_file(file, &data, SMALL_BODY_LIMIT, e) == 0)
						has_gomod = strcmp(buf_cstr(&data), legacy) != 0;
					err_clear(e);
					buf_release(&data);
					free(file);
					free(sum);
					free(legacy);
					if (has_gomod) {
						for (size_t k = i; k < vs.n; k++)
							free(vs.v[k]);
						vs.n = i;
						break;
					}
					need_incompatible = true;
				}
			}
			vs.v[w++] = vs.v[i];
		}
		vs.n = w;
	}
	/* checkRetractions: the latest version ignoring retractions (excludes
	 * still apply), its go.mod's retract directives; errors loading them
	 * are ignored, as go ignores them */
	{
		struct allow_ctx noret = {l, NULL};
		const char *t = pick(&vs, allowed, &noret);
		bool ne2 = false;
		struct err te = ERR_INIT;
		if (t) {
			struct stat_ctx tc = {f, l->path, t, &top};
			if (stat_one(&tc, proxy, &ne2, &te) == 0) {
				char *file = NULL, *sum = NULL;
				struct buf data = BUF_INIT;
				if (mod_fetch_gomod_file(f, l->path, top.version, &file, &sum, &te) == 0 &&
				    os_read_file(file, &data, SMALL_BODY_LIMIT, &te) == 0) {
					struct mod_file *mf = NULL;
					if (mod_file_parse(&a, "go.mod", buf_cstr(&data), data.len, false, &mf, &te) == 0)
						ac.retracts = mf;
				} else if (f->fatal) {
					e->msg = err_take(&te);
					buf_release(&data);
					free(file);
					free(sum);
					goto out;
				}
				buf_release(&data);
				free(file);
				free(sum);
			}
		}
		err_clear(&te);
	}
	v = pick(&vs, allowed, &ac);
	if (!v) {
		/* mayUseLatest: the proxy's @latest, when allowed */
		struct err le = ERR_INIT;
		bool lne = false;
		if ((lk == 1 ? mod_direct_latest(direct(f), l->path, &lat, &lne, &le)
		             : proxy_latest(f, proxy, l->path, &lat, &lne, &le)) == 0) {
			if (allowed(&ac, lat.version))
				v = lat.version;
		} else if (!lne) {
			e->msg = err_take(&le);
			goto out;
		}
		err_clear(&le);
	}
	if (!v) {
		err_setf(e, "module %s: no matching versions for query \"latest\"", l->path);
		goto out;
	}
	mod_rev_info_release(l->info);
	sc.rev = v;
	if (stat_one(&sc, proxy, notexist, e) < 0)
		goto out;
	if (lk == 1) {
		/* the query's Origin: Latest's own (Ref HEAD), or the version list's tags */
		if (v == lat.version && lat.origin) {
			free(l->info->origin);
			l->info->origin = xstrdup(lat.origin);
		} else {
			mod_direct_merge_tags(direct(f), l->path, l->info);
		}
	}
	rc = 0;
out:
	mod_rev_info_release(&top);
	mod_rev_info_release(&lat);
	strvec_clear(&vs);
	arena_release(&a);
	return rc;
}

int mod_fetch_query_latest(struct mod_fetch *f, const char *path, mod_version_excluded excluded, void *ctx,
                           struct mod_rev_info *info, struct err *e)
{
	struct latest_ctx l = {f, path, excluded, ctx, info};
	bool ne;

	f->fatal = false;
	memset(info, 0, sizeof *info);
	return try_proxies(f, latest_one, &l, &ne, e);
}

/* ---- the query source (modload/query.c's repos) ---------------------- */

struct qrepo {
	struct mod_fetch *f;
	const char *proxy, *path;
	/* Versions was asked through this repo: the query picks its version
	 * from the list (one qrepo per query and proxy) */
	bool listed;
};

/* qrepo_versions is cachingRepo.Versions over proxyRepo.Versions(prefix). */
static int qrepo_versions(void *ctx, const char *prefix, struct strvec *out, bool *notexist, struct err *e)
{
	struct qrepo *r = ctx;
	struct strvec all = {0};
	int lk;

	*notexist = false;
	lk = lookup(r->f, r->proxy, r->path, notexist, e);
	if (lk < 0)
		return -1;
	if (lk == 1)
		return mod_direct_versions(direct(r->f), r->path, prefix, out, notexist, e);
	if (proxy_versions(r->f, r->proxy, r->path, &all, notexist, e) < 0)
		return -1;
	for (size_t i = 0; i < all.n; i++)
		if (has_prefix(all.v[i], prefix))
			strvec_push(out, all.v[i]);
	strvec_clear(&all);
	return 0;
}

/* qrepo_stat is cachingRepo.Stat: the disk cache, then the proxy. */
static int qrepo_stat(void *ctx, const char *rev, struct mod_rev_info *info, bool *notexist, struct err *e)
{
	struct qrepo *r = ctx;
	struct stat_ctx sc = {r->f, r->path, rev, info};

	*notexist = false;
	memset(info, 0, sizeof *info);
	return stat_one(&sc, r->proxy, notexist, e);
}

/* pseudo_time is PseudoVersionTime as yyyymmddhhmmss, or "" */
static void pseudo_time(const char *v, char out[15])
{
	const char *dash = strrchr(v, '-');
	out[0] = 0;
	if (!mod_is_pseudo_version(v) || !dash || dash - v < 14)
		return;
	memcpy(out, dash - 14, 14);
	out[14] = 0;
}

/* qrepo_latest is cachingRepo.Latest over proxyRepo.Latest: @latest, else
 * the newest pseudo-version of @v/list (latestFromList), else "no commits". */
static int qrepo_latest(void *ctx, struct mod_rev_info *info, bool *notexist, struct err *e)
{
	struct qrepo *r = ctx;
	struct buf body = BUF_INIT;
	char best[15] = "", *bestv = NULL;
	int rc = -1, lk;

	memset(info, 0, sizeof *info);
	lk = lookup(r->f, r->proxy, r->path, notexist, e);
	if (lk < 0)
		return -1;
	if (lk == 1 ? mod_direct_latest(direct(r->f), r->path, info, notexist, e) == 0
	            : proxy_latest(r->f, r->proxy, r->path, info, notexist, e) == 0) {
		/* saved for a likely Stat (writeDiskStat when not cached) */
		struct mod_rev_info old = {0};
		char *file = NULL;
		if (read_disk_stat(r->f, r->path, info->version, &file, &old) < 0 && file) {
			struct buf js = BUF_INIT;
			struct err we = ERR_INIT;
			format_rev_info(&js, info, true);
			if (disk_write(file, js.data, js.len, &we) < 0)
				err_clear(&we);
			buf_release(&js);
		}
		mod_rev_info_release(&old);
		free(file);
		return 0;
	}
	if (lk == 1 || !*notexist)
		return -1;
	err_clear(e);
	if (proxy_get(r->f, r->proxy, r->path, "@v/list", &body, -1, SMALL_BODY_LIMIT, notexist, e) < 0) {
		version_error(r->path, "", e);
		goto out;
	}
	for (const char *p = buf_cstr(&body); *p;) {
		size_t ln = strcspn(p, "\n");
		struct str line = str_trim_space((struct str){p, ln});
		size_t w = 0;
		while (w < line.n && line.p[w] != ' ' && line.p[w] != '\t')
			w++;
		if (w) {
			char *v = xstrndup(line.p, w), t[15] = "";
			if (mod_semver_is_valid(v)) {
				if (w < line.n) {
					/* an RFC 3339 time after the version */
					struct str rest = str_trim_space((struct str){line.p + w, line.n - w});
					size_t k = 0;
					for (size_t j = 0; j < rest.n && k < 14 && rest.p[j] != ' '; j++)
						if (rest.p[j] >= '0' && rest.p[j] <= '9')
							t[k++] = rest.p[j];
					t[k == 14 ? 14 : 0] = 0;
				} else {
					pseudo_time(v, t);
				}
				if (t[0] && strcmp(best, t) < 0) {
					memcpy(best, t, sizeof best);
					free(bestv);
					bestv = v;
					v = NULL;
				}
			}
			free(v);
		}
		p += ln;
		if (*p)
			p++;
	}
	if (!bestv) {
		err_setf(e, "no commits");
		version_error(r->path, "", e);
		*notexist = true;
		goto out;
	}
	rc = qrepo_stat(r, bestv, info, notexist, e);
out:
	free(bestv);
	buf_release(&body);
	return rc;
}

static char *qcache_key(char op, const struct qrepo *r, const char *arg)
{
	return xasprintf("%c\n%s\n%s\n%s", op, r->proxy, r->path, arg);
}

static void rev_info_copy(struct mod_rev_info *dst, const struct mod_rev_info *src)
{
	dst->version = src->version ? xstrdup(src->version) : NULL;
	dst->time = src->time ? xstrdup(src->time) : NULL;
	dst->origin = src->origin ? xstrdup(src->origin) : NULL;
}

/* qcache_answer replays a cached answer into the caller's outputs. */
static int qcache_answer(const struct qcache_ent *q, struct strvec *vs, struct mod_rev_info *info, bool *notexist,
                         struct err *e)
{
	*notexist = q->notexist;
	if (info)
		rev_info_copy(info, &q->info); /* a direct Stat's error keeps the Origin it found */
	if (q->rc < 0)
		return err_setf(e, "%s", q->err);
	if (vs)
		for (size_t i = 0; i < q->vs.n; i++)
			strvec_push(vs, q->vs.v[i]);
	return 0;
}

/* qcache_do runs one of the qrepo methods once per key, as cachingRepo does. */
static int qcache_do(struct qrepo *r, char op, const char *arg, struct strvec *vs, struct mod_rev_info *info,
                     bool *notexist, struct err *e)
{
	char *key = qcache_key(op, r, arg);
	struct qcache_ent *q = map_get(&r->f->qcache, key);
	struct err qe = ERR_INIT;

	if (!q) {
		q = xcalloc(1, sizeof *q);
		switch (op) {
		case 'v':
			q->rc = qrepo_versions(r, arg, &q->vs, &q->notexist, &qe);
			break;
		case 's':
			q->rc = qrepo_stat(r, arg, &q->info, &q->notexist, &qe);
			break;
		default:
			q->rc = qrepo_latest(r, &q->info, &q->notexist, &qe);
			break;
		}
		if (q->rc < 0)
			q->err = qe.msg ? err_take(&qe) : xstrdup("unknown error");
		q->key = key;
		map_put(&r->f->qcache, q->key, q);
	} else {
		free(key);
	}
	return qcache_answer(q, vs, info, notexist, e);
}

static int qcached_versions(void *ctx, const char *prefix, struct strvec *out, bool *notexist, struct err *e)
{
	((struct qrepo *)ctx)->listed = true;
	return qcache_do(ctx, 'v', prefix, out, NULL, notexist, e);
}

static int qcached_stat(void *ctx, const char *rev, struct mod_rev_info *info, bool *notexist, struct err *e)
{
	struct qrepo *r = ctx;
	bool ne = false;
	struct err le = ERR_INIT;
	int rc;

	memset(info, 0, sizeof *info);
	rc = qcache_do(r, 's', rev, NULL, info, notexist, e);
	/* queryProxy's lookup: a version picked from the list gets the list's
	 * Origin (the tags' sum) merged into the Stat's */
	if (rc == 0 && info->origin && lookup(r->f, r->proxy, r->path, &ne, &le) == 1) {
		/* the version Latest gave keeps Latest's Origin (Ref HEAD), as the
		 * disk stat cachingRepo.Latest writes would */
		char *lkey = qcache_key('l', r, "");
		struct qcache_ent *lq = map_get(&r->f->qcache, lkey);
		free(lkey);
		if (lq && lq->rc == 0 && lq->info.origin && lq->info.version && strcmp(lq->info.version, info->version) == 0) {
			free(info->origin);
			info->origin = xstrdup(lq->info.origin);
		}
		if (r->listed)
			mod_direct_merge_tags(direct(r->f), r->path, info);
	}
	err_clear(&le);
	return rc;
}

static int qcached_latest(void *ctx, struct mod_rev_info *info, bool *notexist, struct err *e)
{
	memset(info, 0, sizeof *info);
	return qcache_do(ctx, 'l', "", NULL, info, notexist, e);
}

/* qrepo_check_reuse: a proxy never supports CheckReuse; a direct repo
 * compares with its repository. */
static int qrepo_check_reuse(void *ctx, const char *origin, struct err *e)
{
	struct qrepo *r = ctx;
	bool ne = false;
	int k = lookup(r->f, r->proxy, r->path, &ne, e);

	if (k < 0)
		return -1;
	if (k == 0)
		return err_setf(e, "proxy does not support CheckReuse");
	return mod_direct_check_reuse(direct(r->f), r->path, origin, e);
}

static const struct mod_repo_ops qrepo_ops = {qcached_versions, qcached_stat, qcached_latest, qrepo_check_reuse};

struct qtry_ctx {
	struct mod_fetch *f;
	const char *path;
	mod_repo_fn fn;
	void *fctx;
};

static int qtry_one(void *ctx, const char *proxy, bool *notexist, struct err *e)
{
	struct qtry_ctx *c = ctx;
	struct qrepo r = {c->f, proxy, c->path, false};
	struct mod_repo repo = {&qrepo_ops, &r};

	/* lookup's error comes from each method (cachingRepo's lazy repo), so a
	 * Stat answered by the disk cache needs no proxy (GOPROXY=off) */
	return c->fn(c->fctx, &repo, notexist, e);
}

static int qsrc_try(void *ctx, const char *path, mod_repo_fn fn, void *fctx, bool *notexist, struct err *e)
{
	struct qtry_ctx c = {ctx, path, fn, fctx};
	struct mod_fetch *f = ctx;

	f->fatal = false;
	return try_proxies(f, qtry_one, &c, notexist, e);
}

static int qsrc_gomod(void *ctx, const char *path, const char *version, struct buf *data, bool *notexist,
                      struct err *e)
{
	struct mod_fetch *f = ctx;
	char *file = NULL, *sum = NULL;
	int rc = -1;

	*notexist = false;
	if (mod_fetch_gomod_file(f, path, version, &file, &sum, e) < 0) {
		*notexist = mod_fetch_notexist(f);
		goto out;
	}
	buf_reset(data);
	if (os_read_file(file, data, SMALL_BODY_LIMIT, e) < 0)
		goto out;
	rc = 0;
out:
	free(file);
	free(sum);
	return rc;
}

void mod_fetch_query_source(struct mod_fetch *f, struct mod_query_source *s)
{
	memset(s, 0, sizeof *s);
	s->try_repos = qsrc_try;
	s->gomod = qsrc_gomod;
	s->ctx = f;
}

/* ---- fetching ahead -------------------------------------------------------- */

/* remove_prefetch_dir is an at-exit hook: a fatal error (go.sum's
 * SECURITY ERROR...) exits without mod_fetch_free, and the prefetched
 * files must not stay behind.  dir is the hook's own copy (freed here). */
static void remove_prefetch_dir(void *dir)
{
	struct err ignore = ERR_INIT;
	os_remove_all(dir, &ignore);
	err_clear(&ignore);
	free(dir);
}

void mod_fetch_prefetch(struct mod_fetch *f, char *const *paths, char *const *versions, size_t n, bool info)
{
	mod_fetch_prefetch_kinds(f, paths, versions, n,
	                         MOD_PREFETCH_MOD | MOD_PREFETCH_ZIP | (info ? MOD_PREFETCH_INFO : 0u));
}

void mod_fetch_prefetch_kinds(struct mod_fetch *f, char *const *paths, char *const *versions, size_t n,
                              unsigned kinds)
{
	struct strvec urls = {0};
	struct err ignore = ERR_INIT;
	const char *proxy = NULL, *tmp;

	/* the first proxy a lookup would reach (noproxy answers nothing for
	 * the paths it lets through, and those GONOPROXY takes go direct) */
	for (size_t i = 0; !f->proxies_err && i < f->proxies.v.n && !proxy; i++) {
		const char *u = f->proxies.v.v[i].url;
		if (strcmp(u, "noproxy") == 0)
			continue;
		if (has_prefix(u, "http://") || has_prefix(u, "https://"))
			proxy = u;
		else
			break;
	}
	if (!proxy || n < 2)
		goto out;
	for (size_t i = 0; i < n; i++) {
		char *enc = NULL, *encv = NULL, *zip = NULL, *mod = NULL;
		if (mod_match_prefix_patterns(f->c.gonoproxy, paths[i]) ||
		    mod_escape_path(paths[i], &enc, &ignore) < 0 || mod_escape_version(versions[i], &encv, &ignore) < 0 ||
		    mod_cache_path(f->c.gomodcache, paths[i], versions[i], "zip", &zip, &ignore) < 0 ||
		    mod_cache_path(f->c.gomodcache, paths[i], versions[i], "mod", &mod, &ignore) < 0)
			goto next;
		for (int k = -1; k < 2; k++) {
			if (!(kinds & (k < 0 ? MOD_PREFETCH_INFO : k == 0 ? MOD_PREFETCH_MOD : MOD_PREFETCH_ZIP)))
				continue;
			char *hash = xasprintf("%shash", zip), *inf = xasprintf("%.*sinfo", (int)(strlen(mod) - 3), mod);
			const char *cached = k < 0 ? inf : k == 0 ? mod : zip;
			bool have = os_exists(cached) && (k <= 0 || os_exists(hash));
			free(hash);
			free(inf);
			if (have)
				continue;
			struct buf u = BUF_INIT;
			size_t pn = strlen(proxy);
			while (pn > 0 && proxy[pn - 1] == '/')
				pn--;
			buf_add(&u, proxy, pn);
			buf_addch(&u, '/');
			path_escape(&u, enc);
			buf_adds(&u, "/@v/");
			path_escape(&u, encv);
			buf_adds(&u, k < 0 ? ".info" : k == 0 ? ".mod" : ".zip");
			strvec_push_take(&urls, buf_detach(&u));
		}
	next:
		err_clear(&ignore);
		free(enc);
		free(encv);
		free(zip);
		free(mod);
	}
	if (urls.n < 2)
		goto out;
	tmp = getenv("TMPDIR");
	if (!f->prefetch_dir && os_mkdir_temp(tmp && tmp[0] ? tmp : "/tmp", "gotool-prefetch-", &f->prefetch_dir,
	                                      &ignore) < 0)
		goto out;
	base_atexit(remove_prefetch_dir, xstrdup(f->prefetch_dir));
	mod_http_prefetch(&f->http, urls.v, urls.n, f->prefetch_dir, MOD_MAX_ZIP_FILE);
out:
	err_clear(&ignore);
	strvec_clear(&urls);
}
