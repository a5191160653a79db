/* Memory: fatal-on-OOM allocation and arenas (STYLE.md #3, #4). */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runtime.h"

#define HEAP_PAD ((size_t)8 << 20)
#define HEAP_HUGE ((size_t)2 << 20)

/*
 * glibc's defaults suit long-lived programs: the heap grows 128 KiB at a
 * time (a brk per step), its top is given back whenever 128 KiB are free,
 * and every allocation of 128 KiB or more (a file read, a big buffer) is
 * its own mmap, faulted in page by page and unmapped at free.  gotool runs
 * for milliseconds to seconds, so: grow by 8 MiB, never trim, serve up to
 * 4 MiB from the heap, and advise the heap's first megabytes for
 * transparent huge pages as the arena region is (a no-op build's malloc
 * heap is a few megabytes: one fault per 2 MiB instead of per 4 KiB when
 * the kernel has huge pages free).  Not under ASan, whose allocator owns
 * the heap.
 */
void mem_heap_init(void)
{
#if !defined(GOTOOL_ARENA_DEBUG)
	uintptr_t lo, hi, start, end;
	void *p, *brk_end;

	mallopt(M_TOP_PAD, (int)HEAP_PAD);
	mallopt(M_TRIM_THRESHOLD, (int)(4 * HEAP_PAD));
	mallopt(M_MMAP_THRESHOLD, (int)(HEAP_PAD / 2));
	/* the first allocation after M_TOP_PAD moves the break past the pad */
	if (!(p = malloc(1)))
		return;
	lo = (uintptr_t)p;
	free(p);
	brk_end = sbrk(0);
	if (brk_end == (void *)-1)
		return;
	hi = (uintptr_t)brk_end;
	if (hi <= lo || hi - lo > 4 * HEAP_PAD)
		return; /* not a brk heap (another allocator): leave it */
	start = (lo + HEAP_HUGE - 1) & ~(uintptr_t)(HEAP_HUGE - 1);
	end = hi & ~(uintptr_t)(HEAP_HUGE - 1);
	if (end > start)
		madvise((void *)start, end - start, MADV_HUGEPAGE); /* advice: failure is fine */
#endif
}

static NORETURN void oom(size_t n)
{
	fprintf(stderr, "%s: out of memory allocating %zu bytes\n", prog_name, n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom(SIZE_MAX);
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_detach(&b);
}

void bug_at(const char *file, int line, const char *what)
{
	fflush(stdout);
	fprintf(stderr, "%s: internal error at %s:%d: %s\n", prog_name, file, line, what);
	abort();
}

/*
 * Arena blocks are chained; a request larger than a quarter block gets a
 * block of its own so big allocations do not waste the current one.
 * Invariant: head->used <= head->size; memory past used is zero.
 */
struct arena_block {
	struct arena_block *next;
	size_t size, used;
	max_align_t data[];
};

enum { ARENA_BLOCK = 64 * 1024 };

/*
 * Standard-size arena blocks come from one region of address space that
 * the kernel may back with transparent huge pages (MADV_HUGEPAGE), so the
 * megabytes a package graph takes are faulted in 2 MB at a time instead of
 * 4 KB at a time: on a virtual machine each fault costs microseconds, and
 * a no-op build's arenas are hundreds of pages.  Fresh blocks are already
 * zero; released blocks are kept on a free list and cleared when reused.
 * When the region is used up (or cannot be mapped) blocks come from calloc.
 * Reserving address space costs nothing until it is touched.
 */
#define BLOCK_REGION_SIZE ((size_t)256 << 20)
#define HUGE_PAGE ((size_t)2 << 20)

static struct {
	char *next, *end;        /* the unused part of the region */
	bool tried;
	struct arena_block *free; /* released standard blocks */
} blocks;

static bool in_region(const void *p)
{
	return blocks.end && (const char *)p >= blocks.end - BLOCK_REGION_SIZE && (const char *)p < blocks.end;
}

#ifndef GOTOOL_ARENA_DEBUG
static struct arena_block *region_block(void)
{
	struct arena_block *b;
	size_t sz = sizeof(*b) + ARENA_BLOCK;

	if ((b = blocks.free) != NULL) {
		blocks.free = b->next;
		memset(b, 0, sz);
		return b;
	}
	if (!blocks.tried) {
		char *p;
		blocks.tried = true;
		p = mmap(NULL, BLOCK_REGION_SIZE + HUGE_PAGE, PROT_READ | PROT_WRITE,
		         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p != MAP_FAILED) {
			char *start = (char *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
			madvise(start, BLOCK_REGION_SIZE, MADV_HUGEPAGE); /* advice: failure is fine */
			blocks.next = start;
			blocks.end = start + BLOCK_REGION_SIZE;
		}
	}
	sz = (sz + 63) & ~(size_t)63;
	if (!blocks.next || (size_t)(blocks.end - blocks.next) < sz)
		return NULL;
	b = (struct arena_block *)blocks.next;
	blocks.next += sz;
	return b;
}
#endif

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->nbytes = 0;
}

void arena_release(struct arena *a)
{
	struct arena_block *b, *next;

	for (b = a->head; b; b = next) {
		next = b->next;
		if (in_region(b)) {
			b->next = blocks.free;
			blocks.free = b;
		} else {
			free(b);
		}
	}
	a->head = NULL;
	a->nbytes = 0;
}

static struct arena_block *arena_block_new(size_t size)
{
#ifdef GOTOOL_ARENA_DEBUG
	struct arena_block *b = NULL; /* every block its own allocation, for ASan */
#else
	struct arena_block *b = size == ARENA_BLOCK ? region_block() : NULL;
#endif

	if (!b)
		b = xcalloc(1, sizeof(*b) + size);
	b->size = size;
	return b;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b;
	size_t align = sizeof(max_align_t);
	void *p;

	a->nbytes += n;
#ifdef GOTOOL_ARENA_DEBUG
	/* Every allocation its own block: ASan sees overflows at once. */
	b = arena_block_new(n);
	b->used = n;
	b->next = a->head;
	a->head = b;
	return b->data;
#endif
	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	if (n > ARENA_BLOCK / 4) {
		b = arena_block_new(n);
		b->used = n;
		if (a->head) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			a->head = b;
		}
		return b->data;
	}
	b = a->head;
	if (!b || b->size - b->used < n) {
		b = arena_block_new(ARENA_BLOCK);
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	char *p;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	p = arena_strndup(a, b.data, b.len);
	buf_release(&b);
	return p;
}
