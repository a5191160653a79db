#!/usr/bin/env bash
# gotool tool dist list [-json] [-broken] against the real go, byte for byte.
set -euo pipefail
GO=${GO:-/usr/local/go/bin/go}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/bin"
ln -s "$GOTOOL" "$T/bin/go"
export GOTOOLCHAIN=local GOPROXY=off
fail=0
for args in "" "-json" "-broken" "-json -broken" "-v" "-json=false"; do
	r1=0 r2=0
	# shellcheck disable=SC2086
	"$T/bin/go" tool dist list $args >"$T/o1" 2>"$T/e1" || r1=$?
	# shellcheck disable=SC2086
	"$GO" tool dist list $args >"$T/o2" 2>"$T/e2" || r2=$?
	if [ "$r1" != "$r2" ] || ! cmp -s "$T/o1" "$T/o2" || ! cmp -s "$T/e1" "$T/e2"; then
		echo "FAIL: tool dist list $args (exit gotool=$r1 go=$r2)"
		diff -u "$T/o2" "$T/o1" || true
		diff -u "$T/e2" "$T/e1" || true
		fail=1
	fi
done
# the list is not empty and names the host
grep -qx 'linux/amd64' "$T/o2" || { echo "FAIL: linux/amd64 missing"; fail=1; }
exit $fail
