/*
 * The files cgo writes for a package, kept for vet (cmd/go/internal/work
 * exec.go cacheSrcFiles, cacheObjdirFile, loadCachedVet, go1.26).
 *
 * vet of a package that uses cgo reads the Go files cgo generated
 * (_cgo_gotypes.go, F.cgo1.go, _cgo_import.go) from the build's objdir.
 * When the build itself comes from the cache those files were never
 * written, so a build that runs cgo also records them in the cache under
 * subkeys of its action id: the list under "srcfiles", each file under its
 * name.  A later vet copies them back into the objdir (shown as go shows
 * them: "cp CACHEFILE $WORK/bNNN/NAME") instead of running cgo again.
 * gotool's list holds only the generated names: the package's own files
 * come from the package.
 *
 * In c-archive and c-shared builds cgo also writes an export header,
 * _cgo_install.h, which go keeps the same way (cacheCgoHdr) so that a
 * cached build can still install it (loadCachedCgoHdr).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "work/cache.h"
#include "work/work_internal.h"

void work_cgo_cache_srcfiles(struct work_builder *b, struct work_action *a)
{
	struct work_cgo *c = a->cgo;
	size_t ol = strlen(a->objdir);
	struct buf list = BUF_INIT;
	struct err e = ERR_INIT;

	if (!b->cache || b->o.n || !c)
		return;
	for (size_t i = 0; i < c->gofiles.n; i++) {
		const char *f = c->gofiles.v[i];
		unsigned char key[32];
		if (strncmp(f, a->objdir, ol) != 0)
			continue; /* not generated */
		work_hash_subkey(a->aid_sum, f + ol, key);
		if (work_cache_put_file(b->cache, key, f, NULL, &e) < 0)
			goto out; /* go gives up on the list too: a later vet reruns cgo */
		buf_adds(&list, f + ol);
		buf_addch(&list, '\n');
	}
	{
		unsigned char key[32];
		work_hash_subkey(a->aid_sum, "srcfiles", key);
		if (work_cache_put_bytes(b->cache, key, list.data ? list.data : "", list.len, NULL, &e) < 0)
			goto out;
	}
out:
	err_clear(&e);
	buf_release(&list);
}

/* copy_cached is loadCachedObjdirFile's CopyFile: the cache file src
 * written to dst, shown as "cp SRC DST" under -x. */
static int copy_cached(struct work_builder *b, const char *src, const char *dst, struct err *e)
{
	struct buf data = BUF_INIT;
	int rc;

	if (b->o.x) {
		char *cmd = xasprintf("cp %s %s", src, dst);
		work_show_cmd(b, "", cmd);
		free(cmd);
	}
	rc = os_read_file(src, &data, 0, e);
	if (rc == 0)
		rc = os_write_file_atomic(dst, data.data, data.len, 0666, e);
	buf_release(&data);
	return rc;
}

int work_cgo_load_cached_vet(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct work_cgo *c = a->cgo;
	struct work_cache_entry en = {0};
	struct strvec files = {0};
	struct buf list = BUF_INIT;
	unsigned char key[32];
	int rc = 0;

	if (!b->cache || b->o.n || b->o.a || !c)
		return 0;
	work_hash_subkey(a->aid_sum, "srcfiles", key);
	if (work_cache_get(b->cache, key, &en, e) <= 0)
		goto miss;
	if (os_read_file(en.path, &list, 1 << 20, e) < 0)
		goto miss;
	work_cache_entry_release(&en);
	if (work_mkdir(b, a->objdir, e) < 0) {
		rc = -1;
		goto out;
	}
	for (const char *s = buf_cstr(&list); *s;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char *name = xstrndup(s, n), *dst;
		s += n + (nl != NULL);
		if (!name[0] || strchr(name, '/')) {
			free(name);
			continue;
		}
		work_hash_subkey(a->aid_sum, name, key);
		if (work_cache_get(b->cache, key, &en, e) <= 0) {
			free(name);
			goto miss;
		}
		dst = xasprintf("%s%s", a->objdir, name);
		free(name);
		if (copy_cached(b, en.path, dst, e) < 0) {
			free(dst);
			goto miss;
		}
		work_cache_entry_release(&en);
		strvec_push_take(&files, dst);
	}
	strvec_clear(&c->gofiles);
	for (size_t i = 0; i < files.n; i++)
		strvec_push(&c->gofiles, files.v[i]);
	rc = 1;
	goto out;
miss:
	err_clear(e);
	rc = 0;
out:
	work_cache_entry_release(&en);
	strvec_clear(&files);
	buf_release(&list);
	return rc;
}

void work_cgo_cache_header(struct work_builder *b, struct work_action *a)
{
	char *path = xasprintf("%s_cgo_install.h", a->objdir);
	unsigned char key[32];
	struct err e = ERR_INIT;

	if (b->cache && !b->o.n && access(path, F_OK) == 0) {
		work_hash_subkey(a->aid_sum, "_cgo_install.h", key);
		/* a failure only costs a later cgo run (go ignores it too) */
		work_cache_put_file(b->cache, key, path, NULL, &e);
	}
	err_clear(&e);
	free(path);
}

int work_cgo_load_cached_header(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct work_cache_entry en = {0};
	unsigned char key[32];
	char *dst = NULL;
	int rc = 0;

	if (!b->cache || b->o.n)
		return 0;
	work_hash_subkey(a->aid_sum, "_cgo_install.h", key);
	if (work_cache_get(b->cache, key, &en, e) <= 0)
		goto miss;
	if (work_mkdir(b, a->objdir, e) < 0) {
		rc = -1;
		goto out;
	}
	dst = xasprintf("%s_cgo_install.h", a->objdir);
	if (copy_cached(b, en.path, dst, e) < 0)
		goto miss;
	rc = 1;
	goto out;
miss:
	err_clear(e);
	rc = 0;
out:
	work_cache_entry_release(&en);
	free(dst);
	return rc;
}
