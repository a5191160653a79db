#!/usr/bin/env bash
# `gotool generate` compared with the real go (go1.26): stdout, stderr and
# the exit status byte for byte, and the file tree each leaves (diff -r).
#
# Fixture: tests/fixtures/generate (module example.com/gen), one package per
# subject: alias (-command), quote (word splitting, Go string literals, a
# CRLF line), vars (every variable, go env values, the whole environment of
# a generator), dollar ($DOLLAR and os.Expand's corners), gorun (`go run` of
# a generator in the module: gotool builds it), shell (sh -c with pipes,
# redirections, stdin), ignored (build constraints, _ and . files, a bad
# package clause, directive look-alikes), tests (_test.go and external test
# files, their order), runskip (-run / -skip), fail (a failing directive
# stops its package's files, though not its external test files, the next
# package runs, exit 1; a signal), noeol (a
# directive on a last line without newline), errs/* (each of go's directive
# errors), emptyalias, nogo, onlyignored, fatal (a file removed before go
# reads it), dep (a dependency module); the script adds a directive longer
# than bufio's 4096 bytes.
#
# Every case starts from a fresh copy of the fixture at the same path, runs
# one tool there with the same environment (env -i, hermetic), and moves the
# tree aside; gotool runs through a symlink named go, so its messages say
# "go:" as go's do.  Nothing is masked.
#
# An ASan build of gotool skips gorun.
#
# Env: GOTOOL, TESTS, GO (default /usr/local/go/bin/go), GENERATE_KEEP=1
# keeps the temp dir.
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
TESTS=${TESTS:-$(cd "$(dirname "$0")/.." && pwd)}
if [[ ! -x ${GOTOOL:-} ]]; then
	echo "generate.sh: GOTOOL not set to a built gotool" >&2
	exit 1
fi
[[ $GOTOOL == /* ]] || GOTOOL=$PWD/$GOTOOL

T=$(mktemp -d)
cleanup() { chmod -R u+rwx "$T" 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
if [[ -n ${GENERATE_KEEP:-} ]]; then
	trap - EXIT
	echo "generate: temp dir $T"
fi

mkdir -p "$T/bin" "$T/home" "$T/gocache" "$T/gopath" "$T/gotoolcache"
ln -s "$GOTOOL" "$T/bin/go"
cp -r "$TESTS/fixtures/generate" "$T/fixture"
# bufio.Reader's default buffer is 4096 bytes: a longer directive line is
# an error, a longer ordinary line is skipped.
{
	printf 'package toolong\n\n// %s\n//go:generate printf [%%s]\\n after-long-comment\n' "$(head -c 5000 /dev/zero | tr '\0' x)"
	printf '//go:generate printf [%%s]\\n %s\n' "$(head -c 4090 /dev/zero | tr '\0' y)"
} >"$T/fixture/toolong.go.tmp"
mkdir -p "$T/fixture/errs/toolong"
mv "$T/fixture/toolong.go.tmp" "$T/fixture/errs/toolong/a.go"

# the environment of both tools: nothing from the caller's
envv=(env -i "HOME=$T/home" "PATH=/usr/bin:/bin" "LANG=C" "GOFLAGS=-mod=mod" "GOPROXY=off" "GOWORK=off"
	"GOTOOLCHAIN=local" "GOENV=off" "GOSUMDB=off" "CGO_ENABLED=0" "GOCACHE=$T/gocache" "GOPATH=$T/gopath"
	"GOTOOLCACHE=$T/gotoolcache" "GEN_SET_VAR=set value")

fail=0
ncase=0
W=$T/w # the working copy, at the same path for both tools

# run_one TOOLBIN NAME DIR ARGS...: one tool on a fresh copy.
run_one() {
	local bin=$1 name=$2 dir=$3
	shift 3
	rm -rf "$W"
	cp -a "$T/fixture" "$W"
	set +e
	(cd "$W/$dir" && "${envv[@]}" "$bin" generate "$@") >"$T/$name.out" 2>"$T/$name.err"
	echo $? >"$T/$name.rc"
	set -e
	rm -rf "$T/$name.tree"
	mv "$W" "$T/$name.tree"
}

# check DIR ARGS...: run go then gotool in DIR (relative to the module
# root) with ARGS and compare everything.
check() {
	local dir=$1 what
	shift
	ncase=$((ncase + 1))
	what="generate $* (in ./$dir)"
	run_one "$GO" go "$dir" "$@"
	run_one "$T/bin/go" gt "$dir" "$@"
	local bad=0
	if ! cmp -s "$T/go.out" "$T/gt.out"; then
		echo "FAIL: $what: stdout differs"
		diff "$T/go.out" "$T/gt.out" | head -20 || true
		bad=1
	fi
	if ! cmp -s "$T/go.err" "$T/gt.err"; then
		echo "FAIL: $what: stderr differs"
		diff "$T/go.err" "$T/gt.err" | head -20 || true
		bad=1
	fi
	if ! cmp -s "$T/go.rc" "$T/gt.rc"; then
		echo "FAIL: $what: exit status go $(cat "$T/go.rc"), gotool $(cat "$T/gt.rc")"
		bad=1
	fi
	if ! diff -r "$T/go.tree" "$T/gt.tree" >"$T/tree.diff" 2>&1; then
		echo "FAIL: $what: file trees differ"
		head -20 "$T/tree.diff"
		bad=1
	fi
	if [[ $bad == 0 ]]; then
		echo "ok: $what (exit $(cat "$T/go.rc"))"
	else
		fail=1
	fi
}

# expect_rc N: the last case's go exit status was N (so a case cannot pass
# by both tools failing the same wrong way).
expect_rc() {
	if [[ $(cat "$T/go.rc") != "$1" ]]; then
		echo "FAIL: case $ncase: go exited $(cat "$T/go.rc"), the test expects $1"
		fail=1
	fi
}
# expect_out PATTERN: go's stdout+stderr of the last case has PATTERN.
expect_out() {
	if ! grep -q -- "$1" "$T/go.out" "$T/go.err"; then
		echo "FAIL: case $ncase: go's output lacks $1"
		fail=1
	fi
}

# aliases
check alias
expect_rc 0; expect_out '\[late-alias-10\]'
check . -x ./alias
# quoted arguments, a CRLF line
check quote
expect_rc 0; expect_out '\[q"q\]'
# every variable, go env values, the generator's whole environment
check vars
expect_rc 0; expect_out '^GOLINE=9$'
check . -v ./vars
# $DOLLAR and os.Expand
check dollar
expect_rc 0
# go run of a generator in the module (gotool builds it under gotool: its
# cache, empty before, holds the build after).  Not under ASan: both tools
# compile std for the generator, and gotool's run and build code runs under
# ASan in build_cli (CI time)
if ! grep -qa __asan_init "$GOTOOL"; then
if [[ -n $(ls -A "$T/gotoolcache") ]]; then
	echo "FAIL: gotool's cache is not empty before the go run case"
	fail=1
fi
check gorun
if [[ -z $(find "$T/gotoolcache/build" -type f 2>/dev/null | head -1) ]]; then
	echo "FAIL: gorun: the generator was not built by gotool (its cache is empty)"
	fail=1
fi
expect_rc 0; expect_out 'gen wrote zz_generated.go'
[[ -f $T/gt.tree/gorun/zz_again.go ]] || { echo "FAIL: gorun: zz_again.go not written"; fail=1; }
check . -x ./gorun
else
	echo "generate: ASan build of gotool: the gorun case is skipped"
fi
# shell directives
check shell
expect_rc 0; expect_out 'to-stderr'
# ignored files; named files are taken whatever their constraints
check ignored -v
expect_rc 0; expect_out 'gentag.go-generate-tag'
check ignored -v -tags foo
expect_out 'tagged.go-foo-tag'
check ignored ign.go tagged.go other_windows.go
expect_out 'ign.go-ignore-tag'
check ignored -n ./_under.go
check . -v ./onlyignored
expect_rc 0
check . ./nogo ./alias
expect_rc 1
# test files: package files and _test.go in name order, then the external tests
check tests -v
expect_rc 0; expect_out '\[tests_test\]'
# -run and -skip
check runskip -run 'one$'
expect_out '\[one\]'
check runskip -skip '(?i)beta|été'
check runskip -run 'a' -skip 'three'
check runskip -run '^//go:generate printf \[%s\]\\n (alpha|gamma) \w+$'
check runskip -run '[[:upper:]]' -skip '\d'
check runskip -run '\p{Greek}|\x{e9}t\pL'
check runskip -run 'x{2}{3}'
expect_rc 1
check runskip -run 'a\1'
expect_out 'invalid escape sequence'
check runskip -skip '(?<=a)b'
check runskip -run '(?=x)'
check runskip -skip 'a++'
check runskip -run '(?i)(a|b'
check runskip -run 'a{1001}'
check runskip -run '\pX'
check runskip -skip '[z-a]'
check runskip -run '\Z'
# -n and -x
check . -n ./alias ./quote ./vars ./fail/...
expect_rc 0
check . -x ./alias ./shell ./fail/...
expect_rc 1
# a failing directive stops the package's files (its external test files
# still run); the next package runs; exit 1
check . ./fail/p1 ./fail/p2 ./tests
expect_rc 1; expect_out 'running "sh": exit status 3'
check fail/p1
expect_rc 1
# a directive on a last line without a newline
check noeol
expect_rc 1; expect_out 'unexpected EOF'
check noeol -run first
check noeol -n other.go
# errors
for d in quote space backslash badq noargs cmdalone multi notfound emptycmd signal toolong; do
	check . "./errs/$d"
	expect_rc 1
done
check . ./errs/...
check emptyalias
expect_out '\[after-empty-alias\]'
# a file removed before go reads it: fatal, no later package runs
check . ./fatal ./alias
expect_rc 1; expect_out 'generate: open'
# a package of a dependency module (a directory replacement) is not generated
check . example.com/dep ./alias
expect_out 'not generating in packages in dependency modules'
# flags go generate does not have, and a bad package
check . -cover .
expect_rc 2
check . -json .
check . ./nosuchdir

echo "generate: $ncase cases"
if [[ $fail != 0 ]]; then
	echo "generate: FAIL"
	exit 1
fi
echo "generate: PASS"
