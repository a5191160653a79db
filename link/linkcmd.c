/*
 * The link command line, in the order go 1.26 builds it
 * (cmd/go/internal/work/gc.go gcToolchain.ld and setextld).
 */
#include <string.h>

#include "link/link.h"

static void push_all(struct strvec *argv, const struct strvec *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++)
		strvec_push(argv, v->v[i]);
}

int link_cmd_argv(const struct link_cmd *in, struct strvec *argv, struct err *e)
{
	bool has_extld = false;
	struct buf b = BUF_INIT;

	push_all(argv, in->toolexec);
	strvec_push_take(argv, path_join(in->tooldir, "link"));
	strvec_push(argv, "-o");
	strvec_push(argv, in->out);
	strvec_push(argv, "-importcfg");
	strvec_push(argv, in->importcfg);
	if (in->installsuffix && in->installsuffix[0]) {
		strvec_push(argv, "-installsuffix");
		strvec_push(argv, in->installsuffix);
	}
	if (in->omit_debug) {
		strvec_push(argv, "-s");
		strvec_push(argv, "-w");
	}
	if (in->objabi_buildid)
		strvec_push_take(argv, xasprintf("-X=cmd/internal/objabi.buildID=%s", in->objabi_buildid));
	if (in->default_godebug && in->default_godebug[0])
		strvec_push_take(argv, xasprintf("-X=runtime.godebugDefault=%s", in->default_godebug));
	strvec_push_take(argv, xasprintf("-buildmode=%s", in->ldbuildmode));
	if (in->buildid && in->buildid[0])
		strvec_push_take(argv, xasprintf("-buildid=%s", in->buildid));
	push_all(argv, in->forced_ldflags);
	push_all(argv, in->ldflags);
	/* setextld: a user -extld wins anywhere in the flags seen so far */
	for (size_t i = 0; i < argv->n; i++)
		if (strcmp(argv->v[i], "-extld") == 0 || has_prefix(argv->v[i], "-extld="))
			has_extld = true;
	if (!has_extld) {
		buf_adds(&b, "-extld=");
		if (in->cc && quoted_join(&b, in->cc->v, in->cc->n, e) < 0) {
			buf_release(&b);
			return -1;
		}
		strvec_push_take(argv, buf_detach(&b));
	}
	strvec_push(argv, in->mainpkg);
	buf_release(&b);
	return 0;
}
