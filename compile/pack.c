/*
 * Archive packing: the objects of a package's non-Go sources (asm, cgo,
 * .syso) appended to the archive the compiler wrote with -pack.
 *
 * mirrors cmd/go/internal/work/gc.go packInternal (go1.26), which replaced
 * running `go tool pack r`: despite the `r` shown by -x, members are only
 * appended (a name already in the archive is not replaced), the name field
 * is the base name cut or space-padded to 16 bytes with no trailing '/',
 * and an odd-sized member is followed by one 0x00 byte (not '\n').
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile/compile.h"


/*
 * add_member appends obj's header, content and padding to b.  The content
 * must have exactly the size fstat reported, as go's io.Copy check wants.
 */
static int add_member(struct buf *b, const char *afile, const char *obj, struct err *e)
{
	const char *name = path_base(obj);
	size_t nlen = strlen(name), got = 0;
	struct stat st;
	int fd, rc = -1;

	fd = open(obj, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_errno(e, "open", obj);
	if (fstat(fd, &st) < 0) {
		err_errno(e, "stat", obj);
		goto out;
	}
	/* Bytes, not runes: a long UTF-8 name may be cut mid-rune, as in go. */
	if (nlen > 16)
		nlen = 16;
	buf_add(b, name, nlen);
	for (size_t i = nlen; i < 16; i++)
		buf_addch(b, ' ');
	buf_printf(b, "%-12d%-6d%-6d%-8o%-10lld`\n", 0, 0, 0, 0644, (long long)st.st_size);

	/* Read one byte more than stat promised, to notice a growing file. */
	buf_grow(b, (size_t)st.st_size + 1);
	for (;;) {
		size_t want = (size_t)st.st_size + 1 - got;
		ssize_t r;
		if (want == 0)
			break;
		r = read(fd, b->data + b->len + got, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int saved = errno;
			err_setf(e, "copying %s to %s: read %s: %s", obj, afile, obj, os_errstr(saved));
			goto out;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (got < (size_t)st.st_size) {
		err_setf(e, "copying %s to %s: unexpected EOF", obj, afile);
		goto out;
	}
	if (got > (size_t)st.st_size) {
		err_setf(e, "copying %s to %s: file larger than size reported by stat", obj, afile);
		goto out;
	}
	b->len += got;
	b->data[b->len] = 0;
	if (st.st_size & 1)
		buf_addch(b, 0);
	rc = 0;
out:
	close(fd);
	return rc;
}

int compile_pack_append(const char *path, const char *const *objs, size_t n, struct err *e)
{
	struct buf b = BUF_INIT;
	struct stat st;
	int fd, rc = -1;

	buf_init(&b);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0) {
		err_errno(e, "open", path);
		buf_release(&b);
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		err_errno(e, "stat", path);
		goto out;
	}
	/* Build everything first and append with one write, so a missing or
	 * unreadable object leaves the archive as the compiler wrote it. */
	for (size_t i = 0; i < n; i++)
		if (add_member(&b, path, objs[i], e) < 0)
			goto out;
	if (os_write_all(fd, b.data, b.len) < 0) {
		err_errno(e, "write", path);
		/* Cut off a partial append (full disk): go would leave it. */
		if (ftruncate(fd, st.st_size) < 0) {
			/* The error already reported is the one that matters. */
		}
		goto out;
	}
	rc = 0;
out:
	if (close(fd) < 0 && rc == 0)
		rc = err_errno(e, "close", path);
	buf_release(&b);
	return rc;
}
