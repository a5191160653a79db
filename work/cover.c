/*
 * -cover: the cover tool's step before a package's compile.
 *
 * mirrors cmd/go/internal/work/exec.go (go1.26): runCover, cover,
 * writeCoverPkgInputs and the "cover" line of buildActionID;
 * cmd/internal/cov/covcmd.MetaFileForPackage.
 *
 * go runs the cover tool as its own action (Mode "cover") between the
 * build's check-cache action and the build; gotool makes it the first
 * steps of the build action.  Priorities give the same serial order:
 * the cover action is the build's last dependency in go's post-order.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "work/work_internal.h"

static const char *pkg_key(struct work_builder *b, const struct load_pkg *p)
{
	char pk[PTR_KEY_SIZE];

	return arena_strdup(b->a, ptr_key(pk, p));
}

char *work_cover_meta_name(const char *import_path)
{
	unsigned char sum[32];
	char hex[65];

	hash_sha256(import_path, strlen(import_path), sum);
	hash_hex(sum, sizeof sum, hex);
	return xasprintf("covmeta.%s", hex);
}

void work_cover_package(struct work_builder *b, struct load_pkg *p, const char *mode, bool genmeta)
{
	map_put(&b->cover_of, pkg_key(b, p), arena_strdup(b->a, mode));
	if (genmeta)
		map_put(&b->cover_meta_of, pkg_key(b, p), (void *)1);
}

void work_cover_setup(struct work_builder *b, struct work_action *a)
{
	if (!a->p)
		return;
	a->cover_mode = map_get(&b->cover_of, pkg_key(b, a->p));
	a->cover_meta = a->cover_mode && map_has(&b->cover_meta_of, pkg_key(b, a->p));
}

int work_cover_hash(struct work_builder *b, struct work_action *a, struct work_hasher *h, struct err *e)
{
	struct buf m = BUF_INIT, t = BUF_INIT;

	if (!a->cover_mode)
		return 0;
	if (!b->tool_cover && work_tool_id(b, "cover", &b->tool_cover, e) < 0)
		return -1;
	quoted_go_string(&m, a->cover_mode, strlen(a->cover_mode));
	quoted_go_string(&t, b->tool_cover, strlen(b->tool_cover));
	work_hasher_printf(h, "cover %s %s\n", buf_cstr(&m), buf_cstr(&t));
	buf_release(&m);
	buf_release(&t);
	return 0;
}

/* is_test_file is base.IsTestFile. */
static bool is_test_file(const char *f)
{
	const char *base = strrchr(f, '/');
	base = base ? base + 1 : f;
	return has_suffix(base, "_test.go");
}

/* op_cover_inputs is writeCoverPkgInputs: pkgcfg.txt (covcmd.CoverPkgConfig
 * as json.Marshal writes it, plus a newline) and coveroutfiles.txt. */
static int op_cover_inputs(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct load_pkg *p = a->p;
	struct buf j = BUF_INIT, o = BUF_INIT;
	char *f = NULL, *cfg = xasprintf("%scoveragecfg", a->objdir), *meta = NULL;
	int rc = -1;

	if (a->cover_meta) {
		char *name = work_cover_meta_name(p->import_path);
		meta = xasprintf("%s%s", a->objdir, name);
		free(name);
	}
	buf_adds(&j, "{\"OutConfig\":");
	json_quote(&j, cfg, strlen(cfg));
	buf_adds(&j, ",\"PkgPath\":");
	json_quote(&j, p->import_path, strlen(p->import_path));
	buf_adds(&j, ",\"PkgName\":");
	json_quote(&j, p->name, strlen(p->name));
	buf_adds(&j, ",\"Granularity\":\"perblock\",\"ModulePath\":");
	if (p->module)
		json_quote(&j, p->module->path, strlen(p->module->path));
	else
		buf_adds(&j, "\"\"");
	buf_printf(&j, ",\"Local\":%s,\"EmitMetaFile\":", p->local ? "true" : "false");
	if (meta)
		json_quote(&j, meta, strlen(meta));
	else
		buf_adds(&j, "\"\"");
	buf_adds(&j, "}\n");
	f = xasprintf("%spkgcfg.txt", a->objdir);
	if (work_write_file(b, f, j.data, j.len, e) < 0)
		goto out;
	free(f);
	/* the outputs: covervars.go, then one .cover.go per covered file */
	buf_printf(&o, "%s\n", a->cover_gofiles.v[0]);
	for (size_t i = 1; i < a->cover_gofiles.n; i++)
		if (!is_test_file(a->cover_gofiles.v[i]))
			buf_printf(&o, "%s\n", a->cover_gofiles.v[i]);
	f = xasprintf("%scoveroutfiles.txt", a->objdir);
	if (work_write_file(b, f, o.data, o.len, e) < 0)
		goto out;
	rc = 0;
out:
	free(f);
	free(cfg);
	free(meta);
	buf_release(&j);
	buf_release(&o);
	return rc;
}

void work_cover_add_ops(struct work_builder *b, struct work_action *a)
{
	struct load_pkg *p = a->p;
	struct strvec in = {0}, files = {0};
	struct op *op;
	char *var;

	for (size_t i = 0; i < p->go_files.n; i++) {
		const char *f = p->go_files.v[i];
		if (is_test_file(f)) {
			strvec_push(&files, f);
			continue;
		}
		strvec_push_take(&in, path_join(p->dir, f));
		strvec_push_take(&files, xasprintf("%s%.*s.cover.go", a->objdir, (int)(strlen(f) - 3), f));
	}
	if (in.n == 0) {
		/* nothing to instrument: the files compile as they are */
		strvec_clear(&in);
		strvec_clear(&files);
		return;
	}
	strvec_push_take(&a->cover_gofiles, xasprintf("%scovervars.go", a->objdir));
	for (size_t i = 0; i < files.n; i++)
		strvec_push(&a->cover_gofiles, files.v[i]);
	work_add_func(a, op_cover_inputs);
	{
		unsigned char sum[32];
		char hex[65];
		hash_sha256(p->import_path, strlen(p->import_path), sum);
		hash_hex(sum, sizeof sum, hex);
		var = xasprintf("goCover_%.12s_", hex);
	}
	op = work_add_proc(a, a->objdir, "");
	for (size_t i = 0; i < b->o.toolexec.n; i++)
		strvec_push(&op->argv, b->o.toolexec.v[i]);
	strvec_push_take(&op->argv, path_join(b->ct.tooldir, "cover"));
	strvec_push(&op->argv, "-pkgcfg");
	strvec_push_take(&op->argv, xasprintf("%spkgcfg.txt", a->objdir));
	strvec_push(&op->argv, "-mode");
	strvec_push(&op->argv, a->cover_mode);
	strvec_push(&op->argv, "-var");
	strvec_push_take(&op->argv, var);
	strvec_push(&op->argv, "-outfilelist");
	strvec_push_take(&op->argv, xasprintf("%scoveroutfiles.txt", a->objdir));
	for (size_t i = 0; i < in.n; i++)
		strvec_push(&op->argv, in.v[i]);
	{
		/* Shell.run with desc "": the command is the desc (so the report
		 * is "# p\n# [cmd]\n"), and paths are shortened from the objdir */
		struct buf c = BUF_INIT;
		char *f;
		for (size_t i = 0; i < op->argv.n; i++) {
			if (i)
				buf_addch(&c, ' ');
			buf_adds(&c, op->argv.v[i]);
		}
		f = work_fmt_cmd(b, buf_cstr(&c));
		op->desc = arena_strdup(b->a, f);
		free(f);
		buf_release(&c);
		op->report_in_dir = true;
	}
	strvec_clear(&in);
	strvec_clear(&files);
}

/* ---- packages without tests: the meta-data file (go tool covdata) ---- */

/* One coverable unit of a meta-data file, with its source file. */
struct cover_unit {
	const char *file;      /* borrowed from the file's data */
	size_t file_n;
	uint32_t st_line, st_col, en_line, en_col, nx_stmts;
};

struct cover_units { struct cover_unit *v; size_t n, cap; };

/* A bounded little-endian reader over the file's bytes (slicereader). */
struct meta_rd {
	const unsigned char *p;
	size_t n, off;
	bool bad;
};

static uint64_t rd_uleb(struct meta_rd *r)
{
	uint64_t v = 0;
	unsigned shift = 0;

	for (;;) {
		unsigned char c;
		if (r->off >= r->n || shift > 63) {
			r->bad = true;
			return 0;
		}
		c = r->p[r->off++];
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
		shift += 7;
	}
}

static uint64_t rd_le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int unit_cmp(const void *x, const void *y)
{
	const struct cover_unit *a = x, *b = y;
	size_t n = a->file_n < b->file_n ? a->file_n : b->file_n;
	int c = memcmp(a->file, b->file, n);

	if (c)
		return c;
	if (a->file_n != b->file_n)
		return a->file_n < b->file_n ? -1 : 1;
#define CMPF(f) if (a->f != b->f) return a->f < b->f ? -1 : 1
	CMPF(st_line);
	CMPF(en_line);
	CMPF(st_col);
	CMPF(en_col);
	CMPF(nx_stmts);
#undef CMPF
	return 0;
}

/*
 * meta_units decodes a meta-data file (internal/coverage/decodemeta, file
 * version 1) into its units, sorted as cformat sorts them.  Only the one
 * package cmd/cover wrote for the package is expected.
 */
static int meta_units(const struct buf *d, struct cover_units *units, struct err *e)
{
	const unsigned char *p = (const unsigned char *)d->data;
	uint64_t entries;

	if (d->len < 56 || memcmp(p, "\x00\x63\x76\x6d", 4) != 0)
		goto bad;
	entries = rd_le(p + 16, 8);
	if (entries > (d->len - 56) / 16)
		goto bad;
	for (uint64_t k = 0; k < entries; k++) {
		uint64_t off = rd_le(p + 56 + 8 * k, 8), len = rd_le(p + 56 + 8 * entries + 8 * k, 8);
		const unsigned char *blob;
		uint32_t nfuncs;
		struct meta_rd r;
		VEC(struct str) strs = {0};
		uint64_t nstr;

		if (off > d->len || len > d->len - off || len < 44)
			goto bad;
		blob = p + off;
		nfuncs = (uint32_t)rd_le(blob + 40, 4);
		if ((uint64_t)nfuncs * 4 > len - 44)
			goto bad;
		r = (struct meta_rd){blob, (size_t)len, 44 + 4 * (size_t)nfuncs, false};
		nstr = rd_uleb(&r);
		for (uint64_t i = 0; i < nstr && !r.bad; i++) {
			uint64_t sl = rd_uleb(&r);
			if (r.bad || sl > r.n - r.off) {
				r.bad = true;
				break;
			}
			VEC_PUSH(&strs, ((struct str){(const char *)blob + r.off, (size_t)sl}));
			r.off += (size_t)sl;
		}
		for (uint32_t f = 0; f < nfuncs && !r.bad; f++) {
			uint64_t foff = rd_le(blob + 44 + 4 * (size_t)f, 4), nu, fileidx;
			if (foff > r.n) {
				r.bad = true;
				break;
			}
			r.off = (size_t)foff;
			nu = rd_uleb(&r);
			(void)rd_uleb(&r); /* function name */
			fileidx = rd_uleb(&r);
			if (fileidx >= strs.n || nu > r.n) {
				r.bad = true;
				break;
			}
			for (uint64_t u = 0; u < nu && !r.bad; u++) {
				struct cover_unit cu;
				cu.file = strs.v[fileidx].p;
				cu.file_n = strs.v[fileidx].n;
				cu.st_line = (uint32_t)rd_uleb(&r);
				cu.st_col = (uint32_t)rd_uleb(&r);
				cu.en_line = (uint32_t)rd_uleb(&r);
				cu.en_col = (uint32_t)rd_uleb(&r);
				cu.nx_stmts = (uint32_t)rd_uleb(&r);
				VEC_PUSH(units, cu);
			}
			(void)rd_uleb(&r); /* function literal flag */
		}
		VEC_FREE(&strs);
		if (r.bad)
			goto bad;
	}
	if (units->n)
		qsort(units->v, units->n, sizeof *units->v, unit_cmp);
	return 0;
bad:
	return err_setf(e, "malformed coverage meta-data file");
}

void work_cover_merge(struct work_builder *b, const char *text, size_t n)
{
	FILE *f;

	if (!b->topts->coverprofile || n == 0)
		return;
	f = fopen(b->topts->coverprofile, "a");
	if (!f || fwrite(text, 1, n, f) != n) {
		base_errorf("saving coverage profile: %s", strerror(errno));
		if (f)
			fclose(f);
		return;
	}
	if (fclose(f) != 0)
		base_errorf("saving coverage profile: %s", strerror(errno));
}

void work_cover_merge_data(struct work_builder *b, const char *name, const char *data, size_t n)
{
	char *expect;
	size_t hl;

	if (!b->topts->coverprofile || n == 0)
		return;
	expect = xasprintf("mode: %s\n", b->topts->cover_mode);
	hl = strlen(expect);
	if (n < hl || memcmp(data, expect, hl) != 0) {
		struct buf h = BUF_INIT, x = BUF_INIT;
		quoted_go_string(&h, data, n < hl ? n : hl);
		quoted_go_string(&x, expect, hl);
		base_errorf("test wrote malformed coverage profile %s: header %s, expected %s: %s", name,
		            buf_cstr(&h), buf_cstr(&x), n < hl ? "unexpected EOF" : "<nil>");
		buf_release(&h);
		buf_release(&x);
	} else {
		work_cover_merge(b, data + hl, n - hl);
	}
	free(expect);
}

void work_cover_merge_profile(struct work_builder *b, const char *file)
{
	struct buf d = BUF_INIT;
	struct err e = ERR_INIT;

	if (!b->topts->coverprofile)
		return;
	/* a test that wrote no profile is fine */
	if (os_read_file(file, &d, 0, &e) == 0)
		work_cover_merge_data(b, file, d.data, d.len);
	err_clear(&e);
	buf_release(&d);
}

int work_cover_no_tests(struct work_builder *b, struct work_action *run, struct work_action *build,
                        struct buf *out, struct err *e)
{
	char *name = work_cover_meta_name(build->p->import_path);
	char *mf = xasprintf("%s%s", build->objdir, name);
	struct buf d = BUF_INIT, prof = BUF_INIT;
	struct cover_units units = {0};
	char *dir = NULL;
	int rc = -1;

	free(name);
	if (work_mkdir(b, run->objdir, e) < 0)
		goto out;
	if (!b->o.n && os_read_file(mf, &d, 0, e) < 0)
		goto out;
	if (!b->o.n && d.len == 0) {
		rc = 0; /* no functions: "[no test files]" */
		goto out;
	}
	/* the meta-data file's directory, as filepath.Dir gives it */
	dir = xstrndup(build->objdir, strlen(build->objdir) - 1);
	if (b->o.n || b->o.x) {
		char *c = xasprintf("%s/bin/go tool covdata percent -i %s", b->cfg->tc.goroot, dir);
		work_show_cmd(b, run->objdir, c);
		free(c);
	}
	if (!b->o.n) {
		uint64_t tot = 0;
		if (meta_units(&d, &units, e) < 0)
			goto out;
		for (size_t i = 0; i < units.n; i++)
			tot += units.v[i].nx_stmts;
		/* cformat.EmitPercent without noteEmpty: nothing covered (no counters) */
		buf_printf(out, "\t%s\t\t", build->p->import_path);
		if (tot)
			buf_adds(out, "coverage: 0.0% of statements\n");
	}
	if (b->topts->coverprofile) {
		if (b->o.n || b->o.x) {
			char *c = xasprintf("%s/bin/go tool covdata textfmt -i %s -o %s_cover_.out", b->cfg->tc.goroot,
			                    dir, run->objdir);
			work_show_cmd(b, run->objdir, c);
			free(c);
		}
		if (!b->o.n) {
			for (size_t i = 0; i < units.n; i++) {
				const struct cover_unit *u = &units.v[i];
				buf_printf(&prof, "%.*s:%u.%u,%u.%u %u 0\n", (int)u->file_n, u->file, u->st_line, u->st_col,
				           u->en_line, u->en_col, u->nx_stmts);
			}
			work_cover_merge(b, prof.data, prof.len);
		}
	}
	rc = 1;
out:
	VEC_FREE(&units);
	free(dir);
	free(mf);
	buf_release(&d);
	buf_release(&prof);
	return rc;
}
