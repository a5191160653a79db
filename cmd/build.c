/*
 * gotool build, install and run (cmd/go/internal/work/build.go runBuild,
 * runInstall; cmd/go/internal/run/run.go).  This file only turns the
 * command line into packages and targets; work/ plans and runs the build.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/internal.h"
#include "embed/embed.h"
#include "link/link.h"
#include "work/work.h"

/* B_TOOL: go tool NAME for a tool a main module declares (buildAndRunModtool):
 * built like go run, run as go tool runs a tool */
enum bcmd { B_BUILD, B_INSTALL, B_RUN, B_TOOL };

/* cmd_embed_hook resolves embed patterns for the loader (load_opts.embed). */
int cmd_embed_hook(void *ctx, struct arena *a, const char *dir, const char *const *patterns,
                       size_t n, struct load_strs *files, size_t *bad, const char **msg)
{
	struct embed_result r;
	struct err e = ERR_INIT;

	(void)ctx;
	if (embed_resolve(a, dir, NULL, patterns, n, &r, bad, &e) < 0) {
		*msg = arena_strdup(a, err_msg(&e));
		err_clear(&e);
		return -1;
	}
	for (size_t i = 0; i < r.files.n; i++)
		load_strs_push(a, files, r.files.v[i]);
	return 0;
}

static const struct command *cmd_of(enum bcmd k)
{
	return k == B_BUILD ? &cmd_build_cmd : k == B_INSTALL ? &cmd_install_cmd : k == B_TOOL ? &cmd_tool_cmd : &cmd_run_cmd;
}

/* add_perpkg replays every occurrence of a per-package flag. */
static int add_perpkg(struct link_perpkg_flags *f, const char *name, const struct strvec *all,
                      const char *cwd, struct err *e)
{
	for (size_t i = 0; i < all->n; i++)
		if (link_perpkg_flags_add(f, all->v[i], cwd, e) < 0)
			return err_wrapf(e, "invalid value \"%s\" for flag -%s", all->v[i], name);
	return 0;
}

void build_list_stale(struct cfg *cfg, struct load_state *ld, const struct build_flags *bf,
                      struct load_pkg **pkgs, size_t n)
{
	struct link_perpkg_flags gcf, asmf, ldf;
	struct work_build_opts wo = {0};
	struct work_builder *b = NULL;
	struct strvec toolexec = {0};
	struct err e = ERR_INIT;
	char *cwd = getcwd(NULL, 0);
	size_t added = 0;

	link_perpkg_flags_init(&gcf);
	link_perpkg_flags_init(&asmf);
	link_perpkg_flags_init(&ldf);
	/* the flags were checked when the build flags were parsed; a bad one
	 * here leaves the packages as they are */
	if (!cwd || add_perpkg(&gcf, "gcflags", &bf->gcflags_all, cwd, &e) < 0 ||
	    add_perpkg(&asmf, "asmflags", &bf->asmflags_all, cwd, &e) < 0 ||
	    add_perpkg(&ldf, "ldflags", &bf->ldflags_all, cwd, &e) < 0 ||
	    (bf->toolexec && bf->toolexec[0] && quoted_split(bf->toolexec, &toolexec, &e) < 0))
		goto out;
	wo.regexp = &cmd_regexp_ops;
	wo.a = bf->a;
	wo.x = bf->x;
	wo.trimpath = bf->trimpath;
	wo.toolexec = toolexec;
	wo.gcflags = &gcf;
	wo.asmflags = &asmf;
	wo.ldflags = &ldf;
	wo.buildmode = bf->buildmode && bf->buildmode[0] ? bf->buildmode : "default";
	wo.buildvcs = bf->buildvcs && bf->buildvcs[0] ? bf->buildvcs : "auto";
	wo.installsuffix = bf->installsuffix;
	wo.clean_goexperiment = cfg->goexperiment;
	wo.link_mains = true;
	wo.cwd = cwd;
	wo.cmd_name = "list";
	wo.list = true;
	if (work_builder_new(cfg, ld, &wo, &b, &e) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct load_pkg *p = pkgs[i];
		if (p->error || (p->for_test && p->for_test[0]) || p->go_files.n + p->cgo_files.n == 0)
			continue;
		if (strcmp(p->name, "main") == 0 && p->target && p->target[0])
			work_add_install(b, p, p->target);
		else
			work_add_build(b, p);
		added++;
	}
	if (added)
		work_run(b);
out:
	/* go list prints no build errors; what could not be checked stays as loaded */
	err_clear(&e);
	work_builder_free(b);
	strvec_clear(&toolexec);
	link_perpkg_flags_release(&gcf);
	link_perpkg_flags_release(&asmf);
	link_perpkg_flags_release(&ldf);
	free(cwd);
}

/* outside_module_mode reports whether go install or go run builds
 * pkg@version outside the current module (runInstall's test;
 * run.shouldUseOutsideModuleMode). */
static bool outside_module_mode(enum bcmd kind, int argc, char **argv)
{
	if (kind == B_INSTALL) {
		for (int i = 0; i < argc; i++)
			if (strchr(argv[i], '@') && !load_pattern_is_local(argv[i]) && !path_is_abs(argv[i]))
				return true;
		return false;
	}
	return kind == B_RUN && argc > 0 && !has_suffix(argv[0], ".go") && argv[0][0] != '-' &&
	       strchr(argv[0], '@') && !load_pattern_is_local(argv[0]) && !path_is_abs(argv[0]);
}

/* is_go_file reports whether a run argument names a .go file. */
static bool is_go_file(const char *s)
{
	return has_suffix(s, ".go");
}

static volatile pid_t run_child;

/* forward_signal passes a signal sent to gotool with kill(2) on to the
 * program.  A signal from the terminal (^C) already reaches the program,
 * which shares gotool's process group, so it is not sent twice. */
static void forward_signal(int sig, siginfo_t *info, void *uctx)
{
	(void)uctx;
	if (run_child > 0 && info && (info->si_code == SI_USER || info->si_code == SI_QUEUE))
		kill(run_child, sig);
}

/* run_program runs the built binary with stdin/stdout/stderr passed
 * through and SIGINT/SIGTERM/SIGQUIT/SIGHUP forwarded; returns its exit
 * status (base.RunStdin, with the program's status kept) and reports a
 * failure as go does ("exit status N"). */
static int run_program(char *const *argv, const char *goroot, const char *tool)
{
	pid_t pid;
	int st = 0;
	struct sigaction fw = {0}, old[4];
	const int sigs[4] = {SIGINT, SIGTERM, SIGQUIT, SIGHUP};
	char *path = getenv("PATH") ? xasprintf("%s/bin:%s", goroot, getenv("PATH")) : xasprintf("%s/bin", goroot);

	fflush(stdout);
	fflush(stderr);
	fw.sa_sigaction = forward_signal;
	sigemptyset(&fw.sa_mask);
	fw.sa_flags = SA_RESTART | SA_SIGINFO;
	for (int i = 0; i < 4; i++)
		sigaction(sigs[i], &fw, &old[i]);
	pid = fork();
	if (pid < 0) {
		base_errorf("fork: %s", os_errstr(errno));
		free(path);
		return 1;
	}
	if (pid == 0) {
		for (int i = 0; i < 4; i++)
			sigaction(sigs[i], &old[i], NULL);
		setenv("PATH", path, 1);
		execv(argv[0], argv);
		fprintf(stderr, "fork/exec %s: %s\n", argv[0], os_errstr(errno));
		_exit(127);
	}
	run_child = pid;
	free(path);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	run_child = 0;
	for (int i = 0; i < 4; i++)
		sigaction(sigs[i], &old[i], NULL);
	if (WIFEXITED(st)) {
		/* go tool (runBuiltTool) says nothing of a clean exit */
		if (WEXITSTATUS(st) != 0 && !tool)
			fprintf(stderr, "exit status %d\n", WEXITSTATUS(st));
		return WEXITSTATUS(st);
	}
	if (WIFSIGNALED(st)) {
		struct buf m = BUF_INIT;
		proc_status_string(&m, st); /* "signal: terminated", Go's names */
		if (tool) {
			/* runBuiltTool: ExitCode() is -1, which SetExitStatus
			 * ignores, so go exits 0 */
			fprintf(stderr, "%s tool %s: %s\n", prog_name, tool, buf_cstr(&m));
			buf_release(&m);
			return 0;
		}
		fprintf(stderr, "%s\n", buf_cstr(&m));
		buf_release(&m);
		return 128 + WTERMSIG(st);
	}
	return 1;
}

/* the name go tool was given (B_TOOL), for its messages */
static const char *tool_name;

const char *cmd_linkmode_hook(void *ctx, const struct load_pkg *p)
{
	const struct link_perpkg_flags *ldf = ctx;
	const struct strvec *v;
	struct link_pkg lp = {0};

	if (!ldf)
		return NULL;
	lp.import_path = p->import_path;
	lp.dir = p->dir;
	lp.cmdline = p->cmdline_pkg || p->cmdline_files;
	lp.standard = p->standard;
	lp.modules_enabled = true;
	lp.in_main_module = p->module && p->module->main;
	v = link_perpkg_flags_for(ldf, &lp);
	/* externalLinkingReason: the last -linkmode wins */
	for (size_t i = v ? v->n : 0; i > 0; i--) {
		const char *a = v->v[i - 1], *next = i < v->n ? v->v[i] : NULL;
		if (strcmp(a, "-linkmode=external") == 0 || (strcmp(a, "-linkmode") == 0 && next && strcmp(next, "external") == 0))
			return a[9] == '=' ? "-linkmode=external" : "-linkmode";
		if (strcmp(a, "-linkmode=internal") == 0 || (strcmp(a, "-linkmode") == 0 && next && strcmp(next, "internal") == 0))
			return NULL;
	}
	return NULL;
}

const char *cmd_cgo_unsupported(const struct load_pkg *p)
{
	if (p->swig_files.n || p->swigcxx_files.n)
		return "SWIG is not supported yet by gotool";
	return NULL;
}

const char *cmd_cgo_vet_unsupported(struct load_state *ld, struct load_pkg *ptest, struct load_pkg *pxtest, bool vet,
                                    bool cover)
{
	struct load_pkg *roots[2];
	struct load_pkgs all = {0};
	const char *why = NULL;
	size_t n = 0;

	if (ptest)
		roots[n++] = ptest;
	if (pxtest)
		roots[n++] = pxtest;
	if (cover && ptest && ptest->cgo_files.n)
		return "-cover of a package that uses cgo is not supported yet by gotool";
	if (!vet)
		return NULL;
	load_package_list_deps(ld, roots, n, &all);
	for (size_t i = 0; i < all.n && !why; i++)
		if (all.v[i]->swig_files.n || all.v[i]->swigcxx_files.n)
			why = arena_printf(load_arena(ld),
			                   "vet of packages that use SWIG is not supported yet by gotool (%s uses SWIG); "
			                   "use -vet=off",
			                   all.v[i]->import_path);
	VEC_FREE(&all);
	return why;
}

/*
 * c_buildmode_supported is internal/platform.BuildModeSupported (go1.26)
 * for c-archive and c-shared: 1 if go builds the mode for goos/goarch, 0 if
 * go refuses it.  -1: go builds it, gotool does not yet (targets other than
 * ELF ones, whose library names and linker runs differ).
 */
static int c_buildmode_supported(const char *mode, const char *goos, const char *goarch)
{
	/* go's list has armbe and arm64be too, which are no known GOARCH */
	static const char *const carchive_linux[] = {"386", "amd64", "arm", "arm64", "loong64", "ppc64le",
	                                             "riscv64", "s390x"};
	static const char *const cshared[] = {
		"linux/amd64", "linux/arm", "linux/arm64", "linux/loong64", "linux/386", "linux/ppc64le",
		"linux/riscv64", "linux/s390x", "android/amd64", "android/arm", "android/arm64", "android/386",
		"freebsd/amd64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/386", "windows/arm64",
		"wasip1/wasm"};
	bool elf = strcmp(goos, "linux") == 0 || strcmp(goos, "freebsd") == 0;
	bool go_ok = false;

	if (strcmp(mode, "c-archive") == 0) {
		if (strcmp(goos, "aix") == 0 || strcmp(goos, "darwin") == 0 || strcmp(goos, "ios") == 0 ||
		    strcmp(goos, "windows") == 0)
			go_ok = true;
		else if (strcmp(goos, "linux") == 0) {
			for (size_t i = 0; i < countof(carchive_linux); i++)
				if (strcmp(goarch, carchive_linux[i]) == 0)
					go_ok = true;
		} else if (strcmp(goos, "freebsd") == 0)
			go_ok = strcmp(goarch, "amd64") == 0;
	} else {
		char *pl = xasprintf("%s/%s", goos, goarch);
		for (size_t i = 0; i < countof(cshared); i++)
			if (strcmp(pl, cshared[i]) == 0)
				go_ok = true;
		free(pl);
	}
	if (!go_ok)
		return 0;
	return elf ? 1 : -1;
}

static int run_build_like(enum bcmd kind, int argc, char **argv)
{
	struct build_flags bf = {0};
	char *out_flag = NULL, *exec_flag = NULL;
	struct flag_def defs[64];
	size_t ndefs = 0;
	struct cfg cfg;
	struct err e = ERR_INIT;
	struct load_state *ld = NULL;
	struct load_pkgs roots = {0}, all = {0};
	struct load_opts opts = {.no_doc = true};
	struct link_perpkg_flags gcf, asmf, ldf;
	struct work_build_opts wo = {0};
	const char *instrument = NULL; /* -race/-msan/-asan mode */
	struct work_builder *b = NULL;
	struct strvec toolexec = {0};
	char *cwd = NULL, *run_exe = NULL;
	char **run_args = NULL;
	int nrun_args = 0;
	int idx, rc = 1;
	bool modfile_flag;

	link_perpkg_flags_init(&gcf);
	link_perpkg_flags_init(&asmf);
	link_perpkg_flags_init(&ldf);
	memset(&cfg, 0, sizeof cfg);
	if (kind == B_BUILD) {
		struct flag_def o = {"o", FLAG_STRING, &out_flag, NULL, "", false};
		defs[ndefs++] = o;
	}
	if (kind == B_RUN) {
		struct flag_def x = {"exec", FLAG_STRING, &exec_flag, NULL, "", false};
		defs[ndefs++] = x;
	}
	ndefs += build_flags_defs(&bf, defs + ndefs, countof(defs) - ndefs);
	if (cfg_load(&cfg, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		goto out;
	}
	/* go tool has only the module flags, which its caller passes on */
	if (kind != B_TOOL && cfg.goflags && cfg.goflags[0] && flag_apply_goflags(defs, ndefs, cfg.goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		cmd_usage_exit(cmd_of(kind));
	}
	idx = flag_parse(defs, ndefs, argc - 1, argv + 1, &e);
	if (idx == FLAG_HELP)
		cmd_usage_exit(cmd_of(kind));
	if (idx < 0) {
		fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(cmd_of(kind));
	}
	argc -= 1 + idx;
	argv += 1 + idx;
	if (bf.tags)
		cfg_set_tags(&cfg, bf.tags);
	if (cfg.experiment_err) {
		fprintf(stderr, "%s: %s\n", prog_name, cfg.experiment_err);
		goto out;
	}
	{
		/* what gotool cannot build yet is refused, never ignored */
		const char *bad = NULL;
		if (bf.cover || (bf.covermode && bf.covermode[0]) || (bf.coverpkg && bf.coverpkg[0]))
			bad = "-cover";
		else if (bf.linkshared)
			bad = "-linkshared";
		else if (bf.overlay && bf.overlay[0])
			bad = "-overlay";
		else if (bf.compiler && strcmp(bf.compiler, "gccgo") == 0)
			bad = "-compiler=gccgo";
		else if (bf.pkgdir && bf.pkgdir[0])
			bad = "-pkgdir";
		else if (bf.debug_actiongraph && bf.debug_actiongraph[0])
			bad = "-debug-actiongraph";
		else if (bf.debug_trace && bf.debug_trace[0])
			bad = "-debug-trace";
		else if (bf.debug_runtime_trace && bf.debug_runtime_trace[0])
			bad = "-debug-runtime-trace";
		else if (exec_flag && exec_flag[0])
			bad = "-exec";
		if (!bad && bf.buildmode && bf.buildmode[0] && strcmp(bf.buildmode, "default") != 0 &&
		    strcmp(bf.buildmode, "exe") != 0 && strcmp(bf.buildmode, "pie") != 0 &&
		    strcmp(bf.buildmode, "archive") != 0 &&
		    !(kind == B_BUILD && (strcmp(bf.buildmode, "c-archive") == 0 || strcmp(bf.buildmode, "c-shared") == 0))) {
			/* c-archive and c-shared: build only (install and run would
			 * need go's ExeSuffix in the install targets) */
			base_errorf("-buildmode=%s not supported yet", bf.buildmode);
			goto out;
		}
		if (bad) {
			base_errorf("%s not supported yet", bad);
			goto out;
		}
	}
	instrument = cmd_instrument_init(&cfg, &bf);
	if (bf.buildmode && (strcmp(bf.buildmode, "c-archive") == 0 || strcmp(bf.buildmode, "c-shared") == 0)) {
		/* buildModeInit's platform.BuildModeSupported check */
		const char *goos = cfg.ctx.goos, *goarch = cfg.ctx.goarch;
		int ok = c_buildmode_supported(bf.buildmode, goos, goarch);
		if (ok == 0) {
			fprintf(stderr, "-buildmode=%s not supported on %s/%s\n", bf.buildmode, goos, goarch);
			base_set_exit_status(1);
			goto out;
		}
		if (ok < 0) {
			base_errorf("-buildmode=%s for %s/%s not supported yet", bf.buildmode, goos, goarch);
			goto out;
		}
	}
	if (bf.p < 0 || (bf.p == 0 && 0)) {
		base_errorf("-p must be a positive integer: %d", bf.p);
		goto out;
	}
	if (bf.buildvcs && bf.buildvcs[0] && strcmp(bf.buildvcs, "true") != 0 && strcmp(bf.buildvcs, "false") != 0 &&
	    strcmp(bf.buildvcs, "auto") != 0) {
		fprintf(stderr, "invalid value \"%s\" for flag -buildvcs: value is not 'true', 'false', or 'auto'\n",
		        bf.buildvcs);
		cmd_usage_exit(cmd_of(kind));
	}
	cwd = getcwd(NULL, 0);
	if (!cwd) {
		base_errorf("getwd: %s", os_errstr(errno));
		goto out;
	}
	if (add_perpkg(&gcf, "gcflags", &bf.gcflags_all, cwd, &e) < 0 ||
	    add_perpkg(&asmf, "asmflags", &bf.asmflags_all, cwd, &e) < 0 ||
	    add_perpkg(&ldf, "ldflags", &bf.ldflags_all, cwd, &e) < 0) {
		fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(cmd_of(kind));
	}
	if (bf.toolexec && bf.toolexec[0] && quoted_split(bf.toolexec, &toolexec, &e) < 0) {
		fprintf(stderr, "%s: -toolexec: %s\n", prog_name, err_msg(&e));
		goto out;
	}

	modfile_flag = bf.modfile && bf.modfile[0] && !cmd_in_goflags(cfg.goflags, "modfile");
	if (outside_module_mode(kind, argc, argv) && !modfile_flag) {
		/* installOutsideModule / go run pkg@version: the named module as
		 * the only requirement of an empty main module; not built yet */
		base_errorf("%s %s: packages at a version outside the current module (pkg@version) are not supported yet",
		            kind == B_RUN ? "run" : "install", argv[0]);
		goto out;
	}
	if (modfile_flag && outside_module_mode(kind, argc, argv)) {
		/* modload.Init with RootMode NoRoot (installOutsideModule, go run
		 * cmd@version) */
		base_errorf("-modfile cannot be used with commands that ignore the current module");
		goto out;
	}
	if (kind == B_TOOL) {
		/* the tool's package, then its arguments */
		run_args = argv + 1;
		nrun_args = argc - 1;
		argc = 1;
	} else if (kind == B_RUN) {
		/* go run: the .go files up to the first non-.go argument, or one package */
		int i = 0;
		while (i < argc && is_go_file(argv[i]))
			i++;
		if (i == 0) {
			if (argc == 0) {
				fprintf(stderr, "%s: no go files listed\n", prog_name);
				goto out;
			}
			i = 1;
		}
		run_args = argv + i;
		nrun_args = argc - i;
		argc = i;
	}

	opts.instrument_pkg = instrument ? cmd_instrument_pkg(instrument) : NULL;
	opts.mod_flag = bf.mod;
	opts.modfile = bf.modfile;
	cfg.modcache_rw = bf.modcacherw;
	opts.embed = cmd_embed_hook;
	opts.linkmode = cmd_linkmode_hook;
	opts.linkmode_ctx = &ldf;
	if (load_state_new(&cfg, &opts, &ld, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		goto out;
	}
	if (load_packages_resolving(&ld, &cfg, &opts, argv, (size_t)argc, &roots, &e) < 0) {
		if (load_error_bare(ld))
			fprintf(stderr, "%s\n", err_msg(&e));
		else
			fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		goto out;
	}
	load_apply_pgo(ld, &roots, bf.pgo && bf.pgo[0] ? bf.pgo : "auto");
	for (size_t i = 0; i < roots.n; i++)
		roots.v[i]->cmdline_pkg = true;
	load_package_list_deps(ld, roots.v, roots.n, &all);
	if (bf.pgo && bf.pgo[0] && strcmp(bf.pgo, "auto") != 0 && strcmp(bf.pgo, "off") != 0) {
		/* setPGOProfilePath: a profile named on the command line applies
		 * to every package, as an absolute path */
		char *abs = path_is_abs(bf.pgo) ? path_clean(bf.pgo) : path_join(cwd, bf.pgo);
		const char *f = arena_strdup(load_arena(ld), abs);
		free(abs);
		for (size_t i = 0; i < all.n; i++)
			all.v[i]->pgo_profile = f;
	}
	{
		/* load.CheckPackageErrors */
		bool any = false;
		for (size_t i = 0; i < all.n; i++)
			if (all.v[i]->error) {
				fflush(stdout);
				fprintf(stderr, "%s\n", load_error_text(load_arena(ld), all.v[i]->error));
				any = true;
			}
		if (any) {
			base_set_exit_status(1);
			goto out;
		}
	}
	{
		/* omitTestOnly: a package with no Go files that only a wildcard
		 * matched (tests only, or all files excluded) is not built */
		size_t w = 0;
		for (size_t i = 0; i < roots.n; i++) {
			struct load_pkg *p = roots.v[i];
			bool literal = p->cmdline_files;
			for (size_t j = 0; j < p->match.n && !literal; j++)
				literal = !load_pattern_is_meta(p->match.v[j]) && !strstr(p->match.v[j], "...");
			if (p->go_files.n + p->cgo_files.n == 0 && !literal)
				continue;
			roots.v[w++] = p;
		}
		roots.n = w;
	}

	for (size_t i = 0; i < all.n; i++) {
		/* refused before anything runs: the parts of cgo gotool cannot drive yet */
		const char *why = cmd_cgo_unsupported(all.v[i]);
		if (why) {
			base_errorf("%s: %s", all.v[i]->import_path, why);
			goto out;
		}
	}
	wo.regexp = &cmd_regexp_ops;
	wo.a = bf.a;
	wo.n = bf.n;
	wo.x = bf.x;
	wo.v = bf.v;
	wo.work = bf.work;
	wo.trimpath = bf.trimpath;
	wo.p = bf.p;
	wo.toolexec = toolexec;
	wo.gcflags = &gcf;
	wo.asmflags = &asmf;
	wo.ldflags = &ldf;
	wo.buildmode = bf.buildmode && bf.buildmode[0] ? bf.buildmode : "default";
	wo.buildvcs = bf.buildvcs && bf.buildvcs[0] ? bf.buildvcs : "auto";
	wo.installsuffix = bf.installsuffix;
	wo.clean_goexperiment = cfg.goexperiment;
	wo.omit_debug = kind == B_RUN || kind == B_TOOL;
	wo.link_mains = true;
	wo.cwd = cwd;
	wo.cmd_name = kind == B_BUILD ? "build" : kind == B_INSTALL ? "install" : kind == B_TOOL ? "tool" : "run";
	wo.instrument = instrument;

	if (kind == B_RUN || kind == B_TOOL) {
		struct load_pkg *p;
		if (roots.n != 1) {
			fprintf(stderr, "%s: run: pattern %s matches multiple packages\n", prog_name, argv[0]);
			goto out;
		}
		p = roots.v[0];
		if (strcmp(p->name, "main") != 0) {
			fprintf(stderr, "package %s is not a main package\n", p->import_path);
			base_set_exit_status(1);
			goto out;
		}
		wo.exe_name = load_default_exec_name(ld, p);
		wo.buildvcs = bf.buildvcs && bf.buildvcs[0] ? bf.buildvcs : "false";
		if (work_builder_new(&cfg, ld, &wo, &b, &e) < 0) {
			fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
			goto out;
		}
		work_add_link(b, p, &run_exe);
		rc = work_run(b);
		if (rc != 0)
			goto out;
		{
			struct strvec av = {0};
			strvec_push(&av, run_exe);
			for (int i = 0; i < nrun_args; i++)
				strvec_push(&av, run_args[i]);
			strvec_null_terminate(&av);
			if (bf.n || bf.x) {
				struct buf c = BUF_INIT;
				for (size_t i = 0; i < av.n; i++) {
					if (i)
						buf_addch(&c, ' ');
					buf_adds(&c, av.v[i]);
				}
				fprintf(stderr, "%s\n", buf_cstr(&c));
				buf_release(&c);
			}
			rc = bf.n ? 0 : run_program(av.v, cfg.tc.goroot, kind == B_TOOL ? tool_name : NULL);
			strvec_clear(&av);
		}
		goto out;
	}

	if (work_builder_new(&cfg, ld, &wo, &b, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		goto out;
	}
	if (kind == B_INSTALL) {
		for (size_t i = 0; i < roots.n; i++) {
			struct load_pkg *p = roots.v[i];
			if (strcmp(p->name, "main") == 0) {
				if (!p->target || !p->target[0]) {
					if (cfg_getenv(&cfg, "GOBIN") && cfg_getenv(&cfg, "GOBIN")[0])
						base_errorf("cannot install cross-compiled binaries when GOBIN is set");
					else
						base_errorf("no install location for %s", p->import_path);
					goto out;
				}
				work_add_install(b, p, p->target);
			} else {
				work_add_build(b, p);
			}
		}
		rc = work_run(b);
		goto out;
	}

	/* go build */
	{
		const char *o = out_flag;
		bool explicit_o = o && o[0];
		char *def = NULL;
		size_t nmain = 0;
		struct stat st;
		if (roots.n == 1 && strcmp(roots.v[0]->name, "main") == 0 && !explicit_o) {
			def = xasprintf("%s%s", load_default_exec_name(ld, roots.v[0]), work_exe_suffix(b));
			o = def;
		}
		{
			/* pkgsFilter of the build mode (buildModeInit) */
			const char *bm = wo.buildmode;
			size_t w = 0;
			if (strcmp(bm, "exe") == 0 && explicit_o &&
			    (roots.n != 1 || strcmp(roots.v[0]->name, "main") != 0)) {
				/* base.Fatalf with no program prefix, as go prints it */
				fprintf(stderr, "-buildmode=exe requires exactly one main package\n");
				base_set_exit_status(1);
				free(def);
				goto out;
			}
			if ((strcmp(bm, "c-archive") == 0 || strcmp(bm, "c-shared") == 0) &&
			    (roots.n != 1 || strcmp(roots.v[0]->name, "main") != 0)) {
				/* oneMainPkg: base.Fatalf, no program prefix */
				fprintf(stderr, "-buildmode=%s requires exactly one main package\n", bm);
				base_set_exit_status(1);
				free(def);
				goto out;
			}
			for (size_t i = 0; i < roots.n; i++) {
				bool ismain = strcmp(roots.v[i]->name, "main") == 0;
				if ((strcmp(bm, "archive") == 0 && ismain) || (strcmp(bm, "exe") == 0 && !ismain))
					continue;
				roots.v[w++] = roots.v[i];
			}
			roots.n = w;
		}
		if (o && strcmp(o, "/dev/null") == 0)
			o = NULL;
		if (o && o[0]) {
			if ((stat(o, &st) == 0 && S_ISDIR(st.st_mode)) || has_suffix(o, "/")) {
				if (!explicit_o) {
					base_errorf("build output \"%s\" already exists and is a directory", o);
					free(def);
					goto out;
				}
				for (size_t i = 0; i < roots.n; i++) {
					struct load_pkg *p = roots.v[i];
					char *t;
					if (strcmp(p->name, "main") != 0)
						continue;
					t = xasprintf("%s%s", load_default_exec_name(ld, p), work_exe_suffix(b));
					{
						char *full = path_join(o, t);
						work_add_install(b, p, full);
						free(full);
					}
					free(t);
					nmain++;
				}
				if (nmain == 0) {
					base_errorf("no main packages to build");
					free(def);
					goto out;
				}
			} else {
				if (roots.n > 1) {
					base_errorf("cannot write multiple packages to non-directory %s", o);
					free(def);
					goto out;
				}
				if (roots.n == 0) {
					fprintf(stderr, "no packages to build\n");
					base_set_exit_status(1);
					free(def);
					goto out;
				}
				work_add_install(b, roots.v[0], o);
			}
		} else {
			for (size_t i = 0; i < roots.n; i++) {
				struct load_pkg *p = roots.v[i];
				if (strcmp(p->name, "main") == 0 && strcmp(wo.buildmode, "archive") != 0) {
					char *exe = NULL;
					work_add_link(b, p, &exe);
					free(exe);
				} else {
					work_add_build(b, p);
				}
			}
		}
		free(def);
		rc = work_run(b);
	}
out:
	if (b) {
		work_builder_free(b);
		b = NULL;
	}
	if (rc == 0 && base_exit_status() != 0)
		rc = base_exit_status();
	if (rc != 0 && kind != B_RUN && kind != B_TOOL)
		rc = rc ? 1 : 0;
	free(run_exe);
	VEC_FREE(&roots);
	VEC_FREE(&all);
	load_state_free(ld);
	cfg_release(&cfg);
	link_perpkg_flags_release(&gcf);
	link_perpkg_flags_release(&asmf);
	link_perpkg_flags_release(&ldf);
	strvec_clear(&toolexec);
	build_flags_release(&bf);
	free(out_flag);
	free(exec_flag);
	free(cwd);
	err_clear(&e);
	if (rc == 1 && base_exit_status() == 0)
		base_set_exit_status(1);
	return rc;
}

static int run_build(int argc, char **argv)
{
	return run_build_like(B_BUILD, argc, argv);
}

static int run_install(int argc, char **argv)
{
	return run_build_like(B_INSTALL, argc, argv);
}

static int run_run(int argc, char **argv)
{
	return run_build_like(B_RUN, argc, argv);
}

int cmd_run_mod_tool(const char *name, const char *tool, const char *modfile, bool modcacherw, int argc,
                     char **argv)
{
	struct strvec av = {0};
	int rc;

	strvec_push(&av, "tool");
	if (modfile && *modfile) {
		char *f = xasprintf("-modfile=%s", modfile);
		strvec_push(&av, f);
		free(f);
	}
	if (modcacherw)
		strvec_push(&av, "-modcacherw");
	strvec_push(&av, tool);
	for (int i = 0; i < argc; i++)
		strvec_push(&av, argv[i]);
	strvec_null_terminate(&av);
	tool_name = name;
	rc = run_build_like(B_TOOL, (int)av.n, av.v);
	tool_name = NULL;
	strvec_clear(&av);
	return rc;
}

const struct command cmd_build_cmd = {
	"build", "compile packages and dependencies",
	"build [-o output] [build flags] [packages]",
	"Build compiles the packages named by the import paths, along with their\n"
	"dependencies, by driving the Go distribution's own compile, asm and link\n"
	"tools, and produces the same files go build produces. With one main\n"
	"package it writes the executable; with several packages it builds them\n"
	"and keeps nothing, unless -o names a directory to write the executables\n"
	"into.\n"
	"\n"
	"The build flags are go's: -a -n -p -v -x -work -trimpath -asmflags -gcflags\n"
	"-ldflags -tags -toolexec -buildmode (default, exe, pie, archive, c-archive,\n"
	"c-shared) -buildvcs -race -msan -asan -mod -pgo=off. Flags gotool does not\n"
	"implement yet (-cover, -overlay, -linkshared, other build modes,\n"
	"PGO profiles, and packages with SWIG) are refused\n"
	"with an error.\n",
	run_build,
};

const struct command cmd_install_cmd = {
	"install", "compile and install packages and dependencies",
	"install [build flags] [packages]",
	"Install compiles and installs the packages named by the import paths.\n"
	"Executables go to $GOBIN, or $GOPATH/bin (the first GOPATH entry, default\n"
	"~/go/bin); when cross-compiling, to $GOPATH/bin/$GOOS_$GOARCH.\n"
	"Library packages are built but not installed, as in module mode.\n",
	run_install,
};

const struct command cmd_run_cmd = {
	"run", "compile and run Go program",
	"run [build flags] [-exec xprog] package [arguments...]",
	"Run compiles and runs the named main Go package, or the .go files named\n"
	"on the command line. Standard input, output and error are passed through,\n"
	"and gotool exits with the program's exit status (reporting a non-zero\n"
	"status as go does: \"exit status N\").\n",
	run_run,
};
