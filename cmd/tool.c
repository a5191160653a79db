/* `gotool tool`: run a tool of the toolchain (cmd/go/internal/tool, go1.26). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cmd/internal.h"
#include "modload/modload.h"

/* defined in cmd/env.c */
int cmd_load_cfg(struct cfg *c);
void cmd_env_export(const struct cfg *c);

/* valid_tool_name is base.ValidToolName: [a-z0-9_]*. */
static bool valid_tool_name(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

/* mod_tools loads the main modules (LoadModFile) and adds their tools,
 * sorted, to out; 0, or an exit status with go's error printed. */
static int mod_tools(struct cfg *c, const char *modfile, struct load_state **ld, struct load_strs *out)
{
	struct load_opts opts = {.no_doc = true};
	struct err e = ERR_INIT;

	opts.modfile = modfile;
	if (load_state_new(c, &opts, ld, &e) < 0) {
		fflush(stdout);
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		err_clear(&e);
		return 1;
	}
	load_tools(*ld, out);
	return 0;
}

/* list_tools mirrors listTools: the tool directory's names, sorted, then
 * the tools the main modules declare. */
static int list_tools(struct cfg *c, const char *modfile)
{
	struct strvec names = {0};
	struct err e = ERR_INIT;
	struct load_state *ld = NULL;
	struct load_strs tools = {0};
	int rc;

	if (os_readdir(c->tc.tooldir, &names, &e) < 0) {
		fprintf(stderr, "%s: no tool directory: %s\n", prog_name, err_msg(&e));
		err_clear(&e);
		return 2;
	}
	for (size_t i = 0; i < names.n; i++) {
		for (char *p = names.v[i]; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		printf("%s\n", names.v[i]);
	}
	strvec_clear(&names);
	rc = mod_tools(c, modfile, &ld, &tools);
	for (size_t i = 0; rc == 0 && i < tools.n; i++)
		printf("%s\n", tools.v[i]);
	load_state_free(ld);
	return rc;
}

/* find_mod_tool is loadModTool: the one tool of the main modules named
 * name (its path, or its executable's name).  0 with *tool (heap) or
 * NULL, or an exit status with go's error printed (an ambiguous name). */
static int find_mod_tool(struct cfg *c, const char *modfile, const char *name, char **tool)
{
	struct load_state *ld = NULL;
	struct load_strs tools = {0}, matches = {0};
	int rc;

	*tool = NULL;
	rc = mod_tools(c, modfile, &ld, &tools);
	for (size_t i = 0; rc == 0 && i < tools.n; i++)
		if (strcmp(tools.v[i], name) == 0 || strcmp(load_path_exec_name(ld, tools.v[i]), name) == 0)
			load_strs_push(load_arena(ld), &matches, tools.v[i]);
	if (rc == 0 && matches.n == 1)
		*tool = xstrdup(matches.v[0]);
	if (rc == 0 && matches.n > 1) {
		/* go lists them in map order; gotool sorted */
		fprintf(stderr, "%s: tool \"%s\" is ambiguous; choose one of:\n\t", prog_name, name);
		for (size_t i = 0; i < matches.n; i++)
			fprintf(stderr, "%s\n\t", matches.v[i]);
		fprintf(stderr, "\n");
		rc = 1;
	}
	load_state_free(ld);
	return rc;
}

/* dist_list mirrors impersonateDistList over the toolchain's target table;
 * returns -1 when the arguments are not ones it handles. */
static int dist_list(const struct cfg *c, int argc, char **argv)
{
	bool json = false, broken = false, verbose = false;
	struct flag_def defs[] = {
		{"json", FLAG_BOOL, &json, NULL, "", false},
		{"broken", FLAG_BOOL, &broken, NULL, "", false},
		{"v", FLAG_BOOL, &verbose, NULL, "", false},
	};
	const struct tc_target *t;
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	size_t n;
	int first = flag_parse(defs, countof(defs), argc, argv, &e);
	bool any = false;

	if (first < 0 || first != argc) {
		if (first < 0 && first != FLAG_HELP) {
			/* flag.ContinueOnError prints the error and the defaults */
			fprintf(stderr, "%s\nUsage of %s tool dist list:\n", err_msg(&e), prog_name);
			fprintf(stderr, "  -broken\n    \tinclude broken ports\n  -json\n    \tproduce JSON output\n"
					"  -v\temit extra information\n");
		}
		err_clear(&e);
		return -1;
	}
	if (tc_targets_error(&c->tc)) {
		fprintf(stderr, "%s: %s\n", prog_name, tc_targets_error(&c->tc));
		return 2;
	}
	n = tc_targets(&c->tc, &t);
	if (!json) {
		for (size_t i = 0; i < n; i++)
			if (broken || !t[i].broken)
				printf("%s/%s\n", t[i].goos, t[i].goarch);
		return 0;
	}
	/* json.MarshalIndent of []jsonResult, with no trailing newline */
	for (size_t i = 0; i < n; i++) {
		if (t[i].broken && !broken)
			continue;
		buf_adds(&b, any ? ",\n\t{\n\t\t\"GOOS\": " : "[\n\t{\n\t\t\"GOOS\": ");
		json_quote(&b, t[i].goos, strlen(t[i].goos));
		buf_adds(&b, ",\n\t\t\"GOARCH\": ");
		json_quote(&b, t[i].goarch, strlen(t[i].goarch));
		buf_printf(&b, ",\n\t\t\"CgoSupported\": %s,\n\t\t\"FirstClass\": %s", t[i].cgo_supported ? "true" : "false",
			   t[i].first_class ? "true" : "false");
		if (t[i].broken)
			buf_adds(&b, ",\n\t\t\"Broken\": true");
		buf_adds(&b, "\n\t}");
		any = true;
	}
	buf_adds(&b, any ? "\n]" : "null");
	fwrite(b.data, 1, b.len, stdout);
	buf_release(&b);
	return 0;
}

/* builtin_tool reports whether $GOROOT/src/cmd/NAME is a command go would
 * build on demand (loadBuiltinTool). */
static bool builtin_tool(const struct cfg *c, const char *name)
{
	char *dir = xasprintf("%s/src/cmd/%s", c->tc.goroot, name);
	bool ok = valid_tool_name(name) && *name && os_is_dir(dir);

	free(dir);
	return ok;
}

static int run_tool(int argc, char **argv)
{
	bool n = false, modcacherw = false;
	char *modfile = NULL, *tool = NULL;
	struct flag_def defs[] = {
		{"n", FLAG_BOOL, &n, NULL, "", false},
		{"modfile", FLAG_STRING, &modfile, NULL, "", false},
		{"modcacherw", FLAG_BOOL, &modcacherw, NULL, "", false},
	};
	struct err e = ERR_INIT;
	struct strvec args = {0};
	struct cfg c;
	char *path = NULL;
	int rc, first;

	if ((rc = cmd_load_cfg(&c)) != 0)
		return rc;
	if (flag_apply_goflags(defs, countof(defs), c.goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		cmd_usage_exit(&cmd_tool_cmd);
	}
	first = flag_parse(defs, countof(defs), argc - 1, argv + 1, &e);
	if (first < 0) {
		if (first != FLAG_HELP)
			fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(&cmd_tool_cmd);
	}
	argc -= 1 + first;
	argv += 1 + first;
	c.modcache_rw = modcacherw;
	if (argc == 0) {
		rc = list_tools(&c, modfile);
		goto out;
	}
	path = xasprintf("%s/%s", c.tc.tooldir, argv[0]);
	if (!valid_tool_name(argv[0]) || !os_exists(path)) {
		if (strcmp(argv[0], "dist") == 0 && argc > 1 && strcmp(argv[1], "list") == 0) {
			rc = dist_list(&c, argc - 2, argv + 2);
			if (rc >= 0)
				goto out;
		}
		if (builtin_tool(&c, argv[0])) {
			fprintf(stderr, "%s tool %s: building tools that are not in %s is not supported yet\n",
				prog_name, argv[0], c.tc.tooldir);
			rc = 2;
			goto out;
		}
		/* a tool a main module declares: built and run (buildAndRunModtool) */
		if ((rc = find_mod_tool(&c, modfile, argv[0], &tool)) != 0)
			goto out;
		if (tool && n) {
			/* go prints the binary it keeps in its cache; gotool keeps
			 * linked binaries in its own cache, not as files to run */
			fprintf(stderr, "%s: tool -n with a module's tool (%s) is not supported yet\n", prog_name, tool);
			rc = 1;
			goto out;
		}
		if (tool) {
			rc = cmd_run_mod_tool(argv[0], tool, modfile, modcacherw, argc - 1, argv + 1);
			goto out;
		}
		fprintf(stderr, "%s: no such tool \"%s\"\n", prog_name, argv[0]);
		rc = 2;
		goto out;
	}
	strvec_push(&args, path);
	for (int i = 1; i < argc; i++)
		strvec_push(&args, argv[i]);
	if (n) {
		for (size_t i = 0; i < args.n; i++)
			printf(i ? " %s" : "%s", args.v[i]);
		printf("\n");
		rc = 0;
		goto out;
	}
	/* the tool sees the configuration go would export (invoke's setenv) */
	cmd_env_export(&c);
	strvec_null_terminate(&args);
	fflush(stdout);
	rc = proc_run(args.v, NULL, NULL, NULL, NULL, &e);
	if (rc < 0) {
		fprintf(stderr, "%s tool %s: %s\n", prog_name, argv[0], err_msg(&e));
		rc = 1;
	} else if (rc > 128) {
		/* killed by a signal: go reports it; ExitCode() is -1, which
		 * SetExitStatus ignores, so go exits 0 */
		struct buf m = BUF_INIT;
		proc_status_string(&m, rc - 128);
		fprintf(stderr, "%s tool %s: %s\n", prog_name, argv[0], buf_cstr(&m));
		buf_release(&m);
		rc = 0;
	}
out:
	err_clear(&e);
	strvec_clear(&args);
	free(path);
	free(modfile);
	free(tool);
	cfg_release(&c);
	return rc;
}

const struct command cmd_tool_cmd = {
	"tool", "run specified go tool", "tool [-n] command [args...]",
	"Tool runs one of the toolchain's tools (those in $GOROOT/pkg/tool/<host>)\n"
	"with the given arguments; its exit status becomes gotool's. A tool the\n"
	"main module declares in go.mod (a tool line), named by its package path\n"
	"or its last element, is built as go run builds it and then run. Without\n"
	"arguments it lists both kinds. -n prints the command instead of running\n"
	"it (not yet for a module's tool). -modfile and -modcacherw are as for build.\n"
	"\n"
	"'tool dist list [-json] [-broken]' prints the toolchain's supported\n"
	"GOOS/GOARCH pairs, read from its cmd/dist sources.\n",
	run_tool,
};
