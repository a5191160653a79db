#!/usr/bin/env bash
# -race (issue 8), compared with the real go 1.26 on tests/fixtures/race:
#
#   .         a program that races on a global when run with "race"
#   netprog   the same using net, net/http and os/user (cgo on) (RACE_FULL=1)
#   counter   a mutex-protected counter and a test that passes under -race
#   racy      a package whose test races (the test fails with "race detected")
#   asanprog  a cgo program whose C code overflows a heap block when asked
#             (ASAN_OVERFLOW=1)
#
# The race runtime means std is compiled again with -race -installsuffix race;
# gotool does that once, into this script's GOCACHE, and every step reuses it.
#
# Checks: `build -race` with default flags (the full build id) and, with
# RACE_FULL=1, of netprog and with -trimpath -ldflags=-buildid= is
# byte-identical to go's (cmp), both binaries
# print the same, and with "race" both print WARNING: DATA RACE and exit 66;
# `run -race . race` exits as go run does; `test -race -c` writes go's test
# binary; `test -race ./counter ./racy` prints what go prints (timings, and the
# racing goroutines' stacks, whose order is up to the scheduler, masked) with
# go's exit status; `build -asan ./asanprog` is byte-identical to go's and
# both binaries report the overflow.  Bad input: -race with CGO_ENABLED=0 (native and
# cross), on linux/386, with -msan, with -buildmode=pie; -msan on
# darwin/arm64; test -race -covermode=set; -msan with gcc (which has no
# -fsanitize=memory): go's text and exit status.
#
# An ASan build of gotool runs the bad input only, less msan-gcc.
#
# Env: GOTOOL, TESTS; GO (default /usr/local/go/bin/go); GOTOOL_E2E_GOCACHE
# (a go build cache shared by the scripts, for go's reference builds).
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
TESTS=${TESTS:-$(cd "$(dirname "$0")/.." && pwd)}
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null || true; rm -rf "$tmp"' EXIT
export GOFLAGS= GOPROXY=off GOWORK=off GOTOOLCHAIN=local GOENV=off CGO_ENABLED=1
export GOPATH=$tmp/gopath GOCACHE=$tmp/gocache GOTOOLCACHE=$tmp/gotoolcache
unset GODEBUG GOEXPERIMENT GOARCH GOOS GOARM GOAMD64 GOFIPS140 GOBIN CC CXX AR GORACE
unset CGO_CFLAGS CGO_CPPFLAGS CGO_CXXFLAGS CGO_LDFLAGS CGO_CFLAGS_ALLOW CGO_LDFLAGS_ALLOW
GOREF=${GOTOOL_E2E_GOCACHE:-$GOCACHE}

if ! command -v gcc >/dev/null; then
	echo "race.sh: no gcc: skipped"
	exit 0
fi
if [[ "$(uname -m)" != x86_64 ]]; then
	echo "race.sh: not linux/amd64: skipped"
	exit 0
fi
asan=
if grep -qa __asan_init "$GOTOOL"; then
	asan=1
	echo "race.sh: ASan build of gotool: bad input only"
fi

cp -r "$TESTS/fixtures/race" "$tmp/src"
cd "$tmp/src"
mkdir -p "$tmp/out"
fail=0

# bad NAME ENV... -- ARGS...: stderr (program name normalized) and exit status as go's
bad() {
	local name=$1
	shift
	local envs=()
	while [[ $1 != -- ]]; do
		envs+=("$1")
		shift
	done
	shift
	local wrc=0 grc=0
	env "${envs[@]}" GOCACHE="$GOREF" "$GO" "$@" >"$tmp/wout" 2>"$tmp/werr" || wrc=$?
	env "${envs[@]}" "$GOTOOL" "$@" >"$tmp/gout" 2>"$tmp/gerr" || grc=$?
	sed -i "s|^gotool: |go: |" "$tmp/gerr"
	if [[ $wrc != "$grc" ]] || ! cmp -s "$tmp/werr" "$tmp/gerr" || ! cmp -s "$tmp/wout" "$tmp/gout"; then
		echo "FAIL: $name: exit $grc, want $wrc"
		diff "$tmp/werr" "$tmp/gerr" || true
		fail=1
	fi
	if [[ $wrc == 0 ]]; then
		echo "FAIL: $name: go succeeded; the case is not bad input"
		fail=1
	fi
}

bad race-nocgo CGO_ENABLED=0 -- build -race -o "$tmp/out/x" .
bad race-nocgo-cross CGO_ENABLED=0 GOARCH=arm64 -- build -race -o "$tmp/out/x" .
bad race-386 GOARCH=386 -- build -race -o "$tmp/out/x" .
bad race-msan -- build -race -msan -o "$tmp/out/x" .
bad race-asan -- build -race -asan -o "$tmp/out/x" .
bad race-pie -- build -race -buildmode=pie -o "$tmp/out/x" .
bad msan-darwin GOOS=darwin GOARCH=arm64 -- build -msan -o "$tmp/out/x" .
bad test-race-covermode -- test -race -covermode=set ./counter
bad run-race-nocgo CGO_ENABLED=0 -- run -race .
# gcc has no -fsanitize=memory: runtime/cgo's C compile fails as it does under go
# (not under ASan: both tools compile much of std with -msan first, and a
# failing C compile is cgo's badc case under ASan too)
[[ -n $asan ]] || bad msan-gcc -- build -msan -o "$tmp/out/x" .
[[ ! -e $tmp/out/x ]] || { echo "FAIL: a refused build wrote its output"; fail=1; }

if [[ -n $asan ]]; then
	[[ $fail == 0 ]] && echo "race.sh: ok (ASan subset)"
	exit $fail
fi

# same NAME PKG FLAGS...: go and gotool build PKG with FLAGS into one file each;
# cmp; run both
same() {
	local name=$1 pkg=$2
	shift 2
	local want=$tmp/out/go-$name got=$tmp/out/gt-$name
	GOCACHE=$GOREF "$GO" build "$@" -o "$want" "$pkg"
	if ! "$GOTOOL" build "$@" -o "$got" "$pkg" 2>"$tmp/err"; then
		echo "FAIL: $name: gotool build $* failed:"
		cat "$tmp/err"
		fail=1
		return
	fi
	if ! cmp -s "$want" "$got"; then
		echo "FAIL: $name: gotool build $* differs from go's"
		fail=1
	fi
	if [[ "$("$want" 2>&1)" != "$("$got" 2>&1)" ]]; then
		echo "FAIL: $name: the binaries print different things"
		fail=1
	fi
	local wrc=0 grc=0
	"$want" race >"$tmp/wrace" 2>&1 || wrc=$?
	"$got" race >"$tmp/grace" 2>&1 || grc=$?
	if [[ $wrc != 66 || $grc != 66 ]]; then
		echo "FAIL: $name: racing run exits $grc (go's binary: $wrc), want 66"
		fail=1
	fi
	if ! grep -q "WARNING: DATA RACE" "$tmp/grace" || ! grep -q "WARNING: DATA RACE" "$tmp/wrace"; then
		echo "FAIL: $name: no data race reported"
		fail=1
	fi
}

# the tests first: the racing program's std packages are among theirs
# test -race -c: the test binary
GOCACHE=$GOREF "$GO" test -race -c -o "$tmp/out/go-counter.test" ./counter
if ! "$GOTOOL" test -race -c -o "$tmp/out/gt-counter.test" ./counter; then
	echo "FAIL: test -race -c failed"
	fail=1
elif ! cmp -s "$tmp/out/go-counter.test" "$tmp/out/gt-counter.test"; then
	echo "FAIL: test -race -c: the test binary differs from go's"
	fail=1
fi

# test -race: output and exit status; the race report's stacks are masked
mask() {
	sed -E 's/\(cached\)/N.NNs/; s/[0-9]+\.[0-9]+s/N.NNs/g; /^(Read|Write|Previous (read|write)) at /d; /^Goroutine [0-9]+ /d; /^  /d; /^      /d' "$1"
}
wrc=0 grc=0
GOCACHE=$GOREF "$GO" test -race ./counter ./racy >"$tmp/wout" 2>&1 || wrc=$?
"$GOTOOL" test -race ./counter ./racy >"$tmp/gout" 2>&1 || grc=$?
if [[ $wrc != "$grc" ]] || [[ "$(mask "$tmp/wout")" != "$(mask "$tmp/gout")" ]]; then
	echo "FAIL: test -race: exit $grc, want $wrc"
	diff <(mask "$tmp/wout") <(mask "$tmp/gout") || true
	fail=1
fi
grep -q "race detected during execution of test" "$tmp/gout" || { echo "FAIL: test -race: no race detected"; fail=1; }

same race-default . -race
# netprog's std packages (net/http's) and -trimpath compile std again for
# each tool: RACE_FULL=1 only (CI time)
if [[ -n ${RACE_FULL:-} ]]; then
	same race-netprog ./netprog -race
	same race-trimpath . -race -trimpath -ldflags=-buildid=
fi

# -asan: asanprog's C code is instrumented; byte-identical to go's build, and
# both binaries report the heap overflow
GOCACHE=$GOREF "$GO" build -asan -o "$tmp/out/go-asan" ./asanprog
if ! "$GOTOOL" build -asan -o "$tmp/out/gt-asan" ./asanprog 2>"$tmp/err"; then
	echo "FAIL: build -asan failed:"
	cat "$tmp/err"
	fail=1
else
	cmp -s "$tmp/out/go-asan" "$tmp/out/gt-asan" || { echo "FAIL: build -asan differs from go's"; fail=1; }
	[[ "$("$tmp/out/gt-asan" 2>&1)" == "sum 45" ]] || { echo "FAIL: -asan binary: $("$tmp/out/gt-asan" 2>&1)"; fail=1; }
	for b in go gt; do
		rc=0
		ASAN_OVERFLOW=1 "$tmp/out/$b-asan" >"$tmp/asan.out" 2>&1 || rc=$?
		if [[ $rc == 0 ]] || ! grep -q "AddressSanitizer: heap-buffer-overflow" "$tmp/asan.out"; then
			echo "FAIL: -asan: $b's binary did not report the overflow (exit $rc)"
			fail=1
		fi
	done
fi

# go run -race: go prints "exit status 66" and exits 1; gotool run keeps the
# program's status (a documented difference of gotool run, not of -race)
wrc=0 grc=0
GOCACHE=$GOREF "$GO" run -race . race >"$tmp/wout" 2>"$tmp/werr" || wrc=$?
"$GOTOOL" run -race . race >"$tmp/gout" 2>"$tmp/gerr" || grc=$?
if [[ $wrc != 1 || $grc != 66 ]] || ! cmp -s "$tmp/wout" "$tmp/gout" || [[ "$(tail -1 "$tmp/werr")" != "$(tail -1 "$tmp/gerr")" ]] ||
	! grep -q "WARNING: DATA RACE" "$tmp/gerr"; then
	echo "FAIL: run -race: exit $grc (want $wrc), last line: $(tail -1 "$tmp/gerr") (want $(tail -1 "$tmp/werr"))"
	fail=1
fi

[[ $fail == 0 ]] && echo "race.sh: ok"
exit $fail
