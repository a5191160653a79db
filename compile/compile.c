/*
 * The compile and asm command lines of one package, in the order go 1.26
 * writes them (cmd/go/internal/work/gc.go: gc, asmArgs, Action.trimpath).
 * Only argv text is made here; work/ runs the steps.
 */
#include <stdlib.h>
#include <string.h>

#include "compile/compile.h"

const char *compile_pkgpath(const struct compile_pkg *p)
{
	if (strcmp(p->name, "main") == 0 && !p->force_library)
		return "main";
	return p->import_path;
}

char *compile_lang(const struct compile_target *t, const struct compile_pkg *p)
{
	/* mirrors gc.go gc: the module's go line when the local toolchain
	 * allows it (allowedVersion), 1.16 for a module without one. */
	const char *vers = t->local_version;
	char *lang, *out;

	if (p->mod_path) {
		const char *v = p->mod_go && p->mod_go[0] ? p->mod_go : "1.16";
		if (tc_version_compare(t->local_version, v) >= 0)
			vers = v;
	}
	lang = tc_version_lang(vers);
	out = xasprintf("-lang=go%s", lang);
	free(lang);
	return out;
}

void compile_trimpath(const struct compile_target *t, const struct compile_pkg *p, struct buf *b)
{
	size_t n = strlen(p->objdir);

	if (t->trimpath) {
		const char *ip = p->orig_import_path ? p->orig_import_path : p->import_path;
		buf_adds(b, p->dir);
		buf_adds(b, "=>");
		if (p->mod_path && p->mod_version && p->mod_version[0]) {
			size_t ml = strlen(p->mod_path);
			buf_printf(b, "%s@%s", p->mod_path, p->mod_version);
			buf_adds(b, strncmp(ip, p->mod_path, ml) == 0 ? ip + ml : ip);
		} else {
			buf_adds(b, ip);
		}
		buf_addch(b, ';');
	}
	if (n > 0 && p->objdir[n - 1] == '/')
		n--;
	buf_add(b, p->objdir, n);
	buf_adds(b, "=>");
}

static void push_all(struct strvec *argv, const struct strvec *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++)
		strvec_push(argv, v->v[i]);
}

/* complete_exception lists the std packages whose Go files are completed
 * behind the compiler's back by runtime (gc.go). */
static bool complete_exception(const char *ip)
{
	static const char *const pkgs[] = {
		"bytes", "internal/poll", "net", "os", "runtime/metrics", "runtime/pprof",
		"runtime/trace", "sync", "syscall", "time",
	};
	for (size_t i = 0; i < countof(pkgs); i++)
		if (strcmp(ip, pkgs[i]) == 0)
			return true;
	return false;
}

void compile_gc_argv(const struct compile_target *t, const struct compile_pkg *p,
                     const char *const *gofiles, size_t n, struct strvec *argv)
{
	struct buf b = BUF_INIT;

	push_all(argv, t->toolexec);
	strvec_push_take(argv, path_join(t->tooldir, "compile"));
	strvec_push(argv, "-o");
	strvec_push_take(argv, xasprintf("%s_pkg_.a", p->objdir));
	strvec_push(argv, "-trimpath");
	compile_trimpath(t, p, &b);
	strvec_push_take(argv, buf_detach(&b));
	strvec_push(argv, "-p");
	strvec_push(argv, compile_pkgpath(p));
	strvec_push_take(argv, compile_lang(t, p));
	if (p->standard)
		strvec_push(argv, "-std");
	if (p->n_nongo == 0 && !(p->standard && complete_exception(p->import_path)))
		strvec_push(argv, "-complete");
	if (t->installsuffix && t->installsuffix[0]) {
		strvec_push(argv, "-installsuffix");
		strvec_push(argv, t->installsuffix);
	}
	if (p->buildid && p->buildid[0]) {
		strvec_push(argv, "-buildid");
		strvec_push(argv, p->buildid);
	}
	if (p->omit_debug || strcmp(t->goos, "plan9") == 0 || strcmp(t->goarch, "wasm") == 0)
		strvec_push(argv, "-dwarf=false");
	if (has_prefix(t->goversion, "go1")) {
		strvec_push(argv, "-goversion");
		strvec_push(argv, t->goversion);
	}
	if (p->coveragecfg && p->coveragecfg[0])
		strvec_push_take(argv, xasprintf("-coveragecfg=%s", p->coveragecfg));
	if (p->pgoprofile && p->pgoprofile[0])
		strvec_push_take(argv, xasprintf("-pgoprofile=%s", p->pgoprofile));
	if (p->symabis) {
		strvec_push(argv, "-symabis");
		strvec_push_take(argv, xasprintf("%ssymabis", p->objdir));
	}
	if (t->concurrency > 1)
		strvec_push_take(argv, xasprintf("-c=%d", t->concurrency));
	push_all(argv, t->forced_gcflags);
	push_all(argv, p->gcflags);
	strvec_push(argv, "-nolocalimports");
	strvec_push(argv, "-importcfg");
	strvec_push_take(argv, xasprintf("%simportcfg", p->objdir));
	if (p->embedcfg) {
		strvec_push(argv, "-embedcfg");
		strvec_push_take(argv, xasprintf("%sembedcfg", p->objdir));
	}
	strvec_push(argv, "-pack");
	if (p->asmhdr) {
		strvec_push(argv, "-asmhdr");
		strvec_push_take(argv, xasprintf("%sgo_asm.h", p->objdir));
	}
	for (size_t i = 0; i < n; i++) {
		/* mkAbs: under -n the work dir is "$WORK", and its files are
		 * taken as they are (the cover tool's outputs) */
		if (path_is_abs(gofiles[i]) || has_prefix(gofiles[i], "$WORK"))
			strvec_push(argv, gofiles[i]);
		else
			strvec_push_take(argv, path_join(p->dir, gofiles[i]));
	}
	buf_release(&b);
}

void compile_asm_argv(const struct compile_target *t, const struct compile_pkg *p, struct strvec *argv)
{
	struct buf b = BUF_INIT;
	const char *ga = t->goarch, *v = t->arch_val ? t->arch_val : "";

	push_all(argv, t->toolexec);
	strvec_push_take(argv, path_join(t->tooldir, "asm"));
	strvec_push(argv, "-p");
	strvec_push(argv, compile_pkgpath(p));
	strvec_push(argv, "-trimpath");
	compile_trimpath(t, p, &b);
	strvec_push_take(argv, buf_detach(&b));
	strvec_push(argv, "-I");
	strvec_push(argv, p->objdir);
	strvec_push(argv, "-I");
	strvec_push_take(argv, xasprintf("%s/pkg/include", t->goroot));
	strvec_push(argv, "-D");
	strvec_push_take(argv, xasprintf("GOOS_%s", t->goos));
	strvec_push(argv, "-D");
	strvec_push_take(argv, xasprintf("GOARCH_%s", ga));
	push_all(argv, t->forced_asmflags);
	push_all(argv, p->asmflags);
	if (strcmp(p->import_path, "runtime") == 0 && strcmp(ga, "386") == 0 && t->forced_asmflags)
		for (size_t i = 0; i < t->forced_asmflags->n; i++)
			if (strcmp(t->forced_asmflags->v[i], "-dynlink") == 0)
				strvec_push(argv, "-D=GOBUILDMODE_shared=1");
#define DEF(fmt, ...) (strvec_push(argv, "-D"), strvec_push_take(argv, xasprintf(fmt, __VA_ARGS__)))
	if (strcmp(ga, "386") == 0)
		DEF("GO386_%s", v);
	if (strcmp(ga, "amd64") == 0)
		DEF("GOAMD64_%s", v);
	if (strcmp(ga, "mips") == 0 || strcmp(ga, "mipsle") == 0)
		DEF("GOMIPS_%s", v);
	if (strcmp(ga, "mips64") == 0 || strcmp(ga, "mips64le") == 0)
		DEF("GOMIPS64_%s", v);
	if (strcmp(ga, "ppc64") == 0 || strcmp(ga, "ppc64le") == 0) {
		/* cumulative from the level down (asmArgs' fallthrough) */
		if (strcmp(v, "power10") == 0)
			DEF("%s", "GOPPC64_power10");
		if (strcmp(v, "power10") == 0 || strcmp(v, "power9") == 0)
			DEF("%s", "GOPPC64_power9");
		DEF("%s", "GOPPC64_power8");
	}
	if (strcmp(ga, "riscv64") == 0)
		DEF("GORISCV64_%s", v);
	if (strcmp(ga, "arm") == 0) {
		bool v7 = strchr(v, '7') != NULL, v6 = v7 || strchr(v, '6') != NULL;
		if (v7)
			DEF("%s", "GOARM_7");
		if (v6)
			DEF("%s", "GOARM_6");
		DEF("%s", "GOARM_5");
	}
	if (strcmp(ga, "arm64") == 0) {
		/* buildcfg.ParseGoarm64: v8.1 and later, or an explicit ",lse" */
		bool lse = strstr(v, ",lse") != NULL;
		if (!lse && v[0] == 'v') {
			int major = 0, minor = 0;
			const char *q = v + 1;
			while (*q >= '0' && *q <= '9')
				major = major * 10 + (*q++ - '0');
			if (*q == '.') {
				q++;
				while (*q >= '0' && *q <= '9')
					minor = minor * 10 + (*q++ - '0');
			}
			lse = (major == 8 && minor >= 1) || major >= 9;
		}
		if (lse)
			DEF("%s", "GOARM64_LSE");
	}
#undef DEF
	buf_release(&b);
}

char *compile_header_copy(const char *goos, const char *goarch, const char *file)
{
	const char *dot = strrchr(file, '.');
	size_t nlen = dot ? (size_t)(dot - file) : strlen(file);
	const char *ext = dot ? dot + 1 : "";
	char *s1 = xasprintf("_%s_%s", goos, goarch), *s2 = xasprintf("_%s", goarch),
	     *s3 = xasprintf("_%s", goos);
	const char *suf[3] = {s1, s2, s3}, *repl[3] = {"_GOOS_GOARCH.", "_GOARCH.", "_GOOS."};
	char *out = NULL;

	/* mirrors exec.go build: goos_goarch, then goarch, then goos */
	for (int i = 0; i < 3 && !out; i++) {
		size_t sl = strlen(suf[i]);
		if (nlen >= sl && memcmp(file + nlen - sl, suf[i], sl) == 0)
			out = xasprintf("%.*s%s%s", (int)(nlen - sl), file, repl[i], ext);
	}
	free(s1);
	free(s2);
	free(s3);
	return out;
}
