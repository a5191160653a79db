/*
 * Build constraints: the known GOOS/GOARCH lists, go/build's matchTag and
 * goodOSArchFile, the go/build/constraint expression parser (//go:build
 * and legacy // +build), and go/build's shouldBuild / parseFileHeader.
 * Also the small UTF-8 / Unicode helpers the other header code shares.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "modload/header_internal.h"

/* ---- UTF-8 and Unicode ---------------------------------------------------- */

bool load_next_field(struct str s, size_t *pos, struct str *field)
{
	size_t i = *pos, j, w;
	uint32_t r;

	while (i < s.n) {
		w = load_utf8_decode(s.p + i, s.n - i, &r);
		if (!load_is_space(r))
			break;
		i += w;
	}
	if (i >= s.n) {
		*pos = i;
		return false;
	}
	for (j = i; j < s.n; j += w) {
		w = load_utf8_decode(s.p + j, s.n - j, &r);
		if (load_is_space(r))
			break;
	}
	*field = (struct str){s.p + i, j - i};
	*pos = j;
	return true;
}

size_t load_utf8_decode(const char *s, size_t n, uint32_t *r)
{
	int32_t v;
	size_t w = utf8_rune_decode(s, n, &v);

	*r = (uint32_t)v;
	return w ? w : 1;
}

size_t load_utf8_decode_last(const char *s, size_t n, uint32_t *r)
{
	size_t start = n - 1, lim = n >= 4 ? n - 4 : 0;
	uint32_t c;

	/* mirrors unicode/utf8 DecodeLastRune: back up to a start byte */
	while (start > lim && ((unsigned char)s[start] & 0xC0) == 0x80)
		start--;
	if (load_utf8_decode(s + start, n - start, &c) != n - start) {
		*r = LOAD_RUNE_ERROR;
		return 1;
	}
	*r = c;
	return n - start;
}

void load_utf8_encode(struct buf *b, uint32_t r)
{
	unsigned char out[4];
	size_t n;

	if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
		r = LOAD_RUNE_ERROR;
	if (r < 0x80) {
		out[0] = (unsigned char)r; n = 1;
	} else if (r < 0x800) {
		out[0] = (unsigned char)(0xC0 | (r >> 6));
		out[1] = (unsigned char)(0x80 | (r & 0x3F)); n = 2;
	} else if (r < 0x10000) {
		out[0] = (unsigned char)(0xE0 | (r >> 12));
		out[1] = (unsigned char)(0x80 | ((r >> 6) & 0x3F));
		out[2] = (unsigned char)(0x80 | (r & 0x3F)); n = 3;
	} else {
		out[0] = (unsigned char)(0xF0 | (r >> 18));
		out[1] = (unsigned char)(0x80 | ((r >> 12) & 0x3F));
		out[2] = (unsigned char)(0x80 | ((r >> 6) & 0x3F));
		out[3] = (unsigned char)(0x80 | (r & 0x3F)); n = 4;
	}
	buf_add(b, out, n);
}

/*
 * Non-ASCII classes come from the C.UTF-8 locale's tables (glibc follows
 * Unicode); the locale is opened once and never freed.  Without it every
 * non-ASCII rune counts as a letter, which is what Go source mostly has.
 */
static locale_t utf8_locale(void)
{
	static locale_t loc;
	static bool tried;

	if (!tried) {
		tried = true;
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	return loc;
}

bool load_is_letter(uint32_t r)
{
	locale_t loc;

	if (r < 0x80)
		return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
	if (r == 0xAA || r == 0xB5 || r == 0xBA)
		return true;
	if (r == LOAD_RUNE_ERROR)
		return false;
	loc = utf8_locale();
	if (!loc)
		return true;
	return iswalpha_l((wint_t)r, loc) && !iswdigit_l((wint_t)r, loc);
}

bool load_is_digit(uint32_t r)
{
	locale_t loc;

	if (r < 0x80)
		return r >= '0' && r <= '9';
	loc = utf8_locale();
	if (!loc)
		return false;
	/* glibc puts non-ASCII decimal digits in "alpha" but not in "upper"/"lower". */
	return iswdigit_l((wint_t)r, loc);
}

bool load_is_upper(uint32_t r)
{
	locale_t loc;

	if (r < 0x80)
		return r >= 'A' && r <= 'Z';
	loc = utf8_locale();
	return loc && iswupper_l((wint_t)r, loc);
}

bool load_is_space(uint32_t r)
{
	/* mirrors unicode.IsSpace: Latin-1 list, then the White_Space property */
	switch (r) {
	case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
	case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x3000:
		return true;
	}
	return r >= 0x2000 && r <= 0x200A;
}

bool load_is_punct(uint32_t r)
{
	locale_t loc;

	if (r < 0x80)
		return r != 0 && strchr("!\"#%&'()*,-./:;?@[\\]_{}", (int)r) != NULL;
	loc = utf8_locale();
	return loc && iswpunct_l((wint_t)r, loc);
}

bool load_is_graphic(uint32_t r)
{
	locale_t loc;

	if (r < 0x80)
		return r >= 0x20 && r < 0x7F;
	if (r == LOAD_RUNE_ERROR)
		return true; /* U+FFFD is a symbol; callers reject it separately */
	loc = utf8_locale();
	return !loc || iswprint_l((wint_t)r, loc);
}

static bool ascii_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

struct str load_trim_space(struct str s)
{
	uint32_t r;
	size_t w;

	/* ASCII first: a byte below 0x80 is a whole rune, and the non-ASCII
	 * spaces (U+0085, U+00A0, ...) all start with a byte above it. */
	while (s.n > 0 && (unsigned char)s.p[0] < 0x80) {
		if (!ascii_space((unsigned char)s.p[0]))
			goto back;
		s.p++;
		s.n--;
	}
	while (s.n > 0) {
		w = load_utf8_decode(s.p, s.n, &r);
		if (!load_is_space(r))
			break;
		s.p += w;
		s.n -= w;
	}
back:
	while (s.n > 0 && (unsigned char)s.p[s.n - 1] < 0x80) {
		if (!ascii_space((unsigned char)s.p[s.n - 1]))
			return s;
		s.n--;
	}
	while (s.n > 0) {
		w = load_utf8_decode_last(s.p, s.n, &r);
		if (!load_is_space(r))
			break;
		s.n -= w;
	}
	return s;
}

/* ---- internal/syslist ----------------------------------------------------- */

/*
 * These lists belong to the toolchain version: they are internal/syslist
 * of Go 1.26 (KnownOS, UnixOS, KnownArch).  Update them with the target
 * toolchain.
 */
static const char *const known_os[] = {
	"aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
	"linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos",
};
static const char *const unix_os[] = {
	"aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios",
	"linux", "netbsd", "openbsd", "solaris",
};
static const char *const known_arch[] = {
	"386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips",
	"mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le",
	"riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm",
};

static bool in_list(const char *const *list, size_t n, const char *s, size_t len)
{
	size_t i;

	/* the first byte rules out most entries before any call */
	for (i = 0; i < n; i++)
		if (len > 0 && list[i][0] == s[0] && strncmp(list[i], s, len) == 0 && list[i][len] == '\0')
			return true;
	return false;
}

bool load_known_os(const char *s)
{
	return in_list(known_os, countof(known_os), s, strlen(s));
}

bool load_known_arch(const char *s)
{
	return in_list(known_arch, countof(known_arch), s, strlen(s));
}

bool load_unix_os(const char *s)
{
	return in_list(unix_os, countof(unix_os), s, strlen(s));
}

/* ---- matchTag / goodOSArchFile -------------------------------------------- */

static void record_tag(struct map *all_tags, struct arena *a, const char *tag)
{
	if (all_tags && !map_has(all_tags, tag))
		map_put(all_tags, arena_strdup(a, tag), (void *)1);
}

static bool streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* mirrors go/build/build.go matchTag (go1.26) */
bool load_match_tag(const struct buildctx *ctx, const char *tag, struct map *all_tags, struct arena *a)
{
	record_tag(all_tags, a, tag);
	if (ctx->cgo_enabled && strcmp(tag, "cgo") == 0)
		return true;
	if (streq(tag, ctx->goos) || streq(tag, ctx->goarch) || streq(tag, ctx->compiler))
		return true;
	if (streq(ctx->goos, "android") && strcmp(tag, "linux") == 0)
		return true;
	if (streq(ctx->goos, "illumos") && strcmp(tag, "solaris") == 0)
		return true;
	if (streq(ctx->goos, "ios") && strcmp(tag, "darwin") == 0)
		return true;
	if (strcmp(tag, "unix") == 0 && ctx->goos && load_unix_os(ctx->goos))
		return true;
	/* boringcrypto is the old spelling of the experiment tag */
	if (strcmp(tag, "boringcrypto") == 0)
		tag = "goexperiment.boringcrypto";
	return strvec_contains(&ctx->build_tags, tag) || strvec_contains(&ctx->tool_tags, tag) ||
	       strvec_contains(&ctx->release_tags, tag);
}

/* mirrors go/build/build.go goodOSArchFile (go1.26) */
bool load_good_os_arch_file(const struct buildctx *ctx, const char *name, struct map *all_tags, struct arena *a)
{
	const char *dot = strchr(name, '.'), *us, *p;
	size_t end = dot ? (size_t)(dot - name) : strlen(name);
	struct str elems[3]; /* the last three '_' elements: enough for os_arch_test */
	size_t nel = 0;
	char os[64], arch[64];
	bool ok;

	us = memchr(name, '_', end);
	if (!us)
		return true;
	/* Split name[us+1:end] on '_' keeping only the last three elements. */
	p = us + 1;
	for (;;) {
		const char *q = memchr(p, '_', (size_t)(name + end - p));
		size_t len = q ? (size_t)(q - p) : (size_t)(name + end - p);
		if (nel == countof(elems)) {
			memmove(elems, elems + 1, sizeof(elems[0]) * (countof(elems) - 1));
			nel--;
		}
		elems[nel++] = (struct str){p, len};
		if (!q)
			break;
		p = q + 1;
	}
	if (nel > 0 && str_eqc(elems[nel - 1], "test"))
		nel--;
	if (nel >= 2 && in_list(known_os, countof(known_os), elems[nel - 2].p, elems[nel - 2].n) &&
	    in_list(known_arch, countof(known_arch), elems[nel - 1].p, elems[nel - 1].n)) {
		/* Known names are short, so they fit. */
		memcpy(os, elems[nel - 2].p, elems[nel - 2].n);
		os[elems[nel - 2].n] = '\0';
		memcpy(arch, elems[nel - 1].p, elems[nel - 1].n);
		arch[elems[nel - 1].n] = '\0';
		/* the OS is recorded even when the arch check decides (go does the same) */
		record_tag(all_tags, a, os);
		ok = load_match_tag(ctx, arch, all_tags, a);
		return ok && load_match_tag(ctx, os, all_tags, a);
	}
	if (nel >= 1 && (in_list(known_os, countof(known_os), elems[nel - 1].p, elems[nel - 1].n) ||
	                 in_list(known_arch, countof(known_arch), elems[nel - 1].p, elems[nel - 1].n))) {
		memcpy(os, elems[nel - 1].p, elems[nel - 1].n);
		os[elems[nel - 1].n] = '\0';
		return load_match_tag(ctx, os, all_tags, a);
	}
	return true;
}

/* ---- go/build/constraint -------------------------------------------------- */

static struct load_cexpr *cexpr_new(struct arena *a, enum load_cexpr_kind k, struct load_cexpr *x,
                                    struct load_cexpr *y)
{
	struct load_cexpr *e = arena_new(a, struct load_cexpr);
	e->kind = k;
	e->x = x;
	e->y = y;
	return e;
}

static struct load_cexpr *cexpr_tag(struct arena *a, const char *p, size_t n)
{
	struct load_cexpr *e = cexpr_new(a, LOAD_CEXPR_TAG, NULL, NULL);
	e->tag = arena_strndup(a, p, n);
	return e;
}

/* Both "line" splitters strip one trailing newline and refuse embedded ones. */
static bool one_line(struct str *line)
{
	if (line->n > 0 && line->p[line->n - 1] == '\n')
		line->n--;
	return memchr(line->p, '\n', line->n) == NULL;
}

/* mirrors go/build/constraint/expr.go splitGoBuild (go1.26) */
bool load_cexpr_is_go_build(struct str line, struct str *expr)
{
	struct str rest, trim;

	if (!one_line(&line) || !str_has_prefix(line, "//go:build"))
		return false;
	line = load_trim_space(line);
	rest = (struct str){line.p + 10, line.n - 10};
	trim = load_trim_space(rest);
	if (rest.n == trim.n && rest.n != 0)
		return false;
	if (expr)
		*expr = trim;
	return true;
}

/* mirrors go/build/constraint/expr.go splitPlusBuild (go1.26) */
bool load_cexpr_is_plus_build(struct str line, struct str *expr)
{
	struct str rest, trim;

	if (!one_line(&line) || !str_has_prefix(line, "//"))
		return false;
	line = load_trim_space((struct str){line.p + 2, line.n - 2});
	if (!str_has_prefix(line, "+build"))
		return false;
	rest = (struct str){line.p + 6, line.n - 6};
	trim = load_trim_space(rest);
	if (rest.n == trim.n && rest.n != 0)
		return false;
	if (expr)
		*expr = trim;
	return true;
}

/* The //go:build expression parser (constraint.exprParser). */
struct cparser {
	struct arena *a;
	struct str s;
	size_t i;
	struct str tok; /* last token; n == 0 at the end */
	bool is_tag;
	size_t pos;
	int size;
	/* the first syntax error, which unwinds the recursion */
	bool failed;
	char *msg;
	size_t err_off;
};

/* Go's maximum number of "not" nodes in one expression. */
#define CEXPR_MAX_SIZE 1000

static void cp_fail(struct cparser *p, size_t off, char *msg)
{
	if (p->failed) {
		free(msg);
		return;
	}
	p->failed = true;
	p->msg = msg;
	p->err_off = off;
}

static bool is_tag_rune(uint32_t r)
{
	return load_is_letter(r) || load_is_digit(r) || r == '_' || r == '.';
}

static void cp_lex(struct cparser *p)
{
	const char *s = p->s.p;
	size_t n = p->s.n, j, w;
	uint32_t r;
	struct buf b = BUF_INIT;

	if (p->failed)
		return;
	p->is_tag = false;
	while (p->i < n && (s[p->i] == ' ' || s[p->i] == '\t'))
		p->i++;
	if (p->i >= n) {
		p->tok = (struct str){s + n, 0};
		p->pos = p->i;
		return;
	}
	switch (s[p->i]) {
	case '(': case ')': case '!':
		p->pos = p->i;
		p->tok = (struct str){s + p->i, 1};
		p->i++;
		return;
	case '&': case '|':
		if (p->i + 1 >= n || s[p->i + 1] != s[p->i]) {
			cp_fail(p, p->i, xasprintf("invalid syntax at %c", s[p->i]));
			return;
		}
		p->pos = p->i;
		p->tok = (struct str){s + p->i, 2};
		p->i += 2;
		return;
	}
	for (j = p->i; j < n; j += w) {
		w = load_utf8_decode(s + j, n - j, &r);
		if (!is_tag_rune(r))
			break;
	}
	if (j == p->i) {
		load_utf8_decode(s + p->i, n - p->i, &r);
		buf_adds(&b, "invalid syntax at ");
		load_utf8_encode(&b, r);
		cp_fail(p, p->i, buf_detach(&b));
		return;
	}
	p->pos = p->i;
	p->tok = (struct str){s + p->i, j - p->i};
	p->i = j;
	p->is_tag = true;
}

static struct load_cexpr *cp_or(struct cparser *p);

static struct load_cexpr *cp_atom(struct cparser *p)
{
	struct load_cexpr *x;
	size_t pos;

	if (p->failed)
		return NULL;
	if (str_eqc(p->tok, "(")) {
		pos = p->pos;
		x = cp_or(p);
		if (p->failed) {
			/* an end of input inside parentheses is reported as the paren */
			if (p->msg && strcmp(p->msg, "unexpected end of expression") == 0) {
				free(p->msg);
				p->msg = xstrdup("missing close paren");
			}
			return NULL;
		}
		if (!str_eqc(p->tok, ")")) {
			cp_fail(p, pos, xstrdup("missing close paren"));
			return NULL;
		}
		cp_lex(p);
		return x;
	}
	if (!p->is_tag) {
		if (p->tok.n == 0)
			cp_fail(p, p->pos, xstrdup("unexpected end of expression"));
		else
			cp_fail(p, p->pos, xasprintf("unexpected token %.*s", (int)p->tok.n, p->tok.p));
		return NULL;
	}
	x = cexpr_tag(p->a, p->tok.p, p->tok.n);
	cp_lex(p);
	return x;
}

static struct load_cexpr *cp_not(struct cparser *p)
{
	struct load_cexpr *x;

	if (p->failed)
		return NULL;
	if (++p->size > CEXPR_MAX_SIZE) {
		cp_fail(p, p->pos, xstrdup("build expression too large"));
		return NULL;
	}
	cp_lex(p);
	if (p->failed)
		return NULL;
	if (str_eqc(p->tok, "!")) {
		cp_lex(p);
		if (p->failed)
			return NULL;
		if (str_eqc(p->tok, "!")) {
			cp_fail(p, p->pos, xstrdup("double negation not allowed"));
			return NULL;
		}
		x = cp_atom(p);
		return x ? cexpr_new(p->a, LOAD_CEXPR_NOT, x, NULL) : NULL;
	}
	return cp_atom(p);
}

static struct load_cexpr *cp_and(struct cparser *p)
{
	struct load_cexpr *x = cp_not(p), *y;

	while (!p->failed && str_eqc(p->tok, "&&")) {
		y = cp_not(p);
		if (!y)
			return NULL;
		x = cexpr_new(p->a, LOAD_CEXPR_AND, x, y);
	}
	return p->failed ? NULL : x;
}

static struct load_cexpr *cp_or(struct cparser *p)
{
	struct load_cexpr *x = cp_and(p), *y;

	while (!p->failed && str_eqc(p->tok, "||")) {
		y = cp_and(p);
		if (!y)
			return NULL;
		x = cexpr_new(p->a, LOAD_CEXPR_OR, x, y);
	}
	return p->failed ? NULL : x;
}

/* mirrors go/build/constraint/expr.go parseExpr (go1.26) */
int load_cexpr_parse_expr(struct arena *a, struct str text, struct load_cexpr **out,
                          size_t *offset, struct err *e)
{
	struct cparser p = {.a = a, .s = text};
	struct load_cexpr *x;

	x = cp_or(&p);
	if (!p.failed && p.tok.n != 0)
		cp_fail(&p, p.pos, xasprintf("unexpected token %.*s", (int)p.tok.n, p.tok.p));
	if (p.failed) {
		if (offset)
			*offset = p.err_off;
		err_setf(e, "%s", p.msg);
		free(p.msg);
		return -1;
	}
	*out = x;
	return 0;
}

static bool is_valid_plus_tag(struct str w)
{
	size_t i, n;
	uint32_t r;

	if (w.n == 0)
		return false;
	for (i = 0; i < w.n; i += n) {
		n = load_utf8_decode(w.p + i, w.n - i, &r);
		if (!is_tag_rune(r))
			return false;
	}
	return true;
}

/* mirrors go/build/constraint/expr.go parsePlusBuildExpr (go1.26) */
int load_cexpr_parse_plus(struct arena *a, struct str text, struct load_cexpr **out, struct err *e)
{
	enum { MAX_OLD_SIZE = 100 };
	struct load_cexpr *x = NULL, *y, *z;
	size_t i = 0, j, k, w;
	int size = 0;
	uint32_t r;
	bool neg;

	for (;;) {
		/* strings.Fields: split on Unicode white space */
		while (i < text.n) {
			w = load_utf8_decode(text.p + i, text.n - i, &r);
			if (!load_is_space(r))
				break;
			i += w;
		}
		if (i >= text.n)
			break;
		for (j = i; j < text.n; j += w) {
			w = load_utf8_decode(text.p + j, text.n - j, &r);
			if (load_is_space(r))
				break;
		}
		/* clause text.p[i:j], split on ',' */
		y = NULL;
		for (k = i;;) {
			const char *c = memchr(text.p + k, ',', j - k);
			struct str lit = {text.p + k, c ? (size_t)(c - text.p) - k : j - k};
			neg = false;
			if (str_has_prefix(lit, "!!") || str_eqc(lit, "!")) {
				z = cexpr_tag(a, "ignore", 6);
			} else {
				if (str_has_prefix(lit, "!")) {
					neg = true;
					lit.p++;
					lit.n--;
				}
				z = is_valid_plus_tag(lit) ? cexpr_tag(a, lit.p, lit.n) : cexpr_tag(a, "ignore", 6);
				if (neg)
					z = cexpr_new(a, LOAD_CEXPR_NOT, z, NULL);
			}
			if (!y) {
				y = z;
			} else {
				if (++size > MAX_OLD_SIZE)
					return err_setf(e, "expression too complex for // +build lines");
				y = cexpr_new(a, LOAD_CEXPR_AND, y, z);
			}
			if (!c)
				break;
			k = (size_t)(c - text.p) + 1;
		}
		if (!x) {
			x = y;
		} else {
			if (++size > MAX_OLD_SIZE)
				return err_setf(e, "expression too complex for // +build lines");
			x = cexpr_new(a, LOAD_CEXPR_OR, x, y);
		}
		i = j;
	}
	if (!x)
		x = cexpr_tag(a, "ignore", 6);
	*out = x;
	return 0;
}

/* mirrors go/build/constraint/expr.go Parse (go1.26) */
int load_cexpr_parse(struct arena *a, struct str line, struct load_cexpr **out, struct err *e)
{
	struct str text;

	if (load_cexpr_is_go_build(line, &text))
		return load_cexpr_parse_expr(a, text, out, NULL, e);
	if (load_cexpr_is_plus_build(line, &text))
		return load_cexpr_parse_plus(a, text, out, e);
	return err_setf(e, "not a build constraint");
}

static void cexpr_string_arg(struct buf *b, const struct load_cexpr *x, enum load_cexpr_kind paren)
{
	bool p = x->kind == paren;

	if (p)
		buf_addch(b, '(');
	load_cexpr_string(b, x);
	if (p)
		buf_addch(b, ')');
}

void load_cexpr_string(struct buf *b, const struct load_cexpr *x)
{
	switch (x->kind) {
	case LOAD_CEXPR_TAG:
		buf_adds(b, x->tag);
		break;
	case LOAD_CEXPR_NOT:
		buf_addch(b, '!');
		if (x->x->kind == LOAD_CEXPR_AND || x->x->kind == LOAD_CEXPR_OR) {
			buf_addch(b, '(');
			load_cexpr_string(b, x->x);
			buf_addch(b, ')');
		} else {
			load_cexpr_string(b, x->x);
		}
		break;
	case LOAD_CEXPR_AND:
		cexpr_string_arg(b, x->x, LOAD_CEXPR_OR);
		buf_adds(b, " && ");
		cexpr_string_arg(b, x->y, LOAD_CEXPR_OR);
		break;
	case LOAD_CEXPR_OR:
		cexpr_string_arg(b, x->x, LOAD_CEXPR_AND);
		buf_adds(b, " || ");
		cexpr_string_arg(b, x->y, LOAD_CEXPR_AND);
		break;
	}
}

/* Evaluation never short-circuits so that every tag is recorded (go/build eval). */
bool load_cexpr_eval(const struct buildctx *ctx, const struct load_cexpr *x,
                     struct map *all_tags, struct arena *a)
{
	bool l, r;

	switch (x->kind) {
	case LOAD_CEXPR_TAG:
		return load_match_tag(ctx, x->tag, all_tags, a);
	case LOAD_CEXPR_NOT:
		return !load_cexpr_eval(ctx, x->x, all_tags, a);
	case LOAD_CEXPR_AND:
		l = load_cexpr_eval(ctx, x->x, all_tags, a);
		r = load_cexpr_eval(ctx, x->y, all_tags, a);
		return l && r;
	case LOAD_CEXPR_OR:
		l = load_cexpr_eval(ctx, x->x, all_tags, a);
		r = load_cexpr_eval(ctx, x->y, all_tags, a);
		return l || r;
	}
	BUG("bad constraint kind");
}

/* mirrors go/build/build.go matchAuto (go1.26) */
bool load_match_auto(const struct buildctx *ctx, const char *text, struct map *all_tags,
                     struct arena *a)
{
	struct load_cexpr *x;
	struct err e = ERR_INIT;
	char *line;
	int rc;

	if (strpbrk(text, "&|()"))
		line = xasprintf("//go:build %s", text);
	else
		line = xasprintf("// +build %s", text);
	rc = load_cexpr_parse(a, str_c(line), &x, &e);
	free(line);
	if (rc < 0) {
		err_clear(&e);
		return false;
	}
	return load_cexpr_eval(ctx, x, all_tags, a);
}

int load_eval_go_build_expr(const struct buildctx *ctx, const char *expr, bool *ok,
                            struct map *all_tags, struct arena *a, struct err *e)
{
	struct load_cexpr *x;

	if (load_cexpr_parse_expr(a, str_c(expr), &x, NULL, e) < 0)
		return -1;
	*ok = load_cexpr_eval(ctx, x, all_tags, a);
	return 0;
}

/* ---- shouldBuild / parseFileHeader ---------------------------------------- */

/* mirrors go/build/build.go isGoBuildComment (go1.26) */
static bool is_go_build_comment(struct str line)
{
	struct str rest;

	if (!str_has_prefix(line, "//go:build"))
		return false;
	line = load_trim_space(line);
	rest = (struct str){line.p + 10, line.n - 10};
	return rest.n == 0 || load_trim_space(rest).n < rest.n;
}

static const char *str_find(struct str s, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= s.n; i++)
		if (memcmp(s.p + i, needle, n) == 0)
			return s.p + i;
	return NULL;
}

/* mirrors go/build/build.go parseFileHeader (go1.26): *trimmed_n is the end
 * of the block where +build lines count; *go_build the //go:build line. */
static int parse_file_header(const char *content, size_t n, size_t *trimmed_n, struct str *go_build,
                             bool *have_go_build, bool *binary_only, struct err *e)
{
	size_t end = 0, off = 0;
	bool ended = false, in_star = false;

	*have_go_build = false;
	*binary_only = false;
	while (off < n) {
		const char *nl = memchr(content + off, '\n', n - off);
		struct str line = {content + off, nl ? (size_t)(nl - content) - off : n - off};
		const char *q;

		off = nl ? (size_t)(nl - content) + 1 : n;
		line = load_trim_space(line);
		if (line.n == 0 && !ended) {
			end = off;
			continue;
		}
		if (!str_has_prefix(line, "//"))
			ended = true;
		if (!in_star && is_go_build_comment(line)) {
			if (*have_go_build)
				return err_setf(e, "multiple //go:build comments");
			*have_go_build = true;
			*go_build = line;
		}
		if (!in_star && str_eqc(line, "//go:binary-only-package"))
			*binary_only = true;
		while (line.n > 0) {
			if (in_star) {
				q = str_find(line, "*/");
				if (!q)
					goto next_line;
				in_star = false;
				line = load_trim_space((struct str){q + 2, line.n - (size_t)(q + 2 - line.p)});
				continue;
			}
			if (str_has_prefix(line, "//"))
				goto next_line;
			if (str_has_prefix(line, "/*")) {
				in_star = true;
				line = load_trim_space((struct str){line.p + 2, line.n - 2});
				continue;
			}
			/* non-comment text ends the header */
			goto done;
		}
	next_line:;
	}
done:
	*trimmed_n = end;
	return 0;
}

/* Answers kept in a //go:build memo (pointers, never NULL). */
static const bool memo_false = false, memo_true = true;

/* mirrors go/build/build.go shouldBuild (go1.26); memo as in
 * load_eval_build_lines_memo (all_tags NULL), or NULL */
static int eval_build_lines(const struct buildctx *ctx, const char *header, size_t n,
                            bool *ok, bool *binary_only, struct map *all_tags, struct map *memo,
                            struct arena *a, struct err *e)
{
	struct str go_build = {0}, text;
	struct load_cexpr *x;
	size_t end, off = 0;
	bool have, bin;
	char key[256];
	const bool *hit;

	*ok = false;
	if (binary_only)
		*binary_only = false;
	if (parse_file_header(header, n, &end, &go_build, &have, &bin, e) < 0)
		return -1;
	if (have) {
		/* the key must be a C string: long lines and NULs go unmemoised */
		bool keyed = memo && go_build.n < sizeof(key) && !memchr(go_build.p, '\0', go_build.n);

		if (keyed) {
			memcpy(key, go_build.p, go_build.n);
			key[go_build.n] = '\0';
			hit = map_get(memo, key);
			if (hit) {
				*ok = *hit;
				goto out;
			}
		}
		if (load_cexpr_parse(a, go_build, &x, e) < 0)
			return err_wrapf(e, "parsing //go:build line");
		*ok = load_cexpr_eval(ctx, x, all_tags, a);
		if (keyed)
			map_put(memo, arena_strdup(a, key), (void *)(*ok ? &memo_true : &memo_false));
	} else {
		*ok = true;
		while (off < end) {
			const char *nl = memchr(header + off, '\n', end - off);
			struct str line = {header + off, nl ? (size_t)(nl - header) - off : end - off};
			struct err pe = ERR_INIT;

			off = nl ? (size_t)(nl - header) + 1 : end;
			line = load_trim_space(line);
			if (!str_has_prefix(line, "//") || !str_find(line, "+build"))
				continue;
			if (!load_cexpr_is_plus_build(line, &text))
				continue;
			/* a malformed +build line is skipped, never an error */
			if (load_cexpr_parse_plus(a, text, &x, &pe) < 0) {
				err_clear(&pe);
				continue;
			}
			if (!load_cexpr_eval(ctx, x, all_tags, a))
				*ok = false;
		}
	}
out:
	if (binary_only)
		*binary_only = bin;
	return 0;
}

int load_eval_build_lines(const struct buildctx *ctx, const char *header, size_t n,
                          bool *ok, bool *binary_only, struct map *all_tags, struct arena *a,
                          struct err *e)
{
	return eval_build_lines(ctx, header, n, ok, binary_only, all_tags, NULL, a, e);
}

int load_eval_build_lines_memo(const struct buildctx *ctx, const char *header, size_t n,
                               bool *ok, bool *binary_only, struct map *memo, struct arena *a,
                               struct err *e)
{
	return eval_build_lines(ctx, header, n, ok, binary_only, NULL, memo, a, e);
}

/* ---- imports.ShouldBuild with AnyTags (go mod tidy, go mod why) ---------- */

/* match_any_tag is imports.matchTag with tags == AnyTags(): every valid
 * tag but "ignore" is both present and absent. */
static bool match_any_tag(const char *name, bool prefer)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t n = strlen(name);

	for (size_t i = 0; i < n;) {
		uint32_t r;
		size_t w = load_utf8_decode(name + i, n - i, &r);
		if (!load_is_letter(r) && !load_is_digit(r) && r != '_' && r != '.')
			return false;
		i += w;
	}
	(void)p;
	if (n > 0 && strcmp(name, "ignore") != 0)
		return prefer;
	return false;
}

static bool eval_any(const struct load_cexpr *x, bool prefer)
{
	switch (x->kind) {
	case LOAD_CEXPR_TAG:
		return match_any_tag(x->tag, prefer);
	case LOAD_CEXPR_NOT:
		return !eval_any(x->x, !prefer);
	case LOAD_CEXPR_AND: {
		bool a = eval_any(x->x, prefer), b = eval_any(x->y, prefer);
		return a && b;
	}
	case LOAD_CEXPR_OR: {
		bool a = eval_any(x->x, prefer), b = eval_any(x->y, prefer);
		return a || b;
	}
	}
	return false;
}

bool load_should_build_any_tags(struct arena *a, const char *header, size_t n)
{
	struct str go_build = {0}, text;
	struct load_cexpr *x;
	size_t end, off = 0;
	bool have, bin, ok = true;
	struct err e = ERR_INIT;

	if (parse_file_header(header, n, &end, &go_build, &have, &bin, &e) < 0) {
		err_clear(&e);
		return false;
	}
	if (have) {
		if (load_cexpr_parse(a, go_build, &x, &e) < 0) {
			err_clear(&e);
			return false;
		}
		return eval_any(x, true);
	}
	while (off < end) {
		const char *nl = memchr(header + off, '\n', end - off);
		struct str line = {header + off, nl ? (size_t)(nl - header) - off : end - off};

		off = nl ? (size_t)(nl - header) + 1 : end;
		line = load_trim_space(line);
		if (!str_has_prefix(line, "//") || !str_find(line, "+build"))
			continue;
		if (!load_cexpr_is_plus_build(line, &text))
			continue;
		if (load_cexpr_parse_plus(a, text, &x, &e) < 0) {
			err_clear(&e);
			continue;
		}
		if (!eval_any(x, true))
			ok = false;
	}
	return ok;
}
