/*
 * The module graph (modload/modgraph.c): mvs.Graph's selection and build
 * list over the "build" cases of cmd/go/internal/mvs/mvs_test.go (go1.26),
 * gover.ModCompare/ModSort, WalkBreadthFirst and FindPath.
 *
 * In mvs_test.go a module "B1" is path "B" version "1" and versions
 * compare as strings; here "" is v0.0.0, "N" vN.0.0, "N.x" vN.0.1-x (after
 * vN.0.0, before vN+1) and "none" stays none, which orders them the same
 * way under semver.  The graph is loaded unpruned: every reachable module
 * is required, as mvs.BuildList does.
 */
#include <stdlib.h>
#include <string.h>

#include "modload/modload.h"
#include "test.h"

/* The name:, requirement and build lines of mvs_test.go's tests. */
static const char mvs_cases[] =
	"name: blog\n"
	"A: B1 C2\n"
	"B1: D3\n"
	"C1: D2\n"
	"C2: D4\n"
	"C3: D5\n"
	"C4: G1\n"
	"D2: E1\n"
	"D3: E2\n"
	"D4: E2 F1\n"
	"D5: E2\n"
	"G1: C4\n"
	"A2: B1 C4 D4\n"
	"build A:       A B1 C2 D4 E2 F1\n"
	"build A2:     A2 B1 C4 D4 E2 F1 G1\n"
	"name: trim\n"
	"A: B1 C2\n"
	"B1: D3\n"
	"C2: B2\n"
	"B2:\n"
	"build A: A B2 C2 D3\n"
	"name: cross1\n"
	"A: B C\n"
	"B: D1\n"
	"C: D2\n"
	"D1: E2\n"
	"D2: E1\n"
	"build A: A B C D2 E2\n"
	"name: cross1V\n"
	"A: B2 C D2 E1\n"
	"B1:\n"
	"B2: D1\n"
	"C: D2\n"
	"D1: E2\n"
	"D2: E1\n"
	"build A: A B2 C D2 E2\n"
	"name: cross1U\n"
	"A: B1 C\n"
	"B1:\n"
	"B2: D1\n"
	"C: D2\n"
	"D1: E2\n"
	"D2: E1\n"
	"build A:      A B1 C D2 E1\n"
	"name: cross1R\n"
	"A: B C\n"
	"B: D2\n"
	"C: D1\n"
	"D1: E2\n"
	"D2: E1\n"
	"build A: A B C D2 E2\n"
	"name: cross1X\n"
	"A: B C\n"
	"B: D1 E2\n"
	"C: D2\n"
	"D1: E2\n"
	"D2: E1\n"
	"build A: A B C D2 E2\n"
	"name: cross2\n"
	"A: B D2\n"
	"B: D1\n"
	"D1: E2\n"
	"D2: E1\n"
	"build A: A B D2 E2\n"
	"name: cross2X\n"
	"A: B D2\n"
	"B: D1 E2\n"
	"C: D2\n"
	"D1: E2\n"
	"D2: E1\n"
	"build A: A B D2 E2\n"
	"name: cross3\n"
	"A: B D2 E1\n"
	"B: D1\n"
	"D1: E2\n"
	"D2: E1\n"
	"build A: A B D2 E2\n"
	"name: cross3X\n"
	"A: B D2 E1\n"
	"B: D1 E2\n"
	"D1: E2\n"
	"D2: E1\n"
	"build A: A B D2 E2\n"
	"name: cross4\n"
	"A1: B1 D2\n"
	"A2: B2 D2\n"
	"B1: D1\n"
	"B2: D2\n"
	"D1: E2\n"
	"D2: E1\n"
	"build A1: A1 B1 D2 E2\n"
	"build A2: A2 B2 D2 E1\n"
	"name: cross5\n"
	"A: D1\n"
	"D1: E2\n"
	"D2: E1\n"
	"build A:       A D1 E2\n"
	"name: cross6\n"
	"A: D2\n"
	"D1: E2\n"
	"D2: E1\n"
	"build A:      A D2 E1\n"
	"name: cross7\n"
	"A: B C\n"
	"B: D1\n"
	"C: E1\n"
	"D1: E2\n"
	"E1: D2\n"
	"build A: A B C D2 E2\n"
	"name: cross8\n"
	"M: A1 B1\n"
	"A1: X1\n"
	"B1: X2\n"
	"X1: I1\n"
	"X2:\n"
	"build M: M A1 B1 I1 X2\n"
	"name: drop\n"
	"A: B1 C1\n"
	"B1: D1\n"
	"B2:\n"
	"C2:\n"
	"D2:\n"
	"build A:    A B1 C1 D1\n"
	"name: simplify\n"
	"A: B1 C1\n"
	"B1: C2\n"
	"C1: D1\n"
	"C2:\n"
	"build A: A B1 C2 D1\n"
	"name: up1\n"
	"A: B1 C1\n"
	"B1:\n"
	"B2:\n"
	"B3:\n"
	"B4:\n"
	"B5.hidden:\n"
	"C2:\n"
	"C3:\n"
	"build A:    A B1 C1\n"
	"name: up2\n"
	"A: B5.hidden C1\n"
	"B1:\n"
	"B2:\n"
	"B3:\n"
	"B4:\n"
	"B5.hidden:\n"
	"C2:\n"
	"C3:\n"
	"build A:    A B5.hidden C1\n"
	"name: down1\n"
	"A: B2\n"
	"B1: C1\n"
	"B2: C2\n"
	"build A:        A B2 C2\n"
	"name: down2\n"
	"A: B2 E2\n"
	"B1:\n"
	"B2: C2 F2\n"
	"C1:\n"
	"D1:\n"
	"C2: D2 E2\n"
	"D2: B2\n"
	"E2: D2\n"
	"E1:\n"
	"F1:\n"
	"build A:        A B2 C2 D2 E2 F2\n"
	"name: downcross1\n"
	"A: B2 C1\n"
	"B1: C2\n"
	"B2: C1\n"
	"C1: D2\n"
	"C2:\n"
	"D1:\n"
	"D2:\n"
	"build A:        A B2 C1 D2\n"
	"name: downcross2\n"
	"A: B2\n"
	"B1: C1\n"
	"B2: D2\n"
	"C1:\n"
	"D1:\n"
	"D2:\n"
	"build A:        A B2    D2\n"
	"name: downcycle\n"
	"A: A B2\n"
	"B2: A\n"
	"B1:\n"
	"build A:        A B2\n"
	"name: downhiddenartifact\n"
	"A: B3 C2\n"
	"A1: B3\n"
	"B1: E1\n"
	"B2.hidden:\n"
	"B3: D2\n"
	"C1: B2.hidden\n"
	"C2: D2\n"
	"D1:\n"
	"D2:\n"
	"build A1: A1 B3 D2\n"
	"build A: A B3 C2 D2\n"
	"name: downhiddencross\n"
	"A: B3 C3\n"
	"B1: C2.hidden\n"
	"B2.hidden:\n"
	"B3: D2\n"
	"C1: B2.hidden\n"
	"C2.hidden:\n"
	"C3: D2\n"
	"D1:\n"
	"D2:\n"
	"build A: A B3 C3 D2\n"
	"name: noprev1\n"
	"A: B4 C2\n"
	"B2.hidden:\n"
	"C2:\n"
	"build A:               A B4        C2\n"
	"name: noprev2\n"
	"A: B4 C2\n"
	"B2.hidden:\n"
	"B1:\n"
	"C2:\n"
	"build A:               A B4        C2\n"
	"name: noprev3\n"
	"A: B4 C2\n"
	"B3:\n"
	"B2.hidden:\n"
	"C2:\n"
	"build A:               A B4        C2\n"
	"name: cycle1\n"
	"A: B1\n"
	"B1: A1\n"
	"B2: A2\n"
	"B3: A3\n"
	"build A:      A B1\n"
	"name: cycle2\n"
	"A: B1\n"
	"A1: C1\n"
	"A2: D1\n"
	"B1: A1\n"
	"B2: A2\n"
	"C1: A2\n"
	"C2:\n"
	"D2:\n"
	"build A:    A B1 C1 D1\n"
	"name: cycle3\n"
	"M: A1 C2\n"
	"A1: B1\n"
	"B1: C1\n"
	"B2: C2\n"
	"C1:\n"
	"C2: B2\n"
	"build M: M A1 B2 C2\n"
	"name: req1\n"
	"A: B1 C1 D1 E1 F1\n"
	"B1: C1 E1 F1\n"
	"name: req2\n"
	"A: G1 H1\n"
	"G1: H1\n"
	"H1: G1\n"
	"name: req3\n"
	"M: A1 B1\n"
	"A1: X1\n"
	"B1: X2\n"
	"X1: I1\n"
	"X2:\n"
	"name: reqnone\n"
	"M: Anone B1 D1 E1\n"
	"B1: Cnone D1\n"
	"E1: Fnone\n"
	"build M: M B1 D1 E1\n"
	"name: reqdup\n"
	"M: A1 B1\n"
	"A1: B1\n"
	"B1:\n"
	"name: reqcross\n"
	"M: A1 B1 C1\n"
	"A1: B1 C1\n"
	"B1: C1\n"
	"C1:\n";

/* mv converts a test module name ("B1", "B5.hidden", "Bnone") to a module. */
static struct mod_version mv(struct arena *a, const char *s, size_t n)
{
	struct mod_version m;
	const char *v = s + 1;
	size_t vn = n - 1;
	const char *dot = memchr(v, '.', vn);

	m.path = arena_strndup(a, s, 1);
	if (vn == 0)
		m.version = "v0.0.0";
	else if (vn == 4 && memcmp(v, "none", 4) == 0)
		m.version = "none";
	else if (dot)
		m.version = arena_printf(a, "v%.*s.0.1-%.*s", (int)(dot - v), v, (int)(vn - (size_t)(dot - v) - 1), dot + 1);
	else
		m.version = arena_printf(a, "v%.*s.0.0", (int)vn, v);
	return m;
}

struct reqdef {
	struct mod_version m;
	struct mod_version *reqs;
	size_t n;
};

struct tcase {
	struct arena *a;
	struct reqdef defs[64];
	size_t ndefs;
};

/* words splits s[0..n) at blanks into modules. */
static size_t words(struct arena *a, const char *s, size_t n, struct mod_version *out, size_t cap)
{
	size_t k = 0, i = 0;

	while (i < n && k < cap) {
		size_t j;
		while (i < n && s[i] == ' ')
			i++;
		j = i;
		while (j < n && s[j] != ' ')
			j++;
		if (j > i)
			out[k++] = mv(a, s + i, j - i);
		i = j;
	}
	return k;
}

static const struct reqdef *lookup(const struct tcase *tc, struct mod_version m)
{
	for (size_t i = 0; i < tc->ndefs; i++)
		if (strcmp(tc->defs[i].m.path, m.path) == 0 && strcmp(tc->defs[i].m.version, m.version) == 0)
			return &tc->defs[i];
	return NULL;
}

/* build_graph loads target's whole graph breadth-first (mvs.BuildList). */
static struct mod_graph *build_graph(struct tcase *tc, struct mod_version target, const char **mains, size_t nmains)
{
	struct mod_graph *g = mod_graph_new(tc->a, mains, nmains, &target, 1);
	struct mod_version queue[256];
	size_t head = 0, tail = 0;
	const char *seen[256];
	size_t nseen = 0;

	queue[tail++] = target;
	while (head < tail) {
		struct mod_version m = queue[head++];
		const char *k = arena_printf(tc->a, "%s@%s", m.path, m.version);
		const struct reqdef *d;
		bool dup = false;
		for (size_t i = 0; i < nseen; i++)
			if (strcmp(seen[i], k) == 0)
				dup = true;
		if (dup || strcmp(m.version, "none") == 0)
			continue;
		seen[nseen++] = k;
		/* the main target "A" (version "") is defined as "A:" (v0.0.0) */
		d = lookup(tc, *m.version ? m : (struct mod_version){m.path, "v0.0.0"});
		mod_graph_require(g, m, d ? d->reqs : NULL, d ? d->n : 0);
		for (size_t i = 0; d && i < d->n && tail < countof(queue); i++)
			queue[tail++] = d->reqs[i];
	}
	return g;
}

static void test_mvs_cases(void)
{
	struct arena a;
	struct tcase tc = {0};
	const char *name = "";
	const char *p = mvs_cases;
	int nbuild = 0;

	arena_init(&a);
	tc.a = &a;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = (size_t)(nl - p);
		const char *colon = memchr(p, ':', n);
		if (n > 6 && memcmp(p, "name: ", 6) == 0) {
			name = arena_strndup(&a, p + 6, n - 6);
			tc.ndefs = 0;
		} else if (n > 6 && memcmp(p, "build ", 6) == 0 && colon) {
			struct mod_version target = mv(&a, p + 6, (size_t)(colon - p - 6));
			struct mod_version want[32], *got;
			size_t nwant = words(&a, colon + 1, (size_t)(nl - colon - 1), want, countof(want)), ngot;
			/* the target of "build A" is the main module: version "" */
			const char *mains[1] = {target.path};
			bool is_main = colon - p - 6 == 1;
			struct mod_graph *g;
			if (is_main)
				target.version = "";
			g = build_graph(&tc, target, mains, is_main ? 1 : 0);
			ngot = mod_graph_build_list(g, &got);
			if (is_main)
				want[0].version = "";
			T_INTEQ(ngot, nwant, "%s: build %s: length", name, target.path);
			for (size_t i = 0; i < ngot && i < nwant; i++) {
				T_STREQ(got[i].path, want[i].path, "%s: build list [%zu]", name, i);
				T_STREQ(got[i].version, want[i].version, "%s: build list [%zu] %s", name, i, want[i].path);
			}
			mod_graph_free(g);
			nbuild++;
		} else if (colon && colon - p <= 12) {
			struct reqdef *d = &tc.defs[tc.ndefs++];
			d->m = mv(&a, p, (size_t)(colon - p));
			d->reqs = arena_alloc(&a, 16 * sizeof *d->reqs);
			d->n = words(&a, colon + 1, (size_t)(nl - colon - 1), d->reqs, 16);
		}
		p = nl + 1;
	}
	T_INTEQ(nbuild, 37, "build cases run");
	arena_release(&a);
}

/* gover.ModCompare and ModSort. */
static void test_compare_sort(void)
{
	static const struct {
		const char *path, *v, *w;
		int want;
	} cmps[] = {
		{"go", "1.21", "1.21.0", -1},
		{"go", "1.21rc1", "1.21.0", -1},
		{"go", "1.22.0", "1.9", 1},
		{"toolchain", "go1.21.0", "go1.21.1", -1},
		{"toolchain", "go1.22", "go1.21.9", 1},
		{"example.com/m", "v1.10.0", "v1.9.0", 1},
		{"example.com/m", "v1.0.0-pre", "v1.0.0", -1},
		{"example.com/m", "v1.0.0", "v1.0.0", 0},
		{"example.com/m", "none", "v0.0.1", -1},
	};
	struct arena a;
	struct mod_version list[] = {
		{"toolchain", "go1.22.0"}, {"go", "1.22.0"}, {"example.com/z", "v1.0.0"},
		{"example.com/a", "v1.10.0"}, {"example.com/a", "v1.9.0"}, {"example.com/a/b", "v0.1.0"},
	};
	static const char *want[] = {
		"example.com/a@v1.9.0", "example.com/a@v1.10.0", "example.com/a/b@v0.1.0",
		"example.com/z@v1.0.0", "go@1.22.0", "toolchain@go1.22.0",
	};

	for (size_t i = 0; i < countof(cmps); i++) {
		int c = mod_compare_version(cmps[i].path, cmps[i].v, cmps[i].w);
		T_INTEQ(c < 0 ? -1 : c > 0, cmps[i].want, "ModCompare(%s, %s, %s)", cmps[i].path, cmps[i].v, cmps[i].w);
	}
	arena_init(&a);
	mod_sort_versions(list, countof(list));
	for (size_t i = 0; i < countof(list); i++)
		T_STREQ(arena_printf(&a, "%s@%s", list[i].path, list[i].version), want[i], "ModSort [%zu]", i);
	arena_release(&a);
}

/* Walk order, RequiredBy and FindPath on a small graph. */
struct walk_ctx {
	struct arena *a;
	struct buf b;
};

static void walk_fn(void *ctx, struct mod_version m)
{
	struct walk_ctx *w = ctx;
	buf_printf(&w->b, "%s@%s ", m.path, m.version);
}

static bool is_d(void *ctx, struct mod_version m)
{
	(void)ctx;
	return strcmp(m.path, "d") == 0;
}

static void test_walk_find(void)
{
	struct arena a;
	const char *mains[] = {"main"};
	struct mod_version root = {"main", ""};
	struct mod_version mreqs[] = {{"b", "v1.0.0"}, {"c", "v1.0.0"}, {"go", "1.22"}};
	struct mod_version breqs[] = {{"c", "v1.1.0"}, {"d", "v1.0.0"}};
	struct mod_version creqs[] = {{"d", "v0.9.0"}};
	struct mod_version goreqs[] = {{"toolchain", "go1.22"}};
	struct mod_version *path, *bl;
	struct walk_ctx w = {NULL, BUF_INIT};
	struct mod_graph *g;
	size_t n;

	arena_init(&a);
	w.a = &a;
	g = mod_graph_new(&a, mains, 1, &root, 1);
	mod_graph_require(g, root, mreqs, countof(mreqs));
	mod_graph_require(g, mreqs[0], breqs, countof(breqs));
	mod_graph_require(g, mreqs[1], creqs, countof(creqs));
	mod_graph_require(g, mreqs[2], goreqs, countof(goreqs));
	T_STREQ(mod_graph_selected(g, "c"), "v1.1.0", "Selected(c)");
	T_STREQ(mod_graph_selected(g, "d"), "v1.0.0", "Selected(d)");
	T_STREQ(mod_graph_selected(g, "e"), "none", "Selected(e)");
	T_STREQ(mod_graph_selected(g, "main"), "", "Selected(main)");
	mod_graph_walk(g, walk_fn, &w);
	T_STREQ(w.b.data, "main@ b@v1.0.0 c@v1.0.0 go@1.22 c@v1.1.0 d@v1.0.0 d@v0.9.0 toolchain@go1.22 ",
	        "WalkBreadthFirst order");
	n = mod_graph_build_list(g, &bl);
	buf_reset(&w.b);
	for (size_t i = 0; i < n; i++)
		walk_fn(&w, bl[i]);
	T_STREQ(w.b.data, "main@ b@v1.0.0 c@v1.1.0 d@v1.0.0 go@1.22 toolchain@go1.22 ", "BuildList");
	n = mod_graph_find_path(g, is_d, NULL, &path);
	T_INTEQ(n, 3, "FindPath length");
	if (n == 3) {
		T_STREQ(path[0].path, "main", "FindPath[0]");
		T_STREQ(path[1].path, "b", "FindPath[1]");
		T_STREQ(path[2].version, "v1.0.0", "FindPath[2] is d@v1.0.0, reached first");
	}
	mod_graph_free(g);
	buf_release(&w.b);
	arena_release(&a);
}

int main(void)
{
	test_mvs_cases();
	test_compare_sort();
	test_walk_find();
	return test_exit();
}
