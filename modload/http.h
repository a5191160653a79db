/*
 * modload/http.h: private to modload.  GET requests as the go command's
 * web package makes them (cmd/go/internal/web: http.go, api.go, url.go),
 * over libcurl for http(s) and directly for file:// URLs, with go's
 * error texts.  Used by the proxy client (proxy.c) and, for go-import
 * meta tags, the direct fetcher (direct.c).
 */
#ifndef GOTOOL_MODLOAD_HTTP_H
#define GOTOOL_MODLOAD_HTTP_H

#include "runtime/runtime.h"

/* A response fetched ahead by mod_http_prefetch: a 200 body in file. */
struct mod_http_pre {
	char *url;      /* heap */
	char *file;     /* heap; NULL once used or when the fetch failed */
	char *status;   /* heap "200 OK", or "" (static) */
	double seconds; /* how long it took (for -x) */
};

/* The HTTP client of one invocation.  One curl handle is reused, so
 * connections to a proxy are kept alive across requests. */
struct mod_http {
	void *easy;  /* CURL *, created on the first http(s) request */
	bool x;      /* -x: go's "# get URL" lines on stderr */
	long stall;  /* seconds without a byte before a request fails */
	struct buf noproxy; /* CURLOPT_NOPROXY's text, rebuilt per request */
	const char *goauth; /* GOAUTH (borrowed), NULL for its default "netrc" */
	VEC(struct mod_http_pre) pre; /* prefetched responses */
};

/* The default of mod_http.stall: go has no timeout at all (a hanging
 * proxy hangs it forever); gotool gives up after this long without data,
 * or GOTOOL_HTTP_TIMEOUT seconds. */
#define MOD_HTTP_STALL_DEFAULT 120

/* mod_http_init sets h up (no network yet); stall <= 0 means the default. */
void mod_http_init(struct mod_http *h, bool x, long stall);
/* mod_http_set_goauth makes h's https requests use GOAUTH (borrowed):
 * "netrc" (the default) and "off" work; the git and command methods are
 * refused with an error on the first https request, not ignored. */
void mod_http_set_goauth(struct mod_http *h, const char *goauth);
/* mod_http_release frees the curl handle (safe on a zeroed h). */
void mod_http_release(struct mod_http *h);

/* What mod_http_get returns when the body passed its limit (e is set to
 * a generic "too large" text the caller may replace with go's). */
#define MOD_HTTP_TOO_LARGE (-2)

/*
 * mod_http_get is web.Get(DefaultSecurity, url) with resp.Err() and the
 * body read: on status 200 the body goes to body (fd < 0) or is written
 * to fd, at most limit bytes (0: no limit; more is MOD_HTTP_TOO_LARGE).
 * Returns 0, or -1 with e set to go's text ("reading URL: 404 Not Found",
 * the server's text/plain detail, `Get "URL": ...`, `read "URL": ...`)
 * and *notexist set when go's error would match fs.ErrNotExist (404 and
 * 410, a missing file:// file).  https redirects never go to http;
 * .netrc credentials are sent over https only.
 */
int mod_http_get(struct mod_http *h, const char *url, struct buf *body, int fd, uint64_t limit, bool *notexist,
                 struct err *e);

/* A page fetched by mod_http_get_page, whatever its status. */
struct mod_http_page {
	long code;             /* the status code */
	struct buf url;        /* the URL fetched (redacted): resp.URL */
	struct buf body;       /* at most the limit's bytes */
	struct err status_err; /* resp.Err()'s text when code is not 200 */
};
/*
 * mod_http_get_page is web.Get(security, url) for a page whose body is read
 * whatever the status (a go-get=1 page may be a 404 with meta tags):
 * https://hostpath, then, when insecure (GOINSECURE) and https failed,
 * http://hostpath.  Returns 0 with pg filled, or -1 with e set to the last
 * attempt's transport error in go's text.  pg is released by the caller.
 */
int mod_http_get_page(struct mod_http *h, const char *hostpath, bool insecure, uint64_t limit,
                      struct mod_http_page *pg, struct err *e);
void mod_http_page_release(struct mod_http_page *pg);

/* mod_http_prefetch GETs urls[0..n) (http and https; n >= 2) at the same
 * time, a few at once, over libcurl's multi interface, each 200 answer
 * kept in a file under dir (at most limit bytes).  A later mod_http_get of
 * one of those URLs is answered from it, once; a failed prefetch is
 * forgotten, so the request is then made as usual, with go's errors. */
void mod_http_prefetch(struct mod_http *h, char *const *urls, size_t n, const char *dir, uint64_t limit);
/* mod_http_prefetch_release removes the unused prefetched files. */
void mod_http_prefetch_release(struct mod_http *h);

/* mod_http_redact appends url as url.URL.Redacted prints it (a password
 * becomes "xxxxx"). */
void mod_http_redact(struct buf *b, const char *url);

/* mod_http_status_text is net/http.StatusText ("" for unknown codes). */
const char *mod_http_status_text(long code);

#endif
