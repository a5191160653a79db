#!/usr/bin/env bash
# `go version [-m] [-v] [-json] file|dir ...`: build info read from Go
# binaries of every executable format debug/buildinfo knows (ELF, PE,
# Mach-O, XCOFF, Plan 9; wasm is unrecognized), directory walks, and files
# that are not Go binaries, compared with the real go byte for byte.
set -euo pipefail
GO=${GO:-/usr/local/go/bin/go}
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$T/bin"
ln -s "$GOTOOL" "$T/bin/go"
G="$T/bin/go"
export GOFLAGS= GOTOOLCHAIN=local GOPROXY=off GOCACHE="$T/cache" GOPATH="$T/gopath" GOENV=off
unset GOOS GOARCH CGO_ENABLED
fail=0

# same LABEL ARGS...: gotool (as go) and go agree on stdout, stderr, exit code.
same() {
	local label=$1; shift
	local r1=0 r2=0
	"$G" "$@" >"$T/o1" 2>"$T/e1" || r1=$?
	"$GO" "$@" >"$T/o2" 2>"$T/e2" || r2=$?
	if [ "$r1" != "$r2" ] || ! cmp -s "$T/o1" "$T/o2" || ! cmp -s "$T/e1" "$T/e2"; then
		echo "FAIL: $label: go $* (exit gotool=$r1 go=$r2)"
		diff -u "$T/o2" "$T/o1" || true
		diff -u "$T/e2" "$T/e1" || true
		fail=1
	fi
}

# A main module with a dependency through a local replace.
mkdir -p "$T/src/m" "$T/src/dep" "$T/out/sub"
cat >"$T/src/dep/go.mod" <<'X'
module example.com/dep

go 1.26
X
cat >"$T/src/dep/dep.go" <<'X'
package dep

func Hello() string { return "hello" }
X
cat >"$T/src/m/go.mod" <<'X'
module example.com/m

go 1.26

require example.com/dep v1.2.3

replace example.com/dep v1.2.3 => ../dep
X
cat >"$T/src/m/main.go" <<'X'
package main

import "example.com/dep"

var v string

func main() { println(dep.Hello(), v) }
X
cat >"$T/src/m/m_test.go" <<'X'
package main

import "testing"

func TestX(t *testing.T) {}
X
O="$T/out"
# Builds dominate this test's time: the linux binary and the test binary
# share one -trimpath compile of the runtime; wasm (which debug/buildinfo
# does not read) is faked by its magic number instead of built.
# GOTOOL_E2E_GOCACHE (set by setup.sh test): a go build cache shared by the
# e2e scripts and both test trees, for go runs whose output does not depend on it.
(
	cd "$T/src/m"
	export GOCACHE=${GOTOOL_E2E_GOCACHE:-$GOCACHE}
	"$GO" build -trimpath -ldflags='-X main.v=x -s' -o "$O/trim" .
	"$GO" test -c -trimpath -o "$O/m.test" .
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 "$GO" build -o "$O/win.exe" .
	CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 "$GO" build -o "$O/sub/mac" .
	CGO_ENABLED=0 GOOS=aix GOARCH=ppc64 "$GO" build -o "$O/sub/aix" .
	CGO_ENABLED=0 GOOS=plan9 GOARCH=386 "$GO" build -o "$O/plan9" .
)
printf '\0asm\1\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0' >"$O/sub/js.wasm"
cp "$GO" "$O/gocopy"
cp "$(dirname "$GO")/gofmt" "$O/gofmt"

# Files that are not Go binaries, or broken ones.
printf 'hello\n' >"$O/notes.txt"
printf '#!/bin/sh\necho hi\n' >"$O/script.sh"
chmod +x "$O/script.sh"
printf 'MZ garbage that is not a PE file at all\n' >"$O/fake.exe"
: >"$O/empty.so"
head -c 64 "$O/trim" >"$O/trunc64"
head -c 100000 "$O/trim" >"$O/trunc100k"
head -c 4096 "$O/win.exe" >"$O/trunc.exe"
head -c 4096 "$O/sub/mac" >"$O/trunc.dylib.so.1"
chmod +x "$O/trunc64" "$O/trunc100k"
cp /bin/true "$O/cbin"
ln -s trim "$O/link"
ln -s sub "$O/dirlink"
ln -s nowhere "$O/broken"

bins="trim win.exe sub/mac sub/aix plan9 m.test gocopy gofmt"
for b in $bins; do
	same "version $b" version "$O/$b"
	same "version -m $b" version -m "$O/$b"
	same "version -m -json $b" version -m -json "$O/$b"
done
for b in sub/js.wasm notes.txt script.sh fake.exe empty.so trunc64 trunc100k trunc.exe trunc.dylib.so.1 cbin link broken; do
	same "version $b" version "$O/$b"
	same "version -m $b" version -m "$O/$b"
done
same "several" version "$O/trim" "$O/win.exe" "$O/gofmt"
same "missing file" version "$O/nosuch"
same "missing and good" version -m "$O/nosuch" "$O/trim"
same "-json without -m" version -json "$O/trim"
same "dir" version "$O"
same "dir -v" version -v "$O"
same "dir -m" version -m "$O"
same "dir -m -json" version -m -json "$O/sub"
same "dir symlink -v" version -v "$O/dirlink"
same "dir relative" version -C "$T" -v out/sub
same "dir trailing slash" version "$O/sub/"

if [ "$(id -u)" != 0 ]; then
	cp "$O/trim" "$O/noread"
	chmod 000 "$O/noread"
	same "unreadable" version "$O/noread"
	same "unreadable -m" version -m "$O/noread"
	same "unreadable in dir" version -v "$O"
	chmod 644 "$O/noread"
fi

exit $fail
