/*
 * Build ids: reading them out of Go archives and binaries, and replacing
 * the action-id placeholder the compiler or linker was given with the
 * content id once the tool has written its output (`go tool buildid -w`,
 * which cmd/go does in-process).
 *
 * mirrors cmd/go/internal/work/buildid.go updateBuildID,
 * cmd/internal/buildid/{buildid.go,note.go,rewrite.go} and
 * cmd/internal/codesign/codesign.go (go1.26).
 *
 * Only the object-file parsing needed for that is here: enough of ELF
 * (section headers, program headers, notes) and Mach-O (load commands,
 * segments, LC_CODE_SIGNATURE, LC_UUID) to find the ranges go reads as
 * zeros and where the raw id marker lives.  Parsing failures are not
 * errors on the rewrite side: go then simply excludes nothing.
 *
 * The file is read once through a copy-on-write mapping; everything go
 * computes (occurrences, content hash, new id, new code signature) is
 * computed there before the file is touched.  Then, like go's Rewrite,
 * only the id occurrences and the signature are written in place; should
 * one of those writes fail, the bytes already written are put back, so an
 * error does not leave a half-rewritten output.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "work/work_internal.h"

/* ---- little helpers ------------------------------------------------------ */

static uint16_t get16(const unsigned char *p, bool be)
{
	return be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static uint32_t get32(const unsigned char *p, bool be)
{
	if (be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint64_t get64(const unsigned char *p, bool be)
{
	uint64_t hi = get32(be ? p : p + 4, be), lo = get32(be ? p + 4 : p, be);

	return hi << 32 | lo;
}

static void put32be(unsigned char *p, uint32_t x)
{
	p[0] = (unsigned char)(x >> 24);
	p[1] = (unsigned char)(x >> 16);
	p[2] = (unsigned char)(x >> 8);
	p[3] = (unsigned char)x;
}

static void put64be(unsigned char *p, uint64_t x)
{
	put32be(p, (uint32_t)(x >> 32));
	put32be(p + 4, (uint32_t)x);
}

/* in_bounds reports whether [off, off+len) lies inside a file of n bytes. */
static bool in_bounds(uint64_t off, uint64_t len, size_t n)
{
	return off <= n && len <= n - off;
}

void work_hash_to_string(const unsigned char h[32], char out[21])
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	/* Five 24-bit chunks of the hash, four base64 digits each (120 bits). */
	for (int i = 0; i < 5; i++) {
		uint32_t v = (uint32_t)h[3 * i] << 16 | (uint32_t)h[3 * i + 1] << 8 | h[3 * i + 2];
		out[4 * i + 0] = b64[(v >> 18) & 0x3f];
		out[4 * i + 1] = b64[(v >> 12) & 0x3f];
		out[4 * i + 2] = b64[(v >> 6) & 0x3f];
		out[4 * i + 3] = b64[v & 0x3f];
	}
	out[20] = 0;
}

/* ---- ELF ----------------------------------------------------------------- */

/*
 * An ELF image's header facts, validated roughly as debug/elf.NewFile
 * validates them (go1.26 debug/elf/file.go) so that files go refuses to
 * open are treated the same way here.
 */
struct elf_img {
	const unsigned char *d;
	size_t n;
	bool be, is64;
	uint64_t phoff, shoff;
	uint32_t phentsize, phnum, shentsize, shnum, shstrndx;
};

#define SHN_XINDEX 0xffff
#define SHT_STRTAB 3
#define PT_NOTE 4

static int elf_open(struct elf_img *f, const unsigned char *d, size_t n)
{
	memset(f, 0, sizeof *f);
	f->d = d;
	f->n = n;
	if (n < 16 || memcmp(d, "\x7f" "ELF", 4) != 0)
		return -1;
	if (d[4] != 1 && d[4] != 2)
		return -1;
	if (d[5] != 1 && d[5] != 2)
		return -1;
	if (d[6] != 1) /* EV_CURRENT */
		return -1;
	f->is64 = d[4] == 2;
	f->be = d[5] == 2;
	if (f->is64) {
		if (n < 64)
			return -1;
		if (get32(d + 20, f->be) != d[6])
			return -1;
		f->phoff = get64(d + 32, f->be);
		f->shoff = get64(d + 40, f->be);
		f->phentsize = get16(d + 54, f->be);
		f->phnum = get16(d + 56, f->be);
		f->shentsize = get16(d + 58, f->be);
		f->shnum = get16(d + 60, f->be);
		f->shstrndx = get16(d + 62, f->be);
	} else {
		if (n < 52)
			return -1;
		if (get32(d + 20, f->be) != d[6])
			return -1;
		f->phoff = get32(d + 28, f->be);
		f->shoff = get32(d + 32, f->be);
		f->phentsize = get16(d + 42, f->be);
		f->phnum = get16(d + 44, f->be);
		f->shentsize = get16(d + 46, f->be);
		f->shnum = get16(d + 48, f->be);
		f->shstrndx = get16(d + 50, f->be);
	}
	if ((int64_t)f->shoff < 0 || (int64_t)f->phoff < 0)
		return -1;
	if (f->shoff == 0 && f->shnum != 0)
		return -1;
	if (f->shnum > 0 && f->shstrndx >= f->shnum)
		return -1;
	if (f->phnum > 0 && f->phentsize < (f->is64 ? 56u : 32u))
		return -1;
	if (f->phnum > 0 && !in_bounds(f->phoff, (uint64_t)f->phnum * f->phentsize, n))
		return -1;
	/* Extended numbering: section 0 holds the real counts. */
	if (f->shoff > 0 && f->shnum == 0) {
		const unsigned char *s0;
		uint64_t cnt;
		if (!in_bounds(f->shoff, f->is64 ? 64 : 40, n))
			return -1;
		s0 = d + f->shoff;
		cnt = f->is64 ? get64(s0 + 32, f->be) : get32(s0 + 20, f->be);
		if (cnt > UINT32_MAX)
			return -1;
		f->shnum = (uint32_t)cnt;
		if (f->shstrndx == SHN_XINDEX)
			f->shstrndx = get32(s0 + (f->is64 ? 40 : 24), f->be);
		if (f->shnum > 0 && f->shstrndx >= f->shnum)
			return -1;
	}
	if (f->shnum > 0) {
		if (f->shentsize < (f->is64 ? 64u : 40u))
			return -1;
		if (!in_bounds(f->shoff, (uint64_t)f->shnum * f->shentsize, n))
			return -1;
	}
	return 0;
}

struct elf_sect {
	uint32_t name, type;
	uint64_t off, size;
};

static void elf_sect(const struct elf_img *f, uint32_t i, struct elf_sect *s)
{
	const unsigned char *p = f->d + f->shoff + (uint64_t)i * f->shentsize;

	s->name = get32(p, f->be);
	s->type = get32(p + 4, f->be);
	s->off = f->is64 ? get64(p + 24, f->be) : get32(p + 16, f->be);
	s->size = f->is64 ? get64(p + 32, f->be) : get32(p + 20, f->be);
}

/*
 * elf_find_section finds the first section called name, as
 * (*elf.File).Section does.  Returns false when there is none or the
 * section names cannot be read (elf.NewFile would have failed).
 */
static bool elf_find_section(const struct elf_img *f, const char *name, struct elf_sect *out)
{
	struct elf_sect str;
	size_t len = strlen(name);

	if (f->shnum == 0)
		return false;
	elf_sect(f, f->shstrndx, &str);
	if (str.type != SHT_STRTAB || !in_bounds(str.off, str.size, f->n))
		return false;
	for (uint32_t i = 0; i < f->shnum; i++) {
		struct elf_sect s;
		elf_sect(f, i, &s);
		if (s.name >= str.size)
			return false;
		const char *nm = (const char *)f->d + str.off + s.name;
		size_t max = (size_t)(str.size - s.name);
		if (max > len && memcmp(nm, name, len) == 0 && nm[len] == 0) {
			*out = s;
			return true;
		}
	}
	return false;
}

/* ---- Mach-O -------------------------------------------------------------- */

#define MACHO_MAGIC32 0xfeedfaceu
#define MACHO_MAGIC64 0xfeedfacfu
#define LC_SEGMENT 0x1
#define LC_SEGMENT_64 0x19
#define LC_UUID 0x1b
#define LC_CODE_SIGNATURE 0x1d
#define MH_EXECUTE 0x2

/*
 * The Mach-O facts the build id code needs, from a walk over the load
 * commands that rejects what debug/macho.NewFile rejects at the load
 * command level (go1.26 debug/macho/file.go).
 */
struct macho_img {
	bool be, is64;
	uint32_t filetype;
	bool has_sig, has_uuid, has_text;
	uint32_t sig_off, sig_size;        /* LC_CODE_SIGNATURE dataoff, datasize */
	uint64_t uuid_off, uuid_size;      /* LC_UUID payload */
	uint64_t text_off, text_size;      /* segment __TEXT fileoff, filesize */
	bool has_textsect;
	uint64_t textsect_off, textsect_size; /* first section __text */
};

static bool name16_eq(const unsigned char *p, const char *name)
{
	size_t len = strlen(name);

	return memcmp(p, name, len) == 0 && (len == 16 || p[len] == 0);
}

static int macho_open(struct macho_img *m, const unsigned char *d, size_t n)
{
	uint32_t ncmd, cmdsz, hdr;
	const unsigned char *c;
	size_t left;

	memset(m, 0, sizeof *m);
	if (n < 28)
		return -1;
	if ((get32(d, true) & ~1u) == (MACHO_MAGIC32 & ~1u))
		m->be = true;
	else if ((get32(d, false) & ~1u) == (MACHO_MAGIC32 & ~1u))
		m->be = false;
	else
		return -1;
	m->is64 = get32(d, m->be) == MACHO_MAGIC64;
	hdr = m->is64 ? 32 : 28;
	if (n < hdr)
		return -1;
	m->filetype = get32(d + 12, m->be);
	ncmd = get32(d + 16, m->be);
	cmdsz = get32(d + 20, m->be);
	if (!in_bounds(hdr, cmdsz, n))
		return -1;
	c = d + hdr;
	left = cmdsz;
	for (uint32_t i = 0; i < ncmd; i++) {
		uint32_t cmd, siz;
		if (left < 8)
			return -1;
		cmd = get32(c, m->be);
		siz = get32(c + 4, m->be);
		if (siz < 8 || siz > left)
			return -1;
		switch (cmd) {
		case LC_CODE_SIGNATURE:
			if (siz < 16)
				return -1;
			if (!m->has_sig) {
				m->has_sig = true;
				m->sig_off = get32(c + 8, m->be);
				m->sig_size = get32(c + 12, m->be);
			}
			break;
		case LC_UUID:
			if (!m->has_uuid) {
				m->has_uuid = true;
				m->uuid_off = (uint64_t)(c - d) + 8;
				m->uuid_size = siz - 8;
			}
			break;
		case LC_SEGMENT:
		case LC_SEGMENT_64: {
			bool s64 = cmd == LC_SEGMENT_64;
			uint32_t seghdr = s64 ? 72 : 56, secsz = s64 ? 80 : 68, nsect;
			uint64_t fileoff, filesz;
			if (siz < seghdr)
				return -1;
			fileoff = s64 ? get64(c + 40, m->be) : get32(c + 32, m->be);
			filesz = s64 ? get64(c + 48, m->be) : get32(c + 36, m->be);
			nsect = get32(c + (s64 ? 64 : 48), m->be);
			if ((uint64_t)nsect * secsz > siz - seghdr)
				return -1;
			if (!m->has_text && name16_eq(c + 8, "__TEXT")) {
				m->has_text = true;
				m->text_off = fileoff;
				m->text_size = filesz;
			}
			for (uint32_t k = 0; k < nsect && !m->has_textsect; k++) {
				const unsigned char *s = c + seghdr + (size_t)k * secsz;
				if (name16_eq(s, "__text")) {
					m->has_textsect = true;
					m->textsect_size = s64 ? get64(s + 40, m->be) : get32(s + 36, m->be);
					m->textsect_off = get32(s + (s64 ? 48 : 40), m->be);
				}
			}
			break;
		}
		default:
			break;
		}
		c += siz;
		left -= siz;
	}
	return 0;
}

/* ---- code signing (cmd/internal/codesign) -------------------------------- */

#define CS_PAGE_BITS 12
#define CS_PAGE (1u << CS_PAGE_BITS)
#define CS_SUPERBLOB 12u
#define CS_BLOB 8u
#define CS_CODEDIR (13u * 4 + 4 + 4 * 8)
#define CS_ID "a.out"

/* codesign_size is codesign.Size(codeSize, "a.out"). */
static uint64_t codesign_size(uint64_t code_size)
{
	uint64_t nhashes = (code_size + CS_PAGE - 1) / CS_PAGE;
	uint64_t hash_off = CS_CODEDIR + sizeof CS_ID;

	return CS_SUPERBLOB + CS_BLOB + hash_off + nhashes * 32;
}

/*
 * codesign_sign fills out (size codesign_size(code_size), zeroed by the
 * caller) with the ad-hoc signature of data[0..n): one SHA-256 per 4096-byte
 * page up to code_size, stopping early at the end of data as go's reader
 * does.  mirrors cmd/internal/codesign.Sign (go1.26).
 */
static void codesign_sign(unsigned char *out, const unsigned char *data, size_t n, uint64_t code_size,
                          uint64_t text_off, uint64_t text_size, bool is_main)
{
	uint64_t nhashes = (code_size + CS_PAGE - 1) / CS_PAGE;
	uint32_t id_off = CS_CODEDIR, hash_off = CS_CODEDIR + (uint32_t)sizeof CS_ID;
	uint64_t sz = codesign_size(code_size);
	unsigned char *p = out;

	/* SuperBlob with a single CodeDirectory blob. */
	put32be(p, 0xfade0cc0u);
	put32be(p + 4, (uint32_t)sz);
	put32be(p + 8, 1);
	p += CS_SUPERBLOB;
	put32be(p, 0); /* CSSLOT_CODEDIRECTORY */
	put32be(p + 4, CS_SUPERBLOB + CS_BLOB);
	p += CS_BLOB;

	put32be(p + 0, 0xfade0c02u);
	put32be(p + 4, (uint32_t)sz - (CS_SUPERBLOB + CS_BLOB));
	put32be(p + 8, 0x20400);       /* version */
	put32be(p + 12, 0x20002);      /* adhoc | linkerSigned */
	put32be(p + 16, hash_off);
	put32be(p + 20, id_off);
	put32be(p + 24, 0);            /* nSpecialSlots */
	put32be(p + 28, (uint32_t)nhashes);
	put32be(p + 32, (uint32_t)code_size);
	p[36] = 32;                    /* hashSize */
	p[37] = 2;                     /* CS_HASHTYPE_SHA256 */
	p[38] = 0;
	p[39] = CS_PAGE_BITS;
	put32be(p + 40, 0);
	put32be(p + 44, 0);            /* scatterOffset */
	put32be(p + 48, 0);            /* teamOffset */
	put32be(p + 52, 0);
	put64be(p + 56, 0);            /* codeLimit64 */
	put64be(p + 64, text_off);
	put64be(p + 72, text_size);
	put64be(p + 80, is_main ? 1 : 0); /* CS_EXECSEG_MAIN_BINARY */
	p += CS_CODEDIR;
	memcpy(p, CS_ID, sizeof CS_ID);
	p += sizeof CS_ID;

	for (uint64_t pos = 0; pos < code_size && pos < n; pos += CS_PAGE) {
		uint64_t end = pos + CS_PAGE;
		if (end > n)
			end = n;
		if (end > code_size)
			end = code_size;
		hash_sha256(data + pos, (size_t)(end - pos), p);
		p += 32;
	}
}

/* ---- find and hash ------------------------------------------------------- */

struct range {
	uint64_t start, end;
};

/* Offsets of the placeholder occurrences, in file order. */
struct u64vec {
	uint64_t *v;
	size_t n, cap;
};

/*
 * excluded_ranges lists what FindAndHash reads as zeros: a Mach-O code
 * signature, then the host build id (ELF .note.gnu.build-id descriptor, or
 * the Mach-O LC_UUID payload).  Ranges are clipped to the file.
 */
static size_t excluded_ranges(const unsigned char *d, size_t n, struct range out[2])
{
	struct macho_img m;
	struct elf_img f;
	struct elf_sect s;
	size_t k = 0;
	bool is_macho = macho_open(&m, d, n) == 0;

	if (is_macho && m.has_sig)
		out[k++] = (struct range){m.sig_off, (uint64_t)m.sig_off + m.sig_size};
	if (elf_open(&f, d, n) == 0) {
		/* Skip the 3-word note header and "GNU\0"; a note shorter than
		 * that gives an empty range, as go's negative size does. */
		if (elf_find_section(&f, ".note.gnu.build-id", &s) && s.size >= 16)
			out[k++] = (struct range){s.off + 16, s.off + s.size};
	} else if (is_macho && m.has_uuid) {
		out[k++] = (struct range){m.uuid_off, m.uuid_off + m.uuid_size};
	}
	for (size_t i = 0; i < k; i++) {
		if (out[i].end > n)
			out[i].end = n;
		if (out[i].start > out[i].end)
			out[i].start = out[i].end;
	}
	return k;
}

/* The buffer size go's FindAndHash uses; ids longer than it are refused. */
#define FIND_BUFSIZE (31 * 1024)

/*
 * find_and_hash finds the non-overlapping occurrences of id in d[0..n)
 * from left to right and hashes d with them replaced by zeros, as
 * buildid.FindAndHash does.  d must already have the excluded ranges
 * zeroed.  Go reads through a sliding window with an overlap of at least
 * len(id), which finds exactly the occurrences a whole-file scan finds.
 */
static void find_and_hash(const unsigned char *d, size_t n, const char *id, size_t idlen,
                          struct u64vec *matches, unsigned char sum[32])
{
	static const unsigned char zeros[128];
	struct hash_sha256 h;
	size_t start = 0;

	hash_sha256_init(&h);
	while (start < n) {
		const unsigned char *hit = memmem(d + start, n - start, id, idlen);
		if (!hit)
			break;
		size_t at = (size_t)(hit - d);
		VEC_PUSH(matches, (uint64_t)at);
		hash_sha256_write(&h, d + start, at - start);
		for (size_t z = idlen; z > 0;) {
			size_t c = z < sizeof zeros ? z : sizeof zeros;
			hash_sha256_write(&h, zeros, c);
			z -= c;
		}
		start = at + idlen;
	}
	if (start < n)
		hash_sha256_write(&h, d + start, n - start);
	hash_sha256_sum(&h, sum);
}

/* ---- file I/O ------------------------------------------------------------ */

/* read_whole reads fd (of st_size bytes) into a heap buffer with room for
 * extra bytes after the content; a file that changes size while read is
 * taken as it was read. */
static int read_whole(int fd, const char *path, size_t size, size_t extra, unsigned char **out, size_t *outn,
                      struct err *e)
{
	unsigned char *d = xmalloc(size + extra + 1);
	size_t got = 0;

	while (got < size) {
		ssize_t r = read(fd, d + got, size - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err_errno(e, "read", path);
			free(d);
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	*out = d;
	*outn = got;
	return 0;
}

static int pwrite_all(int fd, const void *p, size_t n, uint64_t off)
{
	const unsigned char *c = p;

	while (n > 0) {
		ssize_t w = pwrite(fd, c, n, (off_t)off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

/* A planned write of the rewrite: data over [off, off+n), and the bytes
 * it replaces (NULL past the old end of file), for the rollback. */
struct patch {
	uint64_t off;
	const unsigned char *data, *old;
	size_t n;
};

/*
 * apply_patches writes the patches over path in place, as go's Rewrite
 * does with WriteAt.  Everything that can fail for a reason of go's making
 * (parsing, hashing, signing) has been done before; if a write itself
 * fails, the patches already written are undone and the file cut back to
 * its old size, so no half-rewritten output is left behind.  In-place
 * writes of a few hundred bytes keep a 30 MB binary well under the time a
 * full copy and rename would take.
 */
static int apply_patches(const char *path, const struct patch *pt, size_t np, uint64_t oldsize, struct err *e)
{
	size_t done = 0;
	int fd, rc = -1;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return err_errno(e, "open", path);
	for (; done < np; done++) {
		if (pwrite_all(fd, pt[done].data, pt[done].n, pt[done].off) < 0) {
			err_errno(e, "write", path);
			goto undo;
		}
	}
	if (close(fd) < 0) {
		fd = -1;
		err_errno(e, "close", path);
		goto out;
	}
	return 0;
undo:
	for (size_t i = 0; i <= done && i < np; i++) {
		uint64_t end = pt[i].off + pt[i].n;
		size_t keep = end <= oldsize ? pt[i].n : pt[i].off < oldsize ? (size_t)(oldsize - pt[i].off) : 0;
		if (keep && pwrite_all(fd, pt[i].old, keep, pt[i].off) < 0)
			break; /* nothing more we can do; e says why */
	}
	if (ftruncate(fd, (off_t)oldsize) < 0) {
		/* as above: the write error is the one reported */
	}
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

/* ---- update -------------------------------------------------------------- */

/* map_file maps fd's n bytes copy-on-write (our changes never reach the
 * file), falling back to a heap copy; *mapped says which to release. */
static int map_file(int fd, const char *path, size_t n, unsigned char **d, bool *mapped, struct err *e)
{
	size_t got;
	void *p;

	*mapped = false;
	if (n == 0) {
		*d = xmalloc(1);
		return 0;
	}
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (p != MAP_FAILED) {
		*d = p;
		*mapped = true;
		return 0;
	}
	if (read_whole(fd, path, n, 0, d, &got, e) < 0)
		return -1;
	if (got != n) {
		free(*d);
		*d = NULL;
		return err_setf(e, "read %s: file changed size while read", path);
	}
	return 0;
}

int work_buildid_update(const char *path, const char *placeholder, char **newid, struct err *e)
{
	struct u64vec matches = {0};
	struct range ex[2];
	struct patch *pt = NULL;
	unsigned char *saved[2] = {NULL, NULL};
	unsigned char *d = NULL, *cs = NULL, *oldsig = NULL, sum[32];
	size_t idlen = strlen(placeholder), n = 0, nex, np = 0;
	const char *slash;
	char *id = NULL, hs[21];
	bool mapped = false;
	struct stat st;
	int fd = -1, rc = -1;

	*newid = NULL;
	if (idlen == 0) {
		err_setf(e, "buildid.FindAndHash: no id specified");
		goto out;
	}
	if (idlen > FIND_BUFSIZE) {
		err_setf(e, "buildid.FindAndHash: buffer too small");
		goto out;
	}
	slash = strrchr(placeholder, '/');
	if (!slash || strlen(slash + 1) != 20) {
		/* go's newID would differ in length from the old one. */
		err_setf(e, "internal error: build ID length mismatch for %s", placeholder);
		goto out;
	}

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_errno(e, "open", path);
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		err_errno(e, "stat", path);
		goto out;
	}
	n = (size_t)st.st_size;
	if (map_file(fd, path, n, &d, &mapped, e) < 0)
		goto out;
	close(fd);
	fd = -1;

	/* Read the excluded ranges as zeros (keeping their bytes to put back),
	 * so that the search and the hash both see what go's reader sees. */
	nex = excluded_ranges(d, n, ex);
	for (size_t i = 0; i < nex; i++) {
		size_t len = (size_t)(ex[i].end - ex[i].start);
		saved[i] = xmalloc(len + 1);
		memcpy(saved[i], d + ex[i].start, len);
	}
	for (size_t i = 0; i < nex; i++)
		memset(d + ex[i].start, 0, (size_t)(ex[i].end - ex[i].start));
	find_and_hash(d, n, placeholder, idlen, &matches, sum);
	for (size_t i = nex; i-- > 0;)
		memcpy(d + ex[i].start, saved[i], (size_t)(ex[i].end - ex[i].start));

	if (matches.n == 0) {
		/* The user chose the id (-ldflags=-buildid=...): leave it. */
		rc = 0;
		goto out;
	}
	work_hash_to_string(sum, hs);
	id = xmalloc(idlen + 1);
	memcpy(id, placeholder, (size_t)(slash + 1 - placeholder));
	memcpy(id + (slash + 1 - placeholder), hs, 21);

	/* The ids go over the (private) image too: the signature covers them. */
	pt = xcalloc(matches.n + 1, sizeof *pt);
	for (size_t i = 0; i < matches.n; i++) {
		memcpy(d + matches.v[i], id, idlen);
		pt[np++] = (struct patch){matches.v[i], (const unsigned char *)id,
		                          (const unsigned char *)placeholder, idlen};
	}

	/* Re-sign a Mach-O whose signature has the size the Go linker gives
	 * it; go leaves any other signature alone (rewrite.go Rewrite). */
	{
		struct macho_img m;
		if (macho_open(&m, d, n) == 0 && m.has_sig && m.has_text &&
		    codesign_size(m.sig_off) == m.sig_size) {
			size_t inside = m.sig_off >= n ? 0 : n - m.sig_off < m.sig_size ? n - m.sig_off : m.sig_size;
			cs = xcalloc(1, (size_t)m.sig_size + 1);
			codesign_sign(cs, d, n, m.sig_off, m.text_off, m.text_size, m.filetype == MH_EXECUTE);
			oldsig = xcalloc(1, (size_t)m.sig_size + 1);
			if (inside)
				memcpy(oldsig, d + m.sig_off, inside);
			pt[np++] = (struct patch){m.sig_off, cs, oldsig, m.sig_size};
		}
	}
	if (apply_patches(path, pt, np, n, e) < 0)
		goto out;
	*newid = id;
	id = NULL;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(saved[0]);
	free(saved[1]);
	if (mapped)
		munmap(d, n);
	else
		free(d);
	free(cs);
	free(oldsig);
	free(pt);
	free(id);
	VEC_FREE(&matches);
	return rc;
}

/* ---- read ---------------------------------------------------------------- */

/* utf8_append appends rune r as UTF-8 (r already valid). */
static void utf8_append(struct buf *b, uint32_t r)
{
	if (r < 0x80) {
		buf_addch(b, (int)r);
	} else if (r < 0x800) {
		buf_addch(b, (int)(0xc0 | r >> 6));
		buf_addch(b, (int)(0x80 | (r & 0x3f)));
	} else if (r < 0x10000) {
		buf_addch(b, (int)(0xe0 | r >> 12));
		buf_addch(b, (int)(0x80 | (r >> 6 & 0x3f)));
		buf_addch(b, (int)(0x80 | (r & 0x3f)));
	} else {
		buf_addch(b, (int)(0xf0 | r >> 18));
		buf_addch(b, (int)(0x80 | (r >> 12 & 0x3f)));
		buf_addch(b, (int)(0x80 | (r >> 6 & 0x3f)));
		buf_addch(b, (int)(0x80 | (r & 0x3f)));
	}
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * go_unquote is strconv.Unquote on s[0..n) for the forms a build id can
 * take: "..." with Go escapes, `...`, and a one-character '...'.
 * Returns a heap string, or NULL on a syntax error.
 */
static char *go_unquote(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	char q;
	size_t i;

	buf_init(&b);
	if (n < 2 || s[0] != s[n - 1])
		goto bad;
	q = s[0];
	if (q == '`') {
		for (i = 1; i < n - 1; i++) {
			if (s[i] == '`')
				goto bad;
			if (s[i] != '\r')
				buf_addch(&b, (unsigned char)s[i]);
		}
		return buf_detach(&b);
	}
	if (q != '"' && q != '\'')
		goto bad;
	for (i = 1; i < n - 1;) {
		unsigned char c = (unsigned char)s[i];
		if (c == (unsigned char)q || c == '\n')
			goto bad;
		if (c >= 0x80) {
			int32_t r;
			size_t w = utf8_rune_decode(s + i, n - 1 - i, &r);
			utf8_append(&b, (uint32_t)r); /* invalid bytes become U+FFFD */
			i += w;
		} else if (c != '\\') {
			buf_addch(&b, c);
			i++;
		} else {
			unsigned char x;
			if (i + 1 >= n - 1)
				goto bad;
			x = (unsigned char)s[i + 1];
			i += 2;
			switch (x) {
			case 'a': buf_addch(&b, '\a'); break;
			case 'b': buf_addch(&b, '\b'); break;
			case 'f': buf_addch(&b, '\f'); break;
			case 'n': buf_addch(&b, '\n'); break;
			case 'r': buf_addch(&b, '\r'); break;
			case 't': buf_addch(&b, '\t'); break;
			case 'v': buf_addch(&b, '\v'); break;
			case '\\': buf_addch(&b, '\\'); break;
			case '\'': case '"':
				if (x != (unsigned char)q)
					goto bad;
				buf_addch(&b, x);
				break;
			case 'x': case 'u': case 'U': {
				size_t k = x == 'x' ? 2 : x == 'u' ? 4 : 8;
				uint32_t v = 0;
				if (i + k > n - 1)
					goto bad;
				for (size_t j = 0; j < k; j++) {
					int h = hexval((unsigned char)s[i + j]);
					if (h < 0)
						goto bad;
					v = v << 4 | (uint32_t)h;
				}
				i += k;
				if (x == 'x') {
					buf_addch(&b, (int)v);
				} else {
					if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000))
						goto bad;
					utf8_append(&b, v);
				}
				break;
			}
			case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
				uint32_t v = (uint32_t)(x - '0');
				if (i + 2 > n - 1)
					goto bad;
				for (size_t j = 0; j < 2; j++) {
					unsigned char o = (unsigned char)s[i + j];
					if (o < '0' || o > '7')
						goto bad;
					v = v << 3 | (uint32_t)(o - '0');
				}
				if (v > 255)
					goto bad;
				i += 2;
				buf_addch(&b, (int)v);
				break;
			}
			default:
				goto bad;
			}
		}
		if (q == '\'' && i < n - 1)
			goto bad; /* a character literal holds one character */
	}
	if (q == '\'' && b.len == 0)
		goto bad;
	return buf_detach(&b);
bad:
	buf_release(&b);
	return NULL;
}

static int parse_err(struct err *e, const char *path, const char *what)
{
	return err_setf(e, "parse %s: %s", path, what);
}

/*
 * read_raw finds the "\xff Go build ID: \"...\"\n \xff" marker in data.
 * Returns 1 with *id set, 0 when there is none, -1 on a malformed one.
 * mirrors cmd/internal/buildid/buildid.go readRaw (go1.26).
 */
static int read_raw(const char *path, const unsigned char *d, size_t n, char **id, struct err *e)
{
	static const char prefix[] = "\xff Go build ID: \"";
	static const char end[] = "\"\n \xff";
	const unsigned char *p, *q;
	size_t plen = sizeof prefix - 1;

	p = memmem(d, n, prefix, plen);
	if (!p)
		return 0;
	q = memmem(p + plen, n - (size_t)(p + plen - d), end, sizeof end - 1);
	if (!q) {
		parse_err(e, path, "malformed object file");
		return -1;
	}
	*id = go_unquote((const char *)p + plen - 1, (size_t)(q + 1 - (p + plen - 1)));
	if (!*id) {
		parse_err(e, path, "malformed object file");
		return -1;
	}
	return 1;
}

/*
 * read_elf_note looks through the PT_NOTE segments for the Go build id
 * note (falling back to a GNU build id note, as gccgo binaries have).
 * mirrors cmd/internal/buildid/note.go readELF (go1.26): only the program
 * headers are consulted, and they must lie in the first 32 kB.
 */
static int read_elf_note(const char *path, int fd, const unsigned char *d, size_t n, char **id, struct err *e)
{
	struct elf_img f;
	unsigned char *hdr = NULL, *note = NULL;
	char *gnu = NULL;
	int rc = -1;

	/* Like go, ignore the section headers: they are far into the file. */
	hdr = xmalloc(n);
	memcpy(hdr, d, n);
	if (n >= 64 && hdr[4] == 2) {
		memset(hdr + 40, 0, 8);
		hdr[60] = hdr[61] = 0;
	} else if (n >= 52 && hdr[4] == 1) {
		memset(hdr + 32, 0, 4);
		hdr[48] = hdr[49] = 0;
	}
	if (elf_open(&f, hdr, n) < 0) {
		parse_err(e, path, "bad ELF header");
		goto out;
	}
	for (uint32_t i = 0; i < f.phnum; i++) {
		const unsigned char *ph = hdr + f.phoff + (uint64_t)i * f.phentsize;
		uint32_t type = get32(ph, f.be);
		uint64_t off = f.is64 ? get64(ph + 8, f.be) : get32(ph + 4, f.be);
		uint64_t filesz = f.is64 ? get64(ph + 32, f.be) : get32(ph + 16, f.be);
		uint64_t align = f.is64 ? get64(ph + 48, f.be) : get32(ph + 28, f.be);
		const unsigned char *nt;
		size_t ntlen;

		if (type != PT_NOTE || filesz < 16)
			continue;
		free(note);
		note = NULL;
		if (off + filesz < n && off + filesz >= off) {
			nt = hdr + off;
		} else {
			ssize_t r;
			if (filesz > SIZE_MAX / 2) {
				parse_err(e, path, "note too large");
				goto out;
			}
			note = xmalloc((size_t)filesz);
			r = pread(fd, note, (size_t)filesz, (off_t)off);
			if (r < 0) {
				err_errno(e, "read", path);
				goto out;
			}
			if ((uint64_t)r < filesz) {
				err_setf(e, "unexpected EOF");
				goto out;
			}
			nt = note;
		}
		ntlen = (size_t)filesz;
		while (filesz >= 16) {
			uint32_t namesz = get32(nt, f.be), valsz = get32(nt + 4, f.be), tag = get32(nt + 8, f.be);
			uint64_t notesz;
			bool fits = namesz == 4 && 16 + (uint64_t)valsz <= ntlen;
			if (fits && tag == 4 && memcmp(nt + 12, "Go\0\0", 4) == 0) {
				*id = xstrndup((const char *)nt + 16, valsz);
				rc = 0;
				goto out;
			}
			if (fits && tag == 3 && memcmp(nt + 12, "GNU\0", 4) == 0) {
				free(gnu);
				gnu = xstrndup((const char *)nt + 16, valsz);
			}
			notesz = 12 + (((uint64_t)namesz + 3) & ~3ull) + (((uint64_t)valsz + 3) & ~3ull);
			if (filesz <= notesz)
				break;
			off += notesz;
			if (align != 0) {
				uint64_t aligned = (off + align - 1) & ~(align - 1);
				notesz += aligned - off;
				off = aligned;
			}
			if (notesz > ntlen) {
				/* go would slice past the note and panic; call it malformed. */
				parse_err(e, path, "malformed object file");
				goto out;
			}
			filesz -= notesz;
			nt += notesz;
			ntlen -= (size_t)notesz;
		}
	}
	*id = gnu ? gnu : xstrdup("");
	gnu = NULL;
	rc = 0;
out:
	free(hdr);
	free(note);
	free(gnu);
	return rc;
}

/* read_macho reads the raw marker from the start of __text.
 * mirrors cmd/internal/buildid/note.go readMacho (go1.26). */
static int read_macho(const char *path, int fd, const unsigned char *d, size_t n, size_t readsize, char **id,
                      struct err *e)
{
	struct macho_img m;
	struct stat st;
	unsigned char *whole = NULL, *sect = NULL;
	size_t wn = 0;
	uint64_t len;
	int rc = -1, found;
	struct err ignore = ERR_INIT;

	found = read_raw(path, d, n, id, &ignore);
	err_clear(&ignore);
	if (found > 0 && **id)
		return 0;
	if (found > 0) {
		free(*id);
		*id = NULL;
	}
	/* The load commands can lie beyond what was read: parse the file. */
	if (fstat(fd, &st) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		err_errno(e, "read", path);
		goto out;
	}
	if (read_whole(fd, path, (size_t)st.st_size, 0, &whole, &wn, e) < 0)
		goto out;
	if (macho_open(&m, whole, wn) < 0) {
		parse_err(e, path, "invalid Mach-O file");
		goto out;
	}
	if (!m.has_textsect) {
		parse_err(e, path, "cannot find __text section");
		goto out;
	}
	len = m.textsect_size < readsize ? m.textsect_size : readsize;
	if (!in_bounds(m.textsect_off, len, wn)) {
		err_setf(e, "EOF");
		goto out;
	}
	sect = xmalloc((size_t)len + 1);
	memcpy(sect, whole + m.textsect_off, (size_t)len);
	found = read_raw(path, sect, (size_t)len, id, e);
	if (found < 0)
		goto out;
	if (found == 0)
		*id = xstrdup("");
	rc = 0;
out:
	free(whole);
	free(sect);
	return rc;
}

/*
 * read_ar_buildid walks a Unix archive for gccgo's _buildid.o member and
 * reads its .go.buildid section.  mirrors cmd/internal/buildid/buildid.go
 * readGccgoArchive (go1.26).
 */
static int read_ar_buildid(const char *path, const unsigned char *d, size_t n, char **id, struct err *e)
{
	uint64_t off = 8;

	for (;;) {
		const unsigned char *h;
		char sizestr[11], name[17];
		char *endp;
		uint64_t size;
		size_t a, b;

		if (off >= n) {
			*id = xstrdup("");
			return 0;
		}
		if (n - off < 60) {
			err_setf(e, "unexpected EOF");
			return -1;
		}
		h = d + off;
		off += 60;
		/* strings.TrimSpace of the size and name fields. */
		for (a = 48; a < 58 && (h[a] == ' ' || h[a] == '\t'); a++)
			;
		for (b = 58; b > a && (h[b - 1] == ' ' || h[b - 1] == '\t'); b--)
			;
		if (a == b || b - a > 10)
			return parse_err(e, path, "malformed object file");
		memcpy(sizestr, h + a, b - a);
		sizestr[b - a] = 0;
		if (sizestr[0] < '0' || sizestr[0] > '9')
			return parse_err(e, path, "malformed object file");
		errno = 0;
		size = strtoull(sizestr, &endp, 0);
		if (*endp || errno)
			return parse_err(e, path, "malformed object file");
		for (a = 0; a < 16 && h[a] == ' '; a++)
			;
		for (b = 16; b > a && h[b - 1] == ' '; b--)
			;
		memcpy(name, h + a, b - a);
		name[b - a] = 0;
		if (strcmp(name, "_buildid.o/") == 0) {
			struct elf_img f;
			struct elf_sect s;
			if (!in_bounds(off, size, n) || elf_open(&f, d + off, (size_t)size) < 0 ||
			    !elf_find_section(&f, ".go.buildid", &s) || !in_bounds(s.off, s.size, (size_t)size))
				return parse_err(e, path, "malformed object file");
			*id = xstrndup((const char *)d + off + s.off, (size_t)s.size);
			return 0;
		}
		if (size > n - off) {
			*id = xstrdup("");
			return 0;
		}
		off += size;
		if (off & 1)
			off++;
	}
}

/*
 * buildid_read_file is buildid.ReadFile: 0 with *id set (possibly "" when
 * the file has no id, which go treats as success), -1 on errors.
 */
static int buildid_read_file(const char *path, char **id, struct err *e)
{
	enum { READSIZE = 32 * 1024 };
	unsigned char *d = NULL;
	size_t n = 0;
	int fd, rc = -1;

	*id = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_errno(e, "open", path);
	d = xmalloc(READSIZE + 1);
	for (;;) {
		ssize_t r = read(fd, d + n, READSIZE - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err_errno(e, "read", path);
			goto out;
		}
		if (r == 0 || (n += (size_t)r) == READSIZE)
			break;
	}
	if (n < 8) {
		err_setf(e, "EOF");
		goto out;
	}
	if (memcmp(d, "!<arch>\n", 8) == 0) {
		/* The compiler's header: !<arch>, __.PKGDEF, go object, build id. */
		static const char *const want[] = {"!<arch>", "__.PKGDEF", "go object "};
		size_t lim = n < 1024 ? n : 1024, pos = 0;
		for (int i = 0;; i++) {
			const unsigned char *nl = memchr(d + pos, '\n', lim - pos);
			size_t ll;
			if (!nl)
				break;
			ll = (size_t)(nl - (d + pos));
			if (i == 0 && !(ll == 7 && memcmp(d, want[0], 7) == 0))
				break;
			if ((i == 1 || i == 2) && !(ll >= strlen(want[i]) && memcmp(d + pos, want[i], strlen(want[i])) == 0))
				break;
			if (i == 3) {
				if (!(ll >= 9 && memcmp(d + pos, "build id ", 9) == 0)) {
					*id = xstrdup("");
					rc = 0;
					goto out;
				}
				*id = go_unquote((const char *)d + pos + 9, ll - 9);
				if (*id) {
					rc = 0;
					goto out;
				}
				break;
			}
			pos += ll + 1;
		}
		/* Not a gc archive header: try gccgo's layout on the whole file. */
		{
			struct stat st;
			unsigned char *whole = NULL;
			size_t wn = 0;
			if (fstat(fd, &st) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
				err_errno(e, "read", path);
				goto out;
			}
			if (read_whole(fd, path, (size_t)st.st_size, 0, &whole, &wn, e) < 0)
				goto out;
			rc = read_ar_buildid(path, whole, wn, id, e);
			free(whole);
		}
		goto out;
	}
	if (memcmp(d, "<bigaf>\n", 8) == 0) {
		/* AIX big archives come only from gccgo, which gotool does not drive. */
		parse_err(e, path, "malformed object file");
		goto out;
	}
	if (memcmp(d, "\x7f" "ELF", 4) == 0) {
		rc = read_elf_note(path, fd, d, n, id, e);
		goto out;
	}
	if ((get32(d, true) & ~1u) == (MACHO_MAGIC32 & ~1u) || (get32(d, false) & ~1u) == (MACHO_MAGIC32 & ~1u)) {
		rc = read_macho(path, fd, d, n, READSIZE, id, e);
		goto out;
	}
	rc = read_raw(path, d, n, id, e);
	if (rc == 0)
		*id = xstrdup("");
	rc = rc < 0 ? -1 : 0;
out:
	if (rc < 0) {
		free(*id);
		*id = NULL;
	}
	close(fd);
	free(d);
	return rc;
}

int work_buildid_read(const char *path, char **id, struct err *e)
{
	if (buildid_read_file(path, id, e) < 0)
		return -1;
	if (**id == 0) {
		/* go returns "" without an error here; callers treat both alike. */
		free(*id);
		*id = NULL;
		return err_setf(e, "%s: no build ID", path);
	}
	return 0;
}
