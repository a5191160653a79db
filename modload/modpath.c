/*
 * modpath.c: module, import and file path checks, major-version suffixes
 * and the case-encoding of the module cache.
 *
 * Mirrors golang.org/x/mod/module/module.go (go1.26 vendored copy).  Error
 * texts are go's, e.g. `malformed module path "x": missing dot in first
 * path element`, so they need Go's %q quoting, which lives here too
 * (strconv.Quote and friends, declared in modfile_internal.h).
 */
#include <stdlib.h>
#include <string.h>

#include "modload/modfile_internal.h"
#include "modload/modload.h"
#include "modload/lettertab.h"

/* ---- UTF-8 and rune classes --------------------------------------------- */

uint32_t mod_utf8_decode(const char *s, size_t n, size_t *size)
{
	int32_t v;

	*size = utf8_rune_decode(s, n, &v);
	return (uint32_t)v;
}

bool mod_utf8_valid(const char *s, size_t n)
{
	size_t i = 0, sz;
	while (i < n) {
		uint32_t r = mod_utf8_decode(s + i, n - i, &sz);
		if (r == MOD_RUNE_ERROR && sz == 1)
			return false;
		i += sz;
	}
	return true;
}

void mod_utf8_append(struct buf *b, uint32_t r)
{
	if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
		r = MOD_RUNE_ERROR;
	if (r < 0x80) {
		buf_addch(b, (int)r);
	} else if (r < 0x800) {
		buf_addch(b, (int)(0xC0 | (r >> 6)));
		buf_addch(b, (int)(0x80 | (r & 0x3F)));
	} else if (r < 0x10000) {
		buf_addch(b, (int)(0xE0 | (r >> 12)));
		buf_addch(b, (int)(0x80 | ((r >> 6) & 0x3F)));
		buf_addch(b, (int)(0x80 | (r & 0x3F)));
	} else {
		buf_addch(b, (int)(0xF0 | (r >> 18)));
		buf_addch(b, (int)(0x80 | ((r >> 12) & 0x3F)));
		buf_addch(b, (int)(0x80 | ((r >> 6) & 0x3F)));
		buf_addch(b, (int)(0x80 | (r & 0x3F)));
	}
}

bool mod_rune_is_space(uint32_t r)
{
	switch (r) {
	case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
	case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x3000:
		return true;
	}
	return r >= 0x2000 && r <= 0x200A;
}

/*
 * A range table would make this exact; Go's tables are large, and the
 * callers only meet non-ASCII runes in malformed input, so this excludes
 * the well-known non-graphic blocks (controls, format characters,
 * separators, surrogates, private use, noncharacters).
 */
bool mod_rune_is_print(uint32_t r)
{
	if (r < 0x80)
		return r >= 0x20 && r < 0x7F;
	if (r <= 0xA0 || r == 0xAD || r > 0x10FFFF)
		return false;
	if (r == 0x61C || r == 0x180E || r == 0x1680 || r == 0x3000 || r == 0xFEFF)
		return false;
	if ((r >= 0x2000 && r <= 0x200F) || (r >= 0x2028 && r <= 0x202F) ||
	    (r >= 0x205F && r <= 0x206F))
		return false;
	if ((r >= 0xD800 && r <= 0xF8FF) || (r >= 0xFFF0 && r <= 0xFFFB) ||
	    (r & 0xFFFE) == 0xFFFE || (r >= 0xE0000 && r <= 0xE0FFF) || r >= 0xF0000)
		return false;
	return true;
}

/* mod_rune_is_letter is unicode.IsLetter, by binary search over Go's
 * letter ranges (a file path's non-ASCII runes must be letters). */
bool mod_rune_is_letter(uint32_t r)
{
	size_t lo = 0, hi = countof(letter_tab);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (letter_tab[mid][1] < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < countof(letter_tab) && letter_tab[lo][0] <= r;
}

/* ---- Go quoting ---------------------------------------------------------- */

/* q_rune appends one rune of a quoted literal (strconv's appendEscapedRune). */
static void q_rune(struct buf *b, uint32_t r, char quote)
{
	static const char hex[] = "0123456789abcdef";
	if (r == (uint32_t)quote || r == '\\') {
		buf_addch(b, '\\');
		buf_addch(b, (int)r);
		return;
	}
	if (mod_rune_is_print(r)) {
		mod_utf8_append(b, r);
		return;
	}
	switch (r) {
	case '\a': buf_adds(b, "\\a"); return;
	case '\b': buf_adds(b, "\\b"); return;
	case '\f': buf_adds(b, "\\f"); return;
	case '\n': buf_adds(b, "\\n"); return;
	case '\r': buf_adds(b, "\\r"); return;
	case '\t': buf_adds(b, "\\t"); return;
	case '\v': buf_adds(b, "\\v"); return;
	}
	if (r < ' ' || r == 0x7F) {
		buf_adds(b, "\\x");
		buf_addch(b, hex[(r >> 4) & 0xF]);
		buf_addch(b, hex[r & 0xF]);
	} else if (r < 0x10000) {
		buf_printf(b, "\\u%04x", (unsigned)r);
	} else {
		buf_printf(b, "\\U%08x", (unsigned)r);
	}
}

void mod_quote(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_addch(b, '"');
	size_t i = 0, sz;
	while (i < n) {
		uint32_t r = mod_utf8_decode(s + i, n - i, &sz);
		if (r == MOD_RUNE_ERROR && sz == 1) {
			/* an invalid byte is shown as \xNN, as strconv.Quote does */
			unsigned char c = (unsigned char)s[i];
			buf_adds(b, "\\x");
			buf_addch(b, hex[c >> 4]);
			buf_addch(b, hex[c & 0xF]);
		} else {
			q_rune(b, r, '"');
		}
		i += sz;
	}
	buf_addch(b, '"');
}

void mod_quote_rune(struct buf *b, uint32_t r)
{
	if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
		r = MOD_RUNE_ERROR;
	buf_addch(b, '\'');
	q_rune(b, r, '\'');
	buf_addch(b, '\'');
}

void mod_quote_rune_backquote(struct buf *b, uint32_t r)
{
	/* fmt's %#q uses `x` when strconv.CanBackquote(string(r)) */
	bool can = r != '`' && r != 0xFEFF && r != MOD_RUNE_ERROR &&
		   !(r < ' ' && r != '\t') && r != 0x7F && r <= 0x10FFFF;
	if (can) {
		buf_addch(b, '`');
		mod_utf8_append(b, r);
		buf_addch(b, '`');
		return;
	}
	mod_quote_rune(b, r);
}

static int q_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* q_unquote_char mirrors strconv.UnquoteChar for one element at s[*i]. */
static int q_unquote_char(const char *s, size_t n, size_t *i, char quote, struct buf *out)
{
	unsigned char c = (unsigned char)s[*i];
	size_t sz;
	if (c == (unsigned char)quote && (quote == '\'' || quote == '"'))
		return -1;
	if (c >= 0x80) {
		uint32_t r = mod_utf8_decode(s + *i, n - *i, &sz);
		mod_utf8_append(out, r);
		*i += sz;
		return 0;
	}
	if (c != '\\') {
		buf_addch(out, c);
		(*i)++;
		return 0;
	}
	if (*i + 1 >= n)
		return -1;
	c = (unsigned char)s[*i + 1];
	*i += 2;
	switch (c) {
	case 'a': buf_addch(out, '\a'); return 0;
	case 'b': buf_addch(out, '\b'); return 0;
	case 'f': buf_addch(out, '\f'); return 0;
	case 'n': buf_addch(out, '\n'); return 0;
	case 'r': buf_addch(out, '\r'); return 0;
	case 't': buf_addch(out, '\t'); return 0;
	case 'v': buf_addch(out, '\v'); return 0;
	case '\\': buf_addch(out, '\\'); return 0;
	case '\'': case '"':
		if (c != (unsigned char)quote)
			return -1;
		buf_addch(out, c);
		return 0;
	case 'x': case 'u': case 'U': {
		size_t k = c == 'x' ? 2 : c == 'u' ? 4 : 8;
		uint32_t v = 0;
		if (n - *i < k)
			return -1;
		for (size_t j = 0; j < k; j++) {
			int h = q_hexval((unsigned char)s[*i + j]);
			if (h < 0)
				return -1;
			v = (v << 4) | (uint32_t)h;
		}
		*i += k;
		if (c == 'x') {
			buf_addch(out, (int)v); /* a single byte, not a rune */
			return 0;
		}
		if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			return -1;
		mod_utf8_append(out, v);
		return 0;
	}
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
		uint32_t v = c - '0';
		if (n - *i < 2)
			return -1;
		for (size_t j = 0; j < 2; j++) {
			unsigned char d = (unsigned char)s[*i + j];
			if (d < '0' || d > '7')
				return -1;
			v = v * 8 + (d - '0');
		}
		*i += 2;
		if (v > 255)
			return -1;
		buf_addch(out, (int)v);
		return 0;
	}
	}
	return -1;
}

int mod_unquote(const char *s, size_t n, struct buf *out)
{
	if (n < 2 || s[0] != s[n - 1])
		return -1;
	char quote = s[0];
	const char *in = s + 1;
	size_t m = n - 2, i = 0;
	if (quote == '`') {
		if (memchr(in, '`', m) != NULL)
			return -1;
		/* raw strings drop carriage returns */
		for (i = 0; i < m; i++)
			if (in[i] != '\r')
				buf_addch(out, (unsigned char)in[i]);
		return 0;
	}
	if (quote != '"' && quote != '\'')
		return -1;
	if (memchr(in, '\n', m) != NULL)
		return -1;
	size_t start = out->len;
	while (i < m)
		if (q_unquote_char(in, m, &i, quote, out) < 0)
			return -1;
	if (quote == '\'') {
		/* a rune literal holds exactly one rune */
		size_t sz;
		if (out->len == start)
			return -1;
		mod_utf8_decode(out->data + start, out->len - start, &sz);
		if (sz != out->len - start)
			return -1;
	}
	return 0;
}

/* ---- path checks ---------------------------------------------------------- */

enum mp_kind { MP_MODULE, MP_IMPORT, MP_FILE };

static bool mp_alnum(uint32_t r)
{
	return (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z');
}

static bool mp_first_ok(uint32_t r)
{
	return r == '-' || r == '.' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z');
}

static bool mp_mod_ok(uint32_t r)
{
	return r == '-' || r == '.' || r == '_' || r == '~' || mp_alnum(r);
}

static bool mp_file_ok(uint32_t r)
{
	if (r < 0x80)
		return mp_alnum(r) || (r != 0 && strchr("!#$%&()+,-.=@[]^_{}~ ", (int)r) != NULL);
	return mod_rune_is_letter(r);
}

static const char *const mp_bad_windows[] = {
	"CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6",
	"COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6",
	"LPT7", "LPT8", "LPT9",
};

static bool mp_equal_fold_ascii(const char *a, const char *b, size_t bn)
{
	if (strlen(a) != bn)
		return false;
	for (size_t i = 0; i < bn; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (y >= 'a' && y <= 'z')
			y = (unsigned char)(y - 'a' + 'A');
		if (x != y)
			return false;
	}
	return true;
}

/* mp_check_elem mirrors module.checkElem; msg gets the bare reason. */
static int mp_check_elem(const char *elem, size_t n, enum mp_kind kind, struct buf *msg)
{
	size_t dots = 0;
	for (size_t i = 0; i < n; i++)
		dots += elem[i] == '.';
	if (n == 0) {
		buf_adds(msg, "empty path element");
		return -1;
	}
	if (dots == n) {
		buf_adds(msg, "invalid path element ");
		mod_quote(msg, elem, n);
		return -1;
	}
	if (elem[0] == '.' && kind == MP_MODULE) {
		buf_adds(msg, "leading dot in path element");
		return -1;
	}
	if (elem[n - 1] == '.') {
		buf_adds(msg, "trailing dot in path element");
		return -1;
	}
	size_t i = 0, sz;
	while (i < n) {
		uint32_t r = mod_utf8_decode(elem + i, n - i, &sz);
		bool ok = kind == MP_MODULE ? mp_mod_ok(r)
			: kind == MP_IMPORT ? (mp_mod_ok(r) || r == '+')
			: mp_file_ok(r);
		if (!ok) {
			buf_adds(msg, "invalid char ");
			mod_quote_rune(msg, r);
			return -1;
		}
		i += sz;
	}
	size_t shortn = 0;
	while (shortn < n && elem[shortn] != '.')
		shortn++;
	for (size_t k = 0; k < countof(mp_bad_windows); k++) {
		if (mp_equal_fold_ascii(mp_bad_windows[k], elem, shortn)) {
			mod_quote(msg, elem, shortn);
			buf_adds(msg, " disallowed as path element component on Windows");
			return -1;
		}
	}
	if (kind == MP_FILE)
		return 0;
	/* "~" followed only by digits looks like a Windows short name */
	const char *tilde = NULL;
	for (size_t k = 0; k < shortn; k++)
		if (elem[k] == '~')
			tilde = elem + k;
	if (tilde != NULL && tilde < elem + shortn - 1) {
		bool digits = true;
		for (const char *p = tilde + 1; p < elem + shortn; p++)
			if (*p < '0' || *p > '9')
				digits = false;
		if (digits) {
			buf_adds(msg, "trailing tilde and digits in path element");
			return -1;
		}
	}
	return 0;
}

/* mp_check mirrors module.checkPath. */
static int mp_check(const char *path, enum mp_kind kind, struct buf *msg)
{
	size_t n = strlen(path);
	if (!mod_utf8_valid(path, n)) {
		buf_adds(msg, "invalid UTF-8");
		return -1;
	}
	if (n == 0) {
		buf_adds(msg, "empty string");
		return -1;
	}
	if (path[0] == '-' && kind != MP_FILE) {
		buf_adds(msg, "leading dash");
		return -1;
	}
	if (strstr(path, "//") != NULL) {
		buf_adds(msg, "double slash");
		return -1;
	}
	if (path[n - 1] == '/') {
		buf_adds(msg, "trailing slash");
		return -1;
	}
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || path[i] == '/') {
			if (mp_check_elem(path + start, i - start, kind, msg) < 0)
				return -1;
			start = i + 1;
		}
	}
	return 0;
}

static int mp_fail(struct err *e, const char *kind, const char *path, struct buf *msg)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "malformed %s path ", kind);
	mod_quote(&b, path, strlen(path));
	buf_printf(&b, ": %s", buf_cstr(msg));
	err_setf(e, "%s", buf_cstr(&b));
	buf_release(&b);
	buf_release(msg);
	return -1;
}

/* mp_check_module is CheckPath without the "malformed module path" wrapper. */
static int mp_check_module(const char *path, struct buf *msg)
{
	if (mp_check(path, MP_MODULE, msg) < 0)
		return -1;
	size_t i = strcspn(path, "/");
	if (i == 0) {
		buf_adds(msg, "leading slash");
		return -1;
	}
	if (memchr(path, '.', i) == NULL) {
		buf_adds(msg, "missing dot in first path element");
		return -1;
	}
	if (path[0] == '-') {
		buf_adds(msg, "leading dash in first path element");
		return -1;
	}
	size_t k = 0, sz;
	while (k < i) {
		uint32_t r = mod_utf8_decode(path + k, i - k, &sz);
		if (!mp_first_ok(r)) {
			buf_adds(msg, "invalid char ");
			mod_quote_rune(msg, r);
			buf_adds(msg, " in first path element");
			return -1;
		}
		k += sz;
	}
	char *prefix = NULL, *major = NULL;
	bool ok = mod_split_path_version(path, &prefix, &major);
	free(prefix);
	free(major);
	if (!ok) {
		buf_adds(msg, "invalid version");
		return -1;
	}
	return 0;
}

bool mod_has_path_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	if (n == 0)
		return true;
	if (strncmp(s, prefix, n) != 0)
		return false;
	return s[n] == 0 || prefix[n - 1] == '/' || s[n] == '/';
}

int mod_check_path(const char *path, struct err *e)
{
	struct buf msg = BUF_INIT;
	if (mp_check_module(path, &msg) < 0)
		return mp_fail(e, "module", path, &msg);
	buf_release(&msg);
	return 0;
}

int mod_check_import_path(const char *path, struct err *e)
{
	struct buf msg = BUF_INIT;
	if (mp_check(path, MP_IMPORT, &msg) < 0)
		return mp_fail(e, "import", path, &msg);
	buf_release(&msg);
	return 0;
}

int mod_check_file_path(const char *path, struct err *e)
{
	struct buf msg = BUF_INIT;
	if (mp_check(path, MP_FILE, &msg) < 0)
		return mp_fail(e, "file", path, &msg);
	buf_release(&msg);
	return 0;
}

/* mp_split_gopkgin mirrors module.splitGopkgIn: "gopkg.in/yaml.v2". */
static bool mp_split_gopkgin(const char *path, size_t *cut)
{
	size_t n = strlen(path), i = n;
	if (has_suffix(path, "-unstable"))
		i -= strlen("-unstable");
	while (i > 0 && path[i - 1] >= '0' && path[i - 1] <= '9')
		i--;
	if (i <= 1 || path[i - 1] != 'v' || path[i - 2] != '.')
		return false;
	const char *major = path + i - 2;
	size_t mn = n - (i - 2);
	if (mn <= 2 || (major[2] == '0' && strcmp(major, ".v0") != 0))
		return false;
	*cut = i - 2;
	return true;
}

bool mod_split_path_version(const char *path, char **prefix, char **pathmajor)
{
	size_t n = strlen(path), cut = n;
	bool ok = true;
	if (has_prefix(path, "gopkg.in/")) {
		ok = mp_split_gopkgin(path, &cut);
		if (!ok)
			cut = n;
		goto out;
	}
	size_t i = n;
	bool dot = false;
	while (i > 0 && ((path[i - 1] >= '0' && path[i - 1] <= '9') || path[i - 1] == '.')) {
		if (path[i - 1] == '.')
			dot = true;
		i--;
	}
	if (i <= 1 || i == n || path[i - 1] != 'v' || path[i - 2] != '/')
		goto out;
	const char *major = path + i - 2;
	if (dot || n - (i - 2) <= 2 || major[2] == '0' || strcmp(major, "/v1") == 0) {
		ok = false;
		goto out;
	}
	cut = i - 2;
out:
	*prefix = xstrndup(path, cut);
	*pathmajor = xstrdup(path + cut);
	return ok;
}

int mod_check_path_major(const char *version, const char *pathmajor, struct err *e)
{
	char *pm = xstrdup(pathmajor);
	char *m = NULL;
	const char *want;
	int rc = 0;
	if (has_prefix(pm, ".v") && has_suffix(pm, "-unstable"))
		pm[strlen(pm) - strlen("-unstable")] = '\0';
	if (has_prefix(version, "v0.0.0-") && strcmp(pm, ".v1") == 0)
		goto out;
	m = mod_semver_major(version);
	want = pm;
	if (pm[0] == '\0') {
		char *build = mod_semver_build(version);
		bool incompat = strcmp(build, "+incompatible") == 0;
		free(build);
		if (strcmp(m, "v0") == 0 || strcmp(m, "v1") == 0 || incompat)
			goto out;
		want = "v0 or v1";
	} else if (pm[0] == '/' || pm[0] == '.') {
		if (strcmp(m, pm + 1) == 0)
			goto out;
		want = pm + 1;
	}
	{
		struct buf b = BUF_INIT;
		buf_adds(&b, "version ");
		mod_quote(&b, version, strlen(version));
		buf_printf(&b, " invalid: should be %s, not %s", want, m);
		err_setf(e, "%s", buf_cstr(&b));
		buf_release(&b);
	}
	rc = -1;
out:
	free(m);
	free(pm);
	return rc;
}

/* mp_escape mirrors module.escapeString: "!" + lower case for each upper. */
static int mp_escape(const char *s, char **out, struct err *e)
{
	struct buf b = BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '!' || *p >= 0x80) {
			buf_release(&b);
			return err_setf(e, "internal error: inconsistency in EscapePath");
		}
		if (*p >= 'A' && *p <= 'Z') {
			buf_addch(&b, '!');
			buf_addch(&b, *p - 'A' + 'a');
		} else {
			buf_addch(&b, *p);
		}
	}
	*out = buf_detach(&b);
	return 0;
}

int mod_escape_path(const char *path, char **out, struct err *e)
{
	*out = NULL;
	if (mod_check_path(path, e) < 0)
		return -1;
	return mp_escape(path, out, e);
}

int mod_escape_version(const char *v, char **out, struct err *e)
{
	struct buf msg = BUF_INIT;
	*out = NULL;
	int bad = mp_check_elem(v, strlen(v), MP_FILE, &msg) < 0 || strchr(v, '!') != NULL;
	buf_release(&msg);
	if (bad) {
		struct buf b = BUF_INIT;
		buf_adds(&b, "version ");
		mod_quote(&b, v, strlen(v));
		buf_adds(&b, " invalid: disallowed version string");
		err_setf(e, "%s", buf_cstr(&b));
		buf_release(&b);
		return -1;
	}
	return mp_escape(v, out, e);
}

int mod_unescape_path(const char *escaped, char **out, struct err *e)
{
	struct buf b = BUF_INIT, q = BUF_INIT, msg = BUF_INIT;
	bool bang = false, ok = true;
	int rc = -1;
	*out = NULL;
	for (const unsigned char *p = (const unsigned char *)escaped; *p && ok; p++) {
		if (*p >= 0x80) {
			ok = false;
		} else if (bang) {
			bang = false;
			if (*p < 'a' || *p > 'z')
				ok = false;
			else
				buf_addch(&b, *p - 'a' + 'A');
		} else if (*p == '!') {
			bang = true;
		} else if (*p >= 'A' && *p <= 'Z') {
			ok = false;
		} else {
			buf_addch(&b, *p);
		}
	}
	mod_quote(&q, escaped, strlen(escaped));
	if (!ok || bang) {
		err_setf(e, "invalid escaped module path %s", buf_cstr(&q));
		goto out;
	}
	if (mp_check_module(buf_cstr(&b), &msg) < 0) {
		struct buf pq = BUF_INIT;
		mod_quote(&pq, buf_cstr(&b), b.len);
		err_setf(e, "invalid escaped module path %s: malformed module path %s: %s",
			 buf_cstr(&q), buf_cstr(&pq), buf_cstr(&msg));
		buf_release(&pq);
		goto out;
	}
	*out = buf_detach(&b);
	rc = 0;
out:
	buf_release(&b);
	buf_release(&q);
	buf_release(&msg);
	return rc;
}

/*
 * mod_is_std_path mirrors the first-element test of
 * cmd/go/internal/search.IsStandardImportPath: no dot in the first
 * element means the standard library (or cmd).
 */
bool mod_is_std_path(const char *path)
{
	size_t i = strcspn(path, "/");
	return memchr(path, '.', i) == NULL;
}

/* mod_canonical_version mirrors module.CanonicalVersion. */
char *mod_canonical_version(const char *v)
{
	char *cv = mod_semver_canonical(v);
	char *build = mod_semver_build(v);
	if (strcmp(build, "+incompatible") == 0) {
		char *t = xasprintf("%s+incompatible", cv);
		free(cv);
		cv = t;
	}
	free(build);
	return cv;
}

/* mod_check_module mirrors module.Check: the path, a semantic version, and
 * the path's major suffix agreeing with it (ModuleError around an
 * InvalidVersionError prints "path@version: invalid version: why"). */
int mod_check_module(const char *path, const char *version, struct err *e)
{
	char *prefix = NULL, *major = NULL;
	struct err inner = ERR_INIT;
	int rc = -1;

	if (mod_check_path(path, e) < 0)
		return -1;
	if (!mod_semver_is_valid(version)) {
		err_setf(e, "%s@%s: invalid version: not a semantic version", path, version);
		goto out;
	}
	if (!mod_split_path_version(path, &prefix, &major))
		BUG("mod_split_path_version failed on a checked path");
	if (mod_check_path_major(version, major, &inner) < 0) {
		/* inner is InvalidVersionError's text: version "V" invalid: WHY */
		const char *why = strstr(err_msg(&inner), " invalid: ");
		err_setf(e, "%s@%s: invalid version: %s", path, version,
			 why ? why + strlen(" invalid: ") : err_msg(&inner));
		goto out;
	}
	rc = 0;
out:
	err_clear(&inner);
	free(prefix);
	free(major);
	return rc;
}

/* mod_unescape_version mirrors module.UnescapeVersion. */
int mod_unescape_version(const char *escaped, char **out, struct err *e)
{
	struct buf b = BUF_INIT, q = BUF_INIT, msg = BUF_INIT;
	bool bang = false, ok = true;
	int rc = -1;

	*out = NULL;
	for (const unsigned char *p = (const unsigned char *)escaped; *p && ok; p++) {
		if (*p >= 0x80) {
			ok = false;
		} else if (bang) {
			bang = false;
			if (*p < 'a' || *p > 'z')
				ok = false;
			else
				buf_addch(&b, *p - 'a' + 'A');
		} else if (*p == '!') {
			bang = true;
		} else if (*p >= 'A' && *p <= 'Z') {
			ok = false;
		} else {
			buf_addch(&b, *p);
		}
	}
	if (!ok || bang) {
		mod_quote(&q, escaped, strlen(escaped));
		err_setf(e, "invalid escaped version %s", buf_cstr(&q));
		goto out;
	}
	if (mp_check_elem(b.data, b.len, MP_FILE, &msg) < 0) {
		/* go quotes the unescaped version here, not the escaped one */
		mod_quote(&q, b.data, b.len);
		err_setf(e, "invalid escaped version %s: %s", buf_cstr(&q), buf_cstr(&msg));
		goto out;
	}
	*out = buf_detach(&b);
	rc = 0;
out:
	buf_release(&b);
	buf_release(&q);
	buf_release(&msg);
	return rc;
}

/* mod_match_prefix_patterns is module.MatchPrefixPatterns: whether a leading run of
 * target's path elements matches one of the comma-separated globs (empty ones skipped,
 * a trailing slash ignored). */
bool mod_match_prefix_patterns(const char *globs, const char *target)
{
	bool matched = false;
	char *list = xstrdup(globs ? globs : ""), *w = list, *glob;

	while (!matched && (glob = strsep(&w, ",")) != NULL) {
		size_t gl = strlen(glob), n = 0, i;
		char *prefix;
		if (gl && glob[gl - 1] == '/')
			glob[--gl] = 0;
		if (!gl)
			continue;
		for (i = 0; i < gl; i++)
			n += glob[i] == '/';
		for (i = 0; target[i]; i++) {
			if (target[i] != '/')
				continue;
			if (n == 0)
				break;
			n--;
		}
		if (n > 0)
			continue;
		prefix = xstrndup(target, i);
		matched = path_match(glob, prefix) == 1;
		free(prefix);
	}
	free(list);
	return matched;
}
