/*
 * Per-package flags: -gcflags, -ldflags, -asmflags and -gccgoflags values
 * of the form [<pattern>=]<flags> (cmd/go/internal/load/flag.go and
 * search.go MatchPackage, go1.26; see `go help build`).
 */
#include <stdlib.h>
#include <string.h>

#include "link/link.h"
#include "modload/modload.h"

enum ppf_kind {
	PPF_CMDLINE,   /* no pattern: the packages named on the command line */
	PPF_DIR,       /* relative pattern without "...": one directory */
	PPF_RELMATCH,  /* relative pattern with "...": matched below dir */
	PPF_ALL,
	PPF_STD,
	PPF_CMD,
	PPF_PATH,      /* "tool", "work" or an import path pattern */
};

struct link_ppf_value {
	enum ppf_kind kind;
	char *dir;       /* PPF_DIR, PPF_RELMATCH: cleaned absolute directory */
	char *pattern;   /* PPF_RELMATCH, PPF_PATH */
	struct strvec flags;
};

static const struct strvec no_flags;

void link_perpkg_flags_init(struct link_perpkg_flags *f)
{
	memset(f, 0, sizeof(*f));
}

static void ppf_free(struct link_ppf_value *v)
{
	free(v->dir);
	free(v->pattern);
	strvec_clear(&v->flags);
	free(v);
}

void link_perpkg_flags_release(struct link_perpkg_flags *f)
{
	size_t i;

	for (i = 0; i < f->values.n; i++)
		ppf_free(f->values.v[i]);
	VEC_FREE(&f->values);
	free(f->raw);
	f->raw = NULL;
	f->present = false;
}

const char *link_perpkg_flags_raw(const struct link_perpkg_flags *f)
{
	return f->raw ? f->raw : "";
}

/* strings.TrimSpace for the ASCII space set go's flag values meet */
static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static char *trim_space(const char *s, size_t n)
{
	while (n > 0 && is_space((unsigned char)s[0])) {
		s++;
		n--;
	}
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* mirrors load.MatchPackage's compile step (search.go, go1.26) */
static void compile_pattern(struct link_ppf_value *val, const char *pattern, const char *cwd)
{
	if (load_pattern_is_local(pattern)) {
		/* split into the leading directory (with its . and .. elements)
		 * and the final "..." pattern */
		const char *dots = strstr(pattern, "...");
		char *dir, *joined;

		if (dots == NULL) {
			dir = xstrdup(pattern);
			val->kind = PPF_DIR;
		} else {
			size_t j = (size_t)(dots - pattern);

			while (j > 0 && pattern[j - 1] != '/')
				j--;
			/* a local pattern has a '/' before any "..." */
			dir = xstrndup(pattern, j > 0 ? j - 1 : 0);
			val->pattern = xstrdup(pattern + j);
			val->kind = PPF_RELMATCH;
		}
		joined = path_join(cwd, dir);
		val->dir = path_clean(joined);
		free(joined);
		free(dir);
		return;
	}
	if (strcmp(pattern, "all") == 0) {
		/* every package, not the "all" package pattern (go does the same) */
		val->kind = PPF_ALL;
	} else if (strcmp(pattern, "std") == 0) {
		val->kind = PPF_STD;
	} else if (strcmp(pattern, "cmd") == 0) {
		val->kind = PPF_CMD;
	} else {
		val->kind = PPF_PATH;
		val->pattern = xstrdup(pattern);
	}
}

/* mirrors load.PerPackageFlag.set (flag.go, go1.26) */
int link_perpkg_flags_add(struct link_perpkg_flags *f, const char *v, const char *cwd, struct err *e)
{
	struct link_ppf_value *val = xcalloc(1, sizeof(*val));
	char *t = NULL, *pattern = NULL;
	const char *flags;
	int rc = -1;

	/* raw and present change even when the value is then rejected */
	free(f->raw);
	f->raw = xstrdup(v);
	f->present = true;
	val->kind = PPF_CMDLINE;
	/* spaces around the flags were ignored by the old splitting */
	t = trim_space(v, strlen(v));
	flags = t;
	if (*t != 0 && *t != '-') {
		const char *eq = strchr(t, '=');

		if (eq == NULL) {
			err_setf(e, "missing =<value> in <pattern>=<value>");
			goto out;
		}
		if (eq == t) {
			err_setf(e, "missing <pattern> in <pattern>=<value>");
			goto out;
		}
		if (*t == '\'' || *t == '"') {
			err_setf(e, "parameter may not start with quote character %c", *t);
			goto out;
		}
		pattern = trim_space(t, (size_t)(eq - t));
		compile_pattern(val, pattern, cwd);
		flags = eq + 1;
	}
	if (quoted_split(flags, &val->flags, e) < 0)
		goto out;
	VEC_PUSH(&f->values, val);
	val = NULL;
	rc = 0;
out:
	if (val)
		ppf_free(val);
	free(pattern);
	free(t);
	return rc;
}

/* filepath.Rel(dir, target) for clean absolute paths, or NULL when the
 * result would climb out of dir (the matcher rejects those anyway) */
static const char *rel_below(const char *dir, const char *target)
{
	size_t n = strlen(dir);

	if (strcmp(dir, target) == 0)
		return ".";
	if (!path_has_prefix_dir(target, dir))
		return NULL;
	if (n > 0 && dir[n - 1] == '/')
		return target + n;
	return target + n + 1;
}

static bool ppf_match(const struct link_ppf_value *v, const struct link_pkg *p)
{
	bool ok = false;
	char *dir = NULL;
	const char *rel;

	switch (v->kind) {
	case PPF_CMDLINE:
		return p->cmdline;
	case PPF_ALL:
		return true;
	case PPF_STD:
		return p->standard;
	case PPF_CMD:
		return p->standard && has_prefix(p->import_path, "cmd/");
	case PPF_PATH:
		if (strcmp(v->pattern, "tool") == 0 && p->modules_enabled)
			return p->is_tool;
		if (strcmp(v->pattern, "work") == 0 && p->modules_enabled)
			return p->in_main_module;
		return load_pattern_match(v->pattern, p->import_path);
	case PPF_DIR:
		/* go compares p.Dir as it is, without cleaning it */
		return p->dir != NULL && strcmp(p->dir, v->dir) == 0;
	case PPF_RELMATCH:
		if (p->dir == NULL || !path_is_abs(p->dir))
			return false; /* filepath.Rel fails: not comparable */
		dir = path_clean(p->dir);
		rel = rel_below(v->dir, dir);
		ok = rel != NULL && load_pattern_match(v->pattern, rel);
		free(dir);
		return ok;
	}
	return false;
}

/* mirrors load.PerPackageFlag.For: the last matching occurrence wins whole */
const struct strvec *link_perpkg_flags_for(const struct link_perpkg_flags *f, const struct link_pkg *p)
{
	const struct strvec *flags = &no_flags;
	size_t i;

	for (i = 0; i < f->values.n; i++)
		if (ppf_match(f->values.v[i], p))
			flags = &f->values.v[i]->flags;
	return flags;
}
