/* Files and locks: the only place for POSIX file-system details (STYLE.md #17). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime.h"

/*
 * read_fd appends fd's contents to b.  short_is_eof: a short read ends
 * the file (true for regular files), saving the read(2) that returns 0.
 * limit, when non-zero, bounds what is accepted.
 */
static int read_fd(int fd, const char *path, struct buf *b, size_t limit, size_t first,
                   bool short_is_eof, struct err *e)
{
	size_t start = b->len, want = first;

	for (;;) {
		size_t room;
		ssize_t n;
		buf_grow(b, want);
		room = b->cap - b->len - 1;
		n = read(fd, b->data + b->len, room);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err_errno(e, "read", path);
			buf_truncate(b, start);
			return -1;
		}
		b->len += (size_t)n;
		b->data[b->len] = 0;
		if (limit && b->len - start > limit) {
			buf_truncate(b, start);
			return err_setf(e, "read %s: file too large", path);
		}
		if (n == 0 || (short_is_eof && (size_t)n < room))
			return 0;
		want = 64 * 1024;
	}
}

int os_read_file(const char *path, struct buf *b, size_t limit, struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	bool regular;
	int rc;

	if (fd < 0)
		return err_errno(e, "open", path);
	/* Size the buffer from fstat so a regular file is usually one read. */
	regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	rc = read_fd(fd, path, b, limit, regular ? (size_t)st.st_size + 1 : 64 * 1024, regular, e);
	close(fd);
	return rc;
}

int os_read_regular_file(const char *path, struct buf *b, struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return err_errno(e, "open", path);
	rc = read_fd(fd, path, b, 0, 64 * 1024, true, e);
	close(fd);
	return rc;
}

char *os_temp_name(const char *dir, const char *prefix)
{
	struct stat st;

	for (int tries = 0; tries < 100; tries++) {
		uint32_t r = 0;
		char *p;
		if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
			r = (uint32_t)getpid() * 2654435761u + (uint32_t)tries;
		p = xasprintf("%s/%s%u", dir, prefix, (unsigned)r);
		if (lstat(p, &st) < 0 && errno == ENOENT)
			return p;
		free(p);
	}
	return NULL;
}

int os_mkdir_temp(const char *dir, const char *prefix, char **path, struct err *e)
{
	*path = NULL;
	for (int tries = 0; tries < 10000; tries++) {
		uint32_t r = 0;
		char *p;
		if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
			r = (uint32_t)getpid() * 2654435761u + (uint32_t)tries;
		p = xasprintf("%s/%s%u", dir, prefix, (unsigned)r);
		if (mkdir(p, 0700) == 0) {
			*path = p;
			return 0;
		}
		if (errno != EEXIST) {
			err_errno(e, "mkdir", p);
			free(p);
			return -1;
		}
		free(p);
	}
	return err_setf(e, "mkdir %s/%s*: too many tries", dir, prefix);
}

int os_map_file(const char *path, size_t limit, const void **data, size_t *n, struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *p;

	*data = NULL;
	*n = 0;
	if (fd < 0)
		return err_errno(e, "open", path);
	if (fstat(fd, &st) < 0) {
		err_errno(e, "stat", path);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || (limit && (uint64_t)st.st_size > limit)) {
		close(fd);
		return err_setf(e, "read %s: %s", path, S_ISREG(st.st_mode) ? "file too large" : "not a regular file");
	}
	if (st.st_size == 0) {
		close(fd);
		return 0;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		err_errno(e, "mmap", path);
		close(fd);
		return -1;
	}
	close(fd);
	*data = p;
	*n = (size_t)st.st_size;
	return 0;
}

void os_unmap_file(const void *data, size_t n)
{
	if (data && n)
		munmap((void *)data, n);
}

int os_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static int write_file_atomic(const char *path, const void *data, size_t n, mode_t mode, bool sync,
                             struct err *e)
{
	char *tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
	int fd = -1, rc = -1;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		err_errno(e, "open", tmp);
		goto out;
	}
	if (os_write_all(fd, data, n) < 0) {
		err_errno(e, "write", tmp);
		goto out;
	}
	if (sync && fsync(fd) < 0 && errno != EINVAL) {
		err_errno(e, "sync", tmp);
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		err_errno(e, "close", tmp);
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		err_errno(e, "rename", path);
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

int os_write_file_atomic(const char *path, const void *data, size_t n, mode_t mode, struct err *e)
{
	return write_file_atomic(path, data, n, mode, true, e);
}

int os_write_file_scratch(const char *path, const void *data, size_t n, mode_t mode, struct err *e)
{
	return write_file_atomic(path, data, n, mode, false, e);
}

bool os_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

bool os_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool os_is_regular(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int os_mkdir_all(const char *path, mode_t mode, struct err *e)
{
	/* mirrors os.MkdirAll: an existing directory costs one stat; else the
	 * parent is made first (recursively, each level stat first), then
	 * path, so making $WORK/b001/ in an existing $WORK is stat, stat,
	 * mkdir rather than a mkdir of every prefix from the root */
	struct stat st;
	size_t i, j;
	int rc = 0;

	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		return err_setf(e, "mkdir %s: not a directory", path);
	}
	i = strlen(path);
	while (i > 0 && path[i - 1] == '/') /* skip trailing separators */
		i--;
	j = i;
	while (j > 0 && path[j - 1] != '/') /* back over the last element */
		j--;
	if (j > 1) {
		char *parent = xstrndup(path, j - 1);
		rc = os_mkdir_all(parent, mode, e);
		free(parent);
		if (rc < 0)
			return rc;
	}
	if (mkdir(path, mode) < 0) {
		int saved = errno;
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return 0;
		errno = saved;
		return err_errno(e, "mkdir", path);
	}
	return 0;
}

int os_remove_all(const char *path, struct err *e)
{
	struct stat st;
	struct strvec names = {0};
	int rc = 0;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : err_errno(e, "lstat", path);
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) < 0 && errno != ENOENT)
			return err_errno(e, "unlink", path);
		return 0;
	}
	/* Module cache directories are read-only: make them writable first. */
	chmod(path, (st.st_mode & 07777) | S_IWUSR | S_IXUSR | S_IRUSR);
	if (os_readdir(path, &names, e) < 0)
		return -1;
	for (size_t i = 0; i < names.n && rc == 0; i++) {
		char *child = path_join(path, names.v[i]);
		rc = os_remove_all(child, e);
		free(child);
	}
	strvec_clear(&names);
	if (rc == 0 && rmdir(path) < 0 && errno != ENOENT)
		rc = err_errno(e, "rmdir", path);
	return rc;
}

int os_readdir(const char *dir, struct strvec *sv, struct err *e)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	size_t start = sv->n;

	if (!d)
		return err_errno(e, "open", dir);
	errno = 0;
	while ((ent = readdir(d)) != NULL) {
		if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
			continue;
		strvec_push(sv, ent->d_name);
	}
	if (errno != 0) {
		err_errno(e, "readdir", dir);
		closedir(d);
		return -1;
	}
	closedir(d);
	if (sv->n - start > 1)
		qsort(sv->v + start, sv->n - start, sizeof(*sv->v), cmp_strptr);
	return 0;
}

static int cmp_dirent(const void *a, const void *b)
{
	return strcmp(((const struct os_dirent *)a)->name, ((const struct os_dirent *)b)->name);
}

int os_readdir_ents(const char *dir, struct os_dirents *out, struct err *e)
{
	DIR *d = opendir(dir);
	struct dirent *ent;

	if (!d)
		return err_errno(e, "open", dir);
	errno = 0;
	while ((ent = readdir(d)) != NULL) {
		struct os_dirent de;
		if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
			continue;
		de.name = xstrdup(ent->d_name);
		switch (ent->d_type) {
		case DT_REG: de.type = OS_FT_REG; break;
		case DT_DIR: de.type = OS_FT_DIR; break;
		case DT_LNK: de.type = OS_FT_LNK; break;
		case DT_UNKNOWN: {
			/* Some file systems do not fill d_type: ask lstat. */
			struct stat st;
			char *full = path_join(dir, ent->d_name);
			de.type = OS_FT_OTHER;
			if (lstat(full, &st) == 0)
				de.type = S_ISREG(st.st_mode) ? OS_FT_REG : S_ISDIR(st.st_mode) ? OS_FT_DIR :
				          S_ISLNK(st.st_mode) ? OS_FT_LNK : OS_FT_OTHER;
			free(full);
			break;
		}
		default: de.type = OS_FT_OTHER; break;
		}
		VEC_PUSH(out, de);
		errno = 0;
	}
	if (errno != 0) {
		err_errno(e, "readdir", dir);
		closedir(d);
		return -1;
	}
	closedir(d);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_dirent);
	return 0;
}

void os_dirents_release(struct os_dirents *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].name);
	VEC_FREE(d);
}

char *os_getwd(void)
{
	const char *pwd = getenv("PWD");
	char *cwd = getcwd(NULL, 0);
	struct stat a, b;

	if (!cwd)
		BUG("getcwd failed");
	/* Like os.Getwd: prefer $PWD when it names the same directory. */
	if (pwd && pwd[0] == '/' && stat(pwd, &a) == 0 && stat(cwd, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
		free(cwd);
		return xstrdup(pwd);
	}
	return cwd;
}

int os_flock_open(const char *path, struct err *e)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);

	if (fd < 0)
		return err_errno(e, "open", path);
	while (flock(fd, LOCK_EX) < 0) {
		if (errno == EINTR)
			continue;
		err_errno(e, "flock", path);
		close(fd);
		return -1;
	}
	return fd;
}

void os_flock_close(int fd)
{
	if (fd >= 0)
		close(fd); /* closing releases the flock */
}
