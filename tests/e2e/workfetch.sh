#!/usr/bin/env bash
# Downloads in workspace (go.work) mode: a workspace of two local modules
# requiring modules of a local file:// proxy, built and listed into an
# EMPTY module cache by gotool and by the real go on identical copies.
# stdout, stderr (paths masked, "go: downloading" lines sorted), the exit
# status, every file of the workspace (go.work.sum written as go writes
# it, the modules' go.sum files left alone), the module cache trees and
# the binaries (cmp) must agree.  Cases: no sums anywhere; list -m all;
# sums already in a workspace module's go.sum (not written to
# go.work.sum, and dropped from an existing one when it is rewritten);
# every sum in the modules' go.sum (no go.work.sum); mod download (all,
# graph modules, a query) writing go.work.sum; a zip checksum
# mismatch against a module's go.sum and a go.mod one against
# go.work.sum (SECURITY ERROR, exit 1, nothing written); GOPROXY=off.
set -euo pipefail
GO=${GO:-/usr/local/go/bin/go}
TOOLS=$TESTS/tools
if ! command -v python3 >/dev/null; then
	echo "SKIP: python3 not installed"
	exit 0
fi
T=$(mktemp -d /tmp/gotool-workfetch.XXXXXX)
cleanup() {
	chmod -R u+rwx "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
export HOME="$T/home" GOFLAGS= GOTOOLCHAIN=local GOENV=off GOSUMDB=off GONOSUMDB= GOPRIVATE= GONOPROXY= \
	GOINSECURE= GO111MODULE= CGO_ENABLED=0 GOWORK=
unset GOMODCACHE GODEBUG GOOS GOARCH GOPATH GOCACHE
mkdir -p "$HOME"
fail=0
n=0

# ---- fixtures ----------------------------------------------------------
S=$T/src
mkmod() { # DIR GOMOD FILE CONTENT...
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
# a needs d (found only once a is downloaded); b at v1.0.0 (m1, indirect)
# and v1.1.0 (m2, selected); c is a leaf
mkmod example.com/a@v1.0.0 $'module example.com/a\n\ngo 1.21\n\nrequire example.com/d v1.0.0\n' \
	a.go $'package a\n\nimport "example.com/d"\n\nfunc A() string { return "a+" + d.D }\n'
mkmod example.com/b@v1.0.0 $'module example.com/b\n\ngo 1.21\n' b.go $'package b\n\nfunc B() string { return "b1" }\n'
mkmod example.com/b@v1.1.0 $'module example.com/b\n\ngo 1.21\n\nrequire example.com/c v1.2.0\n' \
	b.go $'package b\n\nfunc B() string { return "b11" }\n'
mkmod example.com/c@v1.2.0 $'module example.com/c\n\ngo 1.21\n' c.go $'package c\n\nconst C = 3\n'
mkmod example.com/d@v1.0.0 $'module example.com/d\n\ngo 1.21\n' d.go $'package d\n\nconst D = "d"\n'
python3 "$TOOLS/proxyserver.py" mkproxy "$S" "$T/proxy"
OK=GOPROXY=file://$T/proxy

# the workspace template: m1 (a main package) uses m2 (a library)
WT=$T/wtmpl
mkdir -p "$WT/m1" "$WT/m2"
printf 'go 1.21\n\nuse (\n\t./m1\n\t./m2\n)\n' >"$WT/go.work"
printf '%s\n' 'module example.com/m1' '' 'go 1.21' '' 'require example.com/a v1.0.0' '' \
	'require (' '	example.com/b v1.0.0 // indirect' '	example.com/d v1.0.0 // indirect' ')' >"$WT/m1/go.mod"
printf '%s\n' 'package main' '' 'import (' '	"example.com/a"' '	"example.com/m2"' ')' '' \
	'func main() { println(a.A(), m2.M()) }' >"$WT/m1/main.go"
printf '%s\n' 'module example.com/m2' '' 'go 1.21' '' 'require (' '	example.com/b v1.1.0' \
	'	example.com/c v1.2.0' ')' >"$WT/m2/go.mod"
printf '%s\n' 'package m2' '' 'import (' '	"example.com/b"' '	"example.com/c"' ')' '' \
	'func M() string { return b.B() + string(rune(48+c.C)) }' >"$WT/m2/m2.go"
W=$T/w

# ---- helpers -----------------------------------------------------------
mask() { # FILE: paths and the program name made comparable; downloads sorted
	sed -e "s#$T/mc-gt#\$MC#g; s#$T/mc-go#\$MC#g; s#$T#\$T#g; s#^gotool: #go: #; s#'gotool #'go #g" "$1" >"$1.m"
	{ grep '^go: downloading ' "$1.m" || true; } | sort
	grep -v '^go: downloading ' "$1.m" || true
}
tree() { # DIR: names, types, modes and content hashes (lock files left out)
	[ -d "$1" ] || return 0
	(cd "$1" && find . \( -name '*.lock' -o -name '*.tmp' -o -name lock \) -prune -o -printf '%p %y %m\n' | sort |
		while read -r p y m; do
			if [ "$y" = f ]; then echo "$p $m $(sha256sum <"$p" | cut -c1-16)"; else echo "$p $y $m"; fi
		done)
}
fresh() {
	chmod -R u+rwx "$T/mc-go" "$T/mc-gt" 2>/dev/null || true
	rm -rf "$T/mc-go" "$T/mc-gt"
}
# setup: the workspace from the template, then the files given as
# NAME=SOURCE (a path under the workspace, a file copied there)
setup() {
	rm -rf "$W"
	cp -a "$WT" "$W"
	local kv
	for kv in "$@"; do cp "${kv#*=}" "$W/${kv%%=*}"; done
}
# both LABEL DIR [NAME=SOURCE...] [ENV=V...] -- ARGS...: "go ARGS" in the
# workspace directory DIR (relative to it) under go and gotool, each on a
# fresh copy of the workspace (with the NAME=SOURCE files) and its own
# module cache; @BIN@ in ARGS is the tool's own output binary.  NOTREE:
# the module caches are not compared (go fetches go.mod files in parallel
# and its Fatalf stops the ones in flight, so what it left is timing).
both() {
	local label=$1 dir=$2
	shift 2
	local files=() envs=() notree=
	while [ "$1" != -- ]; do
		case $1 in
		NOTREE) notree=1 ;;
		GO*=*) envs+=("$1") ;;
		*) files+=("$1") ;;
		esac
		shift
	done
	shift
	n=$((n + 1))
	local r1=0 r2=0 tool
	for tool in go gt; do
		local bin=$GO mc=$T/mc-go r=0 gc=${GOTOOL_E2E_GOCACHE:-$T/gocache-go}
		[ $tool = gt ] && bin=$GOTOOL mc=$T/mc-gt gc=$T/gocache-gt
		local args=("${@//@BIN@/$T/$tool.bin}")
		setup "${files[@]}"
		rm -f "$T/$tool.bin"
		(cd "$W/$dir" && env "${envs[@]}" GOMODCACHE="$mc" GOPATH="$T/gopath" GOCACHE="$gc" "$bin" "${args[@]}") \
			>"$T/$tool.out" 2>"$T/$tool.err" || r=$?
		[ $tool = go ] && r1=$r || r2=$r
		tree "$W" >"$T/$tool.wtree"
		rm -rf "$T/$tool.w"
		mv "$W" "$T/$tool.w"
	done
	mask "$T/go.out" >"$T/a.out"
	mask "$T/gt.out" >"$T/b.out"
	mask "$T/go.err" >"$T/a.err"
	mask "$T/gt.err" >"$T/b.err"
	if [ "$r1" != "$r2" ] || ! cmp -s "$T/a.out" "$T/b.out" || ! cmp -s "$T/a.err" "$T/b.err"; then
		echo "FAIL: $label: go exit $r1, gotool exit $r2"
		diff -u "$T/a.out" "$T/b.out" || true
		diff -u "$T/a.err" "$T/b.err" || true
		fail=1
	fi
	if ! cmp -s "$T/go.wtree" "$T/gt.wtree"; then
		echo "FAIL: $label: the workspaces differ after go and after gotool"
		diff -u "$T/go.wtree" "$T/gt.wtree" || true
		for f in go.work.sum m1/go.sum m2/go.sum; do
			diff -u "$T/go.w/$f" "$T/gt.w/$f" 2>/dev/null || true
		done
		fail=1
	fi
	if [ -e "$T/go.bin" ] || [ -e "$T/gt.bin" ]; then
		if ! cmp -s "$T/go.bin" "$T/gt.bin"; then
			echo "FAIL: $label: the binaries differ"
			fail=1
		fi
	fi
	tree "$T/mc-go" >"$T/a.tree"
	tree "$T/mc-gt" >"$T/b.tree"
	if [ -z "$notree" ] && ! cmp -s "$T/a.tree" "$T/b.tree"; then
		echo "FAIL: $label: module caches differ"
		diff -u "$T/a.tree" "$T/b.tree" || true
		fail=1
	fi
}
# want LABEL FILE: FILE (after go) exists / does not exist as expected
want_file() {
	local label=$1 f=$2 exist=$3
	if { [ "$exist" = yes ] && [ ! -e "$T/go.w/$f" ]; } || { [ "$exist" = no ] && [ -e "$T/go.w/$f" ]; }; then
		echo "FAIL: $label: $f exists: want $exist"
		fail=1
	fi
}

# ---- no sums anywhere: go.work.sum gets them -------------------------------
fresh
both "build into an empty cache" m1 "$OK" -- build -trimpath -o @BIN@ .
want_file "build into an empty cache" go.work.sum yes
cp "$T/go.w/go.work.sum" "$T/full.sum"
if [ "$(GOMODCACHE=$T/mc-gt GOPROXY=off GOCACHE=$T/gocache-gt "$T/gt.bin" 2>&1)" != "a+d b113" ]; then
	echo "FAIL: the workspace program's output"
	fail=1
fi
# the modules cached, no sums: they are checked and added (checkMod,
# checkGoMod), the build info's hashes as go writes them
both "build from the cache, no sums" m1 "$OK" -- build -trimpath -o @BIN@ .
fresh
both "list -m all into an empty cache" . "$OK" -- list -m all
want_file "list -m all" go.work.sum yes

# ---- mod download in a workspace: "all" without arguments, go.work.sum written
fresh
both "mod download (all) into an empty cache" . "$OK" -- mod download
want_file "mod download (all)" go.work.sum yes
# a module of the graph (not a root), a workspace module, a query
fresh
both "mod download -json of graph modules" m1 "$OK" -- mod download -json example.com/d example.com/m2 example.com/c@upgrade

# ---- sums already in a workspace module's go.sum ----------------------------
# (list -deps downloads the zips as a build does, with no compiling)
# m2/go.sum holds b's and c's lines: go.work.sum gets only a's and d's, and
# an existing go.work.sum loses its c lines when it is rewritten
grep -E '^example.com/[bc] ' "$T/full.sum" >"$T/m2.sum"
{
	grep '^example.com/c ' "$T/full.sum"
	echo 'example.com/x v1.0.0/go.mod h1:Iz4LqFwWPTXGh7fB4pLUjv0WBm2F5Au27mBiQgYnuU8='
} >"$T/old.work.sum"
fresh
both "sums in m2/go.sum" m1 m2/go.sum="$T/m2.sum" go.work.sum="$T/old.work.sum" "$OK" -- list -deps .
# every sum in the modules' go.sum files: no go.work.sum at all
fresh
both "every sum in the modules' go.sum" m1 m1/go.sum="$T/full.sum" "$OK" -- list -deps .
want_file "every sum in the modules' go.sum" go.work.sum no

# ---- bad cases -------------------------------------------------------------
# d's zip sum in m1/go.sum is c's: go names m1/go.sum by its path.  The
# package built is a, which imports d: the downloads come one after the
# other (a program's imports would be downloaded in parallel by go).  The
# caches differ as in e2e/fetch's mismatch case: gotool fetches a's .info
# as it loads a, go only once every import is resolved.
sed -e "s#^example.com/d v1.0.0 h1:.*#example.com/d v1.0.0 $(awk '$1 == "example.com/c" && $2 == "v1.2.0" {print $3}' "$T/full.sum")#" \
	"$T/full.sum" >"$T/bad.sum"
fresh
both "zip checksum mismatch (m1/go.sum)" m1 m1/go.sum="$T/bad.sum" NOTREE "$OK" -- build -trimpath -o /dev/null example.com/a
# c's go.mod sum in go.work.sum is a's
sed -e "s#^example.com/c v1.2.0/go.mod h1:.*#example.com/c v1.2.0/go.mod $(awk '$2 == "v1.0.0/go.mod" && $1 == "example.com/a" {print $3}' "$T/full.sum")#" \
	"$T/full.sum" >"$T/badmod.sum"
fresh
both "go.mod checksum mismatch (go.work.sum)" m1 go.work.sum="$T/badmod.sum" NOTREE "$OK" -- build -trimpath -o /dev/null .
fresh
both "GOPROXY=off" m1 GOPROXY=off -- build -trimpath -o /dev/null .

echo "workfetch: $n cases"
exit $fail
