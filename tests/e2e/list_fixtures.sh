#!/usr/bin/env bash
# gotool list compared with the real go (go1.26) on the fixture modules in
# tests/fixtures/list: stdout, stderr and exit code must be identical.
#
#   mod1  a clean multi-package module (tests, xtests, testdata, embeds,
#         build tags, assembly with a Go fallback, a command, a nested
#         module, _ and . directories)
#   ws    a go.work workspace of two modules plus a directory replacement
#   vend  a module with a vendor directory (written by `go mod vendor`)
#   errs  a module full of package errors
#
# Both tools run in the same temp copy, so directory paths agree.
# Env: GOTOOL (built gotool), TESTS (the tests dir), GO (default
# /usr/local/go/bin/go).  LIST_KEEP=1 keeps the temp dir.  An ASan build of
# gotool runs 5 of run_all's 9 variants.
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
TESTS=${TESTS:-$(cd "$(dirname "$0")/.." && pwd)}
if [[ ! -x ${GOTOOL:-} ]]; then
	echo "list_fixtures.sh: GOTOOL not set to a built gotool" >&2
	exit 1
fi

tmp=$(mktemp -d)
cleanup() { chmod -R u+rwx "$tmp" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
[[ -n ${LIST_KEEP:-} ]] && trap - EXIT

asan=
if grep -qa __asan_init "$GOTOOL"; then
	asan=1
	echo "list_fixtures: ASan build of gotool: fewer variants of each run_all"
fi

cp -r "$TESTS/fixtures/list" "$tmp/src"
root=$tmp/src

export GOFLAGS= GOPROXY=off GOTOOLCHAIN=local GOENV=off GONOSUMDB= GONOSUMCHECK= GOSUMDB=off
export GOCACHE=$tmp/cache GOPATH=$tmp/gopath GOMODCACHE=$tmp/gopath/pkg/mod
unset GOWORK GODEBUG GOBIN GOFIPS140 GOOS GOARCH CGO_ENABLED GO111MODULE

# Every -json field go list -json fills without building, in order.
FIELDS=Dir,ImportPath,ImportComment,Name,Doc,Root,ConflictDir,ForTest,Module,Match,Goroot,Standard,DepOnly,BinaryOnly,Incomplete,DefaultGODEBUG,GoFiles,CgoFiles,IgnoredGoFiles,InvalidGoFiles,IgnoredOtherFiles,CFiles,CXXFiles,MFiles,HFiles,FFiles,SFiles,SwigFiles,SwigCXXFiles,SysoFiles,EmbedPatterns,EmbedFiles,CgoCFLAGS,CgoCPPFLAGS,CgoCXXFLAGS,CgoFFLAGS,CgoLDFLAGS,CgoPkgConfig,Imports,ImportMap,Deps,Error,DepsErrors,TestGoFiles,TestImports,TestEmbedPatterns,TestEmbedFiles,XTestGoFiles,XTestImports,XTestEmbedPatterns,XTestEmbedFiles

fails=0
ncases=0
# check DIR [VAR=VALUE...] -- LIST-ARGS...: run `list` with both tools in
# DIR (relative to the fixture root) and compare everything.
check() {
	local dir=$1
	shift
	local envs=()
	while [[ $1 != -- ]]; do
		envs+=("$1")
		shift
	done
	shift
	ncases=$((ncases + 1))
	local o=$tmp/out
	mkdir -p "$o"
	local grc=0 trc=0
	(cd "$root/$dir" && env "${envs[@]}" "$GO" list "$@" >"$o/go.out" 2>"$o/go.err") || grc=$?
	(cd "$root/$dir" && env "${envs[@]}" "$GOTOOL" list "$@" >"$o/gt.out" 2>"$o/gt.err") || trc=$?
	# gotool names itself in messages as go does with its own name.
	sed -i 's/^gotool: /go: /; s/\([^a-z]\)gotool: /\1go: /' "$o/gt.err"
	local bad=
	if ! cmp -s "$o/go.out" "$o/gt.out"; then
		echo "--- stdout differs: (cd $dir; ${envs[*]} list $*)"
		diff -u "$o/go.out" "$o/gt.out" | head -${DIFFLINES:-60} || true
		bad=1
	fi
	if ! cmp -s "$o/go.err" "$o/gt.err"; then
		echo "--- stderr differs: (cd $dir; ${envs[*]} list $*)"
		diff -u "$o/go.err" "$o/gt.err" | head -${DIFFLINES:-60} || true
		bad=1
	fi
	if [[ $grc != "$trc" ]]; then
		echo "--- exit code differs: (cd $dir; ${envs[*]} list $*): go $grc, gotool $trc"
		bad=1
	fi
	if [[ -n $bad ]]; then
		fails=$((fails + 1))
	fi
	return 0
}

# run_all DIR PATTERNS...: the common set of list invocations for one
# place, with env envs_cur.  JF is the -json field list and DE the
# DepsErrors part of the -f template: go collects DepsErrors from a map, so
# errors whose import stacks end in the same package come out in random
# order; cases with such ties run with DepsErrors left out.
JF=$FIELDS
DE='{{.DepsErrors}}'
run_all() {
	local dir=$1
	shift
	local pats=("${@}")
	check "$dir" "${envs_cur[@]}" -- "${pats[@]}"
	check "$dir" "${envs_cur[@]}" -- -e -deps -json="$JF" "${pats[@]}"
	# an ASan build leaves out the variants whose code the others run too
	if [[ -z $asan ]]; then
		check "$dir" "${envs_cur[@]}" -- -e "${pats[@]}"
		check "$dir" "${envs_cur[@]}" -- -e -json="$JF" "${pats[@]}"
		check "$dir" "${envs_cur[@]}" -- -json="$JF" "${pats[@]}"
		check "$dir" "${envs_cur[@]}" -- -deps "${pats[@]}"
	fi
	[[ -z $asan ]] && check "$dir" "${envs_cur[@]}" -- -e -find -json="$JF" "${pats[@]}"
	check "$dir" "${envs_cur[@]}" -- -e -f "{{.ImportPath}} {{.Name}} {{.Incomplete}} {{.DepOnly}} {{if .Error}}ERR {{.Error}}{{end}} $DE {{.Match}}" "${pats[@]}"
	check "$dir" "${envs_cur[@]}" -- -e -deps -f '{{.ImportPath}}: {{join .Deps ","}} {{.Module}} {{with .Module}}{{.Path}} {{.Version}} {{.Dir}} {{.Main}} {{.Replace}}{{end}}' "${pats[@]}"
}

envs_cur=(GOWORK=off)
# 1. mod1
run_all mod1 ./...
run_all mod1 all
run_all mod1 example.com/mod1/...
run_all mod1/embedded .
run_all mod1/cmd/tool . ../../asm ../..
check mod1 GOWORK=off -- -e -json="$FIELDS" . ./tagged ./nested ./_ignored ./.hidden ./testdata ./onlyx
check mod1 GOWORK=off -- -e -json="$FIELDS" -tags foo ./tagged
check mod1 GOWORK=off GOOS=windows GOARCH=arm64 -- -e -json="$FIELDS" ./tagged ./asm ./cmd/tool
check mod1 GOWORK=off GOARCH=386 -- -e -json="$FIELDS" ./asm
check mod1 GOWORK=off -- -e -json="$FIELDS" example.com/nested ./nested/... example.com/mod1/nested
check mod1 GOWORK=off -- -e -json="$FIELDS" ./cmd/tool/main.go
check mod1 GOWORK=off -- -e -f '{{.ImportPath}} {{.DefaultGODEBUG}}' ./cmd/tool
check mod1 GOWORK=off GOFIPS140=latest -- -e -f '{{.ImportPath}} {{.DefaultGODEBUG}}' ./cmd/tool
check mod1/testdata GOWORK=off -- -e -json="$FIELDS" .
# Target (install location) of commands and libraries.
check mod1 GOWORK=off -- -f '{{.ImportPath}} {{.Target}}' ./... fmt cmd/go cmd/vet
check mod1 GOWORK=off GOBIN=/opt/bin -- -f '{{.ImportPath}} {{.Target}}' ./cmd/tool
check mod1 GOWORK=off GOOS=windows -- -f '{{.ImportPath}} {{.Target}}' ./cmd/tool cmd/go cmd/vet
check mod1 GOWORK=off GOOS=windows GOBIN=/opt/bin -- -f '{{.ImportPath}} {{.Target}}' ./cmd/tool
check mod1/cmd/tool GOWORK=off -- -f '{{.ImportPath}} {{.Target}}' main.go

# 2. ws: go.work with modules a and b, a replaces third with a directory.
envs_cur=(GOFLAGS=)
run_all ws ./...
run_all ws all
run_all ws work
run_all ws example.com/...
run_all ws/a . all ../b/...
run_all ws/b ./... example.com/third/...
check ws -- -e -json="$FIELDS" ./third/pkg ./c ./a/internal/ai ./b/nosuch
check ws -- -e -json="$FIELDS" ./c/... ./third/... example.com/c
check ws -- -e -f '{{.ImportPath}} {{.DefaultGODEBUG}}' ./b/cmd/bmain
check ws GOWORK=off -- -e -json="$FIELDS" ./a ./b
check ws/a GOWORK=off -- -e -json="$FIELDS" . all
check ws/a GOWORK=off -- -e -deps -f '{{.ImportPath}} {{.Module}} {{.Error}}' ./... ../b ../third/pkg
check ws/c -- -e -json="$FIELDS" .
check ws/c GOWORK=off -- -e -json="$FIELDS" . all

# 3. vend: a module with vendor/ (vendor mode by default since go 1.14).
for mode in "" -mod=mod -mod=readonly -mod=vendor; do
	envs_cur=(GOWORK=off "GOFLAGS=$mode")
	run_all vend ./...
	run_all vend all
	run_all vend example.com/...
	check vend "${envs_cur[@]}" -- -e -json="$FIELDS" ./vendor/example.com/dep ./vendor/example.com/dep2 example.com/dep/unused example.com/dep2 ./cmd/vm/main.go
	check vend "${envs_cur[@]}" -- -e -json="$FIELDS" ./vendor/... ../vdep ../vdep/...
done
check vend GOWORK=off -- -mod=mod -e -deps -json="$FIELDS" ./cmd/vm

# 4. errs: a module full of package errors, with and without -e.
envs_cur=(GOWORK=off)
run_all errs/cycle/b . ../a
JF=${FIELDS/,DepsErrors/}
DE=
run_all errs ./...
run_all errs ./top
run_all errs ./importsbad
run_all errs all
JF=$FIELDS
DE='{{.DepsErrors}}'
for d in badbuild twopkgs usesinternal syntax importmain onlytests excluded usescase embednone cfiles relimp missing nostd; do
	check errs GOWORK=off -- -e -json="$FIELDS" ./$d
	check errs GOWORK=off -- -e -deps -json="$FIELDS" ./$d
	check errs GOWORK=off -- ./$d
	check errs GOWORK=off -- -deps -f '{{.ImportPath}} {{.Error}}' ./$d
done
check errs GOWORK=off -- -e -json="$FIELDS" example.com/errs/nosuch example.com/nothere/pkg notstd/x ./nosuch
check errs GOWORK=off GOFLAGS=-mod=mod -- -e -json="$FIELDS" ./missing example.com/nothere/pkg
check errs GOWORK=off GOFLAGS=-mod=readonly -- -e -json="$FIELDS" ./missing
check errs GOWORK=off -- -e -find -json="$FIELDS" ./...

echo "list_fixtures: $ncases cases, $fails failing"
[[ $fails == 0 ]]
