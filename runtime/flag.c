/*
 * Go's flag package as the go command uses it: flag_parse is
 * FlagSet.Parse with ContinueOnError (the caller prints the message and the
 * usage and exits 2), and the GOFLAGS helpers mirror
 * cmd/go/internal/base/goflags.go.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"

/* flag_lookup returns the definition called name, or NULL. */
struct flag_def *flag_lookup(struct flag_def *defs, size_t ndefs, const char *name)
{
	for (size_t i = 0; i < ndefs; i++)
		if (strcmp(defs[i].name, name) == 0)
			return &defs[i];
	return NULL;
}

/* parse_bool mirrors strconv.ParseBool: 1 true, 0 false, -1 syntax error. */
static int parse_bool(const char *s)
{
	static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};

	for (size_t i = 0; i < countof(yes); i++) {
		if (strcmp(s, yes[i]) == 0)
			return 1;
		if (strcmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

static int digit_val(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

static unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

/*
 * flag_parse_int64 mirrors strconv.ParseInt(s, 0, 64) (go1.26): sign, base prefix
 * 0x/0o/0b/0, underscores only between digits or after the prefix.
 * Returns 0, or -1 with *why "parse error" / "value out of range" (the
 * texts of flag's errParse and errRange).
 */
int flag_parse_int64(const char *s, int64_t *out, const char **why)
{
	const unsigned char *p = (const unsigned char *)s;
	bool neg = false, any = false, can_us = false, last_us = false;
	int base = 10;
	uint64_t v = 0, limit;
	bool overflow = false;

	*why = "parse error";
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (*p == '\0')
		return -1;
	if (p[0] == '0' && p[1] != '\0') {
		unsigned char c = lower(p[1]);
		can_us = true; /* an underscore may follow the base prefix */
		if (c == 'x') {
			base = 16;
			p += 2;
		} else if (c == 'o') {
			base = 8;
			p += 2;
		} else if (c == 'b') {
			base = 2;
			p += 2;
		} else {
			/* A plain leading 0 is octal; it counts as a digit. */
			base = 8;
			p += 1;
			any = true;
		}
	}
	for (; *p; p++) {
		if (*p == '_') {
			/* strconv's underscoreOK: only after a digit or the
			 * base prefix, and never trailing. */
			if (!can_us)
				return -1;
			can_us = false;
			last_us = true;
			continue;
		}
		int d = digit_val(*p);
		if (d >= base)
			return -1;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			overflow = true;
		else
			v = v * (uint64_t)base + (uint64_t)d;
		any = true;
		can_us = true;
		last_us = false;
	}
	if (!any || last_us)
		return -1;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (overflow || v > limit) {
		*why = "value out of range";
		return -1;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

/*
 * flag_set assigns value to d like flag.Value.Set; on failure it sets e to
 * the bare reason ("parse error", or the FUNC callback's message).
 */
static int flag_set(struct flag_def *d, const char *value, struct err *e)
{
	const char *why;
	int64_t iv;
	int bv;

	switch (d->kind) {
	case FLAG_BOOL:
		bv = parse_bool(value);
		if (bv < 0)
			return err_setf(e, "parse error");
		*(bool *)d->ptr = bv != 0;
		return 0;
	case FLAG_STRING: {
		char **sp = d->ptr;
		free(*sp);
		*sp = xstrdup(value);
		return 0;
	}
	case FLAG_INT:
		if (flag_parse_int64(value, &iv, &why) < 0)
			return err_setf(e, "%s", why);
		/* Go's int is 64-bit; ours is C int: out of its range is
		 * reported as Go reports an int64 overflow. */
		if (iv < INT_MIN || iv > INT_MAX)
			return err_setf(e, "value out of range");
		*(int *)d->ptr = (int)iv;
		return 0;
	case FLAG_FUNC:
	case FLAG_BOOLFUNC:
		CHECK(d->set != NULL);
		if (d->set(d->ptr, d->name, value, e) < 0) {
			if (!err_isset(e))
				err_setf(e, "parse error");
			return -1;
		}
		return 0;
	}
	BUG("bad flag kind");
}

static bool is_bool_flag(const struct flag_def *d)
{
	return d->kind == FLAG_BOOL || d->kind == FLAG_BOOLFUNC;
}

/* flag_parse mirrors flag/flag.go FlagSet.parseOne in a loop (go1.26). */
int flag_parse(struct flag_def *defs, size_t ndefs, int argc, char **argv, struct err *e)
{
	struct err why = ERR_INIT;
	char *name = NULL;
	int i = 0, ret = -1;

	while (i < argc) {
		const char *s = argv[i];
		const char *value = NULL, *eq;
		struct flag_def *d;
		int minuses = 1;

		if (strlen(s) < 2 || s[0] != '-')
			break;
		if (s[1] == '-') {
			minuses = 2;
			if (s[2] == '\0') { /* "--" ends the flags */
				i++;
				break;
			}
		}
		const char *nm = s + minuses;
		if (nm[0] == '\0' || nm[0] == '-' || nm[0] == '=') {
			err_setf(e, "bad flag syntax: %s", s);
			goto out;
		}
		i++;
		/* The '=' cannot be first (checked above). */
		eq = strchr(nm, '=');
		free(name);
		if (eq != NULL) {
			name = xstrndup(nm, (size_t)(eq - nm));
			value = eq + 1;
		} else {
			name = xstrdup(nm);
		}
		d = flag_lookup(defs, ndefs, name);
		if (d == NULL) {
			if (strcmp(name, "help") == 0 || strcmp(name, "h") == 0) {
				ret = FLAG_HELP;
				goto out;
			}
			err_setf(e, "flag provided but not defined: -%s", name);
			goto out;
		}
		if (is_bool_flag(d)) {
			if (value != NULL) {
				if (flag_set(d, value, &why) < 0) {
					struct buf q = BUF_INIT;
					quoted_go_string(&q, value, strlen(value));
					err_setf(e, "invalid boolean value %s for -%s: %s", buf_cstr(&q), name,
						 err_msg(&why));
					buf_release(&q);
					goto out;
				}
			} else if (flag_set(d, "true", &why) < 0) {
				err_setf(e, "invalid boolean flag %s: %s", name, err_msg(&why));
				goto out;
			}
		} else {
			if (value == NULL && i < argc)
				value = argv[i++];
			if (value == NULL) {
				err_setf(e, "flag needs an argument: -%s", name);
				goto out;
			}
			if (flag_set(d, value, &why) < 0) {
				struct buf q = BUF_INIT;
				quoted_go_string(&q, value, strlen(value));
				err_setf(e, "invalid value %s for flag -%s: %s", buf_cstr(&q), name, err_msg(&why));
				buf_release(&q);
				goto out;
			}
		}
		d->seen = true;
	}
	ret = i;
out:
	free(name);
	err_clear(&why);
	return ret;
}

/* flag_goflag_name returns the name in one GOFLAGS entry: "--x=1" gives "x" (heap). */
char *flag_goflag_name(const char *entry)
{
	const char *nm = entry;
	size_t n;

	if (nm[0] == '-')
		nm++;
	if (nm[0] == '-')
		nm++;
	n = strcspn(nm, "=");
	return xstrndup(nm, n);
}

/*
 * flag_split_goflags mirrors base.InitGOFLAGS's syntax checks (go1.26):
 * quoted.Split, then each word must look like -x, --x, -x=v or --x=v.
 * Error texts are go's after its "go: " prefix: `parsing $GOFLAGS: non-flag
 * "x"`.  The unknown-flag check ("parsing $GOFLAGS: unknown flag -x")
 * needs every command's flags, so the caller makes it with
 * flag_goflag_name.
 */
int flag_split_goflags(const char *goflags, struct strvec *sv, struct err *e)
{
	struct strvec words = {0};
	int ret = -1;

	if (quoted_split(goflags ? goflags : "", &words, e) < 0) {
		err_wrapf(e, "parsing $GOFLAGS");
		goto out;
	}
	for (size_t i = 0; i < words.n; i++) {
		const char *f = words.v[i];
		if (f[0] != '-' || strcmp(f, "-") == 0 || strcmp(f, "--") == 0 || has_prefix(f, "---") ||
		    has_prefix(f, "-=") || has_prefix(f, "--=")) {
			struct buf q = BUF_INIT;
			quoted_go_string(&q, f, strlen(f));
			err_setf(e, "parsing $GOFLAGS: non-flag %s", buf_cstr(&q));
			buf_release(&q);
			goto out;
		}
	}
	for (size_t i = 0; i < words.n; i++)
		strvec_push(sv, words.v[i]);
	ret = 0;
out:
	strvec_clear(&words);
	return ret;
}

/* flag_apply_goflags mirrors cmd/go/internal/base/goflags.go SetFromGOFLAGS (go1.26). */
int flag_apply_goflags(struct flag_def *defs, size_t ndefs, const char *goflags, struct err *e)
{
	struct strvec words = {0};
	struct err why = ERR_INIT;
	struct buf q = BUF_INIT;
	char *name = NULL;
	int ret = -1;

	if (flag_split_goflags(goflags, &words, e) < 0)
		goto out;
	for (size_t i = 0; i < words.n; i++) {
		const char *f = words.v[i], *value = NULL, *eq = strchr(f, '=');
		struct flag_def *d;

		if (eq == f)
			continue;
		free(name);
		name = eq ? xstrndup(f, (size_t)(eq - f)) : xstrdup(f);
		if (eq)
			value = eq + 1;
		/* Messages name the flag with one dash: "--x" reads "-x". */
		if (has_prefix(name, "--"))
			memmove(name, name + 1, strlen(name));
		d = flag_lookup(defs, ndefs, name + 1);
		if (d == NULL)
			continue;
		buf_reset(&q);
		if (value)
			quoted_go_string(&q, value, strlen(value));
		if (is_bool_flag(d)) {
			if (value != NULL) {
				if (flag_set(d, value, &why) < 0) {
					err_setf(e, "invalid boolean value %s for flag %s (from $GOFLAGS): %s",
						 buf_cstr(&q), name, err_msg(&why));
					goto out;
				}
			} else if (flag_set(d, "true", &why) < 0) {
				err_setf(e, "invalid boolean flag %s (from $GOFLAGS): %s", name, err_msg(&why));
				goto out;
			}
		} else {
			if (value == NULL) {
				err_setf(e, "flag needs an argument: %s (from $GOFLAGS)", name);
				goto out;
			}
			if (flag_set(d, value, &why) < 0) {
				err_setf(e, "invalid value %s for flag %s (from $GOFLAGS): %s", buf_cstr(&q), name,
					 err_msg(&why));
				goto out;
			}
		}
		d->seen = true;
	}
	ret = 0;
out:
	free(name);
	buf_release(&q);
	err_clear(&why);
	strvec_clear(&words);
	return ret;
}

/* flag_parse_one mirrors cmdflag.ParseOne (go1.26). */
int flag_parse_one(struct flag_def *defs, size_t ndefs, int argc, char **argv, int *consumed,
                   struct flag_def **def, bool *has_value, struct err *e)
{
	const char *raw = argv[0], *arg = raw, *eq, *value = NULL;
	struct err why = ERR_INIT;
	struct flag_def *d;
	char *name;
	int rc = FLAG_ONE_OK;

	*consumed = 1;
	*def = NULL;
	*has_value = false;
	if (has_prefix(arg, "--")) {
		if (arg[2] == '\0')
			return FLAG_ONE_TERMINATOR;
		arg++;
	}
	if (strcmp(arg, "-?") == 0 || strcmp(arg, "-h") == 0 || strcmp(arg, "-help") == 0)
		return FLAG_ONE_HELP;
	if (strlen(arg) < 2 || arg[0] != '-' || arg[1] == '-' || arg[1] == '=') {
		*consumed = 0;
		return FLAG_ONE_NONFLAG;
	}
	eq = strchr(arg + 1, '=');
	if (eq) {
		name = xstrndup(arg + 1, (size_t)(eq - arg - 1));
		value = eq + 1;
		*has_value = true;
	} else {
		name = xstrdup(arg + 1);
	}
	d = flag_lookup(defs, ndefs, name);
	if (!d) {
		free(name);
		return FLAG_ONE_UNDEFINED;
	}
	*def = d;
	if (is_bool_flag(d)) {
		if (flag_set(d, value ? value : "true", &why) < 0) {
			if (value) {
				struct buf q = BUF_INIT;
				quoted_go_string(&q, value, strlen(value));
				err_setf(e, "invalid boolean value %s for -%s: %s", buf_cstr(&q), name, err_msg(&why));
				buf_release(&q);
			} else {
				err_setf(e, "invalid boolean flag %s: %s", name, err_msg(&why));
			}
			rc = FLAG_ONE_ERR;
		}
	} else {
		if (!value && argc > 1) {
			value = argv[1];
			*consumed = 2;
		}
		if (!value) {
			err_setf(e, "flag needs an argument: -%s", name);
			rc = FLAG_ONE_ERR;
		} else if (flag_set(d, value, &why) < 0) {
			struct buf q = BUF_INIT;
			quoted_go_string(&q, value, strlen(value));
			err_setf(e, "invalid value %s for flag -%s: %s", buf_cstr(&q), name, err_msg(&why));
			buf_release(&q);
			rc = FLAG_ONE_ERR;
		}
	}
	if (rc == FLAG_ONE_OK)
		d->seen = true;
	free(name);
	err_clear(&why);
	return rc;
}

/* ---- Go durations ---- */

/* dur_units are time's unitMap, longest names first where one prefixes another. */
static const struct {
	const char *name;
	uint64_t ns;
} dur_units[] = {
	{"ns", 1}, {"us", 1000}, {"\xc2\xb5s", 1000}, {"\xce\xbcs", 1000}, {"ms", 1000000},
	{"s", 1000000000ULL}, {"m", 60ULL * 1000000000ULL}, {"h", 3600ULL * 1000000000ULL},
};

int go_duration_parse(const char *s, int64_t *ns)
{
	uint64_t d = 0;
	bool neg = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (strcmp(s, "0") == 0) {
		*ns = 0;
		return 0;
	}
	if (*s == '\0')
		return -1;
	while (*s) {
		uint64_t v = 0, f = 0, scale = 1, unit = 0;
		bool pre, post = false, overflow = false;
		const char *start = s;
		size_t ul;

		if (!(*s == '.' || (*s >= '0' && *s <= '9')))
			return -1;
		for (; *s >= '0' && *s <= '9'; s++) {
			if (v > (UINT64_C(1) << 63) / 10)
				return -1;
			v = v * 10 + (uint64_t)(*s - '0');
			if (v > UINT64_C(1) << 63)
				return -1;
		}
		pre = s != start;
		if (*s == '.') {
			const char *fs = ++s;
			for (; *s >= '0' && *s <= '9'; s++) {
				if (overflow)
					continue;
				if (f > (UINT64_C(1) << 63) / 10) {
					overflow = true;
					continue;
				}
				f = f * 10 + (uint64_t)(*s - '0');
				scale *= 10;
				if (f > UINT64_C(1) << 63 || scale > UINT64_C(1) << 62)
					overflow = true;
			}
			post = s != fs;
		}
		if (!pre && !post)
			return -1;
		ul = 0;
		while (s[ul] && s[ul] != '.' && !(s[ul] >= '0' && s[ul] <= '9'))
			ul++;
		if (ul == 0)
			return -1; /* missing unit */
		for (size_t i = 0; i < countof(dur_units); i++)
			if (strlen(dur_units[i].name) == ul && memcmp(dur_units[i].name, s, ul) == 0)
				unit = dur_units[i].ns;
		if (unit == 0)
			return -1;
		s += ul;
		if (v > (UINT64_C(1) << 63) / unit)
			return -1;
		v *= unit;
		if (f > 0) {
			v += (uint64_t)((double)f * ((double)unit / (double)scale));
			if (v > UINT64_C(1) << 63)
				return -1;
		}
		d += v;
		if (d > UINT64_C(1) << 63)
			return -1;
	}
	if (neg) {
		*ns = d == (UINT64_C(1) << 63) ? INT64_MIN : -(int64_t)d;
		return 0;
	}
	if (d > (uint64_t)INT64_MAX)
		return -1;
	*ns = (int64_t)d;
	return 0;
}

/* fmt_frac formats v/10^prec's fraction into the tail of buf (time.fmtFrac). */
static size_t fmt_frac(char *buf, size_t w, uint64_t v, int prec, uint64_t *nv)
{
	bool print = false;

	for (int i = 0; i < prec; i++) {
		int digit = (int)(v % 10);
		print = print || digit != 0;
		if (print)
			buf[--w] = (char)('0' + digit);
		v /= 10;
	}
	if (print)
		buf[--w] = '.';
	*nv = v;
	return w;
}

static size_t fmt_int(char *buf, size_t w, uint64_t v)
{
	if (v == 0)
		buf[--w] = '0';
	while (v > 0) {
		buf[--w] = (char)('0' + v % 10);
		v /= 10;
	}
	return w;
}

void go_duration_format(struct buf *b, int64_t ns)
{
	char buf[32];
	size_t w = sizeof buf;
	uint64_t u = (uint64_t)ns;
	bool neg = ns < 0;

	if (neg)
		u = -u;
	if (u < 1000000000ULL) {
		int prec = 0;
		w--;
		buf[w] = 's';
		w--;
		if (u == 0) {
			buf_adds(b, "0s");
			return;
		} else if (u < 1000) {
			buf[w] = 'n';
		} else if (u < 1000000) {
			/* U+00B5 'µ' */
			w--;
			memcpy(buf + w, "\xc2\xb5", 2);
			prec = 3;
		} else {
			buf[w] = 'm';
			prec = 6;
		}
		w = fmt_frac(buf, w, u, prec, &u);
		w = fmt_int(buf, w, u);
	} else {
		buf[--w] = 's';
		w = fmt_frac(buf, w, u, 9, &u);
		w = fmt_int(buf, w, u % 60);
		u /= 60;
		if (u > 0) {
			buf[--w] = 'm';
			w = fmt_int(buf, w, u % 60);
			u /= 60;
			if (u > 0) {
				buf[--w] = 'h';
				w = fmt_int(buf, w, u);
			}
		}
	}
	if (neg)
		buf[--w] = '-';
	buf_add(b, buf + w, sizeof buf - w);
}
