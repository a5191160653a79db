/*
 * Package pattern helpers: the limited "..." globs of import-path patterns,
 * the meta-package names, and the canonical form of command-line patterns.
 *
 * mirrors cmd/internal/pkgpattern/pkgpattern.go and
 * cmd/go/internal/search/search.go (go1.26)
 */
#include <stdlib.h>
#include <string.h>

#include "modload/modload.h"

/*
 * Go compiles a pattern to a regexp in which "..." is a wildcard that cannot
 * match a vendor element; vendor elements (other than the last) of both the
 * pattern and the name are replaced by a code point that names never hold.
 * We keep that design but match directly: a NUL byte stands for a replaced
 * vendor element (C strings cannot hold one, so it is unambiguous) and the
 * wildcard matches any run of non-NUL bytes.
 */
#define VENDOR_MARK '\0'

/* replace_vendor appends x to b with every non-trailing "vendor" element
 * replaced by VENDOR_MARK (pkgpattern replaceVendor). */
static void replace_vendor(struct buf *b, const char *x, size_t n)
{
	size_t i = 0, j;

	while (i <= n) {
		for (j = i; j < n && x[j] != '/'; j++)
			;
		if (j < n && j - i == 6 && memcmp(x + i, "vendor", 6) == 0)
			buf_addch(b, VENDOR_MARK);
		else
			buf_add(b, x + i, j - i);
		if (j < n)
			buf_addch(b, '/');
		i = j + 1;
	}
}

/*
 * glob_match reports whether name[0..nn) matches pat[0..pn), where "..."
 * (scanned left to right, without overlap, as strings.ReplaceAll does) is
 * a wildcard over non-NUL bytes and everything else is literal.  A table
 * over (pattern position, name position) keeps it linear in their product,
 * which is why Go uses a regexp instead of backtracking.
 */
static bool glob_match(const char *pat, size_t pn, const char *name, size_t nn)
{
	/* cur[j]: the pattern consumed so far matches name[0..j) */
	bool *cur = xcalloc(nn + 1, sizeof(bool));
	bool *nxt = xcalloc(nn + 1, sizeof(bool));
	bool *tmp, res;
	size_t i = 0, j;

	cur[0] = true;
	while (i < pn) {
		memset(nxt, 0, (nn + 1) * sizeof(bool));
		if (pn - i >= 3 && memcmp(pat + i, "...", 3) == 0) {
			bool reach = false;

			for (j = 0; j <= nn; j++) {
				if (cur[j])
					reach = true;
				nxt[j] = reach;
				if (j < nn && name[j] == VENDOR_MARK)
					reach = false;
			}
			i += 3;
		} else {
			for (j = 0; j < nn; j++)
				if (cur[j] && name[j] == pat[i])
					nxt[j + 1] = true;
			i++;
		}
		tmp = cur;
		cur = nxt;
		nxt = tmp;
	}
	res = cur[nn];
	free(cur);
	free(nxt);
	return res;
}

static bool buf_has_suffix(const struct buf *b, const char *suffix, size_t sn)
{
	return b->len >= sn && memcmp(b->data + b->len - sn, suffix, sn) == 0;
}

bool load_pattern_match(const char *pattern, const char *name)
{
	struct buf p = BUF_INIT, nm = BUF_INIT, alt = BUF_INIT;
	size_t plen = strlen(pattern), nlen = strlen(name);
	/* the trailing forms, with VENDOR_MARK spelled out */
	static const char vend_tail[] = "/\0/...";   /* 6 bytes */
	static const char vend_only[] = "\0/...";    /* 5 bytes */
	bool res = false;

	/* A pattern that is not UTF-8 matches nothing. */
	if (!utf8_string_valid(pattern, plen))
		return false;
	buf_init(&p);
	buf_init(&nm);
	buf_init(&alt);
	replace_vendor(&p, pattern, plen);
	replace_vendor(&nm, name, nlen);

	if (buf_has_suffix(&p, vend_tail, 6) || (p.len == 5 && memcmp(p.data, vend_only, 5) == 0)) {
		/* "x/vendor/..." matches x/vendor itself or below it; the
		 * lone "vendor/..." form gets a leading slash in go's regexp
		 * and so can only match names starting with "/" */
		size_t pre = p.len == 5 && memcmp(p.data, vend_only, 5) == 0 ? 0 : p.len - 6;

		buf_add(&alt, p.data, pre);
		buf_adds(&alt, "/vendor");
		if (glob_match(alt.data, alt.len, nm.data, nm.len)) {
			res = true;
			goto out;
		}
		buf_truncate(&alt, pre);
		buf_add(&alt, vend_tail, 6);
		res = glob_match(alt.data, alt.len, nm.data, nm.len);
	} else if (buf_has_suffix(&p, "/...", 4)) {
		/* a trailing "/..." may match the empty string */
		res = glob_match(p.data, p.len - 4, nm.data, nm.len) ||
		      glob_match(p.data, p.len, nm.data, nm.len);
	} else {
		res = glob_match(p.data, p.len, nm.data, nm.len);
	}
out:
	buf_release(&p);
	buf_release(&nm);
	buf_release(&alt);
	return res;
}

/* has_path_prefix reports whether s begins with the elements of prefix
 * (pkgpattern hasPathPrefix). */
static bool has_path_prefix(const char *s, size_t sn, const char *prefix, size_t pn)
{
	if (sn == pn)
		return memcmp(s, prefix, pn) == 0;
	if (sn < pn)
		return false;
	if (pn > 0 && prefix[pn - 1] == '/')
		return memcmp(s, prefix, pn) == 0;
	return s[pn] == '/' && memcmp(s, prefix, pn) == 0;
}

bool load_pattern_tree_can_match(const char *pattern, const char *dir)
{
	const char *dots = strstr(pattern, "...");
	size_t pn = dots ? (size_t)(dots - pattern) : strlen(pattern);

	/* dir is an ancestor of what the pattern names, or the pattern's
	 * literal prefix is a prefix of dir when a wildcard follows it */
	if (strlen(dir) <= pn && has_path_prefix(pattern, pn, dir, strlen(dir)))
		return true;
	return dots && strncmp(dir, pattern, pn) == 0;
}

bool load_pattern_is_meta(const char *p)
{
	return strcmp(p, "std") == 0 || strcmp(p, "cmd") == 0 || strcmp(p, "tool") == 0 ||
	       strcmp(p, "work") == 0 || strcmp(p, "all") == 0;
}

bool load_pattern_is_local(const char *p)
{
	return strcmp(p, ".") == 0 || strcmp(p, "..") == 0 || has_prefix(p, "./") || has_prefix(p, "../");
}

int load_clean_patterns(char *const *args, size_t n, struct strvec *out)
{
	size_t i;

	if (n == 0) {
		strvec_push(out, ".");
		return 0;
	}
	for (i = 0; i < n; i++) {
		const char *a = args[i];
		const char *at = NULL;
		char *p, *c, *res;

		/* a version suffix (x@v1) is kept apart from the path, except in
		 * local and absolute paths where "@" is just a character */
		if (!load_pattern_is_local(a) && a[0] != '/')
			at = strchr(a, '@');
		p = at ? xstrndup(a, (size_t)(at - a)) : xstrdup(a);
		if (p[0] == '/') {
			c = path_clean(p);
		} else {
			char *q;

			/* import-path-like arguments: accept Windows separators */
			for (q = p; *q; q++)
				if (*q == '\\')
					*q = '/';
			if (has_prefix(p, "./")) {
				/* keep the leading ./ that marks a directory */
				char *cl = path_clean(p);

				c = strcmp(cl, ".") == 0 ? xstrdup(".") : xasprintf("./%s", cl);
				free(cl);
			} else {
				c = path_clean(p);
			}
		}
		res = at ? xasprintf("%s%s", c, at) : xstrdup(c);
		strvec_push_take(out, res);
		free(c);
		free(p);
	}
	return 0;
}
