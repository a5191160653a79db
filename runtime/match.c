/*
 * Shell-pattern matching with Go's semantics: path.Match and, for globbing,
 * path/filepath.Match on Unix.  Both operate on bytes but decode UTF-8 runes
 * for '?' and character classes exactly as unicode/utf8 does, so a name with
 * invalid UTF-8 matches (or not) just as it does under go.
 *
 * mirrors path/match.go and path/filepath/match.go (go1.26)
 */
#include <string.h>

#include "runtime.h"

#define RUNE_ERROR 0xFFFD

/* utf8_rune_decode mirrors utf8.DecodeRuneInString: it stores the first rune
 * of s[0..n) in *r and returns its width; invalid input gives U+FFFD width 1,
 * empty input U+FFFD width 0. */
size_t utf8_rune_decode(const char *s, size_t n, int32_t *r)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need, i;
	int32_t v;

	if (n == 0) {
		*r = RUNE_ERROR;
		return 0;
	}
	if (p[0] < 0x80) {
		*r = p[0];
		return 1;
	}
	/* The accepted ranges of the second byte exclude overlong forms,
	 * surrogates and values past U+10FFFF (utf8's acceptRanges). */
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		need = 1;
		v = p[0] & 0x1F;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		need = 2;
		v = p[0] & 0x0F;
		if (p[0] == 0xE0)
			lo = 0xA0;
		else if (p[0] == 0xED)
			hi = 0x9F;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		need = 3;
		v = p[0] & 0x07;
		if (p[0] == 0xF0)
			lo = 0x90;
		else if (p[0] == 0xF4)
			hi = 0x8F;
	} else {
		*r = RUNE_ERROR;
		return 1;
	}
	if (n < need + 1 || p[1] < lo || p[1] > hi) {
		*r = RUNE_ERROR;
		return 1;
	}
	for (i = 1; i <= need; i++) {
		if (i > 1 && (p[i] < 0x80 || p[i] > 0xBF)) {
			*r = RUNE_ERROR;
			return 1;
		}
		v = (v << 6) | (p[i] & 0x3F);
	}
	*r = v;
	return need + 1;
}

/* utf8_string_valid mirrors utf8.ValidString on s[0..n). */
bool utf8_string_valid(const char *s, size_t n)
{
	size_t i = 0, w;
	int32_t r;

	while (i < n) {
		w = utf8_rune_decode(s + i, n - i, &r);
		/* A literal U+FFFD is three bytes; width 1 means invalid. */
		if (r == RUNE_ERROR && w == 1)
			return false;
		i += w;
	}
	return true;
}

/* A view into the pattern or the name, advanced as matching consumes it. */
struct span {
	const char *p;
	size_t n;
};

static void span_skip(struct span *s, size_t k)
{
	s->p += k;
	s->n -= k;
}

/*
 * scan_chunk splits off the next chunk of pat: a run of non-star operators,
 * possibly preceded by stars (*star set).  Mirrors scanChunk.
 */
static void scan_chunk(struct span *pat, bool *star, struct span *chunk)
{
	bool inrange = false;
	size_t i;

	*star = false;
	while (pat->n > 0 && pat->p[0] == '*') {
		span_skip(pat, 1);
		*star = true;
	}
	for (i = 0; i < pat->n; i++) {
		switch (pat->p[i]) {
		case '\\':
			/* a trailing backslash is reported by match_chunk */
			if (i + 1 < pat->n)
				i++;
			break;
		case '[':
			inrange = true;
			break;
		case ']':
			inrange = false;
			break;
		case '*':
			if (!inrange)
				goto split;
			break;
		}
	}
split:
	chunk->p = pat->p;
	chunk->n = i;
	span_skip(pat, i);
}

/* get_esc reads one possibly escaped rune of a character class; mirrors
 * getEsc.  Returns -1 for a malformed class. */
static int get_esc(struct span *chunk, int32_t *r)
{
	size_t w;

	if (chunk->n == 0 || chunk->p[0] == '-' || chunk->p[0] == ']')
		return -1;
	if (chunk->p[0] == '\\') {
		span_skip(chunk, 1);
		if (chunk->n == 0)
			return -1;
	}
	w = utf8_rune_decode(chunk->p, chunk->n, r);
	span_skip(chunk, w);
	if (*r == RUNE_ERROR && w == 1)
		return -1;
	/* a class must be closed: something has to follow */
	if (chunk->n == 0)
		return -1;
	return 0;
}

/*
 * match_chunk reports whether chunk matches a prefix of s, storing the rest
 * of s in *rest.  Once the match has failed it keeps parsing the chunk so a
 * malformed pattern is always reported (matchChunk).  Returns 1 match,
 * 0 no match, -1 bad pattern.
 */
static int match_chunk(struct span chunk, struct span s, struct span *rest)
{
	bool failed = false;

	while (chunk.n > 0) {
		failed = failed || s.n == 0;
		switch (chunk.p[0]) {
		case '[': {
			int32_t r = 0, lo, hi;
			bool negated = false, match = false;
			int nrange = 0;

			if (!failed) {
				size_t w = utf8_rune_decode(s.p, s.n, &r);
				span_skip(&s, w);
			}
			span_skip(&chunk, 1);
			if (chunk.n > 0 && chunk.p[0] == '^') {
				negated = true;
				span_skip(&chunk, 1);
			}
			for (;;) {
				if (chunk.n > 0 && chunk.p[0] == ']' && nrange > 0) {
					span_skip(&chunk, 1);
					break;
				}
				if (get_esc(&chunk, &lo) < 0)
					return -1;
				hi = lo;
				if (chunk.p[0] == '-') {
					span_skip(&chunk, 1);
					if (get_esc(&chunk, &hi) < 0)
						return -1;
				}
				match = match || (lo <= r && r <= hi);
				nrange++;
			}
			failed = failed || match == negated;
			break;
		}
		case '?':
			if (!failed) {
				int32_t r;
				size_t w;

				failed = s.p[0] == '/';
				w = utf8_rune_decode(s.p, s.n, &r);
				span_skip(&s, w);
			}
			span_skip(&chunk, 1);
			break;
		case '\\':
			/* the escaped byte is matched as a literal below */
			span_skip(&chunk, 1);
			if (chunk.n == 0)
				return -1;
			/* fall through */
		default:
			if (!failed) {
				failed = chunk.p[0] != s.p[0];
				span_skip(&s, 1);
			}
			span_skip(&chunk, 1);
			break;
		}
	}
	if (failed)
		return 0;
	*rest = s;
	return 1;
}

/*
 * match_impl is Match.  strict selects path.Match, which on a failed match
 * still checks the rest of the pattern for syntax errors; filepath.Match
 * (strict false) does not.
 */
static int match_impl(const char *pattern, const char *name, bool strict)
{
	struct span pat = {pattern, strlen(pattern)};
	struct span nm = {name, strlen(name)};
	struct span chunk, t;
	bool star;
	int ok;
	size_t i;

	while (pat.n > 0) {
		scan_chunk(&pat, &star, &chunk);
		if (star && chunk.n == 0)
			/* a trailing star matches the rest unless it holds a slash */
			return memchr(nm.p, '/', nm.n) == NULL ? 1 : 0;
		ok = match_chunk(chunk, nm, &t);
		/* the last chunk must exhaust the name, else try the star */
		if (ok == 1 && (t.n == 0 || pat.n > 0)) {
			nm = t;
			continue;
		}
		if (ok < 0)
			return -1;
		if (star) {
			/* let the star absorb i+1 more bytes, never a slash */
			for (i = 0; i < nm.n && nm.p[i] != '/'; i++) {
				struct span sub = {nm.p + i + 1, nm.n - i - 1};

				ok = match_chunk(chunk, sub, &t);
				if (ok == 1) {
					if (pat.n == 0 && t.n > 0)
						continue;
					nm = t;
					goto next;
				}
				if (ok < 0)
					return -1;
			}
		}
		if (strict) {
			/* path.Match (go1.16+) reports ErrBadPattern for the part of
			 * the pattern it never reached */
			while (pat.n > 0) {
				struct span empty = {"", 0};

				scan_chunk(&pat, &star, &chunk);
				if (match_chunk(chunk, empty, &t) < 0)
					return -1;
			}
		}
		return 0;
next:;
	}
	return nm.n == 0 ? 1 : 0;
}

int path_match(const char *pattern, const char *name)
{
	return match_impl(pattern, name, true);
}

/* path_match_filepath is path/filepath.Match on Unix. */
int path_match_filepath(const char *pattern, const char *name)
{
	return match_impl(pattern, name, false);
}
