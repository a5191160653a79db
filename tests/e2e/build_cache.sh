#!/usr/bin/env bash
# Builds through gotool's cache: a second build of the same thing runs no
# tool (-x shows no compile, asm or link) and still writes the same bytes; a
# comment added at the end of a leaf package recompiles that package only
# (its archive keeps its content id, so dependents and the link hit the
# cache), as go does when the export data does not change; -a rebuilds.
# The outputs are compared with the real go's every time.  Then, with a
# GOROOT whose compile, asm and link log their runs: a no-op build runs no
# tool at all (not even the -V=full probes) and does nothing when its -o
# outputs are up to date; a new -o dir and `gotool run` get the binary from
# the cache.  Installed binaries are cached by reference (docs/cache.md): a
# new -o dir copies the old output while it is intact, else links again.
#
# Env: GOTOOL, TESTS; GO (default /usr/local/go/bin/go).
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
TESTS=${TESTS:-$(cd "$(dirname "$0")/.." && pwd)}
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null || true; rm -rf "$tmp"' EXIT
export GOFLAGS= GOPROXY=off GOWORK=off GOTOOLCHAIN=local GOENV=off CGO_ENABLED=0
export GOPATH=$tmp/gopath GOCACHE=$tmp/gocache GOTOOLCACHE=$tmp/gotoolcache
unset GODEBUG GOEXPERIMENT GOARCH GOOS GOARM GOAMD64 GOFIPS140 GOBIN

cp -r "$TESTS/fixtures/build/app" "$TESTS/fixtures/build/lib" "$tmp/"
cd "$tmp/app"
fail=0

# tools FILE: the tool runs an -x log shows (compile, asm, link, preprofile)
tools() { grep -E '/pkg/tool/[^ ]*/(compile|asm|link|preprofile) ' "$1" | sed -E 's|.*/pkg/tool/[^/]*/([a-z]+) .* -p ([^ ]+) .*|\1 \2|; s|.*/pkg/tool/[^/]*/link .*|link|' || true; }

# same_as_go NAME: gotool's out/NAME equals what go builds
same_as_go() {
	# go's binaries do not depend on its cache: the shared one when setup.sh gives it
	GOCACHE=${GOTOOL_E2E_GOCACHE:-$GOCACHE} "$GO" build -o "$tmp/go/" ./cmd/...
	if ! cmp -s "$tmp/out/$1" "$tmp/go/$1"; then
		echo "FAIL: $2: out/$1 differs from go's"
		fail=1
	fi
}

"$GOTOOL" build -o "$tmp/out/" ./cmd/...
same_as_go app "first build"

"$GOTOOL" build -x -o "$tmp/out/" ./cmd/... 2>"$tmp/x2"
if [[ -n $(tools "$tmp/x2") ]]; then
	echo "FAIL: no-op build ran tools:"
	tools "$tmp/x2"
	fail=1
fi
same_as_go app "no-op build"

# A binary installed somewhere is kept in the cache by reference (its hash
# and where it is): a build into another -o dir copies it and runs no tool...
"$GOTOOL" build -x -o "$tmp/out2/" ./cmd/... 2>"$tmp/x3"
if [[ -n $(tools "$tmp/x3") ]] || ! cmp -s "$tmp/out/app" "$tmp/out2/app"; then
	echo "FAIL: a build into a new -o dir ran tools or wrote other bytes:"
	tools "$tmp/x3"
	fail=1
fi
# ... and once every copy is gone (or changed), only the links run again.
rm -f "$tmp/out/app" "$tmp/out/tool"
printf 'changed' >"$tmp/out2/app"
rm -f "$tmp/out2/tool"
"$GOTOOL" build -x -o "$tmp/out/" ./cmd/... 2>"$tmp/x3"
got=$(tools "$tmp/x3" | sort | tr '\n' ',')
if [[ $got != "link,link," ]]; then
	echo "FAIL: after the outputs were removed, want only the two links, got: $got"
	fail=1
fi
same_as_go app "outputs removed"

printf '\n// A comment that changes no line of code.\n' >>greet/greet.go
"$GOTOOL" build -x -o "$tmp/out/" ./cmd/... 2>"$tmp/x4"
got=$(tools "$tmp/x4" | sort | tr '\n' ',')
if [[ $got != "compile example.com/app/greet," ]]; then
	echo "FAIL: after a comment in greet, want only greet compiled, got: $got"
	fail=1
fi
same_as_go app "comment in a leaf"

"$GOTOOL" build -a -x -o "$tmp/out/" ./cmd/... 2>"$tmp/x5"
n=$(tools "$tmp/x5" | grep -c '^compile' || true)
if ((n < 50)); then
	echo "FAIL: -a compiled only $n packages"
	fail=1
fi
same_as_go app "-a"

# No tool at all on a no-op build, not even the -V=full probes that name the
# toolchain: a GOROOT whose compile, asm and link log every run.  Their
# ctime must be old enough (2 s) for gotool to trust its memo of -V=full.
real_root=$("$GO" env GOROOT)
hostdir=$("$GO" env GOHOSTOS)_$("$GO" env GOHOSTARCH)
fake=$tmp/goroot
mkdir -p "$fake/pkg/tool/$hostdir"
for f in "$real_root"/*; do [[ ${f##*/} == pkg ]] || ln -s "$f" "$fake/"; done
for f in "$real_root"/pkg/*; do [[ ${f##*/} == tool ]] || ln -s "$f" "$fake/pkg/"; done
for f in "$real_root/pkg/tool/$hostdir"/*; do
	case ${f##*/} in
	compile | asm | link)
		printf '#!/bin/sh
echo "%s $*" >>"%s"
exec "%s" "$@"
' "${f##*/}" "$tmp/toollog" "$f" >"$fake/pkg/tool/$hostdir/${f##*/}"
		chmod +x "$fake/pkg/tool/$hostdir/${f##*/}"
		;;
	*) ln -s "$f" "$fake/pkg/tool/$hostdir/" ;;
	esac
done
# A main that needs only the runtime keeps the cold build short.
mkdir -p "$tmp/tiny"
printf 'module tiny\n\ngo 1.22\n' >"$tmp/tiny/go.mod"
printf 'package main\n\nfunc main() { println("tiny") }\n' >"$tmp/tiny/main.go"
cd "$tmp/tiny"
sleep 3
GOROOT=$fake "$GOTOOL" build -o "$tmp/fout/" .
[[ -s $tmp/toollog ]] || { echo "FAIL: the logging tools did not run on the first build"; fail=1; }
: >"$tmp/toollog"
GOROOT=$fake "$GOTOOL" build -x -o "$tmp/fout/" . 2>"$tmp/x6"
if [[ -s $tmp/toollog ]]; then
	echo "FAIL: a no-op build ran tools:"
	cat "$tmp/toollog"
	fail=1
fi
# The outputs are up to date: not even a copy.
if [[ -s $tmp/x6 ]] && grep -vE '^WORK=' "$tmp/x6" | grep -q .; then
	echo "FAIL: a no-op build with up-to-date outputs did something:"
	cat "$tmp/x6"
	fail=1
fi
# A new -o place: the binaries come from the cache, still no tool.
GOROOT=$fake "$GOTOOL" build -o "$tmp/fout2/" .
if [[ -s $tmp/toollog ]] || ! cmp -s "$tmp/fout/tiny" "$tmp/fout2/tiny"; then
	echo "FAIL: a build into a new -o dir ran tools or wrote other bytes"
	fail=1
fi
# gotool run builds without DWARF (-s -w, as go run does): the first run
# links, the second runs no tool, and the program runs either way.
for pass in 1 2; do
	: >"$tmp/toollog"
	[[ $(GOROOT=$fake "$GOTOOL" run . 2>&1) == tiny ]] || { echo "FAIL: gotool run of tiny ($pass)"; fail=1; }
done
[[ -s $tmp/toollog ]] && { echo "FAIL: gotool run of a cached binary ran tools"; cat "$tmp/toollog"; fail=1; }

"$GOTOOL" cache verify >/dev/null || { echo "FAIL: cache verify after the builds"; fail=1; }
((fail == 0)) && echo "build_cache: ok"
exit $fail
