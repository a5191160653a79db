/*
 * #cgo lines: go/build/build_test.go expandSrcDirTests and TestShellSafety,
 * plus saveCgo behaviour (conditions in both syntaxes, quoting, relative
 * -I/-L, nocallback/noescape, and go's error texts).
 */
#include <stdlib.h>
#include <string.h>

#include "modload/header_internal.h"
#include "test.h"

static struct arena A;

static void test_expand_srcdir(void)
{
	static const struct { const char *in, *srcdir, *out; bool ok; } rows[] = {
		/* expandSrcDirTests (SRCDIR=/projects/src/add); ok is not checked there */
		{"-L ${SRCDIR}/libs -ladd", "/projects/src/add", "-L /projects/src/add/libs -ladd", true},
		{"${SRCDIR}/add_linux_386.a -pthread -lstdc++", "/projects/src/add", "/projects/src/add/add_linux_386.a -pthread -lstdc++", true},
		{"Nothing to expand here!", "/projects/src/add", "Nothing to expand here!", true},
		{"$", "/projects/src/add", "$", true},
		{"$$", "/projects/src/add", "$$", true},
		{"${", "/projects/src/add", "${", false},
		{"$}", "/projects/src/add", "$}", false},
		{"$FOO ${BAR}", "/projects/src/add", "$FOO ${BAR}", false},
		{"Find me the $SRCDIRECTORY.", "/projects/src/add", "Find me the $SRCDIRECTORY.", true},
		{"$SRCDIR is missing braces", "/projects/src/add", "$SRCDIR is missing braces", true},
		/* TestShellSafety */
		{"-I${SRCDIR}/../include", "/projects/src/issue 11868", "-I/projects/src/issue 11868/../include", true},
		{"-I${SRCDIR}", "~wtf$@%^", "-I~wtf$@%^", true},
		{"-X${SRCDIR}/1,${SRCDIR}/2", "/projects/src/issue 11868", "-X/projects/src/issue 11868/1,/projects/src/issue 11868/2", true},
		{"-I/tmp -I/tmp", "/tmp2", "-I/tmp -I/tmp", true},
		{"-I/tmp", "/tmp/[0]", "-I/tmp", true},
		{"-I${SRCDIR}/dir", "/tmp/[0]", "-I/tmp/[0]/dir", false},
		{"-I${SRCDIR}/dir", "/tmp/go go", "-I/tmp/go go/dir", true},
		{"-I${SRCDIR}/dir dir", "/tmp/go", "-I/tmp/go/dir dir", true},
	};
	for (size_t i = 0; i < countof(rows); i++) {
		char *out = NULL;
		bool ok = load_cgo_expand_srcdir(rows[i].in, rows[i].srcdir, &out);
		T_STREQ(out, rows[i].out, "expandSrcDir(%s)", rows[i].in);
		T_INTEQ(ok, rows[i].ok, "expandSrcDir(%s) ok", rows[i].in);
		free(out);
	}
}

static char *join(const struct strvec *sv)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < sv->n; i++)
		buf_printf(&b, "%s[%s]", i ? " " : "", sv->v[i]);
	return buf_detach(&b);
}

static void flags_release(struct load_cgo_flags *f)
{
	strvec_clear(&f->cflags);
	strvec_clear(&f->cppflags);
	strvec_clear(&f->cxxflags);
	strvec_clear(&f->fflags);
	strvec_clear(&f->ldflags);
	strvec_clear(&f->pkgconfig);
}

static void test_save_cgo(void)
{
	static const struct { const char *pre, *cflags, *ldflags, *pkgconfig, *err; } rows[] = {
		{"#include <stdio.h>\n#cgo CFLAGS: -DX=1 -I inc -Iinc2 -I/abs\n", "[-DX=1] [-I] [/p/dir/inc] [-I/p/dir/inc2] [-I/abs]", "", "", NULL},
		{"#cgo linux LDFLAGS: -lm\n#cgo windows LDFLAGS: -lws2_32\n", "", "[-lm]", "", NULL},
		{"#cgo linux,amd64 !cgo CFLAGS: -DA\n#cgo linux,!amd64 CFLAGS: -DB\n", "[-DA]", "", "", NULL},
		{"#cgo linux && (arm64 || amd64) CFLAGS: -DC\n#cgo (windows) CFLAGS: -DD\n", "[-DC]", "", "", NULL},
		{"#cgo CFLAGS: -D'A B' \"-DC=x y\" 'e''f' a\\ b\n", "[-DA B] [-DC=x y] [ef] [a b]", "", "", NULL},
		{"#cgo LDFLAGS: -L${SRCDIR}/lib -L ../lib2\n", "", "[-L/p/dir/lib] [-L] [/p/lib2]", "", NULL},
		{"#cgo pkg-config: --static png\n", "", "", "[--static] [png]", NULL},
		{"#cgo noescape myfunc\n#cgo nocallback f2\n  #cgo\tCFLAGS: -O2\n", "[-O2]", "", "", NULL},
		{"#cgox CFLAGS: -O2\n#cgo\n", "", "", "", NULL},
		{"#cgo CFLAGS -O2\n", NULL, NULL, NULL, "/p/dir/a.go: invalid #cgo line: #cgo CFLAGS -O2"},
		{"  #cgo : -O2  \n", NULL, NULL, NULL, "/p/dir/a.go: invalid #cgo line:   #cgo : -O2  "},
		{"#cgo CFLAGS: 'unclosed\n", NULL, NULL, NULL, "/p/dir/a.go: invalid #cgo line: #cgo CFLAGS: 'unclosed"},
		{"#cgo CFLAGS: trailing\\\n", NULL, NULL, NULL, "/p/dir/a.go: invalid #cgo line: #cgo CFLAGS: trailing\\"},
		{"#cgo CFLAGS: -D`x`\n", NULL, NULL, NULL, "/p/dir/a.go: malformed #cgo argument: -D`x`"},
		{"#cgo CFLAGS: ${SRCDIR}\n", NULL, NULL, NULL, "/p/dir/a.go: malformed #cgo argument: /p/d[ir"},
		{"#cgo LINKFLAGS: -x\n", NULL, NULL, NULL, "/p/dir/a.go: invalid #cgo verb: #cgo LINKFLAGS: -x"},
		{"#cgo windows LINKFLAGS: -x\n", "", "", "", NULL},
	};
	struct buildctx c;

	memset(&c, 0, sizeof(c));
	c.goos = (char *)"linux";
	c.goarch = (char *)"amd64";
	c.compiler = (char *)"gc";
	c.cgo_enabled = true;
	for (size_t i = 0; i < countof(rows); i++) {
		struct load_cgo_flags f;
		struct err e = ERR_INIT;
		int rc;
		memset(&f, 0, sizeof(f));
		rc = load_save_cgo(&c, "/p/dir/a.go", strstr(rows[i].pre, "${SRCDIR}\n") ? "/p/d[ir" : "/p/dir", rows[i].pre, &f, NULL, &A, &e);
		if (rows[i].err) {
			T_INTEQ(rc, -1, "saveCgo(%s)", rows[i].pre);
			T_STREQ(err_msg(&e), rows[i].err, "saveCgo(%s)", rows[i].pre);
		} else {
			char *s;
			T_INTEQ(rc, 0, "saveCgo(%s): %s", rows[i].pre, err_msg(&e));
			s = join(&f.cflags);
			T_STREQ(s, rows[i].cflags, "CFLAGS of %s", rows[i].pre);
			free(s);
			s = join(&f.ldflags);
			T_STREQ(s, rows[i].ldflags, "LDFLAGS of %s", rows[i].pre);
			free(s);
			s = join(&f.pkgconfig);
			T_STREQ(s, rows[i].pkgconfig, "pkg-config of %s", rows[i].pre);
			free(s);
		}
		err_clear(&e);
		flags_release(&f);
	}
}

int main(void)
{
	arena_init(&A);
	test_expand_srcdir();
	test_save_cgo();
	arena_release(&A);
	return test_exit();
}
