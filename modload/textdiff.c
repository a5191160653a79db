/*
 * mod_text_diff: Go's internal/diff (go1.26), the anchored diff that
 * go mod tidy -diff prints.  The lines that occur exactly once in each
 * side are the anchors; the longest common subsequence of the anchors
 * (Szymanski's algorithm, "tgs") splits the text, and the chunks are
 * printed in unified form with three lines of context.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "modload/modload.h"

struct pair {
	size_t x, y;
};

struct lines {
	char **v;
	size_t n, cap;
};

/* split_lines is internal/diff's lines: strings.SplitAfter on "\n", the
 * last line marked when it has no newline. */
static void split_lines(const char *s, struct lines *l)
{
	while (*s) {
		const char *nl = strchr(s, '\n');
		char *line;
		if (nl) {
			line = xstrndup(s, (size_t)(nl - s) + 1);
			s = nl + 1;
		} else {
			line = xasprintf("%s\n\\ No newline at end of file\n", s);
			s += strlen(s);
		}
		VEC_PUSH(l, line);
	}
}

static void free_lines(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	VEC_FREE(l);
}

static intptr_t mget(struct map *m, const char *k)
{
	return map_has(m, k) ? (intptr_t)map_get(m, k) : 0;
}

/* tgs returns the anchors as pairs, with sentinels (0,0) and (len x, len y). */
static size_t tgs(const struct lines *x, const struct lines *y, struct pair **out)
{
	struct map m;
	size_t *xi = NULL, *yi = NULL, *inv = NULL, *T, *L, n = 0, nyi = 0, k = 0;
	struct pair *seq;

	map_init(&m);
	for (size_t i = 0; i < x->n; i++) {
		intptr_t c = mget(&m, x->v[i]);
		if (c > -2)
			map_put(&m, x->v[i], (void *)(c - 1));
	}
	for (size_t i = 0; i < y->n; i++) {
		intptr_t c = mget(&m, y->v[i]);
		if (c > -8)
			map_put(&m, y->v[i], (void *)(c - 4));
	}
	yi = xcalloc(y->n + 1, sizeof *yi);
	xi = xcalloc(x->n + 1, sizeof *xi);
	inv = xcalloc(x->n + 1, sizeof *inv);
	for (size_t i = 0; i < y->n; i++)
		if (mget(&m, y->v[i]) == -5) {
			map_put(&m, y->v[i], (void *)(intptr_t)nyi);
			yi[nyi++] = i;
		}
	for (size_t i = 0; i < x->n; i++) {
		intptr_t j;
		if (!map_has(&m, x->v[i]))
			continue;
		j = mget(&m, x->v[i]);
		if (j >= 0) {
			xi[n] = i;
			inv[n] = (size_t)j;
			n++;
		}
	}
	T = xcalloc(n + 1, sizeof *T);
	L = xcalloc(n + 1, sizeof *L);
	for (size_t i = 0; i < n; i++)
		T[i] = n + 1;
	for (size_t i = 0; i < n; i++) {
		/* sort.Search(n, T[k] >= J[i]) */
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t h = lo + (hi - lo) / 2;
			if (!(T[h] >= inv[i]))
				lo = h + 1;
			else
				hi = h;
		}
		T[lo] = inv[i];
		L[i] = lo + 1;
	}
	for (size_t i = 0; i < n; i++)
		if (k < L[i])
			k = L[i];
	seq = xcalloc(2 + k, sizeof *seq);
	seq[1 + k] = (struct pair){x->n, y->n};
	{
		size_t lastj = n, kk = k;
		for (size_t i = n; i-- > 0;)
			if (L[i] == kk && inv[i] < lastj) {
				seq[kk] = (struct pair){xi[i], yi[inv[i]]};
				kk--;
			}
	}
	seq[0] = (struct pair){0, 0};
	map_release(&m);
	free(xi);
	free(yi);
	free(inv);
	free(T);
	free(L);
	*out = seq;
	return 2 + k;
}

void mod_text_diff(const char *old_name, const char *old, const char *new_name, const char *new_, struct buf *out)
{
	struct lines x = {0}, y = {0}, ctext = {0};
	struct pair done = {0, 0}, chunk = {0, 0}, count = {0, 0}, *seq;
	size_t nseq;
	const size_t C = 3;

	if (strcmp(old, new_) == 0)
		return;
	split_lines(old, &x);
	split_lines(new_, &y);
	buf_printf(out, "diff %s %s\n--- %s\n+++ %s\n", old_name, new_name, old_name, new_name);
	nseq = tgs(&x, &y, &seq);
	for (size_t si = 0; si < nseq; si++) {
		struct pair m = seq[si], start, end;
		if (m.x < done.x)
			continue;
		start = m;
		while (start.x > done.x && start.y > done.y && strcmp(x.v[start.x - 1], y.v[start.y - 1]) == 0) {
			start.x--;
			start.y--;
		}
		end = m;
		while (end.x < x.n && end.y < y.n && strcmp(x.v[end.x], y.v[end.y]) == 0) {
			end.x++;
			end.y++;
		}
		for (size_t i = done.x; i < start.x; i++) {
			VEC_PUSH(&ctext, xasprintf("-%s", x.v[i]));
			count.x++;
		}
		for (size_t i = done.y; i < start.y; i++) {
			VEC_PUSH(&ctext, xasprintf("+%s", y.v[i]));
			count.y++;
		}
		if ((end.x < x.n || end.y < y.n) &&
		    (end.x - start.x < C || (ctext.n > 0 && end.x - start.x < 2 * C))) {
			for (size_t i = start.x; i < end.x; i++) {
				VEC_PUSH(&ctext, xasprintf(" %s", x.v[i]));
				count.x++;
				count.y++;
			}
			done = end;
			continue;
		}
		if (ctext.n > 0) {
			size_t n = end.x - start.x;
			if (n > C)
				n = C;
			for (size_t i = start.x; i < start.x + n; i++) {
				VEC_PUSH(&ctext, xasprintf(" %s", x.v[i]));
				count.x++;
				count.y++;
			}
			done = (struct pair){start.x + n, start.y + n};
			if (count.x > 0)
				chunk.x++;
			if (count.y > 0)
				chunk.y++;
			buf_printf(out, "@@ -%zu,%zu +%zu,%zu @@\n", chunk.x, count.x, chunk.y, count.y);
			for (size_t i = 0; i < ctext.n; i++)
				buf_adds(out, ctext.v[i]);
			count.x = count.y = 0;
			free_lines(&ctext);
		}
		if (end.x >= x.n && end.y >= y.n)
			break;
		/* chunk = end - C: go's ints may go negative; the context loop then
		 * starts at... never: a chunk ends at least C lines in (see above) */
		chunk = (struct pair){end.x - C, end.y - C};
		for (size_t i = chunk.x; i < end.x; i++) {
			VEC_PUSH(&ctext, xasprintf(" %s", x.v[i]));
			count.x++;
			count.y++;
		}
		done = end;
	}
	free(seq);
	free_lines(&ctext);
	free_lines(&x);
	free_lines(&y);
}
