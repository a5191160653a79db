/*
 * modfile_internal.h: helpers shared by semver.c, modpath.c, modfile.c and
 * godebug.c that other rooms must not see: UTF-8 decoding, Go's quoting
 * (strconv.Quote / Unquote, %q of a rune) and rune classes used by
 * x/mod/module and x/mod/modfile.
 */
#ifndef GOTOOL_MODLOAD_MODFILE_INTERNAL_H
#define GOTOOL_MODLOAD_MODFILE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct mod_file;

/* The replacement rune Go's utf8 decoder returns for a bad sequence. */
#define MOD_RUNE_ERROR 0xFFFDu

/*
 * mod_utf8_decode decodes one rune at s[0..n) like utf8.DecodeRune:
 * returns the rune and stores its size in *size (1 with MOD_RUNE_ERROR for
 * an invalid or truncated sequence, 0 when n == 0).
 */
uint32_t mod_utf8_decode(const char *s, size_t n, size_t *size);
/* mod_utf8_valid reports whether s[0..n) is valid UTF-8 (utf8.Valid). */
bool mod_utf8_valid(const char *s, size_t n);
/* mod_utf8_append appends r encoded as UTF-8 (utf8.AppendRune). */
void mod_utf8_append(struct buf *b, uint32_t r);

/* mod_rune_is_print approximates unicode.IsPrint (exact for ASCII). */
bool mod_rune_is_print(uint32_t r);
/* mod_rune_is_space is unicode.IsSpace. */
bool mod_rune_is_space(uint32_t r);
/* mod_rune_is_letter approximates unicode.IsLetter (exact for ASCII). */
bool mod_rune_is_letter(uint32_t r);

/* mod_quote appends strconv.Quote(s[0..n)) to b. */
void mod_quote(struct buf *b, const char *s, size_t n);
/* mod_quote_rune appends fmt's %q of a rune (strconv.QuoteRune) to b. */
void mod_quote_rune(struct buf *b, uint32_t r);
/* mod_quote_rune_backquote appends fmt's %#q of a rune to b. */
void mod_quote_rune_backquote(struct buf *b, uint32_t r);
/*
 * mod_unquote is strconv.Unquote for a double-quoted, back-quoted or
 * single-quoted Go literal s[0..n); appends the value to out and returns
 * 0, or -1 (strconv.ErrSyntax, "invalid syntax") leaving out unspecified.
 */
int mod_unquote(const char *s, size_t n, struct buf *out);

/* ---- the go.mod syntax tree (modfile.c builds it, modedit.c edits and prints it) ---- */

#include "runtime/runtime.h"

/* A position in the input: line and rune column are 1-based, byte 0-based. */
struct mf_pos {
	int line, col;
	size_t byte;
};

struct mf_comment {
	struct mf_pos start;
	struct str text; /* "// ..." without the newline; empty for a blank-line marker */
};

/* An arena-backed growable array: elements are never freed one by one. */
#define AVEC(T) struct { T *v; size_t n, cap; }
#define AVEC_PUSH(a, vec, x) do { \
	if ((vec)->n == (vec)->cap) \
		(vec)->v = mf_grow((a), (vec)->v, (vec)->n, &(vec)->cap, sizeof(*(vec)->v)); \
	(vec)->v[(vec)->n++] = (x); \
} while (0)

/* mf_grow returns a copy of old's n elements in a larger arena array (capacity in *cap). */
void *mf_grow(struct arena *a, void *old, size_t n, size_t *cap, size_t elem);

enum mf_kind { MF_LINE, MF_BLOCK, MF_COMMENTS, MF_LPAREN, MF_RPAREN };

/*
 * One node of the syntax tree (modfile's Line, LineBlock, CommentBlock,
 * LParen, RParen).  start/end give the span used to attach end-of-line
 * comments: a node spanning several lines never gets one.  A line whose
 * toks.n is 0 has been removed by an edit (modfile's Token == nil) and is
 * dropped by the next cleanup.
 */
struct mf_node {
	enum mf_kind kind;
	struct mf_pos start, end;
	AVEC(struct str) toks;
	AVEC(struct mf_comment) before, suffix, after;
	bool in_block;
	AVEC(struct mf_node *) lines;   /* MF_BLOCK */
	struct mf_node *lparen, *rparen; /* MF_BLOCK */
};

/* A whole file (modfile.FileSyntax): its statements and file-level comments. */
struct mf_syntax {
	AVEC(struct mf_node *) stmts;
	AVEC(struct mf_comment) before, after;
};

/*
 * mf_parse_syntax parses like mod_file_parse (work: mod_work_parse; fix:
 * mod_file_parse_fix, or NULL) and also returns the syntax tree.  The tree
 * and a copy of data live in a, like *out.
 */
struct mod_version_fixer;
int mf_parse_syntax(struct arena *a, const char *filename, const char *data, size_t n, bool work,
		    const struct mod_version_fixer *fix, struct mod_file **out, struct mf_syntax **syn,
		    struct err *e);

#endif
