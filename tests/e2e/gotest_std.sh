#!/usr/bin/env bash
# gotool test on standard library packages: every package passes, with the same package
# lines as the real go test (timings masked), and a second run prints every package as
# "(cached)" as go's does.
#
# Default: a quick subset (errors path container/list unicode/utf8 encoding/base64 sort
# bufio). GOTEST_STD_FULL=1 runs the whole list issue 7 names (strings sort bytes bufio
# errors path path/filepath container/list encoding/json encoding/base64 unicode/utf8
# math/big regexp text/template go/parser; about 3 minutes per tool on 2 CPUs). Under a
# sanitizer build of gotool the subset is narrowed to three packages.
#
# Env: GOTOOL, GO (default /usr/local/go/bin/go), GOTEST_STD_FULL, GOTEST_STD_KEEP=1.
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
if [[ ! -x ${GOTOOL:-} ]]; then
	echo "gotest_std.sh: GOTOOL not set to a built gotool" >&2
	exit 1
fi
[[ $GOTOOL == /* ]] || GOTOOL=$PWD/$GOTOOL

PKGS=(errors path container/list unicode/utf8 encoding/base64 sort bufio)
if [[ -n ${GOTEST_STD_FULL:-} ]]; then
	PKGS=(strings sort bytes bufio errors path path/filepath container/list encoding/json
		encoding/base64 unicode/utf8 math/big regexp text/template go/parser)
elif grep -qa __asan_init "$GOTOOL"; then
	PKGS=(errors path container/list)
fi

T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null || true; rm -rf "$T"' EXIT
[[ -n ${GOTEST_STD_KEEP:-} ]] && { trap - EXIT; echo "gotest_std: temp dir $T"; }
mkdir -p "$T/bin" "$T/go/tmp" "$T/gt/tmp" "$T/empty"
ln -s "$GOTOOL" "$T/bin/go"
export GOFLAGS= GOPROXY=off GOTOOLCHAIN=local GOENV=off GOSUMDB=off GOWORK=off CGO_ENABLED=0
unset GODEBUG GOBIN GOFIPS140 GOOS GOARCH GOEXPERIMENT GO111MODULE GOAMD64

fail=0
mask() { sed -E 's/\t[0-9]+\.[0-9]+s$/\tTIME/' "$1"; }
for tool in go gt; do
	bin=$GO
	[[ $tool == gt ]] && bin=$T/bin/go
	for pass in 1 2; do
		rc=0
		(cd "$T/empty" && GOCACHE=$T/$tool/cache GOTOOLCACHE=$T/$tool/tcache GOPATH=$T/$tool/gopath \
			TMPDIR=$T/$tool/tmp "$bin" test "${PKGS[@]}") >"$T/$tool.$pass.out" 2>"$T/$tool.$pass.err" || rc=$?
		echo "$rc" >"$T/$tool.$pass.rc"
	done
done
for pass in 1 2; do
	for f in out err rc; do
		if ! diff <(mask "$T/go.$pass.$f") <(mask "$T/gt.$pass.$f") >"$T/diff" 2>&1; then
			echo "FAIL: run $pass $f differs from go (< go, > gotool):"
			cat "$T/diff"
			fail=1
		fi
	done
done
n=$(grep -c '^ok  ' "$T/gt.1.out" || true)
if [[ $n -ne ${#PKGS[@]} ]]; then
	echo "FAIL: $n of ${#PKGS[@]} packages ok in gotool's first run"
	cat "$T/gt.1.out" "$T/gt.1.err"
	fail=1
fi
c=$(grep -c '(cached)$' "$T/gt.2.out" || true)
if [[ $c -ne ${#PKGS[@]} ]]; then
	echo "FAIL: $c of ${#PKGS[@]} packages cached in gotool's second run"
	cat "$T/gt.2.out"
	fail=1
fi
echo "gotest_std: ${#PKGS[@]} packages: ok $n, cached $c"
exit $fail
