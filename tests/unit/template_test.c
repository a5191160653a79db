/*
 * Unit tables for cmd/template.c.  Each row is a template executed on the
 * value built by build_pkg; the expected output and error texts were
 * produced by Go 1.26's text/template with the same Go value and the go
 * command's FuncMap (join = strings.Join, context, module), and pasted here.
 * The template forms follow text/template's exec_test.go and parse_test.go
 * (fields, chains, variables, pipelines, range/with/if, builtins, errors).
 *
 * The Go value:
 *	type Err struct{ Pos, Err string }          // Error() = "E:" + Err
 *	type Mod struct { Path, Version string; Main bool; Replace *Mod }  // String() = "MOD:" + Path + "@" + Version
 *	type Ctx struct { GOOS, GOARCH string; CgoEnabled bool; ReleaseTags []string }
 *	type Sub struct { A string; B []string }
 *	type Pkg struct {
 *		Dir, ImportPath, Name string; Standard bool; N, Zero int
 *		Imports, Deps, Nil, Empty []string; Module, NilMod *Mod; Error, NilErr *Err
 *		M map[string]string; Inner Sub; PInner *Sub; Subs []Sub; Text string
 *	}
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/template.h"
#include "test.h"

static struct val *mod(struct arena *a, const char *path, const char *version, bool main)
{
	struct val *m = val_error(a, "*main.Mod", true, arena_printf(a, "MOD:%s@%s", path, version));
	struct val *nilmod = val_nil(a);

	nilmod->type = "*main.Mod";
	nilmod->error_text = ""; /* a nil Stringer */
	val_field_add(m, "Path", val_string(a, path), false);
	val_field_add(m, "Version", val_string(a, version), false);
	val_field_add(m, "Main", val_bool(a, main), false);
	val_field_add(m, "Replace", nilmod, false);
	return m;
}

static struct val *sub(struct arena *a, const char *s, char **b, size_t nb, bool ptr)
{
	struct val *v = val_struct(a, ptr ? "*main.Sub" : "main.Sub", ptr);

	val_field_add(v, "A", val_string(a, s), false);
	val_field_add(v, "B", val_strlist(a, b, nb), false);
	return v;
}

static struct val *typed_nil(struct arena *a, const char *type)
{
	struct val *v = val_nil(a);

	v->type = type;
	v->error_text = ""; /* both uses are Stringer/error types */
	return v;
}

static struct val *build_pkg(struct arena *a)
{
	struct val *p = val_struct(a, "*main.Pkg", true);
	char *imports[] = {"fmt", "os"}, *deps[] = {"errors", "fmt", "os"}, *bb[] = {"b1", "b2"}, *x[] = {"x"};
	struct val *m = val_map(a), *subs = val_list(a), *err;

	val_field_add(p, "Dir", val_string(a, "/src/a"), false);
	val_field_add(p, "ImportPath", val_string(a, "example.com/a"), false);
	val_field_add(p, "Name", val_string(a, "a"), false);
	val_field_add(p, "Standard", val_bool(a, false), false);
	val_field_add(p, "N", val_int(a, 3), false);
	val_field_add(p, "Zero", val_int(a, 0), false);
	val_field_add(p, "Imports", val_strlist(a, imports, 2), false);
	val_field_add(p, "Deps", val_strlist(a, deps, 3), false);
	val_field_add(p, "Nil", val_strlist(a, NULL, 0), false);
	val_field_add(p, "Empty", val_list(a), false);
	val_field_add(p, "Module", mod(a, "example.com", "v1.0.0", true), false);
	val_field_add(p, "NilMod", typed_nil(a, "*main.Mod"), false);
	err = val_error(a, "*main.Err", true, "E:bad");
	val_field_add(err, "Pos", val_string(a, "a.go:1"), false);
	val_field_add(err, "Err", val_string(a, "bad"), false);
	val_field_add(p, "Error", err, false);
	val_field_add(p, "NilErr", typed_nil(a, "*main.Err"), false);
	val_field_add(m, "k2", val_string(a, "v2"), false);
	val_field_add(m, "k1", val_string(a, "v1"), false);
	val_field_add(m, "A", val_string(a, "x"), false);
	val_field_add(p, "M", m, false);
	val_field_add(p, "Inner", sub(a, "in", bb, 2, false), false);
	val_field_add(p, "PInner", sub(a, "pin", NULL, 0, true), false);
	val_list_add(subs, sub(a, "s1", NULL, 0, false));
	val_list_add(subs, sub(a, "s2", x, 1, false));
	subs->type = "[]main.Sub";
	val_field_add(p, "Subs", subs, false);
	val_field_add(p, "Text", val_string(a, "<a&b>\t\"q\"\303\251"), false);
	return p;
}

static struct val *fn_context(void *ctx, struct err *e)
{
	struct arena *a = ctx;
	struct val *c = val_struct(a, "*main.Ctx", true);
	char *tags[] = {"go1.1", "go1.2"};

	(void)e;
	val_field_add(c, "GOOS", val_string(a, "linux"), false);
	val_field_add(c, "GOARCH", val_string(a, "amd64"), false);
	val_field_add(c, "CgoEnabled", val_bool(a, true), false);
	val_field_add(c, "ReleaseTags", val_strlist(a, tags, 2), false);
	return c;
}

static struct val *fn_module(void *ctx, const char *path, struct err *e)
{
	(void)e;
	return mod(ctx, arena_strdup(ctx, path), "v9", false);
}

static const struct {
	const char *tmpl, *out, *err;
} exec_tests[] = {
	{"{{.ImportPath}}",
	 "example.com/a", NULL},
	{"{{.Name}} {{.Dir}}",
	 "a /src/a", NULL},
	{"x{{.N}}y{{.Zero}}z{{.Standard}}",
	 "x3y0zfalse", NULL},
	{"{{.Imports}}",
	 "[fmt os]", NULL},
	{"{{.Nil}}|{{.Empty}}",
	 "[]|[]", NULL},
	{"{{.Module}}",
	 "MOD:example.com@v1.0.0", NULL},
	{"{{.Module.Path}}@{{.Module.Version}}",
	 "example.com@v1.0.0", NULL},
	{"{{.NilMod}}",
	 "<nil>", NULL},
	{"{{.NilMod.Path}}",
	 "", "template: main:1:9: executing \"main\" at <.NilMod.Path>: nil pointer evaluating *main.Mod.Path"},
	{"{{.Module.Replace}}",
	 "<nil>", NULL},
	{"{{.Module.Replace.Path}}",
	 "", "template: main:1:9: executing \"main\" at <.Module.Replace.Path>: nil pointer evaluating *main.Mod.Path"},
	{"{{.Error}}",
	 "E:bad", NULL},
	{"{{.NilErr}}",
	 "<nil>", NULL},
	{"{{.M}}",
	 "map[A:x k1:v1 k2:v2]", NULL},
	{"{{.M.k1}}",
	 "v1", NULL},
	{"{{.Inner}}",
	 "{in [b1 b2]}", NULL},
	{"{{.PInner}}",
	 "{pin []}", NULL},
	{"{{print .PInner}}",
	 "&{pin []}", NULL},
	{"{{.Subs}}",
	 "[{s1 []} {s2 [x]}]", NULL},
	{"{{.Text}}",
	 "<a&b>\t\"q\"\303\251", NULL},
	{"{{.Foo}}",
	 "", "template: main:1:2: executing \"main\" at <.Foo>: can't evaluate field Foo in type *main.Pkg"},
	{"{{.Module.Foo}}",
	 "", "template: main:1:9: executing \"main\" at <.Module.Foo>: can't evaluate field Foo in type *main.Mod"},
	{"{{.Name.Foo}}",
	 "", "template: main:1:7: executing \"main\" at <.Name.Foo>: can't evaluate field Foo in type string"},
	{"{{join .Deps \",\"}}",
	 "errors,fmt,os", NULL},
	{"{{join .Nil \",\"}}",
	 "", NULL},
	{"{{join .Name \",\"}}",
	 "", "template: main:1:7: executing \"main\" at <.Name>: wrong type for value; expected []string; got string"},
	{"{{join .Deps 5}}",
	 "", "template: main:1:13: executing \"main\" at <5>: expected string; found 5"},
	{"{{join .Deps}}",
	 "", "template: main:1:2: executing \"main\" at <join>: wrong number of args for join: want 2 got 1"},
	{"{{context.GOOS}}/{{context.GOARCH}} {{context.CgoEnabled}} {{context.ReleaseTags}}",
	 "linux/amd64 true [go1.1 go1.2]", NULL},
	{"{{(module \"golang.org/x/mod\").Path}}",
	 "golang.org/x/mod", NULL},
	{"{{with module \"m\"}}{{.Version}}{{end}}",
	 "v9", NULL},
	{"{{range .Deps}}[{{.}}]{{end}}",
	 "[errors][fmt][os]", NULL},
	{"{{range $i, $d := .Deps}}{{$i}}={{$d}} {{end}}",
	 "0=errors 1=fmt 2=os ", NULL},
	{"{{range $d := .Deps}}{{$d}},{{end}}",
	 "errors,fmt,os,", NULL},
	{"{{range .Nil}}x{{else}}empty{{end}}",
	 "empty", NULL},
	{"{{range .Empty}}x{{else}}empty{{end}}",
	 "empty", NULL},
	{"{{range $k, $v := .M}}{{$k}}:{{$v}};{{end}}",
	 "A:x;k1:v1;k2:v2;", NULL},
	{"{{range .M}}{{.}};{{end}}",
	 "x;v1;v2;", NULL},
	{"{{range 3}}{{.}}{{end}}",
	 "012", NULL},
	{"{{range $i, $x := 3}}{{end}}",
	 "", "template: main:1:18: executing \"main\" at <3>: can't use 3 to iterate over more than one variable"},
	{"{{range .Name}}{{end}}",
	 "", "template: main:1:8: executing \"main\" at <.Name>: range can't iterate over a"},
	{"{{range .NilMod}}{{end}}",
	 "", "template: main:1:8: executing \"main\" at <.NilMod>: range can't iterate over <nil>"},
	{"{{range .Deps}}{{if eq . \"fmt\"}}{{break}}{{end}}{{.}} {{end}}",
	 "errors ", NULL},
	{"{{range .Deps}}{{if eq . \"fmt\"}}{{continue}}{{end}}{{.}} {{end}}",
	 "errors os ", NULL},
	{"{{if .Standard}}std{{else}}not std{{end}}",
	 "not std", NULL},
	{"{{if .Standard}}a{{else if .N}}b{{else}}c{{end}}",
	 "b", NULL},
	{"{{if not .Imports}}none{{else}}some{{end}}",
	 "some", NULL},
	{"{{if and .Imports .Name}}both{{end}}",
	 "both", NULL},
	{"{{and .Imports .Name}} {{or .Nil .Name}} {{and .Zero .Name}} {{or .Zero .Nil}}",
	 "a a 0 []", NULL},
	{"{{with .NilMod}}x{{else}}nomod{{end}}",
	 "nomod", NULL},
	{"{{with .Module}}{{.Path}}{{end}}",
	 "example.com", NULL},
	{"{{with .NilMod}}a{{else with .Module}}{{.Version}}{{end}}",
	 "v1.0.0", NULL},
	{"{{len .Deps}} {{len .Name}} {{len .M}} {{len .Nil}}",
	 "3 1 3 0", NULL},
	{"{{len .N}}",
	 "", "template: main:1:2: executing \"main\" at <len .N>: error calling len: len of type int"},
	{"{{len .NilMod}}",
	 "", "template: main:1:2: executing \"main\" at <len .NilMod>: error calling len: len of nil pointer"},
	{"{{index .Deps 1}} {{index .M \"k2\"}}",
	 "fmt v2", NULL},
	{"{{index .Deps 5}}",
	 "", "template: main:1:2: executing \"main\" at <index .Deps 5>: error calling index: index out of range: 5"},
	{"{{index .Deps 3}}",
	 "", "template: main:1:2: executing \"main\" at <index .Deps 3>: error calling index: reflect: slice index out of range"},
	{"{{index .Deps \"x\"}}",
	 "", "template: main:1:2: executing \"main\" at <index .Deps \"x\">: error calling index: cannot index slice/array with type string"},
	{"{{index .N 1}}",
	 "", "template: main:1:2: executing \"main\" at <index .N 1>: error calling index: can't index item of type int"},
	{"{{print .Name .N .Standard}}|{{print .N .Zero}}|{{print \"a\" \"b\"}}|{{print .Deps .Imports}}",
	 "a3 false|3 0|ab|[errors fmt os] [fmt os]", NULL},
	{"{{println .Name .N}}",
	 "a 3\n", NULL},
	{"{{printf \"%s-%d-%v-%t\" .Name .N .Deps .Standard}}",
	 "a-3-[errors fmt os]-false", NULL},
	{"{{printf \"%q %q\" .Name .Deps}}",
	 "\"a\" [\"errors\" \"fmt\" \"os\"]", NULL},
	{"{{printf \"%-10s|%10s|%5d|%-5d|%05d\" .Name .Name .N .N .N}}",
	 "a         |         a|    3|3    |00003", NULL},
	{"{{printf \"%x %X %x\" .Name .Name 255}}",
	 "61 61 ff", NULL},
	{"{{printf \"%d\" .Name}}",
	 "%!d(string=a)", NULL},
	{"{{printf \"%s\" .N}}",
	 "%!s(int=3)", NULL},
	{"{{printf \"%s\"}}",
	 "%!s(MISSING)", NULL},
	{"{{printf \"%s\" .Name .N}}",
	 "a%!(EXTRA int=3)", NULL},
	{"{{printf \"%v %s\" .Module .Error}}",
	 "MOD:example.com@v1.0.0 E:bad", NULL},
	{"{{printf \"%v\" .PInner}}",
	 "&{pin []}", NULL},
	{"{{printf \"%v\" .NilMod}}",
	 "<nil>", NULL},
	{"{{printf \"100%%\"}}",
	 "100%", NULL},
	{"{{printf \"%.2s\" .Name}}{{printf \"%.2s\" \"h\303\251llo\"}}",
	 "ah\303\251", NULL},
	{"{{.Name | printf \"%s!\"}}",
	 "a!", NULL},
	{"{{.Deps | join \",\" }}",
	 "", "template: main:1:15: executing \"main\" at <\",\">: can't handle \",\" for arg of type []string"},
	{"{{\"x\" | printf \"%s-%s\" \"y\"}}",
	 "y-x", NULL},
	{"{{.Name | len}}",
	 "1", NULL},
	{"{{eq .Name \"a\"}} {{eq .N 3}} {{eq .N 1 2 3}} {{ne .Name \"b\"}} {{lt .N 5}} {{le .N 3}} {{gt .N 3}} {{ge .Name \"a\"}}",
	 "true true true true true true false true", NULL},
	{"{{eq .N \"a\"}}",
	 "", "template: main:1:2: executing \"main\" at <eq .N \"a\">: error calling eq: incompatible types for comparison: int and string"},
	{"{{lt .Standard true}}",
	 "", "template: main:1:2: executing \"main\" at <lt .Standard true>: error calling lt: invalid type for comparison"},
	{"{{eq .Deps .Deps}}",
	 "", "template: main:1:2: executing \"main\" at <eq .Deps .Deps>: error calling eq: non-comparable type [errors fmt os]: []string"},
	{"{{eq .NilMod nil}}",
	 "true", NULL},
	{"{{lt .Deps 1}}",
	 "", "template: main:1:2: executing \"main\" at <lt .Deps 1>: error calling lt: invalid type for comparison"},
	{"{{eq .N}}",
	 "", "template: main:1:2: executing \"main\" at <eq .N>: error calling eq: missing argument for comparison"},
	{"{{$x := .Name}}{{$x}}-{{$.N}}",
	 "a-3", NULL},
	{"{{$x := 1}}{{$x = 2}}{{$x}}",
	 "2", NULL},
	{"{{$.Name}}",
	 "a", NULL},
	{"{{$y}}",
	 "", "template: main:1: undefined variable \"$y\""},
	{"{{foo}}",
	 "", "template: main:1: function \"foo\" not defined"},
	{"{{.Name",
	 "", "template: main:1: unclosed action"},
	{"{{.Name}",
	 "", "template: main:1: bad character U+007D '}'"},
	{"{{if .Name}}x",
	 "", "template: main:1: unexpected EOF"},
	{"{{end}}",
	 "", "template: main:1: unexpected {{end}}"},
	{"{{else}}",
	 "", "template: main:1: unexpected {{else}}"},
	{"{{range .Deps}}{{end}}{{break}}",
	 "", "template: main:1: {{break}} outside {{range}}"},
	{"{{/* comment */}}a{{- /* c2 */ -}} b",
	 "ab", NULL},
	{"a  {{- .Name -}}  b",
	 "aab", NULL},
	{"a {{-3}} b",
	 "a -3 b", NULL},
	{"{{.Name -}} \n  x",
	 "ax", NULL},
	{"{{\"\n\\t\\x41\\u00e9\" | printf \"%q\"}}",
	 "", "template: main:1: unterminated quoted string"},
	{"{{`raw\n`}}",
	 "raw\n", NULL},
	{"{{nil}}",
	 "", "template: main:1:2: executing \"main\" at <nil>: nil is not a command"},
	{"{{.Name 1}}",
	 "", "template: main:1:2: executing \"main\" at <.Name>: Name has arguments but cannot be invoked as function"},
	{"{{\"x\" | .Name}}",
	 "", "template: main:1:8: executing \"main\" at <.Name>: Name has arguments but cannot be invoked as function"},
	{"{{1 | 2}}",
	 "", "template: main:1: non executable command in pipeline stage 2"},
	{"{{(1).X}}",
	 "", "template: main:1:3: executing \"main\" at <1>: can't evaluate field X in type int"},
	{"{{(.Module).Path}}",
	 "example.com", NULL},
	{"{{(context).GOOS}}",
	 "linux", NULL},
	{"{{(print \"a\" \"b\") | len}}",
	 "2", NULL},
	{"{{3}} {{-3}} {{0x10}} {{true}} {{\"s\"}}",
	 "3 -3 16 true s", NULL},
	{"{{.Nil | len}}",
	 "0", NULL},
	{"{{range $i, $v, $w := .Deps}}{{end}}",
	 "", "template: main:1: too many declarations in range"},
	{"{{.Name | not}}",
	 "false", NULL},
	{"{{if}}{{end}}",
	 "", "template: main:1: missing value for if"},
	{"{{)}}",
	 "", "template: main:1: unexpected right paren"},
	{"{{(.Name}}",
	 "", "template: main:1: unclosed left paren"},
	{"{{.Name :}}",
	 "", "template: main:1: expected :="},
	{"{{.Name#}}",
	 "", "template: main:1: bad character U+0023 '#'"},
	{"{{\"unterminated}}",
	 "", "template: main:1: unterminated quoted string"},
	{"{{$x := .Name}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}",
	 "2a", NULL},
	{"{{with $m := .Module}}{{$m.Path}}{{end}}",
	 "example.com", NULL},
	{"line1\n{{.Foo}}",
	 "line1\n", "template: main:2:2: executing \"main\" at <.Foo>: can't evaluate field Foo in type *main.Pkg"},
	{"line1\n  {{.Module.Bar}}",
	 "line1\n  ", "template: main:2:11: executing \"main\" at <.Module.Bar>: can't evaluate field Bar in type *main.Mod"},
	{"{{.M.missing}}",
	 "<no value>", NULL},
	{"{{index .Subs 1}}",
	 "{s2 [x]}", NULL},
	{"{{(index .Subs 1).B}}",
	 "[x]", NULL},
	{"{{.Subs | len}}",
	 "2", NULL},
	{"{{eq .Deps .Name}}",
	 "", "template: main:1:2: executing \"main\" at <eq .Deps .Name>: error calling eq: incompatible types for comparison: []string and string"},
	{"{{eq .Subs .M}}",
	 "", "template: main:1:2: executing \"main\" at <eq .Subs .M>: error calling eq: non-comparable types [{s1 []} {s2 [x]}]: []main.Sub, map[string]string: map[A:x k1:v1 k2:v2]"},
	{"{{eq .Module .Module}}",
	 "true", NULL},
	{"{{range .Subs}}{{.A}}:{{join .B \"+\"}} {{end}}",
	 "s1: s2:x ", NULL},
	{"{{if .Name}}",
	 "", "template: main:1: unexpected EOF"},
	{"{{- .Name}}",
	 "a", NULL},
	{"{{- end}}",
	 "", "template: main:1: unexpected {{end}}"},
	{"a",
	 "a", NULL},
	{"{{if}}",
	 "", "template: main:1: missing value for if"},
	{"a",
	 "a", NULL},
	{"b",
	 "b", NULL},
	{"{{.Name | foo}}",
	 "", "template: main:1: function \"foo\" not defined"},
	{"x",
	 "x", NULL},
	{"{{range .Deps}}",
	 "", "template: main:1: unexpected EOF"},
	{"{{end",
	 "", "template: main:1: unclosed action"},
	{"{{with $x := 3}}{{$x}}{{end}}{{$x}}",
	 "", "template: main:1: undefined variable \"$x\""},
	{"{{index .M 1}}",
	 "", "template: main:1:2: executing \"main\" at <index .M 1>: error calling index: value has type int; should be string"},
	{"{{printf \"%5v|%-4v|\" .Imports .N}}",
	 "[  fmt    os]|3   |", NULL},
	{"{{printf \"%t %v\" .N .Standard}}",
	 "%!t(int=3) false", NULL},
	{"{{printf \"%z\" .Name}}",
	 "%!z(string=a)", NULL},
	{"{{printf \"%d %s\" .Standard .Nil}}",
	 "%!d(bool=false) []", NULL},
	{"{{print .NilMod .Nil .M}}",
	 "<nil> [] map[A:x k1:v1 k2:v2]", NULL},
	{"{{println}}",
	 "\n", NULL},
	{"{{print}}",
	 "", NULL},
	{"{{print nil}}",
	 "<nil>", NULL},
	{"{{printf \"%v %s\" nil nil}}",
	 "<nil> %!s(<nil>)", NULL},
	{"{{.Module.Main}}{{.Module.Foo}}",
	 "true", "template: main:1:25: executing \"main\" at <.Module.Foo>: can't evaluate field Foo in type *main.Mod"},
	{"{{range $i, $e := .Subs}}{{$i}}{{$e.A}}{{end}}",
	 "0s11s2", NULL},
	{"{{range .Deps}}{{$.Name}}{{end}}",
	 "aaa", NULL},
	{"{{range $x := .Deps}}{{end}}{{$x}}",
	 "", "template: main:1: undefined variable \"$x\""},
	{"{{break}}",
	 "", "template: main:1: {{break}} outside {{range}}"},
	{"{{ .Name }}",
	 "a", NULL},
	{"{{- .Name -}}",
	 "a", NULL},
	{"{{\"a\" | eq \"a\"}}",
	 "true", NULL},
	{"{{.N | eq 3 4}}",
	 "true", NULL},
	{"{{not 0}} {{not \"\"}} {{not .Module}}",
	 "true true false", NULL},
	{"{{if .Module}}yes{{end}}",
	 "yes", NULL},
	{"{{with .Empty}}x{{else}}y{{end}}",
	 "y", NULL},
	{"{{index .Subs 0 | print}}",
	 "{s1 []}", NULL},
	{"{{(index .Subs 0).A}}",
	 "s1", NULL},
	{"{{le \"a\" \"b\"}} {{gt 2 1}} {{ge 1 2}}",
	 "true true false", NULL},
	{"{{lt 1 \"a\"}}",
	 "", "template: main:1:2: executing \"main\" at <lt 1 \"a\">: error calling lt: incompatible types for comparison: int and string"},
	{"{{.NilErr.Err}}",
	 "", "template: main:1:9: executing \"main\" at <.NilErr.Err>: nil pointer evaluating *main.Err.Err"},
	{"{{.Error.Pos}}",
	 "a.go:1", NULL},
	{"{{.Name}}\n{{.Name}}\n  {{.Nope}}",
	 "a\na\n  ", "template: main:3:4: executing \"main\" at <.Nope>: can't evaluate field Nope in type *main.Pkg"},
	{"{{if .Name}}\n\n{{.Nope}}{{end}}",
	 "\n\n", "template: main:3:2: executing \"main\" at <.Nope>: can't evaluate field Nope in type *main.Pkg"},
	{"{{range .Deps}}{{.Nope}}{{end}}",
	 "", "template: main:1:17: executing \"main\" at <.Nope>: can't evaluate field Nope in type string"},
	{"{{with .Module}}{{.Nope}}{{end}}",
	 "", "template: main:1:18: executing \"main\" at <.Nope>: can't evaluate field Nope in type *main.Mod"},
	{"{{index .M \"zz\"}}",
	 "", NULL},
	{"{{.M.zz}}",
	 "<no value>", NULL},
	{"{{$x := 5}}{{$x}}{{$x := 6}}{{$x}}",
	 "56", NULL},
	{"{{range $i, $d := .Deps}}{{if $i}},{{end}}{{$d}}{{end}}",
	 "errors,fmt,os", NULL},
	{"{{join .Imports \"\n\"}}",
	 "", "template: main:1: unterminated quoted string"},
	{"{{printf \"%s %s\" .Module .Error}}",
	 "MOD:example.com@v1.0.0 E:bad", NULL},
	{"{{printf \"%q\" .Text}}",
	 "\"<a&b>\\t\\\"q\\\"\303\251\"", NULL},
	{"{{printf \"%v\" .Text}}",
	 "<a&b>\t\"q\"\303\251", NULL},
	{"{{.Text}}",
	 "<a&b>\t\"q\"\303\251", NULL},
	{"{{printf \"%v\" .M}}",
	 "map[A:x k1:v1 k2:v2]", NULL},
	{"{{printf \"%s\" .Subs}}",
	 "[{s1 []} {s2 [x]}]", NULL},
	{"{{printf \"%d\" .Subs}}",
	 "[{%!d(string=s1) []} {%!d(string=s2) [%!d(string=x)]}]", NULL},
	{"{{printf \"%d\" .Deps}}",
	 "[%!d(string=errors) %!d(string=fmt) %!d(string=os)]", NULL},
	{"{{printf \"%6.2s|\" .Name}}",
	 "     a|", NULL},
	{"{{printf \"%+d %+d\" .N -5}}",
	 "+3 -5", NULL},
	{"{{printf \"%x\" -255}}",
	 "-ff", NULL},
	{"{{printf \"%-8v|\" .Standard}}",
	 "false   |", NULL},
	{"{{printf \"%08d\" -42}}",
	 "-0000042", NULL},
	{"{{print .Module .Error}}",
	 "MOD:example.com@v1.0.0 E:bad", NULL},
	{"{{print .Inner}}",
	 "{in [b1 b2]}", NULL},
	{"{{println .Inner .Name \"x\" 3}}",
	 "{in [b1 b2]} a x 3\n", NULL},
	{"{{print 1 2 \"a\" 3 \"b\" \"c\"}}",
	 "1 2a3bc", NULL},
	{"{{if eq .Name \"a\" \"b\"}}y{{end}}",
	 "y", NULL},
	{"{{if and (eq .Name \"a\") (gt .N 2)}}y{{end}}",
	 "y", NULL},
	{"{{range .Deps -}}\n  {{.}}\n{{- end}}",
	 "errorsfmtos", NULL},
	{"{{ range $k, $v := .M }}{{ $k }}={{ $v }}{{ else }}none{{ end }}",
	 "A=xk1=v1k2=v2", NULL},
	{"{{range $k, $v := .Empty}}x{{else}}empty{{end}}",
	 "empty", NULL},
	{"{{(.Module).Nope}}",
	 "", "template: main:1:3: executing \"main\" at <.Module>: can't evaluate field Nope in type *main.Mod"},
	{"{{context.Nope}}",
	 "", "template: main:1:2: executing \"main\" at <context>: can't evaluate field Nope in type *main.Ctx"},
	{"{{module}}",
	 "", "template: main:1:2: executing \"main\" at <module>: wrong number of args for module: want 1 got 0"},
	{"{{module 3}}",
	 "", "template: main:1:9: executing \"main\" at <3>: expected string; found 3"},
	{"{{module .N}}",
	 "", "template: main:1:9: executing \"main\" at <.N>: wrong type for value; expected string; got int"},
	{"{{join .Deps .N}}",
	 "", "template: main:1:13: executing \"main\" at <.N>: wrong type for value; expected string; got int"},
	{"{{not}}",
	 "", "template: main:1:2: executing \"main\" at <not>: wrong number of args for not: want 1 got 0"},
	{"{{not 1 2}}",
	 "", "template: main:1:2: executing \"main\" at <not>: wrong number of args for not: want 1 got 2"},
	{"{{and}}",
	 "", "template: main:1:2: executing \"main\" at <and>: wrong number of args for and: want at least 1 got 0"},
	{"{{index}}",
	 "", "template: main:1:2: executing \"main\" at <index>: wrong number of args for index: want at least 1 got 0"},
	{"{{eq}}",
	 "", "template: main:1:2: executing \"main\" at <eq>: wrong number of args for eq: want at least 1 got 0"},
	{"{{ne 1}}",
	 "", "template: main:1:2: executing \"main\" at <ne>: wrong number of args for ne: want 2 got 1"},
	{"{{len}}",
	 "", "template: main:1:2: executing \"main\" at <len>: wrong number of args for len: want 1 got 0"},
	{"{{.Deps.Foo}}",
	 "", "template: main:1:7: executing \"main\" at <.Deps.Foo>: can't evaluate field Foo in type []string"},
	{"{{.M.k1.Foo}}",
	 "", "template: main:1:4: executing \"main\" at <.M.k1.Foo>: can't evaluate field Foo in type string"},
	{"{{$.Foo}}",
	 "", "template: main:1:3: executing \"main\" at <$.Foo>: can't evaluate field Foo in type *main.Pkg"},
	{"{{$x := .Module}}{{$x.Nope}}",
	 "", "template: main:1:21: executing \"main\" at <$x.Nope>: can't evaluate field Nope in type *main.Mod"},
	{"{{.Module.Path | printf \"%s\" | len}}",
	 "11", NULL},
	{"{{\"abc\" | len | printf \"%d\"}}",
	 "3", NULL},
	{"{{.N | printf \"%d %d\" 1}}",
	 "1 3", NULL},
	{"{{.Nope | print}}",
	 "", "template: main:1:2: executing \"main\" at <.Nope>: can't evaluate field Nope in type *main.Pkg"},
	{"{{. | printf \"%T\"}}",
	 "*main.Pkg", NULL},
	{"{{printf \"%v %v\" 1}}",
	 "1 %!v(MISSING)", NULL},
	{"{{printf \"%!\"}}",
	 "%!!(MISSING)", NULL},
	{"{{printf \"%\"}}",
	 "%!(NOVERB)", NULL},
	{"{{printf \"%5%\"}}",
	 "%", NULL},
	{"{{-}}",
	 "", "template: main:1: illegal number syntax: \"-\""},
	{"{{- -}}",
	 "", "template: main:1: illegal number syntax: \"-\""},
	{"{{ -}}",
	 "", "template: main:1: missing value for command"},
	{"{{.Name}}{{/* unclosed",
	 "", "template: main:1: unclosed comment"},
	{"{{/* a */ .Name}}",
	 "", "template: main:1: comment ends before closing delimiter"},
	{"{{- /* a */}}",
	 "", NULL},
	{"{{/*a*/}}",
	 "", NULL},
	{"{{ /* a */ }}",
	 "", "template: main:1: unexpected \"/\" in command"},
	{"a\n\n{{ .Name | foo }}",
	 "", "template: main:3: function \"foo\" not defined"},
	{"a\n{{(.Name\n}}",
	 "", "template: main:3: unclosed left paren in action started at main:2"},
	{"{{$x, $y := .Deps}}",
	 "", "template: main:1: too many declarations in command"},
	{"{{range $x, $y := .Deps}}{{$y}}{{end}}",
	 "errorsfmtos", NULL},
	{"{{range $x = .Deps}}{{end}}",
	 "", "template: main:1:13: executing \"main\" at <.Deps>: undefined variable: $x"},
	{"{{$x := 1}}{{range $x = .Deps}}{{$x}}{{end}}{{$x}}",
	 "errorsfmtosos", NULL},
	{"{{$x = 1}}",
	 "", "template: main:1:7: executing \"main\" at <1>: undefined variable: $x"},
	{"{{if true}}{{$z := 1}}{{end}}{{$z}}",
	 "", "template: main:1: undefined variable \"$z\""},
	{"{{.Standard.X}}",
	 "", "template: main:1:11: executing \"main\" at <.Standard.X>: can't evaluate field X in type bool"},
	{"{{.N.X}}",
	 "", "template: main:1:4: executing \"main\" at <.N.X>: can't evaluate field X in type int"},
	{"{{range .Subs}}{{.B}}{{end}}",
	 "[][x]", NULL},
	{"{{index .Subs 1 | printf \"%v\"}}",
	 "{s2 [x]}", NULL},
	{"{{print (index .Subs 1).B}}",
	 "[x]", NULL},
	{"{{index .Deps -1}}",
	 "", "template: main:1:2: executing \"main\" at <index .Deps -1>: error calling index: index out of range: -1"},
	{"{{index .Name 0}}",
	 "97", NULL},
	{"{{index .Deps nil}}",
	 "", "template: main:1:2: executing \"main\" at <index .Deps nil>: error calling index: cannot index slice/array with nil"},
	{"{{index nil 1}}",
	 "", "template: main:1:2: executing \"main\" at <index nil 1>: error calling index: index of untyped nil"},
	{"{{len nil}}",
	 "", "template: main:1:2: executing \"main\" at <len nil>: error calling len: reflect: call of reflect.Value.Type on zero Value"},
	{"{{.Module.Replace | print}}",
	 "<nil>", NULL},
	{"{{printf \"%v\" .Module.Replace}}",
	 "<nil>", NULL},
	{"{{printf \"%s\" .Module.Replace}}",
	 "<nil>", NULL},
	{"{{printf \"%s\" .Nil}}",
	 "[]", NULL},
	{"{{printf \"%v|%s|%d\" .Nil .M .Empty}}",
	 "[]|map[A:x k1:v1 k2:v2]|[]", NULL},
	{"{{eq .NilMod .Module.Replace}}",
	 "true", NULL},
	{"{{eq .Module nil}}",
	 "false", NULL},
	{"{{eq nil nil}}",
	 "true", NULL},
	{"{{ne .Name nil}}",
	 "true", NULL},
	{"{{lt .Name nil}}",
	 "", "template: main:1:2: executing \"main\" at <lt .Name nil>: error calling lt: invalid type for comparison"},
	{"{{if .NilMod}}x{{else}}y{{end}}",
	 "y", NULL},
	{"{{or}}",
	 "", "template: main:1:2: executing \"main\" at <or>: wrong number of args for or: want at least 1 got 0"},
	{"{{or .Zero}}",
	 "0", NULL},
	{"{{\"a\" | and \"b\"}}",
	 "a", NULL},
	{"{{\"a\" | or \"\"}}",
	 "a", NULL},
	{"{{1 | not}}",
	 "false", NULL},
	{"{{.Name | eq \"a\"}}",
	 "true", NULL},
	{"{{3 | eq .N}}",
	 "true", NULL},
	{"{{.Deps | print .N \"x\"}}",
	 "3x[errors fmt os]", NULL},
	{"{{\"x\" | index .M}}",
	 "", NULL},
	{"{{range .Deps}}{{break}}{{end}}done",
	 "done", NULL},
	{"{{range .Deps}}{{if true}}{{continue}}{{end}}{{.}}{{end}}done",
	 "done", NULL},
	{"{{if true}}{{break}}{{end}}",
	 "", "template: main:1: {{break}} outside {{range}}"},
	{"{{range .Deps}}{{break 1}}{{end}}",
	 "", "template: main:1: unexpected \"1\" in {{break}}"},
	{"{{else if}}",
	 "", "template: main:1: unexpected {{else}}"},
	{"{{if .Name}}{{else}}{{else}}{{end}}",
	 "", "template: main:1: expected end; found {{else}}"},
	{"{{if .Name}}{{else if .N}}{{else}}x{{end}}",
	 "", NULL},
	{"{{with .Name}}{{.}}{{else with .N}}{{.}}{{end}}",
	 "a", NULL},
	{"{{range .Deps}}{{else if .N}}{{end}}",
	 "", "template: main:1: unexpected <if> in input"},
	{"{{end}}",
	 "", "template: main:1: unexpected {{end}}"},
	{"{{if .Name}}{{end}}{{end}}",
	 "", "template: main:1: unexpected {{end}}"},
	{"{{.Name}}}}",
	 "a}}", NULL},
	{"}}",
	 "}}", NULL},
	{"{{.Name}}{{",
	 "", "template: main:1: unclosed action"},
	{"{{\"\\z\"}}",
	 "", "template: main:1: invalid syntax"},
	{"{{\"\\x4\"}}",
	 "", "template: main:1: invalid syntax"},
	{"{{\"\\u00e9\\U0001F600\\101\"}}",
	 "\303\251\360\237\230\200A", NULL},
	{"{{`a\nb`}}",
	 "a\nb", NULL},
	{"{{\"a\" \"b\"}}",
	 "", "template: main:1:2: executing \"main\" at <\"a\">: can't give argument to non-function \"a\""},
	{"{{.Name .N}}",
	 "", "template: main:1:2: executing \"main\" at <.Name>: Name has arguments but cannot be invoked as function"},
	{"{{$ .N}}",
	 "", "template: main:1:2: executing \"main\" at <$>: can't give argument to non-function $"},
	{"{{(.Name) 1}}",
	 "", "template: main:1:2: executing \"main\" at <(.Name) 1>: can't give argument to non-function .Name"},
	{"{{print (1) (2)}}",
	 "1 2", NULL},
	{"{{1 2}}",
	 "", "template: main:1:2: executing \"main\" at <1>: can't give argument to non-function 1"},
	{"{{. 1}}",
	 "", "template: main:1:2: executing \"main\" at <.>: can't give argument to non-function ."},
	{"{{nil 1}}",
	 "", "template: main:1:2: executing \"main\" at <nil>: can't give argument to non-function nil"},
	{"{{true 1}}",
	 "", "template: main:1:2: executing \"main\" at <true>: can't give argument to non-function true"},
	{"{{(nil).X}}",
	 "", "template: main:1:3: executing \"main\" at <nil>: nil is not a command"},
	{"{{(\"a\").X}}",
	 "", "template: main:1:3: executing \"main\" at <\"a\">: can't evaluate field X in type string"},
	{"{{\"a\".X}}",
	 "", "template: main:1: unexpected . after term \"\\\"a\\\"\""},
	{"{{3.X}}",
	 "", "template: main:1: bad number syntax: \"3.X\""},
	{"{{$.N.X}}",
	 "", "template: main:1:3: executing \"main\" at <$.N.X>: can't evaluate field X in type int"},
	{"{{.Name|printf \"%s\"|printf \"%q\"}}",
	 "\"a\"", NULL},
	{"{{0x1F}} {{0o17}} {{0b11}} {{017}} {{1_000}} {{-0x10}} {{+5}}",
	 "31 15 3 15 1000 -16 5", NULL},
	{"{{99999999999999999999}}",
	 "", "template: main:1: integer overflow: \"99999999999999999999\""},
	{"{{1__0}}",
	 "", "template: main:1: illegal number syntax: \"1__0\""},
	{"{{08}}",
	 "", "template: main:1: integer overflow: \"08\""},
	{"{{1a}}",
	 "", "template: main:1: bad number syntax: \"1a\""},
	{"{{0x}}",
	 "", "template: main:1: illegal number syntax: \"0x\""},
	{"{{\"abcdefghijklmnop\" 1}}",
	 "", "template: main:1:2: executing \"main\" at <\"abcdefghijklmnop\">: can't give argument to non-function \"abcdefghijklmnop\""},
	{"{{.Name \"abcdefghijklmnop\"}}",
	 "", "template: main:1:2: executing \"main\" at <.Name>: Name has arguments but cannot be invoked as function"},
	{"{{if 1 2 |}}{{end}}",
	 "", "template: main:1:5: executing \"main\" at <1>: can't give argument to non-function 1"},
	{"{{.Name | }}",
	 "a", NULL},
	{"{{| .Name}}",
	 "", "template: main:1: unexpected \"|\" in command"},
	{"{{.Name | \"x\"}}",
	 "", "template: main:1: non executable command in pipeline stage 2"},
	{"{{.Name | 3}}",
	 "", "template: main:1: non executable command in pipeline stage 2"},
	{"{{.Name | .N}}",
	 "", "template: main:1:10: executing \"main\" at <.N>: N has arguments but cannot be invoked as function"},
	{"{{.Name ,}}",
	 "", "template: main:1: unexpected \",\" in operand"},
	{"{{.Name @}}",
	 "", "template: main:1: unexpected \"@\" in operand"},
	{"{{.Name \303\251}}",
	 "", "template: main:1: function \"\303\251\" not defined"},
	{"{{\303\251}}",
	 "", "template: main:1: function \"\303\251\" not defined"},
	{"{{.\303\251}}",
	 "", "template: main:1:2: executing \"main\" at <.\303\251>: can't evaluate field \303\251 in type *main.Pkg"},
	{"{{$\303\251 := 1}}{{$\303\251}}",
	 "1", NULL},
	{"{{.Name}}{{.Text | len}}",
	 "a11", NULL},
	{"{{(context).ReleaseTags | len}}",
	 "2", NULL},
	{"{{context}}",
	 "{linux amd64 true [go1.1 go1.2]}", NULL},
	{"{{print context}}",
	 "&{linux amd64 true [go1.1 go1.2]}", NULL},
	{"{{module \"x\"}}",
	 "MOD:x@v9", NULL},
	{"{{print (module \"x\")}}",
	 "MOD:x@v9", NULL},
	{"{{printf \"%v\" (module \"x\")}}",
	 "MOD:x@v9", NULL},
	{"{{with context}}{{.GOOS}}{{end}}",
	 "linux", NULL},
	{"{{$c := context}}{{$c.GOARCH}}",
	 "amd64", NULL},
};

static void test_exec(void)
{
	struct arena a;
	struct val *pkg;
	struct tmpl_funcs funcs = {NULL, fn_context, fn_module};

	arena_init(&a);
	funcs.ctx = &a;
	pkg = build_pkg(&a);
	for (size_t i = 0; i < countof(exec_tests); i++) {
		struct tmpl *t = NULL;
		struct err e = ERR_INIT;
		struct buf out = BUF_INIT;

		if (tmpl_parse(&a, exec_tests[i].tmpl, &t, &e) == 0)
			tmpl_execute(t, &out, pkg, &funcs, &e);
		T_STREQ(buf_cstr(&out), exec_tests[i].out, "row %zu: %s: output", i, exec_tests[i].tmpl);
		T_STREQ(err_isset(&e) ? err_msg(&e) : NULL, exec_tests[i].err, "row %zu: %s: error", i,
			exec_tests[i].tmpl);
		err_clear(&e);
		buf_release(&out);
	}
	arena_release(&a);
}

/* Valid Go templates outside the subset: each must fail with a gotool
 * error, never print something different from go. */
static const char *const unsupported_tests[] = {
	"{{$}}", /* go prints a pointer field's address */
	"{{.PInner | print .Subs}}{{print .}}",
	"{{1.5}}", "{{1e3}}", "{{0x1p3}}", "{{2i}}", "{{'a'}}",
	"{{template \"x\"}}", "{{define \"x\"}}{{end}}", "{{block \"x\" .}}{{end}}",
	"{{html .Name}}", "{{slice .Name 1}}", "{{call .Name}}", "{{js \"x\"}}", "{{urlquery \"x\"}}",
};

static void test_unsupported(void)
{
	struct arena a;
	struct val *pkg;
	struct tmpl_funcs funcs = {NULL, fn_context, fn_module};

	arena_init(&a);
	funcs.ctx = &a;
	pkg = build_pkg(&a);
	for (size_t i = 0; i < countof(unsupported_tests); i++) {
		struct tmpl *t = NULL;
		struct err e = ERR_INIT;
		struct buf out = BUF_INIT;

		if (tmpl_parse(&a, unsupported_tests[i], &t, &e) == 0)
			tmpl_execute(t, &out, pkg, &funcs, &e);
		T_TRUE(err_isset(&e) && strstr(err_msg(&e), "gotool") != NULL, "%s: want a gotool error, got %s",
		       unsupported_tests[i], err_isset(&e) ? err_msg(&e) : "none");
		err_clear(&e);
		buf_release(&out);
	}
	arena_release(&a);
}

/* Rows checked against `go list -f TEMPLATE fmt` (go 1.26.8), on a val
 * shaped like the *load.PackagePublic go list passes. */
static const struct {
	const char *tmpl, *out, *err;
} golist_tests[] = {
	{"{{.ImportPath}} {{.Name}} {{.Standard}} {{.Imports}} {{join .Imports \",\"}} {{.Module}} {{len .Imports}} {{if .Standard}}std{{end}}",
	 "fmt fmt true [errors internal/fmtsort internal/stringslite io math os reflect slices strconv sync unicode/utf8] errors,internal/fmtsort,internal/stringslite,io,math,os,reflect,slices,strconv,sync,unicode/utf8 <nil> 11 std",
	 NULL},
	{"{{.Foo}}", "", "template: main:1:2: executing \"main\" at <.Foo>: can't evaluate field Foo in type *load.PackagePublic"},
	{"{{.Module.Path}}", "", "template: main:1:9: executing \"main\" at <.Module.Path>: nil pointer evaluating *modinfo.ModulePublic.Path"},
	{"{{range .Imports}}{{.}} {{end}}{{.Nope", "", "template: main:1: unclosed action"},
	{"{{context.GOOS}} {{context.CgoEnabled}}", "linux true", NULL},
};

static void test_golist(void)
{
	struct arena a;
	struct tmpl_funcs funcs = {NULL, fn_context, fn_module};
	char *imports[] = {"errors", "internal/fmtsort", "internal/stringslite", "io", "math", "os",
			   "reflect", "slices", "strconv", "sync", "unicode/utf8"};

	arena_init(&a);
	funcs.ctx = &a;
	struct val *p = val_struct(&a, "*load.PackagePublic", true);
	struct val *nilmod = val_nil(&a);
	nilmod->type = "*modinfo.ModulePublic";
	nilmod->error_text = "";
	val_field_add(p, "ImportPath", val_string(&a, "fmt"), false);
	val_field_add(p, "Name", val_string(&a, "fmt"), false);
	val_field_add(p, "Standard", val_bool(&a, true), false);
	val_field_add(p, "Imports", val_strlist(&a, imports, countof(imports)), false);
	val_field_add(p, "Module", nilmod, false);
	for (size_t i = 0; i < countof(golist_tests); i++) {
		struct tmpl *t = NULL;
		struct err e = ERR_INIT;
		struct buf out = BUF_INIT;

		if (tmpl_parse(&a, golist_tests[i].tmpl, &t, &e) == 0)
			tmpl_execute(t, &out, p, &funcs, &e);
		T_STREQ(buf_cstr(&out), golist_tests[i].out, "go list row %zu: output", i);
		T_STREQ(err_isset(&e) ? err_msg(&e) : NULL, golist_tests[i].err, "go list row %zu: error", i);
		err_clear(&e);
		buf_release(&out);
	}
	arena_release(&a);
}

int main(void)
{
	test_exec();
	test_golist();
	test_unsupported();
	return test_exit();
}
