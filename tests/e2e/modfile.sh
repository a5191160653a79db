#!/usr/bin/env bash
# -modfile=FILE (an alternate go.mod, its go.sum beside it as FILE's
# ".mod" made ".sum"; the module root is still the directory of the go.mod
# found from the current directory), mod download over the module graph
# (go 1.16 modules, module paths the main go.mod does not require, "..."
# patterns) and mod why in a workspace, gotool against the real go (go1.26)
# on the module world of tests/fixtures/modtidy (its file:// proxy):
#
#   alt    m21 with its tidy go.mod and go.sum moved to alt.mod and
#          alt.sum, and a go.mod of another module in their place
#   untidy m21 with its go.mod copied to alt.mod, no alt.sum
#
# The real go fills the module cache first (go mod tidy on m21 and m16);
# then each case runs under both tools on fresh copies, and stdout, stderr,
# exit status and the files a command may write (go.mod, go.sum, alt.mod,
# alt.sum, vendor/modules.txt, go.work.sum, x.mod) are compared.
# Env: GOTOOL, TESTS, GO (default /usr/local/go/bin/go); MODFILE_KEEP=1
# keeps the temp dir.
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
TESTS=${TESTS:-$(cd "$(dirname "$0")/.." && pwd)}
if [[ ! -x ${GOTOOL:-} ]]; then
	echo "modfile.sh: GOTOOL not set to a built gotool" >&2
	exit 1
fi
asan=
if grep -qa __asan_init "$GOTOOL"; then
	asan=1
	echo "modfile: ASan build of gotool: a subset of the cases"
fi
# full: the cases the ASan build leaves out (the same code runs in the others)
full() { [[ -z $asan ]]; }

tmp=$(mktemp -d /tmp/gotool-modfile.XXXXXX)
cleanup() { chmod -R u+rwx "$tmp" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
if [[ -n ${MODFILE_KEEP:-} ]]; then
	trap - EXIT
	echo "modfile: temp dir $tmp"
fi

export GOFLAGS= GOTOOLCHAIN=local GOENV=off GOSUMDB=off GONOSUMDB= GOPRIVATE= GONOPROXY= CGO_ENABLED=0
export GOPATH=$tmp/gopath GOMODCACHE=$tmp/modcache
unset GOWORK GODEBUG GOBIN GOFIPS140 GOOS GOARCH GOEXPERIMENT GO111MODULE
export GOCACHE=${GOTOOL_E2E_GOCACHE:-$tmp/gocache}
mkdir -p "$GOCACHE"

fix=$TESTS/fixtures/modtidy
python3 "$fix/mkproxy.py" "$tmp/proxy"
export GOPROXY=file://$tmp/proxy
for m in m21 m16; do
	cp -r "$fix/$m" "$tmp/fill-$m"
	(cd "$tmp/fill-$m" && "$GO" mod tidy) >/dev/null 2>&1
done
[[ -s $tmp/fill-m21/go.sum ]] || { echo "modfile: go did not write m21's go.sum" >&2; exit 1; }

# the fixtures
F=$tmp/fix
mkdir -p "$F"
cp -r "$fix/m21" "$F/alt"
cp "$tmp/fill-m21/go.mod" "$F/alt/alt.mod"
cp "$tmp/fill-m21/go.sum" "$F/alt/alt.sum"
printf 'module example.com/bogus\n\ngo 1.21\n' >"$F/alt/go.mod"
cp -r "$fix/m21" "$F/untidy"
cp "$F/untidy/go.mod" "$F/untidy/alt.mod"
cp -r "$tmp/fill-m16" "$F/m16"
# a workspace: alt (its own tidy go.mod) and m16
mkdir -p "$F/ws"
cp -r "$tmp/fill-m21" "$F/ws/m21"
cp -r "$tmp/fill-m16" "$F/ws/m16"
printf 'go 1.22.0\n\nuse (\n\t./m16\n\t./m21\n)\n' >"$F/ws/go.work"

fails=0
ncases=0
files=(go.mod go.sum alt.mod alt.sum vendor/modules.txt go.work.sum x.mod x.sum sub/x.mod m21/go.sum m16/go.sum)
# check FIXTURE [DIR=D] [SETUP] -- ARGS...: fresh copies of the fixture for
# each tool, SETUP (a shell snippet) run in both, then ARGS under both
# tools in the copy's directory D (default: its root).
check() {
	local m=$1 setup=: dir=.
	shift
	if [[ $1 == DIR=* ]]; then
		dir=${1#DIR=}
		shift
	fi
	if [[ $1 != -- ]]; then
		setup=$1
		shift
	fi
	shift
	ncases=$((ncases + 1))
	local o=$tmp/out
	chmod -R u+rwx "$o" 2>/dev/null || true
	rm -rf "$o"
	mkdir -p "$o"
	cp -r "$F/$m" "$o/g"
	cp -r "$F/$m" "$o/t"
	(cd "$o/g" && eval "$setup")
	(cd "$o/t" && eval "$setup")
	local grc=0 trc=0
	(cd "$o/g/$dir" && "$GO" "$@" >"$o/go.out" 2>"$o/go.err") || grc=$?
	(cd "$o/t/$dir" && "$GOTOOL" "$@" >"$o/gt.out" 2>"$o/gt.err") || trc=$?
	sed -i 's/^gotool: /go: /; s/\([^a-z]\)gotool: /\1go: /; s/^usage: gotool /usage: go /; s/^Run .gotool help/Run '"'"'go help/; s/^\tgotool /\tgo /' "$o/gt.err"
	sed -i "s#$o/g#\$W#g" "$o/go.out" "$o/go.err"
	sed -i "s#$o/t#\$W#g" "$o/gt.out" "$o/gt.err"
	local bad=
	if ! cmp -s "$o/go.out" "$o/gt.out"; then
		echo "--- stdout differs: ($m; $setup; $*)"
		diff -u "$o/go.out" "$o/gt.out" | head -40 || true
		bad=1
	fi
	if ! cmp -s "$o/go.err" "$o/gt.err"; then
		echo "--- stderr differs: ($m; $setup; $*)"
		diff -u "$o/go.err" "$o/gt.err" | head -40 || true
		bad=1
	fi
	if [[ $grc != "$trc" ]]; then
		echo "--- exit code differs: ($m; $*): go $grc, gotool $trc"
		bad=1
	fi
	local f
	for f in "${files[@]}"; do
		if [[ -e $o/g/$f && ! -e $o/t/$f ]] || [[ ! -e $o/g/$f && -e $o/t/$f ]]; then
			echo "--- $f exists for one tool only: ($m; $*)"
			bad=1
		elif [[ -e $o/g/$f ]] && ! cmp -s "$o/g/$f" "$o/t/$f"; then
			echo "--- $f differs: ($m; $setup; $*)"
			diff -u "$o/g/$f" "$o/t/$f" | head -40 || true
			bad=1
		fi
	done
	[[ -n $bad ]] && fails=$((fails + 1))
	return 0
}

# ---- -modfile: reading -------------------------------------------------------
check alt -- list -modfile=alt.mod -m -json
check alt -- list -modfile=alt.mod -deps ./...
full && check alt -- mod graph -modfile=alt.mod
check alt -- mod why -modfile=alt.mod example.com/tt example.com/u
full && check alt -- mod verify -modfile=alt.mod
check alt -- mod download -modfile=alt.mod -json example.com/a
check alt -- mod download -modfile=alt.mod
check alt DIR=sub -- list -modfile=../alt.mod -m
full && check alt DIR=sub -- list -modfile=alt.mod -m
check alt "rm alt.sum" -- list -modfile=alt.mod -deps ./sub
check alt "echo bogus >>alt.mod" -- list -modfile=alt.mod -m
check alt -- list -modfile=alt.txt -m
full && check alt -- list -modfile=missing.mod -m
full && check alt -- list -modfile= -m
check alt "printf 'go 1.22\\nuse .\\n' >go.work" -- list -modfile=alt.mod -m
check alt "printf 'go 1.22\\nuse .\\n' >go.work" -- mod download -modfile=alt.txt
full && check alt "printf 'go 1.22\\nuse .\\n' >go.work" -- work vendor -modfile=alt.mod
full && check alt "printf 'go 1.22\\nuse .\\n' >go.work" -- mod why -modfile=alt.mod example.com/tt
# go mod tidy and go get never read go.work
check alt "printf 'go 1.22\\nuse .\\n' >go.work" -- mod tidy -modfile=alt.mod
check alt DIR=.. -- list -modfile=alt.mod -m
full && check alt DIR=.. -- build -modfile=x.mod fmt
check alt -- install -modfile=alt.mod example.com/x@v1.1.0
full && check alt -- run -modfile=alt.mod example.com/x@v1.1.0
check alt "mkdir e" -- mod init -modfile=x.mod example.com/q
full && check alt "mkdir e" -- mod init -modfile=x.txt example.com/q
GOFLAGS=-modfile=alt.mod check alt -- list -m
check alt -- mod edit -modfile=alt.mod -require=example.com/x@v1.2.0
full && check alt -- mod edit -modfile=alt.txt -json
full && check alt DIR=.. -- mod edit -modfile=alt.mod -json

# ---- -modfile: writing -------------------------------------------------------
check untidy -- mod tidy -modfile=alt.mod
full && check untidy -- mod tidy -modfile=alt.mod -diff
check alt -- mod vendor -modfile=alt.mod
check alt -- get -modfile=alt.mod example.com/x@v1.2.0
full && check alt -- get -modfile=alt.mod example.com/u@none
check alt -- mod download -modfile=alt.mod example.com/r2@v1.0.0

# ---- mod download over the module graph ---------------------------------------
check m16 -- mod download
full && check m16 -- mod download -json example.com/deep
check alt -- mod download -modfile=alt.mod -json example.com/leaf example.com/nosuch
check alt -- mod download -modfile=alt.mod -json 'example.com/...' 'example.com/t...' 'example.org/...'
check alt -- mod download -modfile=alt.mod -json example.com/leaf@upgrade example.com/uu@patch
check ws -- mod download -json
check ws -- mod download -json example.com/leaf example.com/m16 example.com/m21@upgrade
# m21's exclude of example.com/x v1.2.0 holds in the workspace (m16 is first)
check ws -- mod download -json example.com/x@v1.2.0 example.com/x@latest
full && check ws -- list -m example.com/x@latest example.com/x@v1.2.0

# ---- mod why in a workspace, and outside the main module's directory -----------
check ws DIR=m21 -- mod why example.com/tt example.com/deep
check ws -- mod why -m example.com/tt example.com/deep example.com/u example.com/nosuch
full && check ws -- mod why -vendor example.com/m21/sub example.com/u example.com/tt
check ws -- mod why
full && check ws -- mod why -m
check ws DIR=other "mkdir other" -- mod why
full && check ws DIR=m21/sub -- mod why
check alt DIR=sub -- mod why -modfile=../alt.mod
full && check alt DIR=sub -- mod why -modfile=../alt.mod -m

echo "modfile: $ncases cases, $fails failed"
[[ $fails == 0 ]]
