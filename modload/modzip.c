/*
 * Module zips: a read-only zip reader over zlib, the module zip checks and
 * extraction of golang.org/x/mod/zip (CheckZip, Unzip), and the h1 hash of
 * golang.org/x/mod/sumdb/dirhash (Hash1, HashZip, HashDir) plus
 * modfetch.goModSum.
 *
 * The reader mirrors what go's archive/zip accepts, since a zip go takes
 * must be one gotool takes and the other way round: the end record is
 * searched in the last 1 KiB then 65 KiB, zip64 records and extra fields
 * are followed, a prepended stub (base offset) is allowed, and an entry's
 * content is checked against its declared size and CRC-32 as archive/zip's
 * checksumReader checks it.  Only stored (0) and deflate (8) entries are
 * read, as in archive/zip.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "modload/modfile_internal.h"
#include "modload/modload.h"
#include "modload/zipfold.h"

/* archive/zip's error values, printed as go prints them. */
#define ZIP_ERR_FORMAT "zip: not a valid zip file"
#define ZIP_ERR_ALGORITHM "zip: unsupported compression algorithm"
#define ZIP_ERR_CHECKSUM "zip: checksum error"

enum {
	ZIP_FILE_HEADER_SIG = 0x04034b50,
	ZIP_DIR_HEADER_SIG = 0x02014b50,
	ZIP_DIR_END_SIG = 0x06054b50,
	ZIP_DIR64_LOC_SIG = 0x07064b50,
	ZIP_DIR64_END_SIG = 0x06064b50,
	ZIP_DATA_DESC_SIG = 0x08074b50,
	ZIP_FILE_HEADER_LEN = 30,
	ZIP_DIR_HEADER_LEN = 46,
	ZIP_DIR_END_LEN = 22,
	ZIP_DIR64_LOC_LEN = 20,
	ZIP_DIR64_END_LEN = 56,
	ZIP64_EXTRA_ID = 0x0001,
};

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* ---- reading the central directory -------------------------------------- */

struct zip_end {
	uint64_t records, dir_size, dir_offset;
};

/*
 * zip_find_end mirrors readDirectoryEnd: the end record's signature is
 * searched backwards in the last 1 KiB, then the last 65 KiB, and accepted
 * only where its comment length fits in what follows it.
 */
static int zip_find_end(const unsigned char *d, size_t size, size_t *endoff)
{
	static const size_t lens[] = {1024, 65 * 1024};
	for (size_t k = 0; k < countof(lens); k++) {
		size_t blen = lens[k] < size ? lens[k] : size;
		const unsigned char *b = d + size - blen;
		/* findSignatureInBlock */
		for (size_t i = blen >= ZIP_DIR_END_LEN ? blen - ZIP_DIR_END_LEN + 1 : 0; i-- > 0;) {
			if (get32(b + i) == ZIP_DIR_END_SIG) {
				size_t n = get16(b + i + ZIP_DIR_END_LEN - 2);
				if (n + ZIP_DIR_END_LEN + i <= blen) {
					*endoff = size - blen + i;
					return 0;
				}
			}
		}
		if (k == 1 || blen == size)
			break;
	}
	return -1;
}

/* zip_read_end mirrors readDirectoryEnd and its zip64 helpers; fills end and
 * the base offset (bytes prepended to the archive). */
static int zip_read_end(const unsigned char *d, size_t size, struct zip_end *end, int64_t *base, struct err *e)
{
	size_t off;
	if (zip_find_end(d, size, &off) < 0)
		return err_setf(e, ZIP_ERR_FORMAT);
	const unsigned char *b = d + off + 4;
	end->records = get16(b + 6);
	end->dir_size = get32(b + 8);
	end->dir_offset = get32(b + 12);
	uint64_t endoff = off;
	if (end->records == 0xffff || end->dir_size == 0xffff || end->dir_offset == 0xffffffff) {
		/* findDirectory64End: a locator just before the end record */
		if (off >= ZIP_DIR64_LOC_LEN) {
			const unsigned char *l = d + off - ZIP_DIR64_LOC_LEN;
			if (get32(l) == ZIP_DIR64_LOC_SIG && get32(l + 4) == 0 && get32(l + 16) == 1) {
				uint64_t p = get64(l + 8);
				if (p > size || size - p < ZIP_DIR64_END_LEN)
					return err_setf(e, "unexpected EOF");
				const unsigned char *r = d + p;
				if (get32(r) != ZIP_DIR64_END_SIG)
					return err_setf(e, ZIP_ERR_FORMAT);
				end->records = get64(r + 32);
				end->dir_size = get64(r + 40);
				end->dir_offset = get64(r + 48);
				endoff = p;
			}
		}
	}
	uint64_t max = (uint64_t)INT64_MAX;
	if (end->dir_size > max || end->dir_offset > max)
		return err_setf(e, ZIP_ERR_FORMAT);
	int64_t bo = (int64_t)endoff - (int64_t)end->dir_size - (int64_t)end->dir_offset;
	int64_t o = bo + (int64_t)end->dir_offset;
	if (o < 0 || (uint64_t)o >= size)
		return err_setf(e, ZIP_ERR_FORMAT);
	/* Prefer base 0 when the directory is where the record says it is. */
	if (bo > 0 && end->dir_offset + 4 <= size && get32(d + end->dir_offset) == ZIP_DIR_HEADER_SIG)
		bo = 0;
	*base = bo;
	return 0;
}

/*
 * zip_read_header mirrors readDirectoryHeader at d[*pos..size).  Returns 0
 * with f filled, 1 for the archive/zip errors that end the directory
 * (ErrFormat, ErrUnexpectedEOF: *why says which), -1 for other errors.
 */
static int zip_read_header(const unsigned char *d, size_t size, size_t *pos, struct mod_zip_file *f,
			   const char **why)
{
	size_t p = *pos;
	if (p >= size) {
		*why = "EOF";
		return -1;
	}
	if (size - p < ZIP_DIR_HEADER_LEN) {
		*why = "unexpected EOF";
		return 1;
	}
	const unsigned char *b = d + p;
	if (get32(b) != ZIP_DIR_HEADER_SIG) {
		*why = ZIP_ERR_FORMAT;
		return 1;
	}
	f->flags = get16(b + 8);
	f->method = get16(b + 10);
	f->crc32 = get32(b + 16);
	uint32_t csize = get32(b + 20), usize = get32(b + 24);
	size_t nlen = get16(b + 28), xlen = get16(b + 30), clen = get16(b + 32);
	f->external_attrs = get32(b + 38);
	uint32_t hoff = get32(b + 42);
	f->csize = csize;
	f->usize = usize;
	f->header_offset = hoff;
	if (size - p - ZIP_DIR_HEADER_LEN < nlen + xlen + clen) {
		*why = "unexpected EOF";
		return 1;
	}
	const unsigned char *name = b + ZIP_DIR_HEADER_LEN;
	if (memchr(name, '\0', nlen) != NULL) {
		/* Go would carry the NUL into the name and CheckFilePath would
		 * refuse it; a C string cannot hold it, so refuse it here. */
		*why = ZIP_ERR_FORMAT;
		return 1;
	}
	bool need_u = usize == 0xffffffffu, need_c = csize == 0xffffffffu, need_o = hoff == 0xffffffffu;
	const unsigned char *x = name + nlen, *xend = x + xlen;
	while (xend - x >= 4) {
		uint16_t tag = get16(x);
		size_t fsize = get16(x + 2);
		x += 4;
		if ((size_t)(xend - x) < fsize)
			break;
		const unsigned char *fb = x, *fe = x + fsize;
		x += fsize;
		if (tag != ZIP64_EXTRA_ID)
			continue;
		if (need_u) {
			need_u = false;
			if (fe - fb < 8)
				goto bad;
			f->usize = get64(fb);
			fb += 8;
		}
		if (need_c) {
			need_c = false;
			if (fe - fb < 8)
				goto bad;
			f->csize = get64(fb);
			fb += 8;
		}
		if (need_o) {
			need_o = false;
			if (fe - fb < 8)
				goto bad;
			f->header_offset = get64(fb);
		}
	}
	if (need_c || need_o)
		goto bad;
	f->name = xstrndup((const char *)name, nlen);
	*pos = p + ZIP_DIR_HEADER_LEN + nlen + xlen + clen;
	return 0;
bad:
	*why = ZIP_ERR_FORMAT;
	return 1;
}

int mod_zip_open_mem(struct mod_zip *z, const void *data, size_t n, struct err *e)
{
	struct zip_end end = {0};
	int64_t base = 0;
	const char *why = NULL;

	memset(z, 0, sizeof(*z));
	z->data = data;
	z->size = n;
	if (zip_read_end(z->data, n, &end, &base, e) < 0)
		return -1;
	/* The directory count is truncated to 16 bits in the end record: read
	 * headers until a bad one, then compare counts modulo 65536. */
	size_t pos = (size_t)(base + (int64_t)end.dir_offset);
	for (;;) {
		struct mod_zip_file f = {0};
		int rc = zip_read_header(z->data, n, &pos, &f, &why);
		if (rc == 1)
			break;
		if (rc < 0) {
			mod_zip_close(z);
			return err_setf(e, "%s", why);
		}
		f.header_offset += (uint64_t)base;
		VEC_PUSH(&z->files, f);
	}
	if ((uint16_t)z->files.n != (uint16_t)end.records) {
		mod_zip_close(z);
		return err_setf(e, "%s", why);
	}
	return 0;
}

int mod_zip_open(struct mod_zip *z, const char *path, struct err *e)
{
	const void *data = NULL;
	size_t n = 0;

	memset(z, 0, sizeof(*z));
	if (os_map_file(path, 0, &data, &n, e) < 0)
		return -1;
	if (mod_zip_open_mem(z, data, n, e) < 0) {
		os_unmap_file(data, n);
		return -1;
	}
	z->mapped = true;
	return 0;
}

void mod_zip_close(struct mod_zip *z)
{
	for (size_t i = 0; i < z->files.n; i++)
		free(z->files.v[i].name);
	VEC_FREE(&z->files);
	if (z->mapped)
		os_unmap_file(z->data, z->size);
	memset(z, 0, sizeof(*z));
}

/* ---- reading an entry --------------------------------------------------- */

struct zip_sum {
	mod_zip_sink fn;
	void *ctx;
	const struct mod_zip_file *f;
	uint64_t nread;
	uLong crc;
};

/* zip_sum_write is checksumReader.Read's accounting for one chunk. */
static int zip_sum_write(struct zip_sum *s, const unsigned char *p, size_t n, struct err *e)
{
	if (n == 0)
		return 0;
	s->crc = crc32(s->crc, p, (uInt)n);
	s->nread += n;
	if (s->nread > s->f->usize)
		return err_setf(e, ZIP_ERR_FORMAT);
	return s->fn(s->ctx, p, n, e) != 0 ? -1 : 0;
}

/* zip_sum_end is checksumReader.Read at EOF: size, data descriptor, CRC. */
static int zip_sum_end(const struct mod_zip *z, struct zip_sum *s, uint64_t desc_off, struct err *e)
{
	const struct mod_zip_file *f = s->f;
	if (s->nread != f->usize)
		return err_setf(e, "unexpected EOF");
	if (f->flags & 0x8) {
		/* readDataDescriptor: optional signature, then the CRC-32 that
		 * must match the directory's. */
		/* (a csize past the file would wrap desc_off: nothing is left) */
		size_t left = f->csize <= z->size && desc_off < z->size ? z->size - (size_t)desc_off : 0;
		const unsigned char *b = z->data + (desc_off < z->size ? desc_off : z->size);
		if (left < 4)
			return err_setf(e, "unexpected EOF");
		/* signature (4) + CRC, sizes' first 8 bytes; or CRC + 8 bytes */
		size_t need = get32(b) == ZIP_DATA_DESC_SIG ? 16 : 12;
		if (left < need)
			return err_setf(e, "unexpected EOF");
		if (need == 16)
			b += 4;
		if (get32(b) != f->crc32 || (uint32_t)s->crc != f->crc32)
			return err_setf(e, ZIP_ERR_CHECKSUM);
	} else if (f->crc32 != 0 && (uint32_t)s->crc != f->crc32) {
		return err_setf(e, ZIP_ERR_CHECKSUM);
	}
	return 0;
}

int mod_zip_read(const struct mod_zip *z, size_t i, mod_zip_sink fn, void *ctx, struct err *e)
{
	const struct mod_zip_file *f = &z->files.v[i];
	struct zip_sum s = {fn, ctx, f, 0, crc32(0, Z_NULL, 0)};
	unsigned char *out = NULL;
	z_stream zs;
	bool zs_init = false;
	int rc = -1;

	/* findBodyOffset: the local header's name and extra lengths. */
	if (f->header_offset > z->size || z->size - f->header_offset < ZIP_FILE_HEADER_LEN)
		return err_setf(e, "EOF");
	const unsigned char *h = z->data + f->header_offset;
	if (get32(h) != ZIP_FILE_HEADER_SIG)
		return err_setf(e, ZIP_ERR_FORMAT);
	uint64_t body = f->header_offset + ZIP_FILE_HEADER_LEN + get16(h + 26) + get16(h + 28);
	size_t nlen = strlen(f->name);
	if (nlen > 0 && f->name[nlen - 1] == '/') {
		/* A directory entry reads as empty (dirReader). */
		return f->usize != 0 ? err_setf(e, ZIP_ERR_FORMAT) : 0;
	}
	/* The body is a section of csize bytes, cut at the end of the file. */
	size_t avail = body < z->size ? z->size - (size_t)body : 0;
	const unsigned char *in = z->data + (body < z->size ? body : z->size);
	size_t inlen = f->csize < avail ? (size_t)f->csize : avail;
	if (f->method == 0) {
		if (zip_sum_write(&s, in, inlen, e) < 0)
			goto out;
	} else if (f->method == 8) {
		enum { CHUNK = 64 * 1024 };
		out = xmalloc(CHUNK);
		memset(&zs, 0, sizeof(zs));
		if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
			BUG("inflateInit2");
		zs_init = true;
		size_t used = 0;
		for (;;) {
			/* avail_in is a uInt: feed large bodies a piece at a time. */
			if (zs.avail_in == 0 && used < inlen) {
				size_t piece = inlen - used < (1u << 30) ? inlen - used : (1u << 30);
				zs.next_in = (Bytef *)(in + used);
				zs.avail_in = (uInt)piece;
				used += piece;
			}
			zs.next_out = out;
			zs.avail_out = CHUNK;
			int zr = inflate(&zs, Z_NO_FLUSH);
			if (zip_sum_write(&s, out, CHUNK - zs.avail_out, e) < 0)
				goto out;
			if (zr == Z_STREAM_END)
				break;
			if (zr == Z_BUF_ERROR && zs.avail_in == 0 && used == inlen) {
				/* flate ran out of input: io.ErrUnexpectedEOF */
				err_setf(e, "unexpected EOF");
				goto out;
			}
			if (zr != Z_OK && zr != Z_BUF_ERROR) {
				err_setf(e, "flate: corrupt input before offset %llu", (unsigned long long)zs.total_in);
				goto out;
			}
		}
	} else {
		err_setf(e, ZIP_ERR_ALGORITHM);
		goto out;
	}
	if (f->method == 0 && inlen < f->csize) {
		err_setf(e, "unexpected EOF");
		goto out;
	}
	if (zip_sum_end(z, &s, body + f->csize, e) < 0)
		goto out;
	rc = 0;
out:
	if (zs_init)
		inflateEnd(&zs);
	free(out);
	return rc;
}

/* ---- zip.CheckZip --------------------------------------------------------- */

void mod_zip_checked_release(struct mod_zip_checked *cf)
{
	strvec_clear(&cf->valid);
	strvec_clear(&cf->invalid);
	free(cf->size_error);
	cf->size_error = NULL;
}

/*
 * A collision checker (zip's collisionChecker): folded path → the first
 * path seen and whether it was a directory.
 */
/* fold_min is the smallest rune of r's unicode.SimpleFold orbit. */
static uint32_t fold_min(uint32_t r)
{
	size_t lo = 0, hi = countof(fold_min_tab);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (fold_min_tab[mid][0] < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < countof(fold_min_tab) && fold_min_tab[lo][0] == r ? fold_min_tab[lo][1] : r;
}

/* str_to_fold mirrors zip's strToFold: EqualFold(s, t) iff the results are
 * equal.  Each rune becomes the smallest of its fold orbit, then A-Z are
 * lowered; invalid UTF-8 becomes U+FFFD as Go's range loop yields it. */
static char *str_to_fold(const char *s)
{
	struct buf b = BUF_INIT;
	size_t n = strlen(s), i = 0, sz;
	while (i < n) {
		uint32_t r = mod_utf8_decode(s + i, n - i, &sz);
		i += sz;
		r = fold_min(r);
		if (r >= 'A' && r <= 'Z')
			r += 'a' - 'A';
		mod_utf8_append(&b, r);
	}
	return buf_detach(&b);
}

struct coll_info {
	char *path;
	bool is_dir;
};
struct coll {
	struct map m;
	struct strvec keys; /* owns the folded keys */
	VEC(struct coll_info *) infos;
};

static void coll_release(struct coll *c)
{
	for (size_t i = 0; i < c->infos.n; i++) {
		free(c->infos.v[i]->path);
		free(c->infos.v[i]);
	}
	VEC_FREE(&c->infos);
	map_release(&c->m);
	strvec_clear(&c->keys);
}

static void quote(struct buf *b, const char *s)
{
	mod_quote(b, s, strlen(s));
}

/* coll_check mirrors collisionChecker.check (iteratively over parents). */
static int coll_check(struct coll *c, const char *p0, bool is_dir, struct buf *why)
{
	char *p = xstrdup(p0);
	int rc = 0;
	for (;;) {
		char *fold = str_to_fold(p);
		struct coll_info *other = map_get(&c->m, fold);
		if (other) {
			free(fold);
			if (strcmp(p, other->path) != 0) {
				buf_adds(why, "case-insensitive file name collision: ");
				quote(why, other->path);
				buf_adds(why, " and ");
				quote(why, p);
				rc = -1;
				break;
			}
			if (is_dir != other->is_dir) {
				buf_adds(why, "entry ");
				quote(why, p);
				buf_adds(why, " is both a file and a directory");
				rc = -1;
				break;
			}
			if (!is_dir) {
				buf_adds(why, "multiple entries for file ");
				quote(why, p);
				rc = -1;
				break;
			}
		} else {
			struct coll_info *ci = xmalloc(sizeof(*ci));
			ci->path = xstrdup(p);
			ci->is_dir = is_dir;
			VEC_PUSH(&c->infos, ci);
			strvec_push_take(&c->keys, fold);
			map_put(&c->m, fold, ci);
		}
		char *slash = strrchr(p, '/');
		if (!slash)
			break;
		*slash = '\0';
		is_dir = true;
	}
	free(p);
	return rc;
}

static void add_invalid(struct mod_zip_checked *cf, const char *name, const char *why)
{
	strvec_push_take(&cf->invalid, xasprintf("%s: %s", name, why));
}

/* zip_checked_err is CheckedFiles.Err: the size error, else the invalid
 * files one per line. */
static int zip_checked_err(const struct mod_zip_checked *cf, struct err *e)
{
	if (cf->size_error)
		return err_setf(e, "%s", cf->size_error);
	if (cf->invalid.n == 0)
		return 0;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < cf->invalid.n; i++) {
		if (i)
			buf_addch(&b, '\n');
		buf_adds(&b, cf->invalid.v[i]);
	}
	err_setf(e, "%s", buf_cstr(&b));
	buf_release(&b);
	return -1;
}

/* mirrors golang.org/x/mod/zip: checkZip */
int mod_zip_check(const struct mod_zip *z, uint64_t zip_size, const char *path, const char *version,
		  struct mod_zip_checked *cfout, struct err *e)
{
	struct mod_zip_checked cf = {0};
	struct coll coll = {0};
	struct buf why = BUF_INIT, prefixq = BUF_INIT;
	char *cv = mod_canonical_version(version), *prefix = NULL;
	uint64_t size = 0;
	int rc = -1;

	map_init(&coll.m);
	if (strcmp(cv, version) != 0) {
		struct buf b = BUF_INIT;
		buf_adds(&b, "version ");
		quote(&b, version);
		buf_adds(&b, " is not canonical (should be ");
		quote(&b, cv);
		buf_adds(&b, ")");
		err_setf(e, "%s", buf_cstr(&b));
		buf_release(&b);
		goto out;
	}
	if (mod_check_module(path, version, e) < 0)
		goto out;
	if (zip_size > MOD_MAX_ZIP_FILE) {
		cf.size_error = xasprintf("module zip file is too large (%llu bytes; limit is %llu bytes)",
					  (unsigned long long)zip_size, (unsigned long long)MOD_MAX_ZIP_FILE);
		rc = zip_checked_err(&cf, e);
		goto out;
	}
	prefix = xasprintf("%s@%s/", path, version);
	quote(&prefixq, prefix);
	size_t plen = strlen(prefix);
	for (size_t i = 0; i < z->files.n; i++) {
		const struct mod_zip_file *zf = &z->files.v[i];
		buf_reset(&why);
		if (!has_prefix(zf->name, prefix)) {
			buf_printf(&why, "path does not have prefix %s", buf_cstr(&prefixq));
			add_invalid(&cf, zf->name, buf_cstr(&why));
			continue;
		}
		const char *rest = zf->name + plen;
		if (*rest == '\0')
			continue;
		char *name = xstrdup(rest);
		size_t nl = strlen(name);
		bool is_dir = name[nl - 1] == '/';
		if (is_dir)
			name[--nl] = '\0';
		char *clean = path_clean(name);
		bool is_clean = strcmp(clean, name) == 0;
		free(clean);
		struct err fe = ERR_INIT;
		if (!is_clean) {
			add_invalid(&cf, zf->name, "file path is not clean");
		} else if (mod_check_file_path(name, &fe) < 0) {
			add_invalid(&cf, zf->name, err_msg(&fe));
		} else if (coll_check(&coll, name, is_dir, &why) < 0) {
			add_invalid(&cf, zf->name, buf_cstr(&why));
		} else if (!is_dir) {
			const char *base = path_base(name);
			bool bad = false;
			if (strcasecmp(base, "go.mod") == 0) {
				if (base != name) {
					add_invalid(&cf, zf->name, "go.mod file not in module root directory");
					bad = true;
				} else if (strcmp(name, "go.mod") != 0) {
					add_invalid(&cf, zf->name, "go.mod files must have lowercase names");
					bad = true;
				}
			}
			if (!bad) {
				/* int64 as in go: a size past 2^63 is negative, so it
				 * trips only the total-size check below. */
				int64_t sz = (int64_t)zf->usize;
				if (sz >= 0 && (int64_t)(MOD_MAX_ZIP_FILE - size) >= sz)
					size += (uint64_t)sz;
				else if (!cf.size_error)
					cf.size_error = xasprintf("total uncompressed size of module contents too large "
								  "(max size is %llu bytes)",
								  (unsigned long long)MOD_MAX_ZIP_FILE);
				if (strcmp(name, "go.mod") == 0 && sz > (int64_t)MOD_MAX_GOMOD) {
					buf_reset(&why);
					buf_printf(&why, "go.mod file too large (max size is %llu bytes)",
						   (unsigned long long)MOD_MAX_GOMOD);
					add_invalid(&cf, zf->name, buf_cstr(&why));
				} else if (strcmp(name, "LICENSE") == 0 && sz > (int64_t)MOD_MAX_LICENSE) {
					buf_reset(&why);
					buf_printf(&why, "LICENSE file too large (max size is %llu bytes)",
						   (unsigned long long)MOD_MAX_LICENSE);
					add_invalid(&cf, zf->name, buf_cstr(&why));
				} else {
					strvec_push(&cf.valid, zf->name);
				}
			}
		}
		err_clear(&fe);
		free(name);
	}
	rc = zip_checked_err(&cf, e);
out:
	if (cfout)
		*cfout = cf;
	else
		mod_zip_checked_release(&cf);
	coll_release(&coll);
	buf_release(&why);
	buf_release(&prefixq);
	free(cv);
	free(prefix);
	return rc;
}

/* ---- zip.Unzip ------------------------------------------------------------ */

struct fd_sink {
	int fd;
	const char *path;
};

static int fd_sink_write(void *ctx, const void *p, size_t n, struct err *e)
{
	struct fd_sink *s = ctx;
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(s->fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return err_errno(e, "write", s->path);
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * The contents the hash pass inflated, kept for the extraction that follows.
 * A download hashes its zip (mod_hash_zip_keep) and then extracts it: both
 * inflate every file, and that was half of a cold download's CPU time.  A
 * zip whose files add up to at most ZIP_MEMO_MAX bytes keeps what the hash
 * pass read; mod_zip_unzip of the same file (the zip renamed into place
 * keeps its inode) writes those bytes instead of inflating them again.  They
 * are the bytes the h1 was computed over, already checked against the
 * declared sizes and CRC-32s.  The file is recognised by device, inode, size
 * and mtime, and its directory by each entry's CRC-32 and size; anything else
 * is inflated as before.  Only the main thread stores and takes memos.
 */
enum { ZIP_MEMO_MAX = 64 << 20, ZIP_MEMO_SLOTS = 4 };

struct zip_memo {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	size_t n;              /* entries */
	uint32_t *crc;         /* entry i's CRC-32 and size, to match the directory */
	uint64_t *usize;
	unsigned char **body;  /* entry i's content, or NULL when not kept */
	size_t bytes;
};

static struct zip_memo *zip_memos[ZIP_MEMO_SLOTS]; /* oldest first */

static void zip_memo_free(struct zip_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		free(m->body[i]);
	free(m->body);
	free(m->crc);
	free(m->usize);
	free(m);
}

static bool zip_memo_same_file(const struct zip_memo *m, const struct stat *st)
{
	return m->dev == st->st_dev && m->ino == st->st_ino && m->size == st->st_size &&
	       m->mtime.tv_sec == st->st_mtim.tv_sec && m->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* zip_memo_put keeps m, dropping the oldest memos past the slots or the
 * byte budget (and any older memo of the same file). */
static void zip_memo_put(struct zip_memo *m)
{
	size_t total = m->bytes, k = 0;
	struct zip_memo *keep[ZIP_MEMO_SLOTS];

	/* newest first, while they fit */
	for (size_t i = ZIP_MEMO_SLOTS; i-- > 0;) {
		struct zip_memo *o = zip_memos[i];
		zip_memos[i] = NULL;
		if (!o)
			continue;
		if (k + 1 < ZIP_MEMO_SLOTS && total + o->bytes <= ZIP_MEMO_MAX &&
		    !(o->dev == m->dev && o->ino == m->ino)) {
			keep[k++] = o;
			total += o->bytes;
		} else {
			zip_memo_free(o);
		}
	}
	/* back oldest first, m last */
	size_t j = 0;
	while (k > 0)
		zip_memos[j++] = keep[--k];
	zip_memos[j] = m;
}

/* zip_memo_take removes and returns the memo of the zip z mapped from a file
 * with stat st, or NULL. */
static struct zip_memo *zip_memo_take(const struct mod_zip *z, const struct stat *st)
{
	for (size_t i = 0; i < ZIP_MEMO_SLOTS; i++) {
		struct zip_memo *m = zip_memos[i];
		if (!m || !zip_memo_same_file(m, st))
			continue;
		memmove(&zip_memos[i], &zip_memos[i + 1], (ZIP_MEMO_SLOTS - i - 1) * sizeof(zip_memos[0]));
		zip_memos[ZIP_MEMO_SLOTS - 1] = NULL;
		if (m->n != z->files.n)
			goto stale;
		for (size_t f = 0; f < m->n; f++)
			if (m->crc[f] != z->files.v[f].crc32 || m->usize[f] != z->files.v[f].usize)
				goto stale;
		return m;
stale:
		zip_memo_free(m);
		return NULL;
	}
	return NULL;
}

void mod_zip_memo_drop(const char *zipfile)
{
	struct stat st;

	if (stat(zipfile, &st) < 0)
		return;
	for (size_t i = 0; i < ZIP_MEMO_SLOTS;) {
		struct zip_memo *m = zip_memos[i];
		if (!m || !zip_memo_same_file(m, &st)) {
			i++;
			continue;
		}
		memmove(&zip_memos[i], &zip_memos[i + 1], (ZIP_MEMO_SLOTS - i - 1) * sizeof(zip_memos[0]));
		zip_memos[ZIP_MEMO_SLOTS - 1] = NULL;
		zip_memo_free(m);
	}
}

/*
 * The files of a zip are extracted on par_threads() threads: creating and
 * writing a module's files is kernel work that go spreads over goroutines
 * too.  The error reported is the one of the first failing entry in zip
 * order, the one the loop over entries would stop at; entries after it
 * may have been written, and the caller removes the tree on error as it
 * would remove a half-extracted one.
 */
struct unzip_job {
	const struct mod_zip *z;
	const struct zip_memo *memo; /* or NULL */
	const char *dir;
	size_t prefixlen;
	pthread_mutex_t mu;
	atomic_size_t first; /* index of the first failing entry, or SIZE_MAX */
	struct err err;      /* its error (under mu) */
};

static void unzip_fail(struct unzip_job *j, size_t i, struct err *le)
{
	pthread_mutex_lock(&j->mu);
	if (i < atomic_load(&j->first)) {
		err_clear(&j->err);
		j->err.msg = err_take(le);
		atomic_store(&j->first, i);
	}
	pthread_mutex_unlock(&j->mu);
	err_clear(le);
}

static void unzip_one(void *ctx, size_t i)
{
	struct unzip_job *j = ctx;
	const char *name = j->z->files.v[i].name + j->prefixlen;
	struct err le = ERR_INIT;
	char *dst, *parent;
	int fd = -1, r = -1;

	/* an earlier entry failed: the serial loop would not get here */
	if (*name == '\0' || has_suffix(name, "/") || i > atomic_load(&j->first))
		return;
	dst = path_join(j->dir, name);
	parent = path_dir(dst);
	if (os_mkdir_all(parent, 0777, &le) < 0)
		goto out;
	fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0) {
		err_errno(&le, "open", dst);
		goto out;
	}
	struct fd_sink s = {fd, dst};
	if (j->memo && j->memo->body[i]) {
		if (j->memo->usize[i] > 0 && fd_sink_write(&s, j->memo->body[i], j->memo->usize[i], &le) < 0)
			goto out;
	} else if (mod_zip_read(j->z, i, fd_sink_write, &s, &le) < 0) {
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		err_errno(&le, "close", dst);
		goto out;
	}
	fd = -1;
	r = 0;
out:
	if (fd >= 0)
		close(fd);
	if (r < 0)
		unzip_fail(j, i, &le);
	free(dst);
	free(parent);
}

/* zip_unzip is Unzip's body; mod_zip_unzip wraps its error. */
static int zip_unzip(const char *dir, const char *path, const char *version, const char *zipfile, struct err *e)
{
	struct mod_zip z = {0};
	struct strvec ents = {0};
	struct err ignore = ERR_INIT;
	struct zip_memo *memo = NULL;
	struct stat st;
	char *prefix = NULL;
	int rc = -1;

	/* Don't create dir yet: the zip may be unreadable. */
	if (os_readdir(dir, &ents, &ignore) == 0 && ents.n > 0) {
		err_setf(e, "target directory %s exists and is not empty", dir);
		goto out;
	}
	if (mod_zip_open(&z, zipfile, e) < 0)
		goto out;
	if (mod_zip_check(&z, z.size, path, version, NULL, e) < 0)
		goto out;
	if (stat(zipfile, &st) == 0)
		memo = zip_memo_take(&z, &st);
	if (os_mkdir_all(dir, 0777, e) < 0)
		goto out;
	prefix = xasprintf("%s@%s/", path, version);
	{
		struct unzip_job j = {&z, memo, dir, strlen(prefix), PTHREAD_MUTEX_INITIALIZER, SIZE_MAX, ERR_INIT};
		/* a small zip is not worth a thread */
		par_for(z.files.n, z.files.n < 16 ? 1 : par_threads(), unzip_one, &j);
		pthread_mutex_destroy(&j.mu);
		if (err_isset(&j.err)) {
			e->msg = err_take(&j.err);
			goto out;
		}
	}
	rc = 0;
out:
	zip_memo_free(memo);
	mod_zip_close(&z);
	strvec_clear(&ents);
	err_clear(&ignore);
	free(prefix);
	return rc;
}

int mod_zip_unzip(const char *dir, const char *path, const char *version, const char *zipfile, struct err *e)
{
	if (zip_unzip(dir, path, version, zipfile, e) < 0)
		return err_wrapf(e, "unzip %s", zipfile);
	return 0;
}

/* ---- dirhash ---------------------------------------------------------------- */

static int sha_sink(void *ctx, const void *p, size_t n, struct err *e)
{
	hash_sha256_write(ctx, p, n);
	return 0;
}

/* Hash1's per-file sums are computed on par_threads() threads (every
 * mod_hash_open reads its file independently); the error is the first
 * file's in sorted order, as in the serial loop. */
struct hash1_job {
	char **sorted;
	unsigned char (*sums)[32];
	mod_hash_open open_fn;
	void *ctx;
	pthread_mutex_t mu;
	atomic_size_t first; /* index of the first failing file, or SIZE_MAX */
	struct err err;      /* its error (under mu) */
};

static void hash1_one(void *ctx, size_t i)
{
	struct hash1_job *j = ctx;
	struct err le = ERR_INIT;
	struct hash_sha256 hf;
	int r;

	if (i > atomic_load(&j->first))
		return;
	if (strchr(j->sorted[i], '\n')) {
		err_setf(&le, "dirhash: filenames with newlines are not supported");
		r = -1;
	} else {
		hash_sha256_init(&hf);
		r = j->open_fn(j->ctx, j->sorted[i], sha_sink, &hf, &le);
		hash_sha256_sum(&hf, j->sums[i]);
	}
	if (r < 0) {
		pthread_mutex_lock(&j->mu);
		if (i < atomic_load(&j->first)) {
			err_clear(&j->err);
			j->err.msg = err_take(&le);
			atomic_store(&j->first, i);
		}
		pthread_mutex_unlock(&j->mu);
		err_clear(&le);
	}
}

/* mirrors golang.org/x/mod/sumdb/dirhash: Hash1 */
int mod_hash1(char *const *names, size_t n, mod_hash_open open_fn, void *ctx, char **h1, struct err *e)
{
	char **sorted = xcalloc(n ? n : 1, sizeof(char *));
	struct hash1_job j = {sorted, xcalloc(n ? n : 1, 32), open_fn, ctx, PTHREAD_MUTEX_INITIALIZER,
			      SIZE_MAX, ERR_INIT};
	struct hash_sha256 h;
	struct buf out = BUF_INIT;
	unsigned char sum[32];
	char hex[65];

	*h1 = NULL;
	memcpy(sorted, names, n * sizeof(char *));
	if (n > 1)
		qsort(sorted, n, sizeof(char *), cmp_strptr);
	par_for(n, n < 16 ? 1 : par_threads(), hash1_one, &j);
	pthread_mutex_destroy(&j.mu);
	if (err_isset(&j.err)) {
		e->msg = err_take(&j.err);
	} else {
		hash_sha256_init(&h);
		for (size_t i = 0; i < n; i++) {
			hash_hex(j.sums[i], 32, hex);
			hash_sha256_write(&h, hex, 64);
			hash_sha256_write(&h, "  ", 2);
			hash_sha256_write(&h, sorted[i], strlen(sorted[i]));
			hash_sha256_write(&h, "\n", 1);
		}
		hash_sha256_sum(&h, sum);
		buf_adds(&out, "h1:");
		buf_add_base64(&out, sum, 32);
		*h1 = buf_detach(&out);
	}
	buf_release(&out);
	free(j.sums);
	free(sorted);
	return *h1 ? 0 : -1;
}

/* HashZip: a name maps to the last entry with that name (Go's map). */
struct zip_hash_ctx {
	const struct mod_zip *z;
	struct map byname; /* name → index + 1 */
	struct zip_memo *memo; /* the contents read, kept for the extraction; or NULL */
};

/* a sink that hashes and keeps: entry i's bytes go to memo->body[i] too */
struct keep_sink {
	mod_zip_sink fn;
	void *ctx;
	unsigned char *dst;
	uint64_t n, cap;
};

static int keep_sink_write(void *ctx, const void *p, size_t n, struct err *e)
{
	struct keep_sink *k = ctx;
	if (n > k->cap - k->n)
		return err_setf(e, ZIP_ERR_FORMAT); /* mod_zip_read stops at usize first */
	memcpy(k->dst + k->n, p, n);
	k->n += n;
	return k->fn(k->ctx, p, n, e);
}

static int zip_hash_open(void *ctx, const char *name, mod_zip_sink fn, void *fnctx, struct err *e)
{
	struct zip_hash_ctx *c = ctx;
	uintptr_t i = (uintptr_t)map_get(&c->byname, name);
	if (i == 0) {
		struct buf b = BUF_INIT;
		buf_adds(&b, "file ");
		quote(&b, name);
		buf_adds(&b, " not found in zip");
		err_setf(e, "%s", buf_cstr(&b));
		buf_release(&b);
		return -1;
	}
	if (!c->memo)
		return mod_zip_read(c->z, i - 1, fn, fnctx, e);
	/* names are unique here (else no memo): entry i is read by one thread */
	struct zip_memo *m = c->memo;
	size_t idx = i - 1;
	struct keep_sink k = {fn, fnctx, xmalloc(m->usize[idx] ? m->usize[idx] : 1), 0, m->usize[idx]};
	if (mod_zip_read(c->z, idx, keep_sink_write, &k, e) < 0) {
		free(k.dst);
		return -1;
	}
	m->body[idx] = k.dst;
	return 0;
}

/* zip_memo_new is an empty memo for z (mapped from a file with stat st),
 * or NULL when z's names are not unique or its files too large to keep. */
static struct zip_memo *zip_memo_new(const struct mod_zip *z, const struct stat *st)
{
	uint64_t total = 0;
	struct zip_memo *m;

	for (size_t i = 0; i < z->files.n; i++) {
		total += z->files.v[i].usize;
		if (z->files.v[i].usize > ZIP_MEMO_MAX || total > ZIP_MEMO_MAX)
			return NULL;
	}
	m = xcalloc(1, sizeof(*m));
	m->dev = st->st_dev;
	m->ino = st->st_ino;
	m->size = st->st_size;
	m->mtime = st->st_mtim;
	m->n = z->files.n;
	m->crc = xcalloc(m->n ? m->n : 1, sizeof(*m->crc));
	m->usize = xcalloc(m->n ? m->n : 1, sizeof(*m->usize));
	m->body = xcalloc(m->n ? m->n : 1, sizeof(*m->body));
	m->bytes = (size_t)total;
	for (size_t i = 0; i < m->n; i++) {
		m->crc[i] = z->files.v[i].crc32;
		m->usize[i] = z->files.v[i].usize;
	}
	return m;
}

/* mirrors golang.org/x/mod/sumdb/dirhash: HashZip; with keep, what was read
 * is kept for a mod_zip_unzip of the same file (see zip_memo). */
static int hash_zip(const char *zipfile, bool keep, char **h1, struct err *e)
{
	struct mod_zip z = {0};
	struct zip_hash_ctx c = {&z, {0}, NULL};
	struct stat st;
	char **names = NULL;
	bool unique = true;
	int rc = -1;

	*h1 = NULL;
	map_init(&c.byname);
	if (mod_zip_open(&z, zipfile, e) < 0)
		goto out;
	names = xcalloc(z.files.n ? z.files.n : 1, sizeof(char *));
	for (size_t i = 0; i < z.files.n; i++) {
		names[i] = z.files.v[i].name;
		if (map_has(&c.byname, z.files.v[i].name))
			unique = false;
		map_put(&c.byname, z.files.v[i].name, (void *)(uintptr_t)(i + 1));
	}
	if (keep && unique && stat(zipfile, &st) == 0)
		c.memo = zip_memo_new(&z, &st);
	rc = mod_hash1(names, z.files.n, zip_hash_open, &c, h1, e);
	if (rc == 0 && c.memo) {
		zip_memo_put(c.memo);
		c.memo = NULL;
	}
out:
	zip_memo_free(c.memo);
	free(names);
	map_release(&c.byname);
	mod_zip_close(&z);
	return rc;
}

int mod_hash_zip(const char *zipfile, char **h1, struct err *e)
{
	return hash_zip(zipfile, false, h1, e);
}

int mod_hash_zip_keep(const char *zipfile, char **h1, struct err *e)
{
	return hash_zip(zipfile, true, h1, e);
}

/* HashDir: names are prefix-joined; opening maps back to dir. */
struct dir_hash_ctx {
	const char *dir, *prefix;
};

static int file_stream(const char *file, mod_zip_sink fn, void *fnctx, struct err *e)
{
	char chunk[64 * 1024];
	int fd = open(file, O_RDONLY | O_CLOEXEC), rc = -1;
	if (fd < 0)
		return err_errno(e, "open", file);
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof(chunk));
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err_errno(e, "read", file);
			break;
		}
		if (r == 0) {
			rc = 0;
			break;
		}
		if (fn(fnctx, chunk, (size_t)r, e) != 0)
			break;
	}
	close(fd);
	return rc;
}

static int dir_hash_open(void *ctx, const char *name, mod_zip_sink fn, void *fnctx, struct err *e)
{
	struct dir_hash_ctx *c = ctx;
	const char *rel = has_prefix(name, c->prefix) ? name + strlen(c->prefix) : name;
	char *file = path_join(c->dir, rel);
	int rc = file_stream(file, fn, fnctx, e);
	free(file);
	return rc;
}

/* dir_files mirrors DirFiles' filepath.Walk: lstat types, directories
 * descended, everything else a file named prefix-joined. */
static int dir_files(const char *root, const char *rel, const char *prefix, struct strvec *out, struct err *e)
{
	char *dir = rel[0] ? path_join(root, rel) : xstrdup(root);
	struct os_dirents ents = {0};
	int rc = -1;

	if (os_readdir_ents(dir, &ents, e) < 0)
		goto out;
	for (size_t i = 0; i < ents.n; i++) {
		char *r = rel[0] ? path_join(rel, ents.v[i].name) : xstrdup(ents.v[i].name);
		int sub = 0;
		if (ents.v[i].type == OS_FT_DIR)
			sub = dir_files(root, r, prefix, out, e);
		else
			strvec_push_take(out, path_join(prefix, r));
		free(r);
		if (sub < 0)
			goto out;
	}
	rc = 0;
out:
	os_dirents_release(&ents);
	free(dir);
	return rc;
}

/* mirrors golang.org/x/mod/sumdb/dirhash: HashDir */
int mod_hash_dir(const char *dir, const char *prefix, char **h1, struct err *e)
{
	struct strvec files = {0};
	struct stat st;
	char *clean = path_clean(dir);
	int rc = -1;

	*h1 = NULL;
	if (lstat(clean, &st) < 0) {
		err_errno(e, "lstat", clean);
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		err_setf(e, "%s is not a directory", clean);
		goto out;
	}
	if (dir_files(clean, "", prefix, &files, e) < 0)
		goto out;
	struct dir_hash_ctx c = {clean, prefix};
	rc = mod_hash1(files.v, files.n, dir_hash_open, &c, h1, e);
out:
	strvec_clear(&files);
	free(clean);
	return rc;
}

struct mem_ctx {
	const void *p;
	size_t n;
};

static int mem_open(void *ctx, const char *name, mod_zip_sink fn, void *fnctx, struct err *e)
{
	struct mem_ctx *m = ctx;
	return m->n ? fn(fnctx, m->p, m->n, e) : 0;
}

/* mirrors cmd/go/internal/modfetch: goModSum (fetch.go) */
char *mod_hash_gomod(const void *data, size_t n)
{
	char *name = "go.mod", *h1 = NULL;
	struct mem_ctx m = {data, n};
	struct err e = ERR_INIT;
	if (mod_hash1(&name, 1, mem_open, &m, &h1, &e) < 0)
		BUG("hashing go.mod from memory cannot fail");
	return h1;
}
