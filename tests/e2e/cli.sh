#!/usr/bin/env bash
# The command line around the subcommands: help, unknown commands,
# version forms, the "go" name, tool listing and running, a missing GOROOT.
set -euo pipefail
GO=${GO:-/usr/local/go/bin/go}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/bin"
ln -s "$GOTOOL" "$T/bin/go"
G="$T/bin/go"
export GOTOOLCHAIN=local GOPROXY=off
fail=0

# check LABEL WANT_EXIT WANT_STDOUT WANT_STDERR CMD...
check() {
	local label=$1 want_rc=$2 want_out=$3 want_err=$4; shift 4
	local rc=0
	"$@" >"$T/out" 2>"$T/err" || rc=$?
	if [ "$rc" != "$want_rc" ] || [ "$(cat "$T/out")" != "$want_out" ] || [ "$(cat "$T/err")" != "$want_err" ]; then
		echo "FAIL: $label: exit $rc (want $want_rc)"
		echo "--- stdout:"; cat "$T/out"; echo "--- want:"; echo "$want_out"
		echo "--- stderr:"; cat "$T/err"; echo "--- want:"; echo "$want_err"
		fail=1
	fi
}

# same LABEL CMD...: gotool (as go) and go agree on stdout, stderr, exit.
same() {
	local label=$1; shift
	local r1=0 r2=0
	"$G" "$@" >"$T/o1" 2>"$T/e1" || r1=$?
	"$GO" "$@" >"$T/o2" 2>"$T/e2" || r2=$?
	if [ "$r1" != "$r2" ] || ! cmp -s "$T/o1" "$T/o2" || ! cmp -s "$T/e1" "$T/e2"; then
		echo "FAIL: $label: go $* (exit gotool=$r1 go=$r2)"
		diff -u "$T/o2" "$T/o1" || true
		diff -u "$T/e2" "$T/e1" || true
		fail=1
	fi
}

gover=$("$GO" env GOVERSION)
host=$("$GO" env GOHOSTOS)/$("$GO" env GOHOSTARCH)

# help
"$GOTOOL" help >"$T/help" || { echo "FAIL: gotool help exit $?"; fail=1; }
grep -q '^	env ' "$T/help" || { echo "FAIL: help lists no env"; fail=1; }
grep -q 'gotool <command>' "$T/help" || { echo "FAIL: help names no gotool"; fail=1; }
check "help env" 0 "$(printf 'usage: gotool env [-json] [-changed] [-u] [-w] [var ...]\n')" "" \
	bash -c "'$GOTOOL' help env | head -1"

# unknown command
check "unknown command" 2 "" "$(printf 'gotool nosuch: unknown command\nRun '\''gotool help'\'' for usage.')" "$GOTOOL" nosuch
same "unknown command as go" nosuch

# version
check "version" 0 "gotool version 0.1.0 ($gover $host)" "" "$GOTOOL" version
same "version as go" version
same "version bad flag" version -x
same "version -m alone" version -m
same "version -json alone" version -json
GOFLAGS=-m same "version -m from GOFLAGS" version
same "version of a Go binary" version /usr/local/go/bin/gofmt
same "version -m of a Go binary" version -m /usr/local/go/bin/gofmt

# tool
same "tool list" tool
same "tool unknown" tool nosuch
same "tool bad name" tool No-Such
same "tool -n" tool -n compile
same "tool runs" tool compile -V
same "tool exit status" tool compile -nosuchflag
same "tool bad flag" tool -q

# env flag errors
same "env bad flag" env -q
same "env -json -w" env -json -w GOOS=linux
same "env -u -w" env -u -w GOOS

# missing GOROOT: go's message and exit status
GOROOT=/nonexistent same "missing GOROOT" env GOROOT
GOROOT=/nonexistent same "missing GOROOT version" version
check "missing GOROOT gotool" 2 "" "gotool: cannot find GOROOT directory: /nonexistent" \
	env GOROOT=/nonexistent "$GOTOOL" env GOROOT
# a directory that is no Go installation is named in the error
mkdir -p "$T/notgo"
rc=0
GOROOT=$T/notgo "$GOTOOL" version >/dev/null 2>"$T/err" || rc=$?
if [ "$rc" = 0 ] || ! grep -q "$T/notgo" "$T/err"; then
	echo "FAIL: GOROOT=notgo: exit $rc, stderr: $(cat "$T/err")"; fail=1
fi

# go install/run pkg@version (installOutsideModule) is refused, never
# mistaken for a path@version import
check "install pkg@version" 1 "" \
	"gotool: install example.com/cmd/a@v1.0.0: packages at a version outside the current module (pkg@version) are not supported yet" \
	"$GOTOOL" install example.com/cmd/a@v1.0.0
check "run pkg@version" 1 "" \
	"gotool: run example.com/cmd/a@latest: packages at a version outside the current module (pkg@version) are not supported yet" \
	"$GOTOOL" run example.com/cmd/a@latest x

# GOAUTH: go's fatal texts for a malformed value, at the first https request
# (before it connects); the proxy here listens nowhere
mkdir -p "$T/gauth"
printf 'module m\n\ngo 1.21\n' >"$T/gauth/go.mod"
cd "$T/gauth"
GOAUTH='off;netrc' GOPROXY=https://127.0.0.1:9 GOSUMDB=off GOMODCACHE=$T/gauth-mc check "GOAUTH off;netrc" 1 "" \
	"gotool: example.com/x@v1.0.0: GOAUTH=off cannot be combined with other authentication commands (GOAUTH=off;netrc)" \
	"$GOTOOL" mod download example.com/x@v1.0.0
GOAUTH=' ; netrc' GOPROXY=https://127.0.0.1:9 GOSUMDB=off GOMODCACHE=$T/gauth-mc check "GOAUTH empty command" 1 "" \
	"gotool: example.com/x@v1.0.0: GOAUTH encountered an empty command (GOAUTH= ; netrc)" \
	"$GOTOOL" mod download example.com/x@v1.0.0
cd - >/dev/null

# a go.mod in the system temp directory itself is ignored, with go's warning
# (modload.Init, go.dev/issue/26708), from there and from below it
mkdir -p "$T/tmproot/child"
printf 'module issue51992\n\ngo 1.18\n' >"$T/tmproot/go.mod"
for d in "$T/tmproot" "$T/tmproot/child"; do
	cd "$d"
	for args in "mod tidy" "list ." "build ." "list -m" "env GOMOD" "mod edit -json" "list -m all"; do
		# shellcheck disable=SC2086
		TMPDIR=$T/tmproot same "temp root ${d#"$T"/}: $args" $args
	done
	cd - >/dev/null
done

exit $fail
