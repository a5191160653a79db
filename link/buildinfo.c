/*
 * The build info a main package's binary carries (debug.ReadBuildInfo):
 * the settings list of cmd/go/internal/load/pkg.go setBuildInfo (go1.26)
 * and its text form, runtime/debug/mod.go BuildInfo.String.
 */
#include <stdlib.h>
#include <string.h>

#include "link/link.h"
#include "modload/modload.h"

void link_buildinfo_init(struct link_buildinfo *bi)
{
	memset(bi, 0, sizeof(*bi));
}

void link_buildinfo_release(struct link_buildinfo *bi)
{
	size_t i;

	for (i = 0; i < bi->settings.n; i++) {
		free(bi->settings.v[i].key);
		free(bi->settings.v[i].value);
	}
	VEC_FREE(&bi->settings);
}

/* mirrors load.appendBuildSetting: newlines would break the line format */
void link_buildinfo_add_setting(struct link_buildinfo *bi, const char *key, const char *value)
{
	struct link_setting s;
	char *p;

	s.key = xstrdup(key);
	s.value = xstrdup(value ? value : "");
	for (p = s.value; *p; p++)
		if (*p == '\n')
			*p = ' ';
	VEC_PUSH(&bi->settings, s);
}

static int setting_cmp(const void *a, const void *b)
{
	const struct link_setting *x = a, *y = b;

	return strcmp(x->key, y->key);
}

/* Go uses slices.SortFunc (not stable); the keys are distinct, so any
 * sort gives the same list. */
void link_buildinfo_sort_settings(struct link_buildinfo *bi)
{
	VEC_SORT(&bi->settings, setting_cmp);
}

/* mirrors cmd/go/internal/gover/mod.go ModSort (go1.26); deps never name
 * the "go" or "toolchain" pseudo-modules, so semver order is enough. */
int link_module_cmp(const struct link_module *a, const struct link_module *b)
{
	const char *va = a->version ? a->version : "", *vb = b->version ? b->version : "";
	int c = strcmp(a->path, b->path);

	if (c != 0)
		return c;
	if (strcmp(va, vb) == 0)
		return 0;
	c = mod_semver_compare(va, vb);
	if (c != 0)
		return c;
	return strcmp(va, vb);
}

static int modptr_cmp(const void *a, const void *b)
{
	const struct link_module *const *x = a, *const *y = b;

	return link_module_cmp(*x, *y);
}

void link_modules_sort(const struct link_module **mods, size_t n)
{
	if (n > 1)
		qsort(mods, n, sizeof(*mods), modptr_cmp);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* to_runtime copies a link_module (and its replacement) into runtime's
 * build-info model, with "" for absent strings. */
static struct buildinfo_module *to_runtime(struct arena *a, const struct link_module *m)
{
	struct buildinfo_module *r = arena_new(a, struct buildinfo_module);

	r->path = nz(m->path);
	r->version = nz(m->version);
	r->sum = nz(m->sum);
	r->replace = m->replace ? to_runtime(a, m->replace) : NULL;
	return r;
}

/*
 * link_buildinfo_text is runtime/debug's BuildInfo.String without the go
 * line (the linker stores the Go version separately); the text itself is
 * runtime's buildinfo_string, which `gotool version -m` prints too.
 */
void link_buildinfo_text(struct buf *b, const struct link_buildinfo *bi)
{
	struct arena a;
	struct buildinfo rb = {0};

	arena_init(&a);
	rb.go_version = "";
	rb.path = nz(bi->path);
	rb.main = *to_runtime(&a, &bi->main);
	for (size_t i = 0; i < bi->ndeps; i++)
		VEC_PUSH(&rb.deps, to_runtime(&a, bi->deps[i]));
	for (size_t i = 0; i < bi->settings.n; i++) {
		struct buildinfo_setting st = {bi->settings.v[i].key, bi->settings.v[i].value};
		VEC_PUSH(&rb.settings, st);
	}
	buildinfo_string(b, &rb);
	VEC_FREE(&rb.deps);
	VEC_FREE(&rb.settings);
	arena_release(&a);
}

/* mirrors cmd/go/internal/load/pkg.go setBuildInfo's settings (go1.26):
 * "informational, not exhaustive", kept in go's order, which is sorted by
 * key except for the environment-derived block */
void link_buildinfo_settings(struct link_buildinfo *bi, const struct link_settings_in *in)
{
	const char *buildmode = nz(in->buildmode);
	const char *compiler = nz(in->compiler);
	struct buf tags = BUF_INIT;
	size_t i;

	buf_init(&tags);
	if (in->asan)
		link_buildinfo_add_setting(bi, "-asan", "true");
	if (in->asmflags_present)
		link_buildinfo_add_setting(bi, "-asmflags", nz(in->asmflags));
	if (strcmp(buildmode, "default") == 0)
		buildmode = in->is_main ? "exe" : "archive";
	link_buildinfo_add_setting(bi, "-buildmode", buildmode);
	link_buildinfo_add_setting(bi, "-compiler", compiler);
	if (*nz(in->gccgoflags) && strcmp(compiler, "gccgo") == 0)
		link_buildinfo_add_setting(bi, "-gccgoflags", in->gccgoflags);
	if (*nz(in->gcflags) && strcmp(compiler, "gc") == 0)
		link_buildinfo_add_setting(bi, "-gcflags", in->gcflags);
	/* go.dev/issue/52372: -ldflags may name system paths, so -trimpath drops it */
	if (*nz(in->ldflags) && !in->trimpath)
		link_buildinfo_add_setting(bi, "-ldflags", in->ldflags);
	if (in->cover)
		link_buildinfo_add_setting(bi, "-cover", "true");
	if (in->msan)
		link_buildinfo_add_setting(bi, "-msan", "true");
	if (in->race)
		link_buildinfo_add_setting(bi, "-race", "true");
	if (in->ntags > 0) {
		for (i = 0; i < in->ntags; i++) {
			if (i > 0)
				buf_addch(&tags, ',');
			buf_adds(&tags, in->tags[i]);
		}
		link_buildinfo_add_setting(bi, "-tags", buf_cstr(&tags));
	}
	if (in->trimpath)
		link_buildinfo_add_setting(bi, "-trimpath", "true");
	if (*nz(in->default_godebug))
		link_buildinfo_add_setting(bi, "DefaultGODEBUG", in->default_godebug);
	link_buildinfo_add_setting(bi, "CGO_ENABLED", in->cgo_enabled ? "1" : "0");
	/* same issue: the CGO_ flags may hold system paths */
	if (in->cgo_enabled && !in->trimpath) {
		link_buildinfo_add_setting(bi, "CGO_CFLAGS", nz(in->cgo_cflags));
		link_buildinfo_add_setting(bi, "CGO_CPPFLAGS", nz(in->cgo_cppflags));
		link_buildinfo_add_setting(bi, "CGO_CXXFLAGS", nz(in->cgo_cxxflags));
		link_buildinfo_add_setting(bi, "CGO_LDFLAGS", nz(in->cgo_ldflags));
	}
	link_buildinfo_add_setting(bi, "GOARCH", nz(in->goarch));
	if (*nz(in->goexperiment))
		link_buildinfo_add_setting(bi, "GOEXPERIMENT", in->goexperiment);
	if (in->gofips140)
		link_buildinfo_add_setting(bi, "GOFIPS140", in->gofips140);
	link_buildinfo_add_setting(bi, "GOOS", nz(in->goos));
	if (*nz(in->arch_var) && *nz(in->arch_val))
		link_buildinfo_add_setting(bi, in->arch_var, in->arch_val);
	if (in->vcs) {
		link_buildinfo_add_setting(bi, "vcs", in->vcs);
		if (*nz(in->vcs_revision))
			link_buildinfo_add_setting(bi, "vcs.revision", in->vcs_revision);
		if (*nz(in->vcs_time))
			link_buildinfo_add_setting(bi, "vcs.time", in->vcs_time);
		link_buildinfo_add_setting(bi, "vcs.modified", in->vcs_modified ? "true" : "false");
	}
	/* mirrors load.setPGOProfilePath: -pgo comes last and then the whole
	 * list is sorted by key, which moves the environment block too */
	if (in->pgo_path) {
		link_buildinfo_add_setting(bi, "-pgo", in->trimpath ? path_base(in->pgo_path) : in->pgo_path);
		link_buildinfo_sort_settings(bi);
	}
	buf_release(&tags);
}
