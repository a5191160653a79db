/*
 * Private helpers shared by the build-constraint, Go header, doc synopsis
 * and #cgo line code of modload (constraint.c, header.c, synopsis.c,
 * cgoline.c).  Nothing here is for other rooms.
 */
#ifndef GOTOOL_MODLOAD_HEADER_INTERNAL_H
#define GOTOOL_MODLOAD_HEADER_INTERNAL_H

#include "modload/modload.h"

/* ---- UTF-8 and Unicode classes (unicode package semantics) ---------------- */

#define LOAD_RUNE_ERROR 0xFFFDu

/* load_utf8_decode decodes one rune at s (n > 0 bytes) like
 * utf8.DecodeRune: an invalid encoding gives U+FFFD and width 1. */
size_t load_utf8_decode(const char *s, size_t n, uint32_t *r);
/* load_utf8_decode_last decodes the last rune of s[0:n] (n > 0). */
size_t load_utf8_decode_last(const char *s, size_t n, uint32_t *r);
/* load_utf8_encode appends r to b as UTF-8. */
void load_utf8_encode(struct buf *b, uint32_t r);

/* Unicode classes: exact for ASCII, the C.UTF-8 locale's tables otherwise. */
bool load_is_letter(uint32_t r);
bool load_is_digit(uint32_t r);
bool load_is_upper(uint32_t r);
bool load_is_space(uint32_t r); /* unicode.IsSpace */
/* load_next_field yields the next Unicode-space separated word of s from
 * *pos (one step of strings.Fields); false when none is left. */
bool load_next_field(struct str s, size_t *pos, struct str *field);
bool load_is_punct(uint32_t r); /* unicode.IsPunct */
bool load_is_graphic(uint32_t r);

/* load_trim_space trims like strings.TrimSpace (Unicode white space). */
struct str load_trim_space(struct str s);

/* ---- go/build/constraint expressions -------------------------------------- */

enum load_cexpr_kind { LOAD_CEXPR_TAG, LOAD_CEXPR_NOT, LOAD_CEXPR_AND, LOAD_CEXPR_OR };

/* A parsed constraint expression (constraint.Expr); lives in an arena. */
struct load_cexpr {
	enum load_cexpr_kind kind;
	const char *tag;            /* LOAD_CEXPR_TAG */
	struct load_cexpr *x, *y;   /* NOT uses x only */
};

/* load_cexpr_is_go_build reports whether line is a //go:build line and
 * stores the trimmed expression text (constraint.splitGoBuild). */
bool load_cexpr_is_go_build(struct str line, struct str *expr);
/* load_cexpr_is_plus_build is splitPlusBuild for "// +build" lines. */
bool load_cexpr_is_plus_build(struct str line, struct str *expr);
/* load_cexpr_parse_expr parses //go:build expression text; on error e holds
 * the SyntaxError text ("unexpected token )") and *offset its byte offset. */
int load_cexpr_parse_expr(struct arena *a, struct str text, struct load_cexpr **out,
                          size_t *offset, struct err *e);
/* load_cexpr_parse_plus parses "+build" text (parsePlusBuildExpr). */
int load_cexpr_parse_plus(struct arena *a, struct str text, struct load_cexpr **out, struct err *e);
/* load_cexpr_parse is constraint.Parse on a whole comment line. */
int load_cexpr_parse(struct arena *a, struct str line, struct load_cexpr **out, struct err *e);
/* load_cexpr_string appends x.String() to b. */
void load_cexpr_string(struct buf *b, const struct load_cexpr *x);
/* load_cexpr_eval evaluates x against ctx without short-circuit (go/build eval). */
bool load_cexpr_eval(const struct buildctx *ctx, const struct load_cexpr *x,
                     struct map *all_tags, struct arena *a);
/* load_match_auto is go/build matchAuto: a #cgo condition word in either syntax. */
bool load_match_auto(const struct buildctx *ctx, const char *text, struct map *all_tags,
                     struct arena *a);

/* ---- #cgo lines ------------------------------------------------------------ */

/* load_cgo_expand_srcdir is go/build expandSrcDir: *out (heap) is s with
 * ${SRCDIR} replaced; false when a piece is not shell-safe. */
bool load_cgo_expand_srcdir(const char *s, const char *srcdir, char **out);

/* ---- go/ast CommentGroup.Text --------------------------------------------- */

/* load_comment_text appends ast.CommentGroup.Text() of the comments
 * texts[0..n) (each a full "//..." or "/ *...* /" comment, CRs removed). */
void load_comment_text(struct buf *b, const struct str *texts, size_t n);

#endif
