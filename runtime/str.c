/* Strings: str views, buf growable buffers (git's strbuf), strvec. */
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

struct str str_c(const char *s)
{
	return (struct str){s, strlen(s)};
}

bool str_eq(struct str a, struct str b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

bool str_has_suffix(struct str s, const char *suffix)
{
	size_t n = strlen(suffix);
	return s.n >= n && memcmp(s.p + s.n - n, suffix, n) == 0;
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

struct str str_trim_space(struct str s)
{
	while (s.n > 0 && is_space((unsigned char)s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && is_space((unsigned char)s.p[s.n - 1]))
		s.n--;
	return s;
}

bool str_cut(struct str s, char sep, struct str *before, struct str *after)
{
	const char *q = s.n ? memchr(s.p, sep, s.n) : NULL;

	if (!q) {
		if (before)
			*before = s;
		if (after)
			*after = (struct str){s.p + s.n, 0};
		return false;
	}
	if (before)
		*before = (struct str){s.p, (size_t)(q - s.p)};
	if (after)
		*after = (struct str){q + 1, s.n - (size_t)(q - s.p) - 1};
	return true;
}

int str_cmp(struct str a, struct str b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	int c = n ? memcmp(a.p, b.p, n) : 0;

	if (c)
		return c;
	return a.n < b.n ? -1 : a.n > b.n;
}

char *str_dup(struct str s)
{
	return xstrndup(s.p, s.n);
}

bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

int cmp_strptr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- buf ---- */

static char buf_empty[1];

void buf_init(struct buf *b)
{
	b->data = buf_empty;
	b->len = b->cap = 0;
	b->limit = 0;
	b->overflow = false;
}

void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->data);
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	buf_truncate(b, 0);
	b->overflow = false;
}

void buf_grow(struct buf *b, size_t extra)
{
	size_t need;

	if (!b->data)
		buf_init(b);
	if (extra > SIZE_MAX - b->len - 1)
		BUG("buf too large");
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	if (need < b->cap * 2)
		need = b->cap * 2;
	if (need < 64)
		need = 64;
	if (b->cap == 0) {
		b->data = xmalloc(need);
		b->data[0] = 0;
	} else {
		b->data = xrealloc(b->data, need);
	}
	b->cap = need;
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->limit && (b->len + n > b->limit || b->overflow)) {
		b->overflow = true;
		return;
	}
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addstr(struct buf *b, struct str s)
{
	buf_add(b, s.p, s.n);
}

void buf_addch(struct buf *b, int c)
{
	char ch = (char)c;
	buf_add(b, &ch, 1);
}

void buf_add_base64(struct buf *b, const unsigned char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		buf_addch(b, tab[v >> 18 & 63]);
		buf_addch(b, tab[v >> 12 & 63]);
		buf_addch(b, tab[v >> 6 & 63]);
		buf_addch(b, tab[v & 63]);
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;
		buf_addch(b, tab[v >> 18 & 63]);
		buf_addch(b, tab[v >> 12 & 63]);
		buf_adds(b, "==");
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		buf_addch(b, tab[v >> 18 & 63]);
		buf_addch(b, tab[v >> 12 & 63]);
		buf_addch(b, tab[v >> 6 & 63]);
		buf_addch(b, '=');
	}
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char small[256];

	va_copy(cp, ap);
	n = vsnprintf(small, sizeof small, fmt, cp);
	va_end(cp);
	if (n < 0)
		BUG("vsnprintf failed");
	if ((size_t)n < sizeof small) {
		buf_add(b, small, (size_t)n);
		return;
	}
	if (b->limit && (b->len + (size_t)n > b->limit || b->overflow)) {
		b->overflow = true;
		return;
	}
	buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_truncate(struct buf *b, size_t len)
{
	if (!b->data)
		buf_init(b);
	if (len > b->len)
		BUG("buf_truncate beyond length");
	b->len = len;
	if (b->cap)
		b->data[len] = 0;
}

char *buf_detach(struct buf *b)
{
	char *p;

	if (!b->data || b->cap == 0)
		p = xstrdup("");
	else
		p = b->data;
	buf_init(b);
	return p;
}

const char *buf_cstr(const struct buf *b)
{
	return b->data ? b->data : "";
}

struct str buf_str(const struct buf *b)
{
	return (struct str){buf_cstr(b), b->len};
}

/* ---- strvec ---- */

void strvec_push_take(struct strvec *sv, char *s)
{
	if (sv->n + 1 >= sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->v = xreallocarray(sv->v, sv->cap, sizeof(*sv->v));
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void strvec_push(struct strvec *sv, const char *s)
{
	strvec_push_take(sv, xstrdup(s));
}

void strvec_clear(struct strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

void strvec_null_terminate(struct strvec *sv)
{
	if (sv->n + 1 > sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->v = xreallocarray(sv->v, sv->cap, sizeof(*sv->v));
	}
	sv->v[sv->n] = NULL;
}

void strvec_sort(struct strvec *sv)
{
	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof(*sv->v), cmp_strptr);
}

bool strvec_contains(const struct strvec *sv, const char *s)
{
	/* the first byte rules out most entries before the call */
	for (size_t i = 0; i < sv->n; i++)
		if (sv->v[i][0] == s[0] && strcmp(sv->v[i], s) == 0)
			return true;
	return false;
}

char *ptr_key(char buf[PTR_KEY_SIZE], const void *p)
{
	uintptr_t v = (uintptr_t)p;
	char tmp[2 * sizeof v];
	size_t n = 0, i = 0;

	if (!p) {
		memcpy(buf, "(nil)", 6);
		return buf;
	}
	while (v) {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	}
	buf[i++] = '0';
	buf[i++] = 'x';
	while (n > 0)
		buf[i++] = tmp[--n];
	buf[i] = '\0';
	return buf;
}
