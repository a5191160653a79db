/*
 * Build information embedded in Go binaries: finding the "\xff Go buildinf:"
 * blob in an executable's data (ELF, PE, Mach-O and fat Mach-O, XCOFF,
 * Plan 9 a.out), decoding its version and modinfo strings, and the modinfo
 * text format itself.  mirrors debug/buildinfo and runtime/debug/mod.go
 * (go1.26): the same search rules, the same errors, the same bounds, so
 * `gotool version -m` says what `go version -m` says about any file.
 *
 * Files are read with pread through a small reader, never slurped: the
 * search covers only the data segment or section the format names.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/runtime.h"

/* The error texts of debug/buildinfo (errUnrecognizedFormat, errNotGoExe)
 * and of its XCOFF/Plan 9 DataReader. */
static const char err_unrec[] = "unrecognized file format";
static const char err_notgo[] = "not a Go executable";
static const char err_unmapped[] = "address not mapped";

/* A reader over a file descriptor or a memory image. */
struct bi_reader {
	int fd;                  /* -1 for mem */
	const unsigned char *mem;
	uint64_t size;           /* file size */
	bool io_error;           /* a read failed with an errno other than EOF */
};

/* rd_at reads up to n bytes at off; returns how many were read (short at
 * end of file, like ReaderAt with io.EOF). */
static size_t rd_at(struct bi_reader *r, uint64_t off, void *p, size_t n)
{
	size_t got = 0;

	if (off >= r->size)
		return 0;
	if (n > r->size - off)
		n = (size_t)(r->size - off);
	if (r->fd < 0) {
		memcpy(p, r->mem + off, n);
		return n;
	}
	while (got < n) {
		ssize_t k = pread(r->fd, (char *)p + got, n - got, (off_t)(off + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			r->io_error = true;
			break;
		}
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return got;
}

/* rd_full reads exactly n bytes at off, or fails (io.ReadFull semantics). */
static bool rd_full(struct bi_reader *r, uint64_t off, void *p, size_t n)
{
	return rd_at(r, off, p, n) == n;
}

static uint16_t get16(const unsigned char *b, bool big)
{
	return big ? (uint16_t)(b[0] << 8 | b[1]) : (uint16_t)(b[1] << 8 | b[0]);
}

static uint32_t get32(const unsigned char *b, bool big)
{
	if (big)
		return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
}

static uint64_t get64(const unsigned char *b, bool big)
{
	if (big)
		return (uint64_t)get32(b, true) << 32 | get32(b + 4, true);
	return (uint64_t)get32(b + 4, false) << 32 | get32(b, false);
}

/*
 * One region the format maps addresses to: go's Prog (ELF), Section (PE,
 * XCOFF, Plan 9) or Segment (Mach-O).  lo/hi_incl are the bounds the
 * format's DataReader compares with (computed with the same wrap-around
 * arithmetic as Go), rem_end the address its remaining count ends at;
 * reads go to the file at off + (addr - addr0), at most len bytes of the
 * region's own reader.
 */
struct bi_region {
	uint64_t addr0, lo, hi_incl, rem_end;
	uint64_t off, len;
	bool skip; /* Mach-O __PAGEZERO: matched but passed over */
};

enum bi_fmt { FMT_ELF, FMT_PE, FMT_MACHO, FMT_XCOFF, FMT_PLAN9 };

struct bi_exe {
	enum bi_fmt fmt;
	struct bi_reader *r;
	uint64_t base;      /* PE image base, subtracted from addresses */
	VEC(struct bi_region) regs;
	uint64_t data_addr, data_size; /* DataStart */
	uint64_t fat_off;   /* offset of the Mach-O image inside a fat file */
};

/* A data reader: where an address lands in the file and how much is left. */
struct bi_dr {
	uint64_t off;   /* file offset */
	uint64_t avail; /* bytes readable from off */
};

/* exe_reader is the format's DataReader: the region containing addr. */
static const char *exe_reader(struct bi_exe *x, uint64_t addr, struct bi_dr *dr)
{
	if (x->fmt == FMT_PE)
		addr -= x->base;
	for (size_t i = 0; i < x->regs.n; i++) {
		struct bi_region *g = &x->regs.v[i];
		uint64_t rel, rem;
		if (!(g->lo <= addr && addr <= g->hi_incl) || g->skip)
			continue;
		rel = addr - g->addr0;
		rem = g->rem_end - addr;
		/* the region's own reader ends at len; the outer one after rem */
		dr->off = x->fat_off + g->off + rel;
		dr->avail = rel >= g->len ? 0 : g->len - rel;
		if (rem < dr->avail)
			dr->avail = rem;
		return NULL;
	}
	return (x->fmt == FMT_XCOFF || x->fmt == FMT_PLAN9) ? err_unmapped : err_unrec;
}

/* dr_read reads up to n bytes from a data reader: returns the count. */
static size_t dr_read(struct bi_exe *x, const struct bi_dr *dr, uint64_t at, void *p, size_t n)
{
	if (at >= dr->avail)
		return 0;
	if (n > dr->avail - at)
		n = (size_t)(dr->avail - at);
	return rd_at(x->r, dr->off + at, p, n);
}

/* saferio's chunk: ReadDataAt refuses nothing below it, reads larger sizes
 * in pieces; either way a short read is io.EOF. */
#define BI_MAX_ALLOC ((uint64_t)1 << 62)

/*
 * read_data mirrors buildinfo.readData: exactly size bytes at addr into a
 * heap buffer (*out, caller frees), or an error: "" for io.EOF and its
 * kin (a short read), else the DataReader's message.
 */
static const char *read_data(struct bi_exe *x, uint64_t addr, uint64_t size, unsigned char **out)
{
	struct bi_dr dr;
	const char *why;
	unsigned char *p;

	*out = NULL;
	if ((why = exe_reader(x, addr, &dr)) != NULL)
		return why;
	if (size > BI_MAX_ALLOC || size > dr.avail)
		return "";
	p = xmalloc(size ? (size_t)size : 1);
	if (dr_read(x, &dr, 0, p, (size_t)size) != size) {
		free(p);
		return "";
	}
	*out = p;
	return NULL;
}

/* ---- formats ------------------------------------------------------------ */

static void add_region(struct bi_exe *x, struct bi_region g)
{
	VEC_PUSH(&x->regs, g);
}

/* open_elf mirrors the checks of debug/elf.NewFile that matter here and
 * collects the program headers and the .go.buildinfo section. */
static int open_elf(struct bi_exe *x)
{
	struct bi_reader *r = x->r;
	unsigned char h[64], ph[56], sh[64];
	unsigned char *shstr = NULL;
	uint64_t phoff, shoff, shstr_off = 0, shstr_size = 0;
	unsigned phentsize, phnum, shentsize, shnum, shstrndx;
	bool is64, big;
	uint64_t bi_addr = 0, bi_size = 0;
	bool have_bi = false, have_load = false;
	int ret = -1;

	if (!rd_full(r, 0, h, 16))
		goto out;
	if (h[4] != 1 && h[4] != 2)
		goto out;
	if (h[5] != 1 && h[5] != 2)
		goto out;
	if (h[6] != 1)
		goto out;
	is64 = h[4] == 2;
	big = h[5] == 2;
	if (!rd_full(r, 0, h, is64 ? 64 : 52))
		goto out;
	if (get32(h + 20, big) != 1)
		goto out;
	if (is64) {
		phoff = get64(h + 32, big);
		shoff = get64(h + 40, big);
		phentsize = get16(h + 54, big);
		phnum = get16(h + 56, big);
		shentsize = get16(h + 58, big);
		shnum = get16(h + 60, big);
		shstrndx = get16(h + 62, big);
	} else {
		phoff = get32(h + 28, big);
		shoff = get32(h + 32, big);
		phentsize = get16(h + 42, big);
		phnum = get16(h + 44, big);
		shentsize = get16(h + 46, big);
		shnum = get16(h + 48, big);
		shstrndx = get16(h + 50, big);
	}
	if ((int64_t)shoff < 0 || (int64_t)phoff < 0)
		goto out;
	if (shoff == 0 && shnum != 0)
		goto out;
	if (shnum > 0 && shstrndx >= shnum)
		goto out;
	if (phnum > 0 && phentsize < (is64 ? 56u : 32u))
		goto out;
	for (unsigned i = 0; i < phnum; i++) {
		struct bi_region g = {0};
		uint32_t type, flags;
		uint64_t off, vaddr, filesz, memsz;
		if (!rd_full(r, phoff + (uint64_t)i * phentsize, ph, is64 ? 56 : 32))
			goto out;
		if (is64) {
			type = get32(ph, big);
			flags = get32(ph + 4, big);
			off = get64(ph + 8, big);
			vaddr = get64(ph + 16, big);
			filesz = get64(ph + 32, big);
			memsz = get64(ph + 40, big);
		} else {
			type = get32(ph, big);
			off = get32(ph + 4, big);
			vaddr = get32(ph + 8, big);
			filesz = get32(ph + 16, big);
			memsz = get32(ph + 20, big);
			flags = get32(ph + 24, big);
		}
		if ((int64_t)off < 0 || (int64_t)filesz < 0)
			goto out;
		g.addr0 = g.lo = vaddr;
		g.hi_incl = vaddr + filesz - 1;
		g.rem_end = vaddr + filesz;
		g.off = off;
		g.len = filesz;
		add_region(x, g);
		/* DataStart's fallback: the first PT_LOAD that is W but not X */
		if (!have_load && type == 1 && (flags & 3) == 2) {
			have_load = true;
			x->data_addr = vaddr;
			x->data_size = memsz;
		}
	}
	if (shoff > 0 && shnum == 0) {
		/* the real count lives in the first section header (SHN_XINDEX) */
		if (!rd_full(r, shoff, sh, is64 ? 64 : 40))
			goto out;
		if (get32(sh + 4, big) != 0)
			goto out;
		shnum = (unsigned)(is64 ? get64(sh + 32, big) : get32(sh + 20, big));
		if (shnum < 0xff00)
			goto out;
		if (shstrndx == 0xffff) {
			shstrndx = get32(sh + (is64 ? 40 : 24), big);
			if (shstrndx < 0xff00)
				goto out;
		}
	}
	if (shnum > 0 && shentsize < (is64 ? 64u : 40u))
		goto out;
	if (shnum > 0 && shstrndx != 0) {
		if (shstrndx >= shnum)
			goto out;
		if (!rd_full(r, shoff + (uint64_t)shstrndx * shentsize, sh, is64 ? 64 : 40))
			goto out;
		if (get32(sh + 4, big) != 3) /* SHT_STRTAB */
			goto out;
		shstr_off = is64 ? get64(sh + 24, big) : get32(sh + 16, big);
		shstr_size = is64 ? get64(sh + 32, big) : get32(sh + 20, big);
		if ((int64_t)shstr_off < 0 || (int64_t)shstr_size < 0 || shstr_size > r->size)
			goto out;
		shstr = xmalloc(shstr_size ? (size_t)shstr_size : 1);
		if (!rd_full(r, shstr_off, shstr, (size_t)shstr_size))
			goto out;
	}
	for (unsigned i = 0; i < shnum; i++) {
		uint32_t name;
		uint64_t off, size, addr;
		size_t end;
		if (!rd_full(r, shoff + (uint64_t)i * shentsize, sh, is64 ? 64 : 40))
			goto out;
		name = get32(sh, big);
		if (is64) {
			addr = get64(sh + 16, big);
			off = get64(sh + 24, big);
			size = get64(sh + 32, big);
		} else {
			addr = get32(sh + 12, big);
			off = get32(sh + 16, big);
			size = get32(sh + 20, big);
		}
		if ((int64_t)off < 0 || (int64_t)size < 0)
			goto out;
		if (!shstr)
			continue;
		/* getString: the name must start inside the table and end in NUL */
		if (name >= shstr_size)
			goto out;
		for (end = name; end < shstr_size && shstr[end]; end++)
			;
		if (end == shstr_size)
			goto out;
		if (!have_bi && strcmp((char *)shstr + name, ".go.buildinfo") == 0) {
			have_bi = true;
			bi_addr = addr;
			bi_size = size;
		}
	}
	if (have_bi) {
		x->data_addr = bi_addr;
		x->data_size = bi_size;
	}
	ret = 0;
out:
	free(shstr);
	return ret;
}

/* pe_strtab_name checks a COFF string table offset (pe.StringTable.String). */
static int pe_strtab_name(uint64_t start, uint64_t strtab_len)
{
	if (start < 4 || start - 4 > strtab_len)
		return -1;
	return 0;
}

/*
 * pe_symbols reads the COFF string table and symbols as pe.NewFile does
 * (readStringTable, readCOFFSymbols, removeAuxSymbols), failing where it
 * fails; the string table goes to *strtab (heap, caller frees).
 */
static int pe_symbols(struct bi_reader *r, const unsigned char *fh, unsigned char **strtab, uint64_t *strtab_len)
{
	uint32_t symptr = get32(fh + 8, false), nsyms = get32(fh + 12, false);
	unsigned char lenb[4], *syms = NULL;
	uint64_t l;
	unsigned aux = 0;
	int ret = -1;

	*strtab = NULL;
	*strtab_len = 0;
	if (symptr == 0)
		return 0;
	if (!rd_full(r, (uint32_t)(symptr + 18u * nsyms), lenb, 4))
		return -1;
	l = get32(lenb, false);
	if (l > 4) {
		l -= 4;
		if (l > r->size)
			return -1;
		*strtab = xmalloc((size_t)l);
		*strtab_len = l;
		if (!rd_full(r, (uint64_t)(uint32_t)(symptr + 18u * nsyms) + 4, *strtab, (size_t)l))
			return -1;
	}
	if (nsyms == 0)
		return 0;
	if ((uint64_t)nsyms * 18 > r->size)
		return -1;
	syms = xmalloc((size_t)nsyms * 18);
	if (!rd_full(r, symptr, syms, (size_t)nsyms * 18))
		goto out;
	for (uint32_t i = 0; i < nsyms; i++) {
		const unsigned char *sym = syms + (size_t)i * 18;
		if (aux > 0) {
			aux--;
			continue;
		}
		if (get32(sym, false) == 0 && pe_strtab_name(get32(sym + 4, false), *strtab_len) < 0)
			goto out;
		aux = sym[17];
	}
	ret = 0;
out:
	free(syms);
	return ret;
}

/* pe_section_name checks a section name: "/123" names the string table. */
static int pe_section_name(const unsigned char *sh, const unsigned char *strtab, uint64_t strtab_len)
{
	uint64_t v = 0;
	size_t i = 1;
	bool neg = false;

	(void)strtab;
	if (sh[0] != '/')
		return 0;
	/* strconv.Atoi of the NUL-terminated rest of the 8 bytes */
	if (i < 8 && (sh[i] == '+' || sh[i] == '-')) {
		neg = sh[i] == '-';
		i++;
	}
	if (i >= 8 || sh[i] < '0' || sh[i] > '9')
		return -1;
	for (; i < 8 && sh[i]; i++) {
		if (sh[i] < '0' || sh[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(sh[i] - '0');
	}
	if (neg)
		v = (uint32_t)-(int64_t)v;
	return pe_strtab_name((uint32_t)v, strtab_len);
}

/* open_pe reads the PE headers debug/pe.NewFile needs for the sections. */
static int open_pe(struct bi_exe *x)
{
	struct bi_reader *r = x->r;
	unsigned char dos[96], sig[4], fh[20], oh[32], sh[40];
	uint64_t signoff, base, shoff;
	unsigned nsect, ohsize;
	uint16_t magic;
	bool have_data = false;
	unsigned char *strtab = NULL;
	uint64_t strtab_len = 0;

	if (!rd_full(r, 0, dos, 96))
		return -1;
	signoff = get32(dos + 0x3c, false);
	if (!rd_full(r, signoff, sig, 4) || memcmp(sig, "PE\0\0", 4) != 0)
		return -1;
	base = signoff + 4;
	if (!rd_full(r, base, fh, 20))
		return -1;
	switch (get16(fh, false)) {
	case 0x8664: case 0xaa64: case 0x1c4: case 0x14c: case 0x5032: case 0x5064: case 0x5128: case 0:
		break;
	default:
		return -1; /* unrecognized PE machine */
	}
	if (pe_symbols(r, fh, &strtab, &strtab_len) < 0)
		goto fail;
	nsect = get16(fh + 2, false);
	ohsize = get16(fh + 16, false);
	x->base = 0;
	if (ohsize > 0) {
		if (ohsize < 2 || !rd_full(r, base + 20, oh, 2))
			goto fail;
		magic = get16(oh, false);
		if (magic == 0x10b) {
			if (ohsize < 32 || !rd_full(r, base + 20, oh, 32))
				goto fail;
			x->base = get32(oh + 28, false);
		} else if (magic == 0x20b) {
			if (ohsize < 32 || !rd_full(r, base + 20, oh, 32))
				goto fail;
			x->base = get64(oh + 24, false);
		} else {
			goto fail;
		}
	}
	shoff = base + 20 + ohsize;
	for (unsigned i = 0; i < nsect; i++) {
		struct bi_region g = {0};
		uint32_t vsize, va, size, ptr, ch;
		if (!rd_full(r, shoff + (uint64_t)i * 40, sh, 40))
			goto fail;
		vsize = get32(sh + 8, false);
		va = get32(sh + 12, false);
		size = get32(sh + 16, false);
		ptr = get32(sh + 20, false);
		ch = get32(sh + 36, false);
		if (pe_section_name(sh, strtab, strtab_len) < 0)
			goto fail;
		/* the relocations must be readable (pe.readRelocs) */
		if (get16(sh + 32, false) > 0 && get32(sh + 24, false) + (uint64_t)get16(sh + 32, false) * 10 > r->size)
			goto fail;
		/* uint32 arithmetic, as peExe.DataReader does it */
		g.addr0 = g.lo = va;
		g.hi_incl = (uint32_t)(va + size - 1);
		g.rem_end = (uint32_t)(va + size);
		g.off = ptr;
		g.len = size;
		add_region(x, g);
		if (!have_data && va != 0 && size != 0 && (ch & ~0x600000u) == (0x40u | 0x40000000u | 0x80000000u)) {
			have_data = true;
			x->data_addr = (uint64_t)va + x->base;
			x->data_size = vsize;
		}
	}
	free(strtab);
	return 0;
fail:
	free(strtab);
	return -1;
}

/*
 * macho_check_cmd makes the reads debug/macho.NewFile makes for symbol
 * tables (LC_SYMTAB, LC_DYSYMTAB) so that a file it refuses is refused
 * here too; *nsyms is the symbol count seen so far (-1: no symtab).
 */
static int macho_check_cmd(struct bi_exe *x, uint32_t cmd, uint64_t off, uint32_t len, bool big, bool is64,
                           int64_t *nsyms)
{
	struct bi_reader *r = x->r;
	unsigned char c[80], *syms = NULL;
	int ret = -1;

	if (cmd == 0x2) { /* LC_SYMTAB */
		uint32_t symoff, n, stroff, strsize;
		size_t symsz = is64 ? 16 : 12;
		if (len < 24 || !rd_full(r, x->fat_off + off, c, 24))
			return -1;
		symoff = get32(c + 8, big);
		n = get32(c + 12, big);
		stroff = get32(c + 16, big);
		strsize = get32(c + 20, big);
		if (x->fat_off + stroff + strsize > r->size || x->fat_off + symoff + (uint64_t)n * symsz > r->size)
			return -1;
		syms = xmalloc(n ? (size_t)n * symsz : 1);
		if (!rd_full(r, x->fat_off + symoff, syms, (size_t)n * symsz))
			goto out;
		for (uint32_t i = 0; i < n; i++)
			if (get32(syms + (size_t)i * symsz, big) >= strsize)
				goto out; /* invalid name in symbol table */
		*nsyms = n;
	} else if (cmd == 0xb) { /* LC_DYSYMTAB */
		uint32_t iundef, nundef, indoff, nind;
		if (len < 80 || !rd_full(r, x->fat_off + off, c, 80))
			return -1;
		iundef = get32(c + 32, big);
		nundef = get32(c + 36, big);
		indoff = get32(c + 56, big);
		nind = get32(c + 60, big);
		if (*nsyms < 0 || iundef > *nsyms || (uint32_t)(iundef + nundef) > *nsyms)
			return -1;
		if (x->fat_off + indoff + (uint64_t)nind * 4 > r->size)
			return -1;
	}
	ret = 0;
out:
	free(syms);
	return ret;
}

/* open_macho reads a (thin) Mach-O image at x->fat_off: its segments and
 * the __go_buildinfo section, as debug/macho.NewFile lays them out. */
static int open_macho(struct bi_exe *x, uint64_t limit)
{
	struct bi_reader *r = x->r;
	unsigned char h[32], lc[8], seg[72], sect[80];
	uint32_t magic, ncmds, sizeofcmds;
	bool big, is64;
	uint64_t off;
	bool have_bi = false, have_rw = false;
	int64_t nsyms = -1;

	if (limit < 28 || !rd_full(r, x->fat_off, h, 28))
		return -1;
	if (get32(h, true) == 0xfeedface || get32(h, true) == 0xfeedfacf) {
		big = true;
	} else if (get32(h, false) == 0xfeedface || get32(h, false) == 0xfeedfacf) {
		big = false;
	} else {
		return -1;
	}
	magic = get32(h, big);
	is64 = magic == 0xfeedfacf;
	ncmds = get32(h + 16, big);
	sizeofcmds = get32(h + 20, big);
	off = is64 ? 32 : 28;
	if (off + sizeofcmds > limit)
		return -1;
	for (uint32_t i = 0; i < ncmds; i++) {
		uint32_t cmd, len;
		if (sizeofcmds < 8 || !rd_full(r, x->fat_off + off, lc, 8))
			return -1;
		cmd = get32(lc, big);
		len = get32(lc + 4, big);
		if (len < 8 || len > sizeofcmds)
			return -1;
		if (macho_check_cmd(x, cmd, off, len, big, is64, &nsyms) < 0)
			return -1;
		if ((cmd == 0x19 && is64) || (cmd == 0x1 && !is64)) {
			struct bi_region g = {0};
			uint64_t vmaddr, vmsize, fileoff, filesz;
			uint32_t maxprot, initprot, nsects;
			size_t ssz = is64 ? 72 : 56, secsz = is64 ? 80 : 68;
			if (len < ssz || !rd_full(r, x->fat_off + off, seg, ssz))
				return -1;
			if (is64) {
				vmaddr = get64(seg + 24, big);
				vmsize = get64(seg + 32, big);
				fileoff = get64(seg + 40, big);
				filesz = get64(seg + 48, big);
				maxprot = get32(seg + 56, big);
				initprot = get32(seg + 60, big);
				nsects = get32(seg + 64, big);
			} else {
				vmaddr = get32(seg + 24, big);
				vmsize = get32(seg + 28, big);
				fileoff = get32(seg + 32, big);
				filesz = get32(seg + 36, big);
				maxprot = get32(seg + 40, big);
				initprot = get32(seg + 44, big);
				nsects = get32(seg + 48, big);
			}
			if ((uint64_t)nsects * secsz > len - ssz)
				return -1;
			g.addr0 = g.lo = vmaddr;
			g.hi_incl = vmaddr + filesz - 1;
			g.rem_end = vmaddr + filesz;
			g.off = fileoff;
			g.len = filesz;
			g.skip = strncmp((char *)seg + 8, "__PAGEZERO", 16) == 0;
			add_region(x, g);
			if (!have_rw && vmaddr != 0 && filesz != 0 && initprot == 3 && maxprot == 3) {
				have_rw = true;
				if (!have_bi) {
					x->data_addr = vmaddr;
					x->data_size = vmsize;
				}
			}
			for (uint32_t s = 0; s < nsects; s++) {
				if (!rd_full(r, x->fat_off + off + ssz + (uint64_t)s * secsz, sect, secsz))
					return -1;
				uint32_t reloff = get32(sect + (is64 ? 56 : 48), big);
				uint32_t nreloc = get32(sect + (is64 ? 60 : 52), big);
				if (nreloc > 0 && x->fat_off + reloff + (uint64_t)nreloc * 8 > r->size)
					return -1;
				if (!have_bi && strncmp((char *)sect, "__go_buildinfo", 16) == 0) {
					have_bi = true;
					x->data_addr = is64 ? get64(sect + 32, big) : get32(sect + 32, big);
					x->data_size = is64 ? get64(sect + 40, big) : get32(sect + 36, big);
				}
			}
		}
		off += len;
		sizeofcmds -= len;
	}
	return 0;
}

/* open_fat picks the first image of a fat Mach-O file, after checking
 * every image parses (debug/macho.NewFatFile fails otherwise). */
static int open_fat(struct bi_exe *x)
{
	struct bi_reader *r = x->r;
	unsigned char h[8], a[32];
	bool is64;
	uint32_t narch;
	uint64_t first = 0, first_size = 0;

	if (!rd_full(r, 0, h, 8))
		return -1;
	is64 = get32(h, true) == 0xcafebabf;
	narch = get32(h + 4, true);
	if (narch < 1)
		return -1;
	for (uint32_t i = 0; i < narch; i++) {
		size_t asz = is64 ? 32 : 20;
		uint64_t off, size;
		if (!rd_full(r, 8 + (uint64_t)i * asz, a, asz))
			return -1;
		off = is64 ? get64(a + 8, true) : get32(a + 8, true);
		size = is64 ? get64(a + 16, true) : get32(a + 12, true);
		x->fat_off = off;
		VEC_FREE(&x->regs);
		x->data_addr = x->data_size = 0;
		if (open_macho(x, size) < 0)
			return -1;
		if (i == 0) {
			first = off;
			first_size = size;
		}
	}
	VEC_FREE(&x->regs);
	x->data_addr = x->data_size = 0;
	x->fat_off = first;
	return open_macho(x, first_size);
}

/* open_xcoff reads an AIX XCOFF file's section headers (internal/xcoff). */
static int open_xcoff(struct bi_exe *x)
{
	struct bi_reader *r = x->r;
	unsigned char fh[24], sh[72];
	bool is64;
	unsigned nscns, opthdr;
	uint64_t off;
	bool have_data = false;

	if (!rd_full(r, 0, fh, 24))
		return -1;
	is64 = get16(fh, true) == 0x01f7;
	nscns = get16(fh + 2, true);
	opthdr = get16(fh + (is64 ? 16 : 16), true);
	off = (is64 ? 24 : 20) + (uint64_t)opthdr;
	for (unsigned i = 0; i < nscns; i++) {
		struct bi_region g = {0};
		uint64_t vaddr, size, scnptr;
		uint32_t flags;
		size_t ssz = is64 ? 72 : 40;
		if (!rd_full(r, off + (uint64_t)i * ssz, sh, ssz))
			return -1;
		if (is64) {
			vaddr = get64(sh + 16, true);
			size = get64(sh + 24, true);
			scnptr = get64(sh + 32, true);
			flags = get32(sh + 64, true);
		} else {
			vaddr = get32(sh + 12, true);
			size = get32(sh + 16, true);
			scnptr = get32(sh + 20, true);
			flags = get32(sh + 36, true);
		}
		g.addr0 = g.lo = vaddr;
		g.hi_incl = vaddr + size - 1;
		g.rem_end = vaddr + size;
		g.off = scnptr;
		g.len = size;
		add_region(x, g);
		if (!have_data && flags == 0x40) { /* STYP_DATA */
			have_data = true;
			x->data_addr = vaddr;
			x->data_size = size;
		}
	}
	return 0;
}

/* open_plan9 lays out a Plan 9 a.out's sections after its header
 * (debug/plan9obj): text, data, syms, spsz, pcsz, by uint32 offsets. */
static int open_plan9(struct bi_exe *x)
{
	struct bi_reader *r = x->r;
	unsigned char h[40];
	uint32_t magic, off;
	static const int order[] = {1, 2, 4, 6, 7}; /* text data syms spsz pcsz */

	if (!rd_full(r, 0, h, 32))
		return -1;
	magic = get32(h, true);
	off = 32;
	if (magic & 0x8000) {
		if (!rd_full(r, 0, h, 40))
			return -1;
		off = 40;
	}
	for (size_t i = 0; i < countof(order); i++) {
		struct bi_region g = {0};
		uint32_t size = get32(h + 4 * order[i], true);
		g.addr0 = g.lo = off;
		g.hi_incl = (uint32_t)(off + size - 1);
		g.rem_end = (uint32_t)(off + size);
		g.off = off;
		g.len = size;
		add_region(x, g);
		if (i == 1) {
			x->data_addr = off;
			x->data_size = size;
		}
		off += size;
	}
	return 0;
}

/* ---- the blob ----------------------------------------------------------- */

static const char bi_magic[] = "\xff Go buildinf:";
#define BI_MAGIC_LEN 14
#define BI_ALIGN 16
#define BI_HEADER 32
#define BI_CHUNK ((uint64_t)1 << 20)

/* search_magic mirrors buildinfo.searchMagic, including how it reports a
 * match after skipping a misaligned one (relative to the rest of the chunk). */
static const char *search_magic(struct bi_exe *x, uint64_t start, uint64_t size, uint64_t *found)
{
	uint64_t end = start + size;
	unsigned char *buf = NULL;
	const char *why = err_notgo;

	if (end < start)
		return err_unrec;
	start = (start + BI_ALIGN - 1) & ~(uint64_t)(BI_ALIGN - 1);
	if (start >= end)
		return err_notgo;
	while (start < end) {
		uint64_t remaining = end - start;
		size_t chunk = (size_t)(remaining < BI_CHUNK ? remaining : BI_CHUNK);
		struct bi_dr dr;
		size_t n;
		const unsigned char *data;
		size_t dlen;
		const char *e;

		if (!buf)
			buf = xmalloc(chunk);
		memset(buf, 0, chunk);
		if ((e = exe_reader(x, start, &dr)) != NULL) {
			why = e;
			goto out;
		}
		n = dr_read(x, &dr, 0, buf, chunk);
		if (n == 0)
			goto out; /* io.EOF before the magic */
		data = buf;
		dlen = n;
		while (dlen > 0) {
			const unsigned char *m = memmem(data, dlen, bi_magic, BI_MAGIC_LEN);
			size_t i, next;
			if (!m)
				break;
			i = (size_t)(m - data);
			if (remaining - i < BI_HEADER)
				goto out;
			if (i % BI_ALIGN != 0) {
				next = (i + BI_ALIGN - 1) & ~(size_t)(BI_ALIGN - 1);
				if (next > dlen)
					goto out;
				data += next;
				dlen -= next;
				continue;
			}
			*found = start + i;
			why = NULL;
			goto out;
		}
		start += chunk;
	}
out:
	free(buf);
	return why;
}

/* buildinfo_uvarint decodes an unsigned varint like encoding/binary.Uvarint:
 * returns the bytes used, 0 if p is too short, negative on overflow. */
int buildinfo_uvarint(const unsigned char *p, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	unsigned s = 0;

	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 10)
			return -11; /* overflow */
		if (p[i] < 0x80) {
			if (i == 9 && p[i] > 1)
				return -(int)(i + 1);
			*v = x | (uint64_t)p[i] << s;
			return (int)(i + 1);
		}
		x |= (uint64_t)(p[i] & 0x7f) << s;
		s += 7;
	}
	return 0;
}

/* decode_string mirrors buildinfo.decodeString: a varint length, then the
 * bytes; the string goes to out, *addr moves past it. */
static const char *decode_string(struct bi_exe *x, uint64_t *addr, struct buf *out)
{
	unsigned char *b = NULL;
	const char *why;
	uint64_t len;
	int n;

	if ((why = read_data(x, *addr, 10, &b)) != NULL)
		return *why ? why : err_notgo;
	n = buildinfo_uvarint(b, 10, &len);
	free(b);
	if (n <= 0)
		return err_notgo;
	*addr += (uint64_t)n;
	if ((why = read_data(x, *addr, len, &b)) != NULL)
		return *why ? why : err_notgo;
	buf_add(out, b, (size_t)len);
	free(b);
	*addr += len;
	return NULL;
}

/* read_string is buildinfo.readString: a Go string header at addr, then
 * its data; "" on any failure. */
static void read_string(struct bi_exe *x, unsigned ptrsize, bool big, uint64_t addr, struct buf *out)
{
	unsigned char *hdr = NULL, *data = NULL;
	uint64_t daddr, dlen;

	if (read_data(x, addr, 2 * ptrsize, &hdr) != NULL)
		return;
	daddr = ptrsize == 4 ? get32(hdr, big) : get64(hdr, big);
	dlen = ptrsize == 4 ? get32(hdr + 4, big) : get64(hdr + 8, big);
	free(hdr);
	if (read_data(x, daddr, dlen, &data) != NULL)
		return;
	buf_add(out, data, (size_t)dlen);
	free(data);
}

/* read_raw mirrors buildinfo.readRawBuildInfo: the version and the modinfo
 * (framing stripped) of the executable in r, or go's error text. */
static const char *read_raw(struct bi_reader *r, struct buf *vers, struct buf *mod)
{
	unsigned char ident[16];
	struct bi_exe x;
	const char *why = NULL;
	unsigned char *hdr = NULL;
	uint64_t addr;
	int rc;

	memset(&x, 0, sizeof x);
	x.r = r;
	if (!rd_full(r, 0, ident, 16))
		return err_unrec;
	if (memcmp(ident, "\x7f" "ELF", 4) == 0) {
		x.fmt = FMT_ELF;
		rc = open_elf(&x);
	} else if (memcmp(ident, "MZ", 2) == 0) {
		x.fmt = FMT_PE;
		rc = open_pe(&x);
	} else if (memcmp(ident, "\xfe\xed\xfa", 3) == 0 || memcmp(ident + 1, "\xfa\xed\xfe", 3) == 0) {
		x.fmt = FMT_MACHO;
		rc = open_macho(&x, r->size);
	} else if (memcmp(ident, "\xca\xfe\xba\xbe", 4) == 0 || memcmp(ident, "\xca\xfe\xba\xbf", 4) == 0) {
		x.fmt = FMT_MACHO;
		rc = open_fat(&x);
	} else if (memcmp(ident, "\x01\xdf", 2) == 0 || memcmp(ident, "\x01\xf7", 2) == 0) {
		x.fmt = FMT_XCOFF;
		rc = open_xcoff(&x);
	} else {
		uint32_t m = get32(ident, true);
		if (m != 0x1eb && m != 0x8a97 && m != 0x647) {
			why = err_unrec;
			goto out;
		}
		x.fmt = FMT_PLAN9;
		rc = open_plan9(&x);
	}
	if (rc < 0) {
		why = err_unrec;
		goto out;
	}
	if (x.data_size == 0) {
		why = err_notgo;
		goto out;
	}
	if ((why = search_magic(&x, x.data_addr, x.data_size, &addr)) != NULL)
		goto out;
	if ((why = read_data(&x, addr, BI_HEADER, &hdr)) != NULL) {
		if (!*why)
			why = err_notgo;
		goto out;
	}
	if ((hdr[15] & 2) != 0) {
		/* 1.18+: varint-prefixed strings inline after the header */
		addr += BI_HEADER;
		if ((why = decode_string(&x, &addr, vers)) != NULL)
			goto out;
		if ((why = decode_string(&x, &addr, mod)) != NULL)
			goto out;
	} else {
		/* before 1.18: pointers to Go string headers */
		unsigned ptrsize = hdr[14];
		bool big = (hdr[15] & 1) != 0;
		if (ptrsize != 4 && ptrsize != 8) {
			why = err_notgo;
			goto out;
		}
		read_string(&x, ptrsize, big, ptrsize == 4 ? get32(hdr + 16, big) : get64(hdr + 16, big), vers);
		read_string(&x, ptrsize, big, ptrsize == 4 ? get32(hdr + 20, big) : get64(hdr + 24, big), mod);
	}
	if (vers->len == 0) {
		why = err_notgo;
		goto out;
	}
	/* strip modload's 16-byte sentinels around the module info */
	if (mod->len >= 33 && mod->data[mod->len - 17] == '\n') {
		memmove(mod->data, mod->data + 16, mod->len - 32);
		buf_truncate(mod, mod->len - 32);
	} else {
		buf_reset(mod);
	}
out:
	free(hdr);
	VEC_FREE(&x.regs);
	return why;
}

/* ---- modinfo text (runtime/debug/mod.go) -------------------------------- */

static bool quote_key(const char *k)
{
	return !*k || strpbrk(k, "= \t\r\n\"`") != NULL;
}

static bool quote_value(const char *v)
{
	return strpbrk(v, " \t\r\n\"`") != NULL;
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

static void put_utf8(struct buf *b, uint32_t r)
{
	if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff))
		r = 0xfffd;
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

/*
 * unquote_prefix decodes the Go string literal ("..." or `...`) at the
 * start of s[0..n) into out and returns its length in s, or 0 when there
 * is no valid literal there (strconv.QuotedPrefix + Unquote).
 */
static size_t unquote_prefix(const char *s, size_t n, struct buf *out)
{
	size_t i = 1;

	if (n == 0)
		return 0;
	if (s[0] == '`') {
		for (; i < n && s[i] != '`'; i++)
			if (s[i] != '\r')
				buf_addch(out, (unsigned char)s[i]);
		return i < n ? i + 1 : 0;
	}
	if (s[0] != '"')
		return 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"')
			return i + 1;
		if (c == '\n')
			return 0;
		if (c != '\\') {
			buf_addch(out, c);
			i++;
			continue;
		}
		if (i + 1 >= n)
			return 0;
		c = (unsigned char)s[i + 1];
		i += 2;
		switch (c) {
		case 'a': buf_addch(out, '\a'); break;
		case 'b': buf_addch(out, '\b'); break;
		case 'f': buf_addch(out, '\f'); break;
		case 'n': buf_addch(out, '\n'); break;
		case 'r': buf_addch(out, '\r'); break;
		case 't': buf_addch(out, '\t'); break;
		case 'v': buf_addch(out, '\v'); break;
		case '\\': buf_addch(out, '\\'); break;
		case '"': buf_addch(out, '"'); break;
		case 'x': case 'u': case 'U': {
			size_t k = c == 'x' ? 2 : c == 'u' ? 4 : 8;
			uint32_t v = 0;
			if (i + k > n)
				return 0;
			for (size_t j = 0; j < k; j++) {
				int h = hexval((unsigned char)s[i + j]);
				if (h < 0)
					return 0;
				v = v << 4 | (uint32_t)h;
			}
			i += k;
			if (c == 'x') {
				buf_addch(out, (int)v);
			} else {
				if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
					return 0;
				put_utf8(out, v);
			}
			break;
		}
		case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
			uint32_t v = (uint32_t)(c - '0');
			if (i + 2 > n)
				return 0;
			for (size_t j = 0; j < 2; j++) {
				unsigned char d = (unsigned char)s[i + j];
				if (d < '0' || d > '7')
					return 0;
				v = v * 8 + (uint32_t)(d - '0');
			}
			if (v > 255)
				return 0;
			i += 2;
			buf_addch(out, (int)v);
			break;
		}
		default:
			return 0;
		}
	}
	return 0;
}

static int split_tabs(struct str line, struct str *el, size_t max)
{
	size_t k = 0;
	struct str before, after;

	for (;;) {
		bool more = str_cut(line, '\t', &before, &after);
		if (k < max)
			el[k] = more ? before : line;
		k++;
		if (!more)
			break;
		line = after;
	}
	return (int)k;
}

static const char *adup(struct arena *a, struct str s)
{
	return arena_strndup(a, s.p, s.n);
}

static struct buildinfo_module *read_module_line(struct arena *a, struct buildinfo_module *m, struct str line,
                                                 struct err *e)
{
	struct str el[3] = {{"", 0}, {"", 0}, {"", 0}};
	int k = split_tabs(line, el, 3);

	if (k != 2 && k != 3) {
		err_setf(e, "expected 2 or 3 columns; got %d", k);
		return NULL;
	}
	memset(m, 0, sizeof *m);
	m->path = adup(a, el[0]);
	m->version = adup(a, el[1]);
	m->sum = k == 3 ? adup(a, el[2]) : "";
	return m;
}

/* parse_setting decodes the part of a build line after "build\t". */
static int parse_setting(struct arena *a, struct str kv, struct buildinfo_setting *s, struct err *e)
{
	struct buf key = BUF_INIT, val = BUF_INIT, q = BUF_INIT;
	struct str raw;
	int ret = -1;

	if (kv.n < 1) {
		err_setf(e, "build line missing '='");
		goto out;
	}
	if (kv.p[0] == '=') {
		err_setf(e, "build line with missing key");
		goto out;
	} else if (kv.p[0] == '`' || kv.p[0] == '"') {
		size_t used = unquote_prefix(kv.p, kv.n, &key);
		if (used == 0) {
			err_setf(e, "invalid quoted key in build line");
			goto out;
		}
		if (used == kv.n) {
			err_setf(e, "build line missing '=' after quoted key");
			goto out;
		}
		if (kv.p[used] != '=') {
			/* %q of a byte is a quoted rune */
			unsigned char c = (unsigned char)kv.p[used];
			if (c == '\'' || c == '\\')
				err_setf(e, "unexpected character after quoted key: '\\%c'", c);
			else if (c >= 0x20 && c < 0x7f)
				err_setf(e, "unexpected character after quoted key: '%c'", c);
			else if (c == '\n' || c == '\t' || c == '\r')
				err_setf(e, "unexpected character after quoted key: '\\%c'", c == '\n' ? 'n' : c == '\t' ? 't' : 'r');
			else if (c < 0x80)
				err_setf(e, "unexpected character after quoted key: '\\x%02x'", c);
			else
				err_setf(e, "unexpected character after quoted key: '\\u%04x'", c);
			goto out;
		}
		raw.p = kv.p + used + 1;
		raw.n = kv.n - used - 1;
	} else {
		struct str k;
		if (!str_cut(kv, '=', &k, &raw)) {
			err_setf(e, "build line missing '=' after key");
			goto out;
		}
		buf_addstr(&key, k);
		if (quote_key(buf_cstr(&key)) || memchr(k.p, 0, k.n)) {
			quoted_go_string(&q, k.p, k.n);
			err_setf(e, "unquoted key %s must be quoted", buf_cstr(&q));
			goto out;
		}
	}
	if (raw.n > 0 && (raw.p[0] == '`' || raw.p[0] == '"')) {
		if (unquote_prefix(raw.p, raw.n, &val) != raw.n) {
			err_setf(e, "invalid quoted value in build line");
			goto out;
		}
	} else if (raw.n > 0) {
		buf_addstr(&val, raw);
		if (quote_value(buf_cstr(&val))) {
			quoted_go_string(&q, raw.p, raw.n);
			err_setf(e, "unquoted value %s must be quoted", buf_cstr(&q));
			goto out;
		}
	}
	s->key = arena_strndup(a, key.data ? key.data : "", key.len);
	s->value = arena_strndup(a, val.data ? val.data : "", val.len);
	ret = 0;
out:
	buf_release(&key);
	buf_release(&val);
	buf_release(&q);
	return ret;
}

/* buildinfo_parse mirrors debug.ParseBuildInfo: modinfo text into bi
 * (strings in a); go_version is left NULL. */
int buildinfo_parse(const char *data, size_t n, struct arena *a, struct buildinfo *bi, struct err *e)
{
	struct str rest = {data, n}, line;
	struct buildinfo_module *last = NULL;
	struct err why = ERR_INIT;
	int lineno = 1, ret = -1;

	memset(bi, 0, sizeof *bi);
	bi->path = bi->main.path = bi->main.version = bi->main.sum = "";
	while (rest.n > 0) {
		if (!str_cut(rest, '\n', &line, &rest))
			break;
		if (str_has_prefix(line, "path\t")) {
			bi->path = adup(a, (struct str){line.p + 5, line.n - 5});
		} else if (str_has_prefix(line, "mod\t")) {
			last = read_module_line(a, &bi->main, (struct str){line.p + 4, line.n - 4}, &why);
			if (!last)
				goto out;
		} else if (str_has_prefix(line, "dep\t")) {
			struct buildinfo_module *m = arena_new(a, struct buildinfo_module);
			VEC_PUSH(&bi->deps, m);
			last = read_module_line(a, m, (struct str){line.p + 4, line.n - 4}, &why);
			if (!last)
				goto out;
		} else if (str_has_prefix(line, "=>\t")) {
			struct str el[3];
			int k = split_tabs((struct str){line.p + 3, line.n - 3}, el, 3);
			if (k != 3) {
				err_setf(&why, "expected 3 columns for replacement; got %d", k);
				goto out;
			}
			if (!last) {
				err_setf(&why, "replacement with no module on previous line");
				goto out;
			}
			last->replace = arena_new(a, struct buildinfo_module);
			last->replace->path = adup(a, el[0]);
			last->replace->version = adup(a, el[1]);
			last->replace->sum = adup(a, el[2]);
			last = NULL;
		} else if (str_has_prefix(line, "build\t")) {
			struct buildinfo_setting s;
			if (parse_setting(a, (struct str){line.p + 6, line.n - 6}, &s, &why) < 0)
				goto out;
			VEC_PUSH(&bi->settings, s);
		}
		lineno++;
	}
	ret = 0;
out:
	if (ret < 0) {
		err_setf(e, "could not parse Go build info: line %d: %s", lineno, err_msg(&why));
		buildinfo_release(bi);
	}
	err_clear(&why);
	return ret;
}

static void format_mod(struct buf *b, const char *word, const struct buildinfo_module *m)
{
	buf_printf(b, "%s\t%s\t%s", word, m->path, m->version);
	if (!m->replace) {
		buf_printf(b, "\t%s", m->sum);
	} else {
		buf_addch(b, '\n');
		format_mod(b, "=>", m->replace);
	}
	buf_addch(b, '\n');
}

/* buildinfo_string appends (*debug.BuildInfo).String() of bi to b. */
void buildinfo_string(struct buf *b, const struct buildinfo *bi)
{
	const struct buildinfo_module *mm = &bi->main;

	if (bi->go_version && *bi->go_version)
		buf_printf(b, "go\t%s\n", bi->go_version);
	if (bi->path && *bi->path)
		buf_printf(b, "path\t%s\n", bi->path);
	if (*mm->path || *mm->version || *mm->sum || mm->replace)
		format_mod(b, "mod", mm);
	for (size_t i = 0; i < bi->deps.n; i++)
		format_mod(b, "dep", bi->deps.v[i]);
	for (size_t i = 0; i < bi->settings.n; i++) {
		const struct buildinfo_setting *s = &bi->settings.v[i];
		buf_adds(b, "build\t");
		if (quote_key(s->key))
			quoted_go_string(b, s->key, strlen(s->key));
		else
			buf_adds(b, s->key);
		buf_addch(b, '=');
		if (quote_value(s->value))
			quoted_go_string(b, s->value, strlen(s->value));
		else
			buf_adds(b, s->value);
		buf_addch(b, '\n');
	}
}

static struct val *module_val(struct arena *a, const struct buildinfo_module *m, bool ptr)
{
	struct val *v = val_struct(a, ptr ? "*debug.Module" : "debug.Module", ptr);

	val_field_add(v, "Path", val_string(a, m->path), true);
	val_field_add(v, "Version", val_string(a, m->version), true);
	val_field_add(v, "Sum", val_string(a, m->sum), true);
	val_field_add(v, "Replace", m->replace ? module_val(a, m->replace, true) : val_nil(a), true);
	return v;
}

/* buildinfo_val builds the *debug.BuildInfo value json.MarshalIndent
 * prints for `go version -m -json`. */
struct val *buildinfo_val(struct arena *a, const struct buildinfo *bi)
{
	struct val *v = val_struct(a, "*debug.BuildInfo", true);
	struct val *deps = bi->deps.n ? val_list(a) : val_nil(a);
	struct val *sets = bi->settings.n ? val_list(a) : val_nil(a);

	val_field_add(v, "GoVersion", val_string(a, bi->go_version ? bi->go_version : ""), true);
	val_field_add(v, "Path", val_string(a, bi->path ? bi->path : ""), true);
	val_field_add(v, "Main", module_val(a, &bi->main, false), false);
	for (size_t i = 0; i < bi->deps.n; i++)
		val_list_add(deps, module_val(a, bi->deps.v[i], true));
	val_field_add(v, "Deps", deps, true);
	for (size_t i = 0; i < bi->settings.n; i++) {
		struct val *s = val_struct(a, "debug.BuildSetting", false);
		val_field_add(s, "Key", val_string(a, bi->settings.v[i].key), true);
		val_field_add(s, "Value", val_string(a, bi->settings.v[i].value), true);
		val_list_add(sets, s);
	}
	val_field_add(v, "Settings", sets, true);
	return v;
}

/* read_any is debug/buildinfo.Read on r: raw strings, then the parse. */
static int read_any(struct bi_reader *r, const char *name, struct arena *a, struct buildinfo *bi, struct err *e)
{
	struct buf vers = BUF_INIT, mod = BUF_INIT;
	const char *why;
	struct err pe = ERR_INIT;
	int ret = -1;

	memset(bi, 0, sizeof *bi);
	why = read_raw(r, &vers, &mod);
	if (why) {
		err_setf(e, "could not read Go build info from %s: %s", name, why);
		goto out;
	}
	if (buildinfo_parse(mod.data ? mod.data : "", mod.len, a, bi, &pe) < 0) {
		err_setf(e, "could not read Go build info from %s: %s", name, err_msg(&pe));
		goto out;
	}
	bi->go_version = arena_strndup(a, vers.data, vers.len);
	ret = 0;
out:
	err_clear(&pe);
	buf_release(&vers);
	buf_release(&mod);
	return ret;
}

/* buildinfo_read_mem is buildinfo_read_file on an in-memory image. */
int buildinfo_read_mem(const void *data, size_t n, const char *name, struct arena *a, struct buildinfo *bi,
                       struct err *e)
{
	struct bi_reader r = {-1, data, n, false};

	return read_any(&r, name, a, bi, e);
}

/*
 * buildinfo_read_file mirrors debug/buildinfo.ReadFile.  When the file
 * cannot be opened, *open_failed is set (go then prints only the name).
 */
int buildinfo_read_file(const char *name, struct arena *a, struct buildinfo *bi, bool *open_failed,
                        struct err *e)
{
	struct bi_reader r = {-1, NULL, 0, false};
	struct stat st;
	int ret;

	*open_failed = false;
	memset(bi, 0, sizeof *bi);
	r.fd = open(name, O_RDONLY | O_CLOEXEC);
	if (r.fd < 0) {
		*open_failed = true;
		err_errno(e, "open", name);
		err_wrapf(e, "could not read Go build info");
		return -1;
	}
	r.size = fstat(r.fd, &st) == 0 && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	ret = read_any(&r, name, a, bi, e);
	close(r.fd);
	return ret;
}

/* buildinfo_release frees bi's vectors (its strings live in the arena). */
void buildinfo_release(struct buildinfo *bi)
{
	VEC_FREE(&bi->deps);
	VEC_FREE(&bi->settings);
}
