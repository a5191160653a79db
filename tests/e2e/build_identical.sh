#!/usr/bin/env bash
# gotool build produces the same bytes as go build (go1.26, CGO_ENABLED=0).
#
# For every target, each flag set is ONE gotool invocation per main module,
# building every main at once into a directory, and the same with go:
#
#   app  (in tests/fixtures/build/app, GOWORK=off)
#        go build FLAGS -o OUT/ cmd/gofmt cmd/vet ./cmd/...
#        cmd/app and cmd/tool use: several packages, assembly with a Go
#        fallback (asm), build tags and a GOOS file suffix (tagged),
#        generics used across packages (generic, greet), every //go:embed
#        form (assets), a -X target (internal/version), a directory replace
#        (example.com/lib => ../lib), go 1.22 (a DefaultGODEBUG list) and a
#        //go:debug line.
#   ws   (in tests/fixtures/build/ws, a go.work using ../app and ./hello)
#        go build FLAGS -o OUT/ ./hello/cmd/... example.com/app/cmd/...
#
# Flag sets, every target (ws: notrim on linux/amd64 only):
#   trim    -trimpath -ldflags=-buildid=
#   notrim  -ldflags=-buildid=
# (CI builds linux/amd64 only; BUILD_IDENTICAL_FULL=1 adds the cross targets)
# and on linux/amd64 only (app mains plus cmd/gofmt):
#   ldx     -trimpath -ldflags=-buildid= -s -w -X '...Version=value with spaces'
#   noopt   -gcflags=all=-N -l -ldflags=-buildid= (BUILD_IDENTICAL_FULL only)
#   tags    -tags feature -ldflags=-buildid=
# Every output file must be byte-identical (cmp), the set of file names the
# same, both tools must succeed with the same stderr, and the source tree
# must be left untouched.  The linux/amd64 app binaries are also run, to
# show the fixture does what it claims (asm, tags, -X, embeds).
#
# Then with default flags (the build id kept) on linux/amd64: identical
# binaries need gotool's action and content ids to equal go's (full build-id
# parity).  A difference is a failure; BUILDID_STRICT=0 only counts it.
#
# Env: GOTOOL (built gotool), TESTS (the tests dir), GO (default
# /usr/local/go/bin/go), BUILD_IDENTICAL_FULL=1 (the whole matrix: the 7
# targets below and cmd/vet; default linux/amd64 with
# cmd/gofmt, or linux/amd64 with trim and default alone when GOTOOL is an ASan build), BUILD_TARGETS
# (space-separated GOOS/GOARCH list), BUILD_STD_CMDS, BUILD_GOCACHE (a persistent cache dir for
# go's side; default a temp dir, shared by the flag sets of one run),
# BUILD_KEEP=1 keeps the temp dir.  gotool gets its own GOCACHE: it never
# sees go's build results.
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
TESTS=${TESTS:-$(cd "$(dirname "$0")/.." && pwd)}
if [[ ! -x ${GOTOOL:-} ]]; then
	echo "build_identical.sh: GOTOOL not set to a built gotool" >&2
	exit 1
fi
[[ $GOTOOL == /* ]] || GOTOOL=$PWD/$GOTOOL

# The whole matrix (7 targets, cmd/gofmt and cmd/vet) compiles the standard
# library some 30 times with each tool: on a 2-CPU machine that is more than
# CI's 30 minutes.  CI checks linux/amd64 (every flag set) with cmd/gofmt
# (e2e/buildid compares windows/amd64's PE binaries);
# BUILD_IDENTICAL_FULL=1 runs the whole matrix (see README: manual checks).
if [[ -n ${BUILD_IDENTICAL_FULL:-} ]]; then
	TARGETS=${BUILD_TARGETS:-linux/amd64 linux/arm64 linux/386 linux/arm darwin/arm64 windows/amd64 js/wasm}
	STD_DEFAULT="cmd/gofmt cmd/vet"
else
	# windows/amd64's PE output and build ids are compared with go's in
	# e2e/buildid (CI time)
	TARGETS=${BUILD_TARGETS:-linux/amd64}
	STD_DEFAULT="cmd/gofmt"
fi
# A sanitizer build of gotool is several times slower: one target is enough
# to find its memory errors.
# Under ASan only the flag sets that ask something new of gotool's own code run: trim
# (-trimpath) and the default build with build ids; notrim, ldx, noopt and tags each
# recompile std with the (uninstrumented) compiler and add no new path through gotool.
asan=
if grep -qa __asan_init "$GOTOOL"; then
	asan=1
	if [[ -z ${BUILD_TARGETS:-} ]]; then
		TARGETS=linux/amd64
		echo "build_identical: ASan build of gotool: linux/amd64, trim and default flag sets"
	fi
fi
read -r -a STD_CMDS <<<"${BUILD_STD_CMDS-$STD_DEFAULT}"
XVAR=example.com/app/internal/version.Version

tmp=$(mktemp -d)
cleanup() { chmod -R u+rwx "$tmp" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
if [[ -n ${BUILD_KEEP:-} ]]; then
	trap - EXIT
	echo "build_identical: temp dir $tmp"
fi

cp -r "$TESTS/fixtures/build" "$tmp/src"
root=$tmp/src
export GOFLAGS= GOPROXY=off GOTOOLCHAIN=local GOENV=off GOSUMDB=off CGO_ENABLED=0
export GOPATH=$tmp/gopath GOMODCACHE=$tmp/gopath/pkg/mod
unset GOWORK GODEBUG GOBIN GOFIPS140 GOOS GOARCH GOEXPERIMENT GO111MODULE \
	GOAMD64 GOARM GOARM64 GO386 GOWASM GOROOT_FINAL
# go's binaries do not depend on its cache: GOTOOL_E2E_GOCACHE (set by setup.sh
# test) is shared by the e2e scripts and both test trees.
GO_CACHE=${BUILD_GOCACHE:-${GOTOOL_E2E_GOCACHE:-$tmp/gocache}}
GT_CACHE=$tmp/gtcache
mkdir -p "$GO_CACHE" "$GT_CACHE" "$tmp/tmp-go" "$tmp/tmp-gt"

# The tree as it must stay: neither tool writes into the sources.
snapshot() { (cd "$root" && find . -printf '%p %y %s %T@\n' | LC_ALL=C sort); }
snapshot >"$tmp/tree.before"

fails=0
ncmp=0
nsame=0
# build_both TAG DIR GOOS/GOARCH WORKMODE -- BUILD-ARGS...: run the build
# with each tool in $root/DIR into $tmp/out/{go,gt}/TAG/ and compare.
# WORKMODE is "off" (GOWORK=off) or "auto" (go.work found from DIR).
# Sets $last_go and $last_gt to the two output dirs.  With STRICT=0 a
# differing binary is only counted, not a failure.
STRICT=1
build_both() {
	local tag=$1 dir=$2 target=$3 wmode=$4
	shift 5
	local goos=${target%/*} goarch=${target#*/}
	local og=$tmp/out/go/$tag og_rc=0 ot=$tmp/out/gt/$tag ot_rc=0
	local envs=("GOOS=$goos" "GOARCH=$goarch")
	[[ $wmode == off ]] && envs+=(GOWORK=off)
	mkdir -p "${og%/*}" "${ot%/*}"
	local t0=$EPOCHREALTIME
	(cd "$root/$dir" && env "${envs[@]}" GOCACHE="$GO_CACHE" TMPDIR="$tmp/tmp-go" \
		"$GO" build -o "$og/" "$@" >"$og.out" 2>"$og.err") || og_rc=$?
	local t1=$EPOCHREALTIME
	(cd "$root/$dir" && env "${envs[@]}" GOCACHE="$GT_CACHE" GOTOOLCACHE="$GT_CACHE" TMPDIR="$tmp/tmp-gt" \
		"$GOTOOL" build -o "$ot/" "$@" >"$ot.out" 2>"$ot.err") || ot_rc=$?
	local t2=$EPOCHREALTIME
	last_go=$og
	last_gt=$ot
	printf '%-32s go %5.1fs  gotool %5.1fs\n' "$tag" \
		"$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" \
		"$(awk -v a="$t1" -v b="$t2" 'BEGIN{print b-a}')"
	if [[ $og_rc != 0 ]]; then
		echo "--- $tag: go build failed (exit $og_rc): the fixture is broken"
		cat "$og.err"
		fails=$((fails + 1))
		return 0
	fi
	if [[ $ot_rc != 0 ]]; then
		echo "--- $tag: gotool build failed (exit $ot_rc), in $dir: $*"
		head -n 40 "$ot.err"
		fails=$((fails + 1))
		return 0
	fi
	sed -i 's/^gotool: /go: /' "$ot.err"
	if ! cmp -s "$og.err" "$ot.err" || ! cmp -s "$og.out" "$ot.out"; then
		echo "--- $tag: output differs"
		diff -u "$og.err" "$ot.err" | head -n 20 || true
		diff -u "$og.out" "$ot.out" | head -n 20 || true
		fails=$((fails + 1))
	fi
	# Work directories are removed by both tools.
	if [[ -n $(ls -A "$tmp/tmp-gt") ]]; then
		echo "--- $tag: gotool left files in TMPDIR: $(ls -A "$tmp/tmp-gt" | head -n 5 | tr '\n' ' ')"
		rm -rf "${tmp:?}/tmp-gt/"*
		fails=$((fails + 1))
	fi
	local names_go names_gt
	names_go=$(cd "$og" && find . -mindepth 1 | LC_ALL=C sort)
	names_gt=$(cd "$ot" && find . -mindepth 1 | LC_ALL=C sort)
	if [[ $names_go != "$names_gt" ]]; then
		echo "--- $tag: different output files"
		diff <(echo "$names_go") <(echo "$names_gt") || true
		fails=$((fails + 1))
	fi
	local f bad=0
	for f in $names_go; do
		[[ -f $og/$f ]] || continue
		ncmp=$((ncmp + 1))
		if [[ -f $ot/$f ]] && cmp -s "$og/$f" "$ot/$f"; then
			nsame=$((nsame + 1))
			continue
		fi
		bad=1
		if [[ -f $ot/$f ]]; then
			echo "    $tag: ${f#./} differs: go $(stat -c %s "$og/$f") bytes, gotool $(stat -c %s "$ot/$f") bytes; $(cmp "$og/$f" "$ot/$f" 2>&1 | head -n 1)"
		fi
	done
	if [[ $bad == 1 ]]; then
		echo "--- $tag: binaries differ"
		[[ $STRICT == 1 ]] && fails=$((fails + 1))
	fi
	return 0
}

# expect_run BIN LINE...: BIN's stdout contains every LINE (whole lines).
expect_run() {
	local bin=$1 out line
	shift
	# A missing binary is already counted as a build failure.
	[[ -x $bin ]] || return 0
	out=$("$bin" 2>&1) || { echo "--- $bin: exit $?"; fails=$((fails + 1)); return 0; }
	for line in "$@"; do
		if ! grep -qxF -- "$line" <<<"$out"; then
			echo "--- $bin: no line '$line' in its output:"
			echo "$out"
			fails=$((fails + 1))
			return 0
		fi
	done
}

trim=(-trimpath -ldflags=-buildid=)
notrim=(-ldflags=-buildid=)
ldx=(-trimpath "-ldflags=-buildid= -s -w -X '$XVAR=value with spaces'")
noopt=("-gcflags=all=-N -l" -ldflags=-buildid=)
tags=(-tags feature -ldflags=-buildid=)

EMBEDS=(
	'text="hello, embed\n" blob=11 hidden="hidden\n"'
	'dir=[static/b c.txt static/index.html static/sub/a.dat static/sub/b.dat]'
	'glob=[static/_under.txt static/b c.txt static/index.html static/sub/a.dat static/sub/b.dat]'
	'all=[static/.hidden static/.well/known.txt static/_under.txt static/b c.txt static/index.html static/sub/a.dat static/sub/b.dat]'
)
for target in $TARGETS; do
	t=${target/\//_}
	for fs in trim notrim; do
		# CI's cross target (no FULL): -trimpath only
		[[ $fs == notrim && $target != linux/amd64 && -z ${BUILD_IDENTICAL_FULL:-} ]] && continue
		[[ $fs == notrim && -n $asan ]] && continue
		declare -n flags=$fs
		build_both "$t/$fs/app" app "$target" off -- "${flags[@]}" "${STD_CMDS[@]}" ./cmd/...
		if [[ $target == linux/amd64 ]]; then
			expect_run "$last_gt/app" version=dev "feature=false os=not windows" sum3=42 \
				"sum=6 3.5 max=b" less=true "hello gopher" "${EMBEDS[@]}"
			expect_run "$last_gt/tool" "hello tool 7"
		fi
		# The workspace build adds no new compiler or linker input kinds
		# without -trimpath, so cross targets build it with -trimpath only
		# (it costs gotool, which has no cache, a full std compile).
		if [[ $target == linux/amd64 || ($fs == trim && -n ${BUILD_IDENTICAL_FULL:-}) ]]; then
			build_both "$t/$fs/ws" ws "$target" auto -- "${flags[@]}" ./hello/cmd/... example.com/app/cmd/...
		fi
		if [[ $target == linux/amd64 ]]; then
			expect_run "$last_gt/hello" "[hello a hello b] 2 hello ws app dev"
		fi
		unset -n flags
	done
	if [[ $target == linux/amd64 && -z $asan ]]; then
		build_both "$t/ldx/app" app "$target" off -- "${ldx[@]}" cmd/gofmt ./cmd/...
		expect_run "$last_gt/app" "version=value with spaces"
		# -N -l recompiles std with both tools and asks nothing new of gotool
		# (build_plan compares the -gcflags=all=-N -l plan word for word, link_modinfo
		# its build settings): the whole matrix only
		if [[ -n ${BUILD_IDENTICAL_FULL:-} ]]; then
			build_both "$t/noopt/app" app "$target" off -- "${noopt[@]}" cmd/gofmt ./cmd/...
			expect_run "$last_gt/app" version=dev sum3=42
		fi
		build_both "$t/tags/app" app "$target" off -- "${tags[@]}" cmd/gofmt ./cmd/...
		expect_run "$last_gt/app" "feature=true os=not windows"
	fi
done
strict_fails=$fails
echo "build_identical: $nsame of $ncmp binaries identical, $fails failures"

# Default flags: the build id stays, so identity also needs gotool's action
# and content ids to equal go's.  Strict unless BUILDID_STRICT=0.
if [[ " $TARGETS " == *" linux/amd64 "* ]]; then
	ncmp=0
	nsame=0
	STRICT=${BUILDID_STRICT:-1}
	build_both linux_amd64/default/app app linux/amd64 off -- "${STD_CMDS[@]}" ./cmd/...
	build_both linux_amd64/default/ws ws linux/amd64 auto -- ./hello/cmd/... example.com/app/cmd/...
	echo "build_identical: default flags (build id kept): $nsame of $ncmp binaries identical"
fi

snapshot >"$tmp/tree.after"
if ! cmp -s "$tmp/tree.before" "$tmp/tree.after"; then
	echo "--- the source tree changed during the builds:"
	diff "$tmp/tree.before" "$tmp/tree.after" | head -n 20 || true
	fails=$((fails + 1))
fi

if [[ $fails != "$strict_fails" ]]; then
	echo "build_identical: $((fails - strict_fails)) failures in the default-flags pass"
fi
[[ $fails == 0 ]]
