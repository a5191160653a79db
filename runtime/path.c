/* Slash-separated path helpers mirroring Go's path/filepath on Unix. */
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

/* path_clean mirrors filepath.Clean: the lexical shortest equivalent path. */
char *path_clean(const char *p)
{
	size_t n = strlen(p), r = 0, w = 0, dotdot = 0;
	bool rooted = n > 0 && p[0] == '/';
	char *out;

	if (n == 0)
		return xstrdup(".");
	out = xmalloc(n + 2);
	if (rooted) {
		out[w++] = '/';
		r = dotdot = 1;
	}
	while (r < n) {
		if (p[r] == '/') {
			r++;
		} else if (p[r] == '.' && (r + 1 == n || p[r + 1] == '/')) {
			r++;
		} else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == n || p[r + 2] == '/')) {
			r += 2;
			if (w > dotdot) {
				w--;
				while (w > dotdot && out[w] != '/')
					w--;
			} else if (!rooted) {
				if (w > 0)
					out[w++] = '/';
				out[w++] = '.';
				out[w++] = '.';
				dotdot = w;
			}
		} else {
			if ((rooted && w != 1) || (!rooted && w != 0))
				out[w++] = '/';
			for (; r < n && p[r] != '/'; r++)
				out[w++] = p[r];
		}
	}
	if (w == 0)
		out[w++] = '.';
	out[w] = 0;
	return out;
}

/* clean_rel reports whether p[0:n] is a relative path path_clean leaves
 * alone with nothing in front of it: elements that are neither empty, "."
 * nor "..".  (Some clean paths, "../x", answer false: they take the slow way.) */
static bool clean_rel(const char *p, size_t n)
{
	size_t i = 0, start;

	if (n == 0)
		return false;
	while (i <= n) {
		start = i;
		while (i < n && p[i] != '/')
			i++;
		if (i == start || (i - start == 1 && p[start] == '.') ||
		    (i - start == 2 && p[start] == '.' && p[start + 1] == '.'))
			return false;
		i++;
	}
	return true;
}

char *path_join(const char *a, const char *b)
{
	size_t na, nb;
	char *tmp, *res;

	if (!a || !*a)
		return path_clean(b && *b ? b : "");
	if (!b || !*b)
		return path_clean(a);
	na = strlen(a);
	nb = strlen(b);
	tmp = xmalloc(na + nb + 2);
	memcpy(tmp, a, na);
	tmp[na] = '/';
	memcpy(tmp + na + 1, b, nb + 1);
	/* The common case, a clean directory and a clean relative name, is
	 * already clean: "a/b" ("/b" when a is "/"). */
	if (clean_rel(b, nb) &&
	    (a[0] == '/' ? na == 1 || clean_rel(a + 1, na - 1) : clean_rel(a, na))) {
		if (na == 1 && a[0] == '/')
			memmove(tmp + 1, tmp + 2, nb + 1);
		return tmp;
	}
	res = path_clean(tmp);
	free(tmp);
	return res;
}

char *path_dir(const char *p)
{
	const char *slash = strrchr(p, '/');
	char *d, *res;

	if (!slash)
		return xstrdup(".");
	d = xstrndup(p, (size_t)(slash - p + 1));
	res = path_clean(d);
	free(d);
	return res;
}

const char *path_base(const char *p)
{
	size_t n = strlen(p);
	const char *s;

	if (n == 0)
		return ".";
	/* A trailing slash is not expected on clean paths; keep it simple. */
	s = strrchr(p, '/');
	if (!s)
		return p;
	if (s[1] == 0)
		return n == 1 ? "/" : p; /* caller passes clean paths */
	return s + 1;
}

const char *path_ext(const char *p)
{
	for (size_t i = strlen(p); i > 0 && p[i - 1] != '/'; i--)
		if (p[i - 1] == '.')
			return p + i - 1;
	return "";
}

bool path_is_abs(const char *p)
{
	return p[0] == '/';
}

bool path_has_prefix_dir(const char *p, const char *dir)
{
	size_t n = strlen(dir);

	if (strncmp(p, dir, n) != 0)
		return false;
	if (n > 0 && dir[n - 1] == '/')
		return true;
	return p[n] == 0 || p[n] == '/';
}
