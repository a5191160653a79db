#!/usr/bin/env bash
# e2e/list_std: `gotool list` over the whole standard library and cmd, against the real go,
# byte for byte (stdout, stderr and exit status), for ten GOOS/GOARCH targets, plus a few
# other list forms on std.  Runs outside any module (GOFLAGS= GOWORK=off), so only the
# GOROOT loader is exercised: build constraints per target, std/cmd vendoring, ImportMap,
# Deps, DefaultGODEBUG of the cmd mains, embed patterns, cgo directives (linux/amd64 with
# cgo on).
#
# Fields compared: every field of go 1.26's list Package (cmd/go/internal/load/pkg.go
# PackagePublic) except the ones that need the build planner or -export/-linkshared:
# Stale StaleReason CompiledGoFiles Export BuildID Target Shlib.
#
# Time: ~12s with a plain build and ~16s with the ASan+UBSan one on a 2-core machine, so
# every target runs under the sanitizers too.
set -euo pipefail

GOTOOL=${GOTOOL:?GOTOOL must name the gotool binary}
GO=${GO:-/usr/local/go/bin/go}
[[ $GOTOOL == /* ]] || GOTOOL=$PWD/$GOTOOL

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
# Invoked through a link named go: messages are prefixed with the name gotool was run as.
mkdir -p "$T/bin"
ln -s "$GOTOOL" "$T/bin/go"
GOTOOL=$T/bin/go

# A clean, module-less environment: nothing inherited may change what either tool loads.
unset GOOS GOARCH GO386 GOAMD64 GOARM GOARM64 GOMIPS GOMIPS64 GOPPC64 GORISCV64 GOWASM \
	CGO_ENABLED GOEXPERIMENT GODEBUG GO111MODULE GOPATH GOBIN GOMODCACHE CC CXX
export GOFLAGS= GOWORK=off GOTOOLCHAIN=local GOPROXY=off GONOSUMDB= GOINSECURE= \
	GOENV="$T/no-such-goenv"

FIELDS=Dir,ImportPath,ImportComment,Name,Doc,Root,ConflictDir,ForTest,Module,Match,Goroot
FIELDS+=,Standard,DepOnly,BinaryOnly,Incomplete,DefaultGODEBUG,GoFiles,CgoFiles
FIELDS+=,IgnoredGoFiles,InvalidGoFiles,IgnoredOtherFiles,CFiles,CXXFiles,MFiles,HFiles
FIELDS+=,FFiles,SFiles,SwigFiles,SwigCXXFiles,SysoFiles,EmbedPatterns,EmbedFiles,CgoCFLAGS
FIELDS+=,CgoCPPFLAGS,CgoCXXFLAGS,CgoFFLAGS,CgoLDFLAGS,CgoPkgConfig,Imports,ImportMap,Deps
FIELDS+=,Error,DepsErrors,TestGoFiles,TestImports,TestEmbedPatterns,TestEmbedFiles
FIELDS+=,XTestGoFiles,XTestImports,XTestEmbedPatterns,XTestEmbedFiles

TARGETS=(linux/amd64 linux/arm64 darwin/arm64 windows/amd64 js/wasm wasip1/wasm freebsd/386
	linux/riscv64 plan9/amd64 aix/ppc64)

fail=0
ncase=0
# the directory check runs both tools in
dir=$T

# check NAME ENV... -- ARGS...: run `list ARGS` under env ENV with both tools and compare.
check() {
	local name=$1 rg=0 rt=0
	shift
	local envs=()
	while [[ $1 != -- ]]; do
		envs+=("$1")
		shift
	done
	shift
	ncase=$((ncase + 1))
	(cd "$dir" && env ${envs[@]+"${envs[@]}"} "$GO" list "$@") >"$T/go.out" 2>"$T/go.err" || rg=$?
	(cd "$dir" && env ${envs[@]+"${envs[@]}"} "$GOTOOL" list "$@") >"$T/gt.out" 2>"$T/gt.err" || rt=$?
	if ((rt >= 128)); then
		echo "FAIL: $name: gotool died with status $rt"
		fail=1
	fi
	if grep -aqE 'AddressSanitizer|LeakSanitizer|\.[ch]:[0-9]+:[0-9]+: runtime error:' "$T/gt.err"; then
		echo "FAIL: $name: sanitizer report:"
		head -n 30 "$T/gt.err" | sed 's/^/  | /'
		fail=1
	fi
	if [[ ! -s $T/go.out && $rg == 0 ]]; then
		# The reference printed nothing and succeeded: the case itself is broken.
		echo "FAIL: $name: the real go printed nothing (test is wrong)"
		fail=1
	fi
	if ((rg != rt)) || ! cmp -s "$T/go.out" "$T/gt.out" || ! cmp -s "$T/go.err" "$T/gt.err"; then
		echo "FAIL: $name: ${envs[*]} list $* (exit go=$rg gotool=$rt)"
		if ! cmp -s "$T/go.out" "$T/gt.out"; then
			echo "  stdout (--- go, +++ gotool), first 40 lines of the diff:"
			diff -u "$T/go.out" "$T/gt.out" | head -n 40 | sed 's/^/  | /' || true
		fi
		if ! cmp -s "$T/go.err" "$T/gt.err"; then
			echo "  stderr (--- go, +++ gotool), first 40 lines of the diff:"
			diff -u "$T/go.err" "$T/gt.err" | head -n 40 | sed 's/^/  | /' || true
		fi
		fail=1
	fi
}

# --- list -deps -json=FIELDS std cmd, per target.
for t in "${TARGETS[@]}"; do
	cgo=()
	# The host target with cgo on (it needs a C compiler, which gotool's setup requires):
	# runtime/cgo, net and os/user then take their cgo files and #cgo flags.
	[[ $t == linux/amd64 ]] && cgo=(CGO_ENABLED=1)
	check "std+cmd $t" GOOS="${t%/*}" GOARCH="${t#*/}" ${cgo[@]+"${cgo[@]}"} -- \
		-deps -json="$FIELDS" std cmd
done

# --- other forms, host target.
check "plain std" -- std
check "-f join net/..." -- -f '{{.ImportPath}}: {{join .Imports " "}}' net/...
check "-find" -- -find -json="$FIELDS" std
check "-e missing" -- -e -json="$FIELDS" net/http nosuch/pkg
check "cmd/..." -- cmd/...
check "-deps runtime" -- -deps runtime
check "-deps net tags" -- -deps -tags netgo,osusergo net os/user
check "-deps cgo off" CGO_ENABLED=0 -- -deps -json=ImportPath,GoFiles,CgoFiles,Deps net os/user
check "GOFLAGS tags" GOFLAGS=-tags=purego -- -deps -f '{{.ImportPath}} {{.GoFiles}}' crypto/...
# -json= (an empty field list) selects no field at all: every package prints as {}.
check "-json= empty" -- -json= std

# --- GOROOT/src directories as patterns, outside a module: the std packages under them,
# no vendored ones unless the pattern names vendor, cmd only below its own go.mod.
goroot=$("$GO" env GOROOT)
check "GOROOT/src/..." -- "$goroot/src/..."
check "GOROOT/src/vendor/..." -- "$goroot/src/vendor/golang.org/x/net/..."
check "GOROOT/src/cmd/vendor/..." -- "$goroot/src/cmd/vendor/golang.org/x/mod/..."

# --- in $GOROOT/src, whose go.mod makes std the main module (in vendor mode): "work" also
# names the vendored packages by their module paths; "all" closes over std's tests
# (vendor/golang.org/x/net/nettest is imported by net's), never builtin.
dir=$goroot/src
check "std module: work" -- work
check "std module: all" -- all
check "std module: -deps -test all" -- -deps -test all
check "std module: ./..." -- ./...
check "std module: golang.org/x" -- -f '{{.ImportPath}} {{.Dir}} {{.Standard}}' golang.org/x/net/http2/hpack
check "std module: cmd" -- -f '{{if .Standard}}{{.ImportPath}}{{end}}' cmd
dir=$T

if ((fail == 0)); then
	echo "PASS ($ncase cases)"
fi
exit "$fail"
