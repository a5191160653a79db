#!/usr/bin/env bash
# Toolchain selection (cmd/toolchain.c) against the real go: GOTOOLCHAIN
# and the go/toolchain lines of go.mod and go.work choose a toolchain; a
# newer one is downloaded as the golang.org/toolchain module from a
# file:// proxy holding a fake go1.99.0 (a few files of a GOROOT, a bin/go
# script that says how it was run).  go runs that bin/go; gotool runs
# itself over the unpacked GOROOT, so `env GOVERSION GOROOT` shows the
# switch.  Compared with go: the stderr (program name masked), the exit
# status, and the module cache each leaves (names, modes, contents: the
# execute bits and _go.mod copies go makes on first use).  Bad settings
# and a missing toolchain give go's errors.  go get go@1.99.0 switches in
# the middle of the command (SwitchOrFatal).
set -euo pipefail
GO=${GO:-/usr/local/go/bin/go}
T=$(mktemp -d)
cleanup() {
	chmod -R u+rwx "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
export HOME="$T/home" GOFLAGS= GOENV=off GOSUMDB=off GONOSUMDB= GOPRIVATE= GONOPROXY= GOINSECURE= \
	GOPATH="$T/gopath" GOCACHE="$T/gocache" GO111MODULE= GOWORK= GOTOOLCHAIN=auto
unset GOMODCACHE GODEBUG GOOS GOARCH GOROOT GOTOOLCHAIN_INTERNAL_SWITCH_VERSION GOTOOLCHAIN_INTERNAL_SWITCH_COUNT
mkdir -p "$HOME"
LOCAL=$("$GO" env GOVERSION)
fail=0
n=0

# ---- the fake toolchain module -----------------------------------------
P=$T/proxy
python3 - "$P" <<'PY'
import json, os, sys, zipfile
p = sys.argv[1]
ver = "go1.99.0"
mv = "v0.0.1-%s.linux-amd64" % ver
d = os.path.join(p, "golang.org/toolchain/@v")
os.makedirs(d)
real = lambda f: open("/usr/local/go/" + f).read()
files = {
    "VERSION": ver + "\ntime 2026-01-01T00:00:00Z\n",
    "go.env": real("go.env"),
    "bin/go": "#!/bin/sh\necho \"fake go $GOTOOLCHAIN_INTERNAL_SWITCH_VERSION count=$GOTOOLCHAIN_INTERNAL_SWITCH_COUNT $*\"\n",
    "bin/gofmt": "#!/bin/sh\n",
    "pkg/tool/linux_amd64/compile": "#!/bin/sh\n",
    "pkg/tool/linux_amd64/link": "#!/bin/sh\n",
    "lib/wasm/go_js_wasm_exec": "#!/bin/sh\n",
    "lib/wasm/wasm_exec.js": "//\n",
    "src/_go.mod": "module std\n\ngo 1.99\n",
    "src/cmd/_go.mod": "module cmd\n\ngo 1.99\n",
    "src/fmt/print.go": "package fmt\n",
    # what gotool reads of a GOROOT to configure itself
    "src/internal/goexperiment/flags.go": real("src/internal/goexperiment/flags.go"),
    "src/internal/buildcfg/exp.go": real("src/internal/buildcfg/exp.go"),
    "src/internal/buildcfg/zbootstrap.go": real("src/internal/buildcfg/zbootstrap.go"),
}
with zipfile.ZipFile(os.path.join(d, mv + ".zip"), "w") as z:
    for n in sorted(files):
        z.writestr("golang.org/toolchain@%s/%s" % (mv, n), files[n])
open(os.path.join(d, mv + ".mod"), "w").write("module golang.org/toolchain\n")
open(os.path.join(d, mv + ".info"), "w").write(json.dumps({"Version": mv, "Time": "2026-01-01T00:00:00Z"}))
open(os.path.join(d, "list"), "w").write(mv + "\n")
PY
export GOPROXY=file://$P

# ---- helpers -------------------------------------------------------------
mask() { # FILE
	sed -e "s#$T/mc-gotool#\$MC#g; s#$T/mc-go#\$MC#g; s#$T#\$T#g; s#^gotool: #go: #" "$1"
}
tree() { # DIR: names, types, modes and content hashes
	[ -d "$1" ] || return 0
	(cd "$1" && find . -name '*.lock' -prune -o -printf '%p %y %m\n' | sort |
		while read -r p y m; do
			if [ "$y" = f ]; then echo "$p $m $(sha256sum <"$p" | cut -c1-16)"; else echo "$p $y $m"; fi
		done)
}
bad() {
	echo "FAIL: $*"
	fail=$((fail + 1))
}
# run TOOL LABEL DIR [ENV=V...] -- ARGS: stdout, stderr and status in $T/out/TOOL.LABEL.*
run() {
	local tool=$1 label=$2 dir=$3 bin
	shift 3
	[[ $dir == /* ]] || dir=$T/$dir
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	if [ "$tool" = go ]; then bin=$GO; else bin=$GOTOOL; fi
	mkdir -p "$T/out"
	set +e
	(cd "$dir" && env GOMODCACHE="$T/mc-$tool" "${envs[@]}" "$bin" "$@") \
		>"$T/out/$tool.$label.out" 2>"$T/out/$tool.$label.err"
	echo $? >"$T/out/$tool.$label.rc"
	set -e
}
# same LABEL DIR [ENV=V...] -- ARGS: go and gotool agree on stderr, status and cache
same() {
	local label=$1
	n=$((n + 1))
	run go "$@"
	run gotool "$@"
	local o=$T/out
	if ! cmp -s "$o/go.$label.rc" "$o/gotool.$label.rc"; then
		bad "$label: exit status go $(cat "$o/go.$label.rc") gotool $(cat "$o/gotool.$label.rc")"
		sed 's/^/    gotool: /' "$o/gotool.$label.err"
	fi
	if ! diff <(mask "$o/go.$label.err") <(mask "$o/gotool.$label.err") >"$o/$label.diff"; then
		bad "$label: stderr differs (go <, gotool >)"
		sed 's/^/    /' "$o/$label.diff"
	fi
	if ! diff <(tree "$T/mc-go") <(tree "$T/mc-gotool") >"$o/$label.tree"; then
		bad "$label: module caches differ (go <, gotool >)"
		sed 's/^/    /' "$o/$label.tree" | head -20
	fi
}
expect_out() { # LABEL TOOL WANT
	n=$((n + 1))
	local got
	got=$(mask "$T/out/$2.$1.out")
	[ "$got" = "$3" ] || bad "$1: $2 printed '$got', want '$3'"
}
mkmod() { # DIR GOMOD
	mkdir -p "$T/$1"
	printf '%s' "$2" >"$T/$1/go.mod"
}
MC=$T/mc-gotool/golang.org/toolchain@v0.0.1-go1.99.0.linux-amd64

# ---- switching -----------------------------------------------------------
mkmod new $'module example.com/new\n\ngo 1.99\n'
# the go line asks for go1.99.0: downloaded (with go's line), made
# executable, _go.mod copied, and run with the target and count set
same go-line new -- env GOVERSION GOROOT
expect_out go-line go 'fake go go1.99.0 count=1 env GOVERSION GOROOT'
expect_out go-line gotool "go1.99.0
\$MC/golang.org/toolchain@v0.0.1-go1.99.0.linux-amd64"
[ -x "$MC/bin/go" ] && [ -x "$MC/pkg/tool/linux_amd64/compile" ] && [ -x "$MC/lib/wasm/go_js_wasm_exec" ] &&
	[ ! -x "$MC/lib/wasm/wasm_exec.js" ] && [ ! -x "$MC/src/fmt/print.go" ] || bad "go-line: execute bits"
cmp -s "$MC/src/_go.mod" "$MC/src/go.mod" && cmp -s "$MC/src/cmd/_go.mod" "$MC/src/cmd/go.mod" ||
	bad "go-line: _go.mod files not copied to go.mod"
# in the cache now: no download line
same go-line-again new -- env GOVERSION
expect_out go-line-again gotool go1.99.0
# the switched gotool runs the command: version reports the toolchain
run gotool version new -- version
n=$((n + 1))
grep -q ' (go1.99.0 linux/amd64)$' "$T/out/gotool.version.out" || bad "version: $(cat "$T/out/gotool.version.out")"
# the switch variables do not reach the programs gotool runs
n=$((n + 1))
env_after=$(cd "$T/new" && GOMODCACHE=$T/mc-gotool "$GOTOOL" env GOTOOLCHAIN_INTERNAL_SWITCH_COUNT GOTOOLCHAIN_INTERNAL_SWITCH_VERSION 2>&1 || true)
[ -z "$(printf '%s' "$env_after" | tr -d '\n')" ] || bad "switch variables left in the environment: $env_after"

# a toolchain line newer than the go line; one older than local is ignored
mkmod tcline $'module example.com/tcline\n\ngo 1.21\n\ntoolchain go1.99.0\n'
same tcline tcline -- env GOVERSION
expect_out tcline gotool go1.99.0
mkmod oldtc $'module example.com/oldtc\n\ngo 1.21\n\ntoolchain go1.22.0\n'
same oldtc oldtc -- env GOVERSION
expect_out oldtc gotool "$LOCAL"
# toolchain default: the go line's demand is not met by switching
mkmod deftc $'module example.com/deftc\n\ngo 1.99\n\ntoolchain default\n'
same deftc deftc -- list
# go.work decides over go.mod
mkdir -p "$T/ws/m"
printf 'module example.com/m\n\ngo 1.21\n' >"$T/ws/m/go.mod"
printf 'go 1.99\n\nuse ./m\n' >"$T/ws/go.work"
same work ws/m -- env GOVERSION
expect_out work gotool go1.99.0
same work-off ws/m GOWORK=off -- env GOVERSION
expect_out work-off gotool "$LOCAL"
# GOTOOLCHAIN names one; local and a +auto minimum
same explicit "$T" GOTOOLCHAIN=go1.99.0 -- env GOVERSION
expect_out explicit gotool go1.99.0
same local new GOTOOLCHAIN=local -- list
same min-auto oldtc GOTOOLCHAIN=go1.99.0+auto -- env GOVERSION
expect_out min-auto gotool go1.99.0
# env GOTOOLCHAIN and GOMOD are answered by the local toolchain
same env-special new -- env GOTOOLCHAIN
expect_out env-special gotool auto
# a toolchain in PATH that is a Go distribution's bin/go: used, not downloaded
mkdir -p "$T/sdk" "$T/pathbin"
cp -r "$MC" "$T/sdk/go1.99.0"
chmod -R u+w "$T/sdk"
ln -s "$T/sdk/go1.99.0/bin/go" "$T/pathbin/go1.99.0"
rm -rf "$T/mc-go" "$T/mc-gotool"
same path new "PATH=$T/pathbin:$PATH" -- env GOVERSION GOROOT
expect_out path go 'fake go go1.99.0 count=1 env GOVERSION GOROOT'
expect_out path gotool "go1.99.0
\$T/sdk/go1.99.0"
same path-only-missing new GOTOOLCHAIN=path -- env GOVERSION

# ---- errors ----------------------------------------------------------------
same missing "$T" GOTOOLCHAIN=go1.98.0 -- env GOVERSION
same lang "$T" GOTOOLCHAIN=go1.98 -- env GOVERSION
same bad-name "$T" GOTOOLCHAIN=banana -- env GOVERSION
same bad-suffix "$T" GOTOOLCHAIN=go1.99.0+foo -- env GOVERSION
same bad-min "$T" GOTOOLCHAIN=banana+auto -- env GOVERSION
mkmod badtc $'module example.com/badtc\n\ngo 1.21\n\ntoolchain banana\n'
same badtc badtc -- env GOVERSION
# two proxies: the checksum database is a must for toolchains, even with GOSUMDB=off
same sumdb-must new "GOPROXY=file://$P,off" -- env GOVERSION
same proxy-off new GOPROXY=off -- env GOVERSION
same wrong-target "$T" GOTOOLCHAIN=local GOTOOLCHAIN_INTERNAL_SWITCH_VERSION=go1.50.0 -- env GOVERSION
# nothing half-made: the failed downloads left no toolchain tree
n=$((n + 1))
[ ! -e "$T/mc-gotool/golang.org/toolchain@v0.0.1-go1.98.0.linux-amd64" ] || bad "a missing toolchain left a tree"

# go get go@1.99.0 outgrows the local toolchain in the middle of the command
# (SwitchOrFatal): go runs the fake bin/go with the same arguments, gotool
# runs itself over the fake GOROOT and writes the go line
mkmod getsw $'module example.com/getsw\n\ngo 1.21\n'
run go get-switch getsw -- get go@1.99.0
run gotool get-switch getsw -- get go@1.99.0
n=$((n + 1))
expect_out get-switch go 'fake go go1.99.0 count=1 get go@1.99.0'
if ! diff <(mask "$T/out/go.get-switch.err"; echo "go: upgraded go 1.21 => 1.99.0") \
	<(mask "$T/out/gotool.get-switch.err") >"$T/out/get-switch.diff"; then
	bad "get-switch: stderr differs (go and the line gotool's switched run adds <, gotool >)"
	sed 's/^/    /' "$T/out/get-switch.diff"
fi
grep -q '^go 1.99.0$' "$T/getsw/go.mod" || bad "get-switch: go.mod: $(cat "$T/getsw/go.mod")"

echo "toolchain: $n checks, $fail failures"
[ "$fail" -eq 0 ]
