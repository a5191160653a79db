/*
 * modedit.c: editing and printing go.mod and go.work files.
 *
 * Mirrors the other half of golang.org/x/mod/modfile (go1.26 vendored
 * copy): read.go's addLine/updateLine/markRemoved/Cleanup on the syntax
 * tree, rule.go's and work.go's edit operations (AddRequire, AddReplace,
 * SortBlocks, removeDups...) and print.go's Format, byte for byte.
 *
 * The tree comes from modfile.c (mf_parse_syntax) and lives in the edit's
 * arena together with every string an edit adds.  Like modfile, a drop
 * only marks a line (toks.n = 0) and clears the entry; mod_edit_cleanup
 * removes both.
 */
#include <stdlib.h>
#include <string.h>

#include "modload/modfile_internal.h"
#include "modload/modload.h"

/* AVEC_INSERT puts x at index at, shifting the rest up (x: a plain variable). */
#define AVEC_INSERT(a, vec, at, x) do { \
	size_t _at = (at); \
	AVEC_PUSH(a, vec, x); \
	memmove(&(vec)->v[_at + 1], &(vec)->v[_at], ((vec)->n - 1 - _at) * sizeof(*(vec)->v)); \
	(vec)->v[_at] = (x); \
} while (0)

/* ---- quoting ---------------------------------------------------------------- */

bool mod_must_quote(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		size_t sz;
		uint32_t r = mod_utf8_decode(s + i, n - i, &sz);
		i += sz;
		switch (r) {
		case ' ': case '"': case '\'': case '`':
			return true;
		case '(': case ')': case '[': case ']': case '{': case '}': case ',':
			if (n > 1)
				return true;
			break;
		default:
			if (!mod_rune_is_print(r))
				return true;
		}
	}
	return n == 0 || strstr(s, "//") != NULL || strstr(s, "/*") != NULL;
}

void mod_strconv_quote(struct buf *b, const char *s)
{
	mod_quote(b, s, strlen(s));
}

int mod_strconv_unquote(const char *s, size_t n, struct buf *out)
{
	return mod_unquote(s, n, out);
}

const char *mod_auto_quote(struct arena *a, const char *s)
{
	if (!mod_must_quote(s))
		return arena_strdup(a, s);
	struct buf b = BUF_INIT;
	mod_quote(&b, s, strlen(s));
	char *q = arena_strndup(a, buf_cstr(&b), b.len);
	buf_release(&b);
	return q;
}

/* ---- the syntax tree ----------------------------------------------------------- */

static struct mf_node *node_new(struct mod_edit *f, enum mf_kind kind)
{
	struct mf_node *x = arena_new(&f->arena, struct mf_node);
	x->kind = kind;
	return x;
}

/* set_toks makes x's tokens toks[0..n) (arena copies). */
static void set_toks(struct mod_edit *f, struct mf_node *x, const char *const *toks, size_t n)
{
	x->toks.v = NULL;
	x->toks.n = x->toks.cap = 0;
	for (size_t i = 0; i < n; i++) {
		struct str t = str_c(arena_strdup(&f->arena, toks[i]));
		AVEC_PUSH(&f->arena, &x->toks, t);
	}
}

static bool tok0_is(const struct mf_node *x, const char *verb)
{
	return x->toks.n > 0 && str_eqc(x->toks.v[0], verb);
}

static struct mf_node *line_new(struct mod_edit *f, const char *const *toks, size_t n, bool in_block)
{
	struct mf_node *l = node_new(f, MF_LINE);
	set_toks(f, l, toks, n);
	l->in_block = in_block;
	return l;
}

/* syn_add_line mirrors FileSyntax.addLine. */
static struct mf_node *syn_add_line(struct mod_edit *f, struct mf_node *hint, const char *const *toks, size_t n)
{
	struct mf_syntax *x = f->syntax;
	struct mf_node *nl;
	if (hint == NULL) {
		for (size_t i = x->stmts.n; i-- > 0;) {
			struct mf_node *st = x->stmts.v[i];
			if ((st->kind == MF_LINE || st->kind == MF_BLOCK) && tok0_is(st, toks[0])) {
				hint = st;
				break;
			}
		}
	}
	if (hint != NULL) {
		for (size_t i = 0; i < x->stmts.n; i++) {
			struct mf_node *st = x->stmts.v[i];
			bool after = false;
			if (st->kind == MF_LINE && st == hint) {
				if (!tok0_is(st, toks[0])) {
					after = true;
				} else {
					/* convert the line into a block */
					struct mf_node *block = node_new(f, MF_BLOCK);
					block->lparen = node_new(f, MF_LPAREN);
					block->rparen = node_new(f, MF_RPAREN);
					AVEC_PUSH(&f->arena, &block->toks, st->toks.v[0]);
					st->toks.v++;
					st->toks.n--;
					st->toks.cap = st->toks.n;
					st->in_block = true;
					AVEC_PUSH(&f->arena, &block->lines, st);
					x->stmts.v[i] = block;
					nl = line_new(f, toks + 1, n - 1, true);
					AVEC_PUSH(&f->arena, &block->lines, nl);
					return nl;
				}
			} else if (st->kind == MF_BLOCK) {
				if (st == hint) {
					if (!tok0_is(st, toks[0])) {
						after = true;
					} else {
						nl = line_new(f, toks + 1, n - 1, true);
						AVEC_PUSH(&f->arena, &st->lines, nl);
						return nl;
					}
				} else {
					for (size_t j = 0; j < st->lines.n; j++) {
						if (st->lines.v[j] != hint)
							continue;
						if (!tok0_is(st, toks[0])) {
							after = true;
							break;
						}
						nl = line_new(f, toks + 1, n - 1, true);
						AVEC_INSERT(&f->arena, &st->lines, j + 1, nl);
						return nl;
					}
				}
			}
			if (after) {
				nl = line_new(f, toks, n, false);
				AVEC_INSERT(&f->arena, &x->stmts, i + 1, nl);
				return nl;
			}
		}
	}
	nl = line_new(f, toks, n, false);
	AVEC_PUSH(&f->arena, &x->stmts, nl);
	return nl;
}

/*
 * syn_add_line_typed mirrors addLine called with a *Line hint that may be
 * nil: Go passes it as a non-nil Expr interface, so a nil hint neither
 * searches for a block nor matches anything, and the line goes at the end
 * of the file (AddExclude, addReplace).
 */
static struct mf_node *syn_add_line_typed(struct mod_edit *f, struct mf_node *hint, const char *const *toks,
					  size_t n)
{
	if (hint != NULL)
		return syn_add_line(f, hint, toks, n);
	struct mf_node *nl = line_new(f, toks, n, false);
	AVEC_PUSH(&f->arena, &f->syntax->stmts, nl);
	return nl;
}

/* update_line mirrors FileSyntax.updateLine. */
static void update_line(struct mod_edit *f, struct mf_node *line, const char *const *toks, size_t n)
{
	if (line->in_block)
		toks++, n--;
	set_toks(f, line, toks, n);
}

/* mark_removed mirrors Line.markRemoved. */
static void mark_removed(struct mf_node *line)
{
	if (line == NULL)
		return;
	line->toks.n = 0;
	line->suffix.n = 0;
}

#define COMMENTS_ADD(a, dst, x, y) do { \
	(dst).v = NULL; (dst).n = (dst).cap = 0; \
	for (size_t _i = 0; _i < (x).n; _i++) AVEC_PUSH(a, &(dst), (x).v[_i]); \
	for (size_t _i = 0; _i < (y).n; _i++) AVEC_PUSH(a, &(dst), (y).v[_i]); \
} while (0)

/* syn_cleanup mirrors FileSyntax.Cleanup. */
static void syn_cleanup(struct mod_edit *f)
{
	struct mf_syntax *x = f->syntax;
	size_t w = 0;
	for (size_t i = 0; i < x->stmts.n; i++) {
		struct mf_node *st = x->stmts.v[i];
		if (st->kind == MF_LINE && st->toks.n == 0)
			continue;
		if (st->kind == MF_BLOCK) {
			size_t ww = 0;
			for (size_t j = 0; j < st->lines.n; j++)
				if (st->lines.v[j]->toks.n > 0)
					st->lines.v[ww++] = st->lines.v[j];
			if (ww == 0)
				continue;
			if (ww == 1 && st->rparen->before.n == 0) {
				/* collapse the block into one line, keeping the line's node */
				struct mf_node *l = st->lines.v[0];
				struct mf_node nl;
				memset(&nl, 0, sizeof nl);
				nl.kind = MF_LINE;
				COMMENTS_ADD(&f->arena, nl.before, st->before, l->before);
				COMMENTS_ADD(&f->arena, nl.suffix, l->suffix, st->suffix);
				COMMENTS_ADD(&f->arena, nl.after, l->after, st->after);
				for (size_t k = 0; k < st->toks.n; k++)
					AVEC_PUSH(&f->arena, &nl.toks, st->toks.v[k]);
				for (size_t k = 0; k < l->toks.n; k++)
					AVEC_PUSH(&f->arena, &nl.toks, l->toks.v[k]);
				*l = nl;
				x->stmts.v[w++] = l;
				continue;
			}
			st->lines.n = ww;
		}
		x->stmts.v[w++] = st;
	}
	x->stmts.n = w;
}

/* ---- printing (print.go) --------------------------------------------------------- */

struct printer {
	struct buf *b;
	VEC(struct str) comment; /* pending end-of-line comments */
	int margin;
};

static void pr_trim(struct printer *p)
{
	if (p->b->data == NULL)
		return;
	while (p->b->len > 0 && (p->b->data[p->b->len - 1] == '\t' || p->b->data[p->b->len - 1] == ' '))
		p->b->len--;
	p->b->data[p->b->len] = '\0';
}

static size_t pr_indent(const struct printer *p)
{
	size_t n = 0;
	while (n < p->b->len && p->b->data[p->b->len - 1 - n] != '\n')
		n++;
	return n;
}

static void pr_margin(struct printer *p)
{
	for (int i = 0; i < p->margin; i++)
		buf_addch(p->b, '\t');
}

static void pr_comment(struct printer *p, struct str t)
{
	buf_addstr(p->b, str_trim_space(t));
}

static void pr_newline(struct printer *p)
{
	if (p->comment.n > 0) {
		buf_addch(p->b, ' ');
		for (size_t i = 0; i < p->comment.n; i++) {
			if (i > 0) {
				pr_trim(p);
				buf_addch(p->b, '\n');
				pr_margin(p);
			}
			pr_comment(p, p->comment.v[i]);
		}
		p->comment.n = 0;
	}
	pr_trim(p);
	size_t n = p->b->len;
	const char *d = p->b->data;
	if (!(n == 0 || (n >= 2 && d[n - 1] == '\n' && d[n - 2] == '\n')))
		buf_addch(p->b, '\n');
	pr_margin(p);
}

static void pr_tokens(struct printer *p, const struct mf_node *x)
{
	const char *sep = "";
	for (size_t i = 0; i < x->toks.n; i++) {
		struct str t = x->toks.v[i];
		if (str_eqc(t, ",") || str_eqc(t, ")") || str_eqc(t, "]") || str_eqc(t, "}"))
			sep = "";
		buf_adds(p->b, sep);
		buf_addstr(p->b, t);
		sep = " ";
		if (str_eqc(t, "(") || str_eqc(t, "[") || str_eqc(t, "{"))
			sep = "";
	}
}

static void pr_expr(struct printer *p, const struct mf_node *x)
{
	if (x->before.n > 0) {
		pr_trim(p);
		if (pr_indent(p) > 0)
			buf_addch(p->b, '\n');
		pr_margin(p);
		for (size_t i = 0; i < x->before.n; i++) {
			pr_comment(p, x->before.v[i].text);
			pr_newline(p);
		}
	}
	switch (x->kind) {
	case MF_COMMENTS:
		break;
	case MF_LPAREN:
		buf_addch(p->b, '(');
		break;
	case MF_RPAREN:
		buf_addch(p->b, ')');
		break;
	case MF_LINE:
		pr_tokens(p, x);
		break;
	case MF_BLOCK:
		pr_tokens(p, x);
		buf_addch(p->b, ' ');
		pr_expr(p, x->lparen);
		p->margin++;
		for (size_t i = 0; i < x->lines.n; i++) {
			pr_newline(p);
			pr_expr(p, x->lines.v[i]);
		}
		p->margin--;
		pr_newline(p);
		pr_expr(p, x->rparen);
		break;
	}
	for (size_t i = 0; i < x->suffix.n; i++)
		VEC_PUSH(&p->comment, x->suffix.v[i].text);
}

void mod_edit_format(const struct mod_edit *f, struct buf *out)
{
	struct printer p = {out, {0}, 0};
	const struct mf_syntax *x = f->syntax;
	size_t start = out->len;
	for (size_t i = 0; i < x->before.n; i++) {
		pr_comment(&p, x->before.v[i].text);
		pr_newline(&p);
	}
	for (size_t i = 0; i < x->stmts.n; i++) {
		const struct mf_node *st = x->stmts.v[i];
		pr_expr(&p, st);
		if (st->kind != MF_COMMENTS)
			pr_newline(&p);
		for (size_t k = 0; k < st->after.n; k++) {
			pr_comment(&p, st->after.v[k].text);
			pr_newline(&p);
		}
		if (i + 1 < x->stmts.n)
			pr_newline(&p);
	}
	/* remove trailing blank lines */
	while (out->len > start && out->data[out->len - 1] == '\n' &&
	       (out->len - start == 1 || out->data[out->len - 2] == '\n'))
		out->len--;
	if (out->data != NULL)
		out->data[out->len] = '\0';
	VEC_FREE(&p.comment);
}

/* ---- building an editable file ------------------------------------------------------ */

struct mod_edit *mod_edit_new(bool work)
{
	struct mod_edit *f = xmalloc(sizeof *f);
	memset(f, 0, sizeof *f);
	arena_init(&f->arena);
	f->work = work;
	f->syntax = arena_new(&f->arena, struct mf_syntax);
	return f;
}

void mod_edit_free(struct mod_edit *f)
{
	if (f == NULL)
		return;
	VEC_FREE(&f->godebugs);
	VEC_FREE(&f->requires);
	VEC_FREE(&f->excludes);
	VEC_FREE(&f->replaces);
	VEC_FREE(&f->retracts);
	VEC_FREE(&f->tools);
	VEC_FREE(&f->ignores);
	VEC_FREE(&f->uses);
	arena_release(&f->arena);
	free(f);
}

/* attach gives the directive on line l (verb) its entry from the parse, in order. */
static void attach(struct mod_edit *f, const struct mod_file *mf, const char *verb, struct mf_node *l,
		   size_t *cnt)
{
	struct arena *a = &f->arena;
	if (strcmp(verb, "module") == 0) {
		f->module_syntax = l;
	} else if (strcmp(verb, "go") == 0) {
		f->go_syntax = l;
	} else if (strcmp(verb, "toolchain") == 0) {
		f->toolchain_syntax = l;
	} else if (strcmp(verb, "godebug") == 0) {
		struct mod_edit_godebug *g = arena_new(a, struct mod_edit_godebug);
		g->key = mf->godebugs.v[cnt[0]].key;
		g->value = mf->godebugs.v[cnt[0]++].value;
		g->syntax = l;
		VEC_PUSH(&f->godebugs, g);
	} else if (strcmp(verb, "require") == 0) {
		struct mod_edit_req *r = arena_new(a, struct mod_edit_req);
		const struct mod_require *q = &mf->requires.v[cnt[1]++];
		r->path = q->mod.path;
		r->version = q->mod.version;
		r->indirect = q->indirect;
		r->syntax = l;
		VEC_PUSH(&f->requires, r);
	} else if (strcmp(verb, "exclude") == 0) {
		struct mod_edit_path *x = arena_new(a, struct mod_edit_path);
		x->path = mf->excludes.v[cnt[2]].path;
		x->version = mf->excludes.v[cnt[2]++].version;
		x->syntax = l;
		VEC_PUSH(&f->excludes, x);
	} else if (strcmp(verb, "replace") == 0) {
		struct mod_edit_replace *r = arena_new(a, struct mod_edit_replace);
		r->old = mf->replaces.v[cnt[3]].old;
		r->new = mf->replaces.v[cnt[3]++].new;
		r->syntax = l;
		VEC_PUSH(&f->replaces, r);
	} else if (strcmp(verb, "retract") == 0) {
		struct mod_edit_retract *r = arena_new(a, struct mod_edit_retract);
		const struct mod_retract *q = &mf->retracts.v[cnt[4]++];
		r->low = q->low;
		r->high = q->high;
		r->rationale = q->rationale ? q->rationale : "";
		r->syntax = l;
		VEC_PUSH(&f->retracts, r);
	} else if (strcmp(verb, "tool") == 0 || strcmp(verb, "ignore") == 0 || strcmp(verb, "use") == 0) {
		struct mod_edit_path *p = arena_new(a, struct mod_edit_path);
		p->syntax = l;
		p->version = "";
		if (verb[0] == 't') {
			p->path = mf->tools.v[cnt[5]++];
			VEC_PUSH(&f->tools, p);
		} else if (verb[0] == 'i') {
			p->path = mf->ignores.v[cnt[6]++];
			VEC_PUSH(&f->ignores, p);
		} else {
			p->path = mf->uses.v[cnt[7]].path;
			p->version = mf->uses.v[cnt[7]++].module_path;
			VEC_PUSH(&f->uses, p);
		}
	}
}

/*
 * normalize rewrites the tokens of line l as modfile's parser does in place:
 * parseString leaves AutoQuote(value) in a path token and parseVersion the
 * canonical version, so `go mod edit -fmt` prints them that way.
 */
static void normalize(struct mod_edit *f, const char *verb, struct mf_node *l)
{
	struct str *args = l->toks.v;
	size_t n = l->toks.n;
	struct arena *a = &f->arena;
	if (!l->in_block)
		args++, n--;
	if (n == 0)
		return;
#define Q(s) str_c(mod_auto_quote(a, (s)))
	if (strcmp(verb, "module") == 0 && f->module != NULL) {
		args[0] = Q(f->module);
	} else if (strcmp(verb, "require") == 0 && n >= 2) {
		struct mod_edit_req *r = f->requires.v[f->requires.n - 1];
		args[0] = Q(r->path);
		args[1] = str_c(r->version);
	} else if (strcmp(verb, "exclude") == 0 && n >= 2) {
		struct mod_edit_path *x = f->excludes.v[f->excludes.n - 1];
		args[0] = Q(x->path);
		args[1] = str_c(x->version);
	} else if (strcmp(verb, "replace") == 0) {
		struct mod_edit_replace *r = f->replaces.v[f->replaces.n - 1];
		size_t arrow = n >= 2 && str_eqc(args[1], "=>") ? 1 : 2;
		args[0] = Q(r->old.path);
		if (arrow == 2)
			args[1] = str_c(r->old.version);
		if (arrow + 1 < n)
			args[arrow + 1] = Q(r->new.path);
		if (arrow + 2 < n)
			args[arrow + 2] = str_c(r->new.version);
	} else if (strcmp(verb, "retract") == 0) {
		struct mod_edit_retract *r = f->retracts.v[f->retracts.n - 1];
		if (!str_eqc(args[0], "["))
			args[0] = str_c(r->low);
		else if (n >= 4) {
			args[1] = str_c(r->low);
			args[3] = str_c(r->high);
		}
	} else if (strcmp(verb, "tool") == 0) {
		args[0] = Q(f->tools.v[f->tools.n - 1]->path);
	} else if (strcmp(verb, "ignore") == 0) {
		args[0] = Q(f->ignores.v[f->ignores.n - 1]->path);
	} else if (strcmp(verb, "use") == 0) {
		args[0] = Q(f->uses.v[f->uses.n - 1]->path);
	}
#undef Q
}

static int edit_parse(const char *filename, const char *data, size_t n, bool work,
		      const struct mod_version_fixer *fix, struct mod_edit **out, struct err *e);

int mod_edit_parse(const char *filename, const char *data, size_t n, bool work, struct mod_edit **out,
		   struct err *e)
{
	return edit_parse(filename, data, n, work, NULL, out, e);
}

int mod_edit_parse_fix(const char *filename, const char *data, size_t n, const struct mod_version_fixer *fix,
		       struct mod_edit **out, struct err *e)
{
	return edit_parse(filename, data, n, false, fix, out, e);
}

static int edit_parse(const char *filename, const char *data, size_t n, bool work,
		      const struct mod_version_fixer *fix, struct mod_edit **out, struct err *e)
{
	struct mod_edit *f = mod_edit_new(work);
	struct mod_file *mf = NULL;
	size_t cnt[8] = {0};

	*out = NULL;
	if (mf_parse_syntax(&f->arena, filename, data, n, work, fix, &mf, &f->syntax, e) < 0) {
		mod_edit_free(f);
		return -1;
	}
	f->module = mf->module;
	f->deprecated = mf->deprecated ? mf->deprecated : "";
	f->go = mf->go;
	f->toolchain = mf->toolchain;
	/* a successful parse made exactly one entry per directive line, in file order */
	for (size_t i = 0; i < f->syntax->stmts.n; i++) {
		struct mf_node *st = f->syntax->stmts.v[i];
		char *verb;
		if (st->kind != MF_LINE && st->kind != MF_BLOCK)
			continue;
		verb = arena_strndup(&f->arena, st->toks.v[0].p, st->toks.v[0].n);
		if (st->kind == MF_LINE) {
			attach(f, mf, verb, st, cnt);
			normalize(f, verb, st);
			continue;
		}
		for (size_t j = 0; j < st->lines.n; j++) {
			attach(f, mf, verb, st->lines.v[j], cnt);
			normalize(f, verb, st->lines.v[j]);
		}
	}
	*out = f;
	return 0;
}

/* ---- edits (rule.go, work.go) ---------------------------------------------------------- */

static const char *dup(struct mod_edit *f, const char *s)
{
	return arena_strdup(&f->arena, s);
}

void mod_edit_add_module(struct mod_edit *f, const char *path)
{
	const char *toks[] = {"module", mod_auto_quote(&f->arena, path)};
	if (f->module == NULL) {
		f->module_syntax = syn_add_line(f, NULL, toks, 2);
	} else {
		update_line(f, f->module_syntax, toks, 2);
	}
	f->module = dup(f, path);
}

void mod_edit_add_comment(struct mod_edit *f, const char *text)
{
	struct mf_node *cb = node_new(f, MF_COMMENTS);
	struct mf_comment c;
	memset(&c, 0, sizeof c);
	c.text = str_c(dup(f, text));
	AVEC_PUSH(&f->arena, &cb->before, c);
	AVEC_PUSH(&f->arena, &f->syntax->stmts, cb);
}

/* insert_stmt inserts a new top-level line at index i (work.go's Go/Toolchain placement). */
static struct mf_node *insert_stmt(struct mod_edit *f, size_t i, const char *const *toks, size_t n)
{
	struct mf_node *l = line_new(f, toks, n, false);
	AVEC_INSERT(&f->arena, &f->syntax->stmts, i, l);
	return l;
}

static size_t first_non_comment(const struct mod_edit *f)
{
	size_t i = 0;
	while (i < f->syntax->stmts.n && f->syntax->stmts.v[i]->kind == MF_COMMENTS)
		i++;
	return i;
}

int mod_edit_add_go(struct mod_edit *f, const char *version, struct err *e)
{
	const char *toks[] = {"go", version};
	if (!mod_go_version_ok(version)) {
		struct buf q = BUF_INIT;
		mod_quote(&q, version, strlen(version));
		err_setf(e, "invalid language version %s", buf_cstr(&q));
		buf_release(&q);
		return -1;
	}
	if (f->go == NULL) {
		if (f->work)
			f->go_syntax = insert_stmt(f, first_non_comment(f), toks, 2);
		else
			f->go_syntax = syn_add_line(f, f->module != NULL ? f->module_syntax : NULL, toks, 2);
	} else {
		update_line(f, f->go_syntax, toks, 2);
	}
	f->go = dup(f, version);
	return 0;
}

void mod_edit_drop_go(struct mod_edit *f)
{
	if (f->go != NULL) {
		mark_removed(f->go_syntax);
		f->go = NULL;
		f->go_syntax = NULL;
	}
}

int mod_edit_add_toolchain(struct mod_edit *f, const char *name, struct err *e)
{
	const char *toks[] = {"toolchain", name};
	if (!mod_toolchain_ok(name)) {
		struct buf q = BUF_INIT;
		mod_quote(&q, name, strlen(name));
		err_setf(e, "invalid toolchain name %s", buf_cstr(&q));
		buf_release(&q);
		return -1;
	}
	if (f->toolchain == NULL) {
		if (f->work) {
			size_t i, n = f->syntax->stmts.n;
			for (i = 0; i < n; i++) {
				struct mf_node *st = f->syntax->stmts.v[i];
				if (st->kind == MF_LINE && tok0_is(st, "go"))
					break;
			}
			i = i < n ? i + 1 : first_non_comment(f);
			f->toolchain_syntax = insert_stmt(f, i, toks, 2);
		} else {
			struct mf_node *hint = NULL;
			if (f->go != NULL && f->go_syntax != NULL)
				hint = f->go_syntax;
			else if (f->module != NULL && f->module_syntax != NULL)
				hint = f->module_syntax;
			f->toolchain_syntax = syn_add_line(f, hint, toks, 2);
		}
	} else {
		update_line(f, f->toolchain_syntax, toks, 2);
	}
	f->toolchain = dup(f, name);
	return 0;
}

void mod_edit_drop_toolchain(struct mod_edit *f)
{
	if (f->toolchain != NULL) {
		mark_removed(f->toolchain_syntax);
		f->toolchain = NULL;
		f->toolchain_syntax = NULL;
	}
}

void mod_edit_add_godebug(struct mod_edit *f, const char *key, const char *value)
{
	bool need = true;
	char *kv = arena_printf(&f->arena, "%s=%s", key, value);
	const char *toks[] = {"godebug", kv};
	for (size_t i = 0; i < f->godebugs.n; i++) {
		struct mod_edit_godebug *g = f->godebugs.v[i];
		if (g->key == NULL || strcmp(g->key, key) != 0)
			continue;
		if (need) {
			g->value = dup(f, value);
			update_line(f, g->syntax, toks, 2);
			need = false;
		} else {
			mark_removed(g->syntax);
			memset(g, 0, sizeof *g);
		}
	}
	if (need) {
		struct mod_edit_godebug *g = arena_new(&f->arena, struct mod_edit_godebug);
		g->syntax = syn_add_line(f, NULL, toks, 2);
		g->key = dup(f, key);
		g->value = dup(f, value);
		VEC_PUSH(&f->godebugs, g);
	}
}

void mod_edit_drop_godebug(struct mod_edit *f, const char *key)
{
	for (size_t i = 0; i < f->godebugs.n; i++) {
		struct mod_edit_godebug *g = f->godebugs.v[i];
		if (g->key != NULL && strcmp(g->key, key) == 0) {
			mark_removed(g->syntax);
			memset(g, 0, sizeof *g);
		}
	}
}

/* is_indirect mirrors modfile.isIndirect. */
static bool is_indirect(const struct mf_node *line)
{
	if (line->suffix.n == 0)
		return false;
	struct str t = line->suffix.v[0].text;
	if (str_has_prefix(t, "//"))
		t.p += 2, t.n -= 2;
	t = str_trim_space(t);
	/* strings.Fields: the first field, and whether there are more */
	size_t k = 0;
	while (k < t.n && !(t.p[k] == ' ' || t.p[k] == '\t' || t.p[k] == '\n' || t.p[k] == '\r' ||
			    t.p[k] == '\v' || t.p[k] == '\f'))
		k++;
	struct str first = {t.p, k};
	bool more = k < t.n;
	return (!more && str_eqc(first, "indirect")) || (more && str_eqc(first, "indirect;"));
}

/* set_indirect mirrors Require.setIndirect. */
static void set_indirect(struct mod_edit *f, struct mod_edit_req *r, bool indirect)
{
	struct mf_node *line = r->syntax;
	r->indirect = indirect;
	if (is_indirect(line) == indirect)
		return;
	if (indirect) {
		if (line->suffix.n == 0) {
			struct mf_comment c;
			memset(&c, 0, sizeof c);
			c.text = str_c("// indirect");
			line->suffix.v = NULL;
			line->suffix.n = line->suffix.cap = 0;
			AVEC_PUSH(&f->arena, &line->suffix, c);
			return;
		}
		struct mf_comment *com = &line->suffix.v[0];
		struct str text = com->text;
		if (str_has_prefix(text, "//"))
			text.p += 2, text.n -= 2;
		text = str_trim_space(text);
		if (text.n == 0) {
			com->text = str_c("// indirect");
			return;
		}
		com->text = str_c(arena_printf(&f->arena, "// indirect; %.*s", (int)text.n, text.p));
		return;
	}
	struct str t = line->suffix.v[0].text;
	if (str_has_prefix(t, "//"))
		t.p += 2, t.n -= 2;
	if (str_eqc(str_trim_space(t), "indirect")) {
		line->suffix.n = 0;
		return;
	}
	struct mf_comment *com = &line->suffix.v[0];
	struct buf b = BUF_INIT;
	buf_addstr(&b, com->text);
	const char *p = strstr(buf_cstr(&b), "indirect;");
	com->text = str_c(arena_printf(&f->arena, "//%s", p + strlen("indirect;")));
	buf_release(&b);
}

/* set_version mirrors Require.setVersion. */
static void set_version(struct mod_edit *f, struct mod_edit_req *r, const char *v)
{
	struct mf_node *line = r->syntax;
	r->version = dup(f, v);
	if (line->toks.n == 0)
		return;
	if (line->in_block) {
		if (line->before.n == 1 && line->before.v[0].text.n == 0)
			line->before.n = 0;
		if (line->toks.n >= 2)
			line->toks.v[1] = str_c(r->version);
	} else if (line->toks.n >= 3) {
		line->toks.v[2] = str_c(r->version);
	}
}

void mod_edit_add_require(struct mod_edit *f, const char *path, const char *version)
{
	bool need = true;
	const char *toks[] = {"require", mod_auto_quote(&f->arena, path), version};
	for (size_t i = 0; i < f->requires.n; i++) {
		struct mod_edit_req *r = f->requires.v[i];
		if (r->path == NULL || strcmp(r->path, path) != 0)
			continue;
		if (need) {
			r->version = dup(f, version);
			update_line(f, r->syntax, toks, 3);
			need = false;
		} else {
			mark_removed(r->syntax);
			memset(r, 0, sizeof *r);
		}
	}
	if (need)
		mod_edit_add_new_require(f, path, version, false);
}

void mod_edit_add_new_require(struct mod_edit *f, const char *path, const char *version, bool indirect)
{
	const char *toks[] = {"require", mod_auto_quote(&f->arena, path), version};
	struct mod_edit_req *r = arena_new(&f->arena, struct mod_edit_req);
	r->syntax = syn_add_line(f, NULL, toks, 3);
	r->path = dup(f, path);
	r->version = dup(f, version);
	set_indirect(f, r, indirect);
	VEC_PUSH(&f->requires, r);
}

void mod_edit_set_require(struct mod_edit *f, const struct mod_edit_req *reqs, size_t n)
{
	bool *done = xcalloc(n ? n : 1, sizeof *done);
	for (size_t i = 0; i < f->requires.n; i++) {
		struct mod_edit_req *r = f->requires.v[i];
		size_t k;
		if (r->path == NULL)
			continue;
		for (k = 0; k < n; k++)
			if (strcmp(reqs[k].path, r->path) == 0)
				break;
		if (k < n && !done[k]) {
			set_version(f, r, reqs[k].version);
			set_indirect(f, r, reqs[k].indirect);
			done[k] = true;
		} else {
			/* not wanted, or a later duplicate (go deletes the path from its need map) */
			mark_removed(r->syntax);
			memset(r, 0, sizeof *r);
		}
	}
	for (size_t k = 0; k < n; k++)
		if (!done[k])
			mod_edit_add_new_require(f, reqs[k].path, reqs[k].version, reqs[k].indirect);
	free(done);
	mod_edit_sort_blocks(f);
}

/* has_comments is SetRequireSeparateIndirect's hasComments: comments other than "indirect". */
static bool has_comments(const struct mf_node *x)
{
	if (x->before.n > 0 || x->after.n > 0 || x->suffix.n > 1)
		return true;
	if (x->suffix.n == 1) {
		struct str t = x->suffix.v[0].text;
		if (str_has_prefix(t, "//"))
			t.p += 2, t.n -= 2;
		return !str_eqc(str_trim_space(t), "indirect");
	}
	return false;
}

/* move_req is SetRequireSeparateIndirect's moveReq. */
static void move_req(struct mod_edit *f, struct mod_edit_req *r, struct mf_node *block)
{
	struct mf_node *line;
	if (r->syntax == NULL) {
		const char *toks[] = {mod_auto_quote(&f->arena, r->path), r->version};
		line = line_new(f, toks, 2, false);
		r->syntax = line;
		if (r->indirect) {
			r->indirect = false;
			set_indirect(f, r, true);
		}
	} else {
		line = node_new(f, MF_LINE);
		*line = *r->syntax;
		if (!line->in_block && tok0_is(line, "require")) {
			line->toks.v++;
			line->toks.n--;
			line->toks.cap = line->toks.n;
		}
		r->syntax->toks.n = 0; /* Cleanup deletes the old line */
		r->syntax = line;
	}
	line->in_block = true;
	AVEC_PUSH(&f->arena, &block->lines, line);
}

/* lineToBlock: the require block each line was in before any was made. */
struct line_block {
	const struct mf_node *line, *block;
};

static const struct mf_node *block_of(const struct line_block *v, size_t n, const struct mf_node *line)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].line == line)
			return v[i].block;
	return NULL;
}

static struct mf_node *insert_block(struct mod_edit *f, size_t i)
{
	struct mf_node *b = node_new(f, MF_BLOCK);
	const char *req = "require";
	b->lparen = node_new(f, MF_LPAREN);
	b->rparen = node_new(f, MF_RPAREN);
	set_toks(f, b, &req, 1);
	AVEC_INSERT(&f->arena, &f->syntax->stmts, i, b);
	return b;
}

static struct mf_node *ensure_block(struct mod_edit *f, size_t i)
{
	struct mf_node *st = f->syntax->stmts.v[i];
	if (st->kind == MF_BLOCK)
		return st;
	struct mf_node *b = node_new(f, MF_BLOCK);
	const char *req = "require";
	b->lparen = node_new(f, MF_LPAREN);
	b->rparen = node_new(f, MF_RPAREN);
	set_toks(f, b, &req, 1);
	st->toks.v++;
	st->toks.n--;
	st->toks.cap = st->toks.n;
	st->in_block = true;
	AVEC_PUSH(&f->arena, &b->lines, st);
	f->syntax->stmts.v[i] = b;
	return b;
}

void mod_edit_set_require_separate_indirect(struct mod_edit *f, const struct mod_edit_req *reqs, size_t n)
{
	long last_direct = -1, last_indirect = -1, last_require = -1;
	size_t count = 0;
	struct mf_syntax *x = f->syntax;
	VEC(struct line_block) l2b = {0};

	for (size_t i = 0; i < x->stmts.n; i++) {
		struct mf_node *st = x->stmts.v[i];
		if ((st->kind != MF_LINE && st->kind != MF_BLOCK) || !tok0_is(st, "require"))
			continue;
		last_require = (long)i;
		count++;
		if (st->kind == MF_LINE) {
			if (!has_comments(st)) {
				if (is_indirect(st))
					last_indirect = (long)i;
				else
					last_direct = (long)i;
			}
			continue;
		}
		bool all_direct = st->lines.n > 0 && !has_comments(st), all_indirect = all_direct;
		for (size_t j = 0; j < st->lines.n; j++) {
			struct mf_node *l = st->lines.v[j];
			struct line_block lb = {l, st};
			VEC_PUSH(&l2b, lb);
			if (has_comments(l))
				all_direct = all_indirect = false;
			else if (is_indirect(l))
				all_direct = false;
			else
				all_indirect = false;
		}
		if (all_direct)
			last_direct = (long)i;
		if (all_indirect)
			last_indirect = (long)i;
	}
	bool one_flat = count == 1 && !has_comments(x->stmts.v[last_require]);

	struct mf_node *direct_block, *indirect_block;
	if (last_direct < 0) {
		if (last_indirect >= 0) {
			last_direct = last_indirect;
			last_indirect++;
		} else if (last_require >= 0) {
			last_direct = last_require + 1;
		} else {
			last_direct = (long)x->stmts.n;
		}
		direct_block = insert_block(f, (size_t)last_direct);
	} else {
		direct_block = ensure_block(f, (size_t)last_direct);
	}
	if (last_indirect < 0) {
		last_indirect = last_direct + 1;
		indirect_block = insert_block(f, (size_t)last_indirect);
	} else {
		indirect_block = ensure_block(f, (size_t)last_indirect);
	}

	bool *have = xcalloc(n ? n : 1, sizeof *have);
	for (size_t i = 0; i < f->requires.n; i++) {
		struct mod_edit_req *r = f->requires.v[i];
		size_t k;
		if (r->path == NULL)
			continue;
		for (k = 0; k < n; k++)
			if (strcmp(reqs[k].path, r->path) == 0)
				break;
		if (k == n || have[k]) {
			/* not needed, or a duplicate */
			mark_removed(r->syntax);
			memset(r, 0, sizeof *r);
			continue;
		}
		have[k] = true;
		set_version(f, r, reqs[k].version);
		set_indirect(f, r, reqs[k].indirect);
		const struct mf_node *in = block_of(l2b.v, l2b.n, r->syntax);
		if (reqs[k].indirect && (one_flat || in == direct_block))
			move_req(f, r, indirect_block);
		else if (!reqs[k].indirect && (one_flat || in == indirect_block))
			move_req(f, r, direct_block);
	}
	for (size_t k = 0; k < n; k++) {
		if (have[k])
			continue;
		struct mod_edit_req *r = arena_new(&f->arena, struct mod_edit_req);
		r->path = dup(f, reqs[k].path);
		r->version = dup(f, reqs[k].version);
		r->indirect = reqs[k].indirect;
		move_req(f, r, reqs[k].indirect ? indirect_block : direct_block);
		VEC_PUSH(&f->requires, r);
	}
	free(have);
	VEC_FREE(&l2b);
	mod_edit_sort_blocks(f);
}

void mod_edit_drop_require(struct mod_edit *f, const char *path)
{
	for (size_t i = 0; i < f->requires.n; i++) {
		struct mod_edit_req *r = f->requires.v[i];
		if (r->path != NULL && strcmp(r->path, path) == 0) {
			mark_removed(r->syntax);
			memset(r, 0, sizeof *r);
		}
	}
}

/* path_major_prefix is module.PathMajorPrefix. */
static char *path_major_prefix(const char *pm)
{
	const char *s = pm;
	size_t n;
	if (*s == '/' || *s == '.')
		s++;
	n = strlen(s);
	if (n >= 9 && strcmp(s + n - 9, "-unstable") == 0)
		n -= 9;
	return xstrndup(s, n);
}

/* check_canonical_version mirrors modfile's checkCanonicalVersion. */
static int check_canonical_version(const char *path, const char *vers, struct err *e)
{
	char *prefix = NULL, *pm = NULL, *canon = mod_semver_canonical(vers), *build = mod_semver_build(vers);
	bool ok = mod_split_path_version(path, &prefix, &pm);

	/* module.CanonicalVersion keeps +incompatible */
	if (canon[0] != '\0' && strcmp(build, "+incompatible") == 0) {
		char *c = xasprintf("%s+incompatible", canon);
		free(canon);
		canon = c;
	}
	free(build);
	struct buf q = BUF_INIT;
	int rc = -1;

	if (pm == NULL)
		pm = xstrdup("");
	mod_quote(&q, vers, strlen(vers));
	if (vers[0] == '\0' || strcmp(vers, canon) != 0) {
		if (pm[0] == '\0') {
			err_setf(e, "version %s invalid: must be of the form v1.2.3", buf_cstr(&q));
		} else {
			char *mp = path_major_prefix(pm);
			err_setf(e, "version %s invalid: must be of the form %s.2.3", buf_cstr(&q), mp);
			free(mp);
		}
		goto out;
	}
	if (ok && mod_check_path_major(vers, pm, e) < 0) {
		if (pm[0] == '\0') {
			char *major = mod_semver_major(vers);
			err_clear(e);
			err_setf(e, "version %s invalid: should be %s+incompatible (or module %s/%s)", buf_cstr(&q),
				 vers, path, major);
			free(major);
		}
		goto out;
	}
	rc = 0;
out:
	buf_release(&q);
	free(prefix);
	free(pm);
	free(canon);
	return rc;
}

int mod_edit_add_exclude(struct mod_edit *f, const char *path, const char *version, struct err *e)
{
	struct mf_node *hint = NULL;
	if (check_canonical_version(path, version, e) < 0)
		return -1;
	for (size_t i = 0; i < f->excludes.n; i++) {
		struct mod_edit_path *x = f->excludes.v[i];
		if (x->path == NULL)
			continue;
		if (strcmp(x->path, path) == 0 && strcmp(x->version, version) == 0)
			return 0;
		if (strcmp(x->path, path) == 0)
			hint = x->syntax;
	}
	const char *toks[] = {"exclude", mod_auto_quote(&f->arena, path), version};
	struct mod_edit_path *x = arena_new(&f->arena, struct mod_edit_path);
	x->path = dup(f, path);
	x->version = dup(f, version);
	x->syntax = syn_add_line_typed(f, hint, toks, 3);
	VEC_PUSH(&f->excludes, x);
	return 0;
}

void mod_edit_drop_exclude(struct mod_edit *f, const char *path, const char *version)
{
	for (size_t i = 0; i < f->excludes.n; i++) {
		struct mod_edit_path *x = f->excludes.v[i];
		if (x->path != NULL && strcmp(x->path, path) == 0 && strcmp(x->version, version) == 0) {
			mark_removed(x->syntax);
			memset(x, 0, sizeof *x);
		}
	}
}

void mod_edit_add_replace(struct mod_edit *f, const char *old_path, const char *old_vers,
			  const char *new_path, const char *new_vers)
{
	const char *toks[6];
	size_t n = 0;
	bool need = true;
	struct mf_node *hint = NULL;

	toks[n++] = "replace";
	toks[n++] = mod_auto_quote(&f->arena, old_path);
	if (old_vers[0] != '\0')
		toks[n++] = old_vers;
	toks[n++] = "=>";
	toks[n++] = mod_auto_quote(&f->arena, new_path);
	if (new_vers[0] != '\0')
		toks[n++] = new_vers;
	for (size_t i = 0; i < f->replaces.n; i++) {
		struct mod_edit_replace *r = f->replaces.v[i];
		if (r->old.path == NULL)
			continue;
		if (strcmp(r->old.path, old_path) == 0 &&
		    (old_vers[0] == '\0' || strcmp(r->old.version, old_vers) == 0)) {
			if (need) {
				r->new.path = dup(f, new_path);
				r->new.version = dup(f, new_vers);
				update_line(f, r->syntax, toks, n);
				need = false;
				continue;
			}
			mark_removed(r->syntax);
			memset(r, 0, sizeof *r);
			continue; /* r.Old.Path is now "": it cannot be the hint */
		}
		if (strcmp(r->old.path, old_path) == 0)
			hint = r->syntax;
	}
	if (need) {
		struct mod_edit_replace *r = arena_new(&f->arena, struct mod_edit_replace);
		r->old.path = dup(f, old_path);
		r->old.version = dup(f, old_vers);
		r->new.path = dup(f, new_path);
		r->new.version = dup(f, new_vers);
		r->syntax = syn_add_line_typed(f, hint, toks, n);
		VEC_PUSH(&f->replaces, r);
	}
}

void mod_edit_drop_replace(struct mod_edit *f, const char *old_path, const char *old_vers)
{
	for (size_t i = 0; i < f->replaces.n; i++) {
		struct mod_edit_replace *r = f->replaces.v[i];
		if (r->old.path != NULL && strcmp(r->old.path, old_path) == 0 &&
		    strcmp(r->old.version, old_vers) == 0) {
			mark_removed(r->syntax);
			memset(r, 0, sizeof *r);
		}
	}
}

int mod_edit_add_retract(struct mod_edit *f, const char *low, const char *high, const char *rationale,
			 struct err *e)
{
	const char *path = f->module != NULL ? f->module : "";
	struct mf_node *line;
	if (check_canonical_version(path, high, e) < 0 || check_canonical_version(path, low, e) < 0)
		return -1;
	if (strcmp(low, high) == 0) {
		const char *toks[] = {"retract", mod_auto_quote(&f->arena, low)};
		line = syn_add_line(f, NULL, toks, 2);
	} else {
		const char *toks[] = {"retract", "[", mod_auto_quote(&f->arena, low), ",",
				      mod_auto_quote(&f->arena, high), "]"};
		line = syn_add_line(f, NULL, toks, 6);
	}
	if (rationale != NULL && rationale[0] != '\0') {
		const char *s = rationale;
		for (;;) {
			const char *nl = strchr(s, '\n');
			size_t k = nl ? (size_t)(nl - s) : strlen(s);
			struct mf_comment c;
			memset(&c, 0, sizeof c);
			c.text = str_c(arena_printf(&f->arena, "// %.*s", (int)k, s));
			AVEC_PUSH(&f->arena, &line->before, c);
			if (nl == NULL)
				break;
			s = nl + 1;
		}
	}
	/* like go 1.26's modfile, the new retraction is not added to f->retracts */
	return 0;
}

void mod_edit_drop_retract(struct mod_edit *f, const char *low, const char *high)
{
	for (size_t i = 0; i < f->retracts.n; i++) {
		struct mod_edit_retract *r = f->retracts.v[i];
		if (r->low != NULL && strcmp(r->low, low) == 0 && strcmp(r->high, high) == 0) {
			mark_removed(r->syntax);
			memset(r, 0, sizeof *r);
		}
	}
}

static void add_path(struct mod_edit *f, struct mod_edit_paths *vec, const char *verb, const char *path)
{
	for (size_t i = 0; i < vec->n; i++)
		if (vec->v[i]->path != NULL && strcmp(vec->v[i]->path, path) == 0)
			return;
	const char *toks[] = {verb, path};
	struct mod_edit_path *t = arena_new(&f->arena, struct mod_edit_path);
	t->path = dup(f, path);
	t->version = "";
	t->syntax = syn_add_line(f, NULL, toks, 2);
	VEC_PUSH(vec, t);
	mod_edit_sort_blocks(f);
}

static void drop_path(struct mod_edit_paths *vec, const char *path)
{
	for (size_t i = 0; i < vec->n; i++) {
		struct mod_edit_path *t = vec->v[i];
		if (t->path != NULL && strcmp(t->path, path) == 0) {
			mark_removed(t->syntax);
			memset(t, 0, sizeof *t);
		}
	}
}

void mod_edit_add_tool(struct mod_edit *f, const char *path)
{
	add_path(f, &f->tools, "tool", path);
}

void mod_edit_drop_tool(struct mod_edit *f, const char *path)
{
	drop_path(&f->tools, path);
}

void mod_edit_add_ignore(struct mod_edit *f, const char *path)
{
	add_path(f, &f->ignores, "ignore", path);
}

void mod_edit_drop_ignore(struct mod_edit *f, const char *path)
{
	drop_path(&f->ignores, path);
}

void mod_edit_add_use(struct mod_edit *f, const char *dir, const char *module_path)
{
	bool need = true;
	const char *toks[] = {"use", mod_auto_quote(&f->arena, dir)};
	for (size_t i = 0; i < f->uses.n; i++) {
		struct mod_edit_path *d = f->uses.v[i];
		if (d->path == NULL || strcmp(d->path, dir) != 0)
			continue;
		if (need) {
			d->version = dup(f, module_path);
			update_line(f, d->syntax, toks, 2);
			need = false;
		} else {
			mark_removed(d->syntax);
			memset(d, 0, sizeof *d);
		}
	}
	if (need) {
		struct mod_edit_path *d = arena_new(&f->arena, struct mod_edit_path);
		d->syntax = syn_add_line(f, NULL, toks, 2);
		d->path = dup(f, dir);
		d->version = dup(f, module_path);
		VEC_PUSH(&f->uses, d);
	}
}

void mod_edit_drop_use(struct mod_edit *f, const char *dir)
{
	drop_path(&f->uses, dir);
}

/* ---- SortBlocks, removeDups, Cleanup ------------------------------------------------------ */

/* tok_cstr returns a heap NUL-terminated copy of a token. */
static char *tok_cstr(struct str t)
{
	return xstrndup(t.p, t.n);
}

static int tok_cmp(struct str a, struct str b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	int c = n ? memcmp(a.p, b.p, n) : 0;
	if (c != 0)
		return c < 0 ? -1 : 1;
	return a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
}

/* compare_line is modfile's compareLine. */
static int compare_line(const struct mf_node *li, const struct mf_node *lj)
{
	for (size_t k = 0; k < li->toks.n && k < lj->toks.n; k++) {
		int c = tok_cmp(li->toks.v[k], lj->toks.v[k]);
		if (c != 0)
			return c;
	}
	return li->toks.n < lj->toks.n ? -1 : li->toks.n > lj->toks.n ? 1 : 0;
}

static int semver_cmp_toks(struct str a, struct str b)
{
	char *x = tok_cstr(a), *y = tok_cstr(b);
	int c = mod_semver_compare(x, y);
	free(x);
	free(y);
	return c;
}

static int compare_line_exclude(const struct mf_node *li, const struct mf_node *lj)
{
	if (li->toks.n != 2 || lj->toks.n != 2)
		return compare_line(li, lj);
	int c = tok_cmp(li->toks.v[0], lj->toks.v[0]);
	if (c != 0)
		return c;
	return semver_cmp_toks(li->toks.v[1], lj->toks.v[1]);
}

/* retract_interval is compareLineRetract's interval(); empty strs: unknown format. */
static void retract_interval(const struct mf_node *l, struct str *low, struct str *high)
{
	*low = *high = (struct str){"", 0};
	if (l->toks.n == 1) {
		*low = *high = l->toks.v[0];
	} else if (l->toks.n == 5 && str_eqc(l->toks.v[0], "[") && str_eqc(l->toks.v[2], ",") &&
		   str_eqc(l->toks.v[4], "]")) {
		*low = l->toks.v[1];
		*high = l->toks.v[3];
	}
}

static int compare_line_retract(const struct mf_node *li, const struct mf_node *lj)
{
	struct str il, ih, jl, jh;
	retract_interval(li, &il, &ih);
	retract_interval(lj, &jl, &jh);
	int c = semver_cmp_toks(il, jl);
	if (c != 0)
		return -c;
	return -semver_cmp_toks(ih, jh);
}

enum { CMP_LINE, CMP_EXCLUDE, CMP_RETRACT };

static int compare_by(int how, const struct mf_node *a, const struct mf_node *b)
{
	switch (how) {
	case CMP_EXCLUDE:
		return compare_line_exclude(a, b);
	case CMP_RETRACT:
		return compare_line_retract(a, b);
	default:
		return compare_line(a, b);
	}
}

/* sort_lines is slices.SortStableFunc (a stable merge sort). */
static void sort_lines(struct mf_node **v, size_t n, int how)
{
	if (n < 2)
		return;
	struct mf_node **tmp = xcalloc(n, sizeof *tmp);
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = compare_by(how, v[j], v[i]) < 0 ? v[j++] : v[i++];
			while (i < mid)
				tmp[k++] = v[i++];
			while (j < hi)
				tmp[k++] = v[j++];
		}
		memcpy(v, tmp, n * sizeof *v);
	}
	free(tmp);
}

static bool streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

/* kill_list is removeDups' kill set: lines to drop from the tree. */
struct kill_list {
	VEC(struct mf_node *) v;
};

static bool killed(const struct kill_list *k, const struct mf_node *x)
{
	for (size_t i = 0; i < k->v.n; i++)
		if (k->v.v[i] == x)
			return true;
	return false;
}

/* dedup_paths drops later entries of vec with an equal path (and version). */
static void dedup_paths(struct mod_edit_paths *vec, struct kill_list *kill)
{
	size_t w = 0;
	for (size_t i = 0; i < vec->n; i++) {
		struct mod_edit_path *x = vec->v[i];
		bool dupe = false;
		for (size_t j = 0; j < w && !dupe; j++) {
			struct mod_edit_path *y = vec->v[j];
			dupe = x->path == NULL ? y->path == NULL
					       : y->path != NULL && streq(x->path, y->path) && streq(x->version, y->version);
		}
		if (dupe) {
			if (x->syntax != NULL)
				VEC_PUSH(&kill->v, x->syntax);
			continue;
		}
		vec->v[w++] = x;
	}
	vec->n = w;
}

/* remove_dups mirrors modfile's removeDups. */
static void remove_dups(struct mod_edit *f)
{
	struct kill_list kill = {{0}};
	struct mf_syntax *x = f->syntax;
	size_t w;

	if (!f->work)
		dedup_paths(&f->excludes, &kill);
	/* later replacements win */
	for (size_t i = f->replaces.n; i-- > 0;) {
		struct mod_edit_replace *r = f->replaces.v[i];
		for (size_t j = i + 1; j < f->replaces.n; j++) {
			struct mod_edit_replace *s = f->replaces.v[j];
			if (s == NULL)
				continue;
			bool same = r->old.path == NULL ? s->old.path == NULL
					: s->old.path != NULL && streq(r->old.path, s->old.path) &&
					  streq(r->old.version, s->old.version);
			if (same) {
				if (r->syntax != NULL)
					VEC_PUSH(&kill.v, r->syntax);
				f->replaces.v[i] = NULL;
				break;
			}
		}
	}
	w = 0;
	for (size_t i = 0; i < f->replaces.n; i++)
		if (f->replaces.v[i] != NULL)
			f->replaces.v[w++] = f->replaces.v[i];
	f->replaces.n = w;
	if (!f->work) {
		dedup_paths(&f->tools, &kill);
		dedup_paths(&f->ignores, &kill);
	}
	if (kill.v.n == 0)
		return;
	w = 0;
	for (size_t i = 0; i < x->stmts.n; i++) {
		struct mf_node *st = x->stmts.v[i];
		if (st->kind == MF_LINE && killed(&kill, st))
			continue;
		if (st->kind == MF_BLOCK) {
			size_t lw = 0;
			for (size_t j = 0; j < st->lines.n; j++)
				if (!killed(&kill, st->lines.v[j]))
					st->lines.v[lw++] = st->lines.v[j];
			st->lines.n = lw;
			if (lw == 0)
				continue;
		}
		x->stmts.v[w++] = st;
	}
	x->stmts.n = w;
	VEC_FREE(&kill.v);
}

void mod_edit_sort_blocks(struct mod_edit *f)
{
	bool semantic = false;
	remove_dups(f);
	if (!f->work && f->go != NULL) {
		char *v = xasprintf("v%s", f->go);
		semantic = mod_semver_compare(v, "v1.21") >= 0;
		free(v);
	}
	for (size_t i = 0; i < f->syntax->stmts.n; i++) {
		struct mf_node *b = f->syntax->stmts.v[i];
		int how = CMP_LINE;
		if (b->kind != MF_BLOCK)
			continue;
		if (!f->work && str_eqc(b->toks.v[0], "exclude") && semantic)
			how = CMP_EXCLUDE;
		else if (!f->work && str_eqc(b->toks.v[0], "retract"))
			how = CMP_RETRACT;
		sort_lines(b->lines.v, b->lines.n, how);
	}
}

/* COMPACT drops the entries whose key field is NULL. */
#define COMPACT(T, vec, keep) do { \
	size_t _w = 0; \
	for (size_t _i = 0; _i < (vec)->n; _i++) { \
		T *it = (vec)->v[_i]; \
		if (keep) \
			(vec)->v[_w++] = it; \
	} \
	(vec)->n = _w; \
} while (0)

void mod_edit_cleanup(struct mod_edit *f)
{
	if (!f->work) {
		COMPACT(struct mod_edit_godebug, &f->godebugs, it->key != NULL);
		COMPACT(struct mod_edit_req, &f->requires, it->path != NULL);
		COMPACT(struct mod_edit_path, &f->excludes, it->path != NULL);
		COMPACT(struct mod_edit_retract, &f->retracts, it->low != NULL || it->high != NULL);
	} else {
		COMPACT(struct mod_edit_path, &f->uses, it->path != NULL);
	}
	COMPACT(struct mod_edit_replace, &f->replaces, it->old.path != NULL);
	syn_cleanup(f);
}
