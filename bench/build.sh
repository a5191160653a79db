#!/usr/bin/env bash
# bench/build.sh: cold build time (empty GOCACHE) of `gotool build` against `go build`, with
# the same -p, as the ratio of the medians, for two builds:
#
#   cmd/gofmt      build -p P -o OUT/ cmd/gofmt       (outside any module)
#   fixture app    build -p P -o OUT/ ./cmd/...       (in tests/fixtures/build/app: several
#                  packages, assembly, generics, embeds, a replaced module)
#
#   bench/build.sh [RUNS]      (default 3 runs each; the cache is emptied before every run)
#
# Before timing, each build is done once by both tools with -trimpath -ldflags=-buildid= and
# the binaries are compared (a benchmark of a wrong answer means nothing); a difference is
# reported as a warning.  Uses hyperfine when installed, else a bash timing loop.
#
# Environment: GOTOOL (default build/gotool), GO (default /usr/local/go/bin/go), BENCH_P
# (default: the number of CPUs, go's default -p), BENCH_FLAGS (extra build flags for the timed
# runs, default none), BENCH_TOOL=bash to skip hyperfine.
set -euo pipefail

ROOT=$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)
GOTOOL=${GOTOOL:-$ROOT/build/gotool}
GO=${GO:-/usr/local/go/bin/go}
RUNS=${1:-3}
P=${BENCH_P:-$(nproc)}
read -r -a FLAGS <<<"${BENCH_FLAGS:-}"

[[ -x $GOTOOL ]] || { echo "bench: $GOTOOL not built (./setup.sh build builds it)" >&2; exit 1; }
[[ -x $GO ]] || { echo "bench: no go at $GO" >&2; exit 1; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RUNS]" >&2; exit 2; }
[[ $P =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_P must be a positive number" >&2; exit 2; }
abs() { if [[ $1 == /* ]]; then printf '%s\n' "$1"; else printf '%s/%s\n' "$PWD" "$1"; fi; }
GOTOOL=$(abs "$GOTOOL")
GO=$(abs "$GO")

tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null || true; rm -rf "$tmp"' EXIT
cp -r "$ROOT/tests/fixtures/build" "$tmp/src"
mkdir -p "$tmp/empty" "$tmp/tmpdir"

# Both tools see the same hermetic environment; GOCACHE is emptied before every run.
export GOFLAGS= GOPROXY=off GOTOOLCHAIN=local GOENV=off GOSUMDB=off GOWORK=off CGO_ENABLED=0
export GOCACHE=$tmp/cache GOTOOLCACHE=$tmp/cache/gotool GOPATH=$tmp/gopath GOMODCACHE=$tmp/gopath/pkg/mod TMPDIR=$tmp/tmpdir
unset GODEBUG GOBIN GOFIPS140 GOOS GOARCH GOEXPERIMENT GO111MODULE GOAMD64

# median FILE: the median of the numbers in FILE, one per line.
median() {
	sort -g "$1" | awk '{v[NR] = $1} END {
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench NAME DIR ARGS...: time `build -p P FLAGS -o OUT/ ARGS` cold in DIR with both tools.
bench() {
	local name=$1 dir=$2
	shift 2
	local out=$tmp/out t_gotool t_go bin tool i
	cd "$dir"
	# Correctness first (also the warm-up of the page cache).
	rm -rf "$GOCACHE" "$out"
	for tool in go gotool; do
		if [[ $tool == go ]]; then bin=$GO; else bin=$GOTOOL; fi
		rm -rf "$GOCACHE"
		if ! "$bin" build -p "$P" -trimpath -ldflags=-buildid= -o "$out/$tool/" "$@" >"$tmp/$tool.log" 2>&1; then
			echo "bench: $tool build $* failed:" >&2
			head -n 20 "$tmp/$tool.log" >&2
			exit 1
		fi
	done
	if diff -r -q "$out/go" "$out/gotool" >/dev/null; then
		echo "bench: $name: binaries identical ($(ls "$out/go" | tr '\n' ' '))"
	else
		echo "bench: $name: WARNING: gotool's binaries differ from go's:"
		diff -r -q "$out/go" "$out/gotool" || true
	fi
	local args=(build -p "$P" "${FLAGS[@]}" -o "$out/x/" "$@")
	if [[ ${BENCH_TOOL:-} != bash ]] && command -v hyperfine >/dev/null 2>&1; then
		hyperfine -N --runs "$RUNS" --prepare "rm -rf $GOCACHE" --export-json "$tmp/hf.json" \
			-n gotool "$GOTOOL ${args[*]}" -n go "$GO ${args[*]}"
		grep -E '"median"' "$tmp/hf.json" | sed -E 's/.*: *([0-9.eE+-]+).*/\1/' >"$tmp/medians"
		t_gotool=$(sed -n 1p "$tmp/medians")
		t_go=$(sed -n 2p "$tmp/medians")
	else
		echo "bench: $name: timing $RUNS cold runs each with a bash loop"
		for tool in gotool go; do
			if [[ $tool == go ]]; then bin=$GO; else bin=$GOTOOL; fi
			: >"$tmp/$tool.times"
			for ((i = 0; i < RUNS; i++)); do
				rm -rf "$GOCACHE"
				local t0=$EPOCHREALTIME
				"$bin" "${args[@]}" >/dev/null 2>&1 || { echo "bench: $tool ${args[*]} failed" >&2; exit 1; }
				awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.6f\n", b - a }' >>"$tmp/$tool.times"
			done
		done
		t_gotool=$(median "$tmp/gotool.times")
		t_go=$(median "$tmp/go.times")
	fi
	awk -v a="$t_gotool" -v b="$t_go" -v name="$name" -v p="$P" 'BEGIN {
		printf "cold build %s (-p %s): median gotool %.2f s, go %.2f s\n", name, p, a, b
		printf "ratio gotool/go: %.2f\n", a / b }'
}

# Outside any module, so cmd/gofmt is the only main module-free build.
bench "cmd/gofmt" "$tmp/empty" cmd/gofmt
bench "fixture app ./cmd/..." "$tmp/src/app" ./cmd/...
