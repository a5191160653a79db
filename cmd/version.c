/* `gotool version`: the toolchain's version (cmd/go/internal/version, go1.26). */
#include <stdlib.h>
#include <string.h>

#include "cmd/internal.h"

/* defined in cmd/env.c */
int cmd_load_cfg(struct cfg *c);

/* in_goflags is base.InGOFLAGS: does GOFLAGS name the flag at all. */
static bool in_goflags(const char *goflags, const char *name)
{
	struct strvec sv = {0};
	struct err e = ERR_INIT;
	bool found = false;

	if (flag_split_goflags(goflags, &sv, &e) < 0)
		err_clear(&e);
	for (size_t i = 0; i < sv.n && !found; i++) {
		char *n = flag_goflag_name(sv.v[i]);
		found = strcmp(n, name) == 0;
		free(n);
	}
	strvec_clear(&sv);
	return found;
}

static int run_version(int argc, char **argv)
{
	bool m = false, v = false, json = false;
	struct flag_def defs[] = {
		{"m", FLAG_BOOL, &m, NULL, "", false},
		{"v", FLAG_BOOL, &v, NULL, "", false},
		{"json", FLAG_BOOL, &json, NULL, "", false},
	};
	struct err e = ERR_INIT;
	struct cfg c;
	const char *only = NULL;
	int rc, first;

	if ((rc = cmd_load_cfg(&c)) != 0)
		return rc;
	if (flag_apply_goflags(defs, countof(defs), c.goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		cmd_usage_exit(&cmd_version_cmd);
	}
	first = flag_parse(defs, countof(defs), argc - 1, argv + 1, &e);
	if (first < 0) {
		if (first != FLAG_HELP)
			fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(&cmd_version_cmd);
	}
	argc -= 1 + first;
	argv += 1 + first;
	if (argc > 0) {
		/* go reads the build info embedded in the named binaries */
		fprintf(stderr, "%s version: reading build info of binaries not supported yet\n", prog_name);
		rc = 2;
		goto out;
	}
	/* mirrors runVersion: these flags only make sense with files, unless
	 * they come from GOFLAGS */
	if (!in_goflags(c.goflags, "m") && m)
		only = "-m";
	else if (!in_goflags(c.goflags, "v") && v)
		only = "-v";
	else if (!in_goflags(c.goflags, "json") && json)
		only = "-json";
	if (only) {
		fprintf(stderr, "%s: '%s version' only accepts %s flag with arguments\n", prog_name, prog_name, only);
		rc = 2;
		goto out;
	}
	if (strcmp(prog_name, "go") == 0)
		printf("go version %s %s/%s\n", c.tc.version, c.tc.hostos, c.tc.hostarch);
	else
		printf("%s version %s (%s %s/%s)\n", prog_name, GOTOOL_VERSION, c.tc.version, c.tc.hostos,
		       c.tc.hostarch);
	rc = 0;
out:
	err_clear(&e);
	cfg_release(&c);
	return rc;
}

const struct command cmd_version_cmd = {
	"version", "print Go version", "version [-m] [-v] [-json] [file ...]",
	"Version prints the version of gotool and of the Go toolchain it drives,\n"
	"with the toolchain's host system. Installed under the name go, it prints\n"
	"exactly what the go command would.\n"
	"\n"
	"Reading the build information of compiled binaries (file arguments,\n"
	"-m, -v and -json) is not supported yet.\n",
	run_version,
};
