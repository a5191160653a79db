/*
 * gotool get (mirrors cmd/go/internal/modget/get.go's flags and checks,
 * go1.26).  The resolution and the go.mod and go.sum updates are
 * modload's (mod_get, modload/get.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/internal.h"
#include "modload/modload.h"
#include "runtime/runtime.h"

static int run_get(int argc, char **argv);

static void too_new(void *ctx, const char *what, const char *need, const char *msg)
{
	cmd_toolchain_switch_or_fatal(ctx, what, need, msg);
}

const struct command cmd_get_cmd = {
	"get", "add dependencies to current module and install them",
	"get [-t] [-u] [-tool] [build flags] [packages]",
	"Get resolves its command-line arguments to packages at specific module versions,\n"
	"updates go.mod to require those versions, and downloads source code into the\n"
	"module cache.\n"
	"\n"
	"To add a dependency for a package or upgrade it to its latest version:\n"
	"\n"
	"\tgo get example.com/pkg\n"
	"\n"
	"To upgrade or downgrade a package to a specific version:\n"
	"\n"
	"\tgo get example.com/pkg@v1.2.3\n"
	"\n"
	"To remove a dependency on a module and downgrade modules that require it:\n"
	"\n"
	"\tgo get example.com/mod@none\n"
	"\n"
	"To upgrade the minimum required Go version to the latest released Go version:\n"
	"\n"
	"\tgo get go@latest\n"
	"\n"
	"To upgrade the Go toolchain to the latest patch release of the current Go toolchain:\n"
	"\n"
	"\tgo get toolchain@patch\n"
	"\n"
	"See https://golang.org/ref/mod#go-get for details.\n"
	"\n"
	"In earlier versions of Go, 'go get' was used to build and install packages.\n"
	"Now, 'go get' is dedicated to adjusting dependencies in go.mod. 'go install'\n"
	"may be used to build and install commands instead. When a version is specified,\n"
	"'go install' runs in module-aware mode and ignores the go.mod file in the\n"
	"current directory. For example:\n"
	"\n"
	"\tgo install example.com/pkg@v1.2.3\n"
	"\tgo install example.com/pkg@latest\n"
	"\n"
	"See 'go help install' or https://golang.org/ref/mod#go-install for details.\n"
	"\n"
	"'go get' accepts the following flags.\n"
	"\n"
	"The -t flag instructs get to consider modules needed to build tests of\n"
	"packages specified on the command line.\n"
	"\n"
	"The -u flag instructs get to update modules providing dependencies\n"
	"of packages named on the command line to use newer minor or patch\n"
	"releases when available.\n"
	"\n"
	"The -u=patch flag (not -u patch) also instructs get to update dependencies,\n"
	"but changes the default to select patch releases.\n"
	"\n"
	"When the -t and -u flags are used together, get will update\n"
	"test dependencies as well.\n"
	"\n"
	"The -tool flag instructs go to add a matching tool line to go.mod for each\n"
	"listed package. If -tool is used with @none, the line will be removed.\n"
	"\n"
	"The -x flag prints commands as they are executed. This is useful for\n"
	"debugging version control commands when a module is downloaded directly\n"
	"from a repository.\n"
	"\n"
	"For more about build flags, see 'go help build'.\n"
	"\n"
	"For more about modules, see https://golang.org/ref/mod.\n"
	"\n"
	"For more about using 'go get' to update the minimum Go version and\n"
	"suggested Go toolchain, see https://go.dev/doc/toolchain.\n"
	"\n"
	"For more about specifying packages, see 'go help packages'.\n"
	"\n"
	"See also: go build, go install, go clean, go mod.\n",
	run_get,
};

struct dflag {
	bool set, value;
};

static int set_d(void *ctx, const char *name, const char *value, struct err *e)
{
	struct dflag *d = ctx;

	(void)name;
	d->set = true;
	if (strcmp(value, "true") == 0 || strcmp(value, "1") == 0 || strcmp(value, "t") == 0 ||
	    strcmp(value, "T") == 0 || strcmp(value, "TRUE") == 0 || strcmp(value, "True") == 0) {
		d->value = true;
	} else if (strcmp(value, "false") == 0 || strcmp(value, "0") == 0 || strcmp(value, "f") == 0 ||
	           strcmp(value, "F") == 0 || strcmp(value, "FALSE") == 0 || strcmp(value, "False") == 0) {
		d->value = false;
	} else {
		return err_setf(e, "parse error");
	}
	return 0;
}

static int set_u(void *ctx, const char *name, const char *value, struct err *e)
{
	char **u = ctx;

	(void)name;
	(void)e;
	free(*u);
	if (strcmp(value, "false") == 0)
		*u = xstrdup("");
	else if (strcmp(value, "true") == 0)
		*u = xstrdup("upgrade");
	else
		*u = xstrdup(value);
	return 0;
}

static int run_get(int argc, char **argv)
{
	struct build_flags bf = {0};
	struct mod_get_opts o = {0};
	struct dflag d = {0};
	bool f = false, fix = false, m = false, insecure = false;
	char *u = xstrdup("");
	struct flag_def defs[64];
	size_t ndefs = 0, nb;
	struct err e = ERR_INIT;
	struct cfg c;
	int rc, first;

	{
		const struct flag_def own[] = {
			{"d", FLAG_BOOLFUNC, &d, set_d, "", false},
			{"f", FLAG_BOOL, &f, NULL, "", false},
			{"fix", FLAG_BOOL, &fix, NULL, "", false},
			{"m", FLAG_BOOL, &m, NULL, "", false},
			{"t", FLAG_BOOL, &o.t, NULL, "", false},
			{"u", FLAG_BOOLFUNC, &u, set_u, "", false},
			{"tool", FLAG_BOOL, &o.tool, NULL, "", false},
			{"insecure", FLAG_BOOL, &insecure, NULL, "", false},
		};
		memcpy(defs, own, sizeof own);
		ndefs = countof(own);
	}
	nb = build_flags_defs(&bf, defs + ndefs, countof(defs) - ndefs);
	/* work.OmitModFlag: go get has no -mod */
	for (size_t i = ndefs; i < ndefs + nb; i++)
		if (strcmp(defs[i].name, "mod") == 0) {
			memmove(&defs[i], &defs[i + 1], (ndefs + nb - i - 1) * sizeof defs[0]);
			nb--;
			break;
		}
	ndefs += nb;
	if ((rc = cmd_load_cfg(&c)) != 0) {
		free(u);
		build_flags_release(&bf);
		return rc;
	}
	if (flag_apply_goflags(defs, ndefs, c.goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		cmd_usage_exit(&cmd_get_cmd);
	}
	first = flag_parse(defs, ndefs, argc - 1, argv + 1, &e);
	if (first < 0) {
		if (first != FLAG_HELP)
			fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(&cmd_get_cmd);
	}
	if (*u && strcmp(u, "upgrade") != 0 && strcmp(u, "patch") != 0)
		base_fatalf("unknown upgrade flag -u=%s", u);
	if (d.set) {
		if (!d.value)
			base_fatalf("-d flag may not be set to false");
		fprintf(stderr, "%s: -d flag is deprecated. -d=true is a no-op\n", prog_name);
	}
	if (f)
		fprintf(stderr, "%s: -f flag is a no-op\n", prog_name);
	if (fix)
		fprintf(stderr, "%s: -fix flag is a no-op\n", prog_name);
	if (m)
		base_fatalf("-m flag is no longer supported");
	if (insecure)
		base_fatalf("-insecure flag is no longer supported; use GOINSECURE instead");
	o.u = u;
	o.too_new = too_new;
	o.too_new_ctx = &c;
	o.can_switch = cmd_toolchain_can_switch(&c);
	o.modfile = bf.modfile;
	c.modcache_rw = bf.modcacherw;
	o.v = bf.v;
	o.x = bf.x;
	rc = mod_get(&c, &o, argv + 1 + first, (size_t)(argc - 1 - first));
	err_clear(&e);
	free(u);
	build_flags_release(&bf);
	cfg_release(&c);
	return rc;
}
