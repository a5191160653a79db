/*
 * go-import meta tags: the page a custom import path serves at
 * https://PATH?go-get=1 names the repository of its module.
 *
 * mirrors cmd/go/internal/vcs (go1.26): discovery.go (parseMetaGoImports:
 * the <meta name="go-import" content="prefix vcs repo [subdir]"> elements of
 * an HTML head, read with encoding/xml's non-strict tokenizer) and vcs.go
 * (matchGoImport, validateRepoSubDir, validateRepoRoot).  The fetching and
 * the checks around it are in direct.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "modload/modload.h"

/* ---- a tokenizer for the head of an HTML page (xml.Decoder, Strict false) */

struct mtok {
	const char *p, *end;
	int line;
};

static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_name_byte(int c)
{
	/* xml's isName, for ASCII; other bytes (UTF-8) are name bytes too */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':' ||
	       c == '.' || c == '-' || (unsigned char)c >= 0x80;
}

static void mtok_skip_space(struct mtok *t)
{
	while (t->p < t->end && is_space((unsigned char)*t->p)) {
		if (*t->p == '\n')
			t->line++;
		t->p++;
	}
}

/* mtok_skip_to moves past the next occurrence of s; false at EOF. */
static bool mtok_skip_to(struct mtok *t, const char *s)
{
	size_t n = strlen(s);
	while (t->p < t->end) {
		if ((size_t)(t->end - t->p) >= n && memcmp(t->p, s, n) == 0) {
			t->p += n;
			return true;
		}
		if (*t->p == '\n')
			t->line++;
		t->p++;
	}
	return false;
}

/* local_name is xml.Name.Local of a raw name: the part after a prefix. */
static struct str local_name(struct str name)
{
	const char *c = memchr(name.p, ':', name.n);
	if (c && c > name.p && c < name.p + name.n - 1)
		return (struct str){c + 1, name.n - (size_t)(c + 1 - name.p)};
	return name;
}

static bool name_is(struct str name, const char *want)
{
	struct str l = local_name(name);
	return l.n == strlen(want) && strncasecmp(l.p, want, l.n) == 0;
}

/* add_utf8 appends rune r (at most 0x10FFFF) as UTF-8. */
static void add_utf8(struct buf *out, uint32_t r)
{
	if (r < 0x80) {
		buf_addch(out, (char)r);
	} else if (r < 0x800) {
		buf_addch(out, (char)(0xC0 | (r >> 6)));
		buf_addch(out, (char)(0x80 | (r & 0x3F)));
	} else if (r < 0x10000) {
		buf_addch(out, (char)(0xE0 | (r >> 12)));
		buf_addch(out, (char)(0x80 | ((r >> 6) & 0x3F)));
		buf_addch(out, (char)(0x80 | (r & 0x3F)));
	} else {
		buf_addch(out, (char)(0xF0 | (r >> 18)));
		buf_addch(out, (char)(0x80 | ((r >> 12) & 0x3F)));
		buf_addch(out, (char)(0x80 | ((r >> 6) & 0x3F)));
		buf_addch(out, (char)(0x80 | (r & 0x3F)));
	}
}

/* unescape appends s to out with the XML entities go's non-strict decoder
 * knows replaced; others stay as written. */
static void unescape(struct buf *out, const char *s, size_t n)
{
	static const struct {
		const char *name, *text;
	} ents[] = {{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"apos", "'"}, {"quot", "\""}};

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '&') {
			buf_addch(out, s[i]);
			continue;
		}
		const char *semi = memchr(s + i, ';', n - i);
		size_t len = semi ? (size_t)(semi - (s + i)) - 1 : 0; /* between & and ; */
		const char *name = s + i + 1;
		bool done = false;
		if (semi && len > 1 && name[0] == '#') {
			unsigned long v = 0;
			bool hex = name[1] == 'x', ok = len > (hex ? 2u : 1u);
			for (size_t k = hex ? 2 : 1; ok && k < len; k++) {
				int c = (unsigned char)name[k], d;
				if (c >= '0' && c <= '9')
					d = c - '0';
				else if (hex && c >= 'a' && c <= 'f')
					d = c - 'a' + 10;
				else if (hex && c >= 'A' && c <= 'F')
					d = c - 'A' + 10;
				else
					ok = false, d = 0;
				v = v * (hex ? 16 : 10) + (unsigned long)d;
				if (v > 0x10FFFF)
					ok = false;
			}
			if (ok && v > 0) {
				add_utf8(out, (uint32_t)v);
				done = true;
			}
		} else if (semi) {
			for (size_t k = 0; k < countof(ents); k++)
				if (len == strlen(ents[k].name) && memcmp(name, ents[k].name, len) == 0) {
					buf_adds(out, ents[k].text);
					done = true;
				}
		}
		if (done) {
			i += len + 1;
			continue;
		}
		buf_addch(out, '&');
	}
}

struct mattr {
	struct str name;
	struct buf val;
};

/* mtok_tag reads a start or end tag after its '<' (and '/'): the name and,
 * for a start tag, its attributes.  -1 at an unexpected EOF. */
static int mtok_tag(struct mtok *t, struct str *name, struct mattr *attrs, size_t *nattrs, size_t max)
{
	const char *s = t->p;

	while (t->p < t->end && is_name_byte((unsigned char)*t->p))
		t->p++;
	*name = (struct str){s, (size_t)(t->p - s)};
	*nattrs = 0;
	for (;;) {
		mtok_skip_space(t);
		if (t->p >= t->end)
			return -1;
		if (*t->p == '>') {
			t->p++;
			return 0;
		}
		if (*t->p == '/' && t->p + 1 < t->end && t->p[1] == '>') {
			t->p += 2;
			return 0;
		}
		s = t->p;
		while (t->p < t->end && is_name_byte((unsigned char)*t->p))
			t->p++;
		struct str an = {s, (size_t)(t->p - s)};
		if (an.n == 0) {
			t->p++; /* a stray byte: the non-strict tokenizer moves on */
			continue;
		}
		mtok_skip_space(t);
		const char *v = NULL;
		size_t vn = 0;
		if (t->p < t->end && *t->p == '=') {
			t->p++;
			mtok_skip_space(t);
			if (t->p >= t->end)
				return -1;
			if (*t->p == '"' || *t->p == '\'') {
				char q = *t->p++;
				v = t->p;
				while (t->p < t->end && *t->p != q) {
					if (*t->p == '\n')
						t->line++;
					t->p++;
				}
				if (t->p >= t->end)
					return -1;
				vn = (size_t)(t->p - v);
				t->p++;
			} else {
				/* an unquoted value (non-strict): up to a space or '>' */
				v = t->p;
				while (t->p < t->end && !is_space((unsigned char)*t->p) && *t->p != '>')
					t->p++;
				vn = (size_t)(t->p - v);
			}
		} else {
			/* an attribute without a value (non-strict): its own name */
			v = an.p;
			vn = an.n;
		}
		if (*nattrs < max) {
			attrs[*nattrs].name = an;
			buf_reset(&attrs[*nattrs].val);
			unescape(&attrs[*nattrs].val, v, vn);
			(*nattrs)++;
		}
	}
}

static const char *attr_value(const struct mattr *attrs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (name_is(attrs[i].name, name))
			return buf_cstr(&attrs[i].val);
	return "";
}

static void meta_push(struct mod_meta_imports *out, const char *content)
{
	struct strvec f = {0};
	const char *p = content;

	/* strings.Fields */
	while (*p) {
		while (*p && is_space((unsigned char)*p))
			p++;
		const char *s = p;
		while (*p && !is_space((unsigned char)*p))
			p++;
		if (p > s)
			strvec_push_take(&f, xstrndup(s, (size_t)(p - s)));
	}
	if (f.n == 3 || f.n == 4) {
		struct mod_meta_import m = {xstrdup(f.v[0]), xstrdup(f.v[1]), xstrdup(f.v[2]),
		                            xstrdup(f.n == 4 ? f.v[3] : "")};
		VEC_PUSH(out, m);
	}
	strvec_clear(&f);
}

void mod_meta_imports_release(struct mod_meta_imports *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].prefix);
		free(m->v[i].vcs);
		free(m->v[i].repo_root);
		free(m->v[i].subdir);
	}
	VEC_FREE(m);
}

int mod_parse_meta_go_imports(const char *data, size_t n, bool prefer_mod, struct mod_meta_imports *out,
                              struct err *e)
{
	struct mtok t = {data, data + n, 1};
	struct mod_meta_imports all = {0};
	struct mattr attrs[16];
	bool eof_err = false;
	int rc = 0;

	memset(attrs, 0, sizeof attrs);
	while (t.p < t.end) {
		if (*t.p != '<') {
			if (*t.p == '\n')
				t.line++;
			t.p++;
			continue;
		}
		t.p++;
		if (t.p >= t.end) {
			eof_err = true;
			break;
		}
		if (*t.p == '!') {
			bool ok;
			if (t.end - t.p >= 3 && memcmp(t.p, "!--", 3) == 0)
				ok = mtok_skip_to(&t, "-->");
			else if (t.end - t.p >= 8 && memcmp(t.p, "![CDATA[", 8) == 0)
				ok = mtok_skip_to(&t, "]]>");
			else
				ok = mtok_skip_to(&t, ">");
			if (!ok) {
				eof_err = true;
				break;
			}
			continue;
		}
		if (*t.p == '?') {
			if (!mtok_skip_to(&t, "?>")) {
				eof_err = true;
				break;
			}
			continue;
		}
		bool end_tag = *t.p == '/';
		if (end_tag)
			t.p++;
		struct str name;
		size_t na;
		if (mtok_tag(&t, &name, attrs, &na, countof(attrs)) < 0) {
			eof_err = true;
			break;
		}
		if (end_tag) {
			if (name_is(name, "head"))
				break;
			continue;
		}
		if (name_is(name, "body"))
			break;
		if (!name_is(name, "meta"))
			continue;
		if (strcmp(attr_value(attrs, na, "name"), "go-import") != 0)
			continue;
		meta_push(&all, attr_value(attrs, na, "content"));
	}
	for (size_t i = 0; i < countof(attrs); i++)
		buf_release(&attrs[i].val);
	if (eof_err && all.n == 0) {
		err_setf(e, "XML syntax error on line %d: unexpected EOF", t.line);
		rc = -1;
		goto out;
	}
	/* the mod entries first when they count; the others unless a mod
	 * entry has their prefix */
	if (prefer_mod)
		for (size_t i = 0; i < all.n; i++)
			if (strcmp(all.v[i].vcs, "mod") == 0) {
				VEC_PUSH(out, all.v[i]);
				memset(&all.v[i], 0, sizeof all.v[i]);
			}
	for (size_t i = 0; i < all.n; i++) {
		if (!all.v[i].vcs || strcmp(all.v[i].vcs, "mod") == 0)
			continue;
		bool have = false;
		for (size_t k = 0; prefer_mod && k < out->n; k++)
			if (strcmp(out->v[k].vcs, "mod") == 0 && strcmp(out->v[k].prefix, all.v[i].prefix) == 0)
				have = true;
		if (have)
			continue;
		VEC_PUSH(out, all.v[i]);
		memset(&all.v[i], 0, sizeof all.v[i]);
	}
out:
	mod_meta_imports_release(&all);
	return rc;
}

int mod_match_go_import(const struct mod_meta_imports *imports, const char *path, size_t *match, bool *mismatch,
                        struct err *e)
{
	struct buf mis = BUF_INIT;
	long found = -1;

	*mismatch = false;
	for (size_t i = 0; i < imports->n; i++) {
		const struct mod_meta_import *im = &imports->v[i];
		if (!mod_has_path_prefix(path, im->prefix)) {
			if (mis.len)
				buf_adds(&mis, ", ");
			buf_printf(&mis, "meta tag %s did not match import path %s", im->prefix, path);
			continue;
		}
		if (found >= 0) {
			/* the mod entries precede the others: a mod match wins */
			if (strcmp(imports->v[found].vcs, "mod") == 0 && strcmp(im->vcs, "mod") != 0)
				break;
			buf_release(&mis);
			return err_setf(e, "multiple meta tags match import path \"%s\"", path);
		}
		found = (long)i;
	}
	if (found < 0) {
		*mismatch = true;
		err_setf(e, "%s", buf_cstr(&mis));
		buf_release(&mis);
		return -1;
	}
	buf_release(&mis);
	*match = (size_t)found;
	return 0;
}
