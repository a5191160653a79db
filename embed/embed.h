/*
 * embed: //go:embed patterns → files, with go's rules and error texts, and
 * the compiler's -embedcfg file.  Reads nothing outside the package's module.
 */
#ifndef GOTOOL_EMBED_EMBED_H
#define GOTOOL_EMBED_EMBED_H

#include "modload/modload.h"

/* The files one pattern matched. */
struct embed_pattern_files {
	const char *pattern;
	VEC(const char *) files; /* slash paths relative to the package dir, sorted */
};

/* The result of resolving a package's patterns (cmd/go/internal/load resolveEmbed). */
struct embed_result {
	VEC(const char *) files;                       /* union, sorted, deduplicated */
	VEC(struct embed_pattern_files) patterns;      /* in the order given */
};

/*
 * embed_resolve resolves patterns against pkgdir.  modroot bounds the
 * search: a file in a directory holding another go.mod (a different module)
 * cannot be embedded.  On failure e holds go's message for the first bad
 * pattern ("pattern X: no matching files found", ...) and *bad_pattern
 * (when non-NULL) the index of that pattern, so the caller can attach the
 * directive's position.  Strings in the arena.
 */
int embed_resolve(struct arena *a, const char *pkgdir, const char *modroot,
                  const char *const *patterns, size_t npatterns,
                  struct embed_result *out, size_t *bad_pattern, struct err *e);

/* ---- embed area notes (helper "embed": embed/embed.c) ----
 * The arrays of an embed_result (files.v, patterns.v, patterns.v[i].files.v)
 * are arena arrays with n == cap, like the strings: never VEC_PUSH onto or
 * VEC_FREE them; they go away with the arena.  On failure *out is zeroed.
 * modroot may be NULL: go does not consult it either (the go.mod checks run
 * from each match up to pkgdir).  Patterns are resolved in the order given;
 * go passes them sorted and deduplicated (go/build's EmbedPatterns).
 * ---- end embed notes ---- */

/* embed_cfg_json appends the -embedcfg JSON for r (byte-identical to go's). */
void embed_cfg_json(struct buf *b, const char *pkgdir, const struct embed_result *r);

#endif
