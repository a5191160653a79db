#!/usr/bin/env bash
# bench/cache.sh: what the build cache buys, gotool against go on the same work, as ratios
# of medians (issue 4's goals: no-op at most 0.2, incremental at most 0.5, cache bytes at
# most 1.05):
#
#   no-op fixture     build -o OUT/ ./cmd/...  in tests/fixtures/build/app, caches and OUT warm
#   no-op gofmt       build -o OUT/ cmd/gofmt  (outside any module)
#   no-op five cmds   build -o OUT/ cmd/gofmt cmd/nm cmd/addr2line cmd/buildid cmd/pack
#   incremental       the fixture again after a new comment line at the end of a leaf
#                     package (greet): that package recompiles, the rest hits the cache
#   cache bytes       du of GOCACHE (go) and GOTOOLCACHE (gotool) after cold builds of all
#                     of the above from empty caches
#
#   bench/cache.sh [RUNS]      (default 10 timed runs of each; medians)
#
# Before timing, the cold builds are also compared: each tool's outputs in OUT must be the
# same bytes (with -trimpath -ldflags=-buildid= for the check only), else it is a warning.
# Timing is a bash loop ($EPOCHREALTIME), so no extra tool is needed.
#
# Environment: GOTOOL (default build/gotool), GO (default /usr/local/go/bin/go).
set -euo pipefail

ROOT=$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)
GOTOOL=${GOTOOL:-$ROOT/build/gotool}
GO=${GO:-/usr/local/go/bin/go}
RUNS=${1:-10}

[[ -x $GOTOOL ]] || { echo "bench: $GOTOOL not built (./setup.sh build builds it)" >&2; exit 1; }
[[ -x $GO ]] || { echo "bench: no go at $GO" >&2; exit 1; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RUNS]" >&2; exit 2; }
abs() { if [[ $1 == /* ]]; then printf '%s\n' "$1"; else printf '%s/%s\n' "$PWD" "$1"; fi; }
GOTOOL=$(abs "$GOTOOL")
GO=$(abs "$GO")

tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null || true; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/empty" "$tmp/tmpdir" "$tmp/go" "$tmp/gotool"
for t in go gotool; do cp -r "$ROOT/tests/fixtures/build" "$tmp/$t/src"; done

# Each tool has its own cache (measured by bytes) and its own copy of the fixture.
export GOFLAGS= GOPROXY=off GOTOOLCHAIN=local GOENV=off GOSUMDB=off GOWORK=off CGO_ENABLED=0
export GOCACHE=$tmp/go/cache GOTOOLCACHE=$tmp/gotool/cache GOPATH=$tmp/gopath
export GOMODCACHE=$tmp/gopath/pkg/mod TMPDIR=$tmp/tmpdir
unset GODEBUG GOBIN GOFIPS140 GOOS GOARCH GOEXPERIMENT GO111MODULE GOAMD64

FIVE=(cmd/gofmt cmd/nm cmd/addr2line cmd/buildid cmd/pack)

median() {
	sort -g "$1" | awk '{v[NR] = $1} END {
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

bin_of() { if [[ $1 == go ]]; then printf '%s\n' "$GO"; else printf '%s\n' "$GOTOOL"; fi; }

# run TOOL DIR ARGS...: one build, quiet; its failure ends the benchmark.
run() {
	local t=$1 dir=$2
	shift 2
	if ! (cd "$dir" && "$(bin_of "$t")" "$@") >"$tmp/$t.log" 2>&1; then
		echo "bench: $t $* (in $dir) failed:" >&2
		head -n 20 "$tmp/$t.log" >&2
		exit 1
	fi
}

# The five no-op setups, per tool: NAME DIR ARGS.
fixture_dir() { printf '%s\n' "$tmp/$1/src/app"; }

# Correctness first: with the reproducible flags both tools must write the same bytes.
for t in go gotool; do
	run "$t" "$(fixture_dir "$t")" build -trimpath -ldflags=-buildid= -o "$tmp/$t/check/" ./cmd/...
	run "$t" "$tmp/empty" build -trimpath -ldflags=-buildid= -o "$tmp/$t/check/" "${FIVE[@]}"
done
if diff -r -q "$tmp/go/check" "$tmp/gotool/check" >/dev/null; then
	echo "bench: outputs identical ($(ls "$tmp/go/check" | tr '\n' ' '))"
else
	echo "bench: WARNING: gotool's outputs differ from go's:"
	diff -r -q "$tmp/go/check" "$tmp/gotool/check" || true
fi

# Cold builds from empty caches: the work whose cache bytes are compared, and the warm-up
# of the no-op runs below.
for t in go gotool; do
	rm -rf "$tmp/$t/cache" "$tmp/$t/check"
	run "$t" "$(fixture_dir "$t")" build -o "$tmp/$t/out/fixture/" ./cmd/...
	run "$t" "$tmp/empty" build -o "$tmp/$t/out/gofmt/" cmd/gofmt
	run "$t" "$tmp/empty" build -o "$tmp/$t/out/five/" "${FIVE[@]}"
done
bytes_go=$(du -sb "$tmp/go/cache" | cut -f1)
bytes_gotool=$(du -sb "$tmp/gotool/cache" | cut -f1)

# time1 NAME TOOL DIR ARGS...: one timed run appended to $tmp/NAME.TOOL.times.  The timed
# span is the one fork and exec of the tool from this shell (no subshell, no command
# substitution).
time1() {
	local name=$1 t=$2 dir=$3 t0 t1 bin
	shift 3
	bin=$(bin_of "$t")
	[[ $name != incremental ]] || printf '// edit %s\n' "$t" >>"$(fixture_dir "$t")/greet/greet.go"
	pushd "$dir" >/dev/null
	t0=$EPOCHREALTIME
	if ! "$bin" "$@" >"$tmp/$t.log" 2>&1; then
		echo "bench: $t $* (in $dir) failed:" >&2
		head -n 20 "$tmp/$t.log" >&2
		exit 1
	fi
	t1=$EPOCHREALTIME
	popd >/dev/null
	printf '%s %s\n' "$t0" "$t1" | awk '{ printf "%.6f\n", $2 - $1 }' >>"$tmp/$name.$t.times"
}

# report NAME LABEL: the medians and their ratio
report() {
	local a b
	a=$(median "$tmp/$1.gotool.times")
	b=$(median "$tmp/$1.go.times")
	awk -v a="$a" -v b="$b" -v l="$2" 'BEGIN {
		printf "%-32s median gotool %7.1f ms, go %7.1f ms, ratio %.2f\n", l, a * 1000, b * 1000, a / b }'
}

[[ -f $tmp/go/src/app/greet/greet.go ]] || { echo "bench: fixture has no greet/greet.go" >&2; exit 1; }
empty_dir() { printf '%s\n' "$tmp/empty"; }
outdir() { printf '%s\n' "$tmp/$1/out/$2/"; }
# timeit_o NAME DIRFN OUT ARGS...: RUNS runs of `build -o OUTDIR/ ARGS` by each tool, go
# and gotool taking turns so that a change in the machine's load falls on both (DIRFN TOOL
# prints the directory to run in; OUTDIR is the tool's own out/OUT).
timeit_o() {
	local name=$1 dirfn=$2 out=$3 i t
	shift 3
	: >"$tmp/$name.go.times"
	: >"$tmp/$name.gotool.times"
	for ((i = 0; i < RUNS; i++)); do
		for t in go gotool; do
			time1 "$name" "$t" "$("$dirfn" "$t")" build -o "$(outdir "$t" "$out")" "$@"
		done
	done
}
timeit_o noop-fixture fixture_dir fixture ./cmd/...
timeit_o noop-gofmt empty_dir gofmt cmd/gofmt
timeit_o noop-five empty_dir five "${FIVE[@]}"
timeit_o incremental fixture_dir fixture ./cmd/...

echo "bench: $RUNS runs each, $(nproc) CPUs"
report noop-fixture "no-op fixture ./cmd/..."
report noop-gofmt "no-op cmd/gofmt"
report noop-five "no-op five commands -o dir/"
report incremental "comment in a leaf package"
awk -v a="$bytes_gotool" -v b="$bytes_go" 'BEGIN {
	printf "%-32s gotool %.1f MiB, go %.1f MiB, ratio %.2f\n", "cache bytes (cold builds)", a / 1048576, b / 1048576, a / b }'
