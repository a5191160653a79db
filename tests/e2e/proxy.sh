#!/usr/bin/env bash
# The GOPROXY client and `mod download` (modload/http.c, proxy.c,
# cmd/mod.c) against the real go on the same local proxy
# (tests/tools/proxyserver.py on 127.0.0.1, and the same tree as a
# file:// GOPROXY): -json output (paths masked), stderr, exit status and
# the module cache trees each leaves (names, modes, contents) must match;
# go builds and verifies from gotool's cache and gotool reads go's; bad
# cases (404/410 fallback, 500 with ',' and '|', GOPROXY=off, garbage and
# truncated answers, hostile zips, a go.sum mismatch) are refused with
# go's text and leave nothing broken in the cache.  A hanging proxy is
# gotool's alone: go waits forever, gotool gives up after
# GOTOOL_HTTP_TIMEOUT seconds.  Under ASan a subset runs.
set -euo pipefail
SECONDS=0
GO=${GO:-/usr/local/go/bin/go}
TOOLS=$TESTS/tools
if ! command -v python3 >/dev/null; then
	echo "SKIP: python3 not installed"
	exit 0
fi
T=$(mktemp -d)
SERVER=
cleanup() {
	[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
	chmod -R u+rwx "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
export HOME="$T/home" GOFLAGS= GOTOOLCHAIN=local GOENV=off GOSUMDB=off GONOSUMDB= GOPRIVATE= GONOPROXY= \
	GOINSECURE= GOPATH="$T/gopath" GOCACHE="$T/gocache" GO111MODULE=
unset GOMODCACHE GODEBUG GOOS GOARCH
mkdir -p "$HOME"
asan=
if grep -qa __asan_init "$GOTOOL"; then
	asan=1
fi
fail=0
n=0

# ---- fixtures ----------------------------------------------------------
S=$T/src
mkmod() { # DIR GOMOD-or-"" FILE CONTENT...
	local d=$S/$1 gomod=$2
	shift 2
	mkdir -p "$d"
	[ -n "$gomod" ] && printf '%s' "$gomod" >"$d/go.mod"
	while [ $# -gt 0 ]; do
		mkdir -p "$(dirname "$d/$1")"
		printf '%s' "$2" >"$d/$1"
		shift 2
	done
}
mkmod example.com/a@v1.0.0 $'module example.com/a\n\ngo 1.21\n' a.go $'package a\n\nconst A = 1\n'
mkmod example.com/a@v1.1.0 $'module example.com/a\n\ngo 1.21\n' a.go $'package a\n\nconst A = 2\n' \
	sub/s.go $'package sub\n'
mkmod example.com/Upper@v1.0.0 $'module example.com/Upper\n\ngo 1.21\n' u.go $'package upper\n'
mkmod example.com/legacy@v0.1.0 "" l.go $'package legacy\n'
mkmod example.com/hostile@v1.0.0 $'module example.com/hostile\n' h.go $'package hostile\n'
mkmod example.com/prefix@v1.0.0 $'module example.com/prefix\n' p.go $'package prefix\n'
mkmod example.com/r@v1.0.0 $'module example.com/r\n' r.go $'package r\n'
mkmod example.com/r@v1.1.0 $'module example.com/r\n\nretract v1.1.0 // broken\n' r.go $'package r\n'
mkmod example.com/pre@v0.1.0-beta.1 $'module example.com/pre\n' p.go $'package pre\n'
mkmod example.com/origin@v1.0.0 $'module example.com/origin\n' o.go $'package origin\n'
mkmod example.com/new@v1.0.0 $'module example.com/new\n\ngo 1.999 // from the future\n' n.go $'package new\n'
mkmod example.com/dep@v1.0.0 $'module example.com/dep\n\ngo 1.21\n\nrequire example.com/a v1.1.0\n' d.go $'package dep\n'
P=$T/proxy
python3 "$TOOLS/proxyserver.py" mkproxy "$S" "$P"
mkdir -p "$P/example.com/none/@v"
: >"$P/example.com/none/@v/list"
# an .info with Origin (printed by -json as given, cached cleaned) and a time zone
printf '%s\n' '{"Version":"v1.0.0","Time":"2024-01-02T05:04:05.120+02:00","Origin":{"VCS":"git","URL":"https://example.com/o","Hash":"0123456789abcdef0123456789abcdef01234567","TagSum":"t1:abc=","Ref":"refs/tags/v1.0.0","RepoSum":"r1:xyz="}}' \
	>"$P/example.com/origin/@v/v1.0.0.info"
# hostile zips: a ../ path, and a file outside the module's prefix
python3 - "$P" <<'PY'
import sys, zipfile
p = sys.argv[1]
with zipfile.ZipFile(p + "/example.com/hostile/@v/v1.0.0.zip", "w") as z:
    z.writestr("example.com/hostile@v1.0.0/go.mod", "module example.com/hostile\n")
    z.writestr("example.com/hostile@v1.0.0/../evil.go", "package evil\n")
with zipfile.ZipFile(p + "/example.com/prefix/@v/v1.0.0.zip", "w") as z:
    z.writestr("example.com/prefix@v1.0.0/go.mod", "module example.com/prefix\n")
    z.writestr("example.com/other@v1.0.0/x.go", "package x\n")
PY
# the bad zip: example.com/a v1.0.0 with other content (a go.sum mismatch)
mkdir -p "$T/badzip/example.com/a/@v"
mkmod bad/example.com/a@v1.0.0 $'module example.com/a\n\ngo 1.21\n' a.go $'package a\n\nconst A = 666\n'
python3 "$TOOLS/proxyserver.py" mkproxy "$S/bad" "$T/badproxy"
cp "$T/badproxy/example.com/a/@v/v1.0.0.zip" "$T/badzip/example.com/a/@v/v1.0.0.zip"
rm -rf "$S/bad"

# the checksum database: records of a v1.0.0, a v1.1.0 and Upper v1.0.0
# (tests/tools/sumdbgen.go wrote them with go's x/mod/sumdb from these
# fixtures), served by the proxy at sumdb/sumdb.test/
cp -r "$TESTS/fixtures/proxy/sumdb" "$P/sumdb"
VKEY=$(cat "$P/sumdb/sumdb.test.vkey")
WRONGKEY=$(cat "$P/sumdb/sumdb.test.wrongvkey")

python3 "$TOOLS/proxyserver.py" serve "$P" "$T/port" "$T/log" &
SERVER=$!
for _ in $(seq 100); do
	[ -s "$T/port" ] && break
	sleep 0.05
done
PORT=$(cat "$T/port")
U=http://127.0.0.1:$PORT

# ---- helpers -----------------------------------------------------------
mask() { # FILE: cache paths and the program name made comparable
	sed -e "s#$T/mc-gotool#\$MC#g; s#$T/mc-go#\$MC#g; s#$T#\$T#g; s#^gotool: #go: #; s#'gotool help#'go help#g; s#127.0.0.1:$PORT#\$HOST#g" \
		-e 's#([0-9.]*s)$#(TIME)#' "$1"
}
tree() { # DIR: the cache as names, types, modes and content hashes
	[ -d "$1" ] || return 0
	# (go leaves its temp zip when go.sum's SECURITY ERROR ends it; gotool
	# removes it; both remove old ones before the next download: not compared)
	(cd "$1" && find . \( -name '*.lock' -o -name '*.tmp' \) -prune -o -printf '%p %y %m\n' | sort |
		while read -r p y m; do
			if [ "$y" = f ]; then echo "$p $m $(sha256sum <"$p" | cut -c1-16)"; else echo "$p $y $m"; fi
		done)
}
# both LABEL DIR [ENV=V...] -- ARGS...: mod download ARGS in DIR under go
# and gotool (own caches); stdout, stderr, status and cache must agree.
# CMD (default "mod download") names another subcommand; SORT_ERR=1
# compares stderr's lines in any order (downloads announced in parallel).
both() {
	local label=$1 dir=$2
	shift 2
	local envs=()
	while [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	n=$((n + 1))
	[ -n "${PROXY_TRACE:-}" ] && echo "$SECONDS $label" >&2
	local r1=0 r2=0 f
	local cmd
	read -r -a cmd <<<"${CMD:-mod download}"
	# go.mod and go.sum: each tool starts from the same ones, and must
	# leave the same ones; the directory is left as it was
	for f in go.mod go.sum; do
		rm -f "$T/keep.$f"
		[ -e "$dir/$f" ] && cp "$dir/$f" "$T/keep.$f"
	done
	(cd "$dir" && env "${envs[@]}" GOMODCACHE="$T/mc-go" GOPATH="$T/gopath-go" "$GO" "${cmd[@]}" "$@") \
		>"$T/go.out" 2>"$T/go.err" || r1=$?
	for f in go.mod go.sum; do
		rm -f "$T/go.$f"
		[ -e "$dir/$f" ] && mv "$dir/$f" "$T/go.$f"
		[ -e "$T/keep.$f" ] && cp "$T/keep.$f" "$dir/$f"
	done
	(cd "$dir" && env "${envs[@]}" GOMODCACHE="$T/mc-gotool" GOPATH="$T/gopath-gotool" "$GOTOOL" "${cmd[@]}" "$@") \
		>"$T/gt.out" 2>"$T/gt.err" || r2=$?
	for f in go.mod go.sum; do
		rm -f "$T/gt.$f"
		[ -e "$dir/$f" ] && mv "$dir/$f" "$T/gt.$f"
		[ -e "$T/keep.$f" ] && cp "$T/keep.$f" "$dir/$f"
		if [ -e "$T/go.$f" ] || [ -e "$T/gt.$f" ]; then
			if ! cmp -s "$T/go.$f" "$T/gt.$f"; then
				echo "FAIL: $label: $f after go and after gotool differ"
				diff -u "$T/go.$f" "$T/gt.$f" || true
				fail=1
			fi
		fi
	done
	mask "$T/go.out" >"$T/a.out"
	mask "$T/gt.out" >"$T/b.out"
	mask "$T/go.err" >"$T/a.err"
	mask "$T/gt.err" >"$T/b.err"
	if [ -n "${SORT_ERR:-}" ]; then
		sort -o "$T/a.err" "$T/a.err"
		sort -o "$T/b.err" "$T/b.err"
	fi
	if [ "$r1" != "$r2" ] || ! cmp -s "$T/a.out" "$T/b.out" || ! cmp -s "$T/a.err" "$T/b.err"; then
		echo "FAIL: $label: go exit $r1, gotool exit $r2"
		diff -u "$T/a.out" "$T/b.out" || true
		diff -u "$T/a.err" "$T/b.err" || true
		fail=1
	fi
	{ tree "$T/mc-go"; tree "$T/gopath-go"; } >"$T/a.tree"
	{ tree "$T/mc-gotool"; tree "$T/gopath-gotool"; } >"$T/b.tree"
	if ! cmp -s "$T/a.tree" "$T/b.tree"; then
		echo "FAIL: $label: module caches differ"
		diff -u "$T/a.tree" "$T/b.tree" || true
		fail=1
	fi
}
fresh() {
	chmod -R u+rwx "$T/mc-go" "$T/mc-gotool" 2>/dev/null || true
	rm -rf "$T/mc-go" "$T/mc-gotool" "$T/gopath-go" "$T/gopath-gotool"
}
W=$T/work
mkdir -p "$W"

# ---- downloads that work -----------------------------------------------
both "three modules over http" "$W" GOPROXY="$U/ok" -- -json example.com/a@v1.0.0 example.com/Upper@v1.0.0 \
	example.com/legacy@v0.1.0
both "again, from the cache" "$W" GOPROXY="$U/ok" -- -json example.com/a@v1.0.0 example.com/Upper@v1.0.0 \
	example.com/legacy@v0.1.0
both "cache only, GOPROXY=off" "$W" GOPROXY=off -- -json example.com/a@v1.0.0
if [ -z "$asan" ]; then
	both "a second version (@v/list rewritten)" "$W" GOPROXY="$U/ok" -- -json example.com/a@v1.1.0
	both "without -json" "$W" GOPROXY="$U/ok" -- example.com/a@v1.1.0
	fresh
	# (one module: go downloads several in parallel, in no fixed order)
	both "-x: the requests, in go's order" "$W" GOPROXY="$U/404,$U/ok" GOSUMDB="$VKEY" -- -x -json \
		example.com/Upper@latest
	fresh
	both "file:// GOPROXY" "$W" GOPROXY="file://$P" -- -json example.com/a@v1.1.0 example.com/Upper@v1.0.0
	both "file:// GOPROXY, missing version" "$W" GOPROXY="file://$P" -- -json example.com/a@v1.9.0
	fresh
	both "GOFLAGS=-modcacherw" "$W" GOPROXY="$U/ok" GOFLAGS=-modcacherw -- -json example.com/a@v1.1.0
	both "-modcacherw" "$W" GOPROXY="$U/ok" -- -modcacherw example.com/Upper@v1.0.0
fi

# ---- the latest query --------------------------------------------------------
fresh
both "path@latest" "$W" GOPROXY="$U/ok" -- -json example.com/a@latest example.com/Upper@latest
if [ -z "$asan" ]; then
	both "latest skips a retracted version" "$W" GOPROXY="$U/ok" -- -json example.com/r@latest
	both "latest: a prerelease only" "$W" GOPROXY="$U/ok" -- -json example.com/pre@latest
	both "a module that needs a newer go" "$W" GOPROXY="$U/ok" -- -json example.com/new@v1.0.0
	both ".info with Origin and a zone" "$W" GOPROXY="$U/ok" -- -json example.com/origin@v1.0.0
	both ".info with Origin, cached" "$W" GOPROXY="$U/ok" -- -json example.com/origin@v1.0.0
	both "latest: no versions" "$W" GOPROXY="$U/ok" -- -json example.com/none@latest
	both "latest: not found anywhere" "$W" GOPROXY="$U/404,$U/410" -- -json example.com/a@latest
	both "latest: GOPROXY=off" "$W" GOPROXY=off -- -json example.com/a@latest
	M3=$T/m3
	mkdir -p "$M3"
	printf 'module example.com/m3\n\ngo 1.21\n\nexclude example.com/a v1.1.0\n' >"$M3/go.mod"
	both "latest: excluded by the main go.mod" "$M3" GOPROXY="$U/ok" -- -json example.com/a@latest
fi

# ---- the main module's requirements --------------------------------------
M=$T/m
mkdir -p "$M"
printf 'module example.com/m\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.1.0\n\texample.com/Upper v1.0.0\n)\n' >"$M/go.mod"
fresh
both "no arguments in a module" "$M" GOPROXY="$U/ok" -- -json
if [ -e "$M/go.sum" ]; then
	echo "FAIL: mod download without arguments wrote go.sum"
	fail=1
fi
if [ -z "$asan" ]; then
	both "a required module by path (go.sum written)" "$M" GOPROXY="$U/ok" -- -json example.com/a
	both "path@version in a module (go.sum written)" "$M" GOPROXY="$U/ok" -- example.com/a@v1.0.0
fi
# -modcacherw for the downloads of the commands that load packages: the
# extracted trees stay writable, as go leaves them
# (go.sum from go's tidy first, so that mod vendor gets as far as the zips)
printf 'package main\n\nimport (\n\t_ "example.com/Upper"\n\t_ "example.com/a/sub"\n)\n\nfunc main() {}\n' >"$M/main.go"
cp "$M/go.mod" "$T/m.go.mod"
fresh
(cd "$M" && GOMODCACHE="$T/mc-go" GOPROXY="$U/ok" "$GO" mod tidy)
for c in "build -o /dev/null" "list -f {{.Dir}}" "mod tidy" "mod vendor -o $T/vendor-out"; do
	fresh
	rm -rf "$T/vendor-out"
	CMD=$c SORT_ERR=1 both "$c -modcacherw" "$M" GOPROXY="$U/ok" GOFLAGS=-mod=mod -- -modcacherw
	if ! grep -q '^./example.com/a@v1.1.0 d 755$' "$T/b.tree"; then
		echo "FAIL: $c -modcacherw: gotool left example.com/a@v1.1.0 read-only (or did not extract it)"
		grep 'a@v1.1.0 ' "$T/b.tree" || true
		fail=1
	fi
	[ -n "$asan" ] && break
	fresh
	CMD=$c SORT_ERR=1 both "$c with GOFLAGS=-modcacherw" "$M" GOPROXY="$U/ok" GOFLAGS="-modcacherw -mod=mod" --
	# a zip no proxy serves: the error at the import (build, list) or under
	# the import stack (tidy, vendor), naming the module once
	fresh
	CMD=$c SORT_ERR=1 both "$c, zips refused (404)" "$M" GOPROXY="$U/404" --
	fresh
	CMD=$c SORT_ERR=1 both "$c, GOPROXY=off" "$M" GOPROXY=off --
	# (tidy and vendor read the roots' go.mod files before the zips
	# that go fails on first: gotool's cache then holds two .mod files
	# more than go's; the error is the same)
	case $c in
	build* | list*)
		fresh
		CMD=$c SORT_ERR=1 both "$c, .info and .mod served but no zips" "$M" GOPROXY="$U/nozip" --
		;;
	esac
done
fresh
CMD=get both "get, no zips served" "$M" GOPROXY="$U/nozip" -- example.com/a@v1.0.0
# a go.mod that would change: a requirement below what the graph selects,
# an excluded one; list -m fails outside -mod=mod (not with -e's listing
# or -u), mod graph shows the updated roots, and nothing is written
M6=$T/m6
mkdir -p "$M6"
printf 'module example.com/m6\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/dep v1.0.0\n)\n' >"$M6/go.mod"
cp "$M6/go.mod" "$T/m6.mod"
fresh
# (go.sum from go; -mod=mod updates go.mod too, which is put back)
(cd "$M6" && GOMODCACHE="$T/mc-go" GOPROXY="$U/ok" GOFLAGS=-mod=mod "$GO" list -m all >/dev/null 2>&1)
cp "$T/m6.mod" "$M6/go.mod"
(cd "$M6" && GOMODCACHE="$T/mc-go" GOPROXY="$U/ok" "$GO" mod download example.com/a@v1.0.0 >/dev/null 2>&1)
for c in "list -m all" "list -mod=readonly -m all" "list -e -m all" "mod graph" "list -m example.com/a"; do
	fresh
	CMD=$c both "$c, a root below the graph's" "$M6" GOPROXY="$U/ok" --
	if [ "$c" = "list -m all" ] && ! grep -q 'updates to go.mod needed' "$T/gt.err"; then
		echo "FAIL: list -m all accepted a go.mod the graph does not select"
		fail=1
	fi
	[ -n "$asan" ] && break
done
printf 'module example.com/m6\n\ngo 1.21\n\nrequire example.com/a v1.0.0\n\nexclude example.com/a v1.0.0\n' >"$M6/go.mod"
for c in "list -m all" "list -mod=readonly -m all" "list -m -u all"; do
	fresh
	CMD=$c both "$c, an excluded requirement" "$M6" GOPROXY="$U/ok" --
	[ -n "$asan" ] && break
done

# a pattern matching only modules an earlier one matched warns
# (ListModules' matchedModule), in all three commands that take patterns
cp "$T/m6.mod" "$M6/go.mod"
for c in "list -m" "mod why -m" "mod download"; do
	fresh
	CMD=$c both "$c all example.com/...: nothing new" "$M6" GOPROXY="$U/ok" -- all example.com/...
	if ! grep -q 'matched no module dependencies' "$T/gt.err"; then
		echo "FAIL: $c: no warning for a pattern matching nothing new"
		fail=1
	fi
	[ -n "$asan" ] && break
done

# the package loader's updateRequirements: importing dep (a root whose
# go.mod needs a higher example.com/a) makes go.mod inconsistent: an error
# outside -mod=mod, an update with it; mod download without arguments
# writes the roots the graph selects; mod why -m takes patterns
cp "$T/m6.mod" "$M6/go.mod"
printf 'package m6\n\nimport _ "example.com/dep"\n' >"$M6/m6.go"
(cd "$M6" && GOMODCACHE="$T/mc-go" GOPROXY="$U/ok" "$GO" mod download example.com/dep >/dev/null 2>&1)
for c in "list -deps ." "list -e -deps ." "build ." "list -mod=mod -deps ." "mod download" "mod why -m example.com/..."; do
	fresh
	CMD=$c both "$c, a root below what an imported module needs" "$M6" GOPROXY="$U/ok" --
	if [ "$c" = "list -deps ." ] && ! grep -q 'updates to go.mod needed' "$T/gt.err"; then
		echo "FAIL: list -deps accepted a go.mod an imported module contradicts"
		fail=1
	fi
	[ -n "$asan" ] && break
done
rm -f "$M6/m6.go"
# the same import from a test only: go test, go vet and list -test load
# the tests' imports before the requirements are checked (ModResolveTests)
printf 'package m6\n' >"$M6/m6.go"
printf 'package m6\n\nimport _ "example.com/dep"\n' >"$M6/m6_test.go"
for c in "list -test -deps ." "test ." "vet ." "list -mod=mod -test -deps ." "list -deps ."; do
	fresh
	CMD=$c both "$c, a test importing a module that needs a higher root" "$M6" GOPROXY="$U/ok" --
	if [ "$c" = "test ." ] && ! grep -q 'updates to go.mod needed' "$T/gt.err"; then
		echo "FAIL: test accepted a go.mod a test's import contradicts"
		fail=1
	fi
	[ -n "$asan" ] && break
done
rm -f "$M6/m6.go" "$M6/m6_test.go"

# a module cache whose .ziphash was lost: Download hashes the cached zip
# again and extracts it again, without the proxy (GOPROXY=off); get adds
# the zip's sum go.sum lacks
M7=$T/m7
mkdir -p "$M7"
printf 'module example.com/m7\n\ngo 1.21\n\nrequire example.com/a v1.0.0\n' >"$M7/go.mod"
printf 'package m7\n\nimport _ "example.com/a"\n' >"$M7/m7.go"
fresh
(cd "$M7" && GOMODCACHE="$T/mc-go" GOPROXY="$U/ok" GOFLAGS=-mod=mod "$GO" list -deps . >/dev/null 2>&1)
cp "$M7/go.sum" "$T/m7.sum"
for c in "list -deps ." "get ."; do
	fresh
	CMD="mod download" both "fill the caches" "$M7" GOPROXY="$U/ok" -- example.com/a@v1.0.0
	rm -f "$T"/mc-go*/cache/download/example.com/a/@v/v1.0.0.ziphash
	[ "$c" = "get ." ] && grep -v '^example.com/a v1.0.0 h1:' "$T/m7.sum" >"$M7/go.sum"
	CMD=$c both "$c, a .ziphash lost, GOPROXY=off" "$M7" GOPROXY=off GOSUMDB=off --
	cp "$T/m7.sum" "$M7/go.sum"
	[ -n "$asan" ] && break
done

# workspace replacements go refuses: two modules replacing one version
# differently (unless go.work decides), go.work replacing a workspace
# module at every version
W8=$T/w8
mkdir -p "$W8/m" "$W8/n" "$W8/dep1" "$W8/dep2"
printf 'go 1.21\n\nuse (\n\t./m\n\t./n\n)\n' >"$W8/go.work"
printf 'module example.com/m\n\ngo 1.21\n\nrequire example.com/a v1.0.0\n\nreplace example.com/a v1.0.0 => ../dep1\n' >"$W8/m/go.mod"
printf 'module example.com/n\n\ngo 1.21\n\nrequire example.com/a v1.0.0\n\nreplace example.com/a v1.0.0 => ../dep2\n' >"$W8/n/go.mod"
printf 'module example.com/a\n\ngo 1.21\n' | tee "$W8/dep1/go.mod" >"$W8/dep2/go.mod"
fresh
CMD="list -m example.com/a" both "workspace: conflicting replacements" "$W8" GOPROXY="$U/ok" --
printf 'go 1.21\n\nuse (\n\t./m\n\t./n\n)\n\nreplace example.com/a v1.0.0 => ./dep1\n' >"$W8/go.work"
CMD="list -m example.com/a" both "workspace: go.work settles the conflict" "$W8" GOPROXY="$U/ok" --
printf 'go 1.21\n\nuse (\n\t./m\n\t./n\n)\n\nreplace example.com/m => ./dep1\n' >"$W8/go.work"
CMD="list -m example.com/a" both "workspace: go.work replaces a workspace module" "$W8" GOPROXY="$U/ok" --

# a replacement of a version below the one required never applies: the
# proxy's module is used
M7=$T/m7
mkdir -p "$M7/adir"
printf 'module example.com/a\n\ngo 1.21\n' >"$M7/adir/go.mod"
printf 'package a\n\nconst A = 100\n' >"$M7/adir/a.go"
printf 'module example.com/m7\n\ngo 1.21\n\nrequire example.com/a v1.1.0\n\nreplace example.com/a v1.0.0 => ./adir\n' >"$M7/go.mod"
fresh
CMD="list -mod=mod -f {{.Dir}} example.com/a" both "required above the replaced version" "$M7" GOPROXY="$U/ok" --

# one module used for two module paths; one module path used twice in a
# workspace
M8=$T/m8
mkdir -p "$M8"
printf 'module example.com/m8\n\ngo 1.21\n\nrequire (\n\texample.com/a v1.0.0\n\texample.com/x v1.0.0\n)\n\nreplace example.com/x v1.0.0 => example.com/a v1.0.0\n' >"$M8/go.mod"
printf 'package m8\n' >"$M8/m.go"
fresh
CMD="list -mod=mod -deps ." both "a module used for two paths" "$M8" GOPROXY="$U/ok" --
mkdir -p "$W8/m2"
cp "$W8/m/go.mod" "$W8/m2/go.mod"
printf 'go 1.21\n\nuse (\n\t./m\n\t./m2\n)\n' >"$W8/go.work"
CMD="list -m" both "workspace: a module path twice" "$W8" GOPROXY="$U/ok" --

# -mod=mod: an import no module provides is looked up (@latest), the module
# added to go.mod and its sums to go.sum (resolveMissingImports); one it
# cannot find is go's error, at the import
M5=$T/m5
mkdir -p "$M5"
printf 'module example.com/m5\n\ngo 1.21\n' >"$M5/go.mod"
printf 'package main\n\nimport _ "example.com/a/sub"\n\nfunc main() {}\n' >"$M5/main.go"
for c in "build -o /dev/null ." "list -deps ." "list example.com/a/sub" "vet ." "test ." "run main.go" \
	"build -o /dev/null main.go"; do
	fresh
	CMD=$c both "$c -mod=mod, a missing import" "$M5" GOPROXY="$U/ok" GOFLAGS=-mod=mod --
	[ -n "$asan" ] && break
done
printf 'package main\n\nimport _ "example.com/nosuch/pkg"\n\nfunc main() {}\n' >"$M5/main.go"
for c in "build -o /dev/null ." "list example.com/nosuch/pkg" "list -e -deps -f {{.ImportPath}}{{.Error}} ."; do
	fresh
	CMD=$c both "$c -mod=mod, an import no module has" "$M5" GOPROXY="$U/ok" GOFLAGS=-mod=mod --
	[ -n "$asan" ] && break
done

rm -rf "$M/main.go" "$M/go.sum" "$T/vendor-out"
cp "$T/m.go.mod" "$M/go.mod"

# ---- proxy lists and fallbacks --------------------------------------------
fresh
both "404 falls back at ','" "$W" GOPROXY="$U/404,$U/ok" -- -json example.com/a@v1.0.0
if [ -z "$asan" ]; then
	both "410 falls back at ','" "$W" GOPROXY="$U/410,$U/ok" -- -json example.com/Upper@v1.0.0
	both "500 stops at ','" "$W" GOPROXY="$U/500,$U/ok" -- -json example.com/legacy@v0.1.0
	both "500 falls back at '|'" "$W" GOPROXY="$U/500|$U/ok" -- -json example.com/legacy@v0.1.0
	both "all not found" "$W" GOPROXY="$U/404,$U/410" -- -json example.com/a@v1.1.0
	both "unknown version" "$W" GOPROXY="$U/ok" -- -json example.com/a@v1.9.9
	both "GOPROXY=off" "$W" GOPROXY=off -- -json example.com/a@v1.1.0
	both "GOPROXY=off without -json" "$W" GOPROXY=off -- example.com/a@v1.1.0
	# (a path GONOPROXY matches goes direct, and so to the network: not here)
	both "GONOPROXY not matching" "$W" GOPROXY="$U/ok" GONOPROXY=example.com/zzz -- -json example.com/a@v1.1.0
	both "empty GOPROXY list" "$W" GOPROXY=", ," -- -json example.com/a@v1.1.0
	both "bad proxy scheme" "$W" GOPROXY="ftp://x" -- -json example.com/a@v1.1.0
	both "garbage answers" "$W" GOPROXY="$U/garbage" -- -json example.com/a@v1.1.0
	both "truncated answers" "$W" GOPROXY="$U/trunc" -- -json example.com/a@v1.1.0
	both "no modules" "$W" GOPROXY="$U/ok" -- -json
	both "relative path" "$W" GOPROXY="$U/ok" -- ./x
fi

# ---- hostile zips and checksums ------------------------------------------
fresh
both "zip with a ../ path" "$W" GOPROXY="$U/ok" -- -json example.com/hostile@v1.0.0
both "zip with a file outside the prefix" "$W" GOPROXY="$U/ok" -- -json example.com/prefix@v1.0.0
for c in go gotool; do
	if ls "$T/mc-$c"/example.com 2>/dev/null | grep -q .; then
		echo "FAIL: $c left an extracted tree for a hostile zip"
		fail=1
	fi
done
# a go.sum that records the real v1.0.0 while the proxy serves other bytes
M2=$T/m2
mkdir -p "$M2"
printf 'module example.com/m2\n\ngo 1.21\n\nrequire example.com/a v1.0.0\n' >"$M2/go.mod"
fresh
(cd "$M2" && GOMODCACHE="$T/mc-go" GOPROXY="$U/ok" "$GO" mod download example.com/a@v1.0.0)
fresh
cp "$M2/go.sum" "$T/m2.sum"
both "zip differs from go.sum (SECURITY ERROR)" "$M2" GOPROXY="$U/badzip" -- -json example.com/a@v1.0.0
if ! grep -q 'SECURITY ERROR' "$T/gt.err"; then
	echo "FAIL: no SECURITY ERROR from gotool"
	fail=1
fi
for c in go gotool; do
	if ls "$T/mc-$c/cache/download/example.com/a/@v/" 2>/dev/null | grep -qE '^v1.0.0.zip(hash)?$'; then
		echo "FAIL: $c kept the mismatching zip: $(ls "$T/mc-$c/cache/download/example.com/a/@v/")"
		fail=1
	fi
done
cmp -s "$M2/go.sum" "$T/m2.sum" || { echo "FAIL: go.sum changed"; fail=1; }
if [ -z "$asan" ]; then
	# a go.mod sum that differs from go.sum's
	sed 's#/go.mod h1:.*#/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=#' "$T/m2.sum" >"$M2/go.sum"
	fresh
	both "go.mod differs from go.sum (SECURITY ERROR)" "$M2" GOPROXY="$U/ok" -- -json example.com/a@v1.0.0
	cp "$T/m2.sum" "$M2/go.sum"
fi

# ---- the checksum database ---------------------------------------------------
fresh
both "sumdb through the proxy" "$W" GOPROXY="$U/ok" GOSUMDB="$VKEY" -- -json example.com/a@v1.0.0 \
	example.com/Upper@v1.0.0
both "sumdb: a zip that differs from the database" "$W" GOPROXY="$U/badzip" GOSUMDB="$VKEY" -- -json \
	example.com/a@v1.0.0
if [ -z "$asan" ]; then
	fresh
	both "sumdb: badzip first" "$W" GOPROXY="$U/badzip" GOSUMDB="$VKEY" -- -json example.com/a@v1.0.0
	both "sumdb at its own URL" "$W" GOPROXY="$U/ok" GOSUMDB="$VKEY $U/ok/sumdb/sumdb.test" -- -json \
		example.com/a@v1.1.0
	both "sumdb: a module it does not know" "$W" GOPROXY="$U/ok" GOSUMDB="$VKEY" -- -json example.com/legacy@v0.1.0
	both "sumdb: GONOSUMDB" "$W" GOPROXY="$U/ok" GOSUMDB="$VKEY" GONOSUMDB=example.com/legacy -- -json \
		example.com/legacy@v0.1.0
	fresh
	both "sumdb signed with another key" "$W" GOPROXY="$U/ok" GOSUMDB="$WRONGKEY" -- -json example.com/a@v1.0.0
	both "sumdb: bad GOSUMDB" "$W" GOPROXY="$U/ok" GOSUMDB="sumdb.test+zz" -- -json example.com/a@v1.0.0
fi

# ---- a proxy that hangs (gotool's own timeout; go would wait forever) -----
fresh
n=$((n + 1))
start=$(date +%s)
r=0
(cd "$W" && GOTOOL_HTTP_TIMEOUT=1 GOMODCACHE="$T/mc-gotool" GOPROXY="$U/hang" "$GOTOOL" mod download -json \
	example.com/a@v1.0.0) >"$T/hang.out" 2>&1 || r=$?
took=$(($(date +%s) - start))
if [ "$r" != 1 ] || ! grep -q 'no data received for 1s' "$T/hang.out" || [ "$took" -gt 15 ]; then
	echo "FAIL: hanging proxy: exit $r after ${took}s"
	cat "$T/hang.out"
	fail=1
fi

# ---- one cache, two tools --------------------------------------------------
if [ -z "$asan" ]; then
	fresh
	(cd "$W" && GOMODCACHE="$T/mc-gotool" GOPROXY="$U/ok" "$GOTOOL" mod download example.com/a@v1.1.0)
	(cd "$W" && GOMODCACHE="$T/mc-go" GOPROXY="$U/ok" "$GO" mod download example.com/a@v1.1.0)
	B=$T/use
	mkdir -p "$B"
	printf 'module example.com/use\n\ngo 1.21\n\nrequire example.com/a v1.1.0\n' >"$B/go.mod"
	# a library package: compiling it needs only the module's packages, not the runtime
	printf 'package use\n\nimport (\n\t"example.com/a"\n\t_ "example.com/a/sub"\n)\n\nconst A = a.A\n' >"$B/use.go"
	n=$((n + 1))
	# go builds and verifies from gotool's cache (go.sum written by go from it)
	if ! (cd "$B" && GOMODCACHE="$T/mc-gotool" GOPROXY=off GOFLAGS=-mod=mod "$GO" build . >"$T/run.out" 2>&1 &&
		GOMODCACHE="$T/mc-gotool" GOPROXY=off "$GO" mod verify >>"$T/run.out" 2>&1 &&
		grep -qx 'all modules verified' "$T/run.out"); then
		echo "FAIL: go cannot build or verify from gotool's cache"
		cat "$T/run.out"
		fail=1
	fi
	# (gotool's package loader does not resolve packages of required modules
	# yet, so gotool builds from no module cache; mod download reads go's:)
	# gotool reads go's cache (nothing fetched) and gives the same answer
	rm -f "$T/mc-gotool/cache/lock" "$T/mc-go/cache/lock" # go.sum writes above took the side lock
	both "each reads the other's cache" "$W" GOPROXY=off -- -json example.com/a@v1.1.0
	(cd "$W" && GOMODCACHE="$T/mc-go" GOPROXY=off "$GOTOOL" mod download -json example.com/a@v1.1.0) >"$T/x.out" 2>&1 || {
		echo "FAIL: gotool cannot use go's cache"
		cat "$T/x.out"
		fail=1
	}
fi

echo "$n checks"
if [ "$fail" != 0 ]; then
	exit 1
fi
echo PASS
