/* `gotool version`: the toolchain's version (cmd/go/internal/version, go1.26). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/internal.h"

/* defined in cmd/env.c */
int cmd_load_cfg(struct cfg *c);

bool cmd_in_goflags(const char *goflags, const char *name)
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

/* The flags of one `version` run with files. */
struct vopts {
	bool m, v, json;
	struct arena *a;
};

/* is_go_binary_candidate mirrors isGoBinaryCandidate: executable regular
 * files and names that look like executables or shared libraries. */
static bool is_go_binary_candidate(const char *file, const struct stat *st)
{
	char *lower;
	const char *ext;
	bool ok;

	if (S_ISREG(st->st_mode) && (st->st_mode & 0111) != 0)
		return true;
	lower = xstrdup(file);
	for (char *p = lower; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	ext = path_ext(lower);
	ok = strcmp(ext, ".so") == 0 || strcmp(ext, ".exe") == 0 || strcmp(ext, ".dll") == 0 ||
	     strstr(lower, ".so.") != NULL;
	free(lower);
	return ok;
}

/* scan_file mirrors scanFile: print file's Go version (and modules with
 * -m); report failures only when must_print.  Returns whether file is a
 * Go binary. */
static bool scan_file(const struct vopts *o, const char *file, struct stat st, bool must_print)
{
	struct buildinfo bi;
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	bool open_failed = false, ok = false;

	memset(&bi, 0, sizeof bi);
	if (S_ISLNK(st.st_mode)) {
		/* only symlinks to regular files count */
		if (stat(file, &st) < 0 || !S_ISREG(st.st_mode)) {
			if (must_print)
				fprintf(stderr, "%s: symlink\n", file);
			goto out;
		}
	}
	if (buildinfo_read_file(file, o->a, &bi, &open_failed, &e) < 0) {
		if (must_print) {
			if (open_failed)
				fprintf(stderr, "%s\n", file);
			else if (is_go_binary_candidate(file, &st))
				fprintf(stderr, "%s: %s\n", file, err_msg(&e));
		}
		goto out;
	}
	ok = true;
	if (o->m && o->json) {
		json_marshal_indent(&b, buildinfo_val(o->a, &bi), "", "\t");
		printf("%s\n", buf_cstr(&b));
		goto out;
	}
	printf("%s: %s\n", file, bi.go_version);
	bi.go_version = ""; /* String() would print it again */
	buildinfo_string(&b, &bi);
	if (o->m && b.len > 0) {
		putchar('\t');
		for (size_t i = 0; i + 1 < b.len; i++) {
			putchar(b.data[i]);
			if (b.data[i] == '\n')
				putchar('\t');
		}
		putchar('\n');
	}
out:
	buf_release(&b);
	buildinfo_release(&bi);
	err_clear(&e);
	return ok;
}

/* walk_dir visits dir's entries in lexical order like filepath.WalkDir,
 * scanning regular files and symlinks; unreadable directories are skipped
 * silently, as scanDir's callback ignores walk errors. */
static void walk_dir(const struct vopts *o, const char *dir)
{
	struct os_dirents ents = {0};
	struct err e = ERR_INIT;

	if (os_readdir_ents(dir, &ents, &e) < 0)
		goto out;
	for (size_t i = 0; i < ents.n; i++) {
		char *p = path_join(dir, ents.v[i].name);
		struct stat st;
		if (ents.v[i].type == OS_FT_DIR) {
			walk_dir(o, p);
		} else if (ents.v[i].type == OS_FT_REG || ents.v[i].type == OS_FT_LNK) {
			if (lstat(p, &st) < 0) {
				if (o->v)
					fprintf(stderr, "%s: lstat %s: %s\n", p, p, os_errstr(errno));
			} else {
				scan_file(o, p, st, o->v);
			}
		}
		free(p);
	}
out:
	err_clear(&e);
	os_dirents_release(&ents);
}

/* scan_dir mirrors scanDir: WalkDir looks at the root with lstat, so a
 * symlink to a directory is scanned as a file (and reported with -v). */
static void scan_dir(const struct vopts *o, const char *dir)
{
	struct stat st;

	if (lstat(dir, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode))
		walk_dir(o, dir);
	else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))
		scan_file(o, dir, st, o->v);
}

/* version_files is runVersion with file arguments: the exit status. */
static int version_files(int argc, char **argv, bool m, bool v, bool json)
{
	struct arena a;
	struct vopts o = {m, v, json, &a};
	int rc = 0;

	if (!m && json) {
		fprintf(stderr, "%s: '%s version' with -json flag requires -m flag\n", prog_name, prog_name);
		return 2;
	}
	arena_init(&a);
	for (int i = 0; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "stat %s: %s\n", argv[i], os_errstr(errno));
			rc = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode))
			scan_dir(&o, argv[i]);
		else if (!scan_file(&o, argv[i], st, true) && m)
			rc = 1;
	}
	arena_release(&a);
	fflush(stdout);
	return rc;
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
		rc = version_files(argc, argv, m, v, json);
		goto out;
	}
	/* mirrors runVersion: these flags only make sense with files, unless
	 * they come from GOFLAGS */
	if (!cmd_in_goflags(c.goflags, "m") && m)
		only = "-m";
	else if (!cmd_in_goflags(c.goflags, "v") && v)
		only = "-v";
	else if (!cmd_in_goflags(c.goflags, "json") && json)
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
	"With file arguments it prints the Go version each named Go binary was\n"
	"built with. A directory is walked recursively for recognized Go\n"
	"binaries; unrecognized files found there are reported only with -v.\n"
	"\n"
	"The -m flag also prints each binary's embedded module information, one\n"
	"line per module or build setting, each indented by a tab.\n"
	"\n"
	"The -json flag, which requires -m, prints the runtime/debug.BuildInfo\n"
	"instead, as JSON.\n",
	run_version,
};
