/*
 * The Go file header reader: go/build's byte-level readGoInfo /
 * readComments, then what go/parser yields for the header in
 * ImportsOnly|ParseComments mode (package name, doc comment, imports with
 * their doc comments, //go: directives, the first parse error), and the
 * //go:embed patterns found by scanning the whole file.
 *
 * The parser here is a small Go tokenizer plus the package clause and
 * import declaration rules of go/parser, with its error texts.
 */
#include <stdlib.h>
#include <string.h>

#include "modload/header_internal.h"

/* ======================================================================
 * The byte reader (mirrors go/build/read.go importReader, go1.26)
 * ====================================================================== */

enum rd_err { RD_OK, RD_SYNTAX, RD_NUL };

struct reader {
	const char *data;
	size_t n;
	size_t pos;       /* bytes consumed so far (go's len(r.buf)) */
	int peek;         /* -1 when nothing is buffered */
	enum rd_err err;
	bool eof;
};

static bool rd_is_ident(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

static void rd_syntax(struct reader *r)
{
	if (r->err == RD_OK)
		r->err = RD_SYNTAX;
}

/* rd_byte returns the next byte, 0 at EOF or on a NUL byte (then an error). */
static int rd_byte(struct reader *r)
{
	int c;

	if (r->pos >= r->n) {
		r->eof = true;
		return 0;
	}
	c = (unsigned char)r->data[r->pos++];
	if (c == 0 && r->err == RD_OK)
		r->err = RD_NUL;
	return c;
}

static int rd_peek(struct reader *r, bool skip_space)
{
	int c, c1;

	if (r->err != RD_OK)
		return 0;
	c = r->peek >= 0 ? r->peek : 0;
	if (c == 0)
		c = rd_byte(r);
	while (r->err == RD_OK && !r->eof) {
		if (!skip_space)
			break;
		/* semicolons never matter to this reader: they count as space */
		if (c == ' ' || c == '\f' || c == '\t' || c == '\r' || c == '\n' || c == ';') {
			c = rd_byte(r);
			continue;
		}
		if (c != '/')
			break;
		c = rd_byte(r);
		if (c == '/') {
			while (c != '\n' && r->err == RD_OK && !r->eof)
				c = rd_byte(r);
		} else if (c == '*') {
			c1 = 0;
			while ((c != '*' || c1 != '/') && r->err == RD_OK) {
				if (r->eof)
					rd_syntax(r);
				c = c1;
				c1 = rd_byte(r);
			}
		} else {
			rd_syntax(r);
		}
		c = rd_byte(r);
	}
	r->peek = c;
	return c;
}

static int rd_next(struct reader *r, bool skip_space)
{
	int c = rd_peek(r, skip_space);
	r->peek = 0;
	return c;
}

static void rd_keyword(struct reader *r, const char *kw)
{
	rd_peek(r, true);
	for (; *kw; kw++) {
		if (rd_next(r, false) != (unsigned char)*kw) {
			rd_syntax(r);
			return;
		}
	}
	if (rd_is_ident(rd_peek(r, false)))
		rd_syntax(r);
}

static void rd_ident(struct reader *r)
{
	if (!rd_is_ident(rd_peek(r, true))) {
		rd_syntax(r);
		return;
	}
	while (rd_is_ident(rd_peek(r, false)))
		r->peek = 0;
}

static void rd_string(struct reader *r)
{
	int c;

	switch (rd_next(r, true)) {
	case '`':
		while (r->err == RD_OK) {
			if (rd_next(r, false) == '`')
				break;
			if (r->eof)
				rd_syntax(r);
		}
		break;
	case '"':
		while (r->err == RD_OK) {
			c = rd_next(r, false);
			if (c == '"')
				break;
			if (r->eof || c == '\n')
				rd_syntax(r);
			if (c == '\\')
				rd_next(r, false);
		}
		break;
	default:
		rd_syntax(r);
	}
}

static void rd_import(struct reader *r)
{
	int c = rd_peek(r, true);

	if (c == '.')
		r->peek = 0;
	else if (rd_is_ident(c))
		rd_ident(r);
	rd_string(r);
}

static size_t skip_bom(const char *data, size_t n)
{
	return n >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

/* mirrors go/build/read.go readComments (go1.26) */
size_t load_read_comments(const char *data, size_t n)
{
	size_t bom = skip_bom(data, n);
	struct reader r = {.data = data + bom, .n = n - bom, .peek = -1};

	rd_peek(&r, true);
	if (r.err == RD_OK && !r.eof)
		return bom + r.pos - 1;
	return bom + r.pos;
}

/* ======================================================================
 * Positions
 * ====================================================================== */

struct lines {
	VEC(size_t) start; /* offsets of line starts, start.v[0] == 0 */
};

static void lines_init(struct lines *l, const char *src, size_t n)
{
	size_t i;

	memset(l, 0, sizeof(*l));
	VEC_PUSH(&l->start, (size_t)0);
	/* like token.File.AddLine, a line starting at the end of the input does not count */
	for (i = 0; i + 1 < n; i++)
		if (src[i] == '\n')
			VEC_PUSH(&l->start, i + 1);
}

static void lines_pos(const struct lines *l, size_t off, int *line, int *col)
{
	size_t lo = 0, hi = l->start.n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->start.v[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = (int)lo + 1;
	*col = (int)(off - l->start.v[lo]) + 1;
}

/* ======================================================================
 * The tokenizer (mirrors go/scanner in ScanComments mode, go1.26)
 * ====================================================================== */

enum tk {
	TK_EOF, TK_ILLEGAL, TK_COMMENT,
	TK_IDENT, TK_INT, TK_FLOAT, TK_IMAG, TK_CHAR, TK_STRING, /* literals */
	TK_OP,      /* operator; text in name */
	TK_KEYWORD, /* keyword; text in name */
	TK_SEMI,    /* ';' or an automatic "\n" */
};

struct token {
	enum tk kind;
	size_t pos;        /* byte offset */
	struct str lit;    /* literal / comment text (CRs removed) / semicolon kind */
	struct str name;   /* operator or keyword text */
	char *owned;       /* heap copy when lit had CRs stripped */
};

struct serr {
	int line, col;
	char *msg;
};
struct serrs {
	struct serr *v;
	size_t n, cap;
};

struct scanner {
	const char *src;
	size_t n;
	size_t off;          /* offset of ch */
	size_t rd;           /* read offset */
	uint32_t ch;         /* current rune; EOF_CH at the end */
	size_t line_off;     /* offset of the current line start */
	bool insert_semi;
	bool have_nl;        /* a pending automatic ';' at nl_pos */
	size_t nl_pos;
	const struct lines *lines;
	struct serrs *errs;     /* NULL: errors are dropped */
};

#define EOF_CH 0xFFFFFFFFu
#define BOM_CH 0xFEFFu

static void add_err(struct serrs *errs, const struct lines *l, size_t off, char *msg)
{
	struct serr e;

	if (!errs) {
		free(msg);
		return;
	}
	lines_pos(l, off, &e.line, &e.col);
	e.msg = msg;
	VEC_PUSH(errs, e);
}

static void sc_error(struct scanner *s, size_t off, char *msg)
{
	add_err(s->errs, s->lines, off, msg);
}

/* fmt_rune_U formats r like Go's %#U verb: U+0041 'A'. */
static char *fmt_rune_U(uint32_t r)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "U+%04X", (unsigned)r);
	if (load_is_graphic(r) && r != LOAD_RUNE_ERROR && !(r >= 0x80 && r <= 0xA0) && r != 0xAD) {
		buf_adds(&b, " '");
		load_utf8_encode(&b, r);
		buf_addch(&b, '\'');
	}
	return buf_detach(&b);
}

static void sc_next(struct scanner *s)
{
	uint32_t r;
	size_t w = 1;

	if (s->rd < s->n) {
		s->off = s->rd;
		if (s->ch == '\n')
			s->line_off = s->off;
		r = (unsigned char)s->src[s->rd];
		if (r == 0) {
			sc_error(s, s->off, xstrdup("illegal character NUL"));
		} else if (r >= 0x80) {
			w = load_utf8_decode(s->src + s->rd, s->n - s->rd, &r);
			if (r == LOAD_RUNE_ERROR && w == 1) {
				const unsigned char *in = (const unsigned char *)s->src + s->rd;
				if (s->off == 0 && s->n - s->rd >= 2 &&
				    ((in[0] == 0xFF && in[1] == 0xFE) || (in[0] == 0xFE && in[1] == 0xFF))) {
					sc_error(s, s->off, xstrdup("illegal UTF-8 encoding (got UTF-16)"));
					w = s->n - s->rd;
				} else {
					sc_error(s, s->off, xstrdup("illegal UTF-8 encoding"));
				}
			} else if (r == BOM_CH && s->off > 0) {
				sc_error(s, s->off, xstrdup("illegal byte order mark"));
			}
		}
		s->rd += w;
		s->ch = r;
	} else {
		s->off = s->n;
		if (s->ch == '\n')
			s->line_off = s->off;
		s->ch = EOF_CH;
	}
}

static int sc_peek(const struct scanner *s)
{
	return s->rd < s->n ? (unsigned char)s->src[s->rd] : 0;
}

static void sc_init(struct scanner *s, const char *src, size_t n, const struct lines *l, struct serrs *errs)
{
	memset(s, 0, sizeof(*s));
	s->src = src;
	s->n = n;
	s->lines = l;
	s->errs = errs;
	s->ch = ' ';
	sc_next(s);
	if (s->ch == BOM_CH)
		sc_next(s);
}

static bool sc_is_letter(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (c >= 0x80 && c != EOF_CH && load_is_letter(c));
}

static bool sc_is_digit(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 0x80 && c != EOF_CH && load_is_digit(c));
}

static int digit_val(uint32_t c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (int)(c - 'A' + 10);
	return 16;
}

/* mirrors go/scanner scanEscape: false after reporting an error */
static bool sc_escape(struct scanner *s, uint32_t quote)
{
	size_t offs = s->off;
	int n;
	uint32_t base, max, x = 0, d;

	switch (s->ch) {
	case 'a': case 'b': case 'f': case 'n': case 'r': case 't': case 'v': case '\\':
		sc_next(s);
		return true;
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		n = 3; base = 8; max = 255;
		break;
	case 'x':
		sc_next(s);
		n = 2; base = 16; max = 255;
		break;
	case 'u':
		sc_next(s);
		n = 4; base = 16; max = 0x10FFFF;
		break;
	case 'U':
		sc_next(s);
		n = 8; base = 16; max = 0x10FFFF;
		break;
	default:
		if (s->ch == quote) {
			sc_next(s);
			return true;
		}
		sc_error(s, offs, xstrdup(s->ch == EOF_CH ? "escape sequence not terminated" : "unknown escape sequence"));
		return false;
	}
	for (; n > 0; n--) {
		d = s->ch == EOF_CH ? 16 : (uint32_t)digit_val(s->ch);
		if (d >= base) {
			if (s->ch == EOF_CH) {
				sc_error(s, s->off, xstrdup("escape sequence not terminated"));
			} else {
				char *u = fmt_rune_U(s->ch);
				sc_error(s, s->off, xasprintf("illegal character %s in escape sequence", u));
				free(u);
			}
			return false;
		}
		x = x * base + d;
		sc_next(s);
	}
	if (x > max || (x >= 0xD800 && x < 0xE000)) {
		sc_error(s, offs, xstrdup("escape sequence is invalid Unicode code point"));
		return false;
	}
	return true;
}

static bool has_cr(const char *p, size_t n)
{
	return memchr(p, '\r', n) != NULL;
}

/* strip_cr removes CRs as go/scanner stripCR does (heap copy). */
static char *strip_cr(const char *b, size_t n, bool comment, size_t *outn)
{
	char *c = xmalloc(n + 1);
	size_t i = 0, j;

	for (j = 0; j < n; j++) {
		if (b[j] != '\r' || (comment && i > 2 && c[i - 1] == '*' && j + 1 < n && b[j + 1] == '/'))
			c[i++] = b[j];
	}
	c[i] = '\0';
	*outn = i;
	return c;
}

static const char *const keywords[] = {
	"break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
	"for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range",
	"return", "select", "struct", "switch", "type", "var",
};

static void sc_number(struct scanner *s, struct token *t)
{
	/* A simplified number scan: the header parser only needs the extent
	 * and kind of a number, never its value. */
	bool is_float = false, hex = false;
	size_t start = s->off;

	if (s->ch == '0' && (sc_peek(s) == 'x' || sc_peek(s) == 'X'))
		hex = true;
	for (;;) {
		uint32_t c = s->ch;
		if (c == '.') {
			is_float = true;
		} else if ((c == 'e' || c == 'E') && !hex) {
			is_float = true;
			sc_next(s);
			if (s->ch == '+' || s->ch == '-')
				sc_next(s);
			continue;
		} else if ((c == 'p' || c == 'P') && hex) {
			is_float = true;
			sc_next(s);
			if (s->ch == '+' || s->ch == '-')
				sc_next(s);
			continue;
		} else if (c == 'i') {
			sc_next(s);
			t->kind = TK_IMAG;
			t->lit = (struct str){s->src + start, s->off - start};
			return;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')) {
			break;
		}
		sc_next(s);
	}
	t->kind = is_float ? TK_FLOAT : TK_INT;
	t->lit = (struct str){s->src + start, s->off - start};
}

static void op(struct token *t, const char *text)
{
	t->kind = TK_OP;
	t->name = str_c(text);
}

/* sc_scan returns the next token (mirrors go/scanner Scan, go1.26). */
static void sc_scan(struct scanner *s, struct token *t)
{
	uint32_t ch;
	bool insert = false;
	size_t offs, i;

	memset(t, 0, sizeof(*t));
	if (s->have_nl) {
		s->have_nl = false;
		t->kind = TK_SEMI;
		t->pos = s->nl_pos;
		t->lit = STR("\n");
		return;
	}
	while (s->ch == ' ' || s->ch == '\t' || (s->ch == '\n' && !s->insert_semi) || s->ch == '\r')
		sc_next(s);
	t->pos = s->off;
	ch = s->ch;
	if (sc_is_letter(ch)) {
		offs = s->off;
		while (sc_is_letter(s->ch) || sc_is_digit(s->ch))
			sc_next(s);
		t->lit = (struct str){s->src + offs, s->off - offs};
		t->kind = TK_IDENT;
		insert = true;
		if (t->lit.n > 1) {
			for (i = 0; i < countof(keywords); i++) {
				if (str_eqc(t->lit, keywords[i])) {
					t->kind = TK_KEYWORD;
					t->name = str_c(keywords[i]);
					insert = str_eqc(t->lit, "break") || str_eqc(t->lit, "continue") ||
					         str_eqc(t->lit, "fallthrough") || str_eqc(t->lit, "return");
					break;
				}
			}
		}
		goto out;
	}
	if ((ch >= '0' && ch <= '9') || (ch == '.' && sc_peek(s) >= '0' && sc_peek(s) <= '9')) {
		insert = true;
		sc_number(s, t);
		goto out;
	}
	offs = s->off;
	sc_next(s);
	switch (ch) {
	case EOF_CH:
		if (s->insert_semi) {
			s->insert_semi = false;
			t->kind = TK_SEMI;
			t->lit = STR("\n");
			return;
		}
		t->kind = TK_EOF;
		break;
	case '\n':
		s->insert_semi = false;
		t->kind = TK_SEMI;
		t->lit = STR("\n");
		return;
	case '"':
		insert = true;
		for (;;) {
			uint32_t c = s->ch;
			if (c == '\n' || c == EOF_CH) {
				sc_error(s, offs, xstrdup("string literal not terminated"));
				break;
			}
			sc_next(s);
			if (c == '"')
				break;
			if (c == '\\')
				sc_escape(s, '"');
		}
		t->kind = TK_STRING;
		t->lit = (struct str){s->src + offs, s->off - offs};
		break;
	case '\'': {
		bool valid = true;
		int n = 0;
		insert = true;
		for (;;) {
			uint32_t c = s->ch;
			if (c == '\n' || c == EOF_CH) {
				if (valid) {
					sc_error(s, offs, xstrdup("rune literal not terminated"));
					valid = false;
				}
				break;
			}
			sc_next(s);
			if (c == '\'')
				break;
			n++;
			if (c == '\\' && !sc_escape(s, '\''))
				valid = false;
		}
		if (valid && n != 1)
			sc_error(s, offs, xstrdup("illegal rune literal"));
		t->kind = TK_CHAR;
		t->lit = (struct str){s->src + offs, s->off - offs};
		break;
	}
	case '`':
		insert = true;
		for (;;) {
			uint32_t c = s->ch;
			if (c == EOF_CH) {
				sc_error(s, offs, xstrdup("raw string literal not terminated"));
				break;
			}
			sc_next(s);
			if (c == '`')
				break;
		}
		t->kind = TK_STRING;
		t->lit = (struct str){s->src + offs, s->off - offs};
		if (has_cr(t->lit.p, t->lit.n)) {
			size_t nn;
			t->owned = strip_cr(t->lit.p, t->lit.n, false, &nn);
			t->lit = (struct str){t->owned, nn};
		}
		break;
	case '/':
		if (s->ch == '/' || s->ch == '*') {
			size_t nl = 0;
			bool closed = false;
			if (s->ch == '/') {
				sc_next(s);
				while (s->ch != '\n' && s->ch != EOF_CH)
					sc_next(s);
				closed = true;
			} else {
				sc_next(s);
				while (s->ch != EOF_CH) {
					uint32_t c = s->ch;
					if (c == '\n' && nl == 0)
						nl = s->off;
					sc_next(s);
					if (c == '*' && s->ch == '/') {
						sc_next(s);
						closed = true;
						break;
					}
				}
				if (!closed)
					sc_error(s, offs, xstrdup("comment not terminated"));
			}
			t->lit = (struct str){s->src + offs, s->off - offs};
			/* a // comment's trailing CR is not part of its text */
			if (t->lit.p[1] == '/' && t->lit.n > 2 && t->lit.p[t->lit.n - 1] == '\r')
				t->lit.n--;
			if (has_cr(t->lit.p, t->lit.n)) {
				size_t nn;
				t->owned = strip_cr(t->lit.p, t->lit.n, t->lit.p[1] == '*', &nn);
				t->lit = (struct str){t->owned, nn};
			}
			if (s->insert_semi && nl != 0) {
				s->have_nl = true;
				s->nl_pos = nl;
				s->insert_semi = false;
			} else {
				insert = s->insert_semi;
			}
			t->kind = TK_COMMENT;
		} else if (s->ch == '=') {
			sc_next(s);
			op(t, "/=");
		} else {
			op(t, "/");
		}
		break;
	case ':': if (s->ch == '=') { sc_next(s); op(t, ":="); } else op(t, ":"); break;
	case '.':
		op(t, ".");
		if (s->ch == '.' && sc_peek(s) == '.') {
			sc_next(s);
			sc_next(s);
			op(t, "...");
		}
		break;
	case ',': op(t, ","); break;
	case ';':
		t->kind = TK_SEMI;
		t->lit = STR(";");
		break;
	case '(': op(t, "("); break;
	case ')': op(t, ")"); insert = true; break;
	case '[': op(t, "["); break;
	case ']': op(t, "]"); insert = true; break;
	case '{': op(t, "{"); break;
	case '}': op(t, "}"); insert = true; break;
	case '+':
		if (s->ch == '=') { sc_next(s); op(t, "+="); }
		else if (s->ch == '+') { sc_next(s); op(t, "++"); insert = true; }
		else op(t, "+");
		break;
	case '-':
		if (s->ch == '=') { sc_next(s); op(t, "-="); }
		else if (s->ch == '-') { sc_next(s); op(t, "--"); insert = true; }
		else op(t, "-");
		break;
	case '*': if (s->ch == '=') { sc_next(s); op(t, "*="); } else op(t, "*"); break;
	case '%': if (s->ch == '=') { sc_next(s); op(t, "%="); } else op(t, "%"); break;
	case '^': if (s->ch == '=') { sc_next(s); op(t, "^="); } else op(t, "^"); break;
	case '<':
		if (s->ch == '-') { sc_next(s); op(t, "<-"); }
		else if (s->ch == '=') { sc_next(s); op(t, "<="); }
		else if (s->ch == '<') {
			sc_next(s);
			if (s->ch == '=') { sc_next(s); op(t, "<<="); } else op(t, "<<");
		} else op(t, "<");
		break;
	case '>':
		if (s->ch == '=') { sc_next(s); op(t, ">="); }
		else if (s->ch == '>') {
			sc_next(s);
			if (s->ch == '=') { sc_next(s); op(t, ">>="); } else op(t, ">>");
		} else op(t, ">");
		break;
	case '=': if (s->ch == '=') { sc_next(s); op(t, "=="); } else op(t, "="); break;
	case '!': if (s->ch == '=') { sc_next(s); op(t, "!="); } else op(t, "!"); break;
	case '&':
		if (s->ch == '^') {
			sc_next(s);
			if (s->ch == '=') { sc_next(s); op(t, "&^="); } else op(t, "&^");
		} else if (s->ch == '=') { sc_next(s); op(t, "&="); }
		else if (s->ch == '&') { sc_next(s); op(t, "&&"); }
		else op(t, "&");
		break;
	case '|':
		if (s->ch == '=') { sc_next(s); op(t, "|="); }
		else if (s->ch == '|') { sc_next(s); op(t, "||"); }
		else op(t, "|");
		break;
	case '~': op(t, "~"); break;
	default:
		if (ch != BOM_CH) {
			if (ch == 0x201C || ch == 0x201D) {
				sc_error(s, offs, xstrdup(ch == 0x201C ? "curly quotation mark '“' (use neutral '\"')"
				                                       : "curly quotation mark '”' (use neutral '\"')"));
			} else {
				char *u = fmt_rune_U(ch);
				sc_error(s, offs, xasprintf("illegal character %s", u));
				free(u);
			}
		}
		insert = s->insert_semi;
		t->kind = TK_ILLEGAL;
		t->lit = (struct str){s->src + offs, s->off - offs};
		break;
	}
out:
	s->insert_semi = insert;
}

/* ======================================================================
 * strconv.Unquote for Go string literals
 * ====================================================================== */

/* unquote appends the value of the quoted literal q to b; false if invalid.
 * When prefix_len is non-NULL, q may continue after the literal and
 * *prefix_len receives the literal's length (strconv.QuotedPrefix). */
static bool unquote(struct str q, struct buf *b, size_t *prefix_len)
{
	size_t i;
	uint32_t r;

	if (q.n < 2)
		return false;
	if (q.p[0] == '`') {
		const char *end = memchr(q.p + 1, '`', q.n - 1);
		if (!end || (!prefix_len && (size_t)(end - q.p) != q.n - 1))
			return false;
		for (i = 1; q.p + i < end; i++)
			if (q.p[i] != '\r')
				buf_addch(b, (unsigned char)q.p[i]);
		if (prefix_len)
			*prefix_len = (size_t)(end - q.p) + 1;
		return true;
	}
	if (q.p[0] != '"')
		return false;
	for (i = 1; i < q.n;) {
		unsigned char c = (unsigned char)q.p[i];
		if (c == '"') {
			if (prefix_len)
				*prefix_len = i + 1;
			return prefix_len || i + 1 == q.n;
		}
		if (c == '\n')
			return false;
		if (c >= 0x80) {
			size_t w = load_utf8_decode(q.p + i, q.n - i, &r);
			if (r == LOAD_RUNE_ERROR && w == 1)
				return false;
			buf_add(b, q.p + i, w);
			i += w;
			continue;
		}
		if (c != '\\') {
			buf_addch(b, c);
			i++;
			continue;
		}
		if (++i >= q.n)
			return false;
		c = (unsigned char)q.p[i++];
		switch (c) {
		case 'a': buf_addch(b, '\a'); break;
		case 'b': buf_addch(b, '\b'); break;
		case 'f': buf_addch(b, '\f'); break;
		case 'n': buf_addch(b, '\n'); break;
		case 'r': buf_addch(b, '\r'); break;
		case 't': buf_addch(b, '\t'); break;
		case 'v': buf_addch(b, '\v'); break;
		case '\\': buf_addch(b, '\\'); break;
		case '"': buf_addch(b, '"'); break;
		case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
			uint32_t v = c - '0';
			int k;
			for (k = 0; k < 2; k++, i++) {
				if (i >= q.n || q.p[i] < '0' || q.p[i] > '7')
					return false;
				v = v * 8 + (uint32_t)(q.p[i] - '0');
			}
			if (v > 255)
				return false;
			buf_addch(b, (int)v);
			break;
		}
		case 'x': case 'u': case 'U': {
			int k, nd = c == 'x' ? 2 : c == 'u' ? 4 : 8;
			uint32_t v = 0;
			for (k = 0; k < nd; k++, i++) {
				if (i >= q.n || digit_val((unsigned char)q.p[i]) >= 16)
					return false;
				v = v * 16 + (uint32_t)digit_val((unsigned char)q.p[i]);
			}
			if (c == 'x') {
				buf_addch(b, (int)v);
			} else {
				if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000))
					return false;
				load_utf8_encode(b, v);
			}
			break;
		}
		default:
			return false;
		}
	}
	return false;
}

/* ======================================================================
 * go/ast CommentGroup.Text
 * ====================================================================== */

/* mirrors go/ast/ast.go isDirective (go1.26); c is the text after "//" */
static bool is_directive(struct str c)
{
	const char *colon;
	size_t k, i;

	if (str_has_prefix(c, "line ") || str_has_prefix(c, "extern ") || str_has_prefix(c, "export "))
		return true;
	colon = memchr(c.p, ':', c.n);
	if (!colon)
		return false;
	k = (size_t)(colon - c.p);
	if (k == 0 || k + 1 >= c.n)
		return false;
	for (i = 0; i <= k + 1; i++) {
		unsigned char b = (unsigned char)c.p[i];
		if (i == k)
			continue;
		if (!((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')))
			return false;
	}
	return true;
}

/* mirrors go/ast/ast.go CommentGroup.Text (go1.26) */
void load_comment_text(struct buf *b, const struct str *texts, size_t n)
{
	VEC(struct str) lines = {0};
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		struct str c = texts[i];
		const char *p, *nl;
		if (c.n >= 2 && c.p[1] == '/') {
			c = (struct str){c.p + 2, c.n - 2};
			if (c.n > 0 && c.p[0] == ' ')
				c = (struct str){c.p + 1, c.n - 1};
			else if (c.n > 0 && is_directive(c))
				continue;
		} else if (c.n >= 4) {
			c = (struct str){c.p + 2, c.n - 4};
		}
		for (p = c.p;;) {
			struct str l;
			nl = memchr(p, '\n', (size_t)(c.p + c.n - p));
			l = (struct str){p, nl ? (size_t)(nl - p) : (size_t)(c.p + c.n - p)};
			while (l.n > 0 && (l.p[l.n - 1] == ' ' || l.p[l.n - 1] == '\t' ||
			                   l.p[l.n - 1] == '\n' || l.p[l.n - 1] == '\r'))
				l.n--;
			VEC_PUSH(&lines, l);
			if (!nl)
				break;
			p = nl + 1;
		}
	}
	/* drop leading blank lines and collapse runs of blank lines */
	for (i = 0; i < lines.n; i++) {
		if (lines.v[i].n != 0 || (k > 0 && lines.v[k - 1].n != 0))
			lines.v[k++] = lines.v[i];
	}
	/* drop a trailing blank line; the result ends with exactly one '\n' */
	if (k > 0 && lines.v[k - 1].n == 0)
		k--;
	for (i = 0; i < k; i++) {
		buf_addstr(b, lines.v[i]);
		buf_addch(b, '\n');
	}
	VEC_FREE(&lines);
}

/* ======================================================================
 * The imports-only parser (mirrors go/parser parseFile, go1.26)
 * ====================================================================== */

struct comment {
	size_t pos;
	struct str text;
};
struct group {
	size_t first, n; /* range in parser.comments */
};

struct parser {
	struct scanner s;
	const struct lines *lines;
	struct token tok;
	VEC(struct comment) comments;
	VEC(struct group) groups;
	long lead, line_c;   /* group indexes or -1 */
	struct serrs errs;
	VEC(char *) owned;   /* CR-stripped texts to free */
	size_t sync_pos;
	int sync_cnt;
	bool bailout;
	bool started;        /* a token was read: before it, prev has no line (NoPos) */
};

static int line_of(const struct parser *p, size_t off)
{
	int line, col;
	lines_pos(p->lines, off, &line, &col);
	return line;
}

static void p_next0(struct parser *p)
{
	if (p->tok.owned)
		VEC_PUSH(&p->owned, p->tok.owned);
	sc_scan(&p->s, &p->tok);
}

static void p_consume_comment(struct parser *p, int *endline)
{
	struct comment c = {p->tok.pos, p->tok.lit};
	size_t i;

	*endline = line_of(p, p->tok.pos);
	if (c.text.n > 1 && c.text.p[1] == '*')
		for (i = 0; i < c.text.n; i++)
			if (c.text.p[i] == '\n')
				(*endline)++;
	VEC_PUSH(&p->comments, c);
	p_next0(p);
}

static long p_consume_group(struct parser *p, int n, int *endline)
{
	struct group g = {p->comments.n, 0};

	*endline = line_of(p, p->tok.pos);
	while (p->tok.kind == TK_COMMENT && line_of(p, p->tok.pos) <= *endline + n) {
		p_consume_comment(p, endline);
		g.n++;
	}
	VEC_PUSH(&p->groups, g);
	return (long)p->groups.n - 1;
}

static void p_next(struct parser *p)
{
	size_t prev = p->tok.pos;
	/* go/parser starts with p.pos == NoPos, whose line is 0: a comment
	 * opening the file is never a line comment of a previous token. */
	int prevline = p->started ? line_of(p, prev) : 0;
	long g = -1;
	int endline;

	p->started = true;
	p->lead = p->line_c = -1;
	p_next0(p);
	if (p->tok.kind != TK_COMMENT)
		return;
	if (line_of(p, p->tok.pos) == prevline) {
		g = p_consume_group(p, 0, &endline);
		if (line_of(p, p->tok.pos) != endline || p->tok.kind == TK_SEMI || p->tok.kind == TK_EOF)
			p->line_c = g;
	}
	endline = -1;
	while (p->tok.kind == TK_COMMENT)
		g = p_consume_group(p, 1, &endline);
	if (endline + 1 == line_of(p, p->tok.pos))
		p->lead = g;
}

static void p_error(struct parser *p, size_t pos, char *msg)
{
	int line, col;

	lines_pos(p->lines, pos, &line, &col);
	/* without AllErrors go/parser keeps one error per line and gives up after 10 */
	if (p->errs.n > 0 && p->errs.v[p->errs.n - 1].line == line) {
		free(msg);
		return;
	}
	if (p->errs.n > 10) {
		free(msg);
		p->bailout = true;
		return;
	}
	add_err(&p->errs, p->lines, pos, msg);
}

static bool tok_is(const struct token *t, const char *text)
{
	return (t->kind == TK_OP || t->kind == TK_KEYWORD) && str_eqc(t->name, text);
}

static bool tok_is_literal(const struct token *t)
{
	return t->kind >= TK_IDENT && t->kind <= TK_STRING;
}

static void p_error_expected(struct parser *p, size_t pos, const char *what)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "expected %s", what);
	if (pos == p->tok.pos) {
		if (p->tok.kind == TK_SEMI && str_eqc(p->tok.lit, "\n"))
			buf_adds(&b, ", found newline");
		else if (tok_is_literal(&p->tok))
			buf_printf(&b, ", found %.*s", (int)p->tok.lit.n, p->tok.lit.p);
		else if (p->tok.kind == TK_EOF)
			buf_adds(&b, ", found 'EOF'");
		else if (p->tok.kind == TK_ILLEGAL)
			buf_adds(&b, ", found 'ILLEGAL'");
		else if (p->tok.kind == TK_COMMENT)
			buf_adds(&b, ", found 'COMMENT'");
		else if (p->tok.kind == TK_SEMI)
			buf_adds(&b, ", found ';'");
		else
			buf_printf(&b, ", found '%.*s'", (int)p->tok.name.n, p->tok.name.p);
	}
	p_error(p, pos, buf_detach(&b));
}

static size_t p_expect_op(struct parser *p, const char *text, const char *quoted)
{
	size_t pos = p->tok.pos;

	if (!tok_is(&p->tok, text))
		p_error_expected(p, pos, quoted);
	p_next(p);
	return pos;
}

/* stmtStart / exprEnd sync sets of go/parser */
static bool in_stmt_start(const struct token *t)
{
	static const char *const kw[] = {"break", "const", "continue", "defer", "fallthrough", "for", "go",
	                                 "goto", "if", "return", "select", "switch", "type", "var"};
	size_t i;

	if (t->kind != TK_KEYWORD)
		return false;
	for (i = 0; i < countof(kw); i++)
		if (str_eqc(t->name, kw[i]))
			return true;
	return false;
}

static bool in_expr_end(const struct token *t)
{
	return t->kind == TK_SEMI || tok_is(t, ",") || tok_is(t, ":") || tok_is(t, ")") ||
	       tok_is(t, "]") || tok_is(t, "}");
}

/* mirrors go/parser advance: skip to a sync token, guarding against loops */
static void p_advance(struct parser *p, bool (*to)(const struct token *))
{
	for (; p->tok.kind != TK_EOF && !p->bailout; p_next(p)) {
		if (to(&p->tok)) {
			if (p->tok.pos == p->sync_pos && p->sync_cnt < 10) {
				p->sync_cnt++;
				return;
			}
			if (p->tok.pos > p->sync_pos) {
				p->sync_pos = p->tok.pos;
				p->sync_cnt = 0;
				return;
			}
		}
	}
}

static void p_expect_semi(struct parser *p)
{
	if (tok_is(&p->tok, ")") || tok_is(&p->tok, "}"))
		return;
	if (tok_is(&p->tok, ",")) {
		p_error_expected(p, p->tok.pos, "';'");
		p_next(p);
		return;
	}
	if (p->tok.kind == TK_SEMI) {
		p_next(p);
		return;
	}
	p_error_expected(p, p->tok.pos, "';'");
	p_advance(p, in_stmt_start);
}

struct pspec {
	size_t pos;            /* spec.Pos(): the name if any, else the path */
	size_t path_pos;
	struct str value;      /* the quoted path literal, empty if missing */
	long doc;              /* group index or -1 */
};

struct pfile {
	bool ok;               /* the package clause parsed (go's f != nil) */
	struct str name;
	size_t pkg_pos;
	long doc;
	VEC(struct pspec) specs;
};

static void p_import_spec(struct parser *p, long doc, struct pfile *f)
{
	struct pspec sp = {.doc = doc};
	bool named = false;

	sp.pos = p->tok.pos;
	if (p->tok.kind == TK_IDENT) {
		named = true;
		p_next(p);
	} else if (tok_is(&p->tok, ".")) {
		named = true;
		p_next(p);
	}
	sp.path_pos = p->tok.pos;
	if (!named)
		sp.pos = sp.path_pos;
	if (p->tok.kind == TK_STRING) {
		sp.value = p->tok.lit; /* a CR-stripped copy lives in p->owned */
		p_next(p);
	} else if (tok_is_literal(&p->tok)) {
		p_error(p, sp.path_pos, xstrdup("import path must be a string"));
		p_next(p);
	} else {
		p_error(p, sp.path_pos, xstrdup("missing import path"));
		p_advance(p, in_expr_end);
	}
	p_expect_semi(p);
	VEC_PUSH(&f->specs, sp);
}

/* p_gen_decl parses one import declaration; returns the number of specs. */
static size_t p_import_decl(struct parser *p, struct pfile *f, long *decl_doc)
{
	size_t before = f->specs.n;

	*decl_doc = p->lead;
	p_expect_op(p, "import", "'import'");
	if (tok_is(&p->tok, "(")) {
		p_next(p);
		while (!tok_is(&p->tok, ")") && p->tok.kind != TK_EOF && !p->bailout)
			p_import_spec(p, p->lead, f);
		p_expect_op(p, ")", "')'");
		p_expect_semi(p);
	} else {
		p_import_spec(p, -1, f);
	}
	return f->specs.n - before;
}

/* ======================================================================
 * //go:embed directive arguments (go/build parseGoEmbed, ast.ParseDirective)
 * ====================================================================== */

static bool dir_alnum(unsigned char b)
{
	return (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9');
}

static size_t skip_uspace(struct str s, size_t i)
{
	uint32_t r;
	size_t w;

	while (i < s.n) {
		w = load_utf8_decode(s.p + i, s.n - i, &r);
		if (!load_is_space(r))
			break;
		i += w;
	}
	return i;
}

static size_t take_non_space(struct str s, size_t i)
{
	uint32_t r;
	size_t w;

	while (i < s.n) {
		w = load_utf8_decode(s.p + i, s.n - i, &r);
		if (load_is_space(r))
			break;
		i += w;
	}
	return i;
}

/* parse_go_embed appends the patterns of one //go:embed comment at pos;
 * a malformed line contributes nothing (go list ignores it). */
static void parse_go_embed(struct arena *a, const struct lines *l, size_t pos, struct str c,
                           struct load_gofile *out)
{
	VEC(struct load_embed_spec) tmp = {0};
	struct str s, args;
	const char *colon;
	size_t k, i, j, name_end, args_off;

	if (!(c.n >= 3 && c.p[0] == '/' && c.p[1] == '/' && dir_alnum((unsigned char)c.p[2])))
		return;
	s = (struct str){c.p + 2, c.n - 2};
	colon = memchr(s.p, ':', s.n);
	if (!colon)
		return;
	k = (size_t)(colon - s.p);
	if (k == 0 || k + 1 >= s.n)
		return;
	for (i = 0; i <= k + 1; i++)
		if (i != k && !dir_alnum((unsigned char)s.p[i]))
			return;
	if (k != 2 || memcmp(s.p, "go", 2) != 0)
		return;
	name_end = take_non_space(s, k + 1);
	if (name_end - (k + 1) != 5 || memcmp(s.p + k + 1, "embed", 5) != 0)
		return;
	args_off = skip_uspace(s, name_end);
	args = (struct str){s.p + args_off, s.n - args_off};
	/* TrimRightFunc(unicode.IsSpace) */
	while (args.n > 0) {
		uint32_t r;
		size_t w = load_utf8_decode_last(args.p, args.n, &r);
		if (!load_is_space(r))
			break;
		args.n -= w;
	}
	for (i = skip_uspace(args, 0); i < args.n; i = skip_uspace(args, i)) {
		struct load_embed_spec e;
		struct buf b = BUF_INIT;
		size_t off = pos + 2 + args_off + i;

		if (args.p[i] == '`' || args.p[i] == '"') {
			size_t plen = 0;
			if (!unquote((struct str){args.p + i, args.n - i}, &b, &plen)) {
				buf_release(&b);
				goto bad;
			}
			j = i + plen;
			if (j < args.n) {
				uint32_t r;
				load_utf8_decode(args.p + j, args.n - j, &r);
				if (!load_is_space(r)) {
					buf_release(&b);
					goto bad;
				}
			}
		} else {
			j = take_non_space(args, i);
			buf_add(&b, args.p + i, j - i);
		}
		e.pattern = arena_strdup(a, buf_cstr(&b));
		buf_release(&b);
		lines_pos(l, off, &e.line, &e.col);
		VEC_PUSH(&tmp, e);
		i = j;
	}
	for (i = 0; i < tmp.n; i++)
		VEC_PUSH(&out->embeds, tmp.v[i]);
bad:
	VEC_FREE(&tmp);
}

static void scan_embeds(struct arena *a, const char *src, size_t n, struct load_gofile *out)
{
	struct lines l;
	struct scanner s;
	struct token t;

	lines_init(&l, src, n);
	sc_init(&s, src, n, &l, NULL);
	for (;;) {
		sc_scan(&s, &t);
		if (t.kind == TK_EOF) {
			free(t.owned);
			break;
		}
		if (t.kind == TK_COMMENT && str_has_prefix(t.lit, "//go:embed"))
			parse_go_embed(a, &l, t.pos, t.lit, out);
		free(t.owned);
	}
	VEC_FREE(&l.start);
}

/* ======================================================================
 * readGoInfo
 * ====================================================================== */

/* mirrors go/build/read.go isValidImport (go1.26) */
/* is_valid_import takes the length: an escaped NUL ("fmt\x00") is part of
 * the path and makes it invalid, as in go/build. */
static bool is_valid_import(const char *s, size_t n)
{
	size_t i, w;
	uint32_t r;

	if (n == 0)
		return false;
	for (i = 0; i < n; i += w) {
		w = load_utf8_decode(s + i, n - i, &r);
		if (!load_is_graphic(r) || load_is_space(r) || r == LOAD_RUNE_ERROR ||
		    (r < 0x80 && strchr("!\"#$%&'()*,:;<=>?[\\]^{|}`", (int)r)))
			return false;
	}
	return true;
}

static int cmp_serr(const void *x, const void *y)
{
	const struct serr *a = x, *b = y;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return strcmp(a->msg, b->msg);
}

static const char *group_text(struct arena *a, const struct parser *p, long g)
{
	struct buf b = BUF_INIT;
	struct str *texts;
	const struct group *gr;
	const char *res;
	size_t i;

	if (g < 0)
		return NULL;
	gr = &p->groups.v[g];
	texts = xcalloc(gr->n ? gr->n : 1, sizeof(*texts));
	for (i = 0; i < gr->n; i++)
		texts[i] = p->comments.v[gr->first + i].text;
	load_comment_text(&b, texts, gr->n);
	res = arena_strdup(a, buf_cstr(&b));
	buf_release(&b);
	free(texts);
	return res;
}

/* mirrors go/build/read.go readGoInfo + parser.ParseFile(ImportsOnly|ParseComments) (go1.26) */
int load_read_gofile(struct arena *a, const char *filename, const char *data, size_t n,
                     struct load_gofile *out)
{
	size_t bom = skip_bom(data, n), hlen, i;
	const char *src = data + bom;
	struct reader r = {.data = src, .n = n - bom, .peek = -1};
	struct lines l;
	struct parser p;
	struct pfile f;
	bool has_embed = false;

	memset(out, 0, sizeof(*out));
	memset(&f, 0, sizeof(f));
	rd_keyword(&r, "package");
	rd_ident(&r);
	while (rd_peek(&r, true) == 'i') {
		rd_keyword(&r, "import");
		if (rd_peek(&r, true) == '(') {
			rd_next(&r, false);
			while (rd_peek(&r, true) != ')' && r.err == RD_OK)
				rd_import(&r);
			rd_next(&r, false);
		} else {
			rd_import(&r);
		}
	}
	hlen = r.pos;
	if (r.err == RD_OK && !r.eof)
		hlen = r.pos - 1;
	/* on a syntax error the parser gets the whole file, so its errors are go's */
	if (r.err == RD_SYNTAX) {
		r.err = RD_OK;
		hlen = r.n;
	}
	if (r.err == RD_NUL) {
		out->read_error = arena_printf(a, "read %s: unexpected NUL in input", filename);
		return 0;
	}
	out->header = src;
	out->header_len = hlen;

	/* parse the header */
	lines_init(&l, src, hlen);
	memset(&p, 0, sizeof(p));
	p.lines = &l;
	p.lead = p.line_c = -1;
	sc_init(&p.s, src, hlen, &l, &p.errs);
	p_next(&p);
	if (p.errs.n == 0) {
		f.doc = p.lead;
		f.pkg_pos = p_expect_op(&p, "package", "'package'");
		if (p.tok.kind == TK_IDENT) {
			f.name = p.tok.lit;
			p_next(&p);
		} else {
			f.name = STR("_");
			p_expect_op(&p, "\x01", "'IDENT'"); /* never matches: reports like expect(IDENT) */
		}
		p_expect_semi(&p);
		if (p.errs.n == 0) {
			f.ok = true;
			while (tok_is(&p.tok, "import") && !p.bailout) {
				long decl_doc;
				size_t first = f.specs.n;
				size_t k = p_import_decl(&p, &f, &decl_doc);
				/* a lone spec without its own doc takes the declaration's */
				if (k == 1 && f.specs.v[first].doc < 0)
					f.specs.v[first].doc = decl_doc;
			}
		}
	}

	if (f.ok) {
		out->pkg_name = arena_strndup(a, f.name.p, f.name.n);
		lines_pos(&l, f.pkg_pos, &out->pkg_line, &out->pkg_col);
		out->doc = group_text(a, &p, f.doc);
	}
	if (p.errs.n > 0) {
		struct serr *first;
		VEC_SORT(&p.errs, cmp_serr);
		first = &p.errs.v[0];
		out->parse_error = arena_printf(a, "%s:%d:%d: %s", filename, first->line, first->col, first->msg);
		out->parse_error_line = first->line;
		out->parse_error_col = first->col;
		out->parse_error_msg = arena_strdup(a, first->msg);
		goto done;
	}

	for (i = 0; i < f.specs.n; i++) {
		struct load_import_spec is;
		struct buf b = BUF_INIT;
		if (!unquote(f.specs.v[i].value, &b, NULL)) {
			out->parse_error = arena_printf(a, "parser returned invalid quoted string: <%.*s>",
			                                (int)f.specs.v[i].value.n, f.specs.v[i].value.p);
			buf_release(&b);
			out->imports.n = 0;
			goto done;
		}
		if (!is_valid_import(buf_cstr(&b), b.len)) {
			int line, col;
			lines_pos(&l, f.specs.v[i].pos, &line, &col);
			out->parse_error = arena_printf(a, "%s:%d:%d: invalid import path: %s", filename, line, col,
			                                buf_cstr(&b));
			out->parse_error_plain = true;
			buf_release(&b);
			VEC_FREE(&out->imports);
			goto done;
		}
		is.path = arena_strdup(a, buf_cstr(&b));
		buf_release(&b);
		if (strcmp(is.path, "embed") == 0)
			has_embed = true;
		lines_pos(&l, f.specs.v[i].pos, &is.line, &is.col);
		is.doc = group_text(a, &p, f.specs.v[i].doc);
		VEC_PUSH(&out->imports, is);
	}

	/* //go: directives in comment groups before the package clause */
	for (i = 0; i < p.groups.n; i++) {
		const struct group *g = &p.groups.v[i];
		size_t j;
		if (p.comments.v[g->first].pos >= f.pkg_pos)
			break;
		for (j = 0; j < g->n; j++) {
			const struct comment *c = &p.comments.v[g->first + j];
			struct load_directive d;
			if (!str_has_prefix(c->text, "//go:"))
				continue;
			d.text = arena_strndup(a, c->text.p, c->text.n);
			lines_pos(&l, c->pos, &d.line, &d.col);
			VEC_PUSH(&out->directives, d);
		}
	}

	if (has_embed)
		scan_embeds(a, src, n - bom, out);

done:
	for (i = 0; i < p.errs.n; i++)
		free(p.errs.v[i].msg);
	VEC_FREE(&p.errs);
	for (i = 0; i < p.owned.n; i++)
		free(p.owned.v[i]);
	VEC_FREE(&p.owned);
	free(p.tok.owned);
	VEC_FREE(&p.comments);
	VEC_FREE(&p.groups);
	VEC_FREE(&f.specs);
	VEC_FREE(&l.start);
	return 0;
}

void load_gofile_release(struct load_gofile *f)
{
	VEC_FREE(&f->imports);
	VEC_FREE(&f->embeds);
	VEC_FREE(&f->directives);
}

bool load_package_clause(struct arena *a, const char *data, size_t n, const char **name)
{
	size_t bom = skip_bom(data, n), i;
	const char *src = data + bom;
	struct lines l;
	struct parser p;
	bool ok = false;

	*name = NULL;
	lines_init(&l, src, n - bom);
	memset(&p, 0, sizeof(p));
	p.lines = &l;
	p.lead = p.line_c = -1;
	sc_init(&p.s, src, n - bom, &l, &p.errs);
	/* mirrors go/parser parseFile up to the PackageClauseOnly stop: an
	 * error scanning the first token, then package, IDENT and the ';'
	 * (whose p.next() scans the token after it, comments included) */
	p_next(&p);
	if (p.errs.n == 0) {
		struct str id = STR("_");
		p_expect_op(&p, "package", "'package'");
		if (p.tok.kind == TK_IDENT) {
			id = p.tok.lit;
			p_next(&p);
		} else {
			p_expect_op(&p, "\x01", "'IDENT'");
		}
		p_expect_semi(&p);
		if (p.errs.n == 0) {
			*name = arena_strndup(a, id.p, id.n);
			ok = true;
		}
	}
	for (i = 0; i < p.errs.n; i++)
		free(p.errs.v[i].msg);
	VEC_FREE(&p.errs);
	for (i = 0; i < p.owned.n; i++)
		free(p.owned.v[i]);
	VEC_FREE(&p.owned);
	free(p.tok.owned);
	VEC_FREE(&p.comments);
	VEC_FREE(&p.groups);
	VEC_FREE(&l.start);
	return ok;
}
