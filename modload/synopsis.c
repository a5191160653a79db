/*
 * go/doc Synopsis: the first sentence of a package doc comment, run
 * through the go/doc/comment parser (only a leading paragraph counts) and
 * printed as one line of text the way the text printer does with no wrap
 * width.  The parser part covers what a first sentence can hold: span
 * kinds (paragraph, heading, code, list), link definitions, doc links to
 * standard packages, automatic URLs and `` / '' quotes.
 */
#include <stdlib.h>
#include <string.h>

#include "modload/header_internal.h"

/* mirrors go/doc/synopsis.go firstSentence (go1.26) */
static size_t first_sentence(const char *s, size_t n)
{
	uint32_t ppp = 0, pp = 0, p = 0, q;
	size_t i, w;

	for (i = 0; i < n; i += w) {
		w = load_utf8_decode(s + i, n - i, &q);
		if (q == '\n' || q == '\r' || q == '\t')
			q = ' ';
		if (q == ' ' && p == '.' && (!load_is_upper(pp) || load_is_upper(ppp)))
			return i;
		if (p == 0x3002 || p == 0xFF0E) /* 。 and ． */
			return i;
		ppp = pp;
		pp = p;
		p = q;
	}
	return n;
}

/* ---- go/doc/comment line structure ---------------------------------------- */

struct lines {
	struct str *v;
	size_t n, cap;
};

static bool is_blank_line(struct str s)
{
	return s.n == 0 || (s.n == 1 && s.p[0] == '\n');
}

static size_t leading_space(struct str s)
{
	size_t i = 0;
	while (i < s.n && (s.p[i] == ' ' || s.p[i] == '\t'))
		i++;
	return i;
}

static bool indented(struct str s)
{
	return s.n > 0 && (s.p[0] == ' ' || s.p[0] == '\t');
}

/* mirrors go/doc/comment/parse.go unindent (go1.26), in place */
static void unindent(struct lines *l)
{
	size_t start = 0, end = l->n, i, j, plen;
	struct str prefix;

	while (start < end && is_blank_line(l->v[start]))
		start++;
	while (end > start && is_blank_line(l->v[end - 1]))
		end--;
	memmove(l->v, l->v + start, (end - start) * sizeof(*l->v));
	l->n = end - start;
	if (l->n == 0)
		return;
	prefix = (struct str){l->v[0].p, leading_space(l->v[0])};
	for (i = 1; i < l->n; i++) {
		if (is_blank_line(l->v[i]))
			continue;
		plen = leading_space(l->v[i]);
		for (j = 0; j < prefix.n && j < plen && prefix.p[j] == l->v[i].p[j]; j++)
			;
		prefix.n = j;
	}
	for (i = 0; i < l->n; i++) {
		struct str s = l->v[i];
		if (s.n >= prefix.n && memcmp(s.p, prefix.p, prefix.n) == 0)
			s = (struct str){s.p + prefix.n, s.n - prefix.n};
		if (load_trim_space(s).n == 0)
			s.n = 0;
		l->v[i] = s;
	}
	start = 0;
	end = l->n;
	while (start < end && l->v[start].n == 0)
		start++;
	while (end > start && l->v[end - 1].n == 0)
		end--;
	memmove(l->v, l->v + start, (end - start) * sizeof(*l->v));
	l->n = end - start;
}

/* mirrors go/doc/comment/parse.go listMarker (go1.26) */
static bool is_list(struct str line)
{
	struct str rest;
	uint32_t r;
	size_t w, k;

	line = load_trim_space(line);
	if (line.n == 0)
		return false;
	w = load_utf8_decode(line.p, line.n, &r);
	if (r == 0x2022 || r == '*' || r == '+' || r == '-') {
		rest = (struct str){line.p + w, line.n - w};
	} else if (line.p[0] >= '0' && line.p[0] <= '9') {
		for (k = 1; k < line.n && line.p[k] >= '0' && line.p[k] <= '9'; k++)
			;
		if (k >= line.n || (line.p[k] != '.' && line.p[k] != ')'))
			return false;
		rest = (struct str){line.p + k + 1, line.n - k - 1};
	} else {
		return false;
	}
	return indented(rest) && load_trim_space(rest).n != 0;
}

static bool is_heading(struct str line)
{
	return line.n >= 2 && line.p[0] == '#' && (line.p[1] == ' ' || line.p[1] == '\t') &&
	       !str_eqc(load_trim_space(line), "#");
}

/* mirrors go/doc/comment/parse.go isOldHeading (go1.26) */
static bool is_old_heading(struct str line, const struct lines *all, size_t off)
{
	uint32_t r;
	size_t i;

	if (off == 0 || all->v[off - 1].n != 0 || off + 2 >= all->n || all->v[off + 1].n != 0 ||
	    leading_space(all->v[off + 2]) != 0)
		return false;
	line = load_trim_space(line);
	if (line.n == 0)
		return false;
	load_utf8_decode(line.p, line.n, &r);
	if (!load_is_letter(r) || !load_is_upper(r))
		return false;
	load_utf8_decode_last(line.p, line.n, &r);
	if (!load_is_letter(r) && !load_is_digit(r))
		return false;
	for (i = 0; i < line.n; i++) {
		if (strchr(";:!?+*/=[]{}_^&~%#@<\">\\", line.p[i]) && line.p[i] != '\0')
			return false;
		if ((unsigned char)line.p[i] == 0xC2 && i + 1 < line.n && (unsigned char)line.p[i + 1] == 0xB0)
			return false; /* ° */
		if ((unsigned char)line.p[i] == 0xC2 && i + 1 < line.n && (unsigned char)line.p[i + 1] == 0xA7)
			return false; /* § */
	}
	for (i = 0; i < line.n; i++) {
		if (line.p[i] == '\'') {
			struct str b = {line.p + i + 1, line.n - i - 1};
			if (!str_eqc(b, "s") && !str_has_prefix(b, "s "))
				return false;
		}
		if (line.p[i] == '.') {
			if (i + 1 == line.n || line.p[i + 1] == ' ')
				return false;
		}
	}
	return true;
}

enum span_kind { SPAN_CODE = 1, SPAN_HEADING, SPAN_LIST, SPAN_OLD_HEADING, SPAN_PARA };
struct span {
	size_t start, end;
	enum span_kind kind;
};
struct spans {
	struct span *v;
	size_t n, cap;
};

/* mirrors go/doc/comment/parse.go parseSpans (go1.26) */
static void parse_spans(const struct lines *l, struct spans *spans)
{
	size_t i = 0, force_indent = 0, start, end;
	enum span_kind kind;

	for (;;) {
		while (i < l->n && l->v[i].n == 0)
			i++;
		if (i >= l->n)
			break;
		start = end = i;
		if (i < force_indent || indented(l->v[i])) {
			bool unindented_list_ok = is_list(l->v[i]) && i < force_indent;
			i++;
			while (i < l->n && (l->v[i].n == 0 || i < force_indent || indented(l->v[i]) ||
			                    (unindented_list_ok && is_list(l->v[i])))) {
				if (l->v[i].n == 0)
					unindented_list_ok = false;
				i++;
			}
			end = i;
			while (end > start && l->v[end - 1].n == 0)
				end--;
			if (end < l->n && str_has_prefix(l->v[end], "}"))
				end++;
			kind = is_list(l->v[start]) ? SPAN_LIST : SPAN_CODE;
		} else {
			i++;
			while (i < l->n && l->v[i].n != 0 && !indented(l->v[i]))
				i++;
			end = i;
			if (i < l->n && l->v[i].n != 0 && !is_list(l->v[i])) {
				struct str last = l->v[i - 1];
				if (is_list(last)) {
					force_indent = end;
					end--;
					while (end > start && is_list(l->v[end - 1]))
						end--;
				} else if (str_has_suffix(last, "{") || str_has_suffix(last, "\\")) {
					force_indent = end;
					end--;
				}
				if (start == end && force_indent > start) {
					i = start;
					continue;
				}
			}
			if (end - start == 1 && is_heading(l->v[start]))
				kind = SPAN_HEADING;
			else if (end - start == 1 && is_old_heading(l->v[start], l, start))
				kind = SPAN_OLD_HEADING;
			else
				kind = SPAN_PARA;
		}
		VEC_PUSH(spans, ((struct span){start, end, kind}));
		i = end;
	}
}

/* ---- link definitions and inline text --------------------------------------- */

struct linkdef {
	struct str text, url;
	bool used;
};
struct linkdefs {
	struct linkdef *v;
	size_t n, cap;
};

static bool is_scheme(struct str s)
{
	static const char *const schemes[] = {"file", "ftp", "gopher", "http", "https", "mailto", "nntp"};
	size_t i;

	for (i = 0; i < countof(schemes); i++)
		if (str_eqc(s, schemes[i]))
			return true;
	return false;
}

/* mirrors go/doc/comment/parse.go parseLink (go1.26) */
static bool parse_link_def(struct str line, struct linkdef *def)
{
	const char *p;
	size_t i;
	struct str url;

	if (line.n == 0 || line.p[0] != '[')
		return false;
	for (p = NULL, i = 0; i + 1 < line.n; i++) {
		if (line.p[i] == ']' && line.p[i + 1] == ':') {
			p = line.p + i;
			break;
		}
	}
	if (!p || i + 3 >= line.n || (line.p[i + 2] != ' ' && line.p[i + 2] != '\t'))
		return false;
	def->text = (struct str){line.p + 1, i - 1};
	url = load_trim_space((struct str){line.p + i + 3, line.n - i - 3});
	for (i = 0; i + 3 <= url.n; i++)
		if (memcmp(url.p + i, "://", 3) == 0)
			break;
	if (i + 3 > url.n || !is_scheme((struct str){url.p, i}))
		return false;
	def->url = url;
	def->used = false;
	return true;
}

static bool bit_host(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '@' || c == '-' || c == '.' || c == '[' || c == ']' || c == ':';
}

static bool bit_punct(unsigned char c)
{
	return c == '.' || c == ',' || c == ':' || c == ';' || c == '?' || c == '!';
}

static bool bit_path(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (c != 0 && strchr("$'()*+&#=@~_/-[]{}%", c) != NULL);
}

/* mirrors go/doc/comment/parse.go autoURL (go1.26): length of a URL at s, or 0 */
static size_t auto_url(const char *s, size_t n)
{
	size_t i, end, depth_n = 0;
	char stk[64];

	if (n < 7)
		return 0;
	if (s[3] == ':') i = 3;
	else if (s[4] == ':') i = 4;
	else if (s[5] == ':') i = 5;
	else if (s[6] == ':') i = 6;
	else return 0;
	if (i + 3 > n || memcmp(s + i, "://", 3) != 0 || !is_scheme((struct str){s, i}))
		return 0;
	i += 3;
	if (i >= n || !bit_host((unsigned char)s[i]) || bit_punct((unsigned char)s[i]))
		return 0;
	i++;
	end = i;
	for (; i < n && bit_host((unsigned char)s[i]); i++)
		if (!bit_punct((unsigned char)s[i]))
			end = i + 1;
	i = end;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (bit_punct(c))
			continue;
		if (!bit_path(c))
			break;
		if (c == '(' || c == '{' || c == '[') {
			if (depth_n == sizeof(stk))
				break;
			stk[depth_n++] = c == '(' ? ')' : c == '{' ? '}' : ']';
		} else if (c == ')' || c == '}' || c == ']') {
			if (depth_n == 0 || stk[depth_n - 1] != (char)c)
				break;
			depth_n--;
		}
		if (depth_n == 0)
			end = i + 1;
	}
	return end;
}

/* parse_text appends the plain text of s: `` and '' become curly quotes
 * (mirrors go/doc/comment/parse.go parseText with no Words). */
static void parse_text(struct buf *b, const char *s, size_t n, bool auto_link)
{
	size_t i = 0, k;

	while (i < n) {
		if (auto_link) {
			size_t u = auto_url(s + i, n - i);
			if (u > 0) {
				buf_add(b, s + i, u);
				i += u;
				continue;
			}
			/* an identifier is skipped whole (it might have been a Word) */
			k = i;
			while (k < n) {
				unsigned char c = (unsigned char)s[k];
				uint32_t r;
				size_t w;
				if (c < 0x80) {
					if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
					    (c >= '0' && c <= '9' && k > i)) {
						k++;
						continue;
					}
					break;
				}
				w = load_utf8_decode(s + k, n - k, &r);
				if (!load_is_letter(r))
					break;
				k += w;
			}
			if (k > i) {
				buf_add(b, s + i, k - i);
				i = k;
				continue;
			}
		}
		if (n - i >= 2 && s[i] == '`' && s[i + 1] == '`') {
			if (n - i >= 3 && s[i + 2] == '`') {
				k = i + 3;
				while (k < n && s[k] == '`')
					k++;
				buf_add(b, s + i, k - i);
				i = k;
				continue;
			}
			buf_adds(b, "\xe2\x80\x9c"); /* “ */
			i += 2;
			continue;
		}
		if (n - i >= 2 && s[i] == '\'' && s[i + 1] == '\'') {
			buf_adds(b, "\xe2\x80\x9d"); /* ” */
			i += 2;
			continue;
		}
		buf_addch(b, (unsigned char)s[i]);
		i++;
	}
}

static const char *const std_pkgs[] = {
	/* go/doc/comment/std.go (go1.26): the names a bare [pkg] link may use */
	"bufio", "bytes", "cmp", "context", "crypto", "embed", "encoding", "errors", "expvar",
	"flag", "fmt", "hash", "html", "image", "io", "iter", "log", "maps", "math", "mime",
	"net", "os", "path", "plugin", "reflect", "regexp", "runtime", "slices", "sort",
	"strconv", "strings", "structs", "sync", "syscall", "testing", "time", "unicode",
	"unique", "unsafe", "weak",
};

static bool import_path_ok(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '~' || c == '_' || c == '+';
}

/* mirrors go/doc/comment/parse.go validImportPath (go1.26) */
static bool valid_import_path(struct str p)
{
	size_t i, start = 0;

	if (p.n == 0 || p.p[0] == '-' || p.p[p.n - 1] == '/')
		return false;
	for (i = 0; i <= p.n; i++) {
		if (i == p.n || p.p[i] == '/') {
			struct str e = {p.p + start, i - start};
			size_t k;
			if (e.n == 0 || e.p[0] == '.' || e.p[e.n - 1] == '.')
				return false;
			for (k = 0; k < e.n; k++)
				if (!import_path_ok((unsigned char)e.p[k]))
					return false;
			start = i + 1;
		}
	}
	return true;
}

static bool lookup_pkg(struct str pkg)
{
	size_t i;

	if (memchr(pkg.p, '/', pkg.n))
		return valid_import_path(pkg);
	for (i = 0; i < countof(std_pkgs); i++)
		if (str_eqc(pkg, std_pkgs[i]))
			return true;
	return false;
}

/* is_name: an identifier starting with an upper-case letter */
static bool is_name(struct str s)
{
	size_t i, w;
	uint32_t r, first = 0;

	if (s.n == 0)
		return false;
	for (i = 0; i < s.n; i += w) {
		unsigned char c = (unsigned char)s.p[i];
		w = 1;
		if (c < 0x80) {
			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || (c >= '0' && c <= '9' && i > 0)))
				return false;
			r = c;
		} else {
			w = load_utf8_decode(s.p + i, s.n - i, &r);
			if (!load_is_letter(r))
				return false;
		}
		if (i == 0)
			first = r;
	}
	return load_is_upper(first);
}

/* split_doc_name mirrors splitDocName: the name after the last '.' */
static bool split_doc_name(struct str text, struct str *before, struct str *name)
{
	size_t i = text.n;

	while (i > 0 && text.p[i - 1] != '.')
		i--;
	*name = (struct str){text.p + i, text.n - i};
	if (!is_name(*name)) {
		*before = text;
		return false;
	}
	*before = (struct str){text.p, i > 0 ? i - 1 : 0};
	return true;
}

static bool link_boundary(uint32_t r)
{
	return load_is_punct(r) || r == ' ' || r == '\t' || r == '\n';
}

/* mirrors go/doc/comment/parse.go docLink for a package with no symbols */
static bool doc_link(struct str text, struct str before, struct str after)
{
	struct str pkg, name, recv;
	uint32_t r;

	if (before.n > 0) {
		load_utf8_decode_last(before.p, before.n, &r);
		if (!link_boundary(r))
			return false;
	}
	if (after.n > 0) {
		load_utf8_decode(after.p, after.n, &r);
		if (!link_boundary(r))
			return false;
	}
	if (text.n > 0 && text.p[0] == '*')
		text = (struct str){text.p + 1, text.n - 1};
	if (split_doc_name(text, &pkg, &name)) {
		struct str p2;
		split_doc_name(pkg, &p2, &recv);
		pkg = p2;
	}
	if (pkg.n == 0)
		return false; /* a symbol of this package: go/doc's zero Package has none */
	return lookup_pkg(pkg);
}

static struct linkdef *find_def(struct linkdefs *defs, const char *text, size_t n)
{
	size_t i;

	for (i = 0; i < defs->n; i++)
		if (defs->v[i].text.n == n && memcmp(defs->v[i].text.p, text, n) == 0)
			return &defs->v[i];
	return NULL;
}

/* mirrors go/doc/comment/parse.go parseLinkedText, producing plain text */
static void parse_linked_text(struct buf *out, struct str t, struct linkdefs *defs)
{
	struct buf key = BUF_INIT;
	size_t i, wrote = 0;
	long start = -1;

	for (i = 0; i < t.n; i++) {
		char c = t.p[i];
		if (c == '\n' || c == '\t')
			c = ' ';
		if (c == '[') {
			start = (long)i;
		} else if (c == ']') {
			if (start >= 0) {
				struct linkdef *def = find_def(defs, key.data, key.len);
				struct str inner = {t.p + start + 1, i - (size_t)start - 1};
				if (def || doc_link(inner, (struct str){t.p, (size_t)start},
				                    (struct str){t.p + i + 1, t.n - i - 1})) {
					if (def)
						def->used = true;
					parse_text(out, t.p + wrote, (size_t)start - wrote, true);
					parse_text(out, inner.p, inner.n, false);
					wrote = i + 1;
				}
			}
			start = -1;
			buf_reset(&key);
		}
		if (start >= 0 && (long)i != start)
			buf_addch(&key, (unsigned char)c);
	}
	parse_text(out, t.p + wrote, t.n - wrote, true);
	buf_release(&key);
}

/* append_fields appends the Unicode-space separated words of s joined by
 * single spaces (strings.Fields + the text printer's one long line). */
static void append_fields(struct buf *b, struct str s)
{
	size_t pos = 0;
	struct str f;
	bool first = true;

	while (load_next_field(s, &pos, &f)) {
		if (!first)
			buf_addch(b, ' ');
		buf_addstr(b, f);
		first = false;
	}
}

static bool has_prefix_fold(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix), i;

	if (n < k)
		return false;
	for (i = 0; i < k; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != (unsigned char)prefix[i])
			return false;
	}
	return true;
}

/* mirrors go/doc/synopsis.go Package.Synopsis (go1.26) */
const char *load_doc_synopsis(struct arena *a, const char *doc)
{
	size_t n = first_sentence(doc, strlen(doc)), i, k;
	struct lines l = {0};
	struct spans spans = {0};
	struct linkdefs defs = {0};
	struct buf para = BUF_INIT, text = BUF_INIT, out = BUF_INIT;
	const struct span *first = NULL;
	const char *res = "";
	const char *p;

	if (has_prefix_fold(doc, n, "copyright") || has_prefix_fold(doc, n, "all rights") ||
	    has_prefix_fold(doc, n, "author"))
		goto out;
	for (p = doc;;) {
		const char *nl = memchr(p, '\n', (size_t)(doc + n - p));
		VEC_PUSH(&l, ((struct str){p, nl ? (size_t)(nl - p) : (size_t)(doc + n - p)}));
		if (!nl)
			break;
		p = nl + 1;
	}
	unindent(&l);
	parse_spans(&l, &spans);
	/* The first block is the first span that is not only link definitions. */
	for (i = 0; i < spans.n; i++) {
		const struct span *s = &spans.v[i];
		bool all_defs = s->kind == SPAN_PARA;
		size_t before = defs.n;
		if (s->kind == SPAN_PARA) {
			for (k = s->start; k < s->end; k++) {
				struct linkdef d;
				if (!parse_link_def(l.v[k], &d)) {
					all_defs = false;
					break;
				}
				VEC_PUSH(&defs, d);
			}
		}
		if (!all_defs) {
			defs.n = before;
			if (!first)
				first = s;
		}
	}
	if (!first || first->kind != SPAN_PARA)
		goto out;
	for (k = first->start; k < first->end; k++) {
		if (k > first->start)
			buf_addch(&para, '\n');
		buf_addstr(&para, l.v[k]);
	}
	parse_linked_text(&text, buf_str(&para), &defs);
	append_fields(&out, buf_str(&text));
	/* the text printer lists the definitions the paragraph used */
	{
		bool any = false;
		for (i = 0; i < defs.n; i++)
			any = any || defs.v[i].used;
		if (any) {
			buf_addch(&out, '\n');
			for (i = 0; i < defs.n; i++)
				if (defs.v[i].used)
					buf_printf(&out, "\n[%.*s]: %.*s", (int)defs.v[i].text.n, defs.v[i].text.p,
					           (int)defs.v[i].url.n, defs.v[i].url.p);
		}
	}
	res = arena_strdup(a, buf_cstr(&out));
	/* the printer's output is TrimSpace'd */
	{
		struct str t = load_trim_space(str_c(res));
		res = arena_strndup(a, t.p, t.n);
	}
out:
	VEC_FREE(&l);
	VEC_FREE(&spans);
	VEC_FREE(&defs);
	buf_release(&para);
	buf_release(&text);
	buf_release(&out);
	return res;
}
