/*
 * gotool generate (cmd/go/internal/generate/generate.go runGenerate,
 * go1.26): flags, the environment go gives generators, package loading
 * through the loader, then the generate room file by file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/internal.h"
#include "generate/generate.h"
#include "link/link.h"
#include "modload/modload.h"

extern char **environ;

/* orig_env is cfg.OrigEnv: the environment as gotool got it, less the
 * toolchain switch counter (toolchain.FilterEnv), before the `go env`
 * values are exported.  Heap strings. */
static void orig_env(struct strvec *out)
{
	for (char **e = environ; e && *e; e++)
		if (!has_prefix(*e, "GOTOOLCHAIN_INTERNAL_SWITCH_COUNT="))
			strvec_push(out, *e);
	strvec_null_terminate(out);
}

/*
 * export_env does what go does to its own environment before a command
 * runs, which $VAR expansion in directives sees: every `go env` value
 * (invoke's MkEnv loop), and the git settings of modload.Init.  gotool's
 * own GOTOOLCACHE, which go knows nothing of, is put back as it was.
 */
static void export_env(const struct cfg *cfg)
{
	const char *tc = getenv("GOTOOLCACHE");
	char *saved = tc ? xstrdup(tc) : NULL;
	const char *m = cfg_getenv(cfg, "GO111MODULE");

	cmd_env_export(cfg);
	if (saved)
		setenv("GOTOOLCACHE", saved, 1);
	else
		unsetenv("GOTOOLCACHE");
	free(saved);
	if (!m || strcmp(m, "off") != 0) {
		if (!getenv("GIT_TERMINAL_PROMPT") || !*getenv("GIT_TERMINAL_PROMPT"))
			setenv("GIT_TERMINAL_PROMPT", "0", 1);
		if (!getenv("GCM_INTERACTIVE") || !*getenv("GCM_INTERACTIVE"))
			setenv("GCM_INTERACTIVE", "never", 1);
	}
}

/* self_exe is os.Executable: what a directive's `go` runs (heap or NULL). */
static char *self_exe(void)
{
	char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);

	if (n <= 0 || (size_t)n >= sizeof buf - 1)
		return NULL;
	buf[n] = 0;
	return xstrdup(buf);
}

/* add_files appends dir/f for each f of l (heap paths). */
static void add_files(struct strvec *out, const char *dir, const struct load_strs *l)
{
	for (size_t i = 0; i < l->n; i++)
		strvec_push_take(out, path_join(dir, l->v[i]));
}

/* run_files runs the files of one list in order, up to the first that
 * fails (false).  A fatal error exits, as go's log.Fatalf does. */
static bool run_files(struct load_state *ld, const struct gen_config *gc, struct strvec *files)
{
	struct err e = ERR_INIT;

	strvec_sort(files); /* mkAbs sorts the absolute paths */
	for (size_t i = 0; i < files->n; i++) {
		enum gen_result r = gen_run_file(gc, files->v[i], load_short_path(ld, files->v[i]), &e);
		if (r == GEN_FATAL) {
			fflush(stdout);
			fprintf(stderr, "%s\n", err_msg(&e));
			base_exit(1);
		}
		if (r == GEN_STOP)
			return false;
	}
	return true;
}

static int run_generate(int argc, char **argv)
{
	struct build_flags bf = {0};
	char *run_flag = NULL, *skip_flag = NULL, *exe = NULL;
	struct flag_def all[64], defs[64];
	size_t nall, ndefs = 0;
	struct cfg cfg;
	struct err e = ERR_INIT;
	struct load_state *ld = NULL;
	struct load_pkgs roots = {0};
	struct load_opts opts = {0};
	struct strvec env0 = {0};
	struct gen_regexp *run_re = NULL, *skip_re = NULL;
	struct gen_config gc = {0};
	bool printed = false;
	int idx, rc = 1;

	memset(&cfg, 0, sizeof cfg);
	orig_env(&env0);
	{
		const struct flag_def own[] = {
			{"run", FLAG_STRING, &run_flag, NULL, "", false},
			{"skip", FLAG_STRING, &skip_flag, NULL, "", false},
		};
		memcpy(defs, own, sizeof own);
		ndefs = countof(own);
	}
	/* work.AddBuildFlags(CmdGenerate, OmitBuildOnlyFlags): the build
	 * flags without the coverage ones (AddCoverFlags is build/test's) */
	nall = build_flags_defs(&bf, all, countof(all));
	for (size_t i = 0; i < nall; i++)
		if (strcmp(all[i].name, "cover") != 0 && strcmp(all[i].name, "covermode") != 0 &&
		    strcmp(all[i].name, "coverpkg") != 0)
			defs[ndefs++] = all[i];
	if (cfg_load(&cfg, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		goto out;
	}
	if (cfg.experiment_err) {
		fprintf(stderr, "%s: %s\n", prog_name, cfg.experiment_err);
		goto out;
	}
	export_env(&cfg);
	if (cfg.goflags && cfg.goflags[0] && flag_apply_goflags(defs, ndefs, cfg.goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		cmd_usage_exit(&cmd_generate_cmd);
	}
	idx = flag_parse(defs, ndefs, argc - 1, argv + 1, &e);
	if (idx == FLAG_HELP)
		cmd_usage_exit(&cmd_generate_cmd);
	if (idx < 0) {
		fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(&cmd_generate_cmd);
	}
	argc -= 1 + idx;
	argv += 1 + idx;
	if (bf.buildvcs && bf.buildvcs[0] && strcmp(bf.buildvcs, "true") != 0 && strcmp(bf.buildvcs, "false") != 0 &&
	    strcmp(bf.buildvcs, "auto") != 0) {
		fprintf(stderr, "invalid value \"%s\" for flag -buildvcs: value is not 'true', 'false', or 'auto'\n",
		        bf.buildvcs);
		cmd_usage_exit(&cmd_generate_cmd);
	}
	{
		/* the per-package flags are checked as go's flag.Value checks them */
		char *cwd = getcwd(NULL, 0);
		const struct strvec *pp[] = {&bf.gcflags_all, &bf.asmflags_all, &bf.ldflags_all};
		const char *names[] = {"gcflags", "asmflags", "ldflags"};
		for (size_t k = 0; cwd && k < countof(pp); k++) {
			struct link_perpkg_flags f;
			link_perpkg_flags_init(&f);
			for (size_t i = 0; i < pp[k]->n; i++)
				if (link_perpkg_flags_add(&f, pp[k]->v[i], cwd, &e) < 0) {
					link_perpkg_flags_release(&f);
					fprintf(stderr, "invalid value \"%s\" for flag -%s: %s\n", pp[k]->v[i], names[k],
					        err_msg(&e));
					free(cwd);
					cmd_usage_exit(&cmd_generate_cmd);
				}
			link_perpkg_flags_release(&f);
		}
		free(cwd);
	}
	if (bf.overlay && bf.overlay[0]) {
		/* the loader reads no overlay: refused, never ignored */
		base_errorf("-overlay not supported yet");
		goto out;
	}

	/* log.Fatalf("generate: %s", err): no "go: " prefix */
	if (run_flag && run_flag[0] && gen_regexp_compile(run_flag, &run_re, &e) < 0) {
		fflush(stdout);
		fprintf(stderr, "generate: %s\n", err_msg(&e));
		base_exit(1);
	}
	if (skip_flag && skip_flag[0] && gen_regexp_compile(skip_flag, &skip_re, &e) < 0) {
		fflush(stdout);
		fprintf(stderr, "generate: %s\n", err_msg(&e));
		base_exit(1);
	}

	if (bf.tags)
		cfg_set_tags(&cfg, bf.tags);
	if (bf.compiler && bf.compiler[0]) {
		free(cfg.ctx.compiler);
		cfg.ctx.compiler = xstrdup(bf.compiler);
	}
	strvec_push(&cfg.ctx.build_tags, "generate");

	opts.find = true; /* load.PackageOpts{IgnoreImports: true} */
	opts.mod_flag = bf.mod;
	opts.modfile = bf.modfile;
	cfg.modcache_rw = bf.modcacherw;
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

	exe = self_exe();
	gc.goroot = cfg.tc.goroot;
	gc.goarch = cfg.ctx.goarch;
	gc.goos = cfg.ctx.goos;
	gc.self_exe = exe;
	gc.n = bf.n;
	gc.x = bf.x;
	gc.v = bf.v;
	gc.run = run_re;
	gc.skip = skip_re;
	gc.orig_env = env0.v;
	for (size_t i = 0; i < roots.n; i++) {
		struct load_pkg *p = roots.v[i];
		struct strvec files = {0};
		if (p->module && !p->module->main) {
			if (!printed) {
				fflush(stdout);
				fprintf(stderr, "%s: not generating in packages in dependency modules\n", prog_name);
				printed = true;
			}
			continue;
		}
		/* no Go file at all, ignored ones included: the package could
		 * not be found, and its error says why (base.Errorf, no prefix) */
		if (p->error && p->ignored_go_files.n + p->go_files.n + p->cgo_files.n + p->test_go_files.n +
		                        p->xtest_go_files.n == 0) {
			fflush(stdout);
			fprintf(stderr, "%s\n", load_error_text(load_arena(ld), p->error));
			base_set_exit_status(1);
		}
		add_files(&files, p->dir, &p->go_files);
		add_files(&files, p->dir, &p->cgo_files);
		add_files(&files, p->dir, &p->test_go_files);
		/* a failure stops this list only: go's loop over the external
		 * test files runs whatever the package files did */
		run_files(ld, &gc, &files);
		strvec_clear(&files);
		add_files(&files, p->dir, &p->xtest_go_files);
		run_files(ld, &gc, &files);
		strvec_clear(&files);
	}
	rc = 0;
out:
	if (base_exit_status() != 0)
		rc = base_exit_status();
	gen_regexp_free(run_re);
	gen_regexp_free(skip_re);
	VEC_FREE(&roots);
	load_state_free(ld);
	cfg_release(&cfg);
	build_flags_release(&bf);
	strvec_clear(&env0);
	free(run_flag);
	free(skip_flag);
	free(exe);
	err_clear(&e);
	if (rc != 0 && base_exit_status() == 0)
		base_set_exit_status(rc);
	return rc;
}

const struct command cmd_generate_cmd = {
	"generate", "generate Go files by processing source",
	"generate [-run regexp] [-n] [-v] [-x] [build flags] [file.go... | packages]",
	"Generate runs commands described by directives within existing files.\n"
	"Those commands can run any process, but the intent is to create or update\n"
	"Go source files. Generate is never run by build, test and the like: it\n"
	"must be run explicitly.\n"
	"\n"
	"A directive is a line of the form\n"
	"\n"
	"\t//go:generate command argument...\n"
	"\n"
	"starting in column 1 (no leading space, and no space in \"//go\") and\n"
	"followed by a space or a tab. The file is not parsed: a line that looks\n"
	"like a directive inside a comment or a raw string is a directive too.\n"
	"Files whose package clause does not parse are skipped.\n"
	"\n"
	"Arguments are separated by spaces or tabs; a double-quoted argument is a\n"
	"Go string literal and becomes one argument. Then, in every argument,\n"
	"$NAME and ${NAME} are expanded (quoted ones included). The directive's\n"
	"environment provides:\n"
	"\n"
	"\t$GOARCH     the target architecture\n"
	"\t$GOOS       the target operating system\n"
	"\t$GOFILE     the base name of the file\n"
	"\t$GOLINE     the line number of the directive\n"
	"\t$GOPACKAGE  the name of the file's package (p_test for an external test)\n"
	"\t$GOROOT     the GOROOT of the toolchain gotool drives\n"
	"\t$DOLLAR     a dollar sign\n"
	"\t$PATH       $PATH with $GOROOT/bin first\n"
	"\t$PWD        the package directory\n"
	"\n"
	"Any other name expands to the environment variable (after the go env\n"
	"settings), or to nothing.\n"
	"\n"
	"A directive of the form\n"
	"\n"
	"\t//go:generate -command xxx args...\n"
	"\n"
	"defines, for the rest of the file only, the alias xxx for the command\n"
	"made of args.\n"
	"\n"
	"The command is looked up first in $GOROOT/bin, then on $PATH; a command\n"
	"named go runs gotool itself, so '//go:generate go run ./gen' builds the\n"
	"generator with gotool. It runs in the package directory with stdin from\n"
	"/dev/null and stdout and stderr shared.\n"
	"\n"
	"Packages are processed in command-line order; a list of .go files names\n"
	"one package made of those files, build constraints notwithstanding.\n"
	"Within a package, the Go files (_test.go files included, then the\n"
	"external test files) are processed in file name order and the\n"
	"directives of a file in order. The build tag \"generate\" is set. A\n"
	"failing directive stops the package's files (the external test files,\n"
	"a list of their own, still run); generate goes on with the next package\n"
	"and exits with status 1.\n"
	"\n"
	"Flags:\n"
	"\n"
	"\t-run regexp\n"
	"\t\tonly run directives whose full line (less trailing spaces)\n"
	"\t\tmatches the Go regular expression.\n"
	"\t-skip regexp\n"
	"\t\tskip directives whose full line matches; -skip wins over -run.\n"
	"\t-n  print the commands that would run, run none.\n"
	"\t-v  print the names of the files as they are processed.\n"
	"\t-x  print the commands as they run.\n"
	"\n"
	"The build flags are accepted as go accepts them; -tags selects files.\n"
	"\n"
	"See 'gotool help packages' for package patterns.\n",
	run_generate,
};
