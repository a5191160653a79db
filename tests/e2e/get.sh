#!/usr/bin/env bash
# go get in module mode, gotool against the real go (go1.26), on a module
# world served from a file:// GOPROXY (tests/fixtures/get/mkproxy.py):
#
#   a v1.0.0..v1.2.0 requiring more of b (and c) at each version, c v1.1.0
#   requiring a v1.2.0, a deprecated module, a retracted version, a module
#   whose package imports one its go.mod does not require, an unpruned
#   (go 1.16) module, one needing a newer go, one without a root package,
#   one importing a package no module provides, one needing go 1.27.0.
#   main1   go 1.21 (pruned), requires a v1.1.0 and b v1.1.0 // indirect;
#           its package needs imports a module it does not require
#   main16  go 1.16 (unpruned), requires a v1.0.0
#   maintc  go 1.22.0 with toolchain go1.23.0
#   maintool main1's requirements with tool example.com/a/sub
#   ws      a go.work (go 1.22.0) using the module example.com/ws and ./sib,
#           which ws imports without requiring it; wsbad: go.work says go 1.21
#   wsmissing  a go.work whose second module imports example.com/ret, which
#           nothing requires
#   fixver  requires example.com/a v1.1, a version a query fixes (v1.1.0)
#   sumtest requires ./m2 (go 1.19), whose package's test imports example.com/a;
#           its go.sum lacks example.com/a's go.mod sum
#
# golang.org/toolchain has version lists and .info files only: go@ and
# toolchain@ queries read them; a switch to go1.27.0 finds no zip.
#
# Each case runs both tools on fresh copies of the fixture, each with its
# own empty module cache, and compares stdout, stderr ("go: downloading"
# lines included), exit status, go.mod, go.sum and the module cache's
# file list.
# Env: GOTOOL, TESTS, GO (default /usr/local/go/bin/go); GET_KEEP=1 keeps
# the temp dir.
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
TESTS=${TESTS:-$(cd "$(dirname "$0")/.." && pwd)}
if [[ ! -x ${GOTOOL:-} ]]; then
	echo "get.sh: GOTOOL not set to a built gotool" >&2
	exit 1
fi

tmp=$(mktemp -d)
cleanup() { chmod -R u+rwx "$tmp" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
if [[ -n ${GET_KEEP:-} ]]; then
	trap - EXIT
	echo "get: temp dir $tmp"
fi

fix=$TESTS/fixtures/get
python3 "$fix/mkproxy.py" "$tmp/proxy"
export GOPROXY=file://$tmp/proxy GOTOOLCHAIN=local GOENV=off GOSUMDB=off GONOSUMDB= GOFLAGS= CGO_ENABLED=0
export GOPATH=$tmp/gopath GOTOOLCACHE=$tmp/gtcache
unset GOWORK GODEBUG GOBIN GOFIPS140 GOOS GOARCH GOEXPERIMENT GO111MODULE GOPRIVATE GONOPROXY
export GOCACHE=${GOTOOL_E2E_GOCACHE:-$tmp/gocache}
mkdir -p "$GOCACHE"

# go.sum of each main module, as go writes it
for m in main1 main16 maintc maintool ws wsbad wsmissing fixver sumtest; do
	cp -r "$fix/$m" "$tmp/sum-$m"
	(cd "$tmp/sum-$m" && GOWORK=off GOMODCACHE=$tmp/fillcache "$GO" mod tidy -e) >/dev/null 2>&1
	touch "$tmp/sum-$m/go.sum"
done
# sumtest's go.sum lacks the go.mod sum of the module its test imports
sed -i '\#^example.com/a v1.0.0/go.mod #d' "$tmp/sum-sumtest/go.sum"

fails=0
ncases=0
# check [-s] FIXTURE -- ARGS...: -s sorts stderr (go's parallel queries
# print "go: downloading" lines in any order).
check() {
	local sort=
	if [[ $1 == -s ]]; then
		sort=1
		shift
	fi
	local m=$1 cmd
	shift 2
	read -r -a cmd <<<"${CMD:-get}"
	ncases=$((ncases + 1))
	local o=$tmp/out
	chmod -R u+rwx "$o" 2>/dev/null || true
	rm -rf "$o"
	mkdir -p "$o"
	local d
	for d in g t; do
		if [[ $m == none ]]; then
			mkdir -p "$o/$d"
		else
			cp -r "$fix/$m" "$o/$d"
			cp "$tmp/sum-$m/go.sum" "$o/$d/go.sum"
		fi
	done
	local grc=0 trc=0
	(cd "$o/g" && GOMODCACHE=$o/mcg "$GO" "${cmd[@]}" "$@" >"$o/go.out" 2>"$o/go.err") || grc=$?
	(cd "$o/t" && GOMODCACHE=$o/mct "$GOTOOL" "${cmd[@]}" "$@" >"$o/gt.out" 2>"$o/gt.err") || trc=$?
	sed -i "s#$o/mcg#\$GOMODCACHE#g; s#$o/g#\$WORK#g" "$o/go.out"
	sed -i "s#$o/mct#\$GOMODCACHE#g; s#$o/t#\$WORK#g" "$o/gt.out"
	sed -i "s#$o/mcg#\$GOMODCACHE#g; s#$o/g#\$WORK#g" "$o/go.err"
	sed -i "s#$o/mct#\$GOMODCACHE#g; s#$o/t#\$WORK#g; s/^gotool: /go: /" "$o/gt.err"
	sed -i 's/^usage: gotool /usage: go /; s/^Run .gotool help/Run '"'"'go help/' "$o/gt.err"
	if [[ -n $sort ]]; then
		LC_ALL=C sort -o "$o/go.err" "$o/go.err"
		LC_ALL=C sort -o "$o/gt.err" "$o/gt.err"
	fi
	local bad=
	if ! cmp -s "$o/go.out" "$o/gt.out"; then
		echo "--- stdout differs: ($m; ${cmd[*]} $*)"
		diff -u "$o/go.out" "$o/gt.out" | head -40 || true
		bad=1
	fi
	if ! cmp -s "$o/go.err" "$o/gt.err"; then
		echo "--- stderr differs: ($m; ${cmd[*]} $*)"
		diff -u "$o/go.err" "$o/gt.err" | head -40 || true
		bad=1
	fi
	if [[ $grc != "$trc" ]]; then
		echo "--- exit code differs: ($m; ${cmd[*]} $*): go $grc, gotool $trc"
		bad=1
	fi
	local f
	for f in go.mod go.sum go.work; do
		if [[ -e $o/g/$f && ! -e $o/t/$f ]] || [[ ! -e $o/g/$f && -e $o/t/$f ]]; then
			echo "--- $f exists for one tool only: ($m; ${cmd[*]} $*)"
			bad=1
		elif [[ -e $o/g/$f ]] && ! cmp -s "$o/g/$f" "$o/t/$f"; then
			echo "--- $f differs: ($m; ${cmd[*]} $*)"
			diff -u "$o/g/$f" "$o/t/$f" | head -40 || true
			bad=1
		fi
	done
	if ! diff <(cd "$o/mcg" 2>/dev/null && find . | LC_ALL=C sort) <(cd "$o/mct" 2>/dev/null && find . | LC_ALL=C sort) >"$o/mc.diff"; then
		echo "--- module caches differ: ($m; ${cmd[*]} $*)"
		head -20 "$o/mc.diff"
		bad=1
	fi
	[[ -n $bad ]] && fails=$((fails + 1))
	return 0
}

# upgrades, downgrades and removals of modules
check -s main1 -- example.com/a@v1.2.0
check main1 -- example.com/a@v1.0.0
check main1 -- example.com/b@v1.0.0
check main1 -- example.com/a@none
check main1 -- example.com/b
check main1 -- example.com/c@v1.1.0
check -s main1 -- example.com/a@latest
check -s main1 -- example.com/a@upgrade
check main1 -- example.com/a@patch
check main1 -- example.com/b@'<v1.2.0'
check main1 -- -v example.com/b@v1.0.0
# packages: a package path resolves to its module; missing imports added
check -s main1 -- example.com/a/sub
check main1 -- -t example.com/a/sub@v1.0.0
check main1 -- example.com/miss
check main1 -- example.com/nopkg/inner
check main1 -- fmt
check main1 -- example.com/broken
# local packages: their missing imports added
check main1 --
check main1 -- .
check main1 -- ./needs
check main1 -- ./empty
check main1 -- ../outside
check main1 -- ./needs@v1.0.0
check main1 -- ./...
check -s main1 -- -u ./...
check main1 -- ./empty/...
check main1 -- './ne...'
check main1 -- './x/.../y'
# -u: the modules providing the named packages' imports upgraded too
check -s main1 -- -u example.com/a
check -s main1 -- -u=patch example.com/a
check -s main1 -- -u
check -s main1 -- -u ./needs
check -s main1 -- -u -t example.com/a@v1.1.0
check -s main16 -- -u example.com/old
check -s main16 -- -u=patch example.com/old
# path wildcards
check -s main1 -- 'example.com/a/...'
check -s main1 -- 'example.com/a/...@v1.0.0'
check -s main1 -- 'example.com/a/sub/...@v1.2.0'
check -s main1 -- 'example.com/b/...@none'
check -s main1 -- 'example.com/nopkg/...'
check -s main1 -- 'example.com/main1/...@v1.0.0'
check -s main1 -- 'example.com/zzz/...'
check -s main1 -- '.../x'
# needs a newer go: the go line follows
check main1 -- example.com/newgo
# warnings: deprecated, retracted
check main1 -- example.com/dep
check main1 -- example.com/ret@v1.0.0
# unpruned main module
check -s main16 -- example.com/a@v1.2.0
check main16 -- example.com/old
check main16 -- example.com/b@v1.0.0
# several arguments, conflicts
check -s main1 -- example.com/a@v1.2.0 example.com/dep
check -s main1 -- example.com/c@v1.1.0 example.com/a@v1.1.0
check -s main1 -- example.com/a@latest example.com/b@v1.1.0
check -s main1 -- example.com/a@v1.0.0 example.com/a@v1.1.0
# the go and toolchain lines
check main1 -- go@1.22.3
check main1 -- go@1.22
# the go and toolchain modules in list -m and mod download (their
# versions are golang.org/toolchain's)
for c in "list -m -versions go toolchain" "list -m -json go toolchain" "list -m -u -json go toolchain" \
	"list -m -json go@latest toolchain@patch" "list -m -e -json go@1.99" "mod download -json go@1.22.3"; do
	CMD=$c check main1 --
done
check main1 -- go@1.20
check main1 -- toolchain@go1.23.0
check main1 -- go@1.22.3 toolchain@1.23.0
check main1 -- toolchain@patch
check main16 -- go@1.22.3
check maintc -- toolchain@none
check maintc -- go@1.23.2
check maintc -- toolchain@go1.22.0
check maintc -- toolchain@go1.22.5
check main1 -- go@1.27.0
GOTOOLCHAIN=auto check main1 -- go@latest
check main1 -- example.com/new27
GOTOOLCHAIN=auto check main1 -- example.com/new27
check main1 -- go@1.30
check main1 -- go@bad
check main1 -- toolchain@go1.24.0
# the all, tool and work patterns; -tool
check -s main1 -- all
check -s main1 -- -t all
check main1 -- all@patch
check main1 -- all@v1.0.0
check -s main1 -- all example.com/b@v1.1.0
check main1 -- work
check main1 -- work@v1.0.0
check -s maintool -- tool
check main1 -- tool@v1.0.0
check -s main1 -- -tool example.com/a/sub
check main1 -- -tool ./needs
check -s main1 -- -tool 'example.com/a/...'
check main1 -- -tool fmt
check main1 -- -tool example.com/a@none
check -s main1 -- -tool all
check main1 -- -tool toolchain@go1.22.5
check maintool -- -tool example.com/dep
check maintool -- -tool example.com/a/sub@none
# in a workspace: the final check loads the workspace, go.work's go line follows
check -s ws -- example.com/a@v1.2.0
check ws -- go@1.23.2
check -s ws -- .
check ws -- example.com/b@none
check -s ws -- all
check -s wsbad -- example.com/a@v1.2.0
GOWORK=off check ws -- .
# a workspace module imports a package no module of the workspace's graph
# provides: get's mode is mod there too ("cannot find module providing")
check wsmissing -- ./...
# a go.mod version that is not canonical: loading queries it (fixVersion);
# -mod=mod writes the answer, readonly refuses, a failed query is the
# go.mod parse error
for c in "list -m -mod=mod all" "list -m all" "mod download" "mod download example.com/a" "list -mod=mod ./..." \
	"build ./..." "mod tidy" "mod graph"; do
	CMD=$c check fixver --
done
CMD="list -m -mod=mod all" GOPROXY=off check fixver --
# the go.mod of the module providing an import is loaded (its go version):
# its missing go.sum entry is the import's error, for a test's import too
for c in "list -deps -test -f {{.ImportPath}} example.com/m2/q" "list -e -deps -test -f {{.ImportPath}}:{{.Error}} example.com/m2/q" \
	"list -deps ./..." "build ./..."; do
	CMD=$c check sumtest --
done
CMD="list -m -mod=mod all" GOPROXY=file://$tmp/nosuchproxy check fixver --
# bad input: go's error, nothing written
check main1 -- example.com/nosuch
check main1 -- example.com/a@v9.9.9
check main1 -- example.com/nopkg
check main1 -- example.com/a/nosuch
check main1 -- example.com/main1@v1.0.0
check main1 -- example.com/main1@none
check main1 -- 'example.com/a@'
check main1 -- 'example.com/a@-bad'
check main1 -- x.go
check main1 -- fmt@v1.0.0
check main1 -- go@none
check main1 -- -u=minor example.com/a
check main1 -- -m example.com/a
check main1 -- -insecure example.com/a
check main1 -- -d=false example.com/a
check main1 -- -mod=mod example.com/a
check none -- example.com/a

# what gotool does not do yet is refused, nothing written
unsupported() {
	ncases=$((ncases + 1))
	local o=$tmp/uns
	rm -rf "$o"
	cp -r "$fix/main1" "$o"
	cp "$tmp/sum-main1/go.sum" "$o/go.sum"
	local rc=0
	(cd "$o" && GOMODCACHE=$tmp/uns-mc "$GOTOOL" get "$@" >"$tmp/uns.out" 2>&1) || rc=$?
	if [[ $rc == 0 ]] || ! grep -q "not supported yet" "$tmp/uns.out" ||
		! cmp -s "$o/go.mod" "$fix/main1/go.mod" || ! cmp -s "$o/go.sum" "$tmp/sum-main1/go.sum"; then
		echo "--- get $* was not refused cleanly (exit $rc):"
		cat "$tmp/uns.out"
		fails=$((fails + 1))
	fi
}
unsupported std

echo "get: $ncases cases, $fails failed"
[[ $fails == 0 ]]
