/*
 * semver.c: semantic versions as Go modules use them.
 *
 * Mirrors golang.org/x/mod/semver (go1.26 vendored copy): a version is
 * "v" MAJOR [. MINOR [. PATCH [-PRERELEASE] [+BUILD]]], the shorthands
 * vMAJOR and vMAJOR.MINOR have no prerelease or build, and numbers have no
 * leading zeros.  Also module.IsPseudoVersion.
 */
#include <stdlib.h>
#include <string.h>

#include "modload/modload.h"

/*
 * The parts of a parsed version, as views into the input.  short_ is the
 * suffix that the shorthand forms lack (".0.0", ".0" or "").
 */
struct sv_parsed {
	struct str major, minor, patch;
	const char *short_;
	struct str pre, build;
};

static bool sv_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool sv_ident_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || sv_digit(c) || c == '-';
}

/* A numeric identifier with a leading zero ("01") is not allowed in a prerelease. */
static bool sv_bad_num(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && sv_digit((unsigned char)p[i]))
		i++;
	return i == n && i > 1 && p[0] == '0';
}

static bool sv_is_num(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && sv_digit((unsigned char)p[i]))
		i++;
	return i == n;
}

/* sv_int reads a decimal without leading zeros at *s, advancing it. */
static bool sv_int(const char **s, struct str *out)
{
	const char *p = *s;
	size_t i = 0;
	if (!sv_digit((unsigned char)p[0]))
		return false;
	while (sv_digit((unsigned char)p[i]))
		i++;
	if (p[0] == '0' && i != 1)
		return false;
	*out = (struct str){p, i};
	*s = p + i;
	return true;
}

/* sv_dotted reads "-a.b.c" (prerelease, stops at '+') or "+a.b" (build). */
static bool sv_dotted(const char **s, bool prerelease, struct str *out)
{
	const char *p = *s;
	size_t i = 1, start = 1;
	while (p[i] != '\0' && !(prerelease && p[i] == '+')) {
		unsigned char c = (unsigned char)p[i];
		if (!sv_ident_char(c) && c != '.')
			return false;
		if (c == '.') {
			if (start == i || (prerelease && sv_bad_num(p + start, i - start)))
				return false;
			start = i + 1;
		}
		i++;
	}
	if (start == i || (prerelease && sv_bad_num(p + start, i - start)))
		return false;
	*out = (struct str){p, i};
	*s = p + i;
	return true;
}

/* sv_parse mirrors semver.parse. */
static bool sv_parse(const char *v, struct sv_parsed *pv)
{
	memset(pv, 0, sizeof *pv);
	pv->short_ = "";
	pv->pre = pv->build = (struct str){"", 0};
	if (v == NULL || v[0] != 'v')
		return false;
	const char *s = v + 1;
	if (!sv_int(&s, &pv->major))
		return false;
	if (*s == '\0') {
		pv->minor = STR("0");
		pv->patch = STR("0");
		pv->short_ = ".0.0";
		return true;
	}
	if (*s != '.')
		return false;
	s++;
	if (!sv_int(&s, &pv->minor))
		return false;
	if (*s == '\0') {
		pv->patch = STR("0");
		pv->short_ = ".0";
		return true;
	}
	if (*s != '.')
		return false;
	s++;
	if (!sv_int(&s, &pv->patch))
		return false;
	if (*s == '-' && !sv_dotted(&s, true, &pv->pre))
		return false;
	if (*s == '+' && !sv_dotted(&s, false, &pv->build))
		return false;
	return *s == '\0';
}

bool mod_semver_is_valid(const char *v)
{
	struct sv_parsed pv;
	return sv_parse(v, &pv);
}

char *mod_semver_canonical(const char *v)
{
	struct sv_parsed pv;
	if (!sv_parse(v, &pv))
		return xstrdup("");
	if (pv.build.n > 0)
		return xstrndup(v, strlen(v) - pv.build.n);
	return xasprintf("%s%s", v, pv.short_);
}

char *mod_semver_major(const char *v)
{
	struct sv_parsed pv;
	if (!sv_parse(v, &pv))
		return xstrdup("");
	return xstrndup(v, 1 + pv.major.n);
}

char *mod_semver_major_minor(const char *v)
{
	struct sv_parsed pv;
	if (!sv_parse(v, &pv))
		return xstrdup("");
	size_t i = 1 + pv.major.n;
	/* Reuse the input when it spells the minor itself ("v1.2" or "v1.2.3"). */
	if (v[i] == '.')
		return xstrndup(v, i + 1 + pv.minor.n);
	return xasprintf("%.*s.%.*s", (int)i, v, (int)pv.minor.n, pv.minor.p);
}

char *mod_semver_prerelease(const char *v)
{
	struct sv_parsed pv;
	if (!sv_parse(v, &pv))
		return xstrdup("");
	return xstrndup(pv.pre.p, pv.pre.n);
}

char *mod_semver_build(const char *v)
{
	struct sv_parsed pv;
	if (!sv_parse(v, &pv))
		return xstrdup("");
	return xstrndup(pv.build.p, pv.build.n);
}

/* Numbers without leading zeros compare by length first. */
static int sv_cmp_int(struct str x, struct str y)
{
	if (x.n != y.n)
		return x.n < y.n ? -1 : 1;
	int c = memcmp(x.p, y.p, x.n);
	return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/* sv_cmp_pre mirrors semver.comparePrerelease (semver.org §11). */
static int sv_cmp_pre(struct str x, struct str y)
{
	if (str_eq(x, y))
		return 0;
	if (x.n == 0)
		return 1;
	if (y.n == 0)
		return -1;
	while (x.n > 0 && y.n > 0) {
		/* skip the leading '-' or '.' */
		x.p++, x.n--;
		y.p++, y.n--;
		size_t i = 0, j = 0;
		while (i < x.n && x.p[i] != '.')
			i++;
		while (j < y.n && y.p[j] != '.')
			j++;
		struct str dx = {x.p, i}, dy = {y.p, j};
		x.p += i, x.n -= i;
		y.p += j, y.n -= j;
		if (str_eq(dx, dy))
			continue;
		bool ix = sv_is_num(dx.p, dx.n), iy = sv_is_num(dy.p, dy.n);
		if (ix != iy)
			return ix ? -1 : 1;
		if (ix && dx.n != dy.n)
			return dx.n < dy.n ? -1 : 1;
		return str_cmp(dx, dy) < 0 ? -1 : 1;
	}
	return x.n == 0 ? -1 : 1;
}

int mod_semver_compare(const char *v, const char *w)
{
	struct sv_parsed pv, pw;
	bool ok1 = sv_parse(v, &pv), ok2 = sv_parse(w, &pw);
	if (!ok1 && !ok2)
		return 0;
	if (!ok1)
		return -1;
	if (!ok2)
		return 1;
	int c = sv_cmp_int(pv.major, pw.major);
	if (c == 0)
		c = sv_cmp_int(pv.minor, pw.minor);
	if (c == 0)
		c = sv_cmp_int(pv.patch, pw.patch);
	if (c == 0)
		c = sv_cmp_pre(pv.pre, pw.pre);
	return c;
}

/* ps_digits counts the ASCII digits at p. */
static size_t ps_digits(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && sv_digit((unsigned char)p[i]))
		i++;
	return i;
}

/*
 * mod_is_pseudo_version mirrors module.IsPseudoVersion (go1.26): a valid
 * semver with at least two dashes whose text before any "+build" has the
 * shape vX.0.0-yyyymmddhhmmss-rev, vX.Y.Z-pre.0.yyyymmddhhmmss-rev or
 * vX.Y.(Z+1)-0.yyyymmddhhmmss-rev.  Hand-coded from pseudoVersionRE; the
 * build suffix needs no check because semver validity implies its form.
 */
bool mod_is_pseudo_version(const char *v)
{
	size_t dashes = 0;
	for (const char *p = v; *p; p++)
		dashes += *p == '-';
	if (dashes < 2 || !mod_semver_is_valid(v))
		return false;
	size_t n = strcspn(v, "+");
	/* revision: [A-Za-z0-9]+ after the last dash of the core */
	size_t d = n;
	while (d > 0 && v[d - 1] != '-')
		d--;
	if (d == 0 || d == n)
		return false;
	for (size_t i = d; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (!sv_digit(c) && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
			return false;
	}
	size_t dash = d - 1; /* index of that dash */
	if (dash < 14 || ps_digits(v + dash - 14, 14) != 14)
		return false;
	size_t plen = dash - 14; /* prefix v[0..plen) precedes the timestamp */
	const char *p = v;
	if (plen < 2 || p[0] != 'v')
		return false;
	size_t i = 1, k = ps_digits(p + i, plen - i);
	if (k == 0)
		return false;
	i += k;
	if (i >= plen || p[i] != '.')
		return false;
	i++;
	/* form 1: "vX.0.0-" is the whole prefix */
	if (plen - i == 4 && memcmp(p + i, "0.0-", 4) == 0)
		return true;
	/* form 2: "vX.Y.Z-" then an optional "anything." then "0." */
	k = ps_digits(p + i, plen - i);
	if (k == 0)
		return false;
	i += k;
	if (i >= plen || p[i] != '.')
		return false;
	i++;
	k = ps_digits(p + i, plen - i);
	if (k == 0)
		return false;
	i += k;
	if (i >= plen || p[i] != '-')
		return false;
	i++;
	if (plen - i < 2 || memcmp(p + plen - 2, "0.", 2) != 0)
		return false;
	size_t mid = plen - 2 - i; /* the ([^+]*\.)? part */
	return mid == 0 || p[plen - 3] == '.';
}
