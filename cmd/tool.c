/* `gotool tool`: run a tool of the toolchain (cmd/go/internal/tool, go1.26). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cmd/internal.h"

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

/* list_tools mirrors listTools: the tool directory's names, sorted.
 * (Tools declared in the main module's go.mod are not listed yet.) */
static int list_tools(const struct cfg *c)
{
	struct strvec names = {0};
	struct err e = ERR_INIT;

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
	return 0;
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
	bool n = false;
	char *modfile = NULL;
	struct flag_def defs[] = {
		{"n", FLAG_BOOL, &n, NULL, "", false},
		{"modfile", FLAG_STRING, &modfile, NULL, "", false},
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
	if (argc == 0) {
		rc = list_tools(&c);
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
		/* killed by a signal: go reports it and exits with -1 (255) */
		fprintf(stderr, "%s tool %s: signal: %s\n", prog_name, argv[0], strsignal(rc - 128));
		rc = 255;
	}
out:
	err_clear(&e);
	strvec_clear(&args);
	free(path);
	free(modfile);
	cfg_release(&c);
	return rc;
}

const struct command cmd_tool_cmd = {
	"tool", "run specified go tool", "tool [-n] command [args...]",
	"Tool runs one of the toolchain's tools (those in $GOROOT/pkg/tool/<host>)\n"
	"with the given arguments; its exit status becomes gotool's. Without\n"
	"arguments it lists the tools. -n prints the command instead of running it.\n"
	"\n"
	"'tool dist list [-json] [-broken]' prints the toolchain's supported\n"
	"GOOS/GOARCH pairs, read from its cmd/dist sources.\n",
	run_tool,
};
