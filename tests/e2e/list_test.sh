#!/usr/bin/env bash
# e2e/list_test: `gotool list -test` against the real go, byte for byte (stdout, stderr,
# exit status): test mains (p.test, whose GoFiles is the generated _testmain.go in go's
# build cache), test variants (p [p.test]), external tests (p_test [p.test]), the test
# copies of packages between them, PGO forks meeting test copies (cmd/compile), and
# -test without -e on a package whose tests cannot load.  Stale/StaleReason are left out:
# they come from the build cache, which gotool does not share with go.
set -euo pipefail

GOTOOL=${GOTOOL:?GOTOOL must name the gotool binary}
TESTS=${TESTS:?TESTS must name the tests directory}
GO=${GO:-/usr/local/go/bin/go}
[[ $GOTOOL == /* ]] || GOTOOL=$PWD/$GOTOOL

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/bin" "$T/cache"
ln -s "$GOTOOL" "$T/bin/go"
GOTOOL=$T/bin/go
unset GOOS GOARCH GOFLAGS GOWORK CGO_ENABLED
export GOPROXY=off GOFLAGS= GOCACHE=$T/cache GOTOOLCHAIN=local

F=Dir,ImportPath,Name,Doc,Root,ForTest,Module,Match,Goroot,Standard,DepOnly,Incomplete
F=$F,DefaultGODEBUG,GoFiles,CgoFiles,IgnoredGoFiles,InvalidGoFiles,IgnoredOtherFiles,CFiles
F=$F,HFiles,SFiles,SysoFiles,EmbedPatterns,EmbedFiles,CgoCFLAGS,CgoLDFLAGS,Imports,ImportMap
F=$F,Deps,Error,DepsErrors,TestGoFiles,TestImports,TestEmbedPatterns,TestEmbedFiles
F=$F,XTestGoFiles,XTestImports,XTestEmbedPatterns,XTestEmbedFiles

fail=0
check() { # dir args...
	local dir=$1
	shift
	(cd "$dir" && "$GO" list "$@" >"$T/go.out" 2>"$T/go.err"; echo "exit $?" >>"$T/go.err") || true
	(cd "$dir" && "$GOTOOL" list "$@" >"$T/gt.out" 2>"$T/gt.err"; echo "exit $?" >>"$T/gt.err") || true
	if cmp -s "$T/go.out" "$T/gt.out" && cmp -s "$T/go.err" "$T/gt.err"; then
		echo "ok   list $*"
	else
		echo "FAIL list $* (in $dir)"
		diff "$T/go.out" "$T/gt.out" | head -20 || true
		diff "$T/go.err" "$T/gt.err" | head -10 || true
		fail=1
	fi
}

# std: every package with tests, with and without -deps.
check "$T" -test std
check "$T" -test -json="$F" strings sort bytes encoding/json fmt net/http
check "$T" -test -deps -json="$F" bufio errors path/filepath container/list regexp
check "$T" -test -deps -f '{{.ImportPath}}|{{.ForTest}}|{{.DepOnly}}|{{.Imports}}' cmd/compile cmd/gofmt

# Fixture modules: tests only, xtests only, both, TestMain, examples, a syntax error.
cp -r "$TESTS/fixtures/testmain" "$T/tm"
check "$T/tm" -test -e -json="$F" ./...
check "$T/tm" -test -deps -e -f '{{.ImportPath}} {{.Incomplete}} {{.Error}}' ./...
check "$T/tm" -test ./syntaxerr
check "$T/tm" -test ./badsig
cp -r "$TESTS/fixtures/list/mod1" "$T/mod1"
check "$T/mod1" -test -e -json="$F" ./...

exit $fail
