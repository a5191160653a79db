/*
 * The build flags every build-like command accepts (cmd/go/internal/work
 * AddBuildFlags and the module flags), as one table.  A command appends
 * them to its own flags; build_flags_unsupported names the first flag
 * whose effect gotool does not implement yet, so it can refuse it clearly
 * instead of giving a silently different result.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/internal.h"
#include "generate/generate.h"
#include "work/work.h"

/* A repeatable string flag (-toolexec etc. keep only the last value). */
static int set_str(void *ctx, const char *name, const char *value, struct err *e)
{
	char **p = ctx;

	(void)name;
	(void)e;
	free(*p);
	*p = xstrdup(value ? value : "");
	return 0;
}

/* The per-package flags keep every occurrence (load.PerPackageFlag). */
static int set_pp(struct build_flags *bf, char **last, struct strvec *all, const char *value)
{
	(void)bf;
	free(*last);
	*last = xstrdup(value ? value : "");
	strvec_push(all, value ? value : "");
	return 0;
}
static int set_asmflags(void *ctx, const char *name, const char *value, struct err *e)
{
	struct build_flags *bf = ctx;
	(void)name;
	(void)e;
	return set_pp(bf, &bf->asmflags, &bf->asmflags_all, value);
}
static int set_gcflags(void *ctx, const char *name, const char *value, struct err *e)
{
	struct build_flags *bf = ctx;
	(void)name;
	(void)e;
	return set_pp(bf, &bf->gcflags, &bf->gcflags_all, value);
}
static int set_ldflags(void *ctx, const char *name, const char *value, struct err *e)
{
	struct build_flags *bf = ctx;
	(void)name;
	(void)e;
	return set_pp(bf, &bf->ldflags, &bf->ldflags_all, value);
}
static int set_gccgoflags(void *ctx, const char *name, const char *value, struct err *e)
{
	struct build_flags *bf = ctx;
	(void)name;
	(void)e;
	return set_pp(bf, &bf->gccgoflags, &bf->gccgoflags_all, value);
}

static int set_compiler(void *ctx, const char *name, const char *value, struct err *e)
{
	(void)name;
	if (strcmp(value, "gc") != 0 && strcmp(value, "gccgo") != 0)
		return err_setf(e, "unknown compiler \"%s\"", value);
	return set_str(ctx, name, value, e);
}

size_t build_flags_defs(struct build_flags *bf, struct flag_def *out, size_t cap)
{
	const struct flag_def defs[] = {
		{"a", FLAG_BOOL, &bf->a, NULL, "", false},
		{"n", FLAG_BOOL, &bf->n, NULL, "", false},
		{"x", FLAG_BOOL, &bf->x, NULL, "", false},
		{"v", FLAG_BOOL, &bf->v, NULL, "", false},
		{"p", FLAG_INT, &bf->p, NULL, "", false},
		{"work", FLAG_BOOL, &bf->work, NULL, "", false},
		{"trimpath", FLAG_BOOL, &bf->trimpath, NULL, "", false},
		{"race", FLAG_BOOL, &bf->race, NULL, "", false},
		{"msan", FLAG_BOOL, &bf->msan, NULL, "", false},
		{"asan", FLAG_BOOL, &bf->asan, NULL, "", false},
		{"cover", FLAG_BOOL, &bf->cover, NULL, "", false},
		{"linkshared", FLAG_BOOL, &bf->linkshared, NULL, "", false},
		{"modcacherw", FLAG_BOOL, &bf->modcacherw, NULL, "", false},
		{"asmflags", FLAG_FUNC, bf, set_asmflags, "", false},
		{"gcflags", FLAG_FUNC, bf, set_gcflags, "", false},
		{"gccgoflags", FLAG_FUNC, bf, set_gccgoflags, "", false},
		{"ldflags", FLAG_FUNC, bf, set_ldflags, "", false},
		{"toolexec", FLAG_FUNC, &bf->toolexec, set_str, "", false},
		{"compiler", FLAG_FUNC, &bf->compiler, set_compiler, "", false},
		{"buildmode", FLAG_STRING, &bf->buildmode, NULL, "", false},
		{"buildvcs", FLAG_FUNC, &bf->buildvcs, set_str, "", false},
		{"installsuffix", FLAG_STRING, &bf->installsuffix, NULL, "", false},
		{"overlay", FLAG_STRING, &bf->overlay, NULL, "", false},
		{"pgo", FLAG_STRING, &bf->pgo, NULL, "", false},
		{"pkgdir", FLAG_STRING, &bf->pkgdir, NULL, "", false},
		{"covermode", FLAG_STRING, &bf->covermode, NULL, "", false},
		{"coverpkg", FLAG_STRING, &bf->coverpkg, NULL, "", false},
		{"tags", FLAG_STRING, &bf->tags, NULL, "", false},
		{"mod", FLAG_STRING, &bf->mod, NULL, "", false},
		{"modfile", FLAG_STRING, &bf->modfile, NULL, "", false},
		{"debug-actiongraph", FLAG_STRING, &bf->debug_actiongraph, NULL, "", false},
		{"debug-runtime-trace", FLAG_STRING, &bf->debug_runtime_trace, NULL, "", false},
		{"debug-trace", FLAG_STRING, &bf->debug_trace, NULL, "", false},
	};

	CHECK(countof(defs) <= cap);
	memcpy(out, defs, sizeof defs);
	return countof(defs);
}

/* has_linkmode_external mirrors the -ldflags scan of externalLinkingReason. */
static bool has_linkmode_external(const char *ldflags)
{
	struct strvec args = {0};
	struct err e = ERR_INIT;
	bool ext = false;

	if (!ldflags || quoted_split(ldflags, &args, &e) < 0) {
		err_clear(&e);
		return false;
	}
	for (size_t i = args.n; i > 0; i--) {
		const char *a = args.v[i - 1];
		const char *next = i < args.n ? args.v[i] : "";
		if (strcmp(a, "-linkmode=external") == 0 || (strcmp(a, "-linkmode") == 0 && strcmp(next, "external") == 0)) {
			ext = true;
			break;
		}
		if (strcmp(a, "-linkmode=internal") == 0 || (strcmp(a, "-linkmode") == 0 && strcmp(next, "internal") == 0))
			break;
	}
	strvec_clear(&args);
	return ext;
}

const char *build_flags_unsupported(const struct build_flags *bf)
{
	if (bf->race)
		return "-race";
	if (bf->msan)
		return "-msan";
	if (bf->asan)
		return "-asan";
	if (bf->cover || (bf->covermode && bf->covermode[0]) || (bf->coverpkg && bf->coverpkg[0]))
		return "-cover";
	if (bf->linkshared)
		return "-linkshared";
	if (bf->overlay && bf->overlay[0])
		return "-overlay";
	if (bf->compiler && strcmp(bf->compiler, "gccgo") == 0)
		return "-compiler=gccgo";
	if (bf->buildmode && bf->buildmode[0] && strcmp(bf->buildmode, "default") != 0 &&
	    strcmp(bf->buildmode, "exe") != 0)
		return "-buildmode";
	if (has_linkmode_external(bf->ldflags))
		return "-ldflags=-linkmode=external";
	return NULL;
}

void build_flags_release(struct build_flags *bf)
{
	char **strs[] = {&bf->asmflags, &bf->gcflags, &bf->gccgoflags, &bf->ldflags, &bf->toolexec,
	                 &bf->compiler, &bf->buildmode, &bf->buildvcs, &bf->installsuffix, &bf->overlay,
	                 &bf->pgo, &bf->pkgdir, &bf->covermode, &bf->coverpkg, &bf->tags, &bf->mod,
	                 &bf->modfile, &bf->debug_actiongraph, &bf->debug_runtime_trace, &bf->debug_trace};
	for (size_t i = 0; i < countof(strs); i++) {
		free(*strs[i]);
		*strs[i] = NULL;
	}
	strvec_clear(&bf->asmflags_all);
	strvec_clear(&bf->gcflags_all);
	strvec_clear(&bf->ldflags_all);
	strvec_clear(&bf->gccgoflags_all);
}

/* ---- Go regexps for work's $CGO_*_ALLOW checks ------------------------------ */

static int re_compile(const char *expr, void **out, struct err *e)
{
	struct gen_regexp *re = NULL;

	if (gen_regexp_compile(expr, &re, e) < 0)
		return -1;
	*out = re;
	return 0;
}

static bool re_full_match(const void *re, const char *s, size_t n)
{
	return gen_regexp_full_match(re, s, n);
}

static void re_free(void *re)
{
	gen_regexp_free(re);
}

const struct work_regexp_ops cmd_regexp_ops = {re_compile, re_full_match, re_free};
