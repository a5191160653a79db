#!/usr/bin/env bash
# e2e/list_stale: `gotool list` fills Stale and StaleReason from gotool's cache as go list
# does from go's, compared with the real go at each step of a small module's life (each
# tool with its own empty cache and GOBIN, so both see the same history):
#   empty caches; after `build ./...`; a comment at the end of a leaf package (the leaf
#   is stale, its dependents name it); a code change in the middle package; after
#   `install` of the command (not stale) and after its binary is removed ("not installed
#   but available in build cache"); -a; -deps and -json=ImportPath,Stale,StaleReason.
# The module needs only the runtime, so the cold builds stay short.
#
# Env: GOTOOL, GO (default /usr/local/go/bin/go).
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
GOTOOL=${GOTOOL:?GOTOOL must name the gotool binary}
[[ $GOTOOL == /* ]] || GOTOOL=$PWD/$GOTOOL

T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null || true; rm -rf "$T"' EXIT
export GOFLAGS= GOPROXY=off GOWORK=off GOTOOLCHAIN=local GOENV=off GOSUMDB=off CGO_ENABLED=0
export GOPATH=$T/gopath TMPDIR=$T
unset GODEBUG GOEXPERIMENT GOARCH GOOS GOARM GOAMD64 GOFIPS140 GOBIN GO111MODULE

mkdir -p "$T/m/leaf" "$T/m/mid" "$T/m/cmd/c"
printf 'module example.com/m\n\ngo 1.22\n' >"$T/m/go.mod"
printf 'package leaf\n\nfunc N() int { return 1 }\n' >"$T/m/leaf/leaf.go"
printf 'package mid\n\nimport "example.com/m/leaf"\n\nfunc M() int { return leaf.N() + 1 }\n' >"$T/m/mid/mid.go"
printf 'package main\n\nimport "example.com/m/mid"\n\nfunc main() { println(mid.M()) }\n' >"$T/m/cmd/c/main.go"
cd "$T/m"

# tool NAME ARGS...: run go or gotool with its own cache and GOBIN
tool() {
	local t=$1
	shift
	if [[ $t == go ]]; then
		GOCACHE=$T/go/cache GOBIN=$T/go/bin "$GO" "$@"
	else
		GOCACHE=$T/go/cache GOTOOLCACHE=$T/gt/cache GOBIN=$T/gt/bin "$GOTOOL" "$@"
	fi
}

F='{{.ImportPath}} {{.Stale}} {{.StaleReason}}'
fail=0 n=0
# same LABEL LIST-ARGS...: list's stdout, stderr and status are go's
same() {
	local label=$1 rg=0 rt=0
	shift
	n=$((n + 1))
	tool go list "$@" >"$T/go.out" 2>"$T/go.err" || rg=$?
	tool gt list "$@" >"$T/gt.out" 2>"$T/gt.err" || rt=$?
	if [[ $rg != "$rt" ]] || ! cmp -s "$T/go.out" "$T/gt.out" || ! cmp -s "$T/go.err" "$T/gt.err"; then
		echo "FAIL: $label (exit go $rg, gotool $rt)"
		diff "$T/go.out" "$T/gt.out" || true
		diff "$T/go.err" "$T/gt.err" || true
		fail=$((fail + 1))
	else
		echo "ok   $label"
	fi
}
# both ARGS...: run a command with both tools; it must succeed
both() {
	tool go "$@" >/dev/null
	tool gt "$@" >/dev/null
}

same "empty caches" -f "$F" ./...
same "empty caches -deps" -f "$F" -deps ./...
both build ./...
same "after build" -f "$F" -deps ./...
same "after build -json" -json=ImportPath,Stale,StaleReason ./...
printf '\n// a comment\n' >>leaf/leaf.go
same "comment in the leaf" -f "$F" ./...
both build ./...
printf 'package mid\n\nimport "example.com/m/leaf"\n\nfunc M() int { return leaf.N() + 2 }\n' >mid/mid.go
same "code change in mid" -f "$F" ./...
both install ./cmd/c
same "after install" -f "$F" ./...
same "after install -json" -json=ImportPath,Stale,StaleReason ./...
rm -f "$T/go/bin/c" "$T/gt/bin/c"
same "binary removed" -f "$F" ./...
same "-a" -a -f "$F" ./...

echo "list_stale: $n cases, $fail failing"
((fail == 0))
