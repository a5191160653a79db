/*
 * The Go file header reader: go/build/read_test.go tables (readGoInfoTests,
 * readCommentsTests, readFailuresTests, readEmbedTests), plus the parts of
 * the imports-only parse go list shows (names, import positions and docs,
 * directives, doc text, parse error texts checked against go 1.26's
 * `go list -e -json`), and go/ast CommentGroup.Text.
 */
#include <stdlib.h>
#include <string.h>

#include "modload/header_internal.h"
#include "test.h"

static struct arena A;

/*
 * testRead's convention: "ℙ" marks where the header must end, "𝔻" (after
 * a BOM) marks where the returned text starts.  Both are removed from the
 * input.
 */
static void split_marks(const char *in, char **data, size_t *hdr_start, size_t *hdr_end)
{
	const char *P = strstr(in, "ℙ"), *D;
	struct buf b = BUF_INIT;
	size_t before_p = P ? (size_t)(P - in) : strlen(in);

	D = strstr(in, "𝔻");
	*hdr_start = 0;
	if (D && (size_t)(D - in) < before_p) {
		buf_add(&b, in, (size_t)(D - in));
		*hdr_start = b.len;
		buf_add(&b, D + strlen("𝔻"), before_p - (size_t)(D - in) - strlen("𝔻"));
	} else {
		buf_add(&b, in, before_p);
	}
	*hdr_end = b.len;
	if (P)
		buf_adds(&b, P + strlen("ℙ"));
	*data = buf_detach(&b);
}

static void test_read_go_info(void)
{
	static const char *const rows[] = {
		"package p",
		"package p; import \"x\"",
		"package p; import . \"x\"",
		"package p; import \"x\";ℙvar x = 1",
		"package p\n\n\n\t\timport \"x\"\n\t\timport _ \"x\"\n\t\timport a \"x\"\n\n\t\t/* comment */\n\n"
		"\t\timport (\n\t\t\t\"x\" /* comment */\n\t\t\t_ \"x\"\n\t\t\ta \"x\" // comment\n\t\t\t`x`\n"
		"\t\t\t_ /*comment*/ `x`\n\t\t\ta `x`\n\t\t)\n\t\timport (\n\t\t)\n\t\timport ()\n"
		"\t\timport()import()import()\n\t\timport();import();import()\n\n\t\tℙvar x = 1\n\t\t",
		"\xef\xbb\xbf𝔻package p; import \"x\";ℙvar x = 1",
	};
	for (size_t i = 0; i < countof(rows); i++) {
		char *data;
		size_t hs, he;
		struct load_gofile f;
		split_marks(rows[i], &data, &hs, &he);
		load_read_gofile(&A, "x.go", data, strlen(data), &f);
		T_TRUE(f.read_error == NULL, "#%zu read error %s", i, f.read_error);
		/* row 4 is only a reader test: go/parser rejects "import()import()" */
		if (i != 4)
			T_TRUE(f.parse_error == NULL, "#%zu parse error %s", i, f.parse_error);
		T_INTEQ((size_t)(f.header - data), hs, "#%zu header start", i);
		T_INTEQ(f.header_len, he - hs, "#%zu header length", i);
		T_STREQ(f.pkg_name, "p", "#%zu package", i);
		load_gofile_release(&f);
		free(data);
	}
}

static void test_read_comments(void)
{
	static const char *const rows[] = {
		"ℙpackage p",
		"ℙpackage p; import \"x\"",
		"ℙpackage p; import . \"x\"",
		"\xef\xbb\xbf𝔻ℙpackage p; import . \"x\"",
		"// foo\n\n\t\t/* bar */\n\n\t\t/* quux */ // baz\n\n\t\t/*/ zot */\n\n\t\tℙHello, world",
		"\xef\xbb\xbf𝔻// foo\n\n\t\t/* bar */\n\n\t\t/* quux */ // baz\n\n\t\t/*/ zot */\n\n\t\tℙHello, world",
	};
	for (size_t i = 0; i < countof(rows); i++) {
		char *data;
		size_t hs, he;
		split_marks(rows[i], &data, &hs, &he);
		/* the returned length counts the BOM, which go's reader drops */
		T_INTEQ(load_read_comments(data, strlen(data)), he, "readComments #%zu", i);
		free(data);
	}
}

static void test_read_failures(void)
{
	/* readFailuresTests: syntax errors make the whole file the header */
	static const char *const rows[] = {
		"package",
		"package p; import",
		"package p; import \"",
		"package p; import ` \n\n",
		"package p; import \"x",
		"package p; import _",
		"package p; import _ \"",
		"package p; import _ \"x",
		"package p; import .",
		"package p; import . \"",
		"package p; import . \"x",
		"package p; import (",
		"package p; import (\"",
		"package p; import (\"x",
		"package p; import (\"x\"",
	};
	struct load_gofile f;
	const char *nul = "package p\n\x00\nimport `math`\n";

	for (size_t i = 0; i < countof(rows); i++) {
		load_read_gofile(&A, "x.go", rows[i], strlen(rows[i]), &f);
		T_TRUE(f.read_error == NULL, "%s: read error", rows[i]);
		T_INTEQ(f.header_len, strlen(rows[i]), "%s: header is the whole file", rows[i]);
		T_TRUE(f.parse_error != NULL, "%s: want a parse error", rows[i]);
		load_gofile_release(&f);
	}
	load_read_gofile(&A, "/abs/p/a.go", nul, 30, &f);
	T_STREQ(f.read_error, "read /abs/p/a.go: unexpected NUL in input", "NUL");
	load_gofile_release(&f);
}

static void test_read_embed(void)
{
	static const struct { const char *in, *out; } rows[] = {
		{"package p\n", ""},
		{"package p\nimport \"embed\"\nvar i int\n//go:embed x y z\nvar files embed.FS", "4:12:x 4:14:y 4:16:z"},
		{"package p\nimport \"embed\"\nvar i int\n//go:embed x \"\\x79\" `z`\nvar files embed.FS", "4:12:x 4:14:y 4:21:z"},
		{"package p\nimport \"embed\"\nvar i int\n//go:embed x y\n//go:embed z\nvar files embed.FS", "4:12:x 4:14:y 5:12:z"},
		{"package p\nimport \"embed\"\nvar i int\n\t //go:embed x y\n\t //go:embed z\n\t var files embed.FS", "4:14:x 4:16:y 5:14:z"},
		{"package p\nimport \"embed\"\n//go:embed x y z\nvar files embed.FS", "3:12:x 3:14:y 3:16:z"},
		{"\xef\xbb\xbfpackage p\nimport \"embed\"\n//go:embed x y z\nvar files embed.FS", "3:12:x 3:14:y 3:16:z"},
		{"package p\nimport \"embed\"\nvar s = \"/*\"\n//go:embed x\nvar files embed.FS", "4:12:x"},
		{"package p\n\t\t import \"embed\"\n\t\t var s = \"\\\"\\\\\\\\\"\n\t\t //go:embed x\n\t\t var files embed.FS", "4:15:x"},
		{"package p\nimport \"embed\"\nvar s = `/*`\n//go:embed x\nvar files embed.FS", "4:12:x"},
		{"package p\nimport \"embed\"\nvar s = z/ *y\n//go:embed pointer\nvar pointer embed.FS", "4:12:pointer"},
		{"package p\n//go:embed x y z\n", ""},
		{"package p\n//go:embed x y z\nvar files embed.FS", ""},
		{"\xef\xbb\xbfpackage p\n//go:embed x y z\nvar files embed.FS", ""},
		/* malformed quoting drops the line; //go:embedx is another directive */
		{"package p\nimport _ \"embed\"\n//go:embed \"a\"b c\n//go:embedx d\n//go:embed `e` \"f\\tg\"\n", "5:12:e 5:16:f\tg"},
		{"package p\nimport \"embed\"\n//go:embed\nvar x = 1 // go:embed y\n", ""},
	};
	for (size_t i = 0; i < countof(rows); i++) {
		struct load_gofile f;
		struct buf b = BUF_INIT;
		load_read_gofile(&A, "test", rows[i].in, strlen(rows[i].in), &f);
		for (size_t j = 0; j < f.embeds.n; j++)
			buf_printf(&b, "%s%d:%d:%s", j ? " " : "", f.embeds.v[j].line, f.embeds.v[j].col, f.embeds.v[j].pattern);
		T_STREQ(buf_cstr(&b), rows[i].out, "readEmbed #%zu", i);
		buf_release(&b);
		load_gofile_release(&f);
	}
}

/* Import lists, docs and directives as go/parser sees them. */
static void test_imports(void)
{
	const char *src =
		"// Copyright 2024 The Authors.\n"
		"\n"
		"//go:build linux\n"
		"\n"
		"// Package p does things.\n"
		"//\n"
		"//   indented\n"
		"//go:debug panicnil=1\n"
		"package p // import \"example.com/p\"\n"
		"\n"
		"// #include <stdio.h>\n"
		"// #cgo CFLAGS: -DX=1\n"
		"import \"C\"\n"
		"\n"
		"import (\n"
		"\t// spec doc\n"
		"\tf \"fmt\"\n"
		"\t. `os`\n"
		"\t_ \"embed\" // trailing\n"
		")\n"
		"\n"
		"/* decl doc */\n"
		"import \"strings\"\n"
		"\n"
		"func main() {}\n";
	struct load_gofile f;

	load_read_gofile(&A, "p.go", src, strlen(src), &f);
	T_TRUE(f.parse_error == NULL, "parse error %s", f.parse_error);
	T_STREQ(f.pkg_name, "p", "package name");
	T_INTEQ(f.pkg_line, 9, "package line");
	T_INTEQ(f.pkg_col, 1, "package col");
	T_STREQ(f.doc, "Package p does things.\n\n  indented\n", "package doc");
	T_INTEQ(f.directives.n, 2, "directives");
	if (f.directives.n == 2) {
		T_STREQ(f.directives.v[0].text, "//go:build linux", "directive 0");
		T_INTEQ(f.directives.v[0].line, 3, "directive 0 line");
		T_STREQ(f.directives.v[1].text, "//go:debug panicnil=1", "directive 1");
		T_INTEQ(f.directives.v[1].line, 8, "directive 1 line");
	}
	T_INTEQ(f.imports.n, 5, "imports");
	if (f.imports.n == 5) {
		T_STREQ(f.imports.v[0].path, "C", "C");
		T_STREQ(f.imports.v[0].doc, "#include <stdio.h>\n#cgo CFLAGS: -DX=1\n", "cgo preamble");
		T_INTEQ(f.imports.v[0].line, 13, "C line");
		T_INTEQ(f.imports.v[0].col, 8, "C col");
		T_STREQ(f.imports.v[1].path, "fmt", "fmt");
		T_STREQ(f.imports.v[1].doc, "spec doc\n", "fmt doc");
		T_INTEQ(f.imports.v[1].line, 17, "fmt line");
		T_INTEQ(f.imports.v[1].col, 2, "fmt col (the name starts the spec)");
		T_STREQ(f.imports.v[2].path, "os", "os");
		T_TRUE(f.imports.v[2].doc == NULL, "os doc");
		T_STREQ(f.imports.v[3].path, "embed", "embed");
		T_STREQ(f.imports.v[4].path, "strings", "strings");
		T_STREQ(f.imports.v[4].doc, " decl doc\n", "strings doc from the declaration");
	}
	load_gofile_release(&f);
}

static void test_parse_errors(void)
{
	/* texts checked against go1.26 `go list -e -json` (Error.Err, Error.Pos) */
	static const struct { const char *in, *err; } rows[] = {
		{"", "a.go:1:1: expected 'package', found 'EOF'"},
		{"// just a comment\n", "a.go:1:19: expected 'package', found 'EOF'"},
		{"package", "a.go:1:8: expected 'IDENT', found 'EOF'"},
		{"package p import \"x\"\n", "a.go:1:11: expected ';', found 'import'"},
		{"package p\nimport \"a b\"\n", "a.go:2:8: invalid import path: a b"},
		{"package p\nimport x \"\"\n", "a.go:2:8: invalid import path: "},
		{"package p\nimport (\n\t\"fmt\"\n\t\"os\n)\n", "a.go:4:2: string literal not terminated"},
		{"package p\nimport fmt\n", "a.go:2:11: missing import path"},
		{"package p\nimport 42\n", "a.go:2:8: import path must be a string"},
		{"package p\nimport (\"a\" \"b\")\n", "a.go:2:13: expected ';', found \"b\""},
		{"package p\nimport \"a\", \"b\"\n", NULL}, /* the header stops before ',' */
		{"var x = 1\n", "a.go:1:1: expected 'package', found 'var'"},
		{"package 1\n", "a.go:1:9: expected 'IDENT', found 1"},
		{"package p\n@\n", NULL},
		{"package p\nimport \"x\"\nimport @\n", "a.go:3:8: illegal character U+0040 '@'"},
		{"package p; import \"\\q\"\n", "a.go:1:21: unknown escape sequence"},
		{"/* unterminated\npackage p\n", "a.go:1:1: comment not terminated"},
		{"package p\nimport (\n\t\"fmt\"\n", "a.go:3:8: expected ')', found 'EOF'"},
	};
	for (size_t i = 0; i < countof(rows); i++) {
		struct load_gofile f;
		load_read_gofile(&A, "a.go", rows[i].in, strlen(rows[i].in), &f);
		T_STREQ(f.parse_error, rows[i].err, "parse error of %s", rows[i].in);
		if (rows[i].err)
			T_INTEQ(f.imports.n, 0, "imports dropped on error: %s", rows[i].in);
		load_gofile_release(&f);
	}
}

static void test_comment_text(void)
{
	/* go/ast TestCommentText */
	static const struct { const char *list[8]; const char *text; } rows[] = {
		{{"//"}, ""},
		{{"//   "}, ""},
		{{"//", "//", "//   "}, ""},
		{{"// foo   "}, "foo\n"},
		{{"//", "//", "// foo"}, "foo\n"},
		{{"// foo  bar  "}, "foo  bar\n"},
		{{"// foo", "// bar"}, "foo\nbar\n"},
		{{"// foo", "//", "//", "//", "// bar"}, "foo\n\nbar\n"},
		{{"// foo", "/* bar */"}, "foo\n bar\n"},
		{{"//", "//", "//", "// foo", "//", "//", "//"}, "foo\n"},
		{{"/**/"}, ""},
		{{"/*   */"}, ""},
		{{"/**/", "/**/", "/*   */"}, ""},
		{{"/* Foo   */"}, " Foo\n"},
		{{"/* Foo  Bar  */"}, " Foo  Bar\n"},
		{{"/* Foo*/", "/* Bar*/"}, " Foo\n Bar\n"},
		{{"/* Foo*/", "/**/", "/**/", "/**/", "// Bar"}, " Foo\n\nBar\n"},
		{{"/* Foo*/", "/*\n*/", "//", "/*\n*/", "// Bar"}, " Foo\n\nBar\n"},
		{{"/* Foo*/", "// Bar"}, " Foo\nBar\n"},
		{{"/* Foo\n Bar*/"}, " Foo\n Bar\n"},
		{{"// foo", "//go:noinline", "// bar", "//:baz"}, "foo\nbar\n:baz\n"},
		{{"// foo", "//lint123:ignore", "// bar"}, "foo\nbar\n"},
	};
	for (size_t i = 0; i < countof(rows); i++) {
		struct str texts[8];
		size_t n = 0;
		struct buf b = BUF_INIT;
		for (; n < 8 && rows[i].list[n]; n++)
			texts[n] = str_c(rows[i].list[n]);
		load_comment_text(&b, texts, n);
		T_STREQ(buf_cstr(&b), rows[i].text, "CommentGroup.Text #%zu", i);
		buf_release(&b);
	}
}

int main(void)
{
	arena_init(&A);
	test_read_go_info();
	test_read_comments();
	test_read_failures();
	test_read_embed();
	test_imports();
	test_parse_errors();
	test_comment_text();
	arena_release(&A);
	return test_exit();
}
