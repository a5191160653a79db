/*
 * #cgo lines of a cgo preamble (go/build saveCgo): conditions, quoting,
 * ${SRCDIR} expansion with the shell-safety check, and relative -I/-L
 * made absolute against the package directory.
 */
#include <stdlib.h>
#include <string.h>

#include "modload/header_internal.h"

/* mirrors go/build/build.go splitQuoted (go1.26); -1 on an unclosed quote
 * or a trailing backslash */
static int split_quoted(struct str s, struct strvec *args)
{
	struct buf arg = BUF_INIT;
	bool escaped = false, quoted = false;
	uint32_t quote = 0, r;
	size_t i, w;
	int rc = 0;

	for (i = 0; i < s.n; i += w) {
		w = load_utf8_decode(s.p + i, s.n - i, &r);
		if (escaped) {
			escaped = false;
		} else if (r == '\\') {
			escaped = true;
			continue;
		} else if (quote != 0) {
			if (r == quote) {
				quote = 0;
				continue;
			}
		} else if (r == '"' || r == '\'') {
			quoted = true;
			quote = r;
			continue;
		} else if (load_is_space(r)) {
			if (quoted || arg.len > 0) {
				quoted = false;
				strvec_push(args, buf_cstr(&arg));
				buf_reset(&arg);
			}
			continue;
		}
		load_utf8_encode(&arg, r);
	}
	if (quoted || arg.len > 0)
		strvec_push(args, buf_cstr(&arg));
	if (quote != 0 || escaped)
		rc = -1;
	buf_release(&arg);
	return rc;
}

/* mirrors go/build/build.go safeCgoName (go1.26) */
static bool safe_cgo_name(const char *s, size_t n)
{
	static const char safe[] = "+-.,/0123456789=ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz:$@%! ~^";
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80 && (c == 0 || !memchr(safe, c, sizeof(safe) - 1)))
			return false;
	}
	return true;
}

/* mirrors go/build/build.go expandSrcDir (go1.26): *out is heap */
bool load_cgo_expand_srcdir(const char *s, const char *srcdir, char **out)
{
	static const char tok[] = "${SRCDIR}";
	struct buf b = BUF_INIT;
	const char *p = s, *q;
	bool ok = true, any = false;

	while ((q = strstr(p, tok)) != NULL) {
		any = true;
		ok = ok && (q == p || safe_cgo_name(p, (size_t)(q - p)));
		buf_add(&b, p, (size_t)(q - p));
		buf_adds(&b, srcdir);
		p = q + sizeof(tok) - 1;
	}
	if (!any) {
		buf_release(&b);
		*out = xstrdup(s);
		return safe_cgo_name(s, strlen(s));
	}
	ok = ok && (*p == '\0' || safe_cgo_name(p, strlen(p)));
	buf_adds(&b, p);
	ok = ok && (*srcdir == '\0' || safe_cgo_name(srcdir, strlen(srcdir)));
	ok = ok && b.len > 0;
	*out = buf_detach(&b);
	return ok;
}

/* mirrors go/build/build.go makePathsAbsolute (go1.26) */
static void make_paths_absolute(struct strvec *args, const char *srcdir)
{
	bool next_path = false;
	size_t i;

	for (i = 0; i < args->n; i++) {
		char *arg = args->v[i];
		if (next_path) {
			if (!path_is_abs(arg)) {
				args->v[i] = path_join(srcdir, arg);
				free(arg);
			}
			next_path = false;
		} else if (has_prefix(arg, "-I") || has_prefix(arg, "-L")) {
			if (strlen(arg) == 2) {
				next_path = true;
			} else if (!path_is_abs(arg + 2)) {
				char *j = path_join(srcdir, arg + 2);
				args->v[i] = xasprintf("%.2s%s", arg, j);
				free(j);
				free(arg);
			}
		}
	}
}

/* fields splits s on Unicode white space (strings.Fields) into views. */
static size_t fields(struct str s, struct str *out, size_t max)
{
	size_t pos = 0, n = 0;
	struct str f;

	while (load_next_field(s, &pos, &f)) {
		if (n < max)
			out[n] = f;
		n++;
	}
	return n;
}

/*
 * mirrors go/build/build.go saveCgo (go1.26).  Like go, the condition
 * words are matched without recording tags, so all_tags is unused.
 */
int load_save_cgo(const struct buildctx *ctx, const char *filename, const char *pkgdir,
                  const char *preamble, struct load_cgo_flags *out, struct map *all_tags,
                  struct arena *a, struct err *e)
{
	const char *p = preamble, *nl;
	struct strvec args = {0};
	int rc = -1;

	(void)all_tags;
	for (; p; p = nl ? nl + 1 : NULL) {
		struct str orig, line, before, argstr, f[64];
		size_t nf, i;
		char *verb = NULL;
		struct strvec *dst;

		nl = strchr(p, '\n');
		orig = (struct str){p, nl ? (size_t)(nl - p) : strlen(p)};
		line = load_trim_space(orig);
		if (line.n < 5 || memcmp(line.p, "#cgo", 4) != 0 || (line.p[4] != ' ' && line.p[4] != '\t'))
			continue;
		nf = fields(line, f, countof(f));
		if (nf == 3 && (str_eqc(f[1], "nocallback") || str_eqc(f[1], "noescape")))
			continue;
		if (!str_cut(load_trim_space((struct str){line.p + 4, line.n - 4}), ':', &before, &argstr)) {
			err_setf(e, "%s: invalid #cgo line: %.*s", filename, (int)orig.n, orig.p);
			goto out;
		}
		nf = fields(before, f, countof(f));
		if (nf < 1 || nf > countof(f)) {
			err_setf(e, "%s: invalid #cgo line: %.*s", filename, (int)orig.n, orig.p);
			goto out;
		}
		if (nf > 1) {
			bool ok = false;
			for (i = 0; i + 1 < nf && !ok; i++) {
				char *c = str_dup(f[i]);
				ok = load_match_auto(ctx, c, NULL, a);
				free(c);
			}
			if (!ok)
				continue;
		}
		strvec_clear(&args);
		if (split_quoted(argstr, &args) < 0) {
			err_setf(e, "%s: invalid #cgo line: %.*s", filename, (int)orig.n, orig.p);
			goto out;
		}
		for (i = 0; i < args.n; i++) {
			char *x;
			bool ok = load_cgo_expand_srcdir(args.v[i], pkgdir, &x);
			free(args.v[i]);
			args.v[i] = x;
			if (!ok) {
				err_setf(e, "%s: malformed #cgo argument: %s", filename, x);
				goto out;
			}
		}
		verb = str_dup(f[nf - 1]);
		if (strcmp(verb, "CFLAGS") == 0)
			dst = &out->cflags;
		else if (strcmp(verb, "CPPFLAGS") == 0)
			dst = &out->cppflags;
		else if (strcmp(verb, "CXXFLAGS") == 0)
			dst = &out->cxxflags;
		else if (strcmp(verb, "FFLAGS") == 0)
			dst = &out->fflags;
		else if (strcmp(verb, "LDFLAGS") == 0)
			dst = &out->ldflags;
		else if (strcmp(verb, "pkg-config") == 0)
			dst = &out->pkgconfig;
		else
			dst = NULL;
		if (!dst) {
			free(verb);
			err_setf(e, "%s: invalid #cgo verb: %.*s", filename, (int)orig.n, orig.p);
			goto out;
		}
		if (dst != &out->pkgconfig)
			make_paths_absolute(&args, pkgdir);
		free(verb);
		for (i = 0; i < args.n; i++)
			strvec_push(dst, args.v[i]);
	}
	rc = 0;
out:
	strvec_clear(&args);
	return rc;
}
