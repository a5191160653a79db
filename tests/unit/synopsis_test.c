/*
 * go/doc Synopsis: go/doc/synopsis_test.go's table plus go/doc/comment
 * cases (headings, code, lists, links).  With SYNOPSIS_CASES=FILE it also
 * checks real packages: each line of FILE is
 *	IMPORTPATH <tab> EXPECTED DOC <tab> FILE1 <tab> FILE2 ...
 * (the package's non-test Go files in directory order), as written by
 * tests/e2e/synopsis.sh from `go list`.
 */
#include <stdlib.h>
#include <string.h>

#include "modload/header_internal.h"
#include "test.h"

static struct arena A;

static void test_table(void)
{
	static const struct { const char *txt, *syn; } rows[] = {
		/* go/doc/synopsis_test.go */
		{"", ""},
		{"foo", "foo"},
		{"foo.", "foo."},
		{"foo.bar", "foo.bar"},
		{"  foo.  ", "foo."},
		{"  foo\t  bar.\n", "foo bar."},
		{"a  b\n\nc\r\rd\t\t", "a b"},
		{"a  b\n\nc\r\rd\t\t  . BLA", "a b"},
		{"Package poems by T.S.Eliot. To rhyme...", "Package poems by T.S.Eliot."},
		{"Package poems by T. S. Eliot. To rhyme...", "Package poems by T. S. Eliot."},
		{"foo implements the foo ABI. The foo ABI is...", "foo implements the foo ABI."},
		{"Package\nfoo. ..", "Package foo."},
		{"P . Q.", "P ."},
		{"P. Q.   ", "P. Q."},
		{"Package Καλημέρα κόσμε.", "Package Καλημέρα κόσμε."},
		{"Package こんにちは 世界\n", "Package こんにちは 世界"},
		{"Package こんにちは。世界", "Package こんにちは。"},
		{"Package 안녕．世界", "Package 안녕．"},
		{"Package foo does bar.", "Package foo does bar."},
		{"Copyright 2012 Google, Inc. Package foo does bar.", ""},
		{"All Rights reserved. Package foo does bar.", ""},
		{"All rights reserved. Package foo does bar.", ""},
		{"Authors: foo@bar.com. Package foo does bar.", ""},
		{"typically invoked as ``go tool asm'',", "typically invoked as “go tool asm”,"},
		/* go/doc/comment block kinds: only a paragraph gives a synopsis */
		{"# Heading\n\nText.", ""},
		{"\tcode()\n\nText.", ""},
		{"  - item one\n  - item two\n", "- item one - item two"}, /* unindented: a paragraph */
		{"Overview\n\nText here.\n", "Overview"},
		{"[a]: http://x\nPackage x [a] b.\n", "[a]: http://x Package x [a] b."},
		{"[a]: http://x\n\nPackage x [a] b.\n", "Package x a b.\n\n[a]: http://x"},
		/* links: [pkg] and [pkg.Name] to std packages lose their brackets */
		{"Package x wraps [io.Reader] and [Foo].\n", "Package x wraps io.Reader and [Foo]."},
		{"Package x is like [fmt] but [notstd].\n", "Package x is like fmt but [notstd]."},
		{"Package x uses [golang.org/x/mod/module.Version] a lot.\n", "Package x uses golang.org/x/mod/module.Version a lot."},
		{"Package x, see https://go.dev/''x'' now.\n", "Package x, see https://go.dev/''x'' now."},
		{"Package x does ``this''.\n", "Package x does “this”."},
		{"Package x uses ```code```.\n", "Package x uses ```code```."},
		{"Package x [is\nsplit] here.\n", "Package x [is split] here."},
	};
	for (size_t i = 0; i < countof(rows); i++)
		T_STREQ(load_doc_synopsis(&A, rows[i].txt), rows[i].syn, "Synopsis(%s)", rows[i].txt);
}

/* check_cases runs the go list generated table; returns the number of rows. */
static size_t check_cases(const char *path)
{
	struct buf all = BUF_INIT;
	struct err e = ERR_INIT;
	size_t rows = 0;
	char *line, *save = NULL;

	if (os_read_file(path, &all, 0, &e) < 0) {
		T_FAIL("%s", err_msg(&e));
		err_clear(&e);
		return 0;
	}
	for (line = all.data; line && *line; line = save) {
		char *nl = strchr(line, '\n'), *f[4096];
		size_t nf = 0, i;
		const char *got = "";

		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		for (char *p = line; p && nf < countof(f);) {
			char *t = strchr(p, '\t');
			f[nf++] = p;
			if (t)
				*t = '\0';
			p = t ? t + 1 : NULL;
		}
		if (nf < 2)
			continue;
		rows++;
		/* the doc of the first file (directory order) that has one */
		for (i = 2; i < nf; i++) {
			struct buf data = BUF_INIT;
			struct load_gofile gf;
			bool found = false;
			if (os_read_file(f[i], &data, 0, &e) < 0) {
				T_FAIL("%s", err_msg(&e));
				err_clear(&e);
				buf_release(&data);
				continue;
			}
			load_read_gofile(&A, f[i], data.data, data.len, &gf);
			if (gf.doc) {
				got = load_doc_synopsis(&A, gf.doc);
				found = true;
			}
			load_gofile_release(&gf);
			buf_release(&data);
			if (found)
				break;
		}
		T_STREQ(got, f[1], "synopsis of %s", f[0]);
	}
	buf_release(&all);
	return rows;
}

int main(void)
{
	const char *cases = getenv("SYNOPSIS_CASES");

	arena_init(&A);
	test_table();
	if (cases && *cases)
		printf("%zu packages checked\n", check_cases(cases));
	arena_release(&A);
	return test_exit();
}
