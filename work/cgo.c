/*
 * cgo: go 1.26's cgo actions (cmd/go/internal/work action.go cgoAction,
 * exec.go runCgo, processCgoOutputs, dynimport, ccompile, gccld,
 * compilerCmd, gccSupportsFlag; buildid.go gccToolID).
 *
 * A package with import "C" gets, besides its build action:
 *   cgo run        the cgo tool over the cgo files (after the build's cache
 *                  check, which it does itself: go's "build check cache"
 *                  action comes right before it);
 *   cgo compile F  one C compiler run per C file (cgo's _cgo_export.c and
 *                  F.cgo2.c, the package's .S, .c and Objective-C .m files:
 *                  $CC picks the language by the extension), then one C++
 *                  compiler run ($CXX, the C++ flags) per .cc/.cpp/.cxx
 *                  file, then one Fortran compiler run ($FC, default
 *                  gfortran; the Fortran flags) per .f/.F/.for/.f90 file,
 *                  into objdir/_xNNN.o;
 *   collect cgo    a join the build action waits on.
 * The build action then compiles _cgo_main.c, links _cgo_.o with the
 * objects (with $CXX when the package has C++ files) (a failed link only means the linker must link externally:
 * dynimportfail), runs cgo -dynimport for _cgo_import.go, checks the
 * //go:cgo_ldflag lines cgo wrote, compiles the Go files with cgo's output
 * and packs the C objects into the archive after the Go ones.
 *
 * Objective-C code links with -lobjc and gfortran's with -lgfortran: both
 * go into the cgo LDFLAGS, so the _cgo_.o link and the program get them.
 * SWIG is refused before any of this runs (cmd/build.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "work/cache.h"
#include "work/work_internal.h"

/* go's DefaultCFlags */
#define DEFAULT_CFLAGS "-O2 -g"

static void push_all(struct strvec *dst, const struct strvec *src)
{
	for (size_t i = 0; src && i < src->n; i++)
		strvec_push(dst, src->v[i]);
}

static void push_strs(struct strvec *dst, const struct load_strs *src)
{
	for (size_t i = 0; src && i < src->n; i++)
		strvec_push(dst, src->v[i]);
}

/* env_list is envList(key, def): cfg.Getenv(key), else def, split as
 * quoted.Split does. */
static int env_list(struct work_builder *b, const char *key, const char *def, struct strvec *out, struct err *e)
{
	const char *v = cfg_getenv(b->cfg, key);

	if (!v || !v[0])
		v = def;
	if (quoted_split(v, out, e) < 0)
		return err_wrapf(e, "could not parse environment variable %s with value \"%s\"", key, v);
	return 0;
}

/* cc_exe is ccExe (b->cc: $CC or the target's default). */
static const struct strvec *cc_exe(struct work_builder *b)
{
	return &b->cc;
}

/* cxx_exe is cxxExe: $CXX or the target's default C++ compiler, split. */
static int cxx_exe(struct work_builder *b, struct strvec *out, struct err *e)
{
	return env_list(b, "CXX", cfg_default_cxx(b->cfg->ctx.goos, b->cfg->ctx.goarch), out, e);
}

/* fc_exe is fcExe: $FC or gfortran, split. */
static int fc_exe(struct work_builder *b, struct strvec *out, struct err *e)
{
	return env_list(b, "FC", "gfortran", out, e);
}

/* has_cxx: the package has C++ files to compile and link (go's test in
 * gccld and ld). */
static bool has_cxx(const struct load_pkg *p)
{
	return p && (p->cxx_files.n > 0 || p->swigcxx_files.n > 0);
}

/* ---- #cgo flags (CFlags, buildFlags) ------------------------------------ */

struct cflags {
	struct strvec cpp, c, cxx, f, ld;
};

static void cflags_release(struct cflags *f)
{
	strvec_clear(&f->cpp);
	strvec_clear(&f->c);
	strvec_clear(&f->cxx);
	strvec_clear(&f->f);
	strvec_clear(&f->ld);
}

/* build_flags is buildFlags: the package's #cgo NAME flags checked, then
 * $CGO_NAME (or defaults) followed by them. */
static int build_flags(struct work_builder *b, const char *name, const char *defaults, const struct load_strs *from,
                       bool linker, struct strvec *out, struct err *e)
{
	char *source = xasprintf("#cgo %s", name), *ak = xasprintf("CGO_%s_ALLOW", name),
	     *dk = xasprintf("CGO_%s_DISALLOW", name), *ek = xasprintf("CGO_%s", name);
	struct work_flag_env fe = {cfg_getenv(b->cfg, ak), cfg_getenv(b->cfg, dk), b->o.regexp};
	int rc;

	rc = linker ? work_check_linker_flags(name, source, from->v, from->n, &fe, e)
	            : work_check_compiler_flags(name, source, from->v, from->n, &fe, e);
	if (rc == 0) {
		rc = env_list(b, ek, defaults, out, e);
		if (rc == 0)
			push_strs(out, from);
	}
	free(source);
	free(ak);
	free(dk);
	free(ek);
	return rc;
}

/* cgo_cflags is Builder.CFlags: on error the lists before the failing one
 * are set and the rest empty, as go's named results are. */
static int cgo_cflags(struct work_builder *b, const struct load_pkg *p, struct cflags *f, struct err *e)
{
	if (build_flags(b, "CPPFLAGS", "", &p->cgo_cppflags, false, &f->cpp, e) < 0 ||
	    build_flags(b, "CFLAGS", DEFAULT_CFLAGS, &p->cgo_cflags, false, &f->c, e) < 0 ||
	    build_flags(b, "CXXFLAGS", DEFAULT_CFLAGS, &p->cgo_cxxflags, false, &f->cxx, e) < 0 ||
	    build_flags(b, "FFLAGS", DEFAULT_CFLAGS, &p->cgo_fflags, false, &f->f, e) < 0 ||
	    build_flags(b, "LDFLAGS", DEFAULT_CFLAGS, &p->cgo_ldflags, true, &f->ld, e) < 0)
		return -1;
	return 0;
}

/* ---- the C compiler's identity (gccToolID) ------------------------------ */

static void lc_all_env(struct work_builder *b, struct strvec *env)
{
	for (size_t i = 0; i < b->env.n; i++)
		strvec_push(env, b->env.v[i]);
	strvec_push(env, "LC_ALL=C");
	strvec_null_terminate(env);
}

/* run_combined runs argv in dir with env, stdin /dev/null, stdout and
 * stderr into out (CombinedOutput).  Returns the status, or -1 with e set
 * when it could not start. */
static int run_combined(char *const *argv, const char *dir, char *const *env, struct buf *out, struct err *e)
{
	posix_spawn_file_actions_t fa;
	int pfd[2], status, err;
	char *exe = strchr(argv[0], '/') ? xstrdup(argv[0]) : proc_lookpath(argv[0]);
	char tmp[8192];
	ssize_t r;
	pid_t pid;

	if (!exe)
		return err_setf(e, "exec: \"%s\": executable file not found in $PATH", argv[0]);
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		free(exe);
		return err_errno(e, "pipe", argv[0]);
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
	if (dir)
		posix_spawn_file_actions_addchdir_np(&fa, dir);
	err = posix_spawn(&pid, exe, &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (err != 0) {
		close(pfd[0]);
		err_setf(e, "fork/exec %s: %s", exe, os_errstr(err));
		free(exe);
		return -1;
	}
	free(exe);
	for (;;) {
		r = read(pfd[0], tmp, sizeof tmp);
		if (r > 0)
			buf_add(out, tmp, (size_t)r);
		else if (r == 0 || errno != EINTR)
			break;
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_errno(e, "wait", argv[0]);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/*
 * gcc_tool_id is gccToolID(name, language): the line of `name -### -x
 * language -c -` that names the version (a release), or for a development
 * compiler the build id (or hash) of the compiler proper.  Remembered for
 * the run.  Returns 0 with *id, or -1 with e set to go's error text.
 */
static int gcc_tool_id(struct work_builder *b, const char *name, const char *language, const char **id,
                       struct err *e)
{
	char *key = xasprintf("%s.%s", name, language);
	const char *memo = map_get(&b->gcc_ids, key);
	struct strvec argv = {0}, env = {0};
	struct buf out = BUF_INIT;
	char *version = NULL, *res = NULL;
	int st, rc = -1;

	if (memo) {
		free(key);
		if (memo[0] == '\001')
			return err_setf(e, "%s", memo + 1);
		*id = memo;
		return 0;
	}
	push_all(&argv, &b->o.toolexec);
	strvec_push(&argv, name);
	strvec_push(&argv, "-###");
	strvec_push(&argv, "-x");
	strvec_push(&argv, language);
	strvec_push(&argv, "-c");
	strvec_push(&argv, "-");
	strvec_null_terminate(&argv);
	lc_all_env(b, &env);
	st = run_combined(argv.v, NULL, env.v, &out, e);
	if (st != 0) {
		struct buf q = BUF_INIT;
		char *why = st < 0 ? err_take(e) : st > 128 ? xasprintf("signal: %s", strsignal(st - 128))
		                                            : xasprintf("exit status %d", st);
		quoted_go_string(&q, out.data, out.len);
		res = xasprintf("\001%s: %s; output: %s", name, why, buf_cstr(&q));
		free(why);
		buf_release(&q);
		goto done;
	}
	{
		/* the first line with a field "version" followed by a digit
		 * (fields of "Configured with: ..." lines are not looked at) */
		const char *s = buf_cstr(&out);
		while (*s && !version) {
			const char *nl = strchr(s, '\n');
			size_t ln = nl ? (size_t)(nl - s) : strlen(s);
			char *line = xstrndup(s, ln), *p = line;
			bool prev_version = false;
			while (*p) {
				char *f;
				while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\v' || *p == '\f')
					p++;
				if (!*p)
					break;
				f = p;
				while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\v' && *p != '\f')
					p++;
				if (prev_version) {
					if (f[0] >= '0' && f[0] <= '9')
						version = xstrdup(line);
					break;
				}
				if (p > f && p[-1] == ':')
					break;
				prev_version = (size_t)(p - f) == 7 && memcmp(f, "version", 7) == 0;
			}
			free(line);
			s = nl ? nl + 1 : s + ln;
		}
	}
	if (!version) {
		struct buf q = BUF_INIT;
		quoted_go_string(&q, out.data, out.len);
		res = xasprintf("\001%s: can not find version number in %s", name, buf_cstr(&q));
		buf_release(&q);
		goto done;
	}
	if (!strstr(version, "experimental")) {
		res = version;
		version = NULL;
	} else {
		/* a development compiler: the compiler proper, by its build id
		 * or, lacking one, its contents */
		const char *s = buf_cstr(&out), *line = NULL;
		struct strvec f = {0};
		struct err e2 = ERR_INIT;
		char *exe = NULL, *bid = NULL, fh[21];
		while (*s) {
			const char *nl = strchr(s, '\n');
			if (s[0] == ' ' && !has_prefix(s, " (in-process)")) {
				line = s;
				break;
			}
			if (!nl)
				break;
			s = nl + 1;
		}
		if (!line) {
			struct buf q = BUF_INIT;
			quoted_go_string(&q, out.data, out.len);
			res = xasprintf("\001%s: can not find compilation command in %s", name, buf_cstr(&q));
			buf_release(&q);
			goto done;
		}
		{
			const char *nl = strchr(line, '\n');
			char *l = xstrndup(line, nl ? (size_t)(nl - line) : strlen(line));
			if (quoted_split(l, &f, &e2) < 0 || f.n == 0) {
				err_clear(&e2);
				res = xasprintf("\001%s: compilation command confusion %s", name, l);
				free(l);
				strvec_clear(&f);
				goto done;
			}
			free(l);
		}
		exe = strchr(f.v[0], '/') ? NULL : proc_lookpath(f.v[0]);
		if (!exe)
			exe = xstrdup(f.v[0]);
		if (work_buildid_read(exe, &bid, &e2) < 0) {
			res = xasprintf("\001%s", err_msg(&e2));
			err_clear(&e2);
		} else if (bid && bid[0]) {
			res = bid;
			bid = NULL;
		} else if (work_file_hash(b, exe, fh, &e2) == 0) {
			res = xstrdup(fh);
		} else {
			res = xasprintf("\001%s", err_msg(&e2));
			err_clear(&e2);
		}
		free(bid);
		free(exe);
		strvec_clear(&f);
	}
done:
	map_put(&b->gcc_ids, arena_strdup(b->a, key), arena_strdup(b->a, res));
	if (res[0] == '\001') {
		err_setf(e, "%s", res + 1);
	} else {
		*id = map_get(&b->gcc_ids, key);
		rc = 0;
	}
	free(res);
	free(version);
	free(key);
	strvec_clear(&argv);
	strvec_clear(&env);
	buf_release(&out);
	return rc;
}

/* hash_tool_line writes "NAME=%q %q...\nNAME ID=%q\n" for one compiler. */
static void hash_compiler(struct work_builder *b, struct work_hasher *h, const char *what, const struct strvec *exe,
                          const char *language)
{
	struct err e = ERR_INIT;
	const char *id = NULL;
	struct buf q = BUF_INIT;

	if (exe->n && gcc_tool_id(b, exe->v[0], language, &id, &e) == 0) {
		quoted_go_string(&q, id, strlen(id));
		work_hasher_printf(h, "%s ID=%s\n", what, buf_cstr(&q));
	} else {
		const char *m = exe->n ? err_msg(&e) : "no compiler";
		quoted_go_string(&q, m, strlen(m));
		work_hasher_printf(h, "%s ID ERROR=%s\n", what, buf_cstr(&q));
	}
	err_clear(&e);
	buf_release(&q);
}

/* work_cgo_hash writes buildActionID's cgo lines for a package that uses cgo. */
int work_cgo_hash(struct work_builder *b, struct work_action *a, struct work_hasher *h, struct err *e)
{
	struct load_pkg *p = a->p;
	struct cflags f = {0};
	struct err fe = ERR_INIT;
	char *q[5];

	if (!b->tool_cgo && work_tool_id(b, "cgo", &b->tool_cgo, e) < 0)
		return -1;
	{
		struct buf t = BUF_INIT;
		quoted_go_string(&t, b->tool_cgo, strlen(b->tool_cgo));
		work_hasher_printf(h, "cgo %s\n", buf_cstr(&t));
		buf_release(&t);
	}
	/* CFlags' error is the build's to report; the hash takes what it got */
	cgo_cflags(b, p, &f, &fe);
	err_clear(&fe);
	q[0] = work_quote_list(cc_exe(b));
	q[1] = work_quote_list(&f.cpp);
	q[2] = work_quote_list(&f.c);
	q[3] = work_quote_list(&f.ld);
	work_hasher_printf(h, "CC=%s %s %s %s\n", q[0], q[1], q[2], q[3]);
	for (int i = 0; i < 4; i++)
		free(q[i]);
	hash_compiler(b, h, "CC", cc_exe(b), "c");
	if (has_cxx(p)) {
		struct strvec cxx = {0};
		struct err e2 = ERR_INIT;
		if (cxx_exe(b, &cxx, &e2) < 0)
			err_clear(&e2);
		q[0] = work_quote_list(&cxx);
		q[1] = work_quote_list(&f.cxx);
		work_hasher_printf(h, "CXX=%s %s\n", q[0], q[1]);
		free(q[0]);
		free(q[1]);
		hash_compiler(b, h, "CXX", &cxx, "c++");
		strvec_clear(&cxx);
	}
	if (p->f_files.n > 0) {
		struct strvec fc = {0};
		struct err e2 = ERR_INIT;
		if (fc_exe(b, &fc, &e2) < 0)
			err_clear(&e2);
		q[0] = work_quote_list(&fc);
		q[1] = work_quote_list(&f.f);
		work_hasher_printf(h, "FC=%s %s\n", q[0], q[1]);
		free(q[0]);
		free(q[1]);
		hash_compiler(b, h, "FC", &fc, "f95");
		strvec_clear(&fc);
	}
	cflags_release(&f);
	return 0;
}

/* ---- probing the compiler (gccSupportsFlag) ----------------------------- */

/*
 * supports is gccSupportsFlag: compiler run on an empty C file from stdin
 * with flag (and $CGO_CFLAGS -c, or $CGO_LDFLAGS for a -Wl, flag); an
 * unknown-option complaint in the output means no.  The answer is kept for
 * the run and in the build cache (work_gcc_probe_key), as go keeps it.
 * Under -n every question is shown and answered no, as in go.
 */
static bool supports(struct work_builder *b, const struct strvec *compiler, const char *flag)
{
	static const char *const complaints[] = {"unrecognized", "unknown", "unrecognised", "is not supported",
	                                         "not recognized", "unsupported"};
	struct strvec argv = {0}, env = {0};
	struct buf out = BUF_INIT, show = BUF_INIT;
	struct err e = ERR_INIT;
	char *key;
	void *memo;
	unsigned char pkey[32];
	bool ok = false, have_key;

	if (compiler->n == 0)
		return false;
	push_all(&argv, compiler);
	strvec_push(&argv, flag);
	if (has_prefix(flag, "-Wl,")) {
		if (env_list(b, "CGO_LDFLAGS", DEFAULT_CFLAGS, &argv, &e) < 0)
			goto out;
	} else {
		if (env_list(b, "CGO_CFLAGS", DEFAULT_CFLAGS, &argv, &e) < 0)
			goto out;
		strvec_push(&argv, "-c");
	}
	strvec_push(&argv, "-x");
	strvec_push(&argv, "c");
	strvec_push(&argv, "-");
	strvec_push(&argv, "-o");
	strvec_push(&argv, "/dev/null");
	if (b->o.n) {
		work_join_unambiguously(&show, argv.v, argv.n);
		buf_adds(&show, " || true");
		work_show_cmd(b, b->workdir, buf_cstr(&show));
		goto out;
	}
	key = xasprintf("%s\n%s", compiler->v[0], flag);
	memo = map_get(&b->gcc_flags, key);
	if (memo) {
		ok = memo == (void *)2;
		free(key);
		goto out;
	}
	have_key = b->cache && work_gcc_probe_key((const char *const *)argv.v, argv.n, pkey);
	if (have_key) {
		int known = work_gcc_probe_get(b->cache, pkey);
		if (known >= 0) {
			ok = known == 1;
			map_put(&b->gcc_flags, arena_strdup(b->a, key), ok ? (void *)2 : (void *)1);
			free(key);
			goto out;
		}
	}
	if (b->o.x) {
		work_join_unambiguously(&show, argv.v, argv.n);
		buf_adds(&show, " || true");
		work_show_cmd(b, b->workdir, buf_cstr(&show));
	}
	strvec_null_terminate(&argv);
	lc_all_env(b, &env);
	/* a compiler that cannot start prints nothing: go reads that as yes */
	if (run_combined(argv.v, b->workdir, env.v, &out, &e) < 0)
		err_clear(&e);
	ok = true;
	for (size_t i = 0; i < countof(complaints); i++)
		if (strstr(buf_cstr(&out), complaints[i]))
			ok = false;
	map_put(&b->gcc_flags, arena_strdup(b->a, key), ok ? (void *)2 : (void *)1);
	if (have_key)
		work_gcc_probe_put(b->cache, pkey, ok);
	free(key);
out:
	err_clear(&e);
	strvec_clear(&argv);
	strvec_clear(&env);
	buf_release(&out);
	buf_release(&show);
	return ok;
}

/* arch_args is gccArchArgs. */
static void arch_args(struct work_builder *b, struct strvec *a)
{
	const char *goos = b->cfg->ctx.goos, *goarch = b->cfg->ctx.goarch;
	const char *v = b->cfg->ctx.goarch_val ? b->cfg->ctx.goarch_val : "";

	if (strcmp(goarch, "386") == 0) {
		strvec_push(a, "-m32");
	} else if (strcmp(goarch, "amd64") == 0) {
		if (strcmp(goos, "darwin") == 0) {
			strvec_push(a, "-arch");
			strvec_push(a, "x86_64");
		}
		strvec_push(a, "-m64");
	} else if (strcmp(goarch, "arm64") == 0) {
		if (strcmp(goos, "darwin") == 0) {
			strvec_push(a, "-arch");
			strvec_push(a, "arm64");
		}
	} else if (strcmp(goarch, "arm") == 0) {
		strvec_push(a, "-marm");
	} else if (strcmp(goarch, "s390x") == 0) {
		strvec_push(a, "-m64");
		strvec_push(a, "-march=z13");
	} else if (strcmp(goarch, "mips64") == 0 || strcmp(goarch, "mips64le") == 0) {
		strvec_push(a, "-mabi=64");
		if (strcmp(v, "hardfloat") == 0)
			strvec_push(a, "-mhard-float");
		else if (strcmp(v, "softfloat") == 0)
			strvec_push(a, "-msoft-float");
	} else if (strcmp(goarch, "mips") == 0 || strcmp(goarch, "mipsle") == 0) {
		strvec_push(a, "-mabi=32");
		strvec_push(a, "-march=mips32");
		if (strcmp(v, "hardfloat") == 0) {
			strvec_push(a, "-mhard-float");
			strvec_push(a, "-mfp32");
			strvec_push(a, "-mno-odd-spreg");
		} else if (strcmp(v, "softfloat") == 0) {
			strvec_push(a, "-msoft-float");
		}
	} else if (strcmp(goarch, "loong64") == 0) {
		strvec_push(a, "-mabi=lp64d");
	} else if (strcmp(goarch, "ppc64") == 0 && strcmp(goos, "aix") == 0) {
		strvec_push(a, "-maix64");
	}
}

/* compiler_cmd is compilerCmd(cc, incdir, workdir): GccCmd with ccExe,
 * GxxCmd with cxxExe.  The probes run the compiler itself (as C). */
static void compiler_cmd(struct work_builder *b, const struct strvec *cc, const char *incdir, const char *workdir,
                         struct strvec *a)
{
	const char *goos = b->cfg->ctx.goos;

	push_all(a, cc);
	strvec_push(a, "-I");
	strvec_push(a, incdir);
	if (strcmp(goos, "windows") != 0)
		strvec_push(a, "-fPIC");
	arch_args(b, a);
	if (b->cfg->ctx.cgo_enabled)
		strvec_push(a, strcmp(goos, "windows") == 0 ? "-mthreads" : "-pthread");
	if (strcmp(goos, "aix") == 0)
		strvec_push(a, "-mcmodel=large");
	if (supports(b, cc, "-fno-caret-diagnostics"))
		strvec_push(a, "-fno-caret-diagnostics");
	if (supports(b, cc, "-Qunused-arguments"))
		strvec_push(a, "-Qunused-arguments");
	if (supports(b, cc, "-Wl,--no-gc-sections"))
		strvec_push(a, "-Wl,--no-gc-sections");
	strvec_push(a, "-fmessage-length=0");
	if (supports(b, cc, "-fdebug-prefix-map=a=b")) {
		const char *wd = workdir && workdir[0] ? workdir : b->workdir;
		size_t n = strlen(wd);
		if (n > 0 && wd[n - 1] == '/')
			n--;
		if (supports(b, cc, "-ffile-prefix-map=a=b"))
			strvec_push_take(a, xasprintf("-ffile-prefix-map=%.*s=/tmp/go-build", (int)n, wd));
		else
			strvec_push_take(a, xasprintf("-fdebug-prefix-map=%.*s=/tmp/go-build", (int)n, wd));
	}
	if (supports(b, cc, "-gno-record-gcc-switches"))
		strvec_push(a, "-gno-record-gcc-switches");
	if (strcmp(goos, "darwin") == 0 || strcmp(goos, "ios") == 0)
		strvec_push(a, "-fno-common");
}

/* mk_abs is mkAbs (heap). */
static char *mk_abs(const char *dir, const char *f)
{
	if (f[0] == '/' || has_prefix(f, "$WORK"))
		return xstrdup(f);
	return path_join(dir, f);
}

/*
 * ccompile_argv lays out ccompile(a, outfile, flags, file, GccCmd(p.Dir,
 * workdir)) (GxxCmd with cc the C++ compiler): the compiler command, flags, the -trimpath prefix map and
 * -frandom-seed, then -o outfile -c base(file).  *dir gets the directory
 * the compiler runs in (heap).  aid is the action id of the step.
 */
static void ccompile_argv(struct work_builder *b, const struct strvec *exe, const struct load_pkg *p,
                          const char *workdir, const char *outfile, const struct strvec *flags, const char *file,
                          const unsigned char aid[32], struct strvec *argv, char **dir)
{
	struct strvec comp = {0}, *cc = &comp;
	char *abs = mk_abs(p->dir, file), *out = mk_abs(p->dir, outfile);

	/* ccompile probes with the whole compiler command (GccCmd's result) */
	compiler_cmd(b, exe, p->dir, workdir, argv);
	push_all(&comp, argv);
	push_all(argv, flags);
	if (supports(b, cc, "-fdebug-prefix-map=a=b") && (b->o.trimpath || p->goroot)) {
		const char *flag = supports(b, cc, "-ffile-prefix-map=a=b") ? "-ffile-prefix-map" : "-fdebug-prefix-map";
		const char *from, *to_path;
		char *to_buf = NULL, *to;
		const struct load_module *m = p->module;
		if (!m) {
			if (!p->root || !p->root[0]) {
				from = p->dir;
				to_path = p->import_path;
			} else if (p->goroot) {
				from = p->root;
				to_path = "GOROOT";
			} else {
				from = p->root;
				to_path = "GOPATH";
			}
		} else if (!m->dir || !m->dir[0]) {
			/* vendored: the whole vendor directory */
			to_buf = path_join(p->mod_root ? p->mod_root : "", "vendor");
			from = to_buf;
			to_path = "vendor";
		} else {
			from = m->dir;
			to_path = m->path;
			if (m->version && m->version[0]) {
				free(to_buf);
				to_buf = xasprintf("%s@%s", m->path, m->version);
				to_path = to_buf;
			}
		}
		{
			char *j = xasprintf("/_/%s", to_path);
			to = path_clean(j);
			free(j);
		}
		strvec_push_take(argv, xasprintf("%s=%s=%s", flag, from, to));
		free(to);
		free(to_buf);
	}
	if (supports(b, cc, "-frandom-seed=1")) {
		char s[21];
		work_hash_to_string(aid, s);
		strvec_push_take(argv, xasprintf("-frandom-seed=%s", s));
	}
	strvec_push(argv, "-o");
	strvec_push(argv, out);
	strvec_push(argv, "-c");
	{
		const char *base = strrchr(abs, '/');
		strvec_push(argv, base ? base + 1 : abs);
		*dir = base && base != abs ? xstrndup(abs, (size_t)(base - abs)) : xstrdup("/");
	}
	free(abs);
	free(out);
	strvec_clear(&comp);
}

/* ---- the actions (cgoAction) -------------------------------------------- */

static struct work_action *new_step(struct work_builder *b, struct work_action *a, enum amode mode)
{
	struct work_action *s = work_new_action(b, mode, a->p);

	s->objdir = xstrdup(a->objdir);
	s->cgo = a->cgo;
	return s;
}

static void add_compile(struct work_builder *b, struct work_action *a, int *seq, const char *file,
                        enum work_cgo_compiler compiler)
{
	struct work_cgo *c = a->cgo;
	struct work_action *s = new_step(b, a, A_CGOCC);

	s->cgo_file = arena_strdup(b->a, file);
	s->cgo_compiler = compiler;
	(*seq)++;
	s->target = xasprintf("%s_x%03d.o", a->objdir, *seq);
	VEC_PUSH(&s->deps, c->run);
	VEC_PUSH(&c->compiles, s);
}

void work_cgo_actions(struct work_builder *b, struct work_action *a)
{
	struct load_pkg *p = a->p;
	struct work_cgo *c = xcalloc(1, sizeof *c);
	bool rtcgo = p->standard && strcmp(p->import_path, "runtime/cgo") == 0;
	int seq = 0;

	a->cgo = c;
	c->build = a;
	c->run = new_step(b, a, A_CGORUN);
	/* the cache check needs the dependencies' build ids */
	for (size_t i = 0; i < a->deps.n; i++)
		VEC_PUSH(&c->run->deps, a->deps.v[i]);
	{
		char *f = xasprintf("%s_cgo_export.c", a->objdir);
		add_compile(b, a, &seq, f, CGO_GCC);
		free(f);
	}
	for (size_t i = 0; i < p->cgo_files.n; i++) {
		const char *base = strrchr(p->cgo_files.v[i], '/');
		size_t n;
		char *f;
		base = base ? base + 1 : p->cgo_files.v[i];
		n = strlen(base);
		if (n >= 3 && strcmp(base + n - 3, ".go") == 0)
			n -= 3;
		f = xasprintf("%s%.*s.cgo2.c", a->objdir, (int)n, base);
		add_compile(b, a, &seq, f, CGO_GCC);
		free(f);
	}
	for (size_t i = 0; i < p->s_files.n; i++)
		if (!rtcgo || has_prefix(p->s_files.v[i], "gcc_"))
			add_compile(b, a, &seq, p->s_files.v[i], CGO_GAS);
	/* the C files, then the Objective-C ones, both with gcc; SWIG is
	 * refused before the build (cmd/build.c) */
	for (size_t i = 0; i < p->c_files.n; i++)
		add_compile(b, a, &seq, p->c_files.v[i], CGO_GCC);
	for (size_t i = 0; i < p->m_files.n; i++)
		add_compile(b, a, &seq, p->m_files.v[i], CGO_GCC);
	for (size_t i = 0; i < p->cxx_files.n; i++)
		add_compile(b, a, &seq, p->cxx_files.v[i], CGO_GXX);
	for (size_t i = 0; i < p->f_files.n; i++)
		add_compile(b, a, &seq, p->f_files.v[i], CGO_GFORTRAN);
	c->collect = new_step(b, a, A_CGOCOLLECT);
	for (size_t i = 0; i < c->compiles.n; i++)
		VEC_PUSH(&c->collect->deps, c->compiles.v[i]);
	VEC_PUSH(&a->deps, c->collect);
}

void work_cgo_free(struct work_cgo *c)
{
	if (!c)
		return;
	strvec_clear(&c->cflags);
	strvec_clear(&c->cxxflags);
	strvec_clear(&c->fflags);
	strvec_clear(&c->ldflags);
	strvec_clear(&c->gofiles);
	strvec_clear(&c->objects);
	strvec_clear(&c->pc_cflags);
	strvec_clear(&c->pc_ldflags);
	VEC_FREE(&c->compiles);
	free(c);
}

/* not_internal is flagsNotCompatibleWithInternalLinking. */
static bool not_internal(const struct cflags *f)
{
	const char *names[] = {"CGO_CFLAGS", "CGO_CXXFLAGS", "CGO_FFLAGS"};
	const struct strvec *lists[] = {&f->c, &f->cxx, &f->f};

	for (size_t i = 0; i < countof(names); i++) {
		struct err e = ERR_INIT;
		int rc = work_check_compiler_flags_internal_link(names[i], names[i], (const char *const *)lists[i]->v,
		                                                 lists[i]->n, &e);
		err_clear(&e);
		if (rc < 0)
			return true;
	}
	return false;
}

/* start_run is runCgo, after the build's cache check. */
/* work_split_pkgconfig is splitPkgConfigOutput: the output read with the
 * POSIX shell's quoting (no expansions). */
int work_split_pkgconfig(const char *s, size_t n, struct strvec *out, struct err *e)
{
	struct buf flag = BUF_INIT;
	bool did_quote = false, escaped = false;
	char quote = 0;
	int rc = -1;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (escaped) {
			if (quote == '"' && !(c == '$' || c == '`' || c == '"' || c == '\\' || c == '\n')) {
				buf_addch(&flag, '\\');
				buf_addch(&flag, c);
				escaped = false;
				continue;
			}
			if (c != '\n')
				buf_addch(&flag, c);
			escaped = false;
			continue;
		}
		if (quote != 0 && c == quote) {
			quote = 0;
			continue;
		}
		if (quote == '\'') {
			buf_addch(&flag, c);
			continue;
		}
		if (quote == '"' && c != '`' && c != '$' && c != '\\') {
			buf_addch(&flag, c);
			continue;
		}
		switch (c) {
		case '|': case '&': case ';': case '<': case '>': case '(': case ')': case '$': case '`': {
			struct buf q = BUF_INIT;
			/* %q of a byte: Go's quoted rune */
			buf_addch(&q, '\'');
			buf_addch(&q, c);
			buf_addch(&q, '\'');
			err_setf(e, "unexpected shell character %s in pkgconf output", buf_cstr(&q));
			buf_release(&q);
			goto out;
		}
		case '\\':
			escaped = true;
			continue;
		case '"':
		case '\'':
			quote = c;
			did_quote = true;
			continue;
		case ' ':
		case '\t':
		case '\n':
			if (flag.len > 0 || did_quote)
				strvec_push(out, buf_cstr(&flag));
			buf_reset(&flag);
			did_quote = false;
			continue;
		default:
			buf_addch(&flag, c);
		}
	}
	if (quote != 0) {
		err_setf(e, "unterminated quoted string in pkgconf output");
		goto out;
	}
	if (escaped) {
		err_setf(e, "broken character escaping in pkgconf output");
		goto out;
	}
	if (flag.len > 0 || did_quote)
		strvec_push(out, buf_cstr(&flag));
	rc = 0;
out:
	buf_release(&flag);
	return rc;
}

/* pc_flags parses a pkg-config run's output (bytes.TrimSpace, split) and
 * checks the flags; kind 0 --cflags, 1 --libs. */
static int pc_flags(struct work_action *a, int kind, struct strvec *out, struct err *e)
{
	const char *s = a->captured ? a->captured : "";
	size_t n = strlen(s);

	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\v' || *s == '\f')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r' ||
	                 s[n - 1] == '\v' || s[n - 1] == '\f'))
		n--;
	if (n == 0)
		return 0;
	if (work_split_pkgconfig(s, n, out, e) < 0)
		return -1;
	if (kind == 0)
		return work_check_compiler_flags("CFLAGS", "pkg-config --cflags", (const char *const *)out->v, out->n, NULL,
		                                 e);
	return work_check_linker_flags("LDFLAGS", "pkg-config --libs", (const char *const *)out->v, out->n, NULL, e);
}

static int op_pc_cflags(struct work_builder *b, struct work_action *a, struct err *e)
{
	(void)b;
	return pc_flags(a, 0, &a->cgo->pc_cflags, e);
}

static int op_pc_libs(struct work_builder *b, struct work_action *a, struct err *e)
{
	(void)b;
	return pc_flags(a, 1, &a->cgo->pc_ldflags, e);
}

static int op_cgo_tool(struct work_builder *b, struct work_action *a, struct err *e);

/* add_pkgconfig lays out getPkgConfigFlags: pkg-config --cflags and --libs
 * for the #cgo pkg-config: words (flags first, then the packages). */
static int add_pkgconfig(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct load_pkg *p = a->p;
	struct strvec pcflags = {0}, pkgs = {0}, pc = {0};
	int rc = -1;

	for (size_t i = 0; i < p->cgo_pkgconfig.n; i++) {
		const char *w = p->cgo_pkgconfig.v[i];
		if (strcmp(w, "--") == 0)
			continue; /* go adds its own */
		strvec_push(has_prefix(w, "--") ? &pcflags : &pkgs, w);
	}
	for (size_t i = 0; i < pkgs.n; i++) {
		unsigned char c0 = (unsigned char)pkgs.v[i][0];
		bool safe = c0 && ((c0 >= '0' && c0 <= '9') || (c0 >= 'A' && c0 <= 'Z') || (c0 >= 'a' && c0 <= 'z') ||
		                   c0 == '.' || c0 == '_' || c0 == '/' || c0 >= 0x80);
		if (!safe) {
			err_setf(e, "invalid pkg-config package name: %s", pkgs.v[i]);
			goto out;
		}
	}
	if (work_check_pkgconfig_flags("", "pkg-config", (const char *const *)pcflags.v, pcflags.n, e) < 0)
		goto out;
	if (env_list(b, "PKG_CONFIG", "pkg-config", &pc, e) < 0)
		goto out;
	for (int k = 0; k < 2; k++) {
		const char *what = k == 0 ? "--cflags" : "--libs";
		struct buf desc = BUF_INIT;
		struct op *op;
		buf_printf(&desc, "%s %s ", pc.n ? pc.v[0] : "", what);
		for (size_t i = 0; i < pcflags.n; i++)
			buf_printf(&desc, "%s%s", i ? " " : "", pcflags.v[i]);
		buf_adds(&desc, " --");
		for (size_t i = 0; i < pkgs.n; i++)
			buf_printf(&desc, " %s", pkgs.v[i]);
		op = work_add_proc(a, p->dir, arena_strdup(b->a, buf_cstr(&desc)));
		buf_release(&desc);
		op->capture = true;
		strvec_push(&op->argv, pc.n ? pc.v[0] : "");
		strvec_push(&op->argv, what);
		push_all(&op->argv, &pcflags);
		strvec_push(&op->argv, "--");
		push_all(&op->argv, &pkgs);
		work_add_func(a, k == 0 ? op_pc_cflags : op_pc_libs);
	}
	work_add_func(a, op_cgo_tool);
	rc = 0;
out:
	strvec_clear(&pcflags);
	strvec_clear(&pkgs);
	strvec_clear(&pc);
	return rc;
}

static int start_run(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct work_cgo *c = a->cgo;
	int rc = work_build_check(b, c->build, e);

	c->checked = true;
	if (rc < 0)
		return -1;
	if (rc > 0 && c->build->need_hdr && !b->o.list) {
		/* loadCachedCgoHdr; when the header is not cached, cgo runs again
		 * to write it (the archive itself stays the cached one) */
		int lr = work_cgo_load_cached_header(b, c->build, e);
		if (lr < 0)
			return -1;
		if (lr == 0) {
			c->hdr_only = true;
			rc = 0;
		}
	}
	if (c->build->need_vet && !b->o.list && (rc > 0 || c->build->vet_only)) {
		/* only the vet config is left to make (need == needVet): cgo's
		 * Go files come from the cache when they are there (cgovet.c) */
		int lr = work_cgo_load_cached_vet(b, c->build, e);
		if (lr < 0)
			return -1;
		if (lr > 0) {
			c->hit = true;
			return 0;
		}
		c->vet_files_only = rc > 0;
		rc = 0;
	}
	if (rc != 0) {
		c->hit = true;
		return 0;
	}
	if (work_mkdir(b, a->objdir, e) < 0)
		return -1;
	if (a->p->cgo_pkgconfig.n > 0)
		return add_pkgconfig(b, a, e);
	return op_cgo_tool(b, a, e);
}

/* strvec_prepend puts a heap copy of s first in sv. */
static void strvec_prepend(struct strvec *sv, const char *s)
{
	char *last;

	strvec_push(sv, s);
	last = sv->v[sv->n - 1];
	memmove(sv->v + 1, sv->v, (sv->n - 1) * sizeof *sv->v);
	sv->v[0] = last;
}

/* op_cgo_tool: the flags (CFlags and pkg-config's), then the cgo tool. */
static int op_cgo_tool(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct work_cgo *c = a->cgo;
	struct load_pkg *p = a->p;
	struct cflags f = {0};
	struct op *op;

	if (cgo_cflags(b, p, &f, e) < 0)
		goto fail;
	c->not_internal = not_internal(&f);
	if (b->o.instrument && strcmp(b->o.instrument, "race") != 0) {
		/* -msan/-asan: cgo's C code is built and linked with the sanitizer */
		char *fl = xasprintf("-fsanitize=%s", strcmp(b->o.instrument, "msan") == 0 ? "memory" : "address");
		strvec_prepend(&f.c, fl);
		strvec_prepend(&f.ld, fl);
		free(fl);
	}
	push_all(&f.cpp, &c->pc_cflags);
	push_all(&f.ld, &c->pc_ldflags);
	if (p->m_files.n > 0)
		strvec_push(&f.ld, "-lobjc");
	if (p->f_files.n > 0) {
		/* many Fortran compilers: gfortran's library out of the box,
		 * others take theirs from $CGO_LDFLAGS */
		const char *fc = cfg_getenv(b->cfg, "FC");
		if (!fc || !fc[0])
			fc = "gfortran";
		if (strstr(fc, "gfortran"))
			strvec_push(&f.ld, "-lgfortran");
	}
	strvec_push(&f.cpp, "-I");
	strvec_push(&f.cpp, a->objdir);
	strvec_push_take(&c->gofiles, xasprintf("%s_cgo_gotypes.go", a->objdir));
	for (size_t i = 0; i < p->cgo_files.n; i++) {
		const char *base = strrchr(p->cgo_files.v[i], '/');
		size_t n;
		base = base ? base + 1 : p->cgo_files.v[i];
		n = strlen(base);
		if (n >= 3 && strcmp(base + n - 3, ".go") == 0)
			n -= 3;
		strvec_push_take(&c->gofiles, xasprintf("%s%.*s.cgo1.go", a->objdir, (int)n, base));
	}
	op = work_add_proc(a, p->dir, p->import_path);
	push_all(&op->argv, &b->o.toolexec);
	strvec_push_take(&op->argv, path_join(b->cfg->tc.tooldir, "cgo"));
	strvec_push(&op->argv, "-objdir");
	strvec_push(&op->argv, a->objdir);
	strvec_push(&op->argv, "-importpath");
	strvec_push(&op->argv, p->import_path);
	if (p->standard && strcmp(p->import_path, "runtime/cgo") == 0)
		strvec_push(&op->argv, "-import_runtime_cgo=false");
	if (p->standard && (strcmp(p->import_path, "runtime/race") == 0 || strcmp(p->import_path, "runtime/msan") == 0 ||
	                    strcmp(p->import_path, "runtime/cgo") == 0 || strcmp(p->import_path, "runtime/asan") == 0))
		strvec_push(&op->argv, "-import_syscall=false");
	if (b->c_header)
		/* c-archive, c-shared: a header for C code that calls //export'ed functions */
		strvec_push_take(&op->argv, xasprintf("-exportheader=%s_cgo_install.h", a->objdir));
	strvec_push(&op->env, "TERM=dumb");
	push_all(&op->env, &b->changed_env);
	if (f.ld.n > 0) {
		/* the flags travel on the command line, quoted; cgo must not add
		 * $CGO_LDFLAGS again */
		struct buf l = BUF_INIT;
		buf_adds(&l, "-ldflags=");
		for (size_t i = 0; i < f.ld.n; i++) {
			if (i)
				buf_addch(&l, ' ');
			quoted_go_string(&l, f.ld.v[i], strlen(f.ld.v[i]));
		}
		strvec_push_take(&op->argv, buf_detach(&l));
		strvec_push(&op->env, "CGO_LDFLAGS=");
	}
	strvec_push(&op->argv, "--");
	push_all(&op->argv, &f.cpp);
	push_all(&op->argv, &f.c);
	for (size_t i = 0; i < p->cgo_files.n; i++)
		strvec_push_take(&op->argv, mk_abs(p->dir, p->cgo_files.v[i]));
	push_all(&c->cflags, &f.cpp);
	push_all(&c->cflags, &f.c);
	push_all(&c->cxxflags, &f.cpp);
	push_all(&c->cxxflags, &f.cxx);
	push_all(&c->fflags, &f.cpp);
	push_all(&c->fflags, &f.f);
	push_all(&c->ldflags, &f.ld);
	cflags_release(&f);
	return 0;
fail:
	cflags_release(&f);
	return -1;
}

/* op_cc_argv lays out a cgo compile's command when it runs (its compiler
 * probes print at that point under -n, as go's do) and adds the step. */
static int op_cc(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct work_cgo *c = a->cgo;
	struct load_pkg *p = a->p;
	unsigned char aid[32];
	struct op *op;
	char *desc, *dir = NULL;

	if (a->cgo_compiler == CGO_GAS) {
		/* exec.go gas: Go assembly has no business in a cgo package */
		char *path = path_join(p->dir, a->cgo_file);
		struct buf data = BUF_INIT;
		struct err re = ERR_INIT;
		bool goasm = false;
		if (os_read_file(path, &data, 0, &re) == 0) {
			const char *s = buf_cstr(&data);
			goasm = has_prefix(s, "TEXT") || strstr(s, "\nTEXT") || has_prefix(s, "DATA") ||
			        strstr(s, "\nDATA") || has_prefix(s, "GLOBL") || strstr(s, "\nGLOBL");
		}
		err_clear(&re);
		buf_release(&data);
		free(path);
		if (goasm)
			return err_setf(e, "package using cgo has Go assembly file %s", a->cgo_file);
	}
	desc = xasprintf("cgo compile %s", a->cgo_file);
	work_hash_subkey(c->build->aid_sum, desc, aid);
	free(desc);
	if (a->cgo_compiler == CGO_GXX || a->cgo_compiler == CGO_GFORTRAN) {
		/* gxx: GxxCmd and the C++ flags; gfortran: gfortranCmd and the
		 * Fortran flags */
		bool cxx = a->cgo_compiler == CGO_GXX;
		struct strvec exe = {0};
		if ((cxx ? cxx_exe(b, &exe, e) : fc_exe(b, &exe, e)) < 0) {
			strvec_clear(&exe);
			return -1;
		}
		op = work_add_proc(a, "", "");
		ccompile_argv(b, &exe, p, a->objdir, a->target, cxx ? &c->cxxflags : &c->fflags, a->cgo_file, aid,
		              &op->argv, &dir);
		strvec_clear(&exe);
	} else {
		op = work_add_proc(a, "", "");
		ccompile_argv(b, cc_exe(b), p, a->objdir, a->target, &c->cflags, a->cgo_file, aid, &op->argv, &dir);
	}
	free(op->dir);
	op->dir = dir;
	strvec_push(&op->env, "TERM=dumb");
	return 0;
}

static int op_cc_done(struct work_builder *b, struct work_action *a, struct err *e)
{
	(void)b;
	(void)e;
	free(a->built);
	a->built = xstrdup(a->target);
	return 0;
}

int work_cgo_start(struct work_builder *b, struct work_action *a, struct err *e)
{
	if (a->mode == A_CGORUN)
		return start_run(b, a, e);
	if (a->mode == A_CGOCC && !a->cgo->hit) {
		work_add_func(a, op_cc);
		work_add_func(a, op_cc_done);
	}
	return 0;
}

/* ---- the build action's part (processCgoOutputs, dynimport) ------------- */

static int op_cgo_ld(struct work_builder *b, struct work_action *a, struct err *e);
static int op_cgo_dynimport(struct work_builder *b, struct work_action *a, struct err *e);
static int op_cgo_check(struct work_builder *b, struct work_action *a, struct err *e);

/* op_cgo_main: preferlinkext, then _cgo_main.c compiled (dynimport). */
static int op_cgo_main(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct work_cgo *c = a->cgo;
	struct op *op;
	char *cfile, *ofile, *dir = NULL;

	if (c->hdr_only)
		return 0; /* the build itself is cached: cgo ran for the header */
	if (c->not_internal) {
		/* a token the linker reads: link this program externally */
		char *tok = xasprintf("%spreferlinkext", a->objdir);
		if (work_write_file(b, tok, "", 0, e) < 0) {
			free(tok);
			return -1;
		}
		strvec_push_take(&c->objects, tok);
	}
	for (size_t i = 0; i < c->compiles.n; i++)
		strvec_push(&c->objects, c->compiles.v[i]->target);
	cfile = xasprintf("%s_cgo_main.c", a->objdir);
	ofile = xasprintf("%s_cgo_main.o", a->objdir);
	op = work_add_proc(a, "", "");
	ccompile_argv(b, cc_exe(b), a->p, a->objdir, ofile, &c->cflags, cfile, a->aid_sum, &op->argv, &dir);
	free(op->dir);
	op->dir = dir;
	strvec_push(&op->env, "TERM=dumb");
	free(cfile);
	free(ofile);
	work_add_func(a, op_cgo_ld);
	return 0;
}

/* gather_syso collects the .syso files of a1 and everything it depends on. */
static void gather_syso(struct work_builder *b, struct work_action *a1, struct map *seen, struct strvec *out)
{
	const char *key = arena_printf(b->a, "%p", (void *)a1);

	if (map_has(seen, key))
		return;
	map_put(seen, key, (void *)1);
	if (a1->p)
		for (size_t i = 0; i < a1->p->syso_files.n; i++)
			strvec_push_take(out, mk_abs(a1->p->dir, a1->p->syso_files.v[i]));
	for (size_t i = 0; i < a1->deps.n; i++)
		gather_syso(b, a1->deps.v[i], seen, out);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* op_cgo_ld: link _cgo_.o (gccld), to learn what the objects import. */
static int op_cgo_ld(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct work_cgo *c = a->cgo;
	struct strvec syso = {0}, cxx = {0};
	struct map seen;
	struct op *op;

	/* gccld: GxxCmd when the package has C++ files */
	if (has_cxx(a->p) && cxx_exe(b, &cxx, e) < 0) {
		strvec_clear(&cxx);
		return -1;
	}
	map_init(&seen);
	gather_syso(b, a, &seen, &syso);
	map_release(&seen);
	if (syso.n > 1)
		qsort(syso.v, syso.n, sizeof *syso.v, cmp_str);
	op = work_add_proc(a, b->o.cwd, "");
	compiler_cmd(b, has_cxx(a->p) ? &cxx : cc_exe(b), a->p->dir, a->objdir, &op->argv);
	strvec_clear(&cxx);
	strvec_push(&op->argv, "-o");
	strvec_push_take(&op->argv, xasprintf("%s_cgo_.o", a->objdir));
	strvec_push_take(&op->argv, xasprintf("%s_cgo_main.o", a->objdir));
	push_all(&op->argv, &c->objects);
	for (size_t i = 0; i < syso.n; i++)
		if (i == 0 || strcmp(syso.v[i], syso.v[i - 1]) != 0)
			strvec_push(&op->argv, syso.v[i]);
	{
		/* linux/arm and android want -pie for accurate imports, and
		 * -static -pie does not link (dynimport) */
		const char *goos = b->cfg->ctx.goos, *goarch = b->cfg->ctx.goarch;
		struct strvec ld = {0};
		bool has_nopie = false, has_pie = false, has_static = false;
		push_all(&ld, &c->ldflags);
		if ((strcmp(goarch, "arm") == 0 && strcmp(goos, "linux") == 0) || strcmp(goos, "android") == 0) {
			for (size_t i = 0; i < ld.n; i++)
				has_nopie = has_nopie || strcmp(ld.v[i], "-no-pie") == 0;
			if (!has_nopie)
				strvec_push(&ld, "-pie");
			for (size_t i = 0; i < ld.n; i++) {
				has_pie = has_pie || strcmp(ld.v[i], "-pie") == 0;
				has_static = has_static || strcmp(ld.v[i], "-static") == 0;
			}
			if (has_pie && has_static) {
				size_t w = 0;
				for (size_t i = 0; i < ld.n; i++) {
					if (strcmp(ld.v[i], "-static") == 0) {
						free(ld.v[i]);
						continue;
					}
					ld.v[w++] = ld.v[i];
				}
				ld.n = w;
			}
		}
		push_all(&op->argv, &ld);
		strvec_clear(&ld);
	}
	strvec_push(&op->env, "TERM=dumb");
	op->may_fail = true;
	strvec_clear(&syso);
	work_add_func(a, op_cgo_dynimport);
	return 0;
}

/* op_cgo_dynimport: report the _cgo_.o link, then cgo -dynimport, or the
 * dynimportfail token when the link failed. */
static int op_cgo_dynimport(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct work_cgo *c = a->cgo;
	struct op *ld = &a->ops.v[a->op_i - 2];
	struct load_pkg *p = a->p;
	bool ok = b->o.n || a->last_status == 0;
	struct op *op;

	if (b->o.n || b->o.x) {
		struct buf s = BUF_INIT;
		work_join_unambiguously(&s, ld->argv.v, ld->argv.n);
		buf_printf(&s, " # test for internal linking errors (%s)", ok ? "succeeded" : "failed");
		work_show_cmd(b, "", buf_cstr(&s));
		buf_release(&s);
	}
	if (!ok) {
		/* cmd/link looks for this name: link externally */
		char *fail = xasprintf("%sdynimportfail", a->objdir);
		if (work_write_file(b, fail, "", 0, e) < 0) {
			free(fail);
			return -1;
		}
		strvec_push_take(&c->objects, fail);
		work_add_func(a, op_cgo_check);
		return 0;
	}
	c->dyn_ok = true;
	op = work_add_proc(a, b->o.cwd, p->import_path);
	push_all(&op->argv, &b->o.toolexec);
	strvec_push_take(&op->argv, path_join(b->cfg->tc.tooldir, "cgo"));
	strvec_push(&op->argv, "-dynpackage");
	strvec_push(&op->argv, p->name);
	strvec_push(&op->argv, "-dynimport");
	strvec_push_take(&op->argv, xasprintf("%s_cgo_.o", a->objdir));
	strvec_push(&op->argv, "-dynout");
	strvec_push_take(&op->argv, xasprintf("%s_cgo_import.go", a->objdir));
	if (p->standard && strcmp(p->import_path, "runtime/cgo") == 0)
		strvec_push(&op->argv, "-dynlinker");
	strvec_push(&op->env, "TERM=dumb");
	work_add_func(a, op_cgo_check);
	return 0;
}

/* ldflag_lines collects the //go:cgo_ldflag values of a file as go reads
 * them (processCgoOutputs): the first // comment of a line, trimmed, quotes
 * stripped. */
static void ldflag_lines(const char *src, size_t n, struct strvec *flags)
{
	static const char tag[] = "//go:cgo_ldflag";
	const size_t tl = sizeof tag - 1;
	const char *s = src, *end = src + n;

	for (;;) {
		const char *idx = NULL, *start, *eol, *cs;
		for (const char *q = s; q + tl <= end; q++)
			if (memcmp(q, tag, tl) == 0) {
				idx = q;
				break;
			}
		if (!idx)
			break;
		start = idx;
		while (start > s && start[-1] != '\n')
			start--;
		/* go takes LastIndex of "\n" before idx: the newline itself */
		if (start > s)
			start--;
		eol = memchr(idx, '\n', (size_t)(end - idx));
		if (!eol)
			eol = end;
		cs = NULL;
		for (const char *q = start; q + 1 < end; q++)
			if (q[0] == '/' && q[1] == '/') {
				cs = q;
				break;
			}
		if (cs && (size_t)(end - cs) >= tl && memcmp(cs, tag, tl) == 0) {
			const char *f = idx + tl, *fe = eol;
			while (f < fe && (*f == ' ' || *f == '\t' || *f == '\n' || *f == '\r' || *f == '\v' || *f == '\f'))
				f++;
			while (fe > f && (fe[-1] == ' ' || fe[-1] == '\t' || fe[-1] == '\n' || fe[-1] == '\r' ||
			                  fe[-1] == '\v' || fe[-1] == '\f'))
				fe--;
			while (f < fe && *f == '"')
				f++;
			while (fe > f && fe[-1] == '"')
				fe--;
			strvec_push_take(flags, xstrndup(f, (size_t)(fe - f)));
		}
		s = eol;
	}
}

/* op_cgo_check: the //go:cgo_ldflag backstop, then the package's compile. */
static int op_cgo_check(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct work_cgo *c = a->cgo;
	struct strvec files = {0}, flags = {0};
	int rc = -1;

	push_all(&files, &c->gofiles);
	if (c->dyn_ok)
		strvec_push_take(&files, xasprintf("%s_cgo_import.go", a->objdir));
	if (!b->o.n) {
		for (size_t i = 0; i < files.n; i++) {
			const char *base = strrchr(files.v[i], '/');
			struct buf src = BUF_INIT;
			base = base ? base + 1 : files.v[i];
			if (!has_prefix(base, "_cgo_"))
				continue;
			if (os_read_file(files.v[i], &src, 0, e) < 0) {
				buf_release(&src);
				goto out;
			}
			ldflag_lines(src.data, src.len, &flags);
			buf_release(&src);
		}
		/* cgo's own LDFLAGS, passed with -ldflags, appear once in order */
		if (c->ldflags.n > 0 && flags.n >= c->ldflags.n) {
			for (size_t i = 0; i + c->ldflags.n <= flags.n; i++) {
				size_t j = 0;
				while (j < c->ldflags.n && strcmp(flags.v[i + j], c->ldflags.v[j]) == 0)
					j++;
				if (j < c->ldflags.n)
					continue;
				for (size_t k = i; k < i + j; k++)
					free(flags.v[k]);
				memmove(&flags.v[i], &flags.v[i + j], (flags.n - i - j) * sizeof *flags.v);
				flags.n -= j;
				break;
			}
		}
		{
			const char *ak = cfg_getenv(b->cfg, "CGO_LDFLAGS_ALLOW"), *dk = cfg_getenv(b->cfg, "CGO_LDFLAGS_DISALLOW");
			struct work_flag_env fe = {ak, dk, b->o.regexp};
			if (work_check_linker_flags("LDFLAGS", "go:cgo_ldflag", (const char *const *)flags.v, flags.n, &fe, e) <
			    0)
				goto out;
		}
	}
	strvec_clear(&c->gofiles);
	push_all(&c->gofiles, &files);
	work_cgo_cache_srcfiles(b, a);
	if (b->c_header)
		work_cgo_cache_header(b, a);
	/* vet only wants the files (buildVetConfig): no compile */
	rc = a->vet_only || c->vet_files_only ? 0 : work_build_compile_ops(b, a, e);
out:
	strvec_clear(&files);
	strvec_clear(&flags);
	return rc;
}

void work_cgo_build_ops(struct work_builder *b, struct work_action *a)
{
	(void)b;
	work_add_func(a, op_cgo_main);
}

int work_cgo_link_compiler(struct work_builder *b, const struct work_action *a, struct strvec *out, struct err *e)
{
	/* the link's dependencies are every package of the program */
	bool cxx = a->main_build && has_cxx(a->main_build->p);

	for (size_t i = 0; i < a->deps.n && !cxx; i++)
		cxx = has_cxx(a->deps.v[i]->p);
	if (cxx)
		return cxx_exe(b, out, e);
	push_all(out, cc_exe(b));
	return 0;
}

/* ---- gccSupportsFlag answers kept in the build cache --------------------- */

/*
 * Go keeps each probe's answer in its build cache under the compiler's id
 * (gccCompilerID: the compiler's version line, validated by the stat of its
 * executable), so a later run asks the compiler nothing.  gotool's key is
 * the probe's whole command line (so $CGO_CFLAGS and $CGO_LDFLAGS are part
 * of it) and the identity of the executable it runs: path, device, inode,
 * size, mtime and ctime.  An upgraded or replaced compiler is a new key.
 */
bool work_gcc_probe_key(const char *const *argv, size_t n, unsigned char key[32])
{
	struct hash_sha256 h;
	struct stat st;
	char *exe, *line;

	if (n == 0)
		return false;
	exe = strchr(argv[0], '/') ? xstrdup(argv[0]) : proc_lookpath(argv[0]);
	if (!exe || stat(exe, &st) < 0) {
		free(exe);
		return false;
	}
	hash_sha256_init(&h);
	line = xasprintf("gotool gccSupportsFlag 1\n%s\n%llu %llu %lld %lld.%09ld %lld.%09ld\n", exe,
	                 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino, (long long)st.st_size,
	                 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
	                 st.st_ctim.tv_nsec);
	hash_sha256_write(&h, line, strlen(line));
	free(line);
	free(exe);
	for (size_t i = 0; i < n; i++)
		hash_sha256_write(&h, argv[i], strlen(argv[i]) + 1);
	hash_sha256_sum(&h, key);
	return true;
}

int work_gcc_probe_get(struct work_cache *c, const unsigned char key[32])
{
	struct work_cache_entry en = {0};
	struct buf data = BUF_INIT;
	struct err e = ERR_INIT;
	int rc = -1;

	if (c && work_cache_get(c, key, &en, &e) > 0 && os_read_file(en.path, &data, 16, &e) == 0) {
		if (strcmp(buf_cstr(&data), "true") == 0)
			rc = 1;
		else if (strcmp(buf_cstr(&data), "false") == 0)
			rc = 0;
	}
	work_cache_entry_release(&en);
	buf_release(&data);
	err_clear(&e);
	return rc;
}

void work_gcc_probe_put(struct work_cache *c, const unsigned char key[32], bool ok)
{
	struct err e = ERR_INIT;

	if (c)
		work_cache_put_bytes(c, key, ok ? "true" : "false", ok ? 4 : 5, NULL, &e);
	err_clear(&e);
}
