/*
 * modfile.c: go.mod and go.work parsing.
 *
 * Mirrors golang.org/x/mod/modfile (go1.26 vendored copy): read.go's lexer
 * and parser (tokens, line blocks, comment attachment), then rule.go's and
 * work.go's per-directive checks with their exact error texts.  The syntax
 * tree lives in a scratch arena released before returning (or, for
 * mf_parse_syntax, in the caller's arena, for modedit.c); the result's
 * strings live in the caller's arena.
 *
 * Like modfile, a syntax error stops at the first one ("file:line:col:
 * msg"), while directive errors are collected ("file:line: msg" lines
 * joined by "\n").
 */
#include <stdlib.h>
#include <string.h>

#include "modload/modfile_internal.h"
#include "modload/modload.h"

/* ---- syntax -------------------------------------------------------------- */

void *mf_grow(struct arena *a, void *old, size_t n, size_t *cap, size_t elem)
{
	size_t ncap = *cap ? *cap * 2 : 4;
	void *p = arena_alloc(a, ncap * elem);
	if (n > 0)
		memcpy(p, old, n * elem);
	*cap = ncap;
	return p;
}

enum {
	TK_EOF = -1,
	TK_EOLCOMMENT = -2,
	TK_IDENT = -3,
	TK_STRING = -4,
	TK_COMMENT = -5,
	/* punctuation and '\n' are their own ASCII codes */
};

struct mf_token {
	int kind;
	struct mf_pos pos, end;
	struct str text;
};

struct mf_input {
	struct arena *a; /* scratch */
	const char *filename;
	const char *data;
	size_t n;
	struct mf_pos pos;      /* current input position */
	size_t tok_start;       /* byte offset where the token being scanned began */
	struct mf_token tok;    /* the lookahead token */
	bool failed;            /* a syntax error was reported: stop parsing */
	struct buf *errs;
	AVEC(struct mf_comment) comments; /* end-of-line comments, in input order */
	AVEC(struct mf_node *) stmts;
	AVEC(struct mf_node *) post;      /* postorder of all nodes */
	AVEC(struct mf_comment) file_before; /* suffix comments no node took */
};

static bool tk_is_eol(int k)
{
	return k == TK_EOF || k == TK_EOLCOMMENT || k == '\n';
}

/* mf_pos_prefix appends modfile.Error's position prefix. */
static void mf_pos_prefix(struct buf *b, const char *filename, struct mf_pos p)
{
	if (p.col > 1)
		buf_printf(b, "%s:%d:%d: ", filename, p.line, p.col);
	else if (p.line > 0)
		buf_printf(b, "%s:%d: ", filename, p.line);
	else if (filename[0] != '\0')
		buf_printf(b, "%s: ", filename);
}

/* mf_syntax_error records in.Error(msg): the first syntax error ends the parse. */
static void mf_syntax_error(struct mf_input *in, const char *msg)
{
	if (in->failed)
		return;
	in->failed = true;
	mf_pos_prefix(in->errs, in->filename, in->pos);
	buf_adds(in->errs, msg);
}

static bool mf_eof(const struct mf_input *in)
{
	return in->pos.byte >= in->n;
}

static uint32_t mf_peek_rune(const struct mf_input *in)
{
	size_t sz;
	if (mf_eof(in))
		return 0;
	return mod_utf8_decode(in->data + in->pos.byte, in->n - in->pos.byte, &sz);
}

static bool mf_peek_prefix(const struct mf_input *in, const char *p)
{
	size_t k = strlen(p);
	return in->n - in->pos.byte >= k && memcmp(in->data + in->pos.byte, p, k) == 0;
}

static uint32_t mf_read_rune(struct mf_input *in)
{
	size_t sz;
	uint32_t r = mod_utf8_decode(in->data + in->pos.byte, in->n - in->pos.byte, &sz);
	if (r == '\n') {
		in->pos.line++;
		in->pos.col = 1;
	} else {
		in->pos.col++;
	}
	in->pos.byte += sz;
	return r;
}

static void mf_start_token(struct mf_input *in)
{
	in->tok_start = in->pos.byte;
	in->tok.pos = in->pos;
	in->tok.text = (struct str){in->data + in->pos.byte, 0};
}

static void mf_end_token(struct mf_input *in, int kind)
{
	struct str t = {in->data + in->tok_start, in->pos.byte - in->tok_start};
	in->tok.kind = kind;
	if (kind == TK_COMMENT || kind == TK_EOLCOMMENT) {
		/* one trailing LF or CRLF is not part of a comment's text */
		if (str_has_suffix(t, "\r\n"))
			t.n -= 2;
		else if (str_has_suffix(t, "\n"))
			t.n--;
	}
	in->tok.text = t;
	in->tok.end = in->pos;
}

/* mf_is_ident mirrors modfile's isIdent: printable, not space, not punctuation. */
static bool mf_is_ident(uint32_t c)
{
	switch (c) {
	case ' ': case '(': case ')': case '[': case ']': case '{': case '}': case ',':
		return false;
	}
	return !mod_rune_is_space(c) && mod_rune_is_print(c);
}

static bool mf_only_space(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\v' && c != '\f')
			return false;
	}
	return true;
}

/* mf_read_token mirrors input.readToken: scans the next lookahead token. */
static void mf_read_token(struct mf_input *in)
{
	while (!mf_eof(in)) {
		uint32_t c = mf_peek_rune(in);
		if (c == ' ' || c == '\t' || c == '\r') {
			mf_read_rune(in);
			continue;
		}
		if (mf_peek_prefix(in, "//")) {
			mf_start_token(in);
			/* a comment after other text on its line is an end-of-line comment */
			size_t ls = in->pos.byte;
			while (ls > 0 && in->data[ls - 1] != '\n')
				ls--;
			bool suffix = !mf_only_space(in->data + ls, in->pos.byte - ls);
			mf_read_rune(in);
			mf_read_rune(in);
			while (!mf_eof(in) && mf_read_rune(in) != '\n')
				;
			if (!suffix) {
				mf_end_token(in, TK_COMMENT);
				return;
			}
			mf_end_token(in, TK_EOLCOMMENT);
			struct mf_comment com = {in->tok.pos, in->tok.text};
			AVEC_PUSH(in->a, &in->comments, com);
			return;
		}
		if (mf_peek_prefix(in, "/*")) {
			mf_syntax_error(in, "mod files must use // comments (not /* */ comments)");
			in->tok.kind = TK_EOF;
			return;
		}
		break;
	}
	mf_start_token(in);
	if (mf_eof(in)) {
		mf_end_token(in, TK_EOF);
		return;
	}
	uint32_t c = mf_peek_rune(in);
	switch (c) {
	case '\n': case '(': case ')': case '[': case ']': case '{': case '}': case ',':
		mf_read_rune(in);
		mf_end_token(in, (int)c);
		return;
	case '"': case '`': {
		uint32_t quote = c;
		mf_read_rune(in);
		for (;;) {
			if (mf_eof(in)) {
				in->pos = in->tok.pos;
				mf_syntax_error(in, "unexpected EOF in string");
				in->tok.kind = TK_EOF;
				return;
			}
			if (mf_peek_rune(in) == '\n') {
				mf_syntax_error(in, "unexpected newline in string");
				in->tok.kind = TK_EOF;
				return;
			}
			uint32_t d = mf_read_rune(in);
			if (d == quote)
				break;
			if (d == '\\' && quote != '`') {
				if (mf_eof(in)) {
					in->pos = in->tok.pos;
					mf_syntax_error(in, "unexpected EOF in string");
					in->tok.kind = TK_EOF;
					return;
				}
				mf_read_rune(in);
			}
		}
		mf_end_token(in, TK_STRING);
		return;
	}
	}
	if (!mf_is_ident(c)) {
		struct buf m = BUF_INIT;
		buf_adds(&m, "unexpected input character ");
		mod_quote_rune_backquote(&m, c);
		mf_syntax_error(in, buf_cstr(&m));
		buf_release(&m);
		in->tok.kind = TK_EOF;
		return;
	}
	while (mf_is_ident(mf_peek_rune(in))) {
		if (mf_peek_prefix(in, "//"))
			break;
		if (mf_peek_prefix(in, "/*")) {
			mf_syntax_error(in, "mod files must use // comments (not /* */ comments)");
			in->tok.kind = TK_EOF;
			return;
		}
		mf_read_rune(in);
	}
	mf_end_token(in, TK_IDENT);
}

static struct mf_token mf_lex(struct mf_input *in)
{
	struct mf_token t = in->tok;
	if (!in->failed)
		mf_read_token(in);
	return t;
}

static int mf_peek(const struct mf_input *in)
{
	return in->failed ? TK_EOF : in->tok.kind;
}

static struct mf_node *mf_node_new(struct mf_input *in, enum mf_kind kind)
{
	struct mf_node *x = arena_new(in->a, struct mf_node);
	x->kind = kind;
	return x;
}

/* mf_parse_line mirrors input.parseLine: one line inside a block. */
static struct mf_node *mf_parse_line(struct mf_input *in)
{
	struct mf_token tok = mf_lex(in);
	struct mf_node *l = mf_node_new(in, MF_LINE);
	l->start = tok.pos;
	l->end = tok.end;
	l->in_block = true;
	AVEC_PUSH(in->a, &l->toks, tok.text);
	while (!in->failed) {
		tok = mf_lex(in);
		if (tk_is_eol(tok.kind))
			break;
		AVEC_PUSH(in->a, &l->toks, tok.text);
		l->end = tok.end;
	}
	return l;
}

/* mf_parse_block mirrors input.parseLineBlock. */
static struct mf_node *mf_parse_block(struct mf_input *in, struct mf_node *x, struct mf_token lparen)
{
	AVEC(struct mf_comment) comments = {0};
	x->kind = MF_BLOCK;
	x->lparen = mf_node_new(in, MF_LPAREN);
	x->lparen->start = lparen.pos;
	x->rparen = mf_node_new(in, MF_RPAREN);
	while (!in->failed) {
		int k = mf_peek(in);
		if (k == TK_EOLCOMMENT) {
			mf_lex(in);
		} else if (k == '\n') {
			mf_lex(in);
			/* a blank line is kept as one empty comment */
			if ((comments.n == 0 && x->lines.n > 0) ||
			    (comments.n > 0 && comments.v[comments.n - 1].text.n != 0)) {
				struct mf_comment blank = {{0, 0, 0}, {"", 0}};
				AVEC_PUSH(in->a, &comments, blank);
			}
		} else if (k == TK_COMMENT) {
			struct mf_token t = mf_lex(in);
			struct mf_comment com = {t.pos, t.text};
			AVEC_PUSH(in->a, &comments, com);
		} else if (k == TK_EOF) {
			char *m = xasprintf("syntax error (unterminated block started at %s:%d:%d)",
					    in->filename, x->start.line, x->start.col);
			mf_syntax_error(in, m);
			free(m);
		} else if (k == ')') {
			struct mf_token r = mf_lex(in);
			if (comments.n == 1 && comments.v[0].text.n == 0)
				comments.n = 0;
			x->rparen->before.v = comments.v;
			x->rparen->before.n = x->rparen->before.cap = comments.n;
			x->rparen->start = r.pos;
			if (!tk_is_eol(mf_peek(in))) {
				mf_syntax_error(in, "syntax error (expected newline after closing paren)");
				break;
			}
			mf_lex(in);
			break;
		} else {
			struct mf_node *l = mf_parse_line(in);
			l->before.v = comments.v;
			l->before.n = l->before.cap = comments.n;
			comments.v = NULL;
			comments.n = comments.cap = 0;
			AVEC_PUSH(in->a, &x->lines, l);
		}
	}
	/* spans: parens are one byte; the block ends after its ')' */
	x->lparen->end = x->lparen->start;
	x->lparen->end.col++, x->lparen->end.byte++;
	x->rparen->end = x->rparen->start;
	x->rparen->end.col++, x->rparen->end.byte++;
	x->end = x->rparen->end;
	return x;
}

/* mf_parse_stmt mirrors input.parseStmt: a top-level line or block. */
static void mf_parse_stmt(struct mf_input *in)
{
	struct mf_token tok = mf_lex(in);
	struct mf_node *x = mf_node_new(in, MF_LINE);
	x->start = tok.pos;
	x->end = tok.end;
	AVEC_PUSH(in->a, &x->toks, tok.text);
	while (!in->failed) {
		tok = mf_lex(in);
		if (tk_is_eol(tok.kind))
			break;
		if (tok.kind == '(') {
			int next = mf_peek(in);
			if (tk_is_eol(next)) {
				mf_parse_block(in, x, tok);
				break;
			}
			if (next == ')') {
				struct mf_token r = mf_lex(in);
				if (tk_is_eol(mf_peek(in))) {
					/* an empty block: "require ()" */
					mf_lex(in);
					x->kind = MF_BLOCK;
					x->lparen = mf_node_new(in, MF_LPAREN);
					x->lparen->start = x->lparen->end = tok.pos;
					x->lparen->end.col++, x->lparen->end.byte++;
					x->rparen = mf_node_new(in, MF_RPAREN);
					x->rparen->start = x->rparen->end = r.pos;
					x->rparen->end.col++, x->rparen->end.byte++;
					x->end = x->rparen->end;
					break;
				}
				AVEC_PUSH(in->a, &x->toks, tok.text);
				AVEC_PUSH(in->a, &x->toks, r.text);
				continue;
			}
			AVEC_PUSH(in->a, &x->toks, tok.text);
			continue;
		}
		AVEC_PUSH(in->a, &x->toks, tok.text);
		x->end = tok.end;
	}
	AVEC_PUSH(in->a, &in->stmts, x);
}

/* mf_parse_file mirrors input.parseFile. */
static void mf_parse_file(struct mf_input *in)
{
	struct mf_node *cb = NULL;
	while (!in->failed) {
		int k = mf_peek(in);
		if (k == '\n') {
			mf_lex(in);
			if (cb != NULL) {
				AVEC_PUSH(in->a, &in->stmts, cb);
				cb = NULL;
			}
		} else if (k == TK_COMMENT) {
			struct mf_token t = mf_lex(in);
			if (cb == NULL) {
				cb = mf_node_new(in, MF_COMMENTS);
				cb->start = cb->end = t.pos;
			}
			struct mf_comment com = {t.pos, t.text};
			AVEC_PUSH(in->a, &cb->before, com);
		} else if (k == TK_EOF) {
			if (cb != NULL)
				AVEC_PUSH(in->a, &in->stmts, cb);
			return;
		} else {
			mf_parse_stmt(in);
			if (cb != NULL && !in->failed) {
				struct mf_node *last = in->stmts.v[in->stmts.n - 1];
				last->before = cb->before;
				cb = NULL;
			}
		}
	}
}

static void mf_order(struct mf_input *in, struct mf_node *x)
{
	if (x->kind == MF_BLOCK) {
		mf_order(in, x->lparen);
		for (size_t i = 0; i < x->lines.n; i++)
			mf_order(in, x->lines.v[i]);
		mf_order(in, x->rparen);
	}
	AVEC_PUSH(in->a, &in->post, x);
}

/*
 * mf_assign_comments mirrors input.assignComments for end-of-line
 * comments (whole-line ones were attached by the grammar): each goes to
 * the last node, in postorder, that ends before it on a single line.
 */
static void mf_assign_comments(struct mf_input *in)
{
	for (size_t i = 0; i < in->stmts.n; i++)
		mf_order(in, in->stmts.v[i]);
	size_t ns = in->comments.n;
	for (size_t i = in->post.n; i-- > 0;) {
		struct mf_node *x = in->post.v[i];
		if (x->start.line != x->end.line)
			continue;
		size_t first = ns;
		while (ns > 0 && x->end.byte <= in->comments.v[ns - 1].start.byte)
			ns--;
		/* the comments in [ns, first) belong to x, in input order */
		for (size_t k = ns; k < first; k++)
			AVEC_PUSH(in->a, &x->suffix, in->comments.v[k]);
	}
	/* the rest go at the beginning of the file */
	for (size_t k = 0; k < ns; k++)
		AVEC_PUSH(in->a, &in->file_before, in->comments.v[k]);
}

/* ---- directives ------------------------------------------------------------ */

/* A version fixer and where to collect errors for one file. */
struct mf_ctx {
	struct arena *a;     /* result arena */
	struct arena *tmp;   /* scratch */
	const char *filename;
	bool strict;
	const struct mod_version_fixer *fix;
	struct buf *errs;
	struct mod_file *f;
	bool work;
};

static void mf_errorf(struct mf_ctx *c, struct mf_pos p, const char *fmt, ...) PRINTF_LIKE(3, 4);

static void mf_errorf(struct mf_ctx *c, struct mf_pos p, const char *fmt, ...)
{
	va_list ap;
	if (c->errs->len > 0)
		buf_addch(c->errs, '\n');
	mf_pos_prefix(c->errs, c->filename, p);
	va_start(ap, fmt);
	buf_vprintf(c->errs, fmt, ap);
	va_end(ap);
}

static char *mf_strdup(struct arena *a, struct str s)
{
	return arena_strndup(a, s.p, s.n);
}

static bool mf_str_has_any(struct str s, const char *chars)
{
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] != '\0' && strchr(chars, s.p[i]) != NULL)
			return true;
	return false;
}

/*
 * mf_parse_string mirrors modfile.parseString: unquotes a "..." token, and
 * rejects quote characters in a bare one.  The value goes to *out (scratch
 * arena); on failure msg gets the bare reason.
 */
static int mf_parse_string(struct mf_ctx *c, struct str t, const char **out, struct buf *msg)
{
	if (str_has_prefix(t, "\"")) {
		struct buf b = BUF_INIT;
		if (mod_unquote(t.p, t.n, &b) < 0) {
			buf_release(&b);
			buf_adds(msg, "invalid syntax");
			return -1;
		}
		*out = arena_strndup(c->tmp, buf_cstr(&b), b.len);
		buf_release(&b);
		return 0;
	}
	if (mf_str_has_any(t, "\"'`")) {
		buf_adds(msg, "unquoted string cannot contain quote");
		return -1;
	}
	*out = mf_strdup(c->tmp, t);
	return 0;
}

/* mf_directive_prefix writes modfile.Error's "verb path: " part. */
static void mf_directive_prefix(struct buf *b, const char *verb, const char *path)
{
	if (path[0] != '\0')
		buf_printf(b, "%s %s: ", verb, path);
	else if (verb[0] != '\0')
		buf_printf(b, "%s: ", verb);
}

static void mf_invalid_version(struct buf *b, const char *v, size_t n, const char *why)
{
	buf_adds(b, "version ");
	mod_quote(b, v, n);
	buf_printf(b, " invalid: %s", why);
}

/* The retract pass before fixRetract keeps versions as written. */
static int mf_fix_keep(void *ctx, const char *path, const char *vers, char **fixed, struct err *e)
{
	(void)ctx, (void)path, (void)e;
	*fixed = xstrdup(vers);
	return 0;
}
static const struct mod_version_fixer mf_keep_fixer = {mf_fix_keep, NULL};

/*
 * mf_parse_version mirrors modfile.parseVersion: msg receives the whole
 * error text after the position prefix ("require x: version ...").
 */
static int mf_parse_version(struct mf_ctx *c, const char *verb, const char *path, struct str tok,
			    const struct mod_version_fixer *fix, const char **out, struct buf *msg)
{
	const char *t = NULL;
	struct buf why = BUF_INIT;
	int rc = -1;
	if (mf_parse_string(c, tok, &t, &why) < 0) {
		mf_directive_prefix(msg, verb, path);
		mf_invalid_version(msg, tok.p, tok.n, buf_cstr(&why));
		goto out;
	}
	if (fix != NULL) {
		struct err fe = ERR_INIT;
		char *fixed = NULL;
		int frc = fix->fix(fix->ctx, path, t, &fixed, &fe);
		if (frc < 0) {
			if (frc == MOD_FIX_MODULE_ERR)
				mf_directive_prefix(msg, verb, path);
			buf_adds(msg, err_msg(&fe));
			err_clear(&fe);
			goto out;
		}
		*out = arena_strdup(c->tmp, fixed);
		free(fixed);
		rc = 0;
		goto out;
	}
	char *cv = mod_semver_canonical(t);
	if (cv[0] != '\0') {
		char *b = mod_semver_build(t);
		if (strcmp(b, "+incompatible") == 0)
			*out = arena_printf(c->tmp, "%s+incompatible", cv);
		else
			*out = arena_strdup(c->tmp, cv);
		free(b);
		rc = 0;
	} else {
		mf_directive_prefix(msg, verb, path);
		mf_invalid_version(msg, t, strlen(t), "must be of the form v1.2.3");
	}
	free(cv);
out:
	buf_release(&why);
	return rc;
}

/* mf_path_major mirrors modfile.modulePathMajor. */
static bool mf_path_major(struct mf_ctx *c, const char *path, const char **major)
{
	char *prefix = NULL, *pm = NULL;
	bool ok = mod_split_path_version(path, &prefix, &pm);
	*major = arena_strdup(c->tmp, pm);
	free(prefix);
	free(pm);
	return ok;
}

/* mf_is_dir_path mirrors modfile.IsDirectoryPath. */
static bool mf_is_dir_path(const char *ns)
{
	unsigned char c0 = (unsigned char)ns[0];
	return strcmp(ns, ".") == 0 || has_prefix(ns, "./") || has_prefix(ns, ".\\") ||
	       strcmp(ns, "..") == 0 || has_prefix(ns, "../") || has_prefix(ns, "..\\") ||
	       has_prefix(ns, "/") || has_prefix(ns, "\\") ||
	       (((c0 >= 'A' && c0 <= 'Z') || (c0 >= 'a' && c0 <= 'z')) && ns[1] == ':');
}

static bool mf_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* mf_num reads [1-9][0-9]* (or "0" when zero_ok) at s[*i]. */
static bool mf_num(const char *s, size_t *i, bool zero_ok)
{
	if (s[*i] == '0') {
		if (!zero_ok)
			return false;
		(*i)++;
		return true;
	}
	if (!mf_digit((unsigned char)s[*i]))
		return false;
	while (mf_digit((unsigned char)s[*i]))
		(*i)++;
	return true;
}

/* mf_go_version_ok is modfile.GoVersionRE:
 * ^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$ */
static bool mf_go_version_ok(const char *s)
{
	size_t i = 0;
	if (!mf_num(s, &i, false) || s[i] != '.')
		return false;
	i++;
	if (!mf_num(s, &i, true))
		return false;
	if (s[i] == '.') {
		i++;
		if (!mf_num(s, &i, true))
			return false;
	}
	if (s[i] >= 'a' && s[i] <= 'z') {
		while (s[i] >= 'a' && s[i] <= 'z')
			i++;
		if (!mf_digit((unsigned char)s[i]))
			return false;
		while (mf_digit((unsigned char)s[i]))
			i++;
	}
	return s[i] == '\0';
}

/* mf_lax_go_version is modfile.laxGoVersionRE
 * ^v?(([1-9][0-9]*)\.(0|[1-9][0-9]*))([^0-9].*)$; returns the length of
 * the MAJOR.MINOR group (after the optional v) or 0 when it does not match. */
static size_t mf_lax_go_version(const char *s, size_t *skip)
{
	size_t i = s[0] == 'v' ? 1 : 0, start = i;
	*skip = start;
	if (!mf_num(s, &i, false) || s[i] != '.')
		return 0;
	i++;
	if (!mf_num(s, &i, true))
		return 0;
	if (s[i] == '\0' || mf_digit((unsigned char)s[i]))
		return 0;
	return i - start;
}

/* mf_toolchain_ok is modfile.ToolchainRE: ^default$|^go1($|\.) */
static bool mf_toolchain_ok(const char *s)
{
	return strcmp(s, "default") == 0 || strcmp(s, "go1") == 0 || has_prefix(s, "go1.");
}

/* mf_directive_comment mirrors modfile.parseDirectiveComment. */
static char *mf_directive_comment(struct mf_ctx *c, const struct mf_node *block, const struct mf_node *line)
{
	const struct mf_node *src = line;
	struct buf b = BUF_INIT;
	bool any = false;
	if (block != NULL && line->before.n == 0 && line->suffix.n == 0)
		src = block;
	for (int g = 0; g < 2; g++) {
		const struct mf_comment *v = g == 0 ? src->before.v : src->suffix.v;
		size_t n = g == 0 ? src->before.n : src->suffix.n;
		for (size_t i = 0; i < n; i++) {
			struct str t = v[i].text;
			if (!str_has_prefix(t, "//"))
				continue; /* a blank-line marker */
			t.p += 2, t.n -= 2;
			if (any)
				buf_addch(&b, '\n');
			buf_addstr(&b, str_trim_space(t));
			any = true;
		}
	}
	char *s = arena_strndup(c->a, buf_cstr(&b), b.len);
	buf_release(&b);
	return s;
}

/* mf_deprecation mirrors modfile.parseDeprecation's
 * (?s)(?:^|\n\n)Deprecated: *(.*?)(?:$|\n\n) */
static const char *mf_deprecation(struct arena *a, const char *text)
{
	const char *p = NULL;
	if (has_prefix(text, "Deprecated:")) {
		p = text;
	} else {
		for (const char *q = strstr(text, "\n\n"); q != NULL; q = strstr(q + 1, "\n\n")) {
			if (has_prefix(q + 2, "Deprecated:")) {
				p = q + 2;
				break;
			}
		}
	}
	if (p == NULL)
		return NULL;
	p += strlen("Deprecated:");
	while (*p == ' ')
		p++;
	const char *end = strstr(p, "\n\n");
	return end ? arena_strndup(a, p, (size_t)(end - p)) : arena_strdup(a, p);
}

/* mf_is_indirect mirrors modfile.isIndirect. */
static bool mf_is_indirect(const struct mf_node *line)
{
	if (line->suffix.n == 0)
		return false;
	struct str t = line->suffix.v[0].text;
	if (str_has_prefix(t, "//"))
		t.p += 2, t.n -= 2;
	t = str_trim_space(t);
	size_t k = 0;
	while (k < t.n && t.p[k] != ' ' && t.p[k] != '\t' && t.p[k] != '\n' && t.p[k] != '\r' &&
	       t.p[k] != '\v' && t.p[k] != '\f')
		k++;
	struct str f0 = {t.p, k};
	bool more = k < t.n;
	return (!more && str_eqc(f0, "indirect")) || (more && str_eqc(f0, "indirect;"));
}

/*
 * mf_version_interval mirrors modfile.parseVersionInterval over the
 * tokens toks[*i..n); on success *i points past the interval.
 */
static int mf_version_interval(struct mf_ctx *c, const char *verb, const char *path,
			       const struct str *toks, size_t n, size_t *i,
			       const struct mod_version_fixer *fix,
			       const char **low, const char **high, struct buf *msg)
{
	size_t k = *i;
	if (k >= n || str_eqc(toks[k], "(")) {
		buf_adds(msg, "expected '[' or version");
		return -1;
	}
	if (!str_eqc(toks[k], "[")) {
		if (mf_parse_version(c, verb, path, toks[k], fix, low, msg) < 0)
			return -1;
		*high = *low;
		*i = k + 1;
		return 0;
	}
	k++;
	if (k >= n) {
		buf_adds(msg, "expected version after '['");
		return -1;
	}
	if (mf_parse_version(c, verb, path, toks[k], fix, low, msg) < 0)
		return -1;
	k++;
	if (k >= n || !str_eqc(toks[k], ",")) {
		buf_adds(msg, "expected ',' after version");
		return -1;
	}
	k++;
	if (k >= n) {
		buf_adds(msg, "expected version after ','");
		return -1;
	}
	if (mf_parse_version(c, verb, path, toks[k], fix, high, msg) < 0)
		return -1;
	k++;
	if (k >= n || !str_eqc(toks[k], "]")) {
		buf_adds(msg, "expected ']' after version");
		return -1;
	}
	*i = k + 1;
	return 0;
}

/* mf_replace mirrors modfile.parseReplace. */
static void mf_replace(struct mf_ctx *c, const struct mf_node *line, const char *verb,
		       const struct str *args, size_t nargs)
{
	struct buf msg = BUF_INIT;
	const char *s = NULL, *ns = NULL, *pm = NULL, *v = "", *nv = "";
	size_t arrow = 2;
	if (nargs >= 2 && str_eqc(args[1], "=>"))
		arrow = 1;
	if (nargs < arrow + 2 || nargs > arrow + 3 || !str_eqc(args[arrow], "=>")) {
		mf_errorf(c, line->start, "usage: %s module/path [v1.2.3] => other/module v1.4\n"
			  "\t or %s module/path [v1.2.3] => ../local/directory", verb, verb);
		goto out;
	}
	if (mf_parse_string(c, args[0], &s, &msg) < 0) {
		mf_errorf(c, line->start, "invalid quoted string: %s", buf_cstr(&msg));
		goto out;
	}
	if (!mf_path_major(c, s, &pm)) {
		mf_errorf(c, line->start, "%s %s: invalid module path", verb, s);
		goto out;
	}
	if (arrow == 2) {
		if (mf_parse_version(c, verb, s, args[1], c->fix, &v, &msg) < 0) {
			mf_errorf(c, line->start, "%s", buf_cstr(&msg));
			goto out;
		}
		struct err e = ERR_INIT;
		if (mod_check_path_major(v, pm, &e) < 0) {
			mf_errorf(c, line->start, "%s %s: %s", verb, s, err_msg(&e));
			err_clear(&e);
			goto out;
		}
	}
	if (mf_parse_string(c, args[arrow + 1], &ns, &msg) < 0) {
		mf_errorf(c, line->start, "invalid quoted string: %s", buf_cstr(&msg));
		goto out;
	}
	if (nargs == arrow + 2) {
		if (!mf_is_dir_path(ns)) {
			if (strchr(ns, '@') != NULL)
				mf_errorf(c, line->start, "replacement module must match format 'path version', not 'path@version'");
			else
				mf_errorf(c, line->start, "replacement module without version must be directory path (rooted or starting with . or ..)");
			goto out;
		}
		if (strchr(ns, '\\') != NULL) {
			mf_errorf(c, line->start, "replacement directory appears to be Windows path (on a non-windows system)");
			goto out;
		}
	}
	if (nargs == arrow + 3) {
		if (mf_parse_version(c, verb, ns, args[arrow + 2], c->fix, &nv, &msg) < 0) {
			mf_errorf(c, line->start, "%s", buf_cstr(&msg));
			goto out;
		}
		if (mf_is_dir_path(ns)) {
			struct buf q = BUF_INIT;
			mod_quote(&q, ns, strlen(ns));
			mf_errorf(c, line->start, "replacement module directory path %s cannot have version", buf_cstr(&q));
			buf_release(&q);
			goto out;
		}
	}
	struct mod_replace r = {
		.old = {arena_strdup(c->a, s), arena_strdup(c->a, v)},
		.new = {arena_strdup(c->a, ns), arena_strdup(c->a, nv)},
		.line = line->start.line,
	};
	VEC_PUSH(&c->f->replaces, r);
out:
	buf_release(&msg);
}

/* mf_go mirrors the "go" case of File.add / WorkFile.add. */
static void mf_go(struct mf_ctx *c, const struct mf_node *line, const struct str *args, size_t nargs)
{
	if (c->f->go != NULL) {
		mf_errorf(c, line->start, "repeated go statement");
		return;
	}
	if (nargs != 1) {
		mf_errorf(c, line->start, "go directive expects exactly one argument");
		return;
	}
	char *v = mf_strdup(c->a, args[0]);
	if (!mf_go_version_ok(v)) {
		size_t skip, n = 0;
		if (!c->strict)
			n = mf_lax_go_version(v, &skip);
		if (n == 0) {
			mf_errorf(c, line->start, "invalid go version '%s': must match format 1.23.0", v);
			return;
		}
		v = arena_strndup(c->a, v + skip, n);
	}
	c->f->go = v;
	c->f->go_line = line->start.line;
}

static void mf_toolchain(struct mf_ctx *c, const struct mf_node *line, const struct str *args, size_t nargs)
{
	if (c->f->toolchain != NULL) {
		mf_errorf(c, line->start, "repeated toolchain statement");
		return;
	}
	if (nargs != 1) {
		mf_errorf(c, line->start, "toolchain directive expects exactly one argument");
		return;
	}
	char *v = mf_strdup(c->a, args[0]);
	if (!mf_toolchain_ok(v)) {
		mf_errorf(c, line->start, "invalid toolchain version '%s': must match format go1.23.0 or default", v);
		return;
	}
	c->f->toolchain = v;
	c->f->toolchain_line = line->start.line;
}

static void mf_godebug(struct mf_ctx *c, const struct mf_node *line, const struct str *args, size_t nargs)
{
	struct str k, v;
	if (nargs != 1 || mf_str_has_any(args[0], "\"`',") || !str_cut(args[0], '=', &k, &v)) {
		mf_errorf(c, line->start, "usage: godebug key=value");
		return;
	}
	struct mod_godebug g = {mf_strdup(c->a, k), mf_strdup(c->a, v), line->start.line};
	VEC_PUSH(&c->f->godebugs, g);
}

/* mf_one_path handles tool, ignore and use: one possibly quoted argument. */
static const char *mf_one_path(struct mf_ctx *c, const struct mf_node *line, const char *usage,
			       const struct str *args, size_t nargs)
{
	struct buf msg = BUF_INIT;
	const char *s = NULL;
	if (nargs != 1) {
		mf_errorf(c, line->start, "%s", usage);
		return NULL;
	}
	if (mf_parse_string(c, args[0], &s, &msg) < 0) {
		mf_errorf(c, line->start, "invalid quoted string: %s", buf_cstr(&msg));
		buf_release(&msg);
		return NULL;
	}
	buf_release(&msg);
	return arena_strdup(c->a, s);
}

/* mf_add mirrors modfile's File.add for one directive line of go.mod. */
static void mf_add(struct mf_ctx *c, const struct mf_node *block, const struct mf_node *line,
		   struct str verbs, const struct str *args, size_t nargs)
{
	struct buf msg = BUF_INIT;
	char *verb = mf_strdup(c->tmp, verbs);
	const char *s = NULL, *v = NULL, *pm = NULL;
	struct err e = ERR_INIT;
	if (!c->strict && strcmp(verb, "go") != 0 && strcmp(verb, "module") != 0 &&
	    strcmp(verb, "retract") != 0 && strcmp(verb, "require") != 0 && strcmp(verb, "ignore") != 0)
		goto out;
	if (strcmp(verb, "go") == 0) {
		mf_go(c, line, args, nargs);
	} else if (strcmp(verb, "toolchain") == 0) {
		mf_toolchain(c, line, args, nargs);
	} else if (strcmp(verb, "module") == 0) {
		if (c->f->module != NULL) {
			mf_errorf(c, line->start, "repeated module statement");
			goto out;
		}
		c->f->deprecated = mf_deprecation(c->a, mf_directive_comment(c, block, line));
		c->f->module = "";
		c->f->module_line = line->start.line;
		if (nargs != 1) {
			mf_errorf(c, line->start, "usage: module module/path");
			goto out;
		}
		if (mf_parse_string(c, args[0], &s, &msg) < 0) {
			mf_errorf(c, line->start, "invalid quoted string: %s", buf_cstr(&msg));
			goto out;
		}
		c->f->module = arena_strdup(c->a, s);
	} else if (strcmp(verb, "godebug") == 0) {
		mf_godebug(c, line, args, nargs);
	} else if (strcmp(verb, "require") == 0 || strcmp(verb, "exclude") == 0) {
		if (nargs != 2) {
			mf_errorf(c, line->start, "usage: %s module/path v1.2.3", verb);
			goto out;
		}
		if (mf_parse_string(c, args[0], &s, &msg) < 0) {
			mf_errorf(c, line->start, "invalid quoted string: %s", buf_cstr(&msg));
			goto out;
		}
		if (mf_parse_version(c, verb, s, args[1], c->fix, &v, &msg) < 0) {
			mf_errorf(c, line->start, "%s", buf_cstr(&msg));
			goto out;
		}
		if (!mf_path_major(c, s, &pm)) {
			mf_errorf(c, line->start, "invalid module path");
			goto out;
		}
		if (mod_check_path_major(v, pm, &e) < 0) {
			mf_errorf(c, line->start, "%s %s: %s", verb, s, err_msg(&e));
			goto out;
		}
		struct mod_version mv = {arena_strdup(c->a, s), arena_strdup(c->a, v)};
		if (verb[0] == 'r') {
			struct mod_require r = {mv, mf_is_indirect(line), line->start.line};
			VEC_PUSH(&c->f->requires, r);
		} else {
			VEC_PUSH(&c->f->excludes, mv);
		}
	} else if (strcmp(verb, "replace") == 0) {
		mf_replace(c, line, verb, args, nargs);
	} else if (strcmp(verb, "retract") == 0) {
		const char *rationale = mf_directive_comment(c, block, line);
		const char *low = NULL, *high = NULL;
		size_t i = 0;
		if (mf_version_interval(c, verb, "", args, nargs, &i, &mf_keep_fixer, &low, &high, &msg) < 0) {
			if (c->strict)
				mf_errorf(c, line->start, "%s", buf_cstr(&msg));
			goto out;
		}
		if (i < nargs && c->strict) {
			struct buf q = BUF_INIT;
			mod_quote(&q, args[i].p, args[i].n);
			mf_errorf(c, line->start, "unexpected token after version: %s", buf_cstr(&q));
			buf_release(&q);
			goto out;
		}
		struct mod_retract r = {arena_strdup(c->a, low), arena_strdup(c->a, high), rationale,
					line->start.line};
		VEC_PUSH(&c->f->retracts, r);
	} else if (strcmp(verb, "tool") == 0) {
		const char *p = mf_one_path(c, line, "tool directive expects exactly one argument", args, nargs);
		if (p != NULL)
			VEC_PUSH(&c->f->tools, p);
	} else if (strcmp(verb, "ignore") == 0) {
		const char *p = mf_one_path(c, line, "ignore directive expects exactly one argument", args, nargs);
		if (p != NULL)
			VEC_PUSH(&c->f->ignores, p);
	} else {
		mf_errorf(c, line->start, "unknown directive: %s", verb);
	}
out:
	err_clear(&e);
	buf_release(&msg);
}

/* mf_work_add mirrors modfile's WorkFile.add for one go.work directive. */
static void mf_work_add(struct mf_ctx *c, const struct mf_node *line, struct str verbs,
			const struct str *args, size_t nargs)
{
	char *verb = mf_strdup(c->tmp, verbs);
	if (strcmp(verb, "go") == 0) {
		mf_go(c, line, args, nargs);
	} else if (strcmp(verb, "toolchain") == 0) {
		mf_toolchain(c, line, args, nargs);
	} else if (strcmp(verb, "godebug") == 0) {
		mf_godebug(c, line, args, nargs);
	} else if (strcmp(verb, "use") == 0) {
		const char *p = mf_one_path(c, line, "usage: use local/dir", args, nargs);
		if (p != NULL) {
			struct mod_use u = {p, "", line->start.line};
			VEC_PUSH(&c->f->uses, u);
		}
	} else if (strcmp(verb, "replace") == 0) {
		mf_replace(c, line, verb, args, nargs);
	} else {
		mf_errorf(c, line->start, "unknown directive: %s", verb);
	}
}

/* mf_fix_retract mirrors File.fixRetract: re-read intervals with the fixer. */
static void mf_fix_retract(struct mf_ctx *c, struct mf_input *in)
{
	size_t ri = 0;
	struct buf msg = BUF_INIT;
	if (c->fix == NULL || c->f->retracts.n == 0)
		return;
	for (size_t si = 0; si < in->stmts.n; si++) {
		struct mf_node *x = in->stmts.v[si];
		struct mf_node *const *lines = &x;
		size_t nl = 1;
		if (x->kind == MF_BLOCK) {
			lines = x->lines.v;
			nl = x->lines.n;
		} else if (x->kind != MF_LINE) {
			continue;
		}
		for (size_t li = 0; li < nl && ri < c->f->retracts.n; li++) {
			const struct mf_node *l = lines[li];
			const struct str *toks = l->toks.v;
			size_t nt = l->toks.n, i = 0;
			if (l->start.line != c->f->retracts.v[ri].line || nt == 0)
				continue;
			if (str_eqc(toks[0], "retract"))
				toks++, nt--;
			else if (!l->in_block)
				continue;
			struct mod_retract *r = &c->f->retracts.v[ri++];
			if (c->f->module == NULL || c->f->module[0] == '\0') {
				mf_errorf(c, l->start, "no module directive found, so retract cannot be used");
				goto out;
			}
			const char *low = NULL, *high = NULL;
			buf_reset(&msg);
			if (mf_version_interval(c, "retract", c->f->module, toks, nt, &i, c->fix, &low, &high, &msg) < 0) {
				mf_errorf(c, l->start, "%s", buf_cstr(&msg));
				continue;
			}
			r->low = arena_strdup(c->a, low);
			r->high = arena_strdup(c->a, high);
		}
	}
out:
	buf_release(&msg);
}

/*
 * The result's vectors are filled with VEC_PUSH (heap); moving them into
 * the arena makes the whole mod_file arena-owned, so callers never free it.
 */
#define MF_VEC_TO_ARENA(a, vec, keep) do { \
	if ((keep) && (vec)->n > 0) { \
		void *_p = arena_alloc((a), (vec)->n * sizeof(*(vec)->v)); \
		memcpy(_p, (vec)->v, (vec)->n * sizeof(*(vec)->v)); \
		free((vec)->v); \
		(vec)->v = _p; \
		(vec)->cap = (vec)->n; \
	} else { \
		VEC_FREE(vec); \
	} \
} while (0)

static void mf_file_to_arena(struct arena *a, struct mod_file *f, bool keep)
{
	MF_VEC_TO_ARENA(a, &f->requires, keep);
	MF_VEC_TO_ARENA(a, &f->excludes, keep);
	MF_VEC_TO_ARENA(a, &f->replaces, keep);
	MF_VEC_TO_ARENA(a, &f->retracts, keep);
	MF_VEC_TO_ARENA(a, &f->godebugs, keep);
	MF_VEC_TO_ARENA(a, &f->tools, keep);
	MF_VEC_TO_ARENA(a, &f->ignores, keep);
	MF_VEC_TO_ARENA(a, &f->uses, keep);
}

static int mf_parse_any(struct arena *a, const char *filename, const char *data, size_t n, bool strict,
			bool work, const struct mod_version_fixer *fix, struct mod_file **out,
			struct mf_syntax **syn, struct err *e)
{
	struct arena tmp;
	struct buf errs = BUF_INIT;
	struct mf_input in;
	struct mf_ctx c;
	int rc = -1;

	*out = NULL;
	arena_init(&tmp);
	memset(&in, 0, sizeof in);
	in.a = &tmp;
	if (syn != NULL) {
		/* the tree outlives this call: it and the text its tokens point into go to a */
		*syn = NULL;
		in.a = a;
		char *copy = arena_alloc(a, n + 1);
		memcpy(copy, data, n);
		copy[n] = '\0';
		data = copy;
	}
	in.filename = filename;
	in.data = data;
	in.n = n;
	in.pos = (struct mf_pos){1, 1, 0};
	in.errs = &errs;
	mf_read_token(&in);
	mf_parse_file(&in);
	if (in.failed) {
		err_setf(e, "%s", buf_cstr(&errs));
		goto out;
	}
	mf_assign_comments(&in);

	memset(&c, 0, sizeof c);
	c.a = a;
	c.tmp = &tmp;
	c.filename = filename;
	c.strict = work ? true : strict;
	c.fix = fix;
	c.errs = &errs;
	c.work = work;
	c.f = arena_new(a, struct mod_file);
	c.f->filename = arena_strdup(a, filename);
	for (size_t i = 0; i < in.stmts.n; i++) {
		struct mf_node *x = in.stmts.v[i];
		if (x->kind == MF_LINE) {
			if (work)
				mf_work_add(&c, x, x->toks.v[0], x->toks.v + 1, x->toks.n - 1);
			else
				mf_add(&c, NULL, x, x->toks.v[0], x->toks.v + 1, x->toks.n - 1);
			continue;
		}
		if (x->kind != MF_BLOCK)
			continue;
		struct str t0 = x->toks.v[0];
		bool known = x->toks.n == 1 &&
			(work ? (str_eqc(t0, "godebug") || str_eqc(t0, "use") || str_eqc(t0, "replace"))
			      : (str_eqc(t0, "module") || str_eqc(t0, "godebug") || str_eqc(t0, "require") ||
				 str_eqc(t0, "exclude") || str_eqc(t0, "replace") || str_eqc(t0, "retract") ||
				 str_eqc(t0, "tool") || str_eqc(t0, "ignore")));
		if (!known) {
			if (c.strict) {
				struct buf j = BUF_INIT;
				for (size_t k = 0; k < x->toks.n; k++) {
					if (k > 0)
						buf_addch(&j, ' ');
					buf_addstr(&j, x->toks.v[k]);
				}
				mf_errorf(&c, x->start, "unknown block type: %s", buf_cstr(&j));
				buf_release(&j);
			}
			continue;
		}
		for (size_t k = 0; k < x->lines.n; k++) {
			struct mf_node *l = x->lines.v[k];
			if (work)
				mf_work_add(&c, l, t0, l->toks.v, l->toks.n);
			else
				mf_add(&c, x, l, t0, l->toks.v, l->toks.n);
		}
	}
	if (!work)
		mf_fix_retract(&c, &in);
	if (errs.len > 0) {
		err_setf(e, "%s", buf_cstr(&errs));
		mf_file_to_arena(a, c.f, false);
		goto out;
	}
	mf_file_to_arena(a, c.f, true);
	*out = c.f;
	if (syn != NULL) {
		struct mf_syntax *sx = arena_new(a, struct mf_syntax);
		memset(sx, 0, sizeof *sx);
		sx->stmts.v = in.stmts.v;
		sx->stmts.n = sx->stmts.cap = in.stmts.n;
		sx->before.v = in.file_before.v;
		sx->before.n = sx->before.cap = in.file_before.n;
		*syn = sx;
	}
	rc = 0;
out:
	buf_release(&errs);
	arena_release(&tmp);
	return rc;
}

int mod_file_parse(struct arena *a, const char *filename, const char *data, size_t n,
		   bool strict, struct mod_file **out, struct err *e)
{
	return mf_parse_any(a, filename, data, n, strict, false, NULL, out, NULL, e);
}

int mod_file_parse_fix(struct arena *a, const char *filename, const char *data, size_t n,
		       bool strict, const struct mod_version_fixer *fix, struct mod_file **out,
		       struct err *e)
{
	return mf_parse_any(a, filename, data, n, strict, false, fix, out, NULL, e);
}

int mod_work_parse(struct arena *a, const char *filename, const char *data, size_t n,
		   struct mod_file **out, struct err *e)
{
	return mf_parse_any(a, filename, data, n, true, true, NULL, out, NULL, e);
}

int mf_parse_syntax(struct arena *a, const char *filename, const char *data, size_t n, bool work,
		    const struct mod_version_fixer *fix, struct mod_file **out, struct mf_syntax **syn,
		    struct err *e)
{
	return mf_parse_any(a, filename, data, n, true, work, fix, out, syn, e);
}

bool mod_go_version_ok(const char *s)
{
	return mf_go_version_ok(s);
}

bool mod_toolchain_ok(const char *s)
{
	return mf_toolchain_ok(s);
}

bool mod_is_directory_path(const char *s)
{
	return mf_is_dir_path(s);
}
