/*
 * modload/curlapi.h: libcurl, loaded when first needed.
 *
 * As with libgit2 (gitapi.h), most gotool runs never fetch anything, and
 * linking libcurl would cost every run its start-up: libcurl and the
 * libraries it needs (nghttp2, libssh2, GnuTLS or OpenSSL, Kerberos,
 * LDAP...) mapped and relocated before main.  So libcurl is not linked;
 * curlapi_load dlopens it (by the SONAME found at configure time) on the
 * first request, and the calls below go through a table of pointers.
 *
 * Include instead of <curl/curl.h>, in modload/http.c only: each
 * CURLAPI_FUNCS name becomes its table entry, so calls read as usual.
 * curl's type-checking macros are off (they would call the real symbols).
 */
#ifndef GOTOOL_MODLOAD_CURLAPI_H
#define GOTOOL_MODLOAD_CURLAPI_H

#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#include "runtime/runtime.h"

/* Every libcurl function gotool calls. */
#define CURLAPI_FUNCS(X)        \
	X(curl_global_init)     \
	X(curl_easy_init)       \
	X(curl_easy_cleanup)    \
	X(curl_easy_reset)      \
	X(curl_easy_setopt)     \
	X(curl_easy_getinfo)    \
	X(curl_easy_perform)    \
	X(curl_easy_strerror)   \
	X(curl_multi_init)      \
	X(curl_multi_cleanup)   \
	X(curl_multi_add_handle) \
	X(curl_multi_remove_handle) \
	X(curl_multi_perform)   \
	X(curl_multi_poll)      \
	X(curl_multi_info_read) \
	X(curl_multi_setopt)

struct curlapi {
#define CURLAPI_FIELD(f) __typeof__(f) *p_##f;
	CURLAPI_FUNCS(CURLAPI_FIELD)
#undef CURLAPI_FIELD
};
extern struct curlapi curlapi;

/* curlapi_load loads libcurl and runs curl_global_init, once per process;
 * -1 (with "cannot load libcurl ...") when the library or a function is
 * missing, after which every call fails the same way. */
int curlapi_load(struct err *e);

#ifndef CURLAPI_NO_REDIRECT
/* curl.h defines these two as macros that check the argument count */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt
#define curl_global_init (*curlapi.p_curl_global_init)
#define curl_easy_init (*curlapi.p_curl_easy_init)
#define curl_easy_cleanup (*curlapi.p_curl_easy_cleanup)
#define curl_easy_reset (*curlapi.p_curl_easy_reset)
#define curl_easy_setopt (*curlapi.p_curl_easy_setopt)
#define curl_easy_getinfo (*curlapi.p_curl_easy_getinfo)
#define curl_easy_perform (*curlapi.p_curl_easy_perform)
#define curl_easy_strerror (*curlapi.p_curl_easy_strerror)
#define curl_multi_init (*curlapi.p_curl_multi_init)
#define curl_multi_cleanup (*curlapi.p_curl_multi_cleanup)
#define curl_multi_add_handle (*curlapi.p_curl_multi_add_handle)
#define curl_multi_remove_handle (*curlapi.p_curl_multi_remove_handle)
#define curl_multi_perform (*curlapi.p_curl_multi_perform)
#define curl_multi_poll (*curlapi.p_curl_multi_poll)
#define curl_multi_info_read (*curlapi.p_curl_multi_info_read)
#define curl_multi_setopt (*curlapi.p_curl_multi_setopt)
#endif

#endif
