#!/usr/bin/env bash
# go work vendor, gotool against the real go (go1.26), on workspaces and a
# module world served from a file:// GOPROXY (tests/fixtures/workvendor/mkproxy.py):
#
#   ws      m1 and m2 require a and d at different versions (the workspace
#           selects the higher ones, modules.txt has an explicit line for
#           every requirement of both), go.work replaces c by a directory,
#           m2's go.mod replaces a module nobody requires, f embeds a file
#           and has license files (its test and testdata are left out)
#   wsrep   ws with a go.mod replacement of a required version by a
#           directory and a go.work replacement by another version
#   wsnogo  ws with a go.work without a go line, older than its modules
#   wsmiss  m3 imports a package no module provides: an error, or with -e
#           a vendor directory without it
#   wsempty a go.work without modules: nothing to vendor
#
# run from the workspace and from a module directory, with -v, -o, an
# argument, and without a go.work.  Each case runs both tools on fresh
# copies, each with its own empty module cache, and compares stdout,
# stderr, exit status and every file of the workspace (vendor/ and the
# unchanged go.work, go.mod and go.sum files) byte for byte; then, where
# vendoring succeeded, a build -mod=vendor of the workspace's packages by
# each tool in its own copy (exit status and output).
# Env: GOTOOL, TESTS, GO (default /usr/local/go/bin/go); WORKVENDOR_KEEP=1
# keeps the temp dir.
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
TESTS=${TESTS:-$(cd "$(dirname "$0")/.." && pwd)}
if [[ ! -x ${GOTOOL:-} ]]; then
	echo "workvendor.sh: GOTOOL not set to a built gotool" >&2
	exit 1
fi

tmp=$(mktemp -d)
cleanup() { chmod -R u+rwx "$tmp" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
if [[ -n ${WORKVENDOR_KEEP:-} ]]; then
	trap - EXIT
	echo "workvendor: temp dir $tmp"
fi

python3 "$TESTS/fixtures/workvendor/mkproxy.py" "$tmp/fix"
export GOPROXY=file://$tmp/fix/proxy GOTOOLCHAIN=local GOENV=off GOSUMDB=off GONOSUMDB= GOFLAGS= CGO_ENABLED=0
export GOPATH=$tmp/gopath GOTOOLCACHE=$tmp/gtcache
unset GOWORK GODEBUG GOBIN GOFIPS140 GOOS GOARCH GOEXPERIMENT GO111MODULE GOPRIVATE GONOPROXY
export GOCACHE=${GOTOOL_E2E_GOCACHE:-$tmp/gocache}
mkdir -p "$GOCACHE"

# the modules' go.sum files, as go mod tidy writes them (one shared cache)
for m in "$tmp/fix"/*/m?/; do
	(cd "$m" && GOWORK=off GOMODCACHE=$tmp/fillcache "$GO" mod tidy -e) >/dev/null 2>&1 || true
done

fails=0
ncases=0
# check WS DIR BUILD [ARGS...]: work vendor ARGS run in WS/DIR (WS "none": an
# empty directory); BUILD "build": a build -mod=vendor follows in WS.
check() {
	local ws=$1 dir=$2 build=$3
	shift 3
	local what="$ws $dir $*"
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
		fi
	done
	local grc=0 trc=0
	(cd "$o/g/$dir" && GOMODCACHE="$o/mcg" "$GO" work vendor "$@" >"$o/go.out" 2>"$o/go.err") || grc=$?
	(cd "$o/t/$dir" && GOMODCACHE="$o/mct" "$GOTOOL" work vendor "$@" >"$o/gt.out" 2>"$o/gt.err") || trc=$?
	sed -i "s#$o/mcg#\$GOMODCACHE#g; s#$o/g#\$WORK#g" "$o/go.err"
	sed -i "s#$o/mct#\$GOMODCACHE#g; s#$o/t#\$WORK#g; s/^gotool: /go: /; s/'gotool work init'/'go work init'/" "$o/gt.err"
	# go's parallel loads print "go: downloading" lines in any order: those
	# are compared sorted, the rest in order
	local f
	for f in go gt; do
		{ grep '^go: downloading ' "$o/$f.err" | LC_ALL=C sort || true; grep -v '^go: downloading ' "$o/$f.err" || true; } >"$o/$f.err2"
		mv "$o/$f.err2" "$o/$f.err"
	done
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
	# the whole workspace: vendor/ (or -o's directory) byte for byte, and
	# the go.work, go.mod and go.sum files (also unchanged from the fixture)
	if ! diff -r "$o/g" "$o/t" >"$o/tree.diff" 2>&1; then
		echo "--- workspace files differ: ($what)"
		head -40 "$o/tree.diff"
		bad=1
	fi
	if [[ $ws != none ]] && ! diff -r -x vendor -x out -x go.sum "$tmp/fix/$ws" "$o/t" >"$o/src.diff" 2>&1; then
		echo "--- gotool changed the workspace's files: ($what)"
		head -20 "$o/src.diff"
		bad=1
	fi
	if [[ -n ${WORKVENDOR_V:-} ]]; then
		echo "=== $what: exit $grc"; cat "$o/go.err"
		[[ -f $o/g/vendor/modules.txt ]] && cat "$o/g/vendor/modules.txt"
	fi
	if [[ $build == build && -z $bad ]]; then
		grc=0 trc=0
		(cd "$o/g" && GOMODCACHE=/nonexistent "$GO" build -mod=vendor ./m1 >"$o/gb.out" 2>&1) || grc=$?
		(cd "$o/t" && GOMODCACHE=/nonexistent "$GOTOOL" build -mod=vendor ./m1 >"$o/tb.out" 2>&1) || trc=$?
		sed -i "s/^gotool: /go: /" "$o/tb.out"
		if [[ $grc != 0 || $trc != 0 ]] || ! cmp -s "$o/gb.out" "$o/tb.out"; then
			echo "--- build -mod=vendor differs or fails: ($what): go $grc, gotool $trc"
			cat "$o/gb.out" "$o/tb.out" | head -20
			bad=1
		fi
	fi
	[[ -n $bad ]] && fails=$((fails + 1))
	return 0
}

check ws . build
check ws m1 - -v
check ws m2 - -o ../out
check ws . - extra
check wsrep . build -v
check wsnogo . -
check wsmiss . -
check wsmiss . - -e -v
check wsempty . -
check none . -

echo "workvendor: $ncases cases, $fails failed"
[[ $fails == 0 ]]
