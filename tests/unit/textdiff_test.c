/*
 * mod_text_diff (go mod tidy -diff) against Go's own internal/diff tests:
 * tests/fixtures/textdiff holds src/internal/diff/testdata (go1.26), txtar
 * files with an old text, a new text and the diff Diff must print; "$\n"
 * marks a line end and a final "^D\n" is cut, as diff_test.go's clean does.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "modload/modload.h"
#include "test.h"

/* clean is diff_test.go's clean (heap). */
static char *clean(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	char *res;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '$' && i + 1 < n && s[i + 1] == '\n')
			continue;
		buf_addch(&b, s[i]);
	}
	if (b.len >= 3 && strcmp(b.data + b.len - 3, "^D\n") == 0)
		b.data[b.len -= 3] = 0;
	res = xstrdup(b.data ? b.data : "");
	buf_release(&b);
	return res;
}

/* parse_txtar splits data into up to 3 files (txtar.Parse's "-- name --" lines). */
static int parse_txtar(const char *data, char *names[3], char *bodies[3])
{
	int nf = -1;
	const char *p = data, *body = NULL;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len >= 7 && strncmp(p, "-- ", 3) == 0 && strncmp(p + len - 3, " --", 3) == 0) {
			if (nf >= 0 && nf < 3)
				bodies[nf] = clean(body, (size_t)(p - body));
			nf++;
			if (nf < 3)
				names[nf] = xstrndup(p + 3, len - 6);
			body = nl ? nl + 1 : p + len;
		}
		p = nl ? nl + 1 : p + len;
	}
	if (nf >= 0 && nf < 3)
		bodies[nf] = clean(body, (size_t)(p - body));
	return nf + 1;
}

int main(void)
{
	const char *td = getenv("GOTOOL_TESTDATA");
	char *dir = xasprintf("%s/fixtures/textdiff", td ? td : "tests");
	DIR *d = opendir(dir);
	struct dirent *de;
	int nfiles = 0;

	T_TRUE(d != NULL, "open %s", dir);
	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char *file, *names[3] = {0}, *bodies[3] = {0};
		struct buf data = BUF_INIT, out = BUF_INIT;
		struct err e = ERR_INIT;
		int nf;

		if (n < 5 || strcmp(de->d_name + n - 4, ".txt") != 0)
			continue;
		nfiles++;
		file = xasprintf("%s/%s", dir, de->d_name);
		T_TRUE(os_read_file(file, &data, 0, &e) == 0, "read %s: %s", file, err_msg(&e));
		nf = parse_txtar(data.data ? data.data : "", names, bodies);
		T_INTEQ(nf, 3, "%s: want three files", de->d_name);
		if (nf == 3) {
			T_STREQ(names[2], "diff", "%s: third file", de->d_name);
			mod_text_diff(names[0], bodies[0], names[1], bodies[1], &out);
			T_STREQ(out.data ? out.data : "", bodies[2], "%s", de->d_name);
		}
		for (int i = 0; i < 3; i++) {
			free(names[i]);
			free(bodies[i]);
		}
		err_clear(&e);
		buf_release(&data);
		buf_release(&out);
		free(file);
	}
	if (d)
		closedir(d);
	T_TRUE(nfiles >= 10, "found %d testdata files", nfiles);
	free(dir);
	return test_exit();
}
