#!/usr/bin/env bash
# gotool env against the real go env: -json, plain text, named variables,
# -changed, modules and workspaces, a GOENV file, and -w/-u round trips.
# Only the random go-build work directory inside GOGCCFLAGS is masked.
set -euo pipefail
GO=${GO:-/usr/local/go/bin/go}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# Run gotool as "go" so that message prefixes compare equal.
mkdir -p "$T/bin"
ln -s "$GOTOOL" "$T/bin/go"
G="$T/bin/go"
export GOTOOLCHAIN=local GOPROXY=off
fail=0

# GOTOOLCACHE is gotool's own variable (its cache directory): only gotool
# lists it, so it is dropped before comparing and checked on its own below.
mask() { sed '/GOGCCFLAGS/s/go-build[0-9]*=/go-build=/; /^GOTOOLCACHE=/d; /^	"GOTOOLCACHE": /d'; }

# same LABEL CMD...: run as gotool and as go in the current dir, compare
# stdout, stderr and the exit status.
same() {
	local label=$1; shift
	local r1=0 r2=0
	"$G" "$@" >"$T/o1" 2>"$T/e1" || r1=$?
	"$GO" "$@" >"$T/o2" 2>"$T/e2" || r2=$?
	mask <"$T/o1" >"$T/o1m"; mask <"$T/o2" >"$T/o2m"
	if [ "$r1" != "$r2" ] || ! cmp -s "$T/o1m" "$T/o2m" || ! cmp -s "$T/e1" "$T/e2"; then
		echo "FAIL: $label: go $* (exit gotool=$r1 go=$r2)"
		diff -u "$T/o2m" "$T/o1m" || true
		diff -u "$T/e2" "$T/e1" || true
		fail=1
	fi
}

cd "$T"
same default env -json
for setting in "" "GOOS=windows GOARCH=amd64" "GOOS=js GOARCH=wasm" "CGO_ENABLED=0" \
	"GOARCH=arm GOARM=6" "GOARCH=arm" "GOARCH=386" "GOARCH=arm64" "GOARCH=mips" "GOARCH=ppc64le" \
	"GOARCH=riscv64" "GOFLAGS=-tags=x" "GOPRIVATE=example.com" "GOAMD64=v3" \
	"GOEXPERIMENT=nogreenteagc" "GO111MODULE=off" "GO111MODULE=auto" "CC=clang" "CGO_CFLAGS=-O3"; do
	export_args=$setting
	(
		# shellcheck disable=SC2086
		[ -n "$export_args" ] && export $export_args
		same "env -json [$export_args]" env -json
		same "env [$export_args]" env
		same "env -changed [$export_args]" env -changed
	) || fail=1
done
same "named" env GOOS GOARCH GOMOD CGO_CFLAGS FC NOSUCHVAR
same "named json" env -json GOOS GOARCH GOGCCFLAGS
same "changed named" env -changed GOOS GOROOT
same "bad name" env GOOS=x
same "json -u" env -json -u GOOS
same "GOMIPS bad" env GOMIPS GOMIPS=x
GOMIPS=x same "buildcfg error" env GOMIPS
GOEXPERIMENT=nosuch same "experiment error" env GOOS
GO111MODULE=bad same "GO111MODULE error" env GOOS
GOOS=bados GOARCH=badarch same "unsupported pair, all" env
GOOS=linux GOARCH=badarch same "unsupported pair, costly" env CGO_CFLAGS
GOOS=bados GOARCH=badarch same "unsupported pair, cheap" env GOOS
GOFLAGS='=true' same "GOFLAGS errors hidden" env GOFLAGS
GOFLAGS="\$(echo 'x\"')" same "GOFLAGS unsplittable" env GOOS

# modules and workspaces
mkdir -p "$T/m/sub" "$T/w/a"
printf 'module example.com/m\n\ngo 1.22\n' >"$T/m/go.mod"
printf 'go 1.22\n\nuse ./a\n' >"$T/w/go.work"
printf 'module example.com/a\n\ngo 1.22\n' >"$T/w/a/go.mod"
(cd "$T/m/sub" && same "module" env -json) || fail=1
(cd "$T/w/a" && same "workspace module" env -json) || fail=1
(cd "$T/w" && same "workspace" env GOWORK GOMOD) || fail=1
(cd "$T/w" && GOWORK=off same "GOWORK=off" env GOWORK GOMOD) || fail=1
(cd "$T/w" && GOWORK=rel same "GOWORK relative" env GOWORK) || fail=1

# a GOENV file
printf 'GOPROXY=off\n# a comment\nGOAMD64=v2\nGOPRIVATE=x.com\nbad line\nGOFLAGS=-mod=mod\n' >"$T/envfile"
GOENV=$T/envfile same "GOENV file" env
GOENV=$T/envfile same "GOENV file -changed" env -json -changed
GOENV=off same "GOENV=off" env -json

# -w / -u round trips: both tools edit their own copy; files must match
cp "$T/envfile" "$T/e1"; cp "$T/envfile" "$T/e2"
roundtrip() {
	local r1=0 r2=0
	GOENV=$T/e1 "$G" env "$@" >"$T/o1" 2>&1 || r1=$?
	GOENV=$T/e2 "$GO" env "$@" >"$T/o2" 2>&1 || r2=$?
	sed -i 's,/e[12]\b,/eX,g' "$T/o1" "$T/o2"
	local f1=none f2=none
	[ -e "$T/e1" ] && f1=$(cat "$T/e1")
	[ -e "$T/e2" ] && f2=$(cat "$T/e2")
	if [ "$r1" != "$r2" ] || ! cmp -s "$T/o1" "$T/o2" || [ "$f1" != "$f2" ]; then
		echo "FAIL: env $* (exit gotool=$r1 go=$r2)"
		diff -u "$T/o2" "$T/o1" || true
		diff -u "$T/e2" "$T/e1" || true
		fail=1
	fi
}
roundtrip -w GOPATH=/x GOBIN=/y CC=cc
roundtrip -u GOPROXY GOAMD64
roundtrip -w GOOS=windows GOARCH=386
roundtrip -u GOOS GOARCH
roundtrip -w GOOS=foo
roundtrip -w GOEXPERIMENT=nosuch
roundtrip -w GO111MODULE=bad
roundtrip -w GOPATH=relative
roundtrip -w CC=a/b
roundtrip -w GOTMPDIR=rel
roundtrip -w GOHOSTOS=x
roundtrip -w GOENV=x
roundtrip -w NOSUCHVAR=1
roundtrip -w GOOS
roundtrip -w
roundtrip -u
roundtrip -w GOBIN=/a GOBIN=/b
roundtrip -w -u GOOS
GOPROXY=direct roundtrip -w GOPROXY=off
roundtrip -w "GOFLAGS=-a -b"
# -u of a missing file fails the same way; -w creates it
rm -f "$T/e1" "$T/e2"
roundtrip -u GOOS
rm -f "$T/e1" "$T/e2"
roundtrip -w GOOS=linux

# GOTOOLCACHE: the default under the user cache dir, an absolute value as
# given (and changed), anything else off; env -w refuses it as go does.
want_dir() {
	local label=$1 want=$2 got
	shift 2
	got=$("$G" "$@" 2>&1) || true
	if [[ $got != "$want" ]]; then
		echo "FAIL: GOTOOLCACHE $label: got '$got', want '$want'"
		fail=1
	fi
}
(
	unset GOTOOLCACHE
	export XDG_CACHE_HOME=$T/xdg
	want_dir default "$T/xdg/gotool" env GOTOOLCACHE
	want_dir "not changed" "" env -changed GOTOOLCACHE
	grep -qx "GOTOOLCACHE='$T/xdg/gotool'" <("$G" env) || { echo "FAIL: GOTOOLCACHE not listed by env"; exit 1; }
	grep -qx "	\"GOTOOLCACHE\": \"$T/xdg/gotool\"," <("$G" env -json) || { echo "FAIL: GOTOOLCACHE not in env -json"; exit 1; }
	GOTOOLCACHE=/abs/c want_dir absolute /abs/c env GOTOOLCACHE
	GOTOOLCACHE=/abs/c want_dir changed "GOTOOLCACHE='/abs/c'" env -changed GOTOOLCACHE
	GOTOOLCACHE=rel want_dir relative off env GOTOOLCACHE
	GOTOOLCACHE=off want_dir off off env GOTOOLCACHE
	want_dir "-w refused" "go: unknown go command variable GOTOOLCACHE" env -w GOTOOLCACHE=/x
) || fail=1

exit $fail
