#!/usr/bin/env bash
# e2e/cache_builds: whole gotool builds sharing one cache (tests/e2e/cache.sh does the same
# for the cache library alone):
#  1. three builds of overlapping graphs start at once on an empty cache: all succeed,
#     their binaries are go's bytes, and `cache verify` is clean;
#  2. a cold build SIGKILLed at a random moment, six times (each kill after a different
#     delay, so it lands in compiles, cache puts and links alike); then a build succeeds,
#     its binaries are go's bytes, `cache verify` is clean, and a no-op build runs no tool.
# The module needs only the runtime (and one std package), so a cold build is short.
#
# Env: GOTOOL, GO (default /usr/local/go/bin/go).
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
GOTOOL=${GOTOOL:?GOTOOL must name the gotool binary}
[[ $GOTOOL == /* ]] || GOTOOL=$PWD/$GOTOOL

T=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	chmod -R u+rwx "$T" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT
export GOFLAGS= GOPROXY=off GOWORK=off GOTOOLCHAIN=local GOENV=off GOSUMDB=off CGO_ENABLED=0
export GOPATH=$T/gopath TMPDIR=$T/tmp GOCACHE=$T/gocache GOTOOLCACHE=$T/gtcache
unset GODEBUG GOEXPERIMENT GOARCH GOOS GOARM GOAMD64 GOFIPS140 GOBIN GO111MODULE GOTOOLCACHESIZE
mkdir -p "$T/tmp" "$T/m/a" "$T/m/b" "$T/m/cmd/one" "$T/m/cmd/two" "$T/m/cmd/three"
printf 'module example.com/m\n\ngo 1.22\n' >"$T/m/go.mod"
printf 'package a\n\nimport "errors"\n\nvar E = errors.New("a")\n\nfunc N() int { return 1 }\n' >"$T/m/a/a.go"
printf 'package b\n\nimport "example.com/m/a"\n\nfunc M() int { return a.N() + 1 }\n' >"$T/m/b/b.go"
printf 'package main\n\nimport "example.com/m/a"\n\nfunc main() { println(a.N(), a.E.Error()) }\n' >"$T/m/cmd/one/main.go"
printf 'package main\n\nimport "example.com/m/b"\n\nfunc main() { println(b.M()) }\n' >"$T/m/cmd/two/main.go"
printf 'package main\n\nimport (\n\t"example.com/m/a"\n\t"example.com/m/b"\n)\n\nfunc main() { println(a.N() + b.M()) }\n' >"$T/m/cmd/three/main.go"
cd "$T/m"

FLAGS=(-trimpath -ldflags=-buildid=)
# go's binaries do not depend on its cache: the shared one when setup.sh gives it
GOCACHE=${GOTOOL_E2E_GOCACHE:-$GOCACHE} "$GO" build "${FLAGS[@]}" -o "$T/go/" ./cmd/...
fail=0

# same_as_go DIR LABEL: DIR holds go's binaries, byte for byte
same_as_go() {
	local f
	for f in one two three; do
		if ! cmp -s "$T/go/$f" "$1/$f"; then
			echo "FAIL: $2: $f differs from go's (or is missing)"
			fail=1
		fi
	done
}
verify() {
	if ! "$GOTOOL" cache verify >"$T/verify.out" 2>&1; then
		echo "FAIL: $1: cache verify:"
		cat "$T/verify.out"
		fail=1
	fi
}

# 1. Three builds at once, each of a different (overlapping) set of commands.
sets=("./cmd/one ./cmd/two" "./cmd/two ./cmd/three" "./cmd/...")
for i in 0 1 2; do
	# shellcheck disable=SC2086
	"$GOTOOL" build "${FLAGS[@]}" -o "$T/c$i/" ${sets[$i]} >"$T/c$i.log" 2>&1 &
	pids+=($!)
done
for i in 0 1 2; do
	if ! wait "${pids[$i]}"; then
		echo "FAIL: concurrent build $i (${sets[$i]}) failed:"
		cat "$T/c$i.log"
		fail=1
	fi
done
pids=()
for f in one two; do cmp -s "$T/go/$f" "$T/c0/$f" || { echo "FAIL: concurrent build 0: $f"; fail=1; }; done
for f in two three; do cmp -s "$T/go/$f" "$T/c1/$f" || { echo "FAIL: concurrent build 1: $f"; fail=1; }; done
same_as_go "$T/c2" "concurrent build 2"
verify "after three concurrent builds"
echo "ok   three concurrent builds on one cache"

# 2. SIGKILL at random moments of cold builds.
"$GOTOOL" clean -cache
delays=(0.3 0.8 1.5 2.5 4 6)
for d in "${delays[@]}"; do
	# a fresh edit each round makes the module's packages miss again
	printf '// round %s\n' "$d" >>a/a.go
	"$GOTOOL" build "${FLAGS[@]}" -o "$T/k/" ./cmd/... >/dev/null 2>&1 &
	p=$!
	pids=("$p")
	sleep "$(awk -v d="$d" -v r="$RANDOM" 'BEGIN { printf "%.2f", d * (0.5 + r / 32768) }')"
	kill -9 "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
	pids=()
	verify "after a SIGKILL ${d}s into a build"
done
# The compilers a killed gotool started may still be running: let them end.
sleep 2
"$GOTOOL" build "${FLAGS[@]}" -o "$T/k/" ./cmd/... || { echo "FAIL: build after the kills"; fail=1; }
# The comments changed no code: the binaries are still go's.
same_as_go "$T/k" "rebuild after the kills"
verify "after the rebuild"
"$GOTOOL" build -x "${FLAGS[@]}" -o "$T/k/" ./cmd/... 2>"$T/x.log"
if grep -qE '/pkg/tool/[^ ]*/(compile|asm|link) ' "$T/x.log"; then
	echo "FAIL: a no-op build after the kills ran tools"
	fail=1
fi
echo "ok   ${#delays[@]} SIGKILLs, then a correct rebuild and a clean verify"

((fail == 0)) && echo "cache_builds: ok"
exit $fail
