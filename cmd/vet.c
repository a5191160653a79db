/*
 * gotool vet (cmd/go/internal/vet vet.go and vetflag.go, go1.26): asks the
 * vet tool for its flags (`tool -flags`), accepts those plus the build
 * flags, loads the packages with their tests, and runs a vet action on each
 * package's test variant (and external test package).  work/vet.c makes and
 * runs the vet actions.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cmd/internal.h"
#include "embed/embed.h"
#include "work/work.h"

/* One flag the vet tool declared (`-flags`). */
struct tool_flag {
	char *name;
	bool is_bool;
	char *value;      /* last value set (flags only the tool knows), or NULL */
	bool from_goflags;
	char *goflags_value;
};

struct tool_flags {
	struct tool_flag *v;
	size_t n, cap;
};

static int set_tool_flag(void *ctx, const char *name, const char *value, struct err *e)
{
	struct tool_flag *f = ctx;

	(void)name;
	if (f->is_bool) {
		/* flag.boolValue: strconv.ParseBool */
		static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
		static const char *const fl[] = {"0", "f", "F", "FALSE", "false", "False"};
		const char *v = value ? value : "true", *canon = NULL;
		for (size_t i = 0; i < countof(t) && !canon; i++)
			if (strcmp(v, t[i]) == 0)
				canon = "true";
		for (size_t i = 0; i < countof(fl) && !canon; i++)
			if (strcmp(v, fl[i]) == 0)
				canon = "false";
		if (!canon)
			return err_setf(e, "parse error");
		value = canon;
	}
	free(f->value);
	f->value = xstrdup(value ? value : "");
	return 0;
}

static int vet_embed(void *ctx, struct arena *a, const char *dir, const char *const *patterns,
                     size_t n, struct load_strs *files, size_t *bad, const char **msg)
{
	struct embed_result r;
	struct err e = ERR_INIT;

	(void)ctx;
	if (embed_resolve(a, dir, NULL, patterns, n, &r, bad, &e) < 0) {
		*msg = arena_strdup(a, err_msg(&e));
		err_clear(&e);
		return -1;
	}
	for (size_t i = 0; i < r.files.n; i++)
		load_strs_push(a, files, r.files.v[i]);
	return 0;
}

/* add_perpkg_all replays every occurrence of a per-package flag. */
static int add_perpkg_all(struct link_perpkg_flags *f, const char *name, const struct strvec *all,
                          const char *cwd, struct err *e)
{
	for (size_t i = 0; i < all->n; i++)
		if (link_perpkg_flags_add(f, all->v[i], cwd, e) < 0)
			return err_wrapf(e, "invalid value \"%s\" for flag -%s", all->v[i], name);
	return 0;
}

NORETURN static void vet_usage_exit(const char *vettool);
static void vet_usage_exit(const char *vettool)
{
	fflush(stdout);
	fprintf(stderr, "usage: %s vet [build flags] [-vettool prog] [vet flags] [packages]\n", prog_name);
	fprintf(stderr, "Run '%s help vet' for details.\n", prog_name);
	if (vettool && vettool[0]) {
		fprintf(stderr, "Run '%s help' for a full list of flags and analyzers.\n", vettool);
		fprintf(stderr, "Run '%s -help' for an overview.\n", vettool);
	} else {
		fprintf(stderr, "Run '%s tool vet help' for a full list of flags and analyzers.\n", prog_name);
		fprintf(stderr, "Run '%s tool vet -help' for an overview.\n", prog_name);
	}
	base_exit(2);
}

/* query_tool_flags runs `tool -flags` and reads its JSON (toolFlags). */
static void query_tool_flags(const char *tool, struct tool_flags *out)
{
	char *argv[] = {(char *)tool, "-flags", NULL};
	struct buf so = BUF_INIT, se = BUF_INIT;
	struct err e = ERR_INIT;
	cJSON *js, *it;
	int st = proc_run(argv, NULL, NULL, &so, &se, &e);

	if (st != 0) {
		if (st < 0)
			fprintf(stderr, "%s: %s -flags failed: %s\n", prog_name, tool, err_msg(&e));
		else
			fprintf(stderr, "%s: %s -flags failed: exit status %d\n", prog_name, tool, st);
		base_exit(2);
	}
	js = cJSON_ParseWithLength(so.data ? so.data : "", so.len);
	if (!cJSON_IsArray(js)) {
		fprintf(stderr, "%s: can't unmarshal JSON from %s -flags: invalid JSON", prog_name, tool);
		base_exit(2);
	}
	cJSON_ArrayForEach(it, js) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(it, "Name");
		const cJSON *bl = cJSON_GetObjectItemCaseSensitive(it, "Bool");
		struct tool_flag f = {0};
		/* -c=n is go vet's own (printJSONDiagnostic), never passed on */
		if (!cJSON_IsString(n) || strcmp(n->valuestring, "c") == 0)
			continue;
		f.name = xstrdup(n->valuestring);
		f.is_bool = cJSON_IsTrue(bl);
		VEC_PUSH(out, f);
	}
	cJSON_Delete(js);
	buf_release(&so);
	buf_release(&se);
	err_clear(&e);
}

static struct tool_flag *tool_flag_find(struct tool_flags *tf, const char *name)
{
	for (size_t i = 0; i < tf->n; i++)
		if (strcmp(tf->v[i].name, name) == 0)
			return &tf->v[i];
	return NULL;
}

/* def_value is flag.Value.String() of a def after parsing. */
static char *def_value(const struct flag_def *d, const struct tool_flag *f)
{
	if (f->value)
		return xstrdup(f->value);
	switch (d->kind) {
	case FLAG_BOOL:
		return xstrdup(*(bool *)d->ptr ? "true" : "false");
	case FLAG_STRING:
		return xstrdup(*(char **)d->ptr ? *(char **)d->ptr : "");
	case FLAG_INT:
		return xasprintf("%d", *(int *)d->ptr);
	default:
		return xstrdup("");
	}
}

static int flag_name_cmp(const void *x, const void *y)
{
	return strcmp(((const struct tool_flag *)x)->name, ((const struct tool_flag *)y)->name);
}

static int run_vet(int argc, char **argv)
{
	struct build_flags bf = {0};
	struct flag_def *defs = NULL;
	size_t ndefs = 0;
	struct cfg cfg;
	struct load_opts opts = {.no_doc = true};
	struct load_state *ld = NULL;
	struct load_pkgs roots = {0}, all = {0};
	struct work_build_opts wo = {0};
	struct work_vet_opts vo = {0};
	struct work_builder *b = NULL;
	struct link_perpkg_flags gcf, asmf, ldf;
	struct tool_flags tf = {0};
	struct strvec pass = {0}, toolexec = {0};
	struct err e = ERR_INIT;
	char *vettool_flag = NULL, *tool = NULL, *cwd = NULL;
	bool diff_flag = false, json_flag = false, fix_flag = false;
	int context_flag = -1, idx, rc = 1, npkgs;
	char **pkgargs;

	link_perpkg_flags_init(&gcf);
	link_perpkg_flags_init(&asmf);
	link_perpkg_flags_init(&ldf);
	memset(&cfg, 0, sizeof cfg);
	cwd = getcwd(NULL, 0);
	if (!cwd) {
		base_errorf("getwd: %s", os_errstr(errno));
		goto out;
	}
	if (cfg_load(&cfg, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		goto out;
	}
	/* parseToolFlag: -vettool is needed before the flags are declared */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-vettool") == 0 || strcmp(a, "--vettool") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "%s requires a filename\n", a);
				base_exit(1);
			}
			vettool_flag = xstrdup(argv[i + 1]);
			break;
		}
		if (has_prefix(a, "-vettool=") || has_prefix(a, "--vettool=")) {
			vettool_flag = xstrdup(strchr(a, '=') + 1);
			break;
		}
	}
	if (vettool_flag && vettool_flag[0]) {
		char *j = path_is_abs(vettool_flag) ? xstrdup(vettool_flag) : path_join(cwd, vettool_flag);
		tool = path_clean(j);
		free(j);
	} else {
		tool = path_join(cfg.tc.tooldir, "vet");
		if (!os_exists(tool)) {
			fprintf(stderr, "%s: no such tool \"vet\"\n", prog_name);
			base_exit(2);
		}
	}
	query_tool_flags(tool, &tf);

	/* the flags: the build flags (no -json), vet's own, then the tool's */
	defs = xcalloc(64 + tf.n, sizeof *defs);
	ndefs = build_flags_defs(&bf, defs, 64);
	{
		struct flag_def own[] = {
			{"vettool", FLAG_STRING, &vettool_flag, NULL, "", false},
			{"diff", FLAG_BOOL, &diff_flag, NULL, "", false},
			{"json", FLAG_BOOL, &json_flag, NULL, "", false},
			{"c", FLAG_INT, &context_flag, NULL, "", false},
			{"fix", FLAG_BOOL, &fix_flag, NULL, "", false},
		};
		for (size_t i = 0; i < countof(own); i++)
			defs[ndefs++] = own[i];
	}
	for (size_t i = 0; i < tf.n; i++) {
		struct flag_def d = {tf.v[i].name, tf.v[i].is_bool ? FLAG_BOOLFUNC : FLAG_FUNC, &tf.v[i],
		                     set_tool_flag, "", false};
		if (flag_lookup(defs, ndefs, tf.v[i].name))
			continue; /* -tags, -v, -json, -diff: the build's, and passed on too */
		defs[ndefs++] = d;
	}
	/* base.SetFromGOFLAGS, noting the tool flags it set */
	if (cfg.goflags && cfg.goflags[0] && flag_apply_goflags(defs, ndefs, cfg.goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		vet_usage_exit(vettool_flag);
	}
	for (size_t i = 0; i < ndefs; i++) {
		struct tool_flag *f = tool_flag_find(&tf, defs[i].name);
		if (f && defs[i].seen) {
			f->from_goflags = true;
			f->goflags_value = def_value(&defs[i], f);
		}
		defs[i].seen = false;
	}
	idx = flag_parse(defs, ndefs, argc - 1, argv + 1, &e);
	if (idx == FLAG_HELP)
		vet_usage_exit(vettool_flag);
	if (idx < 0) {
		fprintf(stderr, "%s\n", err_msg(&e));
		vet_usage_exit(vettool_flag);
	}
	pkgargs = argv + 1 + idx;
	npkgs = argc - 1 - idx;
	{
		/* explicit tool flags are forwarded as they were written */
		struct strvec explicit_flags = {0};
		VEC(struct tool_flag) gf = {0};
		for (int i = 1; i < 1 + idx; i++) {
			const char *a = argv[i], *nm = a;
			char *name;
			const struct flag_def *d;
			bool has_eq;
			if (strcmp(a, "--") == 0)
				break;
			while (*nm == '-')
				nm++;
			has_eq = strchr(nm, '=') != NULL;
			name = has_eq ? xstrndup(nm, (size_t)(strchr(nm, '=') - nm)) : xstrdup(nm);
			d = flag_lookup(defs, ndefs, name);
			{
				bool is_bool = d && (d->kind == FLAG_BOOL || d->kind == FLAG_BOOLFUNC);
				struct tool_flag *f = tool_flag_find(&tf, name);
				if (f) {
					strvec_push(&explicit_flags, a);
					f->from_goflags = false;
				}
				if (!is_bool && !has_eq && i + 1 < 1 + idx) {
					i++;
					if (f)
						strvec_push(&explicit_flags, argv[i]);
				}
			}
			free(name);
		}
		/* GOFLAGS' tool flags first, in flag.Visit's (sorted) order */
		for (size_t i = 0; i < tf.n; i++)
			if (tf.v[i].from_goflags)
				VEC_PUSH(&gf, tf.v[i]);
		if (gf.n)
			qsort(gf.v, gf.n, sizeof *gf.v, flag_name_cmp);
		for (size_t i = 0; i < gf.n; i++)
			strvec_push_take(&pass, xasprintf("-%s=%s", gf.v[i].name, gf.v[i].goflags_value));
		for (size_t i = 0; i < explicit_flags.n; i++)
			strvec_push(&pass, explicit_flags.v[i]);
		VEC_FREE(&gf);
		strvec_clear(&explicit_flags);
	}
	vo.explicit_flags = pass.n > 0;
	if (fix_flag) {
		base_errorf("vet -fix not supported yet");
		goto out;
	}
	if (!json_flag) {
		strvec_push(&pass, "-json");
		vo.json_diagnostics = true;
	}
	if (diff_flag) {
		base_errorf("%s vet -diff flag requires -fix", prog_name);
		goto out;
	}
	vo.tool = tool;
	vo.context = context_flag;

	if (bf.tags)
		cfg_set_tags(&cfg, bf.tags);
	if (cfg.experiment_err) {
		fprintf(stderr, "%s: %s\n", prog_name, cfg.experiment_err);
		goto out;
	}
	{
		const char *bad = build_flags_unsupported(&bf);
		if (!bad && bf.pgo && bf.pgo[0] && strcmp(bf.pgo, "auto") != 0 && strcmp(bf.pgo, "off") != 0)
			bad = "-pgo";
		if (bad) {
			base_errorf("%s not supported yet", bad);
			goto out;
		}
	}
	if (add_perpkg_all(&gcf, "gcflags", &bf.gcflags_all, cwd, &e) < 0 ||
	    add_perpkg_all(&asmf, "asmflags", &bf.asmflags_all, cwd, &e) < 0 ||
	    add_perpkg_all(&ldf, "ldflags", &bf.ldflags_all, cwd, &e) < 0) {
		fprintf(stderr, "%s\n", err_msg(&e));
		vet_usage_exit(vettool_flag);
	}
	if (bf.toolexec && bf.toolexec[0] && quoted_split(bf.toolexec, &toolexec, &e) < 0) {
		fprintf(stderr, "%s: -toolexec: %s\n", prog_name, err_msg(&e));
		goto out;
	}

	opts.test = true; /* ModResolveTests */
	opts.mod_flag = bf.mod;
	opts.modfile = bf.modfile;
	cfg.modcache_rw = bf.modcacherw;
	opts.embed = vet_embed;
	if (load_state_new(&cfg, &opts, &ld, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		goto out;
	}
	if (load_packages_resolving(&ld, &cfg, &opts, pkgargs, (size_t)npkgs, &roots, &e) < 0) {
		if (load_error_bare(ld))
			fprintf(stderr, "%s\n", err_msg(&e));
		else
			fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		goto out;
	}
	load_apply_pgo(ld, &roots, bf.pgo && bf.pgo[0] ? bf.pgo : "auto");
	for (size_t i = 0; i < roots.n; i++)
		roots.v[i]->cmdline_pkg = true;
	load_package_list_deps(ld, roots.v, roots.n, &all);
	{
		/* load.CheckPackageErrors */
		bool any = false;
		for (size_t i = 0; i < all.n; i++)
			if (all.v[i]->error) {
				fflush(stdout);
				fprintf(stderr, "%s\n", load_error_text(load_arena(ld), all.v[i]->error));
				any = true;
			}
		if (any) {
			base_set_exit_status(1);
			goto out;
		}
	}
	if (roots.n == 0) {
		base_errorf("no packages to vet");
		goto out;
	}

	wo.regexp = &cmd_regexp_ops;
	wo.a = bf.a;
	wo.n = bf.n;
	wo.x = bf.x;
	wo.v = bf.v;
	wo.work = bf.work;
	wo.trimpath = bf.trimpath;
	wo.p = bf.p;
	wo.toolexec = toolexec;
	wo.gcflags = &gcf;
	wo.asmflags = &asmf;
	wo.ldflags = &ldf;
	wo.buildmode = "default";
	wo.buildvcs = "false";
	wo.installsuffix = bf.installsuffix;
	wo.clean_goexperiment = cfg.goexperiment;
	wo.cwd = cwd;
	wo.cmd_name = "vet";
	if (work_builder_new(&cfg, ld, &wo, &b, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		goto out;
	}
	work_vet_setup(b, &vo);
	for (size_t i = 0; i < roots.n; i++) {
		struct load_pkg *p = roots.v[i], *pmain = NULL, *ptest = NULL, *pxtest = NULL;
		load_test_packages(ld, p, &pmain, &ptest, &pxtest);
		{
			/* TestPackagesFor's error: the test packages' own, or the
			 * first of the packages below an incomplete one */
			struct load_pkg *cand[3] = {ptest, pxtest, pmain};
			struct load_pkg *bad = cmd_test_first_error(ld, cand, 3);
			if (bad) {
				fprintf(stderr, "%s\n", load_error_text(load_arena(ld), bad->error));
				base_set_exit_status(1);
				continue;
			}
		}
		if (ptest->go_files.n + ptest->cgo_files.n == 0 && !pxtest) {
			fprintf(stderr, "%s: can't vet %s: no Go files in %s\n", prog_name, p->import_path, p->dir);
			base_set_exit_status(1);
			continue;
		}
		{
			struct load_pkg *cand[2] = {ptest->go_files.n + ptest->cgo_files.n ? ptest : NULL, pxtest};
			const char *why = cmd_cgo_vet_unsupported(ld, cand[0], cand[1], true, false);
			if (why) {
				base_errorf("%s: %s", p->import_path, why);
				continue;
			}
			for (size_t j = 0; j < 2; j++)
				if (cand[j])
					work_add_vet(b, cand[j], &pass);
		}
	}
	rc = work_run(b);
out:
	work_builder_free(b);
	if (rc == 0 && base_exit_status() != 0)
		rc = base_exit_status();
	VEC_FREE(&roots);
	VEC_FREE(&all);
	load_state_free(ld);
	cfg_release(&cfg);
	link_perpkg_flags_release(&gcf);
	link_perpkg_flags_release(&asmf);
	link_perpkg_flags_release(&ldf);
	for (size_t i = 0; i < tf.n; i++) {
		free(tf.v[i].name);
		free(tf.v[i].value);
		free(tf.v[i].goflags_value);
	}
	VEC_FREE(&tf);
	strvec_clear(&pass);
	strvec_clear(&toolexec);
	build_flags_release(&bf);
	free(defs);
	free(vettool_flag);
	free(tool);
	free(cwd);
	err_clear(&e);
	if (rc != 0 && base_exit_status() == 0)
		base_set_exit_status(rc);
	return rc ? 1 : 0;
}

const struct command cmd_vet_cmd = {
	"vet", "report likely mistakes in packages",
	"vet [build flags] [-vettool prog] [vet flags] [packages]",
	"Vet runs the Go vet tool (cmd/vet, or the -vettool program) on the named\n"
	"packages, with their test files, and reports its diagnostics as go vet\n"
	"does: \"file:line:col: message\" on standard error and exit status 1.\n"
	"The tool's facts about each dependency are computed once and kept in the\n"
	"build cache, so a second run of an unchanged package runs nothing.\n"
	"\n"
	"It accepts the build flags, -vettool, -json (print the tool's JSON),\n"
	"-c=N (lines of context), and every flag the vet tool declares (see\n"
	"'go tool vet help'). -fix and -diff are not supported yet.\n",
	run_vet,
};
