/*
 * `gotool work`: the dispatch of its subcommands (a table: add a row per
 * subcommand) and `work edit` (workcmd/edit.go, go1.26).  The editing
 * flags are parsed and applied by mod.c's shared code; the go.work
 * editing itself is modload/modedit.c.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
	if (cmd_write_file(gowork, &out, &e) < 0)
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


/* ---- work init ---------------------------------------------------------------------- */

/* rel_to is filepath.Rel(base, target) for clean absolute paths (heap). */
static char *rel_to(const char *base, const char *target)
{
	size_t i = 0, common = 0;
	struct buf b = BUF_INIT;
	while (base[i] && target[i] && base[i] == target[i]) {
		i++;
		if ((base[i] == '/' || base[i] == '\0') && (target[i] == '/' || target[i] == '\0'))
			common = i;
	}
	if (strcmp(base, "/") == 0)
		common = 0;
	if (base[common] == '\0' && target[common] == '\0')
		return xstrdup(".");
	for (const char *q = base + common; *q; q++)
		if (*q == '/' && q[1] != '\0')
			buf_adds(&b, b.len ? "/.." : "..");
	const char *rest = target[common] == '/' ? target + common + 1 : target + common;
	if (*rest) {
		if (b.len)
			buf_addch(&b, '/');
		buf_adds(&b, rest);
	}
	char *r = xstrdup(buf_cstr(&b));
	buf_release(&b);
	return r;
}

/* path_rel mirrors workcmd's pathRel: the absolute directory and the form to write (heap). */
static void path_rel(const char *work_dir, const char *cwd, const char *dir, char **abs, char **canon)
{
	if (path_is_abs(dir)) {
		*abs = path_clean(dir);
		*canon = xstrdup(*abs);
		return;
	}
	*abs = path_join(cwd, dir);
	char *rel = rel_to(work_dir, *abs);
	if (mod_is_directory_path(rel)) {
		*canon = rel;
		return;
	}
	char *c = path_clean(rel);
	*canon = xasprintf("./%s", c);
	free(c);
	free(rel);
}

/* A directory kept (dir) or to drop (dir "") by workUse, keyed by its absolute path. */
struct keep {
	VEC(char *) abs, dir;
};

static long keep_find(const struct keep *k, const char *abs)
{
	for (size_t i = 0; i < k->abs.n; i++)
		if (strcmp(k->abs.v[i], abs) == 0)
			return (long)i;
	return -1;
}

static void keep_set(struct keep *k, const char *abs, const char *dir)
{
	long i = keep_find(k, abs);
	if (i < 0) {
		VEC_PUSH(&k->abs, xstrdup(abs));
		VEC_PUSH(&k->dir, xstrdup(dir));
		return;
	}
	free(k->dir.v[i]);
	k->dir.v[i] = xstrdup(dir);
}

struct use_ctx {
	const char *work_dir, *cwd;
	struct keep keep;
	struct strvec errs; /* the toolchain switcher's errors, printed after the walk */
	bool failed;
};

/* look_dir is workUse's lookDir. */
static void look_dir(struct use_ctx *u, const char *arg)
{
	char *abs = NULL, *dir = NULL, *file = NULL;
	struct stat st;
	path_rel(u->work_dir, u->cwd, arg, &abs, &dir);
	file = path_join(abs, "go.mod");
	if (stat(file, &st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			keep_set(&u->keep, abs, "");
		else
			strvec_push_take(&u->errs, xasprintf("stat %s: %s", file, os_errstr(errno)));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		char *sp = cmd_short_path(file);
		strvec_push_take(&u->errs, xasprintf("%s is not a regular file", sp));
		free(sp);
		goto out;
	}
	long k = keep_find(&u->keep, abs);
	if (k >= 0 && u->keep.dir.v[k][0] != '\0' && strcmp(u->keep.dir.v[k], dir) != 0) {
		fflush(stdout);
		fprintf(stderr, "%s: already added \"%s\" as \"%s\"\n", prog_name, dir, u->keep.dir.v[k]);
		u->failed = true;
	}
	keep_set(&u->keep, abs, dir);
out:
	free(abs);
	free(dir);
	free(file);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* walk_dirs is WalkDir over root calling look_dir on every directory, in lexical order;
 * symlinks to directories are not followed (go warns about them). */
static void walk_dirs(struct use_ctx *u, const char *root)
{
	DIR *d = opendir(root);
	struct dirent *de;
	struct strvec names = {0};
	look_dir(u, root);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			strvec_push(&names, de->d_name);
	closedir(d);
	if (names.n > 1)
		qsort(names.v, names.n, sizeof *names.v, cmp_str);
	for (size_t i = 0; i < names.n; i++) {
		char *p = path_join(root, names.v[i]);
		struct stat st, tst;
		if (lstat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				walk_dirs(u, p);
			} else if (S_ISLNK(st.st_mode) && stat(p, &tst) == 0 && S_ISDIR(tst.st_mode)) {
				char *sp = cmd_short_path(p);
				fflush(stdout);
				fprintf(stderr, "warning: ignoring symlink %s\n", sp);
				free(sp);
			}
		}
		free(p);
	}
	strvec_clear(&names);
}

/* has_path_prefix is str.HasFilePathPrefix for clean absolute paths. */
static bool has_path_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(s, prefix, n) != 0)
		return false;
	return s[n] == '\0' || s[n] == '/' || (n > 0 && prefix[n - 1] == '/');
}

/* too_new is gover.TooNewError's text (heap). */
static char *too_new(const struct cfg *c, const char *what, const char *v)
{
	return tc_too_new_error(what, v, c->tc.gover);
}

/* go_cmp compares go versions as gover.Compare does for the released forms we meet. */
static int go_cmp(const char *a, const char *b)
{
	char *x = xasprintf("v%s", a), *y = xasprintf("v%s", b);
	int c = mod_semver_compare(x, y);
	free(x);
	free(y);
	return c;
}

/* update_work_go is modload.UpdateWorkGoVersion: go.work's go line raised
 * to go_v, and a toolchain line it makes redundant dropped. */
static void update_work_go(struct mod_edit *f, const char *go_v)
{
	if (go_cmp(f->go ? f->go : "1.18", go_v) < 0) {
		struct err e = ERR_INIT;
		mod_edit_add_go(f, go_v, &e);
		err_clear(&e);
		if (f->toolchain != NULL) {
			const char *tv = has_prefix(f->toolchain, "go") ? f->toolchain + 2 : "";
			char *same = xasprintf("go%s", go_v);
			if (strcmp(f->toolchain, same) == 0 || go_cmp(tv, go_v) < 0 || go_cmp(tv, "1.21") < 0)
				mod_edit_drop_toolchain(f);
			free(same);
		}
	}
}

/*
 * work_use mirrors workcmd's workUse (go1.26): adds the argument directories
 * holding a go.mod (all below them with recursive), drops those that went
 * away, and raises the go line to the modules' highest.  Returns false
 * after printing go's errors.
 */
static bool work_use(const struct cfg *c, const char *gowork, struct mod_edit *f, char **args, int n,
		     bool recursive)
{
	struct use_ctx u;
	struct keep have = {{0}, {0}};
	char *go_v = NULL;
	bool ok = false;

	memset(&u, 0, sizeof u);
	u.work_dir = path_dir(gowork);
	u.cwd = os_getwd();
	for (size_t i = 0; i < f->uses.n; i++) {
		const char *p = f->uses.v[i]->path;
		if (p == NULL)
			continue;
		char *abs = path_is_abs(p) ? path_clean(p) : path_join(u.work_dir, p);
		VEC_PUSH(&have.abs, abs);
		VEC_PUSH(&have.dir, xstrdup(p));
	}
	for (int i = 0; i < n; i++) {
		char *abs = NULL, *canon = NULL, *sp = NULL;
		path_rel(u.work_dir, u.cwd, args[i], &abs, &canon);
		sp = cmd_short_path(abs);
		if (!os_exists(abs)) {
			strvec_push_take(&u.errs, xasprintf("directory %s does not exist", sp));
		} else if (!os_is_dir(abs)) {
			strvec_push_take(&u.errs, xasprintf("%s is not a directory", sp));
		} else if (!recursive) {
			look_dir(&u, args[i]);
		} else {
			char *root = xasprintf("%s/", args[i]);
			char *clean = path_clean(root);
			walk_dirs(&u, has_suffix(args[i], "/") ? args[i] : clean);
			free(root);
			free(clean);
			for (size_t k = 0; k < have.abs.n; k++)
				if (has_path_prefix(have.abs.v[k], abs) && keep_find(&u.keep, have.abs.v[k]) < 0)
					keep_set(&u.keep, have.abs.v[k], "");
		}
		free(abs);
		free(canon);
		free(sp);
	}
	for (size_t k = 0; k < u.keep.abs.n; k++) {
		const char *keep_dir = u.keep.dir.v[k];
		size_t kept = 0;
		for (size_t j = 0; j < have.abs.n; j++) {
			if (strcmp(have.abs.v[j], u.keep.abs.v[k]) != 0)
				continue;
			if (strcmp(have.dir.v[j], keep_dir) == 0)
				kept++;
			else
				mod_edit_drop_use(f, have.dir.v[j]);
		}
		if (keep_dir[0] != '\0' && kept != 1) {
			if (kept > 1)
				mod_edit_drop_use(f, keep_dir);
			mod_edit_add_use(f, keep_dir, "");
		}
	}
	/* the go version: the highest of go.work's and the used modules' */
	go_v = xstrdup(f->go ? f->go : "1.18");
	for (size_t i = 0; i < f->uses.n; i++) {
		const char *p = f->uses.v[i]->path;
		struct buf data = BUF_INIT;
		struct arena a;
		struct mod_file *mf = NULL;
		struct err e = ERR_INIT;
		if (p == NULL)
			continue;
		char *abs = path_is_abs(p) ? path_clean(p) : path_join(u.work_dir, p);
		char *gomod = path_join(abs, "go.mod");
		arena_init(&a);
		char *sp = cmd_short_path(gomod);
		/* modload.ReadModFile */
		if (os_read_file(gomod, &data, 0, &e) < 0) {
			strvec_push(&u.errs, err_msg(&e));
		} else if (mod_file_parse(&a, sp, buf_cstr(&data), data.len, true, &mf, &e) < 0) {
			strvec_push_take(&u.errs, xasprintf("errors parsing %s:\n%s", sp, err_msg(&e)));
		} else if (mf->go != NULL && go_cmp(mf->go, c->tc.gover) > 0) {
			strvec_push_take(&u.errs, too_new(c, sp, mf->go));
		} else if (mf->module == NULL) {
			strvec_push_take(&u.errs, xasprintf("error reading %s: missing module declaration. To specify the "
							    "module path:\n\t%s mod edit -module=example.com/mod", sp,
							    prog_name));
		} else if (strcmp(mf->module, "go") == 0 || strcmp(mf->module, "toolchain") == 0) {
			strvec_push_take(&u.errs, xasprintf("error reading %s: invalid module path: \"%s\"", sp, mf->module));
		} else {
			const char *mv = mf->go ? mf->go : "1.16";
			if (go_cmp(mv, go_v) > 0) {
				free(go_v);
				go_v = xstrdup(mv);
			}
		}
		free(sp);
		err_clear(&e);
		arena_release(&a);
		buf_release(&data);
		free(gomod);
		free(abs);
	}
	for (size_t i = 0; i < u.errs.n; i++) {
		fflush(stdout);
		fprintf(stderr, "%s: %s\n", prog_name, u.errs.v[i]);
		u.failed = true;
	}
	if (u.failed)
		goto out;
	update_work_go(f, go_v);
	ok = true;
out:
	for (size_t i = 0; i < have.abs.n; i++) {
		free(have.abs.v[i]);
		free(have.dir.v[i]);
	}
	VEC_FREE(&have.abs);
	VEC_FREE(&have.dir);
	for (size_t i = 0; i < u.keep.abs.n; i++) {
		free(u.keep.abs.v[i]);
		free(u.keep.dir.v[i]);
	}
	VEC_FREE(&u.keep.abs);
	VEC_FREE(&u.keep.dir);
	strvec_clear(&u.errs);
	free((char *)u.work_dir);
	free((char *)u.cwd);
	free(go_v);
	return ok;
}

/* find_gowork is modload.FindGoWork: GOWORK, else the go.work from here up (heap or NULL). */
static char *find_gowork(const struct cfg *c, const char *cwd)
{
	const char *env = cfg_getenv(c, "GOWORK");
	if (env != NULL && env[0] != '\0' && strcmp(env, "auto") != 0) {
		if (strcmp(env, "off") == 0)
			return NULL;
		if (!path_is_abs(env))
			base_fatalf("invalid GOWORK: not an absolute path");
		return path_clean(env);
	}
	return mod_find_gowork_goroot(cwd, c->tc.goroot);
}

/* parse_flags parses the flags of work init / work use (-r when r != NULL). */
static int parse_flags(const struct command *cmd, struct cfg *c, bool *r, int *argc, char ***argv)
{
	bool modcacherw = false;
	char *modfile = NULL;
	struct err e = ERR_INIT;
	struct flag_def defs[] = {
		{"C", FLAG_FUNC, NULL, cmd_chdir_not_first, "", false},
		{"modcacherw", FLAG_BOOL, &modcacherw, NULL, "", false},
		{"modfile", FLAG_STRING, &modfile, NULL, "", false},
		{"r", FLAG_BOOL, r, NULL, "", false},
	};
	size_t nd = r ? countof(defs) : countof(defs) - 1;
	if (flag_apply_goflags(defs, nd, c->goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		cmd_usage_exit(cmd);
	}
	int first = flag_parse(defs, nd, *argc - 1, *argv + 1, &e);
	if (first < 0) {
		if (first != FLAG_HELP)
			fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(cmd);
	}
	c->modcache_rw = modcacherw;
	*argc -= 1 + first;
	*argv += 1 + first;
	free(modfile);
	return 0;
}

/* write_work is modload.WriteWorkFile. */
static void write_work(const char *gowork, struct mod_edit *f)
{
	struct buf out = BUF_INIT;
	struct err e = ERR_INIT;
	mod_edit_sort_blocks(f);
	mod_edit_cleanup(f);
	mod_edit_format(f, &out);
	if (cmd_write_file(gowork, &out, &e) < 0)
		base_fatalf("%s", err_msg(&e));
	buf_release(&out);
}

static const struct command work_init_cmd;

static int run_work_init(int argc, char **argv)
{
	struct err e = ERR_INIT;
	struct cfg c;
	char *cwd = NULL, *gowork = NULL;
	struct mod_edit *f = NULL;
	int rc;

	if ((rc = cmd_load_cfg(&c)) != 0)
		return rc;
	parse_flags(&work_init_cmd, &c, NULL, &argc, &argv);
	cwd = os_getwd();
	if (cwd == NULL)
		base_fatalf("cannot determine current directory");
	gowork = find_gowork(&c, cwd);
	if (gowork == NULL)
		gowork = path_join(cwd, "go.work");
	if (os_exists(gowork))
		base_fatalf("%s already exists", gowork);
	f = mod_edit_new(true);
	if (mod_edit_add_go(f, c.tc.gover, &e) < 0)
		base_fatalf("%s", err_msg(&e));
	rc = 1;
	if (work_use(&c, gowork, f, argv, argc, false)) {
		write_work(gowork, f);
		rc = 0;
	}
	mod_edit_free(f);
	free(cwd);
	free(gowork);
	cfg_release(&c);
	return rc;
}

static const struct command work_use_cmd;

static int run_work_use(int argc, char **argv)
{
	struct err e = ERR_INIT;
	struct cfg c;
	char *cwd = NULL, *gowork = NULL, *sp = NULL;
	struct mod_edit *f = NULL;
	struct buf data = BUF_INIT;
	bool r = false;
	int rc;

	if ((rc = cmd_load_cfg(&c)) != 0)
		return rc;
	parse_flags(&work_use_cmd, &c, &r, &argc, &argv);
	cwd = os_getwd();
	if (cwd == NULL)
		base_fatalf("cannot determine current directory");
	gowork = find_gowork(&c, cwd);
	if (gowork == NULL)
		base_fatalf("no go.work file found\n\t(run '%s work init' first or specify path using GOWORK environment variable)",
			    prog_name);
	sp = cmd_short_path(gowork);
	if (os_read_file(sp, &data, 0, &e) < 0)
		base_fatalf("reading go.work: %s", err_msg(&e));
	if (mod_edit_parse(sp, buf_cstr(&data), data.len, true, &f, &e) < 0)
		base_fatalf("errors parsing go.work:\n%s", err_msg(&e));
	if (f->go != NULL && go_cmp(f->go, c.tc.gover) > 0) {
		char *m = too_new(&c, sp, f->go);
		fflush(stdout);
		fprintf(stderr, "%s: %s\n", prog_name, m);
		free(m);
		base_exit(1);
	}
	rc = 1;
	if (work_use(&c, gowork, f, argv, argc, r)) {
		write_work(gowork, f);
		rc = 0;
	}
	mod_edit_free(f);
	buf_release(&data);
	free(cwd);
	free(gowork);
	free(sp);
	cfg_release(&c);
	return rc;
}

static const struct command work_sync_cmd;

/* update_work_file is modload.UpdateWorkFile: each use line is rewritten
 * by AddUse with its module's path when the go.mod beside it (its
 * directory as go.work spells it, read from the current directory as go
 * does) can be read. */
static void update_work_file(struct mod_edit *f)
{
	for (size_t i = 0; i < f->uses.n; i++) {
		const char *p = f->uses.v[i]->path;
		struct buf data = BUF_INIT;
		struct arena a;
		struct mod_file *mf = NULL;
		struct err e = ERR_INIT;
		char *gomod, *dir;
		if (p == NULL || p[0] == '\0')
			continue;
		dir = xstrdup(p);
		gomod = path_join(dir, "go.mod");
		arena_init(&a);
		if (os_read_file(gomod, &data, 0, &e) == 0 &&
		    mod_file_parse(&a, gomod, buf_cstr(&data), data.len, true, &mf, &e) == 0 && mf->module != NULL)
			mod_edit_add_use(f, dir, mf->module);
		err_clear(&e);
		arena_release(&a);
		buf_release(&data);
		free(gomod);
		free(dir);
	}
}

static int run_work_sync(int argc, char **argv)
{
	struct err e = ERR_INIT;
	struct cfg c;
	char *cwd = NULL, *gowork = NULL, *path = NULL, *go_v = NULL, *sp = NULL;
	struct mod_edit *f = NULL;
	struct buf data = BUF_INIT;
	int rc;

	if ((rc = cmd_load_cfg(&c)) != 0)
		return rc;
	parse_flags(&work_sync_cmd, &c, NULL, &argc, &argv);
	cwd = os_getwd();
	if (cwd == NULL)
		base_fatalf("cannot determine current directory");
	gowork = find_gowork(&c, cwd);
	if (gowork == NULL)
		base_fatalf("no go.work file found\n\t(run '%s work init' first or specify path using GOWORK environment variable)",
			    prog_name);
	rc = mod_work_sync(&c, &path, &go_v);
	if (rc != 0)
		goto out;
	/* modload.ReadWorkFile, UpdateWorkGoVersion, UpdateWorkFile, WriteWorkFile */
	sp = cmd_short_path(path);
	if (os_read_file(sp, &data, 0, &e) < 0)
		base_fatalf("reading go.work: %s", err_msg(&e));
	if (mod_edit_parse(sp, buf_cstr(&data), data.len, true, &f, &e) < 0)
		base_fatalf("errors parsing %s:\n%s", sp, err_msg(&e));
	update_work_go(f, go_v);
	update_work_file(f);
	write_work(path, f);
	rc = base_exit_status();
out:
	mod_edit_free(f);
	buf_release(&data);
	free(cwd);
	free(gowork);
	free(path);
	free(go_v);
	free(sp);
	cfg_release(&c);
	return rc;
}

static const struct command work_sync_cmd = {
	"work sync", "sync workspace build list to modules", "work sync",
	"Sync syncs the workspace's build list back to the\n"
	"workspace's modules\n"
	"\n"
	"The workspace's build list is the set of versions of all the\n"
	"(transitive) dependency modules used to do builds in the workspace. go\n"
	"work sync generates that build list using the Minimal Version Selection\n"
	"algorithm, and then syncs those versions back to each of modules\n"
	"specified in the workspace (with use directives).\n"
	"\n"
	"The syncing is done by sequentially upgrading each of the dependency\n"
	"modules specified in a workspace module to the version in the build list\n"
	"if the dependency module's version is not already the same as the build\n"
	"list's version. Note that Minimal Version Selection guarantees that the\n"
	"build list's version of each module is always the same or higher than\n"
	"that in each workspace module.\n"
	"\n"
	"See the workspaces reference at https://go.dev/ref/mod#workspaces\n"
	"for more information.\n",
	run_work_sync,
};

static const struct command work_vendor_cmd;

/* run_work_vendor is workcmd/vendor.go's runVendor: InitWorkfile, then
 * RunVendor in workspace mode (modload/vendor.c). */
static int run_work_vendor(int argc, char **argv)
{
	struct mod_vendor_opts o = {0};
	char *out = NULL, *modfile = NULL, *cwd = NULL, *gowork = NULL;
	bool modcacherw = false;
	struct flag_def defs[] = {
		{"C", FLAG_FUNC, NULL, cmd_chdir_not_first, "", false},
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
		cmd_usage_exit(&work_vendor_cmd);
	}
	first = flag_parse(defs, countof(defs), argc - 1, argv + 1, &e);
	if (first < 0) {
		if (first != FLAG_HELP)
			fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(&work_vendor_cmd);
	}
	cwd = os_getwd();
	if (cwd == NULL)
		base_fatalf("cannot determine current directory");
	gowork = find_gowork(&c, cwd);
	if (gowork == NULL)
		base_fatalf("no go.work file found\n\t(run '%s work init' first or specify path using GOWORK environment variable)",
			    prog_name);
	o.modfile = modfile;
	c.modcache_rw = modcacherw;
	o.out = out;
	o.embed = cmd_embed_hook;
	rc = mod_work_vendor(&c, &o, (size_t)(argc - 1 - first));
	err_clear(&e);
	free(out);
	free(modfile);
	free(cwd);
	free(gowork);
	cfg_release(&c);
	return rc;
}

static const struct command work_vendor_cmd = {
	"work vendor", "make vendored copy of dependencies", "work vendor [-e] [-v] [-o outdir]",
	"Vendor resets the workspace's vendor directory to include all packages\n"
	"needed to build and test all the workspace's packages.\n"
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
	"primarily useful for other tools.\n",
	run_work_vendor,
};

static const struct command work_use_cmd = {
	"work use", "add modules to workspace file", "work use [-r] [moddirs]",
	"Use provides a command-line interface for adding\n"
	"directories, optionally recursively, to a go.work file.\n"
	"\n"
	"A use directive will be added to the go.work file for each argument\n"
	"directory listed on the command line go.work file, if it exists,\n"
	"or removed from the go.work file if it does not exist.\n"
	"Use fails if any remaining use directives refer to modules that\n"
	"do not exist.\n"
	"\n"
	"The -r flag searches recursively for modules in the argument\n"
	"directories, and the use command operates as if each of the directories\n"
	"were specified as arguments.\n",
	run_work_use,
};

static const struct command work_init_cmd = {
	"work init", "initialize workspace file", "work init [moddirs]",
	"Init initializes and writes a new go.work file in the\n"
	"current directory, in effect creating a new workspace at the current\n"
	"directory.\n"
	"\n"
	"go work init optionally accepts paths to the workspace modules as\n"
	"arguments. If the argument is omitted, an empty workspace with no\n"
	"modules will be created.\n"
	"\n"
	"Each argument path is added to a use directive in the go.work file. The\n"
	"current go version will also be listed in the go.work file.\n",
	run_work_init,
};

const struct command *const cmd_work_subs[] = {
	&work_edit_cmd,
	&work_init_cmd,
	&work_sync_cmd,
	&work_use_cmd,
	&work_vendor_cmd,
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
	"Work runs the workspace commands gotool has: 'work edit', 'work init',\n"
	"'work sync', 'work use' and 'work vendor'.\n"
	"Use \"gotool help work <command>\" for one of them.\n",
	run_work,
};
