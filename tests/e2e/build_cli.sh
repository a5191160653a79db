#!/usr/bin/env bash
# `gotool build/run/install` and `version -m` on their outputs, compared
# with the real go (go1.26, CGO_ENABLED=0): stdout, stderr and the exit
# status byte for byte, and the files each command creates, changes or
# removes in the source tree and in its output dirs.
#
# Fixture: tests/fixtures/build/cli (module example.com/cli): hello (a main
# needing only the runtime), exit3 (prints its args, exits 3), plain (a
# library without imports), broken (a syntax error), typeerr (type errors),
# crashme (built only by the crashing compiler, so never in a cache).
#
# Cases: go run with a failing program and bad arguments; build with no -o
# in a package dir, with several packages (keeps nothing), of broken
# packages, into an -o whose parent is a file (unwritable), over a file
# that is not an object file, over a directory; install with GOBIN, of a
# library, of cross-compiled binaries; version -m of what build and install
# wrote; a compiler that crashes, a linker that writes part of its output
# and crashes, a missing compiler (a copy of GOROOT made of symlinks with
# the tool replaced).  After every failure no output file may exist, and
# gotool must leave nothing in TMPDIR.
#
# gotool runs through a symlink named go, so its messages say "go:".  Each
# tool has its own GOCACHE, GOPATH and TMPDIR ($T/go, $T/gt); in outputs
# both are shown as $T/TOOL.  Env: GOTOOL, TESTS, GO (default
# /usr/local/go/bin/go), BUILDCLI_KEEP=1 keeps the temp dir.
set -euo pipefail

GO=${GO:-/usr/local/go/bin/go}
TESTS=${TESTS:-$(cd "$(dirname "$0")/.." && pwd)}
if [[ ! -x ${GOTOOL:-} ]]; then
	echo "build_cli.sh: GOTOOL not set to a built gotool" >&2
	exit 1
fi
[[ $GOTOOL == /* ]] || GOTOOL=$PWD/$GOTOOL

T=$(mktemp -d)
cleanup() { chmod -R u+rwx "$T" 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
if [[ -n ${BUILDCLI_KEEP:-} ]]; then
	trap - EXIT
	echo "build_cli: temp dir $T"
fi

mkdir -p "$T/bin" "$T/go/tmp" "$T/gt/tmp"
ln -s "$GOTOOL" "$T/bin/go"
cp -r "$TESTS/fixtures/build/cli" "$T/src"
root=$T/src
export GOFLAGS= GOPROXY=off GOTOOLCHAIN=local GOENV=off GOSUMDB=off GOWORK=off CGO_ENABLED=0
unset GODEBUG GOBIN GOFIPS140 GOOS GOARCH GOEXPERIMENT GO111MODULE GOAMD64 GOROOT_FINAL

# Fake GOROOTs: symlinks to the real one, with one tool replaced.
real_root=$("$GO" env GOROOT)
hosttools=$("$GO" env GOHOSTOS)_$("$GO" env GOHOSTARCH)
# fake_goroot DIR TOOL: DIR mirrors GOROOT except pkg/tool/*/TOOL (absent).
fake_goroot() {
	local dir=$1 tool=$2 f
	mkdir -p "$dir/pkg/tool/$hosttools"
	for f in "$real_root"/*; do
		[[ ${f##*/} == pkg ]] || ln -s "$f" "$dir/"
	done
	for f in "$real_root"/pkg/*; do
		[[ ${f##*/} == tool ]] || ln -s "$f" "$dir/pkg/"
	done
	for f in "$real_root/pkg/tool/$hosttools"/*; do
		[[ ${f##*/} == "$tool" ]] || ln -s "$f" "$dir/pkg/tool/$hosttools/"
	done
}
realtool=$real_root/pkg/tool/$hosttools
# compile crashes (SIGSEGV) when it compiles example.com/cli/crashme.
fake_goroot "$T/root-cc" compile
cat >"$T/root-cc/pkg/tool/$hosttools/compile" <<EOF
#!/bin/sh
case " \$* " in
*" example.com/cli/crashme "*) kill -SEGV \$\$ ;;
esac
exec "$realtool/compile" "\$@"
EOF
# link writes part of its -o file, says so, and crashes.
fake_goroot "$T/root-lk" link
cat >"$T/root-lk/pkg/tool/$hosttools/link" <<EOF
#!/bin/sh
case " \$* " in
*" -V=full "*) exec "$realtool/link" "\$@" ;;
esac
out= prev=
for a in "\$@"; do
	[ "\$prev" = -o ] && out=\$a
	prev=\$a
done
[ -n "\$out" ] && printf partial >"\$out"
echo "link: about to crash" >&2
kill -SEGV \$\$
EOF
chmod +x "$T/root-cc/pkg/tool/$hosttools/compile" "$T/root-lk/pkg/tool/$hosttools/link"
# No compile at all.
fake_goroot "$T/root-nocc" compile

fail=0
ncases=0
# snap DIR: one line per entry under DIR: path, type, size, mtime (size and
# mtime of directories are left out: they change with their entries).
snap() {
	(cd "$1" && find . -mindepth 1 \( -type d -printf '%p d 0 0\n' \) -o -printf '%p %y %s %T@\n' |
		LC_ALL=C sort)
}
# delta BEFORE AFTER: "+ path" for new entries, "- path" for removed ones,
# "~ path" for changed ones, in path order.
delta() {
	LC_ALL=C join -a1 -a2 -e MISSING -o 0,1.2,1.3,1.4,2.2,2.3,2.4 \
		<(awk '{print $1, $2, $3, $4}' "$1") <(awk '{print $1, $2, $3, $4}' "$2") |
		awk '$2 == "MISSING" {print "+ " $1; next}
			$5 == "MISSING" {print "- " $1; next}
			$2 != $5 || $3 != $6 || $4 != $7 {print "~ " $1}'
}
# norm FILE: per-tool paths and work dirs made comparable.
norm() { sed -i -E "s#$T/(go|gt)([/ ]|\$)#$T/TOOL\\2#g; s#/go-build[0-9]+#/go-buildNNN#g" "$1"; }

# same LABEL DIR [VAR=VALUE...] -- ARGS...: run `go ARGS` with each tool in
# $root/DIR; "@" at the start of an argument or value stands for the tool's
# own dir ($T/go or $T/gt).  Compares stdout, stderr, exit status and the
# changes to the source tree and to the tool's dir; then undoes the changes
# made in the source tree.
same() {
	local label=$1 dir=$2
	shift 2
	local envs=() args=() tool
	while [[ $1 != -- ]]; do
		envs+=("$1")
		shift
	done
	shift
	ncases=$((ncases + 1))
	local times=() bad=
	for tool in go gt; do
		local bin=$GO mine=$T/$tool
		[[ $tool == gt ]] && bin=$T/bin/go
		local e=() a=() x
		for x in "${envs[@]}"; do e+=("${x/=@/=$mine}"); done
		for x in "$@"; do
			if [[ $x == @* ]]; then a+=("$mine${x#@}"); else a+=("$x"); fi
		done
		snap "$root" >"$T/src.before"
		snap "$mine" | grep -v -e '^\./cache[/ ]' -e '^\./tmp[/ ]' -e '^\./res\.' >"$T/own.before" || true
		local rc=0 t0=$EPOCHREALTIME cache=$mine/cache
		# go's outputs here do not depend on its cache (no -x or -n; the cache dir
		# is not compared), so go shares the suite's warm one, unless GOROOT is
		# one of the broken copies whose tools must really run.
		[[ $tool == go && -n ${GOTOOL_E2E_GOCACHE:-} && " ${envs[*]}" != *" GOROOT="* ]] &&
			cache=$GOTOOL_E2E_GOCACHE
		(cd "$root/$dir" && env GOCACHE="$cache" GOTOOLCACHE="$mine/cache/gotool" GOPATH="$mine/gopath" TMPDIR="$mine/tmp" \
			"${e[@]}" "$bin" "${a[@]}" >"$mine/res.out" 2>"$mine/res.err") || rc=$?
		echo "$rc" >"$mine/res.rc"
		times+=("$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1fs", b-a}')")
		snap "$root" >"$T/src.after"
		snap "$mine" | grep -v -e '^\./cache[/ ]' -e '^\./tmp[/ ]' -e '^\./res\.' >"$T/own.after" || true
		{
			delta "$T/src.before" "$T/src.after" | sed 's/^/src /'
			delta "$T/own.before" "$T/own.after" | sed 's/^/own /'
		} >"$mine/res.delta"
		norm "$mine/res.out"
		norm "$mine/res.err"
		# Undo what the command created in the sources (outputs of a
		# build without -o), so the other tool starts from the same tree.
		local line
		while read -r line; do
			[[ $line == "src + "* ]] && rm -rf "${root:?}/${line#src + }"
		done <"$mine/res.delta"
		if [[ -n $(ls -A "$mine/tmp") ]]; then
			echo "FAIL: $label: $tool left files in TMPDIR: $(ls -A "$mine/tmp" | tr '\n' ' ')"
			rm -rf "${mine:?}/tmp/"*
			[[ $tool == gt ]] && bad=1
		fi
	done
	local f
	for f in out err rc delta; do
		if ! cmp -s "$T/go/res.$f" "$T/gt/res.$f"; then
			echo "FAIL: $label: (cd $dir; ${envs[*]} go $*): $f differs (- go, + gotool)"
			diff -u "$T/go/res.$f" "$T/gt/res.$f" | tail -n +3 | head -n 30 || true
			bad=1
		fi
	done
	if [[ -n $bad ]]; then
		fail=$((fail + 1))
	else
		printf 'ok   %-40s go %6s  gotool %6s\n' "$label" "${times[0]}" "${times[1]}"
	fi
	return 0
}

# check LABEL CONDITION...: a plain assertion (evaluated with test).
check() {
	local label=$1
	shift
	ncases=$((ncases + 1))
	if ! test "$@"; then
		echo "FAIL: $label"
		fail=$((fail + 1))
	fi
}

# go run: the program's exit status 3 is reported as "exit status 3".  go
# then exits 1; gotool exits with the program's status, as its issue asks
# ("its exit status returned"), so the output is compared but the status is
# checked on its own.
# The second run links nothing (both cache the binary) and the program must
# still see its own name in os.Args[0].
for pass in cold cached; do
	ncases=$((ncases + 1))
	rc_go=0 rc_gt=0
	(cd "$root" && GOCACHE=${GOTOOL_E2E_GOCACHE:-$T/run3/go} "$GO" run ./exit3 a "b c" >"$T/run3.go.out" 2>"$T/run3.go.err") || rc_go=$?
	(cd "$root" && GOCACHE=$T/run3/gt GOTOOLCACHE=$T/run3/gt "$GOTOOL" run ./exit3 a "b c" >"$T/run3.gt.out" 2>"$T/run3.gt.err") || rc_gt=$?
	if ! cmp -s "$T/run3.go.out" "$T/run3.gt.out" || ! cmp -s "$T/run3.go.err" "$T/run3.gt.err" ||
		[[ $rc_go != 1 || $rc_gt != 3 ]] || ! grep -qx 'name exit3' "$T/run3.gt.out"; then
		echo "FAIL: run exit3 ($pass): go rc=$rc_go gotool rc=$rc_gt (want 1 and 3)"
		diff "$T/run3.go.out" "$T/run3.gt.out" || true
		diff "$T/run3.go.err" "$T/run3.gt.err" || true
		fail=$((fail + 1))
	else
		echo "ok   run exit3 ($pass; status 3 kept)"
	fi
done
same "run no args" . -- run
same "run library" . -- run ./plain
same "run broken" . -- run ./broken
same "run missing" . -- run ./nosuch

# Broken packages: the compiler's errors under a "# pkg" header, exit 1,
# and no output file.
same "build syntax error" . -- build ./broken
same "build syntax error -o" . -- build -o @/broken.a ./broken
check "no output after a compile error" ! -e "$T/gt/broken.a"
same "build type errors" . -- build ./typeerr
same "build missing dir" . -- build ./nosuch
same "build import path missing" . -- build example.com/cli/nosuch

# Where the output goes.
same "build in package dir" exit3 -- build
same "build several, no -o" . -- build ./hello ./plain ./exit3
same "build output is a dir" . -- build ./hello
same "build -o dir, no mains" . -- build -o @/outdir/ ./plain
: >"$T/go/afile"
: >"$T/gt/afile"
same "build -o under a file" . -- build -o @/afile/x ./hello
printf 'keep me\n' >"$T/go/notobj"
printf 'keep me\n' >"$T/gt/notobj"
same "build -o not an object file" . -- build -o @/notobj ./hello
check "non-object file kept" "$(cat "$T/gt/notobj")" = "keep me"

# install.
same "install GOBIN" . GOBIN=@/gobin -- install ./hello ./exit3
same "install GOBIN cross" . GOBIN=@/gobin GOOS=windows -- install ./hello
same "install library" . -- install ./plain
same "install no files" . -- install
same "install broken" . -- install ./broken
for b in hello exit3; do
	same "version -m installed $b" . -- version -m @/gobin/$b
done
same "version installed" . -- version "$T/gt/gobin/hello"

# Binaries with the build id stripped are identical, and both tools read
# the same build info from both.
same "build -trimpath" . -- build -trimpath -ldflags=-buildid= -o @/v/ ./hello ./exit3
for b in hello exit3; do
	ncases=$((ncases + 1))
	if ! cmp "$T/go/v/$b" "$T/gt/v/$b"; then
		echo "FAIL: -trimpath $b differs"
		fail=$((fail + 1))
	fi
	same "version -m $b" . -- version -m @/v/$b
	same "version -m gotool's $b (go and gotool)" . -- version -m "$T/gt/v/$b"
done

# Tools that crash or are missing.
same "compile crashes" . GOROOT="$T/root-cc" -- build ./crashme
same "compile crashes -o" . GOROOT="$T/root-cc" -- build -o @/crashme.a ./crashme
check "no output after a compiler crash" ! -e "$T/gt/crashme.a"
same "link crashes" . GOROOT="$T/root-lk" -- build -o @/linked ./hello
check "no output after a linker crash" ! -e "$T/gt/linked"
same "compile missing" . GOROOT="$T/root-nocc" -- build ./plain

echo "build_cli: $ncases cases, $fail failing"
[[ $fail == 0 ]]
