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
