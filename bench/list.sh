#!/usr/bin/env bash
# bench/list.sh: time `gotool list -deps std cmd` against `go list -deps std cmd` and print
# the ratio of the medians.  Uses hyperfine when installed, else a bash timing loop.
#
#   bench/list.sh [RUNS]      (default 10 runs each, after one warm-up run each)
#
# Environment: GOTOOL (default build/gotool), GO (default /usr/local/go/bin/go),
# BENCH_ARGS (default "list -deps std cmd"), BENCH_TOOL=bash to skip hyperfine.
set -euo pipefail

ROOT=$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)
GOTOOL=${GOTOOL:-$ROOT/build/gotool}
GO=${GO:-/usr/local/go/bin/go}
RUNS=${1:-10}
read -r -a ARGS <<<"${BENCH_ARGS:-list -deps std cmd}"

[[ -x $GOTOOL ]] || { echo "bench: $GOTOOL not built (./setup.sh example builds it)" >&2; exit 1; }
[[ -x $GO ]] || { echo "bench: no go at $GO" >&2; exit 1; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RUNS]" >&2; exit 2; }
# Absolute paths: the runs happen in a scratch directory.
abs() { if [[ $1 == /* ]]; then printf '%s\n' "$1"; else printf '%s/%s\n' "$PWD" "$1"; fi; }
GOTOOL=$(abs "$GOTOOL")
GO=$(abs "$GO")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Outside any module, so both list the standard library and commands only.
cd "$tmp"

# A benchmark of a wrong answer means nothing: compare the outputs first (this is also
# the warm-up run, filling go's module index cache).
"$GO" "${ARGS[@]}" >go.out 2>&1 || { echo "bench: go ${ARGS[*]} failed:" >&2; cat go.out >&2; exit 1; }
"$GOTOOL" "${ARGS[@]}" >gotool.out 2>&1 || {
	echo "bench: gotool ${ARGS[*]} failed:" >&2
	head -n 20 gotool.out >&2
	exit 1
}
if cmp -s go.out gotool.out; then
	echo "bench: outputs identical ($(wc -l <go.out) lines)"
else
	echo "bench: WARNING: gotool's output differs from go's; first differences:"
	diff go.out gotool.out | head -n 10 || true
fi

# median FILE: the median of the numbers in FILE, one per line.
median() {
	sort -g "$1" | awk '{v[NR] = $1} END {
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

if [[ ${BENCH_TOOL:-} != bash ]] && command -v hyperfine >/dev/null 2>&1; then
	hyperfine -N --warmup 1 --runs "$RUNS" --export-json hf.json \
		-n gotool "$GOTOOL ${ARGS[*]}" -n go "$GO ${ARGS[*]}"
	# The two results in order; each has one "median" field.
	grep -E '"median"' hf.json | sed -E 's/.*: *([0-9.eE+-]+).*/\1/' >medians
	t_gotool=$(sed -n 1p medians)
	t_go=$(sed -n 2p medians)
else
	echo "bench: timing $RUNS runs each with a bash loop (no hyperfine)"
	for name in gotool go; do
		if [[ $name == gotool ]]; then bin=$GOTOOL; else bin=$GO; fi
		: >"$name.times"
		for ((i = 0; i < RUNS; i++)); do
			t0=$EPOCHREALTIME
			"$bin" "${ARGS[@]}" >/dev/null 2>&1
			t1=$EPOCHREALTIME
			awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$name.times"
		done
	done
	t_gotool=$(median gotool.times)
	t_go=$(median go.times)
fi

awk -v a="$t_gotool" -v b="$t_go" -v args="${ARGS[*]}" 'BEGIN {
	printf "median: gotool %.1f ms, go %.1f ms (%s)\n", a * 1000, b * 1000, args
	printf "ratio gotool/go: %.2f\n", a / b }'
