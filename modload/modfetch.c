/*
 * The module cache and go.sum, as cmd/go/internal/modfetch keeps them
 * (cache.go, fetch.go; go1.26).  No network here: the GOPROXY client
 * writes a zip into mod_cache_temp_zip's file and hands it to
 * mod_cache_store_zip, then mod_cache_unzip extracts it.
 *
 * Layout under GOMODCACHE (escaped with module.EscapePath/EscapeVersion):
 *   cache/download/<path>/@v/<version>.{info,mod,zip,ziphash,lock,partial}
 *   <path>@<version>/                      the extracted tree, read-only
 * The .lock file is flocked exactly as go's lockedfile.Mutex does on Linux
 * (flock LOCK_EX on a file opened O_RDWR|O_CREATE 0666), so gotool and go
 * exclude each other on a shared cache.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "modload/modfile_internal.h"
#include "modload/modload.h"

/* ---- cache paths ---------------------------------------------------------- */

/* cache_check_dir mirrors checkCacheDir: absolute, created when missing. */
static int cache_check_dir(const char *gomodcache, struct err *e)
{
	struct stat st;
	if (!gomodcache || !*gomodcache)
		return err_setf(e, "module cache not found: neither GOMODCACHE nor GOPATH is set");
	if (!path_is_abs(gomodcache)) {
		struct buf b = BUF_INIT;
		mod_quote(&b, gomodcache, strlen(gomodcache));
		err_setf(e, "GOMODCACHE entry is relative; must be absolute path: %s.", buf_cstr(&b));
		buf_release(&b);
		return -1;
	}
	if (stat(gomodcache, &st) < 0) {
		if (errno != ENOENT) {
			err_errno(e, "stat", gomodcache);
			return err_wrapf(e, "could not create module cache");
		}
		if (os_mkdir_all(gomodcache, 0777, e) < 0)
			return err_wrapf(e, "could not create module cache");
	}
	return 0;
}

static bool is_toolchain(const char *path)
{
	return strcmp(path, "go") == 0 || strcmp(path, "toolchain") == 0;
}

/* cache_names escapes path and version as CachePath and DownloadDir do. */
static int cache_names(const char *gomodcache, const char *path, const char *version, char **epath,
		       char **ever, struct err *e)
{
	struct buf q = BUF_INIT;
	char *cv = NULL;
	int rc = -1;

	*epath = *ever = NULL;
	if (is_toolchain(path))
		return err_setf(e, "internal error: invalid operation on toolchain module");
	if (cache_check_dir(gomodcache, e) < 0)
		return -1;
	if (mod_escape_path(path, epath, e) < 0)
		goto out;
	mod_quote(&q, version, strlen(version));
	if (!mod_semver_is_valid(version)) {
		err_setf(e, "non-semver module version %s", buf_cstr(&q));
		goto out;
	}
	cv = mod_canonical_version(version);
	if (strcmp(cv, version) != 0) {
		err_setf(e, "non-canonical module version %s", buf_cstr(&q));
		goto out;
	}
	if (mod_escape_version(version, ever, e) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0) {
		free(*epath);
		*epath = NULL;
	}
	buf_release(&q);
	free(cv);
	return rc;
}

/* mirrors modfetch.CachePath */
int mod_cache_path(const char *gomodcache, const char *path, const char *version, const char *suffix,
		   char **out, struct err *e)
{
	char *epath = NULL, *ever = NULL;
	*out = NULL;
	if (cache_names(gomodcache, path, version, &epath, &ever, e) < 0)
		return -1;
	*out = xasprintf("%s/cache/download/%s/@v/%s.%s", gomodcache, epath, ever, suffix);
	free(epath);
	free(ever);
	return 0;
}

/* Download directory states; DIR_PARTIAL is a DownloadDirPartialError. */
enum { DIR_COMPLETE = 0, DIR_MISSING = 1, DIR_PARTIAL = 2 };

/* download_dir mirrors DownloadDir, telling a missing directory from a
 * partial one (unzip removes only the latter). */
static int download_dir(const char *gomodcache, const char *path, const char *version, char **dir,
			struct err *e)
{
	char *epath = NULL, *ever = NULL, *partial = NULL, *ziphash = NULL;
	struct stat st;
	int rc = -1;

	*dir = NULL;
	if (cache_names(gomodcache, path, version, &epath, &ever, e) < 0)
		return -1;
	*dir = xasprintf("%s/%s@%s", gomodcache, epath, ever);
	if (stat(*dir, &st) < 0) {
		if (errno == ENOENT) {
			err_errno(e, "stat", *dir);
			rc = DIR_MISSING;
		} else {
			err_errno(e, "stat", *dir);
			err_wrapf(e, "%s", *dir);
			rc = DIR_PARTIAL;
		}
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		err_setf(e, "%s: not a directory", *dir);
		rc = DIR_PARTIAL;
		goto out;
	}
	partial = xasprintf("%s/cache/download/%s/@v/%s.partial", gomodcache, epath, ever);
	if (stat(partial, &st) == 0) {
		err_setf(e, "%s: not completely extracted", *dir);
		rc = DIR_PARTIAL;
		goto out;
	} else if (errno != ENOENT) {
		err_errno(e, "stat", partial);
		goto out;
	}
	/* golang.org/fips140 is unpacked from GOROOT, without a ziphash. */
	if (strcmp(path, "golang.org/fips140") == 0) {
		rc = DIR_COMPLETE;
		goto out;
	}
	ziphash = xasprintf("%s/cache/download/%s/@v/%s.ziphash", gomodcache, epath, ever);
	if (stat(ziphash, &st) < 0) {
		if (errno == ENOENT) {
			err_setf(e, "%s: ziphash file is missing", *dir);
			rc = DIR_PARTIAL;
		} else {
			err_errno(e, "stat", ziphash);
		}
		goto out;
	}
	rc = DIR_COMPLETE;
out:
	free(epath);
	free(ever);
	free(partial);
	free(ziphash);
	return rc;
}

int mod_cache_download_dir(const char *gomodcache, const char *path, const char *version, char **dir,
			   struct err *e)
{
	int rc = download_dir(gomodcache, path, version, dir, e);
	return rc == DIR_PARTIAL ? MOD_DIR_ABSENT : rc;
}

/* mirrors modfetch.lockVersion */
int mod_cache_lock(const char *gomodcache, const char *path, const char *version, int *fd, struct err *e)
{
	char *lock = NULL, *parent = NULL;
	int rc = -1;

	*fd = -1;
	if (mod_cache_path(gomodcache, path, version, "lock", &lock, e) < 0)
		return -1;
	parent = path_dir(lock);
	if (os_mkdir_all(parent, 0777, e) < 0)
		goto out;
	*fd = os_flock_open(lock, e);
	if (*fd >= 0)
		rc = 0;
out:
	free(lock);
	free(parent);
	return rc;
}

/* ---- extraction -------------------------------------------------------------- */

/* make_dirs_read_only mirrors makeDirsReadOnly: best effort, children
 * before parents, only directories that have a write bit. */
static void make_dirs_read_only(const char *dir)
{
	struct stat st;
	struct os_dirents ents = {0};
	struct err ignore = ERR_INIT;

	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return;
	if (os_readdir_ents(dir, &ents, &ignore) == 0) {
		for (size_t i = 0; i < ents.n; i++) {
			if (ents.v[i].type != OS_FT_DIR)
				continue;
			char *sub = path_join(dir, ents.v[i].name);
			make_dirs_read_only(sub);
			free(sub);
		}
	}
	if (st.st_mode & 0222)
		chmod(dir, st.st_mode & 07777 & ~(mode_t)0222);
	os_dirents_release(&ents);
	err_clear(&ignore);
}

/* remove_old_tmp removes parent/<prefix>* (best effort, under the lock). */
static void remove_old_tmp(const char *parent, const char *prefix, const char *suffix)
{
	struct strvec names = {0};
	struct err ignore = ERR_INIT;
	if (os_readdir(parent, &names, &ignore) == 0) {
		for (size_t i = 0; i < names.n; i++) {
			if (!has_prefix(names.v[i], prefix) || !has_suffix(names.v[i], suffix))
				continue;
			char *p = path_join(parent, names.v[i]);
			os_remove_all(p, &ignore);
			err_clear(&ignore);
			free(p);
		}
	}
	strvec_clear(&names);
	err_clear(&ignore);
}

/* mirrors modfetch.unzip (fetch.go): the .partial marker, not a rename, is
 * what makes a half-extracted directory visible as such (since go1.16). */
int mod_cache_unzip(const char *gomodcache, const char *path, const char *version, const char *zipfile,
		    bool modcache_rw, char **dirp, struct err *e)
{
	char *dir = NULL, *parent = NULL, *prefix = NULL, *partial = NULL;
	struct err dirr = ERR_INIT;
	int lock = -1, rc = -1, fd;

	*dirp = NULL;
	if (mod_cache_lock(gomodcache, path, version, &lock, e) < 0)
		return -1;
	/* Populated while we waited for the lock? */
	int st = download_dir(gomodcache, path, version, &dir, &dirr);
	if (st == DIR_COMPLETE) {
		rc = 0;
		goto out;
	}
	if (st < 0) {
		err_setf(e, "%s", err_msg(&dirr));
		goto out;
	}
	/* Old (before go1.16) temporary directories, and a partial tree: safe to
	 * remove because the lock excludes their writers. */
	parent = path_dir(dir);
	prefix = xasprintf("%s.tmp-", path_base(dir));
	remove_old_tmp(parent, prefix, "");
	if (st == DIR_PARTIAL && os_remove_all(dir, e) < 0)
		goto out;
	if (mod_cache_path(gomodcache, path, version, "partial", &partial, e) < 0)
		goto out;
	if (os_mkdir_all(parent, 0777, e) < 0)
		goto out;
	fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0 || close(fd) < 0) {
		err_errno(e, "open", partial);
		goto out;
	}
	if (mod_zip_unzip(dir, path, version, zipfile, e) < 0) {
		struct err rm = ERR_INIT;
		fprintf(stderr, "-> %s\n", err_msg(e));
		if (os_remove_all(dir, &rm) == 0)
			unlink(partial);
		err_clear(&rm);
		goto out;
	}
	if (unlink(partial) < 0) {
		err_errno(e, "remove", partial);
		goto out;
	}
	if (!modcache_rw)
		make_dirs_read_only(dir);
	rc = 0;
out:
	if (rc == 0) {
		*dirp = dir;
		dir = NULL;
	}
	os_flock_close(lock);
	err_clear(&dirr);
	free(dir);
	free(parent);
	free(prefix);
	free(partial);
	return rc;
}

/* mirrors modfetch.tempFile as downloadZip calls it, after removing the
 * temp files of earlier runs (the caller holds the version lock). */
int mod_cache_temp_zip(const char *gomodcache, const char *path, const char *version, int *fd, char **tmp,
		       struct err *e)
{
	char *zip = NULL, *dir = NULL;
	int rc = -1;

	*fd = -1;
	*tmp = NULL;
	if (mod_cache_path(gomodcache, path, version, "zip", &zip, e) < 0)
		return -1;
	dir = path_dir(zip);
	if (os_mkdir_all(dir, 0777, e) < 0)
		goto out;
	remove_old_tmp(dir, path_base(zip), ".tmp");
	for (int i = 0; i < 10000; i++) {
		uint32_t r = 0;
		if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
			r = (uint32_t)getpid() * 2654435761u + (uint32_t)i;
		free(*tmp);
		*tmp = xasprintf("%s%u.tmp", zip, r % 1000000000u);
		*fd = open(*tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (*fd >= 0 || errno != EEXIST)
			break;
	}
	if (*fd < 0) {
		err_errno(e, "open", *tmp);
		free(*tmp);
		*tmp = NULL;
		goto out;
	}
	rc = 0;
out:
	free(zip);
	free(dir);
	return rc;
}

/* go's hashZip writes the .ziphash without an fsync; gotool's write is a
 * temp file and a rename all the same, so a reader never sees half a sum. */
int mod_cache_write_ziphash(const char *ziphashfile, const char *h1, struct err *e)
{
	return os_write_file_scratch(ziphashfile, h1, strlen(h1), 0666, e);
}

/* isValidSum: no NUL byte, and exactly "h1:" plus 44 base64 characters. */
static bool is_valid_sum(const char *p, size_t n)
{
	return memchr(p, '\0', n) == NULL && n == 3 + 44;
}

char *mod_cache_read_ziphash(const char *ziphashfile)
{
	struct buf b = BUF_INIT;
	struct err e = ERR_INIT;
	char *h = NULL;
	if (os_read_file(ziphashfile, &b, 4096, &e) == 0) {
		struct str s = str_trim_space(buf_str(&b));
		if (is_valid_sum(s.p, s.n))
			h = str_dup(s);
	}
	err_clear(&e);
	buf_release(&b);
	return h;
}

/* mirrors the end of modfetch.downloadZip and hashZip */
static int gosum_only(void *ctx, const char *path, const char *version, const char *h, struct err *e)
{
	return ctx ? mod_gosum_check(ctx, path, version, h, e) : 0;
}

int mod_cache_store_zip(const char *gomodcache, const char *path, const char *version, const char *tmpzip,
			struct mod_gosum *sums, char **h1out, struct err *e)
{
	return mod_cache_store_zip_fn(gomodcache, path, version, tmpzip, gosum_only, sums, h1out, e);
}

int mod_cache_store_zip_fn(const char *gomodcache, const char *path, const char *version, const char *tmpzip,
			   mod_sum_check check, void *ctx, char **h1out, struct err *e)
{
	struct mod_zip z = {0};
	char *zip = NULL, *ziphash = NULL, *prefix = NULL, *h1 = NULL;
	int rc = -1;

	if (h1out)
		*h1out = NULL;
	if (mod_cache_path(gomodcache, path, version, "zip", &zip, e) < 0)
		goto out;
	ziphash = xasprintf("%shash", zip);
	/* Double-check that the paths within the zip are well-formed. */
	if (mod_zip_open(&z, tmpzip, e) < 0)
		goto out;
	prefix = xasprintf("%s@%s/", path, version);
	for (size_t i = 0; i < z.files.n; i++) {
		if (!has_prefix(z.files.v[i].name, prefix)) {
			err_setf(e, "zip for %s@%s has unexpected file %s", path, version, z.files.v[i].name);
			goto out;
		}
	}
	mod_zip_close(&z);
	/* hashZip: hash, check against go.sum, then write the ziphash; only
	 * then is the zip renamed into place. */
	if (mod_hash_zip_keep(tmpzip, &h1, e) < 0)
		goto out;
	if (check(ctx, path, version, h1, e) < 0)
		goto out;
	if (mod_cache_write_ziphash(ziphash, h1, e) < 0)
		goto out;
	if (rename(tmpzip, zip) < 0) {
		err_errno(e, "rename", tmpzip);
		goto out;
	}
	rc = 0;
out:
	if (rc < 0) {
		mod_zip_memo_drop(tmpzip);
		unlink(tmpzip);
	} else if (h1out) {
		*h1out = h1;
		h1 = NULL;
	}
	mod_zip_close(&z);
	free(zip);
	free(ziphash);
	free(prefix);
	free(h1);
	return rc;
}

/* ---- go.sum --------------------------------------------------------------------- */

/* emptyGoModHash: a bug once wrote it for non-modules; go drops it. */
static const char empty_gomod_hash[] = "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=";

static const char gosum_mismatch[] =
	"\n"
	"\n"
	"SECURITY ERROR\n"
	"This download does NOT match an earlier download recorded in go.sum.\n"
	"The bits may have been replaced on the origin server, or an attacker may\n"
	"have intercepted the download attempt.\n"
	"\n"
	"For more information, see 'go help module-auth'."; /* go's text ends in "\n": printers add it */

static const char hash_version_mismatch[] =
	"\n"
	"\n"
	"SECURITY WARNING\n"
	"This download is listed in go.sum, but using an unknown hash algorithm.\n"
	"The download cannot be verified.\n"
	"\n"
	"For more information, see 'go help module-auth'.\n"
	"\n";

static void gosum_add(struct mod_gosum *s, const char *path, size_t pn, const char *ver, size_t vn,
		      const char *hash, size_t hn, bool used, bool dirty)
{
	struct mod_gosum_entry ent = {xstrndup(path, pn), xstrndup(ver, vn), xstrndup(hash, hn), used, dirty};
	VEC_PUSH(&s->v, ent);
}

/* gosum_parse mirrors readGoSum: strings.Fields per line. */
static int gosum_parse(struct mod_gosum *s, const char *file, const char *data, size_t n, bool tidy,
		       struct err *e)
{
	size_t lineno = 0, pos = 0;
	while (pos < n) {
		const char *line = data + pos;
		const char *nl = memchr(line, '\n', n - pos);
		size_t len = nl ? (size_t)(nl - line) : n - pos;
		pos += len + (nl ? 1 : 0);
		lineno++;
		const char *f[3] = {0};
		size_t fl[3] = {0}, nf = 0, i = 0;
		while (i < len) {
			size_t sz;
			uint32_t r = mod_utf8_decode(line + i, len - i, &sz);
			if (mod_rune_is_space(r)) {
				i += sz;
				continue;
			}
			size_t start = i;
			while (i < len) {
				r = mod_utf8_decode(line + i, len - i, &sz);
				if (mod_rune_is_space(r))
					break;
				i += sz;
			}
			if (nf < 3) {
				f[nf] = line + start;
				fl[nf] = i - start;
			}
			nf++;
		}
		if (nf == 0)
			continue;
		if (nf != 3) {
			if (tidy)
				continue;
			return err_setf(e, "malformed go.sum:\n%s:%zu: wrong number of fields %zu", file, lineno, nf);
		}
		if (fl[2] == strlen(empty_gomod_hash) && memcmp(f[2], empty_gomod_hash, fl[2]) == 0)
			continue;
		gosum_add(s, f[0], fl[0], f[1], fl[1], f[2], fl[2], false, false);
	}
	return 0;
}

/* mirrors readGoSumFile (lockedfile.Read: a shared flock while reading). */
int mod_gosum_read(struct mod_gosum *s, const char *file, bool tidy, struct err *e)
{
	struct buf b = BUF_INIT;
	int fd, rc = -1;

	memset(s, 0, sizeof(*s));
	s->file = xstrdup(file);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return err_errno(e, "open", file);
	}
	while (flock(fd, LOCK_SH) < 0) {
		if (errno != EINTR) {
			err_errno(e, "flock", file);
			goto out;
		}
	}
	for (;;) {
		buf_grow(&b, 64 * 1024);
		ssize_t r = read(fd, b.data + b.len, b.cap - b.len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err_errno(e, "read", file);
			goto out;
		}
		if (r == 0)
			break;
		b.len += (size_t)r;
		b.data[b.len] = '\0';
	}
	rc = gosum_parse(s, file, b.data, b.len, tidy, e);
out:
	close(fd);
	buf_release(&b);
	return rc;
}

void mod_gosum_release(struct mod_gosum *s)
{
	for (size_t i = 0; i < s->v.n; i++) {
		free(s->v.v[i].path);
		free(s->v.v[i].version);
		free(s->v.v[i].hash);
	}
	VEC_FREE(&s->v);
	free(s->file);
	s->file = NULL;
}

static bool ent_is(const struct mod_gosum_entry *x, const char *path, const char *version)
{
	return strcmp(x->path, path) == 0 && strcmp(x->version, version) == 0;
}

/* recorded_in is RecordedSum's loop over one file: false on a conflict. */
static bool recorded_in(const struct mod_gosum *s, const char *path, const char *version, const char **found)
{
	for (size_t i = 0; i < s->v.n; i++) {
		const struct mod_gosum_entry *x = &s->v.v[i];
		if (!ent_is(x, path, version) || !has_prefix(x->hash, "h1:") || x->dirty)
			continue;
		if (*found && strcmp(*found, x->hash) != 0)
			return false;
		*found = x->hash;
	}
	return true;
}

/* mirrors RecordedSum: the workspace modules' go.sum files, then s */
const char *mod_gosum_recorded(const struct mod_gosum *s, const char *path, const char *version)
{
	const char *found = NULL;

	for (size_t k = 0; k < s->nws; k++)
		if (!recorded_in(s->ws[k], path, version, &found))
			return NULL;
	if (!recorded_in(s, path, version, &found))
		return NULL;
	return found;
}

/* in_workspace_sums mirrors sumInWorkspaceModulesLocked: a workspace
 * module's go.sum lists path version (any hash). */
static bool in_workspace_sums(const struct mod_gosum *s, const char *path, const char *version)
{
	for (size_t k = 0; k < s->nws; k++)
		for (size_t i = 0; i < s->ws[k]->v.n; i++)
			if (ent_is(&s->ws[k]->v.v[i], path, version))
				return true;
	return false;
}

/* gosum_have mirrors haveModSumLocked: 1 listed in s (*at its index), 2
 * listed in a workspace module's go.sum only, 0 not, -1 a conflicting h1:
 * sum (go's Fatalf text in e, naming go.sum, go.work.sum or the workspace
 * file's path as go does). */
static int gosum_have(struct mod_gosum *s, const char *path, const char *version, const char *h, size_t *at,
		      struct err *e)
{
	const char *name = s->file && has_suffix(s->file, "go.work.sum") ? "go.work.sum" : "go.sum";
	bool found = false;

	for (size_t i = 0; i < s->v.n; i++) {
		const struct mod_gosum_entry *x = &s->v.v[i];
		if (!ent_is(x, path, version))
			continue;
		if (strcmp(x->hash, h) == 0) {
			*at = i;
			return 1;
		}
		if (has_prefix(x->hash, "h1:"))
			return err_setf(e, "verifying %s@%s: checksum mismatch\n\tdownloaded: %s\n\t%s:     %s%s", path,
					version, h, name, x->hash, gosum_mismatch);
	}
	/* every workspace file is checked, for conflicts between them */
	for (size_t k = 0; k < s->nws; k++) {
		const struct mod_gosum *w = s->ws[k];
		for (size_t i = 0; i < w->v.n; i++) {
			const struct mod_gosum_entry *x = &w->v.v[i];
			if (!ent_is(x, path, version))
				continue;
			if (strcmp(x->hash, h) == 0)
				found = true;
			else if (has_prefix(x->hash, "h1:"))
				return err_setf(e, "verifying %s@%s: checksum mismatch\n\tdownloaded: %s\n\t%s:     %s%s",
						path, version, h, w->file, x->hash, gosum_mismatch);
		}
	}
	return found ? 2 : 0;
}

/* gosum_add_checked mirrors addModSumLocked. */
static int gosum_add_checked(struct mod_gosum *s, const char *path, const char *version, const char *h, bool used,
			     bool dirty, struct err *e)
{
	size_t at;
	int have = gosum_have(s, path, version, h, &at, e);
	if (have < 0)
		return -1;
	if (have == 1) {
		s->v.v[at].used |= used;
		s->v.v[at].dirty |= dirty;
	}
	if (have)
		return 0;
	struct buf old = BUF_INIT;
	for (size_t i = 0; i < s->v.n; i++) {
		if (!ent_is(&s->v.v[i], path, version))
			continue;
		if (old.len)
			buf_adds(&old, ", ");
		buf_adds(&old, s->v.v[i].hash);
	}
	if (old.len)
		fprintf(stderr, "warning: verifying %s@%s: unknown hashes in go.sum: %s; adding %s%s", path, version,
			buf_cstr(&old), h, hash_version_mismatch);
	buf_release(&old);
	gosum_add(s, path, strlen(path), version, strlen(version), h, strlen(h), used, dirty);
	return 0;
}

/* mirrors checkModSum, with no checksum database consulted */
int mod_gosum_check(struct mod_gosum *s, const char *path, const char *version, const char *h, struct err *e)
{
	size_t at;
	int have = gosum_have(s, path, version, h, &at, e);
	if (have < 0)
		return -1;
	if (have == 1)
		s->v.v[at].used = true;
	if (have)
		return 0;
	return gosum_add_checked(s, path, version, h, true, true, e);
}

/* mirrors checkModSum: go.sum first, then the database for a sum go.sum
 * does not list, then the sum is added (used and dirty) */
int mod_gosum_check_db(struct mod_gosum *s, const char *path, const char *version, const char *h,
		       mod_sum_check db, void *ctx, bool *fatal, struct err *e)
{
	size_t at;
	int have = 0;

	*fatal = false;
	if (s) {
		have = gosum_have(s, path, version, h, &at, e);
		if (have < 0) {
			/* haveModSumLocked: base.Fatalf */
			*fatal = true;
			return -1;
		}
		if (have == 1)
			s->v.v[at].used = true;
		if (have)
			return 0;
	}
	if (db && db(ctx, path, version, h, e) < 0)
		return -1;
	if (s && gosum_add_checked(s, path, version, h, true, true, e) < 0) {
		*fatal = true;
		return -1;
	}
	return 0;
}

/* mirrors checkGoMod */
int mod_gosum_check_gomod(struct mod_gosum *s, const char *path, const char *version, const void *data,
			  size_t n, struct err *e)
{
	char *h = mod_hash_gomod(data, n);
	char *v = xasprintf("%s/go.mod", version);
	int rc = mod_gosum_check(s, path, v, h, e);
	free(h);
	free(v);
	return rc;
}

/* gosum_cmp is module.Sort's order on entries, then the hash. */
static int gosum_cmp_mod(const struct mod_gosum_entry *a, const struct mod_gosum_entry *b)
{
	int c = strcmp(a->path, b->path);
	if (c)
		return c;
	size_t ka = strcspn(a->version, "/"), kb = strcspn(b->version, "/");
	char *va = xstrndup(a->version, ka), *vb = xstrndup(b->version, kb);
	if (strcmp(va, vb) != 0)
		c = mod_semver_compare(va, vb);
	else
		c = strcmp(a->version + ka, b->version + kb);
	free(va);
	free(vb);
	return c;
}

static int gosum_cmp(const void *x, const void *y)
{
	const struct mod_gosum_entry *a = *(const struct mod_gosum_entry *const *)x;
	const struct mod_gosum_entry *b = *(const struct mod_gosum_entry *const *)y;
	int c = gosum_cmp_mod(a, b);
	if (c)
		return c;
	/* module.Sort's equal versions that differ as strings ("v1.0.0" vs
	 * "v1.0.0+meta") stay grouped by their text. */
	c = strcmp(a->version, b->version);
	return c ? c : strcmp(a->hash, b->hash);
}

static bool gosum_emit(const struct mod_gosum_entry *x, mod_gosum_keep keep, void *ctx)
{
	return !x->dirty || (x->used && (!keep || keep(ctx, x->path, x->version)));
}

/* mirrors the output half of tidyGoSum */
void mod_gosum_format(const struct mod_gosum *s, mod_gosum_keep keep, void *ctx, struct buf *out)
{
	const struct mod_gosum_entry **v = xcalloc(s->v.n ? s->v.n : 1, sizeof(*v));
	for (size_t i = 0; i < s->v.n; i++)
		v[i] = &s->v.v[i];
	if (s->v.n > 1)
		qsort(v, s->v.n, sizeof(*v), gosum_cmp);
	for (size_t i = 0; i < s->v.n;) {
		/* One line per distinct (module, hash): emitted when any copy
		 * qualifies (copies share one status in go). */
		size_t j = i;
		bool emit = false;
		while (j < s->v.n && strcmp(v[j]->path, v[i]->path) == 0 && strcmp(v[j]->version, v[i]->version) == 0 &&
		       strcmp(v[j]->hash, v[i]->hash) == 0) {
			emit |= gosum_emit(v[j], keep, ctx);
			j++;
		}
		if (emit && !in_workspace_sums(s, v[i]->path, v[i]->version))
			buf_printf(out, "%s %s %s\n", v[i]->path, v[i]->version, v[i]->hash);
		i = j;
	}
	free(v);
}

/* mirrors WriteGoSum and tidyGoSum (lockedfile.Transform), but replaces the
 * file by rename: so after taking the lock the file must still be the one
 * locked, else another writer replaced it and the lock is retaken. */
int mod_gosum_write(struct mod_gosum *s, mod_gosum_keep keep, void *ctx, struct err *e)
{
	struct mod_gosum m = {0};
	struct buf data = BUF_INIT, text = BUF_INIT;
	int fd = -1, rc = -1;
	bool dirty = false;

	for (size_t i = 0; i < s->v.n && !dirty; i++) {
		const struct mod_gosum_entry *x = &s->v.v[i];
		dirty = x->dirty && (!x->used || !keep || keep(ctx, x->path, x->version));
	}
	if (!dirty)
		return 0;
	struct stat fst, pst;
	for (;;) {
		fd = os_flock_open(s->file, e);
		if (fd < 0)
			goto out;
		if (fstat(fd, &fst) < 0) {
			err_errno(e, "stat", s->file);
			goto out;
		}
		if (stat(s->file, &pst) == 0 && pst.st_ino == fst.st_ino && pst.st_dev == fst.st_dev)
			break;
		os_flock_close(fd);
		fd = -1;
	}
	for (;;) {
		buf_grow(&data, 64 * 1024);
		ssize_t r = read(fd, data.data + data.len, data.cap - data.len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err_errno(e, "read", s->file);
			goto out;
		}
		if (r == 0)
			break;
		data.len += (size_t)r;
		data.data[data.len] = '\0';
	}
	/* Incorporate sums other processes added, and the ones we checked. */
	m.file = xstrdup(s->file);
	m.ws = s->ws;
	m.nws = s->nws;
	if (gosum_parse(&m, s->file, data.data, data.len, false, e) < 0)
		goto out;
	for (size_t i = 0; i < s->v.n; i++) {
		const struct mod_gosum_entry *x = &s->v.v[i];
		if (x->used && !in_workspace_sums(s, x->path, x->version) && gosum_add_checked(&m, x->path, x->version, x->hash, x->used, x->dirty, e) < 0)
			goto out;
	}
	mod_gosum_format(&m, keep, ctx, &text);
	if (os_write_file_atomic(s->file, text.data, text.len, fst.st_mode & 0777, e) < 0)
		goto out;
	/* The file now holds everything: statuses start over (go resets them). */
	for (size_t i = 0; i < m.v.n; i++)
		m.v.v[i].used = m.v.v[i].dirty = false;
	mod_gosum_release(s);
	*s = m;
	memset(&m, 0, sizeof(m));
	rc = 0;
out:
	if (rc < 0)
		err_wrapf(e, "updating go.sum");
	os_flock_close(fd);
	mod_gosum_release(&m);
	buf_release(&data);
	buf_release(&text);
	return rc;
}
