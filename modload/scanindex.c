/*
 * The GOROOT scan index: a per-toolchain cache of what the directory scan
 * learns from the files of GOROOT/src, so a warm run lists no GOROOT
 * directory and opens no GOROOT source file.
 *
 * Like cmd/go/internal/modindex (go1.26), GOROOT is treated as immutable
 * for a given toolchain version: the index file is keyed by the GOROOT
 * path, the toolchain version and the format version only, never by file
 * stats.  Unlike modindex, nothing tag-dependent is stored: the index holds
 * directory listings and, per file, the result of the header reader
 * (load_read_gofile / load_read_comments), and scan_dir evaluates build
 * constraints every run, so one index serves every GOOS/GOARCH/tags.
 *
 * Like modindex, the file is mapped, not read, and a run decodes only the
 * directories it asks about: a build of cmd/gofmt touches a few hundred
 * KB of a 5 MB file.  So the checks are per part: the head (with the
 * directory table) has its CRC-32C in the header and is checked whole at
 * open; each directory's record has its CRC-32C in the table and is checked
 * when first decoded.  A bad head makes the whole file count as absent; a
 * bad record makes that directory count as absent (it is scanned again,
 * and the file rewritten).
 *
 * File layout (all integers little-endian u32):
 *   header: "GTSCANIX"  format  head_len  file_len  crc32c(head)
 *   head:   str goroot_src, str version, ndirs,
 *           ndirs x { name_off, rec_off, rec_len, crc32c(record) },
 *           ndirs x str dir   (sorted bytewise, each once, in table order)
 *   body:   ndirs x record   (in table order, back to back, to file_len)
 *   record: nents { str name, u32 type } (nents 0xffffffff: no listing),
 *           nfiles, nfiles x file_off,
 *           nfiles x { str path, u32 kind, kind-specific record }
 * Offsets are from the start of the file; name_off points at a str.  A str
 * is u32 length + bytes + a NUL byte (so decoded strings are used in place
 * as C strings); length 0xffffffff is a NULL string with no bytes.  A
 * record holds the files directly in its directory, sorted by path;
 * file_off is a file's offset in its record, so one file is found by a
 * binary search and decoded alone, when asked for.  Every part is laid
 * out back to back in order, so equal indexes encode to equal bytes and
 * nothing unaccounted can hide in a valid file.
 */
#include <stdlib.h>
#include <string.h>

#include "modload/load_internal.h"

#define IX_MAGIC "GTSCANIX"
#define IX_MAGIC_LEN 8
/* Bump whenever the record layout or the header reader's output changes. */
#define IX_FORMAT 4u
#define IX_HDR_LEN (IX_MAGIC_LEN + 4 + 4 + 4 + 4)
#define IX_ENT_LEN 16
#define IX_NULL 0xffffffffu
/* A cache file larger than this is not ours (GOROOT/src indexes to a few MB). */
#define IX_MAX_SIZE (512u * 1024 * 1024)

enum { IX_KIND_GO = 1, IX_KIND_OTHER = 2 };
enum { IX_F_NUL = 1, IX_F_HDR_EOF = 2, IX_F_PLAIN = 4 };
/* What is known of a table entry's record, or of one file in it. */
enum { IX_REC_UNREAD = 0, IX_REC_READ, IX_REC_BAD };
#define IX_NONE ((size_t)-1)

/* One recorded file.  For Go files gf's arrays live in the index's arena
 * (callers get heap copies); for other files only hdr/hdr_len are set. */
struct ix_file {
	const char *path;
	unsigned kind;
	bool has_nul, hdr_eof;
	struct load_gofile gf;
	const char *hdr;
	size_t hdr_len;
};

/* A decoded directory record: its files are decoded one by one. */
struct ix_dir {
	const char *dir;             /* the table entry's name */
	size_t dlen;
	const char *rec;             /* the record's bytes */
	size_t len;
	const unsigned char *offs;   /* nfiles u32 offsets into rec */
	size_t nfiles;
	struct ix_file **file;       /* per file: decoded record, or NULL */
	unsigned char *fstate;       /* per file: IX_REC_* */
};

/*
 * struct load_scanindex: invariant: every key and value of dirs and files
 * lives in arena or in the file's bytes (base, NUL-terminated strings),
 * all released together by load_scanindex_free.  dirs and files hold the
 * listings decoded so far and what this run recorded; the file records
 * of the loaded file stay in their ix_dir (the map is checked first).
 */
struct load_scanindex {
	struct arena arena;
	char *goroot_src, *version;
	struct map dirs;   /* dir -> struct load_dirents * */
	struct map files;  /* full path -> struct ix_file * */
	/* the file: mapped (os_map_file) or a heap buffer (load_scanindex_decode) */
	const char *base;
	size_t len;
	bool mapped;
	const unsigned char *table; /* ndirs entries of IX_ENT_LEN bytes, inside base */
	size_t ndirs;
	unsigned char *state;       /* per table entry: IX_REC_* */
	struct ix_dir **dirrec;     /* per table entry: decoded record (IX_REC_READ) */
	bool dirty;                 /* something was recorded since the load */
};

struct load_scanindex *load_scanindex_new(const char *goroot_src, const char *version)
{
	struct load_scanindex *ix = xcalloc(1, sizeof *ix);

	arena_init(&ix->arena);
	ix->goroot_src = xstrdup(goroot_src);
	ix->version = xstrdup(version);
	map_init(&ix->dirs);
	map_init(&ix->files);
	return ix;
}

/* drop_file forgets the file's bytes and everything decoded from them. */
static void drop_file(struct load_scanindex *ix)
{
	if (ix->mapped)
		os_unmap_file(ix->base, ix->len);
	else
		free((void *)ix->base);
	ix->base = NULL;
	ix->len = 0;
	ix->mapped = false;
	ix->table = NULL;
	ix->ndirs = 0;
	free(ix->state);
	ix->state = NULL;
	free(ix->dirrec);
	ix->dirrec = NULL;
}

void load_scanindex_free(struct load_scanindex *ix)
{
	if (!ix)
		return;
	map_release(&ix->dirs);
	map_release(&ix->files);
	drop_file(ix);
	arena_release(&ix->arena);
	free(ix->goroot_src);
	free(ix->version);
	free(ix);
}

/* ---- lookups and records ------------------------------------------------ */

static size_t ensure_dir(struct load_scanindex *ix, const char *dir, size_t len);
static struct ix_file *record_file(struct load_scanindex *ix, struct ix_dir *d, const char *path);

/* find_file returns path's record: one this run made, else the loaded
 * file's (its directory's record decoded if not yet), else NULL. */
static struct ix_file *find_file(struct load_scanindex *ix, const char *path)
{
	struct ix_file *f = map_get(&ix->files, path);
	const char *slash;
	size_t i;

	if (f)
		return f;
	if (!(slash = strrchr(path, '/')))
		return NULL;
	i = ensure_dir(ix, path, (size_t)(slash - path));
	if (i == IX_NONE || ix->state[i] != IX_REC_READ)
		return NULL;
	return record_file(ix, ix->dirrec[i], path);
}

const struct load_dirents *load_scanindex_dirents(struct load_scanindex *ix, const char *dir)
{
	ensure_dir(ix, dir, strlen(dir));
	return map_get(&ix->dirs, dir);
}

void load_scanindex_put_dirents(struct load_scanindex *ix, const char *dir, const struct load_dirents *d)
{
	struct load_dirents *c;

	ensure_dir(ix, dir, strlen(dir));
	if (map_has(&ix->dirs, dir))
		return;
	c = arena_new(&ix->arena, struct load_dirents);
	c->n = d->n;
	c->v = arena_alloc(&ix->arena, (d->n ? d->n : 1) * sizeof(*c->v));
	for (size_t i = 0; i < d->n; i++) {
		c->v[i].name = arena_strdup(&ix->arena, d->v[i].name);
		c->v[i].type = d->v[i].type;
	}
	map_put(&ix->dirs, arena_strdup(&ix->arena, dir), c);
	ix->dirty = true;
}

/* heap_copy gives the caller a heap array it may free (load_gofile_release). */
static void *heap_copy(const void *v, size_t n, size_t size, size_t *cap)
{
	void *c;

	*cap = n;
	if (n == 0)
		return NULL;
	c = xreallocarray(NULL, n, size);
	memcpy(c, v, n * size);
	return c;
}

bool load_scanindex_gofile(struct load_scanindex *ix, const char *path, struct load_gofile *gf,
                           bool *has_nul, bool *hdr_eof)
{
	const struct ix_file *f = find_file(ix, path);

	if (!f || f->kind != IX_KIND_GO)
		return false;
	*gf = f->gf;
	gf->imports.v = heap_copy(f->gf.imports.v, f->gf.imports.n, sizeof(*gf->imports.v), &gf->imports.cap);
	gf->embeds.v = heap_copy(f->gf.embeds.v, f->gf.embeds.n, sizeof(*gf->embeds.v), &gf->embeds.cap);
	gf->directives.v = heap_copy(f->gf.directives.v, f->gf.directives.n, sizeof(*gf->directives.v),
	                             &gf->directives.cap);
	*has_nul = f->has_nul;
	*hdr_eof = f->hdr_eof;
	return true;
}

bool load_scanindex_comments(struct load_scanindex *ix, const char *path, const char **hdr,
                             size_t *len)
{
	const struct ix_file *f = find_file(ix, path);

	if (!f || f->kind != IX_KIND_OTHER)
		return false;
	*hdr = f->hdr;
	*len = f->hdr_len;
	return true;
}

static const char *ix_strdup(struct load_scanindex *ix, const char *s)
{
	return s ? arena_strdup(&ix->arena, s) : NULL;
}

static struct ix_file *new_file(struct load_scanindex *ix, const char *path, unsigned kind)
{
	struct ix_file *f = arena_new(&ix->arena, struct ix_file);

	f->path = arena_strdup(&ix->arena, path);
	f->kind = kind;
	return f;
}

/*
 * header_keep is how much of a Go file's header the index keeps: build
 * constraint evaluation (go/build parseFileHeader, load_eval_build_lines)
 * stops at the first line holding non-comment text, which is at the latest
 * the line of the package clause's name; the imports after it only matter
 * to the header reader, whose results are stored separately.  Keeping the
 * header through that line gives the same evaluation and a smaller index.
 */
static size_t header_keep(const struct load_gofile *gf)
{
	int line = 1;

	if (!gf->pkg_name || gf->pkg_line < 1)
		return gf->header_len;
	for (size_t i = 0; i < gf->header_len; i++) {
		if (gf->header[i] != '\n')
			continue;
		if (line == gf->pkg_line)
			return i + 1;
		line++;
	}
	return gf->header_len;
}

void load_scanindex_put_gofile(struct load_scanindex *ix, const char *path, const struct load_gofile *gf,
                               bool has_nul, bool hdr_eof)
{
	struct ix_file *f;
	struct load_gofile *c;

	if (find_file(ix, path))
		return;
	f = new_file(ix, path, IX_KIND_GO);
	f->has_nul = has_nul;
	f->hdr_eof = hdr_eof;
	c = &f->gf;
	c->pkg_name = ix_strdup(ix, gf->pkg_name);
	c->pkg_line = gf->pkg_line;
	c->pkg_col = gf->pkg_col;
	c->doc = ix_strdup(ix, gf->doc);
	if (gf->header) {
		c->header_len = header_keep(gf);
		c->header = arena_strndup(&ix->arena, gf->header, c->header_len);
	}
	c->imports.n = c->imports.cap = gf->imports.n;
	c->imports.v = arena_alloc(&ix->arena, (gf->imports.n ? gf->imports.n : 1) * sizeof(*c->imports.v));
	for (size_t i = 0; i < gf->imports.n; i++) {
		c->imports.v[i] = gf->imports.v[i];
		c->imports.v[i].path = ix_strdup(ix, gf->imports.v[i].path);
		c->imports.v[i].doc = ix_strdup(ix, gf->imports.v[i].doc);
	}
	c->embeds.n = c->embeds.cap = gf->embeds.n;
	c->embeds.v = arena_alloc(&ix->arena, (gf->embeds.n ? gf->embeds.n : 1) * sizeof(*c->embeds.v));
	for (size_t i = 0; i < gf->embeds.n; i++) {
		c->embeds.v[i] = gf->embeds.v[i];
		c->embeds.v[i].pattern = ix_strdup(ix, gf->embeds.v[i].pattern);
	}
	c->directives.n = c->directives.cap = gf->directives.n;
	c->directives.v = arena_alloc(&ix->arena,
	                              (gf->directives.n ? gf->directives.n : 1) * sizeof(*c->directives.v));
	for (size_t i = 0; i < gf->directives.n; i++) {
		c->directives.v[i] = gf->directives.v[i];
		c->directives.v[i].text = ix_strdup(ix, gf->directives.v[i].text);
	}
	c->parse_error = ix_strdup(ix, gf->parse_error);
	c->parse_error_line = gf->parse_error_line;
	c->parse_error_col = gf->parse_error_col;
	c->parse_error_msg = ix_strdup(ix, gf->parse_error_msg);
	c->parse_error_plain = gf->parse_error_plain;
	c->read_error = ix_strdup(ix, gf->read_error);
	map_put(&ix->files, f->path, f);
	ix->dirty = true;
}

void load_scanindex_put_comments(struct load_scanindex *ix, const char *path, const char *hdr, size_t len)
{
	struct ix_file *f;

	if (find_file(ix, path))
		return;
	f = new_file(ix, path, IX_KIND_OTHER);
	f->hdr = arena_strndup(&ix->arena, hdr, len);
	f->hdr_len = len;
	map_put(&ix->files, f->path, f);
	ix->dirty = true;
}

bool load_scanindex_dirty(const struct load_scanindex *ix)
{
	return ix->dirty;
}

/* ---- encoding ----------------------------------------------------------- */

static void put_u32(struct buf *b, uint32_t v)
{
	unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
	                      (unsigned char)(v >> 24)};
	buf_add(b, c, 4);
}

/* put_int stores a line or column (never negative; clamped to be safe). */
static void put_int(struct buf *b, int v)
{
	put_u32(b, v < 0 ? 0 : (uint32_t)v);
}

static void put_bytes(struct buf *b, const char *s, size_t n)
{
	put_u32(b, (uint32_t)n);
	buf_add(b, s, n);
	buf_addch(b, 0);
}

static void put_str(struct buf *b, const char *s)
{
	if (!s)
		put_u32(b, IX_NULL);
	else
		put_bytes(b, s, strlen(s));
}

static void put_file(struct buf *b, const struct ix_file *f)
{
	const struct load_gofile *g = &f->gf;

	put_str(b, f->path);
	put_u32(b, f->kind);
	if (f->kind == IX_KIND_OTHER) {
		put_bytes(b, f->hdr, f->hdr_len);
		return;
	}
	put_u32(b, (f->has_nul ? IX_F_NUL : 0u) | (f->hdr_eof ? IX_F_HDR_EOF : 0u) |
	           (g->parse_error_plain ? IX_F_PLAIN : 0u));
	put_str(b, g->pkg_name);
	put_int(b, g->pkg_line);
	put_int(b, g->pkg_col);
	put_str(b, g->doc);
	if (g->header)
		put_bytes(b, g->header, g->header_len);
	else
		put_u32(b, IX_NULL);
	put_u32(b, (uint32_t)g->imports.n);
	for (size_t i = 0; i < g->imports.n; i++) {
		put_str(b, g->imports.v[i].path);
		put_int(b, g->imports.v[i].line);
		put_int(b, g->imports.v[i].col);
		put_str(b, g->imports.v[i].doc);
	}
	put_u32(b, (uint32_t)g->embeds.n);
	for (size_t i = 0; i < g->embeds.n; i++) {
		put_str(b, g->embeds.v[i].pattern);
		put_int(b, g->embeds.v[i].line);
		put_int(b, g->embeds.v[i].col);
	}
	put_u32(b, (uint32_t)g->directives.n);
	for (size_t i = 0; i < g->directives.n; i++) {
		put_str(b, g->directives.v[i].text);
		put_int(b, g->directives.v[i].line);
		put_int(b, g->directives.v[i].col);
	}
	put_str(b, g->parse_error);
	put_int(b, g->parse_error_line);
	put_int(b, g->parse_error_col);
	put_str(b, g->parse_error_msg);
	put_str(b, g->read_error);
}

/* Map keys in sorted order, so equal indexes encode to equal bytes. */
static const char **sorted_keys(const struct map *m)
{
	const char **keys = xreallocarray(NULL, m->n ? m->n : 1, sizeof(*keys));
	size_t it = 0, n = 0;
	const char *k;

	while (map_next(m, &it, &k, NULL))
		keys[n++] = k;
	if (n > 1)
		qsort(keys, n, sizeof(*keys), cmp_strptr);
	return keys;
}

static void set_u32(struct buf *b, size_t off, uint32_t v)
{
	unsigned char *c = (unsigned char *)b->data + off;

	c[0] = (unsigned char)v;
	c[1] = (unsigned char)(v >> 8);
	c[2] = (unsigned char)(v >> 16);
	c[3] = (unsigned char)(v >> 24);
}

static uint32_t crc_of(const char *p, size_t n)
{
	return hash_crc32c(0, p, n);
}

/* One directory's part of the file while encoding. */
struct ix_group {
	const struct load_dirents *d; /* NULL: no listing recorded */
	VEC(const struct ix_file *) files;
};

static struct ix_group *group_for(struct map *groups, const char *dir)
{
	struct ix_group *g = map_get(groups, dir);

	if (!g) {
		g = xcalloc(1, sizeof *g);
		map_put(groups, xstrdup(dir), g);
	}
	return g;
}

static int cmp_file_path(const void *a, const void *b)
{
	const struct ix_file *const *x = a, *const *y = b;

	return strcmp((*x)->path, (*y)->path);
}

static void put_record(struct buf *b, const struct ix_group *g)
{
	size_t rec_start = b->len, start;

	if (!g->d) {
		put_u32(b, IX_NULL);
	} else {
		put_u32(b, (uint32_t)g->d->n);
		for (size_t k = 0; k < g->d->n; k++) {
			put_str(b, g->d->v[k].name);
			put_u32(b, (uint32_t)g->d->v[k].type);
		}
	}
	put_u32(b, (uint32_t)g->files.n);
	start = b->len;
	for (size_t k = 0; k < g->files.n; k++)
		put_u32(b, 0);
	for (size_t k = 0; k < g->files.n; k++) {
		set_u32(b, start + 4 * k, (uint32_t)(b->len - rec_start));
		put_file(b, g->files.v[k]);
	}
}

static size_t load_all(struct load_scanindex *ix);

void load_scanindex_encode(struct load_scanindex *ix, struct buf *out)
{
	struct map groups;
	struct buf head = BUF_INIT, names = BUF_INIT, body = BUF_INIT;
	const char **keys;
	size_t it = 0, table_at, names_at;
	const char *k;
	void *v;

	/* what this run did not ask about is still in the file: keep it */
	load_all(ix);
	map_init(&groups);
	while (map_next(&ix->dirs, &it, &k, &v))
		group_for(&groups, k)->d = v;
	it = 0;
	while (map_next(&ix->files, &it, &k, &v)) {
		const char *slash = strrchr(k, '/');
		char *dir = xstrndup(k, slash ? (size_t)(slash - k) : 0);
		struct ix_group *g = group_for(&groups, dir);
		VEC_PUSH(&g->files, (const struct ix_file *)v);
		free(dir);
	}
	keys = sorted_keys(&groups);

	put_str(&head, ix->goroot_src);
	put_str(&head, ix->version);
	put_u32(&head, (uint32_t)groups.n);
	table_at = head.len;
	buf_grow(&head, groups.n * IX_ENT_LEN);
	for (size_t i = 0; i < groups.n * IX_ENT_LEN; i++)
		buf_addch(&head, 0);
	names_at = head.len;
	for (size_t i = 0; i < groups.n; i++) {
		struct ix_group *g = map_get(&groups, keys[i]);
		size_t name_off = names.len, rec_off = body.len;
		if (g->files.n > 1)
			qsort(g->files.v, g->files.n, sizeof(*g->files.v), cmp_file_path);
		put_str(&names, keys[i]);
		put_record(&body, g);
		/* offsets are fixed up below, once the head's length is known */
		set_u32(&head, table_at + i * IX_ENT_LEN, (uint32_t)name_off);
		set_u32(&head, table_at + i * IX_ENT_LEN + 4, (uint32_t)rec_off);
		set_u32(&head, table_at + i * IX_ENT_LEN + 8, (uint32_t)(body.len - rec_off));
		set_u32(&head, table_at + i * IX_ENT_LEN + 12, crc_of(body.data + rec_off, body.len - rec_off));
	}
	buf_add(&head, names.data, names.len);
	for (size_t i = 0; i < groups.n; i++) {
		const unsigned char *e = (const unsigned char *)head.data + table_at + i * IX_ENT_LEN;
		uint32_t name_off = (uint32_t)e[0] | (uint32_t)e[1] << 8 | (uint32_t)e[2] << 16 | (uint32_t)e[3] << 24;
		uint32_t rec_off = (uint32_t)e[4] | (uint32_t)e[5] << 8 | (uint32_t)e[6] << 16 | (uint32_t)e[7] << 24;
		set_u32(&head, table_at + i * IX_ENT_LEN, (uint32_t)(IX_HDR_LEN + names_at + name_off));
		set_u32(&head, table_at + i * IX_ENT_LEN + 4, (uint32_t)(IX_HDR_LEN + head.len + rec_off));
	}

	buf_reset(out);
	buf_add(out, IX_MAGIC, IX_MAGIC_LEN);
	put_u32(out, IX_FORMAT);
	put_u32(out, (uint32_t)head.len);
	put_u32(out, (uint32_t)(IX_HDR_LEN + head.len + body.len));
	put_u32(out, crc_of(head.data, head.len));
	buf_add(out, head.data, head.len);
	buf_add(out, body.data, body.len);

	it = 0;
	while (map_next(&groups, &it, &k, &v)) {
		struct ix_group *g = v;
		VEC_FREE(&g->files);
		free(g);
		free((char *)k);
	}
	map_release(&groups);
	free(keys);
	buf_release(&head);
	buf_release(&names);
	buf_release(&body);
}

/* ---- decoding ----------------------------------------------------------- */

/* A bounds-checked reader over the payload: any overrun sets bad, after
 * which every read returns zero values. */
struct rd {
	const char *p;
	size_t n, off;
	bool bad;
};

static uint32_t get_u32(struct rd *r)
{
	const unsigned char *c;

	if (r->bad || r->n - r->off < 4) {
		r->bad = true;
		return 0;
	}
	c = (const unsigned char *)r->p + r->off;
	r->off += 4;
	return (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 | (uint32_t)c[3] << 24;
}

static int get_int(struct rd *r)
{
	uint32_t v = get_u32(r);

	if (v > 0x7fffffffu)
		r->bad = true;
	return (int)(v & 0x7fffffffu);
}

/* get_bytes returns a NUL-terminated string inside the payload (NULL for
 * the null marker when allow_null) and its length. */
static const char *get_bytes(struct rd *r, size_t *len, bool allow_null)
{
	uint32_t n = get_u32(r);
	const char *s;

	*len = 0;
	if (r->bad)
		return NULL;
	if (n == IX_NULL) {
		if (!allow_null)
			r->bad = true;
		return NULL;
	}
	if (r->n - r->off < (size_t)n + 1 || r->p[r->off + n] != 0) {
		r->bad = true;
		return NULL;
	}
	s = r->p + r->off;
	r->off += (size_t)n + 1;
	*len = n;
	return s;
}

/* get_str is a C string: no NUL inside (the reader takes it by strlen). */
static const char *get_str(struct rd *r, bool allow_null)
{
	size_t n;
	const char *s = get_bytes(r, &n, allow_null);

	if (s && memchr(s, 0, n))
		r->bad = true;
	return s;
}

/* get_count reads an element count that the remaining bytes can hold
 * (each element takes at least min bytes), so a corrupt count cannot ask
 * for a huge allocation. */
static size_t get_count(struct rd *r, size_t min)
{
	uint32_t n = get_u32(r);

	if (r->bad || (size_t)n > (r->n - r->off) / min) {
		r->bad = true;
		return 0;
	}
	return n;
}

static void get_file(struct load_scanindex *ix, struct rd *r, struct ix_file *f)
{
	struct load_gofile *g = &f->gf;
	uint32_t flags;
	size_t n;

	f->path = get_str(r, false);
	f->kind = get_u32(r);
	if (f->kind == IX_KIND_OTHER) {
		f->hdr = get_bytes(r, &f->hdr_len, false);
		return;
	}
	if (f->kind != IX_KIND_GO) {
		r->bad = true;
		return;
	}
	flags = get_u32(r);
	if (flags & ~(uint32_t)(IX_F_NUL | IX_F_HDR_EOF | IX_F_PLAIN))
		r->bad = true;
	f->has_nul = flags & IX_F_NUL;
	f->hdr_eof = flags & IX_F_HDR_EOF;
	g->parse_error_plain = flags & IX_F_PLAIN;
	g->pkg_name = get_str(r, true);
	g->pkg_line = get_int(r);
	g->pkg_col = get_int(r);
	g->doc = get_str(r, true);
	g->header = get_bytes(r, &g->header_len, true);
	/* an import is at least a path (4+1), line, col and a null doc: 17 bytes */
	n = get_count(r, 17);
	g->imports.v = arena_alloc(&ix->arena, (n ? n : 1) * sizeof(*g->imports.v));
	g->imports.n = g->imports.cap = n;
	for (size_t i = 0; i < n && !r->bad; i++) {
		g->imports.v[i].path = get_str(r, false);
		g->imports.v[i].line = get_int(r);
		g->imports.v[i].col = get_int(r);
		g->imports.v[i].doc = get_str(r, true);
	}
	n = get_count(r, 13);
	g->embeds.v = arena_alloc(&ix->arena, (n ? n : 1) * sizeof(*g->embeds.v));
	g->embeds.n = g->embeds.cap = n;
	for (size_t i = 0; i < n && !r->bad; i++) {
		g->embeds.v[i].pattern = get_str(r, false);
		g->embeds.v[i].line = get_int(r);
		g->embeds.v[i].col = get_int(r);
	}
	n = get_count(r, 13);
	g->directives.v = arena_alloc(&ix->arena, (n ? n : 1) * sizeof(*g->directives.v));
	g->directives.n = g->directives.cap = n;
	for (size_t i = 0; i < n && !r->bad; i++) {
		g->directives.v[i].text = get_str(r, false);
		g->directives.v[i].line = get_int(r);
		g->directives.v[i].col = get_int(r);
	}
	g->parse_error = get_str(r, true);
	g->parse_error_line = get_int(r);
	g->parse_error_col = get_int(r);
	g->parse_error_msg = get_str(r, true);
	g->read_error = get_str(r, true);
}

static uint32_t le32(const unsigned char *c)
{
	return (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 | (uint32_t)c[3] << 24;
}

/* entry_name returns table entry i's directory name and its length
 * (checked at attach: a NUL-terminated string inside the head). */
static const char *entry_name(const struct load_scanindex *ix, size_t i, size_t *len)
{
	uint32_t off = le32(ix->table + i * IX_ENT_LEN);

	*len = le32((const unsigned char *)ix->base + off);
	return ix->base + off + 4;
}

/* cmp_name orders a bytewise string against dir[0:len] as strcmp would. */
static int cmp_name(const char *name, size_t nlen, const char *dir, size_t len)
{
	int c = memcmp(name, dir, nlen < len ? nlen : len);

	if (c != 0)
		return c;
	return nlen < len ? -1 : nlen > len;
}

/*
 * attach checks the header and the head of the file in base/len and sets
 * up the table; false (nothing kept) when the file is not a valid index
 * for ix's GOROOT and toolchain.
 */
static bool attach(struct load_scanindex *ix)
{
	const unsigned char *u = (const unsigned char *)ix->base;
	struct rd r = {0};
	size_t head_len, body_at, next_name, next_rec, ndirs;
	const char *prev = NULL, *s;
	size_t prev_len = 0;

	if (ix->len < IX_HDR_LEN || memcmp(u, IX_MAGIC, IX_MAGIC_LEN) != 0 || le32(u + 8) != IX_FORMAT)
		return false;
	head_len = le32(u + 12);
	if (le32(u + 16) != ix->len || head_len > ix->len - IX_HDR_LEN)
		return false;
	if (crc_of(ix->base + IX_HDR_LEN, head_len) != le32(u + 20))
		return false;
	r.p = ix->base + IX_HDR_LEN;
	r.n = head_len;
	s = get_str(&r, false);
	if (r.bad || strcmp(s, ix->goroot_src) != 0)
		return false;
	s = get_str(&r, false);
	if (r.bad || strcmp(s, ix->version) != 0)
		return false;
	/* a table entry and its name take at least IX_ENT_LEN + 5 bytes */
	ndirs = get_count(&r, IX_ENT_LEN + 5);
	if (r.bad)
		return false;
	ix->table = u + IX_HDR_LEN + r.off;
	r.off += ndirs * IX_ENT_LEN;
	body_at = IX_HDR_LEN + head_len;
	/* names follow the table back to back, records follow the head */
	next_name = IX_HDR_LEN + r.off;
	next_rec = body_at;
	for (size_t i = 0; i < ndirs; i++) {
		const unsigned char *e = ix->table + i * IX_ENT_LEN;
		size_t nlen;
		if (le32(e) != next_name || le32(e + 4) != next_rec)
			return false;
		s = get_str(&r, false);
		if (r.bad)
			return false;
		nlen = strlen(s);
		if (prev && cmp_name(prev, prev_len, s, nlen) >= 0)
			return false; /* out of order, or a directory twice */
		prev = s;
		prev_len = nlen;
		next_name = IX_HDR_LEN + r.off;
		if (le32(e + 8) > ix->len - next_rec)
			return false;
		next_rec += le32(e + 8);
	}
	if (r.off != r.n || next_rec != ix->len)
		return false;
	ix->ndirs = ndirs;
	ix->state = xcalloc(ndirs ? ndirs : 1, 1);
	ix->dirrec = xcalloc(ndirs ? ndirs : 1, sizeof(*ix->dirrec));
	return true;
}

/*
 * decode_record checks table entry i's record for directory dir and sets
 * up its ix_dir (the listing goes into ix's map, unless this run recorded
 * one); false (nothing added) when its checksum or layout is wrong.  The
 * files are decoded when asked for (record_file).
 */
static bool decode_record(struct load_scanindex *ix, size_t i, const char *dir, size_t dlen)
{
	const unsigned char *e = ix->table + i * IX_ENT_LEN;
	struct rd r = {ix->base + le32(e + 4), le32(e + 8), 0, false};
	struct load_dirents *d = NULL;
	struct ix_dir *x;
	size_t nfiles, prev = 0;

	if (crc_of(r.p, r.n) != le32(e + 12))
		return false;
	if (r.n >= 4 && le32((const unsigned char *)r.p) == IX_NULL) {
		r.off = 4; /* no listing recorded, only files */
	} else {
		uint32_t nents = (uint32_t)get_count(&r, 9);
		d = arena_new(&ix->arena, struct load_dirents);
		d->v = arena_alloc(&ix->arena, (nents ? nents : 1) * sizeof(*d->v));
		d->n = nents;
		for (size_t k = 0; k < nents && !r.bad; k++) {
			uint32_t t;
			d->v[k].name = get_str(&r, false);
			t = get_u32(&r);
			if (t > OS_FT_LNK)
				r.bad = true;
			d->v[k].type = (enum os_ftype)t;
		}
	}
	/* an offset and the smallest file (path, kind, comment block): 4 + 14 */
	nfiles = get_count(&r, 18);
	if (r.bad)
		return false;
	x = arena_new(&ix->arena, struct ix_dir);
	x->dir = dir;
	x->dlen = dlen;
	x->rec = r.p;
	x->len = r.n;
	x->offs = (const unsigned char *)r.p + r.off;
	x->nfiles = nfiles;
	r.off += 4 * nfiles;
	/* the files follow the offsets back to back, in order */
	for (size_t k = 0; k < nfiles; k++) {
		size_t off = le32(x->offs + 4 * k);
		if (off < r.off || off >= r.n || (k > 0 && off <= prev))
			return false;
		prev = off;
	}
	if (nfiles == 0 && r.off != r.n)
		return false;
	x->file = arena_alloc(&ix->arena, (nfiles ? nfiles : 1) * sizeof(*x->file));
	x->fstate = arena_alloc(&ix->arena, nfiles ? nfiles : 1);
	if (d && !map_has(&ix->dirs, dir))
		map_put(&ix->dirs, dir, d);
	ix->dirrec[i] = x;
	return true;
}

/* file_path reads the path at the start of d's file k, or NULL when it is
 * not a string inside the record. */
static const char *file_path(const struct ix_dir *d, size_t k, size_t *len)
{
	struct rd r = {d->rec, d->len, le32(d->offs + 4 * k), false};
	const char *p = get_bytes(&r, len, false);

	return r.bad ? NULL : p;
}

/* decode_file decodes d's file k, once; NULL when it is bad. */
static struct ix_file *decode_file(struct load_scanindex *ix, struct ix_dir *d, size_t k)
{
	struct rd r = {d->rec, d->len, le32(d->offs + 4 * k), false};
	size_t end = k + 1 < d->nfiles ? le32(d->offs + 4 * (k + 1)) : d->len;
	struct ix_file *f;

	if (d->fstate[k] != IX_REC_UNREAD)
		return d->file[k];
	d->fstate[k] = IX_REC_BAD;
	f = arena_new(&ix->arena, struct ix_file);
	get_file(ix, &r, f);
	/* exactly its span, and a file of this directory */
	if (r.bad || r.off != end || strncmp(f->path, d->dir, d->dlen) != 0 || f->path[d->dlen] != '/' ||
	    !f->path[d->dlen + 1] || strchr(f->path + d->dlen + 1, '/'))
		return NULL;
	d->fstate[k] = IX_REC_READ;
	d->file[k] = f;
	return f;
}

/* record_file finds path among d's files (sorted: a binary search) and
 * decodes it; NULL when it is not there or bad. */
static struct ix_file *record_file(struct load_scanindex *ix, struct ix_dir *d, const char *path)
{
	size_t lo = 0, hi = d->nfiles, plen = strlen(path);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, nlen;
		const char *name = file_path(d, mid, &nlen);
		int c;
		if (!name)
			return NULL;
		c = cmp_name(name, nlen, path, plen);
		if (c == 0)
			return decode_file(ix, d, mid);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void decode_entry(struct load_scanindex *ix, size_t i)
{
	size_t nlen;
	const char *name = entry_name(ix, i, &nlen);

	ix->state[i] = decode_record(ix, i, name, nlen) ? IX_REC_READ : IX_REC_BAD;
}

/* ensure_dir decodes the record of dir[0:len], if the file has one not
 * yet decoded (a binary search of the sorted table), and returns its
 * table index, or IX_NONE. */
static size_t ensure_dir(struct load_scanindex *ix, const char *dir, size_t len)
{
	size_t lo = 0, hi = ix->ndirs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, nlen;
		const char *name = entry_name(ix, mid, &nlen);
		int c = cmp_name(name, nlen, dir, len);
		if (c == 0) {
			if (ix->state[mid] == IX_REC_UNREAD)
				decode_entry(ix, mid);
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return IX_NONE;
}

/* load_all decodes every record and file not decoded yet, and moves the
 * files into the map (what encoding writes); returns how many records
 * and files were bad. */
static size_t load_all(struct load_scanindex *ix)
{
	size_t bad = 0;

	for (size_t i = 0; i < ix->ndirs; i++) {
		struct ix_dir *d;
		if (ix->state[i] == IX_REC_UNREAD)
			decode_entry(ix, i);
		if (ix->state[i] != IX_REC_READ) {
			bad++;
			continue;
		}
		d = ix->dirrec[i];
		for (size_t k = 0; k < d->nfiles; k++) {
			struct ix_file *f = decode_file(ix, d, k);
			if (!f)
				bad++;
			else if (!map_has(&ix->files, f->path))
				map_put(&ix->files, f->path, f);
		}
	}
	return bad;
}

size_t load_scanindex_check_all(struct load_scanindex *ix)
{
	return load_all(ix);
}

int load_scanindex_decode(struct load_scanindex *ix, struct buf *data)
{
	drop_file(ix);
	/* decoded strings point into the bytes: keep them for the index's life */
	ix->base = data->data;
	ix->len = data->len;
	buf_init(data);
	if (!attach(ix)) {
		drop_file(ix);
		return -1;
	}
	return 0;
}

/* open_file maps path as ix's file; a missing, unreadable or invalid file
 * leaves ix empty. */
static void open_file(struct load_scanindex *ix, const char *path)
{
	struct err e = ERR_INIT;
	const void *p;
	size_t n;

	if (os_map_file(path, IX_MAX_SIZE, &p, &n, &e) < 0) {
		err_clear(&e);
		return;
	}
	ix->base = p;
	ix->len = n;
	ix->mapped = true;
	if (!attach(ix))
		drop_file(ix);
}

/* ---- the loader's index: enablement, lazy load, save -------------------- */

/*
 * index_path returns the index file for ld's GOROOT and toolchain (heap),
 * or NULL when the index is off: GOTOOLCACHE=off, no usable cache
 * directory, or a development toolchain (whose GOROOT may change under the
 * same version, the reason modindex does not trust GOROOT either).
 */
static char *index_path(struct load_state *ld)
{
	const char *env = getenv("GOTOOLCACHE"), *version = ld->cfg->tc.version;
	char *base = NULL, *key, *dir, *path;
	unsigned char sum[32];
	char hex[65];
	struct err e = ERR_INIT;

	if (!version || !version[0] || has_prefix(version, "devel"))
		return NULL;
	if (env && env[0]) {
		if (strcmp(env, "off") == 0 || !path_is_abs(env))
			return NULL;
		base = xstrdup(env);
	} else {
		char *user = cfg_user_cache_dir(&e);
		err_clear(&e);
		if (!user)
			return NULL;
		base = path_join(user, "gotool");
		free(user);
	}
	key = xasprintf("%s\n%s\n%u", ld->goroot_src, version, IX_FORMAT);
	hash_sha256(key, strlen(key), sum);
	hash_hex(sum, sizeof sum, hex);
	dir = path_join(base, "scanindex");
	path = path_join(dir, hex);
	free(key);
	free(dir);
	free(base);
	return path;
}

struct load_scanindex *load_scanindex_for(struct load_state *ld, const char *dir)
{
	if (ld->scanindex_state < 0 || !path_has_prefix_dir(dir, ld->goroot_src))
		return NULL;
	if (ld->scanindex_state == 0) {
		ld->scanindex_state = -1;
		ld->scanindex_path = index_path(ld);
		if (!ld->scanindex_path)
			return NULL;
		ld->scanindex = load_scanindex_new(ld->goroot_src, ld->cfg->tc.version);
		open_file(ld->scanindex, ld->scanindex_path);
		ld->scanindex_state = 1;
	}
	return ld->scanindex;
}

void load_scanindex_finish(struct load_state *ld)
{
	struct buf out = BUF_INIT;
	struct err e = ERR_INIT;
	char *dir = NULL;

	if (!ld->scanindex || !ld->scanindex->dirty)
		goto out;
	/* the index is only a cache: failing to save it changes nothing */
	dir = path_dir(ld->scanindex_path);
	if (os_mkdir_all(dir, 0777, &e) < 0)
		goto out;
	load_scanindex_encode(ld->scanindex, &out);
	if (out.len > IX_MAX_SIZE)
		goto out;
	os_write_file_atomic(ld->scanindex_path, out.data, out.len, 0666, &e);
out:
	err_clear(&e);
	buf_release(&out);
	free(dir);
	load_scanindex_free(ld->scanindex);
	ld->scanindex = NULL;
	free(ld->scanindex_path);
	ld->scanindex_path = NULL;
	ld->scanindex_state = -1;
}

/* ---- directory questions answered from listings ------------------------- */

bool load_dir_has_go_files(struct load_state *ld, const char *dir)
{
	struct err e = ERR_INIT;
	const struct load_dirents *d = load_dir_entries(ld, dir, &e);

	err_clear(&e);
	if (!d)
		return false;
	for (size_t i = 0; i < d->n; i++) {
		bool found = false;
		if (!has_suffix(d->v[i].name, ".go"))
			continue;
		if (d->v[i].type == OS_FT_REG) {
			found = true;
		} else if (d->v[i].type == OS_FT_LNK) {
			/* a link counts when it leads to a regular file */
			char *full = path_join(dir, d->v[i].name);
			found = os_is_regular(full);
			free(full);
		}
		if (found)
			return true;
	}
	return false;
}

bool load_dir_is_dir(struct load_state *ld, const char *path)
{
	struct err e = ERR_INIT;
	char *parent = path_dir(path);
	const char *base = path_base(path);
	const struct load_dirents *d = NULL;
	bool is_dir = false, known = false;

	/* only a clean absolute path below its parent maps to a listing entry */
	if (path_is_abs(path) && strcmp(parent, path) != 0 && base[0] && !strchr(base, '/') && strcmp(base, ".") != 0 &&
	    strcmp(base, "..") != 0)
		d = load_dir_entries(ld, parent, &e);
	err_clear(&e);
	if (d) {
		size_t lo = 0, hi = d->n;
		known = true;
		/* listings are sorted by name (bytewise) */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = strcmp(d->v[mid].name, base);
			if (c == 0) {
				is_dir = d->v[mid].type == OS_FT_DIR;
				known = d->v[mid].type != OS_FT_LNK;
				break;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	if (!known)
		is_dir = os_is_dir(path);
	free(parent);
	return is_dir;
}
