/* libgit2 loaded on first use (see gitapi.h). */
#include <dlfcn.h>
#include <string.h>

#define GITAPI_NO_REDIRECT
#include "modload/gitapi.h"

#ifndef GOTOOL_LIBGIT2_SONAME
#error "GOTOOL_LIBGIT2_SONAME must name libgit2's shared library (set by CMakeLists.txt)"
#endif

struct gitapi gitapi;

int gitapi_load(struct err *e)
{
	static int state; /* 0 not tried, 1 loaded, -1 failed */
	static char *why;
	void *h;

	if (state == 0) {
		state = -1;
		h = dlopen(GOTOOL_LIBGIT2_SONAME, RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			const char *d = dlerror();
			why = xstrdup(d ? d : "unknown error");
			goto out;
		}
#define GITAPI_SYM(f)                                                       \
		{                                                                   \
			void *sym = dlsym(h, #f);                                   \
			if (!sym) {                                                 \
				why = xasprintf("%s: no symbol %s", GOTOOL_LIBGIT2_SONAME, #f); \
				goto out;                                           \
			}                                                           \
			memcpy(&gitapi.p_##f, &sym, sizeof(sym));                   \
		}
		GITAPI_FUNCS(GITAPI_SYM)
#undef GITAPI_SYM
		/* one init for the process, never shut down */
		if (gitapi.p_git_libgit2_init() < 0) {
			why = xasprintf("%s: initialization failed", GOTOOL_LIBGIT2_SONAME);
			goto out;
		}
		state = 1;
	}
out:
	if (state < 0)
		return err_setf(e, "cannot load libgit2 (%s)", why);
	return 0;
}
