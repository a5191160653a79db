#!/usr/bin/env bash
# gotool vet against the real go vet on tests/fixtures/vet (a clean package
# with a test, a printf misuse, a printf wrapper whose fact (vetx) flows to
# the package that calls it, a type error):
#   - `vet -n` on empty caches: the whole plan, vet.cfg texts and vet lines;
#   - a first run with -work and GODEBUG=gocachehash=1 on empty caches: every
#     vet.cfg written (with $WORK in place of the work dir) and every vet
#     action id's hash lines;
#   - stdout, stderr and exit status of vet runs, flags passed to the tool;
#   - a second run is cached: with -x, no vet tool runs.
#
# Env: GOTOOL, SRC (or TESTS); GO (default /usr/local/go/bin/go).
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d /tmp/h-vet-e2e.XXXXXX 2>/dev/null || mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export GOFLAGS= GOPROXY=off GOWORK=off GOTOOLCHAIN=local GOENV=off CGO_ENABLED=0
export GOPATH=$tmp/gopath
unset GODEBUG GOEXPERIMENT GOARCH GOOS GOARM GOAMD64 GOFIPS140 GOBIN
cp -r "$SRC/tests/fixtures/vet" "$tmp/m"
# installed as `go`, gotool names itself go in its messages, as go does
mkdir -p "$tmp/bin"
ln -s "$GOTOOL" "$tmp/bin/go"
GOTOOL=$tmp/bin/go
m=$tmp/m
fail=0
n=0

# go_run / gt_run NAME ARGS...: run vet in $m, keeping stdout, stderr, status.
go_run() {
	local name=$1
	shift
	(cd "$m" && GOCACHE=$tmp/gocache "$GO" vet "$@") >"$tmp/$name.go.out" 2>"$tmp/$name.go.err" &&
		echo 0 >"$tmp/$name.go.rc" || echo $? >"$tmp/$name.go.rc"
}
gt_run() {
	local name=$1
	shift
	(cd "$m" && GOCACHE=$tmp/gocache-unused GOTOOLCACHE=$tmp/gotoolcache "$GOTOOL" vet "$@") \
		>"$tmp/$name.gt.out" 2>"$tmp/$name.gt.err" && echo 0 >"$tmp/$name.gt.rc" || echo $? >"$tmp/$name.gt.rc"
}

# same NAME WHAT: compare one kept output of go and gotool.
same() {
	local name=$1 what=$2
	if ! cmp -s "$tmp/$name.go.$what" "$tmp/$name.gt.$what"; then
		echo "FAIL: vet $name: $what differs (go, gotool):"
		diff "$tmp/$name.go.$what" "$tmp/$name.gt.$what" | head -20
		fail=1
	fi
}

# check NAME ARGS...: stdout, stderr and exit status of vet ARGS.
check() {
	local name=$1
	shift
	n=$((n + 1))
	go_run "$name" "$@"
	gt_run "$name" "$@"
	same "$name" out
	same "$name" err
	same "$name" rc
}

# 1. -n on empty caches (-n stores nothing, so they stay empty)
for pkg in ./clean ./bad ./usewrap ./terr; do
	check "n${pkg#./}" -n "$pkg"
done

# 2. a first run on empty caches: vet.cfg files and vet action ids
# (GODEBUG's lines go to stderr; the outputs are compared in 3.)
(cd "$m" && GODEBUG=gocachehash=1 GOCACHE=$tmp/gocache "$GO" vet -work -p 1 ./usewrap ./clean) \
	>/dev/null 2>"$tmp/hash.go" || true
(cd "$m" && GODEBUG=gocachehash=1 GOCACHE=$tmp/gocache-unused GOTOOLCACHE=$tmp/gotoolcache \
	"$GOTOOL" vet -work -p 1 ./usewrap ./clean) >/dev/null 2>"$tmp/hash.gt" || true
n=$((n + 1))
for t in go gt; do
	grep -a '^HASH\[vet ' "$tmp/hash.$t" | sort >"$tmp/vethash.$t"
done
if [[ ! -s $tmp/vethash.go ]] || ! cmp -s "$tmp/vethash.go" "$tmp/vethash.gt"; then
	echo "FAIL: GODEBUG=gocachehash=1: the vet action id lines differ (go, gotool):"
	diff "$tmp/vethash.go" "$tmp/vethash.gt" | head -20
	fail=1
fi
# every vet.cfg of the -work run, with the work directory as $WORK
for t in go gt; do
	w=$(sed -n 's/^WORK=//p' "$tmp/hash.$t" | head -1)
	if [[ -z $w || ! -d $w ]]; then
		echo "FAIL: -work: no work directory kept ($t)"
		fail=1
		continue
	fi
	(cd "$w" && find . -name vet.cfg | sort | while read -r f; do
		echo "== $f"
		sed "s#$w#\$WORK#g" "$f"
	done) >"$tmp/cfgs.$t"
	rm -rf "$w"
done
n=$((n + 1))
if [[ ! -s $tmp/cfgs.go ]] || ! cmp -s "$tmp/cfgs.go" "$tmp/cfgs.gt"; then
	echo "FAIL: vet.cfg files differ (go, gotool):"
	diff "$tmp/cfgs.go" "$tmp/cfgs.gt" | head -30
	fail=1
fi
grep -q '"PackageVetx": {' "$tmp/cfgs.gt" && grep -q 'example.com/vetm/wrap": "\$WORK/' "$tmp/cfgs.gt" || {
	echo "FAIL: usewrap's vet.cfg does not name wrap's vetx"
	fail=1
}

# 3. outputs and exit codes (caches warm now)
check clean ./clean
check bad ./bad
check usewrap ./usewrap
check terr ./terr
check all -p 1 ./...
check json -json ./bad
check printf-off -p 1 -printf=false ./bad ./usewrap
check context -c=1 ./bad
check list -p 1 ./clean ./bad
check indir-bad -C bad .
check nogo ./nosuch
check badflag -nosuchflag ./bad
check cached-bad ./bad
grep -q 'wrong type string' "$tmp/usewrap.gt.err" || {
	echo "FAIL: the wrapper's fact did not reach usewrap's vet"
	fail=1
}

# 4. a second run is cached: no vet tool runs (-x), the diagnostics stay
n=$((n + 1))
gt_run cachedx -x -p 1 ./usewrap ./bad
go_run cachedx -x -p 1 ./usewrap ./bad
for t in go gt; do
	if grep -q 'pkg/tool/[^ ]*/vet ' "$tmp/cachedx.$t.err"; then
		echo "FAIL: cached vet ran the vet tool ($t):"
		grep 'pkg/tool/[^ ]*/vet ' "$tmp/cachedx.$t.err" | head -5
		fail=1
	fi
	grep -v -e '^mkdir ' -e '^WORK=' "$tmp/cachedx.$t.err" >"$tmp/cachedx.$t.diag"
done
same cachedx diag
same cachedx rc

if [[ $fail != 0 ]]; then
	exit 1
fi
echo "vet: $n checks ok"
