/*
 * Checking of compiler and linker flags from #cgo directives, as go 1.26
 * checks them (cmd/go/internal/work/security.go): an allow-list of
 * regular expressions, each of which must match the whole flag, plus
 * a few flags that take the next argument, and the user's overrides in
 * $CGO_<NAME>_ALLOW / $CGO_<NAME>_DISALLOW.
 *
 * "Must match the whole flag" is go's re.FindString(arg) == arg: the
 * leftmost-first match, not any match.  So `[a-zA-Z0-9_/].*\.(a|o|obj|...)`
 * does not accept "x.obj" (the preferred match is "x.o").  PCRE2 has the
 * same leftmost-first (Perl) preference, so the patterns are compiled as
 * they are written in go, unanchored, and the match must span the flag.
 * `$` is compiled with PCRE2_DOLLAR_ENDONLY (Go's `$` is the end of the
 * text, never before a final newline) and `.` stops only at \n.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "work/work.h"

/* security.go validCompilerFlags */
static const char *const valid_compiler[] = {
	"-D([A-Za-z_][A-Za-z0-9_]*)(=[^@\\-]*)?",
	"-U([A-Za-z_][A-Za-z0-9_]*)",
	"-F([^@\\-].*)",
	"-I([^@\\-].*)",
	"-O",
	"-O([^@\\-].*)",
	"-W",
	"-W([^@,]+)",
	"-Wa,-mbig-obj",
	"-Wp,-D([A-Za-z_][A-Za-z0-9_]*)(=[^@,\\-]*)?",
	"-Wp,-U([A-Za-z_][A-Za-z0-9_]*)",
	"-ansi",
	"-f(no-)?asynchronous-unwind-tables",
	"-f(no-)?blocks",
	"-f(no-)builtin-[a-zA-Z0-9_]*",
	"-f(no-)?common",
	"-f(no-)?constant-cfstrings",
	"-fdebug-prefix-map=([^@]+)=([^@]+)",
	"-fdiagnostics-show-note-include-stack",
	"-ffile-prefix-map=([^@]+)=([^@]+)",
	"-fno-canonical-system-headers",
	"-f(no-)?eliminate-unused-debug-types",
	"-f(no-)?exceptions",
	"-f(no-)?fast-math",
	"-f(no-)?inline-functions",
	"-finput-charset=([^@\\-].*)",
	"-f(no-)?fat-lto-objects",
	"-f(no-)?keep-inline-dllexport",
	"-f(no-)?lto",
	"-fmacro-backtrace-limit=(.+)",
	"-fmessage-length=(.+)",
	"-f(no-)?modules",
	"-f(no-)?objc-arc",
	"-f(no-)?objc-nonfragile-abi",
	"-f(no-)?objc-legacy-dispatch",
	"-f(no-)?omit-frame-pointer",
	"-f(no-)?openmp(-simd)?",
	"-f(no-)?permissive",
	"-f(no-)?(pic|PIC|pie|PIE)",
	"-f(no-)?plt",
	"-f(no-)?rtti",
	"-f(no-)?split-stack",
	"-f(no-)?stack-(.+)",
	"-f(no-)?strict-aliasing",
	"-f(un)signed-char",
	"-f(no-)?use-linker-plugin",
	"-f(no-)?visibility-inlines-hidden",
	"-fsanitize=(.+)",
	"-fsanitize-undefined-strip-path-components=(-)?[0-9]+",
	"-ftemplate-depth-(.+)",
	"-ftls-model=(global-dynamic|local-dynamic|initial-exec|local-exec)",
	"-fvisibility=(.+)",
	"-g([^@\\-].*)?",
	"-m32",
	"-m64",
	"-m(abi|arch|cpu|fpu|simd|tls-dialect|tune)=([^@\\-].*)",
	"-m(no-)?v?aes",
	"-marm",
	"-mcmodel=[0-9a-z-]+",
	"-mfloat-abi=([^@\\-].*)",
	"-m(soft|single|double)-float",
	"-mfpmath=[0-9a-z,+]*",
	"-m(no-)?avx[0-9a-z.]*",
	"-m(no-)?ms-bitfields",
	"-m(no-)?stack-(.+)",
	"-mmacosx-(.+)",
	"-m(no-)?relax",
	"-m(no-)?strict-align",
	"-m(no-)?(lsx|lasx|frecipe|div32|lam-bh|lamcas|ld-seq-sa)",
	"-mios-simulator-version-min=(.+)",
	"-miphoneos-version-min=(.+)",
	"-mlarge-data-threshold=[0-9]+",
	"-mtvos-simulator-version-min=(.+)",
	"-mtvos-version-min=(.+)",
	"-mwatchos-simulator-version-min=(.+)",
	"-mwatchos-version-min=(.+)",
	"-mnop-fun-dllimport",
	"-m(no-)?sse[0-9.]*",
	"-m(no-)?ssse3",
	"-mthumb(-interwork)?",
	"-mthreads",
	"-mwindows",
	"-no-canonical-prefixes",
	"--param=ssp-buffer-size=[0-9]*",
	"-pedantic(-errors)?",
	"-pipe",
	"-pthread",
	"--static",
	"-?-std=([^@\\-].*)",
	"-?-stdlib=([^@\\-].*)",
	"--sysroot=([^@\\-].*)",
	"-w",
	"-x([^@\\-].*)",
	"-v",
};

/* security.go validCompilerFlagsWithNextArg */
static const char *const valid_compiler_next[] = {
	"-arch", "-D", "-U", "-I", "-F", "-framework", "-include", "-isysroot", "-isystem", "--sysroot",
	"-target", "-x",
};

/* security.go invalidLinkerFlags */
static const char *const invalid_linker[] = {
	"-lto_library",
};

/* security.go validLinkerFlags */
static const char *const valid_linker[] = {
	"-F([^@\\-].*)",
	"-l([^@\\-].*)",
	"-L([^@\\-].*)",
	"-O",
	"-O([^@\\-].*)",
	"-f(no-)?(pic|PIC|pie|PIE)",
	"-f(no-)?openmp(-simd)?",
	"-fsanitize=([^@\\-].*)",
	"-flat_namespace",
	"-g([^@\\-].*)?",
	"-headerpad_max_install_names",
	"-m(abi|arch|cpu|fpu|simd|tls-dialect|tune)=([^@\\-].*)",
	"-mcmodel=[0-9a-z-]+",
	"-mfloat-abi=([^@\\-].*)",
	"-m(soft|single|double)-float",
	"-m(no-)?relax",
	"-m(no-)?strict-align",
	"-m(no-)?(lsx|lasx|frecipe|div32|lam-bh|lamcas|ld-seq-sa)",
	"-mmacosx-(.+)",
	"-mios-simulator-version-min=(.+)",
	"-miphoneos-version-min=(.+)",
	"-mthreads",
	"-mwindows",
	"-(pic|PIC|pie|PIE)",
	"-pthread",
	"-rdynamic",
	"-shared",
	"-?-static([-a-z0-9+]*)",
	"-?-stdlib=([^@\\-].*)",
	"-v",
	/* wildcards in -Wl exclude commas: -Wl splits at them */
	"-Wl,--(no-)?allow-multiple-definition",
	"-Wl,--(no-)?allow-shlib-undefined",
	"-Wl,--(no-)?as-needed",
	"-Wl,-Bdynamic",
	"-Wl,-berok",
	"-Wl,-Bstatic",
	"-Wl,-Bsymbolic-functions",
	"-Wl,-O[0-9]+",
	"-Wl,-d[ny]",
	"-Wl,--disable-new-dtags",
	"-Wl,-e[=,][a-zA-Z0-9]+",
	"-Wl,--enable-new-dtags",
	"-Wl,--end-group",
	"-Wl,--(no-)?export-dynamic",
	"-Wl,-E",
	"-Wl,-framework,[^,@\\-][^,]*",
	"-Wl,--hash-style=(sysv|gnu|both)",
	"-Wl,-headerpad_max_install_names",
	"-Wl,--no-undefined",
	"-Wl,--pop-state",
	"-Wl,--push-state",
	"-Wl,-R,?([^@\\-,][^,@]*$)",
	"-Wl,--just-symbols[=,]([^,@\\-][^,@]*)",
	"-Wl,-rpath(-link)?[=,]([^,@\\-][^,]*)",
	"-Wl,-s",
	"-Wl,-search_paths_first",
	"-Wl,-sectcreate,([^,@\\-][^,]*),([^,@\\-][^,]*),([^,@\\-][^,]*)",
	"-Wl,--start-group",
	"-Wl,-?-static",
	"-Wl,-?-subsystem,(native|windows|console|posix|xbox)",
	"-Wl,-syslibroot[=,]([^,@\\-][^,]*)",
	"-Wl,-undefined[=,]([^,@\\-][^,]*)",
	"-Wl,-?-unresolved-symbols=[^,]+",
	"-Wl,--(no-)?warn-([^,]+)",
	"-Wl,-?-wrap[=,][^,@\\-][^,]*",
	"-Wl(,-z,(relro|now|(no)?execstack))+",
	/* direct linker inputs: x.o or libfoo.so (but not -foo.o or @foo.o) */
	"[a-zA-Z0-9_/].*\\.(a|o|obj|dll|dylib|so|tbd)",
	"\\./.*\\.(a|o|obj|dll|dylib|so|tbd)",
};

/* security.go validLinkerFlagsWithNextArg */
static const char *const valid_linker_next[] = {
	"-arch", "-F", "-l", "-L", "-framework", "-isysroot", "--sysroot", "-target", "-Wl,-framework",
	"-Wl,-rpath", "-Wl,-R", "-Wl,--just-symbols", "-Wl,-undefined",
};

/* security.go validPkgConfigFlags */
static const char *const valid_pkgconfig[] = {
	"--atleast-pkgconfig-version=\\d+\\.\\d+\\.\\d+",
	"--atleast-version=\\d+\\.\\d+\\.\\d+",
	"--cflags-only-I",
	"--cflags",
	"--define-prefix",
	"--define-variable=[A-Za-z_][A-Za-z0-9_]*=[^@\\-]*",
	"--digraph",
	"--dont-define-prefix",
	"--dont-relocate-paths",
	"--dump-personality",
	"--env-only",
	"--errors-to-stdout",
	"--exact-version=\\d+\\.\\d+\\.\\d+",
	"--exists",
	"--fragment-filter=[A-Za-z_][a-zA-Z0-9_]*",
	"--ignore-conflicts",
	"--internal-cflags",
	"--keep-system-cflags",
	"--keep-system-libs",
	"--libs-only-l",
	"--libs-only-L",
	"--libs",
	"--list-all",
	"--list-package-names",
	"--max-version=\\d+\\.\\d+\\.\\d+",
	"--maximum-traverse-depth=[0-9]+",
	"--modversion",
	"--msvc-syntax",
	"--no-cache",
	"--no-provides",
	"--no-uninstalled",
	"--path",
	"--personality=(triplet|filename)",
	"--prefix-variable=[A-Za-z_][a-zA-Z0-9_]*",
	"--print-errors",
	"--print-provides",
	"--print-requires-private",
	"--print-requires",
	"--print-variables",
	"--pure",
	"--shared",
	"--short-errors",
	"--silence-errors",
	"--simulate",
	"--static",
	"--uninstalled",
	"--validate",
	"--variable=[A-Za-z_][a-zA-Z0-9_]*",
	"--with-path=[^@\\-].*",
};

/* A compiled list: the patterns compiled on first use, kept for the process. */
struct relist {
	const char *const *src;
	size_t n;
	pcre2_code **code;
};

#define RELIST(a) {a, countof(a), NULL}
static struct relist l_compiler = RELIST(valid_compiler), l_invalid_linker = RELIST(invalid_linker),
		     l_linker = RELIST(valid_linker), l_pkgconfig = RELIST(valid_pkgconfig);

static pcre2_match_data *md;

/* relist_code compiles the list on first use; a pattern PCRE2 refuses is a
 * bug in the table (they are go's own, all Perl-compatible). */
static pcre2_code **relist_code(struct relist *l)
{
	if (!l->code) {
		pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
		pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
		l->code = xcalloc(l->n, sizeof *l->code);
		for (size_t i = 0; i < l->n; i++) {
			int ec;
			PCRE2_SIZE off;
			l->code[i] = pcre2_compile((PCRE2_SPTR)l->src[i], PCRE2_ZERO_TERMINATED, PCRE2_DOLLAR_ENDONLY, &ec,
			                           &off, cc);
			if (!l->code[i])
				BUG("security.c: a flag pattern does not compile");
		}
		pcre2_compile_context_free(cc);
	}
	if (!md)
		md = pcre2_match_data_create(32, NULL);
	return l->code;
}

/* full reports whether code's leftmost-first match in s is all of s
 * (go: re.FindString(s) == s). */
static bool full(const pcre2_code *code, const char *s, size_t n)
{
	int rc = pcre2_match(code, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
	PCRE2_SIZE *ov;

	if (rc < 0)
		return false;
	ov = pcre2_get_ovector_pointer(md);
	return ov[0] == 0 && ov[1] == n;
}

static bool any_full(struct relist *l, const char *s)
{
	pcre2_code **code;
	size_t n = strlen(s);

	if (!l)
		return false;
	code = relist_code(l);
	for (size_t i = 0; i < l->n; i++)
		if (full(code[i], s, n))
			return true;
	return false;
}

/* safe_arg is load.SafeArg: a word that cannot be read as an option. */
static bool safe_arg(const char *s)
{
	unsigned char c = (unsigned char)s[0];

	if (!c)
		return false;
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' || c == '_' ||
	       c == '/' || c >= 0x80;
}

static bool in_list(const char *const *l, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(l[i], s) == 0)
			return true;
	return false;
}

/* one_full: the override (user regexp) matches all of s. */
static bool one_full(const struct work_regexp_ops *ops, void *re, const char *s)
{
	return re && ops->full_match(re, s, strlen(s));
}

/* mirrors security.go checkFlags */
static int check_flags(const char *name, const char *source, const char *const *list, size_t n,
                       struct relist *invalid, struct relist *valid, const char *const *next, size_t nnext,
                       const struct work_flag_env *env, struct err *e)
{
	void *allow = NULL, *disallow = NULL;
	const struct work_regexp_ops *ops = env ? env->ops : NULL;
	int rc = -1;

	if (env && env->allow && env->allow[0]) {
		if (!ops)
			BUG("security.c: $CGO_..._ALLOW without regexp ops");
		if (ops->compile(env->allow, &allow, e) < 0) {
			err_wrapf(e, "parsing $CGO_%s_ALLOW", name);
			goto out;
		}
	}
	if (env && env->disallow && env->disallow[0]) {
		if (!ops)
			BUG("security.c: $CGO_..._DISALLOW without regexp ops");
		if (ops->compile(env->disallow, &disallow, e) < 0) {
			err_wrapf(e, "parsing $CGO_%s_DISALLOW", name);
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const char *arg = list[i];
		if (one_full(ops, disallow, arg))
			goto bad;
		if (one_full(ops, allow, arg))
			continue;
		if (any_full(invalid, arg))
			goto bad;
		if (any_full(valid, arg))
			continue;
		if (has_prefix(arg, "-Wl,--push-state,")) {
			/* -Wl,--push-state,--as-needed: every part must be valid */
			const char *s = arg + 4;
			bool ok = true;
			s = strchr(s, ',') + 1;
			for (;;) {
				const char *c = strchr(s, ',');
				size_t l = c ? (size_t)(c - s) : strlen(s);
				char *w = xasprintf("-Wl,%.*s", (int)l, s);
				if (!any_full(valid, w) || any_full(invalid, w))
					ok = false;
				free(w);
				if (!ok || !c)
					break;
				s = c + 1;
			}
			if (!ok)
				goto bad;
			continue;
		}
		if (in_list(next, nnext, arg)) {
			const char *nx = i + 1 < n ? list[i + 1] : NULL;
			if (nx && safe_arg(nx)) {
				i++;
				continue;
			}
			/* -Wl,-framework -Wl,name */
			if (nx && has_prefix(arg, "-Wl,") && has_prefix(nx, "-Wl,") && safe_arg(nx + 4) &&
			    !strchr(nx + 4, ',')) {
				i++;
				continue;
			}
			/* -I= /path, -I $SYSROOT */
			if (nx && strcmp(arg, "-I") == 0 && (has_prefix(nx, "=") || has_prefix(nx, "$SYSROOT")) &&
			    safe_arg(nx + 1)) {
				i++;
				continue;
			}
			if (nx)
				err_setf(e, "invalid flag in %s: %s %s (see https://go.dev/s/invalidflag)", source, arg, nx);
			else
				err_setf(e, "invalid flag in %s: %s without argument (see https://go.dev/s/invalidflag)",
				         source, arg);
			goto out;
		}
	bad:
		err_setf(e, "invalid flag in %s: %s (see https://go.dev/s/invalidflag)", source, arg);
		goto out;
	}
	rc = 0;
out:
	if (allow)
		ops->free(allow);
	if (disallow)
		ops->free(disallow);
	return rc;
}

int work_check_compiler_flags(const char *name, const char *source, const char *const *list, size_t n,
                              const struct work_flag_env *env, struct err *e)
{
	return check_flags(name, source, list, n, NULL, &l_compiler, valid_compiler_next, countof(valid_compiler_next),
	                   env, e);
}

int work_check_linker_flags(const char *name, const char *source, const char *const *list, size_t n,
                            const struct work_flag_env *env, struct err *e)
{
	return check_flags(name, source, list, n, &l_invalid_linker, &l_linker, valid_linker_next,
	                   countof(valid_linker_next), env, e);
}

int work_check_pkgconfig_flags(const char *name, const char *source, const char *const *list, size_t n,
                               struct err *e)
{
	return check_flags(name, source, list, n, NULL, &l_pkgconfig, NULL, 0, NULL, e);
}

int work_check_compiler_flags_internal_link(const char *name, const char *source, const char *const *list, size_t n,
                                            struct err *e)
{
	if (check_flags(name, source, list, n, NULL, &l_compiler, valid_compiler_next, countof(valid_compiler_next),
	                NULL, e) < 0)
		return -1;
	/* -flto is the one allowed flag the internal linker cannot take */
	for (size_t i = 0; i < n; i++)
		if (has_prefix(list[i], "-flto"))
			return err_setf(e, "flag \"%s\" triggers external linking", list[i]);
	return 0;
}
