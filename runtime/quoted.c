/*
 * Quoted argument lists as cmd/internal/quoted handles them: fields split on
 * ASCII space, with '...' or "..." around a whole field (no escapes).  Used
 * for GOFLAGS, -gcflags style values and CC/CGO_*FLAGS.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"
#include "runtime/isprint_tables.h"

static bool quoted_is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* quoted_split mirrors cmd/internal/quoted/quoted.go Split (go1.26). */
int quoted_split(const char *s, struct strvec *sv, struct err *e)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n = strlen(s);

	while (i < n) {
		while (i < n && quoted_is_space(u[i]))
			i++;
		if (i == n)
			break;
		if (u[i] == '"' || u[i] == '\'') {
			unsigned char q = u[i++];
			size_t j = i;
			while (j < n && u[j] != q)
				j++;
			if (j >= n)
				return err_setf(e, "unterminated %c string", q);
			strvec_push_take(sv, xstrndup(s + i, j - i));
			i = j + 1;
			continue;
		}
		size_t j = i;
		while (j < n && !quoted_is_space(u[j]))
			j++;
		strvec_push_take(sv, xstrndup(s + i, j - i));
		i = j;
	}
	return 0;
}

/* isprint_find16/32 return the first index i with t[i] >= x (strconv's bsearch). */
static size_t isprint_find16(const uint16_t *t, size_t n, uint16_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;
		if (t[m] < x)
			lo = m + 1;
		else
			hi = m;
	}
	return lo;
}

static size_t isprint_find32(const uint32_t *t, size_t n, uint32_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;
		if (t[m] < x)
			lo = m + 1;
		else
			hi = m;
	}
	return lo;
}

/*
 * quoted_is_print is strconv.IsPrint for a valid rune >= 0x80, with go1.26's
 * tables (runtime/isprint_tables.h): ranges of printable runes, less the
 * listed exceptions.
 */
static bool quoted_is_print(long r)
{
	if (r <= 0xFF)
		return r >= 0xA1 && r != 0xAD;
	if (r < 0x10000) {
		uint16_t rr = (uint16_t)r;
		size_t i = isprint_find16(is_print16, countof(is_print16), rr), j;
		if (i >= countof(is_print16) || rr < is_print16[i & ~(size_t)1] || is_print16[i | 1] < rr)
			return false;
		j = isprint_find16(is_not_print16, countof(is_not_print16), rr);
		return !(j < countof(is_not_print16) && is_not_print16[j] == rr);
	}
	{
		uint32_t rr = (uint32_t)r;
		size_t i = isprint_find32(is_print32, countof(is_print32), rr), j;
		uint16_t low;
		if (i >= countof(is_print32) || rr < is_print32[i & ~(size_t)1] || is_print32[i | 1] < rr)
			return false;
		if (r >= 0x20000)
			return true;
		low = (uint16_t)(r - 0x10000);
		j = isprint_find16(is_not_print32, countof(is_not_print32), low);
		return !(j < countof(is_not_print32) && is_not_print32[j] == low);
	}
}

/* quoted_go_string mirrors strconv.Quote (go1.26), see quoted_is_print. */
void quoted_go_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	buf_addch(b, '"');
	while (i < n) {
		int32_t r;
		size_t sz, j = i;

		/* a run of printable ASCII other than '"' and '\\' goes as it is */
		while (j < n && u[j] >= 0x20 && u[j] < 0x7F && u[j] != '"' && u[j] != '\\')
			j++;
		if (j > i) {
			buf_add(b, s + i, j - i);
			i = j;
			continue;
		}
		sz = utf8_rune_decode(s + i, n - i, &r);
		if (r == 0xFFFD && sz == 1) { /* an invalid byte */
			buf_adds(b, "\\x");
			buf_addch(b, hex[u[i] >> 4]);
			buf_addch(b, hex[u[i] & 0xF]);
			i++;
			continue;
		}
		if (r == '"' || r == '\\') {
			buf_addch(b, '\\');
			buf_addch(b, (int)r);
		} else if (r >= 0x20 && r < 0x7F) {
			buf_addch(b, (int)r);
		} else if (r >= 0x80 && quoted_is_print(r)) {
			buf_add(b, s + i, sz);
		} else {
			switch (r) {
			case '\a': buf_adds(b, "\\a"); break;
			case '\b': buf_adds(b, "\\b"); break;
			case '\f': buf_adds(b, "\\f"); break;
			case '\n': buf_adds(b, "\\n"); break;
			case '\r': buf_adds(b, "\\r"); break;
			case '\t': buf_adds(b, "\\t"); break;
			case '\v': buf_adds(b, "\\v"); break;
			default:
				if (r < 0x20 || r == 0x7F)
					buf_printf(b, "\\x%02x", (unsigned)r);
				else if (r < 0x10000)
					buf_printf(b, "\\u%04lx", (unsigned long)r);
				else
					buf_printf(b, "\\U%08lx", (unsigned long)r);
			}
		}
		i += sz;
	}
	buf_addch(b, '"');
}

/* quoted_join mirrors cmd/internal/quoted/quoted.go Join (go1.26). */
int quoted_join(struct buf *b, char *const *args, size_t n, struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		bool space = false, sq = false, dq = false;
		const unsigned char *u = (const unsigned char *)args[i];

		if (i > 0)
			buf_addch(b, ' ');
		/* Non-ASCII bytes never count (Join skips runes > MaxASCII). */
		for (; *u; u++) {
			if (quoted_is_space(*u))
				space = true;
			else if (*u == '\'')
				sq = true;
			else if (*u == '"')
				dq = true;
		}
		if (!space && !sq && !dq) {
			buf_adds(b, args[i]);
		} else if (!sq) {
			buf_addch(b, '\'');
			buf_adds(b, args[i]);
			buf_addch(b, '\'');
		} else if (!dq) {
			buf_addch(b, '"');
			buf_adds(b, args[i]);
			buf_addch(b, '"');
		} else {
			struct buf q = BUF_INIT;
			quoted_go_string(&q, args[i], strlen(args[i]));
			err_setf(e, "argument %s contains both single and double quotes and cannot be quoted",
				 buf_cstr(&q));
			buf_release(&q);
			return -1;
		}
	}
	return 0;
}
