/*
 * A Go text/template subset over struct val, for `go list -f`.  Three
 * stages, shaped like Go's text/template/parse and text/template:
 *
 *   lex    the whole text into tokens (mirrors parse/lex.go: delimiters,
 *          trim markers, comments, spaces kept as tokens because the
 *          parser's operand rules depend on them);
 *   parse  tokens into a node tree (mirrors parse/parse.go), checking
 *          functions and variables as go does, with go's error texts;
 *   exec   the tree over a val (mirrors exec.go and funcs.go), printing
 *          values as fmt's %v would.
 *
 * Error positions follow go: parse errors carry the line of the latest
 * token lexed, exec errors the line:column of the node being evaluated
 * and that node's String() form.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/template.h"

/* ---- tokens (parse/lex.go) ---------------------------------------------- */

enum tok_kind {
	T_ERROR, T_EOF, T_TEXT, T_LEFT, T_RIGHT, T_SPACE, T_ASSIGN, T_DECLARE, T_PIPE,
	T_STRING, T_RAWSTRING, T_CHARCONST, T_NUMBER, T_BOOL, T_VARIABLE, T_FIELD, T_DOT,
	T_IDENT, T_LPAREN, T_RPAREN, T_CHAR,
	/* keywords, printed as <word> */
	T_KEYWORD, T_BLOCK, T_BREAK, T_CONTINUE, T_DEFINE, T_ELSE, T_END, T_IF, T_NIL,
	T_RANGE, T_TEMPLATE, T_WITH,
};

struct tok {
	enum tok_kind kind;
	size_t pos;      /* byte offset in the text */
	const char *val; /* arena copy of the token text (or the error message) */
	int line;
};

static const struct {
	const char *word;
	enum tok_kind kind;
} keywords[] = {
	{".", T_DOT}, {"block", T_BLOCK}, {"break", T_BREAK}, {"continue", T_CONTINUE},
	{"define", T_DEFINE}, {"else", T_ELSE}, {"end", T_END}, {"if", T_IF},
	{"range", T_RANGE}, {"nil", T_NIL}, {"template", T_TEMPLATE}, {"with", T_WITH},
};

struct lexer {
	struct arena *a;
	const char *text;
	size_t n, pos, start;
	int paren_depth;
	VEC(struct tok) toks;
};

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Non-ASCII bytes count as letters (Go asks unicode.IsLetter). */
static bool is_alnum(unsigned char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static int line_at(const char *text, size_t pos)
{
	int line = 1;

	for (size_t i = 0; i < pos; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

static void lex_emit_at(struct lexer *l, enum tok_kind kind, size_t start, size_t end)
{
	struct tok t = {kind, start, arena_strndup(l->a, l->text + start, end - start), line_at(l->text, start)};

	VEC_PUSH(&l->toks, t);
}

static void lex_emit(struct lexer *l, enum tok_kind kind)
{
	lex_emit_at(l, kind, l->start, l->pos);
	l->start = l->pos;
}

/* lex_error ends the scan with an error token (go's lexer stops there). */
static void lex_error(struct lexer *l, const char *msg)
{
	struct tok t = {T_ERROR, l->start, arena_strdup(l->a, msg), line_at(l->text, l->start)};

	VEC_PUSH(&l->toks, t);
}

/* fmt's %#U for a byte: "U+0023 '#'". */
static char *fmt_char_u(struct arena *a, unsigned char c)
{
	if (c >= 0x20 && c < 0x7f)
		return arena_printf(a, "U+%04X '%c'", c, c);
	return arena_printf(a, "U+%04X", c);
}

static bool has_left_trim(const char *s)
{
	return s[0] == '-' && is_space((unsigned char)s[1]);
}

static bool has_right_trim(const char *s)
{
	return is_space((unsigned char)s[0]) && s[1] == '-';
}

/* at_right_delim mirrors lex.go atRightDelim. */
static bool at_right_delim(const struct lexer *l, bool *trim)
{
	const char *s = l->text + l->pos;

	*trim = false;
	if (l->pos + 2 <= l->n && has_right_trim(s) && strncmp(s + 2, "}}", 2) == 0) {
		*trim = true;
		return true;
	}
	return strncmp(s, "}}", 2) == 0;
}

static bool at_terminator(const struct lexer *l)
{
	unsigned char c = (unsigned char)l->text[l->pos];
	bool trim;

	if (l->pos >= l->n || is_space(c))
		return true;
	if (c == '.' || c == ',' || c == '|' || c == ':' || c == ')' || c == '(')
		return true;
	return at_right_delim(l, &trim);
}

/* scan_number mirrors lex.go scanNumber: true when the syntax is plausible. */
static bool scan_number(struct lexer *l)
{
	const char *s = l->text;
	const char *digits = "0123456789_";

	if (s[l->pos] == '+' || s[l->pos] == '-')
		l->pos++;
	if (s[l->pos] == '0' && strchr("xXoObB", s[l->pos + 1]) && s[l->pos + 1]) {
		char c = s[l->pos + 1];
		l->pos += 2;
		digits = (c == 'x' || c == 'X') ? "0123456789abcdefABCDEF_" :
			 (c == 'o' || c == 'O') ? "01234567_" : "01_";
	}
	while (s[l->pos] && strchr(digits, s[l->pos]))
		l->pos++;
	if (s[l->pos] == '.') {
		l->pos++;
		while (s[l->pos] && strchr(digits, s[l->pos]))
			l->pos++;
	}
	if (digits[0] == '0' && strlen(digits) == 11 && s[l->pos] && strchr("eE", s[l->pos])) {
		l->pos++;
		if (s[l->pos] == '+' || s[l->pos] == '-')
			l->pos++;
		while (s[l->pos] && strchr("0123456789_", s[l->pos]))
			l->pos++;
	}
	if (strlen(digits) == 23 && s[l->pos] && strchr("pP", s[l->pos])) {
		l->pos++;
		if (s[l->pos] == '+' || s[l->pos] == '-')
			l->pos++;
		while (s[l->pos] && strchr("0123456789_", s[l->pos]))
			l->pos++;
	}
	if (s[l->pos] == 'i')
		l->pos++;
	if (l->pos < l->n && is_alnum((unsigned char)s[l->pos])) {
		l->pos++;
		return false;
	}
	return true;
}

/* lex_action scans one action after "{{"; false when it ended in an error. */
/*
 * lex_quoted scans the rest of a quoted string or character constant up to
 * the closing quote (text/template lexQuote / lexChar); a newline or the
 * end of input first is an error with msg.
 */
static bool lex_quoted(struct lexer *l, char quote, const char *msg)
{
	const char *s = l->text;

	for (;;) {
		char d = s[l->pos];
		if (d == '\\' && s[l->pos + 1] != '\0' && s[l->pos + 1] != '\n') {
			l->pos += 2;
			continue;
		}
		if (d == '\0' || d == '\n' || d == '\\') {
			lex_error(l, msg);
			return false;
		}
		l->pos++;
		if (d == quote)
			return true;
	}
}

static bool lex_action(struct lexer *l)
{
	const char *s = l->text;

	for (;;) {
		bool trim;
		if (at_right_delim(l, &trim)) {
			if (l->paren_depth != 0) {
				lex_error(l, "unclosed left paren");
				return false;
			}
			if (trim)
				l->pos += 2;
			l->start = l->pos;
			l->pos += 2;
			lex_emit(l, T_RIGHT);
			if (trim) {
				while (l->pos < l->n && is_space((unsigned char)s[l->pos]))
					l->pos++;
				l->start = l->pos;
			}
			return true;
		}
		if (l->pos >= l->n) {
			lex_error(l, "unclosed action");
			return false;
		}
		unsigned char c = (unsigned char)s[l->pos++];
		if (is_space(c)) {
			size_t nsp = 1;
			while (l->pos < l->n && is_space((unsigned char)s[l->pos])) {
				l->pos++;
				nsp++;
			}
			/* A space that belongs to a " -}}" trim marker is not a
			 * token of its own. */
			if (has_right_trim(s + l->pos - 1) && strncmp(s + l->pos + 1, "}}", 2) == 0) {
				l->pos--;
				if (nsp == 1) {
					l->start = l->pos;
					continue;
				}
			}
			lex_emit(l, T_SPACE);
		} else if (c == '=') {
			lex_emit(l, T_ASSIGN);
		} else if (c == ':') {
			if (s[l->pos] != '=') {
				l->pos++;
				lex_error(l, "expected :=");
				return false;
			}
			l->pos++;
			lex_emit(l, T_DECLARE);
		} else if (c == '|') {
			lex_emit(l, T_PIPE);
		} else if (c == '"') {
			if (!lex_quoted(l, '"', "unterminated quoted string"))
				return false;
			lex_emit(l, T_STRING);
		} else if (c == '`') {
			const char *end = strchr(s + l->pos, '`');
			if (end == NULL) {
				lex_error(l, "unterminated raw quoted string");
				return false;
			}
			l->pos = (size_t)(end - s) + 1;
			lex_emit(l, T_RAWSTRING);
		} else if (c == '$' || (c == '.' && !(s[l->pos] >= '0' && s[l->pos] <= '9'))) {
			if (at_terminator(l)) {
				lex_emit(l, c == '$' ? T_VARIABLE : T_DOT);
				continue;
			}
			while (l->pos < l->n && is_alnum((unsigned char)s[l->pos]))
				l->pos++;
			if (!at_terminator(l)) {
				lex_error(l, arena_printf(l->a, "bad character %s",
							  fmt_char_u(l->a, (unsigned char)s[l->pos])));
				return false;
			}
			lex_emit(l, c == '$' ? T_VARIABLE : T_FIELD);
		} else if (c == '\'') {
			if (!lex_quoted(l, '\'', "unterminated character constant"))
				return false;
			lex_emit(l, T_CHARCONST);
		} else if (c == '.' || c == '+' || c == '-' || (c >= '0' && c <= '9')) {
			l->pos--;
			if (!scan_number(l)) {
				struct buf q = BUF_INIT;
				quoted_go_string(&q, s + l->start, l->pos - l->start);
				lex_error(l, arena_printf(l->a, "bad number syntax: %s", buf_cstr(&q)));
				buf_release(&q);
				return false;
			}
			lex_emit(l, T_NUMBER);
		} else if (is_alnum(c)) {
			enum tok_kind k = T_IDENT;
			while (l->pos < l->n && is_alnum((unsigned char)s[l->pos]))
				l->pos++;
			if (!at_terminator(l)) {
				lex_error(l, arena_printf(l->a, "bad character %s",
							  fmt_char_u(l->a, (unsigned char)s[l->pos])));
				return false;
			}
			size_t wn = l->pos - l->start;
			for (size_t i = 0; i < countof(keywords); i++)
				if (strlen(keywords[i].word) == wn && strncmp(keywords[i].word, s + l->start, wn) == 0)
					k = keywords[i].kind;
			if ((wn == 4 && strncmp(s + l->start, "true", 4) == 0) ||
			    (wn == 5 && strncmp(s + l->start, "false", 5) == 0))
				k = T_BOOL;
			lex_emit(l, k);
		} else if (c == '(') {
			lex_emit(l, T_LPAREN);
			l->paren_depth++;
		} else if (c == ')') {
			l->paren_depth--;
			if (l->paren_depth < 0) {
				lex_error(l, "unexpected right paren");
				return false;
			}
			lex_emit(l, T_RPAREN);
		} else if (c < 0x80 && c >= 0x20 && c != 0x7f) {
			lex_emit(l, T_CHAR);
		} else {
			l->pos--;
			lex_error(l, arena_printf(l->a, "unrecognized character in action: %s", fmt_char_u(l->a, c)));
			return false;
		}
	}
}

/* lex_all mirrors lex.go lexText/lexLeftDelim/lexComment over the whole text. */
static void lex_all(struct lexer *l)
{
	const char *s = l->text;

	for (;;) {
		const char *ld = strstr(s + l->pos, "{{");
		if (ld == NULL) {
			l->pos = l->n;
			if (l->pos > l->start)
				lex_emit(l, T_TEXT);
			struct tok t = {T_EOF, l->n, "", line_at(s, l->n)};
			VEC_PUSH(&l->toks, t);
			return;
		}
		size_t x = (size_t)(ld - s);
		bool trim = has_left_trim(ld + 2);
		size_t end = x;
		if (trim)
			while (end > l->start && is_space((unsigned char)s[end - 1]))
				end--;
		if (end > l->start)
			lex_emit_at(l, T_TEXT, l->start, end);
		l->start = l->pos = x;
		size_t after = x + 2 + (trim ? 2 : 0);
		if (strncmp(s + after, "/*", 2) == 0) {
			const char *ce = strstr(s + after + 2, "*/");
			if (ce == NULL) {
				lex_error(l, "unclosed comment");
				return;
			}
			l->pos = (size_t)(ce - s) + 2;
			bool rtrim;
			if (!at_right_delim(l, &rtrim)) {
				lex_error(l, "comment ends before closing delimiter");
				return;
			}
			l->pos += (rtrim ? 2 : 0) + 2;
			if (rtrim)
				while (l->pos < l->n && is_space((unsigned char)s[l->pos]))
					l->pos++;
			l->start = l->pos;
			continue;
		}
		l->pos = x + 2;
		lex_emit(l, T_LEFT);
		l->pos = l->start = after;
		l->paren_depth = 0;
		if (!lex_action(l))
			return;
	}
}

/* ---- nodes (parse/node.go) ---------------------------------------------- */

enum node_kind {
	N_TEXT, N_ACTION, N_IF, N_RANGE, N_WITH, N_LIST, N_BREAK, N_CONTINUE, N_END, N_ELSE,
	N_PIPE, N_COMMAND, N_FIELD, N_VARIABLE, N_CHAIN, N_DOT, N_NIL, N_BOOL, N_NUMBER,
	N_STRING, N_IDENT,
};

struct node;
struct nodevec {
	struct node **v;
	size_t n, cap;
};

struct node {
	enum node_kind kind;
	size_t pos;
	const char *text;   /* TEXT: the text; STRING: as written; NUMBER: as written; IDENT: name */
	size_t len;         /* TEXT length */
	const char *sval;   /* STRING: unquoted value */
	int64_t ival;       /* NUMBER */
	bool uint_overflow; /* NUMBER: fits uint64 only ("overflows int" when used) */
	bool bval;          /* BOOL */
	struct strvec_a {
		const char **v;
		size_t n, cap;
	} ident;            /* FIELD: names; VARIABLE: "$x" then names; CHAIN: names */
	struct node *base;  /* CHAIN: the node before the fields */
	struct nodevec decl; /* PIPE: declared variables (N_VARIABLE) */
	bool is_assign;     /* PIPE: "=" rather than ":=" */
	struct nodevec items; /* PIPE: commands; COMMAND: args; LIST: nodes */
	struct node *pipe;  /* ACTION, IF, RANGE, WITH */
	struct node *list, *elselist;
};

struct tmpl {
	const char *text;
	struct node *root;
};

static void nodevec_push(struct arena *a, struct nodevec *v, struct node *x)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 4;
		struct node **nv = arena_newarray(a, struct node *, cap);
		if (v->n)
			memcpy(nv, v->v, v->n * sizeof(*nv));
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = x;
}

static void ident_push(struct arena *a, struct strvec_a *v, const char *s)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 4;
		const char **nv = arena_newarray(a, const char *, cap);
		if (v->n)
			memcpy(nv, v->v, v->n * sizeof(*nv));
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = s;
}

static void node_string(struct buf *b, const struct node *n);

static void pipe_string(struct buf *b, const struct node *p)
{
	for (size_t i = 0; i < p->decl.n; i++) {
		if (i > 0)
			buf_adds(b, ", ");
		node_string(b, p->decl.v[i]);
	}
	if (p->decl.n > 0)
		buf_adds(b, p->is_assign ? " = " : " := ");
	for (size_t i = 0; i < p->items.n; i++) {
		if (i > 0)
			buf_adds(b, " | ");
		node_string(b, p->items.v[i]);
	}
}

/* node_string mirrors the String methods of parse/node.go (go1.26). */
static void node_string(struct buf *b, const struct node *n)
{
	switch (n->kind) {
	case N_TEXT:
		buf_add(b, n->text, n->len);
		break;
	case N_ACTION:
		buf_adds(b, "{{");
		pipe_string(b, n->pipe);
		buf_adds(b, "}}");
		break;
	case N_IF:
	case N_RANGE:
	case N_WITH:
		buf_adds(b, n->kind == N_IF ? "{{if " : n->kind == N_RANGE ? "{{range " : "{{with ");
		pipe_string(b, n->pipe);
		buf_adds(b, "}}");
		node_string(b, n->list);
		if (n->elselist) {
			buf_adds(b, "{{else}}");
			node_string(b, n->elselist);
		}
		buf_adds(b, "{{end}}");
		break;
	case N_LIST:
		for (size_t i = 0; i < n->items.n; i++)
			node_string(b, n->items.v[i]);
		break;
	case N_BREAK: buf_adds(b, "{{break}}"); break;
	case N_CONTINUE: buf_adds(b, "{{continue}}"); break;
	case N_END: buf_adds(b, "{{end}}"); break;
	case N_ELSE: buf_adds(b, "{{else}}"); break;
	case N_PIPE:
		pipe_string(b, n);
		break;
	case N_COMMAND:
		for (size_t i = 0; i < n->items.n; i++) {
			if (i > 0)
				buf_addch(b, ' ');
			if (n->items.v[i]->kind == N_PIPE) {
				buf_addch(b, '(');
				pipe_string(b, n->items.v[i]);
				buf_addch(b, ')');
			} else {
				node_string(b, n->items.v[i]);
			}
		}
		break;
	case N_FIELD:
		for (size_t i = 0; i < n->ident.n; i++) {
			buf_addch(b, '.');
			buf_adds(b, n->ident.v[i]);
		}
		break;
	case N_VARIABLE:
		for (size_t i = 0; i < n->ident.n; i++) {
			if (i > 0)
				buf_addch(b, '.');
			buf_adds(b, n->ident.v[i]);
		}
		break;
	case N_CHAIN:
		if (n->base->kind == N_PIPE) {
			buf_addch(b, '(');
			pipe_string(b, n->base);
			buf_addch(b, ')');
		} else {
			node_string(b, n->base);
		}
		for (size_t i = 0; i < n->ident.n; i++) {
			buf_addch(b, '.');
			buf_adds(b, n->ident.v[i]);
		}
		break;
	case N_DOT: buf_addch(b, '.'); break;
	case N_NIL: buf_adds(b, "nil"); break;
	case N_BOOL: buf_adds(b, n->bval ? "true" : "false"); break;
	case N_NUMBER:
	case N_STRING:
	case N_IDENT:
		buf_adds(b, n->text);
		break;
	}
}

/* ---- parser (parse/parse.go) -------------------------------------------- */

/* Functions known at parse time: text/template's builtins plus the go
 * command's FuncMap (cmd/go/internal/list/list.go). */
static const char *const known_funcs[] = {
	"and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
	"println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne", "join", "context", "module",
};

struct parser {
	struct arena *a;
	const struct tok *toks;
	size_t ntoks, i, hi; /* hi: latest token lexed, whose line errors report */
	struct strvec_a vars;
	int range_depth, stack_depth;
	int action_line; /* line of the "{{" being parsed, 0 outside actions */
	struct err *e;
};

/* tok_at clamps to the final EOF token, which repeats forever like go's lexer. */
static const struct tok *tok_at(struct parser *p, size_t i)
{
	if (i >= p->ntoks)
		i = p->ntoks - 1;
	if (i > p->hi)
		p->hi = i;
	return &p->toks[i];
}

static const struct tok *p_next(struct parser *p)
{
	return tok_at(p, p->i++);
}

static void p_backup(struct parser *p)
{
	p->i--;
}

static const struct tok *p_peek(struct parser *p)
{
	return tok_at(p, p->i);
}

static const struct tok *p_next_nonspace(struct parser *p)
{
	const struct tok *t;

	do
		t = p_next(p);
	while (t->kind == T_SPACE);
	return t;
}

static const struct tok *p_peek_nonspace(struct parser *p)
{
	const struct tok *t = p_next_nonspace(p);

	p_backup(p);
	return t;
}

/* p_errorf mirrors Tree.errorf: "template: main:LINE: msg". */
static int p_errorf(struct parser *p, const char *fmt, ...) PRINTF_LIKE(2, 3);
static int p_errorf(struct parser *p, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (err_isset(p->e))
		return -1;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	err_setf(p->e, "template: main:%d: %s", p->toks[p->hi < p->ntoks ? p->hi : p->ntoks - 1].line,
		 buf_cstr(&b));
	buf_release(&b);
	return -1;
}

/* tok_string mirrors lex.go item.String. */
static void tok_string(struct buf *b, const struct tok *t)
{
	size_t n = strlen(t->val);

	if (t->kind == T_EOF) {
		buf_adds(b, "EOF");
	} else if (t->kind == T_ERROR) {
		buf_adds(b, t->val);
	} else if (t->kind > T_KEYWORD) {
		buf_printf(b, "<%s>", t->val);
	} else if (n > 10) {
		/* %.10q quotes the first ten runes */
		size_t k = 0, runes = 0;
		while (k < n && runes < 10) {
			k++;
			while (k < n && ((unsigned char)t->val[k] & 0xC0) == 0x80)
				k++;
			runes++;
		}
		quoted_go_string(b, t->val, k);
		buf_adds(b, "...");
	} else {
		quoted_go_string(b, t->val, n);
	}
}

static int p_unexpected(struct parser *p, const struct tok *t, const char *context)
{
	struct buf b = BUF_INIT;

	tok_string(&b, t);
	if (t->kind == T_ERROR) {
		/* mirrors parse.go unexpected: name the line the action began on */
		if (p->action_line != 0 && p->action_line != t->line) {
			if (has_suffix(t->val, " action"))
				buf_printf(&b, " started at main:%d", p->action_line);
			else
				buf_printf(&b, " in action started at main:%d", p->action_line);
		}
		p_errorf(p, "%s", buf_cstr(&b));
	}
	else
		p_errorf(p, "unexpected %s in %s", buf_cstr(&b), context);
	buf_release(&b);
	return -1;
}

static struct node *new_node(struct parser *p, enum node_kind kind, size_t pos)
{
	struct node *n = arena_new(p->a, struct node);

	n->kind = kind;
	n->pos = pos;
	return n;
}

static struct node *p_pipeline(struct parser *p, const char *context, enum tok_kind end);
static struct node *p_item_list(struct parser *p, struct node **next);

/* unquote mirrors strconv.Unquote for "..." and `...`; NULL on bad syntax. */
static const char *unquote(struct arena *a, const char *q)
{
	size_t n = strlen(q);
	struct buf b = BUF_INIT;
	const char *ret = NULL;

	if (q[0] == '`') {
		for (size_t i = 1; i + 1 < n; i++)
			if (q[i] != '\r')
				buf_addch(&b, q[i]);
		ret = arena_strdup(a, buf_cstr(&b));
		goto out;
	}
	for (size_t i = 1; i + 1 < n; i++) {
		unsigned char c = (unsigned char)q[i];
		if (c != '\\') {
			buf_addch(&b, c);
			continue;
		}
		c = (unsigned char)q[++i];
		int hexn = 0;
		switch (c) {
		case 'a': buf_addch(&b, '\a'); break;
		case 'b': buf_addch(&b, '\b'); break;
		case 'f': buf_addch(&b, '\f'); break;
		case 'n': buf_addch(&b, '\n'); break;
		case 'r': buf_addch(&b, '\r'); break;
		case 't': buf_addch(&b, '\t'); break;
		case 'v': buf_addch(&b, '\v'); break;
		case '\\': buf_addch(&b, '\\'); break;
		case '"': buf_addch(&b, '"'); break;
		case 'x': hexn = 2; break;
		case 'u': hexn = 4; break;
		case 'U': hexn = 8; break;
		default:
			if (c >= '0' && c <= '7') {
				int v = 0;
				for (int k = 0; k < 3; k++, i++) {
					if (q[i] < '0' || q[i] > '7')
						goto out;
					v = v * 8 + (q[i] - '0');
				}
				i--;
				if (v > 255)
					goto out;
				buf_addch(&b, v);
				break;
			}
			goto out;
		}
		if (hexn) {
			unsigned long v = 0;
			for (int k = 0; k < hexn; k++) {
				unsigned char d = (unsigned char)q[++i];
				int dv = (d >= '0' && d <= '9') ? d - '0' : (d >= 'a' && d <= 'f') ? d - 'a' + 10 :
					 (d >= 'A' && d <= 'F') ? d - 'A' + 10 : -1;
				if (dv < 0 || i + 1 >= n)
					goto out;
				v = v * 16 + (unsigned long)dv;
			}
			if (hexn == 2) {
				buf_addch(&b, (int)v);
			} else {
				if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000))
					goto out;
				/* encode as UTF-8 */
				if (v < 0x80) {
					buf_addch(&b, (int)v);
				} else if (v < 0x800) {
					buf_addch(&b, (int)(0xC0 | (v >> 6)));
					buf_addch(&b, (int)(0x80 | (v & 0x3F)));
				} else if (v < 0x10000) {
					buf_addch(&b, (int)(0xE0 | (v >> 12)));
					buf_addch(&b, (int)(0x80 | ((v >> 6) & 0x3F)));
					buf_addch(&b, (int)(0x80 | (v & 0x3F)));
				} else {
					buf_addch(&b, (int)(0xF0 | (v >> 18)));
					buf_addch(&b, (int)(0x80 | ((v >> 12) & 0x3F)));
					buf_addch(&b, (int)(0x80 | ((v >> 6) & 0x3F)));
					buf_addch(&b, (int)(0x80 | (v & 0x3F)));
				}
			}
		}
	}
	ret = arena_strdup(a, buf_cstr(&b));
out:
	buf_release(&b);
	return ret;
}

static bool has_function(const char *name)
{
	for (size_t i = 0; i < countof(known_funcs); i++)
		if (strcmp(known_funcs[i], name) == 0)
			return true;
	return false;
}

/* p_term mirrors parse.go term; *none set when no term starts here. */
static struct node *p_term(struct parser *p, bool *none)
{
	const struct tok *t = p_next_nonspace(p);
	struct node *n;

	*none = false;
	switch (t->kind) {
	case T_IDENT:
		if (!has_function(t->val)) {
			p_errorf(p, "function \"%s\" not defined", t->val);
			return NULL;
		}
		n = new_node(p, N_IDENT, t->pos);
		n->text = t->val;
		return n;
	case T_DOT:
		return new_node(p, N_DOT, t->pos);
	case T_NIL:
		return new_node(p, N_NIL, t->pos);
	case T_VARIABLE:
		for (size_t i = 0; i < p->vars.n; i++) {
			if (strcmp(p->vars.v[i], t->val) == 0) {
				n = new_node(p, N_VARIABLE, t->pos);
				ident_push(p->a, &n->ident, t->val);
				return n;
			}
		}
		p_errorf(p, "undefined variable \"%s\"", t->val);
		return NULL;
	case T_FIELD:
		n = new_node(p, N_FIELD, t->pos);
		ident_push(p->a, &n->ident, t->val + 1);
		return n;
	case T_BOOL:
		n = new_node(p, N_BOOL, t->pos);
		n->bval = strcmp(t->val, "true") == 0;
		return n;
	case T_CHARCONST:
		p_errorf(p, "gotool: character constant %s in template is not supported", t->val);
		return NULL;
	case T_NUMBER: {
		const char *why, *txt = t->val;
		n = new_node(p, N_NUMBER, t->pos);
		n->text = txt;
		bool hex = strchr(txt, 'x') || strchr(txt, 'X');
		/* Floats and complex numbers are outside the subset. */
		if (txt[strlen(txt) - 1] == 'i' || strpbrk(txt, ".pP") || (!hex && strpbrk(txt, "eE"))) {
			p_errorf(p, "gotool: number %s in template is not supported", txt);
			return NULL;
		}
		if (flag_parse_int64(txt, &n->ival, &why) == 0)
			return n;
		/* mirrors parse/node.go newNumber: a plain decimal that
		 * strconv.ParseFloat takes is an "integer overflow" */
		const char *d = txt + (txt[0] == '+' || txt[0] == '-');
		bool decimal = *d != '\0', us = false, prev_digit = false;
		for (; *d; d++) {
			if (*d == '_') {
				if (!prev_digit)
					decimal = false;
				prev_digit = false;
				us = true;
			} else if (*d >= '0' && *d <= '9') {
				prev_digit = true;
			} else {
				decimal = false;
			}
		}
		if (us && !prev_digit)
			decimal = false;
		if (decimal && txt[0] != '-' && strcmp(why, "value out of range") == 0) {
			/* fits uint64?  ParseUint succeeds: exec says "overflows int" */
			uint64_t u = 0;
			bool over = false;
			for (d = txt + (txt[0] == '+'); *d; d++) {
				if (*d == '_')
					continue;
				if (u > (UINT64_MAX - (uint64_t)(*d - '0')) / 10)
					over = true;
				u = u * 10 + (uint64_t)(*d - '0');
			}
			if (!over) {
				n->uint_overflow = true;
				return n;
			}
		}
		struct buf q = BUF_INIT;
		quoted_go_string(&q, txt, strlen(txt));
		p_errorf(p, "%s: %s", decimal ? "integer overflow" : "illegal number syntax", buf_cstr(&q));
		buf_release(&q);
		return NULL;
	}
	case T_LPAREN:
		if (p->stack_depth >= 10000) {
			p_errorf(p, "max expression depth exceeded");
			return NULL;
		}
		p->stack_depth++;
		n = p_pipeline(p, "parenthesized pipeline", T_RPAREN);
		p->stack_depth--;
		return n;
	case T_STRING:
	case T_RAWSTRING:
		n = new_node(p, N_STRING, t->pos);
		n->text = t->val;
		n->sval = unquote(p->a, t->val);
		if (n->sval == NULL) {
			p_errorf(p, "invalid syntax");
			return NULL;
		}
		return n;
	default:
		break;
	}
	p_backup(p);
	*none = true;
	return NULL;
}

/* p_operand mirrors parse.go operand: a term and any .Field chain after it. */
static struct node *p_operand(struct parser *p, bool *none)
{
	struct node *n = p_term(p, none), *chain;

	if (n == NULL)
		return NULL;
	if (p_peek(p)->kind != T_FIELD)
		return n;
	chain = new_node(p, N_CHAIN, p_peek(p)->pos);
	chain->base = n;
	while (p_peek(p)->kind == T_FIELD)
		ident_push(p->a, &chain->ident, p_next(p)->val + 1);
	switch (n->kind) {
	case N_FIELD:
	case N_VARIABLE:
		/* .A.B and $x.A collapse into one node at the chain's position */
		for (size_t i = 0; i < chain->ident.n; i++)
			ident_push(p->a, &n->ident, chain->ident.v[i]);
		n->pos = chain->pos;
		return n;
	case N_BOOL:
	case N_STRING:
	case N_NUMBER:
	case N_NIL:
	case N_DOT: {
		struct buf b = BUF_INIT;
		struct buf q = BUF_INIT;
		node_string(&b, n);
		quoted_go_string(&q, b.data, b.len);
		p_errorf(p, "unexpected . after term %s", buf_cstr(&q));
		buf_release(&b);
		buf_release(&q);
		return NULL;
	}
	default:
		return chain;
	}
}

static struct node *p_command(struct parser *p)
{
	struct node *cmd = new_node(p, N_COMMAND, p_peek_nonspace(p)->pos);

	for (;;) {
		bool none;
		p_peek_nonspace(p);
		struct node *op = p_operand(p, &none);
		if (op == NULL && !none)
			return NULL;
		if (op)
			nodevec_push(p->a, &cmd->items, op);
		const struct tok *t = p_next(p);
		if (t->kind == T_SPACE)
			continue;
		if (t->kind == T_RIGHT || t->kind == T_RPAREN) {
			p_backup(p);
		} else if (t->kind != T_PIPE) {
			p_unexpected(p, t, "operand");
			return NULL;
		}
		break;
	}
	if (cmd->items.n == 0) {
		p_errorf(p, "empty command");
		return NULL;
	}
	return cmd;
}

static void declare(struct parser *p, struct node *pipe, const struct tok *v)
{
	struct node *n = new_node(p, N_VARIABLE, v->pos);

	ident_push(p->a, &n->ident, v->val);
	nodevec_push(p->a, &pipe->decl, n);
	ident_push(p->a, &p->vars, v->val);
}

/* p_pipeline mirrors parse.go pipeline and checkPipeline. */
static struct node *p_pipeline(struct parser *p, const char *context, enum tok_kind end)
{
	struct node *pipe = new_node(p, N_PIPE, p_peek_nonspace(p)->pos);

decls:
	if (p_peek_nonspace(p)->kind == T_VARIABLE) {
		size_t at = p->i;
		const struct tok *v = p_next(p);
		const struct tok *after = p_peek(p);
		const struct tok *next = p_peek_nonspace(p);
		if (next->kind == T_ASSIGN || next->kind == T_DECLARE) {
			pipe->is_assign = next->kind == T_ASSIGN;
			p_next_nonspace(p);
			declare(p, pipe, v);
		} else if (next->kind == T_CHAR && strcmp(next->val, ",") == 0) {
			p_next_nonspace(p);
			declare(p, pipe, v);
			if (strcmp(context, "range") == 0 && pipe->decl.n < 2) {
				enum tok_kind k = p_peek_nonspace(p)->kind;
				if (k == T_VARIABLE || k == T_RIGHT || k == T_RPAREN)
					goto decls;
				p_errorf(p, "range can only initialize variables");
				return NULL;
			}
			p_errorf(p, "too many declarations in %s", context);
			return NULL;
		} else {
			(void)after;
			p->i = at;
		}
	}
	for (;;) {
		const struct tok *t = p_next_nonspace(p);
		if (t->kind == end) {
			if (pipe->items.n == 0) {
				p_errorf(p, "missing value for %s", context);
				return NULL;
			}
			for (size_t i = 1; i < pipe->items.n; i++) {
				enum node_kind k = pipe->items.v[i]->items.v[0]->kind;
				if (k == N_BOOL || k == N_DOT || k == N_NIL || k == N_NUMBER || k == N_STRING) {
					p_errorf(p, "non executable command in pipeline stage %zu", i + 1);
					return NULL;
				}
			}
			return pipe;
		}
		switch (t->kind) {
		case T_BOOL: case T_CHARCONST: case T_DOT: case T_FIELD: case T_IDENT: case T_NUMBER:
		case T_NIL: case T_RAWSTRING: case T_STRING: case T_VARIABLE: case T_LPAREN: {
			p_backup(p);
			struct node *cmd = p_command(p);
			if (cmd == NULL)
				return NULL;
			nodevec_push(p->a, &pipe->items, cmd);
			break;
		}
		default:
			p_unexpected(p, t, context);
			return NULL;
		}
	}
}

static struct node *p_control(struct parser *p, enum node_kind kind, const char *context);

/* p_action mirrors parse.go action, after "{{". */
static struct node *p_action(struct parser *p)
{
	const struct tok *t = p_next_nonspace(p);
	struct node *n;

	switch (t->kind) {
	case T_BLOCK:
	case T_TEMPLATE:
	case T_DEFINE:
		p_errorf(p, "gotool: {{%s}} is not supported in templates", t->val);
		return NULL;
	case T_BREAK:
	case T_CONTINUE: {
		const struct tok *r = p_next_nonspace(p);
		const char *what = t->kind == T_BREAK ? "{{break}}" : "{{continue}}";
		if (r->kind != T_RIGHT) {
			p_unexpected(p, r, what);
			return NULL;
		}
		if (p->range_depth == 0) {
			p_errorf(p, "%s outside {{range}}", what);
			return NULL;
		}
		return new_node(p, t->kind == T_BREAK ? N_BREAK : N_CONTINUE, t->pos);
	}
	case T_ELSE: {
		const struct tok *pk = p_peek_nonspace(p);
		if (pk->kind == T_IF || pk->kind == T_WITH)
			return new_node(p, N_ELSE, pk->pos);
		const struct tok *r = p_next(p);
		if (r->kind != T_RIGHT) {
			p_unexpected(p, r, "else");
			return NULL;
		}
		return new_node(p, N_ELSE, r->pos);
	}
	case T_END: {
		const struct tok *r = p_next_nonspace(p);
		if (r->kind != T_RIGHT) {
			p_unexpected(p, r, "end");
			return NULL;
		}
		return new_node(p, N_END, r->pos);
	}
	case T_IF:
		return p_control(p, N_IF, "if");
	case T_RANGE:
		return p_control(p, N_RANGE, "range");
	case T_WITH:
		return p_control(p, N_WITH, "with");
	default:
		break;
	}
	p_backup(p);
	n = new_node(p, N_ACTION, p_peek(p)->pos);
	n->pipe = p_pipeline(p, "command", T_RIGHT);
	return n->pipe ? n : NULL;
}

/* p_control mirrors parse.go parseControl for if, range and with. */
static struct node *p_control(struct parser *p, enum node_kind kind, const char *context)
{
	size_t nvars = p->vars.n;
	struct node *n = NULL, *next = NULL, *pipe;

	pipe = p_pipeline(p, context, T_RIGHT);
	if (pipe == NULL)
		goto out;
	n = new_node(p, kind, pipe->pos);
	n->pipe = pipe;
	if (kind == N_RANGE)
		p->range_depth++;
	n->list = p_item_list(p, &next);
	if (kind == N_RANGE)
		p->range_depth--;
	if (n->list == NULL) {
		n = NULL;
		goto out;
	}
	if (next->kind == N_ELSE) {
		enum tok_kind pk = p_peek(p)->kind;
		if ((kind == N_IF && pk == T_IF) || (kind == N_WITH && pk == T_WITH)) {
			p_next(p);
			n->elselist = new_node(p, N_LIST, next->pos);
			struct node *inner = p_control(p, kind, context);
			if (inner == NULL) {
				n = NULL;
				goto out;
			}
			nodevec_push(p->a, &n->elselist->items, inner);
		} else {
			n->elselist = p_item_list(p, &next);
			if (n->elselist == NULL) {
				n = NULL;
				goto out;
			}
			if (next->kind != N_END) {
				struct buf b = BUF_INIT;
				node_string(&b, next);
				p_errorf(p, "expected end; found %s", buf_cstr(&b));
				buf_release(&b);
				n = NULL;
				goto out;
			}
		}
	}
out:
	p->vars.n = nvars;
	return n;
}

/* p_text_or_action mirrors parse.go textOrAction. */
static struct node *p_text_or_action(struct parser *p)
{
	const struct tok *t = p_next_nonspace(p);
	struct node *n;

	if (t->kind == T_TEXT) {
		n = new_node(p, N_TEXT, t->pos);
		n->text = t->val;
		n->len = strlen(t->val);
		return n;
	}
	if (t->kind == T_LEFT) {
		p->action_line = t->line;
		n = p_action(p);
		p->action_line = 0;
		return n;
	}
	p_unexpected(p, t, "input");
	return NULL;
}

/* p_item_list mirrors parse.go itemList: nodes up to {{end}} or {{else}}. */
static struct node *p_item_list(struct parser *p, struct node **next)
{
	struct node *list = new_node(p, N_LIST, p_peek_nonspace(p)->pos);

	while (p_peek_nonspace(p)->kind != T_EOF) {
		struct node *n = p_text_or_action(p);
		if (n == NULL)
			return NULL;
		if (n->kind == N_END || n->kind == N_ELSE) {
			*next = n;
			return list;
		}
		nodevec_push(p->a, &list->items, n);
	}
	p_errorf(p, "unexpected EOF");
	return NULL;
}

/* tmpl_parse mirrors template.New("main").Parse(text) (go1.26). */
int tmpl_parse(struct arena *a, const char *text, struct tmpl **out, struct err *e)
{
	struct lexer l = {0};
	struct parser p = {0};
	struct tmpl *t;
	int ret = -1;

	l.a = a;
	l.text = arena_strdup(a, text);
	l.n = strlen(text);
	lex_all(&l);
	/* The lexer stops at an error token; the parser meets it in order. */
	if (l.toks.v[l.toks.n - 1].kind != T_EOF) {
		struct tok eof = {T_EOF, l.toks.v[l.toks.n - 1].pos, "", l.toks.v[l.toks.n - 1].line};
		VEC_PUSH(&l.toks, eof);
	}
	p.a = a;
	p.toks = l.toks.v;
	p.ntoks = l.toks.n;
	p.e = e;
	ident_push(a, &p.vars, "$");
	t = arena_new(a, struct tmpl);
	t->text = l.text;
	t->root = new_node(&p, N_LIST, 0);
	while (p_peek(&p)->kind != T_EOF) {
		struct node *n = p_text_or_action(&p);
		if (n == NULL)
			goto out;
		if (n->kind == N_END || n->kind == N_ELSE) {
			struct buf b = BUF_INIT;
			node_string(&b, n);
			p_errorf(&p, "unexpected %s", buf_cstr(&b));
			buf_release(&b);
			goto out;
		}
		nodevec_push(a, &t->root->items, n);
	}
	*out = t;
	ret = 0;
out:
	VEC_FREE(&l.toks);
	return ret;
}

/* ---- execution (exec.go, funcs.go) -------------------------------------- */

/* Results of walking: 0 ok, -1 error (e set), or break/continue unwinding. */
enum { W_OK = 0, W_ERR = -1, W_BREAK = 1, W_CONTINUE = 2 };

struct var {
	const char *name;
	const struct val *v;
};

struct state {
	const struct tmpl *t;
	struct arena a; /* values made while executing */
	struct buf *out;
	const struct tmpl_funcs *funcs;
	const struct node *at; /* the node errors are reported at (s.at in exec.go) */
	VEC(struct var) vars;
	struct err *e;
	/* the command a field chain ends in (eval_command): its dot and
	 * nodes, for a method's arguments; taken by eval_field_chain */
	const struct val *call_dot;
	const struct node *const *call_args;
};

/* "missing" marks an absent pipeline value (exec.go missingVal); NULL
 * stands for an invalid reflect.Value (no value). */
static const struct val missing_val;
#define MISSING (&missing_val)

/* s_errorf mirrors state.errorf: location and context of the current node. */
static int s_errorf(struct state *s, const char *fmt, ...) PRINTF_LIKE(2, 3);
static int s_errorf(struct state *s, const char *fmt, ...)
{
	struct buf msg = BUF_INIT, ctx = BUF_INIT;
	va_list ap;

	if (err_isset(s->e))
		return W_ERR;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (s->at == NULL) {
		err_setf(s->e, "template: main: %s", buf_cstr(&msg));
	} else {
		size_t pos = s->at->pos, col = pos;
		const char *text = s->t->text;
		for (size_t i = pos; i > 0; i--) {
			if (text[i - 1] == '\n') {
				col = pos - i;
				break;
			}
		}
		node_string(&ctx, s->at);
		err_setf(s->e, "template: main:%d:%zu: executing \"main\" at <%s>: %s", line_at(text, pos), col,
			 buf_cstr(&ctx), buf_cstr(&msg));
	}
	buf_release(&msg);
	buf_release(&ctx);
	return W_ERR;
}

/* type_name is the Go type name of v, as reflect's Type.String prints it. */
static const char *type_name(const struct val *v)
{
	if (v == NULL)
		return "<nil>";
	if (v->type)
		return v->type;
	switch (v->kind) {
	case VAL_NIL: return "interface {}";
	case VAL_BOOL: return "bool";
	case VAL_INT: return "int";
	case VAL_STRING: return "string";
	case VAL_LIST: return "[]string";
	case VAL_MAP: return "map[string]string";
	case VAL_STRUCT: return "struct";
	}
	return "?";
}

static bool nil_is_slice(const struct val *v)
{
	return v->type && has_prefix(v->type, "[]");
}

static bool nil_is_map(const struct val *v)
{
	return v->type && has_prefix(v->type, "map[");
}

/* is_true mirrors exec.go isTrue. */
static bool is_true(const struct val *v)
{
	if (v == NULL)
		return false;
	switch (v->kind) {
	case VAL_NIL: return false;
	case VAL_BOOL: return v->b;
	case VAL_INT: return v->i != 0;
	case VAL_STRING: return v->s[0] != '\0';
	case VAL_LIST: return v->items.n > 0;
	case VAL_MAP: return v->fields.n > 0;
	case VAL_STRUCT: return true;
	}
	return false;
}

/* ---- fmt ---------------------------------------------------------------- */

/* A printf directive: flags, width and precision (-1 when absent). */
struct fmtspec {
	char verb;
	bool minus, zero, plus, sharp, space;
	int width, prec;
};

static void pad(struct buf *b, const struct fmtspec *f, const char *s, size_t n)
{
	size_t runes = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			runes++;
	if (f->width < 0 || runes >= (size_t)f->width) {
		buf_add(b, s, n);
		return;
	}
	size_t fill = (size_t)f->width - runes;
	if (f->minus) {
		buf_add(b, s, n);
		for (size_t i = 0; i < fill; i++)
			buf_addch(b, ' ');
		return;
	}
	/* zero padding goes after the sign for numbers */
	if (f->zero && f->verb != 's' && f->verb != 'q' && n > 0 && (s[0] == '-' || s[0] == '+')) {
		buf_addch(b, s[0]);
		s++;
		n--;
	}
	for (size_t i = 0; i < fill; i++)
		buf_addch(b, f->zero ? '0' : ' ');
	buf_add(b, s, n);
}

static int fmt_value(struct state *s, struct buf *b, const struct val *v, const struct fmtspec *f, int depth);

static void fmt_bad_verb(struct state *s, struct buf *b, const struct val *v, char verb)
{
	struct fmtspec pv = {'v', false, false, false, false, false, -1, -1};

	buf_printf(b, "%%!%c(", verb);
	if (v == NULL) {
		buf_adds(b, "<nil>");
	} else {
		buf_printf(b, "%s=", type_name(v));
		fmt_value(s, b, v, &pv, 0);
	}
	buf_addch(b, ')');
}

static int fmt_string(struct state *s, struct buf *b, const struct val *v, const struct fmtspec *f)
{
	const char *str = v->s;
	size_t n = strlen(str);
	struct buf t = BUF_INIT;

	switch (f->verb) {
	case 'v':
	case 's':
		if (f->prec >= 0) {
			size_t k = 0;
			for (int r = 0; k < n && r < f->prec; r++) {
				k++;
				while (k < n && ((unsigned char)str[k] & 0xC0) == 0x80)
					k++;
			}
			n = k;
		}
		pad(b, f, str, n);
		break;
	case 'q':
		if (f->sharp || f->plus || f->prec >= 0) {
			buf_release(&t);
			return s_errorf(s, "gotool: printf %%q flags are not supported");
		}
		quoted_go_string(&t, str, n);
		pad(b, f, t.data, t.len);
		break;
	case 'x':
	case 'X':
		if (f->sharp || f->space || f->prec >= 0) {
			buf_release(&t);
			return s_errorf(s, "gotool: printf %%%c flags are not supported", f->verb);
		}
		for (size_t i = 0; i < n; i++)
			buf_printf(&t, f->verb == 'x' ? "%02x" : "%02X", (unsigned char)str[i]);
		pad(b, f, t.data, t.len);
		break;
	default:
		fmt_bad_verb(s, b, v, f->verb);
	}
	buf_release(&t);
	return 0;
}

static int fmt_int(struct state *s, struct buf *b, const struct val *v, const struct fmtspec *f)
{
	struct buf t = BUF_INIT;
	int64_t i = v->i;
	uint64_t u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;

	if (f->prec >= 0 || f->sharp || f->space) {
		buf_release(&t);
		return s_errorf(s, "gotool: printf flags on integers are not supported");
	}
	switch (f->verb) {
	case 'v':
	case 'd':
		buf_printf(&t, "%s%llu", i < 0 ? "-" : f->plus ? "+" : "", (unsigned long long)u);
		break;
	case 'x':
	case 'X':
		buf_printf(&t, f->verb == 'x' ? "%s%llx" : "%s%llX", i < 0 ? "-" : f->plus ? "+" : "",
			   (unsigned long long)u);
		break;
	default:
		fmt_bad_verb(s, b, v, f->verb);
		buf_release(&t);
		return 0;
	}
	pad(b, f, t.data, t.len);
	buf_release(&t);
	return 0;
}

/*
 * fmt_value prints v like fmt's printValue with verb f->verb at depth:
 * error_text (Error/String methods) first, then by kind.
 */
static int fmt_value(struct state *s, struct buf *b, const struct val *v, const struct fmtspec *f, int depth)
{
	if (f->verb == 'T') {
		const char *tn = type_name(v);
		pad(b, f, tn, strlen(tn));
		return 0;
	}
	if (v != NULL && v->kind == VAL_NIL && v->error_text != NULL) {
		/* fmt catches the nil Stringer's panic and prints <nil> */
		pad(b, f, "<nil>", 5);
		return 0;
	}
	if (v == NULL || (v->kind == VAL_NIL && !nil_is_slice(v) && !nil_is_map(v))) {
		/* nil interface or nil pointer */
		if (f->verb == 'v' || (v == NULL && f->verb == 's')) {
			if (v == NULL && f->verb == 's')
				buf_adds(b, "%!s(<nil>)");
			else
				pad(b, f, "<nil>", 5);
			return 0;
		}
		if (v == NULL) {
			buf_printf(b, "%%!%c(<nil>)", f->verb);
			return 0;
		}
		return s_errorf(s, "gotool: printf %%%c of a nil %s is not supported", f->verb, type_name(v));
	}
	if (v->error_text != NULL) {
		struct val tv = {0};
		if (f->verb != 'v' && f->verb != 's' && f->verb != 'q' && f->verb != 'x' && f->verb != 'X') {
			fmt_bad_verb(s, b, v, f->verb);
			return 0;
		}
		tv.kind = VAL_STRING;
		tv.s = v->error_text;
		return fmt_string(s, b, &tv, f);
	}
	switch (v->kind) {
	case VAL_NIL:
		if (nil_is_slice(v))
			buf_adds(b, "[]");
		else
			buf_adds(b, "map[]");
		return 0;
	case VAL_BOOL:
		if (f->verb == 'v' || f->verb == 't')
			pad(b, f, v->b ? "true" : "false", v->b ? 4 : 5);
		else
			fmt_bad_verb(s, b, v, f->verb);
		return 0;
	case VAL_INT:
		return fmt_int(s, b, v, f);
	case VAL_STRING:
		return fmt_string(s, b, v, f);
	case VAL_LIST:
		if (f->verb == 'x' || f->verb == 'X')
			return s_errorf(s, "gotool: printf %%%c of a slice is not supported", f->verb);
		buf_addch(b, '[');
		for (size_t i = 0; i < v->items.n; i++) {
			if (i > 0)
				buf_addch(b, ' ');
			if (fmt_value(s, b, v->items.v[i], f, depth + 1) < 0)
				return W_ERR;
		}
		buf_addch(b, ']');
		return 0;
	case VAL_MAP: {
		const struct val_field **keys = NULL;
		int rc = 0;
		if (f->verb == 'x' || f->verb == 'X')
			return s_errorf(s, "gotool: printf %%%c of a map is not supported", f->verb);
		keys = xreallocarray(NULL, v->fields.n ? v->fields.n : 1, sizeof(*keys));
		for (size_t i = 0; i < v->fields.n; i++)
			keys[i] = &v->fields.v[i];
		/* fmt sorts map keys (internal/fmtsort): strings bytewise */
		for (size_t i = 1; i < v->fields.n; i++)
			for (size_t j = i; j > 0 && strcmp(keys[j - 1]->name, keys[j]->name) > 0; j--) {
				const struct val_field *tmp = keys[j];
				keys[j] = keys[j - 1];
				keys[j - 1] = tmp;
			}
		buf_adds(b, "map[");
		for (size_t i = 0; i < v->fields.n && rc == 0; i++) {
			struct val k = {0};
			if (i > 0)
				buf_addch(b, ' ');
			k.kind = VAL_STRING;
			k.s = keys[i]->name;
			rc = fmt_value(s, b, &k, f, depth + 1);
			buf_addch(b, ':');
			if (rc == 0)
				rc = fmt_value(s, b, keys[i]->v, f, depth + 1);
		}
		buf_addch(b, ']');
		free(keys);
		return rc;
	}
	case VAL_STRUCT:
		if (v->is_ptr && depth > 0)
			return s_errorf(s, "gotool: printing a pointer (%s) inside a value is not supported",
					type_name(v));
		if (f->verb == 'x' || f->verb == 'X')
			return s_errorf(s, "gotool: printf %%%c of a struct is not supported", f->verb);
		if (f->plus || f->sharp)
			return s_errorf(s, "gotool: printf %%+v and %%#v of a struct are not supported");
		if (v->is_ptr)
			buf_addch(b, '&');
		buf_addch(b, '{');
		for (size_t i = 0; i < v->fields.n; i++) {
			if (i > 0)
				buf_addch(b, ' ');
			if (fmt_value(s, b, v->fields.v[i].v, f, depth + 1) < 0)
				return W_ERR;
		}
		buf_addch(b, '}');
		return 0;
	}
	return 0;
}

static const struct fmtspec plain_v = {'v', false, false, false, false, false, -1, -1};

/* fmt_sprint mirrors fmt.Sprint / Sprintln over args. */
static int fmt_sprint(struct state *s, struct buf *b, const struct val **args, size_t n, bool ln)
{
	for (size_t i = 0; i < n; i++) {
		bool is_str = args[i] && args[i]->kind == VAL_STRING && !args[i]->error_text;
		bool prev_str = i > 0 && args[i - 1] && args[i - 1]->kind == VAL_STRING && !args[i - 1]->error_text;
		if (i > 0 && (ln || (!is_str && !prev_str)))
			buf_addch(b, ' ');
		if (fmt_value(s, b, args[i], &plain_v, 0) < 0)
			return W_ERR;
	}
	if (ln)
		buf_addch(b, '\n');
	return 0;
}

/* fmt_sprintf mirrors fmt.Sprintf for the verbs v s d q t x X T and %%. */
static int fmt_sprintf(struct state *s, struct buf *b, const char *format, const struct val **args, size_t n)
{
	size_t argi = 0;
	const char *p = format;

	while (*p) {
		if (*p != '%') {
			buf_addch(b, *p++);
			continue;
		}
		p++;
		struct fmtspec f = {0, false, false, false, false, false, -1, -1};
		for (;; p++) {
			if (*p == '-')
				f.minus = true;
			else if (*p == '0')
				f.zero = !f.minus;
			else if (*p == '+')
				f.plus = true;
			else if (*p == '#')
				f.sharp = true;
			else if (*p == ' ')
				f.space = true;
			else
				break;
		}
		if (*p == '*' || *p == '[')
			return s_errorf(s, "gotool: printf argument indexes and '*' widths are not supported");
		if (*p >= '0' && *p <= '9') {
			f.width = 0;
			while (*p >= '0' && *p <= '9' && f.width < 100000)
				f.width = f.width * 10 + (*p++ - '0');
		}
		if (*p == '.') {
			p++;
			if (*p == '*')
				return s_errorf(s, "gotool: printf '*' precisions are not supported");
			f.prec = 0;
			while (*p >= '0' && *p <= '9' && f.prec < 100000)
				f.prec = f.prec * 10 + (*p++ - '0');
		}
		if (*p == '\0') {
			buf_adds(b, "%!(NOVERB)");
			break;
		}
		if ((unsigned char)*p >= 0x80)
			return s_errorf(s, "gotool: printf non-ASCII verbs are not supported");
		f.verb = *p++;
		if (f.verb == '%') {
			buf_addch(b, '%');
			continue;
		}
		if (argi >= n) {
			buf_printf(b, "%%!%c(MISSING)", f.verb);
			continue;
		}
		if (!strchr("vsdqtxXT", f.verb)) {
			fmt_bad_verb(s, b, args[argi++], f.verb);
			continue;
		}
		if (fmt_value(s, b, args[argi++], &f, 0) < 0)
			return W_ERR;
	}
	if (argi < n) {
		buf_adds(b, "%!(EXTRA ");
		for (size_t i = argi; i < n; i++) {
			if (i > argi)
				buf_adds(b, ", ");
			if (args[i] == NULL) {
				buf_adds(b, "<nil>");
				continue;
			}
			buf_printf(b, "%s=", type_name(args[i]));
			if (fmt_value(s, b, args[i], &plain_v, 0) < 0)
				return W_ERR;
		}
		buf_addch(b, ')');
	}
	return 0;
}

/* ---- evaluation --------------------------------------------------------- */

static struct val *mk(struct state *s, enum val_kind k)
{
	struct val *v = arena_new(&s->a, struct val);

	v->kind = k;
	v->arena = &s->a;
	return v;
}

static const struct val *mk_bool(struct state *s, bool b)
{
	struct val *v = mk(s, VAL_BOOL);

	v->b = b;
	return v;
}

static const struct val *mk_int(struct state *s, int64_t i)
{
	struct val *v = mk(s, VAL_INT);

	v->i = i;
	return v;
}

static const struct val *mk_string(struct state *s, const char *str)
{
	struct val *v = mk(s, VAL_STRING);

	v->s = arena_strdup(&s->a, str);
	return v;
}

static int eval_pipeline(struct state *s, const struct val *dot, const struct node *pipe, const struct val **out);
static int eval_arg(struct state *s, const struct val *dot, const struct node *n, const struct val **out);

static const struct val *var_value(struct state *s, const char *name)
{
	for (size_t i = s->vars.n; i > 0; i--)
		if (strcmp(s->vars.v[i - 1].name, name) == 0)
			return s->vars.v[i - 1].v;
	return NULL;
}

static int not_a_function(struct state *s, const struct node *cmd_args0, size_t nargs, const struct val *final)
{
	if (nargs > 1 || final != MISSING) {
		struct buf b = BUF_INIT;
		node_string(&b, cmd_args0);
		s_errorf(s, "can't give argument to non-function %s", buf_cstr(&b));
		buf_release(&b);
		return W_ERR;
	}
	return 0;
}

/* eval_field mirrors exec.go evalField for struct fields and map keys. */
static int eval_field(struct state *s, const char *name, bool has_args, const struct val *recv,
		      const struct val **out)
{
	if (recv == NULL) {
		*out = NULL; /* a field of no value is no value */
		return 0;
	}
	if (recv->kind == VAL_NIL) {
		if (nil_is_slice(recv) || nil_is_map(recv)) {
			if (nil_is_map(recv)) {
				if (has_args)
					return s_errorf(s, "%s is not a method but has arguments", name);
				*out = NULL;
				return 0;
			}
			return s_errorf(s, "can't evaluate field %s in type %s", name, type_name(recv));
		}
		return s_errorf(s, "nil pointer evaluating %s.%s", type_name(recv), name);
	}
	if (recv->kind == VAL_STRUCT) {
		for (size_t i = 0; i < recv->fields.n; i++) {
			if (strcmp(recv->fields.v[i].name, name) == 0) {
				if (has_args)
					return s_errorf(s, "%s has arguments but cannot be invoked as function", name);
				*out = recv->fields.v[i].v;
				return 0;
			}
		}
		/* ModulePublic's String method (go list -m -f '{{.String}}') */
		if (strcmp(name, "String") == 0 && recv->type && strcmp(recv->type, "*modinfo.ModulePublic") == 0 &&
		    recv->error_text) {
			if (has_args)
				return s_errorf(s, "wrong number of args for %s: want 0 got 1", name);
			*out = val_string(&s->a, recv->error_text);
			return 0;
		}
	} else if (recv->kind == VAL_MAP) {
		if (has_args)
			return s_errorf(s, "%s is not a method but has arguments", name);
		*out = val_lookup(recv, name);
		return 0;
	}
	return s_errorf(s, "can't evaluate field %s in type %s", name, type_name(recv));
}

static bool is_time(const struct val *v)
{
	return v && v->kind == VAL_STRING && v->type && strcmp(v->type, "*time.Time") == 0;
}

/* time_method calls a method of a *time.Time (list -m's Time): Format,
 * String, Unix.  args are the command's nodes (args[0] the field); final,
 * when not MISSING, is the last argument. */
static int time_method(struct state *s, const char *name, const struct val *recv, const struct val *dot,
		       const struct node *const *args, size_t nargs, const struct val *final, const struct val **out)
{
	size_t got = (nargs > 0 ? nargs - 1 : 0) + (final != MISSING);
	size_t want = strcmp(name, "Format") == 0 ? 1 : 0;
	struct gotime t;
	struct buf b = BUF_INIT;

	static const char *const other[] = {
		"Add", "AddDate", "After", "AppendBinary", "AppendFormat", "AppendText", "Before", "Clock", "Compare",
		"Date", "Equal", "GoString", "GobEncode", "ISOWeek", "In", "IsDST", "Local", "Location", "MarshalBinary",
		"MarshalJSON", "MarshalText", "Month", "Round", "Sub", "Truncate", "UTC", "Weekday", "Zone", "ZoneBounds",
	};
	static const char *const ints[] = {"Year", "Day", "Hour", "Minute", "Second", "Nanosecond", "YearDay", "Unix",
					   "UnixMilli", "UnixMicro", "UnixNano"};
	bool is_int = false;

	for (size_t i = 0; i < countof(other); i++)
		if (strcmp(name, other[i]) == 0)
			return s_errorf(s, "gotool: the time.Time method %s is not supported yet", name);
	for (size_t i = 0; i < countof(ints); i++)
		is_int = is_int || strcmp(name, ints[i]) == 0;
	if (strcmp(name, "Format") != 0 && strcmp(name, "String") != 0 && strcmp(name, "IsZero") != 0 && !is_int)
		return s_errorf(s, "can't evaluate field %s in type *time.Time", name);
	if (got != want)
		return s_errorf(s, "wrong number of args for %s: want %zu got %zu", name, want, got);
	if (gotime_parse_rfc3339(recv->s, &t) < 0)
		return s_errorf(s, "gotool: time %s is not RFC 3339", recv->s);
	if (strcmp(name, "IsZero") == 0) {
		*out = val_bool(&s->a, t.year == 1 && t.month == 1 && t.day == 1 && t.hour == 0 && t.min == 0 &&
					       t.sec == 0 && t.nsec == 0 && t.offset == 0);
		return 0;
	}
	if (is_int) {
		long long u = gotime_unix(&t), v;
		if (strcmp(name, "Year") == 0) v = t.year;
		else if (strcmp(name, "Day") == 0) v = t.day;
		else if (strcmp(name, "Hour") == 0) v = t.hour;
		else if (strcmp(name, "Minute") == 0) v = t.min;
		else if (strcmp(name, "Second") == 0) v = t.sec;
		else if (strcmp(name, "Nanosecond") == 0) v = t.nsec;
		else if (strcmp(name, "YearDay") == 0) v = gotime_yday(&t);
		else if (strcmp(name, "Unix") == 0) v = u;
		else if (strcmp(name, "UnixMilli") == 0) v = u * 1000 + t.nsec / 1000000;
		else if (strcmp(name, "UnixMicro") == 0) v = u * 1000000 + t.nsec / 1000;
		else v = u * 1000000000LL + t.nsec;
		*out = val_int(&s->a, v);
		return 0;
	}
	if (want) {
		const struct val *lv = final;
		if (final == MISSING && eval_arg(s, dot, args[1], &lv) < 0)
			return W_ERR;
		if (!lv || lv->kind != VAL_STRING || lv->error_text) {
			/* evalArg's error for a constant, at the argument */
			if (final == MISSING && args[1]->kind == N_NUMBER) {
				s->at = args[1];
				return s_errorf(s, "expected string; found %s", args[1]->text);
			}
			return s_errorf(s, "wrong type for value; expected string; got %s", type_name(lv));
		}
		gotime_format(&b, &t, lv->s);
	} else {
		gotime_string(&b, &t);
	}
	*out = val_string(&s->a, arena_strdup(&s->a, buf_cstr(&b)));
	buf_release(&b);
	return 0;
}

static int eval_field_chain(struct state *s, const struct val *recv, const char *const *idents, size_t n,
			    size_t nargs, const struct val *final, const struct val **out)
{
	const struct val *cdot = s->call_dot;
	const struct node *const *cargs = s->call_args;

	s->call_dot = NULL;
	s->call_args = NULL;
	for (size_t i = 0; i < n; i++) {
		bool last = i == n - 1, has_args = last && (nargs > 1 || final != MISSING);
		if (is_time(recv)) {
			if (has_args && !cargs && nargs > 1)
				return s_errorf(s, "gotool: arguments to %s here are not supported", idents[i]);
			if (time_method(s, idents[i], recv, cdot, cargs, last ? nargs : 1, last ? final : MISSING,
					&recv) < 0)
				return W_ERR;
			continue;
		}
		if (eval_field(s, idents[i], has_args, recv, &recv) < 0)
			return W_ERR;
	}
	*out = recv;
	return 0;
}

/* Builtins whose arguments are interface{}/reflect.Value, and their arity. */
static const struct {
	const char *name;
	int min, max; /* max -1: variadic */
} func_arity[] = {
	{"and", 1, -1}, {"or", 1, -1}, {"not", 1, 1}, {"len", 1, 1}, {"index", 1, -1},
	{"print", 0, -1}, {"printf", 1, -1}, {"println", 0, -1}, {"eq", 1, -1}, {"ne", 2, 2},
	{"lt", 2, 2}, {"le", 2, 2}, {"gt", 2, 2}, {"ge", 2, 2}, {"join", 2, 2},
	{"context", 0, 0}, {"module", 1, 1},
};

/* cmp_kind mirrors funcs.go basicKind: 1 bool, 2 int, 3 string, 0 other. */
static int cmp_kind(const struct val *v)
{
	if (v == NULL || v->error_text)
		return 0;
	switch (v->kind) {
	case VAL_BOOL: return 1;
	case VAL_INT: return 2;
	case VAL_STRING: return 3;
	default: return 0;
	}
}

static bool val_is_nil(const struct val *v)
{
	return v == NULL || v->kind == VAL_NIL;
}

/* fn_eq mirrors funcs.go eq for one pair; returns -1 with msg on error. */
static int fn_eq1(struct state *s, const struct val *a, const struct val *b, bool *truth, const char **msg)
{
	int k1 = cmp_kind(a), k2 = cmp_kind(b);

	*truth = false;
	if (k1 != k2) {
		if (a != NULL && b != NULL) {
			*msg = arena_printf(&s->a, "incompatible types for comparison: %s and %s", type_name(a),
					    type_name(b));
			return -1;
		}
		return 0;
	}
	switch (k1) {
	case 1: *truth = a->b == b->b; return 0;
	case 2: *truth = a->i == b->i; return 0;
	case 3: *truth = strcmp(a->s, b->s) == 0; return 0;
	default:
		break;
	}
	if (val_is_nil(a) || val_is_nil(b)) {
		*truth = val_is_nil(a) == val_is_nil(b);
		return 0;
	}
	if (a->kind == VAL_STRUCT && a->is_ptr && b->kind == VAL_STRUCT && b->is_ptr) {
		*truth = a == b;
		return 0;
	}
	/* Slices and maps never compare; structs only in ways we do not model. */
	if (a->kind == b->kind && (a->kind == VAL_LIST || a->kind == VAL_MAP)) {
		struct buf vb = BUF_INIT;
		if (fmt_value(s, &vb, b, &plain_v, 0) < 0) {
			buf_release(&vb);
			return W_ERR;
		}
		*msg = arena_printf(&s->a, "non-comparable type %s: %s", buf_cstr(&vb), type_name(b));
		buf_release(&vb);
		return -1;
	}
	if (a->kind != b->kind && !(a->kind == VAL_STRUCT && b->kind == VAL_STRUCT)) {
		struct buf va = BUF_INIT, vb = BUF_INIT;
		if (fmt_value(s, &va, a, &plain_v, 0) < 0 || fmt_value(s, &vb, b, &plain_v, 0) < 0) {
			buf_release(&va);
			buf_release(&vb);
			return W_ERR;
		}
		*msg = arena_printf(&s->a, "non-comparable types %s: %s, %s: %s", buf_cstr(&va), type_name(a),
				    type_name(b), buf_cstr(&vb));
		buf_release(&va);
		buf_release(&vb);
		return -1;
	}
	*msg = arena_printf(&s->a, "gotool: eq of %s values is not supported", type_name(a));
	return -1;
}

/* fn_lt mirrors funcs.go lt. */
static int fn_lt(struct state *s, const struct val *a, const struct val *b, bool *truth, const char **msg)
{
	int k1 = cmp_kind(a), k2 = cmp_kind(b);

	*truth = false;
	if (k1 == 0 || k2 == 0) {
		*msg = "invalid type for comparison";
		return -1;
	}
	if (k1 != k2) {
		*msg = arena_printf(&s->a, "incompatible types for comparison: %s and %s", type_name(a), type_name(b));
		return -1;
	}
	switch (k1) {
	case 1: *msg = "invalid type for comparison"; return -1;
	case 2: *truth = a->i < b->i; return 0;
	default: *truth = strcmp(a->s, b->s) < 0; return 0;
	}
}

/*
 * map_zero is the zero value of m's element type, which index returns for a
 * missing key: from the type name, else from an existing entry; NULL when
 * unknown.
 */
static const struct val *map_zero(struct state *s, const struct val *m)
{
	const struct val *e0 = m->fields.n > 0 ? m->fields.v[0].v : NULL;
	struct val *z;

	if (m->type == NULL || strcmp(m->type, "map[string]string") == 0 || (e0 && e0->kind == VAL_STRING))
		return mk_string(s, "");
	if (e0 == NULL)
		return NULL;
	switch (e0->kind) {
	case VAL_BOOL: return mk_bool(s, false);
	case VAL_INT: return mk_int(s, 0);
	case VAL_LIST:
	case VAL_MAP:
	case VAL_NIL:
		z = mk(s, VAL_NIL);
		z->type = e0->kind == VAL_LIST ? (e0->type ? e0->type : "[]string") :
			  e0->kind == VAL_MAP ? (e0->type ? e0->type : "map[string]string") : e0->type;
		z->error_text = e0->kind == VAL_NIL ? e0->error_text : NULL;
		return e0->kind == VAL_NIL && e0->type == NULL ? NULL : z;
	case VAL_STRUCT:
		if (!e0->is_ptr)
			return NULL;
		z = mk(s, VAL_NIL);
		z->type = e0->type;
		z->error_text = e0->error_text ? "" : NULL;
		return z;
	default:
		return NULL;
	}
}

/* call_builtin runs a function on evaluated args; -1 with *msg for "error calling". */
static int call_builtin(struct state *s, const char *name, const struct val **args, size_t n,
			const struct val **out, const char **msg)
{
	bool t1, t2;

	if (strcmp(name, "not") == 0) {
		*out = mk_bool(s, !is_true(args[0]));
	} else if (strcmp(name, "len") == 0) {
		const struct val *v = args[0];
		if (v == NULL) {
			*msg = "reflect: call of reflect.Value.Type on zero Value";
			return -1;
		}
		if (v->kind == VAL_NIL && !nil_is_slice(v) && !nil_is_map(v)) {
			*msg = "len of nil pointer";
			return -1;
		}
		switch (v->kind) {
		case VAL_NIL: *out = mk_int(s, 0); break;
		case VAL_STRING: *out = mk_int(s, (int64_t)strlen(v->s)); break;
		case VAL_LIST: *out = mk_int(s, (int64_t)v->items.n); break;
		case VAL_MAP: *out = mk_int(s, (int64_t)v->fields.n); break;
		default:
			*msg = arena_printf(&s->a, "len of type %s", type_name(v));
			return -1;
		}
	} else if (strcmp(name, "index") == 0) {
		const struct val *item = args[0];
		if (item == NULL) {
			*msg = "index of untyped nil";
			return -1;
		}
		for (size_t k = 1; k < n; k++) {
			const struct val *ix = args[k];
			if (item->kind == VAL_NIL && !nil_is_slice(item) && !nil_is_map(item)) {
				*msg = "index of nil pointer";
				return -1;
			}
			if (item->kind == VAL_LIST || item->kind == VAL_STRING || (item->kind == VAL_NIL && nil_is_slice(item))) {
				size_t len = item->kind == VAL_LIST ? item->items.n :
					     item->kind == VAL_STRING ? strlen(item->s) : 0;
				if (ix == NULL) {
					*msg = "cannot index slice/array with nil";
					return -1;
				}
				if (ix->kind != VAL_INT) {
					*msg = arena_printf(&s->a, "cannot index slice/array with type %s", type_name(ix));
					return -1;
				}
				if (ix->i < 0 || (uint64_t)ix->i > len) {
					*msg = arena_printf(&s->a, "index out of range: %lld", (long long)ix->i);
					return -1;
				}
				if ((uint64_t)ix->i == len) {
					*msg = item->kind == VAL_STRING ? "reflect: string index out of range" :
									  "reflect: slice index out of range";
					return -1;
				}
				if (item->kind == VAL_STRING)
					item = mk_int(s, (unsigned char)item->s[ix->i]);
				else
					item = item->items.v[ix->i];
			} else if (item->kind == VAL_MAP || (item->kind == VAL_NIL && nil_is_map(item))) {
				if (ix == NULL || ix->kind != VAL_STRING) {
					*msg = ix == NULL ? "value is nil; should be of type string" :
							    arena_printf(&s->a, "value has type %s; should be string", type_name(ix));
					return -1;
				}
				const struct val *m = item;
				item = val_lookup(m, ix->s);
				if (item == NULL && (item = map_zero(s, m)) == NULL) {
					*msg = "gotool: index of a missing map key is not supported";
					return -1;
				}
			} else {
				*msg = arena_printf(&s->a, "can't index item of type %s", type_name(item));
				return -1;
			}
		}
		*out = item;
	} else if (strcmp(name, "print") == 0 || strcmp(name, "println") == 0) {
		struct buf b = BUF_INIT;
		if (fmt_sprint(s, &b, args, n, name[5] == 'l') < 0) {
			buf_release(&b);
			return W_ERR;
		}
		*out = mk_string(s, buf_cstr(&b));
		buf_release(&b);
	} else if (strcmp(name, "printf") == 0) {
		struct buf b = BUF_INIT;
		if (fmt_sprintf(s, &b, args[0]->s, args + 1, n - 1) < 0) {
			buf_release(&b);
			return W_ERR;
		}
		*out = mk_string(s, buf_cstr(&b));
		buf_release(&b);
	} else if (strcmp(name, "eq") == 0) {
		if (n < 2) {
			*msg = "missing argument for comparison";
			return -1;
		}
		for (size_t k = 1; k < n; k++) {
			if (fn_eq1(s, args[0], args[k], &t1, msg) < 0)
				return -1;
			if (t1)
				break;
		}
		*out = mk_bool(s, t1);
	} else if (strcmp(name, "ne") == 0) {
		if (fn_eq1(s, args[0], args[1], &t1, msg) < 0)
			return -1;
		*out = mk_bool(s, !t1);
	} else if (strcmp(name, "lt") == 0 || strcmp(name, "ge") == 0) {
		if (fn_lt(s, args[0], args[1], &t1, msg) < 0)
			return -1;
		*out = mk_bool(s, name[0] == 'l' ? t1 : !t1);
	} else if (strcmp(name, "le") == 0 || strcmp(name, "gt") == 0) {
		if (fn_lt(s, args[0], args[1], &t1, msg) < 0)
			return -1;
		if (!t1 && fn_eq1(s, args[0], args[1], &t2, msg) < 0)
			return -1;
		t1 = t1 || t2;
		*out = mk_bool(s, name[0] == 'l' ? t1 : !t1);
	} else if (strcmp(name, "join") == 0) {
		struct buf b = BUF_INIT;
		const struct val *l = args[0];
		for (size_t k = 0; l->kind == VAL_LIST && k < l->items.n; k++) {
			if (k > 0)
				buf_adds(&b, args[1]->s);
			buf_adds(&b, l->items.v[k]->s);
		}
		*out = mk_string(s, buf_cstr(&b));
		buf_release(&b);
	} else if (strcmp(name, "context") == 0 || strcmp(name, "module") == 0) {
		struct err e = ERR_INIT;
		const struct val *r = NULL;
		if (name[0] == 'c' && s->funcs && s->funcs->context)
			r = s->funcs->context(s->funcs->ctx, &e);
		else if (name[0] == 'm' && s->funcs && s->funcs->module)
			r = s->funcs->module(s->funcs->ctx, args[0]->s, &e);
		else
			err_setf(&e, "gotool: %s is not available here", name);
		if (r == NULL) {
			*msg = arena_strdup(&s->a, err_isset(&e) ? err_msg(&e) : "unknown error");
			err_clear(&e);
			return -1;
		}
		*out = r;
	} else {
		*msg = arena_printf(&s->a, "gotool: template function %s is not supported", name);
		return -1;
	}
	return 0;
}

/* arg_type is the declared parameter type of function name's argument i,
 * or NULL for interface{}/reflect.Value parameters. */
static const char *arg_type(const char *name, size_t i)
{
	if (strcmp(name, "join") == 0)
		return i == 0 ? "[]string" : "string";
	if (strcmp(name, "module") == 0 || (strcmp(name, "printf") == 0 && i == 0))
		return "string";
	return NULL;
}

/* check_type mirrors exec.go validateType for our typed parameters. */
static int check_type(struct state *s, const struct val *v, const char *typ, const struct val **out)
{
	*out = v;
	if (typ == NULL)
		return 0;
	if (strcmp(typ, "string") == 0) {
		if (v == NULL)
			return s_errorf(s, "invalid value; expected string");
		if (v->kind == VAL_STRING && (v->type == NULL || strcmp(v->type, "string") == 0) && !v->error_text)
			return 0;
	} else {
		if (v == NULL) {
			*out = NULL;
			return 0; /* a nil []string */
		}
		if ((v->kind == VAL_LIST || (v->kind == VAL_NIL && nil_is_slice(v))) &&
		    (v->type == NULL || strcmp(v->type, "[]string") == 0))
			return 0;
	}
	return s_errorf(s, "wrong type for value; expected %s; got %s", typ, type_name(v));
}

/* eval_typed_arg mirrors exec.go evalArg for one argument of a typed parameter. */
static int eval_typed_arg(struct state *s, const struct val *dot, const struct node *n, const char *typ,
			  const struct val **out)
{
	struct buf b = BUF_INIT;

	s->at = n;
	switch (n->kind) {
	case N_DOT: case N_FIELD: case N_VARIABLE: case N_PIPE: case N_IDENT: case N_CHAIN: {
		const struct val *v;
		if (eval_arg(s, dot, n, &v) < 0)
			return W_ERR;
		return check_type(s, v, typ, out);
	}
	case N_NIL:
		if (strcmp(typ, "[]string") == 0) {
			*out = NULL;
			return 0;
		}
		return s_errorf(s, "cannot assign nil to %s", typ);
	case N_STRING:
		if (strcmp(typ, "string") == 0) {
			*out = mk_string(s, n->sval);
			return 0;
		}
		break;
	default:
		if (strcmp(typ, "string") == 0) {
			node_string(&b, n);
			s_errorf(s, "expected string; found %s", buf_cstr(&b));
			buf_release(&b);
			return W_ERR;
		}
		break;
	}
	node_string(&b, n);
	s_errorf(s, "can't handle %s for arg of type %s", buf_cstr(&b), typ);
	buf_release(&b);
	return W_ERR;
}

/* eval_call mirrors exec.go evalCall: args[0] is the function's own node. */
static int eval_call(struct state *s, const struct val *dot, const char *name, const struct node *node,
		     const struct node *const *args, size_t nargs, const struct val *final, const struct val **out)
{
	size_t nin = (nargs > 0 ? nargs - 1 : 0) + (final != MISSING ? 1 : 0), k = 0;
	const struct val **argv = NULL;
	const char *msg = NULL;
	int min = 0, max = 0, rc = W_ERR;

	static const char *const unsupported[] = {"call", "html", "js", "slice", "urlquery"};
	for (size_t i = 0; i < countof(unsupported); i++)
		if (strcmp(name, unsupported[i]) == 0)
			return s_errorf(s, "gotool: template function %s is not supported", name);
	for (size_t i = 0; i < countof(func_arity); i++) {
		if (strcmp(func_arity[i].name, name) == 0) {
			min = func_arity[i].min;
			max = func_arity[i].max;
		}
	}
	if (max < 0 && nin < (size_t)min)
		return s_errorf(s, "wrong number of args for %s: want at least %d got %zu", name, min,
				nargs > 0 ? nargs - 1 : 0);
	if (max >= 0 && nin != (size_t)max)
		return s_errorf(s, "wrong number of args for %s: want %d got %zu", name, max, nin);

	/* and/or short-circuit and return an argument itself */
	if (strcmp(name, "and") == 0 || strcmp(name, "or") == 0) {
		const struct val *v = NULL;
		bool want = name[0] == 'o';
		for (size_t i = 1; i < nargs; i++) {
			if (eval_arg(s, dot, args[i], &v) < 0)
				return W_ERR;
			if (is_true(v) == want) {
				*out = v;
				return 0;
			}
		}
		if (final != MISSING)
			v = final;
		*out = v;
		return 0;
	}
	argv = xreallocarray(NULL, nin + 1, sizeof(*argv));
	for (size_t i = 1; i < nargs; i++, k++) {
		const char *typ = arg_type(name, k);
		int r = typ ? eval_typed_arg(s, dot, args[i], typ, &argv[k]) : eval_arg(s, dot, args[i], &argv[k]);
		if (r < 0)
			goto out;
	}
	if (final != MISSING) {
		if (check_type(s, final, arg_type(name, k), &argv[k]) < 0)
			goto out;
		k++;
	}
	if (call_builtin(s, name, argv, k, out, &msg) < 0) {
		if (msg != NULL) {
			s->at = node;
			s_errorf(s, "error calling %s: %s", name, msg);
		}
		goto out;
	}
	rc = 0;
out:
	free(argv);
	return rc;
}

/* eval_command mirrors exec.go evalCommand. */
static int eval_command(struct state *s, const struct val *dot, const struct node *cmd, const struct val *final,
			const struct val **out)
{
	const struct node *w = cmd->items.v[0];
	const struct node *const *args = (const struct node *const *)cmd->items.v;
	size_t nargs = cmd->items.n;
	const struct val *v;

	switch (w->kind) {
	case N_FIELD:
		s->at = w;
		s->call_dot = dot;
		s->call_args = args;
		return eval_field_chain(s, dot, w->ident.v, w->ident.n, nargs, final, out);
	case N_CHAIN:
		s->at = w;
		if (w->base->kind == N_NIL) {
			struct buf b = BUF_INIT;
			node_string(&b, w);
			s_errorf(s, "indirection through explicit nil in %s", buf_cstr(&b));
			buf_release(&b);
			return W_ERR;
		}
		if (eval_arg(s, dot, w->base, &v) < 0)
			return W_ERR;
		s->call_dot = dot;
		s->call_args = args;
		return eval_field_chain(s, v, w->ident.v, w->ident.n, nargs, final, out);
	case N_IDENT:
		s->at = w;
		return eval_call(s, dot, w->text, cmd, args, nargs, final, out);
	case N_PIPE:
		if (not_a_function(s, w, nargs, final) < 0)
			return W_ERR;
		return eval_pipeline(s, dot, w, out);
	case N_VARIABLE:
		s->at = w;
		v = var_value(s, w->ident.v[0]);
		if (w->ident.n == 1) {
			if (not_a_function(s, w, nargs, final) < 0)
				return W_ERR;
			*out = v;
			return 0;
		}
		s->call_dot = dot;
		s->call_args = args;
		return eval_field_chain(s, v, w->ident.v + 1, w->ident.n - 1, nargs, final, out);
	default:
		break;
	}
	s->at = w;
	if (not_a_function(s, w, nargs, final) < 0)
		return W_ERR;
	switch (w->kind) {
	case N_BOOL: *out = mk_bool(s, w->bval); return 0;
	case N_DOT: *out = dot; return 0;
	case N_NIL: return s_errorf(s, "nil is not a command");
	case N_NUMBER:
		if (w->uint_overflow)
			return s_errorf(s, "%s overflows int", w->text);
		*out = mk_int(s, w->ival);
		return 0;
	case N_STRING: *out = mk_string(s, w->sval); return 0;
	default: break;
	}
	return s_errorf(s, "can't evaluate command");
}

/* eval_arg mirrors exec.go evalArg for interface{} parameters. */
static int eval_arg(struct state *s, const struct val *dot, const struct node *n, const struct val **out)
{
	s->at = n;
	switch (n->kind) {
	case N_DOT: *out = dot; return 0;
	case N_NIL: *out = NULL; return 0;
	case N_FIELD:
		return eval_field_chain(s, dot, n->ident.v, n->ident.n, 1, MISSING, out);
	case N_VARIABLE:
		if (n->ident.n == 1) {
			*out = var_value(s, n->ident.v[0]);
			return 0;
		}
		return eval_field_chain(s, var_value(s, n->ident.v[0]), n->ident.v + 1, n->ident.n - 1, 1,
					MISSING, out);
	case N_PIPE:
		return eval_pipeline(s, dot, n, out);
	case N_IDENT: {
		const struct node *one[1] = {n};
		return eval_call(s, dot, n->text, n, one, 1, MISSING, out);
	}
	case N_CHAIN: {
		struct node cmd = {0};
		struct node *only[1] = {(struct node *)n};
		cmd.kind = N_COMMAND;
		cmd.items.v = only;
		cmd.items.n = 1;
		return eval_command(s, dot, &cmd, MISSING, out);
	}
	case N_BOOL: *out = mk_bool(s, n->bval); return 0;
	case N_NUMBER:
		if (n->uint_overflow)
			return s_errorf(s, "%s overflows int", n->text);
		*out = mk_int(s, n->ival);
		return 0;
	case N_STRING: *out = mk_string(s, n->sval); return 0;
	default: break;
	}
	return s_errorf(s, "can't handle argument");
}

static int set_var(struct state *s, const char *name, const struct val *v)
{
	for (size_t i = s->vars.n; i > 0; i--) {
		if (strcmp(s->vars.v[i - 1].name, name) == 0) {
			s->vars.v[i - 1].v = v;
			return 0;
		}
	}
	return s_errorf(s, "undefined variable: %s", name);
}

/* eval_pipeline mirrors exec.go evalPipeline (declared variables are pushed). */
static int eval_pipeline(struct state *s, const struct val *dot, const struct node *pipe, const struct val **out)
{
	const struct val *v = MISSING;

	s->at = pipe;
	for (size_t i = 0; i < pipe->items.n; i++)
		if (eval_command(s, dot, pipe->items.v[i], v, &v) < 0)
			return W_ERR;
	for (size_t i = 0; i < pipe->decl.n; i++) {
		if (pipe->is_assign) {
			if (set_var(s, pipe->decl.v[i]->ident.v[0], v) < 0)
				return W_ERR;
		} else {
			struct var nv = {pipe->decl.v[i]->ident.v[0], v};
			VEC_PUSH(&s->vars, nv);
		}
	}
	*out = v;
	return 0;
}

static int walk(struct state *s, const struct val *dot, const struct node *n);

/* walk_range mirrors exec.go walkRange for slices, maps and ints. */
static int walk_range(struct state *s, const struct val *dot, const struct node *r)
{
	size_t mark = s->vars.n, count = 0;
	const struct node *pipe = r->pipe;
	const struct val *v;
	int rc = W_OK;

	s->at = r;
	if (eval_pipeline(s, dot, pipe, &v) < 0)
		return W_ERR;
	size_t inner = s->vars.n;
	if (v != NULL && v->kind == VAL_NIL && !nil_is_slice(v) && !nil_is_map(v))
		rc = s_errorf(s, "range can't iterate over <nil>");
	else if (v != NULL && v->kind == VAL_INT && pipe->decl.n > 1)
		rc = s_errorf(s, "can't use %lld to iterate over more than one variable", (long long)v->i);
	else if (v != NULL && (v->kind == VAL_INT || v->kind == VAL_LIST || v->kind == VAL_MAP))
		count = v->kind == VAL_INT ? (v->i > 0 ? (size_t)v->i : 0) :
			v->kind == VAL_LIST ? v->items.n : v->fields.n;
	else if (v != NULL && v->kind != VAL_NIL) {
		struct buf b = BUF_INIT;
		rc = fmt_value(s, &b, v, &plain_v, 0);
		if (rc == 0)
			rc = s_errorf(s, "range can't iterate over %s", buf_cstr(&b));
		buf_release(&b);
	}
	if (rc < 0)
		goto out;

	/* map entries in key order (fmtsort: strings bytewise) */
	const struct val_field **keys = NULL;
	if (v != NULL && v->kind == VAL_MAP && count > 0) {
		keys = xreallocarray(NULL, count, sizeof(*keys));
		for (size_t i = 0; i < count; i++)
			keys[i] = &v->fields.v[i];
		for (size_t i = 1; i < count; i++)
			for (size_t j = i; j > 0 && strcmp(keys[j - 1]->name, keys[j]->name) > 0; j--) {
				const struct val_field *tmp = keys[j];
				keys[j] = keys[j - 1];
				keys[j - 1] = tmp;
			}
	}
	for (size_t i = 0; i < count && rc >= 0; i++) {
		const struct val *index, *elem;
		if (v->kind == VAL_INT) {
			index = NULL;
			elem = mk_int(s, (int64_t)i);
		} else if (v->kind == VAL_LIST) {
			index = mk_int(s, (int64_t)i);
			elem = v->items.v[i];
		} else {
			index = mk_string(s, keys[i]->name);
			elem = keys[i]->v;
		}
		/* the range variables live in the slots pushed by the pipeline */
		if (pipe->decl.n > 0) {
			if (pipe->is_assign) {
				rc = set_var(s, pipe->decl.v[0]->ident.v[0], pipe->decl.n > 1 ? index : elem);
				if (rc == 0 && pipe->decl.n > 1)
					rc = set_var(s, pipe->decl.v[1]->ident.v[0], elem);
				if (rc < 0)
					break;
			} else {
				s->vars.v[inner - 1].v = elem;
				if (pipe->decl.n > 1)
					s->vars.v[inner - 2].v = index;
			}
		}
		rc = walk(s, elem, r->list);
		s->vars.n = inner;
		if (rc == W_CONTINUE)
			rc = W_OK;
		if (rc == W_BREAK) {
			rc = W_OK;
			break;
		}
	}
	free(keys);
	if (rc == W_OK && count == 0 && r->elselist)
		rc = walk(s, dot, r->elselist);
out:
	s->vars.n = mark;
	return rc;
}

/* walk mirrors exec.go walk. */
static int walk(struct state *s, const struct val *dot, const struct node *n)
{
	const struct val *v;
	size_t mark;
	int rc;

	s->at = n;
	switch (n->kind) {
	case N_ACTION:
		if (eval_pipeline(s, dot, n->pipe, &v) < 0)
			return W_ERR;
		if (n->pipe->decl.n > 0)
			return W_OK;
		s->at = n;
		/* printableValue: a pointer prints as what it points to; no value
		 * prints as <no value> */
		if (v == NULL) {
			buf_adds(s->out, "<no value>");
			return W_OK;
		}
		if (v->kind == VAL_STRUCT && v->is_ptr && v->error_text == NULL) {
			struct val copy = *v;
			copy.is_ptr = false;
			return fmt_value(s, s->out, &copy, &plain_v, 0);
		}
		return fmt_value(s, s->out, v, &plain_v, 0);
	case N_BREAK:
		return W_BREAK;
	case N_CONTINUE:
		return W_CONTINUE;
	case N_IF:
	case N_WITH:
		mark = s->vars.n;
		rc = eval_pipeline(s, dot, n->pipe, &v);
		if (rc == 0) {
			if (is_true(v))
				rc = walk(s, n->kind == N_WITH ? v : dot, n->list);
			else if (n->elselist)
				rc = walk(s, dot, n->elselist);
		}
		s->vars.n = mark;
		return rc;
	case N_LIST:
		for (size_t i = 0; i < n->items.n; i++) {
			rc = walk(s, dot, n->items.v[i]);
			if (rc != W_OK)
				return rc;
		}
		return W_OK;
	case N_RANGE:
		return walk_range(s, dot, n);
	case N_TEXT:
		buf_add(s->out, n->text, n->len);
		return W_OK;
	default:
		return s_errorf(s, "unknown node");
	}
}

/* tmpl_execute mirrors Template.Execute (go1.26). */
int tmpl_execute(const struct tmpl *t, struct buf *out, const struct val *dot,
		 const struct tmpl_funcs *funcs, struct err *e)
{
	struct state s = {0};
	struct var dollar = {"$", dot};
	int rc;

	s.t = t;
	s.out = out;
	s.funcs = funcs;
	s.e = e;
	arena_init(&s.a);
	VEC_PUSH(&s.vars, dollar);
	rc = walk(&s, dot, t->root);
	VEC_FREE(&s.vars);
	/* Values made here may be referenced by nothing once we return. */
	arena_release(&s.a);
	return rc < 0 ? -1 : 0;
}
