#!/usr/bin/env bash
# bench/test.sh: gotool test against go test on the same work, as ratios of medians
# (issue 7's goals: cached at most 0.3, cold at most 1.0):
#
#   cold     test ./... of tests/fixtures/testbench from empty caches (std compiled,
#            four test binaries linked and run)
#   cached   the same command again and again: every result is "(cached)"
#
#   bench/test.sh [RUNS]      (default 5 cold runs, 4x that many cached runs; medians)
#
# Both tools run go test's default vet step.  Each cold run starts from empty caches for
# both tools; runs alternate between the tools.  Timing is a bash loop ($EPOCHREALTIME).
#
# Environment: GOTOOL (default build/gotool), GO (default /usr/local/go/bin/go).
set -euo pipefail

ROOT=$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)
GOTOOL=${GOTOOL:-$ROOT/build/gotool}
GO=${GO:-/usr/local/go/bin/go}
RUNS=${1:-5}

[[ -x $GOTOOL ]] || { echo "bench: $GOTOOL not built (./setup.sh build builds it)" >&2; exit 1; }
[[ -x $GO ]] || { echo "bench: no go at $GO" >&2; exit 1; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RUNS]" >&2; exit 2; }
abs() { if [[ $1 == /* ]]; then printf '%s\n' "$1"; else printf '%s/%s\n' "$PWD" "$1"; fi; }
GOTOOL=$(abs "$GOTOOL")
GO=$(abs "$GO")

tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null || true; rm -rf "$tmp"' EXIT
for t in go gotool; do
	mkdir -p "$tmp/$t/tmp"
	cp -r "$ROOT/tests/fixtures/testbench" "$tmp/$t/src"
	# test inputs newer than 2 s are never cached: age the fixture
	find "$tmp/$t/src" -exec touch -d '1 hour ago' {} +
done
export GOFLAGS= GOPROXY=off GOTOOLCHAIN=local GOENV=off GOSUMDB=off GOWORK=off CGO_ENABLED=0
export GOPATH=$tmp/gopath GOMODCACHE=$tmp/gopath/pkg/mod
unset GODEBUG GOBIN GOFIPS140 GOOS GOARCH GOEXPERIMENT GO111MODULE GOAMD64

median() {
	sort -g "$1" | awk '{v[NR] = $1} END {
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
bin_of() { if [[ $1 == go ]]; then printf '%s\n' "$GO"; else printf '%s\n' "$GOTOOL"; fi; }

# run TOOL: one test ./... in the tool's copy with its own caches; prints its seconds.
run() {
	local t=$1 t0 t1
	t0=$EPOCHREALTIME
	if ! (cd "$tmp/$t/src" && GOCACHE=$tmp/$t/cache GOTOOLCACHE=$tmp/$t/tcache TMPDIR=$tmp/$t/tmp \
		"$(bin_of "$t")" test ./...) >"$tmp/$t.log" 2>&1; then
		echo "bench: $t test failed:" >&2
		head -n 20 "$tmp/$t.log" >&2
		exit 1
	fi
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }'
}

: >"$tmp/go.cold"
: >"$tmp/gotool.cold"
for ((i = 0; i < RUNS; i++)); do
	for t in go gotool; do
		rm -rf "$tmp/$t/cache" "$tmp/$t/tcache"
		run "$t" >>"$tmp/$t.cold"
	done
done
# the results must agree (timings masked)
for t in go gotool; do sed -E 's/\t[0-9.]+s$/\tT/; s/\(cached\)/T/' "$tmp/$t.log" >"$tmp/$t.lines"; done
if ! diff -q "$tmp/go.lines" "$tmp/gotool.lines" >/dev/null; then
	echo "bench: WARNING: package lines differ:"
	diff "$tmp/go.lines" "$tmp/gotool.lines" || true
fi
: >"$tmp/go.cached"
: >"$tmp/gotool.cached"
for ((i = 0; i < 4 * RUNS; i++)); do
	for t in go gotool; do run "$t" >>"$tmp/$t.cached"; done
done
for t in go gotool; do
	grep -q '(cached)' "$tmp/$t.log" || echo "bench: WARNING: $t's last run was not cached"
done

printf '%-8s %10s %10s %8s\n' case go gotool ratio
for c in cold cached; do
	g=$(median "$tmp/go.$c")
	m=$(median "$tmp/gotool.$c")
	awk -v c="$c" -v g="$g" -v m="$m" 'BEGIN { printf "%-8s %9.3fs %9.3fs %8.2f\n", c, g, m, m / g }'
done
