/*
 * gotool mod tidy and gotool mod why (mirror cmd/go/internal/modcmd/tidy.go
 * and why.go, go1.26).  The work is modload's (mod_tidy, mod_why); here
 * are the flags, help texts and go's argument checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/internal.h"
#include "modload/modload.h"
#include "runtime/runtime.h"

int cmd_load_cfg(struct cfg *c);
static int run_mod_tidy(int argc, char **argv);
static int run_mod_why(int argc, char **argv);

const struct command cmd_mod_tidy_cmd = {
	"mod tidy", "add missing and remove unused modules",
	"mod tidy [-e] [-v] [-x] [-diff] [-go=version] [-compat=version]",
	"Tidy makes sure go.mod matches the source code in the module.\n"
	"It adds any missing modules necessary to build the current module's\n"
	"packages and dependencies, and it removes unused modules that\n"
	"don't provide any relevant packages. It also adds any missing entries\n"
	"to go.sum and removes any unnecessary ones.\n"
	"\n"
	"The -v flag causes tidy to print information about removed modules\n"
	"to standard error.\n"
	"\n"
	"The -e flag causes tidy to attempt to proceed despite errors\n"
	"encountered while loading packages.\n"
	"\n"
	"The -diff flag causes tidy not to modify go.mod or go.sum but\n"
	"instead print the necessary changes as a unified diff. It exits\n"
	"with a non-zero code if the diff is not empty.\n"
	"\n"
	"The -go flag causes tidy to update the 'go' directive in the go.mod\n"
	"file to the given version, which may change which module dependencies\n"
	"are retained as explicit requirements in the go.mod file.\n"
	"(Go versions 1.17 and higher retain more requirements in order to\n"
	"support lazy module loading.)\n"
	"\n"
	"The -compat flag preserves any additional checksums needed for the\n"
	"'go' command from the indicated major Go release to successfully load\n"
	"the module graph, and causes tidy to error out if that version of the\n"
	"'go' command would load any imported package from a different module\n"
	"version. By default, tidy acts as if the -compat flag were set to the\n"
	"version prior to the one indicated by the 'go' directive in the go.mod\n"
	"file.\n"
	"\n"
	"The -x flag causes tidy to print the commands download executes.\n"
	"\n"
	"See https://golang.org/ref/mod#go-mod-tidy for more about 'go mod tidy'.\n",
	run_mod_tidy,
};

const struct command cmd_mod_why_cmd = {
	"mod why", "explain why packages or modules are needed", "mod why [-m] [-vendor] packages...",
	"Why shows a shortest path in the import graph from the main module to\n"
	"each of the listed packages. If the -m flag is given, why treats the\n"
	"arguments as a list of modules and finds a path to any package in each\n"
	"of the modules.\n"
	"\n"
	"By default, why queries the graph of packages matched by \"go list all\",\n"
	"which includes tests for reachable packages. The -vendor flag causes why\n"
	"to exclude tests of dependencies.\n"
	"\n"
	"The output is a sequence of stanzas, one for each package or module\n"
	"name on the command line, separated by blank lines. Each stanza begins\n"
	"with a comment line \"# package\" or \"# module\" giving the target\n"
	"package or module. Subsequent lines give a path through the import\n"
	"graph, one package per line. If the package or module is not\n"
	"referenced from the main module, the stanza will display a single\n"
	"parenthesized note indicating that fact.\n"
	"\n"
	"See https://golang.org/ref/mod#go-mod-why for more about 'go mod why'.\n",
	run_mod_why,
};

/* check_go_version is goVersionFlag.Set; exits 2 with go's text. */
static void check_go_version(const struct cfg *c, const char *name, const char *v)
{
	const char *local = c->tc.version && has_prefix(c->tc.version, "go") ? c->tc.version + 2 : "";

	if (!v || !*v)
		return;
	if (!mod_go_version_ok(v)) {
		fprintf(stderr, "invalid value \"%s\" for flag -%s: expecting a Go version like \"%s\"\n", v, name, local);
		cmd_usage_exit(&cmd_mod_tidy_cmd);
	}
	if (*local && tc_version_compare(v, local) > 0) {
		fprintf(stderr, "invalid value \"%s\" for flag -%s: maximum supported Go version is %s\n", v, name, local);
		cmd_usage_exit(&cmd_mod_tidy_cmd);
	}
}

static int run_mod_tidy(int argc, char **argv)
{
	struct mod_tidy_opts o = {0};
	char *go = NULL, *compat = NULL, *modfile = NULL;
	bool modcacherw = false;
	struct flag_def defs[] = {
		{"v", FLAG_BOOL, &o.v, NULL, "", false},
		{"x", FLAG_BOOL, &o.x, NULL, "", false},
		{"e", FLAG_BOOL, &o.e, NULL, "", false},
		{"diff", FLAG_BOOL, &o.diff, NULL, "", false},
		{"go", FLAG_STRING, &go, NULL, "", false},
		{"compat", FLAG_STRING, &compat, NULL, "", false},
		{"modcacherw", FLAG_BOOL, &modcacherw, NULL, "", false},
		{"modfile", FLAG_STRING, &modfile, NULL, "", false},
	};
	struct err e = ERR_INIT;
	struct cfg c;
	int rc, first;

	if ((rc = cmd_load_cfg(&c)) != 0)
		return rc;
	if (flag_apply_goflags(defs, countof(defs), c.goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		cmd_usage_exit(&cmd_mod_tidy_cmd);
	}
	first = flag_parse(defs, countof(defs), argc - 1, argv + 1, &e);
	if (first < 0) {
		if (first != FLAG_HELP)
			fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(&cmd_mod_tidy_cmd);
	}
	check_go_version(&c, "go", go);
	check_go_version(&c, "compat", compat);
	if (argc - 1 - first > 0) {
		base_errorf("'go mod tidy' accepts no arguments");
		rc = 1;
		goto out;
	}
	o.modfile = modfile;
	c.modcache_rw = modcacherw;
	o.go = go;
	o.compat = compat;
	rc = mod_tidy(&c, &o);
out:
	err_clear(&e);
	free(go);
	free(compat);
	free(modfile);
	cfg_release(&c);
	return rc;
}

static int run_mod_why(int argc, char **argv)
{
	bool m = false, vendor = false, modcacherw = false;
	char *modfile = NULL;
	struct flag_def defs[] = {
		{"m", FLAG_BOOL, &m, NULL, "", false},
		{"vendor", FLAG_BOOL, &vendor, NULL, "", false},
		{"modcacherw", FLAG_BOOL, &modcacherw, NULL, "", false},
		{"modfile", FLAG_STRING, &modfile, NULL, "", false},
	};
	struct err e = ERR_INIT;
	struct cfg c;
	int rc, first;

	if ((rc = cmd_load_cfg(&c)) != 0)
		return rc;
	if (flag_apply_goflags(defs, countof(defs), c.goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		cmd_usage_exit(&cmd_mod_why_cmd);
	}
	first = flag_parse(defs, countof(defs), argc - 1, argv + 1, &e);
	if (first < 0) {
		if (first != FLAG_HELP)
			fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(&cmd_mod_why_cmd);
	}
	c.modcache_rw = modcacherw;
	rc = mod_why(&c, m, vendor, modfile, argv + 1 + first, (size_t)(argc - 1 - first));
	err_clear(&e);
	free(modfile);
	cfg_release(&c);
	return rc;
}
