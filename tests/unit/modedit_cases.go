// Command modedit_cases writes modedit_cases.h: go's own answers (the
// vendored golang.org/x/mod/modfile of go1.26: Parse, ParseWork, the edit
// operations, Cleanup and Format) for the modedit unit test.  The cases
// follow x/mod's rule_test.go and work_test.go tables (addRequireTests,
// setRequireTests, dropRequireTests, addGoTests, addToolchainTests,
// addExcludeTests, addRetractTests, dropRetractTests, addGodebugTests,
// dropGodebugTests, addToolTests, dropToolTests, addIgnoreTests, workAddUse,
// workDropUse, workAddReplace, workDropReplace, the format tests); the
// expected text is whatever go prints.  The package is vendored for cmd
// only, so run it in a module holding a copy of
// $GOROOT/src/cmd/vendor/golang.org/x/mod as golang.org/x/mod (replace
// directive):
//
//	go run modedit_cases.go > modedit_cases.h
//
// An op is one line: "verb arg...", "-" standing for an empty argument and
// "|" for a newline inside a retract rationale.
//
//go:build ignore

package main

import (
	"fmt"
	"strings"

	"golang.org/x/mod/modfile"
)

type tcase struct {
	name string
	work bool
	in   string
	ops  string
}

func arg(s string) string {
	if s == "-" {
		return ""
	}
	return strings.ReplaceAll(s, "|", "\n")
}

func run(c tcase) (out, errs string) {
	var e []string
	if c.work {
		f, err := modfile.ParseWork("in", []byte(c.in), nil)
		if err != nil {
			return "", "parse: " + err.Error()
		}
		for _, op := range strings.Split(strings.TrimSpace(c.ops), "\n") {
			a := strings.Fields(op)
			var err error
			switch a[0] {
			case "go":
				err = f.AddGoStmt(arg(a[1]))
			case "dropgo":
				f.DropGoStmt()
			case "toolchain":
				err = f.AddToolchainStmt(arg(a[1]))
			case "droptoolchain":
				f.DropToolchainStmt()
			case "use":
				err = f.AddUse(arg(a[1]), arg(a[2]))
			case "dropuse":
				err = f.DropUse(arg(a[1]))
			case "replace":
				err = f.AddReplace(arg(a[1]), arg(a[2]), arg(a[3]), arg(a[4]))
			case "dropreplace":
				err = f.DropReplace(arg(a[1]), arg(a[2]))
			case "godebug":
				err = f.AddGodebug(arg(a[1]), arg(a[2]))
			case "dropgodebug":
				err = f.DropGodebug(arg(a[1]))
			case "sort":
				f.SortBlocks()
			default:
				panic(op)
			}
			if err != nil {
				e = append(e, err.Error())
			}
		}
		f.Cleanup()
		return string(modfile.Format(f.Syntax)), strings.Join(e, "\n")
	}
	f, err := modfile.Parse("in", []byte(c.in), nil)
	if err != nil {
		return "", "parse: " + err.Error()
	}
	for _, op := range strings.Split(strings.TrimSpace(c.ops), "\n") {
		a := strings.Fields(op)
		var err error
		switch a[0] {
		case "module":
			err = f.AddModuleStmt(arg(a[1]))
		case "comment":
			f.AddComment(strings.TrimPrefix(op, "comment "))
		case "go":
			err = f.AddGoStmt(arg(a[1]))
		case "dropgo":
			f.DropGoStmt()
		case "toolchain":
			err = f.AddToolchainStmt(arg(a[1]))
		case "droptoolchain":
			f.DropToolchainStmt()
		case "require":
			err = f.AddRequire(arg(a[1]), arg(a[2]))
		case "newrequire":
			f.AddNewRequire(arg(a[1]), arg(a[2]), a[3] == "1")
		case "setrequire", "setrequiresep":
			var reqs []*modfile.Require
			for i := 1; i+2 < len(a); i += 3 {
				r := &modfile.Require{Indirect: a[i+2] == "1"}
				r.Mod.Path, r.Mod.Version = arg(a[i]), arg(a[i+1])
				reqs = append(reqs, r)
			}
			if a[0] == "setrequire" {
				f.SetRequire(reqs)
			} else {
				f.SetRequireSeparateIndirect(reqs)
			}
		case "droprequire":
			err = f.DropRequire(arg(a[1]))
		case "exclude":
			err = f.AddExclude(arg(a[1]), arg(a[2]))
		case "dropexclude":
			err = f.DropExclude(arg(a[1]), arg(a[2]))
		case "replace":
			err = f.AddReplace(arg(a[1]), arg(a[2]), arg(a[3]), arg(a[4]))
		case "dropreplace":
			err = f.DropReplace(arg(a[1]), arg(a[2]))
		case "retract":
			err = f.AddRetract(modfile.VersionInterval{Low: arg(a[1]), High: arg(a[2])}, arg(a[3]))
		case "dropretract":
			err = f.DropRetract(modfile.VersionInterval{Low: arg(a[1]), High: arg(a[2])})
		case "godebug":
			err = f.AddGodebug(arg(a[1]), arg(a[2]))
		case "dropgodebug":
			err = f.DropGodebug(arg(a[1]))
		case "tool":
			err = f.AddTool(arg(a[1]))
		case "droptool":
			err = f.DropTool(arg(a[1]))
		case "ignore":
			err = f.AddIgnore(arg(a[1]))
		case "dropignore":
			err = f.DropIgnore(arg(a[1]))
		case "sort":
			f.SortBlocks()
		case "fmt":
		default:
			panic(op)
		}
		if err != nil {
			e = append(e, err.Error())
		}
	}
	f.Cleanup()
	return string(modfile.Format(f.Syntax)), strings.Join(e, "\n")
}

var cases = []tcase{
	// addRequireTests
	{"require/existing", false, "module m\nrequire x.y/z v1.2.3\n", "require x.y/z v1.5.6"},
	{"require/existing2", false, "module m\nrequire (\n\tx.y/z v1.2.3 // first\n\tx.z/a v0.1.0 // first-a\n)\nrequire x.y/z v1.4.5 // second\nrequire (\n\tx.y/z v1.6.7 // third\n\tx.z/a v0.2.0 // third-a\n)\n", "require x.y/z v1.8.9"},
	{"require/new", false, "module m\nrequire x.y/z v1.2.3\n", "require x.y/w v1.5.6"},
	{"require/new2", false, "module m\nrequire x.y/z v1.2.3\nrequire x.y/q/v2 v2.3.4\n", "require x.y/w v1.5.6"},
	{"require/unattached_comments", false, "module m\nrequire (\n\tfoo v0.0.0-00010101000000-000000000000\n\t// bar v0.0.0-00010101000000-000000000000\n)\n", "require foo v0.0.0-00010101000000-000000000000\nrequire bar v0.0.0-00010101000000-000000000000"},
	{"require/none", false, "module m\n", "require a.b/c v1.0.0\nrequire a.b/d v1.0.0\nrequire a.b/c v1.1.0"},
	{"require/quoted", false, "module m\n", "require a.b/c@x v1.0.0\nrequire \"a.b/d\" v1.0.0"},
	{"require/newindirect", false, "module m\nrequire x.y/z v1.2.3\n", "newrequire x.y/w v1.0.0 1\nnewrequire x.y/v v1.0.0 0"},
	// setRequireTests
	{"setrequire/existing", false, "module m\nrequire (\n\tx.y/b v1.2.3\n\n\tx.y/a v1.2.3\n\tx.y/d v1.2.3\n)\n", "setrequire x.y/a v1.2.3 0 x.y/b v1.2.3 0 x.y/c v1.2.3 0"},
	{"setrequire/existing_indirect", false, "module m\nrequire (\n\tx.y/a v1.2.3\n\tx.y/b v1.2.3 //\n\tx.y/c v1.2.3 //c\n\tx.y/d v1.2.3 //   c\n\tx.y/e v1.2.3 // indirect\n\tx.y/f v1.2.3 //indirect\n\tx.y/g v1.2.3 //\tindirect\n)\n", "setrequire x.y/a v1.2.3 1 x.y/b v1.2.3 1 x.y/c v1.2.3 1 x.y/d v1.2.3 1 x.y/e v1.2.3 1 x.y/f v1.2.3 1 x.y/g v1.2.3 1"},
	{"setrequire/existing_multi", false, "module m\nrequire x.y/a v1.2.3\nrequire x.y/b v1.2.3\nrequire x.y/c v1.0.0 // not v1.2.3!\nrequire x.y/d v1.2.3 // comment kept\nrequire x.y/e v1.2.3 // comment kept\nrequire x.y/f v1.2.3 // comment kept\nrequire x.y/g v1.2.3 // comment kept\n", "setrequire x.y/h v1.2.3 0 x.y/a v1.2.3 0 x.y/b v1.2.3 1 x.y/c v1.2.3 0 x.y/d v1.2.3 0 x.y/e v1.2.3 1 x.y/f v1.2.3 0"},
	{"setrequire/existing_duplicate", false, "module m\nrequire (\n\tx.y/a v1.0.0 // zero\n\tx.y/a v1.1.0 // one\n\tx.y/a v1.2.3 // two\n)\n", "setrequire x.y/a v1.2.3 1"},
	{"setrequire/remove_indirect", false, "module m\nrequire (\n\tx.y/a v1.2.3 // indirect; a\n\tx.y/b v1.2.3 // b; indirect\n)\n", "setrequire x.y/a v1.2.3 0 x.y/b v1.2.3 0"},
	{"setrequire/empty", false, "module m\n", "setrequire x.y/a v1.2.3 1 x.y/b v1.2.3 0"},
	// setRequireSeparateIndirectTests
	{"sep/split_direct_and_indirect", false, "module m\nrequire (\n\tx.y/a v1.2.3\n\tx.y/b v1.2.3 // indirect\n\tx.y/c v1.2.3\n\tx.y/d v1.2.3 // indirect\n)\n", "setrequiresep x.y/a v1.2.3 0 x.y/b v1.2.3 1 x.y/c v1.2.3 0 x.y/d v1.2.3 1"},
	{"sep/add_direct_and_indirect", false, "module m\nrequire x.y/a v1.2.3\nrequire x.y/b v1.2.3 // indirect\n", "setrequiresep x.y/a v1.2.3 0 x.y/b v1.2.3 1 x.y/c v1.2.3 0 x.y/d v1.2.3 1"},
	{"sep/move_to_indirect", false, "module m\nrequire (\n\tx.y/a v1.2.3\n\tx.y/b v1.2.3\n)\nrequire (\n\tx.y/c v1.2.3 // indirect\n)\n", "setrequiresep x.y/a v1.2.3 0 x.y/b v1.2.3 1 x.y/c v1.2.3 1"},
	{"sep/move_to_direct", false, "module m\nrequire x.y/a v1.2.3\nrequire (\n\tx.y/b v1.2.3 // indirect\n\tx.y/c v1.2.3 // indirect\n)\n", "setrequiresep x.y/a v1.2.3 0 x.y/b v1.2.3 0 x.y/c v1.2.3 1"},
	{"sep/commented_block", false, "module m\n// direct\nrequire (\n\tx.y/a v1.2.3\n\tx.y/b v1.2.3 // indirect; b\n)\n", "setrequiresep x.y/a v1.2.3 1 x.y/b v1.2.3 0 x.y/e v1.0.0 1"},
	{"sep/empty", false, "module m\n", "setrequiresep x.y/a v1.2.3 0 x.y/b v1.2.3 1"},
	{"sep/drop_all", false, "module m\nrequire (\n\tx.y/a v1.2.3\n\tx.y/a v1.2.4\n)\n", "setrequiresep x.y/a v1.2.5 0"},
	// dropRequireTests
	{"droprequire/some", false, "module m\nrequire (\n\tx.y/a v1.0.0\n\tx.y/b v1.0.0 // b\n\tx.y/c v1.0.0\n)\n", "droprequire x.y/b"},
	{"droprequire/all", false, "module m\nrequire x.y/a v1.0.0\nrequire (\n\tx.y/a v1.1.0\n)\n", "droprequire x.y/a"},
	{"droprequire/collapse", false, "module m\nrequire (\n\t// before\n\tx.y/a v1.0.0 // a\n\tx.y/b v1.0.0\n)\n", "droprequire x.y/b"},
	{"droprequire/keepblock", false, "module m\nrequire (\n\tx.y/a v1.0.0\n\tx.y/b v1.0.0\n\t// trailing\n)\n", "droprequire x.y/b"},
	// addGoTests
	{"go/module_only", false, "module m\n", "go 1.14"},
	{"go/module_before_require", false, "module m\nrequire x.y/a v1.2.3\n", "go 1.14"},
	{"go/require_before_module", false, "require x.y/a v1.2.3\nmodule example.com/inverted\n", "go 1.14"},
	{"go/require_but_no_module", false, "require x.y/a v1.2.3\n", "go 1.14"},
	{"go/empty", false, "", "go 1.14"},
	{"go/existing", false, "module m\ngo 1.10 // old\n", "go 1.21.0"},
	{"go/bad", false, "module m\n", "go 1.2x\ngo v1.21"},
	{"go/drop", false, "module m\n\ngo 1.20\n\nrequire x.y/a v1.0.0\n", "dropgo"},
	// addToolchainTests
	{"toolchain/empty", false, "module m\n", "toolchain go1.17"},
	{"toolchain/aftergo", false, "module m\ngo 1.17\n", "toolchain go1.17"},
	{"toolchain/afterrequire", false, "require x.y/a v1.0.0\n", "toolchain go1.17"},
	{"toolchain/existing", false, "module m\ngo 1.17\ntoolchain go1.18 // x\n", "toolchain default"},
	{"toolchain/bad", false, "module m\n", "toolchain 1.17\ntoolchain gox"},
	{"toolchain/drop", false, "module m\ngo 1.17\ntoolchain go1.18\n", "droptoolchain"},
	// module
	{"module/new", false, "go 1.20\n", "module example.com/x"},
	{"module/rename", false, "// c\nmodule old // s\n", "module \"new x\""},
	{"module/comment", false, "module m\n", "comment // hello"},
	// addExcludeTests
	{"exclude/compatible", false, "module m\n", "exclude example.com v1.2.3"},
	{"exclude/incompatible", false, "module m\n", "exclude example.com v2.2.3+incompatible"},
	{"exclude/bad", false, "module m\n", "exclude example.com v2.2.3\nexclude example.com/v2 v1.0.0\nexclude example.com/v2 v2\nexclude example.com v1\nexclude gopkg.in/x.v2 v3.0.0\nexclude gopkg.in/x.v2-unstable v1"},
	{"exclude/hint", false, "module m\nexclude x.y/a v1.0.0\nrequire x.y/b v1.0.0\n", "exclude x.y/a v1.1.0\nexclude x.y/c v1.0.0"},
	{"exclude/dup", false, "module m\nexclude x.y/a v1.0.0\n", "exclude x.y/a v1.0.0"},
	{"exclude/drop", false, "module m\nexclude (\n\tx.y/a v1.0.0\n\tx.y/a v1.1.0\n)\n", "dropexclude x.y/a v1.0.0"},
	{"exclude/sort_semantic", false, "module m\ngo 1.21\nexclude (\n\tx.y/a v1.10.0\n\tx.y/a v1.9.0\n\tx.y/a v1.2.0\n)\n", "sort"},
	{"exclude/sort_lexical", false, "module m\ngo 1.20\nexclude (\n\tx.y/a v1.10.0\n\tx.y/a v1.9.0\n\tx.y/a v1.2.0\n)\n", "sort"},
	// replace
	{"replace/new", false, "module m\n", "replace x.y/a - ../a -\nreplace x.y/b v1.0.0 x.y/c v1.1.0"},
	{"replace/update", false, "module m\nreplace (\n\tx.y/a v1.0.0 => ./a1 // one\n\tx.y/a v1.1.0 => ./a2\n)\n", "replace x.y/a - ./all -"},
	{"replace/hint", false, "module m\nreplace x.y/a v1.0.0 => ./a\nrequire x.y/b v1.0.0\nreplace x.y/z => ./z\n", "replace x.y/a v1.1.0 ./a11 -"},
	{"replace/drop", false, "module m\nreplace (\n\tx.y/a v1.0.0 => ./a\n\tx.y/a => ./b\n)\n", "dropreplace x.y/a v1.0.0\ndropreplace x.y/a -"},
	{"replace/dups", false, "module m\nreplace x.y/a => ./a\nreplace x.y/a => ./b\n", "sort"},
	// addRetractTests
	{"retract/new_singleton", false, "module m\n", "retract v1.2.3 v1.2.3 -"},
	{"retract/new_interval", false, "module m\n", "retract v1.0.0 v1.1.0 -"},
	{"retract/duplicate_with_rationale", false, "module m\nretract v1.2.3\n", "retract v1.2.3 v1.2.3 bad|very_bad"},
	{"retract/duplicate_multiple_with_rationale", false, "module m\nretract (\n\t// a\n\tv1.2.3\n)\n", "retract v1.2.3 v1.2.3 b"},
	{"retract/bad", false, "module m/v2\n", "retract v1.0.0 v1.0.0 -\nretract v2 v2.0.0 -"},
	{"retract/sort", false, "module m\nretract (\n\tv1.0.0\n\t[v1.1.0, v1.2.0]\n\tv1.1.5\n\tunknown\n)\n", "sort"},
	// dropRetractTests
	{"dropretract/singleton", false, "module m\nretract v1.2.3\n", "dropretract v1.2.3 v1.2.3"},
	{"dropretract/interval", false, "module m\nretract [v1.1.1, v1.2.2]\n", "dropretract v1.1.1 v1.2.2"},
	{"dropretract/interval_in_block", false, "module m\nretract (\n\tv1.0.0 // a\n\t[v1.1.1, v1.2.2] // b\n)\n", "dropretract v1.1.1 v1.2.2"},
	// addGodebugTests, dropGodebugTests
	{"godebug/existing", false, "module m\ngodebug key=old\n", "godebug key new"},
	{"godebug/existing2", false, "module m\ngodebug (\n\tkey=first // first\n\tother=first-a // first-a\n)\ngodebug key=second // second\ngodebug (\n\tkey=third // third\n\tother=third-a // third-a\n)\n", "godebug key new"},
	{"godebug/new", false, "module m\ngodebug other=x\n", "godebug key new"},
	{"godebug/new2", false, "module m\ngodebug first=1\ngodebug (\n\tsecond=2\n)\n", "godebug third 3"},
	{"godebug/drop", false, "module m\ngodebug (\n\tkey=1\n\tother=2\n)\ngodebug key=3\n", "dropgodebug key"},
	// addToolTests, dropToolTests, addIgnore
	{"tool/add_first", false, "module m\n", "tool example.com/m"},
	{"tool/add_some", false, "module m\ntool example.com/m\n", "tool example.com/n\ntool example.com/a"},
	{"tool/add_dup", false, "module m\ntool (\n\texample.com/m\n\texample.com/n\n)\n", "tool example.com/m"},
	{"tool/drop", false, "module m\ntool (\n\texample.com/m\n\texample.com/n\n)\n", "droptool example.com/m"},
	{"tool/drop_last", false, "module m\ntool example.com/m\n", "droptool example.com/m"},
	{"ignore/add", false, "module m\nignore ./a\n", "ignore ./c\nignore ./b\nignore ./a"},
	{"ignore/drop", false, "module m\nignore (\n\t./a\n\t./b\n)\n", "dropignore ./a"},
	// format (print_test): comments, blank lines, blocks and odd spacing
	{"fmt/comments", false, "// top\n\n// Deprecated: no\nmodule   m // m\n\n\n\n// before go\ngo 1.21 // go\nrequire (   // lparen\n\t// first\n\n\n\ta v1.0.0 // a\n\n\t// dangling\n)   // rparen\n// after\n", "fmt"},
	{"fmt/emptyblock", false, "module m\nrequire ()\nexclude (\n)\n", "fmt"},
	{"fmt/crlf", false, "module m\r\n\r\nrequire a v1.0.0 // x\r\n", "fmt"},
	{"fmt/quoted", false, "module \"m\"\nrequire \"a\" \"v1.0.0\"\nreplace \"b\" => \"./b c\"\nretract \"v1.0.0\"\ntool \"t\"\n", "fmt"},
	{"fmt/canonical", false, "module m\nrequire a v1\nexclude b v1.2\nreplace c v1 => d v2.0.0+incompatible\n", "fmt"},
	// work_test.go
	{"work/addgo", true, "use ./a\n", "go 1.21"},
	{"work/addgo_comments", true, "// c\n\n// d\nuse ./a\n", "go 1.21\ntoolchain go1.22.0"},
	{"work/toolchain_aftergo", true, "go 1.21\nuse ./a\n", "toolchain go1.22.0"},
	{"work/use_add", true, "go 1.21\nuse ./a\n", "use ./b example.com/b\nuse ./c -\nuse \"d e\" -"},
	{"work/use_update", true, "go 1.21\nuse (\n\t./a // a\n\t./a\n)\n", "use ./a -"},
	{"work/use_drop", true, "go 1.21\nuse (\n\t./a\n\t./b\n)\nuse ./c\n", "dropuse ./b\ndropuse ./c"},
	{"work/replace", true, "go 1.21\nreplace x.y/a => ./a\n", "replace x.y/a - ./b -\nreplace x.y/c v1.0.0 x.y/d v1.0.0\ndropreplace x.y/e -"},
	{"work/godebug", true, "go 1.21\n", "godebug a b\ngodebug c d\ndropgodebug a"},
	{"work/sort", true, "go 1.21\nuse (\n\t./z\n\t./a\n)\nreplace (\n\tx => ./x\n\tx => ./y\n)\n", "sort"},
	{"work/drops", true, "go 1.21\ntoolchain go1.22.0\nuse ./a\n", "dropgo\ndroptoolchain"},
	// parse errors are passed through
	{"parse/bad", false, "module m\nfoo\n", "fmt"},
}

func q(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString("\\n")
		case c == '\r':
			b.WriteString("\\r")
		case c == '\t':
			b.WriteString("\\t")
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func main() {
	fmt.Println("/* generated by modedit_cases.go with go1.26's vendored x/mod/modfile: do not edit */")
	fmt.Println("static const struct modedit_case { const char *name; bool work; const char *in, *ops, *out, *err; } modedit_cases[] = {")
	for _, c := range cases {
		out, errs := run(c)
		fmt.Printf("\t{%s, %v, %s, %s,\n\t %s,\n\t %s},\n", q(c.name), c.work, q(c.in), q(c.ops), q(out), q(errs))
	}
	fmt.Println("};")
}
