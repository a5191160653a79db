#!/usr/bin/env bash
# The whole plan of a build, as `build -n` prints it, compared with the real
# go's on an empty build cache: every action in go's order (-n runs one at a
# time), every compile/asm/link command line with its action-id-derived
# -buildid, importcfg/embedcfg contents and the install steps.  Nothing is
# compiled, so it covers many targets and flag sets cheaply.
#
# Env: GOTOOL, SRC; GO (default /usr/local/go/bin/go); PLAN_TARGETS narrows
# the target list (and skips the dist list pass), as an ASan build of gotool
# does by itself; BUILD_PLAN_FULL=1 adds the dist list pass (every target).
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GOFLAGS= GOPROXY=off GOWORK=off GOTOOLCHAIN=local GOENV=off CGO_ENABLED=0
export GOPATH=$tmp/gopath
# gotool's cache starts (and, since -n stores nothing, stays) empty, like go's
export GOTOOLCACHE=$tmp/gotoolcache
unset GODEBUG GOEXPERIMENT GOARCH GOOS GOARM GOAMD64 GOFIPS140 GOBIN
fix=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/fixtures/build

targets=${PLAN_TARGETS:-"linux/amd64 linux/arm64 linux/386 linux/arm darwin/arm64 windows/amd64 js/wasm"}
# The ASan+UBSan build of gotool is several times slower; the planner's
# memory errors show on any target, so it plans two and skips the dist list
# (keeping CI under 30 minutes on two CPUs).
asan=
if [[ -z ${PLAN_TARGETS:-} ]] && grep -qa __asan_init "$GOTOOL"; then
	targets="linux/amd64 windows/amd64"
	asan=1
	echo "build_plan: ASan build of gotool: $targets, no dist list"
fi
fail=0
n=0
go_root() { "$GO" env GOROOT; }

# plan DIR ARGS...: compare `build -n ARGS` run in DIR.
plan() {
	local dir=$1
	shift
	n=$((n + 1))
	rm -rf "$tmp/gc"
	(cd "$dir" && GOCACHE=$tmp/gc "$GO" build -n "$@") >"$tmp/want" 2>&1 || echo "exit $?" >>"$tmp/want"
	(cd "$dir" && "$GOTOOL" build -n "$@") >"$tmp/got" 2>&1 || echo "exit $?" >>"$tmp/got"
	if ! cmp -s "$tmp/want" "$tmp/got"; then
		echo "FAIL: GOOS=$GOOS GOARCH=$GOARCH (in $dir) build -n $*"
		diff "$tmp/want" "$tmp/got" | head -20
		fail=1
	fi
}

for t in $targets; do
	export GOOS=${t%/*} GOARCH=${t#*/}
	plan "$tmp" -o out cmd/gofmt
	plan "$tmp" -trimpath -o "$tmp/od/" cmd/gofmt cmd/vet
	plan "$tmp" -ldflags="-s -w -X 'main.v=a b'" -gcflags=all=-N\ -l -o out cmd/gofmt
	if [[ -d $fix/app ]]; then
		plan "$fix/app" -o "$tmp/od/" ./...
		plan "$fix/app" -trimpath -tags feature -o "$tmp/od/" ./...
	fi
	if [[ -d $fix/ws ]]; then
		GOWORK= plan "$fix/ws" -o "$tmp/od/" ./...
	fi
done
# every target go knows (dist list), cmd/gofmt with CGO_ENABLED=0: android
# and ios included, where go itself refuses or links differently.
# BUILD_PLAN_FULL=1 only (CI time): the targets above cover every GOOS family
# gotool plans differently (ELF, Mach-O, PE, wasm) with all the flag sets.
if [[ -z ${PLAN_TARGETS:-} && -z $asan && -n ${BUILD_PLAN_FULL:-} ]]; then
	for t in $("$GO" tool dist list); do
		export GOOS=${t%/*} GOARCH=${t#*/}
		plan "$tmp" -o out cmd/gofmt
	done
fi
unset GOOS GOARCH
# build modes, -a, -p 1 and a std package set
plan "$tmp" -buildmode=pie -o out cmd/gofmt
plan "$tmp" -buildmode=exe -asmflags=all=-D=X -o out cmd/gofmt
plan "$tmp" -a -p 1 -o out cmd/gofmt
plan "$tmp" std
# PGO: default.pgo of a main package (cmd/compile has one), forks for
# several mains, and a profile named with -pgo
plan "$tmp" -o out cmd/compile
plan "$tmp" -o "$tmp/od/" cmd/compile cmd/gofmt
plan "$tmp" -pgo="$(go_root)/src/cmd/compile/default.pgo" -trimpath -o out cmd/gofmt

echo "build_plan: $n plans compared"
exit $fail
