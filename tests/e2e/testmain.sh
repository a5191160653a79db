#!/bin/bash
# The generated test main must be byte-identical to go's: for each fixture
# package (and a few std packages) compare the text gotool's work room
# generates with the _testmain.go that `go list -test` leaves in GOCACHE,
# the cache path of that file, and load errors (position and message).
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
DRIVER=${GOTOOL%/*}/tests/testmain_test
FIX=$TESTS/fixtures/testmain
if [ ! -x "$DRIVER" ]; then
	echo "testmain.sh: driver $DRIVER not built" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GOCACHE=$tmp/cache GOPROXY=off GOFLAGS= GOWORK=off GO111MODULE=on GOTOOLCHAIN=local
export GOPATH=$tmp/gopath

fail=0
# The printed path of the cached _testmain.go (only the test main has Name main
# and no ForTest; a package main's own entry would print too, none here).
mainpath='{{if .ForTest}}{{else}}{{if eq .Name "main"}}{{index .GoFiles 0}}{{end}}{{end}}'
mainerr='{{if .ForTest}}{{else}}{{if eq .Name "main"}}{{with .Error}}{{.Pos}}|{{.Err}}{{end}}{{end}}{{end}}'
info='{{.Dir}}|{{.ImportPath}}|{{with .Module}}{{.Path}}{{end}}|{{len .GoFiles}}|{{len .CgoFiles}}|{{join .TestGoFiles ","}}|{{join .XTestGoFiles ","}}'

check() { # dir pattern
	local dir=$1 pkg=$2 name gopath goerr bad=0
	name=$(echo "$pkg" | tr '/.' '__')
	gopath=$(cd "$dir" && "$GO" list -e -test -f "$mainpath" "$pkg" | grep . | head -1)
	goerr=$(cd "$dir" && "$GO" list -e -test -f "$mainerr" "$pkg" | grep . | head -1 || true)
	IFS='|' read -r pdir ipath mpath ngo ncgo tfiles xfiles < <(cd "$dir" && "$GO" list -e -f "$info" "$pkg")
	if [ -z "$gopath" ] || [ ! -f "$gopath" ]; then
		echo "FAIL $pkg: go printed no cached _testmain.go ($gopath)"
		fail=1
		return
	fi
	local args=(-dir "$pdir" -pkg "$ipath" -mod "$mpath" -ngo $((ngo + ncgo)) -test "$tfiles" -xtest "$xfiles")
	local myerr=""
	"$DRIVER" "${args[@]}" >"$tmp/$name.got" 2>"$tmp/$name.err" || myerr=$(cat "$tmp/$name.err")
	if ! cmp -s "$gopath" "$tmp/$name.got"; then
		echo "FAIL $pkg: _testmain.go differs (- go, + gotool):"
		diff -u "$gopath" "$tmp/$name.got" | sed 's/^/    /' || true
		bad=1
	fi
	local mypath
	mypath=$("$DRIVER" "${args[@]}" -cache "$GOCACHE" 2>/dev/null || true)
	if [ "$mypath" != "$gopath" ]; then
		echo "FAIL $pkg: cache path: go $gopath, gotool $mypath"
		bad=1
	fi
	# go shortens a syntax error's position relative to the working dir
	myerr=${myerr#"$dir/"}
	if [ "$myerr" != "$goerr" ]; then
		echo "FAIL $pkg: load error:"
		echo "    go:     $goerr"
		echo "    gotool: $myerr"
		bad=1
	fi
	if [ $bad = 0 ]; then
		echo "ok   $pkg${goerr:+ (error: $goerr)}"
	else
		fail=1
	fi
}

for d in "$FIX"/*/; do
	d=${d%/}
	check "$FIX" "./${d##*/}"
done
for p in strings sort bytes encoding/json fmt net/http; do
	check "$FIX" "$p"
done

# The test main is the only thing go list -test adds to the cache besides the
# index entry: the file must hold exactly the bytes whose hash names it.
for f in "$GOCACHE"/*/*-d; do
	h=$(sha256sum "$f" | cut -c1-64)
	if [ "${f##*/}" != "$h-d" ]; then
		echo "FAIL cache entry $f is not named by its content hash"
		fail=1
	fi
done

exit $fail
