/*
 * gotool mod vendor (mirrors cmd/go/internal/modcmd/vendor.go, go1.26).
 * The work is modload's (mod_vendor); here are the flags and help text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/internal.h"
#include "modload/modload.h"
#include "runtime/runtime.h"

int cmd_load_cfg(struct cfg *c);
static int run_mod_vendor(int argc, char **argv);

const struct command cmd_mod_vendor_cmd = {
	"mod vendor", "make vendored copy of dependencies",
	"mod vendor [-e] [-v] [-o outdir]",
	"Vendor resets the main module's vendor directory to include all packages\n"
	"needed to build and test all the main module's packages.\n"
	"It does not include test code for vendored packages.\n"
	"\n"
	"The -v flag causes vendor to print the names of vendored\n"
	"modules and packages to standard error.\n"
	"\n"
	"The -e flag causes vendor to attempt to proceed despite errors\n"
	"encountered while loading packages.\n"
	"\n"
	"The -o flag causes vendor to create the vendor directory at the given\n"
	"path instead of \"vendor\". The go command can only use a vendor directory\n"
	"named \"vendor\" within the module root directory, so this flag is\n"
	"primarily useful for other tools.\n"
	"\n"
	"See https://golang.org/ref/mod#go-mod-vendor for more about 'go mod vendor'.\n",
	run_mod_vendor,
};

static int run_mod_vendor(int argc, char **argv)
{
	struct mod_vendor_opts o = {0};
	char *out = NULL, *modfile = NULL;
	bool modcacherw = false;
	struct flag_def defs[] = {
		{"v", FLAG_BOOL, &o.v, NULL, "", false},
		{"e", FLAG_BOOL, &o.e, NULL, "", false},
		{"o", FLAG_STRING, &out, NULL, "", false},
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
		cmd_usage_exit(&cmd_mod_vendor_cmd);
	}
	first = flag_parse(defs, countof(defs), argc - 1, argv + 1, &e);
	if (first < 0) {
		if (first != FLAG_HELP)
			fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(&cmd_mod_vendor_cmd);
	}
	o.modfile = modfile;
	c.modcache_rw = modcacherw;
	o.out = out;
	o.embed = cmd_embed_hook;
	rc = mod_vendor(&c, &o, (size_t)(argc - 1 - first));
	err_clear(&e);
	free(out);
	free(modfile);
	cfg_release(&c);
	return rc;
}
