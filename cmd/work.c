/*
 * `gotool work`: the dispatch of its subcommands (a table: add a row per
 * subcommand) and `work edit` (workcmd/edit.go, go1.26).  The editing
 * flags are parsed and applied by mod.c's shared code; the go.work
 * editing itself is modload/modedit.c.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/internal.h"
#include "modload/modload.h"


static const struct command work_edit_cmd;

static int run_work_edit(int argc, char **argv)
{
	bool fmt = false, json = false, print = false;
	char *go = NULL, *toolchain = NULL, *gowork = NULL, *sp = NULL;
	void *st = cmd_edit_state_new(true);
	struct err e = ERR_INIT;
	struct cfg c;
	struct mod_edit *f = NULL;
	struct buf out = BUF_INIT, data = BUF_INIT;
	int rc, first;
	struct flag_def defs[] = {
		{"fmt", FLAG_BOOL, &fmt, NULL, "", false},
		{"go", FLAG_STRING, &go, NULL, "", false},
		{"toolchain", FLAG_STRING, &toolchain, NULL, "", false},
		{"json", FLAG_BOOL, &json, NULL, "", false},
		{"print", FLAG_BOOL, &print, NULL, "", false},
		{"godebug", FLAG_FUNC, st, cmd_edit_set_flag, "", false},
		{"dropgodebug", FLAG_FUNC, st, cmd_edit_set_flag, "", false},
		{"use", FLAG_FUNC, st, cmd_edit_set_flag, "", false},
		{"dropuse", FLAG_FUNC, st, cmd_edit_set_flag, "", false},
		{"replace", FLAG_FUNC, st, cmd_edit_set_flag, "", false},
		{"dropreplace", FLAG_FUNC, st, cmd_edit_set_flag, "", false},
		{"C", FLAG_FUNC, NULL, cmd_chdir_not_first, "", false},
	};

	if ((rc = cmd_load_cfg(&c)) != 0) {
		cmd_edit_state_free(st);
		return rc;
	}
	first = flag_parse(defs, countof(defs), argc - 1, argv + 1, &e);
	if (first < 0) {
		if (first != FLAG_HELP)
			fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(&work_edit_cmd);
	}
	argc -= 1 + first;
	argv += 1 + first;
	if (json && print)
		base_fatalf("cannot use both -json and -print");
	if (argc > 1)
		base_fatalf("'%s help work edit' accepts at most one argument", prog_name);
	if (argc == 1) {
		gowork = xstrdup(argv[0]);
	} else {
		/* modload.InitWorkfile: GOWORK, else go.work from the current directory up */
		const char *env = cfg_getenv(&c, "GOWORK");
		if (env != NULL && env[0] != '\0') {
			if (strcmp(env, "off") != 0)
				gowork = path_is_abs(env) ? path_clean(env) : NULL;
			if (strcmp(env, "off") != 0 && gowork == NULL)
				base_fatalf("invalid GOWORK: not an absolute path");
		} else {
			char *wd = os_getwd();
			gowork = wd ? mod_find_gowork_goroot(wd, c.tc.goroot) : NULL;
			free(wd);
		}
	}
	if (gowork == NULL)
		base_fatalf("no go.work file found\n\t(run '%s work init' first or specify path using GOWORK environment variable)",
			    prog_name);
	if (go && go[0] && strcmp(go, "none") != 0 && !mod_go_version_ok(go)) {
		fflush(stdout);
		fprintf(stderr, "%s work: invalid -go option; expecting something like \"-go %s\"\n", prog_name, c.tc.gover);
		base_exit(1);
	}
	if (toolchain && toolchain[0] && strcmp(toolchain, "none") != 0 && !mod_toolchain_ok(toolchain)) {
		fflush(stdout);
		fprintf(stderr, "%s work: invalid -toolchain option; expecting something like \"-toolchain go%s\"\n",
			prog_name, c.tc.gover);
		base_exit(1);
	}
	if (!((go && go[0]) || (toolchain && toolchain[0]) || json || print || fmt || cmd_edit_state_len(st) > 0))
		base_fatalf("no flags specified (see '%s help work edit').", prog_name);
	/* modload.ReadWorkFile: errors name the short path */
	sp = cmd_short_path(gowork);
	if (os_read_file(sp, &data, 0, &e) < 0)
		base_fatalf("errors parsing %s:\nreading go.work: %s", sp, err_msg(&e));
	if (mod_edit_parse(sp, buf_cstr(&data), data.len, true, &f, &e) < 0)
		base_fatalf("errors parsing %s:\nerrors parsing go.work:\n%s", sp, err_msg(&e));
	if (go && strcmp(go, "none") == 0)
		mod_edit_drop_go(f);
	else if (go && go[0] && mod_edit_add_go(f, go, &e) < 0)
		base_fatalf("internal error: %s", err_msg(&e));
	if (toolchain && strcmp(toolchain, "none") == 0)
		mod_edit_drop_toolchain(f);
	else if (toolchain && toolchain[0] && mod_edit_add_toolchain(f, toolchain, &e) < 0)
		base_fatalf("internal error: %s", err_msg(&e));
	cmd_edit_apply(f, st);
	mod_edit_sort_blocks(f);
	mod_edit_cleanup(f);
	if (json) {
		cmd_edit_print_json(f);
		goto done;
	}
	mod_edit_format(f, &out);
	if (print) {
		fwrite(buf_cstr(&out), 1, out.len, stdout);
		goto done;
	}
	/* modload.WriteWorkFile sorts and cleans again, then writes */
	mod_edit_sort_blocks(f);
	mod_edit_cleanup(f);
	buf_reset(&out);
	mod_edit_format(f, &out);
	if (os_write_file_atomic(gowork, buf_cstr(&out), out.len, 0666, &e) < 0)
		base_fatalf("%s", err_msg(&e));
done:
	rc = 0;
	buf_release(&out);
	buf_release(&data);
	mod_edit_free(f);
	free(go);
	free(toolchain);
	free(gowork);
	free(sp);
	cmd_edit_state_free(st);
	cfg_release(&c);
	return rc;
}

static const struct command work_edit_cmd = {
	"work edit", "edit go.work from tools or scripts", "work edit [editing flags] [go.work]",
	"Edit provides a command-line interface for editing go.work,\n"
	"for use primarily by tools or scripts. It only reads go.work;\n"
	"it does not look up information about the modules involved.\n"
	"If no file is specified, Edit looks for a go.work file in the current\n"
	"directory and its parent directories.\n"
	"\n"
	"The editing flags are those of 'go work edit': -fmt, -godebug,\n"
	"-dropgodebug, -use, -dropuse, -replace, -dropreplace, -go and\n"
	"-toolchain; -print prints the result and -json prints it as JSON\n"
	"instead of writing go.work. The output is byte for byte that of go.\n",
	run_work_edit,
};


/* ---- work init ---------------------------------------------------------------------- */

/* rel_to is filepath.Rel(base, target) for clean absolute paths (heap). */
static char *rel_to(const char *base, const char *target)
{
	size_t i = 0, common = 0;
	struct buf b = BUF_INIT;
	while (base[i] && target[i] && base[i] == target[i]) {
		i++;
		if ((base[i] == '/' || base[i] == '\0') && (target[i] == '/' || target[i] == '\0'))
			common = i;
	}
	if (strcmp(base, "/") == 0)
		common = 0;
	if (base[common] == '\0' && target[common] == '\0')
		return xstrdup(".");
	for (const char *q = base + common; *q; q++)
		if (*q == '/' && q[1] != '\0')
			buf_adds(&b, b.len ? "/.." : "..");
	const char *rest = target[common] == '/' ? target + common + 1 : target + common;
	if (*rest) {
		if (b.len)
			buf_addch(&b, '/');
		buf_adds(&b, rest);
	}
	char *r = xstrdup(buf_cstr(&b));
	buf_release(&b);
	return r;
}

/* path_rel mirrors workcmd's pathRel: the absolute directory and the form to write (heap). */
static void path_rel(const char *work_dir, const char *cwd, const char *dir, char **abs, char **canon)
{
	if (path_is_abs(dir)) {
		*abs = path_clean(dir);
		*canon = xstrdup(*abs);
		return;
	}
	*abs = path_join(cwd, dir);
	char *rel = rel_to(work_dir, *abs);
	if (mod_is_directory_path(rel)) {
		*canon = rel;
		return;
	}
	char *c = path_clean(rel);
	*canon = xasprintf("./%s", c);
	free(c);
	free(rel);
}

static const struct command work_init_cmd;

static int run_work_init(int argc, char **argv)
{
	struct err e = ERR_INIT;
	struct cfg c;
	char *cwd = NULL, *gowork = NULL, *work_dir = NULL, *modfile = NULL;
	bool modcacherw = false, failed = false;
	struct strvec keep_abs = {0}, keep_dir = {0}, late = {0};
	struct mod_edit *f = NULL;
	struct buf out = BUF_INIT;
	int rc, first;
	struct flag_def defs[] = {
		{"C", FLAG_FUNC, NULL, cmd_chdir_not_first, "", false},
		{"modcacherw", FLAG_BOOL, &modcacherw, NULL, "", false},
		{"modfile", FLAG_STRING, &modfile, NULL, "", false},
	};

	if ((rc = cmd_load_cfg(&c)) != 0)
		return rc;
	if (flag_apply_goflags(defs, countof(defs), c.goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		cmd_usage_exit(&work_init_cmd);
	}
	first = flag_parse(defs, countof(defs), argc - 1, argv + 1, &e);
	if (first < 0) {
		if (first != FLAG_HELP)
			fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(&work_init_cmd);
	}
	argc -= 1 + first;
	argv += 1 + first;
	cwd = os_getwd();
	if (cwd == NULL)
		base_fatalf("cannot determine current directory");
	{
		/* modload.FindGoWork: GOWORK, else go.work from here up */
		const char *env = cfg_getenv(&c, "GOWORK");
		if (env != NULL && env[0] != '\0') {
			if (strcmp(env, "off") != 0) {
				if (!path_is_abs(env))
					base_fatalf("invalid GOWORK: not an absolute path");
				gowork = path_clean(env);
			}
		} else {
			gowork = mod_find_gowork_goroot(cwd, c.tc.goroot);
		}
	}
	if (gowork == NULL)
		gowork = path_join(cwd, "go.work");
	if (os_exists(gowork))
		base_fatalf("%s already exists", gowork);
	work_dir = path_dir(gowork);

	f = mod_edit_new(true);
	if (mod_edit_add_go(f, c.tc.gover, &e) < 0)
		base_fatalf("%s", err_msg(&e));
	/* workUse's lookDir for each argument, in order */
	for (int i = 0; i < argc; i++) {
		char *abs = NULL, *dir = NULL, *gomod = NULL, *sp = NULL;
		path_rel(work_dir, cwd, argv[i], &abs, &dir);
		sp = cmd_short_path(abs);
		if (!os_exists(abs)) {
			strvec_push_take(&late, xasprintf("directory %s does not exist", sp));
		} else if (!os_is_dir(abs)) {
			strvec_push_take(&late, xasprintf("%s is not a directory", sp));
		} else {
			gomod = path_join(abs, "go.mod");
			size_t k;
			for (k = 0; k < keep_abs.n; k++)
				if (strcmp(keep_abs.v[k], abs) == 0)
					break;
			if (!os_exists(gomod)) {
				if (k == keep_abs.n) {
					strvec_push(&keep_abs, abs);
					strvec_push(&keep_dir, "");
				} else {
					free(keep_dir.v[k]);
					keep_dir.v[k] = xstrdup("");
				}
			} else if (k < keep_abs.n) {
				if (keep_dir.v[k][0] != '\0' && strcmp(keep_dir.v[k], dir) != 0) {
					fflush(stdout);
					fprintf(stderr, "%s: already added \"%s\" as \"%s\"\n", prog_name, dir, keep_dir.v[k]);
					failed = true;
				}
				free(keep_dir.v[k]);
				keep_dir.v[k] = xstrdup(dir);
			} else {
				strvec_push(&keep_abs, abs);
				strvec_push(&keep_dir, dir);
			}
		}
		free(abs);
		free(dir);
		free(gomod);
		free(sp);
	}
	for (size_t i = 0; i < late.n; i++) {
		fflush(stdout);
		fprintf(stderr, "%s: %s\n", prog_name, late.v[i]);
		failed = true;
	}
	if (failed) {
		rc = 1;
		goto out;
	}
	for (size_t k = 0; k < keep_dir.n; k++)
		if (keep_dir.v[k][0] != '\0')
			mod_edit_add_use(f, keep_dir.v[k], "");
	/* the modules' go versions may not exceed the toolchain's (gotool cannot switch toolchains) */
	for (size_t i = 0; i < f->uses.n; i++) {
		char *abs = path_is_abs(f->uses.v[i]->path) ? path_clean(f->uses.v[i]->path)
							    : path_join(work_dir, f->uses.v[i]->path);
		char *gomod = path_join(abs, "go.mod");
		struct buf data = BUF_INIT;
		struct arena a;
		struct mod_file *mf = NULL;
		arena_init(&a);
		if (os_read_file(gomod, &data, 0, &e) == 0 &&
		    mod_file_parse(&a, gomod, buf_cstr(&data), data.len, true, &mf, &e) == 0 && mf->go != NULL) {
			char *v1 = xasprintf("v%s", mf->go), *v2 = xasprintf("v%s", c.tc.gover);
			if (mod_semver_compare(v1, v2) > 0) {
				fflush(stdout);
				fprintf(stderr, "%s: %s requires go >= %s (running go %s); gotool cannot switch toolchains\n",
					prog_name, gomod, mf->go, c.tc.gover);
				failed = true;
			}
			free(v1);
			free(v2);
		}
		err_clear(&e);
		arena_release(&a);
		buf_release(&data);
		free(gomod);
		free(abs);
	}
	if (failed) {
		rc = 1;
		goto out;
	}
	mod_edit_sort_blocks(f);
	mod_edit_cleanup(f);
	mod_edit_format(f, &out);
	if (os_write_file_atomic(gowork, buf_cstr(&out), out.len, 0666, &e) < 0)
		base_fatalf("%s", err_msg(&e));
	rc = 0;
out:
	buf_release(&out);
	mod_edit_free(f);
	strvec_clear(&keep_abs);
	strvec_clear(&keep_dir);
	strvec_clear(&late);
	free(cwd);
	free(gowork);
	free(work_dir);
	free(modfile);
	cfg_release(&c);
	return rc;
}

static const struct command work_init_cmd = {
	"work init", "initialize workspace file", "work init [moddirs]",
	"Init initializes and writes a new go.work file in the\n"
	"current directory, in effect creating a new workspace at the current\n"
	"directory.\n"
	"\n"
	"go work init optionally accepts paths to the workspace modules as\n"
	"arguments. If the argument is omitted, an empty workspace with no\n"
	"modules will be created.\n"
	"\n"
	"Each argument path is added to a use directive in the go.work file. The\n"
	"current go version will also be listed in the go.work file.\n",
	run_work_init,
};

const struct command *const cmd_work_subs[] = {
	&work_edit_cmd,
	&work_init_cmd,
};
const size_t cmd_work_nsubs = countof(cmd_work_subs);

static void work_usage(FILE *fp)
{
	fprintf(fp, "Work provides access to operations on workspaces.\n\n"
		    "Usage:\n\n\t%s work <command> [arguments]\n\nThe commands are:\n\n", prog_name);
	for (size_t i = 0; i < countof(cmd_work_subs); i++)
		fprintf(fp, "\t%-11s %s\n", cmd_work_subs[i]->name + 5, cmd_work_subs[i]->short_help);
	fprintf(fp, "\nUse \"%s help work <command>\" for more information about a command.\n\n", prog_name);
}

static int run_work(int argc, char **argv)
{
	return cmd_run_sub(cmd_work_subs, countof(cmd_work_subs), work_usage, argc, argv);
}

const struct command cmd_work_cmd = {
	"work", "workspace maintenance", "work <command> [arguments]",
	"Work runs the workspace commands gotool has: 'work edit'.\n"
	"Use \"gotool help work <command>\" for one of them.\n",
	run_work,
};
