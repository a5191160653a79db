#!/usr/bin/env bash
# The modinfo line of importcfg.link compared with the real go (go1.26).
#
# Builds a small module (a main package, a local package, a dependency
# replaced by a local directory) under several flag sets with `go build -n`,
# which prints the importcfg.link it would write, and compares its modinfo
# line with what the link room produces from the same inputs through the
# link_test driver (tests/unit/link_test.c `modinfo` mode).  One case also
# runs `go build -work -x` and checks that the file on disk is what -n showed.
# DefaultGODEBUG, GOOS/GOARCH and the arch variable are asked of the real go
# (go list / go env): they are inputs here, computed elsewhere in gotool.
#
# Env: GOTOOL (built gotool; the driver is ${GOTOOL%/*}/tests/link_test, or
# $LINK_TEST), GO (default /usr/local/go/bin/go).
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
LT=${LINK_TEST:-${GOTOOL%/*}/tests/link_test}
if [[ ! -x $LT ]]; then
	echo "link_modinfo.sh: driver $LT not built" >&2
	exit 1
fi

tmp=$(mktemp -d)
cleanup() { chmod -R u+rwx "$tmp" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

export GOFLAGS= GOPROXY=off GOWORK=off GOTOOLCHAIN=local GOENV=off
export GOCACHE=$tmp/cache GOPATH=$tmp/gopath
unset GODEBUG GOEXPERIMENT GOARCH GOOS GOARM GOAMD64 CGO_ENABLED GOFIPS140 \
	CGO_CFLAGS CGO_CPPFLAGS CGO_CXXFLAGS CGO_LDFLAGS

mkdir -p "$tmp/m/sub" "$tmp/dep"
cat >"$tmp/m/go.mod" <<'EOF'
module example.com/m

go 1.24

require example.com/dep v1.2.0

replace example.com/dep => ../dep
EOF
cat >"$tmp/m/main.go" <<'EOF'
package main

import (
	"fmt"

	"example.com/dep"
	"example.com/m/sub"
)

func main() { fmt.Println(sub.X, dep.Y) }
EOF
echo 'package sub; const X = 1' >"$tmp/m/sub/s.go"
printf 'module example.com/dep\n\ngo 1.20\n' >"$tmp/dep/go.mod"
echo 'package dep; const Y = 2' >"$tmp/dep/d.go"

fail=0
ncase=0

# check NAME 'ENV=V ...' 'GO BUILD FLAGS...' 'DRIVER ARGS...' [TARGET]
# The flag lists are eval'ed words so they can carry quotes.
check() {
	local name=$1 envs=$2 flags=$3 extra=$4 target=${5:-.}
	local -a envv flagv extrav
	eval "envv=($envs)"
	eval "flagv=($flags)"
	eval "extrav=($extra)"
	ncase=$((ncase + 1))
	local out want got godebug goos goarch archvar archval path
	out=$(cd "$tmp/m" && env "${envv[@]}" "$GO" build -n -o "$tmp/out" "${flagv[@]}" "$target" 2>&1) || {
		echo "FAIL $name: go build -n failed:"; echo "$out"; fail=1; return; }
	want=$(printf '%s\n' "$out" | grep '^modinfo ' || true)
	local -a modargs=(mod=example.com/m)
	path=example.com/m
	if [[ $target == *.go ]]; then
		# files named on the command line have no module of their own, so
		# setBuildInfo records the main module as a plain dependency
		path=command-line-arguments
		modargs=('dep=example.com/m@(devel)@')
	fi
	godebug=$(cd "$tmp/m" && env "${envv[@]}" "$GO" list -f '{{.DefaultGODEBUG}}' "$target")
	goos=$(env "${envv[@]}" "$GO" env GOOS)
	goarch=$(env "${envv[@]}" "$GO" env GOARCH)
	case $goarch in
	amd64) archvar=GOAMD64 ;; arm) archvar=GOARM ;; arm64) archvar=GOARM64 ;; 386) archvar=GO386 ;;
	*) archvar= ;;
	esac
	archval=
	[[ -n $archvar ]] && archval=$(env "${envv[@]}" "$GO" env "$archvar")
	got=$("$LT" modinfo path="$path" "${modargs[@]}" deprepl='example.com/dep@v1.2.0@../dep@(devel)' \
		godebug="$godebug" goos="$goos" goarch="$goarch" ${archvar:+archvar="$archvar=$archval"} \
		"${extrav[@]}" 2>&1) || true
	if [[ "$got" != "$want" ]]; then
		echo "FAIL $name"
		diff <(printf '%s\n' "$want" | sed 's/\\n/\\n\n/g') <(printf '%s\n' "$got" | sed 's/\\n/\\n\n/g') \
			--label "go build -n" --label "link_test" -u || true
		fail=1
	fi
}

cgo=$("$GO" env CGO_ENABLED)
check base '' '' "cgo=$cgo"
check trimpath '' '-trimpath' "cgo=$cgo trimpath=1"
check ldflags-quotes '' "-ldflags=\"-X 'main.v=a b' -s\"" "cgo=$cgo \"ldflags=-X 'main.v=a b' -s\""
check ldflags-last '' "-ldflags=-w '-ldflags=-X \"main.v=q\"'" \
	"cgo=$cgo ldflags=-w 'ldflags=-X \"main.v=q\"'"
check ldflags-trimpath '' "-trimpath '-ldflags=-X main.v=1'" "cgo=$cgo trimpath=1 'ldflags=-X main.v=1'"
check tags '' '-tags=x,y' "cgo=$cgo tags=x,y"
check tags-space '' "'-tags=b a'" "cgo=$cgo tags=b,a"
check cgo0 'CGO_ENABLED=0' '' 'cgo=0'
check cgo1-flags "CGO_ENABLED=1 'CGO_CFLAGS=-O1 -g' CGO_LDFLAGS=-lm" '' \
	"cgo=1 'CGO_CFLAGS=-O1 -g' CGO_LDFLAGS=-lm"
check cgo1-flags-trimpath "CGO_ENABLED=1 'CGO_CFLAGS=-O1 -g'" '-trimpath' "cgo=1 trimpath=1"
check arm6 'GOARCH=arm GOARM=6 CGO_ENABLED=0' '' 'cgo=0'
check gcflags '' "'-gcflags=all=-N -l' -asmflags=" \
	"cgo=$cgo 'gcflags=all=-N -l' asmflags="
check gcflags-pattern '' "'-gcflags=example.com/m/...=-N' '-asmflags=std=-S -D x'" \
	"cgo=$cgo 'gcflags=example.com/m/...=-N' 'asmflags=std=-S -D x'"
check pie '' '-buildmode=pie' "cgo=$cgo buildmode=pie"
check goexperiment 'GOEXPERIMENT=nogreenteagc' '' "cgo=$cgo goexperiment=nogreenteagc"
check files '' '' "cgo=$cgo" main.go
: >"$tmp/m/default.pgo"
check pgo '' '' "cgo=$cgo pgo=$tmp/m/default.pgo"
check pgo-trimpath 'CGO_ENABLED=0' '-trimpath' "cgo=0 trimpath=1 pgo=$tmp/m/default.pgo"
rm "$tmp/m/default.pgo"

# The file go really writes matches what -n shows (and so our line).
ncase=$((ncase + 1))
x=$(cd "$tmp/m" && "$GO" build -work -x -o "$tmp/out" -ldflags='-X main.v=1' . 2>&1)
work=$(printf '%s\n' "$x" | sed -n 's/^WORK=//p' | head -1)
if [[ -z $work || ! -f $work/b001/importcfg.link ]]; then
	echo "FAIL work: no importcfg.link under WORK=$work"
	fail=1
else
	disk=$(grep '^modinfo ' "$work/b001/importcfg.link")
	got=$("$LT" modinfo path=example.com/m mod=example.com/m deprepl='example.com/dep@v1.2.0@../dep@(devel)' \
		godebug="$(cd "$tmp/m" && "$GO" list -f '{{.DefaultGODEBUG}}' .)" goos="$("$GO" env GOOS)" \
		goarch="$("$GO" env GOARCH)" cgo="$cgo" 'ldflags=-X main.v=1' \
		$([[ $("$GO" env GOARCH) == amd64 ]] && echo "archvar=GOAMD64=$("$GO" env GOAMD64)"))
	if [[ "$disk" != "$got" ]]; then
		echo "FAIL work: importcfg.link on disk"
		diff <(echo "$disk") <(echo "$got") || true
		fail=1
	fi
	# the last line is modinfo, and the main package comes first
	[[ $(tail -1 "$work/b001/importcfg.link") == modinfo* ]] || { echo "FAIL work: modinfo not last"; fail=1; }
	[[ $(head -1 "$work/b001/importcfg.link") == "packagefile example.com/m="* ]] || {
		echo "FAIL work: main package not first"; fail=1; }
	rm -rf "$work"
fi

if [[ $fail != 0 ]]; then
	exit 1
fi
echo "link_modinfo: $ncase cases match go"
