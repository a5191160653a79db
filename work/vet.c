/*
 * Vet actions (cmd/go/internal/work action.go vetAction, exec.go vet,
 * vetConfig, buildVetConfig, for go1.26).
 *
 * A vet action per package depends on the package's build action in
 * "vet only" mode (the archive is not needed, only what the vet config
 * lists: its files and its imports' archives) and on the vet actions of its
 * imports, whose facts (the .vetx files, "vet.out") it reads.  Vet actions of
 * dependencies only compute facts (VetxOnly).  The facts are cached under
 * go's vet action id, and the tool's JSON stdout beside them, so a cached
 * vet runs nothing and prints what the tool printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "work/cache.h"
#include "work/work_internal.h"

/*
 * The settings every vet action of a build shares (work.VetTool, VetFlags,
 * VetExplicit, VetHandleStdout).  Invariant: tool is absolute.
 */
struct work_vet_state {
	char *tool;            /* the vet tool */
	bool default_tool;     /* tool is $GOTOOLDIR/vet (base.Tool("vet")) */
	bool explicit_flags;   /* VetExplicit */
	bool json_diagnostics; /* VetHandleStdout = printJSONDiagnostics */
	bool cmd_test;         /* cfg.CmdName == "test" */
	int context;           /* -c=n, or -1 */
	struct strvec flags;   /* VetFlags */
	char *vet_id;          /* toolID("vet"), on first use */
};

void work_vet_state_free(struct work_vet_state *s)
{
	if (!s)
		return;
	free(s->tool);
	strvec_clear(&s->flags);
	free(s->vet_id);
	free(s);
}

static struct work_vet_state *vet_state(struct work_builder *b)
{
	if (!b->vet) {
		struct work_vet_state *s = xcalloc(1, sizeof *s);
		s->tool = path_join(b->cfg->tc.tooldir, "vet");
		s->default_tool = true;
		s->context = -1;
		b->vet = s;
	}
	return b->vet;
}

void work_vet_setup(struct work_builder *b, const struct work_vet_opts *o)
{
	struct work_vet_state *s = vet_state(b);
	char *def = path_join(b->cfg->tc.tooldir, "vet");

	if (o->tool && o->tool[0]) {
		free(s->tool);
		s->tool = xstrdup(o->tool);
	}
	s->default_tool = strcmp(s->tool, def) == 0;
	s->explicit_flags = o->explicit_flags;
	s->json_diagnostics = o->json_diagnostics;
	s->cmd_test = o->cmd_test;
	s->context = o->context;
	free(def);
}

static void set_flags(struct work_vet_state *s, const struct strvec *flags)
{
	strvec_clear(&s->flags);
	for (size_t i = 0; flags && i < flags->n; i++)
		strvec_push(&s->flags, flags->v[i]);
}

/* vet_action is vetAction: created once per package. */
static struct work_action *vet_action(struct work_builder *b, struct load_pkg *p)
{
	const char *key = arena_printf(b->a, "vet %p", (void *)p);
	struct work_action *a = map_get(&b->build_actions, key), *a1, *old;
	bool vet_only;

	if (a)
		return a;
	/* CompileAction(mode|ModeVetOnly): a build action made here needs no
	 * archive unless something else asks for it (needBuild) */
	old = work_build_action_find(b, p);
	vet_only = old ? old->vet_only : true;
	a1 = work_build_action(b, p);
	a1->vet_only = vet_only;
	a = work_new_action(b, A_VET, p);
	a->objdir = xstrdup(a1->objdir);
	a->vetx_only = true;
	VEC_PUSH(&a->deps, a1);
	for (size_t i = 0; i < p->internal_imports.n; i++) {
		struct work_action *d = vet_action(b, p->internal_imports.v[i]);
		VEC_PUSH(&a->deps, d);
	}
	if (a1->mode != A_BUILTIN)
		a1->need_vet = true;
	map_put(&b->build_actions, key, a);
	return a;
}

struct work_action *work_vet_action(struct work_builder *b, struct load_pkg *p, const struct strvec *vetflags)
{
	struct work_action *a;

	set_flags(vet_state(b), vetflags);
	a = vet_action(b, p);
	a->vetx_only = false;
	return a;
}

void work_add_vet(struct work_builder *b, struct load_pkg *p, const struct strvec *vetflags)
{
	VEC_PUSH(&b->root->deps, work_vet_action(b, p, vetflags));
}

/* ---- the vet config (vetConfig as json.MarshalIndent prints it) ---------- */

struct kv {
	const char *k, *v;
};

static int kv_cmp(const void *x, const void *y)
{
	return strcmp(((const struct kv *)x)->k, ((const struct kv *)y)->k);
}

/* kv_set sets k in the list (one entry per key). */
static void kv_set(struct kv **v, size_t *n, size_t *cap, const char *k, const char *val)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i].k, k) == 0) {
			(*v)[i].v = val;
			return;
		}
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*v = xrealloc(*v, *cap * sizeof **v);
	}
	(*v)[*n].k = k;
	(*v)[*n].v = val;
	(*n)++;
}

static void j_str(struct buf *o, const char *field, const char *s, bool last)
{
	buf_printf(o, "\t\"%s\": ", field);
	json_quote(o, s, strlen(s));
	buf_adds(o, last ? "\n" : ",\n");
}

static void j_bool(struct buf *o, const char *field, bool v, bool last)
{
	buf_printf(o, "\t\"%s\": %s%s", field, v ? "true" : "false", last ? "\n" : ",\n");
}

/* j_files prints a list of files made absolute against dir (mkAbsFiles). */
static void j_files(struct buf *o, const char *field, const char *dir, const char *const *f, size_t n)
{
	buf_printf(o, "\t\"%s\": [", field);
	for (size_t i = 0; i < n; i++) {
		char *abs = f[i][0] == '/' ? xstrdup(f[i]) : path_join(dir, f[i]);
		buf_adds(o, i ? ",\n\t\t" : "\n\t\t");
		json_quote(o, abs, strlen(abs));
		free(abs);
	}
	buf_adds(o, n ? "\n\t],\n" : "],\n");
}

/* j_map prints a map[string]string (vals) or map[string]bool (vals NULL: true). */
static void j_map(struct buf *o, const char *field, struct kv *v, size_t n, bool bools)
{
	if (n)
		qsort(v, n, sizeof *v, kv_cmp);
	buf_printf(o, "\t\"%s\": {", field);
	for (size_t i = 0; i < n; i++) {
		buf_adds(o, i ? ",\n\t\t" : "\n\t\t");
		json_quote(o, v[i].k, strlen(v[i].k));
		buf_adds(o, ": ");
		if (bools)
			buf_adds(o, "true");
		else
			json_quote(o, v[i].v, strlen(v[i].v));
	}
	buf_adds(o, n ? "\n\t},\n" : "},\n");
}

/*
 * vet_config writes the vet.cfg text for vet action a (buildVetConfig with
 * the build action's deps, then what vet adds: VetxOnly, the outputs and
 * PackageVetx).  Paths in $WORK stay real paths: the file is what the tool
 * reads.
 */
static void vet_config(struct work_builder *b, struct work_action *a, struct buf *o)
{
	struct work_action *a1 = a->deps.v[0];
	struct load_pkg *p = a->p;
	struct kv *im = NULL, *pf = NULL, *st = NULL, *vx = NULL;
	size_t nim = 0, cim = 0, npf = 0, cpf = 0, nst = 0, cst = 0, nvx = 0, cvx = 0;
	struct strvec ignored = {0};
	char *s;

	buf_adds(o, "{\n");
	j_str(o, "ID", p->import_path, false);
	j_str(o, "Compiler", "gc", false);
	j_str(o, "Dir", p->dir, false);
	j_str(o, "ImportPath", p->import_path, false);
	/* srcfiles: the Go files (with cgo's output), then .s and .c files
	 * (in a cgo package gcc takes those: only runtime/cgo's Go assembly
	 * stays) */
	if (a1->cgo) {
		struct strvec gf = {0};
		for (size_t i = 0; i < p->go_files.n; i++)
			strvec_push(&gf, p->go_files.v[i]);
		for (size_t i = 0; i < a1->cgo->gofiles.n; i++)
			strvec_push(&gf, a1->cgo->gofiles.v[i]);
		j_files(o, "GoFiles", p->dir, (const char *const *)gf.v, gf.n);
		strvec_clear(&gf);
	} else if (a1->cover_gofiles.n > 0) {
		/* the instrumented files; under -n go's work dir is "$WORK", a
		 * relative path, so they are joined to the package directory */
		struct strvec cf = {0};
		const char *wd = work_dir(b);
		for (size_t i = 0; i < a1->cover_gofiles.n; i++) {
			const char *f = a1->cover_gofiles.v[i];
			if (b->o.n && has_prefix(f, wd))
				strvec_push_take(&cf, xasprintf("%s/$WORK%s", p->dir, f + strlen(wd)));
			else
				strvec_push(&cf, f);
		}
		j_files(o, "GoFiles", p->dir, (const char *const *)cf.v, cf.n);
		strvec_clear(&cf);
	} else {
		j_files(o, "GoFiles", p->dir, (const char *const *)p->go_files.v, p->go_files.n);
	}
	{
		struct strvec ng = {0};
		bool rtcgo = p->standard && strcmp(p->import_path, "runtime/cgo") == 0;
		for (size_t i = 0; i < p->s_files.n; i++)
			if (!a1->cgo || (rtcgo && !has_prefix(p->s_files.v[i], "gcc_")))
				strvec_push(&ng, p->s_files.v[i]);
		for (size_t i = 0; i < p->c_files.n && !a1->cgo; i++)
			strvec_push(&ng, p->c_files.v[i]);
		j_files(o, "NonGoFiles", p->dir, (const char *const *)ng.v, ng.n);
		strvec_clear(&ng);
	}
	for (size_t i = 0; i < p->ignored_go_files.n; i++)
		strvec_push(&ignored, p->ignored_go_files.v[i]);
	for (size_t i = 0; i < p->ignored_other_files.n; i++)
		strvec_push(&ignored, p->ignored_other_files.v[i]);
	j_files(o, "IgnoredFiles", p->dir, (const char *const *)ignored.v, ignored.n);
	strvec_clear(&ignored);
	j_str(o, "ModulePath", p->module ? p->module->path : "", false);
	j_str(o, "ModuleVersion", p->module && p->module->version ? p->module->version : "", false);

	for (size_t i = 0; i < p->raw_imports.n && i < p->imports.n; i++)
		kv_set(&im, &nim, &cim, p->raw_imports.v[i], p->imports.v[i]);
	for (size_t i = 0; i < a1->deps.n; i++) {
		struct work_action *d = a1->deps.v[i];
		struct load_pkg *p1 = d->p;
		bool mapped = false;
		if (!p1 || !p1->import_path[0] || p1 == p)
			continue;
		/* imports that appear only in generated code get a mapping */
		for (size_t j = 0; j < nim && !mapped; j++)
			mapped = strcmp(im[j].v, p1->import_path) == 0;
		if (!mapped)
			kv_set(&im, &nim, &cim, p1->import_path, p1->import_path);
		if (d->built && d->built[0])
			kv_set(&pf, &npf, &cpf, p1->import_path, d->built);
		if (p1->standard)
			kv_set(&st, &nst, &cst, p1->import_path, "");
	}
	for (size_t i = 1; i < a->deps.n; i++) {
		struct work_action *d = a->deps.v[i];
		if (d->mode == A_VET && d->built && d->built[0])
			kv_set(&vx, &nvx, &cvx, d->p->import_path, d->built);
	}
	j_map(o, "ImportMap", im, nim, false);
	j_map(o, "PackageFile", pf, npf, false);
	j_map(o, "Standard", st, nst, true);
	j_map(o, "PackageVetx", vx, nvx, false);
	j_bool(o, "VetxOnly", a->vetx_only, false);
	s = xasprintf("%svet.out", a->objdir);
	j_str(o, "VetxOutput", s, false);
	free(s);
	s = xasprintf("%svet.stdout", a->objdir);
	j_str(o, "Stdout", s, false);
	free(s);
	if (p->module) {
		const char *v = p->module->go_version && p->module->go_version[0] ? p->module->go_version : "1.16";
		s = xasprintf("go%s", v);
	} else {
		s = xasprintf("go%s", b->cfg->tc.gover);
	}
	j_str(o, "GoVersion", s, false);
	free(s);
	j_str(o, "FixArchive", "", false);
	j_bool(o, "SucceedOnTypecheckFailure", false, true);
	buf_adds(o, "}\n");
	free(im);
	free(pf);
	free(st);
	free(vx);
}

/* ---- the action id (cache.NewHash with GODEBUG=gocachehash=1) ----------- */

struct vhash {
	struct hash_sha256 h;
	const char *name;
	bool debug;
};

static void vh_write(struct vhash *h, const char *s, size_t n)
{
	hash_sha256_write(&h->h, s, n);
	if (h->debug) {
		struct buf q = BUF_INIT;
		quoted_go_string(&q, s, n);
		fprintf(stderr, "HASH[%s]: %s\n", h->name, buf_cstr(&q));
		buf_release(&q);
	}
}

static void vh_print_sum(const unsigned char *sum)
{
	for (int i = 0; i < 32; i++)
		fprintf(stderr, "%02x", sum[i]);
}

/* work_subkey is cache.Subkey(parent, desc), with its GODEBUG=gocachehash=1 line. */
void work_subkey(struct work_builder *b, const unsigned char parent[32], const char *desc, unsigned char out[32])
{
	struct hash_sha256 h;

	hash_sha256_init(&h);
	hash_sha256_write(&h, "subkey:", 7);
	hash_sha256_write(&h, parent, 32);
	hash_sha256_write(&h, desc, strlen(desc));
	hash_sha256_sum(&h, out);
	if (b->hashdebug) {
		struct buf q = BUF_INIT;
		quoted_go_string(&q, desc, strlen(desc));
		fprintf(stderr, "HASH subkey ");
		vh_print_sum(parent);
		fprintf(stderr, " %s = ", buf_cstr(&q));
		vh_print_sum(out);
		fprintf(stderr, "\n");
		buf_release(&q);
	}
}

/* vet_flags_for returns the flags for p's vet (the GOROOT rule of Builder.vet). */
static void vet_flags_for(struct work_vet_state *s, const struct load_pkg *p, struct strvec *out)
{
	if (p->goroot && !s->explicit_flags && s->default_tool) {
		/* vet of GOROOT packages: no -unsafeptr (and no -unreachable
		 * under go test), whatever the default flags are */
		strvec_push(out, "-unsafeptr=false");
		if (s->cmd_test)
			strvec_push(out, "-unreachable=false");
		return;
	}
	for (size_t i = 0; i < s->flags.n; i++)
		strvec_push(out, s->flags.v[i]);
}

static void quote_into(struct buf *o, const struct strvec *v)
{
	buf_addch(o, '[');
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			buf_addch(o, ' ');
		quoted_go_string(o, v->v[i], strlen(v->v[i]));
	}
	buf_addch(o, ']');
}

/* vet_action_id computes go's vet action id for a into sum. */
static int vet_action_id(struct work_builder *b, struct work_action *a, const struct strvec *flags,
                         unsigned char sum[32], struct err *e)
{
	struct work_vet_state *s = b->vet;
	struct vhash h;
	struct buf line = BUF_INIT;
	char *name = xasprintf("vet %s", a->p->import_path);
	int rc = -1;

	if (!s->vet_id && work_tool_id(b, "vet", &s->vet_id, e) < 0)
		goto out;
	hash_sha256_init(&h.h);
	h.name = name;
	h.debug = b->hashdebug;
	if (h.debug)
		fprintf(stderr, "HASH[%s]\n", name);
	vh_write(&h, b->salt, strlen(b->salt));
	buf_adds(&line, "vet ");
	quoted_go_string(&line, s->vet_id, strlen(s->vet_id));
	buf_addch(&line, '\n');
	vh_write(&h, line.data, line.len);
	buf_reset(&line);
	buf_adds(&line, "vetflags ");
	quote_into(&line, flags);
	buf_addch(&line, '\n');
	vh_write(&h, line.data, line.len);
	buf_reset(&line);
	/* %q of an ActionID ([32]byte) quotes its bytes as a string */
	buf_adds(&line, "pkg ");
	quoted_go_string(&line, (const char *)a->deps.v[0]->aid_sum, 32);
	buf_addch(&line, '\n');
	vh_write(&h, line.data, line.len);
	for (size_t i = 1; i < a->deps.n; i++) {
		struct work_action *d = a->deps.v[i];
		char fh[21];
		if (d->mode != A_VET || !d->built || !d->built[0])
			continue;
		if (work_file_hash(b, d->built, fh, e) < 0)
			goto out;
		buf_reset(&line);
		buf_adds(&line, "vetout ");
		quoted_go_string(&line, d->p->import_path, strlen(d->p->import_path));
		buf_printf(&line, " %s\n", fh);
		vh_write(&h, line.data, line.len);
	}
	hash_sha256_sum(&h.h, sum);
	if (h.debug) {
		fprintf(stderr, "HASH[%s]: ", name);
		vh_print_sum(sum);
		fprintf(stderr, "\n");
	}
	rc = 0;
out:
	free(name);
	buf_release(&line);
	return rc;
}

/* ---- the tool's stdout (VetHandleStdout) -------------------------------- */

/* parse_posn is printJSONDiagnostic's parsePosn: "file:line:col". */
static bool parse_posn(const char *s, char **file, long *line, long *col)
{
	const char *c2 = strrchr(s, ':'), *c1 = NULL;
	char *end;

	if (!c2)
		return false;
	for (const char *q = c2 - 1; q >= s; q--)
		if (*q == ':') {
			c1 = q;
			break;
		}
	if (!c1 || c1 + 1 == c2 || !c2[1])
		return false;
	*line = strtol(c1 + 1, &end, 10);
	if (end != c2)
		return false;
	*col = strtol(c2 + 1, &end, 10);
	if (*end)
		return false;
	*file = xstrndup(s, (size_t)(c1 - s));
	return true;
}

static void print_diag(struct work_builder *b, const char *start, const char *end, const char *msg)
{
	char *file = NULL;
	long line, col;

	if (parse_posn(start, &file, &line, &col))
		fprintf(stderr, "%s:%ld:%ld: %s\n", load_short_path(b->ld, file), line, col, msg);
	else
		fprintf(stderr, "%s: %s\n", start, msg);
	if (b->vet->context >= 0) {
		char *f2 = NULL;
		long l2, c2;
		if (!end || !end[0])
			end = start;
		if (file && parse_posn(end, &f2, &l2, &c2)) {
			struct buf data = BUF_INIT;
			struct err e = ERR_INIT;
			VEC(struct str) lines = {0};
			if (os_read_file(file, &data, 0, &e) < 0)
				err_clear(&e);
			{
				/* strings.Split(data, "\n") */
				const char *q = data.data ? data.data : "", *qe = q + data.len;
				for (;;) {
					const char *nl = memchr(q, '\n', (size_t)(qe - q));
					struct str sv = {q, nl ? (size_t)(nl - q) : (size_t)(qe - q)};
					VEC_PUSH(&lines, sv);
					if (!nl)
						break;
					q = nl + 1;
				}
			}
			for (long i = line - b->vet->context; i <= l2 + b->vet->context; i++)
				if (i >= 1 && (size_t)i <= lines.n)
					fprintf(stderr, "%ld\t%.*s\n", i, (int)lines.v[i - 1].n, lines.v[i - 1].p);
			VEC_FREE(&lines);
			buf_release(&data);
		}
		free(f2);
	}
	free(file);
}

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : "";
}

/* print_json_diags is printJSONDiagnostics: diagnostics to stderr, exit 1. */
static int print_json_diags(struct work_builder *b, const struct buf *out, struct err *e)
{
	cJSON *tree, *unit, *res;
	int rc = 0;

	if (out->len == 0)
		return 0;
	tree = cJSON_ParseWithLength(out->data, out->len);
	if (!cJSON_IsObject(tree)) {
		cJSON_Delete(tree);
		return err_setf(e, "parsing JSON: invalid JSON from the vet tool");
	}
	cJSON_ArrayForEach(unit, tree) {
		cJSON_ArrayForEach(res, unit) {
			const cJSON *d;
			if (cJSON_IsArray(res)) {
				cJSON_ArrayForEach(d, res) {
					const cJSON *rel, *r;
					base_set_exit_status(1);
					print_diag(b, jstr(d, "posn"), jstr(d, "end"), jstr(d, "message"));
					rel = cJSON_GetObjectItemCaseSensitive(d, "related");
					cJSON_ArrayForEach(r, rel) {
						char *m = xasprintf("\t%s", jstr(r, "message"));
						print_diag(b, jstr(r, "posn"), jstr(r, "end"), m);
						free(m);
					}
				}
			} else {
				base_set_exit_status(1);
				rc = err_setf(e, "%s", jstr(res, "error"));
				goto out;
			}
		}
	}
out:
	cJSON_Delete(tree);
	return rc;
}

static int handle_stdout(struct work_builder *b, const struct buf *out, struct err *e)
{
	fflush(stderr);
	if (b->vet->json_diagnostics)
		return print_json_diags(b, out, e);
	if (out->len && fwrite(out->data, 1, out->len, stdout) != out->len)
		return err_setf(e, "copying vet tool stdout: short write");
	fflush(stdout);
	return 0;
}

/* ---- the action ----------------------------------------------------------- */

/* op_vet_done saves the facts and the stdout in the cache and hands the
 * stdout on, after the tool succeeded. */
static int op_vet_done(struct work_builder *b, struct work_action *a, struct err *e)
{
	unsigned char key[32];
	char *vetx, *so;
	struct buf out = BUF_INIT;
	int rc = 0;

	if (b->o.n)
		return 0;
	vetx = xasprintf("%svet.out", a->objdir);
	so = xasprintf("%svet.stdout", a->objdir);
	if (os_exists(vetx)) {
		struct err ce = ERR_INIT;
		free(a->built);
		a->built = xstrdup(vetx);
		if (b->cache && work_cache_put_file(b->cache, a->aid_sum, vetx, NULL, &ce) < 0)
			err_clear(&ce);
	}
	if (os_exists(so)) {
		struct err ce = ERR_INIT;
		if (os_read_file(so, &out, 0, e) < 0) {
			rc = -1;
			goto out;
		}
		rc = handle_stdout(b, &out, e);
		if (rc < 0)
			goto out;
		work_subkey(b, a->aid_sum, "stdout", key);
		if (b->cache && work_cache_put_bytes(b->cache, key, out.data, out.len, NULL, &ce) < 0)
			err_clear(&ce);
	}
out:
	buf_release(&out);
	free(vetx);
	free(so);
	return rc;
}

/* vet_cached is the cache check of Builder.vet: the facts (and stdout, if
 * any) of an earlier run; true on a hit, with the stdout handled. */
static bool vet_cached(struct work_builder *b, struct work_action *a, int *rc, struct err *e)
{
	struct work_cache_entry en = {0}, so = {0};
	struct err ce = ERR_INIT;
	struct buf out = BUF_INIT;
	unsigned char key[32];
	bool hit = false;

	work_subkey(b, a->aid_sum, "stdout", key);
	{
		/* computed by go whether or not -fix asked for it */
		unsigned char fk[32];
		work_subkey(b, a->aid_sum, "fix.zip", fk);
	}
	if (!b->cache || b->o.a || b->o.n)
		goto out;
	if (work_cache_get(b->cache, a->aid_sum, &en, &ce) <= 0)
		goto out;
	if (work_cache_get(b->cache, key, &so, &ce) > 0 && so.size > 0 && os_read_file(so.path, &out, 0, &ce) < 0)
		goto out;
	hit = true;
	free(a->built);
	a->built = en.path;
	en.path = NULL;
	a->cached = true;
	*rc = handle_stdout(b, &out, e);
out:
	err_clear(&ce);
	work_cache_entry_release(&en);
	work_cache_entry_release(&so);
	buf_release(&out);
	return hit;
}

int work_vet_start(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct work_vet_state *s = vet_state(b);
	struct work_action *a1 = a->deps.v[0];
	struct load_pkg *p = a->p;
	struct strvec flags = {0};
	struct buf cfg = BUF_INIT;
	struct op *op;
	char *cfgfile = NULL;
	int rc = -1;

	/* a dependency's vet may have failed: this one can still succeed */
	a->failed = false;
	if (a1->mode == A_BUILTIN || a1->failed)
		return 0; /* unsafe has nothing to vet; a broken build is not vetted */
	vet_flags_for(s, p, &flags);
	if (vet_action_id(b, a, &flags, a->aid_sum, e) < 0)
		goto out;
	work_hash_to_string(a->aid_sum, a->aid);
	if (vet_cached(b, a, &rc, e))
		goto out;
	vet_config(b, a, &cfg);
	/* the objdir of a cached build was only announced */
	if (work_mkdir(b, a->objdir, e) < 0)
		goto out;
	cfgfile = xasprintf("%svet.cfg", a->objdir);
	if (work_write_file(b, cfgfile, cfg.data, cfg.len, e) < 0)
		goto out;
	op = work_add_proc(a, p->dir, p->import_path);
	for (size_t i = 0; i < b->o.toolexec.n; i++)
		strvec_push(&op->argv, b->o.toolexec.v[i]);
	strvec_push(&op->argv, s->tool);
	for (size_t i = 0; i < flags.n; i++)
		strvec_push(&op->argv, flags.v[i]);
	strvec_push(&op->argv, cfgfile);
	strvec_push(&op->env, "TERM=dumb"); /* cCompilerEnv */
	work_add_func(a, op_vet_done);
	rc = 0;
out:
	strvec_clear(&flags);
	buf_release(&cfg);
	free(cfgfile);
	return rc;
}
