/* libcurl loaded on first use (see curlapi.h). */
#include <dlfcn.h>
#include <string.h>

#define CURLAPI_NO_REDIRECT
#include "modload/curlapi.h"

#ifndef GOTOOL_LIBCURL_SONAME
#error "GOTOOL_LIBCURL_SONAME must name libcurl's shared library (set by CMakeLists.txt)"
#endif

struct curlapi curlapi;

int curlapi_load(struct err *e)
{
	static int state; /* 0 not tried, 1 loaded, -1 failed */
	static char *why;
	void *h;

	if (state == 0) {
		state = -1;
		h = dlopen(GOTOOL_LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			const char *d = dlerror();
			why = xstrdup(d ? d : "unknown error");
			goto out;
		}
#define CURLAPI_SYM(f)                                                      \
		{                                                                   \
			void *sym = dlsym(h, #f);                                   \
			if (!sym) {                                                 \
				why = xasprintf("%s: no symbol %s", GOTOOL_LIBCURL_SONAME, #f); \
				goto out;                                           \
			}                                                           \
			memcpy(&curlapi.p_##f, &sym, sizeof(sym));                  \
		}
		CURLAPI_FUNCS(CURLAPI_SYM)
#undef CURLAPI_SYM
		/* one init for the process (single-threaded), never cleaned up */
		if (curlapi.p_curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			why = xasprintf("%s: initialization failed", GOTOOL_LIBCURL_SONAME);
			goto out;
		}
		state = 1;
	}
out:
	if (state < 0)
		return err_setf(e, "cannot load libcurl (%s)", why);
	return 0;
}
