/*
 * `gotool mod verify` (mirrors cmd/go/internal/modcmd/verify.go, go1.26):
 * every module of the build list that has been downloaded is checked
 * against the .ziphash written when it was: the zip (dirhash.HashZip)
 * and the extracted tree (dirhash.HashDir).  Loading the module graph
 * downloads the go.mod files it needs (modload/fetchload.c).  go checks
 * GOMAXPROCS modules at once and prints in build-list order; gotool
 * checks them in that order.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/internal.h"
#include "modload/modload.h"

/* verify_mod is verifyMod: the errors for m appended to errs (one line each). */
static void verify_mod(const char *gomodcache, struct mod_version m, struct strvec *errs)
{
	struct err e = ERR_INIT, de = ERR_INIT;
	char *zip = NULL, *ziphash = NULL, *dir = NULL, *h = NULL, *hz = NULL, *hd = NULL, *prefix = NULL;
	struct buf data = BUF_INIT;
	bool zip_absent, dir_absent;
	int dr;

	if (mod_cache_path(gomodcache, m.path, m.version, "zip", &zip, &e) < 0) {
		strvec_push_take(errs, xasprintf("%s %s: %s", m.path, m.version, err_msg(&e)));
		goto out;
	}
	zip_absent = !os_exists(zip);
	dr = mod_cache_download_dir(gomodcache, m.path, m.version, &dir, &de);
	dir_absent = dr == MOD_DIR_ABSENT;
	ziphash = xasprintf("%shash", zip);
	if (os_read_file(ziphash, &data, 1 << 20, &e) < 0) {
		if (zip_absent && dir_absent)
			goto out; /* nothing downloaded yet: nothing to verify */
		strvec_push_take(errs, xasprintf("%s %s: missing ziphash: %s", m.path, m.version, err_msg(&e)));
		goto out;
	}
	h = str_dup(str_trim_space((struct str){data.data, data.len}));
	if (!zip_absent) {
		if (mod_hash_zip(zip, &hz, &e) < 0) {
			strvec_push_take(errs, xasprintf("%s %s: %s", m.path, m.version, err_msg(&e)));
			goto out;
		}
		if (strcmp(hz, h) != 0)
			strvec_push_take(errs, xasprintf("%s %s: zip has been modified (%s)", m.path, m.version, zip));
	}
	if (!dir_absent && dir) {
		prefix = xasprintf("%s@%s", m.path, m.version);
		if (mod_hash_dir(dir, prefix, &hd, &e) < 0) {
			strvec_push_take(errs, xasprintf("%s %s: %s", m.path, m.version, err_msg(&e)));
			goto out;
		}
		if (strcmp(hd, h) != 0)
			strvec_push_take(errs, xasprintf("%s %s: dir has been modified (%s)", m.path, m.version, dir));
	}
out:
	err_clear(&e);
	err_clear(&de);
	buf_release(&data);
	free(zip);
	free(ziphash);
	free(dir);
	free(h);
	free(hz);
	free(hd);
	free(prefix);
}

static int run_mod_verify(int argc, char **argv)
{
	char *modfile = NULL;
	bool modcacherw = false;
	struct flag_def defs[] = {
		{"modcacherw", FLAG_BOOL, &modcacherw, NULL, "", false},
		{"modfile", FLAG_STRING, &modfile, NULL, "", false},
	};
	struct load_opts opts = {0};
	struct load_state *ld = NULL;
	struct mod_graph *g = NULL;
	struct mod_version *bl = NULL;
	struct strvec errs = {0};
	struct err e = ERR_INIT;
	struct cfg c;
	size_t nb;
	int rc, first;

	if ((rc = cmd_load_cfg(&c)) != 0)
		return rc;
	if (flag_apply_goflags(defs, countof(defs), c.goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		cmd_usage_exit(&cmd_mod_verify_cmd);
	}
	first = flag_parse(defs, countof(defs), argc - 1, argv + 1, &e);
	if (first < 0) {
		if (first != FLAG_HELP)
			fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(&cmd_mod_verify_cmd);
	}
	if (argc - 1 - first > 0)
		base_fatalf("verify takes no arguments");
	/* setDefaultBuildMod: the mod commands run with -mod=mod */
	opts.mod_flag = "mod";
	opts.mod_default = true;
	opts.modfile = modfile;
	c.modcache_rw = modcacherw;
	if (load_state_new(&c, &opts, &ld, &e) < 0)
		base_fatalf("%s", err_msg(&e));
	if (load_module_graph(ld, NULL, &g, &e) < 0 || load_expand_graph(ld, &g, false, &e) < 0)
		base_fatalf("%s", err_msg(&e));
	if (!c.gomodcache || !c.gomodcache[0])
		base_fatalf("module cache not found: neither GOMODCACHE nor GOPATH is set");
	nb = mod_graph_build_list(g, &bl);
	for (size_t i = 0; i < nb; i++) {
		/* go and toolchain have no files; main modules are not downloaded */
		if (!*bl[i].version || strcmp(bl[i].path, "go") == 0 || strcmp(bl[i].path, "toolchain") == 0)
			continue;
		verify_mod(c.gomodcache, bl[i], &errs);
	}
	fflush(stdout);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.v[i]);
	if (errs.n > 0) {
		base_set_exit_status(1);
		rc = 1;
	} else {
		fputs("all modules verified\n", stdout);
		rc = 0;
	}
	strvec_clear(&errs);
	err_clear(&e);
	load_state_free(ld);
	free(modfile);
	cfg_release(&c);
	return rc;
}

const struct command cmd_mod_verify_cmd = {
	"mod verify", "verify dependencies have expected content", "mod verify [-modcacherw] [-modfile]",
	"Verify checks that the dependencies of the current module, which are\n"
	"stored in a local downloaded source cache, have not been modified since\n"
	"being downloaded. If all the modules are unmodified, verify prints \"all\n"
	"modules verified.\" Otherwise it reports which modules have been changed\n"
	"and causes 'go mod' to exit with a non-zero status.\n",
	run_mod_verify,
};
