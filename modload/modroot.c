/*
 * Finding the main module's go.mod and the workspace's go.work from a
 * directory upward (cmd/go/internal/modload findModuleRoot and
 * findWorkspaceFile, go1.26).
 */
#include <stdlib.h>
#include <string.h>

#include "modload/modload.h"

/* find_upward returns the heap path of the first regular file named name
 * in dir or its parents, or NULL; it gives up before entering stop. */
static char *find_upward(const char *dir, const char *name, const char *stop)
{
	char *d = path_clean(dir), *f = NULL, *parent;

	for (;;) {
		f = path_join(d, name);
		if (os_is_regular(f))
			break;
		free(f);
		f = NULL;
		parent = path_dir(d);
		if (strcmp(parent, d) == 0 || (stop && strcmp(parent, stop) == 0)) {
			free(parent);
			break;
		}
		free(d);
		d = parent;
	}
	free(d);
	return f;
}

char *mod_find_gomod(const char *dir)
{
	return find_upward(dir, "go.mod", NULL);
}

char *mod_find_main_gomod(const char *dir)
{
	char *gm = find_upward(dir, "go.mod", NULL);
	const char *t = getenv("TMPDIR");
	char *root, *tmp;

	if (!gm)
		return NULL;
	/* modload.Init: a go.mod in os.TempDir() itself is ignored (go.dev/issue/26708) */
	t = t && *t ? t : "/tmp";
	root = path_dir(gm);
	tmp = path_clean(t);
	if (strcmp(root, tmp) == 0) {
		fflush(stdout);
		fprintf(stderr, "%s: warning: ignoring go.mod in system temp root %s\n", prog_name, t);
		free(gm);
		gm = NULL;
	}
	free(root);
	free(tmp);
	return gm;
}

char *mod_find_gowork(const char *dir)
{
	return find_upward(dir, "go.work", NULL);
}

char *mod_find_gowork_goroot(const char *dir, const char *goroot)
{
	/* go does not look for a go.work across GOROOT: std and cmd use their
	 * vendored dependencies, never a workspace around the installation. */
	return find_upward(dir, "go.work", goroot);
}
