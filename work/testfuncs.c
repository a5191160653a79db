/*
 * The test functions of a package, found by parsing its _test.go files:
 * what `go test` and `go list -test` put into the generated _testmain.go.
 *
 * mirrors cmd/go/internal/load/test.go: loadTestFuncs, (*testFuncs).load,
 * isTestFunc, isTest, checkTestFunc (go1.26), and go/doc/example.go:
 * Examples, exampleOutput, lastComment (go1.26).
 *
 * go parses each file with go/parser (ParseComments).  This file has a Go
 * scanner that follows go/scanner token for token (semicolon insertion,
 * comments, literal errors) and a parser for what test loading needs: the
 * package clause, imports, top-level declarations, function signatures
 * (receiver, type parameters, parameter groups, results) and the extent
 * of function bodies, whose contents are only bracket-matched.  Comment
 * groups are formed exactly as go/parser forms them, because an example's
 * expected output is the text of the last group inside its body.
 */
#include <stdlib.h>
#include <string.h>

#include "work/work_internal.h"

/* ---- tokens --------------------------------------------------------------- */

enum tf_tok {
	TK_EOF,
	TK_ILLEGAL,
	TK_COMMENT,
	TK_IDENT,
	TK_INT,
	TK_FLOAT,
	TK_IMAG,
	TK_CHAR,
	TK_STRING,
	TK_SEMI,     /* lit ";" or "\n" (inserted) */
	TK_LPAREN,
	TK_RPAREN,
	TK_LBRACK,
	TK_RBRACK,
	TK_LBRACE,
	TK_RBRACE,
	TK_COMMA,
	TK_PERIOD,
	TK_ELLIPSIS,
	TK_MUL,
	TK_ARROW,
	TK_OP,       /* any other operator; lit is its text */
	TK_KEYWORD,  /* lit is the keyword */
};

/* A syntax error at a byte offset, as go/scanner.Error before positions. */
struct tf_synerr {
	size_t off;
	char *msg; /* heap */
};

struct tf_group {
	size_t pos, end; /* offset of the first comment, offset after the last */
	size_t first, n; /* range in the parser's comment list */
};

struct tf_comment {
	size_t off;
	char *text; /* heap, CRs stripped as go/scanner does */
	size_t len;
};

struct tf_func {
	const char *name; /* arena */
	size_t pos;       /* offset of "func" */
	bool recv;
	bool tparams;     /* a non-empty type parameter list */
	size_t nparams;   /* entries in the parameter list */
	size_t nfields;   /* ast.Field count of the parameter list */
	size_t names0;    /* names in the first field */
	bool star_arg;    /* the only field's type is *X or *p.X */
	char arg[16];     /* ... and X (truncated: only B, F, M, T matter) */
	bool results;     /* a non-empty result list */
	bool body;
	size_t lbrace, rbrace;
};

struct tf_parser {
	const char *src;
	size_t n;
	struct arena *a;
	/* scanner state (go/scanner.Scanner) */
	size_t off, roff;
	int32_t ch;
	bool insert_semi;
	bool have_nlpos;
	size_t nlpos;
	/* line table: offsets where lines start (token.File.AddLine rules) */
	VEC(size_t) lines;
	/* current token */
	enum tf_tok tok;
	const char *lit;
	size_t litn;
	size_t pos;
	size_t prevpos;
	bool have_prev;
	/* comments */
	VEC(struct tf_comment) comments;
	VEC(struct tf_group) groups;
	/* results */
	VEC(struct tf_synerr) errs;
	bool stop;        /* a parse error was reported: no recovery here */
	bool prev_decl_kw; /* skip_balanced starts a declaration group */
	VEC(struct tf_func) funcs;
};

/* ---- errors and positions -------------------------------------------------- */

/* line_of returns the 1-based line of off using the line table. */
static size_t line_of(const struct tf_parser *p, size_t off)
{
	size_t lo = 0, hi = p->lines.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->lines.v[mid] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo; /* lines.v[0] == 0, so lo >= 1 */
}

static size_t col_of(const struct tf_parser *p, size_t off)
{
	size_t l = line_of(p, off);
	return off - p->lines.v[l - 1] + 1;
}

/* scan_error records a scanner error (go/scanner adds every one). */
static void scan_error(struct tf_parser *p, size_t off, const char *msg)
{
	struct tf_synerr se = {off, xstrdup(msg)};
	VEC_PUSH(&p->errs, se);
}

/*
 * parse_error records a parser error unless one was recorded on the same
 * line (go/parser's rule without AllErrors), then stops parsing: this
 * parser does not resynchronise, so only the first error is trustworthy.
 */
static void parse_error(struct tf_parser *p, size_t off, const char *msg)
{
	if (p->stop)
		return;
	p->stop = true;
	if (p->errs.n > 0 && line_of(p, p->errs.v[p->errs.n - 1].off) == line_of(p, off))
		return;
	struct tf_synerr se = {off, xstrdup(msg)};
	VEC_PUSH(&p->errs, se);
}

/* ---- scanner (go/scanner/scanner.go, go1.26) ----------------------------------- */

#define TF_BOM 0xFEFF

static void sc_next(struct tf_parser *p)
{
	if (p->roff < p->n) {
		p->off = p->roff;
		unsigned char c = (unsigned char)p->src[p->roff];
		int32_t r = c;
		size_t w = 1;
		if (c == 0) {
			scan_error(p, p->off, "illegal character NUL");
		} else if (c >= 0x80) {
			w = utf8_rune_decode(p->src + p->roff, p->n - p->roff, &r);
			if (r == 0xFFFD && w == 1) {
				const unsigned char *in = (const unsigned char *)p->src + p->roff;
				if (p->off == 0 && p->n - p->roff >= 2 &&
				    ((in[0] == 0xFF && in[1] == 0xFE) || (in[0] == 0xFE && in[1] == 0xFF))) {
					scan_error(p, p->off, "illegal UTF-8 encoding (got UTF-16)");
					w = p->n - p->roff;
				} else {
					scan_error(p, p->off, "illegal UTF-8 encoding");
				}
			} else if (r == TF_BOM && p->off > 0) {
				scan_error(p, p->off, "illegal byte order mark");
			}
		}
		p->roff += w;
		p->ch = r;
	} else {
		p->off = p->n;
		p->ch = -1;
	}
}

static int32_t sc_peek(const struct tf_parser *p)
{
	return p->roff < p->n ? (unsigned char)p->src[p->roff] : -1;
}

static bool is_letter(int32_t ch)
{
	/* non-ASCII letters are approximated: any decoded rune >= 0x80 that is
	 * not the replacement character counts (unicode.IsLetter upstream) */
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
	       (ch >= 0x80 && ch != 0xFFFD && ch != TF_BOM);
}

static bool is_digit(int32_t ch)
{
	return ch >= '0' && ch <= '9' ;
}

static int digit_val(int32_t ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return 16;
}

/* sc_escape mirrors scanner.scanEscape; the backslash is consumed. */
static bool sc_escape(struct tf_parser *p, int32_t quote)
{
	size_t offs = p->off;
	int n;
	uint32_t base, max;

	switch (p->ch) {
	case 'a': case 'b': case 'f': case 'n': case 'r': case 't': case 'v': case '\\':
		sc_next(p);
		return true;
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		n = 3, base = 8, max = 255;
		break;
	case 'x':
		sc_next(p);
		n = 2, base = 16, max = 255;
		break;
	case 'u':
		sc_next(p);
		n = 4, base = 16, max = 0x10FFFF;
		break;
	case 'U':
		sc_next(p);
		n = 8, base = 16, max = 0x10FFFF;
		break;
	default:
		if (p->ch == quote) {
			sc_next(p);
			return true;
		}
		scan_error(p, offs, p->ch < 0 ? "escape sequence not terminated" : "unknown escape sequence");
		return false;
	}
	uint32_t x = 0;
	for (; n > 0; n--) {
		uint32_t d = (uint32_t)digit_val(p->ch);
		if (p->ch < 0 || d >= base) {
			if (p->ch < 0) {
				scan_error(p, p->off, "escape sequence not terminated");
			} else {
				/* %#U: U+0041 'A' (the quoted form only for printable runes) */
				char *m = xasprintf("illegal character U+%04X '%.*s' in escape sequence",
				                    (unsigned)p->ch, (int)(p->roff - p->off), p->src + p->off);
				scan_error(p, p->off, m);
				free(m);
			}
			return false;
		}
		x = x * base + d;
		sc_next(p);
	}
	if (x > max || (x >= 0xD800 && x < 0xE000)) {
		scan_error(p, offs, "escape sequence is invalid Unicode code point");
		return false;
	}
	return true;
}

/* sc_comment mirrors scanner.scanComment; the first '/' is consumed.
 * Returns the offset of the first newline of a block comment, or 0. */
static size_t sc_comment(struct tf_parser *p, size_t *start, char **text, size_t *len)
{
	size_t offs = p->off - 1;
	size_t nl = 0;
	size_t ncr = 0;

	if (p->ch == '/') {
		sc_next(p);
		while (p->ch != '\n' && p->ch >= 0) {
			if (p->ch == '\r')
				ncr++;
			sc_next(p);
		}
	} else {
		bool closed = false;
		sc_next(p);
		while (p->ch >= 0) {
			int32_t ch = p->ch;
			if (ch == '\r')
				ncr++;
			else if (ch == '\n' && nl == 0)
				nl = p->off;
			sc_next(p);
			if (ch == '*' && p->ch == '/') {
				sc_next(p);
				closed = true;
				break;
			}
		}
		if (!closed)
			scan_error(p, offs, "comment not terminated");
	}
	size_t end = p->off;
	const char *lit = p->src + offs;
	size_t n = end - offs;
	bool line_comment = n >= 2 && lit[1] == '/';
	if (ncr > 0 && line_comment && lit[n - 1] == '\r') {
		n--;
		ncr--;
	}
	char *t = xmalloc(n + 1);
	size_t k = 0;
	for (size_t j = 0; j < n; j++) {
		char c = lit[j];
		/* scanner.stripCR: keep a \r of "*\r/" inside block comments */
		if (ncr > 0 && c == '\r' &&
		    !(!line_comment && k > 2 && t[k - 1] == '*' && j + 1 < n && lit[j + 1] == '/'))
			continue;
		t[k++] = c;
	}
	t[k] = 0;
	*start = offs;
	*text = t;
	*len = k;
	return nl;
}

/* sc_number consumes a number literal.  go/scanner's detailed literal
 * errors (bad digits, missing exponent digits) are not reproduced. */
static enum tf_tok sc_number(struct tf_parser *p)
{
	enum tf_tok tok = TK_INT;
	bool hex = false, seen_dot = false, seen_exp = false;

	if (p->ch == '0') {
		int32_t pk = sc_peek(p);
		if (pk == 'x' || pk == 'X')
			hex = true;
	}
	for (;;) {
		int32_t ch = p->ch;
		if (ch == '.' && !seen_dot && !seen_exp) {
			seen_dot = true;
			tok = TK_FLOAT;
			sc_next(p);
		} else if ((!hex && (ch == 'e' || ch == 'E')) || (ch == 'p' || ch == 'P')) {
			seen_exp = true;
			tok = TK_FLOAT;
			sc_next(p);
			if (p->ch == '+' || p->ch == '-')
				sc_next(p);
		} else if (ch == 'i') {
			tok = TK_IMAG;
			sc_next(p);
			break;
		} else if (is_digit(ch) || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_') {
			sc_next(p);
		} else {
			break;
		}
	}
	return tok;
}

static bool is_keyword(const char *s, size_t n)
{
	static const char *const kw[] = {
		"break", "case", "chan", "const", "continue", "default", "defer", "else",
		"fallthrough", "for", "func", "go", "goto", "if", "import", "interface",
		"map", "package", "range", "return", "select", "struct", "switch", "type", "var",
	};
	for (size_t i = 0; i < countof(kw); i++)
		if (strlen(kw[i]) == n && memcmp(kw[i], s, n) == 0)
			return true;
	return false;
}

static bool lit_is(const struct tf_parser *p, const char *s)
{
	return p->litn == strlen(s) && memcmp(p->lit, s, p->litn) == 0;
}

/* sc_scan is scanner.Scan: one token into p->tok/lit/pos.  Comments are
 * returned as TK_COMMENT (ScanComments mode) and recorded. */
static void sc_scan(struct tf_parser *p)
{
	bool insert = false;
	size_t start;

	if (p->have_nlpos) {
		p->have_nlpos = false;
		p->tok = TK_SEMI, p->lit = "\n", p->litn = 1, p->pos = p->nlpos;
		return;
	}
	while (p->ch == ' ' || p->ch == '\t' || (p->ch == '\n' && !p->insert_semi) || p->ch == '\r')
		sc_next(p);
	start = p->off;
	p->pos = start;
	p->lit = p->src + start;
	p->litn = 0;

	int32_t ch = p->ch;
	if (is_letter(ch)) {
		while (is_letter(p->ch) || is_digit(p->ch))
			sc_next(p);
		p->litn = p->off - start;
		if (p->litn > 1 && is_keyword(p->lit, p->litn)) {
			p->tok = TK_KEYWORD;
			insert = lit_is(p, "break") || lit_is(p, "continue") || lit_is(p, "fallthrough") ||
			         lit_is(p, "return");
		} else {
			p->tok = TK_IDENT;
			insert = true;
		}
		p->insert_semi = insert;
		return;
	}
	if (is_digit(ch) || (ch == '.' && is_digit(sc_peek(p)))) {
		p->tok = sc_number(p);
		p->litn = p->off - start;
		p->insert_semi = true;
		return;
	}
	sc_next(p);
	switch (ch) {
	case -1:
		if (p->insert_semi) {
			p->insert_semi = false;
			p->tok = TK_SEMI, p->lit = "\n", p->litn = 1;
			return;
		}
		p->tok = TK_EOF;
		break;
	case '\n':
		p->insert_semi = false;
		p->tok = TK_SEMI, p->lit = "\n", p->litn = 1;
		return;
	case '"':
		insert = true;
		p->tok = TK_STRING;
		for (;;) {
			int32_t c = p->ch;
			if (c == '\n' || c < 0) {
				scan_error(p, start, "string literal not terminated");
				break;
			}
			sc_next(p);
			if (c == '"')
				break;
			if (c == '\\')
				sc_escape(p, '"');
		}
		break;
	case '\'': {
		bool valid = true;
		size_t nr = 0;
		insert = true;
		p->tok = TK_CHAR;
		for (;;) {
			int32_t c = p->ch;
			if (c == '\n' || c < 0) {
				if (valid) {
					scan_error(p, start, "rune literal not terminated");
					valid = false;
				}
				break;
			}
			sc_next(p);
			if (c == '\'')
				break;
			nr++;
			if (c == '\\' && !sc_escape(p, '\''))
				valid = false;
		}
		if (valid && nr != 1)
			scan_error(p, start, "illegal rune literal");
		break;
	}
	case '`':
		insert = true;
		p->tok = TK_STRING;
		for (;;) {
			int32_t c = p->ch;
			if (c < 0) {
				scan_error(p, start, "raw string literal not terminated");
				break;
			}
			sc_next(p);
			if (c == '`')
				break;
		}
		break;
	case ':':
		p->tok = TK_OP;
		if (p->ch == '=')
			sc_next(p);
		break;
	case '.':
		p->tok = TK_PERIOD;
		if (p->ch == '.' && sc_peek(p) == '.') {
			sc_next(p);
			sc_next(p);
			p->tok = TK_ELLIPSIS;
		}
		break;
	case ',': p->tok = TK_COMMA; break;
	case ';': p->tok = TK_SEMI; break;
	case '(': p->tok = TK_LPAREN; break;
	case ')': p->tok = TK_RPAREN; insert = true; break;
	case '[': p->tok = TK_LBRACK; break;
	case ']': p->tok = TK_RBRACK; insert = true; break;
	case '{': p->tok = TK_LBRACE; break;
	case '}': p->tok = TK_RBRACE; insert = true; break;
	case '+': case '-':
		p->tok = TK_OP;
		if (p->ch == '=') {
			sc_next(p);
		} else if (p->ch == ch) {
			sc_next(p);
			insert = true; /* ++ and -- */
		}
		break;
	case '*':
		p->tok = TK_MUL;
		if (p->ch == '=') {
			sc_next(p);
			p->tok = TK_OP;
		}
		break;
	case '/':
		if (p->ch == '/' || p->ch == '*') {
			struct tf_comment c;
			size_t nl = sc_comment(p, &c.off, &c.text, &c.len);
			if (p->insert_semi && nl != 0) {
				p->have_nlpos = true;
				p->nlpos = nl;
				p->insert_semi = false;
			} else {
				insert = p->insert_semi;
			}
			VEC_PUSH(&p->comments, c);
			p->tok = TK_COMMENT;
			p->lit = c.text;
			p->litn = c.len;
			p->insert_semi = insert;
			return;
		}
		p->tok = TK_OP;
		if (p->ch == '=')
			sc_next(p);
		break;
	case '%': case '^': case '=': case '!':
		p->tok = TK_OP;
		if (p->ch == '=')
			sc_next(p);
		break;
	case '<':
		p->tok = TK_OP;
		if (p->ch == '-') {
			sc_next(p);
			p->tok = TK_ARROW;
		} else if (p->ch == '=') {
			sc_next(p);
		} else if (p->ch == '<') {
			sc_next(p);
			if (p->ch == '=')
				sc_next(p);
		}
		break;
	case '>':
		p->tok = TK_OP;
		if (p->ch == '=') {
			sc_next(p);
		} else if (p->ch == '>') {
			sc_next(p);
			if (p->ch == '=')
				sc_next(p);
		}
		break;
	case '&':
		p->tok = TK_OP;
		if (p->ch == '^') {
			sc_next(p);
			if (p->ch == '=')
				sc_next(p);
		} else if (p->ch == '=' || p->ch == '&') {
			sc_next(p);
		}
		break;
	case '|':
		p->tok = TK_OP;
		if (p->ch == '=' || p->ch == '|')
			sc_next(p);
		break;
	case '~':
		p->tok = TK_OP;
		break;
	default:
		if (ch != TF_BOM) {
			char *m;
			if (ch == 0x201C || ch == 0x201D)
				m = xasprintf("curly quotation mark '%.*s' (use neutral '\"')",
				              (int)(p->off - start), p->src + start);
			else if (ch == 0xFFFD || ch < 0x20 || ch == 0x7F)
				m = xasprintf("illegal character U+%04X", (unsigned)ch);
			else
				m = xasprintf("illegal character U+%04X '%.*s'", (unsigned)ch,
				              (int)(p->off - start), p->src + start);
			scan_error(p, start, m);
			free(m);
		}
		insert = p->insert_semi;
		p->tok = TK_ILLEGAL;
		break;
	}
	p->litn = p->off - start;
	if (p->tok == TK_SEMI)
		p->lit = ";", p->litn = 1;
	p->insert_semi = insert;
}

/* ---- parser: token stream with comment groups (go/parser.next) --------------- */

/* consume_group takes comments while they start within n lines of the
 * previous comment's last line (parser.consumeCommentGroup). */
static size_t consume_group(struct tf_parser *p, size_t n)
{
	size_t endline = line_of(p, p->pos);
	struct tf_group g = {p->pos, 0, p->comments.n - 1, 0};

	while (p->tok == TK_COMMENT && line_of(p, p->pos) <= endline + n) {
		const struct tf_comment *c = &p->comments.v[p->comments.n - 1];
		endline = line_of(p, c->off);
		if (c->len >= 2 && c->text[1] == '*')
			for (size_t i = 0; i < c->len; i++)
				if (c->text[i] == '\n')
					endline++;
		g.end = c->off + c->len;
		g.n++;
		sc_scan(p);
	}
	VEC_PUSH(&p->groups, g);
	return endline;
}

static void next(struct tf_parser *p)
{
	size_t prev = p->pos;
	bool had_prev = p->have_prev;

	p->have_prev = true;
	sc_scan(p);
	if (p->tok == TK_COMMENT) {
		/* token.NoPos has line 0, which no comment is on */
		if (had_prev && line_of(p, p->pos) == line_of(p, prev))
			consume_group(p, 0);
		while (p->tok == TK_COMMENT)
			consume_group(p, 1);
	}
}

/* tok_string is token.Token.String() for error messages. */
static void tok_describe(const struct tf_parser *p, struct buf *b)
{
	switch (p->tok) {
	case TK_SEMI:
		if (p->lit[0] == '\n') {
			buf_adds(b, "newline");
			return;
		}
		buf_adds(b, "';'");
		return;
	case TK_IDENT: case TK_INT: case TK_FLOAT: case TK_IMAG: case TK_CHAR: case TK_STRING:
		buf_add(b, p->lit, p->litn);
		return;
	case TK_EOF: buf_adds(b, "'EOF'"); return;
	case TK_ILLEGAL: buf_adds(b, "'ILLEGAL'"); return;
	case TK_COMMENT: buf_adds(b, "'COMMENT'"); return;
	default:
		buf_addch(b, '\'');
		buf_add(b, p->lit, p->litn);
		buf_addch(b, '\'');
		return;
	}
}

/* error_expected is parser.errorExpected at the current token. */
static void error_expected(struct tf_parser *p, const char *what)
{
	struct buf b = BUF_INIT;
	buf_init(&b);
	buf_printf(&b, "expected %s, found ", what);
	tok_describe(p, &b);
	parse_error(p, p->pos, buf_cstr(&b));
	buf_release(&b);
}

static bool expect(struct tf_parser *p, enum tf_tok tok, const char *quoted)
{
	if (p->tok != tok) {
		error_expected(p, quoted);
		return false;
	}
	next(p);
	return true;
}

static bool is_kw(const struct tf_parser *p, const char *kw)
{
	return p->tok == TK_KEYWORD && lit_is(p, kw);
}

/* expect_semi is parser.expectSemi. */
static void expect_semi(struct tf_parser *p)
{
	if (p->tok == TK_RPAREN || p->tok == TK_RBRACE)
		return;
	if (p->tok == TK_SEMI) {
		next(p);
		return;
	}
	error_expected(p, "';'");
}

static enum tf_tok closer_of(enum tf_tok open)
{
	return open == TK_LPAREN ? TK_RPAREN : open == TK_LBRACK ? TK_RBRACK : TK_RBRACE;
}

static const char *closer_quoted(enum tf_tok close)
{
	return close == TK_RPAREN ? "')'" : close == TK_RBRACK ? "']'" : "'}'";
}

/*
 * skip_balanced consumes a bracketed group starting at the current opener
 * and returns the offset of its closer.  Nested groups must match; the
 * contents are not otherwise checked (go/parser parses them fully, so
 * syntax errors inside bodies that keep brackets balanced go unreported,
 * and a mismatch is reported as "expected ')', found ']'" where go may say
 * something more specific).  *empty tells whether the group had no token.
 */
static size_t skip_balanced(struct tf_parser *p, bool *empty)
{
	VEC(enum tf_tok) stack = {0};
	VEC(bool) group = {0}; /* a declaration group: ';' allowed inside (...) */
	size_t close = p->pos;
	bool decl_kw = p->prev_decl_kw;

	VEC_PUSH(&stack, closer_of(p->tok));
	VEC_PUSH(&group, decl_kw);
	next(p);
	if (empty)
		*empty = p->tok == closer_of(stack.v[0]);
	while (!p->stop) {
		enum tf_tok want = stack.v[stack.n - 1];
		switch (p->tok) {
		case TK_LPAREN: case TK_LBRACK: case TK_LBRACE:
			VEC_PUSH(&stack, closer_of(p->tok));
			VEC_PUSH(&group, decl_kw);
			break;
		case TK_RPAREN: case TK_RBRACK: case TK_RBRACE:
			if (p->tok != want) {
				error_expected(p, closer_quoted(want));
				goto out;
			}
			group.n--;
			if (--stack.n == 0) {
				close = p->pos;
				next(p);
				goto out;
			}
			break;
		case TK_SEMI:
			/* a newline inside (...) or [...] is an error in Go */
			if (p->lit[0] == '\n' && want != TK_RBRACE && !group.v[group.n - 1]) {
				parse_error(p, p->pos, want == TK_RPAREN ?
				            "missing ',' before newline in argument list" :
				            "expected ']', found newline");
				goto out;
			}
			break;
		case TK_EOF:
			error_expected(p, closer_quoted(want));
			goto out;
		default:
			break;
		}
		/* var/const/type/import ( ... ) groups hold ';'-separated specs */
		decl_kw = is_kw(p, "var") || is_kw(p, "const") || is_kw(p, "type") || is_kw(p, "import");
		next(p);
	}
out:
	VEC_FREE(&stack);
	VEC_FREE(&group);
	return close;
}

static bool type_start(const struct tf_parser *p)
{
	switch (p->tok) {
	case TK_IDENT: case TK_MUL: case TK_LBRACK: case TK_LPAREN: case TK_ARROW:
		return true;
	case TK_KEYWORD:
		return is_kw(p, "func") || is_kw(p, "map") || is_kw(p, "chan") ||
		       is_kw(p, "struct") || is_kw(p, "interface");
	default:
		return false;
	}
}

/* skip_type consumes one type (results written without parentheses). */
static void skip_type(struct tf_parser *p)
{
	while (!p->stop) {
		switch (p->tok) {
		case TK_IDENT:
			next(p);
			if (p->tok == TK_PERIOD) {
				next(p);
				if (!expect(p, TK_IDENT, "'IDENT'"))
					return;
			}
			if (p->tok == TK_LBRACK)
				skip_balanced(p, NULL);
			return;
		case TK_MUL: case TK_ARROW:
			next(p);
			if (p->tok == TK_KEYWORD && lit_is(p, "chan"))
				next(p);
			continue;
		case TK_LBRACK:
			skip_balanced(p, NULL);
			continue;
		case TK_LPAREN:
			skip_balanced(p, NULL);
			return;
		case TK_KEYWORD:
			if (is_kw(p, "map")) {
				next(p);
				if (p->tok != TK_LBRACK) {
					error_expected(p, "'['");
					return;
				}
				skip_balanced(p, NULL);
				continue;
			}
			if (is_kw(p, "chan")) {
				next(p);
				if (p->tok == TK_ARROW)
					next(p);
				continue;
			}
			if (is_kw(p, "func")) {
				next(p);
				if (p->tok != TK_LPAREN) {
					error_expected(p, "'('");
					return;
				}
				skip_balanced(p, NULL);
				if (p->tok == TK_LPAREN)
					skip_balanced(p, NULL);
				else if (type_start(p))
					continue;
				return;
			}
			if (is_kw(p, "struct") || is_kw(p, "interface")) {
				next(p);
				if (p->tok != TK_LBRACE) {
					error_expected(p, "'{'");
					return;
				}
				skip_balanced(p, NULL);
				return;
			}
			/* fallthrough */
		default:
			error_expected(p, "type");
			return;
		}
	}
}

/* One entry of a parameter list: [name] [type], as parser.parseParamDecl. */
struct tf_param {
	bool has_name, has_type;
	size_t name_pos, type_pos;
	/* the type's tokens when it is *X or *p.X */
	bool star;
	const char *sel; /* X */
	size_t seln;
};

/*
 * star_type parses the rest of a pointer type after its '*', noting the
 * *X and *p.X forms (what isTestFunc accepts); *T[...] is skipped.
 * Returns false after a syntax error.
 */
static bool star_type(struct tf_parser *p, struct tf_param *par)
{
	const char *x;
	size_t xn;

	if (p->tok != TK_IDENT) {
		skip_type(p);
		return true;
	}
	x = p->lit, xn = p->litn;
	next(p);
	if (p->tok == TK_PERIOD) {
		next(p);
		x = p->lit, xn = p->litn;
		if (!expect(p, TK_IDENT, "'IDENT'"))
			return false;
	}
	if (p->tok == TK_LBRACK)
		skip_balanced(p, NULL);
	else
		par->star = true, par->sel = x, par->seln = xn;
	return true;
}

/*
 * parse_params parses "(...)" of a function's parameters and fills the
 * field counts of f as go/parser groups them (parseParameterList), with
 * its errors for lists that mix named and unnamed parameters.
 */
static void parse_params(struct tf_parser *p, struct tf_func *f)
{
	VEC(struct tf_param) list = {0};
	size_t named = 0, typed = 0;

	if (p->tok != TK_LPAREN) {
		error_expected(p, "'('");
		return;
	}
	next(p);
	while (!p->stop && p->tok != TK_RPAREN && p->tok != TK_EOF) {
		struct tf_param par = {0};
		size_t start = p->pos;
		if (p->tok == TK_IDENT) {
			/* the entry's shape decides name vs type (parseParamDecl) */
			next(p);
			if (p->tok == TK_PERIOD) {
				/* qualified type name p.T[...] */
				next(p);
				if (!expect(p, TK_IDENT, "'IDENT'"))
					break;
				par.has_type = true, par.type_pos = start;
				if (p->tok == TK_LBRACK)
					skip_balanced(p, NULL);
			} else if (p->tok == TK_LBRACK) {
				/* a []T / a [N]T parameter, or a generic type T[...] */
				bool empty;
				size_t lb = p->pos;
				skip_balanced(p, &empty);
				if (empty || (p->tok != TK_COMMA && p->tok != TK_RPAREN)) {
					par.has_name = true, par.name_pos = start;
					par.has_type = true, par.type_pos = lb;
					if (!empty || type_start(p))
						skip_type(p);
				} else {
					par.has_type = true, par.type_pos = start;
				}
			} else if (p->tok == TK_COMMA || p->tok == TK_RPAREN) {
				par.has_name = true, par.name_pos = start;
			} else if (p->tok == TK_ELLIPSIS) {
				par.has_name = true, par.name_pos = start;
				par.has_type = true, par.type_pos = p->pos;
				next(p);
				skip_type(p);
			} else {
				par.has_name = true, par.name_pos = start;
				par.has_type = true, par.type_pos = p->pos;
				if (p->tok == TK_MUL) {
					next(p);
					if (!star_type(p, &par))
						break;
				} else {
					skip_type(p);
				}
			}
		} else if (p->tok == TK_ELLIPSIS) {
			par.has_type = true, par.type_pos = p->pos;
			next(p);
			skip_type(p);
		} else if (p->tok == TK_MUL) {
			par.has_type = true, par.type_pos = p->pos;
			next(p);
			if (!star_type(p, &par))
				break;
		} else if (type_start(p)) {
			par.has_type = true, par.type_pos = p->pos;
			skip_type(p);
		} else {
			error_expected(p, "')'");
			break;
		}
		if (p->stop)
			break;
		VEC_PUSH(&list, par);
		if (par.has_name && par.has_type)
			named++;
		if (par.has_type)
			typed++;
		/* parser.atComma("parameter list", RPAREN) */
		if (p->tok == TK_COMMA) {
			next(p);
			continue;
		}
		if (p->tok != TK_RPAREN) {
			if (p->tok == TK_SEMI && p->lit[0] == '\n')
				parse_error(p, p->pos, "missing ',' before newline in parameter list");
			else
				error_expected(p, "')'");
		}
		break;
	}
	if (p->stop)
		goto out;
	size_t close = p->pos;
	if (!expect(p, TK_RPAREN, "')'"))
		goto out;

	f->nparams = list.n;
	if (list.n == 0)
		goto out;
	if (named == 0) {
		/* types only: each entry is its own field, a lone name is a type */
		f->nfields = list.n;
		f->names0 = 0;
		if (list.n == 1 && list.v[0].star) {
			f->star_arg = true;
			size_t k = list.v[0].seln < sizeof f->arg ? list.v[0].seln : sizeof f->arg - 1;
			memcpy(f->arg, list.v[0].sel, k);
			f->arg[k] = 0;
		}
		goto out;
	}
	if (named != list.n) {
		/* right-to-left sweep of parseParameterList: a lone trailing name,
		 * or a type without a name among named ones, is an error */
		bool have_type = false, bad = false;
		size_t errpos = 0;
		for (size_t i = list.n; i-- > 0;) {
			struct tf_param *par = &list.v[i];
			if (par->has_type) {
				have_type = true;
				if (!par->has_name)
					bad = true, errpos = par->type_pos;
			} else if (!have_type) {
				bad = true, errpos = par->name_pos;
			}
		}
		if (bad) {
			if (named == typed)
				parse_error(p, close, "missing parameter type");
			else
				parse_error(p, errpos, "missing parameter name");
			goto out;
		}
	}
	/* names sharing one type form one field; each named entry ends one */
	f->nfields = named;
	f->names0 = 0;
	for (size_t i = 0; i < list.n; i++) {
		f->names0++;
		if (list.v[i].has_type)
			break;
	}
	if (list.n == 1 && list.v[0].star) {
		f->star_arg = true;
		size_t k = list.v[0].seln < sizeof f->arg ? list.v[0].seln : sizeof f->arg - 1;
		memcpy(f->arg, list.v[0].sel, k);
		f->arg[k] = 0;
	} else if (named == 1 && list.v[list.n - 1].star) {
		/* a, b *testing.T: one field, several names */
		struct tf_param *last = &list.v[list.n - 1];
		size_t k = last->seln < sizeof f->arg ? last->seln : sizeof f->arg - 1;
		f->star_arg = true;
		memcpy(f->arg, last->sel, k);
		f->arg[k] = 0;
	}
out:
	VEC_FREE(&list);
}

/* parse_func_decl is parser.parseFuncDecl for the parts test loading reads. */
static void parse_func_decl(struct tf_parser *p)
{
	struct tf_func f = {0};

	f.pos = p->pos;
	next(p); /* func */
	if (p->tok == TK_LPAREN) {
		struct tf_func recv = {0};
		f.recv = true;
		parse_params(p, &recv);
		if (p->stop)
			return;
	}
	if (p->tok != TK_IDENT) {
		error_expected(p, "'IDENT'");
		return;
	}
	f.name = arena_strndup(p->a, p->lit, p->litn);
	next(p);
	if (p->tok == TK_LBRACK) {
		bool empty;
		size_t lb = p->pos;
		skip_balanced(p, &empty);
		if (p->stop)
			return;
		if (empty) {
			parse_error(p, lb + 1, "empty type parameter list");
			return;
		}
		if (f.recv) {
			parse_error(p, lb, "method must have no type parameters");
			return;
		}
		f.tparams = true;
	}
	parse_params(p, &f);
	if (p->stop)
		return;
	if (p->tok == TK_LPAREN) {
		bool empty;
		skip_balanced(p, &empty);
		f.results = !empty;
	} else if (type_start(p)) {
		skip_type(p);
		f.results = true;
	}
	if (p->stop)
		return;
	if (p->tok == TK_LBRACE) {
		f.body = true;
		f.lbrace = p->pos;
		f.rbrace = skip_balanced(p, NULL);
		if (p->stop)
			return;
		expect_semi(p);
	} else if (p->tok == TK_SEMI) {
		next(p);
		if (p->tok == TK_LBRACE) {
			parse_error(p, p->pos, "unexpected semicolon or newline before {");
			return;
		}
	} else {
		expect_semi(p);
	}
	if (!p->stop)
		VEC_PUSH(&p->funcs, f);
}

/* skip_gen_decl consumes an import/const/var/type declaration. */
static void skip_gen_decl(struct tf_parser *p)
{
	next(p); /* keyword */
	if (p->tok == TK_LPAREN) {
		p->prev_decl_kw = true;
		skip_balanced(p, NULL);
		p->prev_decl_kw = false;
		if (!p->stop)
			expect_semi(p);
		return;
	}
	/* one spec: up to the ';' ending it (brackets inside are balanced) */
	while (!p->stop && p->tok != TK_SEMI && p->tok != TK_EOF) {
		switch (p->tok) {
		case TK_LPAREN: case TK_LBRACK: case TK_LBRACE:
			skip_balanced(p, NULL);
			continue;
		case TK_RPAREN: case TK_RBRACK: case TK_RBRACE:
			/* expectSemi accepts a closer; the caller then sees it */
			goto done;
		default:
			next(p);
		}
	}
done:
	if (!p->stop)
		expect_semi(p);
}

/* parse_file is parser.parseFile without building declarations we skip. */
static void parse_file(struct tf_parser *p)
{
	/* the line table: a line starts after each '\n' that is not last */
	VEC_PUSH(&p->lines, 0);
	for (size_t i = 0; i < p->n; i++)
		if (p->src[i] == '\n' && i + 1 < p->n)
			VEC_PUSH(&p->lines, i + 1);

	p->ch = ' ';
	sc_next(p);
	if (p->ch == TF_BOM)
		sc_next(p);
	next(p);

	if (!is_kw(p, "package")) {
		error_expected(p, "'package'");
		return;
	}
	next(p);
	if (p->tok != TK_IDENT) {
		error_expected(p, "'IDENT'");
		return;
	}
	if (lit_is(p, "_"))
		parse_error(p, p->pos, "invalid package name _");
	next(p);
	expect_semi(p);
	if (p->errs.n > 0)
		return; /* ParseFile stops after a bad package clause */
	while (!p->stop && is_kw(p, "import"))
		skip_gen_decl(p);
	bool prev_import = true;
	while (!p->stop && p->tok != TK_EOF) {
		if (is_kw(p, "import") && !prev_import) {
			parse_error(p, p->pos, "imports must appear before other declarations");
			return;
		}
		prev_import = is_kw(p, "import");
		if (is_kw(p, "func")) {
			parse_func_decl(p);
		} else if (is_kw(p, "import") || is_kw(p, "const") || is_kw(p, "var") || is_kw(p, "type")) {
			skip_gen_decl(p);
		} else {
			error_expected(p, "declaration");
			return;
		}
	}
}

static void parser_release(struct tf_parser *p)
{
	for (size_t i = 0; i < p->comments.n; i++)
		free(p->comments.v[i].text);
	for (size_t i = 0; i < p->errs.n; i++)
		free(p->errs.v[i].msg);
	VEC_FREE(&p->comments);
	VEC_FREE(&p->groups);
	VEC_FREE(&p->errs);
	VEC_FREE(&p->funcs);
	VEC_FREE(&p->lines);
}

/* ---- go/doc and load helpers ------------------------------------------------- */

/* rune_is_lower approximates unicode.IsLower: ASCII, Latin-1, Greek and
 * Cyrillic lower-case ranges, and Latin Extended-A's alternating pairs. */
static bool rune_is_lower(int32_t r)
{
	if (r < 0x80)
		return r >= 'a' && r <= 'z';
	if (r == 0xB5 || r == 0xAA || r == 0xBA)
		return true;
	if (r >= 0xDF && r <= 0xFF)
		return r != 0xF7;
	if (r >= 0x100 && r <= 0x17F) {
		if (r == 0x138 || r == 0x149 || r == 0x17F)
			return true;
		if ((r >= 0x139 && r <= 0x148) || (r >= 0x179 && r <= 0x17E))
			return (r & 1) == 0;
		return (r & 1) == 1;
	}
	if ((r >= 0x3AC && r <= 0x3CE) || (r >= 0x430 && r <= 0x45F))
		return true;
	return false;
}

bool work_is_test(const char *name, const char *prefix)
{
	size_t k = strlen(prefix);
	if (strncmp(name, prefix, k) != 0)
		return false;
	if (name[k] == 0)
		return true;
	int32_t r;
	utf8_rune_decode(name + k, strlen(name + k), &r);
	return !rune_is_lower(r);
}

/* is_directive is go/ast.isDirective on a //-comment without its slashes. */
static bool is_directive(const char *c, size_t n)
{
	struct str s = {c, n};
	if (str_has_prefix(s, "line ") || str_has_prefix(s, "extern ") || str_has_prefix(s, "export "))
		return true;
	const char *colon = memchr(c, ':', n);
	if (!colon || colon == c || (size_t)(colon - c) + 1 >= n)
		return false;
	size_t ci = (size_t)(colon - c);
	for (size_t i = 0; i <= ci + 1; i++) {
		unsigned char b = (unsigned char)c[i];
		if (i == ci)
			continue;
		if (!((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')))
			return false;
	}
	return true;
}

/* work_comment_text mirrors go/ast.CommentGroup.Text (go1.26). */
void work_comment_text(struct buf *b, const char *const *texts, const size_t *lens, size_t n)
{
	VEC(struct str) lines = {0};

	for (size_t i = 0; i < n; i++) {
		const char *c = texts[i];
		size_t cn = lens[i];
		if (cn >= 2 && c[1] == '/') {
			c += 2, cn -= 2;
			if (cn > 0) {
				if (c[0] == ' ')
					c++, cn--;
				else if (is_directive(c, cn))
					continue;
			}
		} else if (cn >= 4) {
			c += 2, cn -= 4;
		}
		/* split on newlines, stripping trailing white space */
		size_t start = 0;
		for (size_t j = 0; j <= cn; j++) {
			if (j < cn && c[j] != '\n')
				continue;
			struct str l = {c + start, j - start};
			while (l.n > 0 && (l.p[l.n - 1] == ' ' || l.p[l.n - 1] == '\t' ||
			                   l.p[l.n - 1] == '\n' || l.p[l.n - 1] == '\r'))
				l.n--;
			VEC_PUSH(&lines, l);
			start = j + 1;
		}
	}
	/* drop leading blank lines, squeeze interior runs of blank lines */
	size_t w = 0;
	for (size_t i = 0; i < lines.n; i++)
		if (lines.v[i].n > 0 || (w > 0 && lines.v[w - 1].n > 0))
			lines.v[w++] = lines.v[i];
	/* a trailing blank line survives the squeeze; Join then ends in "\n" */
	for (size_t i = 0; i < w; i++) {
		buf_addstr(b, lines.v[i]);
		if (i + 1 < w || lines.v[i].n > 0)
			buf_addch(b, '\n');
	}
	VEC_FREE(&lines);
}

static bool ascii_ieq(const char *s, const char *lower, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != (unsigned char)lower[i])
			return false;
	}
	return true;
}

/* work_example_output mirrors go/doc exampleOutput's outputPrefix regexp
 * `(?i)^[[:space:]]*(unordered )?output:` and the trimming after it. */
bool work_example_output(const char *text, size_t n, size_t *out_off, bool *unordered)
{
	size_t i = 0;
	while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' ||
	                 text[i] == '\v' || text[i] == '\f' || text[i] == '\r'))
		i++;
	*unordered = false;
	if (n - i >= 10 && ascii_ieq(text + i, "unordered ", 10) &&
	    n - i - 10 >= 7 && ascii_ieq(text + i + 10, "output:", 7)) {
		*unordered = true;
		i += 17;
	} else if (n - i >= 7 && ascii_ieq(text + i, "output:", 7)) {
		i += 7;
	} else {
		return false;
	}
	while (i < n && text[i] == ' ')
		i++;
	if (i < n && text[i] == '\n')
		i++;
	*out_off = i;
	return true;
}

/* ---- loading ---------------------------------------------------------------------- */

struct tf_lists {
	VEC(struct work_testfunc) tests, benchmarks, fuzz, examples;
	struct work_testfunc *test_main;
};

/* is_test_func is load.isTestFunc on the parsed signature. */
static bool is_test_func(const struct tf_func *f, const char *arg)
{
	if (f->results || f->nfields != 1 || f->names0 > 1 || f->nparams == 0)
		return false;
	return f->star_arg && strcmp(f->arg, arg) == 0;
}

/* check_test_func is load.checkTestFunc: the error text, or NULL (heap). */
static char *check_test_func(const struct tf_parser *p, const char *filename,
                             const struct tf_func *f, const char *arg)
{
	char *why = NULL, *msg;
	if (!is_test_func(f, arg))
		why = xasprintf("must be: func %s(%c *testing.%s)", f->name, arg[0] - 'A' + 'a', arg);
	if (f->tparams) {
		free(why);
		why = xstrdup("test functions cannot have type parameters");
	}
	if (!why)
		return NULL;
	msg = xasprintf("%s:%zu:%zu: wrong signature for %s, %s", filename, line_of(p, f->pos),
	                col_of(p, f->pos), f->name, why);
	free(why);
	return msg;
}

/* load_file is (*testFuncs).load for one file: 0, or -1 with *errmsg
 * (heap) set and, for syntax errors, *errpos. */
static int load_file(struct arena *a, const char *filename, const char *pkg, struct tf_lists *l,
                     bool *do_import, bool *seen, char **errpos, char **errmsg)
{
	struct tf_parser p = {0};
	struct buf data = BUF_INIT;
	struct err e = ERR_INIT;
	int ret = -1;

	buf_init(&data);
	if (os_read_file(filename, &data, 0, &e) < 0) {
		*errmsg = err_take(&e);
		goto out;
	}
	p.src = data.data;
	p.n = data.len;
	p.a = a;
	parse_file(&p);
	if (p.errs.n > 0) {
		/* scanner.ErrorList sorted: by line, column, then message */
		size_t best = 0;
		for (size_t i = 1; i < p.errs.n; i++) {
			size_t lb = line_of(&p, p.errs.v[best].off), li = line_of(&p, p.errs.v[i].off);
			size_t cb = col_of(&p, p.errs.v[best].off), ci = col_of(&p, p.errs.v[i].off);
			if (li < lb || (li == lb && (ci < cb || (ci == cb &&
			    strcmp(p.errs.v[i].msg, p.errs.v[best].msg) < 0))))
				best = i;
		}
		size_t off = p.errs.v[best].off;
		*errpos = xasprintf("%s:%zu:%zu", filename, line_of(&p, off), col_of(&p, off));
		*errmsg = xstrdup(p.errs.v[best].msg);
		goto out;
	}

	for (size_t i = 0; i < p.funcs.n; i++) {
		const struct tf_func *f = &p.funcs.v[i];
		struct work_testfunc tf = {pkg, f->name, "", false};
		const char *arg = NULL;
		if (f->recv)
			continue;
		if (strcmp(f->name, "TestMain") == 0) {
			if (is_test_func(f, "T")) {
				VEC_PUSH(&l->tests, tf);
				*do_import = *seen = true;
				continue;
			}
			if ((*errmsg = check_test_func(&p, filename, f, "M")) != NULL)
				goto out;
			if (l->test_main) {
				*errmsg = xstrdup("multiple definitions of TestMain");
				goto out;
			}
			l->test_main = arena_new(a, struct work_testfunc);
			*l->test_main = tf;
			*do_import = *seen = true;
			continue;
		}
		if (work_is_test(f->name, "Test"))
			arg = "T";
		else if (work_is_test(f->name, "Benchmark"))
			arg = "B";
		else if (work_is_test(f->name, "Fuzz"))
			arg = "F";
		else
			continue;
		if ((*errmsg = check_test_func(&p, filename, f, arg)) != NULL)
			goto out;
		if (arg[0] == 'T')
			VEC_PUSH(&l->tests, tf);
		else if (arg[0] == 'B')
			VEC_PUSH(&l->benchmarks, tf);
		else
			VEC_PUSH(&l->fuzz, tf);
		*do_import = *seen = true;
	}

	/* go/doc.Examples, then sorted back into source order by load */
	for (size_t i = 0; i < p.funcs.n; i++) {
		const struct tf_func *f = &p.funcs.v[i];
		if (f->recv || !work_is_test(f->name, "Example") || work_is_test(f->name, "Test") ||
		    work_is_test(f->name, "Benchmark") || work_is_test(f->name, "Fuzz"))
			continue;
		if (f->nparams != 0 || f->results || !f->body)
			continue;
		*do_import = true; /* compiled even when not run */
		/* lastComment: the last group inside the body's braces */
		const struct tf_group *last = NULL;
		for (size_t g = 0; g < p.groups.n; g++) {
			if (p.groups.v[g].pos < f->lbrace)
				continue;
			if (p.groups.v[g].end > f->rbrace + 1)
				break;
			last = &p.groups.v[g];
		}
		if (!last)
			continue;
		const char **texts = xcalloc(last->n, sizeof *texts);
		size_t *lens = xcalloc(last->n, sizeof *lens);
		for (size_t k = 0; k < last->n; k++) {
			texts[k] = p.comments.v[last->first + k].text;
			lens[k] = p.comments.v[last->first + k].len;
		}
		struct buf text = BUF_INIT;
		buf_init(&text);
		work_comment_text(&text, texts, lens, last->n);
		free(texts);
		free(lens);
		size_t off;
		bool unordered;
		if (work_example_output(text.data, text.len, &off, &unordered)) {
			struct work_testfunc ex = {pkg, f->name, arena_strndup(a, text.data + off, text.len - off),
			                           unordered};
			VEC_PUSH(&l->examples, ex);
			*seen = true;
		}
		buf_release(&text);
	}
	ret = 0;
out:
	parser_release(&p);
	buf_release(&data);
	err_clear(&e);
	return ret;
}

#define TF_TO_ARENA(a, vec, outp, outn) do { \
	(outn) = (vec)->n; \
	(outp) = arena_newarray((a), struct work_testfunc, (vec)->n ? (vec)->n : 1); \
	if ((vec)->n) \
		memcpy((outp), (vec)->v, (vec)->n * sizeof(struct work_testfunc)); \
	VEC_FREE(vec); \
} while (0)

int work_testfuncs_load(struct arena *a, const char *dir, const char *pkg_import_path,
                        const char *const *test_files, size_t ntest,
                        const char *const *xtest_files, size_t nxtest,
                        struct work_testfuncs **out, struct err *e)
{
	struct work_testfuncs *t = arena_new(a, struct work_testfuncs);
	struct tf_lists l = {0};
	char *errpos = NULL, *errmsg = NULL;

	t->arena = a;
	t->import_path = arena_strdup(a, pkg_import_path);
	t->module_path = "";
	/* TestPackagesAndErrors imports ptest whenever it has Go files (its
	 * GoFiles include TestGoFiles) and pxtest whenever there are
	 * XTestGoFiles, whatever the files declare */
	t->import_test = ntest > 0;
	t->import_xtest = nxtest > 0;
	for (size_t pass = 0; pass < 2; pass++) {
		const char *const *files = pass == 0 ? test_files : xtest_files;
		size_t nf = pass == 0 ? ntest : nxtest;
		const char *pkg = pass == 0 ? "_test" : "_xtest";
		bool *do_import = pass == 0 ? &t->import_test : &t->import_xtest;
		bool *seen = pass == 0 ? &t->need_test : &t->need_xtest;
		for (size_t i = 0; i < nf; i++) {
			char *fn = path_join(dir, files[i]);
			char *ep = NULL, *em = NULL;
			/* loadTestFuncs keeps going after an error and reports the first */
			if (load_file(a, fn, pkg, &l, do_import, seen, &ep, &em) < 0 && !errmsg) {
				errpos = ep, errmsg = em;
			} else {
				free(ep);
				free(em);
			}
			free(fn);
		}
	}
	TF_TO_ARENA(a, &l.tests, t->tests, t->ntests);
	TF_TO_ARENA(a, &l.benchmarks, t->benchmarks, t->nbenchmarks);
	TF_TO_ARENA(a, &l.fuzz, t->fuzz_targets, t->nfuzz_targets);
	TF_TO_ARENA(a, &l.examples, t->examples, t->nexamples);
	t->test_main = l.test_main;
	*out = t;
	if (!errmsg)
		return 0;
	t->err_pos = errpos ? arena_strdup(a, errpos) : NULL;
	t->err_msg = arena_strdup(a, errmsg);
	if (errpos)
		err_setf(e, "%s: %s", errpos, errmsg);
	else
		err_setf(e, "%s", errmsg);
	free(errpos);
	free(errmsg);
	return -1;
}

void work_testfuncs_set_package(struct work_testfuncs *t, const char *module_path,
                                size_t n_go_and_cgo_files)
{
	t->module_path = arena_strdup(t->arena, module_path ? module_path : "");
	/* TestPackagesAndErrors: ptest has Go files (its own plus TestGoFiles) */
	if (n_go_and_cgo_files > 0)
		t->import_test = true;
}
