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

#endif
