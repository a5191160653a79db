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

const struct command *const cmd_work_subs[] = {
	&work_edit_cmd,
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
