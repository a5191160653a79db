/*
 * `gotool clean -cache` and `-testcache` (cmd/go/internal/clean, go1.26:
 * runClean's cleanCache and cleanTestcache branches), on gotool's own build
 * cache, and -modcache removes the module cache.  Every other mode of
 * clean (packages, -i, -r, -fuzzcache) is refused until it is implemented.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/internal.h"
#include "work/cache.h"

/* defined in cmd/env.c */
int cmd_load_cfg(struct cfg *c);

/* show_rm prints go's `rm -rf` line for the cache subdirectories when any
 * exists (Shell.RemoveAll under -n/-x says nothing for absent paths). */
static void show_rm(const char *dir)
{
	struct strvec names = {0};
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;

	if (os_readdir(dir, &names, &e) < 0) {
		err_clear(&e);
		return;
	}
	for (size_t i = 0; i < names.n; i++) {
		const unsigned char *n = (const unsigned char *)names.v[i];
		bool hex2 = strlen(names.v[i]) == 2;
		for (size_t j = 0; hex2 && j < 2; j++)
			hex2 = (n[j] >= '0' && n[j] <= '9') || (n[j] >= 'a' && n[j] <= 'f');
		if (!hex2)
			continue;
		buf_adds(&b, b.len ? " " : "rm -rf ");
		buf_adds(&b, dir);
		buf_addch(&b, '/');
		buf_adds(&b, names.v[i]);
	}
	if (b.len)
		printf("%s\n", buf_cstr(&b));
	buf_release(&b);
	strvec_clear(&names);
}

/* clean_modcache is clean -modcache: modfetch.RemoveAll(GOMODCACHE), its
 * read-only directories made writable on the way; -n and -x show it. */
static int clean_modcache(const struct cfg *cfg, const struct build_flags *bf)
{
	struct err e = ERR_INIT;

	if (!cfg->gomodcache || !cfg->gomodcache[0])
		base_fatalf("cannot clean -modcache without a module cache");
	if (bf->n || bf->x) {
		printf("rm -rf %s\n", cfg->gomodcache);
		fflush(stdout);
	}
	if (bf->n)
		return 0;
	if (os_remove_all(cfg->gomodcache, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		err_clear(&e);
		return -1;
	}
	return 0;
}

static int run_clean(int argc, char **argv)
{
	struct build_flags bf = {0};
	bool i = false, r = false, cache = false, fuzzcache = false, modcache = false, testcache = false;
	struct flag_def defs[64];
	size_t ndefs = 0;
	struct cfg cfg;
	struct err e = ERR_INIT;
	struct work_cache *c = NULL;
	const char *bad = NULL;
	char *dir = NULL;
	int idx, rc = 1;
	bool cfg_loaded = false;
	const struct flag_def own[] = {
		{"i", FLAG_BOOL, &i, NULL, "", false},
		{"r", FLAG_BOOL, &r, NULL, "", false},
		{"cache", FLAG_BOOL, &cache, NULL, "", false},
		{"fuzzcache", FLAG_BOOL, &fuzzcache, NULL, "", false},
		{"modcache", FLAG_BOOL, &modcache, NULL, "", false},
		{"testcache", FLAG_BOOL, &testcache, NULL, "", false},
	};

	memset(&cfg, 0, sizeof cfg);
	memcpy(defs, own, sizeof own);
	ndefs = countof(own);
	ndefs += build_flags_defs(&bf, defs + ndefs, countof(defs) - ndefs);
	if ((rc = cmd_load_cfg(&cfg)) != 0)
		goto out;
	cfg_loaded = true;
	rc = 1;
	if (cfg.goflags && cfg.goflags[0] && flag_apply_goflags(defs, ndefs, cfg.goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		cmd_usage_exit(&cmd_clean_cmd);
	}
	idx = flag_parse(defs, ndefs, argc - 1, argv + 1, &e);
	if (idx == FLAG_HELP)
		cmd_usage_exit(&cmd_clean_cmd);
	if (idx < 0) {
		fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(&cmd_clean_cmd);
	}
	argc -= 1 + idx;
	if (argc > 0) {
		/* the flag order of runClean's switch */
		const char *flag = cache ? "-cache" : testcache ? "-testcache" : fuzzcache ? "-fuzzcache"
		                 : modcache ? "-modcache" : NULL;
		if (flag) {
			base_errorf("clean %s cannot be used with package arguments", flag);
			goto out;
		}
	}
	if (i)
		bad = "clean -i";
	else if (r)
		bad = "clean -r";
	else if (fuzzcache)
		bad = "clean -fuzzcache";
	else if ((!cache && !testcache && !modcache) || argc > 0)
		bad = "clean of packages";
	if (bad) {
		base_errorf("%s not supported yet", bad);
		goto out;
	}
	if (!cache && !testcache) {
		rc = 0;
		goto mod_cache;
	}
	dir = work_cache_default_dir(NULL);
	if (testcache && !cache) {
		/* results from before now are ignored: gotool test mixes the
		 * stamp into every test result key (go writes the same file) */
		if (dir && os_is_dir(dir) && !bf.n) {
			struct timespec now;
			char stamp[32], *f = path_join(dir, "testexpire.txt");
			clock_gettime(CLOCK_REALTIME, &now);
			snprintf(stamp, sizeof stamp, "%lld\n", (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
			if (os_write_file_atomic(f, stamp, strlen(stamp), 0666, &e) < 0) {
				base_errorf("failed to write test cache expiration file: %s", err_msg(&e));
				err_clear(&e);
				free(f);
				goto out;
			}
			free(f);
		}
		rc = 0;
		goto mod_cache;
	}
	if (!dir || !os_is_dir(dir)) {
		/* "off", or nothing was ever cached: nothing to remove */
		rc = 0;
		goto mod_cache;
	}
	if (bf.n || bf.x)
		show_rm(dir);
	if (bf.n) {
		rc = 0;
		goto mod_cache;
	}
	if (work_cache_open(dir, &c, &e) < 0 || work_cache_clean(c, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		err_clear(&e);
		goto out;
	}
	rc = 0;
mod_cache:
	if (modcache && clean_modcache(&cfg, &bf) < 0)
		rc = 1;
out:
	work_cache_close(c);
	free(dir);
	build_flags_release(&bf);
	if (cfg_loaded)
		cfg_release(&cfg);
	return rc;
}

const struct command cmd_clean_cmd = {
	"clean", "remove object files and cached files", "clean [-i] [-r] [-cache] [-testcache] [-modcache] [-fuzzcache] [build flags] [packages]",
	"Clean removes cached build results.\n"
	"\n"
	"'clean -cache' empties gotool's build cache ($GOTOOLCACHE/build): every\n"
	"entry, output, file-hash record and run record; -testcache expires the\n"
	"cached test results; -modcache removes the module cache ($GOMODCACHE).\n"
	"The -n flag prints the remove command without running it; -x prints it\n"
	"and runs it. Cleaning packages, -i, -r and -fuzzcache are not supported\n"
	"yet.\n",
	run_clean,
};
