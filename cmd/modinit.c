/*
 * `gotool mod init [module-path]` (modcmd/init.go and modload.CreateModFile,
 * go1.26): infer or check the module path, write go.mod with the module and
 * go lines.  A new module has no requirements, so commitRequirements writes
 * just those two lines.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/internal.h"
#include "modload/modload.h"

static bool is_digit_or_dot(char c)
{
	return (c >= '0' && c <= '9') || c == '.';
}

/* first_number is strings.FieldsFunc(s, non-digit)[0] with leading zeros trimmed (heap). */
static char *first_number(const char *s)
{
	while (*s && !(*s >= '0' && *s <= '9'))
		s++;
	const char *e = s;
	while (*e >= '0' && *e <= '9')
		e++;
	while (s < e && *s == '0')
		s++;
	return xstrndup(s, (size_t)(e - s));
}

static char *trim_suffix(char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	if (n >= k && strcmp(s + n - k, suf) == 0)
		s[n - k] = '\0';
	return s;
}

/* suggest mirrors modload.suggestModulePath (gopkgin: suggestGopkgIn); heap. */
static char *suggest(const char *path, bool gopkgin)
{
	size_t i = strlen(path);
	while (i > 0 && is_digit_or_dot(path[i - 1]))
		i--;
	char *url = xstrndup(path, i), *m, *r;
	if (gopkgin)
		trim_suffix(url, ".v");
	trim_suffix(url, "/v");
	trim_suffix(url, "/");
	m = first_number(gopkgin ? path : path + i);
	if (gopkgin)
		r = m[0] == '\0' ? xasprintf("%s.v1", url) : xasprintf("%s.v%s", url, m);
	else
		r = (m[0] == '\0' || strcmp(m, "1") == 0) ? xasprintf("%s/v2", url) : xasprintf("%s/v%s", url, m);
	free(url);
	free(m);
	return r;
}

/* import_comment mirrors findImportComment's
 * (?m)^package[ \t]+[^ \t\r\n/]+[ \t]+//[ \t]+import[ \t]+("[^"]+")[ \t]*\r?\n (heap or NULL). */
static char *import_comment(const char *file)
{
	struct buf b = BUF_INIT, v = BUF_INIT;
	struct err e = ERR_INIT;
	char *res = NULL;
	if (os_read_file(file, &b, 0, &e) < 0) {
		err_clear(&e);
		goto out;
	}
	for (const char *l = buf_cstr(&b); l != NULL && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *p = l;
		if (strncmp(p, "package", 7) != 0)
			continue;
		p += 7;
#define SKIP_WS(min) do { const char *_s = p; while (*p == ' ' || *p == '\t') p++; if (p - _s < (min)) goto next; } while (0)
		SKIP_WS(1);
		{
			const char *s = p;
			while (*p && !strchr(" \t\r\n/", *p))
				p++;
			if (p == s)
				goto next;
		}
		SKIP_WS(1);
		if (strncmp(p, "//", 2) != 0)
			goto next;
		p += 2;
		SKIP_WS(0);
		if (strncmp(p, "import", 6) != 0)
			goto next;
		p += 6;
		SKIP_WS(1);
		if (*p != '"')
			goto next;
		{
			const char *q = p + 1;
			while (*q && *q != '"' && *q != '\n')
				q++;
			if (*q != '"' || q == p + 1)
				goto next;
			const char *end = q + 1, *t = end;
			while (*t == ' ' || *t == '\t')
				t++;
			if (*t == '\r')
				t++;
			if (*t != '\n')
				goto next;
			buf_reset(&v);
			if (mod_strconv_unquote(p, (size_t)(end - p), &v) < 0)
				goto out;
			res = xstrdup(buf_cstr(&v));
			goto out;
		}
#undef SKIP_WS
next:;
	}
out:
	buf_release(&b);
	buf_release(&v);
	return res;
}

static bool regular_go(const char *dir, const char *name)
{
	char *p = path_join(dir, name);
	struct stat st;
	bool ok = strlen(name) > 3 && strcmp(name + strlen(name) - 3, ".go") == 0 && lstat(p, &st) == 0 &&
		  S_ISREG(st.st_mode);
	free(p);
	return ok;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* read_names lists dir sorted (os.ReadDir); heap strvec. */
static void read_names(const char *dir, struct strvec *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			strvec_push(out, de->d_name);
	closedir(d);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, cmp_names);
}

/* find_module_path mirrors modload.findModulePath; heap, or NULL with the message in e. */
static char *find_module_path(const struct cfg *c, const char *dir, struct err *e)
{
	struct strvec list = {0};
	char *res = NULL, *bad = NULL;
	read_names(dir, &list);
	for (size_t i = 0; i < list.n && !res; i++) {
		if (regular_go(dir, list.v[i])) {
			char *p = path_join(dir, list.v[i]);
			res = import_comment(p);
			free(p);
		}
	}
	for (size_t i = 0; i < list.n && !res; i++) {
		char *sub = path_join(dir, list.v[i]);
		struct strvec files = {0};
		if (os_is_dir(sub)) {
			read_names(sub, &files);
			for (size_t j = 0; j < files.n && !res; j++) {
				if (regular_go(sub, files.v[j])) {
					char *p = path_join(sub, files.v[j]), *com = import_comment(p);
					if (com) {
						char *s = strrchr(com, '/');
						res = s ? xstrndup(com, (size_t)(s - com)) : xstrdup(".");
						free(com);
					}
					free(p);
				}
			}
		}
		strvec_clear(&files);
		free(sub);
	}
	strvec_clear(&list);
	if (res)
		return res;
	/* the path in GOPATH */
	for (const char *g = c->gopath; g && *g;) {
		const char *colon = strchr(g, ':');
		size_t n = colon ? (size_t)(colon - g) : strlen(g);
		if (n > 0) {
			char *gp = xstrndup(g, n), *src = path_join(gp, "src");
			size_t k = strlen(src);
			if (strncmp(dir, src, k) == 0 && dir[k] == '/' && dir[k + 1] != '\0') {
				struct err pe = ERR_INIT;
				const char *rel = dir + k + 1;
				if (mod_check_import_path(rel, &pe) < 0) {
					bad = xstrdup(err_msg(&pe));
					err_clear(&pe);
					free(gp);
					free(src);
					break;
				}
				res = xstrdup(rel);
			}
			free(gp);
			free(src);
			if (res)
				return res;
		}
		if (!colon)
			break;
		g = colon + 1;
	}
	{
		char *reason = bad ? xasprintf("bad module path inferred from directory in GOPATH: %s", bad)
				   : xstrdup("outside GOPATH, module path must be specified");
		err_setf(e, "cannot determine module path for source directory %s (%s)\n\n"
			 "Example usage:\n"
			 "\t'%s mod init example.com/m' to initialize a v0 or v1 module\n"
			 "\t'%s mod init example.com/m/v2' to initialize a v2 module\n\n"
			 "Run '%s help mod init' for more information.",
			 dir, reason, prog_name, prog_name, prog_name);
		free(reason);
	}
	free(bad);
	return NULL;
}

static const char *const local_prefixes[] = {"./", "../"};

static int run_mod_init(int argc, char **argv)
{
	struct err e = ERR_INIT;
	struct cfg c;
	char *wd = NULL, *gomod = NULL, *found = NULL;
	const char *path = NULL;
	struct mod_edit *f = NULL;
	struct buf out = BUF_INIT;
	bool modcacherw = false;
	char *modfile = NULL;
	int rc, first;
	struct flag_def defs[] = {
		{"C", FLAG_FUNC, NULL, cmd_chdir_not_first, "", false},
		{"modcacherw", FLAG_BOOL, &modcacherw, NULL, "", false},
		{"modfile", FLAG_STRING, &modfile, NULL, "", false},
	};

	if ((rc = cmd_load_cfg(&c)) != 0)
		return rc;
	if (flag_apply_goflags(defs, countof(defs), c.goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		cmd_usage_exit(&cmd_mod_init_cmd);
	}
	first = flag_parse(defs, countof(defs), argc - 1, argv + 1, &e);
	if (first < 0) {
		if (first != FLAG_HELP)
			fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(&cmd_mod_init_cmd);
	}
	argc -= 1 + first;
	argv += 1 + first;
	if (argc > 1)
		base_fatalf("'%s mod init' accepts at most one argument", prog_name);
	wd = os_getwd();
	if (wd == NULL)
		base_fatalf("cannot determine current directory");
	/* modload.Init, with the module root set to the current directory */
	if (modfile && modfile[0] && !has_suffix(modfile, ".mod"))
		base_fatalf("-modfile=%s: file does not have .mod extension", modfile);
	gomod = modfile && modfile[0] ? xstrdup(modfile) : path_join(wd, "go.mod");
	if (os_exists(gomod))
		base_fatalf("%s already exists", gomod);
	if (argc == 0) {
		path = found = find_module_path(&c, wd, &e);
		if (path == NULL) {
			fflush(stdout);
			fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
			base_exit(1);
		}
	} else {
		char *prefix = NULL, *pm = NULL;
		path = argv[0];
		if (mod_check_import_path(path, &e) < 0) {
			const char *m = err_msg(&e);
			struct buf q = BUF_INIT;
			mod_strconv_quote(&q, path);
			bool local = strcmp(path, ".") == 0 || strcmp(path, "..") == 0;
			for (size_t i = 0; i < countof(local_prefixes); i++)
				local = local || has_prefix(path, local_prefixes[i]);
			/* module.InvalidPathError with Kind "module" */
			const char *why = strstr(m, buf_cstr(&q));
			why = why ? why + q.len : "";
			if (has_prefix(why, ": "))
				why += 2;
			base_fatalf("malformed module path %s: %s", buf_cstr(&q), local ? "is a local import path" : why);
		}
		if (strcmp(path, "go") == 0 || strcmp(path, "toolchain") == 0)
			base_fatalf("invalid module path \"%s\": ", path);
		if (!mod_split_path_version(path, &prefix, &pm)) {
			bool gopkgin = has_prefix(path, "gopkg.in/");
			char *s = suggest(path, gopkgin);
			if (gopkgin)
				base_fatalf("invalid module path \"%s\": module paths beginning with gopkg.in/ must always have "
					    "a major version suffix in the form of .vN:\n\t%s mod init %s",
					    path, prog_name, s);
			base_fatalf("invalid module path \"%s\": major version suffixes must be in the form of /vN and are "
				    "only allowed for v2 or later:\n\t%s mod init %s", path, prog_name, s);
		}
		free(prefix);
		free(pm);
	}
	fflush(stdout);
	fprintf(stderr, "%s: creating new go.mod: module %s\n", prog_name, path);
	f = mod_edit_new(false);
	mod_edit_add_module(f, path);
	if (mod_edit_add_go(f, c.tc.gover, &e) < 0)
		base_fatalf("%s", err_msg(&e));
	mod_edit_format(f, &out);
	if (os_write_file_atomic(gomod, buf_cstr(&out), out.len, 0666, &e) < 0)
		base_fatalf("%s", err_msg(&e));
	{
		/* suggest go mod tidy unless the directory looks empty */
		struct strvec names = {0};
		bool empty = true;
		read_names(wd, &names);
		for (size_t i = 0; i < names.n && empty; i++) {
			const char *n = names.v[i];
			char *p;
			if (n[0] == '.' || n[0] == '_')
				continue;
			p = path_join(wd, n);
			if ((strlen(n) > 3 && strcmp(n + strlen(n) - 3, ".go") == 0) || os_is_dir(p))
				empty = false;
			free(p);
		}
		strvec_clear(&names);
		if (!empty)
			fprintf(stderr, "%s: to add module requirements and sums:\n\t%s mod tidy\n", prog_name, prog_name);
	}
	rc = 0;
	buf_release(&out);
	mod_edit_free(f);
	free(wd);
	free(gomod);
	free(found);
	free(modfile);
	cfg_release(&c);
	return rc;
}

const struct command cmd_mod_init_cmd = {
	"mod init", "initialize new module in current directory", "mod init [module-path]",
	"Init initializes and writes a new go.mod file in the current directory, in\n"
	"effect creating a new module rooted at the current directory. The go.mod file\n"
	"must not already exist.\n"
	"\n"
	"Init accepts one optional argument, the module path for the new module. If the\n"
	"module path argument is omitted, init will attempt to infer the module path\n"
	"using import comments in .go files and the current directory (if in GOPATH).\n",
	run_mod_init,
};
