/*
 * Go regular expressions for -run and -skip: regexp.Compile's syntax
 * checks, ported from regexp/syntax/parse.go (go1.26) so that what RE2
 * refuses is refused with Go's words, and a translation of the accepted
 * expression into an equivalent PCRE2 pattern.  Only (*Regexp).Match is
 * needed, so greediness and captures do not matter; what must agree is
 * which strings match.  Every atom is emitted self-contained with its own
 * flags ((?i:...), explicit classes), never with PCRE's own notion of
 * \s, ., ^ or $, whose meanings differ from Go's.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "generate/generate.h"

struct gen_regexp {
	pcre2_code *code;
	char *pattern; /* the PCRE2 text */
	char *expr;    /* the Go expression */
};

/* regexp/syntax flags that matter here (Perl = ClassNL|OneLine|PerlX|UnicodeGroups). */
enum { F_FOLD = 1, F_DOTNL = 2, F_ONELINE = 4, F_NONGREEDY = 8 };

/* Go's unicode names accepted by \p{...}: canonicalName(name) → the table
 * it selects (a category, a script, or Any / Assigned / ASCII), generated
 * from unicode.Categories, unicode.Scripts and unicode.CategoryAliases of
 * go1.26 (Unicode 15.0.0), keeping the names regexp.Compile accepts. */
static const struct uname {
	const char *canon, *table;
} unames[] = {
#include "generate/unames.inc"
};

static int cmp_uname(const void *k, const void *e)
{
	return strcmp(k, ((const struct uname *)e)->canon);
}

/*
 * One open group: what ')' restores and what the group is as an atom.
 * Size and height estimate Go's calcSize / calcHeight on the tree the
 * group becomes (a concatenation per alternative, an alternation of them,
 * a capture around): Go's limits (expression too large, nests too deeply)
 * are applied to those estimates.
 */
struct frame {
	int flags;           /* p.flags when the group opened */
	size_t out_start;    /* offset of its "(?:" in the output */
	bool capture;        /* a capturing group: one more node */
	bool have_atom;      /* the concatenation so far ends in an atom */
	size_t atom_start;   /* output offset of that atom */
	uint64_t atom_prod;  /* repeat product of the atom (repeatIsValid) */
	int atom_height;
	uint64_t atom_size;
	uint64_t max_prod;   /* over the whole group so far */
	uint64_t cur_size;   /* the current alternative */
	int cur_height;
	size_t cur_items;
	uint64_t alts_size;  /* the alternatives before the last '|' */
	int alts_height;
	size_t nalts;        /* '|' seen */
};

struct parser {
	const char *whole;   /* p.wholeRegexp */
	const char *end;
	int flags;
	struct buf out;
	VEC(struct frame) frames; /* frames.v[0] is the top level */
	size_t nodes;        /* roughly p.numRegexp, for the height check */
	struct err *e;
};

static int fail(struct parser *p, const char *code, const char *expr, size_t n)
{
	return err_setf(p->e, "error parsing regexp: %s: `%.*s`", code, (int)n, expr);
}

#define ERR_INVALID_CHAR_RANGE "invalid character class range"
#define ERR_INVALID_ESCAPE "invalid escape sequence"
#define ERR_INVALID_NAMED_CAPTURE "invalid named capture"
#define ERR_INVALID_PERL_OP "invalid or unsupported Perl syntax"
#define ERR_INVALID_REPEAT_OP "invalid nested repetition operator"
#define ERR_INVALID_REPEAT_SIZE "invalid repeat count"
#define ERR_INVALID_UTF8 "invalid UTF-8"
#define ERR_MISSING_BRACKET "missing closing ]"
#define ERR_MISSING_PAREN "missing closing )"
#define ERR_MISSING_REPEAT_ARGUMENT "missing argument to repetition operator"
#define ERR_TRAILING_BACKSLASH "trailing backslash at end of expression"
#define ERR_UNEXPECTED_PAREN "unexpected )"
#define ERR_NESTING_DEPTH "expression nests too deeply"

#define ERR_LARGE "expression too large"

/* regexp/syntax's maxHeight and maxSize (128 MB of 40-byte instructions) */
#define MAX_HEIGHT 1000
#define MAX_SIZE ((128u << 20) / 40)

/* next_rune is nextRune: the rune at s (s < end), its width; invalid UTF-8
 * is ErrInvalidUTF8 with the rest of the expression as Expr. */
static int next_rune(struct parser *p, const char *s, const char *end, int32_t *r, size_t *w)
{
	*w = utf8_rune_decode(s, (size_t)(end - s), r);
	if (*r == 0xFFFD && *w == 1)
		return fail(p, ERR_INVALID_UTF8, s, (size_t)(end - s));
	return 0;
}

/* check_utf8 is checkUTF8 on s[0..n). */
static int check_utf8(struct parser *p, const char *s, const char *end)
{
	while (s < end) {
		int32_t r;
		size_t w;
		if (next_rune(p, s, end, &r, &w) < 0)
			return -1;
		s += w;
	}
	return 0;
}

static bool is_alnum_rune(int32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int unhex(int32_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* ---- emitting --------------------------------------------------------------- */

static struct frame *top(struct parser *p)
{
	return &p->frames.v[p->frames.n - 1];
}

/* atom_begin / atom_end bracket the output of one atom (what a following
 * repetition operator applies to). */
static size_t atom_begin(struct parser *p)
{
	return p->out.len;
}

/* concat_height is the height of the current alternative's concatenation. */
static int concat_height(const struct frame *f)
{
	if (f->cur_items == 0)
		return 1; /* OpEmptyMatch */
	return f->cur_items > 1 ? f->cur_height + 1 : f->cur_height;
}

/* content_size / content_height: the group's alternation of concatenations. */
static uint64_t content_size(const struct frame *f)
{
	return f->alts_size + f->cur_size + f->nalts;
}

static int content_height(const struct frame *f)
{
	int h = concat_height(f);

	if (f->nalts == 0)
		return h;
	return (f->alts_height > h ? f->alts_height : h) + 1;
}

/* check_limits is checkLimits on the estimates: the expression so far
 * (every open group's part) and the height of the atom just made. */
static int check_limits(struct parser *p, int height)
{
	uint64_t total = 0;

	for (size_t i = 0; i < p->frames.n; i++)
		total += content_size(&p->frames.v[i]) + (p->frames.v[i].capture ? 2 : 0);
	if (total > MAX_SIZE)
		return fail(p, ERR_LARGE, p->whole, (size_t)(p->end - p->whole));
	if (p->nodes >= MAX_HEIGHT && height > MAX_HEIGHT)
		return fail(p, ERR_NESTING_DEPTH, p->whole, (size_t)(p->end - p->whole));
	return 0;
}

static int atom_end(struct parser *p, size_t start, uint64_t prod, int height, uint64_t size)
{
	struct frame *f = top(p);

	f->have_atom = true;
	f->atom_start = start;
	f->atom_prod = prod;
	f->atom_height = height;
	f->atom_size = size;
	if (prod > f->max_prod)
		f->max_prod = prod;
	if (height > f->cur_height)
		f->cur_height = height;
	f->cur_size += size;
	f->cur_items++;
	p->nodes++;
	return check_limits(p, height);
}

static void emit_rune(struct buf *b, int32_t r)
{
	buf_printf(b, "\\x{%x}", (unsigned)r);
}

static int emit_literal(struct parser *p, int32_t r)
{
	size_t s = atom_begin(p);

	if (p->flags & F_FOLD) {
		buf_adds(&p->out, "(?i:");
		emit_rune(&p->out, r);
		buf_addch(&p->out, ')');
	} else {
		emit_rune(&p->out, r);
	}
	return atom_end(p, s, 1, 1, 1);
}

static int emit_op(struct parser *p, const char *text)
{
	size_t s = atom_begin(p);

	buf_adds(&p->out, text);
	return atom_end(p, s, 1, 1, 1);
}

/* ---- rune sets (Perl and POSIX groups, all ASCII) ------------------------- */

struct rset {
	int32_t lo[64], hi[64];
	size_t n;
};

static void rset_add(struct rset *s, int32_t lo, int32_t hi)
{
	CHECK(s->n < countof(s->lo));
	s->lo[s->n] = lo;
	s->hi[s->n] = hi;
	s->n++;
}

/* A Perl or POSIX group: its ranges as "lo-hi" pairs of bytes. */
struct group {
	const char *name;
	const char *ranges;  /* pairs lo,hi */
	bool neg;
};

static const struct group perl_groups[] = {
	{"\\d", "09", false}, {"\\D", "09", true},
	{"\\s", "\t\n\f\r  ", false}, {"\\S", "\t\n\f\r  ", true},
	{"\\w", "09AZ__az", false}, {"\\W", "09AZ__az", true},
};

static const struct group posix_groups[] = {
	{"[:alnum:]", "09AZaz", false}, {"[:^alnum:]", "09AZaz", true},
	{"[:alpha:]", "AZaz", false}, {"[:^alpha:]", "AZaz", true},
	{"[:ascii:]", "\x01\x7f", false}, {"[:^ascii:]", "\x01\x7f", true},
	{"[:blank:]", "\t\t  ", false}, {"[:^blank:]", "\t\t  ", true},
	{"[:cntrl:]", "\x01\x1f\x7f\x7f", false}, {"[:^cntrl:]", "\x01\x1f\x7f\x7f", true},
	{"[:digit:]", "09", false}, {"[:^digit:]", "09", true},
	{"[:graph:]", "!~", false}, {"[:^graph:]", "!~", true},
	{"[:lower:]", "az", false}, {"[:^lower:]", "az", true},
	{"[:print:]", " ~", false}, {"[:^print:]", " ~", true},
	{"[:punct:]", "!/:@[`{~", false}, {"[:^punct:]", "!/:@[`{~", true},
	{"[:space:]", "\t\r  ", false}, {"[:^space:]", "\t\r  ", true},
	{"[:upper:]", "AZ", false}, {"[:^upper:]", "AZ", true},
	{"[:word:]", "09AZ__az", false}, {"[:^word:]", "09AZ__az", true},
	{"[:xdigit:]", "09AFaf", false}, {"[:^xdigit:]", "09AFaf", true},
};

/* group_set is appendGroup: the group's runes, folded under (?i) before a
 * negation as Go folds them.  [:ascii:] and [:cntrl:] start at NUL, which
 * the C strings above cannot hold. */
static void group_set(const struct group *g, bool fold, struct rset *out)
{
	struct rset s = {0};
	bool from_nul = strstr(g->name, "ascii") || strstr(g->name, "cntrl");

	for (const char *r = g->ranges; r[0]; r += 2)
		rset_add(&s, (int32_t)(unsigned char)r[0], (int32_t)(unsigned char)r[1]);
	if (from_nul)
		s.lo[0] = 0;
	if (fold) {
		/* ASCII simple folds: the other case of each letter, and the
		 * two non-ASCII members of ASCII orbits (ſ with s, K with k) */
		size_t n = s.n;
		bool has_k = false, has_s = false;
		for (size_t i = 0; i < n; i++) {
			int32_t lo = s.lo[i], hi = s.hi[i];
			int32_t a = lo > 'a' ? lo : 'a', z = hi < 'z' ? hi : 'z';
			int32_t A = lo > 'A' ? lo : 'A', Z = hi < 'Z' ? hi : 'Z';
			if (a <= z)
				rset_add(&s, a - 32, z - 32);
			if (A <= Z)
				rset_add(&s, A + 32, Z + 32);
			if ((lo <= 'k' && 'k' <= hi) || (lo <= 'K' && 'K' <= hi))
				has_k = true;
			if ((lo <= 's' && 's' <= hi) || (lo <= 'S' && 'S' <= hi))
				has_s = true;
		}
		if (has_s)
			rset_add(&s, 0x17F, 0x17F);
		if (has_k)
			rset_add(&s, 0x212A, 0x212A);
	}
	if (!g->neg) {
		*out = s;
		return;
	}
	/* the complement over [0, 0x10FFFF] (sort the ranges first) */
	for (size_t i = 1; i < s.n; i++)
		for (size_t j = i; j > 0 && s.lo[j - 1] > s.lo[j]; j--) {
			int32_t t = s.lo[j]; s.lo[j] = s.lo[j - 1]; s.lo[j - 1] = t;
			t = s.hi[j]; s.hi[j] = s.hi[j - 1]; s.hi[j - 1] = t;
		}
	memset(out, 0, sizeof(*out));
	{
		int32_t next = 0;
		for (size_t i = 0; i < s.n; i++) {
			if (s.lo[i] > next)
				rset_add(out, next, s.lo[i] - 1);
			if (s.hi[i] + 1 > next)
				next = s.hi[i] + 1;
		}
		if (next <= 0x10FFFF)
			rset_add(out, next, 0x10FFFF);
	}
}

static void emit_set_items(struct buf *b, const struct rset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		emit_rune(b, s->lo[i]);
		if (s->hi[i] != s->lo[i]) {
			buf_addch(b, '-');
			emit_rune(b, s->hi[i]);
		}
	}
}

/* perl_group returns the Perl class escape at s (\d \D \s \S \w \W), or NULL. */
static const struct group *perl_group(const char *s, const char *end)
{
	if (end - s < 2 || s[0] != '\\')
		return NULL;
	for (size_t i = 0; i < countof(perl_groups); i++)
		if (s[1] == perl_groups[i].name[1])
			return &perl_groups[i];
	return NULL;
}

/* ---- \p{...} -------------------------------------------------------------- */

/* canonical_name is canonicalName (heap). */
static char *canonical_name(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	bool first = true;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '_' || c == '-' || c == ' ')
			continue;
		if (first) {
			if (c >= 'a' && c <= 'z')
				c = (char)(c - 'a' + 'A');
			first = false;
		} else if (c >= 'A' && c <= 'Z') {
			c = (char)(c - 'A' + 'a');
		}
		buf_addch(&b, c);
	}
	return buf_detach(&b);
}

/*
 * emit_uclass appends the PCRE2 class item for table (sign > 0: the table,
 * else its complement).  Under (?i) Go adds the table's fold orbit; PCRE2
 * ignores case for \p, so the cased categories Lu, Ll and Lt become L&
 * (Lu|Ll|Lt), the closest PCRE2 has, and other tables stay unfolded (Go's
 * FoldScript only adds a few Greek and Common letters).
 */
static void emit_uclass(struct buf *b, const char *table, int sign, bool fold)
{
	if (strcmp(table, "ASCII") == 0) {
		/* [:ascii:] / [:^ascii:], folded as Go folds asciiFoldTable */
		struct rset set;
		group_set(&posix_groups[sign > 0 ? 4 : 5], fold, &set);
		emit_set_items(b, &set);
		return;
	}
	if (strcmp(table, "Kawi") == 0) {
		/* a Unicode 15 script that PCRE2 10.42 does not know: its
		 * ranges from go1.26's unicode tables */
		buf_adds(b, sign > 0 ? "\\x{11f00}-\\x{11f10}\\x{11f12}-\\x{11f3a}\\x{11f3e}-\\x{11f59}"
		                     : "\\x{0}-\\x{11eff}\\x{11f11}\\x{11f3b}-\\x{11f3d}\\x{11f5a}-\\x{10ffff}");
		return;
	}
	if (strcmp(table, "Assigned") == 0) {
		buf_adds(b, sign > 0 ? "\\P{Cn}" : "\\p{Cn}");
		return;
	}
	if (strcmp(table, "LC") == 0 ||
	    (fold && (strcmp(table, "Lu") == 0 || strcmp(table, "Ll") == 0 || strcmp(table, "Lt") == 0)))
		table = "L&";
	buf_printf(b, "\\%c{%s}", sign > 0 ? 'p' : 'P', table);
}

/*
 * parse_unicode_class is parseUnicodeClass at s: 0 with *rest NULL when s
 * is not \p or \P; else 0 with the class item appended to b and *rest
 * past it, or -1 on error.
 */
static int parse_unicode_class(struct parser *p, const char *s, struct buf *b, const char **rest)
{
	const char *t, *seq_end, *name;
	size_t name_n;
	int sign;
	int32_t c;
	size_t w;
	char *canon;
	const struct uname *u;

	*rest = NULL;
	if (p->end - s < 2 || s[0] != '\\' || (s[1] != 'p' && s[1] != 'P'))
		return 0;
	sign = s[1] == 'P' ? -1 : +1;
	t = s + 2;
	if (t < p->end) {
		if (next_rune(p, t, p->end, &c, &w) < 0)
			return -1;
	} else {
		c = 0xFFFD;
		w = 0;
	}
	t += w;
	if (c != '{') {
		seq_end = t;
		name = s + 2;
		name_n = (size_t)(t - name);
	} else {
		const char *close = memchr(s, '}', (size_t)(p->end - s));
		if (!close) {
			if (check_utf8(p, s, p->end) < 0)
				return -1;
			return fail(p, ERR_INVALID_CHAR_RANGE, s, (size_t)(p->end - s));
		}
		seq_end = close + 1;
		t = seq_end;
		name = s + 3;
		name_n = (size_t)(close - name);
		if (check_utf8(p, name, close) < 0)
			return -1;
	}
	if (name_n > 0 && name[0] == '^') {
		sign = -sign;
		name++;
		name_n--;
	}
	canon = canonical_name(name, name_n);
	u = bsearch(canon, unames, countof(unames), sizeof(unames[0]), cmp_uname);
	free(canon);
	if (!u)
		return fail(p, ERR_INVALID_CHAR_RANGE, s, (size_t)(seq_end - s));
	emit_uclass(b, u->table, sign, (p->flags & F_FOLD) != 0);
	*rest = t;
	return 0;
}

/* ---- escapes ---------------------------------------------------------------- */

/* parse_escape is parseEscape at s (s[0] == '\\'). */
static int parse_escape(struct parser *p, const char *s, int32_t *r, const char **rest)
{
	const char *t = s + 1;
	int32_t c;
	size_t w;

	if (t >= p->end)
		return fail(p, ERR_TRAILING_BACKSLASH, "", 0);
	if (next_rune(p, t, p->end, &c, &w) < 0)
		return -1;
	t += w;
	switch (c) {
	case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		/* a single non-zero digit is a backreference: not supported */
		if (t >= p->end || *t < '0' || *t > '7')
			break;
		/* fallthrough */
	case '0':
		*r = c - '0';
		for (int i = 1; i < 3; i++) {
			if (t >= p->end || *t < '0' || *t > '7')
				break;
			*r = *r * 8 + (*t - '0');
			t++;
		}
		*rest = t;
		return 0;
	case 'x': {
		int x, y;
		if (t >= p->end)
			break;
		if (next_rune(p, t, p->end, &c, &w) < 0)
			return -1;
		t += w;
		if (c == '{') {
			int nhex = 0;
			int64_t v = 0;
			for (;;) {
				int d;
				if (t >= p->end)
					goto bad;
				if (next_rune(p, t, p->end, &c, &w) < 0)
					return -1;
				t += w;
				if (c == '}')
					break;
				d = unhex(c);
				if (d < 0)
					goto bad;
				v = v * 16 + d;
				if (v > 0x10FFFF)
					goto bad;
				nhex++;
			}
			if (nhex == 0)
				goto bad;
			*r = (int32_t)v;
			*rest = t;
			return 0;
		}
		x = unhex(c);
		if (t >= p->end) {
			/* nextRune("") is RuneError of width 0: not a hex digit */
			goto bad;
		}
		if (next_rune(p, t, p->end, &c, &w) < 0)
			return -1;
		t += w;
		y = unhex(c);
		if (x < 0 || y < 0)
			break;
		*r = x * 16 + y;
		*rest = t;
		return 0;
	}
	case 'a': *r = '\a'; *rest = t; return 0;
	case 'f': *r = '\f'; *rest = t; return 0;
	case 'n': *r = '\n'; *rest = t; return 0;
	case 'r': *r = '\r'; *rest = t; return 0;
	case 't': *r = '\t'; *rest = t; return 0;
	case 'v': *r = '\v'; *rest = t; return 0;
	default:
		if (c < 0x80 && !is_alnum_rune(c)) {
			/* escaped punctuation is itself (\_ included) */
			*r = c;
			*rest = t;
			return 0;
		}
		break;
	}
bad:
	return fail(p, ERR_INVALID_ESCAPE, s, (size_t)(t - s));
}

/* ---- character classes ------------------------------------------------------ */

static int parse_class_char(struct parser *p, const char *s, const char *whole, int32_t *r, const char **rest)
{
	size_t w;

	if (s >= p->end)
		return fail(p, ERR_MISSING_BRACKET, whole, (size_t)(p->end - whole));
	if (*s == '\\')
		return parse_escape(p, s, r, rest);
	if (next_rune(p, s, p->end, r, &w) < 0)
		return -1;
	*rest = s + w;
	return 0;
}

/* parse_class is parseClass at s (s[0] == '['): the class is emitted as one atom. */
static int parse_class(struct parser *p, const char *s, const char **rest)
{
	const char *t = s + 1;
	struct buf items = BUF_INIT;
	bool neg = false, first = true;
	size_t start;
	int rc = -1;

	if (t < p->end && *t == '^') {
		neg = true;
		t++;
	}
	while (t >= p->end || *t != ']' || first) {
		int32_t lo, hi;
		const char *rng, *nt;
		first = false;
		/* POSIX [:alnum:] */
		if (p->end - t > 2 && t[0] == '[' && t[1] == ':') {
			const char *close = NULL;
			for (const char *q = t + 2; q + 1 < p->end; q++)
				if (q[0] == ':' && q[1] == ']') {
					close = q;
					break;
				}
			if (close) {
				size_t n = (size_t)(close + 2 - t);
				const struct group *g = NULL;
				for (size_t i = 0; i < countof(posix_groups); i++)
					if (strlen(posix_groups[i].name) == n && memcmp(posix_groups[i].name, t, n) == 0)
						g = &posix_groups[i];
				if (!g) {
					fail(p, ERR_INVALID_CHAR_RANGE, t, n);
					goto out;
				}
				{
					struct rset set;
					group_set(g, (p->flags & F_FOLD) != 0, &set);
					emit_set_items(&items, &set);
				}
				t += n;
				continue;
			}
		}
		/* \p{Han} */
		if (parse_unicode_class(p, t, &items, &nt) < 0)
			goto out;
		if (nt) {
			t = nt;
			continue;
		}
		/* \d \s \w */
		{
			const struct group *g = perl_group(t, p->end);
			if (g) {
				struct rset set;
				group_set(g, (p->flags & F_FOLD) != 0, &set);
				emit_set_items(&items, &set);
				t += 2;
				continue;
			}
		}
		/* a character or a range */
		rng = t;
		if (parse_class_char(p, t, s, &lo, &t) < 0)
			goto out;
		hi = lo;
		if (p->end - t >= 2 && t[0] == '-' && t[1] != ']') {
			t++;
			if (parse_class_char(p, t, s, &hi, &t) < 0)
				goto out;
			if (hi < lo) {
				fail(p, ERR_INVALID_CHAR_RANGE, rng, (size_t)(t - rng));
				goto out;
			}
		}
		emit_rune(&items, lo);
		if (hi != lo) {
			buf_addch(&items, '-');
			emit_rune(&items, hi);
		}
	}
	t++; /* the ']' */
	start = atom_begin(p);
	if (p->flags & F_FOLD)
		buf_adds(&p->out, "(?i:");
	if (items.len == 0)
		/* an empty class matches nothing (negated: any rune) */
		buf_adds(&p->out, neg ? "[\\x{0}-\\x{10ffff}]" : "(*FAIL)");
	else
		buf_printf(&p->out, "[%s%s]", neg ? "^" : "", buf_cstr(&items));
	if (p->flags & F_FOLD)
		buf_addch(&p->out, ')');
	if (atom_end(p, start, 1, 1, 1) < 0)
		goto out;
	*rest = t;
	rc = 0;
out:
	buf_release(&items);
	return rc;
}

/* ---- repetition ------------------------------------------------------------- */

/* parse_int is parseInt: digits without a leading zero; -1 when >= 1e8. */
static bool parse_int(const char **s, const char *end, int *n)
{
	const char *t = *s;

	if (t >= end || *t < '0' || *t > '9')
		return false;
	if (end - t >= 2 && t[0] == '0' && t[1] >= '0' && t[1] <= '9')
		return false;
	*n = 0;
	for (; t < end && *t >= '0' && *t <= '9'; t++) {
		if (*n >= 100000000 || *n < 0)
			*n = -1;
		else
			*n = *n * 10 + (*t - '0');
	}
	*s = t;
	return true;
}

/* parse_repeat is parseRepeat: {min}, {min,} (max -1) or {min,max}. */
static bool parse_repeat(const char *s, const char *end, int *min, int *max, const char **rest)
{
	if (s >= end || *s != '{')
		return false;
	s++;
	if (!parse_int(&s, end, min))
		return false;
	if (s >= end)
		return false;
	if (*s != ',') {
		*max = *min;
	} else {
		s++;
		if (s >= end)
			return false;
		if (*s == '}')
			*max = -1;
		else if (!parse_int(&s, end, max))
			return false;
		else if (*max < 0)
			*min = -1;
	}
	if (s >= end || *s != '}')
		return false;
	*rest = s + 1;
	return true;
}

/*
 * repeat is parser.repeat: apply op (text q) to the last atom.  before is
 * where the operator starts, *after just past it; last_repeat the
 * previous operator when nothing came between.
 */
static int repeat(struct parser *p, int min, int max, bool is_brace, const char *before, const char **after,
                  const char *last_repeat)
{
	struct frame *f = top(p);
	const char *a = *after;
	uint64_t prod;
	char *atom;

	if (a < p->end && *a == '?')
		a++; /* non-greedy: the same strings match */
	if (last_repeat)
		return fail(p, ERR_INVALID_REPEAT_OP, last_repeat, (size_t)(a - last_repeat));
	if (!f->have_atom)
		return fail(p, ERR_MISSING_REPEAT_ARGUMENT, before, (size_t)(a - before));
	/* repeatIsValid: the product of the {n,m} counts nested along any
	 * path, from the outside in and stopping at a {0}, stays <= 1000 */
	prod = f->atom_prod;
	if (is_brace) {
		int m = max;
		if (m == 0) {
			prod = 1; /* {0}: repeatIsValid looks no deeper */
		} else {
			if (m < 0)
				m = min;
			if (m > 0)
				prod = (uint64_t)m * prod;
			if (prod > 1000000)
				prod = 1000000;
		}
		if ((min >= 2 || max >= 2) && prod > 1000)
			return fail(p, ERR_INVALID_REPEAT_SIZE, before, (size_t)(a - before));
	}
	atom = xstrdup(p->out.data + f->atom_start);
	buf_truncate(&p->out, f->atom_start);
	buf_printf(&p->out, "(?:%s)", atom);
	free(atom);
	if (!is_brace)
		buf_addch(&p->out, *before);
	else if (max == min)
		buf_printf(&p->out, "{%d}", min);
	else if (max < 0)
		buf_printf(&p->out, "{%d,}", min);
	else
		buf_printf(&p->out, "{%d,%d}", min, max);
	{
		/* calcSize of the repeat node: x* 2+sub, x+ x? 1+sub, x{n,} 1+n*sub
		 * (x{0,} like x*), x{n,m} m*sub + (m-n) */
		uint64_t sub = f->atom_size, size;
		if (!is_brace)
			size = (*before == '*' ? 2 : 1) + sub;
		else if (max < 0)
			size = min == 0 ? 2 + sub : 1 + (uint64_t)min * sub;
		else
			size = (uint64_t)max * sub + (uint64_t)(max - min);
		if (size < 1)
			size = 1;
		f->cur_size = f->cur_size - f->atom_size + size;
		f->atom_size = size;
	}
	f->atom_prod = prod;
	f->atom_height++;
	if (prod > f->max_prod)
		f->max_prod = prod;
	if (f->atom_height > f->cur_height)
		f->cur_height = f->atom_height;
	p->nodes++;
	*after = a;
	return check_limits(p, f->atom_height);
}

/* ---- groups ----------------------------------------------------------------- */

static void open_group(struct parser *p, int saved_flags, bool capture)
{
	struct frame f = {0};

	f.flags = saved_flags;
	f.out_start = p->out.len;
	f.capture = capture;
	buf_adds(&p->out, "(?:");
	VEC_PUSH(&p->frames, f);
	p->nodes++;
}

static int close_group(struct parser *p)
{
	struct frame f;

	if (p->frames.n < 2)
		return fail(p, ERR_UNEXPECTED_PAREN, p->whole, (size_t)(p->end - p->whole));
	f = p->frames.v[--p->frames.n];
	buf_addch(&p->out, ')');
	p->flags = f.flags;
	return atom_end(p, f.out_start, f.max_prod ? f.max_prod : 1, content_height(&f) + (f.capture ? 1 : 0),
	                content_size(&f) + (f.capture ? 2 : 0));
}

static bool valid_capture_name(const char *s, const char *end)
{
	if (s == end)
		return false;
	for (; s < end; s++)
		if (*s != '_' && !is_alnum_rune((unsigned char)*s))
			return false;
	return true;
}

/* parse_perl_flags is parsePerlFlags at s ("(?..."). */
static int parse_perl_flags(struct parser *p, const char *s, const char **rest)
{
	const char *t = s;
	size_t len = (size_t)(p->end - s);
	bool starts_p = len > 4 && t[2] == 'P' && t[3] == '<';
	bool starts_name = len > 3 && t[2] == '<';
	int flags = p->flags, sign = 1;
	bool saw_flag = false;

	if (starts_p || starts_name) {
		const char *name = t + (starts_p ? 4 : 3);
		const char *close = memchr(t, '>', len);
		if (!close) {
			if (check_utf8(p, t, p->end) < 0)
				return -1;
			return fail(p, ERR_INVALID_NAMED_CAPTURE, s, len);
		}
		if (check_utf8(p, name, close) < 0)
			return -1;
		if (!valid_capture_name(name, close))
			return fail(p, ERR_INVALID_NAMED_CAPTURE, t, (size_t)(close + 1 - t));
		open_group(p, p->flags, true);
		*rest = close + 1;
		return 0;
	}
	t += 2;
	while (t < p->end) {
		int32_t c;
		size_t w;
		if (next_rune(p, t, p->end, &c, &w) < 0)
			return -1;
		t += w;
		switch (c) {
		case 'i': flags |= F_FOLD; saw_flag = true; continue;
		case 'm': flags &= ~F_ONELINE; saw_flag = true; continue;
		case 's': flags |= F_DOTNL; saw_flag = true; continue;
		case 'U': flags |= F_NONGREEDY; saw_flag = true; continue;
		case '-':
			if (sign < 0)
				break;
			sign = -1;
			flags = ~flags;
			saw_flag = false;
			continue;
		case ':':
		case ')':
			if (sign < 0) {
				if (!saw_flag)
					break;
				flags = ~flags;
			}
			if (c == ':')
				open_group(p, p->flags, false);
			p->flags = flags;
			*rest = t;
			return 0;
		default:
			break;
		}
		break;
	}
	return fail(p, ERR_INVALID_PERL_OP, s, (size_t)(t - s));
}

/* ---- the main loop ---------------------------------------------------------- */

static int parse(struct parser *p)
{
	const char *t = p->whole, *last_repeat = NULL;

	while (t < p->end) {
		const char *repeat_at = NULL;
		switch (*t) {
		default: {
			int32_t c;
			size_t w;
			if (next_rune(p, t, p->end, &c, &w) < 0)
				return -1;
			if (emit_literal(p, c) < 0)
				return -1;
			t += w;
			break;
		}
		case '(':
			if (p->end - t >= 2 && t[1] == '?') {
				if (parse_perl_flags(p, t, &t) < 0)
					return -1;
				break;
			}
			open_group(p, p->flags, true);
			t++;
			break;
		case '|': {
			struct frame *f = top(p);
			int h = concat_height(f);
			buf_addch(&p->out, '|');
			f->alts_size += f->cur_size;
			if (h > f->alts_height)
				f->alts_height = h;
			f->nalts++;
			f->have_atom = false;
			f->cur_size = 0;
			f->cur_height = 0;
			f->cur_items = 0;
			t++;
			break;
		}
		case ')':
			if (close_group(p) < 0)
				return -1;
			t++;
			break;
		case '^':
			if (emit_op(p, (p->flags & F_ONELINE) ? "\\A" : "(?m:^)") < 0)
				return -1;
			t++;
			break;
		case '$':
			if (emit_op(p, (p->flags & F_ONELINE) ? "\\z" : "(?m:$)") < 0)
				return -1;
			t++;
			break;
		case '.':
			if (emit_op(p, (p->flags & F_DOTNL) ? "[\\x{0}-\\x{10ffff}]" : "[^\\n]") < 0)
				return -1;
			t++;
			break;
		case '[':
			if (parse_class(p, t, &t) < 0)
				return -1;
			break;
		case '*':
		case '+':
		case '?': {
			const char *before = t, *after = t + 1;
			int min = *t == '+' ? 1 : 0, max = *t == '?' ? 1 : -1;
			if (repeat(p, min, max, false, before, &after, last_repeat) < 0)
				return -1;
			repeat_at = before;
			t = after;
			break;
		}
		case '{': {
			const char *before = t, *after;
			int min = 0, max = 0;
			if (!parse_repeat(t, p->end, &min, &max, &after)) {
				if (emit_literal(p, '{') < 0) /* not a repeat: { is a literal */
					return -1;
				t++;
				break;
			}
			if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max))
				return fail(p, ERR_INVALID_REPEAT_SIZE, before, (size_t)(after - before));
			if (repeat(p, min, max, true, before, &after, last_repeat) < 0)
				return -1;
			repeat_at = before;
			t = after;
			break;
		}
		case '\\': {
			const char *nt;
			int32_t c;
			if (p->end - t >= 2) {
				switch (t[1]) {
				case 'A':
				case 'b':
				case 'B':
				case 'z': {
					char op[3] = {'\\', t[1], 0};
					if (emit_op(p, op) < 0)
						return -1;
					t += 2;
					goto next;
				}
				case 'C': return fail(p, ERR_INVALID_ESCAPE, t, 2); /* any byte: not supported */
				case 'Q': {
					/* \Q...\E: literals up to \E or the end */
					const char *lit = t + 2, *lend = p->end;
					for (const char *q = lit; q + 1 < p->end; q++)
						if (q[0] == '\\' && q[1] == 'E') {
							lend = q;
							break;
						}
					t = lend < p->end ? lend + 2 : p->end;
					while (lit < lend) {
						size_t w;
						if (next_rune(p, lit, lend, &c, &w) < 0)
							return -1;
						if (emit_literal(p, c) < 0)
							return -1;
						lit += w;
					}
					goto next;
				}
				default: break;
				}
			}
			/* \p{Han} */
			{
				struct buf item = BUF_INIT;
				if (parse_unicode_class(p, t, &item, &nt) < 0) {
					buf_release(&item);
					return -1;
				}
				if (nt) {
					size_t s = atom_begin(p);
					buf_printf(&p->out, "%s[%s]%s", (p->flags & F_FOLD) ? "(?i:" : "", buf_cstr(&item),
					           (p->flags & F_FOLD) ? ")" : "");
					buf_release(&item);
					if (atom_end(p, s, 1, 1, 1) < 0)
						return -1;
					t = nt;
					break;
				}
				buf_release(&item);
			}
			/* \d \s \w */
			{
				const struct group *g = perl_group(t, p->end);
				if (g) {
					struct rset set;
					size_t s = atom_begin(p);
					group_set(g, (p->flags & F_FOLD) != 0, &set);
					if (p->flags & F_FOLD)
						buf_adds(&p->out, "(?i:");
					buf_addch(&p->out, '[');
					emit_set_items(&p->out, &set);
					buf_addch(&p->out, ']');
					if (p->flags & F_FOLD)
						buf_addch(&p->out, ')');
					if (atom_end(p, s, 1, 1, 1) < 0)
						return -1;
					t += 2;
					break;
				}
			}
			if (parse_escape(p, t, &c, &nt) < 0 || emit_literal(p, c) < 0)
				return -1;
			t = nt;
			break;
		}
		}
next:
		last_repeat = repeat_at;
	}
	if (p->frames.n != 1)
		return fail(p, ERR_MISSING_PAREN, p->whole, (size_t)(p->end - p->whole));
	return check_limits(p, content_height(top(p)));
}

int gen_regexp_compile(const char *expr, struct gen_regexp **out, struct err *e)
{
	struct parser p;
	struct frame f0 = {0};
	struct gen_regexp *re = NULL;
	pcre2_compile_context *cc = NULL;
	int errcode = 0, rc = -1;
	PCRE2_SIZE erroff = 0;

	*out = NULL;
	memset(&p, 0, sizeof p);
	p.whole = expr;
	p.end = expr + strlen(expr);
	p.flags = F_ONELINE; /* syntax.Perl: ClassNL | OneLine | PerlX | UnicodeGroups */
	p.e = e;
	buf_init(&p.out);
	VEC_PUSH(&p.frames, f0);
	if (parse(&p) < 0)
		goto out;
	cc = pcre2_compile_context_create(NULL);
	pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
	re = xcalloc(1, sizeof(*re));
	re->pattern = buf_detach(&p.out);
	re->expr = xstrdup(expr);
	re->code = pcre2_compile((PCRE2_SPTR)re->pattern, PCRE2_ZERO_TERMINATED,
	                         PCRE2_UTF | PCRE2_ALT_CIRCUMFLEX | PCRE2_NEVER_BACKSLASH_C, &errcode, &erroff, cc);
	if (!re->code) {
		/* an expression Go accepts that this PCRE2 cannot express (a
		 * Unicode name it does not know): refused, never guessed */
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof msg);
		err_setf(e, "regexp %s: not supported by gotool's PCRE2 translation: %s", expr, (const char *)msg);
		goto out;
	}
	*out = re;
	re = NULL;
	rc = 0;
out:
	if (cc)
		pcre2_compile_context_free(cc);
	gen_regexp_free(re);
	buf_release(&p.out);
	VEC_FREE(&p.frames);
	return rc;
}

bool gen_regexp_match(const struct gen_regexp *re, const char *s, size_t n)
{
	struct buf valid = BUF_INIT;
	pcre2_match_data *md;
	int rc;

	/* Go reads an invalid byte as U+FFFD: give PCRE2 exactly that */
	for (size_t i = 0; i < n;) {
		int32_t r;
		size_t w = utf8_rune_decode(s + i, n - i, &r);
		if (r == 0xFFFD && w == 1)
			buf_adds(&valid, "\xEF\xBF\xBD");
		else
			buf_add(&valid, s + i, w);
		i += w;
	}
	md = pcre2_match_data_create_from_pattern(re->code, NULL);
	rc = pcre2_match(re->code, (PCRE2_SPTR)valid.data, valid.len, 0, PCRE2_NO_UTF_CHECK, md, NULL);
	if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
		/* backtracking gave up (match or depth limit) where RE2 never
		 * does: the DFA matcher answers without backtracking */
		size_t wn = 4096;
		for (;;) {
			int *ws = xcalloc(wn, sizeof(int));
			rc = pcre2_dfa_match(re->code, (PCRE2_SPTR)valid.data, valid.len, 0, PCRE2_NO_UTF_CHECK, md, NULL,
			                     ws, wn);
			free(ws);
			if (rc != PCRE2_ERROR_DFA_WSSIZE || wn >= ((size_t)1 << 24))
				break;
			wn *= 4;
		}
		/* a matcher that fails both ways is a gotool limit, not a
		 * mismatch to hide: say so and treat the line as not matching */
		if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(rc, msg, sizeof msg);
			fflush(stdout);
			fprintf(stderr, "%s: generate: regexp %s: %s\n", prog_name, re->expr, (const char *)msg);
		}
	}
	pcre2_match_data_free(md);
	buf_release(&valid);
	return rc >= 0;
}

void gen_regexp_free(struct gen_regexp *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	free(re->pattern);
	free(re->expr);
	free(re);
}

const char *gen_regexp_pcre(const struct gen_regexp *re)
{
	return re->pattern;
}

bool gen_regexp_full_match(const struct gen_regexp *re, const char *s, size_t n)
{
	struct buf valid = BUF_INIT;
	pcre2_match_data *md;
	PCRE2_SIZE *ov;
	bool ok = false;
	int rc;

	/* as gen_regexp_match: invalid bytes read as U+FFFD (one byte each in
	 * s, three in valid, so a whole match spans all of valid) */
	for (size_t i = 0; i < n;) {
		int32_t r;
		size_t w = utf8_rune_decode(s + i, n - i, &r);
		if (r == 0xFFFD && w == 1)
			buf_adds(&valid, "\xEF\xBF\xBD");
		else
			buf_add(&valid, s + i, w);
		i += w;
	}
	md = pcre2_match_data_create_from_pattern(re->code, NULL);
	rc = pcre2_match(re->code, (PCRE2_SPTR)(valid.data ? valid.data : ""), valid.len, 0, PCRE2_NO_UTF_CHECK, md, NULL);
	if (rc >= 0) {
		ov = pcre2_get_ovector_pointer(md);
		ok = ov[0] == 0 && ov[1] == valid.len;
	}
	pcre2_match_data_free(md);
	buf_release(&valid);
	return ok;
}
