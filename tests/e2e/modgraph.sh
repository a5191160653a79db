#!/usr/bin/env bash
# The module graph and packages of dependency modules, gotool against the
# real go (go1.26), on a module world built here:
#
#   tests/fixtures/modgraph/mkproxy.py writes a file:// GOPROXY tree (the
#   layout of $GOMODCACHE/cache/download) of dependency modules: pruned
#   (go >= 1.17) and unpruned (go 1.16, no go line) ones, a diamond where
#   MVS picks the higher version, an excluded version, a version replaced by
#   another, nested modules (example.com/n and example.com/n/inner), a
#   module whose go.mod declares another path.
#   main    a go 1.22 module (pruned graph) importing all of them
#   main16  a go 1.16 module (unpruned graph)
#   ambig   a package provided by two modules (and go.sum lines missing)
#   bad     a module whose graph fails: an excluded root, a module missing
#           from the cache, a go.mod declaring another path
#
# The real go fills a module cache from the proxy (`go mod tidy`, `go mod
# download`, `go list -m all` with GOFLAGS=-mod=mod) and writes go.sum; then
# both tools run with GOPROXY=off on that cache: `mod graph` (with -go=),
# `list -m all` (text, -json), `list -deps -json` and `build -trimpath
# -ldflags=-buildid=` / `build -trimpath` (binaries compared with cmp).
# Env: GOTOOL, TESTS, GO (default /usr/local/go/bin/go); MODGRAPH_KEEP=1
# keeps the temp dir.
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
TESTS=${TESTS:-$(cd "$(dirname "$0")/.." && pwd)}
if [[ ! -x ${GOTOOL:-} ]]; then
	echo "modgraph.sh: GOTOOL not set to a built gotool" >&2
	exit 1
fi
asan=
if grep -qa __asan_init "$GOTOOL"; then
	asan=1
	echo "modgraph: ASan build of gotool: the -trimpath build only"
fi

tmp=$(mktemp -d)
cleanup() { chmod -R u+rwx "$tmp" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
if [[ -n ${MODGRAPH_KEEP:-} ]]; then
	trap - EXIT
	echo "modgraph: temp dir $tmp"
fi

export GOFLAGS= GOPROXY=off GOTOOLCHAIN=local GOENV=off GOSUMDB=off GONOSUMDB= CGO_ENABLED=0
export GOPATH=$tmp/gopath GOMODCACHE=$tmp/modcache GOTOOLCACHE=$tmp/gtcache
unset GOWORK GODEBUG GOBIN GOFIPS140 GOOS GOARCH GOEXPERIMENT GO111MODULE GOFLAGS_EXTRA
export GOCACHE=${GOTOOL_E2E_GOCACHE:-$tmp/gocache}
mkdir -p "$GOCACHE"

cp -r "$TESTS/fixtures/modgraph" "$tmp/src"
root=$tmp/src
python3 "$root/mkproxy.py" "$tmp/proxy"

# go fills the module cache and writes go.mod / go.sum.
online() { GOPROXY=file://$tmp/proxy GOFLAGS=-mod=mod "$GO" "$@"; }
for m in main main16; do
	(cd "$root/$m" && online mod tidy && online mod download && online list -m all >/dev/null) 2>/dev/null
done
# bad: its graph fails; put example.com/wrong's .mod (declaring another
# path) into the cache by hand, as a download would.
mkdir -p "$GOMODCACHE/cache/download/example.com/wrong/@v"
cp "$tmp/proxy/example.com/wrong/@v/v1.0.0."{mod,info} "$GOMODCACHE/cache/download/example.com/wrong/@v/"

fails=0
ncases=0
# check DIR [VAR=VALUE...] -- ARGS...: run both tools in DIR and compare
# stdout, stderr and the exit code.
check() {
	local dir=$1
	shift
	local envs=(X_=1)
	while [[ $1 != -- ]]; do
		envs+=("$1")
		shift
	done
	shift
	ncases=$((ncases + 1))
	local o=$tmp/out
	mkdir -p "$o"
	local grc=0 trc=0
	(cd "$root/$dir" && env "${envs[@]}" "$GO" "$@" >"$o/go.out" 2>"$o/go.err") || grc=$?
	(cd "$root/$dir" && env "${envs[@]}" "$GOTOOL" "$@" >"$o/gt.out" 2>"$o/gt.err") || trc=$?
	sed -i 's/^gotool: /go: /; s/\([^a-z]\)gotool: /\1go: /' "$o/gt.err"
	local bad=
	if ! cmp -s "$o/go.out" "$o/gt.out"; then
		echo "--- stdout differs: (cd $dir; ${envs[*]} $*)"
		diff -u "$o/go.out" "$o/gt.out" | head -60 || true
		bad=1
	fi
	if ! cmp -s "$o/go.err" "$o/gt.err"; then
		echo "--- stderr differs: (cd $dir; ${envs[*]} $*)"
		diff -u "$o/go.err" "$o/gt.err" | head -60 || true
		bad=1
	fi
	if [[ $grc != "$trc" ]]; then
		echo "--- exit code differs: (cd $dir; ${envs[*]} $*): go $grc, gotool $trc"
		bad=1
	fi
	[[ -n $bad ]] && fails=$((fails + 1))
	return 0
}

FIELDS=Dir,ImportPath,Name,Root,Module,Match,Goroot,Standard,DepOnly,Incomplete,DefaultGODEBUG,GoFiles,Imports,ImportMap,Deps,Error,DepsErrors

for m in main main16; do
	check $m -- mod graph
	check $m GOFLAGS=-mod=mod -- mod graph
	check $m -- list -m all
	check $m -- list -m -json all
	check $m -- list -m -f '{{.Path}} {{.Version}} {{.Indirect}} {{.GoVersion}} {{with .Replace}}{{.Path}}@{{.Version}}{{end}}' all
	check $m -- list -m example.com/c example.com/leaf example.com/nope
	check $m -- list -deps -json=$FIELDS .
	check $m -- list -e -deps -f '{{.ImportPath}} {{.Module}} {{if .Error}}{{.Error}}{{end}}' . example.com/missing/pkg example.com/a/nosuch
done
check main -- mod graph -go=1.22
check main -- mod graph -go=1.17
check main16 -- mod graph -go=1.17
check main16 -- mod graph -go=1.21
check main16 -- mod graph -go=1.16
check main -- mod graph extra
check main -- list -m -json example.com/r
check main -- list example.com/n/... example.com/a/...
# directories inside the module cache (pathInModuleCache)
check main -- list -e -f '{{.ImportPath}} {{.Dir}} {{.Error}}' "$GOMODCACHE/example.com/a@v1.0.0/sub" \
	"$GOMODCACHE/example.com/r@v1.0.1" "$GOMODCACHE/example.com/leaf@v1.0.0" "$GOMODCACHE/example.com/c@v1.0.0"

# mod verify: every module of the build list against its .ziphash, then a
# tampered extracted tree and a tampered zip (both restored afterwards)
check main -- mod verify
check main16 -- mod verify
check bad -- mod verify
adir=$GOMODCACHE/example.com/a@v1.0.0
afile=$(cd "$adir" && ls ./*.go | head -1)
chmod u+w "$adir" "$adir/$afile"
cp "$adir/$afile" "$tmp/saved.go"
echo "// tampered" >>"$adir/$afile"
check main -- mod verify
cp "$tmp/saved.go" "$adir/$afile"
chmod a-w "$adir/$afile" "$adir"
azip=$GOMODCACHE/cache/download/example.com/a/@v/v1.0.0.zip
cp "$azip" "$tmp/saved.zip"
chmod u+w "$azip"
python3 - "$azip" <<'PY'
import sys, zipfile
src = open(sys.argv[1], "rb").read()
import io
zin = zipfile.ZipFile(io.BytesIO(src))
with zipfile.ZipFile(sys.argv[1], "w") as zout:
    for i, n in enumerate(zin.namelist()):
        data = zin.read(n)
        if n.endswith(".go") and i == len(zin.namelist()) - 1 or n.endswith("go.mod"):
            data += b"\n// tampered\n"
        zout.writestr(n, data)
PY
check main -- mod verify
cp "$tmp/saved.zip" "$azip"
check main -- mod verify

# bad: an excluded root, then the first module failing in breadth-first order.
check bad -- mod graph
check bad -- list -m all
check bad -- list -deps .
sed -i '/example.com\/ghost/d' "$root/bad/go.mod"
check bad -- mod graph
check bad -- list -m all
# A module missing from the cache below a dependency: main's pruned package
# loads do not need leaf's go.mod, the full graph does.
mv "$GOMODCACHE/cache/download/example.com/leaf/@v/v1.0.0.mod" "$tmp/leaf.mod"
check main -- mod graph
check main -- list -m all
check main -- list -deps .
check main16 -- list -deps .
mv "$tmp/leaf.mod" "$GOMODCACHE/cache/download/example.com/leaf/@v/v1.0.0.mod"

# ambig: example.com/amb/inner2 is a package of two modules.  go.sum first
# without their zip hashes (go mod download with no arguments), then with
# both, then with one.
(cd "$root/ambig" && online mod download) 2>/dev/null
check ambig -- list -deps .
check ambig -- list -e -deps .
check ambig -- list example.com/amb/inner2
(cd "$root/ambig" && online mod download example.com/amb example.com/amb/inner2) 2>/dev/null
check ambig -- list -deps .
check ambig -- list -e -f '{{.ImportPath}} {{.Error}}' example.com/amb/inner2 .
grep -v 'inner2 v1.0.0 h1' "$root/ambig/go.sum" >"$tmp/go.sum.ambig"
cp "$tmp/go.sum.ambig" "$root/ambig/go.sum"
check ambig -- list -deps .
check ambig -- list example.com/amb/inner2

# nodl: a required module whose go.sum lines exist but which is not in the
# cache: go announces the download and GOPROXY=off refuses it.
mkdir -p "$root/nodl"
printf 'module example.com/nodl\n\ngo 1.22\n\nrequire example.com/zz v1.0.0\n' >"$root/nodl/go.mod"
printf 'package nodl\n\nimport _ "example.com/zz/p"\n' >"$root/nodl/nodl.go"
printf 'example.com/zz v1.0.0 h1:AAAA\nexample.com/zz v1.0.0/go.mod h1:BBBB\n' >"$root/nodl/go.sum"
check nodl -- list .
check nodl -- list -deps .
check nodl -- list -e -deps -f '{{.ImportPath}}: {{.Error}}' .
check nodl -- list -m all
check nodl -- mod graph

# Binaries: byte-identical to go's.
nbin=0
build_cmp() {
	local dir=$1 tag=$2
	shift 2
	nbin=$((nbin + 1))
	local grc=0 trc=0
	(cd "$root/$dir" && "$GO" build "$@" -o "$tmp/$tag.go" . 2>"$tmp/$tag.go.err") || grc=$?
	(cd "$root/$dir" && "$GOTOOL" build "$@" -o "$tmp/$tag.gt" . 2>"$tmp/$tag.gt.err") || trc=$?
	if [[ $grc != 0 || $trc != 0 ]]; then
		echo "--- build $dir $*: go $grc, gotool $trc"
		cat "$tmp/$tag.go.err" "$tmp/$tag.gt.err"
		fails=$((fails + 1))
	elif ! cmp -s "$tmp/$tag.go" "$tmp/$tag.gt"; then
		echo "--- binaries differ: build $dir $*"
		"$GO" version -m "$tmp/$tag.go" >"$tmp/$tag.go.m" || true
		"$GO" version -m "$tmp/$tag.gt" >"$tmp/$tag.gt.m" || true
		diff "$tmp/$tag.go.m" "$tmp/$tag.gt.m" | head -20 || true
		fails=$((fails + 1))
	fi
}
build_cmp main trim -trimpath -ldflags=-buildid=
if [[ -z $asan ]]; then
	# build ids kept; -trimpath so that the packages compiled above are reused
	build_cmp main buildid -trimpath
	build_cmp main16 trim16 -trimpath -ldflags=-buildid=
fi
# The binary runs and sees the versions MVS and the replacement chose.
out=$("$tmp/trim.gt" 2>&1)
if [[ $out != "a a/sub e n inner nogo old r1.0.1 c1.1" ]]; then
	echo "--- unexpected output of the built binary: $out"
	fails=$((fails + 1))
fi

echo "modgraph: $ncases list/graph cases, $nbin builds, $fails failed"
[[ $fails == 0 ]]
