/*
 * HTTP GET for the module proxy client: mirrors cmd/go/internal/web
 * (http.go get/getFile, api.go HTTPError and formatErrorDetail; go1.26)
 * over libcurl (loaded on first use, curlapi.h).  Bodies are size-limited
 * as curl's dynbuf is: network input never grows a buffer past what the
 * caller allows.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "modload/curlapi.h"
#include "modload/http.h"

/* web's maxErrorDetailLines and maxErrorDetailBytes */
#define DETAIL_LINES 8
#define DETAIL_BYTES (DETAIL_LINES * 81)
/* what is kept of an error body to build the detail from */
#define DETAIL_KEEP 8192

void mod_http_init(struct mod_http *h, bool x, long stall)
{
	memset(h, 0, sizeof *h);
	h->x = x;
	h->stall = stall > 0 ? stall : MOD_HTTP_STALL_DEFAULT;
}

void mod_http_set_goauth(struct mod_http *h, const char *goauth)
{
	h->goauth = goauth && *goauth ? goauth : NULL;
}

/* auth_mode is runGoAuth's reading of GOAUTH for an https request: 0 for
 * off, 1 for netrc, 2 when it also names git or command methods (which
 * gotool does not run: netrc's credentials only), -1 with e set for a
 * GOAUTH go refuses (its fatal texts). */
static int auth_mode(const struct mod_http *h, struct err *e)
{
	const char *v = h->goauth ? h->goauth : "netrc", *p = v;
	size_t n = 1;
	bool off = false;
	const char *other = NULL;

	for (const char *q = v; *q; q++)
		n += *q == ';';
	while (p) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p), w;
		while (len && (*p == ' ' || *p == '\t' || *p == '\n')) {
			p++;
			len--;
		}
		if (len == 0 || strspn(p, " \t\n") >= len)
			return err_setf(e, "GOAUTH encountered an empty command (GOAUTH=%s)", v);
		w = strcspn(p, " \t\n;");
		if (w == 3 && strncmp(p, "off", 3) == 0)
			off = true;
		else if (!(w == 5 && strncmp(p, "netrc", 5) == 0) && !other)
			other = p;
		p = semi ? semi + 1 : NULL;
	}
	if (off && n != 1)
		return err_setf(e, "GOAUTH=off cannot be combined with other authentication commands (GOAUTH=%s)", v);
	if (off)
		return 0;
	return other ? 2 : 1;
}


/* auth_quiet is auth_mode without the error text. */
static int auth_quiet(const struct mod_http *h)
{
	struct err e = ERR_INIT;
	int m = auth_mode(h, &e);

	err_clear(&e);
	return m;
}

void mod_http_release(struct mod_http *h)
{
	if (h->easy)
		curl_easy_cleanup(h->easy);
	h->easy = NULL;
	buf_release(&h->noproxy);
	mod_http_prefetch_release(h);
}

const char *mod_http_status_text(long code)
{
	static const struct {
		long code;
		const char *text;
	} tab[] = {
		{100, "Continue"}, {101, "Switching Protocols"}, {200, "OK"}, {201, "Created"},
		{202, "Accepted"}, {203, "Non-Authoritative Information"}, {204, "No Content"},
		{206, "Partial Content"}, {300, "Multiple Choices"}, {301, "Moved Permanently"},
		{302, "Found"}, {303, "See Other"}, {304, "Not Modified"}, {307, "Temporary Redirect"},
		{308, "Permanent Redirect"}, {400, "Bad Request"}, {401, "Unauthorized"},
		{402, "Payment Required"}, {403, "Forbidden"}, {404, "Not Found"},
		{405, "Method Not Allowed"}, {406, "Not Acceptable"}, {407, "Proxy Authentication Required"},
		{408, "Request Timeout"}, {409, "Conflict"}, {410, "Gone"}, {411, "Length Required"},
		{412, "Precondition Failed"}, {413, "Request Entity Too Large"}, {414, "Request URI Too Long"},
		{415, "Unsupported Media Type"}, {418, "I'm a teapot"}, {421, "Misdirected Request"},
		{422, "Unprocessable Entity"}, {425, "Too Early"}, {426, "Upgrade Required"},
		{428, "Precondition Required"}, {429, "Too Many Requests"},
		{431, "Request Header Fields Too Large"}, {451, "Unavailable For Legal Reasons"},
		{500, "Internal Server Error"}, {501, "Not Implemented"}, {502, "Bad Gateway"},
		{503, "Service Unavailable"}, {504, "Gateway Timeout"}, {505, "HTTP Version Not Supported"},
		{507, "Insufficient Storage"}, {508, "Loop Detected"}, {511, "Network Authentication Required"},
	};
	for (size_t i = 0; i < countof(tab); i++)
		if (tab[i].code == code)
			return tab[i].text;
	return "";
}

void mod_http_redact(struct buf *b, const char *url)
{
	const char *p = strstr(url, "://"), *at, *colon, *end;

	if (!p) {
		buf_adds(b, url);
		return;
	}
	p += 3;
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	/* the userinfo ends at the last '@' of the authority */
	while (at) {
		const char *next = memchr(at + 1, '@', (size_t)(end - at - 1));
		if (!next)
			break;
		at = next;
	}
	colon = at ? memchr(p, ':', (size_t)(at - p)) : NULL;
	if (!colon) {
		buf_adds(b, url);
		return;
	}
	buf_add(b, url, (size_t)(colon - url));
	buf_adds(b, ":xxxxx");
	buf_adds(b, at);
}

static int unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* file_url_path mirrors web.urlToFilePath on Unix: file:///abs or
 * file://localhost/abs, percent-decoded; *path heap. */
static int file_url_path(const char *url, char **path, struct err *e)
{
	const char *p = url + strlen("file://"), *slash = strchr(p, '/');
	struct buf b = BUF_INIT;
	size_t hostn = slash ? (size_t)(slash - p) : strlen(p);

	*path = NULL;
	if (hostn && !(hostn == 9 && strncmp(p, "localhost", 9) == 0))
		return err_setf(e, "file URL specifies non-local host");
	if (!slash)
		return err_setf(e, "file URL missing path");
	for (const char *s = slash; *s; s++) {
		if (*s == '%' && unhex((unsigned char)s[1]) >= 0 && unhex((unsigned char)s[2]) >= 0) {
			buf_addch(&b, unhex((unsigned char)s[1]) * 16 + unhex((unsigned char)s[2]));
			s += 2;
		} else {
			buf_addch(&b, *s);
		}
	}
	*path = buf_detach(&b);
	return 0;
}


/* get_file mirrors web.getFile and the body read that follows it. */
static int get_file(const char *url, struct buf *body, int fd, uint64_t limit, bool *notexist, struct err *e)
{
	struct buf red = BUF_INIT;
	char *path = NULL, chunk[65536];
	uint64_t total = 0;
	int in = -1, rc = -1;

	mod_http_redact(&red, url);
	if (file_url_path(url, &path, e) < 0)
		goto out;
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		/* a 404 or 403 Response whose HTTPError drops the path that
		 * repeats the URL: "reading file:///...: no such file or directory" */
		if (errno == ENOENT || errno == ENOTDIR)
			*notexist = true;
		if (errno == ENOENT || errno == ENOTDIR || errno == EACCES || errno == EPERM)
			err_setf(e, "reading %s: %s", buf_cstr(&red), os_errstr(errno));
		else
			err_errno(e, "open", path);
		goto out;
	}
	for (;;) {
		ssize_t n = read(in, chunk, sizeof chunk);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			struct err inner = ERR_INIT;
			err_errno(&inner, "read", path);
			err_setf(e, "read \"%s\": %s", buf_cstr(&red), err_msg(&inner));
			err_clear(&inner);
			goto out;
		}
		if (n == 0)
			break;
		total += (uint64_t)n;
		if (limit && total > limit) {
			err_setf(e, "reading %s: response body too large (over %llu bytes)", buf_cstr(&red),
			         (unsigned long long)limit);
			rc = MOD_HTTP_TOO_LARGE;
			goto out;
		}
		if (fd >= 0) {
			if (os_write_all(fd, chunk, (size_t)n) < 0) {
				err_errno(e, "write", "temporary zip file");
				goto out;
			}
		} else {
			buf_add(body, chunk, (size_t)n);
		}
	}
	rc = 0;
out:
	if (in >= 0)
		close(in);
	free(path);
	buf_release(&red);
	return rc;
}

/* One request's state, shared by curl's callbacks. */
struct req {
	long code;            /* of the last status line seen */
	struct buf status;    /* "404 Not Found" as net/http's Response.Status */
	struct buf ctype;     /* the Content-Type of the last response */
	struct buf *body;     /* status 200: the body, or */
	int fd;               /* ... the file it is written to */
	uint64_t limit, total;
	bool too_large;
	int write_errno;
	struct buf detail;    /* other statuses: the first DETAIL_KEEP bytes */
	bool any_status;      /* other statuses' bodies go to body too (a go-get page) */
};

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct req *r = ctx;
	size_t len = size * n;
	struct str line = {p, len};

	line = str_trim_space(line);
	if (str_has_prefix(line, "HTTP/")) {
		/* a new response (after a redirect or a 100): forget the old one */
		struct str rest = line, code;
		buf_reset(&r->status);
		buf_reset(&r->ctype);
		str_cut(rest, ' ', &code, &rest);
		rest = str_trim_space(rest);
		if (!str_cut(rest, ' ', &code, &rest))
			rest.n = 0;
		r->code = 0;
		for (size_t i = 0; i < code.n && code.p[i] >= '0' && code.p[i] <= '9' && r->code < 1000; i++)
			r->code = r->code * 10 + (code.p[i] - '0');
		buf_addstr(&r->status, code);
		buf_addch(&r->status, ' ');
		/* HTTP/2 has no reason phrase: net/http uses StatusText */
		if (rest.n)
			buf_addstr(&r->status, str_trim_space(rest));
		else
			buf_adds(&r->status, mod_http_status_text(r->code));
	} else if (line.n > 13 && strncasecmp(line.p, "content-type:", 13) == 0) {
		struct str v = {line.p + 13, line.n - 13};
		buf_reset(&r->ctype);
		buf_addstr(&r->ctype, str_trim_space(v));
	}
	return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct req *r = ctx;
	size_t len = size * n;

	if (r->code != 200) {
		if (r->detail.len < DETAIL_KEEP)
			buf_add(&r->detail, p, len < DETAIL_KEEP - r->detail.len ? len : DETAIL_KEEP - r->detail.len);
		if (!r->any_status)
			return len;
	}
	r->total += len;
	if (r->limit && r->total > r->limit) {
		r->too_large = true;
		return 0; /* CURLE_WRITE_ERROR ends the transfer */
	}
	if (r->fd >= 0) {
		if (os_write_all(r->fd, p, len) < 0) {
			r->write_errno = errno;
			return 0;
		}
	} else {
		buf_add(r->body, p, len);
	}
	return len;
}

/* is_text_plain mirrors get's mime.ParseMediaType check: text/plain with
 * no charset, us-ascii or utf-8. */
static bool is_text_plain(const char *ct)
{
	size_t n = strcspn(ct, ";");
	struct str mt = str_trim_space((struct str){ct, n});
	const char *cs;

	if (!(mt.n == 10 && strncasecmp(mt.p, "text/plain", 10) == 0))
		return false;
	for (cs = ct + n; *cs; cs++) {
		if (strncasecmp(cs, "charset=", 8) != 0)
			continue;
		const char *v = cs + 8;
		size_t vn = strcspn(v, "; \t");
		if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
			v++;
			vn -= 2;
		}
		return (vn == 8 && strncasecmp(v, "us-ascii", 8) == 0) || (vn == 5 && strncasecmp(v, "utf-8", 5) == 0) ||
		       vn == 0;
	}
	return true;
}

/* format_detail mirrors Response.formatErrorDetail. */
static void format_detail(struct buf *out, const struct buf *body)
{
	const char *s = buf_cstr(body), *end = s + body->len;

	if (!utf8_string_valid(s, body->len))
		return;
	for (const char *c = s; c < end; c++) {
		unsigned char u = (unsigned char)*c;
		/* !IsGraphic && !IsSpace: ASCII controls other than the spaces (and DEL) */
		if ((u < 0x20 && !(u >= '\t' && u <= '\r')) || u == 0x7f)
			return;
	}
	for (size_t i = 0; s <= end; i++) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		struct str line = {s, nl ? (size_t)(nl - s) : (size_t)(end - s)};
		if (str_trim_space(line).n == 0)
			break;
		if (i > 0)
			buf_adds(out, "\n\t");
		if (i >= DETAIL_LINES) {
			buf_adds(out, "[Truncated: too many lines.]");
			break;
		}
		if (out->len + line.n > DETAIL_BYTES) {
			buf_adds(out, "[Truncated: too long.]");
			break;
		}
		buf_addstr(out, line);
		if (!nl)
			break;
		s = nl + 1;
	}
}

/* transport_error turns a failed curl transfer into net/http's text
 * (url.Error: `Get "URL": ...`, or `read "URL": ...` once the body had
 * begun). */
static void transport_error(struct mod_http *h, CURLcode cc, const char *errbuf, const struct req *r,
                            const char *red, struct err *e)
{
	char *ip = NULL;
	long port = 0, oserr = 0;

	curl_easy_getinfo(h->easy, CURLINFO_PRIMARY_IP, &ip);
	curl_easy_getinfo(h->easy, CURLINFO_PRIMARY_PORT, &port);
	curl_easy_getinfo(h->easy, CURLINFO_OS_ERRNO, &oserr);
	switch (cc) {
	case CURLE_COULDNT_CONNECT:
		if (ip && ip[0] && oserr)
			err_setf(e, "Get \"%s\": dial tcp %s:%ld: connect: %s", red, ip, port, os_errstr((int)oserr));
		else
			err_setf(e, "Get \"%s\": dial tcp: %s", red, errbuf[0] ? errbuf : curl_easy_strerror(cc));
		return;
	case CURLE_COULDNT_RESOLVE_HOST:
		err_setf(e, "Get \"%s\": dial tcp: lookup %s", red, errbuf[0] ? errbuf : "no such host");
		return;
	case CURLE_OPERATION_TIMEDOUT:
		err_setf(e, "Get \"%s\": no data received for %lds (gotool gives up then: GOTOOL_HTTP_TIMEOUT)", red,
		         h->stall);
		return;
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
		if (r->total > 0 || r->code != 0) {
			err_setf(e, "read \"%s\": unexpected EOF", red);
			return;
		}
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		err_setf(e, "Get \"%s\": stopped after 10 redirects", red);
		return;
	case CURLE_UNSUPPORTED_PROTOCOL:
		/* a redirect to a scheme the request may not follow (https to http) */
		err_setf(e, "Get \"%s\": redirected from secure URL to insecure URL (%s)", red,
		         errbuf[0] ? errbuf : curl_easy_strerror(cc));
		return;
	default:
		break;
	}
	err_setf(e, "Get \"%s\": %s", red, errbuf[0] ? errbuf : curl_easy_strerror(cc));
}

/* env2 is the first of two environment variables that is set, or "". */
static const char *env2(const char *a, const char *b)
{
	const char *v = getenv(a);
	if (!v || !v[0])
		v = getenv(b);
	return v ? v : "";
}

static double since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* setup_easy sets a request's options on easy, as go's client makes it. */
static void setup_easy(struct mod_http *h, CURL *easy, const char *url, struct req *r, char *errbuf)
{
	const char *netrc = getenv("NETRC");
	bool https = has_prefix(url, "https://");

	curl_easy_setopt(easy, CURLOPT_URL, url);
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	/* securityPreservingHTTPClient: an https request never follows a
	 * redirect to http; net/http stops after 10 redirects */
	curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
	curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(easy, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(easy, CURLOPT_USERAGENT, "Go-http-client/1.1");
	/* http.ProxyFromEnvironment, not curl's own reading of the
	 * environment: HTTPS_PROXY or https_proxy for https, HTTP_PROXY or
	 * http_proxy for http, NO_PROXY or no_proxy, and loopback hosts never
	 * proxied (curl copies the strings) */
	{
		const char *px = https ? env2("HTTPS_PROXY", "https_proxy") : env2("HTTP_PROXY", "http_proxy");
		const char *np = env2("NO_PROXY", "no_proxy");
		buf_reset(&h->noproxy);
		buf_printf(&h->noproxy, "%s%slocalhost,127.0.0.1,::1", np, np[0] ? "," : "");
		curl_easy_setopt(easy, CURLOPT_PROXY, px);
		curl_easy_setopt(easy, CURLOPT_NOPROXY, buf_cstr(&h->noproxy));
	}
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, 30L);
	/* a server that sends nothing for h->stall seconds (headers or body) fails */
	curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, h->stall);
	/* auth.AddCredentials: .netrc credentials, over https only, unless
	 * GOAUTH=off (a refused GOAUTH never gets here: auth_mode) */
	if (https && auth_quiet(h) >= 1) {
		curl_easy_setopt(easy, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
		if (netrc && netrc[0])
			curl_easy_setopt(easy, CURLOPT_NETRC_FILE, netrc);
	} else {
		curl_easy_setopt(easy, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
	}
}

/* auth_note adds to a 4xx answer of an https request the GOAUTH methods
 * gotool does not run: go would retry with their credentials. */
static void auth_note(const struct mod_http *h, const struct req *r, const char *url, struct err *e)
{
	struct err ae = ERR_INIT;

	if (has_prefix(url, "https://") && r->code >= 400 && r->code < 500 && auth_mode(h, &ae) == 2) {
		char *m = err_take(e);
		err_setf(e, "%s\n\t(GOAUTH=%s: gotool does not run its git and command methods yet, so their "
		         "credentials were not sent)", m, h->goauth);
		free(m);
	}
	err_clear(&ae);
}

/* status_error is Response.Err's text for a status other than 200:
 * "reading URL: 404 Not Found", with a text/plain body's detail. */
static void status_error(const struct req *r, const char *red, struct err *e)
{
	struct buf det = BUF_INIT;

	if (is_text_plain(buf_cstr(&r->ctype)))
		format_detail(&det, &r->detail);
	if (det.len)
		err_setf(e, "reading %s: %s\n\tserver response:%s%s", red, buf_cstr(&r->status),
		         strchr(buf_cstr(&det), '\n') ? "\n\t" : " ", buf_cstr(&det));
	else
		err_setf(e, "reading %s: %s", red, buf_cstr(&r->status));
	buf_release(&det);
}

/* finish_get is the end of mod_http_get once curl is done with easy. */
static int finish_get(struct mod_http *h, CURL *easy, CURLcode cc, const char *errbuf, struct req *r,
                      const char *red, const struct timespec *t0, uint64_t limit, bool *notexist, struct err *e)
{
	CURL *saved = h->easy;
	int rc = -1;

	if (cc != CURLE_OK) {
		if (r->too_large) {
			err_setf(e, "reading %s: response body too large (over %llu bytes)", red,
			         (unsigned long long)limit);
			rc = MOD_HTTP_TOO_LARGE;
		} else if (r->write_errno) {
			err_setf(e, "write temporary file: %s", os_errstr(r->write_errno));
		} else {
			h->easy = easy;
			transport_error(h, cc, errbuf, r, red, e);
			h->easy = saved;
		}
		if (h->x)
			fprintf(stderr, "# get %s: %s\n", red, err_msg(e));
		return rc;
	}
	if (h->x)
		fprintf(stderr, "# get %s: %s (%.3fs)\n", red, buf_cstr(&r->status), since(t0));
	if (r->code != 200) {
		*notexist = r->code == 404 || r->code == 410;
		status_error(r, red, e);
		auth_note(h, r, red, e);
		return -1;
	}
	return 0;
}

static void req_release(struct req *r)
{
	buf_release(&r->status);
	buf_release(&r->ctype);
	buf_release(&r->detail);
}

/* use_prefetched serves url from a mod_http_prefetch answer (once). */
static int use_prefetched(struct mod_http *h, const char *url, const char *red, struct buf *body, int fd,
                          uint64_t limit, bool *used, struct err *e)
{
	*used = false;
	for (size_t i = 0; i < h->pre.n; i++) {
		struct mod_http_pre *p = &h->pre.v[i];
		if (!p->file || strcmp(p->url, url) != 0)
			continue;
		struct buf furl = BUF_INIT;
		bool ne = false;
		int rc;
		*used = true;
		/* the request happened earlier; -x shows it where go would make it */
		if (h->x) {
			fprintf(stderr, "# get %s\n", red);
			fprintf(stderr, "# get %s: %s (%.3fs)\n", red, p->status, p->seconds);
		}
		buf_printf(&furl, "file://%s", p->file);
		rc = get_file(buf_cstr(&furl), body, fd, limit, &ne, e);
		if (rc < 0) {
			/* as if the body had been cut */
			err_clear(e);
			err_setf(e, "read \"%s\": unexpected EOF", red);
			if (rc == MOD_HTTP_TOO_LARGE)
				err_setf(e, "reading %s: response body too large (over %llu bytes)", red,
				         (unsigned long long)limit);
		}
		unlink(p->file);
		free(p->file);
		p->file = NULL;
		buf_release(&furl);
		return rc;
	}
	return 0;
}

int mod_http_get(struct mod_http *h, const char *url, struct buf *body, int fd, uint64_t limit, bool *notexist,
                 struct err *e)
{
	struct req r;
	struct buf red = BUF_INIT;
	char errbuf[CURL_ERROR_SIZE];
	struct timespec t0;
	bool used;
	CURLcode cc;
	int rc = -1;

	*notexist = false;
	if (has_prefix(url, "file://"))
		return get_file(url, body, fd, limit, notexist, e);
	mod_http_redact(&red, url);
	if (!has_prefix(url, "https://") && !has_prefix(url, "http://")) {
		err_setf(e, "unsupported scheme: %s", buf_cstr(&red));
		goto out_red;
	}
	rc = use_prefetched(h, url, buf_cstr(&red), body, fd, limit, &used, e);
	if (used)
		goto out_red;
	rc = -1;
	if (curlapi_load(e) < 0)
		goto out_red;
	if (!h->easy && !(h->easy = curl_easy_init())) {
		err_setf(e, "Get \"%s\": cannot create a libcurl handle", buf_cstr(&red));
		goto out_red;
	}
	if (has_prefix(url, "https://") && auth_mode(h, e) < 0)
		goto out_red;
	memset(&r, 0, sizeof r);
	r.body = body;
	r.fd = fd;
	r.limit = limit;
	errbuf[0] = 0;
	curl_easy_reset(h->easy);
	setup_easy(h, h->easy, url, &r, errbuf);
	if (h->x)
		fprintf(stderr, "# get %s\n", buf_cstr(&red));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cc = curl_easy_perform(h->easy);
	rc = finish_get(h, h->easy, cc, errbuf, &r, buf_cstr(&red), &t0, limit, notexist, e);
	req_release(&r);
out_red:
	buf_release(&red);
	return rc;
}

/* get_page_once is one attempt of mod_http_get_page at url (http or https). */
static int get_page_once(struct mod_http *h, const char *url, const char *red, uint64_t limit,
                         struct mod_http_page *pg, struct err *e)
{
	struct req r;
	char errbuf[CURL_ERROR_SIZE];
	struct timespec t0;
	CURLcode cc;
	int rc = -1;

	if (has_prefix(url, "https://") && auth_mode(h, e) < 0)
		return -1;
	memset(&r, 0, sizeof r);
	r.body = &pg->body;
	r.fd = -1;
	r.limit = limit;
	r.any_status = true;
	errbuf[0] = 0;
	curl_easy_reset(h->easy);
	setup_easy(h, h->easy, url, &r, errbuf);
	if (h->x)
		fprintf(stderr, "# get %s\n", red);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cc = curl_easy_perform(h->easy);
	if (cc != CURLE_OK) {
		if (r.too_large)
			err_setf(e, "reading %s: response body too large (over %llu bytes)", red,
			         (unsigned long long)limit);
		else
			transport_error(h, cc, errbuf, &r, red, e);
		if (h->x)
			fprintf(stderr, "# get %s: %s\n", red, err_msg(e));
		buf_reset(&pg->body);
		goto out;
	}
	if (h->x)
		fprintf(stderr, "# get %s: %s (%.3fs)\n", red, buf_cstr(&r.status), since(&t0));
	pg->code = r.code;
	buf_reset(&pg->url);
	buf_adds(&pg->url, red);
	if (r.code != 200) {
		status_error(&r, red, &pg->status_err);
		auth_note(h, &r, red, &pg->status_err);
	}
	rc = 0;
out:
	req_release(&r);
	return rc;
}

int mod_http_get_page(struct mod_http *h, const char *hostpath, bool insecure, uint64_t limit,
                      struct mod_http_page *pg, struct err *e)
{
	struct buf url = BUF_INIT, red = BUF_INIT;
	int rc = -1;

	if (curlapi_load(e) < 0)
		return -1;
	if (!h->easy && !(h->easy = curl_easy_init()))
		return err_setf(e, "cannot create a libcurl handle");
	buf_printf(&url, "https://%s", hostpath);
	mod_http_redact(&red, buf_cstr(&url));
	rc = get_page_once(h, buf_cstr(&url), buf_cstr(&red), limit, pg, e);
	if (rc < 0 && insecure) {
		/* web.Get(Insecure): https failed, so plain http */
		err_clear(e);
		buf_reset(&url);
		buf_reset(&red);
		buf_printf(&url, "http://%s", hostpath);
		mod_http_redact(&red, buf_cstr(&url));
		rc = get_page_once(h, buf_cstr(&url), buf_cstr(&red), limit, pg, e);
	}
	buf_release(&url);
	buf_release(&red);
	return rc;
}

void mod_http_page_release(struct mod_http_page *pg)
{
	buf_release(&pg->body);
	buf_release(&pg->url);
	err_clear(&pg->status_err);
}

/* One transfer of mod_http_prefetch. */
struct pre_xfer {
	struct req r;
	CURL *easy;
	size_t idx;   /* into h->pre */
	char errbuf[CURL_ERROR_SIZE];
	struct timespec t0;
};

#define PREFETCH_PARALLEL 4

void mod_http_prefetch(struct mod_http *h, char *const *urls, size_t n, const char *dir, uint64_t limit)
{
	struct err ignore = ERR_INIT;
	struct pre_xfer *x = NULL;
	CURLM *multi = NULL;
	size_t next = 0, active = 0;

	if (n < 2 || curlapi_load(&ignore) < 0 || !(multi = curl_multi_init()))
		goto out;
	x = xcalloc(n, sizeof *x);
	for (;;) {
		/* start transfers up to the limit */
		while (active < PREFETCH_PARALLEL && next < n) {
			struct pre_xfer *t = &x[next];
			bool have = false;
			for (size_t k = 0; k < h->pre.n && !have; k++)
				have = h->pre.v[k].file && strcmp(h->pre.v[k].url, urls[next]) == 0;
			if (have) {
				/* fetched ahead already and not used yet */
				next++;
				continue;
			}
			struct mod_http_pre p = {xstrdup(urls[next]), xasprintf("%s/%zu", dir, next), "", 0};
			t->idx = h->pre.n;
			VEC_PUSH(&h->pre, p);
			next++;
			t->r.fd = open(p.file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
			t->r.limit = limit;
			/* a GOAUTH refused: the request itself reports it */
			if (t->r.fd < 0 || !has_prefix(p.url, "http") ||
			    (has_prefix(p.url, "https://") && auth_quiet(h) < 0) ||
			    !(t->easy = curl_easy_init())) {
				if (t->r.fd >= 0)
					close(t->r.fd);
				t->r.fd = -1;
				unlink(h->pre.v[t->idx].file);
				free(h->pre.v[t->idx].file);
				h->pre.v[t->idx].file = NULL;
				continue;
			}
			setup_easy(h, t->easy, p.url, &t->r, t->errbuf);
			curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
			clock_gettime(CLOCK_MONOTONIC, &t->t0);
			curl_multi_add_handle(multi, t->easy);
			active++;
		}
		if (active == 0)
			break;
		int running = 0, left = 0;
		curl_multi_perform(multi, &running);
		CURLMsg *m;
		while ((m = curl_multi_info_read(multi, &left)) != NULL) {
			struct pre_xfer *t = NULL;
			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
			struct mod_http_pre *p = &h->pre.v[t->idx];
			bool ok = m->data.result == CURLE_OK && t->r.code == 200 && !t->r.too_large && !t->r.write_errno;
			if (close(t->r.fd) < 0)
				ok = false;
			t->r.fd = -1;
			if (ok) {
				p->status = xstrdup(buf_cstr(&t->r.status));
				p->seconds = since(&t->t0);
			} else {
				/* forgotten: the request is made again when needed */
				unlink(p->file);
				free(p->file);
				p->file = NULL;
			}
			curl_multi_remove_handle(multi, t->easy);
			curl_easy_cleanup(t->easy);
			t->easy = NULL;
			req_release(&t->r);
			active--;
		}
		if (active > 0 && running > 0)
			curl_multi_poll(multi, NULL, 0, 1000, NULL);
	}
out:
	if (multi)
		curl_multi_cleanup(multi);
	free(x);
	err_clear(&ignore);
}

void mod_http_prefetch_release(struct mod_http *h)
{
	for (size_t i = 0; i < h->pre.n; i++) {
		if (h->pre.v[i].file)
			unlink(h->pre.v[i].file);
		free(h->pre.v[i].file);
		free(h->pre.v[i].url);
		if (h->pre.v[i].status && h->pre.v[i].status[0])
			free(h->pre.v[i].status);
	}
	free(h->pre.v);
	memset(&h->pre, 0, sizeof h->pre);
}
