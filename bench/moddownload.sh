#!/usr/bin/env bash
# bench/moddownload.sh: cold `gotool mod download` against cold `go mod download` of one
# module set, both from the same local proxy on 127.0.0.1, each into an empty module cache;
# prints the ratio of the medians (goal: at most 0.5).
#
#   bench/moddownload.sh [RUNS]      (default 5 runs each)
#
# The module set is a small program's go.mod needing popular public modules (cobra,
# testify, x/text, uuid, yaml, ...).  The first run fills a seed module cache from
# GOPROXY (default https://proxy.golang.org: the network is used once, for the seed); its
# cache/download tree is then served by python3's http.server as the local proxy, so
# nothing else leaves the machine.  GOSUMDB=off for the timed runs (go.sum is given).
#
# Environment: GOTOOL (default build/gotool), GO (default /usr/local/go/bin/go),
# BENCH_SEED (a seed module cache to reuse), GOPROXY (for the seed).
set -euo pipefail

ROOT=$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)
GOTOOL=${GOTOOL:-$ROOT/build/gotool}
GO=${GO:-/usr/local/go/bin/go}
RUNS=${1:-5}
[[ -x $GOTOOL ]] || { echo "bench: $GOTOOL not built (./setup.sh example builds it)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RUNS]" >&2; exit 2; }
abs() { if [[ $1 == /* ]]; then printf '%s\n' "$1"; else printf '%s/%s\n' "$PWD" "$1"; fi; }
GOTOOL=$(abs "$GOTOOL")

tmp=$(mktemp -d)
server=
cleanup() {
	[[ -n $server ]] && kill "$server" 2>/dev/null || true
	chmod -R u+w "$tmp" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
export GOFLAGS=-mod=mod GOTOOLCHAIN=local GOENV=off GOWORK=off GONOSUMDB= GOPRIVATE= GONOPROXY=
export GOPATH=$tmp/gopath GOCACHE=$tmp/gocache

mkdir -p "$tmp/m"
cat >"$tmp/m/go.mod" <<'EOF'
module example.com/benchdl

go 1.22

require (
	github.com/google/uuid v1.6.0
	github.com/spf13/cobra v1.8.0
	github.com/stretchr/testify v1.9.0
	golang.org/x/text v0.14.0
	gopkg.in/yaml.v3 v3.0.1
	github.com/pkg/errors v0.9.1
	github.com/sirupsen/logrus v1.9.3
	golang.org/x/sync v0.6.0
)
EOF
printf 'package main\n\nfunc main() {}\n' >"$tmp/m/main.go"

seed=${BENCH_SEED:-$tmp/seed}
if [[ ! -d $seed/cache/download ]]; then
	echo "bench: filling the seed module cache from ${GOPROXY:-https://proxy.golang.org}"
	(cd "$tmp/m" && GOMODCACHE=$seed GOPROXY=${GOPROXY:-https://proxy.golang.org} GOSUMDB=${GOSUMDB:-sum.golang.org} \
		"$GO" mod download all) >/dev/null
	(cd "$tmp/m" && GOMODCACHE=$seed GOPROXY=off "$GO" mod download -json all) >/dev/null
fi
# the timed runs start from the go.sum go writes for the set (from the seed)
rm -f "$tmp/m/go.sum"
(cd "$tmp/m" && GOMODCACHE=$tmp/sumcache GOPROXY=file://$seed/cache/download GOSUMDB=off "$GO" mod download all) >/dev/null
[[ -s $tmp/m/go.sum ]] || { echo "bench: no go.sum for the module set" >&2; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$seed/cache/download" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do
	curl -sf "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
	sleep 0.1
done
export GOPROXY=http://127.0.0.1:$port GOSUMDB=off

# One run of TOOL into an empty module cache; prints its seconds and its peak RSS (KiB).
# Every run gets a new directory and nothing is removed until the end: ext4 passes over
# inodes freed in the last minute or so when it allocates new ones (recently_deleted), so
# with the previous run's 3180 files removed just before, each create scanned past them
# and the kernel's scan, the same for both tools, was most of what got timed.
n=0
run() {
	local mc=$tmp/mc-$1-$((n += 1)) t0 t1
	t0=$(date +%s.%N)
	(cd "$tmp/m" && GOMODCACHE=$mc /usr/bin/time -f %M -o "$tmp/$1.rss" "$2" mod download all) >"$tmp/$1.out" 2>&1 ||
		{ echo "bench: $1 mod download failed:" >&2; head -20 "$tmp/$1.out" >&2; exit 1; }
	t1=$(date +%s.%N)
	echo "$(echo "$t1 - $t0" | bc) $(tail -1 "$tmp/$1.rss")"
	last=$mc
}

# The same files in both caches first (a benchmark of a wrong answer means nothing).
run go "$GO" >/dev/null
mc_go=$last
run gotool "$GOTOOL" >/dev/null
mc_gotool=$last
if diff -r -x sumdb "$mc_go" "$mc_gotool" >"$tmp/diff"; then
	echo "bench: module caches hold the same files ($(cd "$mc_go" && find . -type f | wc -l) files, same bytes)"
else
	echo "bench: WARNING: the module caches differ:"
	head -10 "$tmp/diff"
fi

median() {
	sort -g "$1" | awk '{v[NR] = $1} END {
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
: >"$tmp/t-go"
: >"$tmp/t-gotool"
for ((i = 0; i < RUNS; i++)); do
	run go "$GO" >>"$tmp/t-go"
	run gotool "$GOTOOL" >>"$tmp/t-gotool"
done
t_go=$(median "$tmp/t-go")
t_gotool=$(median "$tmp/t-gotool")
m_go=$(awk '{print $2}' "$tmp/t-go" >"$tmp/m-go" && median "$tmp/m-go")
m_gotool=$(awk '{print $2}' "$tmp/t-gotool" >"$tmp/m-gotool" && median "$tmp/m-gotool")
printf 'cold mod download all (%d runs each, medians): gotool %.3f s, go %.3f s, ratio %.2f (goal <= 0.5)\n' \
	"$RUNS" "$t_gotool" "$t_go" "$(echo "$t_gotool / $t_go" | bc -l)"
printf 'peak RSS (medians): gotool %d KiB, go %d KiB, ratio %.2f\n' \
	"$m_gotool" "$m_go" "$(echo "$m_gotool / $m_go" | bc -l)"
