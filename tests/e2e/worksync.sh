#!/usr/bin/env bash
# go work sync, gotool against the real go (go1.26), on workspaces and a
# module world served from a file:// GOPROXY (tests/fixtures/worksync/mkproxy.py):
#
#   ws    m1 (go 1.21) requires a and d below m2's versions: raised, and
#         d v1.1.0 brings e as a new indirect requirement
#   ws16  an unpruned (go 1.16) module beside a pruned one (its test
#         imports d: "all" has the tests of the workspace packages)
#   wsgo  c v1.1.0 needs go 1.23.0: m1's go line follows; go.work has a
#         use without ./, a comment and a replace
#   wsok  already in sync: nothing written
#   wsempty  a go.work without modules
#
# plus go's errors outside a workspace and with GOWORK=off.  Each case runs
# both tools on fresh copies, each with its own empty module cache, and
# compares stdout, stderr, exit status, every file of the workspace byte for
# byte and the module cache's file list.
# Env: GOTOOL, TESTS, GO (default /usr/local/go/bin/go); WORKSYNC_KEEP=1
# keeps the temp dir.
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
TESTS=${TESTS:-$(cd "$(dirname "$0")/.." && pwd)}
if [[ ! -x ${GOTOOL:-} ]]; then
	echo "worksync.sh: GOTOOL not set to a built gotool" >&2
	exit 1
fi

tmp=$(mktemp -d)
cleanup() { chmod -R u+rwx "$tmp" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
if [[ -n ${WORKSYNC_KEEP:-} ]]; then
	trap - EXIT
	echo "worksync: temp dir $tmp"
fi

python3 "$TESTS/fixtures/worksync/mkproxy.py" "$tmp/fix"
export GOPROXY=file://$tmp/fix/proxy GOTOOLCHAIN=local GOENV=off GOSUMDB=off GONOSUMDB= GOFLAGS= CGO_ENABLED=0
export GOPATH=$tmp/gopath GOTOOLCACHE=$tmp/gtcache
unset GOWORK GODEBUG GOBIN GOFIPS140 GOOS GOARCH GOEXPERIMENT GO111MODULE GOPRIVATE GONOPROXY
export GOCACHE=${GOTOOL_E2E_GOCACHE:-$tmp/gocache}
mkdir -p "$GOCACHE"

# the modules' go.sum files, as go mod tidy writes them (one shared cache)
for ws in ws ws16 wsgo wsok wsempty; do
	cp -r "$tmp/fix/$ws" "$tmp/sum-$ws"
	for m in "$tmp/sum-$ws"/*/; do
		(cd "$m" && GOWORK=off GOMODCACHE=$tmp/fillcache "$GO" mod tidy) >/dev/null 2>&1 || true
	done
done

fails=0
ncases=0
# check WS SUMS DIR [ENV...]: work sync run in WS/DIR (WS "none": an empty
# directory), the modules' go.sum files in place when SUMS is "sums".
check() {
	local ws=$1 sums=$2 dir=$3
	shift 3
	local what="$ws $sums $dir $*"
	ncases=$((ncases + 1))
	local o=$tmp/out
	chmod -R u+rwx "$o" 2>/dev/null || true
	rm -rf "$o"
	mkdir -p "$o"
	local d
	for d in g t; do
		if [[ $ws == none ]]; then
			mkdir -p "$o/$d/$dir"
		else
			cp -r "$tmp/fix/$ws" "$o/$d"
			if [[ $sums == sums ]]; then
				(cd "$tmp/sum-$ws" && find . -name go.sum -exec cp {} "$o/$d/{}" \;)
			fi
		fi
	done
	local grc=0 trc=0
	(cd "$o/g/$dir" && env GOMODCACHE="$o/mcg" "$@" "$GO" work sync >"$o/go.out" 2>"$o/go.err") || grc=$?
	(cd "$o/t/$dir" && env GOMODCACHE="$o/mct" "$@" "$GOTOOL" work sync >"$o/gt.out" 2>"$o/gt.err") || trc=$?
	sed -i "s#$o/mcg#\$GOMODCACHE#g; s#$o/g#\$WORK#g" "$o/go.err"
	sed -i "s#$o/mct#\$GOMODCACHE#g; s#$o/t#\$WORK#g; s/^gotool: /go: /; s/'gotool work init'/'go work init'/" "$o/gt.err"
	# go's parallel loads print "go: downloading" lines in any order
	LC_ALL=C sort -o "$o/go.err" "$o/go.err"
	LC_ALL=C sort -o "$o/gt.err" "$o/gt.err"
	local bad=
	if ! cmp -s "$o/go.out" "$o/gt.out"; then
		echo "--- stdout differs: ($what)"
		diff -u "$o/go.out" "$o/gt.out" | head -40 || true
		bad=1
	fi
	if ! cmp -s "$o/go.err" "$o/gt.err"; then
		echo "--- stderr differs: ($what)"
		diff -u "$o/go.err" "$o/gt.err" | head -40 || true
		bad=1
	fi
	if [[ $grc != "$trc" ]]; then
		echo "--- exit code differs: ($what): go $grc, gotool $trc"
		bad=1
	fi
	if ! diff <(cd "$o/g" && find . | LC_ALL=C sort) <(cd "$o/t" && find . | LC_ALL=C sort) >"$o/tree.diff"; then
		echo "--- workspace files differ: ($what)"
		head -20 "$o/tree.diff"
		bad=1
	fi
	local f
	while IFS= read -r f; do
		if [[ -f $o/t/$f ]] && ! cmp -s "$o/g/$f" "$o/t/$f"; then
			echo "--- $f differs: ($what)"
			diff -u "$o/g/$f" "$o/t/$f" | head -40 || true
			bad=1
		fi
	done < <(cd "$o/g" && find . -type f)
	if ! diff <(cd "$o/mcg" 2>/dev/null && find . | LC_ALL=C sort) <(cd "$o/mct" 2>/dev/null && find . | LC_ALL=C sort) >"$o/mc.diff"; then
		echo "--- module caches differ: ($what)"
		head -20 "$o/mc.diff"
		bad=1
	fi
	if [[ -n ${WORKSYNC_V:-} ]]; then
		echo "=== $what: exit $grc"; cat "$o/go.err"
		(cd "$o/g" && for f in $(find . -name 'go.*' | sort); do
			cmp -s "$f" "$tmp/fix/$ws/$f" 2>/dev/null || echo "changed: $f"; done)
	fi
	[[ -n $bad ]] && fails=$((fails + 1))
	return 0
}

check ws nosums .
check ws sums .
check ws sums m1
check ws16 sums .
check ws16 nosums old
check wsgo sums .
check wsok sums .
check wsempty - .
check none - .
check ws sums m1 GOWORK=off

echo "worksync: $ncases cases, $fails failed"
[[ $fails == 0 ]]
